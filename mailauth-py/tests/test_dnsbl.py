"""DNSBL checks from Python: built-in and user-defined lists, bulk, zone
health, the real server, and bad input."""

from __future__ import annotations

import ipaddress

import pytest

import mailauth

ZONE = """
99.2.0.192.zen.spamhaus.org. A 127.0.0.2
99.2.0.192.zen.spamhaus.org. A 127.0.0.10
99.2.0.192.zen.spamhaus.org. TXT "https://check.spamhaus.org/listed/?ip=192.0.2.99"
98.2.0.192.zen.spamhaus.org. A 127.255.255.254
2.0.0.127.zen.spamhaus.org. A 127.0.0.2
2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.zen.spamhaus.org. A 127.0.0.2
99.2.0.192.list.dnswl.org. A 127.0.5.1
spam.example.multi.surbl.org. A 127.0.0.24
99.2.0.192.bl.example. A 10.0.0.1
"""


@pytest.fixture
def zone() -> mailauth.Resolver:
    return mailauth.Resolver.from_zone(ZONE)


def lists() -> list[mailauth.DnsblList]:
    return [mailauth.DnsblList.builtin(i) for i in ("spamhaus-zen", "spamcop", "dnswl")]


def test_builtins() -> None:
    ids = [lst.id for lst in mailauth.DnsblList.builtins()]
    assert "spamhaus-zen" in ids and "barracuda" in ids and len(ids) == 10
    barracuda = mailauth.DnsblList.builtin("barracuda")
    assert barracuda.note is not None and "registered" in barracuda.note
    dqs = mailauth.DnsblList.spamhaus_dqs("zen", "k3y")
    assert (dqs.zone, dqs.kind, dqs.policy) == ("zen.dq.spamhaus.net", "ip", "block")


def test_listed_with_codes_and_reasons(zone: mailauth.Resolver) -> None:
    report = mailauth.dnsbl_check_sync("192.0.2.99", lists(), fetch_reasons=True, resolver=zone)
    assert report.listed and report.blocked_by == ["spamhaus-zen"]
    assert report.allowed_by == ["dnswl"]
    zen = report.results[0]
    assert zen.status == "listed" and zen.query == "99.2.0.192.zen.spamhaus.org"
    assert [code for code, _ in zen.listings] == ["127.0.0.2", "127.0.0.10"]
    assert zen.listings[1][1].startswith("PBL") and zen.categories == ["spam", "end-user"]
    assert zen.reasons == ["https://check.spamhaus.org/listed/?ip=192.0.2.99"]
    assert report.results[2].listings == [("127.0.5.1", "dnswl.org category 5, trust 1")]


def test_errors_are_never_listings(zone: mailauth.Resolver) -> None:
    report = mailauth.dnsbl_check_sync(ipaddress.IPv4Address("192.0.2.98"), lists(), resolver=zone)
    assert not report.listed
    assert report.errors[0][0] == "spamhaus-zen" and "public or open resolver" in report.errors[0][1]
    hijacked = mailauth.DnsblList("hijacked", "bl.example", codes={"127.0.0.2": "listed"})
    bad = mailauth.dnsbl_check_sync("192.0.2.99", [hijacked], resolver=zone)
    assert not bad.listed and bad.results[0].status == "error"
    assert bad.results[0].error is not None and "10.0.0.1" in bad.results[0].error


def test_domains_and_bitmasks(zone: mailauth.Resolver) -> None:
    surbl = mailauth.DnsblList.builtin("surbl")
    report = mailauth.dnsbl_check_sync("Spam.Example.", [surbl], resolver=zone)
    assert report.target == "spam.example" and report.listed
    assert report.results[0].listings[0][1] == "SURBL PH: phishing, SURBL MW: malware"
    assert report.results[0].categories == ["phishing", "malware"]
    custom = mailauth.DnsblList("mine", "multi.surbl.org", kind="domain", bits={8: "eight", 16: "sixteen"})
    assert mailauth.dnsbl_check_sync("spam.example", [custom], resolver=zone).results[0].listings[0][1] == "eight, sixteen"


async def test_bulk_and_async(zone: mailauth.Resolver) -> None:
    targets = [f"192.0.2.{i}" for i in range(90, 100)]
    bulk = mailauth.dnsbl_check_bulk(targets, lists(), concurrency=3, resolver=zone)
    reports = [report async for report in bulk]
    assert len(reports) == 10
    assert sorted(r.target for r in reports if r.listed) == ["192.0.2.99"]
    with pytest.raises(StopAsyncIteration):
        await bulk.__anext__()
    one = await mailauth.dnsbl_check("192.0.2.99", lists(), resolver=zone)
    assert one.blocked_by == ["spamhaus-zen"]


