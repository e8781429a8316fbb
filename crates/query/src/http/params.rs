//! Query-string parsing for `/api/search`.
//!
//! `q`, `type` (repeatable), `topic` (repeatable), `year_from`, `year_to`,
//! `sort=relevance|date_desc|date_asc`, `page` (from 1), `per_page` (1–100),
//! `mode=strict|website`. Unknown parameters are ignored; a repeated single-valued one keeps
//! its last value; malformed percent-encoding is decoded lossily, never rejected with a 5xx.

use crate::parse::Mode;
use crate::search::{SearchError, SearchRequest};

use super::error::ApiError;

fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, ApiError> {
    value.trim().parse().map_err(|_| {
        ApiError::InvalidParameter(format!(
            "{name} must be a whole number, not `{}`",
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

/// All `(key, value)` pairs of a raw query string.
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Builds a search request from a raw query string.
pub fn search_request(raw: Option<&str>) -> Result<SearchRequest, ApiError> {
    let mut req = SearchRequest::new("");
    for (key, value) in pairs(raw) {
        match key.as_str() {
            "q" => req.q = value,
            "type" if !value.is_empty() => {
                req.types.push(value.parse().map_err(SearchError::from)?)
            }
            "topic" if !value.is_empty() => req.topics.push(value),
            "year_from" if !value.is_empty() => req.year_from = Some(number("year_from", &value)?),
            "year_to" if !value.is_empty() => req.year_to = Some(number("year_to", &value)?),
            "sort" => req.sort = value.parse().map_err(ApiError::from)?,
            "page" if !value.is_empty() => req.page = number("page", &value)?,
            "per_page" if !value.is_empty() => req.per_page = number("per_page", &value)?,
            "mode" => req.mode = mode(&value)?,
            _ => {}
        }
    }
    if req.types.len() > 20 || req.topics.len() > 50 {
        return Err(ApiError::InvalidParameter(
            "too many type or topic filters".into(),
        ));
    }
    Ok(req)
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
        assert!(matches!(
            search_request(Some("page=x")),
            Err(ApiError::InvalidParameter(_))
        ));
        assert!(matches!(
            search_request(Some("per_page=-1")),
            Err(ApiError::InvalidParameter(_))
        ));
        assert!(matches!(
            search_request(Some("mode=fast")),
            Err(ApiError::InvalidParameter(_))
        ));
        assert!(matches!(
            search_request(Some("sort=best")),
            Err(ApiError::InvalidParameter(_))
        ));
        assert!(matches!(
            search_request(Some("type=report&type=pamphlet")),
            Err(ApiError::InvalidParameter(m)) if m.contains("pamphlet")
        ));
        let r = search_request(Some("q=%FF%FE%zz")).unwrap();
        assert!(r.q.contains('\u{FFFD}'));
    }
}
