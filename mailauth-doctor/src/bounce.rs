//! Reading what an operator holds after mail was refused: a bounce (an
//! RFC 3464 DSN as received, or a plain-text one), a Postfix log line, or
//! just the remote server's reply. [`read`] takes out the remote reply
//! (code, enhanced code, text), the stage, the receiver's family, and the
//! sending IP, domain, sender and recipient where the text names them, and
//! maps the receiver's stated reason to the checks it points to.
//!
//! Every byte is attacker-controlled (a bounce is mail anyone can send):
//! the input is cut at [`MAX_INPUT`], fields at [`MAX_FIELD`], and the
//! reply is kept as printable text ([`mailauth_core::text`]), only ever
//! shown, never interpreted beyond its codes and short keywords. Providers
//! reword their replies, so the family is decided first (providers reuse
//! enhanced codes with their own meanings, RFC 3463 as registered by
//! RFC 5248 versus Gmail's x.7.27), then the codes, then keywords.

use std::net::IpAddr;

use mailauth_core::text::printable;

/// Input beyond this many bytes is not read: a bounce with its returned
/// message's header fits many times over.
pub const MAX_INPUT: usize = 1 << 20;

/// A field (reply text, a name) is cut at this many bytes; Postfix itself
/// keeps at most 2048 bytes of a reply (`line_length_limit`).
pub const MAX_FIELD: usize = 2048;

/// What kind of input it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputKind {
    /// A delivery status notification (RFC 3464): its `Diagnostic-Code`.
    Dsn,
    /// A Postfix `postfix/smtp` log line (`status=bounced (...)`).
    PostfixLog,
    /// A Postfix `postfix/smtpd` rejection (`NOQUEUE: reject: ...`): the
    /// operator's own server refused a client.
    PostfixReject,
    /// A plain-text bounce quoting the reply (`... said: ... (in reply
    /// to ...)`).
    Text,
    /// Just a reply (`550 5.7.26 ...`).
    Reply,
}

mailauth_core::tokens! {
    InputKind "bounce input" {
        Dsn = "dsn",
        PostfixLog = "postfix-log",
        PostfixReject = "postfix-reject",
        Text = "text",
        Reply = "reply",
    }
}

/// Whose server refused: providers reuse enhanced codes with their own
/// meanings, so the family is read first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Receiver {
    /// Gmail and Google Workspace (`gsmtp`, `*.google.com`).
    Gmail,
    /// Outlook.com and Exchange Online (`*.outlook.com`, `S3150`).
    Microsoft,
    /// Yahoo and AOL (`*.yahoodns.net`, `[TSS..]`, `[BL..]`).
    Yahoo,
    /// Postfix's own restrictions, by their default texts.
    Postfix,
    /// Any other.
    Other,
}

mailauth_core::tokens! {
    Receiver "receiver" {
        Gmail = "gmail",
        Microsoft = "microsoft",
        Yahoo = "yahoo",
        Postfix = "postfix",
        Other = "other",
    }
}

/// The SMTP stage the reply answered (Postfix's `in reply to ...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stage {
    /// `MAIL FROM`: the connection or the envelope sender.
    MailFrom,
    /// `RCPT TO`: the connection, the envelope or the recipient.
    RcptTo,
    /// `DATA`.
    Data,
    /// The end of `DATA`: the message (DKIM, DMARC, content).
    EndOfData,
    /// Connecting, `HELO`/`EHLO` or another command.
    Other,
}

mailauth_core::tokens! {
    Stage "SMTP stage" {
        MailFrom = "mail-from",
        RcptTo = "rcpt-to",
        Data = "data",
        EndOfData = "end-of-data",
        Other = "other",
    }
}

