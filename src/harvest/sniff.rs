//! The syntax of a page of a remote feed: from `Content-Type`, or sniffed when the type is
//! missing or lies. Real feeds are messy: CKAN serves RDF/XML as `text/xml`, some servers
//! label Turtle `text/plain`, JSON-LD comes as `application/json`.

use oxigraph::io::RdfFormat;

/// The syntax of a page: what `Content-Type` says, unless the body plainly is something
/// else (then the body wins), or sniffed from the body when the type says nothing useful.
pub fn syntax_of(content_type: Option<&str>, body: &[u8]) -> RdfFormat {
    let sniffed = sniff(body);
    let essence = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase());
    let declared = match essence.as_deref() {
        Some("application/json") => Some(json_ld()),
        Some("text/xml" | "application/xml") => Some(RdfFormat::RdfXml),
        Some(other) => RdfFormat::from_media_type(other),
        None => None,
    };
    match (declared, sniffed) {
        // The first byte settles JSON against markup against Turtle's family.
        (Some(declared), sniffed) if family(declared) == family(sniffed) => declared,
        (_, sniffed) => sniffed,
    }
}

/// The syntax the body looks like: JSON-LD if it opens with `{` or `[`, RDF/XML if with
/// `<` followed by `?`, `!` or a name, else Turtle (of which N-Triples is a subset).
fn sniff(body: &[u8]) -> RdfFormat {
    let text = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = text.iter().position(|b| !b.is_ascii_whitespace());
    let rest = start.map_or(&[][..], |i| &text[i..]);
    match rest {
        [b'{' | b'[', ..] => json_ld(),
        // `<http://…> <…> …` is N-Triples or Turtle; `<?xml`, `<!--`, `<rdf:RDF` are XML.
        [b'<', next, ..] if *next == b'?' || *next == b'!' || next.is_ascii_alphabetic() => {
            let head = &rest[..rest.len().min(200)];
            let iri_like = head.windows(3).take(64).any(|w| w == b"://")
                && !head.starts_with(b"<?")
                && !head.starts_with(b"<!")
                && !head
                    .windows(4)
                    .take(40)
                    .any(|w| w == b"rdf:" || w == b"RDF ");
            if iri_like {
                RdfFormat::Turtle
            } else {
                RdfFormat::RdfXml
            }
        }
        _ => RdfFormat::Turtle,
    }
}

/// JSON, markup, or Turtle's family (N-Triples, N3, TriG, N-Quads).
fn family(format: RdfFormat) -> u8 {
    match format {
        RdfFormat::JsonLd { .. } => 0,
        RdfFormat::RdfXml => 1,
        _ => 2,
    }
}

/// JSON-LD, with the default profile.
pub(crate) fn json_ld() -> RdfFormat {
    RdfFormat::JsonLd {
        profile: oxigraph::io::JsonLdProfileSet::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_that_lie_give_way_to_the_body() {
        let xml = b"<?xml version=\"1.0\"?><rdf:RDF></rdf:RDF>";
        assert_eq!(syntax_of(Some("text/plain"), xml), RdfFormat::RdfXml);
        assert_eq!(syntax_of(Some("text/turtle"), xml), RdfFormat::RdfXml);
        assert_eq!(
            syntax_of(Some("text/xml; charset=utf-8"), xml),
            RdfFormat::RdfXml
        );
        assert_eq!(
            syntax_of(Some("application/json"), b" {\"@id\": 1}"),
            json_ld()
        );
        assert_eq!(syntax_of(Some("application/rdf+xml"), b"[{}]"), json_ld());
        let nt = b"<http://e.org/s> <http://e.org/p> <http://e.org/o> .";
        assert_eq!(syntax_of(None, nt), RdfFormat::Turtle);
        assert_eq!(
            syntax_of(Some("application/n-triples"), nt),
            RdfFormat::NTriples
        );
        assert_eq!(
            syntax_of(None, b"@prefix e: <http://e.org/> ."),
            RdfFormat::Turtle
        );
    }
}
