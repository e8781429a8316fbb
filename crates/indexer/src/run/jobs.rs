//! One job per hashed file: what to do with it and everything needed to do it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use pubsearch_core::model::{FileState, PubType, Publication};
use time::{Date, OffsetDateTime};

use crate::dates;
use crate::extract::PdfInfo;
use crate::plan::{self, Action, Known};
use crate::scan::DiskFile;
use crate::sidecar;

/// A file whose content was hashed, with what the run does to it.
#[derive(Clone, Debug)]
pub(super) struct FileJob<'d> {
    /// The file on disk.
    pub file: &'d DiskFile,
    /// Its state, content hashes included: recorded with whatever the run writes for it.
    pub state: FileState,
    /// Extract, refresh or skip as a duplicate.
    pub action: Action,
    /// Whether the index held this file before the run.
    pub indexed_before: bool,
    /// Its sidecar's metadata, once [`FileJob::read_sidecar`] has read it.
    pub sidecar: Option<Publication>,
    /// For a rename: the id the publication had, kept unless the sidecar names another.
    pub keep_id: Option<String>,
}

/// Decides per hashed file (see [`plan::by_hash`]), in path order.
pub(super) fn plan<'d>(
    checked: Vec<(&'d DiskFile, FileState)>,
    known: &BTreeMap<String, Known>,
    staying: &BTreeSet<String>,
    gone: &[String],
    full: bool,
) -> Vec<FileJob<'d>> {
    let states: BTreeMap<String, FileState> = checked
        .iter()
        .map(|(file, state)| (file.rel.clone(), state.clone()))
        .collect();
    let mut actions = plan::by_hash(&states, known, staying, gone, full);
    let mut jobs: Vec<FileJob<'d>> = checked
        .into_iter()
        .filter_map(|(file, state)| {
            let action = actions.remove(&file.rel)?;
            Some(FileJob {
                indexed_before: known.get(&file.rel).is_some_and(|k| k.indexed.is_some()),
                file,
                state,
                action,
                sidecar: None,
                keep_id: None,
            })
        })
        .collect();
    jobs.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
    jobs
}

