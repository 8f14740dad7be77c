//! The tag=value list shared by the `DKIM-Signature` field and the key
//! record (RFC 6376 §3.2).

use std::fmt;

/// One `tag=value` of a list: the value with the whitespace around it
/// removed (inner whitespace is kept, §3.2), and its byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Tag<'a> {
    pub(crate) name: &'a str,
    pub(crate) value: &'a str,
    /// Where the value starts in the list's text.
    pub(crate) offset: usize,
    /// The bytes after `=` up to the `;` (or the end), whitespace
    /// included: what `b=` loses in the header hash input (§3.7).
    pub(crate) raw: std::ops::Range<usize>,
}

/// Why a tag list does not parse, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("at byte {offset}: {kind}")]
#[non_exhaustive]
pub struct TagError {
    /// The byte offset of the fault in the text.
    pub offset: usize,
    /// What is wrong there.
    pub kind: TagErrorKind,
}

/// What is wrong with a tag list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TagErrorKind {
    /// A `tag-spec` without `=`.
    MissingEquals,
    /// A tag name that is not `ALPHA *(ALPHA / DIGIT / "_")`.
    BadName,
    /// A value character outside `%x21-3A / %x3C-7E` and whitespace.
    BadValue,
    /// The same tag twice: the whole list is invalid (§3.2).
    Duplicate,
}

impl fmt::Display for TagErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::MissingEquals => "a tag without '='",
            Self::BadName => "a tag name must be a letter followed by letters, digits or '_'",
            Self::BadValue => "a control or non-ASCII character in a value",
            Self::Duplicate => "the same tag twice (RFC 6376 section 3.2 invalidates the list)",
        })
    }
}

/// Folding whitespace as the tag-list grammar allows it: SP, HTAB and the
/// CRLF of a folded line.
fn is_fws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Parses a tag list (§3.2): `tag-spec *(";" tag-spec) [";"]`. An empty
/// `tag-spec` is allowed only as the trailing `;`.
pub(crate) fn parse(text: &str) -> Result<Vec<Tag<'_>>, TagError> {
    let bytes = text.as_bytes();
    let mut tags: Vec<Tag<'_>> = Vec::new();
    let mut start = 0;
    while start <= bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b';')
            .map_or(bytes.len(), |i| start + i);
        let spec = &text[start..end];
        let trimmed = spec.trim_matches(|c: char| c.is_ascii() && is_fws(c as u8));
        if trimmed.is_empty() {
            // Only the spec after the last ';' may be empty.
            if end < bytes.len() {
                return Err(TagError {
                    offset: start,
                    kind: TagErrorKind::MissingEquals,
                });
            }
            break;
        }
        let lead = spec.len()
            - spec
                .trim_start_matches(|c: char| c.is_ascii() && is_fws(c as u8))
                .len();
        let Some(eq) = spec.find('=') else {
            return Err(TagError {
                offset: start + lead,
                kind: TagErrorKind::MissingEquals,
            });
        };
        let name = spec[..eq].trim_matches(|c: char| c.is_ascii() && is_fws(c as u8));
        let name_ok = name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !name_ok {
            return Err(TagError {
                offset: start + lead,
                kind: TagErrorKind::BadName,
            });
        }
        let raw = &spec[eq + 1..];
        let value_lead = raw.len()
            - raw
                .trim_start_matches(|c: char| c.is_ascii() && is_fws(c as u8))
                .len();
        let value = raw.trim_matches(|c: char| c.is_ascii() && is_fws(c as u8));
        let value_offset = start + eq + 1 + value_lead;
        if let Some(bad) = value
            .bytes()
            .position(|b| !(is_fws(b) || (0x21..=0x7e).contains(&b)))
        {
            return Err(TagError {
                offset: value_offset + bad,
                kind: TagErrorKind::BadValue,
            });
        }
        if tags.iter().any(|t| t.name == name) {
            return Err(TagError {
                offset: start + lead,
                kind: TagErrorKind::Duplicate,
            });
        }
        tags.push(Tag {
            name,
            value,
            offset: value_offset,
            raw: start + eq + 1..end,
        });
        start = end + 1;
    }
    Ok(tags)
}

/// The value of tag `name`.
pub(crate) fn get<'a>(tags: &[Tag<'a>], name: &str) -> Option<&'a str> {
    tags.iter().find(|t| t.name == name).map(|t| t.value)
}

/// `text` without folding whitespace (for base64 values, §2.10).
pub(crate) fn without_fws(text: &str) -> String {
    text.bytes()
        .filter(|b| !is_fws(*b))
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        let tags = parse(" v=1; a = rsa-sha256 ;\r\n\tb=ab cd;").unwrap();
        let pairs: Vec<(&str, &str)> = tags.iter().map(|t| (t.name, t.value)).collect();
        assert_eq!(pairs, [("v", "1"), ("a", "rsa-sha256"), ("b", "ab cd")]);
        assert_eq!(tags[1].offset, 10);
        assert_eq!(parse("").unwrap(), []);
        assert_eq!(parse("p=").unwrap()[0].value, "");
    }

    #[test]
    fn faults_and_their_offsets() {
        let cases = [
            ("v=1; v=1", 5, TagErrorKind::Duplicate),
            ("v=1; x", 5, TagErrorKind::MissingEquals),
            ("v=1;; a=b", 4, TagErrorKind::MissingEquals),
            ("1v=1", 0, TagErrorKind::BadName),
            ("v=1; a=b\u{7f}", 8, TagErrorKind::BadValue),
            ("v=\u{e9}", 2, TagErrorKind::BadValue),
        ];
        for (text, offset, kind) in cases {
            assert_eq!(parse(text), Err(TagError { offset, kind }), "{text:?}");
        }
    }
}
