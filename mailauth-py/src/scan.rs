//! `mailauth.scan`: posture scans of many domains (`mailauth_doctor::scan`),
//! as an iterator that works both with `for` and with `async for`.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures_util::StreamExt;
use mailauth_core::dns::CacheConfig;
use mailauth_doctor::scan::{self as posture, ScanConfig, Scanner};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use tokio::sync::mpsc;

use crate::args;
use crate::pickle::to_json;
use crate::resolver::{Resolver, dns, runtime, stats_dict};
use crate::stream::Reports;

/// Domains pulled from the caller's iterable at a time: one acquisition of
/// the GIL per batch, and never more of a long list in memory than this
/// and the channel hold.
const PULL: usize = 64;

/// The scan of one domain: the defects found (stable codes such as
/// `spf.plus-all`, each with a severity), and each check's data. A section
/// is `None` when its check did not finish before the deadline.
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct DomainScan(posture::DomainScan);

/// A section as `dict` (via its JSON form), or `None`.
fn section<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: Option<&T>,
) -> PyResult<Bound<'py, PyAny>> {
    match value {
        None => Ok(py.None().into_bound(py)),
        Some(value) => py.import("json")?.call_method1("loads", (to_json(value)?,)),
    }
}

#[pymethods]
impl DomainScan {
    /// The domain as given.
    #[getter]
    fn domain(&self) -> &str {
        &self.0.domain
    }

    /// Why the domain was not scanned (not a domain name), or `None`.
    #[getter]
    fn invalid(&self) -> Option<&str> {
        self.0.invalid.as_deref()
    }

    /// The defect codes, in report order, each once.
    #[getter]
    fn defects(&self) -> Vec<&'static str> {
        self.0.defects.iter().map(|d| d.as_str()).collect()
    }

    /// The most serious defect's severity (`info`, `warning`, `error`), or
    /// `None` without a defect.
    #[getter]
    fn worst(&self) -> Option<&'static str> {
        self.0.worst().map(posture::Severity::as_str)
    }

    /// DNS questions this domain's checks asked (cache hits included).
    #[getter]
    fn queries(&self) -> u32 {
        self.0.queries
    }

    /// Milliseconds the domain took.
    #[getter]
    fn elapsed_ms(&self) -> u64 {
        self.0.elapsed_ms
    }

    /// The SPF record and its audit (DNS-querying terms over the include
    /// tree, void lookups, includes without a record, ...), as a `dict`.
    #[getter]
    fn spf<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        section(py, self.0.spf.as_ref())
    }

    /// DMARC: status, record, policy, rua and the validator's faults.
    #[getter]
    fn dmarc<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        section(py, self.0.dmarc.as_ref())
    }

    /// MX: status, null MX, and each exchange's addresses and FCrDNS.
    #[getter]
    fn mx<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        section(py, self.0.mx.as_ref())
    }

    /// The `_mta-sts` record (RFC 8461 §3.1).
    #[getter]
    fn mta_sts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        section(py, self.0.mta_sts.as_ref())
    }

    /// The `_smtp._tls` record (RFC 8460 §3).
    #[getter]
    fn tls_rpt<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        section(py, self.0.tls_rpt.as_ref())
    }

    /// The `default._bimi` record.
    #[getter]
    fn bimi<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        section(py, self.0.bimi.as_ref())
    }

    /// The named DKIM selectors' key records, a `list` of `dict`.
    #[getter]
    fn dkim<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        section(py, self.0.dkim.as_ref())
    }

    /// The report as one CSV row (RFC 4180), as `mailauth scan --csv`
    /// writes it under `DomainScan.CSV_HEADER`.
    fn to_csv_row(&self) -> String {
        self.0.to_csv_row()
    }

    /// The header row of `to_csv_row`.
    #[classattr]
    #[allow(non_snake_case)]
    fn CSV_HEADER() -> &'static str {
        posture::DomainScan::CSV_HEADER
    }

    fn __repr__(&self) -> String {
        format!(
            "DomainScan(domain={:?}, defects={:?})",
            self.0.domain,
            self.defects()
        )
    }
}

/// What `scan` returns: the reports in completion order, through
/// `for report in ...` (blocking, the GIL released while waiting) or
/// `async for report in ...`. Dropping it stops the scan.
#[pyclass(frozen, module = "mailauth")]
pub(crate) struct ScanStream {
    reports: Reports<DomainScan>,
    /// Why the domain list stopped early (an item that is not `str`, or an
    /// exception of the caller's iterator): raised by the next step.
    failed: Arc<Mutex<Option<PyErr>>>,
    scanner: Scanner,
}

impl ScanStream {
    fn raise_failure(&self) -> PyResult<()> {
        match self
            .failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

#[pymethods]
impl ScanStream {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// The next report, waiting with the GIL released.
    fn __next__(&self, py: Python<'_>) -> PyResult<Option<DomainScan>> {
        self.raise_failure()?;
        let next = self.reports.next_blocking(py);
        self.raise_failure()?;
        Ok(next)
    }

    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// The next report, awaitable; `StopAsyncIteration` after the last.
    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.raise_failure()?;
        self.reports.anext(py)
    }

    /// The shared DNS cache's counters so far (`hits`, `misses`,
    /// `coalesced`, `evictions`, `entries`), or `None` without a cache.
    #[getter]
    fn cache_stats<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.scanner
            .cache_stats()
            .map(|stats| stats_dict(py, stats))
            .transpose()
    }

