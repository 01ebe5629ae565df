//! Passerelle: a linked-data metadata server for DCAT catalogs on an embedded Oxigraph store.
//!
//! Layers, with dependencies pointing down (`docs/architecture.md` draws them):
//!
//! - [`http`] (routes, extractors, answers) and [`html`] (pages, in French and English):
//!   what the outside sees;
//! - [`commands`]: the command line's work, wiring the layers below; [`backup`]: backups
//!   made while serving, and restores;
//! - [`harvest`]: reading other portals' feeds into the store; [`search`]: the full-text
//!   index with facets, derived from the store;
//! - [`edit`]: the write workflow (drafts, embargoes, ownership, validation, history);
//! - [`validate`]: the application profile's SHACL shapes;
//! - [`store`]: the embedded Oxigraph store, records, the feed's order, history, SPARQL;
//! - [`access`]: API tokens; [`config`]: settings; [`metrics`]: what operators watch;
//! - [`rdf`]: syntaxes, negotiation, reading what clients send;
//! - [`model`]: the IRIs we mint, vocabulary, records, times;
//! - [`limits`], below them all: guards every parser from input that would take the
//!   server down.

pub mod about;
pub mod access;
pub mod backup;
pub mod commands;
pub mod config;
pub mod edit;
pub mod exports;
pub mod feedback;
#[cfg(test)]
mod fuzzing;
pub mod harvest;
pub mod html;
pub mod http;
pub mod limits;
pub mod links;
pub mod metrics;
pub mod model;
pub mod oai;
pub mod quality;
pub mod rdf;
pub mod search;
pub mod standards;
#[allow(clippy::disallowed_types)] // the one layer that talks to Oxigraph
pub mod store;
pub mod validate;

#[cfg(test)]
mod architecture_doc;
