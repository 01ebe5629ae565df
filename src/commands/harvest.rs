//! `passerelle harvest`: add sources, run them now, list them with their last job. The
//! server must be stopped (the store is locked); a running server harvests on schedule.

use super::CommandError;
use crate::config::Settings;
use crate::harvest::{FetchOptions, Harvester, JobReport, JobStatus, Source, SourceError, sources};
use crate::store::CatalogStore;
use crate::store::Operations;
use clap::Subcommand;
use std::io::IsTerminal;

/// Why a harvest command failed.
#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    /// The source is invalid, exists, or could not be kept.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The job could not start.
    #[error(transparent)]
    Start(#[from] crate::harvest::StartError),
    /// The HTTP client could not be built.
    #[error(transparent)]
    Fetch(#[from] crate::harvest::fetch::FetchError),
    /// No source has that name (and it is not a URL).
    #[error(
        "no harvest source is named {0:?} (give a name from `passerelle harvest list`, or a URL)"
    )]
    NoSource(String),
}

/// The fetch options the settings give.
pub fn fetch_options(settings: &Settings) -> FetchOptions {
    FetchOptions {
        allow_private: settings.harvest_allow_private,
        limits: settings.limits,
        ..FetchOptions::default()
    }
}

/// `passerelle harvest add`: keeps a new source.
fn harvest_add(settings: &Settings, source: &Source) -> Result<(), CommandError> {
    let store = CatalogStore::open(&settings.data_dir, settings.base.clone())?;
    let harvester =
        Harvester::new(store.clone(), fetch_options(settings)).map_err(HarvestError::from)?;
    harvester.check_source(source).map_err(HarvestError::from)?;
    sources::add_source(&store, source).map_err(HarvestError::from)?;
    Ok(())
}

/// `passerelle harvest run`: harvests the source named `target` (or whose URL it is; a
/// URL no source has becomes a source named after it) and returns the report.
async fn harvest_run(
    settings: &Settings,
    target: &str,
    dry_run: bool,
    progress: &(dyn Fn(&JobReport) + Send + Sync),
) -> Result<JobReport, CommandError> {
    let store = CatalogStore::open(&settings.data_dir, settings.base.clone())?
        .with_tombstone_retention(settings.tombstone_retention);
    let harvester =
        Harvester::new(store.clone(), fetch_options(settings)).map_err(HarvestError::from)?;
    let source = source_for(&store, &harvester, target, !dry_run)?;
    let options = source.run_options(dry_run);
    let report = harvester
        .run_now(source, options, progress)
        .await
        .map_err(HarvestError::from)?;
    store.compact()?;
    Ok(report)
}

/// The source `target` names: by name, else by URL, else a new source for that URL (kept
/// if `keep`: a dry run adds no source).
fn source_for(
    store: &CatalogStore,
    harvester: &Harvester,
    target: &str,
    keep: bool,
) -> Result<Source, HarvestError> {
    if let Some(source) = sources::find_source(store, target)? {
        return Ok(source);
    }
    let Ok(url) = reqwest::Url::parse(target) else {
        return Err(HarvestError::NoSource(target.to_owned()));
    };
    if let Some(source) = sources::sources(store)?
        .into_iter()
        .find(|s| s.url == url.as_str())
    {
        return Ok(source);
    }
    let name: String = crate::model::RecordId::slugify(
        &format!("{}{}", url.host_str().unwrap_or("feed"), url.path()).to_ascii_lowercase(),
    )
    .as_str()
    .replace('_', "-")
    .chars()
    .take(64)
    .collect();
    let source = Source::new(name.trim_end_matches('-'), url.as_str(), None)?;
    harvester.check_source(&source)?;
    if keep {
        sources::add_source(store, &source)?;
    }
    Ok(source)
}

/// `passerelle harvest list`: every source with its last job.
fn harvest_list(settings: &Settings) -> Result<Vec<(Source, Option<JobReport>)>, CommandError> {
    let store = CatalogStore::open(&settings.data_dir, settings.base.clone())?;
    Ok(sources::with_last_jobs(&store).map_err(HarvestError::from)?)
}

