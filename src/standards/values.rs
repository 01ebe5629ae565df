//! Parses the text of one cell according to its field's type and format.
//!
//! A [`Parser`] is built once per field when the schema is loaded; it turns
//! a cell into a [`Value`] that the constraint checks compare (enum,
//! minimum, unique...). A cell that does not parse breaks the `type` rule.

use std::cmp::Ordering;

use serde_json::Value as Json;
use time::{Date, PrimitiveDateTime, Time};

use super::field_type::FieldType;
use super::scalars::{NumberStyle, TextFormat, parse_boolean};
use super::temporal::{
    Temporal, is_duration, parse_date, parse_datetime, parse_time, parse_year, parse_year_month,
};

/// Type-specific properties of a field, as written in the schema.
#[derive(Debug, Default, Clone)]
pub(crate) struct Options {
    pub true_values: Option<Vec<String>>,
    pub false_values: Option<Vec<String>>,
    pub decimal_char: Option<String>,
    pub group_char: Option<String>,
    pub bare_number: Option<bool>,
}

/// A parsed cell. Strings keep no copy: their value is the cell text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text,
    Int(i128),
    Num(f64),
    Bool(bool),
    Date(Date),
    Time(Time),
    DateTime(PrimitiveDateTime),
    Year(i64),
    YearMonth(i64, u8),
    Point(f64, f64),
    Json(Json),
}

impl Value {
    /// Canonical text, so that `1.0` and `1` are the same number for enum
    /// and unique checks.
    pub(crate) fn key(&self, raw: &str) -> String {
        match self {
            Value::Text => raw.to_owned(),
            Value::Int(i) => i.to_string(),
            Value::Num(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Date(d) => d.to_string(),
            Value::Time(t) => t.to_string(),
            Value::DateTime(dt) => dt.to_string(),
            Value::Year(y) => y.to_string(),
            Value::YearMonth(y, m) => format!("{y}-{m:02}"),
            Value::Point(lon, lat) => format!("{lon}, {lat}"),
            Value::Json(j) => j.to_string(),
        }
    }

    /// Order of two values of ordered types; `None` when they cannot be
    /// compared (different kinds, NaN, or an unordered type).
    pub(crate) fn compare(&self, other: &Value) -> Option<Ordering> {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
            (Value::Int(a), Value::Num(b)) => (*a as f64).partial_cmp(b),
            (Value::Num(a), Value::Int(b)) => a.partial_cmp(&(*b as f64)),
            (Value::Num(a), Value::Num(b)) => a.partial_cmp(b),
            (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
            (Value::Time(a), Value::Time(b)) => Some(a.cmp(b)),
            (Value::DateTime(a), Value::DateTime(b)) => Some(a.cmp(b)),
            (Value::Year(a), Value::Year(b)) => Some(a.cmp(b)),
            (Value::YearMonth(a, b), Value::YearMonth(c, d)) => Some((a, b).cmp(&(c, d))),
            _ => None,
        }
    }

    /// Length for `minLength`/`maxLength`: characters of a string, items of
    /// a JSON array or object.
    pub(crate) fn length(&self, raw: &str) -> Option<usize> {
        match self {
            Value::Text => Some(raw.chars().count()),
            Value::Json(Json::Array(items)) => Some(items.len()),
            Value::Json(Json::Object(map)) => Some(map.len()),
            _ => None,
        }
    }
}

#[derive(Debug)]
enum GeoFormat {
    Default,
    Array,
    Object,
}

#[derive(Debug)]
enum Kind {
    Text(TextFormat),
    Any,
    Integer(NumberStyle),
    Number(NumberStyle),
    Boolean {
        trues: Vec<String>,
        falses: Vec<String>,
    },
    Date(Temporal),
    Time(Temporal),
    DateTime(Temporal),
    Year,
    YearMonth,
    Duration,
    GeoPoint(GeoFormat),
    GeoJson(&'static [&'static str]),
    Array,
    Object,
}

/// Turns cell text into a [`Value`] for one field's type and format.
#[derive(Debug)]
pub(crate) struct Parser {
    kind: Kind,
    expected: String,
}

const GEOJSON_TYPES: &[&str] = &[
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
    "Feature",
    "FeatureCollection",
];

