//! Turning a parsed query into tantivy queries, for publications or for pages.
//!
//! Words go through the analyzers of the index's languages (case and accent folding, each
//! language's stemming): a word is each of its readings, scored as the best one, so a Spanish
//! word finds the Spanish guide, an English word the English reports, and a word that reads
//! the same in two languages is not counted twice. In website mode a word of 5 or more letters that no publication's text has
//! matches the index terms one edit away (two from 9 letters), and the last word also matches
//! as a prefix. Both expansions
//! read the term dictionary and keep only the most frequent few terms, so a query's cost is
//! bounded by design, whatever is typed.

use std::collections::BTreeMap;

use pubsearch_core::analysis::{self, Lang, languages};
use pubsearch_core::schema::Fields;
use tantivy::Searcher;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, PhraseQuery,
    Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{TantivyError, Term};

use crate::parse::{FieldName, MIN_PREFIX_CHARS, Node};

/// Weight of each metadata field (title, summary, topics, authors) against the whole text's 1.
pub const METADATA_WEIGHT: f32 = 0.5;
/// Most index terms one fuzzy word expands to, per field.
pub const MAX_FUZZY_TERMS: usize = 12;
/// Most index terms one prefix expands to, per field.
pub const MAX_PREFIX_TERMS: usize = 24;
/// Most dictionary entries scanned for one expansion.
const MAX_SCANNED_TERMS: usize = 20_000;

/// What the query runs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Publication documents: title, summary, topics, authors and the whole text.
    Publications,
    /// Page documents: the page text only. Field-restricted parts and exclusions are left
    /// to the publication query; a page matches if it has any of the wanted words.
    Pages,
}

/// Compiles queries against one searcher.
pub struct Compiler<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    /// The first language's analyzer: English when the index has English.
    analyzer: TextAnalyzer,
    /// Per language: the query analyzer and the prefix analyzer.
    readings: Vec<(TextAnalyzer, TextAnalyzer)>,
}

type Boxed = Box<dyn Query>;

/// A word or phrase as one language reads it: its tokens at their positions.
type Reading = Vec<(usize, String)>;

impl<'a> Compiler<'a> {
    /// A compiler for `searcher`, reading words in every language the index has.
    pub fn new(searcher: &'a Searcher, fields: &'a Fields) -> Self {
        let langs = pubsearch_core::doc::index_languages(searcher, fields);
        Self::with_languages(searcher, fields, &langs)
    }

    /// A compiler that reads words in `langs` only (English when empty).
    pub fn with_languages(searcher: &'a Searcher, fields: &'a Fields, langs: &[Lang]) -> Self {
        let langs = if langs.is_empty() {
            &[Lang::En][..]
        } else {
            langs
        };
        Compiler {
            searcher,
            fields,
            analyzer: languages::query_analyzer(langs[0]),
            readings: langs
                .iter()
                .map(|&l| (languages::query_analyzer(l), languages::prefix_analyzer(l)))
                .collect(),
        }
    }

    /// The distinct readings of `text`, one per language that gives tokens, each with its
    /// unstemmed tokens when `raw` (for prefixes).
    fn readings(&mut self, text: &str, raw: bool) -> Vec<(Reading, Vec<String>)> {
        let mut out: Vec<(Reading, Vec<String>)> = Vec::new();
        for (analyzer, prefix) in &mut self.readings {
            let tokens = languages::positioned_tokens(analyzer, text);
            if tokens.is_empty() || out.iter().any(|(r, _)| *r == tokens) {
                continue;
            }
            let unstemmed = if raw {
                analysis::tokens(prefix, text)
            } else {
                Vec::new()
            };
            out.push((tokens, unstemmed));
        }
        out
    }

