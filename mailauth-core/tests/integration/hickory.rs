//! The hickory backend against the real server, over UDP (with TCP
//! fallback) and over TCP only.

use std::net::{IpAddr, SocketAddr, TcpListener, UdpSocket};
use std::time::{Duration, Instant};

use mailauth_core::dns::{
    CacheConfig, CachingResolver, DnsResolver, HickoryResolver, LookupError, NameError, Question,
    ServerFailure, Transport,
};

use crate::dns_server::DnsServer;

const TRANSPORTS: [Transport; 3] = [
    Transport::UdpWithTcpFallback,
    Transport::Tcp,
    Transport::UdpMultiplexed,
];

fn each_transport() -> impl Iterator<Item = (Transport, HickoryResolver)> {
    let server = DnsServer::shared();
    TRANSPORTS.into_iter().map(|t| (t, server.resolver(t)))
}

fn ip(text: &str) -> IpAddr {
    text.parse().expect("test IP")
}

#[tokio::test]
async fn reaches_the_served_zone() {
    for (transport, resolver) in each_transport() {
        // This name exists only in the repository's test zone.
        let txt = resolver
            .txt("served.mailauth.test")
            .await
            .expect("served TXT");
        assert_eq!(
            &*txt[0].joined(),
            b"served-by-the-mailauth-test-zone",
            "{transport:?}"
        );
    }
}

#[tokio::test]
async fn txt_keeps_character_strings() {
    for (transport, resolver) in each_transport() {
        let multi = resolver
            .txt("multi.mailauth.test.")
            .await
            .expect("multi TXT");
        assert_eq!(multi.len(), 1, "{transport:?}");
        let strings: Vec<&[u8]> = multi[0].strings().collect();
        assert_eq!(
            strings,
            [&b"v=spf1 "[..], b"ip4:192.0.2.1 ", b"-all"],
            "{transport:?}"
        );
        assert_eq!(&*multi[0].joined(), b"v=spf1 ip4:192.0.2.1 -all");

        let escaped = resolver
            .txt("escaped.mailauth.test")
            .await
            .expect("escaped TXT");
        assert_eq!(
            &*escaped[0].joined(),
            "quote \" backslash \\ tab\t e-acute é".as_bytes()
        );

        let mut two: Vec<Vec<u8>> = resolver
            .txt("two.mailauth.test")
            .await
            .expect("two TXT")
            .iter()
            .map(|t| t.joined().into_owned())
            .collect();
        two.sort();
        assert_eq!(
            two,
            [b"first".to_vec(), b"second".to_vec()],
            "{transport:?}"
        );
    }
}

#[tokio::test]
async fn txt_record_longer_than_255_bytes() {
    for (transport, resolver) in each_transport() {
        let long = resolver.txt("long.mailauth.test").await.expect("long TXT");
        let lengths: Vec<usize> = long[0].strings().map(<[u8]>::len).collect();
        assert_eq!(lengths, [255, 255, 100], "{transport:?}");
        assert_eq!(long[0].joined().len(), 610);
    }
}

#[tokio::test]
async fn answer_too_big_for_udp_comes_back_complete() {
    // 20 records of 243 bytes: about 5 KB, more than any UDP payload the
    // server sends (1232), so the UDP answer is truncated and hickory must
    // ask again over TCP.
    for (transport, resolver) in each_transport() {
        let big = resolver.txt("big.mailauth.test").await.expect("big TXT");
        assert_eq!(big.len(), 20, "{transport:?}");
        let mut tags: Vec<String> = big
            .iter()
            .map(|t| String::from_utf8_lossy(&t.joined()[..9]).into_owned())
            .collect();
        tags.sort();
        let expected: Vec<String> = (0..20).map(|i| format!("record-{i:02}")).collect();
        assert_eq!(tags, expected, "{transport:?}");
        assert!(big.iter().all(|t| t.joined().len() == 240));
    }
}

