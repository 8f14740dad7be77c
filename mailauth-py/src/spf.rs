//! `mailauth.SpfVerifier`, `SpfRecord`, `SpfOutput`, `SpfResult`.

use std::sync::Arc;

use mailauth_core::dns::DnsResolver;

use mailauth_core::spf::{
    ClientIp, HeaderContext, Identity, SpfCause, SpfConfig, SpfOutput as CoreOutput,
    SpfRecord as CoreRecord, SpfResult as CoreResult, SpfVerifier as CoreVerifier,
};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::args;
use crate::error::{BindingError, BindingResult};
use crate::resolver::{Resolver, dns, ip_from_py, parse_ip_text, runtime};

/// The result of check_host(), RFC 7208 §2.6.
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SpfResult {
    /// No record, or no valid domain.
    #[pyo3(name = "NONE")]
    None,
    /// No assertion.
    #[pyo3(name = "NEUTRAL")]
    Neutral,
    /// Authorised.
    #[pyo3(name = "PASS")]
    Pass,
    /// Not authorised.
    #[pyo3(name = "FAIL")]
    Fail,
    /// Probably not authorised.
    #[pyo3(name = "SOFTFAIL")]
    SoftFail,
    /// Transient DNS error.
    #[pyo3(name = "TEMPERROR")]
    TempError,
    /// Broken records.
    #[pyo3(name = "PERMERROR")]
    PermError,
}

impl From<CoreResult> for SpfResult {
    fn from(result: CoreResult) -> Self {
        match result {
            CoreResult::None => Self::None,
            CoreResult::Neutral => Self::Neutral,
            CoreResult::Pass => Self::Pass,
            CoreResult::Fail => Self::Fail,
            CoreResult::SoftFail => Self::SoftFail,
            CoreResult::TempError => Self::TempError,
            CoreResult::PermError => Self::PermError,
        }
    }
}

impl SpfResult {
    /// The core result.
    pub(crate) fn core(self) -> CoreResult {
        match self {
            Self::None => CoreResult::None,
            Self::Neutral => CoreResult::Neutral,
            Self::Pass => CoreResult::Pass,
            Self::Fail => CoreResult::Fail,
            Self::SoftFail => CoreResult::SoftFail,
            Self::TempError => CoreResult::TempError,
            Self::PermError => CoreResult::PermError,
        }
    }
}

#[pymethods]
impl SpfResult {
    /// The RFC token: `pass`, `fail`, `softfail`, ...
    pub(crate) fn __str__(&self) -> &'static str {
        self.core().as_str()
    }
}

/// A parsed SPF record.
#[pyclass(frozen, eq, hash, module = "mailauth")]
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct SpfRecord(CoreRecord);

#[pymethods]
impl SpfRecord {
    /// Parses record text; raises `SpfParseError` (a `ValueError`) with
    /// `.offset` and `.kind` when it is not a valid SPF record.
    #[staticmethod]
    fn parse(text: &str) -> PyResult<Self> {
        CoreRecord::parse(text)
            .map(Self)
            .map_err(|e| BindingError::from(e).into())
    }

    /// The terms, each in canonical text.
    #[getter]
    fn terms(&self) -> Vec<String> {
        self.0.terms().iter().map(ToString::to_string).collect()
    }

    /// The `redirect=` target, if any.
    #[getter]
    fn redirect(&self) -> Option<String> {
        self.0.redirect().map(ToString::to_string)
    }

    /// The `exp=` domain, if any.
    #[getter]
    fn exp(&self) -> Option<String> {
        self.0.exp().map(ToString::to_string)
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "SpfRecord({})",
            PyString::new(py, &self.0.to_string()).repr()?
        ))
    }
}

/// What check_host() found.
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct SpfOutput {
    inner: CoreOutput,
    identity: Identity,
    ip: std::net::IpAddr,
    helo: String,
    envelope_from: String,
}

#[pymethods]
impl SpfOutput {
    /// The result.
    #[getter]
    fn result(&self) -> SpfResult {
        self.inner.result.into()
    }

    /// On `fail`, the explanation; otherwise `None`.
    #[getter]
    fn explanation(&self) -> Option<&str> {
        self.inner.explanation.as_deref()
    }

    /// The directive that matched, in canonical text, if any.
    #[getter]
    fn matched(&self) -> Option<String> {
        self.inner.matched().map(ToString::to_string)
    }

