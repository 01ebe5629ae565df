//! Parses the date and time types of Table Schema: `date`, `time` and
//! `datetime` (format `default`, `any` or a strftime pattern), `year`,
//! `yearmonth` and `duration`.

use time::format_description::well_known::Rfc3339;
use time::format_description::{BorrowedFormatItem, OwnedFormatItem};
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// The `format` of a date, time or datetime field.
#[derive(Debug)]
pub(crate) enum Temporal {
    /// ISO 8601: `YYYY-MM-DD`, `hh:mm:ss`, `YYYY-MM-DDThh:mm:ss[Z]`.
    Default,
    /// A few common forms (see `ANY_DATES` and friends).
    Any,
    /// A Python/C strftime pattern such as `%d/%m/%Y`.
    Pattern(OwnedFormatItem),
}

impl Temporal {
    /// Reads a field's format; a pattern is compiled once here.
    pub(crate) fn new(format: &str) -> Result<Temporal, String> {
        match format {
            "" | "default" => Ok(Temporal::Default),
            "any" => Ok(Temporal::Any),
            pattern if pattern.contains('%') => {
                time::format_description::parse_strftime_owned(pattern)
                    .map(Temporal::Pattern)
                    .map_err(|e| format!("invalid date/time format `{pattern}`: {e}"))
            }
            other => Err(format!(
                "unknown date/time format `{other}` (expected default, any or a strftime pattern)"
            )),
        }
    }
}

