//! Applying a run's outcomes to the index writer: removals, failures, metadata refreshes and
//! extracted publications, each written through [`pubsearch_core::doc`] and counted in the
//! [`Report`].

use std::collections::BTreeMap;

use pubsearch_core::doc::{self, Stored, StoredPublication};
use pubsearch_core::model::{Engine, FileState, PageStatus, PageText, Publication};
use pubsearch_core::schema::Fields;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, Searcher, TantivyDocument};

use super::jobs::FileJob;
use super::{IndexError, Progress};
use crate::extract::{ExtractError, Extraction};
use crate::plan::Action;
use crate::report::{Failure, Renamed, Report};

/// The writer side of a run.
pub(super) struct Apply<'r> {
    writer: IndexWriter,
    fields: Fields,
    /// Id → path of every publication in the index after this run so far.
    ids: BTreeMap<String, String>,
    full: bool,
    report: &'r mut Report,
    changed: bool,
}

impl<'r> Apply<'r> {
    /// Writes through `writer`; `ids` are the ids the publications not re-read keep.
    pub fn new(
        writer: IndexWriter,
        fields: Fields,
        ids: BTreeMap<String, String>,
        full: bool,
        report: &'r mut Report,
    ) -> Self {
        Apply {
            writer,
            fields,
            ids,
            full,
            report,
            changed: false,
        }
    }

    /// Deletes everything, for a full rebuild.
    pub fn clear(&mut self) -> tantivy::Result<()> {
        self.writer.delete_all_documents()?;
        self.changed = true;
        Ok(())
    }

    /// Reports a failed file; with its state, records the failure so an unchanged file is not
    /// read again. An indexed earlier version stays.
    pub fn fail(
        &mut self,
        rel: &str,
        state: Option<&FileState>,
        reason: String,
        progress: &dyn Progress,
    ) {
        progress.note(&format!("FAILED {rel}: {reason}"));
        if let Some(state) = state {
            let _ = doc::put_failure(&self.writer, &self.fields, rel, state, &reason);
            self.changed = true;
        }
        self.report.failed.push(Failure {
            path: rel.to_string(),
            reason,
        });
    }

    /// Removes a file gone from disk.
    pub fn remove(&mut self, rel: &str) {
        self.delete(rel);
        self.report.removed.push(rel.to_string());
    }

    /// Deletes what the index holds for `rel`: the old path of a renamed file, written again
    /// under its new path.
    pub fn delete(&mut self, rel: &str) {
        doc::remove(&self.writer, &self.fields, rel);
        self.changed = true;
    }

    fn was_indexed(&self, job: &FileJob) -> bool {
        job.indexed_before && !self.full
    }

