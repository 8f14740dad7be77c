//! check_host() (RFC 7208 §4), for the MAIL FROM and HELO identities.

use std::borrow::Cow;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::dns::{
    AnyRecords, DnsResolver, LookupError, Question, Txt, name_within, names_equal, normalize_ip,
    typed, validate_name,
};

use super::macros::{MacroLetter, MacroPart, MacroString, MacroValues};
use super::parse::{ParseError, is_spf_record};
use super::record::{DualCidr, Mechanism, Qualifier, SpfRecord, Term};
use super::result::{
    Identity, NoRecordReason, SpfCause, SpfErrorKind, SpfOutput, SpfResult, TraceStep,
};
use super::speculate::{Speculation, query_limit};

/// The client IP of a check, and the case its IPv6 hex digits were written
/// in.
///
/// RFC 7208 §7.3 does not say in which case `%{i}` writes the nibbles of an
/// IPv6 address; mailauth writes them in the case the address was given
/// in: lower case for an [`IpAddr`] and for text with any lower-case hex
/// digit, upper case for text with only upper-case ones (`CAFE:BABE::1`).
/// That agrees with the RFC's own example (§7.4) and with the RFC 7208
/// conformance suite. DNS names compare case-insensitively, so only
/// explanation texts can differ; `%{c}` is always RFC 5952 lower case.
///
/// ```
/// use mailauth_core::spf::ClientIp;
/// let ip: ClientIp = "CAFE:BABE::1".parse().unwrap();
/// assert!(ip.upper_case_nibbles());
/// assert_eq!(ip.addr().to_string(), "cafe:babe::1");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientIp {
    addr: IpAddr,
    upper_case_nibbles: bool,
}

impl ClientIp {
    /// The address.
    pub fn addr(&self) -> IpAddr {
        self.addr
    }

    /// Whether `%{i}` writes IPv6 nibbles in upper case.
    pub fn upper_case_nibbles(&self) -> bool {
        self.upper_case_nibbles
    }
}

impl From<IpAddr> for ClientIp {
    fn from(addr: IpAddr) -> Self {
        Self {
            addr,
            upper_case_nibbles: false,
        }
    }
}

impl std::str::FromStr for ClientIp {
    type Err = std::net::AddrParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let addr = s.parse()?;
        let upper = s.bytes().any(|b| matches!(b, b'A'..=b'F'))
            && !s.bytes().any(|b| matches!(b, b'a'..=b'f'));
        Ok(Self {
            addr,
            upper_case_nibbles: upper,
        })
    }
}

/// The limits and defaults of an evaluation. `Default` gives the values of
/// RFC 7208 §4.6.4 and the usual defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SpfConfig {
    /// DNS-querying terms (`include`, `a`, `mx`, `ptr`, `exists`,
    /// `redirect`) per evaluation; one more is a permerror. RFC: 10.
    pub max_lookups: u32,
    /// Void lookups (NXDOMAIN or NODATA answers) per evaluation; one more
    /// is a permerror. RFC: 2. Every query of check_host() counts, those
    /// of `ptr` and `%{p}` included (RFC 7208 §4.6.4); the explanation's
    /// do not.
    pub max_void_lookups: u32,
    /// MX names an `mx` mechanism may look at; more is a permerror. RFC: 10.
    pub max_mx_names: usize,
    /// PTR names looked at by `ptr` and `%{p}`; further names are ignored.
    /// RFC: 10.
    pub max_ptr_names: usize,
    /// The whole evaluation's time limit; past it, temperror. Checked
    /// before each DNS step. Default 20 s.
    pub deadline: Duration,
    /// The explanation on `fail` when the domain gives none (RFC 7208
    /// §6.2). A macro-string: `%{d}` and friends are expanded. Parsed when
    /// set ([`Self::default_explanation`]), so a config cannot hold an
    /// invalid one.
    pub default_explanation: MacroString,
    /// The receiving host's domain: `%{r}` (RFC 7208 §7.2). Default
    /// `unknown`.
    pub receiver: String,
    /// Record a step-by-step trace in [`SpfOutput::trace`].
    pub trace: bool,
    /// Parsed records kept, keyed by record text; 0 turns the cache off.
    pub record_cache_size: usize,
    /// Send the lookups a record's terms will need as soon as it is
    /// parsed, while the terms are evaluated in order: the same queries
    /// and the same result, in about include depth times the round trip
    /// instead of one round trip per lookup, and never more queries than
    /// RFC 7208 §4.6.4 lets an evaluation send. Default on.
    pub speculate: bool,
}

impl Default for SpfConfig {
    fn default() -> Self {
        Self {
            max_lookups: 10,
            max_void_lookups: 2,
            max_mx_names: 10,
            max_ptr_names: 10,
            deadline: Duration::from_secs(20),
            default_explanation: MacroString::parse_explanation(DEFAULT_EXPLANATION)
                .unwrap_or_else(|_| unreachable!("the default explanation parses")),
            receiver: "unknown".to_owned(),
            trace: false,
            record_cache_size: 1024,
            speculate: true,
        }
    }
}

/// The explanation a `fail` gets when the domain publishes none.
const DEFAULT_EXPLANATION: &str =
    "SPF check failed for %{d}: %{i} is not authorized to send mail for %{o}";

impl SpfConfig {
    /// Sets [`Self::max_lookups`].
    pub fn max_lookups(mut self, lookups: u32) -> Self {
        self.max_lookups = lookups;
        self
    }

    /// Sets [`Self::max_void_lookups`].
    pub fn max_void_lookups(mut self, lookups: u32) -> Self {
        self.max_void_lookups = lookups;
        self
    }

    /// Sets [`Self::max_mx_names`].
    pub fn max_mx_names(mut self, names: usize) -> Self {
        self.max_mx_names = names;
        self
    }

    /// Sets [`Self::max_ptr_names`].
    pub fn max_ptr_names(mut self, names: usize) -> Self {
        self.max_ptr_names = names;
        self
    }

    /// Sets [`Self::deadline`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets [`Self::default_explanation`] from macro-string text.
    ///
    /// # Errors
    /// [`ConfigError`] when `text` is not a valid explanation macro-string
    /// (RFC 7208 §7.1), with the byte offset.
    pub fn default_explanation(mut self, text: &str) -> Result<Self, ConfigError> {
        self.default_explanation = MacroString::parse_explanation(text)?;
        Ok(self)
    }

    /// Sets [`Self::receiver`].
    pub fn receiver(mut self, receiver: impl Into<String>) -> Self {
        self.receiver = receiver.into();
        self
    }

    /// Sets [`Self::trace`].
    pub fn trace(mut self, trace: bool) -> Self {
        self.trace = trace;
        self
    }

    /// Sets [`Self::record_cache_size`].
    pub fn record_cache_size(mut self, entries: usize) -> Self {
        self.record_cache_size = entries;
        self
    }

    /// Sets [`Self::speculate`].
    pub fn speculate(mut self, speculate: bool) -> Self {
        self.speculate = speculate;
        self
    }
}

/// A parsed record, or why it does not parse.
type Parsed = Result<Arc<SpfRecord>, ParseError>;

/// Shards of the [`RecordCache`], each under its own lock.
const CACHE_SHARDS: usize = 16;

/// One shard: parsed records by their text, each entry with its text's
/// hash.
type Shard = Mutex<hashbrown::HashTable<(u64, Box<[u8]>, Parsed)>>;

