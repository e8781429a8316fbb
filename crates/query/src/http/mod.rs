//! The HTTP API, on axum. Handlers read the query string ([`params`]), then run
//! [`crate::search`] on the blocking pool with a deadline, searches holding one of a bounded
//! number of slots ([`blocking`]); they turn its answers into JSON ([`json`]: links, HTML
//! snippets) or HTML pages ([`page`]). Every error is JSON `{"code", "message"}` from the one
//! table in [`error`], also those of the router and the layers ([`uniform_errors`]); the
//! pages for people answer theirs with an HTML page.
//!
//! | route | what |
//! |---|---|
//! | `GET /api/search` | faceted search, see [`params`] |
//! | `GET /api/publications/{id}` | metadata and per-page extraction status |
//! | `GET /api/publications/{id}/search?q=` | every matching page of one publication |
//! | `GET /api/publications/{id}/similar` | the publications most like one ([`crate::search`]) |
//! | `GET /api/publications/{id}/cite?format=` | a citation: CSL-JSON, BibTeX or RIS ([`cite`]) |
//! | `GET /api/search/export?<search>&format=` | the citations of a search's results |
//! | `GET /feed.atom?<search>` | a search's newest publications as an Atom feed ([`feed`]) |
//! | `GET /files/{id}.pdf` | the PDF, inline, with range requests |
//! | `GET /api/stats` | counts, failed files, commit being served |
//! | `GET /healthz` | liveness |
//! | `POST /api/admin/reload` | reload the index now (needs the admin token) |
//! | `GET /` | the search page (HTML, works without JavaScript) |
//! | `GET /publications/{id}?q=` | one publication and its matching pages (HTML) |
//! | `GET /api/suggest?q=` | autocomplete |
//! | `GET /widget.js`, `/widget.css` | the embeddable search box |
//! | `GET /assets/{file}` | the page's script and style sheet |

pub mod blocking;
pub mod cite;
pub mod error;
pub mod extract;
pub mod feed;
pub mod files;
pub mod html;
pub mod json;
pub mod links;
pub mod page;
pub mod params;
pub mod routes;
pub mod state;
pub mod suggest;
pub mod uniform_errors;
pub mod widget;

#[cfg(test)]
mod tests;

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use state::{AppState, ServerConfig, default_concurrent_searches};

/// How long a client may take to send a request's headers, by default
/// ([`ServerConfig::header_read_timeout`]).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long in-flight requests may run on after a shutdown signal.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Largest request body accepted (the API takes no uploads).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Builds the router.
pub fn router(state: AppState) -> Router {
    let cors = cors_layer(&state.config().cors_origins);
    let timeout = state.config().search_timeout + Duration::from_secs(5);
    Router::new()
        .route("/api/search", get(routes::search))
        .route("/api/publications/{id}", get(routes::publication))
        .route(
            "/api/publications/{id}/search",
            get(routes::publication_search),
        )
        .route("/api/publications/{id}/similar", get(routes::similar))
        .route("/feed.atom", get(feed::feed))
        .route("/api/publications/{id}/cite", get(cite::publication))
        .route("/api/search/export", get(cite::export))
        .route("/api/stats", get(routes::stats))
        .route("/api/admin/reload", post(routes::admin_reload))
        .route("/healthz", get(routes::healthz))
        .route("/files/{file}", get(files::file))
        .route("/", get(page::search_page))
        .route("/publications/{id}", get(page::publication_page))
        .route("/assets/{file}", get(page::asset))
        .route("/api/suggest", suggest::route())
        .route("/widget.js", get(widget::script))
        .route("/widget.css", get(widget::stylesheet))
        // Unknown paths and wrong methods get the router's bare 404/405 (with `Allow`), which
        // `uniform_errors` turns into the table's answer, JSON or HTML by route.
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(middleware::from_fn_with_state(
            timeout.as_millis(),
            uniform_errors::uniform_errors,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

fn cors_layer(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim()).ok())
        .collect();
    CorsLayer::new()
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([header::CONTENT_TYPE])
        .allow_origin(AllowOrigin::list(allowed))
}

/// Serves `state` on `listener` until `shutdown` completes.
///
/// Connections are served by hyper (HTTP/1.1) with a header-read timeout
/// ([`ServerConfig::header_read_timeout`]), so a client that sends half a request is cut off. On shutdown the listener closes at once and
/// in-flight requests get [`SHUTDOWN_GRACE`] to finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper::server::conn::http1;
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;

    let header_read_timeout = state.config().header_read_timeout;
    let app = router(state);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors and the like: keep serving the others.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let service = TowerToHyperService::new(app.clone());
                let connection = builder.serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    if let Err(e) = connection.await {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!(
                "connections still open {} s after shutdown began: closing them",
                SHUTDOWN_GRACE.as_secs()
            );
        }
    }
    Ok(())
}
