//! End-to-end tests: the real binary indexes the sample corpus, a server answers over a real
//! socket, and the answers are checked against facts established independently of the index
//! (`tests/data/known_phrases.json`, verified with pdftotext when the corpus was generated).

mod api;
mod cli;
mod real_world;
mod reindex;

use std::collections::BTreeMap;

use serde_json::Value;

fn report_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The report's failed files: path to reason.
fn failures(report: &Value) -> BTreeMap<String, String> {
    report["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
