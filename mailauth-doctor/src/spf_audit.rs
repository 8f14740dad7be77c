//! A static audit of a domain's published SPF record: what every receiver
//! will run into, whatever IP sends (RFC 7208 §4.6.4 limits, §5.2
//! includes without a record, `+all`, `ptr`, a missing `all`).

use std::collections::HashSet;

use mailauth_core::dns::{DnsResolver, LookupError};
use mailauth_core::spf::{
    Directive, Mechanism, Modifier, Qualifier, SpfRecord, Term, is_spf_record,
};

/// The most records the audit follows (includes and redirects), so that a
/// hostile chain cannot make it run long.
const MAX_RECORDS: usize = 30;

/// The most `a`/`mx`/`exists` targets the audit resolves for the void
/// count; a hostile record can hold thousands.
const MAX_TARGET_LOOKUPS: u32 = 50;

/// Why a domain has no SPF record that receivers can use.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum RecordProblem {
    /// The domain does not exist (NXDOMAIN): no record can be published
    /// until it does.
    NoDomain,
    /// The domain exists and publishes no SPF record (RFC 7208 §4.5:
    /// `none`).
    NoRecord,
    /// More than one SPF record: `permerror` (§4.5, §3.2); the records as
    /// published, in the order DNS gave them.
    Several {
        /// The records' texts.
        records: Vec<String>,
    },
    /// The one record does not parse: `permerror` (§4.6).
    Syntax {
        /// The record as published.
        record: String,
        /// The byte offset of the error in `record`.
        offset: usize,
        /// What is wrong there.
        error: String,
    },
    /// DNS did not answer (timeout, SERVFAIL): `temperror` (§4.4); nothing
    /// is known about the record.
    Dns {
        /// The failure.
        error: String,
    },
}

impl std::fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoDomain => f.write_str("the domain does not exist (NXDOMAIN)"),
            Self::NoRecord => f.write_str("no SPF record"),
            Self::Several { records } => write!(f, "{} SPF records (permerror)", records.len()),
            Self::Syntax { offset, error, .. } => {
                write!(f, "the SPF record does not parse at byte {offset}: {error}")
            }
            Self::Dns { error } => write!(f, "TXT lookup failed: {error}"),
        }
    }
}

/// A parent of an `include:` target without a record that has one.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct IncludeParent {
    /// The target as the record names it.
    pub include: String,
    /// Its nearest parent (of two labels or more) with an SPF record.
    pub parent: String,
}

/// What the audit found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SpfAudit {
    /// The domain audited.
    pub domain: String,
    /// Its SPF record as published, if it has exactly one that parses.
    pub record: Option<String>,
    /// Why there is no usable record.
    pub problem: Option<RecordProblem>,
    /// DNS-querying terms over the whole tree (`include`, `a`, `mx`,
    /// `ptr`, `exists`, `redirect`): RFC 7208 §4.6.4 allows 10.
    pub dns_terms: u32,
    /// `a`/`mx`/`exists` targets and includes that do not exist or have
    /// no data: §4.6.4 allows 2 per evaluation.
    pub void_lookups: u32,
    /// The terms that gave the void lookups (`a:gone.example`).
    pub void_terms: Vec<String>,
    /// `include:` targets that publish no SPF record (permerror, §5.2).
    pub includes_without_record: Vec<String>,
    /// For such targets, the nearest parent domain that publishes an SPF
    /// record (`smtp.isp.example` → `isp.example`): the name its operator
    /// most likely meant to be included.
    pub include_parents: Vec<IncludeParent>,
    /// A `+all` (or bare `all`): every host on the internet passes.
    pub plus_all: bool,
    /// A `ptr` mechanism somewhere (§5.5: "SHOULD NOT be used").
    pub uses_ptr: bool,
    /// The top record ends in neither `all` nor `redirect=`.
    pub missing_all: bool,
    /// DNS failures met on the way (the counts may be low).
    pub dns_errors: Vec<String>,
    /// The audit stopped following records or resolving targets at its
    /// limits (30 records, 50 targets): the counts are lower bounds.
    pub truncated: bool,
    /// Targets resolved so far.
    #[cfg_attr(feature = "serde", serde(skip))]
    target_lookups: u32,
}

