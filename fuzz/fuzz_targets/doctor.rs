//! See mailauth_core::fuzzing::doctor.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::doctor(data));
