//! Reuses: what people made with the datasets (an application, a visualisation, an
//! article, an API…), declared by a reuser or an editor, shown on the datasets' pages and
//! at `{base}reuses` to show producers that their data is used. Each is a schema.org
//! `CreativeWork` that `schema:isBasedOn` the datasets, in its own graph.

use crate::model::time::{millis_literal, parse_date_time};
use crate::model::vocab::{RDF_TYPE, dct};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNodeRef, Quad, Term, TermRef};
use serde::Serialize;

/// schema.org, as RDF names it.
const SCHEMA: &str = "http://schema.org/";

fn schema(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SCHEMA}{local}"))
}

/// What kind of thing a reuse is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReuseKind {
    /// An application (`schema:SoftwareApplication`).
    Application,
    /// A map, a chart, a dashboard (`schema:VisualArtwork`).
    Visualisation,
    /// An article, a report, a paper (`schema:Article`).
    Article,
    /// An API built on the data (`schema:WebAPI`).
    Api,
    /// Anything else (`schema:CreativeWork` only).
    Other,
}

impl ReuseKind {
    /// Every kind, in the form's order.
    pub const ALL: [Self; 5] = [
        Self::Application,
        Self::Visualisation,
        Self::Article,
        Self::Api,
        Self::Other,
    ];

    /// The form's word for it.
    pub fn word(self) -> &'static str {
        match self {
            Self::Application => "application",
            Self::Visualisation => "visualisation",
            Self::Article => "article",
            Self::Api => "api",
            Self::Other => "other",
        }
    }

    /// The kind a form's word names.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.word() == word)
    }

    /// Its schema.org class, besides `CreativeWork`.
    fn class(self) -> Option<&'static str> {
        match self {
            Self::Application => Some("SoftwareApplication"),
            Self::Visualisation => Some("VisualArtwork"),
            Self::Article => Some("Article"),
            Self::Api => Some("WebAPI"),
            Self::Other => None,
        }
    }
}

/// A reuse as declared.
#[derive(Debug, Clone)]
pub struct NewReuse {
    /// Its title.
    pub title: String,
    /// Where it is.
    pub url: NamedNode,
    /// What it is.
    pub kind: ReuseKind,
    /// An image of it.
    pub image: Option<NamedNode>,
    /// The datasets it is based on.
    pub datasets: Vec<NamedNode>,
    /// Who declared it, if they signed.
    pub creator: Option<String>,
}

impl NewReuse {
    /// Its triples, named `iri`, in its own graph, made at `now` (ms).
    pub fn quads(&self, iri: &NamedNode, now: i64) -> Vec<Quad> {
        let graph = GraphName::NamedNode(iri.clone());
        let quad = |p: NamedNode, o: Term| Quad::new(iri.clone(), p, o, graph.clone());
        let mut quads = vec![
            quad(RDF_TYPE.into_owned(), schema("CreativeWork").into()),
            quad(
                schema("name"),
                Literal::new_simple_literal(&self.title).into(),
            ),
            quad(schema("url"), self.url.clone().into()),
            quad(dct::CREATED.into_owned(), millis_literal(now).into()),
        ];
        if let Some(class) = self.kind.class() {
            quads.push(quad(RDF_TYPE.into_owned(), schema(class).into()));
        }
        if let Some(image) = &self.image {
            quads.push(quad(schema("image"), image.clone().into()));
        }
        if let Some(name) = &self.creator {
            quads.push(quad(
                schema("creditText"),
                Literal::new_simple_literal(name).into(),
            ));
        }
        for dataset in &self.datasets {
            quads.push(quad(schema("isBasedOn"), dataset.clone().into()));
        }
        quads
    }
}

/// A reuse as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reuse {
    /// Its IRI.
    pub iri: String,
    /// Its title.
    pub title: String,
    /// Where it is.
    pub url: String,
    /// What it is.
    pub kind: ReuseKind,
    /// An image of it.
    pub image: Option<String>,
    /// The datasets it is based on.
    pub datasets: Vec<String>,
    /// Who declared it.
    pub creator: Option<String>,
    /// When (RFC 3339).
    pub created: String,
}

impl Reuse {
    /// The reuse `iri` in `quads` (its graph), if they hold one.
    pub fn read(iri: &NamedNode, quads: &[Quad]) -> Option<Self> {
        let subject: NamedOrBlankNodeRef<'_> = iri.as_ref().into();
        let objects = |p: NamedNode| {
            quads
                .iter()
                .filter(move |q| q.subject.as_ref() == subject && q.predicate == p)
                .map(|q| q.object.as_ref())
        };
        let iri_of = |t: TermRef<'_>| match t {
            TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        };
        let text_of = |t: TermRef<'_>| match t {
            TermRef::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        };
        let types: Vec<String> = objects(RDF_TYPE.into_owned()).filter_map(iri_of).collect();
        if !types.iter().any(|t| *t == format!("{SCHEMA}CreativeWork")) {
            return None;
        }
        let kind = ReuseKind::ALL
            .into_iter()
            .find(|k| {
                k.class()
                    .is_some_and(|c| types.contains(&format!("{SCHEMA}{c}")))
            })
            .unwrap_or(ReuseKind::Other);
        Some(Self {
            iri: iri.as_str().to_owned(),
            title: objects(schema("name")).find_map(text_of)?,
            url: objects(schema("url")).find_map(iri_of)?,
            kind,
            image: objects(schema("image")).find_map(iri_of),
            datasets: objects(schema("isBasedOn")).filter_map(iri_of).collect(),
            creator: objects(schema("creditText")).find_map(text_of),
            created: objects(dct::CREATED.into_owned())
                .find_map(parse_date_time)
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default(),
        })
    }
}

/// The predicate that links a reuse to a dataset, for lookups.
pub fn is_based_on() -> NamedNode {
    schema("isBasedOn")
}

/// The class every reuse has, for lookups.
pub fn creative_work() -> NamedNode {
    schema("CreativeWork")
}
