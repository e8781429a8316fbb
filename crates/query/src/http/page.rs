//! The server-rendered search page, for people.
//!
//! | route | what |
//! |---|---|
//! | `GET /` | search form, facets with counts, sorted and paged results with snippets |
//! | `GET /publications/{id}?q=&mode=` | one publication: metadata, citation, every matching page |
//! | `GET /assets/{file}` | the page's stylesheet and script (`app.css`, `app.js`) |
//!
//! The pages work without JavaScript: the search is a plain GET form and all state is in the
//! query string (`q`, `type` and `topic` repeated, `year_from`, `year_to`, `sort`, `page`,
//! `per_page`, `mode`), so every URL can be shared. `mode` defaults to `website` here (the
//! forgiving syntax); `mode=strict` is the exact syntax for researchers. The external script
//! only adds comfort: autocomplete, submitting filters as they change, copying citations.
//!
//! Templates are compiled in ([askama], `templates/`) and escape everything by default; the
//! only markup passed through is the search snippets, which [`crate::search`] escapes itself
//! and marks up with `<mark>` alone. Every HTML answer carries [`CONTENT_SECURITY_POLICY`],
//! which forbids inline script and style. A query that does not parse, or a bad parameter,
//! gives the page back with a message (status 400), never a bare error.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::params;
use super::routes::blocking;
use super::state::AppState;
use crate::parse::Mode;
use crate::search::{
    FacetCount, Hit, MAX_OFFSET, MAX_PER_PAGE, PageHit, PublicationDetail, PublicationSearch,
    SearchError, SearchRequest, SearchResponse, Sort,
};

/// The Content-Security-Policy sent with every HTML page: no inline script or style, nothing
/// from other origins, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

/// The organisation cited when a publication names no authors.
pub const ORGANISATION: &str = "Migrant and Refugee Communities Forum";

/// Results per page unless `per_page` says otherwise.
pub const DEFAULT_PER_PAGE: usize = 10;

const APP_CSS: &str = include_str!("../../assets/app.css");
const APP_JS: &str = include_str!("../../assets/app.js");

/// A short hash of the assets, appended to their URLs so browsers refetch them after an
/// upgrade.
fn asset_version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in APP_CSS.bytes().chain(APP_JS.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{:08x}", h >> 32)
    })
}

/// `GET /assets/{file}`.
pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        "app.js" => (APP_JS, "text/javascript; charset=utf-8"),
        _ => return ApiError::NotFound("no such asset".into()).into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

/// An HTML answer with the security headers of every page.
pub fn html_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(body) => html_response(status, body),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            html_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "<!doctype html><title>Error</title><p>Something went wrong on our side.</p>"
                    .into(),
            )
        }
    }
}

