//! The `DKIM-Signature` header field (RFC 6376 §3.5), parsed and checked as
//! §6.1.1 asks.

use std::fmt;

use super::canon::{Canonicalization, Canonicalizations};
use super::tag::{self, Tag, TagError};
use crate::hostname;

/// A signing algorithm (`a=`, §3.3; RFC 8463 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// `rsa-sha256`: RSASSA-PKCS1-v1_5 over SHA-256.
    RsaSha256,
    /// `ed25519-sha256`: PureEdDSA over the SHA-256 of the header hash
    /// input (RFC 8463 §3).
    Ed25519Sha256,
}

crate::token::tokens! {
    Algorithm "DKIM algorithm" {
        RsaSha256 = "rsa-sha256",
        Ed25519Sha256 = "ed25519-sha256",
    }
}

impl Algorithm {
    /// The key type (`k=`) it needs.
    pub fn key_type(self) -> KeyType {
        match self {
            Self::RsaSha256 => KeyType::Rsa,
            Self::Ed25519Sha256 => KeyType::Ed25519,
        }
    }
}

/// A key type (`k=` of the key record, §3.6.1; RFC 8463 §4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyType {
    /// `rsa`.
    Rsa,
    /// `ed25519`.
    Ed25519,
}

crate::token::tokens! {
    KeyType "DKIM key type" {
        Rsa = "rsa",
        Ed25519 = "ed25519",
    }
}

/// The most names `h=` may list (§8.9; real signers list under 30).
const MAX_SIGNED_FIELDS: usize = 64;

/// A parsed `DKIM-Signature` field.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Signature {
    /// `a=`.
    pub algorithm: Algorithm,
    /// `c=`.
    pub canonicalization: Canonicalizations,
    /// `d=`, lower case: the signing domain (SDID).
    pub domain: String,
    /// `s=`, lower case.
    pub selector: String,
    /// `i=` as written, or `@` + `d=` (the AUID, §3.5).
    pub identity: String,
    /// `h=`, lower case, in order.
    pub headers: Vec<String>,
    /// `bh=`, decoded.
    pub body_hash: Vec<u8>,
    /// `b=`, decoded.
    pub signature: Vec<u8>,
    /// `b=` without whitespace, as written (for `header.b`).
    pub signature_text: String,
    /// `l=`: how many octets of the canonical body are signed.
    pub body_length: Option<u64>,
    /// `t=`: when it was signed (Unix seconds).
    pub timestamp: Option<u64>,
    /// `x=`: when it expires (Unix seconds).
    pub expiration: Option<u64>,
    /// Where `b=`'s value (and the whitespace around it) is in the field's
    /// value: removed in the header hash input (§3.7).
    pub(crate) b_range: std::ops::Range<usize>,
}

/// Why a `DKIM-Signature` field cannot be used (§6.1.1), and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The tag list does not parse.
    #[error("the signature's tag list: {0}")]
    Syntax(#[from] TagError),
    /// `v=` is not `1`.
    #[error("v= is not 1 (incompatible version)")]
    Version,
    /// A required tag is missing.
    #[error("the required tag {0}= is missing")]
    MissingTag(&'static str),
    /// `a=rsa-sha1`: historic, never accepted (RFC 8301 §3.1).
    #[error("a=rsa-sha1 is no longer accepted (RFC 8301 section 3.1)")]
    RsaSha1,
    /// An algorithm this verifier does not implement (§3.3.4: ignored).
    #[error("unknown algorithm a={0}")]
    UnknownAlgorithm(String),
    /// An unknown canonicalization (§3.4: ignored).
    #[error("unknown canonicalization c={0}")]
    UnknownCanonicalization(String),
    /// `q=` names no method this verifier knows (only `dns/txt` is
    /// defined, §3.5).
    #[error("q= names no known query method (dns/txt)")]
    UnknownQueryMethod,
    /// A tag whose value does not have its syntax.
    #[error("{tag}= at byte {offset} is not valid: {why}")]
    BadValue {
        /// The tag.
        tag: &'static str,
        /// The value's byte offset in the field value.
        offset: usize,
        /// What is wrong.
        why: &'static str,
    },
    /// The `i=` domain is neither `d=` nor below it.
    #[error("i= is not in the d= domain")]
    DomainMismatch,
    /// `h=` does not name From.
    #[error("h= does not include From")]
    FromNotSigned,
    /// `x=` is not later than `t=`.
    #[error("x= is not later than t=")]
    ExpiryBeforeTimestamp,
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "d={} s={} a={}",
            self.domain, self.selector, self.algorithm
        )
    }
}

fn required<'t, 'a>(
    tags: &'t [Tag<'a>],
    name: &'static str,
) -> Result<&'t Tag<'a>, SignatureError> {
    tags.iter()
        .find(|t| t.name == name)
        .ok_or(SignatureError::MissingTag(name))
}

