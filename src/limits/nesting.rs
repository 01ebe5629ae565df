//! Nesting scanners for the bracket syntaxes (SPARQL, the Turtle family) and JSON.
//!
//! spargebra's SPARQL parser and oxjsonld recurse once per open bracket, so a deep enough
//! input overflows the stack. These scanners count brackets in one loop over the bytes,
//! before any parser sees them, and stop at the first opener past the limit. They are fed
//! in pieces split anywhere: all their state is in the struct, none in the loop.

use super::{InputError, Position};

/// The position of the first byte of an input.
const START: Position = Position { line: 1, column: 1 };

/// Moves `at` past `bytes`: lines end at `\n`, columns count characters (UTF-8 lead bytes).
pub(super) fn advance(at: &mut Position, bytes: &[u8]) {
    let chars = |bytes: &[u8]| bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(last) => {
            at.line += bytes[..=last].iter().filter(|&&b| b == b'\n').count() as u64;
            at.column = 1 + chars(&bytes[last + 1..]);
        }
        None => at.column += chars(bytes),
    }
}

/// Line and column of bytes in the chunk being scanned, worked out only when asked: the
/// scanners' loops stay free of bookkeeping, and a position costs one pass over the bytes
/// since the last one asked for.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tracker {
    /// Position of the chunk's first byte.
    chunk: Position,
    /// Position of the byte at index `done` in the chunk.
    at: Position,
    done: usize,
}

impl Tracker {
    /// At the start of an input.
    pub(super) const fn new() -> Self {
        Self {
            chunk: START,
            at: START,
            done: 0,
        }
    }

    /// The position of `chunk[index]` (or just past the chunk when `index` is its length).
    pub(super) fn position(&mut self, chunk: &[u8], index: usize) -> Position {
        if index < self.done {
            self.at = self.chunk;
            self.done = 0;
        }
        advance(
            &mut self.at,
            chunk.get(self.done..index).unwrap_or_default(),
        );
        self.done = index;
        self.at
    }

    /// Moves past `chunk`, ready for the next one.
    pub(super) fn next_chunk(&mut self, chunk: &[u8]) {
        self.chunk = self.position(chunk, chunk.len());
        self.done = 0;
    }
}

/// Bytes that may change the state of [`SparqlScanner`] outside strings, IRIs and comments.
const SPARQL_SPECIAL: [bool; 256] = special(b"{}()[]<>#\"'\\");
/// Bytes that may change the state of [`JsonScanner`] outside strings.
const JSON_SPECIAL: [bool; 256] = special(b"{}[]\"");

const fn special(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// Where a [`SparqlScanner`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sparql {
    Normal,
    /// After a `\` outside strings (a local name's escape, `ex:a\(`): the next byte is a
    /// name character, not a bracket, a quote or a comment.
    Escape,
    Comment,
    /// After a `>` outside IRIs: a second one closes `>>`.
    Gt,
    /// After one quote: a short string, or the start of `""` or of a long string.
    Quote1(u8),
    /// After two quotes: the empty string, or the start of a long string.
    Quote2(u8),
    Short {
        quote: u8,
        escaped: bool,
    },
    Long {
        quote: u8,
        escaped: bool,
        run: u8,
    },
    /// After `<`: an IRI, or SPARQL's less-than. Brackets are counted as outside until the
    /// `>` that shows it was an IRI; `saved` is the depth at the `<`.
    MaybeIri {
        saved: usize,
        fresh: bool,
    },
}

/// Counts `{ ( [` and `<<` in SPARQL and the Turtle family, outside strings, IRIs and
/// comments.
///
/// In SPARQL `<` is also less-than, so `FILTER(?a<((((` must count its brackets while an
/// IRI must not. Brackets after a `<` are counted; at the `>` that makes it an IRI the
/// depth lost to closers inside is given back, but the depth gained is kept: in
/// `?a<((((?b>((((?c<((((` the `<...>` reads as an IRI yet the parser sees operators and
/// nests through it. So the count errs only upwards (an IRI holding unbalanced openers
/// such as `<http://x/a(>` counts them).
#[derive(Debug, Clone)]
pub struct SparqlScanner {
    limit: usize,
    depth: usize,
    state: Sparql,
    tracker: Tracker,
    failed: Option<InputError>,
}

