//! The API's JSON bodies: search's answers with the links and the HTML snippets added.
//!
//! Field names and order are the JSON contract (see the README); [`SearchBody`] is also what
//! `pubsearch search --json` prints.

use pubsearch_core::analysis::Lang;
use pubsearch_core::model::{PageReport, PubType, ScannedPages};
use serde::Serialize;

use super::{html, links};
use crate::search::{Facets, Hit, PageHit, PublicationDetail, PublicationSearch, SearchResponse};

/// One page of a hit.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PageBody {
    /// 1-based page number.
    pub page: u64,
    /// HTML-escaped text with matches in `<mark>`.
    pub snippet: String,
    /// Link that opens the PDF at this page.
    pub url: String,
    /// The page has only some of the query's words: it does not satisfy the query by itself.
    pub partial: bool,
}

impl PageBody {
    /// The page `p` of publication `id`.
    pub fn new(id: &str, p: &PageHit) -> PageBody {
        PageBody {
            page: p.page,
            snippet: html::snippet(&p.snippet),
            url: links::page_url(id, p.page),
            partial: p.partial,
        }
    }
}

fn page_bodies(id: &str, pages: &[PageHit]) -> Vec<PageBody> {
    pages.iter().map(|p| PageBody::new(id, p)).collect()
}

/// One publication in the results.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HitBody {
    /// Publication id.
    pub id: String,
    /// Title (plain text: escape it before showing it as HTML).
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Type.
    #[serde(rename = "type")]
    pub pub_type: PubType,
    /// Topics.
    pub topics: Vec<String>,
    /// Summary (plain text).
    pub summary: String,
    /// Main language (ISO 639-1 code): the HTML `lang` of the title, summary and snippets.
    pub language: Lang,
    /// Relevance score (null when sorted by date).
    pub score: Option<f32>,
    /// Link to the PDF.
    pub file_url: String,
    /// Best-matching pages.
    pub pages: Vec<PageBody>,
}

impl From<Hit> for HitBody {
    fn from(h: Hit) -> HitBody {
        let p = h.publication;
        let language = p.language();
        HitBody {
            file_url: links::file_url(&p.id),
            pages: page_bodies(&p.id, &h.pages),
            date: p.date.map(|d| d.to_string()),
            id: p.id,
            title: p.title,
            pub_type: p.pub_type,
            topics: p.topics,
            language,
            summary: p.summary,
            score: h.score,
        }
    }
}

/// `GET /api/publications/{id}/similar`.
#[derive(Clone, Debug, Serialize)]
pub struct SimilarBody {
    /// The publication they are like.
    pub id: String,
    /// The most similar publications, most similar first (`pages` is empty).
    pub similar: Vec<HitBody>,
}

impl SimilarBody {
    /// The publications `hits` found like `id`.
    pub fn new(id: String, hits: Vec<Hit>) -> SimilarBody {
        SimilarBody {
            id,
            similar: hits.into_iter().map(HitBody::from).collect(),
        }
    }
}

/// `GET /api/search`.
#[derive(Clone, Debug, Serialize)]
pub struct SearchBody {
    /// Matching publications.
    pub total: usize,
    /// This page of results.
    pub page: usize,
    /// Results per page.
    pub per_page: usize,
    /// Time spent, in milliseconds.
    pub took_ms: u64,
    /// The hits.
    pub hits: Vec<HitBody>,
    /// Facet counts.
    pub facets: Facets,
    /// Website mode: too few publications have every word of the query (stop words aside), so
    /// the hits have at least one of them, best match first.
    pub relaxed: bool,
    /// Website mode: words of the query that were not required (each still counts where it
    /// appears): the stop words, or every word when `relaxed`.
    pub not_required: Vec<String>,
    /// Website mode: words left out of a query of more different words than are searched.
    pub left_out: Vec<String>,
    /// A strict search that found nothing: how many publications the same text finds in
    /// website mode (`mode=website`); `null` otherwise.
    pub website_total: Option<usize>,
    /// A strict search that found nothing: the query with its unknown words corrected, when
    /// that finds something; `null` otherwise.
    pub did_you_mean: Option<String>,
}

