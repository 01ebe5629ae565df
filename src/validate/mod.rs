//! Checks records against our application profile (`ontologies/shapes/`) with rudof's
//! SHACL engine, and turns its results into a report a person can act on.

use oxigraph::model::Graph;
use rudof_rdf::rdf_core::RDFFormat;
use rudof_rdf::rdf_impl::OxigraphInMemory;
use serde::Serialize;
use shacl::ir::IRSchema;
use shacl::types::Severity;
use shacl::validator::processor::{GraphValidation, ShaclProcessor};
use shacl::validator::store::{Graph as ShaclGraph, ShaclDataManager};
use shacl::validator::{ShaclConfig, ShaclValidationMode};
use std::io::Cursor;

/// Our application profile, compiled into the binary.
pub const PROFILE: &str = include_str!("../../ontologies/shapes/passerelle-profile.ttl");

/// The official DCAT-AP 3.0.1 shapes (the modular release's core and range shapes) that
/// harvested datasets are checked against, compiled into the binary.
pub const DCAT_AP: [&str; 2] = [
    include_str!("../../ontologies/shapes/dcat-ap-3.0.1/shapes.ttl"),
    include_str!("../../ontologies/shapes/dcat-ap-3.0.1/range.ttl"),
];

/// The official DCAT-AP 3.0.1 shapes, compiled once per process.
pub fn dcat_ap() -> Result<&'static Validator, ValidateError> {
    static COMPILED: std::sync::OnceLock<Result<Validator, String>> = std::sync::OnceLock::new();
    COMPILED
        .get_or_init(|| {
            Validator::of(&DCAT_AP.concat(), "dcat-ap-3.0.1").map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| ValidateError::Shapes(e.clone()))
}

/// Why validation could not run (not: why data is invalid; that is a [`Report`]).
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// The shapes do not parse: a defect in `ontologies/shapes/`.
    #[error("the application profile is invalid: {0}")]
    Shapes(String),
    /// The engine failed on the data.
    #[error("validation failed to run: {0}")]
    Engine(String),
}

/// One finding: what is wrong, where, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    /// The node that breaks the constraint (the dataset, a distribution...).
    pub focus: String,
    /// The property path, when the constraint is on one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The SHACL constraint component (`sh:MinCountConstraintComponent`...).
    pub constraint: String,
    /// The offending value, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What to do about it, in English.
    pub message: String,
}

impl Finding {
    /// Whether it is about one of `nodes`, or about a blank node (which only the record
    /// that holds it can own): what [`Report::about`] keeps.
    pub fn concerns(&self, nodes: &std::collections::HashSet<String>) -> bool {
        self.focus.starts_with("_:") || nodes.contains(&self.focus)
    }
}

/// The nodes a dataset's compliance is judged on: `topic` and its distributions, named
/// in `triples` (the quality board's "DCAT-AP compliance" and a harvest's verdict alike;
/// a violation about its publisher's description is the publisher's).
pub fn dataset_nodes<'a>(
    topic: oxigraph::model::NamedOrBlankNodeRef<'a>,
    triples: impl IntoIterator<Item = oxigraph::model::TripleRef<'a>>,
) -> std::collections::HashSet<String> {
    use oxigraph::model::{NamedOrBlankNodeRef, TermRef};
    let mut own = std::collections::HashSet::new();
    if let NamedOrBlankNodeRef::NamedNode(n) = topic {
        own.insert(n.as_str().to_owned());
    }
    for triple in triples {
        if triple.subject == topic
            && triple.predicate == crate::model::vocab::dcat::DISTRIBUTION_PROP
            && let TermRef::NamedNode(n) = triple.object
        {
            own.insert(n.as_str().to_owned());
        }
    }
    own
}

/// The outcome of a validation: violations block a write, warnings do not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// Whether there is no violation.
    pub conforms: bool,
    /// Broken mandatory constraints.
    pub violations: Vec<Finding>,
    /// Missing recommended properties and other advice.
    pub warnings: Vec<Finding>,
}

