//! The plain JSON model of datasets, distributions, data papers and agents: JSON-LD under
//! our context (`ontologies/context.jsonld`) without the `@context`, so that it and the RDF
//! are one schema. Reading a JSON body adds the context and parses it as JSON-LD; the serde
//! types check its shape first, so that a misspelt key is an error with a line and column
//! rather than a triple silently lost. [`JsonModel::from_graph`] goes the other way.

use super::ResourceKind;
use super::vocab::{RDF_TYPE, cito, dcat, dct, foaf, prism, vcard};
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef, Triple};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
pub const CONTEXT: &str = include_str!("../../ontologies/context.jsonld");

/// Text per language tag (`{"fr": "...", "en": "..."}`).
pub type PerLanguage = BTreeMap<String, String>;

/// A `dcat:Dataset`; IRIs are absolute or relative to `{base}datasets/`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DatasetJson {
    /// The dataset's IRI (default: one minted from its title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Always `Dataset`.
    #[serde(rename = "type")]
    pub kind: DatasetType,
    /// `dct:title`, one per language.
    pub title: PerLanguage,
    /// `dct:description`, one per language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub description: PerLanguage,
    /// `dcat:keyword`, per language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub keyword: BTreeMap<String, Vec<String>>,
    /// `dct:identifier`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// `dcat:theme` IRIs (e.g. the EU data themes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub theme: Vec<String>,
    /// `dct:publisher`: an agent's IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// `dcat:landingPage` IRIs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub landing_page: Vec<String>,
    /// `dct:spatial` IRIs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spatial: Vec<String>,
    /// `dct:accrualPeriodicity`: an EU frequency IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accrual_periodicity: Option<String>,
    /// `dct:accessRights`: an EU access-right IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_rights: Option<String>,
    /// `dct:issued`, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<String>,
    /// `dct:modified`, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// `dct:temporal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporal: Option<PeriodJson>,
    /// `dcat:contactPoint`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_point: Option<ContactJson>,
    /// `dcat:distribution`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distribution: Vec<DistributionJson>,
}

/// The `type` of a dataset: only `Dataset`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DatasetType {
    /// `dcat:Dataset`.
    #[default]
    Dataset,
}

/// The `type` of a distribution: only `Distribution`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DistributionType {
    /// `dcat:Distribution`.
    #[default]
    Distribution,
}

/// The `type` of a period: only `PeriodOfTime`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodType {
    /// `dct:PeriodOfTime`.
    #[default]
    PeriodOfTime,
}

/// The `type` of a contact point: only `Kind`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum KindType {
    /// `vcard:Kind`.
    #[default]
    Kind,
}

/// A `dct:PeriodOfTime` with `dcat:startDate`/`dcat:endDate` (`YYYY-MM-DD`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PeriodJson {
    /// Always `PeriodOfTime`.
    #[serde(rename = "type")]
    pub kind: PeriodType,
    /// `dcat:startDate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// `dcat:endDate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
}

/// A `vcard:Kind` contact point.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContactJson {
    /// Always `Kind`.
    #[serde(rename = "type")]
    pub kind: KindType,
    /// `vcard:fn`, the name.
    #[serde(default, rename = "fn", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `vcard:hasEmail`, a `mailto:` IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_email: Option<String>,
}

/// A `dcat:Distribution`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DistributionJson {
    /// The distribution's IRI (default: a blank node).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Always `Distribution`.
    #[serde(rename = "type")]
    pub kind: DistributionType,
    /// `dct:title`, one per language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub title: PerLanguage,
    /// `dct:description`, one per language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub description: PerLanguage,
    /// `dcat:accessURL`.
    #[serde(rename = "accessURL")]
    pub access_url: String,
    /// `dcat:downloadURL`.
    #[serde(
        default,
        rename = "downloadURL",
        skip_serializing_if = "Option::is_none"
    )]
    pub download_url: Option<String>,
    /// `dcat:mediaType`: an IANA media type IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// `dct:format`: an EU file-type IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// `dct:license`: a licence IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// `dcat:byteSize`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byte_size: Option<u64>,
}

