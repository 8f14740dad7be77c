//! `mailauth.doctor`, `mailauth.doctor_domain`, `mailauth.doctor_bounce`,
//! `mailauth.read_bounce` and their report classes.

use std::sync::Arc;

use mailauth_core::dns::DnsResolver;
use mailauth_doctor::bounce;
use mailauth_doctor::{self as doctor, Hints, ReadError, SendingSetup, Subject};
use pyo3::prelude::*;

use crate::pickle::Token;
use pyo3::types::{PyBytes, PyString};

use crate::args;
use crate::dnsbl::DnsblList;
use crate::error::{BindingError, BindingResult};
use crate::resolver::{Resolver, dns, ip_from_py, runtime};

/// One check's outcome.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct DoctorFinding {
    /// `spf-mailfrom`, `spf-helo`, `iprev`, `helo`, `sender-domain`,
    /// `dnsbl`, `dmarc`, `spf-record` or `dmarc-record`.
    check: Token,
    /// The situation, a stable token `check.situation`
    /// (`spf-record.several-records`, `iprev.no-ptr`): the codes are listed
    /// in docs/doctor-json.md.
    code: String,
    /// `skipped`, `ok`, `warn`, `fail` or `error`.
    verdict: Token,
    /// The check's RFC result where it has one (`spf-*`, `iprev`, `dmarc`).
    result: Option<String>,
    /// One line: what is the matter.
    summary: String,
    /// What was seen.
    evidence: Vec<String>,
    /// The DNS records the finding rests on, as published.
    records: Vec<DoctorRecord>,
    /// How receivers are likely to react.
    receivers: Vec<String>,
    /// What to publish or change.
    fix: Vec<DoctorFix>,
}

/// One thing to do, and the DNS record to publish when there is one.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct DoctorFix {
    /// What to do, in words.
    action: String,
    /// The record to publish, or `None`.
    record: Option<DoctorRecord>,
}

#[pymethods]
impl DoctorFix {
    /// The action and the record, as the text report prints them.
    fn __str__(&self) -> String {
        match &self.record {
            Some(record) => format!("{} {}", self.action, record.__str__()),
            None => self.action.clone(),
        }
    }

    fn __repr__(&self) -> String {
        format!("DoctorFix({:?})", self.__str__())
    }
}

/// A DNS record: one the doctor asks to publish, or one a finding rests
/// on.
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct DoctorRecord(doctor::DnsRecord);

#[pymethods]
impl DoctorRecord {
    /// The owner name, without the trailing dot.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// `TXT`, `A`, `AAAA`, `MX` or `PTR`.
    #[getter(r#type)]
    fn record_type(&self) -> &'static str {
        self.0.record_type.as_str()
    }

    /// The data: the TXT text unquoted, an address, a name.
    #[getter]
    fn value(&self) -> &str {
        &self.0.value
    }

    /// The record in zone-file form.
    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!("DoctorRecord({:?})", self.0.to_string())
    }
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
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct DoctorReport(doctor::DoctorReport);

