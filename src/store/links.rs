//! The link checker's findings in the store, so that they survive restarts, go into
//! backups and can be queried: one graph, `{base}link-checks`, with for each URL checked
//! the last request made (W3C HTTP Vocabulary in RDF: `http:Request`, `http:absoluteURI`,
//! `http:mthd`, `http:resp` to an `http:Response` with its `http:statusCodeValue`), its
//! date (`dct:date`) and, when no answer came, why (`rdfs:comment`).
//!
//! The graph is derived data, like the quality measurements: writing it tells no watcher
//! and moves no generation.

use super::{CatalogStore, StoreError};
use crate::model::RecordId;
use crate::model::vocab::{RDF_TYPE, dcat, dct};
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, QuadRef, Term,
    TermRef,
};
use sha2::Digest;
use std::collections::HashMap;

const REQUEST: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2011/http#Request");
const RESPONSE: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2011/http#Response");
const ABSOLUTE_URI: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2011/http#absoluteURI");
const METHOD: NamedNodeRef<'_> = NamedNodeRef::new_unchecked("http://www.w3.org/2011/http#mthd");
const RESP: NamedNodeRef<'_> = NamedNodeRef::new_unchecked("http://www.w3.org/2011/http#resp");
const STATUS_CODE_VALUE: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2011/http#statusCodeValue");
const METHODS: &str = "http://www.w3.org/2011/http-methods#";
const COMMENT: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#comment");

/// The last check of one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkCheck {
    /// The URL, as the description gives it.
    pub url: String,
    /// When it was checked.
    pub checked: time::OffsetDateTime,
    /// The method of the request whose answer counts: `HEAD`, or `GET` (ranged) when the
    /// server refused `HEAD`.
    pub method: String,
    /// The status code of the answer (after redirects); `None` when none came.
    pub status: Option<u16>,
    /// Why no answer came (refused address, timeout, connection refused...).
    pub error: Option<String>,
}

impl CatalogStore {
    /// The graph of the link checks.
    fn link_checks_graph(&self) -> NamedNode {
        NamedNode::new_unchecked(format!("{}link-checks", self.base().as_str()))
    }

    /// The URLs the public datasets' distributions give (`dcat:accessURL`,
    /// `dcat:downloadURL`), with the dataset that gives each.
    pub fn distribution_links(&self) -> Result<Vec<(RecordId, String)>, StoreError> {
        let live: Vec<RecordId> = self
            .dataset_versions()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        self.distribution_links_of(&live)
    }

    /// [`Self::distribution_links`] of the datasets `ids` only (those just written).
    pub fn distribution_links_of(
        &self,
        ids: &[RecordId],
    ) -> Result<Vec<(RecordId, String)>, StoreError> {
        let mut links = Vec::new();
        for id in ids {
            let graph = self.base().record_graph(id);
            for predicate in [dcat::ACCESS_URL, dcat::DOWNLOAD_URL] {
                for quad in self.store.quads_for_pattern(
                    None,
                    Some(predicate),
                    None,
                    Some(GraphNameRef::NamedNode(graph.as_ref())),
                ) {
                    if let Term::NamedNode(url) = quad?.object {
                        links.push((id.clone(), url.into_string()));
                    }
                }
            }
        }
        Ok(links)
    }

    /// Every stored link check.
    pub fn link_checks(&self) -> Result<Vec<LinkCheck>, StoreError> {
        let graph = self.link_checks_graph();
        let quads: Vec<Quad> = self
            .store
            .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
            .collect::<Result<_, _>>()?;
        Ok(checks_of(&quads))
    }

    /// Stores `checks`, each replacing the last check of its URL.
    pub fn put_link_checks(&self, checks: &[LinkCheck]) -> Result<(), StoreError> {
        let graph = self.link_checks_graph();
        let name = GraphNameRef::NamedNode(graph.as_ref());
        let _writing = self.write_lock();
        let mut transaction = self.store.start_transaction()?;
        for check in checks {
            let (request, response) = nodes(&graph, &check.url);
            for node in [&request, &response] {
                let old: Vec<Quad> = transaction
                    .quads_for_pattern(Some(node.as_ref().into()), None, None, Some(name))
                    .collect::<Result<_, _>>()?;
                for quad in &old {
                    transaction.remove(quad);
                }
            }
            for quad in quads_of(check, (&request, &response), name) {
                transaction.insert(quad.as_ref());
            }
        }
        transaction.commit()?;
        self.derived_written();
        Ok(())
    }
}

/// The request and response nodes of `url`'s check: fragments of the graph named by a
/// digest of the URL, so that a check replaces the last one without a lookup.
fn nodes(graph: &NamedNode, url: &str) -> (NamedNode, NamedNode) {
    let digest = sha2::Sha256::digest(url.as_bytes());
    let short: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    (
        NamedNode::new_unchecked(format!("{}#{short}", graph.as_str())),
        NamedNode::new_unchecked(format!("{}#{short}-response", graph.as_str())),
    )
}

