//! Zone-file text: never a panic; what parses prints and parses back alike.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::zone_text(data));
