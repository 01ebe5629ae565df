//! `GET {base}agents/{id}/feedback`: a publisher's open reports, oldest first, as a page
//! or (`?format=atom`, or `Accept: application/atom+xml`) an Atom feed.

use super::AppState;
use super::errors::HttpError;
use super::extract::Language;
use crate::feedback::Annotation;
use crate::feedback::reports::{OpenReport, atom, open_reports};
use crate::html::Frame;
use crate::model::vocab::dct;
use crate::model::{RecordId, ResourceKind};
use crate::store::{CatalogStore, Lookups, Records, StoreError};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::{NamedNode, Term};
use std::collections::HashMap;

const ATOM: &str = "application/atom+xml";

/// The page or the feed.
pub async fn open(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    Language(language): Language,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (_, id) = path.into_inner();
    let not_found = || HttpError::NotFound {
        kind: "agent",
        id: id.clone(),
    };
    let agent_id = RecordId::parse(&id).map_err(|_| not_found())?;
    let agent = state.store.base().resource(ResourceKind::Agent, &agent_id);
    let asked = agent.clone();
    let found = state
        .blocking(move |store| reports_of(store, (&agent_id, &asked), language))
        .await?;
    let (name, reports) = found.ok_or_else(not_found)?;
    let page = format!("{}/feedback", agent.as_str());
    let feed = format!("{page}?format=atom");
    let t = crate::html::messages(language);
    let title = format!(
        "{} {name}",
        t.get("reports_title").copied().unwrap_or_default()
    );
    if wants_atom(&request)? {
        return Ok(HttpResponse::Ok()
            .content_type("application/atom+xml; charset=utf-8")
            .insert_header((header::VARY, "Accept"))
            .body(atom(&reports, (&feed, &page, &title))));
    }
    let visitor = super::session::visitor(&request).map(|v| v.view());
    let frame = Frame {
        base: state.store.base().as_str(),
        language,
        here: &page,
        kind: "reports",
        visitor: visitor.as_ref(),
    };
    let body = state
        .pages
        .reports(&reports, (&title, agent.as_str(), &feed), &frame)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::VARY, "Accept, Accept-Language, Cookie"))
        .body(body))
}

/// Whether the client asks for the Atom feed: `?format=atom`, or Atom before HTML in
/// `Accept` (a feed reader).
fn wants_atom(request: &HttpRequest) -> Result<bool, HttpError> {
    if let Some(format) = super::respond::query_parameter(request, "format")? {
        return Ok(format == "atom");
    }
    let accept = super::respond::accept(request).unwrap_or("");
    let position = |media: &str| accept.find(media);
    Ok(match (position(ATOM), position("text/html")) {
        (Some(atom), Some(html)) => atom < html,
        (Some(_), None) => true,
        _ => false,
    })
}

/// The agent's name and its open reports; `None` when there is no such agent.
fn reports_of(
    store: &CatalogStore,
    (id, agent): (&RecordId, &NamedNode),
    language: &str,
) -> Result<Option<(String, Vec<OpenReport>)>, StoreError> {
    if store.describe(ResourceKind::Agent, id)?.is_none() {
        return Ok(None);
    }
    let name = store
        .agent_names(&[agent.as_str().to_owned()], language)?
        .pop()
        .map_or_else(|| agent.as_str().to_owned(), |(_, name)| name);
    let annotations: Vec<Annotation> = store
        .all_annotations()?
        .iter()
        .filter_map(|(iri, quads)| Annotation::read(iri, quads))
        .collect();
    let mut datasets: HashMap<String, Option<(String, String)>> = HashMap::new();
    let mut failure = None;
    let reports = open_reports(&annotations, |target| {
        if let Some(known) = datasets.get(target) {
            return known.clone();
        }
        let found = match dataset_of(store, target, (agent, language)) {
            Ok(found) => found,
            Err(error) => {
                failure = Some(error);
                None
            }
        };
        datasets.insert(target.to_owned(), found.clone());
        found
    });
    match failure {
        Some(error) => Err(error),
        None => Ok(Some((name, reports))),
    }
}

/// The dataset `target` is (or is a distribution of), as its page and title, if `agent`
/// publishes it.
fn dataset_of(
    store: &CatalogStore,
    target: &str,
    (agent, language): (&NamedNode, &str),
) -> Result<Option<(String, String)>, StoreError> {
    let Ok(target) = NamedNode::new(target) else {
        return Ok(None);
    };
    let id = store.record_of_target(&target)?;
    let Some(id) = id else {
        return Ok(None);
    };
    let Some(description) = store.describe(ResourceKind::Dataset, &id)? else {
        return Ok(None);
    };
    let topic = description.topic.as_ref();
    let says = |predicate| {
        description
            .quads
            .iter()
            .filter(move |q| q.subject.as_ref() == topic.into() && q.predicate == predicate)
            .map(|q| &q.object)
    };
    if !says(dct::PUBLISHER).any(|p| *p == Term::from(agent.clone())) {
        return Ok(None);
    }
    let titles: Vec<&oxigraph::model::Literal> = says(dct::TITLE)
        .filter_map(|t| match t {
            Term::Literal(l) => Some(l),
            _ => None,
        })
        .collect();
    let title = titles
        .iter()
        .find(|l| l.language() == Some(language))
        .or_else(|| titles.first())
        .map_or_else(|| topic.as_str().to_owned(), |l| l.value().to_owned());
    let page = store.base().resource(ResourceKind::Dataset, &id);
    Ok(Some((page.as_str().to_owned(), title)))
}
