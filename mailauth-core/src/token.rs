//! One spelling per value: every public enum of plain values (results,
//! modes, kinds) is written the same way wherever it appears, in
//! `Display`, in JSON (feature `serde`), in the Python binding and in its
//! type stubs. The [`tokens!`] macro gives an enum that spelling from one
//! table: `as_str`, `ALL`, `Display`, `FromStr` (ASCII case ignored) and
//! the serde implementations, all through the same strings. RFC result
//! words are written as the RFCs write them (`temperror`, `permerror`).

/// Text that names no value of an enum: what it was, and what was
/// expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {token:?} (expected {expected})")]
#[non_exhaustive]
pub struct UnknownToken {
    /// What the text should have named, such as `SPF result`.
    pub kind: &'static str,
    /// The text.
    pub token: String,
    /// The tokens of every value, separated by commas.
    pub expected: String,
}

impl UnknownToken {
    /// `token` is not one of `all`.
    #[doc(hidden)]
    pub fn new(kind: &'static str, token: &str, all: &[&str]) -> Self {
        Self {
            kind,
            token: token.to_owned(),
            expected: all.join(", "),
        }
    }
}

/// Gives a plain-value enum its one spelling: `tokens! { Type "what it
/// is" { Variant = "token", ... } }`, every variant listed (the match in
/// `as_str` makes a missing one a compile error). Exported, hidden, for the
/// doctor's crate: its enums speak the same way.
#[macro_export]
#[doc(hidden)]
macro_rules! tokens {
    ($ty:ident $kind:literal { $($variant:ident = $token:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            #[doc = concat!("The value's token: ", $("`", $token, "` "),+, "(the same in `Display`, `FromStr`, JSON and Python).")]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $token),+
                }
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::UnknownToken;

            /// The value with this token, ignoring ASCII case.
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|value| value.as_str().eq_ignore_ascii_case(text))
                    .ok_or_else(|| {
                        $crate::UnknownToken::new($kind, text, &[$($token),+])
                    })
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use tokens;

#[cfg(test)]
mod tests {
    /// Every token enum: its tokens are distinct, non-empty printable
    /// ASCII, and each value round-trips through `Display` and `FromStr`
    /// (and, with the `serde` feature, JSON as its token).
    macro_rules! check {
        ($($ty:ty),+ $(,)?) => {$({
            let all = <$ty>::ALL;
            let mut seen = std::collections::BTreeSet::new();
            for value in all {
                let token = value.as_str();
                assert!(!token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic()), "{token:?}");
                assert!(seen.insert(token.to_ascii_lowercase()), "{} twice in {}", token, stringify!($ty));
                assert_eq!(value.to_string(), token);
                assert_eq!(token.parse::<$ty>().ok(), Some(*value));
                assert_eq!(token.to_ascii_uppercase().parse::<$ty>().ok(), Some(*value));
                #[cfg(feature = "serde")]
                {
                    let json = serde_json::to_string(value).unwrap();
                    assert_eq!(json, format!("\"{token}\""));
                    assert_eq!(serde_json::from_str::<$ty>(&json).unwrap(), *value);
                }
            }
            let unknown = "no-such-token".parse::<$ty>().unwrap_err();
            assert!(unknown.to_string().contains(all[0].as_str()), "{unknown}");
        })+};
    }

    #[test]
    fn every_token_enum_has_one_spelling() {
        use crate::dmarc::{
            Alignment, AlignmentMode, DmarcResult, NotDmarcReason, Policy, PolicySource, PsdFlag,
            ReportTag, Severity,
        };
        use crate::dnsbl::{Category, ListKind, ListPolicy};
        use crate::helo::CheckStatus;
        use crate::iprev::{IprevResult, PeerStatus};
        use crate::maildomain::AddressRole;
        use crate::spf::{
            Identity, MacroLetter, NoRecordReason, Qualifier, SpfErrorKind, SpfResult,
        };
        check!(
            Alignment,
            AlignmentMode,
            DmarcResult,
            NotDmarcReason,
            Policy,
            PolicySource,
            PsdFlag,
            ReportTag,
            Severity,
            Category,
            ListKind,
            ListPolicy,
            CheckStatus,
            IprevResult,
            PeerStatus,
            AddressRole,
            Identity,
            MacroLetter,
            NoRecordReason,
            Qualifier,
            SpfErrorKind,
            SpfResult,
            crate::dns::RecordType,
        );
        #[cfg(feature = "hickory")]
        check!(crate::dns::Transport);
    }
}
