//! The command line against real stores: `load` (splitting, errors, atomicity), `dump`,
//! lock errors, and restarts that keep data without reseeding.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Server, client, data, run};
use reqwest::StatusCode;
use reqwest::header::ACCEPT;

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn dump(dir: &std::path::Path) -> Vec<u8> {
    let output = run(dir, &["dump", "--data-dir", "data"]);
    assert!(output.status.success(), "dump failed: {}", stderr(&output));
    output.stdout
}

#[test]
fn malformed_turtle_names_the_line_and_changes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let good = run(
        dir,
        &[
            "load",
            "--data-dir",
            "data",
            data("extra-dataset.ttl").to_str().unwrap(),
        ],
    );
    assert!(good.status.success(), "{}", stderr(&good));
    let before = dump(dir);
    assert!(!before.is_empty());

    // The malformed file comes second: the good file before it must not be written either.
    let output = run(
        dir,
        &[
            "load",
            "--data-dir",
            "data",
            data("extra-dataset.ttl").to_str().unwrap(),
            data("malformed.ttl").to_str().unwrap(),
        ],
    );
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("malformed.ttl:8:"),
        "the error does not name line 8: {message}"
    );
    assert_eq!(
        message
            .trim()
            .lines()
            .filter(|l| l.starts_with("error:"))
            .count(),
        1,
        "{message}"
    );
    assert_eq!(dump(dir), before, "a failed load changed the store");
}

