//! Router-level tests on a small in-memory library with a hostile title: the pages, the
//! error bodies, the bound on concurrent searches; and on a library of several years with an
//! undated publication.

mod busy;
mod dates;
mod errors;
mod pages;
mod syntax;

use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use pubsearch_core::doc::put_publication;
use pubsearch_core::model::{
    Engine, FileStamp, FileState, PageStatus, PageText, PubType, Publication,
};
use pubsearch_core::schema::{self, Fields};
use tower::ServiceExt;

use super::page::CONTENT_SECURITY_POLICY;
use super::{AppState, ServerConfig, router};

pub(super) const HOSTILE_TITLE: &str = "<script>alert(1)</script> & \"quotes\"";
const HOSTILE_SUMMARY: &str = "<img src=x onerror=\"document.title='pwned'\"> summary";

pub(super) fn publication(id: &str, title: &str, summary: &str, topics: &[&str]) -> Publication {
    Publication {
        id: id.into(),
        title: title.into(),
        date: Some(time::macros::date!(2009 - 07 - 07)),
        pub_type: PubType::Report,
        topics: topics.iter().map(|t| t.to_string()).collect(),
        summary: summary.into(),
        authors: vec![],
        languages: vec![pubsearch_core::analysis::Lang::En],
        language_detected: false,
    }
}

pub(super) fn page(n: u32, text: &str) -> PageText {
    PageText::new(n, text.into(), Engine::PdfExtract, PageStatus::Ok)
}

pub(super) fn library(cors: &[&str]) -> (tempfile::TempDir, AppState) {
    library_with(|config| config.cors_origins = cors.iter().map(|s| s.to_string()).collect())
}

/// The library served with `configure`'s changes to the default settings.
pub(super) fn library_with(
    configure: impl FnOnce(&mut ServerConfig),
) -> (tempfile::TempDir, AppState) {
    let pubs = vec![
        (
            publication("hostile", HOSTILE_TITLE, HOSTILE_SUMMARY, &["health"]),
            vec![
                page(1, "Nothing to see."),
                page(2, "Shelter <b>and</b> food for families."),
                page(3, "More shelter here & there."),
            ],
        ),
        (
            publication("plain", "Housing Guide", "Advice on housing.", &["housing"]),
            vec![page(1, "Housing and shelter advice.")],
        ),
    ];
    library_of(&pubs, configure)
}

/// A library of `pubs` (each stored at `<id>.pdf`), served with `configure`'s changes to the
/// default settings.
pub(super) fn library_of(
    pubs: &[(Publication, Vec<PageText>)],
    configure: impl FnOnce(&mut ServerConfig),
) -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("index");
    let index = pubsearch_core::open::open_or_create(&index_dir).unwrap();
    let fields = Fields::from_schema(&index.schema()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer(20_000_000).unwrap();
    let state = FileState {
        pdf: FileStamp {
            size: 1,
            mtime_ns: 0,
            hash: "x".into(),
        },
        sidecar: None,
    };
    for (p, pages) in pubs {
        put_publication(&writer, &fields, &format!("{}.pdf", p.id), p, pages, &state).unwrap();
    }
    schema::commit(&mut writer).unwrap();
    let mut config = ServerConfig::new(dir.path());
    configure(&mut config);
    let app = AppState::open(&index_dir, config).unwrap();
    (dir, app)
}

pub(super) async fn get(
    app: &AppState,
    uri: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, String) {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

/// Sends `req` through the router; the status, headers and body.
pub(super) async fn send(app: &AppState, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let response = router(app.clone()).oneshot(req).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), 4 << 20).await.unwrap();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

pub(super) fn assert_html_page(headers: &HeaderMap, body: &str) {
    assert_eq!(
        headers[header::CONTENT_SECURITY_POLICY],
        CONTENT_SECURITY_POLICY
    );
    assert!(CONTENT_SECURITY_POLICY.contains("script-src 'self'"));
    assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    // The only script is the external one; no inline handlers or styles in any tag.
    assert_eq!(body.matches("<script").count(), 1, "{body}");
    assert!(body.contains("<script src=\"/assets/app.js?v="));
    for tag in body.split('<').skip(1).filter_map(|t| t.split('>').next()) {
        let lower = tag.to_ascii_lowercase();
        assert!(!lower.starts_with("img"), "injected element: <{tag}>");
        assert!(!lower.contains(" style="), "inline style: <{tag}>");
        let handler = lower
            .split_whitespace()
            .skip(1)
            .any(|attr| attr.starts_with("on") && attr.contains('='));
        assert!(!handler, "inline handler: <{tag}>");
    }
}
