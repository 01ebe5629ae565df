//! Which graphs a SPARQL Update may write, read from the update itself before it runs:
//! the graphs its data and templates name, and for a template's `GRAPH ?g` the graphs its
//! `WHERE` binds `?g` to. Those who follow records (the search index) then read again the
//! records of those graphs only, not every dataset (50 s at 100 000 datasets, under the
//! writer's lock). When that cannot be told (`CLEAR ALL`, an update spargebra reads but
//! the engine would not), the answer is "anything", as before.

use super::sparql::UsingDataset;
use super::{CatalogStore, StoreError};
use oxigraph::model::NamedNode;
use oxigraph::sparql::QueryResults;
use spargebra::algebra::{GraphPattern, GraphTarget};
use spargebra::term::{GraphName, GraphNamePattern, Variable};
use spargebra::{GraphUpdateOperation, Query, SparqlParser};
use std::collections::BTreeSet;

/// What an update may write.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum UpdateScope {
    /// These named graphs, none of them the catalog's.
    Graphs(BTreeSet<NamedNode>),
    /// Any graph.
    Anything,
}

impl CatalogStore {
    /// The graphs `update` may write, run with `using` (the protocol's `using-graph-uri`).
    /// Read under the writer's lock, before the update: its `WHERE` sees what it will see.
    pub(super) fn update_scope(&self, update: &str, using: &UsingDataset) -> UpdateScope {
        match self.graphs_written(update, using) {
            Ok(Some(graphs)) => UpdateScope::Graphs(graphs),
            Ok(None) => UpdateScope::Anything,
            Err(error) => {
                tracing::warn!(%error, "the graphs an update writes are not known: all are read again");
                UpdateScope::Anything
            }
        }
    }

    /// The named graphs `update` writes; `None` when it may write any.
    fn graphs_written(
        &self,
        update: &str,
        using: &UsingDataset,
    ) -> Result<Option<BTreeSet<NamedNode>>, StoreError> {
        let parsed = SparqlParser::new()
            .with_base_iri(self.base.sparql_endpoint().into_string())
            .map_err(|e| StoreError::QuerySyntax(e.to_string()))?
            .parse_update(update)
            .map_err(|e| StoreError::QuerySyntax(e.to_string()))?;
        let mut graphs = BTreeSet::new();
        for (number, operation) in parsed.operations.into_iter().enumerate() {
            let first = number == 0;
            match operation {
                GraphUpdateOperation::InsertData { data } => {
                    for quad in data {
                        let Some(graph) = named(quad.graph_name) else {
                            return Ok(None);
                        };
                        graphs.insert(graph);
                    }
                }
                GraphUpdateOperation::DeleteData { data } => {
                    for quad in data {
                        let Some(graph) = named(quad.graph_name) else {
                            return Ok(None);
                        };
                        graphs.insert(graph);
                    }
                }
                GraphUpdateOperation::DeleteInsert {
                    delete,
                    insert,
                    using: own,
                    pattern,
                } => {
                    let templates = delete
                        .into_iter()
                        .map(|q| q.graph_name)
                        .chain(insert.into_iter().map(|q| q.graph_name));
                    let mut variables = Vec::new();
                    for graph in templates {
                        match graph {
                            GraphNamePattern::NamedNode(node) => {
                                graphs.insert(node);
                            }
                            GraphNamePattern::Variable(variable) => variables.push(variable),
                            GraphNamePattern::DefaultGraph => return Ok(None),
                        }
                    }
                    if !variables.is_empty() {
                        // The WHERE is read as it stands before the update: an earlier
                        // operation, or a dataset of its own (WITH, USING, the protocol's),
                        // would change what it binds.
                        let protocol =
                            !using.default_graphs.is_empty() || !using.named_graphs.is_empty();
                        if !first || own.is_some() || protocol {
                            return Ok(None);
                        }
                        graphs.extend(self.graphs_bound(*pattern, variables)?);
                    }
                }
                GraphUpdateOperation::Load { destination, .. } => match named(destination) {
                    Some(graph) => {
                        graphs.insert(graph);
                    }
                    None => return Ok(None),
                },
                GraphUpdateOperation::Clear { graph, .. }
                | GraphUpdateOperation::Drop { graph, .. } => match graph {
                    GraphTarget::NamedNode(node) => {
                        graphs.insert(node);
                    }
                    GraphTarget::DefaultGraph
                    | GraphTarget::NamedGraphs
                    | GraphTarget::AllGraphs => return Ok(None),
                },
                GraphUpdateOperation::Create { .. } => {}
            }
        }
        // The catalog's graph may hold anything a dataset borrows (a label, a paper's link).
        if graphs.contains(&self.base.catalog_graph()) {
            return Ok(None);
        }
        Ok(Some(graphs))
    }

