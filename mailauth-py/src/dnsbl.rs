//! `mailauth.DnsblList`, `dnsbl_check`, `dnsbl_check_bulk`,
//! `dnsbl_zone_health` and their result classes.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use futures_util::StreamExt;
use mailauth_core::dns::DnsResolver;
use mailauth_core::dnsbl::{
    self, Bit, Code, Codes, DnsblConfig, DnsblList as CoreList, ListKind, ListOutcome, ListPolicy,
    Target, ZoneHealth,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use crate::pickle::Token;
use pyo3::types::{PyDict, PyString};
use tokio::sync::mpsc;

use crate::args;
use crate::error::{BindingError, BindingResult};
use crate::resolver::{Resolver, dns, ip_from_py, runtime};
use crate::stream::Reports;

/// A DNS block- or allowlist definition (RFC 5782).
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct DnsblList(CoreList);

/// `bits`: a dict of int to str, the ints read with [`args::int`] so
/// that any int reaches the range check.
fn bit_table(value: &Bound<'_, PyAny>) -> PyResult<Option<Vec<(i128, String)>>> {
    if value.is_none() {
        return Ok(None);
    }
    let dict = value
        .cast::<PyDict>()
        .map_err(|_| PyTypeError::new_err("bits must be a dict of int to str"))?;
    dict.iter()
        .map(|(bit, meaning)| Ok((args::int(&bit)?, meaning.extract::<String>()?)))
        .collect::<PyResult<_>>()
        .map(Some)
}

fn parse_v4(text: &str) -> BindingResult<Ipv4Addr> {
    text.parse()
        .map_err(|_| BindingError::InvalidInput(format!("invalid code address {text:?}")))
}

#[pymethods]
impl DnsblList {
    /// A user-defined list. `codes` maps answer addresses to meanings;
    /// `bits` (bitmask lists) maps last-octet bits to meanings; `errors`
    /// maps the operator's error answers to meanings.
    #[new]
    #[pyo3(signature = (id, zone, *, kind = "ip", policy = "block", codes = None, bits = None,
                        errors = None, key = None, test_domain = None, ipv6 = false, note = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        id: String,
        zone: String,
        kind: &str,
        policy: &str,
        codes: Option<HashMap<String, String>>,
        #[pyo3(from_py_with = bit_table)] bits: Option<Vec<(i128, String)>>,
        errors: Option<HashMap<String, String>>,
        key: Option<String>,
        test_domain: Option<String>,
        ipv6: bool,
        note: Option<String>,
    ) -> PyResult<Self> {
        let kind: ListKind = args::token("kind", kind)?;
        let policy: ListPolicy = args::token("policy", policy)?;
        if mailauth_core::dns::validate_name(&zone).is_err() {
            return Err(BindingError::InvalidInput(format!("invalid zone {zone:?}")).into());
        }
        let codes = match (codes, bits) {
            (Some(_), Some(_)) => {
                return Err(
                    BindingError::InvalidInput("give codes or bits, not both".into()).into(),
                );
            }
            (_, Some(bits)) => {
                let mut bits = bits
                    .into_iter()
                    .map(|(bit, meaning)| {
                        Ok(Bit::new(args::range("a bit", bit, 1..=255)?, meaning))
                    })
                    .collect::<BindingResult<Vec<Bit>>>()?;
                bits.sort_by_key(|b| b.bit);
                Codes::Bitmask(bits)
            }
            (codes, None) => Codes::Exact(
                codes
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(a, m)| Ok(Code::new(parse_v4(&a)?, m)))
                    .collect::<BindingResult<_>>()?,
            ),
        };
        let errors = errors
            .unwrap_or_default()
            .into_iter()
            .map(|(a, m)| Ok((parse_v4(&a)?, m)))
            .collect::<BindingResult<_>>()?;
        let mut list = CoreList::new(id, zone, kind, policy, codes);
        list.errors = errors;
        list.key = key;
        list.test_domain = test_domain;
        list.ipv6 = ipv6;
        list.note = note;
        Ok(Self(list))
    }

    /// A built-in list by id (`spamhaus-zen`, `spamcop`, `dnswl`, ...).
    #[staticmethod]
    fn builtin(id: &str) -> PyResult<Self> {
        CoreList::builtin(id)
            .map(Self)
            .ok_or_else(|| BindingError::InvalidInput(format!("no built-in list {id:?}")).into())
    }

    /// Every built-in list.
    #[staticmethod]
    fn builtins() -> Vec<Self> {
        CoreList::builtins().into_iter().map(Self).collect()
    }

    /// A Spamhaus DQS list (`zen`, `sbl`, `xbl`, `pbl`, `dbl`, `zrd`,
    /// `authbl`) with your key.
    #[staticmethod]
    fn spamhaus_dqs(list: &str, key: &str) -> PyResult<Self> {
        CoreList::spamhaus_dqs(list, key).map(Self).ok_or_else(|| {
            BindingError::InvalidInput(format!("no Spamhaus DQS list {list:?}")).into()
        })
    }

    /// The list's id.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }

    /// The zone queried.
    #[getter]
    fn zone(&self) -> &str {
        &self.0.zone
    }

    /// `ip` or `domain`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind.as_str()
    }

    /// `block` or `allow`.
    #[getter]
    fn policy(&self) -> &'static str {
        self.0.policy.as_str()
    }

    /// What to know about the list.
    #[getter]
    fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "DnsblList({}, {})",
            PyString::new(py, &self.0.id).repr()?,
            PyString::new(py, &self.0.zone).repr()?
        ))
    }
}

