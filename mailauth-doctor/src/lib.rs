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

pub mod bounce;
mod checks;
pub mod cli;
pub mod demo;
#[doc(hidden)]
pub mod fuzzing;
pub mod headers;
mod render;
pub mod scan;
mod spf_audit;

use std::net::IpAddr;

use mailauth_core::dns::DnsResolver;
use mailauth_core::dnsbl::DnsblList;

pub use spf_audit::{IncludeParent, RecordProblem, SpfAudit, audit_spf};

/// How a check came out, worst last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Not checked: what it needs was not given (a HELO name a bounce
    /// does not tell).
    Skipped,
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
        Skipped = "skipped",
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
            Self::Skipped | Self::Ok => 0,
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
    /// A published DKIM key record (RFC 6376 §3.6.1).
    DkimKey,
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
        DkimKey = "dkim-key",
    }
}

/// Every [`Finding::code`] the doctor gives, by check: stable tokens
/// (`docs/doctor-json.md` explains each). A code is added, never renamed.
pub const FINDING_CODES: &[&str] = &[
    "spf-mailfrom.pass",
    "spf-mailfrom.fail",
    "spf-mailfrom.softfail",
    "spf-mailfrom.neutral",
    "spf-mailfrom.none",
    "spf-mailfrom.permerror",
    "spf-mailfrom.temperror",
    "spf-helo.skipped",
    "spf-helo.pass",
    "spf-helo.fail",
    "spf-helo.softfail",
    "spf-helo.neutral",
    "spf-helo.none",
    "spf-helo.permerror",
    "spf-helo.temperror",
    "iprev.pass",
    "iprev.no-ptr",
    "iprev.ptr-mismatch",
    "iprev.temperror",
    "helo.skipped",
    "helo.ok",
    "helo.bare-domain",
    "helo.not-this-host",
    "helo.temperror",
    "sender-domain.receives-mail",
    "sender-domain.null-mx",
    "sender-domain.not-found",
    "sender-domain.temperror",
    "dnsbl.listed",
    "dnsbl.list-errors",
    "dnsbl.no-lists",
    "dnsbl.not-applicable",
    "dnsbl.not-listed",
    "dmarc.pass",
    "dmarc.fail",
    "dmarc.none",
    "dmarc.temperror",
    "dmarc.permerror",
    "spf-record.sound",
    "spf-record.too-many-lookups",
    "spf-record.include-without-record",
    "spf-record.too-many-void-lookups",
    "spf-record.plus-all",
    "spf-record.uses-ptr",
    "spf-record.missing-all",
    "spf-record.no-record",
    "spf-record.no-domain",
    "spf-record.several-records",
    "spf-record.syntax-error",
    "spf-record.temperror",
    "dmarc-record.p-reject",
    "dmarc-record.p-quarantine",
    "dmarc-record.p-none",
    "dmarc-record.no-policy",
    "dmarc-record.no-record",
    "dmarc-record.no-domain",
    "dmarc-record.several-records",
    "dmarc-record.invalid-domain",
    "dmarc-record.temperror",
    "dmarc-record.discovery-error",
    "dkim-key.ok",
    "dkim-key.no-key",
    "dkim-key.syntax-error",
    "dkim-key.revoked",
    "dkim-key.sha1-only",
    "dkim-key.not-for-email",
    "dkim-key.testing",
    "dkim-key.short-rsa-key",
    "dkim-key.temperror",
];

