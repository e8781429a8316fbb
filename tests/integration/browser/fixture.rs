//! The library the browser tests search, and the servers around it.
//!
//! A corpus is assembled from `corpus/` under Cargo's per-target temporary directory (a
//! subset of small PDFs for the tests, everything for the screenshots) plus one publication
//! whose title and summary are HTML, and indexed in-process. The index is kept between runs
//! and brought up to date incrementally, so only the first run pays for extraction.
//!
//! Three servers run on loopback: the API and search page, and two static "charity website"
//! pages on other ports embedding the widget: one whose origin is in the API's CORS list and
//! one whose origin is not.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result};
use serde_json::Value;

use crate::common::toml_string;

/// The hostile publication's id.
pub const HOSTILE_ID: &str = "hostile-title";
/// Its title, which must show as text.
pub const HOSTILE_TITLE: &str = "<script>alert(1)</script> & \"quotes\"";
/// Its summary, an element with an inline handler.
pub const HOSTILE_SUMMARY: &str =
    "<img src=x onerror=\"alert(2)\"> A copy of a briefing, with markup in its metadata.";

/// Which publications are in the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Library {
    /// Ten small publications and the hostile one: quick to index.
    Small,
    /// The whole sample corpus, for screenshots.
    Full,
}

/// Publications of [`Library::Small`] (stems of files in `corpus/`).
pub const SMALL: &[&str] = &[
    "2005-06-registering-with-a-gp",
    "2009-07-mrcf-newsletter-july-2009",
    "2009-11-newsletter-november-2009",
    "2011-03-newsletter-spring-2011",
    "2012-09-working-with-interpreters",
    "2017-07-newsletter-summer-2017",
    "2018-05-hostile-environment-briefing",
    "2019-11-know-your-rights-domestic-workers",
    "2024-05-your-vote-counts",
    "2026-01-newsletter-winter-2026",
];

/// A running library.
pub struct Fixture {
    /// Runs the servers and the tests' async code.
    pub rt: tokio::runtime::Runtime,
    /// `http://127.0.0.1:port` of the API and search page.
    pub api: String,
    /// A page on another origin, allowed by CORS, embedding the widget.
    pub widget_page: String,
    /// A page on an origin the API does not allow, embedding the widget.
    pub foreign_page: String,
    /// `tests/data/known_phrases.json`.
    pub known: Value,
}

impl Fixture {
    /// The shared fixture for `library`, built on first use.
    pub fn get(library: Library) -> &'static Fixture {
        static SMALL_FX: OnceLock<Fixture> = OnceLock::new();
        static FULL_FX: OnceLock<Fixture> = OnceLock::new();
        let cell = match library {
            Library::Small => &SMALL_FX,
            Library::Full => &FULL_FX,
        };
        cell.get_or_init(|| {
            Fixture::start(library).unwrap_or_else(|e| panic!("fixture failed: {e:#}"))
        })
    }

    /// Title of a publication, from `known_phrases.json`.
    pub fn title(&self, id: &str) -> String {
        self.known["publications"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["id"] == id)
            .and_then(|p| p["title"].as_str())
            .unwrap_or_default()
            .to_string()
    }

    fn start(library: Library) -> Result<Fixture> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let known: Value = serde_json::from_str(&std::fs::read_to_string(
            root.join("tests/data/known_phrases.json"),
        )?)?;
        let name = match library {
            Library::Small => "browser-small",
            Library::Full => "browser-full",
        };
        let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        let corpus = work.join("corpus");
        let index = work.join("index");
        assemble(&root.join("corpus"), &corpus, library)?;
        let config = pubsearch_indexer::IndexerConfig::new(&corpus, &index);
        if let Err(first) = pubsearch_indexer::reindex(&config, &pubsearch_indexer::run::NoProgress)
        {
            // A damaged index from an interrupted run: start it again.
            eprintln!("rebuilding the test index after: {first}");
            std::fs::remove_dir_all(&index).ok();
            pubsearch_indexer::reindex(&config, &pubsearch_indexer::run::NoProgress)
                .context("indexing the test corpus")?;
        }

        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let (api, widget_page, foreign_page) = rt.block_on(async {
            let api_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let widget_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let foreign_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let api_addr = api_listener.local_addr()?;
            let widget_addr = widget_listener.local_addr()?;
            let foreign_addr = foreign_listener.local_addr()?;
            let api = format!("http://{api_addr}");
            let mut server = pubsearch_query::http::ServerConfig::new(&corpus);
            server.cors_origins = vec![format!("http://{widget_addr}")];
            let state = pubsearch_query::http::AppState::open(&index, server)?;
            tokio::spawn(pubsearch_query::http::serve(
                api_listener,
                state,
                std::future::pending(),
            ));
            tokio::spawn(static_site(widget_listener, host_page(&api)));
            tokio::spawn(static_site(foreign_listener, host_page(&api)));
            Ok::<_, anyhow::Error>((api, origin_url(widget_addr), origin_url(foreign_addr)))
        })?;
        Ok(Fixture {
            rt,
            api,
            widget_page,
            foreign_page,
            known,
        })
    }
}

