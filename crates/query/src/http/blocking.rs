//! Running index work on the blocking pool under the search deadline, and searches also
//! under the bound on how many run at once.
//!
//! A search first takes one of the [`AppState::search_slots`], waiting at most
//! [`ServerConfig::busy_wait`](super::ServerConfig::busy_wait); with none free the answer is
//! [`ApiError::Busy`]. The slot moves into the blocking task, so a search that runs past its
//! deadline (the client already has its 503 `timeout`) holds it until it really ends: slow
//! searches cannot pile up threads without bound.

use tokio::sync::OwnedSemaphorePermit;

use super::error::ApiError;
use super::state::AppState;

/// Runs `f` on the blocking pool with the search deadline.
pub async fn blocking<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(AppState) -> Result<T, ApiError> + Send + 'static,
{
    run(state, None, f).await
}

/// Runs the search `f` like [`blocking`], holding a search slot while it runs.
pub async fn search<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(AppState) -> Result<T, ApiError> + Send + 'static,
{
    let slot = take_slot(state).await?;
    run(state, Some(slot), f).await
}

/// One search slot, or [`ApiError::Busy`] when none frees up within the wait.
async fn take_slot(state: &AppState) -> Result<OwnedSemaphorePermit, ApiError> {
    let slots = state.search_slots().clone();
    match tokio::time::timeout(state.config().busy_wait, slots.acquire_owned()).await {
        Ok(Ok(slot)) => Ok(slot),
        Ok(Err(closed)) => Err(ApiError::Internal(format!("search slots: {closed}"))),
        Err(_) => Err(ApiError::Busy),
    }
}

async fn run<T, F>(
    state: &AppState,
    slot: Option<OwnedSemaphorePermit>,
    f: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(AppState) -> Result<T, ApiError> + Send + 'static,
{
    let deadline = state.config().search_timeout;
    let st = state.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        f(st)
    });
    match tokio::time::timeout(deadline, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(ApiError::Internal(format!("search task failed: {join}"))),
        Err(_) => Err(ApiError::Timeout(deadline.as_millis())),
    }
}
