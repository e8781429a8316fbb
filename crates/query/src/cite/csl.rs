//! CSL-JSON: the Citation Style Language's data format, one array of items.

use pubsearch_core::model::PubType;
use serde::Serialize;

use super::{Author, Cited, PUBLISHER, authors, keywords, type_label, unique_ids};

/// The items as one pretty-printed JSON array, ending with a newline.
pub(super) fn render(items: &[Cited<'_>]) -> String {
    let ids = unique_ids(items);
    let array: Vec<Item<'_>> = items.iter().zip(ids).map(|(c, id)| item(c, id)).collect();
    let mut out = serde_json::to_string_pretty(&array).expect("CSL items always serialise");
    out.push('\n');
    out
}

/// The CSL item type of a publication type.
fn item_type(pub_type: PubType) -> &'static str {
    match pub_type {
        PubType::Report | PubType::Briefing => "report",
        PubType::BookChapter => "chapter",
        PubType::Newsletter | PubType::Guide | PubType::EducationalResource | PubType::Other => {
            "pamphlet"
        }
    }
}

/// One CSL item; the fields serialise in this order.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Item<'a> {
    id: String,
    #[serde(rename = "type")]
    item_type: &'static str,
    title: &'a str,
    author: Vec<Name>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<Issued>,
    publisher: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    genre: Option<&'static str>,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    abstract_: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyword: Option<String>,
    language: &'static str,
    #[serde(rename = "URL")]
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    number_of_pages: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<String>,
}

/// A CSL date: `{"date-parts": [[year, month, day]]}`.
#[derive(Serialize)]
struct Issued {
    #[serde(rename = "date-parts")]
    date_parts: [[i32; 3]; 1],
}

/// A CSL name: `family` and `given` for a person, `literal` for an organisation.
#[derive(Serialize)]
#[serde(untagged)]
enum Name {
    Person {
        family: String,
        #[serde(skip_serializing_if = "String::is_empty")]
        given: String,
    },
    Literal {
        literal: String,
    },
}

impl From<Author> for Name {
    fn from(author: Author) -> Name {
        match author {
            Author::Person { family, given } => Name::Person { family, given },
            Author::Corporate(literal) => Name::Literal { literal },
        }
    }
}

