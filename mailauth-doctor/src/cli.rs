//! The `mailauth` command: the doctor and one subcommand per check, on the
//! system's resolver unless told otherwise. [`run`] is the whole program
//! (the binary and the Python console script both call it).
//!
//! Everything printed that came from DNS or from an argument goes through
//! [`escape`]: a record or a name cannot write terminal controls.

use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use mailauth_core::dmarc::{self, DiscoveryOutcome};
use mailauth_core::dns::{DnsResolver, HickoryResolver, MemoryResolver, Transport};
use mailauth_core::dnsbl::{self, DnsblConfig, DnsblList, ListKind, ListOutcome};
use mailauth_core::iprev::{IprevConfig, IprevResult, iprev};
use mailauth_core::spf::{SpfConfig, SpfResult, SpfVerifier};
use mailauth_core::text::escape;

use crate::{
    CheckKind, DoctorReport, Hints, ReadError, SendingSetup, Verdict, audit_dkim_key, audit_domain,
    diagnose,
};
use crate::{bounce, demo, diagnose_bounce, diagnose_message, headers};

mod scan;

/// Exit codes besides the verdicts' 0 to 3.
const USAGE_ERROR: u8 = 64;

const AFTER_HELP: &str = "\
Every command asks the system's resolver (/etc/resolv.conf) unless given
--dns IP:PORT or --zone FILE; `mailauth doctor --demo CASE` answers from the
bundled, fictional demo zone. Every report says which resolver answered.

Exit codes: 0 ok, 1 warn, 2 fail, 3 error (DNS failure), 64 usage error.

Examples:
  mailauth doctor --ip 192.0.2.30 --helo mail.example.com --mail-from news@example.com
  mailauth domain example.com example.org --json
  mailauth scan --file domains.txt --output posture.jsonl
  mailauth spf --ip 198.51.100.25 --mail-from alice@example.com --helo smtp.isp.example
  mailauth dmarc example.com
  mailauth dnsbl 192.0.2.30
  mailauth iprev 192.0.2.30
  mailauth doctor --demo bare-helo";

/// Why receivers reject mail, and what to publish or change.
#[derive(Debug, Parser)]
#[command(name = "mailauth", bin_name = "mailauth", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Diagnose a sending setup: SPF, iprev, HELO, sender domain, DNSBL,
    /// DMARC and the published records, each with its fix.
    #[command(after_help = "Examples:\n  \
        mailauth doctor --ip 192.0.2.30 --helo mail.example.com --mail-from news@example.com\n  \
        mailauth doctor --ip 198.51.100.25 --helo smtp.isp.example --mail-from me@example.org --dnsbl none --json\n  \
        mailauth doctor --bounce bounce.eml\n  \
        mailauth doctor --headers message.eml\n  \
        grep status=bounced /var/log/mail.log | tail -1 | mailauth doctor --bounce - --ip 192.0.2.30\n  \
        mailauth doctor --demo include-host\n  \
        mailauth doctor --list-demos")]
    Doctor(DoctorArgs),
    /// Audit the SPF and DMARC records of one or many domains.
    #[command(after_help = "Examples:\n  \
        mailauth domain example.com\n  \
        mailauth domain --file domains.txt --json   # one JSON report per line\n  \
        mailauth domain --file domains.txt --csv    # one row per domain\n  \
        mailauth domain example.com --dkim-selector s2026   # and its DKIM key")]
    Domain(DomainArgs),
    /// Scan the mail-authentication posture of many domains: SPF, DMARC,
    /// MX and FCrDNS, MTA-STS, TLS-RPT, BIMI and DKIM keys, as JSON lines or
    /// CSV.
    #[command(
        after_help = "Exit code 0 when every domain was scanned: findings are data.\n\n\
        Examples:\n  \
        mailauth scan --file domains.txt --output posture.jsonl   # rerun to resume\n  \
        mailauth scan --file - --csv < domains.txt > posture.csv\n  \
        mailauth scan example.com --dkim-selector google --dkim-selector selector1"
    )]
    Scan(scan::ScanArgs),
    /// SPF (RFC 7208) for a client IP, MAIL FROM and HELO: both identities.
    #[command(after_help = "Example:\n  \
        mailauth spf --ip 198.51.100.25 --mail-from alice@example.com --helo smtp.isp.example")]
    Spf(SpfArgs),
    /// The DMARC policy (RFC 9989) that applies to mail from a domain.
    #[command(after_help = "Example:\n  mailauth dmarc example.com")]
    Dmarc(DmarcArgs),
    /// DNS blocklists (RFC 5782) for an IP address or a domain.
    #[command(after_help = "Examples:\n  \
        mailauth dnsbl 192.0.2.30\n  \
        mailauth dnsbl 192.0.2.30 --lists spamhaus-zen,spamcop,barracuda\n  \
        mailauth dnsbl example.com")]
    Dnsbl(DnsblArgs),
    /// Reverse DNS confirmed forward (iprev, RFC 8601 §3) for an IP address.
    #[command(after_help = "Example:\n  mailauth iprev 192.0.2.30")]
    Iprev(IprevArgs),
}

