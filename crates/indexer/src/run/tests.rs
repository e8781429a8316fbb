//! Runs over a small corpus of the sample library's own PDFs: what each step writes (or, in a
//! dry run, leaves alone), read back through core's stored document.

use std::path::{Path, PathBuf};

use pubsearch_core::doc::{Stored, StoredPublication};
use pubsearch_core::schema::{Fields, kind};
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use super::*;

/// Two small PDFs of the sample library, each with its sidecar.
const SAMPLES: [&str; 2] = ["2024-05-your-vote-counts", "2005-06-registering-with-a-gp"];

struct Library {
    _dir: tempfile::TempDir,
    corpus: PathBuf,
    index: PathBuf,
}

fn sample_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

fn library() -> Library {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for stem in SAMPLES {
        for ext in ["pdf", "toml"] {
            let name = format!("{stem}.{ext}");
            std::fs::copy(sample_corpus().join(&name), corpus.join(&name)).unwrap();
        }
    }
    let index = dir.path().join("index");
    Library {
        _dir: dir,
        corpus,
        index,
    }
}

impl Library {
    fn config(&self) -> IndexerConfig {
        let mut cfg = IndexerConfig::new(&self.corpus, &self.index);
        cfg.jobs = 1;
        cfg.writer_memory = 15 << 20;
        cfg
    }

    fn run(&self) -> Report {
        reindex(&self.config(), &NoProgress).unwrap()
    }

    /// What a run would do, writing nothing.
    fn dry_run(&self) -> Report {
        let cfg = IndexerConfig {
            dry_run: true,
            ..self.config()
        };
        reindex(&cfg, &NoProgress).unwrap()
    }

    /// Every publication in the index, by path.
    fn publications(&self) -> BTreeMap<String, StoredPublication> {
        let index = pubsearch_core::open::open(&self.index).unwrap();
        let fields = Fields::from_schema(&index.schema()).unwrap();
        let searcher = index.reader().unwrap().searcher();
        let query = TermQuery::new(
            Term::from_field_text(fields.kind, kind::PUBLICATION),
            IndexRecordOption::Basic,
        );
        searcher
            .search(&query, &DocSetCollector)
            .unwrap()
            .into_iter()
            .map(|addr| {
                let d: TantivyDocument = searcher.doc(addr).unwrap();
                match Stored::from_doc(&d, &fields).unwrap() {
                    Stored::Publication(p) => (p.path.clone(), p),
                    other => panic!("not a publication: {other:?}"),
                }
            })
            .collect()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.corpus.join(name)
    }
}

fn pdf(stem: &str) -> String {
    format!("{stem}.pdf")
}

#[test]
fn a_first_run_adds_each_publication_with_its_sidecar_metadata() {
    let lib = library();
    let report = lib.run();
    assert_eq!(report.added.len(), 2, "{report:?}");
    assert!(report.committed && report.all_ok(), "{report:?}");
    let pubs = lib.publications();
    let vote = &pubs[&pdf(SAMPLES[0])].publication;
    assert_eq!(vote.id, SAMPLES[0]);
    assert!(vote.title.starts_with("Your Vote Counts"), "{}", vote.title);
    assert!(report.pages_read > 0);
}

#[test]
fn an_unchanged_library_writes_nothing() {
    let lib = library();
    lib.run();
    let again = lib.run();
    assert_eq!(again.unchanged, 2, "{again:?}");
    assert!(
        !again.committed,
        "nothing changed, nothing committed: {again:?}"
    );
    assert_eq!(again.pages_read, 0);
}

#[test]
fn a_changed_sidecar_refreshes_metadata_and_reuses_the_text() {
    let lib = library();
    lib.run();
    let sidecar = lib.path(&format!("{}.toml", SAMPLES[0]));
    let text = std::fs::read_to_string(&sidecar).unwrap();
    let retitled = text.replace("title = \"Your Vote Counts", "title = \"Every Vote Counts");
    assert_ne!(text, retitled);
    std::fs::write(&sidecar, retitled).unwrap();

    let report = lib.run();
    assert_eq!(report.updated, vec![pdf(SAMPLES[0])], "{report:?}");
    assert_eq!(
        report.pages_read, 0,
        "the stored text is reused: {report:?}"
    );
    let stored = &lib.publications()[&pdf(SAMPLES[0])];
    assert!(stored.publication.title.starts_with("Every Vote Counts"));
    assert!(stored.page_count > 0);
}

