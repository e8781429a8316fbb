//! The real-world PDFs of the shared reference set (`../shared/pdfs/files`; skipped with a
//! message when absent, a failure under CI).

use crate::common::{self, run_index};

use super::{failures, report_of};

/// The real-world PDFs of the shared test set: the run completes and every file is either
/// indexed or reported with a reason.
#[test]
fn real_world_pdfs_are_indexed_or_reported() {
    let Some(files) = common::require_shared("pdfs/files") else {
        return;
    };
    if !common::require_tool("pdftotext", "poppler-utils") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    // OCR of the scans is `e2e::ocr`'s; this run checks every file goes in or is reported.
    let out = run_index(&index, &files, &["--json", "--ocr", "never"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = report_of(&out);
    let pdfs: Vec<String> = std::fs::read_dir(&files)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    let indexed: Vec<String> = r["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let failed = failures(&r["failed"]);
    for name in &pdfs {
        assert!(
            indexed.contains(name) != failed.contains_key(name),
            "{name} is neither indexed nor reported (or both)"
        );
    }
    for reason in failed.values() {
        assert!(reason.len() > 10, "reason too vague: {reason}");
    }
    // Encrypted with an empty user password: read. With a real password: a clear error.
    assert!(indexed.contains(&"self__encrypted-aes256-nouserpw.pdf".to_string()));
    assert!(indexed.contains(&"self__encrypted-rc4-40.pdf".to_string()));
    assert!(failed["self__encrypted-userpw.pdf"].contains("password"));
    assert!(
        failed.contains_key("self__truncated-60pct.pdf")
            || indexed.contains(&"self__truncated-60pct.pdf".to_string())
    );
    // The scan is indexed with its pages marked as having no text layer, and named.
    let scanned: Vec<&str> = r["scanned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert!(scanned.contains(&"self__scanned-report.pdf"), "{scanned:?}");
    assert!(
        r["ocr_off"].as_str().unwrap().contains("--ocr never"),
        "{}",
        r["ocr_off"]
    );
    let service = pubsearch_query::SearchService::open(&index).unwrap();
    crate::common::assert_scan_has_no_text_layer(&service);
    // The cyclic/huge/CJK files did not take the run down: the big manual is searchable.
    let res = service
        .search(&pubsearch_query::SearchRequest::new("octave"))
        .unwrap();
    assert!(res.total > 0);
}
