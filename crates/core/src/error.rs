//! Errors raised while opening or reading the index.

use std::path::PathBuf;

/// What can go wrong when opening or reading a pubsearch index.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The directory holds no index yet.
    #[error("no index at {0}: run `pubsearch index` first")]
    NoIndex(PathBuf),
    /// The index was written by an incompatible version of pubsearch, or is not a pubsearch index.
    #[error(
        "the index at {path} was built with an incompatible schema ({found}); rebuild it with `pubsearch index --full`"
    )]
    SchemaMismatch {
        /// The index directory.
        path: PathBuf,
        /// What was found instead of the expected schema.
        found: String,
    },
    /// The index files are damaged or missing.
    #[error(
        "the index at {path} cannot be opened ({source}); rebuild it with `pubsearch index --full`"
    )]
    Corrupt {
        /// The index directory.
        path: PathBuf,
        /// The tantivy error.
        #[source]
        source: tantivy::TantivyError,
    },
    /// Another process holds the writer lock.
    #[error("index is locked by another run (only one `pubsearch index` can write at a time)")]
    Locked,
    /// A stored document lacks a field every publication has.
    #[error("stored document is missing field `{0}`")]
    MissingField(&'static str),
    /// A stored document holds a value that does not read back.
    #[error("stored document has a bad `{field}`: {message}")]
    BadField {
        /// The field.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// Any other tantivy error.
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
    /// An I/O error on the index directory.
    #[error("{path}: {source}")]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// Result alias of this crate.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
