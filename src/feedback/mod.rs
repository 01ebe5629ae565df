//! Reusers' feedback as linked data: comments, questions, problem reports and suggested
//! corrections on a dataset or one of its distributions, stored as W3C Web Annotations
//! (`oa:Annotation`), each in its own named graph (the annotation's IRI), never in a
//! record's graph: nothing of it reaches the DCAT feed or the profile's validation.
//!
//! An email left for the answer is kept apart, in the private store, and never served.

mod limits;
pub mod notify;
pub mod reports;
pub mod reuses;

pub use limits::PostLimits;

use crate::model::time::{millis_literal, parse_date_time};
use crate::model::vocab::{RDF_TYPE, activity_streams, dce, dct, foaf, oa};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term, TermRef,
};
use serde::Serialize;
use serde_json::{Value, json};

/// The longest text an annotation may carry, in characters (past it: 413).
pub const MAX_TEXT: usize = 10_000;
/// The longest name a reuser may give.
pub const MAX_NAME: usize = 100;

/// The URL the annotations' JSON-LD names as its context.
pub const ANNO_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// The media type of Web Annotation JSON-LD.
pub const ANNO_MEDIA_TYPE: &str =
    "application/ld+json; profile=\"http://www.w3.org/ns/anno.jsonld\"";

/// Why a reuser writes: the Web Annotation motivations we take from a dataset's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Motivation {
    /// A comment.
    Commenting,
    /// A question for the producer.
    Questioning,
    /// A suggested correction (a wrong licence…).
    Editing,
    /// A problem report (a broken link, wrong data).
    Assessing,
    /// An answer in a thread.
    Replying,
    /// A review announced by a review service (COAR Notify).
    Reviewing,
    /// A relationship announced by a repository (an article citing the dataset).
    Linking,
}

impl Motivation {
    /// Every motivation a reuser may choose, in the form's order.
    pub const OFFERED: [Self; 4] = [
        Self::Assessing,
        Self::Questioning,
        Self::Editing,
        Self::Commenting,
    ];

    /// The `oa:` motivation.
    pub fn iri(self) -> NamedNodeRef<'static> {
        match self {
            Self::Commenting => oa::COMMENTING,
            Self::Questioning => oa::QUESTIONING,
            Self::Editing => oa::EDITING,
            Self::Assessing => oa::ASSESSING,
            Self::Replying => oa::REPLYING,
            Self::Reviewing => oa::REVIEWING,
            Self::Linking => oa::LINKING,
        }
    }

    /// The word the annotation context uses (`questioning`).
    pub fn word(self) -> &'static str {
        match self {
            Self::Commenting => "commenting",
            Self::Questioning => "questioning",
            Self::Editing => "editing",
            Self::Assessing => "assessing",
            Self::Replying => "replying",
            Self::Reviewing => "reviewing",
            Self::Linking => "linking",
        }
    }

    /// How the W3C context says it: its word, except `oa:assessing`, which the vocabulary
    /// has but the context forgot (a bare `assessing` would expand to a relative IRI).
    pub fn json_ld_term(self) -> &'static str {
        match self {
            Self::Assessing => "oa:assessing",
            other => other.word(),
        }
    }

    /// The motivation a form's word names.
    pub fn parse(word: &str) -> Option<Self> {
        [Self::Replying, Self::Reviewing, Self::Linking]
            .into_iter()
            .chain(Self::OFFERED)
            .find(|m| m.word() == word)
    }

    fn of_iri(iri: &str) -> Option<Self> {
        [Self::Replying, Self::Reviewing, Self::Linking]
            .into_iter()
            .chain(Self::OFFERED)
            .find(|m| m.iri().as_str() == iri)
    }
}

/// What a producer's answer says of a report: dealt with, or not to be acted on. Kept as
/// a tag of the answer (a second body with the purpose `oa:tagging`), as the Web
/// Annotation model tags things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    /// The problem was fixed, the question answered, the correction made.
    Resolved,
    /// It will not be acted on (the note says why).
    Rejected,
}

impl Resolution {
    /// The tag's text.
    pub fn word(self) -> &'static str {
        match self {
            Self::Resolved => "resolved",
            Self::Rejected => "rejected",
        }
    }

    /// The resolution a form's word names.
    pub fn parse(word: &str) -> Option<Self> {
        [Self::Resolved, Self::Rejected]
            .into_iter()
            .find(|r| r.word() == word)
    }
}

