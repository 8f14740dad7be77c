//! `mailauth.authenticate`: SPF, DKIM, iprev and DMARC for one received
//! message, and its `Authentication-Results:` field.

use std::sync::Arc;

use mailauth_core::auth::{self, AuthConfig, Envelope};
use mailauth_core::dns::DnsResolver;
use pyo3::prelude::*;

use crate::args;
use crate::error::BindingResult;
use crate::resolver::{Resolver, dns, ip_from_py, runtime};

/// What the whole-message authentication concluded.
#[pyclass(frozen, module = "mailauth")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct AuthOutput(Arc<auth::AuthOutput>);

#[pymethods]
impl AuthOutput {
    /// The `Authentication-Results:` field, name included, folded, ending
    /// in CRLF: header-safe whatever the message holds.
    #[getter]
    fn authentication_results(&self) -> String {
        self.0.authentication_results()
    }

    /// The From domain, or `None` when the message has no single one.
    #[getter(from_domain)]
    fn author_domain(&self) -> Option<String> {
        self.0.from_domain.as_ref().ok().cloned()
    }

    /// Why there is no single From domain, or `None`.
    #[getter(from_error)]
    fn author_domain_error(&self) -> Option<String> {
        self.0.from_domain.as_ref().err().map(ToString::to_string)
    }

    /// SPF for the MAIL FROM identity (the HELO identity for `<>`).
    #[getter]
    fn spf(&self) -> crate::spf::SpfOutput {
        let e = &self.0.envelope;
        crate::spf::SpfOutput::mail_from(self.0.spf.clone(), e.ip, &e.helo, &e.mail_from)
    }

    /// Every DKIM signature.
    #[getter]
    fn dkim(&self) -> crate::dkim::DkimOutput {
        crate::dkim::DkimOutput(self.0.dkim.clone())
    }

    /// DMARC with the real DKIM results, or `None` without a single From
    /// domain.
    #[getter]
    fn dmarc(&self) -> Option<crate::dmarc::DmarcOutput> {
        self.0.dmarc.clone().map(crate::dmarc::DmarcOutput)
    }

    /// iprev of the client.
    #[getter]
    fn iprev(&self) -> crate::checks::IprevOutput {
        crate::checks::IprevOutput(self.0.iprev.clone())
    }

    fn __repr__(&self) -> String {
        format!(
            "AuthOutput(spf={}, dkim={}, dmarc={})",
            self.0.spf.result,
            self.0.dkim.result(),
            self.0
                .dmarc
                .as_ref()
                .map_or("none".to_owned(), |d| d.result.to_string())
        )
    }
}

async fn run_authenticate(
    dns: Arc<dyn DnsResolver>,
    message: Vec<u8>,
    envelope: Envelope,
    config: Arc<AuthConfig>,
) -> AuthOutput {
    AuthOutput(Arc::new(
        auth::authenticate(&*dns, &message, &envelope, &config).await,
    ))
}

fn auth_input(
    message: &Bound<'_, PyAny>,
    ip: &Bound<'_, PyAny>,
    helo: String,
    mail_from: String,
    authserv_id: String,
    max_signatures: i128,
) -> BindingResult<(Vec<u8>, Envelope, Arc<AuthConfig>)> {
    let envelope = Envelope::new(ip_from_py(ip)?, helo, mail_from);
    let config = AuthConfig::new(authserv_id).dkim(crate::dkim::config(max_signatures, None)?);
    Ok((
        crate::dkim::message_bytes(message)?,
        envelope,
        Arc::new(config),
    ))
}

/// Authenticates a received message, awaitable: SPF (MAIL FROM, or HELO
/// for an empty `mail_from`), every DKIM signature and iprev at once, then
/// DMARC from the From domain with the real DKIM results. The result's
/// `authentication_results` is the field to add, with `authserv_id` (the
/// receiving host's name, never taken from the message).
#[pyfunction(name = "authenticate")]
#[pyo3(signature = (message, ip, helo, mail_from, *, authserv_id, max_signatures = 5, resolver = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn authenticate_async<'py>(
    py: Python<'py>,
    message: &Bound<'py, PyAny>,
    ip: &Bound<'py, PyAny>,
    helo: String,
    mail_from: String,
    authserv_id: String,
    #[pyo3(from_py_with = args::int)] max_signatures: i128,
    resolver: Option<&Resolver>,
) -> PyResult<Bound<'py, PyAny>> {
    let (message, envelope, config) =
        auth_input(message, ip, helo, mail_from, authserv_id, max_signatures)?;
    let dns = dns(resolver)?;
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        Ok(run_authenticate(dns, message, envelope, config).await)
    })
}

/// `authenticate`, blocking (GIL released).
#[pyfunction]
#[pyo3(signature = (message, ip, helo, mail_from, *, authserv_id, max_signatures = 5, resolver = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn authenticate_sync(
    py: Python<'_>,
    message: &Bound<'_, PyAny>,
    ip: &Bound<'_, PyAny>,
    helo: String,
    mail_from: String,
    authserv_id: String,
    #[pyo3(from_py_with = args::int)] max_signatures: i128,
    resolver: Option<&Resolver>,
) -> PyResult<AuthOutput> {
    let (message, envelope, config) =
        auth_input(message, ip, helo, mail_from, authserv_id, max_signatures)?;
    let dns = dns(resolver)?;
    Ok(py.detach(|| runtime().block_on(run_authenticate(dns, message, envelope, config))))
}
