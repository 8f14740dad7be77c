//! `mailauth-doctor`: why does a sending setup lose mail, and what fixes it?
//!
//! ```text
//! mailauth-doctor [--zone FILE | --dns IP:PORT | --system] [--json] [--dnsbl LIST,...]
//!                 (--ip IP --helo NAME --mail-from ADDRESS [--from DOMAIN] [--dkim DOMAIN]...
//!                  | --case NAME | --domain DOMAIN)
//! mailauth-doctor --list-cases
//! ```
//!
//! With no resolver option it answers from the bundled demo zone
//! (`examples/data/demo.zone`), offline; `--case` picks one of the setups
//! that zone reproduces. The exit code is the worst verdict: 0 ok, 1 warn,
//! 2 fail, 3 error (and 64 for a usage error).

use std::process::ExitCode;

use mailauth_core::dnsbl::DnsblList;
use mailauth_core::doctor::{DoctorReport, SendingSetup, audit_domain, diagnose};
use mailauth_core::text::escape;
use mailauth_examples::cli::{RESOLVER_USAGE, ResolverChoice, demo_resolver, resolver_option};
use mailauth_examples::demo;

const USAGE: &str = "usage: mailauth-doctor [--zone FILE | --dns IP:PORT | --system] [--json] \
[--dnsbl LIST,...|none]\n       (--ip IP --helo NAME --mail-from ADDRESS [--from DOMAIN] [--dkim DOMAIN]... \
| --case NAME | --domain DOMAIN)\n       mailauth-doctor --list-cases";

/// What to diagnose.
enum Task {
    Setup(SendingSetup),
    Domain(String),
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            // Arguments and DNS data reach the terminal escaped.
            eprintln!("mailauth-doctor: {}\n{USAGE}", escape(&message));
            ExitCode::from(64)
        }
    }
}

fn run(args: Vec<String>) -> Result<u8, String> {
    let mut args = args.into_iter();
    let mut resolver: Option<ResolverChoice> = None;
    let (mut json, mut case, mut domain) = (false, None, None);
    let (mut ip, mut helo, mut mail_from, mut from) = (None, None, None, None);
    let mut dkim = Vec::new();
    let mut lists: Option<Vec<DnsblList>> = None;
    while let Some(arg) = args.next() {
        if let Some(choice) = resolver_option(&arg, &mut args) {
            if resolver.replace(choice?).is_some() {
                return Err(format!("give at most one of {RESOLVER_USAGE}"));
            }
            continue;
        }
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--json" => json = true,
            "--ip" => ip = Some(value("--ip")?),
            "--helo" => helo = Some(value("--helo")?),
            "--mail-from" => mail_from = Some(value("--mail-from")?),
            "--from" => from = Some(value("--from")?),
            "--dkim" => dkim.push(value("--dkim")?),
            "--case" => case = Some(value("--case")?),
            "--domain" => domain = Some(value("--domain")?),
            "--dnsbl" => lists = Some(dnsbl_lists(&value("--dnsbl")?)?),
            "--list-cases" => {
                for case in demo::CASES {
                    println!("{:<18} {}", case.name, case.title);
                }
                return Ok(0);
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let task = match (case, domain, ip) {
        (Some(name), None, None) => {
            let case = demo::case(&name)
                .ok_or_else(|| format!("no demo case {name:?} (see --list-cases)"))?;
            Task::Setup(case.setup())
        }
        (None, Some(domain), None) => Task::Domain(domain),
        (None, None, Some(ip)) => {
            let ip = ip
                .parse()
                .map_err(|_| format!("invalid IP address {ip:?}"))?;
            let helo = helo.ok_or("--ip needs --helo")?;
            let mail_from = mail_from.ok_or("--ip needs --mail-from")?;
            let mut setup = SendingSetup::new(ip, helo, mail_from);
            if let Some(from) = from {
                setup = setup.from_domain(from);
            }
            for domain in dkim {
                setup = setup.dkim_domain(domain);
            }
            Task::Setup(setup)
        }
        _ => return Err("give one of --ip, --case, --domain".into()),
    };
    let ResolverChoice { resolver, source } = match resolver {
        Some(choice) => choice,
        None => demo_resolver()?,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let report: DoctorReport = runtime.block_on(async {
        match task {
            Task::Setup(mut setup) => {
                if let Some(lists) = lists {
                    setup = setup.dnsbl_lists(lists);
                }
                Ok(diagnose(&*resolver, &setup).await)
            }
            Task::Domain(domain) => audit_domain(&*resolver, &domain)
                .await
                .map_err(|e| e.to_string()),
        }
    })?;
    if json {
        println!("{}", report.to_json());
    } else {
        println!("(answers from {})", escape(&source));
        print!("{}", report.to_text());
    }
    Ok(u8::try_from(report.worst().exit_code()).unwrap_or(3))
}

/// `--dnsbl`: built-in list ids separated by commas, or `none`.
fn dnsbl_lists(text: &str) -> Result<Vec<DnsblList>, String> {
    if text == "none" {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|id| {
            DnsblList::builtin(id.trim()).ok_or_else(|| {
                let known: Vec<String> = DnsblList::builtins().into_iter().map(|l| l.id).collect();
                format!("unknown list {id:?}; built-in: {}", known.join(", "))
            })
        })
        .collect()
}
