//! See mailauth_core::fuzzing::dkim_verify.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::dkim_verify(data));
