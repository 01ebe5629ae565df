//! Reusers' feedback on a dataset's page: posted by anyone, stored as W3C Web Annotations
//! in their own graphs, served in every RDF syntax and as Web Annotation JSON-LD (read by
//! pyld against the W3C context), shown escaped on the page, and guarded: an email is
//! never public, posts come from our pages, bots fill the honeypot, an address posts so
//! many times an hour (429), a huge message is a 413; nothing reaches the DCAT feed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Server, client, get_with, run_python};
use reqwest::StatusCode;

const DATASET: &str = "datasets/inventaire-zones-humides-bretagne";

/// What `annotation_jsonld.py` says of the annotation at `url`: its JSON-LD, expanded by
/// pyld against the bundled W3C context, is the same graph as its Turtle.
async fn jsonld_reads_as_turtle(url: String) -> String {
    let context =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ontologies/contexts/anno.jsonld");
    tokio::task::spawn_blocking(move || {
        run_python(
            "annotation_jsonld.py",
            &[&url, &context.display().to_string()],
        )
    })
    .await
    .unwrap()
}

/// Posts feedback on the demo dataset with `fields` (and a motivation, unless given).
async fn post(server: &Server, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut all: Vec<(&str, &str)> = vec![("motivation", "assessing"), ("lang", "fr")];
    all.retain(|(name, _)| !fields.iter().any(|(n, _)| n == name));
    all.extend_from_slice(fields);
    client()
        .post(format!("{}/{DATASET}/feedback", server.url))
        .form(&all)
        .send()
        .await
        .unwrap()
}

/// The dataset's page as a French reader gets it.
async fn page(server: &Server) -> String {
    get_with(
        &format!("{}/{DATASET}", server.url),
        &[("Accept", "text/html"), ("Accept-Language", "fr")],
    )
    .await
    .text()
    .await
    .unwrap()
}

