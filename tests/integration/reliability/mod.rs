//! Reliability and security tests: hostile and broken PDFs, the indexer killed at random
//! moments, a damaged index directory, a full disk during a commit, and the real server under
//! path traversal, oversized requests, missing tokens and SIGTERM.
//!
//! Every test runs the real `pubsearch` binary on a temporary corpus and index. What each one
//! shows, and the longer checks left to scripts, are described in `docs/RELIABILITY.md`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Server, bin, enc, root, run_index};
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};
use pubsearch_query::{SearchRequest, SearchService};
use serde_json::Value;
use wait_timeout::ChildExt;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// SplitMix64: a small seeded generator, so every "random" choice is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A valid PDF: one page per entry of `pages` (each a list of text lines, possibly empty),
/// Helvetica, with `title` in the Info dictionary. Empty pages share one empty content stream.
fn make_pdf(title: &str, pages: &[Vec<String>]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let empty_content = doc.add_object(Stream::new(dictionary! {}, Vec::new()));
    let mut kids: Vec<Object> = Vec::with_capacity(pages.len());
    for lines in pages {
        let content_id = if lines.is_empty() {
            empty_content
        } else {
            let mut ops = vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("TL", vec![16.into()]),
                Operation::new("Td", vec![72.into(), 760.into()]),
            ];
            for line in lines {
                ops.push(Operation::new(
                    "Tj",
                    vec![Object::string_literal(line.as_bytes().to_vec())],
                ));
                ops.push(Operation::new("T*", vec![]));
            }
            ops.push(Operation::new("ET", vec![]));
            let content = Content { operations: ops };
            doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()))
        };
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    let info_id = doc.add_object(dictionary! {
        "Title" => Object::string_literal(title.as_bytes().to_vec()),
        "Author" => Object::string_literal(&b"pubsearch reliability tests"[..]),
        "CreationDate" => Object::string_literal(&b"D:20200102030405Z"[..]),
    });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A PDF of `n` pages of ordinary text, with `marker` on every page.
fn text_pdf(title: &str, marker: &str, n: usize) -> Vec<u8> {
    let pages: Vec<Vec<String>> = (1..=n)
        .map(|p| {
            vec![
                format!("{title}, page {p}."),
                format!("The community centre recorded {marker} on page {p} of this report."),
                "Volunteers met residents every week to discuss housing, health and work."
                    .to_string(),
                "Interpreters helped families register with doctors and schools nearby."
                    .to_string(),
            ]
        })
        .collect();
    make_pdf(title, &pages)
}

/// A sidecar with the given id and title.
fn sidecar(id: &str, title: &str, summary: &str) -> String {
    format!(
        "id = \"{id}\"\ntitle = {}\ndate = \"2020-01-02\"\ntype = \"report\"\ntopics = [\"testing\"]\nsummary = {}\n",
        toml_string(title),
        toml_string(summary)
    )
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The JSON report printed by `pubsearch index --json`.
fn report_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}); status {:?}; stderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn failures(v: &Value) -> BTreeMap<String, String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["path"].as_str().unwrap_or_default().to_string(),
                        f["reason"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Where each file of a report went: path -> outcome ("added: ", "failed: <reason>", ...).
fn outcomes(r: &Value) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for key in ["added", "updated", "removed"] {
        for p in strings(&r[key]) {
            out.entry(p).or_default().push(key.to_string());
        }
    }
    for key in ["failed", "still_failing", "duplicates", "skipped"] {
        for (p, reason) in failures(&r[key]) {
            out.entry(p).or_default().push(format!("{key}: {reason}"));
        }
    }
    out
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `pubsearch ARGS...` with a wall-clock bound; panics if it takes longer.
fn run_bounded(args: &[&std::ffi::OsStr], limit: Duration) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start pubsearch");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stdout.read_to_end(&mut b);
        b
    });
    let err_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stderr.read_to_end(&mut b);
        b
    });
    let status = match child.wait_timeout(limit).unwrap() {
        Some(s) => s,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "pubsearch {:?} still running after {limit:?}; stderr:\n{}",
                args,
                String::from_utf8_lossy(&err_t.join().unwrap())
            );
        }
    };
    Output {
        status,
        stdout: out_t.join().unwrap(),
        stderr: err_t.join().unwrap(),
    }
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

/// Copies the named publications (PDF and sidecar, if any) of `corpus/` into `dst`.
fn copy_slice(dst: &Path, ids: &[&str]) {
    std::fs::create_dir_all(dst).unwrap();
    for id in ids {
        for ext in ["pdf", "toml"] {
            let src = root().join("corpus").join(format!("{id}.{ext}"));
            if src.exists() {
                std::fs::copy(&src, dst.join(format!("{id}.{ext}"))).unwrap();
            }
        }
    }
}

