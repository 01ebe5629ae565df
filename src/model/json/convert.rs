//! Reading each model out of a graph ([`JsonModel::from_graph`]).

use super::JsonModel;
use super::types::*;
use crate::model::vocab::{
    RDF_TYPE, bibo, cito, dcat, dct, fabio, foaf, frbr, org, prism, rdf_list, vcard,
};
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef, TripleRef};
use std::collections::BTreeMap;

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
            language: v.iris(dct::LANGUAGE),
            publisher: v.iri(dct::PUBLISHER),
            creator: v.creators(),
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
            creator: v.creators(),
            journal: v
                .node(frbr::PART_OF)
                .filter(|journal| {
                    graph.contains(TripleRef::new(*journal, RDF_TYPE, fabio::JOURNAL))
                })
                .and_then(|journal| {
                    Values {
                        graph,
                        subject: journal,
                    }
                    .literal(dct::TITLE)
                }),
            volume: v.literal(prism::VOLUME),
            starting_page: v.literal(prism::STARTING_PAGE),
            ending_page: v.literal(prism::ENDING_PAGE),
            issued: v.date(dct::ISSUED),
            doi: v.literal(prism::DOI),
            identifier: v.literal(dct::IDENTIFIER),
            bibliographic_citation: v.literal(dct::BIBLIOGRAPHIC_CITATION),
            describes: v.iris(cito::DESCRIBES),
        }
    }
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
                .filter(|(class, _)| graph.contains(TripleRef::new(topic, RDF_TYPE, *class)))
                .map(|(_, c)| c)
                .collect(),
            name: v.per_language(foaf::NAME),
            homepage: v.iri(foaf::HOMEPAGE),
            mbox: v.iri(foaf::MBOX),
            given_name: v.literal(foaf::GIVEN_NAME),
            family_name: v.literal(foaf::FAMILY_NAME),
            affiliation: v.iris(org::MEMBER_OF),
        }
    }
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

    /// The creators in their `bibo:authorList` order, then any other `dct:creator` in IRI
    /// order.
    fn creators(&self) -> Vec<String> {
        let mut ordered: Vec<String> = Vec::new();
        let mut cell = self.node(bibo::AUTHOR_LIST);
        // A list longer than the graph would have a cycle.
        for _ in 0..self.graph.len() {
            let Some(node) = cell.filter(|n| *n != rdf_list::NIL.into()) else {
                break;
            };
            let here = Values {
                graph: self.graph,
                subject: node,
            };
            if let Some(TermRef::NamedNode(member)) = here.objects(rdf_list::FIRST).first() {
                ordered.push(member.as_str().to_owned());
            }
            cell = here.node(rdf_list::REST);
        }
        for creator in self.iris(dct::CREATOR) {
            if !ordered.contains(&creator) {
                ordered.push(creator);
            }
        }
        ordered
    }
}
