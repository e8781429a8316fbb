//! The publication model: what a publication is, its type, and how each page was read.
//!
//! Values are typed from where they are read (sidecar, PDF, stored document) to where they are
//! shown: a type is a [`PubType`], a date a [`time::Date`], an engine an [`Engine`]. Each closed
//! set has one `as_str` that names its values for the index, JSON, the API and the command line.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::analysis::Lang;
use crate::names::named;

/// The kinds of publication in the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PubType {
    /// A research or annual report.
    Report,
    /// A newsletter issue.
    Newsletter,
    /// A good-practice guide.
    Guide,
    /// An educational resource pack.
    EducationalResource,
    /// A chapter of a book.
    BookChapter,
    /// A short policy briefing.
    Briefing,
    /// A PDF with no sidecar and no way to tell.
    Other,
}

impl PubType {
    /// Every type, in display order.
    pub const ALL: [PubType; 7] = [
        PubType::Report,
        PubType::Newsletter,
        PubType::Guide,
        PubType::EducationalResource,
        PubType::BookChapter,
        PubType::Briefing,
        PubType::Other,
    ];

    /// The name used in sidecars, facets and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            PubType::Report => "report",
            PubType::Newsletter => "newsletter",
            PubType::Guide => "guide",
            PubType::EducationalResource => "educational-resource",
            PubType::BookChapter => "book-chapter",
            PubType::Briefing => "briefing",
            PubType::Other => "other",
        }
    }
}

named!(PubType, "type");

/// The descriptive metadata of one publication, from its sidecar or its PDF.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    /// Stable id used in URLs: `[A-Za-z0-9._-]`, unique in the library.
    pub id: String,
    /// Title as written by the charity.
    pub title: String,
    /// Publication date.
    pub date: Option<Date>,
    /// Kind of publication.
    pub pub_type: PubType,
    /// Topics, lower case.
    pub topics: Vec<String>,
    /// A short summary.
    pub summary: String,
    /// Authors or issuing bodies.
    pub authors: Vec<String>,
    /// The languages it is written in, the main one first (ISO 639-1 codes in JSON and in
    /// sidecars). Empty until known: the indexer detects it from the text when the sidecar
    /// names none, and an index reads empty as English.
    #[serde(default)]
    pub languages: Vec<Lang>,
    /// Whether [`Publication::languages`] was detected from the text, not given.
    #[serde(default)]
    pub language_detected: bool,
}

impl Publication {
    /// The main language: the first one given or detected, else English.
    pub fn language(&self) -> Lang {
        self.languages.first().copied().unwrap_or(Lang::En)
    }
}

/// Which engine produced a page's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// The pure-Rust pdf-extract crate.
    PdfExtract,
    /// Poppler's pdftotext, run as a subprocess.
    Pdftotext,
    /// Tesseract OCR of the rendered page (a scan).
    Ocr,
    /// Neither produced text.
    None,
}

impl Engine {
    /// Every engine.
    pub const ALL: [Engine; 4] = [
        Engine::PdfExtract,
        Engine::Pdftotext,
        Engine::Ocr,
        Engine::None,
    ];

    /// The name used in the index, the API and `pubsearch extract`.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::PdfExtract => "pdf-extract",
            Engine::Pdftotext => "pdftotext",
            Engine::Ocr => "ocr",
            Engine::None => "none",
        }
    }
}

named!(Engine, "engine");

/// How a page came out of extraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageStatus {
    /// Text was found.
    Ok,
    /// The page has images but no text layer: it needs OCR.
    NoTextLayer,
    /// The page is blank.
    Empty,
    /// Every engine failed on this page.
    Failed,
}

impl PageStatus {
    /// Every status.
    pub const ALL: [PageStatus; 4] = [
        PageStatus::Ok,
        PageStatus::NoTextLayer,
        PageStatus::Empty,
        PageStatus::Failed,
    ];

    /// The name used in the index, the API and `pubsearch extract`.
    pub fn as_str(self) -> &'static str {
        match self {
            PageStatus::Ok => "ok",
            PageStatus::NoTextLayer => "no-text-layer",
            PageStatus::Empty => "empty",
            PageStatus::Failed => "failed",
        }
    }
}

named!(PageStatus, "page status");

