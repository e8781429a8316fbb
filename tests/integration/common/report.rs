//! Reading the JSON report of `pubsearch index --json`.

use std::collections::BTreeMap;
use std::process::Output;

use serde_json::Value;

/// The JSON report printed by `pubsearch index --json`.
pub fn report_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}); status {:?}; stderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A report's failed files (its `failed` list): path to reason.
pub fn failures(v: &Value) -> BTreeMap<String, String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list of failed files: {v}"))
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_string(),
                f["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Where each file of a report went: path -> outcome ("added: ", "failed: <reason>", ...).
pub fn outcomes(r: &Value) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for key in ["added", "updated", "removed"] {
        for p in strings(&r[key]) {
            out.entry(p).or_default().push(key.to_string());
        }
    }
    for key in ["failed", "still_failing", "duplicates", "skipped"] {
        for (p, reason) in failures(&r[key]) {
            out.entry(p).or_default().push(format!("{key}: {reason}"));
        }
    }
    out
}

pub fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
