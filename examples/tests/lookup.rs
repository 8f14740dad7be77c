//! The `lookup` example answers from the bundled demo zone, offline, and
//! from a zone file given with `--zone`.

use std::process::Command;

fn lookup(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_lookup"))
        .args(args)
        .output()
        .expect("run the lookup example");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn tours_the_demo_zone_offline() {
    let (ok, out, err) = lookup(&[]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("Answers from the bundled demo zone (fictional data, offline):"),
        "{out}"
    );
    assert!(
        out.contains("192.0.2.10             PTR  mail.good.example"),
        "{out}"
    );
    assert!(
        out.contains("nomail.example         MX   0 . (null MX: accepts no mail)"),
        "{out}"
    );
    assert!(
        out.contains("192.0.2.99             PTR  -- NXDOMAIN"),
        "{out}"
    );
}

#[test]
fn answers_questions_from_a_zone_file() {
    let zone = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../mailauth-core/tests/data/zones/mailauth.test.zone"
    );
    let (ok, out, err) = lookup(&[
        "--zone",
        zone,
        "multi.mailauth.test/TXT",
        "mailauth.test/MX",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("\"v=spf1 ip4:192.0.2.1 -all\""), "{out}");
    assert!(
        out.contains(
            "mailauth.test          MX   10 mail.mailauth.test, 10 mail3.mailauth.test, 20 mail2.mailauth.test"
        ),
        "{out}"
    );
}

#[test]
fn reports_bad_usage() {
    let (ok, _, err) = lookup(&["--zone"]);
    assert!(!ok);
    assert!(err.contains("--zone needs a file"), "{err}");
    let (ok, _, err) = lookup(&["example.com/SRV"]);
    assert!(!ok);
    assert!(err.contains("unknown record type"), "{err}");
}
