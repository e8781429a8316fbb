//! Running `pdftoppm -f N -l N ... | tesseract stdin stdout -l PACKS tsv` for one page: no
//! temporary file, `OMP_THREAD_LIMIT=1` so parallel jobs do not fight over the cores, and a
//! wall-clock limit after which both programs are killed (the page is lost, nothing else).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

use super::tsv::{self, Recognised};

/// The Tesseract program looked up on `PATH`.
pub const PROGRAM: &str = "tesseract";

/// Why a page could not be recognised.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OcrError {
    /// A program could not be started.
    #[error("cannot run {0}: {1}")]
    Spawn(&'static str, String),
    /// The page took longer than the limit; both programs were stopped.
    #[error("OCR timed out after {0} s and was stopped")]
    TimedOut(u64),
    /// A program failed.
    #[error("{0} failed: {1}")]
    Failed(&'static str, String),
}

/// Tesseract's version (`5.3.0`), or `None` when it is not installed.
pub fn version() -> Option<String> {
    let out = Command::new(PROGRAM).arg("--version").output().ok()?;
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    parse_version(&text)
}

fn parse_version(text: &str) -> Option<String> {
    let first = text.lines().next()?;
    first
        .strip_prefix("tesseract ")
        .map(|v| v.trim().to_string())
}

/// The installed language packs (`tesseract --list-langs`).
pub fn installed_packs() -> Vec<String> {
    Command::new(PROGRAM)
        .arg("--list-langs")
        .output()
        .map(|o| parse_list_langs(&String::from_utf8_lossy(&o.stdout)))
        .unwrap_or_default()
}

fn parse_list_langs(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| !l.starts_with("List of available languages"))
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Recognises page `page` (1-based) of `pdf` at `dpi` with `packs` (`spa+eng`).
pub fn recognise_page(
    pdf: &Path,
    page: u32,
    dpi: u32,
    packs: &str,
    limit: Duration,
) -> Result<Recognised, OcrError> {
    let n = page.to_string();
    let mut render = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-png", "-f", &n, "-l", &n])
        .arg(pdf)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| OcrError::Spawn("pdftoppm", e.to_string()))?;
    let image = render.stdout.take().expect("piped stdout");
    let read = Command::new(PROGRAM)
        .args(["stdin", "stdout", "-l", packs, "tsv"])
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::from(image))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut read = match read {
        Ok(child) => child,
        Err(e) => {
            let _ = render.kill();
            let _ = render.wait();
            return Err(OcrError::Spawn(PROGRAM, e.to_string()));
        }
    };
    let mut out = read.stdout.take().expect("piped stdout");
    let mut err = read.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = String::new();
        let _ = out.read_to_string(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = String::new();
        let _ = err.read_to_string(&mut buf);
        buf
    });
    let status = read.wait_timeout(limit).ok().flatten();
    let Some(status) = status else {
        let _ = read.kill();
        let _ = render.kill();
        let _ = read.wait();
        let _ = render.wait();
        return Err(OcrError::TimedOut(limit.as_secs()));
    };
    let rendered = render
        .wait()
        .map_err(|e| OcrError::Failed("pdftoppm", e.to_string()))?;
    let tsv = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if !rendered.success() {
        return Err(OcrError::Failed(
            "pdftoppm",
            format!("{rendered} on page {page}"),
        ));
    }
    if !status.success() {
        let line = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(OcrError::Failed(PROGRAM, format!("{status}: {line}")));
    }
    Ok(tsv::parse(&tsv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_version_and_the_pack_list() {
        assert_eq!(
            parse_version("tesseract 5.3.0\n leptonica-1.82.0\n").as_deref(),
            Some("5.3.0")
        );
        assert_eq!(parse_version("something else"), None);
        let list = "List of available languages in \"/usr/share/tessdata/\" (3):\neng\nosd\nspa\n";
        assert_eq!(parse_list_langs(list), ["eng", "osd", "spa"]);
    }

    /// The real programs on a page drawn from known text (skips without them).
    #[test]
    fn recognises_a_rendered_page() {
        if version().is_none() || Command::new("pdftoppm").arg("-v").output().is_err() {
            eprintln!("SKIPPED: install the Debian packages tesseract-ocr and poppler-utils");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("a.pdf");
        let text = "Volunteers from Yarrowmead handed out leaflets at the market";
        std::fs::write(&pdf, crate::extract::fixtures::pdf(&[text])).unwrap();
        let r = recognise_page(&pdf, 1, 200, "eng", Duration::from_secs(120)).unwrap();
        assert!(r.text.contains("handed out leaflets"), "{:?}", r.text);
        assert!(r.confidence.is_some_and(|c| c > 60.0), "{r:?}");
        let missing = recognise_page(&pdf, 9, 200, "eng", Duration::from_secs(120));
        assert!(
            matches!(missing, Err(OcrError::Failed("pdftoppm", _))),
            "{missing:?}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no file left behind"
        );
    }
}
