//! `passerelle backup [DIR]` and `passerelle restore DIR`.
//!
//! A backup needs the store open. When a server holds it (RocksDB's lock: a second process
//! may not even read a store another one writes), the command asks the server on the
//! settings' listen address for a backup over its API (`POST {base}api/backup`, with the
//! admin token of the settings), checks that server serves this data directory, and moves
//! the backup it made to DIR: the command runs on the server's machine, so it can; the
//! server itself never writes where an HTTP request says. Otherwise the command opens the
//! store and backs it up itself. (`dump` reads a transient backup the same way.)

use super::CommandError;
use crate::backup::{self, BackupError, Marker};
use crate::config::Settings;
use crate::store::CatalogStore;
use std::path::{Path, PathBuf};

impl From<BackupError> for CommandError {
    fn from(error: BackupError) -> Self {
        match error {
            BackupError::Store(error) => Self::Store(error),
            other => Self::Outcome(other.to_string()),
        }
    }
}

/// `passerelle backup [DIR]`: a backup into DIR (which must not exist), or into the backup
/// directory under the time's name.
pub fn backup(settings: &Settings, dir: Option<&Path>) -> Result<(), CommandError> {
    let (path, marker) = if crate::store::in_use(&settings.data_dir) {
        let (made, marker) = super::runtime()?.block_on(ask_the_server(settings, false))?;
        match dir {
            Some(dir) => {
                move_dir(&made, dir)?;
                (dir.to_owned(), marker)
            }
            None => (made, marker),
        }
    } else {
        let store = CatalogStore::open_as_is(&settings.data_dir, settings.base.clone())?;
        match dir {
            Some(dir) => (dir.to_owned(), backup::make(&store, dir)?),
            None => backup::make_now(&settings.backups, &store)?,
        }
    };
    println!(
        "backup of {} made at {} in {}",
        marker.base,
        marker.made,
        path.display()
    );
    Ok(())
}

/// `passerelle restore DIR`: the backup DIR copied into the data directory, which must be
/// empty or new.
pub fn restore(settings: &Settings, backup_dir: &Path) -> Result<(), CommandError> {
    let marker = backup::restore(backup_dir, &settings.data_dir)?;
    // Opening it proves it whole (and finds a base IRI that differs from the backup's).
    drop(CatalogStore::open_as_is(
        &settings.data_dir,
        settings.base.clone(),
    )?);
    if marker.base != settings.base.as_str() {
        eprintln!(
            "warning: the backup is of {} but the base IRI is {}: records keep their IRIs",
            marker.base, settings.base
        );
    }
    println!(
        "restored the backup made at {} into {}; the search index is rebuilt on the first start",
        marker.made,
        settings.data_dir.display()
    );
    Ok(())
}

/// The address of the server the settings describe, as a client reaches it.
fn server_url(settings: &Settings, path: &str) -> String {
    let mut address = settings.listen;
    if address.ip().is_unspecified() {
        address.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    format!("http://{address}{}{path}", settings.base.path())
}

/// Asks the server on `settings.listen` for a backup (`transient`: a snapshot to read
/// and remove, which does not count among the kept backups); where it made it.
pub(super) async fn ask_the_server(
    settings: &Settings,
    transient: bool,
) -> Result<(PathBuf, Marker), CommandError> {
    let token = settings.admin_token.as_deref().ok_or_else(|| {
        CommandError::Usage(
            "the store is locked by another process (a running server?): give the server's admin token (--admin-token or PASSERELLE_ADMIN_TOKEN) to ask it for a copy".into(),
        )
    })?;
    let url = server_url(
        settings,
        if transient {
            "api/backup?transient=true"
        } else {
            "api/backup"
        },
    );
    let failed = |e: &dyn std::fmt::Display| {
        CommandError::Outcome(format!(
            "another process holds the store; asking the server at {url} for a copy failed: {e}"
        ))
    };
    let _already = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::Client::new()
        .post(&url)
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| failed(&e))?;
    let status = response.status();
    let body: serde_json::Value = response.json().await.map_err(|e| failed(&e))?;
    if !status.is_success() {
        return Err(failed(&format!("{status}: {}", body["detail"])));
    }
    let path = body["path"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| failed(&"its answer names no path"))?;
    let marker: Marker = serde_json::from_value(body["backup"].clone()).map_err(|e| failed(&e))?;
    // The server on our address must be the one holding our store.
    let theirs = body["data_dir"].as_str().map(PathBuf::from);
    let same = |dir: &Path| std::fs::canonicalize(dir).ok();
    if theirs.as_deref().and_then(same) != same(&settings.data_dir) {
        return Err(failed(&format!(
            "the server there serves the data directory {theirs:?}, not {}; its backup is in {}",
            settings.data_dir.display(),
            path.display()
        )));
    }
    Ok((path, marker))
}

/// Moves the directory `from` to `to` (which must not exist): a rename, or a copy then a
/// removal across file systems.
fn move_dir(from: &Path, to: &Path) -> Result<(), CommandError> {
    let io = |source| CommandError::Io {
        context: format!("moving the backup {} to {}", from.display(), to.display()),
        source,
    };
    if to.exists() {
        return Err(io(std::io::ErrorKind::AlreadyExists.into()));
    }
    if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    backup::copy_tree(from, to)?;
    std::fs::remove_dir_all(from).map_err(io)
}
