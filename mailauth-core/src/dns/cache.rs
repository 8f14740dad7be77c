//! A DNS cache any [`DnsResolver`] can be wrapped in: answers kept for
//! their TTL, NXDOMAIN and NODATA kept for their negative-caching TTL
//! (RFC 2308 §5), a bounded number of entries, and in-flight coalescing:
//! however many tasks ask the same question at once, one query is sent and
//! every task gets its answer.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use std::sync::Arc;
//! use mailauth_core::dns::{CacheConfig, CachingResolver, DnsResolver, MemoryResolver, RecordType};
//!
//! let zone = Arc::new(MemoryResolver::from_zone_text(
//!     "_spf.example.com. TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
//! )?);
//! let cache = CachingResolver::new(Arc::clone(&zone), CacheConfig::default());
//! // A thousand concurrent lookups of one name: one query reaches the zone.
//! let lookups = (0..1000).map(|_| cache.txt("_spf.example.com"));
//! let answers = futures_util::future::join_all(lookups).await;
//! assert!(answers.iter().all(|a| a.is_ok()));
//! assert_eq!(zone.queries_of(RecordType::Txt), 1);
//! let stats = cache.stats();
//! assert_eq!(stats.misses + stats.coalesced + stats.hits, 1000);
//! assert_eq!(stats.misses, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

use std::fmt;
use std::hash::BuildHasher;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use foldhash::HashMap;
use tokio::sync::OnceCell;
use tokio::time::Instant;

use super::name::validate_name;
use super::{
    Answer, AnyRecords, DnsResolver, LookupError, LookupResult, Mx, Question, RecordType, Txt,
};

/// Entries are spread over this many independently locked shards, so that
/// threads asking different names do not wait for one lock.
const SHARDS: usize = 16;

/// How a [`CachingResolver`] keeps answers.
///
/// ```
/// use mailauth_core::dns::CacheConfig;
/// let config = CacheConfig::default().max_entries(10_000).max_ttl(3600);
/// assert_eq!(config.entries_limit(), 10_000);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheConfig {
    max_entries: usize,
    default_ttl: u32,
    default_negative_ttl: u32,
    max_ttl: u32,
    max_negative_ttl: u32,
}

impl Default for CacheConfig {
    /// 100,000 entries; answers whose backend gives no TTL kept 300 s
    /// (records) and 60 s (NXDOMAIN, NODATA); TTLs capped at one day and,
    /// for negative answers, three hours (the upper end RFC 2308 §5
    /// recommends).
    fn default() -> Self {
        Self {
            max_entries: 100_000,
            default_ttl: 300,
            default_negative_ttl: 60,
            max_ttl: 86_400,
            max_negative_ttl: 10_800,
        }
    }
}

impl CacheConfig {
    /// The most answers kept; when full, expired answers go first, then
    /// others (see [`CacheStats::evictions`]). Rounded up to a multiple of
    /// 16 (one share per lock); 0 keeps no answer, leaving only the
    /// coalescing of questions in flight.
    pub fn max_entries(mut self, entries: usize) -> Self {
        self.max_entries = entries;
        self
    }

    /// The limit [`CacheConfig::max_entries`] set.
    pub fn entries_limit(&self) -> usize {
        self.max_entries
    }

    /// Seconds to keep records whose backend gives no TTL.
    pub fn default_ttl(mut self, seconds: u32) -> Self {
        self.default_ttl = seconds;
        self
    }

    /// Seconds to keep NXDOMAIN and NODATA whose backend gives no
    /// negative-caching TTL.
    pub fn default_negative_ttl(mut self, seconds: u32) -> Self {
        self.default_negative_ttl = seconds;
        self
    }

    /// The longest any record is kept, whatever its TTL says.
    pub fn max_ttl(mut self, seconds: u32) -> Self {
        self.max_ttl = seconds;
        self
    }

    /// The longest NXDOMAIN or NODATA is kept, whatever its SOA says.
    pub fn max_negative_ttl(mut self, seconds: u32) -> Self {
        self.max_negative_ttl = seconds;
        self
    }

    /// How long `answer` may be kept: timeouts, server failures and refused
    /// names not at all (RFC 2308 §7 allows keeping SERVFAIL briefly; a
    /// scan would rather ask again than spread one lost datagram).
    fn lifetime(&self, answer: &Answer) -> Duration {
        let seconds = match &answer.records {
            Ok(_) => answer.ttl.unwrap_or(self.default_ttl).min(self.max_ttl),
            Err(e) if e.is_void() => answer
                .ttl
                .unwrap_or(self.default_negative_ttl)
                .min(self.max_negative_ttl),
            Err(_) => 0,
        };
        Duration::from_secs(seconds.into())
    }
}

