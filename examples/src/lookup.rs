//! `lookup`: asks DNS questions through mailauth's resolver trait and prints
//! each answer or DNS outcome.
//!
//! ```text
//! lookup [--zone FILE | --dns IP:PORT | --system] [QUESTION...]
//! ```
//!
//! A QUESTION is `NAME` (all of TXT, A, AAAA, MX), `NAME/TYPE`, or an IP
//! address (its PTR). With no resolver option it answers from the bundled
//! demo zone (`mailauth-doctor/data/demo.zone`), offline; with no question it asks
//! a tour of that zone.

use std::net::IpAddr;
use std::process::ExitCode;

use mailauth_core::dns::{DnsResolver, LookupResult, RecordType};
use mailauth_core::text::escape;
use mailauth_examples::cli::{ResolverChoice, demo_resolver, resolver_option};

/// The questions asked when none are given.
const TOUR: &[&str] = &[
    "good.example",
    "_dmarc.good.example/TXT",
    "mail.good.example",
    "192.0.2.10",
    "relayed.example/TXT",
    "isp.example/TXT",
    "198.51.100.25",
    "nomail.example/MX",
    "192.0.2.99",
    "missing.example/A",
];

const USAGE: &str =
    "usage: lookup [--zone FILE | --dns IP:PORT | --system] [NAME | NAME/TYPE | IP]...";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Arguments and DNS data reach the terminal escaped.
            eprintln!("lookup: {}\n{USAGE}", escape(&message));
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut args = args.into_iter();
    let mut questions = Vec::new();
    let mut resolver: Option<ResolverChoice> = None;
    while let Some(arg) = args.next() {
        if let Some(choice) = resolver_option(&arg, &mut args) {
            if resolver.replace(choice?).is_some() {
                return Err("give at most one of --zone, --dns, --system".into());
            }
            continue;
        }
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => questions.push(arg),
        }
    }
    let ResolverChoice { resolver, source } = match resolver {
        Some(chosen) => chosen,
        None => demo_resolver()?,
    };
    if questions.is_empty() {
        questions = TOUR.iter().map(|q| (*q).to_owned()).collect();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    println!("Answers from {}:", escape(&source));
    runtime.block_on(async {
        for question in &questions {
            for line in ask(&*resolver, question).await? {
                println!("  {}", escape(&line));
            }
        }
        Ok(())
    })
}

/// Asks one question and renders each answer as a line.
async fn ask(resolver: &dyn DnsResolver, question: &str) -> Result<Vec<String>, String> {
    if let Ok(ip) = question.parse::<IpAddr>() {
        return Ok(vec![line(
            question,
            "PTR",
            resolver.ptr(ip).await,
            |name| name.clone(),
        )]);
    }
    let (name, types) = match question.split_once('/') {
        Some((name, kind)) => {
            let kind: RecordType = kind.parse().map_err(|e| format!("{question}: {e}"))?;
            (name, vec![kind])
        }
        None => (
            question,
            vec![
                RecordType::Txt,
                RecordType::A,
                RecordType::Aaaa,
                RecordType::Mx,
            ],
        ),
    };
    let mut lines = Vec::new();
    for kind in types {
        lines.push(match kind {
            RecordType::Txt => line(name, "TXT", resolver.txt(name).await, |t| {
                format!("{:?}", String::from_utf8_lossy(&t.joined()))
            }),
            RecordType::A => line(name, "A", resolver.a(name).await, ToString::to_string),
            RecordType::Aaaa => line(name, "AAAA", resolver.aaaa(name).await, ToString::to_string),
            RecordType::Mx => line(name, "MX", resolver.mx(name).await, |mx| {
                if mx.exchange.is_empty() {
                    format!("{} . (null MX: accepts no mail)", mx.preference)
                } else {
                    format!("{} {}", mx.preference, mx.exchange)
                }
            }),
            RecordType::Ptr => return Err("ask for PTR records by IP address".into()),
            other => return Err(format!("{other} is not supported here")),
        });
    }
    Ok(lines)
}

fn line<T>(name: &str, kind: &str, answer: LookupResult<T>, show: impl Fn(&T) -> String) -> String {
    let shown = match answer {
        Ok(records) => records.iter().map(show).collect::<Vec<_>>().join(", "),
        Err(outcome) => format!("-- {outcome}"),
    };
    format!("{name:<22} {kind:<4} {shown}")
}
