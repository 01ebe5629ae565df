//! The write API over HTTP: creating, replacing and deleting datasets with tokens and
//! roles, profile validation with a report, `If-Match` against lost updates, tombstones
//! for deleted datasets, and bad requests that leave the store byte for byte the same.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{
    ADMIN, api_request, bearer, create_token, expect_status, header, problem, send, server,
    turtle_of,
};
use common::{Server, ask, client, get_with, run};
use reqwest::StatusCode;
use serde_json::Value;

const TURTLE: &str = "text/turtle";
const PREFIXES: &str =
    "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n";

/// A small valid dataset, published by one of the demo agents.
fn dataset(id: &str, title: &str, publisher: &str) -> String {
    format!(
        "{PREFIXES}<{id}> a dcat:Dataset ;\n  dct:title \"{title}\"@fr ;\n  dct:description \"Comptages annuels.\"@fr ;\n  dct:publisher <../agents/{publisher}> ;\n  dcat:keyword \"loutre\"@fr .\n"
    )
}

async fn post(server: &Server, body: &str, token: &str) -> reqwest::Response {
    let body = Some((body, TURTLE));
    api_request(server, reqwest::Method::POST, "datasets", body, token, None).await
}

async fn put(
    server: &Server,
    id: &str,
    body: &str,
    token: &str,
    etag: Option<&str>,
) -> reqwest::Response {
    let (path, body) = (format!("datasets/{id}"), Some((body, TURTLE)));
    api_request(server, reqwest::Method::PUT, &path, body, token, etag).await
}

async fn delete(server: &Server, id: &str, token: &str, etag: Option<&str>) -> reqwest::Response {
    let path = format!("datasets/{id}");
    api_request(server, reqwest::Method::DELETE, &path, None, token, etag).await
}

/// The Turtle of a dataset page and its ETag.
async fn read(server: &Server, id: &str) -> (String, String) {
    turtle_of(&format!("{}/datasets/{id}", server.url)).await
}

