//! A message as DKIM sees it (RFC 6376 §3.7, RFC 5322 §2.1): its header
//! fields, each with its raw bytes (folding and CRLF included), and the
//! body after the first empty line.

use std::borrow::Cow;

/// One header field as it stands in the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Field<'a> {
    /// The name, as written (case kept).
    pub(crate) name: &'a [u8],
    /// The whole field: name, colon, value, folding, the ending CRLF.
    pub(crate) raw: &'a [u8],
}

impl<'a> Field<'a> {
    /// The value: after the colon, without the ending CRLF.
    pub(crate) fn value(&self) -> &'a [u8] {
        let after: &'a [u8] = &self.raw[self.name.len() + 1..];
        after.strip_suffix(b"\r\n").unwrap_or(after)
    }
}

/// A message split into header fields and body.
#[derive(Debug)]
pub(crate) struct Message<'a> {
    pub(crate) fields: Vec<Field<'a>>,
    pub(crate) body: &'a [u8],
}

/// Why a message cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MessageError {
    /// More header fields than allowed.
    TooManyFields,
    /// A line in the header that is neither a field nor a continuation.
    BadField { offset: usize },
}

/// The message with CRLF line ends: a message stored with bare LF (as
/// files on Unix hold it) gets CRLF back; one that has any CR is taken as
/// it stands (RFC 6376 §5.3 makes the signer normalise; the verifier hashes
/// what it received).
pub(crate) fn crlf(message: &[u8]) -> Cow<'_, [u8]> {
    if message.contains(&b'\r') || !message.contains(&b'\n') {
        return Cow::Borrowed(message);
    }
    let mut out = Vec::with_capacity(message.len() + message.len() / 32);
    for &b in message {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    Cow::Owned(out)
}

/// Splits a message (CRLF line ends) into at most `max_fields` header
/// fields and the body.
pub(crate) fn split<'a>(message: &'a [u8], max_fields: usize) -> Result<Message<'a>, MessageError> {
    let mut fields: Vec<Field<'a>> = Vec::new();
    let mut pos = 0;
    let mut current: Option<(usize, usize)> = None; // (start, name end)
    let close = |fields: &mut Vec<Field<'a>>, current: Option<(usize, usize)>, end: usize| {
        if let Some((start, name_end)) = current {
            fields.push(Field {
                name: &message[start..name_end],
                raw: &message[start..end],
            });
        }
    };
    let body_start = loop {
        if pos >= message.len() {
            close(&mut fields, current.take(), message.len());
            break message.len();
        }
        let line_end = find_crlf(&message[pos..]).map_or(message.len(), |i| pos + i + 2);
        let line = &message[pos..line_end];
        if line == b"\r\n" {
            close(&mut fields, current.take(), pos);
            break line_end;
        }
        if matches!(line[0], b' ' | b'\t') && current.is_some() {
            pos = line_end;
            continue;
        }
        close(&mut fields, current.take(), pos);
        if fields.len() >= max_fields {
            return Err(MessageError::TooManyFields);
        }
        let colon = line
            .iter()
            .position(|&b| b == b':')
            .filter(|&c| c > 0 && line[..c].iter().all(|&b| (0x21..=0x7e).contains(&b)))
            .ok_or(MessageError::BadField { offset: pos })?;
        current = Some((pos, pos + colon));
        pos = line_end;
    };
    Ok(Message {
        fields,
        body: &message[body_start..],
    })
}

/// The offset of the first CRLF in `bytes`.
pub(crate) fn find_crlf(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'\n', &bytes[from..]) {
        let at = from + i;
        if at > 0 && bytes[at - 1] == b'\r' {
            return Some(at - 1);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_body() {
        let m = split(b"From: a\r\nSubject: x\r\n y\r\n\r\nbody\r\n", 10).unwrap();
        let names: Vec<&[u8]> = m.fields.iter().map(|f| f.name).collect();
        assert_eq!(names, [&b"From"[..], b"Subject"]);
        assert_eq!(m.fields[1].raw, b"Subject: x\r\n y\r\n");
        assert_eq!(m.fields[1].value(), b" x\r\n y");
        assert_eq!(m.body, b"body\r\n");
        let headers_only = split(b"From: a\r\n", 10).unwrap();
        assert_eq!(
            (headers_only.fields.len(), headers_only.body),
            (1, &b""[..])
        );
        assert_eq!(
            split(b"a\r\n\r\n", 10).unwrap_err(),
            MessageError::BadField { offset: 0 }
        );
        assert_eq!(
            split(b"A: 1\r\nB: 2\r\n\r\n", 1).unwrap_err(),
            MessageError::TooManyFields
        );
    }

    #[test]
    fn bare_lf_becomes_crlf() {
        assert_eq!(&*crlf(b"A: 1\n\nb\n"), b"A: 1\r\n\r\nb\r\n");
        assert_eq!(&*crlf(b"A: 1\r\n\nb"), b"A: 1\r\n\nb");
    }
}
