//! List definitions as data: the built-in table and the types a user
//! defines lists with.

use std::net::Ipv4Addr;

/// What a list is queried with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListKind {
    /// IP addresses (RFC 5782 §2.1, §2.4).
    Ip,
    /// Domain names (RFC 5782 §3).
    Domain,
}

crate::token::tokens! {
    ListKind "list kind" {
        Ip = "ip",
        Domain = "domain",
    }
}

/// What a listing means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListPolicy {
    /// A blocklist: a listing counts against the sender.
    Block,
    /// An allowlist (DNSWL): a listing counts for it.
    Allow,
}

crate::token::tokens! {
    ListPolicy "list policy" {
        Block = "block",
        Allow = "allow",
    }
}

/// What a listing says about the sender, for decisions: a fix for an
/// end-user range (send through a relay) is not the fix for an infected
/// host. The operators' own words stay in the meaning text; code decides on
/// this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Category {
    /// A spam source (Spamhaus SBL, SpamCop, DBL spam domains, ...).
    Spam,
    /// Sending that looks like snowshoe spam or has a poor reputation
    /// (Spamhaus CSS, Barracuda).
    LowReputation,
    /// An exploited or infected host, an open proxy (Spamhaus XBL).
    Exploited,
    /// An end-user (dynamic, residential) range that should send through
    /// its provider's relay (Spamhaus PBL): a policy listing, not spam.
    EndUser,
    /// Address space hijacked or leased to criminals (Spamhaus DROP).
    Hijacked,
    /// A phishing domain.
    Phishing,
    /// A malware domain.
    Malware,
    /// A botnet controller.
    Botnet,
}

crate::token::tokens! {
    Category "listing category" {
        Spam = "spam",
        LowReputation = "low-reputation",
        Exploited = "exploited",
        EndUser = "end-user",
        Hijacked = "hijacked",
        Phishing = "phishing",
        Malware = "malware",
        Botnet = "botnet",
    }
}

/// One answer address of a list and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Code {
    /// The A record the list answers.
    pub address: Ipv4Addr,
    /// The operator's meaning.
    pub meaning: String,
    /// What it says about the sender, when known.
    pub category: Option<Category>,
}

impl Code {
    /// A code without a category.
    pub fn new(address: Ipv4Addr, meaning: impl Into<String>) -> Self {
        Self {
            address,
            meaning: meaning.into(),
            category: None,
        }
    }

    /// Sets [`Self::category`].
    pub fn category(mut self, category: Category) -> Self {
        self.category = Some(category);
        self
    }
}

/// One bit of a bitmask list's last octet and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Bit {
    /// The bit's value (2, 4, 8, ...).
    pub bit: u8,
    /// The operator's meaning.
    pub meaning: String,
    /// What it says about the sender, when known.
    pub category: Option<Category>,
}

impl Bit {
    /// A bit without a category.
    pub fn new(bit: u8, meaning: impl Into<String>) -> Self {
        Self {
            bit,
            meaning: meaning.into(),
            category: None,
        }
    }

    /// Sets [`Self::category`].
    pub fn category(mut self, category: Category) -> Self {
        self.category = Some(category);
        self
    }
}

/// How a list's A answers map to meanings.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Codes {
    /// Each answer address has its own meaning; an address not in the
    /// table is a listing with an unknown meaning.
    Exact(Vec<Code>),
    /// The last octet is a bit set (SURBL, URIBL multi): each set bit has a
    /// meaning.
    Bitmask(Vec<Bit>),
    /// dnswl.org: `127.0.X.Y`, X the category, Y the trust level 0-3.
    Dnswl,
}

/// One list: zone, kind, policy, code meanings and error codes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DnsblList {
    /// A short identifier, such as `spamhaus-zen`.
    pub id: String,
    /// The zone queried, such as `zen.spamhaus.org`.
    pub zone: String,
    /// IPs or domains.
    pub kind: ListKind,
    /// Block or allow.
    pub policy: ListPolicy,
    /// What answers mean.
    pub codes: Codes,
    /// Answers that are the operator's error signals, never listings.
    pub errors: Vec<(Ipv4Addr, String)>,
    /// A key label placed before the zone (Spamhaus DQS:
    /// `<ip>.<key>.zen.dq.spamhaus.net`).
    pub key: Option<String>,
    /// The list's own test domain, when it is not RFC 5782's `TEST`.
    pub test_domain: Option<String>,
    /// Whether the list answers IPv6 queries (RFC 5782 §2.4).
    pub ipv6: bool,
    /// What a user should know (registration needed, public resolvers
    /// refused, ...).
    pub note: Option<String>,
}