/// The one SPF record at `domain`, selected as check_host() selects it
/// (RFC 7208 §4.5), with its text as published.
async fn spf_record(
    resolver: &dyn DnsResolver,
    domain: &str,
) -> Result<(String, SpfRecord), RecordProblem> {
    let txts = match resolver.txt(domain).await {
        Ok(txts) => txts,
        Err(LookupError::NxDomain) => return Err(RecordProblem::NoDomain),
        Err(e) if e.is_void() => return Err(RecordProblem::NoRecord),
        Err(e) => {
            return Err(RecordProblem::Dns {
                error: format!("TXT {domain}: {e}"),
            });
        }
    };
    let texts: Vec<String> = txts
        .iter()
        .map(|t| t.joined())
        .filter(|text| is_spf_record(text))
        .map(|text| String::from_utf8_lossy(&text).into_owned())
        .collect();
    match <[String; 1]>::try_from(texts) {
        Ok([text]) => match SpfRecord::parse(&text) {
            Ok(record) => Ok((text, record)),
            Err(e) => Err(RecordProblem::Syntax {
                offset: e.offset(),
                error: e.to_string(),
                record: text,
            }),
        },
        Err(texts) if texts.is_empty() => Err(RecordProblem::NoRecord),
        Err(records) => Err(RecordProblem::Several { records }),
    }
}

/// Audits the SPF record of `domain`, following literal `include:` and
/// `redirect=` targets (targets with macros depend on the sender and are
/// counted but not followed).
pub async fn audit_spf(resolver: &dyn DnsResolver, domain: &str) -> SpfAudit {
    let mut audit = SpfAudit {
        domain: domain.to_owned(),
        ..SpfAudit::default()
    };
    let top = match spf_record(resolver, domain).await {
        Ok(found) => found,
        Err(problem) => {
            audit.problem = Some(problem);
            return audit;
        }
    };
    audit.record = Some(top.0.clone());
    audit.missing_all =
        !top.1.directives().any(|d| d.mechanism == Mechanism::All) && top.1.redirect().is_none();
    let mut seen = HashSet::from([domain.to_ascii_lowercase()]);
    let mut queue = vec![(domain.to_owned(), top.1)];
    while let Some((owner, record)) = queue.pop() {
        for term in record.terms() {
            match term {
                Term::Directive(directive) => {
                    if directive.mechanism.queries_dns() {
                        audit.dns_terms += 1;
                    }
                    if let Some(target) =
                        audit_directive(resolver, &mut audit, &owner, directive).await
                        && next_record(&mut audit, &mut seen, &target)
                    {
                        follow(resolver, &mut audit, &target, true, &mut queue).await;
                    }
                }
                Term::Modifier(Modifier::Redirect(target)) => {
                    audit.dns_terms += 1;
                    let target = target.to_string();
                    if literal_domain(&target) && next_record(&mut audit, &mut seen, &target) {
                        follow(resolver, &mut audit, &target, false, &mut queue).await;
                    }
                }
                _ => {}
            }
        }
    }
    for target in audit
        .includes_without_record
        .clone()
        .iter()
        .take(MAX_PARENT_PROBES)
    {
        if let Some(parent) = parent_with_record(resolver, target).await {
            audit.include_parents.push(IncludeParent {
                include: target.clone(),
                parent,
            });
        }
    }
    audit
}

/// How many includes without a record get their parents probed.
const MAX_PARENT_PROBES: usize = 5;

