//! Helpers for tests of the write API: a server with an admin token, requests with a
//! bearer token, and the checks every such test makes.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::{Server, client, get_with, run};
use reqwest::StatusCode;
use serde_json::Value;
use std::path::Path;

/// The bootstrap admin token of [`server`].
pub const ADMIN: &str = "api-admin-secret";

/// A server with the demo catalog and an admin token, in a temp dir.
pub fn server() -> (Server, tempfile::TempDir) {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &["--admin-token", ADMIN]);
    (server, temp)
}

/// `method` on `url` with a body of `content_type` and extra headers.
pub async fn send(
    method: reqwest::Method,
    url: &str,
    body: &str,
    content_type: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client()
        .request(method, url)
        .header("Content-Type", content_type)
        .body(body.to_owned());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// `method` on `{server}/api/{path}` with a bearer `token`, `If-Match` when `etag` is
/// given, and a body in its media type when one is given.
pub async fn api_request(
    server: &Server,
    method: reqwest::Method,
    path: &str,
    body: Option<(&str, &str)>,
    token: &str,
    etag: Option<&str>,
) -> reqwest::Response {
    let mut request = client()
        .request(method, format!("{}/api/{path}", server.url))
        .header("Authorization", bearer(token));
    if let Some((body, content_type)) = body {
        request = request
            .header("Content-Type", content_type)
            .body(body.to_owned());
    }
    if let Some(etag) = etag {
        request = request.header("If-Match", etag);
    }
    request.send().await.unwrap()
}

/// POSTs `turtle` to `/api/{path}` with the admin token; asserts a 201 and returns the
/// answer (its `Location` and `ETag`).
pub async fn create(server: &Server, path: &str, turtle: &str) -> reqwest::Response {
    let response = api_request(
        server,
        reqwest::Method::POST,
        path,
        Some((turtle, "text/turtle")),
        ADMIN,
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED, "POST /api/{path}");
    response
}

/// Runs the SPARQL Update `update` as the holder of `token`; asserts it succeeded.
pub async fn sparql_update(server: &Server, update: &str, token: &str) {
    let response = client()
        .post(format!("{}/sparql", server.url))
        .header("Authorization", bearer(token))
        .form(&[("update", update)])
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
}

/// The Turtle at `url` and its ETag; asserts a 200.
pub async fn turtle_of(url: &str) -> (String, String) {
    let response = get_with(url, &[("Accept", "text/turtle")]).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {url}");
    let etag = header(&response, "etag");
    (response.text().await.unwrap(), etag)
}

/// An `Authorization` value for `token`.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// The value of header `name`; panics without one.
pub fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Asserts the status, showing the body when it is not the one expected.
pub async fn expect_status(response: reqwest::Response, status: StatusCode) {
    let actual = response.status();
    assert_eq!(actual, status, "{}", response.text().await.unwrap());
}

pub async fn problem(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        header(&response, "content-type"),
        "application/problem+json"
    );
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

/// Creates a token with the CLI while the server runs; returns the secret.
pub fn create_token(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["token", "create", "--data-dir", "data"];
    all.extend_from_slice(args);
    let output = run(dir, &all);
    assert!(
        output.status.success(),
        "token create failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Deletes the dataset `id` as the admin, with the `ETag` its page answers; asserts it.
pub async fn delete_dataset(server: &Server, id: &str) {
    let page = get_with(
        &format!("{}/datasets/{id}", server.url),
        &[("Accept", "text/turtle")],
    )
    .await;
    let etag = header(&page, "etag");
    let path = format!("datasets/{id}");
    let deleted = api_request(
        server,
        reqwest::Method::DELETE,
        &path,
        None,
        ADMIN,
        Some(&etag),
    )
    .await;
    assert!(
        deleted.status().is_success(),
        "DELETE {id}: {}",
        deleted.status()
    );
}

/// Adds the harvest source `name` for `url` on `server` as the admin; asserts a 201.
pub async fn add_source(server: &Server, name: &str, url: &str) {
    let added = client()
        .post(format!("{}/api/harvest/sources", server.url))
        .header("Authorization", bearer(ADMIN))
        .json(&serde_json::json!({ "name": name, "url": url }))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED, "adding source {name}");
}
