//! DataCite Metadata Schema 4.7 XML (kernel-4), as DOI registration and the OAI-PMH
//! `oai_datacite` format carry it.
//!
//! A record without a DOI still gets a valid document: its IRI is the `identifier`, typed
//! `URL` (the schema requires an identifier and lets its type be any name); the OAI-PMH
//! provider offers `oai_datacite` only for DOI-bearing records. What the schema cannot say
//! (a second language code, a polygon we cannot read) is left out and counted in a comment.

use super::work::{Party, Text, Work, WorkKind, pick};
use super::xml::Xml;

/// The kernel-4 namespace, the same for 4.0–4.7.
pub const NAMESPACE: &str = "http://datacite.org/schema/kernel-4";
/// Where the 4.7 schema is published.
pub const SCHEMA_LOCATION: &str = "https://schema.datacite.org/meta/kernel-4.7/metadata.xsd";

/// The EU data-theme scheme, for `subject`'s `schemeURI`.
const EU_THEMES: &str = "http://publications.europa.eu/resource/authority/data-theme";

/// The language single-valued fields are written in (DataCite's common language).
const LANGUAGE: &str = "en";

/// A whole DataCite document for `work`; `fallback_year` when it has no date of its own
/// (the year its record was written).
pub fn document(work: &Work, fallback_year: Option<&str>) -> String {
    let mut xml = Xml::new();
    write_resource(&mut xml, work, fallback_year);
    xml.finish()
}

/// Writes the `<resource>` element of `work` into `xml`; returns how many values were left
/// out (also said in a comment inside the element).
pub fn write_resource(xml: &mut Xml, work: &Work, fallback_year: Option<&str>) -> usize {
    let location = format!("{NAMESPACE} {SCHEMA_LOCATION}");
    xml.open(
        "resource",
        &[
            ("xmlns", NAMESPACE),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", &location),
        ],
    );
    let mut dropped = 0;
    identifier(xml, work);
    creators(xml, work);
    titles(xml, work);
    publisher(xml, work);
    let year = work
        .year()
        .or(fallback_year)
        .filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or("0000");
    xml.leaf("publicationYear", &[], year);
    let general = match work.kind {
        WorkKind::Dataset => "Dataset",
        WorkKind::DataPaper => "DataPaper",
    };
    xml.leaf("resourceType", &[("resourceTypeGeneral", general)], general);
    subjects(xml, work);
    dates(xml, work);
    dropped += language(xml, work);
    alternate_identifiers(xml, work);
    related_identifiers(xml, work);
    sizes_and_formats(xml, work);
    rights(xml, work);
    descriptions(xml, work);
    dropped += geo_locations(xml, work);
    if dropped > 0 {
        xml.comment(&format!(
            "{dropped} value(s) of this record have no place in DataCite and were left out"
        ));
    }
    xml.close();
    dropped
}

fn identifier(xml: &mut Xml, work: &Work) {
    match &work.doi {
        Some(doi) => xml.leaf("identifier", &[("identifierType", "DOI")], doi),
        None => xml.leaf("identifier", &[("identifierType", "URL")], &work.iri),
    }
}

/// `xml:lang` for a text, when it has a language.
fn lang(text: &Text) -> Vec<(&str, &str)> {
    text.language
        .as_deref()
        .map(|l| vec![("xml:lang", l)])
        .unwrap_or_default()
}

fn creators(xml: &mut Xml, work: &Work) {
    xml.open("creators", &[]);
    let fallback;
    let creators: &[Party] = if work.creators.is_empty() {
        // DataCite requires a creator: the publisher stands in, as DataCite advises.
        fallback = work.publisher.clone().map(|p| vec![p]).unwrap_or_default();
        &fallback
    } else {
        &work.creators
    };
    if creators.is_empty() {
        xml.open("creator", &[]);
        xml.leaf("creatorName", &[], "(:unav)");
        xml.close();
    }
    for creator in creators {
        xml.open("creator", &[]);
        person_or_organisation(xml, "creatorName", creator);
        xml.close();
    }
    xml.close();
}

/// A creator's name, parts of name, ORCID and affiliations.
fn person_or_organisation(xml: &mut Xml, element: &str, party: &Party) {
    let name = match (&party.family, &party.given) {
        (Some(family), Some(given)) => format!("{family}, {given}"),
        _ => party.name(LANGUAGE),
    };
    let kind = if party.person {
        "Personal"
    } else {
        "Organizational"
    };
    xml.leaf(element, &[("nameType", kind)], &name);
    if let Some(given) = &party.given {
        xml.leaf("givenName", &[], given);
    }
    if let Some(family) = &party.family {
        xml.leaf("familyName", &[], family);
    }
    if let Some(orcid) = party.orcid() {
        xml.leaf(
            "nameIdentifier",
            &[
                ("nameIdentifierScheme", "ORCID"),
                ("schemeURI", "https://orcid.org"),
            ],
            orcid,
        );
    } else if let Some(ror) = party.ror() {
        xml.leaf(
            "nameIdentifier",
            &[
                ("nameIdentifierScheme", "ROR"),
                ("schemeURI", "https://ror.org"),
            ],
            ror,
        );
    }
    for affiliation in &party.affiliations {
        let name = affiliation.name(LANGUAGE);
        match affiliation.ror() {
            Some(ror) => xml.leaf(
                "affiliation",
                &[
                    ("affiliationIdentifier", ror),
                    ("affiliationIdentifierScheme", "ROR"),
                    ("schemeURI", "https://ror.org"),
                ],
                &name,
            ),
            None => xml.leaf("affiliation", &[], &name),
        }
    }
}

