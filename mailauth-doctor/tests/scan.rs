//! The posture scan over `tests/scan.zone`, one domain per check and
//! finding, asserted field by field: from memory, and through a real DNS
//! server (Knot) with the same reports.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use mailauth_core::dkim::KeyType;
use mailauth_core::dmarc::Policy;
use mailauth_core::dns::{
    DnsResolver, Fault, HickoryResolver, LookupError, MemoryResolver, ServerFailure,
};
use mailauth_core::iprev::IprevResult;
use mailauth_doctor::scan::{
    Defect::{self, *},
    DomainScan, MxStatus, RecordStatus, ScanConfig, Scanner,
};

#[path = "../../examples/src/knot.rs"]
#[allow(unreachable_pub, dead_code)]
mod knot;

/// The names under dnsfail.scan.test that the scan asks.
const DNSFAIL: [&str; 7] = [
    "dnsfail.scan.test",
    "_dmarc.dnsfail.scan.test",
    "_mta-sts.dnsfail.scan.test",
    "_smtp._tls.dnsfail.scan.test",
    "default._bimi.dnsfail.scan.test",
    "s1._domainkey.dnsfail.scan.test",
    "_dmarc.scan.test",
];

const NONE_ELSE: [Defect; 5] = [DmarcNone, MxNone, MtaStsNone, TlsRptNone, BimiNone];

