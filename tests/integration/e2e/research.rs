//! The researchers' toolkit over a real socket on the sample corpus: citations parsed by real
//! parsers (biblatex for BibTeX, serde_json for CSL-JSON, a strict RIS reader), the result-set
//! export, similar publications, proximity on pages, exact dates, and the Atom feed read by
//! feed-rs as a feed reader would.

use std::collections::BTreeMap;

use serde_json::Value;

use super::api::{get, shared_base};
use crate::common::{enc, get_with_headers};

const REPORT: &str = "2006-01-losing-out-twice";
const REPORT_TITLE: &str =
    "Losing out Twice? Skill Wastage of Overseas Health Professionals in the UK";

fn fetch(path: &str) -> (u16, std::collections::BTreeMap<String, String>, String) {
    get_with_headers(&format!("{}{path}", shared_base()))
}

#[test]
fn a_publication_cites_in_three_formats_that_real_parsers_read() {
    // BibTeX, read by biblatex.
    let (status, headers, body) = fetch(&format!("/api/publications/{REPORT}/cite?format=bibtex"));
    assert_eq!(status, 200, "{body}");
    assert!(headers["content-type"].starts_with("application/x-bibtex"));
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"{REPORT}.bib\"")
    );
    let bib = biblatex::Bibliography::parse(&body).expect("BibTeX parses");
    let entry = bib.get(REPORT).expect("keyed by the id");
    assert_eq!(entry.entry_type, biblatex::EntryType::TechReport);
    let title: String = entry.title().unwrap().iter().map(|c| c.v.get()).collect();
    assert_eq!(title, REPORT_TITLE);
    let url = entry.url().unwrap();
    assert!(url.ends_with(&format!("/files/{REPORT}.pdf")), "{url}");
    // The corporate author is one name, not "Migrant" and "Refugee Communities Forum".
    assert!(
        body.contains("{{Migrant and Refugee Communities Forum}}"),
        "{body}"
    );

    // CSL-JSON, with a pinpoint page.
    let (status, headers, body) = fetch(&format!(
        "/api/publications/{REPORT}/cite?format=csl-json&page=3"
    ));
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        headers["content-type"],
        "application/vnd.citationstyles.csl+json"
    );
    let csl: Value = serde_json::from_str(&body).unwrap();
    let item = &csl.as_array().unwrap()[0];
    assert_eq!(item["type"], "report");
    assert_eq!(item["title"], REPORT_TITLE);
    assert_eq!(
        item["author"][0]["literal"],
        "Migrant and Refugee Communities Forum"
    );
    assert_eq!(
        item["issued"]["date-parts"][0],
        serde_json::json!([2006, 1, 7])
    );
    assert_eq!(item["page"], "3");
    assert!(item["URL"].as_str().unwrap().ends_with("#page=3"), "{item}");

    // RIS: tagged lines, CRLF, TY first and ER last.
    let (status, headers, body) = fetch(&format!("/api/publications/{REPORT}/cite?format=ris"));
    assert_eq!(status, 200, "{body}");
    assert!(headers["content-type"].starts_with("application/x-research-info-systems"));
    let lines: Vec<&str> = body.trim_end().split("\r\n").collect();
    assert_eq!(lines.first(), Some(&"TY  - RPRT"), "{body}");
    assert!(lines.last().unwrap().starts_with("ER  -"), "{body}");
    for l in &lines {
        assert!(
            l.len() >= 5
                && l.as_bytes()[2..5] == *b"  -"
                && l[..2].chars().all(|c| c.is_ascii_alphanumeric()),
            "not a RIS line: {l:?}"
        );
    }
    assert!(
        lines.contains(&format!("TI  - {REPORT_TITLE}").as_str()),
        "{body}"
    );
    assert!(lines.contains(&"PY  - 2006"), "{body}");

    // Errors in the user's terms.
    let (status, _, body) = fetch(&format!("/api/publications/{REPORT}/cite?format=mla"));
    assert_eq!(status, 400);
    assert!(body.contains("csl-json, bibtex or ris"), "{body}");
    let (status, _, body) = fetch(&format!("/api/publications/{REPORT}/cite?page=9999"));
    assert_eq!(status, 400);
    assert!(body.contains("past the end"), "{body}");
    let (status, _, _) = fetch("/api/publications/no-such-thing/cite");
    assert_eq!(status, 404);
}

#[test]
fn a_result_set_exports_as_one_bibliography_in_the_search_order() {
    let (_, search) = get("/api/search?q=health&sort=date_desc&per_page=100");
    let want: Vec<String> = search["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    assert!(want.len() >= 3, "{search}");
    let (status, headers, body) =
        fetch("/api/search/export?q=health&sort=date_desc&page=3&format=bibtex");
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"publications.bib\""
    );
    let bib = biblatex::Bibliography::parse(&body).expect("BibTeX parses");
    let got: Vec<String> = bib.iter().map(|e| e.key.clone()).collect();
    assert_eq!(got, want, "every result, in order, whatever the page");
    let (_, _, body) = fetch("/api/search/export?q=health&type=guide&format=csl-json");
    let csl: Value = serde_json::from_str(&body).unwrap();
    assert!(!csl.as_array().unwrap().is_empty());
    for item in csl.as_array().unwrap() {
        assert_eq!(item["type"], "pamphlet", "guides are pamphlets: {item}");
    }
}