impl JsonModel for DatasetJson {
    fn from_graph(graph: &Graph, topic: NamedOrBlankNodeRef<'_>) -> Self {
        let v = Values {
            graph,
            subject: topic,
        };
        Self {
            id: iri_of(topic),
            kind: DatasetType::Dataset,
            title: v.per_language(dct::TITLE),
            description: v.per_language(dct::DESCRIPTION),
            keyword: v.keywords(),
            identifier: v.literal(dct::IDENTIFIER),
            theme: v.iris(dcat::THEME),
            publisher: v.iri(dct::PUBLISHER),
            landing_page: v.iris(dcat::LANDING_PAGE),
            spatial: v.iris(dct::SPATIAL),
            accrual_periodicity: v.iri(dct::ACCRUAL_PERIODICITY),
            access_rights: v.iri(dct::ACCESS_RIGHTS),
            issued: v.date(dct::ISSUED),
            modified: v.date(dct::MODIFIED),
            temporal: v.node(dct::TEMPORAL).map(|period| {
                let p = Values {
                    graph,
                    subject: period,
                };
                PeriodJson {
                    kind: PeriodType::PeriodOfTime,
                    start_date: p.date(dcat::START_DATE),
                    end_date: p.date(dcat::END_DATE),
                }
            }),
            contact_point: v.node(dcat::CONTACT_POINT).map(|contact| {
                let c = Values {
                    graph,
                    subject: contact,
                };
                ContactJson {
                    kind: KindType::Kind,
                    name: c.literal(vcard::FN),
                    has_email: c.iri(vcard::HAS_EMAIL),
                }
            }),
            distribution: v
                .nodes(dcat::DISTRIBUTION_PROP)
                .into_iter()
                .map(|d| DistributionJson::from_graph(graph, d))
                .collect(),
        }
    }
}

impl JsonModel for DistributionJson {
    fn from_graph(graph: &Graph, topic: NamedOrBlankNodeRef<'_>) -> Self {
        let v = Values {
            graph,
            subject: topic,
        };
        Self {
            id: iri_of(topic),
            kind: DistributionType::Distribution,
            title: v.per_language(dct::TITLE),
            description: v.per_language(dct::DESCRIPTION),
            access_url: v.iri(dcat::ACCESS_URL).unwrap_or_default(),
            download_url: v.iri(dcat::DOWNLOAD_URL),
            media_type: v.iri(dcat::MEDIA_TYPE),
            format: v.iri(dct::FORMAT),
            license: v.iri(dct::LICENSE),
            byte_size: v.literal(dcat::BYTE_SIZE).and_then(|s| s.parse().ok()),
        }
    }
}

/// A `fabio:DataPaper`: an article that describes datasets; IRIs are absolute or relative
/// to `{base}data-papers/`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DataPaperJson {
    /// The paper's IRI (default: one minted from its title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Always `DataPaper`.
    #[serde(rename = "type")]
    pub kind: DataPaperType,
    /// `dct:title`, one per language.
    pub title: PerLanguage,
    /// `dct:abstract`, one per language.
    #[serde(
        default,
        rename = "abstract",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub summary: PerLanguage,
    /// `dct:creator`: the authors' IRIs (ORCID iDs...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub creator: Vec<String>,
    /// `dct:issued`, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<String>,
    /// `prism:doi`, the bare DOI (`10.…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// `dct:identifier`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// `dct:bibliographicCitation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bibliographic_citation: Option<String>,
    /// `cito:describes`: the datasets' IRIs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub describes: Vec<String>,
}

/// The `type` of a data paper: only `DataPaper`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DataPaperType {
    /// `fabio:DataPaper`.
    #[default]
    DataPaper,
}

impl JsonModel for DataPaperJson {
    fn from_graph(graph: &Graph, topic: NamedOrBlankNodeRef<'_>) -> Self {
        let v = Values {
            graph,
            subject: topic,
        };
        Self {
            id: iri_of(topic),
            kind: DataPaperType::DataPaper,
            title: v.per_language(dct::TITLE),
            summary: v.per_language(dct::ABSTRACT),
            creator: v.iris(dct::CREATOR),
            issued: v.date(dct::ISSUED),
            doi: v.literal(prism::DOI),
            identifier: v.literal(dct::IDENTIFIER),
            bibliographic_citation: v.literal(dct::BIBLIOGRAPHIC_CITATION),
            describes: v.iris(cito::DESCRIBES),
        }
    }
}

/// A `foaf:Agent` (an organisation or a person); IRIs are absolute or relative to
/// `{base}agents/`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AgentJson {
    /// The agent's IRI (default: one minted from its name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its classes: `Agent`, `Organization`, `Person`.
    #[serde(rename = "type")]
    pub kind: Vec<AgentClass>,
    /// `foaf:name`, one per language.
    pub name: PerLanguage,
    /// `foaf:homepage` (a `foaf:Document`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
    /// `foaf:mbox`, a `mailto:` IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mbox: Option<String>,
}

