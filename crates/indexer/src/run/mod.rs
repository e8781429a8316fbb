//! One indexing run, in named steps:
//!
//! 1. scan the corpus ([`crate::scan`]) and `open` the index: take the writer lock, then read
//!    what the index knows of every file;
//! 2. compare by stat ([`crate::plan::by_stat`]), then `hash` the files that may have changed;
//! 3. `jobs`: decide per hashed file ([`crate::plan::by_hash`]), one `jobs::FileJob` each;
//! 4. `apply` removals, failures and metadata refreshes to the writer, and `extract` new and
//!    changed PDFs in parallel, recognising their scanned pages ([`crate::extract::ocr`]) in
//!    the same threads, applying each result as it arrives;
//! 5. `commit` once, or not at all when nothing changed, and list the files with scanned pages.

mod apply;
mod commit;
mod extract;
mod hash;
mod jobs;
mod open;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use pubsearch_core::CoreError;

use crate::extract::ocr::{Ocr, OcrConfig, OcrMode};
use crate::extract::{Extractor, Isolation};
use crate::plan::{self, Action, StatPlan};
use crate::report::{Failure, Report};
use crate::scan;

use apply::Apply;
use hash::TooLarge;
use jobs::FileJob;

/// A run that could not happen at all. Problems with single files are not errors: they are
/// reported in [`Report`].
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// Opening or locking the index failed.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The corpus directory cannot be read.
    #[error("corpus {path}: {source}")]
    Corpus {
        /// The corpus path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Writing or committing failed; the previous commit is intact.
    #[error("writing the index failed (the previous version is intact)")]
    Write(#[from] tantivy::TantivyError),
    /// Writing failed because the index's file system is full; the previous commit is intact.
    #[error(
        "writing the index failed: the disk is full ({path}); the previous version is intact, free some space and run again"
    )]
    DiskFull {
        /// The index directory.
        path: PathBuf,
        /// What tantivy reported.
        #[source]
        source: tantivy::TantivyError,
    },
    /// `--ocr always` was asked for and Tesseract cannot run.
    #[error("--ocr always needs Tesseract: {0}")]
    OcrUnavailable(String),
}

/// Receives progress from a run. All methods default to doing nothing.
pub trait Progress: Sync {
    /// `files` files will be read.
    fn begin(&self, _files: usize) {}
    /// One file is done.
    fn advance(&self, _path: &str) {}
    /// A line worth showing (a failure, a fallback).
    fn note(&self, _line: &str) {}
    /// OCR of page `done` of the `of` pages of `path` to recognise begins.
    fn ocr_page(&self, _path: &str, _done: usize, _of: usize) {}
}

/// A [`Progress`] that shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Settings of a run.
#[derive(Clone, Debug)]
pub struct IndexerConfig {
    /// The corpus directory.
    pub corpus: PathBuf,
    /// The index directory.
    pub index: PathBuf,
    /// Rebuild from scratch (still one atomic commit).
    pub full: bool,
    /// Only compute and report the plan.
    pub dry_run: bool,
    /// Files extracted in parallel.
    pub jobs: usize,
    /// How files are read.
    pub extractor: Extractor,
    /// Memory budget of the tantivy writer, in bytes.
    pub writer_memory: usize,
    /// OCR of scanned pages.
    pub ocr: OcrConfig,
}

impl IndexerConfig {
    /// Defaults: incremental, one job per core, extraction in this process (the CLI uses a
    /// worker process instead).
    pub fn new(corpus: impl Into<PathBuf>, index: impl Into<PathBuf>) -> Self {
        let index = index.into();
        IndexerConfig {
            corpus: corpus.into(),
            index: index.clone(),
            full: false,
            dry_run: false,
            jobs: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            extractor: Extractor {
                isolation: Isolation::InProcess,
                engine: Default::default(),
                limits: Default::default(),
            },
            writer_memory: 128 << 20,
            ocr: OcrConfig {
                cache: Some(ocr_cache(&index)),
                ..OcrConfig::default()
            },
        }
    }
}

/// The OCR cache of the index in `index`: recognised pages, kept across runs, renames and
/// `--full` rebuilds.
pub fn ocr_cache(index: &std::path::Path) -> PathBuf {
    index.join("ocr-cache")
}

