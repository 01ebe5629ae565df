//! `GET {base}search`: full-text search with facets, as JSON, as a page for people
//! (`portal.rs`), or (with an RDF syntax in `Accept`) as the feed's pages are: the catalog
//! with the matching datasets in full and Hydra paging.
//!
//! Parameters: `q` (words, `"phrases"`, `-exclusions`: any text is searched), the facet
//! filters `theme`, `publisher`, `format`, `license`, `keyword`, `language`, `source`
//! (repeated: OR; different: AND), `has_data_paper`, `modified_since`, `modified_before`,
//! `temporal` (`2010/2020`), `sort` (`relevance`, `modified`, `title`, `issued`), `page`,
//! `page_size` (at most 100), `format=json`, `lang`. Anything else is a 400 naming it.

use super::AppState;
use super::catalog::{Links, OFFERS, respond_page};
use super::errors::HttpError;
use super::respond::{VARY_PAGES, VARY_PERSONAL, accept, preferred_language};
use crate::access::{Principal, Role};
use crate::model::RecordId;
use crate::model::time::parse_instant;
use crate::rdf::{Offer, Representation, negotiate};
use crate::search::{
    Audience, FacetKind, SearchError, SearchIndex, SearchPage, SearchRequest, Sort,
};
use crate::store::{FeedEntry, FeedKey, FeedOrder, FeedPage};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

mod answer;
pub use answer::{SearchAnswer, Suggestion, answer};

/// Results per page unless `page_size` says otherwise.
pub const DEFAULT_PAGE_SIZE: usize = 20;
/// The largest `page_size`.
pub const MAX_PAGE_SIZE: usize = 100;
/// The last page one may ask for: a million pages reach any dataset of a catalog of
/// millions, and a number past what any index holds is a client's mistake (it was
/// once taken up to 2^64, past what clients' 64-bit integers say).
pub const MAX_PAGE: usize = 1_000_000;

/// The parameters of `GET {base}search`, as the API's description lists them (`parse`
/// reads them, and refuses any other).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Describes the query; `parse` reads it.
pub struct SearchQuery {
    /// Words, `"phrases"` and `-exclusions`, in titles, descriptions and keywords.
    q: Option<String>,
    /// Themes' IRIs (repeated: any of them).
    theme: Option<Vec<String>>,
    /// Publishers' IRIs.
    publisher: Option<Vec<String>>,
    /// `json` asks for JSON; any other value filters by a distribution's file format.
    format: Option<Vec<String>>,
    /// Licences' IRIs.
    license: Option<Vec<String>>,
    /// Keywords.
    keyword: Option<Vec<String>>,
    /// Languages of the data (IRIs).
    language: Option<Vec<String>>,
    /// Harvest sources' names, or `local`.
    source: Option<Vec<String>>,
    /// Quality bands (`excellent`, `good`, `sufficient`, `bad`).
    band: Option<Vec<String>>,
    /// Whether a data paper describes it.
    has_data_paper: Option<bool>,
    /// Whether someone declared a reuse of it.
    has_reuses: Option<bool>,
    /// Modified since then (an ISO 8601 date or date-time).
    modified_since: Option<String>,
    /// Modified before then.
    modified_before: Option<String>,
    /// Data about a period that meets this one (`2010/2020`, `2010-01-01/2020-06-30`).
    temporal: Option<String>,
    /// `relevance` (with words), `modified`, `title`, `issued`, `reuses` or `quality`.
    sort: Option<String>,
    /// The page, from 1.
    #[param(minimum = 1, maximum = 1000000)]
    page: Option<u64>,
    /// Results per page, from 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    page_size: Option<u64>,
    /// The language of titles and labels (else `Accept-Language`).
    lang: Option<Language>,
}

/// A language of the portal.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)] // Describes the parameter; `lang` reads it.
pub enum Language {
    /// French.
    Fr,
    /// English.
    En,
}

