//! The parity test: the in-memory backend and the real server, loaded from
//! the same zone files, answer every question alike.

use std::fmt::Debug;
use std::net::IpAddr;

use mailauth_core::dns::{DnsResolver, LookupResult, MemoryResolver, RecordData, Transport, Zone};

use crate::dns_server::{DnsServer, test_zone_files};

/// An answer as a comparable value: the outcome, with the records sorted
/// (an RRset has no order; MX order is compared by preference only).
fn normalize<T: Debug>(answer: LookupResult<T>) -> Result<Vec<String>, String> {
    match answer {
        Ok(records) => {
            let mut records: Vec<String> = records.iter().map(|r| format!("{r:?}")).collect();
            records.sort();
            Ok(records)
        }
        Err(outcome) => Err(format!("{outcome:?}")),
    }
}

#[tokio::test]
async fn both_backends_answer_alike() {
    let mut memory = MemoryResolver::new();
    let mut names = vec![
        "nope.mailauth.test".to_owned(),
        "b.deep.mailauth.test".to_owned(),
        "deep.mailauth.test".to_owned(),
        "x.nope.mailauth.test".to_owned(),
        "_report._dmarc.mailauth.test".to_owned(),
    ];
    let mut ips: Vec<IpAddr> = vec!["192.0.2.1".parse().unwrap(), "2001:db8::1".parse().unwrap()];
    for file in test_zone_files() {
        let text = std::fs::read_to_string(&file).expect("read zone file");
        let zone = Zone::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for record in &zone.records {
            names.push(record.name.clone());
            if let RecordData::A(ip) = record.data {
                ips.push(IpAddr::V4(ip));
            }
            if let RecordData::Aaaa(ip) = record.data {
                ips.push(IpAddr::V6(ip));
            }
        }
        memory.add_zone(zone);
    }
    names.sort();
    names.dedup();
    // Only addresses under the served reverse zones: hickory answers the
    // special-use names of RFC 6761 (127.0.0.1 is `localhost`) itself.
    ips.retain(|ip| !ip.is_loopback());
    ips.sort();
    ips.dedup();

    let server = DnsServer::shared();
    let mut questions = 0;
    for transport in [
        Transport::UdpWithTcpFallback,
        Transport::Tcp,
        Transport::UdpMultiplexed,
    ] {
        let real = server.resolver(transport);
        for name in &names {
            let pairs = [
                (
                    "TXT",
                    normalize(memory.txt(name).await),
                    normalize(real.txt(name).await),
                ),
                (
                    "A",
                    normalize(memory.a(name).await),
                    normalize(real.a(name).await),
                ),
                (
                    "AAAA",
                    normalize(memory.aaaa(name).await),
                    normalize(real.aaaa(name).await),
                ),
                (
                    "MX",
                    normalize(memory.mx(name).await),
                    normalize(real.mx(name).await),
                ),
            ];
            for (kind, mem, net) in pairs {
                assert_eq!(mem, net, "{kind} {name} over {transport:?}");
                questions += 1;
            }
        }
        for ip in &ips {
            let (mem, net) = (
                normalize(memory.ptr(*ip).await),
                normalize(real.ptr(*ip).await),
            );
            assert_eq!(mem, net, "PTR {ip} over {transport:?}");
            questions += 1;
        }
    }
    // Every owner name, four types, both transports, and every PTR.
    assert!(questions > 300, "asked only {questions} questions");
    assert_eq!(memory.queries(), questions);
}
