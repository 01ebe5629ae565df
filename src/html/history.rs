//! The revisions of a record, read from its PROV-O history (see `store::history`) for the
//! history page: one row per revision, newest first.

use super::view::href;
use crate::model::vocab::{RDF_TYPE, dct, foaf, prov, rdfs, spdx};
use oxigraph::model::{NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term, TermRef};
use serde::Serialize;

/// One revision of a record, as the history page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionView {
    /// The version number, from 1.
    pub number: u64,
    /// When it was written, in UTC, for people (`2025-06-01 14:03:12 UTC`).
    pub at: String,
    /// What the change did: `create`, `replace`, `publish` or `delete`.
    pub action: String,
    /// Who made it: the token's name (empty if not recorded).
    pub agent: String,
    /// Where it came from (`HTTP API from 1.2.3.4`); only admins are given it.
    pub source: Option<String>,
    /// The SHA-256 of the content, in hex; a deletion has none.
    pub checksum: Option<String>,
    /// Where that version can be read; a deletion has no content to read.
    pub href: Option<String>,
    /// What a bulk change did (an update's text, the files a load read); records' own
    /// revisions have their content instead.
    pub detail: Option<String>,
}

/// The revisions described by `quads` (the answer of `CatalogStore::history`), newest
/// first. An entity without a version number is left out: it cannot be placed.
pub fn revisions(quads: &[Quad]) -> Vec<RevisionView> {
    let mut found: Vec<RevisionView> = quads
        .iter()
        .filter(|q| q.predicate == RDF_TYPE && q.object.as_ref() == prov::ENTITY.into())
        .filter_map(|q| revision(quads, q.subject.as_ref()))
        .collect();
    found.sort_by_key(|r| std::cmp::Reverse(r.number));
    found.dedup_by_key(|r| r.number);
    found
}

fn revision(quads: &[Quad], entity: NamedOrBlankNodeRef<'_>) -> Option<RevisionView> {
    let NamedOrBlankNodeRef::NamedNode(iri) = entity else {
        return None;
    };
    let number = literal(quads, entity, dct::IDENTIFIER)?.parse().ok()?;
    let activity = node(quads, entity, prov::WAS_GENERATED_BY);
    let about = |predicate| activity.and_then(|a| literal(quads, a, predicate));
    let action = about(rdfs::LABEL).unwrap_or_default();
    let agent = activity
        .and_then(|a| node(quads, a, prov::WAS_ASSOCIATED_WITH))
        .and_then(|agent| literal(quads, agent, foaf::NAME))
        .unwrap_or_default();
    let at = literal(quads, entity, prov::GENERATED_AT_TIME)
        .or_else(|| about(prov::ENDED_AT_TIME))
        .map(readable_time)
        .unwrap_or_default();
    let checksum = node(quads, entity, spdx::CHECKSUM)
        .and_then(|c| literal(quads, c, spdx::CHECKSUM_VALUE))
        .map(str::to_owned);
    Some(RevisionView {
        number,
        at,
        href: (action != "delete").then(|| href(iri.as_str())),
        action: action.to_owned(),
        agent: agent.to_owned(),
        source: about(dct::SOURCE).map(str::to_owned),
        checksum,
        detail: None,
    })
}

/// The bulk changes of the catalog's history (`CatalogStore::catalog_history`): numbered
/// activities without entities, newest first.
pub fn activities(quads: &[Quad]) -> Vec<RevisionView> {
    let mut found: Vec<RevisionView> = quads
        .iter()
        .filter(|q| q.predicate == RDF_TYPE && q.object.as_ref() == prov::ACTIVITY.into())
        .filter_map(|q| {
            let activity = q.subject.as_ref();
            Some(RevisionView {
                number: literal(quads, activity, dct::IDENTIFIER)?.parse().ok()?,
                at: literal(quads, activity, prov::ENDED_AT_TIME)
                    .map(readable_time)
                    .unwrap_or_default(),
                action: literal(quads, activity, rdfs::LABEL)
                    .unwrap_or_default()
                    .to_owned(),
                agent: node(quads, activity, prov::WAS_ASSOCIATED_WITH)
                    .and_then(|agent| literal(quads, agent, foaf::NAME))
                    .unwrap_or_default()
                    .to_owned(),
                source: literal(quads, activity, dct::SOURCE).map(str::to_owned),
                checksum: None,
                href: None,
                detail: literal(quads, activity, prov::VALUE).map(str::to_owned),
            })
        })
        .collect();
    found.sort_by_key(|r| std::cmp::Reverse(r.number));
    found
}

/// The first object of `subject predicate`, if any.
fn object<'a>(
    quads: &'a [Quad],
    subject: NamedOrBlankNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
) -> Option<TermRef<'a>> {
    quads
        .iter()
        .find(|q| q.subject.as_ref() == subject && q.predicate == predicate)
        .map(|q| q.object.as_ref())
}

fn literal<'a>(
    quads: &'a [Quad],
    subject: NamedOrBlankNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
) -> Option<&'a str> {
    match object(quads, subject, predicate)? {
        TermRef::Literal(l) => Some(l.value()),
        _ => None,
    }
}

