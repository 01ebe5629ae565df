//! Metadata quality as data.europa.eu's Metadata Quality Assessment (MQA) measures it:
//! its indicators, their points and dimensions ([`metrics`]), assessed for a dataset and
//! its distributions ([`assess`]) and said as W3C DQV ([`dqv`]). Producers see the score
//! where they write, with the same yardstick as the European portal.

mod aggregates;
pub mod board;
pub mod dqv;
pub mod formats;
pub mod metrics;
mod scorer;

pub use metrics::{Band, Dimension, Metric, Scope};

use crate::model::vocab::{RDF_TYPE, dcat, dct};
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, TermRef};
use serde::Serialize;
use std::collections::HashSet;

/// The codes the MQA checks values against, from the bundled vocabularies.
#[derive(Debug, Clone, Default)]
pub struct Codes {
    licences: HashSet<String>,
    access_rights: HashSet<String>,
    file_types: HashSet<String>,
}

const ACCESS_RIGHT: &str = "http://publications.europa.eu/resource/authority/access-right/";

impl Codes {
    /// The codes of `vocabularies` ([`crate::store::bundled_vocabularies`]).
    pub fn of(vocabularies: &Graph) -> Self {
        let members = |class: NamedNodeRef<'_>, prefix: &str| -> HashSet<String> {
            vocabularies
                .subjects_for_predicate_object(RDF_TYPE, class)
                .filter_map(|s| match s {
                    NamedOrBlankNodeRef::NamedNode(n) if n.as_str().starts_with(prefix) => {
                        Some(n.as_str().to_owned())
                    }
                    _ => None,
                })
                .collect()
        };
        Self {
            licences: members(dct::LICENSE_DOCUMENT, ""),
            access_rights: members(dct::RIGHTS_STATEMENT, ACCESS_RIGHT),
            file_types: members(dct::MEDIA_TYPE_OR_EXTENT, formats::FILE_TYPE),
        }
    }
}

/// What the description alone cannot tell: whether it conforms to the profile, and what
/// the link checker found at a URL (its last status, `None` when not checked yet).
pub struct Evidence<'a> {
    /// The dataset has no violation of the profile's shapes.
    pub compliant: bool,
    /// The last status code the link checker got at a URL.
    pub status: &'a dyn Fn(&str) -> Option<u16>,
}

/// A value measured for one indicator on one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// Present or not, aligned or not.
    Bool(bool),
    /// The status code a URL answered.
    Status(u16),
    /// A URL not checked yet (no value to state).
    Unchecked,
}

impl Value {
    fn passes(&self) -> bool {
        matches!(self, Self::Bool(true) | Self::Status(200))
    }
}

/// One measurement: an indicator's value on the dataset or a distribution.
#[derive(Debug, Clone, Serialize)]
pub struct Measurement {
    /// The indicator.
    pub metric: Metric,
    /// What it was measured on.
    #[serde(serialize_with = "term_string")]
    pub on: NamedOrBlankNode,
    /// What was found.
    pub value: Value,
}

fn term_string<S: serde::Serializer>(node: &NamedOrBlankNode, s: S) -> Result<S::Ok, S::Error> {
    match node {
        NamedOrBlankNode::NamedNode(n) => s.serialize_str(n.as_str()),
        NamedOrBlankNode::BlankNode(b) => s.serialize_str(&b.to_string()),
    }
}

/// The points of one indicator.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    /// Which.
    pub metric: Metric,
    /// Its dimension.
    pub dimension: Dimension,
    /// The points earned (the weight times the share that pass).
    pub points: f64,
    /// Its weight.
    pub maximum: u32,
    /// How many of the resources it is checked on pass.
    pub passed: usize,
    /// On how many it is checked.
    pub of: usize,
    /// How many URLs were not checked yet.
    pub unchecked: usize,
}

/// The points of one dimension.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionScore {
    /// Which.
    pub dimension: Dimension,
    /// Earned.
    pub points: f64,
    /// Possible.
    pub maximum: u32,
}

