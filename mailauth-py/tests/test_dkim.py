"""DKIM from Python: verifying the RFC 8463 example, signing and verifying
round trips, key records, and what a hostile message gives."""

from __future__ import annotations

from pathlib import Path

import pytest

import mailauth

DATA = Path(__file__).resolve().parents[2] / "mailauth-core" / "tests" / "data" / "dkim"
MESSAGE = b"From: Joe <joe@example.com>\r\nTo: suzie@example.net\r\nSubject: dinner?\r\n\r\nHi.\r\n"


def test_rfc_8463_example() -> None:
    zone = mailauth.Resolver.from_zone((DATA / "rfc8463.zone").read_text())
    out = mailauth.dkim_verify_sync((DATA / "rfc8463-a3.eml").read_bytes(), resolver=zone)
    assert out.result == "pass"
    assert [(s.algorithm, s.result, s.key_bits) for s in out.signatures] == [
        ("ed25519-sha256", "pass", 256),
        ("rsa-sha256", "pass", 1024),
    ]
    assert out.passing_domains == ["football.example.com", "football.example.com"]


async def test_sign_then_verify() -> None:
    signer = mailauth.DkimSigner.ed25519(mailauth.DkimSigner.generate_ed25519(), "example.com", "s1")
    assert signer.algorithm == "ed25519-sha256"
    assert signer.key_record_name == "s1._domainkey.example.com"
    zone = mailauth.Resolver.from_zone(f'{signer.key_record_name}. TXT "{signer.key_record}"\n')
    field = signer.sign(MESSAGE, timestamp=1_800_000_000)
    assert "t=1800000000;" in field
    out = await mailauth.dkim_verify(field.encode() + MESSAGE, resolver=zone)
    [result] = out.signatures
    assert (result.result, result.reason, result.domain, result.selector) == ("pass", "verified", "example.com", "s1")
    tampered = await mailauth.dkim_verify(field.encode() + MESSAGE.replace(b"Hi.", b"Bye."), resolver=zone)
    assert (tampered.result, tampered.signatures[0].reason) == ("fail", "body-hash")


def test_rsa_signer() -> None:
    import base64

    key = base64.b64decode((DATA / "rsa2048.pk8.b64").read_text())
    signer = mailauth.DkimSigner.rsa(key, "example.com", "r1")
    assert signer.key_record.startswith("v=DKIM1; k=rsa; p=MIIBIjAN")
    with pytest.raises(mailauth.InvalidInputError):
        mailauth.DkimSigner.rsa(b"not a key", "example.com", "r1")
    with pytest.raises(mailauth.InvalidInputError):
        mailauth.DkimSigner.ed25519(mailauth.DkimSigner.generate_ed25519(), "bad domain", "r1")
    simple = mailauth.DkimSigner.rsa(key, "example.com", "r1", canonicalization="simple/simple")
    assert "c=simple/simple;" in simple.sign(MESSAGE)
    with pytest.raises(mailauth.InvalidInputError, match="canonicalization"):
        mailauth.DkimSigner.rsa(key, "example.com", "r1", canonicalization="fancy/simple")


def test_key_records() -> None:
    record = mailauth.DkimKeyRecord.parse("v=DKIM1; k=ed25519; t=y; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
    assert (record.key_type, record.bits, record.testing, record.lints) == ("ed25519", 256, True, ["testing"])
    assert mailauth.DkimKeyRecord.parse("v=DKIM1; p=").lints == ["revoked"]
    with pytest.raises(mailauth.InvalidInputError, match="v= must be DKIM1"):
        mailauth.DkimKeyRecord.parse("v=spf1 -all")


def test_unsigned_and_hostile_messages() -> None:
    zone = mailauth.Resolver.from_zone('example.com. TXT "x"\n')
    assert mailauth.dkim_verify_sync(MESSAGE, resolver=zone).result == "none"
    hostile = b"DKIM-Signature: v=1; a=rsa-sha256; d=\x1b[2J; s=x; h=from; bh=; b=\r\nFrom: a\r\n\r\n"
    out = mailauth.dkim_verify_sync(hostile, resolver=zone)
    assert out.signatures[0].result == "neutral"
    assert out.signatures[0].detail.isprintable()
    flood = b"".join(b"X-F: %d\r\n" % i for i in range(2000)) + b"\r\n"
    assert mailauth.dkim_verify_sync(flood, resolver=zone).message_error == "more than 1000 header fields"


async def test_authenticate_a_whole_message() -> None:
    zone_text = (DATA / "rfc8463.zone").read_text() + (
        'football.example.com. TXT "v=spf1 ip4:192.0.2.1 -all"\n'
        '_dmarc.football.example.com. TXT "v=DMARC1; p=reject"\n'
    )
    zone = mailauth.Resolver.from_zone(zone_text)
    message = (DATA / "rfc8463-a3.eml").read_bytes()
    out = await mailauth.authenticate(
        message, "192.0.2.1", "mail.football.example.com", "joe@football.example.com",
        authserv_id="mx.example.net", resolver=zone,
    )
    assert out.from_domain == "football.example.com" and out.from_error is None
    assert out.spf.result == mailauth.SpfResult.PASS
    assert [s.result for s in out.dkim.signatures] == ["pass", "pass"]
    assert out.dmarc is not None and out.dmarc.result == mailauth.DmarcResult.PASS
    field = out.authentication_results
    assert field.startswith("Authentication-Results: mx.example.net;\r\n\tspf=pass")
    assert "dmarc=pass header.from=football.example.com policy.dmarc=reject" in field
    assert field.endswith("\r\n") and field.count("dkim=pass") == 2
    two = mailauth.authenticate_sync(
        b"From: a@x.example\n" + message, "192.0.2.1", "h.example", "", authserv_id="mx", resolver=zone,
    )
    assert two.dmarc is None and two.from_error == "the message has more than one From field"


def test_doctor_audits_dkim_keys() -> None:
    zone = mailauth.Resolver.from_zone(
        'example.com. TXT "v=spf1 -all"\n'
        's1._domainkey.example.com. TXT "v=DKIM1; k=ed25519; t=y; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="\n'
    )
    report = mailauth.doctor_domain_sync("example.com", dkim_selectors=["s1", "s2"], resolver=zone)
    keys = [f for f in report.findings if f.check == "dkim-key"]
    assert [(f.code, f.verdict) for f in keys] == [("dkim-key.testing", "warn"), ("dkim-key.no-key", "fail")]
    record = keys[0].fix[0].record
    assert record is not None and "t=y" not in record.value


def test_doctor_verifies_a_whole_message() -> None:
    root = DATA.parent
    zone = mailauth.Resolver.from_zone((root / "zones" / "football.example.com.zone").read_text())
    message = (DATA / "rfc8463-a3.eml").read_bytes()
    report = mailauth.doctor_headers_sync(
        message, ip="198.51.100.7", mail_from="joe@football.example.com", dnsbl_lists=[], resolver=zone
    )
    dmarc = report.finding("dmarc")
    assert dmarc is not None and dmarc.verdict == "ok"
    assert any("(verified here)" in e for e in dmarc.evidence)
