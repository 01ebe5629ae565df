//! The publishing forms for people signed in: create a dataset (`{base}publish/datasets`),
//! edit one (`{base}datasets/{id}/edit`), delete one (`{base}datasets/{id}/delete`).
//!
//! A form's post becomes the plain JSON model and goes through the write workflow exactly
//! as the API's body does (`Edits::create`/`replace`/`delete`: the same rights, the same
//! validation, `If-Match` from the version the form was opened at, the same history); only
//! the answer differs: the form again with the report next to its fields, or a
//! redirection to the saved record's form.

use super::AppState;
use super::auth::provenance;
use super::errors::HttpError;
use super::extract::Language;
use super::respond::{private_page as html, see_other};
use super::session::{SignedIn, same_origin, visitor};
use crate::edit::{Asked, Request, Writer};
use crate::html::{DatasetFields, DatasetForm, FieldError, FormPurpose, Frame, Notes};
use crate::model::{RecordKind, ResourceKind};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

/// What a form posts: every field, in order (themes repeat).
pub type Posted = web::Form<Vec<(String, String)>>;

/// `GET {base}publish/datasets`: the blank form.
pub async fn new_dataset(
    request: HttpRequest,
    Language(language): Language,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let here = format!("{}publish/datasets", state.store.base());
    let Some(visitor) = visitor(&request) else {
        return Ok(super::signin::signin_first(&state, &here));
    };
    let publishers = publisher_choices(&state, &visitor, language).await?;
    let fields = DatasetFields::blank(publishers.first().map(|(iri, _)| iri.as_str()));
    let page = FormPage {
        visitor: &visitor,
        language,
        here: &here,
        publishers: &publishers,
    };
    page.render(
        &state,
        (FormPurpose::Create, &fields, &Notes::default()),
        None,
        StatusCode::OK,
    )
}

/// `POST {base}publish/datasets`: creates the dataset, as a draft or published.
pub async fn create_dataset(
    request: HttpRequest,
    Language(language): Language,
    form: Posted,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let here = format!("{}publish/datasets", state.store.base());
    let visitor = checked(&request, &state, &form)?;
    let publishers = publisher_choices(&state, &visitor, language).await?;
    let page = FormPage {
        visitor: &visitor,
        language,
        here: &here,
        publishers: &publishers,
    };
    let fields = DatasetFields::from_pairs(&form);
    let (model, asked) = match fields.to_model().and_then(|m| Ok((m, publication(&form)?))) {
        Ok(ready) => ready,
        Err(errors) => return page.refused(&state, (FormPurpose::Create, fields), &errors),
    };
    let body = json_body(&model)?;
    let writer = writer_of(&request, &visitor);
    let written = state
        .edit(move |edits| {
            let incoming = crate::edit::Incoming {
                bytes: &body,
                content_type: "application/json",
            };
            edits.create(RecordKind::Dataset, incoming, asked, &writer)
        })
        .await;
    match written {
        Ok(written) => Ok(saved(&state, &written)),
        Err(error) => page.failed(&state, (FormPurpose::Create, fields), error),
    }
}

/// `GET {base}datasets/{id}/edit`: the form holding the record, with the profile's report
/// on it next to its fields.
pub async fn edit_dataset(
    request: HttpRequest,
    Language(language): Language,
    id: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (_, id) = id.into_inner();
    let here = format!("{}datasets/{id}/edit", state.store.base());
    let Some(visitor) = visitor(&request) else {
        return Ok(super::signin::signin_first(&state, &here));
    };
    let done = super::respond::query_parameter(&request, "done")?.and_then(|d| done_key(&d));
    let publishers = publisher_choices(&state, &visitor, language).await?;
    let page = FormPage {
        visitor: &visitor,
        language,
        here: &here,
        publishers: &publishers,
    };
    page.current(&state, &id, done, None).await
}

/// `POST {base}datasets/{id}/edit`: replaces the record, if it is still at the version the
/// form was opened at.
pub async fn save_dataset(
    request: HttpRequest,
    Language(language): Language,
    id: web::Path<(String, String)>,
    form: Posted,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (_, id) = id.into_inner();
    let here = format!("{}datasets/{id}/edit", state.store.base());
    let visitor = checked(&request, &state, &form)?;
    let publishers = publisher_choices(&state, &visitor, language).await?;
    let page = FormPage {
        visitor: &visitor,
        language,
        here: &here,
        publishers: &publishers,
    };
    let fields = DatasetFields::from_pairs(&form);
    let version = field(&form, "version").unwrap_or_default().to_owned();
    let iri = state
        .store
        .base()
        .resource(ResourceKind::Dataset, &id_or_404(&id)?);
    let purpose = || FormPurpose::Edit {
        iri: iri.as_str(),
        version: &version,
        draft: false,
    };
    let (model, asked) = match fields.to_model().and_then(|m| Ok((m, publication(&form)?))) {
        Ok(ready) => ready,
        Err(errors) => return page.refused(&state, (purpose(), fields), &errors),
    };
    let body = json_body(&model)?;
    let writer = writer_of(&request, &visitor);
    let (asked_id, if_match) = (id.clone(), version.clone());
    let written = state
        .edit(move |edits| {
            let incoming = crate::edit::Incoming {
                bytes: &body,
                content_type: "application/json",
            };
            let request = (asked, Some(if_match.as_str()));
            edits.replace((RecordKind::Dataset, &asked_id), incoming, request, &writer)
        })
        .await;
    match written {
        Ok(written) => Ok(saved(&state, &written)),
        Err(HttpError::PreconditionFailed { .. }) => {
            page.current(&state, &id, None, Some("form_stale")).await
        }
        Err(error) => page.failed(&state, (purpose(), fields), error),
    }
}

