//! See mailauth_core::fuzzing::dnsbl_answers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::dnsbl_answers(data));
