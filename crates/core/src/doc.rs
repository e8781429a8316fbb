//! The stored document: the one place that turns a publication, its pages and failure records
//! into tantivy documents, and reads them back typed.
//!
//! The indexer writes through [`put_publication`], [`put_failure`] and [`remove`]; everything
//! that reads the index (search, the indexer's plan, tests) reads through
//! [`StoredPublication`], [`StoredPage`] and [`StoredFailure`], or [`Stored`] when the kind is
//! not known in advance. See [`crate::schema`] for the fields and [`crate::facet`] for the facet
//! paths.

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DateTime, IndexWriter, Searcher, TantivyDocument, Term};

use crate::analysis::Lang;
use crate::analysis::tag::{tagged, untag, untagged};
use crate::error::{CoreError, Result};
use crate::facet;
use crate::model::{FileState, PageReport, PageText, PubType, Publication, ScannedPages};
use crate::schema::{Fields, kind};

/// The term that names every document of the PDF at `rel` (its publication, pages and
/// failure record).
pub fn path_term(f: &Fields, rel: &str) -> Term {
    Term::from_field_text(f.path, rel)
}

/// The publication document of the PDF at `rel`, followed by one document per page.
pub fn publication_docs(
    f: &Fields,
    rel: &str,
    publication: &Publication,
    pages: &[PageText],
    state: &FileState,
) -> Vec<TantivyDocument> {
    let mut docs = Vec::with_capacity(pages.len() + 1);
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, kind::PUBLICATION);
    doc.add_text(f.path, rel);
    doc.add_text(f.id, &publication.id);
    // Full-text values carry the publication's language tag (none for English), so the
    // field analyzer reads them in their language; readers below take it off.
    let langs = languages_of(publication);
    let tag = |text: &str| tagged(&langs, text);
    doc.add_text(f.title, tag(&publication.title));
    doc.add_text(f.summary, tag(&publication.summary));
    for topic in &publication.topics {
        doc.add_text(f.topics, tag(topic));
    }
    for author in &publication.authors {
        doc.add_text(f.authors, tag(author));
    }
    doc.add_text(f.pub_type, publication.pub_type.as_str());
    for lang in &langs {
        doc.add_text(f.language, lang.as_str());
    }
    doc.add_u64(
        f.language_detected,
        u64::from(publication.language_detected),
    );
    if let Some(date) = publication.date {
        doc.add_date(f.date, DateTime::from_utc(date.midnight().assume_utc()));
    }
    if let Some(year) = facet::year_of(publication) {
        doc.add_u64(f.year, year);
    }
    for path in facet::of_publication(publication) {
        doc.add_facet(f.facets, path);
    }
    // One value per page: values are indexed `analysis::languages::VALUE_GAP` positions apart, so a phrase or a
    // proximity match in the whole text never spans a page break.
    for p in pages {
        doc.add_text(f.text, tag(&p.text));
    }
    doc.add_u64(f.page_count, pages.len() as u64);
    let reports: Vec<&PageReport> = pages.iter().map(|p| &p.report).collect();
    doc.add_text(
        f.pages_json,
        serde_json::to_string(&reports).unwrap_or_default(),
    );
    doc.add_text(
        f.state_json,
        serde_json::to_string(state).unwrap_or_default(),
    );
    docs.push(doc);
    for p in pages {
        let mut page = TantivyDocument::default();
        page.add_text(f.kind, kind::PAGE);
        page.add_text(f.path, rel);
        page.add_text(f.id, &publication.id);
        page.add_u64(f.page, p.report.page as u64);
        page.add_text(f.page_text, tag(&p.text));
        docs.push(page);
    }
    docs
}

/// The record of a failed attempt at the PDF at `rel`.
pub fn failure_doc(f: &Fields, rel: &str, state: &FileState, reason: &str) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, kind::FAILURE);
    doc.add_text(f.path, rel);
    doc.add_text(f.fail_path, rel);
    doc.add_text(f.fail_reason, reason);
    doc.add_text(
        f.state_json,
        serde_json::to_string(state).unwrap_or_default(),
    );
    doc
}

/// Replaces whatever the index holds for the PDF at `rel` by this publication and its pages
/// (visible at the next commit).
pub fn put_publication(
    writer: &IndexWriter,
    f: &Fields,
    rel: &str,
    publication: &Publication,
    pages: &[PageText],
    state: &FileState,
) -> tantivy::Result<()> {
    writer.delete_term(path_term(f, rel));
    for doc in publication_docs(f, rel, publication, pages, state) {
        writer.add_document(doc)?;
    }
    Ok(())
}

/// Replaces the failure record of the PDF at `rel`, leaving an indexed version in place.
pub fn put_failure(
    writer: &IndexWriter,
    f: &Fields,
    rel: &str,
    state: &FileState,
    reason: &str,
) -> tantivy::Result<()> {
    writer.delete_term(Term::from_field_text(f.fail_path, rel));
    writer.add_document(failure_doc(f, rel, state, reason))?;
    Ok(())
}

