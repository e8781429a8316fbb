//! `GET /api/suggest?q=&limit=`: autocomplete, see [`crate::suggest`] for the answer's shape.
//!
//! Always 200 with a (possibly empty) list for any `q` up to
//! [`MAX_QUERY_CHARS`] characters; a longer `q` is a 400
//! `invalid_parameter`. `limit` is 1–20 (default 8); anything else falls back to the default.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use axum::{Extension, Json};

use super::error::ApiError;
use super::params;
use super::routes::blocking;
use super::state::AppState;
use crate::suggest::{DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_CHARS, Suggester};

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
    let mut q = String::new();
    let mut limit = DEFAULT_LIMIT;
    for (k, v) in params::pairs(raw.as_deref()) {
        match k.as_str() {
            "q" => q = v,
            "limit" => {
                limit = v
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .unwrap_or(DEFAULT_LIMIT)
            }
            _ => {}
        }
    }
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::InvalidParameter(format!(
            "q is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
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
