//! A record as the publishing forms edit it: its JSON model, whether the model says all of
//! it (else the form would drop what it cannot show), and the profile's report on it, for
//! the notes next to the fields.

use super::found::find_own;
use super::models::{Model, record_model};
use super::{EditError, Edits};
use crate::access::Principal;
use crate::model::RecordKind;
use crate::model::vocab::dcat;
use crate::store::Records;
use crate::validate::Report;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};
use std::collections::HashSet;

/// A record opened in a form.
pub struct Editable {
    /// Its model and version.
    pub model: Model,
    /// Its IRI.
    pub topic: NamedNode,
    /// Whether the model says all the record says.
    pub expressible: bool,
    /// The profile's report on it, as it is stored.
    pub report: Report,
    /// The access URL of each of its blank-node distributions, by the node's name as a
    /// report's focus says it: how a finding on one finds its row in the form.
    pub access_urls: Vec<(String, String)>,
}

impl Edits<'_> {
    /// The record `id` of `kind`, for `who` to edit: refused unless they may write it.
    pub fn editable(
        &self,
        kind: RecordKind,
        id: &str,
        who: &Principal,
    ) -> Result<Editable, EditError> {
        let store = self.store;
        let found = find_own(store, who, kind, id)?;
        let model = record_model(store, Some(who), kind, &found.id)?.ok_or_else(|| {
            EditError::NotFound {
                kind: kind.resource_kind().label(),
                id: id.to_owned(),
            }
        })?;
        let own = store.own_triples(&found.id)?;
        let topic = found.current.topic.clone();
        let expressible = crate::model::json::expressible(
            kind.resource_kind(),
            &own,
            NamedOrBlankNode::from(topic.clone()).as_ref(),
        );
        let triples: Vec<_> = own.iter().map(|t| t.into_owned()).collect();
        let subjects: HashSet<String> = triples
            .iter()
            .filter_map(|t| match &t.subject {
                NamedOrBlankNode::NamedNode(n) => Some(n.as_str().to_owned()),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect();
        let access_urls = triples
            .iter()
            .filter(|t| t.subject.is_blank_node() && t.predicate == dcat::ACCESS_URL)
            .map(|t| (t.subject.to_string(), term_text(&t.object)))
            .collect();
        let context = store.in_context(&triples)?;
        let report = self
            .validator
            .validate(&context)
            .map_err(EditError::Validation)?
            .about(&subjects);
        Ok(Editable {
            model,
            topic,
            expressible,
            report,
            access_urls,
        })
    }
}

fn term_text(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_owned(),
        Term::Literal(l) => l.value().to_owned(),
        other => other.to_string(),
    }
}
