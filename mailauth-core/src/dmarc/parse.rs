//! The DMARC record parser (RFC 9989 §4.8), one tokenizer for both modes.
//!
//! ```text
//! dmarc-record = dmarc-version *(dmarc-sep dmarc-tag) [dmarc-sep]
//! dmarc-version = "v" equals %s"DMARC1"
//! dmarc-sep    = *WSP ";" *WSP
//! equals       = *WSP "=" *WSP
//! dmarc-tag    = 1*ALPHA equals 1*dmarc-value
//! dmarc-value  = %x20-3A / %x3C-7E
//! ```
//!
//! Case (RFC 5234 §2.3: quoted ABNF strings are case-insensitive): tag
//! names and keyword values (`reject`, `y`, `r`, ...) are read in any case;
//! only `DMARC1` must be upper case, as its `%s` says. A record written
//! `v=dmarc1` is therefore not a DMARC record (RFC 9989 §4.10 step 2
//! discards it); the validator says why.
//!
//! After a valid version, nothing fails (§4.7: "Syntax errors in the
//! remainder of the record MUST be discarded in favor of default values (if
//! any) or ignored outright"): a tag with a syntax error or an invalid value
//! is dropped and reported as a [`Diagnostic`], unknown tags are ignored,
//! and of a repeated tag the first stays (RFC 9989 does not say; the first
//! is what a reader of the record sees as "the" value).

use std::borrow::Cow;
use std::fmt;

use super::DmarcError;
use super::record::{
    AlignmentMode, DmarcRecord, FailureOptions, Policy, PsdFlag, ReportTarget, ReportUri,
};
use crate::dns::validate_name;

/// How serious a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Valid, but probably not what the owner wants.
    Warning,
    /// Outside RFC 9989's grammar or values: receivers drop the tag.
    Error,
}

crate::token::tokens! {
    Severity "severity" {
        Warning = "warning",
        Error = "error",
    }
}

/// Why a TXT record is not a DMARC record (RFC 9989 §4.10 step 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NotDmarcReason {
    /// The record does not start with a `v` tag.
    MissingVersion,
    /// `v=` is followed by `DMARC1` in another case; §4.8 requires
    /// `%s"DMARC1"`.
    VersionCase,
    /// `v=` is followed by something other than `DMARC1` and a separator.
    WrongVersion,
}

crate::token::tokens! {
    NotDmarcReason "reason" {
        MissingVersion = "missing_version",
        VersionCase = "version_case",
        WrongVersion = "wrong_version",
    }
}

impl NotDmarcReason {
    /// What is wrong, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::MissingVersion => "the record does not start with v=DMARC1",
            Self::VersionCase => "DMARC1 must be upper case (RFC 9989 section 4.8)",
            Self::WrongVersion => "the version is not DMARC1",
        }
    }
}

