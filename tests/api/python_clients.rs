//! Outside clients over HTTP: Python rdflib parses every syntax of every dataset, and
//! pyshacl validates the demo catalog as served against the official DCAT-AP 3.0.1 shapes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Server, data, fixture, run_python};
use std::process::Command;

#[test]
fn rdflib_reads_every_syntax_of_every_dataset_as_the_same_graph() {
    let server = Server::start();
    let summary = run_python("formats.py", &[&server.url]);
    let summary: serde_json::Value = serde_json::from_str(summary.trim()).unwrap();
    assert!(summary["datasets"].as_u64().unwrap() >= 25, "{summary}");
}

#[test]
fn demo_catalog_has_no_dcat_ap_violation_in_turtle_and_json_ld() {
    let server = Server::start();
    let shapes = fixture("shapes/dcat-ap-3.0.1/html/shacl");
    assert!(
        shapes.join("shapes.ttl").is_file(),
        "missing {}",
        shapes.display()
    );
    for media_type in ["text/turtle", "application/ld+json"] {
        let summary = run_python(
            "shacl_catalog.py",
            &[&server.url, shapes.to_str().unwrap(), media_type],
        );
        let summary: serde_json::Value = serde_json::from_str(summary.trim()).unwrap();
        assert_eq!(summary["violations"], 0, "{media_type}: {summary}");
        assert!(summary["datasets"].as_u64().unwrap() >= 25, "{summary}");
    }
}

#[test]
fn the_shacl_check_catches_planted_violations() {
    let prepared = common::Prepared::new();
    prepared.load_ok(&[&data("invalid-dataset.ttl")]);
    let server = prepared.serve();
    let shapes = fixture("shapes/dcat-ap-3.0.1/html/shacl");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/py/shacl_catalog.py");
    let output = Command::new(common::python())
        .arg(script)
        .args([&server.url, shapes.to_str().unwrap(), "text/turtle"])
        .output()
        .unwrap();
    assert!(!output.status.success(), "violations went unnoticed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("sh:path dcat:accessURL"), "{stderr}");
    assert!(
        stderr.contains("sh:path dct:description")
            || stderr.contains("sh:path dcterms:description"),
        "{stderr}"
    );
}

#[test]
fn sparqlwrapper_queries_and_updates() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &temp.path().join("data"),
        &["--admin-token", "wrapper-token"],
    );
    let endpoint = format!("{}/sparql", server.url);
    let summary = run_python("sparqlwrapper_client.py", &[&endpoint, "wrapper-token"]);
    let summary: serde_json::Value = serde_json::from_str(summary.trim()).unwrap();
    assert_eq!(summary["select_json"], 28, "{summary}");
    assert_eq!(summary["select_xml"], 28, "{summary}");
    assert_eq!(summary["ask"], true, "{summary}");
    assert_eq!(summary["construct_turtle"], 28, "{summary}");
    assert_ne!(summary["update_without_token"], "accepted", "{summary}");
    assert_eq!(summary["after_update"], true, "{summary}");
}
