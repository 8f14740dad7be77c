//! Posture scans: the mail-authentication records of many domains, as a
//! stream of typed reports, with bounded concurrency, a deadline per domain
//! and one coalescing DNS cache shared by every check.
//!
//! Per domain ([`DomainScan`]): the SPF record and its audit through the
//! whole include tree (RFC 7208 §4.6.4 limits, includes without a record,
//! `+all`, `ptr`); DMARC discovery and validation (RFC 9989); MX, null MX
//! (RFC 7505) and each exchange's addresses and FCrDNS (RFC 8601 §3); the
//! records of MTA-STS (RFC 8461 §3.1), TLS-RPT (RFC 8460 §3) and BIMI; and
//! DKIM key records (RFC 6376 §3.6.1) for the selectors the caller names.
//! Every finding is a [`Defect`] with a stable code and a [`Severity`];
//! every DNS failure is part of the report, never a silent "no record".
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use std::sync::Arc;
//! use futures_util::StreamExt;
//! use mailauth_core::dns::MemoryResolver;
//! use mailauth_doctor::scan::{Defect, ScanConfig, Scanner};
//!
//! let zone = MemoryResolver::from_zone_text(
//!     "$ORIGIN example.com.\n\
//!      @       TXT \"v=spf1 mx +all\"\n\
//!      @       MX  10 mail\n\
//!      mail    A   192.0.2.25\n\
//!      _dmarc  TXT \"v=DMARC1; p=none\"\n",
//! )?;
//! let scanner = Scanner::new(Arc::new(zone), ScanConfig::default());
//! let reports: Vec<_> = scanner.scan(["example.com".to_owned()]).collect().await;
//! let defects = &reports[0].defects;
//! assert!(defects.contains(&Defect::SpfPlusAll));
//! assert!(defects.contains(&Defect::DmarcMonitorOnly));
//! assert!(defects.contains(&Defect::MxNoFcrdns)); // 192.0.2.25 has no PTR
//! assert_eq!(Defect::SpfPlusAll.as_str(), "spf.plus-all");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use mailauth_core::bimi::BimiRecord;
use mailauth_core::dkim::{KeyError, KeyLint, KeyType};
use mailauth_core::dmarc::{self, DiscoveryOutcome, Policy, Severity as DiagnosticSeverity};
use mailauth_core::dns::{
    CacheConfig, CacheStats, CachingResolver, CountingResolver, DnsResolver, LookupError, Mx, Txt,
};
use mailauth_core::hostname::validate_hostname;
use mailauth_core::iprev::{IprevConfig, IprevResult, iprev};
use mailauth_core::smtp_tls::{MtaStsRecord, TlsRptRecord};
use tokio::time::Instant;

use crate::checks::{PublishedKey, key_name, published_key};
use crate::spf_audit::{RecordProblem, SpfAudit, audit_spf};

/// How serious a [`Defect`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Severity {
    /// Worth knowing; nothing is broken (no MTA-STS, a null MX).
    Info,
    /// Works today, but weakens the posture or breaks at some receivers.
    Warning,
    /// A record receivers cannot use, or a check that could not be made.
    Error,
}

impl Severity {
    /// Every severity, least first.
    pub const ALL: &'static [Severity] = &[Severity::Info, Severity::Warning, Severity::Error];

    /// The stable token: `info`, `warning`, `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

macro_rules! defects {
    ($($variant:ident $code:literal $severity:ident $text:literal,)*) => {
        /// One finding of a scan: a stable code (`spf.plus-all`), a
        /// severity, and a sentence. The report's sections hold the data.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Defect {
            $(#[doc = $text] $variant,)*
        }

        impl Defect {
            /// Every defect, in the order of the report.
            pub const ALL: &'static [Defect] = &[$(Defect::$variant,)*];

            /// The stable code.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $code,)* }
            }

            /// How serious it is.
            pub fn severity(self) -> Severity {
                match self { $(Self::$variant => Severity::$severity,)* }
            }

            /// What it means, in one sentence.
            pub fn describe(self) -> &'static str {
                match self { $(Self::$variant => $text,)* }
            }

            /// The defect with this code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)* _ => None }
            }
        }
    };
}

