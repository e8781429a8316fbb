//! A damaged index directory at start-up: a clear error and a way to rebuild.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use wait_timeout::ChildExt;

use super::run::{copy_slice, index_bounded, search_bounded};
use super::snapshot::{expected_snapshot, snapshot};
use crate::common::report::stderr_of;
use crate::common::{self, run_index};

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dst.join(entry.file_name())).unwrap();
        }
    }
}

fn segment_files(index: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .split_once('.')
                .is_some_and(|(stem, e)| {
                    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && e == ext
                })
        })
        .collect();
    out.sort();
    out
}

/// Starts `pubsearch serve` on `index`: `Ok(stderr)` if it exits by itself (with its status),
/// `Err` if it starts serving (it is then stopped).
fn serve_refusal(
    index: &Path,
    corpus: &Path,
) -> Result<(std::process::ExitStatus, String), String> {
    use std::io::BufRead;
    let mut child = common::serve_command(index, corpus)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut seen = String::new();
    for line in std::io::BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap_or_default();
        if line.contains("serving on") {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("started serving: {seen}{line}"));
        }
        seen.push_str(&line);
        seen.push('\n');
    }
    let status = child
        .wait_timeout(Duration::from_secs(60))
        .unwrap()
        .expect("serve closed its stderr but did not exit");
    Ok((status, seen))
}

/// Checks that `search`, `serve` and `index` refuse a damaged index with a clear message
/// pointing at `pubsearch index --full`, and that `index --full` rebuilds it. Returns the
/// problems found.
fn damaged_index_is_refused_then_rebuilt(what: &str, index: &Path, corpus: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut clear = |ok: bool, code: Option<i32>, err: &str, cmd: &str| {
        if ok {
            problems.push(format!("{what}: `{cmd}` succeeded: {err}"));
        } else if err.contains("panicked") || code.is_none() {
            problems.push(format!("{what}: `{cmd}` crashed: {err}"));
        } else if !err.contains("pubsearch index --full") {
            problems.push(format!(
                "{what}: `{cmd}` does not say how to rebuild: {}",
                err.trim()
            ));
        }
    };
    let search = search_bounded(index, "health", Duration::from_secs(60));
    clear(
        search.status.success(),
        search.status.code(),
        &stderr_of(&search),
        "search",
    );
    match serve_refusal(index, corpus) {
        Ok((status, err)) => clear(status.success(), status.code(), &err, "serve"),
        Err(e) => clear(true, Some(0), &e, "serve"),
    }
    let incremental = index_bounded(index, corpus, &[], Duration::from_secs(120));
    clear(
        incremental.status.success(),
        incremental.status.code(),
        &stderr_of(&incremental),
        "index",
    );
    let full = index_bounded(index, corpus, &["--full"], Duration::from_secs(120));
    if !full.status.success() {
        problems.push(format!(
            "{what}: `index --full` does not rebuild: {}",
            stderr_of(&full)
        ));
        return problems;
    }
    let search = search_bounded(index, "Hasselgrove", Duration::from_secs(60));
    let stdout = String::from_utf8_lossy(&search.stdout);
    if !search.status.success() || !stdout.starts_with("1 publication ") {
        problems.push(format!(
            "{what}: after `index --full`, search fails: {stdout} {}",
            stderr_of(&search)
        ));
    } else if snapshot(index) != expected_snapshot(corpus) {
        problems.push(format!("{what}: the rebuilt index differs from the corpus"));
    }
    problems
}

/// A temp dir holding `corpus/` with two short publications of the sample library.
fn two_publication_corpus() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    copy_slice(
        &corpus,
        &[
            "2018-05-hostile-environment-briefing",
            "2024-05-your-vote-counts",
        ],
    );
    (dir, corpus)
}

#[test]
fn damaged_index_files_give_a_clear_error_and_a_way_to_rebuild() {
    let (dir, corpus) = two_publication_corpus();
    let pristine = dir.path().join("pristine");
    let out = run_index(&pristine, &corpus, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!segment_files(&pristine, "store").is_empty());

    let garbage = dir.path().join("garbage-meta");
    copy_dir(&pristine, &garbage);
    std::fs::write(garbage.join("meta.json"), b"\x00\x01 this is not json {{{").unwrap();
    let mut problems =
        damaged_index_is_refused_then_rebuilt("garbage meta.json", &garbage, &corpus);

    let empty_meta = dir.path().join("empty-meta");
    copy_dir(&pristine, &empty_meta);
    std::fs::write(empty_meta.join("meta.json"), b"").unwrap();
    problems.extend(damaged_index_is_refused_then_rebuilt(
        "empty meta.json",
        &empty_meta,
        &corpus,
    ));

    for ext in ["store", "idx", "term", "fast", "fieldnorm"] {
        let damaged = dir.path().join(format!("missing-{ext}"));
        copy_dir(&pristine, &damaged);
        let victim = segment_files(&damaged, ext);
        assert!(!victim.is_empty(), "no .{ext} segment file");
        std::fs::remove_file(&victim[0]).unwrap();
        problems.extend(damaged_index_is_refused_then_rebuilt(
            &format!("missing .{ext}"),
            &damaged,
            &corpus,
        ));
    }

    let truncated = dir.path().join("truncated-store");
    copy_dir(&pristine, &truncated);
    let victim = &segment_files(&truncated, "store")[0];
    let len = std::fs::metadata(victim).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(victim)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    problems.extend(damaged_index_is_refused_then_rebuilt(
        "truncated .store",
        &truncated,
        &corpus,
    ));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The same for a missing positions file (`.pos`), which tantivy opens only when a query
/// needs it.
#[test]
fn missing_positions_file_gives_a_clear_error_and_a_way_to_rebuild() {
    let (dir, corpus) = two_publication_corpus();
    let index = dir.path().join("index");
    let out = run_index(&index, &corpus, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let victim = segment_files(&index, "pos");
    assert!(!victim.is_empty(), "no .pos segment file");
    std::fs::remove_file(&victim[0]).unwrap();
    let problems = damaged_index_is_refused_then_rebuilt("missing .pos", &index, &corpus);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
