//! One failing case (at least) for each Table Schema rule and type, each
//! with a small schema and CSV built here, run through [`check()`].

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{Limits, Outcome, Rule, TableSchema, check};

fn run(schema: &str, csv: &str) -> Outcome {
    run_bytes(schema, csv.as_bytes())
}

fn run_bytes(schema: &str, csv: &[u8]) -> Outcome {
    let schema = TableSchema::from_json(schema.as_bytes()).unwrap();
    check(&schema, csv, &Limits::default())
}

/// (line, column, value, rule) of each error; "" for no column.
fn found(outcome: &Outcome) -> Vec<(u64, &str, &str, Rule)> {
    let errors = outcome.errors.iter();
    errors
        .map(|e| {
            let column = e.column.as_deref().unwrap_or("");
            (e.line, column, e.value.as_str(), e.rule)
        })
        .collect()
}

/// Quotes a cell for CSV.
fn quoted(cell: &str) -> String {
    format!("\"{}\"", cell.replace('"', "\"\""))
}

/// Checks a one-column table whose field is `field` (JSON without the
/// name): the `good` cells pass, and each `bad` cell breaks `rule` once.
fn one_column(field: &str, good: &[&str], bad: &[&str], rule: Rule) {
    let schema = format!(r#"{{"fields": [{{"name": "v", {field}}}]}}"#);
    let mut csv = String::from("v\n");
    for cell in good.iter().chain(bad) {
        csv.push_str(&quoted(cell));
        csv.push('\n');
    }
    let outcome = run(&schema, &csv);
    let expected: Vec<(u64, &str, &str, Rule)> = bad
        .iter()
        .enumerate()
        .map(|(i, cell)| ((good.len() + i + 2) as u64, "v", *cell, rule))
        .collect();
    assert_eq!(found(&outcome), expected, "{field}");
    let sentence = |m: &String| m.starts_with("Expected") && m.ends_with('.');
    assert!(
        outcome.errors.iter().all(|e| sentence(&e.message)),
        "{field}"
    );
}

const ABC: &str = r#"{"fields": [{"name": "a"}, {"name": "b"}, {"name": "c", "type": "integer"}]}"#;

#[test]
fn header_in_wrong_order() {
    let outcome = run(ABC, "a,c,b\n");
    assert_eq!(
        found(&outcome),
        [(1, "b", "c", Rule::Header), (1, "c", "b", Rule::Header)]
    );
    let message = &outcome.errors[0].message;
    assert_eq!(message, "Expected column `b` at position 2, found `c`.");
}

#[test]
fn header_with_missing_and_extra_columns() {
    let missing = run(ABC, "a,b\n");
    assert_eq!(found(&missing), [(1, "c", "", Rule::Header)]);
    let extra = run(ABC, "a,b,c,d\n");
    assert_eq!(found(&extra), [(1, "", "d", Rule::Header)]);
}

#[test]
fn rows_are_checked_by_position_when_the_header_differs() {
    let outcome = run(ABC, "x,b,c\n1,2,three\n");
    assert_eq!(
        found(&outcome),
        [(1, "a", "x", Rule::Header), (2, "c", "three", Rule::Type)]
    );
}

#[test]
fn rows_with_the_wrong_number_of_cells() {
    let outcome = run(ABC, "a,b,c\n1,2\n1,2,x,4\n1,2,3\n");
    assert_eq!(
        found(&outcome),
        [
            (2, "", "2", Rule::RowLength),
            (3, "", "4", Rule::RowLength),
            (3, "c", "x", Rule::Type)
        ]
    );
    assert_eq!(outcome.rows, 3);
}

#[test]
fn invalid_utf8_is_a_type_or_header_error() {
    let outcome = run_bytes(ABC, b"a,b,c\n1,\xff\xfe,3\n");
    assert_eq!(found(&outcome), [(2, "b", "\u{fffd}\u{fffd}", Rule::Type)]);
    assert_eq!(outcome.errors[0].message, "Expected UTF-8 text.");
    let header = run_bytes(ABC, b"a,\xffb,c\n");
    assert_eq!(header.errors[0].rule, Rule::Header);
}

#[test]
fn string_formats() {
    let email = r#""type": "string", "format": "email""#;
    one_column(email, &["a@b.fr"], &["a.b.fr", "a@b"], Rule::Type);
    let uri = r#""type": "string", "format": "uri""#;
    one_column(
        uri,
        &["https://x.fr/a?b=c"],
        &["x.fr/a", "http://a b"],
        Rule::Type,
    );
    let uuid = r#""type": "string", "format": "uuid""#;
    let good = ["123e4567-e89b-12d3-a456-426614174000"];
    one_column(uuid, &good, &["123e4567-e89b-12d3-a456"], Rule::Type);
}

#[test]
fn integers_and_numbers() {
    let int = r#""type": "integer""#;
    one_column(int, &["42", "-3"], &["4.2", "forty", "1e3"], Rule::Type);
    let num = r#""type": "number""#;
    one_column(num, &["4.2", "-1e3", "7"], &["4,2", "n/a"], Rule::Type);
}

#[test]
fn booleans_default_and_custom() {
    let default = r#""type": "boolean""#;
    one_column(
        default,
        &["true", "False", "1"],
        &["vrai", "yes"],
        Rule::Type,
    );
    let custom = r#""type": "boolean", "trueValues": ["vrai", "oui"], "falseValues": ["faux"]"#;
    one_column(custom, &["vrai", "oui", "faux"], &["true", "0"], Rule::Type);
}

#[test]
fn dates_default_strftime_and_any() {
    let default = r#""type": "date""#;
    one_column(
        default,
        &["2024-04-02"],
        &["02/04/2024", "2024-02-30"],
        Rule::Type,
    );
    let strftime = r#""type": "date", "format": "%d/%m/%Y""#;
    one_column(strftime, &["02/04/2024"], &["2024-04-02"], Rule::Type);
    let any = r#""type": "date", "format": "any""#;
    one_column(
        any,
        &["2024-04-02", "02/04/2024"],
        &["yesterday"],
        Rule::Type,
    );
}

#[test]
fn datetimes_times_and_years() {
    let datetime = r#""type": "datetime""#;
    let good = ["2024-04-02T10:00:00Z", "2024-04-02T10:00:00+02:00"];
    one_column(
        datetime,
        &good,
        &["2024-04-02", "2024-04-02T25:00:00Z"],
        Rule::Type,
    );
    let time = r#""type": "time""#;
    one_column(time, &["10:00:00"], &["10h", "24:00:01"], Rule::Type);
    let year = r#""type": "year""#;
    one_column(year, &["2024"], &["24", "2024-04"], Rule::Type);
    let year_month = r#""type": "yearmonth""#;
    one_column(year_month, &["2024-04"], &["2024-4", "2024"], Rule::Type);
    let duration = r#""type": "duration""#;
    one_column(duration, &["P1DT2H"], &["1 day"], Rule::Type);
}

#[test]
fn geopoints_default_and_array() {
    let default = r#""type": "geopoint""#;
    one_column(
        default,
        &["2.35, 48.85"],
        &["48.85", "2.35; 48.85", "190, 0"],
        Rule::Type,
    );
    let array = r#""type": "geopoint", "format": "array""#;
    one_column(
        array,
        &["[7.487105,48.345345]"],
        &["7.48, 48.34", "[1,2,3]"],
        Rule::Type,
    );
}

#[test]
fn json_arrays_objects_and_any() {
    let array = r#""type": "array""#;
    one_column(array, &["[1, \"a\"]"], &["{\"a\": 1}", "1;2"], Rule::Type);
    let object = r#""type": "object""#;
    one_column(object, &["{\"a\": [1]}"], &["[1]", "{a: 1}"], Rule::Type);
    let any = r#""type": "any""#;
    one_column(any, &["anything", "[", "1"], &[], Rule::Type);
}

#[test]
fn enum_of_strings_is_exact() {
    let field = r#""constraints": {"enum": ["gratuit", "payant"]}"#;
    one_column(
        field,
        &["gratuit"],
        &["Gratuit", " gratuit", "inconnu"],
        Rule::Enum,
    );
}

#[test]
fn enum_of_numbers_compares_values() {
    let number = r#""type": "number", "constraints": {"enum": [1, 2.5]}"#;
    one_column(number, &["1", "1.0", "2.50"], &["3"], Rule::Enum);
    let integer = r#""type": "integer", "constraints": {"enum": ["1", 2]}"#;
    one_column(integer, &["1", "+2", "02"], &["3"], Rule::Enum);
}

#[test]
fn pattern_matches_the_whole_value() {
    // IRVE's `horaires` pattern has no anchors: a search would accept the bad cells.
    let field = r#""constraints": {"pattern": "(.*?)((\\d{1,2}:\\d{2})-(\\d{1,2}:\\d{2})|24/7)"}"#;
    let bad = ["24/7 sauf lundi", "ouvert 8:00-12:00 !"];
    one_column(field, &["24/7", "Mo-Fr 08:00-12:00"], &bad, Rule::Pattern);
    let accents = r#""constraints": {"pattern": "(?:(?:^|\\|)(Itinérant|Fixe))+$"}"#;
    one_column(
        accents,
        &["Itinérant|Fixe"],
        &["Itinerant", "Fixe|"],
        Rule::Pattern,
    );
}

#[test]
fn minimum_and_maximum_of_integers_and_numbers() {
    let int = r#""type": "integer", "constraints": {"minimum": 0, "maximum": 10}"#;
    one_column(int, &["0", "10"], &["-1"], Rule::Minimum);
    one_column(int, &["5"], &["11"], Rule::Maximum);
    let num = r#""type": "number", "constraints": {"minimum": -90, "maximum": 90}"#;
    one_column(num, &["-90", "49.92"], &["-90.5"], Rule::Minimum);
    one_column(num, &["90.0"], &["90.000001"], Rule::Maximum);
    let exclusive =
        r#""type": "number", "constraints": {"exclusiveMinimum": 0, "exclusiveMaximum": 1}"#;
    one_column(exclusive, &["0.5"], &["0"], Rule::Minimum);
    one_column(exclusive, &["0.5"], &["1"], Rule::Maximum);
}

#[test]
fn minimum_and_maximum_of_dates() {
    let date =
        r#""type": "date", "constraints": {"minimum": "2000-01-01", "maximum": "2030-12-31"}"#;
    one_column(date, &["2000-01-01"], &["1999-12-31"], Rule::Minimum);
    one_column(date, &["2030-12-31"], &["2031-01-01"], Rule::Maximum);
}

#[test]
fn bound_messages_name_the_bound() {
    let schema = r#"{"fields": [{"name": "v", "type": "integer", "constraints": {"minimum": 0}}]}"#;
    let outcome = run(schema, "v\n-1\n");
    assert_eq!(outcome.errors[0].message, "Expected a value of at least 0.");
}

#[test]
fn min_and_max_length() {
    let text = r#""constraints": {"minLength": 2, "maxLength": 4}"#;
    one_column(text, &["ab", "été!"], &["a"], Rule::MinLength);
    one_column(text, &["abcd"], &["abcde"], Rule::MaxLength);
    let array = r#""type": "array", "constraints": {"maxLength": 2}"#;
    one_column(array, &["[1,2]"], &["[1,2,3]"], Rule::MaxLength);
}

#[test]
fn required_values() {
    let field = r#""constraints": {"required": true}"#;
    one_column(field, &["x", " "], &[""], Rule::Required);
    let optional = r#""type": "integer""#;
    one_column(optional, &["", "1"], &[], Rule::Type);
}

#[test]
fn custom_missing_values_skip_checks_but_fail_required() {
    let schema = r#"{"missingValues": ["NA", "-"], "fields": [
        {"name": "a", "constraints": {"required": true}},
        {"name": "b", "type": "integer", "constraints": {"minimum": 5}}]}"#;
    let outcome = run(schema, "a,b\nNA,-\n,NA\nx,\n");
    assert_eq!(
        found(&outcome),
        [
            (2, "a", "NA", Rule::Required),
            // An empty cell is not missing here: it is not a valid integer.
            (4, "b", "", Rule::Type)
        ]
    );
}

