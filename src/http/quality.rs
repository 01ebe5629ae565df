//! `{base}datasets/{id}/quality`: a dataset's metadata quality as the MQA measures it —
//! for people (the score, the bars, what to improve), as JSON, and as W3C DQV in every
//! RDF syntax.

use super::AppState;
use super::errors::HttpError;
use super::extract::Language;
use super::respond::{Rendered, choose, query_parameter, respond};
use crate::html::{Assessed, CheckedLink, DeclaredStandard, Frame};
use crate::model::vocab::{dcat, dct};
use crate::model::{RecordId, ResourceKind, Variants};
use crate::quality::{Assessment, dqv};
use crate::rdf::{Representation, serialize};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

/// The quality board that follows `store`, with `search` reading its scores: search
/// documents carry each dataset's score, and are indexed again when the board scores a
/// dataset anew (after the write that changed it).
pub(super) fn board_for(
    store: &crate::store::CatalogStore,
    search: &crate::search::SearchIndex,
    scorer: crate::quality::board::Scorer,
) -> crate::quality::board::Board {
    let board = crate::quality::board::Board::follow(store, scorer);
    search.read_quality_from(board.clone());
    let index = search.clone();
    board.tell_scores_to(std::sync::Arc::new(move |store, changes| {
        if let Err(error) = index.rescore(store, changes) {
            tracing::error!(%error, "the search index missed a score (repaired on restart)");
        }
    }));
    board
}

/// `GET {base}datasets/{id}/quality`.
pub async fn quality(
    request: HttpRequest,
    Language(language): Language,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let (_, id) = path.into_inner();
    let not_found = || HttpError::NotFound {
        kind: "dataset",
        id: id.clone(),
    };
    let record = RecordId::parse(&id).map_err(|_| not_found())?;
    let json = wants_json(&request)?;
    let representation = if json {
        None
    } else {
        Some(choose(&request, None)?)
    };
    let asked = record.clone();
    let scorer = state.scorer.clone();
    let known = state.board.compliance_of(&record);
    let found = state
        .blocking(move |store| {
            let Some(scored) = scorer
                .dataset(store, &asked, known)
                .map_err(HttpError::Validation)?
            else {
                return Ok(None);
            };
            let (assessment, topic, description) =
                (scored.assessment, scored.topic, scored.description);
            let title = crate::html::text_in(&description, dct::TITLE, language)
                .unwrap_or_else(|| asked.as_str().to_owned());
            let declared = store.declared_standards(std::slice::from_ref(&asked))?;
            Ok::<_, HttpError>(Some((assessment, topic, title, description, declared)))
        })
        .await?
        .ok_or_else(not_found)?;
    let (assessment, topic, title, description, declared) = found;
    let links = links_of(&description, &topic, &state.links);
    let standards: Vec<DeclaredStandard> = declared
        .into_iter()
        .map(|d| DeclaredStandard {
            check: state.standards.get(&d.file, &d.schema),
            file: d.file,
            schema: d.schema,
        })
        .collect();
    let page = state.store.base().resource(ResourceKind::Dataset, &record);
    let here = format!("{}/quality", page.as_str());
    if json {
        return Ok(HttpResponse::Ok()
            .insert_header((header::VARY, "Accept"))
            .json(Answer {
                assessment: &assessment,
                links: links.iter().map(LinkAnswer::of).collect(),
                standards: &standards,
            }));
    }
    let representation = representation.unwrap_or(Representation::Html);
    let body = if representation == Representation::Html {
        html(
            &request,
            &state,
            (&assessment, &title, (&links, &standards)),
            (page.as_str(), &here),
            language,
        )?
    } else {
        rdf(dqv::triples(&assessment, &topic, &here), representation)?
    };
    Ok(answer(&request, body, representation, &here))
}

/// The JSON of a dataset's quality: the assessment, and what its URLs answered.
#[derive(serde::Serialize)]
struct Answer<'a> {
    #[serde(flatten)]
    assessment: &'a Assessment,
    links: Vec<LinkAnswer<'a>>,
    standards: &'a [DeclaredStandard],
}

/// A URL's last check, in the JSON.
#[derive(serde::Serialize)]
struct LinkAnswer<'a> {
    url: &'a str,
    download: bool,
    checked: Option<String>,
    method: Option<&'a str>,
    status: Option<u16>,
    error: Option<&'a str>,
}

impl<'a> LinkAnswer<'a> {
    fn of(link: &'a CheckedLink) -> Self {
        let check = link.check.as_ref();
        Self {
            url: &link.url,
            download: link.download,
            checked: check.and_then(|c| {
                c.checked
                    .format(&time::format_description::well_known::Rfc3339)
                    .ok()
            }),
            method: check.map(|c| c.method.as_str()),
            status: check.and_then(|c| c.status),
            error: check.and_then(|c| c.error.as_deref()),
        }
    }
}

