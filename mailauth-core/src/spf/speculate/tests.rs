//! Speculation gives the sequential evaluation's output in fewer round
//! trips, and never sends more than the §4.6.4 limit, however hostile the
//! records.

use std::fmt::Write;
use std::net::IpAddr;
use std::time::Duration;

use super::query_limit;
use crate::dns::MemoryResolver;
use crate::spf::{SpfConfig, SpfOutput, SpfResult, SpfVerifier};

const RTT: Duration = Duration::from_millis(20);

/// The RFC's limits: 1 + 10 × 11 + 11 + 1.
const LIMIT: usize = 123;

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// `head` followed by `count` terms, each made by `term`.
fn record(head: &str, count: usize, term: impl Fn(usize) -> String) -> String {
    let mut text = head.to_owned();
    for n in 0..count {
        write!(text, " {}", term(n)).unwrap();
    }
    text
}

/// A zone line for the TXT record `text` at `name`, in strings of at most
/// 200 octets.
fn txt(name: &str, text: &str) -> String {
    let strings: Vec<String> = text
        .as_bytes()
        .chunks(200)
        .map(|chunk| format!("\"{}\"", std::str::from_utf8(chunk).unwrap()))
        .collect();
    format!("{name}. TXT {}\n", strings.join(" "))
}

/// Evaluates `sender` from `client` over `zone` with every answer `RTT`
/// late, on a paused clock; the output, the virtual time it took, the
/// queries sent and the most in flight at once.
fn run(
    zone: &str,
    client: &str,
    sender: &str,
    speculate: bool,
) -> (SpfOutput, Duration, u64, usize) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let mut dns = MemoryResolver::from_zone_text(zone).unwrap();
    dns.set_latency(RTT);
    let verifier = SpfVerifier::new(SpfConfig::default().speculate(speculate));
    runtime.block_on(async {
        let start = tokio::time::Instant::now();
        let out = verifier
            .check_mail_from(&dns, ip(client), sender, "helo.example")
            .await;
        (out, start.elapsed(), dns.queries(), dns.peak_in_flight())
    })
}

/// Both ways: equal outputs; the speculative run's time, queries and
/// peak.
fn compare(zone: &str, client: &str, sender: &str) -> (SpfOutput, Duration, u64, usize) {
    let ahead = run(zone, client, sender, true);
    let sequential = run(zone, client, sender, false);
    assert_eq!(ahead.0, sequential.0, "speculation changed the output");
    assert_eq!(
        sequential.3, 1,
        "the sequential evaluation overlapped queries"
    );
    // One question at a time: one round trip each.
    assert_eq!(sequential.1, RTT * sequential.2 as u32);
    // No evaluation beats its chain of dependent questions.
    assert!(ahead.1 >= RTT * ahead.0.round_trips, "{:?}", ahead.1);
    assert!(
        ahead.2 as usize <= LIMIT,
        "{} queries sent, more than the §4.6.4 limit {LIMIT}",
        ahead.2
    );
    ahead
}

#[test]
fn the_limit_is_the_rfcs() {
    assert_eq!(query_limit(10, 10, 10), LIMIT);
    assert_eq!(query_limit(u32::MAX, usize::MAX, usize::MAX), usize::MAX);
}

#[test]
fn six_includes_cost_two_round_trips() {
    let mut zone = String::from(
        "example.com. TXT \"v=spf1 include:a.example include:b.example include:c.example \
         include:d.example include:e.example include:f.example -all\"\n",
    );
    for (n, label) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
        writeln!(zone, "{label}.example. TXT \"v=spf1 ip4:192.0.2.{n} -all\"").unwrap();
    }
    // The client is authorised by the last include: every one is asked.
    let (out, took, queries, peak) = compare(&zone, "192.0.2.5", "a@example.com");
    assert_eq!(out.result, SpfResult::Pass);
    assert_eq!(out.round_trips, 2);
    assert_eq!(took, 2 * RTT);
    assert_eq!(queries, 7);
    assert_eq!(peak, 6);
    let (_, sequential, _, _) = run(&zone, "192.0.2.5", "a@example.com", false);
    assert_eq!(sequential, 7 * RTT);
}

