//! Reliability and security tests: hostile and broken PDFs, the indexer killed at random
//! moments, a damaged index directory, a full disk during a commit, and the real server under
//! path traversal, oversized requests, missing tokens and SIGTERM.
//!
//! Every test runs the real `pubsearch` binary on a temporary corpus and index. What each one
//! shows, and the longer checks left to scripts, are described in `docs/RELIABILITY.md`.

mod crashes;
mod damaged_index;
mod disk_full;
mod fixture;
mod hostile_pdfs;
mod hostile_requests;
mod markup;
mod pdfs;
mod raw_http;
mod rng;
mod run;
mod shutdown;
mod snapshot;
mod traversal;
mod worker_limits;
