//! The OCR step of a run: which pages of an extracted file to recognise, reading them through
//! the cache, and putting their text in the extraction.
//!
//! It runs in the parent, after the extraction worker has returned, one page at a time: the
//! programs it starts carry their own limits (see [`super::tesseract`]), so a page that
//! crashes, hangs or blows up costs that page alone, and the worker's per-file limits are not
//! spent on OCR.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use pubsearch_core::UnknownName;
use pubsearch_core::model::{Engine, LOW_CONFIDENCE, PageStatus, PageText};
use serde::{Deserialize, Serialize};

use super::tesseract::{self, PageJob};
use super::tsv::Recognised;
use super::{cache, languages};
use crate::extract::{Extraction, normalize, quality};

/// When pages are recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// Pages without a text layer, and pages with images whose text fails the quality checks,
    /// when Tesseract is installed (the default).
    #[default]
    Auto,
    /// Never: pages without a text layer stay without text.
    Never,
    /// Every page, replacing its text layer when OCR reads it (for files whose text layer is
    /// known to be wrong); Tesseract must be installed.
    Always,
}

impl OcrMode {
    /// Every mode.
    pub const ALL: [OcrMode; 3] = [OcrMode::Auto, OcrMode::Never, OcrMode::Always];

    /// The name used on the command line and in `PUBSEARCH_OCR`.
    pub fn as_str(self) -> &'static str {
        match self {
            OcrMode::Auto => "auto",
            OcrMode::Never => "never",
            OcrMode::Always => "always",
        }
    }
}

impl std::fmt::Display for OcrMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for OcrMode {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OcrMode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| UnknownName::new("OCR mode", s, OcrMode::ALL.map(OcrMode::as_str)))
    }
}

/// Settings of the OCR step.
#[derive(Clone, Debug)]
pub struct OcrConfig {
    /// When pages are recognised.
    pub mode: OcrMode,
    /// Where recognised pages are kept (`index/ocr-cache`); `None` keeps nothing.
    pub cache: Option<PathBuf>,
    /// Wall-clock limit for one page.
    pub page_limit: Duration,
    /// Address-space limit of each program, in bytes.
    pub memory_bytes: u64,
}

impl Default for OcrConfig {
    fn default() -> Self {
        OcrConfig {
            mode: OcrMode::Auto,
            cache: None,
            page_limit: Duration::from_secs(120),
            memory_bytes: 1 << 30,
        }
    }
}

/// The Debian package that installs Tesseract.
pub const TESSERACT_PACKAGE: &str = "tesseract-ocr";

/// The installed Tesseract.
#[derive(Clone, Debug)]
struct Installed {
    version: String,
    packs: Vec<String>,
}

/// Counts of one run's OCR.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OcrCounts {
    /// Pages whose text OCR gave (from the cache included).
    pub recognised: usize,
    /// Of those, pages read from the cache, not recognised again.
    pub from_cache: usize,
    /// Pages OCR could not read (a program failed or ran out of time).
    pub failed: usize,
}

/// The OCR step, shared by the threads of a run.
#[derive(Debug)]
pub struct Ocr {
    config: OcrConfig,
    installed: Option<Installed>,
    missing: Mutex<BTreeSet<&'static str>>,
    recognised: AtomicUsize,
    from_cache: AtomicUsize,
    failed: AtomicUsize,
}

/// A page recognised, as the cache keeps it.
#[derive(Serialize, Deserialize)]
struct Cached {
    text: String,
    confidence: Option<f32>,
    words: usize,
}

impl Ocr {
    /// The step for `config`, with the Tesseract found on `PATH` (if any).
    pub fn new(config: OcrConfig) -> Ocr {
        let installed = if config.mode == OcrMode::Never {
            None
        } else {
            tesseract::version().map(|version| Installed {
                version,
                packs: tesseract::installed_packs(),
            })
        };
        Ocr {
            config,
            installed,
            missing: Mutex::new(BTreeSet::new()),
            recognised: AtomicUsize::new(0),
            from_cache: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
        }
    }

    /// A step that never recognises anything.
    pub fn off() -> Ocr {
        Ocr::new(OcrConfig {
            mode: OcrMode::Never,
            ..OcrConfig::default()
        })
    }

    /// Its mode.
    pub fn mode(&self) -> OcrMode {
        self.config.mode
    }