fn origin_url(addr: SocketAddr) -> String {
    format!("http://{addr}/")
}

/// Copies the chosen PDFs and sidecars (only when missing or changed, so the index stays
/// valid) and writes the hostile publication.
fn assemble(from: &Path, to: &Path, library: Library) -> Result<()> {
    std::fs::create_dir_all(to)?;
    let mut wanted: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let chosen = match library {
            Library::Small => SMALL.contains(&stem),
            Library::Full => true,
        };
        if chosen && (ext == "pdf" || ext == "toml") {
            wanted.push(path);
        }
    }
    for src in &wanted {
        let Some(name) = src.file_name() else {
            continue;
        };
        copy_if_changed(src, &to.join(name))?;
    }
    if library == Library::Small {
        // A copy of a briefing; the indexer skips identical files, so make it differ.
        let mut pdf = std::fs::read(from.join("2024-05-your-vote-counts.pdf"))?;
        pdf.extend_from_slice(b"\n% a copy with hostile metadata, for the browser tests\n");
        write_if_changed(&to.join("zz-hostile-title.pdf"), &pdf)?;
        let sidecar = format!(
            "id = \"{HOSTILE_ID}\"\ntitle = {}\ndate = \"2020-02-02\"\ntype = \"briefing\"\n\
             topics = [\"citizenship\"]\nsummary = {}\nlanguage = \"en\"\n",
            toml_string(HOSTILE_TITLE),
            toml_string(HOSTILE_SUMMARY),
        );
        write_if_changed(&to.join("zz-hostile-title.toml"), sidecar.as_bytes())?;
    }
    Ok(())
}

fn copy_if_changed(src: &Path, dst: &Path) -> Result<()> {
    let bytes = std::fs::read(src).with_context(|| format!("reading {}", src.display()))?;
    write_if_changed(dst, &bytes)
}

fn write_if_changed(dst: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(dst).ok().as_deref() != Some(bytes) {
        std::fs::write(dst, bytes).with_context(|| format!("writing {}", dst.display()))?;
    }
    Ok(())
}

/// A stand-in for the charity's own website, embedding the widget from the API's origin.
fn host_page(api: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Our publications – Migrant and Refugee Communities Forum</title>
<link rel="stylesheet" href="/site.css"></head>
<body>
<header><p class="logo">Migrant and Refugee Communities Forum</p></header>
<main>
<h1>Our publications</h1>
<p>Twenty years of reports, newsletters and guides. Search them all:</p>
<div id="library-search"></div>
<p>Other content of the charity's page goes on below the search box.</p>
</main>
<script src="{api}/widget.js" data-target="{target}" async></script>
</body>
</html>
"#,
        target = "#library-search"
    )
}

const SITE_CSS: &str = "body{font-family:Georgia,serif;margin:0;background:#fbfaf7;color:#222}\
header{background:#7a1f3d;color:#fff;padding:1rem 2rem}.logo{margin:0;font-weight:bold}\
main{max-width:40rem;padding:1rem 2rem}";

async fn static_site(listener: tokio::net::TcpListener, page: String) {
    use axum::response::Html;
    use axum::routing::get;
    let app = axum::Router::new()
        .route("/", get(move || async move { Html(page) }))
        .route(
            "/site.css",
            get(|| async { ([("content-type", "text/css")], SITE_CSS) }),
        );
    let _ = axum::serve(listener, app).await;
}
