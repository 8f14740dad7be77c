//! Every sample of `tests/bounces/` read as expected, and hostile input.

use super::*;

/// (file, input, receiver, reason, code, enhanced, client IP, domain, stage)
type Case = (
    &'static str,
    InputKind,
    Receiver,
    Reason,
    u16,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<Stage>,
);

const CASES: &[Case] = &[
    (
        "gmail-5.7.26-dsn.eml",
        InputKind::Dsn,
        Receiver::Gmail,
        Reason::Unauthenticated,
        550,
        Some("5.7.26"),
        Some("192.0.2.30"),
        Some("example.com"),
        Some(Stage::EndOfData),
    ),
    (
        "gmail-5.7.26-dmarc.txt",
        InputKind::Reply,
        Receiver::Gmail,
        Reason::DmarcPolicy,
        550,
        Some("5.7.26"),
        None,
        Some("example.com"),
        None,
    ),
    (
        "gmail-5.7.25-ptr.txt",
        InputKind::Reply,
        Receiver::Gmail,
        Reason::ReverseDns,
        550,
        Some("5.7.25"),
        Some("192.0.2.99"),
        None,
        None,
    ),
    (
        "gmail-5.7.25-postfix.log",
        InputKind::PostfixLog,
        Receiver::Gmail,
        Reason::ReverseDns,
        550,
        Some("5.7.25"),
        None,
        None,
        Some(Stage::EndOfData),
    ),
    (
        "gmail-5.7.27-spf.txt",
        InputKind::Reply,
        Receiver::Gmail,
        Reason::SpfFail,
        550,
        Some("5.7.27"),
        Some("198.51.100.25"),
        Some("example.com"),
        None,
    ),
    (
        "gmail-5.7.1-reputation.txt",
        InputKind::Reply,
        Receiver::Gmail,
        Reason::Reputation,
        550,
        Some("5.7.1"),
        Some("192.0.2.30"),
        None,
        None,
    ),
    (
        "gmail-4.7.0-ptr.txt",
        InputKind::Reply,
        Receiver::Gmail,
        Reason::ReverseDns,
        421,
        Some("4.7.0"),
        Some("192.0.2.99"),
        None,
        None,
    ),
    (
        "microsoft-s3150.txt",
        InputKind::Reply,
        Receiver::Microsoft,
        Reason::Reputation,
        550,
        Some("5.7.1"),
        Some("192.0.2.30"),
        None,
        None,
    ),
    (
        "microsoft-5.7.515.log",
        InputKind::PostfixLog,
        Receiver::Microsoft,
        Reason::BulkAuthentication,
        550,
        Some("5.7.515"),
        None,
        Some("example.com"),
        Some(Stage::EndOfData),
    ),
    (
        "yahoo-5.7.9.log",
        InputKind::PostfixLog,
        Receiver::Yahoo,
        Reason::DmarcPolicy,
        554,
        Some("5.7.9"),
        None,
        None,
        Some(Stage::EndOfData),
    ),
    (
        "yahoo-bl21.txt",
        InputKind::Reply,
        Receiver::Yahoo,
        Reason::Blocklisted,
        553,
        Some("5.7.1"),
        Some("192.0.2.30"),
        None,
        None,
    ),
    (
        "postfix-reverse-hostname.txt",
        InputKind::Reply,
        Receiver::Postfix,
        Reason::ReverseDns,
        450,
        Some("4.7.1"),
        Some("192.0.2.99"),
        None,
        None,
    ),
    (
        "postfix-zen.txt",
        InputKind::Reply,
        Receiver::Postfix,
        Reason::Blocklisted,
        554,
        Some("5.7.1"),
        Some("192.0.2.30"),
        None,
        None,
    ),
    (
        "postfix-domain-not-found.txt",
        InputKind::Reply,
        Receiver::Postfix,
        Reason::SenderDomain,
        450,
        Some("4.1.8"),
        None,
        Some("ghost.example"),
        None,
    ),
    (
        "postfix-noqueue.log",
        InputKind::PostfixReject,
        Receiver::Postfix,
        Reason::ReverseDns,
        450,
        Some("4.7.1"),
        Some("192.0.2.99"),
        None,
        None,
    ),
];

