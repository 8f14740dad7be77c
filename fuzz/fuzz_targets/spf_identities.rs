//! See mailauth_core::fuzzing::spf_identities.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::spf_identities(data));
