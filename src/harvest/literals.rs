//! Literals whose lexical form does not fit their datatype. Real feeds carry dates such as
//! `1999-4-4`, `2010-04` or `2011-15-01` typed `xsd:date`, and times with second 75; we
//! never serve an ill-typed literal again. One is repaired when its meaning is plain
//! (`1999-4-4` → `1999-04-04`, `2010-04` → an `xsd:gYearMonth`, a date typed
//! `xsd:dateTime` → an `xsd:date`), else dropped; each with a note for the job's report.

use oxigraph::model::vocab::xsd;
use oxigraph::model::{Graph, Literal, NamedNodeRef, TermRef, Triple};
use oxsdatatypes::{
    Boolean, Date, DateTime, DayTimeDuration, Decimal, Double, Duration, Float, GDay, GMonth,
    GMonthDay, GYear, GYearMonth, Time, YearMonthDuration,
};
use std::str::FromStr;

/// Repairs or drops, in place, every literal of `graph` whose lexical form does not fit
/// its XML Schema datatype; one note per change.
pub fn repair_literals(graph: &mut Graph) -> Vec<String> {
    let mut notes = Vec::new();
    let mut changes: Vec<(Triple, Option<Triple>)> = Vec::new();
    for triple in graph.iter() {
        let TermRef::Literal(literal) = triple.object else {
            continue;
        };
        let datatype = literal.datatype();
        if fits(datatype, literal.value()) != Some(false) {
            continue;
        }
        let shown = format!("{:?}^^{}", literal.value(), short(datatype));
        let replacement = repaired(datatype, literal.value());
        let note = match &replacement {
            Some(better) => format!(
                "{} {}: {shown} repaired as {:?}^^{}",
                triple.subject,
                triple.predicate,
                better.value(),
                short(better.datatype())
            ),
            None => format!(
                "{} {}: {shown} dropped: not a valid {} and its meaning is not plain",
                triple.subject,
                triple.predicate,
                short(datatype)
            ),
        };
        notes.push(note);
        let old = triple.into_owned();
        let new = replacement.map(|l| Triple::new(old.subject.clone(), old.predicate.clone(), l));
        changes.push((old, new));
    }
    for (old, new) in changes {
        graph.remove(&old);
        if let Some(new) = new {
            graph.insert(&new);
        }
    }
    notes
}

/// `xsd:date` for the datatype's IRI.
fn short(datatype: NamedNodeRef<'_>) -> String {
    match datatype
        .as_str()
        .strip_prefix(xsd::DATE.as_str().trim_end_matches("date"))
    {
        Some(local) => format!("xsd:{local}"),
        None => format!("<{}>", datatype.as_str()),
    }
}

