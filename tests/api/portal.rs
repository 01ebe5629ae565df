//! The portal for people (issue 28): pages in French and English chosen by
//! `Accept-Language`, by the switch (`?lang=`) and by its cookie; the landing page's counts
//! and lists, drawn from the same search as the JSON API; the search page's facet links,
//! active filters and pages; the dataset page's links to the search and its citations;
//! and a walk through it all in Chromium with axe-core's accessibility rules and
//! screenshots at desktop and phone widths.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use super::search::{DATASET, fold, search};
use common::api::create;
use common::{Server, client};
use reqwest::StatusCode;

const THEMES: &str = "http://publications.europa.eu/resource/authority/data-theme/";

/// A page as a browser asks for it, with `headers`; its text with `/` unescaped.
async fn page(url: &str, headers: &[(&str, &str)]) -> (reqwest::header::HeaderMap, String) {
    let mut request = client().get(url).header("Accept", "text/html");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "GET {url}");
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    (headers, unescape(&text))
}

/// The HTML escapes our templates write, undone (to compare with raw text).
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The text between `from` (after it) and the next `to`.
fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in\n{text}"))
        + from.len();
    let rest = &text[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

/// The `(href, count)` of each item of the list `<ul ... id="{id}">`.
fn counted_links(html: &str, id: &str) -> Vec<(String, u64)> {
    let list = between(html, &format!("id=\"{id}\">"), "</ul>");
    list.split("<li>")
        .skip(1)
        .map(|item| {
            let href = between(item, "href=\"", "\"").to_owned();
            let count = between(item, "<span class=\"n\">", "</span>")
                .parse()
                .unwrap();
            (href, count)
        })
        .collect()
}

#[tokio::test]
async fn pages_speak_the_readers_language_and_remember_the_switch() {
    let server = Server::start();
    search(&server, "").await;
    let url = format!("{}/", server.url);
    let (_, french) = page(&url, &[("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")]).await;
    assert!(french.contains("<html lang=\"fr\">"), "{french}");
    assert!(french.contains("Rechercher dans le catalogue"), "{french}");
    assert!(french.contains(&format!("href=\"{}?lang=en\"", server.base)));
    let (_, english) = page(&url, &[("Accept-Language", "en-GB")]).await;
    assert!(english.contains("<html lang=\"en\">") && english.contains("Search the catalog"));
    // No word of the French interface is left on the English page, and the reverse.
    for (french_word, english_word) in [
        ("Rechercher dans le catalogue", "Search the catalog"),
        ("Mis à jour récemment", "Recently updated"),
        ("Principaux producteurs", "Main publishers"),
    ] {
        assert!(!english.contains(french_word) && !french.contains(english_word));
    }

    // The switch wins over Accept-Language, and its cookie keeps the choice.
    let switched = format!("{}/search?q=eau&lang=en", server.url);
    let (headers, page_en) = page(&switched, &[("Accept-Language", "fr")]).await;
    assert!(page_en.contains("<html lang=\"en\">"), "{page_en}");
    let cookie = headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("lang=en;") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let (_, next) = page(
        &format!("{}/datasets/inventaire-zones-humides-bretagne", server.url),
        &[("Accept-Language", "fr"), ("Cookie", "lang=en")],
    )
    .await;
    assert!(next.contains("<html lang=\"en\">") && next.contains("Files and access"));
    // The switch on the search page keeps the query.
    assert!(page_en.contains(&format!("href=\"{}search?q=eau&lang=fr\"", server.base)));
    // A JSON answer sets no cookie: only a person's page remembers the language.
    let json = client()
        .get(format!("{}/search?lang=fr&format=json", server.url))
        .send()
        .await
        .unwrap();
    assert!(!json.headers().contains_key("set-cookie"));
}

#[tokio::test]
async fn the_landing_page_counts_and_lists_what_the_search_finds() {
    let server = Server::start();
    let everything = search(&server, "lang=fr").await;
    let (_, html) = page(&format!("{}/", server.url), &[("Accept-Language", "fr")]).await;
    let total = everything["total"].as_u64().unwrap();
    assert!(total >= 25);
    assert!(
        between(&html, "id=\"total\">", "</p>").contains(&format!("({total} jeux de données)"))
    );
    // Every theme with its count, each a link to the search filtered by it.
    let themes = counted_links(&html, "themes");
    let facet = everything["facets"]["theme"].as_array().unwrap();
    assert_eq!(themes.len(), facet.len());
    for ((href, count), value) in themes.iter().zip(facet) {
        let iri = value["value"].as_str().unwrap();
        assert!(
            href.ends_with(&format!("search?theme={}", encode(iri))),
            "{href}"
        );
        assert_eq!(*count, value["count"].as_u64().unwrap(), "{iri}");
        let filtered = search(&server, &format!("theme={}", encode(iri))).await;
        assert_eq!(filtered["total"].as_u64().unwrap(), *count, "{iri}");
    }
    assert!(
        themes
            .iter()
            .any(|(href, _)| href.contains(&encode(&format!("{THEMES}ENVI"))))
    );
    // The latest datasets first, as the search sorts them; never a list of everything.
    let latest = search(&server, "sort=modified&page_size=6").await;
    let recent = between(&html, "id=\"recent\">", "</ul>");
    let linked: Vec<&str> = recent
        .split("href=\"")
        .skip(1)
        .map(|l| &l[..l.find('"').unwrap()])
        .collect();
    let expected: Vec<String> = latest["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{}datasets/{}", server.base, r["id"].as_str().unwrap()))
        .collect();
    assert_eq!(linked, expected);
    assert!(
        html.matches("/datasets/").count() <= 6,
        "more than the recent datasets"
    );
    // The main publishers, by their counts.
    let publishers = counted_links(&html, "publishers");
    assert!(!publishers.is_empty() && publishers.len() <= 8);
    assert!(
        publishers.windows(2).all(|w| w[0].1 >= w[1].1),
        "{publishers:?}"
    );
}

