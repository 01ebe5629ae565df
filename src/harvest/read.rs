//! A fetched page, read and mapped into what a run needs of it: the datasets with their
//! fingerprints, the ones that cannot be identified, the next page, and the repairs and
//! normalisations made on the way.

use super::csw::csw_page;
use super::digest::{DigestError, digest};
use super::fetch::Fetched;
use super::map::{HarvestedDataset, datasets_of, name_blank_datasets, type_dates};
use super::page::{Parsed, next_page, parse};
use super::sniff::syntax_of;
use crate::limits::{InputError, Limits};
use crate::model::BaseIri;
use crate::model::vocab::{RDF_TYPE, hydra};
use oxigraph::io::RdfFormat;
use oxigraph::model::{Graph, NamedNode, TermRef};
use std::collections::HashSet;

/// Reads and maps a fetched page: its triples (the page's, or those of each record of a
/// CSW response), dates typed, blank-node datasets named from `feed` and our `base`, each
/// dataset cut out with its fingerprint; the reason it failed, in words.
pub fn read(
    fetched: Fetched,
    feed: &str,
    base: &BaseIri,
    limits: &Limits,
) -> Result<ReadPage, String> {
    let Body {
        parsed,
        next: csw_next,
        broken,
        csw,
        matched,
    } = read_body(&fetched, limits)?;
    drop(fetched.body);
    let mut notes = parsed.repairs;
    let mut graph = parsed.graph;
    notes.extend(type_dates(&mut graph));
    notes.extend(super::literals::repair_literals(&mut graph));
    let naming = name_blank_datasets(graph, feed, base);
    notes.extend(naming.notes);
    let (graph, minted, mut unnamed) = (naming.graph, naming.minted, naming.unnamed);
    unnamed.extend(broken);
    // Fingerprints take CPU time too: here, off the async workers.
    let datasets: Vec<_> = datasets_of(&graph)
        .into_iter()
        .map(|dataset| {
            let digest = digest(&dataset.triples);
            (dataset, digest)
        })
        .collect();
    let next = next_page(&graph, &fetched.url).or(csw_next);
    // (A CSW response is a feed, even when none of its records read.)
    if !speaks_dcat(&graph) && unnamed.is_empty() && !csw {
        // An error page served as 200 must not read as a feed emptied of datasets.
        return Err(format!(
            "the page says nothing in DCAT or Hydra ({} triples): not a feed",
            graph.len()
        ));
    }
    let total_items = total_items(&graph).or(matched);
    Ok(ReadPage {
        graph,
        minted,
        datasets,
        unnamed,
        notes,
        next,
        total_items,
    })
}

/// A page, read and mapped.
pub struct ReadPage {
    /// The page's triples, mapped.
    pub graph: Graph,
    /// The IRIs minted for blank-node datasets.
    pub minted: HashSet<NamedNode>,
    /// Each dataset, with its fingerprint or why it has none.
    pub datasets: Vec<(HarvestedDataset, Result<String, DigestError>)>,
    /// Blank-node datasets that could not be named, and why.
    pub unnamed: Vec<(String, String)>,
    /// Repairs and normalisations, one line each.
    pub notes: Vec<String>,
    /// The next page's URL.
    pub next: Option<String>,
    /// `hydra:totalItems`, if the page gives it.
    pub total_items: Option<u64>,
}

/// What a fetched page holds.
struct Body {
    parsed: Parsed,
    /// For a CSW response, the next page's URL.
    next: Option<String>,
    /// CSW records that did not read: which, and why (each is a dataset the run cannot
    /// identify).
    broken: Vec<(String, String)>,
    /// Whether it is a CSW response.
    csw: bool,
    /// For a CSW response, how many records match in all.
    matched: Option<u64>,
}

/// The triples of a fetched page: the page, or each record of a CSW response.
fn read_body(fetched: &Fetched, limits: &Limits) -> Result<Body, String> {
    let Some(csw) = csw_page(&fetched.body, &fetched.url) else {
        let format = syntax_of(fetched.content_type.as_deref(), &fetched.body);
        let parsed =
            parse(&fetched.body, format, &fetched.url, limits).map_err(|e| e.to_string())?;
        return Ok(Body {
            parsed,
            next: None,
            broken: Vec::new(),
            csw: false,
            matched: None,
        });
    };
    let csw = csw?;
    let mut body = Body {
        parsed: Parsed::default(),
        next: csw.next,
        broken: Vec::new(),
        csw: true,
        matched: csw.matched,
    };
    if csw.missing > 0 {
        body.broken.push((
            format!("{} CSW records of the page", csw.missing),
            "not RDF/XML documents (`rdf:RDF`): they cannot be read".into(),
        ));
    }
    for (n, document) in csw.documents.iter().enumerate() {
        match parse(document, RdfFormat::RdfXml, &fetched.url, limits) {
            Ok(parsed) => {
                body.parsed.graph.extend(parsed.graph.iter());
                body.parsed.repairs.extend(parsed.repairs);
                // The records of one response share the page's triple budget.
                let limit = limits.max_triples_per_body;
                if body.parsed.graph.len() > limit {
                    return Err(InputError::TooManyTriples { limit }.to_string());
                }
            }
            Err(error) => body.broken.push((
                format!("CSW record {} of the page", n + 1),
                error.to_string(),
            )),
        }
    }
    Ok(body)
}

/// Whether `graph` says anything in DCAT or Hydra: a feed (maybe one without datasets),
/// not an error page that happens to parse (an empty body, a JSON error message).
fn speaks_dcat(graph: &Graph) -> bool {
    let ours = |iri: &str| {
        iri.starts_with("http://www.w3.org/ns/dcat#")
            || iri.starts_with("http://www.w3.org/ns/hydra/core#")
    };
    graph.iter().any(|t| {
        ours(t.predicate.as_str())
            || (t.predicate == RDF_TYPE
                && matches!(t.object, TermRef::NamedNode(class) if ours(class.as_str())))
    })
}

/// The `hydra:totalItems` of the page's collection, if it gives one.
fn total_items(graph: &Graph) -> Option<u64> {
    graph
        .triples_for_predicate(hydra::TOTAL_ITEMS)
        .find_map(|t| match t.object {
            TermRef::Literal(l) => l.value().trim().parse().ok(),
            _ => None,
        })
}
