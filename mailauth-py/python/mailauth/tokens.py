"""The strings mailauth returns and takes for its enumerated values, as
``Literal`` types for annotations.

Each is spelled exactly as the Rust core spells it in ``Display``,
``FromStr`` and JSON (``tests/test_tokens.py`` holds them to the core's
tables), so a value read from a report can be compared with, and passed
back as, these strings::

    from mailauth.tokens import PolicyToken

    def strict(policy: PolicyToken | None) -> bool:
        return policy == "reject"
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "AddressRoleToken",
    "AlignmentModeToken",
    "AlignmentToken",
    "CheckKindToken",
    "CheckStatusToken",
    "DoctorVerdictToken",
    "ListKindToken",
    "ListPolicyToken",
    "ListingCategoryToken",
    "PeerStatusToken",
    "PolicySourceToken",
    "PolicyToken",
    "PsdFlagToken",
    "ReportTagToken",
    "SeverityToken",
    "SpfIdentityToken",
    "TransportToken",
]

AddressRoleToken = Literal["sender", "recipient"]
AlignmentToken = Literal["identical", "relaxed", "not_aligned", "temperror", "not_checked"]
AlignmentModeToken = Literal["r", "s"]
CheckKindToken = Literal[
    "spf-mailfrom", "spf-helo", "iprev", "helo", "sender-domain", "dnsbl", "dmarc", "spf-record", "dmarc-record"
]
CheckStatusToken = Literal["pass", "fail", "temperror", "not_applicable"]
DoctorVerdictToken = Literal["ok", "warn", "fail", "error"]
ListKindToken = Literal["ip", "domain"]
ListPolicyToken = Literal["block", "allow"]
ListingCategoryToken = Literal[
    "spam", "low-reputation", "exploited", "end-user", "hijacked", "phishing", "malware", "botnet"
]
PeerStatusToken = Literal["ok", "temporary", "permanent", "forged"]
PolicyToken = Literal["none", "quarantine", "reject"]
PolicySourceToken = Literal["author_domain", "organizational_domain", "public_suffix_domain"]
PsdFlagToken = Literal["y", "n", "u"]
ReportTagToken = Literal["rua", "ruf"]
SeverityToken = Literal["warning", "error"]
SpfIdentityToken = Literal["mailfrom", "helo"]
TransportToken = Literal["udp", "tcp", "udp-multiplexed"]
