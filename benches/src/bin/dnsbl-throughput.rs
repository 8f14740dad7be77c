//! DNSBL bulk throughput of the Rust library alone, against the real DNS
//! server (Knot, started by `scripts/dns-test-server.sh`) on loopback: the
//! workload of `benches/python/dnsbl_vs_pydnsbl.py` (10,000 addresses of
//! 198.18.0.0/15 x 5 lists, every 10th address listed from an offset of
//! 1,000 x list number: 4,000 listings).
//!
//! Usage: `dnsbl-throughput [udp-multiplexed|udp|tcp] [concurrency] [runs] [udp-sockets] [own|caller]`
//! (defaults: udp-multiplexed, 100 targets at a time, 3 runs, 2 sockets;
//! `own`: the multiplexed sockets receive on the transport's own thread,
//! `caller`: on the benchmark's runtime, `HickoryResolverBuilder::multiplex_on`)
//!
//! Prints queries per second and the client's CPU time per query (user +
//! system, from /proc/self/stat) for each run, on a current-thread tokio
//! runtime. Every run must find exactly the 4,000 listings, with no list
//! error.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use mailauth_core::dns::{HickoryResolver, Transport};
use mailauth_core::dnsbl::{Code, Codes, DnsblConfig, DnsblList, Target, check_bulk};
use mailauth_examples::knot::TestDnsServer;

const COUNT: u32 = 10_000;
const LISTS: usize = 5;
const FIRST: u32 = u32::from_be_bytes([198, 18, 0, 0]);

fn lists() -> Vec<DnsblList> {
    (1..=LISTS)
        .map(|n| {
            let zone = format!("l{n}.bench.test");
            let mut list = DnsblList::builtin("spamcop").expect("built-in list");
            list.id = zone.clone();
            list.zone = zone;
            list.codes = Codes::Exact(vec![Code::new(Ipv4Addr::new(127, 0, 0, 2), "listed")]);
            list.errors.clear();
            list
        })
        .collect()
}

/// The (address index, list index) pairs that are listed.
fn expected() -> Vec<(u32, usize)> {
    let mut listed = Vec::new();
    for list in 0..LISTS {
        let mut i = u32::try_from(list).unwrap_or(0) * 1000;
        while i < COUNT {
            listed.push((i, list));
            i += 10;
        }
    }
    listed.sort_unstable();
    listed
}

fn zone_text() -> String {
    let mut text = String::from(
        "$ORIGIN bench.test.\n@ 300 IN SOA ns hostmaster 1 3600 600 86400 300\n@ 300 IN NS ns\nns A 127.0.0.1\n",
    );
    for (i, list) in expected() {
        let [a, b, c, d] = (FIRST + i).to_be_bytes();
        text.push_str(&format!(
            "{d}.{c}.{b}.{a}.l{}.bench.test. A 127.0.0.2\n",
            list + 1
        ));
    }
    text
}

/// User + system CPU time of this process.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of stat(5), counted after the command name.
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|i| fields.get(*i)?.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let transport = match args.next().as_deref() {
        None | Some("udp-multiplexed") => Transport::UdpMultiplexed,
        Some("udp") => Transport::UdpWithTcpFallback,
        Some("tcp") => Transport::Tcp,
        Some(other) => {
            eprintln!("unknown transport {other:?}");
            std::process::exit(2);
        }
    };
    let concurrency: usize = args.next().and_then(|c| c.parse().ok()).unwrap_or(100);
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let sockets: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(2);
    let on_caller = args.next().as_deref() == Some("caller");

    let dir = std::env::temp_dir().join(format!("dnsbl-throughput-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let zone = dir.join("bench.test.zone");
    std::fs::write(&zone, zone_text()).expect("write the zone");
    let server = TestDnsServer::start(&[zone.display().to_string()]).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut builder = HickoryResolver::builder()
        .nameservers([server.addr])
        .transport(transport)
        .timeout(Duration::from_secs(2))
        .attempts(2)
        .udp_sockets(sockets)
        .cache(false);
    if on_caller {
        builder = builder.multiplex_on(runtime.handle().clone());
    }
    let resolver = {
        // hickory takes its runtime handle from the current context.
        let _context = runtime.enter();
        builder.build().expect("resolver")
    };
    let lists = lists();
    let want = expected();
    let queries = u64::from(COUNT) * LISTS as u64;
    let config = DnsblConfig::default();
    for run in 1..=runs {
        let targets: Vec<Target> = (0..COUNT)
            .map(|i| Target::Ip(IpAddr::V4(Ipv4Addr::from(FIRST + i))))
            .collect();
        let (cpu, started) = (cpu_time(), Instant::now());
        let bulk = check_bulk(&resolver, targets, &lists, concurrency, &config);
        let reports: Vec<_> = runtime.block_on(bulk.collect());
        let (wall, cpu) = (started.elapsed(), cpu_time() - cpu);
        let errors: usize = reports.iter().map(|r| r.errors().len()).sum();
        let mut found: Vec<(u32, usize)> = reports
            .iter()
            .flat_map(|r| {
                let Target::Ip(IpAddr::V4(ip)) = r.target else {
                    return Vec::new();
                };
                let index = u32::from(ip) - FIRST;
                r.blocked_by()
                    .iter()
                    .filter_map(|id| {
                        id.strip_prefix('l')?
                            .split('.')
                            .next()?
                            .parse::<usize>()
                            .ok()
                    })
                    .map(|n| (index, n - 1))
                    .collect()
            })
            .collect();
        found.sort_unstable();
        let ok = errors == 0 && found == want;
        println!(
            "run {run}: {:>8.0} queries/s, wall {:.2} s, client CPU {:.1} us/query, {} listings, {errors} errors{}",
            queries as f64 / wall.as_secs_f64(),
            wall.as_secs_f64(),
            cpu.as_secs_f64() * 1e6 / queries as f64,
            found.len(),
            if ok { "" } else { "  WRONG ANSWERS" },
        );
        if !ok {
            std::process::exit(1);
        }
    }
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}
