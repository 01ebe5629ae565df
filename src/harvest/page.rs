//! One page of a remote DCAT feed: its triples (in the syntax `sniff.rs` tells), and where
//! the next page is.
//!
//! Real feeds are messy: CKAN serves RDF/XML as `text/xml`, some servers label Turtle
//! `text/plain`, JSON-LD comes as `application/json`. Remote JSON-LD `@context`s are never
//! fetched while harvesting (a page would then depend on a third server, and a hostile
//! feed could make us fetch anything): the well-known ones are bundled, others are an
//! error for that page.

use crate::limits::{Budget, Family, InputError, Limits};
use crate::model::vocab::hydra;
use oxigraph::io::{JsonLdProfile, LoadedDocument, RdfFormat, RdfParser};
use oxigraph::model::{
    Graph, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef, Triple,
};

/// Why a page could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The body is not valid in the syntax it has.
    #[error("{syntax} syntax error at line {line}, column {column}: {message}")]
    Syntax {
        /// The syntax it was read as.
        syntax: &'static str,
        /// 1-based line (0 when unknown).
        line: u64,
        /// 1-based column (0 when unknown).
        column: u64,
        /// The parser's message.
        message: String,
    },
    /// The page's URL cannot be a base IRI.
    #[error("the page URL {0} is not an absolute IRI")]
    BadUrl(String),
    /// The page asks more of the parsers than a page may (nesting, entities, triples).
    #[error("{0}")]
    Limit(#[from] InputError),
}