    fn fields_for(&self, field: Option<FieldName>, target: Target) -> Vec<(Field, f32)> {
        let f = self.fields;
        match (target, field) {
            // The whole text counts fully; each metadata field half, since its words are
            // usually in the text too (a title is on the first page). Chosen by measurement
            // against human judgements (`benches/RESULTS.md`, "Relevance"): the earlier 3/2/2
            // boosts counted a title word up to four times and ranked worse than plain BM25.
            (Target::Publications, None) => vec![
                (f.title, METADATA_WEIGHT),
                (f.summary, METADATA_WEIGHT),
                (f.topics, METADATA_WEIGHT),
                (f.authors, METADATA_WEIGHT),
                (f.text, 1.0),
            ],
            (Target::Publications, Some(FieldName::Title)) => vec![(f.title, 1.0)],
            (Target::Publications, Some(FieldName::Summary)) => vec![(f.summary, 1.0)],
            (Target::Publications, Some(FieldName::Topic)) => vec![(f.topics, 1.0)],
            (Target::Publications, Some(FieldName::Author)) => vec![(f.authors, 1.0)],
            (Target::Publications, Some(FieldName::Text)) => vec![(f.text, 1.0)],
            (Target::Pages, None | Some(FieldName::Text)) => vec![(f.page_text, 1.0)],
            (Target::Pages, Some(_)) => vec![],
        }
    }

    /// The query for `node` against `target`; `None` when nothing in it applies (for example
    /// a query of punctuation only). Publications: the full boolean query. Pages: any of the
    /// positive words and phrases.
    pub fn compile(&mut self, node: &Node, target: Target) -> Result<Option<Boxed>, TantivyError> {
        match target {
            Target::Publications => self.logic(node, Target::Publications),
            Target::Pages => {
                let mut leaves = Vec::new();
                positive_leaves(node, &mut leaves);
                let mut clauses = Vec::new();
                for leaf in leaves {
                    if let Some(q) = self.leaf(leaf, Target::Pages)? {
                        clauses.push((Occur::Should, q));
                    }
                }
                Ok(match clauses.len() {
                    0 => None,
                    1 => clauses.pop().map(|(_, q)| q),
                    _ => Some(Box::new(BooleanQuery::new(clauses))),
                })
            }
        }
    }

    /// The query's logic on one page: which pages have every required word and none of the
    /// excluded ones, and (second) the pages with an excluded word. A part about another
    /// field (`title:x`) says nothing about a page and constrains nothing; `None` means no
    /// constraint.
    pub fn page_logic(
        &mut self,
        node: &Node,
    ) -> Result<(Option<Boxed>, Option<Boxed>), TantivyError> {
        let mut excluded: Vec<(Occur, Boxed)> = Vec::new();
        let top: Vec<&Node> = match node {
            Node::And(parts) => parts.iter().collect(),
            other => vec![other],
        };
        for part in top {
            if let Node::Not(inner) = part
                && let Some(q) = self.logic(inner, Target::Pages)?
            {
                excluded.push((Occur::Should, q));
            }
        }
        let excluded =
            (!excluded.is_empty()).then(|| Box::new(BooleanQuery::new(excluded)) as Boxed);
        Ok((self.logic(node, Target::Pages)?, excluded))
    }

