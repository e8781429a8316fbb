//! Command-line definition (clap derive). Every option can also come from a `PUBSEARCH_*`
//! environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "pubsearch",
    version,
    about = "Full-text search for a library of PDF publications"
)]
pub struct Cli {
    /// Index directory.
    #[arg(long, env = "PUBSEARCH_INDEX", default_value = "index", global = true)]
    pub index: PathBuf,
    /// More log output (-v, -vv).
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Index new and changed PDFs of the corpus, drop removed ones (one atomic commit).
    Index(IndexArgs),
    /// Serve the search API and page (indexes the corpus first if the index is empty).
    Serve(ServeArgs),
    /// Search the index from the terminal.
    Search(SearchArgs),
    /// Print a PDF's text exactly as the indexer would index it (pages separated by form feeds).
    Extract(ExtractArgs),
    /// Internal: extract one file in an isolated process.
    #[command(name = "extract-worker", hide = true)]
    ExtractWorker(WorkerArgs),
}

#[derive(Args, Debug, Clone)]
pub struct ExtractionOptions {
    /// Extraction engines: auto (pdf-extract, pdftotext for bad pages), pdf-extract, pdftotext.
    #[arg(long, env = "PUBSEARCH_ENGINE", default_value = "auto")]
    pub engine: String,
    /// Memory limit per extraction worker, in MiB.
    #[arg(long, env = "PUBSEARCH_WORKER_MEMORY_MB", default_value_t = 1024)]
    pub worker_memory_mb: u64,
    /// CPU-time limit per file, in seconds.
    #[arg(long, env = "PUBSEARCH_WORKER_CPU_SECS", default_value_t = 60)]
    pub worker_cpu_secs: u64,
    /// Wall-clock limit per file, in seconds.
    #[arg(long, env = "PUBSEARCH_WORKER_TIMEOUT_SECS", default_value_t = 120)]
    pub worker_timeout_secs: u64,
    /// Largest PDF read, in MiB.
    #[arg(long, env = "PUBSEARCH_MAX_FILE_MB", default_value_t = 512)]
    pub max_file_mb: u64,
    /// Most pages read from one PDF.
    #[arg(long, env = "PUBSEARCH_MAX_PAGES", default_value_t = 5000)]
    pub max_pages: usize,
}

#[derive(Args, Debug)]
pub struct IndexArgs {
    /// Corpus directory: PDFs with optional `<stem>.toml` sidecars.
    #[arg(long, env = "PUBSEARCH_CORPUS", default_value = "corpus")]
    pub corpus: PathBuf,
    /// Rebuild everything (still one atomic commit).
    #[arg(long)]
    pub full: bool,
    /// Print what would be done, change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Files extracted in parallel (default: one per core).
    #[arg(long, short, env = "PUBSEARCH_JOBS")]
    pub jobs: Option<usize>,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub extraction: ExtractionOptions,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Corpus directory (PDFs are served from here; indexed first if the index is empty).
    #[arg(long, env = "PUBSEARCH_CORPUS", default_value = "corpus")]
    pub corpus: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "PUBSEARCH_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Origins allowed to use the API from browsers (CORS), comma-separated.
    #[arg(long, env = "PUBSEARCH_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Token for admin routes (`Authorization: Bearer <token>`); admin routes are off without it.
    #[arg(long, env = "PUBSEARCH_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Deadline for one search, in milliseconds.
    #[arg(long, env = "PUBSEARCH_SEARCH_TIMEOUT_MS", default_value_t = 5000)]
    pub search_timeout_ms: u64,
    /// Seconds a client may take to send a request's headers before it is cut off.
    #[arg(
        long,
        env = "PUBSEARCH_HEADER_READ_TIMEOUT",
        value_name = "SECS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub header_read_timeout: u64,
    #[command(flatten)]
    pub extraction: ExtractionOptions,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// The query (strict syntax: words, "phrases", -word, OR, title:, summary:).
    pub query: String,
    /// Keep only this type (repeatable).
    #[arg(long = "type")]
    pub types: Vec<String>,
    /// Keep only this topic (repeatable).
    #[arg(long = "topic")]
    pub topics: Vec<String>,
    /// First year.
    #[arg(long)]
    pub year_from: Option<u64>,
    /// Last year.
    #[arg(long)]
    pub year_to: Option<u64>,
    /// relevance, date_desc or date_asc.
    #[arg(long, default_value = "relevance")]
    pub sort: String,
    /// Number of publications shown.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Website mode: typo tolerance and prefix matching.
    #[arg(long)]
    pub website: bool,
    /// Print the JSON response instead.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// The PDF.
    pub file: PathBuf,
    #[command(flatten)]
    pub extraction: ExtractionOptions,
}

#[derive(Args, Debug)]
pub struct WorkerArgs {
    /// The job, as JSON.
    pub job: String,
}
