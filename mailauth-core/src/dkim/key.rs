//! The DKIM key record (RFC 6376 §3.6.1; RFC 8463 §4.2; RFC 8301 §3.2):
//! parsed, its public key decoded, and the mistakes operators make named.

use std::fmt;

use super::signature::{Algorithm, KeyType};
use super::tag::{self, TagError};

/// A parsed key record.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct KeyRecord {
    /// `k=` (default `rsa`).
    pub key_type: KeyType,
    /// The public key: for RSA the modulus and exponent, for Ed25519 the 32
    /// bytes. `None` when `p=` is empty: the key is revoked (§3.6.1).
    pub key: Option<PublicKey>,
    /// `h=`: the hashes allowed, lower case; empty means all.
    pub hashes: Vec<String>,
    /// `s=`: the service types, lower case; empty means `*`.
    pub services: Vec<String>,
    /// `t=y`: the domain is testing DKIM (§3.6.1).
    pub testing: bool,
    /// `t=s`: the `i=` domain must be exactly `d=` (§3.10).
    pub strict_identity: bool,
    /// What a careful publisher would change; none of these stops use.
    pub lints: Vec<KeyLint>,
    /// `p=` as published, whitespace removed (empty when revoked).
    pub key_base64: String,
}

/// A public key from a key record.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKey {
    /// An RSA key (RFC 8017 A.1.1), big-endian, leading zeros removed.
    Rsa {
        /// The modulus.
        modulus: Vec<u8>,
        /// The public exponent.
        exponent: Vec<u8>,
    },
    /// An Ed25519 key (RFC 8032 §5.1.5).
    Ed25519([u8; 32]),
}

impl PublicKey {
    /// The key's size in bits: the RSA modulus's, or 256 for Ed25519.
    pub fn bits(&self) -> u32 {
        match self {
            Self::Rsa { modulus, .. } => {
                let leading = modulus.first().map_or(0, |b| b.leading_zeros());
                u32::try_from(modulus.len() * 8)
                    .unwrap_or(u32::MAX)
                    .saturating_sub(leading)
            }
            Self::Ed25519(_) => 256,
        }
    }
}

/// Something in a key record that works but should change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyLint {
    /// `t=y`: receivers treat the mail as unsigned, whatever the result.
    Testing,
    /// `p=` is empty: the key is revoked.
    Revoked,
    /// `h=` allows only SHA-1, which no signature may use any more
    /// (RFC 8301 §3.1).
    Sha1Only,
    /// An RSA key under 2048 bits: allowed from 1024, but signers SHOULD
    /// use 2048 (RFC 8301 §3.2).
    ShortRsaKey,
    /// The RSA key is a bare RSAPublicKey, not the SubjectPublicKeyInfo
    /// that tools publish; verifiers accept both.
    Pkcs1Key,
    /// `s=` names neither `email` nor `*`: no email verifier uses the key.
    NotForEmail,
}

crate::token::tokens! {
    KeyLint "key lint" {
        Testing = "testing",
        Revoked = "revoked",
        Sha1Only = "sha1-only",
        ShortRsaKey = "short-rsa-key",
        Pkcs1Key = "pkcs1-key",
        NotForEmail = "not-for-email",
    }
}

/// Why a TXT record is not a usable key record (§6.1.2 step 5: "key
/// syntax error").
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The tag list does not parse.
    #[error("the key record's tag list: {0}")]
    Syntax(#[from] TagError),
    /// `v=` is not `DKIM1`, or not the first tag.
    #[error("v= must be DKIM1 and the first tag")]
    Version,
    /// No `p=`.
    #[error("the key record has no p=")]
    MissingKey,
    /// `p=` is not base64.
    #[error("p= at byte {0} is not base64")]
    Base64(usize),
    /// `k=` names a key type this verifier does not know.
    #[error("unknown key type k={0}")]
    UnknownKeyType(String),
    /// The key bytes are not a key of the type `k=` names (an RSA
    /// SubjectPublicKeyInfo or RSAPublicKey; 32 bytes for Ed25519).
    #[error("p= holds no valid {0} public key")]
    BadKey(KeyType),
}

