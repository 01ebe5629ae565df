//! SPARQL queries over the public graphs: parsing, evaluation with cancellation, and
//! writing results in the syntax asked for. The user's query goes to the engine untouched.

use super::lookup::QuadSource;
use super::{CatalogStore, StoreError};
use crate::model::BaseIri;
use crate::rdf::{Representation, serializer_with_prefixes, write_json_ld};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, PreparedSparqlUpdate, QueryEvaluationError,
    QueryResults, SparqlEvaluator,
};
use std::io::Write;

/// The Protocol's `using-graph-uri` and `using-named-graph-uri`: the dataset the `WHERE`
/// of every `DELETE`/`INSERT` operation reads, for updates that name none themselves.
#[derive(Clone, Debug, Default)]
pub struct UsingDataset {
    /// Graphs merged into the default graph.
    pub default_graphs: Vec<NamedNode>,
    /// Graphs available to `GRAPH`.
    pub named_graphs: Vec<NamedNode>,
}

impl UsingDataset {
    fn is_empty(&self) -> bool {
        self.default_graphs.is_empty() && self.named_graphs.is_empty()
    }
}

/// A parsed query, ready to run.
pub struct PreparedQuery(PreparedSparqlQuery);

/// What a query answers, which decides the syntaxes it can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerKind {
    /// SELECT: a table of solutions.
    Solutions,
    /// ASK: true or false.
    Boolean,
    /// CONSTRUCT or DESCRIBE: triples.
    Graph,
}

/// The result syntaxes of the SPARQL 1.1 Protocol for SELECT and ASK.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultsSyntax {
    /// `application/sparql-results+json`.
    Json,
    /// `application/sparql-results+xml`.
    Xml,
    /// `text/csv`.
    Csv,
    /// `text/tab-separated-values`.
    Tsv,
}

impl ResultsSyntax {
    fn format(self) -> QueryResultsFormat {
        match self {
            Self::Json => QueryResultsFormat::Json,
            Self::Xml => QueryResultsFormat::Xml,
            Self::Csv => QueryResultsFormat::Csv,
            Self::Tsv => QueryResultsFormat::Tsv,
        }
    }
}

/// A running query: its results, produced as they are written.
pub struct Answer {
    results: QueryResults<'static>,
}

impl Answer {
    /// SELECT, ASK, or CONSTRUCT/DESCRIBE.
    pub fn kind(&self) -> AnswerKind {
        match self.results {
            QueryResults::Solutions(_) => AnswerKind::Solutions,
            QueryResults::Boolean(_) => AnswerKind::Boolean,
            QueryResults::Graph(_) => AnswerKind::Graph,
        }
    }

    /// Writes SELECT or ASK results; solutions are written one by one, never all in memory.
    pub fn write_results(
        self,
        syntax: ResultsSyntax,
        writer: impl Write,
    ) -> Result<(), StoreError> {
        let serializer = QueryResultsSerializer::from_format(syntax.format());
        match self.results {
            QueryResults::Boolean(value) => {
                serializer
                    .serialize_boolean_to_writer(writer, value)
                    .map_err(StoreError::Output)?;
            }
            QueryResults::Solutions(solutions) => {
                let mut out = serializer
                    .serialize_solutions_to_writer(writer, solutions.variables().to_vec())
                    .map_err(StoreError::Output)?;
                for solution in solutions {
                    out.serialize(&solution.map_err(evaluation_error)?)
                        .map_err(StoreError::Output)?;
                }
                out.finish().map_err(StoreError::Output)?;
            }
            QueryResults::Graph(_) => return Err(StoreError::WrongAnswerKind),
        }
        Ok(())
    }

