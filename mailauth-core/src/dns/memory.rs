//! The in-memory zone: a [`DnsResolver`] over records held in memory, for
//! tests, examples, benchmarks and fuzzing.
//!
//! It answers as one authoritative server holding every loaded name would:
//! a name with no records whose descendants have records is an empty
//! non-terminal and answers NODATA, not NXDOMAIN (RFC 8020 §2); that holds up
//! to the top-level label, above the apex of any zone a real server would
//! serve (asking a real server for a name outside its zones gives REFUSED).
//! CNAMEs are followed for every type, at most [`MemoryResolver::CNAME_LIMIT`]
//! links; a longer chain or a loop is NODATA, which is what hickory-resolver
//! reports when a real server serves a loop (the parity test checks this).
//!
//! On top of the data, tests can inject faults ([`Fault`]) at a name, or at a
//! name and type, add latency to every answer (feature `tokio`), and read
//! counters of the queries asked and of the most queries in flight at once.

use foldhash::HashMap;
use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
#[cfg(feature = "tokio")]
use std::time::Duration;

use async_trait::async_trait;

use super::name::{reverse_name, validate_name};
use super::zone::{RecordData, Zone, ZoneError, ZoneRecord};
use super::{
    AnyRecords, DnsResolver, LookupError, LookupResult, Mx, Question, RecordType, Records,
    ServerFailure, Txt, typed,
};

/// A failure to answer with, instead of the data; see
/// [`MemoryResolver::inject`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// The query times out: [`LookupError::Timeout`], at once.
    Timeout,
    /// The server answers with this RCODE: [`LookupError::ServerFailure`].
    Rcode(u16),
}

/// One query the in-memory zone was asked, as logged by
/// [`MemoryResolver::enable_query_log`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueryRecord {
    /// The name as asked, without a trailing dot (for PTR, the reverse name).
    pub name: String,
    /// The type asked for.
    pub record_type: RecordType,
}

#[derive(Default)]
struct Node {
    a: Option<Records<Ipv4Addr>>,
    aaaa: Option<Records<Ipv6Addr>>,
    mx: Option<Records<Mx>>,
    ptr: Option<Records<String>>,
    txt: Option<Records<Txt>>,
    cname: Option<Box<str>>,
    /// The owner name is one a query can ask as it stands: valid, without
    /// a trailing dot (it is lower case already). A query for such a name
    /// needs no validation or case folding of its own.
    canonical: bool,
}

impl Node {
    fn at(name: &str) -> Self {
        Self {
            canonical: validate_name(name).is_ok_and(|valid| valid.len() == name.len()),
            ..Self::default()
        }
    }
}

/// Appends `values` to a shared answer, building it once: zones are loaded
/// once and read many times, so answers are stored ready to hand out, and
/// loading stays linear however many records share a name.
fn extend<T: Clone>(slot: &mut Option<Records<T>>, values: Vec<T>) {
    if values.is_empty() {
        return;
    }
    let mut all = slot.as_deref().map(<[T]>::to_vec).unwrap_or_default();
    all.extend(values);
    *slot = Some(all.into());
}

/// The records of one name being added, by type.
#[derive(Default)]
struct Batch {
    a: Vec<Ipv4Addr>,
    aaaa: Vec<Ipv6Addr>,
    mx: Vec<Mx>,
    ptr: Vec<String>,
    txt: Vec<Txt>,
    cname: Option<String>,
}

#[derive(Default)]
struct Counters {
    queries: [AtomicU64; RecordType::ALL.len()],
    in_flight: AtomicUsize,
    peak_in_flight: AtomicUsize,
}

/// Counts a query in flight while it lives.
struct InFlight<'a>(&'a Counters);

