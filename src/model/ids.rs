//! The IRIs we mint: the base IRI and the path scheme of DESIGN.md, in one place.

use oxigraph::model::NamedNode;
use std::fmt;

/// The configured IRI prefix of everything we mint, always absolute and ending in `/`.
///
/// All links are built from it, never from a request's host, so the server answers the
/// same IRIs behind a reverse proxy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseIri(String);

/// Why a base IRI was refused.
#[derive(Debug, thiserror::Error)]
#[error("invalid base IRI {iri:?}: {reason}")]
pub struct BaseIriError {
    iri: String,
    reason: &'static str,
}

impl BaseIri {
    /// Validates an absolute `http(s)` IRI; a missing trailing `/` is added.
    pub fn parse(iri: &str) -> Result<Self, BaseIriError> {
        let error = |reason| BaseIriError {
            iri: iri.to_owned(),
            reason,
        };
        if !(iri.starts_with("http://") || iri.starts_with("https://")) {
            return Err(error("it must start with http:// or https://"));
        }
        if iri.contains(['?', '#', ' ']) {
            return Err(error("it must not contain a query, a fragment or a space"));
        }
        let mut iri = iri.to_owned();
        if !iri.ends_with('/') {
            iri.push('/');
        }
        NamedNode::new(&iri).map_err(|_| error("it is not a valid IRI"))?;
        Ok(Self(iri))
    }

    /// The IRI as a string, ending in `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path part (`/` or `/prefix/`), where the HTTP routes are mounted.
    pub fn path(&self) -> &str {
        let after_scheme = self.0.find("://").map_or(0, |i| i + 3);
        self.0[after_scheme..]
            .find('/')
            .map_or("/", |i| &self.0[after_scheme + i..])
    }

    /// `{base}{relative}` as an IRI.
    pub fn join(&self, relative: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{relative}", self.0))
    }

    /// The SPARQL endpoint, `{base}sparql`: the service description's subject, where the
    /// query page's forms send queries, and the base IRI relative IRIs in queries resolve
    /// against.
    pub fn sparql_endpoint(&self) -> NamedNode {
        self.join("sparql")
    }

    /// The IRI of a resource of `kind` with `id`, e.g. `{base}datasets/{id}`.
    pub fn resource(&self, kind: ResourceKind, id: &RecordId) -> NamedNode {
        self.join(&format!("{}/{}", kind.path_segment(), id.as_str()))
    }

    /// The named graph that holds a record, which is also the IRI of its catalog record.
    pub fn record_graph(&self, id: &RecordId) -> NamedNode {
        self.resource(ResourceKind::Record, id)
    }

    /// The named graph of catalog-level triples.
    pub fn catalog_graph(&self) -> NamedNode {
        self.join("graphs/catalog")
    }

    /// The named graph of withdrawn datasets' catalog records (tombstones).
    pub fn withdrawn_graph(&self) -> NamedNode {
        self.join("graphs/withdrawn")
    }

    /// Our application profile, `{base}shapes` (a profile of DCAT-AP 3.0.1): what each
    /// catalog record names with `dct:conformsTo`.
    pub fn profile(&self) -> NamedNode {
        self.join("shapes")
    }

    /// The named graph of the bundled controlled vocabularies.
    pub fn vocabulary_graph(&self) -> NamedNode {
        self.join("graphs/vocabularies")
    }

    /// The catalog itself is the base IRI.
    pub fn catalog(&self) -> NamedNode {
        NamedNode::new_unchecked(self.0.clone())
    }

    /// If `iri` is `{base}{kind}/{id}`, the id.
    pub fn local_id(&self, kind: ResourceKind, iri: &str) -> Option<RecordId> {
        let rest = iri.strip_prefix(self.0.as_str())?;
        let id = rest.strip_prefix(kind.path_segment())?.strip_prefix('/')?;
        RecordId::parse(id).ok()
    }
}

