//! See mailauth_doctor::fuzzing::headers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_doctor::fuzzing::headers(data));
