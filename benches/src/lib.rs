//! Shared workloads for mailauth's benchmarks.
//!
//! [`SpfCorpus::load`] reads `../shared/bench/spf-corpus.json` (format in
//! `../shared/bench/README.md`) into the in-memory backend, so every
//! benchmark measures the same DNS data and the same queries.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use mailauth_core::dns::{
    Fault, MemoryResolver, Mx, RecordData, RecordType, Txt, ZoneRecord, reverse_name,
};
use serde::Deserialize;

/// Where the shared SPF benchmark corpus lives, from this crate's directory.
pub fn spf_corpus_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/spf-corpus.json")
}

/// The corpus, loaded: the DNS data as an in-memory zone, and the queries.
#[derive(Debug)]
pub struct SpfCorpus {
    /// Every record and SERVFAIL of the corpus; PTR records at the reverse
    /// names of the `ptr` table.
    pub resolver: MemoryResolver,
    /// The DNS data as zone records (for building other resolvers).
    pub records: Vec<ZoneRecord>,
    /// The scenarios and their queries.
    pub scenarios: Vec<Scenario>,
    /// Record texts and whether each is valid SPF.
    pub parse_cases: Vec<ParseCase>,
}

/// One scenario of the corpus.
#[derive(Clone, Debug, Deserialize)]
pub struct Scenario {
    /// Short identifier.
    pub id: String,
    /// What the scenario exercises.
    pub title: String,
    /// Its queries.
    pub queries: Vec<Query>,
}

/// One check_host() query and its RFC 7208 result.
#[derive(Clone, Debug, Deserialize)]
pub struct Query {
    /// The client IP.
    pub ip: IpAddr,
    /// MAIL FROM; empty for the HELO identity.
    pub sender: String,
    /// The HELO name.
    pub helo: String,
    /// The expected result (`pass`, `fail`, ...).
    pub expect: String,
    /// Why.
    pub note: String,
}

/// A record text and whether it is valid under RFC 7208 §12.
#[derive(Clone, Debug, Deserialize)]
pub struct ParseCase {
    /// The record.
    pub record: String,
    /// Whether it parses.
    pub valid: bool,
    /// What it exercises.
    pub note: String,
}