/// The extraction report of one page, stored with the publication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageReport {
    /// 1-based page number.
    pub page: u32,
    /// Engine whose text was kept.
    pub engine: Engine,
    /// Outcome.
    pub status: PageStatus,
    /// Number of characters kept.
    pub chars: usize,
    /// Why the primary engine's text was not kept, if it was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Running header and footer lines taken out of the text (they stay in the PDF).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub repeated_lines: usize,
    /// OCR pages: the mean word confidence, 0 to 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<u8>,
    /// OCR pages: the confidence is below [`LOW_CONFIDENCE`]; the text may be poor.
    #[serde(default, skip_serializing_if = "is_false")]
    pub low_confidence: bool,
}

/// Mean word confidence under which an OCR page is flagged `low_confidence`.
pub const LOW_CONFIDENCE: u8 = 60;

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl PageReport {
    /// Whether the page has no text because it has no text layer (before or after OCR).
    pub fn lacks_text(&self) -> bool {
        self.status == PageStatus::NoTextLayer
    }

    /// Whether OCR read the page (it may still have failed: then it [`lacks_text`](Self::lacks_text)).
    pub fn is_ocr(&self) -> bool {
        self.engine == Engine::Ocr
    }

    /// Whether the page's text was recognised from a scan.
    pub fn is_recognised(&self) -> bool {
        self.is_ocr() && !self.lacks_text()
    }
}

/// Which pages of one publication are scans: what the indexer's report, `/api/stats` and the
/// publication page say about them. Page numbers are 1-based, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScannedPages {
    /// Pages recognised by OCR or still without text.
    pub scanned: Vec<u32>,
    /// Pages whose text was recognised by OCR.
    pub recognised: Vec<u32>,
    /// Recognised pages with a low mean word confidence: their text may be poor.
    pub low_confidence: Vec<u32>,
    /// Pages that still have no text (OCR off, not installed, or failed): not searchable.
    pub without_text: Vec<u32>,
}

impl ScannedPages {
    /// The scanned pages among `pages`, or `None` when there are none.
    pub fn of<'a>(pages: impl IntoIterator<Item = &'a PageReport>) -> Option<ScannedPages> {
        let mut s = ScannedPages::default();
        for p in pages {
            if p.is_recognised() {
                s.scanned.push(p.page);
                s.recognised.push(p.page);
                if p.low_confidence {
                    s.low_confidence.push(p.page);
                }
            } else if p.lacks_text() {
                s.scanned.push(p.page);
                s.without_text.push(p.page);
            }
        }
        (!s.scanned.is_empty()).then_some(s)
    }
}

/// `page 3` or `pages 1-3, 5`.
pub fn pages_phrase(pages: &[u32]) -> String {
    match pages {
        [one] => format!("page {one}"),
        _ => format!("pages {}", page_ranges(pages)),
    }
}

/// Page numbers as people write them: `1-3, 5, 7-8`.
pub fn page_ranges(pages: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let start = pages[i];
        let mut end = start;
        while i + 1 < pages.len() && pages[i + 1] == end + 1 {
            i += 1;
            end = pages[i];
        }
        out.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    out.join(", ")
}

/// One page's text with the report of how it was read: what extraction produces and what the
/// index stores per page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageText {
    /// The text, NFKC-normalised.
    pub text: String,
    /// How it was obtained; `report.page` is its 1-based number.
    pub report: PageReport,
}

impl PageText {
    /// Page `page` (1-based) as `engine` read it, its characters counted.
    pub fn new(page: u32, text: String, engine: Engine, status: PageStatus) -> PageText {
        PageText {
            report: PageReport {
                page,
                engine,
                status,
                chars: text.chars().count(),
                note: None,
                repeated_lines: 0,
                confidence: None,
                low_confidence: false,
            },
            text,
        }
    }
}

/// Size, modification time and content hash of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the epoch.
    pub mtime_ns: i128,
    /// BLAKE3 of the content, hex.
    pub hash: String,
}

