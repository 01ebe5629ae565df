//! Compact JSON-LD: a `@context` of prefixes and node objects with compact IRIs.
//!
//! oxigraph writes expanded JSON-LD only (full IRIs, `rdf:type` as a property). Harvesters
//! and people read compact JSON-LD far more easily, and a prefix-only context is exactly
//! invertible, so we write it directly from triples rather than run a general JSON-LD
//! compaction algorithm (see docs/decisions.md).

use crate::model::vocab::{PREFIXES, RDF_TYPE};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{NamedOrBlankNodeRef, TermRef, TripleRef};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

/// Compacts an IRI to `prefix:local` with the longest matching namespace of [`PREFIXES`],
/// for display. Documents use [`Compactor`], which also avoids prefix/scheme clashes.
pub fn compact_iri(iri: &str) -> String {
    compact_with(PREFIXES, iri)
}

/// Compacts with `prefixes`, leaving the IRI whole when the local part is empty or starts
/// with `//` (JSON-LD 1.1 §4.1.5 would not read it back as a compact IRI).
fn compact_with(prefixes: &[(&str, &str)], iri: &str) -> String {
    prefixes
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns))
        .max_by_key(|(_, ns)| ns.len())
        .and_then(|(prefix, ns)| {
            let local = &iri[ns.len()..];
            (!local.is_empty() && !local.starts_with("//")).then(|| format!("{prefix}:{local}"))
        })
        .unwrap_or_else(|| iri.to_owned())
}

/// The prefixes of one document: [`PREFIXES`] minus any whose name is the scheme of an IRI
/// in it. A reader would expand `geo:48.1,-1.6` (an RFC 5870 IRI) through a `geo` prefix.
struct Compactor {
    prefixes: Vec<(&'static str, &'static str)>,
}

impl Compactor {
    fn for_triples(triples: &[TripleRef<'_>]) -> Self {
        let mut schemes = HashSet::new();
        let mut note = |iri: &str| {
            if let Some((scheme, _)) = iri.split_once(':') {
                schemes.insert(scheme.to_owned());
            }
        };
        for triple in triples {
            if let NamedOrBlankNodeRef::NamedNode(n) = triple.subject {
                note(n.as_str());
            }
            note(triple.predicate.as_str());
            match triple.object {
                TermRef::NamedNode(n) => note(n.as_str()),
                TermRef::Literal(l) => note(l.datatype().as_str()),
                _ => {}
            }
        }
        Self {
            prefixes: PREFIXES
                .iter()
                .copied()
                .filter(|(prefix, _)| !schemes.contains(*prefix))
                .collect(),
        }
    }

    fn iri(&self, iri: &str) -> String {
        compact_with(&self.prefixes, iri)
    }

    fn context(&self) -> Value {
        Value::Object(
            self.prefixes
                .iter()
                .map(|(prefix, ns)| ((*prefix).to_owned(), Value::String((*ns).to_owned())))
                .collect(),
        )
    }

    fn node_id(&self, node: NamedOrBlankNodeRef<'_>) -> String {
        match node {
            NamedOrBlankNodeRef::NamedNode(n) => self.iri(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(b) => format!("_:{}", b.as_str()),
        }
    }

    fn value_object(&self, term: TermRef<'_>) -> io::Result<Value> {
        Ok(match term {
            TermRef::NamedNode(n) => json!({ "@id": self.iri(n.as_str()) }),
            TermRef::BlankNode(b) => json!({ "@id": format!("_:{}", b.as_str()) }),
            TermRef::Literal(l) => {
                if let Some(language) = l.language() {
                    json!({ "@value": l.value(), "@language": language })
                } else if l.datatype() == xsd::STRING {
                    Value::String(l.value().to_owned())
                } else {
                    json!({ "@value": l.value(), "@type": self.iri(l.datatype().as_str()) })
                }
            }
            #[allow(unreachable_patterns)]
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "RDF 1.2 triple terms have no JSON-LD 1.1 form",
                ));
            }
        })
    }
}

