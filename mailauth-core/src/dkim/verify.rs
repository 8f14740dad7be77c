//! Verification (RFC 6376 §6, RFC 8463, RFC 8301): each signature of a
//! message to an RFC 8601 result, key lookups through the [`DnsResolver`].

use std::fmt;

use futures_util::future::join_all;
use ring::signature::{self as crypto, RsaPublicKeyComponents, UnparsedPublicKey};

use super::canon::{self, Canonicalization};
use super::key::{KeyError, KeyRecord, PublicKey};
use super::message::{self, Field, Message};
use super::signature::{Signature, SignatureError};
use crate::dns::{DnsResolver, LookupError};

/// Limits on what a verification may cost (RFC 6376 §8.4, §8.8, §8.9):
/// every message and DNS answer is the sender's to choose.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DkimConfig {
    /// Signatures evaluated per message; later ones get `neutral`
    /// (reason `too-many-signatures`). Default 5.
    pub max_signatures: usize,
    /// Header fields read per message. Default 1000.
    pub max_header_fields: usize,
    /// The largest RSA modulus accepted, in bits (RFC 8301 §3.2 requires
    /// 1024 to 4096; larger keys cost more to check). Default 4096.
    pub max_rsa_bits: u32,
    /// Key records tried when a name has several TXT records. Default 3.
    pub max_key_records: usize,
    /// The time `x=` is compared with, in Unix seconds; `None`: the
    /// system clock.
    pub now: Option<u64>,
}

impl Default for DkimConfig {
    fn default() -> Self {
        Self {
            max_signatures: 5,
            max_header_fields: 1000,
            max_rsa_bits: 4096,
            max_key_records: 3,
            now: None,
        }
    }
}

impl DkimConfig {
    /// Sets [`Self::max_signatures`].
    pub fn max_signatures(mut self, n: usize) -> Self {
        self.max_signatures = n;
        self
    }

    /// Sets [`Self::max_header_fields`].
    pub fn max_header_fields(mut self, n: usize) -> Self {
        self.max_header_fields = n;
        self
    }

    /// Sets [`Self::max_rsa_bits`] (at least 1024).
    pub fn max_rsa_bits(mut self, bits: u32) -> Self {
        self.max_rsa_bits = bits.max(1024);
        self
    }

    /// Sets [`Self::now`].
    pub fn now(mut self, unix_seconds: u64) -> Self {
        self.now = Some(unix_seconds);
        self
    }
}

/// A DKIM result (RFC 8601 §2.7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DkimResult {
    /// The message carries no signature.
    None,
    /// The signature verified.
    Pass,
    /// The signature, acceptable, did not verify (body hash or signature).
    Fail,
    /// It verified, but local policy does not accept it (unsigned content
    /// after `l=`).
    Policy,
    /// The signature field cannot be used (syntax, version, algorithm).
    Neutral,
    /// The key could not be fetched now.
    TempError,
    /// The key record is missing, revoked, malformed or unusable.
    PermError,
}

crate::token::tokens! {
    DkimResult "DKIM result" {
        None = "none",
        Pass = "pass",
        Fail = "fail",
        Policy = "policy",
        Neutral = "neutral",
        TempError = "temperror",
        PermError = "permerror",
    }
}