    /// The boolean query for `node` against `target`. On pages, a part that applies to no
    /// page field constrains nothing: an OR with such a branch is true of every page.
    fn logic(&mut self, node: &Node, target: Target) -> Result<Option<Boxed>, TantivyError> {
        match node {
            Node::Word { .. } | Node::Phrase { .. } | Node::Near { .. } => self.leaf(node, target),
            Node::And(parts) => {
                let mut clauses: Vec<(Occur, Boxed)> = Vec::new();
                let mut positive = false;
                for part in parts {
                    match part {
                        Node::Not(inner) => {
                            if let Some(q) = self.logic(inner, target)? {
                                clauses.push((Occur::MustNot, q));
                            }
                        }
                        other => {
                            if let Some(q) = self.logic(other, target)? {
                                clauses.push((Occur::Must, q));
                                positive = true;
                            }
                        }
                    }
                }
                if clauses.is_empty() {
                    return Ok(None);
                }
                if !positive {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Ok(Some(Box::new(BooleanQuery::new(clauses))))
            }
            Node::Or(parts) => {
                let mut clauses: Vec<(Occur, Boxed)> = Vec::new();
                for part in parts {
                    match self.logic(part, target)? {
                        Some(q) => clauses.push((Occur::Should, q)),
                        None if target == Target::Pages => return Ok(None),
                        None => {}
                    }
                }
                Ok(match clauses.len() {
                    0 => None,
                    _ => Some(Box::new(BooleanQuery::new(clauses))),
                })
            }
            Node::Not(inner) => Ok(self.logic(inner, target)?.map(|q| {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Boxed),
                    (Occur::MustNot, q),
                ])) as Boxed
            })),
        }
    }

    fn leaf(&mut self, node: &Node, target: Target) -> Result<Option<Boxed>, TantivyError> {
        let (field, text, fuzzy, prefix, slop) = match node {
            Node::Word {
                field,
                text,
                fuzzy,
                prefix,
            } => (*field, text.as_str(), *fuzzy, *prefix, 0),
            Node::Phrase { field, text, slop } => (*field, text.as_str(), false, false, *slop),
            Node::Near {
                field,
                left,
                right,
                distance,
            } => return Ok(self.near(*field, left, right, *distance, target)),
            _ => return Ok(None),
        };
        let fields = self.fields_for(field, target);
        if fields.is_empty() {
            return Ok(None);
        }
        let mut readings: Vec<Boxed> = Vec::new();
        for (tokens, raw) in self.readings(text, prefix) {
            if let Some(q) = self.reading(&fields, text, &tokens, &raw, (fuzzy, prefix), slop)? {
                readings.push(q);
            }
        }
        Ok(match readings.len() {
            0 => None,
            1 => readings.pop(),
            // The best reading counts, so a word two languages read alike counts once.
            _ => Some(Box::new(DisjunctionMaxQuery::new(readings))),
        })
    }

    /// `left NEAR/distance right` in the fields of `field`: in each language's reading, the
    /// two sides within `distance` words of each other, either side first. The index keeps
    /// pages (and other values) further apart than any distance allowed, so a match is on one
    /// page. `None` when neither side has a token.
    fn near(
        &mut self,
        field: Option<FieldName>,
        left: &str,
        right: &str,
        distance: u32,
        target: Target,
    ) -> Option<Boxed> {
        let fields = self.fields_for(field, target);
        let mut seen: Vec<(Reading, Reading)> = Vec::new();
        for (analyzer, _) in &mut self.readings {
            let pair = (
                languages::positioned_tokens(analyzer, left),
                languages::positioned_tokens(analyzer, right),
            );
            let empty = pair.0.is_empty() && pair.1.is_empty();
            if !empty && !seen.contains(&pair) {
                seen.push(pair);
            }
        }
        let mut readings: Vec<Boxed> = Vec::new();
        for (l, r) in &seen {
            let mut per_field: Vec<(Occur, Boxed)> = Vec::new();
            for &(f, boost) in &fields {
                let q: Boxed = if l.is_empty() || r.is_empty() {
                    phrase(f, if l.is_empty() { r } else { l }, 0)
                } else {
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Should, phrase(f, &joined(l, r), distance)),
                        (Occur::Should, phrase(f, &joined(r, l), distance)),
                    ]))
                };
                per_field.push((Occur::Should, boosted(q, boost)));
            }
            readings.push(match per_field.len() {
                1 => per_field.pop().map(|(_, q)| q).expect("one field"),
                _ => Box::new(BooleanQuery::new(per_field)),
            });
        }
        match readings.len() {
            0 => None,
            1 => readings.pop(),
            _ => Some(Box::new(DisjunctionMaxQuery::new(readings))),
        }
    }

    /// The query for one reading of a word or phrase in `fields`: `tokens` as the index has
    /// them, `raw` the unstemmed tokens (for prefixes), `expand` whether to add typo and
    /// prefix variants, `slop` a phrase's.
    fn reading(
        &mut self,
        fields: &[(Field, f32)],
        text: &str,
        tokens: &[(usize, String)],
        raw: &[String],
        expand: (bool, bool),
        slop: u32,
    ) -> Result<Option<Boxed>, TantivyError> {
        let (fuzzy, prefix) = expand;
        // A word the library has was typed as meant: only a word found in no publication's
        // text is read as a typo (so "imigration" finds "immigration", and "images" does not
        // stand in for "image"). Asked once per word, not once per field.
        let typo = fuzzy && tokens.len() == 1 && self.in_no_text(&tokens[0].1)?;
        let mut per_field: Vec<(Occur, Boxed)> = Vec::new();
        for &(f, boost) in fields {
            let q: Boxed = match tokens {
                [] => continue,
                [(_, token)] => {
                    let mut alternatives: Vec<(Occur, Boxed)> = vec![(
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(f, token),
                            IndexRecordOption::WithFreqs,
                        )),
                    )];
                    let mut extra: BTreeMap<String, f32> = BTreeMap::new();
                    if typo {
                        let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
                        let distance = if letters >= 9 {
                            2
                        } else if letters >= 5 {
                            1
                        } else {
                            0
                        };
                        if distance > 0 {
                            for t in self.expand_fuzzy(f, token, distance)? {
                                extra.insert(t, 0.6);
                            }
                        }
                    }
                    if prefix
                        && let [p] = raw
                        && p.chars().count() >= MIN_PREFIX_CHARS
                    {
                        for t in self.expand_prefix(f, p)? {
                            extra.entry(t).or_insert(0.8);
                        }
                    }
                    extra.remove(token);
                    for (t, b) in extra {
                        alternatives.push((
                            Occur::Should,
                            Box::new(BoostQuery::new(
                                Box::new(TermQuery::new(
                                    Term::from_field_text(f, &t),
                                    IndexRecordOption::WithFreqs,
                                )),
                                b,
                            )),
                        ));
                    }
                    if alternatives.len() == 1 {
                        alternatives.pop().map(|(_, q)| q).expect("one alternative")
                    } else {
                        Box::new(BooleanQuery::new(alternatives))
                    }
                }
                _ => phrase(f, tokens, slop),
            };
            per_field.push((Occur::Should, boosted(q, boost)));
        }
        Ok(match per_field.len() {
            0 => None,
            1 => per_field.pop().map(|(_, q)| q),
            _ => Some(Box::new(BooleanQuery::new(per_field))),
        })
    }

    fn in_no_text(&self, token: &str) -> Result<bool, TantivyError> {
        let term = Term::from_field_text(self.fields.text, token);
        Ok(self.searcher.doc_freq(&term)? == 0)
    }

    /// The library's word closest to `word` that it lacks: the most frequent index term of the
    /// whole text one edit away, else two (from 5 letters). `None` when the library has `word`
    /// or nothing is near.
    pub fn closest_term(&mut self, word: &str) -> Result<Option<String>, TantivyError> {
        let tokens = analysis::tokens(&mut self.analyzer, word);
        let [token] = tokens.as_slice() else {
            return Ok(None);
        };
        if word.chars().count() < 5 || !self.in_no_text(token)? {
            return Ok(None);
        }
        for distance in 1..=2 {
            if let Some(t) = self
                .expand_fuzzy(self.fields.text, token, distance)?
                .into_iter()
                .next()
            {
                return Ok(Some(t));
            }
        }
        Ok(None)
    }

    fn expand_fuzzy(
        &self,
        field: Field,
        token: &str,
        distance: u8,
    ) -> Result<Vec<String>, TantivyError> {
        let query = FuzzyTermQuery::new(Term::from_field_text(field, token), distance, true);
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let automaton = query.automaton()?;
            let mut stream = inverted.terms().search(automaton).into_stream()?;
            let mut scanned = 0;
            while stream.advance() && scanned < MAX_SCANNED_TERMS {
                scanned += 1;
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    *found.entry(t.to_string()).or_default() += stream.value().doc_freq as u64;
                }
            }
        }
        Ok(most_frequent(found, MAX_FUZZY_TERMS))
    }

    fn expand_prefix(&self, field: Field, prefix: &str) -> Result<Vec<String>, TantivyError> {
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()?;
            let mut scanned = 0;
            while stream.advance() && scanned < MAX_SCANNED_TERMS {
                scanned += 1;
                if !stream.key().starts_with(prefix.as_bytes()) {
                    break;
                }
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    *found.entry(t.to_string()).or_default() += stream.value().doc_freq as u64;
                }
            }
        }
        Ok(most_frequent(found, MAX_PREFIX_TERMS))
    }
}

