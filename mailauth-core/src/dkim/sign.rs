//! Signing (RFC 6376 §5; RFC 8463 §3): a `DKIM-Signature` field for a
//! message, and the key record to publish for the key.

use ring::rand::SystemRandom;
use ring::signature::{self as crypto, Ed25519KeyPair, KeyPair, RsaKeyPair};

use super::canon::{self, Canonicalization, Canonicalizations};
use super::message;
use super::signature::Algorithm;
use super::verify;

/// The fields signed when present (§5.4.1's list), in this order, and
/// whether a message has at most one of each (RFC 5322 §3.6): those are
/// signed once more than they occur, so that none can be added in transit
/// (over-signing, §5.4, §8.15).
const SIGNED_FIELDS: &[(&str, bool)] = &[
    ("from", true),
    ("reply-to", true),
    ("subject", true),
    ("date", true),
    ("to", true),
    ("cc", true),
    ("message-id", true),
    ("in-reply-to", true),
    ("references", true),
    ("mime-version", true),
    ("content-type", true),
    ("content-transfer-encoding", true),
    ("list-id", false),
    ("list-unsubscribe", false),
    ("list-unsubscribe-post", false),
    ("resent-date", false),
    ("resent-from", false),
    ("resent-to", false),
    ("resent-cc", false),
];

/// Why a message or key cannot be signed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The private key is not a PKCS#8 key of the algorithm's type, or an
    /// RSA key under 2048 bits (RFC 8301 §3.2: signers SHOULD use 2048;
    /// ring refuses smaller ones).
    #[error("the private key is not a usable PKCS#8 {0} key")]
    Key(Algorithm),
    /// `d=` or `s=` is not a valid name.
    #[error("{0} is not a valid domain or selector")]
    Name(String),
    /// The message's header does not parse.
    #[error("the message's header does not parse")]
    Message,
    /// The message has no From field (§5.4: From must be signed).
    #[error("the message has no From field")]
    NoFrom,
    /// The signature operation failed.
    #[error("signing failed")]
    Crypto,
}

enum Key {
    Rsa(RsaKeyPair),
    Ed25519(Ed25519KeyPair),
}

/// Signs messages for one domain and selector with one key.
///
/// ```
/// use mailauth_core::dkim::DkimSigner;
/// # let pkcs8 = mailauth_core::dkim::DkimSigner::generate_ed25519().unwrap();
/// let signer = DkimSigner::ed25519(&pkcs8, "example.com", "s2026").unwrap();
/// let field = signer.sign(b"From: a@example.com\r\nSubject: hi\r\n\r\nHello\r\n").unwrap();
/// assert!(field.starts_with("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.com; s=s2026;"));
/// assert!(signer.key_record().starts_with("v=DKIM1; k=ed25519; p="));
/// ```
pub struct DkimSigner {
    key: Key,
    domain: String,
    selector: String,
    canonicalization: Canonicalizations,
    timestamp: Option<u64>,
    expiration: Option<u64>,
}

impl std::fmt::Debug for DkimSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("DkimSigner")
            .field("algorithm", &self.algorithm())
            .field("domain", &self.domain)
            .field("selector", &self.selector)
            .finish_non_exhaustive()
    }
}

impl DkimSigner {
    /// A signer with an RSA private key (PKCS#8 DER), `rsa-sha256`.
    ///
    /// # Errors
    /// [`SignError::Key`] for a key ring does not accept (not RSA, under
    /// 2048 bits); [`SignError::Name`] for an invalid domain or selector.
    pub fn rsa(pkcs8: &[u8], domain: &str, selector: &str) -> Result<Self, SignError> {
        let key =
            RsaKeyPair::from_pkcs8(pkcs8).map_err(|_| SignError::Key(Algorithm::RsaSha256))?;
        Self::new(Key::Rsa(key), domain, selector)
    }