/// What a [`Diagnostic`] is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The record is not DMARC at all; receivers discard it.
    NotDmarc {
        /// Why.
        reason: NotDmarcReason,
    },
    /// Nothing between two separators (`;;`).
    EmptyTag,
    /// A tag name that is not letters only.
    InvalidTagName,
    /// A tag without `=`.
    MissingEquals {
        /// The tag name.
        tag: String,
    },
    /// A tag with nothing after `=`.
    EmptyValue {
        /// The tag name.
        tag: String,
    },
    /// A character outside `%x20-3A / %x3C-7E` (a control, tab or
    /// non-ASCII character) in a value.
    InvalidCharacter {
        /// The tag name.
        tag: String,
    },
    /// A value the tag does not allow; the default applies.
    InvalidValue {
        /// The tag name.
        tag: String,
        /// What the tag allows.
        expected: Cow<'static, str>,
    },
    /// The tag appeared before; this one is ignored.
    DuplicateTag {
        /// The tag name.
        tag: String,
    },
    /// A tag RFC 9989 does not define; ignored.
    UnknownTag {
        /// The tag name.
        tag: String,
    },
    /// `pct`, `rf` or `ri`: removed by RFC 9989 (Appendix C.5), ignored by
    /// its receivers.
    ObsoleteTag {
        /// The tag name.
        tag: String,
    },
    /// A report URI's `!size` suffix: obsolete (RFC 9989 Appendix C.4).
    ObsoleteSizeLimit,
    /// A report URI that is dropped.
    InvalidUri {
        /// `rua` or `ruf`.
        tag: String,
        /// Why.
        reason: Cow<'static, str>,
    },
    /// An invalid `sp` or `np`: like a record without a valid `p`, the
    /// record has no policy of its own (RFC 9989 §4.10.1), so `p`, `sp`
    /// and `np` are all discarded.
    PolicyDiscarded {
        /// `sp` or `np`.
        tag: String,
    },
    /// No policy (no valid `p`, or one discarded) and no valid `rua`: a
    /// valid record, but receivers apply no DMARC policy (RFC 9989
    /// §4.10.1). The record RFC 9990 §3 asks report receivers to publish
    /// is of this kind.
    NoPolicy,
    /// No policy (no valid `p`, or one discarded), but a valid `rua`:
    /// treated as `p=none` (§4.10.1).
    PolicyFromRua,
    /// `p=none`: failing mail is only reported on, never held back.
    MonitoringOnly,
    /// No valid `rua`: nobody receives aggregate reports.
    NoAggregateReports,
    /// `fo` without `ruf` has no effect (§4.7).
    FailureOptionsWithoutRuf,
}

impl fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotDmarc { reason } => write!(f, "not a DMARC record: {}", reason.describe()),
            Self::EmptyTag => f.write_str("empty tag between separators"),
            Self::InvalidTagName => f.write_str("tag name is not letters only"),
            Self::MissingEquals { tag } => write!(f, "tag {tag} has no '='"),
            Self::EmptyValue { tag } => write!(f, "tag {tag} has an empty value"),
            Self::InvalidCharacter { tag } => {
                write!(f, "tag {tag} has a character outside printable ASCII")
            }
            Self::InvalidValue { tag, expected } => {
                write!(
                    f,
                    "invalid {tag} value, expected {expected}; the default applies"
                )
            }
            Self::DuplicateTag { tag } => write!(f, "duplicate tag {tag} is ignored"),
            Self::UnknownTag { tag } => write!(f, "unknown tag {tag} is ignored"),
            Self::ObsoleteTag { tag } => {
                write!(f, "tag {tag} was removed by RFC 9989 and is ignored")
            }
            Self::ObsoleteSizeLimit => {
                f.write_str("the !size suffix is obsolete (RFC 9989) and is ignored")
            }
            Self::InvalidUri { tag, reason } => write!(f, "{tag} URI dropped: {reason}"),
            Self::PolicyDiscarded { tag } => write!(
                f,
                "an invalid {tag} discards the record's policy (RFC 9989 section 4.10.1)"
            ),
            Self::NoPolicy => {
                f.write_str("no valid policy and no valid rua: receivers apply no DMARC policy")
            }
            Self::PolicyFromRua => f.write_str("no valid policy: treated as p=none"),
            Self::MonitoringOnly => {
                f.write_str("p=none: failing mail is reported on but not held back")
            }
            Self::NoAggregateReports => {
                f.write_str("no valid rua: nobody receives aggregate reports")
            }
            Self::FailureOptionsWithoutRuf => f.write_str("fo has no effect without ruf"),
        }
    }
}

/// A finding about a record, with the byte offset it refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Diagnostic {
    /// Byte offset in the record text (of the tag, or of its value).
    pub offset: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What was found.
    pub kind: DiagnosticKind,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at byte {}: {}",
            self.severity.as_str(),
            self.offset,
            self.kind
        )
    }
}

/// A record checked in validator mode: the record receivers would use (if
/// the text is DMARC at all) and every finding, in text order, warnings
/// about the whole record last.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Validation {
    /// The record as RFC 9989 receivers read it; `None` if the text is not
    /// a DMARC record.
    pub record: Option<DmarcRecord>,
    /// Errors and warnings with byte offsets.
    pub diagnostics: Vec<Diagnostic>,
}