/// Removes every document of the PDF at `rel`.
pub fn remove(writer: &IndexWriter, f: &Fields, rel: &str) {
    writer.delete_term(path_term(f, rel));
}

/// The languages a publication is indexed in: its own, else English.
pub fn languages_of(publication: &Publication) -> Vec<Lang> {
    if publication.languages.is_empty() {
        vec![Lang::En]
    } else {
        publication.languages.clone()
    }
}

/// The languages the index's publications are in, English first when it has English (so that
/// it reads queries first), then in [`Lang::ALL`] order. Read from the term dictionary of the
/// `language` field, which holds a handful of terms. English when the index is empty.
pub fn index_languages(searcher: &Searcher, f: &Fields) -> Vec<Lang> {
    let mut found = [false; Lang::ALL.len()];
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(f.language) else {
            continue;
        };
        let Ok(mut terms) = inverted.terms().stream() else {
            continue;
        };
        while terms.advance() {
            if let Some(lang) = std::str::from_utf8(terms.key())
                .ok()
                .and_then(Lang::from_code)
                && let Some(i) = Lang::ALL.iter().position(|&l| l == lang)
            {
                found[i] = true;
            }
        }
    }
    let langs: Vec<Lang> = Lang::ALL
        .into_iter()
        .zip(found)
        .filter_map(|(l, f)| f.then_some(l))
        .collect();
    if langs.is_empty() {
        vec![Lang::En]
    } else {
        langs
    }
}

/// The stored languages of a publication document; English when none is stored.
fn stored_languages(doc: &TantivyDocument, f: &Fields) -> Vec<Lang> {
    let langs: Vec<Lang> = doc
        .get_all(f.language)
        .filter_map(|v| v.as_str().and_then(Lang::from_code))
        .collect();
    if langs.is_empty() {
        vec![Lang::En]
    } else {
        langs
    }
}

fn first_str(doc: &TantivyDocument, field: Field) -> Option<&str> {
    doc.get_first(field).and_then(|v| v.as_str())
}

fn all_str(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn required(doc: &TantivyDocument, field: Field, name: &'static str) -> Result<String> {
    first_str(doc, field)
        .map(str::to_string)
        .ok_or(CoreError::MissingField(name))
}

fn expect_kind(doc: &TantivyDocument, f: &Fields, expected: &str) -> Result<()> {
    match first_str(doc, f.kind) {
        Some(k) if k == expected => Ok(()),
        Some(k) => Err(CoreError::BadField {
            field: "kind",
            message: format!("`{k}` where `{expected}` was expected"),
        }),
        None => Err(CoreError::MissingField("kind")),
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(json: Option<&str>, name: &'static str) -> Result<T> {
    let json = json.ok_or(CoreError::MissingField(name))?;
    serde_json::from_str(json).map_err(|e| CoreError::BadField {
        field: name,
        message: e.to_string(),
    })
}

/// A publication as the index stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPublication {
    /// Path of the PDF relative to the corpus.
    pub path: String,
    /// Its metadata, typed.
    pub publication: Publication,
    /// Number of pages.
    pub page_count: u64,
    // The two JSON fields are parsed on demand: a search hit needs neither.
    pages_json: Option<String>,
    state_json: Option<String>,
}

impl StoredPublication {
    /// Reads a publication document. Fails if it is not one, or lacks its path, id or a valid
    /// type; text fields that are absent read as empty, the language as `en`.
    pub fn from_doc(doc: &TantivyDocument, f: &Fields) -> Result<StoredPublication> {
        expect_kind(doc, f, kind::PUBLICATION)?;
        let pub_type: PubType = required(doc, f.pub_type, "type")?.parse().map_err(
            |e: crate::names::UnknownName| CoreError::BadField {
                field: "type",
                message: e.to_string(),
            },
        )?;
        let text = |field| untagged(first_str(doc, field).unwrap_or("")).to_string();
        let all_text = |field| {
            all_str(doc, field)
                .into_iter()
                .map(|t| untagged(&t).to_string())
                .collect()
        };
        Ok(StoredPublication {
            path: required(doc, f.path, "path")?,
            publication: Publication {
                id: required(doc, f.id, "id")?,
                title: text(f.title),
                date: doc
                    .get_first(f.date)
                    .and_then(|v| v.as_datetime())
                    .map(|d| d.into_utc().date()),
                pub_type,
                topics: all_text(f.topics),
                summary: text(f.summary),
                authors: all_text(f.authors),
                languages: stored_languages(doc, f),
                language_detected: doc.get_first(f.language_detected).and_then(|v| v.as_u64())
                    == Some(1),
            },
            page_count: doc
                .get_first(f.page_count)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            pages_json: first_str(doc, f.pages_json).map(str::to_string),
            state_json: first_str(doc, f.state_json).map(str::to_string),
        })
    }

    /// The per-page extraction reports, in page order.
    pub fn pages(&self) -> Result<Vec<PageReport>> {
        parse_json(self.pages_json.as_deref(), "pages_json")
    }

    /// The file state the indexer recorded.
    pub fn state(&self) -> Result<FileState> {
        parse_json(self.state_json.as_deref(), "state_json")
    }
}

/// One page as the index stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPage {
    /// Path of the PDF relative to the corpus.
    pub path: String,
    /// Id of its publication.
    pub id: String,
    /// 1-based page number.
    pub page: u32,
    /// The page's text.
    pub text: String,
    /// The languages its text is analysed in; empty for English.
    pub languages: Vec<Lang>,
}

impl StoredPage {
    /// Reads a page document.
    pub fn from_doc(doc: &TantivyDocument, f: &Fields) -> Result<StoredPage> {
        expect_kind(doc, f, kind::PAGE)?;
        let page = doc
            .get_first(f.page)
            .and_then(|v| v.as_u64())
            .ok_or(CoreError::MissingField("page"))?;
        Ok(StoredPage {
            path: required(doc, f.path, "path")?,
            id: required(doc, f.id, "id")?,
            page: u32::try_from(page).map_err(|_| CoreError::BadField {
                field: "page",
                message: format!("{page} is not a page number"),
            })?,
            text: untagged(first_str(doc, f.page_text).unwrap_or("")).to_string(),
            languages: untag(first_str(doc, f.page_text).unwrap_or("")).0,
        })
    }
}

/// A failure record as the index stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFailure {
    /// Path of the PDF relative to the corpus.
    pub path: String,
    /// Why it failed.
    pub reason: String,
    state_json: Option<String>,
}

