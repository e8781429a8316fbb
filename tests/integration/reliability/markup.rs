//! Markup in titles, summaries and PDF text stays inert in JSON and HTML answers.

use serde_json::Value;

use super::fixture::{SCRIPT, SCRIPT_MARKER, fixture};
use super::raw_http::raw_get;
use crate::common::report::strings;
use crate::common::{Server, enc};

/// Titles, summaries and PDF text containing markup: JSON answers are `application/json` with
/// `nosniff` and carry the markup as plain strings (snippets escaped); HTML pages escape it.
#[test]
fn markup_in_titles_summaries_and_text_stays_inert() {
    let f = fixture();
    assert!(strings(&f.report["added"]).contains(&"markup.pdf".to_string()));
    let server = Server::start(&f.index, &f.corpus, &[]);
    let base = &server.base;
    let json_ok = |path: &str| -> Value {
        let r = raw_get(base, path);
        assert!(
            r.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "{path}: {:?}",
            r.header("content-type")
        );
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let res = json_ok(&format!("/api/search?q={SCRIPT_MARKER}"));
    assert_eq!(res["total"], 1, "{res}");
    let hit = &res["hits"][0];
    assert_eq!(hit["title"], format!("{SCRIPT} Markup \"Title\""));
    assert!(hit["summary"].as_str().unwrap().contains(SCRIPT));
    for page in hit["pages"].as_array().unwrap() {
        let snippet = page["snippet"].as_str().unwrap();
        let without_marks = snippet.replace("<mark>", "").replace("</mark>", "");
        assert!(
            !without_marks.contains('<') && !without_marks.contains('>'),
            "unescaped markup in a snippet: {snippet}"
        );
    }
    assert!(
        hit["pages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["snippet"].as_str().unwrap().contains("&lt;script&gt;")),
        "{hit}"
    );
    let detail = json_ok("/api/publications/markup");
    assert_eq!(detail["title"], format!("{SCRIPT} Markup \"Title\""));
    let inside = json_ok(&format!(
        "/api/publications/markup/search?q={SCRIPT_MARKER}"
    ));
    for page in inside["pages"].as_array().unwrap() {
        let s = page["snippet"]
            .as_str()
            .unwrap()
            .replace("<mark>", "")
            .replace("</mark>", "");
        assert!(!s.contains('<'), "{s}");
    }
    // Errors that echo the request are JSON too.
    for path in [
        format!("/api/search?q={}", enc("(<script>alert(1)</script>")),
        format!("/api/publications/{}", enc(SCRIPT)),
        format!("/api/search?q=x&type={}", enc(SCRIPT)),
        format!("/nowhere/{}", enc(SCRIPT)),
    ] {
        let r = raw_get(base, &path);
        assert!((400..500).contains(&r.status), "{path}: {}", r.status);
        assert!(
            r.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "{path}: {:?}",
            r.header("content-type")
        );
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
    // HTML pages escape titles, summaries and text.
    for path in [
        format!("/?q={SCRIPT_MARKER}"),
        "/publications/markup".to_string(),
        format!("/publications/markup?q={SCRIPT_MARKER}"),
        format!("/?q={}", enc(SCRIPT)),
    ] {
        let r = raw_get(base, &path);
        if r.status == 404 && r.header("content-type").is_some_and(|c| c.contains("json")) {
            eprintln!("note: {path} is not an HTML route in this build");
            continue;
        }
        let body = r.text();
        assert!(r.status < 500, "{path}: {}", r.status);
        assert!(
            !body.contains("<script>alert") && !body.contains("<img src=x"),
            "{path}: markup not escaped"
        );
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
}