defects! {
    DomainInvalid "domain.invalid" Error "Not a domain name (a host name of LDH labels, RFC 5321 §4.1.2): not scanned.",
    DomainNotFound "domain.not-found" Error "The domain does not exist (NXDOMAIN).",
    Deadline "scan.deadline" Error "Some checks did not finish before the domain's deadline; their sections are empty.",
    SpfNone "spf.none" Warning "No SPF record (RFC 7208 §4.5: none).",
    SpfSeveral "spf.several" Error "More than one SPF record: permerror (RFC 7208 §4.5).",
    SpfSyntax "spf.syntax" Error "The SPF record does not parse: permerror (RFC 7208 §4.6).",
    SpfDnsError "spf.dns-error" Error "A DNS query of the SPF check or its audit failed; the record or counts may be incomplete.",
    SpfTooManyLookups "spf.too-many-lookups" Error "More than 10 DNS-querying terms over the include tree: permerror (RFC 7208 §4.6.4).",
    SpfTooManyVoidLookups "spf.too-many-void-lookups" Error "More than 2 lookups that find nothing: permerror (RFC 7208 §4.6.4).",
    SpfIncludeWithoutRecord "spf.include-without-record" Error "An include: target publishes no SPF record: permerror (RFC 7208 §5.2).",
    SpfPlusAll "spf.plus-all" Error "+all: every host on the internet passes SPF.",
    SpfPtr "spf.ptr" Warning "The ptr mechanism, which RFC 7208 §5.5 says SHOULD NOT be used.",
    SpfNoAll "spf.no-all" Warning "The record ends in neither all nor redirect=: the default is neutral.",
    SpfAuditTruncated "spf.audit-truncated" Info "The include tree is larger than the audit follows; counts are lower bounds.",
    DmarcNone "dmarc.none" Warning "No DMARC record for the domain or its Organizational Domain.",
    DmarcInvalid "dmarc.invalid" Error "The DMARC record has errors, or declares no usable policy.",
    DmarcMonitorOnly "dmarc.monitor-only" Warning "p=none: failing mail is delivered as if DMARC did not exist.",
    DmarcDnsError "dmarc.dns-error" Error "A DNS query of DMARC discovery failed: the policy is unknown.",
    MxNone "mx.none" Warning "No MX record: mail goes to the domain's own address (RFC 5321 §5.1).",
    MxNull "mx.null" Info "A null MX: the domain accepts no mail (RFC 7505).",
    MxNullMixed "mx.null-mixed" Error "A null MX beside other MX records (RFC 7505 §3: MUST NOT).",
    MxDnsError "mx.dns-error" Error "The MX lookup, or an exchange's address lookup, failed.",
    MxHostWithoutAddress "mx.host-without-address" Error "An MX exchange has no A or AAAA record: mail to it cannot be delivered.",
    MxNoFcrdns "mx.no-fcrdns" Warning "An MX exchange's address has no PTR that resolves back to it (FCrDNS, RFC 8601 §3).",
    MxTruncated "mx.truncated" Info "More MX exchanges or addresses than the scan checks; only the first were checked.",
    MtaStsNone "mta-sts.none" Info "No MTA-STS record: senders may deliver without TLS.",
    MtaStsSeveral "mta-sts.several" Error "More than one MTA-STS record: senders ignore them (RFC 8461 §3.1).",
    MtaStsInvalid "mta-sts.invalid" Error "The MTA-STS record does not parse: senders ignore it (RFC 8461 §3.1).",
    MtaStsDnsError "mta-sts.dns-error" Error "The MTA-STS lookup failed.",
    TlsRptNone "tls-rpt.none" Info "No TLS-RPT record: no reports of TLS failures.",
    TlsRptSeveral "tls-rpt.several" Error "More than one TLS-RPT record: no reports are sent (RFC 8460 §3).",
    TlsRptInvalid "tls-rpt.invalid" Error "The TLS-RPT record does not parse: no reports are sent (RFC 8460 §3).",
    TlsRptDnsError "tls-rpt.dns-error" Error "The TLS-RPT lookup failed.",
    BimiNone "bimi.none" Info "No BIMI record at default._bimi.",
    BimiSeveral "bimi.several" Error "More than one BIMI record.",
    BimiInvalid "bimi.invalid" Error "The BIMI record does not parse.",
    BimiDeclined "bimi.declined" Info "The BIMI record declines to publish an indicator.",
    BimiDnsError "bimi.dns-error" Error "The BIMI lookup failed.",
    DkimNoKey "dkim.no-key" Error "A named DKIM selector publishes no key: its signatures get permerror.",
    DkimInvalid "dkim.invalid" Error "A DKIM key record does not parse: its signatures get permerror.",
    DkimRevoked "dkim.revoked" Warning "A DKIM key is revoked (empty p=).",
    DkimSha1Only "dkim.sha1-only" Error "A DKIM key allows only SHA-1, which no signature may use (RFC 8301).",
    DkimNotForEmail "dkim.not-for-email" Error "A DKIM key's s= excludes email.",
    DkimTesting "dkim.testing" Warning "A DKIM key is in testing (t=y): receivers treat signed mail as unsigned.",
    DkimShortKey "dkim.short-key" Warning "An RSA key under 2048 bits (RFC 8301 §3.2: signers SHOULD use 2048).",
    DkimDnsError "dkim.dns-error" Error "A DKIM key lookup failed.",
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Defect {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Defect {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown defect code {code:?}")))
    }
}

/// How a scan runs.
///
/// ```
/// use std::time::Duration;
/// use mailauth_doctor::scan::ScanConfig;
/// let config = ScanConfig::default()
///     .concurrency(256)
///     .deadline(Duration::from_secs(10))
///     .dkim_selectors(["selector1", "google"]);
/// assert_eq!(config.selectors().len(), 2);
/// ```
#[derive(Clone, Debug)]
pub struct ScanConfig {
    concurrency: usize,
    deadline: Duration,
    dkim_selectors: Vec<String>,
    max_mx_hosts: usize,
    max_addresses: usize,
    cache: Option<CacheConfig>,
}

impl Default for ScanConfig {
    /// 64 domains at once, 30 s per domain, no DKIM selectors, the first 5
    /// MX exchanges and 4 addresses of each, a shared cache of 100,000
    /// answers.
    fn default() -> Self {
        Self {
            concurrency: 64,
            deadline: Duration::from_secs(30),
            dkim_selectors: Vec::new(),
            max_mx_hosts: 5,
            max_addresses: 4,
            cache: Some(CacheConfig::default()),
        }
    }
}

impl ScanConfig {
    /// How many domains are scanned at once (at least 1). Each domain's
    /// checks run concurrently too; queries in flight are bounded by the
    /// resolver.
    pub fn concurrency(mut self, domains: usize) -> Self {
        self.concurrency = domains.max(1);
        self
    }

    /// The time each domain may take; checks still running then are left
    /// out of its report ([`Defect::Deadline`]).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The DKIM selectors whose key records are checked for every domain.
    pub fn dkim_selectors<S: Into<String>>(
        mut self,
        selectors: impl IntoIterator<Item = S>,
    ) -> Self {
        self.dkim_selectors = selectors.into_iter().map(Into::into).collect();
        self
    }

    /// The selectors set by [`ScanConfig::dkim_selectors`].
    pub fn selectors(&self) -> &[String] {
        &self.dkim_selectors
    }

    /// How many MX exchanges are checked, most preferred first, and how
    /// many addresses of each get an FCrDNS check. A hostile domain can
    /// publish thousands of either.
    pub fn mx_limits(mut self, hosts: usize, addresses: usize) -> Self {
        self.max_mx_hosts = hosts;
        self.max_addresses = addresses;
        self
    }

    /// The shared DNS cache: on by default; `None` sends every question.
    pub fn cache(mut self, cache: Option<CacheConfig>) -> Self {
        self.cache = cache;
        self
    }
}

/// What DNS gave for a TXT-record check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum RecordStatus {
    /// Exactly one record, and it parses.
    Valid,
    /// No record: NXDOMAIN, NODATA, or no TXT record of this kind.
    None,
    /// More than one record of this kind.
    Several,
    /// One record that does not parse.
    Invalid,
    /// The lookup failed (timeout, server failure).
    DnsError,
}

