//! The pubsearch query side: a query language ([`parse`]), its translation into tantivy
//! queries ([`compile`]), faceted page-true search with snippets ([`search`]), and the HTTP
//! API on top ([`http`]).
//!
//! [`cite`] renders a publication's metadata as a citation: CSL-JSON, BibTeX, RIS, or a
//! reference for people to copy.
//!
//! [`search`] knows nothing of HTTP; [`http`] calls it and never the other way round.

pub mod cite;
pub mod compile;
pub mod http;
pub mod parse;
pub mod search;
pub mod suggest;

pub use parse::Mode;
pub use search::{SearchError, SearchRequest, SearchResponse, SearchService, Sort};
