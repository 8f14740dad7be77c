//! DNS blocklists and allowlists, RFC 5782.
//!
//! - Query names (§2.1, §2.4, §3): IPv4 octets reversed; IPv6 as 32
//!   lower-case nibbles, least significant first, never shortened; a
//!   domain (as an IDNA A-label) prepended to the zone; an optional key
//!   label before the zone (Spamhaus DQS); names always absolute.
//! - Answers: only A records inside 127.0.0.0/8 can be listings;
//!   `127.0.0.1` and anything outside 127/8 are bad answers (a hijacking
//!   resolver), operator error codes are errors with their meaning, and
//!   several answers at once are all kept. An error is never a listing.
//! - Lists are data ([`DnsblList`]): built-in definitions and your own.
//! - All lists of one check are queried at once; [`check_bulk`] checks many
//!   targets with bounded concurrency and yields reports as they finish.
//! - [`zone_health`]: the §5 test points tell a healthy list from a dead
//!   one, one listing everything, a hijacked one or one refusing us.

mod lists;

use std::fmt::{self, Write as _};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use futures_util::future::join_all;
use futures_util::stream::{self, Stream, StreamExt};

use crate::dns::{DnsResolver, LookupError, normalize_ip, validate_name, write_nibbles_reversed};

pub use lists::{Bit, Category, Code, Codes, DnsblList, ListKind, ListPolicy};

/// What is checked: an IP address or a domain.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Target {
    /// An IP address (IPv4-mapped IPv6 is checked as IPv4).
    Ip(IpAddr),
    /// A domain name.
    Domain(String),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ip(ip) => write!(f, "{ip}"),
            Self::Domain(domain) => f.write_str(domain),
        }
    }
}

/// A domain that cannot be queried.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DnsblError {
    /// Not a domain name, even after IDNA mapping.
    #[error("invalid domain {0:?}")]
    InvalidDomain(String),
}

/// One answer address and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Listing {
    /// The A record.
    pub code: Ipv4Addr,
    /// What the list says it means.
    pub meaning: String,
    /// What it says about the sender (several for a bitmask list), in the
    /// list's table order; empty when the code is not in the table.
    pub categories: Vec<Category>,
}

/// Why a list gave no usable answer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum ListError {
    /// The query timed out.
    Timeout,
    /// The server failed (SERVFAIL, REFUSED, ...).
    ServerFailure(String),
    /// The operator's error code: not a listing.
    Operator {
        /// The code.
        code: Ipv4Addr,
        /// Its meaning.
        meaning: String,
    },
    /// An answer no list gives: 127.0.0.1 or outside 127/8, the mark of a
    /// resolver that rewrites answers.
    BadAnswer {
        /// The address.
        address: Ipv4Addr,
    },
    /// The list cannot take this target (an IPv6 address on an IPv4-only
    /// list, an IP on a domain list).
    NotApplicable,
    /// The target and the list's zone (and key) make no valid DNS name
    /// (a user-defined zone with an empty label, a name past 253 octets):
    /// nothing is asked.
    InvalidQueryName,
}

impl fmt::Display for ListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout => f.write_str("timeout"),
            Self::ServerFailure(what) => write!(f, "server failure: {what}"),
            Self::Operator { code, meaning } => write!(f, "{code}: {meaning}"),
            Self::BadAnswer { address } => {
                write!(
                    f,
                    "answer {address} is not a listing (a hijacking resolver?)"
                )
            }
            Self::NotApplicable => f.write_str("the list does not take this target"),
            Self::InvalidQueryName => {
                f.write_str("the target and the list's zone make no valid DNS name")
            }
        }
    }
}

/// One list's answer for one target.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ListOutcome {
    /// Listed, with every code (several at once on combined lists such as
    /// ZEN) and the TXT reasons when asked for.
    Listed {
        /// The codes and their meanings.
        listings: Vec<Listing>,
        /// TXT reasons (RFC 5782 §2.1), when fetched.
        reasons: Vec<String>,
    },
    /// Not listed (NXDOMAIN or NODATA).
    NotListed,
    /// No usable answer.
    Error(ListError),
}

