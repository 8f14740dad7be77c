//! The RFC 7208 conformance suite (`../shared/conformance/spf/`, pyspf's
//! copy of the openspf suite; format and licence in its `SOURCE.md`), run
//! table-driven as `SOURCE.md` describes, with the in-memory backend.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use mailauth_core::dns::DnsResolver;
use mailauth_core::dns::{
    Fault, MemoryResolver, Mx, RecordData, RecordType, Soa, Transport, Txt, Zone, ZoneRecord,
};
use mailauth_core::spf::{ClientIp, SpfConfig, SpfOutput, SpfResult, SpfVerifier};
use yaml_rust2::{Yaml, YamlLoader};

/// The suite file, beside the checkout.
pub(crate) fn suite_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/spf/rfc7208-tests.yml")
}

/// One scenario: its DNS data and its test cases.
pub(crate) struct Scenario {
    pub(crate) description: String,
    pub(crate) records: Vec<ZoneRecord>,
    /// Names (and types) whose queries time out; `None`: every type.
    pub(crate) timeouts: Vec<(String, Option<RecordType>)>,
    pub(crate) cases: Vec<Case>,
}

/// One test case.
pub(crate) struct Case {
    pub(crate) name: String,
    /// The client IP as the suite writes it (its hex case is kept for
    /// `%{i}`, see `ClientIp`).
    pub(crate) host: ClientIp,
    pub(crate) mail_from: String,
    pub(crate) helo: String,
    pub(crate) results: Vec<SpfResult>,
    pub(crate) explanation: Option<String>,
}

fn text(yaml: &Yaml) -> String {
    match yaml {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        other => panic!("expected a scalar, found {other:?}"),
    }
}

