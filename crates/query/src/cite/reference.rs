//! The reference people copy: APA 7 style for grey literature, in plain text.

use pubsearch_core::model::PubType;
use time::Date;

use super::{Author, Cited, PUBLISHER, authors, type_label};

/// APA lists this many authors in full; past it, the first 19, an ellipsis and the last.
const MAX_LISTED: usize = 20;

/// A formatted plain-text reference, APA 7 style for grey literature:
///
/// `Smith, J., & Writer, A. B. (2010). Title [Report]. Migrant and Refugee Communities
/// Forum. p. 37. https://host/files/id.pdf#page=37`
///
/// People are cited as `Family, G. G.`, organisations by name. The date is `(2006, January
/// 7)`, or `(2006)` for a 1 January date (the day a date known only by its year is filed
/// under), or `(n.d.)`. The type follows the title in brackets (not for a book chapter, nor a
/// publication of no known type). The publisher is left out when it is the only author; the
/// page is given when the citation is pinpointed, and the link is the PDF, at that page if
/// there is one.
pub fn reference(c: &Cited<'_>) -> String {
    let p = c.publication;
    let authors = authors(p);
    let mut parts = vec![
        full_stop(&author_list(&authors)),
        format!("({}).", date(p.date)),
        title(&p.title, p.pub_type),
    ];
    let only_the_publisher = matches!(
        authors.as_slice(),
        [Author::Corporate(name)] if name.eq_ignore_ascii_case(PUBLISHER)
    );
    if !only_the_publisher {
        parts.push(full_stop(PUBLISHER));
    }
    if let Some(page) = c.page {
        parts.push(format!("p. {page}."));
    }
    parts.push(c.url());
    parts.join(" ")
}

/// The authors, APA style: `A`, `A, & B`, `A, B, & C`.
fn author_list(authors: &[Author]) -> String {
    let names: Vec<String> = authors.iter().map(apa_name).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [first @ .., last] if names.len() <= MAX_LISTED => {
            format!("{}, & {last}", first.join(", "))
        }
        [.., last] => format!("{}, . . . {last}", names[..MAX_LISTED - 1].join(", ")),
    }
}

/// `Smith, J.` for a person (`Plato` when only one name is known), the name for an
/// organisation.
fn apa_name(author: &Author) -> String {
    match author {
        Author::Corporate(name) => name.clone(),
        Author::Person { family, given } => {
            let initials = initials(given);
            if initials.is_empty() {
                family.clone()
            } else {
                format!("{family}, {initials}")
            }
        }
    }
}

