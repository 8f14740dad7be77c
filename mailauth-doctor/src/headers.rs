//! Reading a received message's header section: the sending IP and HELO
//! name from the trace (the receiver's `Received-SPF:` and
//! `Authentication-Results:` first, then the `Received:` chain), the MAIL
//! FROM address from `Return-Path:`, the From domain, the DKIM signing
//! domains and selectors from `DKIM-Signature:`, and the results the
//! receiver recorded (RFC 8601 `Authentication-Results:`, RFC 7208 §9.1
//! `Received-SPF:`), to compare with what DNS says now.
//!
//! Every header is attacker-controlled, the trace below the receiver's own
//! fields included (a sender writes any `Received:` it likes): the input is
//! cut at [`MAX_INPUT`] bytes and [`MAX_FIELDS`] fields, each value at
//! [`MAX_FIELD`] bytes, and every value kept is printable ASCII. Which
//! `Received:` field is the receiver's own is not provable from the
//! message; the first one naming an address outside private and loopback
//! ranges is taken, and the report says which field it was.

use std::net::IpAddr;

use mailauth_core::text::printable;

/// Input beyond this many bytes is not read.
pub const MAX_INPUT: usize = 1 << 20;

/// Fields beyond this many are not read; a real trace has tens.
pub const MAX_FIELDS: usize = 1000;

/// A field value is cut at this many bytes (RFC 5322 §2.1.1's 998-byte
/// line limit, with room for folding).
pub const MAX_FIELD: usize = 4096;

/// The most DKIM signatures and recorded results kept.
const MAX_ITEMS: usize = 32;

/// One authentication result the receiver recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Recorded {
    /// `spf`, `dkim`, `dmarc`, `iprev`, ... (lower case).
    pub method: String,
    /// `pass`, `fail`, `softfail`, `none`, `temperror`, ... (lower case).
    pub result: String,
    /// The property that names what was checked (`smtp.mailfrom=...`,
    /// `header.d=...`, `header.from=...`), when given.
    pub subject: Option<String>,
    /// The field it came from: `Authentication-Results` or `Received-SPF`.
    pub source: String,
}

/// A `DKIM-Signature:` field's signing domain and selector.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Signature {
    /// `d=`.
    pub domain: String,
    /// `s=`.
    pub selector: Option<String>,
}

/// What was read from a header section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Headers {
    /// The sending IP, when the trace names one.
    pub client_ip: Option<IpAddr>,
    /// The HELO name, when the trace names one.
    pub helo: Option<String>,
    /// The field that named the IP and HELO (`Received-SPF`, `Received
    /// #2`, ...).
    pub trace_source: Option<String>,
    /// The MAIL FROM address (`Return-Path:`), empty for the null sender.
    pub return_path: Option<String>,
    /// The From header's domain, when it has exactly one address.
    pub from_domain: Option<String>,
    /// How many addresses the From header holds (DMARC needs exactly one,
    /// RFC 9989 §4.4).
    pub from_addresses: usize,
    /// The DKIM signatures' domains and selectors, in order.
    pub signatures: Vec<Signature>,
    /// The results the receiver recorded, the topmost
    /// `Authentication-Results:` and `Received-SPF:` fields only.
    pub recorded: Vec<Recorded>,
    /// How many `Received:` fields there were.
    pub received: usize,
}

impl Headers {
    /// Every text value read, for checks that they are printable and
    /// bounded.
    #[doc(hidden)]
    pub fn texts(&self) -> Vec<&str> {
        let mut values: Vec<&str> = Vec::new();
        values.extend(self.helo.as_deref());
        values.extend(self.trace_source.as_deref());
        values.extend(self.return_path.as_deref());
        values.extend(self.from_domain.as_deref());
        for signature in &self.signatures {
            values.push(&signature.domain);
            values.extend(signature.selector.as_deref());
        }
        for recorded in &self.recorded {
            values.extend([recorded.method.as_str(), recorded.result.as_str()]);
            values.extend(recorded.subject.as_deref());
        }
        values
    }

