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
    let verifier = crate::spf::SpfVerifier::new(std::sync::Arc::new(resolver));
    for ip in ["192.0.2.1", "2001:db8::1"] {
        let ip: std::net::IpAddr = ip.parse().unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]));
        let out = block_on(verifier.check_mail_from(
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
/// Never a panic; the RFC 7208 §4.6.4 limits always hold.
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
    let resolver = std::sync::Arc::new(resolver);
    let verifier = crate::spf::SpfVerifier::new(resolver.clone());
    for ip in ["192.0.2.1", "192.0.2.9", "2001:db8::1"] {
        let ip: std::net::IpAddr = ip.parse().unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]));
        resolver.reset_counters();
        let out = block_on(verifier.check_mail_from(ip, "user@fuzz.example", "helo.fuzz.example"));
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
        // The record, 11 terms of at most 1 + 10 queries, %{p} (PTR + 10)
        // once, and exp=.
        let bound = 1 + 11 * 11 + 11 + 2;
        assert!(
            resolver.queries() <= bound,
            "{} queries",
            resolver.queries()
        );
    }
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
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => panic!("the in-memory zone never waits"),
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
            super::zone_text(sample);
            super::spf_record(sample);
            super::spf_macro(sample);
            super::spf_eval(sample);
            super::spf_ip6(sample);
            super::helo_name(sample);
            super::dnsbl_answers(sample);
            super::dmarc_record(sample);
        }
    }
}