impl KeyRecord {
    /// Parses a key record's text (its character-strings joined).
    ///
    /// # Errors
    /// [`KeyError`] for a record that is not a usable key record.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let tags = tag::parse(text)?;
        if let Some(position) = tags.iter().position(|t| t.name == "v")
            && (position != 0 || tags[0].value != "DKIM1")
        {
            return Err(KeyError::Version);
        }
        let key_type = match tag::get(&tags, "k").map(str::to_ascii_lowercase).as_deref() {
            None | Some("rsa") => KeyType::Rsa,
            Some("ed25519") => KeyType::Ed25519,
            Some(other) => return Err(KeyError::UnknownKeyType(crate::text::printable(other, 32))),
        };
        let p = tags
            .iter()
            .find(|t| t.name == "p")
            .ok_or(KeyError::MissingKey)?;
        let list = |name: &str| -> Vec<String> {
            tag::get(&tags, name)
                .map(|v| {
                    v.split(':')
                        .map(tag::lower_without_fws)
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        let hashes = list("h");
        let services = list("s");
        let flags = list("t");
        let mut lints = Vec::new();
        let (key_base64, data) = tag::base64(p.value).ok_or(KeyError::Base64(p.offset))?;
        let key = if data.is_empty() {
            lints.push(KeyLint::Revoked);
            None
        } else {
            Some(match key_type {
                KeyType::Rsa => {
                    let (key, pkcs1) = rsa_key(&data).ok_or(KeyError::BadKey(key_type))?;
                    if pkcs1 {
                        lints.push(KeyLint::Pkcs1Key);
                    }
                    if key.bits() < 2048 {
                        lints.push(KeyLint::ShortRsaKey);
                    }
                    key
                }
                KeyType::Ed25519 => PublicKey::Ed25519(
                    data.as_slice()
                        .try_into()
                        .map_err(|_| KeyError::BadKey(key_type))?,
                ),
            })
        };
        let testing = flags.iter().any(|f| f == "y");
        if testing {
            lints.push(KeyLint::Testing);
        }
        if !hashes.is_empty() && hashes.iter().all(|h| h == "sha1") {
            lints.push(KeyLint::Sha1Only);
        }
        if !services.is_empty() && !services.iter().any(|s| s == "email" || s == "*") {
            lints.push(KeyLint::NotForEmail);
        }
        Ok(Self {
            key_type,
            key,
            hashes,
            services,
            testing,
            strict_identity: flags.iter().any(|f| f == "s"),
            lints,
            key_base64,
        })
    }

    /// The record with the same key and nothing that limits it: no `t=y`,
    /// `h=` or `s=` (the defaults allow every hash and email); `t=s` kept.
    /// `None` for a revoked key.
    pub fn plain_record(&self) -> Option<String> {
        self.key.as_ref()?;
        let strict = if self.strict_identity { " t=s;" } else { "" };
        Some(format!(
            "v=DKIM1; k={};{strict} p={}",
            self.key_type, self.key_base64
        ))
    }

    /// Whether the record lets `algorithm` be used: `k=` matches, `h=`
    /// lists its hash (§3.6.1), `s=` allows email.
    pub fn allows(&self, algorithm: Algorithm) -> Result<(), KeyUse> {
        if self.key_type != algorithm.key_type() {
            return Err(KeyUse::KeyAlgorithm);
        }
        if !self.hashes.is_empty() && !self.hashes.iter().any(|h| h == "sha256") {
            return Err(KeyUse::HashAlgorithm);
        }
        if !self.services.is_empty() && !self.services.iter().any(|s| s == "email" || s == "*") {
            return Err(KeyUse::Service);
        }
        Ok(())
    }
}

/// Why a key record cannot serve a signature (§6.1.2 steps 6 to 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyUse {
    /// `k=` does not match `a=`.
    KeyAlgorithm,
    /// `h=` does not list SHA-256.
    HashAlgorithm,
    /// `s=` excludes email.
    Service,
}

impl fmt::Display for KeyUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::KeyAlgorithm => "the key's k= does not match the signature's a=",
            Self::HashAlgorithm => "the key's h= does not allow sha256",
            Self::Service => "the key's s= does not allow email",
        })
    }
}