/// Most positions apart two consecutive query words may stand on a page for the page's
/// proximity bonus ([`Compiler::page_proximity`]).
pub const PAGE_PROXIMITY_SLOP: u32 = 3;
/// Most words of a query that get a proximity bonus on pages; a longer query gets none.
pub const PAGE_PROXIMITY_MAX_WORDS: usize = 6;

impl Compiler<'_> {
    /// Pages where the query's words stand close together: for each pair of consecutive
    /// positive words of `node` (plain or `text:` words, as analysed for the index), the
    /// pages with both within [`PAGE_PROXIMITY_SLOP`] positions of each other, in either
    /// order, scored as a phrase. An optional clause for page searches, so that among pages
    /// with the same words those where they stand together rank higher (like edismax's `pf2`,
    /// on pages only: tried on publications, it lowered the ranking's quality, as neighbouring
    /// words of a long question are rarely a phrase of the answer). `None` for fewer than two
    /// words or more than [`PAGE_PROXIMITY_MAX_WORDS`].
    pub fn page_proximity(&mut self, node: &Node) -> Option<Boxed> {
        let mut leaves = Vec::new();
        positive_leaves(node, &mut leaves);
        let mut tokens: Vec<String> = Vec::new();
        for leaf in leaves {
            if let Node::Word {
                field: None | Some(FieldName::Text),
                text,
                ..
            } = leaf
            {
                for t in analysis::tokens(&mut self.analyzer, text) {
                    if tokens.last() != Some(&t) {
                        tokens.push(t);
                    }
                }
            }
        }
        if tokens.len() < 2 || tokens.len() > PAGE_PROXIMITY_MAX_WORDS {
            return None;
        }
        let field = self.fields.page_text;
        let pairs: Vec<(Occur, Boxed)> = tokens
            .windows(2)
            .map(|pair| {
                let terms = vec![
                    (0, Term::from_field_text(field, &pair[0])),
                    (1, Term::from_field_text(field, &pair[1])),
                ];
                // Slop counts moves: the words swapped cost 2, so the bonus holds in
                // either order.
                let phrase = PhraseQuery::new_with_offset_and_slop(terms, PAGE_PROXIMITY_SLOP);
                (Occur::Should, Box::new(phrase) as Boxed)
            })
            .collect();
        Some(Box::new(BooleanQuery::new(pairs)))
    }
}

