//! Shared state of the HTTP handlers.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::search::{SearchError, SearchService};

/// Server settings.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The corpus directory: the only place files are served from.
    pub corpus: PathBuf,
    /// Origins allowed to call the API from a browser (CORS), e.g. `https://example.org`.
    pub cors_origins: Vec<String>,
    /// Token for `POST /api/admin/*`; admin routes are off when `None`.
    pub admin_token: Option<String>,
    /// Deadline for one search.
    pub search_timeout: Duration,
    /// How long a client may take to send a request's headers before it is cut off.
    pub header_read_timeout: Duration,
    /// Searches running at once, at most (at least 1). A search past its deadline keeps its
    /// slot until it really ends.
    pub max_concurrent_searches: usize,
    /// How long a search waits for a free slot before the answer is 503 `busy`.
    pub busy_wait: Duration,
}

/// Searches at once by default: four per core. Measured at 8 concurrent clients on 2 cores
/// (`benches/RESULTS.md`), two per core queued enough searches to raise the median latency by
/// a third; more slots than cores only time-slice CPU-bound work, and the cap still bounds it.
pub fn default_concurrent_searches() -> usize {
    4 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

impl ServerConfig {
    /// Defaults: no CORS origins, no admin token, a 5 s search deadline, a 10 s header-read
    /// timeout ([`super::HEADER_READ_TIMEOUT`]), four searches at once per core, 100 ms of
    /// waiting for a free one.
    pub fn new(corpus: impl Into<PathBuf>) -> Self {
        ServerConfig {
            corpus: corpus.into(),
            cors_origins: Vec::new(),
            admin_token: None,
            search_timeout: Duration::from_secs(5),
            header_read_timeout: super::HEADER_READ_TIMEOUT,
            max_concurrent_searches: default_concurrent_searches(),
            busy_wait: Duration::from_millis(100),
        }
    }
}

/// The state: the search service, the canonical corpus path, the search slots and the
/// settings.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    service: SearchService,
    corpus: PathBuf,
    search_slots: Arc<Semaphore>,
    config: ServerConfig,
}

impl AppState {
    /// Opens the index at `index` for serving with `config`.
    pub fn open(index: &Path, config: ServerConfig) -> Result<AppState, SearchError> {
        let service = SearchService::open(index)?;
        Ok(Self::new(service, config))
    }

    /// Wraps an opened service.
    pub fn new(service: SearchService, config: ServerConfig) -> AppState {
        let corpus = config
            .corpus
            .canonicalize()
            .unwrap_or_else(|_| config.corpus.clone());
        let search_slots = Arc::new(Semaphore::new(config.max_concurrent_searches.max(1)));
        AppState(Arc::new(Inner {
            service,
            corpus,
            search_slots,
            config,
        }))
    }

    /// The search service.
    pub fn service(&self) -> &SearchService {
        &self.0.service
    }

    /// The canonical corpus directory.
    pub fn corpus(&self) -> &Path {
        &self.0.corpus
    }

    /// The settings.
    pub fn config(&self) -> &ServerConfig {
        &self.0.config
    }

    /// The slots searches take one of while they run
    /// ([`ServerConfig::max_concurrent_searches`] permits).
    pub fn search_slots(&self) -> &Arc<Semaphore> {
        &self.0.search_slots
    }
}
