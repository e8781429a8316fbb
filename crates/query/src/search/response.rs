//! What searches answer: hits with their best pages, facet counts, a publication's details,
//! index statistics. Plain data: no links and no markup (the HTTP layer adds both).

use pubsearch_core::doc::ScannedFile;
use pubsearch_core::model::{PageReport, Publication};
use serde::Serialize;

use super::relax::Relaxation;
use super::snippet::Snippet;

/// One page of a hit.
#[derive(Clone, Debug, PartialEq)]
pub struct PageHit {
    /// 1-based page number.
    pub page: u64,
    /// Text around the matches, with the matches' ranges.
    pub snippet: Snippet,
    /// The page has only some of the query's words (it does not satisfy the query alone).
    pub partial: bool,
}

/// One publication in the results.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The publication's metadata, as stored (title and summary are plain text).
    pub publication: Publication,
    /// Relevance score (`None` when sorted by date).
    pub score: Option<f32>,
    /// Best-matching pages.
    pub pages: Vec<PageHit>,
}

/// A facet value and how many publications have it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FacetCount {
    /// The value.
    pub value: String,
    /// Publications with it.
    pub count: u64,
}

/// Facet counts; each follows every active filter except its own.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, Default)]
pub struct Facets {
    /// By type.
    #[serde(rename = "type")]
    pub pub_type: Vec<FacetCount>,
    /// By topic.
    pub topic: Vec<FacetCount>,
    /// By year, newest first.
    pub year: Vec<FacetCount>,
    /// By language (ISO 639-1 codes).
    pub language: Vec<FacetCount>,
}

/// The answer to a search.
#[derive(Clone, Debug)]
pub struct SearchResponse {
    /// Matching publications.
    pub total: usize,
    /// This page of results.
    pub page: usize,
    /// Results per page.
    pub per_page: usize,
    /// Time spent, in milliseconds.
    pub took_ms: u64,
    /// The hits.
    pub hits: Vec<Hit>,
    /// Facet counts.
    pub facets: Facets,
    /// Website mode: the words not required, or left out of a long query.
    pub relaxation: Relaxation,
    /// A strict search that found nothing: what the same words find in website mode.
    pub website_total: Option<usize>,
    /// A strict search that found nothing: the query with the words the library lacks
    /// replaced by its closest words, when that finds something.
    pub did_you_mean: Option<String>,
}

/// A publication's metadata and per-page extraction report.
#[derive(Clone, Debug)]
pub struct PublicationDetail {
    /// The publication's metadata, as stored.
    pub publication: Publication,
    /// Pages.
    pub page_count: u64,
    /// Per page: engine and status (`ok`, `no-text-layer`, `empty`, `failed`).
    pub pages: Vec<PageReport>,
}

/// Every matching page of one publication.
#[derive(Clone, Debug)]
pub struct PublicationSearch {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Matching pages.
    pub total: usize,
    /// Matching pages in page order.
    pub pages: Vec<PageHit>,
}

/// A failed file as recorded by the indexer.
#[derive(Clone, Debug, Serialize)]
pub struct FailedFile {
    /// Path relative to the corpus.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// A publication without a date (its PDF has no sidecar and says nothing plausible about
/// when it was published): a sidecar with a `date` would place it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UndatedPublication {
    /// Its id.
    pub id: String,
    /// Path of the PDF relative to the corpus.
    pub path: String,
    /// Its title.
    pub title: String,
}

/// Index statistics.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// Publications.
    pub publications: u64,
    /// Pages.
    pub pages: u64,
    /// Publications per type.
    pub types: Vec<FacetCount>,
    /// Files the indexer could not read.
    pub failed: Vec<FailedFile>,
    /// Files with scanned pages: which pages OCR recognised and which still have no text.
    pub scanned: Vec<ScannedFile>,
    /// Publications without a date, by path.
    pub undated: Vec<UndatedPublication>,
    /// Opstamp of the latest commit on disk.
    pub commit_opstamp: u64,
    /// Generation of the searcher answering queries; it grows each time a new commit is
    /// loaded.
    pub searcher_generation: u64,
    /// Segments searched.
    pub segments: usize,
}
