//! The SPARQL endpoint's page for people: the query editor and, under it, the answer to
//! the query it holds as a table, with links to the same answer in every syntax. The page
//! is rendered by the server, so a query's page has a URL that can be shared and works
//! without scripts.

use super::{FormatLink, Frame, PageError, Pages};
use crate::store::AnswerTable;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{NamedNode, Term};
use serde::Serialize;
use serde_json::{Value, json};

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Example queries about the catalog, offered in the editor; the first fills an empty one.
/// `(English label, French label, query)`.
const EXAMPLES: [(&str, &str, &str); 5] = [
    (
        "Datasets and their titles",
        "Les jeux de données et leurs titres",
        "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\nSELECT ?dataset ?title WHERE {\n  ?dataset a dcat:Dataset ; dct:title ?title .\n  FILTER(LANG(?title) = \"en\")\n} ORDER BY ?title",
    ),
    (
        "Datasets per publisher",
        "Jeux de données par producteur",
        "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nSELECT ?publisher (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?dataset) AS ?datasets) WHERE {\n  ?dataset a dcat:Dataset ; dct:publisher ?publisher .\n  OPTIONAL { ?publisher foaf:name ?name }\n} GROUP BY ?publisher ORDER BY DESC(?datasets)",
    ),
    (
        "Datasets by theme",
        "Jeux de données par thème",
        "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?theme (SAMPLE(?label) AS ?name) (COUNT(?dataset) AS ?datasets) WHERE {\n  ?dataset a dcat:Dataset ; dcat:theme ?theme .\n  OPTIONAL { ?theme skos:prefLabel ?label FILTER(LANG(?label) = \"en\") }\n} GROUP BY ?theme ORDER BY DESC(?datasets)",
    ),
    (
        "Data papers and the datasets they describe",
        "Les data papers et les jeux de données qu’ils décrivent",
        "PREFIX fabio: <http://purl.org/spar/fabio/>\nPREFIX cito: <http://purl.org/spar/cito/>\nPREFIX dct: <http://purl.org/dc/terms/>\nSELECT ?paper ?title ?dataset WHERE {\n  ?paper a fabio:DataPaper ; dct:title ?title ; cito:describes ?dataset .\n}",
    ),
    (
        "Downloadable CSV files",
        "Fichiers CSV téléchargeables",
        "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nSELECT ?dataset ?file WHERE {\n  ?dataset dcat:distribution ?distribution .\n  ?distribution dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv> ;\n    dcat:downloadURL ?file .\n}",
    ),
];

/// What the query page shows.
pub struct QueryPage<'a> {
    /// The catalog's base IRI, for the header link.
    pub base: &'a str,
    /// `fr` or `en`.
    pub language: &'a str,
    /// The URL the page answers, whose parameters the language switch keeps.
    pub here: &'a str,
    /// The endpoint, where the editor sends its query.
    pub endpoint: &'a str,
    /// The query the editor holds; `None` for the editor's first visit, which holds the
    /// first example.
    pub query: Option<&'a str>,
    /// The request's `default-graph-uri`s, which the editor sends again.
    pub default_graphs: &'a [NamedNode],
    /// The request's `named-graph-uri`s, which the editor sends again.
    pub named_graphs: &'a [NamedNode],
    /// Links to other syntaxes: the service description's, or the same answer's.
    pub formats: Vec<FormatLink>,
    /// For an answer whose query is too long to link: the syntaxes of a form that posts it.
    pub downloads: Vec<Download>,
    /// What is under the editor.
    pub outcome: Outcome<'a>,
    /// Who is signed in, if anyone.
    pub visitor: Option<&'a super::Visitor>,
}

/// A button of the form that posts a long query again, in another syntax.
#[derive(Serialize)]
pub struct Download {
    /// What people call the syntax.
    pub label: &'static str,
    /// Its `?format=` value.
    pub format: &'static str,
}

/// What is under the editor.
pub enum Outcome<'a> {
    /// Nothing: no query was sent.
    Editor,
    /// The head of the query's answer. IRIs are shortened with `prefixes`, those the
    /// query declares, so the table reads as the query does.
    Answer {
        /// The answer, bounded.
        table: &'a AnswerTable,
        /// (name, namespace) pairs.
        prefixes: &'a [(&'a str, &'a str)],
    },
    /// The query failed; what its author should read (a syntax error with its position,
    /// a time limit).
    Failed(String),
}

