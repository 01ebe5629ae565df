//! A data paper's page for people: its title, authors in their order (with their ORCID iD
//! and affiliations), where it was published, its abstract, and the datasets it describes,
//! each a link to its page here.

use super::view::href;
use super::{Description, PageContext, PageError, Pages, dated, format_links, paragraphs};
use crate::exports::work::{Party, pick, pick_text};
use crate::model::Variants;
use serde_json::{Value, json};

impl Pages {
    /// A data paper page; the generic page when the description is not a data paper's.
    pub fn paper(
        &self,
        description: &Description,
        page: &PageContext<'_>,
    ) -> Result<String, PageError> {
        let Some(work) = page.work else {
            return self.resource(description, page);
        };
        let language = page.language;
        let authors: Vec<Value> = work.creators.iter().map(|p| author(p, language)).collect();
        let datasets: Vec<Value> = work
            .related
            .iter()
            .map(|r| {
                let title = pick_text(&r.titles, language);
                json!({
                    "href": href(&r.iri),
                    "title": title.map_or(r.iri.as_str(), |t| t.value.as_str()),
                    "lang": title.and_then(|t| t.language.as_deref()).filter(|l| *l != language),
                    "doi": r.doi,
                })
            })
            .collect();
        let venue = &work.venue;
        let pages = match (&venue.first_page, &venue.last_page) {
            (Some(first), Some(last)) => Some(format!("{first}–{last}")),
            (first, _) => first.clone(),
        };
        let history = page
            .iri
            .starts_with(page.base)
            .then(|| format!("{}/history", page.iri));
        // Text in another language than the page's is marked so (screen readers).
        let other = |text: Option<&crate::exports::work::Text>| {
            text.and_then(|t| t.language.clone())
                .filter(|l| l != language)
        };
        let title = pick_text(&work.titles, language);
        let summary = pick_text(&work.descriptions, language);
        let mut context = json!({
            "iri": page.iri,
            "topic": description.topic.as_str(),
            "title": work.title(language),
            "title_lang": other(title),
            "paragraphs": pick(&work.descriptions, language).map(paragraphs),
            "abstract_lang": other(summary),
            "authors": authors,
            "journal": venue.journal,
            "volume": venue.volume,
            "pages": pages,
            "issued": dated(work.issued.as_deref(), language),
            "doi": work.doi,
            "datasets": datasets,
            "history": history,
            // Its editors are those of the datasets it describes: an admin, or an editor,
            // whom the form refuses if those datasets are not theirs.
            "edit": page.visitor.filter(|v| v.admin || !v.publishers.is_empty()).map(|_| format!("{}/edit", page.iri)),
            "formats": format_links(Variants::of(page.iri)),
        });
        super::cite::add_work(&mut context, page);
        self.render("paper.html", &page.into(), context)
    }
}

/// An author: name, ORCID iD and affiliations.
fn author(party: &Party, language: &str) -> Value {
    let affiliations: Vec<Value> = party
        .affiliations
        .iter()
        .map(|a| json!({"name": a.name(language), "ror": a.ror()}))
        .collect();
    json!({
        "name": party.name(language),
        "orcid": party.orcid(),
        "href": party.iri.as_deref().map(href),
        "affiliations": affiliations,
    })
}
