//! Search latency, in-process: [`SearchService::search`] with facet counts and page snippets,
//! the same call the HTTP API makes for `GET /api/search` (no HTTP, routing or JSON).
//!
//! Queries are grouped by class, one criterion benchmark per class and index
//! (`search/<class>/<index>`, the index being `corpus` or the name of the index directory, `M`
//! for `.../M/pubsearch-index`). One iteration is **one query**: the benchmark cycles through
//! the queries of its class, so the reported time is the mean time of one query of that class
//! and the throughput line reads as queries per second. The classes are `term_common` and
//! `term_rare` (one word; the one-word queries split in two halves by word frequency), `and`
//! (two words), `phrase`, `filter` (a word with a type and/or year filter) and `date_sort` (the
//! one-word queries ordered by date, newest first).
//!
//! The index:
//! * `PUBSEARCH_BENCH_INDEX=DIR`: an existing pubsearch index, opened read-only, for example
//!   the 2,000-publication library "M" that `benches/compare.py` builds in
//!   `$BENCH_WORK/M/pubsearch-index`.
//! * Otherwise the committed `corpus/` (20 publications) is indexed into a temporary directory
//!   first, and built-in queries that match it are used.
//!
//! The queries: `PUBSEARCH_BENCH_QUERIES=FILE` (the `queries.jsonl` format of
//! `benches/gen_library`: one JSON object per line with `kind` = `term`, `and`, `phrase` or
//! `filter`, `q`, `type`, `year_from`, `year_to`, `note` = `freq_rank=N ...`); else the
//! `queries.jsonl` in the directory that holds `PUBSEARCH_BENCH_INDEX`, when there is one (the
//! layout of `compare.py`'s work directory); else the built-in queries.
//!
//! ```sh
//! cargo bench --bench search
//! PUBSEARCH_BENCH_INDEX=$BENCH_WORK/M/pubsearch-index cargo bench --bench search
//! cargo bench --bench search -- --quick            # fewer samples; or a filter: -- phrase
//! ```
//!
//! `--quick` runs few iterations: with many queries in a class, not all of them are reached.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use pubsearch_indexer::IndexerConfig;
use pubsearch_indexer::run::NoProgress;
use pubsearch_query::{SearchRequest, SearchService, Sort};

/// Queries of one class.
struct Class {
    name: &'static str,
    requests: Vec<SearchRequest>,
}

/// The open index, and the temporary directory holding it when it was built here.
struct Fixture {
    service: SearchService,
    index_dir: Option<PathBuf>,
    /// Names the index in the benchmark ids, so criterion compares runs on the same index only.
    label: String,
    _tmp: Option<tempfile::TempDir>,
}

fn fixture() -> Fixture {
    if let Some(dir) = std::env::var_os("PUBSEARCH_BENCH_INDEX").map(PathBuf::from) {
        if pubsearch_core::open::exists(&dir) {
            match SearchService::open(&dir) {
                Ok(service) => {
                    return Fixture {
                        service,
                        label: index_label(&dir),
                        index_dir: Some(dir),
                        _tmp: None,
                    };
                }
                Err(e) => eprintln!(
                    "search bench: cannot open PUBSEARCH_BENCH_INDEX={}: {e}; using the committed corpus",
                    dir.display()
                ),
            }
        } else {
            eprintln!(
                "search bench: PUBSEARCH_BENCH_INDEX={} holds no pubsearch index; using the committed corpus",
                dir.display()
            );
        }
    }
    eprintln!(
        "search bench: benching the small committed corpus/ (20 publications); for the \
         2,000-publication library M set PUBSEARCH_BENCH_INDEX to an index of it (see \
         benches/README.md, \"Criterion benches\")"
    );
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let tmp = tempfile::tempdir().expect("create a temporary directory");
    let cfg = IndexerConfig::new(&corpus, tmp.path());
    let report = pubsearch_indexer::reindex(&cfg, &NoProgress).expect("index the corpus");
    if !report.failed.is_empty() {
        eprintln!(
            "search bench: files that failed to index: {:?}",
            report.failed
        );
    }
    let service = SearchService::open(tmp.path()).expect("open the corpus index");
    Fixture {
        service,
        index_dir: None,
        label: "corpus".into(),
        _tmp: Some(tmp),
    }
}

/// The index directory's name, or its parent's for `compare.py`'s `<size>/pubsearch-index`.
fn index_label(dir: &Path) -> String {
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    match name(dir) {
        Some(n) if n == "pubsearch-index" => dir.parent().and_then(name).unwrap_or(n),
        Some(n) => n,
        None => "index".into(),
    }
}

fn request(q: &str) -> SearchRequest {
    SearchRequest::new(q)
}

fn filtered(q: &str, pub_type: Option<&str>, years: Option<(u64, u64)>) -> SearchRequest {
    let mut r = SearchRequest::new(q);
    r.types = pub_type
        .map(|t| t.parse().expect("a publication type in queries.jsonl"))
        .into_iter()
        .collect();
    if let Some((from, to)) = years {
        r.year_from = Some(from);
        r.year_to = Some(to);
    }
    r
}

fn by_date(q: &str) -> SearchRequest {
    let mut r = SearchRequest::new(q);
    r.sort = Sort::DateDesc;
    r
}