/// Appends `value` under `key`, turning a single value into an array on the second one.
fn push_value(node: &mut Map<String, Value>, key: String, value: Value) {
    match node.get_mut(&key) {
        None => {
            node.insert(key, value);
        }
        Some(Value::Array(values)) => values.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
    }
}

/// Builds a compact JSON-LD document (`@context` + `@graph`) from triples.
///
/// Node objects come in the order their subjects first appear, so the record's topic,
/// written first by the store, leads the graph.
pub fn to_document(triples: &[TripleRef<'_>]) -> io::Result<Value> {
    let compactor = Compactor::for_triples(triples);
    Ok(json!({
        "@context": compactor.context(),
        "@graph": node_objects(&compactor, triples)?
            .into_iter()
            .map(Value::Object)
            .collect::<Vec<_>>(),
    }))
}

/// One node object per subject, in the order subjects first appear.
fn node_objects(
    compactor: &Compactor,
    triples: &[TripleRef<'_>],
) -> io::Result<Vec<Map<String, Value>>> {
    let mut nodes: Vec<Map<String, Value>> = Vec::new();
    let mut index: HashMap<NamedOrBlankNodeRef<'_>, usize> = HashMap::new();
    for triple in triples {
        let position = *index.entry(triple.subject).or_insert_with(|| {
            let mut node = Map::new();
            node.insert(
                "@id".to_owned(),
                Value::String(compactor.node_id(triple.subject)),
            );
            nodes.push(node);
            nodes.len() - 1
        });
        let node = &mut nodes[position];
        match triple.object {
            TermRef::NamedNode(class) if triple.predicate == RDF_TYPE => {
                push_value(
                    node,
                    "@type".to_owned(),
                    Value::String(compactor.iri(class.as_str())),
                );
            }
            object => push_value(
                node,
                compactor.iri(triple.predicate.as_str()),
                compactor.value_object(object)?,
            ),
        }
    }
    Ok(nodes)
}

/// A compact JSON-LD document written batch by batch, for answers too large to hold:
/// the full prefix context first, then the node objects of each batch as it comes.
///
/// A batch holding an IRI whose scheme is one of our prefix names (`geo:48.1,-1.6`) gets
/// a local context that unsets that prefix on its node objects, so it reads back whole.
pub struct JsonLdStream<W: Write> {
    writer: W,
    first: bool,
}

impl<W: Write> JsonLdStream<W> {
    /// Writes the document's head.
    pub fn start(mut writer: W) -> io::Result<Self> {
        let context = Compactor {
            prefixes: PREFIXES.to_vec(),
        }
        .context();
        writer.write_all(b"{\"@context\": ")?;
        serde_json::to_writer(&mut writer, &context)?;
        writer.write_all(b",\n\"@graph\": [")?;
        Ok(Self {
            writer,
            first: true,
        })
    }

    /// Writes the node objects of one batch of triples.
    pub fn write_batch(&mut self, triples: &[TripleRef<'_>]) -> io::Result<()> {
        let compactor = Compactor::for_triples(triples);
        let unset: Map<String, Value> = PREFIXES
            .iter()
            .filter(|(prefix, _)| !compactor.prefixes.iter().any(|(p, _)| p == prefix))
            .map(|(prefix, _)| ((*prefix).to_owned(), Value::Null))
            .collect();
        for mut node in node_objects(&compactor, triples)? {
            if !unset.is_empty() {
                node.insert("@context".to_owned(), Value::Object(unset.clone()));
            }
            self.writer
                .write_all(if self.first { b"\n" } else { b",\n" })?;
            self.first = false;
            serde_json::to_writer(&mut self.writer, &node)?;
        }
        Ok(())
    }

    /// Closes the document and hands the writer back.
    pub fn finish(mut self) -> io::Result<W> {
        self.writer.write_all(b"\n]}\n")?;
        Ok(self.writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode, Triple};

    #[test]
    fn compacts_with_longest_namespace() {
        assert_eq!(
            compact_iri("http://www.w3.org/ns/dcat#Dataset"),
            "dcat:Dataset"
        );
        assert_eq!(compact_iri("http://purl.org/dc/terms/title"), "dct:title");
        assert_eq!(
            compact_iri("http://www.w3.org/ns/dcat#"),
            "http://www.w3.org/ns/dcat#"
        );
        assert_eq!(compact_iri("http://example.org/x"), "http://example.org/x");
    }

    fn document(triples: &[Triple]) -> Value {
        let refs: Vec<_> = triples.iter().map(Triple::as_ref).collect();
        to_document(&refs).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn writes_types_and_literals_compactly() {
        let s = NamedNode::new_unchecked("http://example.org/d");
        let title = NamedNode::new_unchecked("http://purl.org/dc/terms/title");
        let doc = document(&[
            Triple::new(
                s.clone(),
                RDF_TYPE,
                NamedNode::new_unchecked("http://www.w3.org/ns/dcat#Dataset"),
            ),
            Triple::new(
                s.clone(),
                title.clone(),
                Literal::new_language_tagged_literal_unchecked("Zones", "fr"),
            ),
            Triple::new(
                s.clone(),
                title,
                Literal::new_language_tagged_literal_unchecked("Wetlands", "en"),
            ),
            Triple::new(
                s.clone(),
                NamedNode::new_unchecked("http://purl.org/dc/terms/identifier"),
                Literal::new_simple_literal("zh"),
            ),
            Triple::new(
                s,
                NamedNode::new_unchecked("http://www.w3.org/ns/dcat#byteSize"),
                Literal::new_typed_literal("12", xsd::NON_NEGATIVE_INTEGER),
            ),
        ]);
        let node = &doc["@graph"][0];
        assert_eq!(node["@id"], "http://example.org/d");
        assert_eq!(node["@type"], "dcat:Dataset");
        assert_eq!(node["dct:title"][1]["@language"], "en");
        assert_eq!(node["dct:identifier"], "zh");
        assert_eq!(node["dcat:byteSize"]["@type"], "xsd:nonNegativeInteger");
        assert_eq!(doc["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    }

    #[test]
    fn a_prefix_named_like_an_iri_scheme_is_left_out() {
        let place = NamedNode::new_unchecked("geo:48.11,-1.68");
        let doc = document(&[Triple::new(
            NamedNode::new_unchecked("http://example.org/d"),
            NamedNode::new_unchecked("http://purl.org/dc/terms/spatial"),
            place,
        )]);
        assert!(doc["@context"].get("geo").is_none(), "{doc}");
        assert_eq!(doc["@graph"][0]["dct:spatial"]["@id"], "geo:48.11,-1.68");
    }

    #[test]
    fn a_streamed_batch_with_a_scheme_named_like_a_prefix_unsets_it_locally() {
        let place = Triple::new(
            NamedNode::new_unchecked("http://example.org/d"),
            NamedNode::new_unchecked("http://purl.org/dc/terms/spatial"),
            NamedNode::new_unchecked("geo:48.11,-1.68"),
        );
        let plain = Triple::new(
            NamedNode::new_unchecked("http://example.org/e"),
            NamedNode::new_unchecked("http://purl.org/dc/terms/spatial"),
            NamedNode::new_unchecked("http://www.opengis.net/ont/geosparql#x"),
        );
        let mut stream = JsonLdStream::start(Vec::new()).expect("in memory");
        for batch in [&place, &plain] {
            stream.write_batch(&[batch.as_ref()]).expect("in memory");
        }
        let bytes = stream.finish().expect("in memory");
        let doc: Value = serde_json::from_slice(&bytes).expect("the stream is one JSON document");
        assert!(doc["@context"].get("geo").is_some(), "{doc}");
        let nodes = doc["@graph"].as_array().expect("a graph");
        assert_eq!(nodes[0]["@context"]["geo"], Value::Null, "{doc}");
        assert_eq!(nodes[0]["dct:spatial"]["@id"], "geo:48.11,-1.68");
        assert!(nodes[1].get("@context").is_none(), "{doc}");
        assert_eq!(nodes[1]["dct:spatial"]["@id"], "geo:x");
    }
}
