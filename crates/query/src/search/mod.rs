//! Faceted, page-true search over the index, with no HTTP in it.
//!
//! Ranking, counts and facets are per publication. Every hit then carries its best-matching
//! pages, found by searching that publication's page documents with the query's words, each
//! with a [`Snippet`]: text and the byte ranges of the matches, for the caller to render.
//! Nothing here builds a link or markup.
//!
//! | module | what |
//! |---|---|
//! | [`request`] | the search asked for, its bounds |
//! | [`response`] | hits, pages, facets, a publication's details, statistics |
//! | [`snippet`] | text with highlighted ranges |
//! | `filters` | the publication query with its filters; facet counts |
//! | `pages` | a publication's best pages with snippets |
//! | `relax` | website mode: which words of a wordy query to require |
//! | `catalog` | publications by id; statistics |
//! | `correct` | did you mean: a strict query with its unknown words corrected |

mod catalog;
mod correct;
mod filters;
mod pages;
mod relax;
pub mod request;
pub mod response;
mod similar;
pub mod snippet;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use pubsearch_core::doc::StoredPublication;
use pubsearch_core::schema::{Fields, kind};
use pubsearch_core::{CoreError, open};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::{Directory, WatchCallback, WatchHandle};
use tantivy::index::SegmentId;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DateTime, DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument,
    TantivyError, Term,
};

pub use pages::SNIPPET_CHARS;
pub use relax::{ENOUGH, MAX_WORDS, Relaxation};
pub use request::{DateEnd, MAX_OFFSET, MAX_PER_PAGE, SearchRequest, Sort, date_bound};
pub use response::{
    FacetCount, Facets, FailedFile, Hit, PageHit, PublicationDetail, PublicationSearch,
    SearchResponse, Stats, UndatedPublication,
};
pub use similar::{DEFAULT_SIMILAR, MAX_SIMILAR};
pub use snippet::Snippet;

use crate::compile::{Compiler, Target};
use crate::parse::{self, Mode};

/// Pages shown per hit.
pub const PAGES_PER_HIT: usize = 3;

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

/// The search service over one index.
pub struct SearchService {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    loaded: Arc<Loaded>,
    // Reloads the reader on every commit while it lives.
    _watch: WatchHandle,
}

/// What the reader has loaded, so each new commit is logged once, however it was loaded
/// (by the commit watcher or by [`SearchService::reload`]).
struct Loaded {
    reader: IndexReader,
    segments: Mutex<BTreeMap<SegmentId, Option<u64>>>,
}

impl Loaded {
    /// Reloads the reader; when that loaded something new, logs it once and returns the
    /// number of publications now served.
    fn reload(&self, fields: &Fields) -> tantivy::Result<Option<usize>> {
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        let segments = searcher.generation().segments().clone();
        let mut last = self.segments.lock().unwrap_or_else(|e| e.into_inner());
        if *last == segments {
            return Ok(None);
        }
        *last = segments;
        drop(last);
        let publications = searcher.search(
            &term_query(Term::from_field_text(fields.kind, kind::PUBLICATION)),
            &Count,
        )?;
        let opstamp = searcher
            .index()
            .load_metas()
            .map(|m| m.opstamp)
            .unwrap_or(0);
        tracing::info!(
            commit_opstamp = opstamp,
            publications,
            "loaded a new index commit"
        );
        Ok(Some(publications))
    }
}

type Boxed = Box<dyn Query>;

