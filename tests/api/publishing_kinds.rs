//! The forms for data papers and agents, and the dataset form's language picker: a
//! person signed in describes a data paper about their datasets and edits their own
//! organisation's description, through the same workflow as the API; what is not theirs
//! stays out of reach, and what they type comes out escaped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{create_token, turtle_of};
use common::pages::{csrf_field, get_as, hidden_field, post_as, sign_in};
use common::{Server, client};
use reqwest::StatusCode;

const ADMIN: &str = "publishing-kinds-admin-secret";

/// A server with the demo catalog, an editor of `publisher` signed in: (server, temp dir,
/// their session).
async fn editor_of(publisher: &str) -> (Server, tempfile::TempDir, String) {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &["--admin-token", ADMIN]);
    let agent = format!("{}agents/{publisher}", server.base);
    let token = create_token(
        temp.path(),
        &["--name", "Zoé", "--role", "editor", "--publisher", &agent],
    );
    let session = sign_in(&server, &token).await;
    (server, temp, session)
}

/// The page at `path` for the session, with its status checked.
async fn page_as(server: &Server, path: &str, session: &str, status: StatusCode) -> String {
    let response = get_as(server, path, session).await;
    assert_eq!(response.status(), status, "{path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn a_data_paper_is_described_by_the_editors_of_its_datasets() {
    let (server, temp, session) = editor_of("ecobio").await;
    let dataset = format!(
        "{}datasets/amphibiens-mares-zone-atelier-armorique",
        server.base
    );
    // From the dataset's page: a link to a paper about it, which the blank form ticks.
    let dataset_page = page_as(
        &server,
        "datasets/amphibiens-mares-zone-atelier-armorique",
        &session,
        StatusCode::OK,
    )
    .await;
    assert!(
        dataset_page.contains("publish&#x2f;data-papers?describes="),
        "{dataset_page}"
    );
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("describes", &dataset)
        .finish();
    let form = page_as(
        &server,
        &format!("publish/data-papers?{query}"),
        &session,
        StatusCode::OK,
    )
    .await;
    let escaped = dataset.replace('/', "&#x2f;");
    let ticked = format!("value=\"{escaped}\" checked");
    assert!(form.contains(&ticked), "the dataset is ticked: {form}");
    assert!(
        !form.contains("flux-co2-tourbiere-venec"),
        "another publisher's dataset is not offered"
    );
    let csrf = csrf_field(&form);

    // Without a title nor a dataset: refused, each by its field; nothing written.
    let refused = post_as(
        &server,
        "publish/data-papers",
        &session,
        &[("csrf", &csrf), ("doi", "pas un DOI")],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    for note in ["n-title", "n-describes", "n-doi"] {
        assert!(refused.contains(note), "{note}: {refused}");
    }

    let fields = [
        ("csrf", csrf.as_str()),
        (
            "title_en",
            "Amphibians of the Armorique ponds: ten years of counts",
        ),
        ("summary_fr", "Le jeu de données et sa méthode."),
        ("creator", "https://orcid.org/0000-0002-1825-0097"),
        ("journal", "Data in Brief"),
        ("volume", "58"),
        ("starting_page", "111222"),
        ("issued", "2025-02-01"),
        ("doi", "https://doi.org/10.1016/j.dib.2025.111222"),
        ("describes", &dataset),
        ("action", "publish"),
    ];
    let created = post_as(&server, "publish/data-papers", &session, &fields).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let paper = location.trim_end_matches("/edit?done=published").to_owned();
    assert!(
        paper.starts_with(&format!("{}data-papers/", server.base)),
        "{location}"
    );
    let (turtle, _) = turtle_of(&server.url_of(&paper)).await;
    for said in [
        "fabio:DataPaper",
        "cito:describes",
        "10.1016/j.dib.2025.111222",
        "Data in Brief",
    ] {
        assert!(turtle.contains(said), "{said}: {turtle}");
    }
    // The dataset's page cites it.
    let cited = client()
        .get(server.url_of(&dataset))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(cited.text().await.unwrap().contains("ten years of counts"));

    // Edited: the form holds it, a new version is written.
    let path = paper.trim_start_matches(&server.base).to_owned();
    let form = page_as(&server, &format!("{path}/edit"), &session, StatusCode::OK).await;
    assert!(form.contains("10.1016&#x2f;j.dib.2025.111222"), "{form}");
    let version = hidden_field(&form, "version");
    let mut edited = fields.to_vec();
    let edit_csrf = csrf_field(&form);
    edited[0] = ("csrf", &edit_csrf);
    edited.retain(|(name, _)| *name != "volume");
    edited.push(("volume", "59"));
    edited.push(("version", &version));
    let saved = post_as(&server, &format!("{path}/edit"), &session, &edited).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let (turtle, _) = turtle_of(&server.url_of(&paper)).await;
    assert!(turtle.contains("\"59\""), "{turtle}");
    let history = page_as(
        &server,
        &format!("{path}/history"),
        &session,
        StatusCode::OK,
    )
    .await;
    assert!(history.contains("version-2"), "two versions: {history}");

    // The CNRS's editor may not touch it: their form is refused.
    let cnrs = format!("{}agents/cnrs", server.base);
    let other = create_token(
        temp.path(),
        &["--name", "Yann", "--role", "editor", "--publisher", &cnrs],
    );
    let other = sign_in(&server, &other).await;
    page_as(
        &server,
        &format!("{path}/edit"),
        &other,
        StatusCode::FORBIDDEN,
    )
    .await;

    // Deleted after a confirmation.
    let confirm = page_as(&server, &format!("{path}/delete"), &session, StatusCode::OK).await;
    assert!(
        confirm.contains("ten years of counts"),
        "the confirmation names it"
    );
    let deleted = post_as(
        &server,
        &format!("{path}/delete"),
        &session,
        &[
            ("csrf", &csrf_field(&confirm)),
            ("version", &hidden_field(&confirm, "version")),
        ],
    )
    .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let gone = client().get(server.url_of(&paper)).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::GONE);
}

#[tokio::test]
async fn an_editor_describes_their_organisation_and_an_admin_adds_a_person() {
    let (server, _temp, session) = editor_of("ecobio").await;
    // Their organisation's page offers its form; another's does not, nor its form.
    let page = page_as(&server, "agents/ecobio", &session, StatusCode::OK).await;
    assert!(page.contains("agents&#x2f;ecobio&#x2f;edit"), "{page}");
    let page = page_as(&server, "agents/cnrs", &session, StatusCode::OK).await;
    assert!(!page.contains("&#x2f;edit"), "{page}");
    page_as(&server, "agents/cnrs/edit", &session, StatusCode::FORBIDDEN).await;

    let form = page_as(&server, "agents/ecobio/edit", &session, StatusCode::OK).await;
    assert!(form.contains("value=\"Organization\" checked"), "{form}");
    assert!(form.contains("ecobio.univ-rennes.fr"), "{form}");
    let payload = "ECOBIO <script>alert(1)</script>\" onmouseover=\"alert(2)";
    let saved = post_as(
        &server,
        "agents/ecobio/edit",
        &session,
        &[
            ("csrf", &csrf_field(&form)),
            ("version", &hidden_field(&form, "version")),
            ("class", "Organization"),
            ("name_fr", payload),
            ("name_en", "ECOBIO"),
            ("homepage", "https://ecobio.univ-rennes.fr/en/"),
            ("email", "contact@ecobio.example"),
            ("action", "publish"),
        ],
    )
    .await;
    let status = saved.status();
    let body = saved.text().await.unwrap();
    let notes: Vec<_> = body
        .match_indices("class=\"notes\"")
        .map(|(i, _)| &body[i..(i + 400).min(body.len())])
        .collect();
    assert_eq!(status, StatusCode::SEE_OTHER, "{notes:?}");
    let (turtle, _) = turtle_of(&server.url_of(&format!("{}agents/ecobio", server.base))).await;
    assert!(
        turtle.contains("ecobio.univ-rennes.fr/en/")
            && turtle.contains("mailto:contact@ecobio.example"),
        "{turtle}"
    );
    for path in ["agents/ecobio", "agents/ecobio/edit"] {
        let shown = page_as(&server, path, &session, StatusCode::OK).await;
        assert!(
            !shown.contains("<script>alert") && !shown.contains("\" onmouseover"),
            "{path}: {shown}"
        );
        assert!(shown.contains("&lt;script&gt;alert(1)"), "{path}: {shown}");
    }

    // A new agent is an admin's to describe: an editor's is refused, nothing written.
    let blank = page_as(&server, "publish/agents", &session, StatusCode::OK).await;
    let person = [
        ("csrf", csrf_field(&blank)),
        ("class", "Person".to_owned()),
        ("name_fr", "Josiah Carberry".to_owned()),
        ("given_name", "Josiah".to_owned()),
        ("family_name", "Carberry".to_owned()),
        ("affiliation", format!("{}agents/ecobio", server.base)),
        ("action", "publish".to_owned()),
    ];
    let refused = post_as(&server, "publish/agents", &session, &as_pairs(&person)).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let admin = sign_in(&server, ADMIN).await;
    let blank = page_as(
        &server,
        "publish/agents?class=Person",
        &admin,
        StatusCode::OK,
    )
    .await;
    assert!(blank.contains("value=\"Person\" checked"), "{blank}");
    let mut person = person.clone();
    person[0].1 = csrf_field(&blank);
    let created = post_as(&server, "publish/agents", &admin, &as_pairs(&person)).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let agent = format!("{}agents/josiah-carberry", server.base);
    let (turtle, _) = turtle_of(&server.url_of(&agent)).await;
    for said in [
        "foaf:Person",
        "foaf:givenName",
        "\"Carberry\"",
        "org:memberOf",
    ] {
        assert!(turtle.contains(said), "{said}: {turtle}");
    }
    // A name is required.
    let nameless = post_as(
        &server,
        "publish/agents",
        &admin,
        &[
            ("csrf", csrf_field(&blank).as_str()),
            ("class", "Organization"),
        ],
    )
    .await;
    assert_eq!(nameless.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nameless.text().await.unwrap().contains("n-name"));
}

fn as_pairs<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().map(|(n, v)| (*n, v.as_str())).collect()
}