/// `GET {base}datasets/{id}/delete`: asks to confirm.
pub async fn confirm_delete(
    request: HttpRequest,
    Language(language): Language,
    id: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (_, id) = id.into_inner();
    let base = state.store.base().as_str().to_owned();
    let here = format!("{base}datasets/{id}/delete");
    let Some(visitor) = visitor(&request) else {
        return Ok(super::signin::signin_first(&state, &here));
    };
    let who = visitor.who.clone();
    let asked = id.clone();
    let editable = state
        .edit(move |edits| edits.editable(RecordKind::Dataset, &asked, &who))
        .await?;
    let name = editable.model.json["title"]
        .as_object()
        .and_then(|titles| titles.get(language).or_else(|| titles.values().next()))
        .and_then(|t| t.as_str())
        .unwrap_or(id.as_str())
        .to_owned();
    let view = visitor.view();
    let frame = Frame {
        base: &base,
        language,
        here: &here,
        kind: "form",
        visitor: Some(&view),
    };
    let version = format!("\"v{}\"", editable.model.version);
    let body = state
        .pages
        .confirm_delete((editable.topic.as_str(), &name, &version), &frame)?;
    Ok(html(StatusCode::OK, body))
}

/// `POST {base}datasets/{id}/delete`: deletes the record (at the version confirmed).
pub async fn delete_dataset(
    request: HttpRequest,
    id: web::Path<(String, String)>,
    form: Posted,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (_, id) = id.into_inner();
    let visitor = checked(&request, &state, &form)?;
    let version = field(&form, "version").unwrap_or_default().to_owned();
    let writer = writer_of(&request, &visitor);
    state
        .edit(move |edits| edits.delete((RecordKind::Dataset, &id), Some(&version), &writer))
        .await?;
    Ok(see_other(&format!(
        "{}account?done=deleted",
        state.store.base()
    )))
}

/// What every form page needs besides the form.
struct FormPage<'a> {
    visitor: &'a SignedIn,
    language: &'static str,
    here: &'a str,
    publishers: &'a [(String, String)],
}