fn term_query(term: Term) -> Boxed {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

impl SearchService {
    /// Opens the index in `dir` for reading; new commits are picked up automatically.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let index = open::open(dir)?;
        let fields = Fields::from_schema(&index.schema())?;
        // Tantivy's own on-commit policy reloads silently; this watcher does the same and
        // logs each commit it loads.
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let loaded = Arc::new(Loaded {
            segments: Mutex::new(reader.searcher().generation().segments().clone()),
            reader: reader.clone(),
        });
        let watcher = Arc::clone(&loaded);
        let _watch = index.directory().watch(WatchCallback::new(move || {
            if let Err(e) = watcher.reload(&fields) {
                tracing::error!("loading a new index commit failed: {e}");
            }
        }))?;
        Ok(SearchService {
            index,
            reader,
            fields,
            loaded,
            _watch,
        })
    }

    /// Reloads the reader now (new commits are also picked up by themselves, shortly after).
    /// Returns the number of publications served when this loaded a new commit (logged once),
    /// `None` when the newest commit was already loaded.
    pub fn reload(&self) -> Result<Option<usize>, SearchError> {
        Ok(self.loaded.reload(&self.fields)?)
    }

    /// The field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// A searcher on the latest loaded commit.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let started = std::time::Instant::now();
        let offset = req.validate()?;
        let node =
            parse::parse(&req.q, req.mode).map_err(|e| SearchError::InvalidQuery(e.message))?;
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let mut compiler = if req.languages.is_empty() {
            Compiler::new(&searcher, f)
        } else {
            Compiler::with_languages(&searcher, f, &req.languages)
        };
        let planned = match req.mode {
            Mode::Website => relax::plan(&searcher, f, &mut compiler, node, req)?,
            Mode::Strict => relax::Planned {
                query: match &node {
                    Some(n) => compiler.compile(n, Target::Publications)?,
                    None => None,
                },
                node,
                relaxation: Relaxation::default(),
            },
        };
        let text_query = planned.query;
        let node = planned.node;
        let main = filters::publication_query(f, &text_query, req, None);
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

        let facets = filters::facets(&searcher, f, &text_query, req)?;
        // A strict query that finds nothing says what the website mode would find, and what a
        // corrected spelling would.
        let zero_strict = total == 0 && req.mode == Mode::Strict && !req.q.trim().is_empty();
        let did_you_mean = if zero_strict {
            correct::did_you_mean(&searcher, f, &mut compiler, &req.q, req)?
        } else {
            None
        };
        let website_total = if zero_strict {
            let node = parse::parse(&req.q, Mode::Website)
                .map_err(|e| SearchError::InvalidQuery(e.message))?;
            let relaxed = relax::plan(&searcher, f, &mut compiler, node, req)?;
            let query = filters::publication_query(f, &relaxed.query, req, None);
            Some(searcher.search(&query, &Count)?)
        } else {
            None
        };
        let page_query = match &node {
            Some(n) => page_queries(&mut compiler, n, req.mode)?,
            None => None,
        };
        let snippets = match &page_query {
            Some(q) => Some(pages::highlighter(&searcher, f, q.any.as_ref())?),
            None => None,
        };
        let stats = pages::Statistics::new(&searcher);
        let mut hits = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            // A damaged stored document costs its own hit, not the whole answer; reindexing
            // with `--full` rewrites it.
            let p = match StoredPublication::from_doc(&doc, f) {
                Ok(stored) => stored.publication,
                Err(e) => {
                    tracing::warn!("skipping a hit: {e}; `pubsearch index --full` rewrites it");
                    continue;
                }
            };
            let pages = match (&page_query, &snippets) {
                (Some(q), Some(g)) => {
                    pages::best_pages(&searcher, &stats, f, q, g, &p.id, PAGES_PER_HIT, false)?
                }
                _ => Vec::new(),
            };
            hits.push(Hit {
                publication: p,
                score,
                pages,
            });
        }
        Ok(SearchResponse {
            total,
            page: req.page,
            per_page: req.per_page,
            took_ms: started.elapsed().as_millis() as u64,
            hits,
            facets,
            relaxation: planned.relaxation,
            website_total,
            did_you_mean,
        })
    }

    /// Every page of publication `id` with any of the words of `q`: those that satisfy the
    /// query first, best first, then those with only some of its words (marked partial); none
    /// with an excluded word. In page order instead when `in_page_order`.
    pub fn search_publication(
        &self,
        id: &str,
        q: &str,
        mode: Mode,
        in_page_order: bool,
    ) -> Result<Option<PublicationSearch>, SearchError> {
        let node = parse::parse(q, mode).map_err(|e| SearchError::InvalidQuery(e.message))?;
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let Some(doc) = self.publication_doc(&searcher, id)? else {
            return Ok(None);
        };
        let stored = StoredPublication::from_doc(&doc, f)?;
        let title = stored.publication.title;
        let page_count = stored.page_count as usize;
        let mut compiler = Compiler::new(&searcher, f);
        let page_query = match &node {
            Some(n) => page_queries(&mut compiler, n, mode)?,
            None => None,
        };
        let pages = match page_query {
            Some(q) => {
                let g = pages::highlighter(&searcher, f, q.any.as_ref())?;
                let stats = pages::Statistics::new(&searcher);
                pages::best_pages(&searcher, &stats, f, &q, &g, id, page_count, in_page_order)?
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
}

/// The page queries for `node`: its positive words, its logic on one page (for website mode,
/// without the stop words) and its exclusions. `None` when no word applies to pages.
fn page_queries(
    compiler: &mut Compiler,
    node: &parse::Node,
    mode: Mode,
) -> Result<Option<pages::PageQueries>, SearchError> {
    let required = match mode {
        Mode::Strict => node.clone(),
        Mode::Website => relax::required_on_page(node),
    };
    let Some(any) = compiler.compile(&required, Target::Pages)? else {
        return Ok(None);
    };
    // One word or phrase: every page with it satisfies the query, and a second tier of
    // partial pages would be a search that finds nothing.
    let (logic, excluded) = match &required {
        parse::Node::Word { .. } | parse::Node::Phrase { .. } | parse::Node::Near { .. } => {
            (None, None)
        }
        _ => compiler.page_logic(&required)?,
    };
    let proximity = compiler.page_proximity(&required);
    Ok(Some(pages::PageQueries {
        any,
        logic,
        excluded,
        proximity,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pubsearch_core::doc::put_publication;
    use pubsearch_core::model::{FileStamp, FileState, PubType, Publication};

    fn add(index: &Index, id: &str) {
        let f = Fields::from_schema(&index.schema()).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        let p = Publication {
            id: id.into(),
            title: id.into(),
            date: None,
            pub_type: PubType::Report,
            topics: vec![],
            summary: String::new(),
            authors: vec![],
            languages: vec![pubsearch_core::analysis::Lang::En],
            language_detected: false,
        };
        let state = FileState {
            pdf: FileStamp {
                size: 1,
                mtime_ns: 0,
                hash: id.into(),
            },
            sidecar: None,
        };
        put_publication(&writer, &f, &format!("{id}.pdf"), &p, &[], &state).unwrap();
        pubsearch_core::schema::commit(&mut writer).unwrap();
    }

    #[test]
    fn a_new_commit_is_reported_once_however_often_it_is_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let index = open::open_or_create(dir.path()).unwrap();
        add(&index, "a");
        let f = Fields::from_schema(&index.schema()).unwrap();
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .unwrap();
        let loaded = Loaded {
            segments: Mutex::new(reader.searcher().generation().segments().clone()),
            reader,
        };
        assert_eq!(loaded.reload(&f).unwrap(), None, "nothing new");
        add(&index, "b");
        assert_eq!(loaded.reload(&f).unwrap(), Some(2));
        assert_eq!(loaded.reload(&f).unwrap(), None, "already loaded");
        add(&index, "c");
        assert_eq!(loaded.reload(&f).unwrap(), Some(3));
    }
}
