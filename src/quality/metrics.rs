//! The MQA's indicators: each with its piveau metric IRI, its dimension, its points and
//! what it is checked on (see `docs/decisions.md`, "Issue 31": where the sources differ,
//! which we follow and why).

/// piveau's DQV vocabulary, which data.europa.eu's MQA uses for its metrics.
pub const PV: &str = "https://piveau.eu/ns/voc#";

/// The five dimensions of the MQA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// Can people and machines find it.
    Findability,
    /// Can they reach the data.
    Accessibility,
    /// Can they combine it with other data and tools.
    Interoperability,
    /// May they, and do they know how, reuse it.
    Reusability,
    /// What else tells them about it.
    Contextuality,
}

impl Dimension {
    /// Every dimension, in the MQA's order.
    pub const ALL: [Self; 5] = [
        Self::Findability,
        Self::Accessibility,
        Self::Interoperability,
        Self::Reusability,
        Self::Contextuality,
    ];

    /// Its local name in piveau's vocabulary (`pv:findability`...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Findability => "findability",
            Self::Accessibility => "accessibility",
            Self::Interoperability => "interoperability",
            Self::Reusability => "reusability",
            Self::Contextuality => "contextuality",
        }
    }
}

/// What an indicator is checked on, and how its points are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The dataset: all or nothing.
    Dataset,
    /// Each distribution: the points times the share that pass.
    EachDistribution,
    /// The distribution with the most interoperability points ("identical content with
    /// several distributions": only the best one counts).
    BestDistribution,
}

/// One indicator of the MQA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Metric {
    /// `dcat:keyword`, at least one.
    KeywordAvailability,
    /// `dcat:theme`, at least one.
    CategoryAvailability,
    /// `dct:spatial`, at least one.
    SpatialAvailability,
    /// `dct:temporal`, at least one.
    TemporalAvailability,
    /// The access URL answers 200.
    AccessUrlStatusCode,
    /// A `dcat:downloadURL`.
    DownloadUrlAvailability,
    /// The download URL answers 200.
    DownloadUrlStatusCode,
    /// A `dct:format`.
    FormatAvailability,
    /// A `dcat:mediaType`.
    MediaTypeAvailability,
    /// Both from the vocabularies DCAT-AP names.
    FormatMediaTypeVocabularyAlignment,
    /// One of them non-proprietary.
    FormatMediaTypeNonProprietary,
    /// One of them machine-interpretable.
    FormatMediaTypeMachineInterpretable,
    /// The dataset conforms to DCAT-AP (our profile's shapes).
    DcatApCompliance,
    /// A `dct:license`.
    LicenceAvailability,
    /// A licence of the known collection (the EU licence NAL and the ones we add).
    KnownLicence,
    /// `dct:accessRights`.
    AccessRightsAvailability,
    /// From the EU access-right NAL.
    AccessRightsVocabularyAlignment,
    /// `dcat:contactPoint`.
    ContactPointAvailability,
    /// `dct:publisher`.
    PublisherAvailability,
    /// `dct:rights`.
    RightsAvailability,
    /// `dcat:byteSize`.
    ByteSizeAvailability,
    /// `dct:issued` (of the dataset).
    DateIssuedAvailability,
    /// `dct:modified` (of the dataset).
    DateModifiedAvailability,
}

impl Metric {
    /// Every indicator, by dimension, in the methodology's order.
    pub const ALL: [Self; 23] = [
        Self::KeywordAvailability,
        Self::CategoryAvailability,
        Self::SpatialAvailability,
        Self::TemporalAvailability,
        Self::AccessUrlStatusCode,
        Self::DownloadUrlAvailability,
        Self::DownloadUrlStatusCode,
        Self::FormatAvailability,
        Self::MediaTypeAvailability,
        Self::FormatMediaTypeVocabularyAlignment,
        Self::FormatMediaTypeNonProprietary,
        Self::FormatMediaTypeMachineInterpretable,
        Self::DcatApCompliance,
        Self::LicenceAvailability,
        Self::KnownLicence,
        Self::AccessRightsAvailability,
        Self::AccessRightsVocabularyAlignment,
        Self::ContactPointAvailability,
        Self::PublisherAvailability,
        Self::RightsAvailability,
        Self::ByteSizeAvailability,
        Self::DateIssuedAvailability,
        Self::DateModifiedAvailability,
    ];

