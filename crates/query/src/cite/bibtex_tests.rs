//! Every entry is read back with the `biblatex` crate, the way a reference manager would.

use biblatex::{
    Bibliography, ChunksExt, Date, DateValue, Datetime, Entry, EntryType, Language, PermissiveType,
};
use pubsearch_core::analysis::Lang;
use pubsearch_core::model::PubType;
use time::macros::date;

use super::super::tests::{cited, publication};
use super::super::{Cited, Format, PUBLISHER, render};
use super::escape;

/// The rendered document, parsed; panics unless it holds exactly `items`.
fn parse(items: &[Cited<'_>]) -> (String, Bibliography) {
    let out = render(Format::Bibtex, items);
    let bib = Bibliography::parse(&out).unwrap_or_else(|e| panic!("{e:?} in\n{out}"));
    assert_eq!(bib.len(), items.len(), "{out}");
    assert_braces_balance(&out);
    (out, bib)
}

fn parse_one(c: Cited<'_>) -> (String, Entry) {
    let id = c.publication.id.clone();
    let (out, bib) = parse(&[c]);
    let entry = bib
        .get(&id)
        .unwrap_or_else(|| panic!("no entry {id} in\n{out}"));
    (out.clone(), entry.clone())
}

/// BibTeX counts every brace, escaped or not: each value must balance by that count.
fn assert_braces_balance(out: &str) {
    let mut depth = 0i64;
    for c in out.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        assert!(depth >= 0, "a brace closes too early in\n{out}");
    }
    assert_eq!(depth, 0, "braces do not balance in\n{out}");
}

fn text(entry: &Entry, field: &str) -> Option<String> {
    entry.get(field).map(|c| c.format_verbatim())
}

#[test]
fn types_keys_and_publishers_follow_the_mapping() {
    for (t, kind, type_field, publisher_field) in [
        (
            PubType::Report,
            EntryType::TechReport,
            Some(("type", "Report")),
            "institution",
        ),
        (
            PubType::Briefing,
            EntryType::TechReport,
            Some(("type", "Briefing")),
            "institution",
        ),
        (
            PubType::BookChapter,
            EntryType::InCollection,
            None,
            "publisher",
        ),
        (
            PubType::Newsletter,
            EntryType::Misc,
            Some(("howpublished", "Newsletter")),
            "publisher",
        ),
        (
            PubType::Guide,
            EntryType::Misc,
            Some(("howpublished", "Guide")),
            "publisher",
        ),
        (
            PubType::EducationalResource,
            EntryType::Misc,
            Some(("howpublished", "Educational resource")),
            "publisher",
        ),
        (PubType::Other, EntryType::Misc, None, "publisher"),
    ] {
        let mut p = publication();
        p.pub_type = t;
        let (out, entry) = parse_one(cited(&p));
        assert_eq!(entry.entry_type, kind, "{out}");
        assert_eq!(entry.key, p.id);
        if let Some((field, word)) = type_field {
            assert_eq!(text(&entry, field).as_deref(), Some(word), "{out}");
        }
        for field in ["type", "howpublished"] {
            if type_field.is_none_or(|(f, _)| f != field) {
                assert!(entry.get(field).is_none(), "{field} in {out}");
            }
        }
        assert_eq!(
            text(&entry, publisher_field).as_deref(),
            Some(PUBLISHER),
            "{out}"
        );
        let other = if publisher_field == "publisher" {
            "institution"
        } else {
            "publisher"
        };
        assert!(entry.get(other).is_none(), "{out}");
    }
}

#[test]
fn the_publisher_stays_one_name_as_biblatex_lists_read_it() {
    let mut p = publication();
    p.pub_type = PubType::Guide;
    let (_, entry) = parse_one(cited(&p));
    let publishers = entry.publisher().expect("a publisher");
    let names: Vec<String> = publishers.iter().map(|c| c.format_verbatim()).collect();
    assert_eq!(names, [PUBLISHER]);
}