fn titles(xml: &mut Xml, work: &Work) {
    xml.open("titles", &[]);
    if work.titles.is_empty() {
        xml.leaf("title", &[], &work.iri);
    }
    for title in &work.titles {
        xml.leaf("title", &lang(title), &title.value);
    }
    xml.close();
}

/// The publisher's name; a paper's journal when it names no publisher; else the catalog.
fn publisher(xml: &mut Xml, work: &Work) {
    if let Some(party) = &work.publisher {
        let name = party.name(LANGUAGE);
        if let Some(ror) = party.ror() {
            let attributes = [
                ("publisherIdentifier", ror),
                ("publisherIdentifierScheme", "ROR"),
                ("schemeURI", "https://ror.org/"),
            ];
            xml.leaf("publisher", &attributes, &name);
        } else {
            xml.leaf("publisher", &[], &name);
        }
        return;
    }
    let name = work
        .venue
        .journal
        .clone()
        .unwrap_or_else(|| work.catalog.label(LANGUAGE));
    xml.leaf("publisher", &[], &name);
}

fn subjects(xml: &mut Xml, work: &Work) {
    if work.keywords.is_empty() && work.themes.is_empty() {
        return;
    }
    xml.open("subjects", &[]);
    for keyword in &work.keywords {
        xml.leaf("subject", &lang(keyword), &keyword.value);
    }
    for theme in &work.themes {
        let mut attributes = vec![("valueURI", theme.iri.as_str())];
        if theme.iri.starts_with(EU_THEMES) {
            attributes.push(("subjectScheme", "EU Data Theme"));
            attributes.push(("schemeURI", EU_THEMES));
        }
        if theme.labels.is_empty() {
            xml.leaf("subject", &attributes, &theme.iri);
        }
        for label in &theme.labels {
            let mut attributes = attributes.clone();
            attributes.extend(lang(label));
            xml.leaf("subject", &attributes, &label.value);
        }
    }
    xml.close();
}

fn dates(xml: &mut Xml, work: &Work) {
    let coverage = work.period.as_ref().map(|(start, end)| match (start, end) {
        (Some(start), Some(end)) => format!("{start}/{end}"),
        (Some(start), None) => format!("{start}/open"),
        (None, Some(end)) => format!("unknown/{end}"),
        (None, None) => String::new(),
    });
    let dates = [
        ("Issued", work.issued.clone()),
        ("Updated", work.modified.clone()),
        ("Coverage", coverage.filter(|c| !c.is_empty())),
    ];
    if dates.iter().all(|(_, d)| d.is_none()) {
        return;
    }
    xml.open("dates", &[]);
    for (kind, date) in dates {
        if let Some(date) = date {
            xml.leaf("date", &[("dateType", kind)], &date);
        }
    }
    xml.close();
}

/// The first language (DataCite takes one); returns how many were left out.
fn language(xml: &mut Xml, work: &Work) -> usize {
    let valid = |code: &&String| {
        (2..=8).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphabetic())
    };
    let mut codes = work.languages.iter().filter(valid);
    if let Some(first) = codes.next() {
        xml.leaf("language", &[], first);
    }
    work.languages.len() - work.languages.iter().filter(valid).count().min(1)
}

fn alternate_identifiers(xml: &mut Xml, work: &Work) {
    let mut alternates: Vec<(&str, &str)> = Vec::new();
    if work.doi.is_some() {
        alternates.push(("URL", &work.iri));
    }
    if work.page != work.iri {
        alternates.push(("URL", &work.page));
    }
    for id in &work.identifiers {
        let kind = if id.starts_with("http://") || id.starts_with("https://") {
            "URL"
        } else {
            "Local"
        };
        if !alternates.iter().any(|(_, v)| v == id) && id != &work.iri {
            alternates.push((kind, id));
        }
    }
    if alternates.is_empty() {
        return;
    }
    xml.open("alternateIdentifiers", &[]);
    for (kind, value) in alternates {
        xml.leaf(
            "alternateIdentifier",
            &[("alternateIdentifierType", kind)],
            value,
        );
    }
    xml.close();
}

