//! The embeddable search widget: `GET /widget.js` and `GET /widget.css`.
//!
//! Another website gets a search-as-you-type box with a results dropdown from one element
//! and one script tag:
//!
//! ```html
//! <div id="library-search"></div>
//! <script src="https://search.example.org/widget.js" data-target="#library-search" async></script>
//! ```
//!
//! The script finds its own `src` and calls the API at that origin (and path prefix), so the
//! embedding site needs no configuration beyond the tag; its origin must be listed in the
//! server's CORS origins (`PUBSEARCH_CORS_ORIGINS`), or the browser blocks the answers.
//! Optional attributes: `data-placeholder`, `data-label`, `data-limit` (1–10 results, default
//! 5), `data-mode` (`website` or `strict`), `data-language` (language codes, comma-separated:
//! only publications in those languages), `data-css="false"` to skip loading `widget.css`.
//! The widget builds its DOM with `textContent` and never `innerHTML`; the snippets'
//! `<mark>` tags are turned into elements, everything else stays text.

use axum::http::header;
use axum::response::{IntoResponse, Response};

const WIDGET_JS: &str = include_str!("../../assets/widget.js");
const WIDGET_CSS: &str = include_str!("../../assets/widget.css");

/// `GET /widget.js`.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        WIDGET_JS,
    )
        .into_response()
}

/// `GET /widget.css`.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        WIDGET_CSS,
    )
        .into_response()
}