#[test]
fn titles_full_of_specials_read_back_exactly() {
    for title in [
        "Salud y migración: {guía} 100% & más — niños",
        r"Costs in $ and # of cases_by_area ^ ~ \ back\slash",
        "Unpaired } brace { and {nested {braces}} here",
        "A--Z of rights --- the guide - for all",
        "Łódź, Øresund, Straße, Ærø, œuvre, façade, Dvořák, Ångström, naïve, Erdős, Gdańsk",
        "Żółć, İstanbul, Crème brûlée, São Paulo, Zürich, Māori, Ålesund, ı",
        "Права біженців, حقوق اللاجئين, 难民权利, tiếng Việt",
        "Quotes \"double\" and 'single' at 50% off!",
    ] {
        let mut p = publication();
        p.title = title.into();
        let (out, entry) = parse_one(cited(&p));
        let got = entry.title().expect("a title").format_verbatim();
        assert_eq!(got, title, "{out}");
    }
}

#[test]
fn latex_specials_and_accents_are_escaped() {
    for (text, want) in [
        (r"a\b", r"a\textbackslash{}b"),
        ("{x}", r"\{x\}"),
        ("x}", r"x\textbraceright{}"),
        ("{x", r"\textbraceleft{}x"),
        ("% & $ # _", r"\% \& \$ \# \_"),
        ("^~", r"\^{}\~{}"),
        ("é ñ ü", r#"{\'e} {\~n} {\"u}"#),
        ("ç ł ø ß", r"{\c{c}} {\l} {\o} {\ss}"),
        (
            "č ő ą ż å ā è ê",
            r"{\v{c}} {\H{o}} {\k{a}} {\.z} {\r{a}} {\=a} {\`e} {\^e}",
        ),
        ("Привіт 中文", "Привіт 中文"),
        ("a--b", "a-{}-b"),
        (" two\n lines\t", "two lines"),
    ] {
        assert_eq!(escape(text), want, "{text}");
    }
    // Decomposed input is composed first.
    assert_eq!(escape("e\u{301}"), r"{\'e}");
}

#[test]
fn authors_are_people_or_one_corporate_name() {
    let mut p = publication();
    p.authors = vec![
        "Jane Smith".into(),
        "Writer, A. B.".into(),
        "José Ñúñez".into(),
        "van der Berg, Jan".into(),
        "Refugee Action and Advice Network".into(),
    ];
    let (out, entry) = parse_one(cited(&p));
    let people = entry.author().expect("authors");
    let names: Vec<(&str, &str)> = people
        .iter()
        .map(|a| (a.name.as_str(), a.given_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Smith", "Jane"),
            ("Writer", "A. B."),
            ("Ñúñez", "José"),
            ("van der Berg", "Jan"),
            ("Refugee Action and Advice Network", ""),
        ],
        "{out}"
    );

    p.authors.clear();
    let (out, entry) = parse_one(cited(&p));
    let people = entry.author().expect("the publisher as author");
    assert_eq!(people.len(), 1, "{out}");
    assert_eq!(people[0].name, PUBLISHER);
    assert!(
        out.contains(&format!("author = {{{{{PUBLISHER}}}}}")),
        "{out}"
    );
}

#[test]
fn dates_are_a_year_a_month_macro_and_an_iso_date() {
    let p = publication();
    let (out, entry) = parse_one(cited(&p));
    let at = |year, month, day| {
        PermissiveType::Typed(Date {
            value: DateValue::At(Datetime {
                year,
                month,
                day,
                time: None,
            }),
            uncertain: false,
            approximate: false,
        })
    };
    // biblatex counts months and days from zero.
    assert_eq!(entry.date(), Ok(at(2006, Some(0), Some(6))), "{out}");
    assert_eq!(text(&entry, "year").as_deref(), Some("2006"));
    assert!(out.contains("  month = jan,\n"), "{out}");
    let mut by_fields = entry.clone();
    by_fields.remove("date");
    assert_eq!(by_fields.date(), Ok(at(2006, Some(0), None)));

    let mut p = publication();
    p.date = Some(date!(1999 - 12 - 31));
    let (_, entry) = parse_one(cited(&p));
    assert_eq!(entry.date(), Ok(at(1999, Some(11), Some(30))));

    p.date = None;
    let (out, entry) = parse_one(cited(&p));
    for field in ["year", "month", "date", "day"] {
        assert!(entry.get(field).is_none(), "{field} in {out}");
    }
}

#[test]
fn links_pages_keywords_and_the_abstract() {
    let mut p = publication();
    p.id = "a_b-c.2".into();
    p.summary = "Costs & 50% more:\n\nline two {x}".into();
    let mut c = cited(&p);
    c.page_count = Some(120);
    let (out, entry) = parse_one(c.clone());
    assert_eq!(entry.key, "a_b-c.2");
    assert_eq!(
        entry.url().as_deref(),
        Ok("https://example.org/files/a_b-c.2.pdf")
    );
    assert_eq!(text(&entry, "pagetotal").as_deref(), Some("120"));
    assert!(entry.get("pages").is_none(), "{out}");
    assert_eq!(
        text(&entry, "keywords").as_deref(),
        Some("health, employment")
    );
    assert_eq!(
        text(&entry, "abstract").as_deref(),
        Some("Costs & 50% more: line two {x}")
    );

    c.page = Some(37);
    let (out, entry) = parse_one(c);
    assert_eq!(
        entry.url().as_deref(),
        Ok("https://example.org/files/a_b-c.2.pdf#page=37"),
        "{out}"
    );
    // One page reads as the empty range that starts at it.
    let page_37: Vec<std::ops::Range<u32>> = std::iter::once(37..37).collect();
    assert_eq!(entry.pages(), Ok(PermissiveType::Typed(page_37)));

    p.summary.clear();
    p.topics.clear();
    let (out, entry) = parse_one(cited(&p));
    for field in ["abstract", "keywords", "pages", "pagetotal"] {
        assert!(entry.get(field).is_none(), "{field} in {out}");
    }
}

#[test]
fn urls_are_verbatim_but_for_braces_and_spaces() {
    let p = publication();
    let mut c = cited(&p);
    c.pdf_url = "https://example.org/files/{odd} name%20.pdf".into();
    let (out, entry) = parse_one(c);
    assert_eq!(
        entry.url().as_deref(),
        Ok("https://example.org/files/%7Bodd%7D%20name%20.pdf"),
        "{out}"
    );
}

#[test]
fn langid_names_the_language_for_biblatex() {
    for (lang, name) in [
        (Lang::En, "english"),
        (Lang::Es, "spanish"),
        (Lang::Pt, "portuguese"),
        (Lang::Pl, "polish"),
        (Lang::Uk, "ukrainian"),
        (Lang::Ar, "arabic"),
        (Lang::Sw, "swahili"),
        (Lang::Zh, "chinese"),
        (Lang::Fr, "french"),
        (Lang::De, "german"),
        (Lang::Ru, "russian"),
        (Lang::So, "so"),
    ] {
        let mut p = publication();
        p.languages = vec![lang];
        let (_, entry) = parse_one(cited(&p));
        assert_eq!(text(&entry, "langid").as_deref(), Some(name), "{lang:?}");
    }
    let mut p = publication();
    p.languages = vec![Lang::Es, Lang::En];
    let (_, entry) = parse_one(cited(&p));
    assert_eq!(entry.langid(), Ok(PermissiveType::Typed(Language::Spanish)));
}

#[test]
fn several_entries_are_separated_by_a_blank_line() {
    let p = publication();
    let mut q = publication();
    q.id = "second".into();
    q.pub_type = PubType::Newsletter;
    let (out, bib) = parse(&[cited(&p), cited(&q)]);
    let keys: Vec<&str> = bib.keys().collect();
    assert_eq!(keys, [p.id.as_str(), "second"]);
    assert_eq!(out.matches("}\n\n@").count(), 1, "{out}");
    assert!(render(Format::Bibtex, &[]).is_empty());

    // The same publication cited at two pages: two entries, two keys.
    let at = |page| {
        let mut c = cited(&p);
        c.page = Some(page);
        c
    };
    let (out, bib) = parse(&[at(3), at(37)]);
    let keys: Vec<&str> = bib.keys().collect();
    assert_eq!(keys, [p.id.clone(), format!("{}-2", p.id)], "{out}");
    let second = bib.get(keys[1]).expect("the second entry");
    assert_eq!(text(second, "pages").as_deref(), Some("37"));
}
