//! `mailauth.dkim_verify`, `mailauth.DkimSigner`, `mailauth.DkimKeyRecord`
//! and the result classes.

use std::sync::Arc;

use mailauth_core::dkim::{self, DkimConfig};
use mailauth_core::dns::DnsResolver;
use pyo3::prelude::*;

use crate::pickle::Token;
use pyo3::types::{PyBytes, PyString};

use crate::args;
use crate::error::{BindingError, BindingResult};
use crate::resolver::{Resolver, dns, runtime};

/// One signature's verification.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct DkimSignatureResult {
    /// `pass`, `fail`, `policy`, `neutral`, `temperror` or `permerror`
    /// (RFC 8601 section 2.7.1).
    result: Token,
    /// Why, as a stable code (`verified`, `body-hash`, `no-key`, ...).
    reason: Token,
    /// What happened, in words.
    detail: String,
    /// `d=`, when the field parsed.
    domain: Option<String>,
    /// `s=`, when the field parsed.
    selector: Option<String>,
    /// `i=` (or `@` + `d=`), when the field parsed.
    identity: Option<String>,
    /// `rsa-sha256` or `ed25519-sha256`, when the field parsed.
    algorithm: Option<Token>,
    /// The key's size in bits, when a key was found.
    key_bits: Option<u32>,
    /// The key record says `t=y` (testing): give no more trust than to
    /// unsigned mail.
    testing: bool,
    /// Body bytes after `l=` that the signature does not cover.
    unsigned_body_bytes: Option<u64>,
}

impl From<&dkim::SignatureResult> for DkimSignatureResult {
    fn from(r: &dkim::SignatureResult) -> Self {
        let sig = r.signature.as_ref();
        Self {
            result: Token::from(r.result.as_str()),
            reason: Token::from(r.reason.as_str()),
            detail: r.detail.clone(),
            domain: sig.map(|s| s.domain.clone()),
            selector: sig.map(|s| s.selector.clone()),
            identity: sig.map(|s| s.identity.clone()),
            algorithm: sig.map(|s| Token::from(s.algorithm.as_str())),
            key_bits: r.key_bits,
            testing: r.testing,
            unsigned_body_bytes: r.unsigned_body_bytes,
        }
    }
}

#[pymethods]
impl DkimSignatureResult {
    fn __repr__(&self) -> String {
        format!(
            "DkimSignatureResult({} d={} s={}: {})",
            self.result,
            self.domain.as_deref().unwrap_or("?"),
            self.selector.as_deref().unwrap_or("?"),
            self.reason
        )
    }
}

/// The verification of a message's DKIM signatures.
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct DkimOutput(pub(crate) dkim::DkimOutput);

#[pymethods]
impl DkimOutput {
    /// One result per `DKIM-Signature` field, top to bottom.
    #[getter]
    fn signatures(&self) -> Vec<DkimSignatureResult> {
        self.0.signatures.iter().map(Into::into).collect()
    }

    /// `pass` when any signature passed, `none` without signatures,
    /// otherwise the first signature's result.
    #[getter]
    fn result(&self) -> &'static str {
        self.0.result().as_str()
    }

    /// The `d=` domains of the signatures that passed, for DMARC.
    #[getter]
    fn passing_domains(&self) -> Vec<String> {
        self.0.passing_domains().map(str::to_owned).collect()
    }

    /// Why the message could not be read, or `None`.
    #[getter]
    fn message_error(&self) -> Option<String> {
        self.0.message_error.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "DkimOutput({}, {} signatures)",
            self.result(),
            self.0.signatures.len()
        )
    }
}

/// A message as bytes: `bytes`, or `str` (encoded as UTF-8).
pub(crate) fn message_bytes(value: &Bound<'_, PyAny>) -> BindingResult<Vec<u8>> {
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    if let Ok(text) = value.cast::<PyString>() {
        let text = text
            .to_str()
            .map_err(|_| BindingError::InvalidInput("the message is not valid Unicode".into()))?;
        return Ok(text.as_bytes().to_vec());
    }
    Err(BindingError::InvalidInput(
        "a message must be bytes or str".into(),
    ))
}

