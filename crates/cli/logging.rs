//! Logging to stderr with tracing; `RUST_LOG` overrides the level from `-v`/`-q`.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

pub fn init(verbose: u8, quiet: bool, format: crate::cli::LogFormat) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "info,tantivy=warn,pdf_extract=off,lopdf=off",
        (false, 1) => "debug,tantivy=info,pdf_extract=off,lopdf=off",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a terminal: logs piped to a file or a service manager stay text.
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false);
    let _ = match format {
        crate::cli::LogFormat::Text => builder.try_init(),
        crate::cli::LogFormat::Json => builder.json().with_ansi(false).try_init(),
    };
}
