//! Text analysis for every full-text field, at index and at query time, in each of the
//! library's languages.
//!
//! English (the default, and what an untagged value is): tokens split on non-alphanumeric
//! characters, lower-cased, folded to ASCII (so `café` matches `cafe`) and stemmed with the
//! English Snowball stemmer (so `migrants` matches `migrant`). Other languages: see
//! [`languages`]; a value in another language carries a [`tag`] that the field's
//! [`languages::MultilingualTokenizer`] reads. Tantivy does not persist custom analyzers, so
//! [`register`] runs on every open.
//!
//! Snippets re-analyse stored text per request; a [`Highlighter`] does it with the page's
//! language, and for English with [`highlight_analyzer`], which skips the work for words that
//! cannot match the query.

pub mod lang;
pub mod languages;
pub mod tag;

pub use lang::Lang;

use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{Index, Searcher, Term};

/// Name under which the analyzer is registered with tantivy.
pub const TEXT_ANALYZER: &str = "pubsearch_text";

/// Tokens longer than this many bytes are dropped (base64 blobs, glued garbage).
pub const MAX_TOKEN_BYTES: usize = 60;

/// Builds the analyzer: simple tokenizer, long-token filter, lower case, ASCII folding, stemming.
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The same analyzer without the stemmer, for prefix matching of partly typed words.
pub fn prefix_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The analyzer for highlighting matches of `terms` (already analysed index terms): the same
/// tokens as [`text_analyzer`] wherever a token can equal one of `terms`, without the cost of
/// stemming the words that cannot.
///
/// Snippets re-analyse stored page text on every request, and stemming was most of that cost.
/// The English Snowball stemmer never changes a word's first character (tested below), so a word
/// whose first character starts none of `terms` cannot stem to one of them; it passes through
/// unstemmed, which cannot make it equal to one of them either.
pub fn highlight_analyzer<'t>(terms: impl IntoIterator<Item = &'t str>) -> TextAnalyzer {
    let mut first: Vec<char> = terms.into_iter().filter_map(|t| t.chars().next()).collect();
    first.sort_unstable();
    first.dedup();
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StemIfFirstChar { first })
        .build()
}

/// A snippet generator for `query`'s terms in `field`, for English text: tantivy's
/// `SnippetGenerator::create` (rarer terms weigh more), but analysing the text with
/// [`highlight_analyzer`].
pub fn snippet_generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    max_chars: usize,
) -> tantivy::Result<SnippetGenerator> {
    let weights = term_weights(searcher, query, field)?;
    let analyzer = highlight_analyzer(weights.keys().map(String::as_str));
    Ok(SnippetGenerator::new(weights, analyzer, field, max_chars))
}

/// Snippets of text in any of the library's languages, for one query: each language's text is
/// analysed with that language's analyzer (English with the [`highlight_analyzer`]
/// shortcut, which holds for the English stemmer only).
pub struct Highlighter {
    weights: BTreeMap<String, f32>,
    field: Field,
    max_chars: usize,
    generators: Vec<std::cell::OnceCell<SnippetGenerator>>,
}

impl Highlighter {
    /// A highlighter for `query`'s terms in `field`.
    pub fn new(
        searcher: &Searcher,
        query: &dyn Query,
        field: Field,
        max_chars: usize,
    ) -> tantivy::Result<Highlighter> {
        Ok(Highlighter {
            weights: term_weights(searcher, query, field)?,
            field,
            max_chars,
            generators: Lang::ALL
                .iter()
                .map(|_| std::cell::OnceCell::new())
                .collect(),
        })
    }

    fn generator(&self, lang: Lang) -> &SnippetGenerator {
        let slot = Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0);
        self.generators[slot].get_or_init(|| {
            let analyzer = if lang == Lang::En {
                highlight_analyzer(self.weights.keys().map(String::as_str))
            } else {
                languages::index_analyzer(lang)
            };
            SnippetGenerator::new(self.weights.clone(), analyzer, self.field, self.max_chars)
        })
    }

    /// The snippet of `text` (untagged), written in `langs` (English when empty): the first
    /// language's snippet that highlights something, else the first language's.
    pub fn snippet(&self, langs: &[Lang], text: &str) -> tantivy::snippet::Snippet {
        let langs = if langs.is_empty() {
            &[Lang::En][..]
        } else {
            langs
        };
        let mut first = None;
        for &lang in langs {
            let s = self.generator(lang).snippet(text);
            if !s.highlighted().is_empty() {
                return s;
            }
            first.get_or_insert(s);
        }
        first.unwrap_or_else(tantivy::snippet::Snippet::empty)
    }
}

