//! A minimal W3C WebDriver client over `reqwest`, enough to drive headless Chromium through
//! chromedriver: sessions, navigation, elements, keys, scripts, screenshots.
//!
//! Waiting is always a poll of a condition against a deadline ([`Session::wait_js`]), never a
//! fixed sleep.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

/// How long a condition is waited for.
pub const WAIT: Duration = Duration::from_secs(15);
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// WebDriver key codes.
pub mod keys {
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const SPACE: &str = "\u{E00D}";
    pub const ARROW_DOWN: &str = "\u{E015}";
}

/// The browser and driver binaries.
#[derive(Clone, Debug)]
pub struct Tools {
    pub chromedriver: PathBuf,
    pub chrome: PathBuf,
}

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

impl Tools {
    /// Finds chromedriver and Chromium (`CHROMEDRIVER` / `CHROME` override the search).
    pub fn find() -> Option<Tools> {
        let from_env = |var: &str| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .filter(|p| p.is_file())
        };
        Some(Tools {
            chromedriver: from_env("CHROMEDRIVER").or_else(|| on_path(&["chromedriver"]))?,
            chrome: from_env("CHROME").or_else(|| {
                on_path(&["chromium", "chromium-browser", "google-chrome", "chrome"])
            })?,
        })
    }
}

/// A running chromedriver, in its own process group, killed with its browsers on drop.
pub struct Driver {
    child: Child,
    url: String,
    http: reqwest::Client,
}