/// A built-in list, as static data.
struct Builtin {
    id: &'static str,
    zone: &'static str,
    kind: ListKind,
    policy: ListPolicy,
    codes: &'static [(&'static str, &'static str, Option<Category>)],
    bits: &'static [(u8, &'static str, Option<Category>)],
    dnswl: bool,
    /// Error-code tables, all of which apply.
    errors: &'static [&'static [(&'static str, &'static str)]],
    test_domain: Option<&'static str>,
    ipv6: bool,
    note: Option<&'static str>,
}

const SPAMHAUS_ERRORS: &[(&str, &str)] = &[
    ("127.255.255.250", "Spamhaus: DQS key disabled"),
    (
        "127.255.255.251",
        "Spamhaus: DQS key rejected or in use elsewhere",
    ),
    (
        "127.255.255.252",
        "Spamhaus: typing error in the DNSBL zone name",
    ),
    (
        "127.255.255.254",
        "Spamhaus: query through a public or open resolver refused",
    ),
    ("127.255.255.255", "Spamhaus: excessive number of queries"),
];

const SPAMHAUS_NOTE: &str = "Spamhaus refuses queries through public resolvers (127.255.255.254) and \
    rate-limits heavy users (127.255.255.255); use your own resolver, or the DQS zones with a key.";

const ZEN_CODES: &[(&str, &str, Option<Category>)] = &[
    ("127.0.0.2", "SBL: Spamhaus SBL data", Some(Category::Spam)),
    (
        "127.0.0.3",
        "CSS: Spamhaus CSS, sending that looks like snowshoe or low-reputation",
        Some(Category::LowReputation),
    ),
    (
        "127.0.0.4",
        "XBL: exploited or infected host (CBL data)",
        Some(Category::Exploited),
    ),
    ("127.0.0.5", "XBL: reserved", Some(Category::Exploited)),
    ("127.0.0.6", "XBL: reserved", Some(Category::Exploited)),
    ("127.0.0.7", "XBL: reserved", Some(Category::Exploited)),
    (
        "127.0.0.9",
        "DROP: hijacked or leased to criminals (in addition to SBL)",
        Some(Category::Hijacked),
    ),
    (
        "127.0.0.10",
        "PBL: ISP-maintained, end-user range that should not send mail directly",
        Some(Category::EndUser),
    ),
    (
        "127.0.0.11",
        "PBL: Spamhaus-maintained, end-user range that should not send mail directly",
        Some(Category::EndUser),
    ),
    (
        "127.0.0.30",
        "BCL: botnet controller",
        Some(Category::Botnet),
    ),
];

const DBL_CODES: &[(&str, &str, Option<Category>)] = &[
    ("127.0.1.2", "DBL: spam domain", Some(Category::Spam)),
    (
        "127.0.1.4",
        "DBL: phishing domain",
        Some(Category::Phishing),
    ),
    ("127.0.1.5", "DBL: malware domain", Some(Category::Malware)),
    (
        "127.0.1.6",
        "DBL: botnet C&C domain",
        Some(Category::Botnet),
    ),
    (
        "127.0.1.102",
        "DBL: abused legitimate spam domain",
        Some(Category::Spam),
    ),
    (
        "127.0.1.103",
        "DBL: abused legitimate spammed redirector",
        Some(Category::Spam),
    ),
    (
        "127.0.1.104",
        "DBL: abused legitimate phishing domain",
        Some(Category::Phishing),
    ),
    (
        "127.0.1.105",
        "DBL: abused legitimate malware domain",
        Some(Category::Malware),
    ),
    (
        "127.0.1.106",
        "DBL: abused legitimate botnet C&C domain",
        Some(Category::Botnet),
    ),
];

/// DBL's own error code, on top of [`SPAMHAUS_ERRORS`].
const DBL_ERRORS: &[(&str, &str)] = &[(
    "127.0.1.255",
    "Spamhaus DBL: an IP address was queried on a domain list",
)];

const fn spamhaus(
    id: &'static str,
    zone: &'static str,
    kind: ListKind,
    codes: &'static [(&'static str, &'static str, Option<Category>)],
) -> Builtin {
    Builtin {
        id,
        zone,
        kind,
        policy: ListPolicy::Block,
        codes,
        bits: &[],
        dnswl: false,
        errors: if matches!(kind, ListKind::Domain) {
            &[SPAMHAUS_ERRORS, DBL_ERRORS]
        } else {
            &[SPAMHAUS_ERRORS]
        },
        test_domain: if matches!(kind, ListKind::Domain) {
            Some("dbltest.com")
        } else {
            None
        },
        ipv6: matches!(kind, ListKind::Ip),
        note: Some(SPAMHAUS_NOTE),
    }
}

