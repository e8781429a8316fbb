//! The primary engine: pdf-extract, one page at a time, each page behind `catch_unwind`.
//!
//! pdf-extract's own `extract_text_by_pages` stops silently at the first failing page and
//! loses the whole document on one panic; outputting each page on its own keeps every page
//! that can be read. The vendored pdf-extract (`vendor/pdf-extract`) adds `PageProcessor`,
//! which does what `output_doc_page` does but keeps the fonts built for earlier pages.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Document, Object, PageProcessor, PlainTextOutput};
use time::Date;
use time::macros::format_description;

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

/// Fails with [`ExtractError::Encrypted`] when the PDF at `path` needs a password to open, as
/// reading it would; files that do not declare encryption are not parsed.
pub fn check_password(path: &std::path::Path) -> Result<(), ExtractError> {
    let bytes = std::fs::read(path).map_err(|e| ExtractError::Unreadable(e.to_string()))?;
    if !bytes.windows(b"/Encrypt".len()).any(|w| w == b"/Encrypt") {
        return Ok(());
    }
    match load(&bytes) {
        Err(ExtractError::Encrypted) => Err(ExtractError::Encrypted),
        _ => Ok(()),
    }
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
    // One processor for the document: fonts are built once, not once per page. After a page
    // fails or panics it holds only fully built fonts, so the next page can use it.
    let mut processor = PageProcessor::new();
    for (&number, &object_id) in page_ids.iter().take(max_pages) {
        let text = catch_unwind(AssertUnwindSafe(|| {
            let mut text = String::new();
            let mut output = PlainTextOutput::new(&mut text);
            processor
                .output_page(&doc, &mut output, number, object_id)
                .map(|()| text)
        }));
        let text = match text {
            // Right-to-left lines come in visual order; the index wants them in logical order.
            Ok(Ok(t)) => Ok(match super::visual_order::to_logical(&t) {
                std::borrow::Cow::Borrowed(_) => t,
                std::borrow::Cow::Owned(logical) => logical,
            }),
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

/// The date of a PDF date string: `D:20091207103000+00'00'` is 7 December 2009. Only the
/// day counts; a string that does not start with a valid `YYYYMMDD` gives `None`.
pub fn pdf_date(raw: &str) -> Option<Date> {
    let digits = raw.strip_prefix("D:").unwrap_or(raw);
    Date::parse(digits.get(..8)?, format_description!("[year][month][day]")).ok()
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
            pdf_date("D:20091207103000+00'00'")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2009-12-07")
        );
        assert_eq!(pdf_date("yesterday"), None);
        assert_eq!(pdf_date("D:20091399"), None);
        assert_eq!(pdf_date("D:2009"), None);
    }

    use lopdf::content::{Content, Operation};
    use lopdf::{Stream, dictionary};

    /// A PDF with one page per entry of `pages`: the font object that page's `/F1` names (from
    /// `fonts`) and the operations between `BT … Tf /F1 11 … Td` and `ET`.
    fn pdf(fonts: &[lopdf::Dictionary], pages: &[(usize, Vec<Operation>)]) -> Vec<u8> {
        let mut doc = lopdf::Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_ids: Vec<_> = fonts.iter().map(|f| doc.add_object(f.clone())).collect();
        let mut kids = Vec::new();
        for (font, body) in pages {
            let mut ops = vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 11.into()]),
                Operation::new("TL", vec![14.into()]),
                Operation::new("Td", vec![50.into(), 780.into()]),
            ];
            ops.extend(body.iter().cloned());
            ops.push(Operation::new("ET", vec![]));
            let content = Content { operations: ops }.encode().unwrap();
            let content_id = doc.add_object(Stream::new(dictionary! {}, content));
            // Every page has its own resources, and they all call their font `/F1`.
            let page_id = doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_ids[*font] } },
            });
            kids.push(page_id.into());
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    fn helvetica() -> lopdf::Dictionary {
        dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        }
    }

    /// Helvetica with `A` re-encoded as `B`: text drawn with it reads differently.
    fn helvetica_a_is_b() -> lopdf::Dictionary {
        dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => dictionary! {
                "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![65.into(), Object::Name(b"B".to_vec())],
            },
        }
    }

    fn show(lines: &[&str]) -> Vec<Operation> {
        lines
            .iter()
            .flat_map(|l| {
                [
                    Operation::new("Tj", vec![Object::string_literal(*l)]),
                    Operation::new("T*", vec![]),
                ]
            })
            .collect()
    }

    /// Each page on its own, as pdf-extract's `output_doc_page` reads it (no fonts kept).
    fn per_page(bytes: &[u8]) -> Vec<Result<String, String>> {
        let (doc, _) = load(bytes).unwrap();
        (1..=doc.get_pages().len() as u32)
            .map(|n| {
                catch_unwind(AssertUnwindSafe(|| {
                    let mut text = String::new();
                    pdf_extract::output_doc_page(&doc, &mut PlainTextOutput::new(&mut text), n)
                        .map(|()| text)
                        .map_err(|e| e.to_string())
                }))
                .unwrap_or_else(|p| Err(panic_message(&*p)))
            })
            .collect()
    }

    fn texts(raw: &RawDocument) -> Vec<Option<&str>> {
        raw.pages.iter().map(|p| p.text.as_deref().ok()).collect()
    }

    #[test]
    fn kept_fonts_read_like_fresh_ones_page_by_page() {
        // Pages 1, 2 and 4 share one font object; page 3's `/F1` is another font.
        let bytes = pdf(
            &[helvetica(), helvetica_a_is_b()],
            &[
                (0, show(&["AAA first page", "second line"])),
                (0, show(&["AAA second page"])),
                (1, show(&["AAA third page"])),
                (0, show(&["AAA fourth page"])),
            ],
        );
        let raw = read(&bytes, 100).unwrap();
        let expected = per_page(&bytes);
        assert_eq!(raw.pages.len(), 4);
        for (page, want) in raw.pages.iter().zip(&expected) {
            assert_eq!(page.text.as_ref().unwrap(), want.as_ref().unwrap());
        }
        let texts = texts(&raw);
        assert!(texts[0].unwrap().contains("AAA first page"), "{texts:?}");
        assert!(texts[1].unwrap().contains("AAA second page"), "{texts:?}");
        assert!(texts[2].unwrap().contains("BBB third page"), "{texts:?}");
        assert!(texts[3].unwrap().contains("AAA fourth page"), "{texts:?}");
    }

    #[test]
    fn a_failing_page_spoils_no_other_page() {
        let mut panics = show(&["before the bad operand"]);
        panics.push(Operation::new("Tj", vec![5.into()]));
        let bad_font = dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "NoSuchEncoding",
        };
        let bytes = pdf(
            &[helvetica(), bad_font],
            &[
                (0, show(&["first page"])),
                (0, panics),
                (0, show(&["third page"])),
                (1, show(&["fourth page"])),
                (1, show(&["fifth page"])),
                (0, show(&["sixth page"])),
            ],
        );
        let raw = read(&bytes, 100).unwrap();
        let texts: Vec<_> = texts(&raw).into_iter().map(|t| t.map(str::trim)).collect();
        assert_eq!(
            texts,
            [
                Some("first page"),
                None,
                Some("third page"),
                None,
                None,
                Some("sixth page")
            ]
        );
        for (page, want) in raw.pages.iter().zip(per_page(&bytes)) {
            match (&page.text, want) {
                (Ok(got), Ok(want)) => assert_eq!(got, &want),
                (Err(got), Err(want)) => assert!(got.ends_with(&want), "{got} / {want}"),
                (got, want) => panic!("{got:?} / {want:?}"),
            }
        }
    }

    #[test]
    fn a_named_to_unicode_map_reads_through_the_encoding() {
        let mut font = helvetica();
        font.set("ToUnicode", Object::Name(b"Identity-V".to_vec()));
        let bytes = pdf(&[font], &[(0, show(&["named map"]))]);
        let raw = read(&bytes, 100).unwrap();
        assert_eq!(texts(&raw)[0].map(str::trim), Some("named map"));
    }

    #[test]
    fn garbage_is_unreadable_not_a_panic() {
        for bytes in [&b""[..], b"%PDF-1.4\n%%EOF", b"hello world"] {
            assert!(matches!(read(bytes, 10), Err(ExtractError::Unreadable(_))));
        }
    }
}
