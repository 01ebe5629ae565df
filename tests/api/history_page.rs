//! The history page of a record for people: its revisions newest first, with who made them
//! and when, links to earlier versions, and where a change came from for admins only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{bearer, create_token};
use common::{Server, client, get_with};
use reqwest::StatusCode;
use std::process::Command;

const ADMIN: &str = "history-admin-secret";
/// An editor's token name, with markup that the page must escape.
const EDITOR: &str = "Bob <Ecobio>";
const TURTLE: &str = "text/turtle";

/// A server with the demo catalog and an admin token, and an editor's token for ecobio.
fn server() -> (Server, tempfile::TempDir, String) {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &["--admin-token", ADMIN]);
    let ecobio = format!("{}agents/ecobio", server.base);
    let editor = create_token(
        temp.path(),
        &["--name", EDITOR, "--role", "editor", "--publisher", &ecobio],
    );
    (server, temp, editor)
}

/// Creates the dataset `id` with `token`, then replaces its title as the admin (If-Match):
/// two revisions, `create` by the editor and `replace` by `admin`.
async fn create_and_replace(server: &Server, id: &str, token: &str) {
    let turtle = format!(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n<{id}> a dcat:Dataset ;\n  dct:title \"Version une\"@fr ;\n  dct:description \"Comptages annuels.\"@fr ;\n  dct:publisher <../agents/ecobio> .\n"
    );
    let created = client()
        .post(format!("{}/api/datasets", server.url))
        .header("Authorization", bearer(token))
        .header("Content-Type", TURTLE)
        .body(turtle)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let page = get_with(
        &format!("{}/datasets/{id}", server.url),
        &[("Accept", TURTLE)],
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
    let etag = page.headers()["etag"].to_str().unwrap().to_owned();
    let changed = page
        .text()
        .await
        .unwrap()
        .replace("Version une", "Version deux");
    let replaced = client()
        .put(format!("{}/api/datasets/{id}", server.url))
        .header("Authorization", bearer(ADMIN))
        .header("Content-Type", TURTLE)
        .header("If-Match", etag)
        .body(changed)
        .send()
        .await
        .unwrap();
    assert_eq!(replaced.status(), StatusCode::OK);
}

/// The history page of `datasets/{id}`, asked for as a browser does, with these headers.
async fn history_page(server: &Server, id: &str, headers: &[(&str, &str)]) -> String {
    let mut all = vec![("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")];
    all.extend_from_slice(headers);
    let response = get_with(&format!("{}/datasets/{id}/history", server.url), &all).await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    // The templates escape `/` too; undone so that URLs read as written (`<` stays escaped).
    response.text().await.unwrap().replace("&#x2f;", "/")
}

/// The rows of the revision table's body, in page order.
fn revision_rows(page: &str) -> Vec<&str> {
    let body = page
        .split_once("<tbody>")
        .and_then(|(_, rest)| rest.split_once("</tbody>"))
        .map(|(body, _)| body)
        .unwrap_or_else(|| panic!("no revision table:\n{page}"));
    body.split("<tr").skip(1).collect()
}

#[tokio::test]
async fn the_history_page_lists_revisions_newest_first_with_who_and_when() {
    let (server, _temp, editor) = server();
    create_and_replace(&server, "hist", &editor).await;
    let page = history_page(&server, "hist", &[]).await;

    assert!(
        page.contains(&format!("href=\"{}datasets/hist\"", server.base)),
        "no link to the dataset's page:\n{page}"
    );
    let rows = revision_rows(&page);
    assert_eq!(rows.len(), 2, "one row per revision:\n{page}");
    let (newest, oldest) = (rows[0], rows[1]);
    let version = |n: u32| format!("href=\"{}datasets/hist?version={n}\"", server.base);
    assert!(newest.contains("<td>replace</td>"), "{newest}");
    assert!(newest.contains(&version(2)), "{newest}");
    assert!(newest.contains("<td>admin</td>"), "{newest}");
    assert!(oldest.contains("<td>create</td>"), "{oldest}");
    assert!(oldest.contains(&version(1)), "{oldest}");
    assert!(
        oldest.contains("<td>Bob &lt;Ecobio&gt;</td>"),
        "the editor's name, escaped:\n{oldest}"
    );
    assert!(!page.contains("<Ecobio>"), "unescaped token name:\n{page}");
    let year = time::OffsetDateTime::now_utc().year();
    for row in &rows {
        assert!(row.contains(&format!("<td>{year}-")), "no date:\n{row}");
        assert!(row.contains(" UTC</td>"), "no UTC time:\n{row}");
    }

    // A short checksum, the full one in its title; the two versions differ.
    let checksum = |row: &str| {
        let (_, rest) = row.split_once("<code title=\"").expect("a checksum");
        let (full, rest) = rest.split_once("\">").unwrap();
        let (short, _) = rest.split_once("</code>").unwrap();
        (full.to_owned(), short.to_owned())
    };
    let (full, short) = checksum(newest);
    assert_eq!(full.len(), 64, "{full}");
    assert!(full.chars().all(|c| c.is_ascii_hexdigit()), "{full}");
    assert_eq!(short, full[..12]);
    assert_ne!(checksum(oldest).0, full, "two contents, two checksums");

    // Where a change came from: for admins only.
    assert!(!page.contains("HTTP API from"), "{page}");
    assert!(!page.contains(">Source</th>"), "{page}");
    let auth = bearer(ADMIN);
    let admin = history_page(&server, "hist", &[("Authorization", &auth)]).await;
    assert!(admin.contains(">Source</th>"), "{admin}");
    for row in revision_rows(&admin) {
        assert!(row.contains("<td>HTTP API from 127.0.0.1</td>"), "{row}");
    }
}

#[tokio::test]
async fn the_history_page_links_versions_and_other_formats_that_answer() {
    let (server, _temp, editor) = server();
    create_and_replace(&server, "liens", &editor).await;
    let etag = get_with(
        &format!("{}/datasets/liens", server.url),
        &[("Accept", TURTLE)],
    )
    .await
    .headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let deleted = client()
        .delete(format!("{}/api/datasets/liens", server.url))
        .header("Authorization", bearer(ADMIN))
        .header("If-Match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);

    let page = history_page(&server, "liens", &[]).await;
    let rows = revision_rows(&page);
    assert_eq!(rows.len(), 3, "{page}");
    assert!(rows[0].contains("<td>delete</td>"), "{}", rows[0]);
    assert!(
        !rows[0].contains("<a href") && !rows[0].contains("<code"),
        "a deletion has no content to link or hash:\n{}",
        rows[0]
    );
    // The links on the page answer: the first version, and the history as Turtle.
    let first = format!("{}datasets/liens?version=1", server.base);
    assert!(page.contains(&format!("href=\"{first}\"")), "{page}");
    let version = get_with(&server.url_of(&first), &[("Accept", TURTLE)]).await;
    assert_eq!(version.status(), StatusCode::OK);
    assert!(version.text().await.unwrap().contains("Version une"));
    let turtle = format!("{}datasets/liens/history?format=ttl", server.base);
    assert!(page.contains(&format!("href=\"{turtle}\"")), "{page}");
    let history = get_with(&server.url_of(&turtle), &[]).await;
    assert_eq!(history.status(), StatusCode::OK);
    assert!(
        history.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with(TURTLE)
    );
    assert!(history.text().await.unwrap().contains("\"delete\""));
}

/// `PASSERELLE_TEST_CHROMIUM` (set by scripts/test), else `chromium` on the PATH.
fn chromium() -> String {
    std::env::var("PASSERELLE_TEST_CHROMIUM").unwrap_or_else(|_| "chromium".to_owned())
}

#[tokio::test]
async fn chromium_renders_the_revision_table() {
    let (server, _temp, editor) = server();
    create_and_replace(&server, "vue", &editor).await;
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("{}/datasets/vue/history", server.url))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} ({e})", chromium()));
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dom = String::from_utf8_lossy(&output.stdout);
    // The browser's own Accept header got the page, and its table, newest first.
    assert!(dom.contains("<table class=\"revisions\">"), "{dom}");
    let newest = dom.find("<tr id=\"version-2\">").expect("row of version 2");
    let oldest = dom.find("<tr id=\"version-1\">").expect("row of version 1");
    assert!(newest < oldest, "{dom}");
}

