//! Operations endpoints: liveness and readiness, the metrics for Prometheus, backups.

use super::AppState;
use super::errors::HttpError;
use crate::store::Operations;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

/// What the health check answers when all is well.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    status: &'static str,
    /// Always `ok`: the store answered a read.
    store: &'static str,
}

/// `GET {base}health`: 200 when the store answers a read, 503 otherwise.
#[utoipa::path(
    get,
    path = "/health",
    tag = "operations",
    summary = "Whether the server and its store answer",
    responses(
        (status = 200, description = "The store answers a read", body = Health),
        (status = 503, description = "The store does not answer, or the server is stopping"),
    ),
)]
pub async fn health(state: web::Data<AppState>) -> Result<HttpResponse, HttpError> {
    state
        .blocking(|store| store.ping().map_err(HttpError::Unhealthy))
        .await?;
    Ok(HttpResponse::Ok().json(Health {
        status: "ok",
        store: "ok",
    }))
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

/// What `POST {base}api/backup` answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct BackupMade {
    /// Where the backup is, on the server's disk.
    #[schema(value_type = String)]
    path: std::path::PathBuf,
    /// What it is: when it was made, of which catalog, by which version.
    backup: crate::backup::Marker,
    /// The data directory it is a backup of.
    #[schema(value_type = String)]
    data_dir: std::path::PathBuf,
}

/// `POST {base}api/backup`: a consistent backup of both stores while the server serves,
/// into the backup directory (the oldest past `backup-keep` removed); 201 with its path.
/// For administrators only.
#[utoipa::path(
    post,
    path = "/api/backup",
    tag = "operations",
    summary = "Back up both stores while the server serves",
    params(("transient" = Option<bool>, Query, description = "A snapshot for `passerelle dump` to read and remove (removed within the hour), not a kept backup")),
    responses(
        (status = 201, description = "Made", body = BackupMade),
        (status = 400, description = "`transient` is neither true nor false"),
        (status = 401, description = "No bearer token"),
        (status = 403, description = "The token is not an administrator's"),
    ),
    security(("bearer" = [])),
)]
pub async fn backup(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    super::auth::admin(&request, &state)?;
    let plan = state.backups.clone();
    let transient = match super::respond::query_parameter(&request, "transient")?.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(HttpError::BadRequest(format!(
                "transient is true or false, not {other:?}"
            )));
        }
    };
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
    Ok(HttpResponse::Created().json(BackupMade {
        path,
        backup: marker,
        data_dir,
    }))
}
