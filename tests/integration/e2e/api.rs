//! The search API over a real socket, against one index of the untouched sample corpus served
//! in-process: planted phrases on their pages, facet counts, query syntax, errors, details and
//! file serving.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::common::{self, enc, get_json, known, run_index};

/// One index of the untouched sample corpus, served in-process on a real socket, shared by
/// the read-only tests.
struct Shared {
    _dir: tempfile::TempDir,
    base: String,
}

pub(super) fn shared_base() -> &'static str {
    &shared().base
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        let out = run_index(&index, &common::root().join("corpus"), &[]);
        assert!(
            out.status.success(),
            "index failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let config = pubsearch_query::http::ServerConfig::new(common::root().join("corpus"));
        let state = pubsearch_query::http::AppState::open(&index, config).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                pubsearch_query::http::serve(listener, state, std::future::pending())
                    .await
                    .unwrap();
            });
        });
        let addr = rx.recv().unwrap();
        Shared {
            _dir: dir,
            base: format!("http://{addr}"),
        }
    })
}

pub(super) fn get(path: &str) -> (u16, Value) {
    get_json(&format!("{}{}", shared().base, path))
}

#[test]
fn every_planted_phrase_is_found_on_its_page() {
    let facts = known();
    for p in facts["phrases"].as_array().unwrap() {
        let phrase = p["phrase"].as_str().unwrap().trim_end_matches('.');
        let (status, body) = get(&format!("/api/search?q={}", enc(&format!("\"{phrase}\""))));
        assert_eq!(status, 200, "{body}");
        let hits = body["hits"].as_array().unwrap();
        assert_eq!(body["total"], 1, "{phrase}: {body}");
        assert_eq!(hits[0]["id"], p["id"], "{phrase}");
        let page = &hits[0]["pages"][0];
        assert_eq!(page["page"], p["page"], "{phrase}: {body}");
        assert_eq!(
            page["url"].as_str().unwrap(),
            format!(
                "/files/{}.pdf#page={}",
                p["id"].as_str().unwrap(),
                p["page"]
            ),
        );
        let word = p["word"].as_str().unwrap();
        assert!(
            page["snippet"]
                .as_str()
                .unwrap()
                .contains(&format!("<mark>{word}</mark>")),
            "{word} not highlighted: {}",
            page["snippet"]
        );
    }
}