fn quads_of(
    check: &LinkCheck,
    (request, response): (&NamedNode, &NamedNode),
    graph: GraphNameRef<'_>,
) -> Vec<Quad> {
    let date = check
        .checked
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let method = NamedNode::new_unchecked(format!("{METHODS}{}", check.method));
    let mut triples: Vec<(&NamedNode, NamedNodeRef<'_>, Term)> = vec![
        (request, RDF_TYPE, REQUEST.into_owned().into()),
        (
            request,
            ABSOLUTE_URI,
            Literal::from(check.url.as_str()).into(),
        ),
        (request, METHOD, method.into()),
        (
            request,
            dct::DATE,
            Literal::new_typed_literal(date, oxigraph::model::vocab::xsd::DATE_TIME).into(),
        ),
    ];
    if let Some(status) = check.status {
        triples.push((request, RESP, response.clone().into()));
        triples.push((response, RDF_TYPE, RESPONSE.into_owned().into()));
        triples.push((
            response,
            STATUS_CODE_VALUE,
            Literal::from(i64::from(status)).into(),
        ));
    }
    if let Some(error) = &check.error {
        triples.push((request, COMMENT, Literal::from(error.as_str()).into()));
    }
    triples
        .into_iter()
        .map(|(s, p, o)| QuadRef::new(s, p, &o, graph).into_owned())
        .collect()
}

/// The checks the quads of the link-checks graph say.
fn checks_of(quads: &[Quad]) -> Vec<LinkCheck> {
    let mut by_subject: HashMap<NamedOrBlankNodeRef<'_>, Vec<&Quad>> = HashMap::new();
    for quad in quads {
        by_subject
            .entry(quad.subject.as_ref())
            .or_default()
            .push(quad);
    }
    let value = |subject: NamedOrBlankNodeRef<'_>, predicate: NamedNodeRef<'_>| {
        by_subject.get(&subject).and_then(|quads| {
            quads
                .iter()
                .find(|q| q.predicate.as_ref() == predicate)
                .map(|q| q.object.as_ref())
        })
    };
    let literal = |term: Option<TermRef<'_>>| match term {
        Some(TermRef::Literal(l)) => Some(l.value().to_owned()),
        _ => None,
    };
    let mut checks = Vec::new();
    for (subject, _) in by_subject
        .iter()
        .filter(|(_, q)| q.iter().any(|q| q.object.as_ref() == REQUEST.into()))
    {
        let Some(url) = literal(value(*subject, ABSOLUTE_URI)) else {
            continue;
        };
        let Some(checked) = literal(value(*subject, dct::DATE)).and_then(|d| {
            time::OffsetDateTime::parse(&d, &time::format_description::well_known::Rfc3339).ok()
        }) else {
            continue;
        };
        let method = match value(*subject, METHOD) {
            Some(TermRef::NamedNode(m)) => m.as_str().trim_start_matches(METHODS).to_owned(),
            _ => "HEAD".to_owned(),
        };
        let status = match value(*subject, RESP) {
            Some(TermRef::NamedNode(r)) => {
                literal(value(r.into(), STATUS_CODE_VALUE)).and_then(|s| s.parse().ok())
            }
            _ => None,
        };
        checks.push(LinkCheck {
            url,
            checked,
            method,
            status,
            error: literal(value(*subject, COMMENT)),
        });
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;

    const HTTP: &str = "http://www.w3.org/2011/http#";

    #[test]
    fn a_check_reads_back_as_written() {
        let graph = NamedNode::new_unchecked("http://ex.org/link-checks");
        let name = GraphNameRef::NamedNode(graph.as_ref());
        let checked = time::OffsetDateTime::from_unix_timestamp(1_800_000_000)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let answered = LinkCheck {
            url: "https://data.example.org/file.csv".into(),
            checked,
            method: "GET".into(),
            status: Some(404),
            error: None,
        };
        let silent = LinkCheck {
            url: "https://gone.example.org/".into(),
            checked,
            method: "HEAD".into(),
            status: None,
            error: Some("connection refused".into()),
        };
        let (a, b) = nodes(&graph, &answered.url);
        let mut quads = quads_of(&answered, (&a, &b), name);
        let (c, d) = nodes(&graph, &silent.url);
        quads.extend(quads_of(&silent, (&c, &d), name));
        let mut read = checks_of(&quads);
        read.sort_by(|a, b| a.url.cmp(&b.url));
        assert_eq!(read, vec![answered, silent]);
        assert!(quads.iter().all(|q| q.predicate.as_str().starts_with(HTTP)
            || q.predicate.as_ref() == RDF_TYPE
            || q.predicate.as_ref() == dct::DATE
            || q.predicate.as_ref() == COMMENT));
    }
}
