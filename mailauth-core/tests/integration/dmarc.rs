//! DMARC discovery and evaluation against the real DNS server, which serves
//! `tests/data/zones/example.zone` as the whole `example.` top-level
//! domain; every answer must equal the in-memory backend's.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use mailauth_core::SpfResult;
use mailauth_core::dmarc::{
    Alignment, DestinationStatus, DiscoveryOutcome, DmarcInput, DmarcResult, Policy, PolicySource,
    authorize_report_destinations, discover_policy, evaluate,
};
use mailauth_core::dns::{
    DnsResolver, LookupError, LookupResult, MemoryResolver, Mx, ServerFailure, Transport, Txt,
};

use crate::dns_server::DnsServer;

const ZONE: &str = include_str!("../data/zones/example.zone");

/// Counts the lookups that reach the wrapped resolver.
struct Counting<R> {
    inner: R,
    lookups: AtomicUsize,
}

impl<R> Counting<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            lookups: AtomicUsize::new(0),
        }
    }

    fn take(&self) -> usize {
        self.lookups.swap(0, Ordering::SeqCst)
    }

    fn count(&self) {
        self.lookups.fetch_add(1, Ordering::SeqCst);
    }
}

#[async_trait]
impl<R: DnsResolver> DnsResolver for Counting<R> {
    async fn txt(&self, name: &str) -> LookupResult<Txt> {
        self.count();
        self.inner.txt(name).await
    }
    async fn a(&self, name: &str) -> LookupResult<Ipv4Addr> {
        self.count();
        self.inner.a(name).await
    }
    async fn aaaa(&self, name: &str) -> LookupResult<Ipv6Addr> {
        self.count();
        self.inner.aaaa(name).await
    }
    async fn mx(&self, name: &str) -> LookupResult<Mx> {
        self.count();
        self.inner.mx(name).await
    }
    async fn ptr(&self, ip: IpAddr) -> LookupResult<String> {
        self.count();
        self.inner.ptr(ip).await
    }
}

/// The tree walk over UDP and TCP: the queries the server received, their
/// number, and the outcome, equal to the in-memory backend's.
#[tokio::test]
async fn tree_walk_query_counts() {
    let memory = MemoryResolver::from_zone_text(ZONE).expect("zone");
    let cases = [
        // (domain, DNS lookups: the walk's TXT queries plus any existence query)
        ("org.example", 2),
        ("mail.org.example", 4),
        ("ghost.org.example", 4),
        ("a.b.c.d.e.f.g.h.i.j.mail.long.example", 8),
        ("mail.dept.corp.example", 2),
        ("mail.shop.psd.example", 4),
        ("multi.example", 2),
        ("nothing.at.all.example", 4),
    ];
    for transport in [Transport::UdpWithTcpFallback, Transport::Tcp] {
        let dns = Counting::new(DnsServer::shared().resolver(transport));
        for (domain, lookups) in cases {
            let real = discover_policy(&dns, domain).await.expect("valid domain");
            assert_eq!(dns.take(), lookups, "{domain} over {transport:?}");
            assert_eq!(real.queries.len(), lookups, "{domain}");
            let expected = discover_policy(&memory, domain)
                .await
                .expect("valid domain");
            assert_eq!(real, expected, "{domain} over {transport:?}");
        }
    }
    let dns = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    let long = discover_policy(&dns, "a.b.c.d.e.f.g.h.i.j.mail.long.example")
        .await
        .expect("valid domain");
    assert_eq!(long.organizational_domain, "long.example");
    assert_eq!(long.walk.last().map(|s| s.domain.as_str()), Some("example"));
    let psd = discover_policy(&dns, "gone.shop.psd.example")
        .await
        .expect("valid");
    let found = psd.policy().expect("PSD policy");
    assert_eq!(found.source, PolicySource::PublicSuffixDomain);
    assert_eq!(
        (found.author_domain_exists, found.declared_policy),
        (Some(false), Some(Policy::Reject))
    );
}

/// A server failure during the walk is temperror; the message neither
/// passes nor fails (RFC 9989 §5.3.6).
#[tokio::test]
async fn server_failure_is_temperror() {
    let dns = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    let discovery = discover_policy(&dns, "x.slow.mailauth.test")
        .await
        .expect("valid");
    assert_eq!(
        discovery.outcome,
        DiscoveryOutcome::TempError {
            name: "_dmarc.x.slow.mailauth.test".into(),
            error: LookupError::ServerFailure(ServerFailure::SERVFAIL),
        }
    );
    assert_eq!(discovery.queries.len(), 1);
    let out = evaluate(&dns, &DmarcInput::new("x.slow.mailauth.test")).await;
    assert_eq!(out.result, DmarcResult::TempError);
}

/// Evaluation and report destinations through the real server.
#[tokio::test]
async fn evaluation_and_report_destinations() {
    let dns = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    let pass = evaluate(
        &dns,
        &DmarcInput::new("news.org.example").spf("bounce.org.example", SpfResult::Pass),
    )
    .await;
    assert_eq!(pass.result, DmarcResult::Pass);
    assert_eq!(
        pass.authentication_results(),
        "dmarc=pass header.from=news.org.example policy.dmarc=quarantine"
    );
    let siblings = evaluate(
        &dns,
        &DmarcInput::new("news.sibling.example").spf("bounce.sibling.example", SpfResult::Pass),
    )
    .await;
    assert_eq!(siblings.spf.expect("spf").alignment, Alignment::NotAligned);
    assert_eq!(
        (siblings.result, siblings.disposition),
        (DmarcResult::Fail, Policy::Reject)
    );

    let record = discover_policy(&dns, "ext.example")
        .await
        .expect("valid")
        .policy()
        .expect("record")
        .record
        .clone();
    let destinations = authorize_report_destinations(&dns, "ext.example", &record)
        .await
        .expect("valid");
    let authorized: Vec<_> = destinations
        .iter()
        .map(|d| (d.uri.host.as_str(), d.status.is_authorized()))
        .collect();
    assert_eq!(
        authorized,
        [
            ("reports.vendor.example", true),
            ("other.vendor.example", false),
            ("override.vendor.example", true),
            ("bad.vendor.example", false),
            ("ext.example", true),
        ]
    );
    assert!(matches!(
        destinations[2].status,
        DestinationStatus::Overridden { .. }
    ));
}
