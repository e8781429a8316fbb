//! The text analyzer used for every full-text field, at index and at query time.
//!
//! Tokens are split on non-alphanumeric characters, lower-cased, folded to ASCII (so `café`
//! matches `cafe`) and stemmed with the English Snowball stemmer (so `migrants` matches
//! `migrant`). Tantivy does not persist custom analyzers, so [`register`] runs on every open.

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenStream,
};

/// Name under which the analyzer is registered with tantivy.
pub const TEXT_ANALYZER: &str = "pubsearch_en";

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

/// Registers the analyzer on an opened index. Call after every open.
pub fn register(index: &Index) {
    index.tokenizers().register(TEXT_ANALYZER, text_analyzer());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_lowercases_and_stems() {
        let got = tokens(&mut text_analyzer(), "Migrants' CAFÉ naïve Communities");
        assert_eq!(got, vec!["migrant", "cafe", "naiv", "communiti"]);
    }

    #[test]
    fn prefix_analyzer_keeps_word_whole() {
        assert_eq!(tokens(&mut prefix_analyzer(), "Communit"), vec!["communit"]);
    }
}