impl Parser {
    /// Builds the parser; the error says why the format is not usable.
    pub(crate) fn new(ty: FieldType, format: &str, options: &Options) -> Result<Parser, String> {
        let format = format.strip_prefix("fmt:").unwrap_or(format);
        let (kind, expected) = match ty {
            FieldType::String => text_kind(format),
            FieldType::Any => (Kind::Any, "any value".to_owned()),
            FieldType::Integer => (Kind::Integer(style(options)), "an integer".to_owned()),
            FieldType::Number => (Kind::Number(style(options)), "a number".to_owned()),
            FieldType::Boolean => boolean_kind(options),
            FieldType::Date => (
                Kind::Date(Temporal::new(format)?),
                describe("a date", format),
            ),
            FieldType::Time => (
                Kind::Time(Temporal::new(format)?),
                describe("a time", format),
            ),
            FieldType::Datetime => (
                Kind::DateTime(Temporal::new(format)?),
                describe("a datetime", format),
            ),
            FieldType::Year => (Kind::Year, "a year (YYYY)".to_owned()),
            FieldType::Yearmonth => (Kind::YearMonth, "a year and month (YYYY-MM)".to_owned()),
            FieldType::Duration => (Kind::Duration, "an ISO 8601 duration".to_owned()),
            FieldType::Geopoint => geopoint_kind(format)?,
            FieldType::Geojson if format == "topojson" => {
                (Kind::GeoJson(&["Topology"]), "a TopoJSON object".to_owned())
            }
            FieldType::Geojson => (Kind::GeoJson(GEOJSON_TYPES), "a GeoJSON object".to_owned()),
            FieldType::Array => (Kind::Array, "a JSON array".to_owned()),
            FieldType::Object => (Kind::Object, "a JSON object".to_owned()),
        };
        Ok(Parser { kind, expected })
    }

    /// What a valid cell looks like, e.g. "a date in format %Y-%m-%d".
    pub(crate) fn expected(&self) -> &str {
        &self.expected
    }

    /// True for integer and number fields, whose schema bounds are JSON numbers.
    pub(crate) fn is_numeric(&self) -> bool {
        matches!(self.kind, Kind::Integer(_) | Kind::Number(_))
    }

    /// True for types whose values have a length (string, any, array, object).
    pub(crate) fn has_length(&self) -> bool {
        matches!(
            self.kind,
            Kind::Text(_) | Kind::Any | Kind::Array | Kind::Object
        )
    }

    /// True for boolean fields.
    pub(crate) fn is_boolean(&self) -> bool {
        matches!(self.kind, Kind::Boolean { .. })
    }

    /// Parses one cell; `None` when it is not a value of this type and format.
    pub(crate) fn parse(&self, text: &str) -> Option<Value> {
        match &self.kind {
            Kind::Text(format) => format.accepts(text).then_some(Value::Text),
            Kind::Any => Some(Value::Text),
            Kind::Integer(style) => style.integer(text).map(Value::Int),
            Kind::Number(style) => style.number(text).map(Value::Num),
            Kind::Boolean { trues, falses } => parse_boolean(text, trues, falses).map(Value::Bool),
            Kind::Date(format) => parse_date(text, format).map(Value::Date),
            Kind::Time(format) => parse_time(text, format).map(Value::Time),
            Kind::DateTime(format) => parse_datetime(text, format).map(Value::DateTime),
            Kind::Year => parse_year(text).map(Value::Year),
            Kind::YearMonth => parse_year_month(text).map(|(y, m)| Value::YearMonth(y, m)),
            Kind::Duration => is_duration(text).then_some(Value::Text),
            Kind::GeoPoint(format) => parse_geopoint(text, format).map(|(x, y)| Value::Point(x, y)),
            Kind::GeoJson(types) => parse_geojson(text, types).map(Value::Json),
            Kind::Array => parse_json(text).filter(Json::is_array).map(Value::Json),
            Kind::Object => parse_json(text).filter(Json::is_object).map(Value::Json),
        }
    }
}

fn describe(what: &str, format: &str) -> String {
    match format {
        "" | "default" => format!("{what} in ISO 8601 format"),
        "any" => what.to_owned(),
        pattern => format!("{what} in format {pattern}"),
    }
}

fn text_kind(format: &str) -> (Kind, String) {
    let (format, expected) = match format {
        "email" => (TextFormat::Email, "an email address"),
        "uri" => (TextFormat::Uri, "an absolute URI"),
        "uuid" => (TextFormat::Uuid, "a UUID"),
        "binary" => (TextFormat::Binary, "base64 data"),
        _ => (TextFormat::Plain, "a string"),
    };
    (Kind::Text(format), expected.to_owned())
}