/// Where DNS answers come from.
#[derive(Debug, Args)]
struct ResolverArgs {
    /// Ask this nameserver (IP:PORT) instead of the system's.
    #[arg(long, value_name = "IP:PORT", conflicts_with = "zone")]
    dns: Option<SocketAddr>,
    /// Answer from this RFC 1035 zone file, offline.
    #[arg(long, value_name = "FILE")]
    zone: Option<PathBuf>,
    /// How to reach --dns: `udp` (TCP when an answer is truncated), `tcp`,
    /// or `udp-multiplexed` (many queries on a few sockets, for scans
    /// towards a resolver on loopback or a private network).
    #[arg(long, value_name = "TRANSPORT")]
    transport: Option<Transport>,
    /// Write JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct DoctorArgs {
    /// The sending IP as receivers see it (the relay's, when relayed).
    #[arg(long, required_unless_present_any = ["demo", "list_demos", "bounce", "headers"])]
    ip: Option<IpAddr>,
    /// The HELO/EHLO name the sender sends (the HELO checks are skipped
    /// without it).
    #[arg(long)]
    helo: Option<String>,
    /// The MAIL FROM address: `<a@example.com>`, `a@example.com`, a bare
    /// domain, or `<>` for the null sender.
    #[arg(long, required_unless_present_any = ["demo", "list_demos", "bounce", "headers"])]
    mail_from: Option<String>,
    /// A bounce, DSN, Postfix log line or the receiver's reply (`-`: standard
    /// input): the setup and the reason are read from it; --ip, --helo and
    /// --mail-from win over what it says.
    #[arg(long, value_name = "FILE", conflicts_with = "demo")]
    bounce: Option<PathBuf>,
    /// A received message or its header section (`-`: standard input): the
    /// setup is read from its trace, Return-Path, From and the receiver's
    /// recorded results, which the report compares with today's; --ip,
    /// --helo, --mail-from and --from win over what it says.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["demo", "bounce"])]
    headers: Option<PathBuf>,
    /// The From header's domain, when it is not the MAIL FROM domain.
    #[arg(long, value_name = "DOMAIN")]
    from: Option<String>,
    /// A DKIM signing domain (d=), assumed to verify; repeatable.
    #[arg(long, value_name = "DOMAIN")]
    dkim: Vec<String>,
    /// Blocklists to ask: built-in ids separated by commas, or `none`
    /// (default: spamhaus-zen,spamcop).
    #[arg(long, value_name = "LISTS")]
    dnsbl: Option<String>,
    /// Diagnose a setup of the bundled, fictional demo zone, offline.
    #[arg(long, value_name = "CASE", conflicts_with_all = ["ip", "helo", "mail_from", "dns", "zone"])]
    demo: Option<String>,
    /// List the demo cases.
    #[arg(long)]
    list_demos: bool,
    #[command(flatten)]
    resolver: ResolverArgs,
}

