//! Reuses: declared from a dataset's page (`POST {base}datasets/{id}/reuses`, guarded as
//! feedback is), listed on the datasets' pages and at `{base}reuses`, each served at
//! `{base}reuses/{id}` in every RDF syntax.

use super::AppState;
use super::errors::HttpError;
use super::extract::Language;
use super::respond::{Rendered, choose, respond, see_other};
use super::session::same_origin;
use crate::exports::Format;
use crate::feedback::reuses::{NewReuse, Reuse, ReuseKind, creative_work, is_based_on};
use crate::html::Frame;
use crate::model::vocab::{RDF_TYPE, dct};
use crate::model::{RecordId, ResourceKind, Variants, is_web_url};
use crate::rdf::{Representation, serialize};
use crate::store::{CatalogStore, Description, Lookups, Records, StoreError};
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::{NamedNode, Term};
use serde::Deserialize;

/// The longest title of a reuse.
const MAX_TITLE: usize = 300;

/// The most datasets one reuse may name.
const MAX_DATASETS: usize = 20;

/// What the reuse form posts.
#[derive(Deserialize)]
pub struct ReusePost {
    title: String,
    url: String,
    kind: String,
    #[serde(default)]
    image: String,
    #[serde(default)]
    name: String,
    /// Other datasets of the catalog it is based on: their IRIs, one per line.
    #[serde(default)]
    others: String,
    /// The honeypot: hidden from people.
    #[serde(default)]
    website: String,
}

/// `POST {base}datasets/{id}/reuses`: declares a reuse of the dataset.
pub async fn declare(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<ReusePost>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    same_origin(&request, &state)?;
    let (_, id) = path.into_inner();
    let not_found = || HttpError::NotFound {
        kind: "dataset",
        id: id.clone(),
    };
    let record = RecordId::parse(&id).map_err(|_| not_found())?;
    let page = state.store.base().resource(ResourceKind::Dataset, &record);
    let back = format!("{}#reuses", page.as_str());
    if !form.website.is_empty() {
        tracing::info!("a reuse that filled the honeypot was dropped");
        return Ok(see_other(&back));
    }
    let form = form.into_inner();
    let asked = record.clone();
    let others = form.others.clone();
    let datasets = state
        .blocking(move |store| {
            let Some(topic) = store
                .describe(ResourceKind::Dataset, &asked)?
                .map(|d| d.topic)
            else {
                return Ok(None);
            };
            Ok::<_, HttpError>(Some(based_on(store, topic, &others)?))
        })
        .await?
        .ok_or_else(not_found)?;
    let new = checked(form, datasets)?;
    super::feedback::admit(&request, &state)?;
    let iri = state
        .store
        .base()
        .join(&format!("reuses/{}", super::feedback::fresh_id()?));
    let quads = new.quads(&iri, crate::model::time::now_millis());
    state
        .blocking(move |store| store.add_reuse(&iri, &quads))
        .await?;
    Ok(see_other(&back))
}

/// `GET {base}reuses`: every reuse, latest first, with the datasets it is based on; or all
/// of them in an RDF syntax.
pub async fn all(
    request: HttpRequest,
    Language(language): Language,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let representation = choose(&request, None)?;
    let iri = state.store.base().join("reuses");
    let found = state
        .blocking(move |store| {
            let graphs = store.graphs_saying(RDF_TYPE, Some(creative_work().as_ref()))?;
            let titles = if representation == Representation::Html {
                dataset_titles(store, &graphs, language)?
            } else {
                Vec::new()
            };
            Ok::<_, StoreError>((graphs, titles))
        })
        .await?;
    let (graphs, titles) = found;
    let body = if representation == Representation::Html {
        let mut reuses: Vec<Reuse> = graphs
            .iter()
            .filter_map(|(iri, q)| Reuse::read(iri, q))
            .collect();
        reuses.sort_by_cached_key(|r| {
            std::cmp::Reverse(crate::model::time::parse_instant(&r.created))
        });
        let visitor = super::session::visitor(&request).map(|v| v.view());
        let frame = Frame {
            base: state.store.base().as_str(),
            language,
            here: iri.as_str(),
            kind: "reuses",
            visitor: visitor.as_ref(),
        };
        state.pages.reuses(&reuses, &titles, &frame)?.into_bytes()
    } else {
        let quads: Vec<_> = graphs.into_iter().flat_map(|(_, quads)| quads).collect();
        serialize(&quads, representation).map_err(HttpError::Serialize)?
    };
    let rendered = Rendered::new(
        body,
        representation,
        None,
        None,
        Variants::FormatParameter(iri.as_str()),
    );
    Ok(respond(&request, &rendered))
}