/// `GET {base}search`.
#[utoipa::path(
    get,
    path = "/search",
    tag = "search",
    summary = "Search the catalog's datasets",
    description = "JSON for `application/json`, `*/*` or `format=json`; the page for people for `text/html`; for an RDF syntax, the matching datasets in full as the feed's pages are, with Hydra paging. A bearer token adds the drafts it may see.",
    params(SearchQuery),
    responses(
        (status = 200, description = "A page of results with the facets", content(
            (SearchAnswer = "application/json"),
            (String = "text/html"),
            (String = "text/turtle"),
            (String = "application/ld+json"),
            (String = "application/rdf+xml"),
            (String = "application/n-triples"),
            (String = "application/n-quads"),
            (String = "application/trig"),
        )),
        (status = 400, description = "A parameter is unknown or wrong (the problem names it)"),
        (status = 406, description = "No media type asked for can be served"),
        (status = 503, description = "The search index is being built"),
    ),
    security((), ("bearer" = [])),
)]
pub async fn search(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let answer_in = negotiated(&request)?;
    let mut asked = match parse(request.query_string()) {
        Ok(asked) => asked,
        // A person gets the page, saying what is wrong, with the search box to try again.
        Err(HttpError::BadRequest(problem)) if answer_in == Answer::Html => {
            return super::portal::unreadable_search(&request, &state, &problem);
        }
        Err(error) => return Err(error),
    };
    // A harvester's RDF pages hold published datasets only; a token shows its drafts.
    let personal = request.headers().contains_key(header::AUTHORIZATION);
    if personal && !matches!(answer_in, Answer::Rdf(_)) {
        asked.request.audience = audience(&super::auth::principal(&request, &state)?);
    }
    let language = asked
        .language
        .unwrap_or_else(|| preferred_language(&request));
    asked.request.english = language == "en";
    let search = asked.request.clone();
    let page = with_index(&state, move |index| index.search(&search)).await?;
    match answer_in {
        Answer::Rdf(representation) => {
            return rdf_answer(&request, &state, representation, &page, &asked.request).await;
        }
        Answer::Html => {
            return super::portal::search_page(
                &request,
                &state,
                (&page, &asked.request),
                language,
                personal,
            );
        }
        Answer::Json => {}
    }
    let path = request.path().to_owned();
    let body = answer(
        &page,
        &asked.request,
        language,
        &path,
        request.query_string(),
    );
    let mut response = HttpResponse::Ok();
    response
        .content_type("application/json")
        .insert_header((header::VARY, VARY_PERSONAL));
    if personal {
        // Drafts in it: no shared cache may keep it.
        response.insert_header((header::CACHE_CONTROL, "private, no-store"));
    }
    Ok(response.json(body))
}

/// What `who` may find beside published datasets: every draft for an administrator, the
/// drafts of their publishers for an editor.
fn audience(who: &Principal) -> Audience {
    match &who.role {
        Role::Admin => Audience::Administrator,
        Role::Editor { publishers } => Audience::Editor(publishers.iter().cloned().collect()),
    }
}

/// `GET {base}search/suggest?q=`: up to 10 datasets whose titles begin words with what was
/// typed, as `[{"iri", "id", "title"}]` (titles in the language asked).
#[utoipa::path(
    get,
    path = "/search/suggest",
    tag = "search",
    summary = "Suggest datasets as one types",
    params(
        ("q" = Option<String>, Query, description = "What was typed"),
        ("lang" = Option<Language>, Query, description = "The language of titles"),
    ),
    responses(
        (status = 200, description = "Up to 10 datasets whose titles have a word beginning so", body = Vec<Suggestion>),
        (status = 400, description = "A parameter is unknown or wrong"),
        (status = 503, description = "The search index is being built"),
    ),
)]
pub async fn suggest(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let mut typed = String::new();
    let mut language = None;
    for (name, value) in form_urlencoded::parse(request.query_string().as_bytes()) {
        match name.as_ref() {
            "q" => typed = value.into_owned(),
            "lang" => language = Some(lang(&value)?),
            other => return Err(bad(format!("unknown parameter {other:?}"))),
        }
    }
    let language = language.unwrap_or_else(|| preferred_language(&request));
    let cards = with_index(&state, move |index| {
        index.suggest(&typed, crate::search::MAX_SUGGESTIONS)
    })
    .await?;
    let body: Vec<Suggestion> = cards
        .iter()
        .map(|card| answer::suggestion(card, language))
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::VARY, VARY_PAGES))
        .json(body))
}

/// Runs `work` with the search index on the blocking pool (tantivy's reads block), in the
/// request's span, once the index holds something (503 while a new one is first built).
pub(super) async fn with_index<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&SearchIndex) -> Result<T, SearchError> + Send + 'static,
) -> Result<T, HttpError> {
    let index = state.search().clone();
    if !index.ready() {
        return Err(HttpError::Indexing);
    }
    let span = tracing::Span::current();
    web::block(move || span.in_scope(|| work(&index)))
        .await
        .map_err(|_| HttpError::Unavailable)?
        .map_err(HttpError::from)
}

