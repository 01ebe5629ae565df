//! The OAI-PMH 2.0 provider at `{base}oai`, as institutional aggregators (OpenAIRE, BASE,
//! HAL) harvest: the six verbs, `oai_dc`, `oai_datacite` and `dcat_ap` records, sets by
//! kind, publisher, theme and harvest source, and resumption tokens over the DCAT feed's order.
//!
//! - `request.rs`: reading and checking a request (the protocol's error codes);
//! - `token.rs`: resumption tokens;
//! - `sets.rs`: the sets and which records belong to them;
//! - `dc.rs`: a record as Dublin Core; `metadata.rs`: a record in each format;
//! - `respond.rs`: writing the responses.
//!
//! The HTTP side (`http/oai.rs`) walks the store's order and hands each record here.

pub mod dc;
pub mod metadata;
pub mod request;
pub mod respond;
pub mod sets;
pub mod token;

pub use request::{ListRequest, Verb, parse};
pub use sets::Set;
pub use token::ResumptionToken;

/// Records per list page.
pub const PAGE_SIZE: usize = 100;

/// A request's arguments for a list (`ListIdentifiers`, `ListRecords`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListArguments {
    /// The metadata format.
    pub format: MetadataFormat,
    /// `from`, in milliseconds (inclusive).
    pub from: Option<i64>,
    /// `until`, in milliseconds (inclusive, to the end of its second or day).
    pub until: Option<i64>,
    /// `set`.
    pub set: Option<String>,
}

/// The metadata formats we disseminate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataFormat {
    /// Simple Dublin Core (every record).
    OaiDc,
    /// DataCite XML in DataCite's OAI wrapper (records with a DOI).
    DataCite,
    /// The record as DCAT-AP RDF/XML.
    DcatAp,
}

impl MetadataFormat {
    /// Every format, in the order `ListMetadataFormats` gives them.
    pub const ALL: [Self; 3] = [Self::OaiDc, Self::DataCite, Self::DcatAp];

    /// Its `metadataPrefix`.
    pub const fn prefix(self) -> &'static str {
        match self {
            Self::OaiDc => "oai_dc",
            Self::DataCite => "oai_datacite",
            Self::DcatAp => "dcat_ap",
        }
    }

    /// The format a prefix names.
    pub fn from_prefix(prefix: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.prefix() == prefix)
    }

    /// Its schema's location.
    pub const fn schema(self) -> &'static str {
        match self {
            Self::OaiDc => "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            Self::DataCite => "http://schema.datacite.org/oai/oai-1.1/oai.xsd",
            Self::DcatAp => "https://semiceu.github.io/DCAT-AP/releases/3.0.1/",
        }
    }

    /// Its namespace.
    pub const fn namespace(self) -> &'static str {
        match self {
            Self::OaiDc => "http://www.openarchives.org/OAI/2.0/oai_dc/",
            Self::DataCite => "http://schema.datacite.org/oai/oai-1.1/",
            Self::DcatAp => "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        }
    }
}

/// The errors the protocol names (section 3.6), each answered in a 200 response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OaiError {
    /// The verb is missing, repeated or unknown.
    #[error("{0}")]
    BadVerb(String),
    /// An argument is missing, repeated, unknown or ill-formed.
    #[error("{0}")]
    BadArgument(String),
    /// The resumption token is not valid (altered, expired).
    #[error("{0}")]
    BadResumptionToken(String),
    /// The format is unknown, or this record is not available in it.
    #[error("the metadata format {0:?} is not available here")]
    CannotDisseminateFormat(String),
    /// No record has this identifier.
    #[error("no record has the identifier {0:?}")]
    IdDoesNotExist(String),
    /// The list asked for is empty.
    #[error("no record matches these arguments")]
    NoRecordsMatch,
    /// The item has no metadata format (never: every record has `oai_dc`).
    #[error("no metadata format is available for this item")]
    NoMetadataFormats,
    /// The repository has no sets (never: we have sets).
    #[error("this repository does not support sets")]
    NoSetHierarchy,
}

impl OaiError {
    /// The protocol's code.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::BadVerb(_) => "badVerb",
            Self::BadArgument(_) => "badArgument",
            Self::BadResumptionToken(_) => "badResumptionToken",
            Self::CannotDisseminateFormat(_) => "cannotDisseminateFormat",
            Self::IdDoesNotExist(_) => "idDoesNotExist",
            Self::NoRecordsMatch => "noRecordsMatch",
            Self::NoMetadataFormats => "noMetadataFormats",
            Self::NoSetHierarchy => "noSetHierarchy",
        }
    }
}

/// `oai:{host}:{id}`, the identifier of the record `id`.
pub fn identifier(host: &str, id: &str) -> String {
    format!("oai:{host}:{id}")
}

/// The record id in an identifier of this repository.
pub fn record_id<'a>(host: &str, identifier: &'a str) -> Option<&'a str> {
    identifier
        .strip_prefix("oai:")?
        .strip_prefix(host)?
        .strip_prefix(':')
}
