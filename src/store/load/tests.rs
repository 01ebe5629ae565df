//! A load written part by part gives back what splitting the whole file in memory gave:
//! the same records, catalog description and unassigned triples.

use super::LoadOptions;
use crate::model::vocab::dct;
use crate::model::{BaseIri, split_into_records};
use crate::store::history::Provenance;
use crate::store::{CatalogStore, StoreError};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Dataset, Graph, GraphName, NamedOrBlankNode, Quad};
use std::num::NonZeroUsize;
use std::path::Path;

const BASE: &str = "http://localhost:8080/";

/// Records whose triples are scattered (a type after the title), blank nodes, an IRI
/// two datasets own, shared vocabulary, a blank-node dataset that a paper written in
/// another part links to, a blank-node publisher, the catalog's own description and
/// triples nobody owns.
const FILE: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix fabio: <http://purl.org/spar/fabio/> . @prefix cito: <http://purl.org/spar/cito/> .
<http://localhost:8080/datasets/a> dct:title "A" .
<http://localhost:8080/> a dcat:Catalog ; dct:title "C" ; dcat:dataset <http://localhost:8080/datasets/a> ;
    dct:publisher [ foaf:name "The catalog's publisher" ] .
<http://ex.org/paper> a fabio:DataPaper ; dct:title "About the blank set" ;
    cito:describes _:blankset, <http://localhost:8080/datasets/a> .
<http://localhost:8080/datasets/a> dct:temporal [ dcat:startDate "2020-01-01" ] ;
    dcat:distribution <http://ex.org/a/csv> ; dct:publisher <http://ex.org/org> ;
    dcat:theme <http://ex.org/concept> ; dcat:contactPoint <http://ex.org/contact> .
<http://ex.org/a/csv> a dcat:Distribution ; dcat:accessURL <http://ex.org/a.csv> .
<http://ex.org/contact> foaf:name "Shared contact" .
<http://ex.org/concept> a skos:Concept ; skos:prefLabel "Shared concept" .
<http://ex.org/b> a dcat:Dataset ; dct:title "B" ; dcat:contactPoint <http://ex.org/contact> ;
    dcat:theme <http://ex.org/concept> ;
    dct:publisher [ a foaf:Organization ; foaf:name "A blank publisher" ] .
_:blankset a dcat:Dataset ; dct:identifier "blank set" ; dct:title "Blank" ;
    dct:relation <http://ex.org/b> .
<http://ex.org/org> a foaf:Organization ; foaf:name "Org" ; foaf:homepage <http://ex.org/home> .
<http://ex.org/person> a foaf:Person ; foaf:name "Someone" .
<http://ex.org/orphan> dct:title "Nobody owns me" .
<http://localhost:8080/datasets/a> a dcat:Dataset .
"#;

fn by() -> Provenance {
    Provenance {
        agent: "test".into(),
        source: "test".into(),
    }
}

fn store_in(dir: &Path) -> Result<CatalogStore, StoreError> {
    let base = BaseIri::parse(BASE).map_err(|e| StoreError::Bundled {
        name: "base IRI",
        message: e.to_string(),
    })?;
    CatalogStore::open(dir, base)
}

/// The public store's records, catalog and unassigned graphs, without the times the
/// writes stamped, canonically.
fn written(store: &CatalogStore) -> Result<Dataset, StoreError> {
    let kept = |quad: &Quad| {
        let GraphName::NamedNode(graph) = &quad.graph_name else {
            return false;
        };
        let graph = graph.as_str();
        let ours = [
            format!("{BASE}records/"),
            format!("{BASE}graphs/catalog"),
            format!("{BASE}graphs/unassigned/"),
        ];
        let stamped = (quad.predicate == dct::MODIFIED || quad.predicate == dct::ISSUED)
            && matches!(&quad.subject, NamedOrBlankNode::NamedNode(s)
                if s.as_str() == BASE || s.as_str().starts_with(&format!("{BASE}records/")));
        ours.iter().any(|prefix| graph.starts_with(prefix.as_str())) && !stamped
    };
    let mut dataset: Dataset = store
        .store
        .iter()
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(kept)
        .collect();
    dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
    Ok(dataset)
}

#[test]
fn a_load_in_parts_writes_what_splitting_the_whole_graph_wrote() -> Result<(), StoreError> {
    let temp = tempfile::tempdir().map_err(|source| StoreError::Io {
        path: "temp".into(),
        source,
    })?;
    let file = temp.path().join("catalog.ttl");
    std::fs::write(&file, FILE).map_err(|source| StoreError::Io {
        path: file.display().to_string(),
        source,
    })?;

    // The whole file as one graph, split and written at once (the load of old).
    let whole = store_in(&temp.path().join("whole"))?;
    let mut graph = Graph::new();
    let reader = std::fs::File::open(&file).map_err(|source| StoreError::Io {
        path: file.display().to_string(),
        source,
    })?;
    let format = oxigraph::io::RdfFormat::Turtle;
    whole.parse_into(&mut graph, reader, format, &file, &|_| {})?;
    let outcome = split_into_records(&graph, &whole.base);
    assert_eq!(outcome.records.len(), 6, "{:?}", outcome.records);
    whole.write_split(outcome, Some("catalog.ttl"), &by())?;
    let expected = written(&whole)?;

    for per_write in [1, 2, 100] {
        let parts = store_in(&temp.path().join(format!("parts-{per_write}")))?;
        let options = LoadOptions {
            records_per_write: NonZeroUsize::new(per_write),
            ..LoadOptions::default()
        };
        let report = parts.load_files(std::slice::from_ref(&file), &options, &by(), &|_| {})?;
        assert_eq!((report.created, report.replaced), (6, 0));
        assert_eq!(report.unassigned, 3, "the orphan and the shared concept");
        assert_eq!(written(&parts)?, expected, "{per_write} records per write");
        assert!(
            !parts.data_dir.join(super::SCRATCH).exists(),
            "the scratch store is removed"
        );
    }
    Ok(())
}

#[test]
fn a_syntax_error_anywhere_writes_nothing() -> Result<(), StoreError> {
    let temp = tempfile::tempdir().map_err(|source| StoreError::Io {
        path: "temp".into(),
        source,
    })?;
    let file = temp.path().join("broken.ttl");
    let broken = format!("{FILE}\n<http://ex.org/late> dct:title \"unterminated .\n");
    std::fs::write(&file, broken).map_err(|source| StoreError::Io {
        path: file.display().to_string(),
        source,
    })?;
    let store = store_in(&temp.path().join("data"))?;
    let before = written(&store)?;
    let options = LoadOptions {
        records_per_write: NonZeroUsize::new(1),
        ..LoadOptions::default()
    };
    let failed = store.load_files(std::slice::from_ref(&file), &options, &by(), &|_| {});
    assert!(
        matches!(failed, Err(StoreError::Syntax { .. })),
        "{failed:?}"
    );
    assert_eq!(written(&store)?, before);
    Ok(())
}
