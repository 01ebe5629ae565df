//! The W3C SPARQL 1.1 test suites for the Protocol and the Service Description, run
//! against the live server from `../shared/fixtures/sparql-protocol/sparql11/`.
//!
//! The protocol manifest describes each test in HTTP-in-RDF: requests (method, path,
//! headers, body) to send in order, and for each response the acceptable status classes,
//! the result format, and for ASK the expected boolean. This runner reads it as is and:
//! - sends each request to our endpoint, with the manifest's `/sparql/` prefix replaced by
//!   `{base}sparql`, as the manifest asks;
//! - before each test, empties the store and loads the test's `ut:graphData` files under
//!   the graph names the manifest gives them (`http://kasei.us/...`), through the update
//!   operation itself;
//! - adds `Authorization: Bearer {admin token}` to update requests, because our updates
//!   need a token (the Protocol leaves authentication to the service); queries are sent as
//!   the manifest has them.
//!
//! Not applicable: none. All 34 protocol tests and the 3 service description tests run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Server, client, fixture};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef, Triple, TripleRef};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use std::collections::HashSet;
use std::path::PathBuf;

const TOKEN: &str = "protocol-tests-token";
const MANIFEST_IRI: &str =
    "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest.ttl";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const HT: &str = "http://www.w3.org/2011/http#";
const CNT: &str = "http://www.w3.org/2011/content#";
const UT: &str = "http://www.w3.org/2009/sparql/tests/test-update#";
const SD: &str = "http://www.w3.org/ns/sparql-service-description#";

fn iri(namespace: &str, local: &str) -> String {
    format!("{namespace}{local}")
}

/// Navigation in the manifest graph.
struct Manifest(Graph);

impl Manifest {
    fn load() -> Self {
        let path = fixture("sparql-protocol/sparql11/protocol/manifest.ttl");
        let file = std::fs::File::open(&path).expect("protocol manifest");
        let parser = RdfParser::from_format(RdfFormat::Turtle)
            .with_base_iri(MANIFEST_IRI)
            .unwrap();
        let mut graph = Graph::new();
        for triple in parser.for_reader(file) {
            graph.insert(&triple.expect("manifest parses").into());
        }
        Self(graph)
    }

    fn objects<'a, 's>(
        &'a self,
        subject: impl Into<NamedOrBlankNodeRef<'s>>,
        namespace: &str,
        local: &str,
    ) -> Vec<TermRef<'a>> {
        let subject: NamedOrBlankNodeRef<'_> = subject.into();
        let predicate = iri(namespace, local);
        self.0
            .objects_for_subject_predicate(subject, NamedNodeRef::new_unchecked(&predicate))
            .collect()
    }

    fn object<'a, 's>(
        &'a self,
        subject: impl Into<NamedOrBlankNodeRef<'s>>,
        namespace: &str,
        local: &str,
    ) -> Option<TermRef<'a>> {
        self.objects(subject, namespace, local).into_iter().next()
    }

    fn text<'a, 's>(
        &'a self,
        subject: impl Into<NamedOrBlankNodeRef<'s>>,
        namespace: &str,
        local: &str,
    ) -> Option<String> {
        match self.object(subject, namespace, local)? {
            TermRef::Literal(literal) => Some(literal.value().to_owned()),
            other => panic!("{local} is not a literal: {other}"),
        }
    }

    fn list<'a>(&'a self, head: TermRef<'a>) -> Vec<TermRef<'a>> {
        let nil = iri(RDF, "nil");
        let mut items = Vec::new();
        let mut node = head;
        while !matches!(node, TermRef::NamedNode(n) if n.as_str() == nil) {
            let subject = node_of(node);
            items.push(self.object(subject, RDF, "first").expect("rdf:first"));
            node = self.object(subject, RDF, "rest").expect("rdf:rest");
        }
        items
    }
}

fn node_of(term: TermRef<'_>) -> NamedOrBlankNodeRef<'_> {
    match term {
        TermRef::NamedNode(n) => n.into(),
        TermRef::BlankNode(b) => b.into(),
        other => panic!("not a node: {other}"),
    }
}

/// One protocol test.
struct ProtocolTest {
    name: String,
    /// Local N-Triples files and the graph name each is loaded under.
    data: Vec<(PathBuf, String)>,
    requests: Vec<Request>,
}

struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    /// The body's text and the encoding to send it in.
    body: Option<(String, String)>,
    /// Acceptable status classes: 2 for `hts:StatusCode2xx`...
    statuses: Vec<u16>,
    boolean: Option<bool>,
    format: Option<String>,
}