fn sample(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bounces")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_sample_reads_as_expected() {
    for &(name, input, receiver, reason, code, enhanced, ip, domain, stage) in CASES {
        let bounce = read(&sample(name));
        let reply = bounce
            .reply
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: no reply"));
        assert_eq!(
            (
                bounce.input,
                bounce.receiver,
                bounce.reason,
                reply.code,
                reply.enhanced.as_deref()
            ),
            (input, receiver, reason, code, enhanced),
            "{name}: {bounce:#?}"
        );
        assert_eq!(
            bounce.client_ip.map(|i| i.to_string()).as_deref(),
            ip,
            "{name}"
        );
        assert_eq!(bounce.domain.as_deref(), domain, "{name}");
        assert_eq!(bounce.stage, stage, "{name}");
        assert!(
            !reply.text.contains("550-") && !reply.text.contains("5.7.26 "),
            "{name}: {}",
            reply.text
        );
    }
}

#[test]
fn every_sample_is_tested() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bounces");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "SOURCE.md")
        .collect();
    files.sort();
    let mut tested: Vec<&str> = CASES.iter().map(|c| c.0).collect();
    tested.sort();
    assert_eq!(files, tested);
}

/// The fields a DSN and a log line carry besides the reply.
#[test]
fn envelope_fields() {
    let dsn = read(&sample("gmail-5.7.26-dsn.eml"));
    assert_eq!(dsn.sender.as_deref(), Some("news@example.com"));
    assert_eq!(dsn.recipient.as_deref(), Some("someone@gmail.example"));
    assert_eq!(
        dsn.remote_mta.as_deref(),
        Some("gmail-smtp-in.l.google.com")
    );
    assert!(dsn.read.iter().any(|e| e.source == "Diagnostic-Code"));
    let log = read(&sample("microsoft-5.7.515.log"));
    assert_eq!(log.recipient.as_deref(), Some("someone@outlook.example"));
    assert_eq!(
        log.remote_mta.as_deref(),
        Some("outlook-com.olc.protection.outlook.com")
    );
    let noqueue = read(&sample("postfix-noqueue.log"));
    assert_eq!(noqueue.sender.as_deref(), Some("alerts@noptr.example"));
    assert_eq!(noqueue.helo.as_deref(), Some("mail.noptr.example"));
    let zen = read(&sample("postfix-zen.txt"));
    assert_eq!(zen.dnsbl_zone.as_deref(), Some("zen.spamhaus.org"));
}

/// RFC 5321 §4.2.1 and Postfix's rule: the enhanced code of the last line,
/// only when its class is the basic code's.
#[test]
fn reply_codes() {
    let reply = parse_reply("550-5.7.1 first\n550 4.7.1 last").unwrap();
    assert_eq!((reply.code, reply.enhanced), (550, None));
    let reply = parse_reply("250 ok").unwrap();
    assert_eq!(
        (reply.code, reply.enhanced, reply.text.as_str()),
        (250, None, "ok")
    );
    assert!(parse_reply("hello").is_none());
    assert!(parse_reply("999 x").is_none());
    assert!(parse_reply("5501 x").is_none());
}

/// Hostile input: controls, huge fields, broken structure. A result,
/// printable and bounded, never a panic.
#[test]
fn hostile_input() {
    let long = format!(
        "550 5.7.1 {}\u{1b}]0;x\u{7}\r\nX-Injected: 1",
        "a".repeat(MAX_INPUT)
    );
    let bounce = read(long.as_bytes());
    let reply = bounce.reply.unwrap();
    assert!(reply.text.len() <= MAX_FIELD);
    assert!(reply.text.bytes().all(|b| (0x20..0x7f).contains(&b)));
    for input in [
        &b""[..],
        b"550",
        b"550-",
        b"5",
        b"\xff\xfe550 5.7.26 x",
        b"Diagnostic-Code:",
        b"Diagnostic-Code: smtp;",
        b"Status: 9.9.9",
        b"postfix/smtp[1]: x: status=",
        b"postfix/smtp[1]: x: to=<, relay=[, status=bounced (host [ said: (in reply to",
        b"NOQUEUE: reject: RCPT from x[]: ; from=<",
        b"host a said: 550 x (in reply to",
        b"550 [[[[[]]]] <@> <a@> SPF [ blocked using ",
        b"550 5.7.26 \xc3\xa9 email from \xc3\xa9.example",
    ] {
        let bounce = read(input);
        for excerpt in &bounce.read {
            let value = &excerpt.value;
            assert!(
                value.bytes().all(|b| (0x20..0x7f).contains(&b)),
                "{value:?}"
            );
        }
    }
}
