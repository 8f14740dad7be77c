//! `mailauth.DmarcRecord`, `dmarc_discover`, `dmarc_evaluate`,
//! `dmarc_report_destinations` and their result classes (RFC 9989,
//! RFC 9990 §3).

use std::sync::Arc;

use mailauth_core::dmarc::{self, DestinationStatus, DiscoveryOutcome, DmarcAtName, DmarcInput};
use mailauth_core::dns::DnsResolver;
use pyo3::prelude::*;

use crate::pickle::Token;

use crate::args;
use crate::error::{BindingError, BindingResult};
use crate::resolver::{Resolver, dns, runtime};
use crate::spf::SpfResult;

/// The DMARC result (RFC 9989 §9.2).
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum DmarcResult {
    /// An authenticated identifier is aligned.
    #[pyo3(name = "PASS")]
    Pass,
    /// A policy exists and nothing aligned passed.
    #[pyo3(name = "FAIL")]
    Fail,
    /// No policy applies.
    #[pyo3(name = "NONE")]
    None,
    /// A DNS failure.
    #[pyo3(name = "TEMPERROR")]
    TempError,
    /// The author domain is invalid.
    #[pyo3(name = "PERMERROR")]
    PermError,
}

impl From<dmarc::DmarcResult> for DmarcResult {
    fn from(result: dmarc::DmarcResult) -> Self {
        match result {
            dmarc::DmarcResult::Pass => Self::Pass,
            dmarc::DmarcResult::Fail => Self::Fail,
            dmarc::DmarcResult::None => Self::None,
            dmarc::DmarcResult::TempError => Self::TempError,
            dmarc::DmarcResult::PermError => Self::PermError,
        }
    }
}

impl DmarcResult {
    fn core(self) -> dmarc::DmarcResult {
        match self {
            Self::Pass => dmarc::DmarcResult::Pass,
            Self::Fail => dmarc::DmarcResult::Fail,
            Self::None => dmarc::DmarcResult::None,
            Self::TempError => dmarc::DmarcResult::TempError,
            Self::PermError => dmarc::DmarcResult::PermError,
        }
    }
}

#[pymethods]
impl DmarcResult {
    /// The RFC token: `pass`, `fail`, `none`, `temperror`, `permerror`.
    pub(crate) fn __str__(&self) -> &'static str {
        self.core().as_str()
    }
}

/// One `rua`/`ruf` destination.
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct ReportUri {
    /// The URI as written, without `!size`.
    #[pyo3(get)]
    uri: String,
    /// `mailto` or `https`.
    #[pyo3(get)]
    scheme: Token,
    /// The destination host (lower case).
    #[pyo3(get)]
    host: String,
    /// For `mailto`: the mailbox.
    #[pyo3(get)]
    address: Option<String>,
    /// The obsolete `!size` suffix, if any.
    #[pyo3(get)]
    size_limit: Option<String>,
    /// The URI as published: the core's `Display`, `!size` included.
    text: String,
}

impl From<&dmarc::ReportUri> for ReportUri {
    fn from(uri: &dmarc::ReportUri) -> Self {
        let (scheme, address) = match &uri.target {
            dmarc::ReportTarget::Mailto { address } => ("mailto", Some(address.clone())),
            dmarc::ReportTarget::Https => ("https", None),
        };
        Self {
            uri: uri.uri.clone(),
            scheme: scheme.into(),
            host: uri.host.clone(),
            address,
            size_limit: uri.size_limit.clone(),
            text: uri.to_string(),
        }
    }
}

#[pymethods]
impl ReportUri {
    fn __str__(&self) -> &str {
        &self.text
    }

    fn __repr__(&self) -> String {
        format!("ReportUri({:?})", self.text)
    }
}

fn uris(list: &[dmarc::ReportUri]) -> Vec<ReportUri> {
    list.iter().map(ReportUri::from).collect()
}

fn policy_token(policy: Option<dmarc::Policy>) -> Option<&'static str> {
    policy.map(dmarc::Policy::as_str)
}

/// A DMARC record (RFC 9989 §4.7), as receivers read it.
#[pyclass(frozen, eq, hash, module = "mailauth")]
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct DmarcRecord(dmarc::DmarcRecord);

