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

/// Whether a process holds the store in `data_dir` open (a running server): RocksDB locks
/// its `LOCK` file with a POSIX lock, which Linux lists in `/proc/locks` by inode. Asked
/// before opening, because a failed open of a locked store leaves the process' heap unsound
/// (`docs/decisions.md`, issue 32, third slice). Elsewhere than Linux: false (the open says).
pub fn in_use(data_dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(lock) = std::fs::metadata(data_dir.join("LOCK")) else {
        return false;
    };
    let Ok(locks) = std::fs::read_to_string("/proc/locks") else {
        return false;
    };
    let inode = lock.ino().to_string();
    // Lines like `1: POSIX  ADVISORY  WRITE 4242 08:01:1311 0 EOF` (`->` before a waiter).
    locks.lines().any(|line| {
        line.split_whitespace()
            .filter(|field| field.matches(':').count() == 2)
            .any(|device_inode| device_inode.rsplit(':').next() == Some(inode.as_str()))
    })
}