const ISO_DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");
const ISO_TIME: &[BorrowedFormatItem<'static>] =
    format_description!("[hour]:[minute]:[second][optional [.[subsecond]]]");
const ISO_NAIVE_DATETIME: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]");
/// Forms accepted by the `any` date format, tried in order.
const ANY_DATES: &[&[BorrowedFormatItem<'static>]] = &[
    ISO_DATE,
    format_description!("[year]/[month]/[day]"),
    format_description!("[day]/[month]/[year]"),
    format_description!("[month]/[day]/[year]"),
    format_description!("[day].[month].[year]"),
    format_description!("[day]-[month]-[year]"),
    format_description!("[year][month][day]"),
];
/// Forms accepted by the `any` time format besides the default.
const ANY_TIMES: &[&[BorrowedFormatItem<'static>]] =
    &[format_description!("[hour padding:none]:[minute]")];
/// Forms accepted by the `any` datetime format besides the default.
const ANY_DATETIMES: &[&[BorrowedFormatItem<'static>]] = &[
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second][optional [.[subsecond]]]"),
    format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    format_description!("[year]-[month]-[day] [hour]:[minute]"),
];

pub(crate) fn parse_date(text: &str, format: &Temporal) -> Option<Date> {
    match format {
        Temporal::Default => Date::parse(text, ISO_DATE).ok(),
        Temporal::Any => ANY_DATES.iter().find_map(|f| Date::parse(text, f).ok()),
        Temporal::Pattern(item) => Date::parse(text, item).ok(),
    }
}

pub(crate) fn parse_time(text: &str, format: &Temporal) -> Option<Time> {
    match format {
        Temporal::Default => Time::parse(text, ISO_TIME).ok(),
        Temporal::Any => Time::parse(text, ISO_TIME)
            .ok()
            .or_else(|| ANY_TIMES.iter().find_map(|f| Time::parse(text, f).ok())),
        Temporal::Pattern(item) => Time::parse(text, item).ok(),
    }
}

/// Datetimes with an offset are brought to UTC so that they compare.
pub(crate) fn parse_datetime(text: &str, format: &Temporal) -> Option<PrimitiveDateTime> {
    let utc = |dt: OffsetDateTime| {
        let dt = dt.to_offset(UtcOffset::UTC);
        PrimitiveDateTime::new(dt.date(), dt.time())
    };
    let default = || {
        OffsetDateTime::parse(text, &Rfc3339)
            .ok()
            .map(utc)
            .or_else(|| PrimitiveDateTime::parse(text, ISO_NAIVE_DATETIME).ok())
    };
    match format {
        Temporal::Default => default(),
        Temporal::Any => default().or_else(|| {
            ANY_DATETIMES
                .iter()
                .find_map(|f| PrimitiveDateTime::parse(text, f).ok())
        }),
        Temporal::Pattern(item) => PrimitiveDateTime::parse(text, item)
            .ok()
            .or_else(|| OffsetDateTime::parse(text, item).ok().map(utc)),
    }
}

/// An XML Schema `gYear`: at least four digits, maybe a leading minus.
pub(crate) fn parse_year(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.len() < 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// An XML Schema `gYearMonth`: `YYYY-MM`.
pub(crate) fn parse_year_month(text: &str) -> Option<(i64, u8)> {
    let (year, month) = text.rsplit_once('-')?;
    if month.len() != 2 || !month.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month: u8 = month.parse().ok().filter(|m| (1..=12).contains(m))?;
    Some((parse_year(year)?, month))
}

/// An ISO 8601 duration such as `P1Y2M3DT4H5M6.5S`.
pub(crate) fn is_duration(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    let date_parts = designated(date, "YMWD");
    let time_parts = time.map_or(Some(0), |t| designated(t, "HMS").filter(|&n| n > 0));
    matches!((date_parts, time_parts), (Some(d), Some(t)) if d + t > 0)
}

/// Counts the `<number><letter>` parts of a duration, whose letters must
/// come in the given order; `None` when malformed.
fn designated(mut text: &str, mut letters: &str) -> Option<usize> {
    let mut count = 0;
    while !text.is_empty() {
        let end = text.find(|c: char| c.is_ascii_alphabetic())?;
        let (number, rest) = text.split_at(end);
        let letter = rest.chars().next()?;
        let numeric = number.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        if !numeric || number.parse::<f64>().is_err() {
            return None;
        }
        letters = &letters[letters.find(letter)? + 1..];
        text = &rest[1..];
        count += 1;
    }
    Some(count)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn format(text: &str) -> Temporal {
        Temporal::new(text).unwrap()
    }

    fn dates(format: &Temporal, good: &[&str], bad: &[&str]) {
        good.iter()
            .for_each(|d| assert!(parse_date(d, format).is_some(), "{d}"));
        bad.iter()
            .for_each(|d| assert!(parse_date(d, format).is_none(), "{d}"));
    }

    #[test]
    fn dates_in_each_format() {
        let bad = ["25/06/2019", "2019-02-30", "2019-6-25"];
        dates(&format("default"), &["2019-06-25"], &bad);
        dates(
            &format("%Y-%m-%d"),
            &["2019-06-25"],
            &["24-06-2019", "2019-06-25T00:00"],
        );
        dates(&format("%d/%m/%Y"), &["25/06/2019"], &["2019-06-25"]);
        let any = ["2019-06-25", "25/06/2019", "20190625", "25.06.2019"];
        dates(&format("any"), &any, &["soon", "2019-13-45"]);
    }

    #[test]
    fn times() {
        let iso = format("default");
        assert!(parse_time("08:30:00", &iso).is_some());
        assert!(parse_time("23:59:59.5", &iso).is_some());
        assert!(parse_time("8:30", &iso).is_none());
        assert!(parse_time("25:00:00", &iso).is_none());
        assert!(parse_time("8:30", &format("any")).is_some());
        assert!(parse_time("08:30", &format("%H:%M")).is_some());
        assert!(parse_time("08:30:00", &format("%H:%M")).is_none());
    }

    #[test]
    fn datetimes_are_compared_in_utc() {
        let iso = format("default");
        let with_offset = parse_datetime("2020-01-14T10:00:00+02:00", &iso).unwrap();
        assert_eq!(
            Some(with_offset),
            parse_datetime("2020-01-14T08:00:00Z", &iso)
        );
        assert!(parse_datetime("2020-01-14T10:00:00", &iso).is_some());
        assert!(parse_datetime("2020-01-14", &iso).is_none());
        assert!(parse_datetime("2020-01-14 10:00:00", &iso).is_none());
        assert!(parse_datetime("2020-01-14 10:00", &format("any")).is_some());
        let pattern = format("%d/%m/%Y %H:%M");
        assert!(parse_datetime("14/01/2020 10:00", &pattern).is_some());
    }

    #[test]
    fn years_and_year_months() {
        assert_eq!(parse_year("2020"), Some(2020));
        assert_eq!(parse_year("-0044"), Some(-44));
        assert!(
            ["20", "2020a", "+2020"]
                .iter()
                .all(|y| parse_year(y).is_none())
        );
        assert_eq!(parse_year_month("2020-05"), Some((2020, 5)));
        let bad = ["2020-5", "2020-13", "2020", "2020-+5"];
        assert!(bad.iter().all(|y| parse_year_month(y).is_none()));
    }

    #[test]
    fn durations() {
        let good = ["P1Y2M3DT4H5M6.5S", "PT1H", "P2W", "P1D"];
        assert!(good.iter().all(|d| is_duration(d)));
        let bad = ["P", "PT", "1Y", "P1H", "PT1Y", "P1D2Y", "P-1D", "P1DT"];
        assert!(bad.iter().all(|d| !is_duration(d)), "{bad:?}");
    }

    #[test]
    fn unusable_formats_are_rejected() {
        assert!(Temporal::new("DD/MM/YYYY").is_err());
        assert!(Temporal::new("%Q").is_err());
    }
}
