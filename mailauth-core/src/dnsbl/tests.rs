use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::dns::{Fault, MemoryResolver};

fn list(id: &str) -> DnsblList {
    DnsblList::builtin(id).unwrap()
}

fn ip(text: &str) -> Target {
    Target::Ip(text.parse().unwrap())
}

fn addrs(list: &[&str]) -> Vec<Ipv4Addr> {
    list.iter().map(|a| a.parse().unwrap()).collect()
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
        .block_on(future)
}

/// RFC 5782 §2.1, §2.4, §3.
#[test]
fn query_names() {
    // A user-defined zone that makes no valid name, or a name too long:
    // nothing is asked (a fuzz finding: the query went out malformed).
    let mut bad = list("spamhaus-zen");
    bad.zone = "..fuenn.z".into();
    assert_eq!(
        query_name(&bad, &ip("192.0.2.1")),
        Err(ListError::InvalidQueryName)
    );
    let dbl = list("spamhaus-dbl");
    let long = domain_target(&format!("{}example", "a23456789.".repeat(24))).unwrap();
    assert_eq!(query_name(&dbl, &long), Err(ListError::InvalidQueryName));
    let zen = list("spamhaus-zen");
    assert_eq!(
        query_name(&zen, &ip("192.0.2.99")).unwrap(),
        "99.2.0.192.zen.spamhaus.org"
    );
    assert_eq!(
        query_name(&zen, &ip("::ffff:192.0.2.99")).unwrap(),
        "99.2.0.192.zen.spamhaus.org"
    );
    assert_eq!(
        query_name(&zen, &ip("2001:db8:1:2:3:4:567:89ab")).unwrap(),
        "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org"
    );
    let dbl = list("spamhaus-dbl");
    let domain = domain_target("Bücher.Example.").unwrap();
    assert_eq!(
        query_name(&dbl, &domain).unwrap(),
        "xn--bcher-kva.example.dbl.spamhaus.org"
    );
    let dqs = DnsblList::spamhaus_dqs("zen", "k3y").unwrap();
    assert_eq!(
        query_name(&dqs, &ip("192.0.2.1")).unwrap(),
        "1.2.0.192.k3y.zen.dq.spamhaus.net"
    );
    assert_eq!(
        query_name(&dbl, &ip("192.0.2.1")),
        Err(ListError::NotApplicable)
    );
    assert_eq!(query_name(&zen, &domain), Err(ListError::NotApplicable));
    assert_eq!(
        query_name(&list("spamcop"), &ip("2001:db8::1")),
        Err(ListError::NotApplicable)
    );
    assert!(domain_target("a..b").is_err());
    assert!(domain_target("192.0.2.300.5").is_err());
    assert!(domain_target("").is_err());
}

#[test]
fn decoding() {
    let zen = list("spamhaus-zen");
    let ListOutcome::Listed { listings, .. } =
        decode_answers(&zen, &addrs(&["127.0.0.2", "127.0.0.4", "127.0.0.10"]))
    else {
        panic!("listed")
    };
    let categories: Vec<&[Category]> = listings.iter().map(|l| l.categories.as_slice()).collect();
    assert_eq!(
        categories,
        [
            &[Category::Spam][..],
            &[Category::Exploited],
            &[Category::EndUser]
        ]
    );
    assert!(
        listings[2].meaning.starts_with("PBL"),
        "the operator's words stay"
    );
    // Bitmask lists: one category per set bit, in table order.
    let ListOutcome::Listed { listings, .. } =
        decode_answers(&list("surbl"), &addrs(&["127.0.0.24"]))
    else {
        panic!("listed")
    };
    assert_eq!(
        listings[0].categories,
        [Category::Phishing, Category::Malware]
    );
    // A code outside the table: listed, no category.
    let ListOutcome::Listed { listings, .. } = decode_answers(&zen, &addrs(&["127.0.0.99"])) else {
        panic!("listed")
    };
    assert!(listings[0].categories.is_empty());
    assert!(matches!(
        decode_answers(&zen, &addrs(&["127.0.0.3"])),
        ListOutcome::Listed { .. }
    ));
    for (code, fragment) in [
        ("127.255.255.254", "public or open resolver"),
        ("127.255.255.252", "typing error"),
        ("127.255.255.255", "excessive"),
        ("127.255.255.250", "key disabled"),
    ] {
        match decode_answers(&zen, &addrs(&[code])) {
            ListOutcome::Error(ListError::Operator { meaning, .. }) => {
                assert!(meaning.contains(fragment), "{code}")
            }
            other => panic!("{code}: {other:?}"),
        }
    }
    // An error among listings makes the whole answer an error.
    assert!(matches!(
        decode_answers(&zen, &addrs(&["127.0.0.2", "127.255.255.254"])),
        ListOutcome::Error(_)
    ));
    for bad in ["127.0.0.1", "192.0.2.1", "10.0.0.1"] {
        assert_eq!(
            decode_answers(&zen, &addrs(&[bad])),
            ListOutcome::Error(ListError::BadAnswer {
                address: bad.parse().unwrap()
            })
        );
    }
    let ListOutcome::Listed { listings, .. } = decode_answers(&zen, &addrs(&["127.0.0.99"])) else {
        panic!()
    };
    assert!(listings[0].meaning.contains("unknown code"));
    match decode_answers(&list("spamhaus-dbl"), &addrs(&["127.0.1.255"])) {
        ListOutcome::Error(ListError::Operator { meaning, .. }) => {
            assert!(meaning.contains("IP address was queried"))
        }
        other => panic!("{other:?}"),
    }
    let ListOutcome::Listed { listings, .. } =
        decode_answers(&list("surbl"), &addrs(&["127.0.0.24"]))
    else {
        panic!()
    };
    assert_eq!(listings[0].meaning, "SURBL PH: phishing, SURBL MW: malware");
    assert!(matches!(
        decode_answers(&list("uribl"), &addrs(&["127.0.0.1"])),
        ListOutcome::Error(ListError::Operator { .. })
    ));
    let ListOutcome::Listed { listings, .. } =
        decode_answers(&list("dnswl"), &addrs(&["127.0.15.2"]))
    else {
        panic!()
    };
    assert_eq!(listings[0].meaning, "dnswl.org category 15, trust 2");
    assert!(matches!(
        decode_answers(&list("dnswl"), &addrs(&["127.0.0.255"])),
        ListOutcome::Error(_)
    ));
    assert_eq!(decode_answers(&zen, &[]), ListOutcome::NotListed);
}

