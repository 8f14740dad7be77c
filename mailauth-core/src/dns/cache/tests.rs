use std::sync::atomic::AtomicU32;

use super::*;
use crate::dns::{Fault, LookupError, MemoryResolver, Records, ServerFailure};

/// A resolver that answers every question with `records` and `ttl`, and
/// counts the questions it was asked.
struct Scripted {
    records: Result<AnyRecords, LookupError>,
    ttl: Option<u32>,
    asked: AtomicU32,
}

impl Scripted {
    fn new(records: Result<AnyRecords, LookupError>, ttl: Option<u32>) -> Self {
        Self {
            records,
            ttl,
            asked: AtomicU32::new(0),
        }
    }

    fn asked(&self) -> u32 {
        self.asked.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl DnsResolver for Scripted {
    async fn txt(&self, _: &str) -> LookupResult<Txt> {
        unreachable!("the cache asks answer()")
    }
    async fn a(&self, _: &str) -> LookupResult<Ipv4Addr> {
        unreachable!("the cache asks answer()")
    }
    async fn aaaa(&self, _: &str) -> LookupResult<Ipv6Addr> {
        unreachable!("the cache asks answer()")
    }
    async fn mx(&self, _: &str) -> LookupResult<Mx> {
        unreachable!("the cache asks answer()")
    }
    async fn ptr(&self, _: IpAddr) -> LookupResult<String> {
        unreachable!("the cache asks answer()")
    }
    async fn answer(&self, _: Question<'_>) -> Answer {
        self.asked.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(5)).await;
        Answer::new(self.records.clone(), self.ttl)
    }
}

fn address() -> Result<AnyRecords, LookupError> {
    Ok(AnyRecords::A(Records::from(vec![Ipv4Addr::new(
        192, 0, 2, 1,
    )])))
}

#[tokio::test(start_paused = true)]
async fn ten_thousand_concurrent_questions_send_one_query() {
    let mut zone = MemoryResolver::from_zone_text("_spf.google.com. TXT \"v=spf1 -all\"").unwrap();
    zone.set_latency(Duration::from_millis(20));
    let cache = CachingResolver::new(&zone, CacheConfig::default());
    let answers =
        futures_util::future::join_all((0..10_000).map(|_| cache.txt("_spf.google.com"))).await;
    assert!(
        answers
            .iter()
            .all(|a| a.as_ref().is_ok_and(|t| t.len() == 1))
    );
    assert_eq!(zone.queries_of(RecordType::Txt), 1);
    let stats = cache.stats();
    assert_eq!((stats.misses, stats.coalesced, stats.hits), (1, 9_999, 0));
    assert_eq!(stats.entries, 1);
    // Afterwards, from the kept answer.
    cache.txt("_SPF.Google.com.").await.unwrap();
    assert_eq!(cache.stats().hits, 1);
    assert_eq!(zone.queries_of(RecordType::Txt), 1);
}

#[tokio::test(start_paused = true)]
async fn answers_are_kept_for_their_ttl_and_no_longer() {
    let inner = Scripted::new(address(), Some(10));
    let cache = CachingResolver::new(&inner, CacheConfig::default());
    cache.a("mail.example").await.unwrap();
    tokio::time::advance(Duration::from_millis(9_900)).await;
    let answer = cache.answer(Question::A("mail.example")).await;
    assert_eq!(answer.ttl, Some(1), "the seconds left, rounded up");
    assert_eq!(inner.asked(), 1);
    tokio::time::advance(Duration::from_millis(200)).await;
    cache.a("mail.example").await.unwrap();
    assert_eq!(inner.asked(), 2, "expired: asked again");
    assert_eq!(cache.stats().hits, 1);
}

#[tokio::test(start_paused = true)]
async fn ttls_are_capped_and_defaulted() {
    let inner = Scripted::new(address(), Some(u32::MAX));
    let cache = CachingResolver::new(&inner, CacheConfig::default().max_ttl(60));
    cache.a("a.example").await.unwrap();
    tokio::time::advance(Duration::from_secs(61)).await;
    cache.a("a.example").await.unwrap();
    assert_eq!(inner.asked(), 2, "capped at max_ttl");

    let unknown = Scripted::new(address(), None);
    let cache = CachingResolver::new(&unknown, CacheConfig::default().default_ttl(30));
    cache.a("a.example").await.unwrap();
    tokio::time::advance(Duration::from_secs(29)).await;
    cache.a("a.example").await.unwrap();
    assert_eq!(unknown.asked(), 1);
    tokio::time::advance(Duration::from_secs(2)).await;
    cache.a("a.example").await.unwrap();
    assert_eq!(unknown.asked(), 2, "no TTL from the backend: default_ttl");

    let zero = Scripted::new(address(), Some(0));
    let cache = CachingResolver::new(&zero, CacheConfig::default());
    cache.a("a.example").await.unwrap();
    cache.a("a.example").await.unwrap();
    assert_eq!(zero.asked(), 2, "TTL 0: used once, not kept");
    assert_eq!(cache.stats().entries, 0);
}

#[tokio::test(start_paused = true)]
async fn nxdomain_and_nodata_are_kept_for_the_negative_ttl() {
    for outcome in [LookupError::NxDomain, LookupError::NoData] {
        let inner = Scripted::new(Err(outcome.clone()), Some(5));
        let cache = CachingResolver::new(&inner, CacheConfig::default());
        assert_eq!(cache.a("gone.example").await, Err(outcome.clone()));
        tokio::time::advance(Duration::from_secs(4)).await;
        assert_eq!(cache.a("gone.example").await, Err(outcome.clone()));
        assert_eq!(inner.asked(), 1, "{outcome}: kept");
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(cache.a("gone.example").await, Err(outcome.clone()));
        assert_eq!(inner.asked(), 2, "{outcome}: expired after the SOA's 5 s");
    }
    // A negative TTL past the cap, and none at all.
    let inner = Scripted::new(Err(LookupError::NxDomain), Some(86_400));
    let config = CacheConfig::default()
        .max_negative_ttl(100)
        .default_negative_ttl(7);
    let cache = CachingResolver::new(&inner, config.clone());
    cache.a("gone.example").await.unwrap_err();
    tokio::time::advance(Duration::from_secs(101)).await;
    cache.a("gone.example").await.unwrap_err();
    assert_eq!(inner.asked(), 2);
    let inner = Scripted::new(Err(LookupError::NoData), None);
    let cache = CachingResolver::new(&inner, config);
    cache.a("gone.example").await.unwrap_err();
    tokio::time::advance(Duration::from_secs(6)).await;
    cache.a("gone.example").await.unwrap_err();
    assert_eq!(inner.asked(), 1);
    tokio::time::advance(Duration::from_secs(2)).await;
    cache.a("gone.example").await.unwrap_err();
    assert_eq!(inner.asked(), 2);
}

#[tokio::test(start_paused = true)]
async fn timeouts_and_server_failures_are_shared_in_flight_but_not_kept() {
    let mut zone = MemoryResolver::from_zone_text("slow.example. A 192.0.2.1").unwrap();
    zone.inject("slow.example", None, Fault::Timeout).unwrap();
    zone.inject("broken.example", None, Fault::Rcode(2))
        .unwrap();
    zone.set_latency(Duration::from_millis(20));
    let cache = CachingResolver::new(&zone, CacheConfig::default());
    let (a, b) = tokio::join!(cache.a("slow.example"), cache.a("slow.example"));
    assert_eq!(
        (a, b),
        (Err(LookupError::Timeout), Err(LookupError::Timeout))
    );
    assert_eq!(zone.queries_of(RecordType::A), 1, "coalesced");
    assert_eq!(cache.a("slow.example").await, Err(LookupError::Timeout));
    assert_eq!(zone.queries_of(RecordType::A), 2, "not kept");
    assert!(cache.a("broken.example").await.is_err());
    assert!(cache.a("broken.example").await.is_err());
    assert_eq!(zone.queries_of(RecordType::A), 4);
    assert_eq!(cache.stats().entries, 0);
}

#[tokio::test(start_paused = true)]
async fn a_dropped_asker_hands_the_question_to_the_next() {
    let inner = Scripted::new(address(), Some(60));
    let cache = CachingResolver::new(&inner, CacheConfig::default());
    let first = cache.a("mail.example");
    let second = cache.a("mail.example");
    // The first asker sends the query, then gives up before the answer.
    let gave_up = tokio::time::timeout(Duration::from_millis(1), first).await;
    assert!(gave_up.is_err());
    assert_eq!(second.await.unwrap().len(), 1);
    assert_eq!(inner.asked(), 2);
    cache.a("mail.example").await.unwrap();
    assert_eq!(inner.asked(), 2);
}

#[tokio::test(start_paused = true)]
async fn names_are_keyed_without_case_or_trailing_dot_and_types_apart() {
    let zone = MemoryResolver::from_zone_text(
        "example.com. A 192.0.2.1\nexample.com. TXT \"x\"\n1.2.0.192.in-addr.arpa. PTR example.com.",
    )
    .unwrap();
    let cache = CachingResolver::new(&zone, CacheConfig::default());
    for name in ["example.com", "EXAMPLE.com.", "Example.Com"] {
        cache.a(name).await.unwrap();
        cache.txt(name).await.unwrap();
    }
    let ip = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    cache.ptr(ip).await.unwrap();
    cache.ptr(ip).await.unwrap();
    assert_eq!(zone.queries_of(RecordType::A), 1);
    assert_eq!(zone.queries_of(RecordType::Txt), 1);
    assert_eq!(zone.queries_of(RecordType::Ptr), 1);
    assert_eq!(cache.stats().entries, 3);
}

#[tokio::test(start_paused = true)]
async fn refused_names_are_neither_sent_nor_kept() {
    let zone = MemoryResolver::new();
    let cache = CachingResolver::new(&zone, CacheConfig::default());
    let long = "a.".repeat(200);
    for name in ["", "a..b", long.as_str()] {
        assert!(matches!(
            cache.txt(name).await,
            Err(LookupError::InvalidName(_))
        ));
    }
    assert_eq!(zone.queries_of(RecordType::Txt), 0);
    assert_eq!(cache.stats(), CacheStats::default());
}

#[tokio::test(start_paused = true)]
async fn the_cache_stays_within_its_bound() {
    let inner = Scripted::new(address(), Some(3600));
    let cache = CachingResolver::new(&inner, CacheConfig::default().max_entries(64));
    for i in 0..10_000 {
        cache.a(&format!("host{i}.example")).await.unwrap();
        assert!(cache.stats().entries <= 64);
    }
    let stats = cache.stats();
    assert_eq!(stats.misses, 10_000);
    assert!(stats.evictions >= 10_000 - 64, "{stats:?}");

    // Expired answers make room before live ones are evicted.
    let inner = Scripted::new(address(), Some(1));
    let cache = CachingResolver::new(&inner, CacheConfig::default().max_entries(16));
    for i in 0..100 {
        cache.a(&format!("host{i}.example")).await.unwrap();
        tokio::time::advance(Duration::from_secs(2)).await;
    }
    assert_eq!(cache.stats().evictions, 0);
}

#[tokio::test(start_paused = true)]
async fn no_entries_still_coalesces() {
    let inner = Scripted::new(address(), Some(3600));
    let cache = CachingResolver::new(&inner, CacheConfig::default().max_entries(0));
    // 40 names over 16 shards: names share shards, and each insertion into
    // a shard of limit 0 must leave the other name's query in flight.
    let names: Vec<String> = (0..80).map(|i| format!("host{}.example", i % 40)).collect();
    let answers = futures_util::future::join_all(names.iter().map(|n| cache.a(n))).await;
    assert!(answers.iter().all(Result::is_ok));
    assert_eq!(inner.asked(), 40, "one query per name in flight");
    cache.a("host0.example").await.unwrap();
    assert_eq!(inner.asked(), 41);
    assert_eq!(cache.stats().entries, 0);
}

#[tokio::test(start_paused = true)]
async fn an_answer_of_the_wrong_type_is_a_server_failure() {
    let inner = Scripted::new(address(), Some(60));
    let cache = CachingResolver::new(&inner, CacheConfig::default());
    assert!(matches!(
        cache.txt("x.example").await,
        Err(LookupError::ServerFailure(ServerFailure::Protocol(_)))
    ));
}

#[tokio::test]
async fn shared_across_threads() {
    let zone = Arc::new(MemoryResolver::from_zone_text("x.example. A 192.0.2.1").unwrap());
    let cache = Arc::new(CachingResolver::new(
        Arc::clone(&zone),
        CacheConfig::default(),
    ));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move {
                for _ in 0..1000 {
                    cache.a("x.example").await.unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(zone.queries_of(RecordType::A), 1);
    assert_eq!(cache.stats().hits + cache.stats().coalesced, 7_999);
    assert!(cache.description().ends_with(", through a cache"));
}

/// `at_hand` gives a kept, fresh answer (a hit) and nothing else: not
/// before the first answer, not after it expires, not for refused names.
#[tokio::test(start_paused = true)]
async fn at_hand_gives_fresh_kept_answers_only() {
    let inner = Scripted::new(address(), Some(10));
    let cache = CachingResolver::new(&inner, CacheConfig::default());
    assert!(cache.at_hand(Question::A("mail.example")).is_none());
    assert_eq!(cache.stats().misses, 0, "a question not at hand is no miss");
    cache.a("mail.example").await.unwrap();
    let at_hand = cache.at_hand(Question::A("MAIL.example.")).expect("kept");
    assert_eq!(at_hand, address());
    assert_eq!(cache.stats().hits, 1);
    assert!(cache.at_hand(Question::Aaaa("mail.example")).is_none());
    assert!(cache.at_hand(Question::A("bad..name")).is_none());
    tokio::time::advance(Duration::from_secs(11)).await;
    assert!(
        cache.at_hand(Question::A("mail.example")).is_none(),
        "expired"
    );
    assert_eq!(inner.asked(), 1);
}
