//! Faceted, page-true search over the index, with no HTTP in it.
//!
//! Ranking, counts and facets are per publication. Every hit then carries its best-matching
//! pages, found by searching that publication's page documents with the query's words, each
//! with an HTML-escaped snippet whose matches are in `<mark>`.

use std::ops::Bound;
use std::path::Path;

use pubsearch_core::doc::{StoredFailure, StoredPage, StoredPublication};
use pubsearch_core::facet::{self, Dimension};
use pubsearch_core::model::{PageReport, PubType};
use pubsearch_core::schema::{Fields, kind};
use pubsearch_core::{CoreError, analysis, open};
use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DateTime, DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument,
    TantivyError, Term,
};

use crate::compile::{Compiler, Target};
use crate::parse::{self, Mode};

/// Largest `per_page`.
pub const MAX_PER_PAGE: usize = 100;
/// Deepest result reachable by paging.
pub const MAX_OFFSET: usize = 10_000;
/// Pages shown per hit.
pub const PAGES_PER_HIT: usize = 3;
/// Characters per snippet.
pub const SNIPPET_CHARS: usize = 220;

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query does not parse (strict mode).
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// A parameter is out of range or unknown.
    #[error("{0}")]
    InvalidParameter(String),
    /// Opening the index failed.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// Tantivy failed.
    #[error("search failed: {0}")]
    Tantivy(#[from] TantivyError),
}

/// Result ordering.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first.
    DateDesc,
    /// Oldest first.
    DateAsc,
}

impl std::str::FromStr for Sort {
    type Err = SearchError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "relevance" | "" => Ok(Sort::Relevance),
            "date_desc" => Ok(Sort::DateDesc),
            "date_asc" => Ok(Sort::DateAsc),
            other => Err(SearchError::InvalidParameter(format!(
                "sort must be relevance, date_desc or date_asc, not `{other}`"
            ))),
        }
    }
}

/// A search.
#[derive(Clone, Debug)]
pub struct SearchRequest {
    /// The query text.
    pub q: String,
    /// Types to keep (any of them).
    pub types: Vec<PubType>,
    /// Topics to keep (any of them).
    pub topics: Vec<String>,
    /// First year kept.
    pub year_from: Option<u64>,
    /// Last year kept.
    pub year_to: Option<u64>,
    /// Ordering.
    pub sort: Sort,
    /// 1-based page of results.
    pub page: usize,
    /// Results per page.
    pub per_page: usize,
    /// Strict or website.
    pub mode: Mode,
}

impl SearchRequest {
    /// A relevance-ordered first page of 10 for `q`, strict mode.
    pub fn new(q: impl Into<String>) -> Self {
        SearchRequest {
            q: q.into(),
            types: Vec::new(),
            topics: Vec::new(),
            year_from: None,
            year_to: None,
            sort: Sort::Relevance,
            page: 1,
            per_page: 10,
            mode: Mode::Strict,
        }
    }

    /// Checks the bounds; returns the offset of the first hit.
    pub fn validate(&self) -> Result<usize, SearchError> {
        if self.per_page == 0 || self.per_page > MAX_PER_PAGE {
            return Err(SearchError::InvalidParameter(format!(
                "per_page must be between 1 and {MAX_PER_PAGE}"
            )));
        }
        if self.page == 0 {
            return Err(SearchError::InvalidParameter("page starts at 1".into()));
        }
        let offset = (self.page - 1).saturating_mul(self.per_page);
        if offset > MAX_OFFSET {
            return Err(SearchError::InvalidParameter(format!(
                "page is too deep: only the first {MAX_OFFSET} results can be paged through; narrow the search"
            )));
        }
        if let (Some(a), Some(b)) = (self.year_from, self.year_to)
            && a > b
        {
            return Err(SearchError::InvalidParameter(format!(
                "year_from ({a}) is after year_to ({b})"
            )));
        }
        Ok(offset)
    }
}

