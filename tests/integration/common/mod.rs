//! Helpers shared by every test module: the real binary, a copy of the sample corpus, a server
//! on a real socket, the facts the corpus generator verified, and honest skips.

#![allow(dead_code)]

pub mod report;
mod server;
mod skip;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

pub use server::{Server, serve_command};
pub use skip::{require_shared, require_tool, skip};

/// The `pubsearch` binary built for these tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pubsearch"))
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The facts about the sample corpus (`tests/data/known_phrases.json`).
pub fn known() -> Value {
    let text = std::fs::read_to_string(root().join("tests/data/known_phrases.json"))
        .expect("known_phrases.json");
    serde_json::from_str(&text).expect("valid JSON")
}

/// Copies the PDFs and sidecars of `corpus/` into `dst`.
pub fn copy_corpus(dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(root().join("corpus")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path.extension().is_some_and(|e| e == "pdf" || e == "toml") {
            std::fs::copy(&path, dst.join(path.file_name().unwrap())).unwrap();
        }
    }
}

/// Runs `pubsearch --index INDEX index --corpus CORPUS ARGS...`.
pub fn run_index(index: &Path, corpus: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--index")
        .arg(index)
        .arg("index")
        .arg("--corpus")
        .arg(corpus)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run pubsearch index")
}

/// A blocking GET over a real socket, returning status and JSON body (`null` if it is not JSON).
pub fn get_json(url: &str) -> (u16, Value) {
    let (status, text) = get_text(url);
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A blocking GET over a real socket, returning status and body text.
pub fn get_text(url: &str) -> (u16, String) {
    let (status, _, text) = get_with_headers(url);
    (status, text)
}

/// A blocking GET over a real socket, returning status, headers (names in lower case) and
/// body text.
pub fn get_with_headers(url: &str) -> (u16, BTreeMap<String, String>, String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let resp = reqwest::get(url).await.expect("request");
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        (status, headers, resp.text().await.unwrap_or_default())
    })
}

/// Polls `cond` until it holds or `timeout` passes; returns whether it held.
pub fn wait_until(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so the result is safe in
/// a query value and in a path segment.
pub fn enc(s: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// The real-world scan `self__scanned-report` is indexed, every page marked as having no text
/// layer.
pub fn assert_scan_has_no_text_layer(service: &pubsearch_query::SearchService) {
    let detail = service
        .publication("self__scanned-report")
        .unwrap()
        .expect("the scan is indexed");
    assert!(
        !detail.pages.is_empty() && detail.pages.len() as u64 == detail.page_count,
        "one extraction record per page: {} records, {} pages",
        detail.pages.len(),
        detail.page_count
    );
    assert!(
        detail
            .pages
            .iter()
            .all(|p| p.status == pubsearch_core::model::PageStatus::NoTextLayer),
        "{:?}",
        detail.pages
    );
}

/// A TOML basic string holding `s`, for sidecars written by tests (JSON's escapes are valid
/// TOML).
pub fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}
