//! The SPF record as RFC 7208 §4.6 and §12 define it: a version and terms,
//! each a directive (qualifier and mechanism) or a modifier.
//!
//! ```text
//! record    = version terms *SP
//! version   = "v=spf1"
//! terms     = *( 1*SP ( directive / modifier ) )
//! directive = [ qualifier ] mechanism
//! qualifier = "+" / "-" / "?" / "~"
//! ```

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use super::macros::MacroString;
use super::parse::{ParseError, parse_record};

/// A parsed SPF record (RFC 7208 §4.6). `Display` writes the canonical
/// form, which parses back to the same record.
///
/// ```
/// use mailauth_core::spf::SpfRecord;
/// let record: SpfRecord = "v=spf1 mx include:_spf.example.com -all".parse().unwrap();
/// assert_eq!(record.to_string(), "v=spf1 mx include:_spf.example.com -all");
/// let error = "v=spf1 ip4:192.0.2.300".parse::<SpfRecord>().unwrap_err();
/// assert_eq!(error.offset(), 11);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SpfRecord {
    pub(crate) terms: Vec<Term>,
    /// Index into `terms` of `redirect=` (at most one, RFC 7208 §6).
    pub(crate) redirect: Option<usize>,
    /// Index into `terms` of `exp=` (at most one).
    pub(crate) exp: Option<usize>,
}

impl SpfRecord {
    /// Parses a record's text (the TXT strings joined).
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        parse_record(text)
    }

    /// The terms, in order.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The directives, in order.
    pub fn directives(&self) -> impl Iterator<Item = &Directive> {
        self.terms.iter().filter_map(|t| match t {
            Term::Directive(d) => Some(d),
            Term::Modifier(_) => None,
        })
    }

    /// The `redirect=` target, if any.
    pub fn redirect(&self) -> Option<&MacroString> {
        self.redirect.and_then(|i| match &self.terms[i] {
            Term::Modifier(Modifier::Redirect(target)) => Some(target),
            _ => None,
        })
    }

    /// The `exp=` domain, if any.
    pub fn exp(&self) -> Option<&MacroString> {
        self.exp.and_then(|i| match &self.terms[i] {
            Term::Modifier(Modifier::Exp(domain)) => Some(domain),
            _ => None,
        })
    }
}

impl FromStr for SpfRecord {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_record(s)
    }
}

impl fmt::Display for SpfRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("v=spf1")?;
        for term in &self.terms {
            write!(f, " {term}")?;
        }
        Ok(())
    }
}

/// A term: a directive or a modifier.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Term {
    /// A qualifier and a mechanism.
    Directive(Directive),
    /// A `name=value` modifier.
    Modifier(Modifier),
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Directive(d) => d.fmt(f),
            Self::Modifier(m) => m.fmt(f),
        }
    }
}

/// The result a matching directive gives (RFC 7208 §4.6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Qualifier {
    /// `+`, the default.
    Pass,
    /// `-`.
    Fail,
    /// `~`.
    SoftFail,
    /// `?`.
    Neutral,
}

crate::token::tokens! {
    Qualifier "qualifier" {
        Pass = "pass",
        Fail = "fail",
        SoftFail = "softfail",
        Neutral = "neutral",
    }
}

impl Qualifier {
    fn symbol(self) -> &'static str {
        match self {
            Self::Pass => "",
            Self::Fail => "-",
            Self::SoftFail => "~",
            Self::Neutral => "?",
        }
    }
}

/// A directive: qualifier and mechanism.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Directive {
    /// What a match gives.
    pub qualifier: Qualifier,
    /// What to match.
    pub mechanism: Mechanism,
}

impl fmt::Display for Directive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.qualifier.symbol(), self.mechanism)
    }
}

/// CIDR prefix lengths for `a` and `mx` (RFC 7208 §5.6): IPv4 at most 32,
/// IPv6 at most 128; `None` is the full length.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DualCidr {
    /// The IPv4 prefix length.
    pub v4: Option<u8>,
    /// The IPv6 prefix length.
    pub v6: Option<u8>,
}

impl fmt::Display for DualCidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v4) = self.v4 {
            write!(f, "/{v4}")?;
        }
        if let Some(v6) = self.v6 {
            write!(f, "//{v6}")?;
        }
        Ok(())
    }
}

/// A mechanism (RFC 7208 §5).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Mechanism {
    /// `all` (§5.1).
    All,
    /// `include:<domain-spec>` (§5.2).
    Include(MacroString),
    /// `a[:<domain-spec>][cidr]` (§5.3).
    A {
        /// The target; the current domain when absent.
        domain: Option<MacroString>,
        /// Prefix lengths.
        cidr: DualCidr,
    },
    /// `mx[:<domain-spec>][cidr]` (§5.4).
    Mx {
        /// The target; the current domain when absent.
        domain: Option<MacroString>,
        /// Prefix lengths.
        cidr: DualCidr,
    },
    /// `ptr[:<domain-spec>]` (§5.5, "do not use").
    Ptr(Option<MacroString>),
    /// `ip4:<network>[/prefix]` (§5.6).
    Ip4 {
        /// The network.
        addr: Ipv4Addr,
        /// The prefix length (at most 32); `None` is 32.
        prefix: Option<u8>,
    },
    /// `ip6:<network>[/prefix]` (§5.6).
    Ip6 {
        /// The network.
        addr: Ipv6Addr,
        /// The prefix length (at most 128); `None` is 128.
        prefix: Option<u8>,
    },
    /// `exists:<domain-spec>` (§5.7).
    Exists(MacroString),
}

impl Mechanism {
    /// Whether evaluating it queries DNS, which counts against the limit of
    /// RFC 7208 §4.6.4.
    pub fn queries_dns(&self) -> bool {
        !matches!(self, Self::All | Self::Ip4 { .. } | Self::Ip6 { .. })
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn target(f: &mut fmt::Formatter<'_>, domain: &Option<MacroString>) -> fmt::Result {
            match domain {
                Some(d) => write!(f, ":{d}"),
                None => Ok(()),
            }
        }
        match self {
            Self::All => f.write_str("all"),
            Self::Include(d) => write!(f, "include:{d}"),
            Self::A { domain, cidr } => {
                f.write_str("a")?;
                target(f, domain)?;
                write!(f, "{cidr}")
            }
            Self::Mx { domain, cidr } => {
                f.write_str("mx")?;
                target(f, domain)?;
                write!(f, "{cidr}")
            }
            Self::Ptr(domain) => {
                f.write_str("ptr")?;
                target(f, domain)
            }
            Self::Ip4 { addr, prefix } => {
                write!(f, "ip4:{addr}")?;
                prefix.map_or(Ok(()), |p| write!(f, "/{p}"))
            }
            Self::Ip6 { addr, prefix } => {
                write!(f, "ip6:{addr}")?;
                prefix.map_or(Ok(()), |p| write!(f, "/{p}"))
            }
            Self::Exists(d) => write!(f, "exists:{d}"),
        }
    }
}

/// A modifier (RFC 7208 §6).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Modifier {
    /// `redirect=<domain-spec>` (§6.1).
    Redirect(MacroString),
    /// `exp=<domain-spec>` (§6.2).
    Exp(MacroString),
    /// Any other `name=macro-string`: kept, and ignored (§6).
    Unknown {
        /// The name, as written.
        name: String,
        /// The value.
        value: MacroString,
    },
}

impl fmt::Display for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Redirect(d) => write!(f, "redirect={d}"),
            Self::Exp(d) => write!(f, "exp={d}"),
            Self::Unknown { name, value } => write!(f, "{name}={value}"),
        }
    }
}
