//! Running the chain in a child process with resource limits.
//!
//! The parent re-executes a program (the `pubsearch` binary with its hidden `extract-worker`
//! sub-command) with the job as JSON and a path to write the result to. The child lowers its
//! own address-space and CPU limits, runs [`super::extract_in_process`] and writes
//! `Result<Extraction, ExtractError>` as JSON. The parent enforces the wall-clock limit, and
//! turns a death by signal (abort, stack overflow, out of memory, CPU limit) into an error
//! for that file alone.

use std::ffi::OsString;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use wait_timeout::ChildExt;

use super::{EngineChoice, ExtractError, Extraction, Job, Limits, extract_in_process, pdftotext};

/// Where extraction runs.
#[derive(Clone, Debug)]
pub enum Isolation {
    /// In the calling process: a crash or hang takes the caller with it. For tests and tools.
    InProcess,
    /// In a child process: `program args... <job-json> <out-file>`.
    Subprocess {
        /// The program to run.
        program: PathBuf,
        /// Arguments before the job.
        args: Vec<OsString>,
    },
}

/// Extracts files according to an isolation mode, engine choice and limits.
#[derive(Clone, Debug)]
pub struct Extractor {
    /// Where extraction runs.
    pub isolation: Isolation,
    /// Engines to use.
    pub engine: EngineChoice,
    /// Limits per file.
    pub limits: Limits,
}

impl Extractor {
    /// Extracts one file.
    pub fn extract(&self, path: &Path) -> Result<Extraction, ExtractError> {
        let job = Job {
            path: path.to_path_buf(),
            engine: self.engine,
            limits: self.limits.clone(),
        };
        match &self.isolation {
            Isolation::InProcess => extract_in_process(&job),
            Isolation::Subprocess { program, args } => {
                let first = run_child(program, args, &job);
                match first {
                    Err(e @ (ExtractError::Crashed(_) | ExtractError::TimedOut(_)))
                        if self.engine == EngineChoice::Auto && pdftotext::available() =>
                    {
                        let retry = Job {
                            engine: EngineChoice::Pdftotext,
                            ..job
                        };
                        let mut extraction =
                            run_child(program, args, &retry).map_err(|_| e.clone())?;
                        extraction
                            .notes
                            .push(format!("pdf-extract: {e}; text from pdftotext"));
                        Ok(extraction)
                    }
                    other => other,
                }
            }
        }
    }
}

fn run_child(program: &Path, args: &[OsString], job: &Job) -> Result<Extraction, ExtractError> {
    let scratch = tempfile::Builder::new()
        .prefix("pubsearch-extract-")
        .tempdir()
        .map_err(|e| ExtractError::Spawn(e.to_string()))?;
    let out_path = scratch.path().join("result.json");
    let job_json = serde_json::to_string(job).map_err(|e| ExtractError::Spawn(e.to_string()))?;
    let mut child = Command::new(program)
        .args(args)
        .arg(&job_json)
        .arg(&out_path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| ExtractError::Spawn(format!("{}: {e}", program.display())))?;
    let mut stderr = child.stderr.take().expect("piped stderr");
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        let start = buf.len().saturating_sub(2048);
        String::from_utf8_lossy(&buf[start..]).into_owned()
    });
    let status = child
        .wait_timeout(job.limits.wall)
        .map_err(|e| ExtractError::Spawn(e.to_string()))?;
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        let _ = err_reader.join();
        return Err(ExtractError::TimedOut(job.limits.wall.as_secs()));
    };
    let stderr_tail = err_reader.join().unwrap_or_default();
    if !status.success() {
        return Err(ExtractError::Crashed(describe(
            status,
            &stderr_tail,
            &job.limits,
        )));
    }
    let text = std::fs::read(&out_path).map_err(|e| {
        ExtractError::Crashed(format!(
            "worker exited without a result ({e}): {}",
            stderr_tail.trim()
        ))
    })?;
    serde_json::from_slice::<Result<Extraction, ExtractError>>(&text)
        .map_err(|e| ExtractError::Crashed(format!("worker wrote an unreadable result: {e}")))?
}

fn describe(status: ExitStatus, stderr: &str, limits: &Limits) -> String {
    let hint = if stderr.contains("overflowed its stack") {
        " (stack overflow)".to_string()
    } else if stderr.contains("memory allocation") {
        format!(" (out of memory: limit {} MiB)", limits.memory_bytes >> 20)
    } else {
        String::new()
    };
    match status.signal() {
        Some(6) => format!("aborted{hint}"),
        Some(9) | Some(24) => format!("killed: CPU limit of {} s reached{hint}", limits.cpu_secs),
        Some(11) => format!("segmentation fault{hint}"),
        Some(sig) => format!("killed by signal {sig}{hint}"),
        None => format!(
            "exited with {status}{hint}: {}",
            stderr.lines().last().unwrap_or("").trim()
        ),
    }
}

/// The worker side: call this from the program named in [`Isolation::Subprocess`] with its
/// two arguments. Returns the process exit code.
pub fn worker_main(job_json: &str, out_path: &Path) -> i32 {
    let job: Job = match serde_json::from_str(job_json) {
        Ok(job) => job,
        Err(e) => {
            eprintln!("extract-worker: bad job: {e}");
            return 2;
        }
    };
    if let Err(e) = set_limits(&job.limits) {
        eprintln!("extract-worker: cannot set resource limits: {e}");
        return 2;
    }
    // Panics are caught per page and reported in the result; keep stderr for real crashes.
    std::panic::set_hook(Box::new(|_| {}));
    let result = extract_in_process(&job);
    let json = match serde_json::to_vec(&result) {
        Ok(json) => json,
        Err(e) => {
            eprintln!("extract-worker: cannot encode result: {e}");
            return 2;
        }
    };
    match std::fs::write(out_path, json) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("extract-worker: cannot write {}: {e}", out_path.display());
            2
        }
    }
}

fn set_limits(limits: &Limits) -> std::io::Result<()> {
    use rlimit::Resource;
    rlimit::setrlimit(Resource::AS, limits.memory_bytes, limits.memory_bytes)?;
    rlimit::setrlimit(Resource::CPU, limits.cpu_secs, limits.cpu_secs + 5)?;
    Ok(())
}
