//! API errors: a status and a JSON body `{"code", "message"}` with a stable `code`.

use axum::Json;
use axum::http::StatusCode;
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
    /// The search ran past its deadline.
    #[error("the search took longer than {0} ms; narrow it down")]
    Timeout(u128),
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

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            ApiError::InvalidQuery(_) => (StatusCode::BAD_REQUEST, "invalid_query"),
            ApiError::InvalidParameter(_) => (StatusCode::BAD_REQUEST, "invalid_parameter"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Timeout(_) => (StatusCode::SERVICE_UNAVAILABLE, "timeout"),
            ApiError::Internal(detail) => {
                tracing::error!(error = %detail, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        };
        let mut response = (
            status,
            Json(json!({"code": code, "message": self.to_string()})),
        )
            .into_response();
        if matches!(self, ApiError::Unauthorized) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
