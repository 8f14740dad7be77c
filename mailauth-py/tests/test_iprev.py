"""iprev, HELO and mail-domain checks from Python, on both backends."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

import mailauth
from mailauth import IprevResult

ZONE = """
$ORIGIN example.com.
10.2.0.192.in-addr.arpa. PTR mail
20.2.0.192.in-addr.arpa. PTR gone
20.2.0.192.in-addr.arpa. PTR other
20.2.0.192.in-addr.arpa. PTR third
30.2.0.192.in-addr.arpa. PTR forged
60.2.0.192.in-addr.arpa. PTR slow
@ MX 10 mail
mail A 192.0.2.10
other A 192.0.2.99
third A 192.0.2.20
forged A 198.51.100.1
nullmx MX 0 .
implicit A 192.0.2.30
"""


@pytest.fixture
def zone() -> mailauth.Resolver:
    return mailauth.Resolver.from_zone(ZONE, faults=[("slow.example.com", None, "timeout")])


@pytest.mark.parametrize(
    ("ip", "expected"),
    [
        ("192.0.2.10", IprevResult.PASS),
        ("192.0.2.20", IprevResult.PASS),
        ("192.0.2.30", IprevResult.FAIL),
        ("192.0.2.60", IprevResult.TEMPERROR),
        ("192.0.2.99", IprevResult.PERMERROR),
    ],
)
def test_iprev_results(zone: mailauth.Resolver, ip: str, expected: IprevResult) -> None:
    assert mailauth.iprev_sync(ip, resolver=zone).result == expected


def test_iprev_details(zone: mailauth.Resolver) -> None:
    out = mailauth.iprev_sync(ipaddress.IPv4Address("192.0.2.20"), resolver=zone)
    assert str(out.result) == "pass"
    assert out.confirmed == ["third.example.com"]
    assert [f.outcome for f in out.forward] == ["no-address", "mismatch", "confirmed"]
    assert out.forward[1].addresses == [ipaddress.IPv4Address("192.0.2.99")]
    assert out.postfix.name == "unknown" and out.postfix.name_status == "permanent"
    assert out.postfix.client_reject == "450 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.20]"
    assert out.authentication_results() == "iprev=pass policy.iprev=192.0.2.20"
    none = mailauth.iprev_sync("192.0.2.99", resolver=zone)
    assert none.postfix.reverse_reject == (
        "450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.99]"
    )
    assert none.ptr_error is not None and "NXDOMAIN" in none.ptr_error
    strict = mailauth.iprev_sync("192.0.2.99", unknown_client_reject_code=550, resolver=zone)
    assert strict.postfix.reverse_reject is not None and strict.postfix.reverse_reject.startswith("550 5.7.1")


async def test_iprev_concurrency() -> None:
    slow = mailauth.Resolver.from_zone(ZONE, latency=0.05)
    out = await mailauth.iprev("192.0.2.20", resolver=slow)
    assert out.result == IprevResult.PASS
    assert slow.peak_in_flight == 3


async def test_iprev_against_the_real_server(dns_server: str) -> None:
    served = mailauth.Resolver.nameservers([dns_server], cache=False)
    outs = await asyncio.gather(mailauth.iprev("192.0.2.80", resolver=served), mailauth.iprev("2001:db8::80", resolver=served))
    assert [o.result for o in outs] == [IprevResult.PASS, IprevResult.PASS]
    assert outs[1].authentication_results() == 'iprev=pass policy.iprev="2001:db8::80"'


def test_helo_checks(zone: mailauth.Resolver) -> None:
    confirmed = mailauth.iprev_sync("192.0.2.10", resolver=zone).confirmed
    good = mailauth.check_helo_sync("192.0.2.10", "mail.example.com", confirmed, resolver=zone)
    assert [good.syntax.status, good.fqdn.status, good.resolves.status] == ["pass"] * 3
    assert good.matches_ptr.status == "pass" and good.resolves_to_client.status == "pass"
    bare = mailauth.check_helo_sync("192.0.2.10", "example.com", confirmed, resolver=zone)
    assert bare.resolves.status == "pass" and bare.matches_ptr.status == "fail"
    assert "mail.example.com" in bare.matches_ptr.evidence
    short = mailauth.check_helo_sync("192.0.2.10", "OEMCOMPUTER", resolver=zone)
    assert short.fqdn.postfix == "504 5.5.2 <OEMCOMPUTER>: Helo command rejected: need fully-qualified hostname"
    assert short.matches_ptr.status == "not_applicable"
    literal = mailauth.check_helo_sync("192.0.2.10", "[192.0.2.10]", resolver=zone)
    assert literal.literal_matches_client.status == "pass"
    bad = mailauth.check_helo_sync("192.0.2.10", "bad name!", resolver=zone)
    assert bad.syntax.status == "fail" and bad.syntax.postfix is not None


async def test_mail_domains(zone: mailauth.Resolver) -> None:
    mx, null, implicit, missing = await asyncio.gather(
        mailauth.check_mail_domain("example.com", resolver=zone),
        mailauth.check_mail_domain("nullmx.example.com", "recipient", resolver=zone),
        mailauth.check_mail_domain("implicit.example.com", resolver=zone),
        mailauth.check_mail_domain("missing.example.com", resolver=zone),
    )
    assert mx.status == "mx" and mx.receives_mail and mx.mx[0].exchange == "mail.example.com"
    assert null.status == "null-mx" and not null.receives_mail
    assert null.postfix is not None and null.postfix.startswith("556 5.1.10")
    assert implicit.status == "implicit-mx" and implicit.addresses == [ipaddress.IPv4Address("192.0.2.30")]
    assert missing.status == "not-found"
    assert missing.postfix == "450 4.1.8 Sender address rejected: Domain not found"
    temp = mailauth.check_mail_domain_sync("slow.example.com", resolver=zone)
    assert temp.status == "temperror" and "timeout" in temp.detail
    assert temp.postfix is not None and temp.postfix.startswith("450 4.4.3")


@pytest.mark.parametrize("bad", ["192.0.2.300", "not-an-ip", ""])
def test_bad_ip(zone: mailauth.Resolver, bad: str) -> None:
    with pytest.raises(mailauth.InvalidInputError, match="invalid IP address"):
        mailauth.iprev_sync(bad, resolver=zone)
    with pytest.raises(mailauth.InvalidInputError):
        mailauth.check_helo_sync(bad, "mail.example.com", resolver=zone)


def test_bad_options(zone: mailauth.Resolver) -> None:
    with pytest.raises(mailauth.InvalidInputError, match="max_names"):
        mailauth.iprev_sync("192.0.2.10", max_names=0, resolver=zone)
    with pytest.raises(mailauth.InvalidInputError, match="unknown_client_reject_code must be an integer from 400 to 599"):
        mailauth.iprev_sync("192.0.2.10", unknown_client_reject_code=250, resolver=zone)
    with pytest.raises(mailauth.InvalidInputError, match="role"):
        mailauth.check_mail_domain_sync("example.com", "relay", resolver=zone)  # type: ignore[arg-type]  # wrong on purpose
