//! Pages for people: the landing page, dataset pages, a record's history and a generic
//! page for the other resources. Templates are compiled once at start-up and escape
//! everything they print, since harvested text is untrusted.

mod account;
mod choices;
mod cite;
mod dataset;
mod feedback;
mod feedback_messages;
mod forms;
pub mod history;
mod landing;
mod messages;
mod paper;
mod publishing_messages;
mod quality;
mod quality_messages;
mod query;
mod record_messages;
mod search;
mod view;

use crate::model::Variants;
use crate::model::vocab::prov;
use crate::rdf::Representation;
use crate::store::Description;
pub use account::{SignInForm, Visitor};
pub use choices::Choices;
pub use forms::{
    AgentFields, DatasetFields, FieldError, FormFields, FormPurpose, Note, Notes, PaperFields,
    Picks, RecordForm,
};
pub use landing::{Landing, RECENT};
pub use messages::{messages, other_language};
use minijinja::Environment;
use minijinja::value::Serde;
use oxigraph::model::{NamedOrBlankNodeRef, Term};
pub use quality::{Assessed, CheckedLink, DeclaredStandard};
pub use query::{Download, Outcome, QueryPage};
pub use search::SearchView;
use serde::Serialize;
use serde_json::{Value, json};
pub use view::{GraphView, Link};

/// The compiled templates.
pub struct Pages {
    env: Environment<'static>,
}

/// Why a page failed to render (a template defect).
#[derive(Debug, thiserror::Error)]
#[error("template error: {0}")]
pub struct PageError(#[from] minijinja::Error);

/// What every page needs besides the description.
#[derive(Clone, Copy)]
pub struct PageContext<'a> {
    /// The catalog's base IRI, for the header link.
    pub base: &'a str,
    /// The page's IRI, whose `.ext` variants are the RDF downloads.
    pub iri: &'a str,
    /// What kind of resource this is, for the heading.
    pub kind: &'a str,
    /// `fr` or `en`.
    pub language: &'a str,
    /// The URL this page answers, whose parameters the language switch keeps (the
    /// page's IRI, or a version's `{iri}?version=N`).
    pub here: &'a str,
    /// The dataset or data paper the page shows, read for its schema.org JSON-LD and its
    /// "Cite" block; `None` on other pages.
    pub work: Option<&'a crate::exports::Work>,
    /// Who is signed in, if anyone: the header names them.
    pub visitor: Option<&'a Visitor>,
    /// Reusers' annotations on a dataset and its distributions (its page's thread).
    pub annotations: &'a [crate::feedback::Annotation],
    /// What people made with the dataset.
    pub reuses: &'a [crate::feedback::reuses::Reuse],
}

/// `here` with `lang` set to `language` (any other `lang` dropped): the language switch.
pub fn in_language(here: &str, language: &str) -> String {
    let (path, query) = here.split_once('?').unwrap_or((here, ""));
    let kept = form_urlencoded::parse(query.as_bytes()).filter(|(name, _)| name != "lang");
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .append_pair("lang", language)
        .finish();
    format!("{path}?{query}")
}

/// What `description` says of its topic with `predicate`, in `language` if it can.
pub fn text_in(
    description: &Description,
    predicate: oxigraph::model::NamedNodeRef<'_>,
    language: &str,
) -> Option<String> {
    GraphView::new(description, language).text(description.topic.as_ref().into(), predicate)
}

/// The header's way to sign in, which comes back to the page.
fn signin_link(frame: &Frame<'_>) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", frame.here)
        .finish();
    format!("{}signin?{query}", frame.base)
}

/// What the frame of every page (header, language switch, footer) needs.
pub struct Frame<'a> {
    /// The catalog's base IRI.
    pub base: &'a str,
    /// `fr` or `en`.
    pub language: &'a str,
    /// The URL the language switch keeps the parameters of.
    pub here: &'a str,
    /// What kind of page this is: a `kind_` message key's end (`dataset`, `search`).
    pub kind: &'a str,
    /// Who is signed in, if anyone: the header names them.
    pub visitor: Option<&'a Visitor>,
}

impl<'a> From<&'a PageContext<'a>> for Frame<'a> {
    fn from(page: &'a PageContext<'a>) -> Self {
        Self {
            base: page.base,
            language: page.language,
            here: page.here,
            kind: page.kind,
            visitor: page.visitor,
        }
    }
}

/// A link to the same thing in another syntax, in a page's "Machine-readable" bar.
#[derive(Serialize)]
pub struct FormatLink {
    /// What people call the syntax: `Turtle`, `CSV`.
    pub label: &'static str,
    /// Where the other syntax is served.
    pub href: String,
    /// Its media type, for `type=` and `<link rel="alternate">`.
    pub media_type: &'static str,
}

/// The links to every RDF syntax of a resource.
pub fn format_links(variants: Variants<'_>) -> Vec<FormatLink> {
    Representation::ALL
        .iter()
        .filter(|r| **r != Representation::Html)
        .map(|r| FormatLink {
            label: r.label(),
            href: variants.url(r.extension()),
            media_type: r.media_type(),
        })
        .collect()
}

