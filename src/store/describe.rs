//! Descriptions for dereferencing: what a harvester needs in one request.
//!
//! A description is the quads of the resource's record (or the part of it the resource
//! owns), followed by the types and labels of every IRI it links to (publishers, themes,
//! licences, data papers...) taken from the graphs that describe them. Quads keep their
//! graph, so N-Quads and TriG show where each statement lives.

use super::feed::FeedEntry;
use super::{CatalogStore, StoreError};
use crate::model::time::parse_date_time;
use crate::model::vocab::{RDF_TYPE, dcat, dct, fabio, foaf};
use crate::model::{RecordId, ResourceKind, owned_triples};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{
    Graph, GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad,
    Term, TermRef, Triple, TripleRef,
};
use std::collections::HashSet;
use std::sync::Arc;

/// The catalog's part of every feed page (see [`CatalogStore::feed_header`]).
#[derive(Debug)]
pub struct FeedHeader {
    /// The catalog's quads, its links to datasets and records left out.
    pub quads: Vec<Quad>,
    /// The IRIs whose types and labels it carries, so pages do not repeat them.
    pub lent: HashSet<String>,
    /// The catalog's `dct:modified` (it moves with every write) or the last SPARQL Update.
    pub modified: Option<time::OffsetDateTime>,
}

/// What dereferencing a resource returns.
#[derive(Debug, Clone)]
pub struct Description {
    /// The resource described (a dataset's original IRI for a harvested dataset).
    pub topic: NamedNode,
    /// Its quads: its own first, then the linked resources' types and labels.
    pub quads: Vec<Quad>,
    /// When its answer last changed: its record's `dct:modified`, or later if a record
    /// lending it labels changed since.
    pub modified: Option<time::OffsetDateTime>,
    /// Its record's own `dct:modified` in milliseconds: the version `If-Match` names.
    pub version: Option<i64>,
}

impl Description {
    /// The feed a harvested record names as its source: its catalog record's `dct:source`
    /// (the source's own record), then that one's `dct:isPartOf`; `None` for our own.
    pub fn harvest_feed(&self) -> Option<String> {
        let quads = &self.quads;
        quads
            .iter()
            .filter(|q| q.predicate == dct::SOURCE)
            .filter_map(|q| match &q.object {
                Term::NamedNode(n) => Some(NamedOrBlankNodeRef::from(n.as_ref())),
                Term::BlankNode(b) => Some(NamedOrBlankNodeRef::from(b.as_ref())),
                _ => None,
            })
            .find_map(|source| {
                quads.iter().find_map(|q| match &q.object {
                    Term::NamedNode(feed)
                        if q.predicate == dct::IS_PART_OF && q.subject.as_ref() == source =>
                    {
                        Some(feed.as_str().to_owned())
                    }
                    _ => None,
                })
            })
    }
}

impl CatalogStore {
    /// Describes the resource at `{base}{kind}/{id}`; `None` when there is none.
    pub(in crate::store) fn describe(
        &self,
        kind: ResourceKind,
        id: &RecordId,
    ) -> Result<Option<Description>, StoreError> {
        match kind {
            ResourceKind::Dataset | ResourceKind::DataPaper | ResourceKind::Agent => {
                self.describe_record_topic(kind, id)
            }
            ResourceKind::Record => self.describe_catalog_record(id),
            ResourceKind::Distribution => self.describe_distribution(id),
        }
    }

    /// Describes the catalog: its graph, with the types and titles of its datasets.
    /// Its `dct:modified` moves with every write of a dataset (see `records.rs`).
    pub(in crate::store) fn describe_catalog(&self) -> Result<Description, StoreError> {
        let catalog = self.base.catalog();
        let mut quads = self.graph_quads(self.base.catalog_graph().as_ref())?;
        let modified = modified_of(&quads, &catalog).max(self.touched());
        // Where its VoID description is (the counts, the dump, the endpoint).
        quads.push(Quad::new(
            catalog.clone(),
            NamedNodeRef::new_unchecked("http://rdfs.org/ns/void#inDataset"),
            NamedNode::new_unchecked(format!("{}.well-known/void#catalog", self.base.as_str())),
            self.base.catalog_graph(),
        ));
        self.finish(catalog, quads, modified)
    }

    /// The catalog's `dct:title`s.
    pub(in crate::store) fn catalog_titles(&self) -> Result<Vec<Literal>, StoreError> {
        let catalog = self.base.catalog();
        let graph = self.base.catalog_graph();
        let mut titles = Vec::new();
        for quad in self.store.quads_for_pattern(
            Some(catalog.as_ref().into()),
            Some(dct::TITLE),
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        ) {
            if let Term::Literal(title) = quad?.object {
                titles.push(title);
            }
        }
        Ok(titles)
    }

