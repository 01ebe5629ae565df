//! Looking records up: what state a record is in, which record a resource belongs to, who
//! may write it; and the one-quad lookups every part of the store makes, on the store or in
//! a transaction alike ([`QuadSource`]).

use super::{CatalogStore, StoreError};
use crate::model::time::to_millis;
use crate::model::vocab::{RDF_TYPE, cito, dcat, dct, foaf};
use crate::model::{RecordId, RecordKind, ResourceKind};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad,
    Term, TermRef, Triple, TripleRef,
};
use oxigraph::store::{StorageError, Store, Transaction};

/// What quads are read from: the store, or a transaction that sees its own writes.
pub(super) trait QuadSource {
    /// The quads matching a pattern.
    fn matching<'a>(
        &'a self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Box<dyn Iterator<Item = Result<Quad, StorageError>> + 'a>;

    /// The first quad matching a pattern, if any.
    fn first(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Result<Option<Quad>, StoreError> {
        Ok(self
            .matching(subject, predicate, object, graph)
            .next()
            .transpose()?)
    }

    /// Whether any quad matches a pattern.
    fn holds_any(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Result<bool, StoreError> {
        Ok(self.first(subject, predicate, object, graph)?.is_some())
    }

    /// The first object of `subject predicate` in the named graph `graph`.
    fn object_of(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        graph: NamedNodeRef<'_>,
    ) -> Result<Option<Term>, StoreError> {
        let graph = GraphNameRef::NamedNode(graph);
        Ok(self
            .first(Some(subject), Some(predicate), None, Some(graph))?
            .map(|quad| quad.object))
    }

    /// Whether the named graph `graph` holds anything.
    fn graph_holds_any(&self, graph: NamedNodeRef<'_>) -> Result<bool, StoreError> {
        self.holds_any(None, None, None, Some(GraphNameRef::NamedNode(graph)))
    }

    /// What the named graph `graph` holds, as quads of the default graph (a record's
    /// content, a draft, a history).
    fn graph_quads(&self, graph: NamedNodeRef<'_>) -> Result<Vec<Quad>, StoreError> {
        self.matching(None, None, None, Some(GraphNameRef::NamedNode(graph)))
            .map(|q| {
                q.map(|q| Quad::new(q.subject, q.predicate, q.object, GraphName::DefaultGraph))
                    .map_err(StoreError::from)
            })
            .collect()
    }
}

/// The store and a transaction read quads the same way, under the same name.
macro_rules! quad_source {
    ($($source:ty),*) => {$(
        impl QuadSource for $source {
            fn matching<'a>(
                &'a self,
                subject: Option<NamedOrBlankNodeRef<'_>>,
                predicate: Option<NamedNodeRef<'_>>,
                object: Option<TermRef<'_>>,
                graph: Option<GraphNameRef<'_>>,
            ) -> Box<dyn Iterator<Item = Result<Quad, StorageError>> + 'a> {
                Box::new(self.quads_for_pattern(subject, predicate, object, graph))
            }
        }
    )*};
}

quad_source!(Store, Transaction<'_>);

/// A record as it is now, for access checks and `If-Match`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentRecord {
    /// Its id.
    pub id: RecordId,
    /// The resource it describes.
    pub topic: NamedNode,
    /// Its version (`dct:modified` in milliseconds).
    pub version: i64,
    /// The agents whose editors may write it (see [`CatalogStore::owners`]).
    pub owners: Vec<String>,
}

impl CurrentRecord {
    /// `Ok` if the writer saw this version, else [`StoreError::Stale`].
    pub(super) fn check_version(&self, seen: i64) -> Result<(), StoreError> {
        if self.version == seen {
            Ok(())
        } else {
            Err(StoreError::Stale { expected: seen })
        }
    }
}

/// Whether a record exists, existed, or never did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordState {
    /// No record, and no trace of one.
    Missing,
    /// The record.
    Live(CurrentRecord),
    /// Deleted: a tombstone remains (datasets only).
    Withdrawn,
}

