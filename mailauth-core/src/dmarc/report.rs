//! Report-destination authorisation (RFC 9990 §3, "Verifying External
//! Destinations"): may reports about one domain go to another's host?

use super::discovery::{WalkScope, Walker};
use super::parse::parse;
use super::record::{DmarcRecord, ReportUri};
use super::{DmarcError, normalize_domain};
use crate::dns::{DnsResolver, LookupError, validate_name};

/// The most destinations of one record that are checked; the rest are
/// [`DestinationStatus::NotChecked`].
pub const MAX_CHECKED_DESTINATIONS: usize = 32;

/// Whether reports may be sent to one `rua` or `ruf` destination.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DestinationStatus {
    /// The host has the policy domain's Organizational Domain: no check
    /// is needed.
    SameOrganization,
    /// The destination published an authorising record.
    Authorized {
        /// The name that holds it.
        record_name: String,
    },
    /// The authorising record has its own `rua`/`ruf` on the same host:
    /// reports go there instead.
    Overridden {
        /// The name that holds the authorising record.
        record_name: String,
        /// The destinations to use instead.
        uris: Vec<ReportUri>,
    },
    /// No authorising record: send no report there.
    NotAuthorized {
        /// The name that was asked, if one could be formed.
        record_name: Option<String>,
    },
    /// The authorising record overrides the destination with a URI on
    /// another host: RFC 9990 §3 says to report to neither.
    OverrideRejected {
        /// The name that holds the authorising record.
        record_name: String,
    },
    /// Not checked: the record lists more destinations than
    /// [`MAX_CHECKED_DESTINATIONS`]. A hostile record can list thousands,
    /// each needing queries.
    NotChecked,
    /// The check failed (timeout, server failure); it may be retried.
    TempError {
        /// The name whose query failed.
        record_name: String,
        /// How.
        error: LookupError,
    },
}

impl DestinationStatus {
    /// Whether reports may go to the destination or its override.
    pub fn is_authorized(&self) -> bool {
        matches!(
            self,
            Self::SameOrganization | Self::Authorized { .. } | Self::Overridden { .. }
        )
    }
}

/// The two kinds of report destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportTag {
    /// `rua`: aggregate reports (RFC 9990).
    Rua,
    /// `ruf`: failure reports (RFC 9991).
    Ruf,
}

crate::token::tokens! {
    ReportTag "report tag" {
        Rua = "rua",
        Ruf = "ruf",
    }
}

/// One report destination and its authorisation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ReportDestination {
    /// `rua` or `ruf`.
    pub tag: ReportTag,
    /// The destination as published.
    pub uri: ReportUri,
    /// The verdict.
    pub status: DestinationStatus,
}

/// Checks every `rua` and `ruf` destination of the record `policy_domain`
/// publishes (RFC 9990 §3), the first [`MAX_CHECKED_DESTINATIONS`] of
/// them.
///
/// A destination whose host has a different Organizational Domain (RFC
/// 9989 §4.10.2) than the policy domain must publish a TXT record starting
/// with `v=DMARC1` at `<policy-domain>._report._dmarc.<host>`; a wildcard
/// there is answered by the DNS, so only that name is asked. A `rua` (or,
/// for failure reports, `ruf`) in that record replaces the destination if
/// all its URIs are on the same host; otherwise reports go to neither.
///
/// # Errors
/// [`DmarcError::InvalidDomain`] when `policy_domain` is not a valid
/// domain name.
pub async fn authorize_report_destinations(
    resolver: &dyn DnsResolver,
    policy_domain: &str,
    record: &DmarcRecord,
) -> Result<Vec<ReportDestination>, DmarcError> {
    let policy_domain = normalize_domain(policy_domain)?;
    let mut walker = Walker::new(resolver);
    let policy_org = walker
        .organizational_domain(&policy_domain, WalkScope::Full)
        .await;
    let mut out = Vec::new();
    for (tag, uris) in [(ReportTag::Rua, &record.rua), (ReportTag::Ruf, &record.ruf)] {
        for uri in uris {
            let status = match &policy_org {
                _ if out.len() >= MAX_CHECKED_DESTINATIONS => DestinationStatus::NotChecked,
                Err(failed) => DestinationStatus::TempError {
                    record_name: failed.name.clone(),
                    error: failed.error.clone(),
                },
                Ok(org) => destination(&mut walker, resolver, &policy_domain, org, tag, uri).await,
            };
            out.push(ReportDestination {
                tag,
                uri: uri.clone(),
                status,
            });
        }
    }
    Ok(out)
}

/// The verdict for one destination.
async fn destination(
    walker: &mut Walker<'_>,
    resolver: &dyn DnsResolver,
    policy_domain: &str,
    policy_org: &str,
    tag: ReportTag,
    uri: &ReportUri,
) -> DestinationStatus {
    match walker
        .organizational_domain(&uri.host, WalkScope::Full)
        .await
    {
        Ok(org) if org == policy_org => return DestinationStatus::SameOrganization,
        Ok(_) => {}
        Err(failed) => {
            return DestinationStatus::TempError {
                record_name: failed.name,
                error: failed.error,
            };
        }
    }
    let name = format!("{policy_domain}._report._dmarc.{}", uri.host);
    if validate_name(&name).is_err() {
        return DestinationStatus::NotAuthorized { record_name: None };
    }
    let records = match resolver.txt(&name).await {
        Ok(txts) => txts
            .iter()
            .filter_map(|txt| parse(&String::from_utf8_lossy(&txt.joined())).ok())
            .collect::<Vec<_>>(),
        Err(error) if error.is_temporary() => {
            return DestinationStatus::TempError {
                record_name: name,
                error,
            };
        }
        Err(_) => Vec::new(),
    };
    let Some(authorizing) = records.first() else {
        return DestinationStatus::NotAuthorized {
            record_name: Some(name),
        };
    };
    let overrides = if tag == ReportTag::Rua {
        &authorizing.rua
    } else {
        &authorizing.ruf
    };
    if overrides.is_empty() {
        DestinationStatus::Authorized { record_name: name }
    } else if overrides.iter().all(|o| o.host == uri.host) {
        DestinationStatus::Overridden {
            record_name: name,
            uris: overrides.clone(),
        }
    } else {
        DestinationStatus::OverrideRejected { record_name: name }
    }
}