/// Runs the indexer. Returns the report; per-file problems are in it, not in the error.
pub fn reindex(cfg: &IndexerConfig, progress: &dyn Progress) -> Result<Report, IndexError> {
    match run(cfg, progress) {
        Err(IndexError::Write(source)) if commit::disk_is_full(&cfg.index) => {
            Err(IndexError::DiskFull {
                path: cfg.index.clone(),
                source,
            })
        }
        other => other,
    }
}

fn run(cfg: &IndexerConfig, progress: &dyn Progress) -> Result<Report, IndexError> {
    let corpus_err = |source| IndexError::Corpus {
        path: cfg.corpus.clone(),
        source,
    };
    if !cfg.corpus.is_dir() {
        return Err(corpus_err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "not a directory",
        )));
    }
    let ocr = Ocr::new(cfg.ocr.clone());
    if ocr.mode() == OcrMode::Always
        && let Some(why) = ocr.why_not()
    {
        return Err(IndexError::OcrUnavailable(why));
    }
    let mut report = Report::default();
    let scan::Scan {
        files: disk,
        skipped,
        orphan_sidecars,
    } = scan::scan(&cfg.corpus, Some(&cfg.index)).map_err(corpus_err)?;
    report.skipped = skipped;
    report.orphan_sidecars = orphan_sidecars;
    let opened = open::open(cfg)?;
    let known = &opened.known;

    let mut stat_plan = plan::by_stat(&disk, known, cfg.full);
    // Files indexed with pages OCR never tried are read again once OCR can run.
    let to_ocr: BTreeSet<String> = if ocr.runs() {
        let (again, unchanged) = std::mem::take(&mut stat_plan.unchanged)
            .into_iter()
            .partition(|rel| opened.unread_scans.contains(rel));
        stat_plan.unchanged = unchanged;
        stat_plan.to_check.extend(again.iter().cloned());
        stat_plan.to_check.sort();
        again.into_iter().collect()
    } else {
        BTreeSet::new()
    };
    report.unchanged = stat_plan.unchanged.len();
    report.still_failing = stat_plan
        .still_failing
        .iter()
        .map(|(path, reason)| Failure {
            path: path.clone(),
            reason: reason.clone(),
        })
        .collect();
    let staying = staying(&disk, known, &stat_plan);
    let hashed = hash::hash_all(
        stat_plan.to_check.iter().map(|rel| &disk[rel]),
        cfg.extractor.limits.max_file_bytes,
    );
    let mut jobs = jobs::plan(
        hashed.checked,
        known,
        &staying,
        &stat_plan.removed,
        cfg.full,
    );
    for job in &mut jobs {
        if job.action == Action::Refresh && to_ocr.contains(&job.file.rel) {
            job.action = Action::Extract;
        }
        if let Action::Rename { from } = &job.action {
            job.keep_id = opened
                .indexed_ids
                .iter()
                .find(|(_, rel)| *rel == from)
                .map(|(id, _)| id.clone());
        }
    }
    // The old paths of renamed files are not removals.
    let renamed_from: BTreeSet<String> = jobs
        .iter()
        .filter_map(|job| match &job.action {
            Action::Rename { from } => Some(from.clone()),
            _ => None,
        })
        .collect();

    let (Some(writer), Some(searcher)) = (opened.writer, opened.searcher) else {
        dry_run(
            &mut report,
            &stat_plan,
            &renamed_from,
            jobs,
            hashed.unreadable,
            hashed.too_large,
        );
        return Ok(report);
    };

    // Ids stay reserved by the publications that are not re-read in this run.
    let ids: BTreeMap<String, String> = opened
        .indexed_ids
        .into_iter()
        .filter(|(_, rel)| staying.contains(rel))
        .collect();
    let mut apply = Apply::new(writer, opened.fields, ids, cfg.full, &mut report);
    if cfg.full {
        apply.clear()?;
    }
    for f in hashed.unreadable {
        apply.fail(&f.path, None, f.reason, progress);
    }
    for t in hashed.too_large {
        apply.fail(&t.rel, Some(&t.state), t.reason, progress);
    }
    for rel in &stat_plan.removed {
        if renamed_from.contains(rel) {
            apply.delete(rel);
        } else {
            apply.remove(rel);
        }
    }
    let mut to_read = Vec::new();
    for job in jobs {
        to_read.extend(apply.prepare(job, progress));
    }
    progress.begin(to_read.len());
    let (refreshes, mut to_extract): (Vec<FileJob>, Vec<FileJob>) = to_read
        .into_iter()
        .partition(|job| matches!(job.action, Action::Refresh | Action::Rename { .. }));
    for job in refreshes {
        let rel = job.file.rel.clone();
        to_extract.extend(apply.refresh(&searcher, job, progress)?);
        progress.advance(&rel);
    }
    let reading = extract::Reading {
        extractor: &cfg.extractor,
        ocr: &ocr,
        progress,
    };
    extract::extract_all(to_extract, &reading, cfg.jobs, |job, result| {
        let rel = job.file.rel.clone();
        apply.extracted(job, result, progress)?;
        progress.advance(&rel);
        Ok(())
    })?;

    let (writer, changed) = apply.finish();
    report.committed = commit::commit(writer, changed)?;
    let after = if report.committed {
        searcher.index().reader()?.searcher()
    } else {
        searcher
    };
    report.scanned = pubsearch_core::doc::scanned_files(&after, &opened.fields)?;
    report.ocr = ocr.counts();
    report.ocr_missing_packages = ocr.missing_packages();
    if report
        .scanned
        .iter()
        .any(|s| !s.pages.without_text.is_empty())
    {
        report.ocr_off = ocr.why_not();
    }
    Ok(report)
}

