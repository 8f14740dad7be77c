//! SPF on the shared corpus (`../shared/bench/spf-corpus.json`):
//!
//! - `spf_parse/corpus_records`: parsing every SPF record of the corpus
//!   (28 records per iteration).
//! - `spf_eval/cold`: the 44 queries with the parsed-record cache off, so
//!   every fetched record is parsed.
//! - `spf_eval/warm`: the 44 queries with the cache filled.
//!
//! Instruction counts per operation, which are stable on a shared machine,
//! come from `scripts/spf-instructions.sh`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailauth_benches::SpfCorpus;
use mailauth_core::spf::{SpfConfig, SpfRecord, SpfVerifier};

fn parse(c: &mut Criterion) {
    let corpus = SpfCorpus::load_shared().expect("load the SPF corpus");
    let records = corpus.spf_record_texts();
    let mut group = c.benchmark_group("spf_parse");
    group.throughput(Throughput::Elements(records.len() as u64));
    group.bench_function("corpus_records", |b| {
        b.iter(|| {
            for text in &records {
                let _ = black_box(SpfRecord::parse(black_box(text)));
            }
        })
    });
    group.finish();
}

fn evaluate(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let mut group = c.benchmark_group("spf_eval");
    for (name, cache) in [("cold", 0), ("warm", 1024)] {
        let SpfCorpus {
            resolver,
            scenarios,
            ..
        } = SpfCorpus::load_shared().expect("corpus");
        let verifier = SpfVerifier::new(SpfConfig::default().record_cache_size(cache));
        let queries: Vec<_> = scenarios.iter().flat_map(|s| s.queries.clone()).collect();
        group.throughput(Throughput::Elements(queries.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                runtime.block_on(async {
                    for q in &queries {
                        black_box(
                            verifier
                                .check_mail_from(&resolver, q.ip, &q.sender, &q.helo)
                                .await,
                        );
                    }
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse, evaluate);
criterion_main!(benches);