    /// Whether pages will be recognised.
    pub fn runs(&self) -> bool {
        self.config.mode != OcrMode::Never && self.installed.is_some()
    }

    /// The Tesseract version in use.
    pub fn version(&self) -> Option<&str> {
        self.installed.as_ref().map(|i| i.version.as_str())
    }

    /// Why pages without a text layer stay without text, when they do: what to do about it.
    pub fn why_not(&self) -> Option<String> {
        match (self.config.mode, &self.installed) {
            (OcrMode::Never, _) => Some("OCR is off (--ocr never)".into()),
            (_, None) => Some(format!(
                "Tesseract is not installed: install the Debian package {TESSERACT_PACKAGE} (and \
                 tesseract-ocr-<language> packs) to read them"
            )),
            _ => None,
        }
    }

    /// The Debian packages of language packs that were wanted and not installed, so far.
    pub fn missing_packages(&self) -> Vec<String> {
        let missing = self.missing.lock().map(|m| m.clone()).unwrap_or_default();
        missing.into_iter().map(languages::debian_package).collect()
    }

    /// The counts so far.
    pub fn counts(&self) -> OcrCounts {
        OcrCounts {
            recognised: self.recognised.load(Ordering::Relaxed),
            from_cache: self.from_cache.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
        }
    }

