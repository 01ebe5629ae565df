//! Signing in to the pages with a token (`{base}signin`), signing out (`{base}signout`)
//! and the account page (`{base}account`).
//!
//! The sign-in form has no session to hold its CSRF secret yet, so it sets the secret in a
//! short-lived cookie as well as in the form, and the post must bring both (the "double
//! submit" pattern): another site can make a browser post a form, not read or set our
//! cookie. That keeps anyone from signing a person in under someone else's token.

use super::AppState;
use super::errors::HttpError;
use super::extract::Language;
use super::respond::{private_page as html, see_other};
use super::session::{SESSION_COOKIE, authenticate, same_origin, session_cookie, visitor};
use crate::access::same_secret;
use crate::html::{Frame, SignInForm};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

/// The cookie that holds the sign-in form's secret until it is posted.
const SIGNIN_COOKIE: &str = "passerelle_signin";

/// What the sign-in form posts.
#[derive(Deserialize)]
pub struct SignInPost {
    token: String,
    #[serde(default)]
    csrf: String,
    next: Option<String>,
}

/// What a form that only needs its CSRF code posts (signing out).
#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// `GET {base}signin`: the form (or the account page for someone signed in already).
pub async fn form(
    request: HttpRequest,
    Language(language): Language,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let next = super::respond::query_parameter(&request, "next")?;
    if visitor(&request).is_some() {
        return Ok(see_other(&landing_after(&state, next.as_deref())));
    }
    page(
        &state,
        language,
        next.as_deref(),
        None,
        actix_web::http::StatusCode::OK,
    )
}

/// `POST {base}signin`: opens a session for a valid token and goes on to `next` (or the
/// account page); else the form again, saying why, with 403.
pub async fn sign_in(
    request: HttpRequest,
    Language(language): Language,
    form: web::Form<SignInPost>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    same_origin(&request, &state)?;
    let form = form.into_inner();
    let next = form.next.as_deref();
    let forbidden = actix_web::http::StatusCode::FORBIDDEN;
    let expected = request.cookie(SIGNIN_COOKIE);
    let fresh = expected.is_some_and(|c| {
        !form.csrf.is_empty() && same_secret(c.value().as_bytes(), form.csrf.as_bytes())
    });
    if !fresh {
        return page(&state, language, next, Some("signin_stale_form"), forbidden);
    }
    let Some(who) = authenticate(&state, &form.token)? else {
        tracing::info!("a sign-in with an unknown token was refused");
        return page(
            &state,
            language,
            next,
            Some("signin_unknown_token"),
            forbidden,
        );
    };
    let (key, _) = state
        .sessions
        .open(crate::access::digest(form.token.trim()))
        .map_err(HttpError::Access)?;
    tracing::info!(who = %who.name, "signed in");
    let lifetime = state.sessions.lifetime();
    let mut cookie = session_cookie(key.0, cookie_scope(&state));
    cookie.set_max_age(actix_web::cookie::time::Duration::seconds(
        i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX),
    ));
    let mut response = see_other(&landing_after(&state, next));
    response.add_cookie(&cookie).map_err(cookie_error)?;
    response
        .add_removal_cookie(&signin_cookie(String::new(), &state))
        .map_err(cookie_error)?;
    Ok(response)
}

/// `POST {base}signout`: ends the session (its form must carry its CSRF code) and goes
/// back to the landing page.
pub async fn sign_out(
    request: HttpRequest,
    form: web::Form<CsrfOnly>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    same_origin(&request, &state)?;
    let mut response = see_other(state.store.base().as_str());
    if let Some(visitor) = visitor(&request) {
        visitor.check_csrf(&form.csrf)?;
        state.sessions.close(&visitor.key);
        tracing::info!(who = %visitor.who.name, "signed out");
    }
    if request.cookie(SESSION_COOKIE).is_some() {
        response
            .add_removal_cookie(&session_cookie(String::new(), cookie_scope(&state)))
            .map_err(cookie_error)?;
    }
    Ok(response)
}

/// `GET {base}account`: who is signed in and what they may edit; the sign-in form first
/// for someone who is not.
pub async fn account(
    request: HttpRequest,
    Language(language): Language,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let base = state.store.base().as_str();
    let here = format!("{base}account");
    let Some(visitor) = visitor(&request) else {
        return Ok(signin_first(&state, &here));
    };
    let view = visitor.view();
    let frame = Frame {
        base,
        language,
        here: &here,
        kind: "account",
        visitor: Some(&view),
    };
    let done = super::respond::query_parameter(&request, "done")?
        .filter(|d| d == "deleted")
        .map(|_| "done_deleted");
    let body = state.pages.account(&view, done, &frame)?;
    Ok(html(actix_web::http::StatusCode::OK, body))
}

/// 303 to the sign-in form, which comes back to `here` after.
pub(super) fn signin_first(state: &AppState, here: &str) -> HttpResponse {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", here)
        .finish();
    see_other(&format!("{}signin?{query}", state.store.base()))
}

/// The sign-in page with a fresh CSRF secret (in the form and in its cookie).
fn page(
    state: &AppState,
    language: &'static str,
    next: Option<&str>,
    problem: Option<&'static str>,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, HttpError> {
    let csrf = crate::access::random_hex().map_err(HttpError::Access)?;
    let base = state.store.base().as_str();
    let here = format!("{base}signin");
    let frame = Frame {
        base,
        language,
        here: &here,
        kind: "signin",
        visitor: None,
    };
    let next = next.filter(|n| ours(state, n));
    let form = SignInForm {
        csrf: &csrf,
        next,
        problem,
    };
    let body = state.pages.sign_in(&form, &frame)?;
    let mut response = html(status, body);
    response
        .add_cookie(&signin_cookie(csrf, state))
        .map_err(cookie_error)?;
    Ok(response)
}

/// Where to go once signed in: `next` when it is one of our pages, else the account page.
fn landing_after(state: &AppState, next: Option<&str>) -> String {
    match next.filter(|n| ours(state, n)) {
        Some(next) => next.to_owned(),
        None => format!("{}account", state.store.base()),
    }
}

/// Whether `url` is a page of ours (never a redirection elsewhere: an open redirect would
/// lend our name to a phishing link).
fn ours(state: &AppState, url: &str) -> bool {
    url.starts_with(state.store.base().as_str()) && !url.contains(['\r', '\n'])
}

/// The cookie holding the sign-in form's secret: an hour, this site's forms only.
fn signin_cookie(value: String, state: &AppState) -> Cookie<'static> {
    let (path, secure) = cookie_scope(state);
    Cookie::build(SIGNIN_COOKIE, value)
        .path(path)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(actix_web::cookie::time::Duration::hours(1))
        .finish()
}

/// The path cookies are set for (the base's) and whether they need TLS (an https base).
pub fn cookie_scope(state: &AppState) -> (String, bool) {
    let base = state.store.base();
    let path = format!("{}/", base.path().trim_end_matches('/'));
    (path, base.as_str().starts_with("https:"))
}

/// A cookie our own code built could not be written (a defect): 500.
fn cookie_error(error: actix_web::error::HttpError) -> HttpError {
    HttpError::Serialize(std::io::Error::other(format!(
        "a cookie could not be set: {error}"
    )))
}
