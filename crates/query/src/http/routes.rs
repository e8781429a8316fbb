//! JSON handlers. Search work runs on the blocking pool under the configured deadline.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};

use super::error::ApiError;
use super::params;
use super::state::AppState;
use crate::search::{PublicationDetail, PublicationSearch, SearchResponse, Stats};

/// Runs `f` on the blocking pool with the search deadline.
pub async fn blocking<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(AppState) -> Result<T, ApiError> + Send + 'static,
{
    let deadline = state.config().search_timeout;
    let st = state.clone();
    match tokio::time::timeout(deadline, tokio::task::spawn_blocking(move || f(st))).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(ApiError::Internal(format!("search task failed: {join}"))),
        Err(_) => Err(ApiError::Timeout(deadline.as_millis())),
    }
}

/// `GET /api/search`.
pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchResponse>, ApiError> {
    let req = params::search_request(raw.as_deref())?;
    req.validate()?;
    let response = blocking(&state, move |st| Ok(st.service().search(&req)?)).await?;
    Ok(Json(response))
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
    Path(id): Path<String>,
) -> Result<Json<PublicationDetail>, ApiError> {
    let shown = id.clone();
    blocking(&state, move |st| {
        st.service().publication(&id).map_err(ApiError::from)
    })
    .await?
    .map(Json)
    .ok_or_else(|| no_such_publication(&shown))
}

/// `GET /api/publications/{id}/search?q=&mode=`.
pub async fn publication_search(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<PublicationSearch>, ApiError> {
    let mut q = String::new();
    let mut mode = crate::parse::Mode::Strict;
    for (k, v) in params::pairs(raw.as_deref()) {
        match k.as_str() {
            "q" => q = v,
            "mode" => mode = params::mode(&v)?,
            _ => {}
        }
    }
    let shown = id.clone();
    blocking(&state, move |st| {
        st.service()
            .search_publication(&id, &q, mode)
            .map_err(ApiError::from)
    })
    .await?
    .map(Json)
    .ok_or_else(|| no_such_publication(&shown))
}

/// `GET /api/stats`.
pub async fn stats(State(state): State<AppState>) -> Result<Json<Stats>, ApiError> {
    Ok(Json(
        blocking(&state, |st| Ok(st.service().stats()?)).await?,
    ))
}

/// `GET /healthz`.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Checks the `Authorization: Bearer <token>` header against the configured admin token.
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
    // Compare without stopping at the first differing byte.
    let same = given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
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
    let stats = blocking(&state, |st| {
        st.service().reload()?;
        Ok(st.service().stats()?)
    })
    .await?;
    Ok(Json(
        json!({"reloaded": true, "commit_opstamp": stats.commit_opstamp, "publications": stats.publications}),
    ))
}

/// Any other path.
pub async fn not_found() -> ApiError {
    ApiError::NotFound("no such route".into())
}
