//! `mailauth scan`: the posture scan of [`crate::scan`] over a domain list
//! of any length, as JSON lines or CSV, with a progress bar on a terminal
//! and resumption: a rerun with the same `--output` file skips the domains
//! it already holds.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use clap::Args;
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mailauth_core::text::escape;

use super::{ResolverArgs, csv_field, resolver};
use crate::scan::{DomainScan, ScanConfig, Scanner};

/// The longest line read as a domain: a name has at most 253 octets, and a
/// hostile list must not make one line take all memory.
const MAX_LINE: usize = 1024;

#[derive(Debug, Args)]
pub(super) struct ScanArgs {
    /// The domains.
    domains: Vec<String>,
    /// Read more domains from this file, one per line (`-`: standard
    /// input); blank lines and lines starting with `#` are skipped.
    #[arg(long, value_name = "FILE")]
    file: Option<PathBuf>,
    /// Append the reports to this file instead of standard output; a rerun
    /// with the same file skips the domains it already holds.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Write CSV (RFC 4180) instead of JSON lines.
    #[arg(long)]
    csv: bool,
    /// Domains scanned at once.
    #[arg(long, value_name = "N", default_value_t = 64)]
    concurrency: usize,
    /// Seconds each domain may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    deadline: u64,
    /// Check the DKIM key published for this selector
    /// (`<selector>._domainkey.<domain>`); repeatable.
    #[arg(long = "dkim-selector", value_name = "SELECTOR")]
    dkim_selectors: Vec<String>,
    /// Send every question to the resolver (no shared cache).
    #[arg(long)]
    no_cache: bool,
    /// No progress bar, even on a terminal.
    #[arg(long, short)]
    quiet: bool,
    /// Print the domains per second, queries per domain and cache counters
    /// to standard error at the end (always shown on a terminal).
    #[arg(long)]
    stats: bool,
    #[command(flatten)]
    resolver: ResolverArgs,
}

/// Reads domains from lines, skipping blanks and comments; a line longer
/// than [`MAX_LINE`] is cut there (the scan then reports the name invalid).
/// The first read error is kept in `error` and ends the list.
pub(super) struct DomainLines<R> {
    reader: R,
    line: Vec<u8>,
    error: Arc<Mutex<Option<String>>>,
    source: String,
}

impl<R: BufRead> DomainLines<R> {
    /// One line, at most `MAX_LINE` bytes of it kept; `None` at the end.
    fn read_line(&mut self) -> io::Result<Option<()>> {
        self.line.clear();
        let read = (&mut self.reader)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut self.line)?;
        if read == 0 {
            return Ok(None);
        }
        if !self.line.ends_with(b"\n") && self.line.len() == MAX_LINE {
            // Skip the rest of an overlong line without keeping it.
            let mut rest = Vec::new();
            while (&mut self.reader)
                .take(MAX_LINE as u64)
                .read_until(b'\n', &mut rest)?
                > 0
            {
                if rest.ends_with(b"\n") {
                    break;
                }
                rest.clear();
            }
        }
        Ok(Some(()))
    }
}

impl<R: BufRead> Iterator for DomainLines<R> {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        loop {
            match self.read_line() {
                Ok(None) => return None,
                Ok(Some(())) => {
                    let text = String::from_utf8_lossy(&self.line);
                    let text = text.trim();
                    if !text.is_empty() && !text.starts_with('#') {
                        return Some(text.to_owned());
                    }
                }
                Err(e) => {
                    *self.error.lock().unwrap_or_else(PoisonError::into_inner) =
                        Some(format!("{}: {e}", self.source));
                    return None;
                }
            }
        }
    }
}

/// The domains of `path` (`-`: standard input), read as they are used.
pub(super) fn domain_lines(
    path: &Path,
    error: &Arc<Mutex<Option<String>>>,
) -> Result<DomainLines<Box<dyn BufRead + Send>>, String> {
    let (reader, source): (Box<dyn BufRead + Send>, String) = if path.as_os_str() == "-" {
        (
            Box::new(BufReader::new(io::stdin())),
            "standard input".to_owned(),
        )
    } else {
        let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        (Box::new(BufReader::new(file)), path.display().to_string())
    };
    Ok(DomainLines {
        reader,
        line: Vec::new(),
        error: Arc::clone(error),
        source,
    })
}

