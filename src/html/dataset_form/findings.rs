//! The profile's validation report, put next to the fields it concerns, in the person's
//! language: what is required and missing, what DCAT-AP recommends and why, and what a
//! field holds that the profile does not accept.

use super::fields::{DatasetFields, FieldError};
use crate::validate::{Finding, Report};
use serde::Serialize;
use std::collections::BTreeMap;

/// A note shown by a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// `violation` (blocks publishing), `warning` (advice) or `error` (a field to correct).
    pub level: &'static str,
    /// What to do, in the page's language.
    pub text: String,
}

/// The notes of a form, by field (`title`, `d0_license`), and those of no field.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Notes {
    /// By field name.
    pub by_field: BTreeMap<String, Vec<Note>>,
    /// About the record as a whole.
    pub general: Vec<Note>,
    /// The fields whose value must change (errors and violations, not advice).
    pub invalid: std::collections::BTreeSet<String>,
    /// How many violations (publishing is refused while there are any).
    pub violations: usize,
    /// How many warnings.
    pub warnings: usize,
}

/// The dataset properties the form has a field for.
const DATASET_FIELDS: &[(&str, &str)] = &[
    ("http://purl.org/dc/terms/title", "title"),
    ("http://purl.org/dc/terms/description", "description"),
    ("http://www.w3.org/ns/dcat#keyword", "keyword"),
    ("http://www.w3.org/ns/dcat#theme", "theme"),
    ("http://purl.org/dc/terms/publisher", "publisher"),
    ("http://www.w3.org/ns/dcat#contactPoint", "contact"),
    ("http://purl.org/dc/terms/spatial", "spatial"),
    ("http://purl.org/dc/terms/temporal", "temporal"),
    ("http://purl.org/dc/terms/accrualPeriodicity", "frequency"),
    ("http://purl.org/dc/terms/accessRights", "access_rights"),
    ("http://purl.org/dc/terms/issued", "issued"),
    ("http://www.w3.org/ns/dcat#landingPage", "landing_page"),
    ("http://purl.org/dc/terms/creator", "creator"),
    ("http://www.w3.org/ns/dcat#distribution", "files"),
];

/// The distribution properties the form has a field for.
const FILE_FIELDS: &[(&str, &str)] = &[
    ("http://purl.org/dc/terms/title", "title"),
    ("http://purl.org/dc/terms/description", "description"),
    ("http://www.w3.org/ns/dcat#accessURL", "access_url"),
    ("http://www.w3.org/ns/dcat#downloadURL", "download_url"),
    ("http://purl.org/dc/terms/format", "format"),
    ("http://purl.org/dc/terms/license", "license"),
    ("http://www.w3.org/ns/dcat#mediaType", "media_type"),
    ("http://www.w3.org/ns/dcat#byteSize", "byte_size"),
];

impl Note {
    /// A note that blocks publishing (or a refused write).
    pub fn violation(text: String) -> Self {
        Self {
            level: "violation",
            text,
        }
    }
}

impl Notes {
    /// The notes of `report` on the dataset `topic` whose form holds `fields`
    /// (`access_urls`: those of its blank-node files, by node, to find their rows).
    pub fn of_report(
        report: &Report,
        (topic, fields, access_urls): (&str, &DatasetFields, &[(String, String)]),
        language: &str,
    ) -> Self {
        let mut notes = Self {
            violations: report.violations.len(),
            warnings: report.warnings.len(),
            ..Self::default()
        };
        let findings = report
            .violations
            .iter()
            .map(|f| ("violation", f))
            .chain(report.warnings.iter().map(|f| ("warning", f)));
        for (level, finding) in findings {
            let field = field_of(finding, topic, (fields, access_urls));
            let note = Note {
                level,
                text: say(finding, level, field.as_deref(), language),
            };
            match field {
                Some(field) => notes.add(field, note),
                None => notes.general.push(note),
            }
        }
        notes
    }

    /// The notes of fields to correct before anything is written.
    pub fn of_errors(errors: &[FieldError], language: &str) -> Self {
        let t = crate::html::messages(language);
        let mut notes = Self::default();
        for error in errors {
            let text = t.get(error.key).copied().unwrap_or(error.key).to_owned();
            notes.add(
                error.field.clone(),
                Note {
                    level: "error",
                    text,
                },
            );
        }
        notes
    }

    fn add(&mut self, field: String, note: Note) {
        if note.level != "warning" {
            self.invalid.insert(field.clone());
        }
        self.by_field.entry(field).or_default().push(note);
    }

    /// A note about the whole record (a refused write).
    pub fn general(text: String) -> Self {
        Self {
            general: vec![Note {
                level: "violation",
                text,
            }],
            ..Self::default()
        }
    }
}

/// The field a finding is about: a dataset property's, or a file's (`d{N}_{field}`),
/// found by its IRI or, for a blank node, by its access URL. A new dataset's findings
/// (no `topic` yet) are the dataset's unless they are about one of our distributions.
fn field_of(
    finding: &Finding,
    topic: &str,
    (fields, access_urls): (&DatasetFields, &[(String, String)]),
) -> Option<String> {
    let path = finding.path.as_deref()?.trim_matches(['<', '>']);
    let focus = finding.focus.trim_matches(['<', '>']);
    let new_dataset =
        topic.is_empty() && !focus.starts_with("_:") && !focus.contains("/distributions/");
    if focus == topic || new_dataset {
        return lookup(DATASET_FIELDS, path).map(str::to_owned);
    }
    let url = access_urls
        .iter()
        .find(|(node, _)| node == focus)
        .map(|(_, url)| url.as_str());
    let index = fields.files.iter().position(|file| {
        let named =
            !file.id.is_empty() && (focus == file.id || focus.ends_with(&format!("/{}", file.id)));
        named || (file.id.is_empty() && url == Some(file.access_url.as_str()))
    })?;
    lookup(FILE_FIELDS, path).map(|field| format!("d{index}_{field}"))
}

fn lookup(table: &[(&str, &'static str)], path: &str) -> Option<&'static str> {
    table.iter().find(|(iri, _)| *iri == path).map(|(_, f)| *f)
}

/// A file's field without its row (`d0_license` → `license`).
fn bare_field(field: &str) -> &str {
    match field.split_once('_') {
        Some((row, rest))
            if row.len() > 1
                && row.starts_with('d')
                && row[1..].chars().all(|c| c.is_ascii_digit()) =>
        {
            rest
        }
        _ => field,
    }
}

/// What to say about `finding` by `field`: the advice we wrote for a missing field, else
/// the profile's own message (English) after a word in the page's language.
fn say(finding: &Finding, level: &str, field: Option<&str>, language: &str) -> String {
    let t = crate::html::messages(language);
    let missing = finding.constraint.contains("MinCount");
    let short = field.map(bare_field);
    let key = match (missing, level) {
        (true, "violation") => short.map(|f| format!("need_{f}")),
        (true, _) => short.map(|f| format!("advice_{f}")),
        _ => None,
    };
    if let Some(text) = key.as_deref().and_then(|k| t.get(k)) {
        return (*text).to_owned();
    }
    let lead = t
        .get(if level == "violation" {
            "finding_violation"
        } else {
            "finding_warning"
        })
        .copied()
        .unwrap_or_default();
    format!("{lead} {}", finding.message)
}
