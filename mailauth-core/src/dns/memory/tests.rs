use std::sync::Arc;

use super::*;
use crate::dns::NameError;

const ZONE: &str = "$ORIGIN example.\n\
    @ TXT \"v=spf1 \" \"-all\"\n\
    @ MX 20 b\n\
    @ MX 10 a\n\
    a A 192.0.2.1\n\
    a A 192.0.2.2\n\
    a AAAA 2001:db8::1\n\
    x.y.deep A 192.0.2.3\n\
    alias CNAME a\n\
    chain1 CNAME chain2\n\
    chain2 CNAME alias\n\
    dangling CNAME missing\n\
    loop1 CNAME loop2\n\
    loop2 CNAME loop1\n\
    1.2.0.192.in-addr.arpa. PTR a.example.\n\
    1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. PTR a\n";

fn zone() -> MemoryResolver {
    MemoryResolver::from_zone_text(ZONE).expect("test zone")
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime")
        .block_on(future)
}

#[test]
fn answers_records_by_type() {
    block_on(async {
        let zone = zone();
        let txt = zone.txt("example").await.unwrap();
        assert_eq!(&*txt[0].joined(), b"v=spf1 -all");
        let a = zone.a("a.example").await.unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(
            zone.aaaa("a.example.").await.unwrap()[0].to_string(),
            "2001:db8::1"
        );
        let mx: Vec<_> = zone
            .mx("EXAMPLE")
            .await
            .unwrap()
            .iter()
            .map(|m| m.exchange.clone())
            .collect();
        assert_eq!(mx, ["a.example", "b.example"], "sorted by preference");
        let ptr = zone.ptr("192.0.2.1".parse().unwrap()).await.unwrap();
        assert_eq!(&*ptr, ["a.example".to_owned()]);
        let ptr6 = zone.ptr("2001:db8::1".parse().unwrap()).await.unwrap();
        assert_eq!(&*ptr6, ["a.example".to_owned()]);
    });
}

#[test]
fn nxdomain_nodata_and_empty_non_terminals() {
    block_on(async {
        let zone = zone();
        assert_eq!(zone.a("nope.example").await, Err(LookupError::NxDomain));
        assert_eq!(zone.txt("a.example").await, Err(LookupError::NoData));
        assert_eq!(zone.a("y.deep.example").await, Err(LookupError::NoData));
        assert_eq!(zone.a("deep.example").await, Err(LookupError::NoData));
        assert_eq!(
            zone.a("z.x.y.deep.example").await,
            Err(LookupError::NxDomain)
        );
        assert_eq!(
            zone.ptr("192.0.2.9".parse().unwrap()).await,
            Err(LookupError::NxDomain)
        );
    });
}

#[test]
fn follows_cnames_with_a_limit() {
    block_on(async {
        let zone = zone();
        assert_eq!(zone.a("chain1.example").await.unwrap().len(), 2);
        assert_eq!(zone.txt("alias.example").await, Err(LookupError::NoData));
        assert_eq!(zone.a("dangling.example").await, Err(LookupError::NxDomain));
        assert_eq!(zone.a("loop1.example").await, Err(LookupError::NoData));

        let mut long = MemoryResolver::new();
        let links = MemoryResolver::CNAME_LIMIT;
        for i in 0..links {
            long.add_zone_text(&format!("c{i}.example. CNAME c{}.example.\n", i + 1))
                .unwrap();
        }
        long.add_zone_text(&format!("c{links}.example. A 192.0.2.1\n"))
            .unwrap();
        assert!(
            long.a("c0.example").await.is_ok(),
            "{links} links are followed"
        );
        long.add_zone_text("start.example. CNAME c0.example.\n")
            .unwrap();
        assert_eq!(
            long.a("start.example").await,
            Err(LookupError::NoData),
            "one more is not"
        );
    });
}

#[test]
fn invalid_names_are_refused() {
    block_on(async {
        let zone = zone();
        assert_eq!(
            zone.txt("a..example").await,
            Err(LookupError::InvalidName(NameError::EmptyLabel {
                offset: 2
            }))
        );
        assert_eq!(
            zone.txt("").await,
            Err(LookupError::InvalidName(NameError::Empty))
        );
        assert!(
            MemoryResolver::new()
                .inject("bad..name", None, Fault::Timeout)
                .is_err()
        );
    });
}