fn node<'a>(
    quads: &'a [Quad],
    subject: NamedOrBlankNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
) -> Option<NamedOrBlankNodeRef<'a>> {
    match object(quads, subject, predicate)? {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

/// An `xsd:dateTime` as `2025-06-01 14:03:12 UTC`; the text itself if it does not parse.
fn readable_time(text: &str) -> String {
    let readable =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .and_then(|t| t.to_offset(time::UtcOffset::UTC).format(&readable).ok())
        .unwrap_or_else(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};

    /// A history as `CatalogStore::history` answers it: a create by `bob`, then a deletion
    /// by `admin` (with the source an admin sees), listed oldest first.
    const HISTORY: &str = r#"
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <http://example.org/> .
<datasets/d?version=1> a prov:Entity ; prov:specializationOf <datasets/d> ;
  dct:identifier 1 ; prov:generatedAtTime "2025-06-01T14:03:12.345Z"^^xsd:dateTime ;
  prov:wasGeneratedBy <datasets/d/history#1> ;
  spdx:checksum [ spdx:checksumValue "0123456789abcdef0123"^^xsd:hexBinary ] .
<datasets/d/history#1> a prov:Activity ; rdfs:label "create" ;
  prov:wasAssociatedWith [ a prov:Agent ; foaf:name "bob" ] .
<datasets/d?version=2> a prov:Entity ; prov:specializationOf <datasets/d> ;
  dct:identifier 2 ; prov:generatedAtTime "2025-06-02T01:00:00+02:00"^^xsd:dateTime ;
  prov:wasGeneratedBy <datasets/d/history#2> ; prov:wasRevisionOf <datasets/d?version=1> .
<datasets/d/history#2> a prov:Activity ; rdfs:label "delete" ;
  dct:source "HTTP API from 192.0.2.7" ;
  prov:wasAssociatedWith [ a prov:Agent ; foaf:name "admin" ] .
<datasets/d?version=x> a prov:Entity .
"#;

    fn quads(turtle: &str) -> Vec<Quad> {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(turtle.as_bytes())
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn revisions_are_read_newest_first_with_who_when_and_what() {
        let found = revisions(&quads(HISTORY));
        assert_eq!(
            found,
            [
                RevisionView {
                    number: 2,
                    at: "2025-06-01 23:00:00 UTC".to_owned(),
                    action: "delete".to_owned(),
                    agent: "admin".to_owned(),
                    source: Some("HTTP API from 192.0.2.7".to_owned()),
                    checksum: None,
                    href: None,
                    detail: None,
                },
                RevisionView {
                    number: 1,
                    at: "2025-06-01 14:03:12 UTC".to_owned(),
                    action: "create".to_owned(),
                    agent: "bob".to_owned(),
                    source: None,
                    checksum: Some("0123456789abcdef0123".to_owned()),
                    href: Some("http://example.org/datasets/d?version=1".to_owned()),
                    detail: None,
                },
            ]
        );
    }

    #[test]
    fn a_time_that_does_not_parse_is_shown_as_written() {
        assert_eq!(readable_time("yesterday"), "yesterday");
    }

    #[test]
    fn bulk_changes_are_read_newest_first_with_what_they_did() {
        let found = activities(&quads(
            r#"@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<http://example.org/history#1> a prov:Activity ; dct:identifier 1 ; rdfs:label "load" ;
  prov:value "a.ttl: 3 triples" ; prov:wasAssociatedWith [ foaf:name "ann" ] .
<http://example.org/history#2> a prov:Activity ; dct:identifier 2 ;
  rdfs:label "sparql-update" ; prov:value "CLEAR ALL" ."#,
        ));
        let summary: Vec<_> = found
            .iter()
            .map(|r| {
                (
                    r.number,
                    r.action.as_str(),
                    r.agent.as_str(),
                    r.detail.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (2, "sparql-update", "", Some("CLEAR ALL")),
                (1, "load", "ann", Some("a.ttl: 3 triples")),
            ]
        );
    }

    #[test]
    fn no_quads_no_revisions() {
        assert!(revisions(&[]).is_empty());
    }
}

/// A value on the comparison of two versions: text, and a link for an IRI.
#[derive(Debug, Clone, Serialize)]
pub struct ValueView {
    /// What people read (a literal's text, an IRI's compact form).
    pub text: String,
    /// Where an IRI leads.
    pub href: Option<String>,
    /// A literal's language.
    pub lang: Option<String>,
}

/// One changed property on the comparison of two versions.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    /// Whose property: empty for the record's own resource, else the node's name.
    pub subject: String,
    /// The property, compact (`dct:title`).
    pub property: String,
    /// What it said before.
    pub removed: Vec<ValueView>,
    /// What it says after.
    pub added: Vec<ValueView>,
}

/// The changes between two versions of the resource `topic`, for people.
pub fn changes(changes: &[crate::model::diff::Change], topic: &str) -> Vec<ChangeView> {
    let value = |term: &Term| match term {
        Term::NamedNode(n) => ValueView {
            text: crate::rdf::jsonld::compact_iri(n.as_str()),
            href: Some(href(n.as_str())),
            lang: None,
        },
        Term::Literal(l) => ValueView {
            text: l.value().to_owned(),
            href: None,
            lang: l.language().map(str::to_owned),
        },
        other => ValueView {
            text: other.to_string(),
            href: None,
            lang: None,
        },
    };
    changes
        .iter()
        .map(|change| ChangeView {
            subject: match &change.subject {
                NamedOrBlankNode::NamedNode(n) if n.as_str() == topic => String::new(),
                NamedOrBlankNode::NamedNode(n) => crate::rdf::jsonld::compact_iri(n.as_str()),
                _ => "…".to_owned(),
            },
            property: crate::rdf::jsonld::compact_iri(change.predicate.as_str()),
            removed: change.removed.iter().map(value).collect(),
            added: change.added.iter().map(value).collect(),
        })
        .collect()
}
