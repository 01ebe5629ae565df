//! The write API for the kinds besides datasets: distributions (written as part of their
//! dataset), data papers (owned by the publishers of the datasets they describe) and
//! agents, in Turtle and in the plain JSON model.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{
    ADMIN, api_request, bearer, create_token, expect_status, header, problem, server, turtle_of,
};
use common::{Server, ask, get_with};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const TURTLE: &str = "text/turtle";
const JSON: &str = "application/json";
const AMPHIBIANS: &str = "amphibiens-mares-zone-atelier-armorique";

/// `method` on `{server}/api/{path}` with `token` and, if given, `If-Match`.
async fn call(
    server: &Server,
    method: Method,
    path: &str,
    body: (&str, &str),
    token: &str,
    etag: Option<&str>,
) -> reqwest::Response {
    api_request(server, method, path, Some(body), token, etag).await
}

/// The JSON model at `{server}/api/{path}` and its ETag.
async fn model_of(server: &Server, path: &str, token: Option<&str>) -> (Value, String) {
    let auth = token.map(bearer);
    let mut headers = Vec::new();
    if let Some(auth) = &auth {
        headers.push(("Authorization", auth.as_str()));
    }
    let response = get_with(&format!("{}/api/{path}", server.url), &headers).await;
    assert_eq!(response.status(), StatusCode::OK, "GET api/{path}");
    let etag = header(&response, "etag");
    (
        serde_json::from_str(&response.text().await.unwrap()).unwrap(),
        etag,
    )
}

/// The distributions the dataset `id` links to, as SPARQL sees them.
async fn distributions_of(server: &Server, id: &str) -> usize {
    let query = format!(
        "SELECT ?d WHERE {{ <{}datasets/{id}> <http://www.w3.org/ns/dcat#distribution> ?d }}",
        server.base
    );
    let response = common::sparql_get(
        &format!("{}/sparql", server.url),
        &query,
        "application/sparql-results+json",
    )
    .await;
    let answer: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    answer["results"]["bindings"].as_array().unwrap().len()
}