/// A bounded cache of parsed records, keyed by the record's text, so a busy
/// receiver parses each distinct record once. Threads checking different
/// records take different locks, and no record is parsed under a lock (two
/// threads may then parse one new record at once; both results are the
/// same). When a shard is full, an arbitrary entry makes room.
#[derive(Debug)]
pub(super) struct RecordCache {
    shards: Box<[Shard]>,
    // Randomly seeded: the texts are DNS data, chosen by whoever publishes them.
    hasher: foldhash::fast::RandomState,
    shard_capacity: usize,
}

impl RecordCache {
    /// A cache of about `capacity` records (rounded up to a multiple of
    /// the shards); 0 parses every record afresh.
    fn new(capacity: usize) -> Self {
        Self {
            shards: (0..CACHE_SHARDS).map(|_| Mutex::default()).collect(),
            hasher: foldhash::fast::RandomState::default(),
            shard_capacity: capacity.div_ceil(CACHE_SHARDS),
        }
    }

    /// The record `text` parsed, from the cache when it is there. The text
    /// is hashed once: that hash picks the shard and finds the entry.
    pub(super) fn parse(&self, text: &[u8]) -> Parsed {
        use std::hash::BuildHasher;
        if self.shard_capacity == 0 {
            return parse_bytes(text);
        }
        let hash = self.hasher.hash_one(text);
        let shard = &self.shards[hash as usize % CACHE_SHARDS];
        let same = |entry: &(u64, Box<[u8]>, Parsed)| *entry.1 == *text;
        if let Some(hit) = shard
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .find(hash, same)
        {
            return hit.2.clone();
        }
        let parsed = parse_bytes(text);
        let mut entries = shard.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.find(hash, same).is_none() {
            if entries.len() >= self.shard_capacity
                && let Some(&(victim, ..)) = entries.iter().next()
                && let Ok(entry) = entries.find_entry(victim, |entry| entry.0 == victim)
            {
                let _evicted = entry.remove();
            }
            entries.insert_unique(hash, (hash, text.into(), parsed.clone()), |entry| entry.0);
        }
        parsed
    }

    /// The records kept now.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(PoisonError::into_inner).len())
            .sum()
    }
}

/// Parses record bytes: text that is not UTF-8 cannot be SPF (RFC 7208 §12
/// allows visible ASCII only), so it fails like any other bad character.
fn parse_bytes(text: &[u8]) -> Parsed {
    match std::str::from_utf8(text) {
        Ok(text) => SpfRecord::parse(text).map(Arc::new),
        Err(e) => {
            // Parse the valid prefix for the error position of the bad byte.
            let valid = std::str::from_utf8(&text[..e.valid_up_to()]).unwrap_or_default();
            match SpfRecord::parse(valid) {
                Err(error) => Err(error),
                Ok(_) => Err(ParseError::invalid_byte(e.valid_up_to())),
            }
        }
    }
}

/// Checks SPF: check_host() of RFC 7208 over a [`DnsResolver`].
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use mailauth_core::dns::MemoryResolver;
/// use mailauth_core::spf::{SpfConfig, SpfResult, SpfVerifier};
///
/// let zone = MemoryResolver::from_zone_text(
///     "example.com. TXT \"v=spf1 include:isp.example -all\"\n\
///      isp.example. TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n",
/// )?;
/// let spf = SpfVerifier::new(SpfConfig::default().max_void_lookups(2));
/// let relay: std::net::IpAddr = "198.51.100.25".parse()?;
/// let out = spf.check_mail_from(&zone, relay, "alice@example.com", "smtp.isp.example").await;
/// assert_eq!(out.result, SpfResult::Pass);
/// let own: std::net::IpAddr = "192.0.2.1".parse()?;
/// let out = spf.check_mail_from(&zone, own, "alice@example.com", "mail.example.com").await;
/// assert_eq!(out.result, SpfResult::Fail);
/// assert_eq!(out.matched().unwrap().to_string(), "-all");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub struct SpfVerifier {
    config: SpfConfig,
    cache: RecordCache,
}

impl SpfVerifier {
    pub(super) fn cache(&self) -> &RecordCache {
        &self.cache
    }
}