impl Pages {
    /// The SPARQL endpoint's page: the editor, and the answer or the error of its query.
    pub fn query(&self, page: &QueryPage<'_>) -> Result<String, PageError> {
        let french = page.language == "fr";
        let examples: Vec<_> = EXAMPLES
            .iter()
            .map(|(en, fr, query)| json!({ "label": if french { fr } else { en }, "query": query }))
            .collect();
        let (answer, error) = match &page.outcome {
            Outcome::Editor => (Value::Null, Value::Null),
            Outcome::Answer { table, prefixes } => (answer(table, prefixes), Value::Null),
            Outcome::Failed(message) => (Value::Null, json!(message)),
        };
        let frame = Frame {
            base: page.base,
            language: page.language,
            here: page.here,
            kind: "sparql",
            visitor: page.visitor,
        };
        let title = super::messages(page.language).get("kind_sparql").copied();
        self.render(
            "sparql.html",
            &frame,
            json!({
            "title": title,
            "endpoint": page.endpoint,
            "examples": examples,
            "query": page.query.unwrap_or(EXAMPLES[0].2),
            "default_graphs": page.default_graphs.iter().map(NamedNode::as_str).collect::<Vec<_>>(),
            "named_graphs": page.named_graphs.iter().map(NamedNode::as_str).collect::<Vec<_>>(),
            "answer": answer,
            "error": error,
            "formats": page.formats,
            "downloads": page.downloads,
            }),
        )
    }
}

fn answer(table: &AnswerTable, prefixes: &[(&str, &str)]) -> Value {
    match table {
        AnswerTable::Boolean(value) => json!({ "boolean": value }),
        AnswerTable::Rows {
            columns,
            rows,
            truncated,
        } => {
            let rows: Vec<Vec<Value>> = rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|term| term.as_ref().map_or(Value::Null, |t| cell(t, prefixes)))
                        .collect()
                })
                .collect();
            json!({ "columns": columns, "count": rows.len(), "rows": rows, "truncated": truncated })
        }
    }
}

/// A term as a cell: its text, a link for an IRI that a browser can follow, and for a
/// literal its language or datatype.
fn cell(term: &Term, prefixes: &[(&str, &str)]) -> Value {
    match term {
        Term::NamedNode(iri) => {
            let href = super::view::href(iri.as_str());
            json!({
                "text": shorten(iri.as_str(), prefixes),
                "href": (href != "#").then_some(href),
                "title": iri.as_str(),
            })
        }
        Term::BlankNode(node) => json!({ "text": format!("_:{}", node.as_str()) }),
        Term::Literal(literal) => {
            let datatype = literal.datatype().as_str();
            let note = match literal.language() {
                Some(language) => Some(format!("@{language}")),
                None if literal.datatype() == xsd::STRING => None,
                None => Some(match datatype.strip_prefix(XSD) {
                    Some(local) => format!("xsd:{local}"),
                    None => shorten(datatype, prefixes),
                }),
            };
            json!({ "text": literal.value(), "note": note })
        }
        // RDF 1.2 triple terms (rudof turns on oxigraph's `rdf-12`).
        other => json!({ "text": other.to_string() }),
    }
}

/// `prefix:local` when a declared namespace starts the IRI and the rest is a plain name;
/// the IRI itself otherwise. Stricter than a compact IRI (`rdf::jsonld`) or a Turtle
/// prefixed name: a table is read by people, and `ex:a/b?c` reads worse than the IRI.
fn shorten(iri: &str, prefixes: &[(&str, &str)]) -> String {
    prefixes
        .iter()
        .filter_map(|(name, namespace)| Some((*name, iri.strip_prefix(namespace)?)))
        .filter(|(_, local)| {
            local
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
        .min_by_key(|(_, local)| local.len())
        .map_or_else(|| iri.to_owned(), |(name, local)| format!("{name}:{local}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    #[test]
    fn iris_are_shortened_only_to_plain_names() {
        let prefixes = [
            ("dcat", "http://www.w3.org/ns/dcat#"),
            ("w3", "http://www.w3.org/"),
        ];
        assert_eq!(
            shorten("http://www.w3.org/ns/dcat#Dataset", &prefixes),
            "dcat:Dataset"
        );
        assert_eq!(
            shorten("http://www.w3.org/ns/dcat", &prefixes),
            "http://www.w3.org/ns/dcat"
        );
        assert_eq!(
            shorten("http://example.org/a b", &prefixes),
            "http://example.org/a b"
        );
    }

    #[test]
    fn literals_say_their_language_or_datatype() {
        let cell_of = |term: Term| cell(&term, &[]);
        assert_eq!(
            cell_of(Literal::new_language_tagged_literal_unchecked("Loutres", "fr").into()),
            json!({ "text": "Loutres", "note": "@fr" })
        );
        assert_eq!(
            cell_of(Literal::from(3).into()),
            json!({ "text": "3", "note": "xsd:integer" })
        );
        assert_eq!(
            cell_of(Literal::new_simple_literal("plain").into()),
            json!({ "text": "plain", "note": null })
        );
        let link = cell_of(NamedNode::new_unchecked("urn:x:y").into());
        assert_eq!(link["href"], Value::Null, "{link}");
    }
}
