//! Text-to-index throughput: from already-extracted page text to a committed tantivy index,
//! through core's own document building ([`doc::publication_docs`]), in bytes of page
//! text per second.
//!
//! Setup (not timed): every PDF of the committed `corpus/` is extracted once in-process with
//! the default chain, and its sidecar is read. Then, per iteration, for all publications:
//! * `index_text/build_docs`: the tantivy documents only (one per publication, one per page);
//! * `index_text/ram`: documents, written by a fresh `IndexWriter` (the indexer's 128 MiB
//!   budget) into a new in-RAM index, then committed with the schema payload;
//! * `index_text/disk`: the same into a new index in a temporary directory (tantivy's mmap
//!   directory, as `pubsearch index` writes, with its fsyncs). Creating the empty index and
//!   deleting it afterwards are not timed.
//!
//! ```sh
//! cargo bench --bench index_text
//! cargo bench --bench index_text -- --quick          # or a filter: -- ram
//! ```

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use pubsearch_core::doc;
use pubsearch_core::model::{FileStamp, FileState, PageText, PubType, Publication};
use pubsearch_core::schema::{self, Fields};
use pubsearch_core::{analysis, open};
use pubsearch_indexer::extract::{EngineChoice, Job, Limits, extract_in_process};
use pubsearch_indexer::sidecar;
use tantivy::{Index, IndexWriter, TantivyDocument};

/// The indexer's default writer budget (`IndexerConfig::writer_memory`).
const WRITER_MEMORY: usize = 128 << 20;

/// One extracted publication, ready to be turned into documents.
struct Extracted {
    rel: String,
    publication: Publication,
    pages: Vec<PageText>,
    state: FileState,
}

fn stamp(size: u64, seed: usize) -> FileStamp {
    FileStamp {
        size,
        mtime_ns: 0,
        // A BLAKE3 hex digest has 64 characters; the value does not matter here.
        hash: format!("{seed:064x}"),
    }
}

fn extract_corpus(corpus: &Path) -> Vec<Extracted> {
    let mut pdfs: Vec<_> = std::fs::read_dir(corpus)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .collect()
        })
        .unwrap_or_default();
    pdfs.sort();
    let mut out = Vec::new();
    for (i, path) in pdfs.iter().enumerate() {
        let rel = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let job = Job {
            path: path.clone(),
            engine: EngineChoice::Auto,
            limits: Limits::default(),
        };
        let extraction = match extract_in_process(&job) {
            Ok(extraction) => extraction,
            Err(e) => {
                eprintln!("index_text bench: skipping {rel}: {e}");
                continue;
            }
        };
        let sidecar_path = path.with_extension("toml");
        let from_sidecar = std::fs::read_to_string(&sidecar_path)
            .ok()
            .and_then(|text| sidecar::parse(Path::new(&rel), &text, &stem).ok());
        let sidecar_size = std::fs::metadata(&sidecar_path).map(|m| m.len()).ok();
        let publication = from_sidecar.unwrap_or_else(|| Publication {
            id: sidecar::slug(&stem),
            title: extraction
                .info
                .title
                .clone()
                .unwrap_or_else(|| stem.clone()),
            date: None,
            pub_type: PubType::Other,
            topics: Vec::new(),
            summary: String::new(),
            authors: extraction.info.author.clone().into_iter().collect(),
            languages: vec![pubsearch_core::analysis::Lang::En],
            language_detected: false,
        });
        let pdf_size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        out.push(Extracted {
            rel,
            publication,
            pages: extraction.pages,
            state: FileState {
                pdf: stamp(pdf_size, 2 * i),
                sidecar: sidecar_size.map(|size| stamp(size, 2 * i + 1)),
            },
        });
    }
    out
}

fn build_docs(fields: &Fields, corpus: &[Extracted]) -> Vec<TantivyDocument> {
    corpus
        .iter()
        .flat_map(|p| doc::publication_docs(fields, &p.rel, &p.publication, &p.pages, &p.state))
        .collect()
}

/// Writes every publication into `index` with a fresh writer and commits once, as a run does.
fn write_all(index: &Index, fields: &Fields, corpus: &[Extracted]) -> tantivy::Result<()> {
    let mut writer: IndexWriter = index.writer(WRITER_MEMORY)?;
    for p in corpus {
        for doc in doc::publication_docs(fields, &p.rel, &p.publication, &p.pages, &p.state) {
            writer.add_document(doc)?;
        }
    }
    schema::commit(&mut writer)?;
    writer.wait_merging_threads()
}

fn index_text(c: &mut Criterion) {
    let corpus = extract_corpus(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"));
    if corpus.is_empty() {
        eprintln!("index_text bench: no PDF of corpus/ could be read; nothing to measure");
        return;
    }
    let text_bytes: usize = corpus
        .iter()
        .flat_map(|p| &p.pages)
        .map(|p| p.text.len())
        .sum();
    let pages: usize = corpus.iter().map(|p| p.pages.len()).sum();
    eprintln!(
        "index_text bench: {} publications, {pages} pages, {} KiB of page text",
        corpus.len(),
        text_bytes / 1024
    );
    let (_, fields) = schema::build();

    let mut group = c.benchmark_group("index_text");
    // Iterations take tens of milliseconds or more: equal-sized samples fit the time budget.
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Bytes(text_bytes as u64));
    group.bench_function("build_docs", |b| {
        b.iter(|| build_docs(&fields, black_box(&corpus)))
    });
    group.bench_function("ram", |b| {
        b.iter_batched(
            || {
                let index = Index::create_in_ram(schema::build().0);
                analysis::register(&index);
                index
            },
            |index| {
                write_all(&index, &fields, black_box(&corpus)).expect("write the in-RAM index");
                index
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("disk", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("create a temporary directory");
                let index = open::open_or_create(dir.path()).expect("create an empty index");
                (dir, index)
            },
            |(dir, index)| {
                write_all(&index, &fields, black_box(&corpus)).expect("write the index");
                (dir, index)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = index_text
}
criterion_main!(benches);
