//! Fixtures shared by the citation tests, and the tests of the module's own API.

use pubsearch_core::analysis::Lang;
use pubsearch_core::model::{PubType, Publication};
use time::macros::date;

use super::{Author, Cited, Format, PUBLISHER, authors, file_name, render};

/// The library's 2006 report, published under the charity's name.
pub(super) fn publication() -> Publication {
    Publication {
        id: "2006-01-losing-out-twice".into(),
        title: "Losing out Twice? Skill Wastage of Overseas Health Professionals in the UK".into(),
        date: Some(date!(2006 - 01 - 07)),
        pub_type: PubType::Report,
        topics: vec!["health".into(), "employment".into()],
        summary: "How the skills of refugee doctors and nurses go unused.".into(),
        authors: vec![],
        languages: vec![Lang::En],
        language_detected: false,
    }
}

/// The publication as served from `https://example.org`, whole.
pub(super) fn cited(p: &Publication) -> Cited<'_> {
    Cited {
        publication: p,
        pdf_url: format!("https://example.org/files/{}.pdf", p.id),
        landing_url: format!("https://example.org/publications/{}", p.id),
        page_count: None,
        page: None,
    }
}

#[test]
fn formats_read_their_names_back() {
    for f in Format::ALL {
        assert_eq!(f.as_str().parse::<Format>(), Ok(f));
        assert_eq!(f.as_str().to_uppercase().parse::<Format>(), Ok(f));
        assert_eq!(f.to_string(), f.as_str());
    }
    for (name, f) in [
        ("csl", Format::CslJson),
        ("CSLJSON", Format::CslJson),
        ("json", Format::CslJson),
        (" bib ", Format::Bibtex),
        ("BibTeX", Format::Bibtex),
        ("RIS", Format::Ris),
    ] {
        assert_eq!(name.parse::<Format>(), Ok(f), "{name}");
    }
    for bad in ["x", "", "endnote", "csl-jsonx"] {
        assert_eq!(
            bad.parse::<Format>(),
            Err(format!(
                "unknown citation format `{bad}`; use csl-json, bibtex or ris"
            ))
        );
    }
}

#[test]
fn formats_name_their_media_types_and_extensions() {
    let got: Vec<_> = Format::ALL
        .iter()
        .map(|f| (f.as_str(), f.media_type(), f.extension()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "csl-json",
                "application/vnd.citationstyles.csl+json",
                "json"
            ),
            ("bibtex", "application/x-bibtex", "bib"),
            ("ris", "application/x-research-info-systems", "ris"),
        ]
    );
}

#[test]
fn file_names_name_one_item_by_its_id() {
    let p = publication();
    let mut q = publication();
    q.id = "other".into();
    let one = [cited(&p)];
    let two = [cited(&p), cited(&q)];
    assert_eq!(
        file_name(Format::Bibtex, &one),
        "2006-01-losing-out-twice.bib"
    );
    assert_eq!(
        file_name(Format::CslJson, &one),
        "2006-01-losing-out-twice.json"
    );
    assert_eq!(file_name(Format::Ris, &two), "publications.ris");
    assert_eq!(file_name(Format::Bibtex, &[]), "publications.bib");
}

#[test]
fn page_urls_open_the_pdf_at_the_page() {
    let p = publication();
    let mut c = cited(&p);
    assert_eq!(c.page_url(), None);
    assert_eq!(c.url(), c.pdf_url);
    c.page = Some(37);
    let page = "https://example.org/files/2006-01-losing-out-twice.pdf#page=37";
    assert_eq!(c.page_url().as_deref(), Some(page));
    assert_eq!(c.url(), page);
}

fn person(family: &str, given: &str) -> Author {
    Author::Person {
        family: family.into(),
        given: given.into(),
    }
}

#[test]
fn authors_are_people_or_organisations() {
    for (name, want) in [
        ("Jane Smith", person("Smith", "Jane")),
        ("Smith, Jane", person("Smith", "Jane")),
        ("  Smith ,  Jane ", person("Smith", "Jane")),
        ("A. B. Writer", person("Writer", "A. B.")),
        ("Plato", person("Plato", "")),
        ("Unionville Smith", person("Smith", "Unionville")),
        (PUBLISHER, Author::Corporate(PUBLISHER.into())),
        (
            "Refugee Council",
            Author::Corporate("Refugee Council".into()),
        ),
        ("Home Office", Author::Corporate("Home Office".into())),
        (
            "the Refugee Women's network",
            Author::Corporate("the Refugee Women's network".into()),
        ),
        (
            "Friends of the Earth Scotland",
            Author::Corporate("Friends of the Earth Scotland".into()),
        ),
    ] {
        assert_eq!(Author::parse(name), want, "{name}");
    }
}

#[test]
fn no_authors_means_the_publisher() {
    let mut p = publication();
    assert_eq!(authors(&p), [Author::Corporate(PUBLISHER.into())]);
    p.authors = vec![" ".into()];
    assert_eq!(authors(&p), [Author::Corporate(PUBLISHER.into())]);
    p.authors = vec!["Jane Smith".into(), "Refugee Council".into()];
    assert_eq!(
        authors(&p),
        [
            person("Smith", "Jane"),
            Author::Corporate("Refugee Council".into())
        ]
    );
}

#[test]
fn no_format_writes_undated() {
    let mut p = publication();
    p.id = "losing-out-twice".into();
    p.date = None;
    for f in Format::ALL {
        let out = render(f, &[cited(&p)]);
        assert!(!out.to_lowercase().contains("undated"), "{f}: {out}");
        assert!(!out.contains("2006"), "{f}: {out}");
    }
}
