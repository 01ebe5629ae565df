//! Reuses of several datasets, and spam reuses hidden by an admin: a reuse names the
//! datasets of this catalog it uses and shows on each one's page; a name that is not one
//! of ours is refused with nothing written; an admin hides one (kept privately), an
//! editor may not.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::create_token;
use common::pages::{csrf_field, get_as, post_as, sign_in};
use common::{Server, client, get_with};
use reqwest::StatusCode;

const ADMIN: &str = "reuses-admin-secret";
const FIRST: &str = "datasets/inventaire-zones-humides-bretagne";
const SECOND: &str = "datasets/amphibiens-mares-zone-atelier-armorique";

async fn html(url: &str) -> String {
    let page = get_with(url, &[("Accept", "text/html")]).await;
    assert_eq!(page.status(), StatusCode::OK, "{url}");
    page.text().await.unwrap()
}

/// The IRIs of the reuses listed at `{base}reuses` (as Turtle).
async fn reuses(server: &Server) -> String {
    let list = get_with(
        &format!("{}/reuses", server.url),
        &[("Accept", "text/turtle")],
    )
    .await;
    list.text().await.unwrap()
}

#[tokio::test]
async fn a_reuse_of_several_datasets_shows_on_each_and_an_admin_hides_spam() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with(&temp.path().join("data"), &["--admin-token", ADMIN]);
    let declare = |fields: Vec<(&'static str, String)>| {
        let url = format!("{}/{FIRST}/reuses", server.url);
        async move { client().post(url).form(&fields).send().await.unwrap() }
    };
    let second = format!("{}{SECOND}", server.base);
    let fields = |others: &str| {
        vec![
            ("title", "Atlas des milieux humides".to_owned()),
            ("url", "https://example.org/atlas".to_owned()),
            ("kind", "visualisation".to_owned()),
            ("others", others.to_owned()),
        ]
    };
    // Naming what is not a dataset of ours: refused, nothing written.
    for wrong in [
        "https://elsewhere.example/datasets/x",
        &format!("{}datasets/no-such-dataset", server.base),
        &format!("{}agents/ecobio", server.base),
    ] {
        let refused = declare(fields(wrong)).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{wrong}");
    }
    assert!(!reuses(&server).await.contains("Atlas"), "nothing written");

    let sent = declare(fields(&format!("{second}\n\n{second}\n"))).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let turtle = reuses(&server).await;
    assert_eq!(
        turtle.matches(SECOND).count(),
        1,
        "named twice, kept once: {turtle}"
    );
    assert!(
        turtle.contains(SECOND) && turtle.contains(FIRST),
        "{turtle}"
    );
    for page in [FIRST, SECOND] {
        let shown = html(&format!("{}/{page}", server.url)).await;
        assert!(shown.contains("Atlas des milieux humides"), "{page}");
        assert!(!shown.contains("/hide\""), "no hide button for the public");
    }

    // An editor may not hide it; an admin may, from the list of reuses.
    let ecobio = format!("{}agents/ecobio", server.base);
    let editor = create_token(
        temp.path(),
        &["--name", "Zoé", "--role", "editor", "--publisher", &ecobio],
    );
    let editor = sign_in(&server, &editor).await;
    let admin = sign_in(&server, ADMIN).await;
    let list = get_as(&server, "reuses", &admin)
        .await
        .text()
        .await
        .unwrap();
    let at = list.find("/hide\"").unwrap_or_else(|| {
        panic!(
            "a hide button for the admin: {}",
            &list[list.find("<main").unwrap_or(0)..]
        )
    });
    let start = list[..at].rfind("action=\"").unwrap() + "action=\"".len();
    let action = list[start..at].replace("&#x2f;", "/");
    let path = action.trim_start_matches(&server.base).to_owned();
    let hide = format!("{path}/hide");
    let csrf = csrf_field(
        &get_as(&server, "account", &editor)
            .await
            .text()
            .await
            .unwrap(),
    );
    let refused = post_as(&server, &hide, &editor, &[("csrf", &csrf)]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(reuses(&server).await.contains("Atlas"));
    let hidden = post_as(&server, &hide, &admin, &[("csrf", &csrf_field(&list))]).await;
    assert_eq!(hidden.status(), StatusCode::SEE_OTHER);
    assert!(
        !reuses(&server).await.contains("Atlas"),
        "gone from the list"
    );
    for page in [FIRST, SECOND] {
        let shown = html(&format!("{}/{page}", server.url)).await;
        assert!(
            !shown.contains("Atlas des milieux humides"),
            "gone from {page}"
        );
    }
    let gone = client()
        .get(format!("{}/{path}", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    // Hiding it again: there is nothing to hide.
    let again = post_as(&server, &hide, &admin, &[("csrf", &csrf_field(&list))]).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}
