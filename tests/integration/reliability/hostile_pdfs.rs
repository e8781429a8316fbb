//! Hostile and broken PDFs: truncated, bit-flipped, empty, mislabelled, oddly named, huge.

use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant};

use pubsearch_query::SearchService;

use super::pdfs::{make_pdf, sidecar, text_pdf};
use super::raw_http::raw_get;
use super::rng::Rng;
use super::run::{index_bounded, search_ids};
use crate::common::report::{failures, outcomes, report_of, stderr_of, strings};
use crate::common::{Server, run_index};

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
    let out = index_bounded(&index, &corpus, &["--json"], Duration::from_secs(300));
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
