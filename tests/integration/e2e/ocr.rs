//! OCR of scanned pages, end to end: scans made here from text the test knows (born-digital
//! pages rendered by `pdftoppm` and wrapped back into image-only pages), indexed by the real
//! binary with the real Tesseract, searched over a real socket.

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};
use pubsearch_core::doc::{Stored, all_of_kind};
use pubsearch_core::schema::{Fields, kind};
use serde_json::Value;

use crate::common::report::{report_of, stderr_of};
use crate::common::{self, Server, bin, enc, run_index, toml_string};

const EN_PAGES: [&[&str]; 3] = [
    &[
        "Riverside Community Forum annual report.",
        "Our volunteers welcomed new families to the borough",
        "and helped them register with a doctor.",
    ],
    &[
        "The Kettlewell allotment society gave twelve plots",
        "to refugee households who wanted to grow vegetables.",
        "Neighbours shared tools, seeds and advice every weekend.",
    ],
    &[
        "Next year we will open an advice desk at the library",
        "every Tuesday morning, with interpreters for three languages.",
    ],
];

const ES_PAGES: [&[&str]; 2] = [
    &[
        "Esta guía explica cómo pedir una cita médica",
        "en el centro de salud más cercano.",
    ],
    &[
        "Las familias pueden solicitar un intérprete gratuito",
        "cuando acuden al hospital o a la farmacia.",
    ],
];

const MIXED_SCAN: &[&str] = &[
    "A photocopied letter from the council confirmed",
    "that the Hollybrook drop-in centre will stay open.",
];

/// True when Tesseract with the packs `langs` and poppler's tools can run; otherwise skips.
fn ocr_tools(langs: &[&str]) -> bool {
    if !common::require_tool("pdftoppm", "poppler-utils")
        || !common::require_tool("tesseract", "tesseract-ocr")
    {
        return false;
    }
    let out = Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout).into_owned();
    for lang in langs {
        if !listed.lines().any(|l| l.trim() == *lang) {
            common::skip(&format!(
                "the Tesseract pack {lang} is not installed: install the Debian package \
                 tesseract-ocr-{}",
                lang.replace('_', "-")
            ));
            return false;
        }
    }
    true
}

/// A page of a PDF to build: text drawn in Helvetica, or a grey image covering the page.
enum Page {
    Text(Vec<String>),
    Image {
        width: u32,
        height: u32,
        gray: Vec<u8>,
    },
}

/// WinAnsi bytes of `s` (Latin-1 letters keep their code).
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 letter"))
        .collect()
}