/// One list's result.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ListResult {
    /// The list's id.
    pub list: String,
    /// Block or allow.
    pub policy: ListPolicy,
    /// The name queried.
    pub query: String,
    /// The answer.
    pub outcome: ListOutcome,
}

/// Every list's result for one target.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DnsblReport {
    /// What was checked.
    pub target: Target,
    /// One result per list, in the order given.
    pub results: Vec<ListResult>,
}

impl DnsblReport {
    /// The blocklists that list the target. An error is never a listing.
    pub fn blocked_by(&self) -> Vec<&str> {
        self.ids(ListPolicy::Block)
    }

    /// The allowlists that list the target.
    pub fn allowed_by(&self) -> Vec<&str> {
        self.ids(ListPolicy::Allow)
    }

    /// Whether any blocklist lists the target.
    pub fn listed(&self) -> bool {
        !self.blocked_by().is_empty()
    }

    /// The lists that gave no usable answer.
    pub fn errors(&self) -> Vec<(&str, &ListError)> {
        self.results
            .iter()
            .filter_map(|r| match &r.outcome {
                ListOutcome::Error(e) if *e != ListError::NotApplicable => {
                    Some((r.list.as_str(), e))
                }
                _ => None,
            })
            .collect()
    }

    fn ids(&self, policy: ListPolicy) -> Vec<&str> {
        self.results
            .iter()
            .filter(|r| r.policy == policy && matches!(r.outcome, ListOutcome::Listed { .. }))
            .map(|r| r.list.as_str())
            .collect()
    }
}

/// The DNSBL check's configuration: `Default` fetches no reasons and sets
/// no overall deadline; set values with the chaining setters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DnsblConfig {
    /// Fetch the TXT reasons of listed entries (one more query per listing
    /// list, concurrently).
    pub fetch_reasons: bool,
    /// The most one check (one target, all its lists, reasons included)
    /// may take; lists without an answer by then are
    /// [`ListError::Timeout`]. Each query is also bounded by the resolver's
    /// own timeout. Needs a tokio runtime with its time driver.
    #[cfg(feature = "tokio")]
    pub deadline: Option<std::time::Duration>,
}

impl DnsblConfig {
    /// Whether to fetch the TXT reasons of listed entries.
    pub fn fetch_reasons(mut self, fetch: bool) -> Self {
        self.fetch_reasons = fetch;
        self
    }

    /// The overall deadline of one check (see [`Self::deadline`]).
    #[cfg(feature = "tokio")]
    pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }
}

/// When a check must end, if it must (feature `tokio`).
#[derive(Clone, Copy)]
struct Deadline {
    #[cfg(feature = "tokio")]
    at: Option<tokio::time::Instant>,
}

impl Deadline {
    /// The deadline of a check starting now.
    fn start(config: &DnsblConfig) -> Self {
        #[cfg(not(feature = "tokio"))]
        let _ = config;
        Self {
            #[cfg(feature = "tokio")]
            // A deadline past what the clock can represent is none.
            at: config
                .deadline
                .and_then(|d| tokio::time::Instant::now().checked_add(d)),
        }
    }

    /// Runs `future` to its end, or to the deadline (`None`).
    async fn bound<F: std::future::Future>(self, future: F) -> Option<F::Output> {
        #[cfg(feature = "tokio")]
        if let Some(at) = self.at {
            return tokio::time::timeout_at(at, future).await.ok();
        }
        Some(future.await)
    }
}

