//! mailauth: the questions a receiving mail server asks before it accepts
//! mail, answered as the RFCs say.
//!
//! - [`spf`]: RFC 7208 check_host() for MAIL FROM and HELO.
//! - [`iprev`]: RFC 8601 §3 reverse-DNS confirmation, with Postfix's
//!   verdicts; [`helo`]: the HELO name's checks; [`maildomain`]: does a
//!   sender's or recipient's domain receive mail.
//! - [`dmarc`]: RFC 9989 DMARC records, the DNS tree walk, policy and
//!   alignment, and RFC 9990 report-destination checks.
//! - [`dnsbl`]: RFC 5782 blocklists and allowlists.
//! - [`hostname`]: host names and address literals as SMTP uses them.
//! - [`text`]: the one rule for text the library renders (replies,
//!   headers, terminals): printable US-ASCII only.
//!
//! All of it stands on the DNS seam ([`dns`]), with a hickory-resolver
//! backend for real DNS and an in-memory zone for tests, examples,
//! benchmarks and fuzzing.
//!
//! - [`dns::DnsResolver`]: the async trait (TXT, A, AAAA, MX, PTR).
//! - [`dns::LookupError`]: the DNS outcomes RFC logic decides on
//!   (NXDOMAIN, NODATA, timeout, server failure, invalid name).
//! - [`dns::MemoryResolver`] and [`dns::Zone`]: RFC 1035 master files in
//!   memory, with fault injection and query counters.
//! - `dns::HickoryResolver` (feature `hickory`, default): real nameservers.
//!
//! Errors of misuse (a zone file that does not parse, a resolver that cannot
//! be built) are [`Error`]; DNS outcomes are values, never `Err` of this
//! crate's API.

#![warn(missing_docs)]
#![forbid(unsafe_code)]
// Every public struct can gain a field without breaking its users (issue 12):
// clippy refuses one without #[non_exhaustive].
#![warn(clippy::exhaustive_structs)]

pub mod auth;
pub mod bimi;
pub mod dkim;
pub mod dmarc;
pub mod dns;
pub mod dnsbl;
mod error;
pub mod helo;
pub mod hostname;
pub mod iprev;
pub mod maildomain;
pub mod smtp_tls;
pub mod spf;
pub mod text;
mod token;

pub use dmarc::{DmarcOutput, DmarcRecord, DmarcResult};
pub use error::Error;
pub use spf::{SpfOutput, SpfRecord, SpfResult, SpfVerifier};
pub use token::UnknownToken;

/// The crate version, as in `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
mod readme {}

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod crate_readme {}

#[doc(hidden)]
pub mod fuzzing;