/// The corpus file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The JSON does not match the documented format.
    #[error("{path} is not a corpus: {source}")]
    Format {
        /// The file.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
    /// A value in it is not valid DNS data.
    #[error("{path}: {what}")]
    Data {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
}

#[derive(Deserialize)]
struct RawCorpus {
    records: BTreeMap<String, RawRecords>,
    ptr: BTreeMap<IpAddr, Vec<String>>,
    scenarios: Vec<Scenario>,
    parse_cases: Vec<ParseCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecords {
    #[serde(rename = "TXT", default)]
    txt: Vec<String>,
    #[serde(rename = "A", default)]
    a: Vec<Ipv4Addr>,
    #[serde(rename = "AAAA", default)]
    aaaa: Vec<Ipv6Addr>,
    #[serde(rename = "MX", default)]
    mx: Vec<(u16, String)>,
    #[serde(rename = "SERVFAIL", default)]
    servfail: Vec<String>,
}

impl SpfCorpus {
    /// Loads the shared corpus from [`spf_corpus_path`].
    pub fn load_shared() -> Result<Self, CorpusError> {
        Self::load(&spf_corpus_path())
    }

    /// [`Self::load_shared`] for the bench binaries: the error is printed,
    /// and `Err` is their exit code.
    pub fn load_for_binary() -> Result<Self, std::process::ExitCode> {
        Self::load_shared().map_err(|e| {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        })
    }

    /// Loads a corpus file.
    pub fn load(path: &Path) -> Result<Self, CorpusError> {
        let text = std::fs::read_to_string(path).map_err(|source| CorpusError::Read {
            path: path.to_owned(),
            source,
        })?;
        let raw: RawCorpus = serde_json::from_str(&text).map_err(|source| CorpusError::Format {
            path: path.to_owned(),
            source,
        })?;
        let data_error = |what: String| CorpusError::Data {
            path: path.to_owned(),
            what,
        };
        let mut records = Vec::new();
        let mut faults = Vec::new();
        for (name, set) in raw.records {
            let mut add = |data| {
                records.push(ZoneRecord::new(name.clone(), 300, data));
            };
            // TXT values are already joined: one string each (the loader
            // keeps them whole; only zone text splits at 255 octets).
            set.txt
                .into_iter()
                .for_each(|t| add(RecordData::Txt(Txt::new([t.into_bytes()]))));
            set.a.into_iter().for_each(|ip| add(RecordData::A(ip)));
            set.aaaa
                .into_iter()
                .for_each(|ip| add(RecordData::Aaaa(ip)));
            set.mx.into_iter().for_each(|(preference, exchange)| {
                add(RecordData::Mx(Mx::new(
                    preference,
                    exchange.trim_end_matches('.'),
                )))
            });
            for kind in set.servfail {
                let kind: RecordType = kind
                    .parse()
                    .map_err(|_| data_error(format!("{name}: unknown SERVFAIL type {kind:?}")))?;
                faults.push((name.clone(), kind));
            }
        }
        for (ip, names) in raw.ptr {
            for target in names {
                records.push(ZoneRecord::new(
                    reverse_name(ip).to_string(),
                    300,
                    RecordData::Ptr(target),
                ));
            }
        }
        let mut resolver = MemoryResolver::new();
        for record in &records {
            resolver.insert(record.clone());
        }
        for (name, kind) in faults {
            resolver
                .inject(&name, Some(kind), Fault::Rcode(2))
                .map_err(|e| data_error(format!("{name}: {e}")))?;
        }
        Ok(Self {
            resolver,
            records,
            scenarios: raw.scenarios,
            parse_cases: raw.parse_cases,
        })
    }

    /// The text of every SPF record in the corpus (TXT values starting
    /// with `v=spf1`), in corpus order.
    pub fn spf_record_texts(&self) -> Vec<String> {
        self.records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Txt(txt) => Some(String::from_utf8_lossy(&txt.joined()).into_owned()),
                _ => None,
            })
            .filter(|text| text.to_ascii_lowercase().starts_with("v=spf1"))
            .collect()
    }

    /// Every query of every scenario, in order.
    pub fn queries(&self) -> impl Iterator<Item = &Query> {
        self.scenarios.iter().flat_map(|s| &s.queries)
    }
}

#[cfg(test)]
mod tests {
    use mailauth_core::dns::{DnsResolver, LookupError, ServerFailure};

    use super::*;

    #[test]
    fn loads_the_shared_corpus() {
        let corpus = SpfCorpus::load_shared().expect("load the corpus");
        assert_eq!(corpus.queries().count(), 44);
        assert_eq!(corpus.parse_cases.len(), 17);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            let txt = corpus
                .resolver
                .txt("_netblocks.google.example.com")
                .await
                .unwrap();
            assert!(txt[0].joined().starts_with(b"v=spf1 ip4:35.190.247.0/24"));
            assert_eq!(
                corpus.resolver.txt("servfail.example.com").await,
                Err(LookupError::ServerFailure(ServerFailure::SERVFAIL))
            );
            let ptr = corpus
                .resolver
                .ptr("192.0.2.99".parse().unwrap())
                .await
                .unwrap();
            assert_eq!(&*ptr, ["host99.mxdomain.example.org".to_owned()]);
            assert_eq!(
                corpus.resolver.a("not-in-the-corpus.example").await,
                Err(LookupError::NxDomain)
            );
        });
    }

    #[test]
    fn bad_files_are_errors() {
        let missing = SpfCorpus::load(Path::new("/nonexistent/corpus.json"));
        assert!(matches!(missing, Err(CorpusError::Read { .. })));
    }
}