    /// Writes CONSTRUCT or DESCRIBE triples; streamed except in JSON-LD, which is
    /// compacted as a whole. Written as the Oxigraph server writes them, with full IRIs:
    /// shortening each IRI with the query's prefixes cost 3 % of a catalog page's
    /// throughput (`docs/decisions.md`, issue 3, twelfth session). People read an answer
    /// on its page, which shortens them with [`declared_prefixes`].
    pub fn write_graph(
        self,
        representation: Representation,
        writer: impl Write,
    ) -> Result<(), StoreError> {
        let QueryResults::Graph(triples) = self.results else {
            return Err(StoreError::WrongAnswerKind);
        };
        if representation == Representation::JsonLd {
            let triples: Vec<Triple> = triples
                .collect::<Result<_, _>>()
                .map_err(evaluation_error)?;
            let refs: Vec<_> = triples.iter().map(Triple::as_ref).collect();
            return write_json_ld(&refs, writer).map_err(StoreError::Output);
        }
        let serializer =
            serializer_with_prefixes(representation, &[]).map_err(StoreError::Output)?;
        let mut out = serializer.for_writer(writer);
        for triple in triples {
            out.serialize_triple(&triple.map_err(evaluation_error)?)
                .map_err(StoreError::Output)?;
        }
        out.finish().map_err(StoreError::Output)?;
        Ok(())
    }

    /// The first `max_rows` rows of the answer, for a page a person reads: a SELECT's
    /// solutions, or a graph's triples as subject, predicate, object. The rest is never
    /// evaluated; `truncated` says whether there was more.
    pub fn table(self, max_rows: usize) -> Result<AnswerTable, StoreError> {
        let (columns, mut rows): (Vec<String>, Box<dyn Iterator<Item = Row>>) = match self.results {
            QueryResults::Boolean(value) => return Ok(AnswerTable::Boolean(value)),
            QueryResults::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let columns = variables.iter().map(|v| v.as_str().to_owned()).collect();
                let rows = solutions.map(move |solution| {
                    let solution = solution?;
                    Ok(variables.iter().map(|v| solution.get(v).cloned()).collect())
                });
                (columns, Box::new(rows))
            }
            QueryResults::Graph(triples) => {
                let columns = ["subject", "predicate", "object"].map(str::to_owned).into();
                let rows = triples.map(|triple| {
                    let triple = triple?;
                    Ok(vec![
                        Some(triple.subject.into()),
                        Some(triple.predicate.into()),
                        Some(triple.object),
                    ])
                });
                (columns, Box::new(rows))
            }
        };
        let kept = rows
            .by_ref()
            .take(max_rows)
            .collect::<Result<_, _>>()
            .map_err(evaluation_error)?;
        Ok(AnswerTable::Rows {
            columns,
            rows: kept,
            truncated: rows.next().is_some(),
        })
    }
}

/// A row as the engine yields it.
type Row = Result<Vec<Option<Term>>, QueryEvaluationError>;

/// The head of an answer, bounded, for people ([`Answer::table`]).
#[derive(Debug)]
pub enum AnswerTable {
    /// ASK.
    Boolean(bool),
    /// SELECT, or CONSTRUCT/DESCRIBE as triples.
    Rows {
        /// Variable names, or subject, predicate, object.
        columns: Vec<String>,
        /// One term per column; `None` where a variable is unbound.
        rows: Vec<Vec<Option<Term>>>,
        /// Whether the answer had more rows than were kept.
        truncated: bool,
    },
}

fn evaluation_error(error: QueryEvaluationError) -> StoreError {
    match error {
        QueryEvaluationError::Cancelled => StoreError::QueryCancelled,
        other => StoreError::Query(other.to_string()),
    }
}

impl CatalogStore {
    /// Refuses SPARQL nested deeper than the limit before the parser, which recurses once
    /// per level, sees it: 20 000 nested groups overflowed a thread's stack, and a stack
    /// overflow aborts the whole server.
    fn check_nesting(&self, what: &str, text: &str) -> Result<(), StoreError> {
        crate::limits::check(text.as_bytes(), crate::limits::Family::Sparql, &self.limits).map_err(
            |error| StoreError::Limit {
                path: what.to_owned(),
                error,
            },
        )
    }

