//! The demo catalog (`seed-data/`), loaded the first time a server opens a store that has
//! never held records, and never again (a marker in the system graph remembers it).

use super::{CatalogStore, STORE_NODE, SYSTEM_GRAPH, StoreError};
use crate::model::split_into_records;
use crate::model::vocab::foaf;
use oxigraph::io::RdfFormat;
use oxigraph::model::{Graph, GraphNameRef, NamedNodeRef, QuadRef};
use std::path::Path;

/// The demo catalog, embedded so the binary works from any directory.
const SEED_FILES: &[(&str, &str)] = &[
    ("catalog.ttl", include_str!("../../seed-data/catalog.ttl")),
    (
        "datasets-cnrs.ttl",
        include_str!("../../seed-data/datasets-cnrs.ttl"),
    ),
    (
        "datasets-region.ttl",
        include_str!("../../seed-data/datasets-region.ttl"),
    ),
    (
        "datasets-inclusion.ttl",
        include_str!("../../seed-data/datasets-inclusion.ttl"),
    ),
    (
        "data-papers.ttl",
        include_str!("../../seed-data/data-papers.ttl"),
    ),
];

/// `urn:passerelle:store urn:passerelle:seeded <time>` once the store was considered for seeding.
const SEEDED: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:passerelle:seeded");

pub(super) fn seed_if_empty(store: &CatalogStore) -> Result<bool, StoreError> {
    let system = GraphNameRef::NamedNode(SYSTEM_GRAPH);
    let marked = store
        .store
        .quads_for_pattern(Some(STORE_NODE.into()), Some(SEEDED), None, Some(system))
        .next()
        .transpose()?
        .is_some();
    if marked {
        return Ok(false);
    }
    let has_records = store
        .store
        .quads_for_pattern(None, Some(foaf::PRIMARY_TOPIC), None, None)
        .next()
        .transpose()?
        .is_some();
    if !has_records {
        let mut graph = Graph::new();
        for (name, text) in SEED_FILES {
            store
                .parse_into(
                    &mut graph,
                    text.as_bytes(),
                    RdfFormat::Turtle,
                    Path::new(name),
                    &|_| {},
                )
                .map_err(|e| StoreError::Bundled {
                    name: "seed-data",
                    message: e.to_string(),
                })?;
        }
        store.write_split(split_into_records(&graph, &store.base), "seed-data")?;
    }
    let now = super::records::now_literal();
    store
        .store
        .insert(QuadRef::new(STORE_NODE, SEEDED, &now, system))?;
    Ok(!has_records)
}
