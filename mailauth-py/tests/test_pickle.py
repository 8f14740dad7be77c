"""Results travel between processes: every result and record class pickles
and round-trips through ``pickle`` and ``copy.deepcopy``, and has
``to_json`` and ``to_dict``; the result enums equal their tokens."""

from __future__ import annotations

import asyncio
import copy
import inspect
import json
import pickle
from pathlib import Path

import pytest

import mailauth

DATA = Path(__file__).resolve().parents[2] / "mailauth-core" / "tests" / "data" / "dkim"
BOUNCES = Path(__file__).resolve().parents[2] / "mailauth-doctor" / "tests" / "bounces"
IP = "192.0.2.10"
ZONE = mailauth.Resolver.from_zone(
    'example.com. TXT "v=spf1 ip4:192.0.2.10 -all"\n'
    '_dmarc.example.com. TXT "v=DMARC1; p=reject; rua=mailto:d@example.com"\n'
    "example.com. MX 10 mail.example.com.\n"
    "mail.example.com. A 192.0.2.10\n"
    "10.2.0.192.in-addr.arpa. PTR mail.example.com.\n"
    "10.2.0.192.zen.spamhaus.org. A 127.0.0.10\n"
    "2.0.0.127.zen.spamhaus.org. A 127.0.0.2\n"
    + (DATA / "rfc8463.zone").read_text()
)

# Not picklable, and why. A Resolver or an SpfVerifier pickles as its
# configuration and is rebuilt in the receiving process.
NOT_PICKLABLE = {
    "DnsblBulk": "an iterator over queries in flight",
    "ScanStream": "an iterator over scans in flight",
    "DkimSigner": "holds a private key, which a pickle would write out in clear",
}


def results() -> list[object]:
    """One of every result class, from the calls a user makes."""
    message = (DATA / "rfc8463-a3.eml").read_bytes()

    zen = mailauth.DnsblList.builtin("spamhaus-zen")

    async def awaited() -> list[object]:
        return [
            await ZONE.txt("example.com"),
            await ZONE.mx("example.com"),
            await ZONE.a("nowhere.example.com"),
            await mailauth.dnsbl_zone_health(zen, resolver=ZONE),
        ]

    discovery = mailauth.dmarc_discover_sync("example.com", resolver=ZONE)
    assert discovery.record is not None
    return [
        mailauth.authenticate_sync(message, IP, "mail.example.com", "joe@football.example.com", authserv_id="mx", resolver=ZONE),
        mailauth.check_helo_sync(IP, "mail.example.com", resolver=ZONE),
        mailauth.check_mail_domain_sync("example.com", resolver=ZONE),
        mailauth.iprev_sync(IP, resolver=ZONE),
        mailauth.dnsbl_check_sync(IP, [zen], resolver=ZONE),
        discovery,
        mailauth.dmarc_evaluate_sync("example.com", spf=("example.com", mailauth.SpfResult.PASS), resolver=ZONE),
        mailauth.dmarc_report_destinations_sync("example.com", discovery.record, resolver=ZONE),
        mailauth.doctor_sync(IP, "example.com", "a@example.com", dnsbl_lists=[zen], resolver=ZONE),
        mailauth.read_bounce((BOUNCES / "gmail-5.7.26-dsn.eml").read_bytes()),
        mailauth.dkim_verify_sync(message, resolver=ZONE),
        mailauth.DkimKeyRecord.parse("v=DKIM1; k=ed25519; t=y; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="),
        mailauth.SpfRecord.parse("v=spf1 mx -all"),
        mailauth.DmarcRecord.validate("v=DMARC1; p=block; p=none; ri=3600; x=1; rua=ftp://x.example"),
        zen,
        mailauth.SpfVerifier().check_sync(IP, "a@example.com", "mail.example.com", resolver=ZONE),
        mailauth.SpfVerifier(max_lookups=5, default_explanation="see %{d}", record_cache_size=0),
        ZONE,
        *mailauth.scan(["example.com"], dkim_selectors=["brisbane"], resolver=ZONE),
        *asyncio.run(awaited()),
    ]


def walk(value: object, found: dict[str, list[object]], depth: int = 0) -> None:
    """Every mailauth object reachable through attributes and containers."""
    if depth > 8 or isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            walk(item, found, depth + 1)
        return
    if isinstance(value, dict):
        for item in value.values():
            walk(item, found, depth + 1)
        return
    name = type(value).__name__
    if type(value).__module__ != "mailauth":
        return
    found.setdefault(name, []).append(value)
    for attr in dir(value):
        if attr.startswith("_") or attr.isupper():
            continue
        member = getattr(value, attr)
        if not callable(member):
            walk(member, found, depth + 1)


def reachable() -> dict[str, list[object]]:
    found: dict[str, list[object]] = {}
    for value in results():
        walk(value, found)
    return found


def test_every_public_class_pickles_or_says_why_not() -> None:
    public = {name for name in mailauth.__all__ if inspect.isclass(getattr(mailauth, name)) and getattr(mailauth, name).__module__ == "mailauth"}
    picklable = set(mailauth._mailauth._picklable())
    assert picklable | set(NOT_PICKLABLE) == public
    assert not picklable & set(NOT_PICKLABLE)
    for name in NOT_PICKLABLE:
        with pytest.raises(TypeError):
            pickle.dumps(_instance(name))


def _instance(name: str) -> object:
    return {
        "ScanStream": mailauth.scan(["example.com"], resolver=ZONE),
        "DnsblBulk": mailauth.dnsbl_check_bulk([IP], [mailauth.DnsblList.builtin("spamhaus-zen")], resolver=ZONE),
        "DkimSigner": mailauth.DkimSigner.ed25519(mailauth.DkimSigner.generate_ed25519(), "example.com", "s"),
    }[name]


