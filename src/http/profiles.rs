//! `?_profile=alt` on a record: the profiles and media types it can be served in, as RDF
//! (the W3C DXWG "Alternate Representations" model: `altr:hasRepresentation`, each
//! `dct:conformsTo` a `prof:Profile` and `dct:format` a media type).

use super::AppState;
use super::errors::HttpError;
use super::extract::RecordPath;
use super::respond::{CONTENT_PROFILE, Rendered, respond};
use crate::exports::{Export, Format, Profile};
use crate::model::vocab::{RDF_TYPE, dct};
use crate::model::{ResourceKind, Variants};
use crate::rdf::{Offer, Representation, serialize};
use actix_web::http::header::HeaderValue;
use actix_web::{HttpRequest, HttpResponse};
use oxigraph::model::vocab::rdfs;
use oxigraph::model::{
    BlankNode, GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};

/// The Alternate Representations model's namespace.
const ALTR: &str = "http://www.w3.org/ns/dx/conneg/altr#";
/// The profile the list itself conforms to.
const ALTR_PROFILE: &str = "http://www.w3.org/ns/dx/conneg/altr";
/// The Profiles Vocabulary.
const PROF: &str = "http://www.w3.org/ns/dx/prof/";

/// The list of `path`'s representations in `syntax`; 404 or 410 as the record would be.
pub async fn alternates(
    request: &HttpRequest,
    state: &AppState,
    path: &RecordPath,
    syntax: Representation,
) -> Result<HttpResponse, HttpError> {
    let description = state.described(path).await?;
    let page = state.store.base().resource(path.kind, &path.id);
    let quads = listing(&description.topic, &page, path.kind);
    let body = serialize(&quads, syntax).map_err(HttpError::Serialize)?;
    let rendered = Rendered::new(
        body,
        syntax,
        description.modified,
        None,
        Variants::of(page.as_str()),
    );
    let mut response = respond(request, &rendered);
    response.headers_mut().insert(
        CONTENT_PROFILE
            .try_into()
            .map_err(|_| HttpError::Unavailable)?,
        HeaderValue::from_str(&format!("<{ALTR_PROFILE}>")).map_err(|_| HttpError::Unavailable)?,
    );
    Ok(response)
}

/// Every format a record of `kind` offers, with its profile: DCAT-AP's RDF syntaxes, the
/// page, and for datasets and data papers the exports.
pub fn offered(kind: ResourceKind) -> Vec<Format> {
    let mut formats: Vec<Format> = Representation::ALL.into_iter().map(Format::Rdf).collect();
    if matches!(kind, ResourceKind::Dataset | ResourceKind::DataPaper) {
        formats.extend(Export::ALL.into_iter().map(Format::Export));
    }
    formats
}

fn term(namespace: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{namespace}{local}"))
}

/// The quads of the list: one `altr:Representation` per format, Turtle the default, each
/// with its URL (`rdfs:seeAlso`).
fn listing(topic: &NamedNode, page: &NamedNode, kind: ResourceKind) -> Vec<Quad> {
    let mut quads = Vec::new();
    let mut add = |s: NamedOrBlankNode, p: NamedNode, o: Term| {
        quads.push(Quad::new(s, p, o, GraphName::DefaultGraph));
    };
    let mut profiles: Vec<Profile> = Vec::new();
    for format in offered(kind) {
        let node = BlankNode::default();
        add(
            topic.clone().into(),
            term(ALTR, "hasRepresentation"),
            node.clone().into(),
        );
        if format == Format::Rdf(Representation::Turtle) {
            add(
                topic.clone().into(),
                term(ALTR, "hasDefaultRepresentation"),
                node.clone().into(),
            );
        }
        add(
            node.clone().into(),
            RDF_TYPE.into_owned(),
            term(ALTR, "Representation").into(),
        );
        add(
            node.clone().into(),
            dct::FORMAT.into_owned(),
            Literal::from(format.media_type()).into(),
        );
        if let Some(profile) = format.profile() {
            let uri = NamedNodeRef::new_unchecked(profile.uri()).into_owned();
            add(
                node.clone().into(),
                dct::CONFORMS_TO.into_owned(),
                uri.into(),
            );
            if !profiles.contains(&profile) {
                profiles.push(profile);
            }
        }
        let url = match format {
            Format::Rdf(r) => Variants::of(page.as_str()).url(r.extension()),
            Format::Export(e) => format!("{page}?format={}", e.name()),
        };
        // Where that representation is, whatever the client's headers.
        add(
            node.into(),
            rdfs::SEE_ALSO.into_owned(),
            NamedNode::new_unchecked(url).into(),
        );
    }
    for profile in profiles {
        let uri = NamedNodeRef::new_unchecked(profile.uri()).into_owned();
        add(
            uri.clone().into(),
            RDF_TYPE.into_owned(),
            term(PROF, "Profile").into(),
        );
        add(
            uri.clone().into(),
            dct::TITLE.into_owned(),
            Literal::from(profile.label()).into(),
        );
        add(
            uri.into(),
            term(PROF, "hasToken"),
            Literal::from(profile.token()).into(),
        );
    }
    quads
}
