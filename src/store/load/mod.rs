//! `passerelle load`: RDF files split into records. The files are parsed whole into a
//! scratch store first ([`scratch`]), so that a syntax error anywhere leaves the store
//! exactly as it was; records are then cut out of it and written a few thousand per
//! transaction ([`parts`]), each with its revision, so that memory stays bounded whatever
//! the files' size (a load of a million datasets once took tens of gigabytes).

mod parts;
mod scratch;
#[cfg(test)]
mod tests;

use super::history::Provenance;
use super::{CatalogStore, StoreError};
use crate::limits::{Budget, Family, Guarded, Limits, Scanner};
use crate::model::BaseIri;
use crate::rdf::rdf_format_from_path;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, GraphNameRef, NamedNode};
use std::fs::File;
use std::io::{BufReader, Read};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

/// How to load files.
#[derive(Debug, Default, Clone)]
pub struct LoadOptions {
    /// The syntax of every file; guessed from each file's extension when `None`.
    pub format: Option<RdfFormat>,
    /// Put every triple in this graph as-is instead of splitting datasets into records.
    pub graph: Option<NamedNode>,
    /// Records written per transaction (default [`parts::RECORDS_PER_WRITE`]).
    pub records_per_write: Option<NonZeroUsize>,
}

/// What a load did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LoadReport {
    /// Triples read from the files.
    pub triples_read: u64,
    /// Records that did not exist before.
    pub created: usize,
    /// Records that replaced an earlier version of themselves.
    pub replaced: usize,
    /// Triples kept in the load's unassigned graph because no record owns them.
    pub unassigned: usize,
}

/// Where a load is, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum LoadProgress<'a> {
    /// Bytes of the files read, of all.
    Read {
        /// Read so far.
        done: u64,
        /// The files' sizes.
        total: u64,
    },
    /// Records written, of all.
    Written {
        /// Written so far.
        done: u64,
        /// Records the files hold.
        total: u64,
    },
    /// A step, in words.
    Said(&'a str),
}

/// How often (in triples) a load into one graph reports progress.
const PROGRESS_EVERY: usize = 100_000;

/// The scratch store's directory in the data directory.
const SCRATCH: &str = "load-scratch";