/// One list's answer.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct DnsblListResult {
    /// The list's id.
    list_id: String,
    /// `block` or `allow`.
    policy: Token,
    /// The name queried.
    query: String,
    /// `listed`, `not-listed` or `error`.
    status: Token,
    /// For `listed`: (code, meaning) pairs.
    listings: Vec<(String, String)>,
    /// For `listed`: what the listings say about the sender (`end-user`,
    /// `spam`, `exploited`, ...), once each, in listing order; decide on
    /// these, not on the meaning text.
    categories: Vec<Token>,
    /// For `listed`: TXT reasons, when fetched.
    reasons: Vec<String>,
    /// For `error`: what went wrong.
    error: Option<String>,
}

/// Every list's answer for one target.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct DnsblReport {
    /// The IP or domain checked.
    target: String,
    /// Whether a blocklist lists it (an error never does).
    listed: bool,
    /// The blocklists that list it.
    blocked_by: Vec<String>,
    /// The allowlists that list it.
    allowed_by: Vec<String>,
    /// (list, error) for lists without a usable answer.
    errors: Vec<(String, String)>,
    /// Each list's result, in the order given.
    results: Vec<DnsblListResult>,
}

/// The categories of every listing of `outcome`, once each, in order.
fn categories(outcome: &ListOutcome) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    if let ListOutcome::Listed { listings, .. } = outcome {
        for category in listings.iter().flat_map(|l| &l.categories) {
            if !found.contains(&category.as_str()) {
                found.push(category.as_str());
            }
        }
    }
    found
}

impl From<dnsbl::DnsblReport> for DnsblReport {
    fn from(report: dnsbl::DnsblReport) -> Self {
        let results = report
            .results
            .iter()
            .map(|r| {
                let (status, listings, reasons, error) = match &r.outcome {
                    ListOutcome::Listed { listings, reasons } => (
                        "listed",
                        listings
                            .iter()
                            .map(|l| (l.code.to_string(), l.meaning.clone()))
                            .collect(),
                        reasons.clone(),
                        None,
                    ),
                    ListOutcome::NotListed => ("not-listed", Vec::new(), Vec::new(), None),
                    ListOutcome::Error(e) => ("error", Vec::new(), Vec::new(), Some(e.to_string())),
                };
                DnsblListResult {
                    list_id: r.list.clone(),
                    policy: Token::from(r.policy.as_str()),
                    query: r.query.clone(),
                    status: status.into(),
                    listings,
                    categories: categories(&r.outcome)
                        .into_iter()
                        .map(Token::from)
                        .collect(),
                    reasons,
                    error,
                }
            })
            .collect();
        Self {
            target: report.target.to_string(),
            listed: report.listed(),
            blocked_by: report.blocked_by().into_iter().map(str::to_owned).collect(),
            allowed_by: report.allowed_by().into_iter().map(str::to_owned).collect(),
            errors: report
                .errors()
                .into_iter()
                .map(|(l, e)| (l.to_owned(), e.to_string()))
                .collect(),
            results,
        }
    }
}

