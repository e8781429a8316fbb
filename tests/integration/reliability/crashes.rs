//! Crashes: SIGKILL at random moments of a reindex.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pubsearch_query::{SearchRequest, SearchService};

use super::rng::Rng;
use super::run::copy_slice;
use super::snapshot::{dir_size, expected_snapshot, snapshot};
use crate::common::report::stderr_of;
use crate::common::toml_string;
use crate::common::{self, bin, root};

/// The publications of the sample corpus that have a sidecar (the crash test's oracle reads
/// ids and titles from the sidecars).
fn crash_slice() -> Vec<String> {
    common::known()["publications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .filter(|id| root().join("corpus").join(format!("{id}.toml")).exists())
        .collect()
}

fn retitle(corpus: &Path, id: &str, title: &str) {
    let path = corpus.join(format!("{id}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("title ") {
                format!("title = {}", toml_string(title))
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&path, out.join("\n") + "\n").unwrap();
}

fn index_command(index: &Path, corpus: &Path, args: &[&str], scratch: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.arg("--index")
        .arg(index)
        .arg("index")
        .arg("--corpus")
        .arg(corpus)
        .args(args)
        .env("RUST_LOG", "error")
        // Extraction scratch files go here, so what a killed run leaves behind is visible.
        .env("TMPDIR", scratch)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Changes the content of `n` PDFs of the corpus (bytes appended after `%%EOF`, which readers
/// ignore), so that an incremental run extracts them again.
fn touch_contents(corpus: &Path, rng: &mut Rng, n: usize, tag: usize) {
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    pdfs.sort();
    for _ in 0..n {
        let pdf = &pdfs[rng.below(pdfs.len() as u64) as usize];
        let mut f = std::fs::OpenOptions::new().append(true).open(pdf).unwrap();
        writeln!(f, "% revision {tag}").unwrap();
    }
}

fn pdf_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pdf")
        })
        .count()
}

/// Kills `pubsearch index` with SIGKILL at seeded random moments, at least 20 times, alternating
/// full rebuilds (everything deleted, then re-added) and incremental runs (files added, removed,
/// retitled and changed): after each kill the index opens and shows either the state before the
/// run or the state after it (never a mixture, never less); the next run completes and the
/// index equals a clean full build.
#[test]
fn sigkill_during_reindex_never_loses_a_commit() {
    let slice = crash_slice();
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    let scratch = dir.path().join("scratch");
    std::fs::create_dir_all(&scratch).unwrap();
    let ids: Vec<&str> = slice.iter().map(String::as_str).collect();
    copy_slice(&corpus, &ids);
    let shelf = dir.path().join("shelf");
    std::fs::create_dir_all(&shelf).unwrap();
    let full: &[&str] = &["--full", "--jobs", "2"];
    let incremental: &[&str] = &["--jobs", "2"];
    let mut rng = Rng(0xC4A5_4ED1);

    // Uninterrupted runs of each kind, timed (median of three): kill moments are spread over
    // these durations.
    let timed = |args: &[&str]| -> Duration {
        let started = Instant::now();
        let status = index_command(&index, &corpus, args, &scratch)
            .status()
            .unwrap();
        assert!(status.success(), "{args:?}: {status:?}");
        started.elapsed()
    };
    let median = |mut v: Vec<Duration>| -> Duration {
        v.sort();
        v[v.len() / 2]
    };
    let mut full_run = median((0..3).map(|_| timed(full)).collect());
    let mut incremental_run = median(
        (0..3)
            .map(|i| {
                touch_contents(&corpus, &mut rng, 4, 1000 + i);
                timed(incremental)
            })
            .collect(),
    );
    let mut committed = snapshot(&index);
    assert_eq!(committed, expected_snapshot(&corpus));
    eprintln!(
        "uninterrupted runs over {} publications: full {:.2} s, incremental {:.2} s",
        slice.len(),
        full_run.as_secs_f64(),
        incremental_run.as_secs_f64()
    );

    let (mut kills, mut before, mut after, mut finished) = (0, 0, 0, 0);
    let mut iteration = 0;
    while kills < 20 {
        iteration += 1;
        assert!(iteration <= 120, "only {kills} kills landed in 120 runs");
        // Change the corpus so that the run has something to commit: retitle one publication,
        // move another between the corpus and the shelf, change the content of a few.
        let id = &slice[rng.below(slice.len() as u64) as usize];
        if corpus.join(format!("{id}.toml")).exists() {
            retitle(&corpus, id, &format!("Revision {iteration} of {id}"));
        }
        let mover = &slice[rng.below(slice.len() as u64) as usize];
        let present = corpus.join(format!("{mover}.pdf")).exists();
        if !present || pdf_count(&corpus) > slice.len() / 2 {
            let (from, to) = if present {
                (&corpus, &shelf)
            } else {
                (&shelf, &corpus)
            };
            for ext in ["pdf", "toml"] {
                let name = format!("{mover}.{ext}");
                std::fs::rename(from.join(&name), to.join(&name)).unwrap();
            }
        }
        touch_contents(&corpus, &mut rng, 4, iteration);
        let target = expected_snapshot(&corpus);
        let is_full = iteration % 2 == 1;
        let (args, duration) = if is_full {
            (full, full_run)
        } else {
            (incremental, incremental_run)
        };
        // Half the kill moments anywhere in the run, half in its last fifth (the commit).
        let span = duration.as_micros() as u64;
        let delay = Duration::from_micros(if rng.below(2) == 0 {
            rng.below(span * 11 / 10 + 1)
        } else {
            span * 8 / 10 + rng.below(span * 3 / 10 + 1)
        });
        let mut child = index_command(&index, &corpus, args, &scratch)
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        let status = child.wait().unwrap();
        if running {
            kills += 1;
        } else {
            finished += 1;
            // The machine got faster than when the runs were timed: aim earlier from now on.
            let shorter = delay.mul_f64(0.9).max(Duration::from_millis(20));
            if is_full {
                full_run = full_run.min(shorter);
            } else {
                incremental_run = incremental_run.min(shorter);
            }
            assert!(status.success(), "an uninterrupted run failed: {status:?}");
        }
        let now = snapshot(&index);
        if now == committed && now != target {
            before += 1;
        } else {
            assert_eq!(
                now, target,
                "after a kill at {delay:?} ({args:?}) the index is neither the previous commit \
                 nor the new one"
            );
            after += 1;
            committed = now;
        }
    }
    eprintln!(
        "{kills} kills in {iteration} runs; index afterwards: {before} times the previous commit, \
         {after} times the new one; {finished} runs finished before their kill moment"
    );

    // The next run completes and the index equals a clean full build of the same corpus.
    let out = index_command(&index, &corpus, incremental, &scratch)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the run after the kills failed: {:?}\n{}",
        out.status,
        stderr_of(&out)
    );
    let recovered = snapshot(&index);
    assert_eq!(recovered, expected_snapshot(&corpus));
    let clean = dir.path().join("clean");
    let status = index_command(&clean, &corpus, full, &scratch)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(recovered, snapshot(&clean));
    let a = SearchService::open(&index).unwrap();
    let b = SearchService::open(&clean).unwrap();
    for (id, _, _) in &recovered.0 {
        assert_eq!(
            a.publication(id).unwrap().unwrap().pages,
            b.publication(id).unwrap().unwrap().pages,
            "{id}"
        );
    }
    // Same matches: totals, publications and every matching page of each. (Ranking scores
    // may differ slightly: documents replaced by earlier runs still count in the term
    // statistics of segments not yet merged, with or without kills.)
    for q in [
        "health",
        "\"community groups\"",
        "register OR vote",
        "newsletter -health",
        "title:report",
    ] {
        let (ra, rb) = (
            a.search(&SearchRequest::new(q)).unwrap(),
            b.search(&SearchRequest::new(q)).unwrap(),
        );
        assert_eq!(ra.total, rb.total, "{q}");
        let mut req = SearchRequest::new(q);
        req.per_page = 100;
        let ids = |s: &SearchService| -> BTreeSet<String> {
            s.search(&req)
                .unwrap()
                .hits
                .into_iter()
                .map(|h| h.publication.id)
                .collect()
        };
        let (ia, ib) = (ids(&a), ids(&b));
        assert_eq!(ia, ib, "{q}");
        for id in &ia {
            let pages = |s: &SearchService| -> Vec<u64> {
                s.search_publication(id, q, pubsearch_query::Mode::Strict, true)
                    .unwrap()
                    .unwrap()
                    .pages
                    .iter()
                    .map(|p| p.page)
                    .collect()
            };
            assert_eq!(pages(&a), pages(&b), "{q} in {id}");
        }
    }
    assert_eq!(a.stats().unwrap().failed.len(), 0);
    assert_eq!(a.stats().unwrap().pages, b.stats().unwrap().pages);
    eprintln!(
        "index size after recovery: {} KiB (clean build: {} KiB)",
        dir_size(&index) >> 10,
        dir_size(&clean) >> 10
    );
    // Workers answer on a pipe, so killed runs leave no files in $TMPDIR.
    let leftovers: Vec<_> = std::fs::read_dir(&scratch)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        leftovers.is_empty(),
        "killed runs left {leftovers:?} in $TMPDIR"
    );
}