const ZONE: &str = "\
99.2.0.192.zen.spamhaus.org. A 127.0.0.2
99.2.0.192.zen.spamhaus.org. A 127.0.0.10
99.2.0.192.zen.spamhaus.org. TXT \"https://check.spamhaus.org/listed/?ip=192.0.2.99\"
99.2.0.192.bl.spamcop.net. A 127.0.0.2
99.2.0.192.list.dnswl.org. A 127.0.5.1
";

#[test]
fn one_ip_many_lists() {
    let mut zone = MemoryResolver::from_zone_text(ZONE).unwrap();
    zone.inject("99.2.0.192.b.barracudacentral.org", None, Fault::Timeout)
        .unwrap();
    let lists: Vec<DnsblList> = [
        "spamhaus-zen",
        "spamcop",
        "barracuda",
        "dnswl",
        "spamhaus-dbl",
    ]
    .map(list)
    .into();
    let options = DnsblConfig::default().fetch_reasons(true);
    let report = block_on(check_ip(
        &zone,
        "192.0.2.99".parse().unwrap(),
        &lists,
        &options,
    ));
    assert_eq!(report.blocked_by(), ["spamhaus-zen", "spamcop"]);
    assert_eq!(report.allowed_by(), ["dnswl"]);
    assert_eq!(report.errors(), [("barracuda", &ListError::Timeout)]);
    let ListOutcome::Listed { listings, reasons } = &report.results[0].outcome else {
        panic!()
    };
    assert_eq!(listings.len(), 2);
    assert_eq!(
        reasons,
        &["https://check.spamhaus.org/listed/?ip=192.0.2.99".to_owned()]
    );
    assert_eq!(
        report.results[4].outcome,
        ListOutcome::Error(ListError::NotApplicable)
    );
    let clean = block_on(check_ip(
        &zone,
        "192.0.2.1".parse().unwrap(),
        &lists,
        &DnsblConfig::default(),
    ));
    assert!(!clean.listed());
}

/// An error is never a listing: a list that only errs leaves the verdict
/// clean.
#[test]
fn errors_never_list() {
    let zone =
        MemoryResolver::from_zone_text("1.2.0.192.zen.spamhaus.org. A 127.255.255.254\n").unwrap();
    let report = block_on(check_ip(
        &zone,
        "192.0.2.1".parse().unwrap(),
        &[list("spamhaus-zen")],
        &DnsblConfig::default(),
    ));
    assert!(!report.listed());
    assert_eq!(report.errors().len(), 1);
}

/// One IP against 10 lists: 10 queries in flight at once, one round trip
/// on tokio's paused clock.
#[tokio::test(start_paused = true)]
async fn all_lists_are_queried_at_once() {
    let mut zone = MemoryResolver::from_zone_text(ZONE).unwrap();
    zone.set_latency(Duration::from_millis(50));
    let lists: Vec<DnsblList> = (0..10)
        .map(|i| DnsblList {
            id: format!("list{i}"),
            zone: format!("bl{i}.example"),
            ..list("spamcop")
        })
        .collect();
    let started = tokio::time::Instant::now();
    let report = check_ip(
        &zone,
        "192.0.2.99".parse().unwrap(),
        &lists,
        &DnsblConfig::default(),
    )
    .await;
    assert_eq!(report.results.len(), 10);
    assert_eq!(zone.queries(), 10);
    assert_eq!(zone.peak_in_flight(), 10);
    assert_eq!(
        started.elapsed(),
        Duration::from_millis(50),
        "one round trip"
    );
}