#[tokio::test]
async fn distributions_are_added_replaced_and_removed_as_part_of_their_dataset() {
    let (server, temp) = server();
    let dataset_url = format!("{}/datasets/{AMPHIBIANS}", server.url);
    let (_, dataset_etag) = turtle_of(&dataset_url).await;
    assert_eq!(distributions_of(&server, AMPHIBIANS).await, 2);

    // A blank-node distribution gets an IRI from its dataset's id and its title (lower
    // case, without accents).
    let body = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n\
        [] a dcat:Distribution ; dct:title \"Protocole (PDF)\"@fr ;\n\
        dcat:accessURL <https://example.org/protocole.pdf> ;\n\
        dct:format <http://publications.europa.eu/resource/authority/file-type/PDF> ;\n\
        dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> .\n";
    let path = format!("distributions?dataset={AMPHIBIANS}");
    let created = call(&server, Method::POST, &path, (body, TURTLE), ADMIN, None).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let location = header(&created, "location");
    let iri = format!("{}distributions/{AMPHIBIANS}-protocole-pdf", server.base);
    assert_eq!(location, iri);
    let answer: Value = serde_json::from_str(&created.text().await.unwrap()).unwrap();
    assert_eq!(
        answer["dataset"],
        format!("{}datasets/{AMPHIBIANS}", server.base)
    );

    // The distribution is served at its IRI, linked from its dataset (whose version moved:
    // the old ETag no longer matches), and in its dataset's history.
    let (page, etag) = turtle_of(&server.url_of(&iri)).await;
    assert!(page.contains("https://example.org/protocole.pdf"), "{page}");
    assert_eq!(distributions_of(&server, AMPHIBIANS).await, 3);
    let (_, new_dataset_etag) = turtle_of(&dataset_url).await;
    assert_ne!(new_dataset_etag, dataset_etag);
    let version = |tag: &str| tag.trim_matches('"').split('-').next().unwrap().to_owned();
    assert_eq!(version(&etag), version(&new_dataset_etag));
    let (history, _) = turtle_of(&format!("{dataset_url}/history")).await;
    assert!(history.contains("\"replace\""), "{history}");

    // A stale ETag is refused; the page's ETag replaces it, here through the JSON model.
    let id = format!("{AMPHIBIANS}-protocole-pdf");
    let (mut model, api_etag) = model_of(&server, &format!("distributions/{id}"), None).await;
    assert_eq!(model["title"]["fr"], "Protocole (PDF)");
    assert_eq!(version(&api_etag), version(&etag));
    model["title"] = json!({"fr": "Protocole de terrain (PDF)", "en": "Field protocol (PDF)"});
    let model_text = model.to_string();
    let distribution_path = format!("distributions/{id}");
    let stale = call(
        &server,
        Method::PUT,
        &distribution_path,
        (&model_text, JSON),
        ADMIN,
        Some(&dataset_etag),
    )
    .await;
    problem(stale, StatusCode::PRECONDITION_FAILED).await;
    let replaced = call(
        &server,
        Method::PUT,
        &distribution_path,
        (&model_text, JSON),
        ADMIN,
        Some(&etag),
    )
    .await;
    expect_status(replaced, StatusCode::OK).await;
    let (back, etag) = model_of(&server, &distribution_path, None).await;
    assert_eq!(back, model);
    assert_eq!(distributions_of(&server, AMPHIBIANS).await, 3);

    // A seed distribution with a checksum says more than the model: no JSON replace.
    let seed = "distributions/amphibiens-mares-zaa-observations-csv";
    let (seed_model, _) = model_of(&server, seed, None).await;
    let refused = call(
        &server,
        Method::PUT,
        seed,
        (&seed_model.to_string(), JSON),
        ADMIN,
        Some(&etag),
    )
    .await;
    problem(refused, StatusCode::CONFLICT).await;

    // Removing it leaves the others, and what they share (the landing page) in place.
    let removed = call(
        &server,
        Method::DELETE,
        &distribution_path,
        ("", TURTLE),
        ADMIN,
        Some(&etag),
    )
    .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert!(removed.headers().contains_key("etag"));
    let gone = get_with(&server.url_of(&iri), &[("Accept", TURTLE)]).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(distributions_of(&server, AMPHIBIANS).await, 2);
    let (page, _) = turtle_of(&dataset_url).await;
    assert!(
        page.contains("amphibiens-mares-zaa-observations-csv")
            && page.contains("persistentId=doi:10.5072/FK2/ZAAMPH"),
        "{page}"
    );
    assert!(
        ask(
            &server,
            "ASK { <https://entrepot.recherche.data.gouv.fr/dataset.xhtml?persistentId=doi:10.5072/FK2/ZAAMPH> a <http://xmlns.com/foaf/0.1/Document> }"
        )
        .await
    );

    // Another publisher's editor may not add to this dataset.
    let cnrs = format!("{}agents/cnrs", server.base);
    let editor = create_token(
        temp.path(),
        &["--name", "bob", "--role", "editor", "--publisher", &cnrs],
    );
    let refused = call(&server, Method::POST, &path, (body, TURTLE), &editor, None).await;
    problem(refused, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn a_bad_distribution_is_refused_and_changes_nothing() {
    let (server, _temp) = server();
    let dataset_url = format!("{}/datasets/{AMPHIBIANS}", server.url);
    let (before, etag) = turtle_of(&dataset_url).await;
    let path = format!("distributions?dataset={AMPHIBIANS}");
    let prefixes = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n";

    // No access URL: the profile's report names it.
    let incomplete = format!("{prefixes}[] a dcat:Distribution ; dct:title \"T\"@fr .\n");
    let refused = call(
        &server,
        Method::POST,
        &path,
        (&incomplete, TURTLE),
        ADMIN,
        None,
    )
    .await;
    let report = problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        report
            .to_string()
            .contains("http://www.w3.org/ns/dcat#accessURL"),
        "{report}"
    );
    // Two at once, none, an unknown dataset, no dataset named, an IRI already in use.
    let two = format!(
        "{prefixes}[] a dcat:Distribution ; dcat:accessURL <http://e.org/a> .\n[] a dcat:Distribution ; dcat:accessURL <http://e.org/b> .\n"
    );
    let refused = call(&server, Method::POST, &path, (&two, TURTLE), ADMIN, None).await;
    problem(refused, StatusCode::BAD_REQUEST).await;
    let one = format!("{prefixes}[] a dcat:Distribution ; dcat:accessURL <http://e.org/a> .\n");
    let unknown = call(
        &server,
        Method::POST,
        "distributions?dataset=no-such-dataset",
        (&one, TURTLE),
        ADMIN,
        None,
    )
    .await;
    problem(unknown, StatusCode::NOT_FOUND).await;
    let unnamed = call(
        &server,
        Method::POST,
        "distributions",
        (&one, TURTLE),
        ADMIN,
        None,
    )
    .await;
    problem(unnamed, StatusCode::BAD_REQUEST).await;
    let taken = format!(
        "{prefixes}<amphibiens-mares-zaa-mares-geojson> a dcat:Distribution ; dcat:accessURL <http://e.org/a> .\n"
    );
    let refused = call(&server, Method::POST, &path, (&taken, TURTLE), ADMIN, None).await;
    problem(refused, StatusCode::CONFLICT).await;

    let (after, etag_after) = turtle_of(&dataset_url).await;
    assert_eq!(etag_after, etag);
    assert_eq!(after, before);
}

#[tokio::test]
async fn data_papers_belong_to_the_editors_of_the_datasets_they_describe() {
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
    let paper = |id: &str, dataset: &str| {
        json!({
            "id": id, "type": "DataPaper",
            "title": {"en": "Counting amphibians again"},
            "abstract": {"en": "How the ponds were surveyed."},
            "creator": ["https://orcid.org/0000-0002-8153-202X"],
            "issued": "2025-06-01", "doi": "10.5072/example.1",
            "describes": [format!("{}datasets/{dataset}", server.base)]
        })
    };

    // About an ECOBIO dataset: theirs. About a CNRS one: not.
    let mine = paper("amphibians-again", AMPHIBIANS);
    let created = call(
        &server,
        Method::POST,
        "data-papers",
        (&mine.to_string(), JSON),
        &editor,
        None,
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        header(&created, "location"),
        format!("{}data-papers/amphibians-again", server.base)
    );
    let theirs = paper("venec-again", "flux-co2-tourbiere-venec");
    let refused = call(
        &server,
        Method::POST,
        "data-papers",
        (&theirs.to_string(), JSON),
        &editor,
        None,
    )
    .await;
    problem(refused, StatusCode::FORBIDDEN).await;

    // The JSON model comes back as sent (with the full IRI), and the RDF is FaBiO/CiTO.
    let (model, etag) = model_of(&server, "data-papers/amphibians-again", None).await;
    let mut expected = mine.clone();
    expected["id"] = json!(format!("{}data-papers/amphibians-again", server.base));
    assert_eq!(model, expected);
    assert!(
        ask(
            &server,
            &format!(
                "ASK {{ <{}data-papers/amphibians-again> a <http://purl.org/spar/fabio/DataPaper> ; <http://purl.org/spar/cito/describes> <{}datasets/{AMPHIBIANS}> }}",
                server.base, server.base
            )
        )
        .await
    );

    // A seed paper about an ECOBIO dataset is theirs to edit; one about CNRS data is not.
    let own_seed = "data-papers/amphibian-survey-zaa-data-paper";
    let (mut seed, seed_etag) = model_of(&server, own_seed, None).await;
    seed["doi"] = json!("10.5072/BDJ.12.e118342.v2");
    let edited = call(
        &server,
        Method::PUT,
        own_seed,
        (&seed.to_string(), JSON),
        &editor,
        Some(&seed_etag),
    )
    .await;
    expect_status(edited, StatusCode::OK).await;
    let other_seed = "data-papers/venec-flux-tower-data-paper";
    let (other, other_etag) = model_of(&server, other_seed, None).await;
    let refused = call(
        &server,
        Method::PUT,
        other_seed,
        (&other.to_string(), JSON),
        &editor,
        Some(&other_etag),
    )
    .await;
    problem(refused, StatusCode::FORBIDDEN).await;

    // A paper that describes no dataset of the catalog is refused by the profile.
    let mut orphan = paper("orphan", AMPHIBIANS);
    orphan["describes"] = json!(["http://example.org/not-a-dataset"]);
    let refused = call(
        &server,
        Method::POST,
        "data-papers",
        (&orphan.to_string(), JSON),
        ADMIN,
        None,
    )
    .await;
    problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;

    // Its editor may delete it; then it is gone.
    let deleted = call(
        &server,
        Method::DELETE,
        "data-papers/amphibians-again",
        ("", JSON),
        &editor,
        Some(&etag),
    )
    .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = get_with(
        &format!("{}/data-papers/amphibians-again", server.url),
        &[("Accept", TURTLE)],
    )
    .await;
    problem(gone, StatusCode::GONE).await;
}

#[tokio::test]
async fn agents_are_created_edited_by_themselves_and_deleted_when_nothing_names_them() {
    let (server, temp) = server();
    let agent = json!({
        "id": "loutres-bretagne", "type": ["Agent", "Organization"],
        "name": {"fr": "Association Loutres de Bretagne", "en": "Brittany Otters"},
        "homepage": "https://loutres.example.org/",
        "mbox": "mailto:contact@loutres.example.org"
    });
    let created = call(
        &server,
        Method::POST,
        "agents",
        (&agent.to_string(), JSON),
        ADMIN,
        None,
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let iri = format!("{}agents/loutres-bretagne", server.base);
    assert_eq!(header(&created, "location"), iri);
    // The home page is typed as DCAT-AP's range shapes want.
    assert!(
        ask(
            &server,
            "ASK { <https://loutres.example.org/> a <http://xmlns.com/foaf/0.1/Document> }"
        )
        .await
    );

    // An editor for the agent may rename it; one for another agent may not.
    let own = create_token(
        temp.path(),
        &["--name", "otters", "--role", "editor", "--publisher", &iri],
    );
    let ecobio = format!("{}agents/ecobio", server.base);
    let other = create_token(
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
    let (mut model, etag) = model_of(&server, "agents/loutres-bretagne", None).await;
    model["name"]["en"] = json!("Otters of Brittany");
    let refused = call(
        &server,
        Method::PUT,
        "agents/loutres-bretagne",
        (&model.to_string(), JSON),
        &other,
        Some(&etag),
    )
    .await;
    problem(refused, StatusCode::FORBIDDEN).await;
    let renamed = call(
        &server,
        Method::PUT,
        "agents/loutres-bretagne",
        (&model.to_string(), JSON),
        &own,
        Some(&etag),
    )
    .await;
    expect_status(renamed, StatusCode::OK).await;
    let (back, etag) = model_of(&server, "agents/loutres-bretagne", None).await;
    assert_eq!(back["name"]["en"], "Otters of Brittany");

    // A demo agent that datasets name as publisher cannot be deleted from under them.
    let (_, ecobio_etag) = model_of(&server, "agents/ecobio", None).await;
    let refused = call(
        &server,
        Method::DELETE,
        "agents/ecobio",
        ("", JSON),
        ADMIN,
        Some(&ecobio_etag),
    )
    .await;
    let problem_body = problem(refused, StatusCode::CONFLICT).await;
    assert!(
        problem_body.to_string().contains(AMPHIBIANS),
        "{problem_body}"
    );

    // Ours names nobody: it goes.
    let deleted = call(
        &server,
        Method::DELETE,
        "agents/loutres-bretagne",
        ("", JSON),
        &own,
        Some(&etag),
    )
    .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert!(!ask(&server, &format!("ASK {{ <{iri}> ?p ?o }}")).await);
}

#[tokio::test]
async fn nodes_two_loaded_datasets_share_survive_their_distributions_changes() {
    let prepared = common::Prepared::new();
    prepared.load_ok(&[&common::data("shared-nodes.ttl")]);
    let server = prepared.serve_with(&["--admin-token", ADMIN]);
    let in_both = |record: &'static str| {
        format!(
            "ASK {{ GRAPH <{}records/{record}> {{ <https://data.example.org/contact> <http://www.w3.org/2006/vcard/ns#hasEmail> <mailto:data@example.org> . <https://data.example.org/page> a <http://xmlns.com/foaf/0.1/Document> }} }}",
            server.base
        )
    };
    assert!(ask(&server, &in_both("one")).await);
    assert!(ask(&server, &in_both("two")).await);

    // A bare id names the record, though the dataset's IRI is someone else's.
    let body = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n[] a dcat:Distribution ; dcat:accessURL <https://data.example.org/files/one.csv> .\n";
    let created = call(
        &server,
        Method::POST,
        "distributions?dataset=one",
        (body, TURTLE),
        ADMIN,
        None,
    )
    .await;
    assert_eq!(
        created.status(),
        StatusCode::CREATED,
        "{}",
        created.text().await.unwrap()
    );
    let iri = header(&created, "location");
    assert!(ask(&server, &in_both("one")).await, "the shared nodes stay");
    assert!(ask(&server, &in_both("two")).await);

    // Removing it leaves them too.
    let (_, etag) = turtle_of(&format!("{}/datasets/one", server.url)).await;
    let id = iri.rsplit('/').next().unwrap();
    let removed = call(
        &server,
        Method::DELETE,
        &format!("distributions/{id}"),
        ("", TURTLE),
        ADMIN,
        Some(&etag),
    )
    .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert!(ask(&server, &in_both("one")).await);
    assert!(!ask(&server, &format!("ASK {{ <{iri}> ?p ?o }}")).await);
}

#[tokio::test]
async fn withdrawn_datasets_and_others_distributions_cannot_be_claimed() {
    let (server, temp) = server();
    let venec = "flux-co2-tourbiere-venec";
    let ecobio = format!("{}agents/ecobio", server.base);
    let alice = create_token(
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
    let cnrs = format!("{}agents/cnrs", server.base);
    let bob = create_token(
        temp.path(),
        &["--name", "bob", "--role", "editor", "--publisher", &cnrs],
    );

    // Alice links one of CNRS's distributions from her own dataset: it stays CNRS's.
    let (turtle, etag) = turtle_of(&format!("{}/datasets/{AMPHIBIANS}", server.url)).await;
    let theirs = format!("{}distributions/flux-venec-journalier-csv", server.base);
    let (_, cnrs_etag) = turtle_of(&server.url_of(&theirs)).await;
    let linked = format!(
        "{turtle}\n<{}datasets/{AMPHIBIANS}> <http://www.w3.org/ns/dcat#distribution> <{theirs}> .\n",
        server.base
    );
    let accepted = call(
        &server,
        Method::PUT,
        &format!("datasets/{AMPHIBIANS}"),
        (&linked, TURTLE),
        &alice,
        Some(&etag),
    )
    .await;
    expect_status(accepted, StatusCode::OK).await;
    let (model, api_etag) =
        model_of(&server, "distributions/flux-venec-journalier-csv", None).await;
    assert_eq!(
        api_etag.trim_matches('"'),
        cnrs_etag.trim_matches('"').split('-').next().unwrap()
    );
    assert!(
        model["accessURL"].as_str().is_some_and(|u| !u.is_empty()),
        "{model}"
    );
    let refused = call(
        &server,
        Method::DELETE,
        "distributions/flux-venec-journalier-csv",
        ("", TURTLE),
        &alice,
        Some(&api_etag),
    )
    .await;
    problem(refused, StatusCode::FORBIDDEN).await;
    let removed = call(
        &server,
        Method::DELETE,
        "distributions/flux-venec-journalier-csv",
        ("", TURTLE),
        &bob,
        Some(&api_etag),
    )
    .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);

    // CNRS's dataset is withdrawn: GET of its model is 410; Alice can neither draft it
    // back under her publisher nor so claim the paper that describes it.
    let (_, etag) = turtle_of(&format!("{}/datasets/{venec}", server.url)).await;
    let deleted = call(
        &server,
        Method::DELETE,
        &format!("datasets/{venec}"),
        ("", TURTLE),
        ADMIN,
        Some(&etag),
    )
    .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = get_with(&format!("{}/api/datasets/{venec}", server.url), &[]).await;
    problem(gone, StatusCode::GONE).await;
    let claim = json!({
        "id": format!("{}datasets/{venec}", server.base), "type": "Dataset",
        "title": {"fr": "À moi"}, "description": {"fr": "Pris."},
        "publisher": ecobio
    });
    let drafted = call(
        &server,
        Method::POST,
        "datasets?status=draft",
        (&claim.to_string(), JSON),
        &alice,
        None,
    )
    .await;
    let refusal = problem(drafted, StatusCode::CONFLICT).await;
    assert!(refusal.to_string().contains("withdrawn"), "{refusal}");
    let (paper, paper_etag) =
        model_of(&server, "data-papers/venec-flux-tower-data-paper", None).await;
    assert!(paper["describes"].to_string().contains(venec));
    let refused = call(
        &server,
        Method::DELETE,
        "data-papers/venec-flux-tower-data-paper",
        ("", JSON),
        &alice,
        Some(&paper_etag),
    )
    .await;
    problem(refused, StatusCode::FORBIDDEN).await;

    // Another resource whose id would be the withdrawn one's gets its own.
    let other = json!({
        "id": format!("https://elsewhere.example.org/{venec}"), "type": "Dataset",
        "title": {"fr": "Autre"}, "description": {"fr": "Ailleurs."},
        "publisher": ecobio
    });
    let created = call(
        &server,
        Method::POST,
        "datasets",
        (&other.to_string(), JSON),
        &alice,
        None,
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        header(&created, "location"),
        format!("{}datasets/{venec}-2", server.base)
    );
}

#[tokio::test]
async fn of_concurrent_claims_on_one_distribution_iri_exactly_one_wins() {
    let (server, _temp) = server();
    let iri = format!("{}distributions/contested", server.base);
    let body = format!(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<{iri}> a dcat:Distribution ; dcat:accessURL <https://example.org/x> .\n"
    );
    let datasets = [AMPHIBIANS, "flux-co2-tourbiere-venec"];
    let server = std::sync::Arc::new(server);
    let mut tasks = Vec::new();
    for n in 0..8 {
        let (server, body) = (server.clone(), body.clone());
        let path = format!("distributions?dataset={}", datasets[n % 2]);
        tasks.push(tokio::spawn(async move {
            call(&server, Method::POST, &path, (&body, TURTLE), ADMIN, None)
                .await
                .status()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let won = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    assert_eq!(won, 1, "{statuses:?}");
    // The others are refused: the IRI is taken (409), or, when they were checked just as
    // the winner wrote, the body describes what another record now holds (400).
    assert!(
        statuses.iter().all(|s| [
            StatusCode::CREATED,
            StatusCode::CONFLICT,
            StatusCode::BAD_REQUEST
        ]
        .contains(s)),
        "{statuses:?}"
    );
    let graphs = format!(
        "SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{iri}> a <http://www.w3.org/ns/dcat#Distribution> }} }}"
    );
    let response = common::sparql_get(
        &format!("{}/sparql", server.url),
        &graphs,
        "application/sparql-results+json",
    )
    .await;
    let answer: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(
        answer["results"]["bindings"].as_array().unwrap().len(),
        1,
        "{answer}"
    );
}

#[tokio::test]
async fn json_ld_bodies_may_name_our_context_and_no_other() {
    let (server, _temp) = server();
    let context_url = format!("{}context.jsonld", server.base);
    let served = get_with(&format!("{}/context.jsonld", server.url), &[]).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert!(header(&served, "content-type").starts_with("application/ld+json"));
    let context: Value = serde_json::from_str(&served.text().await.unwrap()).unwrap();
    assert_eq!(context["@context"]["title"]["@id"], "dct:title");

    let body = json!({
        "@context": context_url,
        "id": "par-contexte", "type": "Dataset",
        "title": {"fr": "Par le contexte"}, "description": {"fr": "Un jeu."},
        "publisher": format!("{}agents/ecobio", server.base)
    });
    let created = call(
        &server,
        Method::POST,
        "datasets",
        (&body.to_string(), "application/ld+json"),
        ADMIN,
        None,
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let (model, _) = model_of(&server, "datasets/par-contexte", None).await;
    assert_eq!(model["title"]["fr"], "Par le contexte");
    assert_eq!(model["publisher"], format!("{}agents/ecobio", server.base));

    let elsewhere = json!({
        "@context": "https://elsewhere.example.org/context.jsonld",
        "@id": "autre", "@type": "http://www.w3.org/ns/dcat#Dataset"
    });
    let refused = call(
        &server,
        Method::POST,
        "datasets",
        (&elsewhere.to_string(), "application/ld+json"),
        ADMIN,
        None,
    )
    .await;
    let report = problem(refused, StatusCode::BAD_REQUEST).await;
    assert!(report.to_string().contains("not fetched"), "{report}");
}
