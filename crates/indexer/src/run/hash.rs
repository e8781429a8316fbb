//! Hashing the files the stat comparison could not clear: their content decides what to do.

use std::path::Path;

use pubsearch_core::model::{FileStamp, FileState};

use crate::extract::ExtractError;
use crate::report::Failure;
use crate::scan::DiskFile;

/// A file over the size limit: not even hashed, but recorded by stat so it is not looked at
/// again until it changes.
#[derive(Debug)]
pub(super) struct TooLarge {
    /// Its path relative to the corpus.
    pub rel: String,
    /// Its stat, with empty hashes.
    pub state: FileState,
    /// Why it is not read.
    pub reason: String,
}

/// What hashing found.
#[derive(Debug, Default)]
pub(super) struct Hashing<'d> {
    /// Files with their full state, content hashes included.
    pub checked: Vec<(&'d DiskFile, FileState)>,
    /// Files that could not be read.
    pub unreadable: Vec<Failure>,
    /// Files over the size limit.
    pub too_large: Vec<TooLarge>,
}

fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(std::fs::File::open(path)?)?;
    Ok(hasher.finalize().to_hex().to_string())
}

fn stamp(size: u64, mtime_ns: i128, hash: String) -> FileStamp {
    FileStamp {
        size,
        mtime_ns,
        hash,
    }
}

/// The state of `file` with the BLAKE3 of its PDF and sidecar.
fn file_state(file: &DiskFile) -> std::io::Result<FileState> {
    let pdf = stamp(file.pdf.size, file.pdf.mtime_ns, hash_file(&file.abs)?);
    let sidecar = match &file.sidecar {
        Some((path, stat)) => Some(stamp(stat.size, stat.mtime_ns, hash_file(path)?)),
        None => None,
    };
    Ok(FileState { pdf, sidecar })
}

/// Hashes `files`, leaving out those larger than `max_file_bytes`.
pub(super) fn hash_all<'d>(
    files: impl IntoIterator<Item = &'d DiskFile>,
    max_file_bytes: u64,
) -> Hashing<'d> {
    let mut out = Hashing::default();
    for file in files {
        if file.pdf.size > max_file_bytes {
            let state = FileState {
                pdf: stamp(file.pdf.size, file.pdf.mtime_ns, String::new()),
                sidecar: file
                    .sidecar
                    .as_ref()
                    .map(|(_, s)| stamp(s.size, s.mtime_ns, String::new())),
            };
            let reason = ExtractError::TooLarge {
                size: file.pdf.size,
                limit: max_file_bytes,
            }
            .to_string();
            out.too_large.push(TooLarge {
                rel: file.rel.clone(),
                state,
                reason,
            });
            continue;
        }
        match file_state(file) {
            Ok(state) => out.checked.push((file, state)),
            Err(e) => out.unreadable.push(Failure {
                path: file.rel.clone(),
                reason: format!("cannot read: {e}"),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Stat;

    fn disk_file(dir: &Path, name: &str, content: &[u8], sidecar: Option<&[u8]>) -> DiskFile {
        let abs = dir.join(name);
        std::fs::write(&abs, content).unwrap();
        let sidecar = sidecar.map(|s| {
            let path = abs.with_extension("toml");
            std::fs::write(&path, s).unwrap();
            let stat = Stat::of(&path).unwrap();
            (path, stat)
        });
        DiskFile {
            rel: name.into(),
            pdf: Stat::of(&abs).unwrap(),
            abs,
            sidecar,
        }
    }

    #[test]
    fn hashes_pdf_and_sidecar_and_sets_aside_large_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = disk_file(dir.path(), "a.pdf", b"same", Some(b"x = 1"));
        let b = disk_file(dir.path(), "b.pdf", b"same", None);
        let big = disk_file(dir.path(), "big.pdf", &[0u8; 64], None);
        let gone = disk_file(dir.path(), "gone.pdf", b"x", None);
        std::fs::remove_file(&gone.abs).unwrap();
        let out = hash_all([&a, &b, &big, &gone], 10);

        assert_eq!(out.checked.len(), 2);
        let (_, sa) = &out.checked[0];
        let (_, sb) = &out.checked[1];
        assert_eq!(sa.pdf.hash, sb.pdf.hash);
        assert_eq!(sa.pdf.hash, blake3::hash(b"same").to_hex().to_string());
        assert_eq!(
            sa.sidecar.as_ref().unwrap().hash,
            blake3::hash(b"x = 1").to_hex().to_string()
        );
        assert!(sb.sidecar.is_none());

        assert_eq!(out.too_large.len(), 1);
        assert_eq!(out.too_large[0].rel, "big.pdf");
        assert_eq!(out.too_large[0].state.pdf.size, 64);
        assert!(out.too_large[0].state.pdf.hash.is_empty());
        assert!(
            out.too_large[0].reason.contains("over the limit"),
            "{:?}",
            out.too_large
        );

        assert_eq!(out.unreadable.len(), 1);
        assert_eq!(out.unreadable[0].path, "gone.pdf");
        assert!(out.unreadable[0].reason.starts_with("cannot read:"));
    }
}
