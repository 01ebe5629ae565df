//! The types a Table Schema field may have: named by the schema, read by the cell parser.

use serde::{Deserialize, Serialize};

/// A field's `type`. Table Schema's default, when `type` is absent, is `string`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// Text, maybe with format `email`, `uri`, `uuid` or `binary`.
    #[default]
    String,
    /// A decimal or float number.
    Number,
    /// A whole number.
    Integer,
    /// One of the field's `trueValues` or `falseValues`.
    Boolean,
    /// A JSON object.
    Object,
    /// A JSON array.
    Array,
    /// A calendar date.
    Date,
    /// A time of day.
    Time,
    /// A date and time.
    Datetime,
    /// A calendar year.
    Year,
    /// A year and month.
    Yearmonth,
    /// An ISO 8601 duration.
    Duration,
    /// A longitude and latitude.
    Geopoint,
    /// A GeoJSON (or TopoJSON) object.
    Geojson,
    /// Any text at all.
    Any,
}