fn counts(list: &Value) -> BTreeMap<String, u64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["value"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn facet_counts_match_an_independent_count() {
    let facts = known();
    let pubs = facts["publications"].as_array().unwrap();
    let mut types: BTreeMap<String, u64> = BTreeMap::new();
    let mut topics: BTreeMap<String, u64> = BTreeMap::new();
    let mut years: BTreeMap<String, u64> = BTreeMap::new();
    for p in pubs {
        *types
            .entry(p["type"].as_str().unwrap_or("other").to_string())
            .or_default() += 1;
        for t in p["topics"].as_array().unwrap() {
            *topics.entry(t.as_str().unwrap().to_string()).or_default() += 1;
        }
        if let Some(d) = p["date"].as_str() {
            *years.entry(d[..4].to_string()).or_default() += 1;
        }
    }
    let (status, body) = get("/api/search?q=&per_page=100");
    assert_eq!(status, 200);
    assert_eq!(body["total"].as_u64().unwrap() as usize, pubs.len());
    assert_eq!(counts(&body["facets"]["type"]), types);
    assert_eq!(counts(&body["facets"]["topic"]), topics);
    // The one PDF without a sidecar is dated by its file name and title (`2011-03`, "Spring
    // 2011"), not by its Info CreationDate (the day it was exported, years later).
    let no_sidecar: Vec<&Value> = pubs.iter().filter(|p| p["date"].is_null()).collect();
    assert_eq!(no_sidecar.len(), 1);
    assert_eq!(no_sidecar[0]["id"], "2011-03-newsletter-spring-2011");
    *years.entry("2011".into()).or_default() += 1;
    assert_eq!(counts(&body["facets"]["year"]), years);
    let (_, newsletter) = get("/api/publications/2011-03-newsletter-spring-2011");
    assert_eq!(newsletter["date"], "2011-03-01", "{newsletter}");
    let (_, newest) = get("/api/search?q=&sort=date_desc&per_page=1");
    assert_eq!(newest["hits"][0]["id"], "2026-01-newsletter-winter-2026");
    // Every publication of the sample has a date, so none is listed as undated.
    let (_, stats) = get("/api/stats");
    assert_eq!(stats["undated"], serde_json::json!([]), "{stats}");

    // With a type filter: hits and topic counts follow it, the type facet does not.
    let (_, filtered) = get("/api/search?q=&type=report&per_page=100");
    let reports: Vec<&Value> = pubs.iter().filter(|p| p["type"] == "report").collect();
    assert_eq!(filtered["total"].as_u64().unwrap() as usize, reports.len());
    assert_eq!(counts(&filtered["facets"]["type"]), types);
    let mut report_topics: BTreeMap<String, u64> = BTreeMap::new();
    for p in &reports {
        for t in p["topics"].as_array().unwrap() {
            *report_topics
                .entry(t.as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    assert_eq!(counts(&filtered["facets"]["topic"]), report_topics);

    // Two types OR together; a topic ANDs with them; a year range narrows further.
    let (_, two) = get("/api/search?q=&type=report&type=guide&per_page=100");
    let n_two = pubs
        .iter()
        .filter(|p| p["type"] == "report" || p["type"] == "guide")
        .count();
    assert_eq!(two["total"].as_u64().unwrap() as usize, n_two);
    let (_, ranged) = get("/api/search?q=&type=report&year_from=2009&year_to=2015&per_page=100");
    let n_ranged = reports
        .iter()
        .filter(|p| {
            (2009..=2015).contains(&p["date"].as_str().unwrap()[..4].parse::<i32>().unwrap())
        })
        .count();
    assert_eq!(ranged["total"].as_u64().unwrap() as usize, n_ranged);
}

#[test]
fn query_syntax_works_end_to_end() {
    // Stemming and accent folding: "migrants" finds "migrant", "cafe" finds "café".
    let (_, a) = get("/api/search?q=migrants");
    let (_, b) = get("/api/search?q=migrant");
    assert_eq!(a["total"], b["total"]);
    assert!(a["total"].as_u64().unwrap() > 0);
    // Exclusion removes publications.
    let (_, with) = get("/api/search?q=health");
    let (_, without) = get("/api/search?q=health%20-newsletter");
    assert!(without["total"].as_u64().unwrap() < with["total"].as_u64().unwrap());
    // A title: query only matches titles.
    let (_, t) = get("/api/search?q=title:moroccan");
    assert_eq!(t["total"], 1);
    assert_eq!(t["hits"][0]["id"], "2010-03-moroccan-memories-in-britain");
    // OR widens.
    let (_, or) = get(&format!(
        "/api/search?q={}",
        enc("Kettleborough OR Penhallowick")
    ));
    assert_eq!(or["total"], 2);
    // Ligatures in the PDF text are folded: "financial" matches "ﬁnancial".
    let facts = known();
    let lig = facts["ligature_words"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    let plain: String = lig.replace('\u{FB01}', "fi").replace('\u{FB02}', "fl");
    let (_, l) = get(&format!("/api/search?q={}&per_page=50", enc(&plain)));
    assert!(
        l["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["id"] == "2006-01-losing-out-twice"),
        "{plain}: {l}"
    );
    // Website mode: a typo and a half-typed last word still find the phrase's publication.
    let (_, w) = get("/api/search?q=Kettleborugh%20clin&mode=website");
    assert_eq!(w["hits"][0]["id"], "2006-01-losing-out-twice", "{w}");
    // Sorting by date.
    let (_, d) = get("/api/search?q=&sort=date_asc&per_page=3");
    assert_eq!(d["hits"][0]["id"], "2004-01-what-is-british");
}

#[test]
fn bad_requests_get_json_errors() {
    let (status, body) = get("/api/search?q=title:(water");
    assert_eq!(status, 400);
    assert_eq!(body["code"], "invalid_query");
    assert!(
        body["message"].as_str().unwrap().contains("position"),
        "{body}"
    );
    let (status, body) = get("/api/search?q=water&per_page=1000");
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_parameter"))
    );
    let (status, body) = get("/api/search?q=water&page=abc");
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_parameter"))
    );
    let (status, body) = get(&format!("/api/search?q={}", "a%20".repeat(1200)));
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_query"))
    );
    // Website mode never fails on syntax.
    let (status, _) = get("/api/search?q=title:(water&mode=website");
    assert_eq!(status, 200);
    let (status, body) = get("/api/publications/no-such-id");
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    let (status, body) = get("/nowhere");
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    let (status, _) = get("/healthz");
    assert_eq!(status, 200);
}

#[test]
fn publication_details_and_in_publication_search() {
    let (status, p) = get("/api/publications/2013-10-living-on-nothing");
    assert_eq!(status, 200);
    let facts = known();
    let fact = facts["publications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "2013-10-living-on-nothing")
        .unwrap();
    assert_eq!(p["page_count"], fact["pages"]);
    assert_eq!(
        p["pages"].as_array().unwrap().len() as u64,
        fact["pages"].as_u64().unwrap()
    );
    assert_eq!(p["pages"][0]["status"], "ok");
    assert_eq!(p["title"], fact["title"]);
    // Both planted phrases of this report, in page order.
    let (_, s) = get(&format!(
        "/api/publications/2013-10-living-on-nothing/search?q={}&order=page",
        enc("Skellowmarsh OR Lindqvarn")
    ));
    let pages: Vec<u64> = s["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["page"].as_u64().unwrap())
        .collect();
    assert_eq!(pages, vec![18, 40]);
    let (_, stats) = get("/api/stats");
    assert_eq!(stats["publications"], facts["totals"]["publications"]);
    assert_eq!(stats["pages"], facts["totals"]["pages"]);
}

/// Among pages with both words, the page where they stand together comes first: in "What is
/// British?", page 3 has "feeling. Football" and page 4 has both words far apart (plain BM25
/// ranks page 4 first, on its second "football").
#[test]
fn pages_with_the_words_together_come_first() {
    let page_numbers = |pages: &Value| -> Vec<u64> {
        pages
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["page"].as_u64().unwrap())
            .collect()
    };
    let (status, s) = get("/api/publications/2004-01-what-is-british/search?q=feeling%20football");
    assert_eq!(status, 200, "{s}");
    let pages = page_numbers(&s["pages"]);
    assert_eq!(pages.first(), Some(&3), "{pages:?}");
    assert!(pages.contains(&4), "{pages:?}");
    let (_, r) = get("/api/search?q=feeling%20football");
    let hit = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "2004-01-what-is-british")
        .expect("the publication is a hit");
    let pages = page_numbers(&hit["pages"]);
    assert_eq!(pages.first(), Some(&3), "{pages:?}");
    assert!(pages.contains(&4), "{pages:?}");
}

#[test]
fn files_are_served_by_id_and_nothing_else_is() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let base = shared().base.clone();
    rt.block_on(async move {
        let client = reqwest::Client::new();
        let resp = client
            .get(format!("{base}/files/2009-11-newsletter-november-2009.pdf"))
            .header("Range", "bytes=0-4")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 206);
        assert_eq!(resp.headers()["content-type"], "application/pdf");
        assert!(
            resp.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("inline")
        );
        assert_eq!(&resp.bytes().await.unwrap()[..], b"%PDF-");
        for path in [
            "/files/..%2F..%2FCargo.toml",
            "/files/..%2FCargo.toml.pdf",
            "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd.pdf",
            "/files/%252e%252e%252fCargo.toml.pdf",
            "/files/..%5C..%5CCargo.toml.pdf",
            "/files/%2Fetc%2Fpasswd.pdf",
            "/files/README.md",
            "/files/../Cargo.toml",
            "/files/generate%2Fmake_corpus.py.pdf",
        ] {
            let resp = client.get(format!("{base}{path}")).send().await.unwrap();
            let status = resp.status().as_u16();
            let body = resp.text().await.unwrap();
            assert!(status == 404 || status == 400, "{path}: {status}");
            assert!(
                !body.contains("[package]") && !body.contains("root:"),
                "{path} leaked: {body}"
            );
        }
    });
}