    /// The domain whose record decided (or where the error arose).
    #[getter]
    fn domain(&self) -> Option<&str> {
        match &self.inner.cause {
            SpfCause::Matched { domain, .. }
            | SpfCause::NoMatch { domain }
            | SpfCause::NoRecord { domain, .. }
            | SpfCause::Error { domain, .. } => Some(domain),
            _ => None,
        }
    }

    /// For temperror and permerror: what went wrong, as a short token
    /// (`Syntax`, `LookupLimit`, `Dns`, ...).
    #[getter]
    fn error(&self) -> Option<String> {
        match &self.inner.cause {
            SpfCause::Error { kind, .. } => Some(format!("{kind:?}")),
            _ => None,
        }
    }

    /// A one-line explanation of the cause.
    #[getter]
    fn cause(&self) -> String {
        self.inner.summary()
    }

    /// DNS-querying terms evaluated.
    #[getter]
    fn lookups(&self) -> u32 {
        self.inner.lookups
    }

    /// Void lookups seen.
    #[getter]
    fn void_lookups(&self) -> u32 {
        self.inner.void_lookups
    }

    /// The longest chain of DNS questions each of which needed the answer
    /// of the one before: the fewest round trips any evaluation needs.
    #[getter]
    fn round_trips(&self) -> u32 {
        self.inner.round_trips
    }

    /// The step-by-step trace (when the verifier traces).
    #[getter]
    fn trace(&self) -> Vec<String> {
        self.inner
            .trace
            .iter()
            .map(|s| {
                format!(
                    "{}{}: {}",
                    "  ".repeat(usize::from(s.depth)),
                    s.domain,
                    s.event
                )
            })
            .collect()
    }

    /// The `Received-SPF:` field value (RFC 7208 §9.1).
    fn received_spf(&self, receiver: &str) -> String {
        self.inner.received_spf(&self.context(receiver))
    }

    /// The `spf=` method of `Authentication-Results:` (RFC 8601).
    fn authentication_results(&self) -> String {
        self.inner.authentication_results(&self.context(""))
    }

    fn __repr__(&self) -> String {
        format!("SpfOutput({}: {})", self.inner.result, self.inner.summary())
    }
}

impl SpfOutput {
    /// The output of a MAIL FROM check (the HELO identity for `<>`), for
    /// the whole-message authentication.
    pub(crate) fn mail_from(
        inner: CoreOutput,
        ip: std::net::IpAddr,
        helo: &str,
        mail_from: &str,
    ) -> Self {
        let (identity, envelope_from) = if mail_from.is_empty() {
            (Identity::Helo, format!("postmaster@{helo}"))
        } else {
            (Identity::MailFrom, mail_from.to_owned())
        };
        Self {
            inner,
            identity,
            ip,
            helo: helo.to_owned(),
            envelope_from,
        }
    }

    fn context<'a>(&'a self, receiver: &'a str) -> HeaderContext<'a> {
        HeaderContext::new(
            self.identity,
            self.ip,
            &self.helo,
            &self.envelope_from,
            receiver,
        )
    }
}

/// Both identities, HELO first (RFC 7208 §2.3, §2.4).
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct SpfVerdict {
    helo: SpfOutput,
    mail_from: Option<SpfOutput>,
}

#[pymethods]
impl SpfVerdict {
    /// The HELO identity's output.
    #[getter]
    fn helo(&self) -> SpfOutput {
        self.helo.clone()
    }

    /// The MAIL FROM identity's output; `None` when the HELO result was
    /// `fail` (conclusive) or the reverse-path was null.
    #[getter]
    fn mail_from(&self) -> Option<SpfOutput> {
        self.mail_from.clone()
    }

    /// The deciding identity: `"mailfrom"` or `"helo"`.
    #[getter]
    fn identity(&self) -> &'static str {
        if self.mail_from.is_some() {
            Identity::MailFrom.as_str()
        } else {
            Identity::Helo.as_str()
        }
    }

    /// The deciding result.
    #[getter]
    fn result(&self) -> SpfResult {
        self.mail_from
            .as_ref()
            .unwrap_or(&self.helo)
            .inner
            .result
            .into()
    }

    fn __repr__(&self) -> String {
        format!(
            "SpfVerdict({} by {})",
            self.result().core(),
            self.identity()
        )
    }
}

