//! A [`DnsResolver`] that counts the questions asked through it: a scan's
//! questions per domain, a test's lookups.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;

use super::{Answer, AnyRecords, DnsResolver, LookupError, LookupResult, Mx, Question, Txt};

/// Counts every question asked through it (of any type, whatever the
/// answer), then asks the wrapped resolver.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use mailauth_core::dns::{CountingResolver, DnsResolver, MemoryResolver, Question};
///
/// let zone = MemoryResolver::from_zone_text("example.com. TXT \"v=spf1 -all\"")?;
/// let counted = CountingResolver::new(&zone);
/// counted.txt("example.com").await?;
/// counted.a("nowhere.example").await.unwrap_err();
/// // An answer at hand is a question asked too.
/// assert!(counted.at_hand(Question::Txt("example.com")).is_some());
/// assert_eq!(counted.take(), 3);
/// assert_eq!(counted.count(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct CountingResolver<R> {
    inner: R,
    asked: AtomicU64,
}

impl<R> CountingResolver<R> {
    /// Counts the questions asked of `inner` from now on.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            asked: AtomicU64::new(0),
        }
    }

    /// The questions asked so far.
    pub fn count(&self) -> u64 {
        self.asked.load(Ordering::Relaxed)
    }

    /// The questions asked so far, and the count back to zero.
    pub fn take(&self) -> u64 {
        self.asked.swap(0, Ordering::Relaxed)
    }

    fn tick(&self) {
        self.asked.fetch_add(1, Ordering::Relaxed);
    }
}

#[async_trait]
impl<R: DnsResolver> DnsResolver for CountingResolver<R> {
    async fn txt(&self, name: &str) -> LookupResult<Txt> {
        self.tick();
        self.inner.txt(name).await
    }
    async fn a(&self, name: &str) -> LookupResult<Ipv4Addr> {
        self.tick();
        self.inner.a(name).await
    }
    async fn aaaa(&self, name: &str) -> LookupResult<Ipv6Addr> {
        self.tick();
        self.inner.aaaa(name).await
    }
    async fn mx(&self, name: &str) -> LookupResult<Mx> {
        self.tick();
        self.inner.mx(name).await
    }
    async fn ptr(&self, ip: IpAddr) -> LookupResult<String> {
        self.tick();
        self.inner.ptr(ip).await
    }
    async fn answer(&self, question: Question<'_>) -> Answer {
        self.tick();
        self.inner.answer(question).await
    }
    fn at_hand(&self, question: Question<'_>) -> Option<Result<AnyRecords, LookupError>> {
        let answer = self.inner.at_hand(question)?;
        self.tick();
        Some(answer)
    }
    fn description(&self) -> String {
        self.inner.description()
    }
}
