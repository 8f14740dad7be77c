"""mailauth: the questions a receiving mail server asks, answered as the RFCs say.

This release exposes the DNS layer every check stands on::

    import mailauth

    zone = mailauth.Resolver.from_zone('example.com. TXT "v=spf1 -all"\\n')
    answer = zone.txt_sync("example.com")
    assert answer.outcome is mailauth.Outcome.RECORDS
    assert answer.records[0].text == "v=spf1 -all"
"""

from __future__ import annotations

from mailauth._mailauth import (
    Answer,
    MxRecord,
    Outcome,
    Resolver,
    SpfOutput,
    SpfRecord,
    SpfResult,
    SpfVerdict,
    SpfVerifier,
    TxtRecord,
    __version__,
)
from mailauth.exceptions import (
    InvalidInputError,
    MailauthError,
    ResolverConfigError,
    SpfParseError,
    ZoneParseError,
)

__all__ = [
    "Answer",
    "InvalidInputError",
    "MailauthError",
    "MxRecord",
    "Outcome",
    "Resolver",
    "ResolverConfigError",
    "SpfOutput",
    "SpfParseError",
    "SpfRecord",
    "SpfResult",
    "SpfVerdict",
    "SpfVerifier",
    "TxtRecord",
    "ZoneParseError",
    "__version__",
]
