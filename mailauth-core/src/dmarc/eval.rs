//! DMARC evaluation (RFC 9989 §4.4, §5.3): identifier alignment and the
//! result for one message.

use std::fmt;

use super::discovery::{DiscoveryOutcome, PolicyDiscovery, Walker};
use super::record::{AlignmentMode, Policy};
use super::{DmarcError, normalize_domain};
use crate::dns::DnsResolver;
use crate::spf::SpfResult;

/// The DMARC result (RFC 9989 §9.2, the `dmarc` method of
/// `Authentication-Results`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum DmarcResult {
    /// An authenticated identifier is aligned with the Author Domain.
    Pass,
    /// A policy exists and no authenticated identifier is aligned.
    Fail,
    /// No policy applies (no record, or a record without a policy).
    None,
    /// A DNS failure kept the policy or an alignment from being known.
    TempError,
    /// The Author Domain is not a valid domain name.
    PermError,
}

impl DmarcResult {
    /// `pass`, `fail`, `none`, `temperror` or `permerror`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::None => "none",
            Self::TempError => "temperror",
            Self::PermError => "permerror",
        }
    }
}

impl fmt::Display for DmarcResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The authenticated identifiers of one message, as the receiver's SPF and
/// DKIM checks found them (RFC 9989 §4.4).
///
/// ```
/// use mailauth_core::dmarc::DmarcInput;
/// use mailauth_core::SpfResult;
///
/// let input = DmarcInput::new("example.com")
///     .spf("bounces.example.com", SpfResult::Pass)
///     .dkim("example.com", false);
/// assert_eq!(input.dkim.len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DmarcInput {
    /// The RFC5322.From domain (the Author Domain); U-labels are converted
    /// to A-labels (§5.3.1).
    pub from_domain: String,
    /// The domain SPF checked (the RFC5321.MailFrom domain, or the HELO
    /// name for a null reverse-path) and its result.
    pub spf: Option<(String, SpfResult)>,
    /// Each DKIM signature's `d=` domain and whether it verified.
    pub dkim: Vec<(String, bool)>,
}

impl DmarcInput {
    /// The input for a message from `from_domain`, with no authenticated
    /// identifier yet.
    pub fn new(from_domain: impl Into<String>) -> Self {
        Self {
            from_domain: from_domain.into(),
            spf: None,
            dkim: Vec::new(),
        }
    }

    /// Adds the SPF result for `domain`.
    pub fn spf(mut self, domain: impl Into<String>, result: SpfResult) -> Self {
        self.spf = Some((domain.into(), result));
        self
    }

    /// Adds a DKIM signature by `domain` that verified (`pass`) or not.
    pub fn dkim(mut self, domain: impl Into<String>, pass: bool) -> Self {
        self.dkim.push((domain.into(), pass));
        self
    }
}

/// Whether an identifier's domain is aligned with the Author Domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Alignment {
    /// The domains are identical (aligned in either mode).
    Identical,
    /// Different domains with the same Organizational Domain (aligned in
    /// relaxed mode).
    Relaxed,
    /// Not aligned in the record's mode.
    NotAligned,
    /// A tree walk for the identifier's Organizational Domain failed.
    TempError,
    /// Not checked, because it could not change the result: the
    /// identifier did not authenticate, or another one already passed
    /// aligned, or the evaluation had used up its
    /// [`MAX_ALIGNMENT_WALKS`]. Identical domains are always checked.
    NotChecked,
}

/// The most tree walks one evaluation makes for relaxed alignment: the
/// DKIM signatures of a message are the sender's to choose, and each
/// other domain can cost a walk of up to 8 queries.
pub const MAX_ALIGNMENT_WALKS: usize = 8;

impl Alignment {
    /// Aligned (identical or relaxed).
    pub fn is_aligned(self) -> bool {
        matches!(self, Self::Identical | Self::Relaxed)
    }
}

/// One authenticated identifier and how it fared.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IdentifierCheck {
    /// The identifier's domain (lower-case A-label as given, or as
    /// written when it is not a valid name).
    pub domain: String,
    /// Whether SPF passed for it, or the DKIM signature verified.
    pub authenticated: bool,
    /// The alignment mode the record asks for (`aspf` or `adkim`).
    pub mode: AlignmentMode,
    /// Its alignment with the Author Domain.
    pub alignment: Alignment,
}

impl IdentifierCheck {
    /// Authenticated and aligned: enough for DMARC to pass.
    pub fn passes(&self) -> bool {
        self.authenticated && self.alignment.is_aligned()
    }
}

/// The DMARC evaluation of one message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DmarcOutput {
    /// The result.
    pub result: DmarcResult,
    /// The Author Domain as given.
    pub from_domain: String,
    /// Policy discovery for it; `None` when it is not a valid domain.
    pub discovery: Option<PolicyDiscovery>,
    /// The SPF identifier, if SPF was checked.
    pub spf: Option<IdentifierCheck>,
    /// The DKIM identifiers.
    pub dkim: Vec<IdentifierCheck>,
    /// What to do with this message: the applied policy when the result is
    /// `fail`, otherwise `none`.
    pub disposition: Policy,
}

impl DmarcOutput {
    /// The policy the record asks to apply to failing mail, after `t=y`.
    pub fn applied_policy(&self) -> Option<Policy> {
        self.discovery.as_ref()?.policy()?.applied_policy
    }

