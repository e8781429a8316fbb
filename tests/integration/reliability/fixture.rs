//! The served corpus of the security tests: markup in metadata and text, symlinks out.

use std::path::PathBuf;

use serde_json::Value;

use super::pdfs::{make_pdf, sidecar, text_pdf};
use super::run::copy_slice;
use crate::common::report::report_of;
use crate::common::run_index;

pub const SECRET_MARKER: &str = "Zorbulgrantic";
pub const SCRIPT_MARKER: &str = "Xylophrastic";
pub const SCRIPT: &str = "<script>alert(1)</script>";

/// A corpus with two sample publications, one whose title, summary and text carry markup, a
/// symlink to a PDF outside the corpus, and its index.
pub struct Fixture {
    _dir: tempfile::TempDir,
    pub corpus: PathBuf,
    pub index: PathBuf,
    pub outside: PathBuf,
    pub report: Value,
}

pub fn fixture() -> &'static Fixture {
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
