//! A dataset's page for people: what it is, who publishes it, what it covers, its files
//! with a download button each, the data papers to cite; its themes, keywords and
//! publisher lead to the search filtered by them.

use super::search::search_link;
use super::{
    Description, GraphView, Link, PageContext, PageError, Pages, dated, format_links, paragraphs,
};
use crate::model::Variants;
use crate::model::vocab::{dcat, dct};
use oxigraph::model::{NamedOrBlankNodeRef, Term};
use serde_json::{Value, json};

impl Pages {
    /// A dataset page: what a person needs to judge, cite and download the data. Themes,
    /// keywords and the publisher link to the search filtered by them.
    pub fn dataset(
        &self,
        description: &Description,
        page: &PageContext<'_>,
    ) -> Result<String, PageError> {
        let view = GraphView::new(description, page.language);
        let topic: NamedOrBlankNodeRef<'_> = description.topic.as_ref().into();
        let history = page
            .iri
            .starts_with(page.base)
            .then(|| format!("{}/history", page.iri));
        let distributions = view.distributions(topic);
        let mut context = json!({
                "iri": page.iri,
                "topic": description.topic.as_str(),
                "title": view.text(topic, dct::TITLE).unwrap_or_else(|| view.label(topic)),
                "paragraphs": view.text(topic, dct::DESCRIPTION).map(|d| paragraphs(&d)),
                "keywords": keywords(&view, topic, page.base),
                "themes": themes(&view, topic, page.base),
                "publisher": publisher(&view, topic, page.base),
                "creators": view.links(topic, dct::CREATOR),
                "contacts": view.contacts(topic),
                "licences": licences(&view, topic),
                "frequency": view.links(topic, dct::ACCRUAL_PERIODICITY).into_iter().next(),
                "access_rights": view.links(topic, dct::ACCESS_RIGHTS).into_iter().next(),
                "temporal": view.period(topic),
                "spatial": view.summaries(topic, dct::SPATIAL),
                "languages": view.links(topic, dct::LANGUAGE),
                "landing_pages": view.links(topic, dcat::LANDING_PAGE),
                "issued": dated(view.text(topic, dct::ISSUED).as_deref(), page.language),
                "modified": dated(view.text(topic, dct::MODIFIED).as_deref(), page.language),
                "identifier": view.text(topic, dct::IDENTIFIER),
                "distributions": &distributions,
                "reuses": page.reuses.iter().map(|r| super::feedback::reuse_item(r, page.language)).collect::<Vec<_>>(),
                "reuse_kinds": crate::feedback::reuses::ReuseKind::ALL.iter().map(|k| k.word()).collect::<Vec<_>>(),
                "feedback": super::feedback::thread(
                    page,
                    (description.topic.as_str(), may_edit(&view, topic, page)),
                    &distributions,
                ),
                "papers": view.paper_citations(topic),
                "history": history,
                "edit": may_edit(&view, topic, page).then(|| format!("{}/edit", page.iri)),
                "write_paper": format!("{}publish/data-papers?{}", page.base, form_urlencoded::Serializer::new(String::new()).append_pair("describes", page.iri).finish()),
            "formats": format_links(Variants::of(page.iri)),
        });
        super::cite::add_work(&mut context, page);
        self.render("dataset.html", &page.into(), context)
    }
}

/// Whether the person signed in may edit the dataset: an admin, or an editor of its
/// publisher (the write workflow checks again when they save).
fn may_edit(view: &GraphView<'_>, topic: NamedOrBlankNodeRef<'_>, page: &PageContext<'_>) -> bool {
    let Some(visitor) = page.visitor else {
        return false;
    };
    if visitor.admin {
        return true;
    }
    let publishers = view.links(topic, dct::PUBLISHER);
    !publishers.is_empty()
        && publishers
            .iter()
            .all(|p| visitor.publishers.contains(&p.href))
}

/// The dataset's licences and those of its distributions, each once.
fn licences(view: &GraphView<'_>, topic: NamedOrBlankNodeRef<'_>) -> Vec<Link> {
    let mut all = view.links(topic, dct::LICENSE);
    for distribution in view.distributions(topic) {
        if let Some(licence) = distribution.licence
            && !all.iter().any(|l| l.href == licence.href)
        {
            all.push(licence);
        }
    }
    all
}

/// Its themes with their labels, each a link to the datasets of that theme.
fn themes(view: &GraphView<'_>, topic: NamedOrBlankNodeRef<'_>, base: &str) -> Vec<Value> {
    view.objects(topic, dcat::THEME)
        .into_iter()
        .filter_map(|term| match term {
            Term::NamedNode(theme) => Some(json!({
                "label": view.label(theme.as_ref().into()),
                "search": search_link(base, &[("theme", theme.as_str())]),
            })),
            _ => None,
        })
        .collect()
}

/// Its keywords, in the page's language first, each a link to the datasets that have it.
fn keywords(view: &GraphView<'_>, topic: NamedOrBlankNodeRef<'_>, base: &str) -> Vec<Value> {
    view.texts(topic, dcat::KEYWORD)
        .into_iter()
        .map(|k| json!({ "label": k, "search": search_link(base, &[("keyword", &k)]) }))
        .collect()
}

/// Its publisher: a link to the agent, and one to the datasets it publishes.
fn publisher(view: &GraphView<'_>, topic: NamedOrBlankNodeRef<'_>, base: &str) -> Option<Value> {
    view.objects(topic, dct::PUBLISHER)
        .into_iter()
        .find_map(|term| {
            let link = view.link(term)?;
            let Term::NamedNode(iri) = term else {
                return None;
            };
            Some(json!({
                "href": link.href,
                "label": link.label,
                "search": search_link(base, &[("publisher", iri.as_str())]),
            }))
        })
}
