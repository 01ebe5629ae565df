//! Operations endpoints: liveness and readiness, the metrics for Prometheus, backups.

use super::AppState;
use super::errors::HttpError;
use crate::store::Operations;
use actix_web::{HttpResponse, web};
use serde_json::json;

/// `GET {base}health`: 200 when the store answers a read, 503 otherwise.
pub async fn health(state: web::Data<AppState>) -> Result<HttpResponse, HttpError> {
    state
        .blocking(|store| store.ping().map_err(HttpError::Unhealthy))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "status": "ok", "store": "ok" })))
}

/// `GET {base}metrics`: what the server counts, in Prometheus' text format; for
/// administrators only (a scraper sends the admin token, or scrapes the listen address of
/// its own that `metrics-listen` opens without one).
pub async fn metrics(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    super::auth::admin(&request, &state)?;
    metrics_text(&state).await
}

/// The metrics text. The store is read first if it never was (the first scrape);
/// readings grown old are read again in the background, for the next scrape.
pub(super) async fn metrics_text(state: &AppState) -> Result<HttpResponse, HttpError> {
    let metrics = state.metrics.clone();
    if metrics.reading_due() {
        let (reader, search) = (metrics.clone(), state.search.clone());
        let read = move |store: &crate::store::CatalogStore| reader.read(store, &search);
        if metrics.has_readings() {
            let store = state.store.clone();
            tokio::task::spawn_blocking(move || {
                let _span = tracing::info_span!("metrics-readings").entered();
                if let Err(error) = read(&store) {
                    tracing::warn!(%error, "the store could not be read for the metrics");
                }
            });
        } else {
            state.blocking(read).await?;
        }
    }
    let (content_type, body) = metrics.text()?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// What `POST {base}api/backup` may say.
#[derive(Debug, serde::Deserialize)]
pub struct BackupQuery {
    /// A snapshot for `passerelle dump` to read and remove, not a kept backup.
    #[serde(default)]
    transient: bool,
}

/// `POST {base}api/backup`: a consistent backup of both stores while the server serves,
/// into the backup directory (the oldest past `backup-keep` removed); 201 with its path.
/// For administrators only.
pub async fn backup(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
    asked: web::Query<BackupQuery>,
) -> Result<HttpResponse, HttpError> {
    super::auth::admin(&request, &state)?;
    let plan = state.backups.clone();
    let transient = asked.transient;
    let (path, marker) = state
        .blocking(move |store| {
            if transient {
                crate::backup::make_transient(&plan, store)
            } else {
                crate::backup::make_now(&plan, store)
            }
        })
        .await?;
    tracing::info!(path = %path.display(), "backup made");
    let data_dir = state.store.data_dir().to_owned();
    Ok(HttpResponse::Created()
        .json(json!({ "path": path, "backup": marker, "data_dir": data_dir })))
}
