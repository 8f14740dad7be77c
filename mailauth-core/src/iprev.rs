//! iprev, RFC 8601 §3 ("FCrDNS"): does the client IP's reverse name
//! resolve back to it? And how would Postfix's
//! `reject_unknown_reverse_client_hostname` and
//! `reject_unknown_client_hostname` judge the same DNS data?
//!
//! RFC 8601 §3: "If the client peer's IP address is I, the list of names to
//! which I maps (after a 'PTR' query) is the set N, and the union of IP
//! addresses to which each member of N maps (after corresponding 'A' and
//! 'AAAA' queries) is L, then this test is successful if I is an element
//! of L." The names evaluated are capped ([`IprevConfig::max_names`], 10 as
//! RFC 7208 §4.6.4 does for `ptr`); the forward lookups, in the client's
//! address family, run concurrently.

use std::fmt;
use std::net::IpAddr;

use futures_util::future::join_all;

use crate::dns::{DnsResolver, LookupError, normalize_ip};
use crate::hostname::validate_hostname;

/// The iprev result (RFC 8601 §2.7.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IprevResult {
    /// A PTR name resolves back to the IP.
    Pass,
    /// The forward lookups completed and none holds the IP (NXDOMAIN and
    /// NODATA included).
    Fail,
    /// A timeout or server failure, and nothing passed.
    TempError,
    /// The IP has no PTR record (NXDOMAIN or NODATA).
    PermError,
}

crate::token::tokens! {
    IprevResult "iprev result" {
        Pass = "pass",
        Fail = "fail",
        TempError = "temperror",
        PermError = "permerror",
    }
}

/// What the forward lookup of one PTR name found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum ForwardOutcome {
    /// The name's addresses include the client IP.
    Confirmed,
    /// The name resolves, to other addresses only.
    Mismatch(Vec<IpAddr>),
    /// NXDOMAIN, NODATA, or a name that is not a valid domain name.
    NoAddress(LookupError),
    /// A timeout or server failure.
    Error(LookupError),
}

/// One PTR name and its forward lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ForwardCheck {
    /// The PTR name, as served (no trailing dot).
    pub name: String,
    /// What its A or AAAA lookup found.
    pub outcome: ForwardOutcome,
}

/// Postfix's status for a lookup step (`smtpd_peer.c`): 2, 4 or 5, and 6
/// for a name that does not resolve back ("forged").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeerStatus {
    /// 2: found.
    Ok,
    /// 4: a temporary DNS failure.
    Temporary,
    /// 5: does not exist.
    Permanent,
    /// 6: the name does not resolve to the client address.
    Forged,
}

crate::token::tokens! {
    PeerStatus "peer status" {
        Ok = "ok",
        Temporary = "temporary",
        Permanent = "permanent",
        Forged = "forged",
    }
}

/// An SMTP reply Postfix would send.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SmtpReply {
    /// The reply code (450, 550, ...).
    pub code: u16,
    /// The enhanced status code (RFC 3463), e.g. `4.7.1`.
    pub enhanced: String,
    /// The text after the codes: printable US-ASCII, at most
    /// [`MAX_REPLY_TEXT`](crate::text::MAX_REPLY_TEXT) octets (the
    /// [text rule](crate::text)), whatever names it quotes.
    pub text: String,
}

impl SmtpReply {
    /// A reply whose text follows the [text rule](crate::text): names
    /// taken from DNS or from the client cannot put CR, LF or other
    /// controls into it.
    pub(crate) fn new(code: u16, enhanced: &str, text: &str) -> Self {
        Self {
            code,
            enhanced: enhanced.to_owned(),
            text: crate::text::printable(text, crate::text::MAX_REPLY_TEXT),
        }
    }
}

impl fmt::Display for SmtpReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.code, self.enhanced, self.text)
    }
}

/// How Postfix would classify the client (its `smtpd_peer.c` lookup): the
/// first PTR name only (Postfix asks `getnameinfo`, which gives one),
/// rejected when malformed or numeric, then resolved in the client's
/// family.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PostfixClient {
    /// The client name Postfix logs: the first PTR name when it resolves
    /// back, else `unknown`.
    pub name: String,
    /// `reverse_name_status`: the PTR step alone.
    pub reverse_status: PeerStatus,
    /// `name_status`: the PTR step and the forward confirmation.
    pub name_status: PeerStatus,
    /// `reject_unknown_reverse_client_hostname`: the reply when it would
    /// reject (450 4.7.1 with the default `unknown_client_reject_code`).
    pub reverse_reject: Option<SmtpReply>,
    /// `reject_unknown_client_hostname`: the reply when it would reject
    /// (450 4.7.25).
    pub client_reject: Option<SmtpReply>,
}

