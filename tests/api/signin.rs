//! Signing in to the pages with a token: the session cookie and its attributes, CSRF on the
//! sign-in and sign-out forms, who is signed in shown on pages that are then private,
//! expiry and revocation, and a session that never authenticates the bearer API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::create_token;
use common::pages::{csrf_field, get_as, post_signin, set_cookie, sign_in, signin_form};
use common::{Server, client};
use reqwest::StatusCode;

const ADMIN: &str = "signin-admin-secret";
/// An editor's token name, with markup that every page must escape.
const EDITOR: &str = "Zoé <b>Ecobio</b>";
const DATASET: &str = "datasets/inventaire-zones-humides-bretagne";

/// A server with the demo catalog and an admin token (and `flags`), and an editor's token.
fn server(flags: &[&str]) -> (Server, tempfile::TempDir, String) {
    let temp = tempfile::tempdir().unwrap();
    let mut all = vec!["--admin-token", ADMIN];
    all.extend_from_slice(flags);
    let server = Server::start_with(&temp.path().join("data"), &all);
    let ecobio = format!("{}agents/ecobio", server.base);
    let editor = create_token(
        temp.path(),
        &["--name", EDITOR, "--role", "editor", "--publisher", &ecobio],
    );
    (server, temp, editor)
}

/// Signs out of `session` with the form's `csrf` code.
async fn sign_out(server: &Server, session: &str, csrf: &str) -> reqwest::Response {
    client()
        .post(format!("{}/signout", server.url))
        .header("Cookie", format!("passerelle_session={session}"))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_token_opens_a_session_whose_cookie_is_guarded() {
    let (server, _temp, editor) = server(&[]);
    let (csrf, cookie) = signin_form(&server).await;
    let next = format!("{}{DATASET}", server.base);
    let response = post_signin(&server, &editor, Some(&next), (&csrf, Some(&cookie))).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        next.as_str(),
        "back to the page"
    );
    let (session, line) = set_cookie(&response, "passerelle_session").unwrap();
    assert_eq!(session.len(), 64, "256 random bits: {line}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=28800"] {
        assert!(line.contains(attribute), "{attribute} missing: {line}");
    }
    assert!(
        !line.contains("Secure"),
        "an http base cannot use Secure: {line}"
    );
    assert!(
        !line.contains(&editor),
        "the token itself is never in a cookie"
    );
    let cleared = set_cookie(&response, "passerelle_signin").unwrap().1;
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    // The account page names them (escaped) and their publishers, for them alone.
    let account = get_as(&server, "account", &session).await;
    assert_eq!(account.status(), StatusCode::OK);
    assert_eq!(account.headers()["cache-control"], "private, no-store");
    let page = account.text().await.unwrap();
    assert!(page.contains("Zoé &lt;b&gt;Ecobio&lt;"), "escaped name");
    assert!(!page.contains("<b>Ecobio</b>"));
    // (Templates escape every `/` too.)
    assert!(page.contains("agents&#x2f;ecobio"), "their publisher");

    // A dataset page says who is signed in, and is not kept by any shared cache; the same
    // page without the cookie is the shared one, with the way to sign in.
    let signed = get_as(&server, DATASET, &session).await;
    assert_eq!(signed.headers()["cache-control"], "private, no-store");
    let signed = signed.text().await.unwrap();
    assert!(signed.contains("Zoé &lt;b&gt;Ecobio&lt;") && signed.contains("signout\""));
    let anonymous = client()
        .get(format!("{}/{DATASET}", server.url))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(anonymous.headers().get("cache-control").is_none());
    let anonymous = anonymous.text().await.unwrap();
    assert!(!anonymous.contains("Ecobio&lt;") && anonymous.contains("signin?next="));
    // Asked again signed in (now that the shared page is cached): still theirs.
    let again = get_as(&server, DATASET, &session)
        .await
        .text()
        .await
        .unwrap();
    assert!(again.contains("Zoé &lt;b&gt;Ecobio&lt;"));
}

