//! `passerelle backup [DIR]` and `passerelle restore DIR`.
//!
//! A backup needs the store open. When a server answers on the listen address of the
//! settings (it holds the store: RocksDB's lock, and a second process may not even read a
//! store another one writes), the command asks it for a backup over its API (`POST
//! {base}api/backup`, with the admin token of the settings), checks that server serves this
//! data directory, and moves the backup it made to DIR: the command runs on the server's
//! machine, so it can; the server itself never writes where an HTTP request says. When no
//! server answers, the command opens the store and backs it up itself.

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
    let runtime = super::runtime()?;
    let served = runtime.block_on(serving(settings));
    let (path, marker) = if served {
        let (made, marker) = runtime.block_on(ask_the_server(settings))?;
        match dir {
            Some(dir) => {
                move_dir(&made, dir)?;
                (dir.to_owned(), marker)
            }
            None => (made, marker),
        }
    } else {
        // RocksDB's failed open of a locked store leaves the heap unsound (a crash when a
        // thread ends afterwards): a locked store is an error we stop at.
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

/// Whether a server answers on the listen address (then it holds the store).
async fn serving(settings: &Settings) -> bool {
    let _already = rustls::crypto::ring::default_provider().install_default();
    let health = reqwest::Client::new()
        .get(server_url(settings, "health"))
        .timeout(std::time::Duration::from_secs(5))
        .send()
        .await;
    health.is_ok_and(|answer| answer.status().is_success())
}

/// Asks the server on `settings.listen` for a backup; where it made it.
async fn ask_the_server(settings: &Settings) -> Result<(PathBuf, Marker), CommandError> {
    let token = settings.admin_token.as_deref().ok_or_else(|| {
        CommandError::Usage(
            "a server holds the store: give its admin token (--admin-token or PASSERELLE_ADMIN_TOKEN) to ask it for a backup".into(),
        )
    })?;
    let url = server_url(settings, "api/backup");
    let failed = |e: &dyn std::fmt::Display| {
        CommandError::Outcome(format!(
            "a server holds the store, and asking it for a backup at {url} failed: {e}"
        ))
    };
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
