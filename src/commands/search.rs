//! The search index's upkeep: catching up with the store when the server starts, and
//! `passerelle reindex`.

use super::CommandError;
use crate::config::Settings;
use crate::http::AppState;
use crate::search::{CATCH_UP_BEFORE_SERVING, SearchIndex};
use crate::store::CatalogStore;
use std::io::Write;

/// Brings the search index in step with the store: before serving when few datasets
/// differ (what a crash leaves), so that the first searches see every write; else while the
/// server answers (searches answer 503 until a new index holds something).
pub(super) async fn catch_up(state: &AppState, store: &CatalogStore) {
    let (index, indexed) = (state.search().clone(), store.clone());
    let work = move || {
        // A small catalog (the demo's first start) is caught up with before the server
        // answers: searches never get `503` for it. A large one's differences alone take
        // seconds to read: the server answers meanwhile.
        let small = !indexed
            .holds_more_datasets_than(CATCH_UP_BEFORE_SERVING)
            .map_err(crate::search::SearchError::from)?;
        let run = move || {
            let span = tracing::info_span!("search-index");
            let _entered = span.enter();
            let progress =
                |done: usize, of: usize| tracing::info!(done, of, "indexing datasets for search");
            let differences = match index.differences(&indexed) {
                Ok(differences) => differences,
                Err(error) => {
                    tracing::error!(%error, "the search index could not be read");
                    return;
                }
            };
            match index.reconcile(&indexed, differences, &progress) {
                Ok(report) => tracing::info!(
                    indexed = report.indexed,
                    removed = report.removed,
                    "the search index is in step with the store"
                ),
                Err(error) => tracing::error!(%error, "the search index could not catch up"),
            }
        };
        if small {
            run();
        } else {
            std::thread::spawn(run);
        }
        Ok::<_, crate::search::SearchError>(())
    };
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::error!(%error, "the search index could not be read"),
        Err(error) => tracing::error!(%error, "the search index's catch-up failed"),
    }
}

/// `passerelle reindex`: the index rebuilt from the store, with its progress on stderr
/// (the server must be stopped: the store is locked).
pub fn reindex(settings: &Settings) -> Result<(), CommandError> {
    let store = CatalogStore::open(&settings.data_dir, settings.base.clone())?;
    let index = SearchIndex::open(&store.data_dir().join("search"))?;
    let started = std::time::Instant::now();
    let progress = |done: usize, of: usize| {
        let width = 40;
        let filled = (done * width).checked_div(of).unwrap_or(width);
        eprint!(
            "\r[{}{}] {done}/{of} datasets",
            "#".repeat(filled),
            " ".repeat(width - filled)
        );
        let _ = std::io::stderr().flush();
    };
    let report = index.rebuild(&store, &progress)?;
    eprintln!();
    eprintln!(
        "indexed {} datasets for search in {:.1} s",
        report.indexed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
