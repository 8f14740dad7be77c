//! See mailauth_core::fuzzing::spf_macro.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::spf_macro(data));
