//! Speculative SPF lookups against the depth bound, on the shared corpus:
//!
//! ```text
//! spf-latency [RTT_MS [RUNS]]      (default 20 ms, 5 runs)
//! ```
//!
//! Every answer of the corpus' in-memory zone comes RTT_MS late. For each
//! of the 44 queries, sequentially and with speculative lookups, the
//! wall-clock time (the median of RUNS) and the queries sent, against the
//! query's depth bound:
//! its [`round_trips`](mailauth_core::spf::SpfOutput::round_trips), the
//! longest chain of dependent lookups, times RTT_MS. The goal (issue 16):
//! speculative within 10% of the bound on every query of depth 3 or more.
//! The two evaluations' outputs are compared first.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use mailauth_benches::SpfCorpus;
use mailauth_core::spf::{SpfConfig, SpfVerifier};

fn main() -> ExitCode {
    let arg = |n: usize, default: u64| match std::env::args().nth(n).map(|a| a.parse::<u64>()) {
        None => Some(default),
        Some(Ok(value)) if value > 0 => Some(value),
        Some(_) => None,
    };
    let (Some(rtt), Some(runs)) = (arg(1, 20), arg(2, 5)) else {
        eprintln!("usage: spf-latency [RTT_MS [RUNS]]");
        return ExitCode::from(2);
    };
    let rtt = Duration::from_millis(rtt);
    let SpfCorpus {
        mut resolver,
        scenarios,
        ..
    } = match SpfCorpus::load_for_binary() {
        Ok(corpus) => corpus,
        Err(code) => return code,
    };
    resolver.set_latency(rtt);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let sequential = SpfVerifier::new(SpfConfig::default().speculate(false));
    let speculative = SpfVerifier::new(SpfConfig::default());
    println!(
        "{:<14} {:<34} {:>5} {:>8} {:>10} {:>11} {:>7} {:>9}",
        "scenario", "sender", "depth", "bound", "sequential", "speculative", "/bound", "queries"
    );
    let (mut deep, mut within, mut sent) = (0, 0, [0u64; 2]);
    let mut mismatches = 0;
    for scenario in &scenarios {
        for query in &scenario.queries {
            let mut results = Vec::new();
            for verifier in [&sequential, &speculative] {
                let mut times = Vec::new();
                let mut last = None;
                for _ in 0..runs {
                    resolver.reset_counters();
                    let start = Instant::now();
                    let out = runtime.block_on(verifier.check_mail_from(
                        &resolver,
                        query.ip,
                        &query.sender,
                        &query.helo,
                    ));
                    times.push(start.elapsed());
                    last = Some((out, resolver.queries()));
                }
                times.sort();
                let (out, queries) = last.expect("at least one run");
                results.push((out, times[times.len() / 2], queries));
            }
            let [(seq_out, seq_took, seq_queries), (out, took, queries)] = &results[..] else {
                unreachable!("two runs");
            };
            if seq_out != out {
                mismatches += 1;
                eprintln!("outputs differ: {} {}", scenario.id, query.sender);
            }
            let bound = rtt * out.round_trips;
            let ratio = took.as_secs_f64() / bound.as_secs_f64().max(f64::EPSILON);
            if out.round_trips >= 3 {
                deep += 1;
                within += usize::from(ratio <= 1.10);
            }
            sent[0] += seq_queries;
            sent[1] += queries;
            println!(
                "{:<14} {:<34} {:>5} {:>6}ms {:>8}ms {:>9}ms {:>7.2} {:>4} {:>4}",
                scenario.id,
                truncate(&query.sender, 34),
                out.round_trips,
                bound.as_millis(),
                seq_took.as_millis(),
                took.as_millis(),
                ratio,
                seq_queries,
                queries
            );
        }
    }
    let total: usize = scenarios.iter().map(|s| s.queries.len()).sum();
    println!(
        "\n{total} queries, RTT {} ms, medians of {runs} runs: queries sent per evaluation \
         {:.2} sequential, {:.2} speculative",
        rtt.as_millis(),
        sent[0] as f64 / total as f64,
        sent[1] as f64 / total as f64
    );
    println!("depth 3 or more: {within} of {deep} speculative evaluations within 10% of the bound");
    if mismatches > 0 {
        eprintln!("{mismatches} outputs differ between sequential and speculative");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        text.chars().take(width - 1).chain(['…']).collect()
    }
}
