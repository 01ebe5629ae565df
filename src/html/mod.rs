//! Pages for people: the landing page, dataset pages, a record's history and a generic
//! page for the other resources. Templates are compiled once at start-up and escape
//! everything they print, since harvested text is untrusted.

mod history;
mod query;
mod view;

use crate::model::Variants;
use crate::model::vocab::{dcat, dct, foaf, prov};
use crate::rdf::Representation;
use crate::store::Description;
use minijinja::Environment;
use minijinja::value::Serde;
use oxigraph::model::{NamedOrBlankNodeRef, Term};
pub use query::{Download, Outcome, QueryPage};
use serde::Serialize;
use serde_json::json;
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
pub struct PageContext<'a> {
    /// The catalog's base IRI, for the header link.
    pub base: &'a str,
    /// The page's IRI, whose `.ext` variants are the RDF downloads.
    pub iri: &'a str,
    /// What kind of resource this is, for the heading.
    pub kind: &'a str,
    /// `fr` or `en`.
    pub language: &'a str,
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
    /// Compiles the templates.
    pub fn new() -> Result<Self, PageError> {
        let mut env = Environment::new();
        env.add_template("layout.html", include_str!("templates/layout.html"))?;
        env.add_template("dataset.html", include_str!("templates/dataset.html"))?;
        env.add_template("resource.html", include_str!("templates/resource.html"))?;
        env.add_template("catalog.html", include_str!("templates/catalog.html"))?;
        env.add_template("sparql.html", include_str!("templates/sparql.html"))?;
        env.add_template("history.html", include_str!("templates/history.html"))?;
        env.add_template(
            "harvest_job.html",
            include_str!("templates/harvest_job.html"),
        )?;
        Ok(Self { env })
    }

    /// A dataset page: what a person needs to judge and download the data.
    pub fn dataset(
        &self,
        description: &Description,
        page: &PageContext<'_>,
    ) -> Result<String, PageError> {
        let view = GraphView::new(description, page.language);
        let topic: NamedOrBlankNodeRef<'_> = description.topic.as_ref().into();
        let licences = {
            let mut all = view.links(topic, dct::LICENSE);
            for distribution in view.distributions(topic) {
                if let Some(licence) = distribution.licence
                    && !all.iter().any(|l| l.href == licence.href)
                {
                    all.push(licence);
                }
            }
            all
        };
        let papers: Vec<serde_json::Value> = view
            .papers(topic)
            .into_iter()
            .map(|link| {
                let doi = view.doi(oxigraph::model::NamedNodeRef::new_unchecked(&link.href).into());
                json!({ "href": link.href, "label": link.label, "doi": doi })
            })
            .collect();
        let template = self.env.get_template("dataset.html")?;
        Ok(template.render(Serde(json!({
            "base": page.base,
            "lang": page.language,
            "iri": page.iri,
            "kind": page.kind,
            "topic": description.topic.as_str(),
            "title": view.text(topic, dct::TITLE).unwrap_or_else(|| view.label(topic)),
            "description": view.text(topic, dct::DESCRIPTION),
            "keywords": view.texts(topic, dcat::KEYWORD),
            "themes": view.links(topic, dcat::THEME),
            "publisher": view.links(topic, dct::PUBLISHER).into_iter().next(),
            "creators": view.links(topic, dct::CREATOR),
            "contacts": view.summaries(topic, dcat::CONTACT_POINT),
            "licences": licences,
            "frequency": view.links(topic, dct::ACCRUAL_PERIODICITY).into_iter().next(),
            "access_rights": view.links(topic, dct::ACCESS_RIGHTS).into_iter().next(),
            "temporal": view.period(topic),
            "spatial": view.summaries(topic, dct::SPATIAL),
            "languages": view.links(topic, dct::LANGUAGE),
            "landing_pages": view.links(topic, dcat::LANDING_PAGE),
            "issued": view.text(topic, dct::ISSUED),
            "modified": view.text(topic, dct::MODIFIED),
            "identifier": view.text(topic, dct::IDENTIFIER),
            "distributions": view.distributions(topic),
            "papers": papers,
            "formats": format_links(Variants::of(page.iri)),
        })))?)
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
        let template = self.env.get_template("resource.html")?;
        Ok(template.render(Serde(json!({
            "base": page.base,
            "lang": page.language,
            "iri": page.iri,
            "kind": page.kind,
            "topic": description.topic.as_str(),
            "title": view.label(topic),
            "properties": view.properties(topic),
            "sections": sections,
            "formats": format_links(Variants::of(page.iri)),
        })))?)
    }

    /// A record's history (`page.iri` is `{record page}/history`): its revisions, newest
    /// first, each with who made it, when, and a link to that version. At `{base}history`,
    /// the catalog's: its bulk changes (loads, SPARQL updates) with what they did.
    pub fn history(
        &self,
        description: &Description,
        page: &PageContext<'_>,
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
        let (record, name) = if catalog {
            (page.base, "the catalog")
        } else {
            let record = page.iri.strip_suffix("/history").unwrap_or(page.iri);
            (record, record.strip_prefix(page.base).unwrap_or(record))
        };
        let template = self.env.get_template("history.html")?;
        Ok(template.render(Serde(json!({
            "base": page.base,
            "lang": page.language,
            "iri": page.iri,
            "kind": page.kind,
            "title": format!("History of {name}"),
            "name": name,
            "record": view::href(record),
            "topic": topic,
            "revisions": revisions,
            "sources": revisions.iter().any(|r| r.source.is_some()),
            "details": revisions.iter().any(|r| r.detail.is_some()),
            // The history takes no suffix: `?format=` selects its other representations.
            "formats": format_links(Variants::FormatParameter(page.iri)),
        })))?)
    }

    /// A harvest job's report (`iri` is the job's): counts, then each failure and note.
    pub fn harvest_job(
        &self,
        job: &crate::harvest::JobReport,
        base: &str,
        iri: &str,
    ) -> Result<String, PageError> {
        let template = self.env.get_template("harvest_job.html")?;
        Ok(template.render(Serde(json!({
            "base": base,
            "lang": "en",
            "iri": iri,
            "title": format!("Harvest of {}", job.source),
            "job": job,
            "formats": [{
                "label": "JSON",
                "href": format!("{iri}?format=json"),
                "media_type": "application/json",
            }],
        })))?)
    }

    /// The landing page: the catalog and its datasets.
    pub fn catalog(
        &self,
        description: &Description,
        page: &PageContext<'_>,
    ) -> Result<String, PageError> {
        let view = GraphView::new(description, page.language);
        let topic: NamedOrBlankNodeRef<'_> = description.topic.as_ref().into();
        let mut datasets = view.links(topic, dcat::DATASET_PROP);
        // Link to our page of each dataset, which harvested datasets (foreign IRIs) need.
        let local_pages = view.local_pages(page.base);
        for dataset in &mut datasets {
            if let Some(local) = local_pages.get(dataset.href.as_str()) {
                dataset.href.clone_from(local);
            }
        }
        datasets.sort_by_key(|a| a.label.to_lowercase());
        let template = self.env.get_template("catalog.html")?;
        Ok(template.render(Serde(json!({
            "base": page.base,
            "lang": page.language,
            "iri": page.iri,
            "kind": page.kind,
            "title": view.text(topic, dct::TITLE).unwrap_or_else(|| "Passerelle".to_owned()),
            "description": view.text(topic, dct::DESCRIPTION),
            "publisher": view.links(topic, dct::PUBLISHER).into_iter().next(),
            "homepage": view.links(topic, foaf::HOMEPAGE).into_iter().next(),
            "datasets": datasets,
            "formats": format_links(Variants::of(page.iri)),
        })))?)
    }
}
