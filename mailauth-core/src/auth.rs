//! Whole-message authentication: SPF, DKIM, iprev and DMARC (with the real
//! DKIM results) for one received message, run concurrently, and the
//! `Authentication-Results:` field that records them (RFC 8601).

use std::net::IpAddr;

use crate::dkim::{self, DkimConfig, DkimOutput};
use crate::dmarc::{self, DmarcInput, DmarcOutput};
use crate::dns::DnsResolver;
use crate::iprev::{IprevConfig, IprevOutput, iprev};
use crate::spf::{HeaderContext, Identity, SpfOutput, SpfVerifier};

/// What the receiving server knows from the SMTP session.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Envelope {
    /// The client's IP address.
    pub ip: IpAddr,
    /// The HELO/EHLO argument.
    pub helo: String,
    /// The MAIL FROM address (empty for the null reverse-path).
    pub mail_from: String,
}

impl Envelope {
    /// The session's facts.
    pub fn new(ip: IpAddr, helo: impl Into<String>, mail_from: impl Into<String>) -> Self {
        Self {
            ip,
            helo: helo.into(),
            mail_from: mail_from.into(),
        }
    }
}

/// How the message is authenticated.
#[derive(Debug)]
#[non_exhaustive]
pub struct AuthConfig {
    /// The receiving host's name, the `authserv-id` of the field (RFC 8601
    /// §2.5): from configuration, never from the message.
    pub authserv_id: String,
    /// SPF.
    pub spf: SpfVerifier,
    /// DKIM's limits.
    pub dkim: DkimConfig,
    /// iprev's limits.
    pub iprev: IprevConfig,
}

impl AuthConfig {
    /// The defaults, with the receiving host's name.
    pub fn new(authserv_id: impl Into<String>) -> Self {
        Self {
            authserv_id: authserv_id.into(),
            spf: SpfVerifier::default(),
            dkim: DkimConfig::default(),
            iprev: IprevConfig::default(),
        }
    }

    /// Sets [`Self::dkim`].
    pub fn dkim(mut self, dkim: DkimConfig) -> Self {
        self.dkim = dkim;
        self
    }
}

/// Why a message has no single From domain: DMARC cannot be applied
/// (RFC 9989 §4.4, RFC 5322 §3.6).
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FromError {
    /// No From field.
    #[error("the message has no From field")]
    Missing,
    /// More than one From field.
    #[error("the message has more than one From field")]
    Several,
    /// A From field with no address, or with more than one.
    #[error("the From field does not hold exactly one address")]
    Addresses,
}

/// Everything the checks concluded about a message.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AuthOutput {
    /// The receiving host's name.
    pub authserv_id: String,
    /// The envelope.
    pub envelope: Envelope,
    /// The From domain, or why there is none.
    pub from_domain: Result<String, FromError>,
    /// SPF for the MAIL FROM identity (the HELO identity for `<>`).
    pub spf: SpfOutput,
    /// Every DKIM signature.
    pub dkim: DkimOutput,
    /// iprev of the client.
    pub iprev: IprevOutput,
    /// DMARC, with SPF's result and the DKIM signatures that passed; `None`
    /// without a single From domain.
    pub dmarc: Option<DmarcOutput>,
}

/// Authenticates `message` received in `envelope`: SPF, DKIM and iprev at
/// once, then DMARC from the From domain with the SPF result and each DKIM
/// signature's (a signature that did not pass counts as a failed one).
pub async fn authenticate(
    resolver: &dyn DnsResolver,
    message: &[u8],
    envelope: &Envelope,
    config: &AuthConfig,
) -> AuthOutput {
    let (spf, dkim, iprev) = futures_util::join!(
        config
            .spf
            .check_mail_from(resolver, envelope.ip, &envelope.mail_from, &envelope.helo),
        dkim::verify(resolver, message, &config.dkim),
        iprev(resolver, envelope.ip, &config.iprev),
    );
    let from_domain = from_domain(message);
    let dmarc = match &from_domain {
        Ok(domain) => {
            let mut input = DmarcInput::new(domain.clone()).spf(spf_domain(envelope), spf.result);
            for result in &dkim.signatures {
                if let Some(sig) = &result.signature {
                    input = input.dkim(sig.domain.clone(), result.result == dkim::DkimResult::Pass);
                }
            }
            Some(dmarc::evaluate(resolver, &input).await)
        }
        Err(_) => None,
    };
    AuthOutput {
        authserv_id: config.authserv_id.clone(),
        envelope: envelope.clone(),
        from_domain,
        spf,
        dkim,
        iprev,
        dmarc,
    }
}