impl Driver {
    /// Starts chromedriver on a free port (it picks one and says which).
    pub fn start(tools: &Tools) -> Result<Driver> {
        use std::os::unix::process::CommandExt;
        let mut child = Command::new(&tools.chromedriver)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {}", tools.chromedriver.display()))?;
        let stdout = child.stdout.take().context("chromedriver stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
                if let Some(rest) = line.split("started successfully on port ").nth(1) {
                    let port: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                    let _ = tx.send(port);
                }
            }
        });
        let port = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(p) => p,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                bail!("chromedriver did not report its port within 20 s");
            }
        };
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()?;
        Ok(Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            http,
        })
    }

    /// Opens a headless Chromium with a fresh profile.
    pub async fn session(&self, tools: &Tools, window: (u32, u32)) -> Result<Session> {
        let profile = tempfile::Builder::new()
            .prefix("pubsearch-chrome-")
            .tempdir()?;
        let args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--no-first-run".into(),
            "--no-default-browser-check".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-extensions".into(),
            "--hide-scrollbars".into(),
            "--force-device-scale-factor=1".into(),
            format!("--window-size={},{}", window.0, window.1),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "unhandledPromptBehavior": "ignore",
            "goog:chromeOptions": {"binary": tools.chrome, "args": args},
        }}});
        let value = send(
            &self.http,
            reqwest::Method::POST,
            &format!("{}/session", self.url),
            Some(caps),
        )
        .await
        .context("creating a browser session")?;
        let id = value["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow!("no session id in {value}"))?;
        Ok(Session {
            http: self.http.clone(),
            base: format!("{}/session/{id}", self.url),
            _profile: profile,
        })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: chromedriver and the browsers it started.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn send(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> Result<Value> {
    let mut req = http.request(method.clone(), url);
    if let Some(b) = body {
        req = req.json(&b);
    } else if method == reqwest::Method::POST {
        req = req.json(&json!({}));
    }
    let response = req
        .send()
        .await
        .with_context(|| format!("{method} {url}"))?;
    let status = response.status();
    let v: Value = response
        .json()
        .await
        .with_context(|| format!("{method} {url}: body"))?;
    if !status.is_success() {
        bail!(
            "{method} {url}: {} ({})",
            v["value"]["error"].as_str().unwrap_or("error"),
            v["value"]["message"]
                .as_str()
                .unwrap_or("")
                .lines()
                .next()
                .unwrap_or("")
        );
    }
    Ok(v["value"].clone())
}

/// An element reference.
#[derive(Clone, Debug)]
pub struct Element(String);

/// One browser window.
pub struct Session {
    http: reqwest::Client,
    base: String,
    _profile: tempfile::TempDir,
}

impl Session {
    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value> {
        send(&self.http, method, &format!("{}{path}", self.base), body).await
    }

    /// Ends the session and closes the browser.
    pub async fn close(&self) -> Result<()> {
        self.cmd(reqwest::Method::DELETE, "", None)
            .await
            .map(|_| ())
    }

    /// Loads `url` and waits for it to load.
    pub async fn goto(&self, url: &str) -> Result<()> {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await
            .map(|_| ())
    }

    /// The current URL.
    pub async fn url(&self) -> Result<String> {
        let v = self.cmd(reqwest::Method::GET, "/url", None).await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// The first element matching `css`.
    pub async fn find(&self, css: &str) -> Result<Element> {
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await
            .with_context(|| format!("finding `{css}`"))?;
        v[ELEMENT_KEY]
            .as_str()
            .map(|s| Element(s.to_string()))
            .ok_or_else(|| anyhow!("no element reference for `{css}`"))
    }

    /// The element that has the focus.
    pub async fn active(&self) -> Result<Element> {
        let v = self
            .cmd(reqwest::Method::GET, "/element/active", None)
            .await?;
        v[ELEMENT_KEY]
            .as_str()
            .map(|s| Element(s.to_string()))
            .ok_or_else(|| anyhow!("no active element"))
    }

    /// Clicks an element.
    pub async fn click(&self, e: &Element) -> Result<()> {
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{}/click", e.0),
            None,
        )
        .await
        .map(|_| ())
    }

    /// Types into an element.
    pub async fn type_into(&self, e: &Element, text: &str) -> Result<()> {
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{}/value", e.0),
            Some(json!({ "text": text })),
        )
        .await
        .map(|_| ())
    }

    /// Presses and releases `key` (a [`keys`] code or a character) on the focused element.
    pub async fn press(&self, key: &str) -> Result<()> {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]});
        self.cmd(reqwest::Method::POST, "/actions", Some(actions))
            .await?;
        Ok(())
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its result.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    /// Polls `script` until it returns something other than `null`, `false`, `""` or `0`,
    /// and returns that; fails with `what` after [`WAIT`]. Errors while the page changes
    /// count as "not yet".
    pub async fn wait_js(&self, what: &str, script: &str) -> Result<Value> {
        let deadline = Instant::now() + WAIT;
        let mut last_error = None;
        loop {
            match self.js(script, vec![]).await {
                Ok(v) if truthy(&v) => return Ok(v),
                Ok(_) => {}
                Err(e) => last_error = Some(e),
            }
            if Instant::now() > deadline {
                let url = self.url().await.unwrap_or_default();
                match last_error {
                    Some(e) => bail!("timed out waiting for {what} on {url} (last error: {e:#})"),
                    None => bail!("timed out waiting for {what} on {url}"),
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text of an open alert, or `None` when there is none.
    pub async fn alert_text(&self) -> Option<String> {
        self.cmd(reqwest::Method::GET, "/alert/text", None)
            .await
            .ok()
            .map(|v| v.as_str().unwrap_or_default().to_string())
    }

    /// A PNG of the viewport.
    pub async fn screenshot(&self) -> Result<Vec<u8>> {
        let v = self.cmd(reqwest::Method::GET, "/screenshot", None).await?;
        base64_decode(v.as_str().unwrap_or_default())
    }

    /// Saves a PNG of the viewport to `path`.
    pub async fn save_screenshot(&self, path: &Path) -> Result<()> {
        let png = self.screenshot().await?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

fn base64_decode(s: &str) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\n' | b'\r' => continue,
            _ => bail!("bad base64"),
        };
        acc = ((acc << 6) | u32::from(v)) & 0xFFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Ok(out)
}
