//! Finding the policy: the DNS Tree Walk (RFC 9989 §4.10), the
//! Organizational Domain (§4.10.2) and the applicable policy (§4.10.1).

use super::parse::{Diagnostic, validate};
use super::record::{DmarcRecord, Policy, PsdFlag};
use crate::dns::{DnsResolver, LookupError, RecordType, name_within, validate_name};

/// The most queries of one tree walk (RFC 9989 §4.10).
pub const MAX_WALK_QUERIES: usize = 8;

/// One DNS query sent during discovery.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DnsQuery {
    /// The record type asked for.
    pub record_type: RecordType,
    /// The name asked for.
    pub name: String,
}

/// What `_dmarc.<domain>` holds (RFC 9989 §4.10 steps 1-2).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DmarcAtName {
    /// No TXT record that starts with `v=DMARC1` (or NXDOMAIN, NODATA).
    None,
    /// Exactly one DMARC record.
    Record {
        /// The record's text as published (its character-strings joined):
        /// the diagnostics' offsets point into it.
        text: String,
        /// The record as receivers read it.
        record: DmarcRecord,
        /// The validator's findings about it.
        diagnostics: Vec<Diagnostic>,
    },
    /// More than one DMARC record: all are discarded (§4.10 step 2).
    Discarded {
        /// The records' texts as published (their character-strings
        /// joined), sorted, for a report that shows what to merge.
        records: Vec<String>,
    },
}

impl DmarcAtName {
    /// The record, if exactly one was found.
    pub fn record(&self) -> Option<&DmarcRecord> {
        match self {
            Self::Record { record, .. } => Some(record),
            _ => None,
        }
    }
}

/// A query that failed (timeout, server failure).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct FailedQuery {
    /// The name asked for.
    pub name: String,
    /// How it failed.
    pub error: LookupError,
}

/// One step of the tree walk.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct WalkStep {
    /// The domain whose `_dmarc` name was asked.
    pub domain: String,
    /// What it holds.
    pub found: DmarcAtName,
}

/// Where the applicable record was published (RFC 9989 §4.10.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicySource {
    /// At the Author Domain itself: `p` applies.
    AuthorDomain,
    /// At the Organizational Domain: `sp` or `np` applies.
    OrganizationalDomain,
    /// At a Public Suffix Domain (`psd=y`): `sp` or `np` applies.
    PublicSuffixDomain,
}

crate::token::tokens! {
    PolicySource "policy source" {
        AuthorDomain = "author_domain",
        OrganizationalDomain = "organizational_domain",
        PublicSuffixDomain = "public_suffix_domain",
    }
}

/// The policy record that applies to a domain and what it asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PolicyRecord {
    /// The domain that published the record.
    pub policy_domain: String,
    /// Where that domain stands to the Author Domain.
    pub source: PolicySource,
    /// The record's text as published (its character-strings joined): the
    /// diagnostics' offsets point into it.
    pub text: String,
    /// The record.
    pub record: DmarcRecord,
    /// The validator's findings about it.
    pub diagnostics: Vec<Diagnostic>,
    /// For `sp`/`np`: whether the Author Domain exists (only NXDOMAIN
    /// means it does not, RFC 9989 §4.10.1 and RFC 8020). `None` when it
    /// did not matter (a record at the Author Domain, or `sp` and `np`
    /// equal) and was not asked.
    pub author_domain_exists: Option<bool>,
    /// The policy the record declares for the Author Domain (`p`, `sp` or
    /// `np`); `None` when the record has no valid `p` and no valid `rua`,
    /// so no DMARC policy applies.
    pub declared_policy: Option<Policy>,
    /// The policy to apply to failing mail: the declared one, one level
    /// lower under `t=y`.
    pub applied_policy: Option<Policy>,
}

/// How policy discovery ended.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DiscoveryOutcome {
    /// A policy record applies.
    Found(PolicyRecord),
    /// No DMARC record for the domain, its Organizational Domain or a
    /// Public Suffix Domain: DMARC does not apply.
    NoRecord,
    /// A query failed (timeout, server failure): the policy is unknown
    /// (RFC 9989 §5.3.6: the message neither passes nor fails).
    TempError {
        /// The name whose query failed.
        name: String,
        /// How.
        error: LookupError,
    },
}

