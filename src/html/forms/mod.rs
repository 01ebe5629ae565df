//! The publishing forms for people: a dataset with its files, a data paper, an agent.
//! Fields grouped as a person thinks of them, each with help that says what DCAT-AP (or
//! the citation formats) expects and why, the controlled vocabularies as pickers, and the
//! profile's report next to the fields it concerns.
//!
//! Each kind of record has its fields type ([`FormFields`]): the record's JSON model made
//! into what the form shows, and what the browser posts made back into the model, which
//! then goes through the write workflow exactly as an API body does.

mod agent;
mod checks;
mod dataset;
mod notes;
mod paper;

pub use agent::AgentFields;
pub use dataset::DatasetFields;
pub use notes::{Note, Notes};
pub use paper::PaperFields;

use super::choices::{Choices, Concept};
use super::{Frame, PageError, Pages};
use crate::model::RecordKind;
use crate::model::json::JsonModel;
use crate::validate::Finding;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The languages the forms have a text field for, in the order they show them.
pub const LANGUAGES: [&str; 2] = ["fr", "en"];

/// A field the person must correct, and why (a message key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name in the form (`title_fr`, `d0_access_url`).
    pub field: String,
    /// The message key of what is wrong.
    pub key: &'static str,
}

/// What a person picks among their own things rather than types: the publishers they
/// edit for (a dataset's), or the datasets of those publishers (what a paper describes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picks {
    /// Their publishers.
    Publishers,
    /// Their publishers' datasets.
    Datasets,
    /// Nothing.
    Nothing,
}

/// One kind of record's form fields, both ways.
pub trait FormFields: Serialize + Default + Sized {
    /// The JSON model the fields stand for.
    type Model: JsonModel;
    /// The kind of record.
    const KIND: RecordKind;
    /// The form's template.
    const TEMPLATE: &'static str;
    /// The message keys of the form's heading for a new record and for an edit, and of
    /// what it says first.
    const HEADINGS: [&'static str; 3];
    /// What the person picks among their own.
    const PICKS: Picks;

    /// The fields of a record's model.
    fn from_model(model: &Self::Model) -> Self;
    /// The fields as posted (`pairs`, in the form's order).
    fn from_pairs(pairs: &[(String, String)]) -> Self
    where
        Self: Default,
    {
        let mut fields = Self::default();
        for (name, value) in pairs {
            fields.set(name, value.trim().to_owned());
        }
        fields
    }
    /// Sets the field `name` as posted (unknown names are ignored).
    fn set(&mut self, name: &str, value: String);
    /// A blank form; `own` are the person's picks ([`Self::PICKS`]), `asked` the query's
    /// parameters (a link may fill a field in: the dataset a paper describes).
    fn blank(own: &[(String, String)], asked: &[(String, String)]) -> Self;
    /// The model the fields say, or every field to correct.
    fn to_model(&self) -> Result<Self::Model, Vec<FieldError>>;
    /// Offers blank rows (for new files) after those there are.
    fn offer_rows(&mut self) {}
    /// The field a finding of the profile's report is about, if the form has it (`topic`:
    /// the record's IRI, empty when new; `access_urls`: its blank-node files' by node).
    fn field_of(
        &self,
        _finding: &Finding,
        _topic: &str,
        _access_urls: &[(String, String)],
    ) -> Option<String> {
        None
    }
    /// The pickers the template needs, in `language`.
    fn pickers(_choices: &Choices, _language: &str) -> Value {
        json!({})
    }
}

/// What the form is for.
pub enum FormPurpose<'a> {
    /// A new record.
    Create,
    /// The record at `iri`, at `version`, a draft or not.
    Edit {
        /// The record's IRI (its page).
        iri: &'a str,
        /// The ETag of the version the form shows.
        version: &'a str,
        /// Whether it is a draft.
        draft: bool,
    },
}

/// Everything a form page shows.
pub struct RecordForm<'a, F> {
    /// Create or edit.
    pub purpose: FormPurpose<'a>,
    /// Where the form posts.
    pub action: &'a str,
    /// The values.
    pub fields: &'a F,
    /// The report and the fields to correct.
    pub notes: &'a Notes,
    /// The person's own picks (IRI, name): their publishers or their datasets.
    pub own: &'a [(String, String)],
    /// What was just done (a message key), after a save.
    pub done: Option<&'static str>,
}

/// A code as a picker shows it, in the page's language.
#[derive(Serialize)]
struct Option_<'a> {
    iri: &'a str,
    label: &'a str,
    note: Option<&'a str>,
}

fn options<'a>(concepts: &'a [Concept], language: &str) -> Vec<Option_<'a>> {
    let french = language == "fr";
    concepts
        .iter()
        .map(|c| Option_ {
            iri: &c.iri,
            label: if french { &c.fr } else { &c.en },
            note: if french {
                c.note_fr.as_deref()
            } else {
                c.note_en.as_deref()
            },
        })
        .collect()
}

/// Sets the text of a per-language field (`title_fr`) among `texts`, if `name` is one;
/// an empty value says nothing.
fn set_per_language<const N: usize>(
    texts: [(&str, &mut BTreeMap<String, String>); N],
    name: &str,
    value: &str,
) -> bool {
    let Some((field, language)) = name.rsplit_once('_') else {
        return false;
    };
    if !LANGUAGES.contains(&language) {
        return false;
    }
    for (name, map) in texts {
        if name == field {
            if !value.is_empty() {
                map.insert(language.to_owned(), value.to_owned());
            }
            return true;
        }
    }
    false
}

impl Pages {
    /// A record's form.
    pub fn record_form<F: FormFields>(
        &self,
        form: &RecordForm<'_, F>,
        choices: &Choices,
        frame: &Frame<'_>,
    ) -> Result<String, PageError> {
        let t = super::messages(frame.language);
        let (title_key, record) = match &form.purpose {
            FormPurpose::Create => (F::HEADINGS[0], Value::Null),
            FormPurpose::Edit {
                iri,
                version,
                draft,
            } => (
                F::HEADINGS[1],
                json!({ "iri": iri, "version": version, "draft": draft }),
            ),
        };
        let mut context = json!({
            "title": t.get(title_key),
            "heading": t.get(title_key),
            "intro": t.get(F::HEADINGS[2]),
            "action": form.action,
            "record": record,
            "f": form.fields,
            "notes": form.notes,
            "languages": LANGUAGES,
            "own": form.own.iter().map(|(iri, name)| json!({"iri": iri, "name": name})).collect::<Vec<_>>(),
            "own_iris": form.own.iter().map(|(iri, _)| iri).collect::<Vec<_>>(),
            "done": form.done.and_then(|key| t.get(key)),
            "embargo": F::KIND != RecordKind::Agent,
        });
        if let (Value::Object(context), Value::Object(pickers)) =
            (&mut context, F::pickers(choices, frame.language))
        {
            context.extend(pickers);
        }
        self.render(F::TEMPLATE, frame, context)
    }

    /// The confirmation before deleting the record `name` at `iri`.
    pub fn confirm_delete(
        &self,
        (iri, name, version): (&str, &str, &str),
        frame: &Frame<'_>,
    ) -> Result<String, PageError> {
        let t = super::messages(frame.language);
        self.render(
            "delete.html",
            frame,
            json!({
                "title": t.get("delete_title"),
                "iri": iri,
                "name": name,
                "version": version,
                "action": format!("{iri}/delete"),
            }),
        )
    }
}

/// What a browser posts, from `(name, value)` pairs (the forms' unit tests).
#[cfg(test)]
fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}
