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

/// What the audit found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SpfAudit {
    /// The domain audited.
    pub domain: String,
    /// Its SPF record text, if it has exactly one.
    pub record: Option<String>,
    /// Why there is no usable record (none, several, syntax, DNS).
    pub problem: Option<String>,
    /// DNS-querying terms over the whole tree (`include`, `a`, `mx`,
    /// `ptr`, `exists`, `redirect`): RFC 7208 §4.6.4 allows 10.
    pub dns_terms: u32,
    /// `a`/`mx`/`exists` targets and includes that do not exist or have
    /// no data: §4.6.4 allows 2 per evaluation.
    pub void_lookups: u32,
    /// `include:` targets that publish no SPF record (permerror, §5.2).
    pub includes_without_record: Vec<String>,
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

/// The SPF records at `domain`: `Ok(None)` when there is none.
async fn spf_record(
    resolver: &dyn DnsResolver,
    domain: &str,
) -> Result<Option<(String, SpfRecord)>, String> {
    let txts = match resolver.txt(domain).await {
        Ok(txts) => txts,
        Err(e) if e.is_void() => return Ok(None),
        Err(e) => return Err(format!("TXT {domain}: {e}")),
    };
    // Record selection as check_host() does it (RFC 7208 §4.5).
    let texts: Vec<String> = txts
        .iter()
        .map(|t| t.joined())
        .filter(|text| is_spf_record(text))
        .map(|text| String::from_utf8_lossy(&text).into_owned())
        .collect();
    match texts.as_slice() {
        [] => Ok(None),
        [text] => SpfRecord::parse(text)
            .map(|record| Some((text.clone(), record)))
            .map_err(|e| format!("the record of {domain} does not parse: {e} ({text:?})")),
        more => Err(format!(
            "{domain} publishes {} SPF records (permerror)",
            more.len()
        )),
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
        Ok(Some(found)) => found,
        Ok(None) => {
            audit.problem = Some(format!("{domain} publishes no SPF record"));
            return audit;
        }
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
    audit
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
                note_void(audit, &target, outcome);
            }
        }
        Mechanism::Exists(target) => {
            let target = target.to_string();
            if literal_domain(&target) && take_lookup(audit) {
                let outcome = resolver.a(&target).await.map(|_| ());
                note_void(audit, &target, outcome);
            }
        }
        _ => {}
    }
    None
}

fn note_void(audit: &mut SpfAudit, target: &str, outcome: Result<(), LookupError>) {
    match outcome {
        Err(e) if e.is_void() => audit.void_lookups += 1,
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
        Ok(Some((_, record))) => queue.push((target.to_owned(), record)),
        Ok(None) => {
            if include {
                audit.includes_without_record.push(target.to_owned());
            } else {
                audit
                    .dns_errors
                    .push(format!("redirect={target}: no SPF record"));
            }
        }
        Err(problem) => audit.dns_errors.push(problem),
    }
}

/// A macro-free target: the same for every sender.
fn literal_domain(text: &str) -> bool {
    !text.contains('%') && !text.is_empty()
}