#[test]
fn nested_includes_cost_their_depth() {
    // Depth 4: example.com → a → b → c, each beside a sibling with an mx.
    let zone = "example.com. TXT \"v=spf1 include:a.example mx:m.example -all\"\n\
                a.example. TXT \"v=spf1 include:b.example a:h.example ~all\"\n\
                b.example. TXT \"v=spf1 include:c.example exists:x.example ~all\"\n\
                c.example. TXT \"v=spf1 ip4:198.51.100.0/24 ~all\"\n\
                h.example. A 192.0.2.200\n\
                m.example. MX 10 mx1.example.\n\
                m.example. MX 20 mx2.example.\n\
                mx1.example. A 192.0.2.1\n\
                mx2.example. A 192.0.2.2\n";
    // The second exchange authorises: every query is needed.
    let (out, took, queries, _) = compare(zone, "192.0.2.2", "a@example.com");
    assert_eq!(out.result, SpfResult::Pass);
    assert_eq!(out.lookups, 6);
    assert_eq!(out.round_trips, 4);
    assert_eq!(took, 4 * RTT);
    assert_eq!(queries, 9);
}

#[test]
fn hundreds_of_includes_send_no_more_than_the_limit() {
    let top = record("v=spf1", 300, |n| format!("include:i{n}.example"));
    let mut zone = txt("example.com", &(top + " -all"));
    for n in 0..300 {
        let include = record("v=spf1", 30, |m| format!("mx:m{m}.i{n}.example"));
        zone.push_str(&txt(&format!("i{n}.example"), &(include + " ~all")));
        for m in 0..30 {
            for e in 0..10 {
                writeln!(zone, "m{m}.i{n}.example. MX {e} e{e}.example.").unwrap();
            }
        }
    }
    for e in 0..10 {
        writeln!(zone, "e{e}.example. A 198.51.100.{e}").unwrap();
    }
    let (out, _, queries, _) = compare(&zone, "192.0.2.1", "a@example.com");
    assert_eq!(out.result, SpfResult::PermError);
    // The sequential evaluation: the record, i0, 9 mx × (1 + 10).
    let (_, _, sequential, _) = run(&zone, "192.0.2.1", "a@example.com", false);
    assert_eq!(sequential, 101);
    assert!(queries as usize <= LIMIT, "{queries}");
}

#[test]
fn a_deep_chain_sends_no_more_than_the_limit() {
    // Each record includes the next and names nine mx of its own, of ten
    // exchanges each: what is sent ahead at one level could push the next
    // level's terms past the limit.
    let mut zone = String::new();
    for n in 0..40 {
        let include = format!("v=spf1 include:d{}.example", n + 1);
        let text = record(&include, 9, |m| format!("mx:m{m}.d{n}.example"));
        writeln!(zone, "d{n}.example. TXT \"{text} -all\"").unwrap();
        for m in 0..9 {
            for e in 0..10 {
                writeln!(zone, "m{m}.d{n}.example. MX {e} e{e}.m{m}.d{n}.example.").unwrap();
                writeln!(zone, "e{e}.m{m}.d{n}.example. A 198.51.100.{e}").unwrap();
            }
        }
    }
    let (out, _, queries, _) = compare(&zone, "192.0.2.1", "a@d0.example");
    assert_eq!(out.result, SpfResult::PermError);
    assert!(queries as usize <= LIMIT, "{queries}");
}

