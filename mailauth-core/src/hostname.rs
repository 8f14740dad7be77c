//! Host names and address literals as SMTP uses them: the HELO/EHLO
//! argument (RFC 5321 §4.1.1.1, §4.1.3) and the names PTR records give.
//!
//! A host name here is LDH (RFC 1123 §2.1, RFC 5321 §2.3.5): labels of
//! letters, digits and inner hyphens, 1 to 63 octets, at most 253 in all,
//! one trailing dot allowed, and a top label that is not all digits (so a
//! dotted-quad is never taken for a name). Postfix's `valid_hostname()` is
//! the same, less its tolerance for underscores, which RFC 5321 does not
//! allow.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::dns::{MAX_LABEL_LEN, MAX_NAME_LEN};

/// Why text is not a valid host name or address literal, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HostnameError {
    /// Empty, or only a dot.
    #[error("empty host name")]
    Empty,
    /// Longer than 253 octets.
    #[error("host name longer than 253 octets")]
    TooLong,
    /// An empty label (two dots, a leading dot).
    #[error("empty label at byte {0}")]
    EmptyLabel(usize),
    /// A label longer than 63 octets.
    #[error("label longer than 63 octets at byte {0}")]
    LabelTooLong(usize),
    /// A character other than a letter, digit or hyphen.
    #[error("invalid character at byte {0}")]
    BadCharacter(usize),
    /// A label that starts or ends with a hyphen.
    #[error("label starts or ends with a hyphen at byte {0}")]
    Hyphen(usize),
    /// The top label is all digits (a dotted-quad, not a name).
    #[error("all-numeric top label at byte {0}")]
    NumericTopLabel(usize),
    /// `[...]` that is not `[IPv4]` or `[IPv6:...]`.
    #[error("invalid address literal")]
    BadAddressLiteral,
}

/// A valid HELO argument: a host name or an address literal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum HeloName {
    /// A host name, without its trailing dot.
    Hostname(String),
    /// `[192.0.2.1]` or `[IPv6:2001:db8::1]` (RFC 5321 §4.1.3).
    AddressLiteral(IpAddr),
}

impl HeloName {
    /// Parses a HELO/EHLO argument.
    ///
    /// ```
    /// use mailauth_core::hostname::{HeloName, HostnameError};
    /// assert_eq!(HeloName::parse("Mail.Example.COM."), Ok(HeloName::Hostname("Mail.Example.COM".into())));
    /// assert!(matches!(HeloName::parse("[IPv6:2001:db8::1]"), Ok(HeloName::AddressLiteral(_))));
    /// assert_eq!(HeloName::parse("192.0.2.1"), Err(HostnameError::NumericTopLabel(8)));
    /// ```
    pub fn parse(text: &str) -> Result<Self, HostnameError> {
        if text.starts_with('[') {
            return parse_address_literal(text).map(Self::AddressLiteral);
        }
        validate_hostname(text).map(|name| Self::Hostname(name.to_owned()))
    }
}

impl fmt::Display for HeloName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Hostname(name) => f.write_str(name),
            Self::AddressLiteral(IpAddr::V4(ip)) => write!(f, "[{ip}]"),
            Self::AddressLiteral(IpAddr::V6(ip)) => write!(f, "[IPv6:{ip}]"),
        }
    }
}

/// `[IPv4]` or `[IPv6:address]` (RFC 5321 §4.1.3). General address
/// literals (`[tag:...]`) name no IP this library can check and are
/// refused.
pub fn parse_address_literal(text: &str) -> Result<IpAddr, HostnameError> {
    let inner = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .ok_or(HostnameError::BadAddressLiteral)?;
    if let Some(v6) = inner
        .get(..5)
        .filter(|tag| tag.eq_ignore_ascii_case("IPv6:"))
        .map(|_| &inner[5..])
    {
        return v6
            .parse::<Ipv6Addr>()
            .map(IpAddr::V6)
            .map_err(|_| HostnameError::BadAddressLiteral);
    }
    inner
        .parse::<Ipv4Addr>()
        .map(IpAddr::V4)
        .map_err(|_| HostnameError::BadAddressLiteral)
}