#[tokio::test]
async fn nxdomain_nodata_and_empty_non_terminals() {
    for (transport, resolver) in each_transport() {
        assert_eq!(
            resolver.a("nope.mailauth.test").await,
            Err(LookupError::NxDomain),
            "{transport:?}"
        );
        assert_eq!(
            resolver.txt("www.mailauth.test").await,
            Err(LookupError::NoData),
            "{transport:?}"
        );
        assert_eq!(
            resolver.a("b.deep.mailauth.test").await,
            Err(LookupError::NoData),
            "{transport:?}"
        );
        assert_eq!(
            resolver.txt("_report._dmarc.mailauth.test").await,
            Err(LookupError::NoData)
        );
    }
}

#[tokio::test]
async fn addresses_and_mx() {
    for (transport, resolver) in each_transport() {
        let mut a: Vec<_> = resolver
            .a("multihomed.mailauth.test")
            .await
            .expect("A")
            .to_vec();
        a.sort();
        assert_eq!(
            a,
            [
                "192.0.2.30".parse::<std::net::Ipv4Addr>().unwrap(),
                "192.0.2.31".parse().unwrap()
            ]
        );
        let aaaa = resolver.aaaa("www.mailauth.test").await.expect("AAAA");
        assert_eq!(aaaa[0].to_string(), "2001:db8::80", "{transport:?}");

        let mx = resolver.mx("mailauth.test").await.expect("MX");
        let prefs: Vec<u16> = mx.iter().map(|m| m.preference).collect();
        assert_eq!(prefs, [10, 10, 20], "sorted by preference, {transport:?}");
        assert_eq!(mx[2].exchange, "mail2.mailauth.test");
        let null = resolver.mx("nullmx.mailauth.test").await.expect("null MX");
        assert_eq!((null[0].preference, null[0].exchange.as_str()), (0, ""));
    }
}

#[tokio::test]
async fn cname_chains() {
    for (transport, resolver) in each_transport() {
        let a = resolver
            .a("alias2.mailauth.test")
            .await
            .expect("A through two CNAMEs");
        assert_eq!(a[0].to_string(), "192.0.2.80", "{transport:?}");
        assert_eq!(
            resolver.txt("alias.mailauth.test").await,
            Err(LookupError::NoData)
        );
        assert_eq!(
            resolver.a("dangling.mailauth.test").await,
            Err(LookupError::NxDomain)
        );
        assert_eq!(
            resolver.a("loop.mailauth.test").await,
            Err(LookupError::NoData)
        );
    }
}

#[tokio::test]
async fn ptr_for_ipv4_and_ipv6() {
    for (transport, resolver) in each_transport() {
        let mut names = resolver
            .ptr(ip("192.0.2.30"))
            .await
            .expect("PTR v4")
            .to_vec();
        names.sort();
        assert_eq!(
            names,
            ["multihomed.mailauth.test", "other-name.mailauth.test"],
            "{transport:?}"
        );
        let v6 = resolver.ptr(ip("2001:db8::80")).await.expect("PTR v6");
        assert_eq!(&*v6, ["www.mailauth.test".to_owned()], "{transport:?}");
        assert_eq!(
            resolver.ptr(ip("192.0.2.31")).await,
            Err(LookupError::NxDomain)
        );
    }
}

#[tokio::test]
async fn underscore_labels() {
    for (transport, resolver) in each_transport() {
        let dmarc = resolver.txt("_dmarc.mailauth.test").await.expect("_dmarc");
        assert!(dmarc[0].joined().starts_with(b"v=DMARC1;"), "{transport:?}");
        let spf = resolver.txt("_spf.mailauth.test").await.expect("_spf");
        assert!(spf[0].joined().starts_with(b"v=spf1 "));
        let report = resolver
            .txt("other.test._report._dmarc.mailauth.test")
            .await
            .expect("_report");
        assert_eq!(&*report[0].joined(), b"v=DMARC1;");
    }
}

#[tokio::test]
async fn names_outside_the_served_zones_are_refused() {
    for (transport, resolver) in each_transport() {
        assert_eq!(
            resolver.txt("example.com").await,
            Err(LookupError::ServerFailure(ServerFailure::REFUSED)),
            "{transport:?}"
        );
    }
}

