use super::*;
use RecordErrorKind::*;

#[test]
fn mta_sts_records() {
    let ok: &[(&str, &str, usize)] = &[
        ("v=STSv1; id=20160831085700Z;", "20160831085700Z", 0),
        ("v=STSv1;id=a", "a", 0),
        ("v=STSv1 ;\tid=abc ; ", "abc", 0),
        ("v=STSv1; id=x; ext=1:2<3>", "x", 1),
        (
            "v=STSv1; id=12345678901234567890123456789012",
            "12345678901234567890123456789012",
            0,
        ),
    ];
    for &(text, id, ext) in ok {
        let record = MtaStsRecord::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(
            (record.id.as_str(), record.extensions.len()),
            (id, ext),
            "{text}"
        );
        assert!(MtaStsRecord::is_candidate(text.as_bytes()), "{text}");
    }
    let bad: &[(&str, usize, RecordErrorKind)] = &[
        ("", 0, Version),
        ("v=stsv1; id=a", 0, Version),
        ("v=STSv1", 7, NoFields),
        ("v=STSv1;", 8, NoFields),
        ("v=STSv1; ", 9, NoFields),
        ("v=STSv10; id=a", 7, Delimiter),
        ("v=STSv1 id=a", 8, Delimiter),
        ("v=STSv1; id=a ", 14, Delimiter),
        ("v=STSv1; id=a b", 14, Delimiter),
        ("v=STSv1; =a", 9, BadName),
        ("v=STSv1; _x=a; id=b", 9, BadName),
        ("v=STSv1; id", 11, MissingEquals),
        ("v=STSv1; id =a", 11, MissingEquals),
        ("v=STSv1; id=", 12, BadValue),
        ("v=STSv1; id=;", 12, BadValue),
        ("v=STSv1; id=a=b", 13, BadValue),
        ("v=STSv1; id=a\u{e9}", 13, BadValue),
        ("v=STSv1; id=a\x01", 13, BadValue),
        ("v=STSv1; id=a; id=b", 15, Duplicate),
        ("v=STSv1; ext=1", 14, MissingId),
        ("v=STSv1; id=2026-12-01", 12, BadId),
        ("v=STSv1; id=123456789012345678901234567890123", 12, BadId),
    ];
    for &(text, offset, kind) in bad {
        let error = MtaStsRecord::parse(text).expect_err(text);
        assert_eq!((error.offset, error.kind), (offset, kind), "{text:?}");
        assert!(error.offset <= text.len());
    }
    for text in ["v=STSv1", "v=STSv10;", "x v=STSv1;", "v=TLSRPTv1;"] {
        assert!(!MtaStsRecord::is_candidate(text.as_bytes()), "{text}");
    }
}

#[test]
fn tls_rpt_records() {
    let ok: &[(&str, &[&str])] = &[
        (
            "v=TLSRPTv1; rua=mailto:reports@example.com",
            &["mailto:reports@example.com"],
        ),
        (
            "v=TLSRPTv1;rua=https://reporting.example.com/v1/tlsrpt",
            &["https://reporting.example.com/v1/tlsrpt"],
        ),
        (
            "v=TLSRPTv1; rua=mailto:a@example.com , HTTPS://r.example/x?y=1 ;",
            &["mailto:a@example.com", "HTTPS://r.example/x?y=1"],
        ),
        (
            "v=TLSRPTv1; ext=1; rua=mailto:a@example.com",
            &["mailto:a@example.com"],
        ),
    ];
    for &(text, rua) in ok {
        let record = TlsRptRecord::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(record.rua, rua, "{text}");
        assert!(TlsRptRecord::is_candidate(text.as_bytes()));
    }
    let bad: &[(&str, usize, RecordErrorKind)] = &[
        ("v=TLSRPTv1", 10, NoFields),
        ("v=TLSRPTv1; ext=1", 17, MissingRua),
        ("v=TLSRPTv1; rua=", 16, BadValue),
        ("v=TLSRPTv1; rua=ftp://x.example/", 16, BadUri),
        ("v=TLSRPTv1; rua=mailto:a@example.com,", 37, BadUri),
        ("v=TLSRPTv1; rua=mailto:a@example.com, http://x", 38, BadUri),
        ("v=TLSRPTv1; rua=mailto:a!b@example.com", 16, BadUri),
        ("v=TLSRPTv1; rua=mailto:", 16, BadUri),
        ("v=TLSRPTv1; rua=mailto:a b@example.com", 16, BadUri),
        ("v=TLSRPTv1; rua=mailto:a@x; rua=mailto:b@x", 28, Duplicate),
    ];
    for &(text, offset, kind) in bad {
        let error = TlsRptRecord::parse(text).expect_err(text);
        assert_eq!((error.offset, error.kind), (offset, kind), "{text:?}");
    }
}

#[test]
fn hostile_records_end_in_an_error_or_a_record() {
    let same = format!("v=STSv1; {}", "a=b; ".repeat(20_000));
    assert_eq!(MtaStsRecord::parse(&same).unwrap_err().kind, MissingId);
    let distinct: String = (0..20_000).map(|i| format!("; x{i}=1")).collect();
    let record = MtaStsRecord::parse(&format!("v=STSv1{distinct}; id=1")).unwrap();
    assert_eq!(record.extensions.len(), 20_000);
    let many = format!("v=TLSRPTv1; rua={}", "mailto:a@x,".repeat(10_000));
    assert_eq!(TlsRptRecord::parse(&many).unwrap_err().kind, BadUri);
    for text in ["v=STSv1;\u{0}", "v=STSv1; \u{feff}id=1", "v=STSv1;;"] {
        assert!(MtaStsRecord::parse(text).is_err(), "{text:?}");
    }
}
