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
//! only markup passed through is the search snippets, which [`crate::http::html`] escapes
//! and marks up with `<mark>` alone. Every HTML answer carries [`CONTENT_SECURITY_POLICY`],
//! which forbids inline script and style. A query that does not parse, or a bad parameter,
//! gives the page back with a message (status 400), never a bare error; any other error is
//! an HTML error page ([`error_response`]).
//!
//! | module | what |
//! |---|---|
//! | [`handlers`] | the two pages' handlers |
//! | [`view`] | view models and templates: the search page |
//! | [`publication_view`] | the publication page's view model |
//! | [`format`](mod@format) | dates, labels, counts |
//! | [`assets`] | the stylesheet and script |

pub mod assets;
pub mod format;
pub mod handlers;
pub mod publication_view;
pub mod view;

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub use assets::asset;
pub use handlers::{publication_page, search_page};

use super::error::ApiError;
pub use super::params::page::{DEFAULT_PER_PAGE, PageQuery};
use view::ErrorTemplate;

/// The Content-Security-Policy sent with every HTML page: no inline script or style, nothing
/// from other origins, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

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

fn error_page(status: StatusCode, heading: &str, message: &str) -> Response {
    render(status, &ErrorTemplate::new(heading, message))
}

/// What went wrong, for people, and the status to answer with.
fn friendly(e: &ApiError, strict: bool) -> (StatusCode, String) {
    let (status, _) = e.status_and_code();
    let message = match e {
        ApiError::InvalidQuery(m) if strict => format!(
            "This search could not be understood: {m}. Check the quotes and brackets, \
             or untick “Exact search” to search more loosely."
        ),
        ApiError::InvalidQuery(m) => format!("This search could not be understood: {m}."),
        ApiError::InvalidParameter(m) => format!("This search cannot be run: {m}."),
        ApiError::Timeout(_) => {
            "The search took too long. Please try fewer or more specific words.".into()
        }
        ApiError::Busy => {
            "The library is busy with other searches. Please try again in a moment.".into()
        }
        ApiError::NotFound(m) => m.clone(),
        ApiError::MethodNotAllowed { .. }
        | ApiError::PayloadTooLarge(_)
        | ApiError::Rejected(_)
            if status.is_client_error() =>
        {
            "This address cannot answer that request. Try searching the library instead.".into()
        }
        _ => "Something went wrong on our side. Please try again in a moment.".into(),
    };
    let status = match e {
        ApiError::Unauthorized => StatusCode::INTERNAL_SERVER_ERROR,
        _ => status,
    };
    (status, message)
}

/// `e` as an HTML error page for people, with the status of the error table (and its
/// `Retry-After` when busy).
pub fn error_response(e: &ApiError) -> Response {
    let (status, message) = friendly(e, false);
    let heading = match status {
        StatusCode::NOT_FOUND => "Page not found",
        StatusCode::SERVICE_UNAVAILABLE => "Please try again",
        s if s.is_client_error() => "This request cannot be answered",
        _ => "Something went wrong",
    };
    with_retry_after(e, error_page(status, heading, &message))
}

/// Adds `Retry-After` when `e` is [`ApiError::Busy`].
fn with_retry_after(e: &ApiError, mut response: Response) -> Response {
    if matches!(e, ApiError::Busy)
        && let Some((name, value)) = e.extra_headers()
    {
        response.headers_mut().insert(name, value);
    }
    response
}
