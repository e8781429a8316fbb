//! The pure part of an incremental run: comparing what is on disk with what the index holds.
//!
//! First by stat (size and modification time), so unchanged files are not read at all; then,
//! for the rest, by content hash, so a file that was only touched, or whose sidecar alone
//! changed, is not extracted again.

use std::collections::{BTreeMap, BTreeSet};

use pubsearch_core::model::FileState;

use crate::scan::{DiskFile, Stat};

/// What the index remembers of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    /// The file state at the last successful indexing, if any.
    pub indexed: Option<FileState>,
    /// The file state and reason of the last failed attempt, if it failed since.
    pub failed: Option<(FileState, String)>,
}

/// The outcome of the stat comparison.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatPlan {
    /// Indexed and untouched.
    pub unchanged: Vec<String>,
    /// Failed before and untouched since: not read again.
    pub still_failing: Vec<(String, String)>,
    /// New or touched: to be hashed.
    pub to_check: Vec<String>,
    /// In the index but gone from disk.
    pub removed: Vec<String>,
}

fn same_stat(state: &FileState, file: &DiskFile) -> bool {
    let stamp_eq = |stamp: &pubsearch_core::model::FileStamp, stat: &Stat| {
        stamp.size == stat.size && stamp.mtime_ns == stat.mtime_ns
    };
    stamp_eq(&state.pdf, &file.pdf)
        && match (&state.sidecar, &file.sidecar) {
            (None, None) => true,
            (Some(a), Some((_, b))) => stamp_eq(a, b),
            _ => false,
        }
}

/// Compares disk and index by stat. With `full`, every file is checked again.
pub fn by_stat(
    disk: &BTreeMap<String, DiskFile>,
    known: &BTreeMap<String, Known>,
    full: bool,
) -> StatPlan {
    let mut plan = StatPlan::default();
    for (rel, file) in disk {
        let k = known.get(rel);
        if !full {
            if let Some(state) = k.and_then(|k| k.failed.as_ref())
                && same_stat(&state.0, file)
            {
                plan.still_failing.push((rel.clone(), state.1.clone()));
                continue;
            }
            if let Some(state) = k.and_then(|k| k.indexed.as_ref())
                && same_stat(state, file)
            {
                plan.unchanged.push(rel.clone());
                continue;
            }
        }
        plan.to_check.push(rel.clone());
    }
    for (rel, k) in known {
        if !disk.contains_key(rel) && (k.indexed.is_some() || k.failed.is_some()) {
            plan.removed.push(rel.clone());
        }
    }
    plan
}

/// What to do with a file whose content was hashed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Extract the PDF and index it (new, or its content changed).
    Extract,
    /// The PDF's content is the one indexed: refresh metadata and file state, reuse the text.
    Refresh,
    /// The content indexed under a path now gone from disk: the file was renamed or moved.
    /// The stored text is reused and the publication keeps its id, so links to it still work.
    Rename {
        /// The old path.
        from: String,
    },
    /// The same content is already indexed (or about to be) under another path.
    Duplicate {
        /// The path that keeps it.
        of: String,
    },
}

