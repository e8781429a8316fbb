use super::*;
use crate::analysis::tag::tagged;
use crate::analysis::tokens;

fn same_term(lang: Lang, a: &str, b: &str) {
    let ta = tokens(&mut index_analyzer(lang), a);
    let tb = tokens(&mut query_analyzer(lang), b);
    assert_eq!(ta.len(), 1, "{a}: {ta:?}");
    assert_eq!(ta, tb, "{lang:?}: {a} and {b}");
}

#[test]
fn inflected_forms_meet_in_each_language() {
    for (lang, a, b) in [
        (Lang::Es, "sanitario", "sanitaria"),
        (Lang::Es, "explicar", "explicó"),
        (Lang::Es, "apoyar", "apoyamos"),
        (Lang::Es, "migrantes", "migrante"),
        (Lang::Es, "migración", "migracion"),
        (Lang::Pt, "trabalhadores", "trabalhador"),
        (Lang::Pt, "imigrantes", "imigrante"),
        (Lang::Pt, "saúde", "saude"),
        (Lang::Pl, "migrantów", "migrantami"),
        (Lang::Pl, "uchodźców", "uchodźcy"),
        (Lang::Uk, "мігрантів", "мігрантами"),
        (Lang::Ar, "مهاجرين", "للمهاجرين"),
        (Lang::Ar, "المهاجرين", "مهاجرين"),
        (Lang::Ar, "مُهَاجِرِين", "مهاجرين"),
        (Lang::Ar, "صحة", "الصحة"),
        // A conjunction before the article.
        (Lang::Ar, "والمهاجرين", "مهاجرين"),
        (Lang::Ar, "والعائلات", "العائلات"),
        (Lang::Ar, "فالعلاج", "علاج"),
        (Lang::Ar, "وبالعلاج", "العلاج"),
    ] {
        same_term(lang, a, b);
    }
}

#[test]
fn a_conjunction_is_kept_when_little_follows_the_article() {
    // والي (a governor) is not و + الي; والدة (a mother) is not و + الدة.
    for word in ["والي", "والدة"] {
        let mut w = word.to_string();
        strip_arabic_conjunction(&mut w);
        assert_eq!(w, word);
    }
    let mut w = "والمستشفى".to_string();
    strip_arabic_conjunction(&mut w);
    assert_eq!(w, "المستشفى");
}

#[test]
fn cyrillic_and_arabic_are_never_folded_away() {
    let uk = tokens(&mut index_analyzer(Lang::Uk), "Мігранти мають право");
    assert_eq!(uk.len(), 3);
    assert!(
        uk.iter().all(|t| t.chars().all(|c| !c.is_ascii())),
        "{uk:?}"
    );
    let ar = tokens(&mut index_analyzer(Lang::Ar), "حقوق المهاجرين");
    assert_eq!(ar.len(), 2);
    assert!(ar.iter().all(|t| !t.is_empty() && !t.is_ascii()), "{ar:?}");
}

#[test]
fn polish_folds_after_stemming() {
    // Folded first, the stemmer would not see the word it knows.
    let folded_first = frostem::Stemmer::new(frostem::Algorithm::Polish)
        .stem("uchodzcow")
        .into_owned();
    let ours = tokens(&mut index_analyzer(Lang::Pl), "uchodźców");
    assert_ne!(ours, vec![folded_first]);
    assert!(ours[0].is_ascii(), "{ours:?}");
}

#[test]
fn a_two_character_chinese_word_is_found_in_a_compound() {
    let indexed = positioned_tokens(&mut index_analyzer(Lang::Zh), "移民健康指南。");
    let words: Vec<&str> = indexed.iter().map(|t| t.1.as_str()).collect();
    assert!(words.contains(&"健康"), "{words:?}");
    assert!(!words.iter().any(|w| w.contains('。')), "{words:?}");
    // Positions never go back (tantivy's postings need that).
    assert!(indexed.windows(2).all(|w| w[0].0 <= w[1].0), "{indexed:?}");
    // A query of two words gives them at the positions the index has them at.
    let query = positioned_tokens(&mut query_analyzer(Lang::Zh), "移民健康");
    for (pos, word) in &query {
        assert!(
            indexed.iter().any(|(p, w)| p == pos && w == word),
            "{query:?} in {indexed:?}"
        );
    }
}

#[test]
fn swahili_is_folded_not_stemmed() {
    assert_eq!(
        tokens(&mut index_analyzer(Lang::Sw), "Wahamiaji Afya"),
        vec!["wahamiaji", "afya"]
    );
}

#[test]
fn vowelled_arabic_is_one_word() {
    let got = tokens(&mut WordTokenizer.into(), "مُهَاجِر، abc");
    assert_eq!(got, vec!["مُهَاجِر", "abc"]);
}

#[test]
fn the_field_analyzer_follows_the_tag() {
    let mut field: TextAnalyzer = MultilingualTokenizer::default().into();
    assert_eq!(tokens(&mut field, "migrants"), vec!["migrant"]);
    let es = tagged(&[Lang::Es], "apoyamos");
    assert_eq!(
        tokens(&mut field, &es),
        tokens(&mut index_analyzer(Lang::Es), "apoyar")
    );
    // Bilingual: both readings, the second after a gap.
    let both = tagged(&[Lang::En, Lang::Es], "migrantes");
    let got = positioned_tokens(&mut field, &both);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[1].0 > got[0].0 + 1, "{got:?}");
}

#[test]
fn english_is_what_it_was() {
    let text = "Migrants' CAFÉ naïve Communities 東京 Дом";
    assert_eq!(
        tokens(&mut index_analyzer(Lang::En), text),
        tokens(&mut text_analyzer(), text)
    );
    let mut field: TextAnalyzer = MultilingualTokenizer::default().into();
    assert_eq!(tokens(&mut field, text), tokens(&mut text_analyzer(), text));
}

#[test]
fn values_start_a_gap_apart() {
    // Each value's tokens start at VALUE_GAP: tantivy adds a value's positions after the
    // previous value's, so two pages (or two readings) are more than MAX_PROXIMITY apart.
    let mut field: TextAnalyzer = MultilingualTokenizer::default().into();
    let mut positions_of = |text: &str| {
        let mut stream = field.token_stream(text);
        let mut positions = Vec::new();
        while stream.advance() {
            positions.push(stream.token().position);
        }
        positions
    };
    assert_eq!(
        positions_of("refugee doctors"),
        vec![VALUE_GAP, VALUE_GAP + 1]
    );
    let positions = positions_of(&tagged(&[Lang::En, Lang::Es], "migrantes"));
    assert_eq!(positions.len(), 2);
    assert!(
        positions[1] - positions[0] > MAX_PROXIMITY as usize,
        "{positions:?}"
    );
}