/// Why a signature got its result, as a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DkimReason {
    /// The signature verified.
    Verified,
    /// The field's tag list or a value does not parse (§6.1.1).
    Syntax,
    /// `v=` is not 1.
    Version,
    /// A required tag is missing.
    MissingTag,
    /// `a=rsa-sha1` (RFC 8301 §3.1).
    RsaSha1,
    /// An unknown `a=` or `c=`.
    UnknownAlgorithm,
    /// `i=` is not in the `d=` domain.
    DomainMismatch,
    /// `h=` does not name From.
    FromNotSigned,
    /// `x=` is not later than `t=`, or has passed.
    Expired,
    /// More signatures than [`DkimConfig::max_signatures`].
    TooManySignatures,
    /// DNS did not answer for the key (§6.1.2: TEMPFAIL).
    KeyUnavailable,
    /// No key record at the name (§6.1.2: PERMFAIL no key).
    NoKey,
    /// The record is not a key record (§6.1.2: key syntax error).
    KeySyntax,
    /// `p=` is empty.
    KeyRevoked,
    /// `k=`, `h=` or `s=` of the key excludes this signature.
    KeyUnusable,
    /// An RSA key under 1024 bits (RFC 8301 §3.2) or over the configured
    /// maximum.
    KeySize,
    /// `t=s` and `i=` is a subdomain of `d=` (§3.10).
    StrictIdentity,
    /// The body hash differs from `bh=`.
    BodyHash,
    /// The signature does not verify.
    Signature,
    /// `l=` is longer than the canonical body.
    BodyLength,
    /// It verified, but the body has bytes after `l=` that it does not
    /// cover (§8.2).
    UnsignedContent,
}

crate::token::tokens! {
    DkimReason "DKIM reason" {
        Verified = "verified",
        Syntax = "syntax",
        Version = "version",
        MissingTag = "missing-tag",
        RsaSha1 = "rsa-sha1",
        UnknownAlgorithm = "unknown-algorithm",
        DomainMismatch = "domain-mismatch",
        FromNotSigned = "from-not-signed",
        Expired = "expired",
        TooManySignatures = "too-many-signatures",
        KeyUnavailable = "key-unavailable",
        NoKey = "no-key",
        KeySyntax = "key-syntax",
        KeyRevoked = "key-revoked",
        KeyUnusable = "key-unusable",
        KeySize = "key-size",
        StrictIdentity = "strict-identity",
        BodyHash = "body-hash",
        Signature = "signature",
        BodyLength = "body-length",
        UnsignedContent = "unsigned-content",
    }
}

/// One signature's verification.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignatureResult {
    /// The RFC 8601 result.
    pub result: DkimResult,
    /// Why, as a stable code.
    pub reason: DkimReason,
    /// What happened, in words (printable ASCII).
    pub detail: String,
    /// The parsed signature, when the field parsed.
    pub signature: Option<Signature>,
    /// The key's size in bits, when a key was found.
    pub key_bits: Option<u32>,
    /// The key record has `t=y`: give no more trust than to unsigned mail.
    pub testing: bool,
    /// Body bytes after `l=` that the signature does not cover.
    pub unsigned_body_bytes: Option<u64>,
}

impl SignatureResult {
    /// The `dkim=` method of an `Authentication-Results:` field (RFC 8601
    /// §2.7.1): the result, the reason as a comment unless it passed, and
    /// `header.d`, `header.i`, `header.s`, `header.a` and the first 8
    /// characters of `b=` (RFC 6008) when the field parsed. Every value is
    /// re-serialized from what was validated, quoted when it is not a
    /// token: the message's text never reaches the header raw.
    pub fn authentication_results(&self) -> String {
        let mut out = format!("dkim={}", self.result);
        if self.result != DkimResult::Pass {
            out.push_str(" (");
            crate::text::push_comment(&mut out, &self.detail);
            out.push(')');
        }
        if let Some(sig) = &self.signature {
            // d=, s= and a= were validated as names and tokens; i= is
            // written raw only when it is a plain `[local-part]@domain`;
            // b= is always quoted (base64 holds tspecials).
            let mut property = |name: &str, value: &str, raw: bool| {
                out.push_str(" header.");
                out.push_str(name);
                out.push('=');
                if raw {
                    out.push_str(value);
                } else {
                    crate::text::push_quoted(&mut out, value);
                }
            };
            property("d", &sig.domain, crate::text::is_token(&sig.domain));
            let identity_ok = sig
                .identity
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"@.-_+=".contains(&b))
                && sig.identity.matches('@').count() == 1;
            property("i", &sig.identity, identity_ok);
            property("s", &sig.selector, crate::text::is_token(&sig.selector));
            property("a", sig.algorithm.as_str(), true);
            let prefix: String = sig.signature_text.chars().take(8).collect();
            property("b", &prefix, false);
        }
        out
    }

    fn new(result: DkimResult, reason: DkimReason, detail: impl fmt::Display) -> Self {
        Self {
            result,
            reason,
            detail: crate::text::printable(&detail.to_string(), 300),
            signature: None,
            key_bits: None,
            testing: false,
            unsigned_body_bytes: None,
        }
    }

    fn with_signature(mut self, signature: Signature) -> Self {
        self.signature = Some(signature);
        self
    }
}

