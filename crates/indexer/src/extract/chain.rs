//! The extraction chain, in this process: pdf-extract per page, quality checks, pdftotext
//! fallback, normalisation, running headers and footers out. [`super::worker`] runs it in a child process.

use pubsearch_core::model::{Engine, PageStatus, PageText};

use super::pdf_extract_engine::{self, RawDocument};
use super::{
    EngineChoice, ExtractError, Extraction, Job, PdfInfo, normalize, pdftotext, quality, repeated,
};

/// Reads `job.path` with the chain. Runs in the calling process: use
/// [`super::Extractor`] for isolation.
pub fn extract_in_process(job: &Job) -> Result<Extraction, ExtractError> {
    let mut extraction = read(job)?;
    repeated::strip(&mut extraction.pages);
    Ok(extraction)
}

fn read(job: &Job) -> Result<Extraction, ExtractError> {
    let meta = std::fs::metadata(&job.path).map_err(|e| ExtractError::Io(e.to_string()))?;
    if meta.len() > job.limits.max_file_bytes {
        return Err(ExtractError::TooLarge {
            size: meta.len(),
            limit: job.limits.max_file_bytes,
        });
    }
    if job.engine == EngineChoice::Pdftotext {
        return fallback_only(job, None, Vec::new());
    }
    let bytes = std::fs::read(&job.path).map_err(|e| ExtractError::Io(e.to_string()))?;
    let raw = match pdf_extract_engine::read(&bytes, job.limits.max_pages) {
        Ok(raw) => raw,
        Err(ExtractError::Encrypted) => return Err(ExtractError::Encrypted),
        Err(e) if job.engine == EngineChoice::Auto && pdftotext::available() => {
            return fallback_only(
                job,
                None,
                vec![format!("pdf-extract could not read it ({e})")],
            );
        }
        Err(e) => return Err(e),
    };
    Ok(combine(job, raw))
}

/// Why neither reader could open a file, in the words of the staff member who uploaded it and
/// what to do about it, from pdftotext's error (`detail`) and the file's first bytes. Timeouts
/// and limits keep their own message.
fn unreadable_reason(path: &std::path::Path, detail: &str) -> String {
    if detail.contains("time limit") || detail.contains("timed out") {
        return detail.to_string();
    }
    let mut head = [0u8; 1024];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    let starts_like_a_pdf = head[..n].windows(5).any(|w| w == b"%PDF-");
    if !starts_like_a_pdf {
        "this is not a PDF file (it does not start as one does); check that the right file \
         was uploaded, or export it to PDF again"
            .into()
    } else if detail.contains("trailer") || detail.contains("xref") || detail.contains("EOF") {
        "the file is cut short or damaged (its cross-reference table is missing); download or \
         export it again"
            .into()
    } else {
        "the file is damaged: neither PDF reader could open it; open it in a PDF viewer and save \
         it again as PDF, or get the file again"
            .into()
    }
}

fn fallback_only(
    job: &Job,
    info: Option<PdfInfo>,
    mut notes: Vec<String>,
) -> Result<Extraction, ExtractError> {
    let pages = pdftotext::pages(&job.path, job.limits.wall).map_err(|e| {
        if e.contains("ncorrect password") {
            ExtractError::Encrypted
        } else {
            ExtractError::Unreadable(unreadable_reason(&job.path, &e))
        }
    })?;
    let mut pages = pages;
    if pages.len() > job.limits.max_pages {
        notes.push(format!(
            "{} pages beyond the limit of {} were not read",
            pages.len() - job.limits.max_pages,
            job.limits.max_pages
        ));
        pages.truncate(job.limits.max_pages);
    }
    let info = info.unwrap_or_else(|| {
        std::fs::read(&job.path)
            .ok()
            .and_then(|b| pdf_extract_engine::read_info(&b))
            .unwrap_or_default()
    });
    let pages = pages
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let text = normalize::page_text(raw);
            let status = if text.trim().is_empty() {
                PageStatus::Empty
            } else {
                PageStatus::Ok
            };
            page(i, text, Engine::Pdftotext, status, None)
        })
        .collect();
    Ok(Extraction {
        pages,
        info,
        encrypted: false,
        notes,
        image_like: Vec::new(),
    })
}

