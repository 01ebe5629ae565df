//! Making a harvested page fit to store, with every change said: dates given as plain
//! strings get their datatype, and blank-node datasets get an IRI that stays the same from
//! one run to the next (so a re-harvest updates them instead of duplicating them).

use super::digest::DigestError;
use crate::model::vocab::{RDF_TYPE, adms, dcat, dct, fabio, foaf, hydra, skos};
use crate::model::{BaseIri, RecordId, ResourceKind, owned_triples};
use crate::store::IncomingDataset;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{
    BlankNode, Graph, Literal, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef,
    Triple,
};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Date properties whose plain-string values are read as dates.
const DATE_PROPERTIES: [oxigraph::model::NamedNodeRef<'static>; 4] =
    [dct::ISSUED, dct::MODIFIED, dcat::START_DATE, dcat::END_DATE];

/// Types the plain-string dates of [`DATE_PROPERTIES`] in `graph` as `xsd:date` (or
/// `xsd:dateTime`), in place; one line per change.
pub fn type_dates(graph: &mut Graph) -> Vec<String> {
    let mut notes = Vec::new();
    let mut changes = Vec::new();
    for predicate in DATE_PROPERTIES {
        for t in graph.triples_for_predicate(predicate) {
            let TermRef::Literal(literal) = t.object else {
                continue;
            };
            let plain = literal.datatype() == xsd::STRING && literal.language().is_none();
            let Some(datatype) = date_datatype(literal.value()).filter(|_| plain) else {
                continue;
            };
            notes.push(format!(
                "{} {}: {:?} read as {}",
                t.subject,
                t.predicate,
                literal.value(),
                if datatype == xsd::DATE {
                    "xsd:date"
                } else {
                    "xsd:dateTime"
                }
            ));
            let typed = Triple::new(
                t.subject.into_owned(),
                t.predicate.into_owned(),
                Literal::new_typed_literal(literal.value().trim(), datatype),
            );
            changes.push((t.into_owned(), typed));
        }
    }
    for (plain, typed) in changes {
        graph.remove(&plain);
        graph.insert(&typed);
    }
    notes
}

/// `xsd:date` for `YYYY-MM-DD`, `xsd:dateTime` for an RFC 3339 date-time (with or
/// without its zone, as CKAN writes them); `None` for anything else.
fn date_datatype(text: &str) -> Option<oxigraph::model::NamedNodeRef<'static>> {
    let text = text.trim();
    let date = time::macros::format_description!("[year]-[month]-[day]");
    if text.len() == 10 && time::Date::parse(text, &date).is_ok() {
        return Some(xsd::DATE);
    }
    let date_time =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let head_ok = text
        .get(..19)
        .is_some_and(|head| time::PrimitiveDateTime::parse(head, &date_time).is_ok());
    let rest = text.get(19..).unwrap_or("");
    let (fraction, zone) = match rest.strip_prefix('.') {
        Some(after) => {
            let digits = after.chars().take_while(char::is_ascii_digit).count();
            (digits > 0, &after[digits..])
        }
        None => (true, rest),
    };
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && (zone.starts_with('+') || zone.starts_with('-'))
            && zone.as_bytes()[3] == b':'
            && zone[1..3]
                .chars()
                .chain(zone[4..].chars())
                .all(|c| c.is_ascii_digit()));
    (head_ok && fraction && zone_ok).then_some(xsd::DATE_TIME)
}

/// A page with its blank-node datasets named (see [`name_blank_datasets`]).
#[derive(Debug)]
pub struct Naming {
    /// The page, renamed.
    pub graph: Graph,
    /// One line per dataset named.
    pub notes: Vec<String>,
    /// The IRIs minted: under our base IRI, yet not ours.
    pub minted: HashSet<NamedNode>,
    /// Blank-node datasets left unnamed, which cannot be stored: how to tell them (their
    /// identifier, else the blank node), and why.
    pub unnamed: Vec<(String, String)>,
}

