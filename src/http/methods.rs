//! Which methods a route answers: a resource that only reads answers `GET` and `HEAD`,
//! anything else `405` with the `Allow` header that says what it takes.

use super::errors::HttpError;
use actix_web::{FromRequest, Handler, HttpRequest, Responder, guard, web};

/// A resource at `path` that `handler` answers for `GET` and `HEAD`.
pub(super) fn readable<F, Args>(path: &str, handler: F) -> actix_web::Resource
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    web::resource(path)
        .route(
            web::route()
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(handler),
        )
        .default_service(web::to(only_reads))
}

pub(super) async fn only_reads(request: HttpRequest) -> Result<actix_web::HttpResponse, HttpError> {
    Err(HttpError::MethodNotAllowed {
        method: request.method().to_string(),
        allow: "GET, HEAD",
    })
}

pub(super) async fn only_protocol(
    request: HttpRequest,
) -> Result<actix_web::HttpResponse, HttpError> {
    Err(HttpError::MethodNotAllowed {
        method: request.method().to_string(),
        allow: "GET, HEAD, POST",
    })
}

pub(super) async fn only_get_post(
    request: HttpRequest,
) -> Result<actix_web::HttpResponse, HttpError> {
    Err(HttpError::MethodNotAllowed {
        method: request.method().to_string(),
        allow: "GET, HEAD, POST",
    })
}

pub(super) async fn only_post(request: HttpRequest) -> Result<actix_web::HttpResponse, HttpError> {
    Err(HttpError::MethodNotAllowed {
        method: request.method().to_string(),
        allow: "POST",
    })
}

pub(super) async fn only_put_delete(
    request: HttpRequest,
) -> Result<actix_web::HttpResponse, HttpError> {
    Err(HttpError::MethodNotAllowed {
        method: request.method().to_string(),
        allow: "GET, PUT, DELETE",
    })
}