/// Search `q` in the index at `index` (a fresh reader): ids of the hits.
fn search_ids(service: &SearchService, q: &str) -> Vec<String> {
    let mut req = SearchRequest::new(q);
    req.per_page = 100;
    service
        .search(&req)
        .unwrap_or_else(|e| panic!("search {q:?}: {e}"))
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

/// A raw HTTP/1.1 exchange on a fresh connection (`Connection: close`), so that paths reach the
/// server exactly as written (no client-side normalisation of `..` or of encodings).
#[derive(Debug)]
struct RawResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn addr_of(base: &str) -> String {
    base.trim_start_matches("http://").to_string()
}

fn connect(base: &str) -> TcpStream {
    let stream = TcpStream::connect(addr_of(base)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
}

/// Sends `head` (request line and headers, without the final blank line) and `body`; reads the
/// whole answer. Write errors are ignored (a server may answer and close before reading a large
/// body): what counts is the answer.
fn raw(base: &str, head: &str, body: &[u8]) -> std::io::Result<RawResponse> {
    let mut s = connect(base);
    let mut req = head.trim_end().to_string();
    req.push_str("\r\nConnection: close\r\n\r\n");
    let _ = s.write_all(req.as_bytes());
    if !body.is_empty() {
        let _ = s.write_all(body);
    }
    let mut buf = Vec::new();
    match s.read_to_end(&mut buf) {
        Ok(_) => {}
        // A reset after the answer arrived (the server did not read our whole body).
        Err(_) if buf.windows(4).any(|w| w == b"\r\n\r\n") => {}
        Err(e) => return Err(e),
    }
    parse_response(&buf)
}

fn raw_get(base: &str, path: &str) -> RawResponse {
    raw(
        base,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost"),
        b"",
    )
    .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

fn parse_response(buf: &[u8]) -> std::io::Result<RawResponse> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad(&format!("no response head in {} bytes", buf.len())))?;
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = buf[end + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
        else {
            break;
        };
        data = &data[line_end + 2..];
        if size == 0 || data.len() < size {
            out.extend_from_slice(&data[..size.min(data.len())]);
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[(size + 2).min(data.len())..];
    }
    out
}

// ---------------------------------------------------------------------------------------------
// 1. Hostile and broken PDFs
// ---------------------------------------------------------------------------------------------

const GOOD_MARKER: &str = "Quorvandelite";

/// Indexes one good publication, then adds a zoo of broken and hostile files to the corpus:
/// the run completes within a bound, every file is indexed or reported with a reason, and the
/// publication indexed earlier is still searchable.
#[test]
fn hostile_and_broken_pdfs_are_indexed_or_reported() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    std::fs::create_dir_all(&corpus).unwrap();

    // An earlier run indexes a good publication.
    std::fs::write(
        corpus.join("good.pdf"),
        text_pdf("An Earlier Good Publication", GOOD_MARKER, 6),
    )
    .unwrap();
    std::fs::write(
        corpus.join("good.toml"),
        sidecar(
            "good-earlier",
            "An Earlier Good Publication",
            "Indexed before the hostile files arrived.",
        ),
    )
    .unwrap();
    let out = run_index(&index, &corpus, &["--json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(strings(&report_of(&out)["added"]), vec!["good.pdf"]);

    // The hostile files.
    let base = text_pdf("Hostile Base Document", "Brindlewortage", 8);
    let mut names: Vec<Vec<u8>> = Vec::new();
    let mut put = |name: &[u8], bytes: &[u8]| {
        std::fs::write(corpus.join(std::ffi::OsStr::from_bytes(name)), bytes).unwrap();
        names.push(name.to_vec());
    };
    // Truncated at ten offsets, from the header to just before `%%EOF`.
    for k in 1..=10usize {
        let cut = match k {
            1 => 8,
            10 => base.len() - 6,
            _ => base.len() * k / 11,
        };
        put(format!("trunc-{k:02}.pdf").as_bytes(), &base[..cut]);
    }
    // Random byte flips, seeded.
    let mut rng = Rng(0x5EED_F11B);
    for i in 0..12 {
        let mut bytes = base.clone();
        let flips = 1 + rng.below(24) as usize;
        for _ in 0..flips {
            let at = rng.below(bytes.len() as u64) as usize;
            bytes[at] ^= 1 << rng.below(8);
        }
        put(format!("flip-{i:02}.pdf").as_bytes(), &bytes);
    }
    put(b"zero-bytes.pdf", b"");
    put(b"not-a-pdf.pdf", b"<html><script>alert(1)</script></html>");
    // Names that look like paths out of the corpus, and one that is not UTF-8. A name that
    // starts with a dot is a hidden file, which the scan leaves out by design (README).
    std::fs::write(
        corpus.join("..\\..\\x.pdf"),
        text_pdf("Hidden Backslash Named", "Wendlethorpe", 2),
    )
    .unwrap();
    put(
        b"up\\..\\..\\escape.pdf",
        &text_pdf("Backslash Named", "Fennimorrow", 2),
    );
    put(
        b"bad-\xff\xfe-name.pdf",
        &text_pdf("Badly Named", "Oxtravenning", 2),
    );
    // 10,000 empty pages: over the default page limit of 5,000.
    let many = make_pdf("Ten Thousand Empty Pages", &vec![Vec::new(); 10_000]);
    put(b"many-pages.pdf", &many);
    // A 1 GiB sparse file, never written: over the default file-size limit of 512 MiB.
    let sparse = std::fs::File::create(corpus.join("huge-sparse.pdf")).unwrap();
    sparse.set_len(1 << 30).unwrap();
    drop(sparse);
    names.push(b"huge-sparse.pdf".to_vec());

    let started = Instant::now();
    let out = run_bounded(
        &[
            os("--index"),
            index.as_os_str(),
            os("index"),
            os("--corpus"),
            corpus.as_os_str(),
            os("--json"),
        ],
        Duration::from_secs(300),
    );
    let took = started.elapsed();
    eprintln!("hostile run: {:.1} s", took.as_secs_f64());
    assert_eq!(
        out.status.code(),
        Some(3),
        "the run commits and reports failures: {}",
        stderr_of(&out)
    );
    assert!(!stderr_of(&out).contains("panicked"), "{}", stderr_of(&out));
    let r = report_of(&out);
    assert_eq!(r["committed"], true);
    assert_eq!(r["unchanged"], 1, "the earlier publication is untouched");
    let outcome = outcomes(&r);

    // Every hostile file is indexed or reported exactly once, under a recognisable name.
    for name in &names {
        let shown = String::from_utf8_lossy(name).into_owned();
        let mut candidates = vec![shown.clone()];
        if shown.contains('\\') {
            candidates.push(shown.replace('\\', "/"));
        }
        let found: Vec<&Vec<String>> = candidates.iter().filter_map(|c| outcome.get(c)).collect();
        assert_eq!(
            found.len(),
            1,
            "{shown:?} is neither indexed nor reported: {outcome:#?}"
        );
        assert_eq!(
            found[0].len(),
            1,
            "{shown:?} reported twice: {:?}",
            found[0]
        );
        let what = &found[0][0];
        if let Some((_, reason)) = what.split_once(": ") {
            assert!(reason.len() > 10, "{shown:?}: vague reason {reason:?}");
        }
    }
    let reason = |name: &str| -> String {
        outcome
            .get(name)
            .map(|v| v.join("; "))
            .unwrap_or_else(|| panic!("{name} not in {outcome:#?}"))
    };
    assert!(reason("zero-bytes.pdf").starts_with("failed: "));
    assert!(reason("not-a-pdf.pdf").starts_with("failed: "));
    let huge = reason("huge-sparse.pdf");
    assert!(
        huge.starts_with("failed: ") && huge.contains("over the limit"),
        "{huge}"
    );
    let bad_name = reason("bad-\u{fffd}\u{fffd}-name.pdf");
    assert!(
        bad_name.starts_with("skipped: ") && bad_name.contains("UTF-8"),
        "{bad_name}"
    );
    for k in [1, 2] {
        let t = reason(&format!("trunc-{k:02}.pdf"));
        assert!(t.starts_with("failed: "), "a PDF cut at its header: {t}");
    }

    assert!(
        !outcome.keys().any(|k| k.contains("x.pdf")),
        "a hidden file was read: {outcome:#?}"
    );

    let service = SearchService::open(&index).unwrap();
    assert!(search_ids(&service, "Wendlethorpe").is_empty());
    // The 10,000-page document is cut at the page limit (or reported).
    match reason("many-pages.pdf").as_str() {
        "added" => {
            let id = search_ids(&service, "title:thousand");
            assert_eq!(id.len(), 1, "{id:?}");
            let detail = service.publication(&id[0]).unwrap().unwrap();
            assert!(
                detail.page_count <= 5_000,
                "page limit ignored: {} pages",
                detail.page_count
            );
        }
        other => assert!(other.contains("page"), "{other}"),
    }
    // Nothing indexed earlier is lost.
    assert_eq!(search_ids(&service, GOOD_MARKER), vec!["good-earlier"]);
    let good = service.publication("good-earlier").unwrap().unwrap();
    assert_eq!(good.page_count, 6);
    // The skipped file's text is not in the index; the failures are recorded in the index too.
    assert!(search_ids(&service, "Oxtravenning").is_empty());
    let stats = service.stats().unwrap();
    let failed_in_report = failures(&r["failed"]).len();
    assert_eq!(stats.failed.len(), failed_in_report, "{:?}", stats.failed);

    // A second run reads none of the failures again and reports them all.
    let started = Instant::now();
    let out = run_index(&index, &corpus, &["--json"]);
    let again = started.elapsed();
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    let r2 = report_of(&out);
    assert_eq!(r2["committed"], false);
    assert_eq!(r2["pages_read"], 0);
    assert_eq!(failures(&r2["still_failing"]).len(), failed_in_report);
    eprintln!(
        "no-op run over the hostile corpus: {:.1} s",
        again.as_secs_f64()
    );
    assert!(took < Duration::from_secs(240), "hostile run took {took:?}");
}

/// The same guarantees when a backslash-named file is indexed: it keeps its own name in the
/// report (it is not turned into a path out of the corpus), and its PDF is served; two files
/// whose names differ only by `\` versus `/` are both accounted for.
#[test]
fn backslash_names_keep_their_identity() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    std::fs::create_dir_all(corpus.join("sub")).unwrap();
    let traversal = text_pdf("Backslash Named", "Wendlethorpe", 2);
    std::fs::write(corpus.join("up\\..\\..\\escape.pdf"), &traversal).unwrap();
    std::fs::write(
        corpus.join("sub\\twin.pdf"),
        text_pdf("Twin With A Backslash", "Aldermoorish", 2),
    )
    .unwrap();
    std::fs::write(
        corpus.join("sub/twin.pdf"),
        text_pdf("Twin In A Directory", "Pelliwether", 2),
    )
    .unwrap();
    let out = run_index(&index, &corpus, &["--json"]);
    let r = report_of(&out);
    let outcome = outcomes(&r);
    for name in ["up\\..\\..\\escape.pdf", "sub\\twin.pdf", "sub/twin.pdf"] {
        assert!(
            outcome.get(name).is_some_and(|o| o.len() == 1),
            "{name:?} is not accounted for under its own name: {outcome:#?}"
        );
    }
    assert!(
        !outcome.contains_key("up/../../escape.pdf"),
        "a file inside the corpus is reported as a path outside it: {outcome:#?}"
    );
    // Whatever is indexed is also served.
    if outcome["up\\..\\..\\escape.pdf"] == ["added"] {
        let server = Server::start(&index, &corpus, &[]);
        let service = SearchService::open(&index).unwrap();
        let ids = search_ids(&service, "Wendlethorpe");
        assert_eq!(ids.len(), 1);
        let resp = raw_get(&server.base, &format!("/files/{}.pdf", ids[0]));
        assert_eq!(resp.status, 200, "indexed but not served");
        assert_eq!(resp.body, traversal);
    }
}

/// Every real-world PDF of the shared test set, with a 512 MiB address-space limit and a short
/// wall-clock limit per file: the run finishes, each file is indexed or reported, no process of
/// the run (indexer, workers, pdftotext) grows past the limit, and the slow files are stopped
/// at the limit instead of holding the run.
#[test]
fn real_world_pdfs_stay_within_worker_limits() {
    let files: PathBuf = root().join("../shared/pdfs/files");
    if !files.is_dir() {
        eprintln!(
            "SKIPPED: {} is absent (the shared real-world PDF set is not part of a clone)",
            files.display()
        );
        return;
    }
    if !common::require_tool("pdftotext", "poppler-utils")
        || !common::require_tool("/usr/bin/time", "time")
    {
        return;
    }
    let timeout_secs: u64 = std::env::var("RELIABILITY_WORKER_TIMEOUT_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let memory_mb = 512u64;
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let jobs = 2u64;
    let started = Instant::now();
    // GNU time reports the largest resident set of the indexer and of every process it waited
    // for (the extraction workers and their pdftotext children).
    let out = Command::new("/usr/bin/time")
        .args(["-f", "maxrss_kb=%M"])
        .arg(bin())
        .arg("--index")
        .arg(&index)
        .arg("index")
        .arg("--corpus")
        .arg(&files)
        .args(["--json", "--jobs", &jobs.to_string()])
        .args(["--worker-memory-mb", &memory_mb.to_string()])
        .args(["--worker-timeout-secs", &timeout_secs.to_string()])
        .args(["--worker-cpu-secs", &timeout_secs.to_string()])
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let took = started.elapsed();
    let stderr = stderr_of(&out);
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{:?}: {stderr}",
        out.status
    );
    let r = report_of(&out);
    let outcome = outcomes(&r);
    let pdfs: Vec<String> = std::fs::read_dir(&files)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    for name in &pdfs {
        let o = outcome.get(name);
        assert!(
            o.is_some_and(|o| o.len() == 1),
            "{name} is neither indexed nor reported (or twice): {o:?}"
        );
    }
    let maxrss_kb: u64 = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("maxrss_kb="))
        .next_back()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no maxrss in {stderr}"));
    eprintln!(
        "real-world set: {} files in {:.1} s, largest process {} MiB (limit {memory_mb} MiB per worker), \
         {} added, {} failed, worker limit {timeout_secs} s",
        pdfs.len(),
        took.as_secs_f64(),
        maxrss_kb >> 10,
        strings(&r["added"]).len(),
        failures(&r["failed"]).len()
    );
    assert!(
        maxrss_kb >> 10 <= memory_mb,
        "a process of the run used {} MiB",
        maxrss_kb >> 10
    );
    // Each file costs at most one worker run and one pdftotext retry, each under the wall limit,
    // plus a start-up allowance; files run `jobs` at a time.
    let per_file = Duration::from_secs(2 * timeout_secs + 10);
    let bound = per_file * (pdfs.len() as u32).div_ceil(jobs as u32);
    assert!(took < bound, "run took {took:?}, over {bound:?}");
    // The scan is still recorded as having no text layer, the encrypted ones as before.
    let service = SearchService::open(&index).unwrap();
    let detail = service
        .publication("self__scanned-report")
        .unwrap()
        .expect("the scan is indexed under the worker limits");
    assert!(
        detail
            .pages
            .iter()
            .all(|p| p.status == pubsearch_core::model::PageStatus::NoTextLayer),
        "{:?}",
        detail.pages
    );
    assert!(
        outcome["self__encrypted-userpw.pdf"][0].contains("password"),
        "{:?}",
        outcome["self__encrypted-userpw.pdf"]
    );

    // The limits bite: the largest file, alone, with a 1 s time limit and then a 64 MiB memory
    // limit, is stopped at the limit and reported (or indexed from the pdftotext retry).
    let largest = pdfs
        .iter()
        .max_by_key(|n| std::fs::metadata(files.join(n)).unwrap().len())
        .unwrap()
        .clone();
    let one = dir.path().join("one");
    std::fs::create_dir_all(&one).unwrap();
    std::fs::copy(files.join(&largest), one.join(&largest)).unwrap();
    for (limit, args, words) in [
        (
            "1 s",
            ["--worker-timeout-secs", "1", "--worker-cpu-secs", "1"],
            ["timed out", "CPU limit"],
        ),
        (
            "64 MiB",
            ["--worker-memory-mb", "64", "--jobs", "1"],
            ["memory", "crashed"],
        ),
    ] {
        let index = dir.path().join(format!("one-{}", limit.replace(' ', "")));
        let started = Instant::now();
        let out = run_bounded(
            &[
                os("--index"),
                index.as_os_str(),
                os("index"),
                os("--corpus"),
                one.as_os_str(),
                os("--json"),
                os(args[0]),
                os(args[1]),
                os(args[2]),
                os(args[3]),
            ],
            Duration::from_secs(120),
        );
        let took = started.elapsed();
        let r = report_of(&out);
        let o = outcomes(&r);
        let what = o.get(&largest).map(|v| v.join("; ")).unwrap_or_default();
        eprintln!(
            "{largest} with a {limit} limit: {what} ({:.1} s)",
            took.as_secs_f64()
        );
        assert!(
            (what.starts_with("failed: ") && words.iter().any(|w| what.contains(w)))
                || (what == "added" && r["pages_fallback"].as_u64().unwrap() > 0),
            "{limit}: {what}"
        );
        if limit == "1 s" {
            assert!(took < Duration::from_secs(20), "{limit}: run took {took:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Crashes: SIGKILL at random moments of a reindex
// ---------------------------------------------------------------------------------------------

/// The publications of the sample corpus that have a sidecar (the crash test's oracle reads
/// ids and titles from the sidecars).
fn crash_slice() -> Vec<String> {
    common::known()["publications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .filter(|id| root().join("corpus").join(format!("{id}.toml")).exists())
        .collect()
}

/// What a search service shows of an index: (id, title, page count) per publication, and the
/// total number of pages.
type Snapshot = (BTreeSet<(String, String, u64)>, u64);

fn snapshot(index: &Path) -> Snapshot {
    let service =
        SearchService::open(index).unwrap_or_else(|e| panic!("the index does not open: {e}"));
    let mut req = SearchRequest::new("");
    req.per_page = 100;
    let res = service.search(&req).unwrap();
    let mut set = BTreeSet::new();
    for hit in &res.hits {
        let detail = service.publication(&hit.id).unwrap().unwrap();
        assert_eq!(detail.pages.len() as u64, detail.page_count, "{}", hit.id);
        set.insert((hit.id.clone(), hit.title.clone(), detail.page_count));
    }
    assert_eq!(res.total, set.len());
    let stats = service.stats().unwrap();
    assert_eq!(stats.publications as usize, set.len());
    // Every publication's planted phrase word is found, in that publication.
    let facts = common::known();
    for p in facts["phrases"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        if set.iter().any(|(i, _, _)| i == id) {
            let ids = search_ids(&service, p["word"].as_str().unwrap());
            assert_eq!(ids, vec![id.to_string()], "{}", p["word"]);
        }
    }
    (set, stats.pages)
}

/// What the index must hold for the corpus on disk, from the sidecars and the independently
/// known page counts.
fn expected_snapshot(corpus: &Path) -> Snapshot {
    let facts = common::known();
    let pages_of: BTreeMap<String, u64> = facts["publications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["pages"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut set = BTreeSet::new();
    let mut total = 0;
    for entry in std::fs::read_dir(corpus).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let text = std::fs::read_to_string(path.with_extension("toml")).unwrap();
        let field = |name: &str| -> String {
            let line = text
                .lines()
                .find(|l| l.starts_with(&format!("{name} ")))
                .unwrap();
            serde_json::from_str(line.split_once('=').unwrap().1.trim()).unwrap()
        };
        let id = field("id");
        let pages = pages_of[&id];
        total += pages;
        set.insert((id, field("title"), pages));
    }
    (set, total)
}

fn retitle(corpus: &Path, id: &str, title: &str) {
    let path = corpus.join(format!("{id}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("title ") {
                format!("title = {}", toml_string(title))
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&path, out.join("\n") + "\n").unwrap();
}

fn index_command(index: &Path, corpus: &Path, args: &[&str], scratch: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.arg("--index")
        .arg(index)
        .arg("index")
        .arg("--corpus")
        .arg(corpus)
        .args(args)
        .env("RUST_LOG", "error")
        // Extraction scratch files go here, so what a killed run leaves behind is visible.
        .env("TMPDIR", scratch)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Changes the content of `n` PDFs of the corpus (bytes appended after `%%EOF`, which readers
/// ignore), so that an incremental run extracts them again.
fn touch_contents(corpus: &Path, rng: &mut Rng, n: usize, tag: usize) {
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    pdfs.sort();
    for _ in 0..n {
        let pdf = &pdfs[rng.below(pdfs.len() as u64) as usize];
        let mut f = std::fs::OpenOptions::new().append(true).open(pdf).unwrap();
        writeln!(f, "% revision {tag}").unwrap();
    }
}

fn pdf_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pdf")
        })
        .count()
}

/// Kills `pubsearch index` with SIGKILL at seeded random moments, at least 20 times, alternating
/// full rebuilds (everything deleted, then re-added) and incremental runs (files added, removed,
/// retitled and changed): after each kill the index opens and shows either the state before the
/// run or the state after it (never a mixture, never less); the next run completes and the
/// index equals a clean full build.
#[test]
fn sigkill_during_reindex_never_loses_a_commit() {
    let slice = crash_slice();
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    let scratch = dir.path().join("scratch");
    std::fs::create_dir_all(&scratch).unwrap();
    let ids: Vec<&str> = slice.iter().map(String::as_str).collect();
    copy_slice(&corpus, &ids);
    let shelf = dir.path().join("shelf");
    std::fs::create_dir_all(&shelf).unwrap();
    let full: &[&str] = &["--full", "--jobs", "2"];
    let incremental: &[&str] = &["--jobs", "2"];
    let mut rng = Rng(0xC4A5_4ED1);

    // Uninterrupted runs of each kind, timed (median of three): kill moments are spread over
    // these durations.
    let timed = |args: &[&str]| -> Duration {
        let started = Instant::now();
        let status = index_command(&index, &corpus, args, &scratch)
            .status()
            .unwrap();
        assert!(status.success(), "{args:?}: {status:?}");
        started.elapsed()
    };
    let median = |mut v: Vec<Duration>| -> Duration {
        v.sort();
        v[v.len() / 2]
    };
    let mut full_run = median((0..3).map(|_| timed(full)).collect());
    let mut incremental_run = median(
        (0..3)
            .map(|i| {
                touch_contents(&corpus, &mut rng, 4, 1000 + i);
                timed(incremental)
            })
            .collect(),
    );
    let mut committed = snapshot(&index);
    assert_eq!(committed, expected_snapshot(&corpus));
    eprintln!(
        "uninterrupted runs over {} publications: full {:.2} s, incremental {:.2} s",
        slice.len(),
        full_run.as_secs_f64(),
        incremental_run.as_secs_f64()
    );

    let (mut kills, mut before, mut after, mut finished) = (0, 0, 0, 0);
    let mut iteration = 0;
    while kills < 20 {
        iteration += 1;
        assert!(iteration <= 120, "only {kills} kills landed in 120 runs");
        // Change the corpus so that the run has something to commit: retitle one publication,
        // move another between the corpus and the shelf, change the content of a few.
        let id = &slice[rng.below(slice.len() as u64) as usize];
        if corpus.join(format!("{id}.toml")).exists() {
            retitle(&corpus, id, &format!("Revision {iteration} of {id}"));
        }
        let mover = &slice[rng.below(slice.len() as u64) as usize];
        let present = corpus.join(format!("{mover}.pdf")).exists();
        if !present || pdf_count(&corpus) > slice.len() / 2 {
            let (from, to) = if present {
                (&corpus, &shelf)
            } else {
                (&shelf, &corpus)
            };
            for ext in ["pdf", "toml"] {
                let name = format!("{mover}.{ext}");
                std::fs::rename(from.join(&name), to.join(&name)).unwrap();
            }
        }
        touch_contents(&corpus, &mut rng, 4, iteration);
        let target = expected_snapshot(&corpus);
        let is_full = iteration % 2 == 1;
        let (args, duration) = if is_full {
            (full, full_run)
        } else {
            (incremental, incremental_run)
        };
        // Half the kill moments anywhere in the run, half in its last fifth (the commit).
        let span = duration.as_micros() as u64;
        let delay = Duration::from_micros(if rng.below(2) == 0 {
            rng.below(span * 11 / 10 + 1)
        } else {
            span * 8 / 10 + rng.below(span * 3 / 10 + 1)
        });
        let mut child = index_command(&index, &corpus, args, &scratch)
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        let status = child.wait().unwrap();
        if running {
            kills += 1;
        } else {
            finished += 1;
            // The machine got faster than when the runs were timed: aim earlier from now on.
            let shorter = delay.mul_f64(0.9).max(Duration::from_millis(20));
            if is_full {
                full_run = full_run.min(shorter);
            } else {
                incremental_run = incremental_run.min(shorter);
            }
            assert!(status.success(), "an uninterrupted run failed: {status:?}");
        }
        let now = snapshot(&index);
        if now == committed && now != target {
            before += 1;
        } else {
            assert_eq!(
                now, target,
                "after a kill at {delay:?} ({args:?}) the index is neither the previous commit \
                 nor the new one"
            );
            after += 1;
            committed = now;
        }
    }
    eprintln!(
        "{kills} kills in {iteration} runs; index afterwards: {before} times the previous commit, \
         {after} times the new one; {finished} runs finished before their kill moment"
    );

    // The next run completes and the index equals a clean full build of the same corpus.
    let out = index_command(&index, &corpus, incremental, &scratch)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the run after the kills failed: {:?}\n{}",
        out.status,
        stderr_of(&out)
    );
    let recovered = snapshot(&index);
    assert_eq!(recovered, expected_snapshot(&corpus));
    let clean = dir.path().join("clean");
    let status = index_command(&clean, &corpus, full, &scratch)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(recovered, snapshot(&clean));
    let a = SearchService::open(&index).unwrap();
    let b = SearchService::open(&clean).unwrap();
    for (id, _, _) in &recovered.0 {
        assert_eq!(
            a.publication(id).unwrap().unwrap().pages,
            b.publication(id).unwrap().unwrap().pages,
            "{id}"
        );
    }
    // Same matches: totals, publications and every matching page of each. (Ranking scores
    // may differ slightly: documents replaced by earlier runs still count in the term
    // statistics of segments not yet merged, with or without kills.)
    for q in [
        "health",
        "\"community groups\"",
        "register OR vote",
        "newsletter -health",
        "title:report",
    ] {
        let (ra, rb) = (
            a.search(&SearchRequest::new(q)).unwrap(),
            b.search(&SearchRequest::new(q)).unwrap(),
        );
        assert_eq!(ra.total, rb.total, "{q}");
        let mut req = SearchRequest::new(q);
        req.per_page = 100;
        let ids = |s: &SearchService| -> BTreeSet<String> {
            s.search(&req)
                .unwrap()
                .hits
                .into_iter()
                .map(|h| h.id)
                .collect()
        };
        let (ia, ib) = (ids(&a), ids(&b));
        assert_eq!(ia, ib, "{q}");
        for id in &ia {
            let pages = |s: &SearchService| -> Vec<u64> {
                s.search_publication(id, q, pubsearch_query::Mode::Strict)
                    .unwrap()
                    .unwrap()
                    .pages
                    .iter()
                    .map(|p| p.page)
                    .collect()
            };
            assert_eq!(pages(&a), pages(&b), "{q} in {id}");
        }
    }
    assert_eq!(a.stats().unwrap().failed.len(), 0);
    assert_eq!(a.stats().unwrap().pages, b.stats().unwrap().pages);
    eprintln!(
        "index size after recovery: {} KiB (clean build: {} KiB)",
        dir_size(&index) >> 10,
        dir_size(&clean) >> 10
    );
    // Workers answer on a pipe, so killed runs leave no files in $TMPDIR.
    let leftovers: Vec<_> = std::fs::read_dir(&scratch)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        leftovers.is_empty(),
        "killed runs left {leftovers:?} in $TMPDIR"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. A damaged index directory at start-up
// ---------------------------------------------------------------------------------------------

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dst.join(entry.file_name())).unwrap();
        }
    }
}

fn segment_files(index: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .split_once('.')
                .is_some_and(|(stem, e)| {
                    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && e == ext
                })
        })
        .collect();
    out.sort();
    out
}