#[pymethods]
impl DmarcRecord {
    /// Receiver mode: raises `DmarcParseError` (a `ValueError`) with
    /// `.offset` and `.reason` only when the text is not DMARC at all.
    #[staticmethod]
    fn parse(text: &str) -> PyResult<Self> {
        Ok(Self(
            dmarc::DmarcRecord::parse(text).map_err(BindingError::from)?,
        ))
    }

    /// Validator mode: the record (or None) and every diagnostic.
    #[staticmethod]
    fn validate(text: &str) -> DmarcValidation {
        DmarcValidation::from(dmarc::DmarcRecord::validate(text))
    }

    /// `p` as published (None when absent or invalid).
    #[getter]
    fn p(&self) -> Option<&'static str> {
        policy_token(self.0.p)
    }

    /// `sp` as published.
    #[getter]
    fn sp(&self) -> Option<&'static str> {
        policy_token(self.0.sp)
    }

    /// `np` as published.
    #[getter]
    fn np(&self) -> Option<&'static str> {
        policy_token(self.0.np)
    }

    /// The policy for the domain: `p`, else `none` with a valid `rua`,
    /// else None (no DMARC policy applies).
    #[getter]
    fn policy(&self) -> Option<&'static str> {
        policy_token(self.0.policy())
    }

    /// The policy for existing subdomains (`sp`, else the policy).
    #[getter]
    fn subdomain_policy(&self) -> Option<&'static str> {
        policy_token(self.0.subdomain_policy())
    }

    /// The policy for non-existent subdomains (`np`, `sp`, the policy).
    #[getter]
    fn nonexistent_policy(&self) -> Option<&'static str> {
        policy_token(self.0.nonexistent_policy())
    }

    /// DKIM alignment: `r` or `s`.
    #[getter]
    fn adkim(&self) -> &'static str {
        self.0.dkim_alignment().as_str()
    }

    /// SPF alignment: `r` or `s`.
    #[getter]
    fn aspf(&self) -> &'static str {
        self.0.spf_alignment().as_str()
    }

    /// Failure-reporting options, e.g. `0` or `1:d`.
    #[getter]
    fn fo(&self) -> String {
        self.0.failure_options().to_string()
    }

    /// Aggregate-report destinations.
    #[getter]
    fn rua(&self) -> Vec<ReportUri> {
        uris(&self.0.rua)
    }

    /// Failure-report destinations.
    #[getter]
    fn ruf(&self) -> Vec<ReportUri> {
        uris(&self.0.ruf)
    }

    /// `y`, `n` or `u`.
    #[getter]
    fn psd(&self) -> &'static str {
        self.0.psd_flag().as_str()
    }

    /// Test mode (`t=y`).
    #[getter]
    fn testing(&self) -> bool {
        self.0.testing()
    }

    /// The obsolete RFC 7489 `pct`, if published.
    #[getter]
    fn pct(&self) -> Option<u8> {
        self.0.rfc7489.pct
    }

    /// The obsolete RFC 7489 `rf`, if published.
    #[getter]
    fn rf(&self) -> Option<String> {
        self.0.rfc7489.rf.clone()
    }

    /// The obsolete RFC 7489 `ri`, if published.
    #[getter]
    fn ri(&self) -> Option<u32> {
        self.0.rfc7489.ri
    }

    /// The canonical text.
    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!("DmarcRecord({:?})", self.0.to_string())
    }
}

/// One validator finding.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct DmarcDiagnostic {
    /// Byte offset in the record text.
    offset: usize,
    /// `error` or `warning`.
    severity: Token,
    /// What kind of finding, e.g. `invalid_value`, `obsolete_tag`.
    kind: Token,
    /// The tag concerned, if any.
    tag: Option<String>,
    /// A sentence saying what was found.
    message: String,
}

