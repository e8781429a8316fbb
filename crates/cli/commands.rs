//! One function per sub-command.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use pubsearch_core::{CoreError, open};
use pubsearch_indexer::extract::ocr::{Ocr, OcrConfig, OcrMode};
use pubsearch_indexer::extract::{EngineChoice, Extractor, Isolation, Limits, worker};
use pubsearch_indexer::{IndexError, IndexerConfig, Progress, Report};
use pubsearch_query::http::page::format::plural;
use pubsearch_query::http::{self, AppState, ServerConfig, default_concurrent_searches};
use pubsearch_query::search::Snippet;
use pubsearch_query::{Mode, SearchRequest, SearchService};

use crate::cli::{
    Cli, Command, ExtractArgs, ExtractionOptions, IndexArgs, SearchArgs, ServeArgs, WorkerArgs,
};
use crate::progress::Bar;

/// Exit statuses.
pub mod exit {
    /// A fatal error.
    pub const ERROR: u8 = 1;
    /// The run finished and committed, but some files could not be indexed.
    pub const SOME_FAILED: u8 = 3;
    /// Another `pubsearch index` holds the index lock.
    pub const LOCKED: u8 = 4;
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Index(args) => index(&cli.index, &args, cli.quiet),
        Command::Serve(args) => serve(&cli.index, args),
        Command::Search(args) => search(&cli.index, &args),
        Command::Extract(args) => extract(&args),
        Command::Completions(args) => {
            let mut cmd = <crate::cli::Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut cmd, "pubsearch", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd)
                .render(&mut std::io::stdout())
                .context("writing the manual page")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::ExtractWorker(args) => Ok(ExitCode::from(extract_worker(&args))),
    }
}

pub fn extract_worker(args: &WorkerArgs) -> u8 {
    worker::worker_main(&args.job).clamp(0, 255) as u8
}

fn extractor(opts: &ExtractionOptions) -> Result<Extractor> {
    let engine = opts.engine.0;
    let program = std::env::current_exe()
        .context("cannot find the pubsearch executable to run extraction workers")?;
    Ok(Extractor {
        isolation: Isolation::Subprocess {
            program,
            args: vec!["extract-worker".into()],
        },
        engine,
        limits: Limits {
            memory_bytes: opts.worker_memory_mb << 20,
            cpu_secs: opts.worker_cpu_secs,
            wall: Duration::from_secs(opts.worker_timeout_secs),
            max_file_bytes: opts.max_file_mb << 20,
            max_pages: opts.max_pages,
        },
    })
}

/// The OCR settings of `opts` (`--engine ocr` forces OCR of every page), caching in `cache`.
fn ocr_config(opts: &ExtractionOptions, cache: Option<std::path::PathBuf>) -> OcrConfig {
    OcrConfig {
        mode: if opts.engine.0 == EngineChoice::Ocr {
            OcrMode::Always
        } else {
            opts.ocr.0
        },
        cache,
        page_limit: Duration::from_secs(opts.worker_timeout_secs),
        memory_bytes: opts.worker_memory_mb << 20,
    }
}

fn run_indexer(
    index: &std::path::Path,
    corpus: &std::path::Path,
    args: Option<&IndexArgs>,
    opts: &ExtractionOptions,
) -> Result<Result<Report, IndexError>> {
    let mut cfg = IndexerConfig::new(corpus, index);
    cfg.extractor = extractor(opts)?;
    cfg.ocr = ocr_config(opts, Some(pubsearch_indexer::run::ocr_cache(index)));
    if let Some(a) = args {
        cfg.full = a.full;
        cfg.dry_run = a.dry_run;
        if let Some(j) = a.jobs {
            cfg.jobs = j.max(1);
        }
    }
    if !cfg.dry_run && !pubsearch_indexer::extract::pdftotext::available() {
        tracing::warn!(
            "pdftotext not found (Debian package poppler-utils): pages pdf-extract cannot read will have no text"
        );
    }
    let bar = Bar::new();
    let started = std::time::Instant::now();
    let result = pubsearch_indexer::reindex(&cfg, &bar);
    bar.finish();
    if let Ok(report) = &result {
        tracing::info!("indexed in {:.1} s", started.elapsed().as_secs_f64());
        let _ = report;
    }
    Ok(result)
}

