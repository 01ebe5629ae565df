//! The XML scanner: how deep elements nest, and how far custom entities expand.
//!
//! oxrdfxml (0.2, over quick-xml 0.37) expands each `<!ENTITY>` value eagerly when it
//! reads the document type declaration, with the entities declared before it substituted,
//! and expands references again wherever it unescapes: text, attribute values, and the
//! namespace names it joins to every element and attribute name. A "billion laughs"
//! DOCTYPE, or many references to one big entity, would fill the memory. This scanner
//! splits the markup the way quick-xml does and reads the declarations the way oxrdfxml
//! does, and measures every expansion without building it.

use super::nesting::Tracker;
use super::{InputError, Limits, Position};
use std::collections::HashMap;

/// FNV-1a, to recognise namespace prefixes without keeping their bytes.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// Where markup or a reference began: an index in the chunk being scanned, or its
/// position once that chunk is done.
#[derive(Debug, Clone, Copy)]
enum Mark {
    Index(usize),
    At(Position),
}

/// Where the scanner is, as quick-xml splits a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// After `<`.
    Open,
    /// After `<!`.
    Bang,
    /// `len` counts the bytes after `<!` (up to 4): quick-xml ends `<!--` at the first `--`
    /// then `>` with at least four bytes between `!` and `>`.
    Comment {
        len: u8,
        dashes: u8,
    },
    CData {
        brackets: u8,
    },
    /// `question`: the byte before was `?` (the opening one counts, as in quick-xml).
    Pi {
        question: bool,
    },
    /// quick-xml ends a DOCTYPE at the first `>` where the `<`s and `>`s since `<!` balance,
    /// quotes and comments notwithstanding.
    DocType {
        balance: u64,
    },
    Tag {
        end: bool,
    },
}

/// The reference being read: quick-xml takes as its name whatever lies between `&` and
/// the next `;`, provided no `&` comes first.
#[derive(Debug)]
struct Reference {
    active: bool,
    too_long: bool,
    name: Vec<u8>,
    start: Mark,
}

/// A start tag being read.
#[derive(Debug, Default)]
struct Tag {
    quote: Option<u8>,
    last: u8,
    names: Names,
}

/// The names of a start tag and their namespace prefixes, tracked once custom entities
/// exist: a namespace bound to `&big;` is expanded again for every name that uses it.
#[derive(Debug, Default)]
struct Names {
    in_name: bool,
    /// Names read so far in the tag.
    count: u64,
    len: usize,
    head: [u8; 6],
    colon: bool,
    /// Hashes of the bytes before and after the first colon.
    prefix: u64,
    local: u64,
    /// The prefix the current attribute binds, when it is `xmlns` or `xmlns:p`.
    binding: Option<u64>,
    /// What the custom references in the current attribute value expand to, and the
    /// last of their names.
    value_cost: u64,
    value_entity: Vec<u8>,
}

impl Tag {
    /// Ready for a new tag, keeping the allocation of `value_entity`.
    fn reset(&mut self) {
        self.quote = None;
        self.last = 0;
        let names = &mut self.names;
        names.in_name = false;
        names.count = 0;
        names.binding = None;
        names.value_cost = 0;
    }
}

impl Names {
    fn start(&mut self) {
        self.in_name = true;
        self.len = 0;
        self.colon = false;
        self.prefix = FNV_OFFSET;
        self.local = FNV_OFFSET;
        self.binding = None;
    }

