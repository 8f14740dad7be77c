//! Entry points for the fuzz targets in `fuzz/`: each takes the raw fuzz
//! input and asserts the properties that must hold for any input. Not part
//! of the public API.

use crate::dns::Zone;

/// Master-file text: parsing never panics, and a zone that parses prints
/// as text that parses back to the same records.
pub fn zone_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(zone) = Zone::parse(text) {
        let printed = zone.to_string();
        let reparsed = Zone::parse(&printed)
            .unwrap_or_else(|e| panic!("printed zone does not parse: {e}\n{printed}"));
        assert_eq!(zone, reparsed, "round trip changed the zone:\n{printed}");
    }
}

/// SPF record text: parsing never panics, and a record that parses prints
/// as text that parses back to the same record.
pub fn spf_record(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(record) = crate::spf::SpfRecord::parse(text) {
        let printed = record.to_string();
        let reparsed = crate::spf::SpfRecord::parse(&printed)
            .unwrap_or_else(|e| panic!("printed record does not parse: {e}\n{printed}"));
        assert_eq!(record, reparsed, "round trip changed the record: {printed}");
    }
}

/// DMARC record text: both modes never panic and agree on the record,
/// every diagnostic points inside the text, and a record prints as text
/// that parses back to the same record.
pub fn dmarc_record(data: &[u8]) {
    use crate::dmarc::DmarcRecord;
    let text = String::from_utf8_lossy(data);
    let validation = DmarcRecord::validate(&text);
    assert_eq!(validation.record, DmarcRecord::parse(&text).ok());
    for diagnostic in &validation.diagnostics {
        assert!(diagnostic.offset <= text.len(), "{diagnostic} in {text:?}");
    }
    if let Some(record) = validation.record {
        let printed = record.to_string();
        let reparsed = DmarcRecord::validate(&printed);
        assert_eq!(
            reparsed.record.as_ref(),
            Some(&record),
            "round trip changed the record: {printed}"
        );
        let errors = reparsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::dmarc::Severity::Error);
        for error in errors {
            assert!(
                matches!(error.kind, crate::dmarc::DiagnosticKind::NoPolicy),
                "the canonical form has an error: {error} in {printed}"
            );
        }
    }
}

/// DNSBL answers: any set of A records, decoded against every built-in
/// code table, never panics; a listing needs every answer inside 127/8,
/// none 127.0.0.1 and none an error code, and keeps one listing per
/// answer.
pub fn dnsbl_answers(data: &[u8]) {
    use crate::dnsbl::{DnsblList, ListOutcome, decode_answers};
    use std::net::Ipv4Addr;
    let answers: Vec<Ipv4Addr> = data
        .chunks_exact(4)
        .take(64)
        .map(|c| Ipv4Addr::new(c[0], c[1], c[2], c[3]))
        .collect();
    for list in DnsblList::builtins() {
        match decode_answers(&list, &answers) {
            ListOutcome::Listed { listings, .. } => {
                assert_eq!(listings.len(), answers.len());
                for a in &answers {
                    assert_eq!(a.octets()[0], 127, "{a} listed on {}", list.id);
                    assert_ne!(
                        *a,
                        Ipv4Addr::new(127, 0, 0, 1),
                        "127.0.0.1 listed on {}",
                        list.id
                    );
                    assert!(
                        !list.errors.iter().any(|(code, _)| code == a),
                        "{a} is an error code"
                    );
                }
            }
            ListOutcome::NotListed => assert!(answers.is_empty()),
            ListOutcome::Error(_) => assert!(!answers.is_empty()),
        }
    }
}

/// Resource records in wire form, as the multiplexed transport steps over
/// a response's authority and additional sections: the first two bytes are
/// the record count, the rest the records. Never panics; every record ends
/// after it starts and inside the message; walking all at once ends where
/// walking one by one does.
pub fn dns_records(data: &[u8]) {
    use crate::dns::wire::{skip_record, skip_records};
    let [hi, lo, message @ ..] = data else {
        return;
    };
    let count = u16::from_be_bytes([*hi, *lo]);
    let mut at = 0;
    let mut rcode_high = 0;
    for _ in 0..count {
        match skip_record(message, at) {
            Ok(record) => {
                assert!(record.end > at && record.end <= message.len());
                rcode_high = record.extended_rcode().unwrap_or(rcode_high);
                at = record.end;
            }
            Err(error) => {
                assert!(skip_records(message, 0, count).is_err(), "{error}");
                return;
            }
        }
    }
    assert_eq!(skip_records(message, 0, count), Ok((at, rcode_high)));
}