/// The verification of a message's signatures.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DkimOutput {
    /// One result per `DKIM-Signature` field, top to bottom; empty for an
    /// unsigned message.
    pub signatures: Vec<SignatureResult>,
    /// Why the message could not be read (a header line that is not a
    /// field, more fields than allowed): no signature was evaluated.
    pub message_error: Option<String>,
}

impl DkimOutput {
    /// The domains (`d=`) of the signatures that passed, for DMARC.
    pub fn passing_domains(&self) -> impl Iterator<Item = &str> {
        self.signatures
            .iter()
            .filter(|s| s.result == DkimResult::Pass)
            .filter_map(|s| s.signature.as_ref().map(|sig| sig.domain.as_str()))
    }

    /// The overall result: `pass` when any signature passed, `none` when
    /// there was none, otherwise the first signature's.
    pub fn result(&self) -> DkimResult {
        if self.signatures.iter().any(|s| s.result == DkimResult::Pass) {
            DkimResult::Pass
        } else {
            self.signatures
                .first()
                .map_or(DkimResult::None, |s| s.result)
        }
    }
}

/// Verifies every `DKIM-Signature` of `message` (up to
/// [`DkimConfig::max_signatures`]), concurrently, each key fetched once.
/// A message stored with bare LF line ends is read with CRLF.
pub async fn verify(resolver: &dyn DnsResolver, message: &[u8], config: &DkimConfig) -> DkimOutput {
    let message = message::crlf(message);
    let parsed = match message::split(&message, config.max_header_fields) {
        Ok(parsed) => parsed,
        Err(e) => {
            return DkimOutput {
                signatures: Vec::new(),
                message_error: Some(match e {
                    message::MessageError::TooManyFields => {
                        format!("more than {} header fields", config.max_header_fields)
                    }
                    message::MessageError::BadField { offset } => {
                        format!("the header line at byte {offset} is not a field")
                    }
                }),
            };
        }
    };
    let now = config.now.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    let indices: Vec<usize> = parsed
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.name.eq_ignore_ascii_case(b"dkim-signature"))
        .map(|(i, _)| i)
        .collect();
    // §6.1.1 first, for every signature: only those that parse fetch a key.
    let parsed_signatures: Vec<Result<Signature, Box<SignatureResult>>> = indices
        .iter()
        .enumerate()
        .map(|(n, &index)| {
            if n >= config.max_signatures {
                return Err(Box::new(SignatureResult::new(
                    DkimResult::Neutral,
                    DkimReason::TooManySignatures,
                    format!("only {} signatures are evaluated", config.max_signatures),
                )));
            }
            parse_field(&parsed.fields[index], now)
        })
        .collect();
    // Each (d=, s=) once per message (§8.4): a message repeating one
    // signature cannot multiply the queries.
    let mut names: Vec<(String, String)> = Vec::new();
    for signature in parsed_signatures.iter().flatten() {
        let name = (signature.domain.clone(), signature.selector.clone());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let keys = join_all(
        names
            .iter()
            .map(|(domain, selector)| fetch_keys(resolver, domain, selector, config)),
    )
    .await;
    let signatures = parsed_signatures
        .into_iter()
        .zip(&indices)
        .map(|(signature, &index)| {
            let signature = match signature {
                Ok(signature) => signature,
                Err(result) => return *result,
            };
            let position = names
                .iter()
                .position(|(d, s)| *d == signature.domain && *s == signature.selector)
                .unwrap_or(0);
            match keys.get(position) {
                Some(Ok(records)) => check_with_keys(&parsed, index, signature, records, config),
                Some(Err(result)) => result.clone().with_signature(signature),
                None => check_with_keys(&parsed, index, signature, &[], config),
            }
        })
        .collect();
    DkimOutput {
        signatures,
        message_error: None,
    }
}