/// `graph` with each blank-node dataset renamed `{base}datasets/{id}`, where the id comes
/// from its `dct:identifier` (else its title) and the source: the same dataset of the same
/// source gets the same IRI on every run. A blank-node dataset with neither identifier nor
/// title, or whose key another blank-node dataset of the page shares, keeps its blank node
/// (and is reported): merging two datasets into one would be silent loss.
pub fn name_blank_datasets(graph: Graph, source: &str, base: &BaseIri) -> Naming {
    let mut notes = Vec::new();
    let (by_key, mut unnamed) = blank_datasets_by_key(&graph);
    let mut names: HashMap<BlankNode, NamedNode> = HashMap::new();
    for (key, blanks) in by_key {
        if blanks.len() > 1 {
            for _ in &blanks {
                unnamed.push((
                    format!("{key:?}"),
                    format!(
                        "{} datasets without IRI share the identifier {key:?}: they cannot be told apart",
                        blanks.len()
                    ),
                ));
            }
            continue;
        }
        let digest = format!(
            "{:x}",
            Sha256::digest(format!("{source}\n{key}").as_bytes())
        );
        let id = RecordId::slugify(&format!("{key}-{}", &digest[..8]));
        let iri = base.resource(ResourceKind::Dataset, &id);
        notes.push(format!("the dataset {key:?} has no IRI; named {iri}"));
        names.extend(blanks.into_iter().map(|b| (b, iri.clone())));
    }
    unnamed.sort();
    notes.sort();
    if names.is_empty() {
        return Naming {
            graph,
            notes,
            minted: HashSet::new(),
            unnamed,
        };
    }
    let renamed = renamed(&graph, &names);
    Naming {
        graph: renamed,
        notes,
        minted: names.into_values().collect(),
        unnamed,
    }
}

/// Blank-node datasets by the key they are named from.
type BlankDatasets = HashMap<String, Vec<BlankNode>>;

/// The page's blank-node datasets by the key they are named from (their least
/// `dct:identifier`, else title), and those without either, with the reason.
fn blank_datasets_by_key(graph: &Graph) -> (BlankDatasets, Vec<(String, String)>) {
    let mut unnamed = Vec::new();
    let mut by_key: HashMap<String, Vec<BlankNode>> = HashMap::new();
    let blanks = [dcat::DATASET, dcat::DATASET_SERIES]
        .into_iter()
        .flat_map(|class| graph.subjects_for_predicate_object(RDF_TYPE, class))
        .filter_map(|s| match s {
            NamedOrBlankNodeRef::BlankNode(b) => Some(b.into_owned()),
            NamedOrBlankNodeRef::NamedNode(_) => None,
        })
        .collect::<HashSet<_>>();
    for blank in blanks {
        // The least value, so that several identifiers (or titles in several languages)
        // give the same key on every run, whatever the order they are read in.
        let key = [dct::IDENTIFIER, dct::TITLE].into_iter().find_map(|p| {
            graph
                .objects_for_subject_predicate(&blank, p)
                .filter_map(|o| match o {
                    TermRef::Literal(l) => Some(l.value().to_owned()),
                    _ => None,
                })
                .min()
        });
        match key {
            Some(key) => by_key.entry(key).or_default().push(blank),
            None => unnamed.push((
                blank.to_string(),
                "a dataset without IRI, dct:identifier or dct:title cannot be followed from one run to the next".to_owned(),
            )),
        }
    }
    (by_key, unnamed)
}

/// `graph` with the blank nodes of `names` renamed, as subjects and as objects.
fn renamed(graph: &Graph, names: &HashMap<BlankNode, NamedNode>) -> Graph {
    let rename_subject = |s: NamedOrBlankNodeRef<'_>| -> NamedOrBlankNode {
        match s {
            NamedOrBlankNodeRef::BlankNode(b) => names
                .get(&b.into_owned())
                .map_or_else(|| s.into_owned(), |n| n.clone().into()),
            NamedOrBlankNodeRef::NamedNode(_) => s.into_owned(),
        }
    };
    graph
        .iter()
        .map(|t| {
            let object: Term = match t.object {
                TermRef::BlankNode(b) => names
                    .get(&b.into_owned())
                    .map_or_else(|| t.object.into_owned(), |n| n.clone().into()),
                other => other.into_owned(),
            };
            Triple::new(rename_subject(t.subject), t.predicate.into_owned(), object)
        })
        .collect::<Graph>()
}

