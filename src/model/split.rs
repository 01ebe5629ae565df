//! Splitting a DCAT graph into records: one per dataset, data paper and agent, each with
//! the nodes it owns, so that each can live in its own named graph (DESIGN.md, store layout).

use super::ids::{BaseIri, RecordId, ResourceKind};
use super::vocab::{RDF_TYPE, dcat, dct, fabio, foaf, skos};
use oxigraph::model::{
    Graph, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, TermRef, Triple, TripleRef,
};
use std::collections::{HashSet, VecDeque};

/// The kinds of resources that become records of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// A `dcat:Dataset`, with its distributions and owned nodes.
    Dataset,
    /// A `fabio:DataPaper`.
    DataPaper,
    /// A `foaf:Agent` (organisation or person) with an IRI.
    Agent,
}

impl RecordKind {
    /// The page kind of the record's topic.
    pub const fn resource_kind(self) -> ResourceKind {
        match self {
            Self::Dataset => ResourceKind::Dataset,
            Self::DataPaper => ResourceKind::DataPaper,
            Self::Agent => ResourceKind::Agent,
        }
    }

    /// The record kind whose topics are served at `kind`'s pages, if any.
    pub fn of_resource(kind: ResourceKind) -> Option<Self> {
        [Self::Dataset, Self::DataPaper, Self::Agent]
            .into_iter()
            .find(|k| k.resource_kind() == kind)
    }

    /// The class a resource of this kind is typed with.
    pub const fn class(self) -> NamedNodeRef<'static> {
        match self {
            Self::Dataset => dcat::DATASET,
            Self::DataPaper => fabio::DATA_PAPER,
            Self::Agent => foaf::AGENT,
        }
    }

    /// The kind of record a resource of class `class` gets, if any.
    pub fn of_class(class: NamedNodeRef<'_>) -> Option<Self> {
        if class == dcat::DATASET {
            Some(Self::Dataset)
        } else if class == fabio::DATA_PAPER {
            Some(Self::DataPaper)
        } else if class == foaf::AGENT || class == foaf::ORGANIZATION || class == foaf::PERSON {
            Some(Self::Agent)
        } else {
            None
        }
    }

    /// Recognises a record kind from its `rdf:type`s; datasets win over papers over agents.
    pub fn from_types<'a>(types: impl Iterator<Item = NamedNodeRef<'a>>) -> Option<Self> {
        let mut found = None;
        for t in types {
            let Some(kind) = Self::of_class(t) else {
                continue;
            };
            found = Some(match (found, kind) {
                (Some(Self::Dataset), _) | (_, Self::Dataset) => Self::Dataset,
                (Some(Self::DataPaper), _) | (_, Self::DataPaper) => Self::DataPaper,
                _ => Self::Agent,
            });
        }
        found
    }
}

/// One record to store: its topic resource and the triples of its graph.
#[derive(Debug)]
pub struct RecordDraft {
    /// What kind of resource the record describes.
    pub kind: RecordKind,
    /// The resource the record is about (`foaf:primaryTopic` of its catalog record).
    pub topic: NamedOrBlankNode,
    /// The id we would like for it; the store makes it unique.
    pub preferred_id: RecordId,
    /// The topic's triples and those of every node it owns.
    pub triples: Vec<Triple>,
    /// Whether the record met the shapes it was checked against before this write (ours
    /// for the API, DCAT-AP's for a harvest; `None`: not checked). The quality board
    /// scores a written dataset with it instead of validating it again.
    pub conforms: Option<bool>,
}

/// The result of [`split_into_records`].
#[derive(Debug, Default)]
pub struct SplitOutcome {
    /// One draft per dataset, data paper and agent.
    pub records: Vec<RecordDraft>,
    /// Triples about our own catalog (subject = base IRI), except the links we manage.
    pub catalog: Vec<Triple>,
    /// Triples no record owns (e.g. about a foreign catalog or an untyped resource).
    pub unassigned: Vec<Triple>,
    /// Blank-node topics that an earlier part of the same write named with an IRI: links to
    /// them are written as links to that IRI (a large load is written in parts).
    pub named: std::collections::HashMap<oxigraph::model::BlankNode, oxigraph::model::NamedNode>,
}