/// An annotation as posted.
#[derive(Debug, Clone)]
pub struct NewAnnotation {
    /// What it is about: the dataset, one of its distributions, or (a reply) an annotation.
    pub target: NamedNode,
    /// Why.
    pub motivation: Motivation,
    /// What they say.
    pub text: String,
    /// The text's language, when the page says it (`fr`, `en`).
    pub language: Option<&'static str>,
    /// The name they sign with, if any.
    pub creator: Option<String>,
    /// For a producer's answer: what it says of the report.
    pub resolution: Option<Resolution>,
    /// A resource that is the body instead of the text (an announced review, the article
    /// of a relationship).
    pub link: Option<NamedNode>,
    /// The service that announced it, for notifications.
    pub generator: Option<NamedNode>,
    /// The kind of relationship a linking annotation stands for (`dct:type`).
    pub relation: Option<NamedNode>,
}

impl NewAnnotation {
    /// The annotation's triples, named `iri`, in its own graph, made at `now` (ms).
    pub fn quads(&self, iri: &NamedNode, now: i64) -> Vec<Quad> {
        let graph = GraphName::NamedNode(iri.clone());
        let body = NamedNode::new_unchecked(format!("{}#body", iri.as_str()));
        let quad = |s: &NamedNode, p: NamedNodeRef<'_>, o: Term| {
            Quad::new(s.clone(), p.into_owned(), o, graph.clone())
        };
        let mut quads = vec![
            quad(iri, RDF_TYPE, oa::ANNOTATION.into_owned().into()),
            quad(
                iri,
                oa::MOTIVATED_BY,
                self.motivation.iri().into_owned().into(),
            ),
            quad(iri, oa::HAS_TARGET, self.target.clone().into()),
            quad(iri, dct::CREATED, millis_literal(now).into()),
        ];
        if let Some(link) = &self.link {
            quads.push(quad(iri, oa::HAS_BODY, link.clone().into()));
        }
        if let Some(generator) = &self.generator {
            quads.push(quad(
                iri,
                activity_streams::GENERATOR,
                generator.clone().into(),
            ));
        }
        if let Some(relation) = &self.relation {
            quads.push(quad(iri, dct::TYPE, relation.clone().into()));
        }
        if !self.text.is_empty() {
            let value = rdf::VALUE.into_owned();
            quads.push(quad(iri, oa::HAS_BODY, body.clone().into()));
            quads.push(quad(&body, RDF_TYPE, oa::TEXTUAL_BODY.into_owned().into()));
            quads.push(quad(
                &body,
                value.as_ref(),
                Literal::new_simple_literal(&self.text).into(),
            ));
            quads.push(quad(
                &body,
                dce::FORMAT,
                Literal::new_simple_literal("text/plain").into(),
            ));
            if let Some(language) = self.language {
                quads.push(quad(
                    &body,
                    dce::LANGUAGE,
                    Literal::new_simple_literal(language).into(),
                ));
            }
        }
        if let Some(resolution) = self.resolution {
            let tag = NamedNode::new_unchecked(format!("{}#status", iri.as_str()));
            quads.push(quad(iri, oa::HAS_BODY, tag.clone().into()));
            quads.push(quad(&tag, RDF_TYPE, oa::TEXTUAL_BODY.into_owned().into()));
            quads.push(quad(&tag, oa::HAS_PURPOSE, oa::TAGGING.into_owned().into()));
            quads.push(quad(
                &tag,
                rdf::VALUE.into_owned().as_ref(),
                Literal::new_simple_literal(resolution.word()).into(),
            ));
        }
        if let Some(name) = &self.creator {
            let creator = NamedNode::new_unchecked(format!("{}#creator", iri.as_str()));
            quads.push(quad(iri, dct::CREATOR, creator.clone().into()));
            quads.push(quad(&creator, RDF_TYPE, foaf::PERSON.into_owned().into()));
            quads.push(quad(
                &creator,
                foaf::NICK,
                Literal::new_simple_literal(name).into(),
            ));
        }
        quads
    }
}

/// An annotation as read back from its graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Annotation {
    /// Its IRI.
    pub iri: String,
    /// What it is about.
    pub target: String,
    /// Why.
    pub motivation: Motivation,
    /// What it says.
    pub text: String,
    /// The text's language, if said.
    pub language: Option<String>,
    /// Who signed it, if anyone.
    pub creator: Option<String>,
    /// When (RFC 3339).
    pub created: String,
    /// What an answer says of the report it answers.
    pub resolution: Option<Resolution>,
    /// The resource that is its body, when it is not text.
    pub link: Option<String>,
    /// The service that announced it.
    pub generator: Option<String>,
    /// The kind of relationship it stands for.
    pub relation: Option<String>,
    /// Whether it waits for an editor's approval (a third party's notification).
    pub pending: bool,
}

