//! A reader that scans what it hands on, so that a streaming parser meets an I/O error
//! before it sees the bytes that break a limit.

use super::{InputError, Scanner};
use std::io::{self, Read};
use std::sync::Arc;

/// Reads from `inner` and feeds every piece to a [`Scanner`] before handing it on. When the
/// scanner refuses a piece, the read fails with [`io::ErrorKind::InvalidData`] carrying the
/// [`InputError`] (see [`input_error`]), and so does every read after it.
pub struct Guarded<R> {
    inner: R,
    scanner: Scanner,
    ended: bool,
    refused: Option<InputError>,
}

impl<R> Guarded<R> {
    /// Guards `inner` with `scanner`.
    pub fn new(inner: R, scanner: Scanner) -> Self {
        Self {
            inner,
            scanner,
            ended: false,
            refused: None,
        }
    }
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(error) = &self.refused {
            return Err(refusal(error.clone()));
        }
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        let verdict = if n == 0 {
            // The end, told once.
            if std::mem::replace(&mut self.ended, true) {
                Ok(())
            } else {
                self.scanner.finish()
            }
        } else {
            let read = buf
                .get(..n)
                .ok_or_else(|| io::Error::other("a reader returned more bytes than asked for"))?;
            self.scanner.feed(read)
        };
        verdict.map(|()| n).map_err(|error| {
            self.refused = Some(error.clone());
            refusal(error)
        })
    }
}

fn refusal(error: InputError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, error)
}

/// The [`InputError`] inside an I/O error made by [`Guarded`], also when a parser has
/// wrapped it in another I/O error (oxrdfxml does when it cannot unwrap quick-xml's
/// `Arc<io::Error>`).
pub fn input_error(error: &io::Error) -> Option<&InputError> {
    let inner = error.get_ref()?;
    if let Some(found) = inner.downcast_ref::<InputError>() {
        Some(found)
    } else if let Some(nested) = inner.downcast_ref::<io::Error>() {
        input_error(nested)
    } else {
        inner
            .downcast_ref::<Arc<io::Error>>()
            .and_then(|nested| input_error(nested))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Family, InputError, Limits, Position, Scanner};
    use super::{Guarded, input_error};
    use std::io::{self, Read};
    use std::sync::Arc;

    /// Hands on at most `size` bytes a read, as a network stream might.
    struct Trickle<'a> {
        bytes: &'a [u8],
        size: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.size.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    fn guarded(bytes: &[u8], size: usize, family: Family) -> Guarded<Trickle<'_>> {
        let limits = Limits {
            max_nesting: 3,
            max_entity_expansion: 100,
            ..Limits::default()
        };
        Guarded::new(Trickle { bytes, size }, Scanner::new(family, &limits))
    }

    #[test]
    fn good_input_passes_unchanged() {
        let cases: [(&[u8], Family); 3] = [
            (
                b"SELECT * WHERE { ?s ?p ?o FILTER(?a < 3 && ?b > (2)) }",
                Family::Sparql,
            ),
            (br#"{"@graph": [{"@id": "x", "a": "[[[["}]}"#, Family::Json),
            (
                b"<!DOCTYPE r [<!ENTITY e \"x\">]><r><s a='&e;'>&e;</s></r>",
                Family::Xml,
            ),
        ];
        for (input, family) in cases {
            for size in [1, 5, 4096] {
                let mut out = Vec::new();
                guarded(input, size, family).read_to_end(&mut out).unwrap();
                assert_eq!(out, input);
            }
        }
        let mut out = Vec::new();
        Guarded::new(&b"[[]]"[..], Scanner::new(Family::Json, &Limits::default()))
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"[[]]");
    }

    #[test]
    fn bad_input_becomes_an_io_error() {
        let expected = InputError::TooDeep {
            limit: 3,
            at: Position { line: 2, column: 3 },
        };
        for size in [1, 3, 4096] {
            let mut reader = guarded(b"{\n{{{{", size, Family::Sparql);
            let error = reader.read_to_end(&mut Vec::new()).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidData);
            assert_eq!(input_error(&error), Some(&expected));
            // Every later read is refused too.
            let again = reader.read(&mut [0; 16]).unwrap_err();
            assert_eq!(input_error(&again), Some(&expected));
        }
    }

    #[test]
    fn input_error_looks_through_a_wrapping() {
        let error = InputError::TooDeep {
            limit: 1,
            at: Position { line: 1, column: 2 },
        };
        let made = super::refusal(error.clone());
        let wrapped = io::Error::new(made.kind(), Arc::new(made));
        assert_eq!(input_error(&wrapped), Some(&error));
        assert_eq!(input_error(&io::Error::other("disk on fire")), None);
    }
}