/// A parse error located in a record's text.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RecordFault {
    /// The byte offset in the record's text.
    pub offset: usize,
    /// What is wrong there.
    pub message: String,
}

/// One TXT-record check: MTA-STS, TLS-RPT or BIMI.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RecordScan<T> {
    /// The name asked (`_mta-sts.example.com`).
    pub name: String,
    /// What was found.
    pub status: RecordStatus,
    /// The records of this kind as published (character-strings joined).
    pub texts: Vec<String>,
    /// The record, when exactly one parses.
    pub record: Option<T>,
    /// Why the one record does not parse.
    pub fault: Option<RecordFault>,
    /// The failed lookup's outcome.
    pub dns_error: Option<LookupError>,
}

/// DMARC discovery (RFC 9989 §4.10) for the domain.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DmarcScan {
    /// What was found: a valid record, none, an invalid one, or a DNS
    /// failure.
    pub status: RecordStatus,
    /// The domain that published the record (the domain itself or its
    /// Organizational Domain).
    pub policy_domain: Option<String>,
    /// The record as published.
    pub record: Option<String>,
    /// The policy it declares for this domain (`p`, `sp` or `np`).
    pub policy: Option<Policy>,
    /// The aggregate-report destinations (`rua`).
    pub rua: Vec<String>,
    /// The validator's errors and warnings, located in the record.
    pub faults: Vec<RecordFault>,
    /// The failed lookup's outcome.
    pub dns_error: Option<LookupError>,
}

/// One address of an MX exchange and its FCrDNS check.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MxAddress {
    /// The address.
    pub ip: IpAddr,
    /// The iprev result (RFC 8601 §3): `pass` when a PTR name resolves
    /// back to the address.
    pub iprev: IprevResult,
    /// The PTR names that resolve back to it.
    pub confirmed: Vec<String>,
}

