//! Does a mail domain exist and receive mail? The question behind
//! Postfix's `reject_unknown_sender_domain` and
//! `reject_unknown_recipient_domain`, and behind backscatter: a server that
//! accepts mail from domains that do not resolve sends its bounces nowhere.
//!
//! RFC 5321 §5.1: the MX records, or without any, the domain's own address
//! records (the implicit MX). RFC 7505: a single MX `0 .` (null MX) means
//! the domain accepts no mail. Temporary DNS failures are kept apart from
//! permanent non-existence.

use std::fmt;
use std::net::IpAddr;

use crate::dns::{DnsResolver, LookupError, Mx, validate_name};
use crate::iprev::SmtpReply;

/// Whose domain is checked: it decides the Postfix reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddressRole {
    /// The envelope sender (MAIL FROM).
    Sender,
    /// An envelope recipient (RCPT TO).
    Recipient,
}

crate::token::tokens! {
    AddressRole "address role" {
        Sender = "sender",
        Recipient = "recipient",
    }
}

/// What the DNS says about a mail domain.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MailDomainStatus {
    /// The domain has MX records.
    Mx(Vec<Mx>),
    /// No MX, but addresses: mail goes to the domain itself (implicit MX,
    /// RFC 5321 §5.1).
    ImplicitMx(Vec<IpAddr>),
    /// A null MX (RFC 7505): the domain receives no mail.
    NullMx,
    /// NXDOMAIN, or neither MX nor A/AAAA records.
    NotFound(LookupError),
    /// A timeout or server failure: ask again later.
    TempError(LookupError),
    /// Not a valid domain name.
    InvalidDomain,
}

impl MailDomainStatus {
    /// Whether mail can be delivered to the domain.
    pub fn receives_mail(&self) -> bool {
        matches!(self, Self::Mx(_) | Self::ImplicitMx(_))
    }
}

impl fmt::Display for MailDomainStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Mx(records) => {
                let list: Vec<String> = records
                    .iter()
                    .map(|m| format!("{} {}", m.preference, m.exchange))
                    .collect();
                write!(f, "MX {}", list.join(", "))
            }
            Self::ImplicitMx(addresses) => {
                let list: Vec<String> = addresses.iter().map(ToString::to_string).collect();
                write!(f, "no MX; addresses {} (implicit MX)", list.join(", "))
            }
            Self::NullMx => f.write_str("null MX: the domain accepts no mail"),
            Self::NotFound(error) => write!(f, "no MX and no address: {error}"),
            Self::TempError(error) => write!(f, "DNS failure: {error}"),
            Self::InvalidDomain => f.write_str("not a valid domain name"),
        }
    }
}

/// A mail domain's status and the reply Postfix would give.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MailDomainReport {
    /// The domain checked.
    pub domain: String,
    /// Whose it is.
    pub role: AddressRole,
    /// What DNS says.
    pub status: MailDomainStatus,
    /// The reply of `reject_unknown_sender_domain` /
    /// `reject_unknown_recipient_domain` (defaults), when it would reject.
    pub postfix: Option<SmtpReply>,
}

/// Checks `domain` as a sender's or recipient's mail domain.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use mailauth_core::dns::MemoryResolver;
/// use mailauth_core::maildomain::{check_mail_domain, AddressRole, MailDomainStatus};
///
/// let zone = MemoryResolver::from_zone_text("nomail.example. MX 0 .\n")?;
/// let report = check_mail_domain(&zone, "nomail.example", AddressRole::Sender).await;
/// assert_eq!(report.status, MailDomainStatus::NullMx);
/// assert_eq!(report.postfix.unwrap().code, 550);
/// let missing = check_mail_domain(&zone, "missing.example", AddressRole::Sender).await;
/// assert!(!missing.status.receives_mail());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub async fn check_mail_domain(
    resolver: &dyn DnsResolver,
    domain: &str,
    role: AddressRole,
) -> MailDomainReport {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let status = if validate_name(domain).is_err() || !domain.contains('.') {
        MailDomainStatus::InvalidDomain
    } else {
        status(resolver, domain).await
    };
    let postfix = reply(domain, role, &status);
    MailDomainReport {
        domain: domain.to_owned(),
        role,
        status,
        postfix,
    }
}

async fn status(resolver: &dyn DnsResolver, domain: &str) -> MailDomainStatus {
    match resolver.mx(domain).await {
        Ok(records) => {
            let null =
                records.len() == 1 && records[0].exchange.is_empty() && records[0].preference == 0;
            if null {
                MailDomainStatus::NullMx
            } else {
                MailDomainStatus::Mx(records.to_vec())
            }
        }
        Err(e) if e.is_temporary() => MailDomainStatus::TempError(e),
        Err(LookupError::NxDomain) => MailDomainStatus::NotFound(LookupError::NxDomain),
        Err(LookupError::NoData) => {
            // RFC 5321 §5.1: no MX, so the domain's own addresses.
            let (a, aaaa) = futures_util::join!(resolver.a(domain), resolver.aaaa(domain));
            let mut addresses: Vec<IpAddr> = Vec::new();
            if let Ok(list) = &a {
                addresses.extend(list.iter().map(|&v| IpAddr::V4(v)));
            }
            if let Ok(list) = &aaaa {
                addresses.extend(list.iter().map(|&v| IpAddr::V6(v)));
            }
            if !addresses.is_empty() {
                MailDomainStatus::ImplicitMx(addresses)
            } else if let Some(e) = [a.err(), aaaa.err()]
                .into_iter()
                .flatten()
                .find(LookupError::is_temporary)
            {
                MailDomainStatus::TempError(e)
            } else {
                MailDomainStatus::NotFound(LookupError::NoData)
            }
        }
        Err(_) => MailDomainStatus::InvalidDomain,
    }
}