#[pymethods]
impl DnsblReport {
    fn __repr__(&self) -> String {
        format!(
            "DnsblReport({}: listed by {:?})",
            self.target, self.blocked_by
        )
    }
}

/// A target from Python: an `ipaddress` object, an IP in text, or a domain.
fn target(value: &Bound<'_, PyAny>) -> BindingResult<Target> {
    if let Ok(text) = value.cast::<PyString>() {
        let text = text
            .to_cow()
            .map_err(|e| BindingError::InvalidInput(e.to_string()))?;
        if let Ok(ip) = text.trim().parse::<IpAddr>() {
            return Ok(Target::Ip(mailauth_core::dns::normalize_ip(ip)));
        }
        return dnsbl::domain_target(&text).map_err(|e| BindingError::InvalidInput(e.to_string()));
    }
    ip_from_py(value).map(|ip| Target::Ip(mailauth_core::dns::normalize_ip(ip)))
}

impl DnsblList {
    /// The core definition.
    pub(crate) fn core(&self) -> &CoreList {
        &self.0
    }
}

fn core_lists(lists: &[PyRef<'_, DnsblList>]) -> Arc<[CoreList]> {
    lists.iter().map(|l| l.core().clone()).collect()
}

/// The check options from Python arguments; `deadline` in seconds.
fn options(fetch_reasons: bool, deadline: Option<f64>) -> BindingResult<DnsblConfig> {
    let options = DnsblConfig::default().fetch_reasons(fetch_reasons);
    match deadline {
        None => Ok(options),
        Some(seconds) => Ok(options.deadline(args::seconds("deadline", seconds, false)?)),
    }
}

async fn run_one(
    dns: Arc<dyn DnsResolver>,
    target: Target,
    lists: Arc<[CoreList]>,
    options: DnsblConfig,
) -> DnsblReport {
    dnsbl::check_target(&*dns, target, &lists, &options)
        .await
        .into()
}

/// Checks one IP or domain against `lists`, all at once; awaitable.
/// `deadline`: seconds the whole check may take (lists without an answer
/// by then time out).
#[pyfunction(name = "dnsbl_check")]
#[pyo3(signature = (target, lists, *, fetch_reasons = false, deadline = None, resolver = None))]
pub(crate) fn dnsbl_check_async<'py>(
    py: Python<'py>,
    target: &Bound<'py, PyAny>,
    #[pyo3(from_py_with = args::lists)] lists: Vec<PyRef<'py, DnsblList>>,
    fetch_reasons: bool,
    #[pyo3(from_py_with = args::optional_float)] deadline: Option<f64>,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let (dns, target, lists) = (dns(resolver)?, self::target(target)?, core_lists(&lists));
    let options = options(fetch_reasons, deadline)?;
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        Ok(run_one(dns, target, lists, options).await)
    })
}

/// `dnsbl_check`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (target, lists, *, fetch_reasons = false, deadline = None, resolver = None))]
pub(crate) fn dnsbl_check_sync(
    py: Python<'_>,
    target: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = args::lists)] lists: Vec<PyRef<'_, DnsblList>>,
    fetch_reasons: bool,
    #[pyo3(from_py_with = args::optional_float)] deadline: Option<f64>,
    resolver: Option<&Resolver>,
) -> PyResult<DnsblReport> {
    let (dns, target, lists) = (dns(resolver)?, self::target(target)?, core_lists(&lists));
    let options = options(fetch_reasons, deadline)?;
    Ok(py.detach(|| runtime().block_on(run_one(dns, target, lists, options))))
}

