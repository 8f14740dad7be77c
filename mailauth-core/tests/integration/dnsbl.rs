//! DNSBL checks against the real DNS server serving test lists
//! (`tests/data/zones/dnsbl.test.zone`).

use std::net::IpAddr;
use std::time::Duration;

use futures_util::StreamExt;
use mailauth_core::dns::{HickoryResolver, Transport};
use mailauth_core::dnsbl::{
    DnsblConfig, DnsblList, ListError, ListOutcome, Target, ZoneHealth, check_bulk, check_domain,
    check_ip, zone_health,
};

use crate::dns_server::{self, DnsServer};

fn like(id: &str, list_id: &str, zone: &str) -> DnsblList {
    let mut list = DnsblList::builtin(id).expect("built-in list");
    list.id = list_id.to_owned();
    list.zone = zone.to_owned();
    list
}

fn zen() -> DnsblList {
    like("spamhaus-zen", "test-zen", "zen.dnsbl.test")
}

fn ip(text: &str) -> IpAddr {
    text.parse().expect("test IP")
}

#[tokio::test]
async fn zen_like_list_with_several_codes_and_reasons() {
    for transport in [Transport::UdpWithTcpFallback, Transport::Tcp] {
        let resolver = DnsServer::shared().resolver(transport);
        let lists = [zen()];
        let report = check_ip(
            &resolver,
            ip("192.0.2.99"),
            &lists,
            &DnsblConfig::default().fetch_reasons(true),
        )
        .await;
        let ListOutcome::Listed { listings, reasons } = &report.results[0].outcome else {
            panic!("{transport:?}: {:?}", report.results[0])
        };
        let mut codes: Vec<String> = listings.iter().map(|l| l.code.to_string()).collect();
        codes.sort();
        assert_eq!(codes, ["127.0.0.10", "127.0.0.2"], "{transport:?}");
        assert_eq!(
            reasons,
            &["https://check.spamhaus.org/listed/?ip=192.0.2.99".to_owned()]
        );
        let clean = check_ip(&resolver, ip("192.0.2.1"), &lists, &DnsblConfig::default()).await;
        assert_eq!(
            clean.results[0].outcome,
            ListOutcome::NotListed,
            "{transport:?}"
        );
    }
}

