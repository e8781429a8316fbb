//! The cost of each language, on a mixed-language library generated here.
//!
//! Setup (not timed): the multilingual test PDFs of `tests/data/languages/` (LibreOffice with
//! Noto fonts: es, pt, pl, uk, ar, zh, sw, and an English-Spanish leaflet) and the English
//! `corpus/` are extracted once in-process.
//!
//! * `languages/index/<code>`: text to a committed in-RAM index, as `index_text/ram` does, for
//!   the pages of one language, repeated to [`TEXT_BYTES`] of page text so every language
//!   writes the same volume. Throughput is bytes of page text per second; the ratio of a
//!   language's time to `en`'s is its indexing cost.
//! * `languages/search/<code>/mixed`: [`SearchService::search`] (facets and snippets, as the API
//!   does) on one index of all of them, every non-English publication copied [`COPIES`] times
//!   under its own id (each copy one byte-comment apart, so none is a duplicate), so the library holds eight languages and each word of a query is read
//!   in all of them. The queries are two words of the language, the ones the end-to-end test
//!   asks. `languages/search/en/english-only` asks the English queries of an index of `corpus/`
//!   alone: its ratio to `languages/search/en/mixed` is what the other languages cost an
//!   English query.
//!
//! ```sh
//! cargo bench --bench languages
//! cargo bench --bench languages -- --quick          # or a filter: -- search
//! ```

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{
    BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use pubsearch_core::analysis::{self, Lang};
use pubsearch_core::doc;
use pubsearch_core::model::{FileStamp, FileState, PageText, Publication};
use pubsearch_core::schema::{self, Fields};
use pubsearch_indexer::IndexerConfig;
use pubsearch_indexer::extract::{EngineChoice, Job, Limits, extract_in_process};
use pubsearch_indexer::run::NoProgress;
use pubsearch_indexer::sidecar;
use pubsearch_query::{SearchRequest, SearchService};
use tantivy::{Index, IndexWriter};

/// Page text each language writes per iteration of `languages/index`.
const TEXT_BYTES: usize = 1 << 20;
/// Copies of each non-English publication in the mixed library.
const COPIES: usize = 20;
/// The indexer's default writer budget (`IndexerConfig::writer_memory`).
const WRITER_MEMORY: usize = 128 << 20;

/// Queries per language: two words each, as a person types them.
const QUERIES: &[(&str, &[&str])] = &[
    (
        "en",
        &["registering doctors", "asylum housing", "health workers"],
    ),
    (
        "es",
        &[
            "derechos sanitarios",
            "migracion hospitales",
            "inquilino reparación",
        ],
    ),
    ("pt", &["trabalhador direito", "trabalhadora advogados"]),
    ("pl", &["uchodźców praca", "porada prawna"]),
    ("uk", &["мігрантів житло"]),
    ("ar", &["مهاجرين المستشفى", "العلاج للمهاجرين"]),
    ("zh", &["健康咨询", "法律 帮助"]),
    ("sw", &["huduma afya", "wakimbizi ushauri"]),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut pdfs: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .collect()
        })
        .unwrap_or_default();
    pdfs.sort();
    pdfs
}

/// One publication's sidecar and extracted pages, or why it was left out.
fn read(path: &Path) -> Option<(Publication, Vec<PageText>)> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let stem = path.file_stem()?.to_string_lossy().into_owned();
    let job = Job {
        path: path.to_path_buf(),
        engine: EngineChoice::Auto,
        limits: Limits::default(),
    };
    let extraction = extract_in_process(&job)
        .map_err(|e| eprintln!("languages bench: skipping {name}: {e}"))
        .ok()?;
    let text = std::fs::read_to_string(path.with_extension("toml")).ok()?;
    let publication = sidecar::parse(Path::new(&name), &text, &stem)
        .map_err(|e| eprintln!("languages bench: skipping {name}: {e}"))
        .ok()?;
    Some((publication, extraction.pages))
}

/// The pages of each language, single-language publications only.
fn pages_by_language() -> Vec<(Lang, Publication, Vec<PageText>)> {
    let mut out: Vec<(Lang, Publication, Vec<PageText>)> = Vec::new();
    let dirs = [root().join("corpus"), root().join("tests/data/languages")];
    for path in dirs.iter().flat_map(|d| pdfs(d)) {
        let Some((publication, pages)) = read(&path) else {
            continue;
        };
        let [lang] = publication.languages[..] else {
            continue;
        };
        match out.iter_mut().find(|(l, ..)| *l == lang) {
            Some((_, _, all)) => all.extend(pages),
            None => out.push((lang, publication, pages)),
        }
    }
    out
}

/// `pages` repeated (renumbered) until they hold `bytes` of text.
fn repeated(pages: &[PageText], bytes: usize) -> Vec<PageText> {
    let mut out = Vec::new();
    let mut total = 0;
    while total < bytes && !pages.is_empty() {
        for p in pages {
            total += p.text.len();
            let mut page = p.clone();
            page.report.page = out.len() as u32 + 1;
            out.push(page);
        }
    }
    out
}