/// The weight of each of `query`'s terms in `field` that the index has: rarer terms weigh more,
/// as in tantivy's `SnippetGenerator::create`.
fn term_weights(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
) -> tantivy::Result<BTreeMap<String, f32>> {
    let mut terms: BTreeSet<Term> = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut weights: BTreeMap<String, f32> = BTreeMap::new();
    for term in &terms {
        let value = term.value();
        let Some(text) = value.as_str() else {
            continue;
        };
        let doc_freq = searcher.doc_freq(term)?;
        if doc_freq > 0 {
            weights.insert(text.to_string(), 1.0 / (1.0 + doc_freq as f32));
        }
    }
    Ok(weights)
}

/// Stems only the tokens whose first character is in `first`.
#[derive(Clone)]
struct StemIfFirstChar {
    first: Vec<char>,
}

impl TokenFilter for StemIfFirstChar {
    type Tokenizer<T: Tokenizer> = StemIfFirstCharFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StemIfFirstCharFilter<T> {
        StemIfFirstCharFilter {
            first: self.first,
            // tantivy's own stemmer, so stems are exactly the index's.
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
            inner,
        }
    }
}

/// The tokenizer `StemIfFirstChar` builds.
#[derive(Clone)]
pub struct StemIfFirstCharFilter<T> {
    first: Vec<char>,
    stemmer: TextAnalyzer,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StemIfFirstCharFilter<T> {
    type TokenStream<'a> = StemIfFirstCharStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemIfFirstCharStream {
            tail: self.inner.token_stream(text),
            first: &self.first,
            stemmer: &mut self.stemmer,
        }
    }
}

/// The token stream of [`StemIfFirstCharFilter`].
pub struct StemIfFirstCharStream<'a, S> {
    tail: S,
    first: &'a [char],
    stemmer: &'a mut TextAnalyzer,
}