/// A class of agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AgentClass {
    /// `foaf:Agent`.
    Agent,
    /// `foaf:Organization`.
    Organization,
    /// `foaf:Person`.
    Person,
}

impl JsonModel for AgentJson {
    fn from_graph(graph: &Graph, topic: NamedOrBlankNodeRef<'_>) -> Self {
        let v = Values {
            graph,
            subject: topic,
        };
        let classes = [
            (foaf::AGENT, AgentClass::Agent),
            (foaf::ORGANIZATION, AgentClass::Organization),
            (foaf::PERSON, AgentClass::Person),
        ];
        Self {
            id: iri_of(topic),
            kind: classes
                .into_iter()
                .filter(|(class, _)| {
                    graph.contains(oxigraph::model::TripleRef::new(topic, RDF_TYPE, *class))
                })
                .map(|(_, c)| c)
                .collect(),
            name: v.per_language(foaf::NAME),
            homepage: v.iri(foaf::HOMEPAGE),
            mbox: v.iri(foaf::MBOX),
        }
    }
}

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

fn iri_of(node: NamedOrBlankNodeRef<'_>) -> Option<String> {
    match node {
        NamedOrBlankNodeRef::NamedNode(n) => Some(n.as_str().to_owned()),
        NamedOrBlankNodeRef::BlankNode(_) => None,
    }
}

/// The values of one subject's properties in a graph, in a stable order.
struct Values<'a> {
    graph: &'a Graph,
    subject: NamedOrBlankNodeRef<'a>,
}

impl<'a> Values<'a> {
    fn objects(&self, predicate: NamedNodeRef<'_>) -> Vec<TermRef<'a>> {
        let mut objects: Vec<_> = self
            .graph
            .objects_for_subject_predicate(self.subject, predicate)
            .collect();
        objects.sort_by_cached_key(ToString::to_string);
        objects
    }

    fn per_language(&self, predicate: NamedNodeRef<'_>) -> PerLanguage {
        self.objects(predicate)
            .into_iter()
            .filter_map(|o| match o {
                TermRef::Literal(l) => l
                    .language()
                    .map(|lang| (lang.to_owned(), l.value().to_owned())),
                _ => None,
            })
            .collect()
    }

    fn keywords(&self) -> BTreeMap<String, Vec<String>> {
        let mut keywords: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for object in self.objects(dcat::KEYWORD) {
            if let TermRef::Literal(l) = object
                && let Some(lang) = l.language()
            {
                keywords
                    .entry(lang.to_owned())
                    .or_default()
                    .push(l.value().to_owned());
            }
        }
        keywords
    }

    fn literal(&self, predicate: NamedNodeRef<'_>) -> Option<String> {
        self.objects(predicate).into_iter().find_map(|o| match o {
            TermRef::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
    }

    /// An `xsd:date` value only: the model types every date so, and would mistype others.
    fn date(&self, predicate: NamedNodeRef<'_>) -> Option<String> {
        self.objects(predicate).into_iter().find_map(|o| match o {
            TermRef::Literal(l) if l.datatype() == oxigraph::model::vocab::xsd::DATE => {
                Some(l.value().to_owned())
            }
            _ => None,
        })
    }

    fn iris(&self, predicate: NamedNodeRef<'_>) -> Vec<String> {
        self.objects(predicate)
            .into_iter()
            .filter_map(|o| match o {
                TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect()
    }

    fn iri(&self, predicate: NamedNodeRef<'_>) -> Option<String> {
        self.iris(predicate).into_iter().next()
    }

    fn nodes(&self, predicate: NamedNodeRef<'_>) -> Vec<NamedOrBlankNodeRef<'a>> {
        self.objects(predicate)
            .into_iter()
            .filter_map(|o| match o {
                TermRef::NamedNode(n) => Some(n.into()),
                TermRef::BlankNode(b) => Some(b.into()),
                _ => None,
            })
            .collect()
    }

    fn node(&self, predicate: NamedNodeRef<'_>) -> Option<NamedOrBlankNodeRef<'a>> {
        self.nodes(predicate).into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
            dct::CREATOR,
            NamedNodeRef::new("http://ex.org/agents/b")?,
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
        assert_eq!(model.creator.len(), 4);
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
