//! The catalog's full dump, `{base}dump.nq.gz`: every public graph in N-Quads, gzipped,
//! for those who want everything at once rather than a feed or a query. Written in the
//! background after writes (at most once per `interval`), to a temporary file renamed
//! over the last one, so a reader never gets a half-written dump.

use crate::store::{CatalogStore, Operations, StoreError};
use oxigraph::io::RdfFormat;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The dump file and its upkeep.
#[derive(Clone)]
pub struct Dump {
    store: CatalogStore,
    file: Arc<PathBuf>,
}

/// How often the upkeep looks for writes since the last dump.
const LOOK_EVERY: Duration = Duration::from_secs(2);

impl Dump {
    /// The dump of `store`, kept in its data directory.
    pub fn of(store: &CatalogStore) -> Self {
        Self {
            file: Arc::new(store.data_dir().join("dump").join("catalog.nq.gz")),
            store: store.clone(),
        }
    }

    /// Where the last complete dump is (it may not exist yet).
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Writes the dump now: to a temporary file, synced, then renamed over the last one.
    pub fn write(&self) -> Result<(), StoreError> {
        let io = |source: std::io::Error| StoreError::Io {
            path: self.file.display().to_string(),
            source,
        };
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let partial = self.file.with_extension("gz.partial");
        let file = std::fs::File::create(&partial).map_err(io)?;
        let mut gzip = flate2::write::GzEncoder::new(
            std::io::BufWriter::new(file),
            flate2::Compression::default(),
        );
        self.store.dump(RdfFormat::NQuads, &mut gzip)?;
        let mut buffered = gzip.finish().map_err(io)?;
        buffered.flush().map_err(io)?;
        let file = buffered.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&partial, self.file.as_path()).map_err(io)?;
        Ok(())
    }

    /// Keeps the dump current for as long as the server runs: a first one at start (the
    /// store may have been loaded or harvested into while the server was stopped, and its
    /// revision counter starts again), then a new one when the store has changed and
    /// `interval` has passed since the last.
    pub fn keep_current(self, interval: Duration) {
        tokio::spawn(async move {
            let mut dumped: Option<((u64, u64), Instant)> = None;
            loop {
                let generation = self.store.revision();
                let due = match dumped {
                    None => true,
                    Some((at, when)) => at != generation && when.elapsed() >= interval,
                };
                if due {
                    let dump = self.clone();
                    let span = tracing::info_span!("dump");
                    let written =
                        tokio::task::spawn_blocking(move || span.in_scope(|| dump.write())).await;
                    match written {
                        Ok(Ok(())) => tracing::info!("the catalog's dump is written"),
                        Ok(Err(error)) => tracing::error!(%error, "the catalog's dump failed"),
                        Err(error) => tracing::error!(%error, "the dump's task failed"),
                    }
                    dumped = Some((generation, Instant::now()));
                }
                tokio::time::sleep(LOOK_EVERY).await;
            }
        });
    }
}
