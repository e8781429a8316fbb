//! Reading the PDFs of a run in parallel: `workers` threads take jobs from one queue, each
//! running the [`Extractor`] (in a worker process, for the CLI) and then [`Ocr`] on the pages
//! that need it, and hand every result back to the calling thread, which alone writes to the
//! index.

use std::collections::VecDeque;
use std::sync::{Mutex, mpsc};

use super::jobs::FileJob;
use super::{IndexError, Progress};
use crate::extract::ocr::Ocr;
use crate::extract::{ExtractError, Extraction, Extractor};

/// How the files of a run are read.
pub(super) struct Reading<'a> {
    /// Extraction of the text layer.
    pub extractor: &'a Extractor,
    /// OCR of the pages without one.
    pub ocr: &'a Ocr,
    /// Where OCR progress and notes go.
    pub progress: &'a dyn Progress,
}

impl Reading<'_> {
    /// Reads one job's PDF: its text layer, then OCR of its scanned pages.
    fn read(&self, job: &FileJob) -> Result<Extraction, ExtractError> {
        let mut extraction = self.extractor.extract(&job.file.abs)?;
        // A publication whose language is not given is read with the English pack (its
        // language is detected after, from the text).
        let codes: Vec<&str> = job
            .sidecar
            .iter()
            .flat_map(|p| &p.languages)
            .map(|l| l.as_str())
            .collect();
        let language = codes.join(",");
        let language = language.as_str();
        let rel = job.file.rel.as_str();
        let missing = self.ocr.complete(
            &job.file.abs,
            Some(&job.state.pdf.hash),
            language,
            &mut extraction,
            &|done, of| self.progress.ocr_page(rel, done, of),
        );
        for page in extraction.pages.iter().map(|p| &p.report) {
            if page.is_ocr()
                && page.lacks_text()
                && let Some(why) = &page.note
            {
                self.progress
                    .note(&format!("{rel}: page {}: {why}", page.page));
            }
        }
        for package in missing {
            self.progress.note(&format!(
                "OCR: a language pack of {rel} is not installed (Debian package {package}); \
                 its pages are read with the packs that are"
            ));
        }
        Ok(extraction)
    }
}

/// Reads every job's PDF and calls `apply` with each job and its result, in the order they
/// finish. Stops at the first error `apply` returns (the threads finish the file they are on).
pub(super) fn extract_all<'d>(
    jobs: Vec<FileJob<'d>>,
    reading: &Reading,
    workers: usize,
    mut apply: impl FnMut(FileJob<'d>, Result<Extraction, ExtractError>) -> Result<(), IndexError>,
) -> Result<(), IndexError> {
    if jobs.is_empty() {
        return Ok(());
    }
    let queue = Mutex::new(VecDeque::from(jobs));
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            let tx = tx.clone();
            let queue = &queue;
            scope.spawn(move || {
                loop {
                    let next = queue.lock().map(|mut q| q.pop_front()).ok().flatten();
                    let Some(job) = next else { break };
                    let result = reading.read(&job);
                    if tx.send((job, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (job, result) in rx {
            apply(job, result)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Isolation;
    use crate::plan::Action;
    use crate::scan::{DiskFile, Stat};
    use pubsearch_core::model::{FileStamp, FileState};

    #[test]
    fn every_job_comes_back_once_with_its_own_result() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<DiskFile> = (0..5)
            .map(|i| {
                let abs = dir.path().join(format!("{i}.pdf"));
                if i != 3 {
                    std::fs::write(&abs, crate::extract::fixtures::pdf(&[&format!("Page {i}")]))
                        .unwrap();
                }
                DiskFile {
                    rel: format!("{i}.pdf"),
                    abs,
                    pdf: Stat {
                        size: 1,
                        mtime_ns: 1,
                    },
                    sidecar: None,
                }
            })
            .collect();
        let jobs: Vec<FileJob> = files
            .iter()
            .map(|file| FileJob {
                file,
                state: FileState {
                    pdf: FileStamp {
                        size: 1,
                        mtime_ns: 1,
                        hash: file.rel.clone(),
                    },
                    sidecar: None,
                },
                action: Action::Extract,
                indexed_before: false,
                sidecar: None,
                keep_id: None,
            })
            .collect();
        let extractor = Extractor {
            isolation: Isolation::InProcess,
            engine: crate::extract::EngineChoice::PdfExtract,
            limits: Default::default(),
        };
        let mut seen = Vec::new();
        let ocr = Ocr::off();
        let reading = Reading {
            extractor: &extractor,
            ocr: &ocr,
            progress: &crate::run::NoProgress,
        };
        extract_all(jobs, &reading, 3, |job, result| {
            assert_eq!(job.state.pdf.hash, job.file.rel);
            let text = result.map(|e| e.joined_text());
            seen.push((job.file.rel.clone(), text));
            Ok(())
        })
        .unwrap();
        seen.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(seen.len(), 5);
        for (rel, text) in &seen {
            let n = rel.trim_end_matches(".pdf");
            match text {
                Ok(t) => assert!(t.contains(&format!("Page {n}")), "{rel}: {t:?}"),
                Err(e) => assert_eq!(n, "3", "{rel}: {e}"),
            }
        }
    }

    #[test]
    fn the_first_error_stops_the_run() {
        let file = DiskFile {
            rel: "missing.pdf".into(),
            abs: "/nonexistent/missing.pdf".into(),
            pdf: Stat {
                size: 1,
                mtime_ns: 1,
            },
            sidecar: None,
        };
        let job = FileJob {
            file: &file,
            state: FileState {
                pdf: FileStamp {
                    size: 1,
                    mtime_ns: 1,
                    hash: String::new(),
                },
                sidecar: None,
            },
            action: Action::Extract,
            indexed_before: false,
            sidecar: None,
            keep_id: None,
        };
        let extractor = Extractor {
            isolation: Isolation::InProcess,
            engine: Default::default(),
            limits: Default::default(),
        };
        let mut calls = 0;
        let ocr = Ocr::off();
        let reading = Reading {
            extractor: &extractor,
            ocr: &ocr,
            progress: &crate::run::NoProgress,
        };
        let err = extract_all(vec![job.clone(), job], &reading, 1, |_, _| {
            calls += 1;
            Err(IndexError::Write(tantivy::TantivyError::InternalError(
                "stop".into(),
            )))
        })
        .unwrap_err();
        assert!(matches!(err, IndexError::Write(_)));
        assert_eq!(calls, 1);
    }
}
