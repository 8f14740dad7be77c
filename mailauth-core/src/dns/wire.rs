//! Stepping over the resource records of a DNS message in wire form (RFC
//! 1035 §4.1.3) without decoding them. The multiplexed transport decodes a
//! response's answer section only; the authority section (the SOA of every
//! negative answer) is stepped over, and of the additional section only
//! the OPT record's extended RCODE is kept (RFC 6891 §6.1.3).
//!
//! The message is attacker-controlled: every step is bounds-checked, and
//! each record ends strictly after it starts, so a walk over `n` records
//! takes at most `n` steps and never reads past the message.

/// Why the record at an offset could not be stepped over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum WireError {
    /// The message ends inside the record that starts at `record`.
    #[error("the message ends inside the record at byte {record}")]
    Truncated {
        /// Where the record starts.
        record: usize,
    },
    /// A label's two high bits are `01` or `10` (RFC 6891 §5 retired the
    /// extended label types): neither a length nor a pointer.
    #[error("label type {bits:#04b} at byte {offset} is neither a length nor a pointer")]
    LabelType {
        /// Where the label starts.
        offset: usize,
        /// Its two high bits.
        bits: u8,
    },
}

/// The fixed fields of a record that a walk needs, and where it ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RecordHeader {
    /// TYPE.
    pub(crate) record_type: u16,
    /// TTL; for OPT, the extended RCODE, version and flags (RFC 6891
    /// §6.1.3).
    pub(crate) ttl: u32,
    /// The offset just past the record's RDATA.
    pub(crate) end: usize,
}

/// TYPE of the EDNS OPT pseudo-record (RFC 6891 §6.1.1).
pub(crate) const OPT: u16 = 41;

impl RecordHeader {
    /// For an OPT record, the extended RCODE bits (RFC 6891 §6.1.3: the
    /// TTL's top byte, the upper 8 of the 12-bit RCODE).
    pub(crate) fn extended_rcode(&self) -> Option<u8> {
        (self.record_type == OPT).then(|| self.ttl.to_be_bytes()[0])
    }
}

/// Steps over the record starting at `at`: its owner name (labels up to the
/// root label, or up to a compression pointer, RFC 1035 §4.1.4; names are
/// not followed or checked), TYPE, CLASS, TTL, RDLENGTH and RDATA.
pub(crate) fn skip_record(message: &[u8], at: usize) -> Result<RecordHeader, WireError> {
    let truncated = WireError::Truncated { record: at };
    let mut offset = at;
    loop {
        let label = *message.get(offset).ok_or(truncated)?;
        match label >> 6 {
            0b00 if label == 0 => {
                offset += 1;
                break;
            }
            0b00 => offset += 1 + usize::from(label),
            0b11 => {
                offset += 2;
                break;
            }
            bits => return Err(WireError::LabelType { offset, bits }),
        }
    }
    let fixed = message.get(offset..offset + 10).ok_or(truncated)?;
    let field = |i: usize| u16::from_be_bytes([fixed[i], fixed[i + 1]]);
    let ttl = u32::from_be_bytes([fixed[4], fixed[5], fixed[6], fixed[7]]);
    let end = offset + 10 + usize::from(field(8));
    if end > message.len() {
        return Err(truncated);
    }
    Ok(RecordHeader {
        record_type: field(0),
        ttl,
        end,
    })
}

/// Steps over `count` records from `at`; returns where they end and the
/// extended RCODE bits of the last OPT record among them (RFC 6891 §6.1.3:
/// the TTL's top byte, the upper 8 of the 12-bit RCODE), 0 without one.
pub(crate) fn skip_records(
    message: &[u8],
    mut at: usize,
    count: u16,
) -> Result<(usize, u8), WireError> {
    let mut rcode_high = 0;
    for _ in 0..count {
        let record = skip_record(message, at)?;
        rcode_high = record.extended_rcode().unwrap_or(rcode_high);
        at = record.end;
    }
    Ok((at, rcode_high))
}

#[cfg(test)]
mod tests {
    use super::{OPT, RecordHeader, WireError, skip_record, skip_records};

    /// `example.` SOA with a compressed owner, then an OPT record with
    /// extended RCODE 1 (BADVERS = 16 with a header RCODE of 0).
    fn sections() -> Vec<u8> {
        let mut message = vec![0u8; 12];
        message.extend_from_slice(b"\x07example\x00"); // 12..21, a name to point at
        let soa = message.len();
        message.extend_from_slice(&[0xc0, 12, 0, 6, 0, 1, 0, 0, 1, 44, 0, 3, 1, 2, 3]);
        let opt = message.len();
        message.extend_from_slice(&[0, 0, 41, 4, 208, 1, 0, 0, 0, 0, 0]);
        assert_eq!((soa, opt), (21, 36));
        message
    }

    #[test]
    fn steps_over_compressed_and_root_owners() {
        let message = sections();
        assert_eq!(
            skip_record(&message, 21),
            Ok(RecordHeader {
                record_type: 6,
                ttl: 300,
                end: 36
            })
        );
        let opt = skip_record(&message, 36).unwrap();
        assert_eq!((opt.record_type, opt.end), (OPT, message.len()));
        assert_eq!(skip_records(&message, 21, 2), Ok((message.len(), 1)));
        assert_eq!(skip_records(&message, 21, 1), Ok((36, 0)));
        assert_eq!(skip_records(&message, 21, 0), Ok((21, 0)));
    }

    #[test]
    fn uncompressed_owner_names() {
        // `a.example.` A 192.0.2.1, owner written out.
        let record =
            b"\x01a\x07example\x00\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\xc0\x00\x02\x01";
        let header = skip_record(record, 0).unwrap();
        assert_eq!(
            (header.record_type, header.ttl, header.end),
            (1, 60, record.len())
        );
    }

    #[test]
    fn truncation_anywhere_is_an_error() {
        let message = sections();
        for len in 21..message.len() {
            let cut = &message[..len];
            let expected = if len < 36 { 21 } else { 36 };
            assert_eq!(
                skip_records(cut, 21, 2),
                Err(WireError::Truncated { record: expected }),
                "cut at {len}"
            );
        }
        // More records announced than there are.
        assert_eq!(
            skip_records(&message, 21, 3),
            Err(WireError::Truncated {
                record: message.len()
            })
        );
        // A label running past the end, and an offset past the end.
        assert_eq!(
            skip_record(b"\x3fabc", 0),
            Err(WireError::Truncated { record: 0 })
        );
        assert_eq!(
            skip_record(&message, usize::MAX - 3),
            Err(WireError::Truncated {
                record: usize::MAX - 3
            })
        );
    }

    #[test]
    fn retired_label_types_are_errors() {
        for (byte, bits) in [(0x41, 0b01), (0x80, 0b10)] {
            assert_eq!(
                skip_record(&[3, b'a', b'b', b'c', byte, 0], 0),
                Err(WireError::LabelType { offset: 4, bits })
            );
        }
    }
}
