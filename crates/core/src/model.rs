//! The publication model: what a publication is, its type, and how each page was read.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::Date;

/// The kinds of publication in the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PubType {
    /// A research or annual report.
    Report,
    /// A newsletter issue.
    Newsletter,
    /// A good-practice guide.
    Guide,
    /// An educational resource pack.
    EducationalResource,
    /// A chapter of a book.
    BookChapter,
    /// A short policy briefing.
    Briefing,
    /// A PDF with no sidecar and no way to tell.
    Other,
}

impl PubType {
    /// Every type, in display order.
    pub const ALL: [PubType; 7] = [
        PubType::Report,
        PubType::Newsletter,
        PubType::Guide,
        PubType::EducationalResource,
        PubType::BookChapter,
        PubType::Briefing,
        PubType::Other,
    ];

    /// The name used in sidecars, facets and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            PubType::Report => "report",
            PubType::Newsletter => "newsletter",
            PubType::Guide => "guide",
            PubType::EducationalResource => "educational-resource",
            PubType::BookChapter => "book-chapter",
            PubType::Briefing => "briefing",
            PubType::Other => "other",
        }
    }
}

impl fmt::Display for PubType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for a string that names no publication type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown type `{0}` (expected one of: report, newsletter, guide, educational-resource, book-chapter, briefing)"
)]
pub struct UnknownType(pub String);

impl FromStr for PubType {
    type Err = UnknownType;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PubType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownType(s.to_string()))
    }
}

/// The descriptive metadata of one publication, from its sidecar or its PDF.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    /// Stable id used in URLs: `[a-z0-9._-]`, unique in the library.
    pub id: String,
    /// Title as written by the charity.
    pub title: String,
    /// Publication date.
    pub date: Option<Date>,
    /// Kind of publication.
    pub pub_type: PubType,
    /// Topics, lower case.
    pub topics: Vec<String>,
    /// A short summary.
    pub summary: String,
    /// Authors or issuing bodies.
    pub authors: Vec<String>,
    /// Language code, e.g. `en`.
    pub language: String,
}

/// Which engine produced a page's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Engine {
    /// The pure-Rust pdf-extract crate.
    PdfExtract,
    /// Poppler's pdftotext, run as a subprocess.
    Pdftotext,
    /// Neither produced text.
    None,
}

/// How a page came out of extraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageStatus {
    /// Text was found.
    Ok,
    /// The page has images but no text layer: it needs OCR.
    NoTextLayer,
    /// The page is blank.
    Empty,
    /// Every engine failed on this page.
    Failed,
}

/// The extraction report of one page, stored with the publication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageReport {
    /// 1-based page number.
    pub page: u32,
    /// Engine whose text was kept.
    pub engine: Engine,
    /// Outcome.
    pub status: PageStatus,
    /// Number of characters kept.
    pub chars: usize,
    /// Why the primary engine's text was not kept, if it was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Size, modification time and content hash of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the epoch.
    pub mtime_ns: i128,
    /// BLAKE3 of the content, hex.
    pub hash: String,
}

/// What the indexer remembers of a publication's files, to skip unchanged ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    /// The PDF.
    pub pdf: FileStamp,
    /// The sidecar, if there is one.
    pub sidecar: Option<FileStamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_round_trip() {
        for t in PubType::ALL {
            assert_eq!(t.as_str().parse::<PubType>().unwrap(), t);
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
        assert!("pamphlet".parse::<PubType>().is_err());
    }
}