    /// The DKIM domains the receiver recorded as `dkim=pass`.
    pub fn dkim_passes(&self) -> impl Iterator<Item = &str> {
        self.recorded
            .iter()
            .filter(|r| r.method == "dkim" && r.result == "pass")
            .filter_map(|r| r.subject.as_deref())
    }
}

/// The header fields of `text`, unfolded, names in lower case; a line that
/// is neither a field nor a continuation gives an empty placeholder, so
/// that only the lines directly after a field continue it.
pub(crate) fn fields(text: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut()
                && value.len() < MAX_FIELD
            {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':')
            && !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            fields.push((name.to_ascii_lowercase(), value.trim().to_owned()));
        } else {
            fields.push((String::new(), String::new()));
        }
    }
    fields
}

/// Reads a message or its header section (the body, after the first empty
/// line, is not read). Never fails: what is missing stays `None`.
pub fn read(input: &[u8]) -> Headers {
    let input = &input[..input.len().min(MAX_INPUT)];
    let text = String::from_utf8_lossy(input);
    let head = text
        .split("\r\n\r\n")
        .next()
        .and_then(|t| t.split("\n\n").next())
        .unwrap_or_default();
    let fields: Vec<(String, String)> = fields(head)
        .into_iter()
        .filter(|(n, _)| !n.is_empty())
        .take(MAX_FIELDS)
        .collect();
    let get = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let mut headers = Headers {
        received: fields.iter().filter(|(n, _)| n == "received").count(),
        ..Headers::default()
    };
    if let Some(path) = get("return-path") {
        let path = path.trim().trim_start_matches('<');
        let path = path.split('>').next().unwrap_or_default();
        headers.return_path = Some(value(path));
    }
    if let Some(from) = get("from") {
        let domains = mailauth_core::auth::from_field_domains(from);
        headers.from_addresses = domains.len();
        if let [domain] = domains.as_slice() {
            headers.from_domain = Some(value(domain));
        }
    }
    for (_, field) in fields
        .iter()
        .filter(|(n, _)| n == "dkim-signature")
        .take(MAX_ITEMS)
    {
        let tags = tags(field);
        if let Some(domain) = tag(&tags, "d") {
            headers.signatures.push(Signature {
                domain: value(domain),
                selector: tag(&tags, "s").map(value),
            });
        }
    }
    if let Some(results) = get("authentication-results") {
        headers.recorded.extend(authentication_results(results));
    }
    if let Some(spf) = get("received-spf") {
        let tags = tags(spf.split_once(')').map_or(spf, |(_, rest)| rest));
        let result = spf.split_whitespace().next().unwrap_or_default();
        headers.recorded.push(Recorded {
            method: "spf".into(),
            result: value(&result.to_ascii_lowercase()),
            subject: tag(&tags, "envelope-from").map(value),
            source: "Received-SPF".into(),
        });
        if let Some(ip) = tag(&tags, "client-ip").and_then(|ip| ip.parse().ok()) {
            headers.client_ip = Some(ip);
            headers.helo = tag(&tags, "helo").map(value);
            headers.trace_source = Some("Received-SPF".into());
        }
    }
    // The first hop from outside, or the hop from the address the
    // receiver named, which gives the HELO name Received-SPF may lack.
    let received = fields.iter().filter(|(n, _)| n == "received");
    for (index, (_, field)) in received.enumerate() {
        let (helo, ip) = received_from(field);
        let Some(ip) = ip.filter(|ip| !internal(*ip)) else {
            continue;
        };
        match headers.client_ip {
            None => {
                headers.client_ip = Some(ip);
                headers.helo = helo.map(value);
                headers.trace_source = Some(format!("Received #{}", index + 1));
            }
            Some(named) if named == ip && headers.helo.is_none() => {
                headers.helo = helo.map(value);
                headers.trace_source = Some(format!("Received-SPF, Received #{}", index + 1));
            }
            Some(_) => continue,
        }
        break;
    }
    headers.recorded.truncate(MAX_ITEMS);
    headers
}

