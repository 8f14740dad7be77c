//! The doctor on every case of the bundled demo zone: snapshots of the
//! text and JSON reports (`tests/snapshots/`; `UPDATE_SNAPSHOTS=1`
//! rewrites them), the cause and fix each case must name, the binary's
//! exit codes, and the same diagnosis through a real DNS server (Knot
//! serving the demo zone as the root zone).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use mailauth_core::dns::{DnsResolver, HickoryResolver, MemoryResolver};
use mailauth_doctor::demo::{self, CASES};
use mailauth_doctor::{
    CheckKind, DoctorReport, Hints, ReadError, Verdict, bounce, diagnose, diagnose_bounce,
    diagnose_headers, headers,
};

// The examples' launcher of the project's test DNS server.
#[path = "../../examples/src/knot.rs"]
#[allow(unreachable_pub)]
mod knot;
use knot::TestDnsServer;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn report(resolver: Arc<dyn DnsResolver>, case: &str) -> DoctorReport {
    let setup = demo::case(case).expect("demo case").setup();
    runtime().block_on(diagnose(&*resolver, &setup))
}

fn memory() -> Arc<dyn DnsResolver> {
    let mut zone = MemoryResolver::from_zone_text(demo::ZONE).expect("demo zone");
    zone.set_description(demo::DESCRIPTION);
    Arc::new(zone)
}

fn snapshot_path(case: &str, ext: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/snapshots/{case}.{ext}"))
}

/// Compares `actual` with the stored snapshot, or stores it.
fn check_snapshot(case: &str, ext: &str, actual: &str) {
    let path = snapshot_path(case, ext);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_SNAPSHOTS=1 writes it)", path.display()));
    assert!(
        expected == actual,
        "{case}.{ext} differs from its snapshot; actual:\n{actual}"
    );
}

#[test]
fn snapshots_of_every_case() {
    for case in CASES {
        let report = report(memory(), case.name);
        check_snapshot(case.name, "txt", &report.to_text());
        check_snapshot(case.name, "json", &report.to_json());
        // A record to publish stays on one line, to be pasted whole.
        let records: Vec<String> = report
            .findings
            .iter()
            .flat_map(|f| &f.fix)
            .filter_map(|fix| fix.record.as_ref().map(ToString::to_string))
            .collect();
        for line in report.to_text().lines() {
            // Otherwise only a single word longer than the terminal may overflow.
            assert!(
                line.chars().count() <= 80
                    || !line.trim().contains(' ')
                    || records.iter().any(|r| r == line.trim()),
                "{}: line over 80 columns: {line}",
                case.name
            );
        }
    }
}

/// The finding of `check` in `case`: its verdict, and a word that its
/// summary and fixes must contain.
fn expect(case: &str, check: CheckKind, verdict: Verdict, summary: &str, fix: &str) {
    let report = report(memory(), case);
    let finding = report
        .finding(check)
        .unwrap_or_else(|| panic!("{case}: no {check:?} finding"));
    assert_eq!(finding.verdict, verdict, "{case} {check:?}: {finding:?}");
    assert!(
        finding.summary.contains(summary),
        "{case} {check:?}: {}",
        finding.summary
    );
    let fixes: Vec<String> = finding.fix.iter().map(ToString::to_string).collect();
    let fixes = fixes.join("\n");
    assert!(fixes.contains(fix), "{case} {check:?} fix: {fixes}");
}

