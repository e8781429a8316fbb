//! Website mode on a wordy query: which of its words a search requires.
//!
//! A search box gets questions typed as people type them ("what help is there for refugee
//! doctors who want to work in the NHS"), and requiring every word finds nothing. So:
//!
//! - Stop words of the library's languages ("what", "is", "the", "de") are never required;
//!   they still count where they appear. (A query of stop words only requires them.)
//! - When at least [`ENOUGH`] publications have every other word, the answer is those
//!   publications, as in strict mode.
//! - Otherwise no word is required: the answer is every publication with at least one of the
//!   words, by score. Each word weighs by how often it was typed and how rare it is (BM25), so
//!   a publication with more of the rarer words ranks higher: Lucene's disjunction with BM25.
//!   Measured on a test collection with human judgements (`benches/RESULTS.md`, "Relevance"),
//!   requiring the rarest words instead (dropping the most common first, Meilisearch's
//!   strategy) found the right publications half as often, and ranking the publications with
//!   every word first let one common word ("her") push the answering guide down.
//! - A pasted paragraph is a query too: of more than [`MAX_WORDS`] different words, the
//!   [`MAX_WORDS`] rarest in the library are kept (a word found nowhere counts as the most
//!   common), so the cost stays bounded.
//!
//! The answer names the words not required and the words left out. Only a list of words is
//! relaxed: phrases, field words (`title:x`) and exclusions stay required as typed, and a query
//! with `OR` is left as it is.

use pubsearch_core::analysis;
use pubsearch_core::schema::Fields;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, BoostQuery, Occur};
use tantivy::{Searcher, Term};

use super::request::SearchRequest;
use super::{Boxed, SearchError, filters};
use crate::compile::{Compiler, Target};
use crate::parse::Node;

/// Publications that must have every word for the answer to be those alone: a page of results.
pub const ENOUGH: usize = 10;

/// Most different words a website query keeps.
pub const MAX_WORDS: usize = 64;

/// How a website query's words were used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Relaxation {
    /// Too few publications have every word, so the answer holds those with some of them.
    pub relaxed: bool,
    /// Words not required (each still counts where it appears), as typed, in query order.
    pub not_required: Vec<String>,
    /// Words left out of a query longer than [`MAX_WORDS`] different words, as typed.
    pub left_out: Vec<String>,
}

/// A website query, planned.
pub(super) struct Planned {
    /// The publications answered: every required word and every fixed part, the other words
    /// optional (they add to the score).
    pub query: Option<Boxed>,
    /// The query for pages: the kept words and the fixed parts.
    pub node: Option<Node>,
    /// What was not required.
    pub relaxation: Relaxation,
}

struct Typed {
    node: Node,
    df: u64,
    times: usize,
}

struct Word {
    node: Node,
    text: String,
    query: Boxed,
    stop: bool,
}

/// What a page must have to satisfy a website query: its words but the stop words (all of
/// them when there is nothing else), and its phrases, field words and exclusions.
pub(super) fn required_on_page(node: &Node) -> Node {
    match flatten(node.clone()) {
        Node::And(parts) => {
            let stop = |n: &Node| is_plain_word(n) && analysis::is_stop_word(word_text(n));
            if parts.iter().filter(|n| is_plain_word(n)).all(stop) {
                return Node::And(parts);
            }
            let mut kept: Vec<Node> = parts.into_iter().filter(|n| !stop(n)).collect();
            match kept.len() {
                1 => kept.pop().expect("one part"),
                _ => Node::And(kept),
            }
        }
        other => other,
    }
}

/// `And`s inside an `And` become one list.
fn flatten(node: Node) -> Node {
    match node {
        Node::And(parts) => {
            let mut flat = Vec::with_capacity(parts.len());
            for part in parts {
                match flatten(part) {
                    Node::And(inner) => flat.extend(inner),
                    other => flat.push(other),
                }
            }
            Node::And(flat)
        }
        other => other,
    }
}

fn is_plain_word(node: &Node) -> bool {
    matches!(node, Node::Word { field: None, .. })
}

fn word_text(node: &Node) -> &str {
    match node {
        Node::Word { text, .. } | Node::Phrase { text, .. } => text,
        _ => "",
    }
}