impl<'a> InFlight<'a> {
    fn start(counters: &'a Counters, record_type: RecordType) -> Self {
        counters.queries[record_type.index()].fetch_add(1, Ordering::Relaxed);
        let now = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        counters.peak_in_flight.fetch_max(now, Ordering::SeqCst);
        Self(counters)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A [`DnsResolver`] answering from records held in memory.
///
/// Load master-file text with [`MemoryResolver::from_zone_text`] or
/// [`MemoryResolver::add_zone_text`] (the same files the real DNS server of
/// the integration tests serves), or add records with
/// [`MemoryResolver::insert`]. Names match ASCII case-insensitively.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use mailauth_core::dns::{DnsResolver, Fault, LookupError, MemoryResolver, RecordType};
///
/// let mut zone = MemoryResolver::from_zone_text("host.example. A 192.0.2.1\n")?;
/// zone.inject("host.example", Some(RecordType::Txt), Fault::Timeout)?;
/// assert_eq!(zone.a("HOST.example.").await?[0].to_string(), "192.0.2.1");
/// assert_eq!(zone.txt("host.example").await, Err(LookupError::Timeout));
/// assert_eq!(zone.queries(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Default)]
pub struct MemoryResolver {
    nodes: HashMap<Box<str>, Node>,
    faults: HashMap<Box<str>, Vec<(Option<RecordType>, Fault)>>,
    #[cfg(feature = "tokio")]
    latency: Option<Duration>,
    counters: Counters,
    log_enabled: AtomicBool,
    log: Mutex<Vec<QueryRecord>>,
    /// What [`DnsResolver::description`] says; `None`: "an in-memory zone".
    label: Option<String>,
}

impl std::fmt::Debug for MemoryResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryResolver")
            .field("names", &self.nodes.len())
            .field("faults", &self.faults.len())
            .field("queries", &self.queries())
            .finish_non_exhaustive()
    }
}

