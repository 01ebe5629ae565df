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
use std::collections::HashMap;

/// Compacts an IRI to `prefix:local` with the longest matching namespace of [`PREFIXES`].
///
/// Leaves it whole when the local part is empty or starts with `//` (JSON-LD 1.1 §4.1.5
/// would not read it back as a compact IRI).
pub fn compact_iri(iri: &str) -> String {
    PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns))
        .max_by_key(|(_, ns)| ns.len())
        .and_then(|(prefix, ns)| {
            let local = &iri[ns.len()..];
            (!local.is_empty() && !local.starts_with("//")).then(|| format!("{prefix}:{local}"))
        })
        .unwrap_or_else(|| iri.to_owned())
}

/// The `@context` object: our prefixes.
pub fn context() -> Value {
    Value::Object(
        PREFIXES
            .iter()
            .map(|(prefix, ns)| ((*prefix).to_owned(), Value::String((*ns).to_owned())))
            .collect(),
    )
}

fn node_id(node: NamedOrBlankNodeRef<'_>) -> String {
    match node {
        NamedOrBlankNodeRef::NamedNode(n) => compact_iri(n.as_str()),
        NamedOrBlankNodeRef::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

fn value_object(term: TermRef<'_>) -> Value {
    match term {
        TermRef::NamedNode(n) => json!({ "@id": compact_iri(n.as_str()) }),
        TermRef::BlankNode(b) => json!({ "@id": format!("_:{}", b.as_str()) }),
        TermRef::Literal(l) => {
            if let Some(language) = l.language() {
                json!({ "@value": l.value(), "@language": language })
            } else if l.datatype() == xsd::STRING {
                Value::String(l.value().to_owned())
            } else {
                json!({ "@value": l.value(), "@type": compact_iri(l.datatype().as_str()) })
            }
        }
        #[allow(unreachable_patterns)]
        _ => Value::Null,
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
pub fn to_document<'a>(triples: impl IntoIterator<Item = TripleRef<'a>>) -> Value {
    let mut nodes: Vec<Map<String, Value>> = Vec::new();
    let mut index: HashMap<NamedOrBlankNodeRef<'a>, usize> = HashMap::new();
    for triple in triples {
        let position = *index.entry(triple.subject).or_insert_with(|| {
            let mut node = Map::new();
            node.insert("@id".to_owned(), Value::String(node_id(triple.subject)));
            nodes.push(node);
            nodes.len() - 1
        });
        let node = &mut nodes[position];
        match triple.object {
            TermRef::NamedNode(class) if triple.predicate == RDF_TYPE => {
                push_value(
                    node,
                    "@type".to_owned(),
                    Value::String(compact_iri(class.as_str())),
                );
            }
            object => push_value(
                node,
                compact_iri(triple.predicate.as_str()),
                value_object(object),
            ),
        }
    }
    json!({
        "@context": context(),
        "@graph": nodes.into_iter().map(Value::Object).collect::<Vec<_>>(),
    })
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

    #[test]
    fn writes_types_and_literals_compactly() {
        let s = NamedNode::new_unchecked("http://example.org/d");
        let triples = [
            Triple::new(
                s.clone(),
                RDF_TYPE,
                NamedNode::new_unchecked("http://www.w3.org/ns/dcat#Dataset"),
            ),
            Triple::new(
                s.clone(),
                NamedNode::new_unchecked("http://purl.org/dc/terms/title"),
                Literal::new_language_tagged_literal_unchecked("Zones", "fr"),
            ),
            Triple::new(
                s.clone(),
                NamedNode::new_unchecked("http://purl.org/dc/terms/title"),
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
        ];
        let doc = to_document(triples.iter().map(Triple::as_ref));
        let node = &doc["@graph"][0];
        assert_eq!(node["@id"], "http://example.org/d");
        assert_eq!(node["@type"], "dcat:Dataset");
        assert_eq!(node["dct:title"][1]["@language"], "en");
        assert_eq!(node["dct:identifier"], "zh");
        assert_eq!(node["dcat:byteSize"]["@type"], "xsd:nonNegativeInteger");
        assert_eq!(doc["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    }
}
