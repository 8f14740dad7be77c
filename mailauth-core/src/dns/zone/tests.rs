use super::*;

fn parse(text: &str) -> Zone {
    Zone::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn error(text: &str) -> (usize, usize, ZoneErrorKind) {
    let e = Zone::parse(text).expect_err(text);
    (e.line, e.column, e.kind)
}

fn txt(strings: &[&[u8]]) -> RecordData {
    RecordData::Txt(Txt::new(strings.iter().map(|s| s.to_vec())))
}

#[test]
fn origin_relative_absolute_and_at() {
    let zone = parse(
        "$ORIGIN example.com.\n\
         @ A 192.0.2.1\n\
         www A 192.0.2.2\n\
         other.org. A 192.0.2.3\n\
         $ORIGIN sub\n\
         x A 192.0.2.4\n",
    );
    let names: Vec<_> = zone.records.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "example.com",
            "www.example.com",
            "other.org",
            "x.sub.example.com"
        ]
    );
}

#[test]
fn names_without_origin_are_relative_to_the_root() {
    let zone = parse("host.example A 192.0.2.1\n. NS ns.example.\n");
    assert_eq!(zone.records[0].name, "host.example");
    assert_eq!(zone.records[1].name, "");
}

#[test]
fn ttl_and_class_in_either_order_and_defaults() {
    let zone = parse(
        "a 60 IN A 192.0.2.1\n\
         b IN 120 A 192.0.2.2\n\
         c A 192.0.2.3\n\
         $TTL 1h30m\n\
         d in a 192.0.2.4\n",
    );
    let ttls: Vec<_> = zone.records.iter().map(|r| r.ttl).collect();
    // c inherits the last explicit TTL (RFC 1035 §5.1); d uses $TTL.
    assert_eq!(ttls, [60, 120, 120, 5400]);
    assert_eq!(parse("x A 192.0.2.1\n").records[0].ttl, DEFAULT_TTL);
}

#[test]
fn blank_owner_repeats_the_previous_one() {
    let zone = parse("host.example. A 192.0.2.1\n  AAAA 2001:db8::1\n\tMX 10 mx.example.\n");
    assert!(zone.records.iter().all(|r| r.name == "host.example"));
    assert_eq!(
        zone.records[2].data,
        RecordData::Mx(Mx {
            preference: 10,
            exchange: "mx.example".into()
        })
    );
}

#[test]
fn parentheses_and_comments() {
    let zone = parse(
        "$ORIGIN example.\n\
         @ IN SOA ns hostmaster ( 1 ; serial\n\
                                  2h 10m 1w ; times\n\
                                  300 )\n\
         ; a comment line\n\
         @ TXT ( \"one\" ; first\n\
                 \"two\" )\n",
    );
    assert_eq!(
        zone.records[0].data,
        RecordData::Soa(Soa {
            mname: "ns.example".into(),
            rname: "hostmaster.example".into(),
            serial: 1,
            refresh: 7200,
            retry: 600,
            expire: 604_800,
            minimum: 300,
        })
    );
    assert_eq!(zone.records[1].data, txt(&[b"one", b"two"]));
}

#[test]
fn txt_strings_and_escapes() {
    let zone = parse(
        "t TXT \"v=spf1 \" \"-all\"\n\
         t TXT unquoted words\n\
         t TXT \"say \\\"hi\\\" \\\\ \\065\\255 ; not a comment\"\n\
         t TXT \"\"\n",
    );
    assert_eq!(zone.records[0].data, txt(&[b"v=spf1 ", b"-all"]));
    assert_eq!(zone.records[1].data, txt(&[b"unquoted", b"words"]));
    assert_eq!(
        zone.records[2].data,
        txt(&[b"say \"hi\" \\ A\xff ; not a comment"])
    );
    assert_eq!(zone.records[3].data, txt(&[b""]));
}

#[test]
fn escapes_in_names() {
    let zone = parse("with\\032space.example. A 192.0.2.1\nmacro%percent.example. A 192.0.2.2\n");
    assert_eq!(zone.records[0].name, "with space.example");
    assert_eq!(zone.records[1].name, "macro%percent.example");
}

#[test]
fn every_type() {
    let zone = parse(
        "$ORIGIN example.\n\
         a A 192.0.2.1\n\
         a AAAA 2001:DB8::1\n\
         a MX 0 .\n\
         1.2.0.192.in-addr.arpa. PTR a\n\
         alias CNAME a\n\
         a TXT x\n\
         @ NS ns.example.\n",
    );
    let types: Vec<_> = zone.records.iter().map(|r| r.data.record_type()).collect();
    let t = |t: RecordType| Some(t);
    assert_eq!(
        types,
        [
            t(RecordType::A),
            t(RecordType::Aaaa),
            t(RecordType::Mx),
            t(RecordType::Ptr),
            None,
            t(RecordType::Txt),
            None
        ]
    );
    assert_eq!(
        zone.records[2].data,
        RecordData::Mx(Mx {
            preference: 0,
            exchange: String::new()
        })
    );
    assert_eq!(zone.records[3].data, RecordData::Ptr("a.example".into()));
}