/// `pubsearch index`; with `quiet` (`-q`, "only errors") a run where every file went in prints
/// nothing, and a run with failures still prints its summary (the failures are errors).
fn index(index_dir: &std::path::Path, args: &IndexArgs, quiet: bool) -> Result<ExitCode> {
    let report = match run_indexer(index_dir, &args.corpus, Some(args), &args.extraction)? {
        Ok(report) => report,
        Err(IndexError::Core(CoreError::Locked)) => {
            eprintln!(
                "error: index is locked by another run (only one `pubsearch index` can write at a time)"
            );
            return Ok(ExitCode::from(exit::LOCKED));
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if quiet && report.all_ok() && !args.dry_run {
        // Nothing to say: every file went in.
    } else {
        for line in &report.plan {
            println!("{line}");
        }
        if args.dry_run {
            eprintln!("dry run: nothing was written; a real run would report:");
        }
        eprintln!("{}", report.summary());
    }
    Ok(if report.all_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(exit::SOME_FAILED)
    })
}

fn serve(index_dir: &std::path::Path, args: ServeArgs) -> Result<ExitCode> {
    if !open::exists(index_dir) {
        tracing::info!(
            "no index at {}: indexing {} first",
            index_dir.display(),
            args.corpus.display()
        );
        match run_indexer(index_dir, &args.corpus, None, &args.extraction)? {
            Ok(report) => eprintln!("{}", report.summary()),
            Err(e) => return Err(e.into()),
        }
    }
    let config = ServerConfig {
        cors_origins: args.cors_origins.clone(),
        admin_token: args.admin_token.clone(),
        search_timeout: Duration::from_millis(args.search_timeout_ms.max(1)),
        header_read_timeout: Duration::from_secs(args.header_read_timeout),
        max_concurrent_searches: args
            .max_searches
            .map_or_else(default_concurrent_searches, |n| n as usize),
        ..ServerConfig::new(args.corpus.clone())
    };
    let state = AppState::open(index_dir, config)
        .with_context(|| format!("opening the index at {}", index_dir.display()))?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let addr = listener.local_addr()?;
        // Said once, whatever the log level: scripts read the address from this line.
        eprintln!("pubsearch: serving on http://{addr}/");
        http::serve(listener, state, shutdown_signal()).await?;
        tracing::info!("stopped");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

fn search(index_dir: &std::path::Path, args: &SearchArgs) -> Result<ExitCode> {
    let service = SearchService::open(index_dir)
        .with_context(|| format!("opening the index at {}", index_dir.display()))?;
    let mut req = SearchRequest::new(args.query.clone());
    req.types = args.types.clone();
    req.topics = args.topics.clone();
    req.languages = args.languages.clone();
    req.year_from = args.year_from;
    req.year_to = args.year_to;
    req.date_from = args.date_from;
    req.date_to = args.date_to;
    req.sort = args.sort.into();
    req.per_page = args.limit.clamp(1, pubsearch_query::search::MAX_PER_PAGE);
    req.mode = if args.website {
        Mode::Website
    } else {
        Mode::Strict
    };
    let res = service.search(&req)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let body = http::json::SearchBody::from(res);
        writeln!(out, "{}", serde_json::to_string_pretty(&body)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} ({} ms)",
        plural(res.total, "publication", "publications"),
        res.took_ms
    )?;
    let r = &res.relaxation;
    if r.relaxed {
        writeln!(
            out,
            "few publications have every word: these have some of them"
        )?;
    } else if !r.not_required.is_empty() {
        writeln!(out, "not required: {}", r.not_required.join(" "))?;
    }
    if !r.left_out.is_empty() {
        writeln!(out, "left out of a long query: {}", r.left_out.join(" "))?;
    }
    for (i, hit) in res.hits.iter().enumerate() {
        let p = &hit.publication;
        let date = p
            .date
            .map_or_else(|| "undated".to_string(), |d| d.to_string());
        writeln!(
            out,
            "\n{}. {} ({date}, {})\n   {}",
            i + 1,
            p.title,
            p.pub_type,
            http::links::file_url(&p.id)
        )?;
        for p in &hit.pages {
            writeln!(out, "   p. {:>3}: {}", p.page, terminal_snippet(&p.snippet))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A snippet for a terminal: matches in «», whitespace collapsed.
fn terminal_snippet(snippet: &Snippet) -> String {
    let marked: String = snippet
        .pieces()
        .map(|(piece, is_match)| {
            if is_match {
                format!("«{piece}»")
            } else {
                piece.to_string()
            }
        })
        .collect();
    marked.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn extract(args: &ExtractArgs) -> Result<ExitCode> {
    let extractor = extractor(&args.extraction)?;
    let mut extraction = extractor
        .extract(&args.file)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let ocr = Ocr::new(ocr_config(&args.extraction, None));
    if ocr.mode() == OcrMode::Always
        && let Some(why) = ocr.why_not()
    {
        anyhow::bail!("--ocr always needs Tesseract: {why}");
    }
    let bar = Bar::new();
    let shown = args.file.display().to_string();
    let missing = ocr.complete(
        &args.file,
        None,
        &args.language,
        &mut extraction,
        &|done, of| bar.ocr_page(&shown, done, of),
    );
    bar.finish();
    for package in missing {
        eprintln!("note: an OCR language pack is not installed: Debian package {package}");
    }
    let mut out = std::io::stdout().lock();
    out.write_all(extraction.joined_text().as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()?;
    for p in &extraction.pages {
        let r = &p.report;
        eprintln!(
            "page {:>4}: {:<13} {:<11} {:>6} chars{}{}{}",
            r.page,
            r.status.as_str(),
            r.engine.as_str(),
            r.chars,
            match (r.confidence, r.low_confidence) {
                (Some(c), true) => format!(", confidence {c} (low: the text may contain errors)"),
                (Some(c), false) => format!(", confidence {c}"),
                (None, _) => String::new(),
            },
            match r.repeated_lines {
                0 => String::new(),
                n => format!(", {n} running header/footer lines left out"),
            },
            r.note
                .as_deref()
                .map(|n| format!("  ({n})"))
                .unwrap_or_default()
        );
    }
    let repeated: usize = extraction
        .pages
        .iter()
        .map(|p| p.report.repeated_lines)
        .sum();
    if repeated > 0 {
        eprintln!(
            "note: {repeated} running header and footer lines (repeated on most pages) are not \
             indexed"
        );
    }
    for note in &extraction.notes {
        eprintln!("note: {note}");
    }
    let unread: Vec<u32> = extraction
        .pages
        .iter()
        .filter(|p| p.report.lacks_text())
        .map(|p| p.report.page)
        .collect();
    if !unread.is_empty() {
        let why = ocr
            .why_not()
            .unwrap_or_else(|| "OCR could not read them".into());
        eprintln!(
            "note: {} without text (scanned): {why}",
            pubsearch_core::model::pages_phrase(&unread)
        );
    }
    if extraction.encrypted {
        eprintln!("note: encrypted, opened with the empty password");
    }
    Ok(ExitCode::SUCCESS)
}
