//! Accessibility and HTML validity of the pages, checked by the tools people use: axe-core run
//! inside headless Chromium at desktop and phone widths, and the W3C Nu HTML Checker (vnu).
//!
//! Both come from npm as test dependencies (`tests/browser-tools/package.json`: install with
//! `npm ci --ignore-scripts --prefix tests/browser-tools`); vnu needs a Java runtime (Debian:
//! `default-jre-headless`). Without them the tests say what to install and pass, except under
//! `CI=true`.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, ensure};
use serde_json::Value;

use super::fixture::{Fixture, Library};
use super::with_browser;
use crate::common;

/// The pages audited: the landing page, results, filtered results, no results, a publication
/// (with and without a search inside it), and an error page.
fn pages() -> Vec<(&'static str, String)> {
    let id = "2005-06-registering-with-a-gp";
    vec![
        ("landing page", "/".into()),
        ("results", "/?q=health".into()),
        (
            "filtered results",
            "/?q=health&type=report&year_from=2005&sort=date_desc".into(),
        ),
        ("no results", "/?q=zzqxjv".into()),
        ("strict syntax error", "/?q=%28water&mode=strict".into()),
        ("publication", format!("/publications/{id}")),
        (
            "search in a publication",
            format!("/publications/{id}?q=doctor"),
        ),
        ("not found", "/publications/no-such-publication".into()),
    ]
}

fn tools_dir() -> PathBuf {
    common::root().join("tests/browser-tools/node_modules")
}

/// A file of the npm test tools, or `None` after a [`common::skip`] naming the install command.
fn npm_tool(rel: &str) -> Option<PathBuf> {
    let path = tools_dir().join(rel);
    if path.is_file() {
        return Some(path);
    }
    common::skip(&format!(
        "{} is absent: run `npm ci --ignore-scripts --prefix tests/browser-tools` (Debian \
         package npm) to install the test tools",
        path.display()
    ));
    None
}

#[test]
fn axe_finds_no_violations_at_desktop_and_phone_widths() {
    let Some(axe) = npm_tool("axe-core/axe.min.js") else {
        return;
    };
    let axe = std::fs::read_to_string(&axe).expect("read axe.min.js");
    for (name, window) in [("desktop", (1280, 900)), ("phone", (390, 844))] {
        with_browser(
            &format!("axe_{name}"),
            Library::Small,
            window,
            async |s, fx| {
                let mut found = Vec::new();
                for (what, path) in pages() {
                    s.goto(&format!("{}{path}", fx.api)).await?;
                    s.js(&axe, vec![]).await.context("load axe-core")?;
                    s.js(
                        "window.__axe = null; axe.run(document, {resultTypes: ['violations']})\
                         .then(r => { window.__axe = r.violations.map(v => ({id: v.id, \
                         impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))})); })\
                         .catch(e => { window.__axe = [{id: 'axe failed', impact: String(e), nodes: []}]; });",
                        vec![],
                    )
                    .await?;
                    let violations = s
                        .wait_js(&format!("axe on {what}"), "return window.__axe;")
                        .await?;
                    for v in violations.as_array().into_iter().flatten() {
                        found.push(format!("{name} {what} ({path}): {v}"));
                    }
                }
                ensure!(
                    found.is_empty(),
                    "axe-core violations:\n{}",
                    found.join("\n")
                );
                Ok(())
            },
        );
    }
}

#[test]
fn vnu_finds_no_html_errors() {
    let Some(jar) = npm_tool("vnu-jar/build/dist/vnu.jar") else {
        return;
    };
    if !common::require_tool("java", "default-jre-headless") {
        return;
    }
    let fx = Fixture::get(Library::Small);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut files = Vec::new();
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("an HTTP client");
    for (i, (what, path)) in pages().into_iter().enumerate() {
        let body = fx
            .rt
            .block_on(async {
                http.get(format!("{}{path}", fx.api))
                    .send()
                    .await?
                    .text()
                    .await
            })
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        assert!(body.contains("<html"), "{what} ({path}) is a page: {body}");
        let file = dir.path().join(format!("{i}.html"));
        std::fs::write(&file, body).expect("write the page");
        files.push((what, path, file));
    }
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--format", "json", "--exit-zero-always"])
        .args(files.iter().map(|(_, _, f)| f))
        .output()
        .expect("run vnu");
    // vnu writes its JSON report to stderr.
    let report: Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "vnu's report is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let errors: Vec<String> = report["messages"]
        .as_array()
        .expect("vnu's messages")
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            let url = m["url"].as_str().unwrap_or_default();
            let page = files
                .iter()
                .find(|(_, _, f)| url.ends_with(&*f.file_name().unwrap().to_string_lossy()))
                .map(|(what, path, _)| format!("{what} ({path})"))
                .unwrap_or_else(|| url.to_string());
            format!(
                "{page}, line {}: {} [{}]",
                m["lastLine"],
                m["message"].as_str().unwrap_or_default(),
                m["extract"].as_str().unwrap_or_default().trim()
            )
        })
        .collect();
    assert!(
        errors.is_empty(),
        "vnu found HTML errors:\n{}",
        errors.join("\n")
    );
}
