//! A dataset or a data paper read once from its description, in the terms every export
//! shares (DataCite, schema.org, citations, Dublin Core): so each export is a plain
//! mapping, and all of them say the same thing about the same record.

use super::graph::QuadIndex;
pub use super::graph::Text;
pub use crate::model::bare_doi;
use crate::model::vocab::{bibo, cito, dcat, dct, fabio, foaf, frbr, org, prism};
use crate::store::Description;
use oxigraph::model::{Literal, NamedOrBlankNodeRef, Term};

/// Which of the two kinds of work it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkKind {
    /// A `dcat:Dataset`.
    Dataset,
    /// A `fabio:DataPaper`.
    DataPaper,
}

/// An agent as exports name it.
#[derive(Debug, Clone, Default)]
pub struct Party {
    /// Its IRI (an ORCID or ROR IRI, or ours), when it has one.
    pub iri: Option<String>,
    /// Its names, one per language.
    pub names: Vec<Text>,
    /// `foaf:givenName`, `foaf:familyName` (persons).
    pub given: Option<String>,
    /// See `given`.
    pub family: Option<String>,
    /// Whether it is a `foaf:Person` (else an organisation, or not known).
    pub person: bool,
    /// Its affiliations (`org:memberOf`), named.
    pub affiliations: Vec<Party>,
}

impl Party {
    /// Its ORCID iD as an IRI, when its IRI is one.
    pub fn orcid(&self) -> Option<&str> {
        self.iri.as_deref().filter(|iri| {
            iri.starts_with("https://orcid.org/") || iri.starts_with("http://orcid.org/")
        })
    }

    /// Its ROR IRI, when its IRI is one.
    pub fn ror(&self) -> Option<&str> {
        self.iri
            .as_deref()
            .filter(|iri| iri.starts_with("https://ror.org/"))
    }

    /// Its name in `language`, else in the other, else any.
    pub fn name(&self, language: &str) -> String {
        pick(&self.names, language)
            .map(str::to_owned)
            .or_else(|| match (&self.given, &self.family) {
                (Some(given), Some(family)) => Some(format!("{given} {family}")),
                _ => None,
            })
            .or_else(|| self.iri.clone())
            .unwrap_or_default()
    }
}

/// A linked resource with a label: a theme, a licence, a format.
#[derive(Debug, Clone)]
pub struct Coded {
    /// Its IRI.
    pub iri: String,
    /// Its labels, one per language.
    pub labels: Vec<Text>,
}

impl Coded {
    /// Its label in `language`, else any, else its IRI.
    pub fn label(&self, language: &str) -> String {
        pick(&self.labels, language).map_or_else(|| self.iri.clone(), str::to_owned)
    }
}

/// A place: its names and, when `dcat:bbox` gives one, its bounding box.
#[derive(Debug, Clone)]
pub struct Place {
    /// `skos:prefLabel` and the like.
    pub names: Vec<Text>,
    /// Its IRI, when it has one (an EU country code...).
    pub iri: Option<String>,
    /// West, east, south, north, in degrees.
    pub bbox: Option<[f64; 4]>,
}

/// A distribution, as exports list files.
#[derive(Debug, Clone, Default)]
pub struct File {
    /// Its titles.
    pub titles: Vec<Text>,
    /// `dcat:downloadURL`.
    pub download: Option<String>,
    /// `dcat:accessURL`.
    pub access: Option<String>,
    /// The IANA media type, e.g. `text/csv`, from `dcat:mediaType`.
    pub media_type: Option<String>,
    /// The `dct:format` code and its labels.
    pub format: Option<Coded>,
    /// `dcat:byteSize`.
    pub byte_size: Option<u64>,
    /// Its licence, when it has its own.
    pub license: Option<Coded>,
}

/// A work at the other end of `cito:describes`.
#[derive(Debug, Clone)]
pub struct Related {
    /// Its IRI.
    pub iri: String,
    /// Its DOI, bare (`10.…`), when known.
    pub doi: Option<String>,
    /// Its titles.
    pub titles: Vec<Text>,
}

