//! `mailauth.iprev`, `mailauth.check_helo`, `mailauth.check_mail_domain`
//! and their result classes.

use std::net::IpAddr;
use std::sync::Arc;

use mailauth_core::dns::DnsResolver;
use mailauth_core::helo;
use mailauth_core::iprev::{self, ForwardOutcome, IprevConfig, RejectCode};
use mailauth_core::maildomain::{self, AddressRole, MailDomainStatus};
use pyo3::prelude::*;

use crate::pickle::Token;

use crate::args;
use crate::error::{BindingError, BindingResult};
use crate::records::MxRecord;
use crate::resolver::{Resolver, dns, ip_from_py, runtime};

/// The iprev result (RFC 8601 §2.7.3).
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum IprevResult {
    /// A PTR name resolves back.
    #[pyo3(name = "PASS")]
    Pass,
    /// None does.
    #[pyo3(name = "FAIL")]
    Fail,
    /// DNS failure, nothing passed.
    #[pyo3(name = "TEMPERROR")]
    TempError,
    /// No PTR record.
    #[pyo3(name = "PERMERROR")]
    PermError,
}

#[pymethods]
impl IprevResult {
    /// The RFC token.
    pub(crate) fn __str__(&self) -> &'static str {
        self.core().as_str()
    }
}

impl IprevResult {
    fn core(self) -> iprev::IprevResult {
        match self {
            Self::Pass => iprev::IprevResult::Pass,
            Self::Fail => iprev::IprevResult::Fail,
            Self::TempError => iprev::IprevResult::TempError,
            Self::PermError => iprev::IprevResult::PermError,
        }
    }
}

impl From<iprev::IprevResult> for IprevResult {
    fn from(result: iprev::IprevResult) -> Self {
        match result {
            iprev::IprevResult::Pass => Self::Pass,
            iprev::IprevResult::Fail => Self::Fail,
            iprev::IprevResult::TempError => Self::TempError,
            iprev::IprevResult::PermError => Self::PermError,
        }
    }
}

/// One PTR name and its forward lookup.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct ForwardCheck {
    /// The PTR name.
    name: String,
    /// `confirmed`, `mismatch`, `no-address` or `error`.
    outcome: Token,
    /// For `mismatch`: the addresses found.
    addresses: Vec<IpAddr>,
    /// For `no-address` and `error`: the DNS outcome.
    detail: Option<String>,
}

/// How Postfix would classify the client.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct PostfixClient {
    /// The client name Postfix would log (`unknown` unless confirmed).
    name: String,
    /// `ok`, `temporary` or `permanent`: the PTR step.
    reverse_status: Token,
    /// `ok`, `temporary`, `permanent` or `forged`.
    name_status: Token,
    /// The reply of `reject_unknown_reverse_client_hostname`, if it rejects.
    reverse_reject: Option<String>,
    /// The reply of `reject_unknown_client_hostname`, if it rejects.
    client_reject: Option<String>,
}

/// What iprev found.
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct IprevOutput(pub(crate) iprev::IprevOutput);

#[pymethods]
impl IprevOutput {
    /// The result.
    #[getter]
    fn result(&self) -> IprevResult {
        self.0.result.into()
    }

    /// The client IP checked (IPv4-mapped addresses as IPv4).
    #[getter]
    fn ip(&self) -> IpAddr {
        self.0.ip
    }

    /// Every PTR name.
    #[getter]
    fn ptr_names(&self) -> Vec<String> {
        self.0.ptr_names.clone()
    }

    /// For a failed PTR lookup, what it gave.
    #[getter]
    fn ptr_error(&self) -> Option<String> {
        self.0.ptr_error.as_ref().map(ToString::to_string)
    }

    /// The names evaluated and their forward lookups.
    #[getter]
    fn forward(&self) -> Vec<ForwardCheck> {
        self.0
            .forward
            .iter()
            .map(|f| {
                let (outcome, addresses, detail) = match &f.outcome {
                    ForwardOutcome::Confirmed => ("confirmed", Vec::new(), None),
                    ForwardOutcome::Mismatch(list) => ("mismatch", list.clone(), None),
                    ForwardOutcome::NoAddress(e) => ("no-address", Vec::new(), Some(e.to_string())),
                    ForwardOutcome::Error(e) => ("error", Vec::new(), Some(e.to_string())),
                    _ => ("error", Vec::new(), None),
                };
                ForwardCheck {
                    name: f.name.clone(),
                    outcome: outcome.into(),
                    addresses,
                    detail,
                }
            })
            .collect()
    }

    /// The names that resolve back.
    #[getter]
    fn confirmed(&self) -> Vec<String> {
        self.0.confirmed.clone()
    }

