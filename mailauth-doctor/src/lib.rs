//! The doctor: why does a sending setup lose mail, and what fixes it? The
//! library behind the `mailauth` command ([`cli`]), on the RFC logic of
//! `mailauth-core`.
//!
//! [`diagnose`] runs every check of `mailauth-core` for one sending setup (the
//! IP, the HELO name, the MAIL FROM address, the From domain and any DKIM
//! signing domains) at once: SPF for both identities, iprev, the HELO
//! checks, the sender domain, DNS blocklists, DMARC, and audits of the
//! published SPF and DMARC records. [`audit_domain`] audits a domain's
//! records alone. Each [`Finding`] has a verdict, the evidence, how
//! receivers are likely to react, and the concrete fix.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! use mailauth_core::dns::MemoryResolver;
//! use mailauth_doctor::{diagnose, CheckKind, SendingSetup, Verdict};
//!
//! let zone = MemoryResolver::from_zone_text(
//!     "example.org. TXT \"v=spf1 ip4:192.0.2.1 -all\"\n\
//!      example.org. MX 10 mail.example.org.\n\
//!      mail.example.org. A 192.0.2.1\n",
//! )?;
//! let setup = SendingSetup::new("192.0.2.1".parse()?, "mail.example.org", "news@example.org")
//!     .dnsbl_lists(Vec::new());
//! let report = diagnose(&zone, &setup).await;
//! let iprev = report.finding(CheckKind::Iprev).unwrap();
//! assert_eq!(iprev.verdict, Verdict::Fail); // no PTR record
//! assert!(iprev.receivers[0].contains("cannot find your reverse hostname"));
//! assert_eq!(report.finding(CheckKind::SpfMailFrom).unwrap().verdict, Verdict::Ok);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod crate_readme {}

mod checks;
pub mod cli;
pub mod demo;
#[doc(hidden)]
pub mod fuzzing;
mod render;
mod spf_audit;

use std::net::IpAddr;

use mailauth_core::dns::DnsResolver;
use mailauth_core::dnsbl::DnsblList;

pub use spf_audit::{SpfAudit, audit_spf};

/// How a check came out, worst last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Nothing to fix.
    Ok,
    /// Works, but some receivers will mind, or it is fragile.
    Warn,
    /// Receivers reject or spam-folder mail because of it.
    Fail,
    /// The check could not run to the end (DNS failure): no conclusion.
    Error,
}

mailauth_core::tokens! {
    Verdict "verdict" {
        Ok = "ok",
        Warn = "warn",
        Fail = "fail",
        Error = "error",
    }
}

impl Verdict {
    /// The doctor's exit code for this worst verdict: 0, 1, 2, 3.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::Warn => 1,
            Self::Fail => 2,
            Self::Error => 3,
        }
    }
}

/// Which check a finding comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckKind {
    /// SPF for the MAIL FROM identity (RFC 7208).
    SpfMailFrom,
    /// SPF for the HELO identity.
    SpfHelo,
    /// Reverse DNS confirmed forward (RFC 8601 §3).
    Iprev,
    /// The HELO name.
    Helo,
    /// Does the MAIL FROM domain receive mail (bounces, backscatter)?
    SenderDomain,
    /// DNS blocklists (RFC 5782).
    Dnsbl,
    /// What DMARC concludes for this message (RFC 9989).
    Dmarc,
    /// The published SPF record, whatever IP sends.
    SpfRecord,
    /// The published DMARC record.
    DmarcRecord,
}

mailauth_core::tokens! {
    CheckKind "check" {
        SpfMailFrom = "spf-mailfrom",
        SpfHelo = "spf-helo",
        Iprev = "iprev",
        Helo = "helo",
        SenderDomain = "sender-domain",
        Dnsbl = "dnsbl",
        Dmarc = "dmarc",
        SpfRecord = "spf-record",
        DmarcRecord = "dmarc-record",
    }
}

/// One check's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Finding {
    /// The check.
    pub check: CheckKind,
    /// Its verdict.
    pub verdict: Verdict,
    /// One line: what is the matter.
    pub summary: String,
    /// What was seen: records, names, addresses, codes.
    pub evidence: Vec<String>,
    /// How receivers are likely to react (replies they send).
    pub receivers: Vec<String>,
    /// What to publish or change.
    pub fix: Vec<String>,
}