/// Policy discovery for one domain: the outcome, the walk that led to it
/// and every query sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PolicyDiscovery {
    /// The domain, as its lower-case A-label.
    pub domain: String,
    /// Its Organizational Domain (§4.10.2; the domain itself when the walk
    /// found no record). `None` when it is not known: a query of the walk
    /// failed, or the walk was not needed ([`evaluate`](super::evaluate)
    /// stops at a record published at the Author Domain and walks on only
    /// when a relaxed alignment needs it).
    pub organizational_domain: Option<String>,
    /// The outcome.
    pub outcome: DiscoveryOutcome,
    /// The tree walk's steps, longest name first.
    pub walk: Vec<WalkStep>,
    /// The walk's query that failed, if one did. With a record at the
    /// domain itself the policy is still known (the outcome is
    /// [`DiscoveryOutcome::Found`]) and only the Organizational Domain is
    /// not; otherwise the outcome is [`DiscoveryOutcome::TempError`].
    pub walk_error: Option<FailedQuery>,
    /// Every DNS query sent, in order.
    pub queries: Vec<DnsQuery>,
}

impl PolicyDiscovery {
    /// The applicable record, if one was found.
    pub fn policy(&self) -> Option<&PolicyRecord> {
        match &self.outcome {
            DiscoveryOutcome::Found(found) => Some(found),
            _ => None,
        }
    }
}

/// A tree walk's steps, or the query that failed.
pub(crate) struct Walk {
    pub(crate) steps: Vec<WalkStep>,
    pub(crate) failure: Option<FailedQuery>,
    /// The walk ran to its end (§4.10 step 4), so its steps give the
    /// Organizational Domain.
    pub(crate) complete: bool,
}

/// Which names of a walk are asked.
#[derive(Clone, Copy)]
pub(crate) enum WalkScope<'a> {
    /// Every name, to the end of the walk.
    Full,
    /// Stop after the starting name when it holds a record: the policy is
    /// then known (§4.10.1) and the rest is needed only for alignment.
    UntilStartRecord,
    /// Only this domain and its ancestors; the other names are taken as
    /// holding no record, without a query.
    AncestorsOf(&'a str),
}

/// How far policy discovery walks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// What the policy needs: a record at the domain itself ends the walk.
    Policy,
    /// The whole walk, for the Organizational Domain too.
    Full,
}

/// Sends the `_dmarc` queries of one evaluation, each name at most once.
pub(crate) struct Walker<'r> {
    resolver: &'r dyn DnsResolver,
    memo: Vec<(String, Result<DmarcAtName, LookupError>)>,
    pub(crate) queries: Vec<DnsQuery>,
}

impl<'r> Walker<'r> {
    pub(crate) fn new(resolver: &'r dyn DnsResolver) -> Self {
        Self {
            resolver,
            memo: Vec::new(),
            queries: Vec::new(),
        }
    }

    /// The DMARC record at `_dmarc.<domain>` (RFC 9989 §4.10 steps 1-2):
    /// TXT records not starting with `v=DMARC1` are discarded, and several
    /// DMARC records discard each other. A name too long to query holds
    /// nothing.
    async fn dmarc_at(&mut self, domain: &str) -> Result<DmarcAtName, LookupError> {
        if let Some((_, found)) = self.memo.iter().find(|(d, _)| d == domain) {
            return found.clone();
        }
        let name = format!("_dmarc.{domain}");
        let found = if validate_name(&name).is_err() {
            Ok(DmarcAtName::None)
        } else {
            self.queries.push(DnsQuery {
                record_type: RecordType::Txt,
                name: name.clone(),
            });
            match self.resolver.txt(&name).await {
                Ok(txts) => {
                    let mut records: Vec<_> = txts
                        .iter()
                        .filter_map(|txt| {
                            let text = String::from_utf8_lossy(&txt.joined()).into_owned();
                            let validation = validate(&text);
                            Some((text, validation.record?, validation.diagnostics))
                        })
                        .collect();
                    Ok(match records.len() {
                        0 => DmarcAtName::None,
                        1 => {
                            let (text, record, diagnostics) = records.remove(0);
                            DmarcAtName::Record {
                                text,
                                record,
                                diagnostics,
                            }
                        }
                        _ => {
                            // An RRset has no order (RFC 2181 §5): sorted,
                            // every resolver reports the same.
                            let mut texts: Vec<String> =
                                records.into_iter().map(|(text, ..)| text).collect();
                            texts.sort();
                            DmarcAtName::Discarded { records: texts }
                        }
                    })
                }
                Err(e) if e.is_temporary() => Err(e),
                Err(_) => Ok(DmarcAtName::None),
            }
        };
        self.memo.push((domain.to_owned(), found.clone()));
        found
    }