/// One MX exchange.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MxHost {
    /// Lower is preferred.
    pub preference: u16,
    /// The exchange's name.
    pub exchange: String,
    /// Its checked addresses, IPv4 first.
    pub addresses: Vec<MxAddress>,
    /// Addresses found beyond the scan's limit, not checked.
    pub unchecked: usize,
    /// A failed address lookup (A or AAAA), if one failed.
    pub dns_error: Option<LookupError>,
}

/// What the MX lookup found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum MxStatus {
    /// MX records naming exchanges.
    Hosts,
    /// A null MX alone (RFC 7505).
    Null,
    /// No MX record (NODATA).
    None,
    /// The domain does not exist.
    NoDomain,
    /// The lookup failed.
    DnsError,
}

/// The domain's mail exchangers.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MxScan {
    /// What the lookup found.
    pub status: MxStatus,
    /// The exchanges checked, most preferred first (a null MX is not one).
    pub hosts: Vec<MxHost>,
    /// Whether the domain publishes a null MX (alone or not).
    pub null_mx: bool,
    /// Whether exchanges or addresses were left unchecked at the limits.
    pub truncated: bool,
    /// The failed MX lookup's outcome.
    pub dns_error: Option<LookupError>,
}

/// One DKIM selector's key record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DkimKeyScan {
    /// The selector.
    pub selector: String,
    /// The name asked (`<selector>._domainkey.<domain>`).
    pub name: String,
    /// What was found; [`RecordStatus::Several`] is not used: the first
    /// record that parses is the key (RFC 6376 §6.1.2 leaves the choice
    /// to the verifier).
    pub status: RecordStatus,
    /// The key type.
    pub key_type: Option<KeyType>,
    /// The key's size in bits (0 for a revoked key).
    pub bits: u32,
    /// What should change in the record.
    pub lints: Vec<KeyLint>,
    /// Why no record parses.
    pub fault: Option<RecordFault>,
    /// The failed lookup's outcome.
    pub dns_error: Option<LookupError>,
}

/// The scan of one domain. A section is `None` when its check did not
/// finish before the deadline ([`Defect::Deadline`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DomainScan {
    /// The domain as given.
    pub domain: String,
    /// Why the domain was not scanned: it is not a valid domain name.
    pub invalid: Option<String>,
    /// Every finding, in the order of [`Defect::ALL`], each once.
    pub defects: Vec<Defect>,
    /// The SPF record and its audit.
    pub spf: Option<SpfAudit>,
    /// DMARC.
    pub dmarc: Option<DmarcScan>,
    /// MX, null MX and the exchanges' FCrDNS.
    pub mx: Option<MxScan>,
    /// `_mta-sts` (RFC 8461 §3.1; the policy file is not fetched).
    pub mta_sts: Option<RecordScan<MtaStsRecord>>,
    /// `_smtp._tls` (RFC 8460 §3).
    pub tls_rpt: Option<RecordScan<TlsRptRecord>>,
    /// `default._bimi`.
    pub bimi: Option<RecordScan<BimiRecord>>,
    /// The named DKIM selectors' keys (`None`: not finished in time).
    pub dkim: Option<Vec<DkimKeyScan>>,
    /// DNS questions this domain's checks asked (cache hits included).
    pub queries: u32,
    /// Milliseconds the domain took.
    pub elapsed_ms: u64,
}

impl DomainScan {
    /// The most serious defect's severity; `None` when there is none.
    pub fn worst(&self) -> Option<Severity> {
        self.defects.iter().map(|d| d.severity()).max()
    }