/// An IPv4-only blocklist with exact codes and no error codes.
const fn single_code(
    id: &'static str,
    zone: &'static str,
    codes: &'static [(&'static str, &'static str, Option<Category>)],
    note: Option<&'static str>,
) -> Builtin {
    Builtin {
        id,
        zone,
        kind: ListKind::Ip,
        policy: ListPolicy::Block,
        codes,
        bits: &[],
        dnswl: false,
        errors: &[],
        test_domain: None,
        ipv6: false,
        note,
    }
}

const BUILTINS: &[Builtin] = &[
    spamhaus("spamhaus-zen", "zen.spamhaus.org", ListKind::Ip, ZEN_CODES),
    spamhaus("spamhaus-sbl", "sbl.spamhaus.org", ListKind::Ip, ZEN_CODES),
    spamhaus("spamhaus-xbl", "xbl.spamhaus.org", ListKind::Ip, ZEN_CODES),
    spamhaus("spamhaus-pbl", "pbl.spamhaus.org", ListKind::Ip, ZEN_CODES),
    spamhaus(
        "spamhaus-dbl",
        "dbl.spamhaus.org",
        ListKind::Domain,
        DBL_CODES,
    ),
    single_code(
        "spamcop",
        "bl.spamcop.net",
        &[(
            "127.0.0.2",
            "SpamCop: reported as a spam source",
            Some(Category::Spam),
        )],
        None,
    ),
    single_code(
        "barracuda",
        "b.barracudacentral.org",
        &[(
            "127.0.0.2",
            "Barracuda BRBL: poor reputation",
            Some(Category::LowReputation),
        )],
        Some("Barracuda answers only resolvers whose IP addresses are registered (free) with it."),
    ),
    Builtin {
        id: "surbl",
        zone: "multi.surbl.org",
        kind: ListKind::Domain,
        policy: ListPolicy::Block,
        codes: &[],
        bits: &[
            (8, "SURBL PH: phishing", Some(Category::Phishing)),
            (16, "SURBL MW: malware", Some(Category::Malware)),
            (64, "SURBL ABUSE: spam", Some(Category::Spam)),
            (128, "SURBL CR: cracked site", Some(Category::Exploited)),
        ],
        dnswl: false,
        errors: &[&[("127.0.0.1", "SURBL: access refused")]],
        test_domain: None,
        ipv6: false,
        note: None,
    },
    Builtin {
        id: "uribl",
        zone: "multi.uribl.com",
        kind: ListKind::Domain,
        policy: ListPolicy::Block,
        codes: &[],
        bits: &[
            (2, "URIBL black", Some(Category::Spam)),
            (4, "URIBL grey", Some(Category::Spam)),
            (8, "URIBL red", Some(Category::Spam)),
        ],
        dnswl: false,
        errors: &[&[(
            "127.0.0.1",
            "URIBL: access refused (public resolver or volume)",
        )]],
        test_domain: None,
        ipv6: false,
        note: Some("URIBL refuses public resolvers and heavy users (127.0.0.1)."),
    },
    Builtin {
        id: "dnswl",
        zone: "list.dnswl.org",
        kind: ListKind::Ip,
        policy: ListPolicy::Allow,
        codes: &[],
        bits: &[],
        dnswl: true,
        errors: &[&[(
            "127.0.0.255",
            "dnswl.org: access blocked (volume or public resolver)",
        )]],
        test_domain: None,
        ipv6: true,
        note: None,
    },
];

fn addr(text: &str) -> Ipv4Addr {
    // The table holds only valid literals; the unit tests parse them all.
    text.parse().unwrap_or(Ipv4Addr::UNSPECIFIED)
}

impl Builtin {
    fn to_list(&self) -> DnsblList {
        let codes = if self.dnswl {
            Codes::Dnswl
        } else if !self.bits.is_empty() {
            Codes::Bitmask(
                self.bits
                    .iter()
                    .map(|&(bit, meaning, category)| Bit {
                        bit,
                        meaning: meaning.to_owned(),
                        category,
                    })
                    .collect(),
            )
        } else {
            Codes::Exact(
                self.codes
                    .iter()
                    .map(|&(address, meaning, category)| Code {
                        address: addr(address),
                        meaning: meaning.to_owned(),
                        category,
                    })
                    .collect(),
            )
        };
        DnsblList {
            id: self.id.to_owned(),
            zone: self.zone.to_owned(),
            kind: self.kind,
            policy: self.policy,
            codes,
            errors: self
                .errors
                .iter()
                .flat_map(|table| table.iter())
                .map(|(a, m)| (addr(a), (*m).to_owned()))
                .collect(),
            key: None,
            test_domain: self.test_domain.map(str::to_owned),
            ipv6: self.ipv6,
            note: self.note.map(str::to_owned),
        }
    }
}

