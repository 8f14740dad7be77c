"""No argument may panic or escape the documented exceptions (issue 11).

Every public function, constructor and method is called with each of its
parameters replaced by a hostile value: integers far outside any range,
NaN and infinities, huge and control-laden strings, lone surrogates and
values of the wrong type. The only outcomes allowed are a result,
``MailauthError`` (out-of-range values are ``InvalidInputError``, which is
also a ``ValueError``), ``TypeError`` (a value of the wrong type) and
``UnicodeEncodeError`` (a ``str`` with lone surrogates cannot become UTF-8).
A Rust panic surfaces as ``pyo3_runtime.PanicException``, which derives from
``BaseException``, so it fails the test however it is caught; so do
``OverflowError`` and anything else.

A fixed sweep tries every parameter with every value of ``EXTREMES``; a
Hypothesis property then draws calls, parameters and values at random.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mailauth
from mailauth import MailauthError

ZONE = """\
example.com. TXT "v=spf1 mx -all"
example.com. MX 10 mail.example.com.
mail.example.com. A 192.0.2.1
_dmarc.example.com. TXT "v=DMARC1; p=reject; rua=mailto:d@example.com"
1.2.0.192.in-addr.arpa. PTR mail.example.com.
1.2.0.192.dnsbl.test. A 127.0.0.2
"""

DNS = mailauth.Resolver.from_zone(ZONE)
LIST = mailauth.DnsblList("test", "dnsbl.test", bits={2: "listed"})
VERIFIER = mailauth.SpfVerifier()
OUTPUT = VERIFIER.check_mail_from_sync("192.0.2.9", "a@example.com", "mail.example.com", resolver=DNS)
RECORD = mailauth.DmarcRecord.parse("v=DMARC1; p=reject; rua=mailto:d@other.example")
REPORT = mailauth.doctor_domain_sync("example.com", resolver=DNS)
ED25519 = mailauth.DkimSigner.generate_ed25519()
SIGNER = mailauth.DkimSigner.ed25519(ED25519, "example.com", "s")
BOUNCE = "550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy"


@pytest.fixture(autouse=True, scope="module")
def default_is_the_test_zone() -> Iterator[None]:
    """``resolver=None`` is a valid value that means the default resolver:
    here the test zone, so that no sweep reaches the system's nameservers."""
    mailauth.Resolver.set_default(DNS)
    yield
    mailauth.Resolver.set_default(None)


def run(start: Callable[[], Awaitable[Any]]) -> Any:
    """Starts an awaitable inside a running event loop and waits for it."""

    async def wait() -> Any:
        return await start()

    return asyncio.run(wait())


async def drain(bulk: mailauth.DnsblBulk) -> list[mailauth.DnsblReport]:
    return [report async for report in bulk]


def bulk(**kwargs: Any) -> Any:
    return run(lambda: drain(mailauth.dnsbl_check_bulk(**kwargs)))


def awaited(function: Callable[..., Awaitable[Any]]) -> Callable[..., Any]:
    return lambda **kwargs: run(lambda: function(**kwargs))