/// A dataset's assessment.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// The points, out of 405.
    pub total: f64,
    /// The rating.
    pub band: Band,
    /// By dimension.
    pub dimensions: Vec<DimensionScore>,
    /// By indicator.
    pub indicators: Vec<Indicator>,
    /// Every measurement made.
    pub measurements: Vec<Measurement>,
}

/// Assesses the dataset `dataset` described in `graph`.
pub fn assess(
    graph: &Graph,
    dataset: NamedOrBlankNodeRef<'_>,
    codes: &Codes,
    evidence: &Evidence<'_>,
) -> Assessment {
    let on = Subject {
        graph,
        node: dataset,
    };
    let mut distributions: Vec<NamedOrBlankNodeRef<'_>> = graph
        .objects_for_subject_predicate(dataset, dcat::DISTRIBUTION_PROP)
        .filter_map(|o| match o {
            TermRef::NamedNode(n) => Some(n.into()),
            TermRef::BlankNode(b) => Some(b.into()),
            _ => None,
        })
        .collect();
    // A graph's order is its interner's: the best of equal distributions must not depend
    // on it, or the same dataset would score differently from one reading to the next.
    distributions.sort_by_cached_key(|d| d.to_string());
    let mut measurements = Vec::new();
    for metric in Metric::ALL {
        match metric.spec().2 {
            Scope::Dataset => measurements.push(Measurement {
                metric,
                on: dataset.into_owned(),
                value: on.dataset_value(metric, codes, evidence),
            }),
            Scope::EachDistribution | Scope::BestDistribution => {
                for node in &distributions {
                    let file = Subject { graph, node: *node };
                    measurements.push(Measurement {
                        metric,
                        on: node.into_owned(),
                        value: file.distribution_value(metric, codes, evidence),
                    });
                }
            }
        }
    }
    let best = best_distribution(&measurements, &distributions);
    let indicators: Vec<Indicator> = Metric::ALL
        .iter()
        .map(|metric| indicator(*metric, &measurements, best.as_ref()))
        .collect();
    let dimensions: Vec<DimensionScore> = Dimension::ALL
        .iter()
        .map(|dimension| DimensionScore {
            dimension: *dimension,
            points: round(
                indicators
                    .iter()
                    .filter(|i| i.dimension == *dimension)
                    .map(|i| i.points)
                    .sum(),
            ),
            maximum: metrics::maximum_of(*dimension),
        })
        .collect();
    let total = round(dimensions.iter().map(|d| d.points).sum());
    Assessment {
        total,
        band: Band::of(total),
        dimensions,
        indicators,
        measurements,
    }
}

/// Points to two decimals, as the MQA shows them.
fn round(points: f64) -> f64 {
    (points * 100.0).round() / 100.0
}

/// The distribution with the most interoperability points (the first of equals).
fn best_distribution(
    measurements: &[Measurement],
    distributions: &[NamedOrBlankNodeRef<'_>],
) -> Option<NamedOrBlankNode> {
    let points = |node: &NamedOrBlankNode| -> u32 {
        measurements
            .iter()
            .filter(|m| &m.on == node && m.metric.spec().2 == Scope::BestDistribution)
            .filter(|m| m.value.passes())
            .map(|m| m.metric.spec().1)
            .sum()
    };
    let mut best: Option<(NamedOrBlankNode, u32)> = None;
    for node in distributions.iter().map(|d| d.into_owned()) {
        let earned = points(&node);
        if best.as_ref().is_none_or(|(_, most)| earned > *most) {
            best = Some((node, earned));
        }
    }
    best.map(|(node, _)| node)
}

fn indicator(
    metric: Metric,
    measurements: &[Measurement],
    best: Option<&NamedOrBlankNode>,
) -> Indicator {
    let (dimension, maximum, scope) = metric.spec();
    let counted: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| m.metric == metric)
        .filter(|m| scope != Scope::BestDistribution || Some(&m.on) == best)
        .collect();
    let passed = counted.iter().filter(|m| m.value.passes()).count();
    let of = counted.len();
    let points = if of == 0 {
        0.0
    } else {
        f64::from(maximum) * passed as f64 / of as f64
    };
    Indicator {
        metric,
        dimension,
        points: round(points),
        maximum,
        passed,
        of,
        unchecked: counted
            .iter()
            .filter(|m| m.value == Value::Unchecked)
            .count(),
    }
}

