//! RDF syntaxes: which one a client wants, reading what it sends, and writing it.

mod conneg;
mod format;
pub mod jsonld;
mod read;
mod serialize;

pub use conneg::{Offer, negotiate, parse_quality};
pub use format::{Representation, rdf_format_from_path};
pub use read::{BodyContext, ReadError, body_format, read_body};
pub use serialize::{QuadStream, serialize, serializer_with_prefixes, write_json_ld};
