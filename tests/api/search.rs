//! Search over HTTP (issue 28, first slice): words across accents, plurals and languages,
//! phrases and exclusions, filters alone and combined, facet counts against SPARQL counts
//! of the same data, the index following every write, repaired after a crash or a loss,
//! and bad input answered with a 4xx, never a 5xx.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, api_request, header};
use common::{Server, client, fixture, run_python};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;

const BASE: &str = "http://data.example.org/";
const THEMES: &str = "http://publications.europa.eu/resource/authority/data-theme/";

/// The JSON answer of `GET /search?{query}`, waiting while the index is first built.
pub(super) async fn search(server: &Server, query: &str) -> Value {
    let url = format!("{}/search?{query}", server.url);
    for _ in 0..100 {
        let response = client().get(&url).send().await.unwrap();
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            assert!(response.headers().contains_key("retry-after"));
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            continue;
        }
        assert_eq!(response.status(), StatusCode::OK, "GET {url}");
        return response.json().await.unwrap();
    }
    panic!("the search index was never ready");
}

/// The ids of the results.
pub(super) fn ids(answer: &Value) -> BTreeSet<String> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

/// `SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { pattern }` on the endpoint.
async fn count(server: &Server, pattern: &str) -> u64 {
    let query = format!(
        "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/> \
         SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?c dcat:dataset ?d . {pattern} }}"
    );
    let response = client()
        .post(format!("{}/sparql", server.url))
        .header("Accept", "application/sparql-results+json")
        .form(&[("query", query.as_str())])
        .send()
        .await
        .unwrap();
    let results: Value = response.json().await.unwrap();
    results["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn words_meet_across_accents_plurals_and_languages() {
    let server = Server::start();
    let wetlands = "inventaire-zones-humides-bretagne";
    for query in [
        "q=zone+humide",
        "q=ZONES+HUMIDES",
        "q=wetland",
        "q=Wetlands+Brittany",
    ] {
        let answer = search(&server, query).await;
        assert!(ids(&answer).contains(wetlands), "{query}: {answer}");
    }
    let lighting = search(&server, "q=eclairage+energie").await;
    assert!(
        ids(&lighting).iter().any(|id| id.contains("eclairage")),
        "accents folded: {lighting}"
    );
    // A phrase must appear as written; an exclusion removes what it names.
    let phrase = search(&server, "q=%22zones+humides%22").await;
    assert!(ids(&phrase).contains(wetlands));
    let reversed = search(&server, "q=%22humides+zones%22").await;
    assert!(!ids(&reversed).contains(wetlands), "{reversed}");
    let excluded = search(&server, "q=humides+-inventaire").await;
    assert!(!ids(&excluded).contains(wetlands), "{excluded}");
    assert!(
        !ids(&excluded).is_empty(),
        "other wetland datasets stay: {excluded}"
    );
    // The first result of a title match shows the words marked, escaped.
    let first = &search(&server, "q=zones+humides").await["results"][0];
    let snippet = first["description"].as_str().unwrap();
    assert!(snippet.contains("<mark>"), "{snippet}");
}

#[tokio::test]
async fn facet_counts_are_the_counts_sparql_gives() {
    let server = Server::start();
    let all = search(&server, "page_size=100").await;
    let datasets = count(&server, "").await;
    assert!(datasets > 10);
    assert_eq!(all["total"].as_u64(), Some(datasets));
    for (facet, predicate) in [
        ("theme", "dcat:theme"),
        ("publisher", "dct:publisher"),
        ("keyword", "dcat:keyword"),
    ] {
        let values = all["facets"][facet].as_array().unwrap();
        assert!(!values.is_empty(), "{facet}");
        for value in values {
            let term = value["value"].as_str().unwrap();
            let object = if facet == "keyword" {
                format!(
                    "?k . FILTER(STR(?k) = {})",
                    serde_json::to_string(term).unwrap()
                )
            } else {
                format!("<{term}>")
            };
            let expected = count(&server, &format!("?d {predicate} {object}")).await;
            assert_eq!(value["count"].as_u64(), Some(expected), "{facet} {term}");
        }
    }
    // Labels come in the language asked.
    let envi = |answer: &Value| {
        answer["facets"]["theme"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["value"] == format!("{THEMES}ENVI"))
            .map(|v| v["label"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        envi(&search(&server, "lang=fr").await).as_deref(),
        Some("Environnement")
    );
    assert_eq!(
        envi(&search(&server, "lang=en").await).as_deref(),
        Some("Environment")
    );
}

#[tokio::test]
async fn filters_are_or_within_a_facet_and_and_across() {
    let server = Server::start();
    let (envi, tran) = (format!("{THEMES}ENVI"), format!("{THEMES}TRAN"));
    let one = search(&server, &format!("theme={envi}&page_size=100")).await;
    let expected = count(&server, &format!("?d dcat:theme <{envi}>")).await;
    assert_eq!(one["total"].as_u64(), Some(expected));
    let either = search(&server, &format!("theme={envi}&theme={tran}&page_size=100")).await;
    let expected = count(
        &server,
        &format!("?d dcat:theme ?t FILTER(?t IN (<{envi}>, <{tran}>))"),
    )
    .await;
    assert_eq!(either["total"].as_u64(), Some(expected));
    // Disjunctive counts: a facet's own filter does not narrow its counts, the others do.
    let unfiltered = search(&server, "page_size=1").await;
    assert_eq!(either["facets"]["theme"], unfiltered["facets"]["theme"]);
    assert_ne!(
        either["facets"]["publisher"],
        unfiltered["facets"]["publisher"]
    );
    let publisher = one["results"][0]["publisher"]["iri"]
        .as_str()
        .unwrap()
        .to_owned();
    let both = search(
        &server,
        &format!("theme={envi}&publisher={publisher}&page_size=100"),
    )
    .await;
    let expected = count(
        &server,
        &format!("?d dcat:theme <{envi}> ; dct:publisher <{publisher}>"),
    )
    .await;
    assert_eq!(both["total"].as_u64(), Some(expected));
    assert!(expected >= 1);
    // Paging: the pages of two cover the results once each, in the same order.
    let total = one["total"].as_u64().unwrap() as usize;
    let first = search(&server, &format!("theme={envi}&page_size=2&sort=title")).await;
    let links = &first["links"];
    assert!(links["previous"].is_null() && links["first"].as_str().unwrap().ends_with("page=1"));
    assert!(
        links["next"].as_str().unwrap().ends_with("page=2"),
        "{links}"
    );
    let last = format!("page={}", total.div_ceil(2));
    assert!(links["last"].as_str().unwrap().ends_with(&last), "{links}");
    let mut seen = Vec::new();
    for page in 1..=total.div_ceil(2) {
        let answer = search(
            &server,
            &format!("theme={envi}&page_size=2&page={page}&sort=title"),
        )
        .await;
        seen.extend(ids(&answer));
    }
    assert_eq!(seen.len(), total);
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), total);
}

pub(super) const DATASET: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n\
<loutres> a dcat:Dataset ;\n  dct:title \"TITLE\"@fr ;\n  dct:description \"Comptages <script>x</script> & annuels des loutres.\"@fr ;\n  \
dct:publisher <../agents/ecobio> ;\n  dcat:keyword \"mustélidés\"@fr .\n";

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
    let created = api_request(
        &server,
        reqwest::Method::POST,
        "datasets",
        Some((&body, "text/turtle")),
        ADMIN,
        None,
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
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
    let response = client()
        .post(format!("{}/sparql", server.url))
        .header("Authorization", format!("Bearer {ADMIN}"))
        .form(&[("update", update.as_str())])
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
    let after = search(&server, "q=tourbieres").await;
    assert!(ids(&after).contains(wetlands));
    assert_eq!(after["total"].as_u64(), Some(1), "indexed once: {after}");
    let old = search(&server, "q=%22Regional+wetland+inventory%22").await;
    assert!(!ids(&old).contains(wetlands), "the old titles went: {old}");
}

#[tokio::test]
async fn bad_input_is_a_clear_4xx_or_an_empty_page_never_a_5xx() {
    let server = Server::start();
    search(&server, "").await;
    let html = client()
        .get(format!("{}/search", server.url))
        .header("Accept", "image/png")
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), StatusCode::NOT_ACCEPTABLE);
    for (query, named) in [
        ("colour=blue", "colour"),
        ("page_size=100000", "page_size"),
        ("modified_since=yesterday", "modified_since"),
        ("sort=size", "sort"),
    ] {
        let response = client()
            .get(format!("{}/search?{query}", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let problem: Value = response.json().await.unwrap();
        assert!(
            problem["detail"]
                .as_str()
                .unwrap_or_default()
                .contains(named),
            "{problem}"
        );
    }
    for query in [
        "q=%22unbalanced+(+AND+OR",
        "q=%FF%FE",
        "q=title:%5B+TO",
        "page=99999999999",
    ] {
        let answer = search(&server, query).await;
        assert!(answer["total"].is_u64(), "{query}");
        if query.starts_with("page=") {
            assert_eq!(answer["results"].as_array().map(Vec::len), Some(0));
        }
    }
}

#[tokio::test]
async fn completions_follow_the_words_typed_across_accents() {
    let server = Server::start();
    search(&server, "").await;
    let titles = |answer: &Value| -> Vec<String> {
        answer
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let get = |query: &'static str| {
        let url = format!("{}/search/suggest?{query}", server.url);
        async move {
            client()
                .get(url)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let zon = titles(&get("q=zon&lang=fr").await);
    assert!(zon.iter().any(|t| t.contains("zones humides")), "{zon:?}");
    assert!(zon.len() <= 10);
    let accents = titles(&get("q=ECLAIR&lang=fr").await);
    assert!(
        accents.iter().any(|t| t.contains("éclairage")),
        "{accents:?}"
    );
    let english = titles(&get("q=wetl&lang=en").await);
    assert!(
        english.iter().any(|t| t.starts_with("Regional wetland")),
        "{english:?}"
    );
    assert!(titles(&get("q=zzzz").await).is_empty());
    let phrase = titles(&get("q=zones+hum&lang=fr").await);
    assert!(
        !phrase.is_empty()
            && phrase
                .iter()
                .all(|t| t.to_lowercase().contains("zones hum")),
        "{phrase:?}"
    );
}

#[test]
fn a_filtered_search_in_rdf_is_a_valid_feed_a_harvester_walks_once() {
    let server = Server::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let envi = format!("{THEMES}ENVI");
    let query = format!("theme={envi}&page_size=2");
    let total = runtime.block_on(search(&server, &query))["total"]
        .as_u64()
        .unwrap();
    assert!(total >= 3, "more than one page: {total}");
    let shapes = fixture("shapes/dcat-ap-3.0.1/html/shacl");
    let start = format!("{}/search?{query}", server.url);
    let summary = run_python("shacl_search.py", &[&start, shapes.to_str().unwrap()]);
    let summary: Value = serde_json::from_str(summary.trim()).unwrap();
    for syntax in ["text/turtle", "application/ld+json"] {
        let walked = &summary[syntax];
        assert_eq!(walked["datasets"].as_u64(), Some(total), "{summary}");
        assert_eq!(walked["repeated"], 0, "{summary}");
        assert_eq!(
            walked["pages"].as_u64(),
            Some(total.div_ceil(2)),
            "{summary}"
        );
        assert_eq!(walked["violations"], 0, "{summary}");
    }
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

pub(super) fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The JSON model at `api/{path}` and its ETag, read as the admin.
pub(super) async fn model(server: &Server, path: &str) -> (Value, String) {
    let response = api_request(server, reqwest::Method::GET, path, None, ADMIN, None).await;
    assert_eq!(response.status(), StatusCode::OK, "GET api/{path}");
    let etag = header(&response, "etag");
    (response.json().await.unwrap(), etag)
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

#[tokio::test]
async fn orders_dates_and_periods_narrow_and_sort_as_asked() {
    let server = Server::start();
    let all = search(&server, "page_size=100&lang=fr").await;
    let total = all["total"].as_u64().unwrap();
    // By title in the reader's language (the demo's titles are in both, in other orders).
    let mut orders = Vec::new();
    for language in ["fr", "en"] {
        let query = format!("page_size=100&sort=title&lang={language}");
        let titles: Vec<String> = search(&server, &query).await["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| fold(r["title"].as_str().unwrap_or_default()))
            .collect();
        let mut sorted = titles.clone();
        sorted.sort();
        assert_eq!(
            titles, sorted,
            "by title, accents and case folded ({language})"
        );
        orders.push(titles);
    }
    assert_ne!(orders[0].len(), 0);
    let modified: Vec<String> = search(&server, "page_size=100&sort=modified").await["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["modified"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        modified.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {modified:?}"
    );
    // A date splits the results in two: those since, and those before.
    let middle = &modified[modified.len() / 2][..10];
    let since = search(&server, &format!("modified_since={middle}&page_size=100")).await;
    let before = search(&server, &format!("modified_before={middle}&page_size=100")).await;
    assert_eq!(
        since["total"].as_u64().unwrap() + before["total"].as_u64().unwrap(),
        total
    );
    assert!(
        since["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["modified"].as_str().unwrap() >= middle)
    );
    // Periods: every dataset with a coverage overlaps the widest one, none an empty past.
    let covered = count(&server, "?d dct:temporal ?p").await;
    assert!(covered > 0);
    assert_eq!(
        search(&server, "temporal=1000/2999").await["total"].as_u64(),
        Some(covered)
    );
    assert_eq!(
        search(&server, "temporal=1001/1002").await["total"].as_u64(),
        Some(0)
    );
    let papers = search(&server, "has_data_paper=true").await["total"]
        .as_u64()
        .unwrap();
    let without = search(&server, "has_data_paper=false").await["total"]
        .as_u64()
        .unwrap();
    assert!(papers > 0 && without > 0);
    assert_eq!(papers + without, total);
}

/// `text` lowercased with its accents dropped, as titles are sorted.
pub(super) fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
