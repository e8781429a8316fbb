//! API errors: a status and a JSON body `{"code", "message"}` with a stable `code`.
//!
//! The one table of what the API answers when something is wrong:
//!
//! | variant | status | `code` |
//! |---|---|---|
//! | [`ApiError::InvalidQuery`] | 400 | `invalid_query` |
//! | [`ApiError::InvalidParameter`] | 400 | `invalid_parameter` |
//! | [`ApiError::Unauthorized`] | 401 | `unauthorized` (with `WWW-Authenticate: Bearer`) |
//! | [`ApiError::NotFound`] | 404 | `not_found` |
//! | [`ApiError::MethodNotAllowed`] | 405 | `method_not_allowed` |
//! | [`ApiError::PayloadTooLarge`] | 413 | `payload_too_large` |
//! | [`ApiError::Rejected`] | its own 4xx | `rejected` |
//! | [`ApiError::Internal`] | 500 | `internal` (details only in the log) |
//! | [`ApiError::Timeout`] | 503 | `timeout` |
//! | [`ApiError::Busy`] | 503 | `busy` (with `Retry-After: 1`) |

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::search::SearchError;

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The query does not parse.
    #[error("{0}")]
    InvalidQuery(String),
    /// A parameter is wrong.
    #[error("{0}")]
    InvalidParameter(String),
    /// No such thing.
    #[error("{0}")]
    NotFound(String),
    /// Missing or wrong admin token.
    #[error("a valid admin token is required (Authorization: Bearer <token>)")]
    Unauthorized,
    /// The route does not answer this method; it answers those of its `Allow` header.
    #[error("this address does not answer {method} requests; it answers {allowed}")]
    MethodNotAllowed {
        /// The method asked for.
        method: String,
        /// The methods it answers, as `Allow` lists them (`GET, HEAD`).
        allowed: String,
    },
    /// The request body is over the limit, in bytes.
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// Refused with another client-error status.
    #[error("the request was refused: {0}")]
    Rejected(StatusCode),
    /// The search ran past its deadline.
    #[error("the search took longer than {0} ms; narrow it down")]
    Timeout(u128),
    /// Every search slot is taken; try again shortly.
    #[error("the server is busy with other searches; try again in a moment")]
    Busy,
    /// Something failed on our side; details go to the log only.
    #[error("internal error")]
    Internal(String),
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::InvalidQuery(m) => ApiError::InvalidQuery(m),
            SearchError::InvalidParameter(m) => ApiError::InvalidParameter(m),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl ApiError {
    /// The status and the stable `code` of this error.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::InvalidQuery(_) => (StatusCode::BAD_REQUEST, "invalid_query"),
            ApiError::InvalidParameter(_) => (StatusCode::BAD_REQUEST, "invalid_parameter"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::MethodNotAllowed { .. } => {
                (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
            }
            ApiError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::Rejected(status) if status.is_client_error() => (*status, "rejected"),
            ApiError::Rejected(_) | ApiError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
            ApiError::Timeout(_) => (StatusCode::SERVICE_UNAVAILABLE, "timeout"),
            ApiError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
        }
    }

    /// Headers this error's answer carries besides the body's type.
    pub fn extra_headers(&self) -> Option<(header::HeaderName, HeaderValue)> {
        match self {
            ApiError::Unauthorized => {
                Some((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")))
            }
            ApiError::Busy => Some((header::RETRY_AFTER, HeaderValue::from_static("1"))),
            _ => None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        match &self {
            ApiError::Internal(detail) => tracing::error!(error = %detail, "request failed"),
            ApiError::Rejected(s) if !s.is_client_error() => {
                tracing::error!(status = %s, "request failed")
            }
            _ => {}
        }
        let mut response = (
            status,
            Json(json!({"code": code, "message": self.to_string()})),
        )
            .into_response();
        if let Some((name, value)) = self.extra_headers() {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_says_when_to_come_back() {
        let r = ApiError::Busy.into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()[header::RETRY_AFTER], "1");
        let r = ApiError::Rejected(StatusCode::RANGE_NOT_SATISFIABLE).into_response();
        assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
        let r = ApiError::Rejected(StatusCode::BAD_GATEWAY).into_response();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