/// The initials of given names: `Jane` → `J.`, `A. B.` → `A. B.`, `Jean-Paul` → `J.-P.`.
fn initials(given: &str) -> String {
    given
        .split_whitespace()
        .filter_map(|name| {
            let parts: Vec<String> = name
                .split('-')
                .filter_map(|part| part.chars().find(|c| c.is_alphabetic()))
                .map(|c| format!("{}.", c.to_uppercase()))
                .collect();
            (!parts.is_empty()).then(|| parts.join("-"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `2006, January 7`; `2006` for 1 January; `n.d.` undated.
fn date(date: Option<Date>) -> String {
    match date {
        None => "n.d.".into(),
        Some(d) if d.ordinal() == 1 => d.year().to_string(),
        Some(d) => format!("{}, {} {}", d.year(), d.month(), d.day()),
    }
}

/// The title, then the type in brackets, then a full stop: `Title? [Report].`. Without a
/// bracket a title ending in `?` or `!` takes no full stop.
fn title(title: &str, pub_type: PubType) -> String {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let label = type_label(pub_type).filter(|_| pub_type != PubType::BookChapter);
    match label {
        Some(label) => format!("{} [{label}].", title.trim_end_matches('.')),
        None => full_stop(&title),
    }
}

/// `text` ending with a full stop, unless it already ends with one, `?` or `!`.
fn full_stop(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() || text.ends_with(['.', '?', '!']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

#[cfg(test)]
mod tests {
    use pubsearch_core::model::PubType;
    use time::macros::date;

    use super::super::tests::{cited, publication};
    use super::reference;

    const PDF: &str = "https://example.org/files/2006-01-losing-out-twice.pdf";
    const TITLE: &str =
        "Losing out Twice? Skill Wastage of Overseas Health Professionals in the UK";

    #[test]
    fn the_charity_as_author_is_not_repeated_as_publisher() {
        let p = publication();
        assert_eq!(
            reference(&cited(&p)),
            format!(
                "Migrant and Refugee Communities Forum. (2006, January 7). {TITLE} [Report]. {PDF}"
            )
        );
    }

    #[test]
    fn a_pinpoint_gives_the_page_and_links_to_it() {
        let p = publication();
        let mut c = cited(&p);
        c.page = Some(37);
        c.page_count = Some(120);
        assert_eq!(
            reference(&c),
            format!(
                "Migrant and Refugee Communities Forum. (2006, January 7). {TITLE} [Report]. \
                 p. 37. {PDF}#page=37"
            )
        );
    }

    #[test]
    fn people_are_cited_by_family_name_and_initials() {
        let mut p = publication();
        p.date = Some(date!(2010 - 01 - 01));
        p.authors = vec!["Jane Smith".into(), "A. B. Writer".into()];
        assert_eq!(
            reference(&cited(&p)),
            format!(
                "Smith, J., & Writer, A. B. (2010). {TITLE} [Report]. \
                 Migrant and Refugee Communities Forum. {PDF}"
            )
        );
        p.authors = vec![
            "Jean-Paul Sartre".into(),
            "Smith, Mary Ann".into(),
            "Refugee Council".into(),
        ];
        assert!(
            reference(&cited(&p))
                .starts_with("Sartre, J.-P., Smith, M. A., & Refugee Council. (2010). "),
            "{}",
            reference(&cited(&p))
        );
        p.authors = (1..=22).map(|i| format!("Author Number{i}")).collect();
        let r = reference(&cited(&p));
        assert!(
            r.starts_with("Number1, A., Number2, A., ")
                && r.contains("Number19, A., . . . Number22, A. (2010).")
                && !r.contains("Number20"),
            "{r}"
        );
    }

    #[test]
    fn undated_publications_are_n_d() {
        let mut p = publication();
        p.date = None;
        p.authors = vec!["Refugee Council".into()];
        assert_eq!(
            reference(&cited(&p)),
            format!(
                "Refugee Council. (n.d.). {TITLE} [Report]. \
                 Migrant and Refugee Communities Forum. {PDF}"
            )
        );
    }

    #[test]
    fn titles_take_one_full_stop() {
        let mut p = publication();
        p.title = "Who Cares?".into();
        p.pub_type = PubType::BookChapter;
        let r = reference(&cited(&p));
        assert!(r.contains(" Who Cares? https://"), "{r}");
        p.title = "Annual review".into();
        let r = reference(&cited(&p));
        assert!(r.contains(" Annual review. https://"), "{r}");
        p.pub_type = PubType::Other;
        let r = reference(&cited(&p));
        assert!(r.contains(" Annual review. https://"), "{r}");
        p.pub_type = PubType::EducationalResource;
        p.title = "Know your rights.".into();
        let r = reference(&cited(&p));
        assert!(
            r.contains(" Know your rights [Educational resource]. https://"),
            "{r}"
        );
        p.title = "Why now?".into();
        let r = reference(&cited(&p));
        assert!(
            r.contains(" Why now? [Educational resource]. https://"),
            "{r}"
        );
    }

    #[test]
    fn a_full_date_keeps_its_day() {
        let mut p = publication();
        p.date = Some(date!(2011 - 03 - 01));
        assert!(reference(&cited(&p)).contains(" (2011, March 1). "));
        p.date = Some(date!(2011 - 12 - 31));
        assert!(reference(&cited(&p)).contains(" (2011, December 31). "));
    }
}
