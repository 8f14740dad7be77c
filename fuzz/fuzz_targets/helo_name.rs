//! See mailauth_core::fuzzing::helo_name.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::helo_name(data));
