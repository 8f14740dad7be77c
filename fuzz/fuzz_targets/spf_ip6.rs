//! See mailauth_core::fuzzing::spf_ip6.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::spf_ip6(data));
