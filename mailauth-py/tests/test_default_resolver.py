"""Every check works without a resolver argument, as pyspf's, checkdmarc's
and pydnsbl's do: ``resolver=`` is keyword-only and defaults to
``Resolver.default()``, the shared system resolver unless
``Resolver.set_default`` chose another. These tests choose a zone, so that
nothing reaches the system's nameservers."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import mailauth

ZONE = mailauth.Resolver.from_zone(
    'example.com. TXT "v=spf1 ip4:192.0.2.10 -all"\n'
    '_dmarc.example.com. TXT "v=DMARC1; p=reject"\n'
    "example.com. MX 10 mail.example.com.\n"
    "mail.example.com. A 192.0.2.10\n"
    "10.2.0.192.in-addr.arpa. PTR mail.example.com.\n"
    "10.2.0.192.zen.spamhaus.org. A 127.0.0.10\n"
)
ZEN = mailauth.DnsblList.builtin("spamhaus-zen")
IP = "192.0.2.10"


@pytest.fixture
def zone_as_default() -> Iterator[mailauth.Resolver]:
    mailauth.Resolver.set_default(ZONE)
    yield ZONE
    mailauth.Resolver.set_default(None)


def checks() -> list[tuple[str, Callable[..., Any]]]:
    """Every callable of the package that takes a resolver (``Resolver``'s
    own methods aside)."""
    found = []
    for name in mailauth.__all__:
        value = getattr(mailauth, name)
        if value is mailauth.Resolver:
            continue
        if inspect.isclass(value):
            found += [(f"{name}.{m}", getattr(value, m)) for m in dir(value) if not m.startswith("_")]
        else:
            found.append((name, value))
    return [(n, f) for n, f in found if "resolver" in (getattr(f, "__text_signature__", None) or "")]


def test_resolver_is_a_keyword_with_a_default_everywhere() -> None:
    found = checks()
    # 28 functions (14 checks, each async and blocking), 8 SpfVerifier
    # methods and scan.
    assert len(found) == 37, [n for n, _ in found]
    for name, function in found:
        signature: str = getattr(function, "__text_signature__")
        assert signature.endswith("*, resolver=None)") or (
            ", *, " in signature and signature.endswith(", resolver=None)")
        ), f"{name}{signature}"


def test_every_check_answers_from_the_default(zone_as_default: mailauth.Resolver) -> None:
    assert repr(mailauth.Resolver.default()) == repr(ZONE)
    verifier = mailauth.SpfVerifier()
    assert verifier.check_mail_from_sync(IP, "a@example.com", "mail.example.com").result == mailauth.SpfResult.PASS
    assert verifier.check_sync("192.0.2.99", "a@example.com", "x.example").result == mailauth.SpfResult.FAIL
    assert mailauth.iprev_sync(IP).confirmed == ["mail.example.com"]
    assert mailauth.check_helo_sync(IP, "mail.example.com").resolves_to_client.status == "pass"
    assert mailauth.check_mail_domain_sync("example.com").receives_mail
    assert mailauth.dnsbl_check_sync(IP, [ZEN]).blocked_by == ["spamhaus-zen"]
    assert mailauth.dmarc_discover_sync("example.com").declared_policy == "reject"
    assert mailauth.dmarc_evaluate_sync("example.com").disposition == "reject"
    assert mailauth.doctor_sync(IP, "mail.example.com", "a@example.com", dnsbl_lists=[]).worst == "ok"
    assert mailauth.doctor_domain_sync("example.com").subject == "example.com"
    bounce = f"550 5.7.1 Client host [{IP}] blocked"
    assert mailauth.doctor_bounce_sync(bounce, mail_from="a@example.com").subject.startswith(IP)
    before = ZONE.query_count

    async def both() -> tuple[mailauth.IprevOutput, mailauth.DmarcDiscovery]:
        return await asyncio.gather(mailauth.iprev(IP), mailauth.dmarc_discover("example.com"))

    out, discovery = asyncio.run(both())
    assert out.result == mailauth.IprevResult.PASS and discovery.policy_domain == "example.com"
    assert ZONE.query_count > before


def test_an_explicit_resolver_wins_over_the_default(zone_as_default: mailauth.Resolver) -> None:
    empty = mailauth.Resolver.from_zone("")
    assert mailauth.iprev_sync(IP, resolver=empty).result == mailauth.IprevResult.PERMERROR
    assert empty.query_count == 1


def test_set_default_none_restores_the_system_resolver() -> None:
    mailauth.Resolver.set_default(ZONE)
    mailauth.Resolver.set_default(None)
    assert repr(mailauth.Resolver.default()) == "Resolver(system nameservers (shared))"
