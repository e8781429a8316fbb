//! One indexing run: scan, plan, extract, write, commit once.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};

use pubsearch_core::model::{FileStamp, FileState, PageStatus, PubType, Publication};
use pubsearch_core::schema::{self, Fields};
use pubsearch_core::{CoreError, open};
use tantivy::{IndexWriter, ReloadPolicy, Term};

use crate::docs::{self, PageDoc};
use crate::extract::{ExtractError, Extraction, Extractor, Isolation, PdfInfo};
use crate::plan::{self, Action};
use crate::report::{Failure, Report};
use crate::scan::{self, DiskFile};
use crate::sidecar;

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
}

/// How much a write probe writes to tell a full disk from other write failures.
const SPACE_PROBE_BYTES: usize = 1 << 20;

/// Whether writing [`SPACE_PROBE_BYTES`] into `dir` fails because the disk is full.
///
/// tantivy reports a segment write that ran out of space as "an index writer was killed" (the
/// I/O error stays in its indexing thread), so a failed write is followed by this probe.
fn disk_is_full(dir: &Path) -> bool {
    use std::io::Write;
    let probe = dir.join(".pubsearch-space-probe");
    let result = std::fs::File::create(&probe).and_then(|mut f| {
        f.write_all(&vec![0u8; SPACE_PROBE_BYTES])?;
        f.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    matches!(result, Err(e) if e.kind() == std::io::ErrorKind::StorageFull)
}

/// Receives progress from a run. All methods default to doing nothing.
pub trait Progress: Sync {
    /// `files` files will be read.
    fn begin(&self, _files: usize) {}
    /// One file is done.
    fn advance(&self, _path: &str) {}
    /// A line worth showing (a failure, a fallback).
    fn note(&self, _line: &str) {}
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
}

impl IndexerConfig {
    /// Defaults: incremental, one job per core, extraction in this process (the CLI uses a
    /// worker process instead).
    pub fn new(corpus: impl Into<PathBuf>, index: impl Into<PathBuf>) -> Self {
        IndexerConfig {
            corpus: corpus.into(),
            index: index.into(),
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
        }
    }
}

fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(std::fs::File::open(path)?)?;
    Ok(hasher.finalize().to_hex().to_string())
}

fn file_state(file: &DiskFile) -> std::io::Result<FileState> {
    let pdf = FileStamp {
        size: file.pdf.size,
        mtime_ns: file.pdf.mtime_ns,
        hash: hash_file(&file.abs)?,
    };
    let sidecar = match &file.sidecar {
        Some((path, stat)) => Some(FileStamp {
            size: stat.size,
            mtime_ns: stat.mtime_ns,
            hash: hash_file(path)?,
        }),
        None => None,
    };
    Ok(FileState { pdf, sidecar })
}

fn read_sidecar(file: &DiskFile) -> Result<Option<Publication>, String> {
    let Some((path, _)) = &file.sidecar else {
        return Ok(None);
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("sidecar {}: {e}", path.display()))?;
    let stem = file
        .abs
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("untitled");
    let shown = Path::new(&file.rel).with_extension("toml");
    sidecar::parse(&shown, &text, stem)
        .map(Some)
        .map_err(|e| e.to_string())
}

fn from_pdf_info(file: &DiskFile, info: &PdfInfo) -> Publication {
    let stem = file
        .abs
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("untitled");
    let title = info
        .title
        .clone()
        .unwrap_or_else(|| stem.replace(['_', '-'], " "));
    Publication {
        id: sidecar::slug(stem),
        title,
        date: info.created.as_deref().and_then(sidecar::parse_date),
        pub_type: PubType::Other,
        topics: Vec::new(),
        summary: String::new(),
        authors: info.author.clone().into_iter().collect(),
        language: "en".into(),
    }
}

struct Writer<'a> {
    writer: IndexWriter,
    fields: Fields,
    ids: BTreeMap<String, String>,
    report: &'a mut Report,
    changed: bool,
}