/// The nearest parent of `target`, of two labels or more and at most four
/// up, that publishes an SPF record that parses.
async fn parent_with_record(resolver: &dyn DnsResolver, target: &str) -> Option<String> {
    let mut rest = target.trim_end_matches('.');
    for _ in 0..4 {
        let (_, parent) = rest.split_once('.')?;
        if !parent.contains('.') {
            return None;
        }
        if spf_record(resolver, parent).await.is_ok() {
            return Some(parent.to_owned());
        }
        rest = parent;
    }
    None
}

/// Whether to follow `target`: not seen yet, and within [`MAX_RECORDS`].
fn next_record(audit: &mut SpfAudit, seen: &mut HashSet<String>, target: &str) -> bool {
    if !seen.insert(target.to_ascii_lowercase()) {
        return false;
    }
    let within = seen.len() <= MAX_RECORDS;
    audit.truncated |= !within;
    within
}

/// One more target lookup, if the budget allows.
fn take_lookup(audit: &mut SpfAudit) -> bool {
    let within = audit.target_lookups < MAX_TARGET_LOOKUPS;
    audit.target_lookups += u32::from(within);
    audit.truncated |= !within;
    within
}

/// Notes what one directive says; returns an include target to follow.
async fn audit_directive(
    resolver: &dyn DnsResolver,
    audit: &mut SpfAudit,
    owner: &str,
    directive: &Directive,
) -> Option<String> {
    match &directive.mechanism {
        Mechanism::All if directive.qualifier == Qualifier::Pass => audit.plus_all = true,
        Mechanism::Ptr(_) => audit.uses_ptr = true,
        Mechanism::Include(target) => {
            let target = target.to_string();
            return literal_domain(&target).then_some(target);
        }
        Mechanism::A { domain, .. } | Mechanism::Mx { domain, .. } => {
            let target = domain
                .as_ref()
                .map_or_else(|| owner.to_owned(), ToString::to_string);
            if literal_domain(&target) && take_lookup(audit) {
                let is_mx = matches!(directive.mechanism, Mechanism::Mx { .. });
                let outcome = if is_mx {
                    resolver.mx(&target).await.map(|_| ())
                } else {
                    match resolver.a(&target).await {
                        Ok(_) => Ok(()),
                        Err(e) if e.is_void() => resolver.aaaa(&target).await.map(|_| ()),
                        Err(e) => Err(e),
                    }
                };
                note_void(audit, directive, &target, outcome);
            }
        }
        Mechanism::Exists(target) => {
            let target = target.to_string();
            if literal_domain(&target) && take_lookup(audit) {
                let outcome = resolver.a(&target).await.map(|_| ());
                note_void(audit, directive, &target, outcome);
            }
        }
        _ => {}
    }
    None
}

fn note_void(
    audit: &mut SpfAudit,
    directive: &Directive,
    target: &str,
    outcome: Result<(), LookupError>,
) {
    match outcome {
        Err(e) if e.is_void() => {
            audit.void_lookups += 1;
            audit.void_terms.push(directive.to_string());
        }
        Err(e) => audit.dns_errors.push(format!("{target}: {e}")),
        Ok(()) => {}
    }
}

/// Fetches an include's or redirect's record and queues it.
async fn follow(
    resolver: &dyn DnsResolver,
    audit: &mut SpfAudit,
    target: &str,
    include: bool,
    queue: &mut Vec<(String, SpfRecord)>,
) {
    match spf_record(resolver, target).await {
        Ok((_, record)) => queue.push((target.to_owned(), record)),
        Err(RecordProblem::NoDomain | RecordProblem::NoRecord) if include => {
            audit.includes_without_record.push(target.to_owned());
        }
        Err(problem) => {
            let term = if include {
                format!("include:{target}")
            } else {
                format!("redirect={target}")
            };
            audit.dns_errors.push(format!("{term}: {problem}"));
        }
    }
}

/// A macro-free target: the same for every sender.
fn literal_domain(text: &str) -> bool {
    !text.contains('%') && !text.is_empty()
}
