//! Finding the PDFs of a corpus and their sidecars, with sizes and modification times only
//! (no content is read here, so a no-op run stays fast).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

use crate::report::Failure;

/// Size and modification time of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
}

impl Stat {
    /// Reads the stat of `path` (following symlinks).
    pub fn of(path: &Path) -> std::io::Result<Stat> {
        let m = std::fs::metadata(path)?;
        let mtime_ns = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_nanos() as i128)
            .unwrap_or(0);
        Ok(Stat {
            size: m.len(),
            mtime_ns,
        })
    }
}

/// A PDF found on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskFile {
    /// Path relative to the corpus root, `/`-separated: the file's key in the index.
    pub rel: String,
    /// Absolute path.
    pub abs: PathBuf,
    /// The PDF's stat.
    pub pdf: Stat,
    /// The sidecar's path and stat, if there is one.
    pub sidecar: Option<(PathBuf, Stat)>,
}

/// What a walk of the corpus found.
#[derive(Debug, Default)]
pub struct Scan {
    /// The PDFs, by path relative to the corpus.
    pub files: BTreeMap<String, DiskFile>,
    /// Files found but not indexable, with the path as found (lossy) and the reason.
    pub skipped: Vec<Failure>,
    /// Sidecars (`*.toml`) with no PDF beside them, relative to the corpus: left behind when
    /// a PDF was removed or renamed.
    pub orphan_sidecars: Vec<String>,
}

/// Walks `root` for `*.pdf` (any case), skipping hidden entries and `exclude` (the index
/// directory, when it lies inside the corpus). Symlinks are followed only when they resolve
/// inside the corpus.
pub fn scan(root: &Path, exclude: Option<&Path>) -> std::io::Result<Scan> {
    let root_canon = root.canonicalize()?;
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    let mut files = BTreeMap::new();
    let mut skipped = Vec::new();
    let mut sidecars = std::collections::BTreeSet::new();
    let walker = WalkDir::new(&root_canon)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || (!e.file_name().to_string_lossy().starts_with('.')
                    && exclude.as_deref() != Some(e.path()))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                skipped.push(Failure {
                    path: e
                        .path()
                        .and_then(|p| p.strip_prefix(&root_canon).ok())
                        .map(|p| p.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    reason: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        let is_pdf = entry
            .path()
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("pdf"));
        if !is_pdf {
            let is_sidecar = entry
                .path()
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("toml"));
            if is_sidecar && entry.file_type().is_file() {
                sidecars.insert(entry.path().to_path_buf());
            }
            continue;
        }
        let rel_path = entry
            .path()
            .strip_prefix(&root_canon)
            .unwrap_or(entry.path());
        // On Unix `/` is the only separator: a `\` is part of a file name and stays as it is.
        let lossy = rel_path.to_string_lossy().into_owned();
        let Some(rel) = rel_path.to_str().map(str::to_string) else {
            skipped.push(Failure {
                path: lossy,
                reason: "file name is not valid UTF-8; rename it".into(),
            });
            continue;
        };
        if entry.path_is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&root_canon) && target.is_file() => {}
                Ok(_) => {
                    skipped.push(Failure {
                        path: rel,
                        reason: "symlink points outside the corpus".into(),
                    });
                    continue;
                }
                Err(e) => {
                    skipped.push(Failure {
                        path: rel,
                        reason: format!("broken symlink: {e}"),
                    });
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let pdf = match Stat::of(entry.path()) {
            Ok(s) => s,
            Err(e) => {
                skipped.push(Failure {
                    path: rel,
                    reason: format!("cannot stat: {e}"),
                });
                continue;
            }
        };
        let sidecar_path = entry.path().with_extension("toml");
        let sidecar = Stat::of(&sidecar_path).ok().map(|s| (sidecar_path, s));
        files.insert(
            rel.clone(),
            DiskFile {
                rel,
                abs: entry.path().to_path_buf(),
                pdf,
                sidecar,
            },
        );
    }
    // A sidecar is read beside its PDF only: the ones left have none.
    let beside_a_pdf: std::collections::BTreeSet<PathBuf> = files
        .values()
        .map(|f: &DiskFile| f.abs.with_extension("toml"))
        .collect();
    let orphan_sidecars = sidecars
        .iter()
        .filter(|p| !beside_a_pdf.contains(*p))
        .filter_map(|p| p.strip_prefix(&root_canon).ok())
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    Ok(Scan {
        files,
        skipped,
        orphan_sidecars,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_pdfs_and_sidecars_and_skips_hidden_and_outside_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::create_dir_all(root.join(".trash")).unwrap();
        std::fs::write(root.join("a.pdf"), b"x").unwrap();
        std::fs::write(root.join("a.toml"), b"y").unwrap();
        std::fs::write(root.join("sub/B.PDF"), b"x").unwrap();
        std::fs::write(root.join(".trash/c.pdf"), b"x").unwrap();
        std::fs::write(root.join("notes.txt"), b"x").unwrap();
        // Left behind by a removed PDF; and one beside a PDF in a subfolder.
        std::fs::write(root.join("gone.toml"), b"y").unwrap();
        std::fs::write(root.join("sub/B.toml"), b"y").unwrap();
        std::fs::write(root.join(".trash/c.toml"), b"y").unwrap();
        std::fs::write(dir.path().join("secret.pdf"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.pdf"), root.join("link.pdf")).unwrap();
        std::os::unix::fs::symlink(root.join("a.pdf"), root.join("inside.pdf")).unwrap();
        let Scan {
            files,
            skipped,
            orphan_sidecars,
        } = scan(&root, None).unwrap();
        let keys: Vec<_> = files.keys().cloned().collect();
        assert_eq!(keys, vec!["a.pdf", "inside.pdf", "sub/B.PDF"]);
        assert!(files["a.pdf"].sidecar.is_some());
        assert!(files["sub/B.PDF"].sidecar.is_some());
        assert_eq!(orphan_sidecars, vec!["gone.toml"]);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].path, "link.pdf");
        assert!(skipped[0].reason.contains("outside"));
    }
}
