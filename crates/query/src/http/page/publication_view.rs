//! The publication page's view: the publication, its matching pages each with its citation,
//! its scanned pages in sentences, and the publications like it.

use askama::Template;
use pubsearch_core::model::{ScannedPages, pages_phrase};

use super::assets::asset_version;
use super::format::{date_label, label};
use super::view::{PageView, languages_label};
use crate::cite;
use crate::http::cite::cited;
use crate::http::json::PageBody;
use crate::http::links;
use crate::http::params::page::PageQuery;
use crate::search::{PageHit, PublicationDetail};

/// `templates/publication.html`.
#[derive(Template)]
#[template(path = "publication.html")]
pub struct PublicationTemplate {
    asset_v: &'static str,
    id: String,
    title: String,
    date_label: String,
    type_label: String,
    type_value: String,
    topics: Vec<(String, String)>,
    lang: &'static str,
    language_label: String,
    language_detected: bool,
    authors: String,
    summary: String,
    page_count: u64,
    file_url: String,
    scan_notes: Vec<String>,
    citation: String,
    q: String,
    strict: bool,
    in_page_order: bool,
    back_href: String,
    /// The search the reader came from, other than `q` and `mode`: hidden fields of the
    /// search-in-this-publication form, so "Back to the search" keeps them.
    carried: Vec<(&'static str, String)>,
    error: Option<String>,
    status_line: String,
    pages: Vec<PublicationPageView>,
    similar: Vec<SimilarView>,
    /// The citation download link without its format.
    cite_href: String,
}

/// One matching page on a publication's page, with its citation (the page pinpointed).
pub struct PublicationPageView {
    hit: PageView,
    citation: String,
}

/// One of the "Similar publications" on a publication's page.
pub struct SimilarView {
    href: String,
    title: String,
    lang: &'static str,
    meta: String,
}

/// What the publication page shows besides the publication: an error, a status line and
/// the matching pages.
pub struct PublicationFindings {
    /// Why the pages could not be searched.
    pub error: Option<String>,
    /// How many pages match, or what to do.
    pub status_line: String,
    /// The matching pages.
    pub pages: Vec<PageHit>,
    /// The publications most like this one.
    pub similar: Vec<crate::search::Hit>,
}

/// The publication page of `detail`, reached from the search `back` (its query also searches
/// the publication's pages).
pub fn publication_template(
    detail: PublicationDetail,
    back: PageQuery,
    in_page_order: bool,
    findings: PublicationFindings,
    base: &str,
) -> PublicationTemplate {
    let carried = back
        .pairs()
        .into_iter()
        .filter(|(key, _)| *key != "q" && *key != "mode")
        .collect();
    let scan_notes = ScannedPages::of(&detail.pages)
        .map(|s| scan_notes(&s))
        .unwrap_or_default();
    let p = detail.publication;
    let file_url = links::file_url(&p.id);
    let count = Some(detail.page_count);
    let pages = findings
        .pages
        .iter()
        .map(|hit| PublicationPageView {
            citation: cite::reference(&cited(base, &p, count, Some(hit.page))),
            hit: PageBody::new(&p.id, hit),
        })
        .collect();
    PublicationTemplate {
        scan_notes,
        asset_v: asset_version(),
        citation: cite::reference(&cited(base, &p, count, None)),
        cite_href: format!("/api/publications/{}/cite?format=", p.id),
        back_href: back.href(),
        date_label: date_label(p.date),
        type_label: label(p.pub_type.as_str()),
        type_value: p.pub_type.as_str().to_string(),
        topics: p
            .topics
            .iter()
            .map(|t| {
                let href = PageQuery {
                    topics: vec![t.clone()],
                    ..PageQuery::default()
                }
                .href();
                (t.clone(), href)
            })
            .collect(),
        lang: p.language().as_str(),
        language_label: languages_label(&p.languages),
        language_detected: p.language_detected,
        authors: p.authors.join(", "),
        summary: p.summary,
        page_count: detail.page_count,
        file_url,
        pages,
        id: p.id,
        title: p.title,
        q: back.q.clone(),
        strict: back.strict,
        carried,
        in_page_order,
        error: findings.error,
        status_line: findings.status_line,
        similar: findings
            .similar
            .into_iter()
            .map(|h| {
                let s = h.publication;
                SimilarView {
                    href: links::publication_href(&s.id, ""),
                    lang: s.language().as_str(),
                    meta: format!(
                        "{} · {}",
                        label(s.pub_type.as_str()),
                        super::format::year_of(s.date)
                    ),
                    title: s.title,
                }
            })
            .collect(),
    }
}

/// What the publication page says about its scanned pages, one sentence each.
pub fn scan_notes(s: &ScannedPages) -> Vec<String> {
    let mut notes = Vec::new();
    let phrase = |pages: &[u32]| capitalised(&pages_phrase(pages));
    match s.recognised.as_slice() {
        [] => {}
        [_] => notes.push(format!(
            "{} was recognised from a scan; the text may contain errors.",
            phrase(&s.recognised)
        )),
        _ => notes.push(format!(
            "{} were recognised from a scan; the text may contain errors.",
            phrase(&s.recognised)
        )),
    }
    if !s.low_confidence.is_empty() {
        notes.push(format!(
            "The scan of {} was hard to read: search may miss words there.",
            pages_phrase(&s.low_confidence)
        ));
    }
    match s.without_text.as_slice() {
        [] => {}
        [_] => notes.push(format!(
            "{} is a scan whose text could not be read: search cannot find words on it.",
            phrase(&s.without_text)
        )),
        _ => notes.push(format!(
            "{} are scans whose text could not be read: search cannot find words on them.",
            phrase(&s.without_text)
        )),
    }
    notes
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanned_pages_are_explained_in_sentences() {
        let s = ScannedPages {
            scanned: vec![1, 2, 3, 5],
            recognised: vec![1, 2, 3],
            low_confidence: vec![2],
            without_text: vec![5],
        };
        assert_eq!(
            scan_notes(&s),
            [
                "Pages 1-3 were recognised from a scan; the text may contain errors.",
                "The scan of page 2 was hard to read: search may miss words there.",
                "Page 5 is a scan whose text could not be read: search cannot find words on it.",
            ]
        );
        let one = ScannedPages {
            scanned: vec![3],
            recognised: vec![3],
            ..ScannedPages::default()
        };
        assert_eq!(
            scan_notes(&one),
            ["Page 3 was recognised from a scan; the text may contain errors."]
        );
    }
}