#[derive(Debug, Args)]
struct DomainArgs {
    /// The domains.
    domains: Vec<String>,
    /// Read more domains from this file, one per line (`-`: standard
    /// input), line by line as they are audited.
    #[arg(long, value_name = "FILE")]
    file: Option<PathBuf>,
    /// Write CSV (RFC 4180): a header row, then one row per domain with the
    /// worst verdict and each check's finding code.
    #[arg(long, conflicts_with = "json")]
    csv: bool,
    /// Also audit the DKIM key published for this selector
    /// (`<selector>._domainkey.<domain>`); repeatable.
    #[arg(long = "dkim-selector", value_name = "SELECTOR")]
    dkim_selectors: Vec<String>,
    #[command(flatten)]
    resolver: ResolverArgs,
}

#[derive(Debug, Args)]
struct SpfArgs {
    /// The client IP.
    #[arg(long)]
    ip: IpAddr,
    /// The MAIL FROM address (`<>` or empty: the null sender).
    #[arg(long)]
    mail_from: String,
    /// The HELO/EHLO name.
    #[arg(long)]
    helo: String,
    #[command(flatten)]
    resolver: ResolverArgs,
}

#[derive(Debug, Args)]
struct DmarcArgs {
    /// The author domain (the From header's).
    domain: String,
    #[command(flatten)]
    resolver: ResolverArgs,
}

#[derive(Debug, Args)]
struct DnsblArgs {
    /// An IP address or a domain.
    target: String,
    /// Built-in list ids separated by commas (default: every built-in list
    /// of the target's kind).
    #[arg(long, value_name = "LISTS")]
    lists: Option<String>,
    #[command(flatten)]
    resolver: ResolverArgs,
}

#[derive(Debug, Args)]
struct IprevArgs {
    /// The client IP.
    ip: IpAddr,
    #[command(flatten)]
    resolver: ResolverArgs,
}

/// Runs the program on `args` (without the program name); returns the exit
/// code.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args = std::iter::once(std::ffi::OsString::from("mailauth"))
        .chain(args.into_iter().map(Into::into));
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { USAGE_ERROR } else { 0 };
            let _ = error.print();
            return code;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&format!("cannot start the runtime: {error}")),
    };
    match runtime.block_on(execute(cli.command)) {
        Ok(code) => code,
        Err(message) => fail(&message),
    }
}

fn fail(message: &str) -> u8 {
    eprintln!("mailauth: {}", escape(message));
    USAGE_ERROR
}

/// The resolver the options name: the system's by default.
fn resolver(args: &ResolverArgs) -> Result<Arc<dyn DnsResolver>, String> {
    if args.transport.is_some() && args.dns.is_none() {
        return Err("--transport applies to --dns IP:PORT; give both".into());
    }
    if let Some(path) = &args.zone {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut zone = MemoryResolver::from_zone_text(&text)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        zone.set_description(format!("the zone file {}", path.display()));
        return Ok(Arc::new(zone));
    }
    let builder = HickoryResolver::builder().timeout(Duration::from_secs(3));
    let builder = match args.dns {
        Some(addr) => builder
            .nameservers([addr])
            .transport(args.transport.unwrap_or(Transport::UdpWithTcpFallback)),
        None => builder,
    };
    // The command's runtime lives as long as the command: the multiplexed
    // sockets receive on it, each answer waking its lookup without a hop
    // across threads.
    let builder = match tokio::runtime::Handle::try_current() {
        Ok(runtime) => builder.multiplex_on(runtime),
        Err(_) => builder,
    };
    builder
        .build()
        .map(|r| Arc::new(r) as Arc<dyn DnsResolver>)
        .map_err(|e| format!("{e}; give --dns IP:PORT or --zone FILE"))
}

/// The bundled demo zone, labelled as fictional in every report.
fn demo_resolver() -> Result<Arc<dyn DnsResolver>, String> {
    let mut zone =
        MemoryResolver::from_zone_text(demo::ZONE).map_err(|e| format!("demo zone: {e}"))?;
    zone.set_description(demo::DESCRIPTION);
    Ok(Arc::new(zone))
}