impl Validation {
    /// No diagnostic of severity error.
    pub fn is_valid(&self) -> bool {
        self.record.is_some()
            && !self
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error)
    }
}

const WSP: &[char] = &[' ', '\t'];

/// Receiver mode: the record, or why the text is not DMARC.
pub(crate) fn parse(text: &str) -> Result<DmarcRecord, DmarcError> {
    let mut sink = Vec::new();
    parse_into(text, &mut sink, false)
}

/// Validator mode: the record and every diagnostic.
pub(crate) fn validate(text: &str) -> Validation {
    let mut diagnostics = Vec::new();
    let record = match parse_into(text, &mut diagnostics, true) {
        Ok(record) => Some(record),
        Err(DmarcError::NotDmarc { offset, reason }) => {
            diagnostics.push(Diagnostic {
                offset,
                severity: Severity::Error,
                kind: DiagnosticKind::NotDmarc { reason },
            });
            None
        }
        Err(_) => None,
    };
    Validation {
        record,
        diagnostics,
    }
}

/// The tokenizer and tag readers; `advice` adds the whole-record warnings.
fn parse_into(
    text: &str,
    out: &mut Vec<Diagnostic>,
    advice: bool,
) -> Result<DmarcRecord, DmarcError> {
    let rest_at = dmarc_version(text)?;
    let mut parser = TagReader {
        record: DmarcRecord::default(),
        // The version is the first tag; another `v` is a duplicate.
        seen: vec!["v".to_owned()],
        invalid_policy: None,
        out,
    };
    let mut policy_at = None;
    // Every segment after the version's separator.
    let mut offset = rest_at;
    let segments: Vec<&str> = text[rest_at..].split(';').collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.into_iter().enumerate() {
        let start = offset;
        offset += segment.len() + 1;
        if i == 0 {
            // Between the version and the first ';': only WSP (checked by
            // dmarc_version).
            continue;
        }
        let lead = segment.len() - segment.trim_start_matches(WSP).len();
        let tag = segment.trim_matches(WSP);
        if tag.is_empty() {
            if i != last {
                parser.report(start, Severity::Error, DiagnosticKind::EmptyTag);
            }
            continue;
        }
        if let Some((name, value_at)) = parser.dmarc_tag(tag, start + lead)
            && name == "p"
        {
            policy_at = Some(value_at);
        }
    }
    let mut record = parser.record;
    // §4.10.1: a record whose p, sp or np is invalid has no policy of its
    // own (p=none with a valid rua, none at all without). p already stays
    // unset when invalid; an invalid sp or np discards p too.
    if let Some((tag, at)) = parser.invalid_policy {
        (record.p, record.sp, record.np) = (None, None, None);
        if advice {
            out.push(Diagnostic {
                offset: at,
                severity: Severity::Warning,
                kind: DiagnosticKind::PolicyDiscarded { tag },
            });
        }
    }
    if advice {
        whole_record_advice(&record, policy_at, out);
    }
    Ok(record)
}

/// `dmarc-version` and the separator or end after it; returns the offset
/// of the first `;` (or the end).
fn dmarc_version(text: &str) -> Result<usize, DmarcError> {
    let not_dmarc = |offset, reason| DmarcError::NotDmarc { offset, reason };
    let bytes = text.as_bytes();
    if !matches!(bytes.first(), Some(b'v' | b'V')) {
        return Err(not_dmarc(0, NotDmarcReason::MissingVersion));
    }
    let mut at = 1 + skip_wsp(&text[1..]);
    if bytes.get(at) != Some(&b'=') {
        return Err(not_dmarc(0, NotDmarcReason::MissingVersion));
    }
    at += 1;
    at += skip_wsp(&text[at..]);
    let version = text.get(at..at + 6).unwrap_or("");
    if version != "DMARC1" {
        let reason = if version.eq_ignore_ascii_case("DMARC1") {
            NotDmarcReason::VersionCase
        } else {
            NotDmarcReason::WrongVersion
        };
        return Err(not_dmarc(at, reason));
    }
    let end = at + 6;
    let after = end + skip_wsp(&text[end..]);
    match bytes.get(after) {
        None | Some(b';') => Ok(after),
        Some(_) => Err(not_dmarc(at, NotDmarcReason::WrongVersion)),
    }
}