impl DnsblList {
    /// A list of one's own: `zone` answers for `kind` targets, meaning
    /// `codes`, under `policy`; no error codes, no key, RFC 5782's `TEST`
    /// test point, IPv4 only and no note until those fields are set. A
    /// zone that makes no valid query name is refused at the query
    /// ([`ListError::InvalidQueryName`](crate::dnsbl::ListError::InvalidQueryName)).
    pub fn new(
        id: impl Into<String>,
        zone: impl Into<String>,
        kind: ListKind,
        policy: ListPolicy,
        codes: Codes,
    ) -> Self {
        Self {
            id: id.into(),
            zone: zone.into(),
            kind,
            policy,
            codes,
            errors: Vec::new(),
            key: None,
            test_domain: None,
            ipv6: false,
            note: None,
        }
    }

    /// Every built-in list.
    pub fn builtins() -> Vec<Self> {
        BUILTINS.iter().map(Builtin::to_list).collect()
    }

    /// A built-in list by id: `spamhaus-zen`, `spamhaus-sbl`,
    /// `spamhaus-xbl`, `spamhaus-pbl`, `spamhaus-dbl`, `spamcop`,
    /// `barracuda`, `surbl`, `uribl`, `dnswl`.
    pub fn builtin(id: &str) -> Option<Self> {
        BUILTINS.iter().find(|b| b.id == id).map(Builtin::to_list)
    }

    /// A Spamhaus list through DQS with `key`: `zen`, `sbl`, `xbl`, `pbl`,
    /// `dbl`, `zrd` or `authbl` (`<query>.<key>.<list>.dq.spamhaus.net`).
    pub fn spamhaus_dqs(list: &str, key: &str) -> Option<Self> {
        let mut dqs = match list {
            "zen" | "sbl" | "xbl" | "pbl" | "dbl" => Self::builtin(&format!("spamhaus-{list}"))?,
            "zrd" => {
                let mut zrd = Self::builtin("spamhaus-dbl")?;
                zrd.codes = Codes::Exact(
                    (2..=24)
                        .map(|h| {
                            Code::new(
                                Ipv4Addr::new(127, 0, 2, h),
                                format!("ZRD: domain first seen {h} hours ago"),
                            )
                        })
                        .collect(),
                );
                zrd
            }
            "authbl" => {
                let mut authbl = Self::builtin("spamhaus-zen")?;
                authbl.codes = Codes::Exact(vec![
                    Code::new(
                        Ipv4Addr::new(127, 0, 0, 20),
                        "AuthBL: IP seen in authenticated-SMTP abuse (botnets)",
                    )
                    .category(Category::Exploited),
                ]);
                authbl
            }
            _ => return None,
        };
        dqs.id = format!("spamhaus-dqs-{list}");
        dqs.zone = format!("{list}.dq.spamhaus.net");
        dqs.key = Some(key.to_owned());
        Some(dqs)
    }

    /// The zone with the key label, if any, the query suffix.
    pub(crate) fn suffix(&self) -> String {
        match &self.key {
            Some(key) => format!("{key}.{}", self.zone),
            None => self.zone.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_is_well_formed() {
        for builtin in BUILTINS {
            for text in builtin.codes.iter().map(|(text, _, _)| text).chain(
                builtin
                    .errors
                    .iter()
                    .flat_map(|t| t.iter())
                    .map(|(text, _)| text),
            ) {
                assert!(text.parse::<Ipv4Addr>().is_ok(), "{} {text}", builtin.id);
            }
        }
        let ids: Vec<String> = DnsblList::builtins().into_iter().map(|l| l.id).collect();
        assert_eq!(ids.len(), 10);
        assert!(DnsblList::builtin("spamhaus-zen").is_some_and(|l| l.ipv6 && l.note.is_some()));
        assert!(
            DnsblList::builtin("barracuda").is_some_and(|l| l.note.unwrap().contains("registered"))
        );
        assert!(DnsblList::builtin("nope").is_none());
        let dqs = DnsblList::spamhaus_dqs("zen", "abc123").unwrap();
        assert_eq!(dqs.suffix(), "abc123.zen.dq.spamhaus.net");
        assert!(DnsblList::spamhaus_dqs("zrd", "k").is_some_and(|l| l.kind == ListKind::Domain));
        assert!(DnsblList::spamhaus_dqs("nope", "k").is_none());
    }
}