/// JSON-LD contexts we bundle, by the URLs feeds name them with (see
/// `ontologies/PROVENANCE.md`).
const CONTEXTS: &[(&[&str], &str)] = &[
    (
        &[
            "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld",
        ],
        include_str!("../../ontologies/contexts/dcat-ap-3.0.0-examples.jsonld"),
    ),
    (
        &[
            "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
            "http://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        ],
        include_str!("../../ontologies/contexts/project-open-data-v1.1.jsonld"),
    ),
    (
        // How schema.org documents name its context (the site answers all of them with it).
        &[
            "http://schema.org",
            "http://schema.org/",
            "https://schema.org",
            "https://schema.org/",
            "http://schema.org/docs/jsonldcontext.jsonld",
            "https://schema.org/docs/jsonldcontext.jsonld",
            "http://schema.org/docs/jsonldcontext.json",
            "https://schema.org/docs/jsonldcontext.json",
        ],
        include_str!("../../ontologies/contexts/schema-org-29.3.jsonld"),
    ),
];

/// A page's triples, and the repairs made to read them (never silent: the job report
/// lists them).
#[derive(Debug, Default)]
pub struct Parsed {
    /// The triples.
    pub graph: Graph,
    /// What was changed to read them, one line each (an IRI with spaces, percent-encoded).
    pub repairs: Vec<String>,
}

/// Parses a page read from `url` in `format`; relative IRIs resolve against `url`.
///
/// Real feeds carry IRIs that are not IRIs (`tel:+49 40 …`, two URLs in one attribute).
/// A page that fails only on those is read again leniently, and each such IRI is
/// percent-encoded into a valid one and reported; a triple whose IRI cannot be repaired
/// is left out and reported.
///
/// The page is scanned first, so that no parser sees it nested deeper, or its entities
/// expanding further, than `limits` allow; its triples are counted as they are read.
pub fn parse(
    body: &[u8],
    format: RdfFormat,
    url: &str,
    limits: &Limits,
) -> Result<Parsed, PageError> {
    crate::limits::check(body, Family::of(format), limits)?;
    match read(body, format, url, false, limits) {
        Ok(graph) => Ok(Parsed {
            graph,
            repairs: Vec::new(),
        }),
        Err(PageError::Syntax { message, .. }) if message.contains("IRI") => {
            let raw = read(body, format, url, true, limits)?;
            Ok(repaired(&raw))
        }
        Err(error) => Err(error),
    }
}

fn read(
    body: &[u8],
    format: RdfFormat,
    url: &str,
    lenient: bool,
    limits: &Limits,
) -> Result<Graph, PageError> {
    let mut parser = RdfParser::from_format(format)
        .with_base_iri(url)
        .map_err(|_| PageError::BadUrl(url.to_owned()))?;
    if lenient {
        parser = parser.lenient();
    }
    let mut graph = Graph::new();
    let mut budget = Budget::per_body(limits);
    for quad in parser.for_slice(body).with_document_loader(bundled_context) {
        let quad = quad.map_err(|e| syntax_error(format, &e))?;
        budget.admit(quad.as_ref())?;
        graph.insert(quad.as_ref());
    }
    Ok(graph)
}

/// `raw` (read leniently) with every invalid IRI percent-encoded, or its triple dropped.
fn repaired(raw: &Graph) -> Parsed {
    let mut parsed = Parsed::default();
    let fix = |iri: &str, repairs: &mut Vec<String>| -> Option<NamedNode> {
        if let Ok(valid) = NamedNode::new(iri) {
            return Some(valid);
        }
        let encoded = percent_encode_invalid(iri);
        let (repair, node) = match NamedNode::new(&encoded) {
            Ok(valid) => (
                format!("the IRI {iri:?} is not valid; read as <{encoded}>"),
                Some(valid),
            ),
            Err(_) => (
                format!("the IRI {iri:?} is not valid; its triples are left out"),
                None,
            ),
        };
        if !repairs.contains(&repair) {
            repairs.push(repair);
        }
        node
    };
    for triple in raw {
        let subject: Option<NamedOrBlankNode> = match triple.subject {
            NamedOrBlankNodeRef::NamedNode(n) => {
                fix(n.as_str(), &mut parsed.repairs).map(Into::into)
            }
            NamedOrBlankNodeRef::BlankNode(b) => Some(b.into_owned().into()),
        };
        let predicate = fix(triple.predicate.as_str(), &mut parsed.repairs);
        let object: Option<Term> = match triple.object {
            TermRef::NamedNode(n) => fix(n.as_str(), &mut parsed.repairs).map(Into::into),
            other => Some(other.into_owned()),
        };
        if let (Some(s), Some(p), Some(o)) = (subject, predicate, object) {
            parsed.graph.insert(&Triple::new(s, p, o));
        }
    }
    parsed
}

/// `iri` with the characters an IRI may not hold (spaces, `<>"{}|\^``, controls)
/// percent-encoded.
fn percent_encode_invalid(iri: &str) -> String {
    let mut out = String::with_capacity(iri.len());
    for c in iri.trim().chars() {
        if c.is_control() || c == ' ' || "<>\"{}|\\^`".contains(c) {
            let mut buffer = [0; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A bundled JSON-LD context, or an error naming the one that is not bundled.
fn bundled_context(url: &str) -> Result<LoadedDocument, Box<dyn std::error::Error + Send + Sync>> {
    let found = CONTEXTS
        .iter()
        .find(|(urls, _)| urls.contains(&url))
        .map(|(_, text)| *text)
        .ok_or_else(|| {
            format!("the remote JSON-LD context {url} is not one Passerelle bundles; it is never fetched")
        })?;
    Ok(LoadedDocument {
        url: url.to_owned(),
        content: found.as_bytes().to_vec(),
        format: RdfFormat::JsonLd {
            profile: JsonLdProfile::Context.into(),
        },
    })
}

fn syntax_error(format: RdfFormat, error: &oxigraph::io::RdfSyntaxError) -> PageError {
    let (line, column) = error
        .location()
        .map_or((0, 0), |l| (l.start.line + 1, l.start.column + 1));
    PageError::Syntax {
        syntax: format.name(),
        line,
        column,
        message: error.to_string(),
    }
}

/// The next page of a paged feed, resolved against `url`: `hydra:next` (of a
/// `hydra:PartialCollectionView`) or the older `hydra:nextPage` (of a
/// `hydra:PagedCollection`, often a literal). `None` on the last page, or when the feed
/// names the page itself.
pub fn next_page(graph: &Graph, url: &str) -> Option<String> {
    let base = reqwest::Url::parse(url).ok()?;
    [hydra::NEXT, hydra::NEXT_PAGE]
        .into_iter()
        .flat_map(|predicate| graph.triples_for_predicate(predicate))
        .filter_map(|t| match t.object {
            TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
            TermRef::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
        .filter_map(|next| base.join(next.trim()).ok().map(String::from))
        .find(|next| next != url)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::harvest::sniff::{json_ld, syntax_of};
    use crate::model::vocab::{RDF_TYPE, dcat};

    pub(in crate::harvest) fn feed(path: &str) -> Vec<u8> {
        let full = format!(
            "{}/../shared/fixtures/feeds/{path}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
    }

    pub(in crate::harvest) fn datasets(graph: &Graph) -> usize {
        graph
            .subjects_for_predicate_object(RDF_TYPE, dcat::DATASET)
            .count()
    }

    #[test]
    fn real_feeds_parse_in_the_syntax_they_are_sniffed_as() {
        for (path, expected) in [
            ("ckanext-dcat/examples/dcat/catalog.rdf", 2),
            ("udata/dcat/catalog.xml", 0),
            ("semiceu-dcat-ap/3.0.1/example-bee-population.ttl", 1),
        ] {
            let body = feed(path);
            let format = syntax_of(None, &body);
            let graph = parse(
                &body,
                format,
                "https://example.org/feed",
                &Limits::default(),
            )
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .graph;
            assert!(datasets(&graph) >= expected, "{path}: {}", datasets(&graph));
        }
    }

    #[test]
    fn bundled_contexts_are_used_and_others_are_never_fetched() {
        let body = feed("semiceu-dcat-ap/3.0.1/example-bee-population.jsonld");
        let graph = parse(
            &body,
            json_ld(),
            "https://example.org/feed",
            &Limits::default(),
        );
        assert!(graph.is_ok_and(|g| datasets(&g.graph) >= 1));
        let remote = br#"{"@context": "https://elsewhere.example.org/ctx.jsonld", "@id": "x"}"#;
        let error = parse(
            remote,
            json_ld(),
            "https://example.org/feed",
            &Limits::default(),
        )
        .err();
        assert!(
            error.is_some_and(|e| e.to_string().contains("elsewhere.example.org")),
            "an unknown remote context is this page's error"
        );
    }

    #[test]
    fn schema_org_documents_read_with_the_bundled_context() {
        let body = feed("dataverse/datasetSchemaDotOrg.json");
        let graph = parse(
            &body,
            json_ld(),
            "https://example.org/feed",
            &Limits::default(),
        )
        .expect("the schema.org context is bundled")
        .graph;
        let dataset = NamedNode::new_unchecked("https://doi.org/10.83300/GDN/SQOPAL");
        let schema = |local: &str| NamedNode::new_unchecked(format!("http://schema.org/{local}"));
        let licence = graph.object_for_subject_predicate(&dataset, &schema("license"));
        // The context types `license` as an IRI and `datePublished` as a schema:Date.
        assert_eq!(
            licence,
            Some(
                NamedNode::new_unchecked("http://creativecommons.org/publicdomain/zero/1.0")
                    .as_ref()
                    .into()
            )
        );
        let published = graph.object_for_subject_predicate(&dataset, &schema("datePublished"));
        assert!(
            matches!(published, Some(TermRef::Literal(l)) if l.datatype() == schema("Date").as_ref()),
            "{published:?}"
        );
        for url in [
            "http://schema.org",
            "https://schema.org/docs/jsonldcontext.jsonld",
        ] {
            let doc = format!(
                r#"{{"@context": "{url}", "@id": "https://example.org/d", "@type": "Dataset"}}"#
            );
            let parsed = parse(
                doc.as_bytes(),
                json_ld(),
                "https://example.org/feed",
                &Limits::default(),
            );
            assert!(parsed.is_ok_and(|p| p.graph.len() == 1), "{url}");
        }
    }

    /// Fixture files that are not plain parseable RDF, each with the reason
    /// (`../shared/fixtures/PROVENANCE.md` lists them).
    const NOT_PLAIN_RDF: &[(&str, &str)] = &[
        (
            "ckanext-dcat/examples/dcat/dataset.ttl",
            "unbound prefix, typo upstream",
        ),
        (
            "semiceu-dcat-ap/3.0.0-hvd/example-bees_wasps_dataset.ttl",
            "missing '.' upstream",
        ),
        (
            "example-bee-population-dataset-series-api.ttl",
            "unescaped '/' in local names",
        ),
        (
            "example-bee-population-dataset-series-combined.ttl",
            "unescaped '/' in local names",
        ),
        (
            "missing-catalog.data.json",
            "a context without a scheme, on purpose",
        ),
        (
            "csw_dcat/",
            "CSW responses, read by `csw::csw_page` (tested there)",
        ),
        (
            "udata/dcat/geonetwork.xml",
            "two URLs in one rdf:about; the lenient RDF/XML reader then fails on text: to handle",
        ),
    ];

    #[test]
    fn every_plain_rdf_feed_of_the_fixtures_parses_as_sniffed() {
        let root = format!("{}/../shared/fixtures/feeds", env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(&root)];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{e}"))
                .flatten()
            {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| ["rdf", "ttl", "jsonld", "json", "xml", "nt"].contains(&e))
                {
                    files.push(path);
                }
            }
        }
        let mut failures = Vec::new();
        let mut parsed = 0;
        for path in &files {
            let name = path.to_string_lossy();
            if NOT_PLAIN_RDF.iter().any(|(part, _)| name.contains(part)) {
                continue;
            }
            let body = std::fs::read(path).unwrap_or_else(|e| panic!("{e}"));
            let url = format!(
                "https://feeds.example.org/{}",
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            );
            match parse(&body, syntax_of(None, &body), &url, &Limits::default()) {
                Ok(_) => parsed += 1,
                Err(e) => failures.push(format!("{name}: {e}")),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(parsed > 150, "only {parsed} feeds found");
    }

    #[test]
    fn iris_with_spaces_are_repaired_and_reported() {
        let body = feed("govdata-dcatde/resources/metadata_max.rdf");
        let parsed = parse(
            &body,
            RdfFormat::RdfXml,
            "https://example.org/feed",
            &Limits::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(datasets(&parsed.graph) >= 1);
        assert!(
            parsed
                .repairs
                .iter()
                .any(|r| r.contains("tel:+49%2040%204%2028%2040%20-%203494")),
            "{:?}",
            parsed.repairs
        );
        // A valid page needs no repair.
        let clean = parse(
            b"<http://e.org/s> <http://e.org/p> <http://e.org/o> .",
            RdfFormat::NTriples,
            "http://e.org/",
            &Limits::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(clean.repairs.is_empty());
    }

    #[test]
    fn a_syntax_error_has_its_position() {
        let error = parse(
            b"@prefix e: <http://e.org/> .\ne:s e:p",
            RdfFormat::Turtle,
            "https://e.org/",
            &Limits::default(),
        )
        .err()
        .map(|e| e.to_string());
        assert!(
            error.as_deref().is_some_and(|e| e.contains("line 2")),
            "{error:?}"
        );
    }

    #[test]
    fn both_hydra_paging_vocabularies_lead_to_the_next_page() {
        let body = feed("udata/dcat/paged-collection-1.jsonld");
        let graph = parse(
            &body,
            json_ld(),
            "http://data.test.org/catalog.jsonld?page=1",
            &Limits::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .graph;
        let next = next_page(&graph, "http://data.test.org/catalog.jsonld?page=1");
        assert!(
            next.as_deref().is_some_and(|n| n.contains("page=2")),
            "{next:?}"
        );

        let view = br#"@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
<http://e.org/catalog?page=2> hydra:next <?page=3> ; hydra:previous <?page=1> ."#;
        let graph = parse(
            view,
            RdfFormat::Turtle,
            "http://e.org/catalog?page=2",
            &Limits::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .graph;
        assert_eq!(
            next_page(&graph, "http://e.org/catalog?page=2").as_deref(),
            Some("http://e.org/catalog?page=3")
        );
        let last = br#"@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
<http://e.org/c?page=3> hydra:next <http://e.org/c?page=3> ."#;
        let graph = parse(
            last,
            RdfFormat::Turtle,
            "http://e.org/c?page=3",
            &Limits::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .graph;
        assert_eq!(next_page(&graph, "http://e.org/c?page=3"), None);
    }
}
