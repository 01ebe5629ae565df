//! Writing quads in every RDF syntax we serve.

use super::format::Representation;
use super::jsonld;
use crate::model::vocab::PREFIXES;
use oxigraph::io::RdfSerializer;
use oxigraph::model::{NamedNode, Quad, TripleRef};
use std::collections::HashSet;
use std::io::{self, Write};
use std::sync::OnceLock;

/// Serializes `quads` as `representation` (an RDF syntax; HTML is rendered elsewhere).
///
/// Syntaxes without named graphs get the triples once each, in the order given (callers
/// group triples by subject so Turtle and RDF/XML nest them); N-Quads and TriG keep each
/// triple's graph.
pub fn serialize(quads: &[Quad], representation: Representation) -> io::Result<Vec<u8>> {
    if representation == Representation::JsonLd {
        let triples: Vec<_> = unique_triples(quads).collect();
        let mut bytes = Vec::new();
        write_json_ld(&triples, &mut bytes)?;
        return Ok(bytes);
    }
    let mut writer = prefixed_serializer(representation)?.for_writer(Vec::new());
    if representation.keeps_graphs() {
        let mut sorted: Vec<&Quad> = quads.iter().collect();
        // TriG writes one block per graph: keep each graph's quads together, in order.
        sorted.sort_by_cached_key(|q| q.graph_name.to_string());
        for quad in sorted {
            writer.serialize_quad(quad)?;
        }
    } else {
        for triple in unique_triples(quads) {
            writer.serialize_triple(triple)?;
        }
    }
    writer.finish()
}

/// Writes `triples` as compact JSON-LD (see [`jsonld`]), which needs them all at once.
pub fn write_json_ld(triples: &[TripleRef<'_>], mut writer: impl Write) -> io::Result<()> {
    let document = jsonld::to_document(triples)?;
    serde_json::to_writer_pretty(&mut writer, &document)?;
    writer.write_all(b"\n")
}

/// oxigraph's streaming serializer for an RDF syntax other than JSON-LD, with our prefixes.
///
/// Each syntax's serializer is built once and cloned: adding a prefix parses its IRI, and
/// parsing twenty per answer was 2-3 % of a SPARQL DESCRIBE (profiled).
fn prefixed_serializer(representation: Representation) -> io::Result<RdfSerializer> {
    static PREFIXED: OnceLock<Vec<(Representation, RdfSerializer)>> = OnceLock::new();
    PREFIXED
        .get_or_init(|| {
            Representation::ALL
                .into_iter()
                .filter_map(|r| Some((r, serializer_with_prefixes(r, PREFIXES).ok()?)))
                .collect()
        })
        .iter()
        .find(|(r, _)| *r == representation)
        .map(|(_, serializer)| serializer.clone())
        .ok_or_else(|| not_streamed(representation))
}

/// oxigraph's streaming serializer for an RDF syntax other than JSON-LD, with `prefixes`
/// (name, IRI); those whose IRI is not absolute are left out, as the syntaxes need.
pub fn serializer_with_prefixes(
    representation: Representation,
    prefixes: &[(&str, &str)],
) -> io::Result<RdfSerializer> {
    let format = representation
        .rdf_format()
        .filter(|_| representation != Representation::JsonLd)
        .ok_or_else(|| not_streamed(representation))?;
    let mut serializer = RdfSerializer::from_format(format);
    for (name, iri) in prefixes {
        if NamedNode::new(*iri).is_ok() {
            serializer = serializer
                .with_prefix(*name, *iri)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        }
    }
    Ok(serializer)
}

fn not_streamed(representation: Representation) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{} is not written by a streaming RDF serializer",
            representation.label()
        ),
    )
}

/// The triples of `quads`, without graph names and without repeats, in order.
fn unique_triples(quads: &[Quad]) -> impl Iterator<Item = TripleRef<'_>> {
    let mut seen = HashSet::new();
    quads
        .iter()
        .map(|q| TripleRef::new(&q.subject, &q.predicate, &q.object))
        .filter(move |t| seen.insert(*t))
}

/// Writes batches of quads in one RDF syntax as they come, so that a large answer (a feed
/// page) never sits whole in memory. Each batch's triples are written once; callers keep
/// batches from repeating each other (labels of shared agents, for instance).
pub enum QuadStream<W: Write> {
    /// Every syntax oxigraph streams: Turtle, RDF/XML, N-Triples, N-Quads, TriG.
    Rdf {
        /// oxigraph's serializer (boxed: it is far larger than the JSON-LD writer).
        serializer: Box<oxigraph::io::WriterQuadSerializer<W>>,
        /// Whether the syntax keeps each triple's graph.
        keeps_graphs: bool,
    },
    /// Compact JSON-LD.
    JsonLd(super::jsonld::JsonLdStream<W>),
}

impl<W: Write> QuadStream<W> {
    /// Starts a document in `representation` (any RDF syntax).
    pub fn start(representation: Representation, writer: W) -> io::Result<Self> {
        if representation == Representation::JsonLd {
            return Ok(Self::JsonLd(super::jsonld::JsonLdStream::start(writer)?));
        }
        Ok(Self::Rdf {
            serializer: Box::new(prefixed_serializer(representation)?.for_writer(writer)),
            keeps_graphs: representation.keeps_graphs(),
        })
    }

    /// Writes one batch.
    pub fn write_batch(&mut self, quads: &[Quad]) -> io::Result<()> {
        match self {
            Self::Rdf {
                serializer,
                keeps_graphs: true,
            } => {
                let mut sorted: Vec<&Quad> = quads.iter().collect();
                sorted.sort_by_cached_key(|q| q.graph_name.to_string());
                for quad in sorted {
                    serializer.serialize_quad(quad)?;
                }
                Ok(())
            }
            Self::Rdf { serializer, .. } => {
                for triple in unique_triples(quads) {
                    serializer.serialize_triple(triple)?;
                }
                Ok(())
            }
            Self::JsonLd(stream) => {
                let triples: Vec<_> = unique_triples(quads).collect();
                stream.write_batch(&triples)
            }
        }
    }

    /// Ends the document and hands the writer back.
    pub fn finish(self) -> io::Result<W> {
        match self {
            Self::Rdf { serializer, .. } => serializer.finish(),
            Self::JsonLd(stream) => stream.finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_written_with_all_our_prefixes() {
        // oxttl writes its prefixes before the first triple.
        let node = oxigraph::model::NamedNode::new_unchecked("http://example.org/d");
        let quad = Quad::new(
            node.clone(),
            node.clone(),
            node,
            oxigraph::model::GraphName::DefaultGraph,
        );
        let turtle = serialize(&[quad], Representation::Turtle).unwrap();
        let turtle = String::from_utf8(turtle).unwrap();
        for (name, namespace) in PREFIXES {
            assert!(
                turtle.contains(&format!("@prefix {name}: <{namespace}> .")),
                "{name} left out:\n{turtle}"
            );
        }
        assert!(matches!(
            prefixed_serializer(Representation::Html),
            Err(e) if e.kind() == io::ErrorKind::InvalidInput
        ));
    }
}