/// Percent-encodes `s` for use as one path segment.
fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `scheme://host` of this server as the client reached it, for absolute links in
/// citations; empty (so links stay relative) when the host header is missing or odd.
fn base_url(headers: &HeaderMap) -> String {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let valid_host = |h: &&str| {
        !h.is_empty()
            && h.len() <= 255
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    };
    let host = get("x-forwarded-host")
        .and_then(|h| h.split(',').next())
        .map(str::trim)
        .filter(valid_host)
        .or_else(|| get("host").filter(valid_host));
    let proto = get("x-forwarded-proto")
        .map(|p| p.split(',').next().unwrap_or("").trim())
        .filter(|p| *p == "https" || *p == "http")
        .unwrap_or("http");
    match host {
        Some(h) => format!("{proto}://{h}"),
        None => String::new(),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2004-01-07` as `7 January 2004`.
fn date_label(date: Option<&str>) -> String {
    let Some(d) = date else {
        return String::new();
    };
    let mut parts = d.splitn(3, '-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(day)) => {
            let month = m
                .parse::<usize>()
                .ok()
                .and_then(|m| MONTHS.get(m.wrapping_sub(1)));
            match (month, day.parse::<u32>()) {
                (Some(month), Ok(day)) => format!("{day} {month} {y}"),
                _ => d.to_string(),
            }
        }
        _ => d.to_string(),
    }
}

fn year_of(date: Option<&str>) -> String {
    date.and_then(|d| d.get(..4))
        .map(str::to_string)
        .unwrap_or_else(|| "n.d.".into())
}

/// A facet value for people: `educational-resource` becomes `Educational resource`.
fn label(value: &str) -> String {
    let spaced = value.replace('-', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A citation line: authors (or the organisation), year, title, page, link.
pub fn citation(
    authors: &[String],
    title: &str,
    date: Option<&str>,
    page: Option<u64>,
    url: &str,
) -> String {
    let by = if authors.is_empty() {
        ORGANISATION.to_string()
    } else {
        authors.join(", ")
    };
    let title = title.trim();
    let stop = if title.ends_with(['.', '?', '!']) {
        ""
    } else {
        "."
    };
    match page {
        Some(p) => format!("{by} ({}). {title}{stop} p. {p}. {url}", year_of(date)),
        None => format!("{by} ({}). {title}{stop} {url}", year_of(date)),
    }
}

/// The search page's state, read from the query string.
#[derive(Clone, Debug, PartialEq)]
pub struct PageQuery {
    /// The query text.
    pub q: String,
    /// Types kept.
    pub types: Vec<String>,
    /// Topics kept.
    pub topics: Vec<String>,
    /// First year kept.
    pub year_from: Option<u64>,
    /// Last year kept.
    pub year_to: Option<u64>,
    /// The order asked for, if any (otherwise relevance, or newest first with no query).
    pub sort: Option<Sort>,
    /// 1-based page.
    pub page: usize,
    /// Results per page.
    pub per_page: usize,
    /// Strict syntax instead of the website default.
    pub strict: bool,
}

impl Default for PageQuery {
    fn default() -> Self {
        PageQuery {
            q: String::new(),
            types: Vec::new(),
            topics: Vec::new(),
            year_from: None,
            year_to: None,
            sort: None,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            strict: false,
        }
    }
}

fn sort_name(sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => "relevance",
        Sort::DateDesc => "date_desc",
        Sort::DateAsc => "date_asc",
    }
}

impl PageQuery {
    /// Reads the query string leniently: a value that makes no sense is dropped and named in
    /// the returned notices, so the page still renders.
    pub fn parse(raw: Option<&str>) -> (PageQuery, Vec<String>) {
        let mut p = PageQuery::default();
        let mut notices = Vec::new();
        let shown = |v: &str| v.chars().take(40).collect::<String>();
        for (key, value) in params::pairs(raw) {
            let value = value.trim().to_string();
            match key.as_str() {
                "q" => p.q = value,
                "type" if !value.is_empty() && !p.types.contains(&value) => p.types.push(value),
                "topic" if !value.is_empty() && !p.topics.contains(&value) => p.topics.push(value),
                "year_from" | "year_to" if !value.is_empty() => match value.parse::<u64>() {
                    Ok(y) if (1..=9999).contains(&y) => {
                        if key == "year_from" {
                            p.year_from = Some(y)
                        } else {
                            p.year_to = Some(y)
                        }
                    }
                    _ => notices.push(format!(
                        "“{}” is not a year, so it was ignored.",
                        shown(&value)
                    )),
                },
                "sort" if !value.is_empty() => match value.parse::<Sort>() {
                    Ok(s) => p.sort = Some(s),
                    Err(_) => notices.push(format!(
                        "“{}” is not a way to sort, so results are in the usual order.",
                        shown(&value)
                    )),
                },
                "page" if !value.is_empty() => match value.parse::<usize>() {
                    Ok(n) if n >= 1 => p.page = n,
                    _ => notices.push(format!(
                        "“{}” is not a page number, so the first page is shown.",
                        shown(&value)
                    )),
                },
                "per_page" if !value.is_empty() => match value.parse::<usize>() {
                    Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => p.per_page = n,
                    _ => notices.push(format!(
                        "Between 1 and {MAX_PER_PAGE} results can be shown per page."
                    )),
                },
                "mode" => p.strict = value == "strict",
                _ => {}
            }
        }
        p.types.truncate(20);
        p.topics.truncate(50);
        if let (Some(a), Some(b)) = (p.year_from, p.year_to)
            && a > b
        {
            notices.push(format!("The years were swapped: {b} to {a}."));
            p.year_from = Some(b);
            p.year_to = Some(a);
        }
        let deepest = MAX_OFFSET / p.per_page + 1;
        if p.page > deepest {
            notices.push(format!(
                "Only the first {MAX_OFFSET} results can be paged through; narrow the search."
            ));
            p.page = deepest;
        }
        (p, notices)
    }

    /// The order used.
    pub fn effective_sort(&self) -> Sort {
        self.sort.unwrap_or(if self.q.trim().is_empty() {
            Sort::DateDesc
        } else {
            Sort::Relevance
        })
    }

    fn mode(&self) -> Mode {
        if self.strict {
            Mode::Strict
        } else {
            Mode::Website
        }
    }

    /// The search to run; a type that names no type is an invalid parameter.
    pub fn to_request(&self) -> Result<SearchRequest, SearchError> {
        let mut r = SearchRequest::new(self.q.clone());
        r.types = self
            .types
            .iter()
            .map(|t| t.parse())
            .collect::<Result<_, _>>()?;
        r.topics = self.topics.clone();
        r.year_from = self.year_from;
        r.year_to = self.year_to;
        r.sort = self.effective_sort();
        r.page = self.page;
        r.per_page = self.per_page;
        r.mode = self.mode();
        Ok(r)
    }

    fn has_filters(&self) -> bool {
        !self.types.is_empty()
            || !self.topics.is_empty()
            || self.year_from.is_some()
            || self.year_to.is_some()
    }

    /// The URL of this state: `/` plus the query string.
    pub fn href(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        if self.strict {
            s.append_pair("mode", "strict");
        }
        for t in &self.types {
            s.append_pair("type", t);
        }
        for t in &self.topics {
            s.append_pair("topic", t);
        }
        if let Some(y) = self.year_from {
            s.append_pair("year_from", &y.to_string());
        }
        if let Some(y) = self.year_to {
            s.append_pair("year_to", &y.to_string());
        }
        if let Some(sort) = self.sort {
            s.append_pair("sort", sort_name(sort));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            s.append_pair("per_page", &self.per_page.to_string());
        }
        if self.page > 1 {
            s.append_pair("page", &self.page.to_string());
        }
        let qs = s.finish();
        if qs.is_empty() {
            "/".into()
        } else {
            format!("/?{qs}")
        }
    }

    fn with(&self, change: impl FnOnce(&mut PageQuery)) -> String {
        let mut next = self.clone();
        next.page = 1;
        change(&mut next);
        next.href()
    }
}

/// The page about one publication, for a query and mode.
fn publication_href(id: &str, q: &str, strict: bool) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    if !q.is_empty() {
        s.append_pair("q", q);
    }
    if strict {
        s.append_pair("mode", "strict");
    }
    let qs = s.finish();
    let path = format!("/publications/{}", path_segment(id));
    if qs.is_empty() {
        path
    } else {
        format!("{path}?{qs}")
    }
}

/// One facet checkbox.
pub struct FacetView {
    /// DOM id.
    pub dom_id: String,
    /// Value sent.
    pub value: String,
    /// Shown.
    pub label: String,
    /// Publications.
    pub count: u64,
    /// Ticked.
    pub checked: bool,
}

/// One year with its count, linking to that year alone.
pub struct YearView {
    /// The year.
    pub year: String,
    /// Publications.
    pub count: u64,
    /// Link to that year alone.
    pub href: String,
    /// The range is exactly this year.
    pub current: bool,
}

/// One page of a hit.
pub struct PageView {
    /// Page number.
    pub page: u64,
    /// Pre-escaped snippet with `<mark>`.
    pub snippet: String,
    /// Link opening the PDF at the page.
    pub url: String,
}

impl From<PageHit> for PageView {
    fn from(p: PageHit) -> Self {
        PageView {
            page: p.page,
            snippet: p.snippet,
            url: p.url,
        }
    }
}

/// One result.
pub struct HitView {
    /// Id.
    pub id: String,
    /// Title (escaped by the template).
    pub title: String,
    /// `7 January 2004`.
    pub date_label: String,
    /// `2004-01-07`.
    pub date: String,
    /// Type for people.
    pub type_label: String,
    /// Topics.
    pub topics: Vec<String>,
    /// Summary.
    pub summary: String,
    /// The publication's page for this query.
    pub pub_href: String,
    /// The PDF.
    pub file_url: String,
    /// Best pages.
    pub pages: Vec<PageView>,
    /// Citation line.
    pub citation: String,
}

/// A link in the pagination; `None` number is a gap.
pub struct PageLink {
    /// Page number, or `None` for "…".
    pub number: Option<usize>,
    /// Link.
    pub href: String,
    /// This page.
    pub current: bool,
}

/// A filter in force, with the link that removes it.
pub struct ActiveFilter {
    /// What it is, for people.
    pub label: String,
    /// The same search without it.
    pub remove_href: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchTemplate {
    asset_v: &'static str,
    q: String,
    strict: bool,
    sort: &'static str,
    sort_implicit: bool,
    error: Option<String>,
    notices: Vec<String>,
    status_line: String,
    hits: Vec<HitView>,
    first_index: usize,
    types: Vec<FacetView>,
    topics: Vec<FacetView>,
    years: Vec<YearView>,
    year_from: String,
    year_to: String,
    year_min: String,
    year_max: String,
    active: Vec<ActiveFilter>,
    clear_href: String,
    pages: Vec<PageLink>,
    prev_href: Option<String>,
    next_href: Option<String>,
}

#[derive(Template)]
#[template(path = "publication.html")]
struct PublicationTemplate {
    asset_v: &'static str,
    id: String,
    title: String,
    date_label: String,
    type_label: String,
    type_value: String,
    topics: Vec<(String, String)>,
    authors: String,
    summary: String,
    page_count: u64,
    file_url: String,
    citation: String,
    q: String,
    strict: bool,
    back_href: String,
    error: Option<String>,
    status_line: String,
    pages: Vec<PageView>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    asset_v: &'static str,
    heading: String,
    message: String,
}

fn error_page(status: StatusCode, heading: &str, message: &str) -> Response {
    render(
        status,
        &ErrorTemplate {
            asset_v: asset_version(),
            heading: heading.into(),
            message: message.into(),
        },
    )
}

/// What went wrong, for people, and the status to answer with.
fn friendly(e: &ApiError, strict: bool) -> (StatusCode, String) {
    match e {
        ApiError::InvalidQuery(m) => (
            StatusCode::BAD_REQUEST,
            if strict {
                format!(
                    "This search could not be understood: {m}. Check the quotes and brackets, \
                     or untick “Exact search” to search more loosely."
                )
            } else {
                format!("This search could not be understood: {m}.")
            },
        ),
        ApiError::InvalidParameter(m) => (
            StatusCode::BAD_REQUEST,
            format!("This search cannot be run: {m}."),
        ),
        ApiError::Timeout(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The search took too long. Please try fewer or more specific words.".into(),
        ),
        ApiError::NotFound(m) => (StatusCode::NOT_FOUND, m.clone()),
        ApiError::Unauthorized | ApiError::Internal(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on our side. Please try again in a moment.".into(),
        ),
    }
}

fn facet_views(
    dim: &str,
    counts: &[FacetCount],
    selected: &[String],
    pretty: bool,
) -> Vec<FacetView> {
    let mut views: Vec<FacetView> = counts
        .iter()
        .map(|c| (c.value.clone(), c.count))
        .chain(
            selected
                .iter()
                .filter(|s| !counts.iter().any(|c| &c.value == *s))
                .map(|s| (s.clone(), 0)),
        )
        .enumerate()
        .map(|(i, (value, count))| FacetView {
            dom_id: format!("{dim}-{i}"),
            label: if pretty { label(&value) } else { value.clone() },
            checked: selected.contains(&value),
            value,
            count,
        })
        .collect();
    views.sort_by_key(|v| !v.checked);
    views
}

fn hit_view(hit: Hit, authors: &[String], query: &PageQuery, base: &str) -> HitView {
    let first_page = hit.pages.first().map(|p| p.page);
    let link = match first_page {
        Some(p) => format!("{base}{}#page={p}", hit.file_url),
        None => format!("{base}{}", hit.file_url),
    };
    HitView {
        citation: citation(authors, &hit.title, hit.date.as_deref(), first_page, &link),
        pub_href: publication_href(&hit.id, &query.q, query.strict),
        date_label: date_label(hit.date.as_deref()),
        date: hit.date.unwrap_or_default(),
        type_label: label(&hit.pub_type),
        pages: hit.pages.into_iter().map(PageView::from).collect(),
        id: hit.id,
        title: hit.title,
        topics: hit.topics,
        summary: hit.summary,
        file_url: hit.file_url,
    }
}

fn pagination(query: &PageQuery, total: usize) -> Vec<PageLink> {
    let reachable = total.min(MAX_OFFSET + query.per_page);
    let last = reachable.div_ceil(query.per_page).max(1);
    if last <= 1 {
        return Vec::new();
    }
    let current = query.page.min(last);
    let mut out = Vec::new();
    let mut gap = false;
    for n in 1..=last {
        if n == 1 || n == last || n.abs_diff(current) <= 2 {
            out.push(PageLink {
                number: Some(n),
                href: query.with(|p| p.page = n),
                current: n == current,
            });
            gap = false;
        } else if !gap {
            out.push(PageLink {
                number: None,
                href: String::new(),
                current: false,
            });
            gap = true;
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn status_line(query: &PageQuery, resp: &SearchResponse) -> String {
    let q = query.q.trim();
    let first = (resp.page - 1) * resp.per_page + 1;
    let shown = if resp.hits.is_empty() || resp.total <= resp.per_page {
        String::new()
    } else {
        format!(", showing {}–{}", first, first + resp.hits.len() - 1)
    };
    let filtered = if query.has_filters() {
        " with these filters"
    } else {
        ""
    };
    match (q.is_empty(), resp.total) {
        (true, 0) => format!("No publications{filtered}."),
        (true, n) => format!(
            "{}{filtered}, newest first{shown}.",
            plural(n, "publication", "publications")
        ),
        (false, 0) => format!("No publications match “{q}”{filtered}."),
        (false, 1) => format!("1 publication matches “{q}”{filtered}."),
        (false, n) => format!("{n} publications match “{q}”{filtered}{shown}."),
    }
}

fn search_template(
    query: &PageQuery,
    resp: Option<(SearchResponse, Vec<Vec<String>>)>,
    error: Option<String>,
    notices: Vec<String>,
    base: &str,
) -> SearchTemplate {
    let (hits, facets, status, pages, total) = match resp {
        Some((resp, authors)) => {
            let status = status_line(query, &resp);
            let pages = pagination(query, resp.total);
            let total = resp.total;
            let hits = resp
                .hits
                .into_iter()
                .zip(
                    authors
                        .iter()
                        .map(Vec::as_slice)
                        .chain(std::iter::repeat(&[][..])),
                )
                .map(|(h, a)| hit_view(h, a, query, base))
                .collect();
            (hits, resp.facets, status, pages, total)
        }
        None => (
            Vec::new(),
            Default::default(),
            "No results.".to_string(),
            Vec::new(),
            0,
        ),
    };
    let years: Vec<YearView> = facets
        .year
        .iter()
        .map(|y| {
            let n = y.value.parse::<u64>().ok();
            YearView {
                href: query.with(|p| {
                    p.year_from = n;
                    p.year_to = n;
                }),
                current: n.is_some() && query.year_from == n && query.year_to == n,
                year: y.value.clone(),
                count: y.count,
            }
        })
        .collect();
    let year_values: Vec<u64> = facets
        .year
        .iter()
        .filter_map(|y| y.value.parse().ok())
        .collect();
    let mut active = Vec::new();
    for t in &query.types {
        active.push(ActiveFilter {
            label: format!("Type: {}", label(t)),
            remove_href: query.with(|p| p.types.retain(|x| x != t)),
        });
    }
    for t in &query.topics {
        active.push(ActiveFilter {
            label: format!("Topic: {t}"),
            remove_href: query.with(|p| p.topics.retain(|x| x != t)),
        });
    }
    if query.year_from.is_some() || query.year_to.is_some() {
        let range = match (query.year_from, query.year_to) {
            (Some(a), Some(b)) if a == b => format!("{a}"),
            (Some(a), Some(b)) => format!("{a}–{b}"),
            (Some(a), None) => format!("from {a}"),
            (None, Some(b)) => format!("until {b}"),
            (None, None) => String::new(),
        };
        active.push(ActiveFilter {
            label: format!("Years: {range}"),
            remove_href: query.with(|p| {
                p.year_from = None;
                p.year_to = None;
            }),
        });
    }
    let current = query.page;
    let last = pages.iter().filter_map(|p| p.number).max().unwrap_or(1);
    SearchTemplate {
        asset_v: asset_version(),
        q: query.q.clone(),
        strict: query.strict,
        sort: sort_name(query.effective_sort()),
        sort_implicit: query.sort.is_none(),
        error,
        notices,
        status_line: status,
        first_index: (query.page - 1) * query.per_page + 1,
        types: facet_views("type", &facets.pub_type, &query.types, true),
        topics: facet_views("topic", &facets.topic, &query.topics, false),
        years,
        year_from: query.year_from.map(|y| y.to_string()).unwrap_or_default(),
        year_to: query.year_to.map(|y| y.to_string()).unwrap_or_default(),
        year_min: year_values
            .iter()
            .min()
            .map(|y| y.to_string())
            .unwrap_or_default(),
        year_max: year_values
            .iter()
            .max()
            .map(|y| y.to_string())
            .unwrap_or_default(),
        active,
        clear_href: query.with(|p| {
            p.types.clear();
            p.topics.clear();
            p.year_from = None;
            p.year_to = None;
        }),
        prev_href: (current > 1 && total > 0).then(|| query.with(|p| p.page = current - 1)),
        next_href: (current < last).then(|| query.with(|p| p.page = current + 1)),
        pages,
        hits,
    }
}

/// `GET /`: the search page.
pub async fn search_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let (query, notices) = PageQuery::parse(raw.as_deref());
    let req = query.to_request();
    let base = base_url(&headers);
    let outcome = blocking(&state, move |st| {
        let resp = st.service().search(&req?)?;
        let mut authors = Vec::with_capacity(resp.hits.len());
        for hit in &resp.hits {
            authors.push(
                st.service()
                    .publication(&hit.id)?
                    .map(|d| d.authors)
                    .unwrap_or_default(),
            );
        }
        Ok((resp, authors))
    })
    .await;
    match outcome {
        Ok(found) => render(
            StatusCode::OK,
            &search_template(&query, Some(found), None, notices, &base),
        ),
        Err(e) => {
            let (status, message) = friendly(&e, query.strict);
            if let ApiError::Internal(detail) = &e {
                tracing::error!(error = %detail, "search page failed");
            }
            render(
                status,
                &search_template(&query, None, Some(message), notices, &base),
            )
        }
    }
}

/// A publication and, when there was a query, its matching pages or why they could not be
/// found.
type Found = (
    Option<PublicationDetail>,
    Option<Result<PublicationSearch, ApiError>>,
);

/// `GET /publications/{id}?q=&mode=`: one publication and every page matching `q`.
pub async fn publication_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let mut q = String::new();
    let mut strict = false;
    for (k, v) in params::pairs(raw.as_deref()) {
        match k.as_str() {
            "q" => q = v.trim().to_string(),
            "mode" => strict = v == "strict",
            _ => {}
        }
    }
    let mode = if strict { Mode::Strict } else { Mode::Website };
    let lookup = id.clone();
    let query = q.clone();
    let found: Result<Found, ApiError> = blocking(&state, move |st| {
        let Some(detail) = st.service().publication(&lookup)? else {
            return Ok((None, None));
        };
        let pages = if query.is_empty() {
            None
        } else {
            match st.service().search_publication(&lookup, &query, mode) {
                Ok(Some(p)) => Some(Ok(p)),
                Ok(None) => None,
                Err(e) => Some(Err(ApiError::from(e))),
            }
        };
        Ok((Some(detail), pages))
    })
    .await;
    let (detail, pages) = match found {
        Ok((Some(d), pages)) => (d, pages),
        Ok((None, _)) => {
            return error_page(
                StatusCode::NOT_FOUND,
                "Publication not found",
                "There is no publication at this address. It may have been removed from the \
                 library; try searching for it.",
            );
        }
        Err(e) => {
            let (status, message) = friendly(&e, strict);
            return error_page(status, "The publication could not be shown", &message);
        }
    };
    let base = base_url(&headers);
    let (error, hits, status) = match pages {
        None if q.is_empty() => (
            None,
            Vec::new(),
            "Type words above to find the pages that mention them.".to_string(),
        ),
        None => (None, Vec::new(), "No pages match.".to_string()),
        Some(Ok(found)) => {
            let status = match found.total {
                0 => format!("No pages match “{q}”."),
                1 => format!("1 page matches “{q}”."),
                n => format!("{n} pages match “{q}”."),
            };
            (None, found.pages, status)
        }
        Some(Err(e)) => {
            let (_, message) = friendly(&e, strict);
            (Some(message), Vec::new(), "No results.".to_string())
        }
    };
    let status_code = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let back = PageQuery {
        q: q.clone(),
        strict,
        ..PageQuery::default()
    };
    let template = PublicationTemplate {
        asset_v: asset_version(),
        citation: citation(
            &detail.authors,
            &detail.title,
            detail.date.as_deref(),
            None,
            &format!("{base}{}", detail.file_url),
        ),
        back_href: back.href(),
        date_label: date_label(detail.date.as_deref()),
        type_label: label(&detail.pub_type),
        type_value: detail.pub_type.clone(),
        topics: detail
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
        authors: detail.authors.join(", "),
        summary: detail.summary.clone(),
        page_count: detail.page_count,
        file_url: detail.file_url.clone(),
        id: detail.id.clone(),
        title: detail.title.clone(),
        q,
        strict,
        error,
        status_line: status,
        pages: hits.into_iter().map(PageView::from).collect(),
    };
    render(status_code, &template)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_query_round_trips_through_its_url() {
        let raw = "q=clean+water&type=report&type=guide&topic=health&year_from=2005&year_to=2010&sort=date_asc&page=3&per_page=5&mode=strict";
        let (p, notices) = PageQuery::parse(Some(raw));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(p.types, vec!["report", "guide"]);
        assert_eq!(
            (p.year_from, p.year_to, p.page, p.per_page),
            (Some(2005), Some(2010), 3, 5)
        );
        assert!(p.strict);
        let again = PageQuery::parse(p.href().strip_prefix("/?")).0;
        assert_eq!(again, p);
        assert_eq!(PageQuery::default().href(), "/");
    }

    #[test]
    fn bad_values_become_notices_not_errors() {
        let (p, notices) =
            PageQuery::parse(Some("q=x&year_from=abc&sort=best&page=-2&per_page=1000"));
        assert_eq!(notices.len(), 4, "{notices:?}");
        assert_eq!(
            (p.year_from, p.sort, p.page, p.per_page),
            (None, None, 1, 10)
        );
        let (p, notices) = PageQuery::parse(Some("year_from=2010&year_to=2005"));
        assert_eq!((p.year_from, p.year_to), (Some(2005), Some(2010)));
        assert_eq!(notices.len(), 1);
        // Website is the default mode, and no query means newest first.
        let (p, _) = PageQuery::parse(None);
        assert_eq!(p.to_request().unwrap().mode, Mode::Website);
        assert_eq!(p.effective_sort(), Sort::DateDesc);
    }

    #[test]
    fn citations_name_the_organisation_when_there_are_no_authors() {
        let c = citation(
            &[],
            "What is British?",
            Some("2004-01-07"),
            Some(11),
            "http://x/files/a.pdf#page=11",
        );
        assert_eq!(
            c,
            "Migrant and Refugee Communities Forum (2004). What is British? p. 11. http://x/files/a.pdf#page=11"
        );
        let c = citation(
            &["A. Writer".into(), "B. Author".into()],
            "Report",
            None,
            None,
            "/files/b.pdf",
        );
        assert_eq!(c, "A. Writer, B. Author (n.d.). Report. /files/b.pdf");
    }

    #[test]
    fn helpers() {
        assert_eq!(date_label(Some("2004-01-07")), "7 January 2004");
        assert_eq!(date_label(Some("junk")), "junk");
        assert_eq!(label("educational-resource"), "Educational resource");
        assert_eq!(path_segment("a b/é"), "a%20b%2F%C3%A9");
        let mut h = HeaderMap::new();
        h.insert("host", HeaderValue::from_static("example.org:8080"));
        assert_eq!(base_url(&h), "http://example.org:8080");
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(base_url(&h), "https://example.org:8080");
        h.insert("host", HeaderValue::from_static("evil\"<x>"));
        h.remove("x-forwarded-proto");
        assert_eq!(base_url(&h), "");
    }

    #[test]
    fn pagination_has_gaps_and_bounds() {
        let (p, _) = PageQuery::parse(Some("q=x&page=10"));
        let links = pagination(&p, 200);
        let numbers: Vec<Option<usize>> = links.iter().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            vec![
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(20)
            ]
        );
        assert!(links.iter().any(|l| l.current && l.number == Some(10)));
        assert!(pagination(&p, 5).is_empty());
    }

    /// Router-level tests on a small in-memory library with a hostile title.
    mod router {
        use super::super::super::{AppState, ServerConfig, router};
        use super::*;
        use axum::body::{Body, to_bytes};
        use axum::http::Request;
        use pubsearch_core::doc::put_publication;
        use pubsearch_core::model::{
            Engine, FileStamp, FileState, PageReport, PageStatus, PageText, PubType, Publication,
        };
        use pubsearch_core::schema::{self, Fields};
        use tower::ServiceExt;

        pub const HOSTILE_TITLE: &str = "<script>alert(1)</script> & \"quotes\"";
        const HOSTILE_SUMMARY: &str = "<img src=x onerror=\"document.title='pwned'\"> summary";

        fn publication(id: &str, title: &str, summary: &str, topics: &[&str]) -> Publication {
            Publication {
                id: id.into(),
                title: title.into(),
                date: Some(time::macros::date!(2009 - 07 - 07)),
                pub_type: PubType::Report,
                topics: topics.iter().map(|t| t.to_string()).collect(),
                summary: summary.into(),
                authors: vec![],
                language: "en".into(),
            }
        }

        fn page(n: u32, text: &str) -> PageText {
            PageText {
                text: text.into(),
                report: PageReport {
                    page: n,
                    engine: Engine::PdfExtract,
                    status: PageStatus::Ok,
                    chars: text.chars().count(),
                    note: None,
                },
            }
        }

        pub fn library(cors: &[&str]) -> (tempfile::TempDir, AppState) {
            let dir = tempfile::tempdir().unwrap();
            let index_dir = dir.path().join("index");
            let index = pubsearch_core::open::open_or_create(&index_dir).unwrap();
            let fields = Fields::from_schema(&index.schema()).unwrap();
            let mut writer: tantivy::IndexWriter = index.writer(20_000_000).unwrap();
            let state = FileState {
                pdf: FileStamp {
                    size: 1,
                    mtime_ns: 0,
                    hash: "x".into(),
                },
                sidecar: None,
            };
            let pubs = [
                (
                    publication("hostile", HOSTILE_TITLE, HOSTILE_SUMMARY, &["health"]),
                    vec![
                        page(1, "Nothing to see."),
                        page(2, "Shelter <b>and</b> food for families."),
                        page(3, "More shelter here & there."),
                    ],
                ),
                (
                    publication("plain", "Housing Guide", "Advice on housing.", &["housing"]),
                    vec![page(1, "Housing and shelter advice.")],
                ),
            ];
            for (p, pages) in &pubs {
                put_publication(&writer, &fields, &format!("{}.pdf", p.id), p, pages, &state)
                    .unwrap();
            }
            let mut prepared = writer.prepare_commit().unwrap();
            prepared.set_payload(&schema::commit_payload());
            prepared.commit().unwrap();
            let mut config = ServerConfig::new(dir.path());
            config.cors_origins = cors.iter().map(|s| s.to_string()).collect();
            let app = AppState::open(&index_dir, config).unwrap();
            (dir, app)
        }

        async fn get(
            app: &AppState,
            uri: &str,
            headers: &[(&str, &str)],
        ) -> (StatusCode, HeaderMap, String) {
            let mut req = Request::get(uri);
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            let response = router(app.clone())
                .oneshot(req.body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            let body = to_bytes(response.into_body(), 4 << 20).await.unwrap();
            (status, headers, String::from_utf8(body.to_vec()).unwrap())
        }

        fn assert_html_page(headers: &HeaderMap, body: &str) {
            assert_eq!(
                headers[header::CONTENT_SECURITY_POLICY],
                CONTENT_SECURITY_POLICY
            );
            assert!(CONTENT_SECURITY_POLICY.contains("script-src 'self'"));
            assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
            assert!(
                headers[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html")
            );
            // The only script is the external one; no inline handlers or styles in any tag.
            assert_eq!(body.matches("<script").count(), 1, "{body}");
            assert!(body.contains("<script src=\"/assets/app.js?v="));
            for tag in body.split('<').skip(1).filter_map(|t| t.split('>').next()) {
                let lower = tag.to_ascii_lowercase();
                assert!(!lower.starts_with("img"), "injected element: <{tag}>");
                assert!(!lower.contains(" style="), "inline style: <{tag}>");
                let handler = lower
                    .split_whitespace()
                    .skip(1)
                    .any(|attr| attr.starts_with("on") && attr.contains('='));
                assert!(!handler, "inline handler: <{tag}>");
            }
        }

        #[tokio::test]
        async fn search_page_escapes_titles_and_summaries_and_sends_csp() {
            let (_dir, app) = library(&[]);
            let (status, headers, body) =
                get(&app, "/?q=shelter", &[("host", "lib.example")]).await;
            assert_eq!(status, StatusCode::OK);
            assert_html_page(&headers, &body);
            assert!(
                body.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quotes&#34;"),
                "{body}"
            );
            assert!(!body.contains("<script>alert"));
            assert!(body.contains("&#60;img src=x onerror="));
            // Snippets keep their <mark> and their own escaping.
            assert!(
                body.contains("<mark>Shelter</mark> &lt;b&gt;and&lt;/b&gt;"),
                "{body}"
            );
            assert!(body.contains("href=\"/files/hostile.pdf#page=2\""));
            assert!(body.contains("http://lib.example/files/hostile.pdf#page="));
            assert!(body.contains("Migrant and Refugee Communities Forum (2009)."));
            assert!(body.contains("aria-live=\"polite\""));
        }

        #[tokio::test]
        async fn publication_page_escapes_and_lists_matching_pages() {
            let (_dir, app) = library(&[]);
            let (status, headers, body) = get(&app, "/publications/hostile?q=shelter", &[]).await;
            assert_eq!(status, StatusCode::OK);
            assert_html_page(&headers, &body);
            assert!(
                body.contains("<h1 class=\"pub-title\">&#60;script&#62;alert(1)&#60;/script&#62;"),
                "{body}"
            );
            assert!(body.contains("2 pages match"), "{body}");
            let first = body.find("/files/hostile.pdf#page=2").unwrap();
            let second = body.find("/files/hostile.pdf#page=3").unwrap();
            assert!(first < second, "pages in page order");
        }

        #[tokio::test]
        async fn bad_input_renders_a_friendly_page() {
            let (_dir, app) = library(&[]);
            let (status, headers, body) = get(&app, "/?q=%28shelter&mode=strict", &[]).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert_html_page(&headers, &body);
            assert!(body.contains("could not be understood"), "{body}");
            assert!(body.contains("role=\"alert\""));
            // The same query in website mode just works.
            let (status, _, _) = get(&app, "/?q=%28shelter", &[]).await;
            assert_eq!(status, StatusCode::OK);
            let (status, _, body) = get(&app, "/?type=pamphlet&year_from=x", &[]).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert!(
                body.contains("pamphlet") && body.contains("not a year"),
                "{body}"
            );
            let (status, headers, body) = get(&app, "/publications/nope", &[]).await;
            assert_eq!(status, StatusCode::NOT_FOUND);
            assert_html_page(&headers, &body);
        }

        #[tokio::test]
        async fn suggest_answers_json_and_bounds_its_input() {
            let (_dir, app) = library(&[]);
            let (status, _, body) = get(&app, "/api/suggest?q=helth", &[]).await;
            assert_eq!(status, StatusCode::OK);
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["q"], "helth");
            assert!(
                v["suggestions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s["kind"] == "topic" && s["text"] == "health"),
                "{body}"
            );
            let (status, _, body) = get(&app, "/api/suggest?q=scri", &[]).await;
            assert_eq!(status, StatusCode::OK);
            assert!(body.contains("\"id\":\"hostile\""), "{body}");
            for junk in ["%25%25%25", "", "%FF%FE", "a"] {
                let (status, _, body) = get(&app, &format!("/api/suggest?q={junk}"), &[]).await;
                assert_eq!(status, StatusCode::OK, "{junk}");
                assert!(body.contains("\"suggestions\":[]"), "{junk}: {body}");
            }
            let long = "a".repeat(201);
            let (status, _, body) = get(&app, &format!("/api/suggest?q={long}"), &[]).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert!(body.contains("invalid_parameter"));
        }

        #[tokio::test]
        async fn assets_and_widget_are_served_with_their_types() {
            let (_dir, app) = library(&[]);
            for (uri, kind) in [
                ("/assets/app.css", "text/css"),
                ("/assets/app.js", "text/javascript"),
                ("/widget.js", "text/javascript"),
                ("/widget.css", "text/css"),
            ] {
                let (status, headers, body) = get(&app, uri, &[]).await;
                assert_eq!(status, StatusCode::OK, "{uri}");
                assert!(
                    headers[header::CONTENT_TYPE]
                        .to_str()
                        .unwrap()
                        .starts_with(kind)
                );
                assert!(!body.is_empty());
            }
            let (status, _, _) = get(&app, "/assets/../Cargo.toml", &[]).await;
            assert_eq!(status, StatusCode::NOT_FOUND);
            let (_, _, js) = get(&app, "/widget.js", &[]).await;
            assert!(
                !js.contains("innerHTML"),
                "the widget builds nodes, never HTML"
            );
        }

        #[tokio::test]
        async fn cors_answers_only_listed_origins() {
            let (_dir, app) = library(&["http://allowed.example"]);
            let acao = "access-control-allow-origin";
            let (status, headers, _) = get(
                &app,
                "/api/search?q=shelter",
                &[("origin", "http://allowed.example")],
            )
            .await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(headers[acao], "http://allowed.example");
            for uri in ["/api/search?q=shelter", "/api/suggest?q=shel"] {
                let (status, headers, _) =
                    get(&app, uri, &[("origin", "http://other.example")]).await;
                assert_eq!(status, StatusCode::OK);
                assert!(headers.get(acao).is_none(), "{uri}: {headers:?}");
            }
        }
    }
}