    /// Its dimension, points and scope.
    pub fn spec(self) -> (Dimension, u32, Scope) {
        use Dimension::*;
        use Scope::*;
        match self {
            Self::KeywordAvailability | Self::CategoryAvailability => (Findability, 30, Dataset),
            Self::SpatialAvailability | Self::TemporalAvailability => (Findability, 20, Dataset),
            Self::AccessUrlStatusCode => (Accessibility, 50, EachDistribution),
            Self::DownloadUrlAvailability => (Accessibility, 20, EachDistribution),
            Self::DownloadUrlStatusCode => (Accessibility, 30, EachDistribution),
            Self::FormatAvailability => (Interoperability, 20, BestDistribution),
            Self::MediaTypeAvailability => (Interoperability, 10, BestDistribution),
            Self::FormatMediaTypeVocabularyAlignment => (Interoperability, 10, BestDistribution),
            Self::FormatMediaTypeNonProprietary => (Interoperability, 20, BestDistribution),
            Self::FormatMediaTypeMachineInterpretable => (Interoperability, 20, BestDistribution),
            Self::DcatApCompliance => (Interoperability, 30, Dataset),
            Self::LicenceAvailability => (Reusability, 20, EachDistribution),
            Self::KnownLicence => (Reusability, 10, EachDistribution),
            Self::AccessRightsAvailability => (Reusability, 10, Dataset),
            Self::AccessRightsVocabularyAlignment => (Reusability, 5, Dataset),
            Self::ContactPointAvailability => (Reusability, 20, Dataset),
            Self::PublisherAvailability => (Reusability, 10, Dataset),
            Self::RightsAvailability | Self::ByteSizeAvailability => {
                (Contextuality, 5, EachDistribution)
            }
            Self::DateIssuedAvailability | Self::DateModifiedAvailability => {
                (Contextuality, 5, Dataset)
            }
        }
    }

    /// Its local name in piveau's vocabulary (`pv:keywordAvailability`...).
    pub fn name(self) -> &'static str {
        match self {
            Self::KeywordAvailability => "keywordAvailability",
            Self::CategoryAvailability => "categoryAvailability",
            Self::SpatialAvailability => "spatialAvailability",
            Self::TemporalAvailability => "temporalAvailability",
            Self::AccessUrlStatusCode => "accessUrlStatusCode",
            Self::DownloadUrlAvailability => "downloadUrlAvailability",
            Self::DownloadUrlStatusCode => "downloadUrlStatusCode",
            Self::FormatAvailability => "formatAvailability",
            Self::MediaTypeAvailability => "mediaTypeAvailability",
            Self::FormatMediaTypeVocabularyAlignment => "formatMediaTypeVocabularyAlignment",
            Self::FormatMediaTypeNonProprietary => "formatMediaTypeNonProprietary",
            Self::FormatMediaTypeMachineInterpretable => "formatMediaTypeMachineInterpretable",
            Self::DcatApCompliance => "dcatApCompliance",
            Self::LicenceAvailability => "licenceAvailability",
            Self::KnownLicence => "knownLicence",
            Self::AccessRightsAvailability => "accessRightsAvailability",
            Self::AccessRightsVocabularyAlignment => "accessRightsVocabularyAlignment",
            Self::ContactPointAvailability => "contactPointAvailability",
            Self::PublisherAvailability => "publisherAvailability",
            Self::RightsAvailability => "rightsAvailability",
            Self::ByteSizeAvailability => "byteSizeAvailability",
            Self::DateIssuedAvailability => "dateIssuedAvailability",
            Self::DateModifiedAvailability => "dateModifiedAvailability",
        }
    }

    /// Its IRI.
    pub fn iri(self) -> String {
        format!("{PV}{}", self.name())
    }
}

