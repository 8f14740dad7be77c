//! Python views of DNS answers: `Answer`, `Outcome`, `TxtRecord`,
//! `MxRecord`.

use std::net::{Ipv4Addr, Ipv6Addr};

use mailauth_core::dns::{LookupError, LookupResult, Mx, Records, ServerFailure, Txt};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString};

/// How a lookup ended (mirrors `mailauth_core::dns::LookupError`, plus
/// `RECORDS`).
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Outcome {
    /// The answer has records.
    #[pyo3(name = "RECORDS")]
    Records,
    /// The name does not exist.
    #[pyo3(name = "NXDOMAIN")]
    #[serde(rename = "nxdomain")]
    NxDomain,
    /// The name exists without records of the type.
    #[pyo3(name = "NODATA")]
    #[serde(rename = "nodata")]
    NoData,
    /// No answer in time, or no nameserver reachable.
    #[pyo3(name = "TIMEOUT")]
    Timeout,
    /// The server answered with an error (SERVFAIL, REFUSED, ...).
    #[pyo3(name = "SERVER_FAILURE")]
    ServerFailure,
    /// The name was refused before sending.
    #[pyo3(name = "INVALID_NAME")]
    InvalidName,
}

#[pymethods]
impl Outcome {
    /// The outcome's token: `records`, `nxdomain`, `nodata`, `timeout`,
    /// `server-failure`, `invalid-name`.
    pub(crate) fn __str__(&self) -> &'static str {
        match self {
            Self::Records => "records",
            Self::NxDomain => "nxdomain",
            Self::NoData => "nodata",
            Self::Timeout => "timeout",
            Self::ServerFailure => "server-failure",
            Self::InvalidName => "invalid-name",
        }
    }

    /// NXDOMAIN or NODATA: a void lookup in the sense of RFC 7208 §4.6.4.
    #[getter]
    fn is_void(&self) -> bool {
        matches!(self, Self::NxDomain | Self::NoData)
    }

    /// A timeout or server failure: asking later may answer otherwise.
    #[getter]
    fn is_temporary(&self) -> bool {
        matches!(self, Self::Timeout | Self::ServerFailure)
    }
}

/// One TXT record: its character-strings.
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct TxtRecord(pub(crate) Txt);

#[pymethods]
impl TxtRecord {
    /// The character-strings, as sent.
    #[getter]
    fn strings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.0.strings().map(|s| PyBytes::new(py, s)))
    }

    /// The strings joined without separators, as SPF and DMARC read them.
    #[getter]
    fn joined<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.joined())
    }

    /// The joined strings decoded as UTF-8, invalid bytes replaced.
    #[getter]
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.joined()).into_owned()
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.0 == other.0
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.0.hash(&mut hasher);
        hasher.finish()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("TxtRecord({})", self.strings(py)?.repr()?))
    }
}

/// One MX record.
#[pyclass(frozen, eq, hash, module = "mailauth")]
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) struct MxRecord {
    /// Lower is preferred.
    #[pyo3(get)]
    preference: u16,
    /// The exchange, without a trailing dot; `""` for a null MX (RFC 7505).
    #[pyo3(get)]
    exchange: String,
}

impl From<&Mx> for MxRecord {
    fn from(mx: &Mx) -> Self {
        Self {
            preference: mx.preference,
            exchange: mx.exchange.clone(),
        }
    }
}

#[pymethods]
impl MxRecord {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let exchange = PyString::new(py, &self.exchange).repr()?;
        Ok(format!(
            "MxRecord(preference={}, exchange={exchange})",
            self.preference
        ))
    }
}

/// The records of an answer, by type.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) enum AnswerRecords {
    Txt(Records<Txt>),
    A(Records<Ipv4Addr>),
    Aaaa(Records<Ipv6Addr>),
    Mx(Records<Mx>),
    Ptr(Records<String>),
}

