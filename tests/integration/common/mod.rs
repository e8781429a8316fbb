//! Helpers for the end-to-end tests: the real binary, a copy of the sample corpus, a server
//! on a real socket, the facts the corpus generator verified.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

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

/// True under CI, where a missing system tool is a failure rather than a skip.
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Skips (returns false) when `program` is missing, naming the Debian package; under CI it
/// panics instead.
pub fn require_tool(program: &str, package: &str) -> bool {
    let found = Command::new(program)
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(
            !ci(),
            "{program} is missing: install the Debian package {package}"
        );
        eprintln!(
            "SKIPPED: {program} not found; install the Debian package {package} to run this test"
        );
    }
    found
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

/// A `pubsearch serve` child process on a free port; killed on drop.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

/// `pubsearch serve` of `index` and `corpus` on a free loopback port, logging warnings to stderr.
pub fn serve_command(index: &Path, corpus: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.arg("--index")
        .arg(index)
        .arg("serve")
        .arg("--corpus")
        .arg(corpus)
        .args(["--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "warn");
    cmd
}

impl Server {
    /// Starts the real binary and waits until it says where it listens.
    pub fn start(index: &Path, corpus: &Path, extra: &[&str]) -> Server {
        Server::start_with_env(index, corpus, extra, &[])
    }

    /// GET `path` and parse JSON; returns (status, body).
    pub fn get(&self, path: &str) -> (u16, Value) {
        get_json(&format!("{}{}", self.base, path))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A blocking GET over a real socket, returning status and JSON body.
pub fn get_json(url: &str) -> (u16, Value) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let resp = reqwest::get(url).await.expect("request");
        let status = resp.status().as_u16();
        let body = resp.json::<Value>().await.unwrap_or(Value::Null);
        (status, body)
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

/// URL-encodes a query value.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl Server {
    /// Like [`Server::start`], with extra environment variables for the server process.
    pub fn start_with_env(
        index: &Path,
        corpus: &Path,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Server {
        let mut child = serve_command(index, corpus)
            .args(extra)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pubsearch serve");
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let mut seen = String::new();
        let base = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(rest) = line.split("serving on ").nth(1) {
                        break rest.trim().trim_end_matches('/').to_string();
                    }
                    seen.push_str(&line);
                    seen.push('\n');
                }
                _ => panic!("server exited before listening:\n{seen}"),
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `timeout` for the server to exit; its exit status, or `None` if it still runs.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        use wait_timeout::ChildExt;
        self.child
            .wait_timeout(timeout)
            .expect("wait for the server")
    }
}
