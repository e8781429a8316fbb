//! Disk full during a commit, on a small tmpfs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use pubsearch_query::SearchService;

use super::run::{copy_slice, index_bounded, search_bounded};
use super::snapshot::{Snapshot, dir_size, snapshot};
use crate::common::report::stderr_of;
use crate::common::{self, run_index};

/// A tmpfs mounted for the test; unmounted on drop, whatever happened.
struct TmpfsMount(PathBuf);

impl TmpfsMount {
    fn mount(dir: &Path, size_kb: u64) -> Result<TmpfsMount, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_kb}k"), "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if out.status.success() {
            Ok(TmpfsMount(dir.to_path_buf()))
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    }

    fn resize(&self, size_kb: u64) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,size={size_kb}k")])
            .arg(&self.0)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
}

impl Drop for TmpfsMount {
    fn drop(&mut self) {
        // A reader still mapping index files keeps the mount busy: detach it lazily then.
        let done = Command::new("umount")
            .arg(&self.0)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !done {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

/// Indexes one publication on a tmpfs with little room left, then runs `index --full` over the
/// whole sample corpus, which cannot fit. Returns the mount (still mounted), the index, the
/// corpus, the snapshot before, and the failed run's output; `None` (after saying why) when a
/// tmpfs cannot be mounted here.
fn fill_the_disk(dir: &Path) -> Option<(TmpfsMount, PathBuf, PathBuf, Snapshot, Output)> {
    let corpus = dir.join("corpus");
    copy_slice(&corpus, &["2018-05-hostile-environment-briefing"]);
    // Measure the first index on an ordinary disk, then give the tmpfs a little more than that.
    let probe = dir.join("probe");
    let out = run_index(&probe, &corpus, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let size_kb = dir_size(&probe) / 1024 + 256;
    let mount_dir = dir.join("mnt");
    let mount = match TmpfsMount::mount(&mount_dir, size_kb) {
        Ok(m) => m,
        Err(e) => {
            common::skip(&format!(
                "cannot mount a tmpfs ({e}): run the tests as root (the Debian package mount), \
                 or scripts/disk_full.sh as root instead"
            ));
            return None;
        }
    };
    let index = mount_dir.join("index");
    let out = run_index(&index, &corpus, &["--json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let before = snapshot(&index);
    assert_eq!(before.0.len(), 1);
    // The whole sample corpus does not fit in what is left.
    common::copy_corpus(&corpus);
    let out = index_bounded(&index, &corpus, &["--full"], Duration::from_secs(180));
    eprintln!(
        "disk-full run ({size_kb} KiB tmpfs): {:?}\n{}",
        out.status,
        stderr_of(&out)
    );
    Some((mount, index, corpus, before, out))
}

/// The index lives on a small tmpfs: a reindex that cannot fit fails with a non-zero exit and
/// an error saying the previous version is intact; the previous commit is intact and
/// searchable; once there is room the next run completes.
#[test]
fn disk_full_during_a_commit_keeps_the_previous_commit() {
    let dir = tempfile::tempdir().unwrap();
    let Some((mount, index, corpus, before, out)) = fill_the_disk(dir.path()) else {
        return;
    };
    let err = stderr_of(&out);
    assert!(
        !out.status.success(),
        "the run claims success on a full disk"
    );
    assert!(
        out.status.code().is_some() && !err.contains("panicked at"),
        "the indexer crashed instead of failing cleanly: {err}"
    );
    assert!(
        err.contains("previous version is intact"),
        "the error does not say the previous commit is kept: {err}"
    );
    // The previous commit is intact and searchable.
    assert_eq!(snapshot(&index), before);
    let search = search_bounded(&index, "Hasselgrove", Duration::from_secs(60));
    assert!(search.status.success(), "{}", stderr_of(&search));
    assert!(String::from_utf8_lossy(&search.stdout).starts_with("1 publication "));

    // With room again, the next run completes.
    mount.resize(64 * 1024);
    let out = run_index(&index, &corpus, &["--json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let publications = SearchService::open(&index)
        .unwrap()
        .stats()
        .unwrap()
        .publications;
    assert_eq!(publications, 20);
    drop(mount);
}

/// The error of a run that fills the disk says so.
#[test]
fn disk_full_error_names_the_full_disk() {
    let dir = tempfile::tempdir().unwrap();
    let Some((_mount, _index, _corpus, _before, out)) = fill_the_disk(dir.path()) else {
        return;
    };
    let err = stderr_of(&out);
    assert!(
        err.contains("No space left on device") || err.contains("disk is full"),
        "the error does not say the disk is full: {err}"
    );
}
