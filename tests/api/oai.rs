//! The OAI-PMH provider with real harvesters (Sickle, oaipmh-scythe) and the official
//! schemas: full walks over several pages, sets, incremental harvests that see changes
//! and deletions, and the protocol's errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, create, delete_dataset, header};
use common::{Prepared, fixture, get_with, run_python};
use reqwest::StatusCode;
use serde_json::Value;
use std::path::Path;

/// The body of a GET of `url`.
async fn body(url: &str) -> String {
    get_with(url, &[]).await.text().await.unwrap()
}

/// `count` generated datasets, each with a title, description and a CSV download.
fn generated(dir: &Path, count: usize) -> std::path::PathBuf {
    let mut turtle = String::from(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n",
    );
    for n in 0..count {
        turtle.push_str(&format!(
            "<datasets/generated-{n}> a dcat:Dataset ; dct:title \"Generated dataset {n}\"@en ;
               dct:description \"A generated dataset, number {n}, to walk OAI-PMH pages.\"@en ;
               dcat:theme <http://publications.europa.eu/resource/authority/data-theme/{theme}> ;
               dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://files.example.org/{n}> ;
                 dcat:downloadURL <https://files.example.org/{n}.csv> ] .\n",
            theme = if n % 2 == 0 { "ENVI" } else { "TRAN" }
        ));
    }
    let path = dir.join("generated.ttl");
    std::fs::write(&path, turtle).unwrap();
    path
}

#[test]
fn harvesters_walk_every_record_once_in_valid_responses() {
    let prepared = Prepared::new();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed-data");
    let files = generated(prepared.temp.path(), 230);
    let mut all: Vec<std::path::PathBuf> = [
        "catalog.ttl",
        "datasets-cnrs.ttl",
        "datasets-region.ttl",
        "datasets-inclusion.ttl",
        "data-papers.ttl",
    ]
    .iter()
    .map(|f| seed.join(f))
    .collect();
    all.push(files);
    let refs: Vec<&Path> = all.iter().map(std::path::PathBuf::as_path).collect();
    prepared.load_ok(&refs);
    let server = prepared.serve();
    let fixtures = fixture("");
    let summary = run_python(
        "oai_harvest.py",
        &["walk", &server.url, fixtures.to_str().unwrap()],
    );
    let summary: Value = serde_json::from_str(summary.trim()).unwrap();
    // 230 generated + 28 demo datasets + 6 papers, over three pages.
    assert_eq!(summary["oai_dc"], 264, "{summary}");
    assert_eq!(summary["pages"], 3, "{summary}");
    assert_eq!(summary["sickle"], 264, "{summary}");
    assert_eq!(summary["papers"], 6, "{summary}");
    // Only records with a DOI are offered as DataCite.
    assert_eq!(
        summary["oai_datacite"], summary["scythe_datacite"],
        "{summary}"
    );
    assert!(summary["oai_datacite"].as_u64().unwrap() >= 12, "{summary}");
    assert!(summary["themed"].as_u64().unwrap() >= 115, "{summary}");
    assert_eq!(summary["errors"], 9, "{summary}");
}

/// The OAI-PMH datestamp of the present second.
fn now_stamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap()
}

