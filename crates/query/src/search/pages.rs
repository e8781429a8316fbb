//! A publication's best-matching pages, each with a snippet: the page documents of that
//! publication searched with the query's words.

use std::cell::RefCell;
use std::collections::HashMap;

use pubsearch_core::analysis;
use pubsearch_core::doc::StoredPage;
use pubsearch_core::schema::Fields;
use tantivy::collector::{Collector, TopDocs};
use tantivy::query::{Bm25StatisticsProvider, BooleanQuery, EnableScoring, Occur, Query};
use tantivy::schema::Field;
use tantivy::{DocAddress, Score, Searcher, TantivyDocument, Term};

use super::response::PageHit;
use super::snippet::Snippet;
use super::{Boxed, SearchError, term_query};

/// Characters per snippet.
pub const SNIPPET_CHARS: usize = 220;

/// The snippet highlighter for a page query.
pub(super) fn highlighter(
    searcher: &Searcher,
    f: &Fields,
    page_query: &dyn Query,
) -> Result<analysis::Highlighter, SearchError> {
    Ok(analysis::Highlighter::new(
        searcher,
        page_query,
        f.page_text,
        SNIPPET_CHARS,
    )?)
}

/// The page's snippet, its text analysed in the page's languages; when the query's words are
/// not found in the page text (nothing to highlight), the page's first [`SNIPPET_CHARS`]
/// characters.
pub(super) fn snippet(highlighter: &analysis::Highlighter, page: &StoredPage) -> Snippet {
    let found = highlighter.snippet(&page.languages, &page.text);
    if found.fragment().trim().is_empty() {
        Snippet::plain(page.text.chars().take(SNIPPET_CHARS).collect::<String>())
    } else {
        Snippet::from_tantivy(&found)
    }
}

/// The BM25 statistics of one searcher (documents, tokens per field, documents per term),
/// each read from the segments once and then remembered: the page searches of one request
/// ask for the same words once per hit and tier. The values are the searcher's own, so the
/// scores are the same as without it.
pub(super) struct Statistics<'s> {
    searcher: &'s Searcher,
    docs: RefCell<Option<u64>>,
    tokens: RefCell<HashMap<Field, u64>>,
    doc_freq: RefCell<HashMap<Term, u64>>,
}

impl<'s> Statistics<'s> {
    pub(super) fn new(searcher: &'s Searcher) -> Self {
        Statistics {
            searcher,
            docs: RefCell::new(None),
            tokens: RefCell::new(HashMap::new()),
            doc_freq: RefCell::new(HashMap::new()),
        }
    }
}

impl Bm25StatisticsProvider for Statistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if let Some(&n) = self.tokens.borrow().get(&field) {
            return Ok(n);
        }
        let n = self.searcher.total_num_tokens(field)?;
        self.tokens.borrow_mut().insert(field, n);
        Ok(n)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        if let Some(n) = *self.docs.borrow() {
            return Ok(n);
        }
        let n = Bm25StatisticsProvider::total_num_docs(self.searcher)?;
        *self.docs.borrow_mut() = Some(n);
        Ok(n)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(&n) = self.doc_freq.borrow().get(term) {
            return Ok(n);
        }
        let n = Bm25StatisticsProvider::doc_freq(self.searcher, term)?;
        self.doc_freq.borrow_mut().insert(term.clone(), n);
        Ok(n)
    }
}

/// The best `limit` pages for `query`, a query that requires the term `id`: the same answer
/// as `searcher.search` with [`TopDocs`], with `stats`' statistics, but only the segments
/// whose dictionary has `id` are searched (the others have none of its documents).
fn top_pages(
    searcher: &Searcher,
    stats: &Statistics,
    query: &dyn Query,
    id: &Term,
    limit: usize,
) -> Result<Vec<(Score, DocAddress)>, SearchError> {
    let weight = query.weight(EnableScoring::enabled_from_statistics_provider(
        stats, searcher,
    ))?;
    let collector = TopDocs::with_limit(limit).order_by_score();
    let mut fruits = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        if segment
            .inverted_index(id.field())?
            .get_term_info(id)
            .map_err(tantivy::TantivyError::from)?
            .is_none()
        {
            continue;
        }
        fruits.push(collector.collect_segment(weight.as_ref(), ord as u32, segment)?);
    }
    Ok(collector.merge_fruits(fruits)?)
}

/// What a page is searched with.
pub(super) struct PageQueries {
    /// Pages with any of the query's positive words and phrases.
    pub any: Boxed,
    /// Pages that satisfy the query's logic (every required word, no excluded one), when it
    /// constrains pages at all.
    pub logic: Option<Boxed>,
    /// Pages with an excluded word.
    pub excluded: Option<Boxed>,
    /// Pages where the query's words stand close together: an optional clause, adding to
    /// the score of such pages within each tier.
    pub proximity: Option<Boxed>,
}

/// Up to `limit` pages of publication `id`: first the pages that satisfy the query's logic,
/// best first (pages where its words stand close together score higher), then the pages with
/// only some of its words (marked partial); no page with an excluded word. In page order
/// instead when `in_page_order`.
#[allow(clippy::too_many_arguments)]
pub(super) fn best_pages(
    searcher: &Searcher,
    stats: &Statistics,
    f: &Fields,
    queries: &PageQueries,
    highlighter: &analysis::Highlighter,
    id: &str,
    limit: usize,
    in_page_order: bool,
) -> Result<Vec<PageHit>, SearchError> {
    let id_term = Term::from_field_text(f.id, id);
    let in_publication = |mut clauses: Vec<(Occur, Boxed)>| {
        clauses.push((Occur::Must, queries.any.box_clone()));
        clauses.push((Occur::Must, term_query(id_term.clone())));
        if let Some(x) = &queries.excluded {
            clauses.push((Occur::MustNot, x.box_clone()));
        }
        if let Some(p) = &queries.proximity {
            clauses.push((Occur::Should, p.box_clone()));
        }
        BooleanQuery::new(clauses)
    };
    let mut tiers = Vec::new();
    match &queries.logic {
        Some(logic) => {
            tiers.push((
                in_publication(vec![(Occur::Must, logic.box_clone())]),
                false,
            ));
            tiers.push((
                in_publication(vec![(Occur::MustNot, logic.box_clone())]),
                true,
            ));
        }
        None => tiers.push((in_publication(Vec::new()), false)),
    }
    let mut pages = Vec::new();
    for (query, partial) in tiers {
        let wanted = limit.saturating_sub(pages.len());
        if wanted == 0 {
            break;
        }
        let top = top_pages(searcher, stats, &query, &id_term, wanted)?;
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let stored = match StoredPage::from_doc(&doc, f) {
                Ok(stored) => stored,
                Err(e) => {
                    tracing::warn!(
                        "skipping a page of {id}: {e}; `pubsearch index --full` rewrites it"
                    );
                    continue;
                }
            };
            pages.push(PageHit {
                page: u64::from(stored.page),
                snippet: snippet(highlighter, &stored),
                partial,
            });
        }
    }
    if in_page_order {
        pages.sort_by_key(|p| p.page);
    }
    Ok(pages)
}
