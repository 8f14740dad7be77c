//! Domain-name validation and the reverse names of IP addresses.
//!
//! Names handled by mailauth are text: labels separated by `.`, with an
//! optional trailing dot for the root. They come from attacker-controlled DNS
//! data and from macro expansion, so they are validated before any query
//! leaves the process. Only the length rules of RFC 1035 §2.3.4 and the
//! absence of empty labels are enforced here; the stricter host-name rules
//! (LDH labels, RFC 1123 §2.1) belong to the checks that need them (HELO).

use std::fmt::{self, Write as _};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The longest domain name in text form, without the trailing dot.
///
/// RFC 1035 §2.3.4 limits a name to 255 octets on the wire; with the length
/// octets of each label and the root label that leaves 253 octets of text.
pub const MAX_NAME_LEN: usize = 253;

/// The longest label, RFC 1035 §2.3.4.
pub const MAX_LABEL_LEN: usize = 63;

/// Why a domain name was refused before any query was sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum NameError {
    /// The name is empty (or only the root, `.`), which is never queried.
    #[error("empty domain name")]
    Empty,
    /// The name is longer than [`MAX_NAME_LEN`] octets.
    #[error("domain name is {len} octets long, more than 253")]
    TooLong {
        /// The length of the name, without a trailing dot.
        len: usize,
    },
    /// A label is longer than [`MAX_LABEL_LEN`] octets.
    #[error("label at byte {offset} is {len} octets long, more than 63")]
    LabelTooLong {
        /// Byte offset of the label in the name.
        offset: usize,
        /// The length of the label.
        len: usize,
    },
    /// Two dots in a row, or a leading dot.
    #[error("empty label at byte {offset}")]
    EmptyLabel {
        /// Byte offset of the empty label in the name.
        offset: usize,
    },
}

/// Checks that `name` can be sent as a DNS query name and returns it without
/// its trailing dot, if it had one.
///
/// Rules (RFC 1035 §2.3.4, RFC 2181 §11): every label is 1 to 63 octets, the
/// whole name at most 253 octets (without the trailing dot); any octet other
/// than `.` may appear in a label.
///
/// ```
/// use mailauth_core::dns::{validate_name, NameError};
/// assert_eq!(validate_name("_dmarc.example.com."), Ok("_dmarc.example.com"));
/// assert_eq!(validate_name("a..example"), Err(NameError::EmptyLabel { offset: 2 }));
/// ```
pub fn validate_name(name: &str) -> Result<&str, NameError> {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.len() > MAX_NAME_LEN {
        return Err(NameError::TooLong { len: name.len() });
    }
    let mut label_start = 0;
    for (i, &b) in name.as_bytes().iter().enumerate() {
        if b == b'.' {
            check_label(label_start, i)?;
            label_start = i + 1;
        }
    }
    check_label(label_start, name.len())?;
    Ok(name)
}

/// The label `start..end` is 1 to 63 octets long.
fn check_label(start: usize, end: usize) -> Result<(), NameError> {
    match end - start {
        0 => Err(NameError::EmptyLabel { offset: start }),
        len if len > MAX_LABEL_LEN => Err(NameError::LabelTooLong { offset: start, len }),
        _ => Ok(()),
    }
}

/// Returns the address an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) stands
/// for, and any other address unchanged.
///
/// RFC 7208 §5 and RFC 8601 §3 evaluate such clients as IPv4 hosts; every
/// check of mailauth calls this first.
///
/// ```
/// use mailauth_core::dns::normalize_ip;
/// let mapped: std::net::IpAddr = "::ffff:192.0.2.1".parse().unwrap();
/// assert_eq!(normalize_ip(mapped).to_string(), "192.0.2.1");
/// ```
pub fn normalize_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    }
}

/// The name whose PTR record holds the host name of `ip`, without a
/// trailing dot: `d.c.b.a.in-addr.arpa` for IPv4 (RFC 1035 §3.5), 32
/// lower-case nibbles under `ip6.arpa` for IPv6 (RFC 3596 §2.5).
///
/// The address is taken as given: call [`normalize_ip`] first where an
/// IPv4-mapped address should be looked up as IPv4.
///
/// ```
/// use mailauth_core::dns::reverse_name;
/// assert_eq!(reverse_name("192.0.2.1".parse().unwrap()).to_string(), "1.2.0.192.in-addr.arpa");
/// assert!(reverse_name("2001:db8::1".parse().unwrap())
///     .to_string()
///     .starts_with("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"));
/// ```
pub fn reverse_name(ip: IpAddr) -> ReverseName {
    ReverseName(ip)
}