pub(crate) fn config(max_signatures: i128, now: Option<i128>) -> BindingResult<DkimConfig> {
    let mut config = DkimConfig::default().max_signatures(args::range(
        "max_signatures",
        max_signatures,
        0..=100usize,
    )?);
    if let Some(now) = now {
        config = config.now(args::range("now", now, 0..=u64::from(u32::MAX) * 64)?);
    }
    Ok(config)
}

fn optional_int(value: &Bound<'_, PyAny>) -> PyResult<Option<i128>> {
    if value.is_none() {
        Ok(None)
    } else {
        args::int(value).map(Some)
    }
}

async fn run_verify(dns: Arc<dyn DnsResolver>, message: Vec<u8>, config: DkimConfig) -> DkimOutput {
    DkimOutput(dkim::verify(&*dns, &message, &config).await)
}

/// Verifies every DKIM signature of `message` (RFC 6376, RFC 8463, RFC
/// 8301), awaitable: at most `max_signatures` of them, their keys fetched
/// concurrently. `now` (Unix seconds) is the time `x=` is compared with
/// (default: the clock). A message with bare LF line ends is read with
/// CRLF.
#[pyfunction(name = "dkim_verify")]
#[pyo3(signature = (message, *, max_signatures = 5, now = None, resolver = None))]
pub(crate) fn dkim_verify_async<'py>(
    py: Python<'py>,
    message: &Bound<'py, PyAny>,
    #[pyo3(from_py_with = args::int)] max_signatures: i128,
    #[pyo3(from_py_with = optional_int)] now: Option<i128>,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let (message, config) = (message_bytes(message)?, config(max_signatures, now)?);
    let dns = dns(resolver)?;
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        Ok(run_verify(dns, message, config).await)
    })
}

/// `dkim_verify`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (message, *, max_signatures = 5, now = None, resolver = None))]
pub(crate) fn dkim_verify_sync(
    py: Python<'_>,
    message: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = args::int)] max_signatures: i128,
    #[pyo3(from_py_with = optional_int)] now: Option<i128>,
    resolver: Option<&Resolver>,
) -> PyResult<DkimOutput> {
    let (message, config) = (message_bytes(message)?, config(max_signatures, now)?);
    let dns = dns(resolver)?;
    Ok(py.detach(|| runtime().block_on(run_verify(dns, message, config))))
}

/// Signs messages for one domain and selector with one private key.
#[pyclass(frozen, module = "mailauth")]
pub(crate) struct DkimSigner(dkim::DkimSigner);

/// `header/body` (`relaxed/simple`, ...) as a `c=` pair.
fn canonicalizations(text: &str) -> BindingResult<dkim::Canonicalizations> {
    let (header, body) = text.split_once('/').unwrap_or((text, "simple"));
    let header = args::token::<dkim::Canonicalization>("canonicalization", header)?;
    let body = args::token::<dkim::Canonicalization>("canonicalization", body)?;
    Ok(dkim::Canonicalizations::new(header, body))
}

fn sign_error(e: dkim::SignError) -> PyErr {
    BindingError::InvalidInput(e.to_string()).into()
}

impl DkimSigner {
    /// The signer a constructor made, with `canonicalization` (`header/body`).
    fn new(
        made: Result<dkim::DkimSigner, dkim::SignError>,
        canonicalization: &str,
    ) -> PyResult<Self> {
        let c = canonicalizations(canonicalization)?;
        made.map(|s| Self(s.canonicalization(c)))
            .map_err(sign_error)
    }
}

