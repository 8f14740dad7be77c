//! RFC 1035 §5 master files ("zone files"): the text both the in-memory
//! backend and the real DNS server in the tests load.
//!
//! Supported: `$ORIGIN`, `$TTL`, comments, parentheses spanning lines, blank
//! owners (the previous owner), `@`, relative and absolute names, TTL and
//! class (`IN` only) in either order, and the types A, AAAA, MX, PTR, CNAME,
//! TXT, NS and SOA. NS and SOA are read so that a file a real server serves
//! loads here too; the in-memory backend keeps them only to know that their
//! owner exists. Escapes `\X` and `\DDD` work in names and strings.
//!
//! ```text
//! $ORIGIN example.com.
//! $TTL 300
//! @        IN SOA ns hostmaster ( 1 3600 600 86400 300 )
//!          IN NS  ns
//! @           TXT "v=spf1 " "mx -all"      ; two strings, one record
//! mail     60 A   192.0.2.25
//! ```

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::name::{MAX_LABEL_LEN, MAX_NAME_LEN};
use super::{Mx, RecordType, Txt};

/// A parsed master file: its records in file order, all names absolute and
/// without the trailing dot (`""` is the root).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Zone {
    /// The records, in file order.
    pub records: Vec<ZoneRecord>,
}

/// One resource record of a [`Zone`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ZoneRecord {
    /// The owner name: absolute, without the trailing dot.
    pub name: String,
    /// Time to live, in seconds.
    pub ttl: u32,
    /// The type and its data.
    pub data: RecordData,
}

impl ZoneRecord {
    /// A record of `name` (absolute, without the trailing dot) with this
    /// TTL and data.
    pub fn new(name: impl Into<String>, ttl: u32, data: RecordData) -> Self {
        Self {
            name: name.into(),
            ttl,
            data,
        }
    }
}

impl From<Vec<ZoneRecord>> for Zone {
    fn from(records: Vec<ZoneRecord>) -> Self {
        Self { records }
    }
}

/// The data of a [`ZoneRecord`], by type.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordData {
    /// An IPv4 address.
    A(Ipv4Addr),
    /// An IPv6 address.
    Aaaa(Ipv6Addr),
    /// A mail exchanger.
    Mx(Mx),
    /// A pointer to a name (reverse DNS).
    Ptr(String),
    /// An alias: every query for the owner continues at this name.
    Cname(String),
    /// Text strings.
    Txt(Txt),
    /// A nameserver of the zone.
    Ns(String),
    /// Start of authority.
    Soa(Soa),
}

impl RecordData {
    /// The queryable type this data answers, if any (CNAME, NS and SOA are
    /// not asked for through [`super::DnsResolver`]).
    pub fn record_type(&self) -> Option<RecordType> {
        Some(match self {
            Self::A(_) => RecordType::A,
            Self::Aaaa(_) => RecordType::Aaaa,
            Self::Mx(_) => RecordType::Mx,
            Self::Ptr(_) => RecordType::Ptr,
            Self::Txt(_) => RecordType::Txt,
            Self::Cname(_) | Self::Ns(_) | Self::Soa(_) => return None,
        })
    }
}

/// The data of an SOA record (RFC 1035 §3.3.13).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Soa {
    /// The primary nameserver.
    pub mname: String,
    /// The responsible person's mailbox, as a name.
    pub rname: String,
    /// Serial number.
    pub serial: u32,
    /// Refresh interval, seconds.
    pub refresh: u32,
    /// Retry interval, seconds.
    pub retry: u32,
    /// Expiry, seconds.
    pub expire: u32,
    /// Negative-caching TTL, seconds (RFC 2308 §4).
    pub minimum: u32,
}

impl Soa {
    /// An SOA record for `mname` and `rname` with the usual timers (one
    /// hour refresh, ten minutes retry, one day expiry, five minutes
    /// negative caching); set the fields to change them.
    pub fn new(mname: impl Into<String>, rname: impl Into<String>, serial: u32) -> Self {
        Self {
            mname: mname.into(),
            rname: rname.into(),
            serial,
            refresh: 3600,
            retry: 600,
            expire: 86_400,
            minimum: 300,
        }
    }
}

