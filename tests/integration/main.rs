//! The integration tests, in one test binary (one link step for all of them):
//!
//! - [`e2e`]: the real binary indexes the sample corpus, a server answers over a real socket,
//!   and the answers are checked against facts established independently of the index;
//! - [`browser`]: the search page and the widget in headless Chromium;
//! - [`reliability`]: hostile PDFs, crashes mid-reindex, a damaged index, a full disk, and
//!   the real server under hostile clients.
//!
//! Run one module with a filter, e.g. `cargo test --test integration reliability::`. A test
//! whose system tool or reference data is missing skips with a message naming it (see
//! [`common::skip`]); under `CI=true` that is a failure.

mod browser;
mod common;
mod e2e;
mod reliability;
