//! The workload `scripts/spf-instructions.sh` counts under callgrind:
//!
//! ```text
//! spf-instructions MODE ROUNDS
//! ```
//!
//! MODE `cold` evaluates the 44 queries of the shared SPF corpus with the
//! parsed-record cache off (every fetched record is parsed), `warm` with
//! it on and filled beforehand, `parse` parses every SPF record of the
//! corpus. ROUNDS repeats the work; the script subtracts a 1-round run
//! from an N-round run so that start-up costs cancel out.

use std::process::ExitCode;

use mailauth_benches::SpfCorpus;
use mailauth_core::spf::{SpfConfig, SpfRecord, SpfVerifier};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(mode), Some(rounds)) = (
        args.get(1),
        args.get(2).and_then(|r| r.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: spf-instructions cold|warm|parse ROUNDS");
        return ExitCode::from(2);
    };
    let corpus = match SpfCorpus::load_for_binary() {
        Ok(corpus) => corpus,
        Err(code) => return code,
    };
    let count = match mode.as_str() {
        "cold" | "warm" => evaluate(corpus, mode == "warm", rounds),
        "parse" => parse(&corpus, rounds),
        _ => {
            eprintln!("unknown mode {mode}");
            return ExitCode::from(2);
        }
    };
    println!("{mode}: {count} operations per round");
    ExitCode::SUCCESS
}

fn evaluate(corpus: SpfCorpus, warm: bool, rounds: usize) -> usize {
    let SpfCorpus {
        resolver,
        scenarios,
        ..
    } = corpus;
    let mut config = SpfConfig::default();
    if !warm {
        config = config.record_cache_size(0);
    }
    let verifier = SpfVerifier::new(config);
    let queries: Vec<_> = scenarios.iter().flat_map(|s| s.queries.iter()).collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        if warm {
            for q in &queries {
                std::hint::black_box(
                    verifier
                        .check_mail_from(&resolver, q.ip, &q.sender, &q.helo)
                        .await,
                );
            }
        }
        for _ in 0..rounds {
            for q in &queries {
                std::hint::black_box(
                    verifier
                        .check_mail_from(&resolver, q.ip, &q.sender, &q.helo)
                        .await,
                );
            }
        }
    });
    queries.len()
}

fn parse(corpus: &SpfCorpus, rounds: usize) -> usize {
    let records = corpus.spf_record_texts();
    for _ in 0..rounds {
        for text in &records {
            let _ = std::hint::black_box(SpfRecord::parse(std::hint::black_box(text)));
        }
    }
    records.len()
}
