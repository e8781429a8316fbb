//! Looking publications up by id, the library's years, and the index's statistics.

use pubsearch_core::doc::{self, StoredFailure, StoredPublication};
use pubsearch_core::facet::Dimension;
use pubsearch_core::schema::kind;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, ExistsQuery, Occur};
use tantivy::{Searcher, TantivyDocument, Term};

use super::filters::facet_counts;
use super::response::{FailedFile, PublicationDetail, Stats, UndatedPublication};
use super::{SearchError, SearchService, term_query};

/// Failure records listed in the statistics, at most.
const MAX_FAILED_LISTED: usize = 1000;
/// Undated publications listed in the statistics, at most.
const MAX_UNDATED_LISTED: usize = 1000;

impl SearchService {
    /// The stored publication document with this id.
    pub(super) fn publication_doc(
        &self,
        searcher: &Searcher,
        id: &str,
    ) -> Result<Option<TantivyDocument>, SearchError> {
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                term_query(Term::from_field_text(self.fields.id, id)),
            ),
            (
                Occur::Must,
                term_query(Term::from_field_text(self.fields.kind, kind::PUBLICATION)),
            ),
        ]);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            Some((_, addr)) => Ok(Some(searcher.doc(*addr)?)),
            None => Ok(None),
        }
    }

    /// A publication's metadata, or `None` if there is no such id.
    pub fn publication(&self, id: &str) -> Result<Option<PublicationDetail>, SearchError> {
        let searcher = self.reader.searcher();
        let Some(doc) = self.publication_doc(&searcher, id)? else {
            return Ok(None);
        };
        let stored = StoredPublication::from_doc(&doc, &self.fields)?;
        Ok(Some(PublicationDetail {
            pages: stored.pages().unwrap_or_default(),
            page_count: stored.page_count,
            publication: stored.publication,
        }))
    }

    /// The PDF's path relative to the corpus, or `None` if there is no such id.
    pub fn file_path(&self, id: &str) -> Result<Option<String>, SearchError> {
        let searcher = self.reader.searcher();
        match self.publication_doc(&searcher, id)? {
            Some(doc) => Ok(Some(StoredPublication::from_doc(&doc, &self.fields)?.path)),
            None => Ok(None),
        }
    }

    /// The first and last year of the library's dated publications (`None` when none is
    /// dated): the bounds of the year filter, whatever a search finds.
    pub fn year_range(&self) -> Result<Option<(u64, u64)>, SearchError> {
        let searcher = self.reader.searcher();
        let mut collector = FacetCollector::for_field("facets");
        collector.add_facet(Dimension::Year.root());
        let all = term_query(Term::from_field_text(self.fields.kind, kind::PUBLICATION));
        let counts = searcher.search(&all, &collector)?;
        let years: Vec<u64> = facet_counts(&counts, Dimension::Year.root())
            .iter()
            .filter_map(|c| c.value.parse().ok())
            .collect();
        Ok(years.iter().min().copied().zip(years.iter().max().copied()))
    }

    /// The publications without a date, by path.
    fn undated(&self, searcher: &Searcher) -> Result<Vec<UndatedPublication>, SearchError> {
        let f = &self.fields;
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                term_query(Term::from_field_text(f.kind, kind::PUBLICATION)),
            ),
            (
                Occur::MustNot,
                Box::new(ExistsQuery::new("date".into(), false)),
            ),
        ]);
        let mut out = Vec::new();
        for (_, addr) in searcher.search(
            &query,
            &TopDocs::with_limit(MAX_UNDATED_LISTED).order_by_score(),
        )? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let stored = StoredPublication::from_doc(&doc, f)?;
            out.push(UndatedPublication {
                id: stored.publication.id,
                path: stored.path,
                title: stored.publication.title,
            });
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// Counts, failures and undated publications.
    pub fn stats(&self) -> Result<Stats, SearchError> {
        let searcher = self.reader.searcher();
        let of_kind = |k: &str| term_query(Term::from_field_text(self.fields.kind, k));
        let publications = searcher.search(&of_kind(kind::PUBLICATION), &Count)? as u64;
        let pages = searcher.search(&of_kind(kind::PAGE), &Count)? as u64;
        let mut failed = Vec::new();
        for (_, addr) in searcher.search(
            &of_kind(kind::FAILURE),
            &TopDocs::with_limit(MAX_FAILED_LISTED).order_by_score(),
        )? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let stored = StoredFailure::from_doc(&doc, &self.fields)?;
            failed.push(FailedFile {
                path: stored.path,
                reason: stored.reason,
            });
        }
        failed.sort_by(|a, b| a.path.cmp(&b.path));
        let undated = self.undated(&searcher)?;
        let mut types_collector = FacetCollector::for_field("facets");
        types_collector.add_facet(Dimension::Type.root());
        let counts = searcher.search(&of_kind(kind::PUBLICATION), &types_collector)?;
        let commit_opstamp = self.index.load_metas().map(|m| m.opstamp).unwrap_or(0);
        Ok(Stats {
            publications,
            pages,
            types: facet_counts(&counts, Dimension::Type.root()),
            failed,
            scanned: doc::scanned_files(&searcher, &self.fields)?,
            undated,
            commit_opstamp,
            searcher_generation: searcher.generation().generation_id(),
            segments: searcher.segment_readers().len(),
        })
    }
}
