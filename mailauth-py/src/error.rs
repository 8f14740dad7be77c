//! The binding's one error enum and its mapping to the Python exceptions of
//! `mailauth.exceptions` (all under `MailauthError`).

use mailauth_core::dmarc::DmarcError;
use mailauth_core::dns::{ResolverError, ZoneError};
use mailauth_core::spf::ParseError as SpfParseError;
use pyo3::PyErr;

/// The Python classes of `mailauth.exceptions`, imported.
mod py {
    pyo3::import_exception!(mailauth.exceptions, ZoneParseError);
    pyo3::import_exception!(mailauth.exceptions, ResolverConfigError);
    pyo3::import_exception!(mailauth.exceptions, InvalidInputError);
    pyo3::import_exception!(mailauth.exceptions, SpfParseError);
    pyo3::import_exception!(mailauth.exceptions, DmarcParseError);
}

/// Everything the binding can raise.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BindingError {
    /// Zone text that does not parse: `ZoneParseError` (a `ValueError`).
    #[error(transparent)]
    Zone(#[from] ZoneError),
    /// A resolver that cannot be built: `ResolverConfigError`.
    #[error(transparent)]
    Resolver(#[from] ResolverError),
    /// The system's resolver (`Resolver()`, `Resolver.default()`) cannot be
    /// built: `ResolverConfigError`, saying what to use instead.
    #[error(
        "Resolver() asks the system's nameservers (/etc/resolv.conf) and cannot: {}; name nameservers with Resolver.nameservers([...]), or answer from zone text with Resolver.from_zone(text)",
        with_source(.0)
    )]
    SystemResolver(ResolverError),
    /// An SPF record that does not parse: `SpfParseError` (a `ValueError`).
    #[error(transparent)]
    Spf(#[from] SpfParseError),
    /// Text that is not a DMARC record: `DmarcParseError` (a
    /// `ValueError`); an invalid domain: `InvalidInputError`.
    #[error(transparent)]
    Dmarc(#[from] DmarcError),
    /// An argument of the wrong form: `InvalidInputError` (a `ValueError`).
    #[error("{0}")]
    InvalidInput(String),
}

impl From<BindingError> for PyErr {
    fn from(error: BindingError) -> Self {
        let message = error.to_string();
        match error {
            BindingError::Zone(e) => py::ZoneParseError::new_err((message, e.line, e.column)),
            BindingError::Resolver(e) => py::ResolverConfigError::new_err(with_source(&e)),
            BindingError::SystemResolver(_) => py::ResolverConfigError::new_err(message),
            BindingError::Spf(e) => {
                py::SpfParseError::new_err((message, e.offset(), format!("{:?}", e.kind())))
            }
            BindingError::Dmarc(DmarcError::NotDmarc { offset, reason }) => {
                py::DmarcParseError::new_err((message, offset, reason.describe()))
            }
            BindingError::Dmarc(_) => py::InvalidInputError::new_err(message),
            BindingError::InvalidInput(_) => py::InvalidInputError::new_err(message),
        }
    }
}

/// A resolver error with its cause, which Python users would not see
/// otherwise.
fn with_source(error: &ResolverError) -> String {
    match std::error::Error::source(error) {
        Some(source) => format!("{error}: {source}"),
        None => error.to_string(),
    }
}

/// The binding's result type.
pub(crate) type BindingResult<T> = Result<T, BindingError>;

#[cfg(test)]
mod tests {
    use super::*;

    /// A system resolver that cannot be built says why and what to use.
    #[test]
    fn system_resolver_errors_explain() {
        let message = BindingError::SystemResolver(ResolverError::NoNameservers).to_string();
        assert_eq!(
            message,
            "Resolver() asks the system's nameservers (/etc/resolv.conf) and cannot: no nameservers configured; \
             name nameservers with Resolver.nameservers([...]), or answer from zone text with Resolver.from_zone(text)"
        );
    }
}