/// One check's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Finding {
    /// The check.
    pub check: CheckKind,
    /// What the finding is, as a stable token `check.situation`
    /// (`spf-record.several-records`, `iprev.no-ptr`, `dmarc.fail`): one
    /// of those listed in `docs/doctor-json.md`, for programs to decide on
    /// instead of the prose.
    pub code: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// One line: what is the matter.
    pub summary: String,
    /// The check's result as its RFC writes it, where it has one:
    /// `spf-mailfrom` and `spf-helo` an RFC 7208 result (`pass`,
    /// `softfail`, ...), `iprev` an RFC 8601 §3 result, `dmarc` an RFC 9989
    /// result.
    pub result: Option<String>,
    /// What was seen: records, names, addresses, codes.
    pub evidence: Vec<String>,
    /// The DNS records the finding rests on, typed and as published: the
    /// SPF and DMARC records, the PTR and address records of iprev, the
    /// MX records of the sender domain, the blocklists' answers.
    pub records: Vec<DnsRecord>,
    /// How receivers are likely to react (replies they send).
    pub receivers: Vec<String>,
    /// What to publish or change.
    pub fix: Vec<Fix>,
}

/// One thing to change, and the DNS record to publish for it, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Fix {
    /// What to do, in a sentence.
    pub action: String,
    /// The record it publishes, exactly as it goes into the zone.
    pub record: Option<DnsRecord>,
}

impl std::fmt::Display for Fix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.action)?;
        match &self.record {
            Some(record) => write!(f, " {record}"),
            None => Ok(()),
        }
    }
}

/// A DNS record to publish: owner name, type and value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DnsRecord {
    /// The owner name, without the trailing dot.
    pub name: String,
    /// `TXT`, `A`, `AAAA`, `MX` or `PTR`.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub record_type: mailauth_core::dns::RecordType,
    /// The data: the TXT text unquoted, an address, a name.
    pub value: String,
}

impl DnsRecord {
    /// A TXT record.
    pub fn txt(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self::new(name, mailauth_core::dns::RecordType::Txt, text)
    }

    /// A record of any type.
    pub fn new(
        name: impl Into<String>,
        record_type: mailauth_core::dns::RecordType,
        value: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            record_type,
            value: value.into(),
        }
    }
}

/// The zone-file line: `name. TXT "text"`, `name. A 192.0.2.1`, a PTR's
/// target with its dot.
impl std::fmt::Display for DnsRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use mailauth_core::dns::RecordType;
        write!(f, "{}. {} ", self.name, self.record_type)?;
        match self.record_type {
            // As a zone file needs it: strings of at most 255 octets (a
            // 2048-bit DKIM key or a long SPF record takes two), escaped.
            RecordType::Txt => {
                let txt = mailauth_core::dns::Txt::new([self.value.as_bytes()]);
                write!(f, "{txt}")
            }
            RecordType::Ptr | RecordType::Mx => write!(f, "{}.", self.value),
            _ => f.write_str(&self.value),
        }
    }
}

/// One sending setup to diagnose.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SendingSetup {
    /// The sending IP as receivers see it (the relay's, when relayed).
    pub ip: IpAddr,
    /// The HELO/EHLO name it sends; `None` when not known (a bounce rarely
    /// says it): the HELO checks are then skipped.
    pub helo: Option<String>,
    /// The MAIL FROM address (empty for bounces).
    pub mail_from: String,
    /// The RFC5322.From domain; the MAIL FROM domain when `None`.
    pub from_domain: Option<String>,
    /// Domains that sign the mail with DKIM (assumed to verify, unless
    /// [`Self::dkim_verified`]).
    pub dkim_domains: Vec<String>,
    /// The DKIM domains are those whose signatures the doctor verified on
    /// the message itself ([`diagnose_message`]), not taken on trust.
    pub dkim_verified: bool,
    /// The blocklists to ask; [`default_dnsbl_lists`] unless set.
    pub dnsbl_lists: Vec<DnsblList>,
}

impl SendingSetup {
    /// A setup with the default blocklists and no DKIM.
    pub fn new(ip: IpAddr, helo: impl Into<String>, mail_from: impl Into<String>) -> Self {
        Self::without_helo(ip, mail_from).helo(helo)
    }

    /// A setup whose HELO name is not known: the HELO checks are skipped.
    pub fn without_helo(ip: IpAddr, mail_from: impl Into<String>) -> Self {
        Self {
            ip,
            helo: None,
            mail_from: mail_from.into(),
            from_domain: None,
            dkim_domains: Vec::new(),
            dkim_verified: false,
            dnsbl_lists: default_dnsbl_lists(),
        }
    }

