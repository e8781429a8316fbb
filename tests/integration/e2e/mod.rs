//! End-to-end tests: the real binary indexes the sample corpus, a server answers over a real
//! socket, and the answers are checked against facts established independently of the index
//! (`tests/data/known_phrases.json`, verified with pdftotext when the corpus was generated).

mod api;
mod cli;
mod languages;
mod ocr;
mod questions;
mod real_world;
mod reindex;
mod research;
mod serve_log;

use crate::common::report::{failures, report_of};