/// The URLs the distributions of the dataset `topic` give, with their last checks.
fn links_of(
    description: &crate::store::Description,
    topic: &oxigraph::model::NamedOrBlankNode,
    book: &crate::links::LinkBook,
) -> Vec<CheckedLink> {
    let distributions: Vec<&oxigraph::model::Term> = description
        .quads
        .iter()
        .filter(|q| q.subject == *topic && q.predicate == dcat::DISTRIBUTION_PROP)
        .map(|q| &q.object)
        .collect();
    let mut links = Vec::new();
    for quad in &description.quads {
        let download = quad.predicate == dcat::DOWNLOAD_URL;
        let owned = distributions
            .iter()
            .any(|d| oxigraph::model::Term::from(quad.subject.clone()) == **d);
        if !(owned && (download || quad.predicate == dcat::ACCESS_URL)) {
            continue;
        }
        if let oxigraph::model::Term::NamedNode(url) = &quad.object
            && !links
                .iter()
                .any(|l: &CheckedLink| l.url == url.as_str() && l.download == download)
        {
            links.push(CheckedLink {
                url: url.as_str().to_owned(),
                download,
                check: book.get(url.as_str()),
            });
        }
    }
    links
}

/// `triples` in the RDF syntax `representation`.
pub(super) fn rdf(
    triples: Vec<oxigraph::model::Triple>,
    representation: Representation,
) -> Result<Vec<u8>, HttpError> {
    let quads: Vec<_> = triples
        .into_iter()
        .map(|t| t.in_graph(oxigraph::model::GraphName::DefaultGraph))
        .collect();
    serialize(&quads, representation).map_err(HttpError::Serialize)
}

/// `body` as the answer at `here` (its other syntaxes at `?format=`).
pub(super) fn answer(
    request: &HttpRequest,
    body: Vec<u8>,
    representation: Representation,
    here: &str,
) -> HttpResponse {
    let rendered = Rendered::new(
        body,
        representation,
        None,
        None,
        Variants::FormatParameter(here),
    );
    respond(request, &rendered)
}

/// Whether `?format=json` or `Accept: application/json` asks for the JSON.
fn wants_json(request: &HttpRequest) -> Result<bool, HttpError> {
    if let Some(format) = query_parameter(request, "format")? {
        return Ok(format == "json");
    }
    let accept = super::respond::accept(request).unwrap_or_default();
    Ok(accept
        .split(',')
        .next()
        .is_some_and(|first| first.trim().starts_with("application/json")))
}

fn html(
    request: &HttpRequest,
    state: &AppState,
    (assessment, title, (links, standards)): (
        &Assessment,
        &str,
        (&[CheckedLink], &[DeclaredStandard]),
    ),
    (page, here): (&str, &str),
    language: &'static str,
) -> Result<Vec<u8>, HttpError> {
    let visitor = super::session::visitor(request).map(|v| v.view());
    let edit = visitor.as_ref().map(|_| format!("{page}/edit"));
    let frame = Frame {
        base: state.store.base().as_str(),
        language,
        here,
        kind: "quality",
        visitor: visitor.as_ref(),
    };
    let dataset = Assessed {
        page,
        title,
        edit: edit.as_deref(),
        links,
        standards,
    };
    Ok(state
        .pages
        .quality(assessment, &dataset, &frame)?
        .into_bytes())
}

/// How many of the lowest scores the dashboard lists.
const WORST: usize = 20;

/// `GET {base}quality`: the catalog's quality dashboard, for people and as JSON.
pub async fn dashboard(
    request: HttpRequest,
    Language(language): Language,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let summary = state.board.summary(WORST);
    if wants_json(&request)? {
        return Ok(HttpResponse::Ok()
            .insert_header((header::VARY, "Accept"))
            .json(&summary));
    }
    let representation = choose(&request, None)?;
    let here = format!("{}quality", state.store.base());
    if representation != Representation::Html {
        let catalog = state.store.base().catalog();
        let triples = dqv::catalog_triples((summary.mean, summary.band), &catalog, &here);
        return Ok(answer(
            &request,
            rdf(triples, representation)?,
            representation,
            &here,
        ));
    }
    // Titles as the board keeps them: no store read per dataset listed.
    let titles: Vec<(String, String)> = summary
        .worst
        .iter()
        .map(|(id, _)| {
            let title = RecordId::parse(id)
                .ok()
                .and_then(|record| state.board.title_of(&record, language));
            (id.clone(), title.unwrap_or_else(|| id.clone()))
        })
        .collect();
    let publishers: Vec<String> = summary
        .publishers
        .iter()
        .map(|(p, _, _)| p.clone())
        .collect();
    let names = state
        .blocking(move |store| {
            let agents = store.agent_names(&publishers, language)?;
            Ok::<_, HttpError>((titles, agents))
        })
        .await?;
    let visitor = super::session::visitor(&request).map(|v| v.view());
    let frame = Frame {
        base: state.store.base().as_str(),
        language,
        here: &here,
        kind: "quality",
        visitor: visitor.as_ref(),
    };
    let body = state
        .pages
        .quality_dashboard(&summary, (&names.0, &names.1), &frame)?
        .into_bytes();
    let mut response = answer(&request, body, Representation::Html, &here);
    // The numbers move as datasets are written: no cache keeps them long.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-cache"),
    );
    Ok(response)
}
