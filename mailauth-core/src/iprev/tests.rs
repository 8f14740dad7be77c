use std::time::Duration;

use super::*;
use crate::dns::{Fault, MemoryResolver, RecordType};

const ZONE: &str = "\
$ORIGIN example.com.
; 192.0.2.10: one name that confirms.
10.2.0.192.in-addr.arpa. PTR mail
mail A 192.0.2.10
mail AAAA 2001:db8::10
; 192.0.2.20: three names, only the third confirms.
20.2.0.192.in-addr.arpa. PTR gone
20.2.0.192.in-addr.arpa. PTR other
20.2.0.192.in-addr.arpa. PTR third
other A 192.0.2.99
third A 192.0.2.20
; 192.0.2.30: the name resolves elsewhere (forged).
30.2.0.192.in-addr.arpa. PTR forged
forged A 198.51.100.1
; 192.0.2.40: the name has no address (NODATA).
40.2.0.192.in-addr.arpa. PTR noaddr
noaddr MX 10 mail
; 192.0.2.50: a numeric PTR name.
50.2.0.192.in-addr.arpa. PTR 192.0.2.50.
; 192.0.2.60: the name's lookup times out.
60.2.0.192.in-addr.arpa. PTR slow
; 192.0.2.70: one name times out, another confirms.
70.2.0.192.in-addr.arpa. PTR slow
70.2.0.192.in-addr.arpa. PTR seventy
seventy A 192.0.2.70
; 2001:db8::10 confirms; 2001:db8::99 has none.
0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. PTR mail
; An empty non-terminal under in-addr.arpa: NODATA for 8.2.0.192.
x.8.2.0.192.in-addr.arpa. PTR mail
";

fn zone() -> MemoryResolver {
    let mut zone = MemoryResolver::from_zone_text(ZONE).unwrap();
    zone.inject("slow.example.com", None, Fault::Timeout)
        .unwrap();
    zone.inject(
        "9.2.0.192.in-addr.arpa",
        Some(RecordType::Ptr),
        Fault::Rcode(2),
    )
    .unwrap();
    zone
}

fn run(ip: &str) -> IprevOutput {
    let zone = zone();
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(iprev(&zone, ip.parse().unwrap(), &IprevConfig::default()))
}

#[test]
fn pass_with_one_name() {
    let out = run("192.0.2.10");
    assert_eq!(out.result, IprevResult::Pass);
    assert_eq!(out.confirmed, ["mail.example.com"]);
    assert_eq!(out.postfix.name, "mail.example.com");
    assert_eq!(
        (out.postfix.reverse_status, out.postfix.name_status),
        (PeerStatus::Ok, PeerStatus::Ok)
    );
    assert_eq!(
        (
            out.postfix.reverse_reject.clone(),
            out.postfix.client_reject.clone()
        ),
        (None, None)
    );
    assert_eq!(
        out.authentication_results(),
        "iprev=pass policy.iprev=192.0.2.10"
    );
}

/// §3: pass when any name confirms; Postfix looks at the first name only.
#[test]
fn only_the_third_name_confirms() {
    let out = run("192.0.2.20");
    assert_eq!(out.result, IprevResult::Pass);
    assert_eq!(out.confirmed, ["third.example.com"]);
    assert_eq!(out.forward.len(), 3);
    assert!(matches!(
        out.forward[0].outcome,
        ForwardOutcome::NoAddress(LookupError::NxDomain)
    ));
    assert_eq!(
        out.forward[1].outcome,
        ForwardOutcome::Mismatch(vec!["192.0.2.99".parse().unwrap()])
    );
    assert_eq!(out.postfix.name_status, PeerStatus::Permanent);
    assert_eq!(out.postfix.name, "unknown");
    assert_eq!(
        out.postfix.client_reject.as_ref().unwrap().to_string(),
        "450 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.20]"
    );
    assert!(out.postfix.reverse_reject.is_none());
}

#[test]
fn fail_when_the_name_resolves_elsewhere() {
    let out = run("192.0.2.30");
    assert_eq!(out.result, IprevResult::Fail);
    assert_eq!(out.postfix.name_status, PeerStatus::Forged);
    assert!(out.postfix.client_reject.is_some());
}

/// §2.7.3: a forward query with no result (NODATA) is a fail.
#[test]
fn fail_when_the_name_has_no_address() {
    let out = run("192.0.2.40");
    assert_eq!(out.result, IprevResult::Fail);
    assert!(matches!(
        out.forward[0].outcome,
        ForwardOutcome::NoAddress(LookupError::NoData)
    ));
}

