//! Sign-then-verify round trips, altered messages, and DNS outcomes.

use super::*;
use crate::dns::{Fault, MemoryResolver};

fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

const MESSAGE: &[u8] = b"From: Joe <joe@example.com>\r\n\
To: Suzie <suzie@example.net>\r\n\
Subject: Is dinner ready?\r\n\
Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n\
Message-ID: <20030712040037.46341.5F8J@example.com>\r\n\
\r\n\
Hi.\r\n\
\r\n\
We lost the game.  Are you hungry yet?\r\n\
\r\n\
Joe.\r\n";

fn ed25519_signer() -> DkimSigner {
    let pkcs8 = DkimSigner::generate_ed25519().unwrap();
    DkimSigner::ed25519(&pkcs8, "example.com", "brisbane").unwrap()
}

fn zone_for(signer: &DkimSigner) -> MemoryResolver {
    MemoryResolver::from_zone_text(&key_zone_line(signer)).unwrap()
}

/// The signer's key record as a zone-file line: a 2048-bit RSA key takes
/// two character-strings.
fn key_zone_line(signer: &DkimSigner) -> String {
    let txt = crate::dns::Txt::new([signer.key_record().into_bytes()]);
    let record = crate::dns::ZoneRecord::new(
        signer.key_record_name(),
        300,
        crate::dns::RecordData::Txt(txt),
    );
    format!("{record}\n")
}

fn signed(signer: &DkimSigner, message: &[u8]) -> Vec<u8> {
    let mut out = signer.sign(message).unwrap().into_bytes();
    out.extend_from_slice(message);
    out
}

fn check(dns: &MemoryResolver, message: &[u8]) -> SignatureResult {
    let out = run(verify(dns, message, &DkimConfig::default()));
    assert_eq!(out.signatures.len(), 1, "{out:?}");
    out.signatures[0].clone()
}

#[test]
fn round_trips_over_every_canonicalization() {
    use Canonicalization::*;
    let signer = ed25519_signer();
    for (header, body) in [
        (Simple, Simple),
        (Simple, Relaxed),
        (Relaxed, Simple),
        (Relaxed, Relaxed),
    ] {
        let signer = DkimSigner::ed25519(
            &DkimSigner::generate_ed25519().unwrap(),
            "example.com",
            "brisbane",
        )
        .unwrap()
        .canonicalization(Canonicalizations { header, body });
        let dns = zone_for(&signer);
        let result = check(&dns, &signed(&signer, MESSAGE));
        assert_eq!(
            (result.result, result.reason),
            (DkimResult::Pass, DkimReason::Verified),
            "{header}/{body}: {result:?}"
        );
        assert_eq!(result.key_bits, Some(256));
    }
    let _ = signer;
}

#[test]
fn alterations_fail_as_the_rfc_says() {
    let signer = ed25519_signer();
    let dns = zone_for(&signer);
    let message = signed(&signer, MESSAGE);
    let text = String::from_utf8(message.clone()).unwrap();
    // Body changed: the body hash.
    let body = text.replace("hungry", "angry");
    assert_eq!(check(&dns, body.as_bytes()).reason, DkimReason::BodyHash);
    // A signed header changed: the signature.
    let subject = text.replace("dinner", "lunch");
    assert_eq!(
        check(&dns, subject.as_bytes()).reason,
        DkimReason::Signature
    );
    // Whitespace the relaxed forms ignore: still a pass.
    let spaced = text
        .replace("Subject: Is dinner", "Subject:   Is  dinner")
        .replace("game.  Are", "game. Are  ");
    assert_eq!(check(&dns, spaced.as_bytes()).result, DkimResult::Pass);
    // A From added above the signed one: over-signing breaks it.
    let added = text.replacen("From: Joe", "From: Eve <eve@evil.example>\r\nFrom: Joe", 1);
    assert_eq!(check(&dns, added.as_bytes()).reason, DkimReason::Signature);
    // Bare LF line ends, as a file holds the message: read as CRLF.
    let lf = text.replace("\r\n", "\n");
    assert_eq!(check(&dns, lf.as_bytes()).result, DkimResult::Pass);
}

