//! The JSON model's types: their serde shape is the model's schema (unknown keys refused).

use serde::{Deserialize, Serialize};
#[allow(unused_imports)] // The schemas' examples.
use serde_json::json;
use std::collections::BTreeMap;

/// Text per language tag (`{"fr": "...", "en": "..."}`).
pub type PerLanguage = BTreeMap<String, String>;

/// A `dcat:Dataset`; IRIs are absolute or relative to `{base}datasets/`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({
    "type": "Dataset",
    "title": {"fr": "Comptages de loutres", "en": "Otter counts"},
    "description": {"fr": "Comptages annuels le long de la Vilaine.", "en": "Yearly counts along the Vilaine."},
    "keyword": {"fr": ["loutre"], "en": ["otter"]},
    "theme": ["http://publications.europa.eu/resource/authority/data-theme/ENVI"],
    "issued": "2025-02-01",
    "temporal": {"type": "PeriodOfTime", "startDate": "2020-01-01", "endDate": "2024-12-31"},
    "contactPoint": {"type": "Kind", "fn": "Équipe loutres", "hasEmail": "mailto:loutres@example.org"},
    "distribution": [{
        "type": "Distribution",
        "title": {"fr": "Comptages (CSV)"},
        "accessURL": "https://example.org/loutres/",
        "format": "http://publications.europa.eu/resource/authority/file-type/CSV",
        "license": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    }]
}))]
pub struct DatasetJson {
    /// The dataset's IRI (default: one minted from its title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Always `Dataset`.
    #[serde(rename = "type")]
    pub kind: DatasetType,
    /// `dct:title`, one per language.
    #[schema(inline)]
    pub title: PerLanguage,
    /// `dct:description`, one per language.
    #[schema(inline)]
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
    /// `dct:language`: the languages of the data (EU language IRIs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub language: Vec<String>,
    /// `dct:publisher`: an agent's IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// `dct:creator`: the creators' IRIs, in their order (kept as `bibo:authorList` when
    /// there are several).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub creator: Vec<String>,
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum DatasetType {
    /// `dcat:Dataset`.
    #[default]
    Dataset,
}

/// The `type` of a distribution: only `Distribution`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum DistributionType {
    /// `dcat:Distribution`.
    #[default]
    Distribution,
}

/// The `type` of a period: only `PeriodOfTime`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum PeriodType {
    /// `dct:PeriodOfTime`.
    #[default]
    PeriodOfTime,
}

/// The `type` of a contact point: only `Kind`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum KindType {
    /// `vcard:Kind`.
    #[default]
    Kind,
}

/// A `dct:PeriodOfTime` with `dcat:startDate`/`dcat:endDate` (`YYYY-MM-DD`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({
    "type": "Distribution",
    "title": {"fr": "Comptages (JSON)", "en": "Counts (JSON)"},
    "accessURL": "https://example.org/loutres/counts.json",
    "mediaType": "https://www.iana.org/assignments/media-types/application/json",
    "license": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
}))]
pub struct DistributionJson {
    /// The distribution's IRI (default: a blank node).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Always `Distribution`.
    #[serde(rename = "type")]
    pub kind: DistributionType,
    /// `dct:title`, one per language.
    #[schema(inline)]
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub title: PerLanguage,
    /// `dct:description`, one per language.
    #[schema(inline)]
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

/// A `fabio:DataPaper`: an article that describes datasets; IRIs are absolute or relative
/// to `{base}data-papers/`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({
    "type": "DataPaper",
    "title": {"en": "Counting otters along the Vilaine"},
    "abstract": {"en": "How the banks were surveyed, and what the counts say."},
    "creator": ["https://orcid.org/0000-0002-8153-202X"],
    "journal": "Data in Brief",
    "issued": "2025-06-01",
    "doi": "10.5072/example.otters"
}))]
pub struct DataPaperJson {
    /// The paper's IRI (default: one minted from its title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Always `DataPaper`.
    #[serde(rename = "type")]
    pub kind: DataPaperType,
    /// `dct:title`, one per language.
    #[schema(inline)]
    pub title: PerLanguage,
    /// `dct:abstract`, one per language.
    #[schema(inline)]
    #[serde(
        default,
        rename = "abstract",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub summary: PerLanguage,
    /// `dct:creator`: the authors' IRIs (ORCID iDs...), in their order (kept as
    /// `bibo:authorList` when there are several).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub creator: Vec<String>,
    /// The title of the journal it is `frbr:partOf` (a `fabio:Journal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    /// `prism:volume`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// `prism:startingPage` (or an article number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_page: Option<String>,
    /// `prism:endingPage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ending_page: Option<String>,
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum DataPaperType {
    /// `fabio:DataPaper`.
    #[default]
    DataPaper,
}

/// A `foaf:Agent` (an organisation or a person); IRIs are absolute or relative to
/// `{base}agents/`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({
    "type": ["Person"],
    "name": {"fr": "Camille Martin"},
    "givenName": "Camille",
    "familyName": "Martin",
    "mbox": "mailto:camille.martin@example.org"
}))]
pub struct AgentJson {
    /// The agent's IRI (default: one minted from its name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its classes: `Agent`, `Organization`, `Person`.
    #[serde(rename = "type")]
    pub kind: Vec<AgentClass>,
    /// `foaf:name`, one per language.
    #[schema(inline)]
    pub name: PerLanguage,
    /// `foaf:homepage` (a `foaf:Document`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
    /// `foaf:mbox`, a `mailto:` IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mbox: Option<String>,
    /// `foaf:givenName` (a person's; citations need it apart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// `foaf:familyName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// `org:memberOf`: the organisations a person belongs to (ROR IRIs where they have
    /// one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affiliation: Vec<String>,
}

/// A class of agents.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
pub enum AgentClass {
    /// `foaf:Agent`.
    Agent,
    /// `foaf:Organization`.
    Organization,
    /// `foaf:Person`.
    Person,
}
