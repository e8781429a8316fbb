//! Reindexing while the server runs: removed, retitled, corrupt and badly described files;
//! duplicates, `--dry-run` and `--full`; the index lock.

use std::time::Duration;

use crate::common::{self, Server, copy_corpus, enc, run_index};

use super::{failures, report_of};

fn titles(server: &Server, q: &str) -> Vec<String> {
    let (_, body) = server.get(&format!("/api/search?q={}&per_page=100", enc(q)));
    body["hits"]
        .as_array()
        .map(|h| {
            h.iter()
                .map(|x| x["title"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn reindex_while_serving_updates_removes_and_survives_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    copy_corpus(&corpus);
    let out = run_index(&index, &corpus, &["--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = report_of(&out);
    assert_eq!(first["added"].as_array().unwrap().len(), 20);

    // A no-op run changes nothing and makes no commit.
    let out = run_index(&index, &corpus, &["--json"]);
    let noop = report_of(&out);
    assert_eq!(noop["unchanged"], 20);
    assert_eq!(noop["committed"], false);

    let server = Server::start(&index, &corpus, &[]);
    assert_eq!(titles(&server, "Penhallowick").len(), 1);
    let commit = |s: &Server| {
        s.get("/api/stats").1["searcher_generation"]
            .as_u64()
            .unwrap()
    };
    let before = commit(&server);

    // Remove one PDF, retitle another, add a corrupt PDF, break a third's sidecar.
    std::fs::remove_file(corpus.join("2004-01-what-is-british.pdf")).unwrap();
    let sidecar = corpus.join("2012-09-working-with-interpreters.toml");
    let text = std::fs::read_to_string(&sidecar).unwrap();
    let old_title = text
        .lines()
        .find(|l| l.starts_with("title"))
        .unwrap()
        .to_string();
    std::fs::write(
        &sidecar,
        text.replace(
            &old_title,
            "title = \"Working With Interpreters, Revised Zephyrine Edition\"",
        ),
    )
    .unwrap();
    std::fs::write(
        corpus.join("broken.pdf"),
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage",
    )
    .unwrap();
    let bad = corpus.join("2017-07-newsletter-summer-2017.toml");
    let bad_text = std::fs::read_to_string(&bad).unwrap();
    let date_line = bad_text
        .lines()
        .position(|l| l.starts_with("date"))
        .unwrap()
        + 1;
    std::fs::write(
        &bad,
        bad_text.replace(
            bad_text.lines().nth(date_line - 1).unwrap(),
            "date = \"summer 2017\"",
        ),
    )
    .unwrap();
    let pdf_touched = corpus.join("2017-07-newsletter-summer-2017.pdf");
    assert!(pdf_touched.exists());

    let out = run_index(&index, &corpus, &["--json"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "some files failed: exit status 3"
    );
    let r = report_of(&out);
    assert_eq!(
        r["removed"],
        serde_json::json!(["2004-01-what-is-british.pdf"])
    );
    assert_eq!(
        r["updated"],
        serde_json::json!(["2012-09-working-with-interpreters.pdf"])
    );
    let failed = failures(&r["failed"]);
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(
        failed["broken.pdf"].contains("not a readable PDF"),
        "{failed:?}"
    );
    let why = &failed["2017-07-newsletter-summer-2017.pdf"];
    assert!(
        why.contains(&format!(
            "2017-07-newsletter-summer-2017.toml:{date_line}: date"
        )),
        "{why}"
    );

    // The running server picks the commit up by itself.
    assert!(
        common::wait_until(Duration::from_secs(20), || commit(&server) > before),
        "server did not reload"
    );
    assert!(
        titles(&server, "Penhallowick").is_empty(),
        "removed PDF still found"
    );
    assert_eq!(
        titles(&server, "Zephyrine"),
        vec!["Working With Interpreters, Revised Zephyrine Edition"]
    );
    // The publication with the broken sidecar keeps its earlier indexed version.
    let (status, kept) = server.get("/api/publications/2017-07-newsletter-summer-2017");
    assert_eq!(status, 200, "{kept}");
    let old_date = bad_text
        .lines()
        .nth(date_line - 1)
        .unwrap()
        .split('"')
        .nth(1)
        .unwrap();
    assert_eq!(kept["date"], old_date);
    // Everything else is intact.
    let (_, all) = server.get("/api/search?q=&per_page=100");
    assert_eq!(all["total"], 19);
    let (_, stats) = server.get("/api/stats");
    assert_eq!(stats["failed"].as_array().unwrap().len(), 2);

    // Unchanged failures are not read again, and are still reported.
    let out = run_index(&index, &corpus, &["--json"]);
    assert_eq!(out.status.code(), Some(3));
    let r = report_of(&out);
    assert_eq!(r["still_failing"].as_array().unwrap().len(), 2);
    assert_eq!(r["committed"], false);

    // Fixing the sidecar brings the new metadata in without re-reading the PDF text.
    std::fs::write(&bad, &bad_text).unwrap();
    std::fs::remove_file(corpus.join("broken.pdf")).unwrap();
    let out = run_index(&index, &corpus, &["--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = report_of(&out);
    assert_eq!(
        r["updated"],
        serde_json::json!(["2017-07-newsletter-summer-2017.pdf"])
    );
    assert_eq!(r["pages_read"], 0, "the PDF text was reused");
}

#[test]
fn duplicates_dry_run_and_full_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    copy_corpus(&corpus);
    std::fs::copy(
        corpus.join("2024-05-your-vote-counts.pdf"),
        corpus.join("copy-of-vote.pdf"),
    )
    .unwrap();
    let out = run_index(&index, &corpus, &["--dry-run"]);
    assert!(out.status.success());
    let plan = String::from_utf8_lossy(&out.stdout);
    assert!(plan.contains("add 2004-01-what-is-british.pdf"), "{plan}");
    assert!(
        plan.contains("skip copy-of-vote.pdf (same content as 2024-05-your-vote-counts.pdf)"),
        "{plan}"
    );
    assert!(
        !index.join("meta.json").exists(),
        "a dry run writes nothing"
    );
    let out = run_index(&index, &corpus, &["--json"]);
    let r = report_of(&out);
    assert_eq!(r["added"].as_array().unwrap().len(), 20);
    assert_eq!(r["duplicates"][0]["path"], "copy-of-vote.pdf");
    let out = run_index(&index, &corpus, &["--json", "--full"]);
    let r = report_of(&out);
    assert_eq!(r["added"].as_array().unwrap().len(), 20);
    assert_eq!(r["unchanged"], 0);
}

#[test]
fn a_second_writer_is_told_the_index_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let idx = pubsearch_core::open::open_or_create(&index).unwrap();
    let _writer: tantivy::IndexWriter = idx.writer(15_000_000).unwrap();
    let out = run_index(&index, &corpus, &[]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("index is locked by another run"));
}
