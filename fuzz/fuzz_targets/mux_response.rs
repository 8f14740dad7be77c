//! See mailauth_core::fuzzing::mux_response.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::mux_response(data));