/// A name as the zone keeps it: lower case, no trailing dot.
fn owner(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

fn txt_value(value: &Yaml) -> Option<Txt> {
    match value {
        // `SPF: [ ]` and `["v=spf1 ip4:", "192.0.2.5 -all"]`: one record
        // of several (or no) character-strings.
        Yaml::Array(strings) => Some(Txt::new(strings.iter().map(|s| text(s).into_bytes()))),
        // `TXT: NONE` suppresses the SPF-to-TXT copy and serves nothing.
        Yaml::String(s) if s == "NONE" => None,
        scalar => Some(Txt::new([text(scalar).into_bytes()])),
    }
}

/// Reads every scenario of the suite.
pub(crate) fn load_suite() -> Vec<Scenario> {
    let path = suite_path();
    let source =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let docs = YamlLoader::load_from_str(&source).expect("the suite is YAML");
    docs.iter().map(scenario).collect()
}

fn scenario(doc: &Yaml) -> Scenario {
    let mut records = Vec::new();
    let mut timeouts = Vec::new();
    let zonedata = doc["zonedata"].as_hash().expect("zonedata");
    for (name, entries) in zonedata {
        let name = owner(&text(name));
        let mut txt: Vec<Txt> = Vec::new();
        let mut spf: Vec<Txt> = Vec::new();
        let mut has_txt_entry = false;
        let mut timeout = false;
        let mut served: Vec<RecordType> = Vec::new();
        let mut push = |data: RecordData| {
            records.push(ZoneRecord::new(name.clone(), 300, data));
        };
        for entry in entries.as_vec().expect("record list") {
            if entry.as_str() == Some("TIMEOUT") {
                timeout = true;
                continue;
            }
            let (kind, value) = entry
                .as_hash()
                .and_then(|h| h.iter().next())
                .expect("one-key record");
            match text(kind).as_str() {
                "TXT" => {
                    has_txt_entry = true;
                    txt.extend(txt_value(value));
                }
                "SPF" => spf.extend(txt_value(value)),
                "A" => {
                    push(RecordData::A(text(value).parse().expect("A")));
                    served.push(RecordType::A);
                }
                "AAAA" => {
                    push(RecordData::Aaaa(text(value).parse().expect("AAAA")));
                    served.push(RecordType::Aaaa);
                }
                "MX" => {
                    let pair = value.as_vec().expect("MX pair");
                    let preference =
                        u16::try_from(pair[0].as_i64().expect("preference")).expect("u16");
                    push(RecordData::Mx(Mx::new(preference, owner(&text(&pair[1])))));
                    served.push(RecordType::Mx);
                }
                "PTR" => {
                    push(RecordData::Ptr(owner(&text(value))));
                    served.push(RecordType::Ptr);
                }
                "CNAME" => push(RecordData::Cname(owner(&text(value)))),
                other => panic!("unknown record type {other} at {name}"),
            }
        }
        // Rule 1 of SOURCE.md: TXT entries if any (even `TXT: NONE`),
        // otherwise the SPF entries, served as TXT.
        let served_txt = if has_txt_entry { txt } else { spf };
        if !served_txt.is_empty() {
            served.push(RecordType::Txt);
        }
        for record in served_txt {
            push(RecordData::Txt(record));
        }
        if timeout {
            // Rule 4: types the name has records for answer; others time out.
            if served.is_empty() {
                timeouts.push((name.clone(), None));
            } else {
                for &kind in RecordType::ALL {
                    if !served.contains(&kind) {
                        timeouts.push((name.clone(), Some(kind)));
                    }
                }
            }
        }
    }
    let mut cases = Vec::new();
    for (name, case) in doc["tests"].as_hash().expect("tests") {
        let results = match &case["result"] {
            Yaml::Array(list) => list.iter().map(text).collect(),
            one => vec![text(one)],
        };
        cases.push(Case {
            name: text(name),
            host: text(&case["host"]).parse().expect("host IP"),
            mail_from: text(&case["mailfrom"]),
            helo: text(&case["helo"]),
            results: results
                .iter()
                .map(|r| r.parse().expect("result token"))
                .collect(),
            explanation: case["explanation"].as_str().map(str::to_owned),
        });
    }
    Scenario {
        description: text(&doc["description"]),
        records,
        timeouts,
        cases,
    }
}

impl Scenario {
    /// The scenario's DNS data in memory.
    pub(crate) fn memory_resolver(&self) -> MemoryResolver {
        let mut zone = MemoryResolver::new();
        for record in &self.records {
            zone.insert(record.clone());
        }
        for (name, kind) in &self.timeouts {
            zone.inject(name, *kind, Fault::Timeout)
                .expect("valid timeout name");
        }
        zone
    }
}

impl Scenario {
    /// The scenario as one root zone for the real server, and the names
    /// that must never be answered: its TIMEOUT names that have no records
    /// and no served names below them (the server gives each a zone it
    /// never answers for, which would swallow any names below it).
    pub(crate) fn root_zone(&self) -> (String, Vec<String>) {
        let mut records = vec![
            ZoneRecord::new(
                "",
                300,
                RecordData::Soa(Soa::new("ns.test", "hostmaster.test", 1)),
            ),
            ZoneRecord::new("", 300, RecordData::Ns("ns.test".into())),
        ];
        records.extend(self.records.iter().cloned());
        let servfail = self
            .timeouts
            .iter()
            .filter(|(name, kind)| {
                kind.is_none()
                    && !self
                        .records
                        .iter()
                        .any(|r| r.name.ends_with(&format!(".{name}")))
            })
            .map(|(name, _)| name.clone())
            .collect();
        (Zone::from(records).to_string(), servfail)
    }
}

/// The configuration `SOURCE.md` prescribes: RFC limits, default
/// explanation `DEFAULT`.
pub(crate) fn suite_config() -> SpfConfig {
    SpfConfig::default()
        .default_explanation("DEFAULT")
        .expect("a literal explanation")
}

/// Runs a case; `None` when it passes, else what went wrong.
pub(crate) async fn run_case(
    verifier: &SpfVerifier,
    resolver: &dyn DnsResolver,
    case: &Case,
) -> Option<String> {
    let out: SpfOutput = if case.mail_from.is_empty() {
        verifier.check_helo(resolver, case.host, &case.helo).await
    } else {
        verifier
            .check_mail_from(resolver, case.host, &case.mail_from, &case.helo)
            .await
    };
    if !case.results.contains(&out.result) {
        return Some(format!(
            "result {} (expected {:?}); {}",
            out.result,
            case.results.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            out.summary()
        ));
    }
    if let (SpfResult::Fail, Some(expected)) = (out.result, &case.explanation)
        && out.explanation.as_deref() != Some(expected)
    {
        return Some(format!(
            "explanation {:?} (expected {expected:?})",
            out.explanation
        ));
    }
    None
}

/// Runs every case with the resolver `make` gives for each scenario, with
/// speculative lookups on or off; returns (passed, failures).
pub(crate) async fn run_suite<F>(
    scenarios: &[Scenario],
    speculate: bool,
    make: F,
) -> (usize, Vec<String>)
where
    F: Fn(&Scenario) -> Arc<dyn DnsResolver>,
{
    let mut passed = 0;
    let mut failures = Vec::new();
    for scenario in scenarios {
        let verifier = SpfVerifier::new(suite_config().speculate(speculate));
        let resolver = make(scenario);
        for case in &scenario.cases {
            match run_case(&verifier, &*resolver, case).await {
                None => passed += 1,
                Some(why) => {
                    failures.push(format!("{} / {}: {why}", scenario.description, case.name))
                }
            }
        }
    }
    (passed, failures)
}

/// A report line per failure, then the count line.
fn report(label: &str, passed: usize, failures: &[String]) {
    for failure in failures {
        println!("FAILED {failure}");
    }
    println!("{label}: {passed} passed, {} failed", failures.len());
}

#[tokio::test]
async fn rfc7208_suite_in_memory() {
    let scenarios = load_suite();
    let total: usize = scenarios.iter().map(|s| s.cases.len()).sum();
    assert_eq!(total, 203, "the suite has 203 cases");
    let by_section: BTreeMap<&str, usize> = scenarios
        .iter()
        .map(|s| (s.description.as_str(), s.cases.len()))
        .collect();
    assert_eq!(by_section.len(), 16);
    for (speculate, label) in SPECULATION {
        let (passed, failures) =
            run_suite(&scenarios, speculate, |s| Arc::new(s.memory_resolver())).await;
        report(
            &format!("rfc7208 suite, in-memory backend, {label}"),
            passed,
            &failures,
        );
        assert!(
            failures.is_empty(),
            "{} of {total} cases failed ({label})",
            failures.len()
        );
        assert_eq!(passed, 203);
    }
}

/// Both ways of evaluating: speculative lookups on (the default) and off.
const SPECULATION: [(bool, &str); 2] = [(true, "speculative"), (false, "sequential")];

#[tokio::test]
async fn rfc7208_suite_through_the_real_dns_server() {
    use crate::dns_server::DnsServer;
    // Its TIMEOUT cases time out after 1 s, and its servers share the two
    // cores with the hard loaders of the shared server.
    let _timed = crate::dns_server::timed().await;
    let scenarios = load_suite();
    let mut passed = [0; 2];
    let mut failures = [Vec::new(), Vec::new()];
    for (i, scenario) in scenarios.iter().enumerate() {
        let (zone, silent) = scenario.root_zone();
        let file = std::env::temp_dir().join(format!(
            "mailauth-spf-suite-{}-{i}.zone",
            std::process::id()
        ));
        std::fs::write(&file, zone).expect("write the scenario zone");
        let mut args: Vec<String> = silent
            .iter()
            .flat_map(|n| ["--silent".to_owned(), n.clone()])
            .collect();
        args.push(format!(".={}", file.display()));
        let server = DnsServer::start(&args);
        // TIMEOUT names time out for real: one attempt of 1 s.
        let resolver = Arc::new(server.resolver_with(
            Transport::UdpWithTcpFallback,
            Duration::from_secs(1),
            1,
        ));
        for (mode, (speculate, _)) in SPECULATION.into_iter().enumerate() {
            let (ok, failed) = run_suite(std::slice::from_ref(scenario), speculate, |_| {
                resolver.clone()
            })
            .await;
            passed[mode] += ok;
            failures[mode].extend(failed);
        }
        drop(server);
        let _ = std::fs::remove_file(&file);
    }
    for (mode, (_, label)) in SPECULATION.into_iter().enumerate() {
        report(
            &format!("rfc7208 suite, Knot DNS through hickory, {label}"),
            passed[mode],
            &failures[mode],
        );
    }
    for (mode, (_, label)) in SPECULATION.into_iter().enumerate() {
        assert!(
            failures[mode].is_empty(),
            "{} cases failed through the real server ({label})",
            failures[mode].len()
        );
        assert_eq!(passed[mode], 203);
    }
}
