//! SPF evaluations per second on the shared corpus, with 1 and 2 threads
//! sharing one verifier (and so its parsed-record cache) and one in-memory
//! zone:
//!
//! ```text
//! spf-threads [SECONDS]      (default 2 per measurement)
//! ```
//!
//! Each thread drives its own single-threaded runtime through the 44
//! queries again and again; the figure is the median of five
//! measurements, for speculative lookups on and off, with the threads
//! sharing one in-memory zone and with a zone each (the zone counts every
//! query in atomics the threads then contend for: the test harness's cost,
//! not the verifier's). On a machine with fewer idle cores than threads
//! the second thread only shares the first one's core.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mailauth_benches::{Query, SpfCorpus};
use mailauth_core::dns::MemoryResolver;
use mailauth_core::spf::{SpfConfig, SpfVerifier};

fn main() -> ExitCode {
    let seconds = match std::env::args().nth(1).map(|a| a.parse::<f64>()) {
        None => 2.0,
        Some(Ok(s)) if s > 0.0 && s.is_finite() => s,
        Some(_) => {
            eprintln!("usage: spf-threads [SECONDS]");
            return ExitCode::from(2);
        }
    };
    let SpfCorpus {
        resolver,
        scenarios,
        ..
    } = match SpfCorpus::load_for_binary() {
        Ok(corpus) => corpus,
        Err(code) => return code,
    };
    let second = match SpfCorpus::load_for_binary() {
        Ok(corpus) => corpus.resolver,
        Err(code) => return code,
    };
    let queries: Vec<Query> = scenarios.iter().flat_map(|s| s.queries.clone()).collect();
    let window = Duration::from_secs_f64(seconds);
    for (zones, label) in [
        ([&resolver, &resolver], "one zone"),
        ([&resolver, &second], "a zone each"),
    ] {
        for speculate in [true, false] {
            let verifier = SpfVerifier::new(SpfConfig::default().speculate(speculate));
            // Fill the record cache.
            measure(&verifier, zones, &queries, 1, Duration::from_millis(100));
            let on = if speculate { "on" } else { "off" };
            let mut line = format!("{label:<11}  speculation {on:<3}");
            for threads in [1, 2] {
                let mut rates: Vec<f64> = (0..5)
                    .map(|_| measure(&verifier, zones, &queries, threads, window))
                    .collect();
                rates.sort_by(f64::total_cmp);
                line.push_str(&format!(
                    "  {threads} thread{}: {:>9.0} evaluations/s",
                    if threads == 1 { " " } else { "s" },
                    rates[2]
                ));
            }
            println!("{line}");
        }
    }
    ExitCode::SUCCESS
}

/// Evaluations per second of `threads` threads over `window`, thread `i`
/// asking `zones[i]`.
fn measure(
    verifier: &SpfVerifier,
    zones: [&MemoryResolver; 2],
    queries: &[Query],
    threads: usize,
    window: Duration,
) -> f64 {
    let done = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for resolver in zones.into_iter().take(threads) {
            let (done, stop) = (&done, &stop);
            scope.spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .expect("runtime");
                while !stop.load(Ordering::Relaxed) {
                    runtime.block_on(async {
                        for q in queries {
                            std::hint::black_box(
                                verifier
                                    .check_mail_from(resolver, q.ip, &q.sender, &q.helo)
                                    .await,
                            );
                        }
                    });
                    done.fetch_add(queries.len() as u64, Ordering::Relaxed);
                }
            });
        }
        std::thread::sleep(window);
        stop.store(true, Ordering::Relaxed);
    });
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}
