//! The server's URLs: a publication's PDF, a page in it, its HTML page; the base URL the
//! client reached us at, for absolute links in citations.

use axum::http::HeaderMap;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Bytes percent-encoded in a path segment: all but the unreserved `A-Za-z0-9-._~`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `s` percent-encoded as one path segment.
pub fn path_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// The link to a publication's PDF (ids are `[A-Za-z0-9._-]`, so they need no encoding).
pub fn file_url(id: &str) -> String {
    format!("/files/{id}.pdf")
}

/// The link that opens a publication's PDF at `page`.
pub fn page_url(id: &str, page: u64) -> String {
    format!("{}#page={page}", file_url(id))
}

/// The page about one publication, with the search it was reached from (`query_string`,
/// without the `?`: its query and mode search the pages, the rest is kept for the way back).
pub fn publication_href(id: &str, query_string: &str) -> String {
    let path = format!("/publications/{}", path_segment(id));
    if query_string.is_empty() {
        path
    } else {
        format!("{path}?{query_string}")
    }
}

/// `scheme://host` of this server as the client reached it, for absolute links in
/// citations; empty (so links stay relative) when the host header is missing or odd.
pub fn base_url(headers: &HeaderMap) -> String {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let valid_host = |h: &&str| {
        !h.is_empty()
            && h.len() <= 255
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    };
    let host = get("x-forwarded-host")
        .and_then(|h| h.split(',').next())
        .map(str::trim)
        .filter(valid_host)
        .or_else(|| get("host").filter(valid_host));
    let proto = get("x-forwarded-proto")
        .map(|p| p.split(',').next().unwrap_or("").trim())
        .filter(|p| *p == "https" || *p == "http")
        .unwrap_or("http");
    match host {
        Some(h) => format!("{proto}://{h}"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn links() {
        assert_eq!(path_segment("a b/é~x.y_z-"), "a%20b%2F%C3%A9~x.y_z-");
        assert_eq!(file_url("a-1"), "/files/a-1.pdf");
        assert_eq!(page_url("a-1", 7), "/files/a-1.pdf#page=7");
        assert_eq!(publication_href("a b", ""), "/publications/a%20b");
        assert_eq!(
            publication_href("x", "q=clean+water&mode=strict"),
            "/publications/x?q=clean+water&mode=strict"
        );
    }

    #[test]
    fn base_url_trusts_only_plain_hosts() {
        let mut h = HeaderMap::new();
        assert_eq!(base_url(&h), "");
        h.insert("host", HeaderValue::from_static("example.org:8080"));
        assert_eq!(base_url(&h), "http://example.org:8080");
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(base_url(&h), "https://example.org:8080");
        h.insert("host", HeaderValue::from_static("evil\"<x>"));
        h.remove("x-forwarded-proto");
        assert_eq!(base_url(&h), "");
    }
}