/// Each domain, whether it is scanned with DKIM selector s1, and its
/// defects.
fn cases() -> Vec<(&'static str, bool, Vec<Defect>)> {
    let base = |first: &[Defect], rest: &[Defect]| -> Vec<Defect> {
        let mut all: Vec<Defect> = first.iter().chain(rest).copied().collect();
        all.sort();
        all
    };
    let no_spf = [SpfNone, DmarcNone, MtaStsNone, TlsRptNone, BimiNone];
    vec![
        ("good.scan.test", true, vec![]),
        (
            "gone.scan.test",
            false,
            base(
                &[DomainNotFound, DmarcNone, MtaStsNone, TlsRptNone, BimiNone],
                &[],
            ),
        ),
        ("several.scan.test", false, base(&[SpfSeveral], &NONE_ELSE)),
        ("syntax.scan.test", false, base(&[SpfSyntax], &NONE_ELSE)),
        ("plusall.scan.test", false, base(&[SpfPlusAll], &NONE_ELSE)),
        ("ptr.scan.test", false, base(&[SpfPtr], &NONE_ELSE)),
        ("noall.scan.test", false, base(&[SpfNoAll], &NONE_ELSE)),
        (
            "includes.scan.test",
            false,
            base(&[SpfIncludeWithoutRecord], &NONE_ELSE),
        ),
        (
            "lookups.scan.test",
            false,
            base(&[SpfTooManyLookups], &NONE_ELSE),
        ),
        (
            "voids.scan.test",
            false,
            base(&[SpfTooManyVoidLookups], &NONE_ELSE),
        ),
        ("nospf.scan.test", false, base(&no_spf, &[])),
        (
            "dmarc-invalid.scan.test",
            false,
            base(
                &[DmarcInvalid, MxNone, MtaStsNone, TlsRptNone, BimiNone],
                &[],
            ),
        ),
        (
            "dmarc-none.scan.test",
            false,
            base(
                &[DmarcMonitorOnly, MxNone, MtaStsNone, TlsRptNone, BimiNone],
                &[],
            ),
        ),
        ("mx-null.scan.test", false, base(&no_spf, &[MxNull])),
        ("mx-mixed.scan.test", false, base(&no_spf, &[MxNullMixed])),
        (
            "mx-noaddr.scan.test",
            false,
            base(&no_spf, &[MxHostWithoutAddress]),
        ),
        ("mx-noptr.scan.test", false, base(&no_spf, &[MxNoFcrdns])),
        ("mx-many.scan.test", false, base(&no_spf, &[MxTruncated])),
        (
            "sts-several.scan.test",
            false,
            base(
                &[
                    SpfNone,
                    DmarcNone,
                    MxNone,
                    MtaStsSeveral,
                    TlsRptNone,
                    BimiNone,
                ],
                &[],
            ),
        ),
        (
            "sts-invalid.scan.test",
            false,
            base(
                &[
                    SpfNone,
                    DmarcNone,
                    MxNone,
                    MtaStsInvalid,
                    TlsRptNone,
                    BimiNone,
                ],
                &[],
            ),
        ),
        (
            "rpt-several.scan.test",
            false,
            base(
                &[
                    SpfNone,
                    DmarcNone,
                    MxNone,
                    MtaStsNone,
                    TlsRptSeveral,
                    BimiNone,
                ],
                &[],
            ),
        ),
        (
            "rpt-invalid.scan.test",
            false,
            base(
                &[
                    SpfNone,
                    DmarcNone,
                    MxNone,
                    MtaStsNone,
                    TlsRptInvalid,
                    BimiNone,
                ],
                &[],
            ),
        ),
        (
            "bimi-several.scan.test",
            false,
            base(
                &[
                    SpfNone,
                    DmarcNone,
                    MxNone,
                    MtaStsNone,
                    TlsRptNone,
                    BimiSeveral,
                ],
                &[],
            ),
        ),
        (
            "bimi-invalid.scan.test",
            false,
            base(
                &[
                    SpfNone,
                    DmarcNone,
                    MxNone,
                    MtaStsNone,
                    TlsRptNone,
                    BimiInvalid,
                ],
                &[],
            ),
        ),
        (
            "bimi-declined.scan.test",
            false,
            base(
                &[
                    SpfNone,
                    DmarcNone,
                    MxNone,
                    MtaStsNone,
                    TlsRptNone,
                    BimiDeclined,
                ],
                &[],
            ),
        ),
        (
            "dnsfail.scan.test",
            true,
            vec![
                SpfDnsError,
                DmarcDnsError,
                MxDnsError,
                MtaStsDnsError,
                TlsRptDnsError,
                BimiDnsError,
                DkimDnsError,
            ],
        ),
        (
            "dkim-invalid.scan.test",
            true,
            base(&no_spf, &[MxNone, DkimInvalid]),
        ),
        (
            "dkim-revoked.scan.test",
            true,
            base(&no_spf, &[MxNone, DkimRevoked]),
        ),
        (
            "dkim-sha1.scan.test",
            true,
            base(&no_spf, &[MxNone, DkimSha1Only]),
        ),
        (
            "dkim-service.scan.test",
            true,
            base(&no_spf, &[MxNone, DkimNotForEmail]),
        ),
        (
            "dkim-testing.scan.test",
            true,
            base(&no_spf, &[MxNone, DkimTesting]),
        ),
        (
            "dkim-short.scan.test",
            true,
            base(&no_spf, &[MxNone, DkimShortKey]),
        ),
        ("dkim-nokey.scan.test", true, base(&NONE_ELSE, &[DkimNoKey])),
        ("not a domain", false, vec![DomainInvalid]),
    ]
}

fn zone_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scan.zone"))
        .expect("zone")
}