#[test]
fn each_case_names_its_cause_and_fix() {
    let good = report(memory(), "good");
    assert_eq!(good.worst(), Verdict::Ok, "{}", good.to_text());
    expect(
        "no-ptr",
        CheckKind::Iprev,
        Verdict::Fail,
        "has no PTR record",
        "99.2.0.192.in-addr.arpa. PTR mail.noptr.example.",
    );
    let no_ptr = report(memory(), "no-ptr");
    let receivers = no_ptr
        .finding(CheckKind::Iprev)
        .map(|f| f.receivers.join("\n"))
        .unwrap_or_default();
    assert!(
        receivers.contains(
            "450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.99]"
        ),
        "{receivers}"
    );
    expect(
        "ptr-mismatch",
        CheckKind::Iprev,
        Verdict::Fail,
        "does not resolve back",
        "publish mail.mismatch.example. A 192.0.2.98",
    );
    expect(
        "bare-helo",
        CheckKind::Helo,
        Verdict::Warn,
        "is the bare domain",
        "smtp_helo_name = mail.bare.example",
    );
    expect(
        "bare-helo",
        CheckKind::Dnsbl,
        Verdict::Fail,
        "listed on spamhaus-zen",
        "request removal",
    );
    let bare = report(memory(), "bare-helo");
    let dnsbl = bare
        .finding(CheckKind::Dnsbl)
        .map(|f| f.evidence.join("\n"))
        .unwrap_or_default();
    assert!(dnsbl.contains("127.0.0.3 CSS"), "{dnsbl}");
    expect(
        "bare-helo",
        CheckKind::DmarcRecord,
        Verdict::Warn,
        "p=none",
        "p=quarantine",
    );
    expect(
        "ghost-sender",
        CheckKind::SenderDomain,
        Verdict::Fail,
        "does not resolve",
        "publish MX records for ghost.example",
    );
    expect(
        "pbl-direct",
        CheckKind::Dnsbl,
        Verdict::Fail,
        "listed on spamhaus-zen",
        "relayhost",
    );
    expect(
        "pbl-direct",
        CheckKind::SpfMailFrom,
        Verdict::Fail,
        "does not authorise 203.0.113.50",
        "do not authorise 203.0.113.50",
    );
    let relay = report(memory(), "isp-relay");
    assert_eq!(relay.worst(), Verdict::Ok, "{}", relay.to_text());
    assert!(
        relay
            .finding(CheckKind::SpfMailFrom)
            .is_some_and(|f| f.summary.contains("include:isp.example"))
    );
    expect(
        "relay-not-in-spf",
        CheckKind::SpfMailFrom,
        Verdict::Fail,
        "does not authorise 198.51.100.25",
        "publish: ownip.example. TXT \"v=spf1 ip4:203.0.113.60 include:isp.example -all\"",
    );
    expect(
        "relay-not-in-spf",
        CheckKind::Dmarc,
        Verdict::Fail,
        "DMARC fail",
        "DKIM d=ownip.example",
    );
    expect(
        "include-host",
        CheckKind::SpfMailFrom,
        Verdict::Fail,
        "permerror",
        "include isp.example instead",
    );
    expect(
        "include-host",
        CheckKind::SpfRecord,
        Verdict::Fail,
        "include:smtp.isp.example publishes no SPF record",
        "",
    );
}

/// The README shows the report of `bare-helo` as it is.
#[test]
fn the_readme_shows_the_current_report() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("README");
    let report = report(memory(), "bare-helo").to_text();
    assert!(
        readme.contains(&report),
        "update the README's doctor output:\n{report}"
    );
}

/// The README shows what the doctor reads from Gmail's 5.7.26 DSN as it is.
#[test]
fn the_readme_shows_the_current_bounce_reading() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("README");
    let text = bounce_report("gmail-5.7.26-dsn.eml").to_text();
    let start = text.find("Read from the bounce").expect("bounce section");
    let end = start + text[start..].find("\n\n").expect("section end") + 1;
    assert!(
        readme.contains(&text[start..end]),
        "update the README's bounce reading:\n{}",
        &text[start..end]
    );
}

