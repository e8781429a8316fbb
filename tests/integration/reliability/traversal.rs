//! Nothing outside the corpus is indexed or served: path traversal and symlinks.

use pubsearch_query::SearchService;

use super::fixture::{SECRET_MARKER, fixture};
use super::pdfs::text_pdf;
use super::raw_http::{RawResponse, raw, raw_get};
use super::run::{copy_slice, search_ids};
use crate::common::report::{failures, stderr_of, strings};
use crate::common::{Server, enc, run_index};

fn assert_no_leak(path: &str, resp: &RawResponse) {
    let body = resp.text();
    for marker in [
        "[package]",
        "root:x:",
        SECRET_MARKER,
        "Secret Outside",
        "[workspace]",
    ] {
        assert!(
            !body.contains(marker),
            "{path} leaked {marker:?}: status {}",
            resp.status
        );
    }
}

/// Path traversal on every route that touches files (encoded, double-encoded, backslashes,
/// absolute paths, absolute-form request targets) and a symlink pointing out of the corpus:
/// nothing outside the corpus is indexed or served.
#[test]
fn nothing_outside_the_corpus_is_indexed_or_served() {
    let f = fixture();
    let skipped = failures(&f.report["skipped"]);
    assert!(
        skipped
            .get("leak.pdf")
            .is_some_and(|r| r.contains("outside")),
        "the symlink out of the corpus is not reported as skipped: {}",
        f.report
    );
    assert!(
        !strings(&f.report["added"])
            .iter()
            .any(|p| p.contains("outdir") || p.contains("leak")),
        "{}",
        f.report
    );
    let service = SearchService::open(&f.index).unwrap();
    assert!(search_ids(&service, SECRET_MARKER).is_empty());
    assert!(search_ids(&service, "title:secret").is_empty());

    let server = Server::start(&f.index, &f.corpus, &[]);
    let ok = raw_get(&server.base, "/files/2024-05-your-vote-counts.pdf");
    assert_eq!(ok.status, 200);
    assert!(ok.body.starts_with(b"%PDF-"));
    let outside = f.outside.join("secret.pdf");
    let abs = outside.to_string_lossy().into_owned();
    let abs_enc = enc(&abs);
    let paths: Vec<String> = vec![
        "/files/leak.pdf".into(),
        "/files/secret.pdf".into(),
        "/files/outdir%2Fsecret.pdf".into(),
        "/files/outdir/secret.pdf".into(),
        "/files/../outside/secret.pdf".into(),
        "/files/..%2Foutside%2Fsecret.pdf".into(),
        "/files/..%2F..%2FCargo.toml".into(),
        "/files/..%2FCargo.toml.pdf".into(),
        "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd.pdf".into(),
        "/files/%2E%2E/%2E%2E/etc/passwd".into(),
        "/files/%252e%252e%252fCargo.toml.pdf".into(),
        "/files/%252e%252e%252f%252e%252e%252fetc%252fpasswd.pdf".into(),
        "/files/..%5C..%5CCargo.toml.pdf".into(),
        "/files/..%5Coutside%5Csecret.pdf".into(),
        "/files/..\\..\\etc\\passwd.pdf".into(),
        "/files/%2Fetc%2Fpasswd.pdf".into(),
        "/files/%2Fetc%2Fpasswd".into(),
        "/files//etc/passwd".into(),
        format!("/files/{abs_enc}"),
        format!("/files/{}", abs_enc.trim_end_matches(".pdf")),
        format!("/files{abs}"),
        "/files/C:%5CWindows%5Cwin.ini".into(),
        "/files/%00.pdf".into(),
        "/files/2024-05-your-vote-counts.pdf%00.toml".into(),
        "/files/2024-05-your-vote-counts.toml".into(),
        "/files/2024-05-your-vote-counts.pdf%2F..%2F..%2FCargo.toml".into(),
        "/files/.%2e%2F.%2e%2FCargo.toml".into(),
        "/files/%c0%ae%c0%ae%c0%afCargo.toml.pdf".into(),
        "/files/..%c0%af..%c0%afetc%c0%afpasswd.pdf".into(),
        "/assets/..%2F..%2FCargo.toml".into(),
        "/assets/../../Cargo.toml".into(),
        "/assets/%2Fetc%2Fpasswd".into(),
        "/publications/..%2F..%2FCargo.toml".into(),
        "/publications/leak".into(),
        "/api/publications/leak".into(),
        "/api/publications/..%2Fleak".into(),
        "/api/publications/secret".into(),
        "/../../../../etc/passwd".into(),
        "/%2e%2e/%2e%2e/etc/passwd".into(),
        "/widget.js/../../Cargo.toml".into(),
    ];
    for path in &paths {
        let resp = match raw(
            &server.base,
            &format!("GET {path} HTTP/1.1\r\nHost: localhost"),
            b"",
        ) {
            Ok(r) => r,
            Err(e) => panic!("{path}: no answer ({e})"),
        };
        assert!(
            matches!(resp.status, 400 | 404),
            "{path}: status {}",
            resp.status
        );
        assert_no_leak(path, &resp);
    }
    // Absolute-form request targets.
    for target in [
        "http://localhost/files/../../etc/passwd",
        "http://localhost/files/..%2F..%2FCargo.toml",
        "file:///etc/passwd",
    ] {
        let resp = raw(
            &server.base,
            &format!("GET {target} HTTP/1.1\r\nHost: localhost"),
            b"",
        )
        .unwrap_or_else(|e| panic!("{target}: {e}"));
        assert!(
            (400..500).contains(&resp.status),
            "{target}: status {}",
            resp.status
        );
        assert_no_leak(target, &resp);
    }
    // The server is still answering after all that.
    assert_eq!(raw_get(&server.base, "/healthz").status, 200);
}

/// A file indexed while inside the corpus, then replaced by a symlink to a file outside it,
/// is not served even though the index still knows it.
#[test]
fn a_file_swapped_for_an_outside_symlink_is_not_served() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    copy_slice(&corpus, &["2024-05-your-vote-counts"]);
    std::fs::write(corpus.join("swap.pdf"), text_pdf("Swap", "Gristlemoor", 1)).unwrap();
    let out = run_index(&index, &corpus, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let outside = dir.path().join("secret.pdf");
    std::fs::write(&outside, text_pdf("Secret Outside", SECRET_MARKER, 1)).unwrap();
    std::fs::remove_file(corpus.join("swap.pdf")).unwrap();
    std::os::unix::fs::symlink(&outside, corpus.join("swap.pdf")).unwrap();
    let server = Server::start(&index, &corpus, &[]);
    let resp = raw_get(&server.base, "/files/swap.pdf");
    assert_eq!(resp.status, 404);
    assert_no_leak("/files/swap.pdf", &resp);
    let resp = raw_get(&server.base, "/files/2024-05-your-vote-counts.pdf");
    assert_eq!(resp.status, 200);
}