fn memory() -> Arc<dyn DnsResolver> {
    let mut zone = MemoryResolver::from_zone_text(&zone_text()).expect("zone parses");
    for name in &DNSFAIL[..6] {
        zone.inject(name, None, Fault::Rcode(2)).expect("fault");
    }
    Arc::new(zone)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Every case's report, in the order of [`cases`].
fn scan_all(resolver: Arc<dyn DnsResolver>) -> Vec<DomainScan> {
    let plain = Scanner::new(Arc::clone(&resolver), ScanConfig::default());
    let dkim = Scanner::new(resolver, ScanConfig::default().dkim_selectors(["s1"]));
    runtime().block_on(async {
        let mut reports = Vec::new();
        for (domain, selectors, _) in cases() {
            let scanner = if selectors { &dkim } else { &plain };
            let mut report = scanner.scan_domain(domain).await;
            report.elapsed_ms = 0;
            reports.push(report);
        }
        reports
    })
}

fn check(reports: &[DomainScan]) {
    for ((domain, _, defects), report) in cases().iter().zip(reports) {
        assert_eq!(report.domain, *domain);
        assert_eq!(&report.defects, defects, "{domain}: {report:#?}");
        if *domain != "not a domain" {
            assert!(report.invalid.is_none(), "{domain}");
            assert!(report.queries >= 6, "{domain}: {} queries", report.queries);
        }
    }
    let by = |name: &str| reports.iter().find(|r| r.domain == name).expect("scanned");

    let good = by("good.scan.test");
    let spf = good.spf.as_ref().expect("spf");
    assert_eq!(spf.record.as_deref(), Some("v=spf1 mx -all"));
    assert_eq!((spf.dns_terms, spf.void_lookups), (1, 0));
    let dmarc = good.dmarc.as_ref().expect("dmarc");
    assert_eq!(dmarc.status, RecordStatus::Valid);
    assert_eq!(dmarc.policy, Some(Policy::Reject));
    assert_eq!(dmarc.policy_domain.as_deref(), Some("good.scan.test"));
    assert_eq!(dmarc.rua, ["mailto:dmarc@good.scan.test"]);
    let mx = good.mx.as_ref().expect("mx");
    assert_eq!(
        (mx.status, mx.null_mx, mx.truncated),
        (MxStatus::Hosts, false, false)
    );
    assert_eq!(mx.hosts.len(), 1);
    assert_eq!(
        (mx.hosts[0].preference, mx.hosts[0].exchange.as_str()),
        (10, "mx1.good.scan.test")
    );
    let address = &mx.hosts[0].addresses[0];
    assert_eq!(address.ip.to_string(), "192.0.2.1");
    assert_eq!(address.iprev, IprevResult::Pass);
    assert_eq!(address.confirmed, ["mx1.good.scan.test"]);
    let sts = good.mta_sts.as_ref().expect("mta-sts");
    assert_eq!(sts.name, "_mta-sts.good.scan.test");
    assert_eq!(
        sts.record.as_ref().map(|r| r.id.as_str()),
        Some("20261201T000000")
    );
    let rpt = good.tls_rpt.as_ref().expect("tls-rpt");
    assert_eq!(
        rpt.record.as_ref().map(|r| r.rua.clone()),
        Some(vec!["mailto:tls@good.scan.test".to_owned()])
    );
    let bimi = good.bimi.as_ref().expect("bimi");
    assert_eq!(
        bimi.record.as_ref().and_then(|r| r.location.as_deref()),
        Some("https://good.scan.test/logo.svg")
    );
    let dkim = good.dkim.as_ref().expect("dkim");
    assert_eq!(dkim.len(), 1);
    assert_eq!(
        (dkim[0].status, dkim[0].key_type, dkim[0].bits),
        (RecordStatus::Valid, Some(KeyType::Ed25519), 256)
    );
    assert_eq!(dkim[0].name, "s1._domainkey.good.scan.test");

    let includes = by("includes.scan.test").spf.as_ref().expect("spf");
    assert_eq!(includes.includes_without_record, ["smtp.isp.scan.test"]);
    assert_eq!(includes.include_parents[0].parent, "isp.scan.test");
    assert_eq!(
        by("lookups.scan.test").spf.as_ref().expect("spf").dns_terms,
        11
    );
    assert_eq!(
        by("voids.scan.test")
            .spf
            .as_ref()
            .expect("spf")
            .void_lookups,
        3
    );

    let invalid = by("dmarc-invalid.scan.test").dmarc.as_ref().expect("dmarc");
    assert_eq!(invalid.status, RecordStatus::Invalid);
    assert!(
        invalid.faults.iter().any(|f| f.offset == 12),
        "{:?}",
        invalid.faults
    );
    assert_eq!(
        by("dmarc-none.scan.test")
            .dmarc
            .as_ref()
            .expect("dmarc")
            .policy,
        Some(Policy::None)
    );

    assert_eq!(
        by("mx-null.scan.test").mx.as_ref().expect("mx").status,
        MxStatus::Null
    );
    let mixed = by("mx-mixed.scan.test").mx.as_ref().expect("mx");
    assert!(mixed.null_mx && mixed.hosts.len() == 1);
    let noaddr = by("mx-noaddr.scan.test").mx.as_ref().expect("mx");
    assert!(noaddr.hosts[0].addresses.is_empty() && noaddr.hosts[0].dns_error.is_none());
    let noptr = &by("mx-noptr.scan.test").mx.as_ref().expect("mx").hosts[0].addresses[0];
    assert_eq!(noptr.iprev, IprevResult::PermError);
    let many = by("mx-many.scan.test").mx.as_ref().expect("mx");
    assert_eq!((many.hosts.len(), many.truncated), (5, true));
    assert_eq!(
        by("gone.scan.test").mx.as_ref().expect("mx").status,
        MxStatus::NoDomain
    );

    let sts = by("sts-invalid.scan.test")
        .mta_sts
        .as_ref()
        .expect("mta-sts");
    assert_eq!(sts.texts, ["v=STSv1; id=2026-12-01"]);
    assert_eq!(sts.fault.as_ref().map(|f| f.offset), Some(12));
    assert_eq!(
        by("sts-several.scan.test")
            .mta_sts
            .as_ref()
            .expect("sts")
            .texts
            .len(),
        2
    );
    let rpt = by("rpt-invalid.scan.test").tls_rpt.as_ref().expect("rpt");
    assert_eq!(rpt.fault.as_ref().map(|f| f.offset), Some(16));
    let bimi = by("bimi-invalid.scan.test").bimi.as_ref().expect("bimi");
    assert_eq!(bimi.fault.as_ref().map(|f| f.offset), Some(11));

    let failed = by("dnsfail.scan.test");
    let servfail = Some(LookupError::ServerFailure(ServerFailure::SERVFAIL));
    assert_eq!(failed.mx.as_ref().expect("mx").dns_error, servfail);
    assert_eq!(failed.mta_sts.as_ref().expect("sts").dns_error, servfail);
    assert_eq!(failed.dkim.as_ref().expect("dkim")[0].dns_error, servfail);
    assert_eq!(
        failed.dmarc.as_ref().expect("dmarc").status,
        RecordStatus::DnsError
    );

    let short = &by("dkim-short.scan.test").dkim.as_ref().expect("dkim")[0];
    assert_eq!((short.key_type, short.bits), (Some(KeyType::Rsa), 1024));
    let bad_key = &by("dkim-invalid.scan.test").dkim.as_ref().expect("dkim")[0];
    assert_eq!(bad_key.status, RecordStatus::Invalid);
    assert!(bad_key.fault.is_some());
    assert_eq!(
        by("dkim-nokey.scan.test").dkim.as_ref().expect("dkim")[0].status,
        RecordStatus::None
    );

    let invalid = by("not a domain");
    assert!(invalid.invalid.is_some() && invalid.spf.is_none() && invalid.queries == 0);
}

#[test]
fn every_check_and_finding_from_memory() {
    check(&scan_all(memory()));
}

#[test]
fn the_same_reports_through_a_real_dns_server() {
    let zone = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scan.zone");
    let knot = knot::TestDnsServer::start(&[
        "--servfail".to_owned(),
        "dnsfail.scan.test".to_owned(),
        format!(".={}", zone.display()),
    ])
    .expect("Knot");
    let hickory = HickoryResolver::builder()
        .nameservers([knot.addr])
        .timeout(Duration::from_secs(3))
        .cache(false)
        .build()
        .expect("resolver");
    let served = scan_all(Arc::new(hickory));
    check(&served);
    assert_eq!(served, scan_all(memory()));
}

/// The stream reads its list as it goes: an endless list yields reports.
#[test]
fn the_stream_reads_an_endless_list_lazily() {
    let scanner = Scanner::new(memory(), ScanConfig::default().concurrency(8));
    let endless = (0..).map(|i| format!("d{i}.scan.test"));
    let reports: Vec<DomainScan> = runtime().block_on(scanner.scan(endless).take(100).collect());
    assert_eq!(reports.len(), 100);
    assert!(reports.iter().all(|r| r.defects.contains(&DomainNotFound)));
}

fn mailauth(args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailauth"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run mailauth");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `mailauth scan`: JSON lines and CSV, resumption from its own output,
/// no progress bar when piped, and formats never mixed in one file.
#[test]
fn the_scan_command_writes_resumes_and_refuses_to_mix() {
    let zone = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scan.zone");
    let zone = zone.to_str().expect("path");
    let dir = std::env::temp_dir().join(format!("mailauth-scan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let output = dir.join("posture.jsonl");
    let output = output.to_str().expect("path");
    let _ = std::fs::remove_file(output);

    let list = "good.scan.test\n# a comment\n\nplusall.scan.test\n";
    let (code, stdout, stderr) =
        mailauth(&["scan", "--zone", zone, "--file", "-", "-o", output], list);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
    let first = std::fs::read_to_string(output).expect("output");
    assert_eq!(first.lines().count(), 2);
    let lines: Vec<serde_json::Value> = first
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let plusall = lines
        .iter()
        .find(|v| v["domain"] == "plusall.scan.test")
        .expect("plusall");
    assert_eq!(plusall["defects"][0], "spf.plus-all");

    // An interrupted run left half a line: it is dropped and rescanned;
    // the domains already written are skipped.
    let mut cut = first.clone();
    cut.push_str("{\"domain\":\"mx-null.scan");
    std::fs::write(output, cut).expect("write");
    let more = format!("{list}mx-null.scan.test\nsyntax.scan.test\n");
    let (code, _, stderr) = mailauth(
        &[
            "scan", "--zone", zone, "--file", "-", "-o", output, "--stats",
        ],
        &more,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.starts_with("mailauth: 2 domains in "), "{stderr}");
    let resumed = std::fs::read_to_string(output).expect("output");
    assert!(resumed.starts_with(&first));
    let domains: Vec<String> = resumed
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("JSON")["domain"]
                .as_str()
                .expect("domain")
                .to_owned()
        })
        .collect();
    assert_eq!(domains.len(), 4);
    assert!(
        domains.contains(&"mx-null.scan.test".to_owned())
            && domains.contains(&"syntax.scan.test".to_owned())
    );

    let (code, _, stderr) = mailauth(
        &[
            "scan",
            "--zone",
            zone,
            "--csv",
            "-o",
            output,
            "good.scan.test",
        ],
        "",
    );
    assert_eq!(code, 64);
    assert!(stderr.contains("holds JSON lines"), "{stderr}");

    // CSV on standard output, piped: a header, one row per domain, and a
    // DNS record that looks like a formula is defused.
    let (code, stdout, stderr) = mailauth(
        &[
            "scan",
            "--zone",
            zone,
            "--csv",
            "good.scan.test",
            "not a domain",
        ],
        "",
    );
    assert_eq!((code, stderr.as_str()), (0, ""));
    let rows: Vec<&str> = stdout.lines().collect();
    assert_eq!(rows[0], DomainScan::CSV_HEADER);
    assert!(
        rows.contains(&"good.scan.test,ok,,v=spf1 mx -all,reject,1,valid,valid,valid,13"),
        "{stdout}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("not a domain,error,domain.invalid,")),
        "{stdout}"
    );

    // Extreme arguments: a deadline past the clock, no concurrency.
    let (code, stdout, stderr) = mailauth(
        &[
            "scan",
            "--zone",
            zone,
            "--deadline",
            &u64::MAX.to_string(),
            "--concurrency",
            "0",
            "good.scan.test",
        ],
        "",
    );
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(
        stdout.starts_with("{\"domain\":\"good.scan.test\""),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).expect("clean up");
}

/// The repository README shows the scan's Rust example as `rust,ignore`
/// (its doctests run in mailauth-core, which cannot see this crate); this
/// crate's README holds the same block, compiled and run as a doctest.
#[test]
fn the_readme_example_is_the_doctested_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repository = std::fs::read_to_string(root.join("../README.md")).expect("README");
    let marker =
        "```rust,ignore\n// The doctest of mailauth-doctor's README (crate mailauth-doctor).\n";
    let start = repository.find(marker).expect("the scan example") + marker.len();
    let block = &repository[start..start + repository[start..].find("```\n").expect("end")];
    let crate_readme = std::fs::read_to_string(root.join("README.md")).expect("crate README");
    assert!(crate_readme.contains(&format!("```rust\n{block}```\n")));
}
