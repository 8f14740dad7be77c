//! The DNS seam: one small async trait, [`DnsResolver`], with exactly the
//! lookups that SPF, iprev, DNSBL and DMARC need, and two backends:
//!
//! - [`MemoryResolver`]: an in-memory zone loaded from RFC 1035 master-file
//!   text, with injectable timeouts, failures and latency and query counters.
//!   Used by unit tests, examples, benchmarks and fuzzing.
//! - `HickoryResolver` (feature `hickory`, on by default): real DNS through
//!   hickory-resolver, from the system configuration or explicit nameservers.
//!
//! A lookup answers with records or with one of the DNS outcomes of
//! [`LookupError`]. The RFCs above it decide on exactly these distinctions
//! (RFC 7208 §4.6.4 void lookups are [`LookupError::NxDomain`] and
//! [`LookupError::NoData`]; DMARC `np` applies to NXDOMAIN only, RFC 9989
//! §4.10.1), so no backend may blur them.
//!
//! ```
//! # tokio_test_block_on(async {
//! use mailauth_core::dns::{DnsResolver, LookupError, MemoryResolver};
//!
//! let zone = MemoryResolver::from_zone_text(
//!     "$ORIGIN example.com.\n\
//!      @     TXT \"v=spf1 \" \"mx -all\"\n\
//!      @     MX  10 mail\n\
//!      mail  A   192.0.2.25\n",
//! )?;
//! let txt = zone.txt("example.com").await?;
//! assert_eq!(&*txt[0].joined(), b"v=spf1 mx -all");
//! assert_eq!(zone.mx("example.com").await?[0].exchange, "mail.example.com");
//! assert_eq!(zone.a("nowhere.example.com").await, Err(LookupError::NxDomain));
//! assert_eq!(zone.aaaa("mail.example.com").await, Err(LookupError::NoData));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
//! # }
//! ```

use std::borrow::Cow;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use async_trait::async_trait;

#[cfg(feature = "tokio")]
mod cache;
mod counting;
#[cfg(feature = "hickory")]
mod hickory;
mod memory;
#[cfg(feature = "udp-mux")]
mod mux;
mod name;
pub(crate) mod wire;
mod zone;

#[cfg(feature = "tokio")]
pub use cache::{CacheConfig, CacheStats, CachingResolver};
pub use counting::CountingResolver;
#[cfg(feature = "udp-mux")]
pub(crate) use hickory::fuzz_mux_response;
#[cfg(feature = "hickory")]
pub use hickory::{HickoryResolver, HickoryResolverBuilder, ResolverError, Transport};
pub use memory::{Fault, MemoryResolver, QueryRecord};
pub(crate) use name::ipv4_text;
pub use name::{
    MAX_LABEL_LEN, MAX_NAME_LEN, NameError, ReverseName, name_within, names_equal, normalize_ip,
    reverse_name, validate_name, write_nibbles_reversed,
};
pub use zone::{RecordData, Soa, Zone, ZoneError, ZoneErrorKind, ZoneRecord};

/// The records of one answer, shared: cloning an answer does not copy it.
///
/// Never empty: an answer without records is [`LookupError::NoData`].
pub type Records<T> = Arc<[T]>;

/// What a lookup returns: the records, or the DNS outcome that stands in
/// their place.
pub type LookupResult<T> = Result<Records<T>, LookupError>;

/// A DNS outcome other than records: what RFC logic decides on when a lookup
/// brings nothing usable.
///
/// This is not a failure of mailauth: SPF turns these into `none`,
/// `temperror` or void-lookup counts, iprev into `permerror` or `temperror`,
/// and so on. Each module names the RFC section it follows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum LookupError {
    /// RCODE 3 (NXDOMAIN): the name does not exist (RFC 1035 §4.1.1,
    /// RFC 8020). After a CNAME, this is about the chain's last name
    /// (RFC 6604).
    #[error("NXDOMAIN: the name does not exist")]
    NxDomain,
    /// NOERROR with an empty answer (NODATA, RFC 2308 §2.2): the name
    /// exists, but has no record of the queried type.
    #[error("NODATA: the name has no record of that type")]
    NoData,
    /// No answer in time: the per-query timeout passed on every attempt, or
    /// no nameserver could be reached at all.
    #[error("timeout: no answer from the nameservers")]
    Timeout,
    /// The nameserver answered, but with an error (SERVFAIL, REFUSED, ...),
    /// or with something that is not a usable DNS answer.
    #[error("server failure: {0}")]
    ServerFailure(ServerFailure),
    /// The name was refused before any query was sent.
    #[error("invalid name: {0}")]
    InvalidName(#[from] NameError),
}