#[test]
fn unique_values() {
    let text = r#""constraints": {"unique": true}"#;
    one_column(text, &["a", "b", "A", ""], &["a", "b"], Rule::Unique);
    let number = r#""type": "number", "constraints": {"unique": true}"#;
    one_column(number, &["1", "2"], &["1.0"], Rule::Unique);
    let outcome = run(
        r#"{"fields": [{"name": "v", "constraints": {"unique": true}}]}"#,
        "v\nx\ny\nx\n",
    );
    assert_eq!(
        outcome.errors[0].message,
        "Expected a unique value, but line 2 has the same."
    );
}

#[test]
fn single_primary_key_duplicate_and_missing() {
    let schema =
        r#"{"primaryKey": "id", "fields": [{"name": "id", "type": "integer"}, {"name": "x"}]}"#;
    let outcome = run(schema, "id,x\n1,a\n2,b\n01,c\n,d\n");
    assert_eq!(
        found(&outcome),
        [
            (4, "id", "1", Rule::PrimaryKey),
            (5, "id", "", Rule::Required)
        ]
    );
    let message = &outcome.errors[0].message;
    assert_eq!(
        message,
        "Expected a unique primary key (id), but line 2 has the same."
    );
    assert!(outcome.errors[1].message.contains("primary key"));
}