#[test]
fn bulk_checks_are_bounded_and_complete() {
    let mut zone = MemoryResolver::from_zone_text(ZONE).unwrap();
    zone.set_latency(Duration::from_millis(10));
    let zone = Arc::new(zone);
    let lists = [list("spamhaus-zen"), list("spamcop")];
    let targets: Vec<Target> = (90..100).map(|i| ip(&format!("192.0.2.{i}"))).collect();
    let reports: Vec<DnsblReport> =
        block_on(check_bulk(&*zone, targets, &lists, 3, &DnsblConfig::default()).collect());
    assert_eq!(reports.len(), 10);
    assert_eq!(zone.queries(), 20);
    assert!(
        zone.peak_in_flight() <= 6,
        "at most 3 targets x 2 lists: {}",
        zone.peak_in_flight()
    );
    let listed: Vec<String> = reports
        .iter()
        .filter(|r| r.listed())
        .map(|r| r.target.to_string())
        .collect();
    assert_eq!(listed, ["192.0.2.99"]);
}

/// RFC 5782 §5 test points.
#[test]
fn zone_health_from_test_points() {
    let report = |text: &str, id: &str| {
        let zone = MemoryResolver::from_zone_text(text).unwrap();
        block_on(zone_health(&zone, &list(id)))
    };
    let health = |text: &str, id: &str| report(text, id).health;
    assert_eq!(
        health("2.0.0.127.zen.spamhaus.org. A 127.0.0.2\n", "spamhaus-zen"),
        ZoneHealth::Healthy
    );
    assert_eq!(health("", "spamhaus-zen"), ZoneHealth::Dead);
    assert_eq!(
        health(
            "2.0.0.127.bl.spamcop.net. A 127.0.0.2\n1.0.0.127.bl.spamcop.net. A 127.0.0.2\n",
            "spamcop"
        ),
        ZoneHealth::ListsEverything
    );
    assert_eq!(
        health("2.0.0.127.bl.spamcop.net. A 192.0.2.53\n", "spamcop"),
        ZoneHealth::Hijacked("192.0.2.53".parse().unwrap())
    );
    assert!(matches!(
        health(
            "2.0.0.127.zen.spamhaus.org. A 127.255.255.254\n",
            "spamhaus-zen"
        ),
        ZoneHealth::Refusing(_)
    ));
    assert_eq!(
        health(
            "dbltest.com.dbl.spamhaus.org. A 127.0.1.2\n",
            "spamhaus-dbl"
        ),
        ZoneHealth::Healthy
    );
    assert_eq!(
        health("test.multi.surbl.org. A 127.0.0.8\n", "surbl"),
        ZoneHealth::Healthy
    );
    // IPv6 test points: queried as the nibbles of ::ffff:7f00:2, never as
    // the IPv4 address it maps.
    let v4_only = report("2.0.0.127.zen.spamhaus.org. A 127.0.0.2\n", "spamhaus-zen");
    assert_eq!(v4_only.ipv6, Some(ZoneHealth::Dead));
    assert_eq!(v4_only.overall(), &ZoneHealth::Dead);
    let both = report(
        "2.0.0.127.zen.spamhaus.org. A 127.0.0.2\n\
         2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.zen.spamhaus.org. A 127.0.0.2\n",
        "spamhaus-zen",
    );
    assert_eq!(both.overall(), &ZoneHealth::Healthy);
    assert_eq!(report("", "spamhaus-dbl").ipv6, None);
}

/// The overall deadline: lists still waiting when it passes time out.
#[test]
fn deadline_bounds_a_check() {
    // The paused clock: the 200 ms latency and the deadlines are exact.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let mut zone =
        MemoryResolver::from_zone_text("10.2.0.192.zen.spamhaus.org. A 127.0.0.10\n").unwrap();
    zone.set_latency(std::time::Duration::from_millis(200));
    let lists = [list("spamhaus-zen")];
    let check = |deadline| {
        let options = DnsblConfig::default().deadline(deadline);
        runtime.block_on(check_ip(
            &zone,
            "192.0.2.10".parse().unwrap(),
            &lists,
            &options,
        ))
    };
    let late = check(std::time::Duration::from_millis(50));
    assert_eq!(late.errors(), [("spamhaus-zen", &ListError::Timeout)]);
    assert!(!late.listed());
    let in_time = check(std::time::Duration::from_secs(5));
    assert!(in_time.listed());
}