impl StoredFailure {
    /// Reads a failure document.
    pub fn from_doc(doc: &TantivyDocument, f: &Fields) -> Result<StoredFailure> {
        expect_kind(doc, f, kind::FAILURE)?;
        Ok(StoredFailure {
            path: required(doc, f.path, "path")?,
            reason: first_str(doc, f.fail_reason).unwrap_or("").to_string(),
            state_json: first_str(doc, f.state_json).map(str::to_string),
        })
    }

    /// The file state of the failed attempt.
    pub fn state(&self) -> Result<FileState> {
        parse_json(self.state_json.as_deref(), "state_json")
    }
}

/// Any stored document, by its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// A publication.
    Publication(StoredPublication),
    /// A page.
    Page(StoredPage),
    /// A failure record.
    Failure(StoredFailure),
}

impl Stored {
    /// Reads a document of any kind.
    pub fn from_doc(doc: &TantivyDocument, f: &Fields) -> Result<Stored> {
        match first_str(doc, f.kind) {
            Some(kind::PUBLICATION) => StoredPublication::from_doc(doc, f).map(Stored::Publication),
            Some(kind::PAGE) => StoredPage::from_doc(doc, f).map(Stored::Page),
            Some(kind::FAILURE) => StoredFailure::from_doc(doc, f).map(Stored::Failure),
            Some(other) => Err(CoreError::BadField {
                field: "kind",
                message: format!("unknown kind `{other}`"),
            }),
            None => Err(CoreError::MissingField("kind")),
        }
    }
}

/// Every stored document of kind `k` ([`kind`]).
pub fn all_of_kind(
    searcher: &Searcher,
    f: &Fields,
    k: &str,
) -> tantivy::Result<Vec<TantivyDocument>> {
    let query = TermQuery::new(Term::from_field_text(f.kind, k), IndexRecordOption::Basic);
    let addrs = searcher.search(&query, &DocSetCollector)?;
    addrs.into_iter().map(|a| searcher.doc(a)).collect()
}

/// An indexed file with scanned pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScannedFile {
    /// Path of the PDF relative to the corpus.
    pub path: String,
    /// Id of its publication.
    pub id: String,
    /// Its scanned pages.
    #[serde(flatten)]
    pub pages: ScannedPages,
}

/// Every indexed publication with scanned pages (recognised by OCR or still without text), in
/// path order. Publications whose page reports do not read back are left out.
pub fn scanned_files(searcher: &Searcher, f: &Fields) -> tantivy::Result<Vec<ScannedFile>> {
    let mut out = Vec::new();
    for d in all_of_kind(searcher, f, kind::PUBLICATION)? {
        let Ok(stored) = StoredPublication::from_doc(&d, f) else {
            continue;
        };
        let Ok(reports) = stored.pages() else {
            continue;
        };
        if let Some(pages) = ScannedPages::of(&reports) {
            out.push(ScannedFile {
                path: stored.path,
                id: stored.publication.id,
                pages,
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

#[cfg(test)]
mod tests;