fn field_error(error: &SignatureError) -> DkimReason {
    match error {
        SignatureError::Version => DkimReason::Version,
        SignatureError::MissingTag(_) => DkimReason::MissingTag,
        SignatureError::RsaSha1 => DkimReason::RsaSha1,
        SignatureError::UnknownAlgorithm(_)
        | SignatureError::UnknownCanonicalization(_)
        | SignatureError::UnknownQueryMethod => DkimReason::UnknownAlgorithm,
        SignatureError::DomainMismatch => DkimReason::DomainMismatch,
        SignatureError::FromNotSigned => DkimReason::FromNotSigned,
        SignatureError::ExpiryBeforeTimestamp => DkimReason::Expired,
        SignatureError::Syntax(_) | SignatureError::BadValue { .. } => DkimReason::Syntax,
    }
}

/// The signature of a `DKIM-Signature` field, checked as §6.1.1 asks, or
/// the `neutral` result that ends its verification.
fn parse_field(field: &Field<'_>, now: u64) -> Result<Signature, Box<SignatureResult>> {
    if field.raw.len() > MAX_FIELD_BYTES {
        return Err(Box::new(SignatureResult::new(
            DkimResult::Neutral,
            DkimReason::Syntax,
            format!("the signature field is longer than {MAX_FIELD_BYTES} bytes"),
        )));
    }
    let Ok(value) = std::str::from_utf8(field.value()) else {
        return Err(Box::new(SignatureResult::new(
            DkimResult::Neutral,
            DkimReason::Syntax,
            "the signature field is not UTF-8",
        )));
    };
    let signature = Signature::parse(value).map_err(|e| {
        Box::new(SignatureResult::new(
            DkimResult::Neutral,
            field_error(&e),
            &e,
        ))
    })?;
    if signature.expiration.is_some_and(|x| x < now) {
        let expired =
            SignatureResult::new(DkimResult::Neutral, DkimReason::Expired, "x= has passed");
        return Err(Box::new(expired.with_signature(signature)));
    }
    Ok(signature)
}

/// The longest `DKIM-Signature` field read (§8.9; a real one is under
/// 2 KiB).
const MAX_FIELD_BYTES: usize = 8192;

/// The longest key record read: a 4096-bit RSA key is about 800 bytes.
const MAX_KEY_RECORD_BYTES: usize = 4096;

/// Several key records: the first that verifies, else the first failure
/// (§6.1.2 step 4 lets the verifier try each).
fn check_with_keys(
    message: &Message<'_>,
    index: usize,
    signature: Signature,
    records: &[KeyRecord],
    config: &DkimConfig,
) -> SignatureResult {
    let mut first: Option<SignatureResult> = None;
    for key in records {
        let result = check_with_key(message, index, &signature, key, config);
        if result.result == DkimResult::Pass || result.result == DkimResult::Policy {
            return result.with_signature(signature);
        }
        first.get_or_insert(result);
    }
    first
        .unwrap_or_else(|| {
            SignatureResult::new(DkimResult::PermError, DkimReason::NoKey, "no key record")
        })
        .with_signature(signature)
}

