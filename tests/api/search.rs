//! Search over HTTP (issue 28, first slice): words across accents, plurals and languages,
//! phrases and exclusions, filters alone and combined, facet counts against SPARQL counts
//! of the same data, the index following every write, repaired after a crash or a loss,
//! and bad input answered with a 4xx, never a 5xx.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, api_request, header};
use common::{Server, client, fixture, run_python};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;

pub(super) const BASE: &str = "http://data.example.org/";
const THEMES: &str = "http://publications.europa.eu/resource/authority/data-theme/";

/// The JSON answer of `GET /search?{query}`, waiting while the index is first built.
pub(super) async fn search(server: &Server, query: &str) -> Value {
    let url = format!("{}/search?{query}", server.url);
    for _ in 0..100 {
        let response = client().get(&url).send().await.unwrap();
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            assert!(response.headers().contains_key("retry-after"));
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            continue;
        }
        assert_eq!(response.status(), StatusCode::OK, "GET {url}");
        return response.json().await.unwrap();
    }
    panic!("the search index was never ready");
}

/// The ids of the results.
pub(super) fn ids(answer: &Value) -> BTreeSet<String> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

/// `SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { pattern }` on the endpoint.
async fn count(server: &Server, pattern: &str) -> u64 {
    let query = format!(
        "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/> \
         SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?c dcat:dataset ?d . {pattern} }}"
    );
    let response = client()
        .post(format!("{}/sparql", server.url))
        .header("Accept", "application/sparql-results+json")
        .form(&[("query", query.as_str())])
        .send()
        .await
        .unwrap();
    let results: Value = response.json().await.unwrap();
    results["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn words_meet_across_accents_plurals_and_languages() {
    let server = Server::start();
    let wetlands = "inventaire-zones-humides-bretagne";
    for query in [
        "q=zone+humide",
        "q=ZONES+HUMIDES",
        "q=wetland",
        "q=Wetlands+Brittany",
    ] {
        let answer = search(&server, query).await;
        assert!(ids(&answer).contains(wetlands), "{query}: {answer}");
    }
    let lighting = search(&server, "q=eclairage+energie").await;
    assert!(
        ids(&lighting).iter().any(|id| id.contains("eclairage")),
        "accents folded: {lighting}"
    );
    // A phrase must appear as written; an exclusion removes what it names.
    let phrase = search(&server, "q=%22zones+humides%22").await;
    assert!(ids(&phrase).contains(wetlands));
    let reversed = search(&server, "q=%22humides+zones%22").await;
    assert!(!ids(&reversed).contains(wetlands), "{reversed}");
    let excluded = search(&server, "q=humides+-inventaire").await;
    assert!(!ids(&excluded).contains(wetlands), "{excluded}");
    assert!(
        !ids(&excluded).is_empty(),
        "other wetland datasets stay: {excluded}"
    );
    // The first result of a title match shows the words marked, escaped.
    let first = &search(&server, "q=zones+humides").await["results"][0];
    let snippet = first["description"].as_str().unwrap();
    assert!(snippet.contains("<mark>"), "{snippet}");
}

#[tokio::test]
async fn facet_counts_are_the_counts_sparql_gives() {
    let server = Server::start();
    let all = search(&server, "page_size=100").await;
    let datasets = count(&server, "").await;
    assert!(datasets > 10);
    assert_eq!(all["total"].as_u64(), Some(datasets));
    for (facet, predicate) in [
        ("theme", "dcat:theme"),
        ("publisher", "dct:publisher"),
        ("keyword", "dcat:keyword"),
    ] {
        let values = all["facets"][facet].as_array().unwrap();
        assert!(!values.is_empty(), "{facet}");
        for value in values {
            let term = value["value"].as_str().unwrap();
            let object = if facet == "keyword" {
                format!(
                    "?k . FILTER(STR(?k) = {})",
                    serde_json::to_string(term).unwrap()
                )
            } else {
                format!("<{term}>")
            };
            let expected = count(&server, &format!("?d {predicate} {object}")).await;
            assert_eq!(value["count"].as_u64(), Some(expected), "{facet} {term}");
        }
    }
    // Labels come in the language asked.
    let envi = |answer: &Value| {
        answer["facets"]["theme"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["value"] == format!("{THEMES}ENVI"))
            .map(|v| v["label"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        envi(&search(&server, "lang=fr").await).as_deref(),
        Some("Environnement")
    );
    assert_eq!(
        envi(&search(&server, "lang=en").await).as_deref(),
        Some("Environment")
    );
}

#[tokio::test]
async fn filters_are_or_within_a_facet_and_and_across() {
    let server = Server::start();
    let (envi, tran) = (format!("{THEMES}ENVI"), format!("{THEMES}TRAN"));
    let one = search(&server, &format!("theme={envi}&page_size=100")).await;
    let expected = count(&server, &format!("?d dcat:theme <{envi}>")).await;
    assert_eq!(one["total"].as_u64(), Some(expected));
    let either = search(&server, &format!("theme={envi}&theme={tran}&page_size=100")).await;
    let expected = count(
        &server,
        &format!("?d dcat:theme ?t FILTER(?t IN (<{envi}>, <{tran}>))"),
    )
    .await;
    assert_eq!(either["total"].as_u64(), Some(expected));
    // `format=<IRI>` filters by file format (only `format=json` asks for JSON).
    let csv = "http://publications.europa.eu/resource/authority/file-type/CSV";
    let in_csv = search(&server, &format!("format={csv}&page_size=100")).await;
    let expected = count(&server, &format!("?d dcat:distribution/dct:format <{csv}>")).await;
    assert!(expected > 0);
    assert_eq!(in_csv["total"].as_u64(), Some(expected), "{in_csv}");
    // Disjunctive counts: a facet's own filter does not narrow its counts, the others do.
    let unfiltered = search(&server, "page_size=1").await;
    assert_eq!(either["facets"]["theme"], unfiltered["facets"]["theme"]);
    assert_ne!(
        either["facets"]["publisher"],
        unfiltered["facets"]["publisher"]
    );
    let publisher = one["results"][0]["publisher"]["iri"]
        .as_str()
        .unwrap()
        .to_owned();
    let both = search(
        &server,
        &format!("theme={envi}&publisher={publisher}&page_size=100"),
    )
    .await;
    let expected = count(
        &server,
        &format!("?d dcat:theme <{envi}> ; dct:publisher <{publisher}>"),
    )
    .await;
    assert_eq!(both["total"].as_u64(), Some(expected));
    assert!(expected >= 1);
    // Paging: the pages of two cover the results once each, in the same order.
    let total = one["total"].as_u64().unwrap() as usize;
    let first = search(&server, &format!("theme={envi}&page_size=2&sort=title")).await;
    let links = &first["links"];
    assert!(links["previous"].is_null() && links["first"].as_str().unwrap().ends_with("page=1"));
    assert!(
        links["next"].as_str().unwrap().ends_with("page=2"),
        "{links}"
    );
    let last = format!("page={}", total.div_ceil(2));
    assert!(links["last"].as_str().unwrap().ends_with(&last), "{links}");
    let mut seen = Vec::new();
    for page in 1..=total.div_ceil(2) {
        let answer = search(
            &server,
            &format!("theme={envi}&page_size=2&page={page}&sort=title"),
        )
        .await;
        seen.extend(ids(&answer));
    }
    assert_eq!(seen.len(), total);
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), total);
}

pub(super) const DATASET: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n\
<loutres> a dcat:Dataset ;\n  dct:title \"TITLE\"@fr ;\n  dct:description \"Comptages <script>x</script> & annuels des loutres.\"@fr ;\n  \
dct:publisher <../agents/ecobio> ;\n  dcat:keyword \"mustélidés\"@fr .\n";

#[tokio::test]
async fn bad_input_is_a_clear_4xx_or_an_empty_page_never_a_5xx() {
    let server = Server::start();
    search(&server, "").await;
    let html = client()
        .get(format!("{}/search", server.url))
        .header("Accept", "image/png")
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), StatusCode::NOT_ACCEPTABLE);
    for (query, named) in [
        ("colour=blue", "colour"),
        ("page_size=100000", "page_size"),
        ("page=99999999999", "page"),
        ("modified_since=yesterday", "modified_since"),
        ("sort=size", "sort"),
    ] {
        let response = client()
            .get(format!("{}/search?{query}", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let problem: Value = response.json().await.unwrap();
        assert!(
            problem["detail"]
                .as_str()
                .unwrap_or_default()
                .contains(named),
            "{problem}"
        );
    }
    for query in [
        "q=%22unbalanced+(+AND+OR",
        "q=%FF%FE",
        "q=title:%5B+TO",
        "page=1000000",
    ] {
        let answer = search(&server, query).await;
        assert!(answer["total"].is_u64(), "{query}");
        if query.starts_with("page=") {
            assert_eq!(answer["results"].as_array().map(Vec::len), Some(0));
        }
    }
}

#[tokio::test]
async fn completions_follow_the_words_typed_across_accents() {
    let server = Server::start();
    search(&server, "").await;
    let titles = |answer: &Value| -> Vec<String> {
        answer
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let get = |query: &'static str| {
        let url = format!("{}/search/suggest?{query}", server.url);
        async move {
            client()
                .get(url)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let zon = titles(&get("q=zon&lang=fr").await);
    assert!(zon.iter().any(|t| t.contains("zones humides")), "{zon:?}");
    assert!(zon.len() <= 10);
    let accents = titles(&get("q=ECLAIR&lang=fr").await);
    assert!(
        accents.iter().any(|t| t.contains("éclairage")),
        "{accents:?}"
    );
    let english = titles(&get("q=wetl&lang=en").await);
    assert!(
        english.iter().any(|t| t.starts_with("Regional wetland")),
        "{english:?}"
    );
    assert!(titles(&get("q=zzzz").await).is_empty());
    let phrase = titles(&get("q=zones+hum&lang=fr").await);
    assert!(
        !phrase.is_empty()
            && phrase
                .iter()
                .all(|t| t.to_lowercase().contains("zones hum")),
        "{phrase:?}"
    );
}

#[test]
fn a_filtered_search_in_rdf_is_a_valid_feed_a_harvester_walks_once() {
    let server = Server::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let envi = format!("{THEMES}ENVI");
    let query = format!("theme={envi}&page_size=2");
    let total = runtime.block_on(search(&server, &query))["total"]
        .as_u64()
        .unwrap();
    assert!(total >= 3, "more than one page: {total}");
    let shapes = fixture("shapes/dcat-ap-3.0.1/html/shacl");
    let start = format!("{}/search?{query}", server.url);
    let summary = run_python("shacl_search.py", &[&start, shapes.to_str().unwrap()]);
    let summary: Value = serde_json::from_str(summary.trim()).unwrap();
    for syntax in ["text/turtle", "application/ld+json"] {
        let walked = &summary[syntax];
        assert_eq!(walked["datasets"].as_u64(), Some(total), "{summary}");
        assert_eq!(walked["repeated"], 0, "{summary}");
        assert_eq!(
            walked["pages"].as_u64(),
            Some(total.div_ceil(2)),
            "{summary}"
        );
        assert_eq!(walked["violations"], 0, "{summary}");
    }
}

pub(super) fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The JSON model at `api/{path}` and its ETag, read as the admin.
pub(super) async fn model(server: &Server, path: &str) -> (Value, String) {
    let response = api_request(server, reqwest::Method::GET, path, None, ADMIN, None).await;
    assert_eq!(response.status(), StatusCode::OK, "GET api/{path}");
    let etag = header(&response, "etag");
    (response.json().await.unwrap(), etag)
}

#[tokio::test]
async fn orders_dates_and_periods_narrow_and_sort_as_asked() {
    let server = Server::start();
    let all = search(&server, "page_size=100&lang=fr").await;
    let total = all["total"].as_u64().unwrap();
    // By title in the reader's language (the demo's titles are in both, in other orders).
    let mut orders = Vec::new();
    for language in ["fr", "en"] {
        let query = format!("page_size=100&sort=title&lang={language}");
        let titles: Vec<String> = search(&server, &query).await["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| fold(r["title"].as_str().unwrap_or_default()))
            .collect();
        let mut sorted = titles.clone();
        sorted.sort();
        assert_eq!(
            titles, sorted,
            "by title, accents and case folded ({language})"
        );
        orders.push(titles);
    }
    assert_ne!(orders[0].len(), 0);
    let modified: Vec<String> = search(&server, "page_size=100&sort=modified").await["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["modified"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        modified.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {modified:?}"
    );
    // A date splits the results in two: those since, and those before.
    let middle = &modified[modified.len() / 2][..10];
    let since = search(&server, &format!("modified_since={middle}&page_size=100")).await;
    let before = search(&server, &format!("modified_before={middle}&page_size=100")).await;
    assert_eq!(
        since["total"].as_u64().unwrap() + before["total"].as_u64().unwrap(),
        total
    );
    assert!(
        since["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["modified"].as_str().unwrap() >= middle)
    );
    // Periods: every dataset with a coverage overlaps the widest one, none an empty past.
    let covered = count(&server, "?d dct:temporal ?p").await;
    assert!(covered > 0);
    assert_eq!(
        search(&server, "temporal=1000/2999").await["total"].as_u64(),
        Some(covered)
    );
    assert_eq!(
        search(&server, "temporal=1001/1002").await["total"].as_u64(),
        Some(0)
    );
    let papers = search(&server, "has_data_paper=true").await["total"]
        .as_u64()
        .unwrap();
    let without = search(&server, "has_data_paper=false").await["total"]
        .as_u64()
        .unwrap();
    assert!(papers > 0 && without > 0);
    assert_eq!(papers + without, total);
}

/// `text` lowercased with its accents dropped, as titles are sorted.
pub(super) fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
