//! The primary engine: pdf-extract, one page at a time, each page behind `catch_unwind`.
//!
//! pdf-extract's own `extract_text_by_pages` stops silently at the first failing page and
//! loses the whole document on one panic; calling `output_doc_page` per page keeps every page
//! that can be read.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Document, Object, PlainTextOutput};

use super::{ExtractError, PdfInfo};

/// One page as pdf-extract saw it.
#[derive(Debug)]
pub struct RawPage {
    /// The raw text, or why the page could not be read.
    pub text: Result<String, String>,
    /// Whether the page draws images (a page with images and no text needs OCR).
    pub has_images: bool,
}

/// A document as pdf-extract saw it.
#[derive(Debug)]
pub struct RawDocument {
    /// Pages in order.
    pub pages: Vec<RawPage>,
    /// Pages beyond the limit that were not read.
    pub pages_cut: usize,
    /// The Info dictionary.
    pub info: PdfInfo,
    /// Whether the file was encrypted.
    pub encrypted: bool,
}

/// Text of a panic payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Loads the document (decrypting it with the empty password when needed).
pub fn load(bytes: &[u8]) -> Result<(Document, bool), ExtractError> {
    let mut doc = catch_unwind(|| Document::load_mem(bytes))
        .map_err(|p| ExtractError::Unreadable(format!("parser panicked: {}", panic_message(&*p))))?
        .map_err(|e| ExtractError::Unreadable(e.to_string()))?;
    let encrypted = doc.is_encrypted();
    if encrypted {
        let result = catch_unwind(AssertUnwindSafe(|| doc.decrypt(""))).map_err(|p| {
            ExtractError::Unreadable(format!("decryption panicked: {}", panic_message(&*p)))
        })?;
        match result {
            Ok(()) => {}
            Err(pdf_extract::Error::Decryption(
                pdf_extract::encryption::DecryptionError::IncorrectPassword,
            )) => {
                return Err(ExtractError::Encrypted);
            }
            Err(e) => return Err(ExtractError::Unreadable(format!("cannot decrypt: {e}"))),
        }
    }
    Ok((doc, encrypted))
}

/// Reads every page (up to `max_pages`).
pub fn read(bytes: &[u8], max_pages: usize) -> Result<RawDocument, ExtractError> {
    let (doc, encrypted) = load(bytes)?;
    let page_ids = catch_unwind(AssertUnwindSafe(|| doc.get_pages()))
        .map_err(|p| ExtractError::Unreadable(format!("page tree: {}", panic_message(&*p))))?;
    if page_ids.is_empty() {
        return Err(ExtractError::Unreadable("the document has no pages".into()));
    }
    let pages_cut = page_ids.len().saturating_sub(max_pages);
    let mut pages = Vec::with_capacity(page_ids.len().min(max_pages));
    for (&number, &object_id) in page_ids.iter().take(max_pages) {
        let text = catch_unwind(AssertUnwindSafe(|| {
            let mut text = String::new();
            let mut output = PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&doc, &mut output, number).map(|()| text)
        }));
        let text = match text {
            Ok(Ok(t)) => Ok(t),
            Ok(Err(e)) => Err(format!("pdf-extract error: {e}")),
            Err(p) => Err(format!("pdf-extract panicked: {}", panic_message(&*p))),
        };
        let has_images =
            catch_unwind(AssertUnwindSafe(|| page_has_images(&doc, object_id))).unwrap_or(false);
        pages.push(RawPage { text, has_images });
    }
    let info = catch_unwind(AssertUnwindSafe(|| info(&doc))).unwrap_or_default();
    Ok(RawDocument {
        pages,
        pages_cut,
        info,
        encrypted,
    })
}

fn page_has_images(doc: &Document, page_id: pdf_extract::ObjectId) -> bool {
    let Ok((direct, inherited)) = doc.get_page_resources(page_id) else {
        return false;
    };
    let dicts = direct.into_iter().chain(
        inherited
            .iter()
            .filter_map(|id| doc.get_dictionary(*id).ok()),
    );
    for resources in dicts {
        let Ok(xobjects) = resources
            .get_deref(b"XObject", doc)
            .and_then(Object::as_dict)
        else {
            continue;
        };
        for (_, obj) in xobjects.iter() {
            let Ok((_, obj)) = doc.dereference(obj) else {
                continue;
            };
            if let Object::Stream(stream) = obj
                && stream
                    .dict
                    .get(b"Subtype")
                    .and_then(Object::as_name)
                    .is_ok_and(|n| n == b"Image")
            {
                return true;
            }
        }
    }
    false
}

/// Decodes a PDF text string: UTF-16BE with a byte-order mark, else PDFDocEncoding (read as
/// Latin-1, which it matches for printable characters).
pub fn decode_pdf_string(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(&bytes[3..]).into_owned()
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

/// Turns `D:20091207103000+00'00'` into `2009-12-07`.
pub fn pdf_date(raw: &str) -> Option<String> {
    let digits = raw.strip_prefix("D:").unwrap_or(raw);
    let d = digits.get(..8)?;
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]))
}

fn info(doc: &Document) -> PdfInfo {
    let Ok(dict) = doc
        .trailer
        .get_deref(b"Info", doc)
        .and_then(Object::as_dict)
    else {
        return PdfInfo::default();
    };
    let field = |key: &[u8]| {
        dict.get_deref(key, doc)
            .ok()
            .and_then(|o| o.as_str().ok())
            .map(decode_pdf_string)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    PdfInfo {
        title: field(b"Title"),
        author: field(b"Author"),
        created: field(b"CreationDate").as_deref().and_then(pdf_date),
    }
}

/// Reads only the Info dictionary, for documents whose text came from elsewhere.
pub fn read_info(bytes: &[u8]) -> Option<PdfInfo> {
    let (doc, _) = load(bytes).ok()?;
    catch_unwind(AssertUnwindSafe(|| info(&doc))).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf16_and_latin1() {
        assert_eq!(decode_pdf_string(&[0xFE, 0xFF, 0, b'O', 0, 0xFC]), "Oü");
        assert_eq!(decode_pdf_string(b"caf\xe9"), "café");
    }

    #[test]
    fn reads_pdf_dates() {
        assert_eq!(
            pdf_date("D:20091207103000+00'00'").as_deref(),
            Some("2009-12-07")
        );
        assert_eq!(pdf_date("yesterday"), None);
    }

    #[test]
    fn garbage_is_unreadable_not_a_panic() {
        for bytes in [&b""[..], b"%PDF-1.4\n%%EOF", b"hello world"] {
            assert!(matches!(read(bytes, 10), Err(ExtractError::Unreadable(_))));
        }
    }
}
