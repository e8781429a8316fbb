//! Citation downloads: one publication (`GET /api/publications/{id}/cite?format=&page=`) or a
//! whole result set (`GET /api/search/export?<the search's parameters>&format=`), as CSL-JSON,
//! BibTeX or RIS ([`crate::cite`]), with the format's media type and a download name.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::blocking;
use super::error::ApiError;
use super::extract::PathParam;
use super::links::{self, base_url};
use super::params::api;
use super::params::page::PageQuery;
use super::state::AppState;
use crate::cite::{self, Cited, Format};
use crate::search::{MAX_PER_PAGE, SearchRequest};

/// Most publications one export holds: the first of the search's results, in its order.
pub const MAX_EXPORTED: usize = 500;

/// The export link of a search page's state, without its format (the link ends `format=`):
/// every filter and the order, not the paging; the mode always written, since the API's
/// default (strict) is not the page's (website).
pub fn export_href(query: &PageQuery) -> String {
    let mut q = query.clone();
    q.page = 1;
    q.per_page = super::params::page::DEFAULT_PER_PAGE;
    q.sort = Some(q.effective_sort());
    let mode = if q.strict { "" } else { "mode=website&" };
    format!("/api/search/export?{mode}{}&format=", q.query_string())
}

/// `format` and `page` from the query string; the format defaults to CSL-JSON.
fn format_and_page(raw: Option<&str>) -> Result<(Format, Option<u64>), ApiError> {
    let mut format = Format::CslJson;
    let mut page = None;
    for (key, value) in super::params::pairs(raw) {
        match key.as_str() {
            "format" if !value.is_empty() => {
                format = value.parse().map_err(ApiError::InvalidParameter)?
            }
            "page" if !value.is_empty() => {
                page = Some(
                    value
                        .trim()
                        .parse::<u64>()
                        .ok()
                        .filter(|n| *n >= 1)
                        .ok_or_else(|| {
                            ApiError::InvalidParameter("page must be a page number, from 1".into())
                        })?,
                )
            }
            _ => {}
        }
    }
    Ok((format, page))
}

/// The document of `items` in `format`, as a download.
fn download(format: Format, items: &[Cited<'_>]) -> Response {
    let body = cite::render(format, items);
    let mut response = body.into_response();
    let headers = response.headers_mut();
    let media = match format {
        Format::CslJson => format.media_type().to_string(),
        _ => format!("{}; charset=utf-8", format.media_type()),
    };
    if let Ok(v) = HeaderValue::from_str(&media) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let name = cite::file_name(format, items);
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// What citing `publication` needs: its absolute links on `base`, its page count when known,
/// and the pinpoint `page` if any. The one place a citation's links are made.
pub fn cited<'a>(
    base: &str,
    publication: &'a pubsearch_core::model::Publication,
    page_count: Option<u64>,
    page: Option<u64>,
) -> Cited<'a> {
    Cited {
        pdf_url: format!("{base}{}", links::file_url(&publication.id)),
        landing_url: format!("{base}{}", links::publication_href(&publication.id, "")),
        publication,
        page_count,
        page,
    }
}

/// `GET /api/publications/{id}/cite?format=&page=`.
pub async fn publication(
    State(state): State<AppState>,
    headers: HeaderMap,
    PathParam(id): PathParam,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (format, page) = format_and_page(raw.as_deref())?;
    let shown: String = id.chars().take(80).collect();
    let detail = blocking::blocking(&state, move |st| {
        st.service().publication(&id).map_err(ApiError::from)
    })
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no publication with id `{shown}`")))?;
    if let Some(p) = page
        && p > detail.page_count
    {
        return Err(ApiError::InvalidParameter(format!(
            "page {p} is past the end: the publication has {} pages",
            detail.page_count
        )));
    }
    let base = base_url(&headers);
    let item = cited(&base, &detail.publication, Some(detail.page_count), page);
    Ok(download(format, &[item]))
}

/// `GET /api/search/export?<search>&format=`: the first [`MAX_EXPORTED`] results of the
/// search (read as `GET /api/search` reads it; `page` and `per_page` are ignored).
pub async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    // `page` means the result page in a search: an export takes every result, so paging goes.
    let raw = strip_paging(raw.as_deref().unwrap_or_default());
    let (format, _) = format_and_page(Some(&raw))?;
    let mut req: SearchRequest = api::search_request(Some(&raw))?;
    req.per_page = MAX_PER_PAGE;
    req.validate()?;
    let found = blocking::search(&state, move |st| {
        let mut hits = Vec::new();
        for page in 1..=MAX_EXPORTED.div_ceil(MAX_PER_PAGE) {
            req.page = page;
            let r = st.service().search(&req)?;
            let done = r.hits.len() < MAX_PER_PAGE;
            hits.extend(r.hits.into_iter().map(|h| h.publication));
            if done {
                break;
            }
        }
        Ok(hits)
    })
    .await?;
    let base = base_url(&headers);
    let items: Vec<Cited> = found
        .iter()
        .take(MAX_EXPORTED)
        .map(|p| cited(&base, p, None, None))
        .collect();
    Ok(download(format, &items))
}

/// The query string without `page` and `per_page`.
fn strip_paging(raw: &str) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in super::params::pairs(Some(raw)) {
        if k != "page" && k != "per_page" {
            s.append_pair(&k, &v);
        }
    }
    s.finish()
}
