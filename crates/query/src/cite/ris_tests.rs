//! Every record is read back by a strict RIS reader.

use pubsearch_core::analysis::Lang;
use pubsearch_core::model::PubType;

use super::super::tests::{cited, publication};
use super::super::{Cited, Format, PUBLISHER, render};

/// One record's lines, as (tag, value), `TY` first and `ER` left out.
type Record = Vec<(String, String)>;

/// Reads RIS strictly: CRLF after every line, each line `^[A-Z][A-Z0-9]  - ` and a trimmed,
/// non-empty value, records from `TY` to an empty `ER`, nothing between records.
fn read(out: &str) -> Vec<Record> {
    if !out.is_empty() {
        assert!(out.ends_with("\r\n"), "no CRLF at the end of {out:?}");
    }
    let mut records = Vec::new();
    let mut current: Option<Record> = None;
    for line in out.split_terminator("\r\n") {
        assert!(
            !line.contains(['\r', '\n']),
            "a bare line break in {line:?}"
        );
        let bytes = line.as_bytes();
        assert!(
            bytes.len() >= 6
                && bytes[0].is_ascii_uppercase()
                && (bytes[1].is_ascii_uppercase() || bytes[1].is_ascii_digit())
                && &line[2..6] == "  - ",
            "not a RIS line: {line:?}"
        );
        let (tag, value) = (&line[..2], &line[6..]);
        match (tag, current.as_mut()) {
            ("TY", None) => current = Some(vec![(tag.into(), value.into())]),
            ("TY", Some(_)) => panic!("TY inside a record: {out:?}"),
            (_, None) => panic!("{tag} outside a record: {out:?}"),
            ("ER", Some(_)) => {
                assert_eq!(value, "", "ER has a value");
                records.push(current.take().unwrap_or_default());
            }
            (_, Some(record)) => {
                assert!(!value.is_empty(), "{tag} is empty");
                assert_eq!(value, value.trim(), "{tag} is not trimmed");
                record.push((tag.into(), value.into()));
            }
        }
    }
    assert!(current.is_none(), "a record without ER: {out:?}");
    records
}

fn one(c: Cited<'_>) -> Record {
    let mut records = read(&render(Format::Ris, &[c]));
    assert_eq!(records.len(), 1);
    records.remove(0)
}

/// Every value of `tag`, in order.
fn all<'r>(record: &'r Record, tag: &str) -> Vec<&'r str> {
    record
        .iter()
        .filter(|(t, _)| t == tag)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn types_follow_the_grey_literature_mapping() {
    for (t, ty, m3) in [
        (PubType::Report, "RPRT", Some("Report")),
        (PubType::Briefing, "RPRT", Some("Briefing")),
        (PubType::BookChapter, "CHAP", Some("Book chapter")),
        (PubType::Newsletter, "PAMP", Some("Newsletter")),
        (PubType::Guide, "PAMP", Some("Guide")),
        (
            PubType::EducationalResource,
            "PAMP",
            Some("Educational resource"),
        ),
        (PubType::Other, "PAMP", None),
    ] {
        let mut p = publication();
        p.pub_type = t;
        let record = one(cited(&p));
        assert_eq!(record[0], ("TY".to_string(), ty.to_string()), "{t:?}");
        assert_eq!(
            all(&record, "M3"),
            m3.into_iter().collect::<Vec<_>>(),
            "{t:?}"
        );
    }
}

#[test]
fn a_record_carries_every_field() {
    let mut p = publication();
    p.authors = vec!["Jane Smith".into(), "Smith, John".into(), PUBLISHER.into()];
    p.languages = vec![Lang::Pl];
    let mut c = cited(&p);
    c.page_count = Some(120);
    let record = one(c);
    assert_eq!(all(&record, "ID"), [p.id.as_str()]);
    assert_eq!(all(&record, "TI"), [p.title.as_str()]);
    assert_eq!(
        all(&record, "AU"),
        ["Smith, Jane", "Smith, John", PUBLISHER]
    );
    assert_eq!(all(&record, "PY"), ["2006"]);
    assert_eq!(all(&record, "DA"), ["2006/01/07/"]);
    assert_eq!(all(&record, "PB"), [PUBLISHER]);
    assert_eq!(all(&record, "AB"), [p.summary.as_str()]);
    assert_eq!(all(&record, "KW"), ["health", "employment"]);
    assert_eq!(all(&record, "LA"), ["pl"]);
    let pdf = "https://example.org/files/2006-01-losing-out-twice.pdf";
    assert_eq!(all(&record, "UR"), [pdf]);
    assert_eq!(all(&record, "L1"), [pdf]);
    // The page count is not a page range.
    assert!(all(&record, "SP").is_empty() && all(&record, "EP").is_empty());
}

#[test]
fn no_authors_means_the_publisher_without_a_comma() {
    let record = one(cited(&publication()));
    assert_eq!(all(&record, "AU"), [PUBLISHER]);
}

#[test]
fn a_pinpoint_is_the_start_page_and_links_to_it() {
    let p = publication();
    let mut c = cited(&p);
    c.page = Some(37);
    c.page_count = Some(120);
    let record = one(c);
    assert_eq!(all(&record, "SP"), ["37"]);
    assert!(all(&record, "EP").is_empty());
    let pdf = "https://example.org/files/2006-01-losing-out-twice.pdf";
    assert_eq!(all(&record, "UR"), [format!("{pdf}#page=37").as_str()]);
    assert_eq!(all(&record, "L1"), [pdf]);
}

#[test]
fn values_with_line_breaks_stay_on_one_line() {
    let mut p = publication();
    p.summary = "  First line.\r\nSecond line.\n\n\tThird  line.  ".into();
    p.title = "A title\nover two lines".into();
    let record = one(cited(&p));
    assert_eq!(all(&record, "AB"), ["First line. Second line. Third line."]);
    assert_eq!(all(&record, "TI"), ["A title over two lines"]);
}

#[test]
fn undated_and_empty_fields_are_left_out() {
    let mut p = publication();
    p.date = None;
    p.summary = "\n".into();
    p.topics = vec![" ".into()];
    let record = one(cited(&p));
    for tag in ["PY", "DA", "AB", "KW", "SP"] {
        assert!(all(&record, tag).is_empty(), "{tag} in {record:?}");
    }
}

#[test]
fn records_follow_one_another() {
    let p = publication();
    let mut q = publication();
    q.id = "second".into();
    let records = read(&render(Format::Ris, &[cited(&p), cited(&q)]));
    let ids: Vec<&str> = records.iter().flat_map(|r| all(r, "ID")).collect();
    assert_eq!(ids, [p.id.as_str(), "second"]);
    assert!(render(Format::Ris, &[]).is_empty());

    let records = read(&render(Format::Ris, &[cited(&p), cited(&p)]));
    let ids: Vec<&str> = records.iter().flat_map(|r| all(r, "ID")).collect();
    assert_eq!(ids, [p.id.clone(), format!("{}-2", p.id)]);
}
