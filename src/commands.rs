//! The `passerelle` subcommands, as library functions so `main.rs` stays a thin parser.

use crate::config::Settings;
use crate::harvest::{FetchOptions, Harvester, JobReport, Source, SourceError, sources};
use crate::http::{AppState, serve as serve_http};
use crate::store::{CatalogStore, LoadOptions, LoadReport, Provenance, StoreError};
use crate::validate::{Report, Validator};
use oxigraph::io::RdfFormat;
use oxigraph::model::{Graph, NamedOrBlankNodeRef, TripleRef};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// What a command can fail with; printed as one line by `main`.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The store failed (locked, syntax error in a loaded file...).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An output file could not be written, or the server could not bind.
    #[error("{context}: {source}")]
    Io {
        /// What we were doing.
        context: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The validator could not run.
    #[error(transparent)]
    Validate(#[from] crate::validate::ValidateError),
    /// The page templates or the profile's shapes do not compile (a build defect).
    #[error(transparent)]
    Start(#[from] crate::http::StartError),
    /// A harvest source is invalid, or a job could not start.
    #[error(transparent)]
    Harvest(#[from] HarvestError),
}

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

/// `passerelle serve`: open the store, seed the demo catalog on first start, serve HTTP.
pub async fn serve(settings: &Settings) -> Result<(), CommandError> {
    // Opening and seeding block (RocksDB I/O): keep them off the async executor.
    let (data_dir, base) = (settings.data_dir.clone(), settings.base.clone());
    let retention = settings.tombstone_retention;
    let limits = settings.limits;
    let (store, seeded) = tokio::task::spawn_blocking(move || {
        let store = CatalogStore::open(&data_dir, base)?
            .with_tombstone_retention(retention)
            .with_limits(limits);
        let seeded = store.seed_if_empty()?;
        Ok::<_, StoreError>((store, seeded))
    })
    .await
    .map_err(|e| CommandError::Io {
        context: "opening the store".into(),
        source: std::io::Error::other(e),
    })??;
    if seeded {
        tracing::info!("loaded the demo catalog into the empty store");
    }
    tokio::spawn(end_embargoes(store.clone()));
    let state = AppState::new(store.clone(), settings)?;
    let interrupted = tokio::task::spawn_blocking(move || sources::fail_interrupted(&store))
        .await
        .map_err(|e| CommandError::Io {
            context: "reading the harvest jobs".into(),
            source: std::io::Error::other(e),
        })?
        .map_err(HarvestError::from)?;
    if interrupted > 0 {
        tracing::warn!(
            interrupted,
            "harvest jobs the last server left running are marked failed"
        );
    }
    tokio::spawn(state.harvester().clone().schedule(HARVEST_CHECK));
    serve_http(state, settings.listen)
        .await
        .map_err(|source| CommandError::Io {
            context: format!("cannot serve on {}", settings.listen),
            source,
        })
}

/// How often the server looks for harvest sources that are due.
const HARVEST_CHECK: std::time::Duration = std::time::Duration::from_secs(30);

/// How often the server looks for embargoes that have ended.
const EMBARGO_CHECK: std::time::Duration = std::time::Duration::from_secs(2);

/// Publishes embargoed records as their embargo ends, for as long as the server runs.
async fn end_embargoes(store: CatalogStore) {
    let mut ticks = tokio::time::interval(EMBARGO_CHECK);
    loop {
        ticks.tick().await;
        let store = store.clone();
        let now = crate::store::now_millis();
        match tokio::task::spawn_blocking(move || store.publish_due(now)).await {
            Ok(Ok(published)) => {
                for id in published {
                    tracing::info!(%id, "embargo ended: published");
                }
            }
            Ok(Err(error)) => tracing::error!(%error, "cannot publish embargoed records"),
            Err(error) => tracing::error!(%error, "embargo task failed"),
        }
    }
}

/// `passerelle load`: import RDF files, splitting datasets into record graphs.
pub fn load(
    settings: &Settings,
    files: &[PathBuf],
    options: &LoadOptions,
) -> Result<LoadReport, CommandError> {
    for file in files {
        if !file.is_file() {
            return Err(CommandError::Io {
                context: file.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            });
        }
    }
    let store =
        CatalogStore::open(&settings.data_dir, settings.base.clone())?.with_limits(settings.limits);
    // Who ran it, as the system knows them: the command line has no token.
    let by = Provenance {
        agent: std::env::var("USER").unwrap_or_else(|_| "command line".into()),
        source: "passerelle load".into(),
    };
    let report = store.load_files(files, options, &by, &|line| eprintln!("{line}"))?;
    store.compact()?;
    Ok(report)
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
pub fn harvest_add(settings: &Settings, source: &Source) -> Result<(), CommandError> {
    let store = CatalogStore::open(&settings.data_dir, settings.base.clone())?;
    sources::add_source(&store, source).map_err(HarvestError::from)?;
    Ok(())
}

/// `passerelle harvest run`: harvests the source named `target` (or whose URL it is; a
/// URL no source has becomes a source named after it) and returns the report.
pub async fn harvest_run(
    settings: &Settings,
    target: &str,
    dry_run: bool,
    progress: &(dyn Fn(&JobReport) + Send + Sync),
) -> Result<JobReport, CommandError> {
    let store = CatalogStore::open(&settings.data_dir, settings.base.clone())?
        .with_tombstone_retention(settings.tombstone_retention);
    let source = source_for(&store, target, !dry_run)?;
    let harvester =
        Harvester::new(store.clone(), fetch_options(settings)).map_err(HarvestError::from)?;
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
fn source_for(store: &CatalogStore, target: &str, keep: bool) -> Result<Source, HarvestError> {
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
    if keep {
        sources::add_source(store, &source)?;
    }
    Ok(source)
}

/// `passerelle harvest list`: every source with its last job.
pub fn harvest_list(settings: &Settings) -> Result<Vec<(Source, Option<JobReport>)>, CommandError> {
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

/// `passerelle validate`: checks a file against the application profile, with the bundled
/// vocabularies for context; relative IRIs resolve against the base IRI.
pub fn validate(
    settings: &Settings,
    file: &Path,
    format: Option<RdfFormat>,
) -> Result<Report, CommandError> {
    let format = format
        .or_else(|| crate::rdf::rdf_format_from_path(file))
        .ok_or_else(|| CommandError::from(StoreError::UnknownFormat(file.display().to_string())))?;
    let name = file.display().to_string();
    let reader = File::open(file).map_err(|source| CommandError::Io {
        context: name.clone(),
        source,
    })?;
    let mut graph = Graph::new();
    crate::store::read_file(
        std::io::BufReader::new(reader),
        format,
        (&settings.base, &settings.limits),
        &name,
        &mut |quad| {
            graph.insert(TripleRef::from(quad.as_ref()));
        },
    )?;
    let vocabularies = crate::store::bundled_vocabularies()?;
    let context = crate::validate::with_vocabularies(&graph, &vocabularies);
    let own = graph
        .iter()
        .filter_map(|t| match t.subject {
            NamedOrBlankNodeRef::NamedNode(n) => Some(n.as_str().to_owned()),
            NamedOrBlankNodeRef::BlankNode(_) => None,
        })
        .collect();
    Ok(Validator::new()?.validate(&context)?.about(&own))
}

/// `passerelle dump`: write the whole store to `output` (stdout when `None`).
pub fn dump(
    settings: &Settings,
    format: RdfFormat,
    output: Option<&Path>,
    private: bool,
) -> Result<(), CommandError> {
    // Opening creates a store; a mistyped --data-dir must not leave an empty one behind.
    if !settings.data_dir.is_dir() {
        return Err(CommandError::Io {
            context: format!("no store in {}", settings.data_dir.display()),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such directory"),
        });
    }
    let store = CatalogStore::open_as_is(&settings.data_dir, settings.base.clone())?;
    let io_error = |context: String| move |source| CommandError::Io { context, source };
    match output {
        Some(path) => {
            let file = File::create(path).map_err(io_error(path.display().to_string()))?;
            let mut writer = BufWriter::new(file);
            if private {
                store.dump_private(format, &mut writer)?;
            } else {
                store.dump(format, &mut writer)?;
            }
            writer
                .flush()
                .map_err(io_error(path.display().to_string()))?;
        }
        None => {
            let mut writer = BufWriter::new(std::io::stdout().lock());
            if private {
                store.dump_private(format, &mut writer)?;
            } else {
                store.dump(format, &mut writer)?;
            }
            writer.flush().map_err(io_error("stdout".into()))?;
        }
    }
    Ok(())
}