    /// Settles a duplicate, and reads the sidecar of a file to extract or refresh: returns the
    /// job when its PDF or stored text is still to be read.
    pub fn prepare<'d>(
        &mut self,
        mut job: FileJob<'d>,
        progress: &dyn Progress,
    ) -> Option<FileJob<'d>> {
        let rel = &job.file.rel;
        if let Action::Duplicate { of } = &job.action {
            self.report.duplicates.push(Failure {
                path: rel.clone(),
                reason: format!("same content as {of}; indexed once, under {of}"),
            });
            if self.was_indexed(&job) {
                self.remove(rel);
            }
            return None;
        }
        match job.read_sidecar() {
            Ok(()) => Some(job),
            Err(reason) => {
                self.fail(&job.file.rel, Some(&job.state), reason, progress);
                None
            }
        }
    }

    /// Writes a file whose PDF is the one indexed with its new metadata and the stored text;
    /// returns the job when the stored text cannot be reused and the PDF must be read.
    pub fn refresh<'d>(
        &mut self,
        searcher: &Searcher,
        mut job: FileJob<'d>,
        progress: &dyn Progress,
    ) -> Result<Option<FileJob<'d>>, IndexError> {
        let from = match &job.action {
            Action::Rename { from } => from.clone(),
            _ => job.file.rel.clone(),
        };
        let Some((stored, pages)) = stored_pages(searcher, &self.fields, &from)? else {
            return Ok(Some(job));
        };
        let publication = match job.sidecar.take() {
            Some(sidecar) => sidecar,
            // The stored metadata came from a sidecar that is gone: the PDF's own metadata
            // replaces it, and only reading the PDF again gives that.
            None if had_sidecar(&stored) => return Ok(Some(job)),
            // Without a sidecar, now or then, the metadata the PDF gave last time stays.
            None => stored.publication,
        };
        self.put(&job, publication, &pages, progress)?;
        Ok(None)
    }

    /// Writes the outcome of reading one PDF.
    pub fn extracted(
        &mut self,
        mut job: FileJob,
        result: Result<Extraction, ExtractError>,
        progress: &dyn Progress,
    ) -> Result<(), IndexError> {
        let rel = job.file.rel.clone();
        let extraction = match result {
            Ok(extraction) => extraction,
            Err(e) => {
                self.fail(&rel, Some(&job.state), e.to_string(), progress);
                return Ok(());
            }
        };
        for note in &extraction.notes {
            progress.note(&format!("{rel}: {note}"));
        }
        let publication = job
            .sidecar
            .take()
            .unwrap_or_else(|| job.publication_from_pdf(&extraction.info));
        let pages = extraction.pages;
        self.report.pages_read += pages.len();
        self.report.pages_fallback += pages
            .iter()
            .filter(|p| p.report.engine == Engine::Pdftotext)
            .count();
        self.report.pages_no_text += pages.iter().filter(|p| p.report.lacks_text()).count();
        self.put(&job, publication, &pages, progress)?;
        Ok(())
    }

    /// Indexes a publication, unless its id belongs to another file or no page could be read
    /// (then it fails and an earlier version stays).
    fn put(
        &mut self,
        job: &FileJob,
        mut publication: Publication,
        pages: &[PageText],
        progress: &dyn Progress,
    ) -> tantivy::Result<()> {
        let rel = job.file.rel.as_str();
        publication.id = job.id_for(&publication);
        if publication.languages.is_empty()
            && let Some(lang) = crate::language::detect(pages)
        {
            publication.languages = vec![lang];
            publication.language_detected = true;
        }
        if let Some(owner) = self.ids.get(&publication.id)
            && owner != rel
        {
            let reason = format!(
                "id `{}` is already used by {owner}; give one of them another `id` in its sidecar",
                publication.id
            );
            self.fail(rel, Some(&job.state), reason, progress);
            return Ok(());
        }
        if pages.iter().all(|p| p.report.status == PageStatus::Failed) {
            let why = pages
                .iter()
                .find_map(|p| p.report.note.clone())
                .unwrap_or_else(|| "no page could be read".into());
            let reason = format!("no page could be read: {why}");
            self.fail(rel, Some(&job.state), reason, progress);
            return Ok(());
        }
        self.ids.insert(publication.id.clone(), rel.to_string());
        doc::put_publication(
            &self.writer,
            &self.fields,
            rel,
            &publication,
            pages,
            &job.state,
        )?;
        self.changed = true;
        if let Action::Rename { from } = &job.action {
            self.report.renamed.push(Renamed {
                from: from.clone(),
                to: rel.to_string(),
                id: publication.id.clone(),
            });
        } else if self.was_indexed(job) {
            self.report.updated.push(rel.to_string());
        } else {
            self.report.added.push(rel.to_string());
        }
        Ok(())
    }

    /// The writer, and whether anything was written.
    pub fn finish(self) -> (IndexWriter, bool) {
        (self.writer, self.changed)
    }
}

/// Whether the stored publication's metadata came from a sidecar (an unreadable state counts as
/// yes, so the PDF is read again rather than keeping metadata of unknown origin).
fn had_sidecar(stored: &StoredPublication) -> bool {
    stored.state().map_or(true, |s| s.sidecar.is_some())
}

/// The stored publication at `rel` with its pages' text, or `None` when they cannot all be read
/// back (then the PDF is read again).
fn stored_pages(
    searcher: &Searcher,
    f: &Fields,
    rel: &str,
) -> tantivy::Result<Option<(StoredPublication, Vec<PageText>)>> {
    let query = TermQuery::new(doc::path_term(f, rel), IndexRecordOption::Basic);
    let mut publication = None;
    let mut texts: BTreeMap<u32, String> = BTreeMap::new();
    for addr in searcher.search(&query, &DocSetCollector)? {
        let d: TantivyDocument = searcher.doc(addr)?;
        match Stored::from_doc(&d, f) {
            Ok(Stored::Publication(p)) => publication = Some(p),
            Ok(Stored::Page(p)) => {
                texts.insert(p.page, p.text);
            }
            Ok(Stored::Failure(_)) => {}
            Err(_) => return Ok(None),
        }
    }
    let Some(publication) = publication else {
        return Ok(None);
    };
    let Ok(reports) = publication.pages() else {
        return Ok(None);
    };
    if reports.len() != texts.len() {
        return Ok(None);
    }
    let pages = reports
        .into_iter()
        .map(|report| PageText {
            text: texts.remove(&report.page).unwrap_or_default(),
            report,
        })
        .collect();
    Ok(Some((publication, pages)))
}
