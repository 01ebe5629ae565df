//! Passerelle: a linked-data metadata server for DCAT catalogs on an embedded Oxigraph store.
//!
//! Layers, with dependencies pointing down: [`http`] and [`html`] → [`store`] → [`rdf`] →
//! [`model`]. [`commands`] wires them for the command line. [`limits`], below them all,
//! guards every parser from input that would take the server down.

pub mod access;
pub mod commands;
pub mod config;
pub mod harvest;
pub mod html;
pub mod http;
pub mod limits;
pub mod model;
pub mod rdf;
#[allow(clippy::disallowed_types)] // the one layer that talks to Oxigraph
pub mod store;
pub mod validate;
