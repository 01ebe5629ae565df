//! Backups of a data directory, made while the server serves, kept on a schedule, and
//! restored into an empty data directory.
//!
//! A backup is a data directory in its own right (the two stores, the bookkeeping and
//! token files) with a marker file naming it a backup; what the server derives from the
//! store (the search index, feed snapshots, the dump) is left out and rebuilt on the first
//! start. A backup is made under a hidden name and renamed when whole, so a directory with
//! a backup's name is never half a backup.

use crate::config::Backups;
use crate::store::{CatalogStore, StoreError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file that says a directory is a backup, and of what.
pub const MARKER: &str = "passerelle-backup.json";

/// The prefix of the backups made in the backup directory (the API's, the schedule's).
const PREFIX: &str = "passerelle-";

/// What the marker says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Marker {
    /// When the backup was made (RFC 3339).
    pub made: String,
    /// The base IRI of the catalog.
    pub base: String,
    /// The version of Passerelle that made it.
    pub version: String,
}

/// Why a backup or a restore failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The store could not be copied.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A restore into a data directory that holds something.
    #[error("{0} is not empty: a backup is restored into an empty or new data directory")]
    NotEmpty(String),
    /// A restore from a directory that is not a backup.
    #[error("{0} is not a Passerelle backup (it has no {MARKER})")]
    NotABackup(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Backs `store` up into `target` (which must not exist).
pub fn make(store: &CatalogStore, target: &Path) -> Result<Marker, BackupError> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = target.with_file_name(format!(".{name}.partial"));
    if partial.exists() {
        // Left by a backup that was interrupted.
        std::fs::remove_dir_all(&partial).map_err(io(&partial))?;
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    if target.exists() {
        return Err(BackupError::Io {
            path: target.display().to_string(),
            source: std::io::ErrorKind::AlreadyExists.into(),
        });
    }
    store.backup(&partial, &[crate::access::TOKENS_FILE])?;
    let marker = Marker {
        made: crate::model::time::millis_text(crate::model::time::now_millis()),
        base: store.base().as_str().to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let text = serde_json::to_vec_pretty(&marker).map_err(|e| io(&partial)(e.into()))?;
    std::fs::write(partial.join(MARKER), text).map_err(io(&partial))?;
    std::fs::rename(&partial, target).map_err(io(target))?;
    Ok(marker)
}

/// Backs `store` up into a new directory of `dir` named after the time; its path.
pub fn make_in(store: &CatalogStore, dir: &Path) -> Result<(PathBuf, Marker), BackupError> {
    make_named(store, dir, PREFIX)
}

/// A snapshot of `store` in `plan`'s directory for a command to read and remove (`dump`
/// while the server runs): hidden, and not one of the kept backups.
pub fn make_transient(
    plan: &Backups,
    store: &CatalogStore,
) -> Result<(PathBuf, Marker), BackupError> {
    forget_stale_snapshots(&plan.dir);
    make_named(store, &plan.dir, SNAPSHOT)
}

/// The prefix of transient snapshots.
const SNAPSHOT: &str = ".snapshot-";

/// Removes the snapshots of `dir` older than an hour: their command died before it could.
fn forget_stale_snapshots(dir: &Path) {
    let hour_ago = time::OffsetDateTime::now_utc() - time::Duration::HOUR;
    let Ok(oldest_kept) = hour_ago.format(STAMP) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name
            .strip_prefix(SNAPSHOT)
            .is_some_and(|stamp| stamp < oldest_kept.as_str())
            && let Err(error) = std::fs::remove_dir_all(entry.path())
        {
            tracing::warn!(%error, snapshot = %name, "a stale snapshot was not removed");
        }
    }
}

/// How backups are named after the time they were made (sorting by name sorts by time).
const STAMP: &[time::format_description::FormatItem<'static>] = time::macros::format_description!(
    "[year][month][day]T[hour][minute][second].[subsecond digits:3]Z"
);

fn make_named(
    store: &CatalogStore,
    dir: &Path,
    prefix: &str,
) -> Result<(PathBuf, Marker), BackupError> {
    let stamp = time::OffsetDateTime::now_utc()
        .format(STAMP)
        .map_err(|e| io(dir)(std::io::Error::other(e)))?;
    let target = dir.join(format!("{prefix}{stamp}"));
    let marker = make(store, &target)?;
    Ok((target, marker))
}

/// Removes the oldest backups of `dir` (those [`make_in`] made) past the `keep` newest;
/// the paths removed.
pub fn prune(dir: &Path, keep: usize) -> Result<Vec<PathBuf>, BackupError> {
    let mut backups: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(PREFIX))
                && path.join(MARKER).is_file()
        })
        .collect();
    // Their names are their times: sorted by name, oldest first.
    backups.sort();
    let excess = backups.len().saturating_sub(keep);
    let removed: Vec<PathBuf> = backups.into_iter().take(excess).collect();
    for path in &removed {
        std::fs::remove_dir_all(path).map_err(io(path))?;
    }
    Ok(removed)
}

