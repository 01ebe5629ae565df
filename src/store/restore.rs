//! `passerelle load --restore`: a dump (`passerelle dump`, `dump --private`) loaded back as it
//! is, graph names and all, into an empty store: the other half of a dump, not an import
//! (nothing is split into records, no history is written: the dump holds them).
//!
//! Quads stream from the parser into Oxigraph's bulk loader in batches, so memory stays
//! bounded whatever the dump's size; the loader writes its files aside and adds them to the
//! store only at the end, so a dump that fails to parse half way leaves the store empty.

use super::{CatalogStore, StoreError};
use crate::rdf::rdf_format_from_path;
use oxigraph::model::Quad;
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

/// Which of the two stores a dump is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorePart {
    /// The public store (`passerelle dump`).
    Public,
    /// The private store: history, drafts, harvest sources and jobs (`dump --private`).
    Private,
}

/// Quads handed to the bulk loader at once (some hundreds of MB at most).
const BATCH: usize = 500_000;

impl CatalogStore {
    /// Loads the dumps `files` into the `part` store, which must be empty; the quads read.
    pub fn restore_dump(
        &self,
        files: &[PathBuf],
        part: StorePart,
        progress: &dyn Fn(&str),
    ) -> Result<u64, StoreError> {
        let target = match part {
            StorePart::Public => &self.store,
            StorePart::Private => &self.private,
        };
        let _writing = self.write_lock();
        if !target.is_empty()? {
            return Err(StoreError::NotEmpty(self.data_dir.display().to_string()));
        }
        let mut loader = target.bulk_loader();
        let mut batch: Vec<Quad> = Vec::with_capacity(BATCH);
        let (mut read, mut failed) = (0_u64, None);
        for path in files {
            let format = rdf_format_from_path(path)
                .ok_or_else(|| StoreError::UnknownFormat(path.display().to_string()))?;
            let name = path.display().to_string();
            let file = File::open(path).map_err(|source| StoreError::Io {
                path: name.clone(),
                source,
            })?;
            let limits = (&self.base, &self.limits);
            super::read_file(BufReader::new(file), format, limits, &name, &mut |quad| {
                if failed.is_some() {
                    return;
                }
                batch.push(quad);
                read += 1;
                if batch.len() >= BATCH {
                    failed = loader.load_quads(batch.drain(..)).err();
                    progress(&format!("{name}: {read} quads read"));
                }
            })?;
        }
        if let Some(error) = failed {
            return Err(error.into());
        }
        loader.load_quads(batch)?;
        loader.commit()?;
        Ok(read)
    }
}