fn value(text: &str) -> String {
    printable(text.trim(), MAX_FIELD)
}

/// A tag list (`a=b; c=d`, RFC 6376 §3.2 and RFC 7208 §9.1's key-value
/// pairs), names in lower case, folding whitespace removed from values.
fn tags(text: &str) -> Vec<(String, String)> {
    text.split(';')
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            let value: String = value.split_whitespace().collect();
            Some((name.trim().to_ascii_lowercase(), value))
        })
        .collect()
}

fn tag<'a>(tags: &'a [(String, String)], name: &str) -> Option<&'a str> {
    tags.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// The `method=result` pairs of an `Authentication-Results:` field (RFC
/// 8601 §2.2), comments removed, each with the property naming what was
/// checked. Elements without `=` (the authserv-id, which Microsoft leaves
/// out) are skipped.
fn authentication_results(field: &str) -> Vec<Recorded> {
    let mut plain = String::new();
    let mut depth = 0u32;
    for c in field.chars() {
        match c {
            '(' => depth = depth.saturating_add(1),
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ => plain.push(c),
        }
    }
    plain
        .split(';')
        .filter_map(|resinfo| {
            let mut words = resinfo.split_whitespace();
            let (method, result) = words.next()?.split_once('=')?;
            let method = method.to_ascii_lowercase();
            let properties: Vec<(String, &str)> = words
                .filter_map(|w| {
                    let (property, v) = w.split_once('=')?;
                    Some((property.to_ascii_lowercase(), v))
                })
                .collect();
            let wanted: &[&str] = match method.as_str() {
                "spf" => &["smtp.mailfrom", "smtp.helo"],
                "dkim" => &["header.d", "header.i"],
                "dmarc" => &["header.from"],
                _ => &[],
            };
            let subject = wanted.iter().find_map(|name| {
                let (_, v) = properties.iter().find(|(p, _)| p == name)?;
                // header.i is an identity: its domain is what was signed for.
                Some(if *name == "header.i" {
                    v.rsplit('@').next().unwrap_or(v)
                } else {
                    v
                })
            });
            Some(Recorded {
                method: value(&method),
                result: value(&result.to_ascii_lowercase()),
                subject: subject.map(value),
                source: "Authentication-Results".into(),
            })
        })
        .collect()
}

/// The HELO name and address of a `Received: from` clause: `from HELO
/// (name [IP])` as Postfix and Gmail write it, `from HELO (IP)` as
/// Microsoft does, or `from IP (EHLO HELO)` as Yahoo does.
fn received_from(field: &str) -> (Option<&str>, Option<IpAddr>) {
    let Some(rest) = field.trim().strip_prefix("from ") else {
        return (None, None);
    };
    let clause = rest.split(" by ").next().unwrap_or(rest);
    let first = clause.split_whitespace().next();
    if let Some(ip) = first.and_then(|w| w.parse::<IpAddr>().ok()) {
        let helo = clause
            .split(['(', ')', ' '])
            .skip_while(|w| !w.eq_ignore_ascii_case("EHLO") && !w.eq_ignore_ascii_case("HELO"))
            .nth(1);
        return (helo, Some(ip));
    }
    let literal = |part: &str| {
        let part = part.strip_prefix("IPv6:").unwrap_or(part);
        part.parse::<IpAddr>().ok()
    };
    let bracketed = clause
        .split('[')
        .skip(1)
        .find_map(|part| literal(part.split(']').next()?));
    let parenthesised = || {
        clause
            .split('(')
            .skip(1)
            .find_map(|part| literal(part.split(')').next()?.trim()))
    };
    (first, bracketed.or_else(parenthesised))
}

/// Loopback, private, link-local and unspecified addresses: hops inside
/// the receiver's own network.
fn internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified()
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || first & 0xfe00 == 0xfc00
                || first & 0xffc0 == 0xfe80
        }
    }
}

#[cfg(test)]
#[path = "headers/tests.rs"]
mod tests;