impl LookupError {
    /// Whether this outcome is a "void lookup" in the sense of RFC 7208
    /// §4.6.4: NXDOMAIN or NODATA.
    pub fn is_void(&self) -> bool {
        matches!(self, Self::NxDomain | Self::NoData)
    }

    /// Whether asking again later may give another answer: a timeout or a
    /// server failure (the `temperror` family of RFC 7208 §2.6.6 and
    /// RFC 8601 §2.7.3).
    pub fn is_temporary(&self) -> bool {
        matches!(self, Self::Timeout | Self::ServerFailure(_))
    }
}

/// Why a nameserver's answer could not be used.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum ServerFailure {
    /// The answer carried this error RCODE (RFC 1035 §4.1.1, RFC 6895 §2.3):
    /// 1 FORMERR, 2 SERVFAIL, 4 NOTIMP, 5 REFUSED, ...
    Rcode(u16),
    /// The answer could not be decoded, or the exchange failed in some other
    /// way; the text says how.
    Protocol(String),
}

impl ServerFailure {
    /// RCODE 2, SERVFAIL.
    pub const SERVFAIL: Self = Self::Rcode(2);
    /// RCODE 5, REFUSED.
    pub const REFUSED: Self = Self::Rcode(5);
}

impl fmt::Display for ServerFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rcode(code) => match rcode_name(*code) {
                Some(name) => f.write_str(name),
                None => write!(f, "RCODE {code}"),
            },
            Self::Protocol(text) => write!(f, "bad exchange: {text}"),
        }
    }
}

fn rcode_name(code: u16) -> Option<&'static str> {
    Some(match code {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        _ => return None,
    })
}

/// The record types a [`DnsResolver`] can be asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RecordType {
    /// IPv4 address (RFC 1035 §3.4.1).
    A,
    /// IPv6 address (RFC 3596 §2.1).
    Aaaa,
    /// Mail exchange (RFC 1035 §3.3.9).
    Mx,
    /// Domain-name pointer (RFC 1035 §3.3.12).
    Ptr,
    /// Text strings (RFC 1035 §3.3.14).
    Txt,
}

crate::token::tokens! {
    RecordType "record type" {
        A = "A",
        Aaaa = "AAAA",
        Mx = "MX",
        Ptr = "PTR",
        Txt = "TXT",
    }
}

impl RecordType {
    fn index(self) -> usize {
        self as usize
    }
}

/// One TXT record: its character-strings, each kept as sent (RFC 1035
/// §3.3.14).
///
/// SPF and DMARC read the strings joined without separators (RFC 7208
/// §3.3, RFC 9989 §4.7): [`Txt::joined`].
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Txt {
    strings: Box<[Box<[u8]>]>,
}

impl Txt {
    /// A record made of these character-strings.
    ///
    /// On the wire a character-string holds at most 255 octets; longer
    /// strings are kept whole here and split into 255-octet strings when the
    /// record is written as master-file text.
    pub fn new<S: Into<Box<[u8]>>>(strings: impl IntoIterator<Item = S>) -> Self {
        Self {
            strings: strings.into_iter().map(Into::into).collect(),
        }
    }

    /// The character-strings, in order.
    pub fn strings(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        self.strings.iter().map(|s| &**s)
    }

    /// The character-strings joined without any separator; borrowed when
    /// the record has a single string.
    pub fn joined(&self) -> Cow<'_, [u8]> {
        match &*self.strings {
            [] => Cow::Borrowed(&[]),
            [one] => Cow::Borrowed(one),
            many => Cow::Owned(many.concat()),
        }
    }
}

