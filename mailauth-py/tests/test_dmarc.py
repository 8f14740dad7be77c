"""DMARC (RFC 9989, RFC 9990 section 3) from Python: the record in both
modes, discovery, evaluation and report destinations, on the in-memory zone
and through the real DNS server."""

from __future__ import annotations

import pytest

import mailauth
from mailauth import DmarcParseError, DmarcRecord, DmarcResult, InvalidInputError, SpfResult


def test_receiver_mode_falls_back_to_defaults() -> None:
    record = DmarcRecord.parse("V=DMARC1; P=Reject; sp=bogus; adkim=s; pct=50; rua=mailto:a@example.com!10m")
    # RFC 9989 section 4.10.1: an invalid sp discards the policy; with a
    # valid rua the record counts as p=none.
    assert record.p is None
    assert record.sp is None
    assert record.subdomain_policy == "none"
    assert (record.adkim, record.aspf, record.psd, record.fo) == ("s", "r", "u", "0")
    assert record.pct == 50
    assert [str(uri) for uri in record.rua] == ["mailto:a@example.com!10m"]
    assert record.rua[0].host == "example.com"
    assert record.rua[0].size_limit == "10m"
    assert str(record) == "v=DMARC1; adkim=s; rua=mailto:a@example.com!10m; pct=50"
    assert DmarcRecord.parse(str(record)) == record


def test_a_record_without_policy_is_valid() -> None:
    for text in ["v=DMARC1", "v=DMARC1; pct=500; rf=x y; ri=-1"]:
        checked = DmarcRecord.validate(text)
        assert checked.is_valid, text
        assert all(d.severity == "warning" for d in checked.diagnostics)


def test_a_senders_failing_dns_cannot_turn_fail_into_temperror() -> None:
    zone = "_dmarc.org.example. 300 IN TXT \"v=DMARC1; p=reject\"\n"
    faults = [("_dmarc.spoof.example", None, "servfail"), ("_dmarc.x.spoof.example", None, "timeout")]
    dns = mailauth.Resolver.from_zone(zone, faults=faults)
    out = mailauth.dmarc_evaluate_sync("org.example", spf=("spoof.example", SpfResult.PASS), dkim=[("x.spoof.example", True)], resolver=dns)
    assert (out.result, out.disposition) == (DmarcResult.FAIL, "reject")


def test_not_dmarc_raises_with_offset() -> None:
    with pytest.raises(DmarcParseError) as raised:
        DmarcRecord.parse("v=dmarc1; p=reject")
    assert raised.value.offset == 2
    assert "upper case" in raised.value.reason
    assert isinstance(raised.value, ValueError)


def test_validator_mode_diagnostics() -> None:
    checked = DmarcRecord.validate("v=DMARC1; p=block; p=none; ri=3600; x=1; rua=ftp://x.example")
    assert not checked.is_valid
    assert checked.record is not None
    found = [(d.offset, d.severity, d.kind, d.tag) for d in checked.diagnostics]
    assert found == [
        (12, "error", "invalid_value", "p"),
        (19, "error", "duplicate_tag", "p"),
        (27, "warning", "obsolete_tag", "ri"),
        (36, "warning", "unknown_tag", "x"),
        (45, "error", "invalid_uri", "rua"),
        (0, "warning", "no_policy", None),
    ]
    assert str(checked.diagnostics[0]).startswith("error at byte 12: invalid p value")
    not_dmarc = DmarcRecord.validate("v=spf1 -all")
    assert not_dmarc.record is None
    assert not_dmarc.diagnostics[0].kind == "not_dmarc"
    assert DmarcRecord.validate("v=DMARC1; p=reject; rua=mailto:d@example.com").is_valid