/// What the receiver said was wrong, as a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// Neither SPF nor DKIM passed (Gmail 5.7.26, Yahoo 550 5.7.9).
    Unauthenticated,
    /// The From domain's DMARC policy refused it (Gmail 5.7.26 naming
    /// DMARC, Microsoft 5.7.509, Yahoo 554 5.7.9).
    DmarcPolicy,
    /// SPF did not pass (RFC 7372 x.7.23, Gmail x.7.27).
    SpfFail,
    /// SPF could not be evaluated, or the record looks wrong (x.7.24).
    SpfError,
    /// DKIM did not pass (x.7.20 to x.7.22, Gmail x.7.30).
    DkimFail,
    /// The From domain is not aligned with SPF or DKIM (Gmail x.7.32).
    DmarcAlignment,
    /// No DMARC record, or no policy in it (Gmail x.7.40).
    NoDmarcRecord,
    /// Bulk-sender authentication not met: SPF, DKIM and DMARC
    /// (Microsoft 5.7.515).
    BulkAuthentication,
    /// The client IP has no PTR, or it does not resolve back (x.7.25,
    /// Postfix's `cannot find your reverse hostname`).
    ReverseDns,
    /// The client is on a DNS blocklist (Postfix `blocked using`, Yahoo
    /// `[BL21]`).
    Blocklisted,
    /// The IP's or domain's reputation (Gmail 4.7.0/5.7.1, Microsoft
    /// `S3150`, Yahoo `[TSS..]`): no authentication check by itself.
    Reputation,
    /// Too much mail too fast (Gmail x.7.28).
    RateLimited,
    /// The sender's domain does not resolve or cannot take mail back
    /// (x.1.8, Postfix `Domain not found`).
    SenderDomain,
    /// The sender's domain publishes a null MX (RFC 7505 x.7.27, outside
    /// Gmail).
    NullMxSender,
    /// The HELO name was refused.
    Helo,
    /// Not sent over TLS (Gmail x.7.29).
    Tls,
    /// None of the above.
    Unknown,
}

mailauth_core::tokens! {
    Reason "bounce reason" {
        Unauthenticated = "unauthenticated",
        DmarcPolicy = "dmarc-policy",
        SpfFail = "spf-fail",
        SpfError = "spf-error",
        DkimFail = "dkim-fail",
        DmarcAlignment = "dmarc-alignment",
        NoDmarcRecord = "no-dmarc-record",
        BulkAuthentication = "bulk-authentication",
        ReverseDns = "reverse-dns",
        Blocklisted = "blocklisted",
        Reputation = "reputation",
        RateLimited = "rate-limited",
        SenderDomain = "sender-domain",
        NullMxSender = "null-mx-sender",
        Helo = "helo",
        Tls = "tls",
        Unknown = "unknown",
    }
}

impl Reason {
    /// The doctor's checks this reason points to, most direct first.
    pub fn checks(self) -> &'static [crate::CheckKind] {
        use crate::CheckKind::*;
        match self {
            Self::Unauthenticated | Self::DkimFail => &[SpfMailFrom, Dmarc, SpfRecord],
            Self::DmarcPolicy | Self::DmarcAlignment | Self::BulkAuthentication => {
                &[Dmarc, SpfMailFrom, DmarcRecord, SpfRecord]
            }
            Self::SpfFail | Self::SpfError => &[SpfMailFrom, SpfRecord],
            Self::NoDmarcRecord => &[DmarcRecord, Dmarc],
            Self::ReverseDns => &[Iprev, Helo],
            Self::Blocklisted => &[Dnsbl],
            Self::Reputation | Self::RateLimited => &[Dnsbl, Iprev, Helo, Dmarc],
            Self::SenderDomain | Self::NullMxSender => &[SenderDomain],
            Self::Helo => &[Helo, SpfHelo],
            Self::Tls | Self::Unknown => &[],
        }
    }

    /// One line: what the receiver's reply means.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Unauthenticated => "neither SPF nor DKIM passed for the message",
            Self::DmarcPolicy => "the From domain's DMARC policy refuses mail that fails DMARC",
            Self::SpfFail => "SPF did not pass for the sending IP",
            Self::SpfError => "SPF could not be evaluated, or the SPF record looks wrong",
            Self::DkimFail => "no DKIM signature passed",
            Self::DmarcAlignment => {
                "the From domain is not aligned with the SPF or DKIM domain (DMARC)"
            }
            Self::NoDmarcRecord => "the sending domain publishes no DMARC record or policy",
            Self::BulkAuthentication => {
                "bulk senders must pass SPF and DKIM and publish DMARC, aligned"
            }
            Self::ReverseDns => {
                "the sending IP has no PTR name, or its PTR name does not resolve back to it"
            }
            Self::Blocklisted => "the sending IP is on a DNS blocklist",
            Self::Reputation => "the receiver distrusts the sending IP or domain (reputation)",
            Self::RateLimited => "too much mail too fast from this IP or domain",
            Self::SenderDomain => "the MAIL FROM domain does not resolve or cannot take mail back",
            Self::NullMxSender => "the MAIL FROM domain publishes a null MX (RFC 7505)",
            Self::Helo => "the HELO name was refused",
            Self::Tls => "the receiver requires TLS",
            Self::Unknown => "the reply names no reason mailauth knows",
        }
    }
}

