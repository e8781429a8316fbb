use super::*;
use crate::model::{Engine, FileStamp, PageStatus};
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{Index, Searcher};

fn publication() -> Publication {
    Publication {
        id: "2009-12-strangers".into(),
        title: "Strangers or Citizens".into(),
        date: Some(time::macros::date!(2009 - 12 - 07)),
        pub_type: PubType::BookChapter,
        topics: vec!["local democracy".into(), "london".into()],
        summary: "Six events.".into(),
        authors: vec!["Forum".into(), "A. N. Author".into()],
        languages: vec![crate::analysis::Lang::Es, crate::analysis::Lang::En],
        language_detected: true,
    }
}

fn pages() -> Vec<PageText> {
    vec![
        PageText {
            text: "First page text.".into(),
            report: PageReport {
                page: 1,
                engine: Engine::PdfExtract,
                status: PageStatus::Ok,
                chars: 16,
                note: None,
                repeated_lines: 0,
                confidence: None,
                low_confidence: false,
            },
        },
        PageText {
            text: String::new(),
            report: PageReport {
                page: 2,
                engine: Engine::Pdftotext,
                status: PageStatus::NoTextLayer,
                chars: 0,
                note: Some("too little text".into()),
                repeated_lines: 0,
                confidence: None,
                low_confidence: false,
            },
        },
    ]
}

fn state(hash: &str) -> FileState {
    FileState {
        pdf: FileStamp {
            size: 1234,
            mtime_ns: -5,
            hash: hash.into(),
        },
        sidecar: Some(FileStamp {
            size: 99,
            mtime_ns: 1_700_000_000_000_000_000,
            hash: "side".into(),
        }),
    }
}

fn index() -> (tempfile::TempDir, Index, Fields, IndexWriter) {
    let dir = tempfile::tempdir().unwrap();
    let index = crate::open::open_or_create(dir.path()).unwrap();
    let f = Fields::from_schema(&index.schema()).unwrap();
    let writer = index.writer(15_000_000).unwrap();
    (dir, index, f, writer)
}

fn commit(index: &Index, writer: &mut IndexWriter) -> Searcher {
    writer.commit().unwrap();
    index.reader().unwrap().searcher()
}

fn stored(searcher: &Searcher, f: &Fields) -> Vec<Stored> {
    let mut addrs: Vec<_> = searcher
        .search(&AllQuery, &DocSetCollector)
        .unwrap()
        .into_iter()
        .collect();
    addrs.sort();
    addrs
        .into_iter()
        .map(|a| Stored::from_doc(&searcher.doc(a).unwrap(), f).unwrap())
        .collect()
}

fn count(searcher: &Searcher, term: Term) -> usize {
    searcher
        .search(&TermQuery::new(term, IndexRecordOption::Basic), &Count)
        .unwrap()
}

#[test]
fn a_written_publication_reads_back_field_for_field() {
    let (_dir, index, f, mut writer) = index();
    let p = publication();
    put_publication(&writer, &f, "sub/a.pdf", &p, &pages(), &state("h1")).unwrap();
    let searcher = commit(&index, &mut writer);
    let docs = stored(&searcher, &f);
    assert_eq!(docs.len(), 3);
    let Stored::Publication(back) = &docs[0] else {
        panic!("{docs:?}")
    };
    assert_eq!(back.path, "sub/a.pdf");
    assert_eq!(back.publication, p);
    assert_eq!(back.page_count, 2);
    let reports: Vec<PageReport> = pages().into_iter().map(|p| p.report).collect();
    assert_eq!(back.pages().unwrap(), reports);
    assert_eq!(back.state().unwrap(), state("h1"));
    for (stored, written) in docs[1..].iter().zip(pages()) {
        let Stored::Page(page) = stored else {
            panic!("{stored:?}")
        };
        assert_eq!(page.path, "sub/a.pdf");
        assert_eq!(page.id, p.id);
        assert_eq!(page.page, written.report.page);
        assert_eq!(page.text, written.text);
    }
    // The facet paths and the year are searchable.
    for path in [
        facet::of_type(PubType::BookChapter),
        facet::of_topic("london"),
        facet::of_topic("local democracy"),
        facet::of_year(2009),
    ] {
        assert_eq!(
            count(&searcher, Term::from_facet(f.facets, &path)),
            1,
            "{path}"
        );
    }
    assert_eq!(count(&searcher, Term::from_field_u64(f.year, 2009)), 1);
    assert_eq!(
        count(&searcher, Term::from_facet(f.facets, &facet::of_year(2010))),
        0
    );
}

