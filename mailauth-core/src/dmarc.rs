//! DMARC, RFC 9989 (DMARCbis, which replaces RFC 7489): what the author
//! domain asks receivers to do with mail that fails SPF and DKIM
//! alignment.
//!
//! - [`DmarcRecord`]: the record (§4.7), read in *receiver mode*
//!   ([`DmarcRecord::parse`]: after `v=DMARC1` nothing fails; invalid
//!   values fall back to defaults) or *validator mode*
//!   ([`DmarcRecord::validate`]: every error and warning with its byte
//!   offset). The case rules are in the parser's docs: only `DMARC1` is
//!   case-sensitive.
//! - [`discover_policy`]: the DNS Tree Walk (§4.10, at most 8 queries), the
//!   Organizational Domain (§4.10.2) and the applicable policy (§4.10.1:
//!   `p`, `sp` or `np`, `t=y`).
//! - [`evaluate`]: alignment (§4.4) of the SPF and DKIM identifiers and
//!   the result, with `Authentication-Results` (§9.2).
//! - [`authorize_report_destinations`]: RFC 9990 §3 external report
//!   destinations.
//!
//! DNS failures are results (`temperror`), never `Err`.
//!
//! # Which failed queries make `temperror`
//!
//! The sender of a message chooses its SPF and DKIM domains and runs
//! their DNS, so a query about those names must never be able to turn a
//! `fail` into `temperror`. [`evaluate`] sends a query only when its answer
//! can change the result, and a failed query (timeout, SERVFAIL: see
//! [`LookupError::is_temporary`](crate::dns::LookupError::is_temporary))
//! gives `temperror` only in these cases:
//!
//! 1. `_dmarc.<Author Domain>` failed: the policy is unknown (§5.3.6).
//! 2. No record stands at the Author Domain, and a query of its tree walk
//!    failed, or the `A` query that tells `sp` from `np` (§4.10.1) did:
//!    which record and which policy apply is unknown.
//! 3. No identifier passed aligned, and one that authenticated needs
//!    relaxed alignment (§4.4) and one of these failed:
//!    - the rest of the Author Domain's own walk (its ancestors'
//!      `_dmarc` names), asked only when the identifier is another
//!      domain with the same top-level label;
//!    - the identifier's walk, asked only when the identifier is at or
//!      below the Author Domain's Organizational Domain **and** would
//!      align if none of its own names (those that are not the Author
//!      Domain's ancestors) held a record.
//!
//! Nothing else is asked: an identifier identical to the Author Domain
//! aligns without a query; in strict mode other identifiers do not align
//! without a query; a domain outside the Author Domain's Organizational
//! Domain cannot align (an Organizational Domain is always the name or an
//! ancestor of it) and is judged without a query of its own. A record at
//! the Author Domain ends discovery: its `p` applies, and the rest of the
//! walk is asked only for case 3. A failure in a query that was not
//! needed would be of no consequence, and none is sent.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! use mailauth_core::dmarc::{evaluate, DmarcInput, DmarcResult, Policy};
//! use mailauth_core::dns::MemoryResolver;
//! use mailauth_core::SpfResult;
//!
//! let dns = MemoryResolver::from_zone_text(
//!     "_dmarc.example.com. 300 IN TXT \"v=DMARC1; p=reject; rua=mailto:d@example.com\"\n",
//! )?;
//! // SPF passed for a subdomain: aligned in relaxed mode.
//! let input = DmarcInput::new("example.com").spf("bounce.example.com", SpfResult::Pass);
//! let output = evaluate(&dns, &input).await;
//! assert_eq!(output.result, DmarcResult::Pass);
//! assert_eq!(
//!     output.authentication_results(),
//!     "dmarc=pass header.from=example.com policy.dmarc=reject"
//! );
//! // Nothing aligned: fail, and the policy says reject.
//! let input = DmarcInput::new("example.com").spf("isp.example.net", SpfResult::Pass);
//! let output = evaluate(&dns, &input).await;
//! assert_eq!((output.result, output.disposition), (DmarcResult::Fail, Policy::Reject));
//! # Ok::<(), Box<dyn std::error::Error>>(()) }).unwrap();
//! ```

