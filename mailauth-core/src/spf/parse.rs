//! The SPF record parser: RFC 7208 §12, one function per rule, over the
//! record's text. Errors say what and at which byte.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::macros::{Context, MacroError, MacroString};
use super::record::{Directive, DualCidr, Mechanism, Modifier, Qualifier, SpfRecord, Term};

/// A record that does not parse: what is wrong and the byte offset where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at byte {offset}")]
pub struct ParseError {
    kind: ParseErrorKind,
    offset: usize,
}

impl ParseError {
    fn new(kind: ParseErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }

    /// A byte that is not text at `offset` (the record is not UTF-8).
    pub(crate) fn invalid_byte(offset: usize) -> Self {
        Self::new(ParseErrorKind::InvalidCharacter, offset)
    }

    /// What is wrong.
    pub fn kind(&self) -> &ParseErrorKind {
        &self.kind
    }

    /// The byte offset into the record text.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl From<MacroError> for ParseError {
    fn from(error: MacroError) -> Self {
        Self::new(ParseErrorKind::Macro(error), error.offset())
    }
}

/// What is wrong with a record; see [`ParseError`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The text does not start with `v=spf1` followed by a space or its end
    /// (RFC 7208 §4.5): it is not an SPF record at all.
    #[error("not an SPF record (no \"v=spf1\" version)")]
    NotSpf,
    /// A term that is neither a known mechanism nor a `name=value`
    /// modifier.
    #[error("unknown mechanism")]
    UnknownMechanism,
    /// A mechanism with an argument it does not take (`all:x`, `ptr/24`).
    #[error("unexpected argument")]
    UnexpectedArgument,
    /// A mechanism or modifier without its required domain-spec.
    #[error("missing domain")]
    MissingDomain,
    /// A domain-spec that does not end in a valid top label or a macro
    /// (RFC 7208 §7.1 `domain-end`).
    #[error("invalid domain")]
    InvalidDomain,
    /// A CIDR length that is malformed, has a leading zero, or is out of
    /// range (IPv4 0-32, IPv6 0-128).
    #[error("invalid CIDR prefix length")]
    InvalidCidr,
    /// An `ip4:` network that is not four decimal octets.
    #[error("invalid IPv4 network")]
    InvalidIp4,
    /// An `ip6:` network that is not an IPv6 address.
    #[error("invalid IPv6 network")]
    InvalidIp6,
    /// A modifier name that does not start with a letter (RFC 7208 §12
    /// `name`).
    #[error("invalid modifier name")]
    InvalidModifierName,
    /// `redirect=` or `exp=` more than once (RFC 7208 §6).
    #[error("modifier {0} appears more than once")]
    DuplicateModifier(&'static str),
    /// A byte that is not visible ASCII where the record needs it.
    #[error("invalid character")]
    InvalidCharacter,
    /// A malformed macro-string (its offset is the [`ParseError`]'s).
    #[error("{}", .0.what())]
    Macro(MacroError),
}

impl SpfRecord {
    /// Appends a term, keeping the one-`redirect=`, one-`exp=` rule (RFC
    /// 7208 §6). Inlined: it runs once per term, and its common case
    /// (a directive) is a push.
    #[inline]
    fn push(&mut self, term: Term, start: usize) -> Result<(), ParseError> {
        if let Term::Modifier(modifier) = &term {
            self.place_modifier(modifier, start)?;
        }
        self.terms.push(term);
        Ok(())
    }

    /// Notes where `redirect=` or `exp=` is about to be appended; a second
    /// one is an error at `start`.
    fn place_modifier(&mut self, modifier: &Modifier, start: usize) -> Result<(), ParseError> {
        let (slot, name) = match modifier {
            Modifier::Redirect(_) => (&mut self.redirect, "redirect"),
            Modifier::Exp(_) => (&mut self.exp, "exp"),
            Modifier::Unknown { .. } => return Ok(()),
        };
        if slot.is_some() {
            return Err(ParseError::new(
                ParseErrorKind::DuplicateModifier(name),
                start,
            ));
        }
        *slot = Some(self.terms.len());
        Ok(())
    }
}