async fn execute(command: Command) -> Result<u8, String> {
    match command {
        Command::Doctor(args) => doctor(args).await,
        Command::Domain(args) => domains(args).await,
        Command::Scan(args) => scan::scan(args).await,
        Command::Spf(args) => spf(args).await,
        Command::Dmarc(args) => dmarc_policy(args).await,
        Command::Dnsbl(args) => blocklists(args).await,
        Command::Iprev(args) => reverse(args).await,
    }
}

/// Prints a report as text or JSON and returns its exit code.
fn print_report(report: &DoctorReport, json: bool) -> u8 {
    if json {
        println!("{}", report_json(report));
    } else {
        print!("{}", report.to_text());
    }
    report.worst().exit_code()
}

#[cfg(feature = "serde")]
fn report_json(report: &DoctorReport) -> String {
    report.to_json()
}

/// The report as one line of JSON (JSON lines).
#[cfg(feature = "serde")]
fn report_json_line(report: &DoctorReport) -> String {
    serde_json::from_str::<serde_json::Value>(&report.to_json())
        .map(|value| value.to_string())
        .unwrap_or_default()
}

#[cfg(not(feature = "serde"))]
fn report_json_line(report: &DoctorReport) -> String {
    report_json(report)
}

/// A CSV field (RFC 4180 §2): the text escaped to printable ASCII, quoted
/// when it holds a comma or a quote; a field a spreadsheet would take for a
/// formula (`=`, `+`, `-`, `@`) starts with an apostrophe, since the
/// domain list is not the operator's own writing.
pub(crate) fn csv_field(text: &str) -> String {
    let mut text = escape(text);
    if text.starts_with(['=', '+', '-', '@']) {
        text.insert(0, '\'');
    }
    if text.contains([',', '"']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(not(feature = "serde"))]
fn report_json(_: &DoctorReport) -> String {
    "{\"error\": \"built without the serde feature\"}".to_owned()
}

/// `mail_from` as SMTP gives it: `<a@b>` is `a@b`, `<>` the null sender.
fn reverse_path(text: &str) -> String {
    let text = text.trim();
    text.strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(text)
        .to_owned()
}

async fn doctor(args: DoctorArgs) -> Result<u8, String> {
    if args.list_demos {
        for case in demo::CASES {
            println!("{:<18} {}", case.name, case.title);
        }
        return Ok(0);
    }
    if let Some(path) = &args.bounce {
        return doctor_read(&args, path, Input::Bounce).await;
    }
    if let Some(path) = &args.headers {
        return doctor_read(&args, path, Input::Headers).await;
    }
    let (dns, mut setup) = match &args.demo {
        Some(name) => {
            let case = demo::case(name)
                .ok_or_else(|| format!("no demo case {name:?} (see --list-demos)"))?;
            (demo_resolver()?, case.setup())
        }
        None => {
            let (Some(ip), Some(mail_from)) = (args.ip, &args.mail_from) else {
                return Err(
                    "give --ip and --mail-from, --bounce FILE, --headers FILE, or --demo CASE"
                        .into(),
                );
            };
            let mut setup = SendingSetup::without_helo(ip, reverse_path(mail_from));
            if let Some(helo) = &args.helo {
                setup = setup.helo(helo.clone());
            }
            (resolver(&args.resolver)?, setup)
        }
    };
    if let Some(from) = args.from {
        setup = setup.from_domain(from);
    }
    for domain in args.dkim {
        setup = setup.dkim_domain(domain);
    }
    if let Some(lists) = &args.dnsbl {
        setup = setup.dnsbl_lists(dnsbl_lists(lists)?);
    }
    let report = diagnose(&*dns, &setup).await;
    Ok(print_report(&report, args.resolver.json))
}

/// Reads at most `limit` bytes of `path` (`-`: standard input); more is
/// refused, not cut silently.
fn read_bounded(path: &Path, limit: usize) -> Result<Vec<u8>, String> {
    let limit = limit as u64;
    let mut data = Vec::new();
    let result = if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut data)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut data))
    };
    result.map_err(|e| format!("{}: {e}", path.display()))?;
    if data.len() as u64 > limit {
        return Err(format!(
            "{}: more than {limit} bytes; give the header section or the bounce's first part",
            path.display()
        ));
    }
    Ok(data)
}

