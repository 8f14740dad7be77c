use super::*;

fn ok(text: &str) -> SpfRecord {
    parse_record(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn err(text: &str) -> (ParseErrorKind, usize) {
    let e = parse_record(text).expect_err(text);
    (e.kind().clone(), e.offset())
}

#[test]
fn version_and_spaces() {
    assert!(ok("v=spf1").terms().is_empty());
    assert_eq!(ok("V=SpF1  a   -all ").terms().len(), 2);
    assert_eq!(err("v=spf10"), (ParseErrorKind::NotSpf, 0));
    assert_eq!(err("spf1 -all"), (ParseErrorKind::NotSpf, 0));
}

#[test]
fn mechanisms() {
    let record = ok(
        "v=spf1 +all -include:_spf.example.com ~a ?a:mail.example.com/24//64 mx/30 \
                     ptr ptr:example.org ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{ir}.bl.example",
    );
    let text = record.to_string();
    assert_eq!(
        text,
        "v=spf1 all -include:_spf.example.com ~a ?a:mail.example.com/24//64 mx/30 ptr ptr:example.org \
         ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{ir}.bl.example"
    );
    assert_eq!(ok(&text), record);
    let Term::Directive(d) = &record.terms()[3] else {
        panic!()
    };
    assert_eq!(d.qualifier, Qualifier::Neutral);
    assert!(matches!(
        &d.mechanism,
        Mechanism::A {
            cidr: DualCidr {
                v4: Some(24),
                v6: Some(64)
            },
            ..
        }
    ));
}

#[test]
fn modifiers() {
    let record = ok(
        "v=spf1 redirect=_spf.example.com exp=explain.%{d} moo.cow-far_out=man:dog/cat default=pass",
    );
    assert_eq!(record.redirect().unwrap().to_string(), "_spf.example.com");
    assert_eq!(record.exp().unwrap().to_string(), "explain.%{d}");
    assert_eq!(record.terms().len(), 4);
    assert_eq!(
        err("v=spf1 redirect=a.example redirect=b.example"),
        (ParseErrorKind::DuplicateModifier("redirect"), 26)
    );
    assert_eq!(
        err("v=spf1 exp=a.example EXP=b.example"),
        (ParseErrorKind::DuplicateModifier("exp"), 21)
    );
    assert_eq!(
        err("v=spf1 1up=foo"),
        (ParseErrorKind::InvalidModifierName, 7)
    );
    assert_eq!(err("v=spf1 =all"), (ParseErrorKind::InvalidModifierName, 7));
    assert_eq!(err("v=spf1 exp="), (ParseErrorKind::MissingDomain, 11));
    assert_eq!(
        err("v=spf1 redirect=-all"),
        (ParseErrorKind::InvalidDomain, 16)
    );
    assert!(matches!(
        err("v=spf1 foo=%abc").0,
        ParseErrorKind::Macro(MacroError::BadPercent(11))
    ));
}

#[test]
fn syntax_errors_with_offsets() {
    use ParseErrorKind::*;
    assert_eq!(err("v=spf1 -all."), (UnknownMechanism, 8));
    assert_eq!(err("v=spf1 -all:foo"), (UnexpectedArgument, 11));
    assert_eq!(err("v=spf1 ptr/0"), (UnexpectedArgument, 10));
    assert_eq!(err("v=spf1 include"), (MissingDomain, 14));
    assert_eq!(err("v=spf1 include:"), (MissingDomain, 15));
    assert_eq!(err("v=spf1 a:museum"), (InvalidDomain, 9));
    assert_eq!(err("v=spf1 a:abc.123"), (InvalidDomain, 9));
    assert_eq!(err("v=spf1 a:example.com:8080"), (InvalidDomain, 9));
    assert_eq!(err("v=spf1 a/33"), (InvalidCidr, 9));
    assert_eq!(err("v=spf1 a//129"), (InvalidCidr, 10));
    assert_eq!(err("v=spf1 a/24/64"), (InvalidCidr, 9));
    assert_eq!(err("v=spf1 ip4:1.2.3.4/032"), (InvalidCidr, 19));
    assert_eq!(err("v=spf1 ip4:1.2.3.4//32"), (InvalidCidr, 19));
    assert_eq!(err("v=spf1 ip4:192.0.2.300"), (InvalidIp4, 11));
    assert_eq!(err("v=spf1 ip4:01.2.3.4"), (InvalidIp4, 11));
    assert_eq!(err("v=spf1 ip4:1.2.3"), (InvalidIp4, 11));
    assert_eq!(err("v=spf1 ip4"), (MissingDomain, 10));
    assert_eq!(err("v=spf1 ip6::CAFE::BABE"), (InvalidIp6, 11));
    assert_eq!(
        err("v=spf1 mx:foo.example.com\0"),
        (Macro(MacroError::BadCharacter(25)), 25)
    );
    assert_eq!(
        err("v=spf1 a:%{r}.example.com"),
        (Macro(MacroError::ExplanationOnly(11)), 11)
    );
    assert_eq!(err("v=spf1 ip4:192.0.2.5\n"), (InvalidIp4, 11));
    // A bad length is reported before a bad address, whichever way the
    // term is read.
    assert_eq!(err("v=spf1 ip4:1.2.3.4/33"), (InvalidCidr, 19));
    assert_eq!(err("v=spf1 ip4:1.2.3.4/"), (InvalidCidr, 19));
    assert_eq!(err("v=spf1 ip4:1.2.3.4/24/8"), (InvalidCidr, 19));
    assert_eq!(err("v=spf1 ip4:1.2.3.x/33"), (InvalidCidr, 19));
    assert_eq!(err("v=spf1 ip4:1.2.3.4x/24"), (InvalidIp4, 11));
    assert_eq!(err("v=spf1 ip4:1.2.3.4.5"), (InvalidIp4, 11));
    assert_eq!(err("v=spf1 ip4:1.2.3.4:5"), (InvalidIp4, 11));
    assert_eq!(err("v=spf1 ip4:"), (InvalidIp4, 11));
    assert_eq!(err("v=spf1 ip4:/24"), (InvalidIp4, 11));
}

#[test]
fn domain_specs_with_slashes_and_cidr() {
    let record = ok("v=spf1 a:foo:bar/baz.example.com a:foo.example.com/24 mx:x.example//0");
    assert_eq!(
        record.to_string(),
        "v=spf1 a:foo:bar/baz.example.com a:foo.example.com/24 mx:x.example//0"
    );
}

/// The CIDR suffix is the trailing `/digits` and `//digits`, whatever
/// slashes the domain-spec holds before it.
#[test]
fn cidr_suffix_split() {
    let cases = [
        ("foo.com", ("foo.com", "")),
        ("foo.com/24", ("foo.com", "/24")),
        ("foo.com//64", ("foo.com", "//64")),
        ("foo.com/24//64", ("foo.com", "/24//64")),
        ("foo.com/", ("foo.com/", "")),
        ("foo.com//", ("foo.com//", "")),
        ("a/b.com/24", ("a/b.com", "/24")),
        ("x///24", ("x/", "//24")),
        ("x//24/8", ("x//24", "/8")),
        ("x/24/8", ("x/24", "/8")),
        ("24", ("24", "")),
        ("/24", ("", "/24")),
        ("//", ("//", "")),
        ("", ("", "")),
    ];
    for (text, split) in cases {
        assert_eq!(split_cidr_suffix(text), split, "{text:?}");
    }
}

#[test]
fn selection_rule() {
    assert!(is_spf_record(b"v=spf1"));
    assert!(is_spf_record(b"V=SPF1 -all"));
    assert!(!is_spf_record(b"v=spf10"));
    assert!(!is_spf_record(b"v=spf1\t-all"));
    assert!(!is_spf_record(b"spf2.0/pra"));
}

#[test]
fn ip6_network_agrees_with_std() {
    let samples = [
        "::",
        "::1",
        "1::",
        "2001:db8::",
        "2001:db8::1",
        "2001:DB8:0:0:8:800:200C:417A",
        "ff01::101",
        "::1.1.1.1",
        "::ffff:1.2.3.4",
        "::FFFF:1.2.3.4",
        "1:2:3:4:5:6:1.2.3.4",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
        "1::8",
        "cafe:babe:8000::",
        "0:0:0:0:0:0:0:0",
        // Invalid:
        "",
        ":",
        ":::",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        "12345::",
        "1:2",
        ":1::",
        "1::2:",
        "g::",
        "1:2:3:4:5:6:7:8::",
        "::1.2.3",
        "::1.2.3.4.5",
        "1.2.3.4",
        "::01.2.3.4",
        ":CAFE::BABE",
        "1:2:3:4:5:6:7:1.2.3.4",
        "::1.2.3.4:5",
        "1::2:3:4:5:6:7:8",
        "fe80::1%eth0",
        " ::1",
        // Dots outside the last group:
        "1.2::3",
        "::1.2:3",
        "1.2.3.4::",
        "1:2:3:4:5:6:7:8.",
        "::1.2.3.4.",
    ];
    for text in samples {
        assert_eq!(
            ip6_network(text),
            text.parse::<std::net::Ipv6Addr>().ok(),
            "{text:?}"
        );
    }
}

/// Runs of spaces longer than the 255-byte chunks the parser counts them
/// in: the count cannot overflow, and the terms are those between them.
#[test]
fn long_runs_of_spaces() {
    let spaces = " ".repeat(600);
    let text = format!("v=spf1{spaces}mx{spaces}-all{spaces}");
    let record = parse_record(&text).unwrap();
    assert_eq!(record.to_string(), "v=spf1 mx -all");
}
