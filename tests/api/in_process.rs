//! The routing table in process (`http::configure`, as `serve` uses it) over a real
//! on-disk store: a fast matrix of method × path × Accept → status and media type.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT, CONTENT_TYPE};
use actix_web::{App, test};
use passerelle::config::{RawSettings, Settings};
use passerelle::http::{AppState, configure};
use passerelle::model::BaseIri;
use passerelle::store::{CatalogStore, Operations};

fn test_settings() -> Settings {
    Settings::resolve(RawSettings {
        cache_entries: Some(64),
        query_timeout: Some(2),
        ..RawSettings::default()
    })
    .unwrap()
}

#[actix_web::test]
async fn routing_and_negotiation_matrix() {
    let temp = tempfile::tempdir().unwrap();
    let base = BaseIri::parse("http://localhost:8080/").unwrap();
    let store = CatalogStore::open(temp.path(), base).unwrap();
    assert!(
        store.seed_if_empty().unwrap(),
        "a new store gets the demo catalog"
    );
    assert!(!store.seed_if_empty().unwrap(), "and only once");
    let app = test::init_service(
        App::new().configure(configure(AppState::new(store, &test_settings()).unwrap())),
    )
    .await;

    let dataset = "/datasets/inventaire-zones-humides-bretagne";
    let cases: &[(&str, &str, Option<&str>, StatusCode, &str)] = &[
        (
            "GET",
            "/",
            None,
            StatusCode::OK,
            "text/turtle; charset=utf-8",
        ),
        (
            "GET",
            "/",
            Some("text/html"),
            StatusCode::OK,
            "text/html; charset=utf-8",
        ),
        (
            "GET",
            "/?format=nt",
            Some("text/html"),
            StatusCode::OK,
            "application/n-triples; charset=utf-8",
        ),
        (
            "GET",
            dataset,
            None,
            StatusCode::OK,
            "text/turtle; charset=utf-8",
        ),
        (
            "GET",
            dataset,
            Some("application/ld+json"),
            StatusCode::OK,
            "application/ld+json; charset=utf-8",
        ),
        (
            "GET",
            dataset,
            Some("application/rdf+xml"),
            StatusCode::OK,
            "application/rdf+xml; charset=utf-8",
        ),
        (
            "GET",
            dataset,
            Some("application/n-triples"),
            StatusCode::OK,
            "application/n-triples; charset=utf-8",
        ),
        (
            "GET",
            dataset,
            Some("application/n-quads"),
            StatusCode::OK,
            "application/n-quads; charset=utf-8",
        ),
        (
            "GET",
            dataset,
            Some("application/trig"),
            StatusCode::OK,
            "application/trig; charset=utf-8",
        ),
        (
            "GET",
            dataset,
            Some("text/html;q=0.5, text/turtle;q=0.4"),
            StatusCode::OK,
            "text/html; charset=utf-8",
        ),
        (
            "GET",
            dataset,
            Some("image/png"),
            StatusCode::NOT_ACCEPTABLE,
            "application/problem+json",
        ),
        (
            "GET",
            "/datasets/inventaire-zones-humides-bretagne.trig",
            Some("text/html"),
            StatusCode::OK,
            "application/trig; charset=utf-8",
        ),
        (
            "GET",
            "/datasets/inventaire-zones-humides-bretagne.pdf",
            None,
            StatusCode::NOT_FOUND,
            "application/problem+json",
        ),
        (
            "HEAD",
            dataset,
            None,
            StatusCode::OK,
            "text/turtle; charset=utf-8",
        ),
        (
            "POST",
            dataset,
            None,
            StatusCode::METHOD_NOT_ALLOWED,
            "application/problem+json",
        ),
        (
            "PUT",
            "/",
            None,
            StatusCode::METHOD_NOT_ALLOWED,
            "application/problem+json",
        ),
        (
            "GET",
            "/datasets/nope",
            None,
            StatusCode::NOT_FOUND,
            "application/problem+json",
        ),
        (
            "GET",
            "/things/nope",
            None,
            StatusCode::NOT_FOUND,
            "application/problem+json",
        ),
        (
            "GET",
            "/a/b/c",
            None,
            StatusCode::NOT_FOUND,
            "application/problem+json",
        ),
        (
            "GET",
            "/records/inventaire-zones-humides-bretagne",
            None,
            StatusCode::OK,
            "text/turtle; charset=utf-8",
        ),
        (
            "GET",
            "/agents/region-bretagne.jsonld",
            None,
            StatusCode::OK,
            "application/ld+json; charset=utf-8",
        ),
        (
            "GET",
            "/data-papers/brittany-wetland-inventory-data-paper",
            Some("text/html"),
            StatusCode::OK,
            "text/html; charset=utf-8",
        ),
        (
            "GET",
            "/distributions/zones-humides-bretagne-geojson",
            None,
            StatusCode::OK,
            "text/turtle; charset=utf-8",
        ),
        (
            "GET",
            "/distributions/inventaire-zones-humides-bretagne",
            None,
            StatusCode::NOT_FOUND,
            "application/problem+json",
        ),
        ("GET", "/health", None, StatusCode::OK, "application/json"),
    ];
    for (method, path, accept, status, content_type) in cases {
        let mut request = test::TestRequest::default()
            .method(method.parse().unwrap())
            .uri(path);
        if let Some(accept) = accept {
            request = request.insert_header((ACCEPT, *accept));
        }
        let response = test::call_service(&app, request.to_request()).await;
        assert_eq!(
            response.status(),
            *status,
            "{method} {path} Accept {accept:?}"
        );
        let got = response
            .headers()
            .get(CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(
            got.as_deref(),
            Some(*content_type),
            "{method} {path} Accept {accept:?}"
        );
    }
}
