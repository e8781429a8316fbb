//! JSON handlers. Index work runs on the blocking pool under the configured deadline;
//! searches also take a search slot first (see [`blocking`]).

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};

use super::blocking;
use super::error::ApiError;
use super::extract::PathParam;
use super::json::{PublicationBody, PublicationSearchBody, SearchBody, SimilarBody};
use super::params::api;
use super::state::AppState;
use crate::search::Stats;

/// `GET /api/search`.
pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchBody>, ApiError> {
    let req = api::search_request(raw.as_deref())?;
    req.validate()?;
    let response = blocking::search(&state, move |st| Ok(st.service().search(&req)?)).await?;
    Ok(Json(SearchBody::from(response)))
}

fn no_such_publication(id: &str) -> ApiError {
    ApiError::NotFound(format!(
        "no publication with id `{}`",
        id.chars().take(80).collect::<String>()
    ))
}

/// `GET /api/publications/{id}`.
pub async fn publication(
    State(state): State<AppState>,
    PathParam(id): PathParam,
) -> Result<Json<PublicationBody>, ApiError> {
    let shown = id.clone();
    blocking::blocking(&state, move |st| {
        st.service().publication(&id).map_err(ApiError::from)
    })
    .await?
    .map(|d| Json(PublicationBody::from(d)))
    .ok_or_else(|| no_such_publication(&shown))
}

/// `GET /api/publications/{id}/search?q=&mode=`.
pub async fn publication_search(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    RawQuery(raw): RawQuery,
) -> Result<Json<PublicationSearchBody>, ApiError> {
    let (q, mode, in_page_order) = api::publication_search(raw.as_deref())?;
    let shown = id.clone();
    blocking::search(&state, move |st| {
        st.service()
            .search_publication(&id, &q, mode, in_page_order)
            .map_err(ApiError::from)
    })
    .await?
    .map(|s| Json(PublicationSearchBody::from(s)))
    .ok_or_else(|| no_such_publication(&shown))
}

/// `GET /api/publications/{id}/similar?limit=`: the publications most like this one.
pub async fn similar(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    RawQuery(raw): RawQuery,
) -> Result<Json<SimilarBody>, ApiError> {
    let limit = api::similar_limit(raw.as_deref())?;
    let shown = id.clone();
    let key = id.clone();
    blocking::search(&state, move |st| {
        st.service().similar(&key, limit).map_err(ApiError::from)
    })
    .await?
    .map(|hits| Json(SimilarBody::new(id, hits)))
    .ok_or_else(|| no_such_publication(&shown))
}

/// `GET /api/stats`.
pub async fn stats(State(state): State<AppState>) -> Result<Json<Stats>, ApiError> {
    Ok(Json(
        blocking::blocking(&state, |st| Ok(st.service().stats()?)).await?,
    ))
}

/// `GET /healthz`.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Checks the `Authorization: Bearer <token>` header against the configured admin token, in
/// constant time.
pub fn require_admin(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = state
        .config()
        .admin_token
        .as_deref()
        .filter(|t| !t.is_empty())
    else {
        return Err(ApiError::Unauthorized);
    };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if constant_time_eq::constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::Unauthorized)
    }
}

/// `POST /api/admin/reload`: load the newest commit now.
pub async fn admin_reload(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    require_admin(&state, &headers)?;
    let stats = blocking::blocking(&state, |st| {
        st.service().reload()?;
        Ok(st.service().stats()?)
    })
    .await?;
    Ok(Json(
        json!({"reloaded": true, "commit_opstamp": stats.commit_opstamp, "publications": stats.publications}),
    ))
}