/// A name asked as the zone holds it skips validation and case folding;
/// every other form of a name answers as it did through them. Owner names
/// that no query can ask (inserted by hand: empty labels, a trailing dot)
/// stay unreachable.
#[test]
fn names_in_every_form() {
    block_on(async {
        let mut zone = zone();
        for name in ["bad..example", "dot.example.", "x.example.."] {
            zone.insert(ZoneRecord::new(
                name,
                60,
                RecordData::A([192, 0, 2, 9].into()),
            ));
        }
        for name in ["a.example", "a.example.", "A.Example", "A.EXAMPLE."] {
            assert_eq!(zone.a(name).await.unwrap().len(), 2, "{name}");
        }
        assert!(matches!(
            zone.a("bad..example").await,
            Err(LookupError::InvalidName(NameError::EmptyLabel {
                offset: 4
            }))
        ));
        assert!(matches!(
            zone.a("x.example..").await,
            Err(LookupError::InvalidName(NameError::EmptyLabel { .. }))
        ));
        assert!(matches!(
            zone.a("dot.example..").await,
            Err(LookupError::InvalidName(_))
        ));
        assert_eq!(zone.a("dot.example.").await, Err(LookupError::NxDomain));
        assert_eq!(zone.a("dot.example").await, Err(LookupError::NxDomain));
        let mut faulty = zone;
        faulty.inject("a.example", None, Fault::Timeout).unwrap();
        assert_eq!(faulty.a("a.example").await, Err(LookupError::Timeout));
        assert_eq!(faulty.a("alias.example").await, Err(LookupError::Timeout));
    });
}

#[test]
fn injected_faults() {
    block_on(async {
        let mut zone = zone();
        zone.inject("a.example", Some(RecordType::Aaaa), Fault::Timeout)
            .unwrap();
        zone.inject("example", None, Fault::Rcode(2)).unwrap();
        zone.inject("ghost.example", Some(RecordType::Txt), Fault::Rcode(5))
            .unwrap();
        assert!(
            zone.a("a.example").await.is_ok(),
            "other types still answer"
        );
        assert_eq!(zone.aaaa("a.example").await, Err(LookupError::Timeout));
        assert_eq!(
            zone.mx("example").await,
            Err(LookupError::ServerFailure(ServerFailure::SERVFAIL))
        );
        assert_eq!(
            zone.txt("ghost.example").await,
            Err(LookupError::ServerFailure(ServerFailure::REFUSED))
        );
        assert_eq!(zone.a("ghost.example").await, Err(LookupError::NxDomain));
        // A fault on a CNAME target applies through the alias.
        assert_eq!(zone.aaaa("alias.example").await, Err(LookupError::Timeout));
    });
}

#[test]
fn counts_queries_by_type_and_logs_them() {
    block_on(async {
        let zone = zone();
        zone.enable_query_log();
        let _ = zone.txt("example").await;
        let _ = zone.a("A.example.").await;
        let _ = zone.a("nope.example").await;
        let _ = zone.ptr("192.0.2.1".parse().unwrap()).await;
        let _ = zone.mx("a..b").await;
        assert_eq!(zone.queries(), 5);
        assert_eq!(zone.queries_of(RecordType::A), 2);
        assert_eq!(zone.queries_of(RecordType::Mx), 1);
        assert_eq!(zone.queries_of(RecordType::Aaaa), 0);
        let log = zone.query_log();
        assert_eq!(
            log[1],
            QueryRecord {
                name: "A.example".into(),
                record_type: RecordType::A
            }
        );
        assert_eq!(log[3].name, "1.2.0.192.in-addr.arpa");
        assert_eq!(zone.in_flight(), 0);
        assert_eq!(zone.peak_in_flight(), 1, "sequential queries never overlap");
        zone.reset_counters();
        assert_eq!(
            (
                zone.queries(),
                zone.peak_in_flight(),
                zone.query_log().len()
            ),
            (0, 0, 0)
        );
    });
}