    /// The report as one line of JSON (no line break inside), as the
    /// scan's JSON-lines output writes it.
    #[cfg(feature = "serde")]
    pub fn to_json_line(&self) -> String {
        // Every field serialises (strings, numbers, tokens): this cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The CSV header row (RFC 4180) of [`DomainScan::to_csv_row`].
    pub const CSV_HEADER: &'static str =
        "domain,worst,defects,spf,dmarc_policy,mx_hosts,mta_sts,tls_rpt,bimi,queries";

    /// The report as one CSV row: the domain, the worst severity (`ok`
    /// without a defect), the
    /// defect codes separated by spaces, the SPF record, the DMARC policy,
    /// the number of MX exchanges, the three record statuses and the
    /// query count.
    pub fn to_csv_row(&self) -> String {
        let defects: Vec<&str> = self.defects.iter().map(|d| d.as_str()).collect();
        let status = |s: Option<RecordStatus>| s.map_or("", record_status_token);
        let fields = [
            self.domain.clone(),
            self.worst().map_or("ok", Severity::as_str).to_owned(),
            defects.join(" "),
            self.spf
                .as_ref()
                .and_then(|s| s.record.clone())
                .unwrap_or_default(),
            self.dmarc
                .as_ref()
                .and_then(|d| d.policy)
                .map_or(String::new(), |p| p.as_str().to_owned()),
            self.mx
                .as_ref()
                .map_or(String::new(), |m| m.hosts.len().to_string()),
            status(self.mta_sts.as_ref().map(|r| r.status)).to_owned(),
            status(self.tls_rpt.as_ref().map(|r| r.status)).to_owned(),
            status(self.bimi.as_ref().map(|r| r.status)).to_owned(),
            self.queries.to_string(),
        ];
        let fields: Vec<String> = fields.iter().map(|f| crate::cli::csv_field(f)).collect();
        fields.join(",")
    }
}

fn record_status_token(status: RecordStatus) -> &'static str {
    match status {
        RecordStatus::Valid => "valid",
        RecordStatus::None => "none",
        RecordStatus::Several => "several",
        RecordStatus::Invalid => "invalid",
        RecordStatus::DnsError => "dns-error",
    }
}

/// Scans domains; see the [module documentation](self). Cheap to clone:
/// clones share the resolver and the cache.
#[derive(Clone)]
pub struct Scanner {
    resolver: Arc<dyn DnsResolver>,
    cache: Option<Arc<CachingResolver<Arc<dyn DnsResolver>>>>,
    config: Arc<ScanConfig>,
}

impl fmt::Debug for Scanner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scanner")
            .field("resolver", &self.resolver.description())
            .field("config", &self.config)
            .finish()
    }
}

impl Scanner {
    /// A scanner asking `resolver`, through a shared cache unless the
    /// configuration turns it off.
    pub fn new(resolver: Arc<dyn DnsResolver>, config: ScanConfig) -> Self {
        let cache = config
            .cache
            .clone()
            .map(|c| Arc::new(CachingResolver::new(Arc::clone(&resolver), c)));
        let resolver = match &cache {
            Some(cache) => Arc::clone(cache) as Arc<dyn DnsResolver>,
            None => resolver,
        };
        Self {
            resolver,
            cache,
            config: Arc::new(config),
        }
    }

    /// The shared cache's counters, when there is a cache.
    pub fn cache_stats(&self) -> Option<CacheStats> {
        self.cache.as_ref().map(|c| c.stats())
    }

    /// Who answers, for the scan's output.
    pub fn resolver_description(&self) -> String {
        self.resolver.description()
    }

    /// Scans `domains` with at most [`ScanConfig::concurrency`] at once,
    /// yielding each report as it completes (not in input order). The list
    /// is read as the scan goes, so its length does not matter.
    pub fn scan<I>(&self, domains: I) -> impl Stream<Item = DomainScan> + Send + 'static
    where
        I: IntoIterator<Item = String>,
        I::IntoIter: Send + 'static,
    {
        self.scan_stream(futures_util::stream::iter(domains))
    }

    /// [`Scanner::scan`] over domains that arrive as a stream (from a
    /// channel, a socket, another task).
    pub fn scan_stream<S>(&self, domains: S) -> impl Stream<Item = DomainScan> + Send + 'static
    where
        S: Stream<Item = String> + Send + 'static,
    {
        let scanner = self.clone();
        let concurrency = self.config.concurrency;
        domains
            .map(move |domain| {
                let scanner = scanner.clone();
                async move { scanner.scan_domain(&domain).await }
            })
            .buffer_unordered(concurrency)
    }

