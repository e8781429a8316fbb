//! A progress bar for indexing runs (hidden when stderr is not a terminal).

use indicatif::{ProgressBar, ProgressStyle};
use pubsearch_indexer::Progress;

pub struct Bar(ProgressBar);

impl Bar {
    pub fn new() -> Bar {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Bar(bar)
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn begin(&self, files: usize) {
        self.0.set_length(files as u64);
    }

    fn advance(&self, path: &str) {
        self.0.set_message(path.to_string());
        self.0.inc(1);
    }

    fn note(&self, line: &str) {
        self.0.suspend(|| tracing::warn!("{line}"));
    }

    fn ocr_page(&self, path: &str, done: usize, of: usize) {
        self.0
            .set_message(format!("OCR page {done}/{of} of {path}"));
    }
}