#[test]
fn errors_have_line_and_column() {
    use ZoneErrorKind::*;
    assert_eq!(error("a A 192.0.2.300\n"), (1, 5, InvalidIpv4));
    assert_eq!(
        error("a A 192.0.2.1\nb AAAA 2001:db8::g\n"),
        (2, 8, InvalidIpv6)
    );
    assert_eq!(error("a TXT \"open\n"), (1, 7, UnterminatedString));
    assert_eq!(error("a TXT ( \"x\"\n"), (1, 7, UnbalancedParenthesis));
    assert_eq!(error("a TXT x )\n"), (1, 9, UnbalancedParenthesis));
    assert_eq!(error("a TXT \"\\256\"\n"), (1, 8, InvalidEscape));
    assert_eq!(error("a TXT \"\\12\"\n"), (1, 8, InvalidEscape));
    assert_eq!(error("a TXT x\\"), (1, 8, InvalidEscape));
    assert_eq!(
        error("$INCLUDE other.zone\n"),
        (1, 1, UnsupportedDirective("$INCLUDE".into()))
    );
    assert_eq!(error("$FOO x\n"), (1, 1, UnknownDirective("$FOO".into())));
    assert_eq!(error("  A 192.0.2.1\n"), (1, 3, MissingOwner));
    assert_eq!(error("a CH TXT x\n"), (1, 3, UnsupportedClass("CH".into())));
    assert_eq!(
        error("a SRV 0 0 25 x.\n"),
        (1, 3, UnsupportedType("SRV".into()))
    );
    assert_eq!(error("a A\n"), (1, 4, Missing("IPv4 address")));
    assert_eq!(error("a\n"), (1, 2, Missing("record type")));
    assert_eq!(error("a A 192.0.2.1 extra\n"), (1, 15, TrailingData));
    assert_eq!(error("a MX 70000 x.\n"), (1, 6, InvalidNumber));
    assert_eq!(error("a 99999999999 A 192.0.2.1\n"), (1, 3, InvalidNumber));
    assert_eq!(error("a 1x A 192.0.2.1\n"), (1, 3, InvalidNumber));
    assert_eq!(
        error("a..b A 192.0.2.1\n"),
        (1, 3, InvalidName("empty label"))
    );
    assert_eq!(
        error("a\\.b A 192.0.2.1\n"),
        (1, 2, InvalidName("escaped dot inside a label"))
    );
    assert_eq!(error("\"a\" A 192.0.2.1\n"), (1, 1, UnexpectedQuote));
    let long_string = format!("a TXT \"{}\"\n", "x".repeat(256));
    assert_eq!(error(&long_string), (1, 263, StringTooLong));
    let long_label = format!("{} A 192.0.2.1\n", "x".repeat(64));
    assert_eq!(
        error(&long_label),
        (1, 64, InvalidName("label longer than 63 octets"))
    );
    let long_name = format!("{} A 192.0.2.1\n", vec!["x".repeat(60); 5].join("."));
    assert_eq!(
        error(&long_name),
        (1, 1, InvalidName("name longer than 253 octets"))
    );
    assert_eq!(error("a CNAME b.\na A 192.0.2.1\n"), (2, 1, CnameConflict));
    assert_eq!(error("a A 192.0.2.1\nA CNAME b.\n"), (2, 1, CnameConflict));
    assert_eq!(error("a CNAME b.\na CNAME c.\n"), (2, 1, CnameConflict));
    let err = Zone::parse("x A 1.2.3\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "zone text line 1, column 5: invalid IPv4 address"
    );
}

#[test]
fn display_round_trips() {
    let text = "$ORIGIN Example.COM.\n\
        @ 300 IN SOA ns hostmaster 1 2 3 4 5\n\
        @ NS ns\n\
        @ TXT \"v=spf1 \" \"a\\\"b\\\\c\" \"\\000\\255 tab\\009\"\n\
        @ MX 10 mail\n\
        sp\\032ace A 192.0.2.1\n\
        www AAAA 2001:db8::1\n\
        alias CNAME www\n\
        1.2.0.192.in-addr.arpa. PTR www\n\
        . NS root.\n";
    let zone = parse(text);
    let printed = zone.to_string();
    assert_eq!(parse(&printed), zone, "{printed}");
    // Records without a TTL take the last explicit one (RFC 1035 §5.1).
    assert!(
        printed.contains("sp\\032ace.Example.COM. 300 IN A 192.0.2.1"),
        "{printed}"
    );
    assert!(printed.ends_with("\n. 300 IN NS root.\n"), "{printed}");
}

#[test]
fn display_splits_strings_over_255_octets() {
    let zone = Zone {
        records: vec![ZoneRecord {
            name: "long.example".into(),
            ttl: 60,
            data: RecordData::Txt(Txt::new([vec![b'x'; 600]])),
        }],
    };
    let reparsed = parse(&zone.to_string());
    let RecordData::Txt(txt) = &reparsed.records[0].data else {
        panic!("not TXT")
    };
    assert_eq!(
        txt.strings().map(<[u8]>::len).collect::<Vec<_>>(),
        [255, 255, 90]
    );
    assert_eq!(txt.joined().len(), 600);
}

#[test]
fn empty_and_comment_only_text() {
    assert_eq!(parse(""), Zone::default());
    assert_eq!(parse("; nothing\n\n   \n"), Zone::default());
}
