//! Oversized requests, and the admin route's token.

use serde_json::Value;

use super::fixture::fixture;
use super::raw_http::{RawResponse, raw, raw_get};
use crate::common::{Server, enc};

/// Oversized bodies, very long query strings, many or huge headers: a 4xx answer, never a 5xx,
/// and the server still answers afterwards.
#[test]
fn oversized_requests_get_4xx_and_the_server_keeps_answering() {
    let f = fixture();
    let server = Server::start(&f.index, &f.corpus, &["--admin-token", "s3cret-token"]);
    let base = &server.base;
    let mb = vec![b'x'; 1 << 20];
    let post = |auth: &str, body: &[u8]| -> RawResponse {
        raw(
            base,
            &format!(
                "POST /api/admin/reload HTTP/1.1\r\nHost: localhost{auth}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}",
                body.len()
            ),
            body,
        )
        .unwrap_or_else(|e| panic!("POST 1 MB: no answer ({e})"))
    };
    let r = post("", &mb);
    assert!(matches!(r.status, 401 | 413), "1 MB POST: {}", r.status);
    let r = post("\r\nAuthorization: Bearer wrong", &mb);
    assert!(matches!(r.status, 401 | 413), "1 MB POST: {}", r.status);
    let r = post("\r\nAuthorization: Bearer s3cret-token", &mb);
    assert_eq!(r.status, 413, "1 MB POST with the token");
    // The same body sent chunked, with no length announced.
    let mut chunked = Vec::new();
    for chunk in mb.chunks(64 * 1024) {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let r = raw(
        base,
        "POST /api/admin/reload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked",
        &chunked,
    )
    .expect("chunked POST answered");
    assert!(matches!(r.status, 401 | 413), "chunked POST: {}", r.status);
    // A body on a GET route.
    let r = raw(
        base,
        &format!(
            "GET /api/search?q=health HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}",
            mb.len()
        ),
        &mb,
    )
    .expect("GET with a body answered");
    assert!(r.status < 500, "GET with a 1 MB body: {}", r.status);

    // Long query strings.
    for len in [2_000usize, 20_000, 200_000, 2_000_000] {
        let q = "a%20".repeat(len / 4);
        let path = format!("/api/search?q={q}");
        match raw(
            base,
            &format!("GET {path} HTTP/1.1\r\nHost: localhost"),
            b"",
        ) {
            Ok(r) => assert!(
                (400..500).contains(&r.status),
                "query of {len} bytes: {}",
                r.status
            ),
            Err(e) => panic!("query of {len} bytes: no answer ({e})"),
        }
    }
    let long_path = format!("/api/publications/{}", "a".repeat(100_000));
    let r = raw_get(base, &long_path);
    assert!((400..500).contains(&r.status), "long path: {}", r.status);
    // Many headers, and one huge header.
    let many: String = (0..500).map(|i| format!("\r\nX-Filler-{i}: {i}")).collect();
    let r = raw(
        base,
        &format!("GET /api/search?q=health HTTP/1.1\r\nHost: localhost{many}"),
        b"",
    )
    .expect("many headers answered");
    assert!((400..500).contains(&r.status), "500 headers: {}", r.status);
    let huge = "v".repeat(1 << 20);
    let r = raw(
        base,
        &format!("GET /api/search?q=health HTTP/1.1\r\nHost: localhost\r\nX-Huge: {huge}"),
        b"",
    )
    .expect("huge header answered");
    assert!((400..500).contains(&r.status), "1 MB header: {}", r.status);
    // Nonsense.
    for head in [
        "BREW /api/search HTTP/1.1\r\nHost: localhost",
        "GET /api/search?q=%ff%fe%00 HTTP/1.1\r\nHost: localhost",
        "GET /api/search?q=health&page=99999999999999999999 HTTP/1.1\r\nHost: localhost",
        "GET /api/search?type=%3Cscript%3E HTTP/1.1\r\nHost: localhost",
    ] {
        if let Ok(r) = raw(base, head, b"") {
            assert!(r.status < 500, "{head:?}: {}", r.status);
        }
    }

    // Still answering.
    assert_eq!(raw_get(base, "/healthz").status, 200);
    let (status, body) = server.get("/api/search?q=health");
    assert_eq!(status, 200);
    assert!(body["total"].as_u64().unwrap() > 0);
}

fn admin(base: &str, auth: Option<&str>) -> RawResponse {
    let auth = auth
        .map(|a| format!("\r\nAuthorization: {a}"))
        .unwrap_or_default();
    raw(
        base,
        &format!("POST /api/admin/reload HTTP/1.1\r\nHost: localhost{auth}\r\nContent-Length: 0"),
        b"",
    )
    .expect("admin answered")
}

/// `POST /api/admin/reload` needs the configured token: 401 without it, with a wrong one, and
/// always when no token is configured; 200 with the right one, from the flag or the environment.
#[test]
fn the_admin_route_needs_the_configured_token() {
    let f = fixture();
    let token = "correct horse battery staple";
    let with_flag = Server::start(&f.index, &f.corpus, &["--admin-token", token]);
    let base = &with_flag.base;
    let none = admin(base, None);
    assert_eq!(none.status, 401);
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));
    let body: Value = serde_json::from_slice(&none.body).unwrap();
    assert_eq!(body["code"], "unauthorized");
    for wrong in [
        "Bearer wrong".to_string(),
        format!("Bearer {token}x"),
        format!("Bearer {}", &token[..token.len() - 1]),
        format!("Basic {token}"),
        token.to_string(),
        "Bearer ".to_string(),
        format!("Bearer  {token}"),
    ] {
        let r = admin(base, Some(&wrong));
        assert_eq!(r.status, 401, "{wrong:?}");
    }
    let r = raw(
        base,
        &format!(
            "POST /api/admin/reload?token={} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0",
            enc(token)
        ),
        b"",
    )
    .unwrap();
    assert_eq!(r.status, 401, "token in the query string");
    let ok = admin(base, Some(&format!("Bearer {token}")));
    assert_eq!(ok.status, 200, "{}", ok.text());
    let body: Value = serde_json::from_slice(&ok.body).unwrap();
    assert_eq!(body["reloaded"], true);
    // A GET on the admin route does nothing.
    let r = raw_get(base, "/api/admin/reload");
    assert!(matches!(r.status, 404 | 405), "{}", r.status);

    let with_env = Server::start_with_env(
        &f.index,
        &f.corpus,
        &[],
        &[("PUBSEARCH_ADMIN_TOKEN", "from-the-environment")],
    );
    assert_eq!(admin(&with_env.base, None).status, 401);
    assert_eq!(admin(&with_env.base, Some("Bearer wrong")).status, 401);
    assert_eq!(
        admin(&with_env.base, Some("Bearer from-the-environment")).status,
        200
    );

    let without = Server::start_with_env(&f.index, &f.corpus, &[], &[]);
    assert_eq!(admin(&without.base, None).status, 401);
    assert_eq!(admin(&without.base, Some("Bearer ")).status, 401);
    assert_eq!(
        admin(&without.base, Some(&format!("Bearer {token}"))).status,
        401
    );
    let empty = Server::start_with_env(&f.index, &f.corpus, &[], &[("PUBSEARCH_ADMIN_TOKEN", "")]);
    assert_eq!(admin(&empty.base, Some("Bearer ")).status, 401);
    assert_eq!(admin(&empty.base, Some("Bearer")).status, 401);
}