impl SparqlScanner {
    /// A scanner refusing more than `max_nesting` open brackets.
    pub fn new(max_nesting: usize) -> Self {
        Self {
            limit: max_nesting,
            depth: 0,
            state: Sparql::Normal,
            tracker: Tracker::new(),
            failed: None,
        }
    }

    /// Scans the next piece of input; after a refusal, every call repeats it.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), InputError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        let mut i = 0;
        while i < bytes.len() {
            if self.state == Sparql::Normal {
                i = next_special(bytes, i, &SPARQL_SPECIAL);
                if i == bytes.len() {
                    break;
                }
            }
            if let Some(back) = self.step(bytes[i])
                && self.depth > self.limit
            {
                let mut at = self.tracker.position(bytes, i);
                at.column -= back;
                let error = InputError::TooDeep {
                    limit: self.limit,
                    at,
                };
                self.failed = Some(error.clone());
                return Err(error);
            }
            i += 1;
        }
        self.tracker.next_chunk(bytes);
        Ok(())
    }

    /// Moves past one byte; `Some(back)` when it opened a bracket that began `back`
    /// columns earlier.
    fn step(&mut self, b: u8) -> Option<u64> {
        match self.state {
            Sparql::Normal => self.normal(b),
            Sparql::Escape => {
                self.state = Sparql::Normal;
                None
            }
            Sparql::Comment => {
                if b == b'\n' || b == b'\r' {
                    self.state = Sparql::Normal;
                }
                None
            }
            Sparql::Gt => {
                self.state = Sparql::Normal;
                if b == b'>' {
                    self.depth = self.depth.saturating_sub(1);
                    None
                } else {
                    self.normal(b)
                }
            }
            Sparql::Quote1(quote) if b == quote => {
                self.state = Sparql::Quote2(quote);
                None
            }
            Sparql::Quote1(quote) => self.short(quote, false, b),
            Sparql::Quote2(quote) if b == quote => {
                self.state = Sparql::Long {
                    quote,
                    escaped: false,
                    run: 0,
                };
                None
            }
            Sparql::Quote2(_) => {
                self.state = Sparql::Normal;
                self.normal(b)
            }
            Sparql::Short { quote, escaped } => self.short(quote, escaped, b),
            Sparql::Long {
                quote,
                escaped,
                run,
            } => self.long(quote, escaped, run, b),
            Sparql::MaybeIri { saved, fresh } => self.maybe_iri(saved, fresh, b),
        }
    }

    fn normal(&mut self, b: u8) -> Option<u64> {
        match b {
            b'{' | b'(' | b'[' => {
                self.depth += 1;
                return Some(0);
            }
            b'}' | b')' | b']' => self.depth = self.depth.saturating_sub(1),
            b'<' => {
                self.state = Sparql::MaybeIri {
                    saved: self.depth,
                    fresh: true,
                }
            }
            b'>' => self.state = Sparql::Gt,
            b'#' => self.state = Sparql::Comment,
            b'"' | b'\'' => self.state = Sparql::Quote1(b),
            b'\\' => self.state = Sparql::Escape,
            _ => {}
        }
        None
    }

    /// A short string ends at its quote, or at a line end (which the parser refuses), so a
    /// stray quote hides one line at most.
    fn short(&mut self, quote: u8, escaped: bool, b: u8) -> Option<u64> {
        let line_end = b == b'\n' || b == b'\r';
        self.state = if line_end || (b == quote && !escaped) {
            Sparql::Normal
        } else {
            Sparql::Short {
                quote,
                escaped: !escaped && b == b'\\',
            }
        };
        None
    }

    /// A long string ends at the first unescaped triple quote.
    fn long(&mut self, quote: u8, escaped: bool, run: u8, b: u8) -> Option<u64> {
        self.state = match b {
            _ if escaped => Sparql::Long {
                quote,
                escaped: false,
                run: 0,
            },
            _ if b == quote && run == 2 => Sparql::Normal,
            _ if b == quote => Sparql::Long {
                quote,
                escaped: false,
                run: run + 1,
            },
            _ => Sparql::Long {
                quote,
                escaped: b == b'\\',
                run: 0,
            },
        };
        None
    }

    fn maybe_iri(&mut self, saved: usize, fresh: bool, b: u8) -> Option<u64> {
        let inside = Sparql::MaybeIri {
            saved,
            fresh: false,
        };
        match b {
            b'<' if fresh => {
                self.state = Sparql::Normal;
                self.depth += 1;
                Some(1)
            }
            b'>' => {
                self.state = Sparql::Normal;
                self.depth = self.depth.max(saved);
                None
            }
            b'(' | b'[' => {
                self.state = inside;
                self.depth += 1;
                Some(0)
            }
            b')' | b']' => {
                self.state = inside;
                self.depth = self.depth.saturating_sub(1);
                None
            }
            // Not an IRI character: it was less-than, or a syntax error.
            0..=b' ' | b'<' | b'{' | b'}' | b'"' | b'\'' | b'|' | b'^' | b'`' | b'\\' => {
                self.state = Sparql::Normal;
                self.normal(b)
            }
            _ => {
                self.state = inside;
                None
            }
        }
    }
}

