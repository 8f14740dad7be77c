//! See mailauth_core::fuzzing::dmarc_eval.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::dmarc_eval(data));