/// The reverse-lookup name of an address; see [`reverse_name`]. It writes
/// itself with [`fmt::Display`] without allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReverseName(IpAddr);

impl ReverseName {
    /// The address this name stands for.
    pub fn ip(&self) -> IpAddr {
        self.0
    }
}

impl fmt::Display for ReverseName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(v4) => write_reverse_v4(f, v4),
            IpAddr::V6(v6) => write_reverse_v6(f, v6),
        }
    }
}

fn write_reverse_v4(f: &mut fmt::Formatter<'_>, ip: Ipv4Addr) -> fmt::Result {
    let mut digits = [0; 3];
    for octet in ip.octets().iter().rev() {
        f.write_str(decimal(*octet, &mut digits))?;
        f.write_char('.')?;
    }
    f.write_str("in-addr.arpa")
}

/// `n` in decimal, written into `digits`: what `Display` writes, without
/// the formatting machinery, for addresses written on every query.
fn decimal(n: u8, digits: &mut [u8; 3]) -> &str {
    let start = match n {
        100.. => 0,
        10.. => 1,
        _ => 2,
    };
    digits[0] = b'0' + n / 100;
    digits[1] = b'0' + n / 10 % 10;
    digits[2] = b'0' + n % 10;
    // Only ASCII digits were written.
    std::str::from_utf8(&digits[start..]).unwrap_or_default()
}

/// `ip` in dotted decimal, as its `Display` writes it, written into `buf`
/// (the longest form, `255.255.255.255`, fills it).
pub(crate) fn ipv4_text(ip: Ipv4Addr, buf: &mut [u8; 15]) -> &str {
    let mut len = 0;
    let mut digits = [0; 3];
    for (i, octet) in ip.octets().into_iter().enumerate() {
        let dot = if i > 0 { "." } else { "" };
        for &b in dot
            .as_bytes()
            .iter()
            .chain(decimal(octet, &mut digits).as_bytes())
        {
            if let Some(slot) = buf.get_mut(len) {
                *slot = b;
                len += 1;
            }
        }
    }
    // Only ASCII digits and dots were written.
    std::str::from_utf8(&buf[..len]).unwrap_or_default()
}

fn write_reverse_v6(f: &mut fmt::Formatter<'_>, ip: Ipv6Addr) -> fmt::Result {
    write_nibbles_reversed(f, ip)?;
    f.write_str("ip6.arpa")
}

/// Writes the 32 nibbles of `ip`, least significant first, each followed by
/// a dot (`b.a.9.8. ... .2.`): the IPv6 form shared by `ip6.arpa` (RFC 3596
/// §2.5), DNSBL queries (RFC 5782 §2.4) and the SPF `%{i}` macro (RFC 7208
/// §7.3).
pub fn write_nibbles_reversed(out: &mut impl fmt::Write, ip: Ipv6Addr) -> fmt::Result {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for byte in ip.octets().iter().rev() {
        out.write_char(char::from(HEX[usize::from(byte & 0xf)]))?;
        out.write_char('.')?;
        out.write_char(char::from(HEX[usize::from(byte >> 4)]))?;
        out.write_char('.')?;
    }
    Ok(())
}

/// Compares two domain names as DNS does: ASCII case-insensitively, with or
/// without a trailing dot (RFC 4343 §3).
pub fn names_equal(a: &str, b: &str) -> bool {
    let a = a.strip_suffix('.').unwrap_or(a);
    let b = b.strip_suffix('.').unwrap_or(b);
    a.eq_ignore_ascii_case(b)
}

