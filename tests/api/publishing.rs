//! The publishing forms: a person signed in creates, edits and deletes a dataset through
//! the same workflow as the API (rights, validation, `If-Match`, history), with the
//! profile's report next to the fields; forms refuse what they did not hand out (CSRF),
//! escape what people type, and never let an editor touch another publisher's record.
//! A walk in Chromium does it all as a person would, with axe-core and screenshots.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{create_token, turtle_of};
use common::pages::{csrf_field, get_as, hidden_field, post_as, sign_in};
use common::{Server, client};
use reqwest::StatusCode;

const ADMIN: &str = "publishing-admin-secret";

/// A server with the demo catalog and an admin token, and an editor of ecobio signed in:
/// (server, temp dir, the editor's token, their session).
async fn signed_in_editor() -> (Server, tempfile::TempDir, String, String) {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &["--admin-token", ADMIN]);
    let ecobio = format!("{}agents/ecobio", server.base);
    let token = create_token(
        temp.path(),
        &["--name", "Zoé", "--role", "editor", "--publisher", &ecobio],
    );
    let session = sign_in(&server, &token).await;
    (server, temp, token, session)
}

/// The blank form's CSRF code.
async fn form_code(server: &Server, session: &str) -> String {
    let form = get_as(server, "publish/datasets", session).await;
    assert_eq!(form.status(), StatusCode::OK);
    csrf_field(&form.text().await.unwrap())
}

/// The fields of a small dataset of `publisher`'s, with `extra` ones.
fn dataset_fields<'a>(
    csrf: &'a str,
    publisher: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("csrf", csrf),
        ("title_fr", "Loutres du Léguer"),
        ("description_fr", "Comptages annuels."),
        ("publisher", publisher),
        ("d0_title", "Comptages 2025"),
        ("d0_download_url", "https://example.org/loutres.csv"),
    ];
    fields.extend_from_slice(extra);
    fields
}

