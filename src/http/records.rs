//! Dereferencing: the catalog at `{base}` and every record kind at `{base}{kind}/{id}`.

use super::AppState;
use super::cache::CacheKey;
use super::errors::HttpError;
use super::extract::{Language, RecordPath};
use super::page::Page;
use super::respond::{Rendered, accept, choose, query_parameter, respond};
use crate::exports::profile::{Asked, Refusal};
use crate::exports::work::Catalog;
use crate::exports::{Format, ProfileChoice, Work, negotiate_record, signposting};
use crate::html::{PageContext, PageError, Pages};
use crate::model::{RecordId, RecordKind, ResourceKind, Variants};
use crate::rdf::{Representation, serialize};
use crate::store::{CatalogStore, Description};
use crate::store::{Histories, Lookups, Records};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

/// `GET|HEAD {base}{kind}/{id}[.ext]`: the published record (rendered once per store
/// generation), else an earlier version (`?version=N`), else a draft its writers may see;
/// in the format and profile the request negotiates (see [`negotiate_record`]).
pub async fn resource(
    request: HttpRequest,
    path: RecordPath,
    Language(language): Language,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let format = match record_choice(&request, &path)? {
        ProfileChoice::Serve(format) => format,
        ProfileChoice::Alternates(syntax) => {
            return super::profiles::alternates(&request, &state, &path, syntax).await;
        }
    };
    let asked = (format, language);
    if let Some(number) = version_parameter(&request)? {
        return version(&request, &state, &path, number, asked).await;
    }
    let visitor = super::session::visitor(&request).map(|v| v.view());
    if let Some(rendered) = published(&state, &path, asked, visitor).await? {
        return Ok(respond(&request, &rendered));
    }
    if let Some(response) = draft(&request, &state, &path, asked).await? {
        return Ok(response);
    }
    Err(state
        .missing(path.kind, path.id.clone(), path.not_found())
        .await)
}

/// What the request asks of a record: its suffix, `?format=` (or `?_mediatype=`),
/// `?_profile=`, `Accept` and `Accept-Profile`.
fn record_choice(request: &HttpRequest, path: &RecordPath) -> Result<ProfileChoice, HttpError> {
    let format = match query_parameter(request, "format")? {
        Some(format) => Some(format),
        None => query_parameter(request, "_mediatype")?,
    };
    let profile = query_parameter(request, "_profile")?;
    let accept_profile = request
        .headers()
        .get("accept-profile")
        .and_then(|v| v.to_str().ok());
    let asked = Asked {
        suffix: path.suffix,
        format: format.as_deref(),
        accept: accept(request),
        profile: profile.as_deref(),
        accept_profile,
    };
    let exports = matches!(path.kind, ResourceKind::Dataset | ResourceKind::DataPaper);
    negotiate_record(&asked, exports).map_err(|refusal| match refusal {
        Refusal::UnknownFormat { given, offered } => HttpError::UnknownFormat { given, offered },
        Refusal::NotAcceptable(offered) => HttpError::NotAcceptable(offered),
        Refusal::NoProfile(offered) => HttpError::NoProfile(offered),
    })
}