/// HELO names: parsing never panics; a valid name or address literal
/// prints as text that parses back to the same value; a host name is never
/// all-numeric at the top and never longer than a DNS name.
pub fn helo_name(data: &[u8]) {
    use crate::hostname::HeloName;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(name) = HeloName::parse(text) {
        let printed = name.to_string();
        assert_eq!(HeloName::parse(&printed).as_ref(), Ok(&name), "{printed:?}");
        if let HeloName::Hostname(host) = &name {
            assert!(host.len() <= crate::dns::MAX_NAME_LEN);
            assert!(crate::dns::validate_name(host).is_ok(), "{host:?}");
            let top = host.rsplit('.').next().unwrap_or_default();
            assert!(!top.bytes().all(|b| b.is_ascii_digit()), "{host:?}");
        }
    }
}

/// The `ip6:` network reader agrees with `std::net::Ipv6Addr` on every
/// input (with or without a CIDR suffix, as a record would carry it).
pub fn spf_ip6(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    assert_eq!(
        crate::spf::fuzzing_ip6_network(text),
        text.parse::<std::net::Ipv6Addr>().ok(),
        "{text:?}"
    );
}

/// Macro-strings: parsing never panics, what parses round-trips, and
/// expansion (IPv4 and IPv6 clients, `%{p}` and `%{t}` included) never
/// panics and stays within a bound of the input's size.
pub fn spf_macro(data: &[u8]) {
    use crate::spf::MacroString;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(parsed) = MacroString::parse_explanation(text) else {
        return;
    };
    let printed = parsed.to_string();
    assert_eq!(
        MacroString::parse_explanation(&printed).ok().as_ref(),
        Some(&parsed),
        "{printed}"
    );
    // Expand through a full evaluation: exp= of a failing record.
    let zone = format!(
        "fuzz.example. TXT \"v=spf1 -all exp=exp.fuzz.example\"\nexp.fuzz.example. TXT {}\n",
        zone_string(text.as_bytes())
    );
    let Ok(resolver) = crate::dns::MemoryResolver::from_zone_text(&zone) else {
        return;
    };
    let verifier = crate::spf::SpfVerifier::default();
    for ip in ["192.0.2.1", "2001:db8::1"] {
        let ip: std::net::IpAddr = ip.parse().unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]));
        let out = block_on(verifier.check_mail_from(
            &resolver,
            ip,
            "Local.Part-x@fuzz.example",
            "helo.fuzz.example",
        ));
        let explanation = out.explanation.unwrap_or_default();
        // Each macro expands to at most a few hundred bytes.
        assert!(
            explanation.len() <= 1024 + text.len() * 512,
            "expansion too long"
        );
    }
}

