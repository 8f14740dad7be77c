//! BIMI assertion records (Brand Indicators for Message Identification,
//! draft-brand-indicators-for-message-identification §4.2): a TXT record at
//! `<selector>._bimi.<domain>`, `default._bimi.<domain>` unless a message
//! names another selector.
//!
//! The record is a DKIM-style tag list (RFC 6376 §3.2) whose first tag is
//! `v=BIMI1`; `l=` locates the SVG logo and `a=` the evidence document (a
//! mark certificate), each an `https:` URI or empty. A record with both
//! empty declines to publish an indicator.
//!
//! ```
//! use mailauth_core::bimi::{BimiErrorKind, BimiRecord};
//!
//! let record = BimiRecord::parse("v=BIMI1; l=https://example.com/logo.svg; a=;")?;
//! assert_eq!(record.location.as_deref(), Some("https://example.com/logo.svg"));
//! assert!(record.authority.is_none() && !record.declines());
//! let bad = BimiRecord::parse("v=BIMI1; l=http://example.com/logo.svg").unwrap_err();
//! assert_eq!((bad.offset, bad.kind), (11, BimiErrorKind::NotHttps));
//! # Ok::<(), mailauth_core::bimi::BimiError>(())
//! ```

use std::fmt;

use crate::dkim::tag;
use crate::dkim::{TagError, TagErrorKind};

/// The selector a receiver uses when the message names none.
pub const DEFAULT_SELECTOR: &str = "default";

/// Why a BIMI record does not parse, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[error("at byte {offset}: {kind}")]
#[non_exhaustive]
pub struct BimiError {
    /// The byte offset of the fault in the record's text.
    pub offset: usize,
    /// What is wrong there.
    pub kind: BimiErrorKind,
}

/// What is wrong with a BIMI record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum BimiErrorKind {
    /// The tag list itself is malformed (RFC 6376 §3.2).
    TagList(TagErrorKind),
    /// The first tag is not `v=BIMI1`.
    Version,
    /// `l=` or `a=` is neither empty nor an `https:` URI.
    NotHttps,
}

impl fmt::Display for BimiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TagList(kind) => kind.fmt(f),
            Self::Version => f.write_str("the first tag must be v=BIMI1"),
            Self::NotHttps => f.write_str("l= and a= must be empty or an https: URI"),
        }
    }
}

impl From<TagError> for BimiError {
    fn from(error: TagError) -> Self {
        Self {
            offset: error.offset,
            kind: BimiErrorKind::TagList(error.kind),
        }
    }
}

/// A BIMI assertion record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct BimiRecord {
    /// `l=`: the logo's `https:` URI; `None` when absent or empty.
    pub location: Option<String>,
    /// `a=`: the evidence document's `https:` URI; `None` when absent or
    /// empty.
    pub authority: Option<String>,
}

impl BimiRecord {
    /// Parses the text of one record (its strings joined).
    ///
    /// # Errors
    /// [`BimiError`] with the offset of the first fault.
    pub fn parse(text: &str) -> Result<Self, BimiError> {
        let tags = tag::parse(text)?;
        match tags.first() {
            Some(first) if first.name == "v" && first.value == "BIMI1" => {}
            _ => {
                return Err(BimiError {
                    offset: 0,
                    kind: BimiErrorKind::Version,
                });
            }
        }
        let uri = |name: &str| -> Result<Option<String>, BimiError> {
            let Some(found) = tags.iter().find(|t| t.name == name) else {
                return Ok(None);
            };
            if found.value.is_empty() {
                return Ok(None);
            }
            let https = found
                .value
                .get(..8)
                .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
                && found.value.len() > 8
                && !found.value.bytes().any(|b| b.is_ascii_whitespace());
            match https {
                true => Ok(Some(found.value.to_owned())),
                false => Err(BimiError {
                    offset: found.offset,
                    kind: BimiErrorKind::NotHttps,
                }),
            }
        };
        Ok(Self {
            location: uri("l")?,
            authority: uri("a")?,
        })
    }

    /// Whether the record declines to publish an indicator (no logo and no
    /// evidence).
    pub fn declines(&self) -> bool {
        self.location.is_none() && self.authority.is_none()
    }

    /// Whether a TXT record's text is a BIMI record candidate: it begins
    /// with the `v=BIMI1` tag.
    pub fn is_candidate(text: &[u8]) -> bool {
        text.strip_prefix(b"v=BIMI1").is_some_and(|rest| {
            rest.iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_none_or(|&b| b == b';')
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records() {
        let ok: &[(&str, Option<&str>, Option<&str>)] = &[
            (
                "v=BIMI1; l=https://x.example/l.svg",
                Some("https://x.example/l.svg"),
                None,
            ),
            ("v=BIMI1;l=;a=", None, None),
            ("v=BIMI1", None, None),
            (
                "v=BIMI1; l=https://x.example/l.svg; a=HTTPS://x.example/vmc.pem; avp=brand",
                Some("https://x.example/l.svg"),
                Some("HTTPS://x.example/vmc.pem"),
            ),
        ];
        for &(text, l, a) in ok {
            let record = BimiRecord::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                (record.location.as_deref(), record.authority.as_deref()),
                (l, a)
            );
            assert_eq!(record.declines(), l.is_none() && a.is_none());
            assert!(BimiRecord::is_candidate(text.as_bytes()), "{text}");
        }
        let bad: &[(&str, usize, BimiErrorKind)] = &[
            ("", 0, BimiErrorKind::Version),
            ("l=https://x.example/; v=BIMI1", 0, BimiErrorKind::Version),
            ("v=BIMI2; l=", 0, BimiErrorKind::Version),
            (
                "v=BIMI1; l=http://x.example/l.svg",
                11,
                BimiErrorKind::NotHttps,
            ),
            ("v=BIMI1; a=https://", 11, BimiErrorKind::NotHttps),
            ("v=BIMI1; l=https://x y", 11, BimiErrorKind::NotHttps),
            (
                "v=BIMI1; l",
                9,
                BimiErrorKind::TagList(TagErrorKind::MissingEquals),
            ),
            (
                "v=BIMI1; l=; l=",
                13,
                BimiErrorKind::TagList(TagErrorKind::Duplicate),
            ),
        ];
        for &(text, offset, kind) in bad {
            let error = BimiRecord::parse(text).expect_err(text);
            assert_eq!((error.offset, error.kind), (offset, kind), "{text:?}");
        }
        for text in ["v=BIMI10", "x", "v=DMARC1; p=none"] {
            assert!(!BimiRecord::is_candidate(text.as_bytes()));
        }
    }
}
