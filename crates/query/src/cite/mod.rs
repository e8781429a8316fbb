//! Citations of publications: the metadata of a [`Publication`] as CSL-JSON, BibTeX or RIS
//! for reference managers ([`render`]), and as a formatted reference for people to copy
//! ([`reference()`]).
//!
//! Everything the library holds is grey literature published by the charity itself, so each
//! format uses its report, chapter or pamphlet type, names the charity as the publisher
//! ([`PUBLISHER`]) and, when a publication names no authors, as its corporate author.
//!
//! Each format is escaped by its own rules: CSL-JSON is written by serde_json, BibTeX values
//! are LaTeX-escaped (URLs excepted, which BibLaTeX reads verbatim), and RIS values are kept on
//! one line each.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use pubsearch_core::model::{PubType, Publication};

mod bibtex;
mod csl;
mod reference;
mod ris;

pub use reference::reference;

/// The publisher of every publication in the library, and the author of those that name none.
pub const PUBLISHER: &str = "Migrant and Refugee Communities Forum";

/// What one citation needs beyond the metadata: absolute links and an optional pinpoint page.
#[derive(Clone, Debug)]
pub struct Cited<'a> {
    /// The publication cited.
    pub publication: &'a Publication,
    /// Absolute URL of the PDF, e.g. `http://host/files/<id>.pdf`.
    pub pdf_url: String,
    /// Absolute URL of the publication's HTML page, `http://host/publications/<id>`.
    pub landing_url: String,
    /// Number of pages of the PDF, when known.
    pub page_count: Option<u64>,
    /// The pinpoint page, when the citation is of one page.
    pub page: Option<u64>,
}

impl Cited<'_> {
    /// The PDF opened at the pinpoint page (`<pdf_url>#page=N`), when there is one.
    pub fn page_url(&self) -> Option<String> {
        self.page.map(|p| format!("{}#page={p}", self.pdf_url))
    }

    /// The link a citation gives: the page URL when pinpointed, else the PDF.
    pub fn url(&self) -> String {
        self.page_url().unwrap_or_else(|| self.pdf_url.clone())
    }
}

/// A citation file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// CSL-JSON, read by Zotero, Mendeley and every CSL processor (citeproc, pandoc).
    CslJson,
    /// BibTeX, also read by BibLaTeX and biber.
    Bibtex,
    /// RIS, read by EndNote, RefWorks and most reference managers.
    Ris,
}

impl Format {
    /// Every format, in the order they are offered.
    pub const ALL: [Format; 3] = [Format::CslJson, Format::Bibtex, Format::Ris];

    /// The name used in the API: `csl-json`, `bibtex`, `ris`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::CslJson => "csl-json",
            Format::Bibtex => "bibtex",
            Format::Ris => "ris",
        }
    }

    /// The media type of a document in this format.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::CslJson => "application/vnd.citationstyles.csl+json",
            Format::Bibtex => "application/x-bibtex",
            Format::Ris => "application/x-research-info-systems",
        }
    }

    /// The file name extension of a document in this format, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::CslJson => "json",
            Format::Bibtex => "bib",
            Format::Ris => "ris",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    /// Reads a format's [`Format::as_str`] name in any case, and the short names `csl`,
    /// `csljson`, `json` and `bib`.
    fn from_str(s: &str) -> Result<Format, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csl-json" | "csljson" | "csl" | "json" => Ok(Format::CslJson),
            "bibtex" | "bib" => Ok(Format::Bibtex),
            "ris" => Ok(Format::Ris),
            _ => Err(format!(
                "unknown citation format `{s}`; use csl-json, bibtex or ris"
            )),
        }
    }
}

