//! One record, many profiles: DataCite, schema.org and citations of every demo dataset and
//! data paper read by outside clients; negotiation by profile over HTTP; a data paper
//! written through the API shows on the dataset it describes, harvested or not, in every
//! view at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, api_request, header};
use common::{Prepared, Server, data, fixture, get_with, run_python};
use reqwest::StatusCode;
use serde_json::{Value, json};

const AMPHIBIANS: &str = "datasets/amphibiens-mares-zone-atelier-armorique";
const DCAT_AP: &str = "<https://semiceu.github.io/DCAT-AP/releases/3.0.1/>";

#[test]
fn every_export_of_the_demo_catalog_reads_in_outside_clients() {
    let server = Server::start();
    let fixtures = fixture("");
    let summary = run_python("exports.py", &[&server.url, fixtures.to_str().unwrap()]);
    let summary: Value = serde_json::from_str(summary.trim()).unwrap();
    assert!(summary["datasets"].as_u64().unwrap() >= 25, "{summary}");
    assert_eq!(summary["papers"], 6, "{summary}");
    // Every paper's dataset names it back, in DataCite as in RDF.
    assert_eq!(summary["described"], 6, "{summary}");
    assert_eq!(
        summary["embedded"].as_u64(),
        Some(summary["datasets"].as_u64().unwrap() + 6),
        "{summary}"
    );
}

/// GET `path` with `headers`; the status, the named response headers and the body.
async fn ask(server: &Server, path: &str, headers: &[(&str, &str)]) -> (StatusCode, Value, String) {
    let response = get_with(&format!("{}/{path}", server.url), headers).await;
    let status = response.status();
    let mut seen = serde_json::Map::new();
    for name in ["content-type", "content-profile", "vary"] {
        if let Some(value) = response.headers().get(name) {
            seen.insert(name.into(), json!(value.to_str().unwrap()));
        }
    }
    (status, Value::Object(seen), response.text().await.unwrap())
}

/// Request headers, the media type expected (empty: a 406) and the `Content-Profile`.
type Case = (
    &'static [(&'static str, &'static str)],
    &'static str,
    Option<&'static str>,
);

