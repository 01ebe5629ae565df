//! The HTTP servers: the catalog's, with one span and one count per request, and the
//! metrics' own when `metrics-listen` asks for one.

use super::{AppState, configure};
use actix_web::dev::{Service, ServiceRequest};
use actix_web::{App, HttpServer, web};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tracing::Instrument;

/// Cross-origin reads and queries for browser clients (YASGUI, notebooks): any origin,
/// no cookies; `Authorization` is allowed so a page can send a token it was given.
fn cors() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allow_any_origin()
        .send_wildcard()
        .allowed_methods(["GET", "HEAD", "POST"])
        .allowed_headers([
            actix_web::http::header::ACCEPT,
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::AUTHORIZATION,
            actix_web::http::header::IF_NONE_MATCH,
            actix_web::http::header::IF_MODIFIED_SINCE,
        ])
        .expose_headers([
            actix_web::http::header::ETAG,
            actix_web::http::header::LINK,
            actix_web::http::header::LAST_MODIFIED,
        ])
        .max_age(3600)
}

/// Serves until interrupted, with one `request` span per request (id, method, path,
/// status, duration) around everything the request does.
pub async fn serve(state: AppState, listen: SocketAddr) -> std::io::Result<()> {
    tracing::info!(%listen, base = %state.store.base(), "listening");
    // Numbers requests, so that log lines of one request can be told from another's.
    let requests = Arc::new(AtomicU64::new(1));
    let metrics = state.metrics.clone();
    HttpServer::new(move || {
        let (requests, metrics) = (requests.clone(), metrics.clone());
        App::new()
            .wrap(cors())
            .wrap_fn(move |request: ServiceRequest, service| {
                let metrics = metrics.clone();
                let method = method_label(request.method());
                let span = tracing::info_span!(
                    "request",
                    id = requests.fetch_add(1, Ordering::Relaxed),
                    method = %request.method(),
                    path = %request.path(),
                    status = tracing::field::Empty,
                    duration_ms = tracing::field::Empty,
                );
                let started = std::time::Instant::now();
                let future = span.in_scope(|| service.call(request));
                async move {
                    let response = future.await;
                    let span = tracing::Span::current();
                    let (status, route) = match &response {
                        Ok(r) => (
                            r.status().as_u16(),
                            r.request()
                                .match_pattern()
                                .unwrap_or_else(|| "unmatched".into()),
                        ),
                        Err(e) => (
                            e.as_response_error().status_code().as_u16(),
                            "unmatched".into(),
                        ),
                    };
                    metrics.request(method, &route, status, started.elapsed());
                    span.record("status", status);
                    span.record("duration_ms", started.elapsed().as_secs_f64() * 1000.0);
                    tracing::info!("served");
                    response
                }
                .instrument(span)
            })
            .configure(configure(state.clone()))
    })
    // Streamed answers end with a small final chunk: without TCP_NODELAY, Nagle's algorithm
    // holds it back until the client's delayed ACK, some 40 ms per request.
    .tcp_nodelay(true)
    // A client that closes its side of the connection has given up: actix then drops its
    // handler at once, which cancels a query still running for it. Otherwise an abandoned
    // query runs to its time limit (actix/actix-web#1313).
    .h1_allow_half_closed(false)
    // Open keep-alive connections and streamed answers get 5 s to finish on shutdown.
    .shutdown_timeout(5)
    .bind(listen)?
    .run()
    .await
}

/// A request's method as a metrics label: the methods we answer, every other one
/// `other` (a client may send any token, each of which would start a series).
fn method_label(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// A server (to run) of `GET /metrics` alone, without a token, on an address of its own (`metrics-listen`:
/// a port the operators' network reaches and the public does not).
pub fn serve_metrics(
    state: AppState,
    listen: SocketAddr,
) -> std::io::Result<actix_web::dev::Server> {
    tracing::info!(%listen, "metrics listening");
    HttpServer::new(move || {
        App::new().app_data(web::Data::new(state.clone())).route(
            "/metrics",
            web::get().to(|state: web::Data<AppState>| async move {
                super::ops::metrics_text(&state).await
            }),
        )
    })
    .workers(1)
    .bind(listen)
    .map(HttpServer::run)
}
