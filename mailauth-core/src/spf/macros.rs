//! Macro-strings (RFC 7208 §7): parsed once into [`MacroString`], expanded
//! per evaluation by [`MacroString::expand`].
//!
//! ```text
//! macro-string  = *( macro-expand / macro-literal )
//! macro-expand  = ( "%{" macro-letter transformers *delimiter "}" )
//!                 / "%%" / "%_" / "%-"
//! macro-literal = %x21-24 / %x26-7E
//! macro-letter  = "s" / "l" / "o" / "d" / "i" / "p" / "h" / "c" / "r" / "t" / "v"
//! transformers  = *DIGIT [ "r" ]
//! delimiter     = "." / "-" / "+" / "," / "/" / "_" / "="
//! ```

use std::fmt::{self, Write as _};
use std::net::{IpAddr, Ipv6Addr};

use crate::dns::ipv4_text;

/// A parsed macro-string.
#[derive(Clone, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(into = "WireMacroString", from = "WireMacroString")
)]
pub struct MacroString {
    parts: Parts,
}

/// A macro-string's parts. Most domain-specs are one literal (a domain
/// name), kept without a vector of their own: a record's parse costs an
/// allocation less per domain-spec, and `parts()` still gives a slice.
#[derive(Clone, Debug)]
enum Parts {
    One(MacroPart),
    Many(Vec<MacroPart>),
}

impl Default for Parts {
    fn default() -> Self {
        Self::Many(Vec::new())
    }
}

impl From<Vec<MacroPart>> for Parts {
    fn from(mut parts: Vec<MacroPart>) -> Self {
        match parts.pop() {
            Some(only) if parts.is_empty() => Self::One(only),
            Some(last) => {
                parts.push(last);
                Self::Many(parts)
            }
            None => Self::Many(parts),
        }
    }
}

impl fmt::Debug for MacroString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MacroString")
            .field("parts", &self.parts())
            .finish()
    }
}

impl PartialEq for MacroString {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for MacroString {}

impl std::hash::Hash for MacroString {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parts().hash(state);
    }
}

/// The serialized form, `{"parts": [...]}`, whatever the representation.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct WireMacroString {
    parts: Vec<MacroPart>,
}

#[cfg(feature = "serde")]
impl From<MacroString> for WireMacroString {
    fn from(string: MacroString) -> Self {
        let parts = match string.parts {
            Parts::One(part) => vec![part],
            Parts::Many(parts) => parts,
        };
        Self { parts }
    }
}

#[cfg(feature = "serde")]
impl From<WireMacroString> for MacroString {
    fn from(wire: WireMacroString) -> Self {
        Self {
            parts: wire.parts.into(),
        }
    }
}

/// One piece of a [`MacroString`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MacroPart {
    /// Literal text (visible ASCII but `%`).
    Literal(String),
    /// `%%`: a percent sign.
    Percent,
    /// `%_`: a space.
    Space,
    /// `%-`: a URL-encoded space, `%20`.
    UrlSpace,
    /// `%{...}`: a macro.
    Macro(Macro),
}

/// `%{` letter transformers delimiters `}` (RFC 7208 §7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Macro {
    /// The letter, lower case.
    pub letter: MacroLetter,
    /// Upper-case letter: URL-escape the value (RFC 7208 §7.3).
    pub url_escape: bool,
    /// Keep this many right-hand parts (at least 1); `None` keeps all.
    /// RFC 7208 §7.1 sets no upper bound: more parts than the value has
    /// keep them all. Digits beyond `u32::MAX` read as `u32::MAX`.
    pub digits: Option<u32>,
    /// `r`: reverse the parts.
    pub reverse: bool,
    /// The delimiters to split on, as a bit set over `.-+,/_=` (bit 0 is
    /// `.`); empty means `.` alone.
    pub delimiters: u8,
}