/// A resource of the description, to read its values.
struct Subject<'a> {
    graph: &'a Graph,
    node: NamedOrBlankNodeRef<'a>,
}

impl Subject<'_> {
    fn has(&self, predicate: NamedNodeRef<'_>) -> bool {
        self.graph
            .objects_for_subject_predicate(self.node, predicate)
            .next()
            .is_some()
    }

    fn iris(&self, predicate: NamedNodeRef<'_>) -> Vec<String> {
        self.graph
            .objects_for_subject_predicate(self.node, predicate)
            .filter_map(|o| match o {
                TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect()
    }

    fn dataset_value(&self, metric: Metric, codes: &Codes, evidence: &Evidence<'_>) -> Value {
        let present = |p| Value::Bool(self.has(p));
        match metric {
            Metric::KeywordAvailability => present(dcat::KEYWORD),
            Metric::CategoryAvailability => present(dcat::THEME),
            Metric::SpatialAvailability => present(dct::SPATIAL),
            Metric::TemporalAvailability => present(dct::TEMPORAL),
            Metric::DcatApCompliance => Value::Bool(evidence.compliant),
            Metric::AccessRightsAvailability => present(dct::ACCESS_RIGHTS),
            Metric::AccessRightsVocabularyAlignment => {
                let rights = self.iris(dct::ACCESS_RIGHTS);
                Value::Bool(
                    !rights.is_empty() && rights.iter().all(|r| codes.access_rights.contains(r)),
                )
            }
            Metric::ContactPointAvailability => present(dcat::CONTACT_POINT),
            Metric::PublisherAvailability => present(dct::PUBLISHER),
            Metric::DateIssuedAvailability => present(dct::ISSUED),
            Metric::DateModifiedAvailability => present(dct::MODIFIED),
            _ => Value::Bool(false),
        }
    }

    fn distribution_value(&self, metric: Metric, codes: &Codes, evidence: &Evidence<'_>) -> Value {
        let present = |p| Value::Bool(self.has(p));
        let kinds = || {
            let mut all = self.iris(dct::FORMAT);
            all.extend(self.iris(dcat::MEDIA_TYPE));
            all
        };
        let status_of = |p| match self.iris(p).first() {
            None => Value::Bool(false),
            Some(url) => (evidence.status)(url).map_or(Value::Unchecked, Value::Status),
        };
        match metric {
            Metric::AccessUrlStatusCode => status_of(dcat::ACCESS_URL),
            Metric::DownloadUrlAvailability => present(dcat::DOWNLOAD_URL),
            Metric::DownloadUrlStatusCode => status_of(dcat::DOWNLOAD_URL),
            Metric::FormatAvailability => present(dct::FORMAT),
            Metric::MediaTypeAvailability => present(dcat::MEDIA_TYPE),
            Metric::FormatMediaTypeVocabularyAlignment => {
                let formats = self.iris(dct::FORMAT);
                let media = self.iris(dcat::MEDIA_TYPE);
                Value::Bool(
                    !formats.is_empty()
                        && !media.is_empty()
                        && formats.iter().all(|f| codes.file_types.contains(f))
                        && media.iter().all(|m| formats::iana_media_type(m).is_some()),
                )
            }
            Metric::FormatMediaTypeNonProprietary => {
                Value::Bool(kinds().iter().any(|k| formats::is_non_proprietary(k)))
            }
            Metric::FormatMediaTypeMachineInterpretable => {
                Value::Bool(kinds().iter().any(|k| formats::is_machine_interpretable(k)))
            }
            Metric::LicenceAvailability => present(dct::LICENSE),
            Metric::KnownLicence => {
                let licences = self.iris(dct::LICENSE);
                Value::Bool(
                    !licences.is_empty() && licences.iter().all(|l| codes.licences.contains(l)),
                )
            }
            Metric::RightsAvailability => present(dct::RIGHTS),
            Metric::ByteSizeAvailability => present(dcat::BYTE_SIZE),
            _ => Value::Bool(false),
        }
    }
}

#[cfg(test)]
mod tests;
