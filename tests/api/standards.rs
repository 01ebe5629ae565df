//! CSV distributions that declare a Table Schema (`dct:conformsTo`), checked against it by
//! the server's schedule: real French data standards and their own valid and invalid
//! examples, served by a loopback server; each error's line and column as the standard's
//! README says; a file larger than the limit stops there with a clear message; the page
//! shows it and the store keeps it as a DQV measurement.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, create, header};
use common::feeds::{FeedServer, Page};
use common::{Prepared, get_with};
use serde_json::Value;
use std::time::Duration;

const LIMIT: usize = 100_000;

fn files() -> FeedServer {
    let files = FeedServer::start();
    let standard =
        |path: &str| std::fs::read(common::fixture(&format!("standards/{path}"))).unwrap();
    files.set(
        "/covoiturage.json",
        Page::ok(
            "application/json",
            standard("lieux-covoiturage/schema.json"),
        ),
    );
    files.set(
        "/valid.csv",
        Page::ok("text/csv", standard("lieux-covoiturage/exemple-valide.csv")),
    );
    files.set(
        "/invalid.csv",
        Page::ok(
            "text/csv",
            standard("lieux-covoiturage/exemple-invalide.csv"),
        ),
    );
    files.set(
        "/stationnement.json",
        Page::ok("application/json", standard("stationnement/schema.json")),
    );
    files.set(
        "/parking.csv",
        Page::ok("text/csv", standard("stationnement/exemple-invalide.csv")),
    );
    // The valid example's rows repeated past the limit.
    let valid = String::from_utf8(standard("lieux-covoiturage/exemple-valide.csv")).unwrap();
    let (head, row) = valid.trim_end().split_once('\n').unwrap();
    let mut big = format!("{head}\n");
    while big.len() < 3 * LIMIT {
        big.push_str(row);
        big.push('\n');
    }
    files.set("/big.csv", Page::ok("text/csv", big));
    files
}

fn dataset(files: &str) -> String {
    let distribution = |file: &str, schema: &str| {
        format!(
            "[ a dcat:Distribution ; dct:title \"{file}\"@fr ; dcat:accessURL <{files}/{file}> ;
               dcat:downloadURL <{files}/{file}> ;
               dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
               dct:conformsTo <{files}/{schema}> ]"
        )
    };
    format!(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        [] a dcat:Dataset ; dct:title \"Covoiturage\"@fr ; dct:description \"Des aires.\"@fr ;
        dcat:distribution {}, {}, {}, {} .",
        distribution("valid.csv", "covoiturage.json"),
        distribution("invalid.csv", "covoiturage.json"),
        distribution("parking.csv", "stationnement.json"),
        distribution("big.csv", "covoiturage.json"),
    )
}

/// The standards part of the quality JSON, by file name, once all are checked.
async fn checked(page: &str) -> Vec<(String, Value)> {
    for _ in 0..150 {
        let answer = get_with(
            &format!("{page}/quality"),
            &[("Accept", "application/json")],
        )
        .await;
        let quality: Value = answer.json().await.unwrap();
        let standards = quality["standards"].as_array().unwrap().clone();
        if standards.len() == 4 && standards.iter().all(|s| !s["check"].is_null()) {
            let mut named: Vec<(String, Value)> = standards
                .into_iter()
                .map(|s| {
                    (
                        s["file"]
                            .as_str()
                            .unwrap()
                            .rsplit('/')
                            .next()
                            .unwrap()
                            .to_owned(),
                        s,
                    )
                })
                .collect();
            named.sort_by(|a, b| a.0.cmp(&b.0));
            return named;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the CSV files were not checked");
}

#[actix_web::test]
async fn csv_files_are_checked_against_the_standard_they_declare() {
    let files = files();
    // No demo catalog: no URL but the test's is checked.
    let prepared = Prepared::without_demo();
    let limit = LIMIT.to_string();
    let (server, _prepared) = tokio::task::spawn_blocking(move || {
        let server = prepared.serve_with(&[
            "--admin-token",
            ADMIN,
            "--harvest-allow-private",
            "true",
            "--link-check-interval",
            "3600",
            "--link-check-delay",
            "0",
            "--max-standard-check-bytes",
            &limit,
        ]);
        (server, prepared)
    })
    .await
    .unwrap();
    let created = create(&server, "datasets", &dataset(&files.url)).await;
    let page = server.url_of(&header(&created, "location"));
    let standards = checked(&page).await;
    let check = |name: &str| standards.iter().find(|(n, _)| n == name).unwrap().1["check"].clone();

    let valid = check("valid.csv");
    assert_eq!(valid["outcome"]["errorsTotal"], 0, "{valid}");
    assert_eq!(valid["outcome"]["rows"], 1);

    // The README of the standards: line 3, `date_maj`, not a date in format %Y-%m-%d.
    let invalid = check("invalid.csv");
    assert_eq!(invalid["outcome"]["errorsTotal"], 1, "{invalid}");
    let error = &invalid["outcome"]["errors"][0];
    assert_eq!(
        (error["line"].clone(), error["column"].clone()),
        (3.into(), "date_maj".into())
    );
    assert_eq!(
        (error["value"].clone(), error["rule"].clone()),
        ("24-06-2019".into(), "type".into())
    );

    // Two errors on line 2: `id` breaks its pattern, `tarif_pmr` is not an allowed value.
    let parking = check("parking.csv");
    let errors: Vec<(u64, String, String)> = parking["outcome"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_owned(),
                e["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (2, "id".to_owned(), "pattern".to_owned()),
            (2, "tarif_pmr".to_owned(), "enum".to_owned())
        ],
        "{parking}"
    );

    let big = check("big.csv");
    let stopped = big["outcome"]["stopped"].as_str().unwrap();
    assert!(
        stopped.contains(&format!("larger than {LIMIT} bytes")),
        "{big}"
    );
    assert_eq!(
        big["outcome"]["errorsTotal"], 0,
        "what was read is valid: {big}"
    );

    // The page says it, in French and English.
    for (language, title) in [("fr", "Standards de données"), ("en", "Data standards")] {
        let html = common::pages::html(&format!("{page}/quality?lang={language}")).await;
        assert!(html.contains(title), "{html}");
        assert!(
            html.contains("24-06-2019") && html.contains("date_maj"),
            "{html}"
        );
    }

    // Kept in the store as DQV measurements.
    let invalid_file = format!("{}/invalid.csv", files.url);
    let kept = common::ask(
        &server,
        &format!(
            "PREFIX dqv: <http://www.w3.org/ns/dqv#>
             ASK {{ GRAPH ?g {{ ?m a dqv:QualityMeasurement ; dqv:computedOn <{invalid_file}> ; dqv:value false }} }}"
        ),
    )
    .await;
    assert!(kept, "the failed check is a DQV measurement");

    // A schema that is not a web address is shown, never linked.
    let hostile = dataset(&files.url).replace(
        &format!("<{}/covoiturage.json>", files.url),
        "<javascript:alert(1)>",
    );
    let created = create(&server, "datasets", &hostile).await;
    let page = server.url_of(&header(&created, "location"));
    let html = common::pages::html(&format!("{page}/quality")).await;
    assert!(html.contains("javascript:alert(1)"), "{html}");
    assert!(!html.contains("href=\"javascript:"), "{html}");
}
