//! The HTML pages' parameters, read leniently: a number, sort or year that makes no sense is
//! dropped and named in a notice, so the page still renders. A type that names no type is the
//! exception, answered with a 400 page that names it: no link on the page makes one. The search
//! page's whole state is in its URL, and [`PageQuery::href`] writes it back.

use super::api::{MAX_TOPICS, MAX_TYPES};
use super::{Key, known};
use pubsearch_core::analysis::Lang;

use crate::parse::Mode;
use crate::search::{
    DateEnd, MAX_OFFSET, MAX_PER_PAGE, SearchError, SearchRequest, Sort, date_bound,
};

/// Results per page unless `per_page` says otherwise.
pub const DEFAULT_PER_PAGE: usize = 10;

/// The search page's state, read from the query string.
#[derive(Clone, Debug, PartialEq)]
pub struct PageQuery {
    /// The query text.
    pub q: String,
    /// Types kept.
    pub types: Vec<String>,
    /// Topics kept.
    pub topics: Vec<String>,
    /// Languages kept.
    pub languages: Vec<Lang>,
    /// First year kept.
    pub year_from: Option<u64>,
    /// Last year kept.
    pub year_to: Option<u64>,
    /// `date_from` as written (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), when it is a date.
    pub date_from: Option<String>,
    /// `date_to` as written, when it is a date.
    pub date_to: Option<String>,
    /// The order asked for, if any (otherwise relevance, or newest first with no query).
    pub sort: Option<Sort>,
    /// 1-based page.
    pub page: usize,
    /// Results per page.
    pub per_page: usize,
    /// Strict syntax instead of the website default.
    pub strict: bool,
}

impl Default for PageQuery {
    fn default() -> Self {
        PageQuery {
            q: String::new(),
            types: Vec::new(),
            topics: Vec::new(),
            languages: Vec::new(),
            year_from: None,
            year_to: None,
            date_from: None,
            date_to: None,
            sort: None,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            strict: false,
        }
    }
}

/// The first 40 characters of a value, to quote it in a notice.
fn shown(v: &str) -> String {
    v.chars().take(40).collect()
}

/// Whether a filter value joins `kept`: not empty, not there yet, and room for it (values
/// past the bound are dropped).
fn keep(kept: &[String], value: &str, max: usize) -> bool {
    !value.is_empty() && kept.len() < max && !kept.iter().any(|k| k == value)
}

impl PageQuery {
    /// Reads the query string leniently: a value that makes no sense is dropped and named in
    /// the returned notices, so the page still renders.
    pub fn parse(raw: Option<&str>) -> (PageQuery, Vec<String>) {
        let mut p = PageQuery::default();
        let mut notices = Vec::new();
        for (key, value) in known(raw) {
            let value = value.trim().to_string();
            match key {
                Key::Q => p.q = value,
                // Bounded before the duplicate check, so a URL of thousands of values costs
                // no more than one of a few.
                Key::Type if keep(&p.types, &value, MAX_TYPES) => p.types.push(value),
                Key::Topic => {
                    // As the index stores topics, so `Health` ticks the `health` box.
                    let value = pubsearch_core::facet::topic_value(&value);
                    if keep(&p.topics, &value, MAX_TOPICS) {
                        p.topics.push(value)
                    }
                }
                Key::Language if !value.is_empty() => match Lang::from_code(&value) {
                    Some(lang) => {
                        if !p.languages.contains(&lang) {
                            p.languages.push(lang)
                        }
                    }
                    None => notices.push(format!(
                        "“{}” is not one of the library's languages, so it was ignored.",
                        shown(&value)
                    )),
                },
                Key::YearFrom | Key::YearTo if !value.is_empty() => match value.parse::<u64>() {
                    Ok(y) if (1..=9999).contains(&y) => {
                        if key == Key::YearFrom {
                            p.year_from = Some(y)
                        } else {
                            p.year_to = Some(y)
                        }
                    }
                    _ => notices.push(format!(
                        "“{}” is not a year, so it was ignored.",
                        shown(&value)
                    )),
                },
                Key::DateFrom | Key::DateTo if !value.is_empty() => {
                    let end = if key == Key::DateFrom {
                        DateEnd::From
                    } else {
                        DateEnd::To
                    };
                    match date_bound(&value, end) {
                        Ok(_) if end == DateEnd::From => p.date_from = Some(value),
                        Ok(_) => p.date_to = Some(value),
                        Err(_) => notices.push(format!(
                            "“{}” is not a date (write 2006, 2006-01 or 2006-01-31), so it was ignored.",
                            shown(&value)
                        )),
                    }
                }
                Key::Sort if !value.is_empty() => match value.parse::<Sort>() {
                    Ok(s) => p.sort = Some(s),
                    Err(_) => notices.push(format!(
                        "“{}” is not a way to sort, so results are in the usual order.",
                        shown(&value)
                    )),
                },
                Key::Page if !value.is_empty() => match value.parse::<usize>() {
                    Ok(n) if n >= 1 => p.page = n,
                    _ => notices.push(format!(
                        "“{}” is not a page number, so the first page is shown.",
                        shown(&value)
                    )),
                },
                Key::PerPage if !value.is_empty() => match value.parse::<usize>() {
                    Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => p.per_page = n,
                    _ => notices.push(format!(
                        "Between 1 and {MAX_PER_PAGE} results can be shown per page."
                    )),
                },
                Key::Mode => p.strict = value == "strict",
                _ => {}
            }
        }
        if let (Some(a), Some(b)) = (p.year_from, p.year_to)
            && a > b
        {
            notices.push(format!("The years were swapped: {b} to {a}."));
            p.year_from = Some(b);
            p.year_to = Some(a);
        }
        if let (Some(a), Some(b)) = (p.day(DateEnd::From), p.day(DateEnd::To))
            && a > b
        {
            notices.push(format!(
                "The dates were swapped: {} to {}.",
                p.date_to.as_deref().unwrap_or(""),
                p.date_from.as_deref().unwrap_or("")
            ));
            std::mem::swap(&mut p.date_from, &mut p.date_to);
        }
        let deepest = MAX_OFFSET / p.per_page + 1;
        if p.page > deepest {
            notices.push(format!(
                "Only the first {MAX_OFFSET} results can be paged through; narrow the search."
            ));
            p.page = deepest;
        }
        (p, notices)
    }

