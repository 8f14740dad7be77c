//! DMARC evaluation (RFC 9989 §4.4, §5.3): identifier alignment and the
//! result for one message.

use super::discovery::{DiscoveryOutcome, FailedQuery, PolicyDiscovery, Scope, WalkScope, Walker};
use super::record::{AlignmentMode, Policy};
use super::{DmarcError, normalize_domain};
use crate::dns::{DnsResolver, name_within};
use crate::spf::SpfResult;

/// The DMARC result (RFC 9989 §9.2, the `dmarc` method of
/// `Authentication-Results`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

crate::token::tokens! {
    DmarcResult "DMARC result" {
        Pass = "pass",
        Fail = "fail",
        None = "none",
        TempError = "temperror",
        PermError = "permerror",
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
pub enum Alignment {
    /// The domains are identical (aligned in either mode).
    Identical,
    /// Different domains with the same Organizational Domain (aligned in
    /// relaxed mode).
    Relaxed,
    /// Not aligned in the record's mode.
    NotAligned,
    /// A query whose answer could make the identifier aligned or not
    /// failed (see the [module documentation](super)).
    TempError,
    /// Not checked, because it could not change the result: the
    /// identifier did not authenticate, or another one already passed
    /// aligned, or the evaluation had used up its
    /// [`MAX_ALIGNMENT_WALKS`]. Identical domains are always checked.
    NotChecked,
}

crate::token::tokens! {
    Alignment "alignment" {
        Identical = "identical",
        Relaxed = "relaxed",
        NotAligned = "not_aligned",
        TempError = "temperror",
        NotChecked = "not_checked",
    }
}

/// The most identifiers whose own tree walk one evaluation makes for
/// relaxed alignment: the DKIM signatures of a message are the sender's to
/// choose, and each domain below the Author Domain's Organizational
/// Domain can cost a walk of up to 8 queries.
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
#[non_exhaustive]
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
#[non_exhaustive]
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
        let token = !domain.is_empty()
            && domain
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
        let mut out = format!("dmarc={} header.from=", self.result);
        if token {
            out.push_str(domain);
        } else {
            crate::text::push_quoted(&mut out, domain);
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
/// An invalid Author Domain (it comes from the message) gives `permerror`.
/// A failed DNS query gives `temperror` only where its answer could change
/// the result; the [module documentation](super) lists those queries.
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
    let mut aligner = Aligner {
        walker: Walker::new(resolver),
        author,
        author_org: None,
        walks: 0,
    };
    let mut discovery = aligner
        .walker
        .discover(&aligner.author, Scope::Policy)
        .await;
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
    aligner.author_org = discovery.organizational_domain.clone().map(Ok);
    let mut passed = false;
    let mut check = async |domain: &str, authenticated: bool, mode: AlignmentMode| {
        let alignment = match normalize_domain(domain) {
            Err(_) => Alignment::NotAligned,
            Ok(domain) if domain == aligner.author => Alignment::Identical,
            Ok(_) if !authenticated || passed => Alignment::NotChecked,
            // §4.4: strict alignment is identity, which needs no query.
            Ok(_) if mode == AlignmentMode::Strict => Alignment::NotAligned,
            Ok(domain) => aligner.relaxed(&domain).await,
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
    if let Some(Ok(org)) = aligner.author_org {
        discovery.organizational_domain = Some(org);
    }
    discovery.queries = aligner.walker.queries;
    output.discovery = Some(discovery);
    output
}

/// The relaxed alignment checks of one evaluation, sharing one walker.
struct Aligner<'r> {
    walker: Walker<'r>,
    /// The Author Domain, a lower-case A-label.
    author: String,
    /// The Author Domain's Organizational Domain, once its walk was made.
    author_org: Option<Result<String, FailedQuery>>,
    /// Identifiers whose own walk was made.
    walks: usize,
}

impl Aligner<'_> {
    /// Relaxed alignment (§4.4) of `domain`, a valid name other than the
    /// Author Domain: the same Organizational Domain (§4.10.2).
    ///
    /// The Organizational Domain of a name is the name or one of its
    /// ancestors, so only a domain at or below the Author Domain's
    /// Organizational Domain can align; any other is judged without a
    /// query of its own. Of a candidate's walk, the names that are not the
    /// Author Domain or its ancestors belong to the identifier alone, and
    /// a record there can only give it an Organizational Domain of its own
    /// (`psd=n`, `psd=y`, or the fewest labels among no shared record):
    /// so the walk is first made with those names taken as empty, and
    /// when that already gives another Organizational Domain, the result
    /// is `NotAligned` without asking them. Only otherwise are they asked,
    /// and only then can their failure make the alignment a temporary
    /// error.
    async fn relaxed(&mut self, domain: &str) -> Alignment {
        if top_label(domain) != top_label(&self.author) {
            return Alignment::NotAligned;
        }
        let org = match self.author_org().await {
            Ok(org) => org,
            Err(_) => return Alignment::TempError,
        };
        if !name_within(domain, &org) {
            return Alignment::NotAligned;
        }
        if self.walks >= MAX_ALIGNMENT_WALKS {
            return Alignment::NotChecked;
        }
        self.walks += 1;
        let shared = WalkScope::AncestorsOf(&self.author);
        match self.walker.organizational_domain(domain, shared).await {
            Ok(found) if found == org => {}
            Ok(_) => return Alignment::NotAligned,
            Err(_) => return Alignment::TempError,
        }
        match self
            .walker
            .organizational_domain(domain, WalkScope::Full)
            .await
        {
            Ok(found) if found == org => Alignment::Relaxed,
            Ok(_) => Alignment::NotAligned,
            Err(_) => Alignment::TempError,
        }
    }

    /// The Author Domain's Organizational Domain: the rest of its walk,
    /// made once, when a relaxed alignment first needs it.
    async fn author_org(&mut self) -> Result<String, FailedQuery> {
        if let Some(found) = &self.author_org {
            return found.clone();
        }
        let found = self
            .walker
            .organizational_domain(&self.author, WalkScope::Full)
            .await;
        self.author_org = Some(found.clone());
        found
    }
}

/// The last label of a name.
fn top_label(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
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
    Ok(Walker::new(resolver).discover(&domain, Scope::Full).await)
}