    /// Postfix's classification of the same DNS data.
    #[getter]
    fn postfix(&self) -> PostfixClient {
        let p = &self.0.postfix;
        PostfixClient {
            name: p.name.clone(),
            reverse_status: Token::from(p.reverse_status.as_str()),
            name_status: Token::from(p.name_status.as_str()),
            reverse_reject: p.reverse_reject.as_ref().map(ToString::to_string),
            client_reject: p.client_reject.as_ref().map(ToString::to_string),
        }
    }

    /// `iprev=... policy.iprev=...` for `Authentication-Results:`.
    fn authentication_results(&self) -> String {
        self.0.authentication_results()
    }

    fn __repr__(&self) -> String {
        format!("IprevOutput({} for {})", self.0.result, self.0.ip)
    }
}

/// One HELO check's verdict.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct HeloCheck {
    /// `pass`, `fail`, `temperror` or `not-applicable`.
    status: Token,
    /// What was seen.
    evidence: String,
    /// The reply of the matching Postfix restriction, if it rejects.
    postfix: Option<String>,
}

impl From<&helo::HeloCheck> for HeloCheck {
    fn from(v: &helo::HeloCheck) -> Self {
        Self {
            status: Token::from(v.status.as_str()),
            evidence: v.evidence.clone(),
            postfix: v.postfix.as_ref().map(ToString::to_string),
        }
    }
}

/// Every HELO check.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct HeloReport {
    /// The HELO argument as given.
    helo: String,
    /// A valid host name or address literal.
    syntax: HeloCheck,
    /// Fully qualified (or an address literal).
    fqdn: HeloCheck,
    /// Has an A, AAAA or MX record.
    resolves: HeloCheck,
    /// Resolves to the client IP.
    resolves_to_client: HeloCheck,
    /// Equals a confirmed PTR name.
    matches_ptr: HeloCheck,
    /// An address literal equal to the client IP.
    literal_matches_client: HeloCheck,
}

impl From<helo::HeloReport> for HeloReport {
    fn from(r: helo::HeloReport) -> Self {
        Self {
            syntax: (&r.syntax).into(),
            fqdn: (&r.fqdn).into(),
            resolves: (&r.resolves).into(),
            resolves_to_client: (&r.resolves_to_client).into(),
            matches_ptr: (&r.matches_ptr).into(),
            literal_matches_client: (&r.literal_matches_client).into(),
            helo: r.helo,
        }
    }
}

/// Whether a mail domain receives mail.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct MailDomainReport {
    /// The domain checked.
    domain: String,
    /// `sender` or `recipient`.
    role: Token,
    /// `mx`, `implicit-mx`, `null-mx`, `not-found`, `temperror` or
    /// `invalid-domain`.
    status: Token,
    /// What DNS said, in words.
    detail: String,
    /// Whether mail can be delivered to it.
    receives_mail: bool,
    /// The MX records, for `mx`.
    mx: Vec<MxRecord>,
    /// The addresses, for `implicit-mx`.
    addresses: Vec<IpAddr>,
    /// The reply of Postfix's `reject_unknown_*_domain`, if it rejects.
    postfix: Option<String>,
}

impl From<maildomain::MailDomainReport> for MailDomainReport {
    fn from(r: maildomain::MailDomainReport) -> Self {
        let (status, mx, addresses) = match &r.status {
            MailDomainStatus::Mx(list) => {
                ("mx", list.iter().map(MxRecord::from).collect(), Vec::new())
            }
            MailDomainStatus::ImplicitMx(list) => ("implicit-mx", Vec::new(), list.clone()),
            MailDomainStatus::NullMx => ("null-mx", Vec::new(), Vec::new()),
            MailDomainStatus::NotFound(_) => ("not-found", Vec::new(), Vec::new()),
            MailDomainStatus::TempError(_) => ("temperror", Vec::new(), Vec::new()),
            _ => ("invalid-domain", Vec::new(), Vec::new()),
        };
        Self {
            role: Token::from(r.role.as_str()),
            status: status.into(),
            detail: r.status.to_string(),
            receives_mail: r.status.receives_mail(),
            mx,
            addresses,
            postfix: r.postfix.as_ref().map(ToString::to_string),
            domain: r.domain,
        }
    }
}

fn config(max_names: i128, reject_code: i128) -> BindingResult<IprevConfig> {
    let code = args::range("unknown_client_reject_code", reject_code, 400..=599)?;
    let code = RejectCode::new(code).map_err(|e| BindingError::InvalidInput(e.to_string()))?;
    Ok(IprevConfig::default()
        .max_names(args::range("max_names", max_names, 1..=1000)?)
        .unknown_client_reject_code(code))
}