/// Splits `graph` into records.
///
/// A record owns its topic's triples and, transitively, those of the blank nodes and the
/// non-record IRIs it points to (distributions, landing pages, periods, contact points...).
/// Links to other records (a publisher, a described dataset) are kept as links; the linked
/// record is stored on its own. A node shared by two records is copied into both.
pub fn split_into_records(graph: &Graph, base: &BaseIri) -> SplitOutcome {
    let catalog = base.catalog();
    let catalog_ref: NamedOrBlankNodeRef<'_> = catalog.as_ref().into();
    let roots = find_roots(graph, catalog_ref);
    let is_root: HashSet<_> = roots.iter().map(|(topic, _)| *topic).collect();
    let mut owned: HashSet<NamedOrBlankNodeRef<'_>> = HashSet::new();
    let mut outcome = SplitOutcome::default();

    // Records stop at other records, at our catalog and at shared vocabulary nodes.
    let stop = |node| node == catalog_ref || is_root.contains(&node) || is_shared(graph, node);
    for (topic, kind) in &roots {
        let triples = owned_triples(graph, *topic, &stop, &mut owned);
        outcome.records.push(RecordDraft {
            kind: *kind,
            topic: topic.into_owned(),
            preferred_id: preferred_id(graph, *topic, *kind, base),
            triples,
            conforms: None,
        });
    }
    // Our catalog keeps what it owns too (a blank-node publisher, a spatial node), except
    // the dataset and record links, which we manage.
    outcome.catalog = owned_triples(graph, catalog_ref, &stop, &mut owned)
        .into_iter()
        .filter(|t| {
            t.subject.as_ref() != catalog_ref
                || (t.predicate != dcat::DATASET_PROP && t.predicate != dcat::RECORD)
        })
        .collect();
    outcome.unassigned = graph
        .iter()
        .filter(|t| !owned.contains(&t.subject))
        .map(TripleRef::into_owned)
        .collect();
    outcome
}

/// Subjects that become records, in a stable order (the graph's iteration order).
fn find_roots<'a>(
    graph: &'a Graph,
    catalog: NamedOrBlankNodeRef<'a>,
) -> Vec<(NamedOrBlankNodeRef<'a>, RecordKind)> {
    let mut seen = HashSet::new();
    let mut roots = Vec::new();
    for triple in graph.triples_for_predicate(RDF_TYPE) {
        let subject = triple.subject;
        if subject == catalog || !seen.insert(subject) {
            continue;
        }
        let types = graph
            .objects_for_subject_predicate(subject, RDF_TYPE)
            .filter_map(|t| match t {
                TermRef::NamedNode(n) => Some(n),
                _ => None,
            });
        if let Some(kind) = root_kind(subject, types) {
            roots.push((subject, kind));
        }
    }
    roots
}

/// The kind of record `node`, of classes `types`, becomes, if it becomes one: blank-node
/// agents stay owned by whoever points at them. (The catalog is never one; callers
/// leave it out.)
pub fn root_kind<'t>(
    node: NamedOrBlankNodeRef<'_>,
    types: impl Iterator<Item = NamedNodeRef<'t>>,
) -> Option<RecordKind> {
    match RecordKind::from_types(types) {
        Some(RecordKind::Agent) if node.is_blank_node() => None,
        kind => kind,
    }
}

/// The triples of `start` and of every node it owns, breadth first: the blank nodes and
/// described IRIs it links to (not through `rdf:type`), transitively, except nodes for
/// which `stop` holds. Every node visited is added to `owned`.
///
/// Used to split a loaded graph into records, and to cut one resource (a distribution,
/// a catalog record) out of its record's graph.
pub fn owned_triples<'a>(
    graph: &'a Graph,
    start: NamedOrBlankNodeRef<'a>,
    stop: &dyn Fn(NamedOrBlankNodeRef<'a>) -> bool,
    owned: &mut HashSet<NamedOrBlankNodeRef<'a>>,
) -> Vec<Triple> {
    let mut visited = HashSet::from([start]);
    let mut queue = VecDeque::from([start]);
    let mut triples = Vec::new();
    while let Some(node) = queue.pop_front() {
        owned.insert(node);
        for triple in graph.triples_for_subject(node) {
            triples.push(triple.into_owned());
            let next: NamedOrBlankNodeRef<'a> = match triple.object {
                TermRef::NamedNode(n) => n.into(),
                TermRef::BlankNode(b) => b.into(),
                _ => continue,
            };
            let describes_itself = graph.triples_for_subject(next).next().is_some();
            if describes_itself
                && triple.predicate != RDF_TYPE
                && !stop(next)
                && visited.insert(next)
            {
                queue.push_back(next);
            }
        }
    }
    triples
}

/// Nodes no record owns even when a record links to them: concepts, concept schemes,
/// classes and catalogs describe themselves for everyone.
fn is_shared(graph: &Graph, node: NamedOrBlankNodeRef<'_>) -> bool {
    graph
        .objects_for_subject_predicate(node, RDF_TYPE)
        .any(|t| matches!(t, TermRef::NamedNode(n) if is_shared_class(n)))
}

