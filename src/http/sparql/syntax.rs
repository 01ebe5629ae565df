//! The syntaxes a SPARQL answer can be written in, by kind of answer, and how one is
//! picked: `?format=`, else `Accept`.

use crate::rdf::{Offer, Representation, negotiate};
use crate::store::{AnswerKind, ResultsSyntax};
use actix_web::HttpResponse;
use actix_web::http::header::{self, HeaderValue};
use std::sync::LazyLock;

/// How the answer is written: a SPARQL results syntax, an RDF syntax for triples, or a
/// page for people with the query editor and the answer's head as a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Syntax {
    Results(ResultsSyntax),
    Rdf(Representation),
    Page,
}

impl Offer for Syntax {
    fn media_type(self) -> &'static str {
        match self {
            Self::Results(ResultsSyntax::Json) => "application/sparql-results+json",
            Self::Results(ResultsSyntax::Xml) => "application/sparql-results+xml",
            Self::Results(ResultsSyntax::Csv) => "text/csv",
            Self::Results(ResultsSyntax::Tsv) => "text/tab-separated-values",
            Self::Rdf(r) => r.media_type(),
            Self::Page => Representation::Html.media_type(),
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Results(ResultsSyntax::Json) => &["application/json"],
            Self::Results(ResultsSyntax::Xml) => &["application/xml", "text/xml"],
            Self::Results(_) => &[],
            Self::Rdf(r) => r.aliases(),
            Self::Page => Representation::Html.aliases(),
        }
    }
}

impl Syntax {
    pub(super) fn content_type(self) -> &'static str {
        match self {
            Self::Results(ResultsSyntax::Json) => "application/sparql-results+json",
            Self::Results(ResultsSyntax::Xml) => "application/sparql-results+xml",
            Self::Results(ResultsSyntax::Csv) => "text/csv; charset=utf-8",
            Self::Results(ResultsSyntax::Tsv) => "text/tab-separated-values; charset=utf-8",
            Self::Rdf(r) => r.content_type(),
            Self::Page => Representation::Html.content_type(),
        }
    }

    /// What can be offered for an answer, in server preference order: the page comes
    /// last, so only a client that prefers HTML (a browser) gets it.
    pub(super) fn offers(kind: AnswerKind) -> &'static [Self] {
        const RESULTS: [Syntax; 5] = [
            Syntax::Results(ResultsSyntax::Json),
            Syntax::Results(ResultsSyntax::Xml),
            Syntax::Results(ResultsSyntax::Csv),
            Syntax::Results(ResultsSyntax::Tsv),
            Syntax::Page,
        ];
        static GRAPHS: LazyLock<Vec<Syntax>> = LazyLock::new(|| {
            Representation::ALL
                .into_iter()
                .filter(|r| r.rdf_format().is_some())
                .map(Syntax::Rdf)
                .chain([Syntax::Page])
                .collect()
        });
        match kind {
            AnswerKind::Solutions | AnswerKind::Boolean => &RESULTS,
            AnswerKind::Graph => &GRAPHS,
        }
    }

    /// The value of `?format=` that selects this syntax, in the links of the page.
    pub(super) fn format_name(self) -> &'static str {
        match self {
            Self::Results(ResultsSyntax::Json) => "json",
            Self::Results(ResultsSyntax::Xml) => "xml",
            Self::Results(ResultsSyntax::Csv) => "csv",
            Self::Results(ResultsSyntax::Tsv) => "tsv",
            Self::Rdf(r) => r.extension(),
            Self::Page => "html",
        }
    }

    /// What people call it, in the links of the page.
    pub(super) fn label(self) -> &'static str {
        match self {
            Self::Results(ResultsSyntax::Json) => "JSON",
            Self::Results(ResultsSyntax::Xml) => "XML",
            Self::Results(ResultsSyntax::Csv) => "CSV",
            Self::Results(ResultsSyntax::Tsv) => "TSV",
            Self::Rdf(r) => r.label(),
            Self::Page => "HTML",
        }
    }

    /// Whether `?format=value` names this syntax: its own name or media type (Virtuoso's
    /// style), `json` and `xml` for JSON-LD and RDF/XML too, and for RDF what a suffix
    /// would say (`turtle`).
    fn named_by(self, value: &str) -> bool {
        value.eq_ignore_ascii_case(self.format_name())
            || value.eq_ignore_ascii_case(self.media_type())
            || match self {
                Self::Rdf(Representation::JsonLd) => value.eq_ignore_ascii_case("json"),
                Self::Rdf(Representation::RdfXml) => value.eq_ignore_ascii_case("xml"),
                Self::Rdf(r) => Representation::from_format_param(value) == Some(r),
                Self::Results(_) | Self::Page => false,
            }
    }
}