/// A master file that could not be read: what and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("zone text line {line}, column {column}: {kind}")]
#[non_exhaustive]
pub struct ZoneError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in bytes.
    pub column: usize,
    /// What is wrong there.
    pub kind: ZoneErrorKind,
}

/// What is wrong in a master file; see [`ZoneError`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ZoneErrorKind {
    /// A quoted string runs to the end of the line or file.
    #[error("unterminated quoted string")]
    UnterminatedString,
    /// A `)` without `(`, or a `(` never closed.
    #[error("unbalanced parenthesis")]
    UnbalancedParenthesis,
    /// A `\` at the end of input, or `\DDD` above 255.
    #[error("invalid escape sequence")]
    InvalidEscape,
    /// A `$` directive this parser does not know.
    #[error("unknown directive {0:?}")]
    UnknownDirective(String),
    /// `$INCLUDE` (or `$GENERATE`): files are read from text only.
    #[error("directive {0:?} is not supported")]
    UnsupportedDirective(String),
    /// A record with a blank owner before any owner was given.
    #[error("no previous owner name for a record with a blank owner")]
    MissingOwner,
    /// A class other than `IN`.
    #[error("class {0:?} is not supported (only IN)")]
    UnsupportedClass(String),
    /// A record type this parser does not know.
    #[error("unsupported record type {0:?}")]
    UnsupportedType(String),
    /// The record ended before this field.
    #[error("missing {0}")]
    Missing(&'static str),
    /// More fields than the record type takes.
    #[error("unexpected extra data")]
    TrailingData,
    /// A field that is not a valid IPv4 address.
    #[error("invalid IPv4 address")]
    InvalidIpv4,
    /// A field that is not a valid IPv6 address.
    #[error("invalid IPv6 address")]
    InvalidIpv6,
    /// A field that is not a number in range.
    #[error("invalid number")]
    InvalidNumber,
    /// A name with an empty label, a label over 63 octets, a name over 253,
    /// an escaped dot inside a label, or bytes that are not UTF-8.
    #[error("invalid domain name: {0}")]
    InvalidName(&'static str),
    /// A TXT character-string longer than 255 octets.
    #[error("character-string longer than 255 octets")]
    StringTooLong,
    /// A quoted string where a name, number or type belongs.
    #[error("unexpected quoted string")]
    UnexpectedQuote,
    /// A CNAME at a name that has other data, or a second CNAME (RFC 1034
    /// §3.6.2, RFC 2181 §10.1).
    #[error("a CNAME cannot share its name with other records")]
    CnameConflict,
}

/// The TTL when neither `$TTL` nor an earlier record gave one.
const DEFAULT_TTL: u32 = 3600;

impl Zone {
    /// Parses master-file text. Relative names are relative to `$ORIGIN`,
    /// or to the root before any `$ORIGIN`.
    ///
    /// ```
    /// use mailauth_core::dns::{RecordData, Zone};
    /// let zone = Zone::parse("$ORIGIN example.org.\nwww 300 IN A 192.0.2.80\n").unwrap();
    /// assert_eq!(zone.records[0].name, "www.example.org");
    /// assert_eq!(zone.records[0].data, RecordData::A("192.0.2.80".parse().unwrap()));
    ///
    /// let err = Zone::parse("www A 192.0.2.300\n").unwrap_err();
    /// assert_eq!((err.line, err.column), (1, 7));
    /// ```
    pub fn parse(text: &str) -> Result<Self, ZoneError> {
        let mut parser = Parser {
            lexer: Lexer::new(text),
            origin: String::new(),
            default_ttl: None,
            last_ttl: None,
            last_owner: None,
            records: Vec::new(),
        };
        while let Some(entry) = parser.lexer.next_entry()? {
            parser.entry(entry)?;
        }
        check_cnames(&parser.records)?;
        Ok(Self {
            records: parser.records.into_iter().map(|(_, r)| r).collect(),
        })
    }
}

/// RFC 2181 §10.1: a CNAME is alone at its name.
fn check_cnames(records: &[(Pos, ZoneRecord)]) -> Result<(), ZoneError> {
    let mut seen: std::collections::HashMap<String, (bool, bool)> = Default::default();
    for (pos, record) in records {
        let is_cname = matches!(record.data, RecordData::Cname(_));
        let entry = seen.entry(record.name.to_ascii_lowercase()).or_default();
        let (has_cname, has_other) = entry;
        if *has_cname || (is_cname && *has_other) {
            return Err(pos.error(ZoneErrorKind::CnameConflict));
        }
        *entry = (*has_cname || is_cname, *has_other || !is_cname);
    }
    Ok(())
}

impl fmt::Display for Zone {
    /// Writes one absolute record per line, in a form [`Zone::parse`] reads
    /// back to the same records (and a real server loads).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for record in &self.records {
            writeln!(f, "{record}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ZoneRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} IN ", AbsName(&self.name), self.ttl)?;
        match &self.data {
            RecordData::A(ip) => write!(f, "A {ip}"),
            RecordData::Aaaa(ip) => write!(f, "AAAA {ip}"),
            RecordData::Mx(mx) => write!(f, "MX {} {}", mx.preference, AbsName(&mx.exchange)),
            RecordData::Ptr(name) => write!(f, "PTR {}", AbsName(name)),
            RecordData::Cname(name) => write!(f, "CNAME {}", AbsName(name)),
            RecordData::Ns(name) => write!(f, "NS {}", AbsName(name)),
            RecordData::Soa(soa) => write!(
                f,
                "SOA {} {} {} {} {} {} {}",
                AbsName(&soa.mname),
                AbsName(&soa.rname),
                soa.serial,
                soa.refresh,
                soa.retry,
                soa.expire,
                soa.minimum
            ),
            RecordData::Txt(txt) => write!(f, "TXT {txt}"),
        }
    }
}