    /// Parses `query`. Its default graph is the union of the store's graphs (all public;
    /// our bookkeeping is in a file beside the store), unless the request names graphs
    /// (`default-graph-uri`, `named-graph-uri`).
    pub(in crate::store) fn prepare_query(
        &self,
        query: &str,
        default_graphs: Vec<NamedNode>,
        named_graphs: Vec<NamedNode>,
        cancellation: CancellationToken,
    ) -> Result<PreparedQuery, StoreError> {
        self.check_nesting("the query", query)?;
        let mut prepared = self
            .evaluator
            .clone()
            .with_cancellation_token(cancellation)
            .parse_query(query)
            .map_err(|e| StoreError::QuerySyntax(e.to_string()))?;
        let dataset = prepared.dataset_mut();
        if default_graphs.is_empty() && named_graphs.is_empty() {
            dataset.set_default_graph_as_union();
        } else {
            dataset.set_default_graph(default_graphs.into_iter().map(GraphName::from).collect());
            dataset.set_available_named_graphs(
                named_graphs
                    .into_iter()
                    .map(NamedOrBlankNode::from)
                    .collect(),
            );
        }
        Ok(PreparedQuery(prepared))
    }

    /// Runs a SPARQL Update, atomically: oxigraph applies all its operations in one
    /// transaction, and writers are serialized. Caches learn of it through the generation;
    /// `Last-Modified` through [`touch`](Self::touch), since raw updates bypass records'
    /// `dct:modified`.
    ///
    /// Unlike queries, an update's `WHERE` reads the store's default graph unless `using`
    /// or the update's own `USING`/`WITH` say otherwise: it must read the graph its
    /// `DELETE` and `INSERT` templates write, or `DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }`
    /// would match triples it cannot delete.
    ///
    /// Each update is told in the catalog's history (`{base}history`), with its text and
    /// who sent it.
    pub(in crate::store) fn update(
        &self,
        update: &str,
        using: UsingDataset,
        by: &super::Provenance,
    ) -> Result<(), StoreError> {
        let prepared = self.parse_update(update, &using)?;
        let _writer = self.write_lock();
        let scope = self.update_scope(update, &using);
        let snapshots = self.snapshots.exclusive();
        let mut transaction = self.store.start_transaction()?;
        prepared
            .on_transaction(&mut transaction)
            .execute()
            .map_err(|e| StoreError::Update(e.to_string()))?;
        // Dataset records the update deleted become tombstones, in the same transaction;
        // those it brought back lose theirs.
        let (deleted, revived) = self.records_changed_by_update(&transaction)?;
        self.forget_in(&mut transaction, &revived)?;
        // Old tombstones go first: a new one is never purged in its own transaction.
        self.purge_tombstones_in(
            &mut transaction,
            crate::model::time::now_millis() - self.retention,
        )?;
        let stamp = self.clock.stamp();
        self.withdraw_deleted_in(&mut transaction, &deleted, stamp)?;
        let touched: Vec<_> = deleted
            .iter()
            .map(|id| self.base.record_graph(id))
            .chain(revived.iter().cloned())
            .collect();
        if self.has_catalog(&transaction)? {
            self.set_catalog_modified(
                &mut transaction,
                &crate::model::time::millis_literal(stamp),
            )?;
        }
        // Before the commit, so that no page serves a snapshot older than the update.
        self.snapshots.drop_all(&snapshots);
        self.commit(transaction)?;
        drop(snapshots);
        // The update may have changed any record's `dct:modified`: read the order again.
        let index = self.scan_feed()?;
        *self.feed_index_mut() = index;
        self.tell(&self.records_in_scope(scope, &deleted));
        if let Err(error) = self.touch() {
            tracing::warn!(%error, "the update is committed but its time was not recorded");
        }
        if let Err(error) = self.append_catalog_activity("sparql-update", by, update, &touched) {
            tracing::error!(%error, "the update is committed but the catalog's history missed it");
        }
        Ok(())
    }

