//! Which file types are non-proprietary and which machine-interpretable, for the MQA's
//! interoperability indicators, by their code in the EU file-type NAL; media types are
//! read as the file type they name. Our lists (`docs/decisions.md`, "Issue 31"): the
//! MQA's own were not among the sources.

/// The EU file-type NAL.
pub const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";

/// Formats anyone may read and write without a licence from one vendor.
const NON_PROPRIETARY: &[&str] = &[
    "ATOM",
    "CSV",
    "GEOJSON",
    "GML",
    "GPKG",
    "GZIP",
    "HDF",
    "HTML",
    "ICS",
    "JPEG",
    "JSON",
    "JSON_LD",
    "KML",
    "KMZ",
    "N3",
    "NETCDF",
    "ODS",
    "ODT",
    "ODF",
    "ODG",
    "ODP",
    "OWL",
    "PDF",
    "PDFA1A",
    "PDFA1B",
    "PDFA2A",
    "PDFA2B",
    "PDFA3",
    "PNG",
    "RDF",
    "RDFA",
    "RDF_N_QUADS",
    "RDF_N_TRIPLES",
    "RDF_TRIG",
    "RDF_TURTLE",
    "RDF_XML",
    "RSS",
    "SPARQLQ",
    "SPARQLQRES",
    "SVG",
    "TAR",
    "TAR_GZ",
    "TAR_XZ",
    "TIFF",
    "TSV",
    "TXT",
    "WFS_SRVC",
    "WMS_SRVC",
    "XHTML",
    "XML",
    "ZIP",
];

/// Formats a program can read field by field (not a picture of a table).
const MACHINE_INTERPRETABLE: &[&str] = &[
    "ATOM",
    "CSV",
    "DBF",
    "GEOJSON",
    "GML",
    "GPKG",
    "HDF",
    "ICS",
    "JSON",
    "JSON_LD",
    "KML",
    "KMZ",
    "MDB",
    "N3",
    "NETCDF",
    "ODS",
    "OWL",
    "RDF",
    "RDFA",
    "RDF_N_QUADS",
    "RDF_N_TRIPLES",
    "RDF_TRIG",
    "RDF_TURTLE",
    "RDF_XML",
    "RSS",
    "SDMX",
    "SHP",
    "SPARQLQ",
    "SPARQLQRES",
    "TSV",
    "WFS_SRVC",
    "XLS",
    "XLSX",
    "XML",
];

/// IANA media types and the file type each names.
const MEDIA_TYPES: &[(&str, &str)] = &[
    ("text/csv", "CSV"),
    ("text/tab-separated-values", "TSV"),
    ("application/json", "JSON"),
    ("application/ld+json", "JSON_LD"),
    ("application/geo+json", "GEOJSON"),
    ("application/xml", "XML"),
    ("text/xml", "XML"),
    ("application/rdf+xml", "RDF_XML"),
    ("text/turtle", "RDF_TURTLE"),
    ("application/n-triples", "RDF_N_TRIPLES"),
    ("application/n-quads", "RDF_N_QUADS"),
    ("application/trig", "RDF_TRIG"),
    ("text/n3", "N3"),
    ("text/html", "HTML"),
    ("text/plain", "TXT"),
    ("application/pdf", "PDF"),
    ("application/zip", "ZIP"),
    ("application/gzip", "GZIP"),
    ("application/x-netcdf", "NETCDF"),
    ("application/vnd.google-earth.kml+xml", "KML"),
    ("application/vnd.google-earth.kmz", "KMZ"),
    ("application/gml+xml", "GML"),
    ("application/geopackage+sqlite3", "GPKG"),
    ("application/vnd.oasis.opendocument.spreadsheet", "ODS"),
    ("application/vnd.oasis.opendocument.text", "ODT"),
    ("application/vnd.ms-excel", "XLS"),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLSX",
    ),
    ("application/atom+xml", "ATOM"),
    ("application/rss+xml", "RSS"),
    ("image/png", "PNG"),
    ("image/jpeg", "JPEG"),
    ("image/svg+xml", "SVG"),
    ("image/tiff", "TIFF"),
];

/// The IANA media-type registry's IRIs (both schemes are seen in the wild).
const IANA: [&str; 2] = [
    "http://www.iana.org/assignments/media-types/",
    "https://www.iana.org/assignments/media-types/",
];

/// The media type an IRI of the IANA registry names (`text/csv`).
pub fn iana_media_type(iri: &str) -> Option<&str> {
    IANA.iter().find_map(|prefix| iri.strip_prefix(prefix))
}

/// The EU file-type code a format or media type IRI stands for.
pub fn code_of(iri: &str) -> Option<&str> {
    if let Some(code) = iri.strip_prefix(FILE_TYPE) {
        return Some(code);
    }
    let media_type = iana_media_type(iri)?;
    MEDIA_TYPES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(media_type))
        .map(|(_, code)| *code)
}

/// Whether the format or media type `iri` is non-proprietary.
pub fn is_non_proprietary(iri: &str) -> bool {
    code_of(iri).is_some_and(|c| NON_PROPRIETARY.contains(&c))
}

/// Whether the format or media type `iri` is machine-interpretable.
pub fn is_machine_interpretable(iri: &str) -> bool {
    code_of(iri).is_some_and(|c| MACHINE_INTERPRETABLE.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_media_types_are_read_alike() {
        let csv = "http://publications.europa.eu/resource/authority/file-type/CSV";
        let pdf = "http://publications.europa.eu/resource/authority/file-type/PDF";
        let xlsx = "https://www.iana.org/assignments/media-types/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        assert!(is_non_proprietary(csv) && is_machine_interpretable(csv));
        assert!(is_non_proprietary(pdf) && !is_machine_interpretable(pdf));
        assert!(!is_non_proprietary(xlsx) && is_machine_interpretable(xlsx));
        assert!(is_machine_interpretable(
            "http://www.iana.org/assignments/media-types/text/csv"
        ));
        assert!(!is_non_proprietary("https://example.org/formats/csv"));
    }
}
