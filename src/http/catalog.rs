//! The harvestable DCAT feed at `{base}catalog[.ext]`: the catalog with one page of its
//! datasets described in full, their catalog records, and Hydra paging links (as in the
//! body, so in `Link` headers).
//!
//! `?page=N&page_size=M` finds a page by position; the `next` link adds `after=`, the last
//! item's key, so that a harvester following `next` walks the feed by key (see
//! `store/feed.rs` for what that guarantees). `?modified_since=` gives the incremental feed,
//! withdrawn datasets included.

use super::AppState;
use super::errors::HttpError;
use super::respond::{choose_from, http_date, not_modified, short_hash, split_suffix};
use super::stream;
use crate::model::time::parse_instant;
use crate::model::vocab::{RDF_TYPE, dcat, hydra};
use crate::rdf::{QuadStream, Representation};
use crate::store::FeedOrder;
use crate::store::{CatalogStore, FeedHeader, FeedKey, FeedPage, FeedQuery};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};
use std::sync::Arc;

/// Datasets per page unless `page_size` says otherwise (as data.gouv.fr).
pub const DEFAULT_PAGE_SIZE: usize = 100;
/// The largest `page_size`; beyond, 400. Pages stream, so this bounds time, not memory.
pub const MAX_PAGE_SIZE: usize = 1000;

/// The syntaxes of the feed: every RDF syntax (no HTML page yet).
pub(super) const OFFERS: [Representation; 6] = [
    Representation::Turtle,
    Representation::JsonLd,
    Representation::RdfXml,
    Representation::NTriples,
    Representation::NQuads,
    Representation::TriG,
];

/// `GET|HEAD {base}catalog`.
pub async fn feed(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    answer(request, state, None).await
}

/// `GET|HEAD {base}catalog.{ext}`.
pub async fn feed_with_suffix(
    request: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let extension = path.into_inner();
    let suffix = split_suffix(&format!("catalog.{extension}"))
        .and_then(|(_, suffix)| suffix)
        .filter(|r| OFFERS.contains(r))
        .ok_or_else(|| HttpError::NoRoute(request.path().to_owned()))?;
    answer(request, state, Some(suffix)).await
}

async fn answer(
    request: HttpRequest,
    state: web::Data<AppState>,
    suffix: Option<Representation>,
) -> Result<HttpResponse, HttpError> {
    let representation = choose_from(&request, suffix, &OFFERS)?;
    let params = Params::parse(request.query_string())?;
    let store = state.store.clone();
    check_horizon(&params, &store)?;
    let (header, page) = read_page(&store, params.query()).await?;
    let links = Links::new(&request, store.base().as_str(), &params, &page);
    Ok(respond_page(
        &request,
        store,
        representation,
        (header, page),
        &links,
    ))
}

/// One page of datasets described in full (the feed's, or a search's), in
/// `representation`: the catalog with its links to them and the Hydra view, with an ETag,
/// `Last-Modified` and `Link` headers; streamed as the records are read.
pub(super) fn respond_page(
    request: &HttpRequest,
    store: CatalogStore,
    representation: Representation,
    (header, page): (Arc<FeedHeader>, FeedPage),
    links: &Links,
) -> HttpResponse {
    let etag = format!(
        "\"{}\"",
        short_hash(fingerprint(representation, links, &page, &header).as_bytes())
    );
    let modified = header.modified.map(http_date);
    let unchanged = not_modified(request, &etag, modified);
    let mut builder = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    builder
        .insert_header((header::VARY, HeaderValue::from_static("Accept")))
        .insert_header((header::ETAG, etag))
        .insert_header((header::LINK, links.header()));
    if let Some(date) = modified {
        builder.insert_header((header::LAST_MODIFIED, date));
    }
    if unchanged {
        return builder.finish();
    }
    builder.content_type(representation.content_type());
    if request.method() == actix_web::http::Method::HEAD {
        return builder.finish();
    }
    let head = head_quads(&store, &header, &page, links);
    builder.body(stream_page(store, representation, header, page, head))
}

/// 400 for a `modified_since` before the oldest deletion still remembered: the answer
/// would silently miss deletions.
fn check_horizon(params: &Params, store: &CatalogStore) -> Result<(), HttpError> {
    let horizon = store.feed_horizon();
    if params.since.is_some_and(|since| since < horizon) {
        return Err(HttpError::BadRequest(format!(
            "modified_since is before {}, the oldest deletion this catalog remembers: \
             harvest the full feed again",
            crate::model::time::millis_text(horizon)
        )));
    }
    Ok(())
}

/// The catalog part and the items of the page; 404 past the last page by number.
async fn read_page(
    store: &CatalogStore,
    query: FeedQuery,
) -> Result<(Arc<FeedHeader>, FeedPage), HttpError> {
    let store = store.clone();
    let past_the_end = query.after.is_none() && query.page > 1;
    let number = query.page;
    let (header, page) =
        web::block(move || Ok::<_, HttpError>((store.feed_header()?, store.feed_page(&query))))
            .await
            .map_err(|_| HttpError::Unavailable)??;
    if past_the_end && page.entries.is_empty() {
        return Err(HttpError::NotFound {
            kind: "feed page",
            id: number.to_string(),
        });
    }
    Ok((header, page))
}

