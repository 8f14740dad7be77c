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
    ForwardCheck,
    HeloReport,
    IprevOutput,
    IprevResult,
    MailDomainReport,
    MxRecord,
    Outcome,
    PostfixClient,
    Resolver,
    SpfOutput,
    SpfRecord,
    SpfResult,
    SpfVerdict,
    SpfVerifier,
    TxtRecord,
    Verdict,
    __version__,
    check_helo,
    check_helo_sync,
    check_mail_domain,
    check_mail_domain_sync,
    iprev,
    iprev_sync,
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
    "ForwardCheck",
    "HeloReport",
    "IprevOutput",
    "IprevResult",
    "MailDomainReport",
    "InvalidInputError",
    "MailauthError",
    "MxRecord",
    "Outcome",
    "PostfixClient",
    "Resolver",
    "ResolverConfigError",
    "SpfOutput",
    "SpfParseError",
    "SpfRecord",
    "SpfResult",
    "SpfVerdict",
    "SpfVerifier",
    "TxtRecord",
    "Verdict",
    "ZoneParseError",
    "__version__",
    "check_helo",
    "check_helo_sync",
    "check_mail_domain",
    "check_mail_domain_sync",
    "iprev",
    "iprev_sync",
]