/// Where a paper was published.
#[derive(Debug, Clone, Default)]
pub struct Venue {
    /// The journal's title.
    pub journal: Option<String>,
    /// `prism:volume`.
    pub volume: Option<String>,
    /// `prism:startingPage` (an article number, often).
    pub first_page: Option<String>,
    /// `prism:endingPage`.
    pub last_page: Option<String>,
}

/// The catalog records are part of.
#[derive(Debug, Clone, Copy)]
pub struct Catalog<'a> {
    /// Its IRI (our base IRI).
    pub iri: &'a str,
    /// Its `dct:title`s.
    pub titles: &'a [Literal],
}

/// A dataset or data paper, read for export.
#[derive(Debug, Clone)]
pub struct Work {
    /// Dataset or data paper.
    pub kind: WorkKind,
    /// The resource's IRI (a harvested dataset keeps its original one).
    pub iri: String,
    /// Its page on this server, `{base}{kind}/{id}`.
    pub page: String,
    /// Its DOI, bare (`10.…`), when it has one.
    pub doi: Option<String>,
    /// `dct:identifier` values that are not its DOI.
    pub identifiers: Vec<String>,
    /// `dct:title`.
    pub titles: Vec<Text>,
    /// `dct:description`, or a paper's `dct:abstract`.
    pub descriptions: Vec<Text>,
    /// Its authors in their order (`bibo:authorList`, else `dct:creator` in IRI order).
    pub creators: Vec<Party>,
    /// `dct:publisher`.
    pub publisher: Option<Party>,
    /// `dcat:keyword`.
    pub keywords: Vec<Text>,
    /// `dcat:theme`.
    pub themes: Vec<Coded>,
    /// `dct:issued`, lexical (`YYYY-MM-DD` or a date-time).
    pub issued: Option<String>,
    /// `dct:modified`, lexical.
    pub modified: Option<String>,
    /// `dct:temporal`: start and end, lexical.
    pub period: Option<(Option<String>, Option<String>)>,
    /// `dct:spatial`.
    pub places: Vec<Place>,
    /// `dct:license` of the work, else the one its distributions share.
    pub license: Option<Coded>,
    /// `dct:accessRights`.
    pub access_rights: Option<Coded>,
    /// `dct:language` codes, as ISO 639-1 where we know it (`fr`), else the IRI's code.
    pub languages: Vec<String>,
    /// `dcat:landingPage`.
    pub landing_pages: Vec<String>,
    /// Its distributions.
    pub files: Vec<File>,
    /// For a dataset, the papers that describe it; for a paper, the datasets it describes.
    pub related: Vec<Related>,
    /// A paper's journal, volume and pages.
    pub venue: Venue,
    /// `dct:bibliographicCitation`, as the work asks to be cited.
    pub citation: Option<String>,
    /// The catalog that holds it, and its titles.
    pub catalog: Coded,
}

/// The text of `texts` in `language`, else untagged, else the first.
pub fn pick<'a>(texts: &'a [Text], language: &str) -> Option<&'a str> {
    pick_text(texts, language).map(|t| t.value.as_str())
}

/// [`pick`], with the text's language (a page marks text in another language than its
/// own with `lang`).
pub fn pick_text<'a>(texts: &'a [Text], language: &str) -> Option<&'a Text> {
    let tagged = |wanted: Option<&str>| texts.iter().find(|t| t.language.as_deref() == wanted);
    tagged(Some(language))
        .or_else(|| tagged(None))
        .or_else(|| texts.first())
}

/// Languages of the EU *language* authority table we map to ISO 639-1 (what DataCite,
/// schema.org and CSL expect); others keep their three-letter code, lower case.
const LANGUAGES: [(&str, &str); 8] = [
    ("FRA", "fr"),
    ("ENG", "en"),
    ("DEU", "de"),
    ("SPA", "es"),
    ("ITA", "it"),
    ("BRE", "br"),
    ("NLD", "nl"),
    ("POR", "pt"),
];