/// Whether nodes of `class` describe themselves for everyone (see [`split_into_records`]):
/// no record owns them.
pub fn is_shared_class(class: NamedNodeRef<'_>) -> bool {
    const SHARED: [NamedNodeRef<'static>; 5] = [
        skos::CONCEPT,
        skos::CONCEPT_SCHEME,
        dcat::CATALOG,
        NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#Class"),
        NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#Class"),
    ];
    SHARED.contains(&class)
}

/// The id a record would like: our own id when the topic is one of our IRIs, otherwise the
/// IRI's last segment, or for a blank node its `dct:identifier`.
fn preferred_id(
    graph: &Graph,
    topic: NamedOrBlankNodeRef<'_>,
    kind: RecordKind,
    base: &BaseIri,
) -> RecordId {
    match topic {
        NamedOrBlankNodeRef::NamedNode(iri) => base
            .local_id(kind.resource_kind(), iri.as_str())
            .unwrap_or_else(|| RecordId::slugify(last_segment(iri.as_str()))),
        _ => {
            let identifier = graph
                .object_for_subject_predicate(topic, dct::IDENTIFIER)
                .and_then(|t| match t {
                    TermRef::Literal(l) => Some(l.value().to_owned()),
                    _ => None,
                });
            RecordId::slugify(identifier.as_deref().unwrap_or(match kind {
                RecordKind::Dataset => "dataset",
                RecordKind::DataPaper => "data-paper",
                RecordKind::Agent => "agent",
            }))
        }
    }
}

fn last_segment(iri: &str) -> &str {
    let trimmed = iri.trim_end_matches(['/', '#']);
    trimmed
        .rsplit(['/', '#', ':'])
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};

    fn parse(ttl: &str) -> Graph {
        let mut graph = Graph::new();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(ttl) {
            match quad {
                Ok(q) => {
                    graph.insert(q.as_ref());
                }
                Err(e) => panic!("{e}"),
            }
        }
        graph
    }

    #[test]
    fn dataset_owns_distributions_and_blank_nodes_but_not_its_publisher() {
        let graph = parse(
            r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
            @prefix foaf: <http://xmlns.com/foaf/0.1/> .
            <http://localhost:8080/> a dcat:Catalog ; dct:title "C" ; dcat:dataset <http://ex.org/d1> .
            <http://ex.org/d1> a dcat:Dataset ; dct:title "D1" ; dct:publisher <http://ex.org/org> ;
               dct:temporal [ dcat:startDate "2020-01-01" ] ; dcat:distribution <http://ex.org/d1/csv> .
            <http://ex.org/d1/csv> a dcat:Distribution ; dcat:accessURL <http://ex.org/file.csv> .
            <http://ex.org/org> a foaf:Organization ; foaf:name "Org" .
            [] a dcat:Dataset ; dct:identifier "blank one" .
            <http://ex.org/orphan> dct:title "nobody owns me" ."#,
        );
        let base = BaseIri::parse("http://localhost:8080/").unwrap_or_else(|e| panic!("{e}"));
        let outcome = split_into_records(&graph, &base);
        assert_eq!(outcome.records.len(), 3);
        let d1 = &outcome
            .records
            .iter()
            .find(|r| r.preferred_id.as_str() == "d1");
        let d1 = d1.unwrap_or_else(|| panic!("no d1 in {:?}", outcome.records));
        assert_eq!(d1.kind, RecordKind::Dataset);
        // type, title, publisher, temporal, distribution + startDate + 2 distribution triples
        assert_eq!(d1.triples.len(), 8, "{:?}", d1.triples);
        let agent = outcome.records.iter().find(|r| r.kind == RecordKind::Agent);
        assert_eq!(agent.map(|a| a.triples.len()), Some(2));
        let blank = outcome.records.iter().find(|r| r.topic.is_blank_node());
        assert_eq!(blank.map(|b| b.preferred_id.as_str()), Some("blank-one"));
        assert_eq!(
            outcome.catalog.len(),
            2,
            "dcat:dataset links are managed by us"
        );
        assert_eq!(outcome.unassigned.len(), 1);
    }

    #[test]
    fn last_segment_of_various_iris() {
        assert_eq!(last_segment("http://ex.org/a/b"), "b");
        assert_eq!(last_segment("http://ex.org/a/b/"), "b");
        assert_eq!(last_segment("http://ex.org/a#frag"), "frag");
        assert_eq!(last_segment("urn:uuid:1234"), "1234");
    }
}
