//! One analyzer per language, and the field analyzer that picks one by the value's tag.
//!
//! | language | tokens | then |
//! |---|---|---|
//! | English | letters and digits | lower case, ASCII folding, English Snowball stemmer |
//! | Spanish, Portuguese, French, German, Italian, Dutch | same | lower case, ASCII folding, the language's Snowball stemmer |
//! | Polish | same | lower case, Polish Snowball stemmer, *then* ASCII folding (the stemmer reads the diacritics) |
//! | Ukrainian, Russian | same | lower case, the Snowball stemmer; never folded (Cyrillic would fold to nothing) |
//! | Arabic | letters with their marks | lower case, Arabic normalisation, Arabic Snowball stemmer (which removes the article and attached prepositions) |
//! | Swahili, Somali | letters and digits | lower case, ASCII folding (no stemmer exists) |
//! | Chinese | words found by jieba (search mode, so the parts of a compound are words too) | lower case, ASCII folding, English stemmer for Latin words |
//!
//! Folding before stemming for the Romance and Germanic languages is deliberate: people type
//! `migracion` for `migración` in a search box, and folding first makes both the same word.
//! Polish folds after stemming because its stemmer needs the diacritics (`uchodźców` →
//! `uchodźc`, where the folded `uchodzcow` is left whole).
//!
//! Positions: Chinese tokens are at their character offsets (jieba's), so that a compound and
//! its parts sit where they are in the text; [`positioned_tokens`] gives a query's tokens with
//! the same positions, and phrases are built from them.

use std::sync::LazyLock;