    /// Brings the year filters within the library's years, `first..=last`: a year before the
    /// first is read as the first, one after the last as the last (the page's year inputs
    /// take these bounds, so what they show is always a value they accept). One notice per
    /// year moved.
    pub fn clamp_years(&mut self, first: u64, last: u64) -> Vec<String> {
        let mut notices = Vec::new();
        for year in [&mut self.year_from, &mut self.year_to]
            .into_iter()
            .flatten()
        {
            let within = (*year).clamp(first, last);
            if within != *year {
                notices.push(format!(
                    "The library's publications are from {first} to {last}, so the year \
                     {year} was read as {within}."
                ));
                *year = within;
            }
        }
        notices
    }

    /// The day a date bound stands for (a year or month written is read for its `end`).
    fn day(&self, end: DateEnd) -> Option<time::Date> {
        let written = match end {
            DateEnd::From => self.date_from.as_deref()?,
            DateEnd::To => self.date_to.as_deref()?,
        };
        date_bound(written, end).ok()
    }

    /// The order used.
    pub fn effective_sort(&self) -> Sort {
        self.sort.unwrap_or(if self.q.trim().is_empty() {
            Sort::DateDesc
        } else {
            Sort::Relevance
        })
    }

    /// The syntax used.
    pub fn mode(&self) -> Mode {
        if self.strict {
            Mode::Strict
        } else {
            Mode::Website
        }
    }

    /// The search to run; a type that names no type is an invalid parameter (the page answers
    /// 400 naming it: a filter link cannot make one, so the URL itself is wrong).
    pub fn to_request(&self) -> Result<SearchRequest, SearchError> {
        let mut r = SearchRequest::new(self.q.clone());
        r.types = self
            .types
            .iter()
            .map(|t| t.parse())
            .collect::<Result<_, _>>()?;
        r.topics = self.topics.clone();
        r.languages = self.languages.clone();
        r.year_from = self.year_from;
        r.year_to = self.year_to;
        r.date_from = self.day(DateEnd::From);
        r.date_to = self.day(DateEnd::To);
        r.sort = self.effective_sort();
        r.page = self.page;
        r.per_page = self.per_page;
        r.mode = self.mode();
        Ok(r)
    }

    /// Whether a type, topic, language or year filter is in force.
    pub fn has_filters(&self) -> bool {
        !self.types.is_empty()
            || !self.topics.is_empty()
            || !self.languages.is_empty()
            || self.year_from.is_some()
            || self.year_to.is_some()
            || self.date_from.is_some()
            || self.date_to.is_some()
    }

    /// This state as URL parameters, in a fixed order; defaults are left out.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut put = |key: Key, value: String| out.push((key.name(), value));
        if !self.q.is_empty() {
            put(Key::Q, self.q.clone());
        }
        if self.strict {
            put(Key::Mode, "strict".into());
        }
        for t in &self.types {
            put(Key::Type, t.clone());
        }
        for t in &self.topics {
            put(Key::Topic, t.clone());
        }
        for l in &self.languages {
            put(Key::Language, l.as_str().into());
        }
        if let Some(y) = self.year_from {
            put(Key::YearFrom, y.to_string());
        }
        if let Some(y) = self.year_to {
            put(Key::YearTo, y.to_string());
        }
        if let Some(d) = &self.date_from {
            put(Key::DateFrom, d.clone());
        }
        if let Some(d) = &self.date_to {
            put(Key::DateTo, d.clone());
        }
        if let Some(sort) = self.sort {
            put(Key::Sort, sort.name().into());
        }
        if self.per_page != DEFAULT_PER_PAGE {
            put(Key::PerPage, self.per_page.to_string());
        }
        if self.page > 1 {
            put(Key::Page, self.page.to_string());
        }
        out
    }

    /// [`PageQuery::pairs`] as a query string, without the `?`; empty for the default state.
    pub fn query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (key, value) in self.pairs() {
            s.append_pair(key, &value);
        }
        s.finish()
    }

    /// The URL of this state: `/` plus the query string.
    pub fn href(&self) -> String {
        let qs = self.query_string();
        if qs.is_empty() {
            "/".into()
        } else {
            format!("/?{qs}")
        }
    }

    /// The URL of this state changed by `change`, from its first page.
    pub fn with(&self, change: impl FnOnce(&mut PageQuery)) -> String {
        let mut next = self.clone();
        next.page = 1;
        change(&mut next);
        next.href()
    }
}

