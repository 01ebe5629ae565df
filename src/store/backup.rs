//! A consistent copy of the store while it serves: both Oxigraph stores checkpointed (RocksDB
//! checkpoints: hard links to the immutable files on the same file system, so a backup of a
//! large store takes about a second) and the bookkeeping files beside them copied, all under
//! the writer lock, which every write holds: no write falls between the two stores' copies.

use super::{CatalogStore, StoreError, state::StoreState};
use std::path::Path;

impl CatalogStore {
    /// Copies both stores and the files named in `beside` (names in the data directory, each
    /// written whole by a rename, so a copy never sees half of one) into `target`, which must
    /// not exist. The search index, the feed snapshots and the dump are left out: they are
    /// derived from the store and rebuilt from it.
    pub fn backup(&self, target: &Path, beside: &[&str]) -> Result<(), StoreError> {
        if target.exists() {
            return Err(StoreError::Io {
                path: target.display().to_string(),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "a backup goes into a directory that does not exist yet",
                ),
            });
        }
        let _writing = self.write_lock();
        self.store.backup(target)?;
        self.private.backup(target.join("private"))?;
        let files = std::iter::once(StoreState::FILE).chain(beside.iter().copied());
        for name in files {
            let from = self.data_dir.join(name);
            if from.is_file() {
                std::fs::copy(&from, target.join(name)).map_err(|source| StoreError::Io {
                    path: from.display().to_string(),
                    source,
                })?;
            }
        }
        Ok(())
    }
}