/// Checks SPF (RFC 7208) through a `Resolver`.
#[pyclass(frozen, module = "mailauth")]
pub(crate) struct SpfVerifier {
    inner: Arc<CoreVerifier>,
    /// The constructor's arguments: what pickles (the record cache does
    /// not travel).
    settings: VerifierSettings,
}

/// `SpfVerifier`'s arguments, as given. The constructor checks them as
/// Python's unbounded `int`s (`N = i128`), so that an error names the number
/// given; a verifier keeps them as `i64`, which is what a pickle holds.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct VerifierSettings<N = i64> {
    max_lookups: N,
    max_void_lookups: N,
    max_mx_names: N,
    max_ptr_names: N,
    deadline: f64,
    default_explanation: Option<String>,
    receiver: String,
    trace: bool,
    record_cache_size: N,
    // Pickles of versions without the switch had it on.
    #[serde(default = "speculate_default")]
    speculate: bool,
}

fn speculate_default() -> bool {
    true
}

impl<N: Copy + Into<i128>> VerifierSettings<N> {
    /// The verifier these settings describe, each checked as the
    /// constructor checks it (a pickle is input like any other).
    fn build(self) -> BindingResult<SpfVerifier> {
        let mut config = SpfConfig::default()
            .max_lookups(args::range(
                "max_lookups",
                self.max_lookups.into(),
                0..=MAX_LIMIT,
            )?)
            .max_void_lookups(args::range(
                "max_void_lookups",
                self.max_void_lookups.into(),
                0..=MAX_LIMIT,
            )?)
            .max_mx_names(args::range(
                "max_mx_names",
                self.max_mx_names.into(),
                0..=MAX_LIMIT as usize,
            )?)
            .max_ptr_names(args::range(
                "max_ptr_names",
                self.max_ptr_names.into(),
                0..=MAX_LIMIT as usize,
            )?)
            .deadline(args::seconds("deadline", self.deadline, false)?)
            .receiver(self.receiver.as_str())
            .trace(self.trace)
            .speculate(self.speculate)
            .record_cache_size(args::range(
                "record_cache_size",
                self.record_cache_size.into(),
                0..=1_000_000,
            )?);
        if let Some(text) = &self.default_explanation {
            config = config
                .default_explanation(text)
                .map_err(|e| BindingError::InvalidInput(e.to_string()))?;
        }
        // Every number is in its range now, so it fits an i64 as it is.
        let narrow = |n: N| args::saturating_i64(n.into());
        let settings = VerifierSettings {
            max_lookups: narrow(self.max_lookups),
            max_void_lookups: narrow(self.max_void_lookups),
            max_mx_names: narrow(self.max_mx_names),
            max_ptr_names: narrow(self.max_ptr_names),
            deadline: self.deadline,
            default_explanation: self.default_explanation,
            receiver: self.receiver,
            trace: self.trace,
            record_cache_size: narrow(self.record_cache_size),
            speculate: self.speculate,
        };
        Ok(SpfVerifier {
            inner: Arc::new(CoreVerifier::new(config)),
            settings,
        })
    }
}

impl serde::Serialize for SpfVerifier {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.settings.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for SpfVerifier {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        VerifierSettings::<i64>::deserialize(deserializer)?
            .build()
            .map_err(|e| serde::de::Error::custom(e.to_string()))
    }
}

/// An IP argument as a `ClientIp`: text keeps its hex case for `%{i}`.
fn client_ip(ip: &Bound<'_, PyAny>) -> BindingResult<ClientIp> {
    match parse_ip_text(ip)? {
        Some(client) => Ok(client),
        None => ip_from_py(ip).map(ClientIp::from),
    }
}

/// The arguments of one check, owned so they can cross into the runtime.
struct Check {
    ip: ClientIp,
    identity: Identity,
    domain: Option<String>,
    sender: String,
    helo: String,
}

impl Check {
    async fn run(self, verifier: Arc<CoreVerifier>, dns: Arc<dyn DnsResolver>) -> SpfOutput {
        let dns = &*dns;
        let inner = match (&self.domain, self.identity) {
            (Some(domain), _) => {
                verifier
                    .check_host(dns, self.ip, domain, &self.sender, &self.helo)
                    .await
            }
            (None, Identity::Helo) => verifier.check_helo(dns, self.ip, &self.helo).await,
            (None, _) => {
                verifier
                    .check_mail_from(dns, self.ip, &self.sender, &self.helo)
                    .await
            }
        };
        let envelope_from = if self.sender.is_empty() {
            format!("postmaster@{}", self.helo)
        } else {
            self.sender
        };
        SpfOutput {
            inner,
            identity: self.identity,
            ip: self.ip.addr(),
            helo: self.helo,
            envelope_from,
        }
    }
}

