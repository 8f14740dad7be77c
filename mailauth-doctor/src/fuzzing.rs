//! The doctor's fuzz entry points (`fuzz/fuzz_targets/doctor.rs`,
//! `bounce.rs`, `headers.rs`): the raw fuzz input chooses a sending setup,
//! a bounce or a header section, and the DNS answers. Not part of the
//! public API.

use mailauth_core::dnsbl::DnsblList;
use mailauth_core::fuzzing::{FuzzDns, block_on, fields, ip_from};

use crate::{
    DoctorReport, Hints, SendingSetup, audit_domain, bounce, diagnose, diagnose_bounce,
    diagnose_message,
};

/// The doctor over DNS the fuzzer answers, for a setup it chooses: never a
/// panic; the text report writes nothing but printable ASCII and line
/// breaks; the JSON report is valid JSON. Then the posture scan of the
/// MAIL FROM domain over fresh answers from the same bytes, as for
/// [`scan`].
pub fn doctor(data: &[u8]) {
    let ([helo, mail_from, from, dkim], rest) = fields::<4>(data);
    let setup = SendingSetup::new(ip_from(rest), helo, mail_from.as_str())
        .from_domain(from)
        .dkim_domain(dkim.as_str())
        .dnsbl_lists(DnsblList::builtins().into_iter().take(2).collect());
    let dns = FuzzDns::new(rest.get(17..).unwrap_or_default());
    let audit = block_on(audit_domain(&dns, &mail_from)).ok();
    for report in std::iter::once(block_on(diagnose(&dns, &setup))).chain(audit) {
        assert_report_safe(&report);
    }
    scan(&mail_from, &dkim, rest.get(17..).unwrap_or_default());
}

/// The scan of `domain` (with DKIM selector `selector`) over DNS the
/// fuzzer answers from `answers`: never a panic; a bounded number of
/// questions whatever the answers say (hostile MX sets, include chains);
/// each defect once, in report order; a CSV row on one line of printable
/// ASCII; the JSON line valid and without a line break.
fn scan(domain: &str, selector: &str, answers: &[u8]) {
    use std::sync::Arc;
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    else {
        return;
    };
    let dns = Arc::new(FuzzDns::new(answers));
    let config = crate::scan::ScanConfig::default()
        .dkim_selectors([selector])
        .cache(None);
    let scanner = crate::scan::Scanner::new(Arc::clone(&dns) as _, config);
    let report = runtime.block_on(scanner.scan_domain(domain));
    // SPF audit (30 records, 50 targets), DMARC walk, 5 MX hosts of 4
    // addresses with iprev each, 3 records and one key.
    assert!(dns.queries() < 600, "{} questions", dns.queries());
    assert!(
        report.defects.windows(2).all(|w| w[0] < w[1]),
        "{:?}",
        report.defects
    );
    let row = report.to_csv_row();
    assert!(row.bytes().all(|b| (0x20..0x7f).contains(&b)), "{row:?}");
    #[cfg(feature = "serde")]
    {
        let line = report.to_json_line();
        assert!(!line.contains('\n'));
        assert!(serde_json::from_str::<serde_json::Value>(&line).is_ok());
    }
}

/// A bounce, read and then diagnosed over DNS the fuzzer answers (the same
/// bytes): never a panic; every value read is printable ASCII within
/// [`bounce::MAX_FIELD`]; the reports hold as for [`doctor`].
pub fn bounce(data: &[u8]) {
    let read = bounce::read(data);
    let mut values: Vec<&str> = read
        .read
        .iter()
        .flat_map(|e| [&*e.source, &*e.value])
        .collect();
    values.extend(read.reply.as_ref().map(|r| r.text.as_str()));
    values.extend(read.sender.as_deref());
    values.extend(read.domain.as_deref());
    values.extend(read.helo.as_deref());
    assert_fields(values, bounce::MAX_FIELD);
    with_and_without_hints(data, |dns, hints| {
        block_on(diagnose_bounce(dns, read.clone(), hints))
    });
}

/// A header section, read and then diagnosed over DNS the fuzzer answers
/// (the same bytes): never a panic; every value read is printable ASCII
/// within [`crate::headers::MAX_FIELD`]; the reports hold as for [`doctor`].
pub fn headers(data: &[u8]) {
    let read = crate::headers::read(data);
    assert_fields(read.texts(), crate::headers::MAX_FIELD);
    with_and_without_hints(data, |dns, hints| {
        block_on(diagnose_message(dns, data, hints))
    });
}

/// Every value read is printable ASCII within `limit` bytes.
fn assert_fields<'a>(values: impl IntoIterator<Item = &'a str>, limit: usize) {
    for value in values {
        assert!(value.len() <= limit, "{} bytes", value.len());
        assert!(
            value.bytes().all(|b| (0x20..0x7f).contains(&b)),
            "{value:?}"
        );
    }
}

/// Runs a diagnosis over DNS the fuzzer answers with the IP and sender
/// given (it cannot fail) and without (it may say what is missing); every
/// report must hold.
fn with_and_without_hints(
    data: &[u8],
    diagnose: impl Fn(&FuzzDns, Hints) -> Result<DoctorReport, crate::ReadError>,
) {
    let dns = FuzzDns::new(data);
    let hints = Hints::default()
        .ip(ip_from(data))
        .mail_from("postmaster@example.com");
    for hints in [hints, Hints::default()] {
        if let Ok(report) = diagnose(&dns, hints) {
            assert_report_safe(&report);
        }
    }
}

/// The text report writes nothing but printable ASCII and line breaks; the
/// JSON report is valid JSON.
fn assert_report_safe(report: &DoctorReport) {
    let text = report.to_text();
    assert!(
        text.bytes()
            .all(|b| b == b'\n' || (0x20..0x7f).contains(&b)),
        "{text:?}"
    );
    #[cfg(feature = "serde")]
    assert!(serde_json::from_str::<serde_json::Value>(&report.to_json()).is_ok());
}

#[cfg(test)]
mod tests {
    /// The seeds of `fuzz/seeds.txt` for the doctor hold, so that `cargo
    /// test` runs every one.
    /// The seeds of `fuzz/seeds.txt` for the doctor's targets hold, so that
    /// `cargo test` runs every one.
    #[test]
    fn seed_corpus_holds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let list = std::fs::read_to_string(root.join("fuzz/seeds.txt")).unwrap();
        let targets = [
            ("doctor", super::doctor as fn(&[u8])),
            ("bounce", super::bounce),
            ("headers", super::headers),
        ];
        for (target, run) in targets {
            let mut files = 0;
            let prefix = format!("{target} ");
            for line in list.lines().filter(|l| l.starts_with(&prefix)) {
                let dir = root.join(&line[prefix.len()..]);
                for entry in std::fs::read_dir(dir).unwrap() {
                    let path = entry.unwrap().path();
                    if path.is_file() {
                        run(&std::fs::read(&path).unwrap());
                        files += 1;
                    }
                }
            }
            assert!(files > 0, "{target} has no seeds");
        }
    }
}