/// A base64 value (§2.10): its text without whitespace, and its bytes.
fn base64(tag: &Tag<'_>, name: &'static str) -> Result<(String, Vec<u8>), SignatureError> {
    tag::base64(tag.value).ok_or(SignatureError::BadValue {
        tag: name,
        offset: tag.offset,
        why: "not base64",
    })
}

fn number(tag: &Tag<'_>, name: &'static str, max_digits: usize) -> Result<u64, SignatureError> {
    let bad = |why| SignatureError::BadValue {
        tag: name,
        offset: tag.offset,
        why,
    };
    if tag.value.is_empty() || !tag.value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("not a number"));
    }
    if tag.value.len() > max_digits {
        return Err(bad("too many digits"));
    }
    tag.value.parse().map_err(|_| bad("too large"))
}

/// A domain as `d=` and the `i=` domain must be: a valid DNS name of two
/// labels or more (§3.5), compared in lower case.
fn domain_name(tag: &Tag<'_>, name: &'static str, value: &str) -> Result<String, SignatureError> {
    let lower = value.to_ascii_lowercase();
    let valid =
        hostname::validate_hostname(&lower).is_ok_and(|name| name == lower) && lower.contains('.');
    if valid {
        Ok(lower)
    } else {
        Err(SignatureError::BadValue {
            tag: name,
            offset: tag.offset,
            why: "not a domain name of two labels or more",
        })
    }
}