fn boolean_kind(options: &Options) -> (Kind, String) {
    let list = |given: &Option<Vec<String>>, default: [&str; 4]| {
        given
            .clone()
            .unwrap_or_else(|| default.iter().map(|s| (*s).to_owned()).collect())
    };
    let trues = list(&options.true_values, ["true", "True", "TRUE", "1"]);
    let falses = list(&options.false_values, ["false", "False", "FALSE", "0"]);
    let expected = format!(
        "a boolean (one of {})",
        trues
            .iter()
            .chain(&falses)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    (Kind::Boolean { trues, falses }, expected)
}

fn geopoint_kind(format: &str) -> Result<(Kind, String), String> {
    match format {
        "" | "default" => Ok((
            Kind::GeoPoint(GeoFormat::Default),
            "a point written \"lon, lat\"".to_owned(),
        )),
        "array" => Ok((
            Kind::GeoPoint(GeoFormat::Array),
            "a point written as a JSON array [lon, lat]".to_owned(),
        )),
        "object" => Ok((
            Kind::GeoPoint(GeoFormat::Object),
            "a point written as a JSON object {\"lon\": …, \"lat\": …}".to_owned(),
        )),
        other => Err(format!("unknown geopoint format `{other}`")),
    }
}

fn style(options: &Options) -> NumberStyle {
    NumberStyle {
        decimal: options.decimal_char.clone().unwrap_or_else(|| ".".into()),
        group: options.group_char.clone().filter(|g| !g.is_empty()),
        bare: options.bare_number.unwrap_or(true),
    }
}

fn parse_geopoint(text: &str, format: &GeoFormat) -> Option<(f64, f64)> {
    let plain = NumberStyle::plain();
    let (lon, lat) = match format {
        GeoFormat::Default => {
            let (lon, lat) = text.split_once(',')?;
            (plain.number(lon.trim())?, plain.number(lat.trim())?)
        }
        GeoFormat::Array => match serde_json::from_str::<Vec<f64>>(text).ok()?.as_slice() {
            [lon, lat] => (*lon, *lat),
            _ => return None,
        },
        GeoFormat::Object => {
            let json = parse_json(text)?;
            (json.get("lon")?.as_f64()?, json.get("lat")?.as_f64()?)
        }
    };
    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some((lon, lat))
}

fn parse_json(text: &str) -> Option<Json> {
    serde_json::from_str(text).ok()
}

/// A JSON object whose `type` is one of the given GeoJSON (or TopoJSON) types.
fn parse_geojson(text: &str, types: &[&str]) -> Option<Json> {
    let json = parse_json(text)?;
    let ty = json.get("type")?.as_str()?;
    types.contains(&ty).then_some(json)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn parser(ty: FieldType, format: &str) -> Parser {
        Parser::new(ty, format, &Options::default()).unwrap()
    }

    /// Asserts which cells parse and which do not.
    fn accepts(parser: &Parser, good: &[&str], bad: &[&str]) {
        for cell in good {
            let expected = parser.expected();
            assert!(
                parser.parse(cell).is_some(),
                "{cell:?} should be {expected}"
            );
        }
        for cell in bad {
            let expected = parser.expected();
            assert!(
                parser.parse(cell).is_none(),
                "{cell:?} should not be {expected}"
            );
        }
    }

    #[test]
    fn each_type_gets_its_parser() {
        accepts(&parser(FieldType::String, "email"), &["a@b.fr"], &["a@b"]);
        accepts(&parser(FieldType::String, "whatever"), &["x"], &[]);
        accepts(&parser(FieldType::Integer, "default"), &["12"], &["1.5"]);
        accepts(&parser(FieldType::Number, "default"), &["1.5"], &["1,5"]);
        accepts(
            &parser(FieldType::Date, "fmt:%d/%m/%Y"),
            &["25/06/2019"],
            &["2019-06-25"],
        );
        accepts(
            &parser(FieldType::Time, "default"),
            &["10:00:00"],
            &["10:00"],
        );
        accepts(
            &parser(FieldType::Datetime, "any"),
            &["2020-01-14 10:00"],
            &["x"],
        );
        accepts(&parser(FieldType::Year, "default"), &["2020"], &["20"]);
        accepts(
            &parser(FieldType::Yearmonth, "default"),
            &["2020-01"],
            &["2020"],
        );
        accepts(&parser(FieldType::Duration, "default"), &["PT1H"], &["1h"]);
        accepts(&parser(FieldType::Any, "default"), &["x", "[oops"], &[]);
    }

    #[test]
    fn expectations_are_readable() {
        let date = parser(FieldType::Date, "%Y-%m-%d");
        assert_eq!(date.expected(), "a date in format %Y-%m-%d");
        let iso = parser(FieldType::Date, "default");
        assert_eq!(iso.expected(), "a date in ISO 8601 format");
        let boolean = parser(FieldType::Boolean, "default");
        assert_eq!(
            boolean.expected(),
            "a boolean (one of true, True, TRUE, 1, false, False, FALSE, 0)"
        );
    }

    #[test]
    fn number_options_are_used() {
        let options = Options {
            decimal_char: Some(",".into()),
            group_char: Some(".".into()),
            ..Options::default()
        };
        let num = Parser::new(FieldType::Number, "default", &options).unwrap();
        assert_eq!(num.parse("1.234,5"), Some(Value::Num(1234.5)));
        assert!(num.is_numeric() && !num.is_boolean() && !num.has_length());
    }

    #[test]
    fn booleans_default_and_custom() {
        let default = parser(FieldType::Boolean, "default");
        assert_eq!(default.parse("TRUE"), Some(Value::Bool(true)));
        assert_eq!(default.parse("0"), Some(Value::Bool(false)));
        accepts(&default, &[], &["vrai", "yes", "t"]);
        let options = Options {
            true_values: Some(vec!["oui".into()]),
            false_values: Some(vec!["non".into()]),
            ..Options::default()
        };
        let custom = Parser::new(FieldType::Boolean, "default", &options).unwrap();
        assert_eq!(custom.parse("non"), Some(Value::Bool(false)));
        accepts(&custom, &["oui"], &["true", "1"]);
        assert!(custom.expected().contains("oui, non"));
    }

    #[test]
    fn geopoints_in_each_format() {
        let default = parser(FieldType::Geopoint, "default");
        let bad = ["2.35", "200, 0", "0, 91", "a, b"];
        accepts(&default, &["2.35, 48.85", "-180,90"], &bad);
        assert_eq!(
            default.parse("2.35, 48.85"),
            Some(Value::Point(2.35, 48.85))
        );
        let array = parser(FieldType::Geopoint, "array");
        let bad = ["[1]", "[1,2,3]", "7.4,48.3", "[\"1\",\"2\"]"];
        accepts(&array, &["[7.48710500,48.345345]"], &bad);
        let object = parser(FieldType::Geopoint, "object");
        accepts(
            &object,
            &[r#"{"lon": 2, "lat": 48}"#],
            &[r#"{"lat": 48}"#, "[2,48]"],
        );
        assert!(Parser::new(FieldType::Geopoint, "wkt", &Options::default()).is_err());
    }

    #[test]
    fn json_types() {
        accepts(
            &parser(FieldType::Array, "default"),
            &["[]", "[1,\"a\"]"],
            &["{}", "1,2"],
        );
        accepts(
            &parser(FieldType::Object, "default"),
            &["{\"a\":1}"],
            &["[]", "a=1"],
        );
        let point = r#"{"type":"Point","coordinates":[1,2]}"#;
        let geojson = parser(FieldType::Geojson, "default");
        accepts(&geojson, &[point], &[r#"{"type":"Circle"}"#, "[]"]);
        let topojson = parser(FieldType::Geojson, "topojson");
        accepts(&topojson, &[r#"{"type":"Topology"}"#], &[point]);
    }

    #[test]
    fn keys_and_comparisons() {
        assert_eq!(Value::Num(1.0).key("1.0"), "1");
        assert_eq!(Value::Text.key("abc"), "abc");
        assert_eq!(Value::YearMonth(2020, 5).key("2020-05"), "2020-05");
        assert_eq!(
            Value::Int(2).compare(&Value::Num(2.5)),
            Some(Ordering::Less)
        );
        assert_eq!(Value::Num(f64::NAN).compare(&Value::Num(1.0)), None);
        assert_eq!(Value::Text.compare(&Value::Text), None);
        assert_eq!(Value::Text.length("été"), Some(3));
        let array = Value::Json(serde_json::json!([1, 2]));
        assert_eq!(array.length("[1,2]"), Some(2));
        assert_eq!(Value::Int(3).length("3"), None);
    }
}
