//! Making a harvested page fit to store, with every change said: dates given as plain
//! strings get their datatype, and blank-node datasets get an IRI that stays the same from
//! one run to the next (so a re-harvest updates them instead of duplicating them).

use crate::model::vocab::{RDF_TYPE, dcat, dct};
use crate::model::{BaseIri, RecordId, ResourceKind};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{
    BlankNode, Graph, Literal, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef,
    Triple,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Date properties whose plain-string values are read as dates.
const DATE_PROPERTIES: [oxigraph::model::NamedNodeRef<'static>; 4] =
    [dct::ISSUED, dct::MODIFIED, dcat::START_DATE, dcat::END_DATE];

/// `graph` with the plain-string dates of [`DATE_PROPERTIES`] typed `xsd:date` (or
/// `xsd:dateTime`), and one line per change.
pub fn type_dates(graph: &Graph) -> (Graph, Vec<String>) {
    let mut notes = Vec::new();
    let typed = graph
        .iter()
        .map(|t| {
            let TermRef::Literal(literal) = t.object else {
                return t.into_owned();
            };
            let plain = literal.datatype() == xsd::STRING && literal.language().is_none();
            if !plain || !DATE_PROPERTIES.contains(&t.predicate) {
                return t.into_owned();
            }
            match date_datatype(literal.value()) {
                Some(datatype) => {
                    notes.push(format!(
                        "{} {}: {:?} read as {}",
                        t.subject,
                        t.predicate,
                        literal.value(),
                        if datatype == xsd::DATE {
                            "xsd:date"
                        } else {
                            "xsd:dateTime"
                        }
                    ));
                    Triple::new(
                        t.subject.into_owned(),
                        t.predicate.into_owned(),
                        Literal::new_typed_literal(literal.value().trim(), datatype),
                    )
                }
                None => t.into_owned(),
            }
        })
        .collect::<Graph>();
    (typed, notes)
}

/// `xsd:date` for `YYYY-MM-DD`, `xsd:dateTime` for an RFC 3339 date-time (with or
/// without its zone, as CKAN writes them); `None` for anything else.
fn date_datatype(text: &str) -> Option<oxigraph::model::NamedNodeRef<'static>> {
    let text = text.trim();
    let date = time::macros::format_description!("[year]-[month]-[day]");
    if text.len() == 10 && time::Date::parse(text, &date).is_ok() {
        return Some(xsd::DATE);
    }
    let date_time =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let head_ok = text
        .get(..19)
        .is_some_and(|head| time::PrimitiveDateTime::parse(head, &date_time).is_ok());
    let rest = text.get(19..).unwrap_or("");
    let (fraction, zone) = match rest.strip_prefix('.') {
        Some(after) => {
            let digits = after.chars().take_while(char::is_ascii_digit).count();
            (digits > 0, &after[digits..])
        }
        None => (true, rest),
    };
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && (zone.starts_with('+') || zone.starts_with('-'))
            && zone.as_bytes()[3] == b':'
            && zone[1..3]
                .chars()
                .chain(zone[4..].chars())
                .all(|c| c.is_ascii_digit()));
    (head_ok && fraction && zone_ok).then_some(xsd::DATE_TIME)
}

