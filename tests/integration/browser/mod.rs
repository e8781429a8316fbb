//! End-to-end tests of the search page and the widget in a real browser: Debian's headless
//! Chromium driven through chromedriver (W3C WebDriver).
//!
//! Needs the packages `chromium` and `chromium-driver` (`CHROME` and `CHROMEDRIVER` may point
//! elsewhere). Without them each test prints how to install them and passes, except under
//! `CI=true`, where that is a failure.
//!
//! The screenshots in `docs/screenshots/` are made by an ignored test:
//! `cargo test --test integration -- --ignored screenshots`.

mod audit;
mod fixture;
mod keyboard;
mod screenshots;
mod search_page;
mod webdriver;
mod widget;

use std::sync::Mutex;

use anyhow::{Result, anyhow};
use serde_json::Value;

use crate::common;
use fixture::{Fixture, Library};
use webdriver::{Driver, Session, Tools};

/// One browser at a time: the machine is small and timings stay predictable.
static BROWSER: Mutex<()> = Mutex::new(());

/// The browser tools, or `None` (after a [`common::skip`]) when they are not installed.
fn tools() -> Option<Tools> {
    let tools = Tools::find();
    if tools.is_none() {
        common::skip(
            "chromium and chromedriver were not found: install the Debian packages \
             `chromium chromium-driver` (apt-get install chromium chromium-driver), or set \
             CHROME and CHROMEDRIVER",
        );
    }
    tools
}

/// Runs `body` with a fresh browser against the `library` fixture; the browser and its
/// driver are closed whatever happens.
fn with_browser(
    name: &str,
    library: Library,
    window: (u32, u32),
    body: impl AsyncFnOnce(&Session, &Fixture) -> Result<()>,
) {
    let Some(tools) = tools() else {
        return;
    };
    let _one_at_a_time = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    let fx = Fixture::get(library);
    let result = fx.rt.block_on(async {
        let driver = Driver::start(&tools)?;
        let session = driver.session(&tools, window).await?;
        let result = body(&session, fx).await;
        if result.is_err() {
            let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join("browser-failures")
                .join(format!("{name}.png"));
            if session.save_screenshot(&shot).await.is_ok() {
                eprintln!("screenshot of the failure: {}", shot.display());
            }
        }
        let _ = session.close().await;
        drop(driver);
        result
    });
    if let Err(e) = result {
        panic!("{name}: {e:#}");
    }
}

/// The planted phrase for publication `id`: (word, page).
fn planted(fx: &Fixture, id: &str) -> Result<(String, u64)> {
    let p = fx.known["phrases"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["id"] == id)
        .ok_or_else(|| anyhow!("no planted phrase for {id}"))?;
    Ok((
        p["word"].as_str().unwrap_or_default().to_string(),
        p["page"].as_u64().unwrap_or_default(),
    ))
}

fn js_string(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}