# Each public callable with valid keyword arguments; the sweep replaces one
# at a time. Positional-only parameters are passed through lambdas.
CALLS: list[tuple[str, Callable[..., Any], dict[str, Any]]] = [
    (
        "scan",
        lambda **kwargs: list(mailauth.scan(**kwargs)),
        {
            "domains": ["example.com", "not a domain"],
            "resolver": DNS,
            "concurrency": 4,
            "deadline": 5.0,
            "dkim_selectors": ["s1"],
            "cache": True,
            "mx_hosts": 2,
            "mx_addresses": 2,
        },
    ),
    ("Resolver.system", mailauth.Resolver.system, {"timeout": 1.0, "attempts": 1, "cache": True}),
    (
        "Resolver.nameservers",
        mailauth.Resolver.nameservers,
        {
            "servers": ["127.0.0.1:9"],
            "transport": "udp-multiplexed",
            "timeout": 1.0,
            "attempts": 1,
            "cache": True,
            "udp_sockets": 1,
            "multiplex_public_servers": False,
        },
    ),
    (
        "Resolver.from_zone",
        mailauth.Resolver.from_zone,
        {"text": ZONE, "faults": [("x.example.com", None, "timeout"), ("y.example.com", "A", 2)], "latency": 0.0},
    ),
    ("Resolver.cached", lambda max_entries: DNS.cached(max_entries=max_entries), {"max_entries": 10}),
    ("Resolver.txt_sync", lambda name: DNS.txt_sync(name), {"name": "example.com"}),
    ("Resolver.a_sync", lambda name: DNS.a_sync(name), {"name": "mail.example.com"}),
    ("Resolver.aaaa_sync", lambda name: DNS.aaaa_sync(name), {"name": "mail.example.com"}),
    ("Resolver.mx_sync", lambda name: DNS.mx_sync(name), {"name": "example.com"}),
    ("Resolver.ptr_sync", lambda ip: DNS.ptr_sync(ip), {"ip": "192.0.2.1"}),
    ("Resolver.txt", lambda name: run(lambda: DNS.txt(name)), {"name": "example.com"}),
    ("Resolver.ptr", lambda ip: run(lambda: DNS.ptr(ip)), {"ip": "192.0.2.1"}),
    ("SpfRecord.parse", lambda text: mailauth.SpfRecord.parse(text), {"text": "v=spf1 -all"}),
    (
        "SpfVerifier",
        mailauth.SpfVerifier,
        {
            "max_lookups": 10,
            "max_void_lookups": 2,
            "max_mx_names": 10,
            "max_ptr_names": 10,
            "deadline": 5.0,
            "default_explanation": "no %{i}",
            "receiver": "mx.example",
            "trace": False,
            "record_cache_size": 16,
        },
    ),
    (
        "SpfVerifier.check_sync",
        lambda ip, mail_from, helo: VERIFIER.check_sync(ip, mail_from, helo, resolver=DNS),
        {"ip": "192.0.2.1", "mail_from": "a@example.com", "helo": "mail.example.com"},
    ),
    (
        "SpfVerifier.check_host_sync",
        lambda ip, domain, sender, helo: VERIFIER.check_host_sync(ip, domain, sender, helo, resolver=DNS),
        {"ip": "192.0.2.1", "domain": "example.com", "sender": "a@example.com", "helo": "h.example"},
    ),
    (
        "SpfVerifier.check_helo",
        lambda ip, helo: run(lambda: VERIFIER.check_helo(ip, helo, resolver=DNS)),
        {"ip": "192.0.2.1", "helo": "mail.example.com"},
    ),
    ("SpfOutput.received_spf", lambda receiver: OUTPUT.received_spf(receiver), {"receiver": "mx.example"}),
    ("DmarcRecord.parse", lambda text: mailauth.DmarcRecord.parse(text), {"text": "v=DMARC1; p=none"}),
    ("DmarcRecord.validate", lambda text: mailauth.DmarcRecord.validate(text), {"text": "v=DMARC1; p=none"}),
    ("dmarc_discover_sync", mailauth.dmarc_discover_sync, {"resolver": DNS, "domain": "example.com"}),
    (
        "dmarc_evaluate_sync",
        mailauth.dmarc_evaluate_sync,
        {"resolver": DNS, "from_domain": "example.com", "spf": ("example.com", "pass"), "dkim": [("example.com", True)]},
    ),
    (
        "dmarc_evaluate",
        awaited(mailauth.dmarc_evaluate),
        {"resolver": DNS, "from_domain": "example.com", "spf": ("example.com", "fail"), "dkim": []},
    ),
    (
        "dmarc_report_destinations_sync",
        mailauth.dmarc_report_destinations_sync,
        {"resolver": DNS, "policy_domain": "example.com", "record": RECORD},
    ),
    (
        "iprev_sync",
        mailauth.iprev_sync,
        {"resolver": DNS, "ip": "192.0.2.1", "max_names": 10, "unknown_client_reject_code": 450},
    ),
    (
        "iprev",
        awaited(mailauth.iprev),
        {"resolver": DNS, "ip": "192.0.2.1", "max_names": 3, "unknown_client_reject_code": 550},
    ),
    (
        "check_helo_sync",
        mailauth.check_helo_sync,
        {"resolver": DNS, "ip": "192.0.2.1", "helo": "mail.example.com", "confirmed_ptr": ["mail.example.com"]},
    ),
    ("check_mail_domain_sync", mailauth.check_mail_domain_sync, {"resolver": DNS, "domain": "example.com", "role": "sender"}),
    (
        "DnsblList",
        mailauth.DnsblList,
        {
            "id": "x",
            "zone": "dnsbl.test",
            "kind": "ip",
            "policy": "block",
            "codes": {"127.0.0.2": "listed"},
            "errors": {"127.255.255.254": "refused"},
            "key": None,
            "test_domain": None,
            "ipv6": False,
            "note": "a note",
        },
    ),
    ("DnsblList(bits)", mailauth.DnsblList, {"id": "x", "zone": "dnsbl.test", "bits": {2: "listed", 4: "other"}}),
    ("DnsblList.builtin", lambda id: mailauth.DnsblList.builtin(id), {"id": "spamhaus-zen"}),
    ("DnsblList.spamhaus_dqs", lambda list, key: mailauth.DnsblList.spamhaus_dqs(list, key), {"list": "zen", "key": "k" * 26}),
    (
        "dnsbl_check_sync",
        mailauth.dnsbl_check_sync,
        {"resolver": DNS, "target": "192.0.2.1", "lists": [LIST], "fetch_reasons": True, "deadline": 5.0},
    ),
    (
        "dnsbl_check",
        awaited(mailauth.dnsbl_check),
        {"resolver": DNS, "target": "192.0.2.1", "lists": [LIST], "fetch_reasons": False, "deadline": 5.0},
    ),
    (
        "dnsbl_check_bulk",
        bulk,
        {"resolver": DNS, "targets": ["192.0.2.1", "192.0.2.2"], "lists": [LIST], "concurrency": 2, "fetch_reasons": False, "deadline": 5.0},
    ),
    ("dnsbl_zone_health", awaited(mailauth.dnsbl_zone_health), {"resolver": DNS, "list": LIST}),
    (
        "doctor_sync",
        mailauth.doctor_sync,
        {
            "resolver": DNS,
            "ip": "192.0.2.1",
            "helo": "mail.example.com",
            "mail_from": "a@example.com",
            "from_domain": "example.com",
            "dkim_domains": ["example.com"],
            "dnsbl_lists": [LIST],
        },
    ),
    ("doctor_domain_sync", mailauth.doctor_domain_sync, {"resolver": DNS, "domain": "example.com", "dkim_selectors": ["s1"]}),
    ("read_bounce", lambda bounce: mailauth.read_bounce(bounce), {"bounce": BOUNCE}),
    ("dkim_verify_sync", mailauth.dkim_verify_sync, {"resolver": DNS, "message": b"From: a\r\n\r\n", "max_signatures": 5, "now": 0}),
    (
        "DkimSigner.ed25519",
        lambda private_key, domain, selector: mailauth.DkimSigner.ed25519(private_key, domain, selector),
        {"private_key": ED25519, "domain": "example.com", "selector": "s"},
    ),
    ("DkimSigner.sign", lambda message, timestamp: SIGNER.sign(message, timestamp=timestamp), {"message": b"From: a@example.com\r\n\r\n", "timestamp": 1}),
    ("DkimKeyRecord.parse", lambda text: mailauth.DkimKeyRecord.parse(text), {"text": "v=DKIM1; p="}),
    (
        "authenticate_sync",
        mailauth.authenticate_sync,
        {
            "resolver": DNS,
            "message": b"From: a@example.com\r\n\r\nhi\r\n",
            "ip": "192.0.2.1",
            "helo": "mail.example.com",
            "mail_from": "a@example.com",
            "authserv_id": "mx.example.net",
            "max_signatures": 5,
        },
    ),
    (
        "doctor_headers_sync",
        mailauth.doctor_headers_sync,
        {
            "resolver": DNS,
            "headers": "Received: from mail.example.com (mail.example.com [192.0.2.1]) by mx\nReturn-Path: <a@example.com>\n",
            "ip": "192.0.2.1",
            "helo": "mail.example.com",
            "mail_from": "a@example.com",
            "from_domain": "example.com",
            "dnsbl_lists": [LIST],
        },
    ),
    (
        "doctor_bounce_sync",
        mailauth.doctor_bounce_sync,
        {
            "resolver": DNS,
            "bounce": BOUNCE,
            "ip": "192.0.2.1",
            "helo": "mail.example.com",
            "mail_from": "a@example.com",
            "from_domain": "example.com",
            "dnsbl_lists": [LIST],
        },
    ),
    ("DoctorReport.finding", lambda check: REPORT.finding(check), {"check": "spf-record"}),
]