/// One page of a hit.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PageHit {
    /// 1-based page number.
    pub page: u64,
    /// HTML-escaped text with matches in `<mark>`.
    pub snippet: String,
    /// Link that opens the PDF at this page.
    pub url: String,
}

/// One publication in the results.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Hit {
    /// Publication id.
    pub id: String,
    /// Title (plain text: escape it before showing it as HTML).
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Type.
    #[serde(rename = "type")]
    pub pub_type: String,
    /// Topics.
    pub topics: Vec<String>,
    /// Summary (plain text).
    pub summary: String,
    /// Relevance score (null when sorted by date).
    pub score: Option<f32>,
    /// Link to the PDF.
    pub file_url: String,
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
}

/// The answer to a search.
#[derive(Clone, Debug, Serialize)]
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
}

/// A publication's metadata and per-page extraction report.
#[derive(Clone, Debug, Serialize)]
pub struct PublicationDetail {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Date.
    pub date: Option<String>,
    /// Type.
    #[serde(rename = "type")]
    pub pub_type: String,
    /// Topics.
    pub topics: Vec<String>,
    /// Summary.
    pub summary: String,
    /// Authors.
    pub authors: Vec<String>,
    /// Language.
    pub language: String,
    /// Pages.
    pub page_count: u64,
    /// Link to the PDF.
    pub file_url: String,
    /// Per page: engine and status (`ok`, `no-text-layer`, `empty`, `failed`).
    pub pages: Vec<PageReport>,
}

/// Every matching page of one publication.
#[derive(Clone, Debug, Serialize)]
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
    /// Opstamp of the latest commit on disk.
    pub commit_opstamp: u64,
    /// Generation of the searcher answering queries; it grows each time a new commit is
    /// loaded.
    pub searcher_generation: u64,
    /// Segments searched.
    pub segments: usize,
}

