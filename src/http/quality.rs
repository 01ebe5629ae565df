//! `{base}datasets/{id}/quality`: a dataset's metadata quality as the MQA measures it —
//! for people (the score, the bars, what to improve), as JSON, and as W3C DQV in every
//! RDF syntax.

use super::AppState;
use super::errors::HttpError;
use super::extract::Language;
use super::respond::{Rendered, choose, query_parameter, respond};
use crate::html::{Assessed, Frame};
use crate::model::vocab::dct;
use crate::model::{RecordId, ResourceKind, Variants};
use crate::quality::{Assessment, Evidence, assess, dqv};
use crate::rdf::{Representation, serialize};
use crate::store::Records;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::{Graph, NamedOrBlankNode, NamedOrBlankNodeRef, TermRef};
use std::collections::HashSet;

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
    let codes = state.quality_codes.clone();
    let validator = state.validator.clone();
    let found = state
        .blocking(move |store| {
            let Some(description) = store.describe(ResourceKind::Dataset, &asked)? else {
                return Ok(None);
            };
            let graph: Graph = description
                .quads
                .iter()
                .map(|q| oxigraph::model::TripleRef::from(q.as_ref()))
                .collect();
            let topic = NamedOrBlankNode::from(description.topic.clone());
            let compliant = compliant(&validator, &graph, topic.as_ref())?;
            let evidence = Evidence {
                compliant,
                status: &|_| None,
            };
            let assessment = assess(&graph, topic.as_ref(), &codes, &evidence);
            let title = crate::html::text_in(&description, dct::TITLE, language)
                .unwrap_or_else(|| asked.as_str().to_owned());
            Ok::<_, HttpError>(Some((assessment, topic, title)))
        })
        .await?
        .ok_or_else(not_found)?;
    let (assessment, topic, title) = found;
    let page = state.store.base().resource(ResourceKind::Dataset, &record);
    let here = format!("{}/quality", page.as_str());
    if json {
        return Ok(HttpResponse::Ok()
            .insert_header((header::VARY, "Accept"))
            .json(&assessment));
    }
    let representation = representation.unwrap_or(Representation::Html);
    let body = if representation == Representation::Html {
        html(
            &request,
            &state,
            (&assessment, &title),
            (page.as_str(), &here),
            language,
        )?
    } else {
        let quads: Vec<_> = dqv::triples(&assessment, &topic, &here)
            .into_iter()
            .map(|t| t.in_graph(oxigraph::model::GraphName::DefaultGraph))
            .collect();
        serialize(&quads, representation).map_err(HttpError::Serialize)?
    };
    let rendered = Rendered::new(
        body,
        representation,
        None,
        None,
        Variants::FormatParameter(&here),
    );
    Ok(respond(&request, &rendered))
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

/// Whether the dataset `topic` and its distributions meet the profile (no violation whose
/// focus is one of them).
fn compliant(
    validator: &crate::validate::Validator,
    graph: &Graph,
    topic: NamedOrBlankNodeRef<'_>,
) -> Result<bool, HttpError> {
    let mut own: HashSet<String> = HashSet::new();
    if let NamedOrBlankNodeRef::NamedNode(n) = topic {
        own.insert(n.as_str().to_owned());
    }
    for object in
        graph.objects_for_subject_predicate(topic, crate::model::vocab::dcat::DISTRIBUTION_PROP)
    {
        if let TermRef::NamedNode(n) = object {
            own.insert(n.as_str().to_owned());
        }
    }
    let report = validator
        .validate(graph)
        .map_err(HttpError::Validation)?
        .about(&own);
    Ok(report.conforms)
}

fn html(
    request: &HttpRequest,
    state: &AppState,
    (assessment, title): (&Assessment, &str),
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
    };
    Ok(state
        .pages
        .quality(assessment, &dataset, &frame)?
        .into_bytes())
}
