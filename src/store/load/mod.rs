//! `passerelle load`: parse RDF files completely, then write them in one transaction, so a
//! syntax error anywhere leaves the store exactly as it was.

use super::history::Provenance;
use super::write::WriteSummary;
use super::{CatalogStore, StoreError};
use crate::limits::{Budget, Family, Guarded, Limits, Scanner};
use crate::model::BaseIri;
use crate::model::split_into_records;
use crate::rdf::rdf_format_from_path;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, GraphNameRef, NamedNode};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// How to load files.
#[derive(Debug, Default, Clone)]
pub struct LoadOptions {
    /// The syntax of every file; guessed from each file's extension when `None`.
    pub format: Option<RdfFormat>,
    /// Put every triple in this graph as-is instead of splitting datasets into records.
    pub graph: Option<NamedNode>,
}

/// What a load did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LoadReport {
    /// Triples read from the files.
    pub triples_read: usize,
    /// Records written or replaced, and unassigned triples.
    pub summary: WriteSummary,
}

/// How often (in triples) the loader reports progress.
const PROGRESS_EVERY: usize = 100_000;

impl CatalogStore {
    /// Loads `files`, written by `by`, each record with a revision in its history and the
    /// load in the catalog's. `progress` receives a line now and then for large files.
    pub(in crate::store) fn load_files(
        &self,
        files: &[PathBuf],
        options: &LoadOptions,
        by: &Provenance,
        progress: &dyn Fn(&str),
    ) -> Result<LoadReport, StoreError> {
        let mut graph = Graph::new();
        for path in files {
            let format = match options.format {
                Some(format) => format,
                None => rdf_format_from_path(path)
                    .ok_or_else(|| StoreError::UnknownFormat(path.display().to_string()))?,
            };
            let file = File::open(path).map_err(|source| StoreError::Io {
                path: path.display().to_string(),
                source,
            })?;
            self.parse_into(&mut graph, BufReader::new(file), format, path, progress)?;
        }
        let triples_read = graph.len();
        progress(&format!("{triples_read} triples parsed; writing"));
        let names = files
            .iter()
            .filter_map(|f| f.file_name()?.to_str())
            .collect::<Vec<_>>()
            .join("+");
        let (summary, touched) = match &options.graph {
            Some(target) => (self.write_graph(&graph, target)?, vec![target.clone()]),
            None => {
                let summary =
                    self.write_split(split_into_records(&graph, &self.base), &names, by)?;
                let topics = summary.written.iter().map(|w| w.topic.clone()).collect();
                (summary, topics)
            }
        };
        let value = format!(
            "{names}: {triples_read} triples, {} records created, {} replaced",
            summary.created, summary.replaced
        );
        if let Err(error) = self.append_catalog_activity("load", by, &value, &touched) {
            tracing::error!(%error, "the load is written but the catalog's history missed it");
        }
        Ok(LoadReport {
            triples_read,
            summary,
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
    fn write_graph(&self, graph: &Graph, target: &NamedNode) -> Result<WriteSummary, StoreError> {
        let _writer = self.write_lock();
        let snapshots = self.snapshots.exclusive();
        let mut transaction = self.store.start_transaction()?;
        for triple in graph {
            transaction.insert(triple.in_graph(GraphNameRef::NamedNode(target.as_ref())));
        }
        self.snapshots.drop_all(&snapshots);
        self.commit(transaction)?;
        Ok(WriteSummary::default())
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