/// Where a [`JsonScanner`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Json {
    Normal,
    String,
    Escape,
}

/// The index of the first byte from `i` on that `special` marks (one the scanner must
/// look at), else the end: the plain bytes between are skipped in one search.
fn next_special(bytes: &[u8], i: usize, special: &[bool; 256]) -> usize {
    let rest = &bytes[i..];
    i + rest
        .iter()
        .position(|&b| special[usize::from(b)])
        .unwrap_or(rest.len())
}

/// Counts open JSON arrays and objects, outside strings.
#[derive(Debug, Clone)]
pub struct JsonScanner {
    limit: usize,
    depth: usize,
    state: Json,
    tracker: Tracker,
    failed: Option<InputError>,
}

impl JsonScanner {
    /// A scanner refusing more than `max_nesting` open arrays and objects.
    pub fn new(max_nesting: usize) -> Self {
        Self {
            limit: max_nesting,
            depth: 0,
            state: Json::Normal,
            tracker: Tracker::new(),
            failed: None,
        }
    }

    /// Scans the next piece of input; after a refusal, every call repeats it.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), InputError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        let mut i = 0;
        while i < bytes.len() {
            if self.state == Json::Normal {
                i = next_special(bytes, i, &JSON_SPECIAL);
                if i == bytes.len() {
                    break;
                }
            }
            if self.step(bytes[i]) && self.depth > self.limit {
                let at = self.tracker.position(bytes, i);
                let error = InputError::TooDeep {
                    limit: self.limit,
                    at,
                };
                self.failed = Some(error.clone());
                return Err(error);
            }
            i += 1;
        }
        self.tracker.next_chunk(bytes);
        Ok(())
    }

    /// Moves past one byte; true when it opened an array or an object.
    fn step(&mut self, b: u8) -> bool {
        match (self.state, b) {
            (Json::Normal, b'[' | b'{') => {
                self.depth += 1;
                return true;
            }
            (Json::Normal, b']' | b'}') => self.depth = self.depth.saturating_sub(1),
            (Json::Normal, b'"') | (Json::Escape, _) => self.state = Json::String,
            (Json::String, b'"') => self.state = Json::Normal,
            (Json::String, b'\\') => self.state = Json::Escape,
            _ => {}
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Family, InputError, Limits, Position, Scanner, check};

    /// Checks `input` whole and one byte at a time, and that both say the same.
    fn both(input: &str, family: Family, max_nesting: usize) -> Result<(), InputError> {
        let limits = Limits {
            max_nesting,
            ..Limits::default()
        };
        let whole = check(input.as_bytes(), family, &limits);
        let mut scanner = Scanner::new(family, &limits);
        let bytewise = input.as_bytes().chunks(1).try_for_each(|b| scanner.feed(b));
        assert_eq!(
            whole,
            bytewise.and_then(|()| scanner.finish()),
            "whole and bytewise differ on {input:?}"
        );
        let mut scanner = Scanner::new(family, &limits);
        let sevens = input.as_bytes().chunks(7).try_for_each(|b| scanner.feed(b));
        assert_eq!(whole, sevens, "whole and by sevens differ on {input:?}");
        whole
    }

    fn too_deep(limit: usize, line: u64, column: u64) -> Result<(), InputError> {
        Err(InputError::TooDeep {
            limit,
            at: Position { line, column },
        })
    }

    const DCAT_TURTLE: &str = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<http://example.org/ds/1> a dcat:Dataset ;
    dct:title "Rivières (débit) [2024]"@fr , 'Rivers {flow}'@en ;
    dct:description """Daily flow; "quoted" ((( and
several lines ]]] with \""" escaped""" ;
    dcat:keyword ( "a" "b" ( "c" ) ) ;   # a list ((( [[[
    dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://x/(a)> ] .
<< <http://x/s> <http://x/p> "o" >> dct:source <http://x/src> .
"#;

    #[test]
    fn real_documents_pass() {
        let cases = [
            "SELECT * WHERE { ?s ?p ?o FILTER(?a < 3 && ?b > 2) }",
            "SELECT * WHERE { ?s ?p ?o FILTER(?a<3&&?b>2) FILTER(?c >= 1 || ?c <= 0) }",
            "SELECT * WHERE { <http://x/(a)> ?p \"((([[[{{{\" . ?s ?p '{{{' } # ((((",
            "SELECT * WHERE { ?s <http://x/p#(a)[b]((\"))> ?o } ORDER BY DESC(?o)",
            "INSERT DATA { <s> <p> \"\"\"a \"\" ((( \\\"\"\" {{{ \"\"\" }",
            "SELECT * { ?s ex:a\\(\\( ?o } # escaped local name",
            "SELECT * { << ?s ?p ?o >> ?q ?r . ?x ?y <<( ?a ?b ?c )>> }",
            DCAT_TURTLE,
        ];
        for case in cases {
            assert_eq!(both(case, Family::Sparql, 3), Ok(()), "{case}");
        }
    }

    #[test]
    fn nesting_is_counted_to_the_limit() {
        let at_limit = format!("{}{}", "{".repeat(5), "}".repeat(5));
        let past = format!("{}{}", "{".repeat(6), "}".repeat(6));
        let cases: [(&str, usize, Result<(), InputError>); 12] = [
            (&at_limit, 5, Ok(())),
            (&past, 5, too_deep(5, 1, 6)),
            ("é\n  ( [ { é (", 3, too_deep(3, 2, 11)),
            ("# é ((((\n\"é((\" ( ( ( (", 3, too_deep(3, 2, 13)),
            ("<< << << <<", 3, too_deep(3, 1, 10)),
            ("<<<<<<<<", 3, too_deep(3, 1, 7)),
            // `)` inside an IRI closes nothing.
            ("{ { <a)))> { {", 3, too_deep(3, 1, 14)),
            // Openers inside an IRI count (the `<` might have been less-than).
            ("{ <a(((> }", 3, too_deep(3, 1, 7)),
            // An escaped quote in a local name does not start a string.
            ("ex:a\\' ( ( ( (", 3, too_deep(3, 1, 14)),
            // A comment ends at a lone carriage return too.
            ("# x\r( ( ( (", 3, too_deep(3, 1, 11)),
            // A short string ends at the line end.
            ("\"abc\n( ( ( (", 3, too_deep(3, 2, 7)),
            ("'''a''' ( ( ( (", 3, too_deep(3, 1, 15)),
        ];
        for (input, limit, expected) in cases {
            assert_eq!(both(input, Family::Sparql, limit), expected, "{input:?}");
        }
    }

    #[test]
    fn less_than_cannot_hide_nesting() {
        let flat = format!("SELECT * {{ FILTER(?a<{}", "(".repeat(20_000));
        assert_eq!(both(&flat, Family::Sparql, 256), too_deep(256, 1, 276));
        // `<((((?b>` reads as an IRI, but the parser sees `<` and `>` as operators.
        let chained = format!("SELECT * {{ FILTER({}", "?a<((((?b>((((".repeat(10));
        assert_eq!(both(&chained, Family::Sparql, 10), too_deep(10, 1, 36));
    }

    #[test]
    fn json_counts_arrays_and_objects_outside_strings() {
        let cases: [(&str, Result<(), InputError>); 5] = [
            (r#"{"a": "[[[{{", "b": [1, {"c": "\"[[{"}]}"#, Ok(())),
            (
                r#"{"@context": {"dcat": "http://www.w3.org/ns/dcat#"}, "@graph": [{"@id": "x"}]}"#,
                Ok(()),
            ),
            ("[[[]]]", Ok(())),
            ("[[[[]]]]", too_deep(3, 1, 4)),
            ("{\"é\\\\\": [\n [[{", too_deep(3, 2, 3)),
        ];
        for (input, expected) in cases {
            assert_eq!(both(input, Family::Json, 3), expected, "{input:?}");
        }
    }

    #[test]
    fn refusal_is_repeated() {
        let mut scanner = super::JsonScanner::new(1);
        assert!(scanner.feed(b"[[").is_err());
        assert_eq!(scanner.feed(b"]]"), too_deep(1, 1, 2));
    }
}