#[tokio::test]
async fn profiles_and_media_types_are_negotiated_together() {
    let server = Server::start();
    let matrix: [Case; 9] = [
        (&[("Accept", "text/turtle")], "text/turtle", Some(DCAT_AP)),
        (
            &[("Accept-Profile", "<https://schema.org/>")],
            "application/ld+json",
            Some("<https://schema.org/>"),
        ),
        (
            &[
                ("Accept", "application/ld+json"),
                (
                    "Accept-Profile",
                    "<https://schema.org/>;q=0.4, <http://data.europa.eu/r5r/>;q=0.9",
                ),
            ],
            "application/ld+json",
            Some(DCAT_AP),
        ),
        (
            &[(
                "Accept-Profile",
                "<https://schema.org/>;q=0.2, <http://datacite.org/schema/kernel-4>;q=0.8",
            )],
            "application/vnd.datacite.datacite+xml",
            Some("<http://datacite.org/schema/kernel-4>"),
        ),
        (
            &[("Accept", "application/vnd.schemaorg.ld+json")],
            "application/vnd.schemaorg.ld+json",
            Some("<https://schema.org/>"),
        ),
        (
            &[("Accept", "application/x-bibtex")],
            "application/x-bibtex",
            None,
        ),
        (&[("Accept", "text/html")], "text/html", None),
        (&[], "text/turtle", Some(DCAT_AP)),
        (
            &[
                ("Accept", "text/html"),
                ("Accept-Profile", "<http://datacite.org/schema/kernel-4>"),
            ],
            "",
            None,
        ),
    ];
    for (headers, media_type, profile) in matrix {
        let (status, seen, body) = ask(&server, AMPHIBIANS, headers).await;
        if media_type.is_empty() {
            // DataCite is XML only: a page cannot be had in it.
            assert_eq!(status, StatusCode::NOT_ACCEPTABLE, "{headers:?}");
            assert!(
                body.contains("application/vnd.datacite.datacite+xml"),
                "{body}"
            );
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{headers:?}: {body}");
        let content_type = seen["content-type"].as_str().unwrap();
        assert!(
            content_type.starts_with(media_type),
            "{headers:?}: {content_type}"
        );
        assert_eq!(seen["content-profile"].as_str(), profile, "{headers:?}");
        assert!(
            seen["vary"].as_str().unwrap().contains("Accept-Profile"),
            "{seen}"
        );
    }
    // schema.org asked by profile is schema.org, whatever the media type's name.
    let (_, _, body) = ask(
        &server,
        AMPHIBIANS,
        &[("Accept-Profile", "<https://schema.org/>")],
    )
    .await;
    let document: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(document["@type"], "Dataset");
    // The query-string token does the same; an unknown one names what there is.
    let (status, seen, _) = ask(&server, &format!("{AMPHIBIANS}?_profile=datacite"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        seen["content-profile"],
        "<http://datacite.org/schema/kernel-4>"
    );
    let (status, _, body) = ask(&server, &format!("{AMPHIBIANS}?_profile=mods"), &[]).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    let problem: Value = serde_json::from_str(&body).unwrap();
    let uris: Vec<&str> = problem["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris.len(), 3, "{problem}");
    assert!(uris.contains(&"https://schema.org/"), "{problem}");
    let (status, _, _) = ask(
        &server,
        AMPHIBIANS,
        &[("Accept-Profile", "<http://example.org/unknown>")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    // `_mediatype` (the DXWG query-string name) is read as `format`.
    let (status, seen, _) = ask(
        &server,
        &format!("{AMPHIBIANS}?_mediatype=application/x-bibtex"),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        seen["content-type"]
            .as_str()
            .unwrap()
            .starts_with("application/x-bibtex")
    );
    // Agents are DCAT-AP only.
    let (status, _, _) = ask(&server, "agents/ecobio?_profile=schemaorg", &[]).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    let (status, seen, _) = ask(&server, "agents/ecobio", &[("Accept", "text/turtle")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["content-profile"], DCAT_AP);
}

#[tokio::test]
async fn alt_lists_every_profile_and_media_type_a_record_offers() {
    let server = Server::start();
    let (status, seen, body) = ask(
        &server,
        &format!("{AMPHIBIANS}?_profile=alt"),
        &[("Accept", "application/n-triples")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        seen["content-type"]
            .as_str()
            .unwrap()
            .starts_with("application/n-triples")
    );
    assert_eq!(
        seen["content-profile"],
        "<http://www.w3.org/ns/dx/conneg/altr>"
    );
    let representations = body
        .lines()
        .filter(|l| l.contains("<http://www.w3.org/ns/dx/conneg/altr#hasRepresentation>"))
        .count();
    assert_eq!(
        representations, 14,
        "7 RDF syntaxes and pages, 7 exports: {body}"
    );
    for profile in [
        "https://semiceu.github.io/DCAT-AP/releases/3.0.1/",
        "https://schema.org/",
        "http://datacite.org/schema/kernel-4",
    ] {
        assert!(
            body.contains(&format!(
                "<{profile}> <http://www.w3.org/ns/dx/prof/hasToken>"
            )),
            "{profile}: {body}"
        );
    }
    assert!(body.contains("\"application/x-bibtex\""), "{body}");
    // A missing record is 404 in this view too.
    let (status, _, _) = ask(&server, "datasets/nothing-here?_profile=alt", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_paper_written_through_the_api_shows_on_its_harvested_dataset_in_every_view() {
    let prepared = Prepared::new();
    prepared.load_ok(&[&data("extra-dataset.ttl")]);
    let server = prepared.serve_with(&["--admin-token", ADMIN]);
    let harvested = "https://opendata.example.fr/dataset/arbres-remarquables";
    let paper = json!({
        "type": "DataPaper",
        "id": "trees-paper",
        "title": {"en": "Remarkable trees of a French town, an inventory"},
        "abstract": {"en": "How the remarkable trees were inventoried."},
        "creator": [
            "https://orcid.org/0000-0003-9598-1827",
            "https://orcid.org/0000-0002-8153-202X"
        ],
        "journal": "Data in Brief",
        "volume": "58",
        "startingPage": "111200",
        "issued": "2025-02-03",
        "doi": "10.5072/trees.2025",
        "describes": [harvested]
    });
    let created = api_request(
        &server,
        reqwest::Method::POST,
        "data-papers",
        Some((&paper.to_string(), "application/json")),
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
    let paper_iri = format!("{}data-papers/trees-paper", server.base);

    // RDF: the dataset names the paper back, both ways DCAT-AP and CiTO say it.
    let dataset = "datasets/arbres-remarquables";
    let (_, _, turtle) = ask(&server, dataset, &[("Accept", "application/n-triples")]).await;
    for predicate in [
        "http://purl.org/spar/cito/isDescribedBy",
        "http://purl.org/dc/terms/isReferencedBy",
    ] {
        let triple = format!("<{harvested}> <{predicate}> <{paper_iri}> .");
        assert!(turtle.contains(&triple), "{triple}: {turtle}");
    }
    // DataCite, schema.org, citation and page: the same link.
    let (_, _, xml) = ask(
        &server,
        dataset,
        &[("Accept", "application/vnd.datacite.datacite+xml")],
    )
    .await;
    assert!(
        xml.contains(
            r#"relationType="IsDescribedBy" resourceTypeGeneral="DataPaper">10.5072/trees.2025<"#
        ),
        "{xml}"
    );
    // No DOI of its own: its IRI is the identifier.
    assert!(
        xml.contains(&format!(
            r#"<identifier identifierType="URL">{harvested}</identifier>"#
        )),
        "{xml}"
    );
    let (_, _, schema) = ask(
        &server,
        dataset,
        &[("Accept", "application/vnd.schemaorg.ld+json")],
    )
    .await;
    let schema: Value = serde_json::from_str(&schema).unwrap();
    assert_eq!(
        schema["subjectOf"][0]["@id"],
        paper_iri.as_str(),
        "{schema}"
    );
    assert_eq!(
        schema["subjectOf"][0]["identifier"],
        "https://doi.org/10.5072/trees.2025"
    );
    let (_, _, page) = ask(&server, dataset, &[("Accept", "text/html")]).await;
    assert!(
        page.contains("https://doi.org/10.5072/trees.2025"),
        "{page}"
    );

    // The paper: authors in the order written, its journal, in the model and the exports.
    let model = get_with(
        &format!("{}/api/data-papers/trees-paper", server.url),
        &[("Authorization", &format!("Bearer {ADMIN}"))],
    )
    .await;
    assert_eq!(model.status(), StatusCode::OK);
    let etag = header(&model, "etag");
    assert!(!etag.is_empty());
    let model: Value = model.json().await.unwrap();
    assert_eq!(model["creator"], paper["creator"], "{model}");
    assert_eq!(model["journal"], "Data in Brief", "{model}");
    let (_, _, reference) = ask(
        &server,
        "data-papers/trees-paper",
        &[("Accept", "text/x-bibliography")],
    )
    .await;
    // (The authors have no record here: their IRIs stand for their names.)
    let first = reference.find("0000-0003-9598-1827").expect("first author");
    let second = reference
        .find("0000-0002-8153-202X")
        .expect("second author");
    assert!(first < second, "{reference}");
    assert!(
        reference.contains("Data in Brief, 58, 111200."),
        "{reference}"
    );
}

#[test]
fn the_signposting_client_finds_every_signpost_in_headers_and_linksets() {
    let server = Server::start();
    let summary = run_python("signposting_client.py", &[&server.url]);
    let summary: Value = serde_json::from_str(summary.trim()).unwrap();
    assert!(summary["records"].as_u64().unwrap() >= 31, "{summary}");
    // Every file with a download URL is an item; every paper has its ORCID authors.
    assert!(summary["items"].as_u64().unwrap() >= 28, "{summary}");
    assert!(summary["authors"].as_u64().unwrap() >= 18, "{summary}");
    assert!(summary["doi"].as_u64().unwrap() >= 6, "{summary}");
}

#[tokio::test]
async fn linksets_exist_for_datasets_and_papers_only() {
    let server = Server::start();
    let (status, seen, body) = ask(
        &server,
        &format!("{AMPHIBIANS}/linkset"),
        &[("Accept", "application/linkset")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        seen["content-type"]
            .as_str()
            .unwrap()
            .starts_with("application/linkset")
    );
    assert!(body.contains("rel=\"cite-as\""), "{body}");
    let (status, _, _) = ask(&server, "agents/ecobio/linkset", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = ask(&server, "datasets/nothing-here/linkset", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = ask(
        &server,
        &format!("{AMPHIBIANS}/linkset"),
        &[("Accept", "text/turtle")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn a_dataset_with_hundreds_of_files_keeps_its_link_header_small() {
    let (server, _temp) = common::api::server();
    let mut body = String::from(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <> a dcat:Dataset ; dct:title \"Many files\"@en ; dct:description \"Daily files.\"@en ;
          dcat:distribution ",
    );
    let files: Vec<String> = (0..300)
        .map(|n| {
            format!(
                "[ a dcat:Distribution ; dct:title \"Day {n}\"@en ; dcat:accessURL <https://files.example.org/day/{n}> ;
                   dcat:downloadURL <https://files.example.org/day/{n}.csv> ]"
            )
        })
        .collect();
    body.push_str(&files.join(", "));
    body.push_str(" .");
    let created = common::api::create(&server, "datasets", &body).await;
    let page = server.url_of(&header(&created, "location"));
    let answer = get_with(&page, &[("Accept", "text/html")]).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let link = header(&answer, "link");
    assert!(link.len() < 8 * 1024, "{} bytes", link.len());
    assert!(!link.contains("rel=\"item\""), "{link}");
    assert!(link.contains("rel=\"cite-as\"") && link.contains("/linkset>; rel=\"linkset\""));
    let linkset: Value = get_with(&format!("{page}/linkset"), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        linkset["linkset"][0]["item"].as_array().map(Vec::len),
        Some(300)
    );
}

/// Feeds of other portals that load as they are (the ones that do not are refused whole:
/// an undeclared prefix, an IRI with a space).
const REAL_FEEDS: [&str; 8] = [
    "feeds/ckanext-dcat/examples/dcat/dataset.rdf",
    "feeds/ckanext-dcat/examples/dcat/dataset_health_multilingual.ttl",
    "feeds/ckanext-dcat/examples/dcat/dataset_gov_de.rdf",
    "feeds/ckanext-dcat/examples/dcat/catalog.rdf",
    "feeds/udata/dcat/sig.oreme.rdf",
    "feeds/udata/dcat/datara--f40c3860-7236-4b30-a141-23b8ae33f7b2.rdf.xml",
    "feeds/fairdatapoint/rdf-examples/fantom5.ttl",
    "feeds/semiceu-dcat-ap/3.0.0-hvd/example-ms_dataset_data_service.ttl",
];

#[test]
fn other_portals_records_export_valid_documents() {
    let prepared = Prepared::new();
    for feed in REAL_FEEDS {
        prepared.load_ok(&[&fixture(feed)]);
    }
    let server = prepared.serve();
    let fixtures = fixture("");
    let fixtures = fixtures.to_str().unwrap();
    let summary = run_python("exports.py", &[&server.url, fixtures, "--harvested"]);
    let summary: Value = serde_json::from_str(summary.trim()).unwrap();
    assert!(summary["datasets"].as_u64().unwrap() >= 10, "{summary}");
    let walked = run_python("oai_harvest.py", &["validate", &server.url, fixtures]);
    let walked: Value = serde_json::from_str(walked.trim()).unwrap();
    assert_eq!(walked["oai_dc"], summary["datasets"], "{walked}");
}
