//! The OpenAPI 3.1 description at `{base}api/openapi.json`: it covers every route of the
//! JSON API and nothing the server does not serve, the API's answers link to it, and
//! Schemathesis, driving the live server from it with the admin token, finds no server
//! error and no answer outside it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, bearer};
use common::{Server, client};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The operations of the JSON API, as the routing table serves them.
const OPERATIONS: [(&str, &str); 18] = [
    ("/api/{kind}", "post"),
    ("/api/{kind}/{id}", "get"),
    ("/api/{kind}/{id}", "put"),
    ("/api/{kind}/{id}", "delete"),
    ("/api/distributions", "post"),
    ("/api/distributions/{id}", "get"),
    ("/api/distributions/{id}", "put"),
    ("/api/distributions/{id}", "delete"),
    ("/api/harvest/sources", "get"),
    ("/api/harvest/sources", "post"),
    ("/api/harvest/sources/{name}", "get"),
    ("/api/harvest/sources/{name}/run", "post"),
    ("/api/harvest/jobs/{id}", "get"),
    ("/api/backup", "post"),
    ("/api/openapi.json", "get"),
    ("/search", "get"),
    ("/search/suggest", "get"),
    ("/health", "get"),
];

async fn description(server: &Server) -> Value {
    let answer = common::get_with(&format!("{}/api/openapi.json", server.url), &[]).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(
        answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    answer.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_description_covers_the_api_and_only_what_is_served() {
    let (server, _temp) = common::api::server();
    let document = description(&server).await;
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(
        document["servers"][0]["url"],
        server.base.trim_end_matches('/')
    );
    let paths = document["paths"].as_object().unwrap();
    let described: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "put", "post", "delete"].contains(&k.as_str()))
                .map(move |method| (path.clone(), method.clone()))
        })
        .collect();
    for (path, method) in OPERATIONS {
        assert!(
            described.contains(&(path.to_owned(), method.to_owned())),
            "{method} {path} is not described"
        );
    }
    assert_eq!(described.len(), OPERATIONS.len(), "{described:?}");

    // Each described operation is routed: no "nothing is published here", no 405.
    for (path, method) in &described {
        let url = format!(
            "{}{}",
            server.url,
            path.replace("{kind}", "datasets")
                .replace("{id}", "no-such-id")
                .replace("{name}", "no-such-source")
        );
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let answer = client()
            .request(method.clone(), &url)
            .header("Authorization", bearer(ADMIN))
            .header("If-Match", "\"v1\"")
            .header("Content-Type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        let status = answer.status();
        let body = answer.text().await.unwrap();
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {url}");
        assert!(
            !body.contains("nothing is published at"),
            "{method} {url}: {status} {body}"
        );
        assert!(!status.is_server_error(), "{method} {url}: {status} {body}");
    }

    // Every error is a problem document, with the schema the description names.
    let problem = &document["components"]["schemas"]["Problem"];
    for field in ["type", "title", "status", "detail"] {
        assert!(
            problem["required"]
                .as_array()
                .unwrap()
                .contains(&field.into()),
            "{problem}"
        );
    }
    let create = &paths["/api/{kind}"]["post"];
    assert_eq!(
        create["responses"]["401"]["content"]["application/problem+json"]["schema"]["$ref"],
        "#/components/schemas/Problem"
    );
    assert_eq!(create["security"][0]["bearer"], Value::Array(vec![]));
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    // The bodies are the model's serde types: unknown keys refused, `title` required.
    let dataset = &document["components"]["schemas"]["DatasetJson"];
    assert_eq!(dataset["additionalProperties"], false);
    assert!(
        dataset["required"]
            .as_array()
            .unwrap()
            .contains(&"title".into())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_answers_link_to_their_description() {
    let (server, _temp) = common::api::server();
    let expected = format!("<{}api/openapi.json>; rel=\"service-desc\"", server.base);
    for path in ["api/harvest/sources", "api/datasets/no-such-id"] {
        let answer = common::get_with(&format!("{}/{path}", server.url), &[]).await;
        let links: Vec<&str> = answer
            .headers()
            .get_all("link")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        assert!(
            links.iter().any(|l| l.starts_with(&expected)),
            "{path}: {links:?}"
        );
    }
    // Pages for people and the RDF of records are not the JSON API.
    let page = common::get_with(&format!("{}/", server.url), &[]).await;
    assert!(
        page.headers()
            .get_all("link")
            .iter()
            .all(|v| !v.to_str().unwrap().contains("service-desc"))
    );
}

/// The Schemathesis command of the test requirements' venv (beside its Python).
fn schemathesis() -> String {
    let python = common::python();
    let beside = Path::new(&python).with_file_name("schemathesis");
    if beside.exists() {
        beside.display().to_string()
    } else {
        "schemathesis".to_owned()
    }
}

/// Every operation, a bounded number of examples each, every phase (examples, coverage,
/// fuzzing, stateful links), with the admin token; the seed is printed so that a failure
/// can be replayed.
#[test]
fn schemathesis_finds_no_server_error_and_no_answer_outside_the_description() {
    let temp = tempfile::tempdir().unwrap();
    let mut server = Server::start_with(&temp.path().join("data"), &["--admin-token", ADMIN]);
    let seed = std::env::var("PASSERELLE_SCHEMATHESIS_SEED").unwrap_or_else(|_| "32".to_owned());
    let report = temp.path().join("schemathesis.xml");
    let output = Command::new(schemathesis())
        .current_dir(temp.path())
        .args([
            "--no-color",
            "--config-file",
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/schemathesis.toml")
                .display()
                .to_string(),
            "run",
            &format!("{}/api/openapi.json", server.url),
            "--url",
            &server.url,
            "--header",
            &format!("Authorization: {}", bearer(ADMIN)),
            "--checks",
            CHECKS,
            "--max-examples",
            "50",
            "--seed",
            &seed,
            "--request-timeout",
            "30",
            "--report",
            "junit",
            "--report-junit-path",
            &report.display().to_string(),
        ])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} ({e}); run scripts/test", schemathesis()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "Schemathesis failed with seed {seed} (PASSERELLE_SCHEMATHESIS_SEED replays it):\n{stdout}\n{stderr}"
    );
    // It did test every operation (a description it could not read would test none).
    let junit = std::fs::read_to_string(&report).unwrap();
    let cases = junit.matches("<testcase").count();
    assert!(
        cases >= OPERATIONS.len(),
        "{cases} operations tested:\n{stdout}"
    );
    assert!(server.is_running(), "the server died under Schemathesis");
}

/// What the run checks: every answer's status, media type, headers and body against the
/// description, no server error, that what the schema refuses is refused, that methods
/// not described get 405 with `Allow`, that what needs a token is refused without one,
/// and that what is created can be read and what is deleted cannot. Not
/// `positive_data_acceptance` (a body the schema allows may still break the application
/// profile, which JSON Schema cannot say: 422 is the right answer) nor
/// `object_level_authorization` (one token here).
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection,missing_required_header,unsupported_method,allow_header_conformance,ignored_auth,use_after_free,ensure_resource_availability";
