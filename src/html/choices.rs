//! The controlled vocabularies the publishing forms offer (EU data themes, file types,
//! licences, frequencies, access rights), read once from the bundled vocabularies, with
//! their labels in both languages and, for licences, our short explanation.

use crate::model::vocab::{RDF_TYPE, dct, skos};
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use serde::Serialize;

/// One code a person may pick.
#[derive(Debug, Clone, Serialize)]
pub struct Concept {
    /// Its IRI, what is stored.
    pub iri: String,
    /// Its label in English, else any.
    pub en: String,
    /// Its label in French, else English.
    pub fr: String,
    /// What it means for reusers (licences we explain), in English and French.
    pub note_en: Option<String>,
    /// The same in French.
    pub note_fr: Option<String>,
}

/// Every vocabulary of the forms.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// EU data themes.
    pub themes: Vec<Concept>,
    /// EU file types.
    pub file_types: Vec<Concept>,
    /// Licences: those we explain first, then the EU list.
    pub licences: Vec<Concept>,
    /// EU frequencies.
    pub frequencies: Vec<Concept>,
    /// EU access rights.
    pub access_rights: Vec<Concept>,
    /// IANA media types we know.
    pub media_types: Vec<Concept>,
    /// EU languages (the subset we bundle), French and English first.
    pub languages: Vec<Concept>,
}

const AUTHORITY: &str = "http://publications.europa.eu/resource/authority/";

impl Choices {
    /// The choices of `vocabularies` (the bundle, [`crate::store::bundled_vocabularies`]).
    pub fn of(vocabularies: &Graph) -> Self {
        let mut licences = members_of_class(vocabularies, dct::LICENSE_DOCUMENT);
        // The explained ones (Etalab 2.0, ODbL, CC BY…) first, each group by label.
        licences.sort_by(|a, b| {
            (a.note_en.is_none(), a.en.to_lowercase())
                .cmp(&(b.note_en.is_none(), b.en.to_lowercase()))
        });
        Self {
            themes: in_scheme(vocabularies, "data-theme"),
            file_types: in_scheme(vocabularies, "file-type"),
            licences,
            frequencies: in_scheme(vocabularies, "frequency"),
            access_rights: in_scheme(vocabularies, "access-right"),
            media_types: members_of_class(vocabularies, dct::MEDIA_TYPE),
            languages: languages(vocabularies),
        }
    }

    /// The label of `iri` in `language`, if it is one of the codes.
    pub fn label(&self, iri: &str, language: &str) -> Option<&str> {
        [
            &self.themes,
            &self.file_types,
            &self.licences,
            &self.frequencies,
            &self.access_rights,
            &self.languages,
        ]
        .into_iter()
        .flatten()
        .find(|c| c.iri == iri)
        .map(|c| {
            if language == "fr" {
                c.fr.as_str()
            } else {
                c.en.as_str()
            }
        })
    }
}

/// The non-deprecated members of the EU scheme `name`, by English label.
fn in_scheme(graph: &Graph, name: &str) -> Vec<Concept> {
    let scheme = format!("{AUTHORITY}{name}");
    let Ok(scheme) = oxigraph::model::NamedNode::new(scheme) else {
        return Vec::new();
    };
    let mut concepts: Vec<Concept> = graph
        .subjects_for_predicate_object(skos::IN_SCHEME, scheme.as_ref())
        .filter_map(|s| concept(graph, s))
        .filter(|c| !c.iri.ends_with("/OP_DATPRO"))
        .collect();
    concepts.sort_by_key(|c| c.en.to_lowercase());
    concepts
}

/// The languages, French and English first: the portal's two, the ones most records use.
fn languages(graph: &Graph) -> Vec<Concept> {
    let mut languages = in_scheme(graph, "language");
    let first = |c: &Concept| match c.iri.rsplit('/').next() {
        Some("FRA") => 0,
        Some("ENG") => 1,
        _ => 2,
    };
    languages.sort_by_key(first);
    languages
}

/// The members of `class`, by English label.
fn members_of_class(graph: &Graph, class: NamedNodeRef<'_>) -> Vec<Concept> {
    let mut concepts: Vec<Concept> = graph
        .subjects_for_predicate_object(RDF_TYPE, class)
        .filter_map(|s| concept(graph, s))
        .filter(|c| !c.iri.ends_with("/OP_DATPRO"))
        .collect();
    concepts.sort_by_key(|c| c.en.to_lowercase());
    concepts
}

fn concept(graph: &Graph, subject: NamedOrBlankNodeRef<'_>) -> Option<Concept> {
    let NamedOrBlankNodeRef::NamedNode(iri) = subject else {
        return None;
    };
    let labels = [skos::PREF_LABEL, crate::model::vocab::rdfs::LABEL];
    let text = |predicates: &[NamedNodeRef<'_>], language: Option<&str>| {
        predicates.iter().find_map(|p| {
            graph
                .objects_for_subject_predicate(subject, *p)
                .find_map(|o| match o {
                    TermRef::Literal(l) if l.language() == language => Some(l.value().to_owned()),
                    _ => None,
                })
        })
    };
    let en = text(&labels, Some("en")).or_else(|| text(&labels, None))?;
    let fr = text(&labels, Some("fr")).unwrap_or_else(|| en.clone());
    Some(Concept {
        iri: iri.as_str().to_owned(),
        en,
        fr,
        note_en: text(&[skos::SCOPE_NOTE], Some("en")),
        note_fr: text(&[skos::SCOPE_NOTE], Some("fr")),
    })
}