    /// A dataset, data paper or agent: its whole record graph, topic first.
    ///
    /// The record is found by its topic when the topic is our IRI `{base}{kind}/{id}` (its
    /// record id may differ after an id clash on load), else as `{base}records/{id}` (a
    /// harvested resource keeps its foreign IRI; `id` is then its record's).
    fn describe_record_topic(
        &self,
        kind: ResourceKind,
        id: &RecordId,
    ) -> Result<Option<Description>, StoreError> {
        let iri = self.base.resource(kind, id);
        let graph = match self.record_of(&iri)? {
            Some(graph) => graph,
            None => self.base.record_graph(id),
        };
        let quads = self.graph_quads(graph.as_ref())?;
        let Some(topic) = record_topic(&quads, &graph) else {
            return Ok(None);
        };
        if !has_kind(&quads, &topic, kind) {
            return Ok(None);
        }
        let modified = modified_of(&quads, &graph);
        let mut quads = topic_first(quads, &topic);
        if kind == ResourceKind::Dataset {
            self.add_describing_papers(&topic, &mut quads)?;
        }
        self.finish_record(topic.clone(), quads, modified).map(Some)
    }

    /// A catalog record page: the record node and its blank nodes, not its topic.
    fn describe_catalog_record(&self, id: &RecordId) -> Result<Option<Description>, StoreError> {
        let graph = self.base.record_graph(id);
        let quads = self.graph_quads(graph.as_ref())?;
        let Some(topic) = record_topic(&quads, &graph) else {
            return Ok(None);
        };
        let modified = modified_of(&quads, &graph);
        let stop = |node: NamedOrBlankNodeRef<'_>| node == topic.as_ref().into();
        let owned = owned_by(&quads, graph.as_ref().into(), &stop);
        self.finish_record(graph, owned, modified).map(Some)
    }

