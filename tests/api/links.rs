//! The link checker against a real loopback server that answers 200, 404, 500, a
//! redirect, slowly, and 405 to `HEAD`: what each URL answered is stored, shown on the
//! dataset's quality page with its date, and counted in the accessibility points; the
//! private addresses are refused unless `harvest-allow-private` is on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, create, header};
use common::feeds::{FeedServer, Page};
use common::{Prepared, Server, get_with};
use std::time::Duration;

/// A dataset with one distribution per answer the feed server gives.
fn dataset(files: &str) -> String {
    let distribution = |name: &str| {
        format!(
            "[ a dcat:Distribution ; dct:title \"{name}\"@fr ; dcat:accessURL <{files}/ok> ; dcat:downloadURL <{files}/{name}> ]"
        )
    };
    let all: Vec<String> = ["ok", "missing", "broken", "moved", "slow", "nohead"]
        .iter()
        .map(|n| distribution(n))
        .collect();
    format!(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        [] a dcat:Dataset ; dct:title \"Liens\"@fr ; dct:description \"Des fichiers.\"@fr ;
        dcat:distribution {} .",
        all.join(", ")
    )
}

fn files() -> FeedServer {
    let files = FeedServer::start();
    files.set("/ok", Page::ok("text/csv", "a,b\n1,2\n"));
    files.set("/missing", Page::status(404, "no such file"));
    files.set("/broken", Page::status(500, "oops"));
    files.set("/moved", Page::redirect(301, &format!("{}/ok", files.url)));
    files.set(
        "/slow",
        Page::ok("text/csv", "a\n").slow(Duration::from_secs(6)),
    );
    files.set("/nohead", Page::ok("text/csv", "a,b\n").head_answers(405));
    files
}

async fn quality(page: &str) -> serde_json::Value {
    let answer = get_with(
        &format!("{page}/quality"),
        &[("Accept", "application/json")],
    )
    .await;
    serde_json::from_str(&answer.text().await.unwrap()).unwrap()
}