/// What a [`CachingResolver`] has done so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheStats {
    /// Questions answered from a kept answer.
    pub hits: u64,
    /// Questions sent to the wrapped resolver.
    pub misses: u64,
    /// Questions that waited for the answer to the same question already
    /// in flight, instead of sending their own.
    pub coalesced: u64,
    /// Answers dropped before their TTL ran out, to stay within
    /// [`CacheConfig::max_entries`].
    pub evictions: u64,
    /// Answers kept (and questions in flight) now.
    pub entries: usize,
}

/// A question as the cache keys it: names without the trailing dot and in
/// lower case (RFC 4343), addresses as addresses.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Name(RecordType, Box<str>),
    Ptr(IpAddr),
}

/// An answer and the moment it stops being usable.
struct Kept {
    answer: Answer,
    expires: Instant,
}

/// One question's slot: empty while the question is in flight, then the
/// answer. Tasks asking the same question share the slot; if the task that
/// sends the query is dropped, the next waiting task sends it.
type Slot = Arc<OnceCell<Kept>>;

type Shard = Mutex<HashMap<Key, Slot>>;

#[derive(Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    coalesced: AtomicU64,
    evictions: AtomicU64,
}

/// A [`DnsResolver`] that keeps the answers of another and coalesces
/// questions in flight; see the [module documentation](self).
///
/// TTLs come from [`DnsResolver::answer`]: `HickoryResolver` gives them;
/// for a backend that does not, [`CacheConfig`]'s defaults apply. Timeouts
/// and server failures are coalesced but not kept. Share one cache between
/// every concurrent check (`Arc<CachingResolver<R>>`) for it to help.
pub struct CachingResolver<R> {
    inner: R,
    config: CacheConfig,
    shard_limit: usize,
    shards: Box<[Shard]>,
    hasher: foldhash::fast::RandomState,
    counters: Counters,
}

impl<R: fmt::Debug> fmt::Debug for CachingResolver<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingResolver")
            .field("inner", &self.inner)
            .field("config", &self.config)
            .field("stats", &self.stats())
            .finish()
    }
}

impl<R> CachingResolver<R> {
    /// A cache in front of `inner`.
    pub fn new(inner: R, config: CacheConfig) -> Self {
        Self {
            inner,
            shard_limit: config.max_entries.div_ceil(SHARDS),
            config,
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
            hasher: foldhash::fast::RandomState::default(),
            counters: Counters::default(),
        }
    }

    /// The wrapped resolver.
    pub fn inner(&self) -> &R {
        &self.inner
    }

    /// The counters so far, and the entries kept now.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.counters.hits.load(Ordering::Relaxed),
            misses: self.counters.misses.load(Ordering::Relaxed),
            coalesced: self.counters.coalesced.load(Ordering::Relaxed),
            evictions: self.counters.evictions.load(Ordering::Relaxed),
            entries: self.shards.iter().map(|s| lock(s).len()).sum(),
        }
    }

    /// Drops every kept answer (questions in flight still get theirs).
    pub fn clear(&self) {
        for shard in &*self.shards {
            lock(shard).clear();
        }
    }
}

impl<R: DnsResolver> CachingResolver<R> {
    /// The answer to `question`: kept, awaited from the query in flight,
    /// or asked of the wrapped resolver.
    async fn cached(&self, question: Question<'_>) -> Answer {
        let key = match key(question) {
            Ok(key) => key,
            Err(e) => return Answer::new(Err(e), None),
        };
        let shard = self.shard(&key);
        let slot = match self.slot(shard, key.clone()) {
            Ok(answer) => return answer,
            Err(slot) => slot,
        };
        let kept = slot
            .get_or_init(|| async {
                let answer = self.inner.answer(question).await;
                let expires = Instant::now() + self.config.lifetime(&answer);
                Kept { answer, expires }
            })
            .await;
        if self.shard_limit == 0 || kept.expires <= Instant::now() {
            // Not to be kept: free the slot unless a newer one took it.
            let mut map = lock(shard);
            if map.get(&key).is_some_and(|s| Arc::ptr_eq(s, &slot)) {
                map.remove(&key);
            }
        }
        kept.answer.clone()
    }

    fn shard(&self, key: &Key) -> &Shard {
        &self.shards[self.hasher.hash_one(key) as usize % SHARDS]
    }