/// The key records at `s._domainkey.d` that parse, or the result that
/// ends the verification (§6.1.2 steps 2 to 5).
async fn fetch_keys(
    resolver: &dyn DnsResolver,
    domain: &str,
    selector: &str,
    config: &DkimConfig,
) -> Result<Vec<KeyRecord>, SignatureResult> {
    let name = format!("{selector}._domainkey.{domain}");
    let txts = match resolver.txt(&name).await {
        Ok(txts) => txts,
        Err(e @ (LookupError::NxDomain | LookupError::NoData)) => {
            return Err(SignatureResult::new(
                DkimResult::PermError,
                DkimReason::NoKey,
                format!("no key record at {name}: {e}"),
            ));
        }
        Err(e) if e.is_temporary() => {
            return Err(SignatureResult::new(
                DkimResult::TempError,
                DkimReason::KeyUnavailable,
                format!("TXT {name}: {e}"),
            ));
        }
        Err(e) => {
            return Err(SignatureResult::new(
                DkimResult::PermError,
                DkimReason::NoKey,
                format!("TXT {name}: {e}"),
            ));
        }
    };
    let mut keys = Vec::new();
    let mut first_error: Option<KeyError> = None;
    for txt in txts.iter().take(config.max_key_records) {
        let joined = txt.joined();
        if joined.len() > MAX_KEY_RECORD_BYTES {
            first_error.get_or_insert(KeyError::MissingKey);
            continue;
        }
        // from_utf8 first: its ASCII fast path is what a key record takes.
        let text = match std::str::from_utf8(&joined) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(&joined),
        };
        match KeyRecord::parse(&text) {
            Ok(key) => keys.push(key),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if keys.is_empty() {
        let detail = first_error.map_or_else(|| "no key record".to_owned(), |e| e.to_string());
        return Err(SignatureResult::new(
            DkimResult::PermError,
            DkimReason::KeySyntax,
            format!("{name}: {detail}"),
        ));
    }
    Ok(keys)
}

/// §6.1.2 steps 6 to 8, then §6.1.3, with one key record; the caller
/// attaches the signature to the result.
fn check_with_key(
    message: &Message<'_>,
    index: usize,
    signature: &Signature,
    record: &KeyRecord,
    config: &DkimConfig,
) -> SignatureResult {
    let fail = |result, reason, detail: &dyn fmt::Display| {
        let mut out = SignatureResult::new(result, reason, detail);
        out.testing = record.testing;
        out.key_bits = record.key.as_ref().map(PublicKey::bits);
        out
    };
    let Some(key) = &record.key else {
        return fail(
            DkimResult::PermError,
            DkimReason::KeyRevoked,
            &"the key is revoked (empty p=)",
        );
    };
    if let Err(why) = record.allows(signature.algorithm) {
        return fail(DkimResult::PermError, DkimReason::KeyUnusable, &why);
    }
    let bits = key.bits();
    if matches!(key, PublicKey::Rsa { .. }) && !(1024..=config.max_rsa_bits).contains(&bits) {
        return fail(
            DkimResult::PermError,
            DkimReason::KeySize,
            &format!(
                "an RSA key of {bits} bits (1024 to {} accepted)",
                config.max_rsa_bits
            ),
        );
    }
    if record.strict_identity {
        let i_domain = signature.identity.rsplit_once('@').map_or("", |(_, d)| d);
        if !i_domain.eq_ignore_ascii_case(&signature.domain) {
            return fail(
                DkimResult::PermError,
                DkimReason::StrictIdentity,
                &"the key's t=s needs i= in exactly the d= domain",
            );
        }
    }
    // §6.1.3: the body hash, then the header hash.
    let (body_hash, canonical_length) = body_hash(
        message.body,
        signature.canonicalization.body,
        signature.body_length,
    );
    let unsigned = match signature.body_length {
        Some(l) if l > canonical_length => {
            return fail(
                DkimResult::PermError,
                DkimReason::BodyLength,
                &format!("l={l} is longer than the canonical body ({canonical_length} bytes)"),
            );
        }
        Some(l) => canonical_length - l,
        None => 0,
    };
    if body_hash.as_ref() != signature.body_hash.as_slice() {
        return fail(
            DkimResult::Fail,
            DkimReason::BodyHash,
            &"the body hash did not verify",
        );
    }
    let input = header_hash_input(message, index, signature);
    let verified = match key {
        PublicKey::Rsa { modulus, exponent } => RsaPublicKeyComponents {
            n: modulus.as_slice(),
            e: exponent.as_slice(),
        }
        .verify(
            &crypto::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
            &input,
            &signature.signature,
        )
        .is_ok(),
        PublicKey::Ed25519(bytes) => {
            // RFC 8463 §3: Ed25519 signs the SHA-256 of the input.
            let digest = ring::digest::digest(&ring::digest::SHA256, &input);
            UnparsedPublicKey::new(&crypto::ED25519, bytes)
                .verify(digest.as_ref(), &signature.signature)
                .is_ok()
        }
    };
    if !verified {
        return fail(
            DkimResult::Fail,
            DkimReason::Signature,
            &"the signature did not verify",
        );
    }
    let mut out = if unsigned > 0 {
        fail(
            DkimResult::Policy,
            DkimReason::UnsignedContent,
            &format!("verified, but {unsigned} body bytes after l= are not signed"),
        )
    } else {
        fail(DkimResult::Pass, DkimReason::Verified, &"verified")
    };
    out.unsigned_body_bytes = signature.body_length.map(|_| unsigned);
    out
}

/// The SHA-256 of the body canonicalized with `canon` and cut at `limit`
/// (`l=`), and the canonical body's whole length.
pub(crate) fn body_hash(
    body: &[u8],
    canon: Canonicalization,
    limit: Option<u64>,
) -> (ring::digest::Digest, u64) {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    let mut total: u64 = 0;
    canon::body(canon, body, |piece| {
        let len = piece.len() as u64;
        let take = match limit {
            Some(l) if total >= l => 0,
            Some(l) => (l - total).min(len),
            None => len,
        };
        context.update(&piece[..usize::try_from(take).unwrap_or(piece.len())]);
        total += len;
    });
    (context.finish(), total)
}

/// The header hash input (§3.7): the `h=` fields, selected bottom-up, then
/// the signature field itself without `b=`'s value and without its CRLF.
pub(crate) fn header_hash_input(
    message: &Message<'_>,
    index: usize,
    signature: &Signature,
) -> Vec<u8> {
    let canon = signature.canonicalization.header;
    let mut input = Vec::new();
    for field in select(&message.fields, &signature.headers, Some(index)) {
        canon::header(canon, field.raw, &mut input);
    }
    let own = without_b(&message.fields[index], signature);
    canon::header(canon, &own, &mut input);
    input
}

/// The fields `h=` selects (§5.4.2, §6.1.3): for each name, the next
/// instance going up from the bottom of the header; a name with no instance
/// left selects nothing. `exclude` is the signature's own field, which no
/// entry may select.
pub(crate) fn select<'m, 'a, S: AsRef<str>>(
    fields: &'m [Field<'a>],
    names: &[S],
    exclude: Option<usize>,
) -> Vec<&'m Field<'a>> {
    let mut used: Vec<(&str, usize)> = Vec::new();
    let mut out = Vec::new();
    for name in names {
        let name = name.as_ref();
        let skip = used.iter().find(|(n, _)| *n == name).map_or(0, |(_, k)| *k);
        let found = fields
            .iter()
            .enumerate()
            .rev()
            .filter(|(i, f)| Some(*i) != exclude && f.name.eq_ignore_ascii_case(name.as_bytes()))
            .nth(skip);
        if let Some((_, field)) = found {
            out.push(field);
        }
        match used.iter_mut().find(|(n, _)| *n == name) {
            Some((_, k)) => *k += 1,
            None => used.push((name, 1)),
        }
    }
    out
}

/// The signature field with `b=`'s value removed and no ending CRLF.
fn without_b(field: &Field<'_>, signature: &Signature) -> Vec<u8> {
    let value_start = field.name.len() + 1;
    let raw = field.raw.strip_suffix(b"\r\n").unwrap_or(field.raw);
    let range = &signature.b_range;
    let mut out = Vec::with_capacity(raw.len());
    out.extend_from_slice(&raw[..value_start + range.start]);
    out.extend_from_slice(&raw[(value_start + range.end).min(raw.len())..]);
    out
}
