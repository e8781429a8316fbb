//! Unit tests of autocomplete.

use super::*;

fn dict() -> Dictionary {
    Dictionary::build([
        Entry {
            id: "gp".into(),
            title: "Registering with a GP: Access to Primary Care".into(),
            summary: "Health care for refugees and migrants.".into(),
            topics: vec!["health".into(), "immigration policy".into()],
            ..Entry::default()
        },
        Entry {
            id: "nurses".into(),
            title: "Losing out Twice? Health Professionals".into(),
            summary: "Nurses and doctors; health workers.".into(),
            topics: vec!["health".into(), "employment".into()],
            ..Entry::default()
        },
        Entry {
            id: "cafe".into(),
            title: "Café Culture".into(),
            summary: "Community cafés and communities.".into(),
            topics: vec!["community organising".into()],
            ..Entry::default()
        },
    ])
}

fn texts(s: &[Suggestion], kind: SuggestionKind) -> Vec<&str> {
    s.iter()
        .filter(|x| x.kind == kind)
        .map(|x| x.text.as_str())
        .collect()
}

#[test]
fn completes_prefixes_from_titles_topics_and_words() {
    let d = dict();
    let s = d.suggest("hea", 10);
    assert_eq!(texts(&s, SuggestionKind::Topic), vec!["health"]);
    assert_eq!(texts(&s, SuggestionKind::Title).len(), 1, "{s:?}");
    // The word "health" is the topic "health": offered once.
    assert!(texts(&s, SuggestionKind::Word).is_empty(), "{s:?}");
    let title = s.iter().find(|x| x.kind == SuggestionKind::Title).unwrap();
    assert_eq!(title.id.as_deref(), Some("nurses"));
}

#[test]
fn forgives_typos_and_accents() {
    let d = dict();
    let s = d.suggest("helth", 10);
    assert_eq!(texts(&s, SuggestionKind::Topic), vec!["health"], "{s:?}");
    assert_eq!(s.iter().filter(|x| x.text == "health").count(), 1, "{s:?}");
    let s = d.suggest("cafe", 10);
    assert_eq!(texts(&s, SuggestionKind::Title), vec!["Café Culture"]);
    assert!(texts(&s, SuggestionKind::Word).contains(&"café"), "{s:?}");
    let s = d.suggest("imigration", 10);
    assert_eq!(texts(&s, SuggestionKind::Topic), vec!["immigration policy"]);
}

#[test]
fn keeps_earlier_words_when_completing_the_last() {
    let d = dict();
    let s = d.suggest("refugee nur", 10);
    assert!(
        texts(&s, SuggestionKind::Word).contains(&"refugee nurses"),
        "{s:?}"
    );
    // A finished word is not completed again.
    assert!(texts(&d.suggest("health ", 10), SuggestionKind::Word).is_empty());
}

fn entry(id: &str, title: &str, summary: &str, text: &str) -> Entry {
    Entry {
        id: id.into(),
        title: title.into(),
        summary: summary.into(),
        text: text.into(),
        ..Entry::default()
    }
}

#[test]
fn words_of_the_text_are_offered_and_a_typo_keeps_its_first_letter() {
    let d = Dictionary::build([
        entry("a", "Living on Nothing", "Settlement and asylum.", ""),
        entry(
            "b",
            "Access",
            "",
            "The Kettleborough clinic. Asylum seekers wait.",
        ),
        entry("c", "Support", "", "Asylum seekers and asylum support."),
    ]);
    let s = d.suggest("kettle", 8);
    assert_eq!(texts(&s, SuggestionKind::Word), ["kettleborough"], "{s:?}");
    // Without the word, a typo at the first letter does not make "settlement".
    let d2 = Dictionary::build([entry("a", "Living on Nothing", "Settlement.", "")]);
    assert!(
        d2.suggest("kettle", 8).is_empty(),
        "{:?}",
        d2.suggest("kettle", 8)
    );
    assert!(
        !d2.suggest("setle", 8).is_empty(),
        "a typo after the first letter"
    );
    // A word of the text typed whole is continued by the words that follow it.
    let s = d.suggest("asylum", 8);
    assert_eq!(
        texts(&s, SuggestionKind::Word),
        ["asylum seekers", "asylum support"],
        "{s:?}"
    );
}

#[test]
fn the_word_before_picks_the_completion() {
    let d = Dictionary::build([
        entry("a", "Lesson Worksheets", "Worksheets for class.", ""),
        entry("b", "Packs", "Worksheets.", ""),
        entry("c", "Guide", "", "Rights of domestic workers."),
    ]);
    // Alone, the more frequent word comes first; after "domestic", the one that follows it.
    assert_eq!(
        texts(&d.suggest("wor", 8), SuggestionKind::Word)[0],
        "worksheets"
    );
    let s = d.suggest("domestic wor", 8);
    assert_eq!(
        texts(&s, SuggestionKind::Word),
        ["domestic workers", "domestic worksheets"],
        "{s:?}"
    );
}

#[test]
fn matches_as_typed_come_before_typo_matches() {
    let d = Dictionary::build([
        Entry {
            id: "h".into(),
            title: "Health Checks".into(),
            topics: vec!["health".into()],
            ..Entry::default()
        },
        Entry {
            id: "a".into(),
            title: "Healing Arts".into(),
            ..Entry::default()
        },
    ]);
    let s = d.suggest("heali", 8);
    assert_eq!(
        (s[0].kind, s[0].text.as_str()),
        (SuggestionKind::Title, "Healing Arts"),
        "{s:?}"
    );
    let topic = s.iter().position(|x| x.kind == SuggestionKind::Topic);
    assert!(topic.is_none_or(|i| i > 0), "{s:?}");
}

#[test]
fn junk_gives_nothing_and_work_is_bounded() {
    let d = dict();
    for junk in ["", "   ", "%%%", "\u{0}\u{1}", "zzzzzzzzzzzz", "a"] {
        assert!(d.suggest(junk, 10).is_empty(), "{junk:?}");
    }
    let long = "health ".repeat(1_000);
    assert!(d.suggest(&long, 100).len() <= MAX_LIMIT);
    assert_eq!(d.suggest("h", 1).len(), 0);
    assert!(d.suggest("he", 1).len() <= 1);
}

#[test]
fn stop_words_and_numbers_are_not_suggested() {
    let d = dict();
    assert!(d.words.iter().all(|w| w.text != "and" && w.text != "with"));
    assert!(d.word_count() > 5);
}

#[test]
fn prefix_distance_counts_edits_against_prefixes() {
    assert_eq!(prefix_distance("helth", "health", 1), Some(1));
    assert_eq!(prefix_distance("hlea", "health", 1), Some(1));
    assert_eq!(prefix_distance("comun", "community", 1), Some(1));
    assert_eq!(prefix_distance("xyzzy", "health", 2), None);
    assert_eq!(prefix_distance("heal", "he", 1), None);
}