/// Plans `node` (a website-mode query) under `req`'s filters.
pub(super) fn plan(
    searcher: &Searcher,
    f: &Fields,
    compiler: &mut Compiler,
    node: Option<Node>,
    req: &SearchRequest,
) -> Result<Planned, SearchError> {
    // Parentheses without OR group nothing in a list of words: "(probably English)".
    let node = node.map(flatten);
    let parts = match node {
        Some(Node::And(parts)) if parts.iter().any(is_plain_word) => parts,
        Some(word) if is_plain_word(&word) => vec![word],
        other => {
            let query = match &other {
                Some(n) => compiler.compile(n, Target::Publications)?,
                None => None,
            };
            return Ok(Planned {
                query,
                node: other,
                relaxation: Relaxation::default(),
            });
        }
    };
    let (words, fixed): (Vec<Node>, Vec<Node>) = parts.into_iter().partition(is_plain_word);
    let count = |q: &Option<Boxed>| -> Result<usize, SearchError> {
        Ok(searcher.search(&filters::publication_query(f, q, req, None), &Count)?)
    };

    let mut analyzer = analysis::text_analyzer();
    // Each different word once, with how often it was typed (a word asked twice weighs
    // twice, as BM25's query term frequency has it) and how many publications have it.
    let mut index_of: std::collections::BTreeMap<Vec<String>, usize> = Default::default();
    let mut distinct: Vec<Typed> = Vec::new();
    for w in words {
        let tokens = analysis::tokens(&mut analyzer, word_text(&w));
        if tokens.is_empty() {
            continue;
        }
        if let Some(&i) = index_of.get(&tokens) {
            distinct[i].times += 1;
            continue;
        }
        let df = tokens
            .iter()
            .map(|t| searcher.doc_freq(&Term::from_field_text(f.text, t)))
            .collect::<Result<Vec<u64>, _>>()?
            .into_iter()
            .max()
            .unwrap_or(0);
        index_of.insert(tokens, distinct.len());
        distinct.push(Typed {
            node: w,
            df,
            times: 1,
        });
    }
    let mut relaxation = Relaxation::default();
    if distinct.len() > MAX_WORDS {
        // The rarest words are kept; a word found nowhere counts as the most common.
        let mut order: Vec<usize> = (0..distinct.len()).collect();
        order.sort_by_key(|&i| (distinct[i].df == 0, distinct[i].df));
        let keep: std::collections::BTreeSet<usize> = order[..MAX_WORDS].iter().copied().collect();
        let mut kept = Vec::with_capacity(MAX_WORDS);
        for (i, typed) in distinct.into_iter().enumerate() {
            if keep.contains(&i) {
                kept.push(typed);
            } else {
                relaxation.left_out.push(word_text(&typed.node).to_string());
            }
        }
        distinct = kept;
    }

    let mut fixed_queries: Vec<Boxed> = Vec::new();
    for part in &fixed {
        if let Some(q) = compiler.compile(part, Target::Publications)? {
            fixed_queries.push(q);
        }
    }
    let mut kept: Vec<Word> = Vec::new();
    for Typed { node, times, .. } in distinct {
        let Some(query) = compiler.compile(&node, Target::Publications)? else {
            continue;
        };
        let query: Boxed = if times > 1 {
            Box::new(BoostQuery::new(query, times as f32))
        } else {
            query
        };
        let text = word_text(&node).to_string();
        kept.push(Word {
            stop: analysis::is_stop_word(&text),
            node,
            text,
            query,
        });
    }
    // Stop words are never required, unless there is nothing else.
    let all_stop = kept.iter().all(|w| w.stop);
    let (content, stop): (Vec<&Word>, Vec<&Word>) = kept.iter().partition(|w| !w.stop || all_stop);

    let clauses = |must: &[&Word], should: &[&Word]| -> Vec<(Occur, Boxed)> {
        let mut clauses: Vec<(Occur, Boxed)> = fixed_queries
            .iter()
            .map(|q| (Occur::Must, q.box_clone()))
            .collect();
        clauses.extend(must.iter().map(|w| (Occur::Must, w.query.box_clone())));
        clauses.extend(should.iter().map(|w| (Occur::Should, w.query.box_clone())));
        clauses
    };
    let boxed = |clauses: Vec<(Occur, Boxed)>| -> Option<Boxed> {
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Boxed)
    };
    let every_word = boxed(clauses(&content, &stop));
    let relax = content.len() > 1 && count(&every_word)? < ENOUGH;
    let query = if relax {
        // At least one of the content words; the rest, and the stop words, add to the score.
        let any: Vec<(Occur, Boxed)> = content
            .iter()
            .map(|w| (Occur::Should, w.query.box_clone()))
            .collect();
        let mut c = clauses(&[], &stop);
        c.push((Occur::Must, Box::new(BooleanQuery::new(any)) as Boxed));
        relaxation.relaxed = true;
        relaxation.not_required = kept.iter().map(|w| w.text.clone()).collect();
        boxed(c)
    } else {
        relaxation.not_required = stop.iter().map(|w| w.text.clone()).collect();
        every_word
    };

    let mut nodes: Vec<Node> = fixed;
    nodes.extend(kept.into_iter().map(|w| w.node));
    let node = match nodes.len() {
        0 => None,
        1 => nodes.pop(),
        _ => Some(Node::And(nodes)),
    };
    Ok(Planned {
        query,
        node,
        relaxation,
    })
}