impl From<&dmarc::Diagnostic> for DmarcDiagnostic {
    fn from(d: &dmarc::Diagnostic) -> Self {
        use dmarc::DiagnosticKind as K;
        let (kind, tag) = match &d.kind {
            K::NotDmarc { .. } => ("not_dmarc", None),
            K::EmptyTag => ("empty_tag", None),
            K::InvalidTagName => ("invalid_tag_name", None),
            K::MissingEquals { tag } => ("missing_equals", Some(tag)),
            K::EmptyValue { tag } => ("empty_value", Some(tag)),
            K::InvalidCharacter { tag } => ("invalid_character", Some(tag)),
            K::InvalidValue { tag, .. } => ("invalid_value", Some(tag)),
            K::DuplicateTag { tag } => ("duplicate_tag", Some(tag)),
            K::UnknownTag { tag } => ("unknown_tag", Some(tag)),
            K::ObsoleteTag { tag } => ("obsolete_tag", Some(tag)),
            K::ObsoleteSizeLimit => ("obsolete_size_limit", None),
            K::InvalidUri { tag, .. } => ("invalid_uri", Some(tag)),
            K::PolicyDiscarded { tag } => ("policy_discarded", Some(tag)),
            K::NoPolicy => ("no_policy", None),
            K::PolicyFromRua => ("policy_from_rua", None),
            K::MonitoringOnly => ("monitoring_only", None),
            K::NoAggregateReports => ("no_aggregate_reports", None),
            K::FailureOptionsWithoutRuf => ("failure_options_without_ruf", None),
            _ => ("other", None),
        };
        Self {
            offset: d.offset,
            severity: Token::from(d.severity.as_str()),
            kind: kind.into(),
            tag: tag.cloned(),
            message: d.kind.to_string(),
        }
    }
}

#[pymethods]
impl DmarcDiagnostic {
    fn __str__(&self) -> String {
        format!(
            "{} at byte {}: {}",
            self.severity, self.offset, self.message
        )
    }

    fn __repr__(&self) -> String {
        format!("DmarcDiagnostic({:?})", self.__str__())
    }
}

fn diagnostics(list: &[dmarc::Diagnostic]) -> Vec<DmarcDiagnostic> {
    list.iter().map(DmarcDiagnostic::from).collect()
}

/// A record checked in validator mode.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct DmarcValidation {
    /// The record as receivers read it; None if the text is not DMARC.
    record: Option<DmarcRecord>,
    /// Every error and warning, with byte offsets.
    diagnostics: Vec<DmarcDiagnostic>,
    /// A DMARC record without errors.
    is_valid: bool,
}

impl From<dmarc::Validation> for DmarcValidation {
    fn from(v: dmarc::Validation) -> Self {
        Self {
            is_valid: v.is_valid(),
            diagnostics: diagnostics(&v.diagnostics),
            record: v.record.map(DmarcRecord),
        }
    }
}

#[pymethods]
impl DmarcValidation {
    fn __repr__(&self) -> String {
        format!(
            "DmarcValidation(is_valid={}, {} diagnostics)",
            if self.is_valid { "True" } else { "False" },
            self.diagnostics.len()
        )
    }
}

/// Policy discovery for one domain (RFC 9989 §4.10).
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct DmarcDiscovery(dmarc::PolicyDiscovery);

#[pymethods]
impl DmarcDiscovery {
    /// The domain, as its lower-case A-label.
    #[getter]
    fn domain(&self) -> String {
        self.0.domain.clone()
    }

    /// Its Organizational Domain (§4.10.2); `None` when a query of the
    /// walk failed or the walk was not needed (an evaluation stops at a
    /// record at the Author Domain unless an alignment needs more).
    #[getter]
    fn organizational_domain(&self) -> Option<String> {
        self.0.organizational_domain.clone()
    }

    /// The walk's query that failed, as `name: error`, if one did; with a
    /// record at the domain itself the policy is still known.
    #[getter]
    fn walk_error(&self) -> Option<String> {
        self.0
            .walk_error
            .as_ref()
            .map(|e| format!("{}: {}", e.name, e.error))
    }