/// The annotation IRIs the page links to, in its order.
fn annotations_on(page: &str) -> Vec<String> {
    page.match_indices("annotations&#x2f;")
        .map(|(at, _)| {
            let id: String = page[at + 17..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            id
        })
        .collect()
}

#[tokio::test]
async fn a_reuser_reports_a_problem_that_is_published_as_a_web_annotation() {
    let server = Server::start();
    let sent = post(
        &server,
        &[
            (
                "text",
                "Le lien de téléchargement <script>alert(1)</script> renvoie une 404.",
            ),
            ("name", "Léa \" onmouseover=\"alert(2)"),
            ("email", "lea@example.org"),
        ],
    )
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let location = sent.headers()["location"].to_str().unwrap();
    assert!(
        location.ends_with(&format!("{DATASET}#feedback-sent")),
        "{location}"
    );

    // On the page, escaped and inert, with its kind and author; no email anywhere.
    let html = page(&server).await;
    assert!(html.contains("Un problème"), "the report's kind");
    assert!(html.contains("renvoie une 404") && html.contains("&lt;script&gt;alert(1)"));
    assert!(!html.contains("<script>alert") && !html.contains("\" onmouseover=\"alert"));
    assert!(
        !html.contains("lea@example.org"),
        "the email is never shown"
    );
    let ids = annotations_on(&html);
    assert_eq!(ids.len(), 1, "{ids:?}");
    let url = format!("{}/annotations/{}", server.url, ids[0]);

    // Served as linked data: Turtle, N-Quads in its own graph, a page; never the email.
    let turtle = get_with(&url, &[("Accept", "text/turtle")]).await;
    assert_eq!(turtle.status(), StatusCode::OK);
    let turtle = turtle.text().await.unwrap();
    assert!(turtle.contains("http://www.w3.org/ns/oa#assessing") && turtle.contains(DATASET));
    let nquads = get_with(&format!("{url}.nq"), &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        nquads.lines().all(|l| l.is_empty()
            || l.trim_end()
                .ends_with(&format!("<{}annotations/{}> .", server.base, ids[0]))),
        "{nquads}"
    );
    let asked = common::ask(
        &server,
        "ASK { GRAPH ?g { ?s ?p ?o FILTER(CONTAINS(STR(?o), \"lea@\")) } }",
    )
    .await;
    assert!(!asked, "the email is not in the public store");
    assert!(!turtle.contains("lea@"));
    let page = get_with(&url, &[("Accept", "text/html")]).await;
    assert_eq!(page.status(), StatusCode::OK);

    // Web Annotation JSON-LD that a JSON-LD processor reads to the same triples.
    let summary = jsonld_reads_as_turtle(url.clone()).await;
    assert!(
        summary.contains("http://www.w3.org/ns/oa#assessing"),
        "{summary}"
    );

    // Nothing of it in the DCAT feed.
    let feed = get_with(
        &format!("{}/catalog", server.url),
        &[("Accept", "text/turtle")],
    )
    .await;
    let feed = feed.text().await.unwrap();
    assert!(
        !feed.contains("ns/oa#") && !feed.contains("renvoie une 404"),
        "feedback leaked into the feed"
    );

    // About one of its files: the thread says which.
    let (dataset_turtle, _) = common::api::turtle_of(&format!("{}/{DATASET}", server.url)).await;
    let marker = format!("{}distributions/", server.base);
    let at = dataset_turtle.find(&marker).unwrap();
    let file: String = dataset_turtle[at..]
        .chars()
        .take_while(|c| *c != '>')
        .collect();
    let about_file = post(
        &server,
        &[("text", "Ce fichier est vide."), ("target", file.as_str())],
    )
    .await;
    assert_eq!(about_file.status(), StatusCode::SEE_OTHER);
    let html = self::page(&server).await;
    let shown = html.find("Ce fichier est vide.").unwrap();
    assert!(
        html[..shown]
            .rfind("à propos de")
            .is_some_and(|a| shown - a < 600),
        "which file it is about"
    );

    // An annotation that does not exist.
    let missing = get_with(&format!("{}/annotations/20260101-0000", server.url), &[]).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn posts_are_guarded_against_bots_floods_and_other_sites() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &["--max-anonymous-posts", "3"]);
    // A bot fills the hidden field: thanked, not stored.
    let bot = post(
        &server,
        &[("text", "Buy now"), ("website", "http://spam.example")],
    )
    .await;
    assert_eq!(bot.status(), StatusCode::SEE_OTHER);
    assert!(
        annotations_on(&page(&server).await).is_empty(),
        "the bot's post was stored"
    );
    // Another site's form.
    let cross = client()
        .post(format!("{}/{DATASET}/feedback", server.url))
        .header("Origin", "https://evil.example")
        .form(&[("motivation", "commenting"), ("text", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    // What cannot be an annotation: 4xx, nothing stored.
    let huge = "é".repeat(10_001);
    for (fields, status) in [
        (vec![("text", huge.as_str())], StatusCode::PAYLOAD_TOO_LARGE),
        (vec![("text", "   ")], StatusCode::BAD_REQUEST),
        (
            vec![("text", "x"), ("motivation", "bookmarking")],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![("text", "x"), ("email", "not an email")],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![("text", "x"), ("target", "http://elsewhere.example/d")],
            StatusCode::BAD_REQUEST,
        ),
    ] {
        assert_eq!(
            post(&server, &fields).await.status(),
            status,
            "{:?}",
            &fields[..1]
        );
    }
    let flood = "x".repeat(200 * 1024);
    let too_big = post(&server, &[("text", flood.as_str())]).await;
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let nowhere = client()
        .post(format!("{}/datasets/nothing-here/feedback", server.url))
        .form(&[("motivation", "commenting"), ("text", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(nowhere.status(), StatusCode::NOT_FOUND);
    assert!(annotations_on(&page(&server).await).is_empty());
    // So many posts an hour from one address, then 429 with when to come back (refused
    // posts wrote nothing and do not count).
    for n in 0..3 {
        let sent = post(&server, &[("text", &format!("message {n}"))]).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    }
    let last = post(&server, &[("text", "one too many")]).await;
    assert_eq!(last.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(annotations_on(&page(&server).await).len(), 3);
    let retry: u64 = last.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 3000 && retry <= 3600, "{retry}");
}

#[tokio::test]
async fn its_editors_answer_and_resolve_and_admins_hide_spam() {
    use common::api::create_token;
    use common::pages::{csrf_field, get_as, post_as, sign_in};
    let temp = tempfile::tempdir().unwrap();
    let mut server = Server::start_with(
        &temp.path().join("data"),
        &["--admin-token", "feedback-admin"],
    );
    let amphibians = "datasets/amphibiens-mares-zone-atelier-armorique";
    let report = |text: &'static str| {
        let url = format!("{}/{amphibians}/feedback", server.url);
        async move {
            let sent = client()
                .post(url)
                .form(&[("motivation", "editing"), ("text", text)])
                .send()
                .await
                .unwrap();
            assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        }
    };
    report("La licence devrait être Etalab 2.0.").await;
    // Threads are in the order of `dct:created`, to the millisecond.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    report("Achetez des montres pas chères").await;
    let ours = create_token(
        temp.path(),
        &[
            "--name",
            "Zoé",
            "--role",
            "editor",
            "--publisher",
            &format!("{}agents/ecobio", server.base),
        ],
    );
    let theirs = create_token(
        temp.path(),
        &[
            "--name",
            "Max",
            "--role",
            "editor",
            "--publisher",
            &format!("{}agents/cnrs", server.base),
        ],
    );
    let page = get_with(
        &format!("{}/{amphibians}", server.url),
        &[("Accept", "text/html")],
    )
    .await
    .text()
    .await
    .unwrap();
    let ids = annotations_on(&page);
    assert_eq!(ids.len(), 2, "{ids:?}");
    // Told apart by what they say (two posted within milliseconds of each other may
    // share their creation time on a loaded machine).
    let says_licence = |id: String| {
        let url = format!("{}/annotations/{id}", server.url);
        async move {
            let text = get_with(&url, &[("Accept", "text/turtle")])
                .await
                .text()
                .await
                .unwrap();
            text.contains("Etalab")
        }
    };
    let (licence, spam) = if says_licence(ids[0].clone()).await {
        (ids[0].clone(), ids[1].clone())
    } else {
        (ids[1].clone(), ids[0].clone())
    };
    assert!(page.contains("status open"), "a report starts open");

    // Another publisher's editor, a forged form, or nobody: refused.
    let max = sign_in(&server, &theirs).await;
    let max_code = csrf_field(&get_as(&server, "account", &max).await.text().await.unwrap());
    let answer = format!("annotations/{licence}/answer");
    let refused = post_as(
        &server,
        &answer,
        &max,
        &[
            ("csrf", &max_code),
            ("text", "Non"),
            ("resolution", "rejected"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let zoe = sign_in(&server, &ours).await;
    let their_page = get_as(&server, amphibians, &zoe)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        their_page.contains("/answer\""),
        "its editor gets the answer form"
    );
    let code = csrf_field(&their_page);
    let forged = post_as(&server, &answer, &zoe, &[("csrf", "forged"), ("text", "x")]).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let anonymous = client()
        .post(format!("{}/{answer}", server.url))
        .form(&[("text", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // Its editor answers and resolves: the thread says so, as linked data too.
    let answered = post_as(
        &server,
        &answer,
        &zoe,
        &[
            ("csrf", &code),
            ("text", "Corrigé : la licence est Etalab 2.0."),
            ("resolution", "resolved"),
        ],
    )
    .await;
    assert_eq!(answered.status(), StatusCode::SEE_OTHER);
    let page = get_with(
        &format!("{}/{amphibians}", server.url),
        &[("Accept", "text/html")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        page.contains("status resolved") && page.contains("Corrigé : la licence est Etalab 2.0.")
    );
    assert!(
        page.contains("status open"),
        "the other report is still open"
    );
    let reply = annotations_on(&page)
        .into_iter()
        .find(|id| *id != licence && *id != spam)
        .unwrap();
    let reply_url = format!("{}/annotations/{reply}", server.url);
    let turtle = get_with(&reply_url, &[("Accept", "text/turtle")])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        turtle.contains("oa#replying")
            && turtle.contains("oa#tagging")
            && turtle.contains(&licence),
        "{turtle}"
    );
    let summary = jsonld_reads_as_turtle(reply_url.clone()).await;
    assert!(summary.contains("oa#replying"), "{summary}");

    // The publisher's open reports: the spam only (the other was resolved), on a page
    // and as Atom for a feed reader.
    let reports = get_with(
        &format!("{}/agents/ecobio/feedback", server.url),
        &[("Accept", "text/html")],
    )
    .await;
    assert_eq!(reports.status(), StatusCode::OK);
    let reports = reports.text().await.unwrap();
    assert!(
        reports.contains("montres") && !reports.contains("devrait être Etalab"),
        "{reports}"
    );
    let feed = format!("{}/agents/ecobio/feedback?format=atom", server.url);
    let read = tokio::task::spawn_blocking(move || run_python("atom_feed.py", &[&feed]))
        .await
        .unwrap();
    let read: serde_json::Value = serde_json::from_str(read.trim()).unwrap();
    assert_eq!(read["entries"].as_array().unwrap().len(), 1, "{read}");
    assert!(
        read["entries"][0]["text"]
            .as_str()
            .unwrap()
            .contains("montres"),
        "{read}"
    );
    assert!(
        read["entries"][0]["id"].as_str().unwrap().ends_with(&spam),
        "{read}"
    );
    let cnrs = get_with(
        &format!("{}/agents/cnrs/feedback?format=atom", server.url),
        &[],
    )
    .await;
    assert!(
        cnrs.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    assert!(
        !cnrs.text().await.unwrap().contains("<entry>"),
        "not theirs"
    );
    let nobody = get_with(&format!("{}/agents/nobody/feedback", server.url), &[]).await;
    assert_eq!(nobody.status(), StatusCode::NOT_FOUND);

    // Only an admin hides; hidden, it leaves the public store but not the private one.
    let hide = format!("annotations/{spam}/hide");
    let not_admin = post_as(&server, &hide, &zoe, &[("csrf", &code)]).await;
    assert_eq!(not_admin.status(), StatusCode::FORBIDDEN);
    let admin = sign_in(&server, "feedback-admin").await;
    let admin_code = csrf_field(
        &get_as(&server, "account", &admin)
            .await
            .text()
            .await
            .unwrap(),
    );
    let hidden = post_as(&server, &hide, &admin, &[("csrf", &admin_code)]).await;
    assert_eq!(hidden.status(), StatusCode::SEE_OTHER);
    let gone = get_with(
        &format!("{}/annotations/{spam}", server.url),
        &[("Accept", "text/turtle")],
    )
    .await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let page = get_with(
        &format!("{}/{amphibians}", server.url),
        &[("Accept", "text/html")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(!page.contains("montres"), "hidden from the page");
    assert!(!common::ask(&server, "ASK { ?b <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?v FILTER(CONTAINS(?v, \"montres\")) }").await);
    server.stop();
    let dump = common::run(temp.path(), &["dump", "--private", "--data-dir", "data"]);
    let private = String::from_utf8_lossy(&dump.stdout);
    assert!(
        private.contains("montres") && private.contains("wasInvalidatedBy"),
        "kept, with who hid it"
    );
}

/// A COAR Notify `Announce Relationship`, as the specification's example has it, about
/// the dataset at `dataset` (its IRI).
fn announce_relationship(dataset: &str) -> serde_json::Value {
    serde_json::json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://coar-notify.net"],
        "id": "urn:uuid:94ecae35-dcfd-4182-8550-22c7164fe23f",
        "type": ["Announce", "coar-notify:RelationshipAction"],
        "actor": {"id": "https://research-organisation.org", "name": "Research Organisation", "type": "Organization"},
        "origin": {"id": "https://research-organisation.org/repository", "inbox": "https://research-organisation.org/inbox/", "type": "Service"},
        "target": {"id": "https://catalogue.example.org/", "inbox": format!("{dataset}/inbox"), "type": "Service"},
        "object": {
            "id": "urn:uuid:74FFB356-0632-44D9-B176-888DA85758DC",
            "type": "Relationship",
            "as:subject": "https://research-organisation.org/repository/item/201203/421/",
            "as:relationship": "http://purl.org/vocab/frbr/core#supplement",
            "as:object": dataset
        },
        "context": {"id": dataset, "type": ["Page", "sorg:AboutPage"]}
    })
}

/// POSTs `body` to the inbox of the demo dataset `path` as JSON-LD.
async fn notify(server: &Server, path: &str, body: &serde_json::Value) -> reqwest::Response {
    client()
        .post(format!("{}/{path}/inbox", server.url))
        .header("Content-Type", "application/ld+json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_inbox_takes_coar_notifications_that_show_once_an_editor_approves() {
    use common::api::create_token;
    use common::pages::{csrf_field, get_as, post_as, sign_in};
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &[]);
    let path = "datasets/amphibiens-mares-zone-atelier-armorique";
    let dataset = format!("{}{path}", server.base);
    // Advertised on the dataset's answers.
    let head = client()
        .head(format!("{}/{path}", server.url))
        .header("Accept", "text/turtle")
        .send()
        .await
        .unwrap();
    let link = head.headers()["link"].to_str().unwrap().to_owned();
    assert!(
        link.contains(&format!(
            "<{dataset}/inbox>; rel=\"http://www.w3.org/ns/ldp#inbox\""
        )),
        "{link}"
    );

    // What is not a notification this inbox takes: 4xx saying what is wrong.
    let mut broken = announce_relationship(&dataset);
    broken["object"]
        .as_object_mut()
        .unwrap()
        .remove("as:relationship");
    broken["origin"].as_object_mut().unwrap().remove("inbox");
    let refused = notify(&server, path, &broken).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let detail = refused.text().await.unwrap();
    assert!(
        detail.contains("object.as:relationship is missing")
            && detail.contains("origin.inbox is missing"),
        "{detail}"
    );
    let elsewhere = notify(
        &server,
        path,
        &announce_relationship("https://elsewhere.example/d"),
    )
    .await;
    assert_eq!(elsewhere.status(), StatusCode::BAD_REQUEST);
    let plain = client()
        .post(format!("{}/{path}/inbox", server.url))
        .header("Content-Type", "text/plain")
        .body("hi")
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // The specification's example: accepted, and held back.
    let accepted = notify(&server, path, &announce_relationship(&dataset)).await;
    assert_eq!(accepted.status(), StatusCode::ACCEPTED);
    let location = accepted.headers()["location"].to_str().unwrap().to_owned();
    let annotation = server.url_of(&location);
    assert_eq!(
        get_with(&annotation, &[("Accept", "text/turtle")])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let inbox = get_with(
        &format!("{}/{path}/inbox", server.url),
        &[("Accept", "text/turtle")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        inbox.contains("ldp#BasicContainer") && !inbox.contains("ldp#contains"),
        "{inbox}"
    );
    let review = serde_json::json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://coar-notify.net"],
        "id": "urn:uuid:2f4ec582-109e-4952-a94a-b7d7615a8c69",
        "type": ["Announce", "coar-notify:ReviewAction"],
        "origin": {"id": "https://review-service.com/system", "inbox": "https://review-service.com/inbox/", "type": "Service"},
        "target": {"id": "https://catalogue.example.org/", "inbox": format!("{dataset}/inbox"), "type": "Service"},
        "object": {"id": "https://review-service.com/review/geo/202103/0021", "ietf:cite-as": "https://doi.org/10.3214/987654", "type": ["Document", "sorg:Review"]},
        "context": {"id": dataset}
    });
    assert_eq!(
        notify(&server, path, &review).await.status(),
        StatusCode::ACCEPTED
    );

    // Its editor sees them waiting and approves the relationship.
    let editor = create_token(
        temp.path(),
        &[
            "--name",
            "Zoé",
            "--role",
            "editor",
            "--publisher",
            &format!("{}agents/ecobio", server.base),
        ],
    );
    let session = sign_in(&server, &editor).await;
    let page = get_as(&server, path, &session).await.text().await.unwrap();
    assert!(
        page.contains("research-organisation.org&#x2f;repository&#x2f;item")
            && page.contains("/approve\""),
        "waiting, with the way to approve"
    );
    let id = location.rsplit('/').next().unwrap();
    let approved = post_as(
        &server,
        &format!("annotations/{id}/approve"),
        &session,
        &[("csrf", &csrf_field(&page))],
    )
    .await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let inbox = get_with(
        &format!("{}/{path}/inbox", server.url),
        &[("Accept", "text/turtle")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        inbox.contains("ldp#contains") && inbox.contains(id),
        "{inbox}"
    );
    let turtle = get_with(&annotation, &[("Accept", "text/turtle")])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        turtle.contains("oa#linking")
            && turtle.contains("frbr:supplement")
            && turtle.contains("activitystreams#generator"),
        "{turtle}"
    );
    let anonymous = get_with(
        &format!("{}/{path}", server.url),
        &[("Accept", "text/html")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        anonymous.contains("research-organisation.org&#x2f;repository&#x2f;item&#x2f;201203"),
        "shown once approved"
    );
    let summary = jsonld_reads_as_turtle(annotation.clone()).await;
    assert!(summary.contains("oa#linking"), "{summary}");
}

#[tokio::test]
async fn reuses_are_declared_on_a_dataset_and_listed_as_linked_data() {
    let server = Server::start();
    let declare = |fields: Vec<(&'static str, String)>| {
        let url = format!("{}/{DATASET}/reuses", server.url);
        async move { client().post(url).form(&fields).send().await.unwrap() }
    };
    let title = "Carte des zones humides <script>alert(1)</script>".to_owned();
    let sent = declare(vec![
        ("title", title.clone()),
        ("url", "https://example.org/carte".into()),
        ("kind", "visualisation".into()),
        ("image", "https://example.org/carte.png".into()),
        ("name", "Léa".into()),
    ])
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    for (field, value, status) in [
        ("url", "javascript:alert(1)", StatusCode::BAD_REQUEST),
        (
            "image",
            "data:image/png;base64,AAAA",
            StatusCode::BAD_REQUEST,
        ),
        ("kind", "poem", StatusCode::BAD_REQUEST),
        ("title", " ", StatusCode::BAD_REQUEST),
    ] {
        let mut fields = vec![
            ("title", "x".to_owned()),
            ("url", "https://example.org/y".to_owned()),
            ("kind", "article".to_owned()),
        ];
        fields.retain(|(name, _)| *name != field);
        fields.push((field, value.to_owned()));
        assert_eq!(declare(fields).await.status(), status, "{field}");
    }
    let bot = declare(vec![
        ("title", "Spam".into()),
        ("url", "https://spam.example/".into()),
        ("kind", "other".into()),
        ("website", "x".into()),
    ])
    .await;
    assert_eq!(bot.status(), StatusCode::SEE_OTHER);

    // On the dataset's page and on the list of reuses, escaped, once.
    let html = page(&server).await;
    assert!(
        html.contains("Carte des zones humides &lt;script&gt;") && !html.contains("<script>alert")
    );
    assert!(!html.contains("Spam"), "the bot's reuse was dropped");
    let list = get_with(
        &format!("{}/reuses", server.url),
        &[("Accept", "text/html"), ("Accept-Language", "fr")],
    )
    .await;
    let list = list.text().await.unwrap();
    assert_eq!(
        list.matches("example.org&#x2f;carte\"").count(),
        1,
        "{list}"
    );
    assert!(
        list.contains("Visualisation") && list.contains("zones humides de Bretagne")
            || list.contains("Inventaire"),
        "{list}"
    );
    // As linked data: schema.org, based on the dataset.
    let turtle = get_with(
        &format!("{}/reuses", server.url),
        &[("Accept", "text/turtle")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        turtle.contains("http://schema.org/isBasedOn")
            && turtle.contains(DATASET)
            && turtle.contains("VisualArtwork"),
        "{turtle}"
    );
    let at = list.find("reuses&#x2f;2").unwrap();
    let id: String = list[at + 12..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let one = get_with(
        &format!("{}/reuses/{id}", server.url),
        &[("Accept", "application/n-triples")],
    )
    .await;
    assert_eq!(one.status(), StatusCode::OK);
    assert!(
        one.text()
            .await
            .unwrap()
            .contains("<http://schema.org/url> <https://example.org/carte>")
    );
    let feed = get_with(
        &format!("{}/catalog", server.url),
        &[("Accept", "text/turtle")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        !feed.contains("schema.org/isBasedOn"),
        "reuses stay out of the DCAT feed"
    );

    // In the search: a filter "reused", and the most reused first.
    let search = |query: &'static str| {
        let url = format!("{}/search?{query}", server.url);
        async move {
            let answer = get_with(&url, &[("Accept", "application/json")]).await;
            assert_eq!(answer.status(), StatusCode::OK, "{url}");
            let answer: serde_json::Value =
                serde_json::from_str(&answer.text().await.unwrap()).unwrap();
            answer["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let reused = search("has_reuses=true").await;
    assert_eq!(reused, ["inventaire-zones-humides-bretagne"], "{reused:?}");
    let most = search("sort=reuses&page_size=3").await;
    assert_eq!(
        most.first().map(String::as_str),
        Some("inventaire-zones-humides-bretagne"),
        "{most:?}"
    );
    assert!(search("has_reuses=false").await.len() > 3);
    let bad = get_with(
        &format!("{}/search?has_reuses=maybe", server.url),
        &[("Accept", "application/json")],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let page = get_with(
        &format!("{}/search?has_reuses=true", server.url),
        &[("Accept", "text/html"), ("Accept-Language", "fr")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(page.contains("Réutilisés") && page.contains("Les plus réutilisés"));
}
