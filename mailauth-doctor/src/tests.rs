//! The doctor on small in-memory zones; the bundled demo cases have their
//! snapshot tests in `examples/tests/doctor.rs`.

use super::checks::fixed_record;
use super::*;
use mailauth_core::dns::MemoryResolver;

fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

fn zone(text: &str) -> MemoryResolver {
    MemoryResolver::from_zone_text(text).unwrap()
}

/// RFC 7208 §4.6.4 limits, §5.2 includes without a record, `+all`, `ptr`
/// and a missing `all`, over a tree of includes.
#[test]
fn spf_audit_counts_the_whole_tree() {
    let dns = zone(
        "big.example. TXT \"v=spf1 include:a.example include:b.example a:gone1.example mx:gone2.example exists:gone3.example ptr +all\"\n\
         a.example. TXT \"v=spf1 a mx include:c.example\"\n\
         a.example. A 192.0.2.1\n\
         a.example. MX 10 a.example.\n\
         b.example. TXT \"v=spf1 include:nothing.example include:a.example\"\n\
         c.example. TXT \"v=spf1 a:c.example ip4:192.0.2.0/24\"\n\
         c.example. A 192.0.2.2\n\
         open.example. TXT \"v=spf1 a\"\n\
         open.example. A 192.0.2.3\n",
    );
    let audit = run(audit_spf(&dns, "big.example"));
    // big: 2 includes, a, mx, exists, ptr = 6; a.example: a, mx, include = 3;
    // b.example: 2 includes = 2; c.example: a = 1 (a.example counted once).
    assert_eq!(audit.dns_terms, 12);
    assert_eq!(audit.void_lookups, 3);
    assert_eq!(audit.includes_without_record, ["nothing.example"]);
    assert!(audit.plus_all && audit.uses_ptr && !audit.missing_all);
    let report = spf_record_report(&dns, "big.example");
    assert_eq!(report.verdict, Verdict::Fail);
    assert!(
        report
            .summary
            .contains("12 DNS-querying terms, more than 10"),
        "{}",
        report.summary
    );
    let open = run(audit_spf(&dns, "open.example"));
    assert!(open.missing_all);
    assert_eq!(
        spf_record_report(&dns, "open.example").verdict,
        Verdict::Warn
    );
    let none = run(audit_spf(&dns, "none.example"));
    assert_eq!(
        none.problem.as_deref(),
        Some("none.example publishes no SPF record")
    );
}

/// A hostile record: thousands of targets and a long include chain; the
/// audit stays within its limits and says so.
#[test]
fn spf_audit_is_bounded() {
    // One character-string per term: a string holds at most 255 octets.
    let mut text = String::from("wide.example. TXT \"v=spf1\"");
    for i in 0..2000 {
        text.push_str(&format!(" \" a:t{i}.example\""));
    }
    text.push_str(" \" include:c0.example -all\"\n");
    for i in 0..100 {
        text.push_str(&format!(
            "c{i}.example. TXT \"v=spf1 include:c{}.example\"\n",
            i + 1
        ));
    }
    let dns = zone(&text);
    dns.reset_counters();
    let audit = run(audit_spf(&dns, "wide.example"));
    assert!(audit.truncated);
    assert_eq!(audit.void_lookups, 50);
    assert!(dns.queries() < 200, "{} queries", dns.queries());
}

fn spf_record_report(dns: &MemoryResolver, domain: &str) -> Finding {
    let report = run(audit_domain(dns, domain)).unwrap();
    report.finding(CheckKind::SpfRecord).unwrap().clone()
}

/// The fixed record, built from the parsed record: a term before `all`, or
/// in place of a broken include; none for a record that does not parse.
#[test]
fn fixed_records() {
    let term = |text: &str| super::checks::spf_term(text).unwrap();
    let fixed = |record: Option<&str>, broken: Option<&str>, add: &str| {
        fixed_record(record, broken, &term(add))
    };
    assert_eq!(
        fixed(
            Some("v=spf1 ip4:192.0.2.1 -all"),
            None,
            "include:isp.example"
        )
        .as_deref(),
        Some("v=spf1 ip4:192.0.2.1 include:isp.example -all")
    );
    assert_eq!(
        fixed(
            Some("v=spf1 include:SMTP.isp.example ~all"),
            Some("smtp.isp.example"),
            "include:isp.example"
        )
        .as_deref(),
        Some("v=spf1 include:isp.example ~all")
    );
    assert_eq!(
        fixed(
            Some("v=spf1 mx redirect=_spf.example"),
            None,
            "ip4:192.0.2.9"
        )
        .as_deref(),
        Some("v=spf1 mx ip4:192.0.2.9 redirect=_spf.example")
    );
    assert_eq!(
        fixed(None, None, "ip6:2001:db8::1").as_deref(),
        Some("v=spf1 ip6:2001:db8::1 -all")
    );
    // Text that only looks like the broken include is not replaced.
    assert_eq!(
        fixed(
            Some("v=spf1 exists:include.smtp.isp.example -all"),
            Some("smtp.isp.example"),
            "ip4:192.0.2.9"
        )
        .as_deref(),
        Some("v=spf1 exists:include.smtp.isp.example ip4:192.0.2.9 -all")
    );
    assert_eq!(
        fixed(Some("v=spf1 ip4:192.0.2.300 -all"), None, "ip4:192.0.2.9"),
        None
    );
}

