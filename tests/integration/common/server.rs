//! The real `pubsearch serve` as a child process on a free loopback port.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use super::{bin, get_json};

/// A `pubsearch serve` child process on a free port; killed on drop.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Every line the server wrote to stderr so far.
    stderr: Arc<Mutex<Vec<String>>>,
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
        let mut seen = Vec::new();
        let base = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    let at = line
                        .split("serving on ")
                        .nth(1)
                        .map(|rest| rest.trim().trim_end_matches('/').to_string());
                    seen.push(line);
                    if let Some(base) = at {
                        break base;
                    }
                }
                _ => panic!("server exited before listening:\n{}", seen.join("\n")),
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe, keeping the lines.
        let stderr = Arc::new(Mutex::new(seen));
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap_or_else(|p| p.into_inner()).push(line);
            }
        });
        Server {
            child,
            base,
            stderr,
        }
    }

    /// GET `path` and parse JSON; returns (status, body).
    pub fn get(&self, path: &str) -> (u16, Value) {
        get_json(&format!("{}{}", self.base, path))
    }

    /// The lines the server has written to stderr so far.
    pub fn stderr_lines(&self) -> Vec<String> {
        self.stderr
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
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

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