/// `GET {base}reuses/{id}[.ext]`: one reuse.
pub async fn one(
    request: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let asked = path.into_inner();
    let not_found = || HttpError::NotFound {
        kind: "reuse",
        id: asked.clone(),
    };
    let (id, suffix) = super::respond::split_suffix(&asked).ok_or_else(not_found)?;
    let id = RecordId::parse(id).map_err(|_| not_found())?;
    let iri = state.store.base().join(&format!("reuses/{id}"));
    let representation = choose(&request, suffix)?;
    let lookup = iri.clone();
    let quads = state
        .blocking(move |store| store.graph_of(lookup.as_ref(), creative_work().as_ref()))
        .await?;
    if quads.is_empty() {
        return Err(not_found());
    }
    let body = if representation == Representation::Html {
        let description = Description {
            topic: iri.clone(),
            quads,
            modified: None,
            version: None,
        };
        let language = super::respond::preferred_language(&request);
        let page = super::page::Page::new((&request, &state), iri.as_str(), "reuse", language);
        state
            .pages
            .resource(&description, &page.context())?
            .into_bytes()
    } else {
        serialize(&quads, representation).map_err(HttpError::Serialize)?
    };
    Ok(respond(
        &request,
        &Rendered::new(body, representation, None, None, Variants::of(iri.as_str())),
    ))
}

/// The reuses a dataset's page lists (none for other pages).
pub fn on_page(
    store: &CatalogStore,
    description: &Description,
    format: Format,
) -> Result<Vec<Reuse>, HttpError> {
    if format != Format::Rdf(Representation::Html) {
        return Ok(Vec::new());
    }
    let mut reuses: Vec<Reuse> = store
        .graphs_saying(is_based_on().as_ref(), Some(description.topic.as_ref()))?
        .iter()
        .filter_map(|(iri, quads)| Reuse::read(iri, quads))
        .collect();
    reuses.sort_by_cached_key(|r| std::cmp::Reverse(crate::model::time::parse_instant(&r.created)));
    Ok(reuses)
}

/// The page and title of every dataset the reuses are based on.
fn dataset_titles(
    store: &CatalogStore,
    graphs: &[(NamedNode, Vec<oxigraph::model::Quad>)],
    language: &str,
) -> Result<Vec<(String, String, String)>, StoreError> {
    let mut titles: Vec<(String, String, String)> = Vec::new();
    let datasets = graphs.iter().flat_map(|(_, quads)| {
        quads
            .iter()
            .filter(|q| q.predicate == is_based_on())
            .filter_map(|q| match &q.object {
                Term::NamedNode(n) => Some(n.clone()),
                _ => None,
            })
    });
    for dataset in datasets {
        if titles.iter().any(|(iri, _, _)| iri == dataset.as_str()) {
            continue;
        }
        let Some(id) = store.record_id_of(&dataset)? else {
            continue;
        };
        let Some(description) = store.describe(ResourceKind::Dataset, &id)? else {
            continue;
        };
        let title = crate::html::text_in(&description, dct::TITLE, language)
            .unwrap_or_else(|| id.as_str().to_owned());
        let page = store.base().resource(ResourceKind::Dataset, &id);
        titles.push((dataset.as_str().to_owned(), page.as_str().to_owned(), title));
    }
    Ok(titles)
}

