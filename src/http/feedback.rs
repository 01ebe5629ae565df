//! Reusers' feedback on a dataset: the form on its page posts to
//! `{base}datasets/{id}/feedback`, and each annotation is served at
//! `{base}annotations/{id}` in every RDF syntax and as Web Annotation JSON-LD.
//!
//! Anyone may post, so posts are guarded as the internet requires: from our own pages
//! (`Origin`), a field only bots fill (the honeypot), so many posts per address an hour
//! (429 with `Retry-After`), sizes (413), and every text escaped where it is shown.

use super::AppState;
use super::errors::HttpError;
use super::respond::{Rendered, choose, respond, see_other};
use super::session::same_origin;
use crate::exports::Format;
use crate::feedback::{Annotation, MAX_NAME, MAX_TEXT, Motivation, NewAnnotation};
use crate::model::vocab::dcat;
use crate::model::{ResourceKind, Variants};
use crate::rdf::{Representation, serialize};
use crate::store::{CatalogStore, Description};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::{NamedNode, Term};
use serde::Deserialize;

/// What the feedback form posts.
#[derive(Deserialize)]
pub struct FeedbackPost {
    motivation: String,
    #[serde(default)]
    target: String,
    text: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    /// The page's language, which the text is most likely in.
    #[serde(default)]
    lang: String,
    /// Hidden from people; a bot that fills every field fills it.
    #[serde(default)]
    website: String,
}

/// `POST {base}datasets/{id}/feedback`: stores a reuser's comment, question, report or
/// suggested correction, then goes back to the dataset's thread.
pub async fn post(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<FeedbackPost>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    same_origin(&request, &state)?;
    let (_, id) = path.into_inner();
    let id = crate::model::RecordId::parse(&id).map_err(|_| HttpError::NotFound {
        kind: "dataset",
        id: id.clone(),
    })?;
    let dataset = state.store.base().resource(ResourceKind::Dataset, &id);
    let thanks = format!("{}#feedback-sent", dataset.as_str());
    if !form.website.is_empty() {
        tracing::info!("a feedback post that filled the honeypot was dropped");
        return Ok(see_other(&thanks));
    }
    let form = form.into_inner();
    let (new, email) = checked(form, &dataset)?;
    let asked = id.clone();
    let targets = state
        .blocking(move |store| targets_of(store, &asked))
        .await?
        .ok_or_else(|| HttpError::NotFound {
            kind: "dataset",
            id: id.as_str().to_owned(),
        })?;
    if !targets.contains(&new.target) {
        return Err(HttpError::BadRequest(
            "the feedback must be about the dataset or one of its distributions".into(),
        ));
    }
    // Counted once it would be written: a refused post costs nothing.
    admit(&request, &state)?;
    let iri = state
        .store
        .base()
        .join(&format!("annotations/{}", fresh_id()?));
    let now = crate::model::time::now_millis();
    let quads = new.quads(&iri, now);
    state
        .blocking(move |store| store.add_annotation(&iri, &quads, email.as_ref()))
        .await?;
    Ok(see_other(&thanks))
}

/// `GET {base}annotations/{id}[.ext]`: the annotation, as Web Annotation JSON-LD for
/// `application/ld+json`, in any other RDF syntax, or as a page.
pub async fn annotation(
    request: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let asked = path.into_inner();
    let (id, suffix) = super::respond::split_suffix(&asked).ok_or_else(|| HttpError::NotFound {
        kind: "annotation",
        id: asked.clone(),
    })?;
    let not_found = || HttpError::NotFound {
        kind: "annotation",
        id: asked.clone(),
    };
    let id = crate::model::RecordId::parse(id).map_err(|_| not_found())?;
    let iri = state.store.base().join(&format!("annotations/{id}"));
    let representation = choose(&request, suffix)?;
    let lookup = iri.clone();
    let quads = state
        .blocking(move |store| store.annotation(lookup.as_ref()))
        .await?;
    let read = Annotation::read(&iri, &quads).ok_or_else(not_found)?;
    let variants = Variants::of(iri.as_str());
    let body = match representation {
        Representation::JsonLd => {
            let json = serde_json::to_vec_pretty(&read.json_ld())
                .map_err(|e| HttpError::Serialize(std::io::Error::other(e)))?;
            let rendered = Rendered::new(json, representation, None, None, variants);
            let mut response = respond(&request, &rendered);
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static(crate::feedback::ANNO_MEDIA_TYPE),
            );
            return Ok(response);
        }
        Representation::Html => {
            let description = Description {
                topic: iri.clone(),
                quads,
                modified: None,
                version: None,
            };
            let language = super::respond::preferred_language(&request);
            let page =
                super::page::Page::new((&request, &state), iri.as_str(), "annotation", language);
            state
                .pages
                .resource(&description, &page.context())?
                .into_bytes()
        }
        other => serialize(&quads, other).map_err(HttpError::Serialize)?,
    };
    Ok(respond(
        &request,
        &Rendered::new(body, representation, None, None, variants),
    ))
}

