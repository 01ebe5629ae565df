//! Writing OAI-PMH responses: the envelope (`responseDate`, `request`), each verb's
//! element, and errors, which the protocol answers with status 200.

use super::{MetadataFormat, OaiError};
use crate::exports::xml::Xml;

const NAMESPACE: &str = "http://www.openarchives.org/OAI/2.0/";
const SCHEMA: &str =
    "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd";

/// What every response starts with.
pub struct Envelope<'a> {
    /// The provider's base URL, `{base}oai`.
    pub base_url: &'a str,
    /// When it answers, `YYYY-MM-DDThh:mm:ssZ`.
    pub response_date: &'a str,
    /// The request's arguments, echoed as the `request` element's attributes.
    pub arguments: &'a [(String, String)],
}

/// A record or header of a list.
pub struct Item {
    /// `oai:{host}:{id}`.
    pub identifier: String,
    /// `YYYY-MM-DDThh:mm:ssZ`.
    pub datestamp: String,
    /// Its sets.
    pub specs: Vec<String>,
    /// A deleted record (a header with `status="deleted"`, no metadata).
    pub deleted: bool,
    /// Its metadata, written at depth 4 (for records; `None` in identifier lists).
    pub metadata: Option<String>,
}

/// Where a list goes on.
pub struct Resumption {
    /// The token (empty on the last page of a resumed list).
    pub token: String,
    /// Records before this page.
    pub cursor: u64,
    /// The whole list's size, when known exactly.
    pub complete_size: Option<usize>,
    /// When the token expires, `YYYY-MM-DDThh:mm:ssZ` (none on the last page).
    pub expires: Option<String>,
}

/// What `Identify` says.
pub struct Identity<'a> {
    /// The catalog's title.
    pub name: &'a str,
    /// Where to write to.
    pub admin_email: &'a str,
    /// The oldest datestamp.
    pub earliest: &'a str,
    /// The repository identifier (`oai:{host}:…`), when it is a domain name.
    pub host: Option<&'a str>,
    /// An identifier to show as an example.
    pub sample: Option<&'a str>,
}

fn start(envelope: &Envelope<'_>, echo: bool) -> Xml {
    let mut xml = Xml::new();
    xml.open(
        "OAI-PMH",
        &[
            ("xmlns", NAMESPACE),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", SCHEMA),
        ],
    );
    xml.leaf("responseDate", &[], envelope.response_date);
    let attributes: Vec<(&str, &str)> = if echo {
        envelope
            .arguments
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    } else {
        Vec::new()
    };
    xml.leaf("request", &attributes, envelope.base_url);
    xml
}

/// An error response (section 3.6): `badVerb` and `badArgument` echo no arguments.
pub fn error(envelope: &Envelope<'_>, error: &OaiError) -> String {
    let echo = !matches!(error, OaiError::BadVerb(_) | OaiError::BadArgument(_));
    let mut xml = start(envelope, echo);
    xml.leaf("error", &[("code", error.code())], &error.to_string());
    xml.finish()
}

/// `Identify`.
pub fn identify(envelope: &Envelope<'_>, identity: &Identity<'_>) -> String {
    let mut xml = start(envelope, true);
    xml.open("Identify", &[]);
    xml.leaf("repositoryName", &[], identity.name);
    xml.leaf("baseURL", &[], envelope.base_url);
    xml.leaf("protocolVersion", &[], "2.0");
    xml.leaf("adminEmail", &[], identity.admin_email);
    xml.leaf("earliestDatestamp", &[], identity.earliest);
    xml.leaf("deletedRecord", &[], "transient");
    xml.leaf("granularity", &[], "YYYY-MM-DDThh:mm:ssZ");
    if let (Some(host), Some(sample)) = (identity.host, identity.sample) {
        xml.open("description", &[]);
        xml.open(
            "oai-identifier",
            &[
                ("xmlns", "http://www.openarchives.org/OAI/2.0/oai-identifier"),
                (
                    "xsi:schemaLocation",
                    "http://www.openarchives.org/OAI/2.0/oai-identifier http://www.openarchives.org/OAI/2.0/oai-identifier.xsd",
                ),
            ],
        );
        xml.leaf("scheme", &[], "oai");
        xml.leaf("repositoryIdentifier", &[], host);
        xml.leaf("delimiter", &[], ":");
        xml.leaf("sampleIdentifier", &[], sample);
        xml.close();
        xml.close();
    }
    xml.finish()
}

/// `ListMetadataFormats`.
pub fn metadata_formats(envelope: &Envelope<'_>, formats: &[MetadataFormat]) -> String {
    let mut xml = start(envelope, true);
    xml.open("ListMetadataFormats", &[]);
    for format in formats {
        xml.open("metadataFormat", &[]);
        xml.leaf("metadataPrefix", &[], format.prefix());
        xml.leaf("schema", &[], format.schema());
        xml.leaf("metadataNamespace", &[], format.namespace());
        xml.close();
    }
    xml.finish()
}

/// `ListSets`: each set's spec and name.
pub fn sets(envelope: &Envelope<'_>, sets: &[(String, String)]) -> String {
    let mut xml = start(envelope, true);
    xml.open("ListSets", &[]);
    for (spec, name) in sets {
        xml.open("set", &[]);
        xml.leaf("setSpec", &[], spec);
        xml.leaf("setName", &[], name);
        xml.close();
    }
    xml.finish()
}

fn header(xml: &mut Xml, item: &Item) {
    let attributes: &[(&str, &str)] = if item.deleted {
        &[("status", "deleted")]
    } else {
        &[]
    };
    xml.open("header", attributes);
    xml.leaf("identifier", &[], &item.identifier);
    xml.leaf("datestamp", &[], &item.datestamp);
    for spec in &item.specs {
        xml.leaf("setSpec", &[], spec);
    }
    xml.close();
}

fn record(xml: &mut Xml, item: &Item) {
    xml.open("record", &[]);
    header(xml, item);
    if let (false, Some(metadata)) = (item.deleted, &item.metadata) {
        xml.open("metadata", &[]);
        xml.raw(metadata);
        xml.close();
    }
    xml.close();
}

/// `ListIdentifiers` or `ListRecords` (`verb`), with the token to go on.
pub fn list(
    envelope: &Envelope<'_>,
    verb: &'static str,
    items: &[Item],
    resumption: Option<&Resumption>,
) -> String {
    let mut xml = start(envelope, true);
    xml.open(verb, &[]);
    for item in items {
        if verb == "ListRecords" {
            record(&mut xml, item);
        } else {
            header(&mut xml, item);
        }
    }
    if let Some(resumption) = resumption {
        let cursor = resumption.cursor.to_string();
        let size = resumption.complete_size.map(|s| s.to_string());
        let mut attributes: Vec<(&str, &str)> = vec![("cursor", &cursor)];
        if let Some(size) = &size {
            attributes.push(("completeListSize", size));
        }
        if let Some(expires) = &resumption.expires {
            attributes.push(("expirationDate", expires));
        }
        xml.leaf("resumptionToken", &attributes, &resumption.token);
    }
    xml.finish()
}

/// `GetRecord`.
pub fn get_record(envelope: &Envelope<'_>, item: &Item) -> String {
    let mut xml = start(envelope, true);
    xml.open("GetRecord", &[]);
    record(&mut xml, item);
    xml.finish()
}
