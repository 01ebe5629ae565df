//! A feed server for harvest tests: real HTTP on a loopback port, whose pages a test sets
//! and changes between runs (a dataset removed, a page that starts failing).

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// What the server answers at one path.
#[derive(Clone)]
pub struct Page {
    /// The status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
    /// How long the server waits before answering.
    pub delay: std::time::Duration,
    /// Its `ETag`: a request naming it in `If-None-Match` gets a `304`.
    pub etag: Option<String>,
    /// Where it redirects to (`Location`), with its status.
    pub location: Option<String>,
    /// The status `HEAD` gets, when not the page's (a server that refuses `HEAD`).
    pub head_status: Option<u16>,
}

impl Page {
    /// A `200` page.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status: 200,
            content_type: content_type.to_owned(),
            body: body.into(),
            delay: std::time::Duration::ZERO,
            etag: None,
            location: None,
            head_status: None,
        }
    }

    /// A redirect (`status`) to `location`.
    pub fn redirect(status: u16, location: &str) -> Self {
        Self {
            location: Some(location.to_owned()),
            ..Self::status(status, "moved")
        }
    }

    /// This page, whose `HEAD` answers `status`.
    pub fn head_answers(self, status: u16) -> Self {
        Self {
            head_status: Some(status),
            ..self
        }
    }

    /// A page with status `status`.
    pub fn status(status: u16, body: &str) -> Self {
        Self {
            status,
            ..Self::ok("text/plain", body.as_bytes().to_vec())
        }
    }

    /// This page, answered after `delay`.
    pub fn slow(self, delay: std::time::Duration) -> Self {
        Self { delay, ..self }
    }

    /// This page, with the `ETag` `tag` (quoted here).
    pub fn tagged(self, tag: &str) -> Self {
        Self {
            etag: Some(format!("\"{tag}\"")),
            ..self
        }
    }
}

/// A request the server received.
struct Received {
    method: String,
    path: String,
    range: Option<String>,
    at: std::time::Instant,
}

/// A running feed server; stopped when dropped.
pub struct FeedServer {
    /// `http://127.0.0.1:{port}`.
    pub url: String,
    pages: Arc<RwLock<HashMap<String, Page>>>,
    /// Each request received.
    requests: Arc<RwLock<Vec<Received>>>,
    handle: actix_web::dev::ServerHandle,
}

impl FeedServer {
    /// Starts a server with no pages (every path answers 404) on the current runtime.
    pub fn start() -> Self {
        let pages: Arc<RwLock<HashMap<String, Page>>> = Arc::default();
        let requests: Arc<RwLock<Vec<Received>>> = Arc::default();
        let log = Arc::clone(&requests);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let shared = Arc::clone(&pages);
        let server = HttpServer::new(move || {
            let pages = Arc::clone(&shared);
            let log = Arc::clone(&log);
            App::new().default_service(web::to(move |request: HttpRequest| {
                let pages = Arc::clone(&pages);
                let log = Arc::clone(&log);
                async move {
                    let range = request
                        .headers()
                        .get("Range")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    log.write().expect("log").push(Received {
                        method: request.method().to_string(),
                        path: request.path().to_owned(),
                        range: range.clone(),
                        at: std::time::Instant::now(),
                    });
                    let key = match request.query_string() {
                        "" => request.path().to_owned(),
                        query => format!("{}?{query}", request.path()),
                    };
                    let page = pages.read().expect("pages").get(&key).cloned();
                    if let Some(page) = &page {
                        tokio::time::sleep(page.delay).await;
                    }
                    let asked = request
                        .headers()
                        .get("If-None-Match")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    match page {
                        Some(Page {
                            etag: Some(etag), ..
                        }) if asked.as_deref() == Some(etag.as_str()) => {
                            HttpResponse::NotModified()
                                .insert_header(("ETag", etag))
                                .finish()
                        }
                        Some(page) => answer(&request, page, range.as_deref()),
                        None => HttpResponse::NotFound().body("no such page"),
                    }
                }
            }))
        })
        .workers(1)
        .listen(listener)
        .expect("listen")
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            url: format!("http://127.0.0.1:{port}"),
            pages,
            requests,
            handle,
        }
    }

    /// The requests received so far for `path`: method and `Range` header.
    pub fn requests_for(&self, path: &str) -> Vec<(String, Option<String>)> {
        self.requests
            .read()
            .expect("log")
            .iter()
            .filter(|r| r.path == path)
            .map(|r| (r.method.clone(), r.range.clone()))
            .collect()
    }

    /// When the requests for `path` arrived.
    pub fn arrivals(&self, path: &str) -> Vec<std::time::Instant> {
        self.requests
            .read()
            .expect("log")
            .iter()
            .filter(|r| r.path == path)
            .map(|r| r.at)
            .collect()
    }

    /// Sets what `path` (with its query, if any) answers; returns its URL.
    pub fn set(&self, path: &str, page: Page) -> String {
        self.pages
            .write()
            .expect("pages")
            .insert(path.to_owned(), page);
        format!("{}{path}", self.url)
    }
}

impl Drop for FeedServer {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

/// What `page` answers to `request`: its `HEAD` status if it has one, the first byte
/// (`206`) to a `Range: bytes=0-0`, else itself.
fn answer(request: &HttpRequest, page: Page, range: Option<&str>) -> HttpResponse {
    let head = request.method() == actix_web::http::Method::HEAD;
    let status = match page.head_status {
        Some(status) if head => status,
        _ if page.status == 200 && range == Some("bytes=0-0") => 206,
        _ => page.status,
    };
    let mut answer =
        HttpResponse::build(actix_web::http::StatusCode::from_u16(status).expect("status"));
    answer.insert_header(("Content-Type", page.content_type));
    if let Some(etag) = page.etag {
        answer.insert_header(("ETag", etag));
    }
    if let Some(location) = page.location {
        answer.insert_header(("Location", location));
    }
    match status {
        206 => answer.body(page.body.into_iter().take(1).collect::<Vec<u8>>()),
        _ => answer.body(page.body),
    }
}

/// Serves ckanext-dcat's example catalog (a real portal's RDF/XML feed) at
/// `/catalog.rdf`; its URL.
pub fn ckan_catalog(feeds: &FeedServer) -> String {
    let body = std::fs::read(super::fixture(
        "feeds/ckanext-dcat/examples/dcat/catalog.rdf",
    ))
    .expect("the ckanext-dcat fixture");
    feeds.set("/catalog.rdf", Page::ok("application/rdf+xml", body))
}

/// The media type a fixture file is served with, from its extension.
pub fn media_type(path: &std::path::Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("ttl") => "text/turtle",
        Some("nt") => "application/n-triples",
        Some("jsonld") => "application/ld+json",
        Some("json") => "application/json",
        Some("rdf" | "xml") => "application/rdf+xml",
        _ => "application/octet-stream",
    }
}