    /// The HELO name.
    pub fn helo(mut self, helo: impl Into<String>) -> Self {
        self.helo = Some(helo.into());
        self
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

    /// The MAIL FROM domain as SPF takes it (RFC 7208 §2.4, §4.3): after
    /// the last `@`; a bare domain is itself (as `postmaster@domain`); the
    /// HELO name for the null reverse-path.
    pub fn mail_from_domain(&self) -> &str {
        match self.mail_from.rsplit_once('@') {
            Some((_, domain)) => domain,
            None if !self.mail_from.is_empty() => &self.mail_from,
            None => self.helo.as_deref().unwrap_or_default(),
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
        /// The HELO name, when known.
        helo: Option<String>,
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
    /// For a diagnosis from a bounce ([`diagnose_bounce`]): what was read
    /// from it, and where each value of the setup came from.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub bounce: Option<BounceContext>,
    /// For a diagnosis from a message's header section
    /// ([`diagnose_headers`]): what was read from it, where each value of
    /// the setup came from, and the receiver's recorded results next to
    /// today's.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub headers: Option<HeadersContext>,
}

/// Where a value of the diagnosed setup came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Origin {
    /// The operator gave it (`--ip`, `--helo`, ...).
    Given,
    /// Read from the bounce.
    Read,
    /// Inferred from what the bounce says (a MAIL FROM domain from the
    /// domain the reply names).
    Inferred,
}

mailauth_core::tokens! {
    Origin "origin" {
        Given = "given",
        Read = "read",
        Inferred = "inferred",
    }
}

/// A value of the setup a bounce diagnosis runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SetupField {
    /// The sending IP.
    ClientIp,
    /// The MAIL FROM address.
    MailFrom,
    /// The HELO name.
    Helo,
    /// The From header's domain.
    FromDomain,
}

mailauth_core::tokens! {
    SetupField "setup field" {
        ClientIp = "client-ip",
        MailFrom = "mail-from",
        Helo = "helo",
        FromDomain = "from-domain",
    }
}

/// One value of the setup a bounce diagnosis ran with.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SetupValue {
    /// Which value.
    pub field: SetupField,
    /// The value.
    pub value: String,
    /// Given, read or inferred.
    pub origin: Origin,
    /// Where in the bounce, when read or inferred.
    pub source: Option<String>,
}

/// A bounce diagnosis: the bounce as read, the setup's provenance, and the
/// checks the receiver's reason points to.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct BounceContext {
    /// What was read.
    pub bounce: bounce::Bounce,
    /// Where each value of the setup came from.
    pub setup: Vec<SetupValue>,
    /// The checks the stated reason points to, most direct first.
    pub points_to: Vec<CheckKind>,
}

/// A message diagnosis: the header section as read, the setup's
/// provenance, and what the receiver recorded then against what the checks
/// conclude now.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct HeadersContext {
    /// What was read.
    pub headers: headers::Headers,
    /// Where each value of the setup came from.
    pub setup: Vec<SetupValue>,
    /// Each result the receiver recorded for a check the doctor ran.
    pub compared: Vec<Comparison>,
    /// The message's DKIM signatures as the doctor verified them now, when
    /// the input held the body too; empty for a header section alone.
    pub dkim: Vec<VerifiedSignature>,
}

/// One DKIM signature of a message, verified by the doctor.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct VerifiedSignature {
    /// `d=`, when the field parsed.
    pub domain: Option<String>,
    /// `s=`, when the field parsed.
    pub selector: Option<String>,
    /// The RFC 8601 result.
    pub result: mailauth_core::dkim::DkimResult,
    /// Why, as a stable code.
    pub reason: mailauth_core::dkim::DkimReason,
}

/// A result the receiver recorded next to the doctor's for the same check.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Comparison {
    /// The doctor's check.
    pub check: CheckKind,
    /// What the receiver recorded, and where.
    pub recorded: headers::Recorded,
    /// The doctor's result now.
    pub now: Option<String>,
}