/// The length of the leading WSP run.
fn skip_wsp(text: &str) -> usize {
    text.len() - text.trim_start_matches(WSP).len()
}

/// Reads tags into a record, reporting what it drops.
struct TagReader<'o> {
    record: DmarcRecord,
    seen: Vec<String>,
    /// The first invalid `sp` or `np` and its value's offset.
    invalid_policy: Option<(String, usize)>,
    out: &'o mut Vec<Diagnostic>,
}

impl TagReader<'_> {
    fn report(&mut self, offset: usize, severity: Severity, kind: DiagnosticKind) {
        self.out.push(Diagnostic {
            offset,
            severity,
            kind,
        });
    }

    /// `dmarc-tag` at `at` (WSP already trimmed); returns the lower-case
    /// name and the value's offset when the tag was taken.
    fn dmarc_tag(&mut self, tag: &str, at: usize) -> Option<(String, usize)> {
        let name_len = tag.bytes().take_while(u8::is_ascii_alphabetic).count();
        let name = tag[..name_len].to_ascii_lowercase();
        if name_len == 0 {
            self.report(at, Severity::Error, DiagnosticKind::InvalidTagName);
            return None;
        }
        let after_name = &tag[name_len..];
        let eq = skip_wsp(after_name);
        if !after_name[eq..].starts_with('=') {
            let kind = if after_name[eq..].is_empty() {
                DiagnosticKind::MissingEquals { tag: name }
            } else {
                DiagnosticKind::InvalidTagName
            };
            self.report(at, Severity::Error, kind);
            return None;
        }
        let value_start = name_len + eq + 1;
        let value_start = value_start + skip_wsp(&tag[value_start..]);
        let value = &tag[value_start..];
        let value_at = at + value_start;
        let first = !self.seen.contains(&name);
        if value.is_empty() {
            if first {
                self.invalid_policy_tag(&name, value_at);
            }
            self.report(
                at,
                Severity::Error,
                DiagnosticKind::EmptyValue { tag: name },
            );
            return None;
        }
        if !value.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
            if first {
                self.invalid_policy_tag(&name, value_at);
            }
            self.report(
                value_at,
                Severity::Error,
                DiagnosticKind::InvalidCharacter { tag: name },
            );
            return None;
        }
        if !first {
            self.report(
                at,
                Severity::Error,
                DiagnosticKind::DuplicateTag { tag: name },
            );
            return None;
        }
        self.seen.push(name.clone());
        self.tag_value(&name, value, at, value_at);
        Some((name, value_at))
    }

    /// Notes an `sp` or `np` whose value is not valid (§4.10.1).
    /// A repeated tag is ignored, so only the first occurrence counts.
    fn invalid_policy_tag(&mut self, name: &str, at: usize) {
        if matches!(name, "sp" | "np") && self.invalid_policy.is_none() {
            self.invalid_policy = Some((name.to_owned(), at));
        }
    }

    /// Stores one tag's value, or reports why not; `tag_at` and `at` are
    /// the offsets of the tag and of its value.
    fn tag_value(&mut self, name: &str, value: &str, tag_at: usize, at: usize) {
        if let Err(expected) = self.store(name, value, tag_at, at) {
            self.invalid_policy_tag(name, at);
            self.report(
                at,
                Severity::Error,
                DiagnosticKind::InvalidValue {
                    tag: name.to_owned(),
                    expected: expected.into(),
                },
            );
        }
    }

    /// Stores a valid value; `Err` says what the tag allows.
    fn store(
        &mut self,
        name: &str,
        value: &str,
        tag_at: usize,
        at: usize,
    ) -> Result<(), &'static str> {
        let record = &mut self.record;
        match name {
            "p" | "sp" | "np" => {
                let slot = match name {
                    "p" => &mut record.p,
                    "sp" => &mut record.sp,
                    _ => &mut record.np,
                };
                *slot = Some(Policy::from_value(value).ok_or("none, quarantine or reject")?);
            }
            "adkim" | "aspf" => {
                let modes = [("r", AlignmentMode::Relaxed), ("s", AlignmentMode::Strict)];
                let mode = Some(keyword(value, &modes).ok_or("r or s")?);
                if name == "adkim" {
                    record.adkim = mode;
                } else {
                    record.aspf = mode;
                }
            }
            "psd" => {
                let flags = [
                    ("y", PsdFlag::Yes),
                    ("n", PsdFlag::No),
                    ("u", PsdFlag::Unknown),
                ];
                record.psd = Some(keyword(value, &flags).ok_or("y, n or u")?);
            }
            "t" => record.t = Some(keyword(value, &[("y", true), ("n", false)]).ok_or("y or n")?),
            "fo" => {
                record.fo = Some(
                    failure_options(value)
                        .ok_or("0, 1, d or s separated by ':' (not both 0 and 1, none twice)")?,
                );
            }
            "rua" => self.record.rua = self.uri_list(name, value, at),
            "ruf" => self.record.ruf = self.uri_list(name, value, at),
            "pct" | "rf" | "ri" => {
                let obsolete = DiagnosticKind::ObsoleteTag {
                    tag: name.to_owned(),
                };
                self.report(tag_at, Severity::Warning, obsolete);
                // To an RFC 9989 reader these are unknown tags: whatever
                // their value, nothing worse than this warning. A value
                // RFC 7489 allowed is kept, so the record prints as
                // published.
                let compat = &mut self.record.rfc7489;
                match name {
                    "pct" => compat.pct = value.parse().ok().filter(|pct| *pct <= 100),
                    "rf" => compat.rf = keyword_list(value),
                    _ => compat.ri = value.parse().ok(),
                }
            }
            _ => {
                let unknown = DiagnosticKind::UnknownTag {
                    tag: name.to_owned(),
                };
                self.report(tag_at, Severity::Warning, unknown);
            }
        }
        Ok(())
    }

    /// `dmarc-uri *(*WSP "," *WSP dmarc-uri)`: the valid URIs; each invalid
    /// one is reported and dropped.
    fn uri_list(&mut self, tag: &str, value: &str, at: usize) -> Vec<ReportUri> {
        let mut uris = Vec::new();
        let mut offset = at;
        for item in value.split(',') {
            let item_at = offset + skip_wsp(item);
            offset += item.len() + 1;
            match report_uri(item.trim_matches(WSP)) {
                Ok(uri) => {
                    if uri.size_limit.is_some() {
                        self.report(
                            item_at,
                            Severity::Warning,
                            DiagnosticKind::ObsoleteSizeLimit,
                        );
                    }
                    uris.push(uri);
                }
                Err(reason) => self.report(
                    item_at,
                    Severity::Error,
                    DiagnosticKind::InvalidUri {
                        tag: tag.to_owned(),
                        reason: reason.into(),
                    },
                ),
            }
        }
        uris
    }
}

