//! Our application profile as data: `{base}shapes`, a W3C PROF profile of DCAT-AP 3.0.1
//! (and so a `dct:Standard`, which DCAT-AP's range shapes want of what a catalog record
//! names with `dct:conformsTo`). Every catalog record names it; `/shapes` serves it with
//! its shapes.

use super::BaseIri;
use super::vocab::{DCAT_AP_PROFILE, RDF_TYPE, dct};
use oxigraph::model::{Literal, NamedNode, Triple};

/// The W3C Profiles Vocabulary.
pub const PROF: &str = "http://www.w3.org/ns/dx/prof/";

/// The profile's own description: its types, titles in French and English, and the
/// standard it narrows.
pub fn description(base: &BaseIri) -> Vec<Triple> {
    let us = base.profile();
    let prof = |local: &str| NamedNode::new_unchecked(format!("{PROF}{local}"));
    let title = |text: &str, language: &str| {
        Triple::new(
            us.clone(),
            dct::TITLE,
            Literal::new_language_tagged_literal_unchecked(text, language),
        )
    };
    vec![
        Triple::new(us.clone(), RDF_TYPE, prof("Profile")),
        Triple::new(us.clone(), RDF_TYPE, dct::STANDARD),
        title("Passerelle application profile", "en"),
        title("Profil d'application de Passerelle", "fr"),
        Triple::new(us.clone(), prof("isProfileOf"), DCAT_AP_PROFILE),
    ]
}
