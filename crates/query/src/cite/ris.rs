//! RIS: tagged lines (`TY  - RPRT`), CRLF line endings, one record per item.

use pubsearch_core::model::PubType;

use super::{Author, Cited, PUBLISHER, authors, keywords, type_label, unique_ids};

/// The records, one after another.
pub(super) fn render(items: &[Cited<'_>]) -> String {
    let ids = unique_ids(items);
    items
        .iter()
        .zip(ids)
        .map(|(c, id)| record(c, &id))
        .collect()
}

/// The RIS reference type of a publication type.
fn reference_type(pub_type: PubType) -> &'static str {
    match pub_type {
        PubType::Report | PubType::Briefing => "RPRT",
        PubType::BookChapter => "CHAP",
        PubType::Newsletter | PubType::Guide | PubType::EducationalResource | PubType::Other => {
            "PAMP"
        }
    }
}

/// One record, from `TY` to `ER`.
fn record(c: &Cited<'_>, id: &str) -> String {
    let p = c.publication;
    let mut out = String::new();
    line(&mut out, "TY", reference_type(p.pub_type));
    line(&mut out, "ID", id);
    line(&mut out, "TI", &p.title);
    for author in authors(p) {
        line(&mut out, "AU", &name(&author));
    }
    if let Some(d) = p.date {
        line(&mut out, "PY", &format!("{:04}", d.year()));
        let da = format!("{:04}/{:02}/{:02}/", d.year(), u8::from(d.month()), d.day());
        line(&mut out, "DA", &da);
    }
    line(&mut out, "PB", PUBLISHER);
    if let Some(label) = type_label(p.pub_type) {
        line(&mut out, "M3", label);
    }
    line(&mut out, "AB", &p.summary);
    for keyword in keywords(p) {
        line(&mut out, "KW", keyword);
    }
    line(&mut out, "LA", p.language().as_str());
    line(&mut out, "UR", &c.url());
    line(&mut out, "L1", &c.pdf_url);
    if let Some(page) = c.page {
        line(&mut out, "SP", &page.to_string());
    }
    out.push_str("ER  - \r\n");
    out
}

/// An author as RIS writes it: `Family, Given` for a person, the name as it is (no comma
/// added) for an organisation.
fn name(author: &Author) -> String {
    match author {
        Author::Corporate(name) => name.clone(),
        Author::Person { family, given } if given.is_empty() => family.clone(),
        Author::Person { family, given } => format!("{family}, {given}"),
    }
}

/// Appends `TAG  - value` with the value on one line; nothing when the value is blank.
fn line(out: &mut String, tag: &str, value: &str) {
    let value: String = value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if value.is_empty() {
        return;
    }
    out.push_str(tag);
    out.push_str("  - ");
    out.push_str(&value);
    out.push_str("\r\n");
}

#[cfg(test)]
#[path = "ris_tests.rs"]
mod tests;
