//! What check_host() returns (RFC 7208 §2.6) and why, and its renderings as
//! `Received-SPF` (§9.1) and `Authentication-Results` (RFC 8601).

use std::fmt::Write as _;
use std::net::IpAddr;

use super::record::Directive;
use crate::text::{is_token, push_comment, push_quoted};

/// The result of check_host(), RFC 7208 §2.6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpfResult {
    /// No record, or no valid domain to check (§2.6.1).
    None,
    /// The domain makes no assertion (§2.6.2).
    Neutral,
    /// The client is authorised (§2.6.3).
    Pass,
    /// The client is not authorised (§2.6.4).
    Fail,
    /// Probably not authorised (§2.6.5).
    SoftFail,
    /// A transient DNS error (§2.6.6).
    TempError,
    /// The published records could not be interpreted (§2.6.7).
    PermError,
}

crate::token::tokens! {
    SpfResult "SPF result" {
        None = "none",
        Neutral = "neutral",
        Pass = "pass",
        Fail = "fail",
        SoftFail = "softfail",
        TempError = "temperror",
        PermError = "permerror",
    }
}

/// Why check_host() gave its result.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum SpfCause {
    /// A directive matched: it, and the domain whose record holds it.
    Matched {
        /// The directive.
        directive: Directive,
        /// The domain whose record holds it.
        domain: String,
    },
    /// No directive matched and there was no `redirect=`: the default
    /// result, neutral (RFC 7208 §4.7).
    NoMatch {
        /// The domain whose record was evaluated last.
        domain: String,
    },
    /// The domain publishes no SPF record (§4.5), or is not a valid domain
    /// to check (§4.3).
    NoRecord {
        /// The domain.
        domain: String,
        /// Why there is none.
        reason: NoRecordReason,
    },
    /// An error ended the evaluation.
    Error {
        /// What went wrong.
        kind: SpfErrorKind,
        /// The domain being evaluated when it did.
        domain: String,
        /// Details: the record text and offset, the name queried, ...
        detail: String,
    },
}

impl SpfCause {
    /// A one-line human summary.
    pub fn summary(&self) -> String {
        match self {
            SpfCause::Matched { directive, domain } => {
                format!("matched {directive} in the record of {domain}")
            }
            SpfCause::NoMatch { domain } => {
                format!("no mechanism matched in the record of {domain}")
            }
            SpfCause::NoRecord { domain, reason } => match reason {
                NoRecordReason::InvalidDomain => format!("{domain} is not a valid domain to check"),
                NoRecordReason::NxDomain => format!("{domain} does not exist"),
                NoRecordReason::NoSpfRecord => format!("{domain} publishes no SPF record"),
            },
            SpfCause::Error {
                kind,
                domain,
                detail,
            } => {
                format!("{} at {domain}: {detail}", kind.describe())
            }
        }
    }
}

/// Why a domain has no SPF record to evaluate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NoRecordReason {
    /// The domain is malformed or not multi-label (§4.3).
    InvalidDomain,
    /// NXDOMAIN (§4.3).
    NxDomain,
    /// TXT records, but none is an SPF record (§4.5).
    NoSpfRecord,
}

crate::token::tokens! {
    NoRecordReason "no-record reason" {
        InvalidDomain = "invalid_domain",
        NxDomain = "nxdomain",
        NoSpfRecord = "no_spf_record",
    }
}

/// What went wrong, for [`SpfCause::Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SpfErrorKind {
    /// A DNS timeout or server failure (temperror, §2.6.6).
    Dns,
    /// More than one SPF record at a domain (permerror, §4.5).
    MultipleRecords,
    /// A record that does not parse (permerror, §4.6).
    Syntax,
    /// More DNS-querying terms than the limit (permerror, §4.6.4).
    LookupLimit,
    /// More void lookups than the limit (permerror, §4.6.4).
    VoidLookupLimit,
    /// More MX names than the limit (permerror, §4.6.4).
    MxLimit,
    /// `include:` of a domain without an SPF record (permerror, §5.2).
    IncludeNone,
    /// `redirect=` to a domain without an SPF record (permerror, §6.1).
    RedirectNone,
    /// The overall deadline passed (temperror).
    Deadline,
}

crate::token::tokens! {
    SpfErrorKind "SPF error kind" {
        Dns = "dns",
        MultipleRecords = "multiple_records",
        Syntax = "syntax",
        LookupLimit = "lookup_limit",
        VoidLookupLimit = "void_lookup_limit",
        MxLimit = "mx_limit",
        IncludeNone = "include_none",
        RedirectNone = "redirect_none",
        Deadline = "deadline",
    }
}

impl SpfErrorKind {
    /// A short description.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Dns => "DNS error",
            Self::MultipleRecords => "more than one SPF record",
            Self::Syntax => "syntax error",
            Self::LookupLimit => "too many DNS-querying terms",
            Self::VoidLookupLimit => "too many void lookups",
            Self::MxLimit => "too many MX names",
            Self::IncludeNone => "include target has no SPF record",
            Self::RedirectNone => "redirect target has no SPF record",
            Self::Deadline => "evaluation deadline passed",
        }
    }
}

/// One step of an evaluation, recorded when tracing is on.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TraceStep {
    /// Nesting depth: 0 for the checked domain, +1 per include/redirect.
    pub depth: u8,
    /// The domain whose record is being evaluated.
    pub domain: String,
    /// What happened.
    pub event: String,
}