impl fmt::Display for BaseIri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where the representations of a resource are: `{iri}.{extension}`, or `{url}?format={extension}`
/// for resources whose URL cannot take a suffix (the catalog at `{base}`, the SPARQL endpoint).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variants<'a> {
    /// `{iri}.ttl`, `{iri}.jsonld`...
    Suffix(&'a str),
    /// `{url}?format=ttl`...
    FormatParameter(&'a str),
}

impl<'a> Variants<'a> {
    /// The variants of a page IRI: records take a suffix, an IRI ending in `/` cannot.
    pub fn of(iri: &'a str) -> Self {
        if iri.ends_with('/') {
            Self::FormatParameter(iri)
        } else {
            Self::Suffix(iri)
        }
    }

    /// The URL of the representation with this file extension.
    pub fn url(self, extension: &str) -> String {
        match self {
            Self::Suffix(iri) => format!("{iri}.{extension}"),
            Self::FormatParameter(url) => format!("{url}?format={extension}"),
        }
    }
}

/// The kinds of resources that have a dereferenceable page, with their path segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// `dcat:Dataset`, at `{base}datasets/{id}`.
    Dataset,
    /// `dcat:Distribution`, at `{base}distributions/{id}`.
    Distribution,
    /// `fabio:DataPaper`, at `{base}data-papers/{id}`.
    DataPaper,
    /// `foaf:Agent`, at `{base}agents/{id}`.
    Agent,
    /// `dcat:CatalogRecord`, at `{base}records/{id}`; also the name of the record's graph.
    Record,
}

impl ResourceKind {
    /// Every kind, for routing tables.
    pub const ALL: [Self; 5] = [
        Self::Dataset,
        Self::Distribution,
        Self::DataPaper,
        Self::Agent,
        Self::Record,
    ];

    /// The first path segment of this kind's IRIs.
    pub const fn path_segment(self) -> &'static str {
        match self {
            Self::Dataset => "datasets",
            Self::Distribution => "distributions",
            Self::DataPaper => "data-papers",
            Self::Agent => "agents",
            Self::Record => "records",
        }
    }

    /// A human name, for error messages and page titles.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Dataset => "dataset",
            Self::Distribution => "distribution",
            Self::DataPaper => "data paper",
            Self::Agent => "agent",
            Self::Record => "catalog record",
        }
    }
}

/// A record or resource id: the last path segment of the IRIs we mint.
///
/// Restricted to `[A-Za-z0-9_-]`, 1 to 200 characters, so that an id never needs escaping in
/// an IRI and a format suffix (`.ttl`) can never be part of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(String);

/// Why a string is not a valid id.
#[derive(Debug, thiserror::Error)]
#[error("invalid id {0:?}: ids are 1 to 200 characters among A-Z a-z 0-9 _ -")]
pub struct RecordIdError(String);

impl RecordId {
    /// Checks the id syntax.
    pub fn parse(id: &str) -> Result<Self, RecordIdError> {
        let valid = !id.is_empty()
            && id.len() <= 200
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if valid {
            Ok(Self(id.to_owned()))
        } else {
            Err(RecordIdError(id.to_owned()))
        }
    }

