//! The SPARQL 1.1 Service Description of `{base}sparql`
//! ([W3C](https://www.w3.org/TR/sparql11-service-description/)), answered to a `GET`
//! without a query: RDF for machines, a query editor for people.

use super::AppState;
use crate::html::{Outcome, QueryPage, format_links};
use crate::http::errors::HttpError;
use crate::http::respond::{Rendered, choose, respond};
use crate::model::Variants;
use crate::rdf::{Representation, serialize};
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::{BlankNode, GraphName, NamedNode, NamedNodeRef, Quad};

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const FORMATS: &str = "http://www.w3.org/ns/formats/";

/// The description as quads (default graph). (Long, as a table is: one triple per line.)
fn description(endpoint: &NamedNode) -> Vec<Quad> {
    let sd = |local: &str| NamedNode::new_unchecked(format!("{SD}{local}"));
    let format = |local: &str| NamedNode::new_unchecked(format!("{FORMATS}{local}"));
    let rdf_type = crate::model::vocab::RDF_TYPE;
    let dataset = BlankNode::default();
    let graph = BlankNode::default();
    let quad =
        |s: oxigraph::model::NamedOrBlankNode, p: NamedNodeRef<'_>, o: oxigraph::model::Term| {
            Quad::new(s, p, o, GraphName::DefaultGraph)
        };
    let service: oxigraph::model::NamedOrBlankNode = endpoint.clone().into();
    let mut quads = vec![
        quad(service.clone(), rdf_type, sd("Service").into()),
        quad(
            service.clone(),
            sd("endpoint").as_ref(),
            endpoint.clone().into(),
        ),
        quad(
            service.clone(),
            sd("supportedLanguage").as_ref(),
            sd("SPARQL11Query").into(),
        ),
        quad(
            service.clone(),
            sd("supportedLanguage").as_ref(),
            sd("SPARQL11Update").into(),
        ),
        quad(
            service.clone(),
            sd("feature").as_ref(),
            sd("UnionDefaultGraph").into(),
        ),
        quad(
            service.clone(),
            sd("defaultDataset").as_ref(),
            dataset.clone().into(),
        ),
        quad(dataset.clone().into(), rdf_type, sd("Dataset").into()),
        // What its data meets and what it holds: the profile's shapes, the VoID counts.
        quad(
            dataset.clone().into(),
            crate::model::vocab::dct::CONFORMS_TO,
            NamedNode::new_unchecked(format!(
                "{}shapes",
                endpoint
                    .as_str()
                    .strip_suffix("sparql")
                    .unwrap_or(endpoint.as_str())
            ))
            .into(),
        ),
        quad(
            dataset.clone().into(),
            NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
            NamedNode::new_unchecked(format!(
                "{}.well-known/void",
                endpoint
                    .as_str()
                    .strip_suffix("sparql")
                    .unwrap_or(endpoint.as_str())
            ))
            .into(),
        ),
        quad(
            dataset.into(),
            sd("defaultGraph").as_ref(),
            graph.clone().into(),
        ),
        quad(graph.into(), rdf_type, sd("Graph").into()),
    ];
    for result_format in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "JSON-LD",
        "RDF_XML",
        "N-Triples",
        "N-Quads",
        "TriG",
    ] {
        quads.push(quad(
            service.clone(),
            sd("resultFormat").as_ref(),
            format(result_format).into(),
        ));
        // Typed here too, so the description stands on its own for `rdfs:range` checks.
        quads.push(quad(
            format(result_format).into(),
            rdf_type,
            format("Format").into(),
        ));
    }
    quads
}

/// `GET {base}sparql` without a query.
pub async fn describe(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let representation = choose(&request, None)?;
    let endpoint = state.store.base().sparql_endpoint();
    let body = if representation == Representation::Html {
        let visitor = crate::http::session::visitor(&request).map(|v| v.view());
        let page = QueryPage {
            visitor: visitor.as_ref(),
            base: state.store.base().as_str(),
            language: crate::http::respond::preferred_language(&request),
            here: endpoint.as_str(),
            endpoint: endpoint.as_str(),
            query: None,
            default_graphs: &[],
            named_graphs: &[],
            formats: format_links(Variants::FormatParameter(endpoint.as_str())),
            downloads: Vec::new(),
            outcome: Outcome::Editor,
        };
        state.pages.query(&page)?.into_bytes()
    } else {
        serialize(&description(&endpoint), representation).map_err(HttpError::Serialize)?
    };
    let variants = Variants::FormatParameter(endpoint.as_str());
    let rendered = Rendered::new(body, representation, None, None, variants);
    Ok(respond(&request, &rendered))
}