/// Starts `pubsearch serve` on `index`: `Ok(stderr)` if it exits by itself (with its status),
/// `Err` if it starts serving (it is then stopped).
fn serve_refusal(
    index: &Path,
    corpus: &Path,
) -> Result<(std::process::ExitStatus, String), String> {
    use std::io::BufRead;
    let mut child = common::serve_command(index, corpus)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut seen = String::new();
    for line in std::io::BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap_or_default();
        if line.contains("serving on") {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("started serving: {seen}{line}"));
        }
        seen.push_str(&line);
        seen.push('\n');
    }
    let status = child
        .wait_timeout(Duration::from_secs(60))
        .unwrap()
        .expect("serve closed its stderr but did not exit");
    Ok((status, seen))
}

/// Checks that `search`, `serve` and `index` refuse a damaged index with a clear message
/// pointing at `pubsearch index --full`, and that `index --full` rebuilds it. Returns the
/// problems found.
fn damaged_index_is_refused_then_rebuilt(what: &str, index: &Path, corpus: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut clear = |ok: bool, code: Option<i32>, err: &str, cmd: &str| {
        if ok {
            problems.push(format!("{what}: `{cmd}` succeeded: {err}"));
        } else if err.contains("panicked") || code.is_none() {
            problems.push(format!("{what}: `{cmd}` crashed: {err}"));
        } else if !err.contains("pubsearch index --full") {
            problems.push(format!(
                "{what}: `{cmd}` does not say how to rebuild: {}",
                err.trim()
            ));
        }
    };
    let search = run_bounded(
        &[os("--index"), index.as_os_str(), os("search"), os("health")],
        Duration::from_secs(60),
    );
    clear(
        search.status.success(),
        search.status.code(),
        &stderr_of(&search),
        "search",
    );
    match serve_refusal(index, corpus) {
        Ok((status, err)) => clear(status.success(), status.code(), &err, "serve"),
        Err(e) => clear(true, Some(0), &e, "serve"),
    }
    let incremental = run_bounded(
        &[
            os("--index"),
            index.as_os_str(),
            os("index"),
            os("--corpus"),
            corpus.as_os_str(),
        ],
        Duration::from_secs(120),
    );
    clear(
        incremental.status.success(),
        incremental.status.code(),
        &stderr_of(&incremental),
        "index",
    );
    let full = run_bounded(
        &[
            os("--index"),
            index.as_os_str(),
            os("index"),
            os("--corpus"),
            corpus.as_os_str(),
            os("--full"),
        ],
        Duration::from_secs(120),
    );
    if !full.status.success() {
        problems.push(format!(
            "{what}: `index --full` does not rebuild: {}",
            stderr_of(&full)
        ));
        return problems;
    }
    let search = run_bounded(
        &[
            os("--index"),
            index.as_os_str(),
            os("search"),
            os("Hasselgrove"),
        ],
        Duration::from_secs(60),
    );
    let stdout = String::from_utf8_lossy(&search.stdout);
    if !search.status.success() || !stdout.starts_with("1 publications") {
        problems.push(format!(
            "{what}: after `index --full`, search fails: {stdout} {}",
            stderr_of(&search)
        ));
    } else if snapshot(index) != expected_snapshot(corpus) {
        problems.push(format!("{what}: the rebuilt index differs from the corpus"));
    }
    problems
}

