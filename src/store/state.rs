//! Our bookkeeping about a store (has it been considered for the demo catalog, which
//! vocabulary bundle does it hold), kept beside it in `passerelle-state.json`: every graph
//! of the store itself is public to SPARQL, the store's default graph included.

use super::StoreError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The bookkeeping file's content.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct StoreState {
    /// The store was considered for seeding once; never again.
    #[serde(default)]
    pub seeded: bool,
    /// The hash of the vocabulary bundle in `{base}graphs/vocabularies`.
    #[serde(default)]
    pub vocabularies: Option<String>,
    /// Unix time of the last write that did not go through records (a SPARQL Update):
    /// no description's `Last-Modified` may be older.
    #[serde(default)]
    pub touched: i64,
}

impl StoreState {
    /// The file's name in the data directory.
    pub(super) const FILE: &str = "passerelle-state.json";

    fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(Self::FILE)
    }

    /// Reads the file; a missing file is a new store.
    pub fn read(data_dir: &Path) -> Result<Self, StoreError> {
        let path = Self::path(data_dir);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Io {
                path: path.display().to_string(),
                source: e.into(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(StoreError::Io {
                path: path.display().to_string(),
                source,
            }),
        }
    }

    /// Writes the file atomically (a temporary file renamed over it).
    pub(in crate::store) fn write(&self, data_dir: &Path) -> Result<(), StoreError> {
        let path = Self::path(data_dir);
        let temporary = path.with_extension("json.tmp");
        let io_error = |source| StoreError::Io {
            path: path.display().to_string(),
            source,
        };
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| io_error(e.into()))?;
        std::fs::write(&temporary, bytes).map_err(io_error)?;
        std::fs::rename(&temporary, &path).map_err(io_error)
    }
}
