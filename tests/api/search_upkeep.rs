//! The search index kept in step with the store (issue 28): a write found by the next
//! search, also after a crash; a SPARQL Update, a harvest, an agent's or a paper's change
//! reach the datasets they touch; `passerelle reindex`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use super::search::{BASE, DATASET, ids, model, search, urlencode};
use common::api::{ADMIN, api_request, create, header, sparql_update};
use common::{Server, client};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn writes_are_found_by_the_very_next_search_and_survive_a_crash() {
    // (Also: what a result shows of a description is escaped, its words marked.)
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    // One base IRI across restarts (else it follows the port, and the records are not ours).
    let start = || {
        Server::start_full(
            &data,
            common::free_port(),
            Some(BASE),
            &["--admin-token", ADMIN],
        )
    };
    let mut server = start();
    search(&server, "").await;
    let body = DATASET.replace("TITLE", "Loutres d'Europe");
    let created = create(&server, "datasets", &body).await;
    let location = header(&created, "location");
    let id = location.rsplit('/').next().unwrap().to_owned();
    let etag = header(&created, "etag");
    let found = search(&server, "q=loutres+annuels").await;
    assert!(ids(&found).contains(&id));
    let snippet = found["results"][0]["description"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        snippet.contains("&lt;script&gt;") && snippet.contains("&amp;"),
        "{snippet}"
    );
    assert!(
        !snippet.contains("<script>") && snippet.contains("<mark>"),
        "{snippet}"
    );
    // Once the quality board has scored it and the index holds its rating (the board
    // tells the index in the background), nothing writes the index until the next write.
    let rated = "band=excellent&band=good&band=sufficient&band=bad&q=loutres+annuels";
    for _ in 0..100 {
        if ids(&search(&server, rated).await).contains(&id) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // The index as it was before the next write, to put back after a crash: an index
    // behind the store, as a crash between a write and its indexing would leave it.
    let behind = temp.path().join("search-behind");
    copy_dir(&data.join("search"), &behind);
    // Changed: found by its new title only.
    let body = DATASET
        .replace("TITLE", "Castors d'Europe")
        .replace("loutres.", "castors.");
    let path = format!("datasets/{id}");
    let replaced = api_request(
        &server,
        reqwest::Method::PUT,
        &path,
        Some((&body, "text/turtle")),
        ADMIN,
        Some(&etag),
    )
    .await;
    assert_eq!(replaced.status(), StatusCode::OK);
    assert!(ids(&search(&server, "q=castor").await).contains(&id));
    assert!(!ids(&search(&server, "q=loutres").await).contains(&id));
    // Killed right after the write, its index behind: the restarted server still finds it.
    server.crash();
    std::fs::remove_dir_all(data.join("search")).unwrap();
    copy_dir(&behind, &data.join("search"));
    let mut server = start();
    let found = ids(&search(&server, "q=castor").await);
    assert!(found.contains(&id), "{found:?}\n{}", server.log());
    // Caught up from the store, not rebuilt: the one dataset written since was indexed.
    assert!(
        server.log().contains("indexed=1 removed=0"),
        "{}",
        server.log()
    );
    assert!(!ids(&search(&server, "q=loutres").await).contains(&id));
    // The index lost: rebuilt from the store on start.
    server.stop();
    std::fs::remove_dir_all(data.join("search")).unwrap();
    let server = start();
    assert!(ids(&search(&server, "q=castor").await).contains(&id));
    // Deleted: gone from the next search.
    let etag = header(
        &client()
            .get(format!("{}/api/{path}", server.url))
            .header("Authorization", format!("Bearer {ADMIN}"))
            .send()
            .await
            .unwrap(),
        "etag",
    );
    let deleted = api_request(
        &server,
        reqwest::Method::DELETE,
        &path,
        None,
        ADMIN,
        Some(&etag),
    )
    .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert!(!ids(&search(&server, "q=castor").await).contains(&id));
}

/// Copies the directory `from` (files only, as an index holds) to `to`.
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[tokio::test]
async fn a_sparql_update_that_retitles_a_dataset_moves_it_in_search() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &["--admin-token", ADMIN]);
    let before = search(&server, "q=zones+humides").await;
    let wetlands = "inventaire-zones-humides-bretagne";
    assert!(ids(&before).contains(wetlands));
    let update = format!(
        "PREFIX dct: <http://purl.org/dc/terms/> \
         DELETE {{ GRAPH ?g {{ <{base}datasets/{wetlands}> dct:title ?t }} }} \
         INSERT {{ GRAPH ?g {{ <{base}datasets/{wetlands}> dct:title \"Tourbières de Bretagne\"@fr }} }} \
         WHERE {{ GRAPH ?g {{ <{base}datasets/{wetlands}> dct:title ?t }} }}",
        base = server.base
    );
    sparql_update(&server, &update, ADMIN).await;
    let after = search(&server, "q=tourbieres").await;
    assert!(ids(&after).contains(wetlands));
    assert_eq!(after["total"].as_u64(), Some(1), "indexed once: {after}");
    let old = search(&server, "q=%22Regional+wetland+inventory%22").await;
    assert!(!ids(&old).contains(wetlands), "the old titles went: {old}");
    // An agent renamed in its own record graph: the datasets it publishes say so.
    let region = format!("{}agents/region-bretagne", server.base);
    let rename = format!(
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/> \
         DELETE {{ GRAPH ?g {{ <{region}> foaf:name ?n }} }} \
         INSERT {{ GRAPH ?g {{ <{region}> foaf:name \"Région Bretagne renommée\"@fr }} }} \
         WHERE {{ GRAPH ?g {{ <{region}> a ?type ; foaf:name ?n }} }}"
    );
    sparql_update(&server, &rename, ADMIN).await;
    let renamed = search(
        &server,
        &format!("publisher={}&lang=fr", urlencode(&region)),
    )
    .await;
    // (The publisher facet counts without its own filter: find the region among them.)
    let facet = renamed["facets"]["publisher"].as_array().unwrap();
    let value = facet
        .iter()
        .find(|v| v["value"] == region.as_str())
        .unwrap();
    assert_eq!(value["label"], "Région Bretagne renommée", "{renamed}");
    assert_eq!(
        renamed["results"][0]["publisher"]["label"],
        "Région Bretagne renommée"
    );
}

#[tokio::test]
async fn reindex_rebuilds_the_index_from_the_store_with_its_progress() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let mut server = Server::start_full(&data, common::free_port(), Some(BASE), &[]);
    let before = search(&server, "page_size=1").await["total"]
        .as_u64()
        .unwrap();
    // The store is locked while a server runs: reindex says so and changes nothing.
    let data_arg = data.to_str().unwrap();
    let locked = common::run(
        temp.path(),
        &["reindex", "--data-dir", data_arg, "--base-iri", BASE],
    );
    assert!(!locked.status.success());
    server.stop();
    // The index lost: rebuilt whole from the store.
    std::fs::remove_dir_all(data.join("search")).unwrap();
    let rebuilt = common::run(
        temp.path(),
        &["reindex", "--data-dir", data_arg, "--base-iri", BASE],
    );
    let stderr = String::from_utf8_lossy(&rebuilt.stderr);
    assert!(rebuilt.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("{before}/{before} datasets")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("indexed {before} datasets")),
        "{stderr}"
    );
    let server = Server::start_full(&data, common::free_port(), Some(BASE), &[]);
    // Ready at once: the index was whole before the server started.
    let response = client()
        .get(format!("{}/search?q=zones+humides", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = response.json().await.unwrap();
    assert!(ids(&answer).contains("inventaire-zones-humides-bretagne"));
}

#[actix_web::test]
async fn a_harvested_dataset_is_found_with_its_source_as_a_facet() {
    let feeds = common::feeds::FeedServer::start();
    let rdf = std::fs::read(common::fixture(
        "feeds/ckanext-dcat/examples/dcat/catalog.rdf",
    ))
    .unwrap();
    let feed = feeds.set(
        "/catalog.rdf",
        common::feeds::Page::ok("application/rdf+xml", rdf),
    );
    let temp = tempfile::tempdir().unwrap();
    let server = super::harvest_api::harvesting_server(&temp);
    search(&server, "").await;
    let (_, job) = super::harvest_api::harvest(&server, "ckan", &feed).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let created = job["created"].as_u64().unwrap();
    assert!(created >= 1, "{job}");
    let all = search(&server, "page_size=100").await;
    let sources = all["facets"]["source"].as_array().unwrap();
    let harvested = sources.iter().find(|s| s["value"] == feed.as_str());
    assert_eq!(
        harvested.and_then(|s| s["count"].as_u64()),
        Some(created),
        "{sources:?}"
    );
    assert!(sources.iter().any(|s| s["value"] == "local"), "{sources:?}");
    let only = search(
        &server,
        &format!("source={}&page_size=100", urlencode(&feed)),
    )
    .await;
    assert_eq!(only["total"].as_u64(), Some(created));
    assert!(
        only["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["source"] == feed.as_str())
    );
}

#[tokio::test]
async fn a_renamed_publisher_and_a_new_data_paper_show_in_the_datasets_they_touch() {
    let (server, _temp) = common::api::server();
    let without = search(&server, "has_data_paper=false&page_size=100").await;
    let dataset = without["results"][0]["id"].as_str().unwrap().to_owned();
    let paper = serde_json::json!({
        "id": "a-new-paper", "type": "DataPaper",
        "title": {"en": "A paper about it"}, "issued": "2026-01-01",
        "creator": ["https://orcid.org/0000-0002-8153-202X"],
        "describes": [format!("{}datasets/{dataset}", server.base)]
    });
    let json = "application/json";
    let created = api_request(
        &server,
        reqwest::Method::POST,
        "data-papers",
        Some((&paper.to_string(), json)),
        ADMIN,
        None,
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert!(ids(&search(&server, "has_data_paper=true&page_size=100").await).contains(&dataset));
    let (_, etag) = model(&server, "data-papers/a-new-paper").await;
    let deleted = api_request(
        &server,
        reqwest::Method::DELETE,
        "data-papers/a-new-paper",
        None,
        ADMIN,
        Some(&etag),
    )
    .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert!(ids(&search(&server, "has_data_paper=false&page_size=100").await).contains(&dataset));
    // A publisher renamed: the facet and the results say its new name.
    let (mut agent, etag) = model(&server, "agents/ecobio").await;
    agent["name"]["fr"] = Value::from("Écobio, laboratoire renommé");
    let replaced = api_request(
        &server,
        reqwest::Method::PUT,
        "agents/ecobio",
        Some((&agent.to_string(), json)),
        ADMIN,
        Some(&etag),
    )
    .await;
    assert_eq!(
        replaced.status(),
        StatusCode::OK,
        "{}",
        replaced.text().await.unwrap()
    );
    let answer = search(&server, "lang=fr&page_size=100").await;
    let iri = format!("{}agents/ecobio", server.base);
    let facet = answer["facets"]["publisher"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["value"] == iri.as_str())
        .cloned();
    assert_eq!(
        facet.map(|f| f["label"].clone()),
        Some(Value::from("Écobio, laboratoire renommé"))
    );
}