/// What `doctor` reads the setup from.
enum Input {
    Bounce,
    Headers,
}

async fn doctor_read(args: &DoctorArgs, path: &Path, input: Input) -> Result<u8, String> {
    let mut hints = Hints::default();
    if let Some(ip) = args.ip {
        hints = hints.ip(ip);
    }
    if let Some(helo) = &args.helo {
        hints = hints.helo(helo.clone());
    }
    if let Some(mail_from) = &args.mail_from {
        hints = hints.mail_from(reverse_path(mail_from));
    }
    if let Some(from) = &args.from {
        hints = hints.from_domain(from.clone());
    }
    if let Some(lists) = &args.dnsbl {
        hints = hints.dnsbl_lists(dnsbl_lists(lists)?);
    }
    let dns = resolver(&args.resolver)?;
    let report = match input {
        Input::Bounce => {
            let read = bounce::read(&read_bounded(path, bounce::MAX_INPUT)?);
            diagnose_bounce(&*dns, read, hints).await
        }
        Input::Headers => {
            let message = read_bounded(path, headers::MAX_INPUT)?;
            diagnose_message(&*dns, &message, hints).await
        }
    }
    .map_err(|e| match e {
        ReadError::NoClientIp => format!("{e} (--ip IP)"),
        ReadError::NoSender => format!("{e} (--mail-from ADDRESS)"),
    })?;
    Ok(print_report(&report, args.resolver.json))
}

async fn domains(args: DomainArgs) -> Result<u8, String> {
    const NO_DOMAIN: &str = "give at least one domain, or --file FILE";
    if args.domains.is_empty() && args.file.is_none() {
        return Err(NO_DOMAIN.into());
    }
    // The file is read line by line as the domains are audited, as `scan`
    // reads it: a list of any length in constant memory.
    let read_error = Arc::new(std::sync::Mutex::new(None));
    let from_file: Box<dyn Iterator<Item = String>> = match &args.file {
        Some(path) => Box::new(scan::domain_lines(path, &read_error)?),
        None => Box::new(std::iter::empty()),
    };
    let dns = resolver(&args.resolver)?;
    let mut worst = 0;
    if args.csv {
        println!("domain,worst,sender-domain,spf-record,dmarc-record");
    }
    let mut audited_any = false;
    for (i, name) in args.domains.into_iter().chain(from_file).enumerate() {
        audited_any = true;
        let name = name.as_str();
        let audited = match audit_domain(&*dns, name).await {
            Ok(mut report) => {
                for selector in &args.dkim_selectors {
                    report
                        .findings
                        .push(audit_dkim_key(&*dns, name, selector).await);
                }
                Ok(report)
            }
            Err(e) => Err(e),
        };
        let code = match audited {
            Ok(report) if args.csv => {
                let mut row = vec![csv_field(name), report.worst().as_str().to_owned()];
                for check in [
                    CheckKind::SenderDomain,
                    CheckKind::SpfRecord,
                    CheckKind::DmarcRecord,
                ] {
                    row.push(
                        report
                            .finding(check)
                            .map(|f| f.code.clone())
                            .unwrap_or_default(),
                    );
                }
                println!("{}", row.join(","));
                report.worst().exit_code()
            }
            Ok(report) if args.resolver.json => {
                // One report per line: JSON lines.
                println!("{}", report_json_line(&report));
                report.worst().exit_code()
            }
            Ok(report) => {
                if i > 0 {
                    println!();
                }
                print_report(&report, false)
            }
            Err(error) => {
                eprintln!("mailauth: {}", escape(&error.to_string()));
                if args.csv {
                    println!("{},{},,,", csv_field(name), Verdict::Error.as_str());
                }
                Verdict::Error.exit_code()
            }
        };
        worst = worst.max(code);
    }
    let read_error = read_error
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
    if let Some(error) = read_error {
        return Err(error);
    }
    if !audited_any {
        return Err(NO_DOMAIN.into());
    }
    Ok(worst)
}