impl fmt::Display for Txt {
    /// The character-strings in master-file form (RFC 1035 §5.1): each
    /// quoted, split into strings of at most 255 octets, `"`, `\` and every
    /// octet outside printable ASCII escaped; `""` for none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.strings().len() == 0 {
            return f.write_str("\"\"");
        }
        let mut separator = "";
        for string in self.strings() {
            let mut chunks = string.chunks(255);
            let first = chunks.next().unwrap_or_default();
            for chunk in std::iter::once(first).chain(chunks) {
                f.write_str(separator)?;
                separator = " ";
                f.write_str("\"")?;
                write_escaped(f, chunk, |b| {
                    (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\'
                })?;
                f.write_str("\"")?;
            }
        }
        Ok(())
    }
}

/// An absolute name written with its trailing dot and escapes.
struct AbsName<'a>(&'a str);

impl fmt::Display for AbsName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str(".");
        }
        // Letters, digits, '-', '_' and '*' as they are (what real servers
        // accept in names), the label dots, and every other octet as \DDD.
        write_escaped(f, self.0.as_bytes(), |b| {
            b.is_ascii_alphanumeric() || b"-_*.".contains(&b)
        })?;
        f.write_str(".")
    }
}

/// Writes `bytes`: those `plain` picks as they are, every other byte as
/// `\DDD` (RFC 1035 §5.1), which reads back the same in names and strings.
fn write_escaped(
    f: &mut fmt::Formatter<'_>,
    bytes: &[u8],
    plain: impl Fn(u8) -> bool,
) -> fmt::Result {
    for &b in bytes {
        if plain(b) {
            f.write_str(char::from(b).encode_utf8(&mut [0; 4]))?;
        } else {
            write!(f, "\\{b:03}")?;
        }
    }
    Ok(())
}