/// A resolver with a 300 ms timeout and one attempt, asking `addr`.
fn impatient(addr: SocketAddr, transport: Transport) -> HickoryResolver {
    HickoryResolver::builder()
        .nameservers([addr])
        .transport(transport)
        .timeout(Duration::from_millis(300))
        .attempts(1)
        .cache(false)
        .build()
        .expect("build")
}

async fn assert_times_out(resolver: &HickoryResolver, what: &str) {
    let started = Instant::now();
    let outcome = resolver.txt("anything.mailauth.test").await;
    let took = started.elapsed();
    assert_eq!(outcome, Err(LookupError::Timeout), "{what}");
    // Within timeout x attempts (300 ms), with a margin for a loaded
    // machine that still tells it from hickory's defaults (5 s x 2).
    assert!(
        took < Duration::from_millis(1500),
        "{what}: took {took:?}, far more than the 300 ms timeout"
    );
}

#[tokio::test]
async fn silent_nameserver_times_out() {
    // Sockets that take queries and never answer.
    let udp = UdpSocket::bind("127.0.0.1:0").expect("bind UDP");
    assert_times_out(
        &impatient(udp.local_addr().unwrap(), Transport::UdpWithTcpFallback),
        "UDP",
    )
    .await;
    let tcp = TcpListener::bind("127.0.0.1:0").expect("bind TCP");
    assert_times_out(&impatient(tcp.local_addr().unwrap(), Transport::Tcp), "TCP").await;
    assert_times_out(
        &impatient(udp.local_addr().unwrap(), Transport::UdpMultiplexed),
        "multiplexed UDP",
    )
    .await;
}

#[tokio::test]
async fn unreachable_nameserver_times_out() {
    // Bind and close, so that nothing listens there.
    let port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    assert_times_out(
        &impatient(addr, Transport::UdpWithTcpFallback),
        "closed UDP port",
    )
    .await;
    assert_times_out(&impatient(addr, Transport::Tcp), "closed TCP port").await;
    assert_times_out(
        &impatient(addr, Transport::UdpMultiplexed),
        "closed UDP port, multiplexed",
    )
    .await;
}

#[tokio::test]
async fn invalid_names_send_no_packet() {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    socket.set_nonblocking(true).unwrap();
    let resolver = HickoryResolver::builder()
        .nameservers([socket.local_addr().unwrap()])
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let long_label = format!("{}.example", "x".repeat(64));
    let cases = [
        (
            "a..example",
            LookupError::InvalidName(NameError::EmptyLabel { offset: 2 }),
        ),
        (
            long_label.as_str(),
            LookupError::InvalidName(NameError::LabelTooLong { offset: 0, len: 64 }),
        ),
        ("", LookupError::InvalidName(NameError::Empty)),
    ];
    let started = Instant::now();
    for (name, expected) in cases {
        assert_eq!(resolver.txt(name).await, Err(expected.clone()), "{name:?}");
        assert_eq!(resolver.mx(name).await, Err(expected), "{name:?}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "answered without waiting for the network"
    );
    let mut buf = [0u8; 512];
    assert_eq!(
        socket.recv_from(&mut buf).map_err(|e| e.kind()),
        Err(std::io::ErrorKind::WouldBlock),
        "no packet may reach the nameserver"
    );
}

/// A nameserver on `127.0.0.1` that answers every query with an empty
/// answer (NODATA), except that it drops the first `K` copies of a query
/// whose first label is `lostK` (K a digit). Returns its address and the
/// number of queries it has seen.
fn lossy_nameserver() -> (SocketAddr, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let addr = socket.local_addr().expect("bound address");
    let seen = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&seen);
    std::thread::spawn(move || {
        let mut dropped = std::collections::HashMap::<Vec<u8>, u8>::new();
        let mut buffer = [0u8; 512];
        while let Ok((len, from)) = socket.recv_from(&mut buffer) {
            counter.fetch_add(1, Ordering::SeqCst);
            let query = &mut buffer[..len];
            if let [5, b'l', b'o', b's', b't', k @ b'0'..=b'9', ..] = query[12..] {
                let count = dropped.entry(query[12..].to_vec()).or_default();
                if *count < k - b'0' {
                    *count += 1;
                    continue;
                }
            }
            query[2] |= 0x80; // QR: a response, NOERROR, nothing in it.
            let _ = socket.send_to(query, from);
        }
    });
    (addr, seen)
}