    /// The DNS Tree Walk (RFC 9989 §4.10) from `start`: the name itself,
    /// then, with 8 or more labels, straight to its last 7 labels, then one
    /// label less at a time down to the top-level domain; at most 8
    /// queries. It stops at a record with `psd=y` or `psd=n`, at the first
    /// failed query, and where `scope` says.
    pub(crate) async fn walk(&mut self, start: &str, scope: WalkScope<'_>) -> Walk {
        let mut steps = Vec::new();
        for domain in walk_names(start) {
            let asked = match scope {
                WalkScope::AncestorsOf(base) => name_within(base, domain),
                _ => true,
            };
            let found = if !asked {
                DmarcAtName::None
            } else {
                match self.dmarc_at(domain).await {
                    Ok(found) => found,
                    Err(error) => {
                        return Walk {
                            steps,
                            failure: Some(FailedQuery {
                                name: format!("_dmarc.{domain}"),
                                error,
                            }),
                            complete: false,
                        };
                    }
                }
            };
            let record = found.record();
            let stop = record.is_some_and(|r| matches!(r.psd_flag(), PsdFlag::Yes | PsdFlag::No));
            let known = matches!(scope, WalkScope::UntilStartRecord)
                && steps.is_empty()
                && record.is_some();
            steps.push(WalkStep {
                domain: domain.to_owned(),
                found,
            });
            if known && !stop {
                return Walk {
                    steps,
                    failure: None,
                    complete: false,
                };
            }
            if stop {
                break;
            }
        }
        Walk {
            steps,
            failure: None,
            complete: true,
        }
    }

    /// The Organizational Domain of `domain` (§4.10.2) from a walk in
    /// `scope`, or the failed query.
    pub(crate) async fn organizational_domain(
        &mut self,
        domain: &str,
        scope: WalkScope<'_>,
    ) -> Result<String, FailedQuery> {
        let walk = self.walk(domain, scope).await;
        match walk.failure {
            Some(failure) => Err(failure),
            None => Ok(organizational_domain(domain, &walk.steps).to_owned()),
        }
    }

    /// Whether `domain` exists: one A query, where only NXDOMAIN means it
    /// does not (RFC 9989 §4.10.1, RFC 8020).
    async fn exists(&mut self, domain: &str) -> Result<bool, LookupError> {
        self.queries.push(DnsQuery {
            record_type: RecordType::A,
            name: domain.to_owned(),
        });
        match self.resolver.a(domain).await {
            Err(LookupError::NxDomain) => Ok(false),
            Err(e) if e.is_temporary() => Err(e),
            _ => Ok(true),
        }
    }

    /// Policy discovery (§4.10.1) for `domain` (a lower-case A-label).
    ///
    /// A record at `domain` itself decides the policy (`p`): a failure
    /// later in the walk leaves only the Organizational Domain unknown.
    /// Without one, every query of the walk can change which record
    /// applies, and a failure is a temporary error (§5.3.6).
    pub(crate) async fn discover(&mut self, domain: &str, scope: Scope) -> PolicyDiscovery {
        let walk_scope = match scope {
            Scope::Policy => WalkScope::UntilStartRecord,
            Scope::Full => WalkScope::Full,
        };
        let walk = self.walk(domain, walk_scope).await;
        let own_record = walk
            .steps
            .first()
            .is_some_and(|s| s.domain == domain && s.found.record().is_some());
        let organizational_domain = (walk.complete && walk.failure.is_none())
            .then(|| organizational_domain(domain, &walk.steps).to_owned());
        let outcome = match &walk.failure {
            Some(failed) if !own_record => DiscoveryOutcome::TempError {
                name: failed.name.clone(),
                error: failed.error.clone(),
            },
            _ => match self
                .select(domain, organizational_domain.as_deref(), &walk.steps)
                .await
            {
                Ok(Some(found)) => DiscoveryOutcome::Found(found),
                Ok(None) => DiscoveryOutcome::NoRecord,
                Err(error) => DiscoveryOutcome::TempError {
                    name: domain.to_owned(),
                    error,
                },
            },
        };
        PolicyDiscovery {
            domain: domain.to_owned(),
            organizational_domain,
            outcome,
            walk: walk.steps,
            walk_error: walk.failure,
            queries: self.queries.clone(),
        }
    }