/// Whether `text` is a valid lexical form of `datatype`; `None` for a datatype we do not
/// check (strings, language strings, IRIs, datatypes outside XML Schema).
fn fits(datatype: NamedNodeRef<'_>, text: &str) -> Option<bool> {
    fn ok<T: FromStr>(text: &str) -> bool {
        T::from_str(text).is_ok()
    }
    // Integers by their lexical form (any size), then their type's bounds.
    let integer =
        |lowest: i128, highest: i128| whole(text).is_some_and(|n| (lowest..=highest).contains(&n));
    let unbounded = |check: fn(&str) -> bool| {
        let digits = text.trim_start_matches(['+', '-']);
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) && check(text)
    };
    Some(
        match datatype
            .as_str()
            .strip_prefix("http://www.w3.org/2001/XMLSchema#")?
        {
            "date" => ok::<Date>(text),
            "dateTime" => ok::<DateTime>(text),
            "dateTimeStamp" => {
                DateTime::from_str(text).is_ok_and(|d| d.timezone_offset().is_some())
            }
            "time" => ok::<Time>(text),
            "gYear" => ok::<GYear>(text),
            "gYearMonth" => ok::<GYearMonth>(text),
            "gMonthDay" => ok::<GMonthDay>(text),
            "gMonth" => ok::<GMonth>(text),
            "gDay" => ok::<GDay>(text),
            "duration" => ok::<Duration>(text),
            "dayTimeDuration" => ok::<DayTimeDuration>(text),
            "yearMonthDuration" => ok::<YearMonthDuration>(text),
            "boolean" => ok::<Boolean>(text),
            "decimal" => ok::<Decimal>(text),
            "double" => ok::<Double>(text),
            "float" => ok::<Float>(text),
            "integer" => unbounded(|_| true),
            "nonNegativeInteger" => {
                unbounded(|t| !t.starts_with('-') || t.trim_start_matches(['-', '0']).is_empty())
            }
            "positiveInteger" => {
                unbounded(|t| !t.starts_with('-') && !t.trim_start_matches(['+', '0']).is_empty())
            }
            "nonPositiveInteger" => {
                unbounded(|t| t.starts_with('-') || t.trim_start_matches(['+', '0']).is_empty())
            }
            "negativeInteger" => {
                unbounded(|t| t.starts_with('-') && !t.trim_start_matches(['-', '0']).is_empty())
            }
            "long" => integer(i64::MIN.into(), i64::MAX.into()),
            "int" => integer(i32::MIN.into(), i32::MAX.into()),
            "short" => integer(i16::MIN.into(), i16::MAX.into()),
            "byte" => integer(i8::MIN.into(), i8::MAX.into()),
            "unsignedLong" => integer(0, u64::MAX.into()),
            "unsignedInt" => integer(0, u32::MAX.into()),
            "unsignedShort" => integer(0, u16::MAX.into()),
            "unsignedByte" => integer(0, u8::MAX.into()),
            _ => return None,
        },
    )
}

