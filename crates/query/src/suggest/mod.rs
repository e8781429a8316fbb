//! Autocomplete: completions for a partly typed query, fast enough for every keystroke.
//!
//! Suggestions come from an in-memory [`Dictionary`] of the library's publication titles,
//! topics, and the words of titles, summaries, topics and page text (the first
//! [`MAX_TEXT_CHARS`] characters of it), with how many publications have each word and each
//! pair of words in a row. It is built from the index on first use and rebuilt when the index
//! reader moves to a new searcher generation (a new commit), so a keystroke never touches the
//! index. [`Suggester`] keeps that cache.
//!
//! Matching is accent- and case-insensitive (the index's prefix analyzer folds both). Each
//! typed word matches a word of a title or topic that starts with it; from 4 letters on one
//! typo is forgiven (two from 8), never in the first letter. The last word is also completed
//! from the word list: first the words that follow the word before it in the library, then the
//! most frequent; a last word typed whole is continued by the words that most often follow it
//! (`asylum` → `asylum seekers`). Matches as typed come before typo matches, and a text
//! offered twice is offered once. All work is bounded: the query is cut to
//! [`MAX_QUERY_WORDS`] words, the dictionary to [`MAX_TITLES`] titles, [`MAX_WORDS`] words and
//! [`MAX_PAIRS`] pairs, and the answer to [`MAX_LIMIT`] suggestions.
//!
//! The HTTP answer (`GET /api/suggest?q=&limit=`) is a [`Suggestions`]:
//!
//! ```json
//! {"q": "helth",
//!  "suggestions": [
//!    {"kind": "topic", "text": "health"},
//!    {"kind": "title", "text": "Registering with a GP", "id": "2005-06-registering-with-a-gp"},
//!    {"kind": "word", "text": "health professionals"}]}
//! ```
//!
//! `kind` is `title` (with the publication `id`), `topic` or `word`; for `word`, `text` is the
//! whole query with its last word completed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, RwLock};

use pubsearch_core::analysis;
use pubsearch_core::schema::{Fields, kind};
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, TantivyDocument, TantivyError, Term};

/// Longest query accepted, in characters; longer ones are refused by the HTTP handler.
pub const MAX_QUERY_CHARS: usize = 200;
/// Words of the query that are looked at (the last ones).
pub const MAX_QUERY_WORDS: usize = 8;
/// Default number of suggestions.
pub const DEFAULT_LIMIT: usize = 8;
/// Most suggestions returned.
pub const MAX_LIMIT: usize = 20;
/// Most titles kept in the dictionary.
pub const MAX_TITLES: usize = 50_000;
/// Most distinct words kept in the dictionary (the most frequent).
pub const MAX_WORDS: usize = 100_000;
/// Most title suggestions in one answer.
const MAX_TITLE_SUGGESTIONS: usize = 4;
/// Most topic suggestions in one answer.
const MAX_TOPIC_SUGGESTIONS: usize = 3;
/// Words shorter than this are not suggested.
const MIN_WORD_CHARS: usize = 3;
/// Characters of page text read into the dictionary, at most (the first pages of the index
/// beyond that are left out): bounds the work of a rebuild.
pub const MAX_TEXT_CHARS: usize = 16_000_000;
/// Most word pairs kept (the most frequent), to complete a word after the one before it.
pub const MAX_PAIRS: usize = 200_000;

/// Common English words that are never worth suggesting on their own.
const STOP_WORDS: &[&str] = &[
    "about", "after", "all", "also", "and", "any", "are", "been", "but", "can", "for", "from",
    "had", "has", "have", "her", "his", "how", "into", "its", "more", "not", "now", "one", "our",
    "out", "over", "she", "sample", "than", "that", "the", "their", "them", "they", "this",
    "those", "two", "was", "were", "what", "when", "who", "why", "will", "with", "you", "your",
];

/// What a suggestion is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// A publication title.
    Title,
    /// A topic.
    Topic,
    /// The query with its last word completed.
    Word,
}

/// One suggestion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// What it is.
    pub kind: SuggestionKind,
    /// The text to show and to search for.
    pub text: String,
    /// The publication id, for titles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// The answer to one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suggestions {
    /// The query as received.
    pub q: String,
    /// Best first.
    pub suggestions: Vec<Suggestion>,
}