/// One dataset of a page, ready to store: its IRI and the triples of its description.
#[derive(Debug, Clone)]
pub struct HarvestedDataset {
    /// The dataset's IRI, kept as the source gave it (or named by [`name_blank_datasets`]).
    pub topic: NamedNode,
    /// Its triples and those of every node it owns, shared nodes (a publisher, a licence,
    /// a theme's label) copied into each dataset that links to them.
    pub triples: Vec<Triple>,
    /// When the source last changed its metadata: the `dct:modified` of the source's own
    /// catalog record of the dataset, else of the dataset.
    pub source_modified: Option<Literal>,
    /// Other IRIs the dataset says it is (its `adms:identifier`s that are IRIs): a copy
    /// of a dataset we have already, through another portal, names the original so.
    pub aliases: Vec<NamedNode>,
    /// The triples about our own resources it held, left out ([`drop_claims_on_ours`]).
    pub dropped: Vec<String>,
    /// Its violations of the official DCAT-AP 3.0.1 shapes.
    pub violations: Vec<crate::validate::Finding>,
}

/// Classes whose resources are never part of another resource's description: datasets
/// are records of their own, catalogs and catalog records are the source's bookkeeping,
/// paging nodes are the feed's.
const NOT_OWNED: [oxigraph::model::NamedNodeRef<'static>; 7] = [
    dcat::DATASET,
    dcat::DATASET_SERIES,
    dcat::CATALOG,
    dcat::CATALOG_RECORD,
    fabio::DATA_PAPER,
    hydra::PARTIAL_COLLECTION_VIEW,
    hydra::PAGED_COLLECTION,
];

/// The datasets of `graph` with an IRI, each with the nodes it owns, in a stable order
/// (those without are reported by [`name_blank_datasets`]).
pub fn datasets_of(graph: &Graph) -> Vec<HarvestedDataset> {
    let stop = |node: NamedOrBlankNodeRef<'_>| {
        graph
            .objects_for_subject_predicate(node, RDF_TYPE)
            .any(|t| matches!(t, TermRef::NamedNode(n) if NOT_OWNED.contains(&n)))
    };
    let mut datasets = Vec::new();
    let mut subjects: Vec<NamedOrBlankNodeRef<'_>> = [dcat::DATASET, dcat::DATASET_SERIES]
        .into_iter()
        .flat_map(|class| graph.subjects_for_predicate_object(RDF_TYPE, class))
        .collect();
    subjects.sort_by_key(|s| s.to_string());
    subjects.dedup();
    for subject in subjects {
        let NamedOrBlankNodeRef::NamedNode(topic) = subject else {
            continue;
        };
        let mut owned = HashSet::new();
        let triples = owned_triples(graph, subject, &stop, &mut owned);
        datasets.push(HarvestedDataset {
            topic: topic.into_owned(),
            triples,
            source_modified: source_modified(graph, subject),
            aliases: identifiers(graph, subject)
                .filter_map(|i| NamedNode::new(i).ok())
                .filter(|i| i.as_ref() != topic && i.as_str().starts_with("http"))
                .collect(),
            dropped: Vec::new(),
            violations: Vec::new(),
        });
    }
    datasets
}