impl Work {
    /// Reads the work `description` is about; `None` when it is neither a dataset nor a
    /// data paper. `page` is its page here, `catalog` our catalog's IRI and titles.
    pub fn read(description: &Description, page: &str, catalog: &Catalog<'_>) -> Option<Self> {
        let index = QuadIndex::new(&description.quads);
        let topic: NamedOrBlankNodeRef<'_> = description.topic.as_ref().into();
        let kind = if index.has_type(topic, dcat::DATASET) {
            WorkKind::Dataset
        } else if index.has_type(topic, fabio::DATA_PAPER) {
            WorkKind::DataPaper
        } else {
            return None;
        };
        let iri = description.topic.as_str().to_owned();
        let literal_ids = index.literals(topic, dct::IDENTIFIER);
        let doi = index
            .literals(topic, prism::DOI)
            .iter()
            .chain(&literal_ids)
            .find_map(|t| bare_doi(&t.value))
            .or_else(|| bare_doi(&iri));
        let identifiers = literal_ids
            .into_iter()
            .map(|t| t.value)
            .filter(|v| bare_doi(v).is_none_or(|d| Some(&d) != doi.as_ref()))
            .collect();
        let mut descriptions = index.literals(topic, dct::DESCRIPTION);
        descriptions.extend(index.literals(topic, dct::ABSTRACT));
        let files = files(&index, topic);
        let license = index
            .iris(topic, dct::LICENSE)
            .first()
            .map(|iri| coded(&index, iri))
            .or_else(|| shared_license(&files));
        Some(Self {
            kind,
            page: page.to_owned(),
            doi,
            identifiers,
            titles: index.literals(topic, dct::TITLE),
            descriptions,
            creators: creators(&index, topic),
            publisher: index
                .iris(topic, dct::PUBLISHER)
                .first()
                .map(|iri| party(&index, iri)),
            keywords: index.literals(topic, dcat::KEYWORD),
            themes: index
                .iris(topic, dcat::THEME)
                .iter()
                .map(|iri| coded(&index, iri))
                .collect(),
            issued: index.first_lexical(topic, dct::ISSUED),
            modified: index.first_lexical(topic, dct::MODIFIED),
            period: period(&index, topic),
            places: places(&index, topic),
            license,
            access_rights: index
                .iris(topic, dct::ACCESS_RIGHTS)
                .first()
                .map(|iri| coded(&index, iri)),
            languages: index
                .iris(topic, dct::LANGUAGE)
                .iter()
                .map(|iri| language_code(iri))
                .collect(),
            landing_pages: index.iris(topic, dcat::LANDING_PAGE),
            files,
            related: related(&index, topic, kind),
            venue: venue(&index, topic),
            citation: index.first_lexical(topic, dct::BIBLIOGRAPHIC_CITATION),
            catalog: Coded {
                iri: catalog.iri.to_owned(),
                labels: catalog
                    .titles
                    .iter()
                    .map(|l| Text {
                        language: l.language().map(str::to_ascii_lowercase),
                        value: l.value().to_owned(),
                    })
                    .collect(),
            },
            iri,
        })
    }

    /// Its title in `language`, else any.
    pub fn title(&self, language: &str) -> &str {
        pick(&self.titles, language).unwrap_or(&self.iri)
    }

    /// The year it was published (`dct:issued`, else `dct:modified`).
    pub fn year(&self) -> Option<&str> {
        self.issued
            .as_deref()
            .or(self.modified.as_deref())
            .and_then(|date| date.get(..4))
            .filter(|year| year.chars().all(|c| c.is_ascii_digit()))
    }

    /// Where it is cited from: its DOI as a URL, else its IRI.
    pub fn cite_as(&self) -> String {
        match &self.doi {
            Some(doi) => format!("https://doi.org/{doi}"),
            None => self.iri.clone(),
        }
    }
}