/// One MX record (RFC 1035 §3.3.9).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Mx {
    /// Lower is preferred.
    pub preference: u16,
    /// The mail exchanger's name, without a trailing dot; `""` is the root,
    /// as in a null MX (`0 .`, RFC 7505).
    pub exchange: String,
}

impl Mx {
    /// An MX record: `preference` (lower is preferred) and the exchange's
    /// name, without a trailing dot (`""` for a null MX).
    pub fn new(preference: u16, exchange: impl Into<String>) -> Self {
        Self {
            preference,
            exchange: exchange.into(),
        }
    }
}

/// The lookups the mail-authentication RFCs need, as one async trait.
///
/// Contracts every implementation keeps:
/// - names are absolute: a trailing dot is optional and no search domain is
///   ever appended;
/// - a name that fails [`validate_name`] gives [`LookupError::InvalidName`]
///   and no query is sent;
/// - an `Ok` answer is never empty, and holds only records of the asked
///   type, CNAMEs followed;
/// - TXT records keep their character-strings ([`Txt::joined`] joins them);
/// - MX records are sorted by preference, lowest first (stable);
/// - names in answers (MX exchange, PTR) have no trailing dot and keep the
///   case they were served in.
///
/// Implemented for `&R`, `Box<R>` and `Arc<R>`, so `Arc<dyn DnsResolver>` is
/// the usual way to share one.
#[async_trait]
pub trait DnsResolver: Send + Sync {
    /// TXT records at `name`.
    async fn txt(&self, name: &str) -> LookupResult<Txt>;
    /// IPv4 addresses of `name`.
    async fn a(&self, name: &str) -> LookupResult<Ipv4Addr>;
    /// IPv6 addresses of `name`.
    async fn aaaa(&self, name: &str) -> LookupResult<Ipv6Addr>;
    /// MX records of `name`, lowest preference first.
    async fn mx(&self, name: &str) -> LookupResult<Mx>;
    /// The PTR names of `ip`, asked at [`reverse_name`]`(ip)`. The address
    /// is used as given: see [`normalize_ip`].
    async fn ptr(&self, ip: IpAddr) -> LookupResult<String>;

    /// `question` answered with how long the answer may be kept, for
    /// caches ([`CachingResolver`]): the records or the outcome its typed
    /// method gives, and a TTL in seconds.
    ///
    /// The TTL of records is the least TTL of the records and CNAMEs that
    /// gave them (RFC 2181 §5.2); that of NXDOMAIN and NODATA is the
    /// negative-caching TTL, the lesser of the SOA record's TTL and its
    /// MINIMUM (RFC 2308 §5). `None` when the backend does not know: the
    /// default asks the typed method and knows no TTL, and a cache then
    /// uses its own defaults.
    async fn answer(&self, question: Question<'_>) -> Answer {
        Answer {
            records: ask_typed(self, question).await,
            ttl: None,
        }
    }

    /// The answer to `question` when it is at hand, without waiting: an
    /// in-memory zone's, a cache's fresh entry. `None` when getting it would
    /// take a query (or the resolver does not say), and the caller then
    /// asks the typed method. What it gives must be what the typed method
    /// would give.
    ///
    /// Callers that ask many questions in a row (SPF's check_host()) take
    /// at-hand answers synchronously and so do not build, box and poll a
    /// future per question. The default is `None`.
    ///
    /// ```
    /// use mailauth_core::dns::{DnsResolver, MemoryResolver, Question};
    /// let zone = MemoryResolver::from_zone_text("example.com. 300 IN TXT \"v=spf1 -all\"\n").unwrap();
    /// let answer = zone.at_hand(Question::Txt("example.com")).expect("at hand");
    /// assert!(answer.is_ok());
    /// ```
    fn at_hand(&self, question: Question<'_>) -> Option<Result<AnyRecords, LookupError>> {
        let _ = question;
        None
    }