/// Where a successful post leads: the record's form (`…/edit?done=…`).
fn saved_location(response: &reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_dataset_is_created_edited_and_deleted_through_the_forms() {
    let (server, _temp, _, session) = signed_in_editor().await;
    let csrf = form_code(&server, &session).await;
    let publisher = format!("{}agents/ecobio", server.base);
    let fields = dataset_fields(&csrf, &publisher, &[("action", "publish")]);
    let created = post_as(&server, "publish/datasets", &session, &fields).await;
    let location = saved_location(&created);
    let dataset = format!("{}datasets/loutres-du-leguer", server.base);
    assert_eq!(location, format!("{dataset}/edit?done=published"));

    // Public at once, with its file as a distribution of its own, as the API would have it.
    let (turtle, etag) = turtle_of(&server.url_of(&dataset)).await;
    assert!(
        turtle.contains("Loutres du Léguer") && turtle.contains("dcat:distribution"),
        "{turtle}"
    );
    assert!(
        turtle.contains("distributions/loutres-du-leguer-comptages-2025"),
        "{turtle}"
    );
    assert!(etag.starts_with("\"v"), "{etag}");

    // The form holds it, with the profile's advice by the file's licence field.
    let path = location.trim_start_matches(&server.base);
    let form = get_as(&server, path, &session).await;
    assert_eq!(form.status(), StatusCode::OK);
    let page = form.text().await.unwrap();
    assert!(page.contains("Enregistré et publié") || page.contains("Saved and published"));
    let licence = page.find("id=\"d0_license\"").unwrap();
    let advice = page[licence..].find("n-d0_license").unwrap();
    assert!(advice < 6000, "the licence advice is by its field");
    let version = hidden_field(&page, "version");
    let edit_csrf = csrf_field(&page);
    let file_id = hidden_field(&page, "d0_id");

    // Edited at that version: a new version, in the history.
    let edit_path = "datasets/loutres-du-leguer/edit";
    let edited = post_as(
        &server,
        edit_path,
        &session,
        &[
            ("csrf", &edit_csrf),
            ("version", &version),
            ("title_fr", "Loutres du Léguer, comptages"),
            ("description_fr", "Comptages annuels."),
            ("publisher", &publisher),
            ("d0_id", &file_id),
            ("d0_title", "Comptages 2025"),
            ("d0_download_url", "https://example.org/loutres.csv"),
            (
                "d0_license",
                "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            ),
            ("action", "publish"),
        ],
    )
    .await;
    saved_location(&edited);
    let (turtle, _) = turtle_of(&server.url_of(&dataset)).await;
    assert!(
        turtle.contains("comptages\"@fr") && turtle.contains("etalab"),
        "{turtle}"
    );
    assert!(turtle.contains(&file_id), "the file kept its IRI: {turtle}");
    let history = get_as(&server, "datasets/loutres-du-leguer/history", &session).await;
    let history = history.text().await.unwrap();
    assert!(history.contains("version-2"), "two versions");

    // The same post again, at the old version: refused, the newer record shown instead.
    let stale = post_as(
        &server,
        edit_path,
        &session,
        &[
            ("csrf", &edit_csrf),
            ("version", &version),
            ("title_fr", "Écrasé"),
            ("publisher", &publisher),
        ],
    )
    .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let stale = stale.text().await.unwrap();
    assert!(
        stale.contains("comptages") && !stale.contains("Écrasé"),
        "{stale}"
    );

    // Deleted after a confirmation: 410 for everyone.
    let confirm = get_as(&server, "datasets/loutres-du-leguer/delete", &session).await;
    let confirm = confirm.text().await.unwrap();
    let current = hidden_field(&confirm, "version");
    let deleted = post_as(
        &server,
        "datasets/loutres-du-leguer/delete",
        &session,
        &[("csrf", &csrf_field(&confirm)), ("version", &current)],
    )
    .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let gone = client().get(server.url_of(&dataset)).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::GONE);
}

#[tokio::test]
async fn drafts_and_embargoes_stay_private_until_published() {
    let (server, _temp, _, session) = signed_in_editor().await;
    let csrf = form_code(&server, &session).await;
    let publisher = format!("{}agents/ecobio", server.base);
    // A draft may be incomplete (no description): kept, shown to its editors only.
    let draft = post_as(
        &server,
        "publish/datasets",
        &session,
        &[
            ("csrf", &csrf),
            ("title_fr", "Brouillon de castors"),
            ("publisher", &publisher),
            ("action", "draft"),
        ],
    )
    .await;
    let location = saved_location(&draft);
    assert!(location.ends_with("/edit?done=draft"), "{location}");
    let iri = format!("{}datasets/brouillon-de-castors", server.base);
    let anonymous = client().get(server.url_of(&iri)).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::NOT_FOUND);
    let form = get_as(&server, "datasets/brouillon-de-castors/edit", &session).await;
    let form = form.text().await.unwrap();
    assert!(
        form.contains("Brouillon") && form.contains("n-description"),
        "the missing description is told by its field"
    );

    // Published with an embargo: still hidden, and said so.
    let embargoed = post_as(
        &server,
        "publish/datasets",
        &session,
        &dataset_fields(
            &csrf,
            &publisher,
            &[("embargo", "2099-01-01"), ("action", "publish")],
        ),
    )
    .await;
    assert!(saved_location(&embargoed).ends_with("?done=embargoed"));
    let hidden = client()
        .get(server.url_of(&format!("{}datasets/loutres-du-leguer", server.base)))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);

    // A past embargo date is a field to correct.
    let past = post_as(
        &server,
        "publish/datasets",
        &session,
        &[
            ("csrf", &csrf),
            ("title_fr", "Hier"),
            ("publisher", &publisher),
            ("embargo", "2001-01-01"),
        ],
    )
    .await;
    assert_eq!(past.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(past.text().await.unwrap().contains("n-embargo"));
}