mod discovery;
mod eval;
mod parse;
mod record;
mod report;

pub use discovery::{
    DiscoveryOutcome, DmarcAtName, DnsQuery, FailedQuery, MAX_WALK_QUERIES, PolicyDiscovery,
    PolicyRecord, PolicySource, WalkStep,
};
pub use eval::{
    Alignment, DmarcInput, DmarcOutput, DmarcResult, IdentifierCheck, MAX_ALIGNMENT_WALKS,
    discover_policy, evaluate,
};
pub use parse::{Diagnostic, DiagnosticKind, NotDmarcReason, Severity, Validation};
pub use record::{
    AlignmentMode, DmarcRecord, FailureOptions, Policy, PsdFlag, ReportTarget, ReportUri,
    Rfc7489Tags,
};
pub use report::{
    DestinationStatus, MAX_CHECKED_DESTINATIONS, ReportDestination, ReportTag,
    authorize_report_destinations,
};

/// Misuse of the DMARC API: text that is not a DMARC record where one was
/// required, or a domain that is not a domain.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DmarcError {
    /// The text is not a DMARC record (RFC 9989 §4.10 step 2).
    #[error("not a DMARC record at byte {offset}: {}", reason.describe())]
    NotDmarc {
        /// Byte offset of the problem.
        offset: usize,
        /// What is wrong.
        reason: NotDmarcReason,
    },
    /// Not a valid domain name (IDNA conversion or DNS name rules).
    #[error("invalid domain: {0:?}")]
    InvalidDomain(String),
}

impl DmarcRecord {
    /// Receiver mode (RFC 9989 §4.7, §4.8): the record as receivers use
    /// it. Fails only when the text is not a DMARC record at all; past
    /// `v=DMARC1`, invalid tags are dropped and defaults apply.
    ///
    /// # Errors
    /// [`DmarcError::NotDmarc`] with the offset and reason.
    pub fn parse(text: &str) -> Result<Self, DmarcError> {
        parse::parse(text)
    }

    /// Validator mode: the same reading as [`Self::parse`], with every error
    /// and warning and its byte offset, for people checking their own
    /// record.
    ///
    /// ```
    /// use mailauth_core::dmarc::{DiagnosticKind, DmarcRecord, Severity};
    ///
    /// let checked = DmarcRecord::validate("v=DMARC1; p=block; pct=50");
    /// let first = &checked.diagnostics[0];
    /// assert_eq!((first.offset, first.severity), (12, Severity::Error));
    /// assert_eq!(first.to_string(),
    ///     "error at byte 12: invalid p value, expected none, quarantine or reject; the default applies");
    /// assert!(matches!(checked.diagnostics[1].kind, DiagnosticKind::ObsoleteTag { .. }));
    /// ```
    pub fn validate(text: &str) -> Validation {
        parse::validate(text)
    }
}

impl std::str::FromStr for DmarcRecord {
    type Err = DmarcError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

/// A domain as its lower-case A-label without a trailing dot, validated
/// as a DNS name (RFC 9989 §5.3.1: U-labels become A-labels).
///
/// # Errors
/// [`DmarcError::InvalidDomain`] when `domain` is not a domain name.
pub fn normalize_domain(domain: &str) -> Result<String, DmarcError> {
    let invalid = || DmarcError::InvalidDomain(domain.to_owned());
    let trimmed = domain.strip_suffix('.').unwrap_or(domain);
    let ascii = idna::domain_to_ascii(trimmed).map_err(|_| invalid())?;
    crate::dns::validate_name(&ascii).map_err(|_| invalid())?;
    Ok(ascii)
}

#[cfg(test)]
mod tests;