/// The iprev check's configuration. `Default` gives RFC 8601's and
/// Postfix's defaults; each value is valid by its type, set with the
/// chaining setters.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct IprevConfig {
    /// PTR names evaluated; further names are ignored (RFC 8601 §3 asks
    /// for a limit; 10 as RFC 7208 §4.6.4).
    pub max_names: usize,
    /// Postfix's `unknown_client_reject_code` for permanent failures
    /// (default 450; temporary failures are always 450).
    pub unknown_client_reject_code: RejectCode,
}

impl Default for IprevConfig {
    fn default() -> Self {
        Self {
            max_names: 10,
            unknown_client_reject_code: RejectCode::TEMPORARY,
        }
    }
}

impl IprevConfig {
    /// Sets [`Self::max_names`].
    pub fn max_names(mut self, names: usize) -> Self {
        self.max_names = names;
        self
    }

    /// Sets [`Self::unknown_client_reject_code`].
    pub fn unknown_client_reject_code(mut self, code: RejectCode) -> Self {
        self.unknown_client_reject_code = code;
        self
    }
}

/// An SMTP reply code that rejects: 4xx (temporary) or 5xx (permanent),
/// RFC 5321 §4.2.1. Postfix refuses any other value for its
/// `*_reject_code` settings, and so does this type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RejectCode(u16);

impl RejectCode {
    /// 450, Postfix's default.
    pub const TEMPORARY: Self = Self(450);
    /// 550, the usual permanent choice.
    pub const PERMANENT: Self = Self(550);

    /// `code` when it is 400 to 599.
    ///
    /// # Errors
    /// [`IprevError::RejectCode`] for any other number.
    pub const fn new(code: u16) -> Result<Self, IprevError> {
        if code >= 400 && code <= 599 {
            Ok(Self(code))
        } else {
            Err(IprevError::RejectCode(code))
        }
    }

    /// The number.
    pub const fn get(self) -> u16 {
        self.0
    }
}

impl std::fmt::Display for RejectCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A value the iprev module refuses.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IprevError {
    /// A reply code that is not 4xx or 5xx.
    #[error("reply code {0} is not a rejection (400 to 599)")]
    RejectCode(u16),
}

/// Everything the iprev check found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct IprevOutput {
    /// The result.
    pub result: IprevResult,
    /// The client IP checked (IPv4-mapped addresses as IPv4).
    pub ip: IpAddr,
    /// Every PTR name, as served; those past the limit were not evaluated.
    pub ptr_names: Vec<String>,
    /// For a failed PTR lookup: what it gave.
    pub ptr_error: Option<LookupError>,
    /// The evaluated names and their forward outcomes, in PTR order.
    pub forward: Vec<ForwardCheck>,
    /// The names that resolve back to the IP.
    pub confirmed: Vec<String>,
    /// The same DNS data, judged as Postfix would.
    pub postfix: PostfixClient,
}

impl IprevOutput {
    /// The `iprev=` method of `Authentication-Results:` (RFC 8601 §3):
    /// `iprev=pass policy.iprev=192.0.2.1`, an IPv6 address quoted.
    pub fn authentication_results(&self) -> String {
        match self.ip {
            IpAddr::V4(ip) => format!("iprev={} policy.iprev={ip}", self.result),
            IpAddr::V6(ip) => format!("iprev={} policy.iprev=\"{ip}\"", self.result),
        }
    }
}

/// Runs iprev (RFC 8601 §3) for `ip`: the PTR names (at most
/// `config.max_names`), each name's forward lookup, all at once.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use mailauth_core::dns::MemoryResolver;
/// use mailauth_core::iprev::{iprev, IprevConfig, IprevResult};
///
/// let zone = MemoryResolver::from_zone_text(
///     "10.2.0.192.in-addr.arpa. PTR mail.example.com.\n\
///      mail.example.com. A 192.0.2.10\n",
/// )?;
/// let config = IprevConfig::default();
/// let out = iprev(&zone, "192.0.2.10".parse()?, &config).await;
/// assert_eq!(out.result, IprevResult::Pass);
/// assert_eq!(out.authentication_results(), "iprev=pass policy.iprev=192.0.2.10");
/// let none = iprev(&zone, "192.0.2.99".parse()?, &config).await;
/// assert_eq!(none.result, IprevResult::PermError);
/// assert_eq!(
///     none.postfix.reverse_reject.unwrap().to_string(),
///     "450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.99]"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub async fn iprev(resolver: &dyn DnsResolver, ip: IpAddr, config: &IprevConfig) -> IprevOutput {
    let ip = normalize_ip(ip);
    let names = match resolver.ptr(ip).await {
        Ok(names) => names,
        Err(error) => return no_ptr(ip, error, config),
    };
    let evaluated: Vec<&String> = names.iter().take(config.max_names).collect();
    // All forward lookups at once.
    let outcomes = join_all(evaluated.iter().map(|name| forward(resolver, name, ip))).await;
    let forward: Vec<ForwardCheck> = evaluated
        .iter()
        .zip(outcomes)
        .map(|(name, outcome)| ForwardCheck {
            name: (*name).clone(),
            outcome,
        })
        .collect();
    let confirmed: Vec<String> = forward
        .iter()
        .filter(|f| f.outcome == ForwardOutcome::Confirmed)
        .map(|f| f.name.clone())
        .collect();
    let result = if !confirmed.is_empty() {
        IprevResult::Pass
    } else if forward
        .iter()
        .any(|f| matches!(f.outcome, ForwardOutcome::Error(_)))
    {
        IprevResult::TempError
    } else {
        IprevResult::Fail
    };
    let postfix = postfix_client(
        ip,
        names.first().map(String::as_str),
        forward.first(),
        config,
    );
    IprevOutput {
        result,
        ip,
        ptr_names: names.to_vec(),
        ptr_error: None,
        forward,
        confirmed,
        postfix,
    }
}

