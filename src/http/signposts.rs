//! `GET {base}{kind}/{id}/linkset`: a dataset's or data paper's FAIR Signposting linkset
//! (RFC 9264), as `application/linkset+json` or `application/linkset`, with every signpost
//! (the `Link` header of its landing page may carry only the essentials).

use super::AppState;
use super::errors::HttpError;
use super::extract::RecordPath;
use super::respond::{accept, http_date, not_modified, short_hash};
use crate::exports::Work;
use crate::exports::signposting::{linkset_json, linkset_text, signposts};
use crate::exports::work::Catalog;
use crate::model::ResourceKind;
use crate::rdf::{Offer, negotiate};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

/// The linkset media types, JSON first (what FAIR tools read most).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Linkset {
    Json,
    Text,
}

impl Offer for Linkset {
    fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/linkset+json",
            Self::Text => "application/linkset",
        }
    }
}

/// The linkset of the dataset or data paper at `path`.
pub async fn linkset(
    request: HttpRequest,
    path: RecordPath,
    state: actix_web::web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    if !matches!(path.kind, ResourceKind::Dataset | ResourceKind::DataPaper) {
        return Err(HttpError::NoRoute(request.path().to_owned()));
    }
    let offers = [Linkset::Json, Linkset::Text];
    let chosen = negotiate(accept(&request), &offers)
        .ok_or_else(|| HttpError::NotAcceptable(offers.iter().map(|o| o.media_type()).collect()))?;
    let description = state.described(&path).await?;
    let base = state.store.base();
    let page = base.resource(path.kind, &path.id);
    let catalog = Catalog {
        iri: base.as_str(),
        titles: &[],
    };
    let work = Work::read(&description, page.as_str(), &catalog).ok_or_else(|| path.not_found())?;
    let posts = signposts(&work, page.as_str());
    let body = match chosen {
        Linkset::Json => linkset_json(&posts, page.as_str()).to_string(),
        Linkset::Text => linkset_text(&posts, page.as_str()),
    };
    let etag = format!("\"{}\"", short_hash(body.as_bytes()));
    let modified = description.modified.map(http_date);
    let other = match chosen {
        Linkset::Json => Linkset::Text,
        Linkset::Text => Linkset::Json,
    };
    let mut response = if not_modified(&request, &etag, modified) {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::VARY, "Accept"))
        .insert_header((header::ETAG, etag))
        .insert_header((
            header::LINK,
            format!(
                "<{page}/linkset>; rel=\"alternate\"; type=\"{}\"",
                other.media_type()
            ),
        ));
    if let Some(date) = modified {
        response.insert_header((header::LAST_MODIFIED, date));
    }
    Ok(response
        .content_type(format!("{}; charset=utf-8", chosen.media_type()))
        .body(body))
}
