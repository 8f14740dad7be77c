//! DMARC (RFC 9989) on the in-memory backend, over the DMARC test zone the
//! unit and integration tests use (`mailauth-core/tests/data/zones/
//! example.zone`; the shared workload in `../shared/bench/` is SPF only).
//!
//! - `parse/<case>`: receiver-mode parse of one record.
//! - `validate/odd_case`: validator mode (every diagnostic) of one record.
//! - `discover/<case>`: policy discovery for one domain, tree walk
//!   included (`org`: record at the domain, 2 queries; `subdomain`: record
//!   at the parent plus the existence query, 4; `long`: 13 labels, 8).
//! - `evaluate/relaxed_pass`: discovery plus one relaxed alignment walk.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mailauth_core::SpfResult;
use mailauth_core::dmarc::{DmarcInput, DmarcRecord, discover_policy, evaluate};
use mailauth_core::dns::MemoryResolver;

const ZONE: &str = include_str!("../../mailauth-core/tests/data/zones/example.zone");

fn dmarc(c: &mut Criterion) {
    let records = [
        ("minimal", "v=DMARC1; p=reject"),
        (
            "typical",
            "v=DMARC1; p=quarantine; sp=reject; adkim=s; rua=mailto:dmarc@example.com,mailto:x@vendor.example; fo=1",
        ),
        (
            "odd_case",
            "V = DMARC1 ;\tP=Reject ; SP =QUARANTINE;ADKIM=S; pct=50; rua=mailto:a@b.example!10m; x=y",
        ),
    ];
    let mut group = c.benchmark_group("dmarc_parse");
    for (name, text) in records {
        group.bench_function(name, |b| b.iter(|| DmarcRecord::parse(black_box(text))));
    }
    group.bench_function("validate_odd_case", |b| {
        b.iter(|| DmarcRecord::validate(black_box(records[2].1)))
    });
    group.finish();

    let zone = MemoryResolver::from_zone_text(ZONE).expect("zone");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let mut group = c.benchmark_group("dmarc_discover");
    for (name, domain) in [
        ("org", "org.example"),
        ("subdomain", "mail.org.example"),
        ("long", "a.b.c.d.e.f.g.h.i.j.mail.long.example"),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| runtime.block_on(discover_policy(&zone, black_box(domain))))
        });
    }
    group.finish();
    let input = DmarcInput::new("news.org.example").spf("bounce.org.example", SpfResult::Pass);
    c.bench_function("dmarc_evaluate/relaxed_pass", |b| {
        b.iter(|| runtime.block_on(evaluate(&zone, black_box(&input))))
    });
}

criterion_group!(benches, dmarc);
criterion_main!(benches);
