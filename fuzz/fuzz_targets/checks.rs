//! See mailauth_core::fuzzing::checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::checks(data));
