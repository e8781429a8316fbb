//! The snippet analysis pubsearch uses (`pubsearch_core::analysis::highlight_analyzer`), copied
//! so that `tantivy-full` does the same work as the service: words whose first character starts
//! no query term are not stemmed (the Snowball stemmer never changes a word's first character).
//! `PEERS_STOCK_SNIPPETS=1` switches back to tantivy's stock `SnippetGenerator::create`.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{Searcher, Term};

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
    let mut terms: BTreeSet<Term> = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut weights: BTreeMap<String, f32> = BTreeMap::new();
    for term in &terms {
        let value = term.value();
        let Some(text) = value.as_str() else { continue };
        let df = searcher.doc_freq(term)?;
        if df > 0 {
            weights.insert(text.to_string(), 1.0 / (1.0 + df as f32));
        }
    }
    let mut first: Vec<char> = weights.keys().filter_map(|t| t.chars().next()).collect();
    first.sort_unstable();
    first.dedup();
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StemIfFirstChar { first })
        .build();
    Ok(SnippetGenerator::new(weights, analyzer, field, max_chars))
}

#[derive(Clone)]
struct StemIfFirstChar {
    first: Vec<char>,
}

impl TokenFilter for StemIfFirstChar {
    type Tokenizer<T: Tokenizer> = Filter<T>;
    fn transform<T: Tokenizer>(self, inner: T) -> Filter<T> {
        Filter {
            first: self.first,
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
            inner,
        }
    }
}

#[derive(Clone)]
pub struct Filter<T> {
    first: Vec<char>,
    stemmer: TextAnalyzer,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for Filter<T> {
    type TokenStream<'a> = Stream<'a, T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        Stream { tail: self.inner.token_stream(text), first: &self.first, stemmer: &mut self.stemmer }
    }
}

pub struct Stream<'a, S> {
    tail: S,
    first: &'a [char],
    stemmer: &'a mut TextAnalyzer,
}

impl<S: TokenStream> TokenStream for Stream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token.text.chars().next().is_some_and(|c| self.first.contains(&c)) {
            let stemmed = self.stemmer.token_stream(&token.text).next().map(|t| t.text.clone());
            if let Some(s) = stemmed {
                token.text = s;
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