/// The text line saying which resolver answered.
fn answered_by(dns: &dyn DnsResolver) -> String {
    format!("DNS answers from {}", escape(&dns.description()))
}

#[cfg(feature = "serde")]
fn print_json(dns: &dyn DnsResolver, kind: &str, value: &impl serde::Serialize) {
    let body = serde_json::json!({ "resolver": dns.description(), kind: value });
    println!(
        "{}",
        serde_json::to_string_pretty(&body).unwrap_or_default()
    );
}

#[cfg(not(feature = "serde"))]
fn print_json<T>(_: &dyn DnsResolver, _: &str, _: &T) {
    println!("{{\"error\": \"built without the serde feature\"}}");
}

async fn spf(args: SpfArgs) -> Result<u8, String> {
    let dns = resolver(&args.resolver)?;
    let verifier = SpfVerifier::new(SpfConfig::default());
    let mail_from = reverse_path(&args.mail_from);
    let verdict = verifier.check(&*dns, args.ip, &mail_from, &args.helo).await;
    let result = verdict.result();
    if args.resolver.json {
        print_json(&*dns, "spf", &verdict);
    } else {
        println!("{}", answered_by(&*dns));
        println!(
            "HELO {}: {}",
            escape(&args.helo),
            escape(&verdict.helo.summary())
        );
        match &verdict.mail_from {
            Some(out) => println!(
                "MAIL FROM <{}>: {}",
                escape(&mail_from),
                escape(&out.summary())
            ),
            None => println!("MAIL FROM: not evaluated (the HELO result decides)"),
        }
        println!("result: {result}");
    }
    Ok(match result {
        SpfResult::Pass => 0,
        SpfResult::None | SpfResult::Neutral | SpfResult::SoftFail => 1,
        SpfResult::Fail | SpfResult::PermError => 2,
        SpfResult::TempError => 3,
    })
}

async fn dmarc_policy(args: DmarcArgs) -> Result<u8, String> {
    let dns = resolver(&args.resolver)?;
    let discovery = dmarc::discover_policy(&*dns, &args.domain)
        .await
        .map_err(|e| e.to_string())?;
    if args.resolver.json {
        print_json(&*dns, "dmarc", &discovery);
    } else {
        println!("{}", answered_by(&*dns));
    }
    let code = match &discovery.outcome {
        DiscoveryOutcome::Found(found) => {
            if !args.resolver.json {
                println!(
                    "policy of {} from {} ({}): {}",
                    escape(&discovery.domain),
                    escape(&found.policy_domain),
                    found.source,
                    escape(&found.record.to_string())
                );
                for diagnostic in &found.diagnostics {
                    println!(
                        "  {}: {}",
                        diagnostic.severity,
                        escape(&diagnostic.to_string())
                    );
                }
            }
            match found.record.policy() {
                Some(dmarc::Policy::Reject | dmarc::Policy::Quarantine) => 0,
                _ => 1,
            }
        }
        DiscoveryOutcome::NoRecord => {
            if !args.resolver.json {
                println!("{} publishes no DMARC record", escape(&discovery.domain));
            }
            2
        }
        DiscoveryOutcome::TempError { name, error } => {
            if !args.resolver.json {
                println!("the query for {} failed: {error}", escape(name));
            }
            3
        }
        other => {
            if !args.resolver.json {
                println!("no conclusion: {}", escape(&format!("{other:?}")));
            }
            3
        }
    };
    Ok(code)
}