/// The macro letters (RFC 7208 §7.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MacroLetter {
    /// `s`: the sender.
    Sender,
    /// `l`: the sender's local part.
    LocalPart,
    /// `o`: the sender's domain.
    SenderDomain,
    /// `d`: the current domain.
    Domain,
    /// `i`: the client IP, dotted (IPv4) or nibbles (IPv6).
    Ip,
    /// `p`: the client IP's validated domain name.
    ValidatedName,
    /// `v`: `in-addr` or `ip6`.
    IpVersion,
    /// `h`: the HELO/EHLO domain.
    Helo,
    /// `c`: the client IP, readable (explanations only).
    ClientIp,
    /// `r`: the receiving host's domain (explanations only).
    Receiver,
    /// `t`: the current time (explanations only).
    Timestamp,
}

crate::token::tokens! {
    MacroLetter "macro letter" {
        Sender = "s",
        LocalPart = "l",
        SenderDomain = "o",
        Domain = "d",
        Ip = "i",
        ValidatedName = "p",
        IpVersion = "v",
        Helo = "h",
        ClientIp = "c",
        Receiver = "r",
        Timestamp = "t",
    }
}

impl MacroLetter {
    fn from_ascii(c: u8) -> Option<Self> {
        Some(match c.to_ascii_lowercase() {
            b's' => Self::Sender,
            b'l' => Self::LocalPart,
            b'o' => Self::SenderDomain,
            b'd' => Self::Domain,
            b'i' => Self::Ip,
            b'p' => Self::ValidatedName,
            b'v' => Self::IpVersion,
            b'h' => Self::Helo,
            b'c' => Self::ClientIp,
            b'r' => Self::Receiver,
            b't' => Self::Timestamp,
            _ => return None,
        })
    }

    /// The letter, lower case.
    pub fn as_char(self) -> char {
        match self {
            Self::Sender => 's',
            Self::LocalPart => 'l',
            Self::SenderDomain => 'o',
            Self::Domain => 'd',
            Self::Ip => 'i',
            Self::ValidatedName => 'p',
            Self::IpVersion => 'v',
            Self::Helo => 'h',
            Self::ClientIp => 'c',
            Self::Receiver => 'r',
            Self::Timestamp => 't',
        }
    }

    /// `c`, `r` and `t` may appear only in explanation strings (RFC 7208
    /// §7.2).
    pub fn explanation_only(self) -> bool {
        matches!(self, Self::ClientIp | Self::Receiver | Self::Timestamp)
    }
}

const DELIMITERS: &[u8; 7] = b".-+,/_=";

/// Why a macro-string did not parse, and where (a byte offset into it).
/// It displays as [`what`](Self::what) followed by `at byte N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MacroError {
    /// A `%` not followed by `{`, `%`, `_` or `-`.
    BadPercent(usize),
    /// An unknown macro letter.
    BadLetter(usize),
    /// `c`, `r` or `t` outside an explanation string.
    ExplanationOnly(usize),
    /// A digit transformer of 0 (§7.3: "the value MUST be nonzero").
    BadDigits(usize),
    /// A character that is not a delimiter inside `%{...}`, or no `}`.
    Malformed(usize),
    /// A character outside visible ASCII (or a space, outside
    /// explanations).
    BadCharacter(usize),
}

impl fmt::Display for MacroError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.what(), self.offset())
    }
}

impl std::error::Error for MacroError {}

impl MacroError {
    /// What is wrong, without the position: for messages that say the
    /// position themselves (an SPF record's [`ParseError`](super::ParseError)).
    pub fn what(self) -> &'static str {
        match self {
            Self::BadPercent(_) => "'%' not followed by '{', '%', '_' or '-'",
            Self::BadLetter(_) => "unknown macro letter",
            Self::ExplanationOnly(_) => "macro letter allowed only in explanations",
            Self::BadDigits(_) => "macro digit transformer of zero",
            Self::Malformed(_) => "malformed macro",
            Self::BadCharacter(_) => "invalid character",
        }
    }

    /// The byte offset the error is at.
    pub fn offset(self) -> usize {
        match self {
            Self::BadPercent(o)
            | Self::BadLetter(o)
            | Self::ExplanationOnly(o)
            | Self::BadDigits(o)
            | Self::Malformed(o)
            | Self::BadCharacter(o) => o,
        }
    }

    fn shifted(self, by: usize) -> Self {
        let shift = |o: usize| o + by;
        match self {
            Self::BadPercent(o) => Self::BadPercent(shift(o)),
            Self::BadLetter(o) => Self::BadLetter(shift(o)),
            Self::ExplanationOnly(o) => Self::ExplanationOnly(shift(o)),
            Self::BadDigits(o) => Self::BadDigits(shift(o)),
            Self::Malformed(o) => Self::Malformed(shift(o)),
            Self::BadCharacter(o) => Self::BadCharacter(shift(o)),
        }
    }
}

