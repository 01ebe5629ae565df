//! Times as the catalog keeps them: milliseconds since 1970, UTC, written as `xsd:dateTime`
//! to the millisecond. One module so that the feed's order, the history and the records'
//! `dct:modified` read and write times the same way.

use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, TermRef};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The current time in milliseconds since 1970.
pub fn now_millis() -> i64 {
    to_millis(OffsetDateTime::now_utc())
}

/// Milliseconds since 1970 of a parsed time, saturating.
pub fn to_millis(time: OffsetDateTime) -> i64 {
    i64::try_from(time.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// A duration in milliseconds, saturating.
pub fn duration_millis(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// A time in milliseconds as RFC 3339 text, to the millisecond, in UTC.
pub fn millis_text(millis: i64) -> String {
    let time = OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    time.format(&format)
        .unwrap_or_else(|_| "1970-01-01T00:00:00.000Z".to_owned())
}

/// A time in milliseconds as an `xsd:dateTime` literal, to the millisecond, in UTC.
pub fn millis_literal(millis: i64) -> Literal {
    Literal::new_typed_literal(millis_text(millis), xsd::DATE_TIME)
}

/// Parses an `xsd:dateTime` (or `xsd:date`, at midnight UTC) literal.
pub fn parse_date_time(term: TermRef<'_>) -> Option<OffsetDateTime> {
    let TermRef::Literal(literal) = term else {
        return None;
    };
    let value = literal.value();
    if literal.datatype() == xsd::DATE_TIME {
        OffsetDateTime::parse(value, &Rfc3339).ok()
    } else if literal.datatype() == xsd::DATE {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        time::Date::parse(value.get(..10)?, &format)
            .ok()
            .map(|d| d.midnight().assume_utc())
    } else {
        None
    }
}

/// An ISO 8601 date (midnight UTC) or date-time typed by a person or a client; without an
/// offset, UTC. A `+` left unescaped in a URL arrives as a space and is read back as `+`.
pub fn parse_instant(text: &str) -> Option<i64> {
    let text = text.trim().replace(' ', "+");
    if let Ok(t) = OffsetDateTime::parse(&text, &Rfc3339) {
        return Some(to_millis(t));
    }
    let local = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    if let Ok(t) = time::PrimitiveDateTime::parse(&text, &local) {
        return Some(to_millis(t.assume_utc()));
    }
    let date = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(&text, &date)
        .ok()
        .map(|d| to_millis(d.midnight().assume_utc()))
}

/// Month names, January first.
const MONTHS: [[&str; 12]; 2] = [
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
];

/// A day (`2025-10-01`) as people write it: `1 October 2025`, `1er octobre 2025`. Anything
/// else is returned as it is.
pub fn spoken_day(day: &str, language: &str) -> String {
    let mut parts = day.splitn(3, '-');
    let (Some(year), Some(month), Some(date)) = (parts.next(), parts.next(), parts.next()) else {
        return day.to_owned();
    };
    let (Ok(month), Ok(date)) = (month.parse::<usize>(), date.parse::<u8>()) else {
        return day.to_owned();
    };
    let french = language == "fr";
    match MONTHS[usize::from(french)].get(month.wrapping_sub(1)) {
        Some(name) if year.len() == 4 && (1..=31).contains(&date) => match (french, date) {
            (true, 1) => format!("1er {name} {year}"),
            _ => format!("{date} {name} {year}"),
        },
        _ => day.to_owned(),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn stored_times_sort_by_their_instant_not_their_text() {
        // How the store gives back `.120Z` and `.125Z`: canonically, trailing zeros gone.
        let (earlier, later) = ("2026-12-07T22:10:00.12Z", "2026-12-07T22:10:00.125Z");
        assert!(earlier > later, "as text, the earlier sorts last");
        assert!(parse_instant(earlier) < parse_instant(later));
    }

    use super::*;

    #[test]
    fn millis_round_trip_through_text() {
        let millis = 1_765_000_000_123;
        assert_eq!(millis_text(millis), "2025-12-06T05:46:40.123Z");
        let literal = millis_literal(millis);
        let parsed = parse_date_time(TermRef::Literal(literal.as_ref())).map(to_millis);
        assert_eq!(parsed, Some(millis));
    }

    #[test]
    fn dates_are_midnight_utc_and_other_literals_no_time() {
        let date = Literal::new_typed_literal("2024-03-01", xsd::DATE);
        let parsed = parse_date_time(TermRef::Literal(date.as_ref())).map(to_millis);
        assert_eq!(parsed, parse_instant("2024-03-01T00:00:00Z"));
        let text = Literal::new_simple_literal("2024-03-01");
        assert_eq!(parse_date_time(TermRef::Literal(text.as_ref())), None);
    }

    #[test]
    fn instants_accept_dates_local_times_and_an_unescaped_plus() {
        let utc = parse_instant("2024-03-01T10:00:00Z");
        assert_eq!(parse_instant("2024-03-01T10:00:00"), utc);
        assert_eq!(parse_instant("2024-03-01T11:00:00 01:00"), utc);
        assert!(parse_instant("2024-03-01").is_some());
        assert_eq!(parse_instant("yesterday"), None);
    }
}
