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

/// How one page is read: resolution, packs and the limits of each program.
#[derive(Clone, Debug)]
pub struct PageJob<'a> {
    /// Rendering resolution, dots per inch.
    pub dpi: u32,
    /// The `-l` argument: `spa+eng`.
    pub packs: &'a str,
    /// Wall-clock limit for the page.
    pub limit: Duration,
    /// Address-space limit of each program, in bytes.
    pub memory_bytes: u64,
}

/// `program args...` run under `sh` with the address-space and CPU limits set first, so a page
/// that blows up costs that page alone.
fn limited(program: &str, memory_bytes: u64, cpu_secs: u64) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "ulimit -v {} && ulimit -t {} && exec \"$@\"",
            (memory_bytes >> 10).max(1),
            cpu_secs.max(1)
        ))
        .arg("sh")
        .arg(program);
    cmd
}

/// Recognises page `page` (1-based) of `pdf`.
pub fn recognise_page(pdf: &Path, page: u32, job: &PageJob) -> Result<Recognised, OcrError> {
    let n = page.to_string();
    let cpu = job.limit.as_secs() + 1;
    let mut render = limited("pdftoppm", job.memory_bytes, cpu)
        // Grey PGM: PNG's compression cost more CPU than the recognition (measured: 4.2 CPU-s
        // against 0.1 for a 1297x1668 page), and `-png` overrides `-gray`.
        .args(["-r", &job.dpi.to_string(), "-gray", "-f", &n, "-l", &n])
        .arg(pdf)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| OcrError::Spawn("pdftoppm", e.to_string()))?;
    let image = render.stdout.take().expect("piped stdout");
    let read = limited(PROGRAM, job.memory_bytes, cpu)
        .args(["stdin", "stdout", "-l", job.packs, "tsv"])
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
    let status = read.wait_timeout(job.limit).ok().flatten();
    let Some(status) = status else {
        let _ = read.kill();
        let _ = render.kill();
        let _ = read.wait();
        let _ = render.wait();
        return Err(OcrError::TimedOut(job.limit.as_secs()));
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

/// Resolution used when the page's images say nothing.
pub const DEFAULT_DPI: u32 = 300;

/// The resolution to render page `page` at: the native resolution of its largest image (a scan
/// rendered finer than it was scanned only costs time), raised until that image is at least
/// 1600 pixels on its long side (Tesseract needs letters some 20 pixels high), within 72 to
/// 400 dpi. [`DEFAULT_DPI`] when `pdfimages` (poppler-utils) lists no image.
pub fn resolution(pdf: &Path, page: u32) -> u32 {
    let n = page.to_string();
    let listed = Command::new("pdfimages")
        .args(["-list", "-f", &n, "-l", &n])
        .arg(pdf)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match listed {
        Ok(out) if out.status.success() => {
            resolution_of(&String::from_utf8_lossy(&out.stdout)).unwrap_or(DEFAULT_DPI)
        }
        _ => DEFAULT_DPI,
    }
}

fn resolution_of(list: &str) -> Option<u32> {
    // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
    let largest = list
        .lines()
        .filter_map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            if c.len() < 14 || c[2] != "image" {
                return None;
            }
            let (w, h) = (c[3].parse::<u32>().ok()?, c[4].parse::<u32>().ok()?);
            let ppi = c[12].parse::<u32>().ok()?.min(c[13].parse::<u32>().ok()?);
            Some((u64::from(w) * u64::from(h), w.max(h), ppi))
        })
        .max_by_key(|&(area, _, _)| area)?;
    let (_, long, ppi) = largest;
    if ppi == 0 || long == 0 {
        return None;
    }
    let dpi = if long < 1600 {
        (u64::from(ppi) * 1600).div_ceil(u64::from(long)) as u32
    } else {
        ppi
    };
    Some(dpi.clamp(72, 400))
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

    #[test]
    fn renders_at_the_scan_s_own_resolution_within_bounds() {
        let list = |rows: &[&str]| {
            let mut s = "page   num  type   width height color comp bpc  enc interp  object ID x-ppi y-ppi size ratio\n---\n".to_string();
            for r in rows {
                s.push_str(r);
                s.push('\n');
            }
            s
        };
        // A page-sized scan at 96 ppi, 1668 pixels high: rendered as scanned.
        let scan = "   1     0 image    1297  1668  gray    1   8  jpeg   no        13  0    96    96  284K  13%";
        assert_eq!(resolution_of(&list(&[scan])), Some(96));
        // A small 72 ppi scan is raised to 1600 pixels on its long side.
        let small = "   5     4 image     612   792  gray    1   8  image  no        42  0    72    72  146K  31%";
        assert_eq!(resolution_of(&list(&[small])), Some(146));
        // The largest image decides; a huge one is capped.
        let logo = "   1     1 image     100   100  rgb     3   8  image  no        43  0   600   600  1K  5%";
        let huge = "   2     1 image    9000  9000  rgb     3   8  image  no        36  0   1200  1200  440K 0.2%";
        assert_eq!(resolution_of(&list(&[logo, scan])), Some(96));
        assert_eq!(resolution_of(&list(&[huge])), Some(400));
        assert_eq!(resolution_of(&list(&[])), None);
        assert_eq!(resolution_of("garbage"), None);
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
        let job = PageJob {
            dpi: 200,
            packs: "eng",
            limit: Duration::from_secs(120),
            memory_bytes: 1 << 30,
        };
        let r = recognise_page(&pdf, 1, &job).unwrap();
        assert!(r.text.contains("handed out leaflets"), "{:?}", r.text);
        assert!(r.confidence.is_some_and(|c| c > 60.0), "{r:?}");
        let missing = recognise_page(&pdf, 9, &job);
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