#[pymethods]
impl DkimSigner {
    /// A signer with an RSA private key (PKCS#8 DER, 2048 bits or more):
    /// `rsa-sha256`. `canonicalization` is `header/body` (default
    /// `relaxed/relaxed`). Raises `InvalidInputError` for a key, name or
    /// canonicalization it cannot use.
    #[staticmethod]
    #[pyo3(signature = (private_key, domain, selector, *, canonicalization = "relaxed/relaxed"))]
    fn rsa(
        private_key: &[u8],
        domain: &str,
        selector: &str,
        canonicalization: &str,
    ) -> PyResult<Self> {
        Self::new(
            dkim::DkimSigner::rsa(private_key, domain, selector),
            canonicalization,
        )
    }

    /// A signer with an Ed25519 private key (PKCS#8 DER): `ed25519-sha256`
    /// (RFC 8463). `canonicalization` as for `rsa`.
    #[staticmethod]
    #[pyo3(signature = (private_key, domain, selector, *, canonicalization = "relaxed/relaxed"))]
    fn ed25519(
        private_key: &[u8],
        domain: &str,
        selector: &str,
        canonicalization: &str,
    ) -> PyResult<Self> {
        Self::new(
            dkim::DkimSigner::ed25519(private_key, domain, selector),
            canonicalization,
        )
    }

    /// A new Ed25519 private key, PKCS#8 DER.
    #[staticmethod]
    fn generate_ed25519<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let key = dkim::DkimSigner::generate_ed25519().map_err(sign_error)?;
        Ok(PyBytes::new(py, &key))
    }

    /// The `DKIM-Signature` field for `message` (bytes or str), with its
    /// CRLF, to put at the top of the header; relaxed/relaxed, the present
    /// fields of RFC 6376 section 5.4.1's list signed, singletons
    /// over-signed. `timestamp` sets `t=` (Unix seconds).
    #[pyo3(signature = (message, *, timestamp = None))]
    fn sign(
        &self,
        message: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = optional_int)] timestamp: Option<i128>,
    ) -> PyResult<String> {
        let message = message_bytes(message)?;
        let result = match timestamp {
            None => self.0.sign(&message),
            Some(t) => {
                let t = args::range("timestamp", t, 0..=u64::from(u32::MAX) * 64)?;
                self.0.sign_at(&message, t)
            }
        };
        result.map_err(sign_error)
    }

    /// The key record to publish (`v=DKIM1; k=...; p=...`).
    #[getter]
    fn key_record(&self) -> String {
        self.0.key_record()
    }

    /// The name to publish it at: `<selector>._domainkey.<domain>`.
    #[getter]
    fn key_record_name(&self) -> String {
        self.0.key_record_name()
    }

    /// `rsa-sha256` or `ed25519-sha256`.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.0.algorithm().as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "DkimSigner({}, {})",
            self.0.algorithm(),
            self.0.key_record_name()
        )
    }
}

/// A DKIM key record, parsed.
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct DkimKeyRecord(dkim::KeyRecord);

#[pymethods]
impl DkimKeyRecord {
    /// Parses a key record's text; raises `InvalidInputError` for text that
    /// is not a usable key record.
    #[staticmethod]
    fn parse(text: &str) -> PyResult<Self> {
        dkim::KeyRecord::parse(text)
            .map(Self)
            .map_err(|e| BindingError::InvalidInput(e.to_string()).into())
    }

    /// `rsa` or `ed25519`.
    #[getter]
    fn key_type(&self) -> &'static str {
        self.0.key_type.as_str()
    }

    /// The key's size in bits, or `None` for a revoked key (empty `p=`).
    #[getter]
    fn bits(&self) -> Option<u32> {
        self.0.key.as_ref().map(dkim::PublicKey::bits)
    }

    /// `t=y`: the domain is testing DKIM.
    #[getter]
    fn testing(&self) -> bool {
        self.0.testing
    }

    /// What a careful publisher would change (`testing`, `revoked`,
    /// `sha1-only`, `short-rsa-key`, `pkcs1-key`, `not-for-email`).
    #[getter]
    fn lints(&self) -> Vec<&'static str> {
        self.0.lints.iter().map(|l| l.as_str()).collect()
    }

    fn __repr__(&self) -> String {
        format!("DkimKeyRecord({}, {:?} bits)", self.key_type(), self.bits())
    }
}