    /// Who answers, in a few words, for reports that must say where their
    /// DNS data came from ("nameservers 127.0.0.1:53 (UDP, TCP fallback)",
    /// "an in-memory zone").
    fn description(&self) -> String {
        "a custom resolver".to_owned()
    }
}

macro_rules! forward_resolver {
    ($($ptr:ty),*) => {$(
        #[async_trait]
        impl<R: DnsResolver + ?Sized> DnsResolver for $ptr {
            async fn txt(&self, name: &str) -> LookupResult<Txt> {
                (**self).txt(name).await
            }
            async fn a(&self, name: &str) -> LookupResult<Ipv4Addr> {
                (**self).a(name).await
            }
            async fn aaaa(&self, name: &str) -> LookupResult<Ipv6Addr> {
                (**self).aaaa(name).await
            }
            async fn mx(&self, name: &str) -> LookupResult<Mx> {
                (**self).mx(name).await
            }
            async fn ptr(&self, ip: IpAddr) -> LookupResult<String> {
                (**self).ptr(ip).await
            }
            async fn answer(&self, question: Question<'_>) -> Answer {
                (**self).answer(question).await
            }
            fn at_hand(&self, question: Question<'_>) -> Option<Result<AnyRecords, LookupError>> {
                (**self).at_hand(question)
            }
            fn description(&self) -> String {
                (**self).description()
            }
        }
    )*};
}

forward_resolver!(&R, Box<R>, Arc<R>);

/// One question a [`DnsResolver`] answers: a record type at a name, or the
/// PTR names of an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Question<'a> {
    /// [`DnsResolver::txt`].
    Txt(&'a str),
    /// [`DnsResolver::a`].
    A(&'a str),
    /// [`DnsResolver::aaaa`].
    Aaaa(&'a str),
    /// [`DnsResolver::mx`].
    Mx(&'a str),
    /// [`DnsResolver::ptr`].
    Ptr(IpAddr),
}

impl Question<'_> {
    /// The record type asked for.
    pub fn record_type(&self) -> RecordType {
        match self {
            Self::Txt(_) => RecordType::Txt,
            Self::A(_) => RecordType::A,
            Self::Aaaa(_) => RecordType::Aaaa,
            Self::Mx(_) => RecordType::Mx,
            Self::Ptr(_) => RecordType::Ptr,
        }
    }
}

/// The records of an answer to a [`Question`], of the type it asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnyRecords {
    /// TXT records.
    Txt(Records<Txt>),
    /// IPv4 addresses.
    A(Records<Ipv4Addr>),
    /// IPv6 addresses.
    Aaaa(Records<Ipv6Addr>),
    /// MX records, lowest preference first.
    Mx(Records<Mx>),
    /// PTR names.
    Ptr(Records<String>),
}

/// What [`DnsResolver::answer`] gives: the records or the DNS outcome, and
/// how long they may be kept.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Answer {
    /// The records, of the question's type, or the outcome in their place.
    pub records: Result<AnyRecords, LookupError>,
    /// Seconds the answer may be kept, when the backend knows.
    pub ttl: Option<u32>,
}

impl Answer {
    /// An answer with its TTL (seconds), when known.
    pub fn new(records: Result<AnyRecords, LookupError>, ttl: Option<u32>) -> Self {
        Self { records, ttl }
    }
}

impl AnyRecords {
    /// The TXT records, if these are.
    pub fn into_txt(self) -> Option<Records<Txt>> {
        match self {
            Self::Txt(records) => Some(records),
            _ => None,
        }
    }

    /// The IPv4 addresses, if these are.
    pub fn into_a(self) -> Option<Records<Ipv4Addr>> {
        match self {
            Self::A(records) => Some(records),
            _ => None,
        }
    }

    /// The IPv6 addresses, if these are.
    pub fn into_aaaa(self) -> Option<Records<Ipv6Addr>> {
        match self {
            Self::Aaaa(records) => Some(records),
            _ => None,
        }
    }

    /// The MX records, if these are.
    pub fn into_mx(self) -> Option<Records<Mx>> {
        match self {
            Self::Mx(records) => Some(records),
            _ => None,
        }
    }