fn mailauth(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mailauth"))
        .args(args)
        .output()
        .expect("run mailauth");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The binary: text, JSON, exit codes, domain mode, usage errors.
#[test]
fn the_binary() {
    let (code, text) = mailauth(&["doctor", "--demo", "bare-helo"]);
    assert_eq!(code, 2);
    assert!(
        text.contains("\nDNS answers from the bundled demo zone (fictional data, offline)\n"),
        "{text}"
    );
    assert!(text.ends_with("worst: FAIL (exit code 2)\n"), "{text}");
    let (code, json) = mailauth(&["doctor", "--demo", "isp-relay", "--json"]);
    assert_eq!(code, 0);
    assert!(json.contains("\"worst\": \"ok\""), "{json}");
    assert!(
        json.contains("\"resolver\": \"the bundled demo zone (fictional data, offline)\""),
        "{json}"
    );
    let zone = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo.zone");
    let zone = zone.to_str().expect("path");
    let (code, text) = mailauth(&[
        "doctor",
        "--zone",
        zone,
        "--ip",
        "192.0.2.10",
        "--helo",
        "mail.good.example",
        "--mail-from",
        "<a@good.example>",
        "--dnsbl",
        "none",
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("no blocklist asked"), "{text}");
    // The zone file's path, as long as the checkout's, may wrap the line.
    let unwrapped = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        unwrapped.contains("DNS answers from the zone file /"),
        "{text}"
    );
    let (code, text) = mailauth(&["domain", "--zone", zone, "ghost.example"]);
    assert_eq!(code, 2, "{text}");
    let (code, lines) = mailauth(&[
        "domain",
        "--zone",
        zone,
        "--json",
        "good.example",
        "bare.example",
    ]);
    assert_eq!(code, 1, "{lines}");
    assert_eq!(lines.lines().count(), 2, "JSON lines: {lines}");
    for line in lines.lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("one report per line");
        let resolver = value["resolver"].as_str().expect("resolver");
        assert!(resolver.starts_with("the zone file "), "{line}");
    }
    let (code, list) = mailauth(&["doctor", "--list-demos"]);
    assert_eq!(code, 0);
    assert_eq!(list.lines().count(), CASES.len());
    assert_eq!(mailauth(&["doctor", "--demo", "nope"]).0, 64);
    assert_eq!(mailauth(&["doctor", "--ip", "192.0.2.1"]).0, 64);
    assert_eq!(
        mailauth(&["doctor", "--demo", "good", "--dnsbl", "nope"]).0,
        64
    );
    assert_eq!(mailauth(&["nonsense"]).0, 64);
    let (code, help) = mailauth(&["doctor", "--help"]);
    assert_eq!(code, 0);
    assert!(
        help.contains("Examples:") && help.contains("--demo <CASE>"),
        "{help}"
    );
    let (code, version) = mailauth(&["--version"]);
    assert_eq!(
        (code, version.trim()),
        (0, concat!("mailauth ", env!("CARGO_PKG_VERSION")))
    );
}

