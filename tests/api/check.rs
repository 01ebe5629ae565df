//! `passerelle check [--repair]` against a store whose parts were made to disagree (by
//! SPARQL Update, as an admin could, or as a crash leaves them): each disagreement is
//! named, `--repair` mends what can be derived, and what cannot is still reported.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, create, sparql_update};
use common::{Server, free_port, run};
use std::path::Path;

fn check(root: &Path, data: &Path, base: &str, repair: bool) -> (bool, String) {
    let mut args = vec![
        "--data-dir",
        data.to_str().unwrap(),
        "--base-iri",
        base,
        "check",
    ];
    if repair {
        args.push("--repair");
    }
    let output = run(root, &args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

const PREFIXES: &str = "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n";

#[tokio::test]
async fn check_names_each_disagreement_and_repair_mends_what_can_be_derived() {
    let temp = tempfile::tempdir().unwrap();
    let (root, data) = (temp.path(), temp.path().join("data"));
    let mut server = Server::start_full(&data, free_port(), None, &["--admin-token", ADMIN]);
    let body = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n<to-break> a dcat:Dataset ; dct:title \"À casser\"@fr ; dct:description \"Pour le test.\"@fr ; dct:publisher <../agents/ecobio> .\n";
    create(&server, "datasets", body).await;
    let base = server.base.clone();
    let breakage = format!(
        "{PREFIXES}DELETE DATA {{ GRAPH <{base}graphs/catalog> {{ <{base}> dcat:dataset <{base}datasets/to-break> }} }} ;
INSERT DATA {{ GRAPH <{base}graphs/catalog> {{ <{base}> dcat:dataset <{base}datasets/nowhere> }} }} ;
INSERT DATA {{ GRAPH <{base}graphs/withdrawn> {{ <{base}records/inventaire-zones-humides-bretagne> a dcat:CatalogRecord }} }} ;
INSERT DATA {{ GRAPH <{base}records/broken> {{ <{base}records/broken> foaf:primaryTopic <urn:x:untyped> }} }} ;
DELETE {{ GRAPH <{base}records/to-break> {{ ?r dct:modified ?m }} }}
INSERT {{ GRAPH <{base}records/to-break> {{ ?r dct:modified \"2031-01-01T00:00:00Z\"^^xsd:dateTime }} }}
WHERE {{ GRAPH <{base}records/to-break> {{ ?r dct:modified ?m }} }}"
    );
    sparql_update(&server, &breakage, ADMIN).await;
    server.stop();
    // Measurements of no dataset (the server's quality board would remove them at once).
    let measurement = root.join("measurement.ttl");
    std::fs::write(
        &measurement,
        "<urn:x:m> a <http://www.w3.org/ns/dqv#QualityMeasurement> .",
    )
    .unwrap();
    let graph = format!("{base}datasets/gone/quality");
    let loaded = run(
        root,
        &[
            "--data-dir",
            data.to_str().unwrap(),
            "--base-iri",
            &base,
            "load",
            "--graph",
            &graph,
            measurement.to_str().unwrap(),
        ],
    );
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );

    let (clean, report) = check(root, &data, &base, false);
    assert!(!clean, "{report}");
    for expected in [
        "dataset to-break is not listed in the catalog".to_owned(),
        format!("leads to <{base}datasets/nowhere>, which is no dataset"),
        "dataset inventaire-zones-humides-bretagne is live and withdrawn".to_owned(),
        format!("measurements <{base}datasets/gone/quality> of no live dataset"),
        "record broken: its topic is not typed as a dataset, data paper or agent (not repairable)"
            .to_owned(),
        "record to-break: its version \"2031-01-01T00:00:00Z\"".to_owned(),
    ] {
        assert!(report.contains(&expected), "{expected:?} not in:\n{report}");
    }

    // Repaired, but for the record nobody can type; the search index rebuilt too.
    std::fs::remove_dir_all(data.join("search")).unwrap();
    let (clean, repaired) = check(root, &data, &base, true);
    assert!(!clean, "the malformed record is left: {repaired}");
    assert!(
        repaired.contains("repaired 5 of them, and the search index"),
        "{repaired}"
    );
    let (clean, after) = check(root, &data, &base, false);
    assert!(!clean);
    let problems: Vec<&str> = after
        .lines()
        .filter(|l| {
            l.starts_with("record ") || l.starts_with("dataset ") || l.contains("search index")
        })
        .collect();
    assert_eq!(
        problems,
        [
            "record broken: its topic is not typed as a dataset, data paper or agent (not repairable)"
        ],
        "{after}"
    );
    // The missing revision was written from the record as it is, by the check.
    let history = run(
        root,
        &[
            "--data-dir",
            data.to_str().unwrap(),
            "--base-iri",
            &base,
            "dump",
            "--private",
        ],
    );
    let history = String::from_utf8(history.stdout).unwrap();
    assert!(
        history
            .lines()
            .any(|l| l.contains("passerelle check") && l.contains("history/to-break")),
        "no repaired revision"
    );
    // The repaired store serves: the dataset is listed again, the tombstone gone.
    let server = Server::start_full(&data, free_port(), Some(&base), &["--admin-token", ADMIN]);
    let listed =
        format!("ASK {{ <{base}> <http://www.w3.org/ns/dcat#dataset> <{base}datasets/to-break> }}");
    assert!(common::ask(&server, &listed).await);
    let page = common::get_with(
        &format!("{}/datasets/inventaire-zones-humides-bretagne", server.url),
        &[("Accept", "text/turtle")],
    )
    .await;
    assert_eq!(page.status(), reqwest::StatusCode::OK);
}
