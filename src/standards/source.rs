//! The byte stream given to the csv reader: it enforces the size limit
//! and normalizes line breaks so that line numbers are physical lines.

use std::io::{self, Read};

use csv::ByteRecord;

/// The physical line where a record starts, from the csv reader's line
/// count once the record is read.
///
/// `Source` ends every record with one LF, so the record started at the
/// line after the one ended, less the line breaks inside quoted cells.
/// (The record's own `Position::line()` is where the reader stood before
/// skipping the previous line break and blank lines, which is one line
/// early for CRLF files.)
pub(crate) fn record_line(record: &ByteRecord, line_after: u64) -> u64 {
    let inside = record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
    line_after.saturating_sub(inside + 1).max(1)
}

/// Feeds the CSV to the parser, for three purposes:
/// - it counts raw bytes and refuses to read past `max`: that is an I/O
///   error rather than an end of file, so the csv reader never takes the
///   record cut by the limit for a complete one;
/// - it turns CRLF and lone CR line breaks into LF;
/// - it ends the text with LF, so that every record ends with one.
pub(crate) struct Source<R> {
    inner: R,
    read: u64,
    max: u64,
    pub(crate) exceeded: bool,
    after_cr: bool,
    last: Option<u8>,
}

impl<R: Read> Source<R> {
    pub(crate) fn new(inner: R, max: u64) -> Self {
        Source {
            inner,
            read: 0,
            max,
            exceeded: false,
            after_cr: false,
            last: None,
        }
    }

    /// Reads raw bytes, at most `max` in all.
    fn read_raw(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.max.saturating_sub(self.read);
        if left == 0 {
            // A file of exactly `max` bytes is within the limit.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.exceeded = true;
            return Err(io::Error::other("size limit reached"));
        }
        let take = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..take])?;
        self.read += n as u64;
        Ok(n)
    }

    /// Rewrites line breaks to LF in place; returns the bytes kept.
    fn normalize(&mut self, chunk: &mut [u8]) -> usize {
        let mut kept = 0;
        for i in 0..chunk.len() {
            let byte = chunk[i];
            let after_cr = std::mem::replace(&mut self.after_cr, byte == b'\r');
            if byte == b'\n' && after_cr {
                continue;
            }
            chunk[kept] = if byte == b'\r' { b'\n' } else { byte };
            kept += 1;
        }
        if kept > 0 {
            self.last = Some(chunk[kept - 1]);
        }
        kept
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let n = self.read_raw(buf)?;
            if n == 0 {
                // End of file: add the final LF if the text lacks one.
                if self.last.is_none_or(|b| b == b'\n') {
                    return Ok(0);
                }
                self.last = Some(b'\n');
                buf[0] = b'\n';
                return Ok(1);
            }
            let kept = self.normalize(&mut buf[..n]);
            if kept > 0 {
                return Ok(kept);
            }
            // The chunk was only the LF of a CRLF: read on rather than end.
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::standards::{Limits, TableSchema, check};

    #[test]
    fn source_normalizes_line_breaks_across_reads() {
        // One byte at a time, so that CR and LF come in separate reads.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        let mut source = Source::new(Trickle(b"a\r\nb\rc\r\r\nd"), 100);
        source.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"a\nb\nc\n\nd\n");
    }

    fn read_all(input: &[u8], max: u64) -> (io::Result<Vec<u8>>, bool) {
        let mut source = Source::new(input, max);
        let mut out = Vec::new();
        let result = source.read_to_end(&mut out).map(|_| out);
        (result, source.exceeded)
    }

    #[test]
    fn ends_the_text_with_one_line_feed() {
        assert_eq!(read_all(b"a,b", 100).0.unwrap(), b"a,b\n");
        assert_eq!(read_all(b"a,b\r\n", 100).0.unwrap(), b"a,b\n");
        assert_eq!(read_all(b"", 100).0.unwrap(), b"");
    }

    #[test]
    fn a_text_of_exactly_the_limit_is_read_whole() {
        let (result, exceeded) = read_all(b"a,b\n", 4);
        assert_eq!(result.unwrap(), b"a,b\n");
        assert!(!exceeded);
    }

    #[test]
    fn reading_past_the_limit_is_an_error() {
        let (result, exceeded) = read_all(b"a,b\n", 3);
        assert!(result.is_err());
        assert!(exceeded);
    }

    #[test]
    fn record_lines_subtract_quoted_line_breaks() {
        let mut record = ByteRecord::new();
        record.push_field(b"x\ny");
        record.push_field(b"2");
        // The record ended on line 3 and its LF took the reader to line 4.
        assert_eq!(record_line(&record, 4), 2);
        assert_eq!(record_line(&ByteRecord::new(), 0), 1);
    }

    fn digits_schema() -> TableSchema {
        TableSchema::from_json(DIGITS.as_bytes()).unwrap()
    }

    /// A CSV of `rows` rows of one 8-digit cell each: 9 bytes a row.
    fn digits_csv(rows: usize) -> Vec<u8> {
        let mut csv = b"n\n".to_vec();
        for i in 0..rows {
            csv.extend_from_slice(format!("{:08}\n", 10_000_000 + i).as_bytes());
        }
        csv
    }

    const DIGITS: &str = r#"{"fields": [{"name": "n", "constraints": {"pattern": "\\d{8}"}}]}"#;

    #[test]
    fn stops_cleanly_past_the_size_limit() {
        let csv = digits_csv(10_000);
        let limits = Limits {
            max_errors: 10,
            max_bytes: 1000,
        };
        let outcome = check(&digits_schema(), csv.as_slice(), &limits);
        // 2 header bytes + 110 rows of 9 bytes fit; row 111 is cut and not checked.
        assert_eq!(outcome.rows, 110);
        assert_eq!(outcome.errors_total, 0);
        assert_eq!(
            outcome.stopped.as_deref(),
            Some("the file is larger than 1000 bytes: checked up to line 111")
        );
        assert!(!outcome.valid());
    }

    #[test]
    fn a_file_of_exactly_the_limit_is_checked_whole() {
        let csv = digits_csv(10);
        let limits = Limits {
            max_errors: 10,
            max_bytes: csv.len() as u64,
        };
        let outcome = check(&digits_schema(), csv.as_slice(), &limits);
        assert!(outcome.valid(), "{outcome:?}");
        assert_eq!(outcome.rows, 10);
    }

    /// Endless rows of `12345678`, after a header `n`.
    struct Endless(usize);

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            const TEXT: &[u8] = b"n\n12345678\n";
            for byte in buf.iter_mut() {
                *byte = TEXT[self.0];
                self.0 = if self.0 + 1 == TEXT.len() {
                    2
                } else {
                    self.0 + 1
                };
            }
            Ok(buf.len())
        }
    }

    #[test]
    fn an_endless_stream_is_read_up_to_the_limit_only() {
        let limits = Limits {
            max_errors: 10,
            max_bytes: 1 << 20,
        };
        let outcome = check(&digits_schema(), Endless(0), &limits);
        assert_eq!(outcome.rows, ((1 << 20) - 2) / 9);
        assert_eq!(outcome.errors_total, 0);
        assert!(outcome.stopped.is_some());
    }
}
