//! Canonicalization (RFC 6376 §3.4): the `simple` and `relaxed` forms of
//! header fields and of the body.

use std::fmt;

/// A canonicalization algorithm (§3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Canonicalization {
    /// `simple`: the bytes as they are, trailing empty body lines removed.
    Simple,
    /// `relaxed`: whitespace runs compressed, header names lower-cased,
    /// fields unfolded.
    Relaxed,
}

crate::token::tokens! {
    Canonicalization "canonicalization" {
        Simple = "simple",
        Relaxed = "relaxed",
    }
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// A header field canonicalized (§3.4.1, §3.4.2), its CRLF included when
/// the field has one.
pub(crate) fn header(canon: Canonicalization, raw: &[u8], out: &mut Vec<u8>) {
    match canon {
        Canonicalization::Simple => out.extend_from_slice(raw),
        Canonicalization::Relaxed => {
            let (body, crlf) = match raw.strip_suffix(b"\r\n") {
                Some(body) => (body, true),
                None => (raw, false),
            };
            let colon = body.iter().position(|&b| b == b':').unwrap_or(body.len());
            // 1. The name in lower case, without the WSP before the colon.
            let name = &body[..colon];
            let name_end = name.iter().rposition(|&b| !is_wsp(b)).map_or(0, |i| i + 1);
            out.extend(name[..name_end].iter().map(u8::to_ascii_lowercase));
            out.push(b':');
            // 2.-5. Unfold, compress WSP runs to one SP, no WSP after the
            // colon or at the end.
            let mut pending_space = false;
            let mut started = false;
            let value = body.get(colon + 1..).unwrap_or_default();
            for &b in value {
                if b == b'\r' || b == b'\n' || is_wsp(b) {
                    pending_space = true;
                    continue;
                }
                if pending_space && started {
                    out.push(b' ');
                }
                pending_space = false;
                started = true;
                out.push(b);
            }
            if crlf {
                out.extend_from_slice(b"\r\n");
            }
        }
    }
}

/// The canonical body (§3.4.3, §3.4.4), handed out in pieces to `sink`.
pub(crate) fn body(canon: Canonicalization, body: &[u8], mut sink: impl FnMut(&[u8])) {
    match canon {
        Canonicalization::Simple => {
            // Remove every trailing CRLF, then end with exactly one.
            let mut end = body.len();
            while end >= 2 && &body[end - 2..end] == b"\r\n" {
                end -= 2;
            }
            sink(&body[..end]);
            sink(b"\r\n");
        }
        Canonicalization::Relaxed => {
            let mut empty_lines = 0usize;
            let mut line = Vec::new();
            let mut rest = body;
            while !rest.is_empty() {
                let (content, next) = match rest.windows(2).position(|w| w == b"\r\n") {
                    Some(i) => (&rest[..i], &rest[i + 2..]),
                    None => (rest, &rest[rest.len()..]),
                };
                rest = next;
                line.clear();
                let mut pending_space = false;
                for &b in content {
                    if is_wsp(b) {
                        pending_space = true;
                        continue;
                    }
                    if pending_space {
                        line.push(b' ');
                    }
                    pending_space = false;
                    line.push(b);
                }
                // Trailing WSP of the line is dropped (pending_space unused).
                if line.is_empty() {
                    empty_lines += 1;
                    continue;
                }
                for _ in 0..empty_lines {
                    sink(b"\r\n");
                }
                empty_lines = 0;
                sink(&line);
                sink(b"\r\n");
            }
        }
    }
}

impl fmt::Display for Canonicalizations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.header, self.body)
    }
}

/// The header and body algorithms of a signature (`c=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Canonicalizations {
    /// For the header fields.
    pub header: Canonicalization,
    /// For the body.
    pub body: Canonicalization,
}

impl Canonicalizations {
    /// `c=header/body`.
    pub fn new(header: Canonicalization, body: Canonicalization) -> Self {
        Self { header, body }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Canonicalization::*;

    fn canon_body(c: Canonicalization, b: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        body(c, b, |piece| out.extend_from_slice(piece));
        out
    }

    fn canon_header(c: Canonicalization, raw: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        header(c, raw, &mut out);
        out
    }

    /// The digest's examples (§3.4.2, §3.4.4) and the empty bodies.
    #[test]
    fn rfc_examples() {
        assert_eq!(
            canon_header(Relaxed, b"Subject :  Quarterly\r\n\t report  \r\n"),
            b"subject:Quarterly report\r\n"
        );
        assert_eq!(
            canon_body(Relaxed, b"Hi  there \r\n\r\n \t\r\n"),
            b"Hi there\r\n"
        );
        assert_eq!(
            canon_body(Simple, b"Hi  there \r\n\r\n \t\r\n"),
            b"Hi  there \r\n\r\n \t\r\n"
        );
        assert_eq!(canon_body(Simple, b""), b"\r\n");
        assert_eq!(canon_body(Relaxed, b""), b"");
        assert_eq!(canon_body(Relaxed, b" \r\n\t\r\n"), b"");
        assert_eq!(canon_body(Simple, b"a\r\n\r\n\r\n"), b"a\r\n");
        assert_eq!(canon_body(Simple, b"a"), b"a\r\n");
        assert_eq!(canon_body(Relaxed, b"a \r\n\r\nb"), b"a\r\n\r\nb\r\n");
        assert_eq!(canon_header(Simple, b"A: b \r\n"), b"A: b \r\n");
        assert_eq!(canon_header(Relaxed, b"A:b"), b"a:b");
    }
}