/// The query name of `target` on `list` (RFC 5782 §2.1, §2.4, §3), a
/// valid DNS name, or why the list cannot take it.
pub fn query_name(list: &DnsblList, target: &Target) -> Result<String, ListError> {
    let mut name = String::with_capacity(96);
    match (target, list.kind) {
        (Target::Ip(ip), ListKind::Ip) => match normalize_ip(*ip) {
            IpAddr::V4(v4) => {
                let [a, b, c, d] = v4.octets();
                let _ = write!(name, "{d}.{c}.{b}.{a}.");
            }
            IpAddr::V6(v6) => {
                if !list.ipv6 {
                    return Err(ListError::NotApplicable);
                }
                let _ = write_nibbles_reversed(&mut name, v6);
            }
        },
        (Target::Domain(domain), ListKind::Domain) => {
            name.push_str(domain);
            name.push('.');
        }
        _ => return Err(ListError::NotApplicable),
    }
    name.push_str(&list.suffix());
    validate_name(&name).map_err(|_| ListError::InvalidQueryName)?;
    Ok(name)
}

/// The meaning of a list's A answers: the one function between DNS data
/// and a listing. Any error code or bad answer makes the outcome an error;
/// listings are kept in answer order.
pub fn decode_answers(list: &DnsblList, answers: &[Ipv4Addr]) -> ListOutcome {
    let mut listings = Vec::new();
    for &address in answers {
        if let Some((code, meaning)) = list.errors.iter().find(|(code, _)| *code == address) {
            return ListOutcome::Error(ListError::Operator {
                code: *code,
                meaning: meaning.clone(),
            });
        }
        let [first, _, _, last] = address.octets();
        if first != 127 || address == Ipv4Addr::new(127, 0, 0, 1) {
            return ListOutcome::Error(ListError::BadAnswer { address });
        }
        let (meaning, categories) = match &list.codes {
            Codes::Exact(table) => match table.iter().find(|c| c.address == address) {
                Some(code) => (code.meaning.clone(), code.category.into_iter().collect()),
                None => (format!("listed with unknown code {address}"), Vec::new()),
            },
            Codes::Bitmask(bits) => {
                let set: Vec<&Bit> = bits.iter().filter(|b| last & b.bit != 0).collect();
                let meaning = if set.is_empty() {
                    format!("listed with unknown bits {last:#04x}")
                } else {
                    let meanings: Vec<&str> = set.iter().map(|b| b.meaning.as_str()).collect();
                    meanings.join(", ")
                };
                let mut categories: Vec<Category> = set.iter().filter_map(|b| b.category).collect();
                categories.dedup();
                (meaning, categories)
            }
            Codes::Dnswl => {
                let [_, _, category, trust] = address.octets();
                (
                    format!("dnswl.org category {category}, trust {trust}"),
                    Vec::new(),
                )
            }
        };
        listings.push(Listing {
            code: address,
            meaning,
            categories,
        });
    }
    if listings.is_empty() {
        ListOutcome::NotListed
    } else {
        ListOutcome::Listed {
            listings,
            reasons: Vec::new(),
        }
    }
}

/// Queries one list for a target.
async fn check_list(
    resolver: &dyn DnsResolver,
    list: &DnsblList,
    target: &Target,
    options: DnsblConfig,
    deadline: Deadline,
) -> ListResult {
    let query = query_name(list, target);
    let outcome = match &query {
        Ok(query) => deadline
            .bound(query_list(resolver, list, query, options))
            .await
            .unwrap_or(ListOutcome::Error(ListError::Timeout)),
        Err(error) => ListOutcome::Error(error.clone()),
    };
    ListResult {
        list: list.id.clone(),
        policy: list.policy,
        query: query.unwrap_or_default(),
        outcome,
    }
}

/// Sends `query` to one list and decodes the answer; the TXT reasons too
/// when asked for.
async fn query_list(
    resolver: &dyn DnsResolver,
    list: &DnsblList,
    query: &str,
    options: DnsblConfig,
) -> ListOutcome {
    let mut outcome = match resolver.a(query).await {
        Ok(answers) => decode_answers(list, &answers),
        Err(e) if e.is_void() => ListOutcome::NotListed,
        Err(LookupError::Timeout) => ListOutcome::Error(ListError::Timeout),
        Err(e) => ListOutcome::Error(ListError::ServerFailure(e.to_string())),
    };
    if options.fetch_reasons
        && let ListOutcome::Listed { reasons, .. } = &mut outcome
        && let Ok(records) = resolver.txt(query).await
    {
        reasons.extend(
            records
                .iter()
                .map(|t| String::from_utf8_lossy(&t.joined()).into_owned()),
        );
    }
    outcome
}

