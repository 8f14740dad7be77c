//! See mailauth_doctor::fuzzing::bounce.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_doctor::fuzzing::bounce(data));