/// A place in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pos {
    line: usize,
    column: usize,
}

impl Pos {
    fn error(self, kind: ZoneErrorKind) -> ZoneError {
        ZoneError {
            line: self.line,
            column: self.column,
            kind,
        }
    }
}

/// One field of an entry: its raw text (escapes not yet decoded) and place.
#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    raw: &'a str,
    quoted: bool,
    pos: Pos,
}

/// One logical entry: the fields of a line (or of several lines joined by
/// parentheses), and whether it started with white space (blank owner).
struct Entry<'a> {
    blank_owner: bool,
    tokens: Vec<Token<'a>>,
    end: Pos,
}

/// Splits master-file text into entries of tokens (RFC 1035 §5.1).
struct Lexer<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    line_start: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.offset - self.line_start + 1,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.offset).copied()
    }

    fn newline(&mut self) {
        self.offset += 1;
        self.line += 1;
        self.line_start = self.offset;
    }

    fn skip_comment(&mut self) {
        while let Some(b) = self.peek() {
            if b == b'\n' {
                break;
            }
            self.offset += 1;
        }
    }

    /// The next entry that has at least one token, or `None` at the end.
    fn next_entry(&mut self) -> Result<Option<Entry<'a>>, ZoneError> {
        loop {
            if self.peek().is_none() {
                return Ok(None);
            }
            let blank_owner = matches!(self.peek(), Some(b' ' | b'\t'));
            let mut tokens = Vec::new();
            let mut open_paren: Option<Pos> = None;
            let end = loop {
                match self.peek() {
                    None => break self.pos(),
                    Some(b'\n') => {
                        if open_paren.is_none() {
                            let end = self.pos();
                            self.newline();
                            break end;
                        }
                        self.newline();
                    }
                    Some(b' ' | b'\t' | b'\r') => self.offset += 1,
                    Some(b';') => self.skip_comment(),
                    Some(b'(') => {
                        if open_paren.is_some() {
                            return Err(self.pos().error(ZoneErrorKind::UnbalancedParenthesis));
                        }
                        open_paren = Some(self.pos());
                        self.offset += 1;
                    }
                    Some(b')') => {
                        if open_paren.take().is_none() {
                            return Err(self.pos().error(ZoneErrorKind::UnbalancedParenthesis));
                        }
                        self.offset += 1;
                    }
                    Some(b'"') => tokens.push(self.quoted()?),
                    Some(_) => tokens.push(self.word()?),
                }
            };
            if let Some(pos) = open_paren {
                return Err(pos.error(ZoneErrorKind::UnbalancedParenthesis));
            }
            if !tokens.is_empty() {
                return Ok(Some(Entry {
                    blank_owner,
                    tokens,
                    end,
                }));
            }
        }
    }

    /// A `"..."` string; the token's raw text is between the quotes.
    fn quoted(&mut self) -> Result<Token<'a>, ZoneError> {
        let pos = self.pos();
        self.offset += 1;
        let start = self.offset;
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(pos.error(ZoneErrorKind::UnterminatedString)),
                Some(b'\\') => self.skip_escape()?,
                Some(b'"') => break,
                Some(_) => self.offset += 1,
            }
        }
        let raw = &self.text[start..self.offset];
        self.offset += 1;
        Ok(Token {
            raw,
            quoted: true,
            pos,
        })
    }

    /// An unquoted field, up to white space or a special character.
    fn word(&mut self) -> Result<Token<'a>, ZoneError> {
        let pos = self.pos();
        let start = self.offset;
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'(' | b')' | b'"' => break,
                b'\\' => self.skip_escape()?,
                _ => self.offset += 1,
            }
        }
        Ok(Token {
            raw: &self.text[start..self.offset],
            quoted: false,
            pos,
        })
    }

    /// Steps over `\X` or `\DDD`; a `\` before a newline or at the end is
    /// an error. The value is checked when the token is decoded.
    fn skip_escape(&mut self) -> Result<(), ZoneError> {
        let pos = self.pos();
        self.offset += 1;
        match self.peek() {
            None | Some(b'\n') => Err(pos.error(ZoneErrorKind::InvalidEscape)),
            Some(_) => {
                // Step over one whole character, which may be multi-byte.
                let ch_len = self.text[self.offset..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
                self.offset += ch_len;
                Ok(())
            }
        }
    }
}