def test_discovery_tree_walk(memory: mailauth.Resolver) -> None:
    discovery = mailauth.dmarc_discover_sync("a.b.c.d.e.f.g.h.i.j.mail.long.example", resolver=memory)
    assert discovery.outcome == "found"
    assert len(discovery.queries) == 8
    assert discovery.queries[1] == "TXT _dmarc.g.h.i.j.mail.long.example"
    assert discovery.organizational_domain == "long.example"
    assert (discovery.source, discovery.policy_domain) == ("organizational_domain", "long.example")
    assert discovery.applied_policy == "quarantine"
    ghost = mailauth.dmarc_discover_sync("ghost.org.example", resolver=memory)
    assert (ghost.author_domain_exists, ghost.declared_policy) == (False, "reject")
    multi = mailauth.dmarc_discover_sync("multi.example", resolver=memory)
    assert multi.outcome == "no_record"
    assert multi.walk[0] == ("multi.example", "discarded")
    with pytest.raises(InvalidInputError):
        mailauth.dmarc_discover_sync("a..b", resolver=memory)


async def test_discovery_through_the_real_server(served: mailauth.Resolver, memory: mailauth.Resolver) -> None:
    for domain in ["mail.org.example", "mail.dept.corp.example", "gone.shop.psd.example"]:
        real = await mailauth.dmarc_discover(domain, resolver=served)
        expected = mailauth.dmarc_discover_sync(domain, resolver=memory)
        assert (real.queries, real.applied_policy, real.organizational_domain) == (
            expected.queries,
            expected.applied_policy,
            expected.organizational_domain,
        )
    # Every name under slow.mailauth.test answers SERVFAIL: temperror at once.
    failed = await mailauth.dmarc_discover("x.slow.mailauth.test", resolver=served)
    assert failed.outcome == "temperror"
    assert failed.error == "_dmarc.x.slow.mailauth.test: server failure: SERVFAIL"
    assert len(failed.queries) == 1
    # The server is authoritative for mailauth.test but not for test.: the
    # walk's last query is REFUSED, a server failure too.
    refused = await mailauth.dmarc_discover("www.mailauth.test", resolver=served)
    assert refused.error == "_dmarc.test: server failure: REFUSED"
    assert len(refused.queries) == 3


async def test_evaluate(memory: mailauth.Resolver) -> None:
    passed = await mailauth.dmarc_evaluate("news.org.example", spf=("bounce.org.example", SpfResult.PASS), resolver=memory)
    assert passed.result == DmarcResult.PASS
    assert passed.spf is not None and passed.spf.alignment == "relaxed"
    assert passed.authentication_results() == "dmarc=pass header.from=news.org.example policy.dmarc=quarantine"
    siblings = mailauth.dmarc_evaluate_sync(
        "news.sibling.example", spf=("bounce.sibling.example", "pass"), dkim=[("news.sibling.example", False)], resolver=memory
    )
    assert siblings.result == DmarcResult.FAIL
    assert siblings.disposition == "reject"
    assert [d.alignment for d in siblings.dkim] == ["identical"]
    testing = mailauth.dmarc_evaluate_sync("testing.example", dkim=[("other.example", True)], resolver=memory)
    assert (str(testing.result), testing.disposition) == ("fail", "quarantine")
    assert mailauth.dmarc_evaluate_sync("a..b", resolver=memory).result == DmarcResult.PERMERROR
    assert mailauth.dmarc_evaluate_sync("nothing.example", resolver=memory).result == DmarcResult.NONE
    with pytest.raises(InvalidInputError):
        mailauth.dmarc_evaluate_sync("org.example", spf=("org.example", "great"), resolver=memory)
    with pytest.raises(InvalidInputError):
        mailauth.dmarc_evaluate_sync("org.example", spf=("org.example", 3), resolver=memory)  # type: ignore[arg-type]


async def test_report_destinations(memory: mailauth.Resolver) -> None:
    discovery = mailauth.dmarc_discover_sync("ext.example", resolver=memory)
    assert discovery.record is not None
    destinations = await mailauth.dmarc_report_destinations("ext.example", discovery.record, resolver=memory)
    assert [(d.tag, d.uri.host, d.status, d.authorized) for d in destinations] == [
        ("rua", "reports.vendor.example", "authorized", True),
        ("rua", "other.vendor.example", "not_authorized", False),
        ("rua", "override.vendor.example", "overridden", True),
        ("rua", "bad.vendor.example", "override_rejected", False),
        ("ruf", "ext.example", "same_organization", True),
    ]
    assert [str(u) for u in destinations[2].overrides] == ["mailto:inbox@override.vendor.example"]
    assert destinations[1].record_name == "ext.example._report._dmarc.other.vendor.example"