use tantivy::tokenizer::{
    AsciiFoldingFilter, BoxTokenStream, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy_jieba::JiebaTokenizer;

use super::lang::Lang;
use super::tag::untag;
use super::{MAX_TOKEN_BYTES, text_analyzer};

/// The analyzer of `lang` for indexing (and for highlighting).
pub fn index_analyzer(lang: Lang) -> TextAnalyzer {
    build(lang, true, true)
}

/// The analyzer of `lang` for a query: the index's, except that Chinese is segmented into
/// its longest words (the index also holds their parts).
pub fn query_analyzer(lang: Lang) -> TextAnalyzer {
    build(lang, true, false)
}

/// The analyzer of `lang` without stemming, for prefixes of partly typed words (the index
/// terms of Polish are folded stems, so a folded prefix of the word is a prefix of its term).
pub fn prefix_analyzer(lang: Lang) -> TextAnalyzer {
    build(lang, false, false)
}

fn build(lang: Lang, stem: bool, search_mode: bool) -> TextAnalyzer {
    if lang == Lang::En && stem {
        return text_analyzer();
    }
    let builder = match lang {
        Lang::Ar => TextAnalyzer::builder(WordTokenizer).dynamic(),
        Lang::Zh => TextAnalyzer::builder(ChineseTokenizer { search_mode }).dynamic(),
        _ => TextAnalyzer::builder(SimpleTokenizer::default()).dynamic(),
    };
    let builder = builder
        .filter_dynamic(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter_dynamic(LowerCaser);
    match lang {
        Lang::En | Lang::Zh if stem => builder
            .filter_dynamic(AsciiFoldingFilter)
            .filter_dynamic(Stemmer::new(Language::English))
            .build(),
        Lang::Es | Lang::Pt | Lang::Fr | Lang::De | Lang::It | Lang::Nl if stem => {
            let l = match lang {
                Lang::Es => Language::Spanish,
                Lang::Pt => Language::Portuguese,
                Lang::Fr => Language::French,
                Lang::De => Language::German,
                Lang::It => Language::Italian,
                _ => Language::Dutch,
            };
            builder
                .filter_dynamic(AsciiFoldingFilter)
                .filter_dynamic(Stemmer::new(l))
                .build()
        }
        Lang::Pl if stem => builder
            .filter_dynamic(Map(stem_polish))
            .filter_dynamic(AsciiFoldingFilter)
            .build(),
        Lang::Uk if stem => builder.filter_dynamic(Map(stem_ukrainian)).build(),
        Lang::Ru if stem => builder
            .filter_dynamic(Stemmer::new(Language::Russian))
            .build(),
        Lang::Ar if stem => builder
            .filter_dynamic(Map(normalize_arabic))
            .filter_dynamic(Map(strip_arabic_conjunction))
            .filter_dynamic(Stemmer::new(Language::Arabic))
            .build(),
        Lang::Ar => builder.filter_dynamic(Map(normalize_arabic)).build(),
        Lang::Uk | Lang::Ru => builder.build(),
        _ => builder.filter_dynamic(AsciiFoldingFilter).build(),
    }
}

fn stem_polish(word: &mut String) {
    static STEMMER: LazyLock<frostem::Stemmer> =
        LazyLock::new(|| frostem::Stemmer::new(frostem::Algorithm::Polish));
    let stem = STEMMER.stem(word).into_owned();
    *word = stem;
}

fn stem_ukrainian(word: &mut String) {
    static STEMMER: LazyLock<frostem::Stemmer> =
        LazyLock::new(|| frostem::Stemmer::new(frostem::Algorithm::Ukrainian));
    let stem = STEMMER.stem(word).into_owned();
    *word = stem;
}

/// Arabic normalisation as Lucene's `ArabicNormalizer` does it: tashkeel (the short-vowel
/// marks) and tatweel removed, hamza-carrying alef forms to bare alef, alef maqsura to ya, ta
/// marbuta to ha.
pub fn normalize_arabic(word: &mut String) {
    if !word.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        return;
    }
    let out: String = word
        .chars()
        .filter_map(|c| match c {
            // Tatweel, tashkeel (fathatan .. sukun), superscript alef.
            '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' => None,
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ى' => Some('ي'),
            'ة' => Some('ه'),
            other => Some(other),
        })
        .collect();
    *word = out;
}

/// The conjunction و or ف before an article (ال, and the prepositions with it: بال, كال, لل)
/// removed, as Larkey's Light10 stemmer does, so `والعائلات` stems as `العائلات`: the Snowball
/// Arabic stemmer removes the article and prepositions but not a conjunction before them. Only
/// when at least three letters follow the article, so `والي` and `والدة` stay whole.
fn strip_arabic_conjunction(word: &mut String) {
    let Some(rest) = word.strip_prefix('و').or_else(|| word.strip_prefix('ف')) else {
        return;
    };
    let after_article = ["ال", "بال", "كال", "لل"]
        .iter()
        .find_map(|article| rest.strip_prefix(article));
    if after_article.is_some_and(|noun| noun.chars().count() >= 3) {
        *word = rest.to_string();
    }
}

/// Splits text into runs of letters and digits, keeping combining marks (Arabic tashkeel,
/// Devanagari vowel signs) inside the word they belong to: tantivy's `SimpleTokenizer` would
/// cut a vowelled Arabic word at every mark.
#[derive(Clone, Copy, Default)]
pub struct WordTokenizer;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = VecStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream {
        let mut tokens = Vec::new();
        let mut push = |from: usize, to: usize| {
            tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position: tokens.len(),
                text: text[from..to].to_string(),
                position_length: 1,
            })
        };
        let mut start = None;
        for (i, c) in text.char_indices() {
            let word = is_word_char(c);
            match start {
                // A word starts with a letter or digit, not with a stray mark.
                None if word && !unicode_normalization::char::is_combining_mark(c) => {
                    start = Some(i)
                }
                Some(s) if !word => {
                    push(s, i);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            push(s, text.len());
        }
        VecStream::new(tokens)
    }
}

/// Chinese words by jieba, in text order, at their character positions; tokens of
/// punctuation and spaces dropped. In search mode a compound's parts are words too, at the
/// compound's positions (`移民健康指南` gives `移民`, `健康`, `指南` and so is found by `健康`).
#[derive(Clone, Copy)]
pub struct ChineseTokenizer {
    search_mode: bool,
}

impl Tokenizer for ChineseTokenizer {
    type TokenStream<'a> = VecStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream {
        let mut jieba = JiebaTokenizer::with_search_mode(self.search_mode);
        let mut stream = jieba.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            let t = stream.token();
            if t.text.chars().any(char::is_alphanumeric) {
                tokens.push(t.clone());
            }
        }
        // Positions must not go back for tantivy's postings; jieba's search mode gives a
        // compound's parts before the compound.
        tokens.sort_by_key(|t| (t.position, t.offset_from, t.position_length));
        VecStream::new(tokens)
    }
}

/// Tokens computed in advance.
pub struct VecStream {
    tokens: Vec<Token>,
    next: usize,
}

impl VecStream {
    fn new(tokens: Vec<Token>) -> Self {
        VecStream { tokens, next: 0 }
    }
}

impl TokenStream for VecStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// A filter that rewrites each token's text with a function.
#[derive(Clone, Copy)]
struct Map(fn(&mut String));