#[tokio::test]
async fn forms_refuse_what_they_did_not_hand_out_and_what_is_not_theirs() {
    let (server, _temp, _, session) = signed_in_editor().await;
    let csrf = form_code(&server, &session).await;
    let ecobio = format!("{}agents/ecobio", server.base);
    let count = || async {
        common::ask(
            &server,
            "ASK { ?d <http://purl.org/dc/terms/title> \"Loutres du Léguer\"@fr }",
        )
        .await
    };
    // No CSRF code, a wrong one, or no session at all: nothing written.
    for code in ["", "forged"] {
        let fields = dataset_fields(code, &ecobio, &[]);
        let refused = post_as(&server, "publish/datasets", &session, &fields).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
    let anonymous = client()
        .post(format!("{}/publish/datasets", server.url))
        .form(&dataset_fields(&csrf, &ecobio, &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // Another site's page posting in the person's browser.
    let cross = client()
        .post(format!("{}/publish/datasets", server.url))
        .header("Cookie", format!("passerelle_session={session}"))
        .header("Origin", "https://evil.example")
        .form(&dataset_fields(&csrf, &ecobio, &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    assert!(!count().await, "nothing was written");

    // A record of another publisher (the CNRS's): neither its form nor its post.
    let theirs = "datasets/flux-co2-tourbiere-venec";
    let form = get_as(&server, &format!("{theirs}/edit"), &session).await;
    assert_eq!(form.status(), StatusCode::FORBIDDEN);
    let (before, etag) = turtle_of(&server.url_of(&format!("{}{theirs}", server.base))).await;
    let post = post_as(
        &server,
        &format!("{theirs}/edit"),
        &session,
        &[
            ("csrf", &csrf),
            ("version", &etag),
            ("title_fr", "Pris"),
            ("publisher", &ecobio),
        ],
    )
    .await;
    assert_eq!(post.status(), StatusCode::FORBIDDEN);
    let deleted = post_as(
        &server,
        &format!("{theirs}/delete"),
        &session,
        &[("csrf", &csrf), ("version", &etag)],
    )
    .await;
    assert_eq!(deleted.status(), StatusCode::FORBIDDEN);
    let (after, _) = turtle_of(&server.url_of(&format!("{}{theirs}", server.base))).await;
    assert_eq!(before, after, "their record is untouched");
    // Publishing under another publisher is refused by the workflow, with a clear page.
    let other = format!("{}agents/cnrs", server.base);
    let fields = dataset_fields(&csrf, &other, &[]);
    let refused = post_as(&server, "publish/datasets", &session, &fields).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(!count().await);
}

#[tokio::test]
async fn what_people_type_comes_out_escaped_and_links_must_be_web_addresses() {
    let (server, _temp, _, session) = signed_in_editor().await;
    let csrf = form_code(&server, &session).await;
    let publisher = format!("{}agents/ecobio", server.base);
    let payload = "<script>alert(1)</script>\" onmouseover=\"alert(2)";
    // A `javascript:` link is a field to correct, and the form comes back escaped.
    let refused = post_as(
        &server,
        "publish/datasets",
        &session,
        &[
            ("csrf", &csrf),
            ("title_fr", payload),
            ("publisher", &publisher),
            ("landing_page", "javascript:alert(3)"),
            ("d0_title", payload),
            ("d0_access_url", "data:text/html,<script>alert(4)</script>"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("n-landing_page") && page.contains("n-d0_access_url"));
    assert!(
        !page.contains("<script>alert") && !page.contains("\" onmouseover=\"alert"),
        "{page}"
    );
    // Written with a harmless link, the text is stored as typed and shown escaped.
    let created = post_as(
        &server,
        "publish/datasets",
        &session,
        &[
            ("csrf", &csrf),
            ("id", "xss"),
            ("title_fr", payload),
            ("description_fr", payload),
            ("keyword_fr", payload),
            ("publisher", &publisher),
            ("contact_name", payload),
            ("d0_title", payload),
            ("d0_access_url", "https://example.org/x"),
            ("action", "publish"),
        ],
    )
    .await;
    saved_location(&created);
    for path in ["datasets/xss", "datasets/xss/edit"] {
        let page = get_as(&server, path, &session).await.text().await.unwrap();
        assert!(
            page.contains("&lt;script&gt;alert(1)"),
            "{path}: the text is shown"
        );
        assert!(
            !page.contains("<script>alert") && !page.contains("\" onmouseover=\"alert"),
            "{path}: {page}"
        );
    }
}

#[tokio::test]
async fn a_person_publishes_in_a_browser_and_the_pages_pass_axe() {
    let (server, temp, _, _) = signed_in_editor().await;
    let token = create_token(
        temp.path(),
        &[
            "--name",
            "Zoé Martin",
            "--role",
            "editor",
            "--publisher",
            &format!("{}agents/ecobio", server.base),
        ],
    );
    let base = server.base.trim_end_matches('/').to_owned();
    let summary = common::browser::walk("publishing_walk.py", vec![base, token]).await;
    assert!(
        summary["header_after_signin"]
            .as_str()
            .unwrap()
            .contains("Zoé Martin")
    );
    assert_eq!(
        summary["language_filter"],
        serde_json::json!(["http://publications.europa.eu/resource/authority/language/BRE"])
    );
    assert_eq!(
        summary["format_filter"],
        serde_json::json!(["http://publications.europa.eu/resource/authority/file-type/CSV"])
    );
    assert!(
        summary["after_publish"]
            .as_str()
            .unwrap()
            .ends_with("/edit?done=published")
    );
    let advice = summary["licence_notes"].to_string();
    assert!(
        advice.contains("licence"),
        "the licence advice by its field: {advice}"
    );
    assert_eq!(summary["title_value"], "Loutres du Léguer <2025>");
    assert!(
        summary["licence_note"]
            .as_str()
            .unwrap()
            .contains("administration française")
    );
    assert_eq!(
        summary["licence_notes_after"],
        serde_json::json!([]),
        "fixed"
    );
    assert_eq!(summary["dataset_h1"], "Loutres du Léguer, comptages");
    assert_eq!(summary["edit_link"], 1);
    assert_eq!(summary["found_in_search"], true);
    // The quality page scores it and advises on what is missing (no place covered here).
    let score = summary["quality_score"].as_str().unwrap();
    assert!(score.contains("/ 405"), "{score}");
    let advice = summary["quality_advice"].to_string();
    assert!(advice.contains("lieu que couvrent les données"), "{advice}");
    assert_eq!(
        summary["dashboard_h1"],
        "Qualité des métadonnées du catalogue"
    );
    let diff = summary["diff"].as_str().unwrap();
    assert!(
        diff.contains("Loutres du Léguer <2025>") && diff.contains("Loutres du Léguer, comptages"),
        "{diff}"
    );
    assert!(
        summary["header_after_signout"]
            .as_str()
            .unwrap()
            .contains("Se connecter")
    );
    assert!(
        summary["edit_after_signout"]
            .as_str()
            .unwrap()
            .contains("/signin?next=")
    ); // The data paper, described from the dataset's page, and the organisation's form.
    assert_eq!(summary["paper_ticked"], true, "the dataset is ticked");
    assert!(
        summary["paper_done"].as_str().unwrap().contains("publié"),
        "{}",
        summary["paper_done"]
    );
    assert_eq!(
        summary["paper_h1"],
        "Otters of the Léguer: ten years of counts"
    );
    let paper = summary["paper_page"].as_str().unwrap();
    assert!(
        paper.contains("Loutres du Léguer, comptages") && paper.contains("Data in Brief"),
        "{paper}"
    );
    assert_eq!(summary["agent_class"], "Organization");
}