/// Decodes the escapes of a token's raw text. `on_byte` receives each byte
/// and whether it was escaped.
fn decode_escapes(
    token: &Token<'_>,
    mut on_byte: impl FnMut(u8, bool) -> Result<(), ZoneErrorKind>,
) -> Result<(), ZoneError> {
    let bytes = token.raw.as_bytes();
    let mut i = 0;
    let here = |i: usize| Pos {
        line: token.pos.line,
        column: token.pos.column + i + usize::from(token.quoted),
    };
    while i < bytes.len() {
        let start = i;
        let (byte, escaped) = if bytes[i] == b'\\' {
            let digits = bytes
                .get(i + 1..i + 4)
                .filter(|d| d.iter().all(u8::is_ascii_digit));
            match digits {
                Some(d) => {
                    let value = d.iter().fold(0u32, |v, b| v * 10 + u32::from(b - b'0'));
                    let value = u8::try_from(value)
                        .map_err(|_| here(i).error(ZoneErrorKind::InvalidEscape))?;
                    i += 4;
                    (value, true)
                }
                None => match bytes.get(i + 1) {
                    Some(b) if b.is_ascii_digit() => {
                        return Err(here(i).error(ZoneErrorKind::InvalidEscape));
                    }
                    Some(&b) => {
                        i += 2;
                        (b, true)
                    }
                    None => return Err(here(i).error(ZoneErrorKind::InvalidEscape)),
                },
            }
        } else {
            i += 1;
            (bytes[start], false)
        };
        on_byte(byte, escaped).map_err(|kind| here(start).error(kind))?;
    }
    Ok(())
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    origin: String,
    default_ttl: Option<u32>,
    last_ttl: Option<u32>,
    last_owner: Option<String>,
    records: Vec<(Pos, ZoneRecord)>,
}

/// The fields of one entry, consumed in order.
struct Fields<'a, 'e> {
    tokens: std::slice::Iter<'e, Token<'a>>,
    end: Pos,
}