/// The evaluator over a zone built from the input: each line is one TXT
/// record, the first at `fuzz.example`, the others at `l1.fuzz.example`,
/// `l2.fuzz.example`, ... with fixed A, MX and PTR data around them.
/// Never a panic; the RFC 7208 §4.6.4 limits always hold; speculative
/// lookups give the sequential evaluation's output and never send more
/// than the §4.6.4 limit.
pub fn spf_eval(data: &[u8]) {
    let mut zone = String::from(
        "fuzz.example. A 192.0.2.1\n\
         fuzz.example. MX 10 mx.fuzz.example.\n\
         mx.fuzz.example. A 192.0.2.2\n\
         fuzz.example. AAAA 2001:db8::1\n\
         1.2.0.192.in-addr.arpa. PTR fuzz.example.\n",
    );
    for (i, line) in data.split(|&b| b == b'\n').take(16).enumerate() {
        let owner = if i == 0 {
            "fuzz.example.".to_owned()
        } else {
            format!("l{i}.fuzz.example.")
        };
        zone.push_str(&format!("{owner} TXT {}\n", zone_string(line)));
    }
    let Ok(resolver) = crate::dns::MemoryResolver::from_zone_text(&zone) else {
        return;
    };
    let verifier = crate::spf::SpfVerifier::default();
    let sequential =
        crate::spf::SpfVerifier::new(crate::spf::SpfConfig::default().speculate(false));
    for ip in ["192.0.2.1", "192.0.2.9", "2001:db8::1"] {
        let ip: std::net::IpAddr = ip.parse().unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]));
        resolver.reset_counters();
        let without = block_on(sequential.check_mail_from(
            &resolver,
            ip,
            "user@fuzz.example",
            "helo.fuzz.example",
        ));
        let sequential_queries = resolver.queries();
        resolver.reset_counters();
        // Answers one poll late: the lookups are sent ahead.
        let out = block_on(verifier.check_mail_from(
            &Deferred(&resolver),
            ip,
            "user@fuzz.example",
            "helo.fuzz.example",
        ));
        assert_eq!(out, without, "speculation changed the output");
        let config = verifier.config();
        assert!(
            out.lookups <= config.max_lookups + 1,
            "lookups {}",
            out.lookups
        );
        assert!(
            out.void_lookups <= config.max_void_lookups + 1,
            "voids {}",
            out.void_lookups
        );
        // The record, 10 terms of at most 1 + 10 queries, %{p} (PTR + 10)
        // once, and exp=: 123, with or without speculation.
        for queries in [sequential_queries, resolver.queries()] {
            assert!(queries <= 123, "{queries} queries");
        }
    }
}

/// DKIM text: a `DKIM-Signature` value and a key record parse without
/// panicking; a parsed signature's `b=` range lies inside the text.
pub fn dkim_record(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(signature) = crate::dkim::Signature::parse(&text) {
        assert!(
            signature.b_range.end <= text.len() && text.is_char_boundary(signature.b_range.start)
        );
    }
    if let Ok(record) = crate::dkim::KeyRecord::parse(&text) {
        let bits = record.key.as_ref().map_or(0, crate::dkim::PublicKey::bits);
        assert!(bits <= u32::try_from(data.len() * 8).unwrap_or(u32::MAX));
    }
}

/// The MTA-STS, TLS-RPT and BIMI record parsers: never a panic, every
/// error offset inside the text, and every parsed value a piece of it.
pub fn posture_records(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let inside = |offset: usize| assert!(offset <= text.len(), "offset {offset} past the end");
    match crate::smtp_tls::MtaStsRecord::parse(&text) {
        Ok(record) => {
            assert!(text.contains(&record.id) && record.id.len() <= 32);
            assert!(crate::smtp_tls::MtaStsRecord::is_candidate(text.as_bytes()));
        }
        Err(e) => inside(e.offset),
    }
    match crate::smtp_tls::TlsRptRecord::parse(&text) {
        Ok(record) => {
            assert!(!record.rua.is_empty());
            assert!(
                record
                    .rua
                    .iter()
                    .all(|u| !u.is_empty() && text.contains(u.as_str()))
            );
        }
        Err(e) => inside(e.offset),
    }
    match crate::bimi::BimiRecord::parse(&text) {
        Ok(record) => {
            for uri in record.location.iter().chain(&record.authority) {
                assert!(text.contains(uri.as_str()));
            }
        }
        Err(e) => inside(e.offset),
    }
}

/// DKIM canonicalization and verification: canonicalizing a canonical body
/// changes nothing (both algorithms, §3.4), and a message (the first two
/// bytes give its length) verified over DNS the fuzzer answers never
/// panics and reports printable text.
pub fn dkim_verify(data: &[u8]) {
    use crate::dkim::{Canonicalization, DkimConfig, verify};
    for canon in [Canonicalization::Simple, Canonicalization::Relaxed] {
        let mut once = Vec::new();
        crate::dkim::fuzz_body(canon, data, |p| once.extend_from_slice(p));
        let mut twice = Vec::new();
        crate::dkim::fuzz_body(canon, &once, |p| twice.extend_from_slice(p));
        assert_eq!(
            once, twice,
            "{canon} body canonicalization is not idempotent"
        );
    }
    let [a, b, rest @ ..] = data else {
        return;
    };
    let split = usize::from(u16::from_be_bytes([*a, *b])).min(rest.len());
    let (message, answers) = rest.split_at(split);
    let dns = FuzzDns::new(answers);
    let out = block_on(verify(&dns, message, &DkimConfig::default()));
    for result in &out.signatures {
        assert_safe("a DKIM detail", &result.detail);
    }
}