/// What the indexer remembers of a publication's files, to skip unchanged ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    /// The PDF.
    pub pdf: FileStamp,
    /// The sidecar, if there is one.
    pub sidecar: Option<FileStamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_round_trip() {
        for t in PubType::ALL {
            assert_eq!(t.as_str().parse::<PubType>().unwrap(), t);
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
        assert!("pamphlet".parse::<PubType>().is_err());
    }

    #[test]
    fn engine_and_status_names_are_their_serde_names() {
        for e in Engine::ALL {
            assert_eq!(serde_json::to_string(&e).unwrap(), format!("\"{e}\""));
            assert_eq!(
                serde_json::from_str::<Engine>(&format!("\"{e}\"")).unwrap(),
                e
            );
            assert_eq!(e.as_str().parse::<Engine>().unwrap(), e);
        }
        for s in PageStatus::ALL {
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{s}\""));
            assert_eq!(s.as_str().parse::<PageStatus>().unwrap(), s);
        }
        assert_eq!(PageStatus::NoTextLayer.as_str(), "no-text-layer");
        assert_eq!(Engine::PdfExtract.as_str(), "pdf-extract");
        let err = "notextlayer".parse::<PageStatus>().unwrap_err();
        assert!(err.to_string().contains("no-text-layer"), "{err}");
        assert!(serde_json::from_str::<Engine>("\"tesseract\"").is_err());
        assert_eq!(Engine::Ocr.as_str(), "ocr");
    }

    #[test]
    fn a_page_report_reads_back_from_its_json() {
        let report = PageReport {
            page: 3,
            engine: Engine::Pdftotext,
            status: PageStatus::NoTextLayer,
            chars: 0,
            note: Some("glued words".into()),
            repeated_lines: 0,
            confidence: None,
            low_confidence: false,
        };
        let json = serde_json::to_string(&report).unwrap();
        assert!(json.contains("\"status\":\"no-text-layer\""), "{json}");
        assert_eq!(serde_json::from_str::<PageReport>(&json).unwrap(), report);
        assert!(!json.contains("confidence"), "{json}");
    }

    #[test]
    fn an_ocr_page_report_keeps_its_confidence_and_old_reports_still_read() {
        let mut report = PageText::new(2, "x".into(), Engine::Ocr, PageStatus::Ok).report;
        report.confidence = Some(41);
        report.low_confidence = true;
        let json = serde_json::to_string(&report).unwrap();
        assert!(json.contains(r#""engine":"ocr""#), "{json}");
        assert!(
            json.contains(r#""confidence":41,"low_confidence":true"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<PageReport>(&json).unwrap(), report);
        // A report stored before OCR existed reads back without the new fields.
        let old = r#"{"page":1,"engine":"pdftotext","status":"no-text-layer","chars":0}"#;
        let back: PageReport = serde_json::from_str(old).unwrap();
        assert_eq!((back.confidence, back.low_confidence), (None, false));
        assert!(back.lacks_text() && !back.is_ocr());
    }

    #[test]
    fn scanned_pages_sort_recognised_from_unreadable() {
        let report = |page, engine, status, low| {
            let mut r = PageText::new(page, String::new(), engine, status).report;
            r.low_confidence = low;
            r
        };
        let pages = [
            report(1, Engine::PdfExtract, PageStatus::Ok, false),
            report(2, Engine::Ocr, PageStatus::Ok, false),
            report(3, Engine::Ocr, PageStatus::Ok, true),
            // OCR tried and failed, and a page never tried.
            report(4, Engine::Ocr, PageStatus::NoTextLayer, false),
            report(5, Engine::Pdftotext, PageStatus::NoTextLayer, false),
            report(6, Engine::PdfExtract, PageStatus::Empty, false),
        ];
        let s = ScannedPages::of(&pages).unwrap();
        assert_eq!(s.scanned, [2, 3, 4, 5]);
        assert_eq!(s.recognised, [2, 3]);
        assert_eq!(s.low_confidence, [3]);
        assert_eq!(s.without_text, [4, 5]);
        assert_eq!(ScannedPages::of(&pages[..1]), None);
        assert_eq!(ScannedPages::of(&pages[5..]), None);
    }

    #[test]
    fn page_ranges_collapse_runs() {
        assert_eq!(page_ranges(&[1, 2, 3, 5, 7, 8]), "1-3, 5, 7-8");
        assert_eq!(page_ranges(&[4]), "4");
        assert_eq!(page_ranges(&[]), "");
        assert_eq!(pages_phrase(&[4]), "page 4");
        assert_eq!(pages_phrase(&[4, 5]), "pages 4-5");
    }
}