#[tokio::test]
async fn the_dataset_form_picks_the_languages_of_the_data() {
    let (server, _temp, session) = editor_of("ecobio").await;
    let form = page_as(&server, "publish/datasets", &session, StatusCode::OK).await;
    let french = "http:&#x2f;&#x2f;publications.europa.eu&#x2f;resource&#x2f;authority&#x2f;language&#x2f;FRA";
    assert!(
        form.contains(&format!("name=\"language\" value=\"{french}\"")),
        "{form}"
    );
    assert!(
        form.contains("> Breton</label>") || form.contains("> breton</label>"),
        "the regional languages are offered"
    );
    let ecobio = format!("{}agents/ecobio", server.base);
    let created = post_as(
        &server,
        "publish/datasets",
        &session,
        &[
            ("csrf", &csrf_field(&form)),
            ("title_fr", "Toponymes bretons"),
            ("description_fr", "Noms de lieux."),
            ("publisher", &ecobio),
            (
                "language",
                "http://publications.europa.eu/resource/authority/language/FRA",
            ),
            (
                "language",
                "http://publications.europa.eu/resource/authority/language/BRE",
            ),
            ("action", "publish"),
        ],
    )
    .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let dataset = format!("{}datasets/toponymes-bretons", server.base);
    let (turtle, _) = turtle_of(&server.url_of(&dataset)).await;
    assert!(
        turtle.contains("language/BRE") && turtle.contains("language/FRA"),
        "{turtle}"
    );
    let form = page_as(
        &server,
        "datasets/toponymes-bretons/edit",
        &session,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        form.matches("name=\"language\" value=").count(),
        38,
        "every language offered"
    );
    assert_eq!(
        form.matches("language&#x2f;BRE\" checked").count()
            + form.matches("language&#x2f;FRA\" checked").count(),
        2,
        "both kept"
    );
    // The form can write the record back whole (no "cannot show everything" alert).
    assert!(!form.contains("role=\"alert\""), "{form}");
}