impl Pages {
    /// Renders template `name` with `context` (an object) and what the frame needs: the
    /// base, the language and the other one with the switch's link, the message catalogue
    /// as `t`, and the kind of page in words.
    fn render(&self, name: &str, frame: &Frame<'_>, context: Value) -> Result<String, PageError> {
        let Value::Object(mut context) = context else {
            return Err(PageError(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                "a page's context must be an object",
            )));
        };
        let t = messages(frame.language);
        let other = other_language(frame.language);
        let kind_key = format!("kind_{}", frame.kind.replace(' ', "_"));
        let kind = t.get(kind_key.as_str()).copied().unwrap_or(frame.kind);
        for (key, value) in [
            ("base", json!(frame.base)),
            ("lang", json!(frame.language)),
            ("other", json!(other)),
            ("switch", json!(in_language(frame.here, other))),
            ("signin", json!(signin_link(frame))),
            ("t", json!(t)),
            ("kind", json!(kind)),
            ("visitor", json!(frame.visitor)),
        ] {
            context.entry(key).or_insert(value);
        }
        let template = self.env.get_template(name)?;
        Ok(template.render(Serde(Value::Object(context)))?)
    }

    /// Compiles the templates.
    pub fn new() -> Result<Self, PageError> {
        let mut env = Environment::new();
        env.add_template("layout.html", include_str!("templates/layout.html"))?;
        env.add_template("dataset.html", include_str!("templates/dataset.html"))?;
        env.add_template("resource.html", include_str!("templates/resource.html"))?;
        env.add_template("paper.html", include_str!("templates/paper.html"))?;
        env.add_template("catalog.html", include_str!("templates/catalog.html"))?;
        env.add_template("search.html", include_str!("templates/search.html"))?;
        env.add_template(
            "facet_value.html",
            include_str!("templates/facet_value.html"),
        )?;
        env.add_template("sparql.html", include_str!("templates/sparql.html"))?;
        env.add_template("history.html", include_str!("templates/history.html"))?;
        env.add_template("signin.html", include_str!("templates/signin.html"))?;
        env.add_template("account.html", include_str!("templates/account.html"))?;
        env.add_template("form_parts.html", include_str!("templates/form_parts.html"))?;
        env.add_template(
            "record_form.html",
            include_str!("templates/record_form.html"),
        )?;
        env.add_template(
            "dataset_form.html",
            include_str!("templates/dataset_form.html"),
        )?;
        env.add_template("paper_form.html", include_str!("templates/paper_form.html"))?;
        env.add_template("agent_form.html", include_str!("templates/agent_form.html"))?;
        env.add_template("delete.html", include_str!("templates/delete.html"))?;
        env.add_template("quality.html", include_str!("templates/quality.html"))?;
        env.add_template(
            "quality_dashboard.html",
            include_str!("templates/quality_dashboard.html"),
        )?;
        env.add_template("reports.html", include_str!("templates/reports.html"))?;
        env.add_template("source.html", include_str!("templates/source.html"))?;
        env.add_template("reuses.html", include_str!("templates/reuses.html"))?;
        env.add_template(
            "harvest_job.html",
            include_str!("templates/harvest_job.html"),
        )?;
        Ok(Self { env })
    }

    /// Any other resource: its label and a table of its properties and owned nodes.
    pub fn resource(
        &self,
        description: &Description,
        page: &PageContext<'_>,
    ) -> Result<String, PageError> {
        let view = GraphView::new(description, page.language);
        let topic: NamedOrBlankNodeRef<'_> = description.topic.as_ref().into();
        let mut subjects: Vec<NamedOrBlankNodeRef<'_>> = Vec::new();
        for quad in &description.quads {
            let subject = quad.subject.as_ref();
            let owned = subject == topic || subject.is_blank_node();
            if owned && !subjects.contains(&subject) {
                subjects.push(subject);
            }
        }
        let sections: Vec<_> = subjects
            .into_iter()
            .filter(|s| *s != topic)
            .map(|s| json!({ "label": view.label(s), "properties": view.properties(s) }))
            .collect();
        let mut context = json!({
            "iri": page.iri,
            "topic": description.topic.as_str(),
            "title": view.label(topic),
            "properties": view.properties(topic),
            "sections": sections,
            "edit": may_edit_agent(page).then(|| format!("{}/edit", page.iri)),
            "formats": format_links(Variants::of(page.iri)),
        });
        cite::add_work(&mut context, page);
        self.render("resource.html", &page.into(), context)
    }

    /// A record's history (`page.iri` is `{record page}/history`): its revisions, newest
    /// first, each with who made it, when, and a link to that version. At `{base}history`,
    /// the catalog's: its bulk changes (loads, SPARQL updates) with what they did.
    pub fn history(
        &self,
        description: &Description,
        page: &PageContext<'_>,
    ) -> Result<String, PageError> {
        self.history_compared(description, page, None)
    }

    /// [`Pages::history`], with the changes between two versions (`from`, `to`) when a
    /// reader asked to compare them.
    pub fn history_compared(
        &self,
        description: &Description,
        page: &PageContext<'_>,
        compared: Option<(u64, u64, Vec<history::ChangeView>)>,
    ) -> Result<String, PageError> {
        // `{base}history` is the catalog's: its bulk changes, not a record's revisions.
        let catalog = page.iri.strip_suffix("history") == Some(page.base);
        let revisions = if catalog {
            history::activities(&description.quads)
        } else {
            history::revisions(&description.quads)
        };
        let topic = description.quads.iter().find_map(|q| match &q.object {
            Term::NamedNode(n) if q.predicate == prov::SPECIALIZATION_OF => Some(n.as_str()),
            _ => None,
        });
        let t = messages(page.language);
        let (record, name) = if catalog {
            (
                page.base,
                t.get("the_catalog").copied().unwrap_or("the catalog"),
            )
        } else {
            let record = page.iri.strip_suffix("/history").unwrap_or(page.iri);
            (record, record.strip_prefix(page.base).unwrap_or(record))
        };
        let history_of = t.get("history_of").copied().unwrap_or("History of");
        self.render(
            "history.html",
            &page.into(),
            json!({
                "iri": page.iri,
                "title": format!("{history_of} {name}"),
                "name": name,
                "record": view::href(record),
                "topic": topic,
                "revisions": revisions,
                "sources": revisions.iter().any(|r| r.source.is_some()),
                "details": revisions.iter().any(|r| r.detail.is_some()),
                "compare": compare_context(catalog, &revisions, compared),
                // The history takes no suffix: `?format=` selects its other representations.
                "formats": format_links(Variants::FormatParameter(page.iri)),
            }),
        )
    }

    /// A harvest job's report (`iri` is the job's): counts, then each failure and note.
    pub fn harvest_job(
        &self,
        job: &crate::harvest::JobReport,
        frame: &Frame<'_>,
        iri: &str,
    ) -> Result<String, PageError> {
        let harvest_of = messages(frame.language)
            .get("harvest_of")
            .copied()
            .unwrap_or("Harvest of");
        self.render(
            "harvest_job.html",
            frame,
            json!({
                "iri": iri,
                "title": format!("{harvest_of} {}", job.source),
                "job": job,
                "violations": job.violations.iter().map(|v| json!({
                    "path": v.path.as_deref().map(crate::rdf::jsonld::compact_iri),
                    // `sh:MinCountConstraintComponent` reads as `MinCount`.
                    "constraint": v.constraint.trim_start_matches("sh:").trim_end_matches("ConstraintComponent"),
                    "count": v.count,
                    "message": v.message,
                })).collect::<Vec<_>>(),
                "formats": [{
                    "label": "JSON",
                    "href": format!("{iri}?format=json"),
                    "media_type": "application/json",
                }],
            }),
        )
    }
}

