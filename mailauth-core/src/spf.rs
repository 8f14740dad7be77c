//! SPF, RFC 7208: does this domain authorise this IP to send its mail?
//!
//! - [`SpfRecord`]: a record parsed by the §12 ABNF, macro-strings included,
//!   with a canonical `Display` that parses back to the same record.
//! - [`SpfVerifier`]: check_host() (§4) for the MAIL FROM and HELO
//!   identities over any [`crate::dns::DnsResolver`], with the limits of
//!   §4.6.4 ([`SpfConfig`]) and a cache of parsed records.
//! - [`SpfOutput`]: the [`SpfResult`], its [`SpfCause`], the explanation on
//!   `fail`, the lookup counters and an optional trace; rendered as
//!   `Received-SPF` (§9.1) or as an `Authentication-Results` method.
//!
//! DNS failures and broken records are results (`temperror`,
//! `permerror`), never `Err`.

mod eval;
mod macros;
mod parse;
mod record;
mod result;
mod speculate;

pub use eval::{ClientIp, ConfigError, SpfConfig, SpfVerdict, SpfVerifier};
pub use macros::{Macro, MacroError, MacroLetter, MacroPart, MacroString};
pub use parse::is_spf_record;
pub use parse::{ParseError, ParseErrorKind};
pub use record::{Directive, DualCidr, Mechanism, Modifier, Qualifier, SpfRecord, Term};
pub use result::{
    HeaderContext, Identity, NoRecordReason, SpfCause, SpfErrorKind, SpfOutput, SpfResult,
    TraceStep,
};

#[doc(hidden)]
pub use parse::ip6_network as fuzzing_ip6_network;

#[cfg(all(test, feature = "serde"))]
mod serde_tests {
    use super::*;

    /// Records and outputs survive a JSON round trip.
    #[test]
    fn json_round_trip() {
        let record: SpfRecord = "v=spf1 a:%{d2}/24//64 include:_spf.example.com exp=x.%{d} -all"
            .parse()
            .unwrap();
        let json = serde_json::to_string(&record).unwrap();
        // A macro-string is its list of parts, one literal or many.
        assert!(
            json.contains(r#"{"Include":{"parts":[{"Literal":"_spf.example.com"}]}}"#),
            "{json}"
        );
        assert!(
            json.contains(r#""parts":[{"Literal":"x."},{"Macro":"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<SpfRecord>(&json).unwrap(), record);
        let output = SpfOutput {
            result: SpfResult::PermError,
            cause: SpfCause::Error {
                kind: SpfErrorKind::LookupLimit,
                domain: "example.com".into(),
                detail: "more than 10 DNS-querying terms".into(),
            },
            explanation: None,
            lookups: 11,
            void_lookups: 0,
            round_trips: 3,
            trace: Vec::new(),
        };
        let json = serde_json::to_string(&output).unwrap();
        assert!(json.contains("\"result\":\"permerror\""), "{json}");
        assert_eq!(serde_json::from_str::<SpfOutput>(&json).unwrap(), output);
    }
}
