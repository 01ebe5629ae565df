//! The publishing forms for people signed in, one set per kind of record: create
//! (`{base}publish/{kind}`), edit (`{base}{kind}/{id}/edit`), delete
//! (`{base}{kind}/{id}/delete`), for datasets, data papers and agents.
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
use crate::html::{
    AgentFields, DatasetFields, FieldError, FormFields, FormPurpose, Frame, Notes, PaperFields,
    Picks, RecordForm,
};
use crate::model::RecordKind;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

/// What a form posts: every field, in order (themes repeat).
pub type Posted = web::Form<Vec<(String, String)>>;

/// The most datasets a data paper's form offers to tick (others are typed).
const PICKABLE_DATASETS: usize = 300;

/// The largest form a person may post: room for long descriptions in both languages and
/// many files; past it, 413.
const MAX_FORM: usize = 1024 * 1024;

/// The forms' routes, for every kind of record a person may publish.
pub fn routes(config: &mut web::ServiceConfig) {
    kind_routes::<DatasetFields>(config);
    kind_routes::<PaperFields>(config);
    kind_routes::<AgentFields>(config);
    config.service(
        web::resource("/{kind:datasets|data-papers|agents}/{id}/delete")
            .app_data(web::FormConfig::default().limit(MAX_FORM))
            .route(web::get().to(confirm_delete))
            .route(web::post().to(delete_record))
            .default_service(web::to(super::only_get_post)),
    );
}

fn kind_routes<F: FormFields + 'static>(config: &mut web::ServiceConfig) {
    let segment = F::KIND.resource_kind().path_segment();
    config
        .service(
            web::resource(format!("/publish/{segment}"))
                .app_data(web::FormConfig::default().limit(MAX_FORM))
                .route(web::get().to(new_record::<F>))
                .route(web::post().to(create_record::<F>))
                .default_service(web::to(super::only_get_post)),
        )
        .service(
            web::resource(format!("/{{kind:{segment}}}/{{id}}/edit"))
                .app_data(web::FormConfig::default().limit(MAX_FORM))
                .route(web::get().to(edit_record::<F>))
                .route(web::post().to(save_record::<F>))
                .default_service(web::to(super::only_get_post)),
        );
}