    /// Makes a valid id out of any text (an IRI's last segment, an identifier): other
    /// characters become `-`, and an empty result becomes `record`.
    pub fn slugify(text: &str) -> Self {
        let mut slug = String::with_capacity(text.len().min(200));
        for c in text.chars() {
            if slug.len() >= 200 {
                break;
            }
            if c.is_ascii_alphanumeric() || c == '_' {
                slug.push(c);
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        while slug.ends_with('-') {
            slug.pop();
        }
        if slug.is_empty() {
            slug.push_str("record");
        }
        Self(slug)
    }

    /// An id that reads like `title`: lower case, accents dropped (`Loutres du Léguer` →
    /// `loutres-du-leguer`), then [`Self::slugify`]d.
    pub fn from_title(title: &str) -> Self {
        let mut folded = String::with_capacity(title.len());
        for c in title.chars().flat_map(char::to_lowercase) {
            match unaccented(c) {
                Some(plain) => folded.push_str(plain),
                None => folded.push(c),
            }
        }
        Self::slugify(&folded)
    }

    /// The `n`th candidate for this id: itself for 1, else `{id}-{n}`, shortened first so
    /// the result stays within 200 characters (and differs from the other candidates).
    pub fn with_suffix(&self, n: usize) -> Self {
        if n <= 1 {
            return self.clone();
        }
        let suffix = format!("-{n}");
        let keep = self.0.len().min(200 - suffix.len());
        Self(format!("{}{suffix}", &self.0[..keep]))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The DOI in `value`, bare: `10.5072/x` from `https://doi.org/10.5072/x`, `doi:10.5072/x`
/// or `10.5072/x`.
pub fn bare_doi(value: &str) -> Option<String> {
    let value = value.trim();
    let rest = [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ]
    .iter()
    .find_map(|prefix| {
        value
            .get(..prefix.len())
            .filter(|head| head.eq_ignore_ascii_case(prefix))
            .map(|_| &value[prefix.len()..])
    })
    .unwrap_or(value);
    let (prefix, suffix) = rest.split_once('/')?;
    let registrant = prefix.strip_prefix("10.")?;
    let valid = !registrant.is_empty()
        && registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !suffix.is_empty()
        && !suffix.chars().any(char::is_whitespace);
    valid.then(|| rest.to_owned())
}

/// The letters of a Latin letter with a diacritic (or a ligature), for ids.
fn unaccented(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
        'ç' | 'ć' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' | 'ń' => "n",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ů' => "u",
        'ý' | 'ÿ' => "y",
        'š' => "s",
        'ž' => "z",
        'œ' => "oe",
        'æ' => "ae",
        'ß' => "ss",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_iri_gets_trailing_slash_and_path() -> Result<(), BaseIriError> {
        let base = BaseIri::parse("https://data.example.org/portal")?;
        assert_eq!(base.as_str(), "https://data.example.org/portal/");
        assert_eq!(base.path(), "/portal/");
        assert_eq!(BaseIri::parse("http://localhost:8080/")?.path(), "/");
        assert!(BaseIri::parse("ftp://x/").is_err());
        assert!(BaseIri::parse("http://x/?q").is_err());
        Ok(())
    }

    #[test]
    fn local_ids_round_trip() -> Result<(), BaseIriError> {
        let base = BaseIri::parse("http://localhost:8080/")?;
        let id = RecordId::slugify("Zones humides (2023)");
        assert_eq!(id.as_str(), "Zones-humides-2023");
        let iri = base.resource(ResourceKind::Dataset, &id);
        assert_eq!(base.local_id(ResourceKind::Dataset, iri.as_str()), Some(id));
        assert_eq!(base.local_id(ResourceKind::Agent, iri.as_str()), None);
        assert!(RecordId::parse("a.ttl").is_err());
        assert_eq!(RecordId::slugify("---").as_str(), "record");
        assert_eq!(
            RecordId::from_title("Loutres du Léguer, 2025 (Œuvre)").as_str(),
            "loutres-du-leguer-2025-oeuvre"
        );
        Ok(())
    }

    #[test]
    fn suffixed_ids_stay_valid_and_distinct() -> Result<(), RecordIdError> {
        let short = RecordId::parse("zh")?;
        assert_eq!(short.with_suffix(1), short);
        assert_eq!(short.with_suffix(3).as_str(), "zh-3");
        // Regression: a 200-character id used to get the same candidate forever.
        let long = RecordId::parse(&"a".repeat(200))?;
        let (second, third) = (long.with_suffix(2), long.with_suffix(3));
        assert_ne!(second, third);
        assert!(RecordId::parse(second.as_str()).is_ok() && second.as_str().len() <= 200);
        Ok(())
    }
}