/// A remote SMTP reply (RFC 5321 §4.2): its codes and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Reply {
    /// The basic code, from the first line (`550`).
    pub code: u16,
    /// The enhanced status code (RFC 3463), from the last line as Postfix
    /// takes it: only when its class matches the basic code.
    pub enhanced: Option<String>,
    /// The text of every line, without the codes, joined by spaces:
    /// printable ASCII, at most [`MAX_FIELD`] bytes.
    pub text: String,
}

/// Everything read from a bounce, and where each part came from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Bounce {
    /// What the input was.
    pub input: InputKind,
    /// The remote server's reply, when one was found.
    pub reply: Option<Reply>,
    /// The stage it answered, when said.
    pub stage: Option<Stage>,
    /// Whose server refused.
    pub receiver: Receiver,
    /// The stated reason, mapped to a stable code.
    pub reason: Reason,
    /// The server that refused (`Remote-MTA`, `relay=`, `host ... said`).
    pub remote_mta: Option<String>,
    /// The sending IP, when the reply or log names it (Gmail's `ip:
    /// [...]`, Postfix's `Client host [...]`, a `NOQUEUE` client).
    pub client_ip: Option<IpAddr>,
    /// The domain the reply names (`SPF [example.com]`, `<a@example.com>:
    /// Sender address rejected`, `email from example.com`).
    pub domain: Option<String>,
    /// The envelope sender (`X-Postfix-Sender`, `from=<...>`, the returned
    /// message's `Return-Path`).
    pub sender: Option<String>,
    /// The recipient (`Final-Recipient`, `to=<...>`).
    pub recipient: Option<String>,
    /// The HELO name, from a Postfix `NOQUEUE` line.
    pub helo: Option<String>,
    /// The DNS blocklist zone the reply names (`blocked using ...`).
    pub dnsbl_zone: Option<String>,
    /// What was read from where, in reading order, for the report.
    pub read: Vec<Excerpt>,
}

/// One value read from a bounce, and the part it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Excerpt {
    /// The header, log field or reply part: `Diagnostic-Code`, `NOQUEUE
    /// helo=`, `reply (IP)`.
    pub source: String,
    /// The value as kept: printable, at most [`MAX_FIELD`] bytes.
    pub value: String,
}

/// Reads a bounce, a log line or a reply. Never fails: input it cannot
/// place gives [`Reason::Unknown`] and no reply.
pub fn read(input: &[u8]) -> Bounce {
    let input = &input[..input.len().min(MAX_INPUT)];
    let text = String::from_utf8_lossy(input);
    let mut bounce = Bounce {
        input: InputKind::Reply,
        reply: None,
        stage: None,
        receiver: Receiver::Other,
        reason: Reason::Unknown,
        remote_mta: None,
        client_ip: None,
        domain: None,
        sender: None,
        recipient: None,
        helo: None,
        dnsbl_zone: None,
        read: Vec::new(),
    };
    let reply_text = if let Some(line) = text.lines().find(|l| l.contains("NOQUEUE: reject:")) {
        bounce.input = InputKind::PostfixReject;
        bounce.receiver = Receiver::Postfix;
        postfix_reject(&mut bounce, line)
    } else if let Some(line) = text
        .lines()
        .find(|l| l.contains("postfix/") && l.contains(" status="))
    {
        bounce.input = InputKind::PostfixLog;
        postfix_log(&mut bounce, line)
    } else if let Some(fields) = dsn_fields(&text) {
        bounce.input = InputKind::Dsn;
        dsn(&mut bounce, &fields, &text)
    } else if let Some(said) = said(&text.split_whitespace().collect::<Vec<_>>().join(" ")) {
        bounce.input = InputKind::Text;
        said_reply(&mut bounce, &said)
    } else {
        Some(text.trim().to_owned())
    };
    if let Some(raw) = reply_text {
        bounce.reply = parse_reply(&raw);
        if let Some(reply) = &bounce.reply {
            bounce.note(
                "reply",
                &format!("{}{}", reply.code, enhanced_suffix(reply)),
            );
        }
    }
    if bounce.receiver == Receiver::Other {
        bounce.receiver = family(bounce.remote_mta.as_deref(), bounce.reply.as_ref());
    }
    if let Some(reply) = bounce.reply.clone() {
        named_in_reply(&mut bounce, &reply.text);
        bounce.reason = classify(bounce.receiver, &reply);
    }
    bounce
}