/// The values of `dataset`'s `adms:identifier`s: IRIs, or the `skos:notation` of
/// identifier nodes.
fn identifiers<'a>(
    graph: &'a Graph,
    dataset: NamedOrBlankNodeRef<'a>,
) -> impl Iterator<Item = String> + 'a {
    graph
        .objects_for_subject_predicate(dataset, adms::IDENTIFIER)
        .filter_map(move |identifier| match identifier {
            TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
            TermRef::BlankNode(b) => graph
                .object_for_subject_predicate(b, skos::NOTATION)
                .and_then(|n| match n {
                    TermRef::Literal(l) => Some(l.value().trim().to_owned()),
                    _ => None,
                }),
            TermRef::Literal(l) => Some(l.value().trim().to_owned()),
            TermRef::Triple(_) => None,
        })
}

/// Leaves out of `dataset` the triples about resources under our base IRI (other than
/// the dataset itself, when we named it): a feed does not get to describe our records.
/// Returns the resources left out.
pub fn drop_claims_on_ours(dataset: &mut HarvestedDataset, base: &BaseIri) -> Vec<String> {
    let mut dropped = Vec::new();
    dataset.triples.retain(|t| match &t.subject {
        NamedOrBlankNode::NamedNode(n)
            if n.as_str().starts_with(base.as_str()) && *n != dataset.topic =>
        {
            dropped.push(n.as_str().to_owned());
            false
        }
        _ => true,
    });
    dropped.sort();
    dropped.dedup();
    dropped
}

/// The `dct:modified` of the source's catalog record of `dataset`, else of `dataset`.
fn source_modified(graph: &Graph, dataset: NamedOrBlankNodeRef<'_>) -> Option<Literal> {
    let literal = |node: NamedOrBlankNodeRef<'_>| {
        graph
            .objects_for_subject_predicate(node, dct::MODIFIED)
            .find_map(|o| match o {
                TermRef::Literal(l) => Some(l.into_owned()),
                _ => None,
            })
    };
    graph
        .subjects_for_predicate_object(foaf::PRIMARY_TOPIC, dataset)
        .filter(|record| {
            graph
                .objects_for_subject_predicate(*record, RDF_TYPE)
                .any(|t| t == dcat::CATALOG_RECORD.into())
        })
        .find_map(literal)
        .or_else(|| literal(dataset))
}

/// Why `dataset` is ours already, if it is: its IRI (unless we `minted` it for this
/// source), one of its `adms:identifier`s, or the `dct:source` of the source's record of
/// it, is under `base`. A regional portal that harvests the national one which harvests
/// us would otherwise copy our own datasets.
pub fn came_from_us(
    graph: &Graph,
    dataset: &HarvestedDataset,
    base: &BaseIri,
    minted: &HashSet<NamedNode>,
) -> Option<String> {
    let ours = |text: &str| text.starts_with(base.as_str());
    if ours(dataset.topic.as_str()) && !minted.contains(&dataset.topic) {
        return Some(format!("{} is one of our own IRIs", dataset.topic));
    }
    let topic = NamedOrBlankNodeRef::from(dataset.topic.as_ref());
    if let Some(text) = identifiers(graph, topic).find(|t| ours(t)) {
        return Some(format!("its adms:identifier {text} is one of our IRIs"));
    }
    let records = graph.subjects_for_predicate_object(foaf::PRIMARY_TOPIC, topic);
    for record in records {
        for source in graph.objects_for_subject_predicate(record, dct::SOURCE) {
            if let TermRef::NamedNode(n) = source
                && ours(n.as_str())
            {
                return Some(format!("its catalog record's source {n} is one of ours"));
            }
        }
    }
    None
}

/// The harvest's own check of a dataset, before it is stored, with its fingerprint: a
/// dataset without a title cannot be shown to anyone. (Its DCAT-AP violations are counted
/// by the run, and refuse it only under a strict policy.)
pub(super) fn checked(
    dataset: HarvestedDataset,
    digest: Result<String, DigestError>,
) -> Result<IncomingDataset, (NamedNode, String)> {
    let titled = dataset.triples.iter().any(|t| {
        t.subject.as_ref() == dataset.topic.as_ref().into()
            && t.predicate == dct::TITLE
            && matches!(t.object.as_ref(), TermRef::Literal(l) if !l.value().trim().is_empty())
    });
    if !titled {
        return Err((dataset.topic, "the dataset has no dct:title".into()));
    }
    let digest = match digest {
        Ok(digest) => Some(digest),
        Err(error) => {
            tracing::warn!(dataset = %dataset.topic, %error, "no fingerprint; the dataset is written on every run");
            None
        }
    };
    let conforms = Some(!has_own_violations(&dataset));
    Ok(IncomingDataset {
        topic: dataset.topic,
        triples: dataset.triples,
        digest,
        source_modified: dataset.source_modified,
        aliases: dataset.aliases,
        conforms,
    })
}