    /// `update` parsed, its `USING` set to `using` if given (an update naming its own
    /// dataset as well is refused).
    fn parse_update(
        &self,
        update: &str,
        using: &UsingDataset,
    ) -> Result<PreparedSparqlUpdate, StoreError> {
        self.check_nesting("the update", update)?;
        let mut prepared = self
            .evaluator
            .clone()
            .parse_update(update)
            .map_err(|e| StoreError::QuerySyntax(e.to_string()))?;
        if !using.is_empty() {
            for dataset in prepared.using_datasets_mut() {
                if !dataset.is_default_dataset() {
                    return Err(StoreError::DatasetConflict);
                }
                dataset.set_default_graph(
                    using
                        .default_graphs
                        .iter()
                        .cloned()
                        .map(GraphName::from)
                        .collect(),
                );
                dataset.set_available_named_graphs(
                    using
                        .named_graphs
                        .iter()
                        .cloned()
                        .map(NamedOrBlankNode::from)
                        .collect(),
                );
            }
        }
        Ok(prepared)
    }

    /// The dataset records an update (in `transaction`) deleted, and the graphs of those
    /// it brought back.
    fn records_changed_by_update(
        &self,
        transaction: &oxigraph::store::Transaction<'_>,
    ) -> Result<(Vec<crate::model::RecordId>, Vec<NamedNode>), StoreError> {
        let remaining = self.dataset_records_in(transaction)?;
        let index = self.feed_index();
        let deleted = index
            .live_ids()
            .into_iter()
            .filter(|id| !remaining.contains(id))
            .collect();
        let revived = index
            .withdrawn_ids()
            .into_iter()
            .filter(|id| remaining.contains(id))
            .map(|id| self.base.record_graph(&id))
            .collect();
        Ok((deleted, revived))
    }

    /// The records an update in `scope` may have changed, `deleted` among them: those of
    /// the record graphs it wrote; anything if it wrote another graph (a vocabulary's
    /// labels show in datasets' documents).
    fn records_in_scope(
        &self,
        scope: super::update_scope::UpdateScope,
        deleted: &[crate::model::RecordId],
    ) -> Vec<super::RecordChange> {
        use super::RecordChange;
        let super::update_scope::UpdateScope::Graphs(graphs) = scope else {
            return vec![RecordChange::All];
        };
        let mut changes: Vec<RecordChange> = deleted
            .iter()
            .map(|id| RecordChange::Changed(id.clone()))
            .collect();
        for graph in &graphs {
            match self
                .base
                .local_id(crate::model::ResourceKind::Record, graph.as_str())
            {
                Some(id) => changes.push(RecordChange::Changed(id)),
                None => return vec![RecordChange::All],
            }
        }
        changes
    }

    /// Whether the catalog is described (an update may have removed it all).
    fn has_catalog(
        &self,
        transaction: &oxigraph::store::Transaction<'_>,
    ) -> Result<bool, StoreError> {
        let catalog = self.base.catalog();
        let graph = self.base.catalog_graph();
        transaction.holds_any(
            Some(catalog.as_ref().into()),
            None,
            None,
            Some(oxigraph::model::GraphNameRef::NamedNode(graph.as_ref())),
        )
    }

    /// Starts evaluating; solutions come as the answer is written.
    pub(in crate::store) fn evaluate(&self, query: PreparedQuery) -> Result<Answer, StoreError> {
        let results = query
            .0
            .on_store(&self.store)
            .execute()
            .map_err(evaluation_error)?;
        Ok(Answer { results })
    }
}

