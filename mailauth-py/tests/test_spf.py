"""SPF from Python: every result value, the pyspf-shaped helpers, parsing
and bad input."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import pickle

import pytest

import mailauth
import mailauth.spf as spf
from mailauth import SpfResult

ZONE = """
$ORIGIN example.test.
pass        TXT "v=spf1 ip4:192.0.2.0/24 -all"
fail        TXT "v=spf1 -all exp=why.example.test."
why         TXT "%{i} may not send for %{d}"
softfail    TXT "v=spf1 ~all"
neutral     TXT "v=spf1 ?all"
norecord    TXT "just text"
broken      TXT "v=spf1 ip4:192.0.2.300 -all"
two         TXT "v=spf1 -all"
two         TXT "v=spf1 +all"
relay       TXT "v=spf1 " "include:isp.test -all"
helo        TXT "v=spf1 a -all"
helo        A   192.0.2.7
$ORIGIN isp.test.
@           TXT "v=spf1 ip4:198.51.100.0/24 -all"
$ORIGIN example.test.
"""


DNS = mailauth.Resolver.from_zone(ZONE, faults=[("temp.example.test", "TXT", "timeout")])


@pytest.fixture
def verifier() -> mailauth.SpfVerifier:
    return mailauth.SpfVerifier(default_explanation="DEFAULT", trace=True)


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("a@pass.example.test", SpfResult.PASS),
        ("a@fail.example.test", SpfResult.FAIL),
        ("a@softfail.example.test", SpfResult.SOFTFAIL),
        ("a@neutral.example.test", SpfResult.NEUTRAL),
        ("a@norecord.example.test", SpfResult.NONE),
        ("a@nowhere.example.test", SpfResult.NONE),
        ("a@temp.example.test", SpfResult.TEMPERROR),
        ("a@broken.example.test", SpfResult.PERMERROR),
        ("a@two.example.test", SpfResult.PERMERROR),
    ],
)
def test_every_result(verifier: mailauth.SpfVerifier, sender: str, expected: SpfResult) -> None:
    out = verifier.check_mail_from_sync("192.0.2.1", sender, "mail.example.test", resolver=DNS)
    assert out.result == expected, out.cause
    assert str(out.result) == str(expected)


def test_output_details(verifier: mailauth.SpfVerifier) -> None:
    out = verifier.check_mail_from_sync("192.0.2.1", "a@fail.example.test", "mail.example.test", resolver=DNS)
    assert out.matched == "-all"
    assert out.domain == "fail.example.test"
    assert out.explanation == "192.0.2.1 may not send for fail.example.test"
    assert out.lookups == 0 and out.void_lookups == 0
    assert any("record: v=spf1 -all" in step for step in out.trace)
    broken = verifier.check_mail_from_sync("192.0.2.1", "a@broken.example.test", "h.example.test", resolver=DNS)
    assert broken.error == "Syntax" and "invalid IPv4 network" in broken.cause


def test_relay_through_include(verifier: mailauth.SpfVerifier) -> None:
    relayed = verifier.check_mail_from_sync("198.51.100.25", "a@relay.example.test", "smtp.isp.test", resolver=DNS)
    assert relayed.result == SpfResult.PASS and relayed.lookups == 1
    own = verifier.check_mail_from_sync("192.0.2.1", "a@relay.example.test", "smtp.isp.test", resolver=DNS)
    assert own.result == SpfResult.FAIL and own.explanation == "DEFAULT"


def test_helo_identity_and_null_sender(verifier: mailauth.SpfVerifier) -> None:
    ip = ipaddress.IPv4Address("192.0.2.7")
    assert verifier.check_helo_sync(ip, "helo.example.test", resolver=DNS).result == SpfResult.PASS
    # The null reverse-path checks the HELO identity (RFC 7208 §2.4).
    assert verifier.check_mail_from_sync(ip, "", "helo.example.test", resolver=DNS).result == SpfResult.PASS
    raw = verifier.check_host_sync("192.0.2.1", "pass.example.test", "x@pass.example.test", "h", resolver=DNS)
    assert raw.result == SpfResult.PASS


async def test_async_checks(verifier: mailauth.SpfVerifier) -> None:
    outs = await asyncio.gather(
        verifier.check_mail_from("192.0.2.1", "a@pass.example.test", "h.example.test", resolver=DNS),
        verifier.check_helo("192.0.2.7", "helo.example.test", resolver=DNS),
        verifier.check_host("192.0.2.9", "softfail.example.test", "a@softfail.example.test", "h", resolver=DNS),
    )
    assert [o.result for o in outs] == [SpfResult.PASS, SpfResult.PASS, SpfResult.SOFTFAIL]


def test_headers(verifier: mailauth.SpfVerifier) -> None:
    out = verifier.check_mail_from_sync("192.0.2.1", "a@pass.example.test", "h.example.test", resolver=DNS)
    received = out.received_spf("mx.receiver.test")
    assert received.startswith("pass (mx.receiver.test: matched ip4:192.0.2.0/24")
    assert 'envelope-from="a@pass.example.test"' in received and "identity=mailfrom;" in received
    assert out.authentication_results() == "spf=pass smtp.mailfrom=a@pass.example.test"
    hostile = verifier.check_mail_from_sync("192.0.2.1", "a\r\nX-Evil: 1@pass.example.test", "h\r\n", resolver=DNS)
    for text in (hostile.received_spf("r\n"), hostile.authentication_results()):
        assert "\r" not in text and "\n" not in text


def test_pyspf_shaped_helpers() -> None:
    zone = mailauth.Resolver.from_zone(ZONE)
    assert spf.check2(i="192.0.2.1", s="a@pass.example.test", h="h", resolver=zone)[0] == "pass"
    result, explanation = spf.check2(i="192.0.2.1", s="a@fail.example.test", h="h", resolver=zone)
    assert (result, explanation) == ("fail", "192.0.2.1 may not send for fail.example.test")
    assert spf.check(i="192.0.2.1", s="a@fail.example.test", h="h", resolver=zone)[1] == 550
    assert spf.check(i="192.0.2.1", s="a@pass.example.test", h="h", resolver=zone)[1] == 250
    assert spf.check(i="192.0.2.1", s="a@broken.example.test", h="h", resolver=zone)[:2] == ("permerror", 550)


def test_record_parsing() -> None:
    record = mailauth.SpfRecord.parse("V=SPF1 +mx  include:_spf.example.test REDIRECT=x.example.test")
    assert str(record) == "v=spf1 mx include:_spf.example.test redirect=x.example.test"
    assert record.terms == ["mx", "include:_spf.example.test", "redirect=x.example.test"]
    assert record.redirect == "x.example.test" and record.exp is None
    assert mailauth.SpfRecord.parse(str(record)) == record


@pytest.mark.parametrize(
    ("text", "offset"),
    [("v=spf1 ip4:192.0.2.300", 11), ("v=spf1 a/33", 9), ("v=spf1 foo", 7), ("spf1", 0), ("v=spf1 a:%{x}.test", 11)],
)
def test_parse_errors(text: str, offset: int) -> None:
    with pytest.raises(mailauth.SpfParseError) as caught:
        mailauth.SpfRecord.parse(text)
    assert caught.value.offset == offset
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, mailauth.MailauthError)
    assert caught.value.kind


@pytest.mark.parametrize("bad", ["192.0.2.300", "", "mail.example.test"])
def test_bad_ip(verifier: mailauth.SpfVerifier, bad: str) -> None:
    with pytest.raises(mailauth.InvalidInputError):
        verifier.check_mail_from_sync(bad, "a@pass.example.test", "h", resolver=DNS)


def test_bad_options() -> None:
    with pytest.raises(mailauth.InvalidInputError, match="deadline"):
        mailauth.SpfVerifier(deadline=0)
    with pytest.raises(mailauth.InvalidInputError, match="default explanation"):
        mailauth.SpfVerifier(default_explanation="%{x}")


async def test_combined_check(verifier: mailauth.SpfVerifier) -> None:
    verdict = verifier.check_sync("192.0.2.7", "a@fail.example.test", "helo.example.test", resolver=DNS)
    assert verdict.helo.result == SpfResult.PASS
    assert verdict.mail_from is not None and verdict.mail_from.result == SpfResult.FAIL
    assert (verdict.identity, verdict.result) == ("mailfrom", SpfResult.FAIL)
    conclusive = await verifier.check("192.0.2.9", "a@pass.example.test", "helo.example.test", resolver=DNS)
    assert conclusive.helo.result == SpfResult.FAIL and conclusive.mail_from is None
    assert conclusive.identity == "helo"
    null_sender = verifier.check_sync("192.0.2.7", "", "helo.example.test", resolver=DNS)
    assert (null_sender.result, null_sender.mail_from) == (SpfResult.PASS, None)


def test_speculative_lookups_give_the_same_output_with_queries_in_parallel() -> None:
    includes = "abcdef"
    zone = 'many.test. TXT "v=spf1 ' + " ".join(f"include:{c}.test" for c in includes) + ' -all"\n'
    zone += "".join(f'{c}.test. TXT "v=spf1 ip4:192.0.2.{n} -all"\n' for n, c in enumerate(includes))
    outputs = {}
    for speculate in (True, False):
        # Answers come 10 ms late, so queries sent together are in flight together.
        slow = mailauth.Resolver.from_zone(zone, latency=0.01)
        verifier = mailauth.SpfVerifier(speculate=speculate)
        out = verifier.check_mail_from_sync("192.0.2.5", "a@many.test", "h.test", resolver=slow)
        outputs[speculate] = (out, slow.query_count, slow.peak_in_flight)
    (ahead, ahead_queries, ahead_peak), (sequential, sequential_queries, sequential_peak) = outputs[True], outputs[False]
    assert ahead.result == sequential.result == SpfResult.PASS
    assert ahead.to_dict() == sequential.to_dict()
    assert ahead_queries == sequential_queries == 7
    # The record, then the six includes' records.
    assert ahead.round_trips == sequential.round_trips == 2
    # The six includes' records are asked together once the first record is in.
    assert (ahead_peak, sequential_peak) == (6, 1)
    # The switch travels with the verifier.
    restored = pickle.loads(pickle.dumps(mailauth.SpfVerifier(speculate=False)))
    assert json.loads(restored.to_json())["speculate"] is False