/// What an earlier run wrote to `path`: the domains it holds, as each
/// format writes them (the JSON string; the CSV field, quoted as
/// [`csv_field`] quotes it), and whether the file has content. A last line
/// cut short by an interrupted run is removed, so that it is scanned again.
fn previous(path: &Path, csv: bool) -> Result<(HashSet<String>, bool), String> {
    let shown = || path.display().to_string();
    let mut text = match std::fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((HashSet::new(), false)),
        Err(e) => return Err(format!("{}: {e}", shown())),
    };
    if !text.is_empty() && !text.ends_with(b"\n") {
        let keep = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        text.truncate(keep);
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| format!("{}: {e}", shown()))?;
        file.set_len(keep as u64)
            .map_err(|e| format!("{}: {e}", shown()))?;
    }
    let text = String::from_utf8_lossy(&text);
    let mut done = HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let json = line.starts_with('{');
        if json == csv {
            let (was, is) = if json {
                ("JSON lines", "CSV")
            } else {
                ("CSV", "JSON lines")
            };
            return Err(format!(
                "{} holds {was}; this run would append {is}: give the same format, or another --output",
                shown()
            ));
        }
        if csv {
            if i == 0 && line == DomainScan::CSV_HEADER {
                continue;
            }
            done.insert(first_csv_field(line).to_owned());
        } else {
            done.insert(json_domain(line).ok_or_else(|| {
                format!("{} line {}: not a report of mailauth scan", shown(), i + 1)
            })?);
        }
    }
    Ok((done, !text.is_empty()))
}

/// The first field of a CSV row, quotes included.
fn first_csv_field(line: &str) -> &str {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => return &line[..i],
            _ => {}
        }
    }
    line
}

#[cfg(feature = "serde")]
fn json_domain(line: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Domain {
        domain: String,
    }
    serde_json::from_str::<Domain>(line).ok().map(|d| d.domain)
}

#[cfg(not(feature = "serde"))]
fn json_domain(_: &str) -> Option<String> {
    None
}

#[cfg(feature = "serde")]
fn json_line(report: &DomainScan) -> Result<String, String> {
    Ok(report.to_json_line())
}

#[cfg(not(feature = "serde"))]
fn json_line(_: &DomainScan) -> Result<String, String> {
    Err("built without the serde feature: use --csv".to_owned())
}

/// How the output file or stream names a domain, for resumption.
fn written_as(domain: &str, csv: bool) -> String {
    if csv {
        csv_field(domain)
    } else {
        domain.to_owned()
    }
}