/// One of the keyword values, ASCII case-insensitively.
fn keyword<T: Copy>(value: &str, table: &[(&str, T)]) -> Option<T> {
    table
        .iter()
        .find(|(word, _)| word.eq_ignore_ascii_case(value))
        .map(|(_, v)| *v)
}

/// `fo`: `0`, `1`, `d`, `s` separated by `*WSP ":" *WSP`; `0` and `1`
/// exclude each other and none may repeat (the RFC 9989 ABNF).
fn failure_options(value: &str) -> Option<FailureOptions> {
    let mut options = FailureOptions {
        all_failed: false,
        any_failed: false,
        dkim: false,
        spf: false,
    };
    for option in value.split(':') {
        let slot = match option.trim_matches(WSP) {
            "0" => &mut options.all_failed,
            "1" => &mut options.any_failed,
            "d" | "D" => &mut options.dkim,
            "s" | "S" => &mut options.spf,
            _ => return None,
        };
        if *slot {
            return None;
        }
        *slot = true;
    }
    (!(options.all_failed && options.any_failed)).then_some(options)
}

/// `rf`: keywords (letters and digits) separated by `:`, lower-cased.
fn keyword_list(value: &str) -> Option<String> {
    let words: Vec<&str> = value.split(':').map(|w| w.trim_matches(WSP)).collect();
    words
        .iter()
        .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| words.join(":").to_ascii_lowercase())
}