fn page(
    index: usize,
    text: String,
    engine: Engine,
    status: PageStatus,
    note: Option<String>,
) -> PageText {
    let mut page = PageText::new(index as u32 + 1, text, engine, status);
    page.report.note = note;
    page
}

fn combine(job: &Job, raw: RawDocument) -> Extraction {
    let mut notes = Vec::new();
    if raw.pages_cut > 0 {
        notes.push(format!(
            "{} pages beyond the limit of {} were not read",
            raw.pages_cut, job.limits.max_pages
        ));
    }
    let primary: Vec<(Result<String, String>, Option<&'static str>)> = raw
        .pages
        .iter()
        .map(|p| match &p.text {
            Ok(t) => {
                let t = normalize::page_text(t);
                let problem = quality::problem(&t);
                (Ok(t), problem)
            }
            Err(e) => (Err(e.clone()), Some("failed")),
        })
        .collect();
    let needs_fallback = primary.iter().any(|(_, problem)| problem.is_some());
    let fallback: Option<Vec<String>> =
        if needs_fallback && job.engine == EngineChoice::Auto && pdftotext::available() {
            match pdftotext::pages(&job.path, job.limits.wall) {
                Ok(pages) if pages.len() >= primary.len() => {
                    Some(pages.iter().map(|p| normalize::page_text(p)).collect())
                }
                Ok(pages) => {
                    notes.push(format!(
                        "pdftotext saw {} pages where pdf-extract saw {}; its text was not used",
                        pages.len(),
                        primary.len()
                    ));
                    None
                }
                Err(e) => {
                    notes.push(format!("fallback failed: {e}"));
                    None
                }
            }
        } else {
            None
        };

    let mut pages = Vec::with_capacity(primary.len());
    let mut image_like = Vec::new();
    for (i, ((text, problem), raw_page)) in primary.into_iter().zip(&raw.pages).enumerate() {
        let alt = fallback.as_ref().map(|f| f[i].clone());
        let empty_status = if raw_page.has_images {
            PageStatus::NoTextLayer
        } else {
            PageStatus::Empty
        };
        let status_of = |t: &str| {
            if t.trim().is_empty() {
                empty_status
            } else {
                PageStatus::Ok
            }
        };
        let chosen = match (text, problem, alt) {
            (Ok(t), None, _) => page(i, t.clone(), Engine::PdfExtract, status_of(&t), None),
            (Err(e), _, Some(f)) => {
                let status = status_of(&f);
                page(i, f, Engine::Pdftotext, status, Some(e))
            }
            (Err(e), _, None) => page(i, String::new(), Engine::None, PageStatus::Failed, Some(e)),
            (Ok(t), Some(problem), Some(f)) => {
                let better = quality::problem(&f).is_none()
                    || f.chars().filter(|c| !c.is_whitespace()).count() as f64
                        >= 1.2 * t.chars().filter(|c| !c.is_whitespace()).count() as f64;
                if better && !f.trim().is_empty() {
                    let status = status_of(&f);
                    page(
                        i,
                        f,
                        Engine::Pdftotext,
                        status,
                        Some(format!("pdf-extract: {problem}")),
                    )
                } else {
                    page(i, t.clone(), Engine::PdfExtract, status_of(&t), None)
                }
            }
            (Ok(t), Some(_), None) => page(i, t.clone(), Engine::PdfExtract, status_of(&t), None),
        };
        let bad_text =
            chosen.report.status == PageStatus::Ok && quality::problem(&chosen.text).is_some();
        if raw_page.has_images && bad_text {
            image_like.push(chosen.report.page);
        }
        pages.push(chosen);
    }
    Extraction {
        pages,
        info: raw.info,
        encrypted: raw.encrypted,
        notes,
        image_like,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Limits, fixtures};
    use proptest::prelude::*;

    const PAGE_ONE: &str = "The Forum brought together six community organisations\nto improve access to health care for refugees and migrants.";
    const PAGE_TWO: &str = "Volunteers from Yarrowmead handed out leaflets at the market\nand registered two hundred people to vote before the election.";

    fn job_for(bytes: &[u8], engine: EngineChoice) -> (tempfile::TempDir, Job) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.pdf");
        std::fs::write(&path, bytes).unwrap();
        let job = Job {
            path,
            engine,
            limits: Limits::default(),
        };
        (dir, job)
    }

    #[test]
    fn a_damaged_file_is_explained_in_our_words() {
        if !pdftotext::available() {
            eprintln!("SKIPPED: pdftotext not found: install the Debian package poppler-utils");
            return;
        }
        let whole = fixtures::pdf(&[PAGE_ONE, PAGE_TWO]);
        for (bytes, expected) in [
            (whole[..whole.len() / 2].to_vec(), "cut short"),
            (
                b"<html><body>Not found</body></html>".to_vec(),
                "not a PDF file",
            ),
        ] {
            let (_dir, job) = job_for(&bytes, EngineChoice::Auto);
            let reason = read(&job).unwrap_err().to_string();
            assert!(reason.contains(expected), "{reason}");
            assert!(
                !reason.contains("pdftotext") && !reason.contains("Syntax Error"),
                "{reason}"
            );
        }
    }

    #[test]
    fn reads_pages_in_order_with_info() {
        let (_dir, job) = job_for(
            &fixtures::pdf(&[PAGE_ONE, PAGE_TWO]),
            EngineChoice::PdfExtract,
        );
        let e = extract_in_process(&job).unwrap();
        assert_eq!(e.pages.len(), 2);
        assert!(
            e.pages[0].text.contains("six community organisations"),
            "{:?}",
            e.pages[0].text
        );
        assert!(e.pages[1].text.contains("Yarrowmead"));
        assert_eq!(e.pages[1].report.page, 2);
        assert_eq!(e.pages[0].report.engine, Engine::PdfExtract);
        assert_eq!(e.pages[0].report.status, PageStatus::Ok);
        assert_eq!(e.info.title.as_deref(), Some("Fixture title"));
        assert_eq!(
            e.info.created.map(|d| d.to_string()).as_deref(),
            Some("2009-07-07")
        );
    }

    #[test]
    fn blank_page_is_empty_not_failed() {
        let (_dir, job) = job_for(&fixtures::pdf(&[PAGE_ONE, ""]), EngineChoice::PdfExtract);
        let e = extract_in_process(&job).unwrap();
        assert_eq!(e.pages[1].report.status, PageStatus::Empty);
    }

    #[test]
    fn page_limit_cuts_with_a_note() {
        let (_dir, mut job) = job_for(
            &fixtures::pdf(&[PAGE_ONE, PAGE_TWO, PAGE_ONE]),
            EngineChoice::PdfExtract,
        );
        job.limits.max_pages = 2;
        let e = extract_in_process(&job).unwrap();
        assert_eq!(e.pages.len(), 2);
        assert!(
            e.notes.iter().any(|n| n.contains("beyond the limit")),
            "{:?}",
            e.notes
        );
    }

    #[test]
    fn too_large_is_refused_without_reading() {
        let (_dir, mut job) = job_for(&fixtures::pdf(&[PAGE_ONE]), EngineChoice::PdfExtract);
        job.limits.max_file_bytes = 10;
        assert!(matches!(
            extract_in_process(&job),
            Err(ExtractError::TooLarge { .. })
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]
        /// Mutated PDFs (byte flips, truncation, inserted garbage) never panic out of the
        /// extractor: every outcome is a value.
        #[test]
        fn mutated_pdfs_never_panic(
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..20),
            cut in any::<prop::sample::Index>(),
            insert in proptest::collection::vec(any::<u8>(), 0..64),
            at in any::<prop::sample::Index>(),
        ) {
            let mut bytes = fixtures::pdf(&[PAGE_ONE, PAGE_TWO]);
            for (i, b) in flips {
                let i = i.index(bytes.len());
                bytes[i] = b;
            }
            let at = at.index(bytes.len());
            bytes.splice(at..at, insert);
            let keep = bytes.len() / 2 + cut.index(bytes.len() / 2 + 1);
            bytes.truncate(keep);
            let (_dir, job) = job_for(&bytes, EngineChoice::PdfExtract);
            let outcome = std::panic::catch_unwind(|| extract_in_process(&job));
            prop_assert!(outcome.is_ok(), "the extractor panicked");
            if let Ok(Ok(e)) = outcome {
                for (i, p) in e.pages.iter().enumerate() {
                    prop_assert_eq!(p.report.page as usize, i + 1);
                }
            }
        }
    }
}
