//! Checks a CSV stream against a compiled schema: the header, the length
//! of each row, each cell's type and constraints, and the values seen so
//! far for `unique` columns and the primary key.

use std::collections::HashMap;
use std::io::Read;

use csv::{ByteRecord, ReaderBuilder};

use super::schema::{Bound, Field, TableSchema};
use super::source::{Source, record_line};
use super::values::Value;
use super::{CellError, Limits, Outcome, Rule};

/// Checks `csv` against `schema`, reading it as a stream.
///
/// The header is line 1. Reading stops cleanly past `limits.max_bytes`
/// (the record cut by the limit is not checked) and `Outcome::stopped`
/// says so. Never panics on bad input: malformed rows and invalid UTF-8
/// become errors.
pub fn check(schema: &TableSchema, csv: impl Read, limits: &Limits) -> Outcome {
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Source::new(csv, limits.max_bytes));
    let mut checker = Checker::new(schema, limits.max_errors);
    let mut record = ByteRecord::new();
    let mut at_header = true;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                let line = record_line(&record, reader.position().line());
                if at_header {
                    checker.header(&record, line);
                    at_header = false;
                } else {
                    checker.row(&record, line);
                }
            }
            Ok(false) => {
                if at_header {
                    checker.empty_file();
                }
                break;
            }
            Err(error) => {
                let exceeded = reader.get_ref().exceeded;
                checker.stop(exceeded, limits.max_bytes, &error);
                break;
            }
        }
    }
    checker.outcome
}

/// The state kept while streaming: results, header width, and the values
/// seen in `unique` columns and in the primary key, with their first line.
struct Checker<'s> {
    schema: &'s TableSchema,
    max_errors: usize,
    outcome: Outcome,
    header_len: usize,
    last_line: u64,
    seen: Vec<Option<HashMap<String, u64>>>,
    keys: HashMap<Vec<String>, u64>,
}

impl<'s> Checker<'s> {
    fn new(schema: &'s TableSchema, max_errors: usize) -> Self {
        let seen = schema
            .fields()
            .iter()
            .map(|f| f.unique().then(HashMap::new))
            .collect();
        Checker {
            schema,
            max_errors,
            outcome: Outcome::default(),
            header_len: 0,
            last_line: 0,
            seen,
            keys: HashMap::new(),
        }
    }

    /// Counts an error, and keeps it while fewer than `max_errors` are kept.
    fn report(
        &mut self,
        line: u64,
        column: Option<&str>,
        value: &str,
        rule: Rule,
        message: String,
    ) {
        self.outcome.errors_total += 1;
        if self.outcome.errors.len() < self.max_errors {
            self.outcome.errors.push(CellError {
                line,
                column: column.map(str::to_owned),
                value: shorten(value),
                rule,
                message,
            });
        }
    }

    fn stop(&mut self, exceeded: bool, max_bytes: u64, error: &csv::Error) {
        let line = self.last_line;
        self.outcome.stopped = Some(match (exceeded, line) {
            (true, 0) => {
                format!("the file is larger than {max_bytes} bytes: no record was checked")
            }
            (true, _) => {
                format!("the file is larger than {max_bytes} bytes: checked up to line {line}")
            }
            (false, _) => format!("reading the file failed after line {line}: {error}"),
        });
    }

    fn empty_file(&mut self) {
        let message = "Expected a header row, found an empty file.".to_owned();
        self.report(1, None, "", Rule::Header, message);
    }

    /// The header must list the field names in order (`fieldsMatch: exact`).
    fn header(&mut self, record: &ByteRecord, line: u64) {
        self.last_line = line;
        self.header_len = record.len();
        let fields = self.schema.fields();
        for i in 0..fields.len().max(record.len()) {
            let found = record.get(i).map(|bytes| {
                let name = String::from_utf8_lossy(bytes);
                // Spreadsheets often start UTF-8 files with a byte order mark.
                let name = if i == 0 {
                    name.trim_start_matches('\u{feff}')
                } else {
                    &name
                };
                name.to_owned()
            });
            let position = i + 1;
            match (fields.get(i).map(Field::name), found) {
                (Some(expected), Some(found)) if expected == found => {}
                (Some(expected), Some(found)) => {
                    let message = format!(
                        "Expected column `{expected}` at position {position}, found `{found}`."
                    );
                    self.report(line, Some(expected), &found, Rule::Header, message);
                }
                (Some(expected), None) => {
                    let message = format!(
                        "Expected column `{expected}` at position {position}, found no column."
                    );
                    self.report(line, Some(expected), "", Rule::Header, message);
                }
                (None, Some(found)) => {
                    let message = format!(
                        "Expected no column at position {position} (the schema has {} fields), found `{found}`.",
                        fields.len()
                    );
                    self.report(line, None, &found, Rule::Header, message);
                }
                (None, None) => {}
            }
        }
    }