/// A setup without PTR, with a relay outside SPF, and a DMARC reject: the
/// findings name the causes and the fixes.
#[test]
fn diagnose_names_causes_and_fixes() {
    let dns = zone(
        "example.org. TXT \"v=spf1 ip4:203.0.113.60 -all\"\n\
         example.org. MX 10 mx.example.org.\n\
         mx.example.org. A 203.0.113.60\n\
         _dmarc.example.org. TXT \"v=DMARC1; p=reject; rua=mailto:d@reports.example.net\"\n\
         isp.example.net. TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n\
         relay.isp.example.net. A 198.51.100.7\n\
         7.100.51.198.in-addr.arpa. PTR relay.isp.example.net.\n",
    );
    let setup = SendingSetup::new(
        "198.51.100.7".parse().unwrap(),
        "relay.isp.example.net",
        "info@example.org",
    )
    .dnsbl_lists(Vec::new());
    let report = run(diagnose(&dns, &setup));
    let spf = report.finding(CheckKind::SpfMailFrom).unwrap();
    assert_eq!(spf.verdict, Verdict::Fail);
    assert!(spf.receivers[0].contains("550 5.7.26"));
    let record = spf.fix.last().unwrap().record.as_ref().unwrap();
    assert_eq!(
        record.to_string(),
        "example.org. TXT \"v=spf1 ip4:203.0.113.60 include:isp.example.net -all\""
    );
    let dmarc = report.finding(CheckKind::Dmarc).unwrap();
    assert_eq!(dmarc.verdict, Verdict::Fail);
    assert!(dmarc.receivers[0].contains("not accepted due to domain's DMARC policy"));
    let record = report.finding(CheckKind::DmarcRecord).unwrap();
    assert_eq!(record.verdict, Verdict::Warn, "{record:?}");
    let fixes: Vec<String> = record.fix.iter().map(ToString::to_string).collect();
    assert_eq!(
        fixes,
        [
            "reports to mailto:d@reports.example.net are dropped: reports.example.net must publish: \
          example.org._report._dmarc.reports.example.net. TXT \"v=DMARC1\""
        ]
    );
    assert_eq!(
        report.finding(CheckKind::Iprev).unwrap().verdict,
        Verdict::Ok
    );
    assert_eq!(report.worst(), Verdict::Fail);
    assert_eq!(report.worst().exit_code(), 2);
    let text = report.to_text();
    assert!(
        text.lines()
            .all(|l| l.chars().count() <= 80 || !l.contains(' ')),
        "{text}"
    );
    assert!(text.ends_with("worst: FAIL (exit code 2)\n"), "{text}");
}

/// DNS failures are errors, never fails.
#[test]
fn dns_failures_are_errors() {
    let mut dns = zone("example.org. TXT \"v=spf1 -all\"\n");
    dns.inject("example.org", None, mailauth_core::dns::Fault::Timeout)
        .unwrap();
    let setup = SendingSetup::new(
        "192.0.2.1".parse().unwrap(),
        "mail.example.org",
        "a@example.org",
    )
    .dnsbl_lists(Vec::new());
    let report = run(diagnose(&dns, &setup));
    assert_eq!(
        report.finding(CheckKind::SpfMailFrom).unwrap().verdict,
        Verdict::Error
    );
    assert_eq!(
        report.finding(CheckKind::SenderDomain).unwrap().verdict,
        Verdict::Error
    );
    assert_eq!(report.worst(), Verdict::Error);
}

/// Whoever runs the reverse zone of the diagnosed address, and whoever
/// writes the arguments, cannot write controls to the operator's terminal:
/// the text report escapes every byte outside printable ASCII.
#[test]
fn hostile_names_reach_the_terminal_escaped() {
    let dns = zone(
        "30.2.0.192.in-addr.arpa. PTR mail\\027]0\\;pwned\\007\\027[2J.evil.example.\n\
         evil.example. TXT \"v=spf1 -all exp=why.evil.example\"\n\
         why.evil.example. TXT \"\\027[31mred\\013\\010\"\n",
    );
    let setup = SendingSetup::new(
        "192.0.2.30".parse().unwrap(),
        "helo\u{1b}[2J.example",
        "a\r\nb@evil.example",
    )
    .dnsbl_lists(Vec::new());
    let report = run(diagnose(&dns, &setup));
    let text = report.to_text();
    assert!(
        text.bytes()
            .all(|b| b == b'\n' || (0x20..0x7f).contains(&b)),
        "{text}"
    );
    assert!(
        text.contains("\\x1b]0;pwned\\x07\\x1b[2J.evil.example"),
        "{text}"
    );
}
