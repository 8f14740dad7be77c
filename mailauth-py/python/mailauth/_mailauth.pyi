"""Type stubs of the native module (checked by mypy.stubtest)."""

import ipaddress
from collections.abc import Awaitable, Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, final

from mailauth.tokens import (
    AddressRoleToken,
    AlignmentModeToken,
    AlignmentToken,
    BounceInputToken,
    BounceReasonToken,
    BounceReceiverToken,
    CheckKindToken,
    CheckStatusToken,
    DkimAlgorithmToken,
    DkimKeyLintToken,
    DkimKeyTypeToken,
    DkimReasonToken,
    DkimResultToken,
    DoctorVerdictToken,
    ListKindToken,
    ListPolicyToken,
    ListingCategoryToken,
    OriginToken,
    PeerStatusToken,
    PolicySourceToken,
    PolicyToken,
    PsdFlagToken,
    RecordTypeToken,
    ScanDefectToken,
    ScanSeverityToken,
    ReportTagToken,
    SetupFieldToken,
    SeverityToken,
    SmtpStageToken,
    SpfIdentityToken,
    TransportToken,
)

__version__: str
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
    "IprevOutput",
    "IprevResult",
    "MailDomainReport",
    "MxRecord",
    "Outcome",
    "PostfixClient",
    "ReportDestination",
    "ReportUri",
    "Resolver",
    "ScanStream",
    "SpfOutput",
    "SpfRecord",
    "SpfResult",
    "SpfVerdict",
    "SpfVerifier",
    "TxtRecord",
    "ZoneHealthReport",
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
    "_cli",
    "_picklable",
    "_restore",
    "_tokens",
    "__version__",
]

def _tokens() -> dict[str, list[str]]:
    """Every token enum the Python API speaks, by the core's type name."""

def _picklable() -> list[str]:
    """The classes that pickle, by name (for the test that holds every
    public class to pickling or to a reason it does not).
    """

def _restore(name: str, state: str) -> object:
    """Rebuilds a pickled object from its class name and serde form."""

def _cli(args: Sequence[str]) -> int:
    """Runs the `mailauth` command on `args` (without the program name), with
    the GIL released, and returns its exit code: the console script and
    `python -m mailauth`.
    """

@final
class Outcome:
    """How a lookup ended."""

    RECORDS: ClassVar[Outcome]
    NXDOMAIN: ClassVar[Outcome]
    NODATA: ClassVar[Outcome]
    TIMEOUT: ClassVar[Outcome]
    SERVER_FAILURE: ClassVar[Outcome]
    INVALID_NAME: ClassVar[Outcome]
    def __int__(self) -> int: ...
    def __eq__(self, value: object, /) -> bool: ...
    @property
    def is_void(self) -> bool:
        """NXDOMAIN or NODATA: a void lookup in the sense of RFC 7208 §4.6.4."""
    @property
    def is_temporary(self) -> bool:
        """A timeout or server failure: asking later may answer otherwise."""
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class TxtRecord:
    """One TXT record."""

    @property
    def strings(self) -> list[bytes]:
        """The character-strings, as sent."""
    @property
    def joined(self) -> bytes:
        """The strings joined without separators, as SPF and DMARC read them."""
    @property
    def text(self) -> str:
        """The joined strings decoded as UTF-8, invalid bytes replaced."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class MxRecord:
    """One MX record."""

    @property
    def preference(self) -> int:
        """Lower is preferred."""
    @property
    def exchange(self) -> str:
        """The exchange, without a trailing dot; `""` for a null MX (RFC 7505)."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

Record = TxtRecord | MxRecord | ipaddress.IPv4Address | ipaddress.IPv6Address | str

@final
class Answer:
    """The answer to one lookup: an outcome and its records."""

    @property
    def outcome(self) -> Outcome:
        """How the lookup ended."""
    @property
    def detail(self) -> str | None:
        """For anything but records: a sentence saying what happened."""
    @property
    def rcode(self) -> int | None:
        """For a server failure with an error RCODE: its number (2 SERVFAIL,
        5 REFUSED, ...).
        """
    @property
    def records(self) -> list[Record]:
        """The records: `TxtRecord`, `ipaddress.IPv4Address`,
        `ipaddress.IPv6Address`, `MxRecord` or `str` (PTR); empty unless the
        outcome is `Outcome.RECORDS`.
        """
    def __len__(self) -> int: ...
    def __bool__(self) -> bool: ...
    def __iter__(self) -> Iterator[Record]: ...
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

IpLike = str | ipaddress.IPv4Address | ipaddress.IPv6Address
Fault = str | int