impl AuthOutput {
    /// The `Authentication-Results:` field, name included, folded at
    /// whitespace between results and ending in CRLF: one result per
    /// method, one `dkim=` per signature (`dkim=none` without), and
    /// `dmarc=none` with the reason when the message has no single From
    /// domain. Header-safe: every value is printable ASCII, re-serialized
    /// and quoted where needed, never raw message text.
    pub fn authentication_results(&self) -> String {
        let mut parts = Vec::new();
        let identity = if self.envelope.mail_from.is_empty() {
            Identity::Helo
        } else {
            Identity::MailFrom
        };
        let ctx = HeaderContext::new(
            identity,
            self.envelope.ip,
            &self.envelope.helo,
            &self.envelope.mail_from,
            &self.authserv_id,
        );
        parts.push(self.spf.authentication_results(&ctx));
        if self.dkim.signatures.is_empty() {
            parts.push("dkim=none".to_owned());
        }
        parts.extend(
            self.dkim
                .signatures
                .iter()
                .map(|s| s.authentication_results()),
        );
        match (&self.dmarc, &self.from_domain) {
            (Some(dmarc), _) => parts.push(dmarc.authentication_results()),
            (None, Err(e)) => {
                let mut part = "dmarc=none (".to_owned();
                crate::text::push_comment(&mut part, &e.to_string());
                part.push(')');
                parts.push(part);
            }
            (None, Ok(_)) => {}
        }
        parts.push(self.iprev.authentication_results());
        let mut id = String::new();
        if crate::text::is_token(&self.authserv_id) {
            id.push_str(&self.authserv_id);
        } else {
            crate::text::push_quoted(&mut id, &self.authserv_id);
        }
        let mut out = format!("Authentication-Results: {id}");
        for part in parts {
            out.push_str(";\r\n\t");
            out.push_str(&part);
        }
        out.push_str("\r\n");
        out
    }
}

/// The domain SPF checked: MAIL FROM's, or the HELO name's for the null
/// reverse-path (RFC 7208 §2.4); a MAIL FROM without `@` is a domain.
fn spf_domain(envelope: &Envelope) -> String {
    let domain = match envelope.mail_from.rsplit_once('@') {
        Some((_, domain)) => domain,
        None if envelope.mail_from.is_empty() => &envelope.helo,
        None => &envelope.mail_from,
    };
    domain.trim_end_matches('.').to_ascii_lowercase()
}

/// The domain of the message's one From address (RFC 5322 §3.6.2).
pub fn from_domain(message: &[u8]) -> Result<String, FromError> {
    let message = dkim::crlf_message(message);
    let fields = dkim::header_fields(&message);
    let mut froms = fields
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case(b"from"));
    let (_, value) = froms.next().ok_or(FromError::Missing)?;
    if froms.next().is_some() {
        return Err(FromError::Several);
    }
    let value = String::from_utf8_lossy(value);
    match from_field_domains(&value).as_slice() {
        [domain] => Ok(domain.clone()),
        _ => Err(FromError::Addresses),
    }
}

