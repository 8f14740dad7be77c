//! See mailauth_core::fuzzing::dnsbl_lists.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::dnsbl_lists(data));
