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
    "BounceInputToken",
    "BounceReasonToken",
    "BounceReceiverToken",
    "CheckKindToken",
    "CheckStatusToken",
    "DkimAlgorithmToken",
    "DkimCanonicalizationToken",
    "DkimKeyLintToken",
    "DkimKeyTypeToken",
    "DkimReasonToken",
    "DkimResultToken",
    "DoctorVerdictToken",
    "ListKindToken",
    "ListPolicyToken",
    "ListingCategoryToken",
    "OriginToken",
    "PeerStatusToken",
    "PolicySourceToken",
    "PolicyToken",
    "PsdFlagToken",
    "RecordTypeToken",
    "ReportTagToken",
    "ScanDefectToken",
    "ScanSeverityToken",
    "SetupFieldToken",
    "SeverityToken",
    "SmtpStageToken",
    "SpfIdentityToken",
    "TransportToken",
]

AddressRoleToken = Literal["sender", "recipient"]
AlignmentToken = Literal["identical", "relaxed", "not_aligned", "temperror", "not_checked"]
AlignmentModeToken = Literal["r", "s"]
BounceInputToken = Literal["dsn", "postfix-log", "postfix-reject", "text", "reply"]
BounceReasonToken = Literal[
    "unauthenticated",
    "dmarc-policy",
    "spf-fail",
    "spf-error",
    "dkim-fail",
    "dmarc-alignment",
    "no-dmarc-record",
    "bulk-authentication",
    "reverse-dns",
    "blocklisted",
    "reputation",
    "rate-limited",
    "sender-domain",
    "null-mx-sender",
    "helo",
    "tls",
    "unknown",
]
BounceReceiverToken = Literal["gmail", "microsoft", "yahoo", "postfix", "other"]
CheckKindToken = Literal[
    "spf-mailfrom",
    "spf-helo",
    "iprev",
    "helo",
    "sender-domain",
    "dnsbl",
    "dmarc",
    "spf-record",
    "dmarc-record",
    "dkim-key",
]
CheckStatusToken = Literal["pass", "fail", "temperror", "not_applicable"]
DkimAlgorithmToken = Literal["rsa-sha256", "ed25519-sha256"]
DkimCanonicalizationToken = Literal["simple", "relaxed"]
DkimKeyLintToken = Literal["testing", "revoked", "sha1-only", "short-rsa-key", "pkcs1-key", "not-for-email"]
DkimKeyTypeToken = Literal["rsa", "ed25519"]
DkimReasonToken = Literal[
    "verified",
    "syntax",
    "version",
    "missing-tag",
    "rsa-sha1",
    "unknown-algorithm",
    "domain-mismatch",
    "from-not-signed",
    "expired",
    "too-many-signatures",
    "key-unavailable",
    "no-key",
    "key-syntax",
    "key-revoked",
    "key-unusable",
    "key-size",
    "strict-identity",
    "body-hash",
    "signature",
    "body-length",
    "unsigned-content",
]
DkimResultToken = Literal["none", "pass", "fail", "policy", "neutral", "temperror", "permerror"]
DoctorVerdictToken = Literal["skipped", "ok", "warn", "fail", "error"]
ListKindToken = Literal["ip", "domain"]
ListPolicyToken = Literal["block", "allow"]
ListingCategoryToken = Literal[
    "spam", "low-reputation", "exploited", "end-user", "hijacked", "phishing", "malware", "botnet"
]
OriginToken = Literal["given", "read", "inferred"]
PeerStatusToken = Literal["ok", "temporary", "permanent", "forged"]
PolicyToken = Literal["none", "quarantine", "reject"]
PolicySourceToken = Literal["author_domain", "organizational_domain", "public_suffix_domain"]
PsdFlagToken = Literal["y", "n", "u"]
RecordTypeToken = Literal["A", "AAAA", "MX", "PTR", "TXT"]
ReportTagToken = Literal["rua", "ruf"]
ScanDefectToken = Literal[
    "domain.invalid",
    "domain.not-found",
    "scan.deadline",
    "spf.none",
    "spf.several",
    "spf.syntax",
    "spf.dns-error",
    "spf.too-many-lookups",
    "spf.too-many-void-lookups",
    "spf.include-without-record",
    "spf.plus-all",
    "spf.ptr",
    "spf.no-all",
    "spf.audit-truncated",
    "dmarc.none",
    "dmarc.invalid",
    "dmarc.monitor-only",
    "dmarc.dns-error",
    "mx.none",
    "mx.null",
    "mx.null-mixed",
    "mx.dns-error",
    "mx.host-without-address",
    "mx.no-fcrdns",
    "mx.truncated",
    "mta-sts.none",
    "mta-sts.several",
    "mta-sts.invalid",
    "mta-sts.dns-error",
    "tls-rpt.none",
    "tls-rpt.several",
    "tls-rpt.invalid",
    "tls-rpt.dns-error",
    "bimi.none",
    "bimi.several",
    "bimi.invalid",
    "bimi.declined",
    "bimi.dns-error",
    "dkim.no-key",
    "dkim.invalid",
    "dkim.revoked",
    "dkim.sha1-only",
    "dkim.not-for-email",
    "dkim.testing",
    "dkim.short-key",
    "dkim.dns-error",
]
ScanSeverityToken = Literal["info", "warning", "error"]
SetupFieldToken = Literal["client-ip", "mail-from", "helo", "from-domain"]
SeverityToken = Literal["warning", "error"]
SmtpStageToken = Literal["mail-from", "rcpt-to", "data", "end-of-data", "other"]
SpfIdentityToken = Literal["mailfrom", "helo"]
TransportToken = Literal["udp", "tcp", "udp-multiplexed"]