    /// The `dmarc` method of `Authentication-Results` (RFC 8601 §2.7, RFC
    /// 9989 §9.2): `dmarc=<result> header.from=<domain>` and, when a policy
    /// was found, `policy.dmarc=<applied policy>`.
    pub fn authentication_results(&self) -> String {
        let domain = self
            .discovery
            .as_ref()
            .map_or(self.from_domain.as_str(), |d| d.domain.as_str());
        let safe = !domain.is_empty()
            && domain
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
        let mut out = format!("dmarc={} header.from=", self.result);
        if safe {
            out.push_str(domain);
        } else {
            out.push('"');
            out.extend(
                domain
                    .chars()
                    .filter(|c| !c.is_control() && *c != '"' && *c != '\\'),
            );
            out.push('"');
        }
        if let Some(policy) = self.applied_policy() {
            out.push_str(" policy.dmarc=");
            out.push_str(policy.as_str());
        }
        out
    }
}

/// Evaluates DMARC for one message (RFC 9989 §5.3): discovers the Author
/// Domain's policy, checks each authenticated identifier's alignment and
/// gives the result and the disposition.
///
/// DNS failures during discovery give `temperror` (§5.3.6). An invalid
/// Author Domain (it comes from the message) gives `permerror`.
/// Organizational Domains of other identifiers are found by their own tree
/// walks, sharing the queries already made; none is needed when the
/// domains are identical, when the mode is strict, or when their top-level
/// labels differ.
pub async fn evaluate(resolver: &dyn DnsResolver, input: &DmarcInput) -> DmarcOutput {
    let mut output = DmarcOutput {
        result: DmarcResult::PermError,
        from_domain: input.from_domain.clone(),
        discovery: None,
        spf: None,
        dkim: Vec::new(),
        disposition: Policy::None,
    };
    let Ok(author) = normalize_domain(&input.from_domain) else {
        return output;
    };
    let mut walker = Walker::new(resolver);
    let discovery = walker.discover(&author).await;
    let (record, declared) = match &discovery.outcome {
        DiscoveryOutcome::Found(found) => (found.record.clone(), found.declared_policy),
        DiscoveryOutcome::NoRecord => {
            output.result = DmarcResult::None;
            output.discovery = Some(discovery);
            return output;
        }
        DiscoveryOutcome::TempError { .. } => {
            output.result = DmarcResult::TempError;
            output.discovery = Some(discovery);
            return output;
        }
    };
    let author_org = discovery.organizational_domain.clone();
    let (mut walks, mut passed) = (0, false);
    let mut check = async |domain: &str, authenticated: bool, mode: AlignmentMode| {
        let alignment = match normalize_domain(domain) {
            Err(_) => Alignment::NotAligned,
            Ok(domain) if domain == author => Alignment::Identical,
            Ok(_) if !authenticated || passed || walks >= MAX_ALIGNMENT_WALKS => {
                Alignment::NotChecked
            }
            Ok(domain) => {
                walks += 1;
                align(&mut walker, &author, &author_org, &domain, mode).await
            }
        };
        passed |= authenticated && alignment.is_aligned();
        IdentifierCheck {
            domain: domain.to_owned(),
            authenticated,
            mode,
            alignment,
        }
    };
    if let Some((domain, result)) = &input.spf {
        output.spf = Some(check(domain, *result == SpfResult::Pass, record.spf_alignment()).await);
    }
    for (domain, pass) in &input.dkim {
        let dkim = check(domain, *pass, record.dkim_alignment()).await;
        output.dkim.push(dkim);
    }
    let identifiers = || output.spf.iter().chain(&output.dkim);
    output.result = if declared.is_none() {
        DmarcResult::None
    } else if identifiers().any(IdentifierCheck::passes) {
        DmarcResult::Pass
    } else if identifiers().any(|i| i.authenticated && i.alignment == Alignment::TempError) {
        DmarcResult::TempError
    } else {
        DmarcResult::Fail
    };
    let applied = discovery.policy().and_then(|p| p.applied_policy);
    if let (DmarcResult::Fail, Some(policy)) = (output.result, applied) {
        output.disposition = policy;
    }
    output.discovery = Some(discovery);
    output
}

/// Alignment of `domain`, which is not the Author Domain itself, with it
/// (§4.4): in relaxed mode, names with the same Organizational Domain
/// align.
async fn align(
    walker: &mut Walker<'_>,
    author: &str,
    author_org: &str,
    domain: &str,
    mode: AlignmentMode,
) -> Alignment {
    let top = |name: &str| name.rsplit('.').next().map(str::to_owned);
    if mode == AlignmentMode::Strict || top(domain) != top(author) {
        return Alignment::NotAligned;
    }
    match walker.organizational_domain(domain).await {
        Ok(org) if org == author_org => Alignment::Relaxed,
        Ok(_) => Alignment::NotAligned,
        Err(_) => Alignment::TempError,
    }
}

/// Policy discovery alone (RFC 9989 §4.10, §4.10.1, §4.10.2) for `domain`:
/// the tree walk, the Organizational Domain and the applicable policy.
///
/// # Errors
/// [`DmarcError::InvalidDomain`] when `domain` is not a valid domain name.
pub async fn discover_policy(
    resolver: &dyn DnsResolver,
    domain: &str,
) -> Result<PolicyDiscovery, DmarcError> {
    let domain = normalize_domain(domain)?;
    Ok(Walker::new(resolver).discover(&domain).await)
}
