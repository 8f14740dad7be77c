//! See mailauth_core::fuzzing::posture_records.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::posture_records(data));
