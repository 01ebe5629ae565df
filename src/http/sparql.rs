//! The SPARQL 1.1 Protocol at `{base}sparql`: the query operation
//! ([§2.1](https://www.w3.org/TR/sparql11-protocol/#query-operation)) by `GET ?query=` or
//! `POST` of a form or of `application/sparql-query`, with `default-graph-uri` and
//! `named-graph-uri`, results negotiated on `Accept`, streamed, and stopped at a time
//! limit; the update operation ([§2.2](https://www.w3.org/TR/sparql11-protocol/#update-operation))
//! for the admin token only. A client that prefers HTML (a browser) gets the query page
//! (`sparql_page.rs`) for a query's answer and for its failure; `?format=` picks a syntax
//! where a browser sends its own `Accept` (`sparql_syntax.rs`).

use super::AppState;
use super::errors::HttpError;
use super::fast_path::INLINE_BUDGET;
use super::sparql_syntax::{Syntax, pick};
use super::stream::{CHUNK, ChunkStream};
use crate::rdf::Offer;
use crate::store::{CancellationToken, StoreError, UsingDataset};
use actix_web::body::{BodySize, MessageBody};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::NamedNode;
use std::future::Future;
use std::io::{self, Write};
use std::net::IpAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

/// The protocol parameters of one query request.
pub(super) struct Protocol {
    pub(super) query: String,
    pub(super) default_graphs: Vec<NamedNode>,
    pub(super) named_graphs: Vec<NamedNode>,
    /// `?format=`, which overrides `Accept` where a browser sends its own (see [`pick`]).
    pub(super) format: Option<String>,
}

/// What a request asks for: the query operation or the update operation.
enum Operation {
    Query(Protocol),
    Update(String, UsingDataset),
}

/// The request's body, by its media type.
enum Body {
    /// GET, HEAD: parameters only in the URL.
    None,
    /// `application/x-www-form-urlencoded`: more parameters.
    Form(String),
    /// `application/sparql-query`.
    Query(String),
    /// `application/sparql-update`.
    Update(String),
}

/// Reads a POST body: only the Protocol's three media types, only in UTF-8 (§2.1.2–2.2.2).
fn body(request: &HttpRequest, bytes: &[u8]) -> Result<Body, HttpError> {
    if request.method() != Method::POST {
        return Ok(Body::None);
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            HttpError::UnsupportedMediaType(
                "untyped; give Content-Type application/x-www-form-urlencoded, application/sparql-query or application/sparql-update".into(),
            )
        })?;
    let mut parts = content_type.split(';');
    let media_type = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    for parameter in parts {
        if let Some((name, value)) = parameter.split_once('=')
            && name.trim().eq_ignore_ascii_case("charset")
            && !value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        {
            return Err(HttpError::UnsupportedMediaType(format!(
                "{} (SPARQL requests are read in UTF-8 only)",
                content_type.trim()
            )));
        }
    }
    let text = || {
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|e| HttpError::BadRequest(format!("the body is not UTF-8: {e}")))
    };
    match media_type.as_str() {
        "application/x-www-form-urlencoded" => Ok(Body::Form(text()?)),
        "application/sparql-query" => Ok(Body::Query(text()?)),
        "application/sparql-update" => Ok(Body::Update(text()?)),
        _ => Err(HttpError::UnsupportedMediaType(media_type)),
    }
}