/// The "compare two versions" part of a record's history page: the form (the two latest
/// versions by default) and, when asked, what changed. `None` for the catalog's history or
/// a record with one version.
fn compare_context(
    catalog: bool,
    revisions: &[history::RevisionView],
    compared: Option<(u64, u64, Vec<history::ChangeView>)>,
) -> Value {
    let versions: Vec<u64> = revisions
        .iter()
        .filter(|r| r.href.is_some())
        .map(|r| r.number)
        .collect();
    if catalog || versions.len() < 2 {
        return Value::Null;
    }
    match compared {
        Some((from, to, changes)) => {
            json!({"from": from, "to": to, "asked": true, "changes": changes})
        }
        None => json!({"from": versions[1], "to": versions[0], "asked": false, "changes": []}),
    }
}

/// A description as paragraphs, as its author separated them by blank lines.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}

/// A date for a `<time>` element: its day (`iso`) and the day as people write it (`text`).
fn dated(text: Option<&str>, language: &str) -> Value {
    text.map_or(Value::Null, |text| {
        let iso = day(text);
        json!({ "text": messages::spoken_day(&iso, language), "iso": iso })
    })
}

/// The day of a date or date-time (`2024-05-21T10:00:00Z` reads `2024-05-21`).
fn day(text: &str) -> String {
    match text.get(..10) {
        Some(date) if text.as_bytes().get(10).is_none_or(|b| *b == b'T') => date.to_owned(),
        _ => text.to_owned(),
    }
}

/// Whether the person signed in may edit the agent on `page`: an admin, or an editor of
/// that publisher (an agent is its own owner).
fn may_edit_agent(page: &PageContext<'_>) -> bool {
    let agent = crate::model::ResourceKind::Agent.label();
    page.kind == agent
        && page.iri.starts_with(page.base)
        && page
            .visitor
            .is_some_and(|v| v.admin || v.publishers.iter().any(|p| p == page.iri))
}