fn state() -> FileState {
    let stamp = FileStamp {
        size: 1,
        mtime_ns: 0,
        hash: format!("{:064x}", 1),
    };
    FileState {
        pdf: stamp,
        sidecar: None,
    }
}

fn write(index: &Index, fields: &Fields, publication: &Publication, pages: &[PageText]) {
    let mut writer: IndexWriter = index.writer(WRITER_MEMORY).expect("an index writer");
    for d in doc::publication_docs(fields, "bench.pdf", publication, pages, &state()) {
        writer.add_document(d).expect("add a document");
    }
    schema::commit(&mut writer).expect("commit");
    writer.wait_merging_threads().expect("merge");
}

fn index_cost(c: &mut Criterion) {
    let languages = pages_by_language();
    let (_, fields) = schema::build();
    let mut group = c.benchmark_group("languages/index");
    group.sampling_mode(SamplingMode::Flat);
    for (lang, publication, pages) in &languages {
        let pages = repeated(pages, TEXT_BYTES);
        let bytes: usize = pages.iter().map(|p| p.text.len()).sum();
        eprintln!(
            "languages bench: {}: {} pages, {} KiB of page text",
            lang.as_str(),
            pages.len(),
            bytes / 1024
        );
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(lang.as_str(), |b| {
            b.iter_batched(
                || {
                    let index = Index::create_in_ram(schema::build().0);
                    analysis::register(&index);
                    index
                },
                |index| {
                    write(&index, &fields, publication, black_box(&pages));
                    index
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

/// A corpus directory holding the English `corpus/` and, when `mixed`, [`COPIES`] copies of
/// every multilingual test PDF, each with its own id.
fn library(dir: &Path, mixed: bool) {
    for path in pdfs(&root().join("corpus")) {
        let name = path.file_name().expect("a file name");
        std::fs::copy(&path, dir.join(name)).expect("copy a corpus PDF");
        let toml = path.with_extension("toml");
        if toml.exists() {
            std::fs::copy(&toml, dir.join(name).with_extension("toml")).expect("copy a sidecar");
        }
    }
    if !mixed {
        return;
    }
    for path in pdfs(&root().join("tests/data/languages")) {
        let stem = path.file_stem().expect("a stem").to_string_lossy();
        let sidecar =
            std::fs::read_to_string(path.with_extension("toml")).expect("read a test sidecar");
        for copy in 0..COPIES {
            let id = format!("{stem}-{copy}");
            // A comment after the end marker makes each copy's content its own: the indexer
            // would keep one of identical files only.
            let mut bytes = std::fs::read(&path).expect("read a test PDF");
            bytes.extend_from_slice(format!("\n% copy {copy}\n").as_bytes());
            std::fs::write(dir.join(format!("{id}.pdf")), bytes).expect("write a test PDF");
            let sidecar = sidecar.replace(&format!("id = \"{stem}\""), &format!("id = \"{id}\""));
            std::fs::write(dir.join(format!("{id}.toml")), sidecar).expect("write a sidecar");
        }
    }
}

fn service(tmp: &Path, mixed: bool) -> SearchService {
    let (corpus, index) = (tmp.join("corpus"), tmp.join("index"));
    std::fs::create_dir_all(&corpus).expect("create the library directory");
    library(&corpus, mixed);
    let report = pubsearch_indexer::reindex(&IndexerConfig::new(&corpus, &index), &NoProgress)
        .expect("index the library");
    if !report.failed.is_empty() {
        eprintln!("languages bench: files that failed: {:?}", report.failed);
    }
    SearchService::open(&index).expect("open the index")
}

fn search_cost(c: &mut Criterion) {
    let (mixed_dir, english_dir) = (
        tempfile::tempdir().expect("a temporary directory"),
        tempfile::tempdir().expect("a temporary directory"),
    );
    let mixed = service(mixed_dir.path(), true);
    let english = service(english_dir.path(), false);
    let mut group = c.benchmark_group("languages/search");
    group.throughput(Throughput::Elements(1));
    for (code, queries) in QUERIES {
        let requests: Vec<SearchRequest> = queries.iter().map(|q| SearchRequest::new(*q)).collect();
        let mut targets = vec![("mixed", &mixed)];
        if *code == "en" {
            targets.push(("english-only", &english));
        }
        for (label, service) in targets {
            let hits: Vec<u64> = requests
                .iter()
                .map(|r| service.search(r).map(|resp| resp.total as u64).unwrap_or(0))
                .collect();
            eprintln!("languages bench: {code} on {label}: hits {hits:?}");
            group.bench_function(BenchmarkId::new(*code, label), |b| {
                let mut next = 0;
                b.iter(|| {
                    let r = &requests[next % requests.len()];
                    next += 1;
                    service.search(black_box(r))
                })
            });
        }
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = index_cost, search_cost
}
criterion_main!(benches);
