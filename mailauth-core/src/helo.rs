//! Checks of the HELO/EHLO name (RFC 5321 §4.1.1.1), each with its own
//! verdict and evidence, and the reply of the matching Postfix restriction,
//! so that a caller applies its own policy:
//!
//! | check | Postfix restriction | default reply |
//! | --- | --- | --- |
//! | syntax | `reject_invalid_helo_hostname` | 501 5.5.2 |
//! | fully qualified | `reject_non_fqdn_helo_hostname` | 504 5.5.2 |
//! | resolves (A, AAAA or MX) | `reject_unknown_helo_hostname` | 450 4.7.1 |
//! | resolves to the client IP | (receivers' scoring) | none |
//! | equals a confirmed PTR name | (receivers' scoring) | none |
//! | address literal is the client IP | `reject_invalid_hostaddr`-style | none |

use std::net::IpAddr;

use crate::dns::{DnsResolver, LookupError, names_equal, normalize_ip};
use crate::hostname::{HeloName, HostnameError};
use crate::iprev::SmtpReply;

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CheckStatus {
    /// The check holds.
    Pass,
    /// It does not.
    Fail,
    /// DNS could not say (timeout, server failure).
    TempError,
    /// It does not apply (a name check on an address literal, say).
    NotApplicable,
}

crate::token::tokens! {
    CheckStatus "check status" {
        Pass = "pass",
        Fail = "fail",
        TempError = "temperror",
        NotApplicable = "not_applicable",
    }
}

/// One check's verdict and what it saw.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct HeloCheck {
    /// The outcome.
    pub status: CheckStatus,
    /// What was seen: names, records, addresses.
    pub evidence: String,
    /// The reply the matching Postfix restriction sends, when it would
    /// reject.
    pub postfix: Option<SmtpReply>,
}

impl HeloCheck {
    fn new(status: CheckStatus, evidence: impl Into<String>) -> Self {
        Self {
            status,
            evidence: evidence.into(),
            postfix: None,
        }
    }

    fn rejected(mut self, code: u16, enhanced: &str, helo: &str, text: &str) -> Self {
        self.postfix = Some(SmtpReply::new(
            code,
            enhanced,
            &format!("<{helo}>: Helo command rejected: {text}"),
        ));
        self
    }

    fn not_applicable(why: &str) -> Self {
        Self::new(CheckStatus::NotApplicable, why)
    }
}

/// All HELO checks for one session.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct HeloReport {
    /// The HELO argument as given.
    pub helo: String,
    /// The parsed name, when the syntax is valid.
    pub name: Option<HeloName>,
    /// A valid host name or address literal.
    pub syntax: HeloCheck,
    /// A fully-qualified name (it has a dot) or an address literal.
    pub fqdn: HeloCheck,
    /// The name has an A, AAAA or MX record (a null MX counts).
    pub resolves: HeloCheck,
    /// The name's addresses (client family) include the client IP.
    pub resolves_to_client: HeloCheck,
    /// The name equals one of the client's confirmed PTR names (iprev).
    pub matches_ptr: HeloCheck,
    /// An address literal equals the client IP.
    pub literal_matches_client: HeloCheck,
}

/// Runs every HELO check. `confirmed_ptr` are the client's PTR names that
/// resolve back to it (from [`crate::iprev::IprevOutput::confirmed`]);
/// `None` skips the PTR comparison.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use mailauth_core::dns::MemoryResolver;
/// use mailauth_core::helo::{check_helo, CheckStatus};
///
/// let zone = MemoryResolver::from_zone_text("example.com. MX 10 mail.example.com.\n")?;
/// let confirmed = vec!["mail.example.com".to_owned()];
/// let report = check_helo(&zone, "192.0.2.10".parse()?, "example.com", Some(&confirmed)).await;
/// assert_eq!(report.resolves.status, CheckStatus::Pass);
/// // The bare domain is not the host's name.
/// assert_eq!(report.matches_ptr.status, CheckStatus::Fail);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub async fn check_helo(
    resolver: &dyn DnsResolver,
    ip: IpAddr,
    helo: &str,
    confirmed_ptr: Option<&[String]>,
) -> HeloReport {
    let ip = normalize_ip(ip);
    let parsed = HeloName::parse(helo);
    let mut report = HeloReport {
        helo: helo.to_owned(),
        name: parsed.as_ref().ok().cloned(),
        syntax: syntax_verdict(helo, &parsed),
        fqdn: HeloCheck::not_applicable("invalid syntax"),
        resolves: HeloCheck::not_applicable("invalid syntax"),
        resolves_to_client: HeloCheck::not_applicable("invalid syntax"),
        matches_ptr: HeloCheck::not_applicable("invalid syntax"),
        literal_matches_client: HeloCheck::not_applicable("not an address literal"),
    };
    match parsed {
        Err(_) => {}
        Ok(HeloName::AddressLiteral(literal)) => {
            let why = "an address literal, not a name";
            report.fqdn = HeloCheck::new(CheckStatus::Pass, "an address literal");
            report.resolves = HeloCheck::not_applicable(why);
            report.resolves_to_client = HeloCheck::not_applicable(why);
            report.matches_ptr = HeloCheck::not_applicable(why);
            let literal = normalize_ip(literal);
            report.literal_matches_client = if literal == ip {
                HeloCheck::new(
                    CheckStatus::Pass,
                    format!("[{literal}] is the client address"),
                )
            } else {
                HeloCheck::new(
                    CheckStatus::Fail,
                    format!("[{literal}] is not the client address {ip}"),
                )
            };
        }
        Ok(HeloName::Hostname(name)) => {
            report.fqdn = if name.contains('.') {
                HeloCheck::new(CheckStatus::Pass, format!("{name} is fully qualified"))
            } else {
                HeloCheck::new(CheckStatus::Fail, format!("{name} has no dot")).rejected(
                    504,
                    "5.5.2",
                    helo,
                    "need fully-qualified hostname",
                )
            };
            let (resolves, to_client) = resolution(resolver, &name, ip, helo).await;
            report.resolves = resolves;
            report.resolves_to_client = to_client;
            report.matches_ptr = match confirmed_ptr {
                None => HeloCheck::not_applicable("no iprev result given"),
                Some([]) => {
                    HeloCheck::new(CheckStatus::Fail, "the client has no confirmed PTR name")
                }
                Some(names) => match names.iter().find(|n| names_equal(n, &name)) {
                    Some(found) => HeloCheck::new(
                        CheckStatus::Pass,
                        format!("{found} is a confirmed PTR name"),
                    ),
                    None => HeloCheck::new(
                        CheckStatus::Fail,
                        format!(
                            "{name} is not among the confirmed PTR names: {}",
                            names.join(", ")
                        ),
                    ),
                },
            };
        }
    }
    report
}

