//! The facet paths of a publication: `/type/<type>`, `/topic/<topic>`, `/year/<year>` and
//! `/language/<code>`, in the
//! `facets` field. The indexer writes them through [`crate::doc`]; the query side filters and
//! counts them through [`Dimension`].

use tantivy::schema::Facet;

use crate::analysis::Lang;
use crate::model::{PubType, Publication};

/// One facet dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// The publication type.
    Type,
    /// A topic (multi-valued).
    Topic,
    /// The publication year.
    Year,
    /// A language (ISO 639-1 code; multi-valued for bilingual publications).
    Language,
}

impl Dimension {
    /// Every dimension, in display order.
    pub const ALL: [Dimension; 4] = [
        Dimension::Type,
        Dimension::Topic,
        Dimension::Year,
        Dimension::Language,
    ];

    /// The first segment of its paths.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Type => "type",
            Dimension::Topic => "topic",
            Dimension::Year => "year",
            Dimension::Language => "language",
        }
    }

    /// The root of its paths, as tantivy's facet collector takes it: `/type`.
    pub fn root(self) -> &'static str {
        match self {
            Dimension::Type => "/type",
            Dimension::Topic => "/topic",
            Dimension::Year => "/year",
            Dimension::Language => "/language",
        }
    }

    /// The facet of one value: `/type/report`.
    pub fn facet(self, value: &str) -> Facet {
        Facet::from_path([self.name(), value])
    }
}

/// `/type/<t>`.
pub fn of_type(t: PubType) -> Facet {
    Dimension::Type.facet(t.as_str())
}

/// A topic as the index stores it, from however it was written (a sidecar, a filter):
/// trimmed and lower case, so `Health` and `health` are one topic.
pub fn topic_value(topic: &str) -> String {
    topic.trim().to_lowercase()
}

/// `/topic/<topic>`, the topic read by [`topic_value`].
pub fn of_topic(topic: &str) -> Facet {
    Dimension::Topic.facet(&topic_value(topic))
}

/// `/year/<year>`.
pub fn of_year(year: u64) -> Facet {
    Dimension::Year.facet(&year.to_string())
}

/// The value a facet names under its dimension: `report` for `/type/report`.
pub fn value(facet: &Facet) -> String {
    facet
        .to_path()
        .last()
        .map(|s| s.to_string())
        .unwrap_or_default()
}

/// The year a publication is filed under, if it has a date.
pub fn year_of(publication: &Publication) -> Option<u64> {
    publication.date.map(|d| d.year().max(0) as u64)
}

/// `/language/<code>`.
pub fn of_language(lang: Lang) -> Facet {
    Dimension::Language.facet(lang.as_str())
}

/// Every facet of a publication: its type, each topic, its year if it has a date, and each of
/// its languages (English when none is known).
pub fn of_publication(publication: &Publication) -> Vec<Facet> {
    let mut out = Vec::with_capacity(publication.topics.len() + 3);
    out.extend(publication.topics.iter().map(|t| of_topic(t)));
    out.push(of_type(publication.pub_type));
    out.extend(year_of(publication).map(of_year));
    out.extend(
        crate::doc::languages_of(publication)
            .into_iter()
            .map(of_language),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_dimension_then_value() {
        for d in Dimension::ALL {
            assert_eq!(d.root(), format!("/{}", d.name()));
            assert_eq!(Facet::from(d.root()), Facet::from_path([d.name()]));
            assert!(Facet::from(d.root()).is_prefix_of(&d.facet("x")));
        }
        assert_eq!(
            of_type(PubType::BookChapter).to_string(),
            "/type/book-chapter"
        );
        assert_eq!(
            of_topic("local democracy").to_string(),
            "/topic/local democracy"
        );
        assert_eq!(of_year(2009).to_string(), "/year/2009");
        assert_eq!(
            of_topic(" Local Democracy ").to_string(),
            "/topic/local democracy"
        );
        assert_eq!(topic_value("HEALTH"), "health");
        assert_eq!(
            value(&of_type(PubType::EducationalResource)),
            "educational-resource"
        );
        assert_eq!(value(&Facet::root()), "");
    }

    #[test]
    fn a_publication_has_its_type_topics_and_year() {
        let mut p = Publication {
            id: "a".into(),
            title: "A".into(),
            date: Some(time::macros::date!(2009 - 12 - 07)),
            pub_type: PubType::Report,
            topics: vec!["health".into(), "housing".into()],
            summary: String::new(),
            authors: vec![],
            languages: vec![crate::analysis::Lang::En],
            language_detected: false,
        };
        let paths: Vec<String> = of_publication(&p).iter().map(Facet::to_string).collect();
        assert_eq!(
            paths,
            [
                "/topic/health",
                "/topic/housing",
                "/type/report",
                "/year/2009",
                "/language/en"
            ]
        );
        p.date = None;
        p.topics.clear();
        p.languages = vec![Lang::Es, Lang::En];
        let paths: Vec<String> = of_publication(&p).iter().map(Facet::to_string).collect();
        assert_eq!(paths, ["/type/report", "/language/es", "/language/en"]);
    }
}
