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

/// The relaxed body (§3.4.4). Only two things change a body: a run of
/// WSP that is not one SP (a tab, or two or more characters) and WSP
/// before a CRLF; and the WSP and empty lines at its end. So the end is cut
/// off first, and the rest is copied as it stands between the runs that
/// change, which are found 64 bytes at a time. Pieces go to `sink` through
/// a buffer, so hashing sees few, long updates; a long unchanged stretch
/// goes to `sink` directly.
fn relaxed_body(body: &[u8], mut sink: impl FnMut(&[u8])) {
    const FLUSH: usize = 16 * 1024;
    let content = &body[..content_end(body)];
    let mut out: Vec<u8> = Vec::with_capacity(FLUSH.min(content.len() + 2));
    // content[copied..] is not yet handed out.
    let mut copied: usize = 0;
    let mut base = 0;
    while base < content.len() {
        let mut edits = run_starts(content, base);
        // Bits before `copied` lie in a run already rewritten.
        edits &= bits_from(copied.saturating_sub(base));
        while edits != 0 {
            let at = base + edits.trailing_zeros() as usize;
            unchanged(&content[copied..at], &mut out, &mut sink);
            // content ends in a byte that is not WSP: the run ends inside.
            let run_end = content[at..]
                .iter()
                .position(|&b| !is_wsp(b))
                .map_or(content.len(), |n| at + n);
            if !content[run_end..].starts_with(b"\r\n") {
                out.push(b' ');
            }
            copied = run_end;
            edits &= bits_from(run_end - base);
            if out.len() >= FLUSH {
                sink(&out);
                out.clear();
            }
        }
        base += BLOCK;
    }
    unchanged(&content[copied..], &mut out, &mut sink);
    // A non-empty body ends in exactly one CRLF (added when missing).
    if !content.is_empty() {
        out.extend_from_slice(b"\r\n");
    }
    sink(&out);
}

/// Hands out a stretch of the body that canonicalization keeps: through
/// the buffer when short, directly (after what the buffer holds) when
/// long enough that copying it would cost more than another hash update.
fn unchanged(stretch: &[u8], out: &mut Vec<u8>, sink: &mut impl FnMut(&[u8])) {
    const DIRECT: usize = 4 * 1024;
    if stretch.len() >= DIRECT {
        sink(out);
        out.clear();
        sink(stretch);
    } else {
        out.extend_from_slice(stretch);
    }
}

/// The end of the body without what relaxed canonicalization drops there:
/// trailing WSP and the CRLFs of trailing lines that are empty or WSP
/// only. What is left ends in a byte that is neither.
fn content_end(body: &[u8]) -> usize {
    let mut end = body.len();
    loop {
        if end >= 1 && is_wsp(body[end - 1]) {
            end -= 1;
        } else if end >= 2 && body[end - 2..end] == *b"\r\n" {
            end -= 2;
        } else {
            return end;
        }
    }
}

/// A mask of the bits from `offset` up (none when it is 64 or more).
fn bits_from(offset: usize) -> u64 {
    u32::try_from(offset)
        .ok()
        .and_then(|n| u64::MAX.checked_shl(n))
        .unwrap_or(0)
}

/// The block of bytes [`run_starts`] classifies at a time.
const BLOCK: usize = 64;

/// Bit `i` is set when `content[base + i]` starts a WSP run that relaxed
/// canonicalization rewrites: a tab, or a space followed by a space, a tab
/// or a CR (a run before CRLF is dropped). A single space between other
/// bytes is already canonical. Written as a flag per byte then folded into
/// bits, so the compiler vectorizes it.
fn run_starts(content: &[u8], base: usize) -> u64 {
    // Read in place; only the last block is copied, padded with zeros.
    let mut padded = [0u8; BLOCK + 1];
    let window: &[u8; BLOCK + 1] = match content.get(base..base + BLOCK + 1) {
        Some(slice) => slice.try_into().unwrap_or(&padded),
        None => {
            let available = &content[base..];
            padded[..available.len()].copy_from_slice(available);
            &padded
        }
    };
    let mut flags = [0u8; BLOCK];
    for (i, flag) in flags.iter_mut().enumerate() {
        let (b, next) = (window[i], window[i + 1]);
        *flag = u8::from(
            (b == b'\t') | ((b == b' ') & ((next == b' ') | (next == b'\t') | (next == b'\r'))),
        );
    }
    // Eight flags (bytes of 0 or 1) to eight bits: the multiplication
    // gathers byte k's bit into bit 56 + k.
    flags
        .chunks_exact(8)
        .enumerate()
        .fold(0, |mask, (k, group)| {
            let mut word = [0u8; 8];
            word.copy_from_slice(group);
            mask | ((u64::from_le_bytes(word).wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k))
        })
}

impl fmt::Display for Canonicalizations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.header, self.body)
    }
}

/// The header and body algorithms of a signature (`c=`).
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

    /// The same on long bodies, where runs and CRLFs straddle the 64-byte
    /// blocks the fast path classifies, and a stretch is long enough to be
    /// handed out directly.
    #[test]
    fn relaxed_body_equals_the_reference_across_blocks() {
        let alphabet: [&[u8]; 8] = [b"a", b"bc", b" ", b"  ", b"\t", b"\r\n", b"\r", b"\n"];
        // A xorshift generator: reproducible, no dependency.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3_000 {
            let mut body = Vec::new();
            let pieces = next() % 400;
            // Mostly letters, so that unchanged stretches are long too.
            let weights = next() % 4;
            for _ in 0..pieces {
                let roll = next();
                let piece = if roll % 8 < weights * 2 {
                    alphabet[0]
                } else {
                    alphabet[(roll >> 8) as usize % 8]
                };
                body.extend_from_slice(piece);
            }
            assert_eq!(
                canon_body(Relaxed, &body),
                reference_relaxed(&body),
                "{body:?}"
            );
        }
        let long = [
            &b"x".repeat(5_000)[..],
            b"  y \r\n",
            &b"z".repeat(9_000),
            b" \r\n\r\n",
        ]
        .concat();
        assert_eq!(canon_body(Relaxed, &long), reference_relaxed(&long));
    }
}
