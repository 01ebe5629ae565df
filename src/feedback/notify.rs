//! Linked Data Notifications that other systems send to a dataset's inbox, in the COAR
//! Notify patterns repositories and review services use: an `Announce` of a review, of
//! an endorsement, or of a relationship ("this article cites / is supplemented by this
//! dataset"). A notification is checked against the pattern and told precisely what is
//! missing; an accepted one becomes an annotation of the dataset, held back until one of
//! its editors approves it (nobody signs these notifications).

use super::Motivation;
use serde_json::Value;

/// The Activity Streams context every COAR notification names.
const ACTIVITY_STREAMS: &str = "https://www.w3.org/ns/activitystreams";
/// The COAR Notify context.
const COAR_NOTIFY: &str = "https://coar-notify.net";

/// What is announced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announced {
    /// A review of the dataset, at `object`.
    Review,
    /// An endorsement of the dataset, at `object`.
    Endorsement,
    /// A relationship: `subject` `relationship` the dataset (or the dataset, the other way).
    Relationship {
        /// The resource on the other side (an article).
        other: String,
        /// The relation's IRI (`http://purl.org/vocab/frbr/core#supplement`, CiTO…).
        relationship: String,
        /// Whether the dataset is the relationship's subject (else its object).
        dataset_is_subject: bool,
    },
}

/// A notification that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Its `id` (a `urn:uuid:`, usually).
    pub id: String,
    /// What it announces.
    pub announced: Announced,
    /// The review, endorsement or relationship's resource.
    pub object: String,
    /// The resource of ours it is about (`context.id`, or the relationship's end).
    pub about: String,
    /// The service that sent it.
    pub origin: String,
    /// Who is responsible for it, by name (or its IRI).
    pub actor: Option<String>,
}

impl Notification {
    /// The Web Annotation motivation it becomes.
    pub fn motivation(&self) -> Motivation {
        match self.announced {
            Announced::Review => Motivation::Reviewing,
            Announced::Endorsement => Motivation::Assessing,
            Announced::Relationship { .. } => Motivation::Linking,
        }
    }
}

/// Reads a COAR Notify `Announce` from `document`, or says everything that is wrong.
pub fn read(document: &Value) -> Result<Notification, Vec<String>> {
    let mut problems = Vec::new();
    let Some(root) = document.as_object() else {
        return Err(vec!["a notification is a JSON object".into()]);
    };
    let contexts = strings(root.get("@context"));
    for needed in [ACTIVITY_STREAMS, COAR_NOTIFY] {
        if !contexts.iter().any(|c| c.trim_end_matches('/') == needed) {
            problems.push(format!("@context must name {needed}"));
        }
    }
    let id = iri(root.get("id"), "id", &mut problems);
    let types = strings(root.get("type"));
    if !types.iter().any(|t| t == "Announce") {
        problems.push("type must include Announce (the patterns this inbox takes: Announce Review, Announce Endorsement, Announce Relationship)".into());
    }
    let action = types.iter().find_map(|t| match t.as_str() {
        "coar-notify:ReviewAction" => Some("review"),
        "coar-notify:EndorsementAction" => Some("endorsement"),
        "coar-notify:RelationshipAction" => Some("relationship"),
        _ => None,
    });
    if action.is_none() {
        problems.push("type must include coar-notify:ReviewAction, coar-notify:EndorsementAction or coar-notify:RelationshipAction".into());
    }
    let origin = service(root.get("origin"), "origin", &mut problems);
    service(root.get("target"), "target", &mut problems);
    let object = root.get("object");
    let object_id = iri(object.and_then(|o| o.get("id")), "object.id", &mut problems);
    let actor = root
        .get("actor")
        .and_then(|a| a.get("name").or_else(|| a.get("id")))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let context = root
        .get("context")
        .and_then(|c| c.get("id"))
        .and_then(Value::as_str);
    let (announced, about) = match action {
        Some("relationship") => relationship(object, context, &mut problems),
        Some("review") => (
            Some(Announced::Review),
            required_context(context, &mut problems),
        ),
        Some(_) => (
            Some(Announced::Endorsement),
            required_context(context, &mut problems),
        ),
        None => (None, None),
    };
    match (id, announced, object_id, about, origin, problems.is_empty()) {
        (Some(id), Some(announced), Some(object), Some(about), Some(origin), true) => {
            Ok(Notification {
                id,
                announced,
                object,
                about,
                origin,
                actor,
            })
        }
        _ => Err(problems),
    }
}

fn required_context(context: Option<&str>, problems: &mut Vec<String>) -> Option<String> {
    if context.is_none() {
        problems.push("context.id must name the dataset the notification is about".into());
    }
    context.map(str::to_owned)
}

/// The relationship triple of `object`: which end is ours (`context.id` says, else the
/// object's end), and the other.
fn relationship(
    object: Option<&Value>,
    context: Option<&str>,
    problems: &mut Vec<String>,
) -> (Option<Announced>, Option<String>) {
    let subject = iri(
        object.and_then(|o| o.get("as:subject")),
        "object.as:subject",
        problems,
    );
    let relation = iri(
        object.and_then(|o| o.get("as:relationship")),
        "object.as:relationship",
        problems,
    );
    let end = iri(
        object.and_then(|o| o.get("as:object")),
        "object.as:object",
        problems,
    );
    let (Some(subject), Some(relationship), Some(end)) = (subject, relation, end) else {
        return (None, None);
    };
    let dataset_is_subject = context.is_some_and(|c| c == subject);
    let (ours, other) = if dataset_is_subject {
        (subject, end)
    } else {
        (end, subject)
    };
    let announced = Announced::Relationship {
        other,
        relationship,
        dataset_is_subject,
    };
    (Some(announced), Some(ours))
}

/// A service (`origin`, `target`): an object with an `id`, an `inbox` and the type
/// `Service`; its `id`.
fn service(value: Option<&Value>, name: &str, problems: &mut Vec<String>) -> Option<String> {
    let Some(value) = value else {
        problems.push(format!(
            "{name} is missing (the service that sends or receives it)"
        ));
        return None;
    };
    let id = iri(value.get("id"), &format!("{name}.id"), problems);
    iri(value.get("inbox"), &format!("{name}.inbox"), problems);
    if !strings(value.get("type")).iter().any(|t| t == "Service") {
        problems.push(format!("{name}.type must be Service"));
    }
    id
}

/// The IRI at `value`, or a problem naming `field`.
fn iri(value: Option<&Value>, field: &str, problems: &mut Vec<String>) -> Option<String> {
    match value.and_then(Value::as_str) {
        Some(text) if oxigraph::model::NamedNode::new(text).is_ok() && text.contains(':') => {
            Some(text.to_owned())
        }
        Some(text) => {
            problems.push(format!("{field} must be an absolute IRI, not {text:?}"));
            None
        }
        None => {
            problems.push(format!("{field} is missing"));
            None
        }
    }
}

/// A string or an array of strings, as a list.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}
