//! A real browser: headless Chromium renders a dataset page and the landing page as a
//! person would see them (DOM after parsing), following the server's content negotiation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Server, run_python};
use std::process::Command;

/// `PASSERELLE_TEST_CHROMIUM` (set by scripts/test), else `chromium` on the PATH.
fn chromium() -> String {
    std::env::var("PASSERELLE_TEST_CHROMIUM").unwrap_or_else(|_| "chromium".to_owned())
}

/// `PASSERELLE_TEST_CHROMEDRIVER` (set by scripts/test), else `chromedriver` on the PATH.
fn chromedriver() -> String {
    std::env::var("PASSERELLE_TEST_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned())
}

/// The DOM Chromium builds for `url`, as serialized HTML.
fn rendered_dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--lang=fr-FR",
            "--accept-lang=fr-FR,fr",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} ({e}); scripts/test installs Debian's chromium",
                chromium()
            )
        });
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn chromium_renders_the_dataset_page_with_labels_and_downloads() {
    let server = Server::start();
    let url = format!("{}/datasets/inventaire-zones-humides-bretagne", server.url);
    let dom = rendered_dom(&url);
    // The browser's own Accept header got the HTML page, not Turtle.
    assert!(dom.contains("<h1>"), "not an HTML page:\n{dom}");
    assert!(
        dom.contains("Inventaire"),
        "French title missing for a fr-FR browser:\n{dom}"
    );
    assert!(
        dom.contains("<table class=\"downloads\">") && dom.contains("download=\"\""),
        "no download links:\n{dom}"
    );
    assert!(
        dom.contains("Environnement") || dom.contains("Environment"),
        "theme label missing:\n{dom}"
    );
    for extension in ["ttl", "jsonld", "rdf", "nt", "nq", "trig"] {
        assert!(
            dom.contains(&format!("inventaire-zones-humides-bretagne.{extension}\"")),
            "no .{extension} link"
        );
    }
    // Its lists come from the search index, built in the background on a first start.
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(super::search::search(&server, ""));
    let landing = rendered_dom(&format!("{}/", server.url));
    // The landing page is a way in (a search box, themes, the latest datasets), not a
    // list of everything.
    assert!(
        landing.contains("role=\"search\"") && landing.contains("id=\"recent\""),
        "landing page lacks its search box or its latest datasets:\n{landing}"
    );
    assert!(landing.matches("/datasets/").count() <= 6, "{landing}");
}

#[test]
fn chromium_shows_a_query_answer_as_a_table_under_the_editor() {
    let server = Server::start();
    let editor = rendered_dom(&format!("{}/sparql", server.url));
    // The editor is a plain form: submitting it is a GET of the endpoint with `query=`,
    // the URL loaded below.
    let form = editor
        .split("<form")
        .nth(1)
        .and_then(|f| f.split('>').next())
        .expect("no form in the editor");
    assert!(form.contains("method=\"get\""), "{form}");
    assert!(
        form.contains(&format!("action=\"{}sparql\"", server.base)),
        "{form}"
    );
    assert!(
        editor.contains("<textarea id=\"query\" name=\"query\""),
        "{editor}"
    );

    let query = "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\nSELECT ?dataset ?title WHERE { ?dataset a dcat:Dataset ; dct:title ?title }";
    let encoded: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("query", query)
        .finish();
    let dom = rendered_dom(&format!("{}/sparql?{encoded}", server.url));
    assert!(dom.contains("<table id=\"results\">"), "no table:\n{dom}");
    assert!(
        dom.contains("Inventaire"),
        "a dataset title is missing:\n{dom}"
    );
    assert!(dom.contains("format=csv"), "no CSV link:\n{dom}");
    // The editor holds the query that ran, as it was sent.
    let held = dom
        .split("<textarea id=\"query\" name=\"query\"")
        .nth(1)
        .and_then(|t| t.split_once('>'))
        .and_then(|(_, t)| t.split_once("</textarea>"))
        .map(|(text, _)| {
            text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .expect("no textarea");
    assert_eq!(held, query);
}

/// The editor's script, clicked through by Selenium: an example goes into the editor and
/// runs as a GET (a URL that can be shared); a query too long for a URL is posted.
#[test]
fn chromium_runs_an_example_and_posts_a_long_query_from_the_editor() {
    let server = Server::start();
    let endpoint = format!("{}/sparql", server.url);
    let summary = run_python(
        "sparql_editor.py",
        &[&endpoint, &chromium(), &chromedriver()],
    );
    let summary: serde_json::Value = serde_json::from_str(summary.trim()).unwrap();
    assert_eq!(summary["example_in_editor"], true, "{summary}");
    let example = &summary["example"];
    assert_eq!(example["in_url"], true, "{summary}");
    assert_eq!(example["held_is_example"], true, "{summary}");
    assert!(example["rows"].as_u64().unwrap() > 0, "{summary}");
    let long = &summary["long"];
    assert_eq!(
        long["in_url"], false,
        "a long query went into the URL: {summary}"
    );
    assert_eq!(long["held_is_query"], true, "{summary}");
    // The demo catalog's datasets, one per row.
    assert!(long["rows"].as_u64().unwrap() >= 25, "{summary}");
}