impl<S: TokenStream> TokenStream for StemIfFirstCharStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token
            .text
            .chars()
            .next()
            .is_some_and(|c| self.first.contains(&c))
        {
            let stemmed = self
                .stemmer
                .token_stream(&token.text)
                .next()
                .map(|t| t.text.clone());
            if let Some(stemmed) = stemmed {
                token.text = stemmed;
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Registers the field analyzer on an opened index. Call after every open.
pub fn register(index: &Index) {
    index.tokenizers().register(
        TEXT_ANALYZER,
        TextAnalyzer::from(languages::MultilingualTokenizer::default()),
    );
}

/// Runs `analyzer` over `text` and returns the token texts in order.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The library's languages that have a stop-word list (tantivy's, from Lucene and Snowball).
/// Polish, Ukrainian, Arabic, Swahili and Chinese have none there; their most frequent words
/// are found by document frequency instead (see the query crate's relaxation).
pub const STOP_WORD_LANGUAGES: [Language; 3] =
    [Language::English, Language::Spanish, Language::Portuguese];

/// Whether `word` is a stop word ("the", "of", "de", "que", ...) in one of
/// [`STOP_WORD_LANGUAGES`], case-insensitively.
pub fn is_stop_word(word: &str) -> bool {
    static LISTS: std::sync::LazyLock<Vec<TextAnalyzer>> = std::sync::LazyLock::new(|| {
        STOP_WORD_LANGUAGES
            .into_iter()
            .filter_map(StopWordFilter::new)
            .map(|stop| {
                TextAnalyzer::builder(RawTokenizer::default())
                    .filter(LowerCaser)
                    .filter(stop)
                    .build()
            })
            .collect()
    });
    let word = word.trim();
    !word.is_empty()
        && LISTS.iter().any(|list| {
            let mut list = list.clone();
            let mut stream = list.token_stream(word);
            !stream.advance()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_of_the_library_languages() {
        for w in ["the", "The", "of", "and", "de", "que", "los", "não"] {
            assert!(is_stop_word(w), "{w}");
        }
        for w in ["refugee", "health", "", "migrantes", "zdrowie"] {
            assert!(!is_stop_word(w), "{w}");
        }
    }

    #[test]
    fn folds_accents_lowercases_and_stems() {
        let got = tokens(&mut text_analyzer(), "Migrants' CAFÉ naïve Communities");
        assert_eq!(got, vec!["migrant", "cafe", "naiv", "communiti"]);
    }

    /// Deterministic words: random stems with the suffixes the Snowball rules act on.
    fn words() -> Vec<String> {
        const SUFFIXES: [&str; 24] = [
            "", "s", "es", "ies", "ied", "ing", "ying", "ed", "ly", "y", "ational", "ation",
            "ement", "ness", "ful", "ous", "ive", "ize", "able", "ible", "ic", "al", "ance", "ss",
        ];
        let mut words: Vec<String> = [
            "dying",
            "lying",
            "tying",
            "skies",
            "skis",
            "idly",
            "gently",
            "ugly",
            "early",
            "only",
            "singly",
            "news",
            "howe",
            "atlas",
            "cosmos",
            "bias",
            "andes",
            "yes",
            "y",
            "ys",
            "yield",
            "eyed",
            "ies",
            "ied",
            "s",
            "us",
            "ing",
            "ed",
            "a",
            "1990s",
            "2004",
            "migrants",
            "communities",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..50_000 {
            let len = 1 + (next() % 9) as usize;
            let mut w: String = (0..len)
                .map(|_| {
                    let r = next() % 32;
                    // Vowels often, as in real words; y too, which the stemmer treats specially.
                    match r {
                        0..=25 => (b'a' + r as u8) as char,
                        26 => 'e',
                        27 => 'i',
                        28 => 'o',
                        29 => 'y',
                        _ => 'a',
                    }
                })
                .collect();
            w.push_str(SUFFIXES[(next() % SUFFIXES.len() as u64) as usize]);
            words.push(w);
        }
        words
    }

    #[test]
    fn stemming_keeps_the_first_character() {
        let mut analyzer = text_analyzer();
        for word in words() {
            let stem = tokens(&mut analyzer, &word);
            assert_eq!(stem.len(), 1, "{word}");
            assert_eq!(
                stem[0].chars().next(),
                word.chars().next(),
                "{word} stems to {}",
                stem[0]
            );
        }
    }

    /// Token texts with their offsets.
    fn spans(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn highlighting_finds_every_token_the_index_would() {
        let long = "x".repeat(MAX_TOKEN_BYTES);
        let text = format!(
            "{} Migrants' CAFÉ naïve Ünïcode Æsir ÉCOLE über Zürich {long} Дом 東京 \
             state-of-the-art 3.14 DYING Skies ONLY\n\tCommunities, a-b",
            words().join(" ")
        );
        let full = spans(&mut text_analyzer(), &text);
        for terms in [
            vec!["migrant", "communiti"],
            vec!["die", "sky", "onli"],
            vec!["2004", "yield", "a"],
            vec![
                "cafe", "naiv", "unicod", "aesir", "ecol", "uber", "zurich", "дом", "東京",
            ],
        ] {
            let partial = spans(&mut highlight_analyzer(terms.iter().copied()), &text);
            assert_eq!(partial.len(), full.len());
            for (p, f) in partial.iter().zip(&full) {
                assert_eq!((p.1, p.2), (f.1, f.2), "offsets of {f:?}");
                let wanted = terms.contains(&f.0.as_str());
                assert_eq!(terms.contains(&p.0.as_str()), wanted, "{p:?} vs {f:?}");
                if wanted {
                    assert_eq!(p.0, f.0);
                }
            }
            // Every term in the text is found.
            for term in &terms {
                assert!(partial.iter().any(|p| p.0 == *term), "{term}");
            }
        }
    }

    #[test]
    fn prefix_analyzer_keeps_word_whole() {
        assert_eq!(tokens(&mut prefix_analyzer(), "Communit"), vec!["communit"]);
    }
}