    /// A distribution: what it owns within its dataset's record graph.
    fn describe_distribution(&self, id: &RecordId) -> Result<Option<Description>, StoreError> {
        let iri = self.base.resource(ResourceKind::Distribution, id);
        let Some(graph) = self.graph_describing(&iri)? else {
            return Ok(None);
        };
        let quads = self.graph_quads(graph.as_ref())?;
        if !has_kind(&quads, &iri, ResourceKind::Distribution) {
            return Ok(None);
        }
        let modified = modified_of(&quads, &graph);
        // Within a dataset's graph a distribution must not pull in the dataset itself.
        let topic = record_topic(&quads, &graph);
        let stop = |node: NamedOrBlankNodeRef<'_>| {
            node == graph.as_ref().into()
                || topic.as_ref().is_some_and(|t| node == t.as_ref().into())
        };
        let owned = owned_by(&quads, iri.as_ref().into(), &stop);
        self.finish_record(iri, owned, modified).map(Some)
    }

    /// The record graph whose catalog record has `topic` as `foaf:primaryTopic`.
    pub(super) fn record_of(&self, topic: &NamedNode) -> Result<Option<NamedNode>, StoreError> {
        for quad in self.store.quads_for_pattern(
            None,
            Some(foaf::PRIMARY_TOPIC),
            Some(topic.as_ref().into()),
            None,
        ) {
            let quad = quad?;
            if let GraphName::NamedNode(graph) = &quad.graph_name
                && quad.subject.as_ref() == graph.as_ref().into()
                && self.is_record_graph(graph)
            {
                return Ok(Some(graph.clone()));
            }
        }
        Ok(None)
    }

    pub(in crate::store) fn is_record_graph(&self, graph: &NamedNode) -> bool {
        self.base
            .local_id(ResourceKind::Record, graph.as_str())
            .is_some()
    }

    /// The record graph in which `iri` is described as a subject.
    fn graph_describing(&self, iri: &NamedNode) -> Result<Option<NamedNode>, StoreError> {
        for quad in
            self.store
                .quads_for_pattern(Some(iri.as_ref().into()), Some(RDF_TYPE), None, None)
        {
            if let GraphName::NamedNode(graph) = quad?.graph_name
                && self.is_record_graph(&graph)
            {
                return Ok(Some(graph));
            }
        }
        Ok(None)
    }

    /// [`finish`](Self::finish) for a record's resource, whose `Last-Modified` is the latest
    /// `dct:modified` of its record and of the records that lent it types and labels: a
    /// publisher renamed in its own record changes the dataset's answer. (The catalog needs
    /// no such lookup: its own `dct:modified` moves with every record write.)
    fn finish_record(
        &self,
        topic: NamedNode,
        quads: Vec<Quad>,
        modified: Option<time::OffsetDateTime>,
    ) -> Result<Description, StoreError> {
        let mut description = self.finish(topic, quads, modified)?;
        let lent = self.lenders_modified(&description.quads)?;
        description.modified = description.modified.max(lent).max(self.touched());
        Ok(description)
    }

    /// The latest `dct:modified` of the record graphs among the quads' graphs.
    fn lenders_modified(&self, quads: &[Quad]) -> Result<Option<time::OffsetDateTime>, StoreError> {
        let mut graphs: HashSet<&NamedNode> = HashSet::new();
        for quad in quads {
            if let GraphName::NamedNode(graph) = &quad.graph_name
                && self.is_record_graph(graph)
            {
                graphs.insert(graph);
            }
        }
        let mut latest = None;
        for graph in graphs {
            let g = GraphNameRef::NamedNode(graph.as_ref());
            for quad in self.store.quads_for_pattern(
                Some(graph.as_ref().into()),
                Some(dct::MODIFIED),
                None,
                Some(g),
            ) {
                latest = latest.max(parse_date_time(quad?.object.as_ref()));
            }
        }
        Ok(latest)
    }

    /// Restores datatypes and appends the types and labels of linked resources.
    fn finish(
        &self,
        topic: NamedNode,
        mut quads: Vec<Quad>,
        modified: Option<time::OffsetDateTime>,
    ) -> Result<Description, StoreError> {
        self.complete(&mut quads, &mut HashSet::new())?;
        Ok(Description {
            topic,
            quads,
            modified,
            version: modified.map(crate::model::time::to_millis),
        })
    }

    /// `quads` about `topic`, topic first, with the types and labels of what they link to.
    pub(in crate::store) fn describe_quads(
        &self,
        topic: NamedNode,
        quads: Vec<Quad>,
    ) -> Result<Description, StoreError> {
        let quads = topic_first(quads, &topic);
        self.finish(topic, quads, None)
    }

    /// `triples` with the types and labels the store knows of what they link to (agents,
    /// vocabulary concepts): SHACL class constraints look for those types in the data.
    pub(in crate::store) fn in_context(&self, triples: &[Triple]) -> Result<Graph, StoreError> {
        let mut quads: Vec<Quad> = triples
            .iter()
            .map(|t| t.clone().in_graph(GraphName::DefaultGraph))
            .collect();
        self.complete(&mut quads, &mut HashSet::new())?;
        Ok(quads.iter().map(|q| TripleRef::from(q.as_ref())).collect())
    }

    /// The catalog as every feed page shows it: its graph without the links to datasets
    /// and records (a page lists its own), with the types and labels of what it links to.
    /// Made once per store generation: the catalog graph holds a link per dataset.
    pub(in crate::store) fn feed_header(&self) -> Result<Arc<FeedHeader>, StoreError> {
        let generation = self.generation();
        let mut cached = self
            .feed_header
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((made_at, header)) = cached.as_ref()
            && *made_at == generation
        {
            return Ok(header.clone());
        }
        let catalog = self.base.catalog();
        let mut quads: Vec<Quad> = Vec::new();
        for quad in self.store.quads_for_pattern(
            None,
            None,
            None,
            Some(GraphNameRef::NamedNode(self.base.catalog_graph().as_ref())),
        ) {
            let quad = quad?;
            if !(quad.subject == catalog.clone().into()
                && super::feed::is_catalog_link(quad.predicate.as_ref()))
            {
                quads.push(quad);
            }
        }
        let modified = modified_of(&quads, &catalog).max(self.touched());
        let mut quads = topic_first(quads, &catalog);
        let mut lent = HashSet::new();
        self.complete(&mut quads, &mut lent)?;
        let header = Arc::new(FeedHeader {
            quads,
            lent,
            modified,
        });
        *cached = Some((generation, header.clone()));
        Ok(header)
    }

    /// A feed item: a dataset's whole record graph (record node, dataset, distributions
    /// and the nodes they own), or a tombstone; with the types and labels of what it links
    /// to that the page has not shown yet. Empty when the record went away meanwhile.
    pub(in crate::store) fn describe_feed_entry(
        &self,
        entry: &FeedEntry,
        lent: &mut HashSet<String>,
    ) -> Result<Vec<Quad>, StoreError> {
        let mut quads = if entry.withdrawn {
            self.tombstone_quads(&entry.key.id)?
        } else {
            let graph = self.base.record_graph(&entry.key.id);
            let key = &entry.key;
            let quads = self.snapshots.get(&key.id, key.modified, &graph, || {
                let quads = self.graph_quads(graph.as_ref())?;
                let version = modified_of(&quads, &graph).map(crate::model::time::to_millis);
                Ok::<_, StoreError>((quads, version))
            })?;
            let Some(topic) = record_topic(&quads, &graph) else {
                return Ok(Vec::new());
            };
            let mut quads = topic_first(quads, &topic);
            self.add_describing_papers(&topic, &mut quads)?;
            quads
        };
        self.complete(&mut quads, lent)?;
        Ok(quads)
    }
}