/// Multiplexed UDP sends a lost query again once its answer is overdue by
/// the measured round-trip time (at least 50 ms; 376 ms before any
/// measurement), then after twice and four times that, not after the
/// whole 2 s timeout.
#[tokio::test]
async fn multiplexed_udp_resends_a_lost_query_early() {
    let (addr, seen) = lossy_nameserver();
    let resolver = HickoryResolver::builder()
        .nameservers([addr])
        .transport(Transport::UdpMultiplexed)
        .udp_sockets(1)
        .timeout(Duration::from_secs(2))
        .attempts(2)
        .cache(false)
        .build()
        .expect("resolver");
    // Every name answers NODATA in the end; how long did it take?
    let nodata_after = async |name: &str| {
        let started = Instant::now();
        assert_eq!(resolver.txt(name).await, Err(LookupError::NoData), "{name}");
        started.elapsed()
    };
    let seen = || seen.load(std::sync::atomic::Ordering::SeqCst);
    // Nothing measured yet: sent again after unbound's first guess, 376 ms.
    let took = nodata_after("lost1.first.example").await;
    assert!(took >= Duration::from_millis(376), "took {took:?}");
    assert!(took < Duration::from_millis(1500), "took {took:?}");
    for i in 0..5 {
        nodata_after(&format!("measured{i}.example")).await;
    }
    let took = nodata_after("lost1.example").await;
    assert!(took < Duration::from_millis(1000), "took {took:?}");
    assert_eq!(seen(), 2 + 5 + 2);
    // Three lost in a row: the fourth sending, after 50 + 100 + 200 ms.
    let took = nodata_after("lost3.example").await;
    assert!(took < Duration::from_millis(1500), "took {took:?}");
    assert_eq!(seen(), 2 + 5 + 2 + 4);
}

/// The multiplexed transport asks only nameservers on loopback or a
/// private network (its few source ports leave the 16-bit ID as the only
/// defence against forged answers), unless the caller allows others.
#[test]
fn multiplexed_udp_refuses_public_nameservers() {
    let build = |server: &str, allow: bool| {
        HickoryResolver::builder()
            .nameservers([server.parse::<SocketAddr>().expect("address")])
            .transport(Transport::UdpMultiplexed)
            .multiplex_public_servers(allow)
            .build()
    };
    for trusted in [
        "127.0.0.1:53",
        "10.1.2.3:53",
        "172.16.0.1:53",
        "192.168.1.1:5353",
        "[::1]:53",
        "[fd00::1]:53",
        "[::ffff:192.168.0.1]:53",
    ] {
        assert!(build(trusted, false).is_ok(), "{trusted}");
    }
    for public in [
        "8.8.8.8:53",
        "192.0.2.1:53",
        "[2001:db8::1]:53",
        "[::ffff:8.8.8.8]:53",
    ] {
        let error = build(public, false).expect_err(public);
        assert!(
            matches!(
                error,
                mailauth_core::dns::ResolverError::PublicMultiplexed(_)
            ),
            "{public}: {error}"
        );
        assert!(error.to_string().contains("multiplex_public_servers"));
        assert!(build(public, true).is_ok(), "{public} allowed");
    }
    // Other transports take any nameserver.
    let tcp = HickoryResolver::builder()
        .nameservers(["8.8.8.8:53".parse::<SocketAddr>().unwrap()])
        .transport(Transport::Tcp)
        .build();
    assert!(tcp.is_ok());
}

/// The multiplexed sockets live on the transport's own runtime: a resolver
/// whose first lookup ran on a runtime that has since been dropped keeps
/// answering from another.
#[test]
fn multiplexed_udp_outlives_the_runtime_of_its_first_lookup() {
    let resolver = DnsServer::shared().resolver(Transport::UdpMultiplexed);
    let lookup = |resolver: &HickoryResolver| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let answer = runtime.block_on(resolver.txt("served.mailauth.test"));
        drop(runtime);
        answer
    };
    for round in 0..3 {
        let answer = lookup(&resolver).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_eq!(&*answer[0].joined(), b"served-by-the-mailauth-test-zone");
    }
}