fn enhanced_suffix(reply: &Reply) -> String {
    reply
        .enhanced
        .as_deref()
        .map(|e| format!(" {e}"))
        .unwrap_or_default()
}

impl Bounce {
    /// Records that `value` was read from `source`.
    fn note(&mut self, source: &str, value: &str) {
        self.read.push(Excerpt {
            source: source.to_owned(),
            value: field(value),
        });
    }
}

/// A field as kept: printable, bounded.
fn field(text: &str) -> String {
    printable(text.trim(), MAX_FIELD)
}

/// `<addr>` or `addr` as an address, bounded and printable.
fn address(text: &str) -> Option<String> {
    let text = text
        .trim()
        .trim_start_matches('<')
        .trim_end_matches(['>', ',']);
    (!text.is_empty()).then(|| field(text))
}

/// The value of `key=` in a log line: `<...>`, `(...)` to its match, or up
/// to the next `, `.
fn log_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let start = line.find(&format!(" {key}="))? + key.len() + 2;
    let rest = &line[start..];
    let end = if rest.starts_with('<') {
        rest.find('>').map_or(rest.len(), |i| i + 1)
    } else {
        rest.find(", ").unwrap_or(rest.len())
    };
    Some(&rest[..end])
}

/// `name[addr]` (`:port` after it is ignored).
fn name_and_addr(text: &str) -> (Option<String>, Option<IpAddr>) {
    let Some((name, rest)) = text.split_once('[') else {
        return (address(text), None);
    };
    let addr = rest.split(']').next().and_then(|a| a.parse().ok());
    (address(name), addr)
}

fn postfix_log(bounce: &mut Bounce, line: &str) -> Option<String> {
    if let Some(to) = log_value(line, "to") {
        bounce.recipient = address(to);
        bounce.note("log to=", to);
    }
    if let Some(relay) = log_value(line, "relay") {
        let (name, _) = name_and_addr(relay);
        bounce.remote_mta = name;
        bounce.note("log relay=", relay);
    }
    let status = line.split_once(" status=")?.1;
    let reason = status.split_once(" (").map_or("", |(_, r)| r);
    let reason = reason.strip_suffix(')').unwrap_or(reason);
    said(reason).map_or_else(|| Some(reason.to_owned()), |s| said_reply(bounce, &s))
}

fn postfix_reject(bounce: &mut Bounce, line: &str) -> Option<String> {
    let rest = line.split_once("NOQUEUE: reject:")?.1.trim();
    // "RCPT from name[addr]: 450 4.7.1 ...; from=<s> to=<r> proto=ESMTP helo=<h>"
    let (client, rest) = rest.split_once("]: ")?;
    let (_, client) = name_and_addr(&format!("{client}]"));
    bounce.client_ip = client;
    if let Some(ip) = client {
        bounce.note("NOQUEUE client", &ip.to_string());
    }
    let (reply, envelope) = rest.rsplit_once("; from=").unwrap_or((rest, ""));
    let envelope = format!(" from={envelope}");
    let take = |key: &str| {
        envelope
            .split_once(&format!(" {key}=<"))
            .and_then(|(_, v)| v.split_once('>'))
            .map(|(v, _)| v.to_owned())
    };
    if let Some(sender) = take("from") {
        bounce.note("NOQUEUE from=", &sender);
        bounce.sender = Some(field(&sender));
    }
    if let Some(recipient) = take("to") {
        bounce.recipient = Some(field(&recipient));
    }
    if let Some(helo) = take("helo") {
        bounce.note("NOQUEUE helo=", &helo);
        bounce.helo = Some(field(&helo));
    }
    Some(reply.to_owned())
}

/// The reply of `host NAME[ADDR] said: REPLY (in reply to STAGE)`, with the
/// host and stage.
struct Said {
    host: Option<String>,
    reply: String,
    stage: Option<Stage>,
}