    /// A signer with an Ed25519 private key (PKCS#8 DER, v1 or v2),
    /// `ed25519-sha256` (RFC 8463).
    ///
    /// # Errors
    /// [`SignError::Key`] for a key that is not Ed25519;
    /// [`SignError::Name`] for an invalid domain or selector.
    pub fn ed25519(pkcs8: &[u8], domain: &str, selector: &str) -> Result<Self, SignError> {
        let key = Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8)
            .map_err(|_| SignError::Key(Algorithm::Ed25519Sha256))?;
        Self::new(Key::Ed25519(key), domain, selector)
    }

    /// A new Ed25519 private key, PKCS#8 v2 DER, from the system's random
    /// source.
    ///
    /// # Errors
    /// [`SignError::Crypto`] when the system has no random source.
    pub fn generate_ed25519() -> Result<Vec<u8>, SignError> {
        Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map(|doc| doc.as_ref().to_vec())
            .map_err(|_| SignError::Crypto)
    }

    fn new(key: Key, domain: &str, selector: &str) -> Result<Self, SignError> {
        let domain = domain.trim_end_matches('.').to_ascii_lowercase();
        let selector = selector.to_ascii_lowercase();
        for name in [&domain, &selector] {
            let valid = crate::dns::validate_name(name).is_ok()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
            if !valid {
                return Err(SignError::Name(crate::text::printable(name, 64)));
            }
        }
        Ok(Self {
            key,
            domain,
            selector,
            canonicalization: Canonicalizations {
                header: Canonicalization::Relaxed,
                body: Canonicalization::Relaxed,
            },
            timestamp: None,
            expiration: None,
        })
    }

    /// Sets the canonicalization (default `relaxed/relaxed`).
    pub fn canonicalization(mut self, canonicalization: Canonicalizations) -> Self {
        self.canonicalization = canonicalization;
        self
    }

    /// Sets `t=` (Unix seconds; default: none).
    pub fn timestamp(mut self, unix_seconds: u64) -> Self {
        self.timestamp = Some(unix_seconds);
        self
    }

    /// Sets `x=` (Unix seconds; default: none).
    pub fn expiration(mut self, unix_seconds: u64) -> Self {
        self.expiration = Some(unix_seconds);
        self
    }

    /// The algorithm the key signs with.
    pub fn algorithm(&self) -> Algorithm {
        match self.key {
            Key::Rsa(_) => Algorithm::RsaSha256,
            Key::Ed25519(_) => Algorithm::Ed25519Sha256,
        }
    }

    /// The key record to publish at `<selector>._domainkey.<domain>`: the
    /// RSA key as SubjectPublicKeyInfo (what tools publish), the Ed25519 key
    /// as its 32 bytes (RFC 8463 §4.2).
    pub fn key_record(&self) -> String {
        let (k, public) = match &self.key {
            Key::Rsa(key) => ("rsa", rsa_spki(key.public().as_ref())),
            Key::Ed25519(key) => ("ed25519", key.public_key().as_ref().to_vec()),
        };
        format!(
            "v=DKIM1; k={k}; p={}",
            data_encoding::BASE64.encode(&public)
        )
    }

    /// The name the key record is published at.
    pub fn key_record_name(&self) -> String {
        format!("{}._domainkey.{}", self.selector, self.domain)
    }

    /// Signs `message` (CRLF line ends; bare LF is read as CRLF): the
    /// `DKIM-Signature` field to put at the top of its header, with its
    /// CRLF. Each field of §5.4.1's list that the message has is signed,
    /// and the singletons once more (over-signing, §8.15).
    ///
    /// # Errors
    /// [`SignError::Message`] or [`SignError::NoFrom`] for a message that
    /// cannot be signed; [`SignError::Crypto`] if the key operation fails.
    pub fn sign(&self, message: &[u8]) -> Result<String, SignError> {
        self.sign_with(message, self.timestamp)
    }

    /// [`Self::sign`] with `t=` set to `unix_seconds` for this message.
    ///
    /// # Errors
    /// As [`Self::sign`].
    pub fn sign_at(&self, message: &[u8], unix_seconds: u64) -> Result<String, SignError> {
        self.sign_with(message, Some(unix_seconds))
    }

    fn sign_with(&self, message: &[u8], timestamp: Option<u64>) -> Result<String, SignError> {
        let message = message::crlf(message);
        let parsed = message::split(&message, usize::MAX).map_err(|_| SignError::Message)?;
        let mut headers: Vec<&str> = Vec::new();
        for &(name, singleton) in SIGNED_FIELDS {
            let count = parsed
                .fields
                .iter()
                .filter(|f| f.name.eq_ignore_ascii_case(name.as_bytes()))
                .count();
            if count == 0 && name == "from" {
                return Err(SignError::NoFrom);
            }
            let extra = usize::from(singleton && count > 0);
            headers.extend(std::iter::repeat_n(name, count + extra));
        }
        let mut field = format!(
            "DKIM-Signature: v=1; a={}; c={}; d={}; s={};",
            self.algorithm(),
            self.canonicalization,
            self.domain,
            self.selector
        );
        if let Some(t) = timestamp {
            field.push_str(&format!(" t={t};"));
        }
        if let Some(x) = self.expiration {
            field.push_str(&format!(" x={x};"));
        }
        field.push_str(&format!("\r\n\th={};", headers.join(":")));
        let (body_hash, _) = verify::body_hash(parsed.body, self.canonicalization.body, None);
        field.push_str(&format!(
            "\r\n\tbh={};\r\n\tb=",
            data_encoding::BASE64.encode(body_hash.as_ref())
        ));
        // The header hash input: the selected fields, then this field
        // with an empty b= and no CRLF (§3.7).
        let mut input = Vec::new();
        for f in verify::select(&parsed.fields, &headers, None) {
            canon::header(self.canonicalization.header, f.raw, &mut input);
        }
        canon::header(self.canonicalization.header, field.as_bytes(), &mut input);
        let signature = match &self.key {
            Key::Rsa(key) => {
                let mut out = vec![0; key.public().modulus_len()];
                key.sign(
                    &crypto::RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    &input,
                    &mut out,
                )
                .map_err(|_| SignError::Crypto)?;
                out
            }
            Key::Ed25519(key) => {
                let digest = ring::digest::digest(&ring::digest::SHA256, &input);
                key.sign(digest.as_ref()).as_ref().to_vec()
            }
        };
        let b = data_encoding::BASE64.encode(&signature);
        // Folded at 72 columns: FWS inside b= is ignored (§3.5).
        let chunks: Vec<&str> = b
            .as_bytes()
            .chunks(72)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect();
        field.push_str(&chunks.join("\r\n\t "));
        field.push_str("\r\n");
        Ok(field)
    }
}

/// An RSAPublicKey wrapped in a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7),
/// DER.
fn rsa_spki(rsa_public_key: &[u8]) -> Vec<u8> {
    use der::Encode;
    let info = spki::SubjectPublicKeyInfoRef {
        algorithm: spki::AlgorithmIdentifierRef {
            oid: der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1"),
            parameters: Some(der::asn1::AnyRef::NULL),
        },
        subject_public_key: match der::asn1::BitStringRef::from_bytes(rsa_public_key) {
            Ok(bits) => bits,
            Err(_) => return Vec::new(),
        },
    };
    info.to_der().unwrap_or_default()
}
