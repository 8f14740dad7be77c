//! The DNS records of SMTP TLS policy: MTA-STS (RFC 8461 §3.1, a TXT record
//! at `_mta-sts.<domain>`) and SMTP TLS Reporting (RFC 8460 §3, a TXT
//! record at `_smtp._tls.<domain>`).
//!
//! Only the records: fetching the MTA-STS policy file over HTTPS is not
//! part of this crate. Both grammars are parsed exactly, with the byte
//! offset of the first fault; a sender treats an invalid record as no
//! record (RFC 8461 §3.1, RFC 8460 §3), so a scan reports it as an error.
//!
//! ```
//! use mailauth_core::smtp_tls::{MtaStsRecord, RecordErrorKind, TlsRptRecord};
//!
//! let sts = MtaStsRecord::parse("v=STSv1; id=20261201T000000;")?;
//! assert_eq!(sts.id, "20261201T000000");
//! let rpt = TlsRptRecord::parse("v=TLSRPTv1; rua=mailto:tls@example.com, https://r.example/tls")?;
//! assert_eq!(rpt.rua, ["mailto:tls@example.com", "https://r.example/tls"]);
//! let bad = MtaStsRecord::parse("v=STSv1; id=2026-12-01").unwrap_err();
//! assert_eq!((bad.offset, bad.kind), (12, RecordErrorKind::BadId));
//! # Ok::<(), mailauth_core::smtp_tls::RecordError>(())
//! ```

use std::fmt;

/// Where MTA-STS is published under a domain (RFC 8461 §3.1).
pub const MTA_STS_PREFIX: &str = "_mta-sts";
/// Where TLS-RPT is published under a domain (RFC 8460 §3).
pub const TLS_RPT_PREFIX: &str = "_smtp._tls";

const STS_VERSION: &str = "v=STSv1";
const RPT_VERSION: &str = "v=TLSRPTv1";

/// Why a record does not parse, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[error("at byte {offset}: {kind}")]
#[non_exhaustive]
pub struct RecordError {
    /// The byte offset of the fault in the record's text.
    pub offset: usize,
    /// What is wrong there.
    pub kind: RecordErrorKind,
}

/// What is wrong with an MTA-STS or TLS-RPT record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum RecordErrorKind {
    /// The record does not begin with `v=STSv1` or `v=TLSRPTv1` (exact
    /// case).
    Version,
    /// The version is not followed by any field.
    NoFields,
    /// Where a field ends, something other than `;` (after optional
    /// spaces and tabs).
    Delimiter,
    /// A field name that is not a letter or digit followed by at most 31
    /// letters, digits, `_`, `-` or `.`.
    BadName,
    /// A field without `=`.
    MissingEquals,
    /// An empty value, or a character a value may not hold (`=`, `;`,
    /// space, a control or non-ASCII character).
    BadValue,
    /// The record's own field (`id=`, `rua=`) twice.
    Duplicate,
    /// MTA-STS without `id=` (required, RFC 8461 §3.1).
    MissingId,
    /// An `id=` that is not 1 to 32 letters and digits.
    BadId,
    /// TLS-RPT without `rua=` (required, RFC 8460 §3).
    MissingRua,
    /// A `rua=` destination that is neither a `mailto:` nor an `https:` URI
    /// (the two schemes of RFC 8460 §3), or is empty.
    BadUri,
}

impl fmt::Display for RecordErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Version => "the record must begin with its version tag, in exactly this case",
            Self::NoFields => "no field after the version",
            Self::Delimiter => "expected ';' between fields",
            Self::BadName => "a field name must be a letter or digit, then at most 31 letters, digits, '_', '-' or '.'",
            Self::MissingEquals => "a field without '='",
            Self::BadValue => "a value may not be empty nor hold '=', ';', spaces or control characters",
            Self::Duplicate => "id= or rua= twice",
            Self::MissingId => "no id= field (required)",
            Self::BadId => "id= must be 1 to 32 letters and digits",
            Self::MissingRua => "no rua= field (required)",
            Self::BadUri => "a rua= destination must be a mailto: or https: URI",
        })
    }
}

