//! Command-line definition (clap derive). Every option can also come from a `PUBSEARCH_*`
//! environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use pubsearch_core::analysis::Lang;
use pubsearch_core::model::PubType;
use pubsearch_indexer::extract::EngineChoice;
use pubsearch_indexer::extract::ocr::OcrMode;
use pubsearch_query::Sort;

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
    /// Log lines as text, or as one JSON object per line (for a log collector).
    #[arg(long, env = "PUBSEARCH_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// `2026-12-03T17:40:00Z  INFO message key=value`.
    Text,
    /// `{"timestamp":…,"level":"INFO","fields":{"message":…},…}`.
    Json,
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
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell), e.g.
    /// `pubsearch completions bash > ~/.local/share/bash-completion/completions/pubsearch`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), made from the same definitions as --help:
    /// `pubsearch man | man -l -`.
    Man,
    /// Internal: extract one file in an isolated process.
    #[command(name = "extract-worker", hide = true)]
    ExtractWorker(WorkerArgs),
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug, Clone)]
pub struct ExtractionOptions {
    /// Extraction engines: auto (pdf-extract, pdftotext for bad pages), pdf-extract, pdftotext,
    /// ocr (every page recognised by OCR, as with `--ocr always`).
    #[arg(long, env = "PUBSEARCH_ENGINE", default_value = "auto")]
    pub engine: EngineArg,
    /// OCR of scanned pages with Tesseract: auto (pages without a text layer, when Tesseract is
    /// installed), never, always (every page; Tesseract required).
    #[arg(long, env = "PUBSEARCH_OCR", default_value = "auto")]
    pub ocr: OcrArg,
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
    /// Searches run at once; a search that finds every slot taken for 100 ms gets 503 `busy`.
    /// Default: four per core.
    #[arg(
        long,
        env = "PUBSEARCH_MAX_SEARCHES",
        value_name = "N",
        value_parser = clap::value_parser!(u64).range(1..4096)
    )]
    pub max_searches: Option<u64>,
    #[command(flatten)]
    pub extraction: ExtractionOptions,
}

/// The strict query syntax, shown by `pubsearch search --help` (the README's query table says
/// the same).
const QUERY_SYNTAX: &str = "Query syntax (strict mode; --website reads the same words forgivingly):
  water sanitation         both words (AND is implied and may be written)
  \"skill wastage\"          the exact phrase
  water OR sanitation      either word; parentheses group: (gp OR doctor) access
  -nurses, NOT nurses      without the word
  title:guide              in one field: title, summary, topic, author, text
  title:(health OR gp)     a group inside one field
  heal*                    words starting with heal (the 24 most frequent in the library)
  \"mental services\"~3      the words within 3 moves of the phrase, on one page
  doctors NEAR/5 refugee   both within 5 words, either order, on one page (NEAR alone: 10)
Not supported, and refused with a message: word~2, wom?n, term^2, [a TO b].";

#[derive(Args, Debug)]
#[command(after_help = QUERY_SYNTAX)]
pub struct SearchArgs {
    /// The query (strict syntax: see below).
    pub query: String,
    /// Keep only this type (repeatable): report, newsletter, guide, educational-resource,
    /// book-chapter, briefing, other.
    #[arg(long = "type")]
    pub types: Vec<PubType>,
    /// Keep only this topic (repeatable).
    #[arg(long = "topic")]
    pub topics: Vec<String>,
    /// Keep only this language, an ISO 639-1 code such as es or pt (repeatable); the query is
    /// then analysed as that language.
    #[arg(long = "language", value_parser = parse_language)]
    pub languages: Vec<Lang>,
    /// First year.
    #[arg(long)]
    pub year_from: Option<u64>,
    /// Last year.
    #[arg(long)]
    pub year_to: Option<u64>,
    /// First day: YYYY, YYYY-MM or YYYY-MM-DD (a year or month from its first day).
    #[arg(long, value_name = "DATE", value_parser = date_from)]
    pub date_from: Option<time::Date>,
    /// Last day: YYYY, YYYY-MM or YYYY-MM-DD (a year or month to its last day).
    #[arg(long, value_name = "DATE", value_parser = date_to)]
    pub date_to: Option<time::Date>,
    /// Result order.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
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
    /// Language of the publication for OCR (ISO 639-1 codes, comma-separated), as a sidecar's
    /// `language`.
    #[arg(long, default_value = "en")]
    pub language: String,
    #[command(flatten)]
    pub extraction: ExtractionOptions,
}

#[derive(Args, Debug)]
pub struct WorkerArgs {
    /// The job, as JSON.
    pub job: String,
}

/// `--engine`: the indexer's engine choices, named by their own `as_str`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EngineArg(pub EngineChoice);