/// Whether a DCAT-AP violation is about the dataset or one of its distributions, as the
/// quality board judges compliance ([`crate::validate::dataset_nodes`]).
fn has_own_violations(dataset: &HarvestedDataset) -> bool {
    if dataset.violations.is_empty() {
        return false;
    }
    let own = crate::validate::dataset_nodes(
        dataset.topic.as_ref().into(),
        dataset.triples.iter().map(Triple::as_ref),
    );
    dataset.violations.iter().any(|v| v.concerns(&own))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};

    fn graph(turtle: &str) -> Graph {
        let mut graph = Graph::new();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            graph.insert(quad.unwrap_or_else(|e| panic!("{e}")).as_ref());
        }
        graph
    }

    const PREFIXES: &str =
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n";

    #[test]
    fn plain_dates_are_typed_and_said_so() {
        let page = graph(&format!(
            "{PREFIXES}<http://e.org/d> dct:issued \"2016-12-15\" ; dct:modified \"2016-12-15T09:19:51.723691\" ;
             dct:title \"2016-12-15\" . <http://e.org/p> dcat:startDate \"soon\" ."
        ));
        let mut typed = page;
        let notes = type_dates(&mut typed);
        let text: Vec<String> = typed.iter().map(|t| t.to_string()).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("\"2016-12-15\"^^<http://www.w3.org/2001/XMLSchema#date>")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains(
                "\"2016-12-15T09:19:51.723691\"^^<http://www.w3.org/2001/XMLSchema#dateTime>"
            )),
            "{text:?}"
        );
        // A title that looks like a date, and what is no date, are left as they are.
        assert!(
            text.iter().any(|t| t.ends_with("title> \"2016-12-15\"")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.ends_with("startDate> \"soon\"")),
            "{text:?}"
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn blank_node_datasets_get_the_same_iri_on_every_run() {
        let base = BaseIri::parse("http://localhost:8080/").unwrap_or_else(|e| panic!("{e}"));
        let page = format!(
            "{PREFIXES}[] a dcat:Dataset ; dct:identifier \"bancs\" ; dcat:distribution [ a dcat:Distribution ] ."
        );
        let first = name_blank_datasets(graph(&page), "https://a.example.org/feed", &base);
        let again = name_blank_datasets(graph(&page), "https://a.example.org/feed", &base);
        let other = name_blank_datasets(graph(&page), "https://b.example.org/feed", &base);
        assert_eq!(first.minted.len(), 1);
        let notes = first.notes;
        let (first, again, other) = (first.graph, again.graph, other.graph);
        let iri = |g: &Graph| {
            g.subjects_for_predicate_object(RDF_TYPE, dcat::DATASET)
                .next()
                .map(|s| s.to_string())
                .unwrap_or_default()
        };
        assert!(
            iri(&first).starts_with("<http://localhost:8080/datasets/bancs-"),
            "{}",
            iri(&first)
        );
        assert_eq!(iri(&first), iri(&again));
        assert_ne!(
            iri(&first),
            iri(&other),
            "another source's dataset is another dataset"
        );
        assert_eq!(notes.len(), 1);
        // Its distribution stays attached.
        assert_eq!(
            first.triples_for_predicate(dcat::DISTRIBUTION_PROP).count(),
            1
        );
        assert!(
            first
                .triples_for_predicate(dcat::DISTRIBUTION_PROP)
                .all(|t| t.subject.is_named_node())
        );
    }
}