@final
class Resolver:
    """A DNS resolver: real nameservers or an in-memory zone."""

    def __new__(cls) -> Resolver:
        """The system's nameservers (/etc/resolv.conf) with the defaults."""
        ...
    @staticmethod
    def default() -> Resolver:
        """The resolver of every check called without `resolver=`: one system
        resolver (as `Resolver()`) shared by every caller in the process,
        built on first use so that its cache serves them all, unless
        `Resolver.set_default` chose another.
        """
    @staticmethod
    def set_default(resolver: Resolver | None) -> None:
        """Makes `resolver` the default of every check called without
        `resolver=` in this process (`Resolver.default()` returns it); `None`
        restores the shared system resolver.
        """
    @staticmethod
    def system(*, timeout: float = 5.0, attempts: int = 2, cache: bool = True) -> Resolver:
        """A resolver using the system's nameservers (`/etc/resolv.conf`)."""
    @staticmethod
    def nameservers(
        servers: Sequence[str],
        *,
        transport: TransportToken = "udp",
        timeout: float = 5.0,
        attempts: int = 2,
        cache: bool = True,
        udp_sockets: int = 2,
        multiplex_public_servers: bool = False,
    ) -> Resolver:
        """A resolver asking these nameservers, each `"IP:PORT"` (IPv6 as
        `"[::1]:53"`) or a bare IP for port 53. `transport` is `"udp"` (with
        TCP fallback on truncation), `"tcp"`, or `"udp-multiplexed"`: many
        queries on a few long-lived UDP sockets, for bulk work such as DNSBL
        checks towards a trusted local resolver (no cache, no fresh source
        port per query; a lost query is sent again once its answer is
        overdue by the measured round-trip time, at least 50 ms, instead of
        after `timeout`). `udp_sockets` is the number of those sockets per
        nameserver (at least 1). The multiplexed transport asks only
        nameservers on loopback or a private network (its few source ports
        leave the 16-bit ID as the only defence against forged answers)
        unless `multiplex_public_servers` is true.
        """
    @staticmethod
    def from_zone(
        text: str,
        *,
        faults: Sequence[tuple[str, str | None, Fault]] = ...,
        latency: float | None = None,
    ) -> Resolver:
        """An in-memory resolver answering from RFC 1035 zone-file text.

        `faults` makes some queries fail: `(name, type or None, fault)`, the
        type `"A"`, `"AAAA"`, `"MX"`, `"PTR"` or `"TXT"` (None: every type),
        the fault `"timeout"`, `"servfail"`, `"refused"` or an RCODE number.
        `latency` (seconds) delays every answer.
        """
    def txt(self, name: str) -> Awaitable[Answer]:
        """TXT records of `name` (awaitable)."""
    def a(self, name: str) -> Awaitable[Answer]:
        """IPv4 addresses of `name` (awaitable)."""
    def aaaa(self, name: str) -> Awaitable[Answer]:
        """IPv6 addresses of `name` (awaitable)."""
    def mx(self, name: str) -> Awaitable[Answer]:
        """MX records of `name`, lowest preference first (awaitable)."""
    def ptr(self, ip: IpLike) -> Awaitable[Answer]:
        """PTR names of `ip` (awaitable)."""
    def txt_sync(self, name: str) -> Answer:
        """TXT records of `name`, blocking."""
    def a_sync(self, name: str) -> Answer:
        """IPv4 addresses of `name`, blocking."""
    def aaaa_sync(self, name: str) -> Answer:
        """IPv6 addresses of `name`, blocking."""
    def mx_sync(self, name: str) -> Answer:
        """MX records of `name`, blocking."""
    def ptr_sync(self, ip: IpLike) -> Answer:
        """PTR names of `ip`, blocking."""
    @property
    def query_count(self) -> int:
        """In-memory resolvers: how many queries were asked."""
    @property
    def peak_in_flight(self) -> int:
        """In-memory resolvers: the most queries in flight at once."""
    def reset_counters(self) -> None:
        """In-memory resolvers: set the counters back to zero."""

    def cached(self, *, max_entries: int = 100_000) -> Resolver:
        """This resolver behind a cache shared by everything that uses the
        returned resolver: answers kept for their TTL (NXDOMAIN and NODATA
        for the negative TTL of the zone's SOA, RFC 2308), at most
        `max_entries` of them, and questions in flight coalesced (many
        concurrent checks that need one record send one query). `scan`
        uses one of its own unless `cache=False`.
        """
    @property
    def cache_stats(self) -> dict[str, int] | None:
        """For `Resolver.cached` resolvers: the cache's counters so far
        (`hits`, `misses`, `coalesced`, `evictions`, `entries`); `None`
        otherwise.
        """
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """
@final
class SpfResult:
    """The result of check_host(), RFC 7208 §2.6; ``str()`` is the token."""

    NONE: ClassVar[SpfResult]
    NEUTRAL: ClassVar[SpfResult]
    PASS: ClassVar[SpfResult]
    FAIL: ClassVar[SpfResult]
    SOFTFAIL: ClassVar[SpfResult]
    TEMPERROR: ClassVar[SpfResult]
    PERMERROR: ClassVar[SpfResult]
    def __int__(self) -> int: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class SpfRecord:
    """A parsed SPF record; ``str()`` is the canonical text."""

    @staticmethod
    def parse(text: str) -> SpfRecord:
        """Parses record text; raises `SpfParseError` (a `ValueError`) with
        `.offset` and `.kind` when it is not a valid SPF record.
        """
    @property
    def terms(self) -> list[str]:
        """The terms, each in canonical text."""
    @property
    def redirect(self) -> str | None:
        """The `redirect=` target, if any."""
    @property
    def exp(self) -> str | None:
        """The `exp=` domain, if any."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class SpfOutput:
    """What check_host() found."""

    @property
    def result(self) -> SpfResult:
        """The result."""
    @property
    def explanation(self) -> str | None:
        """On `fail`, the explanation; otherwise `None`."""
    @property
    def matched(self) -> str | None:
        """The directive that matched, in canonical text, if any."""
    @property
    def domain(self) -> str | None:
        """The domain whose record decided (or where the error arose)."""
    @property
    def error(self) -> str | None:
        """For temperror and permerror: what went wrong, as a short token
        (`Syntax`, `LookupLimit`, `Dns`, ...).
        """
    @property
    def cause(self) -> str:
        """A one-line explanation of the cause."""
    @property
    def lookups(self) -> int:
        """DNS-querying terms evaluated."""
    @property
    def void_lookups(self) -> int:
        """Void lookups seen."""
    @property
    def round_trips(self) -> int:
        """The longest chain of DNS questions each of which needed the answer
        of the one before: the fewest round trips any evaluation needs.
        """
    @property
    def trace(self) -> list[str]:
        """The step-by-step trace (when the verifier traces)."""
    def received_spf(self, receiver: str) -> str:
        """The `Received-SPF:` field value (RFC 7208 §9.1)."""
    def authentication_results(self) -> str:
        """The `spf=` method of `Authentication-Results:` (RFC 8601)."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class SpfVerdict:
    """Both identities, HELO first (RFC 7208 §2.3, §2.4)."""

    @property
    def helo(self) -> SpfOutput:
        """The HELO identity's output."""
    @property
    def mail_from(self) -> SpfOutput | None:
        """The MAIL FROM identity's output; `None` when the HELO result was
        `fail` (conclusive) or the reverse-path was null.
        """
    @property
    def identity(self) -> SpfIdentityToken:
        """The deciding identity: `"mailfrom"` or `"helo"`."""
    @property
    def result(self) -> SpfResult:
        """The deciding result."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class SpfVerifier:
    """Checks SPF (RFC 7208) through a ``Resolver``."""

    def __new__(
        cls,
        *,
        max_lookups: int = 10,
        max_void_lookups: int = 2,
        max_mx_names: int = 10,
        max_ptr_names: int = 10,
        deadline: float = 20.0,
        default_explanation: str | None = None,
        receiver: str = "unknown",
        trace: bool = False,
        record_cache_size: int = 1024,
        speculate: bool = True,
    ) -> SpfVerifier: ...
    def check_mail_from(
        self,
        ip: IpLike,
        mail_from: str,
        helo: str,
        *,
        resolver: Resolver | None = None,
    ) -> Awaitable[SpfOutput]:
        """check_host() for the MAIL FROM identity (the HELO identity when
        `mail_from` is empty), awaitable.
        """
    def check_helo(
        self,
        ip: IpLike,
        helo: str,
        *,
        resolver: Resolver | None = None,
    ) -> Awaitable[SpfOutput]:
        """check_host() for the HELO identity, awaitable."""
    def check_host(
        self,
        ip: IpLike,
        domain: str,
        sender: str,
        helo: str,
        *,
        resolver: Resolver | None = None,
    ) -> Awaitable[SpfOutput]:
        """The raw check_host(ip, domain, sender), awaitable."""
    def check(
        self,
        ip: IpLike,
        mail_from: str,
        helo: str,
        *,
        resolver: Resolver | None = None,
    ) -> Awaitable[SpfVerdict]:
        """Both identities, HELO first (RFC 7208 §2.3, §2.4), awaitable."""
    def check_sync(
        self,
        ip: IpLike,
        mail_from: str,
        helo: str,
        *,
        resolver: Resolver | None = None,
    ) -> SpfVerdict:
        """`check`, blocking (GIL released)."""
    def check_mail_from_sync(
        self,
        ip: IpLike,
        mail_from: str,
        helo: str,
        *,
        resolver: Resolver | None = None,
    ) -> SpfOutput:
        """`check_mail_from`, blocking (GIL released)."""
    def check_helo_sync(
        self,
        ip: IpLike,
        helo: str,
        *,
        resolver: Resolver | None = None,
    ) -> SpfOutput:
        """`check_helo`, blocking (GIL released)."""
    def check_host_sync(
        self,
        ip: IpLike,
        domain: str,
        sender: str,
        helo: str,
        *,
        resolver: Resolver | None = None,
    ) -> SpfOutput:
        """`check_host`, blocking (GIL released)."""

    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """
