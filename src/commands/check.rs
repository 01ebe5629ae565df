//! `passerelle check [--repair]`: whether the store's parts agree (`store::check`) and the
//! search index is in step with the store; with `--repair`, what can be derived again is,
//! and the check runs again. Exits non-zero while a disagreement is left.

use super::CommandError;
use crate::config::Settings;
use crate::search::SearchIndex;
use crate::store::CatalogStore;

/// `passerelle check`, printing each disagreement and a summary.
pub fn check(settings: &Settings, repair: bool) -> Result<(), CommandError> {
    if crate::store::in_use(&settings.data_dir) {
        return Err(CommandError::Usage(
            "a server holds the store: stop it first (it repairs what it can when it starts)"
                .into(),
        ));
    }
    if !settings.data_dir.is_dir() {
        return Err(CommandError::Usage(format!(
            "no store in {}",
            settings.data_dir.display()
        )));
    }
    let store = CatalogStore::open(&settings.data_dir, settings.base.clone())?;
    let index = SearchIndex::open(&store.data_dir().join("search"))?;
    let (found, lag) = findings(&store, &index)?;
    let mut left = found.len() + usize::from(lag > 0);
    if repair && left > 0 {
        let repaired = store.repair(&found)?;
        if lag > 0 {
            index.reconcile(&store, index.differences(&store)?, &|_, _| {})?;
        }
        println!(
            "repaired {repaired} of them{}",
            if lag > 0 {
                ", and the search index"
            } else {
                ""
            }
        );
        let (found, lag) = findings(&store, &index)?;
        left = found.len() + usize::from(lag > 0);
    }
    if left == 0 {
        println!("the store's parts agree");
        Ok(())
    } else {
        Err(CommandError::Outcome(format!(
            "{left} disagreement(s) left{}",
            if repair {
                ""
            } else {
                " (--repair mends what can be derived)"
            }
        )))
    }
}

/// The store's disagreements and the datasets the index is out of step for, printed.
fn findings(
    store: &CatalogStore,
    index: &SearchIndex,
) -> Result<(Vec<crate::store::Finding>, usize), CommandError> {
    let report = store.check()?;
    for finding in &report.findings {
        let mend = if finding.repairable() {
            ""
        } else {
            " (not repairable)"
        };
        println!("{finding}{mend}");
    }
    if report.records == 0 {
        eprintln!(
            "warning: no record under {}: is --base-iri (or --listen) the server's?",
            store.base()
        );
    }
    let lag = index.differences(store)?.len();
    if lag > 0 {
        println!("the search index is out of step with the store for {lag} dataset(s)");
    }
    println!(
        "{} records checked: {} disagreement(s)",
        report.records,
        report.findings.len() + usize::from(lag > 0)
    );
    Ok((report.findings, lag))
}

/// The server's check at start, in the background: what a crash left is mended before long
/// (the search index has caught up already; the writer lock keeps repairs from racing
/// the writes that begin meanwhile).
pub async fn repair_on_start(store: CatalogStore) {
    let work = move || {
        let _span = tracing::info_span!("check").entered();
        let report = store.check()?;
        for finding in &report.findings {
            tracing::warn!(%finding, "the store's parts disagree");
        }
        if report.findings.is_empty() {
            tracing::info!(records = report.records, "the store's parts agree");
            return Ok(());
        }
        let repaired = store.repair(&report.findings)?;
        tracing::warn!(
            repaired,
            found = report.findings.len(),
            "the store was repaired"
        );
        Ok::<_, crate::store::StoreError>(())
    };
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::error!(%error, "the store could not be checked"),
        Err(error) => tracing::error!(%error, "the store's check failed"),
    }
}
