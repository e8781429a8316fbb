//! The real-world PDFs of the shared reference set under tight worker limits.

use std::process::Command;
use std::time::{Duration, Instant};

use pubsearch_query::SearchService;

use super::run::index_bounded;
use crate::common::report::{failures, outcomes, report_of, stderr_of, strings};
use crate::common::{self, bin};

/// Every real-world PDF of the shared test set, with a 512 MiB address-space limit and a short
/// wall-clock limit per file: the run finishes, each file is indexed or reported, no process of
/// the run (indexer, workers, pdftotext) grows past the limit, and the slow files are stopped
/// at the limit instead of holding the run.
#[test]
fn real_world_pdfs_stay_within_worker_limits() {
    let Some(files) = common::require_shared("pdfs/files") else {
        return;
    };
    if !common::require_tool("pdftotext", "poppler-utils")
        || !common::require_tool("/usr/bin/time", "time")
    {
        return;
    }
    let timeout_secs: u64 = std::env::var("RELIABILITY_WORKER_TIMEOUT_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let memory_mb = 512u64;
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let jobs = 2u64;
    let started = Instant::now();
    // GNU time reports the largest resident set of the indexer and of every process it waited
    // for (the extraction workers and their pdftotext children).
    let out = Command::new("/usr/bin/time")
        .args(["-f", "maxrss_kb=%M"])
        .arg(bin())
        .arg("--index")
        .arg(&index)
        .arg("index")
        .arg("--corpus")
        .arg(&files)
        // The scans' OCR is measured by `e2e::ocr`; here only extraction's limits.
        .args(["--json", "--ocr", "never", "--jobs", &jobs.to_string()])
        .args(["--worker-memory-mb", &memory_mb.to_string()])
        .args(["--worker-timeout-secs", &timeout_secs.to_string()])
        .args(["--worker-cpu-secs", &timeout_secs.to_string()])
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let took = started.elapsed();
    let stderr = stderr_of(&out);
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{:?}: {stderr}",
        out.status
    );
    let r = report_of(&out);
    let outcome = outcomes(&r);
    let pdfs: Vec<String> = std::fs::read_dir(&files)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    for name in &pdfs {
        let o = outcome.get(name);
        assert!(
            o.is_some_and(|o| o.len() == 1),
            "{name} is neither indexed nor reported (or twice): {o:?}"
        );
    }
    let maxrss_kb: u64 = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("maxrss_kb="))
        .next_back()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no maxrss in {stderr}"));
    eprintln!(
        "real-world set: {} files in {:.1} s, largest process {} MiB (limit {memory_mb} MiB per worker), \
         {} added, {} failed, worker limit {timeout_secs} s",
        pdfs.len(),
        took.as_secs_f64(),
        maxrss_kb >> 10,
        strings(&r["added"]).len(),
        failures(&r["failed"]).len()
    );
    assert!(
        maxrss_kb >> 10 <= memory_mb,
        "a process of the run used {} MiB",
        maxrss_kb >> 10
    );
    // Each file costs at most one worker run and one pdftotext retry, each under the wall limit,
    // plus a start-up allowance; files run `jobs` at a time.
    let per_file = Duration::from_secs(2 * timeout_secs + 10);
    let bound = per_file * (pdfs.len() as u32).div_ceil(jobs as u32);
    assert!(took < bound, "run took {took:?}, over {bound:?}");
    // The scan is still recorded as having no text layer, the encrypted ones as before.
    let service = SearchService::open(&index).unwrap();
    crate::common::assert_scan_has_no_text_layer(&service);
    assert!(
        outcome["self__encrypted-userpw.pdf"][0].contains("password"),
        "{:?}",
        outcome["self__encrypted-userpw.pdf"]
    );

    // The limits bite: the largest file, alone, with a 1 s time limit and then a 64 MiB memory
    // limit, is stopped at the limit and reported (or indexed from the pdftotext retry).
    let largest = pdfs
        .iter()
        .max_by_key(|n| std::fs::metadata(files.join(n)).unwrap().len())
        .unwrap()
        .clone();
    let one = dir.path().join("one");
    std::fs::create_dir_all(&one).unwrap();
    std::fs::copy(files.join(&largest), one.join(&largest)).unwrap();
    for (limit, args, words) in [
        (
            "1 s",
            ["--worker-timeout-secs", "1", "--worker-cpu-secs", "1"],
            ["timed out", "CPU limit"],
        ),
        (
            "64 MiB",
            ["--worker-memory-mb", "64", "--jobs", "1"],
            ["memory", "crashed"],
        ),
    ] {
        let index = dir.path().join(format!("one-{}", limit.replace(' ', "")));
        let started = Instant::now();
        let out = index_bounded(
            &index,
            &one,
            &["--json", args[0], args[1], args[2], args[3]],
            Duration::from_secs(120),
        );
        let took = started.elapsed();
        let r = report_of(&out);
        let o = outcomes(&r);
        let what = o.get(&largest).map(|v| v.join("; ")).unwrap_or_default();
        eprintln!(
            "{largest} with a {limit} limit: {what} ({:.1} s)",
            took.as_secs_f64()
        );
        assert!(
            (what.starts_with("failed: ") && words.iter().any(|w| what.contains(w)))
                || (what == "added" && r["pages_fallback"].as_u64().unwrap() > 0),
            "{limit}: {what}"
        );
        if limit == "1 s" {
            assert!(took < Duration::from_secs(20), "{limit}: run took {took:?}");
        }
    }
}
