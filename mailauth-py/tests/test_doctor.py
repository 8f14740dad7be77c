"""The doctor from Python, on the bundled demo zone (mailauth-doctor/data/demo.zone)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mailauth

DEMO = Path(__file__).resolve().parents[2] / "mailauth-doctor" / "data" / "demo.zone"


@pytest.fixture
def demo() -> mailauth.Resolver:
    return mailauth.Resolver.from_zone(DEMO.read_text())


async def test_bare_helo_case(demo: mailauth.Resolver) -> None:
    report = await mailauth.doctor("192.0.2.30", "bare.example", "news@bare.example", resolver=demo)
    assert (report.worst, report.exit_code) == ("fail", 2)
    assert [f.check for f in report.findings] == [
        "spf-mailfrom", "spf-helo", "iprev", "helo", "sender-domain", "dnsbl", "dmarc", "spf-record", "dmarc-record",
    ]
    helo = report.finding("helo")
    assert helo is not None and helo.verdict == "warn" and "bare domain" in helo.summary
    assert helo.code == "helo.bare-domain" and helo.result is None
    spf = report.finding("spf-mailfrom")
    assert spf is not None and (spf.code, spf.result) == ("spf-mailfrom.pass", "pass")
    assert any("smtp_helo_name = mail.bare.example" in fix.action for fix in helo.fix)
    dnsbl = report.finding("dnsbl")
    assert dnsbl is not None and any("127.0.0.3 CSS" in seen for seen in dnsbl.evidence)
    assert [(r.name, r.type, r.value) for r in dnsbl.records] == [("30.2.0.192.zen.spamhaus.org", "A", "127.0.0.3")]
    text = report.to_text()
    assert text.endswith("worst: FAIL (exit code 2)\n")
    # Records to publish stay whole on their own line, for pasting.
    records = {str(fix.record) for f in report.findings for fix in f.fix if fix.record is not None}
    assert all(len(line) <= 80 or line.strip() in records for line in text.splitlines())
    data = json.loads(report.to_json())
    assert data["worst"] == "fail" and data["subject"]["ip"] == "192.0.2.30"


def test_relay_cases_and_options(demo: mailauth.Resolver) -> None:
    relayed = mailauth.doctor_sync("198.51.100.25", "smtp.isp.example", "me@relayed.example", resolver=demo)
    assert relayed.worst == "ok"
    wrong = mailauth.doctor_sync(
        "198.51.100.25", "smtp.isp.example", "info@hostinc.example", dnsbl_lists=[], dkim_domains=["isp.example"], resolver=demo
    )
    spf = wrong.finding("spf-mailfrom")
    assert spf is not None and spf.verdict == "fail"
    record = spf.fix[-1].record
    assert record is not None and str(record) == 'hostinc.example. TXT "v=spf1 include:isp.example -all"'
    assert (record.name, record.type, record.value) == ("hostinc.example", "TXT", "v=spf1 include:isp.example -all")
    dnsbl = wrong.finding("dnsbl")
    assert dnsbl is not None and dnsbl.summary == "no blocklist asked"
    dmarc = wrong.finding("dmarc")
    assert dmarc is not None and any("DKIM d=isp.example" in seen for seen in dmarc.evidence)
    own = mailauth.doctor_sync(
        "198.51.100.25", "smtp.isp.example", "x@ownip.example", from_domain="good.example",
        dnsbl_lists=[mailauth.DnsblList.builtin("spamcop")], resolver=demo,
    )
    assert "From domain good.example" in own.to_text()


async def test_domain_mode(demo: mailauth.Resolver) -> None:
    report = await mailauth.doctor_domain("ghost.example", resolver=demo)
    assert [f.check for f in report.findings] == ["sender-domain", "spf-record", "dmarc-record"]
    assert report.worst == "fail"
    assert report.subject == "ghost.example"
    good = mailauth.doctor_domain_sync("good.example", resolver=demo)
    assert good.worst == "ok", good.to_text()


def test_bad_input(demo: mailauth.Resolver) -> None:
    with pytest.raises(mailauth.InvalidInputError):
        mailauth.doctor_sync("192.0.2.300", "h.example", "a@b.example", resolver=demo)
    with pytest.raises(mailauth.InvalidInputError):
        mailauth.doctor_domain_sync("a..b", resolver=demo)