    /// §4.10.1: the record at the Author Domain, else the Organizational
    /// Domain's, else a Public Suffix Domain's (never when the
    /// Organizational Domain has its own), and the policy it gives.
    /// `org` is known whenever no record stands at `domain` (the walk then
    /// ran to its end).
    async fn select(
        &mut self,
        domain: &str,
        org: Option<&str>,
        steps: &[WalkStep],
    ) -> Result<Option<PolicyRecord>, LookupError> {
        let at = |name: Option<&str>| steps.iter().find(|s| Some(s.domain.as_str()) == name);
        let psd = steps.iter().find(|s| {
            s.found
                .record()
                .is_some_and(|r| r.psd_flag() == PsdFlag::Yes)
        });
        let (step, source) = match (at(Some(domain)), at(org)) {
            (Some(step), _) if step.found.record().is_some() => (step, PolicySource::AuthorDomain),
            (_, Some(step)) if step.found.record().is_some() => {
                (step, PolicySource::OrganizationalDomain)
            }
            _ => match psd {
                Some(step) => (step, PolicySource::PublicSuffixDomain),
                None => return Ok(None),
            },
        };
        let DmarcAtName::Record {
            text,
            record,
            diagnostics,
        } = &step.found
        else {
            return Ok(None);
        };
        let (declared_policy, author_domain_exists) = if source == PolicySource::AuthorDomain {
            (record.policy(), None)
        } else if record.subdomain_policy() == record.nonexistent_policy() {
            (record.subdomain_policy(), None)
        } else if self.exists(domain).await? {
            (record.subdomain_policy(), Some(true))
        } else {
            (record.nonexistent_policy(), Some(false))
        };
        let applied_policy = declared_policy.map(|p| {
            if record.testing() {
                p.relaxed_for_testing()
            } else {
                p
            }
        });
        Ok(Some(PolicyRecord {
            policy_domain: step.domain.clone(),
            source,
            text: text.clone(),
            record: record.clone(),
            diagnostics: diagnostics.clone(),
            author_domain_exists,
            declared_policy,
            applied_policy,
        }))
    }
}

/// The names the walk from `start` asks, longest first (§4.10 step 3).
fn walk_names(start: &str) -> impl Iterator<Item = &str> {
    let labels = start.split('.').count();
    let second = if labels >= 8 { 7 } else { labels - 1 };
    std::iter::once(labels)
        .chain((1..=second).rev())
        .map(move |keep| last_labels(start, keep))
}

/// The last `keep` labels of `name` (all of it if it has no more).
fn last_labels(name: &str, keep: usize) -> &str {
    let mut count = 0;
    for (i, b) in name.bytes().enumerate().rev() {
        if b == b'.' {
            count += 1;
            if count == keep {
                return &name[i + 1..];
            }
        }
    }
    name
}

/// The Organizational Domain from a walk's steps (§4.10.2): a record with
/// `psd=n` names it; a record with `psd=y` other than the starting
/// domain's makes it the name one label longer; otherwise the record with
/// the fewest labels; without records, the starting domain.
pub(crate) fn organizational_domain<'a>(start: &'a str, steps: &[WalkStep]) -> &'a str {
    let records = steps
        .iter()
        .filter_map(|s| Some((s.domain.as_str(), s.found.record()?)));
    let mut fewest = None;
    for (domain, record) in records {
        match record.psd_flag() {
            PsdFlag::No => return last_labels(start, label_count(domain)),
            PsdFlag::Yes if domain != start => {
                return last_labels(start, label_count(domain) + 1);
            }
            _ => fewest = Some(domain),
        }
    }
    fewest.map_or(start, |domain| last_labels(start, label_count(domain)))
}

fn label_count(name: &str) -> usize {
    name.split('.').count()
}
