//! `mailauth.doctor`, `mailauth.doctor_domain` and their report classes.

use std::sync::Arc;

use mailauth_core::dns::DnsResolver;
use mailauth_doctor::{self as doctor, SendingSetup, Subject};
use pyo3::prelude::*;

use crate::args;
use crate::dnsbl::DnsblList;
use crate::error::BindingResult;
use crate::resolver::{Resolver, dns, ip_from_py, runtime};

/// One check's outcome.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug)]
pub(crate) struct DoctorFinding {
    /// `spf-mailfrom`, `spf-helo`, `iprev`, `helo`, `sender-domain`,
    /// `dnsbl`, `dmarc`, `spf-record` or `dmarc-record`.
    check: &'static str,
    /// `ok`, `warn`, `fail` or `error`.
    verdict: &'static str,
    /// One line: what is the matter.
    summary: String,
    /// What was seen.
    evidence: Vec<String>,
    /// How receivers are likely to react.
    receivers: Vec<String>,
    /// What to publish or change.
    fix: Vec<String>,
}

#[pymethods]
impl DoctorFinding {
    fn __repr__(&self) -> String {
        format!(
            "DoctorFinding({} {}: {})",
            self.verdict, self.check, self.summary
        )
    }
}

/// The doctor's report.
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug)]
pub(crate) struct DoctorReport(doctor::DoctorReport);

#[pymethods]
impl DoctorReport {
    /// What was diagnosed: `"IP HELO MAIL-FROM"` or the domain.
    #[getter]
    fn subject(&self) -> String {
        match &self.0.subject {
            Subject::Sending {
                ip,
                helo,
                mail_from,
                ..
            } => format!("{ip} {helo} {mail_from}"),
            Subject::Domain { domain } => domain.clone(),
        }
    }

    /// Which resolver answered: real nameservers, a zone, or the fictional
    /// demo zone.
    #[getter]
    fn resolver(&self) -> &str {
        &self.0.resolver
    }

    /// Every finding, in a fixed order.
    #[getter]
    fn findings(&self) -> Vec<DoctorFinding> {
        self.0
            .findings
            .iter()
            .map(|f| DoctorFinding {
                check: f.check.as_str(),
                verdict: f.verdict.as_str(),
                summary: f.summary.clone(),
                evidence: f.evidence.clone(),
                receivers: f.receivers.clone(),
                fix: f.fix.clone(),
            })
            .collect()
    }

    /// The finding of one check, by name.
    fn finding(&self, check: &str) -> Option<DoctorFinding> {
        self.findings().into_iter().find(|f| f.check == check)
    }

    /// The worst verdict.
    #[getter]
    fn worst(&self) -> &'static str {
        self.0.worst().as_str()
    }

    /// 0 ok, 1 warn, 2 fail, 3 error.
    #[getter]
    fn exit_code(&self) -> u8 {
        self.0.worst().exit_code()
    }

    /// The report as text for an 80-column terminal.
    fn to_text(&self) -> String {
        self.0.to_text()
    }

    /// The report as JSON.
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    fn __repr__(&self) -> String {
        format!("DoctorReport({}, worst {})", self.subject(), self.worst())
    }
}

/// The setup from Python arguments.
fn setup(
    ip: &Bound<'_, PyAny>,
    helo: String,
    mail_from: String,
    from_domain: Option<String>,
    dkim_domains: Vec<String>,
    dnsbl_lists: Option<Vec<PyRef<'_, DnsblList>>>,
) -> BindingResult<SendingSetup> {
    let mut setup = SendingSetup::new(ip_from_py(ip)?, helo, mail_from);
    if let Some(domain) = from_domain {
        setup = setup.from_domain(domain);
    }
    for domain in dkim_domains {
        setup = setup.dkim_domain(domain);
    }
    if let Some(lists) = dnsbl_lists {
        setup = setup.dnsbl_lists(lists.iter().map(|l| l.core().clone()).collect());
    }
    Ok(setup)
}

async fn run_doctor(dns: Arc<dyn DnsResolver>, setup: SendingSetup) -> DoctorReport {
    DoctorReport(doctor::diagnose(&*dns, &setup).await)
}

async fn run_domain(dns: Arc<dyn DnsResolver>, domain: String) -> BindingResult<DoctorReport> {
    Ok(DoctorReport(doctor::audit_domain(&*dns, &domain).await?))
}

/// Diagnoses a sending setup, awaitable: every check at once, each with
/// its evidence, receivers' reactions and fix. `dnsbl_lists=None` asks
/// Spamhaus ZEN and SpamCop.
#[pyfunction(name = "doctor")]
#[pyo3(signature = (ip, helo, mail_from, *, from_domain = None, dkim_domains = Vec::new(), dnsbl_lists = None, resolver = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn doctor_async<'py>(
    py: Python<'py>,
    ip: &Bound<'py, PyAny>,
    helo: String,
    mail_from: String,
    from_domain: Option<String>,
    #[pyo3(from_py_with = args::dkim_domains)] dkim_domains: Vec<String>,
    #[pyo3(from_py_with = args::optional_dnsbl_lists)] dnsbl_lists: Option<
        Vec<PyRef<'py, DnsblList>>,
    >,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let setup = setup(ip, helo, mail_from, from_domain, dkim_domains, dnsbl_lists)?;
    let dns = dns(resolver)?;
    pyo3_async_runtimes::tokio::future_into_py(py, async move { Ok(run_doctor(dns, setup).await) })
}

/// `doctor`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (ip, helo, mail_from, *, from_domain = None, dkim_domains = Vec::new(), dnsbl_lists = None, resolver = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn doctor_sync(
    py: Python<'_>,
    ip: &Bound<'_, PyAny>,
    helo: String,
    mail_from: String,
    from_domain: Option<String>,
    #[pyo3(from_py_with = args::dkim_domains)] dkim_domains: Vec<String>,
    #[pyo3(from_py_with = args::optional_dnsbl_lists)] dnsbl_lists: Option<
        Vec<PyRef<'_, DnsblList>>,
    >,
    resolver: Option<&Resolver>,
) -> PyResult<DoctorReport> {
    let setup = setup(ip, helo, mail_from, from_domain, dkim_domains, dnsbl_lists)?;
    let dns = dns(resolver)?;
    Ok(py.detach(|| runtime().block_on(run_doctor(dns, setup))))
}

/// Audits a domain's SPF and DMARC records, awaitable; raises
/// `InvalidInputError` for an invalid domain.
#[pyfunction(name = "doctor_domain")]
#[pyo3(signature = (domain, *, resolver = None))]
pub(crate) fn doctor_domain_async<'py>(
    py: Python<'py>,
    domain: String,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let dns = dns(resolver)?;
    pyo3_async_runtimes::tokio::future_into_py(
        py,
        async move { Ok(run_domain(dns, domain).await?) },
    )
}

/// `doctor_domain`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (domain, *, resolver = None))]
pub(crate) fn doctor_domain_sync(
    py: Python<'_>,
    domain: String,
    resolver: Option<&Resolver>,
) -> PyResult<DoctorReport> {
    let dns = dns(resolver)?;
    Ok(py.detach(|| runtime().block_on(run_domain(dns, domain)))?)
}
