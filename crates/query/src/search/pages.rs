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

/// Up to `limit` pages of publication `id` matching `page_query`, best first or in page
/// order.
pub(super) fn best_pages(
    searcher: &Searcher,
    f: &Fields,
    page_query: &Boxed,
    generator: &SnippetGenerator,
    id: &str,
    limit: usize,
    in_page_order: bool,
) -> Result<Vec<PageHit>, SearchError> {
    let query = BooleanQuery::new(vec![
        (Occur::Must, page_query.box_clone()),
        (Occur::Must, term_query(Term::from_field_text(f.id, id))),
    ]);
    let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
    let mut pages = Vec::with_capacity(top.len());
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
        });
    }
    if in_page_order {
        pages.sort_by_key(|p| p.page);
    }
    Ok(pages)
}
