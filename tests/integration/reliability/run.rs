//! Running the binary with a bound, copying sample publications, searching an index.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use pubsearch_query::{SearchRequest, SearchService};
use wait_timeout::ChildExt;

use crate::common::{bin, root};

/// Runs `pubsearch ARGS...` with a wall-clock bound; panics if it takes longer.
fn run_bounded(args: &[&std::ffi::OsStr], limit: Duration) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start pubsearch");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stdout.read_to_end(&mut b);
        b
    });
    let err_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stderr.read_to_end(&mut b);
        b
    });
    let status = match child.wait_timeout(limit).unwrap() {
        Some(s) => s,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "pubsearch {:?} still running after {limit:?}; stderr:\n{}",
                args,
                String::from_utf8_lossy(&err_t.join().unwrap())
            );
        }
    };
    Output {
        status,
        stdout: out_t.join().unwrap(),
        stderr: err_t.join().unwrap(),
    }
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

/// `pubsearch --index INDEX index --corpus CORPUS EXTRA...`, bounded like [`run_bounded`].
pub fn index_bounded(index: &Path, corpus: &Path, extra: &[&str], limit: Duration) -> Output {
    let mut args = vec![
        os("--index"),
        index.as_os_str(),
        os("index"),
        os("--corpus"),
        corpus.as_os_str(),
    ];
    args.extend(extra.iter().map(|a| os(a)));
    run_bounded(&args, limit)
}

/// `pubsearch --index INDEX search Q`, bounded like [`run_bounded`].
pub fn search_bounded(index: &Path, q: &str, limit: Duration) -> Output {
    run_bounded(
        &[os("--index"), index.as_os_str(), os("search"), os(q)],
        limit,
    )
}

/// Copies the named publications (PDF and sidecar, if any) of `corpus/` into `dst`.
pub fn copy_slice(dst: &Path, ids: &[&str]) {
    std::fs::create_dir_all(dst).unwrap();
    for id in ids {
        for ext in ["pdf", "toml"] {
            let src = root().join("corpus").join(format!("{id}.{ext}"));
            if src.exists() {
                std::fs::copy(&src, dst.join(format!("{id}.{ext}"))).unwrap();
            }
        }
    }
}

/// The ids of the first 100 hits of strict search `q`.
pub fn search_ids(service: &SearchService, q: &str) -> Vec<String> {
    let mut req = SearchRequest::new(q);
    req.per_page = 100;
    service
        .search(&req)
        .unwrap_or_else(|e| panic!("search {q:?}: {e}"))
        .hits
        .into_iter()
        .map(|h| h.publication.id)
        .collect()
}
