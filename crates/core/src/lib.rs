//! Shared foundation of pubsearch: the tantivy schema and its field handles, the publication
//! model (metadata, per-page extraction status), the text analyzer, and opening or creating an
//! index with a version check.
//!
//! This crate depends on tantivy, serde and thiserror only: no async runtime, no HTTP, no PDF
//! library. The indexer writes what it defines and the query crate reads it.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let index = pubsearch_core::open::open_or_create(dir.path()).unwrap();
//! let fields = pubsearch_core::schema::Fields::from_schema(&index.schema()).unwrap();
//! assert_eq!(index.schema().get_field_name(fields.title), "title");
//! ```

pub mod analysis;
pub mod error;
pub mod model;
pub mod open;
pub mod schema;

pub use error::{CoreError, Result};