/// The annotations a dataset's page shows: on the dataset and its distributions, with
/// their replies, oldest first (none for other pages).
pub fn on_page(
    store: &CatalogStore,
    description: &Description,
    (format, with_pending): (Format, bool),
) -> Result<Vec<Annotation>, HttpError> {
    if format != Format::Rdf(Representation::Html)
        || !description.quads.iter().any(|q| {
            q.subject.as_ref() == description.topic.as_ref().into()
                && q.predicate == crate::model::vocab::RDF_TYPE
                && q.object == Term::from(dcat::DATASET.into_owned())
        })
    {
        return Ok(Vec::new());
    }
    let mut targets = vec![description.topic.clone()];
    targets.extend(distributions(description));
    let mut annotations: Vec<Annotation> = store
        .annotations_about(&targets)?
        .iter()
        .filter_map(|(iri, quads)| Annotation::read(iri, quads))
        .collect();
    if with_pending {
        for (iri, quads) in store.pending_about(&targets)? {
            if let Some(mut annotation) = Annotation::read(&iri, &quads) {
                annotation.pending = true;
                annotations.push(annotation);
            }
        }
    }
    // By time, not by text: the store writes times canonically (`.12Z`, not `.120Z`), so
    // their texts do not sort as their times do.
    annotations.sort_by_cached_key(|a| crate::model::time::parse_instant(&a.created));
    Ok(annotations)
}

/// When a page last changed: its record, or the latest annotation on it.
pub fn latest(
    modified: Option<time::OffsetDateTime>,
    annotations: &[Annotation],
) -> Option<time::OffsetDateTime> {
    let format = time::format_description::well_known::Rfc3339;
    annotations
        .iter()
        .filter_map(|a| time::OffsetDateTime::parse(&a.created, &format).ok())
        .chain(modified)
        .max()
}

/// The dataset `id`'s IRI and its distributions', if it is published.
fn targets_of(
    store: &CatalogStore,
    id: &crate::model::RecordId,
) -> Result<Option<Vec<NamedNode>>, crate::store::StoreError> {
    use crate::store::Records;
    Ok(store
        .describe(ResourceKind::Dataset, id)?
        .map(|description| {
            let mut targets = vec![description.topic.clone()];
            targets.extend(distributions(&description));
            targets
        }))
}

fn distributions(description: &Description) -> Vec<NamedNode> {
    description
        .quads
        .iter()
        .filter(|q| {
            q.subject.as_ref() == description.topic.as_ref().into()
                && q.predicate == dcat::DISTRIBUTION_PROP
        })
        .filter_map(|q| match &q.object {
            Term::NamedNode(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

/// The post as an annotation and the email left for the answer, or what is wrong.
fn checked(
    form: FeedbackPost,
    dataset: &NamedNode,
) -> Result<(NewAnnotation, Option<NamedNode>), HttpError> {
    let motivation = Motivation::parse(&form.motivation)
        .filter(|m| Motivation::OFFERED.contains(m))
        .ok_or_else(|| {
            HttpError::BadRequest(format!("unknown motivation {:?}", form.motivation))
        })?;
    let text = form.text.trim();
    if text.is_empty() {
        return Err(HttpError::BadRequest("write something first".into()));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(HttpError::PayloadTooLarge(format!(
            "a message is limited to {MAX_TEXT} characters"
        )));
    }
    let name = form.name.trim();
    if name.chars().count() > MAX_NAME {
        return Err(HttpError::PayloadTooLarge(format!(
            "a name is limited to {MAX_NAME} characters"
        )));
    }
    let email = match form.email.trim() {
        "" => None,
        email if crate::model::is_email(email) => Some(
            NamedNode::new(format!("mailto:{email}"))
                .map_err(|_| HttpError::BadRequest(format!("{email:?} is not an email address")))?,
        ),
        email => {
            return Err(HttpError::BadRequest(format!(
                "{email:?} is not an email address"
            )));
        }
    };
    let target = match form.target.trim() {
        "" => dataset.clone(),
        iri => NamedNode::new(iri)
            .map_err(|_| HttpError::BadRequest(format!("{iri:?} is not an IRI")))?,
    };
    let new = NewAnnotation {
        target,
        motivation,
        text: text.to_owned(),
        language: super::respond::known_language(&form.lang),
        creator: (!name.is_empty()).then(|| name.to_owned()),
        resolution: None,
        link: None,
        generator: None,
        relation: None,
    };
    Ok((new, email))
}

/// Counts an anonymous post from the request's address: 429 past the hourly limit.
pub(super) fn admit(request: &HttpRequest, state: &AppState) -> Result<(), HttpError> {
    let address = request
        .peer_addr()
        .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |a| a.ip());
    state
        .post_limits
        .admit(address)
        .map_err(|wait| HttpError::TooManyPosts(wait.as_secs().max(1)))
}

/// A new annotation's id: the day and 64 random bits.
pub(super) fn fresh_id() -> Result<String, HttpError> {
    let random = crate::access::random_hex().map_err(HttpError::Access)?;
    let now = time::OffsetDateTime::now_utc();
    Ok(format!(
        "{:04}{:02}{:02}-{}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        &random[..16]
    ))
}