/// Everything check_host() found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SpfOutput {
    /// The result.
    pub result: SpfResult,
    /// Why.
    pub cause: SpfCause,
    /// On `fail`: the explanation (RFC 7208 §6.2), the domain's `exp=`
    /// text or the configured default, after the [text rule](crate::text):
    /// printable US-ASCII only (every other character of `%{l}`, `%{s}` or
    /// the TXT record becomes `?`), at most
    /// [`MAX_REPLY_TEXT`](crate::text::MAX_REPLY_TEXT) octets, so that a
    /// receiver can put it into its SMTP reply as it is (§8.4).
    pub explanation: Option<String>,
    /// DNS-querying terms evaluated (limit 10 by default, §4.6.4).
    pub lookups: u32,
    /// Void lookups seen (limit 2 by default, §4.6.4).
    pub void_lookups: u32,
    /// The longest chain of DNS questions each of which needed the answer
    /// of the one before (the record, an include's record, ..., an MX and
    /// its exchange's address): the fewest round trips in which any
    /// evaluation can reach this output. With speculative lookups
    /// ([`SpfConfig::speculate`](super::SpfConfig::speculate)) the
    /// evaluation's time approaches it; without, it takes one round trip
    /// per question.
    #[cfg_attr(feature = "serde", serde(default))]
    pub round_trips: u32,
    /// The steps, when tracing was on.
    pub trace: Vec<TraceStep>,
}

impl SpfOutput {
    /// The directive that matched, if any.
    pub fn matched(&self) -> Option<&Directive> {
        match &self.cause {
            SpfCause::Matched { directive, .. } => Some(directive),
            _ => None,
        }
    }

    /// A one-line human summary of the cause.
    pub fn summary(&self) -> String {
        self.cause.summary()
    }
}

/// The identity an SPF check was for (RFC 7208 §2.3, §2.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Identity {
    /// The MAIL FROM identity.
    MailFrom,
    /// The HELO identity.
    Helo,
}

crate::token::tokens! {
    Identity "identity" {
        MailFrom = "mailfrom",
        Helo = "helo",
    }
}

/// The facts a header rendering needs beyond the output.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct HeaderContext<'a> {
    /// The identity checked.
    pub identity: Identity,
    /// The client IP.
    pub client_ip: IpAddr,
    /// The HELO name.
    pub helo: &'a str,
    /// The envelope sender (MAIL FROM address, or `postmaster@<helo>`).
    pub envelope_from: &'a str,
    /// The receiving host (`receiver=`, the `authserv-id`).
    pub receiver: &'a str,
}

impl<'a> HeaderContext<'a> {
    /// The facts of one check: the identity, the client, the HELO name,
    /// the envelope sender and the receiving host.
    pub fn new(
        identity: Identity,
        client_ip: IpAddr,
        helo: &'a str,
        envelope_from: &'a str,
        receiver: &'a str,
    ) -> Self {
        Self {
            identity,
            client_ip,
            helo,
            envelope_from,
            receiver,
        }
    }
}

impl SpfOutput {
    /// The `Received-SPF:` field value of RFC 7208 §9.1 (without the field
    /// name): result, a comment, and key-value pairs. Identity text is
    /// quoted or has unsafe characters replaced, never raw CR or LF.
    pub fn received_spf(&self, ctx: &HeaderContext<'_>) -> String {
        let mut out = String::new();
        out.push_str(self.result.as_str());
        out.push_str(" (");
        push_comment(&mut out, ctx.receiver);
        out.push_str(": ");
        push_comment(&mut out, &self.summary());
        out.push_str(") ");
        let _ = write!(out, "client-ip={}; ", ctx.client_ip);
        out.push_str("envelope-from=");
        push_quoted(&mut out, ctx.envelope_from);
        out.push_str("; helo=");
        if is_token(ctx.helo) {
            out.push_str(ctx.helo);
        } else {
            push_quoted(&mut out, ctx.helo);
        }
        out.push_str("; receiver=");
        if is_token(ctx.receiver) {
            out.push_str(ctx.receiver);
        } else {
            push_quoted(&mut out, ctx.receiver);
        }
        let _ = write!(out, "; identity={};", ctx.identity.as_str());
        out
    }

    /// The `spf=` method of an `Authentication-Results:` field (RFC 8601
    /// §2.7.2): `spf=pass smtp.mailfrom=...` (or `smtp.helo=...`).
    pub fn authentication_results(&self, ctx: &HeaderContext<'_>) -> String {
        let mut out = format!("spf={}", self.result.as_str());
        let (property, value) = match ctx.identity {
            Identity::MailFrom => ("smtp.mailfrom", ctx.envelope_from),
            Identity::Helo => ("smtp.helo", ctx.helo),
        };
        out.push(' ');
        out.push_str(property);
        out.push('=');
        // A mailbox (local-part "@" domain) is allowed as pvalue; anything
        // else unusual is quoted.
        let mailbox_ok = value
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"()<>,;:\\\"[]".contains(&b));
        if !value.is_empty() && mailbox_ok {
            out.push_str(value);
        } else {
            push_quoted(&mut out, value);
        }
        out
    }
}