/// What a search can answer with: JSON (the first, for `*/*`), the page for people (what
/// browsers rank first), or the feed's RDF syntaxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Json,
    Html,
    Rdf(Representation),
}

impl Offer for Answer {
    fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Html => Representation::Html.media_type(),
            Self::Rdf(representation) => representation.media_type(),
        }
    }
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Json => &[],
            Self::Html => Representation::Html.aliases(),
            Self::Rdf(representation) => representation.aliases(),
        }
    }
}

/// The answer `Accept` asks for (`?format=json` overrides it); 406 for none we have.
fn negotiated(request: &HttpRequest) -> Result<Answer, HttpError> {
    if form_urlencoded::parse(request.query_string().as_bytes())
        .any(|(name, value)| name == "format" && value == "json")
    {
        return Ok(Answer::Json);
    }
    let offers: Vec<Answer> = [Answer::Json, Answer::Html]
        .into_iter()
        .chain(OFFERS.iter().copied().map(Answer::Rdf))
        .collect();
    negotiate(accept(request), &offers)
        .ok_or_else(|| HttpError::NotAcceptable(offers.iter().map(|o| o.media_type()).collect()))
}

/// The page of results as the feed writes its pages: the catalog with its links to the
/// matching datasets, each described in full, and the Hydra view of the search's pages,
/// so that a harvester can take a filtered subset with the feed's walking.
async fn rdf_answer(
    request: &HttpRequest,
    state: &AppState,
    representation: Representation,
    results: &SearchPage,
    asked: &SearchRequest,
) -> Result<HttpResponse, HttpError> {
    let search = format!("{}search", state.store.base().as_str());
    let links = links(results.total, asked, &search, request.query_string());
    let page = FeedPage {
        entries: results
            .hits
            .iter()
            .filter_map(|hit| {
                let id = RecordId::parse(&hit.card.id).ok()?;
                Some(FeedEntry {
                    key: FeedKey {
                        modified: hit.version,
                        id,
                    },
                    withdrawn: false,
                })
            })
            .collect(),
        total: results.total,
        more: links.next.is_some(),
    };
    let header = state.blocking(|store| store.feed_header()).await?;
    Ok(respond_page(
        request,
        state.store.clone(),
        representation,
        (header, page),
        &links,
    ))
}

/// The parameters that are dates or periods.
const DATE_PARAMETERS: [&str; 3] = ["temporal", "modified_since", "modified_before"];

/// A search as the URL asks it.
#[derive(Debug)]
struct Asked {
    request: SearchRequest,
    language: Option<&'static str>,
}

/// The parameters of `query`, checked: each wrong one is a 400 that names it.
fn parse(query: &str) -> Result<Asked, HttpError> {
    let mut request = SearchRequest {
        page: 1,
        page_size: DEFAULT_PAGE_SIZE,
        ..SearchRequest::default()
    };
    let mut language = None;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = value.into_owned();
        // A form's empty date field says "no date", not a wrong one.
        if DATE_PARAMETERS.contains(&name.as_ref()) && value.trim().is_empty() {
            continue;
        }
        match name.as_ref() {
            "q" => request.words = value,
            "page" => request.page = whole(&name, &value, 1, MAX_PAGE)?,
            "page_size" => request.page_size = whole(&name, &value, 1, MAX_PAGE_SIZE)?,
            "sort" => {
                request.sort = Some(Sort::named(&value).ok_or_else(|| {
                    bad(format!(
                        "sort must be relevance, modified, title, issued, reuses or quality, not {value:?}"
                    ))
                })?);
            }
            "has_data_paper" => request.has_data_paper = Some(boolean(&name, &value)?),
            "has_reuses" => request.has_reuses = Some(boolean(&name, &value)?),
            "modified_since" => request.modified_since = Some(instant(&name, &value)?),
            "modified_before" => request.modified_before = Some(instant(&name, &value)?),
            "temporal" => request.temporal = Some(period(&value)?),
            // `format=json` asks for JSON; any other value filters by file format.
            "format" if value == "json" => {}
            "lang" => language = Some(lang(&value)?),
            other => match FacetKind::named(other) {
                Some(kind) => request.filters.entry(kind).or_default().push(value),
                None => return Err(bad(format!("unknown parameter {other:?}"))),
            },
        }
    }
    Ok(Asked { request, language })
}

fn bad(message: String) -> HttpError {
    HttpError::BadRequest(message)
}

