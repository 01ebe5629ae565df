//! A dataset or data paper as simple Dublin Core (`oai_dc`), the format every OAI-PMH
//! harvester reads.

use crate::exports::work::{Text, Work, WorkKind, pick};
use crate::exports::xml::Xml;

/// Writes the `oai_dc:dc` element of `work`.
pub fn write(xml: &mut Xml, work: &Work) {
    xml.open(
        "oai_dc:dc",
        &[
            ("xmlns:oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            ),
        ],
    );
    texts(xml, "dc:title", &work.titles);
    for creator in &work.creators {
        let name = match (&creator.family, &creator.given) {
            (Some(family), Some(given)) => format!("{family}, {given}"),
            _ => creator.name("en"),
        };
        xml.leaf("dc:creator", &[], &name);
    }
    texts(xml, "dc:subject", &work.keywords);
    for theme in &work.themes {
        texts(xml, "dc:subject", &theme.labels);
    }
    texts(xml, "dc:description", &work.descriptions);
    if let Some(publisher) = &work.publisher {
        xml.leaf("dc:publisher", &[], &publisher.name("en"));
    } else if let Some(journal) = &work.venue.journal {
        xml.leaf("dc:publisher", &[], journal);
    }
    if let Some(issued) = work.issued.as_ref().or(work.modified.as_ref()) {
        xml.leaf("dc:date", &[], issued.get(..10).unwrap_or(issued));
    }
    let kind = match work.kind {
        WorkKind::Dataset => "Dataset",
        WorkKind::DataPaper => "Text",
    };
    xml.leaf("dc:type", &[], kind);
    let mut formats: Vec<&str> = Vec::new();
    for file in &work.files {
        if let Some(media_type) = file.media_type.as_deref()
            && !formats.contains(&media_type)
        {
            formats.push(media_type);
        }
    }
    for format in formats {
        xml.leaf("dc:format", &[], format);
    }
    if work.doi.is_some() {
        xml.leaf("dc:identifier", &[], &work.cite_as());
    }
    xml.leaf("dc:identifier", &[], &work.iri);
    for language in &work.languages {
        xml.leaf("dc:language", &[], language);
    }
    for related in &work.related {
        let target = related.doi.as_ref().map_or_else(
            || related.iri.clone(),
            |doi| format!("https://doi.org/{doi}"),
        );
        xml.leaf("dc:relation", &[], &target);
    }
    if let Some((start, end)) = &work.period {
        let period = format!(
            "{}/{}",
            start.as_deref().unwrap_or(".."),
            end.as_deref().unwrap_or("..")
        );
        xml.leaf("dc:coverage", &[], &period);
    }
    for place in &work.places {
        if let Some(name) = pick(&place.names, "en") {
            xml.leaf("dc:coverage", &[], name);
        }
    }
    if let Some(license) = &work.license {
        xml.leaf("dc:rights", &[], &license.iri);
    }
    xml.close();
}

/// One element per text, with its language.
fn texts(xml: &mut Xml, element: &str, texts: &[Text]) {
    for text in texts {
        match &text.language {
            Some(language) => xml.leaf(element, &[("xml:lang", language)], &text.value),
            None => xml.leaf(element, &[], &text.value),
        }
    }
}