/// The indexed files that are not looked at again in this run.
fn staying(
    disk: &BTreeMap<String, scan::DiskFile>,
    known: &BTreeMap<String, plan::Known>,
    stat_plan: &StatPlan,
) -> BTreeSet<String> {
    let to_check: BTreeSet<&String> = stat_plan.to_check.iter().collect();
    disk.keys()
        .filter(|rel| !to_check.contains(rel))
        .filter(|rel| known.get(*rel).is_some_and(|k| k.indexed.is_some()))
        .cloned()
        .collect()
}

/// Reports what a run would do, writing nothing: sidecars are read and PDFs that declare
/// encryption are opened, as a real run would, so a file that would fail is listed as failing,
/// and the counts are the ones the real run would report. Other PDFs are not read (that is
/// the real run's work), so a file broken in other ways still shows as an add.
fn dry_run(
    report: &mut Report,
    stat_plan: &StatPlan,
    renamed_from: &BTreeSet<String>,
    jobs: Vec<FileJob>,
    unreadable: Vec<Failure>,
    too_large: Vec<TooLarge>,
) {
    for rel in stat_plan
        .removed
        .iter()
        .filter(|r| !renamed_from.contains(*r))
    {
        report.plan.push(format!("remove {rel}"));
        report.removed.push(rel.clone());
    }
    let fail = |report: &mut Report, rel: &str, reason: String| {
        report.plan.push(format!("fail {rel} ({reason})"));
        report.failed.push(Failure {
            path: rel.to_string(),
            reason,
        });
    };
    for mut job in jobs {
        let rel = job.file.rel.clone();
        if let Action::Duplicate { of } = &job.action {
            report
                .plan
                .push(format!("skip {rel} (same content as {of})"));
            report.duplicates.push(Failure {
                path: rel.clone(),
                reason: format!("same content as {of}; indexed once, under {of}"),
            });
            continue;
        }
        if let Err(reason) = job.read_sidecar() {
            fail(report, &rel, reason);
            continue;
        }
        if job.action == Action::Extract
            && let Err(e) = crate::extract::pdf_extract_engine::check_password(&job.file.abs)
        {
            fail(report, &rel, e.to_string());
            continue;
        }
        if let Action::Rename { from } = &job.action {
            report.plan.push(format!("rename {from} -> {rel}"));
            // Without a sidecar the PDF gives the file-name id, which the rename replaces.
            let id = match &job.sidecar {
                Some(sidecar) => job.id_for(sidecar),
                None => job.keep_id.clone().unwrap_or_default(),
            };
            report.renamed.push(crate::report::Renamed {
                from: from.clone(),
                to: rel,
                id,
            });
            continue;
        }
        let (line, list) = match job.action {
            Action::Refresh => (
                format!("update {rel} (metadata only, text reused)"),
                &mut report.updated,
            ),
            _ if job.indexed_before => (format!("update {rel}"), &mut report.updated),
            _ => (format!("add {rel}"), &mut report.added),
        };
        report.plan.push(line);
        list.push(rel);
    }
    report.failed.extend(unreadable);
    for t in too_large {
        fail(report, &t.rel, t.reason);
    }
}