/// The owned arguments of a combined check.
struct Combined {
    ip: ClientIp,
    mail_from: String,
    helo: String,
}

impl Combined {
    /// Runs the core's combined check (which decides the §2.3/§2.4 order)
    /// and wraps both outputs.
    async fn run(self, verifier: Arc<CoreVerifier>, dns: Arc<dyn DnsResolver>) -> SpfVerdict {
        let verdict = verifier
            .check(&*dns, self.ip, &self.mail_from, &self.helo)
            .await;
        let wrap = |inner, identity, envelope_from: String| SpfOutput {
            inner,
            identity,
            ip: self.ip.addr(),
            helo: self.helo.clone(),
            envelope_from,
        };
        let postmaster = format!("postmaster@{}", self.helo);
        SpfVerdict {
            helo: wrap(verdict.helo, Identity::Helo, postmaster),
            mail_from: verdict
                .mail_from
                .map(|m| wrap(m, Identity::MailFrom, self.mail_from.clone())),
        }
    }
}

impl SpfVerifier {
    fn combined(ip: &Bound<'_, PyAny>, mail_from: &str, helo: &str) -> BindingResult<Combined> {
        Ok(Combined {
            ip: client_ip(ip)?,
            mail_from: mail_from.to_owned(),
            helo: helo.to_owned(),
        })
    }

    fn prepare(
        ip: &Bound<'_, PyAny>,
        identity: Identity,
        domain: Option<String>,
        sender: &str,
        helo: &str,
    ) -> BindingResult<Check> {
        let identity = if identity == Identity::MailFrom && sender.is_empty() {
            Identity::Helo
        } else {
            identity
        };
        Ok(Check {
            ip: client_ip(ip)?,
            identity,
            domain,
            sender: sender.to_owned(),
            helo: helo.to_owned(),
        })
    }

    fn spawn<'py>(
        &self,
        py: Python<'py>,
        check: Check,
        resolver: Option<&Resolver>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (verifier, dns) = (Arc::clone(&self.inner), dns(resolver)?);
        pyo3_async_runtimes::tokio::future_into_py(
            py,
            async move { Ok(check.run(verifier, dns).await) },
        )
    }

    fn block(
        &self,
        py: Python<'_>,
        check: Check,
        resolver: Option<&Resolver>,
    ) -> PyResult<SpfOutput> {
        let (verifier, dns) = (Arc::clone(&self.inner), dns(resolver)?);
        Ok(py.detach(|| runtime().block_on(check.run(verifier, dns))))
    }
}

/// The largest value of the count limits (`max_lookups`, ...): RFC 7208
/// asks for 10 and 2; a hundred times as many is still an evaluation.
const MAX_LIMIT: u32 = 1000;