#[pymethods]
impl DoctorReport {
    /// What was diagnosed: `"IP HELO MAIL-FROM"` (HELO `-` when not given)
    /// or the domain.
    #[getter]
    fn subject(&self) -> String {
        match &self.0.subject {
            Subject::Sending {
                ip,
                helo,
                mail_from,
                ..
            } => format!("{ip} {} {mail_from}", helo.as_deref().unwrap_or("-")),
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
                check: Token::from(f.check.as_str()),
                code: f.code.clone(),
                verdict: Token::from(f.verdict.as_str()),
                result: f.result.clone(),
                summary: f.summary.clone(),
                evidence: f.evidence.clone(),
                records: f.records.iter().cloned().map(DoctorRecord).collect(),
                receivers: f.receivers.clone(),
                fix: f
                    .fix
                    .iter()
                    .map(|fix| DoctorFix {
                        action: fix.action.clone(),
                        record: fix.record.clone().map(DoctorRecord),
                    })
                    .collect(),
            })
            .collect()
    }

    /// The finding of one check, by name.
    fn finding(&self, check: &str) -> Option<DoctorFinding> {
        self.findings().into_iter().find(|f| f.check == check)
    }

    /// What was read from the bounce, for a `doctor_bounce` report.
    #[getter]
    fn bounce(&self) -> Option<Bounce> {
        self.0.bounce.as_ref().map(|c| Bounce(c.bounce.clone()))
    }

    /// Where each value of a `doctor_bounce` or `doctor_headers` setup
    /// came from: tuples of (`client-ip`/`mail-from`/`helo`/`from-domain`,
    /// value, `given`/`read`/`inferred`, the part of the input or `None`).
    #[getter]
    fn provenance(&self) -> Vec<(&'static str, String, &'static str, Option<String>)> {
        let bounce = self.0.bounce.iter().flat_map(|c| &c.setup);
        let headers = self.0.headers.iter().flat_map(|c| &c.setup);
        bounce
            .chain(headers)
            .map(|v| {
                (
                    v.field.as_str(),
                    v.value.clone(),
                    v.origin.as_str(),
                    v.source.clone(),
                )
            })
            .collect()
    }

    /// For a `doctor_headers` report: each result the receiver recorded
    /// next to the doctor's now, as tuples of (check, recorded result,
    /// result now or `None`, the header field it was recorded in).
    #[getter]
    fn compared(&self) -> Vec<(&'static str, String, Option<String>, String)> {
        self.0
            .headers
            .iter()
            .flat_map(|c| &c.compared)
            .map(|c| {
                (
                    c.check.as_str(),
                    c.recorded.result.clone(),
                    c.now.clone(),
                    c.recorded.source.clone(),
                )
            })
            .collect()
    }

    /// The checks the bounce's reason points to, most direct first (empty
    /// without a bounce).
    #[getter]
    fn points_to(&self) -> Vec<&'static str> {
        self.0
            .bounce
            .iter()
            .flat_map(|c| &c.points_to)
            .map(|c| c.as_str())
            .collect()
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

    /// The report as JSON (`docs/doctor-json.md`).
    pub(crate) fn to_json(&self) -> PyResult<String> {
        Ok(self.0.to_json())
    }

    fn __repr__(&self) -> String {
        format!("DoctorReport({}, worst {})", self.subject(), self.worst())
    }
}

/// The setup from Python arguments.
fn setup(
    ip: &Bound<'_, PyAny>,
    helo: Option<String>,
    mail_from: String,
    from_domain: Option<String>,
    dkim_domains: Vec<String>,
    dnsbl_lists: Option<Vec<PyRef<'_, DnsblList>>>,
) -> BindingResult<SendingSetup> {
    let mut setup = SendingSetup::without_helo(ip_from_py(ip)?, mail_from);
    if let Some(helo) = helo {
        setup = setup.helo(helo);
    }
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

async fn run_domain(
    dns: Arc<dyn DnsResolver>,
    domain: String,
    dkim_selectors: Vec<String>,
) -> BindingResult<DoctorReport> {
    let mut report = doctor::audit_domain(&*dns, &domain).await?;
    for selector in &dkim_selectors {
        report
            .findings
            .push(doctor::audit_dkim_key(&*dns, &domain, selector).await);
    }
    Ok(DoctorReport(report))
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
    helo: Option<String>,
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
    helo: Option<String>,
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

/// Audits a domain's SPF and DMARC records, awaitable, and the DKIM key
/// of each of `dkim_selectors` (a `dkim-key` finding each); raises
/// `InvalidInputError` for an invalid domain.
#[pyfunction(name = "doctor_domain")]
#[pyo3(signature = (domain, *, dkim_selectors = Vec::new(), resolver = None))]
pub(crate) fn doctor_domain_async<'py>(
    py: Python<'py>,
    domain: String,
    #[pyo3(from_py_with = args::dkim_selectors)] dkim_selectors: Vec<String>,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let dns = dns(resolver)?;
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        Ok(run_domain(dns, domain, dkim_selectors).await?)
    })
}

