//! `GET /feed.atom?<a search's parameters>`: every search as an Atom feed, newest
//! publications first, so a researcher subscribes to a search in a feed reader and sees the
//! new publications that match it. No account: the feed's address is the search.
//!
//! The parameters are read as the search page reads them ([`PageQuery`], website mode unless
//! `mode=strict`), so the page's "Subscribe" link is its own query string; the order is always
//! newest first and the feed holds the newest [`FEED_ENTRIES`].

use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::blocking;
use super::error::ApiError;
use super::links::{self, base_url};
use super::page::format::label;
use super::params::page::PageQuery;
use super::state::AppState;
use crate::cite::PUBLISHER;
use crate::search::{Hit, Sort};

/// Publications in one feed: the newest that match.
pub const FEED_ENTRIES: usize = 50;

/// The feed's media type.
pub const ATOM: &str = "application/atom+xml; charset=utf-8";

/// The feed of a search's state (`query`, as the search page has it): its link.
pub fn feed_href(query: &PageQuery) -> String {
    let mut q = query.clone();
    q.page = 1;
    q.sort = None;
    q.per_page = super::params::page::DEFAULT_PER_PAGE;
    let qs = q.query_string();
    if qs.is_empty() {
        "/feed.atom".into()
    } else {
        format!("/feed.atom?{qs}")
    }
}

/// `GET /feed.atom`.
pub async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (query, _) = PageQuery::parse(raw.as_deref());
    let mut req = query.to_request()?;
    req.sort = Sort::DateDesc;
    req.page = 1;
    req.per_page = FEED_ENTRIES;
    let found = blocking::search(&state, move |st| Ok(st.service().search(&req)?)).await?;
    let base = base_url(&headers);
    let body = atom(&query, &found.hits, &base).to_string();
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ATOM));
    Ok(response)
}

/// A date as Atom's timestamp (midnight UTC, as the index dates publications).
fn timestamp(date: time::Date) -> Option<FixedDateTime> {
    format!("{date}T00:00:00Z").parse().ok()
}

fn text(value: &str) -> Text {
    Text {
        value: value.to_string(),
        ..Text::default()
    }
}

fn link(href: String, rel: &str, mime: Option<&str>) -> Link {
    Link {
        href,
        rel: rel.into(),
        mime_type: mime.map(str::to_string),
        ..Link::default()
    }
}

/// The feed of `hits` (newest first) for the search `query`, with absolute links on `base`.
fn atom(query: &PageQuery, hits: &[Hit], base: &str) -> Feed {
    let search_href = format!("{base}{}", query.with(|p| p.sort = Some(Sort::DateDesc)));
    let title = if query.q.trim().is_empty() {
        "New publications".to_string()
    } else {
        format!("New publications matching “{}”", query.q.trim())
    };
    // Undated publications come last and carry the newest date in the feed, else a fixed one
    // (Atom requires a date on every entry).
    let newest = hits
        .iter()
        .find_map(|h| h.publication.date)
        .and_then(timestamp)
        .unwrap_or_default();
    let entries = hits
        .iter()
        .map(|h| {
            let p = &h.publication;
            let page = format!("{base}{}", links::publication_href(&p.id, ""));
            let authors = if p.authors.is_empty() {
                vec![PUBLISHER.to_string()]
            } else {
                p.authors.clone()
            };
            Entry {
                title: text(&p.title),
                id: page.clone(),
                updated: p.date.and_then(timestamp).unwrap_or(newest),
                published: p.date.and_then(timestamp),
                authors: authors
                    .into_iter()
                    .map(|name| Person {
                        name,
                        ..Person::default()
                    })
                    .collect(),
                categories: std::iter::once(p.pub_type.as_str())
                    .chain(p.topics.iter().map(String::as_str))
                    .map(|t| Category {
                        term: t.to_string(),
                        label: Some(label(t)),
                        ..Category::default()
                    })
                    .collect(),
                links: vec![
                    link(page, "alternate", Some("text/html")),
                    link(
                        format!("{base}{}", links::file_url(&p.id)),
                        "enclosure",
                        Some("application/pdf"),
                    ),
                ],
                summary: (!p.summary.is_empty()).then(|| text(&p.summary)),
                ..Entry::default()
            }
        })
        .collect();
    Feed {
        title: text(&title),
        id: search_href.clone(),
        updated: newest,
        authors: vec![Person {
            name: PUBLISHER.into(),
            ..Person::default()
        }],
        links: vec![
            link(
                format!("{base}{}", feed_href(query)),
                "self",
                Some("application/atom+xml"),
            ),
            link(search_href, "alternate", Some("text/html")),
        ],
        entries,
        ..Feed::default()
    }
}
