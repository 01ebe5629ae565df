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
    sent_any: bool,
    ended: bool,
}

/// The reading end, as a response body.
pub struct ChunkStream {
    receiver: mpsc::Receiver<Result<Bytes, io::Error>>,
}

/// A connected sender and body, with room for `depth` chunks between them: how far the
/// writer may run ahead of the client.
pub fn channel(depth: usize) -> (ChunkSender, ChunkStream) {
    let (chunks, receiver) = mpsc::channel(depth);
    (
        ChunkSender {
            chunks,
            buffer: Vec::with_capacity(CHUNK),
            sent_any: false,
            ended: false,
        },
        ChunkStream { receiver },
    )
}

impl ChunkSender {
    fn send(&mut self, item: Result<Bytes, io::Error>) -> io::Result<()> {
        self.sent_any = true;
        self.chunks
            .blocking_send(item)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }

    /// True when writing `more` bytes sends a chunk: a writer that answers in one piece
    /// when it can (see `http/sparql/answer.rs`) decides there how the answer starts.
    pub fn fills_chunk(&self, more: usize) -> bool {
        self.buffer.len() + more >= CHUNK
    }

    /// Everything written, as one piece, when no chunk was sent: the answer then goes
    /// another way than the stream (the stream is closed unused); `None` once one was sent.
    pub fn into_whole(mut self) -> Option<Bytes> {
        self.ended = true;
        (!self.sent_any).then(|| Bytes::from(std::mem::take(&mut self.buffer)))
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

// Takes every byte it is given, and says so in `write_all`: the default `write_all` loop,
// not inlined, was 1-2 % of a small CONSTRUCT, whose serializer writes a few bytes at a
// time (profiled).
impl Write for ChunkSender {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_all(bytes).map(|()| bytes.len())
    }

    /// An error here means the client is gone and the answer is abandoned, so the bytes
    /// already taken into the buffer do not matter.
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK));
            self.send(Ok(Bytes::from(chunk)))?;
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_writer_dropped_unfinished_breaks_the_body_off() {
        let (mut sender, mut body) = channel(4);
        sender.write_all(&[b'x'; CHUNK]).unwrap();
        drop(sender);
        let first = body.receiver.try_recv().unwrap();
        assert_eq!(first.unwrap().len(), CHUNK);
        assert!(
            body.receiver.try_recv().unwrap().is_err(),
            "a truncated body must not end as if complete"
        );
    }

    #[test]
    fn a_finished_writer_ends_the_body_cleanly() {
        let (mut sender, mut body) = channel(4);
        sender.write_all(b"all of it").unwrap();
        sender.end(Ok(()));
        assert_eq!(
            &body.receiver.try_recv().unwrap().unwrap()[..],
            b"all of it"
        );
        assert!(
            body.receiver.try_recv().is_err(),
            "closed, with nothing more"
        );
    }

    #[test]
    fn what_fits_in_a_chunk_goes_back_whole_and_nothing_on_the_stream() {
        let (mut sender, mut body) = channel(4);
        sender.write_all(b"small").unwrap();
        assert!(!sender.fills_chunk(10));
        assert_eq!(sender.into_whole().as_deref(), Some(&b"small"[..]));
        assert!(
            body.receiver.try_recv().is_err(),
            "nothing sent, no error sent"
        );

        let (mut sender, _body) = channel(4);
        sender.write_all(&[b'x'; CHUNK]).unwrap();
        assert_eq!(
            sender.into_whole(),
            None,
            "a chunk went out: the answer streams"
        );
    }
}
