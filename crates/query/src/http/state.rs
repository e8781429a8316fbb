//! Shared state of the HTTP handlers.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

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
}

impl ServerConfig {
    /// Defaults: no CORS origins, no admin token, a 5 s search deadline, a 10 s header-read
    /// timeout ([`super::HEADER_READ_TIMEOUT`]).
    pub fn new(corpus: impl Into<PathBuf>) -> Self {
        ServerConfig {
            corpus: corpus.into(),
            cors_origins: Vec::new(),
            admin_token: None,
            search_timeout: Duration::from_secs(5),
            header_read_timeout: super::HEADER_READ_TIMEOUT,
        }
    }
}

/// The state: the search service, the canonical corpus path and the settings.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    service: SearchService,
    corpus: PathBuf,
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
        AppState(Arc::new(Inner {
            service,
            corpus,
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
}