impl CatalogStore {
    /// Loads `files`, written by `by`, each record with a revision in its history and the
    /// load in the catalog's.
    pub(in crate::store) fn load_files(
        &self,
        files: &[PathBuf],
        options: &LoadOptions,
        by: &Provenance,
        progress: &dyn Fn(LoadProgress<'_>),
    ) -> Result<LoadReport, StoreError> {
        let readings = files
            .iter()
            .map(|path| {
                let format = match options.format {
                    Some(format) => Some(format),
                    None => rdf_format_from_path(path),
                };
                format
                    .map(|format| scratch::Reading { path, format })
                    .ok_or_else(|| StoreError::UnknownFormat(path.display().to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let names = files
            .iter()
            .filter_map(|f| f.file_name()?.to_str())
            .collect::<Vec<_>>()
            .join("+");
        let (report, touched) = match &options.graph {
            Some(target) => (
                self.load_into_graph(&readings, target, progress)?,
                vec![target.clone()],
            ),
            None => {
                let per_write = options
                    .records_per_write
                    .map_or(parts::RECORDS_PER_WRITE, NonZeroUsize::get);
                self.load_split(&readings, &names, by, per_write, progress)?
            }
        };
        let value = format!(
            "{names}: {} triples, {} records created, {} replaced",
            report.triples_read, report.created, report.replaced
        );
        if let Err(error) = self.append_catalog_activity("load", by, &value, &touched) {
            tracing::error!(%error, "the load is written but the catalog's history missed it");
        }
        Ok(report)
    }

    /// Parses the files into a scratch store, then writes their records part by part.
    fn load_split(
        &self,
        readings: &[scratch::Reading<'_>],
        source: &str,
        by: &Provenance,
        per_write: usize,
        progress: &dyn Fn(LoadProgress<'_>),
    ) -> Result<(LoadReport, Vec<NamedNode>), StoreError> {
        let dir = self.data_dir.join(SCRATCH);
        // A load killed half way left its scratch store; no other load runs while this one
        // holds the store.
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|source| StoreError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let scratch = scratch::Scratch::create(dir)?;
        let total: u64 = readings
            .iter()
            .filter_map(|r| std::fs::metadata(r.path).ok())
            .map(|m| m.len())
            .sum();
        let read = scratch.fill(readings, (&self.base, &self.limits), &|done| {
            progress(LoadProgress::Read { done, total });
        })?;
        progress(LoadProgress::Said(&format!(
            "{read} triples read; writing their records"
        )));
        let (mut report, touched) = self.write_parts(&scratch, source, by, per_write, progress)?;
        report.triples_read = read;
        Ok((report, touched))
    }

    /// Reads the files whole into a graph and adds it to `target` in one transaction.
    fn load_into_graph(
        &self,
        readings: &[scratch::Reading<'_>],
        target: &NamedNode,
        progress: &dyn Fn(LoadProgress<'_>),
    ) -> Result<LoadReport, StoreError> {
        let mut graph = Graph::new();
        let said = |line: &str| progress(LoadProgress::Said(line));
        for reading in readings {
            let file = File::open(reading.path).map_err(|source| StoreError::Io {
                path: reading.path.display().to_string(),
                source,
            })?;
            self.parse_into(
                &mut graph,
                BufReader::new(file),
                reading.format,
                reading.path,
                &said,
            )?;
        }
        self.write_graph(&graph, target)?;
        Ok(LoadReport {
            triples_read: graph.len() as u64,
            ..LoadReport::default()
        })
    }

    /// Parses one document into `graph`, resolving relative IRIs against our base IRI.
    pub(crate) fn parse_into(
        &self,
        graph: &mut Graph,
        reader: impl Read,
        format: RdfFormat,
        path: &Path,
        progress: &dyn Fn(&str),
    ) -> Result<(), StoreError> {
        let name = path.display().to_string();
        let mut count = 0;
        read_file(
            reader,
            format,
            (&self.base, &self.limits),
            &name,
            &mut |quad| {
                graph.insert(quad.as_ref());
                count += 1;
                if count % PROGRESS_EVERY == 0 {
                    progress(&format!("{name}: {count} triples read"));
                }
            },
        )
    }

    /// Replaces nothing: adds every triple to `target` in one transaction.
    fn write_graph(&self, graph: &Graph, target: &NamedNode) -> Result<(), StoreError> {
        let _writer = self.write_lock();
        let snapshots = self.snapshots.exclusive();
        let mut transaction = self.store.start_transaction()?;
        for triple in graph {
            transaction.insert(triple.in_graph(GraphNameRef::NamedNode(target.as_ref())));
        }
        self.snapshots.drop_all(&snapshots);
        self.commit(transaction)?;
        Ok(())
    }
}

/// Reads a file an admin gave (`load`, `validate`), relative IRIs against `base`, handing
/// each quad to `each`. The bytes are scanned on their way to the parser ([`Guarded`]): a
/// file nested too deep, or whose XML entities expand too far, fails before the parser
/// takes it in; no literal or IRI may pass the length limit (a file has no triple cap).
pub fn read_file(
    reader: impl Read,
    format: RdfFormat,
    (base, limits): (&BaseIri, &Limits),
    name: &str,
    each: &mut dyn FnMut(oxigraph::model::Quad),
) -> Result<(), StoreError> {
    let parser = RdfParser::from_format(format)
        .with_base_iri(base.as_str())
        .map_err(|e| StoreError::Bundled {
            name: "base IRI",
            message: e.to_string(),
        })?;
    let reader = Guarded::new(reader, Scanner::new(Family::of(format), limits));
    let mut budget = Budget::per_file(limits);
    for quad in parser.for_reader(reader) {
        let quad = quad.map_err(|e| StoreError::from_parse(name, e))?;
        budget
            .admit(quad.as_ref())
            .map_err(|error| StoreError::Limit {
                path: name.to_owned(),
                error,
            })?;
        each(quad);
    }
    Ok(())
}