/// A resolver whose every answer the fuzzer chooses: DNS entirely in the
/// attacker's hands. Each query takes its answer from the input in order:
/// one byte for the outcome (records, NXDOMAIN, NODATA, timeout, an error
/// RCODE), then the records. Names in answers are either one of [`NAMES`]
/// (so that answers can point back at the names being checked) or raw
/// octets, controls and all. Past the end of the input every answer is
/// NXDOMAIN. It never waits, so [`block_on`] runs checks over it.
pub struct FuzzDns {
    data: std::sync::Mutex<(Vec<u8>, usize)>,
    asked: std::sync::atomic::AtomicUsize,
}

/// The names a [`FuzzDns`] answer can name, besides raw octets.
pub const NAMES: [&str; 8] = [
    "fuzz.example",
    "mail.fuzz.example",
    "sub.mail.fuzz.example",
    "example",
    "other.example",
    "1.2.0.192.in-addr.arpa",
    "",
    "a.b.c.d.e.f.g.h.fuzz.example",
];

impl FuzzDns {
    /// Answers from `data`.
    pub fn new(data: &[u8]) -> Self {
        Self {
            data: std::sync::Mutex::new((data.to_vec(), 0)),
            asked: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// How many queries were asked.
    pub fn queries(&self) -> usize {
        self.asked.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn answer<T>(
        &self,
        mut record: impl FnMut(&mut Bytes<'_>) -> Option<T>,
    ) -> crate::dns::LookupResult<T> {
        use crate::dns::{LookupError, ServerFailure};
        self.asked
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut guard = self
            .data
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (data, at) = &mut *guard;
        let mut bytes = Bytes { data, at };
        let Some(kind) = bytes.byte() else {
            return Err(LookupError::NxDomain);
        };
        match kind % 8 {
            4 => Err(LookupError::NxDomain),
            5 => Err(LookupError::NoData),
            6 => Err(LookupError::Timeout),
            7 => Err(LookupError::ServerFailure(ServerFailure::Rcode(u16::from(
                bytes.byte().unwrap_or(2) % 24,
            )))),
            count => {
                let records: Vec<T> = (0..=count).map_while(|_| record(&mut bytes)).collect();
                if records.is_empty() {
                    Err(LookupError::NoData)
                } else {
                    Ok(records.into())
                }
            }
        }
    }
}

/// A cursor over the input of a [`FuzzDns`].
struct Bytes<'a> {
    data: &'a [u8],
    at: &'a mut usize,
}

impl Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(*self.at)?;
        *self.at += 1;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.data.get(*self.at..end)?;
        *self.at = end;
        Some(slice)
    }

    /// One of [`NAMES`] (a byte below 0x80), or a raw name of up to 63
    /// octets.
    fn name(&mut self) -> Option<String> {
        let b = self.byte()?;
        if b < 0x80 {
            return Some(NAMES[usize::from(b) % NAMES.len()].to_owned());
        }
        let raw = self.take(usize::from(b & 0x3f))?;
        Some(String::from_utf8_lossy(raw).into_owned())
    }
}

#[async_trait::async_trait]
impl crate::dns::DnsResolver for FuzzDns {
    async fn txt(&self, _: &str) -> crate::dns::LookupResult<crate::dns::Txt> {
        self.answer(|b| {
            let len = usize::from(b.byte()?);
            Some(crate::dns::Txt::new([b.take(len)?.to_vec()]))
        })
    }
    async fn a(&self, _: &str) -> crate::dns::LookupResult<std::net::Ipv4Addr> {
        self.answer(|b| {
            let o = b.take(4)?;
            Some(std::net::Ipv4Addr::new(o[0], o[1], o[2], o[3]))
        })
    }
    async fn aaaa(&self, _: &str) -> crate::dns::LookupResult<std::net::Ipv6Addr> {
        self.answer(|b| {
            let o: [u8; 16] = b.take(16)?.try_into().ok()?;
            Some(std::net::Ipv6Addr::from(o))
        })
    }
    async fn mx(&self, _: &str) -> crate::dns::LookupResult<crate::dns::Mx> {
        let mut records = self
            .answer(|b| {
                let preference = u16::from(b.byte()?);
                Some(crate::dns::Mx {
                    preference,
                    exchange: b.name()?,
                })
            })?
            .to_vec();
        crate::dns::sort_mx(&mut records);
        Ok(records.into())
    }
    async fn ptr(&self, _: std::net::IpAddr) -> crate::dns::LookupResult<String> {
        self.answer(|b| b.name())
    }
}

/// Splits fuzz input into a few short texts (separated by `\n`) and the
/// rest, which feeds a [`FuzzDns`].
pub fn fields<const N: usize>(data: &[u8]) -> ([String; N], &[u8]) {
    let mut rest = data;
    let fields = std::array::from_fn(|_| {
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let field = String::from_utf8_lossy(&rest[..end]).into_owned();
        rest = rest.get(end + 1..).unwrap_or_default();
        field
    });
    (fields, rest)
}

/// Text the library rendered for a reply, header or log line: printable
/// US-ASCII only (the [text rule](crate::text)).
fn assert_safe(what: &str, text: &str) {
    assert!(
        text.bytes().all(|b| (0x20..0x7f).contains(&b)),
        "{what} is not printable ASCII: {text:?}"
    );
}

/// An IP address from the first bytes of `data`.
pub fn ip_from(data: &[u8]) -> std::net::IpAddr {
    match data {
        [4, a, b, c, d, ..] => std::net::IpAddr::from([*a, *b, *c, *d]),
        [6, rest @ ..] if rest.len() >= 16 => {
            let mut o = [0u8; 16];
            o.copy_from_slice(&rest[..16]);
            std::net::IpAddr::from(o)
        }
        _ => std::net::IpAddr::from([192, 0, 2, 1]),
    }
}

/// UDP responses as the multiplexed transport reads them (feature
/// `udp-mux`): the header, the answer section through hickory-proto, the
/// authority and additional sections stepped over, then each query type's
/// records. Never a panic.
#[cfg(feature = "udp-mux")]
pub fn mux_response(data: &[u8]) {
    crate::dns::fuzz_mux_response(data);
}

/// DMARC evaluation, discovery and report authorisation over DNS the
/// fuzzer answers, for an Author Domain and identifiers it chooses. Never
/// a panic; the queries stay bounded (the walks' 8 queries, the capped
/// alignment walks, the capped report destinations); the header is safe;
/// the result agrees with the identifiers' checks.
pub fn dmarc_eval(data: &[u8]) {
    use crate::dmarc::{
        DmarcInput, DmarcRecord, DmarcResult, MAX_ALIGNMENT_WALKS, MAX_CHECKED_DESTINATIONS,
        MAX_WALK_QUERIES, authorize_report_destinations, discover_policy, evaluate,
    };
    let ([author, spf, dkim, record], dns) = fields::<4>(data);
    let resolver = FuzzDns::new(dns);
    let mut input = DmarcInput::new(author.as_str());
    if !spf.is_empty() {
        let result = if spf.len() % 2 == 0 {
            crate::SpfResult::Pass
        } else {
            crate::SpfResult::Fail
        };
        input = input.spf(spf.as_str(), result);
    }
    for (i, domain) in dkim.split(',').take(12).enumerate() {
        input = input.dkim(domain, i % 3 != 2);
    }
    let out = block_on(evaluate(&resolver, &input));
    assert_safe("dmarc header", &out.authentication_results());
    // Discovery (8 + 1) and the Author Domain's walk, then per identifier
    // walked at most its 8 names.
    let bound = MAX_WALK_QUERIES + 1 + MAX_WALK_QUERIES + MAX_ALIGNMENT_WALKS * MAX_WALK_QUERIES;
    assert!(
        resolver.queries() <= bound,
        "{} queries",
        resolver.queries()
    );
    let passes = out.spf.iter().chain(&out.dkim).any(|i| i.passes());
    match out.result {
        DmarcResult::Pass => assert!(passes),
        DmarcResult::Fail => {
            assert!(!passes);
            assert_eq!(Some(out.disposition), out.applied_policy());
        }
        _ => assert_eq!(out.disposition, crate::dmarc::Policy::None),
    }
    let resolver = FuzzDns::new(dns);
    let _ = block_on(discover_policy(&resolver, &author));
    assert!(resolver.queries() <= MAX_WALK_QUERIES + 1);
    if let Ok(record) = DmarcRecord::parse(&record) {
        let resolver = FuzzDns::new(dns);
        let _ = block_on(authorize_report_destinations(&resolver, &author, &record));
        let bound = MAX_WALK_QUERIES * (1 + MAX_CHECKED_DESTINATIONS) + MAX_CHECKED_DESTINATIONS;
        assert!(
            resolver.queries() <= bound,
            "{} queries",
            resolver.queries()
        );
    }
}

/// iprev, the HELO checks and the mail-domain check over DNS the fuzzer
/// answers, for an address, HELO name and domain it chooses: never a
/// panic, every reply and header safe and bounded.
pub fn checks(data: &[u8]) {
    use crate::iprev::{IprevConfig, iprev};
    let ([helo, domain], rest) = fields::<2>(data);
    let ip = ip_from(rest);
    let dns = rest.get(17..).unwrap_or_default();
    let resolver = FuzzDns::new(dns);
    let out = block_on(iprev(&resolver, ip, &IprevConfig::default()));
    assert_safe("iprev header", &out.authentication_results());
    for reply in [&out.postfix.reverse_reject, &out.postfix.client_reject]
        .into_iter()
        .flatten()
    {
        assert_safe("iprev reply", &reply.to_string());
        assert!(reply.text.len() <= crate::text::MAX_REPLY_TEXT);
    }
    let resolver = FuzzDns::new(dns);
    let report = block_on(crate::helo::check_helo(
        &resolver,
        ip,
        &helo,
        Some(&out.confirmed),
    ));
    for verdict in [
        &report.syntax,
        &report.fqdn,
        &report.resolves,
        &report.resolves_to_client,
        &report.matches_ptr,
    ] {
        if let Some(reply) = &verdict.postfix {
            assert_safe("helo reply", &reply.to_string());
        }
    }
    for role in [
        crate::maildomain::AddressRole::Sender,
        crate::maildomain::AddressRole::Recipient,
    ] {
        let resolver = FuzzDns::new(dns);
        let report = block_on(crate::maildomain::check_mail_domain(
            &resolver, &domain, role,
        ));
        if let Some(reply) = &report.postfix {
            assert_safe("mail-domain reply", &reply.to_string());
            assert!(reply.text.len() <= crate::text::MAX_REPLY_TEXT);
        }
    }
}

/// DNSBL domain targets and user-defined lists over DNS the fuzzer
/// answers: never a panic; a domain target is a valid name whose top label
/// is not numeric; a listing needs an answer.
pub fn dnsbl_lists(data: &[u8]) {
    use crate::dnsbl::{
        Codes, DnsblConfig, DnsblList, ListKind, ListOutcome, ListPolicy, Target, check_target,
        domain_target, query_name,
    };
    let ([target, zone, codes], rest) = fields::<3>(data);
    let target = match domain_target(&target) {
        Ok(Target::Domain(domain)) => {
            assert!(crate::dns::validate_name(&domain).is_ok(), "{domain:?}");
            let top = domain.rsplit('.').next().unwrap_or_default();
            assert!(!top.bytes().all(|b| b.is_ascii_digit()), "{domain:?}");
            Target::Domain(domain)
        }
        _ => Target::Ip(ip_from(rest)),
    };
    let table = codes.bytes().take(16).enumerate();
    let list = DnsblList {
        id: "fuzz".into(),
        zone,
        kind: if rest.first().is_some_and(|b| b % 2 == 0) {
            ListKind::Ip
        } else {
            ListKind::Domain
        },
        policy: if rest.get(1).is_some_and(|b| b % 2 == 0) {
            ListPolicy::Block
        } else {
            ListPolicy::Allow
        },
        codes: if codes.len() % 2 == 0 {
            Codes::Bitmask(
                table
                    .map(|(i, b)| crate::dnsbl::Bit::new(b, format!("bit {i}")))
                    .collect(),
            )
        } else {
            Codes::Exact(
                table
                    .map(|(i, b)| {
                        crate::dnsbl::Code::new(
                            std::net::Ipv4Addr::new(127, 0, 0, b),
                            format!("code {i}"),
                        )
                    })
                    .collect(),
            )
        },
        errors: vec![(
            std::net::Ipv4Addr::new(127, 255, 255, 254),
            "refused".into(),
        )],
        key: None,
        test_domain: None,
        ipv6: rest.get(2).is_some_and(|b| b % 2 == 0),
        note: None,
    };
    if let Ok(name) = query_name(&list, &target) {
        assert!(crate::dns::validate_name(&name).is_ok(), "{name:?}");
    }
    let lists = [list];
    let resolver = FuzzDns::new(rest.get(17..).unwrap_or_default());
    let options = DnsblConfig::default().fetch_reasons(true);
    let report = block_on(check_target(&resolver, target, &lists, &options));
    for result in &report.results {
        if let ListOutcome::Listed { listings, .. } = &result.outcome {
            assert!(!listings.is_empty());
        }
    }
    assert!(resolver.queries() <= 2);
}

/// SPF with identities, client and limits the fuzzer chooses, over DNS it
/// answers: never a panic; the limits hold; the explanation, the
/// `Received-SPF` and `Authentication-Results` renderings are safe; the
/// explanation is bounded.
pub fn spf_identities(data: &[u8]) {
    use crate::spf::{HeaderContext, Identity, SpfConfig, SpfVerifier};
    let ([sender, helo, receiver, explanation], rest) = fields::<4>(data);
    let ip = ip_from(rest);
    let tail = rest.get(17..).unwrap_or_default();
    let (limits, dns) = tail.split_at(tail.len().min(3));
    let Ok(config) = SpfConfig::default()
        .max_lookups(u32::from(limits.first().copied().unwrap_or(10) % 24))
        .max_void_lookups(u32::from(limits.get(1).copied().unwrap_or(2) % 8))
        .max_mx_names(usize::from(limits.get(2).copied().unwrap_or(10) % 24))
        .speculate(limits.first().is_none_or(|b| b & 0x80 == 0))
        .receiver(receiver.clone())
        .default_explanation(&explanation)
    else {
        return;
    };
    let resolver = FuzzDns::new(dns);
    let verifier = SpfVerifier::new(config);
    let out = block_on(verifier.check_mail_from(&resolver, ip, &sender, &helo));
    let config = verifier.config();
    assert!(out.lookups <= config.max_lookups + 1);
    assert!(out.void_lookups <= config.max_void_lookups + 1);
    if let Some(text) = &out.explanation {
        assert_safe("explanation", text);
        assert!(text.len() <= crate::text::MAX_REPLY_TEXT);
    }
    let context = HeaderContext {
        identity: Identity::MailFrom,
        client_ip: ip,
        helo: &helo,
        envelope_from: &sender,
        receiver: &receiver,
    };
    assert_safe("Received-SPF", &out.received_spf(&context));
    assert_safe(
        "Authentication-Results",
        &out.authentication_results(&context),
    );
}

/// Bytes as one quoted zone-file character-string per 255 bytes.
fn zone_string(bytes: &[u8]) -> String {
    let zone = crate::dns::Zone {
        records: vec![crate::dns::ZoneRecord {
            name: "x".into(),
            ttl: 0,
            data: crate::dns::RecordData::Txt(crate::dns::Txt::new([bytes.to_vec()])),
        }],
    };
    let line = zone.to_string();
    // "x. 0 IN TXT <strings>\n"
    line.trim_end()
        .split_once(" TXT ")
        .map(|(_, strings)| strings.to_owned())
        .unwrap_or_default()
}

/// Runs a future that never waits: the in-memory zone without latency
/// answers at once, so one poll completes it.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    // The in-memory zone never waits; a [`Deferred`] answer comes on the
    // next poll. A future still pending after this many is hung.
    for _ in 0..1_000_000 {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
    panic!("a future never finished")
}

/// A resolver whose every answer comes one poll later than its inner
/// resolver's: asked at the first poll, as a query is sent, and answered
/// at the next, as from the network, so that SPF's speculative lookups run
/// (they start at the first answer that has to be waited for).
#[non_exhaustive]
pub struct Deferred<R>(pub R);

/// Pending once, then ready.
struct YieldOnce(bool);

impl std::future::Future for YieldOnce {
    type Output = ();

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            std::task::Poll::Ready(())
        } else {
            context.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    }
}