#[test]
fn key_outcomes() {
    let signer = ed25519_signer();
    let message = signed(&signer, MESSAGE);
    let name = signer.key_record_name();
    let empty = MemoryResolver::from_zone_text("example.com. TXT \"x\"\n").unwrap();
    let no_key = check(&empty, &message);
    assert_eq!(
        (no_key.result, no_key.reason),
        (DkimResult::PermError, DkimReason::NoKey)
    );
    let mut slow = zone_for(&signer);
    slow.inject(&name, None, Fault::Timeout).unwrap();
    let temp = check(&slow, &message);
    assert_eq!(
        (temp.result, temp.reason),
        (DkimResult::TempError, DkimReason::KeyUnavailable)
    );
    let cases = [
        ("v=DKIM1; k=ed25519; p=", DkimReason::KeyRevoked),
        ("v=DKIM1; k=rsa; p=MIGfMA0G", DkimReason::KeySyntax),
        ("v=spf1 -all", DkimReason::KeySyntax),
        (
            "v=DKIM1; k=ed25519; h=sha1; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
            DkimReason::KeyUnusable,
        ),
        (
            "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
            DkimReason::Signature,
        ),
    ];
    for (record, reason) in cases {
        let dns = MemoryResolver::from_zone_text(&format!("{name}. TXT \"{record}\"\n")).unwrap();
        assert_eq!(check(&dns, &message).reason, reason, "{record}");
    }
}

#[test]
fn unsigned_messages_and_limits() {
    let dns = MemoryResolver::new();
    let none = run(verify(&dns, MESSAGE, &DkimConfig::default()));
    assert_eq!(none.result(), DkimResult::None);
    let signer = ed25519_signer();
    let dns = zone_for(&signer);
    let mut message = Vec::new();
    for _ in 0..7 {
        message.extend_from_slice(signer.sign(MESSAGE).unwrap().as_bytes());
    }
    message.extend_from_slice(MESSAGE);
    dns.reset_counters();
    let out = run(verify(&dns, &message, &DkimConfig::default()));
    // One (d=, s=): one query, however many signatures name it (§8.4).
    assert_eq!(dns.queries(), 1);
    assert_eq!(out.signatures.len(), 7);
    assert_eq!(
        out.signatures
            .iter()
            .filter(|s| s.result == DkimResult::Pass)
            .count(),
        5
    );
    assert_eq!(out.signatures[6].reason, DkimReason::TooManySignatures);
    assert_eq!(out.passing_domains().next(), Some("example.com"));
    let bad = run(verify(
        &dns,
        b"not a header\r\n\r\n",
        &DkimConfig::default(),
    ));
    assert!(bad.message_error.is_some());
}

/// RFC 8463 Appendix A: one message with an Ed25519 and an RSA signature,
/// both passing; altered, both fail.
#[test]
fn rfc_8463_appendix_a() {
    let message = include_bytes!("../../tests/data/dkim/rfc8463-a3.eml");
    let dns =
        MemoryResolver::from_zone_text(include_str!("../../tests/data/dkim/rfc8463.zone")).unwrap();
    let out = run(verify(&dns, message, &DkimConfig::default()));
    let results: Vec<(Option<Algorithm>, DkimResult)> = out
        .signatures
        .iter()
        .map(|s| (s.signature.as_ref().map(|sig| sig.algorithm), s.result))
        .collect();
    assert_eq!(
        results,
        [
            (Some(Algorithm::Ed25519Sha256), DkimResult::Pass),
            (Some(Algorithm::RsaSha256), DkimResult::Pass),
        ],
        "{out:?}"
    );
    assert_eq!(out.signatures[1].key_bits, Some(1024));
    let altered = String::from_utf8_lossy(message).replace("Joe.", "Jim.");
    let out = run(verify(&dns, altered.as_bytes(), &DkimConfig::default()));
    assert!(
        out.signatures
            .iter()
            .all(|s| s.reason == DkimReason::BodyHash),
        "{out:?}"
    );
}

fn rsa_signer() -> DkimSigner {
    let pkcs8 = data_encoding::BASE64
        .decode(
            include_str!("../../tests/data/dkim/rsa2048.pk8.b64")
                .trim()
                .as_bytes(),
        )
        .unwrap();
    DkimSigner::rsa(&pkcs8, "example.com", "rsa2048").unwrap()
}

