//! Opening the index for a run: the writer lock first, then what the index knows of each file.

use std::collections::{BTreeMap, BTreeSet};

use pubsearch_core::doc::{StoredFailure, StoredPublication, all_of_kind};
use pubsearch_core::schema::{self, Fields, kind};
use pubsearch_core::{CoreError, open};
use tantivy::{IndexWriter, ReloadPolicy, Searcher};

use super::{IndexError, IndexerConfig};
use crate::plan::Known;

/// The index as a run sees it.
pub(super) struct Opened {
    /// Field handles.
    pub fields: Fields,
    /// The writer, holding the lock; `None` for a dry run.
    pub writer: Option<IndexWriter>,
    /// The last commit; `None` for a dry run.
    pub searcher: Option<Searcher>,
    /// What the index knows of each path.
    pub known: BTreeMap<String, Known>,
    /// The path each indexed id belongs to.
    pub indexed_ids: BTreeMap<String, String>,
    /// Indexed files with pages that have no text layer and that OCR never tried.
    pub unread_scans: BTreeSet<String>,
}

/// Opens (or creates) the index; with `--full`, a damaged or incompatible one is rebuilt. A dry
/// run on a directory without an index opens nothing and knows nothing.
///
/// A dry run writes nothing, ever: with `--full` it plans against a damaged index as against an
/// empty one, and leaves the damaged files where they are.
pub(super) fn open(cfg: &IndexerConfig) -> Result<Opened, IndexError> {
    let nothing_known = || Opened {
        fields: schema::build().1,
        writer: None,
        searcher: None,
        known: BTreeMap::new(),
        indexed_ids: BTreeMap::new(),
        unread_scans: BTreeSet::new(),
    };
    if cfg.dry_run && !open::exists(&cfg.index) {
        return Ok(nothing_known());
    }
    let index = match open::open_or_create(&cfg.index) {
        Ok(index) => index,
        Err(e @ (CoreError::Corrupt { .. } | CoreError::SchemaMismatch { .. }))
            if cfg.full && cfg.dry_run =>
        {
            tracing::warn!("{e}: a full run would rebuild it from scratch");
            return Ok(nothing_known());
        }
        Err(e @ (CoreError::Corrupt { .. } | CoreError::SchemaMismatch { .. })) if cfg.full => {
            tracing::warn!("{e}: rebuilding it from scratch");
            open::remove_index_files(&cfg.index)?;
            open::open_or_create(&cfg.index)?
        }
        Err(e) => return Err(e.into()),
    };
    let fields = Fields::from_schema(&index.schema())?;
    // Take the writer lock before reading the state, so the state cannot change under us.
    let writer = if cfg.dry_run {
        None
    } else {
        Some(
            index
                .writer(cfg.writer_memory)
                .map_err(open::writer_error)?,
        )
    };
    let searcher = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?
        .searcher();
    let Loaded {
        known,
        ids: indexed_ids,
        unread_scans,
    } = load_known(&searcher, &fields)?;
    Ok(Opened {
        fields,
        writer,
        searcher: (!cfg.dry_run).then_some(searcher),
        known,
        indexed_ids,
        unread_scans,
    })
}

fn entry(known: &mut BTreeMap<String, Known>, path: String) -> &mut Known {
    known.entry(path).or_insert(Known {
        indexed: None,
        failed: None,
    })
}

/// What the index knows of its files.
struct Loaded {
    known: BTreeMap<String, Known>,
    ids: BTreeMap<String, String>,
    unread_scans: BTreeSet<String>,
}

/// What the index knows of each path, the path each indexed id belongs to, and the files with
/// pages OCR never tried. A record that does not read back is left out: its file is then
/// treated as new.
fn load_known(searcher: &Searcher, f: &Fields) -> tantivy::Result<Loaded> {
    let mut known: BTreeMap<String, Known> = BTreeMap::new();
    let mut ids = BTreeMap::new();
    let mut unread_scans = BTreeSet::new();
    for doc in all_of_kind(searcher, f, kind::PUBLICATION)? {
        let Ok(stored) = StoredPublication::from_doc(&doc, f) else {
            continue;
        };
        let Ok(state) = stored.state() else {
            continue;
        };
        let unread = stored
            .pages()
            .is_ok_and(|pages| pages.iter().any(|p| p.lacks_text() && !p.is_ocr()));
        if unread {
            unread_scans.insert(stored.path.clone());
        }
        ids.insert(stored.publication.id, stored.path.clone());
        entry(&mut known, stored.path).indexed = Some(state);
    }
    for doc in all_of_kind(searcher, f, kind::FAILURE)? {
        let Ok(stored) = StoredFailure::from_doc(&doc, f) else {
            continue;
        };
        let Ok(state) = stored.state() else {
            continue;
        };
        entry(&mut known, stored.path).failed = Some((state, stored.reason));
    }
    Ok(Loaded {
        known,
        ids,
        unread_scans,
    })
}