/// Picks the syntax of an answer among `offers`: the one `?format=` names, else by
/// `Accept`. A `format` that names none of them is not an error but no choice:
/// `?format=` is not part of the Protocol, and clients send it with values of their own
/// (SPARQLWrapper sends `format=n3`, `format=turtle`... with a matching `Accept`).
pub(super) fn pick(
    format: Option<&str>,
    accept: Option<&str>,
    offers: &[Syntax],
) -> Option<Syntax> {
    format
        .and_then(|value| offers.iter().copied().find(|s| s.named_by(value.trim())))
        .or_else(|| negotiate(accept, offers))
}

/// The head of a successful answer.
pub(super) fn answer_response(syntax: Syntax) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static(syntax.content_type()),
        ))
        .insert_header((header::VARY, HeaderValue::from_static("Accept")));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    #[test]
    fn format_names_a_syntax_of_the_answer_or_is_ignored() {
        let results = Syntax::offers(AnswerKind::Solutions);
        let graphs = Syntax::offers(AnswerKind::Graph);
        let json = Some("application/sparql-results+json");
        // (offers, format, Accept, picked)
        type Case<'a> = (&'a [Syntax], Option<&'a str>, Option<&'a str>, Syntax);
        let cases: [Case<'_>; 11] = [
            (
                results,
                Some("csv"),
                json,
                Syntax::Results(ResultsSyntax::Csv),
            ),
            (
                results,
                Some(" TSV "),
                json,
                Syntax::Results(ResultsSyntax::Tsv),
            ),
            (results, Some("html"), json, Syntax::Page),
            (
                results,
                Some("text/csv"),
                json,
                Syntax::Results(ResultsSyntax::Csv),
            ),
            (
                results,
                Some("n3"),
                Some("text/csv"),
                Syntax::Results(ResultsSyntax::Csv),
            ),
            (
                results,
                Some("ttl"),
                None,
                Syntax::Results(ResultsSyntax::Json),
            ),
            (
                graphs,
                Some("json"),
                Some(BROWSER),
                Syntax::Rdf(Representation::JsonLd),
            ),
            (
                graphs,
                Some("xml"),
                None,
                Syntax::Rdf(Representation::RdfXml),
            ),
            (
                graphs,
                Some("turtle"),
                None,
                Syntax::Rdf(Representation::Turtle),
            ),
            (
                graphs,
                Some("application/n-triples"),
                None,
                Syntax::Rdf(Representation::NTriples),
            ),
            (
                graphs,
                Some("csv"),
                Some("application/trig"),
                Syntax::Rdf(Representation::TriG),
            ),
        ];
        for (offers, format, accept, expected) in cases {
            assert_eq!(
                pick(format, accept, offers),
                Some(expected),
                "{format:?} {accept:?}"
            );
        }
    }

    #[test]
    fn only_a_client_that_prefers_html_gets_the_page() {
        for kind in [
            AnswerKind::Solutions,
            AnswerKind::Boolean,
            AnswerKind::Graph,
        ] {
            let offers = Syntax::offers(kind);
            assert_eq!(offers.last(), Some(&Syntax::Page));
            assert_eq!(pick(None, Some(BROWSER), offers), Some(Syntax::Page));
            assert_eq!(pick(None, Some("text/html"), offers), Some(Syntax::Page));
            for accept in [None, Some("*/*"), Some("text/*"), Some("application/*")] {
                assert_ne!(pick(None, accept, offers), Some(Syntax::Page), "{accept:?}");
            }
        }
    }

    #[test]
    fn every_syntax_is_named_by_its_own_format_name() {
        for kind in [AnswerKind::Solutions, AnswerKind::Graph] {
            for syntax in Syntax::offers(kind) {
                let picked = pick(
                    Some(syntax.format_name()),
                    Some("*/*"),
                    Syntax::offers(kind),
                );
                assert_eq!(picked, Some(*syntax));
            }
        }
    }
}