/// Copies the backup `backup` into `data_dir`, which must be empty or not exist; what the
/// backup's marker says.
pub fn restore(backup: &Path, data_dir: &Path) -> Result<Marker, BackupError> {
    let marker_path = backup.join(MARKER);
    let text = std::fs::read(&marker_path)
        .map_err(|_| BackupError::NotABackup(backup.display().to_string()))?;
    let marker: Marker = serde_json::from_slice(&text)
        .map_err(|_| BackupError::NotABackup(backup.display().to_string()))?;
    if data_dir.exists() {
        let mut entries = std::fs::read_dir(data_dir).map_err(io(data_dir))?;
        if entries.next().is_some() {
            return Err(BackupError::NotEmpty(data_dir.display().to_string()));
        }
        std::fs::remove_dir(data_dir).map_err(io(data_dir))?;
    }
    let name = data_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = data_dir.with_file_name(format!(".{name}.restoring"));
    if partial.exists() {
        std::fs::remove_dir_all(&partial).map_err(io(&partial))?;
    }
    copy_tree(backup, &partial)?;
    std::fs::remove_file(partial.join(MARKER)).map_err(io(&partial))?;
    std::fs::rename(&partial, data_dir).map_err(io(data_dir))?;
    Ok(marker)
}

/// Copies the tree at `from` to `to` (which must not exist); links are not followed.
pub fn copy_tree(from: &Path, to: &Path) -> Result<(), BackupError> {
    std::fs::create_dir_all(to).map_err(io(to))?;
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().map_err(io(&source))?;
        if kind.is_dir() {
            copy_tree(&source, &target)?;
        } else if kind.is_file() {
            std::fs::copy(&source, &target).map_err(io(&source))?;
        }
    }
    Ok(())
}

/// Makes a backup in `plan`'s directory and forgets the oldest past its `keep`.
pub fn make_now(plan: &Backups, store: &CatalogStore) -> Result<(PathBuf, Marker), BackupError> {
    let made = make_in(store, &plan.dir)?;
    prune(&plan.dir, plan.keep)?;
    Ok(made)
}

/// Makes backups every `plan.every` for as long as the server runs (nothing if never).
pub async fn keep_making(plan: Backups, store: CatalogStore) {
    let Some(every) = plan.every else {
        return;
    };
    let mut ticks = tokio::time::interval(every);
    // The first tick is now: a backup is made an interval after the start, not at it.
    ticks.tick().await;
    loop {
        ticks.tick().await;
        let (plan, store) = (plan.clone(), store.clone());
        let made = tokio::task::spawn_blocking(move || {
            let _span = tracing::info_span!("backup").entered();
            make_now(&plan, &store)
        })
        .await;
        match made {
            Ok(Ok((path, _))) => tracing::info!(path = %path.display(), "backup made"),
            Ok(Err(error)) => tracing::error!(%error, "the scheduled backup failed"),
            Err(error) => tracing::error!(%error, "the scheduled backup failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_removes_the_oldest_backups_and_nothing_else() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        let names = [
            "passerelle-20261201T000000.000Z",
            "passerelle-20261203T000000.000Z",
            "passerelle-20261202T000000.000Z",
        ];
        for name in names {
            std::fs::create_dir(dir.path().join(name))?;
            std::fs::write(dir.path().join(name).join(MARKER), "{}")?;
        }
        // Not ours: no marker, or another name.
        std::fs::create_dir(dir.path().join("passerelle-19990101T000000.000Z"))?;
        std::fs::create_dir(dir.path().join("notes"))?;
        std::fs::write(dir.path().join("notes").join(MARKER), "{}")?;
        let removed = prune(dir.path(), 2)?;
        assert_eq!(removed, vec![dir.path().join(names[0])]);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<Result<_, _>>()?;
        left.sort();
        assert_eq!(
            left,
            [
                "notes",
                "passerelle-19990101T000000.000Z",
                names[2],
                names[1]
            ]
        );
        Ok(())
    }

    #[test]
    fn restore_refuses_what_is_not_a_backup() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let not_a_backup = dir.path().join("store");
        std::fs::create_dir(&not_a_backup)?;
        let into = dir.path().join("data");
        assert!(matches!(
            restore(&not_a_backup, &into),
            Err(BackupError::NotABackup(_))
        ));
        assert!(!into.exists(), "nothing is written for a refused restore");
        Ok(())
    }
}
