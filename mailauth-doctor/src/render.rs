//! The doctor's report as text for an 80-column terminal. Every piece of
//! text goes through [`wrap`], which escapes what is not printable ASCII
//! ([`mailauth_core::text::escape`]): names and records come from DNS data and
//! arguments that others control, and must not reach the terminal raw.

use super::{BounceContext, DoctorReport, HeadersContext, Origin, SetupValue, Subject, Verdict};

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
            "mailauth doctor: {ip}, HELO {}, MAIL FROM <{mail_from}>, From domain {from_domain}",
            helo.as_deref().unwrap_or("(not given)")
        ),
        Subject::Domain { domain } => format!("mailauth doctor: the records of {domain}"),
    };
    wrap(&mut out, "", &title, 2);
    wrap(
        &mut out,
        "",
        &format!("DNS answers from {}", report.resolver),
        2,
    );
    if let Some(context) = &report.bounce {
        bounce(&mut out, context);
    }
    if let Some(context) = &report.headers {
        headers(&mut out, context);
    }
    out.push('\n');
    for finding in &report.findings {
        let lead = format!("{:<INDENT$}", label(finding.verdict));
        let head = format!("{}: {}", finding.check.as_str(), finding.summary);
        wrap(&mut out, &lead, &head, INDENT);
        let indent = " ".repeat(INDENT);
        for (key, lines) in [
            ("seen", &finding.evidence),
            ("receivers", &finding.receivers),
        ] {
            for line in lines {
                wrap(&mut out, &indent, &format!("{key}: {line}"), INDENT + 2);
            }
        }
        for fix in &finding.fix {
            wrap(
                &mut out,
                &indent,
                &format!("fix: {}", fix.action),
                INDENT + 2,
            );
            // The record on a line of its own, never wrapped: it is pasted
            // into the zone as it stands (escaped like any other text).
            if let Some(record) = &fix.record {
                out.push_str(&indent);
                out.push_str("  ");
                out.push_str(&mailauth_core::text::escape(&record.to_string()));
                out.push('\n');
            }
        }
    }
    out.push('\n');
    let worst = report.worst();
    let last = format!("worst: {} (exit code {})", label(worst), worst.exit_code());
    wrap(&mut out, "", &last, 2);
    out
}

/// The reply text shown: enough to recognise it, not the whole of a long
/// one.
const REPLY_SHOWN: usize = 300;

/// What was read from a bounce, and where the setup's values came from.
fn bounce(out: &mut String, context: &BounceContext) {
    let read = &context.bounce;
    out.push('\n');
    let mut head = format!(
        "Read from the bounce ({}): {} refused",
        read.input, read.receiver
    );
    if let Some(reply) = &read.reply {
        head.push_str(&format!(" with {}", reply.code));
        if let Some(enhanced) = &reply.enhanced {
            head.push_str(&format!(" {enhanced}"));
        }
    }
    if let Some(stage) = read.stage {
        head.push_str(&format!(" at {stage}"));
    }
    wrap(out, "", &head, 2);
    wrap(
        out,
        "  ",
        &format!("reason {}: {}", read.reason, read.reason.explanation()),
        4,
    );
    if let Some(reply) = &read.reply {
        // The reply text is printable ASCII, so a byte index is a char index.
        let mut text = reply.text.clone();
        if text.len() > REPLY_SHOWN {
            // Cut between words, so no URL or code is shown half and whole.
            let cut = text[..REPLY_SHOWN].rfind(' ').unwrap_or(REPLY_SHOWN);
            text.truncate(cut);
            text.push_str(" ...");
        }
        wrap(out, "  ", &format!("the receiver said: \"{text}\""), 4);
    }
    provenance(out, &context.setup);
    if !context.points_to.is_empty() {
        let checks: Vec<&str> = context.points_to.iter().map(|c| c.as_str()).collect();
        wrap(out, "  ", &format!("points to: {}", checks.join(", ")), 4);
    }
}

fn label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Skipped => "SKIP",
        Verdict::Ok => "OK",
        Verdict::Warn => "WARN",
        Verdict::Fail => "FAIL",
        Verdict::Error => "ERROR",
    }
}

