//! Honest skips: a test whose system tool or reference data is absent says so and passes on a
//! developer's machine, and fails under CI (`CI=true`), where everything must be present.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// True under CI (`CI=true` or `CI=1`), where a missing tool or data set is a failure.
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The one way a test gives up for want of something: prints `SKIPPED: <missing>` where the
/// test harness does not capture it, or panics with that message under CI.
///
/// `missing` names what is absent and how to get it (the Debian package, the folder).
pub fn skip(missing: &str) {
    assert!(!ci(), "required under CI: {missing}");
    // Straight to stderr, past the harness's capture, so the skip is seen even on success.
    let _ = writeln!(std::io::stderr(), "SKIPPED: {missing}");
}

/// True when `program` can be run; otherwise [`skip`]s, naming the Debian `package`.
pub fn require_tool(program: &str, package: &str) -> bool {
    let found = Command::new(program)
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        skip(&format!(
            "{program} not found: install the Debian package {package} to run this test"
        ));
    }
    found
}

/// The reference material beside the repository: `../shared`, or `PUBSEARCH_SHARED_DIR`.
pub fn shared_dir() -> PathBuf {
    std::env::var_os("PUBSEARCH_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| super::root().join("../shared"))
}

/// The folder `sub` of the shared reference material (e.g. `pdfs/files`), or `None` after
/// [`skip`]ping when it is absent (it is not part of a clone).
pub fn require_shared(sub: &str) -> Option<PathBuf> {
    let dir = shared_dir().join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    skip(&format!(
        "{} is absent: the shared reference material (`../shared/{sub}`, or set \
         PUBSEARCH_SHARED_DIR) is not part of a clone",
        dir.display()
    ));
    None
}