impl Comparison {
    /// Whether the receiver's result then is the doctor's now.
    pub fn agrees(&self) -> bool {
        self.now.as_deref() == Some(self.recorded.result.as_str())
    }
}

/// What the operator adds to a bounce or a header section: each given
/// value wins over what the input says.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Hints {
    /// The sending IP.
    pub ip: Option<IpAddr>,
    /// The HELO name.
    pub helo: Option<String>,
    /// The MAIL FROM address.
    pub mail_from: Option<String>,
    /// The From header's domain.
    pub from_domain: Option<String>,
    /// The blocklists to ask ([`default_dnsbl_lists`] when `None`).
    pub dnsbl_lists: Option<Vec<DnsblList>>,
}

impl Hints {
    /// Sets [`Self::ip`].
    pub fn ip(mut self, ip: IpAddr) -> Self {
        self.ip = Some(ip);
        self
    }

    /// Sets [`Self::helo`].
    pub fn helo(mut self, helo: impl Into<String>) -> Self {
        self.helo = Some(helo.into());
        self
    }

    /// Sets [`Self::mail_from`].
    pub fn mail_from(mut self, mail_from: impl Into<String>) -> Self {
        self.mail_from = Some(mail_from.into());
        self
    }

    /// Sets [`Self::from_domain`].
    pub fn from_domain(mut self, domain: impl Into<String>) -> Self {
        self.from_domain = Some(domain.into());
        self
    }

    /// Sets [`Self::dnsbl_lists`].
    pub fn dnsbl_lists(mut self, lists: Vec<DnsblList>) -> Self {
        self.dnsbl_lists = Some(lists);
        self
    }
}

/// What a diagnosis from a bounce or a header section lacks.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// Neither the bounce nor the hints name the sending IP.
    #[error("the bounce names no sending IP: give the IP the mail left from")]
    NoClientIp,
    /// Neither the bounce nor the hints name the sender or its domain.
    #[error("the bounce names no sender or domain: give the MAIL FROM address")]
    NoSender,
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

/// A value read from an input, and the part it came from.
type Read<T> = Option<(T, Option<String>)>;

/// The values an input names, each with its part.
#[derive(Default)]
struct ReadSetup {
    ip: Read<IpAddr>,
    mail_from: Read<String>,
    /// A domain the input names, from which the MAIL FROM is inferred
    /// (`postmaster@domain`) when no address is read.
    mail_domain: Read<String>,
    helo: Read<String>,
    from_domain: Read<String>,
    dkim_domains: Vec<String>,
}