/// The most points a dataset can have (the MQA's 405).
pub fn maximum() -> u32 {
    Metric::ALL.iter().map(|m| m.spec().1).sum()
}

/// The most points of `dimension`.
pub fn maximum_of(dimension: Dimension) -> u32 {
    Metric::ALL
        .iter()
        .map(|m| m.spec())
        .filter(|(d, _, _)| *d == dimension)
        .map(|(_, points, _)| points)
        .sum()
}

/// The MQA's rating of a score.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    /// 0 to 120 points.
    Bad,
    /// 121 to 220.
    Sufficient,
    /// 221 to 350.
    Good,
    /// 351 to 405.
    Excellent,
}

impl Band {
    /// The band of `points` (ckan-mqa's ranges: 120 is still Bad).
    pub fn of(points: f64) -> Self {
        if points > 350.0 {
            Self::Excellent
        } else if points > 220.0 {
            Self::Good
        } else if points > 120.0 {
            Self::Sufficient
        } else {
            Self::Bad
        }
    }

    /// Its word in URLs and answers (`good`).
    pub fn word(self) -> &'static str {
        match self {
            Self::Excellent => "excellent",
            Self::Good => "good",
            Self::Sufficient => "sufficient",
            Self::Bad => "bad",
        }
    }

    /// Its concept in piveau's scoring scheme.
    pub fn iri(self) -> &'static str {
        match self {
            Self::Excellent => "https://piveau.eu/ns/scoring#excellent",
            Self::Good => "https://piveau.eu/ns/scoring#good",
            Self::Sufficient => "https://piveau.eu/ns/scoring#enough",
            Self::Bad => "https://piveau.eu/ns/scoring#bad",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_points_add_up_as_the_methodology_says() {
        assert_eq!(maximum(), 405);
        let maxima: Vec<u32> = Dimension::ALL.iter().map(|d| maximum_of(*d)).collect();
        assert_eq!(maxima, [100, 100, 110, 75, 20]);
    }

    #[test]
    fn the_bundled_metrics_say_what_the_code_counts() {
        use oxigraph::model::{NamedNode, NamedOrBlankNodeRef, TermRef};
        let vocabularies = crate::store::bundled_vocabularies().unwrap_or_default();
        let pv = |local: &str| NamedNode::new_unchecked(format!("{PV}{local}"));
        for metric in Metric::ALL {
            let (dimension, points, _) = metric.spec();
            let iri = pv(metric.name());
            let subject = NamedOrBlankNodeRef::from(iri.as_ref());
            let in_dimension =
                vocabularies.object_for_subject_predicate(subject, pv_dqv("inDimension").as_ref());
            assert_eq!(
                in_dimension,
                Some(TermRef::NamedNode(pv(dimension.name()).as_ref())),
                "{}",
                metric.name()
            );
            let score =
                vocabularies.object_for_subject_predicate(subject, pv("trueScore").as_ref());
            let score = match score {
                Some(TermRef::Literal(l)) => l.value().parse::<u32>().ok(),
                _ => None,
            };
            assert_eq!(score, Some(points), "{}", metric.name());
        }
    }

    fn pv_dqv(local: &str) -> oxigraph::model::NamedNode {
        oxigraph::model::NamedNode::new_unchecked(format!("http://www.w3.org/ns/dqv#{local}"))
    }

    #[test]
    fn bands_follow_the_published_ranges() {
        assert_eq!(Band::of(405.0), Band::Excellent);
        assert_eq!(Band::of(351.0), Band::Excellent);
        assert_eq!(Band::of(350.0), Band::Good);
        assert_eq!(Band::of(221.0), Band::Good);
        assert_eq!(Band::of(220.0), Band::Sufficient);
        assert_eq!(Band::of(121.0), Band::Sufficient);
        assert_eq!(Band::of(120.0), Band::Bad);
        assert_eq!(Band::of(0.0), Band::Bad);
    }
}