/// The published record, rendered as asked, from the cache when the store has not changed
/// (a page for someone signed in is theirs alone, and made afresh).
async fn published(
    state: &AppState,
    path: &RecordPath,
    (format, language): (Format, &'static str),
    visitor: Option<crate::html::Visitor>,
) -> Result<Option<std::sync::Arc<Rendered>>, HttpError> {
    let (kind, id) = (path.kind, path.id.clone());
    let key = CacheKey::new(format!("{}/{id}", kind.path_segment()), format, language);
    let visitor = visitor.filter(|_| format == Format::Rdf(Representation::Html));
    let shared = visitor.is_none();
    state
        .rendered(key, shared, move |store, pages| {
            let Some(description) = store.describe(kind, &id)? else {
                return Ok(None);
            };
            let html: PageFn = match kind {
                ResourceKind::Dataset => Pages::dataset,
                ResourceKind::DataPaper => Pages::paper,
                _ => Pages::resource,
            };
            let iri = store.base().resource(kind, &id).as_str().to_owned();
            let base = store.base().as_str();
            let titles = catalog_titles(store, format)?;
            let work = work_of(&description, (&iri, base), &titles);
            let with_pending = visitor.is_some();
            let annotations =
                super::feedback::on_page(store, &description, (format, with_pending))?;
            let reuses = super::reuses::on_page(store, &description, format)?;
            let page = PageContext {
                base,
                iri: &iri,
                kind: kind.label(),
                language,
                here: &iri,
                work: work.as_ref(),
                visitor: visitor.as_ref(),
                annotations: &annotations,
                reuses: &reuses,
            };
            let body = render(&description, format, &page, html, pages)?;
            let rendered = Rendered::new(
                body,
                format,
                super::feedback::latest(description.modified, &annotations),
                description.version,
                Variants::of(&iri),
            )
            .in_profile();
            let rendered = match kind {
                ResourceKind::Dataset => rendered.with_links(&super::inbox::link(&iri)),
                _ => rendered,
            };
            Ok(Some(match &work {
                Some(work) => rendered.with_links(&signposting::link_header(
                    &signposting::signposts(work, &iri),
                    &iri,
                )),
                None => rendered,
            }))
        })
        .await
}

/// The catalog's titles, read when an export or a page names the catalog.
fn catalog_titles(
    store: &CatalogStore,
    format: Format,
) -> Result<Vec<oxigraph::model::Literal>, HttpError> {
    if names_catalog(format) {
        Ok(store.catalog_titles()?)
    } else {
        Ok(Vec::new())
    }
}

/// Whether `format` names the catalog a record is part of (exports, and pages, which
/// embed schema.org).
fn names_catalog(format: Format) -> bool {
    !matches!(format, Format::Rdf(r) if r != Representation::Html)
}

/// `?version=N`: an earlier version of the record, to whoever may see its history.
async fn version(
    request: &HttpRequest,
    state: &AppState,
    path: &RecordPath,
    number: u64,
    (format, language): (Format, &'static str),
) -> Result<HttpResponse, HttpError> {
    if !history_visible(request, state, &path.id).await? {
        return Err(path.not_found());
    }
    let (kind, id) = (path.kind, path.id.clone());
    let quads = state
        .blocking(move |store| store.version(kind, &id, number))
        .await?
        .ok_or_else(|| HttpError::NotFound {
            kind: "version",
            id: format!("{}?version={number}", path.asked()),
        })?;
    let iri = state.store.base().resource(kind, &path.id);
    let mut page = Page::new((request, state), iri.as_str(), kind.label(), language);
    page.here = format!("{iri}?version={number}");
    let titles = titles_for(state, format).await?;
    plain(
        request,
        (iri, quads),
        (format, &titles, true),
        &page,
        (&state.pages, Pages::resource),
        None,
    )
}

/// The catalog's titles when `format` names the catalog, read off the request's thread.
async fn titles_for(
    state: &AppState,
    format: Format,
) -> Result<Vec<oxigraph::model::Literal>, HttpError> {
    if names_catalog(format) {
        Ok(state.blocking(|store| store.catalog_titles()).await?)
    } else {
        Ok(Vec::new())
    }
}

/// The draft at the path, for those who may write it: never kept by a shared cache.
async fn draft(
    request: &HttpRequest,
    state: &AppState,
    path: &RecordPath,
    (format, language): (Format, &'static str),
) -> Result<Option<HttpResponse>, HttpError> {
    let Some((version, quads)) = draft_of(request, state, path.kind, &path.id).await? else {
        return Ok(None);
    };
    let iri = state.store.base().resource(path.kind, &path.id);
    let page = Page::new((request, state), iri.as_str(), path.kind.label(), language);
    let titles = titles_for(state, format).await?;
    let mut response = plain(
        request,
        (iri, quads),
        (format, &titles, true),
        &page,
        (&state.pages, Pages::resource),
        Some(version),
    )?;
    // Seen with a token only: no shared cache may keep it.
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-store"),
    );
    headers.insert(
        header::VARY,
        header::HeaderValue::from_static(super::respond::VARY_PERSONAL),
    );
    Ok(Some(response))
}

/// Whether the history (and earlier versions) of the record `id` may be shown: to anyone
/// if it is or was public, else to those who may write its draft (a deleted draft's
/// history stays hidden).
pub(super) async fn history_visible(
    request: &HttpRequest,
    state: &AppState,
    id: &RecordId,
) -> Result<bool, HttpError> {
    let looked_up = id.clone();
    let (public, draft) = state
        .blocking(move |store| {
            Ok::<_, crate::store::StoreError>((
                store.was_public(&looked_up)?,
                store.any_draft(&looked_up)?,
            ))
        })
        .await?;
    if public {
        return Ok(true);
    }
    let Some((_, current)) = draft else {
        return Ok(false);
    };
    Ok(super::auth::may_write(request, state, &current))
}

/// The draft at `{kind}/{id}`, its version and quads, if there is one and the request's
/// token may see it; else `None` (a draft stays hidden).
async fn draft_of(
    request: &HttpRequest,
    state: &AppState,
    kind: ResourceKind,
    id: &RecordId,
) -> Result<Option<(i64, Vec<oxigraph::model::Quad>)>, HttpError> {
    let Some(record_kind) = RecordKind::of_resource(kind) else {
        return Ok(None);
    };
    let looked_up = id.clone();
    let Some((current, quads)) = state
        .blocking(move |store| store.draft(record_kind, &looked_up))
        .await?
    else {
        return Ok(None);
    };
    let allowed = super::auth::may_write(request, state, &current);
    Ok(allowed.then_some((current.version, quads)))
}

/// An uncached answer: a description rendered as asked, with the page `html` for people
/// (`titles`: the catalog's, for exports; `profiled`: whether to name the format's profile
/// in `Content-Profile`).
pub(super) fn plain(
    request: &HttpRequest,
    (topic, quads): (oxigraph::model::NamedNode, Vec<oxigraph::model::Quad>),
    (format, titles, profiled): (Format, &[oxigraph::model::Literal], bool),
    page: &Page,
    (pages, html): (&Pages, PageFn),
    version: Option<i64>,
) -> Result<HttpResponse, HttpError> {
    // Not a published record's: no modification time nor version of its own.
    let description = Description {
        topic,
        quads,
        modified: None,
        version: None,
    };
    let work = work_of(&description, (&page.iri, &page.base), titles);
    let context = PageContext {
        work: work.as_ref(),
        ..page.context()
    };
    let body = render(&description, format, &context, html, pages)?;
    let mut rendered = Rendered::new(body, format, None, version, Variants::of(&page.iri));
    if profiled {
        rendered = rendered.in_profile();
    }
    Ok(respond(request, &rendered))
}

/// `?version=N`, if given; 400 if it is not a positive number.
fn version_parameter(request: &HttpRequest) -> Result<Option<u64>, HttpError> {
    match super::respond::query_parameter(request, "version")? {
        None => Ok(None),
        Some(value) => match value.parse::<u64>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(HttpError::BadRequest(format!(
                "version must be a number from 1, not {value:?}"
            ))),
        },
    }
}

/// `GET|HEAD {base}`: the catalog as RDF, or the landing page (`portal.rs`).
pub async fn catalog(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let representation = choose(&request, None)?;
    if representation == Representation::Html {
        return super::portal::landing(&request, &state).await;
    }
    let key = CacheKey::new(String::new(), representation, "");
    let rendered = state
        .rendered(key, true, move |store: &CatalogStore, _| {
            let description = store.describe_catalog()?;
            let base = store.base().as_str();
            let body =
                serialize(&description.quads, representation).map_err(HttpError::Serialize)?;
            Ok(Some(
                Rendered::new(
                    body,
                    representation,
                    description.modified,
                    None,
                    Variants::of(base),
                )
                .in_profile(),
            ))
        })
        .await?
        .ok_or(HttpError::Unavailable)?;
    Ok(respond(&request, &rendered))
}

/// One of the [`Pages`] renderers.
pub(super) type PageFn = fn(&Pages, &Description, &PageContext<'_>) -> Result<String, PageError>;

/// The dataset or data paper `description` is about (at `page` under `base`), read for
/// its page, its exports and its signposts; `None` for other records.
fn work_of(
    description: &Description,
    (page, base): (&str, &str),
    titles: &[oxigraph::model::Literal],
) -> Option<Work> {
    let catalog = Catalog { iri: base, titles };
    Work::read(description, page, &catalog)
}

/// The body of `description` in `format`: a page (with `page.work`'s JSON-LD and
/// citation), an RDF syntax or an export of `page.work`.
fn render(
    description: &Description,
    format: Format,
    page: &PageContext<'_>,
    html: PageFn,
    pages: &Pages,
) -> Result<Vec<u8>, HttpError> {
    match format {
        Format::Rdf(Representation::Html) => html(pages, description, page)
            .map(String::into_bytes)
            .map_err(HttpError::from),
        Format::Rdf(representation) => {
            serialize(&description.quads, representation).map_err(HttpError::Serialize)
        }
        Format::Export(export) => {
            let work = page.work.ok_or_else(|| {
                HttpError::NotAcceptable(vec![Representation::Turtle.media_type()])
            })?;
            let year = description.modified.map(|m| m.year().to_string());
            Ok(export.render(work, page.language, year.as_deref()))
        }
    }
}