#[pymethods]
impl SpfVerifier {
    /// A verifier with the RFC 7208 limits unless given. It holds no
    /// resolver: each check takes `resolver=` (default: the shared system
    /// resolver), so one verifier and its record cache serve them all.
    /// `speculate`: send the lookups a record's terms need as soon as it
    /// is parsed (the same queries and result, in fewer round trips).
    #[new]
    #[pyo3(signature = (*, max_lookups = 10, max_void_lookups = 2, max_mx_names = 10,
                        max_ptr_names = 10, deadline = 20.0, default_explanation = None,
                        receiver = "unknown", trace = false, record_cache_size = 1024,
                        speculate = true))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        #[pyo3(from_py_with = args::int)] max_lookups: i128,
        #[pyo3(from_py_with = args::int)] max_void_lookups: i128,
        #[pyo3(from_py_with = args::int)] max_mx_names: i128,
        #[pyo3(from_py_with = args::int)] max_ptr_names: i128,
        #[pyo3(from_py_with = args::float)] deadline: f64,
        default_explanation: Option<&str>,
        receiver: &str,
        trace: bool,
        #[pyo3(from_py_with = args::int)] record_cache_size: i128,
        speculate: bool,
    ) -> PyResult<Self> {
        Ok(VerifierSettings {
            max_lookups,
            max_void_lookups,
            max_mx_names,
            max_ptr_names,
            deadline,
            default_explanation: default_explanation.map(str::to_owned),
            receiver: receiver.to_owned(),
            trace,
            record_cache_size,
            speculate,
        }
        .build()?)
    }

    /// check_host() for the MAIL FROM identity (the HELO identity when
    /// `mail_from` is empty), awaitable.
    #[pyo3(signature = (ip, mail_from, helo, *, resolver = None))]
    fn check_mail_from<'py>(
        &self,
        py: Python<'py>,
        ip: &Bound<'py, PyAny>,
        mail_from: &str,
        helo: &str,
        resolver: Option<&Resolver>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let check = Self::prepare(ip, Identity::MailFrom, None, mail_from, helo)?;
        self.spawn(py, check, resolver)
    }

    /// check_host() for the HELO identity, awaitable.
    #[pyo3(signature = (ip, helo, *, resolver = None))]
    fn check_helo<'py>(
        &self,
        py: Python<'py>,
        ip: &Bound<'py, PyAny>,
        helo: &str,
        resolver: Option<&Resolver>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let check = Self::prepare(ip, Identity::Helo, None, "", helo)?;
        self.spawn(py, check, resolver)
    }

    /// The raw check_host(ip, domain, sender), awaitable.
    #[pyo3(signature = (ip, domain, sender, helo, *, resolver = None))]
    fn check_host<'py>(
        &self,
        py: Python<'py>,
        ip: &Bound<'py, PyAny>,
        domain: String,
        sender: &str,
        helo: &str,
        resolver: Option<&Resolver>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let check = Self::prepare(ip, Identity::MailFrom, Some(domain), sender, helo)?;
        self.spawn(py, check, resolver)
    }

    /// Both identities, HELO first (RFC 7208 §2.3, §2.4), awaitable.
    #[pyo3(signature = (ip, mail_from, helo, *, resolver = None))]
    fn check<'py>(
        &self,
        py: Python<'py>,
        ip: &Bound<'py, PyAny>,
        mail_from: &str,
        helo: &str,
        resolver: Option<&Resolver>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let combined = Self::combined(ip, mail_from, helo)?;
        let (verifier, dns) = (Arc::clone(&self.inner), dns(resolver)?);
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            Ok(combined.run(verifier, dns).await)
        })
    }

    /// `check`, blocking (GIL released).
    #[pyo3(signature = (ip, mail_from, helo, *, resolver = None))]
    fn check_sync(
        &self,
        py: Python<'_>,
        ip: &Bound<'_, PyAny>,
        mail_from: &str,
        helo: &str,
        resolver: Option<&Resolver>,
    ) -> PyResult<SpfVerdict> {
        let combined = Self::combined(ip, mail_from, helo)?;
        let (verifier, dns) = (Arc::clone(&self.inner), dns(resolver)?);
        Ok(py.detach(|| runtime().block_on(combined.run(verifier, dns))))
    }

    /// `check_mail_from`, blocking (GIL released).
    #[pyo3(signature = (ip, mail_from, helo, *, resolver = None))]
    fn check_mail_from_sync(
        &self,
        py: Python<'_>,
        ip: &Bound<'_, PyAny>,
        mail_from: &str,
        helo: &str,
        resolver: Option<&Resolver>,
    ) -> PyResult<SpfOutput> {
        let check = Self::prepare(ip, Identity::MailFrom, None, mail_from, helo)?;
        self.block(py, check, resolver)
    }

    /// `check_helo`, blocking (GIL released).
    #[pyo3(signature = (ip, helo, *, resolver = None))]
    fn check_helo_sync(
        &self,
        py: Python<'_>,
        ip: &Bound<'_, PyAny>,
        helo: &str,
        resolver: Option<&Resolver>,
    ) -> PyResult<SpfOutput> {
        let check = Self::prepare(ip, Identity::Helo, None, "", helo)?;
        self.block(py, check, resolver)
    }

    /// `check_host`, blocking (GIL released).
    #[pyo3(signature = (ip, domain, sender, helo, *, resolver = None))]
    fn check_host_sync(
        &self,
        py: Python<'_>,
        ip: &Bound<'_, PyAny>,
        domain: String,
        sender: &str,
        helo: &str,
        resolver: Option<&Resolver>,
    ) -> PyResult<SpfOutput> {
        let check = Self::prepare(ip, Identity::MailFrom, Some(domain), sender, helo)?;
        self.block(py, check, resolver)
    }
}
