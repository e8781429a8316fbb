//! The pubsearch indexer: reads the PDFs of a corpus and their metadata sidecars into the
//! tantivy index, incrementally.
//!
//! A run ([`run::reindex`]) scans the corpus ([`scan`]), compares it with what the index holds
//! ([`plan`]), extracts new and changed PDFs in isolated worker processes ([`extract`]), reads
//! their sidecars ([`sidecar`]; a PDF without one is dated by [`dates`]; a publication whose
//! sidecar names no language has it detected by [`language`]), and writes everything through
//! the stored-document owner ([`pubsearch_core::doc`]) in one atomic commit. A crash at any moment leaves the previous
//! commit intact; one bad file is reported and never stops the run.

pub mod dates;
pub mod extract;
pub mod language;
pub mod plan;
pub mod report;
pub mod run;
pub mod scan;
pub mod sidecar;

pub use report::{Failure, Renamed, Report};
pub use run::{IndexError, IndexerConfig, Progress, reindex};
