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
    DnsblList,
    DnsblListResult,
    DnsblReport,
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
    ZoneHealthReport,
    __version__,
    check_helo,
    check_helo_sync,
    check_mail_domain,
    check_mail_domain_sync,
    dnsbl_check,
    dnsbl_check_bulk,
    dnsbl_check_sync,
    dnsbl_zone_health,
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
    "DnsblList",
    "DnsblListResult",
    "DnsblReport",
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
    "ZoneHealthReport",
    "ZoneParseError",
    "__version__",
    "check_helo",
    "check_helo_sync",
    "check_mail_domain",
    "check_mail_domain_sync",
    "dnsbl_check",
    "dnsbl_check_bulk",
    "dnsbl_check_sync",
    "dnsbl_zone_health",
    "iprev",
    "iprev_sync",
]
