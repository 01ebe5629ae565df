//! Response bodies written by a blocking task: bytes go through a bounded channel in
//! chunks, so the writer waits for a slow client instead of piling the answer up.

use actix_web::body::{BodySize, MessageBody};
use actix_web::web::Bytes;
use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;

/// Chunk size: large enough to amortise channel hops, small enough to stream.
pub const CHUNK: usize = 64 * 1024;

/// The writing end, for a blocking task.
pub struct ChunkSender {
    chunks: mpsc::Sender<Result<Bytes, io::Error>>,
    buffer: Vec<u8>,
    ended: bool,
}

/// The reading end, as a response body.
pub struct ChunkStream {
    receiver: mpsc::Receiver<Result<Bytes, io::Error>>,
}

/// A connected sender and body.
pub fn channel() -> (ChunkSender, ChunkStream) {
    let (chunks, receiver) = mpsc::channel(4);
    (
        ChunkSender {
            chunks,
            buffer: Vec::with_capacity(CHUNK),
            ended: false,
        },
        ChunkStream::new(receiver),
    )
}

impl ChunkStream {
    /// A body of the chunks sent on `receiver` (for writers with their own sending end).
    pub fn new(receiver: mpsc::Receiver<Result<Bytes, io::Error>>) -> Self {
        Self { receiver }
    }
}

impl ChunkSender {
    fn send(&mut self, item: Result<Bytes, io::Error>) -> io::Result<()> {
        self.chunks
            .blocking_send(item)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }

    /// Sends what is buffered and ends the body; on error, breaks it off so that the
    /// client sees a truncated answer rather than a complete-looking one.
    pub fn end(mut self, outcome: io::Result<()>) {
        self.ended = true;
        let result = match outcome {
            Ok(()) => {
                let rest = std::mem::take(&mut self.buffer);
                if rest.is_empty() {
                    Ok(())
                } else {
                    self.send(Ok(Bytes::from(rest)))
                }
            }
            Err(error) => self.send(Err(error)),
        };
        if let Err(error) = result {
            tracing::debug!(%error, "body not finished");
        }
    }
}

/// A writer dropped without [`ChunkSender::end`] (its task panicked) breaks the body off:
/// a clean end would pass a truncated page for a whole one.
impl Drop for ChunkSender {
    fn drop(&mut self) {
        if !self.ended {
            let _ = self
                .chunks
                .try_send(Err(io::Error::other("the answer was not finished")));
        }
    }
}

impl Write for ChunkSender {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK));
            self.send(Ok(Bytes::from(chunk)))?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl MessageBody for ChunkStream {
    type Error = io::Error;

    fn size(&self) -> BodySize {
        BodySize::Stream
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        self.receiver.poll_recv(cx)
    }
}