impl<'a> Fields<'a, '_> {
    fn next(&mut self, what: &'static str) -> Result<Token<'a>, ZoneError> {
        self.tokens
            .next()
            .copied()
            .ok_or_else(|| self.end.error(ZoneErrorKind::Missing(what)))
    }

    fn next_word(&mut self, what: &'static str) -> Result<Token<'a>, ZoneError> {
        let token = self.next(what)?;
        if token.quoted {
            return Err(token.pos.error(ZoneErrorKind::UnexpectedQuote));
        }
        Ok(token)
    }

    fn finish(mut self) -> Result<(), ZoneError> {
        match self.tokens.next() {
            Some(token) => Err(token.pos.error(ZoneErrorKind::TrailingData)),
            None => Ok(()),
        }
    }
}

impl<'a> Parser<'a> {
    fn entry(&mut self, entry: Entry<'a>) -> Result<(), ZoneError> {
        let mut fields = Fields {
            tokens: entry.tokens.iter(),
            end: entry.end,
        };
        let first = entry.tokens[0];
        if !entry.blank_owner && !first.quoted && first.raw.starts_with('$') {
            fields.next("directive")?;
            return self.directive(first, fields);
        }
        let owner_pos = first.pos;
        let owner = if entry.blank_owner {
            self.last_owner
                .clone()
                .ok_or_else(|| first.pos.error(ZoneErrorKind::MissingOwner))?
        } else {
            let token = fields.next_word("owner name")?;
            self.name(&token)?
        };
        self.last_owner = Some(owner.clone());

        let mut ttl = None;
        let mut class_seen = false;
        let type_token = loop {
            let token = fields.next_word("record type")?;
            if ttl.is_none() && token.raw.starts_with(|c: char| c.is_ascii_digit()) {
                ttl = Some(parse_ttl(&token)?);
            } else if !class_seen && is_class(token.raw) {
                if !token.raw.eq_ignore_ascii_case("IN") {
                    return Err(token
                        .pos
                        .error(ZoneErrorKind::UnsupportedClass(token.raw.into())));
                }
                class_seen = true;
            } else {
                break token;
            }
        };
        let ttl = match ttl {
            Some(ttl) => {
                self.last_ttl = Some(ttl);
                ttl
            }
            None => self.default_ttl.or(self.last_ttl).unwrap_or(DEFAULT_TTL),
        };
        let data = self.rdata(&type_token, &mut fields)?;
        fields.finish()?;
        self.records.push((
            owner_pos,
            ZoneRecord {
                name: owner,
                ttl,
                data,
            },
        ));
        Ok(())
    }

    fn directive(&mut self, token: Token<'a>, mut fields: Fields<'a, '_>) -> Result<(), ZoneError> {
        let directive = token.raw.to_ascii_uppercase();
        match directive.as_str() {
            "$ORIGIN" => {
                let name = fields.next_word("origin name")?;
                self.origin = self.name(&name)?;
            }
            "$TTL" => {
                let ttl = fields.next_word("TTL")?;
                self.default_ttl = Some(parse_ttl(&ttl)?);
            }
            "$INCLUDE" | "$GENERATE" => {
                return Err(token
                    .pos
                    .error(ZoneErrorKind::UnsupportedDirective(directive)));
            }
            _ => {
                return Err(token
                    .pos
                    .error(ZoneErrorKind::UnknownDirective(token.raw.into())));
            }
        }
        fields.finish()
    }

    fn rdata(
        &self,
        type_token: &Token<'a>,
        fields: &mut Fields<'a, '_>,
    ) -> Result<RecordData, ZoneError> {
        let kind = type_token.raw.to_ascii_uppercase();
        Ok(match kind.as_str() {
            "A" => {
                let token = fields.next_word("IPv4 address")?;
                RecordData::A(
                    token
                        .raw
                        .parse()
                        .map_err(|_| token.pos.error(ZoneErrorKind::InvalidIpv4))?,
                )
            }
            "AAAA" => {
                let token = fields.next_word("IPv6 address")?;
                RecordData::Aaaa(
                    token
                        .raw
                        .parse()
                        .map_err(|_| token.pos.error(ZoneErrorKind::InvalidIpv6))?,
                )
            }
            "MX" => {
                let preference = fields.next_word("MX preference")?;
                let preference = preference
                    .raw
                    .parse()
                    .map_err(|_| preference.pos.error(ZoneErrorKind::InvalidNumber))?;
                let exchange = self.name(&fields.next_word("MX exchange")?)?;
                RecordData::Mx(Mx {
                    preference,
                    exchange,
                })
            }
            "PTR" => RecordData::Ptr(self.name(&fields.next_word("PTR name")?)?),
            "CNAME" => RecordData::Cname(self.name(&fields.next_word("CNAME target")?)?),
            "NS" => RecordData::Ns(self.name(&fields.next_word("NS name")?)?),
            "SOA" => {
                let mname = self.name(&fields.next_word("SOA MNAME")?)?;
                let rname = self.name(&fields.next_word("SOA RNAME")?)?;
                let serial = fields.next_word("SOA serial")?;
                let serial = serial
                    .raw
                    .parse()
                    .map_err(|_| serial.pos.error(ZoneErrorKind::InvalidNumber))?;
                let mut times = [0u32; 4];
                for (slot, what) in
                    times
                        .iter_mut()
                        .zip(["SOA refresh", "SOA retry", "SOA expire", "SOA minimum"])
                {
                    *slot = parse_ttl(&fields.next_word(what)?)?;
                }
                let [refresh, retry, expire, minimum] = times;
                RecordData::Soa(Soa {
                    mname,
                    rname,
                    serial,
                    refresh,
                    retry,
                    expire,
                    minimum,
                })
            }
            "TXT" => {
                let mut strings = vec![character_string(&fields.next("TXT string")?)?];
                for token in fields.tokens.by_ref() {
                    strings.push(character_string(token)?);
                }
                RecordData::Txt(Txt::new(strings))
            }
            _ => {
                return Err(type_token
                    .pos
                    .error(ZoneErrorKind::UnsupportedType(type_token.raw.into())));
            }
        })
    }

    /// A name field: `@`, absolute (`name.`) or relative to the origin.
    fn name(&self, token: &Token<'a>) -> Result<String, ZoneError> {
        if token.quoted {
            return Err(token.pos.error(ZoneErrorKind::UnexpectedQuote));
        }
        if token.raw == "@" {
            return Ok(self.origin.clone());
        }
        if token.raw == "." {
            return Ok(String::new());
        }
        let mut bytes = Vec::with_capacity(token.raw.len() + self.origin.len() + 1);
        let mut label_len = 0usize;
        decode_escapes(token, |b, escaped| {
            if b == b'.' && escaped {
                return Err(ZoneErrorKind::InvalidName("escaped dot inside a label"));
            }
            if b == b'.' {
                if label_len == 0 {
                    return Err(ZoneErrorKind::InvalidName("empty label"));
                }
                label_len = 0;
            } else {
                label_len += 1;
                if label_len > MAX_LABEL_LEN {
                    return Err(ZoneErrorKind::InvalidName("label longer than 63 octets"));
                }
            }
            bytes.push(b);
            Ok(())
        })?;
        let mut absolute = false;
        if bytes.last() == Some(&b'.') {
            bytes.pop();
            absolute = true;
        }
        if !absolute && !self.origin.is_empty() {
            bytes.push(b'.');
            bytes.extend_from_slice(self.origin.as_bytes());
        }
        if bytes.len() > MAX_NAME_LEN {
            return Err(token
                .pos
                .error(ZoneErrorKind::InvalidName("name longer than 253 octets")));
        }
        String::from_utf8(bytes)
            .map_err(|_| token.pos.error(ZoneErrorKind::InvalidName("not UTF-8")))
    }
}

fn is_class(word: &str) -> bool {
    ["IN", "CH", "HS", "CS"]
        .iter()
        .any(|c| c.eq_ignore_ascii_case(word))
}

/// A TTL: seconds, or BIND-style units (`1h30m`, `2d`, `1w`).
fn parse_ttl(token: &Token<'_>) -> Result<u32, ZoneError> {
    let bad = || token.pos.error(ZoneErrorKind::InvalidNumber);
    let mut total: u32 = 0;
    let mut number: Option<u32> = None;
    for c in token.raw.chars() {
        if let Some(d) = c.to_digit(10) {
            number = Some(
                number
                    .unwrap_or(0)
                    .checked_mul(10)
                    .and_then(|n| n.checked_add(d))
                    .ok_or_else(bad)?,
            );
            continue;
        }
        let unit = match c.to_ascii_lowercase() {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return Err(bad()),
        };
        let n = number.take().ok_or_else(bad)?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
    }
    match number {
        Some(n) => total.checked_add(n).ok_or_else(bad),
        None if token.raw.is_empty() => Err(bad()),
        None => Ok(total),
    }
}

/// A TXT character-string: at most 255 octets after escapes (RFC 1035 §3.3).
fn character_string(token: &Token<'_>) -> Result<Vec<u8>, ZoneError> {
    let mut out = Vec::with_capacity(token.raw.len());
    decode_escapes(token, |b, _| {
        if out.len() == 255 {
            return Err(ZoneErrorKind::StringTooLong);
        }
        out.push(b);
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests;
