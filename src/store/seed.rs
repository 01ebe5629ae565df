//! The demo catalog (`seed-data/`), loaded the first time a server opens a store that has
//! never held records, and never again (a marker in the system graph remembers it).

use super::lookup::QuadSource;
use super::state::StoreState;
use super::{CatalogStore, StoreError};
use crate::model::split_into_records;
use crate::model::vocab::foaf;
use oxigraph::io::RdfFormat;
use oxigraph::model::Graph;
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

pub(super) fn seed_if_empty(store: &CatalogStore) -> Result<bool, StoreError> {
    let mut state = StoreState::read(&store.data_dir)?;
    if state.seeded {
        return Ok(false);
    }
    let has_records = store
        .store
        .holds_any(None, Some(foaf::PRIMARY_TOPIC), None, None)?;
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
        let by = super::history::Provenance {
            agent: "passerelle".into(),
            source: "the demo catalog (seed-data/)".into(),
        };
        store.write_split(
            split_into_records(&graph, &store.base),
            Some("seed-data"),
            &by,
        )?;
    }
    state.seeded = true;
    state.write(&store.data_dir)?;
    Ok(!has_records)
}
