//! Reading the query string, for the JSON API and the HTML pages alike.
//!
//! Both read the same parameters: `q`, `type` (repeatable), `topic` (repeatable), `language`
//! (repeatable, ISO 639-1 codes),
//! `year_from`, `year_to`, `date_from` and `date_to` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`,
//! inclusive), `sort=relevance|date_desc|date_asc`, `page` (from 1), `per_page`
//! (1–100), `mode=strict|website`, `limit` for suggestions and `order=relevance|page` for the
//! search in one publication. Unknown parameters are
//! ignored; malformed percent-encoding is decoded lossily, never rejected with a 5xx.
//!
//! - [`api`] reads them strictly: a bad value is a 400 [`ApiError`](super::error::ApiError);
//!   `mode` defaults to `strict`.
//! - [`page`] reads them leniently for people: a bad number, sort or year is dropped and named
//!   in a notice, so the page still renders (an unknown type is still a 400 page); `mode`
//!   defaults to `website`. It also writes the state back into a URL
//!   ([`page::PageQuery::href`]).

pub mod api;
pub mod page;

/// A parameter name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// `q`: the query text.
    Q,
    /// `type`: a type kept (repeatable).
    Type,
    /// `topic`: a topic kept (repeatable).
    Topic,
    /// `language`: a language kept (repeatable).
    Language,
    /// `year_from`.
    YearFrom,
    /// `year_to`.
    YearTo,
    /// `date_from`.
    DateFrom,
    /// `date_to`.
    DateTo,
    /// `sort`.
    Sort,
    /// `page`.
    Page,
    /// `per_page`.
    PerPage,
    /// `mode`.
    Mode,
    /// `limit` (suggestions).
    Limit,
    /// `order` (search in a publication): `relevance` or `page`.
    Order,
}

impl Key {
    const ALL: [Key; 14] = [
        Key::Q,
        Key::Type,
        Key::Topic,
        Key::Language,
        Key::YearFrom,
        Key::YearTo,
        Key::DateFrom,
        Key::DateTo,
        Key::Sort,
        Key::Page,
        Key::PerPage,
        Key::Mode,
        Key::Limit,
        Key::Order,
    ];

    /// The name in the query string.
    pub fn name(self) -> &'static str {
        match self {
            Key::Q => "q",
            Key::Type => "type",
            Key::Topic => "topic",
            Key::Language => "language",
            Key::YearFrom => "year_from",
            Key::YearTo => "year_to",
            Key::DateFrom => "date_from",
            Key::DateTo => "date_to",
            Key::Sort => "sort",
            Key::Page => "page",
            Key::PerPage => "per_page",
            Key::Mode => "mode",
            Key::Limit => "limit",
            Key::Order => "order",
        }
    }

    /// The key named `name`, if it is one.
    pub fn of(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// All `(key, value)` pairs of a raw query string, in order, percent-decoded.
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The known parameters of a raw query string, in order.
pub fn known(raw: Option<&str>) -> impl Iterator<Item = (Key, String)> {
    pairs(raw)
        .into_iter()
        .filter_map(|(k, v)| Key::of(&k).map(|key| (key, v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_unknown_ones_are_skipped() {
        for k in Key::ALL {
            assert_eq!(Key::of(k.name()), Some(k));
        }
        let got: Vec<(Key, String)> = known(Some("junk=1&q=a+b&&=&type=%FF")).collect();
        assert_eq!(
            got,
            vec![(Key::Q, "a b".into()), (Key::Type, "\u{FFFD}".into())]
        );
    }
}