pub(super) async fn scan(args: ScanArgs) -> Result<u8, String> {
    if args.domains.is_empty() && args.file.is_none() {
        return Err("give domains, or --file FILE (- for standard input)".into());
    }
    let dns = resolver(&args.resolver)?;
    let (done, had_content) = match &args.output {
        Some(path) => previous(path, args.csv)?,
        None => (HashSet::new(), false),
    };
    let read_error = Arc::new(Mutex::new(None));
    // The total, for the ETA: a file is read once ahead (its domains are
    // not kept); standard input is read only as the scan goes.
    let pending = |domain: &String| !done.contains(&written_as(domain, args.csv));
    let mut total = Some(args.domains.iter().filter(|d| pending(d)).count() as u64);
    if let Some(path) = &args.file {
        // Only a regular file can be read twice (not `-`, a pipe, /dev/stdin).
        let regular = path.as_os_str() != "-" && std::fs::metadata(path).is_ok_and(|m| m.is_file());
        total = match regular {
            false => None,
            true => {
                let counted = domain_lines(path, &read_error)?
                    .filter(|d| pending(d))
                    .count();
                total.map(|t| t + counted as u64)
            }
        };
    }
    let listed = args.domains.clone().into_iter();
    let from_file = match &args.file {
        Some(path) => Some(domain_lines(path, &read_error)?),
        None => None,
    };
    let csv = args.csv;
    let domains = listed
        .chain(from_file.into_iter().flatten())
        .filter(move |d| !done.contains(&written_as(d, csv)));

    let mut out: Box<dyn Write + Send> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("{}: {e}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout())),
    };
    let write_error = |e: io::Error| format!("writing the reports: {e}");
    if args.csv && !had_content {
        writeln!(out, "{}", DomainScan::CSV_HEADER).map_err(write_error)?;
    }

    let config = ScanConfig::default()
        .concurrency(args.concurrency)
        .deadline(Duration::from_secs(args.deadline))
        .dkim_selectors(args.dkim_selectors.iter().cloned())
        .cache((!args.no_cache).then(Default::default));
    let scanner = Scanner::new(dns, config);
    let bar = progress_bar(total, args.quiet);
    let started = Instant::now();
    let (mut scanned, mut queries) = (0u64, 0u64);
    let mut reports = std::pin::pin!(scanner.scan(domains));
    while let Some(report) = reports.next().await {
        let line = if args.csv {
            report.to_csv_row()
        } else {
            json_line(&report)?
        };
        writeln!(out, "{line}").map_err(write_error)?;
        scanned += 1;
        queries += u64::from(report.queries);
        // A line at a time reaches the file often enough that an
        // interrupted run loses little, without a write per report.
        if scanned % 256 == 0 {
            out.flush().map_err(write_error)?;
        }
        bar.inc(1);
    }
    out.flush().map_err(write_error)?;
    bar.finish_and_clear();
    if args.stats || (io::stderr().is_terminal() && !args.quiet) {
        let seconds = started.elapsed().as_secs_f64().max(1e-9);
        let mut summary = format!(
            "mailauth: {scanned} domains in {seconds:.1} s ({:.0}/s), {:.1} questions per domain, DNS answers from {}",
            scanned as f64 / seconds,
            queries as f64 / (scanned.max(1) as f64),
            scanner.resolver_description(),
        );
        if let Some(stats) = scanner.cache_stats() {
            summary.push_str(&format!(
                "; cache: {} hits, {} misses, {} coalesced",
                stats.hits, stats.misses, stats.coalesced
            ));
        }
        eprintln!("{}", escape(&summary));
    }
    if let Some(error) = read_error
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
    {
        return Err(error);
    }
    Ok(0)
}

/// A bar with rate and ETA when the total is known, a counter otherwise;
/// drawn only on a terminal.
fn progress_bar(total: Option<u64>, quiet: bool) -> ProgressBar {
    let target = match quiet || !io::stderr().is_terminal() {
        true => ProgressDrawTarget::hidden(),
        false => ProgressDrawTarget::stderr_with_hz(4),
    };
    let (bar, template) = match total {
        Some(total) => (
            ProgressBar::with_draw_target(Some(total), target),
            "{bar:30} {pos}/{len} domains, {rate}, ETA {eta}",
        ),
        None => (
            ProgressBar::with_draw_target(None, target),
            "{pos} domains, {rate}",
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        // Whole domains per second: indicatif's {per_sec} shows four decimals.
        bar.set_style(style.with_key(
            "rate",
            |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
                let _ = write!(out, "{:.0}/s", state.per_sec());
            },
        ));
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_bounded_and_comments_skipped() {
        let long = format!("{}\nnext.example\n", "a".repeat(100_000));
        let input = format!("# list\n\n example.com \r\n{long}last.example");
        let error = Arc::new(Mutex::new(None));
        let lines = DomainLines {
            reader: BufReader::new(input.as_bytes()),
            line: Vec::new(),
            error,
            source: "test".into(),
        };
        let domains: Vec<String> = lines.collect();
        assert_eq!(domains.len(), 4);
        assert_eq!(domains[0], "example.com");
        assert_eq!(domains[1].len(), MAX_LINE);
        assert_eq!(&domains[2..], ["next.example", "last.example"]);
    }

    #[test]
    fn csv_first_fields_keep_their_quotes() {
        assert_eq!(first_csv_field("example.com,error,x"), "example.com");
        assert_eq!(first_csv_field("\"a,b\",error"), "\"a,b\"");
        assert_eq!(
            first_csv_field("\"say \"\"hi\"\"\",x"),
            "\"say \"\"hi\"\"\""
        );
        assert_eq!(written_as("a,b", true), "\"a,b\"");
    }
}