#[test]
fn a_removed_sidecar_takes_its_metadata_with_it() {
    let lib = library();
    lib.run();
    let before = lib.publications()[&pdf(SAMPLES[0])].publication.clone();
    assert_eq!(before.topics, ["local democracy", "citizenship"]);
    std::fs::remove_file(lib.path(&format!("{}.toml", SAMPLES[0]))).unwrap();

    let report = lib.run();
    assert_eq!(report.updated, vec![pdf(SAMPLES[0])], "{report:?}");
    let after = lib.publications()[&pdf(SAMPLES[0])].publication.clone();
    // What only the sidecar said is gone; the PDF's own metadata stands in.
    assert!(after.topics.is_empty(), "{after:?}");
    assert!(after.summary.is_empty(), "{after:?}");
    assert_eq!(after.pub_type, pubsearch_core::model::PubType::Other);
    assert_eq!(after.id, SAMPLES[0], "the id comes from the file name");
}

#[test]
fn a_removed_pdf_leaves_the_index() {
    let lib = library();
    lib.run();
    std::fs::remove_file(lib.path(&pdf(SAMPLES[1]))).unwrap();
    let report = lib.run();
    assert_eq!(report.removed, vec![pdf(SAMPLES[1])], "{report:?}");
    let pubs = lib.publications();
    assert_eq!(pubs.keys().collect::<Vec<_>>(), [&pdf(SAMPLES[0])]);
}

#[test]
fn a_copy_of_an_indexed_pdf_is_indexed_once() {
    let lib = library();
    lib.run();
    std::fs::copy(lib.path(&pdf(SAMPLES[0])), lib.path("copy.pdf")).unwrap();
    let report = lib.run();
    assert_eq!(report.duplicates.len(), 1, "{report:?}");
    assert_eq!(report.duplicates[0].path, "copy.pdf");
    assert!(report.added.is_empty(), "{report:?}");
    assert_eq!(lib.publications().len(), 2);
}

#[test]
fn an_id_taken_by_another_file_fails_that_file_only() {
    let lib = library();
    lib.run();
    let sidecar = lib.path(&format!("{}.toml", SAMPLES[1]));
    let text = std::fs::read_to_string(&sidecar).unwrap();
    let clash = text.replace(
        &format!("id = \"{}\"", SAMPLES[1]),
        &format!("id = \"{}\"", SAMPLES[0]),
    );
    assert_ne!(text, clash);
    std::fs::write(&sidecar, clash).unwrap();

    let report = lib.run();
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert_eq!(
        report.failed[0].path,
        format!("{}.toml", SAMPLES[1]).replace(".toml", ".pdf")
    );
    assert!(
        report.failed[0].reason.contains("already used by"),
        "{report:?}"
    );
    // Both earlier versions stay.
    let pubs = lib.publications();
    assert_eq!(pubs[&pdf(SAMPLES[1])].publication.id, SAMPLES[1]);
    assert_eq!(pubs[&pdf(SAMPLES[0])].publication.id, SAMPLES[0]);
}

#[test]
fn a_dry_run_plans_and_writes_nothing() {
    let lib = library();
    let report = lib.dry_run();
    assert_eq!(report.plan.len(), 2, "{report:?}");
    assert!(report.plan.iter().all(|line| line.starts_with("add ")));
    assert!(!report.committed);
    assert!(!lib.index.exists(), "a dry run creates no index");
}

#[test]
fn a_dry_run_reports_what_the_real_run_does() {
    let lib = library();
    // A sidecar that does not parse, and a PDF that needs a password.
    std::fs::write(
        lib.corpus.join(format!("{}.toml", SAMPLES[0])),
        "title = \"Your vote counts\"\ntype = \"pamphlet\"\n",
    )
    .unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data/encrypted/password-locked.pdf"),
        lib.corpus.join("password-locked.pdf"),
    )
    .unwrap();
    let dry = lib.dry_run();
    let line = |prefix: &str| {
        dry.plan
            .iter()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} in {:?}", dry.plan))
            .clone()
    };
    assert!(line(&format!("fail {}.pdf", SAMPLES[0])).contains("type"));
    assert!(line("fail password-locked.pdf").contains("password"));
    line(&format!("add {}.pdf", SAMPLES[1]));

    let real = lib.run();
    assert_eq!(dry.added, real.added);
    assert_eq!(dry.updated, real.updated);
    let paths = |r: &Report| {
        let mut paths: Vec<String> = r.failed.iter().map(|f| f.path.clone()).collect();
        paths.sort();
        paths
    };
    assert_eq!(paths(&dry), paths(&real));
    let first_line = |r: &Report| r.summary().lines().next().unwrap_or_default().to_string();
    assert_eq!(first_line(&dry), first_line(&real));
}

