//! The write API's parameters and bodies as its OpenAPI description names them
//! ([`crate::http::openapi`]): the extractors of `extract.rs` read them, these say what
//! they read.
#![allow(dead_code)] // Descriptions: the extractors read the values.

use crate::model::json::{AgentJson, DataPaperJson, DatasetJson};
use serde::Serialize;
use utoipa::ToSchema;

/// The plain JSON model of a record: which one `{kind}` says.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum RecordJson {
    /// For `datasets`.
    Dataset(DatasetJson),
    /// For `data-papers`.
    DataPaper(DataPaperJson),
    /// For `agents`.
    Agent(AgentJson),
}

/// The `{kind}` segment of the write API.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RecordSegment {
    /// Datasets (`dcat:Dataset`).
    Datasets,
    /// Data papers (`fabio:DataPaper`).
    DataPapers,
    /// Agents (`foaf:Agent`).
    Agents,
}

/// The status a write may ask for (`?status=`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AskedStatus {
    /// Keep it (or make it) a draft, seen by its editors only.
    Draft,
    /// Make it public.
    Published,
}

/// The `{kind}` of a new record.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct KindPath {
    /// What kind of record.
    kind: RecordSegment,
}

/// A record of the write API.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct RecordPath {
    /// What kind of record.
    kind: RecordSegment,
    /// Its id: the last segment of its IRI.
    id: String,
}

/// A distribution of the write API.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct DistributionPath {
    /// Its id: the last segment of its IRI.
    id: String,
}

/// What a write may ask besides its body.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EditQuery {
    /// `draft` keeps the record (or makes it) a draft; `published` publishes it.
    status: Option<AskedStatus>,
    /// Held back from readers until then: an ISO 8601 date or date-time (one already past
    /// publishes at once).
    embargo: Option<String>,
}

/// The version a change or deletion is made to.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatchHeader {
    /// The `ETag` of the record as it was read, so that nobody's change is overwritten.
    #[param(rename = "If-Match")]
    if_match: String,
}
