use super::*;

fn sample(name: &str) -> Headers {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/headers")
        .join(name);
    read(&std::fs::read(path).unwrap())
}

fn recorded(headers: &Headers) -> Vec<(&str, &str, Option<&str>)> {
    headers
        .recorded
        .iter()
        .map(|r| (r.method.as_str(), r.result.as_str(), r.subject.as_deref()))
        .collect()
}

#[test]
fn gmail() {
    let h = sample("gmail-pass.eml");
    assert_eq!(h.client_ip, Some("192.0.2.10".parse().unwrap()));
    // Gmail's Received-SPF names the IP but no helo=: the Received field
    // from that IP gives it.
    assert_eq!(h.helo.as_deref(), Some("mail.example.com"));
    assert_eq!(h.trace_source.as_deref(), Some("Received-SPF, Received #2"));
    assert_eq!(h.return_path.as_deref(), Some("news@example.com"));
    assert_eq!(h.from_domain.as_deref(), Some("example.com"));
    assert_eq!(
        h.signatures,
        [Signature {
            domain: "example.com".into(),
            selector: Some("sel1".into())
        }]
    );
    assert_eq!(
        recorded(&h),
        [
            ("dkim", "pass", Some("example.com")),
            ("spf", "pass", Some("news@example.com")),
            ("dmarc", "pass", Some("example.com")),
            ("spf", "pass", None),
        ]
    );
    assert_eq!(h.dkim_passes().collect::<Vec<_>>(), ["example.com"]);
    assert_eq!(h.received, 3);
}

#[test]
fn microsoft() {
    let h = sample("microsoft-fail.eml");
    assert_eq!(h.client_ip, Some("192.0.2.30".parse().unwrap()));
    assert_eq!(h.helo.as_deref(), Some("host30.dsl.example.net"));
    assert_eq!(h.return_path.as_deref(), Some("news@example.com"));
    assert_eq!(
        recorded(&h)[..3],
        [
            ("spf", "fail", Some("example.com")),
            ("dkim", "none", Some("none")),
            ("dmarc", "fail", Some("example.com")),
        ]
    );
}

#[test]
fn postfix_received_spf() {
    let h = sample("postfix-softfail.eml");
    assert_eq!(h.client_ip, Some("198.51.100.25".parse().unwrap()));
    assert_eq!(h.helo.as_deref(), Some("smtp.isp.example"));
    assert_eq!(h.from_domain.as_deref(), Some("noptr.example"));
    assert_eq!(
        recorded(&h),
        [
            ("spf", "softfail", Some("alerts@noptr.example")),
            ("spf", "softfail", Some("alerts@noptr.example")),
        ]
    );
}

/// Without the receiver's own fields, the first `Received:` hop from an
/// address outside private ranges; two From addresses give no From domain.
#[test]
fn trace_only() {
    let h = sample("yahoo-trace-only.eml");
    assert_eq!(h.client_ip, Some("192.0.2.10".parse().unwrap()));
    assert_eq!(h.helo.as_deref(), Some("mail.example.com"));
    assert_eq!(h.trace_source.as_deref(), Some("Received #1"));
    assert_eq!((h.from_addresses, h.from_domain.as_deref()), (2, None));
}

#[test]
fn received_clauses() {
    let cases = [
        (
            "from a.example (a.example [192.0.2.1]) by b",
            Some("192.0.2.1"),
        ),
        (
            "from a.example (a.example [IPv6:2001:db8::1]) by b",
            Some("2001:db8::1"),
        ),
        (
            "from a.example (192.0.2.2) by b (10.0.0.1)",
            Some("192.0.2.2"),
        ),
        ("from a.example by b.example (192.0.2.3)", None),
        ("by b.example with SMTP", None),
    ];
    for (field, ip) in cases {
        let (_, got) = received_from(field);
        assert_eq!(got, ip.map(|ip| ip.parse().unwrap()), "{field}");
    }
}

/// Hostile header sections: every value kept is printable and bounded,
/// nothing panics, and a flood of fields is cut.
#[test]
fn hostile_headers() {
    let mut flood = String::new();
    for _ in 0..5000 {
        flood.push_str("Received: from x ([192.0.2.1\n");
    }
    let long = format!(
        "From: a@{}\nReturn-Path: <\u{1b}[2J{}>\n",
        "b".repeat(10_000),
        "c".repeat(10_000)
    );
    for input in [
        flood.as_bytes(),
        long.as_bytes(),
        b"Authentication-Results: ((((((( spf=pass\n",
        b"Authentication-Results: ;;;;=;=;a=\n",
        b"DKIM-Signature: d=\x1b]0;x\x07; s=\xff\n",
        b"Received-SPF: \n",
        b"Received: from [ ] ( ( [[[ by\n",
        b"From: \"unterminated <a@b.example>\n",
        b"\n\nFrom: after@body.example\n",
    ] {
        let h = read(input);
        let values = h.texts();
        for v in values {
            assert!(v.len() <= MAX_FIELD, "{} bytes", v.len());
            assert!(v.bytes().all(|b| (0x20..0x7f).contains(&b)), "{v:?}");
        }
    }
    assert_eq!(read(b"\n\nFrom: after@body.example\n").from_domain, None);
}