fn syntax_verdict(helo: &str, parsed: &Result<HeloName, HostnameError>) -> HeloCheck {
    match parsed {
        Ok(HeloName::Hostname(name)) => {
            HeloCheck::new(CheckStatus::Pass, format!("{name} is a valid host name"))
        }
        Ok(HeloName::AddressLiteral(ip)) => {
            HeloCheck::new(CheckStatus::Pass, format!("valid address literal for {ip}"))
        }
        Err(error) => HeloCheck::new(
            CheckStatus::Fail,
            format!("\"{}\": {error}", helo.escape_debug()),
        )
        .rejected(501, "5.5.2", helo, "Invalid name"),
    }
}

/// The A, AAAA and MX lookups of the name (concurrently), judged twice:
/// does it resolve at all (Postfix `reject_unknown_helo_hostname`), and to
/// the client address?
async fn resolution(
    resolver: &dyn DnsResolver,
    name: &str,
    ip: IpAddr,
    helo: &str,
) -> (HeloCheck, HeloCheck) {
    let (a, aaaa, mx) =
        futures_util::join!(resolver.a(name), resolver.aaaa(name), resolver.mx(name));
    let mut found = Vec::new();
    let mut temporary: Option<LookupError> = None;
    let mut note = |what: &str, answer: Result<Vec<String>, LookupError>| match answer {
        Ok(records) => found.push(format!("{what} {}", records.join(", "))),
        Err(e) if e.is_temporary() => temporary = Some(e),
        Err(_) => {}
    };
    let a_list: Result<Vec<IpAddr>, LookupError> =
        a.map(|r| r.iter().map(|&v| IpAddr::V4(v)).collect());
    let aaaa_list: Result<Vec<IpAddr>, LookupError> =
        aaaa.map(|r| r.iter().map(|&v| IpAddr::V6(v)).collect());
    note(
        "A",
        a_list
            .clone()
            .map(|l| l.iter().map(ToString::to_string).collect()),
    );
    note(
        "AAAA",
        aaaa_list
            .clone()
            .map(|l| l.iter().map(ToString::to_string).collect()),
    );
    note(
        "MX",
        mx.map(|r| {
            r.iter()
                .map(|m| {
                    if m.exchange.is_empty() {
                        format!("{} . (null MX)", m.preference)
                    } else {
                        format!("{} {}", m.preference, m.exchange)
                    }
                })
                .collect()
        }),
    );
    let resolves = if !found.is_empty() {
        HeloCheck::new(CheckStatus::Pass, format!("{name}: {}", found.join("; ")))
    } else if let Some(error) = &temporary {
        HeloCheck::new(CheckStatus::TempError, format!("{name}: {error}")).rejected(
            450,
            "4.7.1",
            helo,
            "Host not found",
        )
    } else {
        HeloCheck::new(
            CheckStatus::Fail,
            format!("{name} has no A, AAAA or MX record"),
        )
        .rejected(450, "4.7.1", helo, "Host not found")
    };
    let family = if ip.is_ipv4() { a_list } else { aaaa_list };
    let to_client = match family {
        Ok(list) if list.contains(&ip) => {
            HeloCheck::new(CheckStatus::Pass, format!("{name} resolves to {ip}"))
        }
        Ok(list) => HeloCheck::new(
            CheckStatus::Fail,
            format!(
                "{name} resolves to {}, not to {ip}",
                list.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Err(e) if e.is_temporary() => {
            HeloCheck::new(CheckStatus::TempError, format!("{name}: {e}"))
        }
        Err(e) => HeloCheck::new(
            CheckStatus::Fail,
            format!("{name} has no address for {ip}'s family: {e}"),
        ),
    };
    (resolves, to_client)
}

#[cfg(test)]
mod tests;
