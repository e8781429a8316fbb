//! `GET /api/suggest?q=&limit=`: autocomplete, see [`crate::suggest`] for the answer's shape.
//!
//! Always 200 with a (possibly empty) list for any `q` up to
//! [`MAX_QUERY_CHARS`](crate::suggest::MAX_QUERY_CHARS) characters; a longer `q` is a 400
//! `invalid_parameter`. `limit` is 1–20 (default 8); anything else falls back to the default
//! (see [`params::api::suggest`]). Suggestions read an in-memory dictionary, not the index,
//! so they take no search slot.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use axum::{Extension, Json};

use super::blocking::blocking;
use super::error::ApiError;
use super::params;
use super::state::AppState;
use crate::suggest::Suggester;

/// The route, with its own dictionary cache.
pub fn route() -> MethodRouter<AppState> {
    get(suggest).layer(Extension(Arc::new(Suggester::new())))
}

/// The handler.
pub async fn suggest(
    State(state): State<AppState>,
    Extension(suggester): Extension<Arc<Suggester>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (q, limit) = params::api::suggest(raw.as_deref())?;
    let answer = blocking(&state, move |st| {
        let searcher = st.service().searcher();
        suggester
            .suggest(&searcher, st.service().fields(), &q, limit)
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await?;
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=60")],
        Json(answer),
    )
        .into_response())
}