impl Request {
    fn content_type(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.as_str())
    }

    /// Whether this asks for the update operation, which needs our token.
    fn is_update(&self) -> bool {
        self.content_type()
            .is_some_and(|t| t.starts_with("application/sparql-update"))
            || self
                .body
                .as_ref()
                .is_some_and(|(text, _)| text.starts_with("update="))
            || self.path.contains("?update=")
    }

    fn encoded_body(&self) -> Option<Vec<u8>> {
        let (text, encoding) = self.body.as_ref()?;
        Some(match encoding.to_ascii_uppercase().as_str() {
            "UTF-8" => text.as_bytes().to_vec(),
            // Big-endian with a byte order mark, as "UTF-16" means in RFC 2781.
            "UTF-16" => [0xFE, 0xFF]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
                .collect(),
            other => panic!("unexpected encoding {other}"),
        })
    }
}

fn protocol_tests(manifest: &Manifest) -> Vec<ProtocolTest> {
    let root = NamedNodeRef::new_unchecked(MANIFEST_IRI);
    let entries = manifest.object(root, MF, "entries").expect("mf:entries");
    manifest
        .list(entries)
        .into_iter()
        .map(|entry| read_test(manifest, node_of(entry)))
        .collect()
}

fn read_test(manifest: &Manifest, test: NamedOrBlankNodeRef<'_>) -> ProtocolTest {
    let name = match test {
        NamedOrBlankNodeRef::NamedNode(n) => n.as_str().rsplit('#').next().unwrap().to_owned(),
        NamedOrBlankNodeRef::BlankNode(_) => panic!("unnamed test"),
    };
    let data = manifest
        .objects(test, UT, "graphData")
        .into_iter()
        .map(|data| {
            let graph = match manifest.object(node_of(data), UT, "graph") {
                Some(TermRef::NamedNode(n)) => n.as_str().to_owned(),
                other => panic!("{name}: ut:graph {other:?}"),
            };
            let file = graph.rsplit('/').next().unwrap();
            let label = manifest
                .text(node_of(data), RDFS, "label")
                .expect("graph name");
            (
                fixture(&format!("sparql-protocol/sparql11/protocol/{file}")),
                label,
            )
        })
        .collect();
    let action = manifest.object(test, MF, "action").expect("mf:action");
    let requests = manifest
        .object(node_of(action), HT, "requests")
        .expect("ht:requests");
    let requests = manifest
        .list(requests)
        .into_iter()
        .map(|request| read_request(manifest, node_of(request)))
        .collect();
    ProtocolTest {
        name,
        data,
        requests,
    }
}