impl Writer<'_> {
    fn fail(
        &mut self,
        rel: &str,
        state: Option<&FileState>,
        reason: String,
        progress: &dyn Progress,
    ) {
        progress.note(&format!("FAILED {rel}: {reason}"));
        if let Some(state) = state {
            self.writer
                .delete_term(Term::from_field_text(self.fields.fail_path, rel));
            let _ = self
                .writer
                .add_document(docs::failure_doc(&self.fields, rel, state, &reason));
            self.changed = true;
        }
        self.report.failed.push(Failure {
            path: rel.to_string(),
            reason,
        });
    }

    fn put(
        &mut self,
        rel: &str,
        publication: Publication,
        pages: &[PageDoc],
        state: &FileState,
        was_indexed: bool,
        progress: &dyn Progress,
    ) -> tantivy::Result<()> {
        if let Some(owner) = self.ids.get(&publication.id)
            && owner != rel
        {
            let reason = format!(
                "id `{}` is already used by {owner}; give one of them another `id` in its sidecar",
                publication.id
            );
            self.fail(rel, Some(state), reason, progress);
            return Ok(());
        }
        if pages.iter().all(|p| p.report.status == PageStatus::Failed) {
            let why = pages
                .iter()
                .find_map(|p| p.report.note.clone())
                .unwrap_or_else(|| "no page could be read".into());
            self.fail(
                rel,
                Some(state),
                format!("no page could be read: {why}"),
                progress,
            );
            return Ok(());
        }
        self.ids.insert(publication.id.clone(), rel.to_string());
        self.writer
            .delete_term(Term::from_field_text(self.fields.path, rel));
        for doc in docs::publication_docs(&self.fields, rel, &publication, pages, state) {
            self.writer.add_document(doc)?;
        }
        self.changed = true;
        if was_indexed {
            self.report.updated.push(rel.to_string());
        } else {
            self.report.added.push(rel.to_string());
        }
        Ok(())
    }
}