/// The last check of each download URL, by its last path segment.
fn downloads(quality: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    let mut found: Vec<(String, serde_json::Value)> = quality["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["download"] == true)
        .map(|l| {
            let url = l["url"].as_str().unwrap();
            (url.rsplit('/').next().unwrap().to_owned(), l.clone())
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn indicator<'a>(quality: &'a serde_json::Value, metric: &str) -> &'a serde_json::Value {
    quality["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["metric"] == metric)
        .unwrap_or_else(|| panic!("no {metric} in {quality}"))
}

#[actix_web::test]
async fn the_schedule_checks_each_url_and_the_scores_follow() {
    let files = files();
    // No demo catalog: no URL but the test's is checked.
    let prepared = Prepared::without_demo();
    // Checked again only after an hour: the new dataset's URLs are checked because it
    // was written, not because the interval came round.
    let server = tokio::task::spawn_blocking(move || {
        let server = prepared.serve_with(&[
            "--admin-token",
            ADMIN,
            "--harvest-allow-private",
            "true",
            "--link-check-interval",
            "3600",
            "--link-check-delay",
            "0",
            "--link-check-timeout",
            "2",
        ]);
        (server, prepared)
    })
    .await
    .unwrap();
    let (server, _prepared) = server;
    let created = create(&server, "datasets", &dataset(&files.url)).await;
    let page = server.url_of(&header(&created, "location"));

    // Checked within a few seconds, and scored again with what was found.
    let mut found = serde_json::Value::Null;
    for _ in 0..100 {
        found = quality(&page).await;
        let all_checked = downloads(&found)
            .iter()
            .all(|(_, l)| !l["checked"].is_null());
        if all_checked && indicator(&found, "downloadUrlStatusCode")["unchecked"] == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let links = downloads(&found);
    let status = |name: &str| {
        let link = &links.iter().find(|(n, _)| n == name).unwrap().1;
        (link["status"].clone(), link["method"].clone())
    };
    use serde_json::json;
    assert_eq!(status("ok"), (json!(200), json!("HEAD")), "{found}");
    assert_eq!(status("missing"), (json!(404), json!("GET")));
    assert_eq!(status("broken"), (json!(500), json!("GET")));
    assert_eq!(
        status("moved"),
        (json!(200), json!("HEAD")),
        "redirects are followed"
    );
    assert_eq!(
        status("nohead"),
        (json!(200), json!("GET")),
        "a refused HEAD falls back to GET"
    );
    let slow = &links.iter().find(|(n, _)| n == "slow").unwrap().1;
    assert!(slow["status"].is_null());
    assert!(
        slow["error"]
            .as_str()
            .unwrap()
            .contains("no answer within 2"),
        "{slow}"
    );

    // HEAD first, then the first byte by GET where HEAD was refused.
    let asked = files.requests_for("/nohead");
    assert_eq!(asked[0], ("HEAD".to_owned(), None), "{asked:?}");
    assert_eq!(asked[1], ("GET".to_owned(), Some("bytes=0-0".to_owned())));

    // Downloads: 3 of 6 answer 200 (30 × 3/6); access URLs: all six are /ok (50).
    let download = indicator(&found, "downloadUrlStatusCode");
    assert_eq!(
        (download["passed"].clone(), download["of"].clone()),
        (json!(3), json!(6))
    );
    assert_eq!(download["points"], 15.0);
    assert_eq!(indicator(&found, "accessUrlStatusCode")["points"], 50.0);

    // The page says why, in both languages.
    for (language, missing) in [("fr", "404 — introuvable"), ("en", "404 — not found")] {
        let html = common::pages::html(&format!("{page}/quality?lang={language}")).await;
        assert!(html.contains(missing), "{language}: {html}");
        let shown = format!("{}/missing", files.url).replace('/', "&#x2f;");
        assert!(html.contains(&shown), "{html}");
    }

    // Stored: the checks and the measured status codes are in the store.
    let stored = common::ask(
        &server,
        "PREFIX http: <http://www.w3.org/2011/http#>
         ASK { GRAPH ?g { ?r http:absoluteURI ?u ; http:resp [ http:statusCodeValue 404 ] ;
                             <http://purl.org/dc/terms/date> ?d } }",
    )
    .await;
    assert!(stored, "the 404 is stored with its date");
    // The board stores the measurements a moment after the page shows them (it gathers
    // changes for a quarter of a second).
    let mut measured = false;
    for _ in 0..50 {
        measured = common::ask(
            &server,
            "PREFIX dqv: <http://www.w3.org/ns/dqv#>
             ASK { ?m dqv:isMeasurementOf <https://piveau.eu/ns/voc#downloadUrlStatusCode> ; dqv:value 404 }",
        )
        .await;
        if measured {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(measured, "the DQV measurement carries the status code");
}

/// `passerelle check-links` on a stopped store: the loopback address is refused without
/// `harvest-allow-private`, checked with it; the server then shows what was found.
#[actix_web::test]
async fn the_command_refuses_private_addresses_unless_allowed() {
    let files = files();
    let prepared = Prepared::new();
    let turtle = prepared.temp.path().join("links.ttl");
    let one = format!(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <http://data.example.org/d> a dcat:Dataset ; dct:title \"Un fichier\"@fr ; dct:description \"Un.\"@fr ;
        dcat:distribution [ a dcat:Distribution ; dcat:accessURL <{0}/ok> ; dcat:downloadURL <{0}/missing> ] .",
        files.url
    );
    std::fs::write(&turtle, one).unwrap();
    prepared.load_ok(&[&turtle]);
    let dir = prepared.temp.path().to_owned();
    let check = |allow: &'static str, delay: &'static str| {
        let (dir, base) = (dir.clone(), prepared.base.clone());
        tokio::task::spawn_blocking(move || {
            common::passerelle(&dir)
                .args(["--data-dir", "data", "--base-iri", &base, "check-links"])
                .env("PASSERELLE_HARVEST_ALLOW_PRIVATE", allow)
                .env("PASSERELLE_LINK_CHECK_DELAY", delay)
                .output()
                .unwrap()
        })
    };
    let refused = check("false", "0").await.unwrap();
    let said = String::from_utf8_lossy(&refused.stdout).to_string();
    assert!(
        refused.status.success(),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(said.trim(), "2 URLs checked: 2 gave no answer");
    assert!(files.requests_for("/ok").is_empty(), "nothing was sent");
    let progress = String::from_utf8_lossy(&refused.stderr).to_string();
    assert!(progress.contains("2/2 URLs checked"), "{progress}");
    // What is kept says "refused", never what an address is or resolves to.
    let dumped = {
        let dir = dir.clone();
        tokio::task::spawn_blocking(move || {
            common::passerelle(&dir)
                .args(["--data-dir", "data", "dump"])
                .output()
                .unwrap()
        })
        .await
        .unwrap()
    };
    let dumped = String::from_utf8_lossy(&dumped.stdout).to_string();
    assert!(dumped.contains("inside our network"), "{dumped}");
    assert!(
        !dumped.contains("is a loopback"),
        "the reason names no address"
    );

    let allowed = check("true", "400").await.unwrap();
    let said = String::from_utf8_lossy(&allowed.stdout).to_string();
    assert_eq!(
        said.trim(),
        "2 URLs checked: 1 answered 200, 1 answered 404"
    );
    // Politeness: one host, one request at a time, 400 ms apart (/missing's HEAD and
    // GET are one check; /ok comes after the pause).
    let missing = files.arrivals("/missing");
    let ok = files.arrivals("/ok");
    assert_eq!((missing.len(), ok.len()), (2, 1));
    let pause = ok[0].duration_since(missing[1]);
    assert!(pause >= Duration::from_millis(400), "{pause:?}");

    let data = prepared.temp.path().join("data");
    let port = prepared.port;
    let server = tokio::task::spawn_blocking(move || Server::start_on(&data, port, None))
        .await
        .unwrap();
    // The loaded dataset's id, from the dashboard once every dataset is scored.
    let mut dashboard = serde_json::Value::Null;
    for _ in 0..100 {
        dashboard = common::get_with(
            &format!("{}/quality", server.url),
            &[("Accept", "application/json")],
        )
        .await
        .json()
        .await
        .unwrap();
        if dashboard["ready"] == true {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let id = dashboard["worst"][0][0].as_str().unwrap();
    let found = quality(&format!("{}/datasets/{id}", server.url)).await;
    let links = downloads(&found);
    assert_eq!(links.len(), 1, "{found}");
    assert_eq!(links[0].1["status"], 404);
    assert_eq!(indicator(&found, "downloadUrlStatusCode")["points"], 0.0);
    assert_eq!(indicator(&found, "accessUrlStatusCode")["points"], 50.0);
}

/// A URL is checked again once its last check is older than the interval, and the score
/// follows what it answers now.
#[actix_web::test]
async fn urls_are_checked_again_after_the_interval() {
    let files = FeedServer::start();
    let url = files.set("/file.csv", Page::ok("text/csv", "a\n1\n"));
    let prepared = Prepared::new();
    let turtle = prepared.temp.path().join("one.ttl");
    std::fs::write(
        &turtle,
        format!(
            "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
            <http://data.example.org/one> a dcat:Dataset ; dct:title \"Un\"@fr ; dct:description \"Un.\"@fr ;
            dcat:distribution [ a dcat:Distribution ; dcat:accessURL <{url}> ; dcat:downloadURL <{url}> ] ."
        ),
    )
    .unwrap();
    prepared.load_ok(&[&turtle]);
    let (server, _prepared) = tokio::task::spawn_blocking(move || {
        let flags = [
            "--harvest-allow-private",
            "true",
            "--link-check-interval",
            "2",
            "--link-check-delay",
            "0",
        ];
        (prepared.serve_with(&flags), prepared)
    })
    .await
    .unwrap();
    let page = format!("{}/datasets/one", server.url);
    let status = || async {
        let found = quality(&page).await;
        downloads(&found).first().map(|(_, l)| l["status"].clone())
    };
    let mut seen = Vec::new();
    for _ in 0..100 {
        let now = status().await;
        if now == Some(serde_json::json!(200)) && seen.is_empty() {
            seen.push(200);
            files.set("/file.csv", Page::status(404, "gone"));
        }
        if now == Some(serde_json::json!(404)) {
            seen.push(404);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        seen,
        [200, 404],
        "checked once, then again after the interval"
    );
    assert!(
        files.requests_for("/file.csv").len() >= 3,
        "HEAD, then HEAD and GET"
    );
}
