"""The DNS layer from Python: both backends, async and sync, and bad input."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time

import pytest

import mailauth
from mailauth import Outcome


def test_version() -> None:
    assert mailauth.__version__.count(".") == 2


async def test_served_zone_is_reached(served: mailauth.Resolver) -> None:
    answer = await served.txt("served.mailauth.test")
    assert answer.outcome is Outcome.RECORDS
    record = answer.records[0]
    assert isinstance(record, mailauth.TxtRecord)
    assert record.text == "served-by-the-mailauth-test-zone"


async def test_txt_strings_long_and_big(served: mailauth.Resolver) -> None:
    multi = (await served.txt("multi.mailauth.test")).records[0]
    assert isinstance(multi, mailauth.TxtRecord)
    assert multi.strings == [b"v=spf1 ", b"ip4:192.0.2.1 ", b"-all"]
    assert multi.joined == b"v=spf1 ip4:192.0.2.1 -all"
    long = (await served.txt("long.mailauth.test")).records[0]
    assert isinstance(long, mailauth.TxtRecord)
    assert [len(s) for s in long.strings] == [255, 255, 100]
    big = await served.txt("big.mailauth.test")
    assert len(big) == 20


async def test_outcomes(served: mailauth.Resolver) -> None:
    nx = await served.a("nope.mailauth.test")
    assert nx.outcome is Outcome.NXDOMAIN and nx.outcome.is_void and not nx
    assert nx.records == [] and "NXDOMAIN" in (nx.detail or "")
    nodata = await served.txt("www.mailauth.test")
    assert nodata.outcome is Outcome.NODATA
    refused = await served.txt("example.com")
    assert refused.outcome is Outcome.SERVER_FAILURE and refused.rcode == 5
    assert refused.outcome.is_temporary
    invalid = await served.txt("a..b")
    assert invalid.outcome is Outcome.INVALID_NAME
    assert str(invalid.outcome) == "invalid-name"


async def test_addresses_mx_and_ptr(served: mailauth.Resolver) -> None:
    a = await served.a("www.mailauth.test")
    assert list(a) == [ipaddress.IPv4Address("192.0.2.80")]
    aaaa = await served.aaaa("www.mailauth.test")
    assert aaaa.records == [ipaddress.IPv6Address("2001:db8::80")]
    mx = await served.mx("mailauth.test")
    assert [m.preference for m in mx.records if isinstance(m, mailauth.MxRecord)] == [10, 10, 20]
    null = (await served.mx("nullmx.mailauth.test")).records[0]
    assert isinstance(null, mailauth.MxRecord) and (null.preference, null.exchange) == (0, "")
    ptr = await served.ptr("192.0.2.30")
    assert sorted(ptr.records) == ["multihomed.mailauth.test", "other-name.mailauth.test"]  # type: ignore[type-var]
    ptr6 = await served.ptr(ipaddress.IPv6Address("2001:db8::80"))
    assert ptr6.records == ["www.mailauth.test"]


def test_sync_lookups(served: mailauth.Resolver) -> None:
    assert served.txt_sync("_dmarc.mailauth.test").records[0].text.startswith("v=DMARC1")  # type: ignore[union-attr]
    assert served.a_sync("alias2.mailauth.test").records == [ipaddress.IPv4Address("192.0.2.80")]
    assert served.ptr_sync("2001:db8::80").records == ["www.mailauth.test"]
    assert served.mx_sync("nope.mailauth.test").outcome is Outcome.NXDOMAIN
    assert served.aaaa_sync("mail.mailauth.test").records == [ipaddress.IPv6Address("2001:db8::25")]


async def test_backends_agree(served: mailauth.Resolver, memory: mailauth.Resolver) -> None:
    names = ["mailauth.test", "www.mailauth.test", "alias2.mailauth.test", "dangling.mailauth.test",
             "b.deep.mailauth.test", "nope.mailauth.test", "_dmarc.mailauth.test", "two.mailauth.test"]
    for name in names:
        for kind in ("txt", "a", "aaaa", "mx"):
            real = await getattr(served, kind)(name)
            mem = await getattr(memory, kind)(name)
            assert real.outcome is mem.outcome, (kind, name)
            assert sorted(map(repr, real.records)) == sorted(map(repr, mem.records)), (kind, name)


async def test_concurrent_lookups_on_memory() -> None:
    zone = mailauth.Resolver.from_zone("h.example. A 192.0.2.1\n", latency=0.05)
    answers = await asyncio.gather(*(zone.a("h.example") for _ in range(8)))
    assert all(a.outcome is Outcome.RECORDS for a in answers)
    assert zone.query_count == 8
    assert zone.peak_in_flight == 8
    zone.reset_counters()
    assert zone.query_count == 0


def test_injected_faults() -> None:
    zone = mailauth.Resolver.from_zone(
        "h.example. A 192.0.2.1\n",
        faults=[("h.example", "TXT", "timeout"), ("x.example", None, "servfail"), ("y.example", "a", 5)],
    )
    assert zone.a_sync("h.example").outcome is Outcome.RECORDS
    assert zone.txt_sync("h.example").outcome is Outcome.TIMEOUT
    assert zone.mx_sync("x.example").rcode == 2
    assert zone.a_sync("y.example").rcode == 5


def test_silent_nameserver_times_out() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        port = silent.getsockname()[1]
        resolver = mailauth.Resolver.nameservers([f"127.0.0.1:{port}"], timeout=0.3, attempts=1)
        started = time.monotonic()
        answer = resolver.txt_sync("anything.mailauth.test")
        assert answer.outcome is Outcome.TIMEOUT
        # 0.3 s, with a margin for a loaded machine; the default would be 10 s.
        assert time.monotonic() - started < 1.5


def test_zone_parse_error() -> None:
    with pytest.raises(mailauth.ZoneParseError) as caught:
        mailauth.Resolver.from_zone("ok.example. A 192.0.2.1\nbad.example. A 192.0.2.300\n")
    assert (caught.value.line, caught.value.column) == (2, 16)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, mailauth.MailauthError)
    assert "invalid IPv4 address" in str(caught.value)


@pytest.mark.parametrize("bad", ["192.0.2.300", "not an ip", "", "1.2.3.4.5"])
def test_invalid_ip_text(memory: mailauth.Resolver, bad: str) -> None:
    with pytest.raises(mailauth.InvalidInputError, match="invalid IP address"):
        memory.ptr_sync(bad)


def test_invalid_ip_type(memory: mailauth.Resolver) -> None:
    with pytest.raises(mailauth.InvalidInputError):
        memory.ptr_sync(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"servers": ["nowhere"]}, "invalid nameserver address"),
        ({"servers": ["127.0.0.1"], "transport": "quic"}, r"transport: unknown transport \"quic\" \(expected udp, tcp, udp-multiplexed\)"),
        ({"servers": ["127.0.0.1"], "timeout": 0}, "timeout must be"),
        ({"servers": ["127.0.0.1"], "timeout": -1}, "timeout must be"),
    ],
)
def test_invalid_resolver_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(mailauth.InvalidInputError, match=message):
        mailauth.Resolver.nameservers(**kwargs)  # type: ignore[arg-type]


def test_system_resolver_by_default() -> None:
    # This machine has /etc/resolv.conf; nothing is asked here.
    assert "system nameservers" in repr(mailauth.Resolver())
    shared = mailauth.Resolver.default()
    assert "shared" in repr(shared) and repr(mailauth.Resolver.default()) == repr(shared)


def test_resolver_config_errors() -> None:
    with pytest.raises(mailauth.ResolverConfigError, match="no nameservers"):
        mailauth.Resolver.nameservers([])
    # Out-of-range arguments are refused at the edge, with their range.
    with pytest.raises(mailauth.InvalidInputError, match="attempts must be an integer from 1 to 16"):
        mailauth.Resolver.nameservers(["127.0.0.1"], attempts=0)
    with pytest.raises(mailauth.InvalidInputError, match="udp_sockets must be an integer from 1 to 64"):
        mailauth.Resolver.nameservers(["127.0.0.1"], transport="udp-multiplexed", udp_sockets=0)


def test_multiplexed_udp_refuses_public_nameservers() -> None:
    with pytest.raises(mailauth.ResolverConfigError, match="multiplex_public_servers"):
        mailauth.Resolver.nameservers(["8.8.8.8"], transport="udp-multiplexed")
    mailauth.Resolver.nameservers(["8.8.8.8"], transport="udp-multiplexed", multiplex_public_servers=True)
    mailauth.Resolver.nameservers(["192.168.1.1"], transport="udp-multiplexed")


def test_multiplexed_udp_on_one_socket(dns_server: str) -> None:
    one = mailauth.Resolver.nameservers([dns_server], transport="udp-multiplexed", udp_sockets=1, cache=False)
    zen = mailauth.DnsblList("test-zen", "zen.dnsbl.test", codes={"127.0.0.2": "SBL", "127.0.0.10": "PBL"})
    report = mailauth.dnsbl_check_sync("192.0.2.99", [zen], resolver=one)
    assert report.listed and sorted(c for c, _ in report.results[0].listings) == ["127.0.0.10", "127.0.0.2"]


def test_bad_faults() -> None:
    with pytest.raises(mailauth.InvalidInputError, match="unknown fault"):
        mailauth.Resolver.from_zone("", faults=[("a.example", None, "explode")])
    with pytest.raises(mailauth.InvalidInputError, match="unknown record type"):
        mailauth.Resolver.from_zone("", faults=[("a.example", "SPF", "timeout")])
    with pytest.raises(mailauth.InvalidInputError, match="fault name"):
        mailauth.Resolver.from_zone("", faults=[("a..example", None, "timeout")])


def test_counters_only_on_memory(dns_server: str) -> None:
    real = mailauth.Resolver.nameservers([dns_server])
    with pytest.raises(mailauth.InvalidInputError, match="in-memory"):
        _ = real.query_count


def test_reprs(memory: mailauth.Resolver) -> None:
    assert repr(memory) == "Resolver(in-memory zone)"
    assert repr(memory.mx_sync("nullmx.mailauth.test")) == "Answer([MxRecord(preference=0, exchange='')])"
    assert repr(memory.txt_sync("nope.mailauth.test")).startswith("Answer(nxdomain: ")
