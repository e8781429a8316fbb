//! Text extraction from PDFs, page by page, hardened against hostile files.
//!
//! The chain, measured on real-world PDFs (see the README):
//! 1. pdf-extract, one page at a time, each page inside `catch_unwind`
//!    ([`pdf_extract_engine`]);
//! 2. reference-free quality checks per page ([`quality`]);
//! 3. `pdftotext` (poppler-utils) as a fallback for failed or bad pages, when installed
//!    ([`pdftotext`]);
//! 4. NFKC normalisation ([`normalize`]).
//!
//! The chain runs in a child process ([`worker`]) with address-space, CPU and wall-time
//! limits, because pdf-extract can abort the process (stack overflow on a cyclic page tree) or
//! run for minutes. A crashed or timed-out worker is retried once with pdftotext alone.

pub mod chain;
pub mod normalize;
pub mod ocr;
pub mod pdf_extract_engine;
pub mod pdftotext;
pub mod quality;
pub mod repeated;
pub mod visual_order;
pub mod worker;

use std::path::PathBuf;
use std::time::Duration;

use pubsearch_core::UnknownName;
use pubsearch_core::model::PageText;
use serde::{Deserialize, Serialize};
use time::Date;

pub use chain::extract_in_process;
pub use worker::{Extractor, Isolation};

/// Which engines the chain may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EngineChoice {
    /// pdf-extract first, pdftotext for pages that fail or look wrong (the default).
    #[default]
    Auto,
    /// pdf-extract only.
    PdfExtract,
    /// pdftotext only.
    Pdftotext,
    /// OCR of every page (`--ocr always`), the text layer read as with `auto` for the pages OCR
    /// cannot read.
    Ocr,
}

impl EngineChoice {
    /// Every choice.
    pub const ALL: [EngineChoice; 4] = [
        EngineChoice::Auto,
        EngineChoice::PdfExtract,
        EngineChoice::Pdftotext,
        EngineChoice::Ocr,
    ];

    /// How the text layer is read under this choice.
    pub fn text_layer(self) -> EngineChoice {
        match self {
            EngineChoice::Ocr => EngineChoice::Auto,
            other => other,
        }
    }

    /// The name used on the command line, in `PUBSEARCH_ENGINE` and in a worker's job.
    pub fn as_str(self) -> &'static str {
        match self {
            EngineChoice::Auto => "auto",
            EngineChoice::PdfExtract => "pdf-extract",
            EngineChoice::Pdftotext => "pdftotext",
            EngineChoice::Ocr => "ocr",
        }
    }
}

impl std::fmt::Display for EngineChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for EngineChoice {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EngineChoice::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| {
                UnknownName::new("engine", s, EngineChoice::ALL.map(EngineChoice::as_str))
            })
    }
}

impl Serialize for EngineChoice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EngineChoice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// Resource limits for one extraction.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Limits {
    /// Address-space limit of the worker process, in bytes.
    pub memory_bytes: u64,
    /// CPU-time limit of the worker process, in seconds.
    pub cpu_secs: u64,
    /// Wall-clock limit for one file.
    pub wall: Duration,
    /// Files larger than this are not read.
    pub max_file_bytes: u64,
    /// Documents with more pages than this are cut, with a note.
    pub max_pages: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes: 1 << 30,
            cpu_secs: 60,
            wall: Duration::from_secs(120),
            max_file_bytes: 512 << 20,
            max_pages: 5_000,
        }
    }
}

/// What the PDF says about itself in its Info dictionary.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfInfo {
    /// `/Title`.
    pub title: Option<String>,
    /// `/Author`.
    pub author: Option<String>,
    /// `/CreationDate`, when it holds a valid date.
    pub created: Option<Date>,
}

/// A successfully read document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    /// Pages in order; `pages[i].report.page == i + 1`.
    pub pages: Vec<PageText>,
    /// The Info dictionary.
    pub info: PdfInfo,
    /// Whether the file was encrypted (and opened with the empty password).
    pub encrypted: bool,
    /// Document-level remarks (fallbacks taken, pages cut).
    pub notes: Vec<String>,
    /// Pages with images whose text layer fails the quality checks: OCR may read them better.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_like: Vec<u32>,
}

#[cfg(test)]
mod engine_choice_tests {
    use super::*;

    #[test]
    fn names_parse_back_and_are_the_job_json() {
        for e in EngineChoice::ALL {
            assert_eq!(e.as_str().parse::<EngineChoice>().unwrap(), e);
            assert_eq!(serde_json::to_string(&e).unwrap(), format!("\"{e}\""));
            let back: EngineChoice = serde_json::from_str(&format!("\"{e}\"")).unwrap();
            assert_eq!(back, e);
        }
        let err = "tesseract".parse::<EngineChoice>().unwrap_err().to_string();
        assert!(err.contains("auto, pdf-extract, pdftotext, ocr"), "{err}");
        assert_eq!(EngineChoice::Ocr.text_layer(), EngineChoice::Auto);
    }
}

impl Extraction {
    /// All the pages' text, separated by form feeds.
    pub fn joined_text(&self) -> String {
        let texts: Vec<&str> = self.pages.iter().map(|p| p.text.as_str()).collect();
        texts.join("\u{c}")
    }
}

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum ExtractError {
    /// The file could not be read from disk.
    #[error("cannot read file: {0}")]
    Io(String),
    /// The file is larger than the configured limit.
    #[error("file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The PDF needs a password to open.
    #[error("encrypted: the PDF needs a password to open")]
    Encrypted,
    /// No engine could parse the file.
    #[error("not a readable PDF: {0}")]
    Unreadable(String),
    /// The worker process died (abort, stack overflow, out of memory, CPU limit).
    #[error("extractor crashed: {0}")]
    Crashed(String),
    /// The worker ran past the wall-clock limit and was killed.
    #[error("extractor timed out after {0} s and was stopped")]
    TimedOut(u64),
    /// The worker could not be started.
    #[error("cannot start the extractor worker: {0}")]
    Spawn(String),
}

/// The file to read, with the engine choice and limits, as sent to a worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job {
    /// The PDF.
    pub path: PathBuf,
    /// Engines to use.
    pub engine: EngineChoice,
    /// Limits.
    pub limits: Limits,
}

/// Small real PDFs for tests, written with lopdf (base-14 Helvetica, WinAnsi text).
#[cfg(test)]
pub(crate) mod fixtures {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};

    /// A PDF with one page per entry of `pages`, each line of text drawn with `Tj`.
    pub fn pdf(pages: &[&str]) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let resources_id = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font_id },
        });
        let mut kids = Vec::new();
        for text in pages {
            let mut ops = vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 11.into()]),
                Operation::new("TL", vec![14.into()]),
                Operation::new("Td", vec![50.into(), 780.into()]),
            ];
            for line in text.lines() {
                ops.push(Operation::new("Tj", vec![Object::string_literal(line)]));
                ops.push(Operation::new("T*", vec![]));
            }
            ops.push(Operation::new("ET", vec![]));
            let content = Content { operations: ops };
            let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
            let page_id = doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            });
            kids.push(page_id.into());
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources_id,
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let info_id = doc.add_object(dictionary! {
            "Title" => Object::string_literal("Fixture title"),
            "CreationDate" => Object::string_literal("D:20090707120000Z"),
        });
        doc.trailer.set("Info", info_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }
}