#[tokio::test]
async fn an_incremental_harvest_sees_what_the_api_wrote_and_deleted() {
    let (server, _temp) = common::api::server();
    // Every demo record is older than this second.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let since = now_stamp();
    let body = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <> a dcat:Dataset ; dct:title \"Loutres du Blavet\"@fr ;
          dct:description \"Comptages d'épreintes de loutre le long du Blavet.\"@fr ;
          dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://files.example.org/loutres> ;
            dcat:downloadURL <https://files.example.org/loutres.csv> ;
            dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ] .";
    let created = create(&server, "datasets", body).await;
    let location = header(&created, "location");
    let new_id = location.rsplit('/').next().unwrap().to_owned();
    // Delete a demo dataset.
    let gone = "temperature-cours-eau-couesnon";
    delete_dataset(&server, gone).await;

    let harvested = run_python("oai_harvest.py", &["since", &server.url, &since]);
    let harvested: Value = serde_json::from_str(harvested.trim()).unwrap();
    let host = "localhost";
    assert_eq!(
        harvested["live"],
        serde_json::json!([format!("oai:{host}:{new_id}")]),
        "{harvested}"
    );
    assert_eq!(
        harvested["deleted"],
        serde_json::json!([format!("oai:{host}:{gone}")]),
        "{harvested}"
    );

    // The new dataset in every view at once.
    let views = [
        ("application/vnd.datacite.datacite+xml", "Loutres du Blavet"),
        (
            "application/vnd.schemaorg.ld+json",
            "\"name\": \"Loutres du Blavet\"",
        ),
        ("text/turtle", "Loutres du Blavet"),
    ];
    for (accept, expected) in views {
        let answer = get_with(
            &location.replace(&server.base, &format!("{}/", server.url)),
            &[("Accept", accept)],
        )
        .await;
        assert_eq!(answer.status(), StatusCode::OK, "{accept}");
        let text = answer.text().await.unwrap();
        assert!(text.contains(expected), "{accept}: {text}");
    }
    let linkset = get_with(&format!("{}/datasets/{new_id}/linkset", server.url), &[]).await;
    let linkset: Value = linkset.json().await.unwrap();
    assert_eq!(
        linkset["linkset"][0]["item"][0]["href"],
        "https://files.example.org/loutres.csv"
    );
    assert_eq!(
        linkset["linkset"][0]["license"][0]["href"],
        "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    );
    let record = get_with(
        &format!(
            "{}/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:{host}:{new_id}",
            server.url
        ),
        &[],
    )
    .await;
    assert!(record.text().await.unwrap().contains("Loutres du Blavet"));

    // The deleted one: gone in every profile, deleted in OAI-PMH.
    for accept in [
        "text/turtle",
        "application/vnd.datacite.datacite+xml",
        "application/vnd.schemaorg.ld+json",
        "application/x-bibtex",
        "text/html",
    ] {
        let answer = get_with(
            &format!("{}/datasets/{gone}", server.url),
            &[("Accept", accept)],
        )
        .await;
        assert_eq!(answer.status(), StatusCode::GONE, "{accept}");
    }
    let record = get_with(
        &format!(
            "{}/oai?verb=GetRecord&metadataPrefix=oai_datacite&identifier=oai:{host}:{gone}",
            server.url
        ),
        &[],
    )
    .await;
    let text = record.text().await.unwrap();
    assert!(text.contains("<header status=\"deleted\">"), "{text}");
}

#[tokio::test]
async fn records_without_a_doi_are_not_offered_as_datacite() {
    let (server, _temp) = common::api::server();
    // A demo dataset without a DOI (a regional open-data one).
    let id = "amenagements-cyclables-rennes-metropole";
    let url = format!(
        "{}/oai?verb=GetRecord&metadataPrefix=oai_datacite&identifier=oai:localhost:{id}",
        server.url
    );
    let text = body(&url).await;
    assert!(text.contains("code=\"cannotDisseminateFormat\""), "{text}");
    let formats = body(&format!(
        "{}/oai?verb=ListMetadataFormats&identifier=oai:localhost:{id}",
        server.url
    ))
    .await;
    assert!(
        formats.contains("oai_dc")
            && formats.contains("dcat_ap")
            && !formats.contains("oai_datacite"),
        "{formats}"
    );
    // As DCAT-AP RDF/XML it is the dereferenced record.
    let dcat = body(&format!(
        "{}/oai?verb=GetRecord&metadataPrefix=dcat_ap&identifier=oai:localhost:{id}",
        server.url
    ))
    .await;
    assert!(
        dcat.contains("<rdf:RDF") && dcat.contains("dcat:Dataset"),
        "{dcat}"
    );
    // POST works as GET.
    let posted = common::client()
        .post(format!("{}/oai", server.url))
        .form(&[("verb", "Identify")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        posted.contains("<protocolVersion>2.0</protocolVersion>"),
        "{posted}"
    );
}

/// The identifiers and the resumption token of one list page.
fn page_of(xml: &str) -> (Vec<String>, Option<String>) {
    let identifiers = xml
        .split("<identifier>")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once("</identifier>")
                .map(|(id, _)| id.to_owned())
        })
        .collect();
    let token = xml
        .split_once("<resumptionToken")
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once("</resumptionToken>"))
        .map(|(token, _)| token.replace("&amp;", "&"))
        .filter(|t| !t.is_empty());
    (identifiers, token)
}