/// `doctor_domain`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (domain, *, dkim_selectors = Vec::new(), resolver = None))]
pub(crate) fn doctor_domain_sync(
    py: Python<'_>,
    domain: String,
    #[pyo3(from_py_with = args::dkim_selectors)] dkim_selectors: Vec<String>,
    resolver: Option<&Resolver>,
) -> PyResult<DoctorReport> {
    let dns = dns(resolver)?;
    Ok(py.detach(|| runtime().block_on(run_domain(dns, domain, dkim_selectors)))?)
}

/// A bounce, a Postfix log line or an SMTP reply, as read: who refused,
/// the reply, the reason as a stable code, and the values it names.
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct Bounce(bounce::Bounce);

#[pymethods]
impl Bounce {
    /// `dsn`, `postfix-log`, `postfix-reject`, `text` or `reply`.
    #[getter]
    fn input(&self) -> &'static str {
        self.0.input.as_str()
    }

    /// `gmail`, `microsoft`, `yahoo`, `postfix` or `other`.
    #[getter]
    fn receiver(&self) -> &'static str {
        self.0.receiver.as_str()
    }

    /// The stated reason as a stable code (`unauthenticated`, `spf-fail`,
    /// `reverse-dns`, `blocklisted`, ..., `unknown`).
    #[getter]
    fn reason(&self) -> &'static str {
        self.0.reason.as_str()
    }

    /// One line: what the reason means.
    #[getter]
    fn explanation(&self) -> &'static str {
        self.0.reason.explanation()
    }

    /// The SMTP stage refused (`mail-from`, `rcpt-to`, `data`,
    /// `end-of-data`, `other`), when said.
    #[getter]
    fn stage(&self) -> Option<&'static str> {
        self.0.stage.map(|s| s.as_str())
    }

    /// The reply's basic code (`550`), when a reply was found.
    #[getter]
    fn code(&self) -> Option<u16> {
        self.0.reply.as_ref().map(|r| r.code)
    }

    /// The reply's enhanced status code (`5.7.26`), when it has one.
    #[getter]
    fn enhanced(&self) -> Option<String> {
        self.0.reply.as_ref().and_then(|r| r.enhanced.clone())
    }

    /// The reply's text, printable ASCII, bounded.
    #[getter]
    fn text(&self) -> Option<String> {
        self.0.reply.as_ref().map(|r| r.text.clone())
    }

    /// The server that refused.
    #[getter]
    fn remote_mta(&self) -> Option<String> {
        self.0.remote_mta.clone()
    }

    /// The sending IP, when named, as text.
    #[getter]
    fn client_ip(&self) -> Option<String> {
        self.0.client_ip.map(|ip| ip.to_string())
    }

    /// The domain the reply names.
    #[getter]
    fn domain(&self) -> Option<String> {
        self.0.domain.clone()
    }

    /// The envelope sender.
    #[getter]
    fn sender(&self) -> Option<String> {
        self.0.sender.clone()
    }

    /// The recipient.
    #[getter]
    fn recipient(&self) -> Option<String> {
        self.0.recipient.clone()
    }

    /// The HELO name (Postfix `NOQUEUE` lines).
    #[getter]
    fn helo(&self) -> Option<String> {
        self.0.helo.clone()
    }

    /// The DNS blocklist zone the reply names.
    #[getter]
    fn dnsbl_zone(&self) -> Option<String> {
        self.0.dnsbl_zone.clone()
    }

    /// The checks the reason points to, most direct first.
    #[getter]
    fn points_to(&self) -> Vec<&'static str> {
        self.0.reason.checks().iter().map(|c| c.as_str()).collect()
    }

    /// What was read from where: (part, value) tuples in reading order.
    #[getter]
    fn excerpts(&self) -> Vec<(String, String)> {
        self.0
            .read
            .iter()
            .map(|e| (e.source.clone(), e.value.clone()))
            .collect()
    }

    fn __repr__(&self) -> String {
        let reply = self
            .0
            .reply
            .as_ref()
            .map(|r| {
                format!(
                    " {}{}",
                    r.code,
                    r.enhanced
                        .as_deref()
                        .map(|e| format!(" {e}"))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default();
        format!(
            "Bounce({} {}{reply}: {})",
            self.0.receiver.as_str(),
            self.0.input.as_str(),
            self.0.reason.as_str()
        )
    }
}

/// The bytes of a bounce or header section given as `str` or `bytes`, cut
/// at the readers' limit before they are copied.
fn input_bytes(value: &Bound<'_, PyAny>) -> BindingResult<Vec<u8>> {
    if let Ok(text) = value.cast::<PyString>() {
        let text = text
            .to_str()
            .map_err(|_| BindingError::InvalidInput("the text is not valid Unicode".into()))?;
        Ok(bounded(text.as_bytes()))
    } else if let Ok(bytes) = value.cast::<PyBytes>() {
        Ok(bounded(bytes.as_bytes()))
    } else {
        Err(BindingError::InvalidInput(
            "a bounce or header section must be str or bytes (or a Bounce from read_bounce)".into(),
        ))
    }
}

/// At most [`bounce::MAX_INPUT`] bytes of a slice, copied.
fn bounded(bytes: &[u8]) -> Vec<u8> {
    bytes[..bytes.len().min(bounce::MAX_INPUT)].to_vec()
}

/// A bounce argument: a `Bounce`, or text to read.
fn bounce_arg(value: &Bound<'_, PyAny>) -> BindingResult<bounce::Bounce> {
    if let Ok(read) = value.cast::<Bounce>() {
        return Ok(read.get().0.clone());
    }
    Ok(bounce::read(&input_bytes(value)?))
}

/// Reads a bounce (`str` or `bytes`: a delivery status notification, a
/// Postfix log line, a bounce quoting the reply, or just the reply). Never
/// fails on content: text it cannot place reads as reason `unknown`; the
/// input is cut at 1 MiB.
#[pyfunction]
pub(crate) fn read_bounce(bounce: &Bound<'_, PyAny>) -> BindingResult<Bounce> {
    Ok(Bounce(bounce::read(&input_bytes(bounce)?)))
}

/// The hints from Python arguments.
fn hints(
    ip: Option<&Bound<'_, PyAny>>,
    helo: Option<String>,
    mail_from: Option<String>,
    from_domain: Option<String>,
    dnsbl_lists: Option<Vec<PyRef<'_, DnsblList>>>,
) -> BindingResult<Hints> {
    let mut hints = Hints::default();
    if let Some(ip) = ip.filter(|ip| !ip.is_none()) {
        hints = hints.ip(ip_from_py(ip)?);
    }
    if let Some(helo) = helo {
        hints = hints.helo(helo);
    }
    if let Some(mail_from) = mail_from {
        hints = hints.mail_from(mail_from);
    }
    if let Some(domain) = from_domain {
        hints = hints.from_domain(domain);
    }
    if let Some(lists) = dnsbl_lists {
        hints = hints.dnsbl_lists(lists.iter().map(|l| l.core().clone()).collect());
    }
    Ok(hints)
}

/// What a report is diagnosed from.
enum Input {
    Bounce(Box<bounce::Bounce>),
    Headers(Vec<u8>),
}

async fn run_input(
    dns: Arc<dyn DnsResolver>,
    input: Input,
    hints: Hints,
) -> BindingResult<DoctorReport> {
    match input {
        Input::Bounce(read) => doctor::diagnose_bounce(&*dns, *read, hints).await,
        Input::Headers(bytes) => doctor::diagnose_message(&*dns, &bytes, hints).await,
    }
    .map(DoctorReport)
    .map_err(|e| {
        BindingError::InvalidInput(match e {
            ReadError::NoClientIp => format!("{e} (ip=...)"),
            ReadError::NoSender => format!("{e} (mail_from=...)"),
            _ => e.to_string(),
        })
    })
}

/// Diagnoses the setup a bounce describes, awaitable: the sending IP, the
/// sender and the HELO name from the bounce unless given, then every check
/// as `doctor` runs them. The report's `bounce`, `provenance` and
/// `points_to` say what was read, where each value came from, and which
/// checks the receiver's reason points to. Raises `InvalidInputError` when
/// neither the bounce nor the arguments give the IP or the sender.
#[pyfunction(name = "doctor_bounce")]
#[pyo3(signature = (bounce, *, ip = None, helo = None, mail_from = None, from_domain = None, dnsbl_lists = None, resolver = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn doctor_bounce_async<'py>(
    py: Python<'py>,
    bounce: &Bound<'py, PyAny>,
    ip: Option<&Bound<'py, PyAny>>,
    helo: Option<String>,
    mail_from: Option<String>,
    from_domain: Option<String>,
    #[pyo3(from_py_with = args::optional_dnsbl_lists)] dnsbl_lists: Option<
        Vec<PyRef<'py, DnsblList>>,
    >,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let input = Input::Bounce(Box::new(bounce_arg(bounce)?));
    let hints = hints(ip, helo, mail_from, from_domain, dnsbl_lists)?;
    let dns = dns(resolver)?;
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        Ok(run_input(dns, input, hints).await?)
    })
}