impl Signature {
    /// Parses the value of a `DKIM-Signature` field (after the colon) and
    /// checks it as §6.1.1 asks.
    ///
    /// # Errors
    /// [`SignatureError`] for a field the verifier must not use.
    pub fn parse(value: &str) -> Result<Self, SignatureError> {
        let tags = tag::parse(value)?;
        if required(&tags, "v")?.value != "1" {
            return Err(SignatureError::Version);
        }
        let a = required(&tags, "a")?;
        let b = required(&tags, "b")?;
        let bh = required(&tags, "bh")?;
        let d = required(&tags, "d")?;
        let h = required(&tags, "h")?;
        let s = required(&tags, "s")?;
        let algorithm = match a.value.to_ascii_lowercase().as_str() {
            "rsa-sha256" => Algorithm::RsaSha256,
            "ed25519-sha256" => Algorithm::Ed25519Sha256,
            "rsa-sha1" => return Err(SignatureError::RsaSha1),
            other => {
                return Err(SignatureError::UnknownAlgorithm(crate::text::printable(
                    other, 64,
                )));
            }
        };
        let canonicalization = match tag::get(&tags, "c") {
            None => Canonicalizations {
                header: Canonicalization::Simple,
                body: Canonicalization::Simple,
            },
            Some(c) => {
                let (header, body) = c.split_once('/').unwrap_or((c, "simple"));
                let parse = |text: &str| text.to_ascii_lowercase().parse::<Canonicalization>().ok();
                match (parse(header), parse(body)) {
                    (Some(header), Some(body)) => Canonicalizations { header, body },
                    _ => {
                        return Err(SignatureError::UnknownCanonicalization(
                            crate::text::printable(c, 64),
                        ));
                    }
                }
            }
        };
        if let Some(q) = tag::get(&tags, "q")
            && !q
                .split(':')
                .any(|m| tag::without_fws(m).eq_ignore_ascii_case("dns/txt"))
        {
            return Err(SignatureError::UnknownQueryMethod);
        }
        let domain = domain_name(d, "d", d.value)?;
        let selector = s.value.to_ascii_lowercase();
        let selector_ok = crate::dns::validate_name(&selector).is_ok_and(|n| n == selector)
            && selector
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !selector_ok {
            return Err(SignatureError::BadValue {
                tag: "s",
                offset: s.offset,
                why: "not a selector (dot-separated labels)",
            });
        }
        let identity = match tags.iter().find(|t| t.name == "i") {
            None => format!("@{domain}"),
            Some(i) => {
                let Some((_, i_domain)) = i.value.rsplit_once('@') else {
                    return Err(SignatureError::BadValue {
                        tag: "i",
                        offset: i.offset,
                        why: "no @",
                    });
                };
                let i_domain = domain_name(i, "i", i_domain)?;
                // Whole labels: equal, or ending in "." + d.
                if i_domain != domain && !i_domain.ends_with(&format!(".{domain}")) {
                    return Err(SignatureError::DomainMismatch);
                }
                i.value.to_owned()
            }
        };
        let headers: Vec<String> = h.value.split(':').map(tag::lower_without_fws).collect();
        // §8.9: a bound on what h= makes the verifier do.
        if headers.len() > MAX_SIGNED_FIELDS {
            return Err(SignatureError::BadValue {
                tag: "h",
                offset: h.offset,
                why: "more than 64 field names",
            });
        }
        if headers
            .iter()
            .any(|n| n.is_empty() || !n.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b':'))
        {
            return Err(SignatureError::BadValue {
                tag: "h",
                offset: h.offset,
                why: "an empty or invalid field name",
            });
        }
        if !headers.iter().any(|n| n == "from") {
            return Err(SignatureError::FromNotSigned);
        }
        let body_length = match tags.iter().find(|t| t.name == "l") {
            Some(l) => Some(number(l, "l", 76)?),
            None => None,
        };
        let timestamp = match tags.iter().find(|t| t.name == "t") {
            Some(t) => Some(number(t, "t", 12)?),
            None => None,
        };
        let expiration = match tags.iter().find(|t| t.name == "x") {
            Some(x) => Some(number(x, "x", 12)?),
            None => None,
        };
        if let (Some(t), Some(x)) = (timestamp, expiration)
            && x <= t
        {
            return Err(SignatureError::ExpiryBeforeTimestamp);
        }
        let (signature_text, signature) = base64(b, "b")?;
        Ok(Self {
            algorithm,
            canonicalization,
            domain,
            selector,
            identity,
            headers,
            body_hash: base64(bh, "bh")?.1,
            signature_text,
            signature,
            body_length,
            timestamp,
            expiration,
            b_range: b.raw.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "v=1; a=rsa-sha256; c=relaxed/simple; d=Example.COM; s=sel; \
        h=From : Subject; bh=YWJj; b=ZG VmZw==; t=100; x=200; i=joe@mail.example.com";

    #[test]
    fn a_good_field() {
        let s = Signature::parse(GOOD).unwrap();
        assert_eq!(s.domain, "example.com");
        assert_eq!(s.headers, ["from", "subject"]);
        assert_eq!(s.signature, b"defg");
        assert_eq!(s.body_hash, b"abc");
        assert_eq!(s.canonicalization.to_string(), "relaxed/simple");
        assert_eq!(&GOOD[s.b_range.clone()], "ZG VmZw==");
        assert_eq!((s.timestamp, s.expiration), (Some(100), Some(200)));
        let default =
            Signature::parse("v=1; a=ed25519-sha256; d=e.example; s=s; h=from; bh=; b=").unwrap();
        assert_eq!(default.identity, "@e.example");
        assert_eq!(default.canonicalization.to_string(), "simple/simple");
    }

    #[test]
    fn fields_a_verifier_must_not_use() {
        let base = "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJj; b=YWJj";
        type Case = (&'static str, fn(&SignatureError) -> bool);
        let cases: [Case; 12] = [
            (
                "v=1; a=rsa-sha256; q=http/well-known; d=example.com; s=sel; h=from; bh=YWJj; b=YWJj",
                |e| *e == SignatureError::UnknownQueryMethod,
            ),
            (
                "v=2; a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJj; b=YWJj",
                |e| *e == SignatureError::Version,
            ),
            (
                "v=1; a=rsa-sha1; d=example.com; s=sel; h=from; bh=YWJj; b=YWJj",
                |e| *e == SignatureError::RsaSha1,
            ),
            (
                "v=1; a=rsa-sha256; d=example.com; s=sel; h=subject; bh=YWJj; b=YWJj",
                |e| *e == SignatureError::FromNotSigned,
            ),
            (
                "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJj",
                |e| *e == SignatureError::MissingTag("b"),
            ),
            (
                "v=1; a=rsa-sha256; d=com; s=sel; h=from; bh=YWJj; b=YWJj",
                |e| matches!(e, SignatureError::BadValue { tag: "d", .. }),
            ),
            (
                "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJj; b=YWJj; i=a@badexample.com",
                |e| *e == SignatureError::DomainMismatch,
            ),
            (
                "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJj; b=YWJj; t=5; x=5",
                |e| *e == SignatureError::ExpiryBeforeTimestamp,
            ),
            (
                "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJj; b=YWJj; l=99999999999999999999999",
                |e| matches!(e, SignatureError::BadValue { tag: "l", .. }),
            ),
            (
                "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=Y!; b=YWJj",
                |e| matches!(e, SignatureError::BadValue { tag: "bh", .. }),
            ),
            (
                "v=1; a=rsa-sha256; c=fancy; d=example.com; s=sel; h=from; bh=YWJj; b=YWJj",
                |e| matches!(e, SignatureError::UnknownCanonicalization(_)),
            ),
            ("v=1; v=1; a=rsa-sha256", |e| {
                matches!(e, SignatureError::Syntax(_))
            }),
        ];
        assert!(Signature::parse(base).is_ok());
        for (text, expected) in cases {
            let error = Signature::parse(text).unwrap_err();
            assert!(expected(&error), "{text}: {error:?}");
        }
    }
}