/// `record = version terms *SP`
pub(crate) fn parse_record(text: &str) -> Result<SpfRecord, ParseError> {
    let rest = version(text)?;
    let bytes = text.as_bytes();
    // One term per space at most: counted first, so that the terms take
    // one allocation of the right size (the record cache keeps them).
    // memchr's iterator finds the spaces in a vectorised pass over the
    // whole record, once to count and once to split; a search per term
    // would pay its set-up once per term.
    let mut record = SpfRecord {
        terms: Vec::with_capacity(memchr::memchr_iter(b' ', bytes).count()),
        redirect: None,
        exp: None,
    };
    let mut start = text.len() - rest.len();
    for end in memchr::memchr_iter(b' ', bytes).chain([bytes.len()]) {
        if end > start {
            let term = term(&text[start..end], start)?;
            record.push(term, start)?;
        }
        start = end + 1;
    }
    Ok(record)
}

/// Whether `text` is an SPF record by RFC 7208 §4.5: it starts with
/// `v=spf1` (ASCII case-insensitively) followed by a space or nothing.
pub fn is_spf_record(text: &[u8]) -> bool {
    text.len() >= 6
        && text[..6].eq_ignore_ascii_case(b"v=spf1")
        && matches!(text.get(6), None | Some(b' '))
}

/// `version = "v=spf1"`; returns the rest (empty, or starting with SP).
fn version(text: &str) -> Result<&str, ParseError> {
    if is_spf_record(text.as_bytes()) {
        Ok(&text[6..])
    } else {
        Err(ParseError::new(ParseErrorKind::NotSpf, 0))
    }
}

/// A byte class of [`CLASSES`]: the letters and digits of a mechanism's
/// name.
const MECHANISM_NAME: u8 = 1;
/// A byte class of [`CLASSES`]: what a modifier's `name` holds (RFC 7208
/// §12: `ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )`; the leading letter is
/// checked apart).
const MODIFIER_NAME: u8 = 2;

/// Each byte's classes, one bit each: a table look-up per byte instead of
/// a chain of range tests, on the scan every term starts with.
const CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric() {
            table[b] = MECHANISM_NAME | MODIFIER_NAME;
        } else if matches!(byte, b'-' | b'_' | b'.') {
            table[b] = MODIFIER_NAME;
        }
        b += 1;
    }
    table
};

/// How many bytes at the start of `bytes` are of `class`.
fn span(bytes: &[u8], class: u8) -> usize {
    bytes
        .iter()
        .position(|&b| CLASSES[usize::from(b)] & class == 0)
        .unwrap_or(bytes.len())
}

/// `directive / modifier`
fn term(text: &str, start: usize) -> Result<Term, ParseError> {
    let name_len = span(text.as_bytes(), MODIFIER_NAME);
    if text.as_bytes().get(name_len) == Some(&b'=') {
        return modifier(&text[..name_len], &text[name_len + 1..], start).map(Term::Modifier);
    }
    directive(text, start).map(Term::Directive)
}

/// `modifier = redirect / explanation / unknown-modifier`
fn modifier(name: &str, value: &str, start: usize) -> Result<Modifier, ParseError> {
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(ParseError::new(ParseErrorKind::InvalidModifierName, start));
    }
    let value_start = start + name.len() + 1;
    if name.eq_ignore_ascii_case("redirect") {
        Ok(Modifier::Redirect(domain_spec(value, value_start)?))
    } else if name.eq_ignore_ascii_case("exp") {
        Ok(Modifier::Exp(domain_spec(value, value_start)?))
    } else {
        Ok(Modifier::Unknown {
            name: name.to_owned(),
            value: MacroString::parse(value, value_start, Context::Record)?,
        })
    }
}