/// The reply of Postfix's check with its default codes
/// (`unknown_address_reject_code` 450; null MX 550 5.7.27 for senders and
/// 556 5.1.10 for recipients, RFC 7505 §4.2 and RFC 7372).
fn reply(domain: &str, role: AddressRole, status: &MailDomainStatus) -> Option<SmtpReply> {
    let who = match role {
        AddressRole::Sender => "Sender",
        AddressRole::Recipient => "Recipient",
    };
    let (code, enhanced, text) = match (status, role) {
        (MailDomainStatus::Mx(_) | MailDomainStatus::ImplicitMx(_), _) => return None,
        (MailDomainStatus::NullMx, AddressRole::Sender) => (
            550,
            "5.7.27",
            format!("Domain {domain} does not accept mail (nullMX)"),
        ),
        (MailDomainStatus::NullMx, AddressRole::Recipient) => (
            556,
            "5.1.10",
            format!("Domain {domain} does not accept mail (nullMX)"),
        ),
        (MailDomainStatus::TempError(_), _) => (
            450,
            "4.4.3",
            "Domain not found (temporary DNS failure)".to_owned(),
        ),
        (MailDomainStatus::NotFound(_) | MailDomainStatus::InvalidDomain, AddressRole::Sender) => {
            (450, "4.1.8", "Domain not found".to_owned())
        }
        (
            MailDomainStatus::NotFound(_) | MailDomainStatus::InvalidDomain,
            AddressRole::Recipient,
        ) => (450, "4.1.2", "Domain not found".to_owned()),
    };
    Some(SmtpReply::new(
        code,
        enhanced,
        &format!("{who} address rejected: {text}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Fault, MemoryResolver, RecordType};

    fn run(domain: &str, role: AddressRole) -> MailDomainReport {
        let mut zone = MemoryResolver::from_zone_text(
            "mx.example. MX 10 mail.mx.example.\n\
             implicit.example. A 192.0.2.1\n\
             implicit.example. AAAA 2001:db8::1\n\
             nullmx.example. MX 0 .\n\
             evil\\013\\010X-Injected:\\032yes.example. MX 0 .\n\
             txtonly.example. TXT \"hello\"\n",
        )
        .unwrap();
        zone.inject("slow.example", None, Fault::Timeout).unwrap();
        zone.inject("halfslow.example", Some(RecordType::Mx), Fault::Rcode(2))
            .unwrap();
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(check_mail_domain(&zone, domain, role))
    }

    /// The null-MX reply quotes the domain: a domain with CR LF in a label
    /// (DNS labels are any octets) cannot break the reply line.
    #[test]
    fn replies_follow_the_text_rule() {
        for role in [AddressRole::Sender, AddressRole::Recipient] {
            let report = run("evil\r\nX-Injected: yes.example", role);
            assert_eq!(report.status, MailDomainStatus::NullMx);
            let reply = report.postfix.unwrap().to_string();
            assert!(
                reply.bytes().all(|b| (0x20..0x7f).contains(&b)),
                "{reply:?}"
            );
            assert!(
                reply.contains("Domain evil??X-Injected: yes.example does not"),
                "{reply}"
            );
        }
    }

    #[test]
    fn statuses_and_replies() {
        let mx = run("mx.example", AddressRole::Sender);
        assert!(
            matches!(&mx.status, MailDomainStatus::Mx(r) if r[0].exchange == "mail.mx.example")
        );
        assert!(mx.postfix.is_none() && mx.status.receives_mail());

        let implicit = run("implicit.example.", AddressRole::Recipient);
        assert_eq!(
            implicit.status.to_string(),
            "no MX; addresses 192.0.2.1, 2001:db8::1 (implicit MX)"
        );
        assert!(implicit.postfix.is_none());

        let null = run("nullmx.example", AddressRole::Sender);
        assert_eq!(null.status, MailDomainStatus::NullMx);
        assert_eq!(
            null.postfix.unwrap().to_string(),
            "550 5.7.27 Sender address rejected: Domain nullmx.example does not accept mail (nullMX)"
        );
        assert_eq!(
            run("nullmx.example", AddressRole::Recipient)
                .postfix
                .unwrap()
                .code,
            556
        );

        let missing = run("missing.example", AddressRole::Sender);
        assert_eq!(
            missing.status,
            MailDomainStatus::NotFound(LookupError::NxDomain)
        );
        assert_eq!(
            missing.postfix.unwrap().to_string(),
            "450 4.1.8 Sender address rejected: Domain not found"
        );
        let txt = run("txtonly.example", AddressRole::Recipient);
        assert_eq!(txt.status, MailDomainStatus::NotFound(LookupError::NoData));
        assert_eq!(txt.postfix.unwrap().enhanced, "4.1.2");

        assert!(matches!(
            run("slow.example", AddressRole::Sender).status,
            MailDomainStatus::TempError(LookupError::Timeout)
        ));
        assert!(matches!(
            run("halfslow.example", AddressRole::Sender).status,
            MailDomainStatus::TempError(_)
        ));
        assert_eq!(
            run("localhost", AddressRole::Sender).status,
            MailDomainStatus::InvalidDomain
        );
        assert_eq!(
            run("a..example", AddressRole::Sender).status,
            MailDomainStatus::InvalidDomain
        );
    }
}
