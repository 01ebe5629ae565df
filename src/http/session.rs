//! People signed in to the pages: the session cookie, read once per request by
//! [`signed_in`], and the checks every form that changes something goes through.
//!
//! A session authenticates pages and forms only. The write API still wants a bearer
//! token: a cookie is sent by the browser on its own, so accepting it there would let any
//! site make a signed-in person's browser write (CSRF), and the API's clients are
//! programs that hold a token anyway.

use super::AppState;
use super::errors::HttpError;
use crate::access::{Principal, same_secret};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpMessage, HttpRequest, web};

/// The cookie that carries a session's key.
pub const SESSION_COOKIE: &str = "passerelle_session";

/// Someone signed in to the pages: who, and their session's secrets.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Who they are and what they may do, as their token says today.
    pub who: Principal,
    /// The secret their forms carry.
    pub csrf: String,
    /// Their session cookie's value, to end it.
    pub key: String,
}

impl SignedIn {
    /// What pages show of them.
    pub fn view(&self) -> crate::html::Visitor {
        let publishers = match &self.who.role {
            crate::access::Role::Admin => Vec::new(),
            crate::access::Role::Editor { publishers } => publishers.iter().cloned().collect(),
        };
        crate::html::Visitor {
            name: self.who.name.clone(),
            admin: self.who.is_admin(),
            publishers,
            csrf: self.csrf.clone(),
        }
    }

    /// 403 unless `given` is this session's form secret.
    pub fn check_csrf(&self, given: &str) -> Result<(), HttpError> {
        if same_secret(given.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(HttpError::Forbidden(
                "this form's security code is missing or stale (it protects you from forms on other sites); reload the page and send it again".into(),
            ))
        }
    }
}

/// Who is signed in on `request`, if anyone ([`signed_in`] put them there).
pub fn visitor(request: &HttpRequest) -> Option<SignedIn> {
    request.extensions().get::<SignedIn>().cloned()
}

/// The principal a session stands for: the bootstrap admin when it was opened with the
/// configured admin token, else the holder of its token as the token file says now.
fn holder(state: &AppState, token: &str) -> Result<Option<Principal>, crate::access::AccessError> {
    if let Some(admin) = state.admin_token.as_deref()
        && same_secret(crate::access::digest(admin).as_bytes(), token.as_bytes())
    {
        return Ok(Some(Principal::bootstrap_admin()));
    }
    state.tokens.holder(token)
}

/// The principal holding `token` (as typed on the sign-in form), if any.
pub fn authenticate(state: &AppState, token: &str) -> Result<Option<Principal>, HttpError> {
    holder(state, &crate::access::digest(token.trim())).map_err(HttpError::Access)
}

/// Reads the session cookie: a live session whose token still holds puts [`SignedIn`] in
/// the request; its answer is then personal (`private, no-store`). A cookie of an ended
/// session, or of a revoked token, is cleared.
pub async fn signed_in(
    (cookie_path, secure): (String, bool),
    request: ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let key = request.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
    let Some(key) = key else {
        return next.call(request).await;
    };
    let found = match request.app_data::<web::Data<AppState>>() {
        Some(state) => state.sessions.find(&key).and_then(|session| {
            match holder(state, &session.token) {
                Ok(Some(who)) => Some(SignedIn {
                    who,
                    csrf: session.csrf,
                    key: key.clone(),
                }),
                Ok(None) => {
                    // The token was revoked: its sessions end with it.
                    state.sessions.close(&key);
                    None
                }
                Err(error) => {
                    tracing::warn!(%error, "a session's token could not be checked");
                    None
                }
            }
        }),
        None => None,
    };
    let known = found.is_some();
    if let Some(visitor) = found {
        tracing::debug!(who = %visitor.who.name, "signed in");
        request.extensions_mut().insert(visitor);
    }
    let mut response = next.call(request).await?;
    if known {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    } else {
        response
            .response_mut()
            .add_removal_cookie(&session_cookie(String::new(), (cookie_path, secure)))?;
    }
    Ok(response)
}

/// The session cookie holding `value`: for the pages under the base only, never sent by
/// scripts nor along with other sites' cross-site posts, over TLS when the base is https.
pub fn session_cookie(value: String, (path, secure): (String, bool)) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, value)
        .path(path)
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

/// 403 when a browser says the form was sent from another site: the `Origin` header of a
/// POST, when there is one, must be the base IRI's (a second line behind the CSRF code,
/// and the only one for forms that need no session).
pub fn same_origin(request: &HttpRequest, state: &AppState) -> Result<(), HttpError> {
    let Some(origin) = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(());
    };
    let base = state.store.base().as_str();
    let ours = base
        .find("://")
        .and_then(|scheme| {
            base[scheme + 3..]
                .find('/')
                .map(|path| &base[..scheme + 3 + path])
        })
        .unwrap_or(base);
    if origin.eq_ignore_ascii_case(ours) {
        Ok(())
    } else {
        Err(HttpError::Forbidden(format!(
            "this form was sent from {origin}, not from this site; forms are only accepted from {ours}"
        )))
    }
}
