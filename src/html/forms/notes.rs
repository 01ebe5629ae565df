//! The profile's validation report, put next to the fields it concerns, in the person's
//! language: what is required and missing, what DCAT-AP recommends and why, and what a
//! field holds that the profile does not accept.

use super::FieldError;
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
    /// The notes of `report`, each by the field `field_of` finds for it (the record's
    /// form knows its fields), else about the whole record.
    pub fn of_report(
        report: &Report,
        field_of: impl Fn(&Finding) -> Option<String>,
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
            let field = field_of(finding);
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

/// The field named for `path` in `table`.
pub fn lookup(table: &[(&str, &'static str)], path: &str) -> Option<&'static str> {
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