#[test]
fn missing_files_unknown_formats_and_bad_flags_fail_clearly() {
    let temp = tempfile::tempdir().unwrap();
    let output = run(temp.path(), &["load", "--data-dir", "data", "nope.ttl"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("nope.ttl: no such file"),
        "{}",
        stderr(&output)
    );

    std::fs::write(temp.path().join("x.csv"), "a,b\n").unwrap();
    let output = run(temp.path(), &["load", "--data-dir", "data", "x.csv"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("--format"), "{}", stderr(&output));

    let output = run(temp.path(), &["serve", "--listen", "not-an-address"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("invalid listen address"),
        "{}",
        stderr(&output)
    );

    let output = run(temp.path(), &["dump", "--data-dir", "no-store-here"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("no store in no-store-here"),
        "{}",
        stderr(&output)
    );
    assert!(
        !temp.path().join("no-store-here").exists(),
        "dump created a store"
    );

    std::fs::write(temp.path().join("passerelle.toml"), "colour = \"blue\"\n").unwrap();
    let output = run(temp.path(), &["dump"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("passerelle.toml"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_locked_store_is_reported() {
    let server = Server::start();
    let dir = server.data_dir.parent().unwrap().to_owned();
    let output = run(&dir, &["dump", "--data-dir", "data"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("locked by another process"), "{message}");
    assert_eq!(
        message.trim().lines().count(),
        1,
        "not a one-line error: {message}"
    );
}

#[tokio::test]
async fn load_splits_datasets_into_records_and_restarts_keep_everything() {
    let temp = tempfile::tempdir().unwrap();
    let data_dir = temp.path().join("data");

    // First start: the demo catalog is loaded.
    let server = Server::start_in(&data_dir, None);
    let catalog = client()
        .get(format!("{}/", server.url))
        .header(ACCEPT, "application/n-triples")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let seeded = catalog
        .matches("<http://www.w3.org/ns/dcat#dataset>")
        .count();
    assert!(seeded >= 25);
    let first_iri = catalog
        .lines()
        .find(|l| l.contains("<http://www.w3.org/ns/dcat#dataset>"))
        .unwrap()
        .split_whitespace()
        .nth(2)
        .unwrap()
        .trim_matches(['<', '>'])
        .to_owned();
    let first = client()
        .get(server.url_of(&first_iri))
        .header(ACCEPT, "text/turtle")
        .send()
        .await
        .unwrap();
    let etag = first.headers()["etag"].clone();
    let port_base = server.base.clone();
    drop(server);

    // Load more data while the server is down, with the same base IRI.
    let output = run(
        temp.path(),
        &[
            "load",
            "--data-dir",
            "data",
            "--base-iri",
            &port_base,
            data("extra-dataset.ttl").to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("3 records created"),
        "{}",
        stderr(&output)
    );
    // Loading the same file again replaces, it does not duplicate.
    let output = run(
        temp.path(),
        &[
            "load",
            "--data-dir",
            "data",
            "--base-iri",
            &port_base,
            data("extra-dataset.ttl").to_str().unwrap(),
        ],
    );
    assert!(
        stderr(&output).contains("0 records created, 3 replaced"),
        "{}",
        stderr(&output)
    );

    // Restart on the same port-derived base: everything is there, nothing reseeded.
    let port: u16 = port_base
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let server = Server::start_on(&data_dir, port, None);
    let catalog = client()
        .get(format!("{}/", server.url))
        .header(ACCEPT, "application/n-triples")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        catalog
            .matches("<http://www.w3.org/ns/dcat#dataset>")
            .count(),
        seeded + 2
    );
    let again = client()
        .get(server.url_of(&first_iri))
        .header(ACCEPT, "text/turtle")
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.headers()["etag"],
        etag,
        "a seeded dataset changed: the demo catalog was reloaded"
    );

    // The foreign dataset keeps its IRI and is served at a local page.
    let response = client()
        .get(format!("{}/datasets/arbres-remarquables", server.url))
        .header(ACCEPT, "application/n-triples")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    assert!(body.contains("<https://opendata.example.fr/dataset/arbres-remarquables> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>"), "{body}");
    assert!(
        body.contains("\"2048\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>"),
        "{body}"
    );
    assert!(
        body.contains("<http://xmlns.com/foaf/0.1/name> \"Ville exemple\"@fr"),
        "publisher label missing: {body}"
    );
    // The blank-node dataset got a stable IRI from its identifier.
    let response = client()
        .get(format!("{}/datasets/bancs-publics", server.url))
        .header(ACCEPT, "text/turtle")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // The search page links to our page of the foreign dataset, not to its foreign IRI.
    let landing = client()
        .get(format!("{}/search?q=arbres", server.url))
        .header(ACCEPT, "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .replace("&#x2f;", "/");
    assert!(
        landing.contains(&format!("href=\"{port_base}datasets/arbres-remarquables\"")),
        "{landing}"
    );
    // The foreign catalog's description was not taken for ours.
    assert!(!catalog.contains("Someone else"), "{catalog}");
}

#[test]
fn load_into_a_named_graph_and_dump_as_trig() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let output = run(
        dir,
        &[
            "load",
            "--data-dir",
            "data",
            "--graph",
            "http://example.org/g",
            "--format",
            "ttl",
            data("extra-dataset.ttl").to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let output = run(
        dir,
        &[
            "dump",
            "--data-dir",
            "data",
            "--format",
            "trig",
            "--output",
            "out.trig",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let trig = std::fs::read_to_string(dir.join("out.trig")).unwrap();
    assert!(
        trig.contains("<http://example.org/g> {"),
        "{}",
        &trig[..trig.len().min(2000)]
    );
    assert!(
        !trig.contains("records/arbres-remarquables"),
        "--graph must not split into records"
    );
}

/// N-Quads of the whole store, as lines.
fn dump_lines(dir: &std::path::Path) -> Vec<String> {
    String::from_utf8(dump(dir))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn id_clashes_blank_nodes_and_shared_concepts_load_predictably() {
    let prepared = common::Prepared::new();
    let (dir, base) = (prepared.temp.path(), prepared.base.clone());
    let file = data("clashes.ttl");
    let load = |expect: &str| {
        let report = prepared.load_ok(&[&file]);
        assert!(report.contains(expect), "wanted {expect:?}: {report}");
    };
    load("4 records created, 0 replaced, 6 triples unassigned");
    let first = dump_lines(dir);
    // Loading again replaces the same records, blank-node datasets included, and the
    // unassigned triples of this file instead of adding copies.
    load("0 records created, 4 replaced, 6 triples unassigned");
    let second = dump_lines(dir);
    assert_eq!(
        first.len(),
        second.len(),
        "a reload changed the number of quads"
    );
    let unassigned = |lines: &[String]| {
        lines
            .iter()
            .filter(|l| l.contains("graphs/unassigned/"))
            .count()
    };
    assert_eq!(unassigned(&first), 6);
    assert_eq!(unassigned(&second), 6);
    // The concept is nobody's: no record graph holds its scheme.
    assert!(
        !second
            .iter()
            .any(|l| l.contains("inScheme") && l.contains("/records/")),
        "a record owns the concept"
    );

    let server = prepared.serve();
    let get = |path: &str| {
        client()
            .get(format!("{}/{path}", server.url))
            .header(ACCEPT, "application/n-triples")
            .send()
    };
    // A store that already held data when first served gets no demo catalog.
    let catalog = get("").await.unwrap().text().await.unwrap();
    assert_eq!(
        catalog
            .matches("<http://www.w3.org/ns/dcat#dataset>")
            .count(),
        3,
        "{catalog}"
    );
    // Both resources named `shared` resolve to themselves despite sharing an id.
    let dataset = get("datasets/shared").await.unwrap();
    assert_eq!(dataset.status(), StatusCode::OK);
    let dataset = dataset.text().await.unwrap();
    assert!(dataset.contains(&format!("<{base}datasets/shared> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>")), "{dataset}");
    // The shared concept's label still comes with the dataset.
    assert!(dataset.contains("\"Water\"@en"), "{dataset}");
    let agent = get("agents/shared").await.unwrap();
    assert_eq!(agent.status(), StatusCode::OK);
    assert!(
        agent
            .text()
            .await
            .unwrap()
            .contains("\"Shared id, agent\"@en")
    );
    // Blank-node datasets got our IRIs.
    for id in ["dataset", "dataset-2"] {
        let response = get(&format!("datasets/{id}")).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "datasets/{id}");
    }
}

#[tokio::test]
async fn catalog_last_modified_moves_when_datasets_are_loaded() {
    let prepared = common::Prepared::new();
    let server = prepared.serve();
    let turtle = [("Accept", "text/turtle")];
    let before = common::get_with(&format!("{}/", server.url), &turtle).await;
    let last_modified = before.headers()["last-modified"]
        .to_str()
        .unwrap()
        .to_owned();
    drop(server);

    std::thread::sleep(std::time::Duration::from_millis(1100));
    prepared.load_ok(&[&data("extra-dataset.ttl")]);

    let server = prepared.serve();
    let after = common::get_with(
        &format!("{}/", server.url),
        &[
            ("Accept", "text/turtle"),
            ("If-Modified-Since", &last_modified),
        ],
    )
    .await;
    assert_eq!(
        after.status(),
        StatusCode::OK,
        "a stale catalog was answered 304"
    );
    assert_ne!(
        after.headers()["last-modified"].to_str().unwrap(),
        last_modified
    );
}

#[test]
fn settings_layer_file_then_environment_then_flags() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    std::fs::write(
        dir.join("passerelle.toml"),
        "data-dir = \"store\"\nbase-iri = \"http://file.example/\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("other.toml"),
        "data-dir = \"store\"\nbase-iri = \"http://other-file.example/\"\n",
    )
    .unwrap();
    let file = data("clashes.ttl");
    let load = |env: Option<&str>, extra: &[&str]| {
        let mut command = common::passerelle(dir);
        command.args(["load", file.to_str().unwrap()]).args(extra);
        if let Some(base) = env {
            command.env("PASSERELLE_BASE_IRI", base);
        }
        let output = command.output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    };
    load(None, &[]);
    load(Some("http://env.example/"), &[]);
    load(
        Some("http://env.example/"),
        &["--base-iri", "http://flag.example/"],
    );
    load(None, &["--config", "other.toml"]);
    let output = run(dir, &["dump"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let dump = String::from_utf8(output.stdout).unwrap();
    for base in [
        "http://file.example/",
        "http://env.example/",
        "http://flag.example/",
        "http://other-file.example/",
    ] {
        assert!(
            dump.contains(&format!("<{base}records/shared>")),
            "no records under {base}"
        );
    }
    assert!(
        dir.join("store").is_dir() && !dir.join("data").exists(),
        "data-dir from the file was ignored"
    );
}

/// `dcat:Dataset` subjects in a file, counted by oxigraph's parser, independently of ours.
fn datasets_in(path: &std::path::Path) -> usize {
    use oxigraph::io::{RdfFormat, RdfParser};
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("rdf" | "xml") => RdfFormat::RdfXml,
        Some("jsonld") => RdfFormat::from_extension("jsonld").unwrap(),
        Some(other) => RdfFormat::from_extension(other).unwrap(),
        None => panic!("no extension"),
    };
    let bytes = std::fs::read(path).unwrap();
    let mut subjects = std::collections::HashSet::new();
    for quad in RdfParser::from_format(format)
        .with_base_iri("http://localhost:8080/")
        .unwrap()
        .for_slice(&bytes)
    {
        let quad = quad.unwrap();
        if quad.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
            && quad.object.to_string() == "<http://www.w3.org/ns/dcat#Dataset>"
        {
            subjects.insert(quad.subject.to_string());
        }
    }
    subjects.len()
}

/// The datasets the catalog of the store in `dir/data` lists, from a dump.
fn listed_datasets(dir: &std::path::Path) -> usize {
    String::from_utf8(dump(dir))
        .unwrap()
        .lines()
        .filter(|l| {
            l.contains("<http://www.w3.org/ns/dcat#dataset>") && l.ends_with("/graphs/catalog> .")
        })
        .count()
}

#[test]
fn load_reads_real_feeds_in_every_syntax() {
    let feeds = [
        "feeds/ckanext-dcat/examples/dcat/catalog.rdf",
        "feeds/ckanext-dcat/examples/dcat/catalog_with_at_graph.jsonld",
        "feeds/udata/dcat/bnodes.jsonld",
        "feeds/fairdatapoint/rdf-examples/fantom5.ttl",
        "feeds/govdata-dcatde/resources/metadata_max_only_valid_uris.rdf",
    ];
    let temp = tempfile::tempdir().unwrap();
    let mut expected = 0;
    for feed in feeds {
        let path = common::fixture(feed);
        let in_file = datasets_in(&path);
        assert!(in_file > 0, "{feed} has no dataset");
        expected += in_file;
        let output = run(
            temp.path(),
            &["load", "--data-dir", "data", path.to_str().unwrap()],
        );
        assert!(output.status.success(), "{feed}: {}", stderr(&output));
        assert_eq!(listed_datasets(temp.path()), expected, "after {feed}");
    }
    // A feed with an invalid IRI (a phone number with spaces) is refused as a whole, with
    // a clear message, and changes nothing.
    let before = dump(temp.path());
    let invalid = common::fixture("feeds/govdata-dcatde/resources/metadata_max.rdf");
    let output = run(
        temp.path(),
        &["load", "--data-dir", "data", invalid.to_str().unwrap()],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("metadata_max.rdf") && stderr(&output).contains("tel:+49"),
        "{}",
        stderr(&output)
    );
    assert_eq!(dump(temp.path()), before);
    // N-Quads and TriG: our own dumps load into a new store with the same records;
    // N-Triples: a feed converted by oxigraph.
    for (format, extension) in [("nq", "nq"), ("trig", "trig")] {
        let out = temp.path().join(format!("dump.{extension}"));
        let output = run(
            temp.path(),
            &[
                "dump",
                "--data-dir",
                "data",
                "--format",
                format,
                "--output",
                out.to_str().unwrap(),
            ],
        );
        assert!(output.status.success(), "{}", stderr(&output));
        let other = tempfile::tempdir().unwrap();
        let output = run(
            other.path(),
            &["load", "--data-dir", "data", out.to_str().unwrap()],
        );
        assert!(output.status.success(), "{format}: {}", stderr(&output));
        assert_eq!(
            listed_datasets(other.path()),
            expected,
            "reloading a {format} dump"
        );
    }
    let turtle = common::fixture("feeds/fairdatapoint/rdf-examples/disgenet.ttl");
    let nt = temp.path().join("disgenet.nt");
    let mut writer = oxigraph::io::RdfSerializer::from_format(oxigraph::io::RdfFormat::NTriples)
        .for_writer(Vec::new());
    for quad in oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(&std::fs::read(&turtle).unwrap())
    {
        writer.serialize_quad(&quad.unwrap()).unwrap();
    }
    std::fs::write(&nt, writer.finish().unwrap()).unwrap();
    let other = tempfile::tempdir().unwrap();
    let output = run(
        other.path(),
        &["load", "--data-dir", "data", nt.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(listed_datasets(other.path()), datasets_in(&turtle));
}
