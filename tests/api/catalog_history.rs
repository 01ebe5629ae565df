//! History beyond the write API: a load writes a revision of every record it writes, the
//! demo catalog starts every record's history, and each load and SPARQL update is told in
//! the catalog's history at `{base}history` (who, when, what; from where for admins).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, bearer, server};
use common::{Prepared, client, data, get_with};
use reqwest::StatusCode;

const TURTLE: &str = "text/turtle";

async fn text(url: &str, headers: &[(&str, &str)]) -> String {
    let response = get_with(url, headers).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {url}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn a_load_leaves_a_revision_of_each_record_and_an_entry_in_the_catalog_history() {
    let prepared = Prepared::new();
    prepared.load_ok(&[&data("extra-dataset.ttl")]);
    let server = prepared.serve_with(&["--admin-token", ADMIN]);

    // The blank-node dataset got its IRI from its identifier; its history has version 1.
    let history = text(
        &format!("{}/datasets/bancs-publics/history", server.url),
        &[("Accept", TURTLE)],
    )
    .await;
    assert!(history.contains("\"create\""), "{history}");
    assert!(
        !history.contains("passerelle load"),
        "sources are for admins: {history}"
    );
    // A suffix picks the syntax, as on every resource.
    let suffixed = get_with(
        &format!("{}/datasets/bancs-publics/history.nt", server.url),
        &[],
    )
    .await;
    assert_eq!(suffixed.status(), StatusCode::OK);
    assert!(
        suffixed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/n-triples")
    );
    let catalog_nt = get_with(&format!("{}/history.ttl", server.url), &[]).await;
    assert!(
        catalog_nt.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/turtle")
    );
    let unknown = get_with(&format!("{}/datasets/bancs-publics/story", server.url), &[]).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let version = text(
        &format!("{}/datasets/bancs-publics?version=1", server.url),
        &[("Accept", TURTLE)],
    )
    .await;
    assert!(version.contains("Bancs publics"), "{version}");

    // The catalog's history names the load, its file and what it wrote.
    let catalog = text(
        &format!("{}/history", server.url),
        &[("Accept", TURTLE), ("Authorization", &bearer(ADMIN))],
    )
    .await;
    assert!(catalog.contains("\"load\""), "{catalog}");
    assert!(catalog.contains("extra-dataset.ttl"), "{catalog}");
    assert!(
        catalog.contains(&format!("{}datasets/bancs-publics", server.base)),
        "{catalog}"
    );
}

#[tokio::test]
async fn the_demo_catalog_starts_each_history_and_updates_are_told_in_the_catalogs() {
    let (server, _temp) = server();
    let history = text(
        &format!("{}/datasets/flux-co2-tourbiere-venec/history", server.url),
        &[("Accept", TURTLE), ("Authorization", &bearer(ADMIN))],
    )
    .await;
    assert!(
        history.contains("\"create\"") && history.contains("the demo catalog (seed-data/)"),
        "{history}"
    );

    let update = "PREFIX dct: <http://purl.org/dc/terms/>\nINSERT DATA { GRAPH <urn:x:notes> { <urn:x:a> dct:title \"note\" } }";
    let sent = client()
        .post(format!("{}/sparql", server.url))
        .header("Content-Type", "application/sparql-update")
        .header("Authorization", bearer(ADMIN))
        .body(update)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::NO_CONTENT);
    // A failed update is not told: nothing happened.
    let failed = client()
        .post(format!("{}/sparql", server.url))
        .header("Content-Type", "application/sparql-update")
        .header("Authorization", bearer(ADMIN))
        .body("INSERT DATA { oops }")
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), StatusCode::BAD_REQUEST);

    // Anyone sees that an update was made, when and by whom; its text (which may hold what
    // it deleted) and the client's address are for admins.
    let anonymous = text(&format!("{}/history", server.url), &[("Accept", TURTLE)]).await;
    assert!(anonymous.contains("sparql-update"), "{anonymous}");
    assert!(!anonymous.contains("urn:x:notes"), "{anonymous}");
    assert!(!anonymous.contains("HTTP API from"), "{anonymous}");
    let admin_auth = bearer(ADMIN);
    let admin = text(
        &format!("{}/history", server.url),
        &[("Accept", TURTLE), ("Authorization", &admin_auth)],
    )
    .await;
    assert!(admin.contains("from 127.0.0.1"), "{admin}");
    assert!(admin.contains("urn:x:notes"), "the update's text: {admin}");
    assert!(
        !admin.contains("oops"),
        "a failed update is not told: {admin}"
    );

    // For people: a table of the changes, with what each did.
    let page = text(
        &format!("{}/history", server.url),
        &[("Accept", "text/html"), ("Authorization", &admin_auth)],
    )
    .await;
    assert!(page.contains("History of"), "{page}");
    assert!(page.contains("<td>sparql-update</td>"), "{page}");
    assert!(
        page.contains("GRAPH &lt;urn:x:notes&gt;"),
        "escaped: {page}"
    );
}
