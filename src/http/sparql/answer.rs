//! Writing a query's answer: evaluated into a sink, the answer goes back in one piece when
//! it fits in a chunk (with a length, or an error status when it failed before any byte),
//! else streamed through [`stream`](crate::http::stream) while the query's time limit keeps
//! running.

use super::AppState;
use super::protocol::{Protocol, QueryFailure};
use super::syntax::{Syntax, answer_response, pick};
use crate::http::errors::HttpError;
use crate::http::stream::{CHUNK, ChunkSender, ChunkStream};
use crate::rdf::Offer;
use crate::store::CancellationToken;
use crate::store::Sparql;
use actix_web::HttpResponse;
use actix_web::body::{BodySize, MessageBody};
use actix_web::web::Bytes;
use std::future::Future;
use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::oneshot;

/// The response for how the answer started; a streamed one keeps `deadline` running.
pub(super) fn respond(
    head: Result<Head, oneshot::error::RecvError>,
    stream: ChunkStream,
    deadline: Option<Deadline>,
) -> Result<HttpResponse, QueryFailure> {
    // No head: the query's thread ended without a word (it panicked, or the pool is gone).
    match head.map_err(|_| HttpError::Unavailable)? {
        Head::Complete(syntax, bytes) => Ok(answer_response(syntax).body(bytes)),
        Head::Streaming(syntax) => Ok(answer_response(syntax).body(ChunkBody { stream, deadline })),
        Head::Failed(error, protocol) => Err(QueryFailure::of(error, protocol)),
    }
}

/// Where an answer goes: told its syntax once negotiated, then written to.
pub(super) trait AnswerSink: Write {
    fn begin(&mut self, syntax: Syntax);
}

/// Runs the query and writes its answer into `sink`.
pub(super) fn answer(
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
            let page = super::page::answered(state, protocol, answer)?;
            sink.write_all(page.as_bytes())
                .map_err(HttpError::Serialize)?;
        }
    }
    Ok(())
}

/// How an answer starts, sent once by the query thread.
pub(super) enum Head {
    /// The whole answer fitted in the first chunk: sent at once, with a length.
    Complete(Syntax, Bytes),
    /// More is coming on the chunk stream.
    Streaming(Syntax),
    /// Nothing was written: the answer is this error, for this query.
    Failed(HttpError, Protocol),
}

/// Bytes written by the query thread. The response's status is only decided when the
/// first chunk is full (or the answer ends), so that a query that fails or runs out of
/// time before producing anything answers a proper error; an answer smaller than a chunk
/// goes back in one piece, without the stream.
pub(super) struct ChunkWriter {
    syntax: Option<Syntax>,
    head: Option<oneshot::Sender<Head>>,
    sender: ChunkSender,
}

impl ChunkWriter {
    pub(super) fn new(head: oneshot::Sender<Head>, sender: ChunkSender) -> Self {
        Self {
            syntax: None,
            head: Some(head),
            sender,
        }
    }

    /// Sends what is left, or the error: as the response itself if nothing was sent yet
    /// (with `protocol`, for a page that shows it), else as a broken stream (the client
    /// sees a truncated answer, not a false success). True when the whole answer went in
    /// one piece.
    pub(super) fn end(mut self, outcome: Result<(), HttpError>, protocol: Protocol) -> bool {
        let Some(head_sender) = self.head.take() else {
            match outcome {
                Ok(()) => self.sender.end(Ok(())),
                Err(error) => {
                    tracing::warn!(%error, "query failed after its answer started");
                    self.sender.end(Err(io::Error::other(error.to_string())));
                }
            }
            return false;
        };
        let whole = self.sender.into_whole().unwrap_or_default();
        let head = match (outcome, self.syntax) {
            (Ok(()), Some(syntax)) => Head::Complete(syntax, whole),
            // An answer that ends before it knows its syntax has nothing to say.
            (Ok(()), None) => Head::Failed(HttpError::Unavailable, protocol),
            (Err(error), _) => Head::Failed(error, protocol),
        };
        let complete = matches!(head, Head::Complete(..));
        head_sender.send(head).is_ok() && complete
    }
}

impl AnswerSink for ChunkWriter {
    fn begin(&mut self, syntax: Syntax) {
        self.syntax = Some(syntax);
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_all(bytes).map(|()| bytes.len())
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.sender.fills_chunk(bytes.len())
            && let (Some(head), Some(syntax)) = (self.head.take(), self.syntax)
        {
            let _ = head.send(Head::Streaming(syntax));
        }
        self.sender.write_all(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// An inline answer: one chunk at most, else the query goes to the pool.
#[derive(Default)]
pub(super) struct InlineBuffer {
    pub(super) syntax: Option<Syntax>,
    pub(super) bytes: Vec<u8>,
    pub(super) overflowed: bool,
}

impl AnswerSink for InlineBuffer {
    fn begin(&mut self, syntax: Syntax) {
        self.syntax = Some(syntax);
    }
}

// Takes every byte it is given, and says so in `write_all` (as `ChunkSender` does).
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

/// A query's time limit: cancels it when the timer fires, or when it is dropped (the
/// client left, or the streamed answer could not be written), so that a query nobody
/// waits for does not keep a thread busy.
pub(super) struct Deadline {
    pub(super) sleep: Pin<Box<tokio::time::Sleep>>,
    pub(super) cancellation: CancellationToken,
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
