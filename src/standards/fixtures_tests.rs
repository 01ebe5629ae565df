//! Checks the real French data standards kept in the shared fixtures
//! (`shared/fixtures/standards/`, see its README for the expected results).
//!
//! The folder is found beside the crate (`../shared/...`), or at the path
//! given by the `TABLESCHEMA_FIXTURES` environment variable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::path::PathBuf;

use super::{Limits, Outcome, Rule, TableSchema, check};

fn fixtures() -> PathBuf {
    match std::env::var_os("TABLESCHEMA_FIXTURES") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/standards"),
    }
}

fn run(schema: &str, csv: &str) -> Outcome {
    let dir = fixtures();
    let bytes = std::fs::read(dir.join(schema))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.join(schema).display()));
    let schema = TableSchema::from_json(&bytes).unwrap();
    let file = File::open(dir.join(csv)).unwrap();
    check(&schema, file, &Limits::default())
}

/// (line, column, value, rule) of each error, for short assertions.
fn summary(outcome: &Outcome) -> Vec<(u64, String, String, Rule)> {
    outcome
        .errors
        .iter()
        .map(|e| {
            let column = e.column.clone().unwrap_or_default();
            (e.line, column, e.value.clone(), e.rule)
        })
        .collect()
}

#[test]
fn valid_examples_have_no_errors() {
    let cases = [
        (
            "mediation-numerique/schema.json",
            "mediation-numerique/exemple-valide.csv",
            1,
        ),
        (
            "irve-statique/schema-statique.json",
            "irve-statique/exemple-valide-statique.csv",
            2,
        ),
        (
            "stationnement/schema.json",
            "stationnement/exemple-valide.csv",
            2,
        ),
        (
            "lieux-covoiturage/schema.json",
            "lieux-covoiturage/exemple-valide.csv",
            1,
        ),
    ];
    for (schema, csv, rows) in cases {
        let outcome = run(schema, csv);
        assert_eq!(outcome.errors, [], "{csv}");
        assert!(outcome.valid(), "{csv}: {outcome:?}");
        assert_eq!(outcome.rows, rows, "{csv}");
    }
}

#[test]
fn stationnement_invalid_example_has_two_errors_on_line_2() {
    let outcome = run(
        "stationnement/schema.json",
        "stationnement/exemple-invalide.csv",
    );
    assert_eq!(outcome.errors_total, 2);
    assert_eq!(
        summary(&outcome),
        [
            (2, "id".into(), "P-001".into(), Rule::Pattern),
            (2, "tarif_pmr".into(), "inconnu".into(), Rule::Enum),
        ]
    );
}

#[test]
fn covoiturage_invalid_example_has_one_date_error_on_line_3() {
    let outcome = run(
        "lieux-covoiturage/schema.json",
        "lieux-covoiturage/exemple-invalide.csv",
    );
    assert_eq!(outcome.rows, 2);
    assert_eq!(
        summary(&outcome),
        [(3, "date_maj".into(), "24-06-2019".into(), Rule::Type)]
    );
    assert!(outcome.errors[0].message.contains("%Y-%m-%d"));
}

#[test]
fn all_fixture_schemas_compile() {
    let schemas = [
        "mediation-numerique/schema.json",
        "irve-statique/schema-statique.json",
        "stationnement/schema.json",
        "lieux-covoiturage/schema.json",
    ];
    for name in schemas {
        let bytes = std::fs::read(fixtures().join(name)).unwrap();
        let schema = TableSchema::from_json(&bytes).unwrap();
        assert!(!schema.fields().is_empty(), "{name}");
    }
}