@final
class IprevResult:
    """The iprev result (RFC 8601 §2.7.3); ``str()`` is the token."""

    PASS: ClassVar[IprevResult]
    FAIL: ClassVar[IprevResult]
    TEMPERROR: ClassVar[IprevResult]
    PERMERROR: ClassVar[IprevResult]
    def __int__(self) -> int: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class ForwardCheck:
    """One PTR name and its forward lookup."""

    @property
    def name(self) -> str:
        """The PTR name."""
    @property
    def outcome(self) -> str:
        """`confirmed`, `mismatch`, `no-address` or `error`."""
    @property
    def addresses(self) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        """For `mismatch`: the addresses found."""
    @property
    def detail(self) -> str | None:
        """For `no-address` and `error`: the DNS outcome."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class PostfixClient:
    """How Postfix would classify the client."""

    @property
    def name(self) -> str:
        """The client name Postfix would log (`unknown` unless confirmed)."""
    @property
    def reverse_status(self) -> PeerStatusToken:
        """`ok`, `temporary` or `permanent`: the PTR step."""
    @property
    def name_status(self) -> PeerStatusToken:
        """`ok`, `temporary`, `permanent` or `forged`."""
    @property
    def reverse_reject(self) -> str | None:
        """The reply of `reject_unknown_reverse_client_hostname`, if it rejects."""
    @property
    def client_reject(self) -> str | None:
        """The reply of `reject_unknown_client_hostname`, if it rejects."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class IprevOutput:
    """What iprev found."""

    @property
    def result(self) -> IprevResult:
        """The result."""
    @property
    def ip(self) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
        """The client IP checked (IPv4-mapped addresses as IPv4)."""
    @property
    def ptr_names(self) -> list[str]:
        """Every PTR name."""
    @property
    def ptr_error(self) -> str | None:
        """For a failed PTR lookup, what it gave."""
    @property
    def forward(self) -> list[ForwardCheck]:
        """The names evaluated and their forward lookups."""
    @property
    def confirmed(self) -> list[str]:
        """The names that resolve back."""
    @property
    def postfix(self) -> PostfixClient:
        """Postfix's classification of the same DNS data."""
    def authentication_results(self) -> str:
        """`iprev=... policy.iprev=...` for `Authentication-Results:`."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class HeloCheck:
    """One HELO check: its status, what was seen, Postfix's reply."""

    @property
    def status(self) -> CheckStatusToken:
        """`pass`, `fail`, `temperror` or `not-applicable`."""
    @property
    def evidence(self) -> str:
        """What was seen."""
    @property
    def postfix(self) -> str | None:
        """The reply of the matching Postfix restriction, if it rejects."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class HeloReport:
    """Every HELO check."""

    @property
    def helo(self) -> str:
        """The HELO argument as given."""
    @property
    def syntax(self) -> HeloCheck:
        """A valid host name or address literal."""
    @property
    def fqdn(self) -> HeloCheck:
        """Fully qualified (or an address literal)."""
    @property
    def resolves(self) -> HeloCheck:
        """Has an A, AAAA or MX record."""
    @property
    def resolves_to_client(self) -> HeloCheck:
        """Resolves to the client IP."""
    @property
    def matches_ptr(self) -> HeloCheck:
        """Equals a confirmed PTR name."""
    @property
    def literal_matches_client(self) -> HeloCheck:
        """An address literal equal to the client IP."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class MailDomainReport:
    """Whether a mail domain receives mail."""

    @property
    def domain(self) -> str:
        """The domain checked."""
    @property
    def role(self) -> AddressRoleToken:
        """`sender` or `recipient`."""
    @property
    def status(self) -> str:
        """`mx`, `implicit-mx`, `null-mx`, `not-found`, `temperror` or
        `invalid-domain`.
        """
    @property
    def detail(self) -> str:
        """What DNS said, in words."""
    @property
    def receives_mail(self) -> bool:
        """Whether mail can be delivered to it."""
    @property
    def mx(self) -> list[MxRecord]:
        """The MX records, for `mx`."""
    @property
    def addresses(self) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        """The addresses, for `implicit-mx`."""
    @property
    def postfix(self) -> str | None:
        """The reply of Postfix's `reject_unknown_*_domain`, if it rejects."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

def iprev(
    ip: IpLike,
    *,
    max_names: int = 10,
    unknown_client_reject_code: int = 450,
    resolver: Resolver | None = None,
) -> Awaitable[IprevOutput]:
    """iprev (RFC 8601 §3) of `ip`, awaitable."""
def iprev_sync(
    ip: IpLike,
    *,
    max_names: int = 10,
    unknown_client_reject_code: int = 450,
    resolver: Resolver | None = None,
) -> IprevOutput:
    """`iprev`, blocking (GIL released)."""
def check_helo(
    ip: IpLike,
    helo: str,
    confirmed_ptr: Sequence[str] | None = None,
    *,
    resolver: Resolver | None = None,
) -> Awaitable[HeloReport]:
    """The HELO checks, awaitable. `confirmed_ptr`: the client's confirmed PTR
    names (`IprevOutput.confirmed`), or None to skip that comparison.
    """
def check_helo_sync(
    ip: IpLike,
    helo: str,
    confirmed_ptr: Sequence[str] | None = None,
    *,
    resolver: Resolver | None = None,
) -> HeloReport:
    """`check_helo`, blocking (GIL released)."""
def check_mail_domain(
    domain: str,
    role: AddressRoleToken = "sender",
    *,
    resolver: Resolver | None = None,
) -> Awaitable[MailDomainReport]:
    """Whether `domain` receives mail, as a sender's or recipient's domain;
    awaitable.
    """
def check_mail_domain_sync(
    domain: str,
    role: AddressRoleToken = "sender",
    *,
    resolver: Resolver | None = None,
) -> MailDomainReport:
    """`check_mail_domain`, blocking (GIL released)."""

@final
class DnsblList:
    """A DNS block- or allowlist definition (RFC 5782)."""

    def __new__(
        cls,
        id: str,
        zone: str,
        *,
        kind: ListKindToken = "ip",
        policy: ListPolicyToken = "block",
        codes: Mapping[str, str] | None = None,
        bits: Mapping[int, str] | None = None,
        errors: Mapping[str, str] | None = None,
        key: str | None = None,
        test_domain: str | None = None,
        ipv6: bool = False,
        note: str | None = None,
    ) -> DnsblList: ...
    @staticmethod
    def builtin(id: str) -> DnsblList:
        """A built-in list by id (`spamhaus-zen`, `spamcop`, `dnswl`, ...)."""
    @staticmethod
    def builtins() -> list[DnsblList]:
        """Every built-in list."""
    @staticmethod
    def spamhaus_dqs(list: str, key: str) -> DnsblList:
        """A Spamhaus DQS list (`zen`, `sbl`, `xbl`, `pbl`, `dbl`, `zrd`,
        `authbl`) with your key.
        """
    @property
    def id(self) -> str:
        """The list's id."""
    @property
    def zone(self) -> str:
        """The zone queried."""
    @property
    def kind(self) -> ListKindToken:
        """`ip` or `domain`."""
    @property
    def policy(self) -> ListPolicyToken:
        """`block` or `allow`."""
    @property
    def note(self) -> str | None:
        """What to know about the list."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class DnsblListResult:
    """One list's answer."""

    @property
    def list_id(self) -> str:
        """The list's id."""
    @property
    def policy(self) -> ListPolicyToken:
        """`block` or `allow`."""
    @property
    def query(self) -> str:
        """The name queried."""
    @property
    def status(self) -> str:
        """`listed`, `not-listed` or `error`."""
    @property
    def listings(self) -> list[tuple[str, str]]:
        """For `listed`: (code, meaning) pairs."""
    @property
    def categories(self) -> list[ListingCategoryToken]:
        """For `listed`: what the listings say about the sender (`end-user`,
        `spam`, `exploited`, ...), once each, in listing order; decide on
        these, not on the meaning text.
        """
    @property
    def reasons(self) -> list[str]:
        """For `listed`: TXT reasons, when fetched."""
    @property
    def error(self) -> str | None:
        """For `error`: what went wrong."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class DnsblReport:
    """Every list's answer for one target."""

    @property
    def target(self) -> str:
        """The IP or domain checked."""
    @property
    def listed(self) -> bool:
        """Whether a blocklist lists it (an error never does)."""
    @property
    def blocked_by(self) -> list[str]:
        """The blocklists that list it."""
    @property
    def allowed_by(self) -> list[str]:
        """The allowlists that list it."""
    @property
    def errors(self) -> list[tuple[str, str]]:
        """(list, error) for lists without a usable answer."""
    @property
    def results(self) -> list[DnsblListResult]:
        """Each list's result, in the order given."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class ZoneHealthReport:
    """What the RFC 5782 section 5 test points say about a list."""

    @property
    def status(self) -> str:
        """The worse of the two verdicts below: `healthy`, `dead`,
        `lists-everything`, `hijacked`, `refusing` or `unknown`.
        """
    @property
    def detail(self) -> str | None:
        """For `hijacked`, `refusing` and `unknown`: what was seen."""
    @property
    def primary(self) -> str:
        """The verdict of the IPv4 (or domain) test points."""
    @property
    def ipv6(self) -> str | None:
        """The verdict of the IPv6 test points, for lists that take IPv6."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class DnsblBulk:
    """The reports of ``dnsbl_check_bulk``, in completion order."""

    def __aiter__(self) -> DnsblBulk: ...
    def __anext__(self) -> Awaitable[DnsblReport]: ...

