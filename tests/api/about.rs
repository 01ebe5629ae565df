//! What the catalog says about itself, read by outside tools: the shapes (pyshacl runs
//! them), the VoID description (rdflib reads it; its counts are SPARQL's), the dump
//! (rdflib reads it as a fresh dataset: every public graph isomorphic to the endpoint's),
//! and the dump's `ETag`, `Last-Modified` and `304`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Server, client, get_with, run_python};
use reqwest::StatusCode;
use std::time::Duration;

/// The dump's `ETag` once it is written.
async fn dump_etag(server: &Server) -> String {
    for _ in 0..100 {
        let answer = client()
            .head(format!("{}/dump.nq.gz", server.url))
            .send()
            .await
            .unwrap();
        if answer.status() == StatusCode::OK {
            return answer.headers()["etag"].to_str().unwrap().to_owned();
        }
        assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(answer.headers().contains_key("retry-after"));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("no dump was written");
}

#[actix_web::test]
async fn shapes_void_and_dump_read_with_outside_tools() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let server =
        tokio::task::spawn_blocking(move || Server::start_with(&data, &["--dump-interval", "1"]))
            .await
            .unwrap();
    common::quality_settled(&server).await;
    // The dump follows the last writes (the quality measurements included): wait until
    // it stops changing.
    let mut etag = dump_etag(&server).await;
    loop {
        tokio::time::sleep(Duration::from_secs(4)).await;
        let now = dump_etag(&server).await;
        if now == etag {
            break;
        }
        etag = now;
    }

    let page = format!("{}/datasets/inventaire-zones-humides-bretagne", server.url);
    let (url, base) = (server.url.clone(), server.base.clone());
    let summary = tokio::task::spawn_blocking(move || {
        run_python("self_description.py", &[&url, &base, &page])
    })
    .await
    .unwrap();
    let summary: serde_json::Value = serde_json::from_str(summary.trim()).unwrap();
    assert_eq!(summary["page_conforms"], true, "{summary}");
    assert_eq!(summary["broken_conforms"], false, "{summary}");
    assert!(
        summary["dataset_shapes_triples"].as_u64() < summary["shapes_triples"].as_u64(),
        "{summary}"
    );
    assert_eq!(
        summary["void_triples"], summary["sparql_triples"],
        "{summary}"
    );
    assert_eq!(
        summary["void_datasets"], summary["sparql_datasets"],
        "{summary}"
    );
    assert!(
        summary["void_datasets"].as_u64().unwrap() >= 25,
        "{summary}"
    );
    assert_eq!(summary["dump_link"], format!("{}dump.nq.gz", server.base));
    assert_eq!(summary["endpoint_link"], format!("{}sparql", server.base));
    assert_eq!(summary["differing"], serde_json::json!([]), "{summary}");
    assert_eq!(
        summary["dump_graphs"], summary["served_graphs"],
        "{summary}"
    );
    assert!(summary["dump_quads"].as_u64().unwrap() > 1000, "{summary}");

    // Conditional requests.
    let dump = client()
        .get(format!("{}/dump.nq.gz", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(dump.status(), StatusCode::OK);
    assert_eq!(dump.headers()["content-type"], "application/gzip");
    assert!(dump.headers().contains_key("last-modified"));
    let etag = dump.headers()["etag"].to_str().unwrap().to_owned();
    let again = get_with(
        &format!("{}/dump.nq.gz", server.url),
        &[("If-None-Match", &etag)],
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    // Unknown kinds of shapes, and the links to what the catalog says about itself.
    let unknown = get_with(
        &format!("{}/shapes/nothing", server.url),
        &[("Accept", "text/turtle")],
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let catalog = get_with(&format!("{}/", server.url), &[("Accept", "text/turtle")])
        .await
        .text()
        .await
        .unwrap();
    assert!(catalog.contains(".well-known/void#catalog"), "{catalog}");
    let service = get_with(
        &format!("{}/sparql", server.url),
        &[("Accept", "text/turtle")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        service.contains(&format!("<{}shapes>", server.base)),
        "{service}"
    );
    for page in ["shapes", "shapes/datasets", ".well-known/void"] {
        let html = common::pages::html(&format!("{}/{page}", server.url)).await;
        assert!(html.contains("<pre class=\"source\""), "{page}: {html}");
    }
}
