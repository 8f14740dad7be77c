"""mailauth: the questions a receiving mail server asks, answered as the RFCs say.

- SPF (RFC 7208): ``SpfVerifier`` (its configuration and a cache of parsed
  records) with ``check_mail_from``, ``check_helo``, ``check_host`` and
  ``check``; ``SpfRecord.parse``.
- iprev (RFC 8601 section 3): ``iprev``; the HELO name: ``check_helo``;
  does a domain receive mail: ``check_mail_domain``.
- DNS blocklists (RFC 5782): ``DnsblList``, ``dnsbl_check``,
  ``dnsbl_check_bulk``, ``dnsbl_zone_health``.
- DKIM (RFC 6376, RFC 8463, RFC 8301): ``dkim_verify``, ``DkimSigner``,
  ``DkimKeyRecord.parse``.
- A whole received message: ``authenticate`` runs SPF, DKIM, iprev and
  DMARC (with the real DKIM results) and renders the
  ``Authentication-Results:`` field.
- DMARC (RFC 9989): ``DmarcRecord.parse`` and ``.validate``,
  ``dmarc_discover``, ``dmarc_evaluate``, ``dmarc_report_destinations``.
- Posture scans of many domains: ``scan`` (SPF audit, DMARC, MX and
  FCrDNS, MTA-STS, TLS-RPT, BIMI, DKIM keys), with ``for`` or ``async for``;
  results pickle, so they travel to Dask workers and back.
- The doctor: ``doctor`` and ``doctor_domain``, what receivers will conclude
  about a sending setup and what to change; ``doctor_bounce`` the same for
  the setup a bounce describes (``read_bounce`` reads one: who refused, the
  reply, the reason as a stable code), ``doctor_headers`` for a received
  message's header section, next to the results its receiver recorded.

Every check is an ``async`` function with a blocking ``_sync`` twin, and
asks DNS through the keyword ``resolver=``; without it, through
``Resolver.default()``, the system's nameservers shared by the process
(``Resolver.set_default`` chooses another). ``Resolver()`` is a system
resolver of its own, ``Resolver.nameservers([...])`` asks others, and
``Resolver.from_zone(text)`` answers from zone-file text, offline::

    import mailauth

    zone = mailauth.Resolver.from_zone('example.com. TXT "v=spf1 -all"\\n')
    answer = zone.txt_sync("example.com")
    assert answer.outcome is mailauth.Outcome.RECORDS
    assert answer.records[0].text == "v=spf1 -all"

DNS outcomes are values, never exceptions; errors are ``MailauthError``
(see ``mailauth.exceptions``); the strings returned for enumerated values
have ``Literal`` types in ``mailauth.tokens``.
"""

from __future__ import annotations

from mailauth._mailauth import (
    Answer,
    AuthOutput,
    Bounce,
    DkimKeyRecord,
    DkimOutput,
    DkimSignatureResult,
    DkimSigner,
    DmarcDiagnostic,
    DmarcDiscovery,
    DmarcOutput,
    DmarcRecord,
    DmarcResult,
    DmarcValidation,
    DnsblBulk,
    DnsblList,
    DnsblListResult,
    DnsblReport,
    DoctorFinding,
    DoctorFix,
    DoctorRecord,
    DoctorReport,
    DomainScan,
    ForwardCheck,
    HeloCheck,
    HeloReport,
    IdentifierCheck,
    IprevOutput,
    IprevResult,
    MailDomainReport,
    MxRecord,
    Outcome,
    PostfixClient,
    ReportDestination,
    ReportUri,
    Resolver,
    ScanStream,
    SpfOutput,
    SpfRecord,
    SpfResult,
    SpfVerdict,
    SpfVerifier,
    TxtRecord,
    ZoneHealthReport,
    authenticate,
    authenticate_sync,
    check_helo,
    check_helo_sync,
    check_mail_domain,
    check_mail_domain_sync,
    dkim_verify,
    dkim_verify_sync,
    dmarc_discover,
    dmarc_discover_sync,
    dmarc_evaluate,
    dmarc_evaluate_sync,
    dmarc_report_destinations,
    dmarc_report_destinations_sync,
    dnsbl_check,
    dnsbl_check_bulk,
    dnsbl_check_sync,
    dnsbl_zone_health,
    doctor,
    doctor_bounce,
    doctor_bounce_sync,
    doctor_domain,
    doctor_domain_sync,
    doctor_headers,
    doctor_headers_sync,
    doctor_sync,
    iprev,
    iprev_sync,
    read_bounce,
    scan,
    __version__,
)
from mailauth.exceptions import (
    DmarcParseError,
    InvalidInputError,
    MailauthError,
    ResolverConfigError,
    SpfParseError,
    ZoneParseError,
)

__all__ = [
    "Answer",
    "AuthOutput",
    "Bounce",
    "DkimKeyRecord",
    "DkimOutput",
    "DkimSignatureResult",
    "DkimSigner",
    "DmarcDiagnostic",
    "DmarcDiscovery",
    "DmarcOutput",
    "DmarcParseError",
    "DmarcRecord",
    "DmarcResult",
    "DmarcValidation",
    "DnsblBulk",
    "DnsblList",
    "DnsblListResult",
    "DnsblReport",
    "DoctorFinding",
    "DoctorFix",
    "DoctorRecord",
    "DoctorReport",
    "DomainScan",
    "ForwardCheck",
    "HeloCheck",
    "HeloReport",
    "IdentifierCheck",
    "InvalidInputError",
    "IprevOutput",
    "IprevResult",
    "MailDomainReport",
    "MailauthError",
    "MxRecord",
    "Outcome",
    "PostfixClient",
    "ReportDestination",
    "ReportUri",
    "Resolver",
    "ResolverConfigError",
    "ScanStream",
    "SpfOutput",
    "SpfParseError",
    "SpfRecord",
    "SpfResult",
    "SpfVerdict",
    "SpfVerifier",
    "TxtRecord",
    "ZoneHealthReport",
    "ZoneParseError",
    "authenticate",
    "authenticate_sync",
    "check_helo",
    "check_helo_sync",
    "check_mail_domain",
    "check_mail_domain_sync",
    "dkim_verify",
    "dkim_verify_sync",
    "dmarc_discover",
    "dmarc_discover_sync",
    "dmarc_evaluate",
    "dmarc_evaluate_sync",
    "dmarc_report_destinations",
    "dmarc_report_destinations_sync",
    "dnsbl_check",
    "dnsbl_check_bulk",
    "dnsbl_check_sync",
    "dnsbl_zone_health",
    "doctor",
    "doctor_bounce",
    "doctor_bounce_sync",
    "doctor_domain",
    "doctor_domain_sync",
    "doctor_headers",
    "doctor_headers_sync",
    "doctor_sync",
    "iprev",
    "iprev_sync",
    "read_bounce",
    "scan",
    "__version__",
]