/// The name `question` is asked at: for PTR, the address's reverse name.
fn asked_name(question: Question<'_>) -> Cow<'_, str> {
    match question {
        Question::Ptr(ip) => Cow::Owned(reverse_name(ip).to_string()),
        Question::Txt(name) | Question::A(name) | Question::Aaaa(name) | Question::Mx(name) => {
            Cow::Borrowed(name)
        }
    }
}

/// Lower-cases ASCII letters, without allocating when there are none.
fn fold_case(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

impl MemoryResolver {
    /// The longest CNAME chain followed; with one more link (or a loop) the
    /// answer is [`LookupError::NoData`].
    pub const CNAME_LIMIT: usize = 8;

    /// An empty zone: every name is NXDOMAIN.
    pub fn new() -> Self {
        Self::default()
    }

    /// A zone loaded from master-file text; see [`Zone::parse`].
    pub fn from_zone_text(text: &str) -> Result<Self, ZoneError> {
        let mut resolver = Self::new();
        resolver.add_zone_text(text)?;
        Ok(resolver)
    }

    /// Adds the records of master-file text; on error nothing is added.
    pub fn add_zone_text(&mut self, text: &str) -> Result<(), ZoneError> {
        self.add_zone(Zone::parse(text)?);
        Ok(())
    }

    /// Adds the records of a parsed zone.
    pub fn add_zone(&mut self, zone: Zone) {
        self.add_records(zone.records);
    }

    /// Adds one record. Its owner and every ancestor of the owner exist from
    /// then on. A CNAME hides the other data at its name, as a resolver sees
    /// only the alias ([`Zone::parse`] refuses such text outright).
    pub fn insert(&mut self, record: ZoneRecord) {
        self.add_records([record]);
    }

    /// Adds records, grouped by name first so that each answer is built
    /// once: linear in the number of records, however many share a name.
    fn add_records(&mut self, records: impl IntoIterator<Item = ZoneRecord>) {
        let mut batches: HashMap<String, Batch> = HashMap::default();
        for record in records {
            let batch = batches.entry(record.name.to_ascii_lowercase()).or_default();
            match record.data {
                RecordData::A(ip) => batch.a.push(ip),
                RecordData::Aaaa(ip) => batch.aaaa.push(ip),
                RecordData::Mx(mx) => batch.mx.push(mx),
                RecordData::Ptr(name) => batch.ptr.push(name),
                RecordData::Txt(txt) => batch.txt.push(txt),
                RecordData::Cname(target) => batch.cname = Some(target),
                RecordData::Ns(_) | RecordData::Soa(_) => {}
            }
        }
        for (key, batch) in batches {
            // Every ancestor becomes (at least) an empty non-terminal.
            let mut rest = key.as_str();
            while let Some((_, parent)) = rest.split_once('.') {
                self.nodes
                    .entry(parent.into())
                    .or_insert_with(|| Node::at(parent));
                rest = parent;
            }
            let node = self
                .nodes
                .entry(key.as_str().into())
                .or_insert_with(|| Node::at(&key));
            extend(&mut node.a, batch.a);
            extend(&mut node.aaaa, batch.aaaa);
            if !batch.mx.is_empty() {
                extend(&mut node.mx, batch.mx);
                if let Some(mx) = &node.mx {
                    let mut sorted = mx.to_vec();
                    super::sort_mx(&mut sorted);
                    node.mx = Some(sorted.into());
                }
            }
            extend(&mut node.ptr, batch.ptr);
            extend(&mut node.txt, batch.txt);
            if let Some(target) = batch.cname {
                node.cname = Some(target.into());
            }
        }
    }

    /// Makes queries for `name` (of `record_type` only, or of every type
    /// with `None`) fail with `fault` instead of answering. The name need
    /// not have records. Faults apply to every name of a CNAME chain.
    pub fn inject(
        &mut self,
        name: &str,
        record_type: Option<RecordType>,
        fault: Fault,
    ) -> Result<(), LookupError> {
        let name = validate_name(name)?.to_ascii_lowercase();
        self.faults
            .entry(name.into())
            .or_default()
            .push((record_type, fault));
        Ok(())
    }

    /// Names the zone in [`DnsResolver::description`], so that reports say
    /// where their data came from ("the bundled demo zone (fictional)").
    pub fn set_description(&mut self, label: impl Into<String>) {
        self.label = Some(label.into());
    }

    /// Delays every answer (and every fault) by `latency`, so that tests can
    /// see queries overlap. Needs a tokio runtime with timers enabled.
    #[cfg(feature = "tokio")]
    pub fn set_latency(&mut self, latency: Duration) {
        self.latency = Some(latency).filter(|d| !d.is_zero());
    }

    /// How many queries were asked since creation or the last
    /// [`MemoryResolver::reset_counters`], invalid names included.
    pub fn queries(&self) -> u64 {
        RecordType::ALL.iter().map(|&t| self.queries_of(t)).sum()
    }

    /// How many queries of one type were asked.
    pub fn queries_of(&self, record_type: RecordType) -> u64 {
        self.counters.queries[record_type.index()].load(Ordering::Relaxed)
    }

    /// How many queries are being answered right now.
    pub fn in_flight(&self) -> usize {
        self.counters.in_flight.load(Ordering::SeqCst)
    }

    /// The most queries that were in flight at the same time.
    pub fn peak_in_flight(&self) -> usize {
        self.counters.peak_in_flight.load(Ordering::SeqCst)
    }

    /// Sets the query counters and the peak back to zero and empties the
    /// query log.
    pub fn reset_counters(&self) {
        for counter in &self.counters.queries {
            counter.store(0, Ordering::Relaxed);
        }
        self.counters.peak_in_flight.store(0, Ordering::SeqCst);
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Starts logging every query (name and type), for tests that assert
    /// which names were asked. Off by default: it costs a lock and an
    /// allocation per query.
    pub fn enable_query_log(&self) {
        self.log_enabled.store(true, Ordering::Relaxed);
    }

    /// The queries logged since [`MemoryResolver::enable_query_log`], in the
    /// order they were asked.
    pub fn query_log(&self) -> Vec<QueryRecord> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The common path of every lookup: count, log, delay, then
    /// [`Self::resolve`].
    async fn lookup(&self, question: Question<'_>) -> Result<AnyRecords, LookupError> {
        let name = asked_name(question);
        let _in_flight = self.asked(&name, question.record_type());
        #[cfg(feature = "tokio")]
        if let Some(latency) = self.latency {
            tokio::time::sleep(latency).await;
        }
        self.resolve(question, &name)
    }

    /// Counts a question (in flight while the guard lives) and logs it.
    fn asked(&self, name: &str, record_type: RecordType) -> InFlight<'_> {
        let in_flight = InFlight::start(&self.counters, record_type);
        if self.log_enabled.load(Ordering::Relaxed) {
            self.log
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(QueryRecord {
                    name: name.strip_suffix('.').unwrap_or(name).to_owned(),
                    record_type,
                });
        }
        in_flight
    }

    /// Validates `name`, applies faults, follows CNAMEs and picks the
    /// records `question` asks for.
    fn resolve(&self, question: Question<'_>, name: &str) -> Result<AnyRecords, LookupError> {
        let record_type = question.record_type();
        // Most names are asked as the zone holds them: one hash lookup,
        // and the validation and case folding only for the others.
        let bare = name.strip_suffix('.').unwrap_or(name);
        let (mut current, mut node) = match self.nodes.get(bare) {
            Some(node) if node.canonical => (Cow::Borrowed(bare), Some(node)),
            _ => {
                let current = fold_case(validate_name(name)?);
                let node = self.nodes.get(&*current);
                (current, node)
            }
        };
        for _ in 0..=Self::CNAME_LIMIT {
            self.check_fault(&current, record_type)?;
            let found = node.ok_or(LookupError::NxDomain)?;
            if let Some(target) = &found.cname {
                current = Cow::Owned(target.to_ascii_lowercase());
                node = self.nodes.get(&*current);
                continue;
            }
            let node = found;
            let records = match question {
                Question::Txt(_) => node.txt.clone().map(AnyRecords::Txt),
                Question::A(_) => node.a.clone().map(AnyRecords::A),
                Question::Aaaa(_) => node.aaaa.clone().map(AnyRecords::Aaaa),
                Question::Mx(_) => node.mx.clone().map(AnyRecords::Mx),
                Question::Ptr(_) => node.ptr.clone().map(AnyRecords::Ptr),
            };
            return records.ok_or(LookupError::NoData);
        }
        Err(LookupError::NoData)
    }

    fn check_fault(&self, name: &str, record_type: RecordType) -> Result<(), LookupError> {
        if self.faults.is_empty() {
            return Ok(());
        }
        let Some(faults) = self.faults.get(name) else {
            return Ok(());
        };
        let fault = faults
            .iter()
            .find(|(t, _)| t.is_none_or(|t| t == record_type));
        match fault {
            None => Ok(()),
            Some((_, Fault::Timeout)) => Err(LookupError::Timeout),
            Some((_, Fault::Rcode(code))) => {
                Err(LookupError::ServerFailure(ServerFailure::Rcode(*code)))
            }
        }
    }
}

#[async_trait]
impl DnsResolver for MemoryResolver {
    async fn txt(&self, name: &str) -> LookupResult<Txt> {
        typed(self.lookup(Question::Txt(name)).await, AnyRecords::into_txt)
    }

    async fn a(&self, name: &str) -> LookupResult<Ipv4Addr> {
        typed(self.lookup(Question::A(name)).await, AnyRecords::into_a)
    }

    async fn aaaa(&self, name: &str) -> LookupResult<Ipv6Addr> {
        typed(
            self.lookup(Question::Aaaa(name)).await,
            AnyRecords::into_aaaa,
        )
    }

    async fn mx(&self, name: &str) -> LookupResult<Mx> {
        typed(self.lookup(Question::Mx(name)).await, AnyRecords::into_mx)
    }

    async fn ptr(&self, ip: IpAddr) -> LookupResult<String> {
        typed(self.lookup(Question::Ptr(ip)).await, AnyRecords::into_ptr)
    }

    /// Every answer is at hand unless [`MemoryResolver::set_latency`]
    /// delays it.
    fn at_hand(&self, question: Question<'_>) -> Option<Result<AnyRecords, LookupError>> {
        #[cfg(feature = "tokio")]
        if self.latency.is_some() {
            return None;
        }
        let name = asked_name(question);
        let _in_flight = self.asked(&name, question.record_type());
        Some(self.resolve(question, &name))
    }

    fn description(&self) -> String {
        self.label
            .clone()
            .unwrap_or_else(|| "an in-memory zone".to_owned())
    }
}

#[cfg(test)]
mod tests;