/// Checks `target` (from [`domain_target`], or an IP) against every list
/// at once.
pub async fn check_target(
    resolver: &dyn DnsResolver,
    target: Target,
    lists: &[DnsblList],
    config: &DnsblConfig,
) -> DnsblReport {
    let deadline = Deadline::start(config);
    let results = join_all(
        lists
            .iter()
            .map(|list| check_list(resolver, list, &target, *config, deadline)),
    )
    .await;
    DnsblReport { target, results }
}

/// Checks an IP address against `lists`, all queried at once. Domain lists
/// (and IPv4-only lists, for IPv6) answer [`ListError::NotApplicable`].
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use mailauth_core::dns::MemoryResolver;
/// use mailauth_core::dnsbl::{check_ip, DnsblConfig, DnsblList};
///
/// let zone = MemoryResolver::from_zone_text(
///     "10.2.0.192.zen.spamhaus.org. A 127.0.0.10\n10.2.0.192.zen.spamhaus.org. TXT \"PBL listing\"\n",
/// )?;
/// let lists = [DnsblList::builtin("spamhaus-zen").unwrap()];
/// let config = DnsblConfig::default().fetch_reasons(true);
/// let report = check_ip(&zone, "192.0.2.10".parse()?, &lists, &config).await;
/// assert_eq!(report.blocked_by(), ["spamhaus-zen"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub async fn check_ip(
    resolver: &dyn DnsResolver,
    ip: IpAddr,
    lists: &[DnsblList],
    config: &DnsblConfig,
) -> DnsblReport {
    check_target(resolver, Target::Ip(normalize_ip(ip)), lists, config).await
}

/// Checks a domain (mapped to its IDNA A-label, RFC 5782 §3) against
/// `lists`, all queried at once.
pub async fn check_domain(
    resolver: &dyn DnsResolver,
    domain: &str,
    lists: &[DnsblList],
    config: &DnsblConfig,
) -> Result<DnsblReport, DnsblError> {
    let target = domain_target(domain)?;
    Ok(check_target(resolver, target, lists, config).await)
}

/// A domain as its lower-case A-label, validated: a DNS name whose top
/// label is not all digits (RFC 1123 §2.1; such text is a mistyped
/// address, not a domain).
pub fn domain_target(domain: &str) -> Result<Target, DnsblError> {
    let invalid = || DnsblError::InvalidDomain(domain.to_owned());
    let trimmed = domain.strip_suffix('.').unwrap_or(domain);
    let ascii = idna::domain_to_ascii(trimmed).map_err(|_| invalid())?;
    validate_name(&ascii).map_err(|_| invalid())?;
    let top = ascii.rsplit('.').next().unwrap_or_default();
    if top.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    Ok(Target::Domain(ascii))
}

/// Checks many targets against `lists`, at most `concurrency` targets at a
/// time (each with all its lists at once), yielding each report as it
/// completes.
pub fn check_bulk<'a>(
    resolver: &'a dyn DnsResolver,
    targets: impl IntoIterator<Item = Target> + 'a,
    lists: &'a [DnsblList],
    concurrency: usize,
    config: &'a DnsblConfig,
) -> impl Stream<Item = DnsblReport> + 'a {
    stream::iter(targets)
        .map(move |target| check_target(resolver, target, lists, config))
        .buffer_unordered(concurrency.max(1))
}

