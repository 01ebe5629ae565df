//! The harvester: fetch -> page -> parse -> map -> diff -> upsert, with job reports
//! (issue 6): fetching a page safely ([`fetch`]), reading it ([`page`]), making it fit to
//! store ([`map`]; ill-typed literals repaired or dropped in [`literals`]), fingerprinting datasets ([`digest`]), both for a run ([`read`]),
//! running a job ([`job`], the next page read ahead in `ahead.rs`) and saying what it did
//! ([`report`]), keeping sources and reports ([`sources`]) and starting and scheduling jobs
//! ([`runner`]).

mod ahead;
pub mod csw;
pub mod digest;
pub mod fetch;
pub mod job;
pub mod literals;
pub mod map;
pub mod page;
pub mod read;
pub mod report;
pub mod runner;
pub mod sniff;
pub mod sources;

pub use fetch::FetchOptions;
pub use report::{JobError, JobReport, JobStatus};
pub use runner::{Harvester, StartError};
pub use sources::{Policy, RunOptions, Source, SourceError, StopSignal};

use crate::store::StoreError;

/// Runs `work`, which blocks on the store, on the blocking pool (a job's steps and its
/// read-ahead both do).
async fn blocking<T, E>(work: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| E::from(StoreError::Update(format!("the store's task failed: {e}"))))?
}