/// A PTR lookup that failed: permerror when there is no PTR data,
/// temperror otherwise (RFC 8601 §2.7.3).
fn no_ptr(ip: IpAddr, error: LookupError, config: &IprevConfig) -> IprevOutput {
    let temporary = error.is_temporary();
    let status = if temporary {
        PeerStatus::Temporary
    } else {
        PeerStatus::Permanent
    };
    IprevOutput {
        result: if temporary {
            IprevResult::TempError
        } else {
            IprevResult::PermError
        },
        ip,
        ptr_names: Vec::new(),
        ptr_error: Some(error),
        forward: Vec::new(),
        confirmed: Vec::new(),
        postfix: postfix_reply(ip, "unknown".into(), status, status, config),
    }
}

/// The forward lookup of one name, in the client's address family.
async fn forward(resolver: &dyn DnsResolver, name: &str, ip: IpAddr) -> ForwardOutcome {
    let addresses: Result<Vec<IpAddr>, LookupError> = match ip {
        IpAddr::V4(_) => resolver
            .a(name)
            .await
            .map(|a| a.iter().map(|&v| IpAddr::V4(v)).collect()),
        IpAddr::V6(_) => resolver
            .aaaa(name)
            .await
            .map(|a| a.iter().map(|&v| IpAddr::V6(v)).collect()),
    };
    match addresses {
        Ok(list) if list.contains(&ip) => ForwardOutcome::Confirmed,
        Ok(list) => ForwardOutcome::Mismatch(list),
        Err(e) if e.is_temporary() => ForwardOutcome::Error(e),
        Err(e) => ForwardOutcome::NoAddress(e),
    }
}

/// Postfix's judgement from the first PTR name and its forward check.
fn postfix_client(
    ip: IpAddr,
    first: Option<&str>,
    check: Option<&ForwardCheck>,
    config: &IprevConfig,
) -> PostfixClient {
    // smtpd_peer.c: a malformed or numeric name counts as no name.
    let usable = first
        .zip(check)
        .filter(|(name, _)| validate_hostname(name).is_ok());
    let Some((first, check)) = usable else {
        return postfix_reply(
            ip,
            "unknown".into(),
            PeerStatus::Permanent,
            PeerStatus::Permanent,
            config,
        );
    };
    let name_status = match &check.outcome {
        ForwardOutcome::Confirmed => PeerStatus::Ok,
        ForwardOutcome::Mismatch(_) => PeerStatus::Forged,
        ForwardOutcome::NoAddress(_) => PeerStatus::Permanent,
        ForwardOutcome::Error(_) => PeerStatus::Temporary,
    };
    let name = if name_status == PeerStatus::Ok {
        first.to_owned()
    } else {
        "unknown".to_owned()
    };
    postfix_reply(ip, name, PeerStatus::Ok, name_status, config)
}

fn postfix_reply(
    ip: IpAddr,
    name: String,
    reverse_status: PeerStatus,
    name_status: PeerStatus,
    config: &IprevConfig,
) -> PostfixClient {
    // Temporary failures always give 450; others the configured code.
    let code = |status| {
        if status == PeerStatus::Temporary {
            450
        } else {
            config.unknown_client_reject_code.get()
        }
    };
    let class = |code: u16| if code >= 500 { '5' } else { '4' };
    let reverse_reject = (reverse_status != PeerStatus::Ok).then(|| {
        let code = code(reverse_status);
        SmtpReply::new(
            code,
            &format!("{}.7.1", class(code)),
            &format!("Client host rejected: cannot find your reverse hostname, [{ip}]"),
        )
    });
    let client_reject = (name_status != PeerStatus::Ok).then(|| {
        let code = code(name_status);
        SmtpReply::new(
            code,
            &format!("{}.7.25", class(code)),
            &format!("Client host rejected: cannot find your hostname, [{ip}]"),
        )
    });
    PostfixClient {
        name,
        reverse_status,
        name_status,
        reverse_reject,
        client_reject,
    }
}

#[cfg(test)]
mod tests;