/// The setup to diagnose: each hint over what was read, and where each
/// value came from.
fn setup_from(read: ReadSetup, hints: Hints) -> Result<(SendingSetup, Vec<SetupValue>), ReadError> {
    let mut provenance = Vec::new();
    let mut value = |field: SetupField, value: &str, origin: Origin, source: Option<String>| {
        provenance.push(SetupValue {
            field,
            value: value.to_owned(),
            origin,
            source,
        });
    };
    let ip = match (hints.ip, read.ip) {
        (Some(ip), _) => {
            value(SetupField::ClientIp, &ip.to_string(), Origin::Given, None);
            ip
        }
        (None, Some((ip, source))) => {
            value(SetupField::ClientIp, &ip.to_string(), Origin::Read, source);
            ip
        }
        (None, None) => return Err(ReadError::NoClientIp),
    };
    let mail_from = match (hints.mail_from, read.mail_from, &read.mail_domain) {
        (Some(given), _, _) => {
            value(SetupField::MailFrom, &given, Origin::Given, None);
            given
        }
        (None, Some((sender, source)), _) => {
            value(SetupField::MailFrom, &sender, Origin::Read, source);
            sender
        }
        (None, None, Some((domain, source))) => {
            let inferred = format!("postmaster@{domain}");
            let source = match source {
                Some(source) => format!("{domain}, read from {source}"),
                None => domain.clone(),
            };
            value(
                SetupField::MailFrom,
                &inferred,
                Origin::Inferred,
                Some(source),
            );
            inferred
        }
        (None, None, None) => return Err(ReadError::NoSender),
    };
    let mut setup = SendingSetup::without_helo(ip, mail_from);
    match (hints.helo, read.helo) {
        (Some(helo), _) => {
            value(SetupField::Helo, &helo, Origin::Given, None);
            setup = setup.helo(helo);
        }
        (None, Some((helo, source))) => {
            value(SetupField::Helo, &helo, Origin::Read, source);
            setup = setup.helo(helo);
        }
        (None, None) => {}
    }
    match (hints.from_domain, read.from_domain) {
        (Some(domain), _) => {
            value(SetupField::FromDomain, &domain, Origin::Given, None);
            setup = setup.from_domain(domain);
        }
        (None, Some((domain, source))) => {
            value(SetupField::FromDomain, &domain, Origin::Read, source);
            setup = setup.from_domain(domain);
        }
        (None, None) => {}
    }
    for domain in read.dkim_domains {
        setup = setup.dkim_domain(domain);
    }
    if let Some(lists) = hints.dnsbl_lists {
        setup = setup.dnsbl_lists(lists);
    }
    Ok((setup, provenance))
}

/// Diagnoses the setup a bounce describes: the sending IP, the sender and
/// the HELO name from the bounce unless `hints` gives them, then every
/// check as [`diagnose`] runs them; the report keeps the bounce, where each
/// value came from, and the checks its reason points to.
///
/// # Errors
/// [`ReadError`] when neither the bounce nor the hints give the sending
/// IP, or the sender.
pub async fn diagnose_bounce(
    resolver: &dyn DnsResolver,
    bounce: bounce::Bounce,
    hints: Hints,
) -> Result<DoctorReport, ReadError> {
    // The part that gave the value itself, else the first that mentions it.
    let source = |value: &str| {
        bounce
            .read
            .iter()
            .find(|e| e.value == value)
            .or_else(|| bounce.read.iter().find(|e| e.value.contains(value)))
            .map(|e| e.source.clone())
    };
    let with_source = |value: &String| (value.clone(), source(value));
    let mail_domain = bounce.domain.as_ref().map(with_source);
    // A domain the reply names besides the MAIL FROM domain is the From
    // domain (Gmail's DMARC reply names it).
    let mail_from_domain = hints
        .mail_from
        .as_ref()
        .or(bounce.sender.as_ref())
        .and_then(|address| address.rsplit_once('@'))
        .map(|(_, domain)| domain.to_ascii_lowercase());
    let from_domain = mail_domain
        .clone()
        .filter(|(domain, _)| mail_from_domain.as_ref().is_some_and(|m| m != domain));
    let read = ReadSetup {
        ip: bounce.client_ip.map(|ip| (ip, source(&ip.to_string()))),
        mail_from: bounce.sender.as_ref().map(with_source),
        mail_domain,
        helo: bounce.helo.as_ref().map(with_source),
        from_domain,
        dkim_domains: Vec::new(),
    };
    let (setup, provenance) = setup_from(read, hints)?;
    let mut report = checks::diagnose(resolver, &setup).await;
    report.bounce = Some(BounceContext {
        points_to: bounce.reason.checks().to_vec(),
        bounce,
        setup: provenance,
    });
    Ok(report)
}

/// Diagnoses the setup a received message's header section describes: the
/// sending IP and HELO name from the trace, the MAIL FROM from
/// `Return-Path:`, the From domain, and as DKIM passes the domains the
/// receiver recorded `dkim=pass` for (a header section alone cannot be
/// verified; [`diagnose_message`] verifies a whole message); `hints` wins
/// over each. The report compares the receiver's recorded SPF, DMARC and
/// iprev results with the checks' results now.
///
/// # Errors
/// [`ReadError`] when neither the headers nor the hints give the sending
/// IP, or the sender.
pub async fn diagnose_headers(
    resolver: &dyn DnsResolver,
    headers: headers::Headers,
    hints: Hints,
) -> Result<DoctorReport, ReadError> {
    from_headers(resolver, headers, None, hints).await
}

