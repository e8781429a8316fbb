//! Did you mean: for a strict search that finds nothing, the same query with each word the
//! library lacks replaced by its closest word, when that query finds something.
//!
//! The index holds stemmed terms ("immigr"), which are not words to show. The word shown is the
//! one a page actually contains: the first highlighted match of the closest term in the page
//! text, as typed there.

use pubsearch_core::doc::StoredPage;
use pubsearch_core::schema::Fields;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

use super::request::SearchRequest;
use super::{SearchError, filters, pages};
use crate::compile::{Compiler, Target};
use crate::parse::{self, Mode, Node};

/// Most words of one query looked at for a correction.
const MAX_CORRECTED: usize = 8;

fn words<'n>(node: &'n Node, out: &mut Vec<&'n str>) {
    match node {
        Node::Word { text, .. } => out.push(text),
        Node::And(parts) | Node::Or(parts) => parts.iter().for_each(|p| words(p, out)),
        Node::Not(inner) => words(inner, out),
        Node::Phrase { .. } | Node::Near { .. } => {}
    }
}

/// The word of some page's text that `term` (an index term) stands for.
fn surface(searcher: &Searcher, f: &Fields, term: &str) -> Result<Option<String>, SearchError> {
    let query = TermQuery::new(
        Term::from_field_text(f.page_text, term),
        IndexRecordOption::WithFreqs,
    );
    let Some((_, addr)) = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(addr)?;
    let Ok(page) = StoredPage::from_doc(&doc, f) else {
        return Ok(None);
    };
    let highlighter = pages::highlighter(searcher, f, &query)?;
    let snippet = pages::snippet(&highlighter, &page);
    Ok(snippet
        .pieces()
        .find(|(_, marked)| *marked)
        .map(|(w, _)| w.to_lowercase()))
}

/// A corrected form of `q` that finds something in strict mode under `req`'s filters.
pub(super) fn did_you_mean(
    searcher: &Searcher,
    f: &Fields,
    compiler: &mut Compiler,
    q: &str,
    req: &SearchRequest,
) -> Result<Option<String>, SearchError> {
    let Ok(Some(node)) = parse::parse(q, Mode::Strict) else {
        return Ok(None);
    };
    let mut typed = Vec::new();
    words(&node, &mut typed);
    let mut corrected = q.to_string();
    let mut changed = false;
    for word in typed.into_iter().take(MAX_CORRECTED) {
        let Some(term) = compiler.closest_term(word)? else {
            continue;
        };
        let Some(better) = surface(searcher, f, &term)? else {
            continue;
        };
        if better != word.to_lowercase()
            && let Some(fixed) = replace_word(&corrected, word, &better)
        {
            corrected = fixed;
            changed = true;
        }
    }
    if !changed {
        return Ok(None);
    }
    let Ok(Some(node)) = parse::parse(&corrected, Mode::Strict) else {
        return Ok(None);
    };
    let query = compiler.compile(&node, Target::Publications)?;
    let found = searcher.search(&filters::publication_query(f, &query, req, None), &Count)?;
    Ok((found > 0).then_some(corrected))
}

/// `text` with its first whole-word `word` (not inside a longer word or a quoted phrase)
/// replaced by `with`.
fn replace_word(text: &str, word: &str, with: &str) -> Option<String> {
    let mut quoted = false;
    let mut from = 0;
    for (i, c) in text.char_indices() {
        if c == '"' {
            quoted = !quoted;
        }
        if i < from || quoted || !text[i..].starts_with(word) {
            continue;
        }
        let end = i + word.len();
        let before = text[..i].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return Some(format!("{}{with}{}", &text[..i], &text[end..]));
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::replace_word;

    #[test]
    fn only_whole_words_outside_phrases_are_replaced() {
        assert_eq!(
            replace_word("title:imigration -x", "imigration", "immigration").as_deref(),
            Some("title:immigration -x")
        );
        // Not inside a longer word, not inside a phrase.
        assert_eq!(
            replace_word("\"docters act\" superdocters docters", "docters", "doctors").as_deref(),
            Some("\"docters act\" superdocters doctors")
        );
        assert_eq!(replace_word("superdocters", "docters", "doctors"), None);
    }
}