impl std::fmt::Debug for SpfVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpfVerifier")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// The configured default explanation is not a valid macro-string.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid default explanation: {0}")]
pub struct ConfigError(#[from] super::macros::MacroError);

impl Default for SpfVerifier {
    fn default() -> Self {
        Self::new(SpfConfig::default())
    }
}

impl SpfVerifier {
    /// A verifier with `config` ([`SpfConfig::default`] has the RFC's
    /// limits). It holds no resolver: each check takes one, so one
    /// verifier and its record cache serve every resolver.
    pub fn new(config: SpfConfig) -> Self {
        Self {
            cache: RecordCache::new(config.record_cache_size),
            config,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &SpfConfig {
        &self.config
    }

    /// check_host() for the MAIL FROM identity (RFC 7208 §2.4): the domain
    /// after the last `@` of `mail_from`, `postmaster` when the local part
    /// is empty. An empty `mail_from` (the null reverse-path) checks the
    /// HELO identity instead, as §2.4 requires.
    pub async fn check_mail_from(
        &self,
        resolver: &dyn DnsResolver,
        ip: impl Into<ClientIp>,
        mail_from: &str,
        helo: &str,
    ) -> SpfOutput {
        let ip = ip.into();
        if mail_from.is_empty() {
            return self.check_helo(resolver, ip, helo).await;
        }
        let (local, domain) = match mail_from.rsplit_once('@') {
            Some((local, domain)) => (local, domain),
            None => ("", mail_from),
        };
        let local = if local.is_empty() {
            "postmaster"
        } else {
            local
        };
        self.run(resolver, ip, domain, local, domain, helo).await
    }

    /// check_host() for the HELO identity (RFC 7208 §2.3): the domain is
    /// the HELO name, the sender `postmaster@<helo>`.
    pub async fn check_helo(
        &self,
        resolver: &dyn DnsResolver,
        ip: impl Into<ClientIp>,
        helo: &str,
    ) -> SpfOutput {
        let ip = ip.into();
        self.run(resolver, ip, helo, "postmaster", helo, helo).await
    }

    /// Both identities in the RFC's order (§2.3, §2.4): HELO first, then
    /// MAIL FROM. A HELO `fail` is conclusive (§2.3: the receiver may
    /// reject on it, §8.4), so MAIL FROM is not evaluated; with a null
    /// reverse-path (`mail_from` empty) the MAIL FROM identity is
    /// `postmaster@<helo>` (§2.4), which the HELO check already evaluated.
    /// Every other HELO result leaves the decision to MAIL FROM.
    pub async fn check(
        &self,
        resolver: &dyn DnsResolver,
        ip: impl Into<ClientIp>,
        mail_from: &str,
        helo: &str,
    ) -> SpfVerdict {
        let ip = ip.into();
        let helo_output = self.check_helo(resolver, ip, helo).await;
        let mail_from_output = if helo_output.result == SpfResult::Fail || mail_from.is_empty() {
            None
        } else {
            Some(self.check_mail_from(resolver, ip, mail_from, helo).await)
        };
        SpfVerdict {
            helo: helo_output,
            mail_from: mail_from_output,
        }
    }

    /// The raw check_host(ip, domain, sender) of RFC 7208 §4.
    pub async fn check_host(
        &self,
        resolver: &dyn DnsResolver,
        ip: impl Into<ClientIp>,
        domain: &str,
        sender: &str,
        helo: &str,
    ) -> SpfOutput {
        let ip = ip.into();
        let (local, sender_domain) = match sender.rsplit_once('@') {
            Some((local, d)) if !local.is_empty() => (local, d),
            Some((_, d)) => ("postmaster", d),
            None => ("postmaster", sender),
        };
        self.run(resolver, ip, domain, local, sender_domain, helo)
            .await
    }

    /// Runs check_host(); the sender is `local@sender_domain`.
    async fn run(
        &self,
        resolver: &dyn DnsResolver,
        ip: ClientIp,
        domain: &str,
        local: &str,
        sender_domain: &str,
        helo: &str,
    ) -> SpfOutput {
        let mut eval = Evaluation {
            verifier: self,
            resolver,
            ip: normalize_ip(ip.addr),
            upper_case_nibbles: ip.upper_case_nibbles,
            local_part: local,
            sender_domain,
            helo,
            lookups: 0,
            void_lookups: 0,
            trace: Vec::new(),
            validated_name: None,
            counting: true,
            // A deadline past what the clock can represent is no deadline.
            deadline: Instant::now().checked_add(self.config.deadline),
            speculation: self.config.speculate.then(|| {
                let config = &self.config;
                Speculation::new(
                    resolver,
                    query_limit(
                        config.max_lookups,
                        config.max_mx_names,
                        config.max_ptr_names,
                    ),
                )
            }),
            round: 0,
            asked_round: 0,
            after_validated_name: false,
            round_trips: 0,
            // The first DNS step reads the clock (a zero deadline has
            // passed already).
            waited: true,
        };
        let domain = domain.strip_suffix('.').unwrap_or(domain);
        let outcome = eval.check(domain.to_owned(), 0).await;
        // §6.2: only a `fail` has an explanation.
        let explanation = match &outcome {
            Ok(decision) if decision.result == SpfResult::Fail => {
                let text = eval.explanation(&decision.cause, domain).await;
                Some(crate::text::printable(&text, crate::text::MAX_REPLY_TEXT))
            }
            _ => None,
        };
        eval.finish(outcome, explanation)
    }
}

/// The outcome of [`SpfVerifier::check`]: both identities.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SpfVerdict {
    /// The HELO identity's output.
    pub helo: SpfOutput,
    /// The MAIL FROM identity's output; `None` when it was not evaluated:
    /// the HELO result was `fail`, or the reverse-path was null (then the
    /// HELO output is the MAIL FROM output too).
    pub mail_from: Option<SpfOutput>,
}

impl SpfVerdict {
    /// The identity whose output decides.
    pub fn decisive(&self) -> (Identity, &SpfOutput) {
        match &self.mail_from {
            Some(output) => (Identity::MailFrom, output),
            None => (Identity::Helo, &self.helo),
        }
    }

    /// The deciding result.
    pub fn result(&self) -> SpfResult {
        self.decisive().1.result
    }
}

/// Why an evaluation stopped before a result: a temperror or permerror.
#[derive(Debug)]
struct Abort {
    result: SpfResult,
    kind: SpfErrorKind,
    domain: String,
    detail: String,
}

impl Abort {
    fn perm(kind: SpfErrorKind, domain: &str, detail: impl Into<String>) -> Self {
        Self {
            result: SpfResult::PermError,
            kind,
            domain: domain.to_owned(),
            detail: detail.into(),
        }
    }

    fn temp(kind: SpfErrorKind, domain: &str, detail: impl Into<String>) -> Self {
        Self {
            result: SpfResult::TempError,
            kind,
            domain: domain.to_owned(),
            detail: detail.into(),
        }
    }

    fn dns(domain: &str, what: &str, name: &str, error: &LookupError) -> Self {
        Self::temp(SpfErrorKind::Dns, domain, format!("{what} {name}: {error}"))
    }
}

/// A result reached without error, with where the deciding record was
/// (for `exp=`, RFC 7208 §6.2).
#[derive(Debug)]
struct Decision {
    result: SpfResult,
    cause: Cause,
}

/// Why a check_host() call decided as it did. An `include`'s decision gives
/// only its result (§5.2), so the public [`SpfCause`] is built once, for
/// the evaluation's own decision ([`Cause::into_public`]), and an inner
/// match costs no copy of its directive.
#[derive(Debug)]
enum Cause {
    /// The directive at `term` of `domain`'s record matched.
    Matched {
        record: Arc<SpfRecord>,
        term: usize,
        domain: String,
        /// The record's round ([`Evaluation::round`]), for its `exp=`.
        round: u32,
    },
    /// No directive matched, and no `redirect=` (§4.7).
    NoMatch { domain: String },
    /// No record to evaluate (§4.3, §4.5).
    NoRecord {
        domain: String,
        reason: NoRecordReason,
    },
}

impl Cause {
    /// The domain whose record decided, or that has none.
    fn domain(&self) -> &str {
        match self {
            Self::Matched { domain, .. }
            | Self::NoMatch { domain }
            | Self::NoRecord { domain, .. } => domain,
        }
    }

    /// `{term}{domain}: {summary}`: a `none` after `include:` or
    /// `redirect=`, for the permerror's detail.
    fn after(self, term: &str) -> String {
        let domain = self.domain().to_owned();
        format!("{term}{domain}: {}", self.into_public().summary())
    }

    fn into_public(self) -> SpfCause {
        match self {
            Self::Matched {
                record,
                term,
                domain,
                ..
            } => match record.terms().get(term) {
                Some(Term::Directive(directive)) => SpfCause::Matched {
                    directive: directive.clone(),
                    domain,
                },
                // `evaluate` matches directives only; a modifier's index
                // cannot be here.
                _ => SpfCause::NoMatch { domain },
            },
            Self::NoMatch { domain } => SpfCause::NoMatch { domain },
            Self::NoRecord { domain, reason } => SpfCause::NoRecord { domain, reason },
        }
    }
}

type Step<'a, T> = Pin<Box<dyn Future<Output = Result<T, Abort>> + Send + 'a>>;

pub(super) struct Evaluation<'a> {
    pub(super) verifier: &'a SpfVerifier,
    pub(super) resolver: &'a dyn DnsResolver,
    pub(super) ip: IpAddr,
    upper_case_nibbles: bool,
    local_part: &'a str,
    sender_domain: &'a str,
    helo: &'a str,
    pub(super) lookups: u32,
    void_lookups: u32,
    trace: Vec<TraceStep>,
    /// `%{p}`, computed on first use: `Some(None)` is "unknown".
    pub(super) validated_name: Option<Option<String>>,
    /// Whether void lookups count: during check_host(), not while the
    /// explanation is expanded (its lookups count toward no limit, and
    /// nothing is sent ahead).
    pub(super) counting: bool,
    /// When the evaluation gives up (temperror); `None`: never.
    deadline: Option<Instant>,
    /// The lookups sent ahead ([`SpfConfig::speculate`]).
    pub(super) speculation: Option<Speculation<'a>>,
    /// The round trip in which the record being evaluated could arrive:
    /// 1 for the checked domain's, one more per `include` or `redirect`.
    round: u32,
    /// The round of the last question asked.
    asked_round: u32,
    /// The last expansion used `%{p}`: the next question waits for its
    /// lookups (the PTR in round 1, the names' addresses in round 2).
    after_validated_name: bool,
    /// The latest round of any question asked ([`SpfOutput::round_trips`]).
    round_trips: u32,
    /// Whether the evaluation waited for an answer since it last read the
    /// clock ([`Self::check_deadline`]).
    pub(super) waited: bool,
}

/// Whether `domain` can be checked at all (RFC 7208 §4.3): a valid name of
/// at least two labels, not an address literal.
pub(super) fn checkable_domain(domain: &str) -> bool {
    // The first dot is near the start: a plain scan finds it sooner than
    // memchr sets up.
    validate_name(domain).is_ok_and(|d| d.bytes().any(|b| b == b'.') && !d.starts_with('['))
}

/// Whether `ip` is inside `network`/`prefix`.
fn in_network(ip: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let mask = u32::MAX
                .checked_shl(32 - u32::from(prefix.min(32)))
                .unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let mask = u128::MAX
                .checked_shl(128 - u32::from(prefix.min(128)))
                .unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

impl<'a> Evaluation<'a> {
    pub(super) fn config(&self) -> &'a SpfConfig {
        &self.verifier.config
    }

    fn note(&mut self, depth: u8, domain: &str, event: impl FnOnce() -> String) {
        if self.config().trace {
            self.trace.push(TraceStep {
                depth,
                domain: domain.to_owned(),
                event: event(),
            });
        }
    }

    /// §4.6.4 asks for a bound on the whole evaluation: before each DNS
    /// step the evaluation ends in temperror if the deadline has passed. The
    /// clock is read only when the evaluation has waited for an answer
    /// since it last read it: time passes in the waits, and the steps
    /// between them, bounded by the lookup limits, take microseconds. No
    /// timer is armed (so no runtime feature is needed, and nothing can
    /// panic for want of one); a lookup in progress is bounded by the
    /// resolver's own timeout.
    fn check_deadline(&mut self, domain: &str) -> Result<(), Abort> {
        if !std::mem::take(&mut self.waited) {
            return Ok(());
        }
        if self
            .deadline
            .is_some_and(|deadline| Instant::now() > deadline)
        {
            return Err(Abort::temp(
                SpfErrorKind::Deadline,
                domain,
                format!("no result within {:?}", self.config().deadline),
            ));
        }
        Ok(())
    }

    /// Turns the outcome and its explanation into the output: the one
    /// place where internal failures become results.
    fn finish(self, outcome: Result<Decision, Abort>, explanation: Option<String>) -> SpfOutput {
        let (result, cause) = match outcome {
            Ok(decision) => (decision.result, decision.cause.into_public()),
            Err(abort) => (
                abort.result,
                SpfCause::Error {
                    kind: abort.kind,
                    domain: abort.domain,
                    detail: abort.detail,
                },
            ),
        };
        SpfOutput {
            result,
            cause,
            explanation,
            lookups: self.lookups,
            void_lookups: self.void_lookups,
            round_trips: self.round_trips,
            trace: self.trace,
        }
    }

    /// check_host() for `domain`: record lookup (§4.3-4.5), then the
    /// record's evaluation (§4.6-4.7).
    fn check(&mut self, domain: String, depth: u8) -> Step<'_, Decision> {
        Box::pin(async move {
            if !checkable_domain(&domain) {
                self.note(depth, &domain, || "not a valid domain: none".into());
                return Ok(no_record(domain, NoRecordReason::InvalidDomain));
            }
            let parent = self.round;
            self.round = parent.saturating_add(1);
            self.enter(&domain);
            let decision = self.fetch_and_evaluate(domain, depth).await;
            self.leave();
            self.round = parent;
            decision
        })
    }

    async fn fetch_and_evaluate(&mut self, domain: String, depth: u8) -> Result<Decision, Abort> {
        let record = match self.fetch_record(&domain, depth).await? {
            Ok(record) => record,
            Err(reason) => return Ok(no_record(domain, reason)),
        };
        self.entered(&record);
        self.speculate_record(&record, &domain);
        self.evaluate(record, domain, depth).await
    }

    /// The SPF record of `domain` (RFC 7208 §4.4, §4.5): TXT records only,
    /// strings joined; none is [`NoRecordReason`], several a permerror.
    async fn fetch_record(
        &mut self,
        domain: &str,
        depth: u8,
    ) -> Result<Result<Arc<SpfRecord>, NoRecordReason>, Abort> {
        self.check_deadline(domain)?;
        let answer = typed(
            self.ask(Question::Txt(domain), self.round).await,
            AnyRecords::into_txt,
        );
        // A target expanded with `%{p}` may have made it later.
        self.round = self.asked_round;
        let records = match answer {
            Ok(records) => records,
            Err(LookupError::NxDomain) => return Ok(Err(NoRecordReason::NxDomain)),
            Err(LookupError::NoData) => return Ok(Err(NoRecordReason::NoSpfRecord)),
            Err(LookupError::InvalidName(_)) => return Ok(Err(NoRecordReason::InvalidDomain)),
            Err(error) => return Err(Abort::dns(domain, "TXT", domain, &error)),
        };
        let Ok(found) = select_record(&records) else {
            return Err(Abort::perm(
                SpfErrorKind::MultipleRecords,
                domain,
                "more than one v=spf1 record",
            ));
        };
        let Some(text) = found else {
            return Ok(Err(NoRecordReason::NoSpfRecord));
        };
        self.note(depth, domain, || {
            format!("record: {}", String::from_utf8_lossy(&text))
        });
        match self.verifier.cache.parse(&text) {
            Ok(record) => Ok(Ok(record)),
            Err(error) => {
                // Escaped character by character: the formatting machinery
                // would cost a call per character.
                let mut detail = error.to_string();
                detail.push_str(" in \"");
                detail.extend(String::from_utf8_lossy(&text).escape_debug());
                detail.push('"');
                Err(Abort::perm(SpfErrorKind::Syntax, domain, detail))
            }
        }
    }

    /// Evaluates a record's directives in order, then `redirect=` (RFC 7208
    /// §4.6.2, §4.7, §6.1).
    async fn evaluate(
        &mut self,
        record: Arc<SpfRecord>,
        domain: String,
        depth: u8,
    ) -> Result<Decision, Abort> {
        for (index, term) in record.terms().iter().enumerate() {
            let Term::Directive(directive) = term else {
                continue;
            };
            self.begin_term(index);
            if directive.mechanism.queries_dns() {
                self.count_lookup(&domain)?;
            }
            // Most terms are ip4 and ip6: matched here, without building
            // and polling a mechanism's future.
            let matched = match self.local_match(&directive.mechanism) {
                Some(matched) => matched,
                None => self.mechanism(&directive.mechanism, &domain, depth).await?,
            };
            self.note(depth, &domain, || {
                format!(
                    "{directive}: {}",
                    if matched { "match" } else { "no match" }
                )
            });
            if matched {
                let result = match directive.qualifier {
                    Qualifier::Pass => SpfResult::Pass,
                    Qualifier::Fail => SpfResult::Fail,
                    Qualifier::SoftFail => SpfResult::SoftFail,
                    Qualifier::Neutral => SpfResult::Neutral,
                };
                let round = self.round;
                return Ok(Decision {
                    result,
                    cause: Cause::Matched {
                        record,
                        term: index,
                        domain,
                        round,
                    },
                });
            }
        }
        if let Some(target) = record.redirect() {
            // §6.1: only when no mechanism matched; counts as a lookup.
            self.begin_term(record.terms().len());
            self.count_lookup(&domain)?;
            let target = self.expand_domain(target, &domain).await?;
            self.note(depth, &domain, || format!("redirect={target}"));
            let decision = self.check(target, depth.saturating_add(1)).await?;
            if decision.result == SpfResult::None {
                return Err(Abort::perm(
                    SpfErrorKind::RedirectNone,
                    &domain,
                    decision.cause.after("redirect="),
                ));
            }
            return Ok(decision);
        }
        Ok(Decision {
            result: SpfResult::Neutral,
            cause: Cause::NoMatch { domain },
        })
    }

    fn count_lookup(&mut self, domain: &str) -> Result<(), Abort> {
        self.check_deadline(domain)?;
        self.lookups += 1;
        if self.lookups > self.config().max_lookups {
            return Err(Abort::perm(
                SpfErrorKind::LookupLimit,
                domain,
                format!("more than {} DNS-querying terms", self.config().max_lookups),
            ));
        }
        Ok(())
    }

    /// Counts a void lookup (RFC 7208 §4.6.4); past the limit, permerror.
    ///
    /// The one rule: every query check_host() makes whose answer is
    /// NXDOMAIN or NODATA ([`LookupError::is_void`]) counts, whichever term
    /// made it: `a` (§5.3), `mx` (§5.4: the MX query and each exchange's
    /// address query), `ptr` (§5.5: the PTR query and each name's address
    /// query), `exists` (§5.7), and the PTR and address queries of `%{p}`
    /// (§7.3). Each of these calls this function; nothing else counts.
    /// The queries of the explanation (§6.2) count toward no limit.
    fn void_lookup(&mut self, domain: &str, name: &str) -> Result<(), Abort> {
        if !self.counting {
            return Ok(());
        }
        self.void_lookups += 1;
        if self.void_lookups > self.config().max_void_lookups {
            return Err(Abort::perm(
                SpfErrorKind::VoidLookupLimit,
                domain,
                format!(
                    "more than {} void lookups (the last: {name})",
                    self.config().max_void_lookups
                ),
            ));
        }
        Ok(())
    }

    /// Whether a mechanism that needs no DNS (`all`, `ip4`, `ip6`: RFC
    /// 7208 §5.1, §5.6) matches; `None` for the others.
    fn local_match(&self, mechanism: &Mechanism) -> Option<bool> {
        match mechanism {
            Mechanism::All => Some(true),
            Mechanism::Ip4 { addr, prefix } => {
                Some(in_network(self.ip, IpAddr::V4(*addr), prefix.unwrap_or(32)))
            }
            Mechanism::Ip6 { addr, prefix } => Some(in_network(
                self.ip,
                IpAddr::V6(*addr),
                prefix.unwrap_or(128),
            )),
            _ => None,
        }
    }

    /// Whether a mechanism matches (RFC 7208 §5).
    async fn mechanism(
        &mut self,
        mechanism: &Mechanism,
        domain: &str,
        depth: u8,
    ) -> Result<bool, Abort> {
        match mechanism {
            Mechanism::All | Mechanism::Ip4 { .. } | Mechanism::Ip6 { .. } => {
                Ok(self.local_match(mechanism) == Some(true))
            }
            Mechanism::Include(spec) => {
                let target = self.expand_domain(spec, domain).await?;
                let decision = self.check(target, depth.saturating_add(1)).await?;
                // §5.2: pass matches; fail, softfail and neutral do not;
                // none is a permerror.
                match decision.result {
                    SpfResult::Pass => Ok(true),
                    SpfResult::None => Err(Abort::perm(
                        SpfErrorKind::IncludeNone,
                        domain,
                        decision.cause.after("include:"),
                    )),
                    _ => Ok(false),
                }
            }
            Mechanism::A { domain: spec, cidr } => {
                let target = self.target(spec.as_ref(), domain).await?;
                let round = self.round + 1;
                self.address_match(&target, *cidr, domain, round).await
            }
            Mechanism::Mx { domain: spec, cidr } => {
                let target = self.target(spec.as_ref(), domain).await?;
                self.mx_match(&target, *cidr, domain).await
            }
            Mechanism::Ptr(spec) => {
                let target = self.target(spec.as_ref(), domain).await?;
                self.ptr_match(&target, domain).await
            }
            Mechanism::Exists(spec) => {
                let target = self.expand_domain(spec, domain).await?;
                // §5.7: an A query, whatever the client's address family.
                let round = self.round + 1;
                match typed(
                    self.ask(Question::A(&target), round).await,
                    AnyRecords::into_a,
                ) {
                    Ok(_) => Ok(true),
                    Err(e) if e.is_void() => self.void_lookup(domain, &target).map(|()| false),
                    Err(LookupError::InvalidName(_)) => Ok(false),
                    Err(e) => Err(Abort::dns(domain, "A", &target, &e)),
                }
            }
        }
    }

    /// The target of `a`, `mx` or `ptr`: the expanded domain-spec, or the
    /// current domain.
    async fn target(&mut self, spec: Option<&MacroString>, domain: &str) -> Result<String, Abort> {
        match spec {
            Some(spec) => self.expand_domain(spec, domain).await,
            None => Ok(domain.to_owned()),
        }
    }

    /// Whether one of `name`'s addresses in the client's family is in the
    /// client's network (§5.3). A name that is not a valid domain name
    /// after expansion cannot exist: no query is sent and nothing matches.
    async fn address_match(
        &mut self,
        name: &str,
        cidr: DualCidr,
        domain: &str,
        round: u32,
    ) -> Result<bool, Abort> {
        let found = match self.ip {
            IpAddr::V4(ip) => typed(self.ask(Question::A(name), round).await, AnyRecords::into_a)
                .map(|addrs| {
                    let prefix = cidr.v4.unwrap_or(32);
                    addrs
                        .iter()
                        .any(|a| in_network(IpAddr::V4(ip), IpAddr::V4(*a), prefix))
                }),
            IpAddr::V6(ip) => typed(
                self.ask(Question::Aaaa(name), round).await,
                AnyRecords::into_aaaa,
            )
            .map(|addrs| {
                let prefix = cidr.v6.unwrap_or(128);
                addrs
                    .iter()
                    .any(|a| in_network(IpAddr::V6(ip), IpAddr::V6(*a), prefix))
            }),
        };
        match found {
            Ok(matched) => Ok(matched),
            Err(e) if e.is_void() => self.void_lookup(domain, name).map(|()| false),
            Err(LookupError::InvalidName(_)) => Ok(false),
            Err(e) => Err(Abort::dns(domain, self.address_type(), name, &e)),
        }
    }

    fn address_type(&self) -> &'static str {
        if self.ip.is_ipv4() { "A" } else { "AAAA" }
    }

    /// §5.4: the MX names of `name` (more than the limit is a permerror),
    /// then each one's addresses.
    async fn mx_match(&mut self, name: &str, cidr: DualCidr, domain: &str) -> Result<bool, Abort> {
        let round = self.round + 1;
        let exchanges = match typed(
            self.ask(Question::Mx(name), round).await,
            AnyRecords::into_mx,
        ) {
            Ok(records) => records,
            Err(e) if e.is_void() => return self.void_lookup(domain, name).map(|()| false),
            Err(LookupError::InvalidName(_)) => return Ok(false),
            Err(e) => return Err(Abort::dns(domain, "MX", name, &e)),
        };
        if exchanges.len() > self.config().max_mx_names {
            return Err(Abort::perm(
                SpfErrorKind::MxLimit,
                domain,
                format!(
                    "{name} has {} MX names, more than {}",
                    exchanges.len(),
                    self.config().max_mx_names
                ),
            ));
        }
        for mx in exchanges.iter() {
            if self
                .address_match(&mx.exchange, cidr, domain, round + 1)
                .await?
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The client's PTR names (at most the limit), or none on any error
    /// (§5.5: a failed PTR lookup makes the mechanism not match; §7.3: `%{p}`
    /// is then "unknown"). An empty answer is a void lookup.
    async fn ptr_names(&mut self, domain: &str, round: u32) -> Result<Vec<String>, Abort> {
        match typed(
            self.ask(Question::Ptr(self.ip), round).await,
            AnyRecords::into_ptr,
        ) {
            Ok(names) => Ok(names
                .iter()
                .take(self.config().max_ptr_names)
                .cloned()
                .collect()),
            Err(e) if e.is_void() => {
                let name = crate::dns::reverse_name(self.ip).to_string();
                self.void_lookup(domain, &name).map(|()| Vec::new())
            }
            Err(_) => Ok(Vec::new()),
        }
    }

    /// Whether `name` resolves (in the client's family) to the client IP.
    /// An empty answer is a void lookup; other errors skip the name (§5.5).
    async fn validates(&mut self, name: &str, domain: &str, round: u32) -> Result<bool, Abort> {
        let found = match self.ip {
            IpAddr::V4(ip) => typed(self.ask(Question::A(name), round).await, AnyRecords::into_a)
                .map(|a| a.contains(&ip)),
            IpAddr::V6(ip) => typed(
                self.ask(Question::Aaaa(name), round).await,
                AnyRecords::into_aaaa,
            )
            .map(|a| a.contains(&ip)),
        };
        match found {
            Ok(matched) => Ok(matched),
            Err(e) if e.is_void() => self.void_lookup(domain, name).map(|()| false),
            Err(_) => Ok(false),
        }
    }

    /// §5.5: a validated PTR name equal to `target` or below it.
    async fn ptr_match(&mut self, target: &str, domain: &str) -> Result<bool, Abort> {
        let round = self.round + 1;
        let names = self.ptr_names(domain, round).await?;
        for name in names.iter().filter(|n| name_within(n, target)) {
            if self.validates(name, domain, round + 1).await? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `%{p}` (§7.3): a validated PTR name, preferring `domain` itself, then
    /// a name below it, then any; "unknown" when none validates.
    async fn validated_name(&mut self, domain: &str) -> Result<Option<String>, Abort> {
        if let Some(known) = &self.validated_name {
            return Ok(known.clone());
        }
        // The PTR needs nothing before it: round 1; the names, round 2.
        let names = self.ptr_names(domain, 1).await?;
        let mut validated = Vec::new();
        for name in names {
            if self.validates(&name, domain, 2).await? {
                validated.push(name);
            }
        }
        let pick = validated
            .iter()
            .find(|n| names_equal(n, domain))
            .or_else(|| validated.iter().find(|n| name_within(n, domain)))
            .or_else(|| validated.first())
            .map(|n| n.strip_suffix('.').unwrap_or(n).to_owned());
        self.validated_name = Some(pick.clone());
        self.speculate_after_validated_name();
        Ok(pick)
    }

    /// Expands a domain-spec for `domain` (§7.3), dropping labels from the
    /// left while it is longer than 253 octets (§7.3).
    async fn expand_domain(&mut self, spec: &MacroString, domain: &str) -> Result<String, Abort> {
        // A plain name needs no expansion machinery (and no `%{p}`, as
        // `expand` would note).
        if let Some(name) = spec.as_literal() {
            self.after_validated_name = false;
            return Ok(truncate_domain(name.to_owned()));
        }
        let mut out = String::with_capacity(spec.expansion_hint());
        self.expand(spec, domain, &mut out).await?;
        Ok(truncate_domain(out))
    }

    /// Expands `spec`; fails only when `%{p}`'s lookups pass the void
    /// lookup limit.
    async fn expand(
        &mut self,
        spec: &MacroString,
        domain: &str,
        out: &mut String,
    ) -> Result<(), Abort> {
        let (mut needs_p, mut needs_t) = (false, false);
        for part in spec.parts() {
            if let MacroPart::Macro(m) = part {
                needs_p |= m.letter == MacroLetter::ValidatedName;
                needs_t |= m.letter == MacroLetter::Timestamp;
            }
        }
        let validated = if needs_p {
            // Boxed: `%{p}` is rare, and its lookups would otherwise make
            // the future of every expansion (and of every step that
            // expands) as large as theirs.
            Box::pin(self.validated_name(domain)).await?
        } else {
            None
        };
        self.after_validated_name = needs_p;
        let values = self.macro_values(
            domain,
            validated.as_deref(),
            if needs_t { now() } else { 0 },
        );
        spec.expand(&values, out);
        Ok(())
    }

    /// Answers `question` ([`Self::lookup`]). `round` is the round trip in
    /// which it could be answered at the earliest: the longest chain of
    /// questions it depends on, and itself ([`SpfOutput::round_trips`]).
    async fn ask(&mut self, question: Question<'_>, round: u32) -> Result<AnyRecords, LookupError> {
        let round = if std::mem::take(&mut self.after_validated_name) {
            // `%{p}`'s names were validated in round 2.
            round.max(3)
        } else {
            round
        };
        self.asked_round = round;
        self.round_trips = self.round_trips.max(round);
        self.lookup(question).await
    }

    /// The macro letters' values for a record of `domain`.
    pub(super) fn macro_values<'v>(
        &'v self,
        domain: &'v str,
        validated_name: Option<&'v str>,
        timestamp: u64,
    ) -> MacroValues<'v> {
        MacroValues {
            local_part: self.local_part,
            sender_domain: self.sender_domain,
            domain,
            ip: self.ip,
            upper_case_nibbles: self.upper_case_nibbles,
            validated_name,
            helo: self.helo,
            receiver: &self.config().receiver,
            timestamp,
        }
    }

    /// The explanation for a `fail` (§6.2): the deciding record's `exp=`
    /// text when it can be had, else the default.
    async fn explanation(&mut self, cause: &Cause, top: &str) -> String {
        self.counting = false;
        let Cause::Matched {
            record,
            domain,
            round,
            ..
        } = cause
        else {
            return self.default_explanation(top).await;
        };
        if let Some(spec) = record.exp()
            && let Some(text) = self.exp_text(spec, domain, round + 1).await
        {
            return text;
        }
        self.default_explanation(domain).await
    }

    /// [`SpfConfig::default_explanation`] for a record of `domain`.
    async fn default_explanation(&mut self, domain: &str) -> String {
        let default = &self.config().default_explanation;
        let mut out = String::with_capacity(default.expansion_hint());
        // Nothing counts here, so nothing can fail.
        let _ = self.expand(default, domain, &mut out).await;
        out
    }

    /// The `exp=` text, or `None` for any failure: a DNS error, not exactly
    /// one TXT record, non-ASCII text or a macro syntax error (§6.2).
    async fn exp_text(&mut self, spec: &MacroString, domain: &str, round: u32) -> Option<String> {
        let name = self.expand_domain(spec, domain).await.ok()?;
        let records = typed(
            self.ask(Question::Txt(&name), round).await,
            AnyRecords::into_txt,
        )
        .ok()?;
        let [record] = &*records else {
            return None;
        };
        let text = record.joined();
        if !text.is_ascii() {
            return None;
        }
        let text = std::str::from_utf8(&text).ok()?;
        let parsed = MacroString::parse_explanation(text).ok()?;
        let mut out = String::new();
        self.expand(&parsed, domain, &mut out).await.ok()?;
        Some(out)
    }
}

/// The one SPF record among a name's TXT records (RFC 7208 §4.5): its text
/// (strings joined), `None` when there is none, `Err` when there are
/// several.
pub(super) fn select_record(records: &[Txt]) -> Result<Option<Cow<'_, [u8]>>, ()> {
    let mut found = None;
    for txt in records {
        let text = txt.joined();
        if is_spf_record(&text) {
            if found.is_some() {
                return Err(());
            }
            found = Some(text);
        }
    }
    Ok(found)
}

