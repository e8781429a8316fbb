//! Reading the stored fields of an index document.

use pubsearch_core::schema::Fields;
use tantivy::TantivyDocument;
use tantivy::schema::{Field, Value};

/// The publication date as `YYYY-MM-DD`.
pub(super) fn date_string(doc: &TantivyDocument, f: &Fields) -> Option<String> {
    doc.get_first(f.date)
        .and_then(|v| v.as_datetime())
        .map(|d| d.into_utc().date().to_string())
}

/// The first value of a text field, or `""`.
pub(super) fn text(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string()
}

/// Every value of a text field.
pub(super) fn all_text(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The first value of a number field, or 0.
pub(super) fn number(doc: &TantivyDocument, field: Field) -> u64 {
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
}