#[async_trait::async_trait]
impl<R: crate::dns::DnsResolver> crate::dns::DnsResolver for Deferred<R> {
    async fn txt(&self, name: &str) -> crate::dns::LookupResult<crate::dns::Txt> {
        let answer = self.0.txt(name).await;
        YieldOnce(false).await;
        answer
    }
    async fn a(&self, name: &str) -> crate::dns::LookupResult<std::net::Ipv4Addr> {
        let answer = self.0.a(name).await;
        YieldOnce(false).await;
        answer
    }
    async fn aaaa(&self, name: &str) -> crate::dns::LookupResult<std::net::Ipv6Addr> {
        let answer = self.0.aaaa(name).await;
        YieldOnce(false).await;
        answer
    }
    async fn mx(&self, name: &str) -> crate::dns::LookupResult<crate::dns::Mx> {
        let answer = self.0.mx(name).await;
        YieldOnce(false).await;
        answer
    }
    async fn ptr(&self, ip: std::net::IpAddr) -> crate::dns::LookupResult<String> {
        let answer = self.0.ptr(ip).await;
        YieldOnce(false).await;
        answer
    }
}

#[cfg(test)]
mod tests {
    /// The fuzz entry points hold on a few inputs, so that `cargo test`
    /// exercises them too.
    #[test]
    fn entry_points_hold_on_samples() {
        let samples: [&[u8]; 10] = [
            b"v=DMARC1; p=reject; rua=mailto:a@example.com!10m, https://x.example/r; fo=1:d",
            b"V=DMARC1;;P=Quarantine;pct=200;x=\xc3\xa9;rua=mailto:@",
            b"v=spf1 mx a:%{d} include:l1.fuzz.example -all",
            b"v=spf1 ptr exists:%{ir}.%{v}.%{l1r-}.l2.fuzz.example ?all\nv=spf1 redirect=fuzz.example",
            b"v=spf1 include:fuzz.example",
            b"%{p} %{c} %{r} %{t} %{S} %{i32r+-} %%%_%-",
            b"v=spf1 a:%{i}.%{i}.%{i}.%{i}.%{i}.%{i}.%{i}.%{i}.%{i}.%{i}.example -all",
            b"$ORIGIN x.\n@ TXT \"a\\\"b\"\n",
            b"\xff\xfe",
            b"",
        ];
        for sample in samples {
            for (_, target) in TARGETS {
                target(sample);
            }
        }
    }

