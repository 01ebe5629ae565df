//! One record, many profiles: a dataset or data paper as DataCite XML, schema.org
//! JSON-LD and citations (BibTeX, RIS, CSL-JSON, a formatted reference), each mapped from
//! the same [`Work`] read from the record's description, so there is no second copy to
//! keep in sync.
//!
//! - `work.rs`: the record read once, in the terms every export shares;
//! - `datacite.rs`, `schema_org.rs`, `citation.rs`: one mapping each;
//! - `signposting.rs`: FAIR Signposting, the typed links to all of these;
//! - `profile.rs`: which of them (or which RDF syntax) a request asks for, by media type
//!   and by profile (W3C "Content Negotiation by Profile");
//! - `graph.rs`, `xml.rs`: reading quads by subject, writing XML.

pub mod citation;
pub mod datacite;
pub mod graph;
pub mod profile;
pub mod schema_org;
pub mod signposting;
pub mod work;
pub mod xml;

pub use profile::{Format, Profile, ProfileChoice, negotiate_record};
pub use work::{Work, WorkKind};

use crate::rdf::Offer;

/// A view of a dataset or data paper that is not RDF.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Export {
    /// DataCite Metadata Schema 4 XML.
    DataCite,
    /// schema.org JSON-LD, as `application/vnd.schemaorg.ld+json`.
    SchemaOrg,
    /// schema.org JSON-LD asked as `application/ld+json` with the schema.org profile.
    SchemaOrgLd,
    /// BibTeX.
    BibTex,
    /// RIS.
    Ris,
    /// CSL-JSON.
    CslJson,
    /// A formatted reference, as text.
    Bibliography,
}

impl Export {
    /// Every export, in server preference order (when `Accept` ties).
    pub const ALL: [Self; 7] = [
        Self::DataCite,
        Self::SchemaOrg,
        Self::SchemaOrgLd,
        Self::BibTex,
        Self::Ris,
        Self::CslJson,
        Self::Bibliography,
    ];

    /// The media type (crosscite's DOI content negotiation types).
    pub const fn media_type(self) -> &'static str {
        match self {
            Self::DataCite => "application/vnd.datacite.datacite+xml",
            Self::SchemaOrg => "application/vnd.schemaorg.ld+json",
            Self::SchemaOrgLd => "application/ld+json",
            Self::BibTex => "application/x-bibtex",
            Self::Ris => "application/x-research-info-systems",
            Self::CslJson => "application/vnd.citationstyles.csl+json",
            Self::Bibliography => "text/x-bibliography",
        }
    }

    /// The `Content-Type` header value, with its charset.
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::DataCite => "application/vnd.datacite.datacite+xml; charset=utf-8",
            Self::SchemaOrg => "application/vnd.schemaorg.ld+json; charset=utf-8",
            Self::SchemaOrgLd => "application/ld+json; charset=utf-8",
            Self::BibTex => "application/x-bibtex; charset=utf-8",
            Self::Ris => "application/x-research-info-systems; charset=utf-8",
            Self::CslJson => "application/vnd.citationstyles.csl+json; charset=utf-8",
            Self::Bibliography => "text/x-bibliography; charset=utf-8",
        }
    }

    /// The name `?format=` takes, and that links on pages use.
    pub const fn name(self) -> &'static str {
        match self {
            Self::DataCite => "datacite",
            Self::SchemaOrg | Self::SchemaOrgLd => "schemaorg",
            Self::BibTex => "bibtex",
            Self::Ris => "ris",
            Self::CslJson => "csl",
            Self::Bibliography => "citation",
        }
    }

    /// A human name, for links.
    pub const fn label(self) -> &'static str {
        match self {
            Self::DataCite => "DataCite XML",
            Self::SchemaOrg | Self::SchemaOrgLd => "schema.org JSON-LD",
            Self::BibTex => "BibTeX",
            Self::Ris => "RIS",
            Self::CslJson => "CSL-JSON",
            Self::Bibliography => "Text",
        }
    }

    /// The export `?format=` names (its name or its media type).
    pub fn from_format_param(value: &str) -> Option<Self> {
        let value = value.trim();
        Self::ALL
            .into_iter()
            .filter(|e| *e != Self::SchemaOrgLd)
            .find(|e| {
                e.name().eq_ignore_ascii_case(value) || e.media_type().eq_ignore_ascii_case(value)
            })
    }

    /// Whether its text depends on the reader's language (a title or label chosen among
    /// several); DataCite carries every language with `xml:lang`.
    pub const fn depends_on_language(self) -> bool {
        !matches!(self, Self::DataCite)
    }

    /// Writes `work` in this export; `fallback_year` for DataCite's required year.
    pub fn render(self, work: &Work, language: &str, fallback_year: Option<&str>) -> Vec<u8> {
        match self {
            Self::DataCite => datacite::document(work, fallback_year).into_bytes(),
            Self::SchemaOrg | Self::SchemaOrgLd => json_bytes(&schema_org::object(work, language)),
            Self::BibTex => citation::bibtex(work, language).into_bytes(),
            Self::Ris => citation::ris(work, language).into_bytes(),
            Self::CslJson => json_bytes(&citation::csl_json(work, language)),
            Self::Bibliography => {
                let mut text = citation::bibliography(work, language);
                text.push('\n');
                text.into_bytes()
            }
        }
    }
}

/// Pretty JSON (a `Value` always serializes).
fn json_bytes(value: &serde_json::Value) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}

impl Offer for Export {
    fn media_type(self) -> &'static str {
        Export::media_type(self)
    }
}