    /// Checks one data row; cells are matched to fields by position.
    fn row(&mut self, record: &ByteRecord, line: u64) {
        self.outcome.rows += 1;
        self.last_line = line;
        if record.len() != self.header_len {
            let message = format!(
                "Expected {} cells as in the header, found {}.",
                self.header_len,
                record.len()
            );
            self.report(
                line,
                None,
                &record.len().to_string(),
                Rule::RowLength,
                message,
            );
        }
        let schema = self.schema;
        let mut key = Vec::with_capacity(schema.key_indices.len());
        let mut key_complete = true;
        for (i, field) in schema.fields().iter().enumerate() {
            let canonical = record
                .get(i)
                .and_then(|bytes| self.cell(i, field, bytes, line));
            if field.in_primary_key {
                match canonical {
                    Some(part) => key.push(part),
                    None => key_complete = false,
                }
            }
        }
        if key_complete && !key.is_empty() {
            self.primary_key(key, line);
        }
    }

    /// Checks one cell; returns its canonical value when the field is
    /// unique or in the primary key and the cell is a valid value.
    fn cell(&mut self, i: usize, field: &Field, bytes: &[u8], line: u64) -> Option<String> {
        let column = Some(field.name());
        let Ok(text) = std::str::from_utf8(bytes) else {
            let shown = String::from_utf8_lossy(bytes);
            self.report(
                line,
                column,
                &shown,
                Rule::Type,
                "Expected UTF-8 text.".into(),
            );
            return None;
        };
        if field.is_missing(text) {
            if field.required {
                self.report(line, column, text, Rule::Required, required_message(field));
            }
            return None;
        }
        let Some(value) = field.parser.parse(text) else {
            let message = format!("Expected {}.", field.parser.expected());
            self.report(line, column, text, Rule::Type, message);
            return None;
        };
        for (rule, message) in constraint_errors(field, &value, text) {
            self.report(line, column, text, rule, message);
        }
        if !field.unique && !field.in_primary_key {
            return None;
        }
        let canonical = value.key(text);
        if field.unique {
            self.unique(i, field, &canonical, text, line);
        }
        Some(canonical)
    }

    fn unique(&mut self, i: usize, field: &Field, canonical: &str, text: &str, line: u64) {
        let Some(Some(seen)) = self.seen.get_mut(i) else {
            return;
        };
        if let Some(&first) = seen.get(canonical) {
            let message = format!("Expected a unique value, but line {first} has the same.");
            self.report(line, Some(field.name()), text, Rule::Unique, message);
        } else {
            seen.insert(canonical.to_owned(), line);
        }
    }

    fn primary_key(&mut self, key: Vec<String>, line: u64) {
        let Some(&first) = self.keys.get(&key) else {
            self.keys.insert(key, line);
            return;
        };
        let names = self.schema.primary_key();
        let message = format!(
            "Expected a unique primary key ({}), but line {first} has the same.",
            names.join(", ")
        );
        let (column, value) = match (names, key.as_slice()) {
            ([name], [value]) => (Some(name.as_str()), value.clone()),
            _ => (None, serde_json::to_string(&key).unwrap_or_default()),
        };
        self.report(line, column, &value, Rule::PrimaryKey, message);
    }
}

/// How many characters of a cell an error keeps, so that one huge cell
/// cannot bloat a report.
const VALUE_CHARS: usize = 200;

