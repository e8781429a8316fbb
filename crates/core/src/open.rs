//! Opening and creating the index, with the schema check and analyzer registration.

use std::path::Path;

use tantivy::directory::MmapDirectory;
use tantivy::{Index, TantivyError};

use crate::analysis;
use crate::error::{CoreError, Result};
use crate::schema::{self, Fields};

fn io_err(path: &Path, source: std::io::Error) -> CoreError {
    CoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// True when `dir` holds a committed index.
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Opens the index in `dir`, creating the directory and an empty index if needed.
pub fn open_or_create(dir: &Path) -> Result<Index> {
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    if exists(dir) {
        return open(dir);
    }
    let directory = MmapDirectory::open(dir).map_err(|e| CoreError::Corrupt {
        path: dir.to_path_buf(),
        source: e.into(),
    })?;
    let (schema, _) = schema::build();
    let index = Index::create(directory, schema, Default::default())?;
    analysis::register(&index);
    Ok(index)
}

/// Opens an existing index; fails with a clear error if there is none, if it is damaged, or if
/// it was built with another schema version.
pub fn open(dir: &Path) -> Result<Index> {
    if !exists(dir) {
        return Err(CoreError::NoIndex(dir.to_path_buf()));
    }
    let corrupt = |source: TantivyError| CoreError::Corrupt {
        path: dir.to_path_buf(),
        source,
    };
    let index = Index::open_in_dir(dir).map_err(corrupt)?;
    let metas = index.load_metas().map_err(corrupt)?;
    let expected = schema::commit_payload();
    // A freshly created index has no commit yet and so no payload.
    if let Some(payload) = metas.payload.as_deref()
        && payload != expected
    {
        return Err(CoreError::SchemaMismatch {
            path: dir.to_path_buf(),
            found: payload.to_string(),
        });
    }
    if let Err(CoreError::MissingField(name)) = Fields::from_schema(&index.schema()) {
        return Err(CoreError::SchemaMismatch {
            path: dir.to_path_buf(),
            found: format!("no field `{name}`"),
        });
    }
    // Every segment file must be readable; a missing or truncated one shows up here, at start-up,
    // rather than in the middle of a search.
    let reader = index.reader().map_err(corrupt)?;
    // The reader opens stores and term dictionaries lazily; open every indexed field's
    // postings and positions now so a missing or truncated file is found at start-up.
    let schema = index.schema();
    for segment in reader.searcher().segment_readers() {
        for (field, entry) in schema.fields() {
            if entry.is_indexed() {
                segment.inverted_index(field).map_err(corrupt)?;
            }
        }
        segment.get_store_reader(0).map_err(|e| corrupt(e.into()))?;
    }
    drop(reader);
    analysis::register(&index);
    Ok(index)
}

/// Removes the files of a damaged or incompatible index from `dir` (tantivy's `meta.json`,
/// `.managed.json` and segment files named by a 32-digit hex id), leaving anything else, and the
/// lock files, in place. Used by a full rebuild.
pub fn remove_index_files(dir: &Path) -> Result<usize> {
    let mut removed = 0;
    let entries = std::fs::read_dir(dir).map_err(|e| io_err(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_err(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let segment = name.split_once('.').is_some_and(|(stem, _)| {
            stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if (name == "meta.json" || name == ".managed.json" || segment) && entry.path().is_file() {
            std::fs::remove_file(entry.path()).map_err(|e| io_err(&entry.path(), e))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Maps tantivy's lock error to [`CoreError::Locked`].
pub fn writer_error(err: TantivyError) -> CoreError {
    match err {
        TantivyError::LockFailure(..) => CoreError::Locked,
        other => CoreError::Tantivy(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_then_reopen() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(open(dir.path()), Err(CoreError::NoIndex(_))));
        let index = open_or_create(dir.path()).unwrap();
        drop(index);
        open(dir.path()).unwrap();
    }

    #[test]
    fn damaged_index_files_can_be_removed_and_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        open_or_create(dir.path()).unwrap();
        std::fs::write(dir.path().join("meta.json"), b"{ not json").unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"keep me").unwrap();
        assert!(remove_index_files(dir.path()).unwrap() >= 1);
        assert!(dir.path().join("notes.txt").exists());
        open_or_create(dir.path()).unwrap();
        open(dir.path()).unwrap();
    }

    #[test]
    fn corrupt_meta_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        open_or_create(dir.path()).unwrap();
        std::fs::write(dir.path().join("meta.json"), b"{ not json").unwrap();
        let err = open(dir.path()).unwrap_err();
        assert!(matches!(err, CoreError::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains("--full"), "{err}");
    }
}