/// Reads the protocol parameters from the URL and, for POST, the body. Each operation
/// takes only its own parameters; anything ambiguous is refused rather than guessed.
fn operation(request: &HttpRequest, bytes: &[u8]) -> Result<Operation, HttpError> {
    let mut pairs = pairs(request.query_string())?;
    let mut query = None;
    let mut update = None;
    match body(request, bytes)? {
        Body::None => {}
        Body::Form(form) => pairs.extend(self::pairs(&form)?),
        Body::Query(text) => query = Some(text),
        Body::Update(text) => update = Some(text),
    }
    let mut default_graphs = Vec::new();
    let mut named_graphs = Vec::new();
    let mut using = UsingDataset::default();
    let mut format = None;
    for (name, value) in pairs {
        match name.as_str() {
            "query" | "update" if query.is_some() || update.is_some() => {
                return Err(HttpError::BadRequest(
                    "give one query or one update, once".into(),
                ));
            }
            "query" => query = Some(value),
            "update" if request.method() != Method::POST => {
                return Err(HttpError::BadRequest(
                    "updates are sent with POST, as a form or as application/sparql-update".into(),
                ));
            }
            "update" => update = Some(value),
            "default-graph-uri" => default_graphs.push(graph_iri(&value)?),
            "named-graph-uri" => named_graphs.push(graph_iri(&value)?),
            "using-graph-uri" => using.default_graphs.push(graph_iri(&value)?),
            "using-named-graph-uri" => using.named_graphs.push(graph_iri(&value)?),
            "format" => format = Some(value),
            _ => {}
        }
    }
    if let Some(update) = update {
        if !default_graphs.is_empty() || !named_graphs.is_empty() {
            return Err(HttpError::BadRequest(
                "default-graph-uri and named-graph-uri are for queries; updates take using-graph-uri and using-named-graph-uri".into(),
            ));
        }
        return Ok(Operation::Update(update, using));
    }
    if !using.default_graphs.is_empty() || !using.named_graphs.is_empty() {
        return Err(HttpError::BadRequest(
            "using-graph-uri and using-named-graph-uri are for updates; queries take default-graph-uri and named-graph-uri".into(),
        ));
    }
    let query = query.ok_or(HttpError::MissingQuery)?;
    Ok(Operation::Query(Protocol {
        query,
        default_graphs,
        named_graphs,
        format,
    }))
}

fn pairs(text: &str) -> Result<Vec<(String, String)>, HttpError> {
    web::Query::<Vec<(String, String)>>::from_query(text)
        .map(web::Query::into_inner)
        .map_err(|e| HttpError::BadRequest(format!("malformed parameters: {e}")))
}

fn graph_iri(value: &str) -> Result<NamedNode, HttpError> {
    NamedNode::new(value)
        .map_err(|e| HttpError::BadRequest(format!("invalid graph IRI {value:?}: {e}")))
}

/// A request that failed, with the query's parameters when they were read: a browser's
/// page shows the error under the editor that still holds the query.
pub(super) struct QueryFailure {
    pub(super) error: HttpError,
    /// Boxed: failures are rare, and every `Result` of the query path carries this size.
    pub(super) protocol: Option<Box<Protocol>>,
}

impl From<HttpError> for QueryFailure {
    fn from(error: HttpError) -> Self {
        Self {
            error,
            protocol: None,
        }
    }
}

impl QueryFailure {
    fn of(error: HttpError, protocol: Protocol) -> Self {
        Self {
            error,
            protocol: Some(Box::new(protocol)),
        }
    }
}

/// `GET|POST {base}sparql`.
pub async fn query(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    match run(&request, payload, &state).await {
        Ok(response) => Ok(response),
        Err(failure) => super::sparql_page::failed(&request, &state, failure),
    }
}