/// Wraps records of one type as [`AnswerRecords`].
pub(crate) trait IntoAnswerRecords: Sized {
    fn wrap(records: Records<Self>) -> AnswerRecords;
}

macro_rules! into_answer_records {
    ($($t:ty => $variant:ident),*) => {$(
        impl IntoAnswerRecords for $t {
            fn wrap(records: Records<Self>) -> AnswerRecords {
                AnswerRecords::$variant(records)
            }
        }
    )*};
}
into_answer_records!(Txt => Txt, Ipv4Addr => A, Ipv6Addr => Aaaa, Mx => Mx, String => Ptr);

/// The answer to one lookup: an outcome and, for `Outcome.RECORDS`, the
/// records. Iterating it iterates the records; it is true when it has any.
#[pyclass(frozen, module = "mailauth")]
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Answer {
    outcome: Outcome,
    detail: Option<String>,
    rcode: Option<u16>,
    records: Option<AnswerRecords>,
}

impl<T: IntoAnswerRecords> From<LookupResult<T>> for Answer {
    fn from(result: LookupResult<T>) -> Self {
        let (outcome, rcode) = match &result {
            Ok(_) => (Outcome::Records, None),
            Err(LookupError::NxDomain) => (Outcome::NxDomain, None),
            Err(LookupError::NoData) => (Outcome::NoData, None),
            Err(LookupError::Timeout) => (Outcome::Timeout, None),
            Err(LookupError::ServerFailure(ServerFailure::Rcode(code))) => {
                (Outcome::ServerFailure, Some(*code))
            }
            Err(LookupError::ServerFailure(_)) => (Outcome::ServerFailure, None),
            Err(LookupError::InvalidName(_)) => (Outcome::InvalidName, None),
            Err(_) => (Outcome::ServerFailure, None),
        };
        let detail = result.as_ref().err().map(ToString::to_string);
        Self {
            outcome,
            detail,
            rcode,
            records: result.ok().map(T::wrap),
        }
    }
}

#[pymethods]
impl Answer {
    /// How the lookup ended.
    #[getter]
    fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// For anything but records: a sentence saying what happened.
    #[getter]
    fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// For a server failure with an error RCODE: its number (2 SERVFAIL,
    /// 5 REFUSED, ...).
    #[getter]
    fn rcode(&self) -> Option<u16> {
        self.rcode
    }

    /// The records: `TxtRecord`, `ipaddress.IPv4Address`,
    /// `ipaddress.IPv6Address`, `MxRecord` or `str` (PTR); empty unless the
    /// outcome is `Outcome.RECORDS`.
    #[getter]
    fn records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        match &self.records {
            None => Ok(PyList::empty(py)),
            Some(AnswerRecords::Txt(r)) => PyList::new(py, r.iter().map(|t| TxtRecord(t.clone()))),
            Some(AnswerRecords::A(r)) => PyList::new(py, r.iter()),
            Some(AnswerRecords::Aaaa(r)) => PyList::new(py, r.iter()),
            Some(AnswerRecords::Mx(r)) => PyList::new(py, r.iter().map(MxRecord::from)),
            Some(AnswerRecords::Ptr(r)) => PyList::new(py, r.iter()),
        }
    }

    fn __len__(&self) -> usize {
        match &self.records {
            None => 0,
            Some(AnswerRecords::Txt(r)) => r.len(),
            Some(AnswerRecords::A(r)) => r.len(),
            Some(AnswerRecords::Aaaa(r)) => r.len(),
            Some(AnswerRecords::Mx(r)) => r.len(),
            Some(AnswerRecords::Ptr(r)) => r.len(),
        }
    }

    fn __bool__(&self) -> bool {
        self.records.is_some()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.records(py)?.try_iter()?.into_any())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        match &self.detail {
            Some(detail) => Ok(format!("Answer({}: {detail})", self.outcome.__str__())),
            None => Ok(format!("Answer({})", self.records(py)?.repr()?)),
        }
    }
}
