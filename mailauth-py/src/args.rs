//! Numeric arguments from Python, checked at the edge.
//!
//! Parameters read with [`int`] or [`float`] (`#[pyo3(from_py_with =
//! ...)]`) take any Python `int`, however large, and any `float` without
//! an `OverflowError`; the function then checks the value with [`range`]
//! or [`seconds`], and a value out of range is `InvalidInputError` (a
//! `MailauthError` and a `ValueError`) that names the allowed range. A
//! value of the wrong type stays a `TypeError`; sequence parameters are
//! read with the extractors below so that it says what was expected.

use std::fmt::Display;
use std::ops::RangeInclusive;
use std::time::Duration;

use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::error::{BindingError, BindingResult};

/// The longest timeout, deadline or latency, in seconds: one day.
pub(crate) const MAX_SECONDS: f64 = 86_400.0;

/// A Python `int` as `i128`: values beyond `i64` become `i64::MIN - 1` or
/// `i64::MAX + 1`, which no range here includes.
pub(crate) fn int(value: &Bound<'_, PyAny>) -> PyResult<i128> {
    match value.extract::<i64>() {
        Ok(v) => Ok(i128::from(v)),
        Err(e) if e.is_instance_of::<PyOverflowError>(value.py()) => Ok(if value.lt(0)? {
            i128::from(i64::MIN) - 1
        } else {
            i128::from(i64::MAX) + 1
        }),
        Err(e) => Err(e),
    }
}

/// An `int` argument as the `i64` a pickled configuration keeps (serde's
/// JSON cannot hold `i128` inside tagged enums): values beyond `i64`
/// saturate, so a range check still refuses them when the pickle is read.
pub(crate) fn saturating_i64(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

/// A Python `int` or `float` as `f64`: an `int` too large for a float is
/// an infinity.
pub(crate) fn float(value: &Bound<'_, PyAny>) -> PyResult<f64> {
    match value.extract::<f64>() {
        Ok(v) => Ok(v),
        Err(e) if e.is_instance_of::<PyOverflowError>(value.py()) => Ok(if value.lt(0)? {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }),
        Err(e) => Err(e),
    }
}

/// An optional [`float`].
pub(crate) fn optional_float(value: &Bound<'_, PyAny>) -> PyResult<Option<f64>> {
    if value.is_none() {
        Ok(None)
    } else {
        float(value).map(Some)
    }
}

/// `value` as `T` when it lies in `allowed`; otherwise `InvalidInputError`
/// naming `name` and the range.
pub(crate) fn range<T>(name: &str, value: i128, allowed: RangeInclusive<T>) -> BindingResult<T>
where
    T: Copy + Display + TryFrom<i128>,
    i128: TryFrom<T>,
{
    let (low, high) = (*allowed.start(), *allowed.end());
    let wide = |v: T| i128::try_from(v).unwrap_or(i128::MAX);
    if (wide(low)..=wide(high)).contains(&value)
        && let Ok(value) = T::try_from(value)
    {
        return Ok(value);
    }
    let shown = if value > i128::from(i64::MAX) {
        "a larger number".to_owned()
    } else if value < i128::from(i64::MIN) {
        "a smaller number".to_owned()
    } else {
        value.to_string()
    };
    Err(BindingError::InvalidInput(format!(
        "{name} must be an integer from {low} to {high}, not {shown}"
    )))
}

/// A number of seconds, above zero (or zero too, with `zero`) and at most
/// [`MAX_SECONDS`]; otherwise `InvalidInputError`.
pub(crate) fn seconds(name: &str, value: f64, zero: bool) -> BindingResult<Duration> {
    let low_ok = if zero { value >= 0.0 } else { value > 0.0 };
    if low_ok && value <= MAX_SECONDS {
        // A finite value in range converts; the check above excludes NaN.
        if let Ok(duration) = Duration::try_from_secs_f64(value)
            && (zero || !duration.is_zero())
        {
            return Ok(duration);
        }
    }
    let low = if zero { "from 0" } else { "above 0" };
    Err(BindingError::InvalidInput(format!(
        "{name} must be a number of seconds {low} and at most {MAX_SECONDS}, not {value}"
    )))
}

/// A sequence argument (a list, a tuple, any iterable but `str` and
/// `bytes`) of `T`, with a `TypeError` in words a Python user reads:
/// `lists must be a sequence of DnsblList, not str`.
fn sequence<'py, T>(value: &Bound<'py, PyAny>, name: &str, item: &str) -> PyResult<Vec<T>>
where
    T: for<'a> FromPyObject<'a, 'py>,
{
    let kind = |v: &Bound<'py, PyAny>| {
        v.get_type()
            .name()
            .map_or_else(|_| "?".to_owned(), |n| n.to_string())
    };
    let wrong = || {
        PyTypeError::new_err(format!(
            "{name} must be a sequence of {item}, not {}",
            kind(value)
        ))
    };
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
        return Err(wrong());
    }
    let items = value.try_iter().map_err(|_| wrong())?;
    items
        .enumerate()
        .map(|(i, element)| {
            let element = element?;
            element.extract::<T>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "{name} must be a sequence of {item}; item {i} is {}",
                    kind(&element)
                ))
            })
        })
        .collect()
}

