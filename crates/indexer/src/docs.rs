//! Turning a publication into tantivy documents, and reading back what the index holds.

use std::collections::BTreeMap;

use pubsearch_core::model::{FileState, PageReport, Publication};
use pubsearch_core::schema::{Fields, kind};
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::{DateTime, Searcher, TantivyDocument, Term};

use crate::plan::Known;

/// One page ready for the index.
#[derive(Clone, Debug)]
pub struct PageDoc {
    /// The page's text.
    pub text: String,
    /// Its extraction report.
    pub report: PageReport,
}

/// Builds the publication document and one document per page.
pub fn publication_docs(
    f: &Fields,
    rel: &str,
    publication: &Publication,
    pages: &[PageDoc],
    state: &FileState,
) -> Vec<TantivyDocument> {
    let mut docs = Vec::with_capacity(pages.len() + 1);
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, kind::PUBLICATION);
    doc.add_text(f.path, rel);
    doc.add_text(f.id, &publication.id);
    doc.add_text(f.title, &publication.title);
    doc.add_text(f.summary, &publication.summary);
    for topic in &publication.topics {
        doc.add_text(f.topics, topic);
        doc.add_facet(f.facets, Facet::from_path(["topic", topic.as_str()]));
    }
    for author in &publication.authors {
        doc.add_text(f.authors, author);
    }
    doc.add_text(f.pub_type, publication.pub_type.as_str());
    doc.add_facet(
        f.facets,
        Facet::from_path(["type", publication.pub_type.as_str()]),
    );
    doc.add_text(f.language, &publication.language);
    if let Some(date) = publication.date {
        let odt = date.midnight().assume_utc();
        doc.add_date(f.date, DateTime::from_utc(odt));
        let year = date.year().max(0) as u64;
        doc.add_u64(f.year, year);
        doc.add_facet(
            f.facets,
            Facet::from_path(["year", year.to_string().as_str()]),
        );
    }
    let mut whole = String::new();
    for p in pages {
        whole.push_str(&p.text);
        whole.push('\n');
    }
    doc.add_text(f.text, &whole);
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
        page.add_text(f.page_text, &p.text);
        docs.push(page);
    }
    docs
}

/// Builds the record of a failed attempt.
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

fn all_of_kind(searcher: &Searcher, f: &Fields, k: &str) -> tantivy::Result<Vec<TantivyDocument>> {
    let query = TermQuery::new(Term::from_field_text(f.kind, k), IndexRecordOption::Basic);
    let addrs = searcher.search(&query, &DocSetCollector)?;
    addrs.into_iter().map(|a| searcher.doc(a)).collect()
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<&str> {
    doc.get_first(field).and_then(|v| v.as_str())
}

/// What the index knows of each path, plus the id each indexed path uses.
pub fn load_known(
    searcher: &Searcher,
    f: &Fields,
) -> tantivy::Result<(BTreeMap<String, Known>, BTreeMap<String, String>)> {
    let mut known: BTreeMap<String, Known> = BTreeMap::new();
    let mut ids = BTreeMap::new();
    for doc in all_of_kind(searcher, f, kind::PUBLICATION)? {
        let (Some(path), Some(state)) = (text(&doc, f.path), text(&doc, f.state_json)) else {
            continue;
        };
        let Ok(state) = serde_json::from_str::<FileState>(state) else {
            continue;
        };
        if let Some(id) = text(&doc, f.id) {
            ids.insert(id.to_string(), path.to_string());
        }
        known
            .entry(path.to_string())
            .or_insert(Known {
                indexed: None,
                failed: None,
            })
            .indexed = Some(state);
    }
    for doc in all_of_kind(searcher, f, kind::FAILURE)? {
        let (Some(path), Some(state)) = (text(&doc, f.path), text(&doc, f.state_json)) else {
            continue;
        };
        let Ok(state) = serde_json::from_str::<FileState>(state) else {
            continue;
        };
        let reason = text(&doc, f.fail_reason).unwrap_or("").to_string();
        known
            .entry(path.to_string())
            .or_insert(Known {
                indexed: None,
                failed: None,
            })
            .failed = Some((state, reason));
    }
    Ok((known, ids))
}

/// The stored pages of an indexed file, for a metadata-only refresh.
pub fn load_pages(
    searcher: &Searcher,
    f: &Fields,
    rel: &str,
) -> tantivy::Result<Option<Vec<PageDoc>>> {
    let query = TermQuery::new(Term::from_field_text(f.path, rel), IndexRecordOption::Basic);
    let mut reports: Option<Vec<PageReport>> = None;
    let mut texts: BTreeMap<u64, String> = BTreeMap::new();
    for addr in searcher.search(&query, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        match text(&doc, f.kind) {
            Some(kind::PUBLICATION) => {
                reports = text(&doc, f.pages_json).and_then(|j| serde_json::from_str(j).ok());
            }
            Some(kind::PAGE) => {
                let page = doc.get_first(f.page).and_then(|v| v.as_u64()).unwrap_or(0);
                texts.insert(page, text(&doc, f.page_text).unwrap_or("").to_string());
            }
            _ => {}
        }
    }
    let Some(reports) = reports else {
        return Ok(None);
    };
    if reports.len() != texts.len() {
        return Ok(None);
    }
    Ok(Some(
        reports
            .into_iter()
            .map(|report| PageDoc {
                text: texts.remove(&(report.page as u64)).unwrap_or_default(),
                report,
            })
            .collect(),
    ))
}
