"""Bounce mode from Python: ``read_bounce`` and ``doctor_bounce`` on the
sample bounces of ``mailauth-doctor/tests/bounces`` and their zone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mailauth

DOCTOR = Path(__file__).resolve().parents[2] / "mailauth-doctor" / "tests"
SAMPLES = DOCTOR / "bounces"


@pytest.fixture
def zone() -> mailauth.Resolver:
    return mailauth.Resolver.from_zone((DOCTOR / "bounces.zone").read_text())


def test_read_a_gmail_dsn() -> None:
    bounce = mailauth.read_bounce((SAMPLES / "gmail-5.7.26-dsn.eml").read_bytes())
    assert (bounce.input, bounce.receiver, bounce.reason) == ("dsn", "gmail", "unauthenticated")
    assert (bounce.code, bounce.enhanced, bounce.stage) == (550, "5.7.26", "end-of-data")
    assert bounce.client_ip == "192.0.2.30"
    assert bounce.sender == "news@example.com"
    assert bounce.points_to == ["spf-mailfrom", "dmarc", "spf-record"]
    assert ("X-Postfix-Sender", "news@example.com") in bounce.excerpts
    assert "neither SPF nor DKIM" in bounce.explanation


def test_read_a_postfix_rejection_as_str() -> None:
    bounce = mailauth.read_bounce((SAMPLES / "postfix-noqueue.log").read_text())
    assert (bounce.input, bounce.receiver, bounce.reason) == ("postfix-reject", "postfix", "reverse-dns")
    assert (bounce.client_ip, bounce.helo, bounce.sender) == ("192.0.2.99", "mail.noptr.example", "alerts@noptr.example")
    assert (bounce.code, bounce.enhanced) == (450, "4.7.1")


def test_text_it_cannot_place_is_unknown() -> None:
    bounce = mailauth.read_bounce("hello")
    assert (bounce.reason, bounce.code, bounce.points_to) == ("unknown", None, [])


async def test_doctor_bounce_reads_the_setup(zone: mailauth.Resolver) -> None:
    report = await mailauth.doctor_bounce((SAMPLES / "gmail-5.7.26-dsn.eml").read_bytes(), resolver=zone)
    assert report.points_to == ["spf-mailfrom", "dmarc", "spf-record"]
    assert report.bounce is not None and report.bounce.reason == "unauthenticated"
    assert ("client-ip", "192.0.2.30", "read", "reply (IP)") in report.provenance
    assert ("mail-from", "news@example.com", "read", "X-Postfix-Sender") in report.provenance
    spf = report.finding("spf-mailfrom")
    assert spf is not None and spf.verdict == "fail"
    record = spf.fix[-1].record
    assert record is not None and (record.name, record.type) == ("example.com", "TXT")
    assert record.value == "v=spf1 ip4:192.0.2.10 ip4:192.0.2.30 -all"
    assert str(spf.fix[-1]) == 'publish: example.com. TXT "v=spf1 ip4:192.0.2.10 ip4:192.0.2.30 -all"'
    helo = report.finding("helo")
    assert helo is not None and helo.verdict == "skipped"
    data = json.loads(report.to_json())
    assert data["bounce"]["bounce"]["reason"] == "unauthenticated"
    assert "Read from the bounce (dsn): gmail refused with 550 5.7.26" in report.to_text()


def test_given_values_win_and_are_labelled(zone: mailauth.Resolver) -> None:
    read = mailauth.read_bounce((SAMPLES / "gmail-5.7.26-dmarc.txt").read_text())
    report = mailauth.doctor_bounce_sync(read, ip="192.0.2.30", helo="mail.example.com", resolver=zone)
    fields = {field: (value, origin) for field, value, origin, _ in report.provenance}
    assert fields["client-ip"] == ("192.0.2.30", "given")
    assert fields["helo"] == ("mail.example.com", "given")
    assert fields["mail-from"] == ("postmaster@example.com", "inferred")


def test_a_bounce_without_ip_says_what_to_give(zone: mailauth.Resolver) -> None:
    with pytest.raises(mailauth.InvalidInputError, match=r"no sending IP.*\(ip=\.\.\.\)"):
        mailauth.doctor_bounce_sync("550 5.7.1 go away", resolver=zone)
    with pytest.raises(mailauth.InvalidInputError, match=r"no sender or domain.*\(mail_from=\.\.\.\)"):
        mailauth.doctor_bounce_sync("550 5.7.1 go away", ip="192.0.2.1", resolver=zone)


def test_hostile_bounces_stay_printable_and_bounded(zone: mailauth.Resolver) -> None:
    hostile = (
        "550 5.7.26 \x1b]0;owned\x07 SPF [\x1b[2Jexample.com] with ip: [192.0.2.30]\r\nX-Injected: yes\n"
        + "550-" + "A" * 3_000_000
    )
    bounce = mailauth.read_bounce(hostile)
    for _, value in bounce.excerpts:
        assert value.isprintable() and value.isascii() and len(value) <= 2048
    assert bounce.text is not None and "\x1b" not in bounce.text
    report = mailauth.doctor_bounce_sync(hostile, mail_from="a@example.com", resolver=zone)
    assert "\x1b" not in report.to_text()
    assert all(line.isprintable() for line in report.to_text().splitlines())


HEADERS = DOCTOR / "headers"


async def test_doctor_headers_compares_recorded_results(zone: mailauth.Resolver) -> None:
    report = await mailauth.doctor_headers((HEADERS / "postfix-softfail.eml").read_bytes(), resolver=zone)
    fields = {field: (value, origin, source) for field, value, origin, source in report.provenance}
    assert fields["client-ip"] == ("198.51.100.25", "read", "Received-SPF")
    assert fields["helo"] == ("smtp.isp.example", "read", "Received-SPF")
    assert fields["mail-from"] == ("alerts@noptr.example", "read", "Return-Path")
    # The receiver recorded softfail; the record says -all today.
    assert ("spf-mailfrom", "softfail", "fail", "Received-SPF") in report.compared
    assert "fail: differs" in " ".join(report.to_text().split())


def test_doctor_headers_takes_dkim_passes_from_the_receiver(zone: mailauth.Resolver) -> None:
    # The header section alone: the receiver's dkim=pass is all there is.
    header = (HEADERS / "gmail-pass.eml").read_text().split("\n\n")[0] + "\n"
    report = mailauth.doctor_headers_sync(header, resolver=zone)
    dmarc = report.finding("dmarc")
    assert dmarc is not None and dmarc.verdict == "ok"
    assert any("DKIM d=example.com (assumed valid)" in seen for seen in dmarc.evidence)
    assert all(now == recorded for _, recorded, now, _ in report.compared)
    # With the body, the doctor verifies the signature itself: the sample's
    # is a placeholder whose key is not published, so it does not count.
    whole = mailauth.doctor_headers_sync((HEADERS / "gmail-pass.eml").read_text(), resolver=zone)
    dmarc = whole.finding("dmarc")
    assert dmarc is not None and not any("DKIM d=" in seen for seen in dmarc.evidence)
    assert "DKIM d=example.com s=sel1: permerror (no-key), verified here" in whole.to_text()


def test_doctor_headers_without_a_trace_asks_for_the_ip(zone: mailauth.Resolver) -> None:
    with pytest.raises(mailauth.InvalidInputError, match=r"no sending IP.*\(ip=\.\.\.\)"):
        mailauth.doctor_headers_sync("From: a@example.com\n\nbody", resolver=zone)


def test_hostile_headers_stay_printable(zone: mailauth.Resolver) -> None:
    hostile = (
        "Received: from \x1b]0;x\x07 (x [192.0.2.30]) by y\n"
        "Return-Path: <\x1b[2J@example.com>\n"
        "Authentication-Results: x; spf=\x1b[31mpass\n" + "X-Flood: a\n" * 50_000
    )
    report = mailauth.doctor_headers_sync(hostile, resolver=zone)
    text = report.to_text()
    assert "\x1b" not in text and all(line.isprintable() for line in text.splitlines())