#[test]
fn scanned_files_lists_only_publications_with_scanned_pages() {
    let (_dir, index, f, mut writer) = index();
    let mut p = publication();
    put_publication(&writer, &f, "b/scan.pdf", &p, &pages(), &state("h1")).unwrap();
    p.id = "born-digital".into();
    put_publication(&writer, &f, "a/text.pdf", &p, &pages()[..1], &state("h2")).unwrap();
    put_failure(&writer, &f, "c/bad.pdf", &state("h3"), "broken").unwrap();
    let searcher = commit(&index, &mut writer);
    let scanned = scanned_files(&searcher, &f).unwrap();
    assert_eq!(scanned.len(), 1, "{scanned:?}");
    assert_eq!(
        (scanned[0].path.as_str(), scanned[0].id.as_str()),
        ("b/scan.pdf", "2009-12-strangers")
    );
    assert_eq!(scanned[0].pages.without_text, [2]);
    let json = serde_json::to_value(&scanned[0]).unwrap();
    assert_eq!(json["without_text"], serde_json::json!([2]));
    assert_eq!(all_of_kind(&searcher, &f, kind::FAILURE).unwrap().len(), 1);
}

#[test]
fn an_undated_publication_has_no_date_and_no_year() {
    let (_dir, index, f, mut writer) = index();
    let mut p = publication();
    p.date = None;
    p.topics.clear();
    p.authors.clear();
    put_publication(&writer, &f, "a.pdf", &p, &[], &state("h")).unwrap();
    let searcher = commit(&index, &mut writer);
    let Stored::Publication(back) = &stored(&searcher, &f)[0] else {
        panic!()
    };
    assert_eq!(back.publication, p);
    assert_eq!(back.page_count, 0);
    assert_eq!(back.pages().unwrap(), vec![]);
    let year_root = Facet::from(facet::Dimension::Year.root());
    let mut years = tantivy::collector::FacetCollector::for_field("facets");
    years.add_facet(year_root.clone());
    let counts = searcher.search(&AllQuery, &years).unwrap();
    assert_eq!(counts.get(year_root).count(), 0);
}

#[test]
fn putting_again_replaces_and_failures_keep_the_indexed_version() {
    let (_dir, index, f, mut writer) = index();
    let mut p = publication();
    put_publication(&writer, &f, "a.pdf", &p, &pages(), &state("h1")).unwrap();
    writer.commit().unwrap();
    p.title = "Retitled".into();
    put_publication(&writer, &f, "a.pdf", &p, &pages()[..1], &state("h2")).unwrap();
    put_failure(&writer, &f, "a.pdf", &state("h3"), "first").unwrap();
    put_failure(&writer, &f, "a.pdf", &state("h4"), "second").unwrap();
    let searcher = commit(&index, &mut writer);
    let docs = stored(&searcher, &f);
    let pubs: Vec<_> = docs
        .iter()
        .filter_map(|d| match d {
            Stored::Publication(p) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(pubs.len(), 1);
    assert_eq!(pubs[0].publication.title, "Retitled");
    assert_eq!(pubs[0].state().unwrap(), state("h2"));
    let failures: Vec<_> = docs
        .iter()
        .filter_map(|d| match d {
            Stored::Failure(x) => Some(x),
            _ => None,
        })
        .collect();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].path, "a.pdf");
    assert_eq!(failures[0].reason, "second");
    assert_eq!(failures[0].state().unwrap(), state("h4"));
    assert_eq!(
        docs.iter().filter(|d| matches!(d, Stored::Page(_))).count(),
        1
    );

    remove(&writer, &f, "a.pdf");
    let searcher = commit(&index, &mut writer);
    assert_eq!(searcher.num_docs(), 0);
}

#[test]
fn documents_that_do_not_read_back_are_errors() {
    let (_, f) = crate::schema::build();
    let docs = publication_docs(&f, "a.pdf", &publication(), &pages(), &state("h"));
    let page = &docs[1];
    let err = StoredPublication::from_doc(page, &f).unwrap_err();
    assert!(
        matches!(err, CoreError::BadField { field: "kind", .. }),
        "{err}"
    );
    assert!(StoredPage::from_doc(&docs[0], &f).is_err());

    let mut no_id = TantivyDocument::default();
    no_id.add_text(f.kind, kind::PUBLICATION);
    no_id.add_text(f.path, "a.pdf");
    no_id.add_text(f.pub_type, "report");
    let err = StoredPublication::from_doc(&no_id, &f).unwrap_err();
    assert!(matches!(err, CoreError::MissingField("id")), "{err}");
    // Without its JSON fields it still reads; asking for them is the error.
    no_id.add_text(f.id, "a");
    let back = StoredPublication::from_doc(&no_id, &f).unwrap();
    assert!(matches!(
        back.state(),
        Err(CoreError::MissingField("state_json"))
    ));

    let mut bad_type = TantivyDocument::default();
    bad_type.add_text(f.kind, kind::PUBLICATION);
    bad_type.add_text(f.path, "a.pdf");
    bad_type.add_text(f.id, "a");
    bad_type.add_text(f.pub_type, "pamphlet");
    bad_type.add_text(f.pages_json, "{not json");
    let err = StoredPublication::from_doc(&bad_type, &f).unwrap_err();
    assert!(err.to_string().contains("pamphlet"), "{err}");

    let failure = failure_doc(&f, "b.pdf", &state("h"), "why");
    assert!(matches!(
        Stored::from_doc(&failure, &f).unwrap(),
        Stored::Failure(StoredFailure { ref reason, .. }) if reason == "why"
    ));
    assert!(Stored::from_doc(&TantivyDocument::default(), &f).is_err());
}