/// `text` as a whole number, if it is one that fits 128 bits (an optional sign, digits).
fn whole(text: &str) -> Option<i128> {
    let digits = text.trim_start_matches(['+', '-']);
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// The literal `text` of `datatype` means, when its meaning is plain.
fn repaired(datatype: NamedNodeRef<'_>, text: &str) -> Option<Literal> {
    let trimmed = text.trim();
    if trimmed != text && fits(datatype, trimmed) == Some(true) {
        return Some(Literal::new_typed_literal(trimmed, datatype));
    }
    if datatype == xsd::DATE || datatype == xsd::DATE_TIME {
        return repaired_date(trimmed);
    }
    None
}

/// A date or date-time written loosely: one-digit months and days, a space for the `T`,
/// a year and month only, a year only, a date typed as a date-time or the reverse.
fn repaired_date(text: &str) -> Option<Literal> {
    let (day, time) = match text.split_once(['T', ' ']) {
        Some((day, time)) => (day, Some(time)),
        None => (text, None),
    };
    let parts: Vec<&str> = day.split('-').collect();
    let digits = |p: &str, most: usize| {
        !p.is_empty() && p.len() <= most && p.chars().all(|c| c.is_ascii_digit())
    };
    let year_first = parts.first().is_some_and(|y| y.len() == 4 && digits(y, 4));
    if !year_first || !parts.iter().skip(1).all(|p| digits(p, 2)) {
        return None;
    }
    let padded: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(n, p)| {
            if n == 0 {
                (*p).to_owned()
            } else {
                format!("{p:0>2}")
            }
        })
        .collect();
    let typed = |value: String, datatype: NamedNodeRef<'_>| {
        (fits(datatype, &value) == Some(true)).then(|| Literal::new_typed_literal(value, datatype))
    };
    match (padded.len(), time) {
        (3, None) => typed(padded.join("-"), xsd::DATE),
        (3, Some(time)) => typed(format!("{}T{time}", padded.join("-")), xsd::DATE_TIME),
        (2, None) => typed(padded.join("-"), xsd::G_YEAR_MONTH),
        (1, None) => typed(padded.join("-"), xsd::G_YEAR),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;

    fn repair(value: &str, datatype: NamedNodeRef<'_>) -> (Option<(String, String)>, Vec<String>) {
        let subject = NamedNode::new_unchecked("http://ex.org/d");
        let predicate = NamedNode::new_unchecked("http://purl.org/dc/terms/issued");
        let mut graph = Graph::new();
        graph.insert(&Triple::new(
            subject.clone(),
            predicate.clone(),
            Literal::new_typed_literal(value, datatype),
        ));
        let notes = repair_literals(&mut graph);
        let kept = graph.iter().next().and_then(|t| match t.object {
            TermRef::Literal(l) => Some((l.value().to_owned(), short(l.datatype()))),
            _ => None,
        });
        (kept, notes)
    }

    fn kept(value: &str, datatype: &str) -> Option<(String, String)> {
        Some((value.to_owned(), datatype.to_owned()))
    }

    #[test]
    fn plain_meanings_are_repaired() {
        assert_eq!(
            repair("1999-4-4", xsd::DATE).0,
            kept("1999-04-04", "xsd:date")
        );
        assert_eq!(
            repair("2010-04", xsd::DATE).0,
            kept("2010-04", "xsd:gYearMonth")
        );
        assert_eq!(repair("2010", xsd::DATE).0, kept("2010", "xsd:gYear"));
        assert_eq!(
            repair(" 2010-04-04 ", xsd::DATE).0,
            kept("2010-04-04", "xsd:date")
        );
        assert_eq!(
            repair("2010-04-04", xsd::DATE_TIME).0,
            kept("2010-04-04", "xsd:date")
        );
        assert_eq!(
            repair("2010-4-4 10:30:00", xsd::DATE_TIME).0,
            kept("2010-04-04T10:30:00", "xsd:dateTime")
        );
        assert_eq!(
            repair("2010-04-04T10:30:00", xsd::DATE).0,
            kept("2010-04-04T10:30:00", "xsd:dateTime")
        );
        let (_, notes) = repair("1999-4-4", xsd::DATE);
        assert_eq!(
            notes,
            [
                r#"<http://ex.org/d> <http://purl.org/dc/terms/issued>: "1999-4-4"^^xsd:date repaired as "1999-04-04"^^xsd:date"#
            ]
        );
    }

    #[test]
    fn unclear_meanings_are_dropped_with_a_note() {
        for (value, datatype) in [
            ("2011-15-01", xsd::DATE),
            ("2010-01-35", xsd::DATE),
            ("2010-01-01T10:00:75", xsd::DATE_TIME),
            ("04/04/2010", xsd::DATE),
            ("12.5 MB", xsd::DECIMAL),
            ("-3", xsd::NON_NEGATIVE_INTEGER),
            ("yes", xsd::BOOLEAN),
            ("300", xsd::BYTE),
            ("5000000000", xsd::INT),
            ("70000", xsd::UNSIGNED_SHORT),
            ("2010-04-04T10:00:00", xsd::DATE_TIME_STAMP),
            ("P1Y", xsd::DAY_TIME_DURATION),
            ("0", xsd::POSITIVE_INTEGER),
        ] {
            let (kept, notes) = repair(value, datatype);
            assert_eq!(kept, None, "{value}");
            assert_eq!(notes.len(), 1, "{value}");
            assert!(notes[0].contains("dropped"), "{notes:?}");
        }
    }

    #[test]
    fn valid_and_unchecked_literals_are_left_alone() {
        for (value, datatype) in [
            ("2010-04-04", xsd::DATE),
            ("2010-04-04T10:00:00Z", xsd::DATE_TIME),
            ("2048", xsd::NON_NEGATIVE_INTEGER),
            ("anything", xsd::STRING),
            ("P1Y", xsd::DURATION),
            ("123456789012345678901234567890", xsd::INTEGER),
            ("18446744073709551615", xsd::UNSIGNED_LONG),
            ("-128", xsd::BYTE),
            ("P1Y", xsd::YEAR_MONTH_DURATION),
            ("2010-04-04T10:00:00Z", xsd::DATE_TIME_STAMP),
        ] {
            let (kept, notes) = repair(value, datatype);
            assert!(notes.is_empty(), "{value}: {notes:?}");
            assert_eq!(kept.map(|k| k.0), Some(value.to_owned()));
        }
    }
}
