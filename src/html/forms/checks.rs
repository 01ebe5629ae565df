//! The checks a form makes of what a person typed in a field, before anything is written:
//! each mistake told by its field, all of them at once.

use super::FieldError;

/// The mistakes found so far in a form's fields.
#[derive(Debug, Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    /// Tells `key` by `field` when `value` is given and fails `test` (an empty field is
    /// never a mistake here; what is required is the profile's to say).
    pub fn check(&mut self, field: &str, value: &str, test: fn(&str) -> bool, key: &'static str) {
        if !value.is_empty() && !test(value) {
            self.tell(field, key);
        }
    }

    /// Tells `key` by `field`.
    pub fn tell(&mut self, field: &str, key: &'static str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            key,
        });
    }

    /// `model` if nothing was told, else every mistake.
    pub fn done<T>(self, model: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(model())
        } else {
            Err(self.0)
        }
    }
}

/// The non-empty lines of a text area, trimmed.
pub fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// Whether every line of `text` is an absolute IRI.
pub fn all_iris(text: &str) -> bool {
    lines_of(text).all(is_iri)
}

/// Words separated by commas or semicolons.
pub fn split_words(words: &str) -> Vec<String> {
    words
        .split([',', ';'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An absolute IRI.
pub fn is_iri(value: &str) -> bool {
    oxigraph::model::NamedNode::new(value).is_ok() && value.contains(':')
}

/// An absolute `http(s)` URL: never `javascript:` or `data:`, which a page would turn
/// into a link.
pub fn is_web_url(value: &str) -> bool {
    crate::model::is_web_url(value)
}

/// An email address.
pub fn is_email(value: &str) -> bool {
    crate::model::is_email(value)
}

/// A day, `YYYY-MM-DD`.
pub fn is_date(value: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(value, &format).is_ok()
}

/// An id we can mint an IRI with.
pub fn is_id(value: &str) -> bool {
    crate::model::RecordId::parse(value).is_ok()
}

/// `Some(value)` unless it is empty.
pub fn text(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_are_no_mistake_and_every_mistake_is_told() {
        let mut checks = Checks::default();
        checks.check("homepage", "", is_web_url, "field_bad_url");
        checks.check(
            "homepage",
            "javascript:alert(1)",
            is_web_url,
            "field_bad_url",
        );
        checks.check("issued", "2025-02-30", is_date, "field_bad_date");
        checks.check(
            "creator",
            "https://orcid.org/x\nnot an iri",
            all_iris,
            "field_bad_iri",
        );
        let told = checks.done(|| ()).err().unwrap_or_default();
        let fields: Vec<_> = told.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["homepage", "issued", "creator"]);
    }
}
