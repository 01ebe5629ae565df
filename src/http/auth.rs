//! Bearer tokens: the bootstrap admin token of the configuration, then the token file.

use super::AppState;
use super::errors::HttpError;
use crate::access::{Principal, same_secret};
use crate::store::{CurrentRecord, Provenance};
use actix_web::HttpRequest;
use actix_web::http::header;

/// Who sent `request`: 401 without a bearer token, 403 with one nobody holds.
pub(super) fn principal(request: &HttpRequest, state: &AppState) -> Result<Principal, HttpError> {
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(HttpError::Unauthorized)?;
    if let Some(admin) = state.admin_token.as_deref()
        && same_secret(given.as_bytes(), admin.as_bytes())
    {
        return Ok(Principal::bootstrap_admin());
    }
    match state.tokens.authenticate(given) {
        Ok(Some(principal)) => Ok(principal),
        Ok(None) if let Ok(Some(at)) = state.tokens.expiry_of(given) => Err(
            HttpError::Forbidden(format!("this token expired at {at}; ask for a new one")),
        ),
        Ok(None) if state.admin_token.is_none() => Err(HttpError::Forbidden(
            "this token is not valid here: it was not made by `passerelle token create`, and no admin token is configured".into(),
        )),
        Ok(None) => Err(HttpError::Forbidden("this token is not valid here".into())),
        Err(error) => Err(HttpError::Access(error)),
    }
}

/// Whether the request's token may write (and so see, as a draft) `current`.
pub(super) fn may_write(request: &HttpRequest, state: &AppState, current: &CurrentRecord) -> bool {
    principal(request, state)
        .is_ok_and(|who| who.may_write_for(current.owners.iter().map(String::as_str)))
}

/// An administrator, or 401/403.
pub(super) fn admin(request: &HttpRequest, state: &AppState) -> Result<Principal, HttpError> {
    let principal = principal(request, state)?;
    if principal.is_admin() {
        Ok(principal)
    } else {
        Err(HttpError::Forbidden(format!(
            "token {:?} is an editor's; this needs an admin token",
            principal.name
        )))
    }
}

/// Who wrote, from where: the token's name and the client's address.
pub(super) fn provenance(request: &HttpRequest, who: &Principal) -> Provenance {
    let from = request
        .peer_addr()
        .map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string());
    Provenance {
        agent: who.name.clone(),
        source: format!("HTTP API from {from}"),
    }
}
