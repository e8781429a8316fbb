//! The command line: `pubsearch extract` and `pubsearch search`.

use crate::common::{self, known, run_index};

#[test]
fn extract_prints_what_would_be_indexed() {
    let pdf = common::root().join("corpus/2009-12-strangers-or-citizens.pdf");
    let out = std::process::Command::new(common::bin())
        .arg("extract")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let facts = known();
    let pages = facts["publications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "2009-12-strangers-or-citizens")
        .unwrap()["pages"]
        .as_u64()
        .unwrap();
    let parts: Vec<&str> = text.trim_end().split('\u{c}').collect();
    assert_eq!(parts.len() as u64, pages);
    assert!(
        parts[26].contains("Okerundu"),
        "page 27 has the planted phrase"
    );
    let summary = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        summary.lines().filter(|l| l.starts_with("page")).count() as u64,
        pages
    );
}

#[test]
fn cli_search_prints_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let out = run_index(&index, &common::root().join("corpus"), &[]);
    assert!(out.status.success());
    let out = std::process::Command::new(common::bin())
        .arg("--index")
        .arg(&index)
        .args(["search", "\"Councillor Okerundu\""])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("1 publication ("), "{text}");
    assert!(text.contains("p.  27: "), "{text}");
    assert!(text.contains("«Okerundu»"), "{text}");

    // The README's example search shows what it is there to show: the phrase finds several
    // publications, and the exclusion leaves some of them out.
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let example = readme
        .split("-- search '")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the README has an example search");
    let found = |q: &str| -> u64 {
        let out = std::process::Command::new(common::bin())
            .arg("--index")
            .arg(&index)
            .args(["search", q])
            .output()
            .unwrap();
        assert!(out.status.success(), "{q}");
        let text = String::from_utf8_lossy(&out.stdout);
        text.split_whitespace().next().unwrap().parse().unwrap()
    };
    let (phrase, _) = example
        .split_once(" -")
        .expect("an exclusion in the example");
    let with_exclusion = found(example);
    assert!(with_exclusion > 0, "{example} finds nothing");
    assert!(
        with_exclusion < found(phrase),
        "the exclusion in {example} leaves nothing out"
    );
}

#[test]
fn completions_and_the_manual_come_from_the_same_definitions() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(common::bin())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // Bash reads the script without a syntax error, and it offers the commands and options.
    let script = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pubsearch.bash");
    std::fs::write(&file, &script).unwrap();
    let checked = std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    for word in ["search", "serve", "index", "--date-from", "--website"] {
        assert!(
            script.contains(word),
            "{word} missing from the bash completions"
        );
    }
    for shell in ["zsh", "fish"] {
        assert!(
            run(&["completions", shell]).contains("date-from"),
            "{shell}"
        );
    }
    // The manual page is roff with its title, name, synopsis and every command.
    let roff = run(&["man"]);
    assert!(roff.contains(".TH pubsearch 1"), "{roff}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH SUBCOMMANDS"] {
        assert!(roff.contains(section), "{section} missing from:\n{roff}");
    }
    for command in [
        "pubsearch\\-index",
        "pubsearch\\-serve",
        "pubsearch\\-search",
    ] {
        assert!(roff.contains(command), "{command} missing from:\n{roff}");
    }
}

#[test]
fn search_into_a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    assert!(
        run_index(&index, &common::root().join("corpus"), &[])
            .status
            .success()
    );
    // As `pubsearch search ... | head -0`: the reader is gone before the answer is written
    // (the answer, 100 publications as JSON, is larger than a pipe's buffer).
    let mut child = std::process::Command::new(common::bin())
        .arg("--index")
        .arg(&index)
        .args(["search", "", "--json", "-n", "100"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.to_lowercase().contains("broken pipe"), "{stderr}");
}

#[test]
fn json_logs_are_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(common::bin())
        .arg("--index")
        .arg(dir.path().join("index"))
        .args(["index", "--corpus"])
        .arg(common::root().join("corpus"))
        .env("PUBSEARCH_LOG_FORMAT", "json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let logs: Vec<serde_json::Value> = stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(!logs.is_empty(), "{stderr}");
    for log in &logs {
        assert!(
            log["timestamp"].is_string() && log["level"].is_string(),
            "{log}"
        );
        assert!(log["fields"]["message"].is_string(), "{log}");
    }
    // No text log line and no colour codes besides.
    assert!(
        !stderr.contains(" INFO ") && !stderr.contains('\u{1b}'),
        "{stderr}"
    );
    // The summary is the command's output, not a log line: it is still there.
    assert!(stderr.contains("added 20"), "{stderr}");
}

#[test]
fn quiet_index_says_nothing_when_every_file_went_in() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        std::process::Command::new(common::bin())
            .arg("--index")
            .arg(dir.path().join("index"))
            .args(extra)
            .args(["index", "--corpus"])
            .arg(common::root().join("corpus"))
            .output()
            .unwrap()
    };
    let out = run(&["-q"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    // Without -q the (unchanged) run reports.
    let out = run(&[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unchanged 20"));
}