/// The RSA key of a SubjectPublicKeyInfo (as tools publish it) or of a bare
/// RSAPublicKey (as §3.6.1 describes it); `true` for the latter.
fn rsa_key(data: &[u8]) -> Option<(PublicKey, bool)> {
    use der::Decode;
    use der::asn1::UintRef;

    #[derive(der::Sequence)]
    struct RsaPublicKey<'a> {
        modulus: UintRef<'a>,
        public_exponent: UintRef<'a>,
    }

    /// rsaEncryption (RFC 8017 A.1).
    const RSA_ENCRYPTION: der::asn1::ObjectIdentifier =
        der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

    let (inner, pkcs1) = match spki::SubjectPublicKeyInfoRef::from_der(data) {
        Ok(info) if info.algorithm.oid == RSA_ENCRYPTION => {
            (info.subject_public_key.as_bytes()?.to_vec(), false)
        }
        Ok(_) => return None,
        Err(_) => (data.to_vec(), true),
    };
    let key = RsaPublicKey::from_der(&inner).ok()?;
    Some((
        PublicKey::Rsa {
            modulus: key.modulus.as_bytes().to_vec(),
            exponent: key.public_exponent.as_bytes().to_vec(),
        },
        pkcs1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8463 Appendix A's Ed25519 key (RFC 8032 section 7.1, test 1).
    const ED25519: &str = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    #[test]
    fn records() {
        let ed = KeyRecord::parse(ED25519).unwrap();
        assert_eq!(ed.key_type, KeyType::Ed25519);
        assert_eq!(ed.key.as_ref().map(PublicKey::bits), Some(256));
        assert!(ed.allows(Algorithm::Ed25519Sha256).is_ok());
        assert_eq!(ed.allows(Algorithm::RsaSha256), Err(KeyUse::KeyAlgorithm));
        let revoked = KeyRecord::parse("v=DKIM1; p=").unwrap();
        assert_eq!((revoked.key, revoked.lints), (None, vec![KeyLint::Revoked]));
        let flags = KeyRecord::parse(
            "k=ed25519; t=y:s; h=sha1; s=web; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        )
        .unwrap();
        assert!(flags.testing && flags.strict_identity);
        assert_eq!(
            flags.lints,
            [KeyLint::Testing, KeyLint::Sha1Only, KeyLint::NotForEmail]
        );
        assert_eq!(
            flags.allows(Algorithm::Ed25519Sha256),
            Err(KeyUse::HashAlgorithm)
        );
    }

    #[test]
    fn records_that_are_not_keys() {
        type Case = (&'static str, fn(&KeyError) -> bool);
        let cases: [Case; 7] = [
            ("v=spf1 -all", |e| *e == KeyError::Version),
            ("k=rsa; v=DKIM1; p=", |e| *e == KeyError::Version),
            ("v=DKIM1; k=rsa", |e| *e == KeyError::MissingKey),
            ("v=DKIM1; p=\"MIGf\"", |e| matches!(e, KeyError::Base64(_))),
            ("v=DKIM1; k=dsa; p=", |e| {
                matches!(e, KeyError::UnknownKeyType(_))
            }),
            ("v=DKIM1; k=ed25519; p=YWJj", |e| {
                *e == KeyError::BadKey(KeyType::Ed25519)
            }),
            ("v=DKIM1; p=YWJj", |e| *e == KeyError::BadKey(KeyType::Rsa)),
        ];
        for (text, expected) in cases {
            let error = KeyRecord::parse(text).unwrap_err();
            assert!(expected(&error), "{text}: {error:?}");
        }
    }
}