#[test]
fn similar_publications_share_a_topic_more_often_than_chance() {
    // Every publication of the corpus with topics, as its sidecar gives them.
    let (_, all) = get("/api/search?q=&per_page=100");
    let topics: BTreeMap<String, Vec<String>> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| !h["topics"].as_array().unwrap().is_empty())
        .map(|h| {
            let t = h["topics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string());
            (h["id"].as_str().unwrap().to_string(), t.collect())
        })
        .collect();
    assert!(topics.len() >= 10, "{all}");
    let share = |a: &str, b: &str| match (topics.get(a), topics.get(b)) {
        (Some(x), Some(y)) => x.iter().any(|t| y.contains(t)),
        _ => false,
    };
    // How often two publications share a topic at all: the rate by chance.
    let ids: Vec<&String> = topics.keys().collect();
    let pairs = ids.len() * (ids.len() - 1);
    let by_chance = ids
        .iter()
        .flat_map(|a| {
            ids.iter()
                .filter(move |b| a != *b)
                .map(move |b| share(a, b))
        })
        .filter(|s| *s)
        .count() as f64
        / pairs as f64;
    let mut nearest_shares = 0;
    for id in &ids {
        let (status, body) = get(&format!("/api/publications/{id}/similar?limit=3"));
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["id"], id.as_str());
        let similar = body["similar"].as_array().unwrap();
        assert_eq!(similar.len(), 3, "{body}");
        assert!(
            similar.iter().all(|s| s["id"] != id.as_str()),
            "not itself: {body}"
        );
        let scores: Vec<f64> = similar
            .iter()
            .map(|s| s["score"].as_f64().unwrap())
            .collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "most similar first: {scores:?}"
        );
        if share(id, similar[0]["id"].as_str().unwrap()) {
            nearest_shares += 1;
        }
    }
    let rate = nearest_shares as f64 / ids.len() as f64;
    assert!(
        rate >= 0.75 && rate >= by_chance + 0.15,
        "the nearest neighbour shares a topic for {rate:.2} of publications, by chance {by_chance:.2}"
    );
    // The health guide's nearest neighbour is about health.
    let (_, body) = get("/api/publications/2010-03-good-practice-guide-accessing-health/similar");
    assert!(
        body["similar"][0]["topics"].to_string().contains("health"),
        "{body}"
    );
    let (status, _) = get("/api/publications/nope/similar");
    assert_eq!(status, 404);
    let (status, body) = get(&format!("/api/publications/{REPORT}/similar?limit=500"));
    assert_eq!(status, 400, "{body}");
}

#[test]
fn proximity_and_exact_dates_on_the_sample_corpus() {
    // "refugee doctors" stands as a phrase in the report; with a proximity it is found there
    // too, and the page is the one with the words together.
    let (_, exact) = get(&format!("/api/search?q={}", enc("\"refugee doctors\"")));
    let (_, near) = get(&format!("/api/search?q={}", enc("doctors NEAR/3 refugee")));
    assert!(exact["total"].as_u64().unwrap() >= 1, "{exact}");
    assert!(near["total"].as_u64() >= exact["total"].as_u64(), "{near}");
    let ids = |v: &Value| -> Vec<String> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    for id in ids(&exact) {
        assert!(ids(&near).contains(&id), "{id}");
    }
    // A day range: the report is from 7 January 2006.
    let (_, day) = get("/api/search?q=&date_from=2006-01-07&date_to=2006-01-07");
    assert_eq!(ids(&day), [REPORT]);
    let (_, month) = get("/api/search?q=&date_from=2006-01&date_to=2006-01");
    assert_eq!(ids(&month), [REPORT]);
    let (status, body) = get("/api/search?q=&date_from=2006-02-30");
    assert_eq!(status, 400);
    assert!(
        body["message"].as_str().unwrap().contains("YYYY-MM-DD"),
        "{body}"
    );
}

#[test]
fn every_search_is_a_feed_a_reader_can_read() {
    let (status, headers, body) = fetch("/feed.atom?q=health&type=report");
    assert_eq!(status, 200, "{body}");
    assert!(headers["content-type"].starts_with("application/atom+xml"));
    let feed = feed_rs::parser::parse(body.as_bytes()).expect("Atom parses");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert!(feed.title.unwrap().content.contains("health"));
    assert!(!feed.entries.is_empty());
    // Newest first, each with its title, summary, date and links.
    let (_, api) = get("/api/search?q=health&type=report&mode=website&sort=date_desc&per_page=50");
    let titles: Vec<String> = api["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect();
    let entries: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(entries, titles);
    let dates: Vec<_> = feed.entries.iter().map(|e| e.updated.unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    for e in &feed.entries {
        assert!(e.summary.is_some(), "{e:?}");
        assert!(e.links.iter().any(|l| l.href.contains("/publications/")));
        assert!(e.links.iter().any(|l| l.href.ends_with(".pdf")));
    }
    // The results page links it, in its head and in the page.
    let (_, _, html) = fetch("/?q=health&type=report");
    assert!(
        html.contains("rel=\"alternate\" type=\"application/atom+xml\""),
        "{html}"
    );
    let escaped_amp = ["&amp;", "&#38;"];
    assert!(
        escaped_amp
            .iter()
            .any(|amp| html.contains(&format!("href=\"/feed.atom?q=health{amp}type=report\""))),
        "{html}"
    );
}
