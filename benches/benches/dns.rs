//! In-memory DNS lookups on the shared SPF corpus
//! (`../shared/bench/spf-corpus.json`): what one lookup of the in-memory
//! backend costs, the floor under every SPF, iprev and DMARC benchmark.
//!
//! - `txt_hit`: a TXT record that exists (the SPF record fetch).
//! - `txt_mixed_case`: the same name in mixed case (case folding allocates).
//! - `a_nxdomain`: a name that does not exist (a void lookup).
//! - `ptr_hit`: a PTR lookup by IP (builds the reverse name).
//! - `zone_parse_corpus`: parsing the corpus printed as zone text.
//! - `zone_load_one_name/N`: loading N TXT records at one name into a
//!   `MemoryResolver`; linear in N (it was quadratic: each record rebuilt
//!   the name's answer).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mailauth_benches::SpfCorpus;
use mailauth_core::dns::{DnsResolver, MemoryResolver, Zone};

fn lookups(c: &mut Criterion) {
    let corpus = SpfCorpus::load_shared().expect("load the SPF corpus");
    let zone = &corpus.resolver;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let ip = "192.0.2.99".parse().expect("ip");

    let mut group = c.benchmark_group("memory_lookup");
    group.bench_function("txt_hit", |b| {
        b.iter(|| runtime.block_on(zone.txt(black_box("_netblocks.google.example.com"))))
    });
    group.bench_function("txt_mixed_case", |b| {
        b.iter(|| runtime.block_on(zone.txt(black_box("_Netblocks.Google.Example.com"))))
    });
    group.bench_function("a_nxdomain", |b| {
        b.iter(|| runtime.block_on(zone.a(black_box("nothing-here.example.com"))))
    });
    group.bench_function("ptr_hit", |b| {
        b.iter(|| runtime.block_on(zone.ptr(black_box(ip))))
    });
    group.finish();

    let text = Zone::from(corpus.records.clone()).to_string();
    c.bench_function("zone_parse_corpus", |b| {
        b.iter(|| Zone::parse(black_box(&text)))
    });

    let mut group = c.benchmark_group("zone_load_one_name");
    for n in [1_000, 8_000] {
        let text: String = (0..n)
            .map(|i| format!("big.example. TXT \"record {i}\"\n"))
            .collect();
        group.throughput(criterion::Throughput::Elements(n));
        group.bench_function(n.to_string(), |b| {
            b.iter(|| MemoryResolver::from_zone_text(black_box(&text)))
        });
    }
    group.finish();
}

criterion_group!(benches, lookups);
criterion_main!(benches);