/// `text` as a URL query value (form encoding).
fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn the_search_page_ticks_facets_removes_filters_pages_and_escapes() {
    let (server, _temp) = common::api::server();
    search(&server, "").await;
    let body = DATASET.replace("TITLE", "Loutres <b>de</b> Bretagne");
    create(&server, "datasets", &body).await;
    let (_, html) = page(&format!("{}/search?q=loutres", server.url), &[]).await;
    // Harvested or written text is escaped once (the raw page: escaped twice would read
    // `&amp;lt;`); only the search's <mark> is markup.
    let raw = client()
        .get(format!("{}/search?q=loutres", server.url))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        raw.contains("Loutres &lt;b&gt;de&lt;&#x2f;b&gt; Bretagne"),
        "{raw}"
    );
    assert!(!raw.contains("&amp;lt;"), "escaped twice: {raw}");
    assert!(
        html.contains("Loutres &lt;b&gt;de&lt;/b&gt; Bretagne"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;") && !html.contains("<script>x"));
    assert!(html.contains("<mark>"), "{html}");

    // Everything, page 1 of 2 by 20: a link to the next page, none to a previous one.
    let json = search(&server, "").await;
    let total = json["total"].as_u64().unwrap();
    let (_, first) = page(&format!("{}/search", server.url), &[]).await;
    assert_eq!(
        between(&first, "<span id=\"total\">", "<"),
        total.to_string()
    );
    assert!(first.contains(&format!(
        "href=\"{}search?page=2\" rel=\"next\"",
        server.base
    )));
    assert!(!first.contains("rel=\"prev\""));
    let (_, second) = page(&format!("{}/search?page=2", server.url), &[]).await;
    let cards = |html: &str| html.matches("<li class=\"card\">").count() as u64;
    assert_eq!(cards(&first) + cards(&second), total);
    assert!(second.contains("aria-current=\"page\">2<"));

    // A facet value is a link that ticks it; the page then counts what the JSON counts.
    let format = json["facets"]["format"][0]["value"]
        .as_str()
        .unwrap()
        .to_owned();
    let tick = format!("{}search?format={}", server.base, encode(&format));
    assert!(
        first.contains(&format!("href=\"{tick}\"")),
        "no link to tick {format}"
    );
    let (_, ticked) = page(&server.url_of(&tick), &[]).await;
    let filtered = search(&server, &format!("format={}", encode(&format))).await;
    assert_eq!(
        between(&ticked, "<span id=\"total\">", "<"),
        filtered["total"].to_string()
    );
    // Ticked, it shows as such, and the active filter removes it in one click.
    let ticked_facet = between(&ticked, "id=\"facet-format\"", "</section>");
    assert_eq!(ticked_facet.matches("aria-current=\"true\"").count(), 1);
    let active = between(&ticked, "id=\"active\"", "</ul>");
    assert!(
        active.contains(&format!("href=\"{}search\"", server.base)),
        "{active}"
    );
    // The sort form sends the filter again.
    let sort = between(&ticked, "<label for=\"sort\">", "</form>");
    let hidden = between(&ticked, "<form method=\"get\"", "<label for=\"sort\">");
    assert!(
        hidden.contains(&format!("name=\"format\" value=\"{format}\"")),
        "{hidden}"
    );
    assert!(
        sort.contains("<option value=\"modified\" selected>"),
        "{sort}"
    );
}

#[tokio::test]
async fn the_dataset_page_links_to_the_search_and_cites_its_data_papers() {
    let server = Server::start();
    let url = format!(
        "{}/datasets/amphibiens-mares-zone-atelier-armorique",
        server.url
    );
    let (_, html) = page(&url, &[("Accept-Language", "fr")]).await;
    // Themes and keywords lead to the search filtered by them; the publisher to its datasets.
    assert!(html.contains(&format!(
        "href=\"{}search?theme={}\"",
        server.base,
        encode(&format!("{THEMES}ENVI"))
    )));
    assert!(html.contains(&format!(
        "href=\"{}search?keyword=amphibiens\"",
        server.base
    )));
    assert!(html.contains(&format!(
        "href=\"{}search?publisher={}\"",
        server.base,
        encode(&format!("{}agents/ecobio", server.base))
    )));
    // The data paper as it asks to be cited, with its DOI as a link.
    let papers = between(&html, "<ul class=\"papers\">", "</ul>");
    assert!(
        papers.contains("Le Guen M., Caradec S., Tanguy E., Guillou L. (2024)"),
        "{papers}"
    );
    assert!(
        papers.contains("href=\"https://doi.org/10.5072/BDJ.12.e118342\""),
        "{papers}"
    );
    // Dates as people write them, with the machine form in <time>.
    assert!(
        html.contains("<time datetime=\"2024-02-09\">9 février 2024</time>"),
        "{html}"
    );
    // Downloads: a button per file, with its format and size; the history and every syntax.
    let table = between(&html, "<table class=\"downloads\">", "</table>");
    assert_eq!(table.matches(" download>Télécharger").count(), 2, "{table}");
    assert!(
        table.contains("GeoJSON") && table.contains(" MB"),
        "{table}"
    );
    assert!(html.contains("amphibiens-mares-zone-atelier-armorique/history\">Historique"));
    assert!(html.contains("amphibiens-mares-zone-atelier-armorique.ttl\""));
}

/// A person's walk in Chromium: type, tick, page, open, switch; axe-core in each page; the
/// screenshots kept under `$CARGO_TARGET_DIR/screenshots` (or the temp dir) to look at.
#[tokio::test]
async fn chromium_walks_the_portal_with_no_accessibility_violation() {
    let server = Server::start();
    let everything = search(&server, "").await;
    let total = everything["total"].as_u64().unwrap();
    let themes = everything["facets"]["theme"].as_array().unwrap().len();
    let query_total = search(&server, "q=zones+humides").await["total"]
        .as_u64()
        .unwrap();
    let period = search(&server, "q=zones+humides&temporal=2010/2015").await;
    let period_total = period["total"].as_u64().unwrap();
    let base = server.base.trim_end_matches('/').to_owned();
    let summary = common::browser::walk("portal_browser.py", vec![base]).await;
    assert_eq!(summary["landing_lang"], "fr", "{summary}");
    assert_eq!(summary["landing_themes"], themes, "{summary}");
    assert_eq!(summary["facet_in_url"], true, "{summary}");
    assert_eq!(summary["dataset_lang"], "fr", "{summary}");
    assert_eq!(summary["query_in_url"], true, "{summary}");
    assert_eq!(summary["query_held"], "zones humides", "{summary}");
    assert_eq!(summary["query_total"], query_total, "{summary}");
    assert!(summary["marks"].as_u64().unwrap() > 0, "{summary}");
    assert_eq!(summary["facet_total"], summary["facet_count"], "{summary}");
    assert_eq!(summary["facet_ticked"], 1, "{summary}");
    assert_eq!(summary["active_filters"], 2, "{summary}");
    assert_eq!(summary["unfiltered_total"], query_total, "{summary}");
    let suggestions = summary["suggestions"].as_array().unwrap();
    assert!(
        !suggestions.is_empty() && suggestions.len() <= 10,
        "{summary}"
    );
    for suggestion in suggestions {
        let title = fold(suggestion.as_str().unwrap());
        assert!(title.split(' ').any(|w| w.starts_with("zon")), "{summary}");
    }
    assert_eq!(
        summary["period_params"],
        serde_json::json!({"q": ["zones humides"], "temporal": ["2010/2015"]}),
        "{summary}"
    );
    assert_eq!(summary["period_total"], period_total, "{summary}");
    assert_eq!(summary["all_total"], total, "{summary}");
    assert_eq!(summary["pages_seen"], total.min(40), "{summary}");
    assert_eq!(summary["pages_overlap"], 0, "{summary}");
    assert_eq!(summary["current_page"], "2", "{summary}");
    assert_eq!(summary["dataset_title_matches"], true, "{summary}");
    assert!(
        summary["dataset_downloads"].as_u64().unwrap() > 0,
        "{summary}"
    );
    assert_eq!(summary["citation"], true, "{summary}");
    // The Cite block (French, the page's language) and the data paper's page.
    let cite = summary["cite_block"].as_str().unwrap();
    assert!(
        cite.contains("[Jeu de données, mis à jour le")
            && cite.contains("https://doi.org/10.5072/FK2/ZAAMPH"),
        "{cite}"
    );
    assert_eq!(
        summary["paper_authors"],
        serde_json::json!([
            "Maëlle Le Guen",
            "Solène Caradec",
            "Erwan Tanguy",
            "Loïc Guillou"
        ]),
        "{summary}"
    );
    assert!(
        summary["paper_datasets"].as_u64().unwrap() >= 1,
        "{summary}"
    );
    assert!(
        summary["paper_cite"]
            .as_str()
            .unwrap()
            .starts_with("Le Guen, M., Caradec, S., Tanguy, E., et Guillou, L. (2024)."),
        "{summary}"
    );
    assert_eq!(summary["switched_lang"], "en", "{summary}");
    assert_eq!(summary["switched_title_differs"], true, "{summary}");
    assert_eq!(summary["kept_lang"], "en", "{summary}");
    assert_eq!(summary["kept_label"], "Search the catalog", "{summary}");
    assert_eq!(summary["back_lang"], "fr", "{summary}");
    for shot in summary["screenshots"].as_array().unwrap() {
        let bytes = std::fs::read(shot.as_str().unwrap()).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{shot}"
        );
    }
}

#[tokio::test]
async fn a_search_that_cannot_be_run_says_why_on_the_page() {
    let server = Server::start();
    search(&server, "").await;
    for (query, named) in [
        ("q=eau&page_size=100000", "page_size"),
        ("q=eau&colour=blue", "colour"),
        ("temporal=2020", "temporal"),
    ] {
        let response = client()
            .get(format!("{}/search?{query}", server.url))
            .header("Accept", "text/html")
            .header("Accept-Language", "fr")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = unescape(&response.text().await.unwrap());
        let problem = between(&html, "id=\"problem\" role=\"alert\"", "</div>");
        assert!(
            problem.contains("ne peut pas être lancée") && problem.contains(named),
            "{problem}"
        );
        if query.starts_with("q=eau") {
            assert!(
                html.contains("name=\"q\" type=\"search\" value=\"eau\""),
                "{html}"
            );
        }
    }
    // A program still gets the problem in JSON.
    let json = client()
        .get(format!("{}/search?page_size=100000", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json.headers()["content-type"], "application/problem+json");
}
