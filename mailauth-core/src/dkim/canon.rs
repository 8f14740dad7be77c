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
        Canonicalization::Relaxed => relaxed_body(body, sink),
    }
}

/// The relaxed body (§3.4.4): lines that need no change (no tab, no run of
/// spaces, no trailing space, not empty) are handed out as they stand, many
/// at a time; the others are rewritten span by span into a buffer that is
/// handed out in large pieces, so hashing sees few, long updates.
fn relaxed_body(body: &[u8], mut sink: impl FnMut(&[u8])) {
    const FLUSH: usize = 16 * 1024;
    let mut out: Vec<u8> = Vec::new();
    let mut empty_lines = 0usize;
    // A run of unchanged lines not yet handed out: body[run..pos].
    let mut run = 0;
    let mut pos = 0;
    while pos < body.len() {
        let (end, next) = match find_crlf(&body[pos..]) {
            Some(i) => (pos + i, pos + i + 2),
            None => (body.len(), body.len()),
        };
        let content = &body[pos..end];
        let plain = !content.is_empty()
            && next != end
            && !content.last().is_some_and(|&b| is_wsp(b))
            && memchr::memchr(b'\t', content).is_none()
            && !memchr::memchr_iter(b' ', content).any(|i| content.get(i + 1) == Some(&b' '));
        if plain && empty_lines == 0 {
            pos = next;
            continue;
        }
        if run < pos {
            sink(&out);
            out.clear();
            sink(&body[run..pos]);
        }
        pos = next;
        run = pos;
        if content.iter().all(|&b| is_wsp(b)) {
            empty_lines += 1;
            continue;
        }
        for _ in 0..empty_lines {
            out.extend_from_slice(b"\r\n");
        }
        empty_lines = 0;
        // Each run of WSP becomes one SP, except at the end of the line.
        let mut i = 0;
        while i < content.len() {
            match memchr::memchr2(b' ', b'\t', &content[i..]) {
                Some(k) => {
                    out.extend_from_slice(&content[i..i + k]);
                    let mut j = i + k;
                    while j < content.len() && is_wsp(content[j]) {
                        j += 1;
                    }
                    if j < content.len() {
                        out.push(b' ');
                    }
                    i = j;
                }
                None => {
                    out.extend_from_slice(&content[i..]);
                    break;
                }
            }
        }
        out.extend_from_slice(b"\r\n");
        if out.len() >= FLUSH {
            sink(&out);
            out.clear();
        }
    }
    sink(&out);
    sink(&body[run..pos]);
}

/// The offset of the first CRLF in `bytes`.
fn find_crlf(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'\n', &bytes[from..]) {
        let at = from + i;
        if at > 0 && bytes[at - 1] == b'\r' {
            return Some(at - 1);
        }
        from = at + 1;
    }
    None
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

    /// §3.4.4 written out the plain way, line by line.
    fn reference_relaxed(body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut empty_lines = 0;
        let mut rest = body;
        while !rest.is_empty() {
            let (content, next) = match rest.windows(2).position(|w| w == b"\r\n") {
                Some(i) => (&rest[..i], &rest[i + 2..]),
                None => (rest, &rest[rest.len()..]),
            };
            rest = next;
            let mut line = Vec::new();
            let mut space = false;
            for &b in content {
                if b == b' ' || b == b'\t' {
                    space = true;
                } else {
                    if space {
                        line.push(b' ');
                    }
                    space = false;
                    line.push(b);
                }
            }
            if line.is_empty() {
                empty_lines += 1;
            } else {
                out.extend(std::iter::repeat_n(b"\r\n", empty_lines).flatten());
                empty_lines = 0;
                out.extend_from_slice(&line);
                out.extend_from_slice(b"\r\n");
            }
        }
        out
    }

    /// The fast relaxed body equals the plain one on every body of up to
    /// six pieces from an alphabet of the cases that matter.
    #[test]
    fn relaxed_body_equals_the_reference() {
        let alphabet: [&[u8]; 6] = [b"a", b" ", b"\t", b"\r\n", b"\r", b"\n"];
        let mut checked = 0;
        for len in 0..=6u32 {
            for mut n in 0..6usize.pow(len) {
                let mut body = Vec::new();
                for _ in 0..len {
                    body.extend_from_slice(alphabet[n % 6]);
                    n /= 6;
                }
                assert_eq!(
                    canon_body(Relaxed, &body),
                    reference_relaxed(&body),
                    "{body:?}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 55_987);
    }
}