/// One sending setup to diagnose.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SendingSetup {
    /// The sending IP as receivers see it (the relay's, when relayed).
    pub ip: IpAddr,
    /// The HELO/EHLO name it sends.
    pub helo: String,
    /// The MAIL FROM address (empty for bounces).
    pub mail_from: String,
    /// The RFC5322.From domain; the MAIL FROM domain when `None`.
    pub from_domain: Option<String>,
    /// Domains that sign the mail with DKIM (assumed to verify).
    pub dkim_domains: Vec<String>,
    /// The blocklists to ask; [`default_dnsbl_lists`] unless set.
    pub dnsbl_lists: Vec<DnsblList>,
}

impl SendingSetup {
    /// A setup with the default blocklists and no DKIM.
    pub fn new(ip: IpAddr, helo: impl Into<String>, mail_from: impl Into<String>) -> Self {
        Self {
            ip,
            helo: helo.into(),
            mail_from: mail_from.into(),
            from_domain: None,
            dkim_domains: Vec::new(),
            dnsbl_lists: default_dnsbl_lists(),
        }
    }

    /// The RFC5322.From domain, when it differs from the MAIL FROM domain.
    pub fn from_domain(mut self, domain: impl Into<String>) -> Self {
        self.from_domain = Some(domain.into());
        self
    }

    /// A DKIM signing domain (`d=`).
    pub fn dkim_domain(mut self, domain: impl Into<String>) -> Self {
        self.dkim_domains.push(domain.into());
        self
    }

    /// The blocklists to ask (empty: none).
    pub fn dnsbl_lists(mut self, lists: Vec<DnsblList>) -> Self {
        self.dnsbl_lists = lists;
        self
    }

    /// The MAIL FROM domain: after the last `@`, or the HELO name for a
    /// null reverse-path (RFC 7208 §2.4).
    pub fn mail_from_domain(&self) -> &str {
        match self.mail_from.rsplit_once('@') {
            Some((_, domain)) if !domain.is_empty() => domain,
            _ => &self.helo,
        }
    }
}

/// The default blocklists: Spamhaus ZEN and SpamCop, the two most
/// receivers consult. Spamhaus answers only queries from your own
/// resolver: through public resolvers (8.8.8.8, 1.1.1.1, ...) it returns
/// the error 127.255.255.254, reported as an error, never as a listing.
pub fn default_dnsbl_lists() -> Vec<DnsblList> {
    ["spamhaus-zen", "spamcop"]
        .into_iter()
        .filter_map(DnsblList::builtin)
        .collect()
}

/// What was diagnosed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "mode", rename_all = "lowercase"))]
pub enum Subject {
    /// A sending setup.
    Sending {
        /// The IP.
        ip: IpAddr,
        /// The HELO name.
        helo: String,
        /// The MAIL FROM address.
        mail_from: String,
        /// The From domain.
        from_domain: String,
    },
    /// A domain's records.
    Domain {
        /// The domain.
        domain: String,
    },
}

/// The doctor's report.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DoctorReport {
    /// What was diagnosed.
    pub subject: Subject,
    /// Which resolver answered ([`DnsResolver::description`]): real
    /// nameservers, a zone file, or the fictional demo zone.
    pub resolver: String,
    /// One finding per check, in a fixed order.
    pub findings: Vec<Finding>,
}

impl DoctorReport {
    /// The worst verdict ([`Verdict::Ok`] for an empty report).
    pub fn worst(&self) -> Verdict {
        self.findings
            .iter()
            .map(|f| f.verdict)
            .max()
            .unwrap_or(Verdict::Ok)
    }

    /// The finding of one check.
    pub fn finding(&self, check: CheckKind) -> Option<&Finding> {
        self.findings.iter().find(|f| f.check == check)
    }

    /// The report as text, for an 80-column terminal.
    pub fn to_text(&self) -> String {
        render::text(self)
    }

    /// The report as pretty-printed JSON (feature `serde`), the worst
    /// verdict included.
    #[cfg(feature = "serde")]
    pub fn to_json(&self) -> String {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            object.insert("worst".into(), self.worst().as_str().into());
        }
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }
}

/// Diagnoses one sending setup: every check at once, then the checks that
/// need their results (the HELO against the confirmed PTR names, DMARC on
/// the SPF result).
pub async fn diagnose(resolver: &dyn DnsResolver, setup: &SendingSetup) -> DoctorReport {
    checks::diagnose(resolver, setup).await
}

/// Audits a domain's published SPF and DMARC records.
///
/// # Errors
/// [`mailauth_core::dmarc::DmarcError::InvalidDomain`] when `domain` is not a
/// valid domain name.
pub async fn audit_domain(
    resolver: &dyn DnsResolver,
    domain: &str,
) -> Result<DoctorReport, mailauth_core::dmarc::DmarcError> {
    checks::audit_domain(resolver, domain).await
}

#[cfg(test)]
mod tests;
