//! Operations endpoints: liveness and readiness.

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
