//! A deadline on request bodies (`body-timeout`): a client that sends half a body and
//! stalls (a chunked body that never ends, a slow upload) would otherwise hold its request,
//! and a connection, for ever. Past the deadline the body's stream fails with a timed-out
//! I/O error: the body readers answer 408 ([`failed`]), other extractors a 400.

use actix_web::HttpMessage;
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use futures_core::Stream;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// Puts a deadline `timeout` from now on `request`'s body, if it has one.
pub fn on_body(request: &mut ServiceRequest, timeout: Duration) {
    let headers = request.headers();
    let has_body = headers.contains_key(actix_web::http::header::TRANSFER_ENCODING)
        || headers
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0");
    if !has_body {
        return;
    }
    let inner = request.take_payload();
    let stream: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(Deadline {
        inner,
        deadline: Box::pin(tokio::time::sleep(timeout)),
        expired: false,
    });
    request.set_payload(Payload::from(stream));
}

/// Whether `error` is the deadline's.
fn is_timeout(error: &PayloadError) -> bool {
    matches!(error, PayloadError::Io(e) if e.kind() == std::io::ErrorKind::TimedOut)
}

struct Deadline {
    inner: Payload,
    deadline: Pin<Box<tokio::time::Sleep>>,
    expired: bool,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.expired {
            return Poll::Ready(None);
        }
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            self.expired = true;
            let late =
                std::io::Error::new(std::io::ErrorKind::TimedOut, "the body came too slowly");
            return Poll::Ready(Some(Err(PayloadError::Io(late))));
        }
        Poll::Pending
    }
}

/// The middleware: [`on_body`], then the rest of the chain.
pub async fn limit_body(
    timeout: Duration,
    mut request: ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    on_body(&mut request, timeout);
    next.call(request).await
}

/// What a body reader answers when the body failed: 408 past the deadline, else 400.
pub fn failed(error: &actix_web::Error, timeout: Duration) -> super::errors::HttpError {
    if error.as_error::<PayloadError>().is_some_and(is_timeout) {
        super::errors::HttpError::BodyTimeout(timeout.as_secs())
    } else {
        super::errors::HttpError::BadRequest("the request body could not be read".into())
    }
}