fn fault(offset: usize, kind: RecordErrorKind) -> RecordError {
    RecordError { offset, kind }
}

/// One `name=value` field with the offset of its value.
struct Field<'a> {
    name: &'a str,
    value: &'a str,
    offset: usize,
}

fn skip_wsp(bytes: &[u8], from: usize) -> usize {
    from + bytes[from..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

/// A value character: `%x21-3A / %x3C / %x3E-7E` (RFC 8461 §3.1, RFC 8460
/// §3: visible ASCII but `;` and `=`).
fn is_value_char(b: u8) -> bool {
    matches!(b, 0x21..=0x3a | 0x3c | 0x3e..=0x7e)
}

/// Splits `version 1*(delim field) [delim]`, `delim = *WSP ";" *WSP`.
/// `defined` is the record's own field, which may appear once; when `list`,
/// its value runs to the next `;` and may hold whitespace around commas
/// (TLS-RPT's `rua`).
fn fields<'a>(
    text: &'a str,
    version: &str,
    defined: &str,
    list: bool,
) -> Result<Vec<Field<'a>>, RecordError> {
    let bytes = text.as_bytes();
    if !text.starts_with(version) {
        return Err(fault(0, RecordErrorKind::Version));
    }
    let mut fields: Vec<Field<'a>> = Vec::new();
    let mut pos = version.len();
    loop {
        let delim = skip_wsp(bytes, pos);
        if delim == bytes.len() && delim == pos && !fields.is_empty() {
            return Ok(fields);
        }
        if bytes.get(delim) != Some(&b';') {
            let kind = if delim == bytes.len() && fields.is_empty() {
                RecordErrorKind::NoFields
            } else {
                RecordErrorKind::Delimiter
            };
            return Err(fault(delim, kind));
        }
        let start = skip_wsp(bytes, delim + 1);
        if start == bytes.len() {
            return match fields.is_empty() {
                true => Err(fault(start, RecordErrorKind::NoFields)),
                false => Ok(fields),
            };
        }
        let name_len = bytes[start..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            .count();
        if name_len == 0 || name_len > 32 || !bytes[start].is_ascii_alphanumeric() {
            return Err(fault(start, RecordErrorKind::BadName));
        }
        let eq = start + name_len;
        if bytes.get(eq) != Some(&b'=') {
            return Err(fault(eq, RecordErrorKind::MissingEquals));
        }
        let name = &text[start..eq];
        let value_start = eq + 1;
        let value_end = if list && name == defined {
            let end = memchr::memchr(b';', &bytes[value_start..])
                .map_or(bytes.len(), |i| value_start + i);
            // Trailing whitespace belongs to the delimiter.
            value_start + text[value_start..end].trim_end_matches([' ', '\t']).len()
        } else {
            let len = bytes[value_start..]
                .iter()
                .take_while(|&&b| is_value_char(b))
                .count();
            let end = value_start + len;
            if !matches!(bytes.get(end), None | Some(b' ' | b'\t' | b';')) {
                return Err(fault(end, RecordErrorKind::BadValue));
            }
            end
        };
        if value_end == value_start {
            return Err(fault(value_start, RecordErrorKind::BadValue));
        }
        // Only the defined field is checked: senders ignore extensions,
        // and a list of thousands must not cost a quadratic search.
        if name == defined && fields.iter().any(|f| f.name == name) {
            return Err(fault(start, RecordErrorKind::Duplicate));
        }
        fields.push(Field {
            name,
            value: &text[value_start..value_end],
            offset: value_start,
        });
        pos = value_end;
    }
}

/// The fields other than the ones a record defines, kept as published.
fn extensions(fields: &[Field<'_>], known: &str) -> Vec<(String, String)> {
    fields
        .iter()
        .filter(|f| f.name != known)
        .map(|f| (f.name.to_owned(), f.value.to_owned()))
        .collect()
}

/// An MTA-STS record (RFC 8461 §3.1): the domain has a policy, and its
/// version is `id`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MtaStsRecord {
    /// The policy's id: 1 to 32 letters and digits; a new id tells
    /// senders to fetch the policy again.
    pub id: String,
    /// Other fields (`name`, `value`), which senders ignore.
    pub extensions: Vec<(String, String)>,
}

impl MtaStsRecord {
    /// Parses the text of one record (its strings joined).
    ///
    /// # Errors
    /// [`RecordError`] with the offset of the first fault.
    pub fn parse(text: &str) -> Result<Self, RecordError> {
        let fields = fields(text, STS_VERSION, "id", false)?;
        let id = fields
            .iter()
            .find(|f| f.name == "id")
            .ok_or(fault(text.len(), RecordErrorKind::MissingId))?;
        if id.value.len() > 32 || !id.value.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(fault(id.offset, RecordErrorKind::BadId));
        }
        Ok(Self {
            id: id.value.to_owned(),
            extensions: extensions(&fields, "id"),
        })
    }

    /// Whether a TXT record's text is an MTA-STS record candidate: it
    /// begins with `v=STSv1;` (RFC 8461 §3.1 discards the others), spaces
    /// before the `;` allowed.
    pub fn is_candidate(text: &[u8]) -> bool {
        is_candidate(text, STS_VERSION)
    }
}