async def test_bulk_stops_early_and_yields_as_completed() -> None:
    # 200 ms per lookup: the first report arrives long before all 50 are done.
    slow = mailauth.Resolver.from_zone(ZONE, latency=0.2)
    targets = [f"198.18.0.{i}" for i in range(50)]
    bulk = mailauth.dnsbl_check_bulk(targets, lists()[:1], concurrency=5, resolver=slow)
    first = await anext(bulk)
    assert first.target.startswith("198.18.0.")
    del bulk  # dropping the iterator stops the remaining checks


async def test_bulk_hands_over_every_report_once() -> None:
    # Reports that complete together reach Python in batches; none may be
    # lost or repeated, and the iterator ends after the last.
    slow = mailauth.Resolver.from_zone(ZONE, latency=0.002)
    targets = [f"198.18.{i // 256}.{i % 256}" for i in range(600)] + ["192.0.2.99"]
    bulk = mailauth.dnsbl_check_bulk(targets, lists(), concurrency=64, resolver=slow)
    reports = [report async for report in bulk]
    assert sorted(r.target for r in reports) == sorted(targets)
    assert [r.target for r in reports if r.listed] == ["192.0.2.99"]
    with pytest.raises(StopAsyncIteration):
        await bulk.__anext__()


async def test_deadline(dns_server: str) -> None:
    served = mailauth.Resolver.nameservers([dns_server], timeout=5.0, cache=False)
    silent = mailauth.DnsblList("silent", "bl.silent.mailauth.test", codes={"127.0.0.2": "listed"})
    report = await mailauth.dnsbl_check("192.0.2.99", [silent], deadline=0.3, resolver=served)
    assert report.errors == [("silent", "timeout")]
    with pytest.raises(mailauth.InvalidInputError, match="deadline"):
        mailauth.dnsbl_check_sync("192.0.2.99", [silent], deadline=0, resolver=served)


async def test_zone_health(zone: mailauth.Resolver) -> None:
    healthy = await mailauth.dnsbl_zone_health(mailauth.DnsblList.builtin("spamhaus-zen"), resolver=zone)
    assert (healthy.status, healthy.detail) == ("healthy", None)
    assert (healthy.primary, healthy.ipv6) == ("healthy", "healthy")
    dead = await mailauth.dnsbl_zone_health(mailauth.DnsblList.builtin("spamcop"), resolver=zone)
    assert dead.status == "dead"


async def test_against_the_real_server(dns_server: str) -> None:
    served = mailauth.Resolver.nameservers([dns_server], cache=False)
    zen_like = mailauth.DnsblList(
        "test-zen", "zen.dnsbl.test", codes={"127.0.0.2": "SBL", "127.0.0.10": "PBL"},
        errors={"127.255.255.254": "public resolver"}, ipv6=True,
    )
    report = await mailauth.dnsbl_check("192.0.2.99", [zen_like], fetch_reasons=True, resolver=served)
    assert report.listed and sorted(c for c, _ in report.results[0].listings) == ["127.0.0.10", "127.0.0.2"]
    v6 = await mailauth.dnsbl_check("2001:db8::99", [zen_like], resolver=served)
    assert v6.listed
    refused = await mailauth.dnsbl_check("192.0.2.254", [zen_like], resolver=served)
    assert not refused.listed and refused.errors
    health = await mailauth.dnsbl_zone_health(zen_like, resolver=served)
    assert (health.status, health.ipv6) == ("healthy", "healthy")


@pytest.mark.parametrize("bad", ["a..b", "", "192.0.2.300.5"])
def test_bad_targets(zone: mailauth.Resolver, bad: str) -> None:
    with pytest.raises(mailauth.InvalidInputError):
        mailauth.dnsbl_check_sync(bad, lists(), resolver=zone)


def test_bad_definitions(zone: mailauth.Resolver) -> None:
    with pytest.raises(mailauth.InvalidInputError, match="kind"):
        mailauth.DnsblList("x", "bl.example", kind="url")  # type: ignore[arg-type]  # wrong on purpose
    with pytest.raises(mailauth.InvalidInputError, match="code address"):
        mailauth.DnsblList("x", "bl.example", codes={"not-an-ip": "x"})
    with pytest.raises(mailauth.InvalidInputError, match="not both"):
        mailauth.DnsblList("x", "bl.example", codes={}, bits={})
    with pytest.raises(mailauth.InvalidInputError, match="zone"):
        mailauth.DnsblList("x", "bad..zone")
    with pytest.raises(mailauth.InvalidInputError, match="built-in"):
        mailauth.DnsblList.builtin("nope")
    with pytest.raises(mailauth.InvalidInputError, match="concurrency"):
        mailauth.dnsbl_check_bulk(["192.0.2.1"], lists(), concurrency=0, resolver=zone)
