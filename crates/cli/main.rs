//! `pubsearch`: index a library of PDFs and serve faceted, page-true search over HTTP.
//!
//! This binary is the command-line definition plus glue: the work is done by the
//! `pubsearch-indexer` and `pubsearch-query` crates.

mod cli;
mod commands;
mod logging;
mod progress;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // The extraction worker writes nothing but its result on stdout: no logging set-up.
    if let cli::Command::ExtractWorker(args) = &cli.command {
        return ExitCode::from(commands::extract_worker(args));
    }
    logging::init(cli.verbose, cli.quiet, cli.log_format);
    match commands::run(cli) {
        Ok(code) => code,
        // `pubsearch search ... | head`: the reader has what it wanted; stop quietly.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(commands::exit::ERROR)
        }
    }
}

/// Whether `err` comes from writing to a pipe whose reader has gone.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
