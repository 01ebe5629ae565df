//! The Table Schema model: read from JSON with serde, then compiled once
//! (type parsers, patterns, enum values, bounds) so that checking a row
//! does no setup work and a broken schema is reported before any row.

use std::collections::HashSet;

use regex::Regex;
use serde::Deserialize;
use serde_json::Value as Json;

pub use super::field_type::FieldType;
use super::values::{Options, Parser, Value};

/// Why a schema cannot be used to check files.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The document is not JSON, or lacks `fields`, or has a value of the
    /// wrong kind (an unknown `type`, a `required` that is not a boolean...).
    #[error("the schema is not a valid Table Schema JSON document: {0}")]
    Json(#[from] serde_json::Error),
    /// A `pattern` constraint is not a valid regular expression.
    #[error("field `{field}`: invalid pattern: {source}")]
    Pattern {
        /// The field whose pattern is broken.
        field: String,
        /// What the regex compiler said.
        source: regex::Error,
    },
    /// A field's format, enum, bounds or length constraints cannot be used.
    #[error("field `{field}`: {message}")]
    Field {
        /// The field concerned.
        field: String,
        /// What is wrong, in English.
        message: String,
    },
    /// The `primaryKey` names a field that the schema does not have.
    #[error("the primary key names `{0}`, which is not a field of the schema")]
    PrimaryKey(String),
    /// Two fields share a name, so header and keys would be ambiguous.
    #[error("two fields are named `{0}`")]
    DuplicateField(String),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSchema {
    fields: Vec<RawField>,
    #[serde(default = "default_missing_values")]
    missing_values: Vec<String>,
    #[serde(default)]
    primary_key: Option<KeyRef>,
}

fn default_missing_values() -> Vec<String> {
    vec![String::new()]
}

/// `primaryKey` is either one field name or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum KeyRef {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawField {
    name: String,
    #[serde(rename = "type", default)]
    field_type: FieldType,
    format: Option<String>,
    #[serde(default)]
    constraints: RawConstraints,
    true_values: Option<Vec<String>>,
    false_values: Option<Vec<String>>,
    decimal_char: Option<String>,
    group_char: Option<String>,
    bare_number: Option<bool>,
    missing_values: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawConstraints {
    #[serde(default)]
    required: bool,
    #[serde(default)]
    unique: bool,
    pattern: Option<String>,
    #[serde(rename = "enum")]
    enumeration: Option<Vec<Json>>,
    minimum: Option<Json>,
    maximum: Option<Json>,
    exclusive_minimum: Option<Json>,
    exclusive_maximum: Option<Json>,
    min_length: Option<usize>,
    max_length: Option<usize>,
}

/// A compiled `pattern` constraint, anchored to match the whole cell.
#[derive(Debug)]
pub(crate) struct Pattern {
    pub source: String,
    pub regex: Regex,
}

/// A compiled `enum` constraint: canonical keys of the allowed values.
#[derive(Debug)]
pub(crate) struct Enumeration {
    pub keys: HashSet<String>,
    pub shown: String,
}

/// A compiled `minimum`/`maximum` (or exclusive) constraint.
#[derive(Debug)]
pub(crate) struct Bound {
    pub value: Value,
    pub shown: String,
    pub exclusive: bool,
}

/// One column of the table, with its compiled checks.
#[derive(Debug)]
pub struct Field {
    name: String,
    field_type: FieldType,
    format: String,
    pub(crate) parser: Parser,
    pub(crate) missing_values: Vec<String>,
    pub(crate) required: bool,
    pub(crate) in_primary_key: bool,
    pub(crate) unique: bool,
    pub(crate) pattern: Option<Pattern>,
    pub(crate) enumeration: Option<Enumeration>,
    pub(crate) lower: Vec<Bound>,
    pub(crate) upper: Vec<Bound>,
    pub(crate) min_length: Option<usize>,
    pub(crate) max_length: Option<usize>,
}

impl Field {
    /// The column name expected in the header.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The field's type.
    pub fn field_type(&self) -> FieldType {
        self.field_type
    }

    /// The field's format (`default` when the schema gives none).
    pub fn format(&self) -> &str {
        &self.format
    }

    /// Whether a value is required: `required: true`, or part of the primary key.
    pub fn required(&self) -> bool {
        self.required
    }

    /// Whether values must be unique in the column.
    pub fn unique(&self) -> bool {
        self.unique
    }

    /// Whether a cell stands for "no value": it is one of the missing values.
    pub(crate) fn is_missing(&self, text: &str) -> bool {
        self.missing_values.iter().any(|m| m == text)
    }
}

/// A Table Schema ready to check CSV files.
#[derive(Debug)]
pub struct TableSchema {
    fields: Vec<Field>,
    primary_key: Vec<String>,
    pub(crate) key_indices: Vec<usize>,
}

impl TableSchema {
    /// Reads a Table Schema JSON document; unknown keys are ignored.
    ///
    /// Patterns, enum values and bounds are compiled here, so a bad pattern,
    /// a bad format or a primary key naming no field is an error now rather
    /// than a surprise on some row.
    pub fn from_json(bytes: &[u8]) -> Result<Self, SchemaError> {
        let raw: RawSchema = serde_json::from_slice(bytes)?;
        let primary_key = match raw.primary_key {
            None => Vec::new(),
            Some(KeyRef::One(name)) => vec![name],
            Some(KeyRef::Many(names)) => names,
        };
        let mut seen = HashSet::new();
        let mut fields = Vec::with_capacity(raw.fields.len());
        for field in raw.fields {
            if !seen.insert(field.name.clone()) {
                return Err(SchemaError::DuplicateField(field.name));
            }
            let in_key = primary_key.contains(&field.name);
            fields.push(compile_field(field, &raw.missing_values, in_key)?);
        }
        let key_indices = primary_key
            .iter()
            .map(|name| {
                fields
                    .iter()
                    .position(|f| &f.name == name)
                    .ok_or_else(|| SchemaError::PrimaryKey(name.clone()))
            })
            .collect::<Result<_, _>>()?;
        Ok(TableSchema {
            fields,
            primary_key,
            key_indices,
        })
    }

    /// The fields, in the order the header must list them.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The primary key's field names (empty when there is none).
    pub fn primary_key(&self) -> &[String] {
        &self.primary_key
    }
}

fn compile_field(raw: RawField, missing: &[String], in_key: bool) -> Result<Field, SchemaError> {
    let name = raw.name.clone();
    let err = |message: String| SchemaError::Field {
        field: name.clone(),
        message,
    };
    let format = raw.format.clone().unwrap_or_else(|| "default".into());
    let options = Options {
        true_values: raw.true_values,
        false_values: raw.false_values,
        decimal_char: raw.decimal_char,
        group_char: raw.group_char,
        bare_number: raw.bare_number,
    };
    let parser = Parser::new(raw.field_type, &format, &options).map_err(err)?;
    let c = raw.constraints;
    let pattern = match c.pattern {
        Some(source) => Some(compile_pattern(&name, source)?),
        None => None,
    };
    let enumeration = match &c.enumeration {
        Some(items) => Some(compile_enum(&parser, items).map_err(err)?),
        None => None,
    };
    let lower = bounds(&parser, [(&c.minimum, false), (&c.exclusive_minimum, true)]);
    let upper = bounds(&parser, [(&c.maximum, false), (&c.exclusive_maximum, true)]);
    let has_lengths = c.min_length.is_some() || c.max_length.is_some();
    if has_lengths && !parser.has_length() {
        return Err(err(
            "minLength/maxLength apply only to string, array and object fields".into(),
        ));
    }
    Ok(Field {
        name: raw.name,
        field_type: raw.field_type,
        format,
        missing_values: raw.missing_values.unwrap_or_else(|| missing.to_vec()),
        required: c.required || in_key,
        in_primary_key: in_key,
        unique: c.unique,
        pattern,
        enumeration,
        lower: lower.map_err(err)?,
        upper: upper.map_err(err)?,
        min_length: c.min_length,
        max_length: c.max_length,
        parser,
    })
}

/// Table Schema patterns must match the whole value, so they are anchored.
fn compile_pattern(field: &str, source: String) -> Result<Pattern, SchemaError> {
    match Regex::new(&format!("^(?:{source})$")) {
        Ok(regex) => Ok(Pattern { source, regex }),
        Err(source) => Err(SchemaError::Pattern {
            field: field.to_owned(),
            source,
        }),
    }
}

/// Reads a schema value (enum item, bound) as a value of the field's type;
/// returns it with its text, which is what a string cell would hold.
fn json_value(parser: &Parser, json: &Json) -> Result<(Value, String), String> {
    let text = match json {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    };
    let value = match json {
        Json::Number(n) if parser.is_numeric() => match n.as_i64() {
            Some(i) => Some(Value::Int(i.into())),
            None => n.as_f64().map(Value::Num),
        },
        Json::Bool(b) if parser.is_boolean() => Some(Value::Bool(*b)),
        _ => parser.parse(&text),
    };
    match value {
        Some(value) => Ok((value, text)),
        None => Err(format!("`{text}` is not {}", parser.expected())),
    }
}

/// How many enum values an error message lists before eliding the rest.
const ENUM_SHOWN: usize = 10;

fn compile_enum(parser: &Parser, items: &[Json]) -> Result<Enumeration, String> {
    let mut keys = HashSet::new();
    let mut texts = Vec::new();
    for item in items {
        let (value, text) = json_value(parser, item).map_err(|e| format!("enum value {e}"))?;
        keys.insert(value.key(&text));
        texts.push(text);
    }
    let mut shown = texts.iter().take(ENUM_SHOWN).cloned().collect::<Vec<_>>();
    if texts.len() > ENUM_SHOWN {
        shown.push("…".into());
    }
    Ok(Enumeration {
        keys,
        shown: shown.join(", "),
    })
}

fn bounds(parser: &Parser, given: [(&Option<Json>, bool); 2]) -> Result<Vec<Bound>, String> {
    let mut out = Vec::new();
    for (json, exclusive) in given {
        let Some(json) = json else { continue };
        let (value, shown) = json_value(parser, json).map_err(|e| format!("bound {e}"))?;
        // Only ordered types (numbers, dates, times, years) compare with themselves.
        if value.compare(&value).is_none() {
            return Err(format!(
                "minimum/maximum do not apply to a value like `{shown}`"
            ));
        }
        out.push(Bound {
            value,
            shown,
            exclusive,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn schema(json: &str) -> Result<TableSchema, SchemaError> {
        TableSchema::from_json(json.as_bytes())
    }

    #[test]
    fn defaults_and_unknown_keys() {
        let s = schema(
            r#"{"$schema": "x", "custom_checks": [], "fields": [
                {"name": "a", "title": "A", "example": "1"},
                {"name": "b", "type": "integer", "missingValues": ["NA"]}]}"#,
        )
        .unwrap();
        let [a, b] = s.fields() else { panic!() };
        assert_eq!(
            (a.name(), a.field_type(), a.format()),
            ("a", FieldType::String, "default")
        );
        assert!(!a.required() && !a.unique());
        assert!(a.is_missing("") && !a.is_missing("NA"));
        assert!(b.is_missing("NA") && !b.is_missing(""));
        assert!(s.primary_key().is_empty());
    }

    #[test]
    fn schema_missing_values_apply_to_fields() {
        let s = schema(r#"{"missingValues": ["-", "n/a"], "fields": [{"name": "a"}]}"#).unwrap();
        assert!(s.fields()[0].is_missing("n/a"));
        assert!(!s.fields()[0].is_missing(""));
    }

    #[test]
    fn primary_key_as_string_or_list_makes_fields_required() {
        let one =
            schema(r#"{"fields": [{"name": "id"}, {"name": "x"}], "primaryKey": "id"}"#).unwrap();
        assert_eq!(one.primary_key(), ["id"]);
        assert!(one.fields()[0].required() && !one.fields()[1].required());
        let two = schema(r#"{"fields": [{"name": "a"}, {"name": "b"}], "primaryKey": ["b", "a"]}"#)
            .unwrap();
        assert_eq!(two.key_indices, [1, 0]);
    }

    #[test]
    fn primary_key_naming_no_field_is_an_error() {
        let err = schema(r#"{"fields": [{"name": "a"}], "primaryKey": ["a", "zz"]}"#).unwrap_err();
        assert!(
            matches!(err, SchemaError::PrimaryKey(ref name) if name == "zz"),
            "{err}"
        );
    }

    #[test]
    fn bad_pattern_is_an_error() {
        let err =
            schema(r#"{"fields": [{"name": "a", "constraints": {"pattern": "(a"}}]}"#).unwrap_err();
        assert!(
            matches!(err, SchemaError::Pattern { ref field, .. } if field == "a"),
            "{err}"
        );
    }

    #[test]
    fn patterns_are_anchored() {
        let s =
            schema(r#"{"fields": [{"name": "a", "constraints": {"pattern": "a|b"}}]}"#).unwrap();
        let regex = &s.fields()[0].pattern.as_ref().unwrap().regex;
        assert!(regex.is_match("b") && !regex.is_match("ab") && !regex.is_match("bb"));
    }

    #[test]
    fn malformed_documents_are_errors() {
        assert!(matches!(schema("{"), Err(SchemaError::Json(_))));
        assert!(matches!(
            schema(r#"{"name": "x"}"#),
            Err(SchemaError::Json(_))
        ));
        let unknown_type = schema(r#"{"fields": [{"name": "a", "type": "text"}]}"#);
        assert!(matches!(unknown_type, Err(SchemaError::Json(_))));
        let twice = schema(r#"{"fields": [{"name": "a"}, {"name": "a"}]}"#);
        assert!(matches!(twice, Err(SchemaError::DuplicateField(_))));
    }

    #[test]
    fn unusable_constraints_are_errors() {
        let cases = [
            r#"{"name": "a", "type": "integer", "constraints": {"enum": ["x"]}}"#,
            r#"{"name": "a", "type": "string", "constraints": {"minimum": 3}}"#,
            r#"{"name": "a", "type": "integer", "constraints": {"minLength": 3}}"#,
            r#"{"name": "a", "type": "date", "format": "DD/MM/YYYY"}"#,
            r#"{"name": "a", "type": "date", "constraints": {"maximum": "tomorrow"}}"#,
        ];
        for field in cases {
            let err = schema(&format!(r#"{{"fields": [{field}]}}"#)).unwrap_err();
            assert!(matches!(err, SchemaError::Field { .. }), "{field}: {err}");
        }
    }

    #[test]
    fn enum_and_bounds_are_read_as_field_values() {
        let s = schema(
            r#"{"fields": [
                {"name": "n", "type": "number", "constraints": {"enum": [1, "2.50"], "minimum": 0}},
                {"name": "d", "type": "date", "format": "%d/%m/%Y",
                 "constraints": {"minimum": "01/01/2000", "exclusiveMaximum": "01/01/2030"}},
                {"name": "b", "type": "boolean", "trueValues": ["oui"], "constraints": {"enum": [true]}}
            ]}"#,
        )
        .unwrap();
        let [n, d, b] = s.fields() else { panic!() };
        let keys = &n.enumeration.as_ref().unwrap().keys;
        assert!(keys.contains("1") && keys.contains("2.5"));
        assert_eq!(n.lower[0].value, Value::Int(0));
        assert!(d.upper[0].exclusive && !d.lower[0].exclusive);
        assert!(b.enumeration.as_ref().unwrap().keys.contains("true"));
    }

    #[test]
    fn long_enums_are_shortened_in_messages() {
        let items: Vec<String> = (0..15).map(|i| format!("\"v{i}\"")).collect();
        let json = format!(
            r#"{{"fields": [{{"name": "a", "constraints": {{"enum": [{}]}}}}]}}"#,
            items.join(",")
        );
        let s = schema(&json).unwrap();
        let shown = &s.fields()[0].enumeration.as_ref().unwrap().shown;
        assert!(
            shown.starts_with("v0, v1") && shown.ends_with("v9, …"),
            "{shown}"
        );
    }
}