class Opaque:
    """An object of no type any parameter takes."""


EXTREMES: list[Any] = [
    -1,
    0,
    2**31,
    2**32,
    2**63,
    2**64,
    2**200,
    -(2**200),
    10**400,
    -0.0,
    5e-324,
    1e19,
    1e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    True,
    None,
    "",
    "\x00\r\n\x1b]0;x\x07\x1b[2J\u2028",
    "a" * 100_000,
    "a." * 200,
    "\ud800",
    b"bytes",
    [],
    [None],
    {},
    {2**70: "x"},
    Opaque(),
]

ALLOWED = (MailauthError, TypeError, UnicodeEncodeError)


def call_with(index: int, parameter: str, value: Any) -> None:
    name, function, valid = CALLS[index]
    kwargs = dict(valid)
    kwargs[parameter] = value
    try:
        function(**kwargs)
    except ALLOWED:
        pass
    # Anything else, OverflowError and PanicException included, fails.


def test_every_call_works_with_its_valid_arguments() -> None:
    for name, function, valid in CALLS:
        function(**valid)


SWEEP = [(i, parameter) for i, (_, _, valid) in enumerate(CALLS) for parameter in valid]


@pytest.mark.parametrize(("index", "parameter"), SWEEP, ids=[f"{CALLS[i][0]}-{p}" for i, p in SWEEP])
def test_every_parameter_takes_every_extreme(index: int, parameter: str) -> None:
    for value in EXTREMES:
        call_with(index, parameter, value)