/// `graph` with each blank-node dataset renamed `{base}datasets/{id}`, where the id comes
/// from its `dct:identifier` (else its title) and the source: the same dataset of the same
/// source gets the same IRI on every run. One line per renaming; a blank-node dataset
/// with neither identifier nor title keeps its blank node (and is reported).
pub fn name_blank_datasets(graph: &Graph, source: &str, base: &BaseIri) -> (Graph, Vec<String>) {
    let mut notes = Vec::new();
    let mut names: HashMap<BlankNode, NamedNode> = HashMap::new();
    for subject in graph.subjects_for_predicate_object(RDF_TYPE, dcat::DATASET) {
        let NamedOrBlankNodeRef::BlankNode(blank) = subject else {
            continue;
        };
        let key = [dct::IDENTIFIER, dct::TITLE].into_iter().find_map(|p| {
            graph
                .objects_for_subject_predicate(subject, p)
                .find_map(|o| match o {
                    TermRef::Literal(l) => Some(l.value().to_owned()),
                    _ => None,
                })
        });
        let Some(key) = key else {
            notes.push(format!(
                "a dataset without IRI, identifier or title cannot be followed from one run to the next: {subject}"
            ));
            continue;
        };
        let digest = format!(
            "{:x}",
            Sha256::digest(format!("{source}\n{key}").as_bytes())
        );
        let id = RecordId::slugify(&format!("{key}-{}", &digest[..8]));
        let iri = base.resource(ResourceKind::Dataset, &id);
        notes.push(format!("the dataset {key:?} has no IRI; named {iri}"));
        names.insert(blank.into_owned(), iri);
    }
    let rename_subject = |s: NamedOrBlankNodeRef<'_>| -> NamedOrBlankNode {
        match s {
            NamedOrBlankNodeRef::BlankNode(b) => names
                .get(&b.into_owned())
                .map_or_else(|| s.into_owned(), |n| n.clone().into()),
            NamedOrBlankNodeRef::NamedNode(_) => s.into_owned(),
        }
    };
    let renamed = graph
        .iter()
        .map(|t| {
            let object: Term = match t.object {
                TermRef::BlankNode(b) => names
                    .get(&b.into_owned())
                    .map_or_else(|| t.object.into_owned(), |n| n.clone().into()),
                other => other.into_owned(),
            };
            Triple::new(rename_subject(t.subject), t.predicate.into_owned(), object)
        })
        .collect::<Graph>();
    (renamed, notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};

    fn graph(turtle: &str) -> Graph {
        let mut graph = Graph::new();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            graph.insert(quad.unwrap_or_else(|e| panic!("{e}")).as_ref());
        }
        graph
    }

    const PREFIXES: &str =
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n";

    #[test]
    fn plain_dates_are_typed_and_said_so() {
        let page = graph(&format!(
            "{PREFIXES}<http://e.org/d> dct:issued \"2016-12-15\" ; dct:modified \"2016-12-15T09:19:51.723691\" ;
             dct:title \"2016-12-15\" . <http://e.org/p> dcat:startDate \"soon\" ."
        ));
        let (typed, notes) = type_dates(&page);
        let text: Vec<String> = typed.iter().map(|t| t.to_string()).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("\"2016-12-15\"^^<http://www.w3.org/2001/XMLSchema#date>")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains(
                "\"2016-12-15T09:19:51.723691\"^^<http://www.w3.org/2001/XMLSchema#dateTime>"
            )),
            "{text:?}"
        );
        // A title that looks like a date, and what is no date, are left as they are.
        assert!(
            text.iter().any(|t| t.ends_with("title> \"2016-12-15\"")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.ends_with("startDate> \"soon\"")),
            "{text:?}"
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn blank_node_datasets_get_the_same_iri_on_every_run() {
        let base = BaseIri::parse("http://localhost:8080/").unwrap_or_else(|e| panic!("{e}"));
        let page = format!(
            "{PREFIXES}[] a dcat:Dataset ; dct:identifier \"bancs\" ; dcat:distribution [ a dcat:Distribution ] ."
        );
        let (first, notes) =
            name_blank_datasets(&graph(&page), "https://a.example.org/feed", &base);
        let (again, _) = name_blank_datasets(&graph(&page), "https://a.example.org/feed", &base);
        let (other, _) = name_blank_datasets(&graph(&page), "https://b.example.org/feed", &base);
        let iri = |g: &Graph| {
            g.subjects_for_predicate_object(RDF_TYPE, dcat::DATASET)
                .next()
                .map(|s| s.to_string())
                .unwrap_or_default()
        };
        assert!(
            iri(&first).starts_with("<http://localhost:8080/datasets/bancs-"),
            "{}",
            iri(&first)
        );
        assert_eq!(iri(&first), iri(&again));
        assert_ne!(
            iri(&first),
            iri(&other),
            "another source's dataset is another dataset"
        );
        assert_eq!(notes.len(), 1);
        // Its distribution stays attached.
        assert_eq!(
            first.triples_for_predicate(dcat::DISTRIBUTION_PROP).count(),
            1
        );
        assert!(
            first
                .triples_for_predicate(dcat::DISTRIBUTION_PROP)
                .all(|t| t.subject.is_named_node())
        );
    }
}