fn no_record(domain: String, reason: NoRecordReason) -> Decision {
    Decision {
        result: SpfResult::None,
        cause: Cause::NoRecord { domain, reason },
    }
}

/// §7.3: "if the expanded domain name exceeds 253 characters, the left
/// side is truncated to fit, by removing successive domain labels".
pub(super) fn truncate_domain(mut name: String) -> String {
    let trailing_dot = name.ends_with('.');
    let len = |n: &str| n.len() - usize::from(trailing_dot);
    while len(&name) > crate::dns::MAX_NAME_LEN {
        match name.find('.') {
            Some(i) => {
                name.drain(..=i);
            }
            None => break,
        }
    }
    name
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_cache_shares_parses_and_stays_bounded() {
        let cache = RecordCache::new(64);
        let first = cache.parse(b"v=spf1 mx -all").unwrap();
        let again = cache.parse(b"v=spf1 mx -all").unwrap();
        assert!(Arc::ptr_eq(&first, &again), "one parse, shared");
        assert!(cache.parse(b"v=spf1 mx:").is_err());
        for i in 0..10_000 {
            let text = format!("v=spf1 ip4:10.{}.{}.0/24 -all", i / 256, i % 256);
            cache.parse(text.as_bytes()).unwrap();
            assert!(cache.len() <= 64);
        }
        let off = RecordCache::new(0);
        let (a, b) = (
            off.parse(b"v=spf1 -all").unwrap(),
            off.parse(b"v=spf1 -all").unwrap(),
        );
        assert!(!Arc::ptr_eq(&a, &b) && off.len() == 0);
        // Threads share one cache without a parse under a lock serialising them.
        let shared = Arc::new(RecordCache::new(16 * 1024));
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || {
                    for i in 0..500 {
                        let text = format!("v=spf1 ip4:10.{t}.{}.0/24 -all", i % 200);
                        assert!(shared.parse(text.as_bytes()).is_ok());
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(shared.len(), 800);
    }

    #[test]
    fn networks() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(in_network(ip("192.0.2.5"), ip("192.0.2.0"), 24));
        assert!(!in_network(ip("192.0.3.5"), ip("192.0.2.0"), 24));
        assert!(in_network(ip("1.2.3.4"), ip("9.9.9.9"), 0));
        assert!(in_network(ip("2001:db8::1"), ip("::"), 0));
        assert!(!in_network(ip("1.2.3.4"), ip("::"), 0));
        assert!(in_network(
            ip("cafe:babe:8000::1"),
            ip("cafe:babe:8000::"),
            33
        ));
    }

    #[test]
    fn truncation() {
        let long = format!("{}.example.com", vec!["abcdefghi"; 30].join("."));
        let cut = truncate_domain(long);
        assert!(cut.len() <= 253);
        assert!(cut.ends_with(".example.com"));
        assert!(cut.starts_with("abcdefghi."));
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    fn verifier(zone: &str) -> (SpfVerifier, crate::dns::MemoryResolver) {
        let dns = crate::dns::MemoryResolver::from_zone_text(zone).unwrap();
        (SpfVerifier::default(), dns)
    }

    /// check_mail_from() with a fresh verifier over `zone`.
    fn mail_from(zone: &str, ip: IpAddr, mail_from: &str, helo: &str) -> SpfOutput {
        let (spf, dns) = verifier(zone);
        block_on(spf.check_mail_from(&dns, ip, mail_from, helo))
    }

    const ZONE: &str = "mail.example.com. TXT \"v=spf1 a -all\"\n\
                        mail.example.com. A 192.0.2.1\n\
                        example.com. TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n";

    /// RFC 7208 §2.3, §2.4: HELO first; its fail is conclusive.
    #[test]
    fn combined_check_order() {
        let (spf, dns) = verifier(ZONE);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        // HELO passes, MAIL FROM decides.
        let v = block_on(spf.check(&dns, ip("192.0.2.1"), "a@example.com", "mail.example.com"));
        assert_eq!(v.helo.result, SpfResult::Pass);
        assert_eq!(
            v.mail_from.as_ref().map(|o| o.result),
            Some(SpfResult::Fail)
        );
        assert_eq!(v.decisive().0, Identity::MailFrom);
        assert_eq!(v.result(), SpfResult::Fail);
        // HELO fails: conclusive, MAIL FROM not evaluated.
        let v = block_on(spf.check(
            &dns,
            ip("198.51.100.7"),
            "a@example.com",
            "mail.example.com",
        ));
        assert_eq!(
            (v.helo.result, v.mail_from.is_none()),
            (SpfResult::Fail, true)
        );
        assert_eq!(v.result(), SpfResult::Fail);
        // HELO none (not a domain with a record): MAIL FROM decides.
        let v = block_on(spf.check(&dns, ip("198.51.100.7"), "a@example.com", "[198.51.100.7]"));
        assert_eq!(v.helo.result, SpfResult::None);
        assert_eq!(v.result(), SpfResult::Pass);
        // Null reverse-path: the HELO identity is the MAIL FROM identity.
        let v = block_on(spf.check(&dns, ip("192.0.2.1"), "", "mail.example.com"));
        assert_eq!((v.result(), v.mail_from.is_none()), (SpfResult::Pass, true));
    }

    #[test]
    fn header_renderings() {
        let (spf, dns) = verifier(ZONE);
        let ip = "192.0.2.1".parse::<IpAddr>().unwrap();
        let out = block_on(spf.check_mail_from(&dns, ip, "a@example.com", "mail.example.com"));
        let ctx = crate::spf::HeaderContext {
            identity: Identity::MailFrom,
            client_ip: ip,
            helo: "mail.example.com",
            envelope_from: "a@example.com",
            receiver: "mx.receiver.example",
        };
        assert_eq!(
            out.received_spf(&ctx),
            "fail (mx.receiver.example: matched -all in the record of example.com) client-ip=192.0.2.1; \
             envelope-from=\"a@example.com\"; helo=mail.example.com; receiver=mx.receiver.example; identity=mailfrom;"
        );
        assert_eq!(
            out.authentication_results(&ctx),
            "spf=fail smtp.mailfrom=a@example.com"
        );
        // Hostile identities: quoted or replaced, never raw CR/LF.
        let hostile = crate::spf::HeaderContext {
            identity: Identity::Helo,
            client_ip: "2001:db8::1".parse().unwrap(),
            helo: "evil\r\nX-Injected: yes",
            envelope_from: "\"quote\\\"@x\r\n",
            receiver: "r (x)",
        };
        let received = out.received_spf(&hostile);
        assert!(
            !received.contains('\r') && !received.contains('\n'),
            "{received}"
        );
        assert!(
            received.contains("helo=\"evil??X-Injected: yes\""),
            "{received}"
        );
        assert!(
            received.contains("envelope-from=\"\\\"quote\\\\\\\"@x??\""),
            "{received}"
        );
        assert!(received.contains("(r ?x?: "), "{received}");
        let ar = out.authentication_results(&hostile);
        assert_eq!(ar, "spf=fail smtp.helo=\"evil??X-Injected: yes\"");
    }

    /// §6.2 and §8.4: the explanation goes into the receiver's SMTP reply,
    /// so whatever `%{l}`, `%{s}` or the `exp=` TXT hold, it comes out as
    /// printable US-ASCII of at most MAX_REPLY_TEXT octets.
    #[test]
    fn explanations_are_safe_reply_text() {
        let zone = "exp.example. TXT \"v=spf1 -all exp=why.exp.example\"\n\
                    why.exp.example. TXT \"%{l} from %{s} \" \"%{s}%{s}%{s}%{s}%{s}%{s}%{s}%{s}%{s}%{s}%{s}%{s}\"\n\
                    ctl.example. TXT \"v=spf1 -all exp=why.ctl.example\"\n\
                    why.ctl.example. TXT \"\\013\\010\\000\\027]0\\;x\\007\"\n";
        let (spf, dns) = verifier(zone);
        let ip = "192.0.2.1".parse::<IpAddr>().unwrap();
        let local = format!("\"a\r\nX-Injected: 1\u{1b}[2J\u{2028}{}\"", "x".repeat(40));
        let sender = format!("{local}@exp.example");
        let out = block_on(spf.check_mail_from(&dns, ip, &sender, "mail.example.com"));
        assert_eq!(out.result, SpfResult::Fail);
        let text = out.explanation.unwrap();
        assert!(text.bytes().all(|b| (0x20..0x7f).contains(&b)), "{text:?}");
        assert_eq!(text.len(), crate::text::MAX_REPLY_TEXT);
        assert!(text.starts_with("\"a??X-Injected: 1?[2J?x"), "{text:?}");
        // Controls in the TXT itself are outside the macro-string grammar
        // (§7.1): the default explanation is used.
        let out = block_on(spf.check_mail_from(&dns, ip, "a@ctl.example", "mail.example.com"));
        let text = out.explanation.unwrap();
        assert!(
            text.starts_with("SPF check failed for ctl.example"),
            "{text:?}"
        );
    }

    /// §4.6.4: one rule for void lookups, whichever term or macro made
    /// the query. Each record makes three void lookups of one kind (one
    /// more than the limit); the same record with two of them passes.
    #[test]
    fn void_lookups_count_through_every_query() {
        let zone = "m.example. MX 10 n1.example.\n\
                    m.example. MX 20 n2.example.\n\
                    m.example. MX 30 n3.example.\n\
                    m2.example. MX 10 n1.example.\n\
                    m2.example. MX 20 n2.example.\n\
                    1.2.0.192.in-addr.arpa. PTR a.ptr.example.\n\
                    1.2.0.192.in-addr.arpa. PTR b.ptr.example.\n\
                    1.2.0.192.in-addr.arpa. PTR c.ptr.example.\n";
        let cases = [
            ("a", "a:n1.example a:n2.example", "a:n3.example"),
            ("mx query", "mx:n1.example mx:n2.example", "mx:n3.example"),
            ("mx exchanges", "mx:m2.example", "mx:n3.example"),
            ("mx exchanges", "", "mx:m.example"),
            (
                "exists",
                "exists:n1.example exists:n2.example",
                "exists:n3.example",
            ),
            // 192.0.2.2 has no PTR: each ptr's PTR query is void.
            ("ptr query", "ptr:a.example ptr:b.example", "ptr:c.example"),
            // Each PTR name's address query is void.
            ("ptr names", "a:n1.example", "ptr:ptr.example"),
            // %{p}: the PTR names' address queries, once for all macros.
            ("%{p} names", "", "exists:%{p}.e.example"),
            // %{p}: the PTR query of an address without PTR.
            (
                "%{p} query",
                "ptr:a.example ptr:b.example",
                "exists:%{p}.e.example",
            ),
        ];
        for (what, two, third) in cases {
            let ip: IpAddr = if what.ends_with("query") {
                "192.0.2.2"
            } else {
                "192.0.2.1"
            }
            .parse()
            .unwrap();
            let over = format!("{zone}over.example. TXT \"v=spf1 {two} {third} -all\"\n");
            let out = mail_from(&over, ip, "a@over.example", "h.example");
            assert_eq!(out.result, SpfResult::PermError, "{what}: {:?}", out.cause);
            assert!(
                matches!(
                    &out.cause,
                    SpfCause::Error {
                        kind: SpfErrorKind::VoidLookupLimit,
                        ..
                    }
                ),
                "{what}: {:?}",
                out.cause
            );
            if !two.is_empty() {
                let under = format!("{zone}under.example. TXT \"v=spf1 {two} -all\"\n");
                let out = mail_from(&under, ip, "a@under.example", "h.example");
                assert_eq!(out.result, SpfResult::Fail, "{what}: {:?}", out.cause);
            }
        }
    }

    /// §7.1 sets no upper bound on a digit transformer: more parts than
    /// the value has keeps them all.
    #[test]
    fn large_digit_transformers_keep_every_part() {
        let zone = "big.example. TXT \"v=spf1 exists:%{i200}.%{d4294967296}.x.example -all\"\n\
                    192.0.2.1.big.example.x.example. A 127.0.0.2\n";
        let ip = "192.0.2.1".parse::<IpAddr>().unwrap();
        let out = mail_from(zone, ip, "a@big.example", "h.example");
        assert_eq!(out.result, SpfResult::Pass, "{:?}", out.cause);
    }

    #[test]
    fn checkable_domains() {
        assert!(checkable_domain("example.com"));
        assert!(!checkable_domain("localhost"));
        assert!(!checkable_domain("[192.0.2.1]"));
        assert!(!checkable_domain("a..example"));
    }

    /// §4.6.4's bound on the whole evaluation: DNS that answers slowly
    /// (a chain of includes whose every answer comes late, as an attacker's
    /// nameserver can arrange) ends in temperror at the deadline, with
    /// speculation and without; an evaluation within it is unchanged.
    #[test]
    fn a_slow_chain_ends_at_the_deadline() {
        let zone = "a.example. TXT \"v=spf1 include:b.example -all\"\n\
                    b.example. TXT \"v=spf1 include:c.example -all\"\n\
                    c.example. TXT \"v=spf1 include:d.example -all\"\n\
                    d.example. TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n";
        let ip = "192.0.2.1".parse::<IpAddr>().unwrap();
        let run = |deadline: Duration, speculate: bool| {
            let mut dns = crate::dns::MemoryResolver::from_zone_text(zone).unwrap();
            dns.set_latency(Duration::from_millis(40));
            let spf =
                SpfVerifier::new(SpfConfig::default().deadline(deadline).speculate(speculate));
            tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap()
                .block_on(spf.check_mail_from(&dns, ip, "x@a.example", "h.example"))
        };
        for speculate in [true, false] {
            // Four dependent answers, 160 ms at least: past 60 ms.
            let late = run(Duration::from_millis(60), speculate);
            assert_eq!(late.result, SpfResult::TempError, "{late:?}");
            assert!(
                matches!(
                    &late.cause,
                    SpfCause::Error {
                        kind: SpfErrorKind::Deadline,
                        ..
                    }
                ),
                "{late:?}"
            );
            let within = run(Duration::from_secs(20), speculate);
            assert_eq!(within.result, SpfResult::Pass, "{within:?}");
        }
    }
}
