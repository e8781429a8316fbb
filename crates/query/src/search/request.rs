//! What a search asks for: the query, filters, order and paging, and their bounds.

use pubsearch_core::model::PubType;
use serde::Serialize;

use super::SearchError;
use crate::parse::Mode;

/// Largest `per_page`.
pub const MAX_PER_PAGE: usize = 100;
/// Deepest result reachable by paging.
pub const MAX_OFFSET: usize = 10_000;

/// Result ordering.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first.
    DateDesc,
    /// Oldest first.
    DateAsc,
}

impl Sort {
    /// The name used in query strings: `relevance`, `date_desc`, `date_asc`.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::DateDesc => "date_desc",
            Sort::DateAsc => "date_asc",
        }
    }
}

impl std::str::FromStr for Sort {
    type Err = SearchError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "relevance" | "" => Ok(Sort::Relevance),
            "date_desc" => Ok(Sort::DateDesc),
            "date_asc" => Ok(Sort::DateAsc),
            other => Err(SearchError::InvalidParameter(format!(
                "sort must be relevance, date_desc or date_asc, not `{other}`"
            ))),
        }
    }
}

/// A search.
#[derive(Clone, Debug)]
pub struct SearchRequest {
    /// The query text.
    pub q: String,
    /// Types to keep (any of them).
    pub types: Vec<PubType>,
    /// Topics to keep (any of them).
    pub topics: Vec<String>,
    /// Languages to keep (any of them); the query's words are read in these languages only.
    pub languages: Vec<pubsearch_core::analysis::Lang>,
    /// First year kept.
    pub year_from: Option<u64>,
    /// Last year kept.
    pub year_to: Option<u64>,
    /// Ordering.
    pub sort: Sort,
    /// 1-based page of results.
    pub page: usize,
    /// Results per page.
    pub per_page: usize,
    /// Strict or website.
    pub mode: Mode,
}

impl SearchRequest {
    /// A relevance-ordered first page of 10 for `q`, strict mode.
    pub fn new(q: impl Into<String>) -> Self {
        SearchRequest {
            q: q.into(),
            types: Vec::new(),
            topics: Vec::new(),
            languages: Vec::new(),
            year_from: None,
            year_to: None,
            sort: Sort::Relevance,
            page: 1,
            per_page: 10,
            mode: Mode::Strict,
        }
    }

    /// Checks the bounds; returns the offset of the first hit.
    pub fn validate(&self) -> Result<usize, SearchError> {
        if self.per_page == 0 || self.per_page > MAX_PER_PAGE {
            return Err(SearchError::InvalidParameter(format!(
                "per_page must be between 1 and {MAX_PER_PAGE}"
            )));
        }
        if self.page == 0 {
            return Err(SearchError::InvalidParameter("page starts at 1".into()));
        }
        let offset = (self.page - 1).saturating_mul(self.per_page);
        if offset > MAX_OFFSET {
            return Err(SearchError::InvalidParameter(format!(
                "page is too deep: only the first {MAX_OFFSET} results can be paged through; narrow the search"
            )));
        }
        if let (Some(a), Some(b)) = (self.year_from, self.year_to)
            && a > b
        {
            return Err(SearchError::InvalidParameter(format!(
                "year_from ({a}) is after year_to ({b})"
            )));
        }
        Ok(offset)
    }
}

/// A type filter that names no type is a bad parameter.
impl From<pubsearch_core::UnknownName> for SearchError {
    fn from(e: pubsearch_core::UnknownName) -> Self {
        SearchError::InvalidParameter(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_checked() {
        let mut r = SearchRequest::new("x");
        assert_eq!(r.validate().unwrap(), 0);
        r.per_page = 101;
        assert!(r.validate().is_err());
        r.per_page = 10;
        r.page = 0;
        assert!(r.validate().is_err());
        r.page = usize::MAX;
        assert!(r.validate().unwrap_err().to_string().contains("too deep"));
        r.page = 2;
        r.year_from = Some(2010);
        r.year_to = Some(2005);
        assert!(r.validate().is_err());
        r.year_to = None;
        let e = SearchError::from("pamphlet".parse::<PubType>().unwrap_err());
        assert!(matches!(&e, SearchError::InvalidParameter(m) if m.contains("pamphlet")));
    }

    #[test]
    fn sort_names_parse_back() {
        for s in [Sort::Relevance, Sort::DateDesc, Sort::DateAsc] {
            assert_eq!(s.name().parse::<Sort>().unwrap(), s);
        }
        assert!("best".parse::<Sort>().is_err());
    }
}
