//! Data standards in the store: which CSV distributions declare a Table Schema, and the
//! last check of each against it, kept in the graph `{base}standard-checks` as DQV
//! measurements (`dqv:computedOn` the file, `dct:conformsTo` the schema, `dqv:value`
//! whether it conforms), each with the whole finding as an `rdf:JSON` literal for the
//! quality pages.

use super::{CatalogStore, StoreError};
use crate::model::RecordId;
use crate::model::vocab::{RDF_TYPE, dcat, dct};
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, QuadRef, Term,
    TermRef,
};
use sha2::Digest;

const DQV: &str = "http://www.w3.org/ns/dqv#";
const RDF_VALUE: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#value");
const RDF_JSON: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON");

/// A CSV file a distribution of a dataset says conforms to a Table Schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// The dataset.
    pub dataset: RecordId,
    /// The file (`dcat:downloadURL`, else `dcat:accessURL`).
    pub file: String,
    /// The schema (`dct:conformsTo`).
    pub schema: String,
}

/// A check to keep.
pub struct Checked<'a> {
    /// The file.
    pub file: &'a str,
    /// The schema.
    pub schema: &'a str,
    /// When (RFC 3339).
    pub date: &'a str,
    /// Whether the file conforms.
    pub conforms: bool,
    /// The whole finding, as JSON.
    pub json: &'a str,
}

impl CatalogStore {
    fn standard_checks_graph(&self) -> NamedNode {
        NamedNode::new_unchecked(format!("{}standard-checks", self.base().as_str()))
    }

    /// The CSV files the distributions of the datasets `ids` declare a standard for.
    pub fn declared_standards(&self, ids: &[RecordId]) -> Result<Vec<Declared>, StoreError> {
        let mut found = Vec::new();
        for id in ids {
            let graph = self.base().record_graph(id);
            let quads: Vec<Quad> = self
                .store
                .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
                .collect::<Result<_, _>>()?;
            let graph: oxigraph::model::Graph = quads
                .iter()
                .map(|q| oxigraph::model::TripleRef::from(q.as_ref()))
                .collect();
            for distribution in graph.subjects_for_predicate_object(RDF_TYPE, dcat::DISTRIBUTION) {
                let iris = |p| -> Vec<String> {
                    graph
                        .objects_for_subject_predicate(distribution, p)
                        .filter_map(|o| match o {
                            TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
                            _ => None,
                        })
                        .collect()
                };
                let file = iris(dcat::DOWNLOAD_URL)
                    .into_iter()
                    .chain(iris(dcat::ACCESS_URL))
                    .next();
                let csv = iris(dct::FORMAT).iter().any(|f| f.ends_with("/CSV"))
                    || iris(dcat::MEDIA_TYPE)
                        .iter()
                        .any(|m| m.ends_with("text/csv"))
                    || file
                        .as_deref()
                        .is_some_and(|f| f.to_ascii_lowercase().ends_with(".csv"));
                let (Some(file), true) = (file, csv) else {
                    continue;
                };
                for schema in iris(dct::CONFORMS_TO) {
                    found.push(Declared {
                        dataset: id.clone(),
                        file: file.clone(),
                        schema,
                    });
                }
            }
        }
        Ok(found)
    }

    /// The findings kept, as JSON.
    pub fn standard_checks(&self) -> Result<Vec<String>, StoreError> {
        let graph = self.standard_checks_graph();
        let mut found = Vec::new();
        for quad in
            self.store
                .quads_for_pattern(None, Some(RDF_VALUE), None, Some(graph.as_ref().into()))
        {
            if let Term::Literal(json) = quad?.object {
                found.push(json.value().to_owned());
            }
        }
        Ok(found)
    }

    /// Keeps `checks`, each replacing the last of its file and schema.
    pub fn put_standard_checks(&self, checks: &[Checked<'_>]) -> Result<(), StoreError> {
        let graph = self.standard_checks_graph();
        let name = GraphNameRef::NamedNode(graph.as_ref());
        let dqv = |local: &str| NamedNode::new_unchecked(format!("{DQV}{local}"));
        let metric =
            NamedNode::new_unchecked(format!("{}quality#dataStandard", self.base().as_str()));
        let _writing = self.write_lock();
        let mut transaction = self.store.start_transaction()?;
        for check in checks {
            let key = format!("{}\n{}", check.file, check.schema);
            let digest = sha2::Sha256::digest(key.as_bytes());
            let short: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
            let node = NamedNode::new_unchecked(format!("{}#{short}", graph.as_str()));
            let old: Vec<Quad> = transaction
                .quads_for_pattern(
                    Some(NamedOrBlankNodeRef::from(node.as_ref())),
                    None,
                    None,
                    Some(name),
                )
                .collect::<Result<_, _>>()?;
            for quad in &old {
                transaction.remove(quad);
            }
            let date =
                Literal::new_typed_literal(check.date, oxigraph::model::vocab::xsd::DATE_TIME);
            let triples: [(NamedNode, Term); 7] = [
                (RDF_TYPE.into_owned(), dqv("QualityMeasurement").into()),
                (dqv("isMeasurementOf"), metric.clone().into()),
                (
                    dqv("computedOn"),
                    NamedNode::new_unchecked(check.file).into(),
                ),
                (
                    dct::CONFORMS_TO.into_owned(),
                    NamedNode::new_unchecked(check.schema).into(),
                ),
                (dqv("value"), Literal::from(check.conforms).into()),
                (dct::DATE.into_owned(), date.into()),
                (
                    RDF_VALUE.into_owned(),
                    Literal::new_typed_literal(check.json, RDF_JSON).into(),
                ),
            ];
            for (predicate, object) in &triples {
                transaction.insert(QuadRef::new(&node, predicate, object, name));
            }
        }
        transaction.commit()?;
        self.derived_written();
        Ok(())
    }
}