def dnsbl_check(
    target: IpLike,
    lists: Sequence[DnsblList],
    *,
    fetch_reasons: bool = False,
    deadline: float | None = None,
    resolver: Resolver | None = None,
) -> Awaitable[DnsblReport]:
    """Checks one IP or domain against `lists`, all at once; awaitable.
    `deadline`: seconds the whole check may take (lists without an answer
    by then time out).
    """
def dnsbl_check_sync(
    target: IpLike,
    lists: Sequence[DnsblList],
    *,
    fetch_reasons: bool = False,
    deadline: float | None = None,
    resolver: Resolver | None = None,
) -> DnsblReport:
    """`dnsbl_check`, blocking (GIL released)."""
def dnsbl_check_bulk(
    targets: Sequence[IpLike],
    lists: Sequence[DnsblList],
    *,
    concurrency: int = 100,
    fetch_reasons: bool = False,
    deadline: float | None = None,
    resolver: Resolver | None = None,
) -> DnsblBulk:
    """Checks many targets, at most `concurrency` at a time (each against all
    lists at once): `async for report in dnsbl_check_bulk(...)` gives the
    reports as they complete.
    """
def dnsbl_zone_health(
    list: DnsblList,
    *,
    resolver: Resolver | None = None,
) -> Awaitable[ZoneHealthReport]:
    """The list's health from its test points; awaitable."""