fn said(text: &str) -> Option<Said> {
    let (before, after) = text.split_once(" said: ")?;
    let host = before
        .rsplit_once("host ")
        .and_then(|(_, h)| name_and_addr(h).0);
    let (reply, stage) = match after.rsplit_once(" (in reply to ") {
        Some((reply, stage)) => (reply, Some(stage_of(stage))),
        None => (after, None),
    };
    Some(Said {
        host,
        reply: reply.to_owned(),
        stage,
    })
}

fn said_reply(bounce: &mut Bounce, said: &Said) -> Option<String> {
    if let Some(host) = &said.host {
        bounce.note("host ... said", host);
        bounce.remote_mta.get_or_insert_with(|| host.clone());
    }
    bounce.stage = said.stage.or(bounce.stage);
    Some(said.reply.clone())
}

fn stage_of(text: &str) -> Stage {
    let text = text.to_ascii_uppercase();
    if text.starts_with("MAIL FROM") {
        Stage::MailFrom
    } else if text.starts_with("RCPT TO") {
        Stage::RcptTo
    } else if text.starts_with("END OF DATA") {
        Stage::EndOfData
    } else if text.starts_with("DATA") {
        Stage::Data
    } else {
        Stage::Other
    }
}

/// The header-style fields of a DSN's delivery-status part, unfolded;
/// `None` when there is no `Diagnostic-Code` or `Status` field.
fn dsn_fields(text: &str) -> Option<Vec<(String, String)>> {
    let fields = crate::headers::fields(text);
    fields
        .iter()
        .any(|(n, _)| n == "diagnostic-code" || n == "status")
        .then_some(fields)
}

fn dsn(bounce: &mut Bounce, fields: &[(String, String)], text: &str) -> Option<String> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    // `type; value`
    let value = |v: &str| v.split_once(';').map_or(v, |(_, v)| v).trim().to_owned();
    if let Some(mta) = get("remote-mta") {
        bounce.remote_mta = address(&value(mta));
        bounce.note("Remote-MTA", mta);
    }
    if let Some(recipient) = get("final-recipient").or_else(|| get("original-recipient")) {
        bounce.recipient = address(&value(recipient));
        bounce.note("Final-Recipient", recipient);
    }
    let sender = get("x-postfix-sender")
        .map(|v| ("X-Postfix-Sender", value(v)))
        .or_else(|| {
            // The bounce's own Return-Path is the null sender; the returned
            // message's comes later.
            fields
                .iter()
                .find(|(n, v)| n == "return-path" && v.trim() != "<>")
                .map(|(_, v)| ("Return-Path", v.clone()))
        });
    if let Some((source, sender)) = sender {
        bounce.note(source, &sender);
        bounce.sender = address(&sender);
    }
    // The human-readable part may say the stage.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(said) = said(&flat) {
        bounce.stage = said.stage;
    }
    match get("diagnostic-code") {
        Some(code) => {
            bounce.note("Diagnostic-Code", code);
            Some(value(code))
        }
        None => {
            let status = get("status")?;
            bounce.note("Status", status);
            // A status alone: its code as the reply's.
            let code = status.split_whitespace().next()?;
            let basic = match code.as_bytes().first() {
                Some(b'4') => "450",
                Some(b'5') => "550",
                _ => return None,
            };
            Some(format!("{basic} {code}"))
        }
    }
}

/// Splits a reply into lines at its `NNN-` and `NNN ` prefixes (RFC 5321
/// §4.2.1, each line's fourth character decides) and takes the codes as
/// Postfix does: the basic code from the first line, the enhanced code
/// from the last, when its class matches.
pub fn parse_reply(text: &str) -> Option<Reply> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let code: u16 = text.get(..3)?.parse().ok()?;
    if !(200..600).contains(&code) || !matches!(bytes.get(3), None | Some(b' ' | b'-')) {
        return None;
    }
    let prefix_at = |i: usize| {
        bytes.get(i..i + 3).is_some_and(|c| c == &bytes[..3])
            && matches!(bytes.get(i + 3), None | Some(b' ' | b'-'))
            && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\n')
    };
    let mut starts: Vec<usize> = (0..bytes.len()).filter(|&i| prefix_at(i)).collect();
    starts.truncate(256);
    let mut lines: Vec<&str> = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(text.len());
        let line = text.get(start + 3..end).unwrap_or_default();
        lines.push(line.trim_start_matches(['-', ' ']).trim_start());
    }
    let class = char::from(bytes[0]);
    let enhanced = lines
        .last()
        .and_then(|l| enhanced_code(l))
        .filter(|e| e.starts_with(class));
    let mut out = String::new();
    for line in &lines {
        let body = match enhanced_code(line) {
            Some(e) => line[e.len()..].trim(),
            None => line.trim(),
        };
        if !body.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(body);
        }
        if out.len() > MAX_FIELD {
            break;
        }
    }
    Some(Reply {
        code,
        enhanced,
        text: field(&out),
    })
}