/// The reports of a bulk check, as an async iterator in completion order.
/// The checks run in the background, at most `concurrency` at a time, and
/// stop when the iterator is dropped.
#[pyclass(frozen, module = "mailauth")]
pub(crate) struct DnsblBulk {
    reports: Reports<DnsblReport>,
}

#[pymethods]
impl DnsblBulk {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// The next report, awaitable; `StopAsyncIteration` after the last.
    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.reports.anext(py)
    }

    fn __repr__(&self) -> &'static str {
        "DnsblBulk(...)"
    }
}

/// Checks many targets, at most `concurrency` at a time (each against all
/// lists at once): `async for report in dnsbl_check_bulk(...)` gives the
/// reports as they complete.
#[pyfunction]
#[pyo3(signature = (targets, lists, *, concurrency = 100, fetch_reasons = false, deadline = None, resolver = None))]
pub(crate) fn dnsbl_check_bulk(
    #[pyo3(from_py_with = args::targets)] targets: Vec<Bound<'_, PyAny>>,
    #[pyo3(from_py_with = args::lists)] lists: Vec<PyRef<'_, DnsblList>>,
    #[pyo3(from_py_with = args::int)] concurrency: i128,
    fetch_reasons: bool,
    #[pyo3(from_py_with = args::optional_float)] deadline: Option<f64>,
    resolver: Option<&Resolver>,
) -> PyResult<DnsblBulk> {
    let concurrency: usize = args::range("concurrency", concurrency, 1..=100_000)?;
    let targets = targets
        .iter()
        .map(target)
        .collect::<BindingResult<Vec<_>>>()?;
    let (dns, lists) = (dns(resolver)?, core_lists(&lists));
    let options = options(fetch_reasons, deadline)?;
    let (sender, receiver) = mpsc::channel(concurrency.saturating_mul(8));
    runtime().spawn(async move {
        let mut reports = dnsbl::check_bulk(&*dns, targets, &lists, concurrency, &options);
        while let Some(report) = reports.next().await {
            if sender.send(DnsblReport::from(report)).await.is_err() {
                break;
            }
        }
    });
    Ok(DnsblBulk {
        reports: Reports::new(receiver),
    })
}

fn health_token(health: &ZoneHealth) -> (&'static str, Option<String>) {
    match health {
        ZoneHealth::Healthy => ("healthy", None),
        ZoneHealth::Dead => ("dead", None),
        ZoneHealth::ListsEverything => ("lists-everything", None),
        ZoneHealth::Hijacked(address) => ("hijacked", Some(address.to_string())),
        ZoneHealth::Refusing(meaning) => ("refusing", Some(meaning.clone())),
        ZoneHealth::Unknown(what) => ("unknown", Some(what.clone())),
        _ => ("unknown", None),
    }
}

/// What the RFC 5782 §5 test points say about a list.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct ZoneHealthReport {
    /// The worse of the two verdicts below: `healthy`, `dead`,
    /// `lists-everything`, `hijacked`, `refusing` or `unknown`.
    status: Token,
    /// For `hijacked`, `refusing` and `unknown`: what was seen.
    detail: Option<String>,
    /// The verdict of the IPv4 (or domain) test points.
    primary: Token,
    /// The verdict of the IPv6 test points, for lists that take IPv6.
    ipv6: Option<Token>,
}

/// The list's health from its test points; awaitable.
#[pyfunction(name = "dnsbl_zone_health")]
#[pyo3(signature = (list, *, resolver = None))]
pub(crate) fn dnsbl_zone_health_async<'py>(
    py: Python<'py>,
    list: &DnsblList,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let (dns, list) = (dns(resolver)?, list.0.clone());
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        let report = dnsbl::zone_health(&*dns, &list).await;
        let (status, detail) = health_token(report.overall());
        Ok(ZoneHealthReport {
            status: status.into(),
            detail,
            primary: Token::from(health_token(&report.health).0),
            ipv6: report.ipv6.as_ref().map(|h| Token::from(health_token(h).0)),
        })
    })
}