/// `GET /publications/{id}`: the search the reader came from (its query and mode also search
/// the publication's pages; the rest is kept for the way back), and whether the pages come in
/// page order (`order=page`) rather than best first.
pub fn publication_page(raw: Option<&str>) -> (PageQuery, bool) {
    let (search, _) = PageQuery::parse(raw);
    let in_page_order = known(raw)
        .filter(|(key, _)| *key == Key::Order)
        .last()
        .is_some_and(|(_, value)| value == "page");
    (search, in_page_order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_query_round_trips_through_its_url() {
        let raw = "q=clean+water&type=report&type=guide&topic=health&language=es&language=pt-BR&year_from=2005&year_to=2010&sort=date_asc&page=3&per_page=5&mode=strict";
        let (p, notices) = PageQuery::parse(Some(raw));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(p.types, vec!["report", "guide"]);
        assert_eq!(p.languages, vec![Lang::Es, Lang::Pt]);
        assert_eq!(
            (p.year_from, p.year_to, p.page, p.per_page),
            (Some(2005), Some(2010), 3, 5)
        );
        assert!(p.strict);
        let again = PageQuery::parse(p.href().strip_prefix("/?")).0;
        assert_eq!(again, p);
        assert_eq!(PageQuery::default().href(), "/");
    }

    #[test]
    fn bad_values_become_notices_not_errors() {
        let (p, notices) =
            PageQuery::parse(Some("q=x&year_from=abc&sort=best&page=-2&per_page=1000"));
        assert_eq!(notices.len(), 4, "{notices:?}");
        assert_eq!(
            (p.year_from, p.sort, p.page, p.per_page),
            (None, None, 1, 10)
        );
        let (p, notices) = PageQuery::parse(Some("year_from=2010&year_to=2005"));
        assert_eq!((p.year_from, p.year_to), (Some(2005), Some(2010)));
        assert_eq!(notices.len(), 1);
        // Website is the default mode, and no query means newest first.
        let (p, _) = PageQuery::parse(None);
        assert_eq!(p.to_request().unwrap().mode, Mode::Website);
        assert_eq!(p.effective_sort(), Sort::DateDesc);
    }

    #[test]
    fn years_outside_the_library_are_clamped_with_a_notice() {
        let (mut p, _) = PageQuery::parse(Some("year_from=1800&year_to=2090"));
        let notices = p.clamp_years(2004, 2026);
        assert_eq!((p.year_from, p.year_to), (Some(2004), Some(2026)));
        assert_eq!(notices.len(), 2, "{notices:?}");
        assert!(
            notices[0].contains("from 2004 to 2026")
                && notices[0].contains("1800 was read as 2004"),
            "{notices:?}"
        );
        let (mut p, _) = PageQuery::parse(Some("year_from=2030"));
        p.clamp_years(2004, 2026);
        assert_eq!((p.year_from, p.year_to), (Some(2026), None));
        let (mut p, _) = PageQuery::parse(Some("year_from=2010&year_to=2012"));
        assert!(p.clamp_years(2004, 2026).is_empty());
        assert_eq!((p.year_from, p.year_to), (Some(2010), Some(2012)));
    }

    #[test]
    fn filter_values_are_kept_once_and_bounded() {
        let (p, _) = PageQuery::parse(Some(
            "type=report&type=&type=report&type=guide&topic=a&topic=Health&topic=health",
        ));
        assert_eq!(p.types, ["report", "guide"]);
        assert_eq!(p.topics, ["a", "health"]);
        let many: Vec<String> = (0..5_000)
            .map(|i| format!("topic=t{i}&type=x{i}"))
            .collect();
        let (p, _) = PageQuery::parse(Some(&many.join("&")));
        assert_eq!(p.topics.len(), MAX_TOPICS);
        assert_eq!(p.types.len(), MAX_TYPES);
        assert_eq!((p.topics[0].as_str(), p.types[0].as_str()), ("t0", "x0"));
    }

    #[test]
    fn publication_page_reads_q_and_mode() {
        let (search, in_page_order) = publication_page(Some("q=+shelter+&mode=strict&page=2"));
        assert_eq!(
            (search.q.as_str(), search.strict, search.page, in_page_order),
            ("shelter", true, 2, false)
        );
        let (search, in_page_order) = publication_page(None);
        assert_eq!(
            (search.q.as_str(), search.strict, in_page_order),
            ("", false, false)
        );
        assert!(publication_page(Some("q=a&order=page")).1);
        assert!(!publication_page(Some("order=page&order=relevance")).1);
    }
}