def test_every_result_round_trips() -> None:
    found = reachable()
    missing = set(mailauth._mailauth._picklable()) - set(found)
    assert not missing, f"no instance reached for {sorted(missing)}"
    for name, values in found.items():
        if name in NOT_PICKLABLE:
            continue
        for value in values:
            for copied in (pickle.loads(pickle.dumps(value)), copy.deepcopy(value), copy.copy(value)):
                assert type(copied) is type(value)
                assert copied.to_json() == value.to_json(), name  # type: ignore[attr-defined]
                if type(value).__repr__ is not object.__repr__:
                    assert repr(copied) == repr(value), name
            as_dict = value.to_dict()  # type: ignore[attr-defined]
            assert as_dict == json.loads(value.to_json())  # type: ignore[attr-defined]


def test_a_report_keeps_its_documented_json() -> None:
    report = mailauth.doctor_sync(IP, "example.com", "a@example.com", dnsbl_lists=[], resolver=ZONE)
    restored = pickle.loads(pickle.dumps(report))
    assert restored.to_json() == report.to_json()
    assert restored.to_dict()["worst"] == report.worst
    assert restored.to_text() == report.to_text()


def test_enums_equal_their_tokens() -> None:
    assert mailauth.SpfResult.PASS == "pass" and "pass" == mailauth.SpfResult.PASS
    assert mailauth.SpfResult.PASS != "fail" and mailauth.SpfResult.PASS != mailauth.SpfResult.FAIL
    assert mailauth.SpfResult.SOFTFAIL == mailauth.SpfResult.SOFTFAIL
    assert mailauth.DmarcResult.PERMERROR == "permerror"
    assert mailauth.IprevResult.TEMPERROR == "temperror"
    assert mailauth.Outcome.SERVER_FAILURE == "server-failure" and mailauth.Outcome.NXDOMAIN == "nxdomain"
    assert {mailauth.SpfResult.PASS: 1}["pass"] == 1  # type: ignore[index]
    assert hash(mailauth.Outcome.NODATA) == hash("nodata")
    assert mailauth.SpfResult.PASS != 2 and mailauth.SpfResult.PASS != b"pass"
    for enum in (mailauth.SpfResult, mailauth.DmarcResult, mailauth.IprevResult, mailauth.Outcome):
        for member in [getattr(enum, n) for n in dir(enum) if n.isupper()]:
            assert member == str(member)
            assert pickle.loads(pickle.dumps(member)) == member


def test_a_tampered_pickle_is_an_error_not_a_crash() -> None:
    restore = mailauth._mailauth._restore
    with pytest.raises(mailauth.InvalidInputError, match="no class"):
        restore("Nothing", "{}")
    with pytest.raises(mailauth.InvalidInputError, match="cannot restore"):
        restore("Resolver", "{}")
    with pytest.raises(mailauth.InvalidInputError, match="nameserver"):
        restore(
            "Resolver",
            '{"kind": "nameservers", "servers": ["nowhere"], "transport": "udp", "timeout": 1.0,'
            ' "attempts": 1, "cache": true, "udp_sockets": 1, "multiplex_public_servers": false}',
        )
    with pytest.raises(mailauth.InvalidInputError, match="attempts"):
        restore("Resolver", '{"kind": "system", "timeout": 1.0, "attempts": 1000000, "cache": true}')
    with pytest.raises(mailauth.InvalidInputError):
        restore("Resolver", '{"kind": "zone", "text": "x IN BOGUS 1", "faults": [], "latency": null}')
    with pytest.raises(mailauth.InvalidInputError, match="max_lookups"):
        restore("SpfVerifier", json.dumps({**json.loads(mailauth.SpfVerifier().to_json()), "max_lookups": 10**9}))
    with pytest.raises(mailauth.InvalidInputError, match="cannot restore"):
        restore("SpfOutput", '{"result": 7}')
    with pytest.raises(mailauth.InvalidInputError):
        restore("SpfResult", '"maybe"')


def test_a_resolver_travels_as_its_configuration() -> None:
    zone = mailauth.Resolver.from_zone(
        'example.com. TXT "v=spf1 -all"\n', faults=[("slow.example.com", "TXT", "timeout"), ("bad.example.com", None, 5)]
    )
    copied = pickle.loads(pickle.dumps(zone))
    assert copied is not zone and copied.query_count == 0
    assert copied.txt_sync("example.com").records[0].text == "v=spf1 -all"
    assert copied.txt_sync("slow.example.com").outcome == "timeout"
    assert copied.a_sync("bad.example.com").outcome == "server-failure"
    assert copied.to_dict()["faults"] == [["slow.example.com", "TXT", "timeout"], ["bad.example.com", None, 5]]
    servers = mailauth.Resolver.nameservers(["127.0.0.1:5353"], transport="tcp", timeout=1.5)
    assert pickle.loads(pickle.dumps(servers)).to_dict() == {
        "kind": "nameservers",
        "servers": ["127.0.0.1:5353"],
        "transport": "tcp",
        "timeout": 1.5,
        "attempts": 2,
        "cache": True,
        "udp_sockets": 2,
        "multiplex_public_servers": False,
    }
    # The process default travels as "the receiving process's default".
    assert mailauth.Resolver.default().to_dict() == {"kind": "default"}


def test_scan_reports_travel() -> None:
    (report,) = mailauth.scan(["example.com"], resolver=ZONE)
    copied = pickle.loads(pickle.dumps(report))
    assert copied.defects == report.defects and copied.spf == report.spf
    assert copied.to_csv_row() == report.to_csv_row()