impl From<SearchResponse> for SearchBody {
    fn from(r: SearchResponse) -> SearchBody {
        SearchBody {
            total: r.total,
            page: r.page,
            per_page: r.per_page,
            took_ms: r.took_ms,
            hits: r.hits.into_iter().map(HitBody::from).collect(),
            facets: r.facets,
            relaxed: r.relaxation.relaxed,
            not_required: r.relaxation.not_required,
            left_out: r.relaxation.left_out,
            website_total: r.website_total,
            did_you_mean: r.did_you_mean,
        }
    }
}

/// `GET /api/publications/{id}`.
#[derive(Clone, Debug, Serialize)]
pub struct PublicationBody {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Type.
    #[serde(rename = "type")]
    pub pub_type: PubType,
    /// Topics.
    pub topics: Vec<String>,
    /// Summary.
    pub summary: String,
    /// Authors.
    pub authors: Vec<String>,
    /// Main language (ISO 639-1 code).
    pub language: Lang,
    /// Every language it is written in, main first.
    pub languages: Vec<Lang>,
    /// The languages were detected from the text (the metadata named none).
    pub language_detected: bool,
    /// Pages.
    pub page_count: u64,
    /// Link to the PDF.
    pub file_url: String,
    /// Per page: engine (`pdf-extract`, `pdftotext`, `ocr`, `none`), status (`ok`,
    /// `no-text-layer`, `empty`, `failed`) and, for OCR pages, the mean word confidence.
    pub pages: Vec<PageReport>,
    /// The scanned pages, when there are any: recognised by OCR (with low confidence) or still
    /// without text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scanned: Option<ScannedPages>,
}

impl From<PublicationDetail> for PublicationBody {
    fn from(d: PublicationDetail) -> PublicationBody {
        let p = d.publication;
        let languages = pubsearch_core::doc::languages_of(&p);
        PublicationBody {
            file_url: links::file_url(&p.id),
            date: p.date.map(|d| d.to_string()),
            id: p.id,
            title: p.title,
            pub_type: p.pub_type,
            topics: p.topics,
            summary: p.summary,
            authors: p.authors,
            language: languages[0],
            languages,
            language_detected: p.language_detected,
            page_count: d.page_count,
            scanned: ScannedPages::of(&d.pages),
            pages: d.pages,
        }
    }
}

/// `GET /api/publications/{id}/search`.
#[derive(Clone, Debug, Serialize)]
pub struct PublicationSearchBody {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Matching pages.
    pub total: usize,
    /// Matching pages in page order.
    pub pages: Vec<PageBody>,
}

impl From<PublicationSearch> for PublicationSearchBody {
    fn from(s: PublicationSearch) -> PublicationSearchBody {
        PublicationSearchBody {
            pages: page_bodies(&s.id, &s.pages),
            id: s.id,
            title: s.title,
            total: s.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Snippet;
    use pubsearch_core::model::Publication;

    #[test]
    fn a_hit_keeps_the_contracts_fields_and_order() {
        let hit = Hit {
            publication: Publication {
                id: "a-1".into(),
                title: "T".into(),
                date: Some(time::macros::date!(2006 - 01 - 07)),
                pub_type: PubType::Report,
                topics: vec!["health".into()],
                summary: "S".into(),
                authors: vec!["An Author".into()],
                languages: vec![pubsearch_core::analysis::Lang::En],
                language_detected: false,
            },
            score: None,
            pages: vec![PageHit {
                page: 37,
                snippet: Snippet::new("the <clinic> & more", &[4..12, 15..19]),
                partial: false,
            }],
        };
        assert_eq!(
            serde_json::to_string(&HitBody::from(hit)).unwrap(),
            r#"{"id":"a-1","title":"T","date":"2006-01-07","type":"report","topics":["health"],"summary":"S","language":"en","score":null,"file_url":"/files/a-1.pdf","pages":[{"page":37,"snippet":"the <mark>&lt;clinic&gt;</mark> &amp; <mark>more</mark>","url":"/files/a-1.pdf#page=37","partial":false}]}"#
        );
    }
}