fn read_request(manifest: &Manifest, request: NamedOrBlankNodeRef<'_>) -> Request {
    let headers = manifest
        .object(request, HT, "headers")
        .map(|list| {
            manifest
                .list(list)
                .into_iter()
                .map(|header| {
                    let header = node_of(header);
                    (
                        manifest.text(header, HT, "fieldName").unwrap(),
                        manifest.text(header, HT, "fieldValue").unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let body = manifest.object(request, HT, "body").map(|body| {
        let body = node_of(body);
        (
            manifest.text(body, CNT, "chars").expect("cnt:chars"),
            manifest
                .text(body, CNT, "characterEncoding")
                .unwrap_or_else(|| "UTF-8".into()),
        )
    });
    let response = node_of(manifest.object(request, HT, "resp").expect("ht:resp"));
    let statuses = manifest
        .objects(response, MF, "expectedStatus")
        .into_iter()
        .map(|status| match status {
            TermRef::NamedNode(n) => {
                let class = n.as_str().rsplit("StatusCode").next().unwrap();
                class[..1].parse().expect("status class")
            }
            other => panic!("status {other}"),
        })
        .collect();
    let boolean = manifest
        .text(response, MF, "expectedBoolean")
        .map(|b| b == "true");
    Request {
        method: manifest.text(request, HT, "methodName").expect("method"),
        path: manifest
            .text(request, HT, "absolutePath")
            .expect("absolutePath"),
        headers,
        body,
        statuses,
        boolean,
        format: manifest.text(response, MF, "expectedFormat"),
    }
}

/// Empties the store and loads the test's graphs, through our own update operation.
async fn prepare(server: &Server, test: &ProtocolTest) {
    let mut update = String::from("DROP ALL");
    for (file, graph) in &test.data {
        let triples = std::fs::read_to_string(file).expect("graph data");
        update.push_str(&format!(
            " ; INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} }}"
        ));
    }
    let response = client()
        .post(format!("{}/sparql", server.url))
        .bearer_auth(TOKEN)
        .header("Content-Type", "application/sparql-update")
        .body(update)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{}: setup failed: {}",
        test.name,
        response.text().await.unwrap()
    );
}

/// Sends one request; returns what is wrong with its response, if anything.
async fn check(server: &Server, request: &Request) -> Result<(), String> {
    let path = request
        .path
        .strip_prefix("/sparql/")
        .expect("paths start with /sparql/");
    let url = format!("{}/sparql{}", server.url, path);
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap();
    let mut builder = client().request(method, &url);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    if request.is_update() {
        builder = builder.bearer_auth(TOKEN);
    }
    if let Some(body) = request.encoded_body() {
        builder = builder.body(body);
    }
    let response = builder.send().await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    if !request.statuses.contains(&(status / 100)) {
        return Err(format!(
            "{} {url}: status {status}, expected {:?}xx: {}",
            request.method,
            request.statuses,
            String::from_utf8_lossy(&body)
        ));
    }
    match request.format.as_deref() {
        None => Ok(()),
        Some("boolean") => match parse_results(&content_type, &body)? {
            SliceQueryResultsParserOutput::Boolean(value) => match request.boolean {
                Some(expected) if expected != value => {
                    Err(format!("{url}: answered {value}, expected {expected}"))
                }
                _ => Ok(()),
            },
            SliceQueryResultsParserOutput::Solutions(_) => {
                Err(format!("{url}: solutions instead of a boolean"))
            }
        },
        Some("tabular") => match parse_results(&content_type, &body)? {
            SliceQueryResultsParserOutput::Solutions(mut solutions) => solutions
                .try_for_each(|s| s.map(drop))
                .map_err(|e| format!("{url}: unreadable solutions: {e}")),
            SliceQueryResultsParserOutput::Boolean(_) => {
                Err(format!("{url}: a boolean instead of solutions"))
            }
        },
        Some("RDF") => {
            let format = RdfFormat::from_media_type(&content_type)
                .ok_or_else(|| format!("{url}: {content_type} is not an RDF syntax"))?;
            RdfParser::from_format(format)
                .for_slice(&body)
                .collect::<Result<Vec<_>, _>>()
                .map(drop)
                .map_err(|e| format!("{url}: unreadable {content_type}: {e}"))
        }
        Some(other) => Err(format!("unknown expected format {other}")),
    }
}

fn parse_results<'a>(
    content_type: &str,
    body: &'a [u8],
) -> Result<SliceQueryResultsParserOutput<'a>, String> {
    let format = QueryResultsFormat::from_media_type(content_type)
        .ok_or_else(|| format!("{content_type} is not a SPARQL results syntax"))?;
    QueryResultsParser::from_format(format)
        .for_slice(body)
        .map_err(|e| format!("unreadable {content_type}: {e}"))
}

#[tokio::test]
async fn w3c_protocol_tests_pass() {
    let manifest = Manifest::load();
    let tests = protocol_tests(&manifest);
    assert_eq!(tests.len(), 34, "the manifest lists 34 tests");
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &["--admin-token", TOKEN]);
    let mut failures = Vec::new();
    let mut requests = 0;
    for test in &tests {
        prepare(&server, test).await;
        for request in &test.requests {
            requests += 1;
            if let Err(failure) = check(&server, request).await {
                failures.push(format!("{}: {failure}", test.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {requests} requests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(requests > tests.len(), "multi-request tests were read");
}

/// The three service description tests, which the suite gives only in prose.
#[tokio::test]
async fn w3c_service_description_tests_pass() {
    let temp = tempfile::tempdir().unwrap();
    let port = common::free_port();
    // The base is the address we request, so the endpoint IRI can match it exactly.
    let base = format!("http://127.0.0.1:{port}/");
    let server = Server::start_on(&temp.path().join("data"), port, Some(&base));
    let endpoint = format!("{base}sparql");
    assert_eq!(format!("{}/sparql", server.url), endpoint);

    // returns-rdf: a GET on the endpoint, without a query, answers RDF, both when the
    // client asks for nothing in particular and for each RDF syntax it may ask for.
    for accept in [None, Some("application/rdf+xml"), Some("text/turtle")] {
        let mut request = client().get(&endpoint);
        if let Some(accept) = accept {
            request = request.header("Accept", accept);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200, "Accept {accept:?}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let format = RdfFormat::from_media_type(&content_type)
            .unwrap_or_else(|| panic!("Accept {accept:?}: {content_type} is not RDF"));
        let body = response.bytes().await.unwrap();
        let description: Graph = RdfParser::from_format(format)
            .for_slice(&body)
            .map(|t| t.map(Triple::from))
            .collect::<Result<_, _>>()
            .unwrap();

        // has-endpoint-triple: some subject has `sd:endpoint` the IRI we requested.
        let sd_endpoint = iri(SD, "endpoint");
        let matches = description
            .triples_for_predicate(NamedNodeRef::new_unchecked(&sd_endpoint))
            .filter(|t| matches!(t.object, TermRef::NamedNode(n) if n.as_str() == endpoint))
            .count();
        assert_eq!(matches, 1, "sd:endpoint <{endpoint}> in\n{description}");

        // conforms-to-schema: checked against the vocabulary's own definitions.
        let problems = schema_problems(&description);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

/// What in `description` disagrees with the Service Description vocabulary: terms it does
/// not define, and `rdfs:domain`/`rdfs:range` of `sd:` properties that the description's
/// (or the vocabulary's) types do not satisfy.
fn schema_problems(description: &Graph) -> Vec<String> {
    let path = fixture("ontologies/w3c-ns/sparql-service-description.ttl");
    let vocabulary: Graph = RdfParser::from_format(RdfFormat::Turtle)
        .for_reader(std::fs::File::open(path).unwrap())
        .map(|t| t.map(Triple::from))
        .collect::<Result<_, _>>()
        .unwrap();
    let rdf_type = iri(RDF, "type");
    let rdf_type = NamedNodeRef::new_unchecked(&rdf_type);
    let (domain, range, sub_class) = (
        iri(RDFS, "domain"),
        iri(RDFS, "range"),
        iri(RDFS, "subClassOf"),
    );
    let defined = |term: &str| {
        vocabulary
            .triples_for_subject(NamedNodeRef::new_unchecked(term))
            .next()
            .is_some()
    };
    // Classes a node belongs to, with the vocabulary's subclass closure.
    let classes_of = |node: TermRef<'_>| -> HashSet<String> {
        let mut classes: Vec<String> = [description, &vocabulary]
            .into_iter()
            .flat_map(|g| match node {
                TermRef::NamedNode(n) => g.objects_for_subject_predicate(n, rdf_type).collect(),
                TermRef::BlankNode(b) => g.objects_for_subject_predicate(b, rdf_type).collect(),
                _ => Vec::new(),
            })
            .map(|t| t.to_string().trim_matches(['<', '>']).to_owned())
            .collect();
        let mut seen = HashSet::new();
        while let Some(class) = classes.pop() {
            if seen.insert(class.clone()) {
                classes.extend(
                    vocabulary
                        .objects_for_subject_predicate(
                            NamedNodeRef::new_unchecked(&class),
                            NamedNodeRef::new_unchecked(&sub_class),
                        )
                        .map(|t| t.to_string().trim_matches(['<', '>']).to_owned()),
                );
            }
        }
        seen
    };
    let constraint = |property: NamedNodeRef<'_>, kind: &str| -> Option<String> {
        vocabulary
            .object_for_subject_predicate(property, NamedNodeRef::new_unchecked(kind))
            .map(|t| t.to_string().trim_matches(['<', '>']).to_owned())
    };
    let mut problems = Vec::new();
    for TripleRef {
        subject,
        predicate,
        object,
    } in description.iter()
    {
        let sd_terms = [
            Some(predicate.as_str()),
            match object {
                TermRef::NamedNode(n) => Some(n.as_str()),
                _ => None,
            },
        ];
        for term in sd_terms.into_iter().flatten() {
            if term.starts_with(SD) && !defined(term) {
                problems.push(format!("{term} is not in the vocabulary"));
            }
        }
        if !predicate.as_str().starts_with(SD) {
            continue;
        }
        if let Some(class) = constraint(predicate, &domain)
            && !classes_of(Term::from(subject).as_ref()).contains(&class)
        {
            problems.push(format!("{subject} {predicate}: subject is not a {class}"));
        }
        if let Some(class) = constraint(predicate, &range)
            && class != iri(RDFS, "Resource")
            && !classes_of(object).contains(&class)
        {
            problems.push(format!("{predicate} {object}: object is not a {class}"));
        }
    }
    problems
}