/// §2.7.3: no PTR data is a permerror, NXDOMAIN and NODATA alike.
#[test]
fn permerror_without_ptr() {
    for ip in ["192.0.2.99", "192.0.2.8"] {
        let out = run(ip);
        assert_eq!(out.result, IprevResult::PermError, "{ip}");
        assert!(
            out.ptr_error.as_ref().is_some_and(LookupError::is_void),
            "{ip}"
        );
        let reply = out.postfix.reverse_reject.expect("rejected");
        assert_eq!(
            reply.to_string(),
            format!("450 4.7.1 Client host rejected: cannot find your reverse hostname, [{ip}]")
        );
    }
}

#[test]
fn temperror_on_dns_failures() {
    let ptr_failure = run("192.0.2.9");
    assert_eq!(ptr_failure.result, IprevResult::TempError);
    assert_eq!(ptr_failure.postfix.reverse_status, PeerStatus::Temporary);
    assert_eq!(ptr_failure.postfix.reverse_reject.unwrap().code, 450);
    let forward_timeout = run("192.0.2.60");
    assert_eq!(forward_timeout.result, IprevResult::TempError);
    assert_eq!(forward_timeout.postfix.name_status, PeerStatus::Temporary);
    // A timeout does not hide a name that confirms.
    assert_eq!(run("192.0.2.70").result, IprevResult::Pass);
}

#[test]
fn numeric_ptr_names_are_unknown_to_postfix() {
    let out = run("192.0.2.50");
    assert_eq!(out.postfix.reverse_status, PeerStatus::Permanent);
    assert!(out.postfix.reverse_reject.is_some());
}

#[test]
fn ipv6_and_mapped_addresses() {
    let out = run("2001:db8::10");
    assert_eq!(out.result, IprevResult::Pass);
    assert_eq!(
        out.authentication_results(),
        "iprev=pass policy.iprev=\"2001:db8::10\""
    );
    let mapped = run("::ffff:192.0.2.10");
    assert_eq!(mapped.ip, "192.0.2.10".parse::<IpAddr>().unwrap());
    assert_eq!(mapped.result, IprevResult::Pass);
    assert_eq!(run("2001:db8::99").result, IprevResult::PermError);
}

#[test]
fn names_past_the_limit_are_ignored() {
    let mut text = String::new();
    for i in 1..=11 {
        text.push_str(&format!("5.2.0.192.in-addr.arpa. PTR n{i}.example.\n"));
    }
    text.push_str("n11.example. A 192.0.2.5\n");
    let zone = MemoryResolver::from_zone_text(&text).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let out = runtime.block_on(iprev(
        &zone,
        "192.0.2.5".parse().unwrap(),
        &IprevConfig::default(),
    ));
    assert_eq!(out.ptr_names.len(), 11);
    assert_eq!(out.forward.len(), 10);
    assert_eq!(
        out.result,
        IprevResult::Fail,
        "the 11th name is not evaluated"
    );
    let config = IprevConfig::default().max_names(11);
    let out = runtime.block_on(iprev(&zone, "192.0.2.5".parse().unwrap(), &config));
    assert_eq!(out.result, IprevResult::Pass);
}

/// The forward lookups run at once: with 50 ms latency per answer, three
/// names are three queries in flight together. On tokio's paused clock
/// the elapsed time is exact, whatever the machine's load.
#[tokio::test(start_paused = true)]
async fn forward_lookups_run_concurrently() {
    let mut zone = zone();
    zone.set_latency(Duration::from_millis(50));
    let started = tokio::time::Instant::now();
    let out = iprev(
        &zone,
        "192.0.2.20".parse().unwrap(),
        &IprevConfig::default(),
    )
    .await;
    assert_eq!(out.result, IprevResult::Pass);
    assert_eq!(zone.queries(), 4, "one PTR and three A queries");
    assert_eq!(zone.peak_in_flight(), 3);
    assert_eq!(
        started.elapsed(),
        Duration::from_millis(100),
        "PTR then one round"
    );
}

#[test]
fn configurable_reject_code() {
    let zone = zone();
    let config = IprevConfig::default().unknown_client_reject_code(RejectCode::PERMANENT);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let out = runtime.block_on(iprev(&zone, "192.0.2.99".parse().unwrap(), &config));
    assert_eq!(
        out.postfix.reverse_reject.unwrap().to_string().get(..9),
        Some("550 5.7.1")
    );
}
