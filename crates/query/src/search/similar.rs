//! Similar publications: tantivy's more-like-this over a publication's text, title, summary
//! and topics, plus each topic it shares.
//!
//! The source publication is looked up by its id term (a stored `DocAddress` changes as
//! segments merge), and its words are read from what the index stores: its title, summary
//! and topics, and the text of its pages. The most distinctive of them (frequent in it, rare
//! in the library) make a query for the other publications.

use pubsearch_core::doc::StoredPublication;
use pubsearch_core::schema::kind;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur};
use tantivy::schema::{OwnedValue, Value};
use tantivy::{TantivyDocument, Term};

use super::response::Hit;
use super::{Boxed, SearchError, SearchService, term_query};
use crate::compile::{Compiler, Target};
use crate::parse::{FieldName, Node};
use pubsearch_core::analysis::tag::untagged;

/// Most similar publications one request may ask for.
pub const MAX_SIMILAR: usize = 20;
/// Similar publications listed unless `limit` says otherwise.
pub const DEFAULT_SIMILAR: usize = 5;
/// Most pages of the source read for its words: enough to characterise a long report, and a
/// bound on the request's cost.
const MAX_SOURCE_PAGES: usize = 300;
/// Words of the source that make the query (Lucene's default).
const MAX_QUERY_TERMS: usize = 25;

impl SearchService {
    /// The `limit` publications most like the one with this id, most similar first; `None`
    /// if there is no such id. Its own words, not its metadata alone: a word counts by how
    /// often the source has it and how rare it is in the library (Lucene's more-like-this
    /// with its default of 25 words). A word must be in at least one other publication to
    /// count, and single occurrences count (so its topics and title words can), unlike
    /// Lucene's defaults (a word in five publications, twice in the source), which are made
    /// for large collections and would leave a small library's distinctive words out.
    pub fn similar(&self, id: &str, limit: usize) -> Result<Option<Vec<Hit>>, SearchError> {
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let Some(source) = self.publication_doc(&searcher, id)? else {
            return Ok(None);
        };
        // The stored values keep their language tags, so each is analysed as indexed.
        let stored = |field| -> Vec<OwnedValue> {
            source
                .get_all(field)
                .filter_map(|v| v.as_str().map(|s| OwnedValue::Str(s.to_string())))
                .collect()
        };
        let pages = BooleanQuery::new(vec![
            (
                Occur::Must,
                term_query(Term::from_field_text(f.kind, kind::PAGE)),
            ),
            (Occur::Must, term_query(Term::from_field_text(f.id, id))),
        ]);
        let mut text = Vec::new();
        for (_, addr) in searcher.search(
            &pages,
            &TopDocs::with_limit(MAX_SOURCE_PAGES).order_by_score(),
        )? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some(t) = doc.get_first(f.page_text).and_then(|v| v.as_str()) {
                text.push(OwnedValue::Str(t.to_string()));
            }
        }
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(2)
            .with_min_term_frequency(1)
            .with_max_query_terms(MAX_QUERY_TERMS)
            .with_document_fields(vec![
                (f.title, stored(f.title)),
                (f.summary, stored(f.summary)),
                (f.topics, stored(f.topics)),
                (f.text, text),
            ]);
        let mut clauses: Vec<(Occur, Boxed)> = vec![
            (
                Occur::Must,
                term_query(Term::from_field_text(f.kind, kind::PUBLICATION)),
            ),
            (Occur::Must, Box::new(like) as Boxed),
            (Occur::MustNot, term_query(Term::from_field_text(f.id, id))),
        ];
        // Each topic it shares counts too, as a phrase in the topics (so a topic few
        // publications have counts more than one most have): topics are the library's own
        // classification, which the words of the text only approximate.
        let mut compiler = Compiler::new(&searcher, f);
        for topic in source.get_all(f.topics).filter_map(|v| v.as_str()) {
            let phrase = Node::Phrase {
                field: Some(FieldName::Topic),
                text: untagged(topic).to_string(),
                slop: 0,
            };
            if let Some(q) = compiler.compile(&phrase, Target::Publications)? {
                clauses.push((Occur::Should, q));
            }
        }
        let query = BooleanQuery::new(clauses);
        let limit = limit.clamp(1, MAX_SIMILAR);
        let mut hits = Vec::new();
        for (score, addr) in
            searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?
        {
            let doc: TantivyDocument = searcher.doc(addr)?;
            hits.push(Hit {
                publication: StoredPublication::from_doc(&doc, f)?.publication,
                score: Some(score),
                pages: Vec::new(),
            });
        }
        Ok(Some(hits))
    }
}
