//! Extractors whose rejections are [`ApiError`]s, so a path that cannot be read (for example
//! percent-encoding that is not UTF-8) is answered from the error table.

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use super::error::ApiError;

/// The one parameter of a route's path (`{id}`, `{file}`), percent-decoded.
#[derive(Debug)]
pub struct PathParam(pub String);

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> ApiError {
        let status = rejection.status();
        if status.is_server_error() {
            ApiError::Internal(rejection.body_text())
        } else {
            ApiError::InvalidParameter(format!(
                "the address cannot be read: {}",
                rejection.body_text()
            ))
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PathParam {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(value) = Path::<String>::from_request_parts(parts, state).await?;
        Ok(PathParam(value))
    }
}