    /// A kept answer (`Ok`), or the slot to await: the one in flight, or a
    /// new one this task fills.
    fn slot(&self, shard: &Shard, key: Key) -> Result<Answer, Slot> {
        let now = Instant::now();
        let mut map = lock(shard);
        if let Some(slot) = map.get(&key) {
            if let Some(answer) = self.fresh(slot, now) {
                return Ok(answer);
            }
            if slot.get().is_none() {
                self.counters.coalesced.fetch_add(1, Ordering::Relaxed);
                return Err(Arc::clone(slot));
            }
        } else if map.len() >= self.shard_limit {
            self.make_room(&mut map, now);
        }
        self.counters.misses.fetch_add(1, Ordering::Relaxed);
        let slot = Slot::default();
        map.insert(key, Arc::clone(&slot));
        Err(slot)
    }

    /// The slot's answer if it is kept and fresh at `now` (a hit), with the
    /// seconds it has left.
    fn fresh(&self, slot: &Slot, now: Instant) -> Option<Answer> {
        let kept = slot.get().filter(|kept| kept.expires > now)?;
        self.counters.hits.fetch_add(1, Ordering::Relaxed);
        let mut answer = kept.answer.clone();
        answer.ttl = Some(remaining(kept.expires - now));
        Some(answer)
    }

    /// Brings a full shard down to three quarters of its limit: expired
    /// answers first, then any others. Questions in flight stay, so that
    /// they are still coalesced (there are only as many as tasks asking).
    /// Amortised, this is a constant cost per insertion.
    fn make_room(&self, map: &mut HashMap<Key, Slot>, now: Instant) {
        map.retain(|_, slot| slot.get().is_none_or(|kept| kept.expires > now));
        let target = self.shard_limit * 3 / 4;
        let mut excess = map.len().saturating_sub(target);
        if excess == 0 {
            return;
        }
        let before = map.len();
        map.retain(|_, slot| {
            let keep = excess == 0 || slot.get().is_none();
            if !keep {
                excess -= 1;
            }
            keep
        });
        self.counters
            .evictions
            .fetch_add((before - map.len()) as u64, Ordering::Relaxed);
    }
}

/// The key `question` is kept under; a refused name is never sent, so there
/// is nothing to keep (and keys stay within 253 octets).
fn key(question: Question<'_>) -> Result<Key, LookupError> {
    Ok(match question {
        Question::Ptr(ip) => Key::Ptr(ip),
        Question::Txt(name) | Question::A(name) | Question::Aaaa(name) | Question::Mx(name) => {
            Key::Name(
                question.record_type(),
                validate_name(name)?.to_ascii_lowercase().into_boxed_str(),
            )
        }
    })
}

fn lock(shard: &Shard) -> std::sync::MutexGuard<'_, HashMap<Key, Slot>> {
    shard.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whole seconds left, rounded up so that a kept answer never claims 0.
fn remaining(left: Duration) -> u32 {
    let seconds = left.as_secs() + u64::from(left.subsec_nanos() > 0);
    u32::try_from(seconds).unwrap_or(u32::MAX)
}

#[async_trait]
impl<R: DnsResolver> DnsResolver for CachingResolver<R> {
    async fn txt(&self, name: &str) -> LookupResult<Txt> {
        self.cached(Question::Txt(name))
            .await
            .typed(AnyRecords::into_txt)
    }

    async fn a(&self, name: &str) -> LookupResult<Ipv4Addr> {
        self.cached(Question::A(name))
            .await
            .typed(AnyRecords::into_a)
    }

    async fn aaaa(&self, name: &str) -> LookupResult<Ipv6Addr> {
        self.cached(Question::Aaaa(name))
            .await
            .typed(AnyRecords::into_aaaa)
    }

    async fn mx(&self, name: &str) -> LookupResult<Mx> {
        self.cached(Question::Mx(name))
            .await
            .typed(AnyRecords::into_mx)
    }

    async fn ptr(&self, ip: IpAddr) -> LookupResult<String> {
        self.cached(Question::Ptr(ip))
            .await
            .typed(AnyRecords::into_ptr)
    }

    /// The kept answer with the seconds it has left, or the wrapped
    /// resolver's.
    async fn answer(&self, question: Question<'_>) -> Answer {
        self.cached(question).await
    }

    /// A kept, fresh answer (a hit); `None` sends the question to
    /// [`Self::answer`]'s path, which counts the miss or coalesces.
    fn at_hand(&self, question: Question<'_>) -> Option<Result<AnyRecords, LookupError>> {
        let Ok(key) = key(question) else {
            return None;
        };
        let map = lock(self.shard(&key));
        self.fresh(map.get(&key)?, Instant::now())
            .map(|answer| answer.records)
    }

    fn description(&self) -> String {
        format!("{}, through a cache", self.inner.description())
    }
}

#[cfg(test)]
mod tests;