/// The `foaf:primaryTopic` of the record node `graph` (when it is an IRI).
fn record_topic(quads: &[Quad], graph: &NamedNode) -> Option<NamedNode> {
    quads.iter().find_map(|q| match &q.object {
        Term::NamedNode(topic)
            if q.predicate == foaf::PRIMARY_TOPIC
                && q.subject.as_ref() == graph.as_ref().into() =>
        {
            Some(topic.clone())
        }
        _ => None,
    })
}

/// The `dct:modified` of `subject` (a record node, or the catalog).
fn modified_of(quads: &[Quad], subject: &NamedNode) -> Option<time::OffsetDateTime> {
    quads
        .iter()
        .find(|q| q.predicate == dct::MODIFIED && q.subject.as_ref() == subject.as_ref().into())
        .and_then(|q| parse_date_time(q.object.as_ref()))
}

/// Whether `resource` is typed in `quads` as what pages of `kind` show.
fn has_kind(quads: &[Quad], resource: &NamedNode, kind: ResourceKind) -> bool {
    let classes: &[NamedNodeRef<'_>] = match kind {
        ResourceKind::Dataset => &[dcat::DATASET],
        ResourceKind::Distribution => &[dcat::DISTRIBUTION],
        ResourceKind::DataPaper => &[fabio::DATA_PAPER],
        ResourceKind::Agent => &[foaf::AGENT, foaf::ORGANIZATION, foaf::PERSON],
        ResourceKind::Record => &[dcat::CATALOG_RECORD],
    };
    quads.iter().any(|q| {
        q.subject.as_ref() == resource.as_ref().into()
            && q.predicate == RDF_TYPE
            && matches!(q.object.as_ref(), TermRef::NamedNode(n) if classes.contains(&n))
    })
}

/// Moves the topic's quads to the front, keeping the store's order otherwise, so Turtle
/// and JSON-LD readers see the resource before its parts.
fn topic_first(quads: Vec<Quad>, topic: &NamedNode) -> Vec<Quad> {
    let (mut first, rest): (Vec<_>, Vec<_>) = quads
        .into_iter()
        .partition(|q| q.subject.as_ref() == topic.as_ref().into());
    first.extend(rest);
    first
}

/// The quads of `start` and of the nodes it owns within one graph's `quads` (see
/// [`owned_triples`]), not crossing into nodes for which `stop` holds.
fn owned_by(
    quads: &[Quad],
    start: NamedOrBlankNodeRef<'_>,
    stop: &dyn Fn(NamedOrBlankNodeRef<'_>) -> bool,
) -> Vec<Quad> {
    let Some(graph_name) = quads.first().map(|q| q.graph_name.clone()) else {
        return Vec::new();
    };
    let graph: Graph = quads
        .iter()
        .map(|q| TripleRef::new(&q.subject, &q.predicate, &q.object))
        .collect();
    owned_triples(&graph, start, &|node| stop(node), &mut HashSet::new())
        .into_iter()
        .map(|t| t.in_graph(graph_name.clone()))
        .collect()
}

/// oxigraph stores every integer subtype as `xsd:integer`; DCAT-AP requires
/// `dcat:byteSize` as `xsd:nonNegativeInteger`, so we restore it on the way out.
pub(super) fn restore_datatype(quad: &mut Quad) {
    if quad.predicate != dcat::BYTE_SIZE {
        return;
    }
    if let Term::Literal(literal) = &quad.object
        && literal.datatype() == xsd::INTEGER
        && !literal.value().starts_with('-')
    {
        quad.object = Literal::new_typed_literal(literal.value(), xsd::NON_NEGATIVE_INTEGER).into();
    }
}
