//! The crate's error type: misuse and invalid input, never a DNS outcome.

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
}