/// `GET {base}publish/{kind}`: the blank form.
pub async fn new_record<F: FormFields>(
    request: HttpRequest,
    Language(language): Language,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let here = publish_url::<F>(&state);
    let Some(visitor) = visitor(&request) else {
        return Ok(super::signin::signin_first(&state, &here));
    };
    let page = FormPage::of::<F>(&state, &visitor, language, &here).await?;
    let asked = web::Query::<Vec<(String, String)>>::from_query(request.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default();
    let fields = F::blank(&page.own, &asked);
    let form = (FormPurpose::Create, &fields, &Notes::default());
    page.render(&state, form, None, StatusCode::OK)
}

/// `POST {base}publish/{kind}`: creates the record, as a draft or published.
pub async fn create_record<F: FormFields>(
    request: HttpRequest,
    Language(language): Language,
    form: Posted,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let here = publish_url::<F>(&state);
    let visitor = checked(&request, &state, &form)?;
    let page = FormPage::of::<F>(&state, &visitor, language, &here).await?;
    let fields = F::from_pairs(&form);
    let (model, asked) = match fields.to_model().and_then(|m| Ok((m, publication(&form)?))) {
        Ok(ready) => ready,
        Err(errors) => return page.refused(&state, (FormPurpose::Create, fields), &errors),
    };
    let body = json_body(&model, None)?;
    let writer = writer_of(&request, &visitor);
    let written = state
        .edit(move |edits| {
            let incoming = crate::edit::Incoming {
                bytes: &body,
                content_type: "application/json",
            };
            edits.create(F::KIND, incoming, asked, &writer)
        })
        .await;
    match written {
        Ok(written) => Ok(saved::<F>(&state, &written)),
        Err(error) => page.failed(&state, (FormPurpose::Create, fields), error),
    }
}

/// `GET {base}{kind}/{id}/edit`: the form holding the record, with the profile's report on
/// it next to its fields.
pub async fn edit_record<F: FormFields>(
    request: HttpRequest,
    Language(language): Language,
    id: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (_, id) = id.into_inner();
    let here = record_url::<F>(&state, &id, "edit");
    let Some(visitor) = visitor(&request) else {
        return Ok(super::signin::signin_first(&state, &here));
    };
    let done = super::respond::query_parameter(&request, "done")?.and_then(|d| done_key(&d));
    let page = FormPage::of::<F>(&state, &visitor, language, &here).await?;
    page.current::<F>(&state, &id, done, None).await
}

/// `POST {base}{kind}/{id}/edit`: replaces the record, if it is still at the version the
/// form was opened at.
pub async fn save_record<F: FormFields>(
    request: HttpRequest,
    Language(language): Language,
    id: web::Path<(String, String)>,
    form: Posted,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (_, id) = id.into_inner();
    let here = record_url::<F>(&state, &id, "edit");
    let visitor = checked(&request, &state, &form)?;
    let page = FormPage::of::<F>(&state, &visitor, language, &here).await?;
    let fields = F::from_pairs(&form);
    let version = field(&form, "version").unwrap_or_default().to_owned();
    let iri = state
        .store
        .base()
        .resource(F::KIND.resource_kind(), &id_or_404(F::KIND, &id)?);
    let purpose = || FormPurpose::Edit {
        iri: iri.as_str(),
        version: &version,
        draft: false,
    };
    let (model, asked) = match fields.to_model().and_then(|m| Ok((m, publication(&form)?))) {
        Ok(ready) => ready,
        Err(errors) => return page.refused(&state, (purpose(), fields), &errors),
    };
    let body = json_body(&model, Some(iri.as_str()))?;
    let writer = writer_of(&request, &visitor);
    let (asked_id, if_match) = (id.clone(), version.clone());
    let written = state
        .edit(move |edits| {
            let incoming = crate::edit::Incoming {
                bytes: &body,
                content_type: "application/json",
            };
            let request = (asked, Some(if_match.as_str()));
            edits.replace((F::KIND, &asked_id), incoming, request, &writer)
        })
        .await;
    match written {
        Ok(written) => Ok(saved::<F>(&state, &written)),
        Err(HttpError::PreconditionFailed { .. }) => {
            page.current::<F>(&state, &id, None, Some("form_stale"))
                .await
        }
        Err(error) => page.failed(&state, (purpose(), fields), error),
    }
}

/// `GET {base}{kind}/{id}/delete`: asks to confirm.
pub async fn confirm_delete(
    request: HttpRequest,
    Language(language): Language,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (segment, id) = path.into_inner();
    let kind = kind_of(&segment)?;
    let base = state.store.base().as_str().to_owned();
    let here = format!("{base}{segment}/{id}/delete");
    let Some(visitor) = visitor(&request) else {
        return Ok(super::signin::signin_first(&state, &here));
    };
    let who = visitor.who.clone();
    let asked = id.clone();
    let editable = state
        .edit(move |edits| edits.editable(kind, &asked, &who))
        .await?;
    let json = &editable.model.json;
    let names = json["title"]
        .as_object()
        .or_else(|| json["name"].as_object());
    let name = names
        .and_then(|names| names.get(language).or_else(|| names.values().next()))
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

/// `POST {base}{kind}/{id}/delete`: deletes the record (at the version confirmed).
pub async fn delete_record(
    request: HttpRequest,
    path: web::Path<(String, String)>,
    form: Posted,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (segment, id) = path.into_inner();
    let kind = kind_of(&segment)?;
    let visitor = checked(&request, &state, &form)?;
    let version = field(&form, "version").unwrap_or_default().to_owned();
    let writer = writer_of(&request, &visitor);
    state
        .edit(move |edits| edits.delete((kind, &id), Some(&version), &writer))
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
    own: Vec<(String, String)>,
}

impl<'a> FormPage<'a> {
    /// The page of a form of `F` at `here` for `visitor`, with their own picks.
    async fn of<F: FormFields>(
        state: &AppState,
        visitor: &'a SignedIn,
        language: &'static str,
        here: &'a str,
    ) -> Result<Self, HttpError> {
        let own = own_picks::<F>(state, visitor, language).await?;
        Ok(Self {
            visitor,
            language,
            here,
            own,
        })
    }

    fn render<F: FormFields>(
        &self,
        state: &AppState,
        (purpose, fields, notes): (FormPurpose<'_>, &F, &Notes),
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
        let form = RecordForm {
            purpose,
            action: self.here,
            fields,
            notes,
            own: &self.own,
            done,
        };
        let body = state.pages.record_form(&form, &state.choices, &frame)?;
        Ok(html(status, body))
    }

    /// The form again with the fields to correct (nothing was written): 422.
    fn refused<F: FormFields>(
        &self,
        state: &AppState,
        (purpose, mut fields): (FormPurpose<'_>, F),
        errors: &[FieldError],
    ) -> Result<HttpResponse, HttpError> {
        let notes = Notes::of_errors(errors, self.language);
        fields.offer_rows();
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        self.render(state, (purpose, &fields, &notes), None, status)
    }

    /// The form again after the workflow refused the write: the profile's report by the
    /// fields (422), or what the workflow said (with its status).
    fn failed<F: FormFields>(
        &self,
        state: &AppState,
        (purpose, mut fields): (FormPurpose<'_>, F),
        error: HttpError,
    ) -> Result<HttpResponse, HttpError> {
        let topic = match &purpose {
            FormPurpose::Edit { iri, .. } => (*iri).to_owned(),
            FormPurpose::Create => String::new(),
        };
        let (notes, status) = match error {
            HttpError::Invalid(report) => (
                Notes::of_report(
                    &report,
                    |finding| fields.field_of(finding, &topic, &[]),
                    self.language,
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            HttpError::BadRequest(message) | HttpError::Conflict(message) => {
                (Notes::general(message), StatusCode::UNPROCESSABLE_ENTITY)
            }
            HttpError::Forbidden(message) => (Notes::general(message), StatusCode::FORBIDDEN),
            other => return Err(other),
        };
        fields.offer_rows();
        self.render(state, (purpose, &fields, &notes), None, status)
    }

    /// The form holding the record `id` as stored, with its report; `problem` (a message
    /// key) said first.
    async fn current<F: FormFields>(
        &self,
        state: &AppState,
        id: &str,
        done: Option<&'static str>,
        problem: Option<&'static str>,
    ) -> Result<HttpResponse, HttpError> {
        let who = self.visitor.who.clone();
        let asked = id.to_owned();
        let editable = state
            .edit(move |edits| edits.editable(F::KIND, &asked, &who))
            .await?;
        let t = crate::html::messages(self.language);
        let model: F::Model = serde_json::from_value(editable.model.json.clone())
            .map_err(|e| HttpError::Serialize(std::io::Error::other(e)))?;
        let mut fields = F::from_model(&model);
        fields.offer_rows();
        let topic = editable.topic.as_str();
        let mut notes = Notes::of_report(
            &editable.report,
            |finding| fields.field_of(finding, topic, &editable.access_urls),
            self.language,
        );
        let said = [
            (!editable.expressible).then_some("form_inexpressible"),
            problem,
        ];
        for key in said.into_iter().flatten() {
            let text = t.get(key).copied().unwrap_or_default();
            notes
                .general
                .insert(0, crate::html::Note::violation(text.to_owned()));
        }
        let version = format!("\"v{}\"", editable.model.version);
        let purpose = FormPurpose::Edit {
            iri: topic,
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

/// The JSON body of `model`, about the record `iri` when it exists (the form does not hold
/// its IRI; a blank-node agent would not be a record of its own).
fn json_body(model: &impl serde::Serialize, iri: Option<&str>) -> Result<Vec<u8>, HttpError> {
    let failed = |e| HttpError::Serialize(std::io::Error::other(e));
    let mut value = serde_json::to_value(model).map_err(failed)?;
    if let (Some(iri), Some(object)) = (iri, value.as_object_mut()) {
        object.insert("id".into(), iri.into());
    }
    serde_json::to_vec(&value).map_err(failed)
}

fn writer_of(request: &HttpRequest, visitor: &SignedIn) -> Writer {
    Writer {
        who: visitor.who.clone(),
        by: provenance(request, &visitor.who),
    }
}

/// After a save: the record's form, saying what was done (post, redirect, get: reloading
/// the page does not post again).
fn saved<F: FormFields>(state: &AppState, written: &crate::edit::Written) -> HttpResponse {
    let done = match written.status {
        crate::edit::Status::Embargoed => "embargoed",
        crate::edit::Status::Draft => "draft",
        crate::edit::Status::Published => "published",
    };
    let page = state
        .store
        .base()
        .resource(F::KIND.resource_kind(), &written.record.id);
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

fn publish_url<F: FormFields>(state: &AppState) -> String {
    let segment = F::KIND.resource_kind().path_segment();
    format!("{}publish/{segment}", state.store.base())
}

fn record_url<F: FormFields>(state: &AppState, id: &str, action: &str) -> String {
    let segment = F::KIND.resource_kind().path_segment();
    format!("{}{segment}/{id}/{action}", state.store.base())
}

/// The kind of record whose IRIs start with `segment` (the routes allow only those).
fn kind_of(segment: &str) -> Result<RecordKind, HttpError> {
    [
        RecordKind::Dataset,
        RecordKind::DataPaper,
        RecordKind::Agent,
    ]
    .into_iter()
    .find(|kind| kind.resource_kind().path_segment() == segment)
    .ok_or_else(|| HttpError::NotFound {
        kind: "page",
        id: segment.to_owned(),
    })
}

/// What the person may pick among their own in a form of `F`: an editor's publishers
/// (with their names) or those publishers' datasets (with their titles); nothing for an
/// admin, who may name any.
async fn own_picks<F: FormFields>(
    state: &AppState,
    visitor: &SignedIn,
    language: &'static str,
) -> Result<Vec<(String, String)>, HttpError> {
    let crate::access::Role::Editor { publishers } = &visitor.who.role else {
        return Ok(Vec::new());
    };
    let iris: Vec<String> = publishers.iter().cloned().collect();
    match F::PICKS {
        Picks::Publishers => {
            state
                .blocking(move |store| store.agent_names(&iris, language))
                .await
        }
        Picks::Datasets => {
            state
                .blocking(move |store| {
                    store.datasets_published_by(&iris, (language, PICKABLE_DATASETS))
                })
                .await
        }
        Picks::Nothing => Ok(Vec::new()),
    }
}

fn id_or_404(kind: RecordKind, id: &str) -> Result<crate::model::RecordId, HttpError> {
    crate::model::RecordId::parse(id).map_err(|_| HttpError::NotFound {
        kind: kind.resource_kind().label(),
        id: id.to_owned(),
    })
}