/// The engine as every request gets it: relative IRIs resolve against the endpoint
/// (the Protocol's "service-defined BASE URI"), and `SERVICE` never reaches the network.
pub(super) fn endpoint_evaluator(base: &BaseIri) -> Result<SparqlEvaluator, StoreError> {
    SparqlEvaluator::new()
        .without_default_http_service_handler()
        .with_base_iri(base.sparql_endpoint().into_string())
        .map_err(|e| StoreError::QuerySyntax(e.to_string()))
}

/// The `PREFIX` declarations (name, IRI) of a query's prologue, in order. Oxigraph's parsed
/// query does not keep them; only an answer's page needs them (to shorten IRIs), so they
/// are read then, not for every query. The engine has accepted the query before this
/// reads it, so this only has to follow a valid prologue; what it does not follow (an IRI
/// with `\u` escapes) ends the list early, which costs the page short names, not
/// correctness.
pub fn declared_prefixes(query: &str) -> Vec<(&str, &str)> {
    let mut prefixes = Vec::new();
    let mut rest = skip_space(query);
    while let Some((keyword, after)) = keyword(rest) {
        let after = skip_space(after);
        if keyword.eq_ignore_ascii_case("BASE") {
            let Some((_, after)) = iri_ref(after) else {
                break;
            };
            rest = after;
        } else if keyword.eq_ignore_ascii_case("PREFIX") {
            let Some((name, after)) = after.split_once(':') else {
                break;
            };
            if name.contains(|c: char| c.is_whitespace() || c == '<' || c == '#') {
                break;
            }
            let Some((iri, after)) = iri_ref(skip_space(after)) else {
                break;
            };
            prefixes.push((name, iri));
            rest = after;
        } else {
            break;
        }
        rest = skip_space(rest);
    }
    prefixes
}

/// `text` after white space and `#` comments.
fn skip_space(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        match text.strip_prefix('#') {
            Some(comment) => text = comment.split_once('\n').map_or("", |(_, next)| next),
            None => return text,
        }
    }
}

/// The word `text` starts with, and what follows it.
fn keyword(text: &str) -> Option<(&str, &str)> {
    let end = text
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    (end > 0).then(|| text.split_at(end))
}

/// The IRI of the `<...>` that `text` starts with, and what follows it; `None` for an IRI
/// with escapes.
fn iri_ref(text: &str) -> Option<(&str, &str)> {
    let (iri, rest) = text.strip_prefix('<')?.split_once('>')?;
    (!iri.contains('\\')).then_some((iri, rest))
}

#[cfg(test)]
mod tests {
    use super::declared_prefixes;

    #[test]
    fn the_prologue_gives_the_prefixes_in_order() {
        let query = "# a comment PREFIX no: <http://no/>\n\
            prefix dcat: <http://www.w3.org/ns/dcat#>\n\
            BASE <http://example.org/>   PREFIX : <http://example.org/ns#>\
            PREFIX dct:<http://purl.org/dc/terms/> # another\n\
            CONSTRUCT { ?d dct:title ?t } WHERE { ?d a dcat:Dataset ; dct:title ?t }";
        assert_eq!(
            declared_prefixes(query),
            [
                ("dcat", "http://www.w3.org/ns/dcat#"),
                ("", "http://example.org/ns#"),
                ("dct", "http://purl.org/dc/terms/"),
            ]
        );
    }

    #[test]
    fn the_prologue_ends_at_the_query() {
        assert!(declared_prefixes("DESCRIBE <http://e.org/d>").is_empty());
        assert!(declared_prefixes("SELECT * { ?s ?p ?o } # PREFIX a: <http://a/>").is_empty());
        assert!(declared_prefixes("").is_empty());
        // Relative IRIs are kept here; the serializer leaves them out.
        assert_eq!(declared_prefixes("PREFIX r: <rel/> ASK {}").len(), 1);
        // Escapes end the list rather than being decoded.
        assert!(declared_prefixes("PREFIX e: <http://e.org/\\u0041> ASK {}").is_empty());
    }
}
