"""Exceptions raised by mailauth.

Every exception is a ``MailauthError``; those about malformed input are also
``ValueError``. DNS outcomes (NXDOMAIN, timeouts, ...) are never exceptions:
they are the ``outcome`` of an ``Answer``.

Besides these, an argument can only raise what Python raises for it
anywhere: ``TypeError`` for a value of the wrong type, and
``UnicodeEncodeError`` for a ``str`` holding lone surrogates, which cannot
become UTF-8. A number out of its range (``max_lookups=-1``,
``deadline=1e19``, any int however large) is ``InvalidInputError``, and its
message names the range; no argument raises ``OverflowError`` or panics.
"""

from __future__ import annotations

__all__ = [
    "MailauthError",
    "ZoneParseError",
    "SpfParseError",
    "DmarcParseError",
    "InvalidInputError",
    "ResolverConfigError",
]


class MailauthError(Exception):
    """Base class of every mailauth exception."""


class ZoneParseError(MailauthError, ValueError):
    """Zone-file text that does not parse; ``line`` and ``column`` say where."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class SpfParseError(MailauthError, ValueError):
    """An SPF record that does not parse (RFC 7208 §12); ``offset`` is the
    byte where, ``kind`` what is wrong."""

    def __init__(self, message: str, offset: int, kind: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.kind = kind


class DmarcParseError(MailauthError, ValueError):
    """Text that is not a DMARC record at all (RFC 9989 §4.10 step 2):
    ``offset`` is the byte where, ``reason`` what is wrong. Past a valid
    ``v=DMARC1`` nothing raises: see ``DmarcRecord.validate``."""

    def __init__(self, message: str, offset: int, reason: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.reason = reason


class InvalidInputError(MailauthError, ValueError):
    """An argument of the wrong form or out of its range: an IP address, a
    nameserver, an option; the message says what is allowed."""


class ResolverConfigError(MailauthError):
    """A resolver that cannot be built (no nameservers, bad options)."""