#[test]
fn composite_primary_key_duplicate_and_missing() {
    let schema = r#"{"primaryKey": ["a", "b"], "fields": [{"name": "a"}, {"name": "b"}]}"#;
    let outcome = run(schema, "a,b\n1,x\n1,y\n2,x\n1,x\n1,\n");
    assert_eq!(
        found(&outcome),
        [
            (5, "", "[\"1\",\"x\"]", Rule::PrimaryKey),
            (6, "b", "", Rule::Required)
        ]
    );
}

#[test]
fn invalid_cells_do_not_enter_the_primary_key() {
    let schema = r#"{"primaryKey": "id", "fields": [{"name": "id", "type": "integer"}]}"#;
    let outcome = run(schema, "id\nx\nx\n");
    assert_eq!(
        found(&outcome),
        [(2, "id", "x", Rule::Type), (3, "id", "x", Rule::Type)]
    );
}

#[test]
fn one_cell_can_break_several_constraints() {
    let field = r#""constraints": {"enum": ["abc"], "pattern": "[a-c]+", "maxLength": 3}"#;
    let schema = format!(r#"{{"fields": [{{"name": "v", {field}}}]}}"#);
    let outcome = run(&schema, "v\nabcd\n");
    let rules: Vec<Rule> = outcome.errors.iter().map(|e| e.rule).collect();
    assert_eq!(rules, [Rule::Enum, Rule::Pattern, Rule::MaxLength]);
}
