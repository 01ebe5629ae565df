//! The representations we serve, with their media types and file extensions.

use oxigraph::io::{JsonLdProfileSet, RdfFormat};

/// A representation of a resource: an RDF syntax or an HTML page.
///
/// [`Representation::ALL`] is also the server's preference order when a client's
/// `Accept` header ties (Turtle first, HTML last).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Representation {
    /// [Turtle](https://www.w3.org/TR/turtle/).
    Turtle,
    /// [JSON-LD](https://www.w3.org/TR/json-ld11/), compacted with our prefix context.
    JsonLd,
    /// [RDF/XML](https://www.w3.org/TR/rdf-syntax-grammar/).
    RdfXml,
    /// [N-Triples](https://www.w3.org/TR/n-triples/).
    NTriples,
    /// [N-Quads](https://www.w3.org/TR/n-quads/): keeps the named graph of each triple.
    NQuads,
    /// [TriG](https://www.w3.org/TR/trig/): keeps the named graph of each triple.
    TriG,
    /// A page for people.
    Html,
}

impl Representation {
    /// Every representation, in server preference order.
    pub const ALL: [Self; 7] = [
        Self::Turtle,
        Self::JsonLd,
        Self::RdfXml,
        Self::NTriples,
        Self::NQuads,
        Self::TriG,
        Self::Html,
    ];

    /// The canonical media type.
    pub const fn media_type(self) -> &'static str {
        match self {
            Self::Turtle => "text/turtle",
            Self::JsonLd => "application/ld+json",
            Self::RdfXml => "application/rdf+xml",
            Self::NTriples => "application/n-triples",
            Self::NQuads => "application/n-quads",
            Self::TriG => "application/trig",
            Self::Html => "text/html",
        }
    }

    /// Other media types that clients use for the same thing.
    pub const fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::JsonLd => &["application/json"],
            Self::Html => &["application/xhtml+xml"],
            _ => &[],
        }
    }

    /// The `Content-Type` header value, with its charset.
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Turtle => "text/turtle; charset=utf-8",
            Self::JsonLd => "application/ld+json; charset=utf-8",
            Self::RdfXml => "application/rdf+xml; charset=utf-8",
            Self::NTriples => "application/n-triples; charset=utf-8",
            Self::NQuads => "application/n-quads; charset=utf-8",
            Self::TriG => "application/trig; charset=utf-8",
            Self::Html => "text/html; charset=utf-8",
        }
    }

    /// The file extension that selects this representation in a URL (`.ttl`).
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Turtle => "ttl",
            Self::JsonLd => "jsonld",
            Self::RdfXml => "rdf",
            Self::NTriples => "nt",
            Self::NQuads => "nq",
            Self::TriG => "trig",
            Self::Html => "html",
        }
    }

    /// A short human name, for links on HTML pages.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Turtle => "Turtle",
            Self::JsonLd => "JSON-LD",
            Self::RdfXml => "RDF/XML",
            Self::NTriples => "N-Triples",
            Self::NQuads => "N-Quads",
            Self::TriG => "TriG",
            Self::Html => "HTML",
        }
    }

    /// The representation of a URL suffix, e.g. `ttl`.
    pub fn from_extension(extension: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.extension().eq_ignore_ascii_case(extension))
    }

    /// The representation named by a `?format=` parameter: an extension (`ttl`), a media
    /// type (`text/turtle`) or a name (`turtle`, `json-ld`).
    pub fn from_format_param(value: &str) -> Option<Self> {
        let value = value.trim();
        Self::from_extension(value).or_else(|| {
            Self::ALL.into_iter().find(|r| {
                r.media_type().eq_ignore_ascii_case(value)
                    || r.label().eq_ignore_ascii_case(value)
                    || r.label()
                        .replace(['-', '/'], "")
                        .eq_ignore_ascii_case(value)
            })
        })
    }

    /// The oxigraph syntax, `None` for HTML.
    pub fn rdf_format(self) -> Option<RdfFormat> {
        Some(match self {
            Self::Turtle => RdfFormat::Turtle,
            Self::JsonLd => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
            Self::RdfXml => RdfFormat::RdfXml,
            Self::NTriples => RdfFormat::NTriples,
            Self::NQuads => RdfFormat::NQuads,
            Self::TriG => RdfFormat::TriG,
            Self::Html => return None,
        })
    }

    /// Whether the syntax keeps named graphs.
    pub const fn keeps_graphs(self) -> bool {
        matches!(self, Self::NQuads | Self::TriG)
    }
}

/// The RDF syntax of a file name's extension, for `passerelle load`.
pub fn rdf_format_from_path(path: &std::path::Path) -> Option<RdfFormat> {
    let extension = path.extension()?.to_str()?;
    match extension.to_ascii_lowercase().as_str() {
        "json" => RdfFormat::from_extension("jsonld"),
        "owl" | "xml" => Some(RdfFormat::RdfXml),
        other => RdfFormat::from_extension(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_param_accepts_extension_media_type_and_name() {
        assert_eq!(
            Representation::from_format_param("ttl"),
            Some(Representation::Turtle)
        );
        assert_eq!(
            Representation::from_format_param("application/ld+json"),
            Some(Representation::JsonLd)
        );
        assert_eq!(
            Representation::from_format_param("jsonld"),
            Some(Representation::JsonLd)
        );
        assert_eq!(
            Representation::from_format_param("json-ld"),
            Some(Representation::JsonLd)
        );
        assert_eq!(
            Representation::from_format_param("turtle"),
            Some(Representation::Turtle)
        );
        assert_eq!(
            Representation::from_format_param("rdfxml"),
            Some(Representation::RdfXml)
        );
        assert_eq!(Representation::from_format_param("n3"), None);
    }

    #[test]
    fn load_formats_from_extensions() {
        use std::path::Path;
        assert_eq!(
            rdf_format_from_path(Path::new("a.ttl")),
            Some(RdfFormat::Turtle)
        );
        assert_eq!(
            rdf_format_from_path(Path::new("a.RDF")),
            Some(RdfFormat::RdfXml)
        );
        assert_eq!(
            rdf_format_from_path(Path::new("a.nq")),
            Some(RdfFormat::NQuads)
        );
        assert!(matches!(
            rdf_format_from_path(Path::new("a.json")),
            Some(RdfFormat::JsonLd { .. })
        ));
        assert_eq!(rdf_format_from_path(Path::new("a.csv")), None);
    }
}