#[test]
fn a_sidecar_left_behind_by_a_removed_pdf_is_reported() {
    let lib = library();
    lib.run();
    std::fs::remove_file(lib.corpus.join(format!("{}.pdf", SAMPLES[0]))).unwrap();
    let report = lib.run();
    assert_eq!(report.removed, vec![format!("{}.pdf", SAMPLES[0])]);
    assert_eq!(report.orphan_sidecars, vec![format!("{}.toml", SAMPLES[0])]);
    assert!(
        report
            .summary()
            .contains(&format!("ORPHAN {}.toml: no PDF beside it", SAMPLES[0])),
        "{}",
        report.summary()
    );
    assert!(
        report.all_ok(),
        "a stale sidecar is a warning, not a failure"
    );
}

#[test]
fn a_renamed_file_keeps_its_id_and_is_not_read_again() {
    let lib = library();
    // Ids from the file names: no `id` in the sidecars.
    for stem in SAMPLES {
        let toml = lib.corpus.join(format!("{stem}.toml"));
        let text = std::fs::read_to_string(&toml).unwrap();
        let without_id: String = text
            .lines()
            .filter(|l| !l.starts_with("id ="))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&toml, without_id).unwrap();
    }
    lib.run();
    let old = format!("{}.pdf", SAMPLES[0]);
    let new = "Your Vote Counts FINAL v2.pdf";
    std::fs::rename(lib.corpus.join(&old), lib.corpus.join(new)).unwrap();
    std::fs::rename(
        lib.corpus.join(format!("{}.toml", SAMPLES[0])),
        lib.corpus.join("Your Vote Counts FINAL v2.toml"),
    )
    .unwrap();
    // The other one is moved without its sidecar: its metadata comes from the PDF again.
    let moved = format!("archive/{}-scan.pdf", SAMPLES[1]);
    std::fs::create_dir(lib.corpus.join("archive")).unwrap();
    std::fs::rename(
        lib.corpus.join(format!("{}.pdf", SAMPLES[1])),
        lib.corpus.join(&moved),
    )
    .unwrap();

    let dry = lib.dry_run();
    assert!(
        dry.plan.contains(&format!("rename {old} -> {new}")),
        "{:?}",
        dry.plan
    );
    let report = lib.run();
    assert!(
        report.removed.is_empty() && report.added.is_empty(),
        "{report:?}"
    );
    let mut renamed: Vec<(&str, &str, &str)> = report
        .renamed
        .iter()
        .map(|r| (r.from.as_str(), r.to.as_str(), r.id.as_str()))
        .collect();
    renamed.sort();
    let moved_from = format!("{}.pdf", SAMPLES[1]);
    assert_eq!(
        renamed,
        vec![
            (moved_from.as_str(), moved.as_str(), SAMPLES[1]),
            (old.as_str(), new, SAMPLES[0]),
        ]
    );
    let sorted = |r: &Report| {
        let mut v = r.renamed.clone();
        v.sort_by(|a, b| a.from.cmp(&b.from));
        v
    };
    assert_eq!(sorted(&dry), sorted(&report));
    assert!(
        report
            .summary()
            .contains(&format!("RENAMED {old} -> {new} (id {}", SAMPLES[0])),
        "{}",
        report.summary()
    );
    let pubs = lib.publications();
    assert_eq!(pubs.len(), 2);
    assert_eq!(pubs[new].publication.id, SAMPLES[0]);
    assert_eq!(pubs[&moved].publication.id, SAMPLES[1]);
    // The renamed file's text was reused; the one whose sidecar stayed behind was read again.
    assert!(report.pages_read > 0);
    assert_eq!(report.orphan_sidecars, vec![format!("{}.toml", SAMPLES[1])]);
    // Nothing changes on the next run.
    let again = lib.run();
    assert!(again.renamed.is_empty() && !again.committed, "{again:?}");
}

#[test]
fn a_full_dry_run_leaves_a_damaged_index_where_it_is() {
    let lib = library();
    lib.run();
    let meta = lib.index.join("meta.json");
    std::fs::write(&meta, b"{ not json").unwrap();
    let files_before = index_files(&lib.index);

    let cfg = IndexerConfig {
        dry_run: true,
        full: true,
        ..lib.config()
    };
    let report = reindex(&cfg, &NoProgress).unwrap();
    assert_eq!(
        report.plan.len(),
        2,
        "a full run would add both: {report:?}"
    );
    assert_eq!(index_files(&lib.index), files_before, "nothing was removed");
    assert_eq!(std::fs::read(&meta).unwrap(), b"{ not json");

    // Without --dry-run, --full rebuilds it.
    let report = reindex(
        &IndexerConfig {
            full: true,
            ..lib.config()
        },
        &NoProgress,
    )
    .unwrap();
    assert_eq!(report.added.len(), 2, "{report:?}");
    assert_eq!(lib.publications().len(), 2);
}

fn index_files(dir: &Path) -> Vec<(String, u64)> {
    let mut files: Vec<(String, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    files.sort();
    files
}
