//! A person in the pages, over HTTP: the session cookie, the CSRF code of forms, posts.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::{Server, client};
use reqwest::StatusCode;

/// The value of the cookie `name` that `response` sets, and the whole `Set-Cookie` line.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<(String, String)> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|line| line.starts_with(&format!("{name}=")))
        .map(|line| {
            let value = line[name.len() + 1..].split(';').next().unwrap_or("");
            (value.to_owned(), line.to_owned())
        })
}

/// The value of the hidden `csrf` field of the first form in `page`.
pub fn csrf_field(page: &str) -> String {
    hidden_field(page, "csrf")
}

/// The value of the first field named `name` in `page` (as the template writes it).
pub fn hidden_field(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field"))
        + marker.len();
    unescape(page[at..].split('"').next().unwrap())
}

/// What a browser reads of an attribute's text (the entities our templates write).
pub fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The sign-in form: its CSRF code and the cookie that goes with it.
pub async fn signin_form(server: &Server) -> (String, String) {
    let response = client()
        .get(format!("{}/signin", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (cookie, line) = set_cookie(&response, "passerelle_signin").expect("the form's cookie");
    assert!(
        line.contains("HttpOnly") && line.contains("SameSite=Strict"),
        "{line}"
    );
    let page = response.text().await.unwrap();
    assert!(
        page.contains("type=\"password\""),
        "the token is typed unseen"
    );
    (csrf_field(&page), cookie)
}

/// Posts the sign-in form with `token`, `next` and a CSRF code and cookie as given.
pub async fn post_signin(
    server: &Server,
    token: &str,
    next: Option<&str>,
    (csrf, cookie): (&str, Option<&str>),
) -> reqwest::Response {
    let mut form = vec![("token", token), ("csrf", csrf)];
    if let Some(next) = next {
        form.push(("next", next));
    }
    let mut request = client().post(format!("{}/signin", server.url)).form(&form);
    if let Some(cookie) = cookie {
        request = request.header("Cookie", format!("passerelle_signin={cookie}"));
    }
    request.send().await.unwrap()
}

/// Signs in with `token`; returns the session cookie's value.
pub async fn sign_in(server: &Server, token: &str) -> String {
    let (csrf, cookie) = signin_form(server).await;
    let response = post_signin(server, token, None, (&csrf, Some(&cookie))).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    set_cookie(&response, "passerelle_session")
        .expect("a session")
        .0
}

/// The page at `url` as a browser gets it (asserting `200`).
pub async fn html(url: &str) -> String {
    let answer = client()
        .get(url)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), reqwest::StatusCode::OK, "{url}");
    answer.text().await.unwrap()
}

/// GET `path` (under the server's URL) as a browser of the session `session`.
pub async fn get_as(server: &Server, path: &str, session: &str) -> reqwest::Response {
    client()
        .get(format!("{}/{path}", server.url))
        .header("Accept", "text/html")
        .header("Cookie", format!("passerelle_session={session}"))
        .send()
        .await
        .unwrap()
}

/// POSTs the form `fields` to `path` in the session `session`.
pub async fn post_as(
    server: &Server,
    path: &str,
    session: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    client()
        .post(format!("{}/{path}", server.url))
        .header("Cookie", format!("passerelle_session={session}"))
        .form(fields)
        .send()
        .await
        .unwrap()
}