/// All items in one document of that format (CSL-JSON: one JSON array; BibTeX: entries
/// separated by a blank line; RIS: records one after another).
pub fn render(format: Format, items: &[Cited<'_>]) -> String {
    match format {
        Format::CslJson => csl::render(items),
        Format::Bibtex => bibtex::render(items),
        Format::Ris => ris::render(items),
    }
}

/// The download file name: `<id>.<ext>` for one item, `publications.<ext>` for several.
pub fn file_name(format: Format, items: &[Cited<'_>]) -> String {
    match items {
        [one] => format!("{}.{}", one.publication.id, format.extension()),
        _ => format!("publications.{}", format.extension()),
    }
}

/// One author of a publication, as the citation formats need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Author {
    /// A person, with the family name apart.
    Person {
        /// The family name: the last word, or what comes before a comma.
        family: String,
        /// The given names, possibly initials (`A. B.`); empty when only one name is known.
        given: String,
    },
    /// An organisation, cited by its name as written.
    Corporate(String),
}

/// Words that make an author an organisation rather than a person.
const ORGANISATION_WORDS: [&str; 33] = [
    "forum",
    "council",
    "association",
    "network",
    "centre",
    "center",
    "trust",
    "society",
    "institute",
    "foundation",
    "union",
    "committee",
    "project",
    "group",
    "alliance",
    "office",
    "department",
    "ministry",
    "university",
    "commission",
    "agency",
    "service",
    "services",
    "partnership",
    "coalition",
    "campaign",
    "charity",
    "organisation",
    "organization",
    "federation",
    "board",
    "authority",
    "unit",
];

impl Author {
    /// Reads one author string: an organisation when it is the publisher, contains an
    /// organisation word (Forum, Council, ...) or has more than four words; else a person,
    /// written `Given Family` or `Family, Given`.
    pub fn parse(name: &str) -> Author {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let words = || {
            name.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
        };
        let corporate = name.eq_ignore_ascii_case(PUBLISHER)
            || words().any(|w| ORGANISATION_WORDS.iter().any(|o| o.eq_ignore_ascii_case(w)))
            || name.split(' ').count() > 4;
        if corporate {
            return Author::Corporate(name);
        }
        if let Some((family, given)) = name.split_once(',') {
            return Author::Person {
                family: family.trim().to_string(),
                given: given.trim().to_string(),
            };
        }
        match name.rsplit_once(' ') {
            Some((given, family)) => Author::Person {
                family: family.to_string(),
                given: given.to_string(),
            },
            None => Author::Person {
                family: name,
                given: String::new(),
            },
        }
    }

    /// The name as a corporate author, when it is one.
    pub fn corporate(&self) -> Option<&str> {
        match self {
            Author::Corporate(name) => Some(name),
            Author::Person { .. } => None,
        }
    }
}

/// A publication's authors, or the publisher when it names none; blank names are skipped.
pub fn authors(publication: &Publication) -> Vec<Author> {
    let named: Vec<Author> = publication
        .authors
        .iter()
        .filter(|a| !a.trim().is_empty())
        .map(|a| Author::parse(a))
        .collect();
    if named.is_empty() {
        vec![Author::Corporate(PUBLISHER.to_string())]
    } else {
        named
    }
}

/// The charity's own word for a type, as the citation formats name it (`Report`,
/// `Educational resource`); none for [`PubType::Other`], which says nothing of the item.
pub fn type_label(pub_type: PubType) -> Option<&'static str> {
    match pub_type {
        PubType::Report => Some("Report"),
        PubType::Newsletter => Some("Newsletter"),
        PubType::Guide => Some("Guide"),
        PubType::EducationalResource => Some("Educational resource"),
        PubType::BookChapter => Some("Book chapter"),
        PubType::Briefing => Some("Briefing"),
        PubType::Other => None,
    }
}

/// The keywords of a publication: its topics, blank ones left out.
fn keywords(publication: &Publication) -> Vec<&str> {
    publication
        .topics
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Each item's id in a document: the publication id, see [`unique`].
fn unique_ids(items: &[Cited<'_>]) -> Vec<String> {
    unique(items.iter().map(|c| c.publication.id.clone()))
}

/// The ids made unique in one document, as keys must be: an id seen before (the same
/// publication cited again, at another page) takes `-2`, `-3`, ... after it.
fn unique(ids: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.map(|id| {
        let mut candidate = id.clone();
        let mut n = 1;
        while !seen.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{id}-{n}");
        }
        candidate
    })
    .collect()
}

#[cfg(test)]
mod tests;