    /// Scans one domain: every check at once, within the deadline.
    pub async fn scan_domain(&self, domain: &str) -> DomainScan {
        let start = Instant::now();
        let mut report = DomainScan {
            domain: domain.to_owned(),
            invalid: None,
            defects: Vec::new(),
            spf: None,
            dmarc: None,
            mx: None,
            mta_sts: None,
            tls_rpt: None,
            bimi: None,
            dkim: None,
            queries: 0,
            elapsed_ms: 0,
        };
        // A mail domain is a host name (RFC 5321 §4.1.2: LDH labels, IDNs
        // as A-labels); anything else in a domain list is not scanned.
        let name = match dmarc::normalize_domain(domain) {
            Ok(name) => match validate_hostname(&name) {
                Ok(_) => name,
                Err(e) => {
                    report.invalid = Some(format!("not a host name: {e}"));
                    report.defects = vec![Defect::DomainInvalid];
                    return report;
                }
            },
            Err(e) => {
                report.invalid = Some(e.to_string());
                report.defects = vec![Defect::DomainInvalid];
                return report;
            }
        };
        let dns = CountingResolver::new(&*self.resolver);
        // A deadline past what the clock can count is no deadline.
        let until = start.checked_add(self.config.deadline);
        let config = &self.config;
        let (spf, dmarc, mx, mta_sts, tls_rpt, bimi, dkim) = futures_util::join!(
            within(until, audit_spf(&dns, &name)),
            within(until, dmarc_scan(&dns, &name)),
            within(until, mx_scan(&dns, &name, config)),
            within(
                until,
                record_scan(
                    &dns,
                    format!("_mta-sts.{name}"),
                    MtaStsRecord::is_candidate,
                    |t| { MtaStsRecord::parse(t).map_err(|e| (e.offset, e.kind.to_string())) }
                )
            ),
            within(
                until,
                record_scan(
                    &dns,
                    format!("_smtp._tls.{name}"),
                    TlsRptRecord::is_candidate,
                    |t| { TlsRptRecord::parse(t).map_err(|e| (e.offset, e.kind.to_string())) }
                )
            ),
            within(
                until,
                record_scan(
                    &dns,
                    format!("default._bimi.{name}"),
                    BimiRecord::is_candidate,
                    |t| { BimiRecord::parse(t).map_err(|e| (e.offset, e.kind.to_string())) }
                )
            ),
            within(
                until,
                futures_util::future::join_all(
                    config
                        .dkim_selectors
                        .iter()
                        .map(|s| dkim_scan(&dns, &name, s))
                )
            ),
        );
        report.spf = spf;
        report.dmarc = dmarc;
        report.mx = mx;
        report.mta_sts = mta_sts;
        report.tls_rpt = tls_rpt;
        report.bimi = bimi;
        report.dkim = dkim;
        report.defects = defects(&report);
        report.queries = u32::try_from(dns.count()).unwrap_or(u32::MAX);
        report.elapsed_ms = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
        report
    }
}

async fn within<F: Future>(until: Option<Instant>, check: F) -> Option<F::Output> {
    match until {
        Some(until) => tokio::time::timeout_at(until, check).await.ok(),
        None => Some(check.await),
    }
}

/// The one record of a kind at `name`: the TXT records that
/// `is_candidate` selects, exactly one of which must parse.
async fn record_scan<T>(
    dns: &dyn DnsResolver,
    name: String,
    is_candidate: fn(&[u8]) -> bool,
    parse: impl Fn(&str) -> Result<T, (usize, String)>,
) -> RecordScan<T> {
    let mut scan = RecordScan {
        name,
        status: RecordStatus::None,
        texts: Vec::new(),
        record: None,
        fault: None,
        dns_error: None,
    };
    match dns.txt(&scan.name).await {
        Ok(txts) => {
            scan.texts = txts
                .iter()
                .map(Txt::joined)
                .filter(|t| is_candidate(t))
                .map(|t| String::from_utf8_lossy(&t).into_owned())
                .collect();
        }
        Err(e) if e.is_void() => {}
        Err(e) => {
            scan.status = RecordStatus::DnsError;
            scan.dns_error = Some(e);
            return scan;
        }
    }
    scan.status = match scan.texts.as_slice() {
        [] => RecordStatus::None,
        [one] => match parse(one) {
            Ok(record) => {
                scan.record = Some(record);
                RecordStatus::Valid
            }
            Err((offset, message)) => {
                scan.fault = Some(RecordFault { offset, message });
                RecordStatus::Invalid
            }
        },
        _ => RecordStatus::Several,
    };
    scan
}

async fn dmarc_scan(dns: &dyn DnsResolver, domain: &str) -> DmarcScan {
    let mut scan = DmarcScan {
        status: RecordStatus::None,
        policy_domain: None,
        record: None,
        policy: None,
        rua: Vec::new(),
        faults: Vec::new(),
        dns_error: None,
    };
    let discovery = match dmarc::discover_policy(dns, domain).await {
        Ok(discovery) => discovery,
        // The name was normalised by the same function: not reached.
        Err(e) => {
            scan.faults.push(RecordFault {
                offset: 0,
                message: e.to_string(),
            });
            scan.status = RecordStatus::Invalid;
            return scan;
        }
    };
    match discovery.outcome {
        DiscoveryOutcome::Found(found) => {
            let errors = found
                .diagnostics
                .iter()
                .any(|d| d.severity == DiagnosticSeverity::Error);
            scan.status = match errors || found.declared_policy.is_none() {
                true => RecordStatus::Invalid,
                false => RecordStatus::Valid,
            };
            scan.faults = found
                .diagnostics
                .iter()
                .map(|d| RecordFault {
                    offset: d.offset,
                    message: d.to_string(),
                })
                .collect();
            scan.rua = found.record.rua.iter().map(|u| u.uri.clone()).collect();
            scan.policy = found.declared_policy;
            scan.policy_domain = Some(found.policy_domain);
            scan.record = Some(found.text);
        }
        DiscoveryOutcome::NoRecord => {}
        DiscoveryOutcome::TempError { error, .. } => {
            scan.status = RecordStatus::DnsError;
            scan.dns_error = Some(error);
        }
        // A later outcome of discovery: reported as a DNS failure would
        // hide it; as no record, it is at least not a false pass.
        _ => {}
    }
    scan
}