async fn run(
    request: &HttpRequest,
    payload: web::Payload,
    state: &web::Data<AppState>,
) -> Result<HttpResponse, QueryFailure> {
    let limits = state.limits;
    let body = payload
        .to_bytes_limited(limits.max_body)
        .await
        .map_err(|_| {
            HttpError::PayloadTooLarge(format!("bodies are limited to {} bytes", limits.max_body))
        })?
        .map_err(|_| HttpError::BadRequest("the request body could not be read".into()))?;
    let operation = match operation(request, &body) {
        // The protocol's GET without a query: the service description.
        Err(HttpError::MissingQuery) if request.method() != Method::POST => {
            return Ok(super::service::describe(request.clone(), state.clone()).await?);
        }
        other => other?,
    };
    let text = match &operation {
        Operation::Query(protocol) => &protocol.query,
        Operation::Update(update, _) => update,
    };
    let too_long = (text.chars().count() > limits.max_query_length).then(|| {
        HttpError::PayloadTooLarge(format!(
            "queries and updates are limited to {} characters",
            limits.max_query_length
        ))
    });
    let protocol = match operation {
        Operation::Query(protocol) => match too_long {
            Some(error) => return Err(QueryFailure::of(error, protocol)),
            None => protocol,
        },
        Operation::Update(update, using) => {
            if let Some(error) = too_long {
                return Err(error.into());
            }
            let who = super::auth::admin(request, state)?;
            let by = super::auth::provenance(request, &who);
            let store = state.store.clone();
            // On a query thread: the update's parser recurses like a query's.
            state
                .query_pool
                .run(move || store.update(&update, using, &by))
                .map_err(|_| HttpError::Unavailable)?
                .await
                .map_err(|_| HttpError::Unavailable)?
                .map_err(HttpError::from)?;
            return Ok(HttpResponse::NoContent().finish());
        }
    };
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
    match answer(state, protocol, accept, token.clone(), &mut buffer) {
        Ok(()) => match buffer.syntax {
            Some(syntax) if started.elapsed() > INLINE_BUDGET => {
                Inline::Late(syntax, Bytes::from(buffer.bytes))
            }
            Some(syntax) => Inline::Answered(syntax, Bytes::from(buffer.bytes)),
            None => Inline::Declined,
        },
        Err(_) if buffer.overflowed || token.is_cancelled() => Inline::Declined,
        Err(error) => Inline::Failed(error),
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
        Err(running) => {
            return Err(QueryFailure::of(
                HttpError::TooManyQueries(running),
                protocol,
            ));
        }
    };
    let cancellation = CancellationToken::new();
    let (head_sender, mut head) = oneshot::channel();
    let (chunks, receiver) = mpsc::channel(8);
    let state_of_query = state.clone();
    let token = cancellation.clone();
    let span = tracing::Span::current();
    let query = move || {
        span.in_scope(|| {
            let state = state_of_query;
            let watch = state.query_pool.watch(token.clone());
            let started = Instant::now();
            let shallow = super::fast_path::shallow(&protocol.query);
            let mut writer = ChunkWriter::new(head_sender, chunks);
            let outcome = answer(&state, &protocol, accept.as_deref(), token, &mut writer)
                .map_err(|error| over_memory(error, &watch));
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
            return respond(head.await, receiver, None);
        }
    };
    respond(head, receiver, Some(deadline))
}

/// A query the memory monitor stopped says so, not that it ran out of time.
fn over_memory(error: HttpError, watch: &super::query_pool::Watch) -> HttpError {
    match error {
        HttpError::Store(StoreError::QueryCancelled) if watch.stopped_for_memory() => {
            HttpError::Store(StoreError::QueryOverMemory)
        }
        other => other,
    }
}

/// The response for how the answer started; a streamed one keeps `deadline` running.
fn respond(
    head: Result<Head, oneshot::error::RecvError>,
    receiver: mpsc::Receiver<Result<Bytes, io::Error>>,
    deadline: Option<Deadline>,
) -> Result<HttpResponse, QueryFailure> {
    // No head: the query's thread ended without a word (it panicked, or the pool is gone).
    match head.map_err(|_| HttpError::Unavailable)? {
        Head::Complete(syntax, bytes) => Ok(answer_response(syntax).body(bytes)),
        Head::Streaming(syntax) => Ok(answer_response(syntax).body(ChunkBody {
            stream: ChunkStream::new(receiver),
            deadline,
        })),
        Head::Failed(error, protocol) => Err(QueryFailure::of(error, protocol)),
    }
}

/// The head of a successful answer.
pub(super) fn answer_response(syntax: Syntax) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static(syntax.content_type()),
        ))
        .insert_header((header::VARY, HeaderValue::from_static("Accept")));
    response
}

/// Where an answer goes: told its syntax once negotiated, then written to.
trait AnswerSink: Write {
    fn begin(&mut self, syntax: Syntax);
}

/// Runs the query and writes its answer into `sink`.
fn answer(
    state: &AppState,
    protocol: &Protocol,
    accept: Option<&str>,
    cancellation: CancellationToken,
    sink: &mut impl AnswerSink,
) -> Result<(), HttpError> {
    let store = &state.store;
    let prepared = store.prepare_query(
        &protocol.query,
        protocol.default_graphs.clone(),
        protocol.named_graphs.clone(),
        cancellation,
    )?;
    let answer = store.evaluate(prepared)?;
    let offers = Syntax::offers(answer.kind());
    let syntax = pick(protocol.format.as_deref(), accept, offers)
        .ok_or_else(|| HttpError::NotAcceptable(offers.iter().map(|o| o.media_type()).collect()))?;
    sink.begin(syntax);
    match syntax {
        Syntax::Results(results) => answer.write_results(results, &mut *sink)?,
        Syntax::Rdf(representation) => answer.write_graph(representation, &mut *sink)?,
        Syntax::Page => {
            let page = super::sparql_page::answered(state, protocol, answer)?;
            sink.write_all(page.as_bytes())
                .map_err(HttpError::Serialize)?;
        }
    }
    Ok(())
}

/// How an answer starts, sent once by the query thread.
enum Head {
    /// The whole answer fitted in the first chunk: sent at once, with a length.
    Complete(Syntax, Bytes),
    /// More is coming on the chunk channel.
    Streaming(Syntax),
    /// Nothing was written: the answer is this error, for this query.
    Failed(HttpError, Protocol),
}

