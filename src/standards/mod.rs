//! Checks a CSV file against a Frictionless Table Schema
//! (<https://specs.frictionlessdata.io/table-schema/>).
//!
//! This module holds the public result types. The schema model lives in
//! `schema`, the streaming checks in `check` (reading through `source`),
//! and the parsing of one cell in `values` (with `scalars` and `temporal`).
//!
//! ```
//! use passerelle::standards::{check, Limits, TableSchema};
//!
//! let schema = TableSchema::from_json(br#"{"fields": [{"name": "n", "type": "integer"}]}"#)?;
//! let outcome = check(&schema, "n\n1\nx\n".as_bytes(), &Limits::default());
//! assert_eq!(outcome.errors_total, 1);
//! assert_eq!(outcome.errors[0].line, 3);
//! # Ok::<(), passerelle::standards::SchemaError>(())
//! ```

mod check;
pub mod conformance;
mod field_type;
mod scalars;
mod schema;
mod source;
mod temporal;
mod values;

#[cfg(test)]
mod fixtures_tests;
#[cfg(test)]
mod rules_tests;

pub use check::check;
pub use schema::{Field, FieldType, SchemaError, TableSchema};

use serde::{Deserialize, Serialize};

/// Bounds on the work done by [`check()`], so that a large or very bad file
/// cannot use unbounded memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// How many errors to keep in [`Outcome::errors`]; later errors are
    /// only counted.
    pub max_errors: usize,
    /// How many bytes of CSV to read; checking stops past this size.
    pub max_bytes: u64,
}

impl Default for Limits {
    /// 100 errors and 100 MiB.
    fn default() -> Self {
        Limits {
            max_errors: 100,
            max_bytes: 100 * 1024 * 1024,
        }
    }
}

/// The Table Schema rule that a cell, row or header breaks.
///
/// Serialized as the lowerCamel name used by Table Schema where there is
/// one (`"minLength"`, `"primaryKey"`, `"type"`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Rule {
    /// The header row does not list the schema's field names in order.
    Header,
    /// The cell is not a value of the field's type and format, or not UTF-8.
    Type,
    /// The cell is missing but the field is required (or in the primary key).
    Required,
    /// The value already appears in an earlier row of a `unique` field.
    Unique,
    /// The value is not one of the field's `enum` values.
    Enum,
    /// The cell does not match the field's `pattern` as a whole.
    Pattern,
    /// The value is below the field's `minimum` (or `exclusiveMinimum`).
    Minimum,
    /// The value is above the field's `maximum` (or `exclusiveMaximum`).
    Maximum,
    /// The value is shorter than the field's `minLength`.
    MinLength,
    /// The value is longer than the field's `maxLength`.
    MaxLength,
    /// The row repeats the primary key of an earlier row.
    PrimaryKey,
    /// The row does not have as many cells as the header.
    RowLength,
}

/// One problem found in the CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellError {
    /// Physical line where the record starts; the header is line 1.
    pub line: u64,
    /// The schema field concerned; `None` for a row- or header-level error
    /// that concerns no single field.
    pub column: Option<String>,
    /// The offending text (a cell, a header name, or a short summary).
    pub value: String,
    /// The rule broken.
    pub rule: Rule,
    /// One English sentence saying what was expected.
    pub message: String,
}

/// The result of [`check()`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// Data rows checked (the header is not counted).
    pub rows: u64,
    /// The first [`Limits::max_errors`] errors, in file order.
    pub errors: Vec<CellError>,
    /// All errors found, including those not kept.
    pub errors_total: u64,
    /// Why checking stopped before the end of the file, if it did.
    pub stopped: Option<String>,
}

impl Outcome {
    /// True when the whole file was checked and no error was found.
    pub fn valid(&self) -> bool {
        self.errors_total == 0 && self.stopped.is_none()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn rules_serialize_as_lower_camel_case() {
        let names: Vec<String> = [
            Rule::Header,
            Rule::Type,
            Rule::MinLength,
            Rule::PrimaryKey,
            Rule::RowLength,
        ]
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();
        assert_eq!(
            names,
            [
                "\"header\"",
                "\"type\"",
                "\"minLength\"",
                "\"primaryKey\"",
                "\"rowLength\""
            ]
        );
    }

    #[test]
    fn outcome_is_valid_only_without_errors_and_not_stopped() {
        let mut outcome = Outcome::default();
        assert!(outcome.valid());
        outcome.stopped = Some("too big".into());
        assert!(!outcome.valid());
        outcome.stopped = None;
        outcome.errors_total = 1;
        assert!(!outcome.valid());
    }

    #[test]
    fn outcome_serializes_with_camel_case_keys() {
        let outcome = Outcome {
            rows: 1,
            errors: vec![CellError {
                line: 2,
                column: Some("id".into()),
                value: "x".into(),
                rule: Rule::Pattern,
                message: "m".into(),
            }],
            errors_total: 1,
            stopped: None,
        };
        let json = serde_json::to_value(&outcome).unwrap();
        assert_eq!(json["errorsTotal"], 1);
        assert_eq!(json["errors"][0]["rule"], "pattern");
        assert_eq!(json["errors"][0]["column"], "id");
    }
}
