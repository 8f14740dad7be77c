//! The DMARC policy record (RFC 9989 §4.7) as typed values, with its
//! defaults and a canonical form.

use std::fmt;

/// A domain owner's requested handling of mail that fails DMARC
/// (RFC 9989 §4.7, tags `p`, `sp`, `np`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Policy {
    /// No specific action (monitoring only).
    None,
    /// Treat failing mail as suspicious (spam folder, extra scrutiny).
    Quarantine,
    /// Reject failing mail during the SMTP transaction.
    Reject,
}

crate::token::tokens! {
    Policy "DMARC policy" {
        None = "none",
        Quarantine = "quarantine",
        Reject = "reject",
    }
}

impl Policy {
    /// One level less strict, as `t=y` asks (RFC 9989 §4.7, tag `t`):
    /// reject becomes quarantine, quarantine becomes none.
    pub fn relaxed_for_testing(self) -> Self {
        match self {
            Self::Reject => Self::Quarantine,
            Self::Quarantine | Self::None => Self::None,
        }
    }

    /// Reads a tag value, ASCII case-insensitively (RFC 5234 §2.3).
    pub(crate) fn from_value(value: &str) -> Option<Self> {
        [Self::None, Self::Quarantine, Self::Reject]
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(value))
    }
}

/// Identifier alignment mode (RFC 9989 §4.4, tags `adkim` and `aspf`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AlignmentMode {
    /// `r`: the domains share an Organizational Domain (the default).
    #[default]
    Relaxed,
    /// `s`: the domains are identical.
    Strict,
}

crate::token::tokens! {
    AlignmentMode "alignment mode" {
        Relaxed = "r",
        Strict = "s",
    }
}

/// The `psd` tag (RFC 9989 §4.7): is this the record of a Public Suffix
/// Domain?
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PsdFlag {
    /// `y`: a Public Suffix Domain; the tree walk stops here.
    Yes,
    /// `n`: an Organizational Domain; the tree walk stops here.
    No,
    /// `u`: unknown (the default); the tree walk goes on.
    #[default]
    Unknown,
}

crate::token::tokens! {
    PsdFlag "psd flag" {
        Yes = "y",
        No = "n",
        Unknown = "u",
    }
}

/// The failure-reporting options of the `fo` tag (RFC 9989 §4.7): which
/// failures produce failure reports. Meaningful only with `ruf`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct FailureOptions {
    /// `0`: all underlying mechanisms failed to give an aligned pass.
    pub all_failed: bool,
    /// `1`: any underlying mechanism failed to give an aligned pass.
    pub any_failed: bool,
    /// `d`: a DKIM signature failed to verify.
    pub dkim: bool,
    /// `s`: SPF failed.
    pub spf: bool,
}

impl Default for FailureOptions {
    /// `fo=0`.
    fn default() -> Self {
        Self {
            all_failed: true,
            any_failed: false,
            dkim: false,
            spf: false,
        }
    }
}

impl fmt::Display for FailureOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let options = [
            (self.all_failed, "0"),
            (self.any_failed, "1"),
            (self.dkim, "d"),
            (self.spf, "s"),
        ];
        let mut first = true;
        for (_, text) in options.iter().filter(|(on, _)| *on) {
            if !first {
                f.write_str(":")?;
            }
            f.write_str(text)?;
            first = false;
        }
        Ok(())
    }
}

/// Where a report URI delivers (RFC 9989 §4.7, tags `rua` and `ruf`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "scheme", rename_all = "lowercase"))]
pub enum ReportTarget {
    /// `mailto:` (RFC 6068): reports are mailed to `address`.
    Mailto {
        /// The mailbox, `local@domain`, as written (percent-decoding is the
        /// sender's business).
        address: String,
    },
    /// `https:` (RFC 9110): reports are posted to this URL.
    Https,
}

/// One report destination of `rua` or `ruf`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ReportUri {
    /// The URI as written, without an obsolete `!size` suffix.
    pub uri: String,
    /// The scheme and what it names.
    pub target: ReportTarget,
    /// The destination host, lower case: the mailbox's domain for
    /// `mailto:`, the authority's host for `https:`. RFC 9990 §3 checks
    /// this host's authorisation.
    pub host: String,
    /// The obsolete `!size` suffix (RFC 7489 §6.2), read and kept so the
    /// record prints as written; RFC 9989 reporters ignore it.
    pub size_limit: Option<String>,
}

impl fmt::Display for ReportUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.uri)?;
        if let Some(size) = &self.size_limit {
            write!(f, "!{size}")?;
        }
        Ok(())
    }
}

/// The RFC 7489 tags RFC 9989 removed (Appendix C.5), read so that a
/// checker can report them and a receiver can see what the owner meant.
/// RFC 9989 receivers ignore them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Rfc7489Tags {
    /// `pct`: the percentage of failing mail the policy applied to (0-100).
    pub pct: Option<u8>,
    /// `rf`: the failure-report format (`afrf`).
    pub rf: Option<String>,
    /// `ri`: the aggregate-report interval in seconds.
    pub ri: Option<u32>,
}

