//! Operations endpoints: liveness and readiness.

use super::AppState;
use super::errors::HttpError;
use actix_web::{HttpResponse, web};
use serde_json::json;

/// `GET {base}health`: 200 when the store answers a read, 503 otherwise.
pub async fn health(state: web::Data<AppState>) -> Result<HttpResponse, HttpError> {
    let store = state.store.clone();
    web::block(move || store.ping())
        .await
        .map_err(|_| HttpError::Unavailable)?
        .map_err(HttpError::Unhealthy)?;
    Ok(HttpResponse::Ok().json(json!({ "status": "ok", "store": "ok" })))
}