impl std::fmt::Display for Report {
    /// One line per finding, as `passerelle validate` prints it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines = self
            .violations
            .iter()
            .map(|v| ("violation", v))
            .chain(self.warnings.iter().map(|w| ("warning", w)));
        for (level, finding) in lines {
            write!(f, "{level}: {}", finding.focus)?;
            if let Some(path) = &finding.path {
                write!(f, " {path}")?;
            }
            writeln!(f, ": {} [{}]", finding.message, finding.constraint)?;
        }
        let verdict = if self.conforms {
            "conforms"
        } else {
            "does not conform"
        };
        write!(
            f,
            "{verdict}: {} violation(s), {} warning(s)",
            self.violations.len(),
            self.warnings.len()
        )
    }
}

impl Report {
    /// Keeps the findings about `nodes` (and blank nodes, which only a record itself has):
    /// a record answers for its own nodes, not for the linked resources whose types and
    /// labels were added for class checks.
    #[must_use]
    pub fn about(mut self, nodes: &std::collections::HashSet<String>) -> Self {
        let keep = |f: &Finding| f.concerns(nodes);
        self.violations.retain(keep);
        self.warnings.retain(keep);
        self.conforms = self.violations.is_empty();
        self
    }
}

/// Compiled shapes; parse once, validate many times.
pub struct Validator {
    schema: IRSchema,
}

impl Validator {
    /// Compiles [`PROFILE`].
    pub fn new() -> Result<Self, ValidateError> {
        Self::of(PROFILE, "passerelle-profile.ttl")
    }

    /// Compiles the shapes `turtle` (`name` says which, in errors).
    fn of(turtle: &str, name: &str) -> Result<Self, ValidateError> {
        let schema = ShaclDataManager::load(
            &mut Cursor::new(turtle.as_bytes()),
            name,
            &RDFFormat::Turtle,
            None,
        )
        .map_err(|e| ValidateError::Shapes(format!("{name}: {e}")))?;
        Ok(Self { schema })
    }

    /// Validates `graph` (a record with the types of what it links to).
    pub fn validate(&self, graph: &Graph) -> Result<Report, ValidateError> {
        let mut data = OxigraphInMemory::new();
        for triple in graph {
            data.add_triple_ref(triple.subject, triple.predicate, triple.object)
                .map_err(|e| ValidateError::Engine(e.to_string()))?;
        }
        let report = GraphValidation::new(ShaclGraph::from(data))
            .validate(
                &self.schema,
                &ShaclValidationMode::Native,
                &ShaclConfig::default(),
            )
            .map_err(|e| ValidateError::Engine(e.to_string()))?;
        let mut out = Report::default();
        for result in report.results() {
            let finding = Finding {
                focus: bare(&result.focus_node().to_string()),
                path: result.path().map(|p| bare(&p.to_string())),
                constraint: short_constraint(&result.constraint_component().to_string()),
                value: result.value().map(|v| bare(&v.to_string())),
                message: result
                    .message()
                    .messages()
                    .values()
                    .next()
                    .cloned()
                    .unwrap_or_else(|| {
                        format!(
                            "breaks {}",
                            short_constraint(&result.constraint_component().to_string())
                        )
                    }),
            };
            match result.severity() {
                Severity::Violation | Severity::Generic(_) => out.violations.push(finding),
                _ => out.warnings.push(finding),
            }
        }
        out.violations
            .sort_by(|a, b| (&a.focus, &a.path).cmp(&(&b.focus, &b.path)));
        out.warnings
            .sort_by(|a, b| (&a.focus, &a.path).cmp(&(&b.focus, &b.path)));
        out.conforms = out.violations.is_empty();
        Ok(out)
    }
}

/// `data` with the types and labels the bundled vocabularies give the codes it links to
/// (themes, licences, formats...): the context a file is validated in without a store.
pub fn with_vocabularies(data: &Graph, vocabularies: &Graph) -> Graph {
    let mut graph = data.clone();
    for triple in data {
        if let oxigraph::model::TermRef::NamedNode(object) = triple.object {
            let subject = oxigraph::model::NamedOrBlankNodeRef::from(object);
            if data.triples_for_subject(subject).next().is_none() {
                for known in vocabularies.triples_for_subject(subject) {
                    graph.insert(known);
                }
            }
        }
    }
    graph
}

/// An IRI without its angle brackets.
fn bare(text: &str) -> String {
    text.strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(text)
        .to_owned()
}

