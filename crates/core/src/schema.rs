//! The index schema and typed handles to its fields.
//!
//! One index holds three kinds of document, told apart by the `kind` field:
//! - `pub`: one per publication: metadata, the whole text (indexed, not stored) and the
//!   file state the indexer uses to decide what changed;
//! - `page`: one per page: the page text (indexed and stored, for snippets) and its number;
//! - `fail`: the last failed attempt at a file, so an unchanged broken file is not re-read.
//!
//! Every document carries `path` (the PDF's path relative to the corpus), so deleting that
//! term removes a publication with all its pages.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, STORED,
    STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::TEXT_ANALYZER;
use crate::error::{CoreError, Result};

/// Bumped whenever the schema or the meaning of a field changes; a mismatch asks for `--full`.
pub const SCHEMA_VERSION: u32 = 4;

/// The commit payload written with every commit, checked on open.
pub fn commit_payload() -> String {
    format!("pubsearch-schema={SCHEMA_VERSION}")
}

/// Commits what `writer` holds, with the [`commit_payload`]: the one way anything commits to a
/// pubsearch index, so every commit can be opened.
pub fn commit(writer: &mut tantivy::IndexWriter) -> tantivy::Result<tantivy::Opstamp> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&commit_payload());
    prepared.commit()
}

/// Values of the `kind` field.
pub mod kind {
    /// A publication.
    pub const PUBLICATION: &str = "pub";
    /// One page of a publication.
    pub const PAGE: &str = "page";
    /// A recorded extraction failure.
    pub const FAILURE: &str = "fail";
}

/// Handles to every field of the schema.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Document kind, see [`kind`].
    pub kind: Field,
    /// Path of the PDF relative to the corpus root, `/`-separated (all kinds).
    pub path: Field,
    /// Publication id (publications and pages).
    pub id: Field,
    /// Title (publications).
    pub title: Field,
    /// Summary (publications).
    pub summary: Field,
    /// Topics as searchable text (publications, multi-valued).
    pub topics: Field,
    /// Authors (publications, multi-valued).
    pub authors: Field,
    /// Type as a plain string: report, newsletter, ... (publications).
    pub pub_type: Field,
    /// Language codes, the main one first (publications, multi-valued).
    pub language: Field,
    /// 1 when the language was detected from the text, not given (publications).
    pub language_detected: Field,
    /// Publication date (publications).
    pub date: Field,
    /// Publication year (publications), for range filters.
    pub year: Field,
    /// Facet paths `/type/<t>`, `/topic/<t>`, `/year/<y>` (publications).
    pub facets: Field,
    /// The whole text of the publication (indexed only).
    pub text: Field,
    /// Number of pages (publications).
    pub page_count: Field,
    /// Per-page extraction report as JSON (publications).
    pub pages_json: Field,
    /// File state as JSON: sizes, modification times, hashes (publications and failures).
    pub state_json: Field,
    /// Page number, 1-based (pages).
    pub page: Field,
    /// The text of one page (pages), stored for snippets.
    pub page_text: Field,
    /// Path of a failed file (failures only), so a failure record can be replaced alone.
    pub fail_path: Field,
    /// Why the file failed (failures).
    pub fail_reason: Field,
}

fn text_options(stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(TEXT_ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// Builds the schema and returns it with its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stored_u64 = NumericOptions::default().set_stored();
    let fields = Fields {
        kind: b.add_text_field("kind", STRING | STORED),
        path: b.add_text_field("path", STRING | STORED),
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text_options(true)),
        summary: b.add_text_field("summary", text_options(true)),
        topics: b.add_text_field("topics", text_options(true)),
        authors: b.add_text_field("authors", text_options(true)),
        pub_type: b.add_text_field("type", STRING | STORED),
        language: b.add_text_field("language", STRING | STORED),
        language_detected: b.add_u64_field("language_detected", stored_u64.clone()),
        date: b.add_date_field(
            "date",
            DateOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
        year: b.add_u64_field(
            "year",
            NumericOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast(),
        ),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        text: b.add_text_field("text", text_options(false)),
        page_count: b.add_u64_field("page_count", stored_u64.clone()),
        pages_json: b.add_text_field("pages_json", STORED),
        state_json: b.add_text_field("state_json", STORED),
        page: b.add_u64_field(
            "page",
            NumericOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast(),
        ),
        page_text: b.add_text_field("page_text", text_options(true)),
        fail_path: b.add_text_field("fail_path", STRING | STORED),
        fail_reason: b.add_text_field("fail_reason", STORED),
    };
    (b.build(), fields)
}

impl Fields {
    /// Looks the fields up by name in an opened index's schema; fails if one is missing.
    pub fn from_schema(schema: &Schema) -> Result<Fields> {
        let get = |name: &'static str| {
            schema
                .get_field(name)
                .map_err(|_| CoreError::MissingField(name))
        };
        Ok(Fields {
            kind: get("kind")?,
            path: get("path")?,
            id: get("id")?,
            title: get("title")?,
            summary: get("summary")?,
            topics: get("topics")?,
            authors: get("authors")?,
            pub_type: get("type")?,
            language: get("language")?,
            language_detected: get("language_detected")?,
            date: get("date")?,
            year: get("year")?,
            facets: get("facets")?,
            text: get("text")?,
            page_count: get("page_count")?,
            pages_json: get("pages_json")?,
            state_json: get("state_json")?,
            page: get("page")?,
            page_text: get("page_text")?,
            fail_path: get("fail_path")?,
            fail_reason: get("fail_reason")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_schema_finds_every_field_it_built() {
        let (schema, built) = build();
        let found = Fields::from_schema(&schema).unwrap();
        assert_eq!(format!("{built:?}"), format!("{found:?}"));
    }

    #[test]
    fn from_schema_rejects_a_foreign_schema() {
        let mut b = Schema::builder();
        b.add_text_field("title", STRING);
        let err = Fields::from_schema(&b.build()).unwrap_err();
        assert!(matches!(err, CoreError::MissingField("kind")), "{err}");
    }
}