/// The search service over one index.
pub struct SearchService {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

type Boxed = Box<dyn Query>;

fn term_query(term: Term) -> Boxed {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// A type filter that names no type is a bad parameter.
impl From<pubsearch_core::model::UnknownType> for SearchError {
    fn from(e: pubsearch_core::model::UnknownType) -> Self {
        SearchError::InvalidParameter(e.to_string())
    }
}

/// The link to a publication's PDF.
pub fn file_url(id: &str) -> String {
    format!("/files/{id}.pdf")
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dim {
    Type,
    Topic,
    Year,
}

impl SearchService {
    /// Opens the index in `dir` for reading; new commits are picked up automatically.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let index = open::open(dir)?;
        let fields = Fields::from_schema(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(SearchService {
            index,
            reader,
            fields,
        })
    }

    /// Reloads the reader now (new commits are also picked up by themselves, shortly after).
    pub fn reload(&self) -> Result<(), SearchError> {
        Ok(self.reader.reload()?)
    }

    /// The field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// A searcher on the latest loaded commit.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    fn facet_filter(&self, facets: impl IntoIterator<Item = Facet>) -> Option<Boxed> {
        let clauses: Vec<(Occur, Boxed)> = facets
            .into_iter()
            .map(|f| {
                (
                    Occur::Should,
                    term_query(Term::from_facet(self.fields.facets, &f)),
                )
            })
            .collect();
        if clauses.is_empty() {
            return None;
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    fn year_filter(&self, from: Option<u64>, to: Option<u64>) -> Option<Boxed> {
        if from.is_none() && to.is_none() {
            return None;
        }
        let bound = |y: Option<u64>| match y {
            Some(y) => Bound::Included(Term::from_field_u64(self.fields.year, y)),
            None => Bound::Unbounded,
        };
        Some(Box::new(RangeQuery::new(bound(from), bound(to))))
    }

    fn publication_query(
        &self,
        text: &Option<Boxed>,
        req: &SearchRequest,
        except: Option<Dim>,
    ) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Boxed)> = vec![(
            Occur::Must,
            term_query(Term::from_field_text(self.fields.kind, kind::PUBLICATION)),
        )];
        if let Some(t) = text {
            clauses.push((Occur::Must, t.box_clone()));
        }
        let filters = [
            (
                Dim::Type,
                self.facet_filter(req.types.iter().map(|&t| facet::of_type(t))),
            ),
            (
                Dim::Topic,
                self.facet_filter(req.topics.iter().map(|t| facet::of_topic(t))),
            ),
            (Dim::Year, self.year_filter(req.year_from, req.year_to)),
        ];
        for (dim, filter) in filters {
            if Some(dim) != except
                && let Some(f) = filter
            {
                clauses.push((Occur::Must, f));
            }
        }
        BooleanQuery::new(clauses)
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let started = std::time::Instant::now();
        let offset = req.validate()?;
        let node =
            parse::parse(&req.q, req.mode).map_err(|e| SearchError::InvalidQuery(e.message))?;
        let searcher = self.reader.searcher();
        let mut compiler = Compiler::new(&searcher, &self.fields);
        let text_query = match &node {
            Some(n) => compiler.compile(n, Target::Publications)?,
            None => None,
        };
        let main = self.publication_query(&text_query, req, None);
        let top = TopDocs::with_limit(req.per_page).and_offset(offset);
        let (docs, total): (Vec<(Option<f32>, DocAddress)>, usize) = match req.sort {
            Sort::Relevance => {
                let (hits, total) = searcher.search(&main, &(top.order_by_score(), Count))?;
                (hits.into_iter().map(|(s, a)| (Some(s), a)).collect(), total)
            }
            Sort::DateDesc | Sort::DateAsc => {
                let order = if req.sort == Sort::DateDesc {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let (hits, total) = searcher.search(
                    &main,
                    &(top.order_by_fast_field::<DateTime>("date", order), Count),
                )?;
                (hits.into_iter().map(|(_, a)| (None, a)).collect(), total)
            }
        };

        let facets = self.facets(&searcher, &text_query, req)?;
        let page_query = match &node {
            Some(n) => compiler.compile(n, Target::Pages)?,
            None => None,
        };
        let snippets = match &page_query {
            Some(q) => Some(analysis::snippet_generator(
                &searcher,
                q.as_ref(),
                self.fields.page_text,
                SNIPPET_CHARS,
            )?),
            None => None,
        };
        let mut hits = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let p = StoredPublication::from_doc(&doc, &self.fields)?.publication;
            let pages = match (&page_query, &snippets) {
                (Some(q), Some(g)) => {
                    self.best_pages(&searcher, q, g, &p.id, PAGES_PER_HIT, false)?
                }
                _ => Vec::new(),
            };
            hits.push(Hit {
                title: p.title,
                date: p.date.map(|d| d.to_string()),
                pub_type: p.pub_type.to_string(),
                topics: p.topics,
                summary: p.summary,
                score,
                file_url: file_url(&p.id),
                pages,
                id: p.id,
            });
        }
        Ok(SearchResponse {
            total,
            page: req.page,
            per_page: req.per_page,
            took_ms: started.elapsed().as_millis() as u64,
            hits,
            facets,
        })
    }

    fn facets(
        &self,
        searcher: &Searcher,
        text_query: &Option<Boxed>,
        req: &SearchRequest,
    ) -> Result<Facets, SearchError> {
        let active = |dim: Dim| match dim {
            Dim::Type => !req.types.is_empty(),
            Dim::Topic => !req.topics.is_empty(),
            Dim::Year => req.year_from.is_some() || req.year_to.is_some(),
        };
        let roots = [
            (Dim::Type, Dimension::Type.root()),
            (Dim::Topic, Dimension::Topic.root()),
            (Dim::Year, Dimension::Year.root()),
        ];
        let mut out = Facets::default();
        // Dimensions without a filter of their own share one pass over the main query.
        let shared: Vec<&(Dim, &str)> = roots.iter().filter(|(d, _)| !active(*d)).collect();
        // Each pass: the filter it leaves out, and the facet roots it counts.
        type Pass<'r> = (Option<Dim>, Vec<&'r (Dim, &'r str)>);
        let mut passes: Vec<Pass> = Vec::new();
        if !shared.is_empty() {
            passes.push((None, shared));
        }
        for r in roots.iter().filter(|(d, _)| active(*d)) {
            passes.push((Some(r.0), vec![r]));
        }
        for (except, dims) in passes {
            let query = self.publication_query(text_query, req, except);
            let mut collector = FacetCollector::for_field("facets");
            for (_, root) in &dims {
                collector.add_facet(*root);
            }
            let counts = searcher.search(&query, &collector)?;
            for (dim, root) in dims {
                let mut values: Vec<FacetCount> = counts
                    .get(*root)
                    .map(|(f, count)| FacetCount {
                        value: facet::value(f),
                        count,
                    })
                    .collect();
                match dim {
                    Dim::Year => values.sort_by(|a, b| b.value.cmp(&a.value)),
                    _ => values
                        .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value))),
                }
                match dim {
                    Dim::Type => out.pub_type = values,
                    Dim::Topic => out.topic = values,
                    Dim::Year => out.year = values,
                }
            }
        }
        Ok(out)
    }

