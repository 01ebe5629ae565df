//! Fetching feed pages from a real HTTP server on loopback: refused unless private
//! addresses are allowed (by IP literal and by name), bounded in size and redirects,
//! conditional with `ETag`; what comes back (through a compressing server) parses as the
//! feed it is.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, middleware, web};
use passerelle::harvest::fetch::{FetchError, FetchOptions, Fetcher, Validators};
use passerelle::harvest::{page, sniff};

const FEED: &str = "feeds/ckanext-dcat/examples/dcat/catalog.rdf";

/// Serves the CKAN feed (as `text/xml`, with an ETag, compressed when asked), a large
/// body, and a redirect loop, on a free loopback port.
fn feed_server() -> (String, actix_web::dev::ServerHandle) {
    let feed = std::fs::read(common::fixture(FEED)).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || {
        let feed = feed.clone();
        App::new()
            .wrap(middleware::Compress::default())
            .route(
                "/feed.rdf",
                web::get().to(move |request: HttpRequest| {
                    let feed = feed.clone();
                    async move {
                        let tag = "\"feed-v1\"";
                        let matches = request
                            .headers()
                            .get("if-none-match")
                            .is_some_and(|v| v.to_str().is_ok_and(|v| v == tag));
                        if matches {
                            return HttpResponse::NotModified().finish();
                        }
                        HttpResponse::Ok()
                            .insert_header(("Content-Type", "text/xml; charset=utf-8"))
                            .insert_header(("ETag", tag))
                            .body(feed)
                    }
                }),
            )
            .route(
                "/big",
                web::get().to(|| async { HttpResponse::Ok().body(vec![b' '; 200_000]) }),
            )
            .route(
                "/loop",
                web::get().to(|| async {
                    HttpResponse::Found()
                        .insert_header(("Location", "/loop"))
                        .finish()
                }),
            )
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    let handle = server.handle();
    tokio::spawn(server);
    (format!("127.0.0.1:{port}"), handle)
}

fn fetcher(allow_private: bool, max_bytes: usize) -> Fetcher {
    Fetcher::new(FetchOptions {
        allow_private,
        max_bytes,
        ..FetchOptions::default()
    })
    .unwrap()
}

#[actix_web::test]
async fn our_own_network_is_refused_unless_allowed() {
    let (host, server) = feed_server();
    let strict = fetcher(false, 1 << 20);
    let by_ip = strict
        .get(&format!("http://{host}/feed.rdf"), &Validators::default())
        .await;
    assert!(
        matches!(&by_ip, Err(FetchError::Refused { reason, .. }) if reason.contains("127.0.0.1")),
        "{by_ip:?}"
    );
    // A name that resolves inside is refused when resolved.
    let port = host.rsplit(':').next().unwrap();
    let by_name = strict
        .get(
            &format!("http://localhost:{port}/feed.rdf"),
            &Validators::default(),
        )
        .await;
    assert!(
        matches!(&by_name, Err(FetchError::Network { message, .. }) if message.contains("loopback")),
        "{by_name:?}"
    );
    let scheme = strict
        .get("file:///etc/passwd", &Validators::default())
        .await;
    assert!(
        matches!(scheme, Err(FetchError::Refused { .. })),
        "{scheme:?}"
    );
    server.stop(true).await;
}

#[actix_web::test]
async fn a_feed_is_fetched_conditionally_and_parses() {
    let (host, server) = feed_server();
    let client = fetcher(true, 1 << 20);
    let url = format!("http://{host}/feed.rdf");
    let fetched = client.get(&url, &Validators::default()).await.unwrap();
    assert!(!fetched.not_modified);
    assert_eq!(fetched.body, std::fs::read(common::fixture(FEED)).unwrap());
    assert_eq!(fetched.validators.etag.as_deref(), Some("\"feed-v1\""));
    let format = sniff::syntax_of(fetched.content_type.as_deref(), &fetched.body);
    let parsed = page::parse(&fetched.body, format, &fetched.url, &Default::default()).unwrap();
    let datasets = parsed
        .graph
        .subjects_for_predicate_object(
            oxigraph::model::vocab::rdf::TYPE,
            oxigraph::model::NamedNodeRef::new("http://www.w3.org/ns/dcat#Dataset").unwrap(),
        )
        .count();
    assert_eq!(datasets, 2);

    // With its ETag, the page is not sent again.
    let again = client.get(&url, &fetched.validators).await.unwrap();
    assert!(again.not_modified);
    assert!(again.body.is_empty());
    server.stop(true).await;
}

#[actix_web::test]
async fn size_and_redirects_are_bounded() {
    let (host, server) = feed_server();
    let client = fetcher(true, 100_000);
    let big = client
        .get(&format!("http://{host}/big"), &Validators::default())
        .await;
    assert!(
        matches!(big, Err(FetchError::TooLarge { limit: 100_000, .. })),
        "{big:?}"
    );
    let looping = client
        .get(&format!("http://{host}/loop"), &Validators::default())
        .await;
    assert!(
        matches!(&looping, Err(FetchError::Network { message, .. }) if message.contains("redirects")),
        "{looping:?}"
    );
    let missing = client
        .get(&format!("http://{host}/nothing"), &Validators::default())
        .await;
    assert!(
        matches!(missing, Err(FetchError::Status { status: 404, .. })),
        "{missing:?}"
    );
    server.stop(true).await;
}