fn shorten(value: &str) -> String {
    match value.char_indices().nth(VALUE_CHARS) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

fn required_message(field: &Field) -> String {
    if field.in_primary_key {
        "Expected a value: the column is part of the primary key.".into()
    } else {
        "Expected a value: the column is required.".into()
    }
}

/// The enum, pattern, bound and length constraints that `value` breaks.
fn constraint_errors(field: &Field, value: &Value, text: &str) -> Vec<(Rule, String)> {
    let mut errors = Vec::new();
    if let Some(allowed) = &field.enumeration
        && !allowed.keys.contains(&value.key(text))
    {
        errors.push((Rule::Enum, format!("Expected one of: {}.", allowed.shown)));
    }
    if let Some(pattern) = &field.pattern
        && !pattern.regex.is_match(text)
    {
        let message = format!("Expected a value matching the pattern {}.", pattern.source);
        errors.push((Rule::Pattern, message));
    }
    for bound in field.lower.iter().filter(|b| breaks(value, b, true)) {
        let what = if bound.exclusive {
            "greater than"
        } else {
            "of at least"
        };
        let message = format!("Expected a value {what} {}.", bound.shown);
        errors.push((Rule::Minimum, message));
    }
    for bound in field.upper.iter().filter(|b| breaks(value, b, false)) {
        let what = if bound.exclusive {
            "less than"
        } else {
            "of at most"
        };
        let message = format!("Expected a value {what} {}.", bound.shown);
        errors.push((Rule::Maximum, message));
    }
    if let Some(length) = value.length(text) {
        let unit = if matches!(value, Value::Text) {
            "characters"
        } else {
            "items"
        };
        if let Some(min) = field.min_length.filter(|&min| length < min) {
            let message = format!("Expected at least {min} {unit}, found {length}.");
            errors.push((Rule::MinLength, message));
        }
        if let Some(max) = field.max_length.filter(|&max| length > max) {
            let message = format!("Expected at most {max} {unit}, found {length}.");
            errors.push((Rule::MaxLength, message));
        }
    }
    errors
}

/// Whether `value` is beyond `bound`: below it for a lower bound, above it
/// for an upper one. Values that do not compare (NaN) pass.
fn breaks(value: &Value, bound: &Bound, lower: bool) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match (value.compare(&bound.value), lower) {
        (Some(Less), true) | (Some(Greater), false) => true,
        (Some(Equal), _) => bound.exclusive,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::io;

    fn schema(json: &str) -> TableSchema {
        TableSchema::from_json(json.as_bytes()).unwrap()
    }

    fn run_with(schema_json: &str, csv: &[u8], limits: &Limits) -> Outcome {
        check(&schema(schema_json), csv, limits)
    }

    fn run(schema_json: &str, csv: &str) -> Outcome {
        run_with(schema_json, csv.as_bytes(), &Limits::default())
    }

    fn found(outcome: &Outcome) -> Vec<(u64, Option<&str>, &str, Rule)> {
        let errors = outcome.errors.iter();
        errors
            .map(|e| (e.line, e.column.as_deref(), e.value.as_str(), e.rule))
            .collect()
    }

    const ABC: &str =
        r#"{"fields": [{"name": "a"}, {"name": "b"}, {"name": "c", "type": "integer"}]}"#;

    #[test]
    fn empty_file_has_no_header() {
        let outcome = run(ABC, "");
        assert_eq!(found(&outcome), [(1, None, "", Rule::Header)]);
        assert_eq!(outcome.rows, 0);
    }

    #[test]
    fn byte_order_mark_is_ignored() {
        assert!(run(ABC, "\u{feff}a,b,c\n1,2,3\n").valid());
    }

    #[test]
    fn lines_count_physical_lines_and_quoted_newlines() {
        let outcome = run(ABC, "a,b,c\r\n\"x\ny\",\"1\",2\r\nz,w,bad\r\n");
        assert_eq!(found(&outcome), [(4, Some("c"), "bad", Rule::Type)]);
    }

    #[test]
    fn lines_are_physical_with_any_line_ending() {
        let rows = ["a,b,c", "1,2,x", "1,2,y"];
        for end in ["\n", "\r\n", "\r"] {
            let outcome = run(ABC, &rows.join(end));
            let lines: Vec<u64> = outcome.errors.iter().map(|e| e.line).collect();
            assert_eq!(lines, [2, 3], "{end:?}");
        }
    }

    #[test]
    fn lines_count_skipped_blank_lines() {
        let outcome = run(ABC, "a,b,c\r\n\r\n1,2,x\n\n\n1,2,y\n\n");
        let lines: Vec<u64> = outcome.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 6]);
        assert_eq!(outcome.rows, 2);
    }

    #[test]
    fn limit_before_the_header_ends() {
        let limits = Limits {
            max_errors: 10,
            max_bytes: 3,
        };
        let outcome = run_with(ABC, b"a,b,c\n", &limits);
        let stopped = outcome.stopped.unwrap();
        assert!(stopped.ends_with("no record was checked"), "{stopped}");
    }

    /// Fails with an I/O error after giving its data once.
    struct Broken<'a>(&'a [u8]);

    impl Read for Broken<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::other("disk on fire"));
            }
            let n = self.0.read(buf)?;
            Ok(n)
        }
    }

    #[test]
    fn read_errors_stop_checking() {
        let outcome = check(&schema(ABC), Broken(b"a,b,c\n1,2,3\n"), &Limits::default());
        assert_eq!(outcome.rows, 1);
        let stopped = outcome.stopped.unwrap();
        assert!(
            stopped.starts_with("reading the file failed after line 2"),
            "{stopped}"
        );
        assert!(stopped.contains("disk on fire"), "{stopped}");
    }

    #[test]
    fn only_max_errors_are_kept_but_all_are_counted() {
        let limits = Limits {
            max_errors: 2,
            max_bytes: 1 << 20,
        };
        let outcome = run_with(ABC, b"a,b,c\n1,2,x\n1,2,x\n1,2,x\n1,2,x\n", &limits);
        assert_eq!(outcome.errors.len(), 2);
        assert_eq!(outcome.errors_total, 4);
        assert_eq!(outcome.rows, 4);
    }

    #[test]
    fn long_values_are_shortened_in_errors() {
        let long = "é".repeat(500);
        let outcome = run(ABC, &format!("a,b,c\n1,2,{long}\n"));
        let value = &outcome.errors[0].value;
        assert_eq!(value.chars().count(), VALUE_CHARS + 1);
        assert!(value.ends_with("é…"));
    }
}
