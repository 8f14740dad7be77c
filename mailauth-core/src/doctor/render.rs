//! The doctor's report as text for an 80-column terminal.

use super::{DoctorReport, Subject, Verdict};

/// The width text is wrapped to.
const WIDTH: usize = 80;

/// The column findings' details start at.
const INDENT: usize = 7;

pub(super) fn text(report: &DoctorReport) -> String {
    let mut out = String::new();
    let title = match &report.subject {
        Subject::Sending {
            ip,
            helo,
            mail_from,
            from_domain,
        } => format!(
            "mailauth doctor: {ip}, HELO {helo}, MAIL FROM <{mail_from}>, From domain {from_domain}"
        ),
        Subject::Domain { domain } => format!("mailauth doctor: the records of {domain}"),
    };
    wrap(&mut out, "", &title, 2);
    out.push('\n');
    for finding in &report.findings {
        let lead = format!("{:<INDENT$}", label(finding.verdict));
        let head = format!("{}: {}", finding.check.as_str(), finding.summary);
        wrap(&mut out, &lead, &head, INDENT);
        let indent = " ".repeat(INDENT);
        for (key, lines) in [
            ("seen", &finding.evidence),
            ("receivers", &finding.receivers),
            ("fix", &finding.fix),
        ] {
            for line in lines {
                wrap(&mut out, &indent, &format!("{key}: {line}"), INDENT + 2);
            }
        }
    }
    out.push('\n');
    let worst = report.worst();
    let last = format!("worst: {} (exit code {})", label(worst), worst.exit_code());
    wrap(&mut out, "", &last, 2);
    out
}

fn label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Ok => "OK",
        Verdict::Warn => "WARN",
        Verdict::Fail => "FAIL",
        Verdict::Error => "ERROR",
    }
}

/// Appends `lead` and then `text` wrapped at [`WIDTH`] on spaces, the
/// continuation lines indented by `rest`. A word longer than a line stands
/// on its own line.
fn wrap(out: &mut String, lead: &str, text: &str, rest: usize) {
    out.push_str(lead);
    let mut column = lead.chars().count();
    let mut line_empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        if !line_empty && column + 1 + len > WIDTH {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', rest));
            column = rest;
            line_empty = true;
        }
        if !line_empty {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += len;
        line_empty = false;
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_eighty_columns() {
        let mut out = String::new();
        let long = "word ".repeat(40);
        wrap(&mut out, "  ", &long, 4);
        for line in out.lines() {
            assert!(line.len() <= WIDTH, "{line:?}");
        }
        assert!(out.starts_with("  word"));
        assert!(
            out.lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("    word"))
        );
        let mut out = String::new();
        wrap(&mut out, "", &"x".repeat(100), 2);
        assert_eq!(out, format!("{}\n", "x".repeat(100)));
    }
}