/// Built-in lists by id (`none`: no list).
fn dnsbl_lists(ids: &str) -> Result<Vec<DnsblList>, String> {
    if ids == "none" {
        return Ok(Vec::new());
    }
    ids.split(',')
        .map(|id| {
            DnsblList::builtin(id.trim()).ok_or_else(|| {
                let known: Vec<String> = DnsblList::builtins().into_iter().map(|l| l.id).collect();
                format!("unknown list {id:?}; built-in: {}", known.join(", "))
            })
        })
        .collect()
}

async fn blocklists(args: DnsblArgs) -> Result<u8, String> {
    let dns = resolver(&args.resolver)?;
    let target = match args.target.parse::<IpAddr>() {
        Ok(ip) => dnsbl::Target::Ip(ip),
        Err(_) => dnsbl::domain_target(&args.target).map_err(|e| e.to_string())?,
    };
    let kind = match target {
        dnsbl::Target::Ip(_) => ListKind::Ip,
        _ => ListKind::Domain,
    };
    let lists = match &args.lists {
        Some(ids) => dnsbl_lists(ids)?,
        None => DnsblList::builtins()
            .into_iter()
            .filter(|l| l.kind == kind)
            .collect(),
    };
    let config = DnsblConfig::default().fetch_reasons(true);
    let report = dnsbl::check_target(&*dns, target, &lists, &config).await;
    if args.resolver.json {
        print_json(&*dns, "dnsbl", &report);
    } else {
        println!("{}", answered_by(&*dns));
        for result in &report.results {
            let line = match &result.outcome {
                ListOutcome::NotListed => "not listed".to_owned(),
                ListOutcome::Listed { listings, reasons } => {
                    let codes: Vec<String> = listings
                        .iter()
                        .map(|l| format!("{} {}", l.code, l.meaning))
                        .collect();
                    let mut line = format!("LISTED: {}", codes.join("; "));
                    if let Some(reason) = reasons.first() {
                        line.push_str(&format!(" ({reason})"));
                    }
                    line
                }
                ListOutcome::Error(error) => format!("error: {error}"),
            };
            println!("{:<16} {}", escape(&result.list), escape(&line));
        }
    }
    let blocked = !report.blocked_by().is_empty();
    let errors = !report.errors().is_empty();
    Ok(if blocked {
        2
    } else if errors {
        3
    } else {
        0
    })
}

async fn reverse(args: IprevArgs) -> Result<u8, String> {
    let dns = resolver(&args.resolver)?;
    let out = iprev(&*dns, args.ip, &IprevConfig::default()).await;
    if args.resolver.json {
        print_json(&*dns, "iprev", &out);
    } else {
        println!("{}", answered_by(&*dns));
        println!("{}", out.authentication_results());
        println!("PTR names: {}", escape(&out.ptr_names.join(", ")));
        println!("confirmed: {}", escape(&out.confirmed.join(", ")));
        for reply in [&out.postfix.reverse_reject, &out.postfix.client_reject]
            .into_iter()
            .flatten()
        {
            println!("Postfix: {reply}");
        }
    }
    Ok(match out.result {
        IprevResult::Pass => 0,
        IprevResult::Fail | IprevResult::PermError => 2,
        IprevResult::TempError => 3,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CSV fields are quoted as RFC 4180 asks, and a hostile domain list
    /// cannot put a formula or a control character into a spreadsheet.
    #[test]
    fn csv_fields() {
        assert_eq!(csv_field("example.com"), "example.com");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("-2+3"), "'-2+3");
        assert!(
            csv_field("a\nb\x1b")
                .bytes()
                .all(|b| (0x20..0x7f).contains(&b))
        );
    }

    #[test]
    fn reverse_paths_as_smtp_gives_them() {
        assert_eq!(reverse_path("<a@b.example>"), "a@b.example");
        assert_eq!(reverse_path("<>"), "");
        assert_eq!(reverse_path(" a@b.example "), "a@b.example");
        assert_eq!(reverse_path("b.example"), "b.example");
    }

    #[test]
    fn the_arguments_parse() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
