//! Operations endpoints: liveness and readiness.

use super::AppState;
use actix_web::{HttpResponse, web};
use serde_json::json;

/// `GET {base}health`: 200 when the store answers a read, 503 otherwise.
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let store = state.store.clone();
    match web::block(move || store.ping()).await {
        Ok(Ok(())) => HttpResponse::Ok().json(json!({ "status": "ok", "store": "ok" })),
        Ok(Err(error)) => {
            tracing::error!(%error, "health check: store unreachable");
            HttpResponse::ServiceUnavailable()
                .json(json!({ "status": "error", "store": "unreachable" }))
        }
        Err(_) => HttpResponse::ServiceUnavailable()
            .json(json!({ "status": "error", "store": "unknown" })),
    }
}