/// A DMARC policy record (RFC 9989 §4.7): each tag as published and valid,
/// or `None`/empty when absent or invalid; the accessors apply the
/// defaults.
///
/// ```
/// use mailauth_core::dmarc::{DmarcRecord, Policy};
///
/// let record = DmarcRecord::parse("v=DMARC1; p=reject; sp=quarantine; t=y").unwrap();
/// assert_eq!(record.policy(), Some(Policy::Reject));
/// assert_eq!(record.nonexistent_policy(), Some(Policy::Quarantine));
/// assert!(record.testing());
/// assert_eq!(record.to_string(), "v=DMARC1; p=reject; sp=quarantine; t=y");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DmarcRecord {
    /// `p`: the policy for the domain itself.
    pub p: Option<Policy>,
    /// `sp`: the policy for existing subdomains.
    pub sp: Option<Policy>,
    /// `np`: the policy for non-existent subdomains.
    pub np: Option<Policy>,
    /// `adkim`: DKIM alignment mode.
    pub adkim: Option<AlignmentMode>,
    /// `aspf`: SPF alignment mode.
    pub aspf: Option<AlignmentMode>,
    /// `fo`: failure-reporting options.
    pub fo: Option<FailureOptions>,
    /// `rua`: aggregate-report destinations (the valid ones).
    pub rua: Vec<ReportUri>,
    /// `ruf`: failure-report destinations (the valid ones).
    pub ruf: Vec<ReportUri>,
    /// `psd`: the Public Suffix Domain flag.
    pub psd: Option<PsdFlag>,
    /// `t`: test mode.
    pub t: Option<bool>,
    /// The removed RFC 7489 tags, if published.
    pub rfc7489: Rfc7489Tags,
}

impl DmarcRecord {
    /// The policy for the domain itself (RFC 9989 §4.10.1): `p` if valid;
    /// otherwise `none` when the record has at least one valid `rua` URI;
    /// otherwise no policy at all, and DMARC does not apply.
    pub fn policy(&self) -> Option<Policy> {
        match self.p {
            Some(p) => Some(p),
            None if !self.rua.is_empty() => Some(Policy::None),
            None => None,
        }
    }

    /// The policy for existing subdomains: `sp`, else [`Self::policy`].
    /// `None` when the record has no policy (see [`Self::policy`]).
    pub fn subdomain_policy(&self) -> Option<Policy> {
        let p = self.policy()?;
        Some(self.sp.unwrap_or(p))
    }

    /// The policy for non-existent subdomains: `np`, else `sp`, else
    /// [`Self::policy`] (RFC 9989 §4.7). `None` when the record has no
    /// policy.
    pub fn nonexistent_policy(&self) -> Option<Policy> {
        let sp = self.subdomain_policy()?;
        Some(self.np.unwrap_or(sp))
    }

    /// DKIM alignment mode; relaxed by default.
    pub fn dkim_alignment(&self) -> AlignmentMode {
        self.adkim.unwrap_or_default()
    }

    /// SPF alignment mode; relaxed by default.
    pub fn spf_alignment(&self) -> AlignmentMode {
        self.aspf.unwrap_or_default()
    }

    /// Failure-reporting options; `0` by default.
    pub fn failure_options(&self) -> FailureOptions {
        self.fo.unwrap_or_default()
    }

    /// The Public Suffix Domain flag; `u` by default.
    pub fn psd_flag(&self) -> PsdFlag {
        self.psd.unwrap_or_default()
    }

    /// Test mode (`t=y`); off by default.
    pub fn testing(&self) -> bool {
        self.t.unwrap_or(false)
    }
}

impl fmt::Display for DmarcRecord {
    /// The canonical form: `v=DMARC1`, then each valid tag in the order of
    /// RFC 9989 §4.7 (the removed RFC 7489 tags last), separated by `; `.
    /// It parses back to an equal record.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("v=DMARC1")?;
        let mut tag = |name: &str, value: &dyn fmt::Display| write!(f, "; {name}={value}");
        let policies = [("p", self.p), ("sp", self.sp), ("np", self.np)];
        for (name, policy) in policies {
            if let Some(policy) = policy {
                tag(name, &policy)?;
            }
        }
        for (name, mode) in [("adkim", self.adkim), ("aspf", self.aspf)] {
            if let Some(mode) = mode {
                tag(name, &mode)?;
            }
        }
        if let Some(fo) = self.fo {
            tag("fo", &fo)?;
        }
        for (name, uris) in [("rua", &self.rua), ("ruf", &self.ruf)] {
            if !uris.is_empty() {
                tag(name, &UriList(uris))?;
            }
        }
        if let Some(psd) = self.psd {
            tag("psd", &psd.as_str())?;
        }
        if let Some(t) = self.t {
            tag("t", &if t { "y" } else { "n" })?;
        }
        if let Some(pct) = self.rfc7489.pct {
            tag("pct", &pct)?;
        }
        if let Some(rf) = &self.rfc7489.rf {
            tag("rf", rf)?;
        }
        if let Some(ri) = self.rfc7489.ri {
            tag("ri", &ri)?;
        }
        Ok(())
    }
}

/// A comma-separated URI list.
struct UriList<'a>(&'a [ReportUri]);

impl fmt::Display for UriList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, uri) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{uri}")?;
        }
        Ok(())
    }
}