/// `doctor_bounce`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (bounce, *, ip = None, helo = None, mail_from = None, from_domain = None, dnsbl_lists = None, resolver = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn doctor_bounce_sync(
    py: Python<'_>,
    bounce: &Bound<'_, PyAny>,
    ip: Option<&Bound<'_, PyAny>>,
    helo: Option<String>,
    mail_from: Option<String>,
    from_domain: Option<String>,
    #[pyo3(from_py_with = args::optional_dnsbl_lists)] dnsbl_lists: Option<
        Vec<PyRef<'_, DnsblList>>,
    >,
    resolver: Option<&Resolver>,
) -> PyResult<DoctorReport> {
    let input = Input::Bounce(Box::new(bounce_arg(bounce)?));
    let hints = hints(ip, helo, mail_from, from_domain, dnsbl_lists)?;
    let dns = dns(resolver)?;
    Ok(py.detach(|| runtime().block_on(run_input(dns, input, hints)))?)
}

/// Diagnoses the setup a received message (or its header section)
/// describes, awaitable (`str` or `bytes`): the IP and HELO name from the
/// trace, the MAIL FROM from Return-Path, the From domain, unless given;
/// DKIM signatures verified when the body is there, else the domains the
/// receiver recorded `dkim=pass` for; then every check as `doctor` runs
/// them. The report's `provenance` says where each value came
/// from, `compared` the receiver's recorded results next to today's.
/// Raises `InvalidInputError` when neither the headers nor the arguments
/// give the IP or the sender.
#[pyfunction(name = "doctor_headers")]
#[pyo3(signature = (headers, *, ip = None, helo = None, mail_from = None, from_domain = None, dnsbl_lists = None, resolver = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn doctor_headers_async<'py>(
    py: Python<'py>,
    headers: &Bound<'py, PyAny>,
    ip: Option<&Bound<'py, PyAny>>,
    helo: Option<String>,
    mail_from: Option<String>,
    from_domain: Option<String>,
    #[pyo3(from_py_with = args::optional_dnsbl_lists)] dnsbl_lists: Option<
        Vec<PyRef<'py, DnsblList>>,
    >,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let input = Input::Headers(input_bytes(headers)?);
    let hints = hints(ip, helo, mail_from, from_domain, dnsbl_lists)?;
    let dns = dns(resolver)?;
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        Ok(run_input(dns, input, hints).await?)
    })
}

/// `doctor_headers`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (headers, *, ip = None, helo = None, mail_from = None, from_domain = None, dnsbl_lists = None, resolver = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn doctor_headers_sync(
    py: Python<'_>,
    headers: &Bound<'_, PyAny>,
    ip: Option<&Bound<'_, PyAny>>,
    helo: Option<String>,
    mail_from: Option<String>,
    from_domain: Option<String>,
    #[pyo3(from_py_with = args::optional_dnsbl_lists)] dnsbl_lists: Option<
        Vec<PyRef<'_, DnsblList>>,
    >,
    resolver: Option<&Resolver>,
) -> PyResult<DoctorReport> {
    let input = Input::Headers(input_bytes(headers)?);
    let hints = hints(ip, helo, mail_from, from_domain, dnsbl_lists)?;
    let dns = dns(resolver)?;
    Ok(py.detach(|| runtime().block_on(run_input(dns, input, hints)))?)
}