    /// The PTR names, if these are.
    pub fn into_ptr(self) -> Option<Records<String>> {
        match self {
            Self::Ptr(records) => Some(records),
            _ => None,
        }
    }
}

impl Answer {
    /// The records as the typed method of their question returns them:
    /// `pick` is one of [`AnyRecords::into_txt`] and its siblings. Records
    /// of another type (a resolver's bug, not a DNS outcome) are a server
    /// failure.
    pub fn typed<T>(self, pick: fn(AnyRecords) -> Option<Records<T>>) -> LookupResult<T> {
        pick(self.records?).ok_or_else(|| {
            LookupError::ServerFailure(ServerFailure::Protocol(
                "an answer with records of another type".to_owned(),
            ))
        })
    }
}

/// `question` asked through the typed method of `resolver`.
pub(crate) async fn ask_typed<R: DnsResolver + ?Sized>(
    resolver: &R,
    question: Question<'_>,
) -> Result<AnyRecords, LookupError> {
    match question {
        Question::Txt(name) => resolver.txt(name).await.map(AnyRecords::Txt),
        Question::A(name) => resolver.a(name).await.map(AnyRecords::A),
        Question::Aaaa(name) => resolver.aaaa(name).await.map(AnyRecords::Aaaa),
        Question::Mx(name) => resolver.mx(name).await.map(AnyRecords::Mx),
        Question::Ptr(ip) => resolver.ptr(ip).await.map(AnyRecords::Ptr),
    }
}

/// An answer's records as the typed lookup of their type gives them.
pub(crate) fn typed<T>(
    records: Result<AnyRecords, LookupError>,
    pick: fn(AnyRecords) -> Option<Records<T>>,
) -> LookupResult<T> {
    Answer::new(records, None).typed(pick)
}

/// Sorts MX records by preference, keeping the served order among equals
/// (the contract of [`DnsResolver::mx`]).
pub(crate) fn sort_mx(records: &mut [Mx]) {
    records.sort_by_key(|mx| mx.preference);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn txt_joins_without_separator() {
        let one = Txt::new([b"v=spf1 -all".to_vec()]);
        assert!(matches!(one.joined(), Cow::Borrowed(b"v=spf1 -all")));
        let two = Txt::new([b"v=spf1".to_vec(), b"mx".to_vec()]);
        assert_eq!(&*two.joined(), b"v=spf1mx");
        assert_eq!(two.strings().len(), 2);
        let none = Txt::new(Vec::<Vec<u8>>::new());
        assert!(none.joined().is_empty());
    }

    #[test]
    fn outcome_classes() {
        assert!(LookupError::NxDomain.is_void());
        assert!(LookupError::NoData.is_void());
        assert!(!LookupError::Timeout.is_void());
        assert!(LookupError::Timeout.is_temporary());
        assert!(LookupError::ServerFailure(ServerFailure::SERVFAIL).is_temporary());
        assert!(!LookupError::InvalidName(NameError::Empty).is_temporary());
        assert_eq!(
            LookupError::ServerFailure(ServerFailure::REFUSED).to_string(),
            "server failure: REFUSED"
        );
        assert_eq!(ServerFailure::Rcode(23).to_string(), "RCODE 23");
    }

    #[test]
    fn record_type_mnemonics() {
        for &t in RecordType::ALL {
            assert_eq!(t.as_str().to_lowercase().parse::<RecordType>(), Ok(t));
            assert_eq!(RecordType::ALL[t.index()], t);
        }
        let unknown = "SPF".parse::<RecordType>().unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "unknown record type \"SPF\" (expected A, AAAA, MX, PTR, TXT)"
        );
    }

    #[test]
    fn mx_sort_is_stable() {
        let mut mx = vec![
            Mx {
                preference: 20,
                exchange: "b".into(),
            },
            Mx {
                preference: 10,
                exchange: "z".into(),
            },
            Mx {
                preference: 20,
                exchange: "a".into(),
            },
        ];
        sort_mx(&mut mx);
        let order: Vec<_> = mx.iter().map(|m| m.exchange.as_str()).collect();
        assert_eq!(order, ["z", "b", "a"]);
    }
}