async fn mx_scan(dns: &dyn DnsResolver, domain: &str, config: &ScanConfig) -> MxScan {
    let mut scan = MxScan {
        status: MxStatus::Hosts,
        hosts: Vec::new(),
        null_mx: false,
        truncated: false,
        dns_error: None,
    };
    let records = match dns.mx(domain).await {
        Ok(records) => records,
        Err(LookupError::NxDomain) => {
            scan.status = MxStatus::NoDomain;
            return scan;
        }
        Err(e) if e.is_void() => {
            scan.status = MxStatus::None;
            return scan;
        }
        Err(e) => {
            scan.status = MxStatus::DnsError;
            scan.dns_error = Some(e);
            return scan;
        }
    };
    // RFC 7505 §3: a null MX is the single record `0 .`.
    scan.null_mx = records.iter().any(|mx| mx.exchange.is_empty());
    if scan.null_mx && records.len() == 1 {
        scan.status = MxStatus::Null;
        return scan;
    }
    let exchanges: Vec<&Mx> = records
        .iter()
        .filter(|mx| !mx.exchange.is_empty())
        .collect();
    scan.truncated = exchanges.len() > config.max_mx_hosts;
    let hosts = exchanges
        .into_iter()
        .take(config.max_mx_hosts)
        .map(|mx| mx_host(dns, mx, config.max_addresses));
    scan.hosts = futures_util::future::join_all(hosts).await;
    scan.truncated |= scan.hosts.iter().any(|h| h.unchecked > 0);
    scan
}

async fn mx_host(dns: &dyn DnsResolver, mx: &Mx, max_addresses: usize) -> MxHost {
    let (v4, v6) = futures_util::join!(dns.a(&mx.exchange), dns.aaaa(&mx.exchange));
    let mut ips: Vec<IpAddr> = Vec::new();
    let mut dns_error = None;
    for found in [
        v4.map(|a| a.iter().map(|&ip| IpAddr::V4(ip)).collect::<Vec<_>>()),
        v6.map(|a| a.iter().map(|&ip| IpAddr::V6(ip)).collect::<Vec<_>>()),
    ] {
        match found {
            Ok(found) => ips.extend(found),
            Err(e) if e.is_void() => {}
            Err(e) => dns_error = dns_error.or(Some(e)),
        }
    }
    let config = IprevConfig::default();
    let checks = ips.iter().take(max_addresses).map(|&ip| {
        let config = &config;
        async move {
            let output = iprev(dns, ip, config).await;
            MxAddress {
                ip,
                iprev: output.result,
                confirmed: output.confirmed,
            }
        }
    });
    MxHost {
        preference: mx.preference,
        exchange: mx.exchange.clone(),
        addresses: futures_util::future::join_all(checks).await,
        unchecked: ips.len().saturating_sub(max_addresses),
        dns_error,
    }
}

async fn dkim_scan(dns: &dyn DnsResolver, domain: &str, selector: &str) -> DkimKeyScan {
    let mut scan = DkimKeyScan {
        selector: selector.to_owned(),
        name: key_name(domain, selector),
        status: RecordStatus::None,
        key_type: None,
        bits: 0,
        lints: Vec::new(),
        fault: None,
        dns_error: None,
    };
    match published_key(dns, &scan.name).await {
        PublishedKey::Missing => {}
        PublishedKey::Failed(e) => {
            scan.status = RecordStatus::DnsError;
            scan.dns_error = Some(e);
        }
        PublishedKey::Found {
            key: Ok(record), ..
        } => {
            scan.status = RecordStatus::Valid;
            scan.key_type = Some(record.key_type);
            scan.bits = record.key.as_ref().map_or(0, |k| k.bits());
            scan.lints = record.lints;
        }
        PublishedKey::Found { key: Err(e), .. } => {
            scan.status = RecordStatus::Invalid;
            scan.fault = Some(RecordFault {
                offset: match &e {
                    KeyError::Syntax(tags) => tags.offset,
                    KeyError::Base64(offset) => *offset,
                    _ => 0,
                },
                message: e.to_string(),
            });
        }
    }
    scan
}