/// A nameserver whose UDP answers are all truncated (TC), each sent `delay`
/// after its query, and whose TCP port takes connections and never
/// answers. Returns its address.
fn truncating_nameserver(delay: Duration) -> SocketAddr {
    // The TCP port of a free UDP port may be taken by another test's
    // connection: try other ports until both are free.
    let (udp, tcp, addr) = (0..100)
        .find_map(|_| {
            let udp = UdpSocket::bind("127.0.0.1:0").ok()?;
            let addr = udp.local_addr().ok()?;
            let tcp = TcpListener::bind(addr).ok()?;
            Some((udp, tcp, addr))
        })
        .expect("a port free for both UDP and TCP");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        while let Ok((stream, _)) = tcp.accept() {
            held.push(stream);
        }
    });
    std::thread::spawn(move || {
        let mut buffer = [0u8; 512];
        while let Ok((len, from)) = udp.recv_from(&mut buffer) {
            let mut answer = buffer[..len].to_vec();
            answer[2] |= 0x82; // QR and TC.
            let udp = udp.try_clone().expect("clone");
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                let _ = udp.send_to(&answer, from);
            });
        }
    });
    addr
}

/// A truncated multiplexed answer goes to TCP within what is left of the
/// lookup's time (timeout × attempts), not with a whole new allowance:
/// the UDP answer takes most of the 2 s, the TCP server never answers,
/// and the lookup ends at 2 s, where it took the UDP time plus 2 s before.
#[tokio::test]
async fn multiplexed_tcp_fallback_keeps_the_time_limit() {
    let _timed = crate::dns_server::timed().await;
    let addr = truncating_nameserver(Duration::from_millis(1700));
    let resolver = HickoryResolver::builder()
        .nameservers([addr])
        .transport(Transport::UdpMultiplexed)
        .timeout(Duration::from_secs(2))
        .attempts(1)
        .cache(false)
        .build()
        .expect("resolver");
    let started = Instant::now();
    assert_eq!(resolver.txt("big.example").await, Err(LookupError::Timeout));
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(1700), "took {took:?}");
    // The limit is 2 s; before, the TCP fallback alone had 2 s more (3.7 s).
    assert!(took < Duration::from_millis(3200), "took {took:?}");
}

#[tokio::test]
async fn answers_carry_their_ttls_and_the_cache_keeps_them() {
    for (transport, resolver) in each_transport() {
        let kept = resolver.answer(Question::Txt("ttl120.mailauth.test")).await;
        assert!(kept.records.is_ok(), "{transport:?}");
        assert!(
            matches!(kept.ttl, Some(119..=120)),
            "{transport:?}: {:?}",
            kept.ttl
        );
        let gone = resolver.answer(Question::A("gone.mailauth.test")).await;
        assert_eq!(gone.records, Err(LookupError::NxDomain), "{transport:?}");
        // The SOA's TTL and MINIMUM are both 300 (RFC 2308 §5). The
        // multiplexed transport reads no authority section.
        let negative = match transport {
            Transport::UdpMultiplexed => None,
            _ => Some(300),
        };
        assert_eq!(gone.ttl, negative, "{transport:?}");

        let cache = CachingResolver::new(resolver, CacheConfig::default());
        for _ in 0..3 {
            assert!(cache.txt("ttl120.mailauth.test").await.is_ok());
            assert_eq!(
                cache.a("gone.mailauth.test").await,
                Err(LookupError::NxDomain)
            );
        }
        let stats = cache.stats();
        assert_eq!((stats.misses, stats.hits), (2, 4), "{transport:?}");
        let left = cache.answer(Question::Txt("ttl120.mailauth.test")).await;
        assert!(matches!(left.ttl, Some(1..=120)), "{:?}", left.ttl);
    }
}