@final
class DmarcResult:
    """The DMARC result (RFC 9989 §9.2); ``str()`` is the token."""

    PASS: ClassVar[DmarcResult]
    FAIL: ClassVar[DmarcResult]
    NONE: ClassVar[DmarcResult]
    TEMPERROR: ClassVar[DmarcResult]
    PERMERROR: ClassVar[DmarcResult]
    def __int__(self) -> int: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class ReportUri:
    """One ``rua``/``ruf`` destination."""

    @property
    def uri(self) -> str:
        """The URI as written, without `!size`."""
    @property
    def scheme(self) -> str:
        """`mailto` or `https`."""
    @property
    def host(self) -> str:
        """The destination host (lower case)."""
    @property
    def address(self) -> str | None:
        """For `mailto`: the mailbox."""
    @property
    def size_limit(self) -> str | None:
        """The obsolete `!size` suffix, if any."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class DmarcRecord:
    """A DMARC record (RFC 9989 §4.7) as receivers read it; ``str()`` is the
    canonical text."""

    @staticmethod
    def parse(text: str) -> DmarcRecord:
        """Receiver mode: raises `DmarcParseError` (a `ValueError`) with
        `.offset` and `.reason` only when the text is not DMARC at all.
        """
    @staticmethod
    def validate(text: str) -> DmarcValidation:
        """Validator mode: the record (or None) and every diagnostic."""
    @property
    def p(self) -> PolicyToken | None:
        """`p` as published (None when absent or invalid)."""
    @property
    def sp(self) -> PolicyToken | None:
        """`sp` as published."""
    @property
    def np(self) -> PolicyToken | None:
        """`np` as published."""
    @property
    def policy(self) -> PolicyToken | None:
        """The policy for the domain: `p`, else `none` with a valid `rua`,
        else None (no DMARC policy applies).
        """
    @property
    def subdomain_policy(self) -> PolicyToken | None:
        """The policy for existing subdomains (`sp`, else the policy)."""
    @property
    def nonexistent_policy(self) -> PolicyToken | None:
        """The policy for non-existent subdomains (`np`, `sp`, the policy)."""
    @property
    def adkim(self) -> AlignmentModeToken:
        """DKIM alignment: `r` or `s`."""
    @property
    def aspf(self) -> AlignmentModeToken:
        """SPF alignment: `r` or `s`."""
    @property
    def fo(self) -> str:
        """Failure-reporting options, e.g. `0` or `1:d`."""
    @property
    def rua(self) -> list[ReportUri]:
        """Aggregate-report destinations."""
    @property
    def ruf(self) -> list[ReportUri]:
        """Failure-report destinations."""
    @property
    def psd(self) -> PsdFlagToken:
        """`y`, `n` or `u`."""
    @property
    def testing(self) -> bool:
        """Test mode (`t=y`)."""
    @property
    def pct(self) -> int | None:
        """The obsolete RFC 7489 `pct`, if published."""
    @property
    def rf(self) -> str | None:
        """The obsolete RFC 7489 `rf`, if published."""
    @property
    def ri(self) -> int | None:
        """The obsolete RFC 7489 `ri`, if published."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class DmarcDiagnostic:
    """One validator finding, with the byte offset it refers to."""

    @property
    def offset(self) -> int:
        """Byte offset in the record text."""
    @property
    def severity(self) -> SeverityToken:
        """`error` or `warning`."""
    @property
    def kind(self) -> str:
        """What kind of finding, e.g. `invalid_value`, `obsolete_tag`."""
    @property
    def tag(self) -> str | None:
        """The tag concerned, if any."""
    @property
    def message(self) -> str:
        """A sentence saying what was found."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class DmarcValidation:
    """A record checked in validator mode."""

    @property
    def record(self) -> DmarcRecord | None:
        """The record as receivers read it; None if the text is not DMARC."""
    @property
    def diagnostics(self) -> list[DmarcDiagnostic]:
        """Every error and warning, with byte offsets."""
    @property
    def is_valid(self) -> bool:
        """A DMARC record without errors."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class DmarcDiscovery:
    """Policy discovery for one domain (RFC 9989 §4.10)."""

    @property
    def domain(self) -> str:
        """The domain, as its lower-case A-label."""
    @property
    def organizational_domain(self) -> str | None:
        """Its Organizational Domain (§4.10.2); `None` when a query of the
        walk failed or the walk was not needed (an evaluation stops at a
        record at the Author Domain unless an alignment needs more).
        """
    @property
    def walk_error(self) -> str | None:
        """The walk's query that failed, as `name: error`, if one did; with a
        record at the domain itself the policy is still known.
        """
    @property
    def outcome(self) -> str:
        """`found`, `no_record` or `temperror`."""
    @property
    def error(self) -> str | None:
        """For `temperror`: the failed name and how it failed."""
    @property
    def policy_domain(self) -> str | None:
        """The domain that published the applicable record."""
    @property
    def source(self) -> PolicySourceToken | None:
        """`author_domain`, `organizational_domain` or
        `public_suffix_domain`.
        """
    @property
    def record(self) -> DmarcRecord | None:
        """The applicable record."""
    @property
    def diagnostics(self) -> list[DmarcDiagnostic]:
        """The validator's findings about that record."""
    @property
    def author_domain_exists(self) -> bool | None:
        """For `sp`/`np`: whether the domain exists (None if not asked)."""
    @property
    def declared_policy(self) -> PolicyToken | None:
        """`p`, `sp` or `np` as the record declares it for the domain."""
    @property
    def applied_policy(self) -> PolicyToken | None:
        """The policy to apply to failing mail (after `t=y`)."""
    @property
    def walk(self) -> list[tuple[str, str]]:
        """The tree walk: `(domain, status)` with status `none`, `record` or
        `discarded` (several DMARC records at the name).
        """
    @property
    def queries(self) -> list[str]:
        """Every DNS query sent, as `TYPE name`."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class IdentifierCheck:
    """One identifier's authentication and alignment."""

    @property
    def domain(self) -> str:
        """The identifier's domain."""
    @property
    def authenticated(self) -> bool:
        """SPF passed / the DKIM signature verified."""
    @property
    def mode(self) -> AlignmentModeToken:
        """`r` or `s`."""
    @property
    def alignment(self) -> AlignmentToken:
        """`identical`, `relaxed`, `not_aligned`, `temperror` or `not_checked`
        (it could not change the result).
        """
    @property
    def passes(self) -> bool:
        """Authenticated and aligned."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class DmarcOutput:
    """The DMARC evaluation of one message."""

    @property
    def result(self) -> DmarcResult:
        """The result."""
    @property
    def from_domain(self) -> str:
        """The RFC5322.From domain as given."""
    @property
    def discovery(self) -> DmarcDiscovery | None:
        """Policy discovery (None for an invalid author domain)."""
    @property
    def spf(self) -> IdentifierCheck | None:
        """The SPF identifier, if given."""
    @property
    def dkim(self) -> list[IdentifierCheck]:
        """The DKIM identifiers."""
    @property
    def applied_policy(self) -> PolicyToken | None:
        """The policy to apply to failing mail (after `t=y`), if any."""
    @property
    def disposition(self) -> PolicyToken:
        """What to do with this message: the applied policy on `fail`, else
        `none`.
        """
    def authentication_results(self) -> str:
        """`dmarc=... header.from=... policy.dmarc=...`."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class ReportDestination:
    """One report destination's authorisation (RFC 9990 §3)."""

    @property
    def tag(self) -> ReportTagToken:
        """`rua` or `ruf`."""
    @property
    def uri(self) -> ReportUri:
        """The destination as published."""
    @property
    def status(self) -> str:
        """`same_organization`, `authorized`, `overridden`, `not_authorized`,
        `override_rejected`, `not_checked` (past the first 32) or
        `temperror`.
        """
    @property
    def authorized(self) -> bool:
        """Whether reports may go there (or to its override)."""
    @property
    def record_name(self) -> str | None:
        """The `_report._dmarc` name asked, if any."""
    @property
    def overrides(self) -> list[ReportUri]:
        """For `overridden`: where reports go instead."""
    @property
    def error(self) -> str | None:
        """For `temperror`: the DNS outcome."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

def dmarc_discover(
    domain: str,
    *,
    resolver: Resolver | None = None,
) -> Awaitable[DmarcDiscovery]:
    """Policy discovery for `domain`, awaitable; raises `InvalidInputError` for
    an invalid domain.
    """
def dmarc_discover_sync(
    domain: str,
    *,
    resolver: Resolver | None = None,
) -> DmarcDiscovery:
    """`dmarc_discover`, blocking (GIL released)."""
def dmarc_evaluate(
    from_domain: str,
    *,
    spf: tuple[str, SpfResult | str] | None = None,
    dkim: Sequence[tuple[str, bool]] = ...,
    resolver: Resolver | None = None,
) -> Awaitable[DmarcOutput]:
    """DMARC evaluation of one message, awaitable. `spf`: `(domain, SpfResult)`;
    `dkim`: `(signing domain, verified)` pairs.
    """
def dmarc_evaluate_sync(
    from_domain: str,
    *,
    spf: tuple[str, SpfResult | str] | None = None,
    dkim: Sequence[tuple[str, bool]] = ...,
    resolver: Resolver | None = None,
) -> DmarcOutput:
    """`dmarc_evaluate`, blocking (GIL released)."""
def dmarc_report_destinations(
    policy_domain: str,
    record: DmarcRecord,
    *,
    resolver: Resolver | None = None,
) -> Awaitable[list[ReportDestination]]:
    """RFC 9990 §3 authorisation of each `rua`/`ruf` destination of `record`
    as published by `policy_domain`, awaitable.
    """
def dmarc_report_destinations_sync(
    policy_domain: str,
    record: DmarcRecord,
    *,
    resolver: Resolver | None = None,
) -> list[ReportDestination]:
    """`dmarc_report_destinations`, blocking (GIL released)."""

@final
class DoctorFinding:
    """One check's outcome: verdict, evidence, receivers' reactions, fix."""

    @property
    def check(self) -> CheckKindToken:
        """`spf-mailfrom`, `spf-helo`, `iprev`, `helo`, `sender-domain`,
        `dnsbl`, `dmarc`, `spf-record` or `dmarc-record`.
        """
    @property
    def code(self) -> str:
        """The situation, a stable token `check.situation`
        (`spf-record.several-records`, `iprev.no-ptr`): the codes are listed
        in docs/doctor-json.md.
        """
    @property
    def verdict(self) -> DoctorVerdictToken:
        """`skipped`, `ok`, `warn`, `fail` or `error`."""
    @property
    def result(self) -> str | None:
        """The check's RFC result where it has one (`spf-*`, `iprev`, `dmarc`)."""
    @property
    def summary(self) -> str:
        """One line: what is the matter."""
    @property
    def evidence(self) -> list[str]:
        """What was seen."""
    @property
    def records(self) -> list[DoctorRecord]:
        """The DNS records the finding rests on, as published."""
    @property
    def receivers(self) -> list[str]:
        """How receivers are likely to react."""
    @property
    def fix(self) -> list[DoctorFix]:
        """What to publish or change."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class DoctorFix:
    """One thing to do, and the DNS record to publish when there is one."""

    @property
    def action(self) -> str:
        """What to do, in words."""
    @property
    def record(self) -> DoctorRecord | None:
        """The record to publish, or `None`."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class DoctorRecord:
    """A DNS record: one the doctor asks to publish, or one a finding rests
    on.
    """

    @property
    def name(self) -> str:
        """The owner name, without the trailing dot."""
    @property
    def type(self) -> RecordTypeToken:
        """`TXT`, `A`, `AAAA`, `MX` or `PTR`."""
    @property
    def value(self) -> str:
        """The data: the TXT text unquoted, an address, a name."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class DoctorReport:
    """The doctor's report."""

    @property
    def subject(self) -> str:
        """What was diagnosed: `"IP HELO MAIL-FROM"` (HELO `-` when not given)
        or the domain.
        """
    @property
    def resolver(self) -> str:
        """Which resolver answered: real nameservers, a zone, or the fictional
        demo zone.
        """
    @property
    def findings(self) -> list[DoctorFinding]:
        """Every finding, in a fixed order."""
    def finding(self, check: CheckKindToken) -> DoctorFinding | None:
        """The finding of one check, by name."""
    @property
    def bounce(self) -> Bounce | None:
        """What was read from the bounce, for a `doctor_bounce` report."""
    @property
    def provenance(self) -> list[tuple[SetupFieldToken, str, OriginToken, str | None]]:
        """Where each value of a `doctor_bounce` or `doctor_headers` setup
        came from: tuples of (`client-ip`/`mail-from`/`helo`/`from-domain`,
        value, `given`/`read`/`inferred`, the part of the input or `None`).
        """
    @property
    def compared(self) -> list[tuple[CheckKindToken, str, str | None, str]]:
        """For a `doctor_headers` report: each result the receiver recorded
        next to the doctor's now, as tuples of (check, recorded result,
        result now or `None`, the header field it was recorded in).
        """
    @property
    def points_to(self) -> list[CheckKindToken]:
        """The checks the bounce's reason points to, most direct first (empty
        without a bounce).
        """
    @property
    def worst(self) -> DoctorVerdictToken:
        """The worst verdict."""
    @property
    def exit_code(self) -> int:
        """0 ok, 1 warn, 2 fail, 3 error."""
    def to_text(self) -> str:
        """The report as text for an 80-column terminal."""
    def to_json(self) -> str:
        """The report as JSON (`docs/doctor-json.md`)."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

def doctor(
    ip: IpLike,
    helo: str | None,
    mail_from: str,
    *,
    from_domain: str | None = None,
    dkim_domains: Sequence[str] = ...,
    dnsbl_lists: Sequence[DnsblList] | None = None,
    resolver: Resolver | None = None,
) -> Awaitable[DoctorReport]:
    """Diagnoses a sending setup, awaitable: every check at once, each with
    its evidence, receivers' reactions and fix. `dnsbl_lists=None` asks
    Spamhaus ZEN and SpamCop.
    """
def doctor_sync(
    ip: IpLike,
    helo: str | None,
    mail_from: str,
    *,
    from_domain: str | None = None,
    dkim_domains: Sequence[str] = ...,
    dnsbl_lists: Sequence[DnsblList] | None = None,
    resolver: Resolver | None = None,
) -> DoctorReport:
    """`doctor`, blocking (GIL released)."""
def doctor_domain(
    domain: str,
    *,
    dkim_selectors: Sequence[str] = ...,
    resolver: Resolver | None = None,
) -> Awaitable[DoctorReport]:
    """Audits a domain's SPF and DMARC records, awaitable, and the DKIM key
    of each of `dkim_selectors` (a `dkim-key` finding each); raises
    `InvalidInputError` for an invalid domain.
    """
def doctor_domain_sync(
    domain: str,
    *,
    dkim_selectors: Sequence[str] = ...,
    resolver: Resolver | None = None,
) -> DoctorReport:
    """`doctor_domain`, blocking (GIL released)."""

@final
class Bounce:
    """A bounce, a Postfix log line or an SMTP reply, as read: who refused,
    the reply, the reason as a stable code, and the values it names.
    """

    @property
    def input(self) -> BounceInputToken:
        """`dsn`, `postfix-log`, `postfix-reject`, `text` or `reply`."""
    @property
    def receiver(self) -> BounceReceiverToken:
        """`gmail`, `microsoft`, `yahoo`, `postfix` or `other`."""
    @property
    def reason(self) -> BounceReasonToken:
        """The stated reason as a stable code (`unauthenticated`, `spf-fail`,
        `reverse-dns`, `blocklisted`, ..., `unknown`).
        """
    @property
    def explanation(self) -> str:
        """One line: what the reason means."""
    @property
    def stage(self) -> SmtpStageToken | None:
        """The SMTP stage refused (`mail-from`, `rcpt-to`, `data`,
        `end-of-data`, `other`), when said.
        """
    @property
    def code(self) -> int | None:
        """The reply's basic code (`550`), when a reply was found."""
    @property
    def enhanced(self) -> str | None:
        """The reply's enhanced status code (`5.7.26`), when it has one."""
    @property
    def text(self) -> str | None:
        """The reply's text, printable ASCII, bounded."""
    @property
    def remote_mta(self) -> str | None:
        """The server that refused."""
    @property
    def client_ip(self) -> str | None:
        """The sending IP, when named, as text."""
    @property
    def domain(self) -> str | None:
        """The domain the reply names."""
    @property
    def sender(self) -> str | None:
        """The envelope sender."""
    @property
    def recipient(self) -> str | None:
        """The recipient."""
    @property
    def helo(self) -> str | None:
        """The HELO name (Postfix `NOQUEUE` lines)."""
    @property
    def dnsbl_zone(self) -> str | None:
        """The DNS blocklist zone the reply names."""
    @property
    def points_to(self) -> list[CheckKindToken]:
        """The checks the reason points to, most direct first."""
    @property
    def excerpts(self) -> list[tuple[str, str]]:
        """What was read from where: (part, value) tuples in reading order."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

def read_bounce(bounce: str | bytes) -> Bounce:
    """Reads a bounce (`str` or `bytes`: a delivery status notification, a
    Postfix log line, a bounce quoting the reply, or just the reply). Never
    fails on content: text it cannot place reads as reason `unknown`; the
    input is cut at 1 MiB.
    """
def doctor_bounce(
    bounce: str | bytes | Bounce,
    *,
    ip: IpLike | None = None,
    helo: str | None = None,
    mail_from: str | None = None,
    from_domain: str | None = None,
    dnsbl_lists: Sequence[DnsblList] | None = None,
    resolver: Resolver | None = None,
) -> Awaitable[DoctorReport]:
    """Diagnoses the setup a bounce describes, awaitable: the sending IP, the
    sender and the HELO name from the bounce unless given, then every check
    as `doctor` runs them. The report's `bounce`, `provenance` and
    `points_to` say what was read, where each value came from, and which
    checks the receiver's reason points to. Raises `InvalidInputError` when
    neither the bounce nor the arguments give the IP or the sender.
    """
def doctor_bounce_sync(
    bounce: str | bytes | Bounce,
    *,
    ip: IpLike | None = None,
    helo: str | None = None,
    mail_from: str | None = None,
    from_domain: str | None = None,
    dnsbl_lists: Sequence[DnsblList] | None = None,
    resolver: Resolver | None = None,
) -> DoctorReport:
    """`doctor_bounce`, blocking (GIL released)."""
def doctor_headers(
    headers: str | bytes,
    *,
    ip: IpLike | None = None,
    helo: str | None = None,
    mail_from: str | None = None,
    from_domain: str | None = None,
    dnsbl_lists: Sequence[DnsblList] | None = None,
    resolver: Resolver | None = None,
) -> Awaitable[DoctorReport]:
    """Diagnoses the setup a received message (or its header section)
    describes, awaitable (`str` or `bytes`): the IP and HELO name from the
    trace, the MAIL FROM from Return-Path, the From domain, unless given;
    DKIM signatures verified when the body is there, else the domains the
    receiver recorded `dkim=pass` for; then every check as `doctor` runs
    them. The report's `provenance` says where each value came
    from, `compared` the receiver's recorded results next to today's.
    Raises `InvalidInputError` when neither the headers nor the arguments
    give the IP or the sender.
    """
def doctor_headers_sync(
    headers: str | bytes,
    *,
    ip: IpLike | None = None,
    helo: str | None = None,
    mail_from: str | None = None,
    from_domain: str | None = None,
    dnsbl_lists: Sequence[DnsblList] | None = None,
    resolver: Resolver | None = None,
) -> DoctorReport:
    """`doctor_headers`, blocking (GIL released)."""

@final
class DkimSignatureResult:
    """One signature's verification."""

    @property
    def result(self) -> DkimResultToken:
        """`pass`, `fail`, `policy`, `neutral`, `temperror` or `permerror`
        (RFC 8601 section 2.7.1).
        """
    @property
    def reason(self) -> DkimReasonToken:
        """Why, as a stable code (`verified`, `body-hash`, `no-key`, ...)."""
    @property
    def detail(self) -> str:
        """What happened, in words."""
    @property
    def domain(self) -> str | None:
        """`d=`, when the field parsed."""
    @property
    def selector(self) -> str | None:
        """`s=`, when the field parsed."""
    @property
    def identity(self) -> str | None:
        """`i=` (or `@` + `d=`), when the field parsed."""
    @property
    def algorithm(self) -> DkimAlgorithmToken | None:
        """`rsa-sha256` or `ed25519-sha256`, when the field parsed."""
    @property
    def key_bits(self) -> int | None:
        """The key's size in bits, when a key was found."""
    @property
    def testing(self) -> bool:
        """The key record says `t=y` (testing): give no more trust than to
        unsigned mail.
        """
    @property
    def unsigned_body_bytes(self) -> int | None:
        """Body bytes after `l=` that the signature does not cover."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class DkimOutput:
    """The verification of a message's DKIM signatures."""

    @property
    def signatures(self) -> list[DkimSignatureResult]:
        """One result per `DKIM-Signature` field, top to bottom."""
    @property
    def result(self) -> DkimResultToken:
        """`pass` when any signature passed, `none` without signatures,
        otherwise the first signature's result.
        """
    @property
    def passing_domains(self) -> list[str]:
        """The `d=` domains of the signatures that passed, for DMARC."""
    @property
    def message_error(self) -> str | None:
        """Why the message could not be read, or `None`."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

def dkim_verify(
    message: bytes | str,
    *,
    max_signatures: int = 5,
    now: int | None = None,
    resolver: Resolver | None = None,
) -> Awaitable[DkimOutput]:
    """Verifies every DKIM signature of `message` (RFC 6376, RFC 8463, RFC
    8301), awaitable: at most `max_signatures` of them, their keys fetched
    concurrently. `now` (Unix seconds) is the time `x=` is compared with
    (default: the clock). A message with bare LF line ends is read with
    CRLF.
    """
def dkim_verify_sync(
    message: bytes | str,
    *,
    max_signatures: int = 5,
    now: int | None = None,
    resolver: Resolver | None = None,
) -> DkimOutput:
    """`dkim_verify`, blocking (GIL released)."""

@final
class DkimSigner:
    """Signs messages for one domain and selector with one private key."""

    @staticmethod
    def rsa(private_key: bytes, domain: str, selector: str, *, canonicalization: str = "relaxed/relaxed") -> DkimSigner:
        """A signer with an RSA private key (PKCS#8 DER, 2048 bits or more):
        `rsa-sha256`. `canonicalization` is `header/body` (default
        `relaxed/relaxed`). Raises `InvalidInputError` for a key, name or
        canonicalization it cannot use.
        """
    @staticmethod
    def ed25519(private_key: bytes, domain: str, selector: str, *, canonicalization: str = "relaxed/relaxed") -> DkimSigner:
        """A signer with an Ed25519 private key (PKCS#8 DER): `ed25519-sha256`
        (RFC 8463). `canonicalization` as for `rsa`.
        """
    @staticmethod
    def generate_ed25519() -> bytes:
        """A new Ed25519 private key, PKCS#8 DER."""
    def sign(self, message: bytes | str, *, timestamp: int | None = None) -> str:
        """The `DKIM-Signature` field for `message` (bytes or str), with its
        CRLF, to put at the top of the header; relaxed/relaxed, the present
        fields of RFC 6376 section 5.4.1's list signed, singletons
        over-signed. `timestamp` sets `t=` (Unix seconds).
        """
    @property
    def key_record(self) -> str:
        """The key record to publish (`v=DKIM1; k=...; p=...`)."""
    @property
    def key_record_name(self) -> str:
        """The name to publish it at: `<selector>._domainkey.<domain>`."""
    @property
    def algorithm(self) -> DkimAlgorithmToken:
        """`rsa-sha256` or `ed25519-sha256`."""

@final
class DkimKeyRecord:
    """A DKIM key record, parsed."""

    @staticmethod
    def parse(text: str) -> DkimKeyRecord:
        """Parses a key record's text; raises `InvalidInputError` for text that
        is not a usable key record.
        """
    @property
    def key_type(self) -> DkimKeyTypeToken:
        """`rsa` or `ed25519`."""
    @property
    def bits(self) -> int | None:
        """The key's size in bits, or `None` for a revoked key (empty `p=`)."""
    @property
    def testing(self) -> bool:
        """`t=y`: the domain is testing DKIM."""
    @property
    def lints(self) -> list[DkimKeyLintToken]:
        """What a careful publisher would change (`testing`, `revoked`,
        `sha1-only`, `short-rsa-key`, `pkcs1-key`, `not-for-email`).
        """
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class AuthOutput:
    """What the whole-message authentication concluded."""

    @property
    def authentication_results(self) -> str:
        """The `Authentication-Results:` field, name included, folded, ending
        in CRLF: header-safe whatever the message holds.
        """
    @property
    def from_domain(self) -> str | None:
        """The From domain, or `None` when the message has no single one."""
    @property
    def from_error(self) -> str | None:
        """Why there is no single From domain, or `None`."""
    @property
    def spf(self) -> SpfOutput:
        """SPF for the MAIL FROM identity (the HELO identity for `<>`)."""
    @property
    def dkim(self) -> DkimOutput:
        """Every DKIM signature."""
    @property
    def dmarc(self) -> DmarcOutput | None:
        """DMARC with the real DKIM results, or `None` without a single From
        domain.
        """
    @property
    def iprev(self) -> IprevOutput:
        """iprev of the client."""
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

def authenticate(
    message: bytes | str,
    ip: IpLike,
    helo: str,
    mail_from: str,
    *,
    authserv_id: str,
    max_signatures: int = 5,
    resolver: Resolver | None = None,
) -> Awaitable[AuthOutput]:
    """Authenticates a received message, awaitable: SPF (MAIL FROM, or HELO
    for an empty `mail_from`), every DKIM signature and iprev at once, then
    DMARC from the From domain with the real DKIM results. The result's
    `authentication_results` is the field to add, with `authserv_id` (the
    receiving host's name, never taken from the message).
    """
def authenticate_sync(
    message: bytes | str,
    ip: IpLike,
    helo: str,
    mail_from: str,
    *,
    authserv_id: str,
    max_signatures: int = 5,
    resolver: Resolver | None = None,
) -> AuthOutput:
    """`authenticate`, blocking (GIL released)."""

@final
class DomainScan:
    """The scan of one domain: the defects found (stable codes such as
    `spf.plus-all`, each with a severity), and each check's data. A section
    is `None` when its check did not finish before the deadline.
    """

    CSV_HEADER: ClassVar[str]
    @property
    def domain(self) -> str:
        """The domain as given."""
    @property
    def invalid(self) -> str | None:
        """Why the domain was not scanned (not a domain name), or `None`."""
    @property
    def defects(self) -> list[ScanDefectToken]:
        """The defect codes, in report order, each once."""
    @property
    def worst(self) -> ScanSeverityToken | None:
        """The most serious defect's severity (`info`, `warning`, `error`), or
        `None` without a defect.
        """
    @property
    def queries(self) -> int:
        """DNS questions this domain's checks asked (cache hits included)."""
    @property
    def elapsed_ms(self) -> int:
        """Milliseconds the domain took."""
    @property
    def spf(self) -> dict[str, Any] | None:
        """The SPF record and its audit (DNS-querying terms over the include
        tree, void lookups, includes without a record, ...), as a `dict`.
        """
    @property
    def dmarc(self) -> dict[str, Any] | None:
        """DMARC: status, record, policy, rua and the validator's faults."""
    @property
    def mx(self) -> dict[str, Any] | None:
        """MX: status, null MX, and each exchange's addresses and FCrDNS."""
    @property
    def mta_sts(self) -> dict[str, Any] | None:
        """The `_mta-sts` record (RFC 8461 §3.1)."""
    @property
    def tls_rpt(self) -> dict[str, Any] | None:
        """The `_smtp._tls` record (RFC 8460 §3)."""
    @property
    def bimi(self) -> dict[str, Any] | None:
        """The `default._bimi` record."""
    @property
    def dkim(self) -> list[dict[str, Any]] | None:
        """The named DKIM selectors' key records, a `list` of `dict`."""
    def to_csv_row(self) -> str:
        """The report as one CSV row (RFC 4180), as `mailauth scan --csv`
        writes it under `DomainScan.CSV_HEADER`.
        """
    def __reduce__(self) -> tuple[object, tuple[str, str]]: ...
    def to_json(self) -> str:
        """The object as JSON text."""
    def to_dict(self) -> Any:
        """The object as `dict`, `list`, `str`, `int`, `bool` and
        `None`: its JSON form.
        """

@final
class ScanStream:
    """What `scan` returns: the reports in completion order, through
    `for report in ...` (blocking, the GIL released while waiting) or
    `async for report in ...`. Dropping it stops the scan.
    """

    def __iter__(self) -> ScanStream: ...
    def __next__(self) -> DomainScan:
        """The next report, waiting with the GIL released."""
    def __aiter__(self) -> ScanStream: ...
    def __anext__(self) -> Awaitable[DomainScan]:
        """The next report, awaitable; `StopAsyncIteration` after the last."""
    @property
    def cache_stats(self) -> dict[str, int] | None:
        """The shared DNS cache's counters so far (`hits`, `misses`,
        `coalesced`, `evictions`, `entries`), or `None` without a cache.
        """

def scan(
    domains: str | Iterable[str],
    *,
    concurrency: int = 64,
    deadline: float = 30.0,
    dkim_selectors: Sequence[str] = ...,
    cache: bool = True,
    mx_hosts: int = 5,
    mx_addresses: int = 4,
    resolver: Resolver | None = None,
) -> ScanStream:
    """Scans the mail-authentication posture of many domains: SPF and its
    audit, DMARC, MX with null MX and each exchange's FCrDNS, MTA-STS,
    TLS-RPT, BIMI, and the DKIM keys of `dkim_selectors`. `domains` is any
    iterable of `str` (a list, a generator, an open file's stripped lines),
    read as the scan goes; a single `str` is one domain. At most
    `concurrency` domains run at once, each within `deadline` seconds;
    every check shares one DNS cache with in-flight coalescing unless
    `cache` is false. Iterate the result with `for` or `async for`.
    """
