//! Crash points for the crash tests: with `PASSERELLE_CRASH_AT=<point>` in its environment,
//! the process aborts (as a `kill -9` would stop it) when a write reaches that point, so a
//! test can crash it exactly where two stores, or a store and its bookkeeping, part. Without
//! the variable, a point costs one read of a value set once.

use std::sync::OnceLock;

/// Where a write can be cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Point {
    /// A record's revision is in the history; the record itself is not committed yet.
    RevisionWritten,
    /// Records are committed; their revisions are not written yet.
    RecordsCommitted,
    /// A harvest's records are committed; their revisions are not written yet.
    HarvestCommitted,
}

impl Point {
    const fn name(self) -> &'static str {
        match self {
            Self::RevisionWritten => "revision-written",
            Self::RecordsCommitted => "records-committed",
            Self::HarvestCommitted => "harvest-committed",
        }
    }
}

/// Aborts the process if the environment names `point`.
pub(super) fn crash_at(point: Point) {
    static CHOSEN: OnceLock<Option<String>> = OnceLock::new();
    let chosen = CHOSEN.get_or_init(|| std::env::var("PASSERELLE_CRASH_AT").ok());
    if chosen.as_deref() == Some(point.name()) {
        eprintln!("crash point {}: aborting", point.name());
        std::process::abort();
    }
}