#[tokio::test]
async fn two_versions_compare_property_by_property() {
    let (server, _temp, editor) = server();
    create_and_replace(&server, "comparee", &editor).await;
    // The history offers to compare the two latest versions.
    let page = history_page(&server, "comparee", &[]).await;
    assert!(
        page.contains("name=\"from\"") && page.contains("value=\"1\""),
        "{page}"
    );
    let compare = |query: &str| {
        let url = format!("{}/datasets/comparee/history?{query}", server.url);
        async move { get_with(&url, &[("Accept", "text/html"), ("Accept-Language", "fr")]).await }
    };
    let answer = compare("from=1&to=2").await;
    assert_eq!(answer.status(), StatusCode::OK);
    let page = answer.text().await.unwrap();
    let rows: Vec<&str> = page
        .split("<table class=\"changes\">")
        .nth(1)
        .and_then(|t| t.split_once("</table>"))
        .map(|(t, _)| t.split("<tr>").skip(2).collect())
        .unwrap_or_else(|| panic!("no changes table:\n{page}"));
    // The title changed (and nothing else said by the record itself).
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("dct:title"), "{}", rows[0]);
    assert!(
        rows[0].contains("<del><span lang=\"fr\">Version une</span></del>"),
        "{}",
        rows[0]
    );
    assert!(
        rows[0].contains("<ins><span lang=\"fr\">Version deux</span></ins>"),
        "{}",
        rows[0]
    );
    // The language switch keeps the comparison.
    assert!(page.contains("from=1&amp;to=2&amp;lang=en"), "{page}");
    let same = compare("from=2&to=2").await.text().await.unwrap();
    assert!(
        same.contains("Ces deux versions disent la même chose."),
        "{same}"
    );
    assert_eq!(
        compare("from=0&to=2").await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(compare("from=1&to=9").await.status(), StatusCode::NOT_FOUND);
}