    /// A fuzz entry point.
    type Entry = fn(&[u8]);

    /// Every fuzz target by name, as `fuzz/Cargo.toml` names them.
    const TARGETS: [(&str, Entry); 17] = [
        ("zone_text", super::zone_text),
        ("spf_record", super::spf_record),
        ("spf_macro", super::spf_macro),
        ("spf_eval", super::spf_eval),
        ("spf_ip6", super::spf_ip6),
        ("helo_name", super::helo_name),
        ("dnsbl_answers", super::dnsbl_answers),
        ("dmarc_record", super::dmarc_record),
        ("dns_records", super::dns_records),
        ("dmarc_eval", super::dmarc_eval),
        ("checks", super::checks),
        ("dnsbl_lists", super::dnsbl_lists),
        ("spf_identities", super::spf_identities),
        ("mux_response", super::mux_response),
        ("dkim_record", super::dkim_record),
        ("dkim_verify", super::dkim_verify),
        ("posture_records", super::posture_records),
    ];

    /// The seed corpus of the repository (`fuzz/seeds.txt`) holds for its
    /// targets, so that `cargo test` runs every seed, and every target
    /// has seeds.
    #[test]
    fn seed_corpus_holds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let list = std::fs::read_to_string(root.join("fuzz/seeds.txt")).unwrap();
        let mut seeded = std::collections::BTreeSet::new();
        for line in list
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let (name, dir) = line.split_once(' ').unwrap();
            let Some((_, target)) = TARGETS.iter().find(|(n, _)| *n == name) else {
                // The doctor's crate runs its own targets' seeds.
                assert!(["doctor", "bounce", "headers"].contains(&name), "{line}");
                continue;
            };
            let mut files = 0;
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    target(&std::fs::read(&path).unwrap());
                    files += 1;
                }
            }
            assert!(files > 0, "{dir} is empty");
            seeded.insert(name);
        }
        let targets: std::collections::BTreeSet<_> = TARGETS.iter().map(|(n, _)| *n).collect();
        assert_eq!(seeded, targets, "a fuzz target without seeds");
    }
}