#[tokio::test]
async fn every_operator_error_code_is_an_error() {
    let resolver = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    for last in [250, 251, 252, 254, 255] {
        let report = check_ip(
            &resolver,
            ip(&format!("192.0.2.{last}")),
            &[zen()],
            &DnsblConfig::default(),
        )
        .await;
        assert!(!report.listed(), "{last}");
        match &report.results[0].outcome {
            ListOutcome::Error(ListError::Operator { code, .. }) => {
                assert_eq!(code.octets()[3], last)
            }
            other => panic!("{last}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn ipv6_entries_and_domain_lists() {
    let resolver = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    let v6 = check_ip(
        &resolver,
        ip("2001:db8::99"),
        &[zen()],
        &DnsblConfig::default(),
    )
    .await;
    assert!(v6.listed());
    let dbl = like("spamhaus-dbl", "test-dbl", "dbl.dnsbl.test");
    let lists = [dbl];
    for (domain, listed) in [
        ("spam.example", true),
        ("Phish.Example.", true),
        ("clean.example", false),
    ] {
        let report = check_domain(&resolver, domain, &lists, &DnsblConfig::default())
            .await
            .expect("valid domain");
        assert_eq!(report.listed(), listed, "{domain}");
    }
    let error = check_domain(
        &resolver,
        "ipquery.example",
        &lists,
        &DnsblConfig::default(),
    )
    .await
    .unwrap();
    assert!(matches!(
        error.results[0].outcome,
        ListOutcome::Error(ListError::Operator { .. })
    ));
}

#[tokio::test]
async fn answers_outside_127_are_never_listings() {
    let resolver = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    let hijacked = like("spamcop", "hijacked", "hijacked.dnsbl.test");
    let report = check_ip(
        &resolver,
        ip("192.0.2.99"),
        &[hijacked],
        &DnsblConfig::default(),
    )
    .await;
    assert!(!report.listed());
    assert_eq!(
        report.results[0].outcome,
        ListOutcome::Error(ListError::BadAnswer {
            address: "192.0.2.53".parse().unwrap()
        })
    );
}

#[tokio::test]
async fn a_list_that_times_out() {
    let _quiet = dns_server::timed().await;
    let timeout = Duration::from_secs(1);
    let resolver = DnsServer::shared().resolver_with(Transport::UdpWithTcpFallback, timeout, 1);
    let lists = [zen(), like("spamcop", "silent", "bl.silent.mailauth.test")];
    let started = std::time::Instant::now();
    let report = check_ip(&resolver, ip("192.0.2.99"), &lists, &DnsblConfig::default()).await;
    assert!(report.listed(), "the other list still answers");
    assert_eq!(report.errors(), [("silent", &ListError::Timeout)]);
    assert!(
        started.elapsed() < timeout * 2,
        "the lists are asked together: {:?}",
        started.elapsed()
    );
}

/// The overall deadline ends a check whose slowest list is still waiting
/// on the resolver's own (long) timeout.
#[tokio::test]
async fn the_overall_deadline_ends_a_check() {
    let _quiet = dns_server::timed().await;
    let resolver =
        DnsServer::shared().resolver_with(Transport::UdpWithTcpFallback, Duration::from_secs(5), 2);
    let lists = [zen(), like("spamcop", "silent", "bl.silent.mailauth.test")];
    let started = std::time::Instant::now();
    let deadline = Duration::from_secs(1);
    let options = DnsblConfig::default().deadline(deadline);
    let report = check_ip(&resolver, ip("192.0.2.99"), &lists, &options).await;
    let took = started.elapsed();
    assert!(report.listed(), "the other list answered in time");
    assert_eq!(report.errors(), [("silent", &ListError::Timeout)]);
    assert!(took >= deadline && took < deadline * 2, "{took:?}");
}

/// RFC 5782 §5 test points against the served lists.
#[tokio::test]
async fn zone_health_of_served_lists() {
    let resolver = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    let zen_health = zone_health(&resolver, &zen()).await;
    assert_eq!(zen_health.health, ZoneHealth::Healthy);
    // The IPv6 test points (::FFFF:7F00:2 listed, ::FFFF:7F00:1 not).
    assert_eq!(zen_health.ipv6, Some(ZoneHealth::Healthy));
    assert_eq!(
        zone_health(
            &resolver,
            &like("spamhaus-dbl", "test-dbl", "dbl.dnsbl.test")
        )
        .await
        .overall(),
        &ZoneHealth::Healthy
    );
    assert_eq!(
        zone_health(&resolver, &like("spamcop", "dead", "dead.dnsbl.test"))
            .await
            .health,
        ZoneHealth::Dead
    );
    assert!(matches!(
        zone_health(
            &resolver,
            &like("spamcop", "hijacked", "hijacked.dnsbl.test")
        )
        .await
        .health,
        ZoneHealth::Hijacked(_)
    ));
}

#[tokio::test]
async fn bulk_over_the_network() {
    let resolver = DnsServer::shared().resolver(Transport::UdpWithTcpFallback);
    let lists = [zen(), like("spamcop", "dead", "dead.dnsbl.test")];
    let targets: Vec<Target> = (90..=99)
        .map(|i| Target::Ip(ip(&format!("192.0.2.{i}"))))
        .collect();
    let reports: Vec<_> = check_bulk(&resolver, targets, &lists, 4, &DnsblConfig::default())
        .collect()
        .await;
    assert_eq!(reports.len(), 10);
    let mut listed: Vec<String> = reports
        .iter()
        .filter(|r| r.listed())
        .map(|r| r.target.to_string())
        .collect();
    listed.sort();
    assert_eq!(listed, ["192.0.2.98", "192.0.2.99"]);
}

/// Sustained bulk load over one TCP connection: 1,000 targets x 5 lists,
/// 100 targets at a time. hickory's default of 32 requests in flight per
/// connection answered "busy" here at once (seen as list errors); the
/// backend's `max_in_flight` (512) must leave none. The generous timeout
/// keeps a loaded machine from turning slow answers into errors.
#[tokio::test]
async fn bulk_over_tcp_under_sustained_load() {
    let _load = dns_server::heavy_load().await;
    let resolver = DnsServer::shared().resolver_with(Transport::Tcp, Duration::from_secs(10), 2);
    let lists = [
        zen(),
        like("spamcop", "dead", "dead.dnsbl.test"),
        like("spamcop", "hijacked", "hijacked.dnsbl.test"),
        like("spamcop", "none1", "none1.dnsbl.test"),
        like("spamcop", "none2", "none2.dnsbl.test"),
    ];
    let targets: Vec<Target> = (0..1000u32)
        .map(|i| Target::Ip(IpAddr::from([198, 18, (i >> 8) as u8, i as u8])))
        .collect();
    let reports: Vec<_> = check_bulk(&resolver, targets, &lists, 100, &DnsblConfig::default())
        .collect()
        .await;
    assert_eq!(reports.len(), 1000);
    let errors: usize = reports.iter().map(|r| r.errors().len()).sum();
    let kinds: Vec<String> = reports
        .iter()
        .flat_map(|r| r.errors())
        .map(|(l, e)| format!("{l}: {e}"))
        .take(5)
        .collect();
    assert_eq!(errors, 0, "no list may fail for lack of room: {kinds:?}");
    assert!(reports.iter().all(|r| !r.listed()));
}

/// The multiplexed UDP transport under sustained load, on one socket so
/// that message IDs are reused often: 10,000 targets x 5 lists. A query
/// ending after its answer once removed a later query that had drawn the
/// same ID, which then failed at once (seen as a few list errors per
/// 50,000 queries); none may fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_over_multiplexed_udp_reuses_ids_safely() {
    let _load = dns_server::heavy_load().await;
    let resolver = HickoryResolver::builder()
        .nameservers([DnsServer::shared().addr])
        .transport(Transport::UdpMultiplexed)
        .udp_sockets(1)
        .timeout(Duration::from_secs(10))
        .cache(false)
        .build()
        .expect("resolver");
    let lists = [
        zen(),
        like("spamcop", "dead", "dead.dnsbl.test"),
        like("spamcop", "none1", "none1.dnsbl.test"),
        like("spamcop", "none2", "none2.dnsbl.test"),
        like("spamcop", "none3", "none3.dnsbl.test"),
    ];
    let targets: Vec<Target> = (0..10_000u32)
        .map(|i| Target::Ip(IpAddr::from([198, 18, (i >> 8) as u8, i as u8])))
        .collect();
    let reports: Vec<_> = check_bulk(&resolver, targets, &lists, 200, &DnsblConfig::default())
        .collect()
        .await;
    assert_eq!(reports.len(), 10_000);
    let errors: Vec<String> = reports
        .iter()
        .flat_map(|r| r.errors())
        .map(|(l, e)| format!("{l}: {e}"))
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors: {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
}