#[derive(Clone, Debug)]
struct Title {
    id: String,
    text: String,
    tokens: Vec<String>,
}

#[derive(Clone, Debug)]
struct Topic {
    text: String,
    tokens: Vec<String>,
    count: u64,
}

#[derive(Clone, Debug)]
struct Word {
    /// Folded form, the sort key.
    key: String,
    /// Lower-case form as written.
    text: String,
    /// Publications it occurs in (title, summary, topics or text).
    freq: u64,
}

/// The words, titles and topics suggestions are drawn from.
#[derive(Clone, Debug, Default)]
pub struct Dictionary {
    titles: Vec<Title>,
    topics: Vec<Topic>,
    /// Sorted by `key`.
    words: Vec<Word>,
    /// How many publications have the second word right after the first (folded keys).
    pairs: BTreeMap<(String, String), u64>,
}

/// Input for [`Dictionary::build`]: one publication's metadata.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    /// Publication id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Topics.
    pub topics: Vec<String>,
    /// Its text (all or some of its pages).
    pub text: String,
}

fn fold(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    analysis::tokens(analyzer, text)
}

fn raw_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

impl Dictionary {
    /// Builds a dictionary from publications' metadata.
    pub fn build(entries: impl IntoIterator<Item = Entry>) -> Dictionary {
        let mut analyzer = analysis::prefix_analyzer();
        let mut titles = Vec::new();
        let mut topics: BTreeMap<String, u64> = BTreeMap::new();
        // folded key -> (spellings with counts, publications)
        let mut words: HashMap<String, (BTreeMap<String, u64>, u64)> = HashMap::new();
        let mut pairs: BTreeMap<(String, String), u64> = BTreeMap::new();
        for entry in entries {
            if titles.len() < MAX_TITLES && !entry.title.trim().is_empty() {
                titles.push(Title {
                    id: entry.id.clone(),
                    text: entry.title.trim().to_string(),
                    tokens: fold(&mut analyzer, &entry.title),
                });
            }
            for topic in &entry.topics {
                let t = topic.trim();
                if !t.is_empty() {
                    *topics.entry(t.to_string()).or_default() += 1;
                }
            }
            let all = [
                entry.title.as_str(),
                entry.summary.as_str(),
                entry.text.as_str(),
            ]
            .into_iter()
            .chain(entry.topics.iter().map(String::as_str));
            let mut seen: HashSet<String> = HashSet::new();
            let mut seen_pairs: HashSet<(String, String)> = HashSet::new();
            for text in all {
                // The folded key of the word before, if it was one (pairs do not span texts).
                let mut before: Option<String> = None;
                for word in raw_words(text) {
                    let key = fold(&mut analyzer, &word).concat();
                    let previous = before.replace(key.clone());
                    if word.chars().count() < MIN_WORD_CHARS
                        || word.chars().all(|c| c.is_ascii_digit())
                        || STOP_WORDS.contains(&word.as_str())
                        || key.is_empty()
                    {
                        continue;
                    }
                    if let Some(p) = previous.filter(|p| !p.is_empty()) {
                        let pair = (p, key.clone());
                        if !seen_pairs.contains(&pair) {
                            *pairs.entry(pair.clone()).or_default() += 1;
                            seen_pairs.insert(pair);
                        }
                    }
                    let slot = words.entry(key.clone()).or_default();
                    *slot.0.entry(word).or_default() += 1;
                    if seen.insert(key) {
                        slot.1 += 1;
                    }
                }
            }
        }
        if pairs.len() > MAX_PAIRS {
            let mut all: Vec<((String, String), u64)> = pairs.into_iter().collect();
            all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            all.truncate(MAX_PAIRS);
            pairs = all.into_iter().collect();
        }
        let mut words: Vec<Word> = words
            .into_iter()
            .filter_map(|(key, (spellings, freq))| {
                let text = spellings
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))?
                    .0;
                Some(Word { key, text, freq })
            })
            .collect();
        if words.len() > MAX_WORDS {
            words.sort_by(|a, b| b.freq.cmp(&a.freq).then_with(|| a.key.cmp(&b.key)));
            words.truncate(MAX_WORDS);
        }
        words.sort_by(|a, b| a.key.cmp(&b.key));
        let topics = topics
            .into_iter()
            .map(|(text, count)| Topic {
                tokens: fold(&mut analyzer, &text),
                text,
                count,
            })
            .collect();
        Dictionary {
            titles,
            topics,
            words,
            pairs,
        }
    }

    /// Reads every publication of the index behind `searcher`.
    pub fn from_searcher(searcher: &Searcher, fields: &Fields) -> Result<Dictionary, TantivyError> {
        let query = TermQuery::new(
            Term::from_field_text(fields.kind, kind::PUBLICATION),
            IndexRecordOption::Basic,
        );
        let addresses = searcher.search(&query, &DocSetCollector)?;
        let mut entries = Vec::with_capacity(addresses.len().min(MAX_TITLES));
        for addr in addresses.into_iter().take(MAX_TITLES) {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let first = |f| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            entries.push(Entry {
                id: first(fields.id),
                title: first(fields.title),
                summary: first(fields.summary),
                topics: doc
                    .get_all(fields.topics)
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                text: String::new(),
            });
        }
        // Stable order whatever the segment layout.
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        let by_id: HashMap<String, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let pages = TermQuery::new(
            Term::from_field_text(fields.kind, kind::PAGE),
            IndexRecordOption::Basic,
        );
        let mut pages: Vec<_> = searcher
            .search(&pages, &DocSetCollector)?
            .into_iter()
            .collect();
        pages.sort();
        let mut budget = MAX_TEXT_CHARS;
        for addr in pages {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = doc.get_first(fields.page_text).and_then(|v| v.as_str());
            let id = doc.get_first(fields.id).and_then(|v| v.as_str());
            let (Some(text), Some(&i)) = (text, id.and_then(|id| by_id.get(id))) else {
                continue;
            };
            if text.len() > budget {
                break;
            }
            budget -= text.len();
            entries[i].text.push_str(text);
            entries[i].text.push('\n');
        }
        Ok(Dictionary::build(entries))
    }

    /// Number of distinct words.
    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// Suggestions for `q`, at most `limit` (capped at [`MAX_LIMIT`]): those that match as
    /// typed before those that forgive a typo; among equals, topics, then titles, then the
    /// query with its last word completed. A text offered twice (the topic "health" and the
    /// word "health") is offered once, as the first.
    pub fn suggest(&self, q: &str, limit: usize) -> Vec<Suggestion> {
        let limit = limit.clamp(1, MAX_LIMIT);
        let mut analyzer = analysis::prefix_analyzer();
        let q: String = q.chars().take(MAX_QUERY_CHARS).collect();
        let mut typed = fold(&mut analyzer, &q);
        if typed.iter().map(|t| t.chars().count()).sum::<usize>() < 2 {
            return Vec::new();
        }
        if typed.len() > MAX_QUERY_WORDS {
            typed.drain(..typed.len() - MAX_QUERY_WORDS);
        }
        // (typos, rank within the typos) per suggestion, sorted at the end.
        let mut found: Vec<(usize, usize, Suggestion)> = Vec::new();

        // Titles: every typed word matches a word of the title.
        let mut titles: Vec<(usize, usize, &Title)> = self
            .titles
            .iter()
            .filter_map(|t| match_all(&typed, &t.tokens).map(|typos| (typos, t.text.len(), t)))
            .collect();
        titles.sort_by_key(|t| (t.0, t.1));
        // Typo-tolerant matches only when nothing matches as typed.
        if let Some(best) = titles.first().map(|t| t.0) {
            titles.retain(|t| t.0 == best);
        }
        let mut topics: Vec<(usize, u64, &Topic)> = self
            .topics
            .iter()
            .filter_map(|t| match_all(&typed, &t.tokens).map(|typos| (typos, t.count, t)))
            .collect();
        topics.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)));
        if let Some(best) = topics.first().map(|t| t.0) {
            topics.retain(|t| t.0 == best);
        }
        for (i, (typos, _, t)) in topics.iter().take(MAX_TOPIC_SUGGESTIONS).enumerate() {
            let s = Suggestion {
                kind: SuggestionKind::Topic,
                text: t.text.clone(),
                id: None,
            };
            found.push((*typos, i, s));
        }
        for (i, (typos, _, t)) in titles.iter().take(MAX_TITLE_SUGGESTIONS).enumerate() {
            let s = Suggestion {
                kind: SuggestionKind::Title,
                text: t.text.clone(),
                id: Some(t.id.clone()),
            };
            found.push((*typos, MAX_TOPIC_SUGGESTIONS + i, s));
        }

        // Words: complete the last word, unless it is already finished (trailing space).
        let ends_open = q.chars().last().is_some_and(|c| !c.is_whitespace());
        if ends_open && let Some(last) = typed.last() {
            let head = match q.trim_end().rfind(char::is_whitespace) {
                Some(i) => q[..i].trim_end().to_string() + " ",
                None => String::new(),
            };
            let before = typed.len().checked_sub(2).map(|i| typed[i].as_str());
            let whole = q.trim().to_lowercase();
            let first_word = MAX_TOPIC_SUGGESTIONS + MAX_TITLE_SUGGESTIONS;
            for (i, (typos, w)) in self.complete(before, last, limit).into_iter().enumerate() {
                let text = format!("{head}{}", w.text);
                if text.to_lowercase() != whole {
                    let s = Suggestion {
                        kind: SuggestionKind::Word,
                        text,
                        id: None,
                    };
                    found.push((typos, first_word + i, s));
                }
            }
            // A finished word: what follows it in the library (`asylum` → `asylum seekers`).
            if self
                .words
                .binary_search_by(|w| w.key.as_str().cmp(last))
                .is_ok()
            {
                let start = first_word + limit;
                for (i, next) in self.next_words(last, limit).into_iter().enumerate() {
                    let s = Suggestion {
                        kind: SuggestionKind::Word,
                        text: format!("{} {}", q.trim_end(), next.text),
                        id: None,
                    };
                    found.push((0, start + i, s));
                }
            }
        }
        found.sort_by_key(|(typos, rank, _)| (*typos, *rank));
        let mut out: Vec<Suggestion> = Vec::new();
        for (_, _, s) in found {
            let dup = out
                .iter()
                .any(|o| o.text.to_lowercase() == s.text.to_lowercase());
            if !dup && out.len() < limit {
                out.push(s);
            }
        }
        out
    }

    /// Words completing `prefix` (folded) with their typos: first those that follow `before`
    /// (the word typed before it) in the library most often, then the others, most frequent
    /// first; typo-tolerant when none complete it as typed (the first letter as typed).
    fn complete(&self, before: Option<&str>, prefix: &str, limit: usize) -> Vec<(usize, &Word)> {
        if prefix.chars().count() < 2 {
            return Vec::new();
        }
        let after = |w: &Word| {
            before.map_or(0, |b| {
                self.pairs
                    .get(&(b.to_string(), w.key.clone()))
                    .copied()
                    .unwrap_or(0)
            })
        };
        let start = self.words.partition_point(|w| w.key.as_str() < prefix);
        let mut found: Vec<&Word> = self.words[start..]
            .iter()
            .take_while(|w| w.key.starts_with(prefix))
            .take(MAX_WORDS)
            .collect();
        found.sort_by(|a, b| {
            after(b)
                .cmp(&after(a))
                .then_with(|| b.freq.cmp(&a.freq))
                .then_with(|| a.key.cmp(&b.key))
        });
        found.truncate(limit);
        let mut found: Vec<(usize, &Word)> = found.into_iter().map(|w| (0, w)).collect();
        let budget = typo_budget(prefix);
        if found.is_empty() && budget > 0 {
            let mut fuzzy: Vec<(usize, &Word)> = self
                .words
                .iter()
                .filter(|w| !w.key.starts_with(prefix))
                .filter_map(|w| typo_distance(prefix, &w.key, budget).map(|d| (d, w)))
                .collect();
            fuzzy.sort_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| after(b.1).cmp(&after(a.1)))
                    .then_with(|| b.1.freq.cmp(&a.1.freq))
                    .then_with(|| a.1.key.cmp(&b.1.key))
            });
            found.extend(fuzzy.into_iter().take(limit));
        }
        found
    }

    /// The words that most often follow the word `key` (folded), most publications first.
    fn next_words(&self, key: &str, limit: usize) -> Vec<&Word> {
        let mut next: Vec<(u64, &Word)> = self
            .pairs
            .range((key.to_string(), String::new())..)
            .take_while(|((a, _), _)| a == key)
            .filter_map(|((_, b), n)| {
                let i = self
                    .words
                    .binary_search_by(|w| w.key.as_str().cmp(b))
                    .ok()?;
                Some((*n, &self.words[i]))
            })
            .collect();
        next.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.key.cmp(&b.1.key)));
        next.into_iter().take(limit).map(|(_, w)| w).collect()
    }
}