#[test]
fn mx_with_many_exchanges_send_no_more_than_the_limit() {
    // Ten mx of ten exchanges each: the sequential evaluation's own
    // maximum, 1 + 10 × 11; the eleventh mx has 500 exchanges.
    let top = record("v=spf1", 11, |m| format!("mx:m{m}.example"));
    let mut zone = format!("example.com. TXT \"{top} -all\"\n");
    for m in 0..11 {
        let exchanges = if m == 10 { 500 } else { 10 };
        for e in 0..exchanges {
            writeln!(zone, "m{m}.example. MX {e} e{e}.m{m}.example.").unwrap();
            writeln!(zone, "e{e}.m{m}.example. A 198.51.100.{}", e % 250).unwrap();
        }
    }
    let (out, took, queries, _) = compare(&zone, "192.0.2.1", "a@example.com");
    assert_eq!(out.result, SpfResult::PermError);
    assert_eq!(queries, 111);
    // MX and exchanges: two round trips after the record.
    assert_eq!(took, 3 * RTT);
    // More than ten exchanges in the first mx: a permerror, no address.
    let zone = "example.com. TXT \"v=spf1 mx:m10.example a:x.example -all\"\n".to_owned()
        + &zone[zone.find('\n').unwrap() + 1..];
    let (out, _, queries, _) = compare(&zone, "192.0.2.1", "a@example.com");
    assert_eq!(out.result, SpfResult::PermError);
    assert!(queries <= 3, "{queries}");
}

#[test]
fn an_early_match_leaves_little_sent_for_nothing() {
    // ip4 matches before the includes: what was sent ahead is wasted,
    // bounded by what the record's first ten terms need.
    let top = record("v=spf1 ip4:192.0.2.1", 50, |n| {
        format!("include:i{n}.example")
    });
    let mut zone = txt("example.com", &(top + " -all"));
    for n in 0..50 {
        writeln!(zone, "i{n}.example. TXT \"v=spf1 -all\"").unwrap();
    }
    let (out, took, queries, _) = compare(&zone, "192.0.2.1", "a@example.com");
    assert_eq!(out.result, SpfResult::Pass);
    assert_eq!(took, RTT);
    assert!(queries <= 11, "{queries}");
}

#[test]
fn the_explanation_and_the_validated_name_are_asked_as_before() {
    let zone = "example.com. TXT \"v=spf1 include:a.example exists:%{p}.p.example \
                exp=why.example -all\"\n\
                a.example. TXT \"v=spf1 a:%{p}.other.example -all\"\n\
                why.example. TXT \"%{i} is not one of %{d}'s\"\n\
                1.2.0.192.in-addr.arpa. PTR host.example.\n\
                host.example. A 192.0.2.1\n";
    let (out, took, _, _) = compare(zone, "192.0.2.1", "a@example.com");
    assert_eq!(out.result, SpfResult::Fail);
    // The PTR, its name's address, then the targets that use it, all
    // sent ahead; the explanation only once the result is fail.
    assert_eq!(out.round_trips, 3);
    assert_eq!(took, 5 * RTT);
    assert_eq!(
        out.explanation.as_deref(),
        Some("192.0.2.1 is not one of example.com's")
    );
}

#[test]
fn nothing_is_sent_ahead_while_every_answer_is_at_hand() {
    use crate::fuzzing::{Deferred, block_on};
    // a.example authorises: b.example's record is never needed.
    let zone = "example.com. TXT \"v=spf1 include:a.example include:b.example -all\"\n\
                a.example. TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n\
                b.example. TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n";
    let dns = MemoryResolver::from_zone_text(zone).unwrap();
    let verifier = SpfVerifier::default();
    let at_hand =
        block_on(verifier.check_mail_from(&dns, ip("192.0.2.1"), "a@example.com", "h.example"));
    assert_eq!((at_hand.result, dns.queries()), (SpfResult::Pass, 2));
    // Answers that have to be waited for: b.example's record is asked
    // with a.example's, and the output is the same.
    dns.reset_counters();
    let waited = block_on(verifier.check_mail_from(
        &Deferred(&dns),
        ip("192.0.2.1"),
        "a@example.com",
        "h.example",
    ));
    assert_eq!((&waited, dns.queries()), (&at_hand, 3));
}