/// Appends `lead` and then `text` wrapped at [`WIDTH`] on spaces, the
/// continuation lines indented by `rest`. A word longer than a line stands
/// on its own line. Each word is [escaped](mailauth_core::text::escape): a line
/// break, an escape sequence or any other control in `text` is written as
/// `\xNN`.
fn wrap(out: &mut String, lead: &str, text: &str, rest: usize) {
    out.push_str(lead);
    let mut column = lead.chars().count();
    let mut line_empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let word = mailauth_core::text::escape(word);
        let len = word.len();
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
        out.push_str(&word);
        column += len;
        line_empty = false;
    }
    out.push('\n');
}

/// Where each value of the setup came from; that the HELO checks are
/// skipped when no HELO name was given or read.
fn provenance(out: &mut String, setup: &[SetupValue]) {
    for value in setup {
        let from = match (&value.origin, &value.source) {
            (Origin::Given, _) => "given".to_owned(),
            (origin, Some(source)) => format!("{origin} from {source}"),
            (origin, None) => origin.to_string(),
        };
        wrap(
            out,
            "  ",
            &format!("{} {} ({from})", value.field, value.value),
            4,
        );
    }
    if !setup.iter().any(|v| v.field == crate::SetupField::Helo) {
        wrap(out, "  ", "helo: not known, the HELO checks are skipped", 4);
    }
}

/// What was read from a header section, and the receiver's recorded
/// results next to the checks' results now.
fn headers(out: &mut String, context: &HeadersContext) {
    let read = &context.headers;
    out.push('\n');
    wrap(
        out,
        "",
        &format!(
            "Read from the headers: {} Received field(s), the trace from {}",
            read.received,
            read.trace_source.as_deref().unwrap_or("no field")
        ),
        2,
    );
    for signature in read.signatures.iter().filter(|_| context.dkim.is_empty()) {
        let selector = signature.selector.as_deref().unwrap_or("(none)");
        wrap(
            out,
            "  ",
            &format!(
                "DKIM-Signature d={} s={selector} (not verified by the doctor)",
                signature.domain
            ),
            4,
        );
    }
    if read.from_addresses > 1 {
        wrap(
            out,
            "  ",
            &format!(
                "From holds {} addresses: DMARC needs exactly one (RFC 9989 section 4.4)",
                read.from_addresses
            ),
            4,
        );
    }
    provenance(out, &context.setup);
    for signature in &context.dkim {
        let domain = signature.domain.as_deref().unwrap_or("?");
        let selector = signature.selector.as_deref().unwrap_or("?");
        wrap(
            out,
            "  ",
            &format!(
                "DKIM d={domain} s={selector}: {} ({}), verified here",
                signature.result, signature.reason
            ),
            4,
        );
    }
    for compared in &context.compared {
        let recorded = &compared.recorded;
        let now = compared.now.as_deref().unwrap_or("not checked");
        let verdict = if compared.agrees() { "same" } else { "differs" };
        wrap(
            out,
            "  ",
            &format!(
                "{}: the receiver recorded {}={} ({}), now {now}: {verdict}",
                compared.check, recorded.method, recorded.result, recorded.source
            ),
            4,
        );
    }
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

    /// A PTR name that would retitle the window and clear the screen, and a
    /// line break that would fake a finding, reach the terminal escaped.
    #[test]
    fn controls_are_escaped() {
        let mut out = String::new();
        let hostile = "seen: mail.\u{1b}]0;pwned\u{7}\u{1b}[2J.example\nOK     spf: pass \u{9b}1m";
        wrap(&mut out, "  ", hostile, 4);
        assert!(
            out.bytes().all(|b| b == b'\n' || (0x20..0x7f).contains(&b)),
            "{out:?}"
        );
        assert_eq!(out.matches('\n').count(), 1, "{out:?}");
        assert!(
            out.contains("mail.\\x1b]0;pwned\\x07\\x1b[2J.example\\x0aOK"),
            "{out:?}"
        );
        assert!(out.contains("\\xc2\\x9b1m"), "{out:?}");
    }
}
