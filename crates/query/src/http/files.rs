//! `GET /files/{id}.pdf`: the PDF of a publication, by id only.
//!
//! A path never comes from the request: the id is looked up in the index, which gives a path
//! relative to the corpus; that path is resolved (following symlinks) and served only if it
//! is still inside the corpus. Range requests and `HEAD` work.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::blocking::blocking;
use super::error::ApiError;
use super::extract::PathParam;
use super::state::AppState;

/// Handler for `/files/{file}`.
pub async fn file(
    State(state): State<AppState>,
    PathParam(file): PathParam,
    req: Request<Body>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::NotFound("no such file".into());
    let id = file.strip_suffix(".pdf").ok_or_else(not_found)?.to_string();
    if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
        return Err(not_found());
    }
    // The lookup, the resolution and the checks are one trip to the blocking pool.
    let lookup_id = id.clone();
    let resolved = blocking(&state, move |st| {
        let Some(rel) = st.service().file_path(&lookup_id)? else {
            return Ok(None);
        };
        let Ok(resolved) = st.corpus().join(&rel).canonicalize() else {
            return Ok(None);
        };
        if !resolved.starts_with(st.corpus()) || !resolved.is_file() {
            tracing::warn!(id = %lookup_id, "refused to serve a file outside the corpus");
            return Ok(None);
        }
        Ok(Some(resolved))
    })
    .await?
    .ok_or_else(not_found)?;
    let mut response = ServeFile::new(resolved)
        .oneshot(req)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{id}.pdf\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
