//! The `passerelle` subcommands, as library functions so `main.rs` stays a thin parser:
//! the flags ([`cli`]), serving, loading, validating and dumping (here), tokens
//! ([`token`]) and harvests ([`harvest`]).

mod backup;
mod check;
pub mod cli;
mod harvest;
mod links;
mod progress;
mod search;
mod token;

pub use harvest::{HarvestAction, HarvestError, fetch_options, report_text};
pub use token::{RoleArg, TokenAction};

use crate::config::Settings;
use crate::harvest::sources;
use crate::http::{AppState, serve as serve_http, serve_metrics};
use crate::store::{CatalogStore, LoadOptions, LoadProgress, LoadReport, Provenance, StoreError};
use crate::store::{Operations, RecordWrites};
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
    /// The settings (flags, environment, config file) are not valid.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The token file could not be read or written, or a token is invalid.
    #[error(transparent)]
    Access(#[from] crate::access::AccessError),
    /// The search index could not be opened or rebuilt.
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    /// Flags that do not go together, or a value that is not what it should be.
    #[error("{0}")]
    Usage(String),
    /// The command ran, and its answer is no: a file that does not conform, a harvest
    /// that failed. Printed as the last line, with a failing exit status.
    #[error("{0}")]
    Outcome(String),
}

/// A runtime for the commands that serve or fetch.
pub(super) fn runtime() -> Result<tokio::runtime::Runtime, CommandError> {
    tokio::runtime::Runtime::new().map_err(|source| CommandError::Io {
        context: "cannot start the runtime".into(),
        source,
    })
}

/// `passerelle serve`: open the store, seed the demo catalog on first start, serve HTTP.
pub async fn serve(settings: &Settings) -> Result<(), CommandError> {
    // Opening and seeding block (RocksDB I/O): keep them off the async executor.
    let (data_dir, base) = (settings.data_dir.clone(), settings.base.clone());
    let retention = settings.tombstone_retention;
    let limits = settings.limits;
    let (store, seeded) = tokio::task::spawn_blocking(move || {
        let store = CatalogStore::open_serving(&data_dir, base)?
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
    search::catch_up(&state, &store).await;
    tokio::spawn(check::repair_on_start(store.clone()));
    state
        .about()
        .dump
        .clone()
        .keep_current(settings.dump_interval);
    let board = state.board().clone();
    links::start_schedule(
        settings,
        &store,
        (state.links(), state.standards()),
        Box::new(move |ids| board.rescore(ids)),
    )?;
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
    tokio::spawn(crate::backup::keep_making(
        settings.backups.clone(),
        state.store().clone(),
    ));
    let metrics_server = match settings.metrics_listen {
        Some(listen) => {
            let server =
                serve_metrics(state.clone(), listen).map_err(|source| CommandError::Io {
                    context: format!("cannot serve the metrics on {listen}"),
                    source,
                })?;
            let handle = server.handle();
            tokio::spawn(server);
            Some(handle)
        }
        None => None,
    };
    let harvester = state.harvester().clone();
    let served = serve_http(state, settings.listen)
        .await
        .map_err(|source| CommandError::Io {
            context: format!("cannot serve on {}", settings.listen),
            source,
        });
    // Requests are answered (or were given `shutdown_timeout` to be): running harvests
    // store what they read and say they were stopped.
    let left = harvester.stop_running(HARVEST_STOP).await;
    if left > 0 {
        tracing::warn!(
            left,
            "harvests still reading a page at shutdown: marked failed at the next start"
        );
    }
    if let Some(server) = metrics_server {
        server.stop(true).await;
    }
    served
}

/// How long a shutdown waits for running harvests to store what they read.
const HARVEST_STOP: std::time::Duration = std::time::Duration::from_secs(20);

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
        let now = crate::model::time::now_millis();
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
    let bars = std::cell::RefCell::new((
        progress::Progress::new("bytes read"),
        progress::Progress::new("records written"),
    ));
    let report = store.load_files(files, options, &by, &|step| {
        let (reading, writing) = &mut *bars.borrow_mut();
        match step {
            LoadProgress::Read { done, total } => reading.show(done, total),
            LoadProgress::Written { done, total } => writing.show(done, total),
            LoadProgress::Said(line) => {
                reading.finish();
                eprintln!("{line}");
            }
        }
    });
    bars.borrow().1.finish();
    let report = report?;
    store.compact()?;
    Ok(report)
}

/// `passerelle load --restore [--private]`: dumps loaded back as they are into a new data
/// directory's public (or private) store.
pub fn restore_dump(
    settings: &Settings,
    files: &[PathBuf],
    private: bool,
) -> Result<(), CommandError> {
    // As it is: opening for writes would add the bundled vocabularies to the empty store.
    let store = CatalogStore::open_as_is(&settings.data_dir, settings.base.clone())?
        .with_limits(settings.limits);
    let part = if private {
        crate::store::StorePart::Private
    } else {
        crate::store::StorePart::Public
    };
    let quads = store.restore_dump(files, part, &|line| eprintln!("{line}"))?;
    eprintln!(
        "restored {quads} quads into the {} store",
        if private { "private" } else { "public" }
    );
    Ok(())
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
    if crate::store::in_use(&settings.data_dir) {
        // A server holds the store: read a snapshot it makes (a transient backup).
        let (snapshot, _) = runtime()?.block_on(backup::ask_the_server(settings, true))?;
        let dumped = CatalogStore::open_as_is(&snapshot, settings.base.clone())
            .map_err(CommandError::from)
            .and_then(|store| write_dump(&store, format, output, private));
        if let Err(error) = std::fs::remove_dir_all(&snapshot) {
            eprintln!(
                "warning: the snapshot {} was not removed: {error}",
                snapshot.display()
            );
        }
        return dumped;
    }
    let store = CatalogStore::open_as_is(&settings.data_dir, settings.base.clone())?;
    write_dump(&store, format, output, private)
}

/// Writes `store` (or its private part) to `output` (stdout when `None`).
fn write_dump(
    store: &CatalogStore,
    format: RdfFormat,
    output: Option<&Path>,
    private: bool,
) -> Result<(), CommandError> {
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