/// Each one-check subcommand against the demo zone file: its answer, its
/// exit code, and the resolver named.
#[test]
fn the_check_subcommands() {
    let zone = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo.zone");
    let zone = zone.to_str().expect("path");
    let (code, text) = mailauth(&[
        "spf",
        "--zone",
        zone,
        "--ip",
        "198.51.100.25",
        "--mail-from",
        "info@ownip.example",
        "--helo",
        "smtp.isp.example",
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("result: fail"), "{text}");
    let (code, text) = mailauth(&["iprev", "--zone", zone, "192.0.2.99"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("cannot find your reverse hostname"), "{text}");
    let (code, text) = mailauth(&["iprev", "--zone", zone, "192.0.2.10", "--json"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("\"result\": \"pass\""), "{text}");
    let (code, text) = mailauth(&["dmarc", "--zone", zone, "good.example"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("p=reject"), "{text}");
    let (code, text) = mailauth(&[
        "dnsbl",
        "--zone",
        zone,
        "192.0.2.30",
        "--lists",
        "spamhaus-zen",
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("LISTED"), "{text}");
}

/// Every case gives the same report through Knot as from memory, and the
/// binary's `--dns` works.
#[test]
fn the_same_diagnosis_through_a_real_dns_server() {
    let zone = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo.zone");
    // The demo zone is a root zone.
    let knot = TestDnsServer::start(&[format!(".={}", zone.display())]).expect("Knot");
    let hickory = HickoryResolver::builder()
        .nameservers([knot.addr])
        .timeout(Duration::from_secs(3))
        .cache(false)
        .build()
        .expect("resolver");
    let real: Arc<dyn DnsResolver> = Arc::new(hickory);
    for case in CASES {
        let mut served = report(Arc::clone(&real), case.name);
        let expected = report(memory(), case.name);
        assert!(
            served.resolver.starts_with("nameservers 127.0.0.1:"),
            "{}",
            served.resolver
        );
        served.resolver = expected.resolver.clone();
        assert_eq!(served.to_text(), expected.to_text(), "{}", case.name);
        assert_eq!(served, expected, "{}", case.name);
    }
    let case = demo::case("no-ptr").expect("case");
    let (code, text) = mailauth(&[
        "doctor",
        "--dns",
        &knot.addr.to_string(),
        "--ip",
        case.ip,
        "--helo",
        case.helo,
        "--mail-from",
        case.mail_from,
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("192.0.2.99 has no PTR record"), "{text}");
}

/// Every sample bounce of `tests/bounces/`, diagnosed against
/// `tests/bounces.zone`: snapshots of the text and JSON reports. Samples
/// that name no IP or sender get them as an operator would (`--ip`,
/// `--mail-from`).
#[test]
fn bounce_snapshots() {
    let mut names: Vec<String> = std::fs::read_dir(bounces_dir().join("bounces"))
        .expect("samples")
        .map(|e| e.expect("entry").file_name().into_string().expect("name"))
        .filter(|n| n != "SOURCE.md")
        .collect();
    names.sort();
    assert_eq!(names.len(), 15);
    for name in &names {
        let report = bounce_report(name);
        let context = report.bounce.as_ref().expect("bounce context");
        assert!(!context.setup.is_empty(), "{name}");
        let stem = format!(
            "bounce-{}",
            name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s)
        );
        check_snapshot(&stem, "txt", &report.to_text());
        check_snapshot(&stem, "json", &report.to_json());
    }
}

/// Every sample header section, diagnosed over the bounces' zone.
#[test]
fn headers_snapshots() {
    let dir = bounces_dir().join("headers");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("samples")
        .map(|e| e.expect("entry").file_name().into_string().expect("name"))
        .filter(|n| n != "SOURCE.md")
        .collect();
    names.sort();
    assert_eq!(names.len(), 4);
    for name in &names {
        let read = headers::read(&std::fs::read(dir.join(name)).expect("sample"));
        let hints = Hints::default().dnsbl_lists(vec![
            mailauth_core::dnsbl::DnsblList::builtin("spamhaus-zen").expect("zen"),
        ]);
        let report = runtime()
            .block_on(diagnose_headers(&bounces_zone(), read, hints))
            .expect("diagnosis");
        let context = report.headers.as_ref().expect("headers context");
        assert!(!context.setup.is_empty(), "{name}");
        let stem = format!(
            "headers-{}",
            name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s)
        );
        check_snapshot(&stem, "txt", &report.to_text());
        check_snapshot(&stem, "json", &report.to_json());
    }
}

fn bounces_zone() -> MemoryResolver {
    let zone = std::fs::read_to_string(bounces_dir().join("bounces.zone")).expect("zone");
    let mut zone = MemoryResolver::from_zone_text(&zone).expect("zone");
    zone.set_description("the sample bounces' zone");
    zone
}

fn bounces_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// The diagnosis of one sample bounce over its zone, asking Spamhaus ZEN;
/// the IP and the sender given only when the sample lacks them.
fn bounce_report(name: &str) -> DoctorReport {
    let dir = bounces_dir();
    let zone = bounces_zone();
    let read = bounce::read(&std::fs::read(dir.join("bounces").join(name)).expect("sample"));
    let mut hints = Hints::default().dnsbl_lists(vec![
        mailauth_core::dnsbl::DnsblList::builtin("spamhaus-zen").expect("zen"),
    ]);
    if read.client_ip.is_none() {
        hints = hints.ip("192.0.2.30".parse().expect("ip"));
    }
    if read.sender.is_none() && read.domain.is_none() {
        hints = hints.mail_from("news@example.com");
    }
    runtime()
        .block_on(diagnose_bounce(&zone, read, hints))
        .expect("diagnosis")
}

/// A bounce that names neither the IP nor the sender asks for them.
#[test]
fn a_bounce_without_ip_or_sender() {
    let zone = MemoryResolver::new();
    let read = bounce::read(b"554 5.7.9 Message not accepted for policy reasons.");
    let error = runtime()
        .block_on(diagnose_bounce(&zone, read.clone(), Hints::default()))
        .unwrap_err();
    assert_eq!(error, ReadError::NoClientIp);
    let hints = Hints::default().ip("192.0.2.1".parse().expect("ip"));
    let error = runtime()
        .block_on(diagnose_bounce(&zone, read, hints))
        .unwrap_err();
    assert_eq!(error, ReadError::NoSender);
}

/// The command reads a bounce and a header section from files and from
/// standard input, and refuses input beyond its limit rather than cutting
/// it silently.
#[test]
fn the_command_reads_bounces_and_headers() {
    let dir = bounces_dir();
    let zone = dir.join("bounces.zone");
    let zone = zone.to_str().expect("path");
    let dsn = dir.join("bounces/gmail-5.7.26-dsn.eml");
    let (code, text) = mailauth(&[
        "doctor",
        "--bounce",
        dsn.to_str().expect("path"),
        "--zone",
        zone,
        "--dnsbl",
        "none",
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("Read from the bounce (dsn): gmail refused with 550 5.7.26"));
    let message = dir.join("headers/postfix-softfail.eml");
    let (code, text) = mailauth(&[
        "doctor",
        "--headers",
        message.to_str().expect("path"),
        "--zone",
        zone,
        "--dnsbl",
        "none",
        "--json",
    ]);
    assert_eq!(code, 2, "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(
        json["headers"]["compared"][0]["recorded"]["result"],
        "softfail"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailauth"))
        .args([
            "doctor",
            "--headers",
            "-",
            "--zone",
            zone,
            "--dnsbl",
            "none",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run mailauth");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        // More than the limit: refused with exit code 64, not cut.
        let line = "X-Filler: ".to_owned() + &"a".repeat(1000) + "\n";
        for _ in 0..1100 {
            if stdin.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    }
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(64), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than 1048576 bytes"));
}

/// `domain --csv`: a header row, then a row per domain with the finding
/// codes, and a row for a domain that is not one.
#[test]
fn domain_lists_as_csv_and_json_lines() {
    let zone = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo.zone");
    let zone = zone.to_str().expect("path");
    let (code, text) = mailauth(&[
        "domain",
        "--zone",
        zone,
        "--csv",
        "good.example",
        "ghost.example",
        "a..b",
    ]);
    assert_eq!(code, 3, "{text}");
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(
        rows,
        [
            "domain,worst,sender-domain,spf-record,dmarc-record",
            "good.example,ok,sender-domain.receives-mail,spf-record.sound,dmarc-record.p-reject",
            "ghost.example,fail,sender-domain.not-found,spf-record.no-domain,dmarc-record.no-domain",
            "a..b,error,,,",
        ]
    );
    // From a file, read line by line: comments and blank lines skipped, a
    // line that is not UTF-8 reported as the domain it cannot be, the rest
    // audited; an empty list is an error.
    let dir = std::env::temp_dir().join(format!("mailauth-domain-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let list = dir.join("domains.txt");
    std::fs::write(
        &list,
        b"# senders\n\ngood.example\nbad\xff.example\n  ghost.example  \n",
    )
    .expect("write the list");
    let (code, text) = mailauth(&[
        "domain",
        "--zone",
        zone,
        "--csv",
        "--file",
        list.to_str().expect("path"),
    ]);
    assert_eq!(code, 3, "{text}");
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 4, "{text}");
    assert!(rows[1].starts_with("good.example,ok,"), "{text}");
    assert!(
        rows[2].ends_with(",error,,,") && rows[2].contains("bad"),
        "{text}"
    );
    assert!(rows[3].starts_with("ghost.example,fail,"), "{text}");
    std::fs::write(&list, "# nothing here\n").expect("write the list");
    let (code, text) = mailauth(&[
        "domain",
        "--zone",
        zone,
        "--file",
        list.to_str().expect("path"),
    ]);
    assert_eq!(code, 64, "a usage error: {text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A whole message: the doctor verifies its DKIM signatures and DMARC
/// rests on them; with the body altered, DKIM fails and so does DMARC.
#[test]
fn a_whole_message_is_verified() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mailauth-core/tests/data");
    let zone = std::fs::read_to_string(root.join("zones/football.example.com.zone")).expect("zone");
    let zone = MemoryResolver::from_zone_text(&zone).expect("zone");
    let message = std::fs::read_to_string(root.join("dkim/rfc8463-a3.eml")).expect("message");
    // An IP that SPF does not authorise: DMARC rests on DKIM alone.
    let hints = || {
        Hints::default()
            .ip("198.51.100.7".parse().expect("ip"))
            .mail_from("joe@football.example.com")
            .dnsbl_lists(Vec::new())
    };
    let report = runtime()
        .block_on(mailauth_doctor::diagnose_message(
            &zone,
            message.as_bytes(),
            hints(),
        ))
        .expect("diagnosis");
    let context = report.headers.as_ref().expect("headers");
    let results: Vec<&str> = context.dkim.iter().map(|s| s.result.as_str()).collect();
    assert_eq!(results, ["pass", "pass"]);
    let dmarc = report.finding(CheckKind::Dmarc).expect("dmarc");
    assert_eq!(dmarc.verdict, Verdict::Ok, "{dmarc:?}");
    assert!(
        dmarc.evidence.iter().any(|e| e.contains("(verified here)")),
        "{dmarc:?}"
    );
    assert!(
        report
            .to_text()
            .contains("DKIM d=football.example.com s=brisbane: pass (verified), verified here")
    );
    let altered = message.replace("Joe.", "Eve.");
    let report = runtime()
        .block_on(mailauth_doctor::diagnose_message(
            &zone,
            altered.as_bytes(),
            hints(),
        ))
        .expect("diagnosis");
    let dmarc = report.finding(CheckKind::Dmarc).expect("dmarc");
    assert_eq!(dmarc.verdict, Verdict::Fail, "{dmarc:?}");
}