impl CatalogStore {
    /// The state of the record of kind `kind` with id `id`.
    pub(in crate::store) fn record_state(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<RecordState, StoreError> {
        let transaction = self.store.start_transaction()?;
        if let Some(current) = self.current_in(&transaction, kind, id)? {
            return Ok(RecordState::Live(current));
        }
        if self.is_withdrawn(id)? {
            return Ok(RecordState::Withdrawn);
        }
        Ok(RecordState::Missing)
    }

    /// Whether `topic` is the topic of a record (another record's triples are not for a
    /// record to write).
    pub(in crate::store) fn has_record(&self, topic: &NamedNode) -> Result<bool, StoreError> {
        let transaction = self.store.start_transaction()?;
        Ok(self.record_of_topic(&transaction, topic)?.is_some())
    }

    /// The names of the agents `iris`, in order: their `foaf:name` in their record (in
    /// `language` when they have one in it), else the IRI itself (a publisher named by an
    /// IRI the catalog does not describe).
    pub fn agent_names(
        &self,
        iris: &[String],
        language: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        iris.iter()
            .map(|iri| {
                let name = match NamedNode::new(iri.as_str()) {
                    Ok(topic) => self.name_in_record(&topic, language)?,
                    Err(_) => None,
                };
                Ok((iri.clone(), name.unwrap_or_else(|| iri.clone())))
            })
            .collect()
    }

    /// The live public datasets of the publishers `publishers` (their IRI and title in
    /// `language`, else any), by title, at most `limit`: what an editor picks from when a
    /// data paper describes their data.
    pub fn datasets_published_by(
        &self,
        publishers: &[String],
        (language, limit): (&str, usize),
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut found = Vec::new();
        for publisher in publishers {
            let Ok(publisher) = NamedNode::new(publisher.as_str()) else {
                continue;
            };
            for quad in self.store.quads_for_pattern(
                None,
                Some(dct::PUBLISHER),
                Some(publisher.as_ref().into()),
                None,
            ) {
                let quad = quad?;
                let (NamedOrBlankNode::NamedNode(dataset), GraphName::NamedNode(graph)) =
                    (quad.subject, quad.graph_name)
                else {
                    continue;
                };
                if found.len() < limit && self.record_of(&dataset)?.as_ref() == Some(&graph) {
                    let title = self.text_in_record(&dataset, dct::TITLE, language)?;
                    found.push((
                        dataset.as_str().to_owned(),
                        title.unwrap_or_else(|| dataset.as_str().to_owned()),
                    ));
                }
            }
        }
        found.sort_by_key(|(_, title)| title.to_lowercase());
        found.dedup_by(|a, b| a.0 == b.0);
        Ok(found)
    }

    fn name_in_record(
        &self,
        topic: &NamedNode,
        language: &str,
    ) -> Result<Option<String>, StoreError> {
        self.text_in_record(topic, foaf::NAME, language)
    }

    /// `topic`'s `predicate` in its record: in `language` when there is one in it, else any.
    fn text_in_record(
        &self,
        topic: &NamedNode,
        predicate: NamedNodeRef<'_>,
        language: &str,
    ) -> Result<Option<String>, StoreError> {
        let Some(graph) = self.record_of(topic)? else {
            return Ok(None);
        };
        let mut any = None;
        for quad in self.store.quads_for_pattern(
            Some(topic.as_ref().into()),
            Some(predicate),
            None,
            Some(graph.as_ref().into()),
        ) {
            if let Term::Literal(name) = quad?.object {
                if name.language() == Some(language) {
                    return Ok(Some(name.value().to_owned()));
                }
                any.get_or_insert_with(|| name.value().to_owned());
            }
        }
        Ok(any)
    }

    /// The record (public, else a draft) whose topic is `topic`.
    pub(in crate::store) fn record_id_of(
        &self,
        topic: &NamedNode,
    ) -> Result<Option<RecordId>, StoreError> {
        if let Some(graph) = self.record_of(topic)? {
            return Ok(self.base.local_id(ResourceKind::Record, graph.as_str()));
        }
        self.private_record_of(None, foaf::PRIMARY_TOPIC, topic.as_ref().into())
    }

    /// The dataset record (public, else a draft) whose graph describes the distribution
    /// `distribution`: a distribution is written as part of its dataset.
    pub(in crate::store) fn dataset_of_distribution(
        &self,
        distribution: &NamedNode,
    ) -> Result<Option<RecordId>, StoreError> {
        // The graph that describes it (types it), and whose dataset links it: another
        // record's mere link to it does not make it theirs.
        for quad in self.store.quads_for_pattern(
            Some(distribution.as_ref().into()),
            Some(RDF_TYPE),
            Some(dcat::DISTRIBUTION.into()),
            None,
        ) {
            if let GraphName::NamedNode(graph) = quad?.graph_name
                && let Some(id) = self.base.local_id(ResourceKind::Record, graph.as_str())
            {
                return Ok(Some(id));
            }
        }
        self.private_record_of(
            Some(distribution.as_ref()),
            RDF_TYPE,
            dcat::DISTRIBUTION.into(),
        )
    }

    /// The draft whose graph holds a triple `subject predicate object` (any subject if
    /// `None`).
    fn private_record_of(
        &self,
        subject: Option<NamedNodeRef<'_>>,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<Option<RecordId>, StoreError> {
        for quad in self.private.quads_for_pattern(
            subject.map(Into::into),
            Some(predicate),
            Some(object),
            None,
        ) {
            if let GraphName::NamedNode(graph) = quad?.graph_name
                && let Some(id) = self.base.local_id(ResourceKind::Record, graph.as_str())
            {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// Whether the record graph `graph` (public, else a draft's) holds `triple`.
    pub(in crate::store) fn record_holds(
        &self,
        graph: &NamedNode,
        triple: &Triple,
    ) -> Result<bool, StoreError> {
        let quad = triple.as_ref().in_graph(graph.as_ref());
        Ok(self.store.contains(quad)? || self.private.contains(quad)?)
    }

    /// Whether either store says anything about `iri`: a new resource must not take it.
    pub(in crate::store) fn iri_in_use(&self, iri: &NamedNode) -> Result<bool, StoreError> {
        let subject = Some(iri.as_ref().into());
        Ok(self.store.holds_any(subject, None, None, None)?
            || self.private.holds_any(subject, None, None, None)?)
    }

    /// Whether a graph other than `own` (a record's graph) says anything about `subject`.
    pub(in crate::store) fn described_elsewhere(
        &self,
        subject: &NamedNode,
        own: Option<&NamedNode>,
    ) -> Result<bool, StoreError> {
        for quad in self
            .store
            .quads_for_pattern(Some(subject.as_ref().into()), None, None, None)
        {
            let quad = quad?;
            let mine = matches!((&quad.graph_name, own), (oxigraph::model::GraphName::NamedNode(g), Some(own)) if g == own);
            if !mine {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Whether the record `id` is or was public (a record or a tombstone): its history
    /// may be read by anyone.
    pub(in crate::store) fn was_public(&self, id: &RecordId) -> Result<bool, StoreError> {
        Ok(self
            .store
            .graph_holds_any(self.base.record_graph(id).as_ref())?
            || self.is_withdrawn(id)?)
    }

    /// The withdrawn record whose resource was `topic`, if there is one: a tombstone names
    /// it, or a history whose last revision deleted it.
    pub(super) fn withdrawn_record_of(
        &self,
        topic: &NamedNode,
    ) -> Result<Option<RecordId>, StoreError> {
        let withdrawn = self.base.withdrawn_graph();
        for quad in self.store.quads_for_pattern(
            None,
            Some(foaf::PRIMARY_TOPIC),
            Some(topic.as_ref().into()),
            Some(GraphNameRef::NamedNode(withdrawn.as_ref())),
        ) {
            if let NamedOrBlankNode::NamedNode(record) = quad?.subject
                && let Some(id) = self.base.local_id(ResourceKind::Record, record.as_str())
            {
                return Ok(Some(id));
            }
        }
        for id in self.histories_of(topic)? {
            if self.deleted_topic(&id)?.as_ref() == Some(topic) {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// The resource the record `id` described before it was withdrawn, if it was.
    pub(super) fn withdrawn_topic(&self, id: &RecordId) -> Result<Option<NamedNode>, StoreError> {
        match self.tombstone_topic(id)? {
            Some(topic) => Ok(Some(topic)),
            None => self.deleted_topic(id),
        }
    }

    /// The dataset whose tombstone stands for the record `id`, if one does.
    fn tombstone_topic(&self, id: &RecordId) -> Result<Option<NamedNode>, StoreError> {
        let record = self.base.record_graph(id);
        let withdrawn = self.base.withdrawn_graph();
        for quad in self.store.quads_for_pattern(
            Some(record.as_ref().into()),
            Some(foaf::PRIMARY_TOPIC),
            None,
            Some(GraphNameRef::NamedNode(withdrawn.as_ref())),
        ) {
            if let Term::NamedNode(topic) = quad?.object {
                return Ok(Some(topic));
            }
        }
        Ok(None)
    }

    /// The data papers that say they describe `dataset` (`cito:describes`), in IRI order.
    pub(in crate::store) fn papers_describing(
        &self,
        dataset: &NamedNode,
    ) -> Result<Vec<NamedNode>, StoreError> {
        let mut papers = Vec::new();
        for quad in self.store.quads_for_pattern(
            None,
            Some(cito::DESCRIBES),
            Some(dataset.as_ref().into()),
            None,
        ) {
            if let NamedOrBlankNode::NamedNode(paper) = quad?.subject {
                papers.push(paper);
            }
        }
        papers.sort();
        papers.dedup();
        Ok(papers)
    }

    /// Whether the record `id` was deleted while public: a tombstone stands for it (a
    /// dataset's, kept for a while for harvesters), or its history ends with its deletion.
    pub(in crate::store) fn is_withdrawn(&self, id: &RecordId) -> Result<bool, StoreError> {
        Ok(self.has_tombstone(id)? || self.deleted_topic(id)?.is_some())
    }

    /// Whether a tombstone stands for the record `id`.
    pub(super) fn has_tombstone(&self, id: &RecordId) -> Result<bool, StoreError> {
        let record = self.base.record_graph(id);
        let withdrawn = self.base.withdrawn_graph();
        self.store.holds_any(
            Some(record.as_ref().into()),
            None,
            None,
            Some(GraphNameRef::NamedNode(withdrawn.as_ref())),
        )
    }

    /// The record `id` of kind `kind` as `transaction` sees it.
    pub(super) fn current_in(
        &self,
        transaction: &Transaction<'_>,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Option<CurrentRecord>, StoreError> {
        let graph = self.base.record_graph(id);
        let quads = transaction
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .collect::<Result<Vec<_>, _>>()?;
        self.current_of(&quads, kind, id)
    }

    /// The record `id` of kind `kind` in the quads of its graph (of either store).
    pub(super) fn current_of(
        &self,
        quads: &[Quad],
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Option<CurrentRecord>, StoreError> {
        let graph = self.base.record_graph(id);
        let record: NamedOrBlankNode = graph.clone().into();
        let object = |subject: &NamedOrBlankNode, predicate| {
            quads
                .iter()
                .find(|q| &q.subject == subject && q.predicate == predicate)
                .map(|q| &q.object)
        };
        let Some(Term::NamedNode(topic)) = object(&record, foaf::PRIMARY_TOPIC) else {
            return Ok(None);
        };
        let topic_node: NamedOrBlankNode = topic.clone().into();
        // The API path names the kind: a dataset's id under /api/agents/ is not an agent.
        let of_kind = self
            .base
            .local_id(kind.resource_kind(), topic.as_str())
            .is_some()
            || quads.iter().any(|q| {
                q.subject == topic_node
                    && q.predicate == crate::model::vocab::RDF_TYPE
                    && matches!(&q.object, Term::NamedNode(c)
                        if RecordKind::of_class(c.as_ref()) == Some(kind))
            });
        if !of_kind {
            return Ok(None);
        }
        let version = object(&record, dct::MODIFIED)
            .and_then(|m| crate::model::time::parse_date_time(m.as_ref()))
            .map_or(0, to_millis);
        let owners = self.owners(
            kind,
            topic_node.as_ref(),
            quads.iter().map(|q| TripleRef::from(q.as_ref())),
        );
        Some(owners.map(|owners| CurrentRecord {
            id: id.clone(),
            topic: topic.clone(),
            version,
            owners,
        }))
        .transpose()
    }

    /// The agents whose editors may write a record of `kind` about `topic` that says
    /// `triples`: a dataset's publishers; a data paper's, those of the datasets it
    /// describes (its authors are not our users, the datasets' stewards are); an agent,
    /// itself.
    pub(in crate::store) fn owners<'a>(
        &self,
        kind: RecordKind,
        topic: NamedOrBlankNodeRef<'_>,
        triples: impl Iterator<Item = TripleRef<'a>>,
    ) -> Result<Vec<String>, StoreError> {
        let objects = |predicate| -> Vec<NamedNodeRef<'a>> {
            triples
                .filter(|t| t.subject == topic && t.predicate == predicate)
                .filter_map(|t| match t.object {
                    TermRef::NamedNode(n) => Some(n),
                    _ => None,
                })
                .collect()
        };
        let mut owners: Vec<String> = match kind {
            RecordKind::Agent => match topic {
                NamedOrBlankNodeRef::NamedNode(n) => vec![n.as_str().to_owned()],
                NamedOrBlankNodeRef::BlankNode(_) => Vec::new(),
            },
            RecordKind::Dataset => objects(dct::PUBLISHER)
                .into_iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
            RecordKind::DataPaper => {
                // Every described dataset must be a live public record: a draft or a
                // withdrawn dataset would let anyone claim the paper. Otherwise admins only.
                let mut publishers = Vec::new();
                for dataset in objects(cito::DESCRIBES) {
                    match self.publishers_of(dataset)? {
                        Some(found) if !found.is_empty() => publishers.extend(found),
                        _ => return Ok(Vec::new()),
                    }
                }
                publishers
            }
        };
        owners.sort();
        owners.dedup();
        Ok(owners)
    }

    /// The publishers of the dataset `dataset` as its live public record says; `None`
    /// when it has none.
    fn publishers_of(&self, dataset: NamedNodeRef<'_>) -> Result<Option<Vec<String>>, StoreError> {
        let Some(graph) = self.record_of(&dataset.into_owned())? else {
            return Ok(None);
        };
        let mut publishers = Vec::new();
        for quad in self.store.quads_for_pattern(
            Some(dataset.into()),
            Some(dct::PUBLISHER),
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        ) {
            if let Term::NamedNode(p) = quad?.object {
                publishers.push(p.into_string());
            }
        }
        Ok(Some(publishers))
    }
}