/// `sh:MinCountConstraintComponent` for the full IRI.
fn short_constraint(text: &str) -> String {
    let text = bare(text);
    match text.strip_prefix("http://www.w3.org/ns/shacl#") {
        Some(local) => format!("sh:{local}"),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};

    fn graph(turtle: &str) -> anyhow::Result<Graph> {
        let mut graph = Graph::new();
        for triple in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            let quad = triple?;
            graph.insert(quad.as_ref());
        }
        Ok(graph)
    }

    const PREFIXES: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n";

    #[test]
    fn a_dataset_without_description_is_a_violation_naming_the_property() -> anyhow::Result<()> {
        let validator = Validator::new()?;
        let data = graph(&format!(
            "{PREFIXES}<http://ex.org/d> a dcat:Dataset ; dct:title \"T\"@en ."
        ))?;
        let report = validator.validate(&data)?;
        assert!(!report.conforms);
        assert_eq!(report.violations.len(), 1, "{report}");
        let violation = &report.violations[0];
        assert_eq!(violation.focus, "http://ex.org/d");
        assert_eq!(
            violation.path.as_deref(),
            Some("http://purl.org/dc/terms/description")
        );
        assert_eq!(violation.constraint, "sh:MinCountConstraintComponent");
        assert!(violation.message.contains("description"), "{report}");
        Ok(())
    }

    #[test]
    fn the_official_shapes_compile_and_find_what_dcat_ap_requires() -> anyhow::Result<()> {
        let official = dcat_ap()?;
        let data = graph(&format!(
            "{PREFIXES}<http://ex.org/d> a dcat:Dataset ; dct:title \"T\"@en ;
               dcat:distribution [ a dcat:Distribution ] ."
        ))?;
        let report = official.validate(&data)?;
        let broken: Vec<_> = report
            .violations
            .iter()
            .map(|v| (v.path.as_deref().unwrap_or(""), v.constraint.as_str()))
            .collect();
        assert!(
            broken.contains(&(
                "http://purl.org/dc/terms/description",
                "sh:MinCountConstraintComponent"
            )),
            "{report}"
        );
        assert!(
            broken.contains(&(
                "http://www.w3.org/ns/dcat#accessURL",
                "sh:MinCountConstraintComponent"
            )),
            "{report}"
        );
        Ok(())
    }

    #[test]
    fn a_complete_dataset_conforms_with_warnings_for_recommended_properties() -> anyhow::Result<()>
    {
        let validator = Validator::new()?;
        let data = graph(&format!(
            "{PREFIXES}<http://ex.org/d> a dcat:Dataset ; dct:title \"T\"@en ; dct:description \"D\"@en ;
               dct:issued \"2024-01-02\"^^xsd:date ; dct:publisher <http://ex.org/p> .
             <http://ex.org/p> a foaf:Agent ; foaf:name \"P\" ."
        ))?;
        let report = validator.validate(&data)?;
        assert!(report.conforms, "{report}");
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.path.as_deref() == Some("http://www.w3.org/ns/dcat#distribution")),
            "{report}"
        );
        Ok(())
    }

    #[test]
    fn wrong_datatypes_and_untyped_links_are_violations() -> anyhow::Result<()> {
        let validator = Validator::new()?;
        let data = graph(&format!(
            "{PREFIXES}<http://ex.org/d> a dcat:Dataset ; dct:title \"T\" ; dct:description \"D\" ;
               dct:issued \"last spring\" ; dct:publisher <http://ex.org/p> ;
               dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://ex.org/f> ;
                                   dcat:byteSize \"big\" ] ."
        ))?;
        let report = validator.validate(&data)?;
        let paths: Vec<_> = report
            .violations
            .iter()
            .filter_map(|v| v.path.as_deref())
            .collect();
        for expected in [
            "http://purl.org/dc/terms/publisher",
            "http://www.w3.org/ns/dcat#byteSize",
        ] {
            assert!(paths.contains(&expected), "{expected} missing in {report}");
        }
        // DCAT-AP's shapes accept an untyped date; ours warn.
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.path.as_deref() == Some("http://purl.org/dc/terms/issued")),
            "{report}"
        );
        Ok(())
    }
}
