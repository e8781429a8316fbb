//! What `pubsearch serve` says on stderr: where it listens, once, and each index commit it
//! loads, once.

use std::time::Duration;

use crate::common::{self, Server, run_index};

const STEMS: [&str; 3] = [
    "2005-06-registering-with-a-gp",
    "2018-05-hostile-environment-briefing",
    "2024-05-your-vote-counts",
];

#[test]
fn serve_says_where_it_listens_once_and_logs_each_reload_once() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    let source = common::root().join("corpus");
    for stem in STEMS {
        for ext in ["pdf", "toml"] {
            let name = format!("{stem}.{ext}");
            std::fs::copy(source.join(&name), corpus.join(&name)).unwrap();
        }
    }
    let out = run_index(&index, &corpus, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = Server::start_with_env(&index, &corpus, &[], &[("RUST_LOG", "info")]);
    let loaded = |s: &Server| {
        s.stderr_lines()
            .into_iter()
            .filter(|l| l.contains("loaded a new index commit"))
            .collect::<Vec<_>>()
    };
    // Two commits, one after the other, each picked up by the running server.
    for (n, stem) in STEMS[1..].iter().enumerate() {
        std::fs::remove_file(corpus.join(format!("{stem}.pdf"))).unwrap();
        let out = run_index(&index, &corpus, &[]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            common::wait_until(Duration::from_secs(20), || loaded(&server).len() > n),
            "no reload logged for commit {}:\n{}",
            n + 1,
            server.stderr_lines().join("\n")
        );
        let publications = STEMS.len() - 1 - n;
        assert!(
            loaded(&server)[n].contains(&format!("publications={publications}")),
            "{:?}",
            loaded(&server)
        );
    }
    // Lines arrive in order: whatever was said before the second reload has been read.
    let lines = server.stderr_lines();
    assert_eq!(loaded(&server).len(), 2, "{lines:#?}");
    assert_eq!(
        lines.iter().filter(|l| l.contains("serving on")).count(),
        1,
        "{lines:#?}"
    );
}