impl TokenFilter for Map {
    type Tokenizer<T: Tokenizer> = MapTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MapTokenizer<T> {
        MapTokenizer { map: self.0, inner }
    }
}

/// The tokenizer a language map builds.
#[derive(Clone)]
pub struct MapTokenizer<T> {
    map: fn(&mut String),
    inner: T,
}

impl<T: Tokenizer> Tokenizer for MapTokenizer<T> {
    type TokenStream<'a> = MapStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapStream {
            map: self.map,
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream of [`MapTokenizer`].
pub struct MapStream<S> {
    map: fn(&mut String),
    tail: S,
}

impl<S: TokenStream> TokenStream for MapStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        (self.map)(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The analyzer of every full-text field: reads the value's language tag
/// ([`super::tag`]) and analyses the rest with that language's [`index_analyzer`]; an
/// untagged value is English. A value tagged with several languages (a bilingual guide) is
/// analysed in each, one after the other, so each language's words and phrases are found.
/// Token offsets are relative to the text after the tag (stored text is read back untagged).
#[derive(Clone)]
pub struct MultilingualTokenizer {
    analyzers: Vec<TextAnalyzer>,
}

impl Default for MultilingualTokenizer {
    fn default() -> Self {
        MultilingualTokenizer {
            analyzers: Lang::ALL.into_iter().map(index_analyzer).collect(),
        }
    }
}

fn slot(lang: Lang) -> usize {
    Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0)
}

/// How far apart, in token positions, two values of one field are indexed (two pages of a
/// publication's text, two authors, two languages' readings of one value): more than the
/// widest proximity a query may ask for ([`MAX_PROXIMITY`]), so that no phrase or `NEAR`
/// match ever spans two pages. Token positions are not counted as tokens, so field lengths
/// (and scores) are unchanged.
pub const VALUE_GAP: usize = 1_000;

/// The widest proximity (`"a b"~N`, `a NEAR/N b`) a query may ask for.
pub const MAX_PROXIMITY: u32 = 100;

/// The token stream of [`MultilingualTokenizer`].
pub enum MultiStream<'a> {
    /// One language's analyzer, its positions moved on by [`VALUE_GAP`] (and whether the
    /// current token has been moved: the analyzer counts positions from its own token, so the
    /// move is undone before it advances).
    One(BoxTokenStream<'a>, bool),
    /// Several languages' tokens, one language after the other.
    Many(VecStream),
}

impl TokenStream for MultiStream<'_> {
    fn advance(&mut self) -> bool {
        match self {
            MultiStream::One(s, moved) => {
                if *moved {
                    s.token_mut().position -= VALUE_GAP;
                }
                *moved = s.advance();
                if *moved {
                    s.token_mut().position += VALUE_GAP;
                }
                *moved
            }
            MultiStream::Many(s) => s.advance(),
        }
    }

    fn token(&self) -> &Token {
        match self {
            MultiStream::One(s, _) => s.token(),
            MultiStream::Many(s) => s.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self {
            MultiStream::One(s, _) => s.token_mut(),
            MultiStream::Many(s) => s.token_mut(),
        }
    }
}

impl Tokenizer for MultilingualTokenizer {
    type TokenStream<'a> = MultiStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MultiStream<'a> {
        let (langs, rest) = untag(text);
        match langs.as_slice() {
            [] => MultiStream::One(self.analyzers[0].token_stream(rest), false),
            [one] => MultiStream::One(self.analyzers[slot(*one)].token_stream(rest), false),
            many => {
                let mut tokens: Vec<Token> = Vec::new();
                let mut base = VALUE_GAP;
                for lang in many {
                    let mut stream = self.analyzers[slot(*lang)].token_stream(rest);
                    let mut end = base;
                    while stream.advance() {
                        let mut t = stream.token().clone();
                        t.position += base;
                        end = end.max(t.position + t.position_length.max(1));
                        tokens.push(t);
                    }
                    // A gap, so that no phrase spans two languages' readings.
                    base = end + VALUE_GAP;
                }
                MultiStream::Many(VecStream::new(tokens))
            }
        }
    }
}

/// `text`'s tokens in `analyzer` with their positions, the first at 0.
pub fn positioned_tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out: Vec<(usize, String)> = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.position, t.text.clone()));
    }
    if let Some(first) = out.iter().map(|t| t.0).min() {
        for t in &mut out {
            t.0 -= first;
        }
    }
    out
}

#[cfg(test)]
mod tests;
