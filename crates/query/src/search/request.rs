//! What a search asks for: the query, filters, order and paging, and their bounds.

use pubsearch_core::model::PubType;
use serde::Serialize;
use time::{Date, Month};

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
    /// First day kept (`date_from`, see [`date_bound`]).
    pub date_from: Option<Date>,
    /// Last day kept (`date_to`).
    pub date_to: Option<Date>,
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
            date_from: None,
            date_to: None,
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
        if let (Some(a), Some(b)) = (self.date_from, self.date_to)
            && a > b
        {
            return Err(SearchError::InvalidParameter(format!(
                "date_from ({a}) is after date_to ({b})"
            )));
        }
        Ok(offset)
    }
}

/// Which end of a date range a bound is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateEnd {
    /// `date_from`: a year or month stands for its first day.
    From,
    /// `date_to`: a year or month stands for its last day.
    To,
}

impl DateEnd {
    /// The parameter's name.
    pub fn name(self) -> &'static str {
        match self {
            DateEnd::From => "date_from",
            DateEnd::To => "date_to",
        }
    }
}

/// The day a date bound stands for: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, inclusive, so
/// `date_to=2006-02` keeps the whole of February. The one reader of these bounds, for the
/// API, the page and the command line. The error names the parameter and the forms accepted.
pub fn date_bound(text: &str, end: DateEnd) -> Result<Date, String> {
    let bad = || {
        format!(
            "{} must be a date written YYYY, YYYY-MM or YYYY-MM-DD (for example 2006 or \
             2006-01-31), not `{}`",
            end.name(),
            text.chars().take(40).collect::<String>()
        )
    };
    let parts: Vec<&str> = text.trim().split('-').collect();
    let num = |s: &str, len: usize| -> Result<u32, String> {
        if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let year = num(parts[0], 4)? as i32;
    let month = match parts.get(1) {
        Some(m) => Some(Month::try_from(num(m, 2)? as u8).map_err(|_| bad())?),
        None => None,
    };
    let day = match parts.get(2) {
        Some(d) => Some(num(d, 2)? as u8),
        None => None,
    };
    if parts.len() > 3 {
        return Err(bad());
    }
    let (month, day) = match (end, month, day) {
        (_, Some(m), Some(d)) => (m, d),
        (DateEnd::From, Some(m), None) => (m, 1),
        (DateEnd::To, Some(m), None) => (m, time::util::days_in_month(m, year)),
        (DateEnd::From, None, _) => (Month::January, 1),
        (DateEnd::To, None, _) => (Month::December, 31),
    };
    Date::from_calendar_date(year, month, day).map_err(|_| bad())
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
    fn date_bounds_are_inclusive_days() {
        use time::macros::date;
        let from = |s| date_bound(s, DateEnd::From);
        let to = |s| date_bound(s, DateEnd::To);
        assert_eq!(from("2006"), Ok(date!(2006 - 01 - 01)));
        assert_eq!(to("2006"), Ok(date!(2006 - 12 - 31)));
        assert_eq!(from("2008-02"), Ok(date!(2008 - 02 - 01)));
        assert_eq!(to("2008-02"), Ok(date!(2008 - 02 - 29)));
        assert_eq!(to("2009-02"), Ok(date!(2009 - 02 - 28)));
        assert_eq!(from(" 2006-01-07 "), Ok(date!(2006 - 01 - 07)));
        assert_eq!(to("2006-01-07"), Ok(date!(2006 - 01 - 07)));
        for bad in [
            "",
            "06",
            "2006-1",
            "2006-13",
            "2006-02-30",
            "2006/01",
            "2006-01-07-1",
            "x",
        ] {
            let e = to(bad).unwrap_err();
            assert!(
                e.starts_with("date_to must be a date written YYYY"),
                "{bad}: {e}"
            );
        }
        let mut r = SearchRequest::new("x");
        r.date_from = from("2007").ok();
        r.date_to = to("2006").ok();
        assert!(r.validate().unwrap_err().to_string().contains("date_from"));
    }

    #[test]
    fn sort_names_parse_back() {
        for s in [Sort::Relevance, Sort::DateDesc, Sort::DateAsc] {
            assert_eq!(s.name().parse::<Sort>().unwrap(), s);
        }
        assert!("best".parse::<Sort>().is_err());
    }
}