/// The body: written on the blocking pool as the records are read.
fn stream_page(
    store: CatalogStore,
    representation: Representation,
    header: Arc<FeedHeader>,
    page: FeedPage,
    head: Vec<Quad>,
) -> stream::ChunkStream {
    let (sender, body) = stream::channel(4);
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        span.in_scope(|| {
            let catalog = store.base().catalog();
            let page = Page {
                header: &header,
                page: &page,
                catalog: &catalog,
                head,
            };
            write_page(&store, representation, page, sender);
        });
    });
    body
}

/// What a page is written from.
struct Page<'a> {
    header: &'a FeedHeader,
    page: &'a FeedPage,
    catalog: &'a NamedNode,
    /// The catalog and the Hydra view.
    head: Vec<Quad>,
}

/// Writes the page: the catalog and paging first, then each dataset as it is read, with
/// the catalog's links to it.
fn write_page(
    store: &CatalogStore,
    representation: Representation,
    page: Page<'_>,
    mut sender: stream::ChunkSender,
) {
    let outcome = (|| {
        let mut lent = page.header.lent.clone();
        let mut out = QuadStream::start(representation, &mut sender)?;
        out.write_batch(&page.head)?;
        let catalog_graph: GraphName = store.base().catalog_graph().into();
        for entry in &page.page.entries {
            let mut quads = store
                .describe_feed_entry(entry, &mut lent)
                .map_err(std::io::Error::other)?;
            let record = store.base().record_graph(&entry.key.id);
            let topic = quads.iter().find_map(|q| match &q.object {
                Term::NamedNode(topic)
                    if q.subject == record.clone().into()
                        && q.predicate == crate::model::vocab::foaf::PRIMARY_TOPIC =>
                {
                    Some(topic.clone())
                }
                _ => None,
            });
            if !quads.is_empty() {
                let link = |p: oxigraph::model::NamedNodeRef<'_>, o: NamedNode| {
                    Quad::new(
                        page.catalog.clone(),
                        p.into_owned(),
                        o,
                        catalog_graph.clone(),
                    )
                };
                if let Some(topic) = topic.filter(|_| !entry.withdrawn) {
                    quads.push(link(dcat::DATASET_PROP, topic));
                }
                quads.push(link(dcat::RECORD, record));
            }
            out.write_batch(&quads)?;
        }
        out.finish().map(drop)
    })();
    if let Err(error) = &outcome {
        tracing::warn!(%error, "feed page broken off");
    }
    sender.end(outcome);
}

/// The query parameters, validated.
#[derive(Debug)]
struct Params {
    page: u64,
    page_size: usize,
    /// `modified_since` in milliseconds.
    since: Option<i64>,
    after: Option<FeedKey>,
}

/// The feed's parameters as sent, each checked by [`Params::parse`].
#[derive(serde::Deserialize)]
struct RawParams {
    page: Option<String>,
    page_size: Option<String>,
    modified_since: Option<String>,
    after: Option<String>,
}

impl Params {
    fn parse(query: &str) -> Result<Self, HttpError> {
        let raw = web::Query::<RawParams>::from_query(query)
            .map_err(|e| HttpError::BadRequest(e.to_string()))?
            .into_inner();
        let page = match raw.page.as_deref() {
            None => 1,
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| bad(format!("page must be a whole number from 1, not {text:?}")))?,
        };
        let page_size = match raw.page_size.as_deref() {
            None => DEFAULT_PAGE_SIZE,
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
                .ok_or_else(|| {
                    bad(format!(
                        "page_size must be a whole number from 1 to {MAX_PAGE_SIZE}, not {text:?}"
                    ))
                })?,
        };
        let since = raw
            .modified_since
            .as_deref()
            .map(|text| {
                parse_instant(text).ok_or_else(|| {
                    bad(format!(
                        "modified_since must be an ISO 8601 date or date-time \
                         (2026-11-24 or 2026-11-24T10:00:00Z), not {text:?}"
                    ))
                })
            })
            .transpose()?;
        let after = raw
            .after
            .as_deref()
            .map(|text| {
                FeedKey::from_cursor(text).ok_or_else(|| {
                    bad(format!(
                        "after {text:?} is not a cursor from this feed's next link"
                    ))
                })
            })
            .transpose()?;
        Ok(Self {
            page,
            page_size,
            since,
            after,
        })
    }

    fn query(&self) -> FeedQuery {
        FeedQuery {
            page: self.page,
            page_size: self.page_size,
            since: self.since,
            after: self.after.clone(),
        }
    }
}

fn bad(message: String) -> HttpError {
    HttpError::BadRequest(message)
}

