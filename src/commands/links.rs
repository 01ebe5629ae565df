//! `passerelle check-links`, and the server's link-check schedule: both check the
//! distributions' URLs with the settings' politeness, time limit and address guard.

use super::CommandError;
use crate::config::Settings;
use crate::harvest::FetchOptions;
use crate::harvest::fetch::Fetcher;
use crate::links::{LinkBook, Politeness, Prober, round, schedule::Schedule};
use crate::model::RecordId;
use crate::standards::conformance::{StandardBook, check_declared};
use crate::store::{CatalogStore, LinkCheck};
use std::collections::BTreeMap;

/// The link checker the settings describe.
pub fn prober(settings: &Settings) -> Result<Prober, CommandError> {
    Prober::new(FetchOptions {
        timeout: settings.link_checks.timeout,
        allow_private: settings.harvest_allow_private,
        user_agent: format!(
            "Passerelle/{} (DCAT link checker)",
            env!("CARGO_PKG_VERSION")
        ),
        limits: settings.limits,
        ..FetchOptions::default()
    })
    .map_err(|e| CommandError::Usage(e.to_string()))
}

/// How long a data-standard check may download a CSV file: the link checks' time limit
/// is for an answer, not for 50 MiB.
const DOWNLOAD_TIME: std::time::Duration = std::time::Duration::from_secs(600);

/// The client that downloads CSV files for their data-standard checks.
pub fn downloader(settings: &Settings) -> Result<Fetcher, CommandError> {
    Fetcher::new(FetchOptions {
        timeout: DOWNLOAD_TIME,
        allow_private: settings.harvest_allow_private,
        user_agent: format!(
            "Passerelle/{} (data standard checker)",
            env!("CARGO_PKG_VERSION")
        ),
        limits: settings.limits,
        ..FetchOptions::default()
    })
    .map_err(|e| CommandError::Usage(e.to_string()))
}

fn politeness(settings: &Settings) -> Politeness {
    Politeness {
        delay: settings.link_checks.delay,
        ..Politeness::default()
    }
}

/// Starts the server's schedule if `link-check-interval` asks for one; `rescore` is told
/// of the datasets whose URLs answered anew.
pub fn start_schedule(
    settings: &Settings,
    store: &CatalogStore,
    (book, standards): (&LinkBook, &StandardBook),
    rescore: Box<dyn Fn(Vec<RecordId>) + Send + Sync>,
) -> Result<(), CommandError> {
    let Some(interval) = settings.link_checks.interval else {
        return Ok(());
    };
    Schedule {
        store: store.clone(),
        book: book.clone(),
        prober: prober(settings)?,
        politeness: politeness(settings),
        interval,
        changed: rescore,
        standards: standards.clone(),
        downloads: downloader(settings)?,
        max_csv_bytes: settings.link_checks.max_csv_bytes,
    }
    .spawn();
    Ok(())
}

/// `passerelle check-links`: checks every URL the public distributions give, showing
/// progress, stores what they answered, and says how many answered what. The scores take
/// the findings in when the server starts.
pub fn check_links(settings: &Settings) -> Result<(), CommandError> {
    let store = CatalogStore::open(&settings.data_dir, settings.base.clone())?;
    let links = store.distribution_links()?;
    let urls: Vec<String> = links.iter().map(|(_, url)| url.clone()).collect();
    let prober = prober(settings)?;
    let mut bar = super::progress::Progress::new("URLs checked");
    let runtime = super::runtime()?;
    let checks = runtime.block_on(round::check(
        &prober,
        urls,
        politeness(settings),
        |done, total| bar.show(done as u64, total as u64),
    ));
    bar.finish();
    store.put_link_checks(&checks)?;
    println!("{}", tally(&checks));
    let live: Vec<RecordId> = links
        .into_iter()
        .map(|(id, _)| id)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let declared = store.declared_standards(&live)?;
    let limits = crate::standards::Limits {
        max_bytes: settings.link_checks.max_csv_bytes,
        ..crate::standards::Limits::default()
    };
    let book = StandardBook::default();
    let downloads = downloader(settings)?;
    let checked = runtime.block_on(check_declared(
        &downloads,
        &declared,
        (&store, &book),
        &limits,
        |_| true,
    ))?;
    if !checked.is_empty() {
        let conform = checked.iter().filter(|c| c.conforms()).count();
        println!(
            "{} CSV files checked against their data standard: {conform} conform",
            checked.len()
        );
    }
    Ok(())
}

/// `12 URLs checked: 10 answered 200, 1 answered 404, 1 gave no answer`.
fn tally(checks: &[LinkCheck]) -> String {
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    let mut silent = 0;
    for check in checks {
        match check.status {
            Some(status) => *by_status.entry(status).or_default() += 1,
            None => silent += 1,
        }
    }
    let mut parts: Vec<String> = by_status
        .iter()
        .map(|(status, n)| format!("{n} answered {status}"))
        .collect();
    if silent > 0 {
        parts.push(format!("{silent} gave no answer"));
    }
    let plural = if checks.len() == 1 { "" } else { "s" };
    match parts.is_empty() {
        true => format!("{} URL{plural} checked", checks.len()),
        false => format!("{} URL{plural} checked: {}", checks.len(), parts.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(status: Option<u16>) -> LinkCheck {
        LinkCheck {
            url: "http://example.org/".into(),
            checked: time::OffsetDateTime::UNIX_EPOCH,
            method: "HEAD".into(),
            status,
            error: None,
        }
    }

    #[test]
    fn the_tally_counts_each_answer() {
        let checks = [
            check(Some(200)),
            check(Some(404)),
            check(Some(200)),
            check(None),
        ];
        assert_eq!(
            tally(&checks),
            "4 URLs checked: 2 answered 200, 1 answered 404, 1 gave no answer"
        );
        assert_eq!(tally(&[]), "0 URLs checked");
    }
}
