//! A record's metadata in each format the provider disseminates: Dublin Core, DataCite in
//! its OAI wrapper, and the record's own RDF as RDF/XML.

use super::{MetadataFormat, dc};
use crate::exports::xml::Xml;
use crate::exports::{Work, datacite};
use crate::rdf::{Representation, serialize};
use oxigraph::model::Quad;

/// The record's metadata in `format`, written at the depth a record's `metadata` element
/// holds it.
pub fn write(
    work: &Work,
    quads: &[Quad],
    format: MetadataFormat,
    modified: Option<time::OffsetDateTime>,
) -> Option<String> {
    let mut xml = Xml::fragment(4);
    match format {
        MetadataFormat::OaiDc => dc::write(&mut xml, work),
        MetadataFormat::DataCite => {
            xml.open(
                "oai_datacite",
                &[
                    ("xmlns", MetadataFormat::DataCite.namespace()),
                    (
                        "xsi:schemaLocation",
                        "http://schema.datacite.org/oai/oai-1.1/ http://schema.datacite.org/oai/oai-1.1/oai.xsd",
                    ),
                ],
            );
            xml.leaf("schemaVersion", &[], "4.7");
            xml.leaf("datacentreSymbol", &[], "PASSERELLE");
            xml.open("payload", &[]);
            let year = modified.map(|m| m.year().to_string());
            datacite::write_resource(&mut xml, work, year.as_deref());
            xml.close();
            xml.close();
        }
        MetadataFormat::DcatAp => {
            let rdf = serialize(quads, Representation::RdfXml).ok()?;
            let text = String::from_utf8(rdf).ok()?;
            let body = text
                .strip_prefix("<?xml")
                .and_then(|rest| rest.split_once("?>"))
                .map_or(text.as_str(), |(_, rest)| rest)
                .trim();
            xml.raw(body);
            xml.raw("\n");
        }
    }
    Some(xml.finish())
}
