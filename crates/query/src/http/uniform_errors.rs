//! Every error answer comes from the error table, even the ones no handler wrote.
//!
//! The body limit's 413, the timeout layer's 503 and whatever else a layer or the router
//! answers with a bare or plain-text body is replaced by the [`ApiError`] for its status: the
//! JSON body `{"code", "message"}` on the API, an HTML error page on the pages for people
//! (`/`, `/publications/...`). The original headers (`Allow`, `Content-Range`, CORS) stay.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::{MAX_BODY_BYTES, page};

/// Whether `path` is one of the HTML pages for people.
pub fn is_html_route(path: &str) -> bool {
    path == "/" || path.starts_with("/publications/")
}

fn is_ours(content_type: Option<&HeaderValue>) -> bool {
    content_type
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"))
}

/// The error a bare answer with `status` and `allow` (its `Allow` header) stands for.
fn error_for(status: StatusCode, method: &str, allow: Option<&str>, timeout_ms: u128) -> ApiError {
    match status {
        StatusCode::NOT_FOUND => ApiError::NotFound("no such route".into()),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed {
            method: method.to_string(),
            allowed: allow
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .unwrap_or("other methods")
                .to_string(),
        },
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(MAX_BODY_BYTES),
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => {
            ApiError::Timeout(timeout_ms)
        }
        other => ApiError::Rejected(other),
    }
}

/// The middleware; its state is the request deadline of the timeout layer, in ms.
pub async fn uniform_errors(
    State(timeout_ms): State<u128>,
    request: Request,
    next: Next,
) -> Response {
    let html = is_html_route(request.uri().path());
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || is_ours(response.headers().get(header::CONTENT_TYPE))
    {
        return response;
    }
    let allow = response
        .headers()
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok());
    let error = error_for(status, method.as_str(), allow, timeout_ms);
    let mut fresh = if html {
        page::error_response(&error)
    } else {
        error.into_response()
    };
    let (parts, _) = response.into_parts();
    let own: Vec<HeaderName> = fresh.headers().keys().cloned().collect();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH && !own.contains(name) {
            fresh.headers_mut().append(name.clone(), value.clone());
        }
    }
    fresh
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_statuses_map_to_the_table() {
        let code = |s: StatusCode| error_for(s, "POST", None, 10).status_and_code();
        assert_eq!(
            code(StatusCode::METHOD_NOT_ALLOWED),
            (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
        );
        assert_eq!(
            code(StatusCode::PAYLOAD_TOO_LARGE),
            (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
        );
        assert_eq!(
            code(StatusCode::SERVICE_UNAVAILABLE),
            (StatusCode::SERVICE_UNAVAILABLE, "timeout")
        );
        assert_eq!(
            code(StatusCode::RANGE_NOT_SATISFIABLE),
            (StatusCode::RANGE_NOT_SATISFIABLE, "rejected")
        );
        let e = error_for(StatusCode::METHOD_NOT_ALLOWED, "POST", Some("GET,HEAD"), 10);
        assert_eq!(
            e.to_string(),
            "this address does not answer POST requests; it answers GET,HEAD"
        );
        assert!(is_html_route("/") && is_html_route("/publications/x"));
        assert!(!is_html_route("/api/search") && !is_html_route("/files/x.pdf"));
    }
}
