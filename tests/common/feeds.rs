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

/// A running feed server; stopped when dropped.
pub struct FeedServer {
    /// `http://127.0.0.1:{port}`.
    pub url: String,
    pages: Arc<RwLock<HashMap<String, Page>>>,
    handle: actix_web::dev::ServerHandle,
}

impl FeedServer {
    /// Starts a server with no pages (every path answers 404) on the current runtime.
    pub fn start() -> Self {
        let pages: Arc<RwLock<HashMap<String, Page>>> = Arc::default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let shared = Arc::clone(&pages);
        let server = HttpServer::new(move || {
            let pages = Arc::clone(&shared);
            App::new().default_service(web::to(move |request: HttpRequest| {
                let pages = Arc::clone(&pages);
                async move {
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
                        Some(page) => {
                            let mut answer = HttpResponse::build(
                                actix_web::http::StatusCode::from_u16(page.status).expect("status"),
                            );
                            answer.insert_header(("Content-Type", page.content_type));
                            if let Some(etag) = page.etag {
                                answer.insert_header(("ETag", etag));
                            }
                            answer.body(page.body)
                        }
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
            handle,
        }
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
