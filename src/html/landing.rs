//! The landing page: what the catalog is, a search box, and ways in: its themes and main
//! publishers with their counts (links to the filtered search), and the datasets updated
//! last. Everything listed comes from one search answer, never from a list of every
//! dataset, so the page costs the same at 30 datasets and at a million.

use super::search::{dataset_page, search_link};
use super::{Frame, GraphView, PageContext, PageError, Pages, dated, format_links, paragraphs};
use crate::model::Variants;
use crate::model::vocab::{dct, foaf};
use crate::store::Description;
use oxigraph::model::NamedOrBlankNodeRef;
use serde_json::{Value, json};

/// Datasets listed as recently updated.
pub const RECENT: usize = 6;
/// Publishers listed.
const PUBLISHERS: usize = 8;

/// What the landing page shows.
pub struct Landing<'a> {
    /// The catalog's own description (title, description, publisher), without its list of
    /// datasets.
    pub catalog: &'a Description,
    /// The JSON answer of a search for everything, latest first (`None` while the search
    /// index is first built).
    pub everything: Option<&'a Value>,
}

impl Pages {
    /// The landing page.
    pub fn landing(
        &self,
        landing: &Landing<'_>,
        page: &PageContext<'_>,
    ) -> Result<String, PageError> {
        let view = GraphView::new(landing.catalog, page.language);
        let topic: NamedOrBlankNodeRef<'_> = landing.catalog.topic.as_ref().into();
        let frame = Frame::from(page);
        let (total, themes, publishers, recent) = match landing.everything {
            Some(answer) => (
                answer["total"].as_u64(),
                facet_links(answer, "theme", usize::MAX, page.base),
                facet_links(answer, "publisher", PUBLISHERS, page.base),
                recent(answer, page.base, page.language),
            ),
            None => (None, Vec::new(), Vec::new(), Vec::new()),
        };
        self.render(
            "catalog.html",
            &frame,
            json!({
                "iri": page.iri,
                "title": view.text(topic, dct::TITLE).unwrap_or_else(|| "Passerelle".to_owned()),
                "paragraphs": view.text(topic, dct::DESCRIPTION).map(|d| paragraphs(&d)),
                "publisher": view.links(topic, dct::PUBLISHER).into_iter().next(),
                "homepage": view.links(topic, foaf::HOMEPAGE).into_iter().next(),
                "building": landing.everything.is_none(),
                "total": total,
                "themes": themes,
                "publishers": publishers,
                "recent": recent,
                "latest": format!("{}search?sort=modified", page.base),
                "formats": format_links(Variants::of(page.iri)),
            }),
        )
    }
}

/// The first `limit` values of facet `name`, each a link to the search filtered by it.
fn facet_links(answer: &Value, name: &str, limit: usize, base: &str) -> Vec<Value> {
    answer["facets"][name]
        .as_array()
        .map(|values| {
            values
                .iter()
                .take(limit)
                .map(|v| {
                    let value = v["value"].as_str().unwrap_or_default();
                    json!({
                        "label": v["label"],
                        "count": v["count"],
                        "href": search_link(base, &[(name, value)]),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The datasets of the answer, as cards: title, publisher, day of the last change.
fn recent(answer: &Value, base: &str, language: &str) -> Vec<Value> {
    answer["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .take(RECENT)
                .map(|r| {
                    json!({
                        "href": dataset_page(base, r["id"].as_str().unwrap_or_default()),
                        "title": r["title"],
                        "publisher": r["publisher"]["label"],
                        "modified": dated(r["modified"].as_str(), language),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}