    fn push(&mut self, b: u8) {
        if let Some(slot) = self.head.get_mut(self.len) {
            *slot = b;
        }
        self.len += 1;
        if self.colon {
            self.local = (self.local ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        } else if b == b':' {
            self.colon = true;
        } else {
            self.prefix = (self.prefix ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
    }

    /// The hash of the name's prefix; the empty prefix (the default namespace) without one.
    fn prefix(&self) -> u64 {
        if self.colon { self.prefix } else { FNV_OFFSET }
    }

    /// The prefix the name binds, as quick-xml reads `xmlns` and `xmlns:p`.
    fn binds(&self) -> Option<u64> {
        if self.len == 5 && self.head.starts_with(b"xmlns") {
            Some(FNV_OFFSET)
        } else if self.len >= 6 && self.head == *b"xmlns:" {
            Some(self.local)
        } else {
            None
        }
    }
}

/// Scans RDF/XML: element depth, and the expansion of custom entities (see the module).
#[derive(Debug)]
pub struct XmlScanner {
    max_nesting: usize,
    budget: u64,
    depth: usize,
    state: State,
    tracker: Tracker,
    /// The `<` of the current markup.
    mark: Mark,
    failed: Option<InputError>,
    doctype: Vec<u8>,
    /// Custom entities and their expanded lengths.
    entities: HashMap<Vec<u8>, u64>,
    longest_name: usize,
    /// Expanded lengths of all declarations, and of all references since.
    declared: u64,
    expanded: u64,
    reference: Reference,
    tag: Tag,
    /// Namespace prefixes bound to values with custom references: what one use expands
    /// to, and an entity it names.
    namespaces: HashMap<u64, (u64, Vec<u8>)>,
}

impl XmlScanner {
    /// A scanner under `limits.max_nesting` and `limits.max_entity_expansion`.
    pub fn new(limits: &Limits) -> Self {
        Self {
            max_nesting: limits.max_nesting,
            budget: limits.max_entity_expansion as u64,
            depth: 0,
            state: State::Text,
            tracker: Tracker::new(),
            mark: Mark::Index(0),
            failed: None,
            doctype: Vec::new(),
            entities: HashMap::new(),
            longest_name: 0,
            declared: 0,
            expanded: 0,
            reference: Reference {
                active: false,
                too_long: false,
                name: Vec::new(),
                start: Mark::Index(0),
            },
            tag: Tag::default(),
            namespaces: HashMap::new(),
        }
    }

    /// Scans the next piece of input; after a refusal, every call repeats it.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), InputError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        let result = self.scan(bytes);
        // Indices into this chunk become positions before it goes.
        if let Mark::Index(i) = self.mark {
            self.mark = Mark::At(self.tracker.position(bytes, i));
        }
        if let Mark::Index(i) = self.reference.start {
            self.reference.start = Mark::At(self.tracker.position(bytes, i));
        }
        self.tracker.next_chunk(bytes);
        if let Err(error) = &result {
            self.failed = Some(error.clone());
        }
        result
    }

    /// The input ended. An unterminated DOCTYPE or tag is left to the parser to report.
    pub fn finish(&mut self) -> Result<(), InputError> {
        self.failed.clone().map_or(Ok(()), Err)
    }

    fn scan(&mut self, bytes: &[u8]) -> Result<(), InputError> {
        let mut i = 0;
        while i < bytes.len() {
            let skip = self.skippable(&bytes[i..]);
            if skip > 0 {
                i += skip;
                self.tag.last = bytes[i - 1];
                if i == bytes.len() {
                    break;
                }
            }
            self.step(bytes, i)?;
            i += 1;
        }
        Ok(())
    }

    /// How many bytes at the start of `rest` change nothing but `tag.last`: most of the
    /// text and of the tags, scanned by `position` rather than byte by byte.
    fn skippable(&self, rest: &[u8]) -> usize {
        let entities = !self.entities.is_empty();
        let found = match self.state {
            _ if self.reference.active => Some(0),
            State::Text => rest
                .iter()
                .position(|&b| b == b'<' || (entities && b == b'&')),
            State::Tag { end } => match self.tag.quote {
                Some(quote) => rest
                    .iter()
                    .position(|&b| b == quote || (entities && !end && b == b'&')),
                None if end || !entities => {
                    rest.iter().position(|&b| matches!(b, b'>' | b'"' | b'\''))
                }
                None => Some(0),
            },
            _ => Some(0),
        };
        found.unwrap_or(rest.len())
    }

    fn step(&mut self, bytes: &[u8], i: usize) -> Result<(), InputError> {
        let b = bytes[i];
        match self.state {
            State::Text => return self.text(bytes, i),
            State::Open => return self.open(bytes, i),
            State::Bang => return self.bang(bytes, i),
            State::Comment { len, dashes } => {
                self.state = if b == b'>' && len >= 4 && dashes >= 2 {
                    State::Text
                } else {
                    let dashes = if b == b'-' { (dashes + 1).min(2) } else { 0 };
                    State::Comment {
                        len: (len + 1).min(4),
                        dashes,
                    }
                };
            }
            State::CData { brackets } => {
                self.state = match b {
                    b'>' if brackets >= 2 => State::Text,
                    b']' => State::CData {
                        brackets: (brackets + 1).min(2),
                    },
                    _ => State::CData { brackets: 0 },
                };
            }
            State::Pi { question } => {
                self.state = if b == b'>' && question {
                    State::Text
                } else {
                    State::Pi {
                        question: b == b'?',
                    }
                };
            }
            State::DocType { balance } => return self.doctype_byte(bytes, i, balance),
            State::Tag { end } => return self.tag_byte(bytes, i, end),
        }
        Ok(())
    }

    fn text(&mut self, bytes: &[u8], i: usize) -> Result<(), InputError> {
        if bytes[i] == b'<' {
            self.reference.active = false;
            self.mark = Mark::Index(i);
            self.state = State::Open;
            Ok(())
        } else if self.entities.is_empty() {
            Ok(())
        } else {
            self.reference_byte(bytes, i)
        }
    }

    fn open(&mut self, bytes: &[u8], i: usize) -> Result<(), InputError> {
        match bytes[i] {
            b'!' => self.state = State::Bang,
            b'?' => self.state = State::Pi { question: true },
            b'/' => {
                self.tag.reset();
                self.state = State::Tag { end: true };
            }
            _ => {
                self.tag.reset();
                self.state = State::Tag { end: false };
                return self.tag_byte(bytes, i, false);
            }
        }
        Ok(())
    }

    fn bang(&mut self, bytes: &[u8], i: usize) -> Result<(), InputError> {
        match bytes[i] {
            b'-' => self.state = State::Comment { len: 1, dashes: 1 },
            b'[' => self.state = State::CData { brackets: 0 },
            b @ (b'D' | b'd') => {
                self.doctype.clear();
                self.doctype.extend_from_slice(&[b'<', b'!', b]);
                self.state = State::DocType { balance: 0 };
            }
            // quick-xml refuses any other `<!`.
            _ => {
                self.state = State::Text;
                return self.text(bytes, i);
            }
        }
        Ok(())
    }

    fn position(&mut self, bytes: &[u8], mark: Mark) -> Position {
        match mark {
            Mark::Index(i) => self.tracker.position(bytes, i),
            Mark::At(at) => at,
        }
    }

    /// A byte of a tag, split as quick-xml does: it ends at the first `>` outside quotes.
    fn tag_byte(&mut self, bytes: &[u8], i: usize, end: bool) -> Result<(), InputError> {
        let b = bytes[i];
        let detailed = !end && !self.entities.is_empty();
        if detailed {
            self.reference_byte(bytes, i)?;
        }
        match self.tag.quote {
            Some(quote) if b == quote => {
                self.tag.quote = None;
                if detailed {
                    if self.reference.active {
                        let at = self.position(bytes, Mark::Index(i));
                        return Err(InputError::OpenReference { at });
                    }
                    self.value_end(bytes)?;
                }
            }
            Some(_) => {}
            None => {
                if detailed {
                    self.name_byte(bytes, b)?;
                }
                match b {
                    b'"' | b'\'' => {
                        self.tag.quote = Some(b);
                        self.tag.names.value_cost = 0;
                    }
                    b'>' => return self.tag_end(bytes, end),
                    _ => {}
                }
            }
        }
        self.tag.last = b;
        Ok(())
    }

    /// `<a>` opens, `</a>` closes, `<a/>` does neither.
    fn tag_end(&mut self, bytes: &[u8], end: bool) -> Result<(), InputError> {
        self.state = State::Text;
        if end {
            self.depth = self.depth.saturating_sub(1);
        } else if self.tag.last != b'/' {
            self.depth += 1;
            if self.depth > self.max_nesting {
                let at = self.position(bytes, self.mark);
                return Err(InputError::TooDeep {
                    limit: self.max_nesting,
                    at,
                });
            }
        }
        Ok(())
    }

    /// Names end where quick-xml ends element names and attribute keys.
    fn name_byte(&mut self, bytes: &[u8], b: u8) -> Result<(), InputError> {
        let stop = matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'=' | b'>' | b'"' | b'\'');
        let names = &mut self.tag.names;
        if names.in_name {
            if stop {
                return self.name_end(bytes);
            }
            names.push(b);
        } else if !stop && b != b'/' {
            names.start();
            names.push(b);
        }
        Ok(())
    }

    /// oxrdfxml unescapes the namespace name joined to each element and attribute name.
    fn name_end(&mut self, bytes: &[u8]) -> Result<(), InputError> {
        let names = &mut self.tag.names;
        names.in_name = false;
        names.count += 1;
        names.binding = names.binds();
        let prefix = names.prefix();
        let Some(&(cost, _)) = self.namespaces.get(&prefix) else {
            return Ok(());
        };
        if self.charge(cost) {
            let name = self
                .namespaces
                .get(&prefix)
                .map(|(_, name)| name.clone())
                .unwrap_or_default();
            return Err(self.expansion_error(bytes, &name, self.mark));
        }
        Ok(())
    }

    /// A namespace bound to a value with custom references costs that much for every
    /// name using it: the names before it in the same tag are charged here, the later
    /// ones as they come.
    fn value_end(&mut self, bytes: &[u8]) -> Result<(), InputError> {
        let names = &mut self.tag.names;
        let cost = std::mem::take(&mut names.value_cost);
        let Some(prefix) = names.binding.take().filter(|_| cost > 0) else {
            return Ok(());
        };
        let count = names.count;
        let entry = self.namespaces.entry(prefix).or_default();
        if cost > entry.0 {
            *entry = (cost, names.value_entity.clone());
        }
        if self.charge(cost.saturating_mul(count)) {
            let name = self.tag.names.value_entity.clone();
            return Err(self.expansion_error(bytes, &name, self.mark));
        }
        Ok(())
    }
}

#[path = "xml_entities.rs"]
mod entities;

#[cfg(test)]
#[path = "xml_tests.rs"]
mod tests;