/// An A4 PDF of `pages`.
fn build_pdf(pages: &[Page]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let mut kids: Vec<Object> = Vec::new();
    for page in pages {
        let (ops, resources) = match page {
            Page::Text(lines) => {
                let mut ops = vec![
                    Operation::new("BT", vec![]),
                    Operation::new("Tf", vec!["F1".into(), 14.into()]),
                    Operation::new("TL", vec![20.into()]),
                    Operation::new("Td", vec![60.into(), 760.into()]),
                ];
                for line in lines {
                    ops.push(Operation::new(
                        "Tj",
                        vec![Object::string_literal(win_ansi(line))],
                    ));
                    ops.push(Operation::new("T*", vec![]));
                }
                ops.push(Operation::new("ET", vec![]));
                (
                    ops,
                    dictionary! { "Font" => dictionary! { "F1" => font_id } },
                )
            }
            Page::Image {
                width,
                height,
                gray,
            } => {
                let image = doc.add_object(Stream::new(
                    dictionary! {
                        "Type" => "XObject", "Subtype" => "Image",
                        "Width" => *width as i64, "Height" => *height as i64,
                        "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
                    },
                    gray.clone(),
                ));
                let ops = vec![
                    Operation::new("q", vec![]),
                    Operation::new(
                        "cm",
                        vec![
                            595.into(),
                            0.into(),
                            0.into(),
                            842.into(),
                            0.into(),
                            0.into(),
                        ],
                    ),
                    Operation::new("Do", vec!["Im1".into()]),
                    Operation::new("Q", vec![]),
                ];
                (
                    ops,
                    dictionary! { "XObject" => dictionary! { "Im1" => image } },
                )
            }
        };
        let content = doc.add_object(Stream::new(
            dictionary! {},
            Content { operations: ops }.encode().unwrap(),
        ));
        kids.push(
            doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content,
                "Resources" => resources,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            })
            .into(),
        );
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Page `page` of a born-digital PDF of `lines`, rendered by pdftoppm at 200 dpi in grey: a
/// scan of known text.
fn scan_of(lines: &[&str]) -> Page {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("digital.pdf");
    let text = Page::Text(lines.iter().map(|l| l.to_string()).collect());
    std::fs::write(&pdf, build_pdf(&[text])).unwrap();
    let out = Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-singlefile"])
        .arg(&pdf)
        .arg(dir.path().join("page"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let pgm = std::fs::read(dir.path().join("page.pgm")).unwrap();
    // P5 <width> <height> 255, one whitespace, then the pixels.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    assert_eq!((fields[0].as_str(), fields[3].as_str()), ("P5", "255"));
    let (width, height): (u32, u32) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let gray = pgm[at + 1..].to_vec();
    assert_eq!(gray.len(), (width * height) as usize);
    Page::Image {
        width,
        height,
        gray,
    }
}

fn scan_pdf(pages: &[&[&str]]) -> Vec<u8> {
    build_pdf(&pages.iter().map(|p| scan_of(p)).collect::<Vec<_>>())
}

fn text_page(lines: &[&str]) -> Page {
    Page::Text(lines.iter().map(|l| l.to_string()).collect())
}

fn sidecar(id: &str, title: &str, language: &str) -> String {
    format!(
        "id = \"{id}\"\ntitle = {}\ndate = \"2008-05-01\"\ntype = \"newsletter\"\nlanguage = \"{language}\"\n",
        toml_string(title)
    )
}

/// The corpus of the tests: an English scan, a Spanish scan, and a text PDF whose middle page
/// is a scan.
fn scans_corpus(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("riverside-scan.pdf"), scan_pdf(&EN_PAGES)).unwrap();
    std::fs::write(
        dir.join("riverside-scan.toml"),
        sidecar("riverside-scan", "Riverside annual report", "en"),
    )
    .unwrap();
    std::fs::write(dir.join("guia-salud.pdf"), scan_pdf(&ES_PAGES)).unwrap();
    std::fs::write(
        dir.join("guia-salud.toml"),
        sidecar("guia-salud", "Guía de salud", "es"),
    )
    .unwrap();
    let mixed = build_pdf(&[
        text_page(&["Minutes of the spring meeting of the forum."]),
        scan_of(MIXED_SCAN),
        text_page(&["The meeting closed with thanks to the volunteers."]),
    ]);
    std::fs::write(dir.join("minutes-mixed.pdf"), mixed).unwrap();
}

/// Words, lower case: letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Word F1 of `got` against `want` (multisets of words).
fn word_f1(got: &str, want: &str) -> f64 {
    let mut bag: BTreeMap<String, i64> = BTreeMap::new();
    for w in words(want) {
        *bag.entry(w).or_default() += 1;
    }
    let got = words(got);
    let wanted: i64 = bag.values().sum();
    let mut hit = 0;
    for w in &got {
        if let Some(n) = bag.get_mut(w)
            && *n > 0
        {
            *n -= 1;
            hit += 1;
        }
    }
    if hit == 0 {
        return 0.0;
    }
    let (p, r) = (hit as f64 / got.len() as f64, hit as f64 / wanted as f64);
    2.0 * p * r / (p + r)
}

/// The stored text of every page: (path, page) → text.
fn stored_pages(index: &Path) -> BTreeMap<(String, u32), String> {
    let index = pubsearch_core::open::open(index).unwrap();
    let f = Fields::from_schema(&index.schema()).unwrap();
    let searcher = index.reader().unwrap().searcher();
    all_of_kind(&searcher, &f, kind::PAGE)
        .unwrap()
        .iter()
        .filter_map(|d| match Stored::from_doc(d, &f).unwrap() {
            Stored::Page(p) => Some(((p.path, p.page), p.text)),
            _ => None,
        })
        .collect()
}

fn scanned(report: &Value) -> BTreeMap<String, Value> {
    report["scanned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap().to_string(), s.clone()))
        .collect()
}

fn pages_of(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect()
}

#[test]
fn scanned_pages_are_recognised_searchable_on_their_page_and_never_read_twice() {
    if !ocr_tools(&["eng", "spa"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (corpus, index) = (dir.path().join("corpus"), dir.path().join("index"));
    scans_corpus(&corpus);
    let out = run_index(&index, &corpus, &["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let r = report_of(&out);
    assert_eq!(r["ocr"]["recognised"], 6, "{}", r["ocr"]);
    assert_eq!(r["ocr"]["failed"], 0);
    assert_eq!(r["pages_no_text"], 0);
    let listed = scanned(&r);
    assert_eq!(
        pages_of(&listed["riverside-scan.pdf"]["recognised"]),
        [1, 2, 3]
    );
    assert_eq!(pages_of(&listed["guia-salud.pdf"]["recognised"]), [1, 2]);
    // The mixed file: text layer where it has one, OCR on the scanned insert only.
    assert_eq!(pages_of(&listed["minutes-mixed.pdf"]["recognised"]), [2]);

    // The recognised text is the text that was scanned, page by page.
    let stored = stored_pages(&index);
    let expect = [
        ("riverside-scan.pdf", &EN_PAGES[..]),
        ("guia-salud.pdf", &ES_PAGES[..]),
        ("minutes-mixed.pdf", &[&[][..], MIXED_SCAN][..]),
    ];
    for (path, pages) in expect {
        for (i, lines) in pages.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
            let got = &stored[&(path.to_string(), i as u32 + 1)];
            let f1 = word_f1(got, &lines.join("\n"));
            eprintln!("{path} page {}: word F1 {f1:.3}", i + 1);
            assert!(f1 >= 0.9, "{path} page {}: F1 {f1:.3}: {got:?}", i + 1);
        }
    }
    assert!(stored[&("minutes-mixed.pdf".into(), 1)].contains("spring meeting"));

    // Found over HTTP, on the page the words are on; the page says it was a scan.
    let server = Server::start(&index, &corpus, &[]);
    for (q, id, page) in [
        ("\"Kettlewell allotment society\"", "riverside-scan", 2),
        ("\"cita médica\"", "guia-salud", 1),
        ("\"Hollybrook drop-in centre\"", "minutes-mixed", 2),
    ] {
        let (status, body) = server.get(&format!("/api/search?q={}&mode=strict", enc(q)));
        assert_eq!(status, 200, "{body}");
        let hit = &body["hits"][0];
        assert_eq!(hit["id"], id, "{q}: {body}");
        assert_eq!(hit["pages"][0]["page"], page, "{q}: {body}");
    }
    let (_, detail) = server.get("/api/publications/riverside-scan");
    let p2 = &detail["pages"][1];
    assert_eq!(p2["engine"], "ocr", "{detail}");
    assert!(p2["confidence"].as_u64().unwrap() >= 60, "{p2}");
    assert_eq!(pages_of(&detail["scanned"]["recognised"]), [1, 2, 3]);
    let (_, mixed) = server.get("/api/publications/minutes-mixed");
    let engines: Vec<&str> = mixed["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["engine"].as_str().unwrap())
        .collect();
    assert_eq!(engines, ["pdf-extract", "ocr", "pdf-extract"]);
    let (_, stats) = server.get("/api/stats");
    let in_stats: Vec<&str> = stats["scanned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        in_stats,
        ["guia-salud.pdf", "minutes-mixed.pdf", "riverside-scan.pdf"]
    );
    let (_, html) = common::get_text(&format!("{}/publications/minutes-mixed", server.base));
    assert!(
        html.contains("Page 2 was recognised from a scan; the text may contain errors."),
        "{html}"
    );
    drop(server);

    // An unchanged library is not read again; a full rebuild reads the cache.
    let cache = index.join("ocr-cache");
    let entries = || std::fs::read_dir(&cache).unwrap().count();
    assert_eq!(entries(), 6);
    let again = report_of(&run_index(&index, &corpus, &["--json"]));
    assert_eq!(again["ocr"]["recognised"], 0, "{again}");
    assert_eq!(again["unchanged"], 3);
    assert_eq!(scanned(&again).len(), 3, "still listed: {again}");
    let full = report_of(&run_index(&index, &corpus, &["--json", "--full"]));
    assert_eq!(full["ocr"]["recognised"], 6, "{full}");
    assert_eq!(full["ocr"]["from_cache"], 6, "{full}");
    std::fs::rename(
        corpus.join("minutes-mixed.pdf"),
        corpus.join("Minutes spring FINAL.pdf"),
    )
    .unwrap();
    // A rename reuses the stored text, recognised pages included: nothing is read or recognised.
    let renamed = report_of(&run_index(&index, &corpus, &["--json"]));
    assert_eq!(
        renamed["renamed"][0]["to"], "Minutes spring FINAL.pdf",
        "{renamed}"
    );
    assert_eq!(renamed["renamed"][0]["id"], "minutes-mixed", "{renamed}");
    assert_eq!(renamed["pages_read"], 0, "{renamed}");
    assert_eq!(renamed["ocr"]["recognised"], 0, "{renamed}");
    let moved = &scanned(&renamed)["Minutes spring FINAL.pdf"];
    assert_eq!(moved["recognised"], serde_json::json!([2]), "{renamed}");
    assert_eq!(entries(), 6);
}

/// A PATH with poppler's tools and `sh`, and no Tesseract.
fn path_without_tesseract(dir: &Path) -> std::ffi::OsString {
    std::fs::create_dir_all(dir).unwrap();
    for tool in ["sh", "pdftotext", "pdftoppm", "pdfimages"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .unwrap();
        let path = String::from_utf8_lossy(&found.stdout).trim().to_string();
        if !path.is_empty() {
            symlink(path, dir.join(tool)).unwrap();
        }
    }
    dir.as_os_str().to_owned()
}

#[test]
fn without_tesseract_the_scans_are_named_and_read_once_it_is_installed() {
    if !ocr_tools(&["eng"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (corpus, index) = (dir.path().join("corpus"), dir.path().join("index"));
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("riverside-scan.pdf"), scan_pdf(&EN_PAGES[..1])).unwrap();
    let path = path_without_tesseract(&dir.path().join("bin"));
    let out = Command::new(bin())
        .arg("--index")
        .arg(&index)
        .args(["index", "--corpus"])
        .arg(&corpus)
        .env("PATH", &path)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("SCANNED riverside-scan.pdf: page 1 without text, not searchable"),
        "{stderr}"
    );
    assert!(stderr.contains("tesseract-ocr"), "{stderr}");
    // `--ocr always` without Tesseract is refused, naming the package.
    let out = Command::new(bin())
        .arg("--index")
        .arg(&index)
        .args(["index", "--ocr", "always", "--corpus"])
        .arg(&corpus)
        .env("PATH", &path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("tesseract-ocr"),
        "{}",
        stderr_of(&out)
    );
    // With Tesseract back, the unchanged file is read again for its scanned page.
    let r = report_of(&run_index(&index, &corpus, &["--json"]));
    assert_eq!(r["ocr"]["recognised"], 1, "{r}");
    assert!(
        scanned(&r)["riverside-scan.pdf"]["without_text"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn extract_can_force_ocr_on_a_file() {
    if !ocr_tools(&["eng"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("mixed.pdf");
    std::fs::write(
        &pdf,
        build_pdf(&[
            text_page(&["Minutes of the spring meeting."]),
            scan_of(MIXED_SCAN),
        ]),
    )
    .unwrap();
    let out = Command::new(bin())
        .arg("extract")
        .arg(&pdf)
        .args(["--engine", "ocr"])
        .output()
        .unwrap();
    let stderr = stderr_of(&out);
    assert!(out.status.success(), "{stderr}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Hollybrook"), "{text}");
    let ocr_lines = stderr
        .lines()
        .filter(|l| l.starts_with("page ") && l.contains(" ocr ") && l.contains("confidence"))
        .count();
    assert_eq!(ocr_lines, 2, "{stderr}");
}
