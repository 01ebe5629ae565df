//! The SPARQL 1.1 Protocol at `{base}sparql`: the query operation
//! ([§2.1](https://www.w3.org/TR/sparql11-protocol/#query-operation)) by `GET ?query=` or
//! `POST` of a form or of `application/sparql-query`, with `default-graph-uri` and
//! `named-graph-uri`, results negotiated on `Accept`, streamed, and stopped at a time
//! limit; the update operation ([§2.2](https://www.w3.org/TR/sparql11-protocol/#update-operation))
//! for the admin token only. A client that prefers HTML (a browser) gets the query page
//! (`page.rs`) for a query's answer and for its failure; `?format=` picks a syntax
//! where a browser sends its own `Accept` (`syntax.rs`).

mod answer;
pub(super) mod fast_path;
mod monitor;
mod page;
pub(super) mod pool;
mod protocol;
pub(super) mod service;
mod syntax;

use super::AppState;
use super::errors::HttpError;
use super::stream;
use crate::metrics::QueryOutcome;
use crate::store::Sparql;
use crate::store::{CancellationToken, StoreError, UsingDataset};
use actix_web::http::Method;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use answer::{ChunkWriter, Deadline, InlineBuffer, answer, respond};
use fast_path::INLINE_BUDGET;
use protocol::{Operation, Protocol, QueryFailure, operation};
use std::net::IpAddr;
use std::time::{Duration, Instant};
use syntax::{Syntax, answer_response};
use tokio::sync::oneshot;

/// `GET|POST {base}sparql`.
pub async fn query(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    match run(&request, payload, &state).await {
        Ok(response) => Ok(response),
        Err(failure) => page::failed(&request, &state, failure),
    }
}

/// Reads the request, then runs its query or update.
async fn run(
    request: &HttpRequest,
    payload: web::Payload,
    state: &web::Data<AppState>,
) -> Result<HttpResponse, QueryFailure> {
    let max_body = state.limits.max_body;
    let body = payload
        .to_bytes_limited(max_body)
        .await
        .map_err(|_| HttpError::PayloadTooLarge(format!("bodies are limited to {max_body} bytes")))?
        .map_err(|e| crate::http::deadline::failed(&e, state.limits.body_timeout))?;
    match operation(request, &body) {
        // The protocol's GET without a query: the service description.
        Err(HttpError::MissingQuery) if request.method() != Method::POST => {
            Ok(service::describe(request.clone(), state.clone()).await?)
        }
        Err(error) => Err(error.into()),
        Ok(Operation::Query(protocol)) => match too_long(&protocol.query, state) {
            Some(error) => Err(QueryFailure::of(error, protocol)),
            None => evaluate(request, state, protocol).await,
        },
        Ok(Operation::Update(update, using)) => match too_long(&update, state) {
            Some(error) => Err(error.into()),
            None => Ok(self::update(request, state, update, using).await?),
        },
    }
}

/// 413 for a query or update longer than `max-query-length` characters.
fn too_long(text: &str, state: &AppState) -> Option<HttpError> {
    let limit = state.limits.max_query_length;
    (text.chars().count() > limit).then(|| {
        HttpError::PayloadTooLarge(format!(
            "queries and updates are limited to {limit} characters"
        ))
    })
}

/// The update operation, for admins only, on a query thread: the update's parser recurses
/// like a query's.
async fn update(
    request: &HttpRequest,
    state: &AppState,
    update: String,
    using: UsingDataset,
) -> Result<HttpResponse, HttpError> {
    let who = super::auth::admin(request, state)?;
    let by = super::auth::provenance(request, &who);
    let store = state.store.clone();
    state
        .query_pool
        .run(move || store.update(&update, using, &by))
        .map_err(|_| HttpError::Unavailable)?
        .await
        .map_err(|_| HttpError::Unavailable)??;
    Ok(HttpResponse::NoContent().finish())
}

/// The query operation: inline when the query is known to be quick, else on the query
/// threads.
async fn evaluate(
    request: &HttpRequest,
    state: &web::Data<AppState>,
    protocol: Protocol,
) -> Result<HttpResponse, QueryFailure> {
    let accept = super::respond::accept(request).map(str::to_owned);
    let key = state.fast_queries.key(
        &protocol.query,
        &protocol.default_graphs,
        &protocol.named_graphs,
    );
    if state.fast_queries.knows(key) {
        match inline(state, &protocol, accept.as_deref()) {
            Inline::Answered(syntax, bytes) => return Ok(answer_response(syntax).body(bytes)),
            Inline::Late(syntax, bytes) => {
                state.fast_queries.forget(key);
                return Ok(answer_response(syntax).body(bytes));
            }
            Inline::Failed(error) => return Err(QueryFailure::of(error, protocol)),
            Inline::Declined => state.fast_queries.forget(key),
        }
    }
    let client = request.peer_addr().map(|address| address.ip());
    on_pool(state, protocol, accept, key, client).await
}

/// What running a query inline came to.
enum Inline {
    /// The whole answer, within budget.
    Answered(Syntax, Bytes),
    /// The whole answer, but past the budget (the data changed, or the thread was kept
    /// waiting): good to send, but the query should not run inline again.
    Late(Syntax, Bytes),
    /// The query's own error (syntax, 406...), which the pool would give too.
    Failed(HttpError),
    /// Over budget or over a chunk: run it on the pool instead.
    Declined,
}

