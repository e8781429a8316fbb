//! The extraction chain, in this process: pdf-extract per page, quality checks, pdftotext
//! fallback, normalisation. [`super::worker`] runs it in a child process.

use pubsearch_core::model::{Engine, PageReport, PageStatus};

use super::pdf_extract_engine::{self, RawDocument};
use super::{
    EngineChoice, ExtractError, ExtractedPage, Extraction, Job, PdfInfo, normalize, pdftotext,
    quality,
};

/// Reads `job.path` with the chain. Runs in the calling process: use
/// [`super::Extractor`] for isolation.
pub fn extract_in_process(job: &Job) -> Result<Extraction, ExtractError> {
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

fn fallback_only(
    job: &Job,
    info: Option<PdfInfo>,
    mut notes: Vec<String>,
) -> Result<Extraction, ExtractError> {
    let pages = pdftotext::pages(&job.path, job.limits.wall).map_err(|e| {
        if e.contains("ncorrect password") {
            ExtractError::Encrypted
        } else {
            ExtractError::Unreadable(e)
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
    })
}

fn page(
    index: usize,
    text: String,
    engine: Engine,
    status: PageStatus,
    note: Option<String>,
) -> ExtractedPage {
    ExtractedPage {
        report: PageReport {
            page: index as u32 + 1,
            engine,
            status,
            chars: text.chars().count(),
            note,
        },
        text,
    }
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
                let better = matches!(quality::problem(&f), None | Some(quality::RIGHT_TO_LEFT))
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
        pages.push(chosen);
    }
    Extraction {
        pages,
        info: raw.info,
        encrypted: raw.encrypted,
        notes,
    }
}
