//! A publication's best-matching pages, each with a snippet: the page documents of that
//! publication searched with the query's words.

use pubsearch_core::analysis;
use pubsearch_core::doc::StoredPage;
use pubsearch_core::schema::Fields;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, TantivyDocument, Term};

use super::response::PageHit;
use super::snippet::Snippet;
use super::{Boxed, SearchError, term_query};

/// Characters per snippet.
pub const SNIPPET_CHARS: usize = 220;

/// The snippet generator for a page query.
pub(super) fn snippet_generator(
    searcher: &Searcher,
    f: &Fields,
    page_query: &dyn Query,
) -> Result<SnippetGenerator, SearchError> {
    Ok(analysis::snippet_generator(
        searcher,
        page_query,
        f.page_text,
        SNIPPET_CHARS,
    )?)
}

/// The page's snippet; when the query's words are not found in the page text (nothing to
/// highlight), the page's first [`SNIPPET_CHARS`] characters.
fn snippet(generator: &SnippetGenerator, doc: &TantivyDocument, text: &str) -> Snippet {
    let found = generator.snippet_from_doc(doc);
    if found.fragment().trim().is_empty() {
        Snippet::plain(text.chars().take(SNIPPET_CHARS).collect::<String>())
    } else {
        Snippet::from_tantivy(&found)
    }
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
}

/// Up to `limit` pages of publication `id`: first the pages that satisfy the query's logic,
/// best first, then the pages with only some of its words (marked partial); no page with an
/// excluded word. In page order instead when `in_page_order`.
pub(super) fn best_pages(
    searcher: &Searcher,
    f: &Fields,
    queries: &PageQueries,
    generator: &SnippetGenerator,
    id: &str,
    limit: usize,
    in_page_order: bool,
) -> Result<Vec<PageHit>, SearchError> {
    let in_publication = |mut clauses: Vec<(Occur, Boxed)>| {
        clauses.push((Occur::Must, queries.any.box_clone()));
        clauses.push((Occur::Must, term_query(Term::from_field_text(f.id, id))));
        if let Some(x) = &queries.excluded {
            clauses.push((Occur::MustNot, x.box_clone()));
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
        let top = searcher.search(&query, &TopDocs::with_limit(wanted).order_by_score())?;
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
                snippet: snippet(generator, &doc, &stored.text),
                partial,
            });
        }
    }
    if in_page_order {
        pages.sort_by_key(|p| p.page);
    }
    Ok(pages)
}