/// The defects of a report's sections, in the order of [`Defect::ALL`],
/// each once.
fn defects(report: &DomainScan) -> Vec<Defect> {
    use Defect::*;
    let mut found = Vec::new();
    let mut add = |defect: Defect, when: bool| {
        if when {
            found.push(defect);
        }
    };
    let unfinished = report.spf.is_none()
        || report.dmarc.is_none()
        || report.mx.is_none()
        || report.mta_sts.is_none()
        || report.tls_rpt.is_none()
        || report.bimi.is_none()
        || report.dkim.is_none();
    add(Deadline, unfinished);
    if let Some(spf) = &report.spf {
        let problem = spf.problem.as_ref();
        add(
            DomainNotFound,
            matches!(problem, Some(RecordProblem::NoDomain)),
        );
        add(SpfNone, matches!(problem, Some(RecordProblem::NoRecord)));
        add(
            SpfSeveral,
            matches!(problem, Some(RecordProblem::Several { .. })),
        );
        add(
            SpfSyntax,
            matches!(problem, Some(RecordProblem::Syntax { .. })),
        );
        add(
            SpfDnsError,
            matches!(problem, Some(RecordProblem::Dns { .. })) || !spf.dns_errors.is_empty(),
        );
        add(SpfTooManyLookups, spf.dns_terms > 10);
        add(SpfTooManyVoidLookups, spf.void_lookups > 2);
        add(
            SpfIncludeWithoutRecord,
            !spf.includes_without_record.is_empty(),
        );
        add(SpfPlusAll, spf.plus_all);
        add(SpfPtr, spf.uses_ptr);
        add(SpfNoAll, spf.missing_all);
        add(SpfAuditTruncated, spf.truncated);
    } else if let Some(mx) = &report.mx {
        add(DomainNotFound, mx.status == MxStatus::NoDomain);
    }
    if let Some(dmarc) = &report.dmarc {
        add(DmarcNone, dmarc.status == RecordStatus::None);
        add(DmarcInvalid, dmarc.status == RecordStatus::Invalid);
        add(
            DmarcMonitorOnly,
            dmarc.status == RecordStatus::Valid && dmarc.policy == Some(Policy::None),
        );
        add(DmarcDnsError, dmarc.status == RecordStatus::DnsError);
    }
    if let Some(mx) = &report.mx {
        add(MxNone, mx.status == MxStatus::None);
        add(MxNull, mx.status == MxStatus::Null);
        add(MxNullMixed, mx.null_mx && mx.status != MxStatus::Null);
        add(
            MxDnsError,
            mx.status == MxStatus::DnsError || mx.hosts.iter().any(|h| h.dns_error.is_some()),
        );
        add(
            MxHostWithoutAddress,
            mx.hosts
                .iter()
                .any(|h| h.addresses.is_empty() && h.dns_error.is_none()),
        );
        add(
            MxNoFcrdns,
            mx.hosts
                .iter()
                .flat_map(|h| &h.addresses)
                .any(|a| a.iprev != IprevResult::Pass),
        );
        add(MxTruncated, mx.truncated);
    }
    for (scan, [none, several, invalid, dns_error]) in [
        (
            report.mta_sts.as_ref().map(|r| r.status),
            [MtaStsNone, MtaStsSeveral, MtaStsInvalid, MtaStsDnsError],
        ),
        (
            report.tls_rpt.as_ref().map(|r| r.status),
            [TlsRptNone, TlsRptSeveral, TlsRptInvalid, TlsRptDnsError],
        ),
        (
            report.bimi.as_ref().map(|r| r.status),
            [BimiNone, BimiSeveral, BimiInvalid, BimiDnsError],
        ),
    ] {
        add(none, scan == Some(RecordStatus::None));
        add(several, scan == Some(RecordStatus::Several));
        add(invalid, scan == Some(RecordStatus::Invalid));
        add(dns_error, scan == Some(RecordStatus::DnsError));
    }
    add(
        BimiDeclined,
        report
            .bimi
            .as_ref()
            .and_then(|b| b.record.as_ref())
            .is_some_and(BimiRecord::declines),
    );
    let keys = report.dkim.as_deref().unwrap_or_default();
    let status = |s| keys.iter().any(|k| k.status == s);
    let lint = |l| keys.iter().any(|k| k.lints.contains(&l));
    add(DkimNoKey, status(RecordStatus::None));
    add(DkimInvalid, status(RecordStatus::Invalid));
    add(DkimRevoked, lint(KeyLint::Revoked));
    add(DkimSha1Only, lint(KeyLint::Sha1Only));
    add(DkimNotForEmail, lint(KeyLint::NotForEmail));
    add(DkimTesting, lint(KeyLint::Testing));
    add(DkimShortKey, lint(KeyLint::ShortRsaKey));
    add(DkimDnsError, status(RecordStatus::DnsError));
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests;