impl FileJob<'_> {
    /// The id `publication` is indexed under: for a rename, the id the file had, unless the
    /// sidecar names another (an id other than the one the file name gives).
    pub fn id_for(&self, publication: &Publication) -> String {
        match &self.keep_id {
            Some(id) if publication.id == sidecar::slug(self.stem()) => id.clone(),
            _ => publication.id.clone(),
        }
    }

    /// The file name without its extension: the default id's source.
    fn stem(&self) -> &str {
        self.file
            .abs
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("untitled")
    }

    /// Reads the sidecar into [`FileJob::sidecar`]; the error names the file, line and field.
    pub fn read_sidecar(&mut self) -> Result<(), String> {
        let Some((path, _)) = &self.file.sidecar else {
            return Ok(());
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("sidecar {}: {e}", path.display()))?;
        let shown = Path::new(&self.file.rel).with_extension("toml");
        let publication = sidecar::parse(&shown, &text, self.stem()).map_err(|e| e.to_string())?;
        self.sidecar = Some(publication);
        Ok(())
    }

    /// The metadata of a PDF without a sidecar, from its Info dictionary and file name; its
    /// date as [`dates::publication_date`] reads it, today bounding it.
    pub fn publication_from_pdf(&self, info: &PdfInfo) -> Publication {
        self.publication_from_pdf_on(info, OffsetDateTime::now_utc().date())
    }

    fn publication_from_pdf_on(&self, info: &PdfInfo, today: Date) -> Publication {
        let stem = self.stem();
        let modified = OffsetDateTime::from_unix_timestamp_nanos(self.file.pdf.mtime_ns)
            .ok()
            .map(|t| t.date());
        let evidence = dates::Evidence {
            stem,
            title: info.title.as_deref(),
            created: info.created,
            modified,
        };
        Publication {
            id: sidecar::slug(stem),
            title: info
                .title
                .clone()
                .unwrap_or_else(|| stem.replace(['_', '-'], " ")),
            date: dates::publication_date(&evidence, today),
            pub_type: PubType::Other,
            topics: Vec::new(),
            summary: String::new(),
            authors: info.author.clone().into_iter().collect(),
            languages: Vec::new(),
            language_detected: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Stat;
    use pubsearch_core::model::FileStamp;
    use std::path::PathBuf;
    use time::macros::date;

    fn file(rel: &str) -> DiskFile {
        DiskFile {
            rel: rel.into(),
            abs: PathBuf::from("/corpus").join(rel),
            pdf: Stat {
                size: 1,
                mtime_ns: 1,
            },
            sidecar: None,
        }
    }

    fn state(hash: &str) -> FileState {
        FileState {
            pdf: FileStamp {
                size: 1,
                mtime_ns: 1,
                hash: hash.into(),
            },
            sidecar: None,
        }
    }

    #[test]
    fn one_job_per_file_in_path_order_with_its_action() {
        let (b, a, c) = (file("b.pdf"), file("a.pdf"), file("c.pdf"));
        let known = BTreeMap::from([(
            "a.pdf".to_string(),
            Known {
                indexed: Some(state("ha")),
                failed: None,
            },
        )]);
        let jobs = plan(
            vec![(&b, state("hb")), (&a, state("ha")), (&c, state("hb"))],
            &known,
            &BTreeSet::new(),
            &[],
            false,
        );
        let got: Vec<(&str, &Action, bool)> = jobs
            .iter()
            .map(|j| (j.file.rel.as_str(), &j.action, j.indexed_before))
            .collect();
        assert_eq!(
            got,
            [
                ("a.pdf", &Action::Refresh, true),
                ("b.pdf", &Action::Extract, false),
                ("c.pdf", &Action::Duplicate { of: "b.pdf".into() }, false),
            ]
        );
        assert_eq!(jobs[1].state, state("hb"));
    }

    fn job_for(f: &DiskFile) -> FileJob<'_> {
        FileJob {
            file: f,
            state: state("h"),
            action: Action::Extract,
            indexed_before: false,
            sidecar: None,
            keep_id: None,
        }
    }

    #[test]
    fn a_pdf_without_sidecar_is_described_by_its_info_and_name() {
        let f = file("sub/Annual_Report-2010.pdf");
        let job = job_for(&f);
        let bare = job.publication_from_pdf(&PdfInfo::default());
        assert_eq!(bare.id, "annual_report-2010");
        assert_eq!(bare.title, "Annual Report 2010");
        assert_eq!(bare.pub_type, PubType::Other);
        assert_eq!(
            bare.date,
            Some(date!(2010 - 01 - 01)),
            "the year in its name"
        );
        let info = PdfInfo {
            title: Some("Annual report".into()),
            author: Some("Forum".into()),
            created: Some(date!(2010 - 03 - 01)),
        };
        let p = job.publication_from_pdf(&info);
        assert_eq!(
            (p.title.as_str(), p.authors, p.date),
            ("Annual report", vec!["Forum".to_string()], info.created)
        );
    }

    #[test]
    fn a_pdf_without_sidecar_is_dated_by_its_name_or_title_before_its_creation_date() {
        let today = date!(2026 - 12 - 02);
        let exported = PdfInfo {
            title: Some("MRCF Newsletter Spring 2011".into()),
            author: None,
            created: Some(date!(2026 - 11 - 28)),
        };
        let f = file("2011-03-newsletter-spring-2011.pdf");
        let p = job_for(&f).publication_from_pdf_on(&exported, today);
        assert_eq!(p.date, Some(date!(2011 - 03 - 01)));
        let f = file("newsletter.pdf");
        let p = job_for(&f).publication_from_pdf_on(&exported, today);
        assert_eq!(p.date, Some(date!(2011 - 03 - 01)), "from the title");
        // Nothing in the name or title, and a creation date after the file's modification
        // time: undated.
        let mut f = file("Health Access Survey FINAL v2.pdf");
        f.pdf.mtime_ns = 1_600_000_000_000_000_000; // September 2020
        let info = PdfInfo {
            title: None,
            author: None,
            created: Some(date!(2026 - 11 - 28)),
        };
        assert_eq!(job_for(&f).publication_from_pdf_on(&info, today).date, None);
        let info = PdfInfo {
            created: Some(date!(2019 - 05 - 04)),
            ..info
        };
        assert_eq!(
            job_for(&f).publication_from_pdf_on(&info, today).date,
            Some(date!(2019 - 05 - 04))
        );
    }

    #[test]
    fn a_bad_sidecar_names_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("a.pdf");
        let toml = dir.path().join("a.toml");
        std::fs::write(
            &toml,
            "title = \"T\"\ndate = \"07/12/2009\"\ntype = \"report\"\n",
        )
        .unwrap();
        let f = DiskFile {
            rel: "a.pdf".into(),
            abs: pdf,
            pdf: Stat {
                size: 1,
                mtime_ns: 1,
            },
            sidecar: Some((
                toml,
                Stat {
                    size: 1,
                    mtime_ns: 1,
                },
            )),
        };
        let mut job = FileJob {
            file: &f,
            state: state("h"),
            action: Action::Extract,
            indexed_before: false,
            sidecar: None,
            keep_id: None,
        };
        let err = job.read_sidecar().unwrap_err();
        assert!(err.starts_with("a.toml:2: date:"), "{err}");
        assert!(job.sidecar.is_none());
    }
}