/// Runs a query known to be quick on this thread, under [`INLINE_BUDGET`].
fn inline(state: &AppState, protocol: &Protocol, accept: Option<&str>) -> Inline {
    let token = CancellationToken::new();
    if !state.watchdog.arm(token.clone(), INLINE_BUDGET) {
        return Inline::Declined;
    }
    let started = Instant::now();
    let mut buffer = InlineBuffer::default();
    let inline = match answer(state, protocol, accept, token.clone(), &mut buffer) {
        Ok(()) => match buffer.syntax {
            Some(syntax) if started.elapsed() > INLINE_BUDGET => {
                Inline::Late(syntax, Bytes::from(buffer.bytes))
            }
            Some(syntax) => Inline::Answered(syntax, Bytes::from(buffer.bytes)),
            None => Inline::Declined,
        },
        Err(_) if buffer.overflowed || token.is_cancelled() => Inline::Declined,
        Err(error) => Inline::Failed(error),
    };
    // A declined query is counted when the pool has run it.
    match &inline {
        Inline::Answered(..) | Inline::Late(..) => {
            state
                .metrics
                .query(QueryOutcome::Answered, started.elapsed());
        }
        Inline::Failed(_) => state.metrics.query(QueryOutcome::Failed, started.elapsed()),
        Inline::Declined => {}
    }
    inline
}

/// How a query that ran `took` ended, for the metrics: a cancelled one ran out of time if
/// it ran as long as the limit, else its client left.
fn outcome_of(outcome: &Result<(), HttpError>, took: Duration, limit: Duration) -> QueryOutcome {
    match outcome {
        Ok(()) => QueryOutcome::Answered,
        Err(HttpError::Store(StoreError::QueryOverMemory)) => QueryOutcome::OverMemory,
        Err(HttpError::Store(StoreError::QueryCancelled)) if took >= limit => {
            QueryOutcome::TimedOut
        }
        Err(HttpError::Store(StoreError::QueryCancelled)) => QueryOutcome::Abandoned,
        Err(_) => QueryOutcome::Failed,
    }
}

/// Runs a query on the blocking pool, streaming its answer; remembers it as fast when it
/// answered within half of [`INLINE_BUDGET`] in one chunk. Cancelled when the client
/// leaves (this future or the streamed body is dropped).
async fn on_pool(
    state: &web::Data<AppState>,
    protocol: Protocol,
    accept: Option<String>,
    key: u64,
    client: Option<IpAddr>,
) -> Result<HttpResponse, QueryFailure> {
    let permit = match state.query_pool.admit(client) {
        Ok(permit) => permit,
        Err(pool::Refused::Client(running)) => {
            return Err(QueryFailure::of(
                HttpError::TooManyQueries(running),
                protocol,
            ));
        }
        Err(pool::Refused::Full(most)) => {
            return Err(QueryFailure::of(HttpError::QueriesFull(most), protocol));
        }
    };
    let cancellation = CancellationToken::new();
    let (head_sender, mut head) = oneshot::channel();
    let (chunks, stream) = stream::channel(8);
    let state_of_query = state.clone();
    let token = cancellation.clone();
    let span = tracing::Span::current();
    let query = move || {
        span.in_scope(|| {
            let state = state_of_query;
            let watch = state.query_pool.watch(token.clone());
            let started = Instant::now();
            let shallow = fast_path::shallow(&protocol.query);
            let mut writer = ChunkWriter::new(head_sender, chunks);
            let outcome = answer(&state, &protocol, accept.as_deref(), token, &mut writer)
                .map_err(|error| over_memory(error, &watch));
            state.metrics.query(
                outcome_of(&outcome, started.elapsed(), state.query_timeout),
                started.elapsed(),
            );
            // The query is evaluated (what streamed so far went out while it ran): its place
            // is free before the client learns the end.
            drop((permit, watch));
            if writer.end(outcome, protocol) && shallow && started.elapsed() <= INLINE_BUDGET / 2 {
                state.fast_queries.remember(key);
            }
        });
    };
    if state.query_pool.run(query).is_err() {
        return Err(HttpError::Unavailable.into());
    }
    // The time limit is a timer of this request's own, polled with the answer: no task
    // per request, and it fires even while the query has produced nothing yet.
    let mut deadline = Deadline {
        sleep: Box::pin(tokio::time::sleep(state.query_timeout)),
        cancellation,
    };
    // A client that closes its connection makes actix drop this future (see
    // `h1_allow_half_closed` in `http/mod.rs`); dropping the deadline cancels the query.
    let head = tokio::select! {
        head = &mut head => head,
        () = &mut deadline.sleep => {
            deadline.cancellation.cancel();
            return respond(head.await, stream, None);
        }
    };
    respond(head, stream, Some(deadline))
}

/// A query the memory monitor stopped says so, not that it ran out of time.
fn over_memory(error: HttpError, watch: &pool::Watch) -> HttpError {
    match error {
        HttpError::Store(StoreError::QueryCancelled) if watch.stopped_for_memory() => {
            HttpError::Store(StoreError::QueryOverMemory)
        }
        other => other,
    }
}
