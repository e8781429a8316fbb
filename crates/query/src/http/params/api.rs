//! The JSON API's parameters, read strictly: a value that makes no sense is a 400
//! `invalid_parameter` naming it. A repeated single-valued parameter keeps its last value.

use pubsearch_core::analysis::Lang;

use super::{Key, known};
use crate::http::error::ApiError;
use crate::parse::Mode;
use crate::search::{DateEnd, SearchError, SearchRequest, date_bound};
use crate::suggest::{DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_CHARS};

/// At most this many `type` filters.
pub const MAX_TYPES: usize = 20;
/// At most this many `topic` filters.
pub const MAX_TOPICS: usize = 50;

fn number<T: std::str::FromStr>(key: Key, value: &str) -> Result<T, ApiError> {
    value.trim().parse().map_err(|_| {
        ApiError::InvalidParameter(format!(
            "{} must be a whole number, not `{}`",
            key.name(),
            truncate(value)
        ))
    })
}

fn truncate(s: &str) -> String {
    let cut: String = s.chars().take(40).collect();
    if cut.len() < s.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// Parses the mode parameter.
pub fn mode(value: &str) -> Result<Mode, ApiError> {
    match value {
        "strict" | "" => Ok(Mode::Strict),
        "website" => Ok(Mode::Website),
        other => Err(ApiError::InvalidParameter(format!(
            "mode must be strict or website, not `{}`",
            truncate(other)
        ))),
    }
}

/// `GET /api/search`: the search asked for.
pub fn search_request(raw: Option<&str>) -> Result<SearchRequest, ApiError> {
    let mut req = SearchRequest::new("");
    for (key, value) in known(raw) {
        match key {
            Key::Q => req.q = value,
            Key::Type if !value.is_empty() => {
                req.types.push(value.parse().map_err(SearchError::from)?)
            }
            Key::Topic if !value.is_empty() => req.topics.push(value),
            Key::Language if !value.is_empty() => {
                let lang = Lang::from_code(&value).ok_or_else(|| {
                    ApiError::InvalidParameter(format!(
                        "language must be one of the library's language codes ({}), not `{}`",
                        Lang::supported(),
                        truncate(&value)
                    ))
                })?;
                if !req.languages.contains(&lang) {
                    req.languages.push(lang);
                }
            }
            Key::YearFrom if !value.is_empty() => req.year_from = Some(number(key, &value)?),
            Key::YearTo if !value.is_empty() => req.year_to = Some(number(key, &value)?),
            Key::DateFrom if !value.is_empty() => {
                req.date_from =
                    Some(date_bound(&value, DateEnd::From).map_err(ApiError::InvalidParameter)?)
            }
            Key::DateTo if !value.is_empty() => {
                req.date_to =
                    Some(date_bound(&value, DateEnd::To).map_err(ApiError::InvalidParameter)?)
            }
            Key::Sort => req.sort = value.parse().map_err(ApiError::from)?,
            Key::Page if !value.is_empty() => req.page = number(key, &value)?,
            Key::PerPage if !value.is_empty() => req.per_page = number(key, &value)?,
            Key::Mode => req.mode = mode(&value)?,
            _ => {}
        }
    }
    if req.types.len() > MAX_TYPES || req.topics.len() > MAX_TOPICS {
        return Err(ApiError::InvalidParameter(
            "too many type or topic filters".into(),
        ));
    }
    Ok(req)
}

/// `GET /api/publications/{id}/similar`: how many (`limit`, 1 to
/// [`MAX_SIMILAR`](crate::search::MAX_SIMILAR), default
/// [`DEFAULT_SIMILAR`](crate::search::DEFAULT_SIMILAR)).
pub fn similar_limit(raw: Option<&str>) -> Result<usize, ApiError> {
    let mut limit = crate::search::DEFAULT_SIMILAR;
    for (key, value) in known(raw) {
        if key == Key::Limit && !value.is_empty() {
            limit = number(key, &value)?;
            if !(1..=crate::search::MAX_SIMILAR).contains(&limit) {
                return Err(ApiError::InvalidParameter(format!(
                    "limit must be between 1 and {}",
                    crate::search::MAX_SIMILAR
                )));
            }
        }
    }
    Ok(limit)
}

/// `GET /api/publications/{id}/search`: the query, its mode (strict by default) and whether
/// the pages come in page order (`order=page`) rather than best first (`order=relevance`, the
/// default).
pub fn publication_search(raw: Option<&str>) -> Result<(String, Mode, bool), ApiError> {
    let mut q = String::new();
    let mut m = Mode::Strict;
    let mut in_page_order = false;
    for (key, value) in known(raw) {
        match key {
            Key::Q => q = value,
            Key::Mode => m = mode(&value)?,
            Key::Order => {
                in_page_order = match value.as_str() {
                    "page" => true,
                    "relevance" | "" => false,
                    other => {
                        return Err(ApiError::InvalidParameter(format!(
                            "order must be relevance or page, not `{}`",
                            other.chars().take(40).collect::<String>()
                        )));
                    }
                }
            }
            _ => {}
        }
    }
    Ok((q, m, in_page_order))
}

/// `GET /api/suggest`: the partial query (at most [`MAX_QUERY_CHARS`] characters) and the
/// number of suggestions (1–[`MAX_LIMIT`]; anything else gives [`DEFAULT_LIMIT`]).
pub fn suggest(raw: Option<&str>) -> Result<(String, usize), ApiError> {
    let mut q = String::new();
    let mut limit = DEFAULT_LIMIT;
    for (key, value) in known(raw) {
        match key {
            Key::Q => q = value,
            Key::Limit => {
                limit = value
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .unwrap_or(DEFAULT_LIMIT)
            }
            _ => {}
        }
    }
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::InvalidParameter(format!(
            "q is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    Ok((q, limit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Sort;
    use pubsearch_core::model::PubType;

    #[test]
    fn reads_repeated_facets_and_numbers() {
        let r = search_request(Some("q=water+%22clean%22&type=report&type=guide&topic=health&year_from=2005&page=2&per_page=5&sort=date_desc&mode=website&junk=1")).unwrap();
        assert_eq!(r.q, "water \"clean\"");
        assert_eq!(r.types, vec![PubType::Report, PubType::Guide]);
        assert_eq!(r.topics, vec!["health"]);
        assert_eq!(
            (r.year_from, r.year_to, r.page, r.per_page),
            (Some(2005), None, 2, 5)
        );
        assert_eq!(r.sort, Sort::DateDesc);
        assert_eq!(r.mode, Mode::Website);
    }

    #[test]
    fn bad_values_are_400s_and_bad_encoding_is_not_fatal() {
        for raw in ["page=x", "per_page=-1", "mode=fast", "sort=best"] {
            assert!(
                matches!(
                    search_request(Some(raw)),
                    Err(ApiError::InvalidParameter(_))
                ),
                "{raw}"
            );
        }
        let r = search_request(Some("q=%FF%FE%zz")).unwrap();
        assert!(r.q.contains('\u{FFFD}'));
    }

    #[test]
    fn publication_and_suggest_parameters() {
        assert_eq!(
            publication_search(Some("q=a&mode=website")).unwrap(),
            ("a".to_string(), Mode::Website, false)
        );
        assert!(publication_search(Some("q=a&order=page")).unwrap().2);
        assert!(publication_search(Some("mode=x")).is_err());
        assert!(publication_search(Some("order=random")).is_err());
        assert_eq!(suggest(Some("q=he&limit=3")).unwrap(), ("he".into(), 3));
        assert_eq!(suggest(Some("limit=99")).unwrap().1, DEFAULT_LIMIT);
        let long = format!("q={}", "a".repeat(MAX_QUERY_CHARS + 1));
        assert!(matches!(
            suggest(Some(&long)),
            Err(ApiError::InvalidParameter(_))
        ));
    }
}
