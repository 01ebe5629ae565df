//! The bad-input matrix: requests nobody should send, each answered with a clear 4xx (or
//! the answer the protocol documents), the server answering after each, and both stores
//! byte for byte as they were (dumped with the server stopped, before and after, and
//! compared line by line).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, bearer, create_token};
use common::{Server, client, free_port, run};
use reqwest::{Method, StatusCode};
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

/// One request and the statuses that would be right for it.
struct Case {
    name: &'static str,
    method: Method,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    expect: &'static [u16],
}

fn case(name: &'static str, method: Method, path: &str, expect: &'static [u16]) -> Case {
    Case {
        name,
        method,
        path: path.to_owned(),
        headers: Vec::new(),
        body: Vec::new(),
        expect,
    }
}

impl Case {
    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    fn admin(self) -> Self {
        self.header("Authorization", &bearer(ADMIN))
    }

    /// A body in `content_type`.
    fn body(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self.header("Content-Type", content_type)
    }
}

/// A dataset write of `body` in `content_type`, as an admin.
fn write(name: &'static str, content_type: &str, body: impl Into<Vec<u8>>) -> Case {
    case(name, Method::POST, "/api/datasets", &[400, 413, 415, 422])
        .admin()
        .body(content_type, body)
}

fn nested_json(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

const XML_BOMB: &str = r#"<?xml version="1.0"?>
<!DOCTYPE r [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/" xmlns:dcat="http://www.w3.org/ns/dcat#">
 <dcat:Dataset rdf:about="http://example.org/bomb"><dct:title>&f;</dct:title></dcat:Dataset>
</rdf:RDF>"#;

const XML_EXTERNAL: &str = r#"<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/" xmlns:dcat="http://www.w3.org/ns/dcat#">
 <dcat:Dataset rdf:about="http://example.org/leak"><dct:title>&secret;</dct:title>
  <dct:description>x</dct:description></dcat:Dataset>
</rdf:RDF>"#;

/// Bodies the write API must refuse whole.
fn bodies(max_body: usize) -> Vec<Case> {
    let huge_literal = format!(
        "<http://example.org/d> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"{}\" .",
        "x".repeat(max_body + 1)
    );
    let mut invalid_utf8 = b"<http://example.org/d> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"".to_vec();
    invalid_utf8.extend([0xff, 0xfe, 0xc3, 0x28]);
    invalid_utf8.extend(b"\" .");
    vec![
        write(
            "Turtle cut short",
            "text/turtle",
            "<http://example.org/d> a <http://www.w3.org/ns/dcat#Dataset> ;\n <http://purl.org/dc/terms/title> \"never closed",
        ),
        write(
            "N-Triples without a dot",
            "application/n-triples",
            "<http://example.org/d> <http://purl.org/dc/terms/title> \"t\"",
        ),
        write(
            "N-Quads with a bad IRI",
            "application/n-quads",
            "<http://example.org/d> <not an iri> \"t\" <http://example.org/g> .",
        ),
        write(
            "TriG with an open graph",
            "application/trig",
            "<http://example.org/g> { <http://example.org/d> a <http://www.w3.org/ns/dcat#Dataset> .",
        ),
        write(
            "RDF/XML not well formed",
            "application/rdf+xml",
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description>",
        ),
        write("RDF/XML entity expansion", "application/rdf+xml", XML_BOMB),
        write(
            "RDF/XML external entity",
            "application/rdf+xml",
            XML_EXTERNAL,
        ),
        write(
            "JSON-LD not JSON",
            "application/ld+json",
            "{\"@id\": \"http://example.org/d\", ",
        ),
        write(
            "JSON-LD nested 100 000 deep",
            "application/ld+json",
            nested_json(100_000),
        ),
        write(
            "JSON nested 100 000 deep",
            "application/json",
            nested_json(100_000),
        ),
        write("a literal over the body limit", "text/turtle", huge_literal),
        write("invalid UTF-8", "text/turtle", invalid_utf8),
        write("an unknown syntax", "application/x-unknown", "whatever"),
    ]
}

/// Headers, parameters, validators and tokens.
fn requests() -> Vec<Case> {
    let dataset = "/datasets/inventaire-zones-humides-bretagne";
    vec![
        case("Accept garbage", Method::GET, dataset, &[200, 406]).header("Accept", ";;;,,/=q"),
        case("Accept nothing we have", Method::GET, dataset, &[406]).header("Accept", "image/png"),
        case("Accept-Language garbage", Method::GET, dataset, &[200])
            .header("Accept-Language", "@@@;q=zz,,"),
        case("Accept-Profile garbage", Method::GET, dataset, &[200, 406])
            .header("Accept-Profile", "<<not a profile"),
        case(
            "a page past the end",
            Method::GET,
            "/search?page=999999999999999999999",
            &[200, 400],
        ),
        case("a negative page", Method::GET, "/search?page=-3", &[400]),
        case(
            "a page size of zero",
            Method::GET,
            "/search?page_size=0",
            &[400],
        ),
        case(
            "a page size of a billion",
            Method::GET,
            "/search?page_size=1000000000",
            &[400],
        ),
        case(
            "a forged feed cursor",
            Method::GET,
            "/catalog?after=AAAA%00%FF",
            &[400],
        ),
        case(
            "a forged OAI-PMH token",
            Method::GET,
            "/oai?verb=ListRecords&resumptionToken=forged",
            &[200],
        ),
        case(
            "a tampered If-Match",
            Method::PUT,
            &format!("/api{dataset}"),
            &[400, 412, 428],
        )
        .admin()
        .header("If-Match", "\"tampered\"")
        .body(
            "text/turtle",
            "<http://example.org/x> <http://purl.org/dc/terms/title> \"x\" .",
        ),
        case(
            "a token nobody holds",
            Method::POST,
            "/api/datasets",
            &[403],
        )
        .header("Authorization", "Bearer not-a-token")
        .body(
            "text/turtle",
            "<http://example.org/x> <http://purl.org/dc/terms/title> \"x\" .",
        ),
        case(
            "a token of another scheme",
            Method::POST,
            "/api/datasets",
            &[401],
        )
        .header("Authorization", "Basic YWRtaW46YWRtaW4=")
        .body(
            "text/turtle",
            "<http://example.org/x> <http://purl.org/dc/terms/title> \"x\" .",
        ),
        case(
            "SPARQL that does not parse",
            Method::GET,
            "/sparql?query=SELECT%20*%20WHERE%20%7B",
            &[400],
        ),
        case(
            "SPARQL Update without a token",
            Method::POST,
            "/sparql",
            &[401, 403],
        )
        .body("application/sparql-update", "DROP ALL"),
        case(
            "LOAD from our own network",
            Method::POST,
            "/sparql",
            &[400, 403],
        )
        .admin()
        .body(
            "application/sparql-update",
            "LOAD <http://127.0.0.1:9/secret>",
        ),
        case(
            "a harvest source inside our network",
            Method::POST,
            "/api/harvest/sources",
            &[400, 403, 422],
        )
        .admin()
        .body(
            "application/json",
            r#"{"name": "inside", "url": "http://169.254.169.254/latest/meta-data/"}"#,
        ),
    ]
}

/// Sends `case`; its status.
async fn send(server: &Server, case: &Case) -> u16 {
    let mut request = client()
        .request(case.method.clone(), format!("{}{}", server.url, case.path))
        .body(case.body.clone());
    for (name, value) in &case.headers {
        request = request.header(*name, value);
    }
    match request.send().await {
        Ok(answer) => answer.status().as_u16(),
        Err(error) => panic!("{}: no answer: {error}", case.name),
    }
}

async fn healthy(server: &Server, after: &str) {
    let answer = client()
        .get(format!("{}/health", server.url))
        .send()
        .await
        .unwrap_or_else(|e| panic!("the server is down after {after}: {e}"));
    assert!(answer.status().is_success(), "after {after}");
}

fn start(data: &Path, port: u16) -> Server {
    Server::start_full(
        data,
        port,
        None,
        &[
            "--admin-token",
            ADMIN,
            "--max-body",
            "1000000",
            "--body-timeout",
            "2",
        ],
    )
}

/// A body sent in chunks that stops half way: the server gives up on it and answers.
fn a_body_that_never_ends(url: &str) -> String {
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let head = format!(
        "POST /api/datasets HTTP/1.1\r\nHost: {address}\r\nAuthorization: {}\r\n\
         Content-Type: text/turtle\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<http\r\n",
        bearer(ADMIN)
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// Many headers, and one very long one: 400 or 431, or the connection closed.
async fn header_floods(server: &Server) {
    let health = || client().get(format!("{}/health", server.url));
    let mut many = health();
    for n in 0..500 {
        many = many.header(format!("x-flood-{n}"), "x");
    }
    let long = health().header("x-long", "x".repeat(200_000));
    for (what, request) in [("500 headers", many), ("a 200 kB header", long)] {
        let answer = request.send().await.map(|a| a.status().as_u16());
        assert!(
            matches!(answer, Ok(400 | 431) | Err(_)),
            "{what}: {answer:?}"
        );
    }
}

#[actix_web::test]
async fn bad_input_is_refused_clearly_and_changes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let port = free_port();
    let mut server = tokio::task::spawn_blocking({
        let data = data.clone();
        move || start(&data, port)
    })
    .await
    .unwrap();
    common::quality_settled(&server).await;
    // An admin token that expires within seconds, and one revoked at once.
    let expiry = time::OffsetDateTime::now_utc() + time::Duration::seconds(20);
    let expiry_text = expiry
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let expiring = create_token(
        temp.path(),
        &[
            "--name",
            "expiring",
            "--role",
            "admin",
            "--expires",
            &expiry_text,
        ],
    );
    let revoked = create_token(temp.path(), &["--name", "revoked", "--role", "admin"]);
    let revoking = run(
        temp.path(),
        &["--data-dir", "data", "token", "revoke", "revoked"],
    );
    assert!(revoking.status.success());
    server.stop();
    let before = common::dumped(&data);
    assert!(before.0.len() > 1000, "the demo catalog is there");
    let mut server = tokio::task::spawn_blocking({
        let data = data.clone();
        move || start(&data, port)
    })
    .await
    .unwrap();
    common::quality_settled(&server).await;

    // Valid until it expires (the metrics are for administrators and change nothing).
    let metrics = client()
        .get(format!("{}/metrics", server.url))
        .header("Authorization", bearer(&expiring))
        .send()
        .await
        .unwrap();
    assert_eq!(
        metrics.status(),
        StatusCode::OK,
        "the expiring token before its expiry"
    );
    let mut wrong = Vec::new();
    for case in bodies(1_000_000).into_iter().chain(requests()) {
        let status = send(&server, &case).await;
        if !case.expect.contains(&status) {
            wrong.push(format!(
                "{}: {status}, expected one of {:?}",
                case.name, case.expect
            ));
        }
        healthy(&server, case.name).await;
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    expired_and_revoked(&server, expiry, (&expiring, &revoked)).await;
    healthy(&server, "expired and revoked tokens").await;
    header_floods(&server).await;
    healthy(&server, "header floods").await;
    let answer = tokio::task::spawn_blocking({
        let server_url = server.url.clone();
        move || a_body_that_never_ends(&server_url)
    })
    .await
    .unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "a body that never ends: {answer}"
    );
    healthy(&server, "a body that never ends").await;

    common::quality_settled(&server).await;
    server.stop();
    let after = common::dumped(&data);
    assert!(before.0 == after.0, "the public store changed");
    assert!(before.1 == after.1, "the private store changed");
}

/// A write with a token past its expiry, and with a revoked one: 403, the first saying why.
async fn expired_and_revoked(
    server: &Server,
    expiry: time::OffsetDateTime,
    (expiring, revoked): (&str, &str),
) {
    let wait = expiry - time::OffsetDateTime::now_utc();
    if wait.is_positive() {
        tokio::time::sleep(std::time::Duration::from_millis(
            wait.whole_milliseconds() as u64 + 100,
        ))
        .await;
    }
    for (token, says) in [(expiring, "expired"), (revoked, "not valid")] {
        let answer = client()
            .post(format!("{}/api/datasets", server.url))
            .header("Authorization", bearer(token))
            .header("Content-Type", "text/turtle")
            .body("<http://example.org/x> <http://purl.org/dc/terms/title> \"x\" .")
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{says}");
        let problem = answer.text().await.unwrap();
        assert!(problem.contains(says), "{problem}");
    }
}