    /// `found`, `no_record` or `temperror`.
    #[getter]
    fn outcome(&self) -> &'static str {
        match &self.0.outcome {
            DiscoveryOutcome::Found(_) => "found",
            DiscoveryOutcome::NoRecord => "no_record",
            _ => "temperror",
        }
    }

    /// For `temperror`: the failed name and how it failed.
    #[getter]
    fn error(&self) -> Option<String> {
        match &self.0.outcome {
            DiscoveryOutcome::TempError { name, error } => Some(format!("{name}: {error}")),
            _ => None,
        }
    }

    /// The domain that published the applicable record.
    #[getter]
    fn policy_domain(&self) -> Option<String> {
        self.0.policy().map(|p| p.policy_domain.clone())
    }

    /// `author_domain`, `organizational_domain` or
    /// `public_suffix_domain`.
    #[getter]
    fn source(&self) -> Option<&'static str> {
        self.0.policy().map(|p| p.source.as_str())
    }

    /// The applicable record.
    #[getter]
    fn record(&self) -> Option<DmarcRecord> {
        self.0.policy().map(|p| DmarcRecord(p.record.clone()))
    }

    /// The validator's findings about that record.
    #[getter]
    fn diagnostics(&self) -> Vec<DmarcDiagnostic> {
        self.0
            .policy()
            .map(|p| diagnostics(&p.diagnostics))
            .unwrap_or_default()
    }

    /// For `sp`/`np`: whether the domain exists (None if not asked).
    #[getter]
    fn author_domain_exists(&self) -> Option<bool> {
        self.0.policy().and_then(|p| p.author_domain_exists)
    }

    /// `p`, `sp` or `np` as the record declares it for the domain.
    #[getter]
    fn declared_policy(&self) -> Option<&'static str> {
        policy_token(self.0.policy().and_then(|p| p.declared_policy))
    }

    /// The policy to apply to failing mail (after `t=y`).
    #[getter]
    fn applied_policy(&self) -> Option<&'static str> {
        policy_token(self.0.policy().and_then(|p| p.applied_policy))
    }

    /// The tree walk: `(domain, status)` with status `none`, `record` or
    /// `discarded` (several DMARC records at the name).
    #[getter]
    fn walk(&self) -> Vec<(String, &'static str)> {
        self.0
            .walk
            .iter()
            .map(|step| {
                let status = match step.found {
                    DmarcAtName::Record { .. } => "record",
                    DmarcAtName::Discarded { .. } => "discarded",
                    _ => "none",
                };
                (step.domain.clone(), status)
            })
            .collect()
    }

    /// Every DNS query sent, as `TYPE name`.
    #[getter]
    fn queries(&self) -> Vec<String> {
        self.0
            .queries
            .iter()
            .map(|q| format!("{} {}", q.record_type.as_str(), q.name))
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "DmarcDiscovery({} -> {}, {} queries)",
            self.0.domain,
            self.outcome(),
            self.0.queries.len()
        )
    }
}

/// One identifier's authentication and alignment.
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct IdentifierCheck {
    /// The identifier's domain.
    domain: String,
    /// SPF passed / the DKIM signature verified.
    authenticated: bool,
    /// `r` or `s`.
    mode: Token,
    /// `identical`, `relaxed`, `not_aligned`, `temperror` or `not_checked`
    /// (it could not change the result).
    alignment: Token,
    /// Authenticated and aligned.
    passes: bool,
}

impl From<&dmarc::IdentifierCheck> for IdentifierCheck {
    fn from(c: &dmarc::IdentifierCheck) -> Self {
        Self {
            domain: c.domain.clone(),
            authenticated: c.authenticated,
            mode: Token::from(c.mode.as_str()),
            alignment: Token::from(c.alignment.as_str()),
            passes: c.passes(),
        }
    }
}

#[pymethods]
impl IdentifierCheck {
    fn __repr__(&self) -> String {
        format!(
            "IdentifierCheck({}, authenticated={}, alignment={})",
            self.domain,
            if self.authenticated { "True" } else { "False" },
            self.alignment
        )
    }
}

/// The DMARC evaluation of one message.
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct DmarcOutput(pub(crate) dmarc::DmarcOutput);

#[pymethods]
impl DmarcOutput {
    /// The result.
    #[getter]
    fn result(&self) -> DmarcResult {
        self.0.result.into()
    }

    /// The RFC5322.From domain as given.
    #[getter(from_domain)]
    fn author_domain(&self) -> String {
        self.0.from_domain.clone()
    }

    /// Policy discovery (None for an invalid author domain).
    #[getter]
    fn discovery(&self) -> Option<DmarcDiscovery> {
        self.0.discovery.clone().map(DmarcDiscovery)
    }

    /// The SPF identifier, if given.
    #[getter]
    fn spf(&self) -> Option<IdentifierCheck> {
        self.0.spf.as_ref().map(IdentifierCheck::from)
    }

