//! The plain JSON model of datasets, distributions, data papers and agents: JSON-LD under
//! our context (`ontologies/context.jsonld`) without the `@context`, so that it and the RDF
//! are one schema. Reading a JSON body adds the context and parses it as JSON-LD; the serde
//! types check its shape first, so that a misspelt key is an error with a line and column
//! rather than a triple silently lost. [`JsonModel::from_graph`] goes the other way.

use super::ResourceKind;
use super::vocab::{RDF_TYPE, dcat, foaf};
use oxigraph::model::{Graph, NamedOrBlankNodeRef, TermRef, Triple};
use serde::Serialize;
use serde::de::DeserializeOwned;

mod convert;
mod types;

pub use types::*;

/// A resource's JSON model: its serde type, which checks a body's shape, and how it reads
/// its resource out of a graph.
pub trait JsonModel: Serialize + DeserializeOwned {
    /// The model of `topic` in `graph`: what the model has a key for; other triples are
    /// left out (the RDF representations carry everything).
    fn from_graph(graph: &Graph, topic: NamedOrBlankNodeRef<'_>) -> Self;
}

/// Keys whose IRIs the model types `foaf:Document`, as FOAF and DCAT give them that range
/// and DCAT-AP's range shapes check it.
const DOCUMENT_KEYS: [&str; 2] = ["landingPage", "homepage"];

/// Reads a JSON body of the model `T`: its shape checked by serde (unknown keys are
/// errors), then as JSON-LD under our context. Returns the JSON-LD document to parse.
pub fn to_json_ld<T: JsonModel>(body: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
    let _checked: T = serde_json::from_slice(body)?;
    let mut document: serde_json::Value = serde_json::from_slice(body)?;
    type_documents(&mut document);
    order_and_place(&mut document);
    let context: serde_json::Value = serde_json::from_str(CONTEXT)?;
    if let (Some(object), Some(context)) = (document.as_object_mut(), context.get("@context")) {
        object.insert("@context".into(), context.clone());
    }
    serde_json::to_vec(&document)
}

/// Writes each IRI under a [`DOCUMENT_KEYS`] key as a node typed `Document`.
fn type_documents(value: &mut serde_json::Value) {
    use serde_json::Value;
    let typed = |iri: &mut Value| {
        if let Value::String(s) = iri {
            *iri = serde_json::json!({"id": s, "type": "Document"});
        }
    };
    match value {
        Value::Object(object) => {
            for (key, value) in object.iter_mut() {
                if DOCUMENT_KEYS.contains(&key.as_str()) {
                    match value {
                        Value::Array(items) => items.iter_mut().for_each(typed),
                        other => typed(other),
                    }
                } else {
                    type_documents(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(type_documents),
        _ => {}
    }
}

/// Writes what one model key says in two RDF shapes: several `creator`s also as a
/// `bibo:authorList` (their order), and `journal` as `frbr:partOf` a `fabio:Journal` node
/// with that title.
fn order_and_place(value: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let Value::Object(object) = value else {
        return;
    };
    if let Some(Value::Array(creators)) = object.get("creator")
        && creators.len() > 1
    {
        let list = Value::Array(creators.clone());
        object.insert("authorList".into(), list);
    }
    if let Some(journal) = object.remove("journal") {
        object.insert(
            "partOf".into(),
            json!({"type": "Journal", "journalTitle": journal}),
        );
    }
}

/// The triples the model adds when it reads its own JSON: the `foaf:Document` types of
/// landing pages and home pages.
fn implied(graph: &Graph) -> Vec<Triple> {
    [dcat::LANDING_PAGE, foaf::HOMEPAGE]
        .into_iter()
        .flat_map(|predicate| graph.triples_for_predicate(predicate))
        .filter_map(|t| match t.object {
            TermRef::NamedNode(page) => Some(Triple::new(page, RDF_TYPE, foaf::DOCUMENT)),
            _ => None,
        })
        .collect()
}

/// The JSON model of `kind`, if it has one, as a JSON value; `None` for catalog records.
pub fn model_of(
    kind: ResourceKind,
    graph: &Graph,
    topic: NamedOrBlankNodeRef<'_>,
) -> Option<serde_json::Value> {
    fn value<T: JsonModel>(graph: &Graph, topic: NamedOrBlankNodeRef<'_>) -> serde_json::Value {
        serde_json::to_value(T::from_graph(graph, topic)).unwrap_or_default()
    }
    Some(match kind {
        ResourceKind::Dataset => value::<DatasetJson>(graph, topic),
        ResourceKind::Distribution => value::<DistributionJson>(graph, topic),
        ResourceKind::DataPaper => value::<DataPaperJson>(graph, topic),
        ResourceKind::Agent => value::<AgentJson>(graph, topic),
        ResourceKind::Record => return None,
    })
}

/// Whether the JSON model of `kind` says all that `graph` says of `topic` (see
/// [`expressible_by`]); never for catalog records.
pub fn expressible(kind: ResourceKind, graph: &Graph, topic: NamedOrBlankNodeRef<'_>) -> bool {
    match kind {
        ResourceKind::Dataset => expressible_by::<DatasetJson>(graph, topic),
        ResourceKind::Distribution => expressible_by::<DistributionJson>(graph, topic),
        ResourceKind::DataPaper => expressible_by::<DataPaperJson>(graph, topic),
        ResourceKind::Agent => expressible_by::<AgentJson>(graph, topic),
        ResourceKind::Record => false,
    }
}

/// [`to_json_ld`] for the model of `kind`; `None` for catalog records, which have none.
pub fn json_ld_of(kind: ResourceKind, body: &[u8]) -> Option<Result<Vec<u8>, serde_json::Error>> {
    Some(match kind {
        ResourceKind::Dataset => to_json_ld::<DatasetJson>(body),
        ResourceKind::Distribution => to_json_ld::<DistributionJson>(body),
        ResourceKind::DataPaper => to_json_ld::<DataPaperJson>(body),
        ResourceKind::Agent => to_json_ld::<AgentJson>(body),
        ResourceKind::Record => return None,
    })
}

/// Our JSON-LD context, which defines the JSON model.
pub const CONTEXT: &str = include_str!("../../../ontologies/context.jsonld");

/// Whether the JSON model `T` says all that `graph` (a record's own triples, without its
/// catalog record) says of `topic`: a record that it cannot express must not be replaced
/// through it, or what it cannot say would be lost.
fn expressible_by<T: JsonModel>(graph: &Graph, topic: NamedOrBlankNodeRef<'_>) -> bool {
    let model = T::from_graph(graph, topic);
    let Ok(body) = serde_json::to_vec(&model) else {
        return false;
    };
    let Ok(document) = to_json_ld::<T>(&body) else {
        return false;
    };
    let mut back = Graph::new();
    let parser = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::JsonLd {
        profile: oxigraph::io::JsonLdProfileSet::default(),
    });
    for quad in parser.for_slice(&document) {
        match quad {
            Ok(quad) => {
                back.insert(quad.as_ref());
            }
            Err(_) => return false,
        }
    }
    // What the model adds of itself is no loss.
    let mut original = graph.clone();
    for triple in implied(graph) {
        original.insert(&triple);
    }
    original.canonicalize(oxigraph::model::dataset::CanonicalizationAlgorithm::Unstable);
    back.canonicalize(oxigraph::model::dataset::CanonicalizationAlgorithm::Unstable);
    original == back
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::vocab::dct;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::NamedNodeRef;

    const BODY: &str = r#"{
      "id": "http://ex.org/datasets/loutres", "type": "Dataset",
      "title": {"fr": "Loutres", "en": "Otters"}, "description": {"fr": "Comptages."},
      "keyword": {"fr": ["loutre", "rivière"]}, "identifier": "ds-1",
      "theme": ["http://publications.europa.eu/resource/authority/data-theme/ENVI"],
      "publisher": "http://ex.org/agents/a", "issued": "2024-03-01",
      "temporal": {"type": "PeriodOfTime", "startDate": "2012-01-01", "endDate": "2023-12-31"},
      "contactPoint": {"type": "Kind", "fn": "Équipe", "hasEmail": "mailto:a@ex.org"},
      "distribution": [{"type": "Distribution", "accessURL": "http://ex.org/files/",
        "format": "http://publications.europa.eu/resource/authority/file-type/CSV",
        "byteSize": 1024}]
    }"#;

    fn graph_of(body: &str) -> anyhow::Result<Graph> {
        let document = to_json_ld::<DatasetJson>(body.as_bytes())?;
        let mut graph = Graph::new();
        for quad in RdfParser::from_format(RdfFormat::JsonLd {
            profile: Default::default(),
        })
        .for_slice(&document)
        {
            graph.insert(quad?.as_ref());
        }
        Ok(graph)
    }

    #[test]
    fn json_to_rdf_and_back_is_the_same_json() -> anyhow::Result<()> {
        let graph = graph_of(BODY)?;
        let topic = NamedNodeRef::new("http://ex.org/datasets/loutres")?;
        let back = DatasetJson::from_graph(&graph, topic.into());
        let original: DatasetJson = serde_json::from_str(BODY)?;
        assert_eq!(back, original);
        // And the RDF is DCAT with the datatypes the profile wants.
        let issued = graph
            .object_for_subject_predicate(topic, dct::ISSUED)
            .map(|o| o.to_string());
        assert_eq!(
            issued.as_deref(),
            Some("\"2024-03-01\"^^<http://www.w3.org/2001/XMLSchema#date>")
        );
        let size = graph
            .triples_for_predicate(dcat::BYTE_SIZE)
            .next()
            .map(|t| t.object.to_string());
        assert_eq!(
            size.as_deref(),
            Some("\"1024\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>")
        );
        Ok(())
    }

    #[test]
    fn a_graph_with_more_than_the_model_says_is_not_expressible() -> anyhow::Result<()> {
        let topic = NamedNodeRef::new("http://ex.org/datasets/loutres")?;
        let mut graph = graph_of(BODY)?;
        assert!(expressible_by::<DatasetJson>(&graph, topic.into()));
        graph.insert(oxigraph::model::TripleRef::new(
            topic,
            dct::CONFORMS_TO,
            NamedNodeRef::new("http://ex.org/standards/b")?,
        ));
        assert!(!expressible_by::<DatasetJson>(&graph, topic.into()));
        Ok(())
    }

    /// The graph of one seed file, parsed against the default base.
    fn seed(file: &str) -> anyhow::Result<Graph> {
        let path = format!("{}/seed-data/{file}", env!("CARGO_MANIFEST_DIR"));
        let mut graph = Graph::new();
        for quad in RdfParser::from_format(RdfFormat::Turtle)
            .with_base_iri("http://localhost:8080/")?
            .for_reader(std::fs::File::open(path)?)
        {
            graph.insert(quad?.as_ref());
        }
        Ok(graph)
    }

    /// The triples of `topic`'s record in `graph`, as a load would store them.
    fn owned(graph: &Graph, topic: NamedNodeRef<'_>) -> Graph {
        let base = crate::model::BaseIri::parse("http://localhost:8080/")
            .unwrap_or_else(|e| panic!("{e}"));
        crate::model::split_into_records(graph, &base)
            .records
            .into_iter()
            .filter(|r| r.topic.as_ref() == topic.into())
            .flat_map(|r| r.triples)
            .collect()
    }

    #[test]
    fn seed_agents_and_papers_are_expressible_and_come_back_the_same() -> anyhow::Result<()> {
        let agents = seed("catalog.ttl")?;
        let agent = NamedNodeRef::new("http://localhost:8080/agents/cnrs")?;
        let own = owned(&agents, agent);
        assert!(expressible(ResourceKind::Agent, &own, agent.into()));
        let model = AgentJson::from_graph(&own, agent.into());
        assert_eq!(
            model.kind,
            vec![AgentClass::Agent, AgentClass::Organization]
        );
        assert_eq!(model.homepage.as_deref(), Some("https://www.cnrs.fr/"));
        assert_eq!(model.name.len(), 2);

        let papers = seed("data-papers.ttl")?;
        let paper =
            NamedNodeRef::new("http://localhost:8080/data-papers/amphibian-survey-zaa-data-paper")?;
        let own = owned(&papers, paper);
        assert!(expressible(ResourceKind::DataPaper, &own, paper.into()));
        let model = DataPaperJson::from_graph(&own, paper.into());
        assert_eq!(model.doi.as_deref(), Some("10.5072/BDJ.12.e118342"));
        // Authors in the paper's order (not IRI order), the journal, volume and pages.
        assert_eq!(
            model.creator,
            [
                "https://orcid.org/0000-0002-8153-202X",
                "https://orcid.org/0000-0002-3517-1331",
                "https://orcid.org/0000-0002-7390-3601",
                "https://orcid.org/0000-0003-9598-1827"
            ]
        );
        assert_eq!(model.journal.as_deref(), Some("Biodiversity Data Journal"));
        assert_eq!(model.volume.as_deref(), Some("12"));
        assert_eq!(model.starting_page.as_deref(), Some("e118342"));
        let person = NamedNodeRef::new("https://orcid.org/0000-0002-8153-202X")?;
        let own_person = owned(&papers, person);
        let author = AgentJson::from_graph(&own_person, person.into());
        assert_eq!(author.family_name.as_deref(), Some("Le Guen"));
        assert!(
            author
                .affiliation
                .contains(&"https://ror.org/02feahw73".to_owned())
        );
        assert_eq!(
            model.describes,
            vec!["http://localhost:8080/datasets/amphibiens-mares-zone-atelier-armorique"]
        );
        // A property the model has no key for makes it inexpressible.
        let mut more = own.clone();
        more.insert(oxigraph::model::TripleRef::new(
            paper,
            dct::LICENSE,
            NamedNodeRef::new("http://ex.org/l")?,
        ));
        assert!(!expressible(ResourceKind::DataPaper, &more, paper.into()));
        Ok(())
    }

    #[test]
    fn landing_pages_and_homepages_are_typed_documents() -> anyhow::Result<()> {
        let body = r#"{"type": "Dataset", "id": "http://ex.org/d", "title": {"en": "D"},
            "landingPage": ["http://ex.org/page"]}"#;
        let graph = graph_of(body)?;
        assert!(graph.contains(oxigraph::model::TripleRef::new(
            NamedNodeRef::new("http://ex.org/page")?,
            RDF_TYPE,
            foaf::DOCUMENT,
        )));
        let back = DatasetJson::from_graph(&graph, NamedNodeRef::new("http://ex.org/d")?.into());
        assert_eq!(back.landing_page, vec!["http://ex.org/page"]);
        Ok(())
    }

    #[test]
    fn a_misspelt_key_is_an_error_with_its_position() {
        let error = to_json_ld::<DatasetJson>(
            br#"{"type": "Dataset", "title": {"fr": "T"},
            "titel": {"fr": "oops"}}"#,
        )
        .err()
        .map(|e| (e.line(), e.to_string()));
        let (line, message) = error.unwrap_or_default();
        assert_eq!(line, 2);
        assert!(message.contains("titel"), "{message}");
    }
}
