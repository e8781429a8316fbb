//! Text extraction speed in pages per second, in-process (no worker process, no limits
//! enforced), on three PDFs of the committed `corpus/`: the smallest, the median and the
//! largest by file size.
//!
//! Per file (`extract/<engine>/<file stem>`), with the throughput in pages:
//! * `chain`: [`extract_in_process`] with the default engine choice, which is what the indexer
//!   runs in its worker: pdf-extract page by page, the quality checks, the pdftotext fallback for
//!   pages that fail them, and NFKC normalisation; the file is read from disk inside the loop.
//! * `pdf_extract`: the primary engine alone ([`pdf_extract_engine::read`]) on the file's
//!   bytes, already in memory: parsing and per-page text, with no checks or normalisation.
//! * `pdftotext`: the chain restricted to pdftotext (one `pdftotext` process per file, then
//!   normalisation); only when poppler-utils is installed.
//!
//! ```sh
//! cargo bench --bench extract
//! cargo bench --bench extract -- --quick           # or a filter: -- pdf_extract
//! ```

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use pubsearch_indexer::extract::{
    EngineChoice, Job, Limits, extract_in_process, pdf_extract_engine, pdftotext,
};

/// The smallest, median and largest PDF of the corpus, by size.
fn sample_pdfs() -> Vec<PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut pdfs: Vec<(u64, PathBuf)> = std::fs::read_dir(&corpus)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .filter_map(|p| Some((std::fs::metadata(&p).ok()?.len(), p)))
                .collect()
        })
        .unwrap_or_default();
    pdfs.sort();
    if pdfs.len() > 3 {
        pdfs = vec![
            pdfs[0].clone(),
            pdfs[pdfs.len() / 2].clone(),
            pdfs[pdfs.len() - 1].clone(),
        ];
    }
    pdfs.into_iter().map(|(_, p)| p).collect()
}

fn job(path: &Path, engine: EngineChoice) -> Job {
    Job {
        path: path.to_path_buf(),
        engine,
        limits: Limits::default(),
    }
}

fn extract(c: &mut Criterion) {
    let pdfs = sample_pdfs();
    if pdfs.is_empty() {
        eprintln!("extract bench: no PDF in corpus/; nothing to measure");
        return;
    }
    let with_pdftotext = pdftotext::available();
    if !with_pdftotext {
        eprintln!("extract bench: pdftotext is not installed (poppler-utils); skipping its bench");
    }
    let max_pages = Limits::default().max_pages;
    let mut group = c.benchmark_group("extract");
    // Iterations take milliseconds to a second: equal-sized samples fit the time budget.
    group.sampling_mode(SamplingMode::Flat);
    for path in &pdfs {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let auto = job(path, EngineChoice::Auto);
        let pages = match extract_in_process(&auto) {
            Ok(extraction) => extraction.pages.len(),
            Err(e) => {
                eprintln!("extract bench: skipping {stem}: {e}");
                continue;
            }
        };
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("extract bench: skipping {stem}: {e}");
                continue;
            }
        };
        eprintln!(
            "extract bench: {stem}: {pages} pages, {} KiB",
            bytes.len() / 1024
        );
        group.throughput(Throughput::Elements(pages as u64));
        group.bench_with_input(BenchmarkId::new("chain", &stem), &auto, |b, job| {
            b.iter(|| extract_in_process(black_box(job)))
        });
        group.bench_with_input(
            BenchmarkId::new("pdf_extract", &stem),
            &bytes,
            |b, bytes| b.iter(|| pdf_extract_engine::read(black_box(bytes), max_pages)),
        );
        if with_pdftotext {
            let only = job(path, EngineChoice::Pdftotext);
            group.bench_with_input(BenchmarkId::new("pdftotext", &stem), &only, |b, job| {
                b.iter(|| extract_in_process(black_box(job)))
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
    targets = extract
}
criterion_main!(benches);