#[tokio::test]
async fn a_walk_sees_every_unchanged_record_once_whatever_is_written_meanwhile() {
    let prepared = Prepared::new();
    let files = generated(prepared.temp.path(), 250);
    prepared.load_ok(&[&files]);
    let server = prepared.serve_with(&["--admin-token", ADMIN]);
    let list = |query: String| {
        let url = format!("{}/oai?{query}", server.url);
        async move { body(&url).await }
    };
    let (first, token) = page_of(&list("verb=ListIdentifiers&metadataPrefix=oai_dc".into()).await);
    assert_eq!(first.len(), 100);
    let before: Vec<String> = {
        let mut all = first.clone();
        let mut token = token.clone();
        while let Some(t) = token {
            let (ids, next) = page_of(
                &list(format!(
                    "verb=ListIdentifiers&resumptionToken={}",
                    urlencode(&t)
                ))
                .await,
            );
            all.extend(ids);
            token = next;
        }
        all
    };
    assert_eq!(before.len(), 250);
    // Meanwhile: a new dataset, and one not walked yet deleted.
    let body = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <> a dcat:Dataset ; dct:title \"Written during the walk\"@en ; dct:description \"New.\"@en .";
    create(&server, "datasets", body).await;
    let victim = before[200].rsplit(':').next().unwrap().to_owned();
    delete_dataset(&server, &victim).await;
    // The rest of the first walk.
    let mut seen = first;
    let mut token = token;
    while let Some(t) = token {
        let (ids, next) = page_of(
            &list(format!(
                "verb=ListIdentifiers&resumptionToken={}",
                urlencode(&t)
            ))
            .await,
        );
        seen.extend(ids);
        token = next;
    }
    for id in &before {
        let times = seen.iter().filter(|s| *s == id).count();
        let expected = usize::from(*id != before[200]);
        // The deleted one comes once, later, as deleted.
        assert_eq!(times, expected.max(1), "{id}");
    }
    assert_eq!(
        seen.len(),
        251,
        "every record once, the new one and the deleted one after"
    );
    assert!(seen.last().unwrap().ends_with(&victim) || seen[seen.len() - 2].ends_with(&victim));
    let _ = StatusCode::OK;
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[actix_web::test]
async fn harvested_records_are_in_their_sources_set() {
    let feeds = common::feeds::FeedServer::start();
    let feed = feeds.set(
        "/catalog.rdf",
        common::feeds::Page::ok(
            "application/rdf+xml",
            std::fs::read(fixture("feeds/ckanext-dcat/examples/dcat/catalog.rdf")).unwrap(),
        ),
    );
    let temp = tempfile::tempdir().unwrap();
    let server = super::harvest_api::harvesting_server(&temp);
    let (_, job) = super::harvest_api::harvest(&server, "ckan", &feed).await;
    let created = job["created"].as_u64().unwrap();
    assert!(created > 0, "{job}");
    let sets = body(&format!("{}/oai?verb=ListSets", server.url)).await;
    assert!(sets.contains("<setSpec>source:ckan</setSpec>"), "{sets}");
    let listed = body(&format!(
        "{}/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&set=source:ckan",
        server.url
    ))
    .await;
    let (identifiers, token) = page_of(&listed);
    assert_eq!(identifiers.len() as u64, created, "{listed}");
    assert!(token.is_none());
    assert_eq!(
        listed.matches("<setSpec>source:ckan</setSpec>").count() as u64,
        created
    );
    // The demo's own records are in no source's set.
    let demo = body(&format!("{}/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:amphibiens-mares-zone-atelier-armorique", server.url)).await;
    assert!(!demo.contains("source:"), "{demo}");
}

#[tokio::test]
async fn drafts_and_embargoed_records_never_appear() {
    let (server, _temp) = common::api::server();
    let draft = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <secret-draft> a dcat:Dataset ; dct:title \"Brouillon\"@fr ; dct:description \"Pas encore.\"@fr ;
          dct:identifier \"https://doi.org/10.5072/draft.1\" .";
    create(&server, "datasets?status=draft", draft).await;
    let embargoed = draft
        .replace("secret-draft", "under-embargo")
        .replace("draft.1", "embargo.1");
    create(&server, "datasets?embargo=2099-01-01", &embargoed).await;
    for prefix in ["oai_dc", "oai_datacite", "dcat_ap"] {
        let listed = body(&format!(
            "{}/oai?verb=ListIdentifiers&metadataPrefix={prefix}",
            server.url
        ))
        .await;
        assert!(
            !listed.contains("secret-draft") && !listed.contains("under-embargo"),
            "{listed}"
        );
    }
    for id in ["secret-draft", "under-embargo"] {
        let record = body(&format!(
            "{}/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost:{id}",
            server.url
        ))
        .await;
        assert!(record.contains("code=\"idDoesNotExist\""), "{record}");
    }
}

#[tokio::test]
async fn identify_gives_the_configured_contact() {
    let temp = tempfile::tempdir().unwrap();
    let server = common::Server::start_with(
        &temp.path().join("data"),
        &["--contact-email", "donnees@example.org"],
    );
    let identify = body(&format!("{}/oai?verb=Identify", server.url)).await;
    assert!(
        identify.contains("<adminEmail>donnees@example.org</adminEmail>"),
        "{identify}"
    );
}
