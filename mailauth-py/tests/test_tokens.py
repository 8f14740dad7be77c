"""One spelling per value (issue 12): the ``Literal`` aliases of
``mailauth.tokens`` (the stubs' types) and the Python enums use exactly the
tokens the core uses in ``Display``,
``FromStr`` and JSON (``mailauth._mailauth._tokens()`` reads the core's
tables). A token added, renamed or dropped on either side fails here."""

from __future__ import annotations

from typing import get_args

import mailauth
from mailauth import _mailauth, tokens

# The stub names the doctor's verdict DoctorVerdict (helo's is Verdict).
ALIAS_NAMES = {"DoctorVerdict": "Verdict"}


def test_literal_aliases_are_the_core_tokens() -> None:
    core = _mailauth._tokens()
    aliases = {name.removesuffix("Token"): getattr(tokens, name) for name in tokens.__all__}
    assert len(aliases) == 32
    for name, alias in aliases.items():
        key = ALIAS_NAMES.get(name, name)
        assert key in core, f"{name}Token has no core enum"
        assert list(get_args(alias)) == core[key], f"{name}Token: {get_args(alias)} != {core[key]}"


def test_python_enums_print_the_core_tokens() -> None:
    core = _mailauth._tokens()
    for enum in (mailauth.SpfResult, mailauth.IprevResult, mailauth.DmarcResult):
        members = [value for name, value in vars(enum).items() if name.isupper()]
        assert sorted(str(m) for m in members) == sorted(core[enum.__name__]), enum.__name__


def test_values_python_returns_are_tokens() -> None:
    zone = mailauth.Resolver.from_zone('_dmarc.example.org. TXT "v=DMARC1; p=reject; psd=n; adkim=s"\n')
    record = mailauth.DmarcRecord.parse("v=DMARC1; p=reject; psd=n; adkim=s")
    core = _mailauth._tokens()
    assert record.psd in core["PsdFlag"] and record.adkim in core["AlignmentMode"]
    out = mailauth.dmarc_evaluate_sync("example.org", spf=("example.org", "pass"), resolver=zone)
    assert out.spf is not None and out.spf.alignment in core["Alignment"]
    helo = mailauth.check_helo_sync("192.0.2.1", "x", resolver=zone)
    assert helo.matches_ptr.status in core["CheckStatus"]
    report = mailauth.check_mail_domain_sync("example.org", "recipient", resolver=zone)
    assert report.role == "recipient"
    assert mailauth.DnsblList("x", "dnsbl.test", kind="domain", policy="allow").kind == "domain"
