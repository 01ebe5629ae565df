//! Dereferencing: the catalog at `{base}` and every record kind at `{base}{kind}/{id}`.

use super::AppState;
use super::cache::CacheKey;
use super::errors::HttpError;
use super::respond::{Rendered, choose, respond, split_suffix};
use crate::html::{PageContext, PageError, Pages};
use crate::model::{RecordId, ResourceKind, Variants};
use crate::rdf::{Representation, parse_quality, serialize};
use crate::store::{CatalogStore, Description, to_millis};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

/// `GET|HEAD {base}{kind}/{id}[.ext]`.
pub async fn resource(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (segment, last) = path.into_inner();
    let kind = ResourceKind::ALL
        .into_iter()
        .find(|k| k.path_segment() == segment)
        .ok_or_else(|| HttpError::NoRoute(request.path().to_owned()))?;
    let not_found = || HttpError::NotFound {
        kind: kind.label(),
        id: last.clone(),
    };
    let (id, suffix) = split_suffix(&last).ok_or_else(not_found)?;
    let id = RecordId::parse(id).map_err(|_| not_found())?;
    let representation = choose(&request, suffix)?;
    let language = preferred_language(&request);
    let key = CacheKey::new(format!("{segment}/{id}"), representation, language);
    let asked = id.clone();
    let rendered = state
        .rendered(key, move |store, pages| {
            let Some(description) = store.describe(kind, &id)? else {
                return Ok(None);
            };
            let html: PageFn = match kind {
                ResourceKind::Dataset => Pages::dataset,
                _ => Pages::resource,
            };
            let iri = store.base().resource(kind, &id).as_str().to_owned();
            let page = PageContext {
                base: store.base().as_str(),
                iri: &iri,
                kind: kind.label(),
                language,
            };
            let body = render(&description, representation, &page, html, pages)?;
            Ok(Some(Rendered::new(
                body,
                representation,
                description.modified,
                description.modified.map(to_millis),
                Variants::of(&iri),
            )))
        })
        .await?;
    match rendered {
        Some(rendered) => Ok(respond(&request, &rendered)),
        None => Err(missing(&state, kind, asked, not_found()).await),
    }
}

/// 410 for a dataset (or its record) that was withdrawn, else `not_found`.
async fn missing(
    state: &AppState,
    kind: ResourceKind,
    id: RecordId,
    not_found: HttpError,
) -> HttpError {
    if !matches!(kind, ResourceKind::Dataset | ResourceKind::Record) {
        return not_found;
    }
    let store = state.store.clone();
    let label = id.as_str().to_owned();
    match web::block(move || store.is_withdrawn(&id)).await {
        Ok(Ok(true)) => HttpError::Gone {
            kind: kind.label(),
            id: label,
        },
        Ok(Ok(false)) => not_found,
        Ok(Err(error)) => HttpError::Store(error),
        Err(_) => HttpError::Unavailable,
    }
}

/// `GET|HEAD {base}`: the catalog as RDF, or the landing page.
pub async fn catalog(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let representation = choose(&request, None)?;
    let language = preferred_language(&request);
    let key = CacheKey::new(String::new(), representation, language);
    let rendered = state
        .rendered(key, move |store: &CatalogStore, pages| {
            let description = store.describe_catalog()?;
            let base = store.base().as_str();
            let page = PageContext {
                base,
                iri: base,
                kind: "catalog",
                language,
            };
            let body = render(&description, representation, &page, Pages::catalog, pages)?;
            Ok(Some(Rendered::new(
                body,
                representation,
                description.modified,
                None,
                Variants::of(base),
            )))
        })
        .await?
        .ok_or(HttpError::Unavailable)?;
    Ok(respond(&request, &rendered))
}

/// One of the [`Pages`] renderers.
type PageFn = fn(&Pages, &Description, &PageContext<'_>) -> Result<String, PageError>;

fn render(
    description: &Description,
    representation: Representation,
    page: &PageContext<'_>,
    html: PageFn,
    pages: &Pages,
) -> Result<Vec<u8>, HttpError> {
    if representation == Representation::Html {
        html(pages, description, page)
            .map(String::into_bytes)
            .map_err(HttpError::from)
    } else {
        serialize(&description.quads, representation).map_err(HttpError::Serialize)
    }
}

/// `fr` when the client ranks French above English in `Accept-Language`, else `en`.
pub(super) fn preferred_language(request: &HttpRequest) -> &'static str {
    let header = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(&'static str, u16)> = None;
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = pieces
            .find_map(|p| p.trim().strip_prefix("q=").map(|q| parse_quality(q.trim())))
            .unwrap_or(Some(1000));
        let language = match tag.split('-').next() {
            Some("fr") => "fr",
            Some("en") => "en",
            _ => continue,
        };
        match quality {
            Some(q) if q > 0 && best.is_none_or(|(_, b)| q > b) => best = Some((language, q)),
            _ => {}
        }
    }
    best.map_or("en", |(language, _)| language)
}

#[cfg(test)]
mod tests {
    use super::preferred_language;
    use actix_web::test::TestRequest;

    #[test]
    fn page_language_follows_accept_language() {
        let pick = |header: &str| {
            preferred_language(
                &TestRequest::default()
                    .insert_header(("Accept-Language", header))
                    .to_http_request(),
            )
        };
        assert_eq!(pick("fr-FR,fr;q=0.9,en;q=0.5"), "fr");
        assert_eq!(pick("en-GB,fr;q=0.8"), "en");
        assert_eq!(pick("de, fr;q=0.5"), "fr");
        assert_eq!(pick("fr;q=0, en;q=0"), "en", "q=0 excludes");
        assert_eq!(pick("fr;q=0"), "en");
        assert_eq!(pick("es"), "en");
        assert_eq!(pick(""), "en");
    }
}
