//! OCR of pages without a text layer: each page rendered alone by `pdftoppm` (poppler-utils)
//! and piped into the `tesseract` CLI (Debian `tesseract-ocr` 5.x), whose TSV output gives the
//! words with their confidences.
//!
//! - [`languages`]: publication language codes to Tesseract packs and Debian packages;
//! - [`tsv`]: reading Tesseract's TSV into page text and a mean confidence;
//! - [`cache`]: the cache key (content hash, page, packs, Tesseract version);
//! - [`tesseract`]: running the two programs for one page, with a time limit;
//! - [`reader`]: the step of a run: which pages, through the cache, into the extraction.

pub mod cache;
pub mod languages;
pub mod reader;
pub mod tesseract;
pub mod tsv;

pub use reader::{Ocr, OcrConfig, OcrCounts, OcrMode};
