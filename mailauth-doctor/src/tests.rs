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
    assert_eq!(none.problem, Some(RecordProblem::NoDomain));
    let big = spf_record_report(&dns, "big.example");
    assert!(
        big.fix.iter().any(|f| f.action.contains(
            "names do not exist or have no address: a:gone1.example, mx:gone2.example, exists:gone3.example"
        )),
        "{:?}",
        big.fix
    );
}

/// Each way a domain can lack a usable record is told apart: two records
/// are shown as published with their merge, a record that does not parse
/// with the byte of its error, a domain that does not exist gets no record
/// to publish, and a DNS failure is an error with nothing to publish.
#[test]
fn spf_record_problems() {
    let mut dns = zone(
        "two.example. TXT \"v=spf1 ip4:192.0.2.1 include:isp.example -all\"\n\
         two.example. TXT \"v=spf1 include:isp.example mx ~all exp=why.two.example\"\n\
         two.example. TXT \"google-site-verification=x\"\n\
         isp.example. TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n\
         redir.example. TXT \"v=spf1 redirect=isp.example\"\n\
         redir.example. TXT \"v=spf1 -all\"\n\
         bad.example. TXT \"v=spf1 ip4:192.0.2 -all\"\n\
         slow.example. TXT \"v=spf1 -all\"\n\
         inc.example. TXT \"v=spf1 include:smtp.isp.example include:gone.example -all\"\n",
    );
    dns.inject("slow.example", None, mailauth_core::dns::Fault::Timeout)
        .unwrap();
    let two = spf_record_report(&dns, "two.example");
    assert_eq!(two.verdict, Verdict::Fail);
    assert!(
        two.summary.contains("publishes 2 SPF records"),
        "{}",
        two.summary
    );
    assert_eq!(
        two.evidence,
        [
            "two.example: \"v=spf1 ip4:192.0.2.1 include:isp.example -all\"",
            "two.example: \"v=spf1 include:isp.example mx ~all exp=why.two.example\"",
        ]
    );
    let merged = two.fix[0].record.as_ref().expect("merged record");
    assert_eq!(
        merged.value,
        "v=spf1 ip4:192.0.2.1 include:isp.example mx -all exp=why.two.example"
    );
    let redir = spf_record_report(&dns, "redir.example");
    assert!(redir.fix.iter().all(|f| f.record.is_none()), "{redir:?}");
    let bad = spf_record_report(&dns, "bad.example");
    assert!(
        bad.evidence
            .contains(&"bad.example: \"v=spf1 ip4:192.0.2 -all\"".to_owned())
    );
    let Some(RecordProblem::Syntax { offset, .. }) = run(audit_spf(&dns, "bad.example")).problem
    else {
        panic!("not a syntax problem");
    };
    assert_eq!(&"v=spf1 ip4:192.0.2 -all"[offset..], "192.0.2 -all");
    let ghost = run(audit_domain(&dns, "ghost.example")).unwrap();
    for finding in &ghost.findings {
        assert!(
            finding.fix.iter().all(|f| f.record.is_none()),
            "{finding:?}"
        );
    }
    // An include of a host without a record: its parent with one instead;
    // an include with no such parent: remove it.
    let inc = spf_record_report(&dns, "inc.example");
    let records: Vec<&str> = inc
        .fix
        .iter()
        .filter_map(|f| f.record.as_ref().map(|r| r.value.as_str()))
        .collect();
    assert_eq!(
        records,
        ["v=spf1 include:isp.example include:gone.example -all"]
    );
    assert!(
        inc.fix
            .iter()
            .any(|f| f.action.starts_with("remove include:gone.example")),
        "{inc:?}"
    );
    let slow = spf_record_report(&dns, "slow.example");
    assert_eq!(slow.verdict, Verdict::Error);
    assert!(slow.fix.iter().all(|f| f.record.is_none()), "{slow:?}");
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

/// Two DMARC records are reported as such (receivers discard both), shown
/// as published, with the strictest to keep; one record is shown as
/// published, so that the diagnostics' byte offsets point into it.
#[test]
fn several_dmarc_records() {
    let dns = zone(
        "two.example. TXT \"v=spf1 -all\"\n\
         _dmarc.two.example. TXT \"v=DMARC1; p=none\"\n\
         _dmarc.two.example. TXT \"v=DMARC1;p=reject; rua=mailto:d@two.example\"\n\
         one.example. TXT \"v=spf1 -all\"\n\
         _dmarc.one.example. TXT \"v=DMARC1;  p=reject;\" \" rua=mailto:d@one.example\"\n",
    );
    let report = run(audit_domain(&dns, "two.example")).unwrap();
    let dmarc = report.finding(CheckKind::DmarcRecord).unwrap();
    assert_eq!(dmarc.verdict, Verdict::Fail);
    assert!(
        dmarc.summary.contains("publishes 2 DMARC records"),
        "{}",
        dmarc.summary
    );
    assert_eq!(
        dmarc.evidence,
        [
            "_dmarc.two.example: \"v=DMARC1; p=none\"",
            "_dmarc.two.example: \"v=DMARC1;p=reject; rua=mailto:d@two.example\"",
        ]
    );
    let keep = dmarc.fix[0].record.as_ref().unwrap();
    assert_eq!(keep.value, "v=DMARC1;p=reject; rua=mailto:d@two.example");
    let one = run(audit_domain(&dns, "one.example")).unwrap();
    let dmarc = one.finding(CheckKind::DmarcRecord).unwrap();
    assert_eq!(
        dmarc.evidence[0],
        "_dmarc.one.example: \"v=DMARC1;  p=reject; rua=mailto:d@one.example\""
    );
}

/// A generic PTR name of an access provider is never proposed as HELO.
#[test]
fn generic_ptr_names_are_not_proposed_as_helo() {
    use super::checks::generic_ptr_name;
    let ip: std::net::IpAddr = "192.0.2.77".parse().unwrap();
    for name in [
        "dsl-192-0-2-77.pool.isp.example",
        "77-2-0-192.isp.example",
        "host77.dynamic.isp.example",
        "c-192-0-2-77.hsd1.cable.example",
    ] {
        assert!(generic_ptr_name(name, ip), "{name}");
    }
    for name in ["mail.example.org", "mx1.example.org", "smtp77.example.org"] {
        assert!(!generic_ptr_name(name, ip), "{name}");
    }
    let dns = zone(
        "77.2.0.192.in-addr.arpa. PTR dsl-192-0-2-77.pool.isp.example.\n\
         dsl-192-0-2-77.pool.isp.example. A 192.0.2.77\n\
         example.org. A 192.0.2.77\n\
         example.org. MX 10 example.org.\n",
    );
    let setup = SendingSetup::new(ip, "example.org", "a@example.org").dnsbl_lists(Vec::new());
    let report = run(diagnose(&dns, &setup));
    let helo = report.finding(CheckKind::Helo).unwrap();
    assert_eq!(helo.verdict, Verdict::Warn, "{helo:?}");
    assert!(
        helo.fix
            .iter()
            .all(|f| !f.action.contains("send HELO dsl-")),
        "{helo:?}"
    );
    assert!(
        helo.fix.iter().any(|f| f.action.contains("generic name")),
        "{helo:?}"
    );
}

/// DNS that never answers (timeouts) or fails (SERVFAIL): every finding
/// that needed DNS is an error saying what failed, none is a FAIL, and no
/// record is proposed, in both modes.
#[test]
fn dns_outages_are_errors_without_records_to_publish() {
    use mailauth_core::dns::{LookupError, LookupResult, Mx, ServerFailure, Txt};
    use std::net::{Ipv4Addr, Ipv6Addr};

    struct Outage(LookupError);

    #[async_trait::async_trait]
    impl DnsResolver for Outage {
        async fn txt(&self, _: &str) -> LookupResult<Txt> {
            Err(self.0.clone())
        }
        async fn a(&self, _: &str) -> LookupResult<Ipv4Addr> {
            Err(self.0.clone())
        }
        async fn aaaa(&self, _: &str) -> LookupResult<Ipv6Addr> {
            Err(self.0.clone())
        }
        async fn mx(&self, _: &str) -> LookupResult<Mx> {
            Err(self.0.clone())
        }
        async fn ptr(&self, _: IpAddr) -> LookupResult<String> {
            Err(self.0.clone())
        }
    }

    let setup = SendingSetup::new(
        "192.0.2.1".parse().unwrap(),
        "mail.example.org",
        "a@example.org",
    );
    for outage in [
        Outage(LookupError::Timeout),
        Outage(LookupError::ServerFailure(ServerFailure::SERVFAIL)),
    ] {
        let reports = [
            run(diagnose(&outage, &setup)),
            run(audit_domain(&outage, "example.org")).unwrap(),
        ];
        for report in reports {
            assert_eq!(report.worst(), Verdict::Error);
            for finding in &report.findings {
                assert_ne!(finding.verdict, Verdict::Fail, "{finding:?}");
                assert!(
                    finding.fix.iter().all(|f| f.record.is_none()),
                    "{finding:?}"
                );
            }
        }
    }
}

/// The DKIM key audit: each way a key record goes wrong, with the record
/// to publish when the key itself is sound.
#[test]
fn dkim_keys() {
    const KEY: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    let dns = zone(&format!(
        "good._domainkey.example.com. TXT \"v=DKIM1; k=ed25519; p={KEY}\"\n\
         test._domainkey.example.com. TXT \"v=DKIM1; k=ed25519; t=y; p={KEY}\"\n\
         sha1._domainkey.example.com. TXT \"v=DKIM1; k=ed25519; h=sha1; p={KEY}\"\n\
         gone._domainkey.example.com. TXT \"v=DKIM1; p=\"\n\
         junk._domainkey.example.com. TXT \"v=spf1 -all\"\n"
    ));
    let cases = [
        ("good", "dkim-key.ok", Verdict::Ok),
        ("test", "dkim-key.testing", Verdict::Warn),
        ("sha1", "dkim-key.sha1-only", Verdict::Fail),
        ("gone", "dkim-key.revoked", Verdict::Fail),
        ("junk", "dkim-key.syntax-error", Verdict::Fail),
        ("none", "dkim-key.no-key", Verdict::Fail),
    ];
    for (selector, code, verdict) in cases {
        let finding = run(audit_dkim_key(&dns, "example.com", selector));
        assert_eq!(
            (finding.code.as_str(), finding.verdict),
            (code, verdict),
            "{finding:?}"
        );
    }
    let testing = run(audit_dkim_key(&dns, "example.com", "test"));
    let record = testing.fix[0].record.as_ref().expect("a record to publish");
    assert_eq!(
        (record.name.as_str(), record.value.as_str()),
        (
            "test._domainkey.example.com",
            &*format!("v=DKIM1; k=ed25519; p={KEY}")
        )
    );
    assert_eq!(testing.records.len(), 1);
}

/// A TXT record to publish is written as a zone file needs it: strings of
/// at most 255 octets (a 2048-bit DKIM key takes two), quotes escaped as
/// `\\DDD`.
#[test]
fn long_txt_records_are_split_for_the_zone_file() {
    let long = DnsRecord::txt(
        "s._domainkey.example.com",
        "p=".to_owned() + &"A".repeat(400),
    );
    let text = long.to_string();
    let strings: Vec<&str> = text
        .trim_start_matches("s._domainkey.example.com. TXT ")
        .split("\" \"")
        .collect();
    assert_eq!(strings.len(), 2, "{text}");
    assert_eq!(strings[0].trim_start_matches('"').len(), 255);
    let quoted = DnsRecord::txt("example.com", "v=spf1 exp=\"x\" -all").to_string();
    assert_eq!(quoted, "example.com. TXT \"v=spf1 exp=\\034x\\034 -all\"");
}