impl Annotation {
    /// The annotation `iri` in `quads` (its graph), if they hold one.
    pub fn read(iri: &NamedNode, quads: &[Quad]) -> Option<Self> {
        let subject: NamedOrBlankNodeRef<'_> = iri.as_ref().into();
        let object = |s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>| {
            quads
                .iter()
                .find(|q| q.subject.as_ref() == s && q.predicate.as_ref() == p)
                .map(|q| q.object.as_ref())
        };
        let text_of = |t: Option<TermRef<'_>>| match t {
            Some(TermRef::Literal(l)) => Some(l.value().to_owned()),
            _ => None,
        };
        let named = |t: Option<TermRef<'_>>| match t {
            Some(TermRef::NamedNode(n)) => Some(n.into_owned()),
            _ => None,
        };
        let motivation = named(object(subject, oa::MOTIVATED_BY))
            .and_then(|m| Motivation::of_iri(m.as_str()))?;
        let target = named(object(subject, oa::HAS_TARGET))?;
        let bodies: Vec<NamedNode> = quads
            .iter()
            .filter(|q| q.subject.as_ref() == subject && q.predicate == oa::HAS_BODY)
            .filter_map(|q| match &q.object {
                Term::NamedNode(n) => Some(n.clone()),
                _ => None,
            })
            .collect();
        let tagging =
            |b: &NamedNode| object(b.as_ref().into(), oa::HAS_PURPOSE) == Some(oa::TAGGING.into());
        let textual = |b: &NamedNode| object(b.as_ref().into(), rdf::VALUE).is_some();
        let body = bodies.iter().find(|b| !tagging(b) && textual(b));
        let link = bodies
            .iter()
            .find(|b| !tagging(b) && !textual(b))
            .map(|b| b.as_str().to_owned());
        if body.is_none() && link.is_none() {
            return None;
        }
        let resolution = bodies
            .iter()
            .find(|b| tagging(b))
            .and_then(|tag| text_of(object(tag.as_ref().into(), rdf::VALUE)))
            .and_then(|word| Resolution::parse(&word));
        let creator = named(object(subject, dct::CREATOR));
        Some(Self {
            iri: iri.as_str().to_owned(),
            target: target.as_str().to_owned(),
            motivation,
            text: body
                .and_then(|b| text_of(object(b.as_ref().into(), rdf::VALUE)))
                .unwrap_or_default(),
            language: body.and_then(|b| text_of(object(b.as_ref().into(), dce::LANGUAGE))),
            link,
            generator: named(object(subject, activity_streams::GENERATOR))
                .map(|g| g.as_str().to_owned()),
            relation: named(object(subject, dct::TYPE)).map(|r| r.as_str().to_owned()),
            pending: false,
            creator: creator.and_then(|c| text_of(object(c.as_ref().into(), foaf::NICK))),
            created: object(subject, dct::CREATED)
                .and_then(parse_date_time)
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default(),
            resolution,
        })
    }

    /// The annotation as Web Annotation JSON-LD (the W3C context's terms).
    pub fn json_ld(&self) -> Value {
        let mut body = json!({
            "id": format!("{}#body", self.iri),
            "type": "TextualBody",
            "value": self.text,
            "format": "text/plain",
        });
        if let Some(language) = &self.language {
            body["language"] = json!(language);
        }
        let mut bodies: Vec<Value> = Vec::new();
        if let Some(link) = &self.link {
            bodies.push(json!(link));
        }
        if !self.text.is_empty() {
            bodies.push(body);
        }
        let body = match bodies.len() {
            1 => bodies.remove(0),
            _ => json!(bodies),
        };
        let body = match self.resolution {
            None => body,
            Some(resolution) => json!([body, {
                "id": format!("{}#status", self.iri),
                "type": "TextualBody",
                "purpose": "tagging",
                "value": resolution.word(),
            }]),
        };
        let mut annotation = json!({
            "@context": ANNO_CONTEXT,
            "id": self.iri,
            "type": "Annotation",
            "motivation": self.motivation.json_ld_term(),
            "target": self.target,
            "body": body,
            "created": self.created,
        });
        if let Some(generator) = &self.generator {
            annotation["generator"] = json!(generator);
        }
        if let Some(relation) = &self.relation {
            annotation["dcterms:type"] = json!({ "id": relation });
        }
        if let Some(name) = &self.creator {
            annotation["creator"] = json!({
                "id": format!("{}#creator", self.iri),
                "type": "Person",
                "nickname": name,
            });
        }
        annotation
    }
}