/// A whole number from `min` to `max`.
fn whole(name: &str, value: &str, min: usize, max: usize) -> Result<usize, HttpError> {
    value
        .parse::<usize>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            bad(format!(
                "{name} must be a whole number from {min} to {max}, not {value:?}"
            ))
        })
}

/// `true` or `false`, else 400 naming the parameter.
fn boolean(name: &str, value: &str) -> Result<bool, HttpError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(HttpError::BadRequest(format!(
            "{name} must be true or false, not {value:?}"
        ))),
    }
}

/// A date or date-time, in milliseconds.
fn instant(name: &str, value: &str) -> Result<i64, HttpError> {
    parse_instant(value).ok_or_else(|| {
            bad(format!(
                "{name} must be an ISO 8601 date or date-time (2026-11-24 or 2026-11-24T10:00:00Z), not {value:?}"
            ))
        })
}

/// `from/to`: years or dates, the end inclusive (a year ends on its last millisecond).
fn period(value: &str) -> Result<(i64, i64), HttpError> {
    let wrong = || {
        bad(format!(
            "temporal must be a period such as 2010/2020 or 2010-01-01/2020-06-30, not {value:?}"
        ))
    };
    let (from, to) = value.split_once('/').ok_or_else(wrong)?;
    let start = |text: &str| -> Option<i64> {
        if text.len() == 4 && text.chars().all(|c| c.is_ascii_digit()) {
            return parse_instant(&format!("{text}-01-01"));
        }
        parse_instant(text)
    };
    // A year or a date ends on its last millisecond.
    let end = |text: &str| -> Option<i64> {
        const DAY: i64 = 24 * 3600 * 1000;
        match text.len() {
            4 => {
                let next: i32 = text.parse().ok()?;
                start(&format!("{:04}", next + 1)).map(|t| t - 1)
            }
            10 => start(text).map(|t| t + DAY - 1),
            _ => start(text),
        }
    };
    let (from, to) = (start(from).ok_or_else(wrong)?, end(to).ok_or_else(wrong)?);
    if from > to {
        return Err(wrong());
    }
    Ok((from, to))
}

fn lang(value: &str) -> Result<&'static str, HttpError> {
    match value {
        "fr" => Ok("fr"),
        "en" => Ok("en"),
        _ => Err(bad(format!("lang must be fr or en, not {value:?}"))),
    }
}

/// First, previous, next and last pages: the same query with another `page`.
fn links(total: usize, request: &SearchRequest, target: &str, query: &str) -> Links {
    let last = total.div_ceil(request.page_size).max(1);
    let at = |page: usize| page_url(target, query, page);
    Links {
        view: at(request.page),
        first: at(1),
        previous: (request.page > 1).then(|| at((request.page - 1).min(last))),
        next: (request.page < last).then(|| at(request.page + 1)),
        last: at(last),
    }
}

/// `target` with the parameters of `query` and `page` as its page.
fn page_url(target: &str, query: &str, page: usize) -> String {
    let kept = form_urlencoded::parse(query.as_bytes()).filter(|(name, _)| name != "page");
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .append_pair("page", &page.to_string())
        .finish();
    format!("{target}?{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wrong_parameter_is_named() {
        for (query, named) in [
            ("colour=blue", "colour"),
            ("page_size=100000", "page_size"),
            ("page=0", "page"),
            ("sort=size", "sort"),
            ("modified_since=yesterday", "modified_since"),
            ("temporal=2020", "temporal"),
            ("has_data_paper=maybe", "has_data_paper"),
        ] {
            match parse(query) {
                Err(HttpError::BadRequest(message)) => {
                    assert!(message.contains(named), "{query}: {message}")
                }
                other => panic!("{query}: {other:?}"),
            }
        }
    }

    #[test]
    fn filters_gather_by_facet_and_periods_cover_whole_years() -> Result<(), HttpError> {
        let asked = parse("theme=a&theme=b&publisher=c&temporal=2010/2020&q=zone%20humide")?;
        assert_eq!(asked.request.filters[&FacetKind::Theme], ["a", "b"]);
        assert_eq!(asked.request.filters[&FacetKind::Publisher], ["c"]);
        assert_eq!(asked.request.words, "zone humide");
        let (from, to) = asked.request.temporal.unwrap_or_default();
        assert!(crate::model::time::millis_text(from).starts_with("2010-01-01T00:00:00"));
        assert!(crate::model::time::millis_text(to).starts_with("2020-12-31T23:59:59"));
        Ok(())
    }
}