/// `q` weighted by `boost` (left alone at 1).
fn boosted(q: Boxed, boost: f32) -> Boxed {
    if (boost - 1.0).abs() > f32::EPSILON {
        Box::new(BoostQuery::new(q, boost))
    } else {
        q
    }
}

/// The phrase of `tokens` in field `f` with `slop` (a term alone when there is one token), at
/// the tokens' own positions: Chinese words are at character offsets.
fn phrase(f: Field, tokens: &[(usize, String)], slop: u32) -> Boxed {
    if let [(_, token)] = tokens {
        return Box::new(TermQuery::new(
            Term::from_field_text(f, token),
            IndexRecordOption::WithFreqs,
        ));
    }
    let terms: Vec<(usize, Term)> = tokens
        .iter()
        .map(|(p, t)| (*p, Term::from_field_text(f, t)))
        .collect();
    Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))
}

/// `a`'s tokens, then `b`'s after them.
fn joined(a: &[(usize, String)], b: &[(usize, String)]) -> Vec<(usize, String)> {
    let next = a.iter().map(|(p, _)| p + 1).max().unwrap_or(0);
    a.iter()
        .cloned()
        .chain(b.iter().map(|(p, t)| (p + next, t.clone())))
        .collect()
}

fn most_frequent(found: BTreeMap<String, u64>, limit: usize) -> Vec<String> {
    let mut v: Vec<(String, u64)> = found.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter().take(limit).map(|(t, _)| t).collect()
}

fn positive_leaves<'n>(node: &'n Node, out: &mut Vec<&'n Node>) {
    match node {
        Node::Word { .. } | Node::Phrase { .. } | Node::Near { .. } => out.push(node),
        Node::And(parts) | Node::Or(parts) => parts.iter().for_each(|p| positive_leaves(p, out)),
        Node::Not(_) => {}
    }
}