/// The item of one citation, under the id it has in its document.
fn item<'a>(c: &Cited<'a>, id: String) -> Item<'a> {
    let p = c.publication;
    let keywords = keywords(p);
    let summary = p.summary.trim();
    Item {
        id,
        item_type: item_type(p.pub_type),
        title: p.title.trim(),
        author: authors(p).into_iter().map(Name::from).collect(),
        issued: p.date.map(|d| Issued {
            date_parts: [[d.year(), i32::from(u8::from(d.month())), i32::from(d.day())]],
        }),
        publisher: PUBLISHER,
        genre: type_label(p.pub_type),
        abstract_: (!summary.is_empty()).then_some(summary),
        keyword: (!keywords.is_empty()).then(|| keywords.join(", ")),
        language: p.language().as_str(),
        url: c.url(),
        number_of_pages: c.page_count,
        page: c.page.map(|page| page.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;
    use time::macros::date;

    use super::super::tests::{cited, publication};
    use super::super::{Format, render};
    use pubsearch_core::model::PubType;

    fn parse(items: &[super::Cited<'_>]) -> Vec<Value> {
        let out = render(Format::CslJson, items);
        match serde_json::from_str::<Value>(&out).expect("CSL-JSON parses") {
            Value::Array(items) => items,
            other => panic!("CSL-JSON is not an array: {other}"),
        }
    }

    #[test]
    fn types_follow_the_grey_literature_mapping() {
        for (t, csl, genre) in [
            (PubType::Report, "report", Some("Report")),
            (PubType::Briefing, "report", Some("Briefing")),
            (PubType::BookChapter, "chapter", Some("Book chapter")),
            (PubType::Newsletter, "pamphlet", Some("Newsletter")),
            (PubType::Guide, "pamphlet", Some("Guide")),
            (
                PubType::EducationalResource,
                "pamphlet",
                Some("Educational resource"),
            ),
            (PubType::Other, "pamphlet", None),
        ] {
            let mut p = publication();
            p.pub_type = t;
            let item = &parse(&[cited(&p)])[0];
            assert_eq!(item["type"], csl, "{t:?}");
            assert_eq!(item.get("genre").and_then(Value::as_str), genre, "{t:?}");
        }
    }

    #[test]
    fn an_item_carries_every_field() {
        let mut p = publication();
        p.authors = vec!["Jane Smith".into(), "Refugee Council".into()];
        let mut c = cited(&p);
        c.page_count = Some(120);
        let items = parse(&[c]);
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(item["id"], p.id.as_str());
        assert_eq!(item["title"], p.title.as_str());
        assert_eq!(item["author"][0]["family"], "Smith");
        assert_eq!(item["author"][0]["given"], "Jane");
        assert_eq!(item["author"][1]["literal"], "Refugee Council");
        assert!(item["author"][1].get("family").is_none());
        assert_eq!(
            item["issued"]["date-parts"],
            serde_json::json!([[2006, 1, 7]])
        );
        assert_eq!(item["publisher"], super::PUBLISHER);
        assert_eq!(item["abstract"], p.summary.as_str());
        assert_eq!(item["keyword"], "health, employment");
        assert_eq!(item["language"], "en");
        assert_eq!(
            item["URL"],
            "https://example.org/files/2006-01-losing-out-twice.pdf"
        );
        assert_eq!(item["number-of-pages"], 120);
        assert!(item.get("page").is_none());
    }

    #[test]
    fn no_authors_means_the_publisher_as_a_literal() {
        let mut p = publication();
        p.authors.clear();
        let item = &parse(&[cited(&p)])[0];
        assert_eq!(
            item["author"],
            serde_json::json!([{ "literal": super::PUBLISHER }])
        );
    }

    #[test]
    fn a_pinpoint_links_to_its_page() {
        let p = publication();
        let mut c = cited(&p);
        c.page = Some(37);
        let item = &parse(&[c])[0];
        assert_eq!(item["page"], "37");
        assert_eq!(
            item["URL"],
            "https://example.org/files/2006-01-losing-out-twice.pdf#page=37"
        );
        assert!(item.get("number-of-pages").is_none());
    }

    #[test]
    fn undated_and_empty_fields_are_left_out() {
        let mut p = publication();
        p.date = None;
        p.summary = "  ".into();
        p.topics.clear();
        let item = &parse(&[cited(&p)])[0];
        for field in ["issued", "abstract", "keyword", "page", "number-of-pages"] {
            assert!(item.get(field).is_none(), "{field} in {item}");
        }
        assert!(!render(Format::CslJson, &[cited(&p)]).contains("undated"));
    }

    #[test]
    fn special_characters_round_trip_exactly() {
        let mut p = publication();
        p.title = "Salud y migración: {guía} 100% & más — niños \"quoted\" \\ 中文 عربي".into();
        p.summary = "Line one\nline two\ttab <b>".into();
        p.authors = vec!["José Ñúñez".into()];
        p.date = Some(date!(2010 - 12 - 31));
        let item = &parse(&[cited(&p)])[0];
        assert_eq!(item["title"], p.title.as_str());
        assert_eq!(item["abstract"], p.summary.as_str());
        assert_eq!(item["author"][0]["family"], "Ñúñez");
        assert_eq!(item["author"][0]["given"], "José");
        assert_eq!(
            item["issued"]["date-parts"],
            serde_json::json!([[2010, 12, 31]])
        );
    }

    #[test]
    fn several_items_make_one_array() {
        let p = publication();
        let mut q = publication();
        q.id = "second".into();
        assert!(parse(&[]).is_empty());
        let items = parse(&[cited(&p), cited(&q)]);
        let ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
        assert_eq!(ids, [p.id.as_str(), "second"]);

        let items = parse(&[cited(&p), cited(&p)]);
        let ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
        assert_eq!(ids, [p.id.clone(), format!("{}-2", p.id)]);
    }
}
