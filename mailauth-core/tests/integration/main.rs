//! Integration tests: the hickory backend against a real authoritative DNS
//! server (Knot DNS on 127.0.0.1, started by `scripts/dns-test-server.sh`),
//! and the parity of both backends over the same zone files.

mod dkim;
mod dmarc;
mod dns_server;
mod dnsbl;
mod hickory;
mod iprev;
mod parity;
mod spf_conformance;
