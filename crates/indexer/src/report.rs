//! The summary of an indexing run.

use serde::Serialize;

/// A file that did not go in, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// Path relative to the corpus.
    pub path: String,
    /// Why.
    pub reason: String,
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
    /// Pages read in this run.
    pub pages_read: usize,
    /// Pages whose text came from the fallback engine.
    pub pages_fallback: usize,
    /// Pages with no text layer (need OCR).
    pub pages_no_text: usize,
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
        let mut out = format!(
            "added {}, updated {}, removed {}, unchanged {}, failed {}",
            self.added.len(),
            self.updated.len(),
            self.removed.len(),
            self.unchanged,
            self.failed.len() + self.still_failing.len() + self.skipped.len(),
        );
        if self.pages_read > 0 {
            out.push_str(&format!(
                "\npages read {} ({} from the pdftotext fallback, {} without a text layer)",
                self.pages_read, self.pages_fallback, self.pages_no_text
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
        for f in &self.duplicates {
            out.push_str(&format!("\nDUPLICATE {}: {}", f.path, f.reason));
        }
        out
    }
}