    /// The pages (0-based indices) of `extraction` this step would recognise.
    pub fn pages_to_read(&self, extraction: &Extraction) -> Vec<usize> {
        if !self.runs() {
            return Vec::new();
        }
        extraction
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| match self.config.mode {
                OcrMode::Always => true,
                _ => {
                    p.report.status == PageStatus::NoTextLayer
                        || extraction.image_like.contains(&p.report.page)
                }
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Recognises the pages of `extraction` (read from `pdf`, whose content hash is
    /// `content_hash`, for the cache) that need it, in a publication in `language` (ISO 639-1
    /// codes, comma- or space-separated). `on_page(done, of)` is called before each page.
    /// Returns the packs found missing for the first time in this run, as Debian packages.
    pub fn complete(
        &self,
        pdf: &Path,
        content_hash: Option<&str>,
        language: &str,
        extraction: &mut Extraction,
        on_page: &dyn Fn(usize, usize),
    ) -> Vec<String> {
        let to_read = self.pages_to_read(extraction);
        let Some(installed) = &self.installed else {
            return Vec::new();
        };
        if to_read.is_empty() {
            return Vec::new();
        }
        let codes = language.split(|c: char| c == ',' || c == ';' || c.is_whitespace());
        let wanted = languages::packs(codes.filter(|c| !c.is_empty()));
        let (packs, missing) = languages::usable(&wanted, &installed.packs);
        let newly_missing = self.note_missing(&missing);
        if packs.is_empty() {
            return newly_missing;
        }
        for (done, &i) in to_read.iter().enumerate() {
            on_page(done + 1, to_read.len());
            let page = &mut extraction.pages[i];
            let key =
                content_hash.map(|h| cache::key(h, page.report.page, &packs, &installed.version));
            let read = match key.as_deref().and_then(|k| self.cached(k)) {
                Some(hit) => {
                    self.from_cache.fetch_add(1, Ordering::Relaxed);
                    Ok(hit)
                }
                None => {
                    let job = PageJob {
                        dpi: tesseract::resolution(pdf, page.report.page),
                        packs: &packs,
                        limit: self.config.page_limit,
                        memory_bytes: self.config.memory_bytes,
                    };
                    let read = tesseract::recognise_page(pdf, page.report.page, &job);
                    if let (Ok(r), Some(k)) = (&read, &key) {
                        self.keep(k, r);
                    }
                    read
                }
            };
            match read {
                Ok(r) => {
                    if apply(page, &r, self.config.mode) {
                        self.recognised.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Err(e) => {
                    self.failed.fetch_add(1, Ordering::Relaxed);
                    if page.report.status == PageStatus::NoTextLayer {
                        page.report.engine = Engine::Ocr;
                    }
                    page.report.note = Some(format!("OCR failed: {e}"));
                }
            }
        }
        newly_missing
    }

    fn note_missing(&self, missing: &[&'static str]) -> Vec<String> {
        let Ok(mut seen) = self.missing.lock() else {
            return Vec::new();
        };
        missing
            .iter()
            .filter(|p| seen.insert(p))
            .map(|p| languages::debian_package(p))
            .collect()
    }

    fn cache_file(&self, key: &str) -> Option<PathBuf> {
        self.config
            .cache
            .as_ref()
            .map(|dir| dir.join(format!("{key}.json")))
    }

    fn cached(&self, key: &str) -> Option<Recognised> {
        let text = std::fs::read_to_string(self.cache_file(key)?).ok()?;
        let c: Cached = serde_json::from_str(&text).ok()?;
        Some(Recognised {
            text: c.text,
            confidence: c.confidence,
            words: c.words,
        })
    }

    /// Keeps a recognised page: written to a temporary name and renamed, so a run stopped
    /// half-way never leaves a half-written entry. A cache that cannot be written only costs
    /// time.
    fn keep(&self, key: &str, r: &Recognised) {
        let Some(path) = self.cache_file(key) else {
            return;
        };
        let Some(dir) = path.parent() else { return };
        let cached = Cached {
            text: r.text.clone(),
            confidence: r.confidence,
            words: r.words,
        };
        let Ok(json) = serde_json::to_vec(&cached) else {
            return;
        };
        let tmp = dir.join(format!(".{key}.{}.tmp", std::process::id()));
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&tmp, json))
            .and_then(|()| std::fs::rename(&tmp, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// Puts what OCR read into `page`; returns whether its text is now OCR's. A page without a text
/// layer always takes it; a page with one only when OCR reads it well (an image-like page whose
/// text layer failed the checks) or when OCR is forced.
fn apply(page: &mut PageText, r: &Recognised, mode: OcrMode) -> bool {
    let text = normalize::page_text(&r.text);
    let confidence = r.confidence.map(|c| c.round().clamp(0.0, 100.0) as u8);
    let had_text = page.report.status != PageStatus::NoTextLayer && !page.text.trim().is_empty();
    if had_text {
        let reads_well =
            confidence.is_some_and(|c| c >= LOW_CONFIDENCE) && quality::problem(&text).is_none();
        let forced = mode == OcrMode::Always && !text.trim().is_empty();
        if !(reads_well || forced) {
            return false;
        }
        page.report.note = Some(match page.report.note.take() {
            Some(why) => format!("text layer replaced by OCR ({why})"),
            None => "text layer replaced by OCR".into(),
        });
    }
    page.report.engine = Engine::Ocr;
    page.report.status = if text.trim().is_empty() {
        PageStatus::Empty
    } else {
        PageStatus::Ok
    };
    page.report.chars = text.chars().count();
    page.report.confidence = confidence;
    page.report.low_confidence = confidence.is_some_and(|c| c < LOW_CONFIDENCE);
    page.report.repeated_lines = 0;
    page.text = text;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_page(n: u32) -> PageText {
        PageText::new(
            n,
            String::new(),
            Engine::PdfExtract,
            PageStatus::NoTextLayer,
        )
    }

    fn recognised(text: &str, confidence: f32) -> Recognised {
        Recognised {
            text: text.into(),
            confidence: Some(confidence),
            words: text.split_whitespace().count(),
        }
    }

    #[test]
    fn mode_names_parse_back() {
        for m in OcrMode::ALL {
            assert_eq!(m.as_str().parse::<OcrMode>().unwrap(), m);
        }
        let err = "sometimes".parse::<OcrMode>().unwrap_err().to_string();
        assert!(err.contains("auto, never, always"), "{err}");
    }

    #[test]
    fn a_scanned_page_takes_ocr_text_with_its_confidence() {
        let mut page = scan_page(3);
        assert!(apply(
            &mut page,
            &recognised("ﬁrst  aid", 91.6),
            OcrMode::Auto
        ));
        assert_eq!(page.text, "first  aid", "NFKC-normalised");
        let r = &page.report;
        assert_eq!(
            (r.engine, r.status, r.chars),
            (Engine::Ocr, PageStatus::Ok, 10)
        );
        assert_eq!((r.confidence, r.low_confidence), (Some(92), false));
        assert!(r.is_recognised());

        let mut poor = scan_page(4);
        assert!(apply(
            &mut poor,
            &recognised("m1grant rlghts", 41.0),
            OcrMode::Auto
        ));
        assert!(poor.report.low_confidence);

        let mut blank = scan_page(5);
        assert!(apply(
            &mut blank,
            &Recognised {
                text: String::new(),
                confidence: None,
                words: 0
            },
            OcrMode::Auto
        ));
        assert_eq!(blank.report.status, PageStatus::Empty);
        assert!(!blank.report.lacks_text());
    }

    #[test]
    fn a_text_layer_is_replaced_only_when_ocr_reads_better_or_is_forced() {
        let layer = || {
            let mut p = PageText::new(1, "ÿþ€€ ÿþ".into(), Engine::PdfExtract, PageStatus::Ok);
            p.report.note = Some("pdf-extract: garbled".into());
            p
        };
        let mut page = layer();
        assert!(!apply(
            &mut page,
            &recognised("a few words", 30.0),
            OcrMode::Auto
        ));
        assert_eq!(page.report.engine, Engine::PdfExtract);
        let prose = "Advice for new arrivals: how to register with a doctor, find a school and get help with housing in the borough.";
        assert!(apply(&mut page, &recognised(prose, 88.0), OcrMode::Auto));
        assert_eq!(page.text, prose);
        assert_eq!(
            page.report.note.as_deref(),
            Some("text layer replaced by OCR (pdf-extract: garbled)")
        );
        let mut forced = layer();
        assert!(apply(
            &mut forced,
            &recognised("a few words", 30.0),
            OcrMode::Always
        ));
        let mut kept = layer();
        assert!(!apply(&mut kept, &recognised(" ", 30.0), OcrMode::Always));
    }

    #[test]
    fn without_tesseract_or_when_off_nothing_is_read_and_the_reason_is_given() {
        let off = Ocr::off();
        assert!(!off.runs());
        assert_eq!(off.why_not().as_deref(), Some("OCR is off (--ocr never)"));
        let mut e = Extraction {
            pages: vec![scan_page(1)],
            info: Default::default(),
            encrypted: false,
            notes: Vec::new(),
            image_like: Vec::new(),
        };
        assert!(off.pages_to_read(&e).is_empty());
        let missing = off.complete(Path::new("x.pdf"), None, "es", &mut e, &|_, _| {});
        assert!(missing.is_empty());
        assert_eq!(e.pages[0].report.status, PageStatus::NoTextLayer);
        let auto = Ocr::new(OcrConfig::default());
        if !auto.runs() {
            assert!(auto.why_not().unwrap().contains("tesseract-ocr"));
        }
    }

    #[test]
    fn pages_to_read_follow_the_mode() {
        let mut ocr = Ocr::off();
        ocr.installed = Some(Installed {
            version: "5".into(),
            packs: vec!["eng".into()],
        });
        let text = |n| PageText::new(n, "Some text".into(), Engine::PdfExtract, PageStatus::Ok);
        let e = Extraction {
            pages: vec![scan_page(1), text(2), text(3)],
            info: Default::default(),
            encrypted: false,
            notes: Vec::new(),
            image_like: vec![3],
        };
        assert!(ocr.pages_to_read(&e).is_empty(), "never");
        ocr.config.mode = OcrMode::Auto;
        assert_eq!(ocr.pages_to_read(&e), [0, 2]);
        ocr.config.mode = OcrMode::Always;
        assert_eq!(ocr.pages_to_read(&e), [0, 1, 2]);
    }

    #[test]
    fn missing_packs_are_reported_once_per_run() {
        let ocr = Ocr::off();
        assert_eq!(
            ocr.note_missing(&["pol", "eng"]),
            ["tesseract-ocr-pol", "tesseract-ocr-eng"]
        );
        assert!(ocr.note_missing(&["pol"]).is_empty());
        assert_eq!(
            ocr.missing_packages(),
            ["tesseract-ocr-eng", "tesseract-ocr-pol"]
        );
    }

    #[test]
    fn the_cache_gives_back_what_it_kept() {
        let dir = tempfile::tempdir().unwrap();
        let ocr = Ocr::new(OcrConfig {
            mode: OcrMode::Never,
            cache: Some(dir.path().join("ocr-cache")),
            ..OcrConfig::default()
        });
        assert!(ocr.cached("k1").is_none());
        let r = recognised("Bienvenidos al centro", 77.5);
        ocr.keep("k1", &r);
        assert_eq!(ocr.cached("k1"), Some(r));
        let files: Vec<_> = std::fs::read_dir(dir.path().join("ocr-cache"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(files, ["k1.json"], "no temporary file left");
    }
}
