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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
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

/// The first index in `from..to` whose byte is not folding whitespace, or
/// `to`.
fn skip_fws(bytes: &[u8], from: usize, to: usize) -> usize {
    (from..to).find(|&i| !is_fws(bytes[i])).unwrap_or(to)
}

/// The end of `from..to` without its trailing folding whitespace.
fn trim_fws_end(bytes: &[u8], from: usize, to: usize) -> usize {
    (from..to)
        .rev()
        .find(|&i| !is_fws(bytes[i]))
        .map_or(from, |i| i + 1)
}

/// Parses a tag list (§3.2): `tag-spec *(";" tag-spec) [";"]`. An empty
/// `tag-spec` is allowed only as the trailing `;`.
///
/// One pass over the bytes: a key record and a signature are parsed for
/// every message verified, so no per-character decoding or copying.
pub(crate) fn parse(text: &str) -> Result<Vec<Tag<'_>>, TagError> {
    let bytes = text.as_bytes();
    let mut tags: Vec<Tag<'_>> = Vec::with_capacity(12);
    let mut start = 0;
    while start <= bytes.len() {
        let end = memchr::memchr(b';', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let name_start = skip_fws(bytes, start, end);
        if name_start == end {
            // Only the spec after the last ';' may be empty.
            if end < bytes.len() {
                return Err(TagError {
                    offset: start,
                    kind: TagErrorKind::MissingEquals,
                });
            }
            break;
        }
        let Some(eq) = memchr::memchr(b'=', &bytes[name_start..end]).map(|i| name_start + i) else {
            return Err(TagError {
                offset: name_start,
                kind: TagErrorKind::MissingEquals,
            });
        };
        let name = &bytes[name_start..trim_fws_end(bytes, name_start, eq)];
        let name_ok = name.first().is_some_and(u8::is_ascii_alphabetic)
            && name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_');
        if !name_ok {
            return Err(TagError {
                offset: name_start,
                kind: TagErrorKind::BadName,
            });
        }
        let value_start = skip_fws(bytes, eq + 1, end);
        let value_end = trim_fws_end(bytes, value_start, end);
        let value_ok = |b: u8| is_fws(b) || (0x21..=0x7e).contains(&b);
        // A fold, not a search, so the check of a 400-byte base64 value
        // runs vectorized; the position is looked for only on failure.
        let value = &bytes[value_start..value_end];
        if !value.iter().fold(true, |ok, &b| ok & value_ok(b))
            && let Some(bad) = value.iter().position(|&b| !value_ok(b))
        {
            return Err(TagError {
                offset: value_start + bad,
                kind: TagErrorKind::BadValue,
            });
        }
        // Both are ASCII and cut at ASCII bytes: the slices are on
        // character boundaries.
        let name = &text[name_start..name_start + name.len()];
        if tags.iter().any(|t| t.name == name) {
            return Err(TagError {
                offset: name_start,
                kind: TagErrorKind::Duplicate,
            });
        }
        tags.push(Tag {
            name,
            value: &text[value_start..value_end],
            offset: value_start,
            raw: eq + 1..end,
        });
        start = end + 1;
    }
    Ok(tags)
}

/// The value of tag `name`.
pub(crate) fn get<'a>(tags: &[Tag<'a>], name: &str) -> Option<&'a str> {
    tags.iter().find(|t| t.name == name).map(|t| t.value)
}

/// `text` without folding whitespace (for base64 values, §2.10), copied
/// a whole stretch between whitespace at a time.
pub(crate) fn without_fws(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    // FWS bytes are ASCII: every cut is on a character boundary.
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if is_fws(b) {
            out.push_str(&text[from..i]);
            from = i + 1;
        }
    }
    out.push_str(&text[from..]);
    out
}

/// A list element (an `h=` name, a key record's `h=`, `s=` or `t=`
/// item) without folding whitespace, in lower case.
pub(crate) fn lower_without_fws(text: &str) -> String {
    let mut out = without_fws(text);
    out.make_ascii_lowercase();
    out
}

/// A base64 value (§2.10): its text without folding whitespace and the
/// bytes it decodes to, or `None` when it is not base64.
pub(crate) fn base64(value: &str) -> Option<(String, Vec<u8>)> {
    let text = without_fws(value);
    let bytes = data_encoding::BASE64.decode(text.as_bytes()).ok()?;
    Some((text, bytes))
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