/// Runs the indexer. Returns the report; per-file problems are in it, not in the error.
pub fn reindex(cfg: &IndexerConfig, progress: &dyn Progress) -> Result<Report, IndexError> {
    match run(cfg, progress) {
        Err(IndexError::Write(source)) if disk_is_full(&cfg.index) => Err(IndexError::DiskFull {
            path: cfg.index.clone(),
            source,
        }),
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
    let mut report = Report::default();
    let (disk, skipped) = scan::scan(&cfg.corpus, Some(&cfg.index)).map_err(corpus_err)?;
    report.skipped = skipped
        .into_iter()
        .map(|s| Failure {
            path: s.path,
            reason: s.reason,
        })
        .collect();

    let index = if cfg.dry_run && !open::exists(&cfg.index) {
        None
    } else {
        Some(match open::open_or_create(&cfg.index) {
            Ok(index) => index,
            Err(e @ (CoreError::Corrupt { .. } | CoreError::SchemaMismatch { .. })) if cfg.full => {
                tracing::warn!("{e}: rebuilding it from scratch");
                open::remove_index_files(&cfg.index)?;
                open::open_or_create(&cfg.index)?
            }
            Err(e) => return Err(e.into()),
        })
    };
    let fields = match &index {
        Some(index) => Fields::from_schema(&index.schema())?,
        None => schema::build().1,
    };
    // Take the writer lock before reading the state, so the state cannot change under us.
    let writer: Option<IndexWriter> = match (&index, cfg.dry_run) {
        (Some(index), false) => Some(
            index
                .writer(cfg.writer_memory)
                .map_err(open::writer_error)?,
        ),
        _ => None,
    };
    let searcher = match &index {
        Some(index) => Some(
            index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()?
                .searcher(),
        ),
        None => None,
    };
    let (known, indexed_ids) = match &searcher {
        Some(s) => docs::load_known(s, &fields)?,
        None => Default::default(),
    };

    let stat_plan = plan::by_stat(&disk, &known, cfg.full);
    report.unchanged = stat_plan.unchanged.len();
    report.still_failing = stat_plan
        .still_failing
        .iter()
        .map(|(path, reason)| Failure {
            path: path.clone(),
            reason: reason.clone(),
        })
        .collect();
    let to_check: BTreeSet<&String> = stat_plan.to_check.iter().collect();
    let staying: BTreeSet<String> = disk
        .keys()
        .filter(|rel| !to_check.contains(rel))
        .filter(|rel| known.get(*rel).is_some_and(|k| k.indexed.is_some()))
        .cloned()
        .collect();

    let mut checked = BTreeMap::new();
    let mut hash_failures = Vec::new();
    let mut too_large = Vec::new();
    for rel in &stat_plan.to_check {
        let file = &disk[rel];
        let limit = cfg.extractor.limits.max_file_bytes;
        if file.pdf.size > limit {
            // Not even hashed: recorded by stat, so it is not read again until it changes.
            let state = FileState {
                pdf: FileStamp {
                    size: file.pdf.size,
                    mtime_ns: file.pdf.mtime_ns,
                    hash: String::new(),
                },
                sidecar: file.sidecar.as_ref().map(|(_, s)| FileStamp {
                    size: s.size,
                    mtime_ns: s.mtime_ns,
                    hash: String::new(),
                }),
            };
            let reason = ExtractError::TooLarge {
                size: file.pdf.size,
                limit,
            }
            .to_string();
            too_large.push((rel.clone(), state, reason));
            continue;
        }
        match file_state(file) {
            Ok(state) => {
                checked.insert(rel.clone(), state);
            }
            Err(e) => hash_failures.push(Failure {
                path: rel.clone(),
                reason: format!("cannot read: {e}"),
            }),
        }
    }
    let actions = plan::by_hash(&checked, &known, &staying, cfg.full);

    if cfg.dry_run || writer.is_none() {
        for rel in &stat_plan.removed {
            report.plan.push(format!("remove {rel}"));
            report.removed.push(rel.clone());
        }
        for (rel, action) in &actions {
            let was = known.get(rel).is_some_and(|k| k.indexed.is_some());
            report.plan.push(match action {
                Action::Extract if was => format!("update {rel}"),
                Action::Extract => format!("add {rel}"),
                Action::Refresh => format!("update {rel} (metadata only, text reused)"),
                Action::Duplicate { of } => format!("skip {rel} (same content as {of})"),
            });
        }
        report.failed.extend(hash_failures);
        for (rel, _, reason) in too_large {
            report.plan.push(format!("fail {rel} ({reason})"));
            report.failed.push(Failure { path: rel, reason });
        }
        return Ok(report);
    }
    let writer = writer.expect("writer exists when not a dry run");
    let searcher = searcher.expect("searcher exists with an index");

    // Ids stay reserved by the publications that are not re-read in this run.
    let ids: BTreeMap<String, String> = indexed_ids
        .into_iter()
        .filter(|(_, rel)| staying.contains(rel))
        .collect();
    let mut w = Writer {
        writer,
        fields,
        ids,
        report: &mut report,
        changed: false,
    };
    if cfg.full {
        w.writer.delete_all_documents()?;
        w.changed = true;
    }
    for f in hash_failures {
        w.fail(&f.path, None, f.reason, progress);
    }
    for (rel, state, reason) in &too_large {
        w.fail(rel, Some(state), reason.clone(), progress);
    }
    for rel in &stat_plan.removed {
        w.writer
            .delete_term(Term::from_field_text(fields.path, rel));
        w.report.removed.push(rel.clone());
        w.changed = true;
    }

    let mut extract_queue = VecDeque::new();
    let mut refreshes = Vec::new();
    for (rel, action) in &actions {
        let file = &disk[rel];
        let state = &checked[rel];
        let was_indexed = known.get(rel).is_some_and(|k| k.indexed.is_some()) && !cfg.full;
        match action {
            Action::Duplicate { of } => {
                w.report.duplicates.push(Failure {
                    path: rel.clone(),
                    reason: format!("same content as {of}; indexed once, under {of}"),
                });
                if was_indexed {
                    w.writer
                        .delete_term(Term::from_field_text(fields.path, rel));
                    w.report.removed.push(rel.clone());
                    w.changed = true;
                }
            }
            Action::Extract | Action::Refresh => {
                let meta = match read_sidecar(file) {
                    Ok(meta) => meta,
                    Err(reason) => {
                        w.fail(rel, Some(state), reason, progress);
                        continue;
                    }
                };
                if *action == Action::Refresh {
                    refreshes.push((rel.clone(), meta, was_indexed));
                } else {
                    extract_queue.push_back((rel.clone(), meta, was_indexed));
                }
            }
        }
    }
    progress.begin(extract_queue.len() + refreshes.len());

    for (rel, meta, was_indexed) in refreshes {
        let file = &disk[&rel];
        match docs::load_pages(&searcher, &fields, &rel)? {
            Some(pages) => {
                let publication = match meta {
                    Some(m) => m,
                    None => {
                        // No sidecar: keep the metadata the PDF gave last time.
                        stored_publication(&searcher, &fields, &rel)
                            .unwrap_or_else(|| from_pdf_info(file, &PdfInfo::default()))
                    }
                };
                w.put(
                    &rel,
                    publication,
                    &pages,
                    &checked[&rel],
                    was_indexed,
                    progress,
                )?;
            }
            None => extract_queue.push_back((rel.clone(), meta, was_indexed)),
        }
        progress.advance(&rel);
    }

    let queue = Arc::new(Mutex::new(
        extract_queue
            .iter()
            .map(|(rel, _, _)| (rel.clone(), disk[rel].abs.clone()))
            .collect::<VecDeque<_>>(),
    ));
    let mut pending: BTreeMap<String, (Option<Publication>, bool)> = extract_queue
        .into_iter()
        .map(|(rel, meta, was)| (rel, (meta, was)))
        .collect();
    let (tx, rx) = mpsc::channel::<(String, Result<Extraction, ExtractError>)>();
    std::thread::scope(|scope| -> Result<(), IndexError> {
        for _ in 0..cfg.jobs.max(1) {
            let queue = Arc::clone(&queue);
            let tx = tx.clone();
            let extractor = &cfg.extractor;
            scope.spawn(move || {
                loop {
                    let next = queue.lock().map(|mut q| q.pop_front()).ok().flatten();
                    let Some((rel, abs)) = next else { break };
                    let result = extractor.extract(&abs);
                    if tx.send((rel, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (rel, result) in rx {
            let (meta, was_indexed) = pending.remove(&rel).unwrap_or((None, false));
            let file = &disk[&rel];
            let state = &checked[&rel];
            match result {
                Ok(extraction) => {
                    for note in &extraction.notes {
                        progress.note(&format!("{rel}: {note}"));
                    }
                    let publication = meta.unwrap_or_else(|| from_pdf_info(file, &extraction.info));
                    let pages: Vec<PageDoc> = extraction
                        .pages
                        .into_iter()
                        .map(|p| PageDoc {
                            text: p.text,
                            report: p.report,
                        })
                        .collect();
                    w.report.pages_read += pages.len();
                    w.report.pages_fallback += pages
                        .iter()
                        .filter(|p| p.report.engine == pubsearch_core::model::Engine::Pdftotext)
                        .count();
                    w.report.pages_no_text += pages
                        .iter()
                        .filter(|p| p.report.status == PageStatus::NoTextLayer)
                        .count();
                    w.put(&rel, publication, &pages, state, was_indexed, progress)?;
                }
                Err(e) => w.fail(&rel, Some(state), e.to_string(), progress),
            }
            progress.advance(&rel);
        }
        Ok(())
    })?;

    let changed = w.changed;
    let mut writer = w.writer;
    if changed {
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&schema::commit_payload());
        commit.commit()?;
        report.committed = true;
    }
    writer.wait_merging_threads()?;
    Ok(report)
}

fn stored_publication(searcher: &tantivy::Searcher, f: &Fields, rel: &str) -> Option<Publication> {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, Value};
    let q: Vec<(Occur, Box<dyn Query>)> = vec![
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.path, rel),
                IndexRecordOption::Basic,
            )),
        ),
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.kind, schema::kind::PUBLICATION),
                IndexRecordOption::Basic,
            )),
        ),
    ];
    let top = searcher
        .search(
            &BooleanQuery::new(q),
            &TopDocs::with_limit(1).order_by_score(),
        )
        .ok()?;
    let (_, addr) = top.first()?;
    let doc: tantivy::TantivyDocument = searcher.doc(*addr).ok()?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let all = |field| {
        doc.get_all(field)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect::<Vec<_>>()
    };
    Some(Publication {
        id: text(f.id)?,
        title: text(f.title).unwrap_or_default(),
        date: doc
            .get_first(f.date)
            .and_then(|v| v.as_datetime())
            .map(|d| d.into_utc().date()),
        pub_type: text(f.pub_type)
            .and_then(|t| t.parse().ok())
            .unwrap_or(PubType::Other),
        topics: all(f.topics),
        summary: text(f.summary).unwrap_or_default(),
        authors: all(f.authors),
        language: text(f.language).unwrap_or_else(|| "en".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_space_probe_leaves_nothing_and_only_reports_a_full_disk() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!disk_is_full(dir.path()));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        // A directory that does not exist is a different failure, not a full disk.
        assert!(!disk_is_full(&dir.path().join("missing")));
        // /dev/full answers every write with ENOSPC.
        if Path::new("/dev/full").exists() {
            use std::io::Write;
            let err = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .and_then(|mut f| f.write_all(&[0u8; 4096]).and_then(|()| f.flush()))
                .unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::StorageFull);
        }
    }
}