HOSTILE = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=64),
    st.binary(max_size=16),
    st.none(),
    st.booleans(),
    st.lists(st.one_of(st.integers(), st.text(max_size=8)), max_size=3),
    st.dictionaries(st.integers(), st.text(max_size=8), max_size=3),
    st.sampled_from(EXTREMES),
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_hostile_arguments(data: st.DataObject) -> None:
    index, parameter = data.draw(st.sampled_from(SWEEP))
    call_with(index, parameter, data.draw(HOSTILE))


def test_out_of_range_numbers_name_their_range() -> None:
    cases: list[tuple[Callable[[], Any], str]] = [
        (lambda: mailauth.SpfVerifier(max_lookups=-1), "max_lookups must be an integer from 0 to 1000, not -1"),
        (lambda: mailauth.SpfVerifier(deadline=1e19), "deadline must be a number of seconds above 0 and at most 86400"),
        (lambda: mailauth.Resolver.system(attempts=2**70), "attempts must be an integer from 1 to 16, not a larger number"),
        (
            lambda: mailauth.SpfVerifier(record_cache_size=2**70),
            "record_cache_size must be an integer from 0 to 1000000, not a larger number",
        ),
        (lambda: mailauth.SpfVerifier(max_lookups=-(2**70)), "max_lookups must be an integer from 0 to 1000, not a smaller number"),
        (lambda: mailauth.Resolver.system(timeout=float("nan")), "timeout must be a number of seconds"),
        (lambda: mailauth.DnsblList("x", "dnsbl.test", bits={256: "x"}), "a bit must be an integer from 1 to 255, not 256"),
        (lambda: mailauth.dnsbl_check_sync("192.0.2.1", [LIST], deadline=1e19, resolver=DNS), "deadline must be"),
        (lambda: mailauth.iprev_sync("192.0.2.1", max_names=0, resolver=DNS), "max_names must be an integer from 1 to 1000, not 0"),
    ]
    for call, message in cases:
        with pytest.raises(mailauth.InvalidInputError) as raised:
            call()
        assert message in str(raised.value)
        assert isinstance(raised.value, ValueError)


def untyped(value: object) -> Any:
    """`value`, hidden from the type checker: these calls are wrong on purpose."""
    return value


def test_type_errors_say_what_was_expected() -> None:
    zen = mailauth.DnsblList.builtin("spamhaus-zen")
    cases: list[tuple[Callable[[], Any], str]] = [
        (lambda: mailauth.dnsbl_check_sync("192.0.2.1", untyped("zen"), resolver=DNS), "lists must be a sequence of DnsblList, not str"),
        (lambda: mailauth.dnsbl_check_sync("192.0.2.1", untyped(zen), resolver=DNS), "lists must be a sequence of DnsblList, not DnsblList"),
        (lambda: mailauth.dnsbl_check_sync("192.0.2.1", [zen, untyped(1)], resolver=DNS), "lists must be a sequence of DnsblList; item 1 is int"),
        (lambda: mailauth.Resolver.nameservers("127.0.0.1"), "servers must be a sequence of str, not str"),
        (lambda: mailauth.dmarc_evaluate_sync("a.example", dkim=untyped("a.example"), resolver=DNS), "dkim must be a sequence of (domain, verified) tuples, not str"),
        (lambda: mailauth.doctor_sync("192.0.2.1", "h", "m", dkim_domains=untyped(b"x"), resolver=DNS), "dkim_domains must be a sequence of str, not bytes"),
        (lambda: mailauth.check_helo_sync("192.0.2.1", "h", confirmed_ptr="x", resolver=DNS), "confirmed_ptr must be a sequence of str, not str"),
        (lambda: mailauth.Resolver.from_zone("", faults=untyped(5)), "faults must be a sequence of (name, type or None, fault) tuples, not int"),
    ]
    for call, message in cases:
        with pytest.raises(TypeError) as raised:
            call()
        assert message in str(raised.value)
        assert "extract" not in str(raised.value) and "Vec" not in str(raised.value)