/// Bytes written by the query thread. The response's status is only decided when the
/// first chunk is full (or the answer ends), so that a query that fails or runs out of
/// time before producing anything answers a proper error; an answer smaller than a chunk
/// goes back in one piece, without the channel.
struct ChunkWriter {
    syntax: Option<Syntax>,
    head: Option<oneshot::Sender<Head>>,
    chunks: mpsc::Sender<Result<Bytes, io::Error>>,
    buffer: Vec<u8>,
}

impl ChunkWriter {
    fn new(head: oneshot::Sender<Head>, chunks: mpsc::Sender<Result<Bytes, io::Error>>) -> Self {
        Self {
            syntax: None,
            head: Some(head),
            chunks,
            buffer: Vec::new(),
        }
    }

    fn send_buffer(&mut self) -> io::Result<()> {
        if let (Some(head), Some(syntax)) = (self.head.take(), self.syntax) {
            let _ = head.send(Head::Streaming(syntax));
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.chunks
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }

    /// Sends what is left, or the error: as the response itself if nothing was sent yet
    /// (with `protocol`, for a page that shows it), else as a broken stream (the client
    /// sees a truncated answer, not a false success). True when the whole answer went in
    /// one piece.
    fn end(mut self, outcome: Result<(), HttpError>, protocol: Protocol) -> bool {
        match (outcome, self.head.take()) {
            (Ok(()), Some(head)) => match self.syntax {
                Some(syntax) => head
                    .send(Head::Complete(syntax, Bytes::from(self.buffer)))
                    .is_ok(),
                None => {
                    let _ = head.send(Head::Failed(HttpError::Unavailable, protocol));
                    false
                }
            },
            (Ok(()), None) => {
                let _ = self.send_buffer();
                false
            }
            (Err(error), Some(head)) => {
                let _ = head.send(Head::Failed(error, protocol));
                false
            }
            (Err(error), None) => {
                tracing::warn!(%error, "query failed after its answer started");
                let _ = self
                    .chunks
                    .blocking_send(Err(io::Error::other(error.to_string())));
                false
            }
        }
    }
}

impl AnswerSink for ChunkWriter {
    fn begin(&mut self, syntax: Syntax) {
        self.syntax = Some(syntax);
    }
}

/// An inline answer: one chunk at most, else the query goes to the pool.
#[derive(Default)]
struct InlineBuffer {
    syntax: Option<Syntax>,
    bytes: Vec<u8>,
    overflowed: bool,
}

impl AnswerSink for InlineBuffer {
    fn begin(&mut self, syntax: Syntax) {
        self.syntax = Some(syntax);
    }
}

// Both writers take every byte they are given, and say so in `write_all`: the default
// `write_all` loop, not inlined, was 1-2 % of a small CONSTRUCT, whose serializer writes
// a few bytes at a time (profiled).
impl Write for InlineBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_all(bytes).map(|()| bytes.len())
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.bytes.len() + bytes.len() > CHUNK {
            self.overflowed = true;
            return Err(io::Error::other("the answer outgrew an inline chunk"));
        }
        self.bytes.extend_from_slice(bytes);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_all(bytes).map(|()| bytes.len())
    }

    /// An error here means the client is gone and the answer is abandoned, so the bytes
    /// already taken into the buffer do not matter.
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send_buffer()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A query's time limit: cancels it when the timer fires, or when it is dropped (the
/// client left, or the streamed answer could not be written), so that a query nobody
/// waits for does not keep a thread busy.
struct Deadline {
    sleep: Pin<Box<tokio::time::Sleep>>,
    cancellation: CancellationToken,
}

impl Drop for Deadline {
    fn drop(&mut self) {
        // Harmless once the query has ended: nothing polls the token any more.
        self.cancellation.cancel();
    }
}

/// The streamed response body; it keeps the query's time limit running while it streams.
struct ChunkBody {
    stream: ChunkStream,
    deadline: Option<Deadline>,
}

impl MessageBody for ChunkBody {
    type Error = io::Error;

    fn size(&self) -> BodySize {
        BodySize::Stream
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        if let Some(deadline) = &mut self.deadline
            && deadline.sleep.as_mut().poll(cx).is_ready()
        {
            deadline.cancellation.cancel();
            self.deadline = None;
        }
        Pin::new(&mut self.stream).poll_next(cx)
    }
}