    /// The DKIM identifiers.
    #[getter]
    fn dkim(&self) -> Vec<IdentifierCheck> {
        self.0.dkim.iter().map(IdentifierCheck::from).collect()
    }

    /// The policy to apply to failing mail (after `t=y`), if any.
    #[getter]
    fn applied_policy(&self) -> Option<&'static str> {
        policy_token(self.0.applied_policy())
    }

    /// What to do with this message: the applied policy on `fail`, else
    /// `none`.
    #[getter]
    fn disposition(&self) -> &'static str {
        self.0.disposition.as_str()
    }

    /// `dmarc=... header.from=... policy.dmarc=...`.
    fn authentication_results(&self) -> String {
        self.0.authentication_results()
    }

    fn __repr__(&self) -> String {
        format!(
            "DmarcOutput({} for {}, disposition {})",
            self.0.result, self.0.from_domain, self.0.disposition
        )
    }
}

/// One report destination's authorisation (RFC 9990 §3).
#[pyclass(frozen, get_all, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct ReportDestination {
    /// `rua` or `ruf`.
    tag: Token,
    /// The destination as published.
    uri: ReportUri,
    /// `same_organization`, `authorized`, `overridden`, `not_authorized`,
    /// `override_rejected`, `not_checked` (past the first 32) or
    /// `temperror`.
    status: Token,
    /// Whether reports may go there (or to its override).
    authorized: bool,
    /// The `_report._dmarc` name asked, if any.
    record_name: Option<String>,
    /// For `overridden`: where reports go instead.
    overrides: Vec<ReportUri>,
    /// For `temperror`: the DNS outcome.
    error: Option<String>,
}

impl From<&dmarc::ReportDestination> for ReportDestination {
    fn from(d: &dmarc::ReportDestination) -> Self {
        let (status, record_name, overrides, error) = match &d.status {
            DestinationStatus::SameOrganization => ("same_organization", None, Vec::new(), None),
            DestinationStatus::Authorized { record_name } => {
                ("authorized", Some(record_name.clone()), Vec::new(), None)
            }
            DestinationStatus::Overridden {
                record_name,
                uris: list,
            } => ("overridden", Some(record_name.clone()), uris(list), None),
            DestinationStatus::NotAuthorized { record_name } => {
                ("not_authorized", record_name.clone(), Vec::new(), None)
            }
            DestinationStatus::NotChecked => ("not_checked", None, Vec::new(), None),
            DestinationStatus::OverrideRejected { record_name } => (
                "override_rejected",
                Some(record_name.clone()),
                Vec::new(),
                None,
            ),
            DestinationStatus::TempError { record_name, error } => (
                "temperror",
                Some(record_name.clone()),
                Vec::new(),
                Some(error.to_string()),
            ),
            _ => ("temperror", None, Vec::new(), None),
        };
        Self {
            tag: Token::from(d.tag.as_str()),
            uri: ReportUri::from(&d.uri),
            status: status.into(),
            authorized: d.status.is_authorized(),
            record_name,
            overrides,
            error,
        }
    }
}

#[pymethods]
impl ReportDestination {
    fn __repr__(&self) -> String {
        format!(
            "ReportDestination({} {} {})",
            self.tag, self.uri.uri, self.status
        )
    }
}