impl ValueEnum for EngineArg {
    fn value_variants<'a>() -> &'a [Self] {
        const ALL: [EngineArg; 4] = [
            EngineArg(EngineChoice::ALL[0]),
            EngineArg(EngineChoice::ALL[1]),
            EngineArg(EngineChoice::ALL[2]),
            EngineArg(EngineChoice::ALL[3]),
        ];
        &ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.as_str()))
    }
}

/// `--ocr`: the indexer's OCR modes, named by their own `as_str`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OcrArg(pub OcrMode);

impl ValueEnum for OcrArg {
    fn value_variants<'a>() -> &'a [Self] {
        const ALL: [OcrArg; 3] = [
            OcrArg(OcrMode::ALL[0]),
            OcrArg(OcrMode::ALL[1]),
            OcrArg(OcrMode::ALL[2]),
        ];
        &ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.as_str()))
    }
}

/// `--sort`: the search's result orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Newest first.
    #[value(name = "date_desc")]
    DateDesc,
    /// Oldest first.
    #[value(name = "date_asc")]
    DateAsc,
}

impl From<SortArg> for Sort {
    fn from(arg: SortArg) -> Sort {
        match arg {
            SortArg::Relevance => Sort::Relevance,
            SortArg::DateDesc => Sort::DateDesc,
            SortArg::DateAsc => Sort::DateAsc,
        }
    }
}

/// A language code, as `--language` takes it.
fn date_from(text: &str) -> Result<time::Date, String> {
    pubsearch_query::search::date_bound(text, pubsearch_query::search::DateEnd::From)
}

fn date_to(text: &str) -> Result<time::Date, String> {
    pubsearch_query::search::date_bound(text, pubsearch_query::search::DateEnd::To)
}

fn parse_language(code: &str) -> Result<Lang, String> {
    Lang::from_code(code).ok_or_else(|| {
        format!(
            "not one of the library's languages; use one of {}",
            Lang::supported()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use clap::error::ErrorKind;

    #[test]
    fn search_help_documents_the_query_syntax() {
        let mut cmd = Cli::command();
        let help = cmd
            .find_subcommand_mut("search")
            .expect("search")
            .render_long_help()
            .to_string();
        for syntax in [
            "NEAR/5",
            "\"mental services\"~3",
            "heal*",
            "title:(health OR gp)",
            "--date-from",
        ] {
            assert!(help.contains(syntax), "{syntax} missing from:\n{help}");
        }
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_engine_is_offered_under_its_own_name() {
        let offered: Vec<EngineChoice> = EngineArg::value_variants().iter().map(|e| e.0).collect();
        assert_eq!(offered, EngineChoice::ALL);
        for arg in EngineArg::value_variants() {
            let name = arg.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(name.parse::<EngineChoice>().unwrap(), arg.0);
        }
    }

    #[test]
    fn every_ocr_mode_is_offered_under_its_own_name() {
        let offered: Vec<OcrMode> = OcrArg::value_variants().iter().map(|m| m.0).collect();
        assert_eq!(offered, OcrMode::ALL);
    }

    #[test]
    fn sort_names_are_the_apis() {
        for arg in SortArg::value_variants() {
            let name = arg.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(name.parse::<Sort>().unwrap(), Sort::from(*arg), "{name}");
        }
    }

    #[test]
    fn bad_values_are_usage_errors() {
        for args in [
            &["pubsearch", "search", "x", "--sort", "best"][..],
            &["pubsearch", "search", "x", "--type", "pamphlet"],
            &["pubsearch", "index", "--engine", "tesseract"],
            &["pubsearch", "index", "--ocr", "sometimes"],
            &["pubsearch", "serve", "--max-searches", "0"],
        ] {
            let err = Cli::try_parse_from(args).unwrap_err();
            assert!(
                matches!(
                    err.kind(),
                    ErrorKind::InvalidValue | ErrorKind::ValueValidation
                ),
                "{args:?}: {:?}",
                err.kind()
            );
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
        let cli = Cli::try_parse_from([
            "pubsearch",
            "search",
            "x",
            "--sort",
            "date_asc",
            "--type",
            "book-chapter",
        ])
        .unwrap();
        let Command::Search(args) = cli.command else {
            panic!("not a search")
        };
        assert_eq!(args.sort, SortArg::DateAsc);
        assert_eq!(args.types, [PubType::BookChapter]);
        let cli = Cli::try_parse_from(["pubsearch", "extract", "a.pdf", "--engine", "pdftotext"])
            .unwrap();
        let Command::Extract(args) = cli.command else {
            panic!("not extract")
        };
        assert_eq!(args.extraction.engine, EngineArg(EngineChoice::Pdftotext));
    }
}