    /// The IRIs `pattern` binds any of `variables` to, over the store's default graph and
    /// its named graphs, as an update's `WHERE` reads them.
    fn graphs_bound(
        &self,
        pattern: GraphPattern,
        mut variables: Vec<Variable>,
    ) -> Result<BTreeSet<NamedNode>, StoreError> {
        variables.sort();
        variables.dedup();
        let query = Query::Select {
            dataset: None,
            pattern: GraphPattern::Distinct {
                inner: Box::new(GraphPattern::Project {
                    inner: Box::new(pattern),
                    variables,
                }),
            },
            base_iri: None,
        };
        let results = self
            .evaluator
            .clone()
            .parse_query(&query.to_string())
            .map_err(|e| StoreError::QuerySyntax(e.to_string()))?
            .on_store(&self.store)
            .execute()
            .map_err(|e| StoreError::Update(e.to_string()))?;
        let mut graphs = BTreeSet::new();
        if let QueryResults::Solutions(solutions) = results {
            for solution in solutions {
                let solution = solution.map_err(|e| StoreError::Update(e.to_string()))?;
                for (_, term) in solution.iter() {
                    if let oxigraph::model::Term::NamedNode(node) = term {
                        graphs.insert(node.clone());
                    }
                }
            }
        }
        Ok(graphs)
    }
}

/// A named graph; `None` for the default graph (whose triples any description may borrow).
fn named(graph: GraphName) -> Option<NamedNode> {
    match graph {
        GraphName::NamedNode(node) => Some(node),
        GraphName::DefaultGraph => None,
    }
}

#[cfg(test)]
mod tests {
    use super::UpdateScope;
    use crate::model::{BaseIri, RecordId};
    use crate::store::{CatalogStore, UsingDataset};
    use oxigraph::model::NamedNode;
    use std::collections::BTreeSet;

    const BASE: &str = "http://example.org/";

    fn graphs(names: &[&str]) -> UpdateScope {
        UpdateScope::Graphs(
            names
                .iter()
                .map(|n| NamedNode::new_unchecked(format!("{BASE}{n}")))
                .collect::<BTreeSet<_>>(),
        )
    }

    #[test]
    fn an_update_writes_the_graphs_it_names_or_binds() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = CatalogStore::open(dir.path(), BaseIri::parse(BASE)?)?;
        store.seed_if_empty()?;
        let scope = |update: &str| store.update_scope(update, &UsingDataset::default());
        let wetlands = store
            .base
            .record_graph(&RecordId::parse("inventaire-zones-humides-bretagne")?);
        let wetlands = wetlands.as_str().trim_start_matches(BASE).to_owned();
        assert_eq!(
            scope("INSERT DATA { GRAPH <http://example.org/g1> { <a> <b> <c> } }"),
            graphs(&["g1"])
        );
        assert_eq!(
            scope("WITH <http://example.org/g2> DELETE { ?s <p> ?o } WHERE { ?s <p> ?o }"),
            graphs(&["g2"])
        );
        // `GRAPH ?g`: the graphs the WHERE binds, and those only.
        let bound = "PREFIX dct: <http://purl.org/dc/terms/> \
             DELETE { GRAPH ?g { ?d dct:title ?t } } WHERE { GRAPH ?g { ?d dct:title ?t } \
             FILTER(?d = <http://example.org/datasets/inventaire-zones-humides-bretagne>) }";
        assert_eq!(scope(bound), graphs(&[&wetlands]));
        // What a description may borrow from the default graph or the catalog's: anything.
        let anything = UpdateScope::Anything;
        assert_eq!(
            scope("INSERT { <a> <b> ?o } WHERE { BIND(1 AS ?o) }"),
            anything
        );
        assert_eq!(scope("INSERT DATA { <a> <b> <c> }"), UpdateScope::Anything);
        let catalog = "INSERT DATA { GRAPH <http://example.org/graphs/catalog> { <a> <b> <c> } }";
        assert_eq!(scope(catalog), UpdateScope::Anything);
        assert_eq!(
            scope("DROP SILENT GRAPH <http://example.org/g3>"),
            graphs(&["g3"])
        );
        assert_eq!(scope("CLEAR DEFAULT"), UpdateScope::Anything);
        // A WHERE that an earlier operation or a dataset of its own changes: anything.
        let after =
            format!("INSERT DATA {{ GRAPH <http://example.org/g1> {{ <a> <b> <c> }} }} ; {bound}");
        assert_eq!(scope(&after), UpdateScope::Anything);
        let with = "WITH <http://example.org/g2> DELETE { GRAPH ?g { ?s <p> ?o } } WHERE { GRAPH ?g { ?s <p> ?o } }";
        assert_eq!(scope(with), UpdateScope::Anything);
        assert_eq!(scope("CLEAR ALL"), UpdateScope::Anything);
        assert_eq!(scope("DROP NAMED"), UpdateScope::Anything);
        Ok(())
    }
}
