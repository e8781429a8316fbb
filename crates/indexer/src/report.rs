//! The summary of an indexing run.

use pubsearch_core::doc::ScannedFile;
use pubsearch_core::model::{page_ranges, pages_phrase};
use serde::Serialize;

use crate::extract::ocr::OcrCounts;

/// A file that did not go in, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// Path relative to the corpus.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// A file indexed under a new path with the content of one gone from disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Renamed {
    /// The old path, relative to the corpus.
    pub from: String,
    /// The new path.
    pub to: String,
    /// The publication's id (kept from the old path unless the sidecar names another).
    pub id: String,
}

/// What a run did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Newly indexed publications.
    pub added: Vec<String>,
    /// Re-indexed publications (content or metadata changed).
    pub updated: Vec<String>,
    /// Publications removed because their PDF is gone.
    pub removed: Vec<String>,
    /// Files renamed or moved: the publication kept its id and its text was not read again.
    pub renamed: Vec<Renamed>,
    /// Publications left as they were.
    pub unchanged: usize,
    /// Files that failed in this run (an earlier indexed version, if any, stays).
    pub failed: Vec<Failure>,
    /// Files that failed before and have not changed since (not read again).
    pub still_failing: Vec<Failure>,
    /// Files whose content is already indexed under another name.
    pub duplicates: Vec<Failure>,
    /// Files found but not indexable (bad names, symlinks out of the corpus).
    pub skipped: Vec<Failure>,
    /// Sidecars with no PDF beside them (the PDF was removed or renamed): not read.
    pub orphan_sidecars: Vec<String>,
    /// Pages read in this run.
    pub pages_read: usize,
    /// Pages whose text came from the fallback engine.
    pub pages_fallback: usize,
    /// Pages read in this run that still have no text (no text layer, and OCR off, not
    /// installed or failed).
    pub pages_no_text: usize,
    /// What OCR did in this run.
    pub ocr: OcrCounts,
    /// Debian packages of language packs OCR wanted and did not find.
    pub ocr_missing_packages: Vec<String>,
    /// Why some scanned pages have no text, when OCR could not run: what to do about it.
    pub ocr_off: Option<String>,
    /// Every file in the index with scanned pages, after this run: which pages OCR read and
    /// which still have no text.
    pub scanned: Vec<ScannedFile>,
    /// Whether a commit was made (false for a dry run or a run that changed nothing).
    pub committed: bool,
    /// For a dry run: what would be done, one line per file.
    pub plan: Vec<String>,
}

impl Report {
    /// True when every file found is in the index.
    pub fn all_ok(&self) -> bool {
        self.failed.is_empty() && self.still_failing.is_empty() && self.skipped.is_empty()
    }

    /// A human summary, one line per counted outcome and one per problem file.
    pub fn summary(&self) -> String {
        let renamed = if self.renamed.is_empty() {
            String::new()
        } else {
            format!(", renamed {}", self.renamed.len())
        };
        let mut out = format!(
            "added {}, updated {}, removed {}{renamed}, unchanged {}, failed {}",
            self.added.len(),
            self.updated.len(),
            self.removed.len(),
            self.unchanged,
            self.failed.len() + self.still_failing.len() + self.skipped.len(),
        );
        if self.pages_read > 0 {
            out.push_str(&format!(
                "\npages read {} ({} from the pdftotext fallback, {} recognised by OCR, {} \
                 without text)",
                self.pages_read, self.pages_fallback, self.ocr.recognised, self.pages_no_text
            ));
            if self.ocr.from_cache > 0 || self.ocr.failed > 0 {
                out.push_str(&format!(
                    "\nOCR: {} pages from the cache, {} could not be read",
                    self.ocr.from_cache, self.ocr.failed
                ));
            }
        }
        for s in &self.scanned {
            let p = &s.pages;
            let mut line = format!("\nSCANNED {}:", s.path);
            if !p.recognised.is_empty() {
                line.push_str(&format!(
                    " {} recognised by OCR",
                    pages_phrase(&p.recognised)
                ));
                if !p.low_confidence.is_empty() {
                    line.push_str(&format!(
                        " (low confidence on {})",
                        page_ranges(&p.low_confidence)
                    ));
                }
                if !p.without_text.is_empty() {
                    line.push(';');
                }
            }
            if !p.without_text.is_empty() {
                line.push_str(&format!(
                    " {} without text, not searchable",
                    pages_phrase(&p.without_text)
                ));
            }
            out.push_str(&line);
        }
        if let Some(why) = &self.ocr_off {
            out.push_str(&format!("\nscanned pages stay without text: {why}"));
        }
        for package in &self.ocr_missing_packages {
            out.push_str(&format!(
                "\nOCR: a language pack is missing: install the Debian package {package}"
            ));
        }
        for f in &self.failed {
            out.push_str(&format!("\nFAILED {}: {}", f.path, f.reason));
        }
        for f in &self.still_failing {
            out.push_str(&format!(
                "\nFAILED {} (unchanged since last run): {}",
                f.path, f.reason
            ));
        }
        for f in &self.skipped {
            out.push_str(&format!("\nSKIPPED {}: {}", f.path, f.reason));
        }
        for r in &self.renamed {
            out.push_str(&format!(
                "\nRENAMED {} -> {} (id {}: links to it keep working)",
                r.from, r.to, r.id
            ));
        }
        for f in &self.duplicates {
            out.push_str(&format!("\nDUPLICATE {}: {}", f.path, f.reason));
        }
        for path in &self.orphan_sidecars {
            let pdf = std::path::Path::new(path).with_extension("pdf");
            out.push_str(&format!(
                "\nORPHAN {path}: no PDF beside it ({} was removed or renamed); delete the \
                 sidecar, rename it with its PDF, or put the PDF back",
                pdf.display()
            ));
        }
        out
    }
}