/// Queries that match the committed corpus.
fn builtin_classes() -> Vec<Class> {
    let common = ["people", "community", "health", "refugee"];
    vec![
        Class {
            name: "term_common",
            requests: common.iter().map(|q| request(q)).collect(),
        },
        Class {
            name: "term_rare",
            requests: ["kettleborough", "receptionist", "vietnamese", "choir"]
                .iter()
                .map(|q| request(q))
                .collect(),
        },
        Class {
            name: "and",
            requests: [
                "migrant health",
                "refugee volunteers",
                "women advice",
                "interpreters council",
            ]
            .iter()
            .map(|q| request(q))
            .collect(),
        },
        Class {
            name: "phrase",
            requests: [
                "\"skill wastage\"",
                "\"domestic workers\"",
                "\"young people\"",
                "\"english classes\"",
            ]
            .iter()
            .map(|q| request(q))
            .collect(),
        },
        Class {
            name: "filter",
            requests: vec![
                filtered("health", Some("report"), None),
                filtered("community", None, Some((2009, 2015))),
                filtered("advice", Some("guide"), Some((2005, 2020))),
                filtered("families", Some("newsletter"), None),
            ],
        },
        Class {
            name: "date_sort",
            requests: common.iter().map(|q| by_date(q)).collect(),
        },
    ]
}

/// One line of a `queries.jsonl` file.
struct Line {
    kind: String,
    q: String,
    pub_type: Option<String>,
    year_from: Option<u64>,
    year_to: Option<u64>,
    freq_rank: Option<u64>,
}

fn parse_line(line: &str) -> Option<Line> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    let freq_rank = v["note"]
        .as_str()
        .and_then(|n| {
            n.split_whitespace()
                .find_map(|w| w.strip_prefix("freq_rank="))
        })
        .and_then(|n| n.parse().ok());
    Some(Line {
        kind: v["kind"].as_str()?.to_string(),
        q: v["q"].as_str()?.to_string(),
        pub_type: v["type"].as_str().map(str::to_string),
        year_from: v["year_from"].as_u64(),
        year_to: v["year_to"].as_u64(),
        freq_rank,
    })
}

/// Classes from a `queries.jsonl` file; `None` when it cannot be read or holds no query.
fn file_classes(path: &Path) -> Option<Vec<Class>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("search bench: cannot read {}: {e}", path.display());
            return None;
        }
    };
    let lines: Vec<Line> = text.lines().filter_map(parse_line).collect();
    let of_kind = |kind: &'static str| lines.iter().filter(move |l| l.kind == kind);

    // One-word queries, most frequent first, split at the middle.
    let mut terms: Vec<&Line> = of_kind("term").collect();
    terms.sort_by_key(|l| l.freq_rank.unwrap_or(u64::MAX));
    let (common, rare) = terms.split_at(terms.len() / 2);

    let classes = vec![
        Class {
            name: "term_common",
            requests: common.iter().map(|l| request(&l.q)).collect(),
        },
        Class {
            name: "term_rare",
            requests: rare.iter().map(|l| request(&l.q)).collect(),
        },
        Class {
            name: "and",
            requests: of_kind("and").map(|l| request(&l.q)).collect(),
        },
        Class {
            name: "phrase",
            requests: of_kind("phrase").map(|l| request(&l.q)).collect(),
        },
        Class {
            name: "filter",
            requests: of_kind("filter")
                .map(|l| {
                    let mut r = filtered(&l.q, l.pub_type.as_deref(), None);
                    r.year_from = l.year_from;
                    r.year_to = l.year_to;
                    r
                })
                .collect(),
        },
        Class {
            name: "date_sort",
            requests: terms.iter().map(|l| by_date(&l.q)).collect(),
        },
    ];
    if classes.iter().all(|c| c.requests.is_empty()) {
        eprintln!("search bench: no query in {}", path.display());
        return None;
    }
    Some(classes)
}

fn classes(index_dir: Option<&Path>) -> Vec<Class> {
    let file = std::env::var_os("PUBSEARCH_BENCH_QUERIES")
        .map(PathBuf::from)
        .or_else(|| {
            let beside = index_dir?.parent()?.join("queries.jsonl");
            beside.is_file().then_some(beside)
        });
    if let Some(file) = file
        && let Some(classes) = file_classes(&file)
    {
        eprintln!("search bench: queries from {}", file.display());
        return classes;
    }
    builtin_classes()
}

fn search(c: &mut Criterion) {
    let fixture = fixture();
    let service = &fixture.service;
    let mut group = c.benchmark_group("search");
    group.throughput(Throughput::Elements(1));
    for mut class in classes(fixture.index_dir.as_deref()) {
        // Drop queries the service rejects, so the loop times searches only; say how many hits
        // the rest have so a class that matches nothing is visible.
        let mut totals = Vec::new();
        class.requests.retain(|r| match service.search(r) {
            Ok(resp) => {
                totals.push(resp.total);
                true
            }
            Err(e) => {
                eprintln!("search bench: skipping {:?}: {e}", r.q);
                false
            }
        });
        if class.requests.is_empty() {
            continue;
        }
        totals.sort_unstable();
        eprintln!(
            "search bench: {}: {} queries, hits min {} / median {} / max {}",
            class.name,
            totals.len(),
            totals[0],
            totals[totals.len() / 2],
            totals[totals.len() - 1]
        );
        let requests = &class.requests;
        group.bench_function(BenchmarkId::new(class.name, &fixture.label), |b| {
            let mut next = 0;
            b.iter(|| {
                let r = &requests[next % requests.len()];
                next += 1;
                service.search(black_box(r))
            })
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = search
}
criterion_main!(benches);