    fn __repr__(&self) -> &'static str {
        "ScanStream(...)"
    }
}

/// Pulls the caller's domains on a blocking thread, a batch per GIL
/// acquisition, into `sender`, until the iterable ends, the scan is
/// dropped, or an item is not a `str` (the error goes to `failed`).
fn feed(domains: Py<PyAny>, sender: mpsc::Sender<String>, failed: Arc<Mutex<Option<PyErr>>>) {
    let mut index = 0usize;
    loop {
        let batch: PyResult<Vec<String>> = Python::attach(|py| {
            let iterator = domains.bind(py);
            let mut batch = Vec::with_capacity(PULL);
            while batch.len() < PULL {
                let Some(item) = iterator.call_method0("__next__").map(Some).or_else(|e| {
                    if e.is_instance_of::<pyo3::exceptions::PyStopIteration>(py) {
                        Ok(None)
                    } else {
                        Err(e)
                    }
                })?
                else {
                    break;
                };
                let domain = item.cast::<PyString>().map_err(|_| {
                    let kind = item
                        .get_type()
                        .name()
                        .map_or_else(|_| "?".to_owned(), |n| n.to_string());
                    PyTypeError::new_err(format!("domains must be str; item {index} is {kind}"))
                })?;
                batch.push(domain.to_cow()?.into_owned());
                index += 1;
            }
            Ok(batch)
        });
        let batch = match batch {
            Ok(batch) => batch,
            Err(error) => {
                *failed.lock().unwrap_or_else(PoisonError::into_inner) = Some(error);
                return;
            }
        };
        let last = batch.len() < PULL;
        for domain in batch {
            if sender.blocking_send(domain).is_err() {
                return;
            }
        }
        if last {
            return;
        }
    }
}

/// Scans the mail-authentication posture of many domains: SPF and its
/// audit, DMARC, MX with null MX and each exchange's FCrDNS, MTA-STS,
/// TLS-RPT, BIMI, and the DKIM keys of `dkim_selectors`. `domains` is any
/// iterable of `str` (a list, a generator, an open file's stripped lines),
/// read as the scan goes; a single `str` is one domain. At most
/// `concurrency` domains run at once, each within `deadline` seconds;
/// every check shares one DNS cache with in-flight coalescing unless
/// `cache` is false. Iterate the result with `for` or `async for`.
#[pyfunction]
#[pyo3(signature = (domains, *, concurrency = 64, deadline = 30.0, dkim_selectors = Vec::new(), cache = true,
                    mx_hosts = 5, mx_addresses = 4, resolver = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn scan(
    py: Python<'_>,
    domains: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = args::int)] concurrency: i128,
    #[pyo3(from_py_with = args::float)] deadline: f64,
    #[pyo3(from_py_with = args::dkim_selectors)] dkim_selectors: Vec<String>,
    cache: bool,
    #[pyo3(from_py_with = args::int)] mx_hosts: i128,
    #[pyo3(from_py_with = args::int)] mx_addresses: i128,
    resolver: Option<&Resolver>,
) -> PyResult<ScanStream> {
    let concurrency: usize = args::range("concurrency", concurrency, 1..=100_000)?;
    let deadline: Duration = args::seconds("deadline", deadline, false)?;
    let mx_hosts: usize = args::range("mx_hosts", mx_hosts, 0..=100)?;
    let mx_addresses: usize = args::range("mx_addresses", mx_addresses, 0..=100)?;
    let iterator = if domains.is_instance_of::<PyString>() {
        (domains,).into_pyobject(py)?.into_any().try_iter()?
    } else if domains.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(
            "domains must be str or an iterable of str, not bytes",
        ));
    } else {
        domains.try_iter().map_err(|_| {
            PyTypeError::new_err(
                "domains must be an iterable of str (a list, a generator, a file's lines)",
            )
        })?
    };
    let config = ScanConfig::default()
        .concurrency(concurrency)
        .deadline(deadline)
        .dkim_selectors(dkim_selectors)
        .mx_limits(mx_hosts, mx_addresses)
        .cache(cache.then(CacheConfig::default));
    let scanner = Scanner::new(dns(resolver)?, config);
    let failed = Arc::new(Mutex::new(None));
    let (domain_sender, mut domain_receiver) = mpsc::channel::<String>(PULL * 4);
    let iterator = iterator.into_any().unbind();
    let feeder_failed = Arc::clone(&failed);
    runtime().spawn_blocking(move || feed(iterator, domain_sender, feeder_failed));
    let (sender, receiver) = mpsc::channel(concurrency.saturating_mul(4).max(PULL));
    let domains = futures_util::stream::poll_fn(move |cx| domain_receiver.poll_recv(cx));
    let mut reports = scanner.scan_stream(domains);
    runtime().spawn(async move {
        while let Some(report) = reports.next().await {
            if sender.send(DomainScan(report)).await.is_err() {
                break;
            }
        }
    });
    Ok(ScanStream {
        reports: Reports::new(receiver),
        failed,
        scanner,
    })
}