/// The RFC 3463 code at the start of `text`: class 2, 4 or 5, subject and
/// detail of 1 to 3 digits.
fn enhanced_code(text: &str) -> Option<String> {
    let token = text.split_whitespace().next()?;
    let mut parts = token.split('.');
    let (class, subject, detail) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    (parts.next().is_none()
        && matches!(class, "2" | "4" | "5")
        && digits(subject)
        && digits(detail))
    .then(|| token.to_owned())
}

/// The receiver's family: from the refusing host's name, else from tags
/// in the reply.
fn family(host: Option<&str>, reply: Option<&Reply>) -> Receiver {
    let host = host.unwrap_or_default().to_ascii_lowercase();
    let under = |suffix: &str| host == suffix || host.ends_with(&format!(".{suffix}"));
    if under("google.com") || under("googlemail.com") {
        return Receiver::Gmail;
    }
    if under("outlook.com") || under("hotmail.com") || under("protection.outlook.com") {
        return Receiver::Microsoft;
    }
    if under("yahoodns.net") || under("yahoo.com") || under("aol.com") {
        return Receiver::Yahoo;
    }
    let Some(reply) = reply else {
        return Receiver::Other;
    };
    let text = &reply.text;
    if text.ends_with("gsmtp") || text.contains(" gsmtp") {
        Receiver::Gmail
    } else if text.contains("(S3150)") || text.contains("(S3140)") || text.contains("outlook.com") {
        Receiver::Microsoft
    } else if text.contains("[TS") || text.contains("[BL2") || text.contains("yahoo") {
        Receiver::Yahoo
    } else if [
        "Client host rejected",
        "Sender address rejected",
        "Helo command rejected",
        "Service unavailable; Client host [",
    ]
    .iter()
    .any(|k| text.contains(k))
    {
        Receiver::Postfix
    } else {
        Receiver::Other
    }
}

/// Maps the family, the codes and short keywords to a reason (the
/// digest's section 7, from `../shared/specs/bounces.md`).
fn classify(receiver: Receiver, reply: &Reply) -> Reason {
    let text = reply.text.to_ascii_lowercase();
    let has = |k: &str| text.contains(k);
    let enhanced = reply.enhanced.as_deref().unwrap_or_default();
    // The subject and detail, whatever the class.
    let detail = enhanced.split_once('.').map_or("", |(_, d)| d);
    match receiver {
        Receiver::Gmail => match detail {
            "7.26" if has("dmarc") => Reason::DmarcPolicy,
            "7.26" => Reason::Unauthenticated,
            "7.27" => Reason::SpfFail,
            "7.30" => Reason::DkimFail,
            "7.32" => Reason::DmarcAlignment,
            "7.40" => Reason::NoDmarcRecord,
            "7.25" | "7.23" => Reason::ReverseDns,
            "7.24" => Reason::SpfError,
            "7.28" => Reason::RateLimited,
            "7.29" => Reason::Tls,
            "5.4" => Reason::Helo,
            "7.0" if has("ptr") || has("reverse dns") => Reason::ReverseDns,
            "7.0" | "7.1" => Reason::Reputation,
            _ => generic(detail, &has),
        },
        Receiver::Microsoft => match detail {
            "7.515" => Reason::BulkAuthentication,
            "7.509" => Reason::DmarcPolicy,
            "7.23" => Reason::SpfFail,
            "7.25" => Reason::ReverseDns,
            "7.506" => Reason::Helo,
            _ if has("(s3150)") || has("(s3140)") || has("block list") => Reason::Reputation,
            _ => generic(detail, &has),
        },
        Receiver::Yahoo => match detail {
            "7.9" if reply.code == 554 || has("dmarc") => Reason::DmarcPolicy,
            "7.9" => Reason::Unauthenticated,
            _ if has("[bl2") || has("spamhaus") => Reason::Blocklisted,
            _ if has("[ts") => Reason::Reputation,
            _ => generic(detail, &has),
        },
        Receiver::Postfix | Receiver::Other => generic(detail, &has),
    }
}