/// Checks an LDH host name and returns it without a trailing dot.
pub fn validate_hostname(text: &str) -> Result<&str, HostnameError> {
    let name = text.strip_suffix('.').unwrap_or(text);
    if name.is_empty() {
        return Err(HostnameError::Empty);
    }
    if name.len() > MAX_NAME_LEN {
        return Err(HostnameError::TooLong);
    }
    let bytes = name.as_bytes();
    let mut start = 0;
    let mut numeric = true;
    for i in 0..=bytes.len() {
        if i < bytes.len() && bytes[i] != b'.' {
            let b = bytes[i];
            if !(b.is_ascii_alphanumeric() || b == b'-') {
                return Err(HostnameError::BadCharacter(i));
            }
            numeric &= b.is_ascii_digit();
            continue;
        }
        // A label ends at i.
        let label = &bytes[start..i];
        if label.is_empty() {
            return Err(HostnameError::EmptyLabel(start));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(HostnameError::LabelTooLong(start));
        }
        if label[0] == b'-' || label[label.len() - 1] == b'-' {
            return Err(HostnameError::Hyphen(start));
        }
        if i == bytes.len() && numeric {
            return Err(HostnameError::NumericTopLabel(start));
        }
        start = i + 1;
        numeric = true;
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames() {
        assert_eq!(
            validate_hostname("mail.example.com."),
            Ok("mail.example.com")
        );
        assert_eq!(validate_hostname("a-1.b2.c"), Ok("a-1.b2.c"));
        assert_eq!(validate_hostname("localhost"), Ok("localhost"));
        assert_eq!(
            validate_hostname("3com.example.com"),
            Ok("3com.example.com")
        );
        assert_eq!(validate_hostname(""), Err(HostnameError::Empty));
        assert_eq!(validate_hostname("."), Err(HostnameError::Empty));
        assert_eq!(validate_hostname("a..b"), Err(HostnameError::EmptyLabel(2)));
        assert_eq!(validate_hostname("-a.b"), Err(HostnameError::Hyphen(0)));
        assert_eq!(validate_hostname("a.b-"), Err(HostnameError::Hyphen(2)));
        assert_eq!(
            validate_hostname("a_b.example"),
            Err(HostnameError::BadCharacter(1))
        );
        assert_eq!(
            validate_hostname("JUMPIN' JUPITER"),
            Err(HostnameError::BadCharacter(6))
        );
        assert_eq!(
            validate_hostname("1.2.3.4"),
            Err(HostnameError::NumericTopLabel(6))
        );
        assert_eq!(
            validate_hostname("example.123"),
            Err(HostnameError::NumericTopLabel(8))
        );
        let long = format!("{}.com", "a".repeat(64));
        assert_eq!(
            validate_hostname(&long),
            Err(HostnameError::LabelTooLong(0))
        );
        let too_long = vec!["abcdefghi"; 26].join(".");
        assert_eq!(validate_hostname(&too_long), Err(HostnameError::TooLong));
    }

    #[test]
    fn address_literals() {
        assert_eq!(
            parse_address_literal("[192.0.2.1]"),
            Ok("192.0.2.1".parse().unwrap())
        );
        assert_eq!(
            parse_address_literal("[IPv6:2001:db8::1]"),
            Ok("2001:db8::1".parse().unwrap())
        );
        assert_eq!(
            parse_address_literal("[ipv6:::1]"),
            Ok("::1".parse().unwrap())
        );
        for bad in [
            "[2001:db8::1]",
            "[192.0.2.300]",
            "[192.0.2.1",
            "[]",
            "[x-tag:abc]",
            "[IPv6:192.0.2.1x]",
        ] {
            assert_eq!(
                parse_address_literal(bad),
                Err(HostnameError::BadAddressLiteral),
                "{bad}"
            );
        }
        assert_eq!(
            HeloName::parse("[IPv6:2001:DB8::1]").unwrap().to_string(),
            "[IPv6:2001:db8::1]"
        );
    }
}
