//! The JSON answer of a search (also what the pages for people show), typed so that the
//! API's description ([`crate::http::openapi`]) is the answer's own shape.

use super::links;
use crate::search::{FacetCount, Hit, SearchPage, SearchRequest, Texts};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A page of search results.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchAnswer {
    /// How many datasets match.
    pub total: usize,
    /// This page's number, from 1.
    pub page: usize,
    /// Results per page.
    pub page_size: usize,
    /// This page's datasets, best first (or in the order `sort` asks).
    pub results: Vec<Found>,
    /// For each facet (`theme`, `publisher`, `format`, `license`, `keyword`, `language`,
    /// `source`, `band`), its values among the matches, most frequent first, each counted
    /// with every other facet's filters.
    pub facets: BTreeMap<String, Vec<FacetValue>>,
    /// The other pages of this search.
    pub links: PageLinks,
}

/// A dataset found.
#[derive(Debug, Serialize, ToSchema)]
pub struct Found {
    /// The dataset's IRI.
    pub iri: String,
    /// Its record's id.
    pub id: String,
    /// Its title in the language asked (else another).
    pub title: Option<String>,
    /// The passage that matched, the words in `<mark>` (HTML, escaped), or the start of
    /// its description.
    pub description: Option<String>,
    /// Its publisher.
    pub publisher: Option<Labelled>,
    /// Its themes.
    pub themes: Vec<Labelled>,
    /// Its distributions' formats.
    pub formats: Vec<Labelled>,
    /// Its licence.
    pub license: Option<Labelled>,
    /// Its keywords.
    pub keywords: Vec<String>,
    /// The harvest source it came from, or `local`.
    pub source: String,
    /// Whether the public sees it.
    pub status: FoundStatus,
    /// When it was last modified (RFC 3339).
    pub modified: Option<String>,
    /// Its metadata quality.
    pub quality: Option<Quality>,
    /// How well it matched the words (none without words).
    pub score: Option<f32>,
}

/// Whether a dataset found is public.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FoundStatus {
    /// Only its editors find it (their token shows it).
    Draft,
    /// Everyone finds it.
    Published,
}

/// A dataset's metadata quality score (MQA points) and band.
#[derive(Debug, Serialize, ToSchema)]
pub struct Quality {
    /// Its points, of 405.
    pub score: f64,
    /// Its rating.
    pub band: crate::quality::Band,
}

/// An IRI and its label in the language asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Labelled {
    /// The IRI.
    pub iri: String,
    /// Its label (the IRI when it has none).
    pub label: String,
}

/// A facet's value and how many matches have it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetValue {
    /// The IRI or text, as the facet's filter parameter takes it.
    pub value: String,
    /// Its label in the language asked (the value when it has none).
    pub label: String,
    /// The datasets that match with this value and the other facets' filters.
    pub count: u64,
}

/// The pages of a search: the same query with another `page`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageLinks {
    /// The first page.
    pub first: String,
    /// The page before, if any.
    pub previous: Option<String>,
    /// The page after, if any.
    pub next: Option<String>,
    /// The last page.
    pub last: String,
}

/// A suggestion as one types: a dataset whose title has a word that begins so.
#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestion {
    /// The dataset's IRI.
    pub iri: String,
    /// Its record's id.
    pub id: String,
    /// Its title in the language asked (else another).
    pub title: Option<String>,
}

/// The JSON answer of `page` to `request`, in `language`, its links to `path` with
/// `query`.
pub fn answer(
    page: &SearchPage,
    request: &SearchRequest,
    language: &str,
    path: &str,
    query: &str,
) -> SearchAnswer {
    let facets = page
        .facets
        .iter()
        .map(|(kind, counts)| {
            let values = counts.iter().map(|c| facet_value(c, language)).collect();
            (kind.name().to_owned(), values)
        })
        .collect();
    let links = links(page.total, request, path, query);
    SearchAnswer {
        total: page.total,
        page: request.page,
        page_size: request.page_size,
        results: page.hits.iter().map(|h| found(h, language)).collect(),
        facets,
        links: PageLinks {
            first: links.first,
            previous: links.previous,
            next: links.next,
            last: links.last,
        },
    }
}

fn facet_value(count: &FacetCount, language: &str) -> FacetValue {
    FacetValue {
        value: count.value.clone(),
        label: label(&count.labels, language)
            .unwrap_or(&count.value)
            .to_owned(),
        count: count.count,
    }
}

fn labelled(named: &crate::search::Named, language: &str) -> Labelled {
    Labelled {
        iri: named.value.clone(),
        label: label(&named.labels, language)
            .unwrap_or(&named.value)
            .to_owned(),
    }
}

fn found(hit: &Hit, language: &str) -> Found {
    let card = &hit.card;
    let all = |values: &[crate::search::Named]| -> Vec<Labelled> {
        values.iter().map(|n| labelled(n, language)).collect()
    };
    let description = hit.snippet.clone().or_else(|| {
        label(&card.description, language).map(|d| minijinja::HtmlEscape(&shortened(d)).to_string())
    });
    Found {
        iri: card.iri.clone(),
        id: card.id.clone(),
        title: label(&card.title, language).map(str::to_owned),
        description,
        publisher: card.publisher.as_ref().map(|p| labelled(p, language)),
        themes: all(&card.themes),
        formats: all(&card.formats),
        license: card.licenses.first().map(|l| labelled(l, language)),
        keywords: card.keywords.iter().map(|k| k.value.clone()).collect(),
        source: card.source.clone(),
        status: if card.draft {
            FoundStatus::Draft
        } else {
            FoundStatus::Published
        },
        modified: card.modified.map(crate::model::time::millis_text),
        quality: card.quality.map(|(score, band)| Quality { score, band }),
        score: hit.score,
    }
}

/// The suggestion of `card`, titled in `language`.
pub fn suggestion(card: &crate::search::Card, language: &str) -> Suggestion {
    Suggestion {
        iri: card.iri.clone(),
        id: card.id.clone(),
        title: label(&card.title, language).map(str::to_owned),
    }
}

/// The text in `language`, else in the other one, else untagged, else any.
fn label<'a>(texts: &'a Texts, language: &str) -> Option<&'a str> {
    let other = if language == "fr" { "en" } else { "fr" };
    [language, other, ""]
        .iter()
        .find_map(|l| texts.get(*l))
        .or_else(|| texts.values().next())
        .map(String::as_str)
}

/// The first 240 characters of `text`, cut at a word.
fn shortened(text: &str) -> String {
    if text.chars().count() <= 240 {
        return text.to_owned();
    }
    let cut: String = text.chars().take(240).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}
