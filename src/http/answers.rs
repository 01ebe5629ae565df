//! Producers answer reusers: an editor of the dataset (or an admin) answers an annotation
//! in its thread, marking a report resolved or rejected with a note
//! (`POST {base}annotations/{id}/answer`); an admin hides spam
//! (`POST {base}annotations/{id}/hide`), which keeps it in the private store.

use super::AppState;
use super::auth::provenance;
use super::errors::HttpError;
use super::respond::see_other;
use super::session::{SignedIn, same_origin, visitor};
use crate::feedback::{Annotation, MAX_TEXT, Motivation, NewAnnotation, Resolution};
use crate::model::{RecordId, RecordKind, ResourceKind};
use crate::store::Lookups;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::NamedNode;
use serde::Deserialize;

/// What the answer form posts.
#[derive(Deserialize)]
pub struct AnswerPost {
    #[serde(default)]
    csrf: String,
    text: String,
    /// `resolved`, `rejected`, or empty (an answer that closes nothing).
    #[serde(default)]
    resolution: String,
    #[serde(default)]
    lang: String,
}

/// What a form that only needs its CSRF code posts (hide, approve, reject).
#[derive(Deserialize)]
pub struct HidePost {
    #[serde(default)]
    csrf: String,
}

impl HidePost {
    /// The form's CSRF code.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST {base}annotations/{id}/answer`: the producer's answer, in the thread.
pub async fn answer(
    request: HttpRequest,
    path: web::Path<String>,
    form: web::Form<AnswerPost>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let visitor = signed_in(&request, &state, &form.csrf)?;
    let (report, dataset) = report_and_dataset(&state, &path).await?;
    may_answer(&state, &visitor, &dataset).await?;
    let text = form.text.trim();
    if text.is_empty() {
        return Err(HttpError::BadRequest("write the answer first".into()));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(HttpError::PayloadTooLarge(format!(
            "an answer is limited to {MAX_TEXT} characters"
        )));
    }
    let resolution = match form.resolution.as_str() {
        "" => None,
        word => Some(
            Resolution::parse(word)
                .ok_or_else(|| HttpError::BadRequest(format!("unknown resolution {word:?}")))?,
        ),
    };
    let new = NewAnnotation {
        target: NamedNode::new_unchecked(report.iri.clone()),
        motivation: Motivation::Replying,
        text: text.to_owned(),
        language: super::respond::known_language(&form.lang),
        creator: Some(visitor.who.name.clone()),
        resolution,
        link: None,
        generator: None,
        relation: None,
    };
    let iri = state
        .store
        .base()
        .join(&format!("annotations/{}", super::feedback::fresh_id()?));
    let quads = new.quads(&iri, crate::model::time::now_millis());
    let page = state.store.base().resource(ResourceKind::Dataset, &dataset);
    state
        .blocking(move |store| store.add_annotation(&iri, &quads, None))
        .await?;
    tracing::info!(who = %visitor.who.name, report = %report.iri, "answered");
    Ok(see_other(&format!("{}#feedback", page.as_str())))
}

/// `POST {base}annotations/{id}/hide`: an admin hides an annotation (kept privately).
pub async fn hide(
    request: HttpRequest,
    path: web::Path<String>,
    form: web::Form<HidePost>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let visitor = signed_in(&request, &state, &form.csrf)?;
    if !visitor.who.is_admin() {
        return Err(HttpError::Forbidden(
            "only an administrator may hide what reusers write".into(),
        ));
    }
    let (report, dataset) = report_and_dataset(&state, &path).await?;
    let iri = NamedNode::new_unchecked(report.iri.clone());
    let by = provenance(&request, &visitor.who).agent;
    let now = crate::model::time::now_millis();
    state
        .blocking(move |store| store.hide_annotation(&iri, &by, now))
        .await?;
    tracing::info!(who = %visitor.who.name, annotation = %report.iri, "hidden");
    let page = state.store.base().resource(ResourceKind::Dataset, &dataset);
    Ok(see_other(&format!("{}#feedback", page.as_str())))
}

/// Who posts: signed in, from our pages, with their session's CSRF code.
pub(super) fn signed_in(
    request: &HttpRequest,
    state: &AppState,
    csrf: &str,
) -> Result<SignedIn, HttpError> {
    same_origin(request, state)?;
    let visitor = visitor(request).ok_or(HttpError::Unauthorized)?;
    visitor.check_csrf(csrf)?;
    Ok(visitor)
}

/// The annotation `{id}` and the dataset it is (or its thread is) about.
async fn report_and_dataset(
    state: &AppState,
    id: &str,
) -> Result<(Annotation, RecordId), HttpError> {
    let not_found = || HttpError::NotFound {
        kind: "annotation",
        id: id.to_owned(),
    };
    RecordId::parse(id).map_err(|_| not_found())?;
    let iri = state.store.base().join(&format!("annotations/{id}"));
    let found = state
        .blocking(move |store| {
            let mut current = iri;
            // An answer to an answer belongs to the same thread: go up to its start.
            for _ in 0..16 {
                let quads = store.annotation(current.as_ref())?;
                let Some(annotation) = Annotation::read(&current, &quads) else {
                    return Ok::<_, crate::store::StoreError>(None);
                };
                let target = NamedNode::new_unchecked(annotation.target.clone());
                if annotation.motivation != Motivation::Replying {
                    let dataset = store.record_of_target(&target)?;
                    return Ok(dataset.map(|d| (annotation, d)));
                }
                current = target;
            }
            Ok(None)
        })
        .await?;
    found.ok_or_else(not_found)
}

/// 403 unless the person may edit `dataset` (its editors and admins answer for it).
pub(super) async fn may_answer(
    state: &AppState,
    visitor: &SignedIn,
    dataset: &RecordId,
) -> Result<(), HttpError> {
    let who = visitor.who.clone();
    let id = dataset.as_str().to_owned();
    state
        .blocking(move |store| crate::edit::find_own(store, &who, RecordKind::Dataset, &id))
        .await
        .map(|_| ())
}
