//! Parses the simple lexical forms of Table Schema: numbers (with
//! `decimalChar`, `groupChar`, `bareNumber`), booleans, and the string
//! formats `email`, `uri`, `uuid` and `binary`.

/// How a field writes numbers: its `decimalChar`, `groupChar` and `bareNumber`.
#[derive(Debug)]
pub(crate) struct NumberStyle {
    pub decimal: String,
    pub group: Option<String>,
    pub bare: bool,
}

impl NumberStyle {
    /// Table Schema's defaults: `.` for decimals, no grouping, bare numbers.
    pub(crate) fn plain() -> Self {
        NumberStyle {
            decimal: ".".into(),
            group: None,
            bare: true,
        }
    }

    /// Rewrites `text` in Rust's number syntax.
    fn clean(&self, text: &str) -> String {
        let mut s = text.to_owned();
        if let Some(group) = &self.group {
            s = s.replace(group.as_str(), "");
        }
        if self.decimal != "." {
            s = s.replace(self.decimal.as_str(), ".");
        }
        if !self.bare {
            // Drop leading and trailing text such as "€" or "%".
            let start = |c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.');
            s = s
                .trim_start_matches(|c| !start(c))
                .trim_end_matches(|c: char| !c.is_ascii_digit() && c != '.')
                .to_owned();
        }
        s
    }

    pub(crate) fn integer(&self, text: &str) -> Option<i128> {
        self.clean(text).parse().ok()
    }

    /// A decimal or float number, or `NaN`, `INF`, `-INF`.
    pub(crate) fn number(&self, text: &str) -> Option<f64> {
        let s = self.clean(text);
        let lexical = |c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E');
        match s.as_str() {
            "NaN" => Some(f64::NAN),
            "INF" | "+INF" => Some(f64::INFINITY),
            "-INF" => Some(f64::NEG_INFINITY),
            s if s.contains(|c: char| c.is_ascii_digit()) && s.chars().all(lexical) => {
                s.parse().ok()
            }
            _ => None,
        }
    }
}

/// A boolean is exactly one of the field's `trueValues` or `falseValues`.
pub(crate) fn parse_boolean(text: &str, trues: &[String], falses: &[String]) -> Option<bool> {
    if trues.iter().any(|t| t == text) {
        Some(true)
    } else if falses.iter().any(|f| f == text) {
        Some(false)
    } else {
        None
    }
}

/// The `format` of a string field.
#[derive(Debug)]
pub(crate) enum TextFormat {
    Plain,
    Email,
    Uri,
    Uuid,
    Binary,
}

impl TextFormat {
    /// Whether `text` is a string of this format.
    pub(crate) fn accepts(&self, text: &str) -> bool {
        match self {
            TextFormat::Plain => true,
            TextFormat::Email => is_email(text),
            TextFormat::Uri => is_uri(text),
            TextFormat::Uuid => is_uuid(text),
            TextFormat::Binary => is_base64(text),
        }
    }
}

/// A pragmatic check: `local@domain.tld`, no spaces.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let labels_ok = domain.split('.').count() >= 2 && domain.split('.').all(|l| !l.is_empty());
    !local.is_empty() && !domain.contains('@') && labels_ok && !text.contains(char::is_whitespace)
}

/// An absolute URI (RFC 3986): a scheme, a colon, then no spaces or
/// characters that must be percent-encoded.
fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let forbidden = |c: char| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c);
    scheme_ok && !rest.is_empty() && !rest.contains(forbidden)
}

fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    text.len().is_multiple_of(4)
        && text.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn formats(format: TextFormat, good: &[&str], bad: &[&str]) {
        good.iter().for_each(|t| assert!(format.accepts(t), "{t}"));
        bad.iter().for_each(|t| assert!(!format.accepts(t), "{t}"));
    }

    #[test]
    fn string_formats() {
        let good = ["a@b.fr", "contact@societe-amenageur.com"];
        let bad = ["a@b", "@b.fr", "a b@c.fr", "a@@b.fr", "a@b..fr"];
        formats(TextFormat::Email, &good, &bad);
        let good = ["https://www.exemple.fr/x/", "urn:isbn:123", "mailto:a@b.fr"];
        let bad = [
            "www.exemple.fr",
            "https://a b",
            "1http://x",
            "http:",
            "http://a<b",
        ];
        formats(TextFormat::Uri, &good, &bad);
        let good = ["123e4567-e89b-12d3-a456-426614174000"];
        let bad = [
            "123e4567e89b12d3a456426614174000",
            "123e4567-e89b-12d3-a456-42661417400g",
        ];
        formats(TextFormat::Uuid, &good, &bad);
        formats(
            TextFormat::Binary,
            &["aGk=", "aGVsbG8h"],
            &["aGk", "a=Gk", "aG==="],
        );
        formats(TextFormat::Plain, &["anything", ""], &[]);
    }

    #[test]
    fn integers() {
        let plain = NumberStyle::plain();
        assert_eq!(plain.integer("+7"), Some(7));
        assert_eq!(plain.integer("-12"), Some(-12));
        assert_eq!(
            plain.integer("12345678901234567890"),
            Some(12345678901234567890)
        );
        let bad = ["1.0", "1e3", "", "1 000", "0x10"];
        assert!(bad.iter().all(|t| plain.integer(t).is_none()));
    }

    #[test]
    fn numbers() {
        let plain = NumberStyle::plain();
        assert_eq!(plain.number("2.50"), Some(2.5));
        assert_eq!(plain.number("1e3"), Some(1000.0));
        assert_eq!(plain.number(".5"), Some(0.5));
        assert!(plain.number("NaN").is_some_and(f64::is_nan));
        assert_eq!(plain.number("-INF"), Some(f64::NEG_INFINITY));
        let bad = ["1,5", "inf", "e", "1..2", "infinity", "+"];
        assert!(bad.iter().all(|t| plain.number(t).is_none()));
    }

    #[test]
    fn number_options() {
        let french = NumberStyle {
            decimal: ",".into(),
            group: Some(" ".into()),
            bare: false,
        };
        assert_eq!(french.number("1 234,5 €"), Some(1234.5));
        assert_eq!(french.number("95%"), Some(95.0));
        assert_eq!(french.integer("EUR 1 000"), Some(1000));
    }

    #[test]
    fn booleans() {
        let trues = ["vrai".to_owned()];
        let falses = ["faux".to_owned()];
        assert_eq!(parse_boolean("vrai", &trues, &falses), Some(true));
        assert_eq!(parse_boolean("faux", &trues, &falses), Some(false));
        assert_eq!(parse_boolean("Vrai", &trues, &falses), None);
    }
}
