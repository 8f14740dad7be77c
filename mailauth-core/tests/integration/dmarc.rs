//! DMARC discovery and evaluation against the real DNS server, which serves
//! `tests/data/zones/example.zone` as the whole `example.` top-level
//! domain; every answer must equal the in-memory backend's.

use std::time::Duration;

use mailauth_core::SpfResult;
use mailauth_core::dmarc::{
    Alignment, DestinationStatus, DiscoveryOutcome, DmarcInput, DmarcResult, Policy, PolicySource,
    authorize_report_destinations, discover_policy, evaluate,
};
use mailauth_core::dns::{
    CountingResolver, DnsResolver, LookupError, MemoryResolver, ServerFailure, Transport,
};

use crate::dns_server::DnsServer;

const ZONE: &str = include_str!("../data/zones/example.zone");

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
        let dns = CountingResolver::new(DnsServer::shared().resolver(transport));
        for (domain, lookups) in cases {
            let real = discover_policy(&dns, domain).await.expect("valid domain");
            assert_eq!(dns.take(), lookups, "{domain} over {transport:?}");
            assert_eq!(real.queries.len() as u64, lookups, "{domain}");
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
    assert_eq!(long.organizational_domain.as_deref(), Some("long.example"));
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

/// The bypass of issue 11 through the real server: org.example publishes
/// p=reject, and the spoofer's own domains answer SERVFAIL or never
/// answer. The result stays `fail` with `reject`, over UDP and TCP, and the
/// server is never asked about the spoofer's names.
#[tokio::test]
async fn a_senders_failing_dns_cannot_turn_fail_into_temperror() {
    let _timed = crate::dns_server::timed().await;
    let zone = crate::dns_server::test_zone_files()
        .into_iter()
        .find(|p| p.ends_with("example.zone"))
        .expect("example.zone");
    let server = DnsServer::start(&[
        "--servfail".into(),
        "servfail-spoof.example".into(),
        "--silent".into(),
        "silent-spoof.example".into(),
        zone.display().to_string(),
    ]);
    for transport in [Transport::UdpWithTcpFallback, Transport::Tcp] {
        let dns =
            CountingResolver::new(server.resolver_with(transport, Duration::from_millis(800), 1));
        // The spoofer's zones really fail through this server.
        for (name, temporary) in [
            (
                "_dmarc.servfail-spoof.example",
                LookupError::ServerFailure(ServerFailure::SERVFAIL),
            ),
            ("_dmarc.silent-spoof.example", LookupError::Timeout),
        ] {
            assert_eq!(dns.txt(name).await.unwrap_err(), temporary, "{name}");
        }
        dns.take();
        let input = DmarcInput::new("org.example")
            .spf("servfail-spoof.example", SpfResult::Pass)
            .dkim("mail.servfail-spoof.example", true)
            .dkim("silent-spoof.example", true);
        let out = evaluate(&dns, &input).await;
        assert_eq!(out.result, DmarcResult::Fail, "{transport:?}");
        assert_eq!(out.disposition, Policy::Reject);
        let discovery = out.discovery.as_ref().expect("discovery");
        let asked: Vec<&str> = discovery.queries.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(
            asked,
            ["_dmarc.org.example", "_dmarc.example"],
            "{transport:?}"
        );
        assert_eq!(dns.take(), 2);
    }
}

/// A query the result does not need is not sent, so its failure cannot
/// poison a pass: the real server refuses `_dmarc.test` (it is not
/// authoritative for `test.`), and bank.mailauth.test's own record
/// decides.
#[tokio::test]
async fn an_unneeded_failure_does_not_poison_a_pass() {
    let dns = CountingResolver::new(DnsServer::shared().resolver(Transport::UdpWithTcpFallback));
    assert!(dns.txt("_dmarc.test").await.unwrap_err().is_temporary());
    dns.take();
    let out = evaluate(
        &dns,
        &DmarcInput::new("bank.mailauth.test").spf("bank.mailauth.test", SpfResult::Pass),
    )
    .await;
    assert_eq!(out.result, DmarcResult::Pass);
    assert_eq!(dns.take(), 1);
    // The full walk of discover_policy does reach the refusal: the policy
    // stays known, only the Organizational Domain is not.
    let discovery = discover_policy(&dns, "bank.mailauth.test")
        .await
        .expect("valid");
    assert_eq!(
        discovery.policy().and_then(|p| p.declared_policy),
        Some(Policy::Reject)
    );
    assert_eq!(discovery.organizational_domain, None);
    assert_eq!(
        discovery.walk_error.map(|e| e.name).as_deref(),
        Some("_dmarc.test")
    );
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