impl FormPage<'_> {
    fn render(
        &self,
        state: &AppState,
        (purpose, fields, notes): (FormPurpose<'_>, &DatasetFields, &Notes),
        done: Option<&'static str>,
        status: StatusCode,
    ) -> Result<HttpResponse, HttpError> {
        let view = self.visitor.view();
        let frame = Frame {
            base: state.store.base().as_str(),
            language: self.language,
            here: self.here,
            kind: "form",
            visitor: Some(&view),
        };
        let form = DatasetForm {
            purpose,
            action: self.here,
            fields,
            notes,
            publishers: self.publishers,
            done,
        };
        let body = state.pages.dataset_form(&form, &state.choices, &frame)?;
        Ok(html(status, body))
    }

    /// The form again with the fields to correct (nothing was written): 422.
    fn refused(
        &self,
        state: &AppState,
        (purpose, mut fields): (FormPurpose<'_>, DatasetFields),
        errors: &[FieldError],
    ) -> Result<HttpResponse, HttpError> {
        let notes = Notes::of_errors(errors, self.language);
        fields.add_blank_files();
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        self.render(state, (purpose, &fields, &notes), None, status)
    }

    /// The form again after the workflow refused the write: the profile's report by the
    /// fields (422), or what the workflow said (with its status).
    fn failed(
        &self,
        state: &AppState,
        (purpose, mut fields): (FormPurpose<'_>, DatasetFields),
        error: HttpError,
    ) -> Result<HttpResponse, HttpError> {
        let topic = match &purpose {
            FormPurpose::Edit { iri, .. } => (*iri).to_owned(),
            FormPurpose::Create => String::new(),
        };
        let (notes, status) = match error {
            HttpError::Invalid(report) => (
                Notes::of_report(&report, (&topic, &fields, &[]), self.language),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            HttpError::BadRequest(message) | HttpError::Conflict(message) => {
                (Notes::general(message), StatusCode::UNPROCESSABLE_ENTITY)
            }
            HttpError::Forbidden(message) => (Notes::general(message), StatusCode::FORBIDDEN),
            other => return Err(other),
        };
        fields.add_blank_files();
        self.render(state, (purpose, &fields, &notes), None, status)
    }

    /// The form holding the record `id` as stored, with its report; `problem` (a message
    /// key) said first.
    async fn current(
        &self,
        state: &AppState,
        id: &str,
        done: Option<&'static str>,
        problem: Option<&'static str>,
    ) -> Result<HttpResponse, HttpError> {
        let who = self.visitor.who.clone();
        let asked = id.to_owned();
        let editable = state
            .edit(move |edits| edits.editable(RecordKind::Dataset, &asked, &who))
            .await?;
        let t = crate::html::messages(self.language);
        let model: crate::model::json::DatasetJson =
            serde_json::from_value(editable.model.json.clone()).unwrap_or_default();
        let fields = DatasetFields::from_model(&model);
        let mut notes = Notes::of_report(
            &editable.report,
            (editable.topic.as_str(), &fields, &editable.access_urls),
            self.language,
        );
        if !editable.expressible {
            let text = t.get("form_inexpressible").copied().unwrap_or_default();
            notes
                .general
                .insert(0, crate::html::Note::violation(text.to_owned()));
        }
        if let Some(key) = problem {
            let text = t.get(key).copied().unwrap_or_default();
            notes
                .general
                .insert(0, crate::html::Note::violation(text.to_owned()));
        }
        let version = format!("\"v{}\"", editable.model.version);
        let purpose = FormPurpose::Edit {
            iri: editable.topic.as_str(),
            version: &version,
            draft: editable.model.draft,
        };
        let status = if problem.is_some() {
            StatusCode::CONFLICT
        } else {
            StatusCode::OK
        };
        self.render(state, (purpose, &fields, &notes), done, status)
    }
}

/// Who posts the form: signed in, from our own pages, with their session's CSRF code.
fn checked(
    request: &HttpRequest,
    state: &AppState,
    form: &[(String, String)],
) -> Result<SignedIn, HttpError> {
    same_origin(request, state)?;
    let visitor = visitor(request).ok_or(HttpError::Unauthorized)?;
    visitor.check_csrf(field(form, "csrf").unwrap_or_default())?;
    Ok(visitor)
}

/// The first value posted for `name`.
fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// What the buttons and the embargo date ask: publish or keep as a draft, now or later.
fn publication(form: &[(String, String)]) -> Result<Request, Vec<FieldError>> {
    let status = match field(form, "action") {
        Some("draft") => Asked::Draft,
        _ => Asked::Published,
    };
    let embargo = match field(form, "embargo")
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        None => None,
        Some(date) => match crate::model::time::parse_instant(date) {
            Some(until) if until > crate::model::time::now_millis() => Some(until),
            _ => {
                return Err(vec![FieldError {
                    field: "embargo".into(),
                    key: "field_bad_embargo",
                }]);
            }
        },
    };
    Ok(Request {
        status: Some(status),
        embargo: embargo.filter(|_| status == Asked::Published),
    })
}

fn json_body(model: &crate::model::json::DatasetJson) -> Result<Vec<u8>, HttpError> {
    serde_json::to_vec(model).map_err(|e| HttpError::Serialize(std::io::Error::other(e)))
}

fn writer_of(request: &HttpRequest, visitor: &SignedIn) -> Writer {
    Writer {
        who: visitor.who.clone(),
        by: provenance(request, &visitor.who),
    }
}

/// After a save: the record's form, saying what was done (post, redirect, get: reloading
/// the page does not post again).
fn saved(state: &AppState, written: &crate::edit::Written) -> HttpResponse {
    let done = match written.status {
        crate::edit::Status::Embargoed => "embargoed",
        crate::edit::Status::Draft => "draft",
        crate::edit::Status::Published => "published",
    };
    let page = state
        .store
        .base()
        .resource(ResourceKind::Dataset, &written.record.id);
    see_other(&format!("{}/edit?done={done}", page.as_str()))
}

fn done_key(done: &str) -> Option<&'static str> {
    match done {
        "published" => Some("done_published"),
        "draft" => Some("done_draft"),
        "embargoed" => Some("done_embargoed"),
        _ => None,
    }
}

/// The publishers the person may choose, with their names: an editor's own; none for an
/// admin, who may name any.
async fn publisher_choices(
    state: &AppState,
    visitor: &SignedIn,
    language: &'static str,
) -> Result<Vec<(String, String)>, HttpError> {
    let crate::access::Role::Editor { publishers } = &visitor.who.role else {
        return Ok(Vec::new());
    };
    let iris: Vec<String> = publishers.iter().cloned().collect();
    state
        .blocking(move |store| store.agent_names(&iris, language))
        .await
}

fn id_or_404(id: &str) -> Result<crate::model::RecordId, HttpError> {
    crate::model::RecordId::parse(id).map_err(|_| HttpError::NotFound {
        kind: "dataset",
        id: id.to_owned(),
    })
}
