//! See mailauth_doctor::fuzzing::doctor.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_doctor::fuzzing::doctor(data));