/// Typos forgiven in a typed word of this length.
fn typo_budget(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// If every typed word matches (as a prefix, maybe with typos) some of `tokens`, the total
/// number of typos; `None` otherwise.
fn match_all(typed: &[String], tokens: &[String]) -> Option<usize> {
    let mut typos = 0;
    for t in typed {
        let budget = typo_budget(t);
        let best = tokens
            .iter()
            .filter_map(|w| {
                if w.starts_with(t.as_str()) {
                    Some(0)
                } else if budget > 0 {
                    typo_distance(t, w, budget)
                } else {
                    None
                }
            })
            .min()?;
        typos += best;
    }
    Some(typos)
}

/// [`prefix_distance`] for a typo: the first letter is taken as typed (people rarely get it
/// wrong, and without it `kettle` would complete to `settlement`).
fn typo_distance(typed: &str, word: &str, max: usize) -> Option<usize> {
    let first = |s: &str| s.chars().next();
    if first(typed) != first(word) {
        return None;
    }
    prefix_distance(typed, word, max)
}

/// The smallest edit distance (insertions, deletions, substitutions, adjacent swaps) between
/// `typed` and a prefix of `word`, if it is at most `max`.
fn prefix_distance(typed: &str, word: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = typed.chars().collect();
    let b: Vec<char> = word.chars().take(a.len() + max).collect();
    if b.len() + max < a.len() {
        return None;
    }
    // rows[i][j]: distance between a[..i] and b[..j]; three rows suffice for swaps.
    let width = b.len() + 1;
    let mut prev2 = vec![0usize; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur = vec![0usize; width];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    // `prev` is the last row: distance of all of `a` to each prefix of `b`.
    prev.iter().copied().min().filter(|d| *d <= max)
}

/// A [`Dictionary`] cache keyed by the searcher generation it was built from.
#[derive(Default)]
pub struct Suggester {
    cache: RwLock<Option<(u64, Arc<Dictionary>)>>,
}

impl Suggester {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The dictionary for `searcher`'s generation, built now if the cached one is older.
    pub fn dictionary(
        &self,
        searcher: &Searcher,
        fields: &Fields,
    ) -> Result<Arc<Dictionary>, TantivyError> {
        let generation = searcher.generation().generation_id();
        {
            let cached = self.cache.read().unwrap_or_else(|p| p.into_inner());
            if let Some((g, dict)) = cached.as_ref()
                && *g == generation
            {
                return Ok(dict.clone());
            }
        }
        let mut cache = self.cache.write().unwrap_or_else(|p| p.into_inner());
        // Another request may have built it while this one waited for the lock.
        if let Some((g, dict)) = cache.as_ref()
            && *g == generation
        {
            return Ok(dict.clone());
        }
        let dict = Arc::new(Dictionary::from_searcher(searcher, fields)?);
        *cache = Some((generation, dict.clone()));
        Ok(dict)
    }

    /// Suggestions for `q` from the index behind `searcher`.
    pub fn suggest(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        q: &str,
        limit: usize,
    ) -> Result<Suggestions, TantivyError> {
        let dict = self.dictionary(searcher, fields)?;
        Ok(Suggestions {
            q: q.to_string(),
            suggestions: dict.suggest(q, limit),
        })
    }
}

#[cfg(test)]
mod tests;
