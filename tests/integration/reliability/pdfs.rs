//! PDFs and sidecars written by the tests (lopdf): valid documents to break, hide or serve.

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

use crate::common::toml_string;

/// A valid PDF: one page per entry of `pages` (each a list of text lines, possibly empty),
/// Helvetica, with `title` in the Info dictionary. Empty pages share one empty content stream.
pub fn make_pdf(title: &str, pages: &[Vec<String>]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let empty_content = doc.add_object(Stream::new(dictionary! {}, Vec::new()));
    let mut kids: Vec<Object> = Vec::with_capacity(pages.len());
    for lines in pages {
        let content_id = if lines.is_empty() {
            empty_content
        } else {
            let mut ops = vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("TL", vec![16.into()]),
                Operation::new("Td", vec![72.into(), 760.into()]),
            ];
            for line in lines {
                ops.push(Operation::new(
                    "Tj",
                    vec![Object::string_literal(line.as_bytes().to_vec())],
                ));
                ops.push(Operation::new("T*", vec![]));
            }
            ops.push(Operation::new("ET", vec![]));
            let content = Content { operations: ops };
            doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()))
        };
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    let info_id = doc.add_object(dictionary! {
        "Title" => Object::string_literal(title.as_bytes().to_vec()),
        "Author" => Object::string_literal(&b"pubsearch reliability tests"[..]),
        "CreationDate" => Object::string_literal(&b"D:20200102030405Z"[..]),
    });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A PDF of `n` pages of ordinary text, with `marker` on every page.
pub fn text_pdf(title: &str, marker: &str, n: usize) -> Vec<u8> {
    let pages: Vec<Vec<String>> = (1..=n)
        .map(|p| {
            vec![
                format!("{title}, page {p}."),
                format!("The community centre recorded {marker} on page {p} of this report."),
                "Volunteers met residents every week to discuss housing, health and work."
                    .to_string(),
                "Interpreters helped families register with doctors and schools nearby."
                    .to_string(),
            ]
        })
        .collect();
    make_pdf(title, &pages)
}

/// A sidecar with the given id and title.
pub fn sidecar(id: &str, title: &str, summary: &str) -> String {
    format!(
        "id = \"{id}\"\ntitle = {}\ndate = \"2020-01-02\"\ntype = \"report\"\ntopics = [\"testing\"]\nsummary = {}\n",
        toml_string(title),
        toml_string(summary)
    )
}