/// One `dmarc-uri`: a `mailto:` or `https:` URI (RFC 3986) with an optional
/// obsolete `!size` suffix (`1*DIGIT [ "k" / "m" / "g" / "t" ]`).
fn report_uri(text: &str) -> Result<ReportUri, &'static str> {
    if text.is_empty() {
        return Err("empty URI");
    }
    let (uri, size_limit) = match text.rsplit_once('!') {
        Some((uri, size)) => {
            let digits = size.trim_end_matches(['k', 'm', 'g', 't', 'K', 'M', 'G', 'T']);
            let unit_len = size.len() - digits.len();
            if digits.is_empty() || unit_len > 1 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err("'!' must be percent-encoded unless it starts a size limit");
            }
            (uri, Some(size.to_ascii_lowercase()))
        }
        None => (text, None),
    };
    if uri
        .bytes()
        .any(|b| !b.is_ascii_graphic() || b"\"<>\\^`{|}!".contains(&b))
    {
        return Err("a character URIs do not allow");
    }
    let (scheme, rest) = uri.split_once(':').ok_or("no scheme")?;
    let (target, host) = if scheme.eq_ignore_ascii_case("mailto") {
        let address = rest.split('?').next().unwrap_or_default();
        let (local, domain) = address.rsplit_once('@').ok_or("mailto without '@'")?;
        if local.is_empty() {
            return Err("mailto with an empty local part");
        }
        (
            ReportTarget::Mailto {
                address: address.to_owned(),
            },
            domain,
        )
    } else if scheme.eq_ignore_ascii_case("https") {
        let authority = rest.strip_prefix("//").ok_or("https URI without '//'")?;
        let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = match host_port.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
            _ => host_port,
        };
        (ReportTarget::Https, host)
    } else {
        return Err("only mailto: and https: URIs are supported");
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
        || validate_name(host).is_err()
    {
        return Err("the URI's host is not a valid domain name");
    }
    Ok(ReportUri {
        uri: uri.to_owned(),
        target,
        host: host.to_ascii_lowercase(),
        size_limit,
    })
}

/// Warnings about the record as a whole (validator mode).
fn whole_record_advice(record: &DmarcRecord, policy_at: Option<usize>, out: &mut Vec<Diagnostic>) {
    let mut push = |offset, severity, kind| {
        out.push(Diagnostic {
            offset,
            severity,
            kind,
        })
    };
    match (record.p, record.rua.is_empty()) {
        (None, true) => push(0, Severity::Warning, DiagnosticKind::NoPolicy),
        (None, false) => push(0, Severity::Warning, DiagnosticKind::PolicyFromRua),
        (Some(Policy::None), _) => push(
            policy_at.unwrap_or(0),
            Severity::Warning,
            DiagnosticKind::MonitoringOnly,
        ),
        _ => {}
    }
    if record.p.is_some() && record.rua.is_empty() {
        push(0, Severity::Warning, DiagnosticKind::NoAggregateReports);
    }
    if record.fo.is_some() && record.ruf.is_empty() {
        push(
            0,
            Severity::Warning,
            DiagnosticKind::FailureOptionsWithoutRuf,
        );
    }
}