/// Where a macro-string stands, which decides the letters and characters it
/// may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Context {
    /// In a record term (domain-spec, unknown modifier).
    Record,
    /// An explanation string fetched by `exp=` (RFC 7208 §6.2): `c`, `r`,
    /// `t` allowed, and spaces are literal text.
    Explanation,
}

impl MacroString {
    /// Parses `text`, reporting offsets relative to `base`.
    pub(crate) fn parse(text: &str, base: usize, context: Context) -> Result<Self, MacroError> {
        parse(text, context).map_err(|e| e.shifted(base))
    }

    /// Parses an explanation string (RFC 7208 §6.2), where `c`, `r` and `t`
    /// are allowed and spaces are literal.
    pub fn parse_explanation(text: &str) -> Result<Self, MacroError> {
        parse(text, Context::Explanation)
    }

    /// The parts, in order.
    pub fn parts(&self) -> &[MacroPart] {
        match &self.parts {
            Parts::One(part) => std::slice::from_ref(part),
            Parts::Many(parts) => parts,
        }
    }

    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.parts().is_empty()
    }

    /// Whether it holds no `%{...}` macro: its expansion is its text.
    pub fn is_literal(&self) -> bool {
        !self
            .parts()
            .iter()
            .any(|p| matches!(p, MacroPart::Macro(_)))
    }

    /// The text of a string that is one literal and nothing else (most
    /// domain-specs: a plain name), which is its own expansion.
    pub(crate) fn as_literal(&self) -> Option<&str> {
        match self.parts() {
            [MacroPart::Literal(text)] => Some(text),
            _ => None,
        }
    }

    /// The `domain-end` rule of RFC 7208 §7.1: the string ends with a
    /// macro-expand, or with `"." toplabel ["."]`.
    pub(crate) fn has_domain_end(&self) -> bool {
        match self.parts().last() {
            None => false,
            Some(MacroPart::Literal(text)) => {
                let text = text.strip_suffix('.').unwrap_or(text).as_bytes();
                match text.iter().rposition(|&b| b == b'.') {
                    Some(dot) => is_toplabel(&text[dot + 1..]),
                    None => false,
                }
            }
            Some(_) => true,
        }
    }

    /// Expands the string for `values` into `out` (RFC 7208 §7.3).
    /// A capacity for the expansion: its literal text exactly, and a
    /// domain name's worth per macro, so that most expansions are one
    /// allocation.
    pub(crate) fn expansion_hint(&self) -> usize {
        self.parts()
            .iter()
            .map(|part| match part {
                MacroPart::Literal(text) => text.len(),
                MacroPart::UrlSpace => 3,
                MacroPart::Percent | MacroPart::Space => 1,
                MacroPart::Macro(_) => 64,
            })
            .sum()
    }

    pub(crate) fn expand(&self, values: &MacroValues<'_>, out: &mut String) {
        for part in self.parts() {
            match part {
                MacroPart::Literal(text) => out.push_str(text),
                MacroPart::Percent => out.push('%'),
                MacroPart::Space => out.push(' '),
                MacroPart::UrlSpace => out.push_str("%20"),
                MacroPart::Macro(m) => expand_macro(m, values, out),
            }
        }
    }
}