/// The domains (lower case) of the addresses of a From field value: each
/// `<...>` or bare `local@domain`, quoted strings and comments set aside;
/// groups (`name: ... ;`) give their members. The doctor reads received
/// headers with it, so that it and DMARC agree on the From domain.
pub fn from_field_domains(value: &str) -> Vec<String> {
    let mut plain = String::new();
    let (mut quoted, mut depth, mut escaped) = (false, 0u32, false);
    for c in value.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted || depth > 0 => escaped = true,
            '"' if depth == 0 => quoted = !quoted,
            '(' if !quoted => depth = depth.saturating_add(1),
            ')' if !quoted && depth > 0 => depth -= 1,
            _ if quoted || depth > 0 => {}
            // A group's display name ends at the colon; its list ends at ';'.
            ':' | ';' => plain.push(','),
            _ => plain.push(c),
        }
    }
    plain
        .split(',')
        .filter_map(|mailbox| {
            let address = match mailbox.split_once('<') {
                Some((_, rest)) => rest.split('>').next()?,
                None => mailbox.trim(),
            };
            let (_, domain) = address.trim().rsplit_once('@')?;
            let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
            (!domain.is_empty() && !domain.contains(char::is_whitespace)).then_some(domain)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_fields() {
        let domain = |v: &str| from_field_domains(v);
        assert_eq!(domain("Joe <joe@Example.COM>"), ["example.com"]);
        assert_eq!(domain("joe@example.com"), ["example.com"]);
        assert_eq!(
            domain("\"a@evil.example, x\" <joe@example.com>"),
            ["example.com"]
        );
        assert_eq!(domain("(a@evil.example) joe@example.com"), ["example.com"]);
        assert_eq!(
            domain("a@one.example, b@two.example"),
            ["one.example", "two.example"]
        );
        assert_eq!(domain("undisclosed-recipients:;"), Vec::<String>::new());
        assert_eq!(
            from_domain(b"From: a@x.example\r\nFrom: b@y.example\r\n\r\n"),
            Err(FromError::Several)
        );
        assert_eq!(
            from_domain(b"To: a@x.example\r\n\r\n"),
            Err(FromError::Missing)
        );
        assert_eq!(
            from_domain(b"From: Joe <joe@example.com>\n\nbody"),
            Ok("example.com".into())
        );
    }

    fn run<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    /// The RFC 8463 message, with SPF, DMARC and reverse DNS for its
    /// domain.
    fn zone() -> crate::dns::MemoryResolver {
        let mut text = include_str!("../tests/data/dkim/rfc8463.zone").to_owned();
        text.push_str(
            "football.example.com. TXT \"v=spf1 ip4:192.0.2.1 -all\"\n\
             _dmarc.football.example.com. TXT \"v=DMARC1; p=reject\"\n\
             1.2.0.192.in-addr.arpa. PTR mail.football.example.com.\n\
             mail.football.example.com. A 192.0.2.1\n",
        );
        crate::dns::MemoryResolver::from_zone_text(&text).unwrap()
    }

    const MESSAGE: &[u8] = include_bytes!("../tests/data/dkim/rfc8463-a3.eml");

    fn envelope() -> Envelope {
        Envelope::new(
            "192.0.2.1".parse().unwrap(),
            "mail.football.example.com",
            "joe@football.example.com",
        )
    }

    #[test]
    fn a_whole_message() {
        let dns = zone();
        let out = run(authenticate(
            &dns,
            MESSAGE,
            &envelope(),
            &AuthConfig::new("mx.example.net"),
        ));
        assert_eq!(out.from_domain.as_deref(), Ok("football.example.com"));
        assert_eq!(
            out.authentication_results(),
            "Authentication-Results: mx.example.net;\r\n\
             \tspf=pass smtp.mailfrom=joe@football.example.com;\r\n\
             \tdkim=pass header.d=football.example.com header.i=@football.example.com header.s=brisbane header.a=ed25519-sha256 header.b=\"/gCrinpc\";\r\n\
             \tdkim=pass header.d=football.example.com header.i=@football.example.com header.s=test header.a=rsa-sha256 header.b=\"F45dVWDf\";\r\n\
             \tdmarc=pass header.from=football.example.com policy.dmarc=reject;\r\n\
             \tiprev=pass policy.iprev=192.0.2.1\r\n"
        );
    }

    /// DMARC from the whole message is DMARC with the DKIM results given
    /// by hand (RFC 9989 §4.4: the d= of each passing signature).
    #[test]
    fn dmarc_from_the_message_equals_dmarc_by_hand() {
        let dns = zone();
        // SPF fails (another IP): DMARC rests on DKIM alone.
        let envelope = Envelope::new(
            "198.51.100.7".parse().unwrap(),
            "x.example",
            "joe@football.example.com",
        );
        let out = run(authenticate(
            &dns,
            MESSAGE,
            &envelope,
            &AuthConfig::new("mx.example.net"),
        ));
        let by_hand = run(dmarc::evaluate(
            &dns,
            &DmarcInput::new("football.example.com")
                .spf("football.example.com", crate::SpfResult::Fail)
                .dkim("football.example.com", true)
                .dkim("football.example.com", true),
        ));
        let from_message = out.dmarc.clone().unwrap();
        assert_eq!(from_message.result, by_hand.result);
        assert_eq!(from_message.result, dmarc::DmarcResult::Pass);
        assert_eq!(from_message, by_hand);
        // The body altered: no DKIM pass, SPF fails, DMARC fails.
        let altered = String::from_utf8_lossy(MESSAGE).replace("Joe.", "Eve.");
        let out = run(authenticate(
            &dns,
            altered.as_bytes(),
            &envelope,
            &AuthConfig::new("mx.example.net"),
        ));
        assert_eq!(out.dmarc.unwrap().result, dmarc::DmarcResult::Fail);
    }

    /// What the message controls cannot inject a result or break the field:
    /// an identity with a folded line and a forged clause, a hostile
    /// authserv-id from configuration, two From fields.
    #[test]
    fn the_field_is_header_safe() {
        let dns = zone();
        let forged = String::from_utf8_lossy(MESSAGE).replacen(
            "i=@football.example.com;\n q=dns/txt; s=brisbane",
            "i=a;dkim=pass\n x@football.example.com;\n q=dns/txt; s=brisbane",
            1,
        );
        let two_froms = format!("From: eve@evil.example\n{forged}");
        let out = run(authenticate(
            &dns,
            two_froms.as_bytes(),
            &envelope(),
            &AuthConfig::new("mx;\r\nX: y"),
        ));
        let field = out.authentication_results();
        assert!(
            field.starts_with("Authentication-Results: \"mx;??X: y\";"),
            "{field}"
        );
        assert!(
            field.contains("dmarc=none (the message has more than one From field)"),
            "{field}"
        );
        // Every line break is a fold (CRLF + WSP) or the end.
        let lines: Vec<&str> = field.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines[1..].iter().all(|l| l.starts_with('\t')), "{field}");
        assert!(
            field
                .bytes()
                .all(|b| b == b'\r' || b == b'\n' || b == b'\t' || (0x20..0x7f).contains(&b))
        );
        // No forged clause stands as a method: split on ';' outside quoted
        // strings, the field holds the authserv-id and the five results.
        let mut elements = 1;
        let mut quoted = false;
        let mut escaped = false;
        for c in field.chars() {
            match c {
                _ if escaped => escaped = false,
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                ';' if !quoted => elements += 1,
                _ => {}
            }
        }
        assert_eq!(elements, 6, "{field}");
        assert!(field.contains("dkim=neutral"), "{field}");
        assert!(!field.contains("dkim=pass"), "{field}");
    }
}