/// The registered meanings (RFC 3463, RFC 7372, RFC 7505) and Postfix's
/// default texts.
fn generic(detail: &str, has: &dyn Fn(&str) -> bool) -> Reason {
    if has("reverse hostname") || has("reverse dns") || has("ptr record") {
        return Reason::ReverseDns;
    }
    if has("blocked using") || has("listed on") || has("blacklist") || has("blocklist") {
        return Reason::Blocklisted;
    }
    if has("helo command rejected") {
        return Reason::Helo;
    }
    if has("domain not found") {
        return Reason::SenderDomain;
    }
    if has("client host rejected") {
        return Reason::ReverseDns;
    }
    match detail {
        "7.23" => Reason::SpfFail,
        "7.24" => Reason::SpfError,
        "7.20" | "7.21" | "7.22" => Reason::DkimFail,
        "7.25" => Reason::ReverseDns,
        "7.26" => Reason::Unauthenticated,
        "7.27" => Reason::NullMxSender,
        "1.8" => Reason::SenderDomain,
        "5.2" if has("helo") => Reason::Helo,
        _ if has("dmarc") => Reason::DmarcPolicy,
        _ if has("spf") => Reason::SpfFail,
        _ if has("dkim") => Reason::DkimFail,
        _ => Reason::Unknown,
    }
}

/// The sending IP, a domain and a DNSBL zone, where the reply names them.
fn named_in_reply(bounce: &mut Bounce, text: &str) {
    if bounce.client_ip.is_none()
        && let Some(ip) = client_ip(text)
    {
        bounce.note("reply (IP)", &ip.to_string());
        bounce.client_ip = Some(ip);
    }
    if let Some(domain) = reply_domain(text) {
        bounce.note("reply (domain)", &domain);
        bounce.domain = Some(domain);
    }
    if let Some(zone) = text
        .split_once("blocked using ")
        .map(|(_, z)| z.split([' ', ';', ',']).next().unwrap_or_default())
        .map(|z| z.trim_end_matches('.'))
        .filter(|z| mailauth_core::dns::validate_name(z).is_ok())
    {
        bounce.note("reply (DNSBL)", zone);
        bounce.dnsbl_zone = Some(field(zone));
    }
}

/// The first IP address in brackets (`[192.0.2.1]`, Gmail's `ip:
/// [192.0.2.1]`), else the first word that is one (`from 192.0.2.1,`).
fn client_ip(text: &str) -> Option<IpAddr> {
    let bracketed = text
        .split('[')
        .skip(1)
        .filter_map(|s| s.split(']').next())
        // Gmail writes `[192.0.2.30      12]`.
        .find_map(|s| s.split_whitespace().next()?.parse::<IpAddr>().ok());
    bracketed.or_else(|| {
        text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
            .map(|w| w.trim_end_matches('.'))
            .find_map(|w| w.parse::<IpAddr>().ok().filter(|_| w.contains(['.', ':'])))
    })
}

/// The domain a reply names: Gmail's `SPF [example.com]` and `email from
/// example.com is not accepted`, an `<a@example.com>` address.
fn reply_domain(text: &str) -> Option<String> {
    let valid = |d: &str| {
        let d = d.trim_end_matches('.');
        (d.contains('.')
            && mailauth_core::dns::validate_name(d).is_ok()
            && d.parse::<IpAddr>().is_err())
        .then(|| d.to_ascii_lowercase())
    };
    if let Some((_, rest)) = text.split_once("SPF [")
        && let Some(domain) = rest.split(']').next().and_then(valid)
    {
        return Some(domain);
    }
    for marker in ["email from ", "mail from ", "sending domain "] {
        if let Some((_, rest)) = text.to_ascii_lowercase().split_once(marker)
            && let Some(domain) = rest.split_whitespace().next().and_then(valid)
        {
            return Some(domain);
        }
    }
    text.split('<')
        .skip(1)
        .filter_map(|s| s.split('>').next())
        .find_map(|a| a.rsplit_once('@').and_then(|(_, d)| valid(d)))
}

#[cfg(test)]
#[path = "bounce/tests.rs"]
mod tests;
