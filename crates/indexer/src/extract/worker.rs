//! Running the chain in a child process with resource limits.
//!
//! The parent re-executes a program (the `pubsearch` binary with its hidden `extract-worker`
//! sub-command) with the job as JSON. The child lowers its own address-space and CPU limits,
//! runs [`super::extract_in_process`] and writes `Result<Extraction, ExtractError>` as JSON on
//! the last line of its standard output (nothing touches the file system, so a parent killed
//! mid-run leaves nothing behind; the child's write then fails and it exits). The parent
//! enforces the wall-clock limit, and turns a death by signal (abort, stack overflow, out of
//! memory, CPU limit) into an error for that file alone.

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
    /// In a child process: `program args... <job-json>`, answering on standard output.
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
            engine: self.engine.text_layer(),
            limits: self.limits.clone(),
        };
        match &self.isolation {
            Isolation::InProcess => extract_in_process(&job),
            Isolation::Subprocess { program, args } => {
                let first = run_child(program, args, &job);
                match first {
                    Err(e @ (ExtractError::Crashed(_) | ExtractError::TimedOut(_)))
                        if job.engine == EngineChoice::Auto && pdftotext::available() =>
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

/// Reads a child's pipe to the end on a thread, so neither pipe can fill up and stall the child.
fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    })
}

fn run_child(program: &Path, args: &[OsString], job: &Job) -> Result<Extraction, ExtractError> {
    let job_json = serde_json::to_string(job).map_err(|e| ExtractError::Spawn(e.to_string()))?;
    let mut child = Command::new(program)
        .args(args)
        .arg(&job_json)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| ExtractError::Spawn(format!("{}: {e}", program.display())))?;
    let out_reader = drain(child.stdout.take().expect("piped stdout"));
    let err_reader = drain(child.stderr.take().expect("piped stderr"));
    let status = child
        .wait_timeout(job.limits.wall)
        .map_err(|e| ExtractError::Spawn(e.to_string()))?;
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        let _ = out_reader.join();
        let _ = err_reader.join();
        return Err(ExtractError::TimedOut(job.limits.wall.as_secs()));
    };
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    let stderr_tail = String::from_utf8_lossy(&err[err.len().saturating_sub(2048)..]).into_owned();
    if !status.success() {
        return Err(ExtractError::Crashed(describe(
            status,
            &stderr_tail,
            &job.limits,
        )));
    }
    // The result is the last line: JSON has no raw newlines, and anything a library printed
    // comes before it.
    let start = out.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let result = &out[start..];
    if result.is_empty() {
        return Err(ExtractError::Crashed(format!(
            "worker exited without a result: {}",
            stderr_tail.trim()
        )));
    }
    serde_json::from_slice::<Result<Extraction, ExtractError>>(result)
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
/// argument, the job. Writes the result on standard output; returns the process exit code.
pub fn worker_main(job_json: &str) -> i32 {
    use std::io::Write;
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
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(b"\n")
        .and_then(|()| stdout.write_all(&json))
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("extract-worker: cannot write the result: {e}");
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `sh -c script result` as the worker (the job comes after, as `$1`).
    fn run_sh(script: &str, result: &str) -> Result<Extraction, ExtractError> {
        let job = Job {
            path: PathBuf::from("unused.pdf"),
            engine: EngineChoice::Auto,
            limits: Limits::default(),
        };
        let args: Vec<OsString> = vec!["-c".into(), script.into(), result.into()];
        run_child(Path::new("sh"), &args, &job)
    }

    #[test]
    fn the_answer_is_the_last_line_of_stdout() {
        let expected = Extraction {
            pages: Vec::new(),
            info: Default::default(),
            encrypted: false,
            notes: vec!["a note".into()],
            image_like: vec![3],
        };
        let json = serde_json::to_string(&Ok::<_, ExtractError>(expected.clone())).unwrap();
        // What a library might print first does not get in the way.
        let got = run_sh(r#"printf 'noise {"kind":"x"}\n\n%s' "$0""#, &json);
        assert_eq!(got, Ok(expected));
        let err = serde_json::to_string(&Err::<Extraction, _>(ExtractError::Encrypted)).unwrap();
        assert_eq!(
            run_sh(r#"printf '\n%s' "$0""#, &err),
            Err(ExtractError::Encrypted)
        );
    }

    #[test]
    fn no_answer_or_a_broken_one_is_a_crash_of_that_file() {
        for script in [
            "exit 0",
            "printf 'half a {'",
            "printf '\\n%s' \"$0\"; exit 7",
        ] {
            let got = run_sh(script, "{}");
            assert!(
                matches!(got, Err(ExtractError::Crashed(_))),
                "{script}: {got:?}"
            );
        }
    }
}