/// A temp dir holding `corpus/` with two short publications of the sample library.
fn two_publication_corpus() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    copy_slice(
        &corpus,
        &[
            "2018-05-hostile-environment-briefing",
            "2024-05-your-vote-counts",
        ],
    );
    (dir, corpus)
}

#[test]
fn damaged_index_files_give_a_clear_error_and_a_way_to_rebuild() {
    let (dir, corpus) = two_publication_corpus();
    let pristine = dir.path().join("pristine");
    let out = run_index(&pristine, &corpus, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!segment_files(&pristine, "store").is_empty());

    let garbage = dir.path().join("garbage-meta");
    copy_dir(&pristine, &garbage);
    std::fs::write(garbage.join("meta.json"), b"\x00\x01 this is not json {{{").unwrap();
    let mut problems =
        damaged_index_is_refused_then_rebuilt("garbage meta.json", &garbage, &corpus);

    let empty_meta = dir.path().join("empty-meta");
    copy_dir(&pristine, &empty_meta);
    std::fs::write(empty_meta.join("meta.json"), b"").unwrap();
    problems.extend(damaged_index_is_refused_then_rebuilt(
        "empty meta.json",
        &empty_meta,
        &corpus,
    ));

    for ext in ["store", "idx", "term", "fast", "fieldnorm"] {
        let damaged = dir.path().join(format!("missing-{ext}"));
        copy_dir(&pristine, &damaged);
        let victim = segment_files(&damaged, ext);
        assert!(!victim.is_empty(), "no .{ext} segment file");
        std::fs::remove_file(&victim[0]).unwrap();
        problems.extend(damaged_index_is_refused_then_rebuilt(
            &format!("missing .{ext}"),
            &damaged,
            &corpus,
        ));
    }

    let truncated = dir.path().join("truncated-store");
    copy_dir(&pristine, &truncated);
    let victim = &segment_files(&truncated, "store")[0];
    let len = std::fs::metadata(victim).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(victim)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    problems.extend(damaged_index_is_refused_then_rebuilt(
        "truncated .store",
        &truncated,
        &corpus,
    ));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The same for a missing positions file (`.pos`), which tantivy opens only when a query
/// needs it.
#[test]
fn missing_positions_file_gives_a_clear_error_and_a_way_to_rebuild() {
    let (dir, corpus) = two_publication_corpus();
    let index = dir.path().join("index");
    let out = run_index(&index, &corpus, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let victim = segment_files(&index, "pos");
    assert!(!victim.is_empty(), "no .pos segment file");
    std::fs::remove_file(&victim[0]).unwrap();
    let problems = damaged_index_is_refused_then_rebuilt("missing .pos", &index, &corpus);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 4. Disk full during a commit
// ---------------------------------------------------------------------------------------------

/// A tmpfs mounted for the test; unmounted on drop, whatever happened.
struct TmpfsMount(PathBuf);

impl TmpfsMount {
    fn mount(dir: &Path, size_kb: u64) -> Result<TmpfsMount, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_kb}k"), "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if out.status.success() {
            Ok(TmpfsMount(dir.to_path_buf()))
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    }

    fn resize(&self, size_kb: u64) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,size={size_kb}k")])
            .arg(&self.0)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
}

impl Drop for TmpfsMount {
    fn drop(&mut self) {
        // A reader still mapping index files keeps the mount busy: detach it lazily then.
        let done = Command::new("umount")
            .arg(&self.0)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !done {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

/// Indexes one publication on a tmpfs with little room left, then runs `index --full` over the
/// whole sample corpus, which cannot fit. Returns the mount (still mounted), the index, the
/// corpus, the snapshot before, and the failed run's output; `None` (after saying why) when a
/// tmpfs cannot be mounted here.
fn fill_the_disk(dir: &Path) -> Option<(TmpfsMount, PathBuf, PathBuf, Snapshot, Output)> {
    let corpus = dir.join("corpus");
    copy_slice(&corpus, &["2018-05-hostile-environment-briefing"]);
    // Measure the first index on an ordinary disk, then give the tmpfs a little more than that.
    let probe = dir.join("probe");
    let out = run_index(&probe, &corpus, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let size_kb = dir_size(&probe) / 1024 + 256;
    let mount_dir = dir.join("mnt");
    let mount = match TmpfsMount::mount(&mount_dir, size_kb) {
        Ok(m) => m,
        Err(e) => {
            eprintln!(
                "SKIPPED: cannot mount a tmpfs ({e}); run scripts/disk_full.sh as root instead"
            );
            return None;
        }
    };
    let index = mount_dir.join("index");
    let out = run_index(&index, &corpus, &["--json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let before = snapshot(&index);
    assert_eq!(before.0.len(), 1);
    // The whole sample corpus does not fit in what is left.
    common::copy_corpus(&corpus);
    let out = run_bounded(
        &[
            os("--index"),
            index.as_os_str(),
            os("index"),
            os("--corpus"),
            corpus.as_os_str(),
            os("--full"),
        ],
        Duration::from_secs(180),
    );
    eprintln!(
        "disk-full run ({size_kb} KiB tmpfs): {:?}\n{}",
        out.status,
        stderr_of(&out)
    );
    Some((mount, index, corpus, before, out))
}

/// The index lives on a small tmpfs: a reindex that cannot fit fails with a non-zero exit and
/// an error saying the previous version is intact; the previous commit is intact and
/// searchable; once there is room the next run completes.
#[test]
fn disk_full_during_a_commit_keeps_the_previous_commit() {
    let dir = tempfile::tempdir().unwrap();
    let Some((mount, index, corpus, before, out)) = fill_the_disk(dir.path()) else {
        return;
    };
    let err = stderr_of(&out);
    assert!(
        !out.status.success(),
        "the run claims success on a full disk"
    );
    assert!(
        out.status.code().is_some() && !err.contains("panicked at"),
        "the indexer crashed instead of failing cleanly: {err}"
    );
    assert!(
        err.contains("previous version is intact"),
        "the error does not say the previous commit is kept: {err}"
    );
    // The previous commit is intact and searchable.
    assert_eq!(snapshot(&index), before);
    let search = run_bounded(
        &[
            os("--index"),
            index.as_os_str(),
            os("search"),
            os("Hasselgrove"),
        ],
        Duration::from_secs(60),
    );
    assert!(search.status.success(), "{}", stderr_of(&search));
    assert!(String::from_utf8_lossy(&search.stdout).starts_with("1 publications"));

    // With room again, the next run completes.
    mount.resize(64 * 1024);
    let out = run_index(&index, &corpus, &["--json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let publications = SearchService::open(&index)
        .unwrap()
        .stats()
        .unwrap()
        .publications;
    assert_eq!(publications, 20);
    drop(mount);
}

/// The error of a run that fills the disk says so.
#[test]
fn disk_full_error_names_the_full_disk() {
    let dir = tempfile::tempdir().unwrap();
    let Some((_mount, _index, _corpus, _before, out)) = fill_the_disk(dir.path()) else {
        return;
    };
    let err = stderr_of(&out);
    assert!(
        err.contains("No space left on device") || err.contains("disk is full"),
        "the error does not say the disk is full: {err}"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Security over the real server
// ---------------------------------------------------------------------------------------------

const SECRET_MARKER: &str = "Zorbulgrantic";
const SCRIPT_MARKER: &str = "Xylophrastic";
const SCRIPT: &str = "<script>alert(1)</script>";

/// A corpus with two sample publications, one whose title, summary and text carry markup, a
/// symlink to a PDF outside the corpus, and its index.
struct Fixture {
    _dir: tempfile::TempDir,
    corpus: PathBuf,
    index: PathBuf,
    outside: PathBuf,
    report: Value,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let index = dir.path().join("index");
        copy_slice(
            &corpus,
            &[
                "2018-05-hostile-environment-briefing",
                "2024-05-your-vote-counts",
            ],
        );
        let pages = vec![
            vec![
                format!("{SCRIPT} {SCRIPT_MARKER} <img src=x onerror=alert(2)>"),
                "Markup in a PDF is text, never code.".to_string(),
            ],
            vec![format!(
                "Second page mentions {SCRIPT_MARKER} again & <b>bold</b>."
            )],
        ];
        std::fs::write(corpus.join("markup.pdf"), make_pdf("Markup", &pages)).unwrap();
        std::fs::write(
            corpus.join("markup.toml"),
            sidecar(
                "markup",
                &format!("{SCRIPT} Markup \"Title\""),
                &format!("Summary with {SCRIPT} and <img src=x onerror=alert(3)>."),
            ),
        )
        .unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(
            outside.join("secret.pdf"),
            text_pdf("Secret Outside", SECRET_MARKER, 1),
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.join("secret.pdf"), corpus.join("leak.pdf")).unwrap();
        std::os::unix::fs::symlink("../outside", corpus.join("outdir")).unwrap();
        let out = run_index(&index, &corpus, &["--json"]);
        let report = report_of(&out);
        Fixture {
            _dir: dir,
            corpus,
            index,
            outside,
            report,
        }
    })
}

fn assert_no_leak(path: &str, resp: &RawResponse) {
    let body = resp.text();
    for marker in [
        "[package]",
        "root:x:",
        SECRET_MARKER,
        "Secret Outside",
        "[workspace]",
    ] {
        assert!(
            !body.contains(marker),
            "{path} leaked {marker:?}: status {}",
            resp.status
        );
    }
}

/// Path traversal on every route that touches files (encoded, double-encoded, backslashes,
/// absolute paths, absolute-form request targets) and a symlink pointing out of the corpus:
/// nothing outside the corpus is indexed or served.
#[test]
fn nothing_outside_the_corpus_is_indexed_or_served() {
    let f = fixture();
    let skipped = failures(&f.report["skipped"]);
    assert!(
        skipped
            .get("leak.pdf")
            .is_some_and(|r| r.contains("outside")),
        "the symlink out of the corpus is not reported as skipped: {}",
        f.report
    );
    assert!(
        !strings(&f.report["added"])
            .iter()
            .any(|p| p.contains("outdir") || p.contains("leak")),
        "{}",
        f.report
    );
    let service = SearchService::open(&f.index).unwrap();
    assert!(search_ids(&service, SECRET_MARKER).is_empty());
    assert!(search_ids(&service, "title:secret").is_empty());

    let server = Server::start(&f.index, &f.corpus, &[]);
    let ok = raw_get(&server.base, "/files/2024-05-your-vote-counts.pdf");
    assert_eq!(ok.status, 200);
    assert!(ok.body.starts_with(b"%PDF-"));
    let outside = f.outside.join("secret.pdf");
    let abs = outside.to_string_lossy().into_owned();
    let abs_enc = enc(&abs);
    let paths: Vec<String> = vec![
        "/files/leak.pdf".into(),
        "/files/secret.pdf".into(),
        "/files/outdir%2Fsecret.pdf".into(),
        "/files/outdir/secret.pdf".into(),
        "/files/../outside/secret.pdf".into(),
        "/files/..%2Foutside%2Fsecret.pdf".into(),
        "/files/..%2F..%2FCargo.toml".into(),
        "/files/..%2FCargo.toml.pdf".into(),
        "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd.pdf".into(),
        "/files/%2E%2E/%2E%2E/etc/passwd".into(),
        "/files/%252e%252e%252fCargo.toml.pdf".into(),
        "/files/%252e%252e%252f%252e%252e%252fetc%252fpasswd.pdf".into(),
        "/files/..%5C..%5CCargo.toml.pdf".into(),
        "/files/..%5Coutside%5Csecret.pdf".into(),
        "/files/..\\..\\etc\\passwd.pdf".into(),
        "/files/%2Fetc%2Fpasswd.pdf".into(),
        "/files/%2Fetc%2Fpasswd".into(),
        "/files//etc/passwd".into(),
        format!("/files/{abs_enc}"),
        format!("/files/{}", abs_enc.trim_end_matches(".pdf")),
        format!("/files{abs}"),
        "/files/C:%5CWindows%5Cwin.ini".into(),
        "/files/%00.pdf".into(),
        "/files/2024-05-your-vote-counts.pdf%00.toml".into(),
        "/files/2024-05-your-vote-counts.toml".into(),
        "/files/2024-05-your-vote-counts.pdf%2F..%2F..%2FCargo.toml".into(),
        "/files/.%2e%2F.%2e%2FCargo.toml".into(),
        "/files/%c0%ae%c0%ae%c0%afCargo.toml.pdf".into(),
        "/files/..%c0%af..%c0%afetc%c0%afpasswd.pdf".into(),
        "/assets/..%2F..%2FCargo.toml".into(),
        "/assets/../../Cargo.toml".into(),
        "/assets/%2Fetc%2Fpasswd".into(),
        "/publications/..%2F..%2FCargo.toml".into(),
        "/publications/leak".into(),
        "/api/publications/leak".into(),
        "/api/publications/..%2Fleak".into(),
        "/api/publications/secret".into(),
        "/../../../../etc/passwd".into(),
        "/%2e%2e/%2e%2e/etc/passwd".into(),
        "/widget.js/../../Cargo.toml".into(),
    ];
    for path in &paths {
        let resp = match raw(
            &server.base,
            &format!("GET {path} HTTP/1.1\r\nHost: localhost"),
            b"",
        ) {
            Ok(r) => r,
            Err(e) => panic!("{path}: no answer ({e})"),
        };
        assert!(
            matches!(resp.status, 400 | 404),
            "{path}: status {}",
            resp.status
        );
        assert_no_leak(path, &resp);
    }
    // Absolute-form request targets.
    for target in [
        "http://localhost/files/../../etc/passwd",
        "http://localhost/files/..%2F..%2FCargo.toml",
        "file:///etc/passwd",
    ] {
        let resp = raw(
            &server.base,
            &format!("GET {target} HTTP/1.1\r\nHost: localhost"),
            b"",
        )
        .unwrap_or_else(|e| panic!("{target}: {e}"));
        assert!(
            (400..500).contains(&resp.status),
            "{target}: status {}",
            resp.status
        );
        assert_no_leak(target, &resp);
    }
    // The server is still answering after all that.
    assert_eq!(raw_get(&server.base, "/healthz").status, 200);
}

/// A file indexed while inside the corpus, then replaced by a symlink to a file outside it,
/// is not served even though the index still knows it.
#[test]
fn a_file_swapped_for_an_outside_symlink_is_not_served() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    copy_slice(&corpus, &["2024-05-your-vote-counts"]);
    std::fs::write(corpus.join("swap.pdf"), text_pdf("Swap", "Gristlemoor", 1)).unwrap();
    let out = run_index(&index, &corpus, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let outside = dir.path().join("secret.pdf");
    std::fs::write(&outside, text_pdf("Secret Outside", SECRET_MARKER, 1)).unwrap();
    std::fs::remove_file(corpus.join("swap.pdf")).unwrap();
    std::os::unix::fs::symlink(&outside, corpus.join("swap.pdf")).unwrap();
    let server = Server::start(&index, &corpus, &[]);
    let resp = raw_get(&server.base, "/files/swap.pdf");
    assert_eq!(resp.status, 404);
    assert_no_leak("/files/swap.pdf", &resp);
    let resp = raw_get(&server.base, "/files/2024-05-your-vote-counts.pdf");
    assert_eq!(resp.status, 200);
}

/// Oversized bodies, very long query strings, many or huge headers: a 4xx answer, never a 5xx,
/// and the server still answers afterwards.
#[test]
fn oversized_requests_get_4xx_and_the_server_keeps_answering() {
    let f = fixture();
    let server = Server::start(&f.index, &f.corpus, &["--admin-token", "s3cret-token"]);
    let base = &server.base;
    let mb = vec![b'x'; 1 << 20];
    let post = |auth: &str, body: &[u8]| -> RawResponse {
        raw(
            base,
            &format!(
                "POST /api/admin/reload HTTP/1.1\r\nHost: localhost{auth}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}",
                body.len()
            ),
            body,
        )
        .unwrap_or_else(|e| panic!("POST 1 MB: no answer ({e})"))
    };
    let r = post("", &mb);
    assert!(matches!(r.status, 401 | 413), "1 MB POST: {}", r.status);
    let r = post("\r\nAuthorization: Bearer wrong", &mb);
    assert!(matches!(r.status, 401 | 413), "1 MB POST: {}", r.status);
    let r = post("\r\nAuthorization: Bearer s3cret-token", &mb);
    assert_eq!(r.status, 413, "1 MB POST with the token");
    // The same body sent chunked, with no length announced.
    let mut chunked = Vec::new();
    for chunk in mb.chunks(64 * 1024) {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let r = raw(
        base,
        "POST /api/admin/reload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked",
        &chunked,
    )
    .expect("chunked POST answered");
    assert!(matches!(r.status, 401 | 413), "chunked POST: {}", r.status);
    // A body on a GET route.
    let r = raw(
        base,
        &format!(
            "GET /api/search?q=health HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}",
            mb.len()
        ),
        &mb,
    )
    .expect("GET with a body answered");
    assert!(r.status < 500, "GET with a 1 MB body: {}", r.status);

    // Long query strings.
    for len in [2_000usize, 20_000, 200_000, 2_000_000] {
        let q = "a%20".repeat(len / 4);
        let path = format!("/api/search?q={q}");
        match raw(
            base,
            &format!("GET {path} HTTP/1.1\r\nHost: localhost"),
            b"",
        ) {
            Ok(r) => assert!(
                (400..500).contains(&r.status),
                "query of {len} bytes: {}",
                r.status
            ),
            Err(e) => panic!("query of {len} bytes: no answer ({e})"),
        }
    }
    let long_path = format!("/api/publications/{}", "a".repeat(100_000));
    let r = raw_get(base, &long_path);
    assert!((400..500).contains(&r.status), "long path: {}", r.status);
    // Many headers, and one huge header.
    let many: String = (0..500).map(|i| format!("\r\nX-Filler-{i}: {i}")).collect();
    let r = raw(
        base,
        &format!("GET /api/search?q=health HTTP/1.1\r\nHost: localhost{many}"),
        b"",
    )
    .expect("many headers answered");
    assert!((400..500).contains(&r.status), "500 headers: {}", r.status);
    let huge = "v".repeat(1 << 20);
    let r = raw(
        base,
        &format!("GET /api/search?q=health HTTP/1.1\r\nHost: localhost\r\nX-Huge: {huge}"),
        b"",
    )
    .expect("huge header answered");
    assert!((400..500).contains(&r.status), "1 MB header: {}", r.status);
    // Nonsense.
    for head in [
        "BREW /api/search HTTP/1.1\r\nHost: localhost",
        "GET /api/search?q=%ff%fe%00 HTTP/1.1\r\nHost: localhost",
        "GET /api/search?q=health&page=99999999999999999999 HTTP/1.1\r\nHost: localhost",
        "GET /api/search?type=%3Cscript%3E HTTP/1.1\r\nHost: localhost",
    ] {
        if let Ok(r) = raw(base, head, b"") {
            assert!(r.status < 500, "{head:?}: {}", r.status);
        }
    }

    // Still answering.
    assert_eq!(raw_get(base, "/healthz").status, 200);
    let (status, body) = server.get("/api/search?q=health");
    assert_eq!(status, 200);
    assert!(body["total"].as_u64().unwrap() > 0);
}

fn admin(base: &str, auth: Option<&str>) -> RawResponse {
    let auth = auth
        .map(|a| format!("\r\nAuthorization: {a}"))
        .unwrap_or_default();
    raw(
        base,
        &format!("POST /api/admin/reload HTTP/1.1\r\nHost: localhost{auth}\r\nContent-Length: 0"),
        b"",
    )
    .expect("admin answered")
}

/// `POST /api/admin/reload` needs the configured token: 401 without it, with a wrong one, and
/// always when no token is configured; 200 with the right one, from the flag or the environment.
#[test]
fn the_admin_route_needs_the_configured_token() {
    let f = fixture();
    let token = "correct horse battery staple";
    let with_flag = Server::start(&f.index, &f.corpus, &["--admin-token", token]);
    let base = &with_flag.base;
    let none = admin(base, None);
    assert_eq!(none.status, 401);
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));
    let body: Value = serde_json::from_slice(&none.body).unwrap();
    assert_eq!(body["code"], "unauthorized");
    for wrong in [
        "Bearer wrong".to_string(),
        format!("Bearer {token}x"),
        format!("Bearer {}", &token[..token.len() - 1]),
        format!("Basic {token}"),
        token.to_string(),
        "Bearer ".to_string(),
        format!("Bearer  {token}"),
    ] {
        let r = admin(base, Some(&wrong));
        assert_eq!(r.status, 401, "{wrong:?}");
    }
    let r = raw(
        base,
        &format!(
            "POST /api/admin/reload?token={} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0",
            enc(token)
        ),
        b"",
    )
    .unwrap();
    assert_eq!(r.status, 401, "token in the query string");
    let ok = admin(base, Some(&format!("Bearer {token}")));
    assert_eq!(ok.status, 200, "{}", ok.text());
    let body: Value = serde_json::from_slice(&ok.body).unwrap();
    assert_eq!(body["reloaded"], true);
    // A GET on the admin route does nothing.
    let r = raw_get(base, "/api/admin/reload");
    assert!(matches!(r.status, 404 | 405), "{}", r.status);

    let with_env = Server::start_with_env(
        &f.index,
        &f.corpus,
        &[],
        &[("PUBSEARCH_ADMIN_TOKEN", "from-the-environment")],
    );
    assert_eq!(admin(&with_env.base, None).status, 401);
    assert_eq!(admin(&with_env.base, Some("Bearer wrong")).status, 401);
    assert_eq!(
        admin(&with_env.base, Some("Bearer from-the-environment")).status,
        200
    );

    let without = Server::start_with_env(&f.index, &f.corpus, &[], &[]);
    assert_eq!(admin(&without.base, None).status, 401);
    assert_eq!(admin(&without.base, Some("Bearer ")).status, 401);
    assert_eq!(
        admin(&without.base, Some(&format!("Bearer {token}"))).status,
        401
    );
    let empty = Server::start_with_env(&f.index, &f.corpus, &[], &[("PUBSEARCH_ADMIN_TOKEN", "")]);
    assert_eq!(admin(&empty.base, Some("Bearer ")).status, 401);
    assert_eq!(admin(&empty.base, Some("Bearer")).status, 401);
}

/// Titles, summaries and PDF text containing markup: JSON answers are `application/json` with
/// `nosniff` and carry the markup as plain strings (snippets escaped); HTML pages escape it.
#[test]
fn markup_in_titles_summaries_and_text_stays_inert() {
    let f = fixture();
    assert!(strings(&f.report["added"]).contains(&"markup.pdf".to_string()));
    let server = Server::start(&f.index, &f.corpus, &[]);
    let base = &server.base;
    let json_ok = |path: &str| -> Value {
        let r = raw_get(base, path);
        assert!(
            r.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "{path}: {:?}",
            r.header("content-type")
        );
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let res = json_ok(&format!("/api/search?q={SCRIPT_MARKER}"));
    assert_eq!(res["total"], 1, "{res}");
    let hit = &res["hits"][0];
    assert_eq!(hit["title"], format!("{SCRIPT} Markup \"Title\""));
    assert!(hit["summary"].as_str().unwrap().contains(SCRIPT));
    for page in hit["pages"].as_array().unwrap() {
        let snippet = page["snippet"].as_str().unwrap();
        let without_marks = snippet.replace("<mark>", "").replace("</mark>", "");
        assert!(
            !without_marks.contains('<') && !without_marks.contains('>'),
            "unescaped markup in a snippet: {snippet}"
        );
    }
    assert!(
        hit["pages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["snippet"].as_str().unwrap().contains("&lt;script&gt;")),
        "{hit}"
    );
    let detail = json_ok("/api/publications/markup");
    assert_eq!(detail["title"], format!("{SCRIPT} Markup \"Title\""));
    let inside = json_ok(&format!(
        "/api/publications/markup/search?q={SCRIPT_MARKER}"
    ));
    for page in inside["pages"].as_array().unwrap() {
        let s = page["snippet"]
            .as_str()
            .unwrap()
            .replace("<mark>", "")
            .replace("</mark>", "");
        assert!(!s.contains('<'), "{s}");
    }
    // Errors that echo the request are JSON too.
    for path in [
        format!("/api/search?q={}", enc("(<script>alert(1)</script>")),
        format!("/api/publications/{}", enc(SCRIPT)),
        format!("/api/search?q=x&type={}", enc(SCRIPT)),
        format!("/nowhere/{}", enc(SCRIPT)),
    ] {
        let r = raw_get(base, &path);
        assert!((400..500).contains(&r.status), "{path}: {}", r.status);
        assert!(
            r.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "{path}: {:?}",
            r.header("content-type")
        );
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
    // HTML pages escape titles, summaries and text.
    for path in [
        format!("/?q={SCRIPT_MARKER}"),
        "/publications/markup".to_string(),
        format!("/publications/markup?q={SCRIPT_MARKER}"),
        format!("/?q={}", enc(SCRIPT)),
    ] {
        let r = raw_get(base, &path);
        if r.status == 404 && r.header("content-type").is_some_and(|c| c.contains("json")) {
            eprintln!("note: {path} is not an HTML route in this build");
            continue;
        }
        let body = r.text();
        assert!(r.status < 500, "{path}: {}", r.status);
        assert!(
            !body.contains("<script>alert") && !body.contains("<img src=x"),
            "{path}: markup not escaped"
        );
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
}

/// SIGTERM: the server stops accepting connections at once, finishes a download already in
/// flight (a file larger than the socket buffers, read slowly), closes idle connections, and
/// exits with status 0.
#[test]
fn sigterm_finishes_in_flight_requests_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    copy_slice(&corpus, &["2024-05-your-vote-counts"]);
    // A 24 MiB PDF: one page of text and a large incompressible stream.
    let mut doc = Document::load_mem(&text_pdf("Big File", "Grandiloquor", 1)).unwrap();
    let mut rng = Rng(7);
    let noise: Vec<u8> = (0..24 << 20).map(|_| rng.next() as u8).collect();
    doc.add_object(Stream::new(dictionary! {}, noise).with_compression(false));
    let mut big = Vec::new();
    doc.save_to(&mut big).unwrap();
    std::fs::write(corpus.join("big.pdf"), &big).unwrap();
    let out = run_index(&index, &corpus, &["--json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(strings(&report_of(&out)["added"]).contains(&"big.pdf".to_string()));

    let mut server = Server::start(&index, &corpus, &[]);
    let base = server.base.clone();
    let mut idle = connect(&base);
    let mut download = connect(&base);
    download
        .write_all(b"GET /files/big.pdf HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut first = vec![0u8; 64 * 1024];
    download.read_exact(&mut first).unwrap();
    assert!(first.starts_with(b"HTTP/1.1 200"));

    let started = Instant::now();
    let kill = Command::new("kill")
        .arg("-TERM")
        .arg(server.pid().to_string())
        .status()
        .unwrap();
    assert!(kill.success());
    // New connections are refused soon after the signal.
    assert!(
        common::wait_until(Duration::from_secs(10), || TcpStream::connect(addr_of(
            &base
        ))
        .is_err()),
        "the server still accepts connections after SIGTERM"
    );
    // The idle connection is closed by the server.
    let mut buf = [0u8; 16];
    assert_eq!(
        idle.read(&mut buf).unwrap_or(0),
        0,
        "idle connection kept open"
    );
    // The download in flight completes, byte for byte.
    let mut rest = Vec::new();
    download.read_to_end(&mut rest).unwrap();
    let mut whole = first;
    whole.extend_from_slice(&rest);
    let resp = parse_response(&whole).unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.body.len(),
        big.len(),
        "download cut short by the shutdown"
    );
    assert!(resp.body == big, "download corrupted");
    let status = server
        .wait_exit(Duration::from_secs(10))
        .expect("the server did not exit within 10 s of finishing the download");
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
    eprintln!(
        "SIGTERM to exit, with a {} MiB download in flight: {:.2} s",
        big.len() >> 20,
        started.elapsed().as_secs_f64()
    );
}

/// A client that sends half a request and then nothing (slowloris) is disconnected within a
/// bounded time (hyper's usual header timeout is 30 s).
#[test]
fn slow_clients_are_cut_off() {
    let f = fixture();
    let server = Server::start(&f.index, &f.corpus, &[]);
    let mut slow = connect(&server.base);
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(45)))
        .unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let cut = slow.read_to_end(&mut buf);
    let waited = started.elapsed();
    assert!(
        cut.is_ok() && waited < Duration::from_secs(45),
        "a half-sent request was kept open for {waited:?}"
    );
    eprintln!(
        "half-sent request cut off after {:.1} s",
        waited.as_secs_f64()
    );
}

/// SIGTERM while clients hold connections with half-sent requests: the server still exits
/// promptly, with status 0.
#[test]
fn sigterm_is_not_held_up_by_slow_clients() {
    let f = fixture();
    let mut server = Server::start(&f.index, &f.corpus, &[]);
    let mut slow = Vec::new();
    for _ in 0..4 {
        let mut s = connect(&server.base);
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            .unwrap();
        slow.push(s);
    }
    // One more client that has not sent a byte.
    slow.push(connect(&server.base));
    // The server has accepted them all: a full request on a new connection is answered after.
    assert_eq!(raw_get(&server.base, "/healthz").status, 200);
    let started = Instant::now();
    let kill = Command::new("kill")
        .arg("-TERM")
        .arg(server.pid().to_string())
        .status()
        .unwrap();
    assert!(kill.success());
    let status = server
        .wait_exit(Duration::from_secs(15))
        .expect("slow clients held up the shutdown for 15 s");
    assert!(status.success(), "{status:?}");
    eprintln!(
        "SIGTERM to exit with 5 slow clients connected: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    drop(slow);
}