#[test]
fn rsa_round_trip_and_key_record() {
    use Canonicalization::*;
    for (header, body) in [(Simple, Simple), (Relaxed, Relaxed)] {
        let signer = rsa_signer().canonicalization(Canonicalizations { header, body });
        assert!(
            signer
                .key_record()
                .starts_with("v=DKIM1; k=rsa; p=MIIBIjAN")
        );
        // A 2048-bit SPKI is longer than one character-string.
        assert!(key_zone_line(&signer).contains("\" \""));
        let dns = zone_for(&signer);
        let result = check(&dns, &signed(&signer, MESSAGE));
        assert_eq!(
            (result.result, result.key_bits),
            (DkimResult::Pass, Some(2048)),
            "{result:?}"
        );
    }
}

/// A message signed by hand with the tags given (the signer never writes
/// `l=`), through the verifier's own hashing: `tags` without `bh=`/`b=`.
fn hand_signed(pkcs8: &[u8], tags: &str, message: &[u8]) -> Vec<u8> {
    use ring::signature::Ed25519KeyPair;
    let key = Ed25519KeyPair::from_pkcs8(pkcs8).unwrap();
    let parsed = super::message::split(message, 1000).unwrap();
    let probe = Signature::parse(&format!("{tags}; bh=; b=")).unwrap();
    let (bh, _) =
        super::verify::body_hash(parsed.body, probe.canonicalization.body, probe.body_length);
    let field = format!(
        "DKIM-Signature: {tags}; bh={}; b=",
        data_encoding::BASE64.encode(bh.as_ref())
    );
    let mut unsigned = format!("{field}\r\n").into_bytes();
    unsigned.extend_from_slice(message);
    let full = super::message::split(&unsigned, 1000).unwrap();
    let value = std::str::from_utf8(full.fields[0].value()).unwrap();
    let signature = Signature::parse(value).unwrap();
    let input = super::verify::header_hash_input(&full, 0, &signature);
    let digest = ring::digest::digest(&ring::digest::SHA256, &input);
    let b = data_encoding::BASE64.encode(key.sign(digest.as_ref()).as_ref());
    let mut out = format!("{field}{b}\r\n").into_bytes();
    out.extend_from_slice(message);
    out
}

/// `l=` (§8.2): content appended after the signed prefix verifies as
/// `policy`, with the unsigned byte count; an `l=` beyond the canonical
/// body is a `permerror`; `l=` equal to the body is a plain pass.
#[test]
fn body_length() {
    let pkcs8 = DkimSigner::generate_ed25519().unwrap();
    let signer = DkimSigner::ed25519(&pkcs8, "example.com", "brisbane").unwrap();
    let dns = zone_for(&signer);
    let tags = |l: usize| {
        format!(
            "v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.com; s=brisbane; h=from:subject; l={l}"
        )
    };
    // The relaxed canonical body of MESSAGE.
    let mut canonical = Vec::new();
    super::canon::body(
        Canonicalization::Relaxed,
        &MESSAGE[MESSAGE.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4..],
        |p| canonical.extend_from_slice(p),
    );
    let exact = hand_signed(&pkcs8, &tags(canonical.len()), MESSAGE);
    let result = check(&dns, &exact);
    assert_eq!(
        (result.result, result.unsigned_body_bytes),
        (DkimResult::Pass, Some(0)),
        "{result:?}"
    );
    let mut appended = exact.clone();
    let extra = b"Click here: https://evil.example/\r\n";
    appended.extend_from_slice(extra);
    let result = check(&dns, &appended);
    assert_eq!(
        (result.result, result.reason, result.unsigned_body_bytes),
        (
            DkimResult::Policy,
            DkimReason::UnsignedContent,
            Some(extra.len() as u64)
        )
    );
    let beyond = hand_signed(&pkcs8, &tags(canonical.len() + 1), MESSAGE);
    assert_eq!(check(&dns, &beyond).reason, DkimReason::BodyLength);
    // Appending to a signature without l= breaks the body hash.
    let mut plain = signed(&signer, MESSAGE);
    plain.extend_from_slice(b"P.S.\r\n");
    assert_eq!(check(&dns, &plain).reason, DkimReason::BodyHash);
}
