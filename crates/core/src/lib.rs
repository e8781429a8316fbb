//! Shared foundation of pubsearch: the tantivy schema and its field handles, the publication
//! model (metadata, per-page extraction status), the stored document (writing a publication,
//! its pages and failure records, and reading them back typed), the facet paths, the text
//! analyzer, and opening or creating an index with a version check.
//!
//! This crate depends on tantivy, serde, serde_json, time and thiserror only: no async runtime,
//! no HTTP, no PDF library. The indexer writes what it defines and the query crate reads it.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let index = pubsearch_core::open::open_or_create(dir.path()).unwrap();
//! let fields = pubsearch_core::schema::Fields::from_schema(&index.schema()).unwrap();
//! assert_eq!(index.schema().get_field_name(fields.title), "title");
//! ```

pub mod analysis;
pub mod doc;
pub mod error;
pub mod facet;
pub mod model;
mod names;
pub mod open;
pub mod schema;

pub use names::UnknownName;

pub use error::{CoreError, Result};