/// The EU language code at the end of `iri` as ISO 639-1 when we know it.
fn language_code(iri: &str) -> String {
    let code = iri.rsplit('/').next().unwrap_or(iri);
    LANGUAGES
        .iter()
        .find(|(eu, _)| eu.eq_ignore_ascii_case(code))
        .map_or_else(|| code.to_ascii_lowercase(), |(_, iso)| (*iso).to_owned())
}

/// A linked resource with its labels, as the description lends them.
fn coded(index: &QuadIndex<'_>, iri: &str) -> Coded {
    Coded {
        iri: iri.to_owned(),
        labels: index.labels(QuadIndex::node(iri)),
    }
}

/// An agent with its names and affiliations, as the description lends them.
fn party(index: &QuadIndex<'_>, iri: &str) -> Party {
    let node = QuadIndex::node(iri);
    let affiliations = index
        .iris(node, org::MEMBER_OF)
        .iter()
        .map(|a| Party {
            iri: Some(a.clone()),
            names: index.labels(QuadIndex::node(a)),
            ..Party::default()
        })
        .collect();
    Party {
        iri: Some(iri.to_owned()),
        names: index.labels(node),
        given: index.first_lexical(node, foaf::GIVEN_NAME),
        family: index.first_lexical(node, foaf::FAMILY_NAME),
        person: index.has_type(node, foaf::PERSON),
        affiliations,
    }
}

/// The authors: `bibo:authorList` in its order, then any other `dct:creator` by IRI.
fn creators(index: &QuadIndex<'_>, topic: NamedOrBlankNodeRef<'_>) -> Vec<Party> {
    let mut ordered: Vec<String> = index
        .objects(topic, bibo::AUTHOR_LIST)
        .first()
        .map(|list| index.list(list))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|term| match term {
            Term::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
        .collect();
    let mut others = index.iris(topic, dct::CREATOR);
    others.sort();
    for iri in others {
        if !ordered.contains(&iri) {
            ordered.push(iri);
        }
    }
    ordered.iter().map(|iri| party(index, iri)).collect()
}

/// The distributions of a dataset.
fn files(index: &QuadIndex<'_>, topic: NamedOrBlankNodeRef<'_>) -> Vec<File> {
    index
        .objects(topic, dcat::DISTRIBUTION_PROP)
        .into_iter()
        .filter_map(QuadIndex::as_node)
        .map(|node| File {
            titles: index.literals(node, dct::TITLE),
            download: index.iris(node, dcat::DOWNLOAD_URL).into_iter().next(),
            access: index.iris(node, dcat::ACCESS_URL).into_iter().next(),
            media_type: index
                .iris(node, dcat::MEDIA_TYPE)
                .into_iter()
                .next()
                .and_then(|iri| {
                    iri.split_once("/assignments/media-types/")
                        .map(|(_, t)| t.to_owned())
                }),
            format: index
                .iris(node, dct::FORMAT)
                .first()
                .map(|iri| coded(index, iri)),
            byte_size: index
                .first_lexical(node, dcat::BYTE_SIZE)
                .and_then(|size| size.trim().parse().ok()),
            license: index
                .iris(node, dct::LICENSE)
                .first()
                .map(|iri| coded(index, iri)),
        })
        .collect()
}

/// The licence every distribution shares, when they share one (DCAT puts licences on
/// distributions; DataCite and schema.org want the work's).
fn shared_license(files: &[File]) -> Option<Coded> {
    let first = files.first()?.license.clone()?;
    files
        .iter()
        .all(|f| f.license.as_ref().is_some_and(|l| l.iri == first.iri))
        .then_some(first)
}

/// The period covered, from `dct:temporal`'s `dcat:startDate`/`dcat:endDate`.
fn period(
    index: &QuadIndex<'_>,
    topic: NamedOrBlankNodeRef<'_>,
) -> Option<(Option<String>, Option<String>)> {
    let node = index
        .objects(topic, dct::TEMPORAL)
        .into_iter()
        .find_map(QuadIndex::as_node)?;
    let start = index.first_lexical(node, dcat::START_DATE);
    let end = index.first_lexical(node, dcat::END_DATE);
    (start.is_some() || end.is_some()).then_some((start, end))
}

/// The places of `dct:spatial`, with a bounding box read from a WKT polygon.
fn places(index: &QuadIndex<'_>, topic: NamedOrBlankNodeRef<'_>) -> Vec<Place> {
    index
        .objects(topic, dct::SPATIAL)
        .into_iter()
        .filter_map(QuadIndex::as_node)
        .map(|node| Place {
            names: index.labels(node),
            iri: match node {
                NamedOrBlankNodeRef::NamedNode(n) => Some(n.as_str().to_owned()),
                NamedOrBlankNodeRef::BlankNode(_) => None,
            },
            bbox: index
                .first_lexical(node, dcat::BBOX)
                .and_then(|wkt| bounding_box(&wkt)),
        })
        .collect()
}

/// The bounding box (west, east, south, north) of a WKT `POLYGON` or `POINT`, when its
/// coordinates are longitudes and latitudes in range.
pub fn bounding_box(wkt: &str) -> Option<[f64; 4]> {
    let wkt = wkt.trim();
    // A CRS IRI may lead the literal (GeoSPARQL): `<http://…> POLYGON(…)`.
    let wkt = match wkt.strip_prefix('<') {
        Some(rest) => rest.split_once('>')?.1.trim(),
        None => wkt,
    };
    let open = wkt.find('(')?;
    let shape = wkt[..open].trim().to_ascii_uppercase();
    if shape != "POLYGON" && shape != "POINT" {
        return None;
    }
    let numbers = wkt[open..].trim_matches(|c| c == '(' || c == ')');
    let mut bbox = [f64::MAX, f64::MIN, f64::MAX, f64::MIN];
    let mut any = false;
    for pair in numbers.split(',') {
        let mut xy = pair.split_whitespace().map(str::parse::<f64>);
        let (Some(Ok(x)), Some(Ok(y))) = (xy.next(), xy.next()) else {
            return None;
        };
        if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
            return None;
        }
        bbox = [
            bbox[0].min(x),
            bbox[1].max(x),
            bbox[2].min(y),
            bbox[3].max(y),
        ];
        any = true;
    }
    any.then_some(bbox)
}

