//! The crate's error type: misuse and invalid input, never a DNS outcome
//! or a check's result.

use crate::dns::{NameError, ZoneError};

/// Everything that can go wrong in mailauth's API, one variant per module
/// error, each keeping its source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Master-file text did not parse.
    #[error(transparent)]
    Zone(#[from] ZoneError),
    /// A domain name was refused.
    #[error(transparent)]
    Name(#[from] NameError),
    /// The hickory resolver could not be built.
    #[cfg(feature = "hickory")]
    #[error(transparent)]
    Resolver(#[from] crate::dns::ResolverError),
    /// An SPF record did not parse.
    #[error(transparent)]
    SpfRecord(#[from] crate::spf::ParseError),
    /// An SPF configuration was refused.
    #[error(transparent)]
    SpfConfig(#[from] crate::spf::ConfigError),
    /// An iprev configuration value was refused.
    #[error(transparent)]
    Iprev(#[from] crate::iprev::IprevError),
    /// A host name or address literal was refused.
    #[error(transparent)]
    Hostname(#[from] crate::hostname::HostnameError),
    /// A DMARC record or domain was refused.
    #[error(transparent)]
    Dmarc(#[from] crate::dmarc::DmarcError),
    /// A DNSBL target was refused.
    #[error(transparent)]
    Dnsbl(#[from] crate::dnsbl::DnsblError),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every module error converts, and keeps its message.
    #[test]
    fn conversions() {
        let spf: Error = crate::spf::SpfRecord::parse("v=spf1 a/33")
            .unwrap_err()
            .into();
        assert_eq!(spf.to_string(), "invalid CIDR prefix length at byte 9");
        let host: Error = crate::hostname::validate_hostname("a..b")
            .unwrap_err()
            .into();
        assert_eq!(host.to_string(), "empty label at byte 2");
        let dnsbl: Error = crate::dnsbl::domain_target("a..b").unwrap_err().into();
        assert!(matches!(dnsbl, Error::Dnsbl(_)));
        let zone: Error = crate::dns::Zone::parse("x A 1.2.3\n").unwrap_err().into();
        assert_eq!(
            zone.to_string(),
            "zone text line 1, column 5: invalid IPv4 address"
        );
    }

    /// Each message says its position once: the record parser wraps the
    /// macro parser's error, and only one of them may add "at byte".
    #[test]
    fn positions_are_said_once() {
        let spf = [
            "v=spf1 a:%{x}.example",
            "v=spf1 a:%{r}.example",
            "v=spf1 a:%{d0}.example",
            "v=spf1 a:%{d.example",
            "v=spf1 a:%z.example",
            "v=spf1 a/33",
            "v=spf1 foo",
            "v=spf1 exists:a\u{7}b.example",
        ];
        for text in spf {
            let message = Error::from(crate::spf::SpfRecord::parse(text).unwrap_err()).to_string();
            assert_eq!(message.matches("at byte").count(), 1, "{message}");
        }
        let message = crate::spf::SpfRecord::parse("v=spf1 a:%{x}.example")
            .unwrap_err()
            .to_string();
        assert_eq!(message, "unknown macro letter at byte 11");
        let message = crate::spf::MacroString::parse_explanation("%{x}")
            .unwrap_err()
            .to_string();
        assert_eq!(message, "unknown macro letter at byte 2");
        for text in ["v=dmarc1", "x", "v=DMARC2"] {
            let message =
                Error::from(crate::dmarc::DmarcRecord::parse(text).unwrap_err()).to_string();
            assert_eq!(message.matches("at byte").count(), 1, "{message}");
        }
        for text in ["a..b", "-a.example", "a.123"] {
            let message =
                Error::from(crate::hostname::validate_hostname(text).unwrap_err()).to_string();
            assert_eq!(message.matches("at byte").count(), 1, "{message}");
        }
    }
}
