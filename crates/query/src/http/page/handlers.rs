//! The handlers of `GET /` and `GET /publications/{id}`.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::publication_view::{PublicationFindings, publication_template};
use super::view::search_template;
use super::{error_page, error_response, friendly, render, with_retry_after};
use crate::http::blocking;
use crate::http::error::ApiError;
use crate::http::extract::PathParam;
use crate::http::links::base_url;
use crate::http::params::page::{PageQuery, publication_page as publication_params};
use crate::http::state::AppState;
use crate::search::{PublicationDetail, PublicationSearch};

/// `GET /`: the search page.
pub async fn search_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let (mut query, mut notices) = PageQuery::parse(raw.as_deref());
    // The year inputs are bounded by the library's years, never by the results: a value they
    // show is always one they accept, so they cannot block the search box.
    let years = match blocking::blocking(&state, |st| Ok(st.service().year_range()?)).await {
        Ok(years) => years,
        Err(e) => {
            tracing::warn!(error = %e, "the library's years are unknown");
            None
        }
    };
    if let Some((first, last)) = years {
        notices.extend(query.clamp_years(first, last));
    }
    let req = query.to_request();
    let base = base_url(&headers);
    let outcome = blocking::search(&state, move |st| Ok(st.service().search(&req?)?)).await;
    match outcome {
        Ok(found) => render(
            StatusCode::OK,
            &search_template(&query, Some(found), None, notices, years, &base),
        ),
        Err(e) => {
            let (status, message) = friendly(&e, query.strict);
            if let ApiError::Internal(detail) = &e {
                tracing::error!(error = %detail, "search page failed");
            }
            with_retry_after(
                &e,
                render(
                    status,
                    &search_template(&query, None, Some(message), notices, years, &base),
                ),
            )
        }
    }
}

/// A publication and, when there was a query, its matching pages or why they could not be
/// found.
type Found = (
    Option<PublicationDetail>,
    Option<Result<PublicationSearch, ApiError>>,
    Vec<crate::search::Hit>,
);

/// `GET /publications/{id}?q=&mode=`: one publication and every page matching `q`.
pub async fn publication_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<PathParam, ApiError>,
    RawQuery(raw): RawQuery,
) -> Response {
    let id = match id {
        Ok(PathParam(id)) => id,
        Err(e) => return error_response(&e),
    };
    let (search, in_page_order) = publication_params(raw.as_deref());
    let (q, strict) = (search.q.clone(), search.strict);
    let mode = if strict {
        crate::parse::Mode::Strict
    } else {
        crate::parse::Mode::Website
    };
    let lookup = id.clone();
    let query = q.clone();
    let work = move |st: AppState| {
        let Some(detail) = st.service().publication(&lookup)? else {
            return Ok((None, None, Vec::new()));
        };
        // A list of neighbours is a help, not the page: if it fails, the page is shown without.
        let similar = match st
            .service()
            .similar(&lookup, crate::search::DEFAULT_SIMILAR)
        {
            Ok(found) => found.unwrap_or_default(),
            Err(e) => {
                tracing::warn!(error = %e, "similar publications unavailable");
                Vec::new()
            }
        };
        let pages = if query.is_empty() {
            None
        } else {
            match st
                .service()
                .search_publication(&lookup, &query, mode, in_page_order)
            {
                Ok(Some(p)) => Some(Ok(p)),
                Ok(None) => None,
                Err(e) => Some(Err(ApiError::from(e))),
            }
        };
        Ok((Some(detail), pages, similar))
    };
    // Looking a publication up is cheap; searching its pages takes a search slot.
    let found: Result<Found, ApiError> = if q.is_empty() {
        blocking::blocking(&state, work).await
    } else {
        blocking::search(&state, work).await
    };
    let (detail, pages, similar) = match found {
        Ok((Some(d), pages, similar)) => (d, pages, similar),
        Ok((None, _, _)) => {
            return error_page(
                StatusCode::NOT_FOUND,
                "Publication not found",
                "There is no publication at this address. It may have been removed from the \
                 library; try searching for it.",
            );
        }
        Err(e) => {
            let (status, message) = friendly(&e, strict);
            return with_retry_after(
                &e,
                error_page(status, "The publication could not be shown", &message),
            );
        }
    };
    let mut findings = match pages {
        None if q.is_empty() => PublicationFindings {
            similar: Vec::new(),
            error: None,
            status_line: "Type words above to find the pages that mention them.".into(),
            pages: Vec::new(),
        },
        None => PublicationFindings {
            similar: Vec::new(),
            error: None,
            status_line: "No pages match.".into(),
            pages: Vec::new(),
        },
        Some(Ok(found)) => PublicationFindings {
            similar: Vec::new(),
            error: None,
            status_line: match found.total {
                0 => format!("No pages match “{q}”."),
                1 => format!("1 page matches “{q}”."),
                n => format!("{n} pages match “{q}”."),
            },
            pages: found.pages,
        },
        Some(Err(e)) => PublicationFindings {
            similar: Vec::new(),
            error: Some(friendly(&e, strict).1),
            status_line: "No results.".into(),
            pages: Vec::new(),
        },
    };
    findings.similar = similar;
    let status = if findings.error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let base = base_url(&headers);
    render(
        status,
        &publication_template(detail, search, in_page_order, findings, &base),
    )
}
