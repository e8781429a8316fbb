//! Every error is `{code, message}` JSON from the error table on the API, and an HTML page
//! on the pages for people: 404s, 405s, 413s, unreadable paths, bare 503s.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::routing::get as route_get;
use tower::ServiceExt;

use super::{assert_html_page, get, library, send};
use crate::http::MAX_BODY_BYTES;
use crate::http::uniform_errors::uniform_errors;

/// The body is `{"code": code, "message": ...}` JSON, and nothing more.
fn assert_json_error(headers: &HeaderMap, body: &str, code: &str) {
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{headers:?}"
    );
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(v["code"], code, "{body}");
    assert!(!v["message"].as_str().unwrap().is_empty(), "{body}");
    assert_eq!(v.as_object().unwrap().len(), 2, "{body}");
}

#[tokio::test]
async fn a_wrong_method_is_a_405_json_body_with_allow() {
    let (_dir, app) = library(&[]);
    for (method, uri) in [
        ("POST", "/api/search?q=x"),
        ("DELETE", "/api/publications/hostile"),
        ("PUT", "/healthz"),
        ("GET", "/api/admin/reload"),
        ("POST", "/api/suggest?q=x"),
    ] {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        let (status, headers, body) = send(&app, req).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
        assert_json_error(&headers, &body, "method_not_allowed");
        assert!(body.contains(method), "{body}");
        let allow = headers
            .get(header::ALLOW)
            .unwrap_or_else(|| panic!("{method} {uri}: no Allow in {headers:?}"))
            .to_str()
            .unwrap();
        assert!(!allow.is_empty(), "{method} {uri}");
        // The body says what went wrong in words, beside the `Allow` header.
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let message = v["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("this address does not answer {method} requests")),
            "{message}"
        );
    }
    // On a page for people, the answer is a page.
    let req = Request::post("/").body(Body::empty()).unwrap();
    let (status, headers, body) = send(&app, req).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_html_page(&headers, &body);
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_json_body() {
    let (_dir, app) = library(&[]);
    let big = MAX_BODY_BYTES + 1;
    for (method, uri) in [("POST", "/api/admin/reload"), ("GET", "/api/search?q=x")] {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_LENGTH, big)
            .body(Body::from(vec![b'x'; big]))
            .unwrap();
        let (status, headers, body) = send(&app, req).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{method} {uri}");
        assert_json_error(&headers, &body, "payload_too_large");
        assert!(body.contains(&MAX_BODY_BYTES.to_string()), "{body}");
    }
    // At the limit, the request is answered as usual.
    let req = Request::post("/api/admin/reload")
        .header(header::CONTENT_LENGTH, MAX_BODY_BYTES)
        .body(Body::from(vec![b'x'; MAX_BODY_BYTES]))
        .unwrap();
    let (status, headers, body) = send(&app, req).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_json_error(&headers, &body, "unauthorized");
}

#[tokio::test]
async fn unknown_things_and_unreadable_paths_are_json() {
    let (_dir, app) = library(&[]);
    for (uri, status, code) in [
        ("/nope", StatusCode::NOT_FOUND, "not_found"),
        ("/api/publications/nope", StatusCode::NOT_FOUND, "not_found"),
        (
            "/api/publications/nope/search?q=x",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        ("/files/nope.pdf", StatusCode::NOT_FOUND, "not_found"),
        ("/assets/nope.css", StatusCode::NOT_FOUND, "not_found"),
        (
            "/api/publications/%FF%FE",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            "/api/publications/%C3%28/search?q=x",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            "/files/%FF.pdf",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        ("/assets/%FF", StatusCode::BAD_REQUEST, "invalid_parameter"),
    ] {
        let (got, headers, body) = get(&app, uri, &[]).await;
        assert_eq!(got, status, "{uri}: {body}");
        assert_json_error(&headers, &body, code);
    }
}

/// Bare error answers of layers (the timeout layer's empty 503, say) are rewritten from the
/// table; answers already JSON or HTML are left alone.
#[tokio::test]
async fn bare_layer_errors_are_rewritten() {
    let app = Router::new()
        .route(
            "/api/slow",
            route_get(|| async { StatusCode::SERVICE_UNAVAILABLE }),
        )
        .route("/", route_get(|| async { StatusCode::SERVICE_UNAVAILABLE }))
        .route(
            "/api/range",
            route_get(|| async {
                (
                    StatusCode::RANGE_NOT_SATISFIABLE,
                    [(header::CONTENT_RANGE, "bytes */10")],
                )
            }),
        )
        .route(
            "/api/own",
            route_get(|| async { crate::http::error::ApiError::Busy }),
        )
        .layer(axum::middleware::from_fn_with_state(
            7_000u128,
            uniform_errors,
        ));
    let call = |uri: &'static str| {
        let app = app.clone();
        async move {
            let r = app
                .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = r.status();
            let headers = r.headers().clone();
            let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
            (status, headers, String::from_utf8(body.to_vec()).unwrap())
        }
    };
    let (status, headers, body) = call("/api/slow").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_json_error(&headers, &body, "timeout");
    assert!(body.contains("7000 ms"), "{body}");
    let (status, headers, body) = call("/").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_html_page(&headers, &body);
    let (status, headers, body) = call("/api/range").await;
    assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_json_error(&headers, &body, "rejected");
    assert_eq!(headers[header::CONTENT_RANGE], "bytes */10");
    let (status, headers, body) = call("/api/own").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_json_error(&headers, &body, "busy");
}

/// A stored publication that cannot be read back (here: a type no release writes) costs its own
/// hit, not the answer: the other hits still come, and nothing answers 500.
#[tokio::test]
async fn a_damaged_stored_publication_is_skipped_not_a_500() {
    use pubsearch_core::schema::{self, Fields, kind};
    let (dir, app) = library(&[]);
    let index = pubsearch_core::open::open(&dir.path().join("index")).unwrap();
    let f = Fields::from_schema(&index.schema()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    let mut doc = tantivy::TantivyDocument::default();
    doc.add_text(f.kind, kind::PUBLICATION);
    doc.add_text(f.path, "damaged.pdf");
    doc.add_text(f.id, "damaged");
    doc.add_text(f.title, "Shelter shelter shelter");
    doc.add_text(f.pub_type, "pamphlet");
    doc.add_text(f.text, "shelter shelter shelter shelter");
    writer.add_document(doc).unwrap();
    schema::commit(&mut writer).unwrap();
    app.service().reload().unwrap();

    for uri in [
        "/api/search?q=shelter",
        "/api/search?q=shelter&mode=website",
    ] {
        let (status, _, body) = get(&app, uri, &[]).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let ids: Vec<&str> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap())
            .collect();
        assert!(
            ids.contains(&"plain") && ids.contains(&"hostile"),
            "{ids:?}"
        );
        assert!(!ids.contains(&"damaged"), "{ids:?}");
    }
    let (status, _, _) = get(&app, "/?q=shelter", &[]).await;
    assert_eq!(status, StatusCode::OK);
}