/// `directive = [ qualifier ] mechanism`
fn directive(text: &str, start: usize) -> Result<Directive, ParseError> {
    let (qualifier, rest, offset) = match text.as_bytes()[0] {
        b'+' => (Qualifier::Pass, &text[1..], start + 1),
        b'-' => (Qualifier::Fail, &text[1..], start + 1),
        b'~' => (Qualifier::SoftFail, &text[1..], start + 1),
        b'?' => (Qualifier::Neutral, &text[1..], start + 1),
        _ => (Qualifier::Pass, text, start),
    };
    Ok(Directive {
        qualifier,
        mechanism: mechanism(rest, offset)?,
    })
}

/// `mechanism = ( all / include / a / mx / ptr / ip4 / ip6 / exists )`
fn mechanism(text: &str, start: usize) -> Result<Mechanism, ParseError> {
    let name_len = span(text.as_bytes(), MECHANISM_NAME);
    let (name, args) = text.split_at(name_len);
    let args_start = start + name_len;
    let unknown = || ParseError::new(ParseErrorKind::UnknownMechanism, start);
    if !args.is_empty() && !args.starts_with([':', '/']) {
        return Err(unknown());
    }
    let is = |m: &str| name.eq_ignore_ascii_case(m);
    if is("all") {
        no_args(args, args_start)?;
        Ok(Mechanism::All)
    } else if is("ip4") {
        // Most ip4 terms are a valid address and an optional length: read
        // in one pass. Anything else goes the general way, which finds the
        // length first, so that its errors come first as they always have.
        if let Some(spec) = args.strip_prefix(':')
            && let Some((addr, used)) = ip4_prefix(spec.as_bytes())
        {
            match spec.as_bytes().get(used) {
                None => return Ok(Mechanism::Ip4 { addr, prefix: None }),
                Some(b'/') => {
                    let prefix = cidr_length(&spec[used + 1..], args_start + 2 + used, 32)?;
                    return Ok(Mechanism::Ip4 {
                        addr,
                        prefix: Some(prefix),
                    });
                }
                Some(_) => {}
            }
        }
        let (addr, prefix) = network(args, args_start, 32)?;
        let addr =
            ip4_network(addr).ok_or(ParseError::new(ParseErrorKind::InvalidIp4, args_start + 1))?;
        Ok(Mechanism::Ip4 { addr, prefix })
    } else if is("ip6") {
        let (addr, prefix) = network(args, args_start, 128)?;
        let addr =
            ip6_network(addr).ok_or(ParseError::new(ParseErrorKind::InvalidIp6, args_start + 1))?;
        Ok(Mechanism::Ip6 { addr, prefix })
    } else if is("include") {
        Ok(Mechanism::Include(required_domain(args, args_start)?))
    } else if is("a") || is("mx") {
        let (domain, cidr) = domain_with_cidr(args, args_start)?;
        Ok(if is("a") {
            Mechanism::A { domain, cidr }
        } else {
            Mechanism::Mx { domain, cidr }
        })
    } else if is("exists") {
        Ok(Mechanism::Exists(required_domain(args, args_start)?))
    } else if is("ptr") {
        if args.starts_with('/') {
            return Err(ParseError::new(
                ParseErrorKind::UnexpectedArgument,
                args_start,
            ));
        }
        Ok(Mechanism::Ptr(optional_domain(args, args_start)?))
    } else {
        Err(unknown())
    }
}

fn no_args(args: &str, start: usize) -> Result<(), ParseError> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(ParseError::new(ParseErrorKind::UnexpectedArgument, start))
    }
}

/// `":" domain-spec`, required.
fn required_domain(args: &str, start: usize) -> Result<MacroString, ParseError> {
    match args.strip_prefix(':') {
        Some(spec) => domain_spec(spec, start + 1),
        None if args.is_empty() => Err(ParseError::new(ParseErrorKind::MissingDomain, start)),
        None => Err(ParseError::new(ParseErrorKind::UnexpectedArgument, start)),
    }
}

/// `[ ":" domain-spec ]`
fn optional_domain(args: &str, start: usize) -> Result<Option<MacroString>, ParseError> {
    if args.is_empty() {
        return Ok(None);
    }
    required_domain(args, start).map(Some)
}