/// A TLS-RPT record (RFC 8460 §3): where senders send their daily reports
/// of TLS failures.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TlsRptRecord {
    /// The destinations, `mailto:` or `https:` URIs, in order.
    pub rua: Vec<String>,
    /// Other fields (`name`, `value`), which reporters ignore.
    pub extensions: Vec<(String, String)>,
}

impl TlsRptRecord {
    /// Parses the text of one record (its strings joined).
    ///
    /// # Errors
    /// [`RecordError`] with the offset of the first fault.
    pub fn parse(text: &str) -> Result<Self, RecordError> {
        let fields = fields(text, RPT_VERSION, "rua", true)?;
        let rua = fields
            .iter()
            .find(|f| f.name == "rua")
            .ok_or(fault(text.len(), RecordErrorKind::MissingRua))?;
        let mut uris = Vec::new();
        let mut offset = rua.offset;
        for part in rua.value.split(',') {
            let lead = part.len() - part.trim_start_matches([' ', '\t']).len();
            let uri = part.trim_matches([' ', '\t']);
            let scheme_ok = uri.split_once(':').is_some_and(|(s, rest)| {
                (s.eq_ignore_ascii_case("mailto") || s.eq_ignore_ascii_case("https"))
                    && !rest.is_empty()
            });
            // RFC 8460 §3: "," and "!" in a URI are percent-encoded, so
            // none is left inside one; neither is whitespace.
            let chars_ok = uri.bytes().all(|b| is_value_char(b) || b == b'=') && !uri.contains('!');
            if !scheme_ok || !chars_ok {
                return Err(fault(offset + lead, RecordErrorKind::BadUri));
            }
            uris.push(uri.to_owned());
            offset += part.len() + 1;
        }
        Ok(Self {
            rua: uris,
            extensions: extensions(&fields, "rua"),
        })
    }

    /// Whether a TXT record's text is a TLS-RPT record candidate: it
    /// begins with `v=TLSRPTv1;` (RFC 8460 §3 discards the others),
    /// spaces before the `;` allowed.
    pub fn is_candidate(text: &[u8]) -> bool {
        is_candidate(text, RPT_VERSION)
    }
}

fn is_candidate(text: &[u8], version: &str) -> bool {
    text.strip_prefix(version.as_bytes())
        .is_some_and(|rest| rest.iter().find(|&&b| b != b' ' && b != b'\t') == Some(&b';'))
}

#[cfg(test)]
mod tests;