/// The datasets a reuse is based on: the page's (`topic`), then each of `others` (IRIs,
/// one per line), which must be datasets of this catalog.
fn based_on(
    store: &CatalogStore,
    topic: NamedNode,
    others: &str,
) -> Result<Vec<NamedNode>, HttpError> {
    let mut datasets = vec![topic];
    for line in others.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let unknown = || {
            HttpError::BadRequest(format!(
                "{line:?} is not the address of a dataset of this catalog"
            ))
        };
        let id = store
            .base()
            .local_id(ResourceKind::Dataset, line)
            .ok_or_else(unknown)?;
        let dataset = store
            .describe(ResourceKind::Dataset, &id)?
            .ok_or_else(unknown)?
            .topic;
        if !datasets.contains(&dataset) {
            datasets.push(dataset);
        }
        if datasets.len() > MAX_DATASETS {
            return Err(HttpError::PayloadTooLarge(format!(
                "a reuse may name at most {MAX_DATASETS} datasets"
            )));
        }
    }
    Ok(datasets)
}

/// `POST {base}reuses/{id}/hide`: an admin hides a reuse (spam), kept privately.
pub async fn hide(
    request: HttpRequest,
    path: web::Path<String>,
    form: web::Form<super::answers::HidePost>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let visitor = super::answers::signed_in(&request, &state, form.csrf())?;
    if !visitor.who.is_admin() {
        return Err(HttpError::Forbidden(
            "only an administrator may hide what reusers write".into(),
        ));
    }
    let asked = path.into_inner();
    let id = RecordId::parse(&asked).map_err(|_| HttpError::NotFound {
        kind: "reuse",
        id: asked.clone(),
    })?;
    let iri = state.store.base().join(&format!("reuses/{id}"));
    let by = super::auth::provenance(&request, &visitor.who).agent;
    let now = crate::model::time::now_millis();
    let hiding = iri.clone();
    let hidden = state
        .blocking(move |store| store.hide_reuse(&hiding, &by, now))
        .await?;
    if !hidden {
        return Err(HttpError::NotFound {
            kind: "reuse",
            id: asked,
        });
    }
    tracing::info!(who = %visitor.who.name, reuse = %iri, "hidden");
    Ok(see_other(&format!("{}reuses", state.store.base())))
}

/// The form as a reuse, or what is wrong with it.
fn checked(form: ReusePost, datasets: Vec<NamedNode>) -> Result<NewReuse, HttpError> {
    let title = form.title.trim();
    if title.is_empty() {
        return Err(HttpError::BadRequest("give the reuse a title".into()));
    }
    if title.chars().count() > MAX_TITLE || form.name.chars().count() > crate::feedback::MAX_NAME {
        return Err(HttpError::PayloadTooLarge(format!(
            "a title is limited to {MAX_TITLE} characters, a name to {}",
            crate::feedback::MAX_NAME
        )));
    }
    let web = |value: &str, what: &str| {
        if is_web_url(value) {
            Ok(NamedNode::new_unchecked(value))
        } else {
            Err(HttpError::BadRequest(format!(
                "{what} must be a web address beginning with http:// or https://, not {value:?}"
            )))
        }
    };
    let kind = ReuseKind::parse(&form.kind)
        .ok_or_else(|| HttpError::BadRequest(format!("unknown kind of reuse {:?}", form.kind)))?;
    let image = match form.image.trim() {
        "" => None,
        image => Some(web(image, "the image")?),
    };
    let name = form.name.trim();
    Ok(NewReuse {
        title: title.to_owned(),
        url: web(form.url.trim(), "the reuse's address")?,
        kind,
        image,
        datasets,
        creator: (!name.is_empty()).then(|| name.to_owned()),
    })
}