/// A job's report as the command line prints it: the counts, then each failure.
pub fn report_text(report: &JobReport) -> String {
    let mut text = format!(
        "job {} ({}): {:?}{}\n{} pages; {} created, {} updated, {} unchanged, {} withdrawn, {} failed, {} skipped",
        report.id,
        report.url,
        report.status,
        if report.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        },
        report.pages,
        report.created,
        report.updated,
        report.unchanged,
        report.withdrawn,
        report.failed,
        report.skipped
    );
    if let Some(why) = &report.stopped {
        text.push_str(&format!("\n{why}"));
    }
    if report.datasets_with_violations > 0 {
        text.push_str(&format!(
            "\n{} datasets break DCAT-AP 3.0.1 (policy {:?}):",
            report.datasets_with_violations, report.policy
        ));
        for shape in &report.violations {
            text.push_str(&format!(
                "\n  {} × {} {}",
                shape.count,
                shape.path.as_deref().unwrap_or("-"),
                shape.constraint
            ));
        }
    }
    for error in &report.errors {
        text.push_str(&format!(
            "\nerror: {}{}: {}",
            error.page,
            error
                .dataset
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default(),
            error.reason
        ));
    }
    text
}

/// The subcommands of `passerelle harvest` (their doc comments are their help).
#[allow(missing_docs)]
#[derive(Subcommand)]
pub enum HarvestAction {
    /// Add a harvest source.
    Add {
        /// The URL of the feed's first page.
        url: String,
        /// A name for it: lower-case letters, digits and dashes.
        #[arg(long)]
        name: String,
        /// How often the server harvests it (30m, 6h, 1d); never when absent.
        #[arg(long)]
        interval: Option<String>,
        /// Pages a run reads at most [default: 10000].
        #[arg(long)]
        max_pages: Option<std::num::NonZeroUsize>,
        /// Datasets a run reads at most [default: 1000000].
        #[arg(long)]
        max_datasets: Option<std::num::NonZeroUsize>,
        /// lenient: store datasets that break DCAT-AP 3.0.1, their violations counted; strict: skip them.
        #[arg(long, default_value = "lenient")]
        policy: crate::harvest::Policy,
    },
    /// Harvest a source now and print the report (a URL not yet a source becomes one).
    Run {
        /// A source's name, or a feed URL.
        source: String,
        /// Only say what the run would change.
        #[arg(long)]
        dry_run: bool,
    },
    /// List the sources and their last job.
    List,
}

/// `passerelle harvest add|run|list`.
pub(super) fn command(settings: &Settings, action: HarvestAction) -> Result<(), CommandError> {
    match action {
        HarvestAction::Add {
            url,
            name,
            interval,
            max_pages,
            max_datasets,
            policy,
        } => {
            let mut source = Source::new(&name, &url, interval.as_deref())
                .and_then(|s| s.limited(max_pages.map(usize::from), max_datasets.map(usize::from)))
                .map_err(HarvestError::from)?;
            source.policy = policy;
            harvest_add(settings, &source)?;
            eprintln!("source {:?} added: {}", source.name, source.url);
            Ok(())
        }
        HarvestAction::Run { source, dry_run } => run_and_report(settings, &source, dry_run),
        HarvestAction::List => {
            for (source, last) in harvest_list(settings)? {
                println!(
                    "{}\t{}\t{}\t{}",
                    source.name,
                    source.url,
                    source.interval.as_deref().unwrap_or("-"),
                    last.as_ref()
                        .map_or_else(|| "never harvested".to_owned(), job_line)
                );
            }
            Ok(())
        }
    }
}

/// `passerelle harvest run`: progress on a terminal, then the report; a failing exit
/// status unless the job succeeded.
fn run_and_report(settings: &Settings, source: &str, dry_run: bool) -> Result<(), CommandError> {
    let terminal = std::io::stderr().is_terminal();
    let progress = move |report: &JobReport| {
        if terminal {
            eprint!(
                "\r\x1b[Kpage {} · {} datasets · {} created · {} updated · {} unchanged · {} failed",
                report.pages,
                report.datasets(),
                report.created,
                report.updated,
                report.unchanged,
                report.failed
            );
        }
    };
    let report = super::runtime()?.block_on(harvest_run(settings, source, dry_run, &progress))?;
    if terminal {
        eprintln!();
    }
    println!("{}", report_text(&report));
    match report.status {
        JobStatus::Succeeded => Ok(()),
        status => Err(CommandError::Outcome(
            format!("the harvest ended {status:?}").to_lowercase(),
        )),
    }
}

/// A job in one line, for `harvest list`.
fn job_line(job: &JobReport) -> String {
    format!(
        "{} {:?}: {} created, {} updated, {} unchanged, {} withdrawn, {} failed",
        job.started, job.status, job.created, job.updated, job.unchanged, job.withdrawn, job.failed
    )
}
