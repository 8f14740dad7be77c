//! Results and configuration that travel: pickling (and so `copy` and
//! `copy.deepcopy`, multiprocessing, Dask and Ray), `to_json()` and
//! `to_dict()`, all from one serde form per class.
//!
//! A class pickles as `(_restore, (class name, its JSON))`; `_restore`
//! knows every class by name, so unpickling builds nothing else.

use std::borrow::Cow;

use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::error::BindingError;

/// A token or code a result holds: the core's `&'static str` when built
/// from a result, an owned string when restored from a pickle.
pub(crate) type Token = Cow<'static, str>;

/// The JSON form of `value`.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| BindingError::InvalidInput(e.to_string()).into())
}

fn from_json<T: serde::de::DeserializeOwned>(name: &str, state: &str) -> PyResult<T> {
    serde_json::from_str(state).map_err(|e| {
        BindingError::InvalidInput(format!("cannot restore a {name} from its pickle: {e}")).into()
    })
}

/// `__reduce__`, `to_json` and `to_dict` for each class, and the
/// `_restore` that rebuilds any of them.
macro_rules! travel {
    (@reduce $($module:ident :: $class:ident)*) => {$(
        #[allow(clippy::wrong_self_convention)]
        #[pymethods]
        impl crate::$module::$class {
            /// Pickling: the class name and the serde form.
            fn __reduce__<'py>(
                &self,
                py: Python<'py>,
            ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
                let restore = py.import("mailauth._mailauth")?.getattr("_restore")?;
                Ok((restore, (stringify!($class), to_json(self)?)))
            }

            /// The object as `dict`, `list`, `str`, `int`, `bool` and
            /// `None`: its JSON form.
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                py.import("json")?.call_method1("loads", (self.to_json()?,))
            }
        }
    )*};
    (
        json: [$($module:ident :: $class:ident),* $(,)?],
        own_json: [$($own_module:ident :: $own_class:ident),* $(,)?] $(,)?
    ) => {
        $(
            // Python methods take `&self` whatever the type; the enums are Copy.
            #[allow(clippy::wrong_self_convention)]
            #[pymethods]
            impl crate::$module::$class {
                /// The object as JSON text.
                fn to_json(&self) -> PyResult<String> {
                    to_json(self)
                }
            }
        )*
        travel!(@reduce $($module::$class)* $($own_module::$own_class)*);

        /// Rebuilds a pickled object from its class name and serde form.
        #[pyfunction]
        pub(crate) fn _restore(py: Python<'_>, name: &str, state: &str) -> PyResult<Py<PyAny>> {
            match name {
                $(stringify!($class) => Ok(
                    Py::new(py, from_json::<crate::$module::$class>(name, state)?)?.into_any()
                ),)*
                $(stringify!($own_class) => Ok(
                    Py::new(py, from_json::<crate::$own_module::$own_class>(name, state)?)?.into_any()
                ),)*
                _ => Err(BindingError::InvalidInput(format!("no class {name:?} to restore")).into()),
            }
        }

        /// The classes that pickle, by name (for the test that holds every
        /// public class to pickling or to a reason it does not).
        #[pyfunction]
        pub(crate) fn _picklable() -> Vec<&'static str> {
            vec![$(stringify!($class),)* $(stringify!($own_class)),*]
        }
    };
}

travel!(
    json: [
    auth::AuthOutput,
    checks::ForwardCheck,
    checks::PostfixClient,
    checks::IprevOutput,
    checks::IprevResult,
    checks::HeloCheck,
    checks::HeloReport,
    checks::MailDomainReport,
    dkim::DkimSignatureResult,
    dkim::DkimOutput,
    dkim::DkimKeyRecord,
    dmarc::DmarcResult,
    dmarc::ReportUri,
    dmarc::DmarcRecord,
    dmarc::DmarcDiagnostic,
    dmarc::DmarcValidation,
    dmarc::DmarcDiscovery,
    dmarc::IdentifierCheck,
    dmarc::DmarcOutput,
    dmarc::ReportDestination,
    dnsbl::DnsblList,
    dnsbl::DnsblListResult,
    dnsbl::DnsblReport,
    dnsbl::ZoneHealthReport,
    doctor::DoctorFinding,
    doctor::DoctorFix,
    doctor::DoctorRecord,
    doctor::Bounce,
    records::Outcome,
    records::TxtRecord,
    records::MxRecord,
    records::Answer,
    resolver::Resolver,
    scan::DomainScan,
    spf::SpfResult,
    spf::SpfRecord,
    spf::SpfOutput,
    spf::SpfVerdict,
    spf::SpfVerifier,
    ],
    own_json: [doctor::DoctorReport],
);

/// Equality with the token, as a `str` enum has it: `SpfResult.PASS ==
/// "pass"`, and the hash to match, for users porting pyspf code that
/// compares results with strings.
macro_rules! str_equal {
    ($($module:ident :: $class:ident),* $(,)?) => {$(
        #[pymethods]
        impl crate::$module::$class {
            fn __richcmp__<'py>(
                &self,
                other: &Bound<'py, PyAny>,
                op: CompareOp,
            ) -> PyResult<Bound<'py, PyAny>> {
                let py = other.py();
                let equal = if let Ok(other) = other.cast::<Self>() {
                    *other.get() == *self
                } else if let Ok(text) = other.cast::<PyString>() {
                    text.to_cow().is_ok_and(|t| t == self.__str__())
                } else {
                    return Ok(py.NotImplemented().into_bound(py));
                };
                match op {
                    CompareOp::Eq => Ok(equal.into_pyobject(py)?.to_owned().into_any()),
                    CompareOp::Ne => Ok((!equal).into_pyobject(py)?.to_owned().into_any()),
                    _ => Ok(py.NotImplemented().into_bound(py)),
                }
            }

            fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
                PyString::new(py, self.__str__()).hash()
            }
        }
    )*};
}

str_equal!(
    checks::IprevResult,
    dmarc::DmarcResult,
    records::Outcome,
    spf::SpfResult,
);