fn role(text: &str) -> BindingResult<AddressRole> {
    args::token("role", text)
}

async fn run_iprev(dns: Arc<dyn DnsResolver>, ip: IpAddr, config: IprevConfig) -> IprevOutput {
    IprevOutput(iprev::iprev(&*dns, ip, &config).await)
}

async fn run_helo(
    dns: Arc<dyn DnsResolver>,
    ip: IpAddr,
    name: String,
    confirmed: Option<Vec<String>>,
) -> HeloReport {
    helo::check_helo(&*dns, ip, &name, confirmed.as_deref())
        .await
        .into()
}

async fn run_domain(
    dns: Arc<dyn DnsResolver>,
    domain: String,
    role: AddressRole,
) -> MailDomainReport {
    maildomain::check_mail_domain(&*dns, &domain, role)
        .await
        .into()
}

/// iprev (RFC 8601 §3) of `ip`, awaitable.
#[pyfunction(name = "iprev")]
#[pyo3(signature = (ip, *, max_names = 10, unknown_client_reject_code = 450, resolver = None))]
pub(crate) fn iprev_async<'py>(
    py: Python<'py>,
    ip: &Bound<'py, PyAny>,
    #[pyo3(from_py_with = args::int)] max_names: i128,
    #[pyo3(from_py_with = args::int)] unknown_client_reject_code: i128,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let (ip, config) = (
        ip_from_py(ip)?,
        config(max_names, unknown_client_reject_code)?,
    );
    let dns = dns(resolver)?;
    pyo3_async_runtimes::tokio::future_into_py(
        py,
        async move { Ok(run_iprev(dns, ip, config).await) },
    )
}

/// `iprev`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (ip, *, max_names = 10, unknown_client_reject_code = 450, resolver = None))]
pub(crate) fn iprev_sync(
    py: Python<'_>,
    ip: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = args::int)] max_names: i128,
    #[pyo3(from_py_with = args::int)] unknown_client_reject_code: i128,
    resolver: Option<&Resolver>,
) -> PyResult<IprevOutput> {
    let (ip, config) = (
        ip_from_py(ip)?,
        config(max_names, unknown_client_reject_code)?,
    );
    let dns = dns(resolver)?;
    Ok(py.detach(|| runtime().block_on(run_iprev(dns, ip, config))))
}

/// The HELO checks, awaitable. `confirmed_ptr`: the client's confirmed PTR
/// names (`IprevOutput.confirmed`), or None to skip that comparison.
#[pyfunction(name = "check_helo")]
#[pyo3(signature = (ip, helo, confirmed_ptr = None, *, resolver = None))]
pub(crate) fn check_helo_async<'py>(
    py: Python<'py>,
    ip: &Bound<'py, PyAny>,
    helo: String,
    #[pyo3(from_py_with = args::confirmed_ptr)] confirmed_ptr: Option<Vec<String>>,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let ip = ip_from_py(ip)?;
    let dns = dns(resolver)?;
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        Ok(run_helo(dns, ip, helo, confirmed_ptr).await)
    })
}

/// `check_helo`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (ip, helo, confirmed_ptr = None, *, resolver = None))]
pub(crate) fn check_helo_sync(
    py: Python<'_>,
    ip: &Bound<'_, PyAny>,
    helo: String,
    #[pyo3(from_py_with = args::confirmed_ptr)] confirmed_ptr: Option<Vec<String>>,
    resolver: Option<&Resolver>,
) -> PyResult<HeloReport> {
    let ip = ip_from_py(ip)?;
    let dns = dns(resolver)?;
    Ok(py.detach(|| runtime().block_on(run_helo(dns, ip, helo, confirmed_ptr))))
}

/// Whether `domain` receives mail, as a sender's or recipient's domain;
/// awaitable.
#[pyfunction(name = "check_mail_domain")]
#[pyo3(signature = (domain, role = "sender", *, resolver = None))]
pub(crate) fn check_mail_domain_async<'py>(
    py: Python<'py>,
    domain: String,
    role: &str,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let role = self::role(role)?;
    let dns = dns(resolver)?;
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        Ok(run_domain(dns, domain, role).await)
    })
}

/// `check_mail_domain`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (domain, role = "sender", *, resolver = None))]
pub(crate) fn check_mail_domain_sync(
    py: Python<'_>,
    domain: String,
    role: &str,
    resolver: Option<&Resolver>,
) -> PyResult<MailDomainReport> {
    let role = self::role(role)?;
    let dns = dns(resolver)?;
    Ok(py.detach(|| runtime().block_on(run_domain(dns, domain, role))))
}