fn related_identifiers(xml: &mut Xml, work: &Work) {
    xml.open("relatedIdentifiers", &[]);
    let (relation, general) = match work.kind {
        WorkKind::Dataset => ("IsDescribedBy", "DataPaper"),
        WorkKind::DataPaper => ("Describes", "Dataset"),
    };
    for related in &work.related {
        let (kind, value) = match &related.doi {
            Some(doi) => ("DOI", doi.as_str()),
            None => ("URL", related.iri.as_str()),
        };
        let attributes = [
            ("relatedIdentifierType", kind),
            ("relationType", relation),
            ("resourceTypeGeneral", general),
        ];
        xml.leaf("relatedIdentifier", &attributes, value);
    }
    let catalog = [
        ("relatedIdentifierType", "URL"),
        ("relationType", "IsPartOf"),
        ("resourceTypeGeneral", "Collection"),
    ];
    xml.leaf("relatedIdentifier", &catalog, &work.catalog.iri);
    for file in &work.files {
        if let Some(url) = &file.download {
            let attributes = [
                ("relatedIdentifierType", "URL"),
                ("relationType", "HasPart"),
            ];
            xml.leaf("relatedIdentifier", &attributes, url);
        }
    }
    xml.close();
}

fn sizes_and_formats(xml: &mut Xml, work: &Work) {
    let sizes: Vec<String> = work
        .files
        .iter()
        .filter_map(|f| f.byte_size.map(|b| format!("{b} bytes")))
        .collect();
    if !sizes.is_empty() {
        xml.open("sizes", &[]);
        for size in &sizes {
            xml.leaf("size", &[], size);
        }
        xml.close();
    }
    let mut formats: Vec<String> = Vec::new();
    for file in &work.files {
        let format = file
            .media_type
            .clone()
            .or_else(|| file.format.as_ref().map(|f| f.label(LANGUAGE)));
        if let Some(format) = format
            && !formats.contains(&format)
        {
            formats.push(format);
        }
    }
    if !formats.is_empty() {
        xml.open("formats", &[]);
        for format in &formats {
            xml.leaf("format", &[], format);
        }
        xml.close();
    }
}

/// The EU access-right codes as the COAR/OpenAIRE access terms aggregators read.
fn access_term(iri: &str) -> Option<&'static str> {
    let code = iri.rsplit('/').next()?;
    match code {
        "PUBLIC" => Some("info:eu-repo/semantics/openAccess"),
        "RESTRICTED" => Some("info:eu-repo/semantics/restrictedAccess"),
        "NON_PUBLIC" => Some("info:eu-repo/semantics/closedAccess"),
        _ => None,
    }
}

fn rights(xml: &mut Xml, work: &Work) {
    let access = work
        .access_rights
        .as_ref()
        .and_then(|a| access_term(&a.iri).map(|term| (term, a.label(LANGUAGE))));
    if work.license.is_none() && access.is_none() {
        return;
    }
    xml.open("rightsList", &[]);
    if let Some(license) = &work.license {
        let label = license.label(LANGUAGE);
        let lang = pick_language(&license.labels);
        let mut attributes = vec![("rightsURI", license.iri.as_str())];
        if let Some(lang) = &lang {
            attributes.push(("xml:lang", lang));
        }
        xml.leaf("rights", &attributes, &label);
    }
    if let Some((term, label)) = access {
        xml.leaf("rights", &[("rightsURI", term)], &label);
    }
    xml.close();
}

/// The language of the label [`pick`] chooses for [`LANGUAGE`].
fn pick_language(labels: &[Text]) -> Option<String> {
    let chosen = pick(labels, LANGUAGE)?;
    labels
        .iter()
        .find(|t| t.value == chosen)
        .and_then(|t| t.language.clone())
}

fn descriptions(xml: &mut Xml, work: &Work) {
    if work.descriptions.is_empty() {
        return;
    }
    xml.open("descriptions", &[]);
    for text in &work.descriptions {
        let mut attributes = vec![("descriptionType", "Abstract")];
        attributes.extend(lang(text));
        xml.leaf("description", &attributes, &text.value);
    }
    xml.close();
}

/// Places with a name or a box; returns how many were left out (neither readable).
fn geo_locations(xml: &mut Xml, work: &Work) -> usize {
    let places: Vec<_> = work
        .places
        .iter()
        .map(|place| (pick(&place.names, LANGUAGE), place.bbox))
        .filter(|(name, bbox)| name.is_some() || bbox.is_some())
        .collect();
    if !places.is_empty() {
        xml.open("geoLocations", &[]);
        for (name, bbox) in &places {
            xml.open("geoLocation", &[]);
            if let Some(name) = name {
                xml.leaf("geoLocationPlace", &[], name);
            }
            if let Some([west, east, south, north]) = bbox {
                xml.open("geoLocationBox", &[]);
                xml.leaf("westBoundLongitude", &[], &west.to_string());
                xml.leaf("eastBoundLongitude", &[], &east.to_string());
                xml.leaf("southBoundLatitude", &[], &south.to_string());
                xml.leaf("northBoundLatitude", &[], &north.to_string());
                xml.close();
            }
            xml.close();
        }
        xml.close();
    }
    work.places.len() - places.len()
}