#[test]
fn latency_shows_concurrent_queries_in_flight() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut zone = zone();
        zone.set_latency(std::time::Duration::from_millis(50));
        let zone = Arc::new(zone);
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let zone = Arc::clone(&zone);
                tokio::spawn(async move { zone.a("a.example").await })
            })
            .collect();
        // While they sleep, all six are in flight.
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        assert_eq!(zone.in_flight(), 6);
        for task in tasks {
            assert!(task.await.expect("task").is_ok());
        }
        assert_eq!(zone.in_flight(), 0);
        assert_eq!(zone.peak_in_flight(), 6);
        assert_eq!(zone.queries(), 6);
    });
}

#[test]
fn cancelled_queries_leave_flight() {
    block_on(async {
        let mut zone = zone();
        zone.set_latency(std::time::Duration::from_secs(10));
        let outcome =
            tokio::time::timeout(std::time::Duration::from_millis(10), zone.a("a.example")).await;
        assert!(outcome.is_err(), "still sleeping");
        assert_eq!(zone.in_flight(), 0);
        assert_eq!(zone.peak_in_flight(), 1);
    });
}

#[test]
fn inserted_records_are_visible() {
    block_on(async {
        let mut zone = MemoryResolver::new();
        assert_eq!(zone.txt("new.example").await, Err(LookupError::NxDomain));
        zone.insert(ZoneRecord {
            name: "New.Example".into(),
            ttl: 60,
            data: RecordData::Txt(Txt::new([b"hello".to_vec()])),
        });
        assert_eq!(
            &*zone.txt("new.example").await.unwrap()[0].joined(),
            b"hello"
        );
        assert_eq!(zone.txt("example").await, Err(LookupError::NoData));
    });
}

/// Many records at one name load in one pass and keep their order (the
/// `zone_load_one_name` benchmark shows the cost is linear).
#[test]
fn many_records_at_one_name() {
    let text: String = (0..8_000)
        .map(|i| {
            format!(
                "big.example. TXT \"record {i}\"\nbig.example. MX {} mx{i}.example.\n",
                8_000 - i
            )
        })
        .collect();
    let zone = MemoryResolver::from_zone_text(&text).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let txt = runtime.block_on(zone.txt("big.example")).unwrap();
    assert_eq!(txt.len(), 8_000);
    assert_eq!(&*txt[7_999].joined(), b"record 7999");
    let mx = runtime.block_on(zone.mx("big.example")).unwrap();
    assert_eq!(mx[0].exchange, "mx7999.example");
    assert_eq!(
        runtime.block_on(zone.a("example")),
        Err(LookupError::NoData)
    );
}

/// `at_hand` answers every question as the typed methods do (records,
/// NXDOMAIN, NODATA, CNAMEs, faults, refused names), counts and logs it,
/// and answers nothing once latency is set.
#[test]
fn at_hand_answers_as_the_typed_methods_do() {
    block_on(async {
        let mut zone = zone();
        zone.inject("ghost.example", Some(RecordType::Txt), Fault::Rcode(5))
            .unwrap();
        zone.enable_query_log();
        let questions = [
            Question::Txt("example"),
            Question::Txt("ghost.example"),
            Question::A("alias.example"),
            Question::A("nope.example"),
            Question::Aaaa("x.y.deep.example"),
            Question::Mx("EXAMPLE."),
            Question::Ptr("192.0.2.1".parse().unwrap()),
            Question::Ptr("2001:db8::1".parse().unwrap()),
            Question::Txt("loop1.example"),
            Question::A("a..b"),
        ];
        for question in questions {
            let at_hand = zone.at_hand(question).expect("every answer is at hand");
            assert_eq!(
                at_hand,
                crate::dns::ask_typed(&zone, question).await,
                "{question:?}"
            );
        }
        assert_eq!(zone.queries(), 2 * questions.len() as u64);
        assert_eq!(zone.query_log()[0].name, "example");
        assert_eq!(zone.in_flight(), 0);
        zone.set_latency(std::time::Duration::from_millis(1));
        assert!(zone.at_hand(Question::Txt("example")).is_none());
    });
}