/// Whether `name` is `base` or below it (`mail.example.com` is within
/// `example.com`, `badexample.com` is not), ignoring ASCII case and
/// trailing dots. Compares octets: names from DNS answers can hold any
/// octet, and no character boundary is assumed.
pub fn name_within(name: &str, base: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name).as_bytes();
    let base = base.strip_suffix('.').unwrap_or(base).as_bytes();
    let Some(split) = name.len().checked_sub(base.len()) else {
        return false;
    };
    let (head, tail) = name.split_at(split);
    tail.eq_ignore_ascii_case(base) && (head.is_empty() || head.ends_with(b"."))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written decimal writes what `Display` writes, for every
    /// octet in every position.
    #[test]
    fn addresses_written_as_display_writes_them() {
        for n in 0..=255u8 {
            let ip = Ipv4Addr::new(n, 255 - n, n / 3, 7);
            assert_eq!(ipv4_text(ip, &mut [0; 15]), ip.to_string());
            let [a, b, c, d] = ip.octets();
            assert_eq!(
                reverse_name(IpAddr::V4(ip)).to_string(),
                format!("{d}.{c}.{b}.{a}.in-addr.arpa")
            );
        }
    }

    /// Octets, not characters: a PTR name with multi-byte characters (a
    /// DNS answer can hold any octet) once split inside a character.
    #[test]
    fn within() {
        assert!(name_within("mail.Example.com.", "example.COM"));
        assert!(name_within("example.com", "example.com."));
        assert!(!name_within("badexample.com", "example.com"));
        assert!(!name_within("com", "example.com"));
        assert!(!name_within("\u{fffd}\u{fffd}\u{fffd}\\", "\u{fffd}x"));
        assert!(name_within("\u{fffd}.\u{fffd}", "\u{fffd}"));
        assert!(!name_within("\u{fffd}\u{fffd}", "\u{bf}"));
    }

    #[test]
    fn validates_lengths_and_labels() {
        let l63 = "a".repeat(63);
        let l64 = "a".repeat(64);
        assert_eq!(
            validate_name(&format!("{l63}.com")),
            Ok(&*format!("{l63}.com"))
        );
        assert_eq!(
            validate_name(&format!("x.{l64}.com")),
            Err(NameError::LabelTooLong { offset: 2, len: 64 })
        );
        let long = vec!["abcdefghi"; 26].join("."); // 259 octets
        assert_eq!(validate_name(&long), Err(NameError::TooLong { len: 259 }));
        let exact = format!("{}.{}", vec!["abcdefghi"; 25].join("."), "abc"); // 253
        assert_eq!(exact.len(), 253);
        assert!(validate_name(&exact).is_ok());
        assert!(validate_name(&format!("{exact}.")).is_ok());
        assert_eq!(validate_name(""), Err(NameError::Empty));
        assert_eq!(validate_name("."), Err(NameError::Empty));
        assert_eq!(
            validate_name(".com"),
            Err(NameError::EmptyLabel { offset: 0 })
        );
        assert_eq!(
            validate_name("com.."),
            Err(NameError::EmptyLabel { offset: 4 })
        );
        assert_eq!(validate_name("_spf.example.com"), Ok("_spf.example.com"));
        assert_eq!(
            validate_name("with space.example"),
            Ok("with space.example")
        );
    }

    #[test]
    fn reverse_names() {
        let v4: IpAddr = "192.0.2.10".parse().unwrap();
        assert_eq!(reverse_name(v4).to_string(), "10.2.0.192.in-addr.arpa");
        let v6: IpAddr = "2001:db8::abcd".parse().unwrap();
        assert_eq!(
            reverse_name(v6).to_string(),
            "d.c.b.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
        );
        assert_eq!(reverse_name(v6).ip(), v6);
    }

    #[test]
    fn normalizes_mapped_addresses_only() {
        let mapped: IpAddr = "::FFFF:1.2.3.4".parse().unwrap();
        assert_eq!(normalize_ip(mapped), "1.2.3.4".parse::<IpAddr>().unwrap());
        let compat: IpAddr = "::1.2.3.4".parse().unwrap();
        assert_eq!(normalize_ip(compat), compat);
        let v6: IpAddr = "2001:db8::1".parse().unwrap();
        assert_eq!(normalize_ip(v6), v6);
    }

    #[test]
    fn compares_names_like_dns() {
        assert!(names_equal("Example.COM.", "example.com"));
        assert!(!names_equal("example.com", "example.org"));
    }
}