/// Decides per hashed file. `checked` maps every checked path to its state; `staying` are the
/// indexed paths not looked at again; `gone` the indexed paths no longer on disk (a new path
/// with the content of one of them is a rename, except in a full rebuild).
pub fn by_hash(
    checked: &BTreeMap<String, FileState>,
    known: &BTreeMap<String, Known>,
    staying: &BTreeSet<String>,
    gone: &[String],
    full: bool,
) -> BTreeMap<String, Action> {
    let mut gone_by_hash: BTreeMap<String, String> = BTreeMap::new();
    if !full {
        for rel in gone {
            if let Some(state) = known.get(rel).and_then(|k| k.indexed.as_ref()) {
                gone_by_hash
                    .entry(state.pdf.hash.clone())
                    .or_insert_with(|| rel.clone());
            }
        }
    }
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for rel in staying {
        if let Some(state) = known.get(rel).and_then(|k| k.indexed.as_ref()) {
            owner
                .entry(state.pdf.hash.clone())
                .or_insert_with(|| rel.clone());
        }
    }
    let mut actions = BTreeMap::new();
    for (rel, state) in checked {
        if let Some(of) = owner.get(&state.pdf.hash)
            && of != rel
        {
            actions.insert(rel.clone(), Action::Duplicate { of: of.clone() });
            continue;
        }
        owner.insert(state.pdf.hash.clone(), rel.clone());
        let indexed = known.get(rel).and_then(|k| k.indexed.as_ref());
        let indexed_same = indexed.is_some_and(|s| s.pdf.hash == state.pdf.hash);
        if indexed.is_none()
            && let Some(from) = gone_by_hash.remove(&state.pdf.hash)
        {
            actions.insert(rel.clone(), Action::Rename { from });
            continue;
        }
        actions.insert(
            rel.clone(),
            if indexed_same && !full {
                Action::Refresh
            } else {
                Action::Extract
            },
        );
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;
    use pubsearch_core::model::FileStamp;
    use std::path::PathBuf;

    fn file(rel: &str, size: u64, mtime: i128) -> DiskFile {
        DiskFile {
            rel: rel.into(),
            abs: PathBuf::from(rel),
            pdf: Stat {
                size,
                mtime_ns: mtime,
            },
            sidecar: None,
        }
    }
    fn state(size: u64, mtime: i128, hash: &str) -> FileState {
        FileState {
            pdf: FileStamp {
                size,
                mtime_ns: mtime,
                hash: hash.into(),
            },
            sidecar: None,
        }
    }

    #[test]
    fn stat_plan_sorts_files() {
        let disk: BTreeMap<_, _> = [
            ("same.pdf", file("same.pdf", 1, 1)),
            ("touched.pdf", file("touched.pdf", 1, 2)),
            ("new.pdf", file("new.pdf", 1, 1)),
            ("broken.pdf", file("broken.pdf", 5, 5)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let known: BTreeMap<_, _> = [
            (
                "same.pdf",
                Known {
                    indexed: Some(state(1, 1, "h1")),
                    failed: None,
                },
            ),
            (
                "touched.pdf",
                Known {
                    indexed: Some(state(1, 1, "h2")),
                    failed: None,
                },
            ),
            (
                "gone.pdf",
                Known {
                    indexed: Some(state(1, 1, "h3")),
                    failed: None,
                },
            ),
            (
                "broken.pdf",
                Known {
                    indexed: None,
                    failed: Some((state(5, 5, "h4"), "bad".into())),
                },
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let plan = by_stat(&disk, &known, false);
        assert_eq!(plan.unchanged, vec!["same.pdf"]);
        assert_eq!(plan.to_check, vec!["new.pdf", "touched.pdf"]);
        assert_eq!(plan.removed, vec!["gone.pdf"]);
        assert_eq!(
            plan.still_failing,
            vec![("broken.pdf".to_string(), "bad".to_string())]
        );
        let full = by_stat(&disk, &known, true);
        assert_eq!(full.to_check.len(), 4);
        assert!(full.unchanged.is_empty());
    }

    #[test]
    fn hash_plan_refreshes_touched_and_spots_duplicates() {
        let known: BTreeMap<_, _> = [
            (
                "a.pdf".to_string(),
                Known {
                    indexed: Some(state(1, 1, "ha")),
                    failed: None,
                },
            ),
            (
                "t.pdf".to_string(),
                Known {
                    indexed: Some(state(1, 1, "ht")),
                    failed: None,
                },
            ),
        ]
        .into_iter()
        .collect();
        let staying: BTreeSet<String> = ["a.pdf".to_string()].into_iter().collect();
        let checked: BTreeMap<_, _> = [
            ("copy-of-a.pdf".to_string(), state(1, 9, "ha")),
            ("t.pdf".to_string(), state(1, 9, "ht")),
            ("n1.pdf".to_string(), state(2, 9, "hn")),
            ("n2.pdf".to_string(), state(2, 9, "hn")),
        ]
        .into_iter()
        .collect();
        let actions = by_hash(&checked, &known, &staying, &[], false);
        assert_eq!(
            actions["copy-of-a.pdf"],
            Action::Duplicate { of: "a.pdf".into() }
        );
        assert_eq!(actions["t.pdf"], Action::Refresh);
        assert_eq!(actions["n1.pdf"], Action::Extract);
        assert_eq!(
            actions["n2.pdf"],
            Action::Duplicate {
                of: "n1.pdf".into()
            }
        );
        assert_eq!(
            by_hash(&checked, &known, &staying, &[], true)["t.pdf"],
            Action::Extract
        );
    }

    #[test]
    fn new_content_of_a_gone_file_is_a_rename() {
        let known: BTreeMap<_, _> = [
            ("old name.pdf", "hr"),
            ("gone.pdf", "hg"),
            ("changed.pdf", "hc"),
        ]
        .into_iter()
        .map(|(rel, hash)| {
            (
                rel.to_string(),
                Known {
                    indexed: Some(state(1, 1, hash)),
                    failed: None,
                },
            )
        })
        .collect();
        let gone = ["gone.pdf".to_string(), "old name.pdf".to_string()];
        let checked: BTreeMap<_, _> = [
            ("2025-03-new-name.pdf".to_string(), state(1, 9, "hr")),
            ("second-copy.pdf".to_string(), state(1, 9, "hr")),
            ("changed.pdf".to_string(), state(1, 9, "hx")),
        ]
        .into_iter()
        .collect();
        let actions = by_hash(&checked, &known, &BTreeSet::new(), &gone, false);
        assert_eq!(
            actions["2025-03-new-name.pdf"],
            Action::Rename {
                from: "old name.pdf".into()
            }
        );
        // One rename per gone file: another copy of its content is a duplicate.
        assert_eq!(
            actions["second-copy.pdf"],
            Action::Duplicate {
                of: "2025-03-new-name.pdf".into()
            }
        );
        assert_eq!(actions["changed.pdf"], Action::Extract);
        // A full rebuild reads everything again.
        assert_eq!(
            by_hash(&checked, &known, &BTreeSet::new(), &gone, true)["2025-03-new-name.pdf"],
            Action::Extract
        );
    }
}
