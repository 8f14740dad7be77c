"""SPF with pyspf's calling convention, so that pyspf users can switch by
changing one import::

    import mailauth.spf as spf            # was: import spf
    result, explanation = spf.check2(i="192.0.2.1", s="alice@example.com", h="mail.example.com")

Results are pyspf's lower-case strings: ``pass``, ``fail``, ``softfail``,
``neutral``, ``none``, ``temperror``, ``permerror``. Checks use the system
resolver unless a ``mailauth.Resolver`` is given.
"""

from __future__ import annotations

from mailauth._mailauth import Resolver, SpfOutput, SpfVerifier

__all__ = ["check", "check2"]

_SMTP_CODES = {"fail": 550, "permerror": 550, "temperror": 451}


# One verifier, and one system resolver, per timeout, built on first use.
_verifiers: dict[float, SpfVerifier] = {}
_system_resolvers: dict[float, Resolver] = {}


def _check_mail_from(i: str, s: str, h: str, resolver: Resolver | None, timeout: float) -> SpfOutput:
    if timeout not in _verifiers:
        _verifiers[timeout] = SpfVerifier(deadline=max(timeout * 4, 20.0))
    if resolver is None:
        if timeout not in _system_resolvers:
            _system_resolvers[timeout] = Resolver.system(timeout=timeout)
        resolver = _system_resolvers[timeout]
    return _verifiers[timeout].check_mail_from_sync(i, s, h, resolver=resolver)


def check2(
    i: str, s: str, h: str, *, resolver: Resolver | None = None, timeout: float = 20.0
) -> tuple[str, str]:
    """check_host() for MAIL FROM ``s`` (the HELO ``h`` when ``s`` is empty)
    from client IP ``i``: ``(result, explanation)``. The explanation is the
    domain's on ``fail``, otherwise a sentence saying why."""
    out = _check_mail_from(i, s, h, resolver, timeout)
    return str(out.result), out.explanation or out.cause


def check(
    i: str, s: str, h: str, *, resolver: Resolver | None = None, timeout: float = 20.0
) -> tuple[str, int, str]:
    """Like ``check2``, with pyspf's SMTP reply code: ``(result, code,
    explanation)``; 550 for fail and permerror, 451 for temperror, else 250."""
    result, explanation = check2(i, s, h, resolver=resolver, timeout=timeout)
    return result, _SMTP_CODES.get(result, 250), explanation