/// `toplabel` of RFC 7208 §7.1: alphanumerics with at least one letter, or
/// alphanumerics and inner dashes.
fn is_toplabel(bytes: &[u8]) -> bool {
    let (mut alpha, mut hyphen) = (false, false);
    for &b in bytes {
        alpha |= b.is_ascii_alphabetic();
        hyphen |= b == b'-';
        if !b.is_ascii_alphanumeric() && b != b'-' {
            return false;
        }
    }
    match (bytes.first(), bytes.last()) {
        // 1*alphanum "-" *( alphanum / "-" ) alphanum
        (Some(first), Some(last)) if hyphen => {
            first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric()
        }
        // *alphanum ALPHA *alphanum
        (Some(_), Some(_)) => alpha,
        _ => false,
    }
}

/// Whether `b` is `macro-literal` text in `context`.
fn is_literal_byte(b: u8, context: Context) -> bool {
    ((0x21..=0x7e).contains(&b) && b != b'%') || (b == b' ' && context == Context::Explanation)
}

fn parse(text: &str, context: Context) -> Result<MacroString, MacroError> {
    let bytes = text.as_bytes();
    // Most macro-strings are a domain name alone: one scan, one part.
    if !bytes.is_empty() && bytes.iter().all(|&b| is_literal_byte(b, context)) {
        return Ok(MacroString {
            parts: Parts::One(MacroPart::Literal(text.to_owned())),
        });
    }
    let mut parts = Vec::new();
    let mut literal_start = None;
    let mut i = 0;
    let flush = |parts: &mut Vec<MacroPart>, start: &mut Option<usize>, end: usize| {
        if let Some(s) = start.take() {
            parts.push(MacroPart::Literal(text[s..end].to_owned()));
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        if b != b'%' {
            if !is_literal_byte(b, context) {
                return Err(MacroError::BadCharacter(i));
            }
            literal_start.get_or_insert(i);
            i += 1;
            continue;
        }
        flush(&mut parts, &mut literal_start, i);
        match bytes.get(i + 1) {
            Some(b'%') => parts.push(MacroPart::Percent),
            Some(b'_') => parts.push(MacroPart::Space),
            Some(b'-') => parts.push(MacroPart::UrlSpace),
            Some(b'{') => {
                let (m, end) = parse_macro(bytes, i, context)?;
                parts.push(MacroPart::Macro(m));
                i = end;
                continue;
            }
            _ => return Err(MacroError::BadPercent(i)),
        }
        i += 2;
    }
    flush(&mut parts, &mut literal_start, bytes.len());
    Ok(MacroString {
        parts: parts.into(),
    })
}

/// Parses `%{...}` starting at `start` (the `%`); returns the macro and the
/// offset after `}`.
fn parse_macro(bytes: &[u8], start: usize, context: Context) -> Result<(Macro, usize), MacroError> {
    let mut i = start + 2;
    let letter_byte = *bytes.get(i).ok_or(MacroError::Malformed(start))?;
    let letter = MacroLetter::from_ascii(letter_byte).ok_or(MacroError::BadLetter(i))?;
    if letter.explanation_only() && context == Context::Record {
        return Err(MacroError::ExplanationOnly(i));
    }
    i += 1;
    let digits_start = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let digits = if i > digits_start {
        // §7.1 sets no upper bound; a value too large for u32 keeps every
        // part all the same.
        let n = bytes[digits_start..i].iter().fold(0u32, |n, d| {
            n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
        });
        if n == 0 {
            return Err(MacroError::BadDigits(digits_start));
        }
        Some(n)
    } else {
        None
    };
    let reverse = matches!(bytes.get(i), Some(b'r' | b'R'));
    if reverse {
        i += 1;
    }
    let mut delimiters = 0u8;
    loop {
        match bytes.get(i) {
            Some(b'}') => break,
            Some(b) => match DELIMITERS.iter().position(|d| d == b) {
                Some(bit) => delimiters |= 1 << bit,
                None => return Err(MacroError::Malformed(i)),
            },
            None => return Err(MacroError::Malformed(start)),
        }
        i += 1;
    }
    let m = Macro {
        letter,
        url_escape: letter_byte.is_ascii_uppercase(),
        digits,
        reverse,
        delimiters,
    };
    Ok((m, i + 1))
}

impl fmt::Display for MacroString {
    /// The canonical text, which parses back to the same string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in self.parts() {
            match part {
                MacroPart::Literal(text) => f.write_str(text)?,
                MacroPart::Percent => f.write_str("%%")?,
                MacroPart::Space => f.write_str("%_")?,
                MacroPart::UrlSpace => f.write_str("%-")?,
                MacroPart::Macro(m) => write!(f, "{m}")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Macro {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let letter = self.letter.as_char();
        let letter = if self.url_escape {
            letter.to_ascii_uppercase()
        } else {
            letter
        };
        write!(f, "%{{{letter}")?;
        if let Some(digits) = self.digits {
            write!(f, "{digits}")?;
        }
        if self.reverse {
            f.write_char('r')?;
        }
        for (bit, d) in DELIMITERS.iter().enumerate() {
            if self.delimiters & (1 << bit) != 0 {
                f.write_char(char::from(*d))?;
            }
        }
        f.write_char('}')
    }
}

/// The values the macro letters stand for in one evaluation.
#[derive(Clone, Debug)]
pub(crate) struct MacroValues<'a> {
    /// `%{l}`; `%{s}` is `%{l}@%{o}`.
    pub(crate) local_part: &'a str,
    pub(crate) sender_domain: &'a str,
    pub(crate) domain: &'a str,
    pub(crate) ip: IpAddr,
    /// Write IPv6 nibbles for `%{i}` in upper case (see `ClientIp`).
    pub(crate) upper_case_nibbles: bool,
    pub(crate) validated_name: Option<&'a str>,
    pub(crate) helo: &'a str,
    pub(crate) receiver: &'a str,
    pub(crate) timestamp: u64,
}

fn expand_macro(m: &Macro, values: &MacroValues<'_>, out: &mut String) {
    // The value, written to a buffer when it is not a plain &str: the
    // addresses on the stack, the rest (explanations, `%{s}`) in a string.
    let mut scratch = String::new();
    let mut v4 = [0; 15];
    let mut nibbles = [0; 63];
    let value: &str = match m.letter {
        MacroLetter::Sender => {
            scratch.push_str(values.local_part);
            scratch.push('@');
            scratch.push_str(values.sender_domain);
            &scratch
        }
        MacroLetter::LocalPart => values.local_part,
        MacroLetter::SenderDomain => values.sender_domain,
        MacroLetter::Domain => values.domain,
        MacroLetter::Helo => values.helo,
        MacroLetter::Receiver => values.receiver,
        MacroLetter::ValidatedName => values.validated_name.unwrap_or("unknown"),
        MacroLetter::IpVersion => match values.ip {
            IpAddr::V4(_) => "in-addr",
            IpAddr::V6(_) => "ip6",
        },
        MacroLetter::Ip => match values.ip {
            IpAddr::V4(ip) => ipv4_text(ip, &mut v4),
            IpAddr::V6(ip) => nibbles_text(ip, values.upper_case_nibbles, &mut nibbles),
        },
        MacroLetter::ClientIp => match values.ip {
            IpAddr::V4(ip) => ipv4_text(ip, &mut v4),
            IpAddr::V6(ip) => {
                let _ = write!(scratch, "{ip}");
                &scratch
            }
        },
        MacroLetter::Timestamp => {
            let _ = write!(scratch, "{}", values.timestamp);
            &scratch
        }
    };
    let plain = m.digits.is_none() && !m.reverse && m.delimiters == 0;
    if plain {
        push_value(out, value, m.url_escape);
        return;
    }
    let delimiters = if m.delimiters == 0 { 1 } else { m.delimiters };
    let is_delimiter = |c: char| {
        u8::try_from(c)
            .ok()
            .and_then(|b| DELIMITERS.iter().position(|d| *d == b))
            .is_some_and(|bit| delimiters & (1 << bit) != 0)
    };
    // The parts, reversed or not, of which the last `keep` are written:
    // counted first, so that no list of them is built.
    let count = value.chars().filter(|&c| is_delimiter(c)).count() + 1;
    let keep = m.digits.map_or(count, |d| {
        usize::try_from(d).unwrap_or(usize::MAX).min(count)
    });
    let labels: &mut dyn Iterator<Item = &str> = if m.reverse {
        &mut value.rsplit(is_delimiter)
    } else {
        &mut value.split(is_delimiter)
    };
    for (i, label) in labels.skip(count - keep).enumerate() {
        if i > 0 {
            out.push('.');
        }
        push_value(out, label, m.url_escape);
    }
}

/// `%{i}` of an IPv6 address (RFC 7208 §7.3): its 32 nibbles, most
/// significant first, dot-separated, written into `buf`; `%{ir}`
/// reverses them.
fn nibbles_text(ip: Ipv6Addr, upper_case: bool, buf: &mut [u8; 63]) -> &str {
    let hex: &[u8; 16] = if upper_case {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    // Four octets per byte of the address ("h.l."), the last without its dot.
    for (chunk, byte) in buf.chunks_mut(4).zip(ip.octets()) {
        let written = [
            hex[usize::from(byte >> 4)],
            b'.',
            hex[usize::from(byte & 0xf)],
            b'.',
        ];
        for (slot, b) in chunk.iter_mut().zip(written) {
            *slot = b;
        }
    }
    // Only hex digits and dots were written.
    std::str::from_utf8(buf).unwrap_or_default()
}

/// Appends `value`, URL-escaped when asked: every character but the
/// unreserved ones of RFC 3986 §2.3, as `%` and upper-case hex.
fn push_value(out: &mut String, value: &str, url_escape: bool) {
    if !url_escape {
        out.push_str(value);
        return;
    }
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(ip: &str) -> MacroValues<'static> {
        MacroValues {
            local_part: "strong-bad",
            sender_domain: "email.example.com",
            domain: "email.example.com",
            ip: ip.parse().unwrap(),
            upper_case_nibbles: false,
            validated_name: None,
            helo: "mx.example.org",
            receiver: "mx.example.net",
            timestamp: 1_700_000_000,
        }
    }

    fn expand(text: &str, ip: &str) -> String {
        let parsed = MacroString::parse(text, 0, Context::Explanation).unwrap();
        let mut out = String::new();
        parsed.expand(&values(ip), &mut out);
        out
    }

    /// RFC 7208 §7.4, the examples.
    #[test]
    fn rfc7208_examples() {
        let v4 = "192.0.2.3";
        assert_eq!(expand("%{s}", v4), "strong-bad@email.example.com");
        assert_eq!(expand("%{o}", v4), "email.example.com");
        assert_eq!(expand("%{d}", v4), "email.example.com");
        assert_eq!(expand("%{d4}", v4), "email.example.com");
        assert_eq!(expand("%{d3}", v4), "email.example.com");
        assert_eq!(expand("%{d2}", v4), "example.com");
        assert_eq!(expand("%{d1}", v4), "com");
        assert_eq!(expand("%{dr}", v4), "com.example.email");
        assert_eq!(expand("%{d2r}", v4), "example.email");
        assert_eq!(expand("%{l}", v4), "strong-bad");
        assert_eq!(expand("%{l-}", v4), "strong.bad");
        assert_eq!(expand("%{lr}", v4), "strong-bad");
        assert_eq!(expand("%{lr-}", v4), "bad.strong");
        assert_eq!(expand("%{l1r-}", v4), "strong");
        assert_eq!(
            expand("%{ir}.%{v}._spf.%{d2}", v4),
            "3.2.0.192.in-addr._spf.example.com"
        );
        assert_eq!(
            expand("%{lr-}.lp._spf.%{d2}", v4),
            "bad.strong.lp._spf.example.com"
        );
        assert_eq!(
            expand("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", v4),
            "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"
        );
        assert_eq!(
            expand("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", v4),
            "3.2.0.192.in-addr.strong.lp._spf.example.com"
        );
        assert_eq!(
            expand("%{d2}.trusted-domains.example.net", v4),
            "example.com.trusted-domains.example.net"
        );
        assert_eq!(
            expand("%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01"),
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"
        );
    }

    /// Addresses are written on the stack and transformers pick their
    /// parts without a list: every form of `%{i}` against the parts
    /// written out by hand.
    #[test]
    fn address_macros_and_transformers() {
        let v6 = "2001:db8::cb01";
        let nibbles = "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1";
        assert_eq!(expand("%{i}", v6), nibbles);
        assert_eq!(expand("%{i2}", v6), "0.1");
        assert_eq!(expand("%{i2r}", v6), "0.2");
        assert_eq!(expand("%{i99r}", v6).len(), nibbles.len());
        assert_eq!(expand("%{i}", "255.255.255.255"), "255.255.255.255");
        assert_eq!(expand("%{i1}.%{i1r}", "0.10.100.9"), "9.0");
        assert_eq!(expand("%{c}", "198.51.100.7"), "198.51.100.7");
        assert_eq!(expand("%{l2r-+}", "192.0.2.3"), "bad.strong");
        let mut upper = values(v6);
        upper.upper_case_nibbles = true;
        let mut out = String::new();
        MacroString::parse("%{i3}", 0, Context::Explanation)
            .unwrap()
            .expand(&upper, &mut out);
        assert_eq!(out, "B.0.1");
    }

    #[test]
    fn escapes_and_url_encoding() {
        assert_eq!(expand("a%%b%_c%-d", "192.0.2.3"), "a%b c%20d");
        assert_eq!(
            expand("%{S}", "192.0.2.3"),
            "strong-bad%40email.example.com"
        );
        assert_eq!(
            expand("%{c} %{r} %{t} %{v} %{p}", "2001:DB8::1"),
            "2001:db8::1 mx.example.net 1700000000 ip6 unknown"
        );
    }

    #[test]
    fn parse_errors_have_offsets() {
        let record = |t: &str| MacroString::parse(t, 10, Context::Record).unwrap_err();
        assert_eq!(record("ab%x"), MacroError::BadPercent(12));
        assert_eq!(record("%{x}"), MacroError::BadLetter(12));
        assert_eq!(record("%{r}"), MacroError::ExplanationOnly(12));
        assert_eq!(record("%{d0}"), MacroError::BadDigits(13));
        assert_eq!(record("%{d00}"), MacroError::BadDigits(13));
        assert_eq!(record("%{d2r:}"), MacroError::Malformed(15));
        assert_eq!(record("%{d"), MacroError::Malformed(10));
        assert_eq!(record("a b"), MacroError::BadCharacter(11));
        assert_eq!(record("%"), MacroError::BadPercent(10));
        assert!(MacroString::parse_explanation("a b %{r}").is_ok());
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "%{d2r.-}",
            "%{L}x%%y%_z%-",
            "%{i128r+,/_=}",
            "%{i200}",
            "%{d4294967295r}",
            "plain.example.com",
            "",
        ] {
            let parsed = MacroString::parse(text, 0, Context::Record).unwrap();
            assert_eq!(parsed.to_string(), text);
            assert_eq!(
                MacroString::parse(&parsed.to_string(), 0, Context::Record).unwrap(),
                parsed
            );
        }
    }

    #[test]
    fn domain_end() {
        let ends = |t: &str| {
            MacroString::parse(t, 0, Context::Record)
                .unwrap()
                .has_domain_end()
        };
        assert!(ends("example.com"));
        assert!(ends("example.com."));
        assert!(ends("foo.example.xn--zckzah"));
        assert!(ends("_spf.%{d2}"));
        assert!(ends("foo:bar/baz.example.com"));
        assert!(!ends("museum"));
        assert!(!ends("museum."));
        assert!(!ends("abc.123"));
        assert!(!ends("example.-com"));
        assert!(!ends("example.com-"));
        // A dash makes an all-digit label a toplabel (RFC 7208 §7.1).
        assert!(ends("a.1-2"));
        assert!(!ends("a.12"));
        assert!(!ends("example.com:8080"));
        assert!(!ends("ip5.example.com/24"));
        assert!(!ends(""));
    }
}
