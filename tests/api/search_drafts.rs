//! Drafts in search (issue 28): found by the editors who may write them (and an
//! administrator), never by anyone else, nor in completions; a bad token is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use super::search::{DATASET, ids, model, search, urlencode};
use common::api::{ADMIN, api_request, create, header};
use common::{Server, client};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;

#[tokio::test]
async fn drafts_are_found_by_their_editors_only() {
    let (server, temp) = common::api::server();
    search(&server, "").await;
    let draft = DATASET
        .replace("TITLE", "Brouillon des hermines")
        .replace("<loutres>", "<hermines>");
    let created = create(&server, "datasets?status=draft", &draft).await;
    let later = (time::OffsetDateTime::now_utc() + time::Duration::days(30))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let held = DATASET
        .replace("TITLE", "Hermines sous embargo")
        .replace("<loutres>", "<hermines-embargo>");
    let path = format!("datasets?embargo={}", urlencode(&later));
    let embargoed = create(&server, &path, &held).await;
    let found = search(&server, "q=hermines").await;
    assert_eq!(found["total"], 0, "{found}");
    // Their editors find them, marked as drafts; an editor of another publisher does not;
    // an administrator finds every draft.
    let editor = |name: &str, agent: &str| {
        let agent = format!("{}agents/{agent}", server.base);
        let args = ["--name", name, "--role", "editor", "--publisher", &agent];
        common::api::create_token(temp.path(), &args)
    };
    let (ecobio, cnrs) = (editor("alice", "ecobio"), editor("bob", "cnrs"));
    let id = header(&created, "location")
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let theirs = search_as(&server, "q=hermines", &ecobio).await;
    assert_eq!(theirs["total"], 2, "{theirs}");
    assert!(ids(&theirs).contains(&id));
    for result in theirs["results"].as_array().unwrap() {
        assert_eq!(result["status"], "draft", "{result}");
    }
    assert_eq!(theirs["facets"]["publisher"][0]["count"], 2, "{theirs}");
    assert_eq!(search_as(&server, "q=hermines", &cnrs).await["total"], 0);
    // Completions are offered to anyone typing: published titles only.
    let completions = completions_of(&server, "hermi").await;
    assert_eq!(completions, serde_json::json!([]), "a draft's title leaked");
    // The page for people with the editor's token: the draft, marked, kept private.
    let page = client()
        .get(format!("{}/search?q=hermines", server.url))
        .header("Accept", "text/html")
        .header("Authorization", format!("Bearer {ecobio}"))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&page, "cache-control"), "private, no-store");
    assert!(header(&page, "vary").contains("Authorization"));
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Brouillon des hermines") && html.contains("class=\"tag\">Draft<"),
        "{html}"
    );
    assert_eq!(search_as(&server, "q=hermines", ADMIN).await["total"], 2);
    // A token nobody holds is refused, not taken for anonymous.
    let refused = client()
        .get(format!("{}/search?q=hermines", server.url))
        .header("Authorization", "Bearer psl_nobody")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    // Published, the draft is found by the next search.
    let (_, etag) = model(&server, &format!("datasets/{id}")).await;
    let path = format!("datasets/{id}?status=published");
    let published = api_request(
        &server,
        reqwest::Method::PUT,
        &path,
        Some((&draft, "text/turtle")),
        ADMIN,
        Some(&etag),
    )
    .await;
    assert_eq!(
        published.status(),
        StatusCode::OK,
        "{}",
        published.text().await.unwrap()
    );
    assert!(ids(&search(&server, "q=hermines").await).contains(&id));
    let completions = completions_of(&server, "brouillon+des+hermi").await;
    assert_eq!(
        completions[0]["id"],
        id.as_str(),
        "published, it is completed"
    );
    let published = search_as(&server, "q=hermines", &ecobio).await;
    assert_eq!(
        published["total"], 2,
        "the draft is not there twice: {published}"
    );
    // A draft discarded leaves its editor's search.
    let embargoed_id = header(&embargoed, "location")
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let (_, etag) = model(&server, &format!("datasets/{embargoed_id}")).await;
    let path = format!("datasets/{embargoed_id}");
    let discarded = api_request(
        &server,
        reqwest::Method::DELETE,
        &path,
        None,
        ADMIN,
        Some(&etag),
    )
    .await;
    assert!(discarded.status().is_success(), "{}", discarded.status());
    let left = search_as(&server, "q=hermines", &ecobio).await;
    assert_eq!(ids(&left), BTreeSet::from([id]), "{left}");
}

/// The completions `GET /search/suggest?q={typed}` offers to anyone.
async fn completions_of(server: &Server, typed: &str) -> Value {
    let url = format!("{}/search/suggest?q={typed}", server.url);
    client()
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The JSON answer of `GET /search?{query}` for the holder of `token`.
async fn search_as(server: &Server, query: &str, token: &str) -> Value {
    let response = client()
        .get(format!("{}/search?{query}", server.url))
        .header("Authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    response.json().await.unwrap()
}
