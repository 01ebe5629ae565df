//! The form to create and edit a dataset with its files: fields grouped as a person thinks
//! of them (description, coverage, access and licence, contacts, files), each with help
//! that says what DCAT-AP expects and why, the controlled vocabularies as pickers, and the
//! profile's report next to the fields it concerns.

mod fields;
mod findings;

pub use fields::{DatasetFields, FieldError};
pub use findings::{Note, Notes};

use super::choices::{Choices, Concept};
use super::{Frame, PageError, Pages};
use serde::Serialize;
use serde_json::{Value, json};

/// What the form is for.
pub enum FormPurpose<'a> {
    /// A new dataset.
    Create,
    /// The dataset at `iri`, at `version`, a draft or not.
    Edit {
        /// The record's IRI (its page).
        iri: &'a str,
        /// The ETag of the version the form shows.
        version: &'a str,
        /// Whether it is a draft.
        draft: bool,
    },
}

/// Everything the form shows.
pub struct DatasetForm<'a> {
    /// Create or edit.
    pub purpose: FormPurpose<'a>,
    /// Where the form posts.
    pub action: &'a str,
    /// The values.
    pub fields: &'a DatasetFields,
    /// The report and the fields to correct.
    pub notes: &'a Notes,
    /// The publishers the person may choose (IRI, name); empty for an admin, who types one.
    pub publishers: &'a [(String, String)],
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

impl Pages {
    /// The dataset form.
    pub fn dataset_form(
        &self,
        form: &DatasetForm<'_>,
        choices: &Choices,
        frame: &Frame<'_>,
    ) -> Result<String, PageError> {
        let t = super::messages(frame.language);
        let language = frame.language;
        let (title_key, record) = match &form.purpose {
            FormPurpose::Create => ("form_new_dataset", Value::Null),
            FormPurpose::Edit {
                iri,
                version,
                draft,
            } => (
                "form_edit_dataset",
                json!({ "iri": iri, "version": version, "draft": draft }),
            ),
        };
        self.render(
            "dataset_form.html",
            frame,
            json!({
                "title": t.get(title_key),
                "heading": t.get(title_key),
                "action": form.action,
                "record": record,
                "f": form.fields,
                "notes": form.notes,
                "languages": fields::LANGUAGES,
                "publishers": form.publishers.iter().map(|(iri, name)| json!({"iri": iri, "name": name})).collect::<Vec<_>>(),
                "done": form.done.and_then(|key| t.get(key)),
                "themes": options(&choices.themes, language),
                "frequencies": options(&choices.frequencies, language),
                "access_rights": options(&choices.access_rights, language),
                "file_types": options(&choices.file_types, language),
                "licences": options(&choices.licences, language),
                "media_types": options(&choices.media_types, language),
            }),
        )
    }

    /// The confirmation before deleting the dataset `name` at `iri`.
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
