//! The publication query with its type, topic, year and language filters, and the facet
//! counts, each
//! of which follows every active filter except its own.

use std::ops::Bound;

use pubsearch_core::facet::{self, Dimension};
use pubsearch_core::schema::{Fields, kind};
use tantivy::collector::FacetCollector;
use tantivy::query::{BooleanQuery, Occur, RangeQuery};
use tantivy::schema::Facet;
use tantivy::{Searcher, Term};

use super::request::SearchRequest;
use super::response::{FacetCount, Facets};
use super::{Boxed, SearchError, term_query};

/// A facet dimension, which is also a filter.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Dim {
    Type,
    Topic,
    Year,
    Language,
}

/// Publications with any of `facets`, or `None` when there are none.
fn facet_filter(f: &Fields, facets: impl IntoIterator<Item = Facet>) -> Option<Boxed> {
    let clauses: Vec<(Occur, Boxed)> = facets
        .into_iter()
        .map(|facet| {
            (
                Occur::Should,
                term_query(Term::from_facet(f.facets, &facet)),
            )
        })
        .collect();
    if clauses.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// Publications dated from `from` to `to`, both days included; undated ones are left out.
fn date_filter(f: &Fields, from: Option<time::Date>, to: Option<time::Date>) -> Option<Boxed> {
    if from.is_none() && to.is_none() {
        return None;
    }
    // Dates are indexed at midnight UTC, as the indexer stores them.
    let bound = |d: Option<time::Date>| match d {
        Some(d) => Bound::Included(Term::from_field_date(
            f.date,
            tantivy::DateTime::from_utc(d.midnight().assume_utc()),
        )),
        None => Bound::Unbounded,
    };
    Some(Box::new(RangeQuery::new(bound(from), bound(to))))
}

fn year_filter(f: &Fields, from: Option<u64>, to: Option<u64>) -> Option<Boxed> {
    if from.is_none() && to.is_none() {
        return None;
    }
    let bound = |y: Option<u64>| match y {
        Some(y) => Bound::Included(Term::from_field_u64(f.year, y)),
        None => Bound::Unbounded,
    };
    Some(Box::new(RangeQuery::new(bound(from), bound(to))))
}

/// Publications matching `text` (all of them when `None`) and every filter of `req` but
/// `except`'s.
pub(super) fn publication_query(
    f: &Fields,
    text: &Option<Boxed>,
    req: &SearchRequest,
    except: Option<Dim>,
) -> BooleanQuery {
    let mut clauses: Vec<(Occur, Boxed)> = vec![(
        Occur::Must,
        term_query(Term::from_field_text(f.kind, kind::PUBLICATION)),
    )];
    if let Some(t) = text {
        clauses.push((Occur::Must, t.box_clone()));
    }
    let filters = [
        (
            Dim::Type,
            facet_filter(f, req.types.iter().map(|&t| facet::of_type(t))),
        ),
        (
            Dim::Topic,
            facet_filter(f, req.topics.iter().map(|t| facet::of_topic(t))),
        ),
        (Dim::Year, year_filter(f, req.year_from, req.year_to)),
        // Exact dates are the year dimension too: the year facet counts without either.
        (Dim::Year, date_filter(f, req.date_from, req.date_to)),
        (
            Dim::Language,
            facet_filter(f, req.languages.iter().map(|&l| facet::of_language(l))),
        ),
    ];
    for (dim, filter) in filters {
        if Some(dim) != except
            && let Some(filter) = filter
        {
            clauses.push((Occur::Must, filter));
        }
    }
    BooleanQuery::new(clauses)
}

/// The counts of `root` (`/type`, ...) in `counts`, by their last path segment.
pub(super) fn facet_counts(
    counts: &tantivy::collector::FacetCounts,
    root: &str,
) -> Vec<FacetCount> {
    counts
        .get(root)
        .map(|(f, count)| FacetCount {
            value: facet::value(f),
            count,
        })
        .collect()
}

/// Facet counts for `text_query` under `req`'s filters.
pub(super) fn facets(
    searcher: &Searcher,
    f: &Fields,
    text_query: &Option<Boxed>,
    req: &SearchRequest,
) -> Result<Facets, SearchError> {
    let active = |dim: Dim| match dim {
        Dim::Type => !req.types.is_empty(),
        Dim::Topic => !req.topics.is_empty(),
        Dim::Year => {
            req.year_from.is_some()
                || req.year_to.is_some()
                || req.date_from.is_some()
                || req.date_to.is_some()
        }
        Dim::Language => !req.languages.is_empty(),
    };
    let roots = [
        (Dim::Type, Dimension::Type.root()),
        (Dim::Topic, Dimension::Topic.root()),
        (Dim::Year, Dimension::Year.root()),
        (Dim::Language, Dimension::Language.root()),
    ];
    let mut out = Facets::default();
    // Dimensions without a filter of their own share one pass over the main query.
    let shared: Vec<&(Dim, &str)> = roots.iter().filter(|(d, _)| !active(*d)).collect();
    // Each pass: the filter it leaves out, and the facet roots it counts.
    type Pass<'r> = (Option<Dim>, Vec<&'r (Dim, &'r str)>);
    let mut passes: Vec<Pass> = Vec::new();
    if !shared.is_empty() {
        passes.push((None, shared));
    }
    for r in roots.iter().filter(|(d, _)| active(*d)) {
        passes.push((Some(r.0), vec![r]));
    }
    for (except, dims) in passes {
        let query = publication_query(f, text_query, req, except);
        let mut collector = FacetCollector::for_field("facets");
        for (_, root) in &dims {
            collector.add_facet(*root);
        }
        let counts = searcher.search(&query, &collector)?;
        for (dim, root) in dims {
            let mut values = facet_counts(&counts, root);
            match dim {
                Dim::Year => values.sort_by(|a, b| b.value.cmp(&a.value)),
                _ => {
                    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)))
                }
            }
            match dim {
                Dim::Type => out.pub_type = values,
                Dim::Topic => out.topic = values,
                Dim::Year => out.year = values,
                Dim::Language => out.language = values,
            }
        }
    }
    Ok(out)
}
