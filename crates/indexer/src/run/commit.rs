//! The one commit of a run, and telling a full disk from other write failures.

use std::path::Path;

use pubsearch_core::schema;
use tantivy::IndexWriter;

use super::IndexError;

/// Commits what was written, with the schema payload, when anything was; returns whether a
/// commit was made. Waits for merges either way.
pub(super) fn commit(mut writer: IndexWriter, changed: bool) -> Result<bool, IndexError> {
    if changed {
        schema::commit(&mut writer)?;
    }
    writer.wait_merging_threads()?;
    Ok(changed)
}

/// How much a write probe writes to tell a full disk from other write failures.
const SPACE_PROBE_BYTES: usize = 1 << 20;

/// Whether writing [`SPACE_PROBE_BYTES`] into `dir` fails because the disk is full.
///
/// tantivy reports a segment write that ran out of space as "an index writer was killed" (the
/// I/O error stays in its indexing thread), so a failed write is followed by this probe.
pub(super) fn disk_is_full(dir: &Path) -> bool {
    use std::io::Write;
    let probe = dir.join(".pubsearch-space-probe");
    let result = std::fs::File::create(&probe).and_then(|mut f| {
        f.write_all(&vec![0u8; SPACE_PROBE_BYTES])?;
        f.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    matches!(result, Err(e) if e.kind() == std::io::ErrorKind::StorageFull)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_space_probe_leaves_nothing_and_only_reports_a_full_disk() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!disk_is_full(dir.path()));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        // A directory that does not exist is a different failure, not a full disk.
        assert!(!disk_is_full(&dir.path().join("missing")));
        // /dev/full answers every write with ENOSPC.
        if Path::new("/dev/full").exists() {
            use std::io::Write;
            let err = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .and_then(|mut f| f.write_all(&[0u8; 4096]).and_then(|()| f.flush()))
                .unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::StorageFull);
        }
    }

    #[test]
    fn commits_only_when_something_changed() {
        let dir = tempfile::tempdir().unwrap();
        let index = pubsearch_core::open::open_or_create(dir.path()).unwrap();
        let writer = index.writer(15_000_000).unwrap();
        assert!(!commit(writer, false).unwrap());
        assert!(index.load_metas().unwrap().payload.is_none());
        let writer = index.writer(15_000_000).unwrap();
        assert!(commit(writer, true).unwrap());
        assert_eq!(
            index.load_metas().unwrap().payload.as_deref(),
            Some(schema::commit_payload().as_str())
        );
    }
}