/// The other end of `cito:describes`.
fn related(index: &QuadIndex<'_>, topic: NamedOrBlankNodeRef<'_>, kind: WorkKind) -> Vec<Related> {
    let mut iris = match kind {
        WorkKind::DataPaper => index.iris(topic, cito::DESCRIBES),
        WorkKind::Dataset => {
            let mut papers = index.iris(topic, cito::IS_DESCRIBED_BY);
            papers.extend(
                index
                    .iris(topic, dct::IS_REFERENCED_BY)
                    .into_iter()
                    .filter(|iri| index.has_type(QuadIndex::node(iri), fabio::DATA_PAPER)),
            );
            papers
        }
    };
    iris.sort();
    iris.dedup();
    iris.into_iter()
        .map(|iri| {
            let node = QuadIndex::node(&iri);
            let doi = index
                .literals(node, prism::DOI)
                .iter()
                .chain(&index.literals(node, dct::IDENTIFIER))
                .find_map(|t| bare_doi(&t.value))
                .or_else(|| bare_doi(&iri));
            Related {
                titles: index.literals(node, dct::TITLE),
                doi,
                iri,
            }
        })
        .collect()
}

/// A paper's journal (`frbr:partOf` a `fabio:Journal`), volume and pages.
fn venue(index: &QuadIndex<'_>, topic: NamedOrBlankNodeRef<'_>) -> Venue {
    let journal = index
        .objects(topic, frbr::PART_OF)
        .into_iter()
        .filter_map(QuadIndex::as_node)
        .find(|node| index.has_type(*node, fabio::JOURNAL))
        .and_then(|node| pick(&index.labels(node), "en").map(str::to_owned));
    Venue {
        journal,
        volume: index.first_lexical(topic, prism::VOLUME),
        first_page: index.first_lexical(topic, prism::STARTING_PAGE),
        last_page: index.first_lexical(topic, prism::ENDING_PAGE),
    }
}