/// The page's own URL and its neighbours', as IRIs for the body and the `Link` header.
pub(super) struct Links {
    /// This page.
    pub view: String,
    /// The first page.
    pub first: String,
    /// The page before, if any.
    pub previous: Option<String>,
    /// The page after, if any.
    pub next: Option<String>,
    /// The last page.
    pub last: String,
}

impl Links {
    fn new(request: &HttpRequest, base: &str, params: &Params, page: &FeedPage) -> Self {
        // Keep the suffix the client used (catalog.ttl), so every link answers alike.
        let path = request
            .path()
            .rsplit('/')
            .next()
            .filter(|segment| segment.starts_with("catalog"))
            .unwrap_or("catalog");
        let since = params
            .since
            .map(|millis| {
                let literal = crate::model::time::millis_text(millis);
                format!("&modified_since={literal}")
            })
            .unwrap_or_default();
        let url = |number: u64, after: Option<&FeedKey>| {
            let after = after
                .map(|key| format!("&after={}", key.to_cursor()))
                .unwrap_or_default();
            format!(
                "{base}{path}?page={number}&page_size={}{since}{after}",
                params.page_size
            )
        };
        let size = u64::try_from(params.page_size).unwrap_or(u64::MAX);
        let total = u64::try_from(page.total).unwrap_or(u64::MAX);
        let last = total.div_ceil(size).max(1);
        Self {
            view: url(params.page, params.after.as_ref()),
            first: url(1, None),
            previous: (params.page > 1).then(|| url(params.page - 1, None)),
            next: page
                .more
                .then(|| {
                    page.entries
                        .last()
                        .map(|e| url(params.page + 1, Some(&e.key)))
                })
                .flatten(),
            last: url(last, None),
        }
    }

    /// `Link: <…>; rel="first", …` (RFC 8288).
    fn header(&self) -> String {
        let mut links = vec![
            format!("<{}>; rel=\"first\"", self.first),
            format!("<{}>; rel=\"last\"", self.last),
        ];
        if let Some(previous) = &self.previous {
            links.push(format!("<{previous}>; rel=\"prev\""));
        }
        if let Some(next) = &self.next {
            links.push(format!("<{next}>; rel=\"next\""));
        }
        links.join(", ")
    }
}

/// What the page's bytes depend on, for its ETag: the page asked for, the items and their
/// versions, and the catalog's own version (which moves with every write).
fn fingerprint(
    representation: Representation,
    links: &Links,
    page: &FeedPage,
    header: &FeedHeader,
) -> String {
    // The version: a new build may write the same data differently.
    let mut text = format!(
        "{}|{}|{}|{}|{:?}|{:?}|{:?}",
        env!("CARGO_PKG_VERSION"),
        representation.media_type(),
        links.view,
        page.total,
        links.next,
        links.last,
        header.modified
    );
    for entry in &page.entries {
        text.push_str(&format!("|{}{}", entry.key.to_cursor(), entry.withdrawn));
    }
    text
}

/// The catalog, its links to this page's datasets and records, and the Hydra view.
fn head_quads(
    store: &CatalogStore,
    header: &FeedHeader,
    page: &FeedPage,
    links: &Links,
) -> Vec<Quad> {
    let catalog = store.base().catalog();
    let default = GraphName::DefaultGraph;
    let quad = |s: &NamedNode, p: oxigraph::model::NamedNodeRef<'_>, o: Term, g: &GraphName| {
        Quad::new(s.clone(), p.into_owned(), o, g.clone())
    };
    let view = NamedNode::new_unchecked(links.view.clone());
    let mut quads = header.quads.clone();
    quads.push(quad(&catalog, RDF_TYPE, hydra::COLLECTION.into(), &default));
    let total = Literal::new_typed_literal(page.total.to_string(), xsd::INTEGER);
    quads.push(quad(&catalog, hydra::TOTAL_ITEMS, total.into(), &default));
    quads.push(quad(&catalog, hydra::VIEW, view.clone().into(), &default));
    quads.push(quad(
        &view,
        RDF_TYPE,
        hydra::PARTIAL_COLLECTION_VIEW.into(),
        &default,
    ));
    let mut link = |predicate, url: &str| {
        quads.push(quad(
            &view,
            predicate,
            NamedNode::new_unchecked(url).into(),
            &default,
        ));
    };
    link(hydra::FIRST, &links.first);
    if let Some(previous) = &links.previous {
        link(hydra::PREVIOUS, previous);
    }
    if let Some(next) = &links.next {
        link(hydra::NEXT, next);
    }
    link(hydra::LAST, &links.last);
    // The catalog's statements together, so Turtle writes it as one block.
    let (mut first, rest): (Vec<Quad>, Vec<Quad>) = quads
        .into_iter()
        .partition(|q| q.subject == catalog.clone().into());
    first.sort_by_key(|q| q.predicate != RDF_TYPE);
    first.extend(rest);
    first
}