    fn best_pages(
        &self,
        searcher: &Searcher,
        page_query: &Boxed,
        snippets: &SnippetGenerator,
        id: &str,
        limit: usize,
        in_page_order: bool,
    ) -> Result<Vec<PageHit>, SearchError> {
        let query = BooleanQuery::new(vec![
            (Occur::Must, page_query.box_clone()),
            (
                Occur::Must,
                term_query(Term::from_field_text(self.fields.id, id)),
            ),
        ]);
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut pages = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let stored = StoredPage::from_doc(&doc, &self.fields)?;
            let page = u64::from(stored.page);
            let mut snippet = snippets.snippet_from_doc(&doc);
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            let mut html = snippet.to_html();
            if html.trim().is_empty() {
                let cut: String = stored.text.chars().take(SNIPPET_CHARS).collect();
                html = html_escape(&cut);
            }
            pages.push(PageHit {
                page,
                snippet: html,
                url: format!("{}#page={page}", file_url(id)),
            });
        }
        if in_page_order {
            pages.sort_by_key(|p| p.page);
        }
        Ok(pages)
    }

    fn publication_doc(
        &self,
        searcher: &Searcher,
        id: &str,
    ) -> Result<Option<TantivyDocument>, SearchError> {
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                term_query(Term::from_field_text(self.fields.id, id)),
            ),
            (
                Occur::Must,
                term_query(Term::from_field_text(self.fields.kind, kind::PUBLICATION)),
            ),
        ]);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            Some((_, addr)) => Ok(Some(searcher.doc(*addr)?)),
            None => Ok(None),
        }
    }

    /// A publication's metadata, or `None` if there is no such id.
    pub fn publication(&self, id: &str) -> Result<Option<PublicationDetail>, SearchError> {
        let searcher = self.reader.searcher();
        let Some(doc) = self.publication_doc(&searcher, id)? else {
            return Ok(None);
        };
        let stored = StoredPublication::from_doc(&doc, &self.fields)?;
        let pages = stored.pages().unwrap_or_default();
        let p = stored.publication;
        Ok(Some(PublicationDetail {
            id: id.to_string(),
            title: p.title,
            date: p.date.map(|d| d.to_string()),
            pub_type: p.pub_type.to_string(),
            topics: p.topics,
            summary: p.summary,
            authors: p.authors,
            language: p.language,
            page_count: stored.page_count,
            file_url: file_url(id),
            pages,
        }))
    }

    /// The PDF's path relative to the corpus, or `None` if there is no such id.
    pub fn file_path(&self, id: &str) -> Result<Option<String>, SearchError> {
        let searcher = self.reader.searcher();
        match self.publication_doc(&searcher, id)? {
            Some(doc) => Ok(Some(StoredPublication::from_doc(&doc, &self.fields)?.path)),
            None => Ok(None),
        }
    }

    /// Every page of publication `id` that matches `q`, in page order.
    pub fn search_publication(
        &self,
        id: &str,
        q: &str,
        mode: Mode,
    ) -> Result<Option<PublicationSearch>, SearchError> {
        let node = parse::parse(q, mode).map_err(|e| SearchError::InvalidQuery(e.message))?;
        let searcher = self.reader.searcher();
        let Some(doc) = self.publication_doc(&searcher, id)? else {
            return Ok(None);
        };
        let stored = StoredPublication::from_doc(&doc, &self.fields)?;
        let title = stored.publication.title;
        let page_count = stored.page_count as usize;
        let mut compiler = Compiler::new(&searcher, &self.fields);
        let page_query = match &node {
            Some(n) => compiler.compile(n, Target::Pages)?,
            None => None,
        };
        let pages = match page_query {
            Some(q) => {
                let g = analysis::snippet_generator(
                    &searcher,
                    q.as_ref(),
                    self.fields.page_text,
                    SNIPPET_CHARS,
                )?;
                self.best_pages(&searcher, &q, &g, id, page_count, true)?
            }
            None => Vec::new(),
        };
        Ok(Some(PublicationSearch {
            id: id.to_string(),
            title,
            total: pages.len(),
            pages,
        }))
    }

    /// Counts and failures.
    pub fn stats(&self) -> Result<Stats, SearchError> {
        let searcher = self.reader.searcher();
        let count = |k: &str| {
            searcher.search(
                &TermQuery::new(
                    Term::from_field_text(self.fields.kind, k),
                    IndexRecordOption::Basic,
                ),
                &Count,
            )
        };
        let publications = count(kind::PUBLICATION)? as u64;
        let pages = count(kind::PAGE)? as u64;
        let failure_query = TermQuery::new(
            Term::from_field_text(self.fields.kind, kind::FAILURE),
            IndexRecordOption::Basic,
        );
        let mut failed = Vec::new();
        for (_, addr) in
            searcher.search(&failure_query, &TopDocs::with_limit(1000).order_by_score())?
        {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let stored = StoredFailure::from_doc(&doc, &self.fields)?;
            failed.push(FailedFile {
                path: stored.path,
                reason: stored.reason,
            });
        }
        failed.sort_by(|a, b| a.path.cmp(&b.path));
        let mut types_collector = FacetCollector::for_field("facets");
        types_collector.add_facet(Dimension::Type.root());
        let counts = searcher.search(
            &TermQuery::new(
                Term::from_field_text(self.fields.kind, kind::PUBLICATION),
                IndexRecordOption::Basic,
            ),
            &types_collector,
        )?;
        let types = counts
            .get(Dimension::Type.root())
            .map(|(f, n)| FacetCount {
                value: facet::value(f),
                count: n,
            })
            .collect();
        let commit_opstamp = self.index.load_metas().map(|m| m.opstamp).unwrap_or(0);
        Ok(Stats {
            publications,
            pages,
            types,
            failed,
            commit_opstamp,
            searcher_generation: searcher.generation().generation_id(),
            segments: searcher.segment_readers().len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_checked() {
        let mut r = SearchRequest::new("x");
        assert_eq!(r.validate().unwrap(), 0);
        r.per_page = 101;
        assert!(r.validate().is_err());
        r.per_page = 10;
        r.page = 0;
        assert!(r.validate().is_err());
        r.page = usize::MAX;
        assert!(r.validate().unwrap_err().to_string().contains("too deep"));
        r.page = 2;
        r.year_from = Some(2010);
        r.year_to = Some(2005);
        assert!(r.validate().is_err());
        r.year_to = None;
        let e = SearchError::from("pamphlet".parse::<PubType>().unwrap_err());
        assert!(matches!(&e, SearchError::InvalidParameter(m) if m.contains("pamphlet")));
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            html_escape("<b a=\"x\">&'"),
            "&lt;b a=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