#[tokio::test]
async fn the_sign_in_form_refuses_what_it_did_not_hand_out() {
    let (server, _temp, editor) = server(&[]);
    let (csrf, cookie) = signin_form(&server).await;
    // No cookie, or a code that is not the cookie's: another site's form.
    for (code, jar) in [
        (csrf.as_str(), None),
        ("forged", Some(cookie.as_str())),
        ("", Some("")),
    ] {
        let response = post_signin(&server, &editor, None, (code, jar)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(set_cookie(&response, "passerelle_session").is_none());
        let page = response.text().await.unwrap();
        assert!(page.contains("expired"), "the page says why: {page}");
    }
    // A wrong token: the form again, saying so, and no session.
    let response = post_signin(&server, "psl_wrong", None, (&csrf, Some(&cookie))).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(set_cookie(&response, "passerelle_session").is_none());
    assert!(response.text().await.unwrap().contains("not valid here"));
    // A post that a browser says comes from another site.
    let response = client()
        .post(format!("{}/signin", server.url))
        .header("Origin", "http://evil.example")
        .header("Cookie", format!("passerelle_signin={cookie}"))
        .form(&[("token", editor.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // `next` never leads off the site (no open redirection).
    let response = post_signin(
        &server,
        &editor,
        Some("https://evil.example/"),
        (&csrf, Some(&cookie)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        format!("{}account", server.base).as_str()
    );
}

#[tokio::test]
async fn a_session_never_authenticates_the_write_api() {
    let (server, _temp, _) = server(&[]);
    let session = sign_in(&server, ADMIN).await;
    let account = get_as(&server, "account", &session)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        account.contains("administrator"),
        "the bootstrap admin signs in too"
    );
    let turtle = "<x> a <http://www.w3.org/ns/dcat#Dataset> .";
    let response = client()
        .post(format!("{}/api/datasets", server.url))
        .header("Cookie", format!("passerelle_session={session}"))
        .header("Content-Type", "text/turtle")
        .body(turtle)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let update = client()
        .post(format!("{}/sparql", server.url))
        .header("Cookie", format!("passerelle_session={session}"))
        .form(&[("update", "INSERT DATA { <a:b> <a:c> <a:d> }")])
        .send()
        .await
        .unwrap();
    assert_eq!(update.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn signing_out_needs_the_form_code_and_ends_the_session() {
    let (server, _temp, editor) = server(&[]);
    let session = sign_in(&server, &editor).await;
    let page = get_as(&server, "account", &session)
        .await
        .text()
        .await
        .unwrap();
    let csrf = csrf_field(&page);
    // Without the session's code (a forged form): refused, still signed in.
    let forged = sign_out(&server, &session, "forged").await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        get_as(&server, "account", &session).await.status(),
        StatusCode::OK
    );
    // With it: signed out, the cookie cleared, the session gone for good.
    let out = sign_out(&server, &session, &csrf).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let cleared = set_cookie(&out, "passerelle_session").unwrap().1;
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let after = get_as(&server, "account", &session).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    let location = after.headers()["location"].to_str().unwrap();
    assert!(location.contains("/signin?next="), "{location}");
}

#[tokio::test]
async fn sessions_end_when_they_expire_or_their_token_is_revoked() {
    let (server, temp, editor) = server(&["--session-lifetime", "2"]);
    let session = sign_in(&server, &editor).await;
    assert_eq!(
        get_as(&server, "account", &session).await.status(),
        StatusCode::OK
    );
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let expired = get_as(&server, "account", &session).await;
    assert_eq!(expired.status(), StatusCode::SEE_OTHER, "expired");
    let cleared = set_cookie(&expired, "passerelle_session").unwrap().1;
    assert!(
        cleared.contains("Max-Age=0"),
        "the stale cookie is cleared: {cleared}"
    );

    let session = sign_in(&server, &editor).await;
    assert_eq!(
        get_as(&server, "account", &session).await.status(),
        StatusCode::OK
    );
    let revoked = common::run(
        temp.path(),
        &["token", "revoke", "--data-dir", "data", EDITOR],
    );
    assert!(revoked.status.success(), "{revoked:?}");
    let after = get_as(&server, "account", &session).await;
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "revoking the token ends it"
    );
}

#[tokio::test]
async fn an_https_base_gets_secure_cookies() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_full(
        &temp.path().join("data"),
        common::free_port(),
        Some("https://donnees.example.org/catalogue/"),
        &["--admin-token", ADMIN],
    );
    let response = client()
        .get(format!("{}/signin", server.url))
        .send()
        .await
        .unwrap();
    let (cookie, line) = set_cookie(&response, "passerelle_signin").unwrap();
    assert!(
        line.contains("Secure") && line.contains("Path=/catalogue/"),
        "{line}"
    );
    let csrf = csrf_field(&response.text().await.unwrap());
    let response = post_signin(&server, ADMIN, None, (&csrf, Some(&cookie))).await;
    let line = set_cookie(&response, "passerelle_session").unwrap().1;
    assert!(
        line.contains("Secure") && line.contains("Path=/catalogue/"),
        "{line}"
    );
}
