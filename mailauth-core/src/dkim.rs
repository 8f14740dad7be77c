//! DKIM: verifying and signing messages (RFC 6376), with Ed25519
//! (RFC 8463) and the cryptographic updates of RFC 8301.
//!
//! [`verify`] checks every `DKIM-Signature` of a message and gives each an
//! RFC 8601 result ([`DkimResult`]) with a stable reason ([`DkimReason`]);
//! key records are TXT records fetched through the [`DnsResolver`]
//! (`<selector>._domainkey.<domain>`). [`DkimSigner`] signs a message and
//! gives the key record to publish. [`KeyRecord::parse`] reads a key record
//! and names its mistakes ([`KeyLint`]).
//!
//! Choices where the RFCs leave room (the digest's mapping, section 9):
//! - a signature field the verifier cannot use (syntax, `v=`, missing tag,
//!   `rsa-sha1`, unknown algorithm, `i=` outside `d=`, From unsigned,
//!   expired) is `neutral`; the key record (missing, malformed, revoked,
//!   unusable, too small) `permerror`; a DNS timeout or SERVFAIL
//!   `temperror` (§6.1.2); a body hash or signature that does not verify
//!   `fail`; a signature that verifies with body bytes after `l=`
//!   `policy` (§8.2).
//! - RSA keys from 1024 to 4096 bits are accepted (RFC 8301 §3.2; the
//!   maximum is [`DkimConfig::max_rsa_bits`]), as SubjectPublicKeyInfo or
//!   as a bare RSAPublicKey (§3.6.1 describes the latter, tools publish the
//!   former).
//! - When `<selector>._domainkey.<domain>` holds several TXT records, each
//!   that parses is tried, up to three (§6.1.2 step 4 allows it).
//! - At most five signatures per message are evaluated (§8.4), each key
//!   fetched through the resolver; a message stored with bare LF line ends
//!   is read with CRLF.
//!
//! The cryptography is ring's (RSASSA-PKCS1-v1_5 and Ed25519 verification
//! and signing, SHA-256), never written here.
//!
//! [`DnsResolver`]: crate::dns::DnsResolver

mod canon;
mod key;
mod message;
mod sign;
mod signature;
pub(crate) mod tag;
mod verify;

pub use canon::{Canonicalization, Canonicalizations};
pub use key::{KeyError, KeyLint, KeyRecord, KeyUse, PublicKey};
pub use sign::{DkimSigner, SignError};
pub use signature::{Algorithm, KeyType, Signature, SignatureError};
pub use tag::{TagError, TagErrorKind};
pub use verify::{DkimConfig, DkimOutput, DkimReason, DkimResult, SignatureResult, verify};

/// `message` with CRLF line ends (a message stored with bare LF gets CRLF).
pub(crate) fn crlf_message(message: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    message::crlf(message)
}

/// The header fields of a message (CRLF line ends): name and value, as far
/// as the header parses.
pub(crate) fn header_fields(message: &[u8]) -> Vec<(&[u8], &[u8])> {
    match message::split(message, DkimConfig::default().max_header_fields) {
        Ok(parsed) => parsed.fields.iter().map(|f| (f.name, f.value())).collect(),
        Err(_) => Vec::new(),
    }
}

/// The body canonicalization, for the fuzz target's idempotence check.
#[doc(hidden)]
pub fn fuzz_body(canon: Canonicalization, body: &[u8], sink: impl FnMut(&[u8])) {
    canon::body(canon, body, sink);
}

#[cfg(test)]
mod tests;
