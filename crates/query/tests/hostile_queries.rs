//! Hostile queries against the search API and the HTTP router: at least 100,000 generated
//! requests (random bytes, deep nesting, 10,000-term ORs, wildcards and fuzzy syntax, huge and
//! negative paging, repeated and unknown parameters, invalid UTF-8 in percent-encoding).
//! Never a panic, never a 5xx, every answer within the search deadline, and a 400 JSON error
//! where the input is wrong. `HOSTILE_QUERIES=N` changes the count.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use pubsearch_core::doc::put_publication;
use pubsearch_core::model::{
    Engine, FileStamp, FileState, PageStatus, PageText, PubType, Publication,
};
use pubsearch_core::schema::{self, Fields};
use pubsearch_query::http::{AppState, ServerConfig, router};
use tantivy::IndexWriter;
use tower::ServiceExt;

const WORDS: &[&str] = &[
    "migrant",
    "refugee",
    "health",
    "community",
    "citizenship",
    "interpreter",
    "destitution",
    "council",
    "election",
    "nurse",
    "doctor",
    "housing",
    "london",
    "settlement",
    "scheme",
    "volunteer",
    "café",
    "naïve",
    "organising",
    "rights",
    "employment",
    "education",
    "women",
    "young",
    "people",
    "report",
    "newsletter",
    "guide",
    "training",
    "advice",
];

/// A small xorshift generator: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// 80 publications of 4 pages each, written through the stored-document owner as the indexer
/// writes them.
fn build_index(dir: &std::path::Path) {
    let index = pubsearch_core::open::open_or_create(dir).unwrap();
    let f = Fields::from_schema(&index.schema()).unwrap();
    let mut writer: IndexWriter = index.writer(30_000_000).unwrap();
    let mut rng = Rng(7);
    let types = [
        PubType::Report,
        PubType::Newsletter,
        PubType::Guide,
        PubType::Briefing,
    ];
    let first_day = time::macros::date!(2004 - 01 - 01);
    for i in 0..80 {
        let words: Vec<&str> = (0..400).map(|_| rng.pick(WORDS)).collect();
        let topic = rng.pick(&["health", "education", "housing"]);
        let publication = Publication {
            id: format!("pub-{i}"),
            title: words[..6].join(" "),
            date: Some(first_day + time::Duration::days(i * 90)),
            pub_type: types[i as usize % types.len()],
            topics: vec![topic.to_string()],
            summary: words[6..20].join(" "),
            authors: Vec::new(),
            languages: vec![pubsearch_core::analysis::Lang::En],
            language_detected: false,
        };
        let pages: Vec<PageText> = words
            .chunks(100)
            .enumerate()
            .map(|(n, chunk)| {
                PageText::new(
                    n as u32 + 1,
                    chunk.join(" "),
                    Engine::PdfExtract,
                    PageStatus::Ok,
                )
            })
            .collect();
        let state = FileState {
            pdf: FileStamp {
                size: 1,
                mtime_ns: 0,
                hash: publication.id.clone(),
            },
            sidecar: None,
        };
        let rel = format!("{}.pdf", publication.id);
        put_publication(&writer, &f, &rel, &publication, &pages, &state).unwrap();
    }
    schema::commit(&mut writer).unwrap();
}

const SYNTAX: &[&str] = &[
    "\"", "(", ")", "-", " OR ", " AND ", " NOT ", "title:", "summary:", "colour:", "*", "?", "~2",
    "^3", "\\", ":", "[", "]", "{", "}", "/", "&&", "||", "!", "%", "+", "'", " ", " ", " ",
];

fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b.is_ascii_alphanumeric() {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn prefix(w: &str, n: usize) -> String {
    w.chars().take(n).collect()
}

fn query_text(rng: &mut Rng) -> Vec<u8> {
    match rng.below(10) {
        // Random bytes, invalid UTF-8 included.
        0 => (0..rng.below(60)).map(|_| rng.next() as u8).collect(),
        // Deep nesting.
        1 => {
            let depth = 1 + rng.below(3000);
            format!(
                "{}{}{}",
                "(".repeat(depth),
                rng.pick(WORDS),
                ")".repeat(rng.below(depth + 1))
            )
            .into_bytes()
        }
        // A huge OR (short terms, so that the URI stays under 64 KiB).
        2 => (0..1 + rng.below(10_000))
            .map(|_| prefix(rng.pick(WORDS), 2))
            .collect::<Vec<_>>()
            .join(" OR ")
            .into_bytes(),
        // Wildcards, fuzzy and prefix shapes that would expand to huge term sets.
        3 => {
            let w = rng.pick(WORDS);
            let cut = 1 + rng.below(3);
            let head = prefix(w, cut);
            let tail: String = w.chars().skip(cut).collect();
            format!("{head}* {w}~2 *{tail} ?{}", rng.pick(WORDS)).into_bytes()
        }
        // Many short words typed fast (website-mode expansions on each).
        4 => (0..rng.below(80))
            .map(|_| {
                let w = rng.pick(WORDS);
                prefix(w, 1 + rng.below(w.len()))
            })
            .collect::<Vec<_>>()
            .join(" ")
            .into_bytes(),
        // Syntax soup.
        _ => {
            let mut s = String::new();
            for _ in 0..rng.below(30) {
                if rng.below(2) == 0 {
                    s.push_str(rng.pick(SYNTAX));
                } else {
                    s.push_str(rng.pick(WORDS));
                }
            }
            s.into_bytes()
        }
    }
}

fn request_uri(rng: &mut Rng) -> String {
    let mut params = vec![format!("q={}", percent_encode(&query_text(rng)))];
    let numbers = [
        "0",
        "1",
        "-1",
        "2",
        "99",
        "100",
        "101",
        "18446744073709551616",
        "abc",
        "",
        "1e3",
        "%FF",
    ];
    for _ in 0..rng.below(6) {
        let p = match rng.below(11) {
            0 => format!("page={}", rng.pick(&numbers)),
            1 => format!("per_page={}", rng.pick(&numbers)),
            2 => format!(
                "mode={}",
                rng.pick(&["strict", "website", "website", "fast", ""])
            ),
            3 => format!(
                "type={}",
                rng.pick(&["report", "guide", "pamphlet", "", "%00"])
            ),
            4 => format!("topic={}", rng.pick(&["health", "nothing", "%FE%FF"])),
            5 => format!("year_from={}", rng.pick(&["2004", "2030", "-5", "x"])),
            6 => format!(
                "year_to={}",
                rng.pick(&["2010", "1999", "99999999999999999999"])
            ),
            7 => format!(
                "sort={}",
                rng.pick(&["relevance", "date_desc", "date_asc", "best"])
            ),
            8 => format!("q={}", rng.pick(WORDS)),
            9 => "unknown=1&&&=&q".to_string(),
            _ => format!("{}={}", percent_encode(&query_text(rng)[..]), rng.below(9)),
        };
        params.push(p);
    }
    let path = match rng.below(20) {
        0 => format!("/api/publications/pub-{}/search", rng.below(100)),
        // The HTML pages read the same parameters, leniently.
        1 | 2 => "/".to_string(),
        3 => format!("/publications/pub-{}", rng.below(100)),
        _ => "/api/search".to_string(),
    };
    format!("{path}?{}", params.join("&"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_queries_never_break_the_api() {
    let dir = tempfile::tempdir().unwrap();
    build_index(dir.path());
    let mut config = ServerConfig::new(dir.path());
    config.search_timeout = Duration::from_secs(5);
    let deadline = config.search_timeout;
    let state = AppState::open(dir.path(), config).unwrap();
    let app = router(state);
    let count: usize = std::env::var("HOSTILE_QUERIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ok, mut bad, mut pages) = (0usize, 0usize, 0usize);
    let mut slowest = Duration::ZERO;
    for i in 0..count {
        // The `http` crate refuses URIs over 64 KiB (a server answers 414 before routing).
        let uri = loop {
            let uri = request_uri(&mut rng);
            if uri.len() < 65_000 {
                break uri;
            }
        };
        let started = Instant::now();
        let resp = app
            .clone()
            .oneshot(Request::get(&uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let took = started.elapsed();
        slowest = slowest.max(took);
        let status = resp.status();
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        assert!(
            !status.is_server_error(),
            "#{i} {uri}: {status} {}",
            String::from_utf8_lossy(&body)
        );
        assert!(took < deadline, "#{i} {uri} took {took:?}");
        if !uri.starts_with("/api/") {
            // A page for a person: HTML whatever happened, never a server error.
            let html = String::from_utf8_lossy(&body);
            assert!(
                html.starts_with("<!doctype html>"),
                "#{i} {uri}: {status} {html}"
            );
            assert!(
                matches!(status.as_u16(), 200 | 400 | 404),
                "#{i} {uri}: unexpected {status}"
            );
            pages += 1;
            continue;
        }
        let json: serde_json::Value =
            serde_json::from_slice(&body).unwrap_or_else(|e| panic!("#{i} {uri}: not JSON ({e})"));
        match status {
            StatusCode::OK => ok += 1,
            StatusCode::BAD_REQUEST => {
                bad += 1;
                let code = json["code"].as_str().unwrap_or("");
                assert!(
                    code == "invalid_query" || code == "invalid_parameter",
                    "#{i} {uri}: {json}"
                );
                assert!(!json["message"].as_str().unwrap_or("").is_empty());
            }
            StatusCode::NOT_FOUND => assert_eq!(json["code"], "not_found"),
            other => panic!("#{i} {uri}: unexpected {other}"),
        }
    }
    eprintln!(
        "{count} hostile requests: {ok} answered, {bad} rejected with 400, {pages} HTML pages, slowest {slowest:?}"
    );
    assert!(
        ok > count / 10 && bad > count / 10 && pages > count / 10,
        "the generator should exercise both paths"
    );
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, serde_json::Value) {
    let resp = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&body).unwrap())
}

/// Found by the hostile-query run: an excluded title phrase, with filters that leave nothing.
/// Exclusions of phrases must give exactly "all minus those with the phrase".
#[tokio::test]
async fn excluded_phrases_count_correctly() {
    let dir = tempfile::tempdir().unwrap();
    build_index(dir.path());
    let app = router(AppState::open(dir.path(), ServerConfig::new(dir.path())).unwrap());
    let (status, body) = get(
        &app,
        "/api/search?q=++NOT+title%3Acouncil%25destitution%3Ahousing+AND+election&page=1&topic=health&year_from=2030&page=101",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["total"], 0);
    for phrase in [
        "\"migrant refugee\"",
        "\"health community\"",
        "title:\"rights employment\"",
    ] {
        let q = |s: &str| format!("/api/search?per_page=1&q={}", percent_encode(s.as_bytes()));
        let (_, all) = get(&app, &q("election")).await;
        let (_, both) = get(&app, &q(&format!("election {phrase}"))).await;
        let (_, without) = get(&app, &q(&format!("election -{phrase}"))).await;
        let (all, both, without) = (
            all["total"].as_u64().unwrap(),
            both["total"].as_u64().unwrap(),
            without["total"].as_u64().unwrap(),
        );
        assert_eq!(without, all - both, "{phrase}: {all} - {both} != {without}");
    }
}

/// Expensive shapes are bounded by design, not only by the deadline.
#[test]
fn expansion_and_clause_limits_hold() {
    use pubsearch_query::parse::{MAX_LEAVES, Mode, parse};
    let huge_or = vec!["health"; 10_000].join(" OR ");
    assert!(
        parse(&huge_or, Mode::Strict).is_err(),
        "10,000 terms are refused"
    );
    let node = parse(&huge_or[..300], Mode::Website).unwrap();
    assert!(node.is_some());
    let many = "a ".repeat(MAX_LEAVES * 3);
    // Website mode keeps at most MAX_LEAVES words and still answers.
    assert!(parse(&many, Mode::Website).is_ok());
}