/// The evaluation input from Python arguments; the SPF result is an
/// `SpfResult` or its token (`"pass"`, ...).
fn input(
    from_domain: String,
    spf: Option<(String, Bound<'_, PyAny>)>,
    dkim: Vec<(String, bool)>,
) -> BindingResult<DmarcInput> {
    let mut input = DmarcInput::new(from_domain);
    if let Some((domain, result)) = spf {
        let result = if let Ok(result) = result.cast::<SpfResult>() {
            result.get().core()
        } else {
            let token: String = result.extract().map_err(|_| {
                BindingError::InvalidInput(
                    "the SPF result must be an SpfResult or its token".into(),
                )
            })?;
            args::token("the SPF result", &token)?
        };
        input = input.spf(domain, result);
    }
    Ok(dkim
        .into_iter()
        .fold(input, |input, (domain, pass)| input.dkim(domain, pass)))
}

async fn run_discover(dns: Arc<dyn DnsResolver>, domain: String) -> BindingResult<DmarcDiscovery> {
    Ok(DmarcDiscovery(
        dmarc::discover_policy(&*dns, &domain).await?,
    ))
}

async fn run_evaluate(dns: Arc<dyn DnsResolver>, input: DmarcInput) -> DmarcOutput {
    DmarcOutput(dmarc::evaluate(&*dns, &input).await)
}

async fn run_destinations(
    dns: Arc<dyn DnsResolver>,
    policy_domain: String,
    record: dmarc::DmarcRecord,
) -> BindingResult<Vec<ReportDestination>> {
    let list = dmarc::authorize_report_destinations(&*dns, &policy_domain, &record).await?;
    Ok(list.iter().map(ReportDestination::from).collect())
}

/// Policy discovery for `domain`, awaitable; raises `InvalidInputError` for
/// an invalid domain.
#[pyfunction(name = "dmarc_discover")]
#[pyo3(signature = (domain, *, resolver = None))]
pub(crate) fn dmarc_discover_async<'py>(
    py: Python<'py>,
    domain: String,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let dns = dns(resolver)?;
    pyo3_async_runtimes::tokio::future_into_py(
        py,
        async move { Ok(run_discover(dns, domain).await?) },
    )
}

/// `dmarc_discover`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (domain, *, resolver = None))]
pub(crate) fn dmarc_discover_sync(
    py: Python<'_>,
    domain: String,
    resolver: Option<&Resolver>,
) -> PyResult<DmarcDiscovery> {
    let dns = dns(resolver)?;
    Ok(py.detach(|| runtime().block_on(run_discover(dns, domain)))?)
}

/// DMARC evaluation of one message, awaitable. `spf`: `(domain, SpfResult)`;
/// `dkim`: `(signing domain, verified)` pairs.
#[pyfunction(name = "dmarc_evaluate")]
#[pyo3(signature = (from_domain, *, spf = None, dkim = Vec::new(), resolver = None))]
pub(crate) fn dmarc_evaluate_async<'py>(
    py: Python<'py>,
    from_domain: String,
    spf: Option<(String, Bound<'py, PyAny>)>,
    #[pyo3(from_py_with = args::dkim)] dkim: Vec<(String, bool)>,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let (dns, input) = (dns(resolver)?, input(from_domain, spf, dkim)?);
    pyo3_async_runtimes::tokio::future_into_py(
        py,
        async move { Ok(run_evaluate(dns, input).await) },
    )
}

/// `dmarc_evaluate`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (from_domain, *, spf = None, dkim = Vec::new(), resolver = None))]
pub(crate) fn dmarc_evaluate_sync(
    py: Python<'_>,
    from_domain: String,
    spf: Option<(String, Bound<'_, PyAny>)>,
    #[pyo3(from_py_with = args::dkim)] dkim: Vec<(String, bool)>,
    resolver: Option<&Resolver>,
) -> PyResult<DmarcOutput> {
    let (dns, input) = (dns(resolver)?, input(from_domain, spf, dkim)?);
    Ok(py.detach(|| runtime().block_on(run_evaluate(dns, input))))
}

/// RFC 9990 §3 authorisation of each `rua`/`ruf` destination of `record`
/// as published by `policy_domain`, awaitable.
#[pyfunction(name = "dmarc_report_destinations")]
#[pyo3(signature = (policy_domain, record, *, resolver = None))]
pub(crate) fn dmarc_report_destinations_async<'py>(
    py: Python<'py>,
    policy_domain: String,
    record: &DmarcRecord,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let (dns, record) = (dns(resolver)?, record.0.clone());
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        Ok(run_destinations(dns, policy_domain, record).await?)
    })
}

/// `dmarc_report_destinations`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (policy_domain, record, *, resolver = None))]
pub(crate) fn dmarc_report_destinations_sync(
    py: Python<'_>,
    policy_domain: String,
    record: &DmarcRecord,
    resolver: Option<&Resolver>,
) -> PyResult<Vec<ReportDestination>> {
    let (dns, record) = (dns(resolver)?, record.0.clone());
    Ok(py.detach(|| runtime().block_on(run_destinations(dns, policy_domain, record)))?)
}
