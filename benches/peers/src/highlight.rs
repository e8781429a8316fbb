//! Snippet generation for `tantivy-full`: the service's own (`pubsearch_core::analysis::
//! snippet_generator`, which skips stemming words that cannot match), so `tantivy-full` does the
//! same work as the service. `PEERS_STOCK_SNIPPETS=1` switches to tantivy's stock
//! `SnippetGenerator::create` (what the service did before).

use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;

pub fn generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    max_chars: usize,
) -> tantivy::Result<SnippetGenerator> {
    if std::env::var_os("PEERS_STOCK_SNIPPETS").is_some() {
        let mut g = SnippetGenerator::create(searcher, query, field)?;
        g.set_max_num_chars(max_chars);
        return Ok(g);
    }
    pubsearch_core::analysis::snippet_generator(searcher, query, field, max_chars)
}