/// [`diagnose_headers`] for a whole received message: when the input holds
/// a body after the header section, the doctor verifies its DKIM
/// signatures (RFC 6376) and DMARC uses those that pass, instead of what
/// the receiver recorded; the report lists each signature's result.
///
/// # Errors
/// As [`diagnose_headers`].
pub async fn diagnose_message(
    resolver: &dyn DnsResolver,
    message: &[u8],
    hints: Hints,
) -> Result<DoctorReport, ReadError> {
    let message = &message[..message.len().min(headers::MAX_INPUT)];
    let read = headers::read(message);
    let has_body = [&b"\r\n\r\n"[..], b"\n\n"].iter().any(|end| {
        message
            .windows(end.len())
            .position(|w| w == *end)
            .is_some_and(|i| i + end.len() < message.len())
    });
    let dkim = if has_body {
        let config = mailauth_core::dkim::DkimConfig::default();
        Some(mailauth_core::dkim::verify(resolver, message, &config).await)
    } else {
        None
    };
    from_headers(resolver, read, dkim, hints).await
}

async fn from_headers(
    resolver: &dyn DnsResolver,
    headers: headers::Headers,
    dkim: Option<mailauth_core::dkim::DkimOutput>,
    hints: Hints,
) -> Result<DoctorReport, ReadError> {
    let trace = headers.trace_source.clone();
    let dkim_domains = match &dkim {
        Some(out) => out.passing_domains().map(str::to_owned).collect(),
        None => headers.dkim_passes().map(str::to_owned).collect(),
    };
    let read = ReadSetup {
        ip: headers.client_ip.map(|ip| (ip, trace.clone())),
        mail_from: headers
            .return_path
            .clone()
            .map(|path| (path, Some("Return-Path".to_owned()))),
        mail_domain: None,
        helo: headers.helo.clone().map(|helo| (helo, trace)),
        from_domain: headers
            .from_domain
            .clone()
            .map(|domain| (domain, Some("From".to_owned()))),
        dkim_domains,
    };
    let (mut setup, provenance) = setup_from(read, hints)?;
    setup.dkim_verified = dkim.is_some();
    let mut report = checks::diagnose(resolver, &setup).await;
    let compared = headers
        .recorded
        .iter()
        .filter_map(|recorded| {
            let check = match recorded.method.as_str() {
                "spf" => CheckKind::SpfMailFrom,
                "dmarc" => CheckKind::Dmarc,
                "iprev" => CheckKind::Iprev,
                _ => return None,
            };
            Some(Comparison {
                check,
                recorded: recorded.clone(),
                now: report.finding(check).and_then(|f| f.result.clone()),
            })
        })
        .collect();
    let dkim = dkim
        .iter()
        .flat_map(|out| &out.signatures)
        .map(|s| VerifiedSignature {
            domain: s.signature.as_ref().map(|sig| sig.domain.clone()),
            selector: s.signature.as_ref().map(|sig| sig.selector.clone()),
            result: s.result,
            reason: s.reason,
        })
        .collect();
    report.headers = Some(HeadersContext {
        headers,
        setup: provenance,
        compared,
        dkim,
    });
    Ok(report)
}

/// Audits the DKIM key record a domain publishes for `selector`
/// (`<selector>._domainkey.<domain>`, RFC 6376 §3.6): published, a key
/// record, not revoked, usable with SHA-256 and for email, not in testing,
/// an RSA key of 2048 bits or more (RFC 8301 §3.2). The fix gives the
/// record to publish when the key itself is sound.
pub async fn audit_dkim_key(resolver: &dyn DnsResolver, domain: &str, selector: &str) -> Finding {
    checks::dkim_key(resolver, domain, selector).await
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