#[tokio::test]
async fn a_created_dataset_is_served_and_replaced_only_with_its_current_etag() {
    let (server, _temp) = server();
    let created = post(
        &server,
        &dataset("loutres", "Loutres 2025", "ecobio"),
        ADMIN,
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let location = header(&created, "location");
    assert_eq!(location, format!("{}datasets/loutres", server.base));
    let written_etag = header(&created, "etag");
    let answer: Value = serde_json::from_str(&created.text().await.unwrap()).unwrap();
    let warnings = answer["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w["path"] == "http://www.w3.org/ns/dcat#distribution"),
        "a missing recommended property is a warning: {answer}"
    );

    // The page answers with an ETag of the same version; it is in the feed and in SPARQL.
    let (turtle, etag) = read(&server, "loutres").await;
    assert!(turtle.contains("Loutres 2025"), "{turtle}");
    let version = written_etag.trim_matches('"');
    assert!(
        etag.starts_with(&format!("\"{version}-")),
        "{etag} vs {written_etag}"
    );
    let iri = format!("{}datasets/loutres", server.base);
    assert!(
        ask(
            &server,
            &format!("ASK {{ <{iri}> a <http://www.w3.org/ns/dcat#Dataset> }}")
        )
        .await
    );
    let feed = get_with(
        &format!("{}/catalog?page_size=1000", server.url),
        &[("Accept", TURTLE)],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(feed.contains("Loutres 2025"));

    // A replacement needs If-Match (428), and the current version (412).
    let changed = turtle.replace("Loutres 2025", "Loutres d'Europe 2025");
    let missing = put(&server, "loutres", &changed, ADMIN, None).await;
    problem(missing, StatusCode::PRECONDITION_REQUIRED).await;
    let wrong = put(&server, "loutres", &changed, ADMIN, Some("\"v1-abc\"")).await;
    problem(wrong, StatusCode::PRECONDITION_FAILED).await;

    // What GET answered, edited and sent back with its ETag, is accepted.
    let replaced = put(&server, "loutres", &changed, ADMIN, Some(&etag)).await;
    expect_status(replaced, StatusCode::OK).await;
    let (after, new_etag) = read(&server, "loutres").await;
    assert!(after.contains("Loutres d'Europe 2025"), "{after}");
    assert_ne!(new_etag, etag);
    let stale = put(&server, "loutres", &turtle, ADMIN, Some(&etag)).await;
    problem(stale, StatusCode::PRECONDITION_FAILED).await;

    // Creating it again is a conflict.
    let again = post(&server, &dataset("loutres", "Encore", "ecobio"), ADMIN).await;
    problem(again, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn an_invalid_dataset_gets_a_report_naming_what_is_missing() {
    let (server, _temp) = server();
    let body = format!(
        "{PREFIXES}<sans-description> a dcat:Dataset ; dct:title \"Sans description\"@fr ;\n  dct:publisher <../agents/ecobio> ; dct:issued \"hier\" ."
    );
    let answer = problem(
        post(&server, &body, ADMIN).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let violations = answer["report"]["violations"].as_array().unwrap();
    let focus = format!("{}datasets/sans-description", server.base);
    let description = violations
        .iter()
        .find(|v| v["path"] == "http://purl.org/dc/terms/description")
        .unwrap_or_else(|| panic!("no violation for dct:description: {answer}"));
    assert_eq!(description["focus"], focus.as_str());
    assert_eq!(description["constraint"], "sh:MinCountConstraintComponent");
    assert!(
        description["message"]
            .as_str()
            .unwrap()
            .contains("description")
    );
    let warnings = answer["report"]["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|v| v["path"] == "http://purl.org/dc/terms/issued" && v["value"].is_string()),
        "a date that is not a date is a warning: {answer}"
    );
    let status = get_with(&format!("{}/datasets/sans-description", server.url), &[]).await;
    assert_eq!(
        status.status(),
        StatusCode::NOT_FOUND,
        "nothing was written"
    );
}

#[tokio::test]
async fn bad_requests_answer_clearly_and_leave_the_store_byte_for_byte_the_same() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("data");
    // A fixed base IRI: the restarted server listens on another port.
    let flags = [
        "--admin-token",
        ADMIN,
        "--max-body",
        "40000",
        "--base-iri",
        "http://data.example.org/",
    ];
    let mut server = Server::start_with(&dir, &flags);
    // The quality board's first measurements are in the store before it is dumped.
    crate::common::quality_settled(&server).await;
    server.stop();
    let dump = || {
        let public = run(temp.path(), &["dump", "--data-dir", "data"]).stdout;
        let private = run(temp.path(), &["dump", "--data-dir", "data", "--private"]).stdout;
        (public, private)
    };
    let before = dump();
    assert!(!before.0.is_empty());
    let server = Server::start_with(&dir, &flags);
    let (_, etag) = read(&server, "flux-co2-tourbiere-venec").await;

    // Malformed Turtle: 400 with the line and column.
    let broken = format!("{PREFIXES}<x> a dcat:Dataset ;\n  dct:title \"unterminated .\n");
    let answer = problem(post(&server, &broken, ADMIN).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(answer["line"], 4, "{answer}");
    assert!(answer["column"].as_u64().unwrap() > 0, "{answer}");
    // Malformed JSON-LD too.
    let auth = bearer(ADMIN);
    let json = send(
        reqwest::Method::POST,
        &format!("{}/api/datasets", server.url),
        "{\"@id\": \"x\", \"@type\": ",
        "application/ld+json",
        &[("Authorization", &auth)],
    )
    .await;
    problem(json, StatusCode::BAD_REQUEST).await;
    // A media type we do not read: 415.
    let csv = send(
        reqwest::Method::POST,
        &format!("{}/api/datasets", server.url),
        "title,description\n",
        "text/csv",
        &[("Authorization", &auth)],
    )
    .await;
    problem(csv, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    // Over the body limit: 413.
    let huge = format!("{PREFIXES}# {}\n", "x".repeat(50_000));
    problem(
        post(&server, &huge, ADMIN).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    // Two datasets in one body, or a triple about something the catalog does not know.
    let two = format!(
        "{}{}",
        dataset("a", "A", "ecobio"),
        "<b> a dcat:Dataset .\n"
    );
    problem(post(&server, &two, ADMIN).await, StatusCode::BAD_REQUEST).await;
    let stray = format!(
        "{}<../agents/ecobio> dct:title \"renamed on the side\" .\n",
        dataset("c", "C", "ecobio")
    );
    let answer = problem(post(&server, &stray, ADMIN).await, StatusCode::BAD_REQUEST).await;
    assert!(
        answer["detail"].as_str().unwrap().contains("agents/ecobio"),
        "{answer}"
    );
    // No token, a wrong token, a stale ETag, an invalid record.
    let anonymous = send(
        reqwest::Method::POST,
        &format!("{}/api/datasets", server.url),
        &dataset("d", "D", "ecobio"),
        TURTLE,
        &[],
    )
    .await;
    problem(anonymous, StatusCode::UNAUTHORIZED).await;
    problem(
        post(&server, &dataset("e", "E", "ecobio"), "nope").await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let (turtle, _) = read(&server, "flux-co2-tourbiere-venec").await;
    let stale = put(
        &server,
        "flux-co2-tourbiere-venec",
        &turtle,
        ADMIN,
        Some("\"v5-0\""),
    )
    .await;
    problem(stale, StatusCode::PRECONDITION_FAILED).await;
    let invalid = turtle.replace("dct:description", "dct:abstract");
    let invalid = put(
        &server,
        "flux-co2-tourbiere-venec",
        &invalid,
        ADMIN,
        Some(&etag),
    )
    .await;
    problem(invalid, StatusCode::UNPROCESSABLE_ENTITY).await;
    let mut server = server;
    server.stop();

    let after = dump();
    assert!(before.0 == after.0, "a rejected write changed the store");
    assert!(
        before.1 == after.1,
        "a rejected write left a revision in the history"
    );
}

#[tokio::test]
async fn editors_write_only_their_publishers_datasets() {
    let (server, temp) = server();
    let ecobio = format!("{}agents/ecobio", server.base);
    let editor = create_token(
        temp.path(),
        &[
            "--name",
            "alice",
            "--role",
            "editor",
            "--publisher",
            &ecobio,
        ],
    );
    assert!(editor.starts_with("psl_"), "{editor}");

    // Their own publisher: yes; another one: no.
    let own = post(&server, &dataset("mine", "Mine", "ecobio"), &editor).await;
    assert_eq!(own.status(), StatusCode::CREATED);
    let other = post(&server, &dataset("theirs", "Theirs", "cnrs"), &editor).await;
    problem(other, StatusCode::FORBIDDEN).await;

    // A demo dataset of the CNRS, even rewritten to name ECOBIO: no.
    let (turtle, etag) = read(&server, "flux-co2-tourbiere-venec").await;
    let taken = turtle.replace("agents/cnrs>", "agents/ecobio>");
    let refused = put(
        &server,
        "flux-co2-tourbiere-venec",
        &taken,
        &editor,
        Some(&etag),
    )
    .await;
    problem(refused, StatusCode::FORBIDDEN).await;
    let refused = delete(&server, "flux-co2-tourbiere-venec", &editor, Some(&etag)).await;
    problem(refused, StatusCode::FORBIDDEN).await;

    // An ECOBIO dataset: yes.
    let (turtle, etag) = read(&server, "amphibiens-mares-zone-atelier-armorique").await;
    let edited = turtle.replace("(2012–2023)\"@fr", "(2012–2024)\"@fr");
    let accepted = put(
        &server,
        "amphibiens-mares-zone-atelier-armorique",
        &edited,
        &editor,
        Some(&etag),
    )
    .await;
    expect_status(accepted, StatusCode::OK).await;

    // SPARQL Update is for admins; an admin token from the CLI works.
    let update = |token: String| {
        let url = format!("{}/sparql", server.url);
        async move {
            client()
                .post(url)
                .header("Content-Type", "application/sparql-update")
                .header("Authorization", bearer(&token))
                .body("INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 1 } }")
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(update(editor.clone()).await, StatusCode::FORBIDDEN);
    let admin = create_token(temp.path(), &["--name", "root", "--role", "admin"]);
    assert_eq!(update(admin).await, StatusCode::NO_CONTENT);

    // Listed by name and role, never by secret.
    let listed = run(temp.path(), &["token", "list", "--data-dir", "data"]);
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert!(
        listed.contains("alice") && listed.contains(&format!("editor of {ecobio}")),
        "{listed}"
    );
    assert!(
        listed.contains("root") && listed.contains("admin"),
        "{listed}"
    );
    assert!(!listed.contains(&editor), "a secret was listed: {listed}");

    // A revoked token no longer works.
    let output = run(
        temp.path(),
        &["token", "revoke", "--data-dir", "data", "alice"],
    );
    assert!(output.status.success());
    let revoked = post(&server, &dataset("later", "Later", "ecobio"), &editor).await;
    problem(revoked, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn of_concurrent_replacements_with_the_same_etag_exactly_one_wins() {
    let (server, _temp) = server();
    let (turtle, etag) = read(&server, "amphibiens-mares-zone-atelier-armorique").await;
    let server = std::sync::Arc::new(server);
    let mut tasks = Vec::new();
    for n in 0..8 {
        let server = server.clone();
        let body = turtle.replace("(2012–2023)\"@fr", &format!("(écriture {n})\"@fr"));
        let etag = etag.clone();
        tasks.push(tokio::spawn(async move {
            put(
                &server,
                "amphibiens-mares-zone-atelier-armorique",
                &body,
                ADMIN,
                Some(&etag),
            )
            .await
            .status()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let won = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let lost = statuses
        .iter()
        .filter(|s| **s == StatusCode::PRECONDITION_FAILED)
        .count();
    assert_eq!((won, lost), (1, 7), "{statuses:?}");
}

#[tokio::test]
async fn a_deleted_dataset_is_gone_for_readers_and_withdrawn_in_the_feed() {
    let (server, _temp) = server();
    let id = "transects-pollinisateurs-bocage";
    let (_, etag) = read(&server, id).await;
    problem(
        delete(&server, id, ADMIN, None).await,
        StatusCode::PRECONDITION_REQUIRED,
    )
    .await;
    let deleted = delete(&server, id, ADMIN, Some(&etag)).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);

    for path in [format!("datasets/{id}"), format!("records/{id}")] {
        let gone = get_with(&format!("{}/{path}", server.url), &[("Accept", TURTLE)]).await;
        problem(gone, StatusCode::GONE).await;
    }
    problem(
        delete(&server, id, ADMIN, Some(&etag)).await,
        StatusCode::GONE,
    )
    .await;
    problem(
        put(&server, id, "", ADMIN, Some(&etag)).await,
        StatusCode::GONE,
    )
    .await;
    let iri = format!("{}datasets/{id}", server.base);
    assert!(
        !ask(
            &server,
            &format!("ASK {{ <{iri}> a <http://www.w3.org/ns/dcat#Dataset> }}")
        )
        .await
    );

    let yesterday = (time::OffsetDateTime::now_utc() - time::Duration::days(1)).date();
    let feed = get_with(
        &format!("{}/catalog?modified_since={yesterday}", server.url),
        &[("Accept", "application/n-triples")],
    )
    .await
    .text()
    .await
    .unwrap();
    let record = format!("<{}records/{id}>", server.base);
    assert!(
        feed.lines().any(|l| l.starts_with(&record)
            && l.contains("<http://www.w3.org/ns/adms#status>")
            && l.contains("WITHDRAWN")),
        "the feed lists the tombstone: {}",
        feed.lines()
            .filter(|l| l.contains(id))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[tokio::test]
async fn every_write_leaves_a_revision_and_earlier_versions_can_be_read() {
    let (server, temp) = server();
    let ecobio = format!("{}agents/ecobio", server.base);
    let editor = create_token(
        temp.path(),
        &["--name", "bob", "--role", "editor", "--publisher", &ecobio],
    );
    let created = post(&server, &dataset("hist", "Version une", "ecobio"), &editor).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let (turtle, etag) = read(&server, "hist").await;
    let changed = turtle.replace("Version une", "Version deux");
    let replaced = put(&server, "hist", &changed, ADMIN, Some(&etag)).await;
    assert_eq!(replaced.status(), StatusCode::OK);
    let (_, etag) = read(&server, "hist").await;
    assert_eq!(
        delete(&server, "hist", &editor, Some(&etag)).await.status(),
        StatusCode::NO_CONTENT
    );

    // The history is PROV-O: three entities, each generated by an activity of someone.
    let history = get_with(
        &format!("{}/datasets/hist/history", server.url),
        &[("Accept", "application/n-triples")],
    )
    .await;
    assert_eq!(history.status(), StatusCode::OK);
    let history = history.text().await.unwrap();
    let prov = |local: &str| format!("<http://www.w3.org/ns/prov#{local}>");
    let entities = history
        .lines()
        .filter(|l| l.ends_with(&format!("{} .", prov("Entity"))))
        .count();
    assert_eq!(entities, 3, "{history}");
    for action in ["\"create\"", "\"replace\"", "\"delete\""] {
        assert!(history.contains(action), "no {action} activity:\n{history}");
    }
    for name in ["\"bob\"", "\"admin\""] {
        assert!(history.contains(name), "no agent {name}:\n{history}");
    }
    assert!(
        !history.contains("127.0.0.1"),
        "client addresses are for admins: {history}"
    );
    let admin_auth = bearer(ADMIN);
    let full = get_with(
        &format!("{}/datasets/hist/history", server.url),
        &[
            ("Accept", "application/n-triples"),
            ("Authorization", &admin_auth),
        ],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(full.contains("HTTP API from 127.0.0.1"), "{full}");
    assert!(history.contains(&prov("wasRevisionOf")), "{history}");

    // Earlier versions, even of a withdrawn dataset; none past the last.
    let version = |n: u32| {
        let url = format!("{}/datasets/hist?version={n}", server.url);
        async move { get_with(&url, &[("Accept", "application/n-triples")]).await }
    };
    let first = version(1).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert!(first.text().await.unwrap().contains("\"Version une\"@fr"));
    assert!(
        version(2)
            .await
            .text()
            .await
            .unwrap()
            .contains("\"Version deux\"@fr")
    );
    assert_eq!(
        version(3).await.status(),
        StatusCode::NOT_FOUND,
        "a deletion has no content"
    );
    assert_eq!(version(9).await.status(), StatusCode::NOT_FOUND);
    let bad = get_with(&format!("{}/datasets/hist?version=zero", server.url), &[]).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // Anonymous SPARQL sees no earlier version.
    assert!(!ask(&server, "ASK { ?s <http://www.w3.org/ns/prov#value> ?o }").await);
    assert!(!ask(&server, "ASK { ?s ?p \"Version une\"@fr }").await);

    // A withdrawn dataset comes back only by an admin, under its id; its history goes on.
    let again = dataset("hist", "Version trois", "ecobio");
    problem(post(&server, &again, &editor).await, StatusCode::CONFLICT).await;
    let revived = post(&server, &again, ADMIN).await;
    assert_eq!(revived.status(), StatusCode::CREATED);
    assert_eq!(
        header(&revived, "location"),
        format!("{}datasets/hist", server.base)
    );
    let (turtle, _) = read(&server, "hist").await;
    assert!(turtle.contains("Version trois"), "{turtle}");
    assert!(
        version(4)
            .await
            .text()
            .await
            .unwrap()
            .contains("\"Version trois\"@fr")
    );
    // Another resource whose id would be this one's gets its own.
    let other = dataset("../datasets/hist-other", "Autre", "ecobio").replace(
        "<../datasets/hist-other>",
        "<https://elsewhere.example.org/hist>",
    );
    let created = post(&server, &other, ADMIN).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        header(&created, "location"),
        format!("{}datasets/hist-2", server.base)
    );
}

#[tokio::test]
async fn drafts_stay_hidden_from_anonymous_readers_until_published() {
    let (server, temp) = server();
    let ecobio = format!("{}agents/ecobio", server.base);
    let editor = create_token(
        temp.path(),
        &[
            "--name",
            "carol",
            "--role",
            "editor",
            "--publisher",
            &ecobio,
        ],
    );
    let cnrs = format!("{}agents/cnrs", server.base);
    let stranger = create_token(
        temp.path(),
        &["--name", "dan", "--role", "editor", "--publisher", &cnrs],
    );
    // A draft may be incomplete: no description, reported but accepted.
    let body = format!(
        "{PREFIXES}<brouillon> a dcat:Dataset ; dct:title \"Brouillon secret\"@fr ; dct:publisher <../agents/ecobio> ."
    );
    let auth = bearer(&editor);
    let created = send(
        reqwest::Method::POST,
        &format!("{}/api/datasets?status=draft", server.url),
        &body,
        TURTLE,
        &[("Authorization", &auth)],
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let answer: Value = serde_json::from_str(&created.text().await.unwrap()).unwrap();
    assert_eq!(answer["status"], "draft");
    assert!(
        answer["violations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["path"] == "http://purl.org/dc/terms/description"),
        "{answer}"
    );

    // Anonymous readers: not in SPARQL, not in the feed, not at its IRI, nor its history.
    let everything = common::sparql_get(
        &format!("{}/sparql", server.url),
        "SELECT * { ?s ?p ?o }",
        "text/csv",
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(!everything.contains("Brouillon secret") && !everything.contains("brouillon"));
    let everything = common::sparql_get(
        &format!("{}/sparql", server.url),
        "SELECT * { GRAPH ?g { ?s ?p ?o } }",
        "text/csv",
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(!everything.contains("brouillon"));
    let feed = get_with(
        &format!("{}/catalog?page_size=1000", server.url),
        &[("Accept", TURTLE)],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(!feed.contains("Brouillon secret"));
    let page = format!("{}/datasets/brouillon", server.url);
    assert_eq!(get_with(&page, &[]).await.status(), StatusCode::NOT_FOUND);
    let history = format!("{page}/history");
    assert_eq!(
        get_with(&history, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    let stranger_auth = bearer(&stranger);
    let hidden = get_with(&page, &[("Authorization", &stranger_auth)]).await;
    assert_eq!(
        hidden.status(),
        StatusCode::NOT_FOUND,
        "another publisher's editor"
    );

    // Its editor sees it, with an ETag to change it.
    let seen = get_with(&page, &[("Authorization", &auth), ("Accept", TURTLE)]).await;
    assert_eq!(seen.status(), StatusCode::OK);
    let etag = header(&seen, "etag");
    let turtle = seen.text().await.unwrap();
    assert!(turtle.contains("Brouillon secret"), "{turtle}");
    assert_eq!(
        get_with(&history, &[("Authorization", &auth)])
            .await
            .status(),
        StatusCode::OK
    );

    // Publishing checks the profile fully, then the dataset is public like any other.
    let still_incomplete = send(
        reqwest::Method::PUT,
        &format!("{}/api/datasets/brouillon?status=published", server.url),
        &turtle,
        TURTLE,
        &[("Authorization", &auth), ("If-Match", &etag)],
    )
    .await;
    problem(still_incomplete, StatusCode::UNPROCESSABLE_ENTITY).await;
    let complete = turtle.replace(
        "\"Brouillon secret\"@fr",
        "\"Brouillon secret\"@fr ; <http://purl.org/dc/terms/description> \"Publié.\"@fr",
    );
    let published = send(
        reqwest::Method::PUT,
        &format!("{}/api/datasets/brouillon?status=published", server.url),
        &complete,
        TURTLE,
        &[("Authorization", &auth), ("If-Match", &etag)],
    )
    .await;
    expect_status(published, StatusCode::OK).await;
    let (public, _) = read(&server, "brouillon").await;
    assert!(public.contains("Brouillon secret"));
    let iri = format!("{}datasets/brouillon", server.base);
    assert!(
        ask(
            &server,
            &format!("ASK {{ <{iri}> a <http://www.w3.org/ns/dcat#Dataset> }}")
        )
        .await
    );
    assert_eq!(get_with(&history, &[]).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_embargoed_dataset_appears_when_its_embargo_ends() {
    let (server, _temp) = server();
    let until = time::OffsetDateTime::now_utc() + time::Duration::seconds(3);
    let until = until
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let url = format!(
        "{}/api/datasets?embargo={}",
        server.url,
        until.replace('+', "%2B")
    );
    let auth = bearer(ADMIN);
    // Held back, but complete: an embargoed record is checked like a published one.
    let incomplete =
        format!("{PREFIXES}<sous-embargo> a dcat:Dataset ; dct:title \"Sous embargo\"@fr .");
    let refused = send(
        reqwest::Method::POST,
        &url,
        &incomplete,
        TURTLE,
        &[("Authorization", &auth)],
    )
    .await;
    problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    let created = send(
        reqwest::Method::POST,
        &url,
        &dataset("sous-embargo", "Sous embargo", "ecobio"),
        TURTLE,
        &[("Authorization", &auth)],
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let answer: Value = serde_json::from_str(&created.text().await.unwrap()).unwrap();
    assert_eq!(answer["status"], "embargoed");

    let page = format!("{}/datasets/sous-embargo", server.url);
    let iri = format!("{}datasets/sous-embargo", server.base);
    let listed = format!("ASK {{ <{iri}> a <http://www.w3.org/ns/dcat#Dataset> }}");
    assert_eq!(get_with(&page, &[]).await.status(), StatusCode::NOT_FOUND);
    assert!(!ask(&server, &listed).await);

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while get_with(&page, &[]).await.status() != StatusCode::OK {
        assert!(
            std::time::Instant::now() < deadline,
            "still hidden after its embargo"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(ask(&server, &listed).await);
    let history = get_with(
        &format!("{page}/history"),
        &[
            ("Accept", "application/n-triples"),
            ("Authorization", &auth),
        ],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(history.contains("end of embargo"), "{history}");
    assert!(history.contains("\"publish\""), "{history}");
}

#[tokio::test]
async fn writes_cannot_take_over_what_is_not_theirs() {
    let (server, temp) = server();
    let ecobio = format!("{}agents/ecobio", server.base);
    let editor = create_token(
        temp.path(),
        &["--name", "eve", "--role", "editor", "--publisher", &ecobio],
    );

    // A blank-node dataset is given an id from its identifier; a second one with the same
    // identifier is a conflict, not a replacement.
    let blank = |title: &str| {
        format!(
            "{PREFIXES}[] a dcat:Dataset ; dct:identifier \"meme-id\" ; dct:title \"{title}\"@fr ;\n  dct:description \"D\"@fr ; dct:publisher <../agents/ecobio> ."
        )
    };
    let first = post(&server, &blank("Premier"), &editor).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let location = header(&first, "location");
    problem(
        post(&server, &blank("Second"), &editor).await,
        StatusCode::CONFLICT,
    )
    .await;
    let kept = get_with(&location, &[("Accept", TURTLE)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        kept.contains("Premier") && !kept.contains("Second"),
        "{kept}"
    );

    // Triples about another record's distribution are refused.
    let (cnrs_dataset, _) = read(&server, "flux-co2-tourbiere-venec").await;
    let distribution = cnrs_dataset
        .lines()
        .find_map(|l| l.split_whitespace().find(|w| w.contains("/distributions/")))
        .unwrap()
        .trim_end_matches([';', ',', '.'])
        .to_owned();
    let hijack = format!(
        "{}{distribution} <http://www.w3.org/ns/dcat#accessURL> <http://evil.example/> .\n",
        dataset("pirate", "Pirate", "ecobio").replace(
            "dcat:keyword \"loutre\"@fr .",
            &format!("dcat:keyword \"loutre\"@fr ; dcat:distribution {distribution} .")
        )
    );
    let refused = post(&server, &hijack, &editor).await;
    let answer = problem(refused, StatusCode::BAD_REQUEST).await;
    assert!(
        answer["detail"]
            .as_str()
            .unwrap()
            .contains("/distributions/"),
        "{answer}"
    );

    // A deleted draft's versions and history stay hidden.
    let auth = bearer(&editor);
    let draft = send(
        reqwest::Method::POST,
        &format!("{}/api/datasets?status=draft", server.url),
        &dataset("ephemere", "Éphémère", "ecobio"),
        TURTLE,
        &[("Authorization", &auth)],
    )
    .await;
    assert_eq!(draft.status(), StatusCode::CREATED);
    let etag = header(&draft, "etag");
    assert_eq!(
        delete(&server, "ephemere", &editor, Some(&etag))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    for path in [
        "datasets/ephemere?version=1",
        "datasets/ephemere/history",
        "agents/ephemere/history",
    ] {
        let hidden = get_with(&format!("{}/{path}", server.url), &[]).await;
        assert_eq!(hidden.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn the_etag_stays_usable_when_a_linked_record_changes() {
    let (server, _temp) = server();
    // The publisher's record changes after the dataset's: the dataset's page is newer
    // (Last-Modified) but its version, which If-Match names, is not.
    let (agent, agent_etag) = {
        let response = get_with(
            &format!("{}/agents/ecobio", server.url),
            &[("Accept", TURTLE)],
        )
        .await;
        let etag = header(&response, "etag");
        (response.text().await.unwrap(), etag)
    };
    let auth = bearer(ADMIN);
    let renamed = agent.replace("ECOBIO", "EcoBio");
    let changed = send(
        reqwest::Method::PUT,
        &format!("{}/api/agents/ecobio", server.url),
        &renamed,
        TURTLE,
        &[("Authorization", &auth), ("If-Match", &agent_etag)],
    )
    .await;
    expect_status(changed, StatusCode::OK).await;
    let (turtle, etag) = read(&server, "amphibiens-mares-zone-atelier-armorique").await;
    assert!(turtle.contains("EcoBio"));
    let edited = turtle.replace("(2012–2023)\"@fr", "(2012–2025)\"@fr");
    let replaced = put(
        &server,
        "amphibiens-mares-zone-atelier-armorique",
        &edited,
        ADMIN,
        Some(&etag),
    )
    .await;
    expect_status(replaced, StatusCode::OK).await;
}

#[tokio::test]
async fn the_plain_json_model_round_trips_and_never_loses_what_it_cannot_say() {
    let (server, _temp) = server();
    let auth = bearer(ADMIN);
    let publisher = format!("{}agents/ecobio", server.base);
    let body = serde_json::json!({
        "id": "loutres-json",
        "type": "Dataset",
        "title": {"fr": "Loutres", "en": "Otters"},
        "description": {"fr": "Comptages annuels.", "en": "Yearly counts."},
        "keyword": {"fr": ["loutre"], "en": ["otter"]},
        "theme": ["http://publications.europa.eu/resource/authority/data-theme/ENVI"],
        "publisher": publisher,
        "issued": "2025-02-01",
        "temporal": {"type": "PeriodOfTime", "startDate": "2020-01-01", "endDate": "2024-12-31"},
        "contactPoint": {"type": "Kind", "fn": "Équipe loutres", "hasEmail": "mailto:loutres@example.org"},
        "distribution": [{
            "type": "Distribution",
            "title": {"fr": "Comptages (CSV)"},
            "accessURL": "https://example.org/loutres/",
            "format": "http://publications.europa.eu/resource/authority/file-type/CSV",
            "license": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
            "byteSize": 2048
        }]
    });
    let created = send(
        reqwest::Method::POST,
        &format!("{}/api/datasets", server.url),
        &body.to_string(),
        "application/json",
        &[("Authorization", &auth)],
    )
    .await;
    expect_status(created, StatusCode::CREATED).await;

    // Read back as JSON: the same document, with the id made absolute.
    let api = format!("{}/api/datasets/loutres-json", server.url);
    let read_back = get_with(&api, &[]).await;
    assert_eq!(read_back.status(), StatusCode::OK);
    let etag = header(&read_back, "etag");
    let mut back: Value = serde_json::from_str(&read_back.text().await.unwrap()).unwrap();
    let mut expected = body.clone();
    expected["id"] = Value::from(format!("{}datasets/loutres-json", server.base));
    // A distribution sent without an id got one, from the dataset's id and its title.
    let minted = back["distribution"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        minted.starts_with(&format!("{}distributions/loutres-json-", server.base)),
        "{minted}"
    );
    expected["distribution"][0]["id"] = Value::from(minted);
    assert_eq!(back, expected);
    // ...and as RDF, DCAT with the profile's datatypes.
    let (turtle, _) = read(&server, "loutres-json").await;
    assert!(
        turtle.contains("\"2048\"^^xsd:nonNegativeInteger"),
        "{turtle}"
    );
    assert!(turtle.contains("\"2025-02-01\"^^xsd:date"), "{turtle}");

    // Replaced through the model, with the ETag of the JSON answer.
    back["title"]["en"] = Value::from("Eurasian otters");
    let replaced = send(
        reqwest::Method::PUT,
        &api,
        &back.to_string(),
        "application/json",
        &[("Authorization", &auth), ("If-Match", &etag)],
    )
    .await;
    expect_status(replaced, StatusCode::OK).await;
    let (turtle, _) = read(&server, "loutres-json").await;
    assert!(turtle.contains("Eurasian otters"));
    // Earlier versions keep the datatypes too.
    let first = get_with(
        &format!("{}/datasets/loutres-json?version=1", server.url),
        &[("Accept", "application/n-triples")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        first.contains("\"2048\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>"),
        "{first}"
    );

    // A demo dataset says more than the model can (creators, a landing page's type...):
    // replacing it through the model is refused rather than lossy.
    let demo = format!(
        "{}/api/datasets/amphibiens-mares-zone-atelier-armorique",
        server.url
    );
    let response = get_with(&demo, &[]).await;
    let etag = header(&response, "etag");
    let json = response.text().await.unwrap();
    let refused = send(
        reqwest::Method::PUT,
        &demo,
        &json,
        "application/json",
        &[("Authorization", &auth), ("If-Match", &etag)],
    )
    .await;
    problem(refused, StatusCode::CONFLICT).await;

    // A misspelt key is an error with its position, not a silently lost value.
    let misspelt = "{\"type\": \"Dataset\",\n \"titel\": {\"fr\": \"T\"}}";
    let answer = problem(
        send(
            reqwest::Method::POST,
            &format!("{}/api/datasets", server.url),
            misspelt,
            "application/json",
            &[("Authorization", &auth)],
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(answer["line"], 2, "{answer}");
    assert!(
        answer["message"].as_str().unwrap().contains("titel"),
        "{answer}"
    );
}