/// What the RFC 5782 §5 test points say about a list.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum ZoneHealth {
    /// The listed test point is listed and the unlisted one is not.
    Healthy,
    /// The listed test point is not listed: the list answers nothing.
    Dead,
    /// The unlisted test point is listed: the list (or a wildcard) lists
    /// everything.
    ListsEverything,
    /// Answers outside 127/8 or 127.0.0.1: a resolver rewrites answers.
    Hijacked(Ipv4Addr),
    /// The operator's error code: it refuses us.
    Refusing(String),
    /// DNS failed; no conclusion.
    Unknown(String),
}

/// A list's health by its test points: the IPv4 or domain ones, and the
/// IPv6 ones for lists that take IPv6.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ZoneHealthReport {
    /// From `127.0.0.2`/`127.0.0.1`, or `TEST`/`INVALID`.
    pub health: ZoneHealth,
    /// From `::FFFF:7F00:2`/`::FFFF:7F00:1`; `None` for lists that do not
    /// take IPv6.
    pub ipv6: Option<ZoneHealth>,
}

impl ZoneHealthReport {
    /// The worse of the two: the IPv6 verdict when the first is healthy.
    pub fn overall(&self) -> &ZoneHealth {
        match (&self.health, &self.ipv6) {
            (ZoneHealth::Healthy, Some(ipv6)) => ipv6,
            (health, _) => health,
        }
    }
}

/// Checks `list` with its test points (RFC 5782 §5): IPv4 127.0.0.2 listed
/// and 127.0.0.1 not; for lists that take IPv6 also `::FFFF:7F00:2` listed
/// and `::FFFF:7F00:1` not (queried as IPv6 nibbles, not as the IPv4
/// addresses they map); for domain lists `TEST` (or the list's own test
/// domain) listed and `INVALID` not.
pub async fn zone_health(resolver: &dyn DnsResolver, list: &DnsblList) -> ZoneHealthReport {
    let (listed, unlisted) = match list.kind {
        ListKind::Ip => ("2.0.0.127.".to_owned(), "1.0.0.127.".to_owned()),
        ListKind::Domain => (
            format!("{}.", list.test_domain.as_deref().unwrap_or("test")),
            "invalid.".to_owned(),
        ),
    };
    let ipv6 = (list.kind == ListKind::Ip && list.ipv6).then(|| {
        let nibbles = |last| {
            let mut name = String::with_capacity(64);
            let _ = write_nibbles_reversed(
                &mut name,
                Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0x7f00, last),
            );
            name
        };
        (nibbles(2), nibbles(1))
    });
    let (health, ipv6) =
        futures_util::join!(test_points(resolver, list, &listed, &unlisted), async {
            match &ipv6 {
                Some((listed, unlisted)) => {
                    Some(test_points(resolver, list, listed, unlisted).await)
                }
                None => None,
            }
        });
    ZoneHealthReport { health, ipv6 }
}

/// The verdict of one pair of test points, given as query-name prefixes.
async fn test_points(
    resolver: &dyn DnsResolver,
    list: &DnsblList,
    listed: &str,
    unlisted: &str,
) -> ZoneHealth {
    let suffix = list.suffix();
    let options = DnsblConfig::default();
    let (listed, unlisted) = (format!("{listed}{suffix}"), format!("{unlisted}{suffix}"));
    let (positive, negative) = futures_util::join!(
        query_list(resolver, list, &listed, options),
        query_list(resolver, list, &unlisted, options)
    );
    for outcome in [&positive, &negative] {
        match outcome {
            ListOutcome::Error(ListError::BadAnswer { address }) => {
                return ZoneHealth::Hijacked(*address);
            }
            ListOutcome::Error(ListError::Operator { meaning, .. }) => {
                return ZoneHealth::Refusing(meaning.clone());
            }
            ListOutcome::Error(other) => return ZoneHealth::Unknown(other.to_string()),
            _ => {}
        }
    }
    match (&positive, &negative) {
        (_, ListOutcome::Listed { .. }) => ZoneHealth::ListsEverything,
        (ListOutcome::NotListed, _) => ZoneHealth::Dead,
        _ => ZoneHealth::Healthy,
    }
}

#[cfg(test)]
mod tests;
