//! A dataset's Linked Data Notifications inbox, `{base}datasets/{id}/inbox` (advertised
//! by every answer about the dataset with `Link: <…/inbox>; rel="http://www.w3.org/ns/ldp#inbox"`):
//! `POST` takes a COAR Notify `Announce` (JSON-LD), which waits for an editor's approval;
//! `GET` lists the approved ones (`ldp:contains`). Editors approve or reject at
//! `{base}annotations/{id}/approve|reject`.

use super::AppState;
use super::errors::HttpError;
use super::respond::{Rendered, choose, respond, see_other};
use crate::feedback::notify::{Announced, read};
use crate::feedback::{Annotation, NewAnnotation};
use crate::model::vocab::RDF_TYPE;
use crate::model::{RecordId, ResourceKind, Variants};
use crate::rdf::serialize;
use crate::store::Records;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::{GraphName, NamedNode, NamedNodeRef, Quad};

/// The LDN relation a dataset's answers advertise their inbox with.
pub const INBOX_RELATION: &str = "http://www.w3.org/ns/ldp#inbox";
const LDP_CONTAINER: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/ldp#BasicContainer");
const LDP_CONTAINS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/ldp#contains");

/// The `Link` header value naming the inbox of the dataset at `page`.
pub fn link(page: &str) -> String {
    format!("<{page}/inbox>; rel=\"{INBOX_RELATION}\"")
}

/// `POST {base}datasets/{id}/inbox`: a notification; `202 Accepted` (it waits for an
/// editor), or `400` saying what in it is wrong.
pub async fn receive(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    body: Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let media = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = media.split(';').next().unwrap_or("").trim();
    if !matches!(essence, "application/ld+json" | "application/json") {
        return Err(HttpError::UnsupportedMediaType(format!(
            "{media:?}: an inbox takes JSON-LD notifications (application/ld+json)"
        )));
    }
    let (id, topic) = dataset(&state, &path.1).await?;
    let document: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|e| HttpError::BadRequest(format!("the notification is not JSON: {e}")))?;
    let notification = read(&document).map_err(|problems| {
        HttpError::BadRequest(format!(
            "this is not a COAR Notify announcement this inbox takes: {}",
            problems.join("; ")
        ))
    })?;
    let page = state.store.base().resource(ResourceKind::Dataset, &id);
    if notification.about != topic.as_str() && notification.about != page.as_str() {
        return Err(HttpError::BadRequest(format!(
            "the notification is about {}, not this dataset ({})",
            notification.about,
            topic.as_str()
        )));
    }
    super::feedback::admit(&request, &state)?;
    let iri_of = |text: &str| {
        NamedNode::new(text).map_err(|_| HttpError::BadRequest(format!("{text:?} is not an IRI")))
    };
    let (link, relation) = match &notification.announced {
        Announced::Relationship {
            other,
            relationship,
            ..
        } => (iri_of(other)?, Some(iri_of(relationship)?)),
        _ => (iri_of(&notification.object)?, None),
    };
    let new = NewAnnotation {
        target: topic,
        motivation: notification.motivation(),
        text: String::new(),
        language: None,
        creator: notification.actor.clone(),
        resolution: None,
        link: Some(link),
        generator: Some(iri_of(&notification.origin)?),
        relation,
    };
    let iri = state
        .store
        .base()
        .join(&format!("annotations/{}", super::feedback::fresh_id()?));
    let quads = new.quads(&iri, crate::model::time::now_millis());
    let raw = String::from_utf8_lossy(&body).into_owned();
    let location = iri.as_str().to_owned();
    state
        .blocking(move |store| store.add_pending(&iri, &quads, &raw))
        .await?;
    tracing::info!(notification = %notification.id, annotation = %location, "notification received");
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, location))
        .finish())
}

/// `GET {base}datasets/{id}/inbox`: the approved notifications, as an LDP container.
pub async fn list(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let representation = choose(&request, None)?;
    let (id, topic) = dataset(&state, &path.1).await?;
    let inbox = NamedNode::new_unchecked(format!(
        "{}/inbox",
        state
            .store
            .base()
            .resource(ResourceKind::Dataset, &id)
            .as_str()
    ));
    let annotations = state
        .blocking(move |store| store.annotations_about(&[topic]))
        .await?;
    let graph = GraphName::DefaultGraph;
    let mut quads = vec![Quad::new(
        inbox.clone(),
        RDF_TYPE.into_owned(),
        LDP_CONTAINER.into_owned(),
        graph.clone(),
    )];
    for (iri, own) in &annotations {
        if Annotation::read(iri, own).is_some_and(|a| a.generator.is_some()) {
            quads.push(Quad::new(
                inbox.clone(),
                LDP_CONTAINS.into_owned(),
                iri.clone(),
                graph.clone(),
            ));
        }
    }
    let body = serialize(&quads, representation).map_err(HttpError::Serialize)?;
    let rendered = Rendered::new(
        body,
        representation,
        None,
        None,
        Variants::of(inbox.as_str()),
    );
    Ok(respond(&request, &rendered))
}

/// `POST {base}annotations/{id}/approve`: an editor of the dataset publishes a notification.
pub async fn approve(
    request: HttpRequest,
    path: web::Path<String>,
    form: web::Form<super::answers::HidePost>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    decide(request, &path, form.csrf(), state, true).await
}

/// `POST {base}annotations/{id}/reject`: an editor of the dataset turns a notification down.
pub async fn reject(
    request: HttpRequest,
    path: web::Path<String>,
    form: web::Form<super::answers::HidePost>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    decide(request, &path, form.csrf(), state, false).await
}

async fn decide(
    request: HttpRequest,
    id: &str,
    csrf: &str,
    state: web::Data<AppState>,
    approve: bool,
) -> Result<HttpResponse, HttpError> {
    let visitor = super::answers::signed_in(&request, &state, csrf)?;
    let not_found = || HttpError::NotFound {
        kind: "notification",
        id: id.to_owned(),
    };
    RecordId::parse(id).map_err(|_| not_found())?;
    let iri = state.store.base().join(&format!("annotations/{id}"));
    let lookup = iri.clone();
    let dataset = state
        .blocking(move |store| {
            use crate::store::Lookups;
            let target = store
                .pending(&lookup)?
                .into_iter()
                .find_map(|q| match q.object {
                    oxigraph::model::Term::NamedNode(target)
                        if q.predicate == crate::model::vocab::oa::HAS_TARGET =>
                    {
                        Some(target)
                    }
                    _ => None,
                });
            match target {
                Some(target) => store.record_of_target(&target),
                None => Ok(None),
            }
        })
        .await?
        .ok_or_else(not_found)?;
    super::answers::may_answer(&state, &visitor, &dataset).await?;
    state
        .blocking(move |store| store.decide_pending(&iri, approve))
        .await?;
    tracing::info!(who = %visitor.who.name, approve, "notification decided");
    let page = state.store.base().resource(ResourceKind::Dataset, &dataset);
    Ok(see_other(&format!("{}#feedback", page.as_str())))
}

/// The published dataset `{id}`: its id and topic, or 404.
async fn dataset(state: &AppState, id: &str) -> Result<(RecordId, NamedNode), HttpError> {
    let not_found = || HttpError::NotFound {
        kind: "dataset",
        id: id.to_owned(),
    };
    let id = RecordId::parse(id).map_err(|_| not_found())?;
    let asked = id.clone();
    let description = state
        .blocking(move |store| store.describe(ResourceKind::Dataset, &asked))
        .await?
        .ok_or_else(not_found)?;
    Ok((id, description.topic))
}
