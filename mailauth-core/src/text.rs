//! Text the library renders for others to read: SMTP reply texts, header
//! field values, log lines and terminal reports. Much of it comes from
//! people the reader does not trust: the sender's address (`%{l}`,
//! `%{s}`), `exp=` TXT records, PTR names, domains taken from a message.
//!
//! One rule for all of it: **only printable US-ASCII (0x20 to 0x7E) is
//! written as it is.** RFC 7208 §6.2 lets an explanation be shown to the
//! sender, and §8.4 warns that its text comes from the domain owner; RFC
//! 5321 §4.5.3.1.5 limits a reply line to 512 octets, and RFC 5322 §2.2
//! allows only printable ASCII in field bodies. So in protocol text
//! ([`push_printable`], [`printable`], [`push_quoted`]) every other
//! character, CR, LF, NUL, ESC, DEL and any non-ASCII character such as
//! U+2028 alike, becomes `?`; for people at a terminal ([`escape`]) each
//! such byte is written as `\xNN`, so nothing a DNS answer holds can move
//! the cursor, set a window title or end a line.

/// The most octets of reply text: a reply line is at most 512 octets with
/// its CRLF (RFC 5321 §4.5.3.1.5), and `550 5.7.23 ` takes 11 of them.
pub const MAX_REPLY_TEXT: usize = 499;

/// Whether `c` is printable US-ASCII (space included), written as it is.
pub fn is_printable(c: char) -> bool {
    (' '..='~').contains(&c)
}

/// Appends `text` with every character outside printable US-ASCII
/// replaced by `?`.
pub fn push_printable(out: &mut String, text: &str) {
    out.extend(text.chars().map(|c| if is_printable(c) { c } else { '?' }));
}

/// `text` with every character outside printable US-ASCII replaced by
/// `?`, cut to at most `max` octets.
///
/// ```
/// use mailauth_core::text::printable;
///
/// assert_eq!(printable("a\r\nb\u{1b}]0;x\u{7}\u{2028}é", 100), "a??b?]0;x???");
/// assert_eq!(printable("abcdef", 4), "abcd");
/// ```
pub fn printable(text: &str, max: usize) -> String {
    let head = &text.as_bytes()[..text.len().min(max)];
    if head.iter().all(|&b| (b' '..=b'~').contains(&b)) {
        // All printable ASCII: the first `max` characters are these octets,
        // and the byte after the last ASCII one starts a character.
        return text[..head.len()].to_owned();
    }
    let mut out = String::with_capacity(text.len().min(max));
    // Every character written is one octet, so counting characters counts
    // octets.
    for c in text.chars().take(max) {
        out.push(if is_printable(c) { c } else { '?' });
    }
    out
}

/// Appends `text` as an RFC 5322 quoted-string: `"` and `\` escaped, the
/// rest as [`push_printable`].
pub fn push_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            _ => out.push('?'),
        }
    }
    out.push('"');
}

/// Appends `text` for an RFC 5322 comment: the [text rule](crate::text),
/// with the comment's own delimiters replaced by `?` too.
pub fn push_comment(out: &mut String, text: &str) {
    let safe = |c: char| is_printable(c) && !matches!(c, '(' | ')' | '\\');
    out.extend(text.chars().map(|c| if safe(c) { c } else { '?' }));
}

/// Whether `text` can stand as an RFC 8601 `value` token (RFC 2045)
/// without quotes.
pub fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?=".contains(&b))
}

/// `text` for a terminal: printable US-ASCII as it is, every other byte as
/// `\xNN` (a UTF-8 character as the escapes of its bytes).
///
/// ```
/// use mailauth_core::text::escape;
///
/// assert_eq!(escape("mail.\u{1b}[2J.example\n"), "mail.\\x1b[2J.example\\x0a");
/// assert_eq!(escape("é"), "\\xc3\\xa9");
/// ```
pub fn escape(text: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_printable(c) {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character outside 0x20-0x7E is replaced or escaped, in every
    /// function, and nothing else is.
    #[test]
    fn one_rule_for_every_character() {
        for code in 0..=0x10ffff_u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let text = c.to_string();
            let keep = (0x20..=0x7e).contains(&code);
            assert_eq!(printable(&text, 10) == text, keep, "{code:#x}");
            assert_eq!(escape(&text) == text, keep, "{code:#x}");
            let mut quoted = String::new();
            push_quoted(&mut quoted, &text);
            assert!(quoted.chars().all(is_printable), "{code:#x}");
        }
    }

    #[test]
    fn bounded() {
        assert_eq!(
            printable(&"é".repeat(1000), MAX_REPLY_TEXT).len(),
            MAX_REPLY_TEXT
        );
        assert_eq!(printable("", 0), "");
    }
}