/// `[ ":" domain-spec ] [ dual-cidr-length ]` of `a` and `mx`. The CIDR is
/// taken from the end, since a domain-spec may itself hold `/`.
fn domain_with_cidr(
    args: &str,
    start: usize,
) -> Result<(Option<MacroString>, DualCidr), ParseError> {
    if args.starts_with('/') {
        return Ok((None, dual_cidr_length(args, start)?));
    }
    let Some(spec) = args.strip_prefix(':') else {
        return Ok((None, DualCidr::default()));
    };
    let (spec, cidr) = split_cidr_suffix(spec);
    let cidr = dual_cidr_length(cidr, start + 1 + spec.len())?;
    Ok((Some(domain_spec(spec, start + 1)?), cidr))
}

/// Splits a trailing `[ "/" digits ] [ "//" digits ]` off `text`.
fn split_cidr_suffix(text: &str) -> (&str, &str) {
    let bytes = text.as_bytes();
    // Where the run of digits that ends at `end` starts, if the run is
    // not empty and `sep` stands right before it.
    let digits_after = |end: usize, sep: &[u8]| {
        let digits = bytes[..end]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let at = end - digits;
        (digits > 0 && bytes[..at].ends_with(sep)).then(|| at - sep.len())
    };
    let mut head = bytes.len();
    if let Some(i) = digits_after(head, b"//") {
        head = i;
    }
    if let Some(i) = digits_after(head, b"/").filter(|&i| !bytes[..i].ends_with(b"/")) {
        head = i;
    }
    text.split_at(head)
}

/// `dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ]`
fn dual_cidr_length(text: &str, start: usize) -> Result<DualCidr, ParseError> {
    let mut cidr = DualCidr::default();
    let (v4_text, v6_text) = match text.as_bytes().windows(2).position(|w| w == b"//") {
        Some(i) => (&text[..i], Some(&text[i + 2..])),
        None => (text, None),
    };
    if !v4_text.is_empty() {
        let digits = v4_text
            .strip_prefix('/')
            .ok_or(ParseError::new(ParseErrorKind::InvalidCidr, start))?;
        cidr.v4 = Some(cidr_length(digits, start + 1, 32)?);
    }
    if let Some(digits) = v6_text {
        cidr.v6 = Some(cidr_length(digits, start + v4_text.len() + 2, 128)?);
    }
    Ok(cidr)
}

/// `"0" / %x31-39 *DIGIT`, at most `max`.
fn cidr_length(digits: &str, start: usize, max: u8) -> Result<u8, ParseError> {
    let bad = ParseError::new(ParseErrorKind::InvalidCidr, start);
    let valid_form = !digits.is_empty()
        && digits.len() <= 3
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if !valid_form {
        return Err(bad);
    }
    let n = digits
        .bytes()
        .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
    u8::try_from(n).ok().filter(|&n| n <= max).ok_or(bad)
}

/// `":" network [ "/" length ]` of `ip4` and `ip6`.
fn network(args: &str, start: usize, max: u8) -> Result<(&str, Option<u8>), ParseError> {
    let Some(rest) = args.strip_prefix(':') else {
        let kind = if args.is_empty() {
            ParseErrorKind::MissingDomain
        } else {
            ParseErrorKind::UnexpectedArgument
        };
        return Err(ParseError::new(kind, start));
    };
    match rest.bytes().position(|b| b == b'/') {
        None => Ok((rest, None)),
        Some(slash) => {
            let (addr, digits) = (&rest[..slash], &rest[slash + 1..]);
            Ok((addr, Some(cidr_length(digits, start + 2 + slash, max)?)))
        }
    }
}

/// `ip4-network = qnum "." qnum "." qnum "." qnum`, each 0-255 without
/// leading zeros.
fn ip4_network(text: &str) -> Option<Ipv4Addr> {
    match ip4_prefix(text.as_bytes()) {
        Some((addr, used)) if used == text.len() => Some(addr),
        _ => None,
    }
}

