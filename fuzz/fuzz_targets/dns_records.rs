//! See mailauth_core::fuzzing::dns_records.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailauth_core::fuzzing::dns_records(data));