/// Extractors for the sequence parameters, one per name (a `from_py_with`
/// function takes the value alone).
macro_rules! sequence_args {
    ($($function:ident: $name:literal of $item:literal as $t:ty;)*) => {$(
        #[doc = concat!("`", $name, "`: a sequence of ", $item, ".")]
        pub(crate) fn $function<'py>(value: &Bound<'py, PyAny>) -> PyResult<Vec<$t>> {
            sequence(value, $name, $item)
        }
    )*};
}

sequence_args! {
    lists: "lists" of "DnsblList" as PyRef<'py, crate::dnsbl::DnsblList>;
    targets: "targets" of "IP addresses or domains" as Bound<'py, PyAny>;
    servers: "servers" of "str" as String;
    faults: "faults" of "(name, type or None, fault) tuples" as (String, Option<String>, Bound<'py, PyAny>);
    dkim: "dkim" of "(domain, verified) tuples" as (String, bool);
    dkim_domains: "dkim_domains" of "str" as String;
    dkim_selectors: "dkim_selectors" of "str" as String;
}

/// `dnsbl_lists`: None or a sequence of DnsblList.
pub(crate) fn optional_dnsbl_lists<'py>(
    value: &Bound<'py, PyAny>,
) -> PyResult<Option<Vec<PyRef<'py, crate::dnsbl::DnsblList>>>> {
    if value.is_none() {
        return Ok(None);
    }
    sequence(value, "dnsbl_lists", "DnsblList").map(Some)
}

/// `confirmed_ptr`: None or a sequence of str.
pub(crate) fn confirmed_ptr(value: &Bound<'_, PyAny>) -> PyResult<Option<Vec<String>>> {
    if value.is_none() {
        return Ok(None);
    }
    sequence(value, "confirmed_ptr", "str").map(Some)
}

/// A token argument (`kind="ip"`, `transport="tcp"`, ...) parsed as the
/// core spells it; otherwise `InvalidInputError` naming the parameter and
/// the tokens it takes.
pub(crate) fn token<T>(name: &str, text: &str) -> BindingResult<T>
where
    T: std::str::FromStr<Err = mailauth_core::UnknownToken>,
{
    text.parse().map_err(|e: mailauth_core::UnknownToken| {
        BindingError::InvalidInput(format!("{name}: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_messages() {
        assert_eq!(range::<u32>("n", 7, 0..=10).unwrap(), 7);
        let message = |e: BindingError| e.to_string();
        assert_eq!(
            message(range::<u32>("max_lookups", -1, 0..=1000).unwrap_err()),
            "max_lookups must be an integer from 0 to 1000, not -1"
        );
        assert_eq!(
            message(range::<u8>("bit", i128::from(i64::MAX) + 1, 1..=255).unwrap_err()),
            "bit must be an integer from 1 to 255, not a larger number"
        );
        assert!(seconds("t", 1e19, false).is_err());
        assert!(seconds("t", f64::NAN, false).is_err());
        assert!(seconds("t", f64::INFINITY, false).is_err());
        assert!(seconds("t", 0.0, false).is_err());
        assert!(seconds("t", 1e-12, false).is_err());
        assert_eq!(seconds("t", 0.0, true).unwrap(), Duration::ZERO);
        assert_eq!(
            seconds("t", 86_400.0, false).unwrap(),
            Duration::from_secs(86_400)
        );
    }
}