/// An `ip4-network` at the start of `bytes`, and the bytes it takes: it
/// ends at the first byte that is neither a digit nor a dot it can take.
fn ip4_prefix(bytes: &[u8]) -> Option<(Ipv4Addr, usize)> {
    let mut octets = [0u8; 4];
    let mut count = 0;
    let mut value: u16 = 0;
    let mut digits = 0;
    let mut used = 0;
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                // No leading zeros: "0" alone, or a nonzero first digit.
                if digits == 1 && value == 0 {
                    return None;
                }
                value = value * 10 + u16::from(b - b'0');
                digits += 1;
                if digits > 3 || value > 255 {
                    return None;
                }
            }
            b'.' if digits > 0 && count < 3 => {
                octets[count] = u8::try_from(value).ok()?;
                count += 1;
                value = 0;
                digits = 0;
            }
            _ => break,
        }
        used += 1;
    }
    if count != 3 || digits == 0 {
        return None;
    }
    octets[3] = u8::try_from(value).ok()?;
    Some((Ipv4Addr::from(octets), used))
}

/// `ip6-network`: an IPv6 address in the text forms of RFC 4291 §2.2 (hex
/// groups of 1 to 4 digits, one `::`, an optional trailing dotted IPv4
/// part), the same set `std::net::Ipv6Addr` accepts, read in one pass.
pub fn ip6_network(text: &str) -> Option<Ipv6Addr> {
    let bytes = text.as_bytes();
    let mut groups = [0u16; 8];
    let mut count = 0; // groups written
    let mut gap: Option<usize> = None; // where "::" stands, in groups
    let mut i = 0;
    if bytes.starts_with(b"::") {
        gap = Some(0);
        i = 2;
        if i == bytes.len() {
            return Some(Ipv6Addr::UNSPECIFIED);
        }
    } else if bytes.first() == Some(&b':') {
        return None;
    }
    loop {
        let start = i;
        let mut value: u16 = 0;
        while i < bytes.len() && i - start < 4 {
            let digit = match bytes[i] {
                b @ b'0'..=b'9' => b - b'0',
                b @ b'a'..=b'f' => b - b'a' + 10,
                b @ b'A'..=b'F' => b - b'A' + 10,
                _ => break,
            };
            value = (value << 4) | u16::from(digit);
            i += 1;
        }
        // A dot after the digits: this group begins a dotted IPv4 tail,
        // which must be the rest of the text and takes the last two
        // groups. Seen here, it needs no search of its own.
        if i > start && bytes.get(i) == Some(&b'.') {
            if count > 6 {
                return None;
            }
            let v4 = ip4_network(&text[start..])?;
            let [a, b, c, d] = v4.octets();
            groups[count] = u16::from_be_bytes([a, b]);
            groups[count + 1] = u16::from_be_bytes([c, d]);
            count += 2;
            break;
        }
        if i == start || count == 8 {
            return None;
        }
        groups[count] = value;
        count += 1;
        if i == bytes.len() {
            break;
        }
        if bytes[i] != b':' {
            return None;
        }
        i += 1;
        if bytes.get(i) == Some(&b':') {
            if gap.is_some() {
                return None;
            }
            gap = Some(count);
            i += 1;
            if i == bytes.len() {
                break;
            }
        } else if i == bytes.len() {
            return None;
        }
    }
    match gap {
        // "::" must stand for at least one group.
        Some(at) if count < 8 => {
            let tail = count - at;
            groups.copy_within(at..count, 8 - tail);
            groups[at..8 - tail].fill(0);
        }
        Some(_) => return None,
        None if count != 8 => return None,
        None => {}
    }
    Some(Ipv6Addr::from(groups))
}

/// `domain-spec = macro-string domain-end`
fn domain_spec(text: &str, start: usize) -> Result<MacroString, ParseError> {
    if text.is_empty() {
        return Err(ParseError::new(ParseErrorKind::MissingDomain, start));
    }
    let spec = MacroString::parse(text, start, Context::Record)?;
    if !spec.has_domain_end() {
        return Err(ParseError::new(ParseErrorKind::InvalidDomain, start));
    }
    Ok(spec)
}

#[cfg(test)]
mod tests;
