//! The actix-web application: one routing table ([`configure`]) used by `serve` and by the
//! tests, one shared [`AppState`], one span per request.

mod about;
mod answers;
mod api;
mod auth;
mod cache;
mod catalog;
mod deadline;
mod errors;
mod extract;
mod feedback;
mod forms;
mod harvest;
mod history;
mod inbox;
mod methods;
mod oai;
mod openapi;
mod ops;
mod page;
mod portal;
mod profiles;
mod quality;
mod records;
mod reports;
mod respond;
mod reuses;
mod search;
mod server;
mod session;
mod signin;
mod signposts;
mod sparql;
mod stream;

pub use errors::HttpError;
pub use server::{serve, serve_metrics};

use crate::config::Settings;
use crate::html::Pages;
use crate::store::CatalogStore;
use crate::store::FeedOrder;
use crate::store::Lookups;
use actix_web::dev::ServiceRequest;
use actix_web::{HttpRequest, guard, web};
use cache::{CacheKey, RenderCache};
use methods::{only_get_post, only_post, only_protocol, only_put_delete, readable};
use respond::Rendered;
use std::sync::Arc;

/// What every handler shares; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    store: CatalogStore,
    pages: Arc<Pages>,
    cache: Arc<RenderCache>,
    query_timeout: std::time::Duration,
    admin_token: Option<String>,
    tokens: Arc<crate::access::Tokens>,
    sessions: Arc<crate::access::Sessions>,
    /// How often one address may post anonymously (feedback).
    post_limits: Arc<crate::feedback::PostLimits>,
    /// The controlled vocabularies the publishing forms offer.
    choices: Arc<crate::html::Choices>,
    /// What scores a dataset's metadata quality.
    scorer: crate::quality::board::Scorer,
    /// The catalog's quality, kept up to date in the background.
    board: crate::quality::board::Board,
    /// What the link checker found at the distributions' URLs.
    links: crate::links::LinkBook,
    /// What the CSV files that declare a data standard were found to be.
    standards: crate::standards::conformance::StandardBook,
    /// What the catalog says about itself (shapes, VoID, dump).
    about: Arc<crate::about::About>,
    validator: Arc<crate::validate::Validator>,
    limits: Limits,
    fast_queries: Arc<sparql::fast_path::FastQueries>,
    watchdog: sparql::fast_path::Watchdog,
    query_pool: sparql::pool::QueryPool,
    harvester: crate::harvest::Harvester,
    search: crate::search::SearchIndex,
    /// Whom harvesters write to (OAI-PMH's `adminEmail`).
    contact_email: String,
    /// What operators watch (`{base}metrics`).
    metrics: crate::metrics::Metrics,
    /// Where the backups asked for go (`POST {base}api/backup`).
    backups: crate::config::Backups,
}

/// Why the application could not be built: a defect in what is compiled into it.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A page template does not compile.
    #[error(transparent)]
    Page(#[from] crate::html::PageError),
    /// The application profile's shapes do not parse.
    #[error(transparent)]
    Profile(#[from] crate::validate::ValidateError),
    /// The harvester's HTTP client could not be built.
    #[error(transparent)]
    Harvester(#[from] crate::harvest::fetch::FetchError),
    /// The query threads could not be set up.
    #[error("cannot start the query threads: {0}")]
    QueryPool(#[source] std::io::Error),
    /// The search index could not be opened or created.
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    /// The bundled vocabularies do not parse.
    #[error("the bundled vocabularies do not parse: {0}")]
    Vocabularies(#[source] crate::store::StoreError),
    /// The application profile does not parse (a build defect).
    #[error("the application profile does not parse: {0}")]
    About(String),
    /// The metrics could not be registered (a build defect).
    #[error(transparent)]
    Metrics(#[from] crate::metrics::MetricsError),
    /// The stored link or data-standard checks cannot be read.
    #[error("the stored link or data-standard checks cannot be read: {0}")]
    LinkChecks(#[source] crate::store::StoreError),
}

/// Sizes past which requests are refused with 413 (what their content may ask of the
/// parsers is the store's: [`CatalogStore::limits`]).
#[derive(Clone, Copy, Debug)]
struct Limits {
    max_body: usize,
    body_timeout: std::time::Duration,
    max_query_length: usize,
}

impl AppState {
    /// 410 for a record (or its catalog record) that was withdrawn, else `not_found`.
    /// (A removed distribution was part of its dataset, not a record: 404.)
    pub(super) async fn missing(
        &self,
        kind: crate::model::ResourceKind,
        id: crate::model::RecordId,
        not_found: HttpError,
    ) -> HttpError {
        if kind == crate::model::ResourceKind::Distribution {
            return not_found;
        }
        let label = id.as_str().to_owned();
        match self.blocking(move |store| store.is_withdrawn(&id)).await {
            Ok(true) => HttpError::Gone {
                kind: kind.label(),
                id: label,
            },
            Ok(false) => not_found,
            Err(error) => error,
        }
    }

    /// The published record at `path`, described; else 410 or 404 as [`Self::missing`]
    /// says.
    pub(super) async fn described(
        &self,
        path: &extract::RecordPath,
    ) -> Result<crate::store::Description, HttpError> {
        use crate::store::Records;
        let (kind, id) = (path.kind, path.id.clone());
        match self
            .blocking(move |store| store.describe(kind, &id))
            .await?
        {
            Some(description) => Ok(description),
            None => Err(self
                .missing(path.kind, path.id.clone(), path.not_found())
                .await),
        }
    }

    /// Builds the state; compiles the page templates once. `settings` give the size of
    /// the cache of rendered descriptions and the SPARQL time limit.
    pub fn new(store: CatalogStore, settings: &Settings) -> Result<Self, StartError> {
        let harvester = crate::harvest::Harvester::new(
            store.clone(),
            crate::harvest::FetchOptions {
                allow_private: settings.harvest_allow_private,
                limits: settings.limits,
                ..crate::harvest::FetchOptions::default()
            },
        )?;
        let search = crate::search::SearchIndex::open(&store.data_dir().join("search"))?;
        search.follow(&store);
        let vocabularies =
            crate::store::bundled_vocabularies().map_err(StartError::Vocabularies)?;
        let validator = Arc::new(crate::validate::Validator::new()?);
        let links = crate::links::LinkBook::load(&store).map_err(StartError::LinkChecks)?;
        let standards = crate::standards::conformance::StandardBook::load(&store)
            .map_err(StartError::LinkChecks)?;
        let about = Arc::new(crate::about::About::of(&store).map_err(StartError::About)?);
        let scorer = crate::quality::board::Scorer {
            codes: Arc::new(crate::quality::Codes::of(&vocabularies)),
            validator: validator.clone(),
            links: links.clone(),
        };
        let board = if settings.quality_scoring {
            quality::board_for(&store, &search, scorer.clone())
        } else {
            crate::quality::board::Board::idle()
        };
        Ok(Self {
            harvester,
            search,
            store,
            pages: Arc::new(Pages::new()?),
            cache: Arc::new(RenderCache::new(settings.cache_entries)),
            query_timeout: settings.query_timeout,
            contact_email: settings.contact_email.clone(),
            admin_token: settings.admin_token.clone(),
            tokens: Arc::new(crate::access::Tokens::new(&settings.data_dir)),
            sessions: Arc::new(crate::access::Sessions::new(settings.session_lifetime)),
            post_limits: Arc::new(crate::feedback::PostLimits::new(
                settings.max_anonymous_posts,
            )),
            choices: Arc::new(crate::html::Choices::of(&vocabularies)),
            scorer,
            board,
            links,
            standards,
            about,
            validator,
            limits: Limits {
                max_body: settings.max_body,
                body_timeout: settings.body_timeout,
                max_query_length: settings.max_query_length,
            },
            metrics: crate::metrics::Metrics::new()?,
            backups: settings.backups.clone(),
            fast_queries: Arc::default(),
            watchdog: sparql::fast_path::Watchdog::default(),
            query_pool: sparql::pool::QueryPool::new(
                settings.max_concurrent_queries_per_client,
                settings.max_running_queries,
                settings.max_query_memory,
            )
            .map_err(StartError::QueryPool)?,
        })
    }

    /// Runs `work` with the store on the blocking pool (Oxigraph calls block), in the
    /// request's span; its error, and the pool's going away, become the answer's.
    pub(crate) async fn blocking<T, E, F>(&self, work: F) -> Result<T, HttpError>
    where
        F: FnOnce(&CatalogStore) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Into<HttpError> + Send + 'static,
    {
        let store = self.store.clone();
        let span = tracing::Span::current();
        web::block(move || span.in_scope(|| work(&store)))
            .await
            .map_err(|_| HttpError::Unavailable)?
            .map_err(Into::into)
    }

    /// Runs an edit of the write workflow on the blocking pool ([`Self::blocking`]).
    pub(crate) async fn edit<T, F>(&self, work: F) -> Result<T, HttpError>
    where
        F: FnOnce(crate::edit::Edits<'_>) -> Result<T, crate::edit::EditError> + Send + 'static,
        T: Send + 'static,
    {
        let validator = self.validator.clone();
        self.blocking(move |store| {
            work(crate::edit::Edits {
                store,
                validator: &validator,
            })
        })
        .await
    }

    /// The search index.
    pub fn search(&self) -> &crate::search::SearchIndex {
        &self.search
    }

    /// What the link checker found, for the server to schedule its checks.
    pub fn links(&self) -> &crate::links::LinkBook {
        &self.links
    }

    /// What the data-standard checks found, for the server to schedule them.
    pub fn standards(&self) -> &crate::standards::conformance::StandardBook {
        &self.standards
    }

    /// What the catalog says about itself, for the server to keep its dump current.
    pub fn about(&self) -> &crate::about::About {
        &self.about
    }

    /// The quality board, for the link checks to have datasets scored again.
    pub fn board(&self) -> &crate::quality::board::Board {
        &self.board
    }

    /// The harvester, for the server to schedule its sources.
    pub fn harvester(&self) -> &crate::harvest::Harvester {
        &self.harvester
    }

    /// What operators watch, for the server to count requests and read the store.
    pub fn metrics(&self) -> &crate::metrics::Metrics {
        &self.metrics
    }

    /// The store, for the server's background work.
    pub fn store(&self) -> &CatalogStore {
        &self.store
    }

    /// The rendering for `key`: from the cache when the store has not changed since it
    /// was made, else made by `make` on the blocking pool (Oxigraph calls block) and kept
    /// — unless it is not `shared` (a page made for one person), which is made each time.
    async fn rendered<F>(
        &self,
        key: CacheKey,
        shared: bool,
        make: F,
    ) -> Result<Option<Arc<Rendered>>, HttpError>
    where
        F: FnOnce(&CatalogStore, &Pages) -> Result<Option<Rendered>, HttpError> + Send + 'static,
    {
        let generation = self.store.generation();
        if shared {
            let hit = self.cache.get(&key, generation);
            self.metrics.cache_lookup(hit.is_some());
            if let Some(hit) = hit {
                return Ok(Some(hit));
            }
        }
        let (store, pages) = (self.store.clone(), self.pages.clone());
        let span = tracing::Span::current();
        let made = web::block(move || span.in_scope(|| make(&store, &pages)))
            .await
            .map_err(|_| HttpError::Unavailable)??;
        Ok(made.map(|rendered| {
            let rendered = Arc::new(rendered);
            if shared {
                self.cache.insert(key, generation, rendered.clone());
            }
            rendered
        }))
    }
}

/// A resource answering GET, and HEAD like GET without a body; other methods get 405.
/// The routing table, mounted at the base IRI's path. (Long, as a table is: one route per
/// line, every route of the server in one place.)
pub fn configure(state: AppState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |config: &mut web::ServiceConfig| {
        let mount = state.store.base().path().trim_end_matches('/').to_owned();
        let (cookie_path, secure) = signin::cookie_scope(&state);
        let session_scope = (cookie_path.clone(), secure);
        let body_timeout = state.limits.body_timeout;
        let api_path = format!("{mount}/api/");
        let described = openapi::description_link(state.store.base().as_str());
        config.app_data(web::Data::new(state)).service(
            web::scope(&mount)
                .wrap(actix_web::middleware::from_fn(move |request, next| {
                    session::signed_in(session_scope.clone(), request, next)
                }))
                .wrap(actix_web::middleware::from_fn(move |request, next| {
                    deadline::limit_body(body_timeout, request, next)
                }))
                .wrap(actix_web::middleware::from_fn(move |request, next| {
                    remember_language((cookie_path.clone(), secure), request, next)
                }))
                .wrap(actix_web::middleware::from_fn(move |request, next| {
                    openapi::link_description((api_path.clone(), described.clone()), request, next)
                }))
                // Routes are tried in order: the endpoint comes first so that its many
                // short queries skip matching the others (one by regex; see decisions.md).
                .service(
                    web::resource("/sparql")
                        .route(
                            web::route()
                                .guard(guard::Any(guard::Get()).or(guard::Head()).or(guard::Post()))
                                .to(sparql::query),
                        )
                        .default_service(web::to(only_protocol)),
                )
                .service(readable("/", records::catalog))
                .service(readable("/health", ops::health))
                .service(readable("/metrics", ops::metrics))
                .service(
                    web::resource("/signin")
                        .route(web::get().to(signin::form))
                        .route(web::post().to(signin::sign_in))
                        .default_service(web::to(only_get_post)),
                )
                .service(
                    web::resource("/signout")
                        .route(web::post().to(signin::sign_out))
                        .default_service(web::to(only_post)),
                )
                .service(readable("/account", signin::account))
                .service(
                    web::resource("/oai")
                        .route(
                            web::route()
                                .guard(guard::Any(guard::Get()).or(guard::Head()).or(guard::Post()))
                                .to(oai::oai),
                        )
                        .default_service(web::to(only_get_post)),
                )
                .service(readable("/context.jsonld", api::context))
                .service(readable("/catalog", catalog::feed))
                .service(readable("/search", search::search))
                .service(readable("/search/suggest", search::suggest))
                .service(readable("/catalog.{extension}", catalog::feed_with_suffix))
                .service(
                    web::resource("/api/harvest/sources")
                        .route(web::post().to(harvest::add_source))
                        .route(web::get().to(harvest::list_sources))
                        .default_service(web::to(only_get_post)),
                )
                .service(readable(
                    "/api/harvest/sources/{name}",
                    harvest::read_source,
                ))
                .service(
                    web::resource("/api/harvest/sources/{name}/run")
                        .route(web::post().to(harvest::run_source))
                        .default_service(web::to(only_post)),
                )
                .service(readable("/api/harvest/jobs/{id}", harvest::read_job))
                .service(readable("/api/openapi.json", openapi::description))
                .service(
                    web::resource("/api/backup")
                        .route(web::post().to(ops::backup))
                        .default_service(web::to(only_post)),
                )
                .service(
                    web::resource("/api/distributions")
                        .route(web::post().to(api::create_distribution))
                        .default_service(web::to(only_post)),
                )
                .service(
                    web::resource("/api/distributions/{id}")
                        .route(web::get().to(api::read_distribution))
                        .route(web::put().to(api::replace_distribution))
                        .route(web::delete().to(api::delete_distribution))
                        .default_service(web::to(only_put_delete)),
                )
                .service(
                    web::resource("/api/{kind}")
                        .route(web::post().to(api::create))
                        .default_service(web::to(only_post)),
                )
                .service(
                    web::resource("/api/{kind}/{id}")
                        .route(web::get().to(api::read))
                        .route(web::put().to(api::replace))
                        .route(web::delete().to(api::delete))
                        .default_service(web::to(only_put_delete)),
                )
                .service(readable(
                    r"/history{extension:(\.[a-z]+)?}",
                    history::catalog_history,
                ))
                .configure(forms::routes)
                .service(
                    web::resource("/{kind:datasets}/{id}/feedback")
                        // Room for a message of MAX_TEXT characters, percent-encoded; past
                        // it, 413.
                        .app_data(web::FormConfig::default().limit(128 * 1024))
                        .route(web::post().to(feedback::post))
                        .default_service(web::to(only_post)),
                )
                .service(
                    web::resource("/annotations/{id}/answer")
                        .route(web::post().to(answers::answer))
                        .default_service(web::to(only_post)),
                )
                .service(
                    web::resource("/annotations/{id}/hide")
                        .route(web::post().to(answers::hide))
                        .default_service(web::to(only_post)),
                )
                .service(
                    web::resource("/annotations/{id}/approve")
                        .route(web::post().to(inbox::approve))
                        .default_service(web::to(only_post)),
                )
                .service(
                    web::resource("/annotations/{id}/reject")
                        .route(web::post().to(inbox::reject))
                        .default_service(web::to(only_post)),
                )
                .service(
                    web::resource("/{kind:datasets}/{id}/inbox")
                        .app_data(web::PayloadConfig::new(256 * 1024))
                        .route(web::get().to(inbox::list))
                        .route(web::head().to(inbox::list))
                        .route(web::post().to(inbox::receive))
                        .default_service(web::to(only_get_post)),
                )
                .service(readable("/annotations/{id}", feedback::annotation))
                .service(readable("/quality", quality::dashboard))
                .configure(about::routes)
                .service(readable("/reuses", reuses::all))
                .service(readable("/reuses/{id}", reuses::one))
                .service(
                    web::resource("/reuses/{id}/hide")
                        .route(web::post().to(reuses::hide))
                        .default_service(web::to(only_post)),
                )
                .service(
                    web::resource("/{kind:datasets}/{id}/reuses")
                        .route(web::post().to(reuses::declare))
                        .default_service(web::to(only_post)),
                )
                .service(readable("/{kind:datasets}/{id}/quality", quality::quality))
                .service(readable("/{kind:agents}/{id}/feedback", reports::open))
                .service(readable("/{kind}/{id}/linkset", signposts::linkset))
                .service(readable("/{kind}/{id}/{history}", history::history))
                .service(readable("/{kind}/{id}", records::resource))
                .default_service(web::to(no_route)),
        );
    }
}

/// Sets the `lang` cookie on a page asked with `?lang=fr|en` (the language switch), so
/// that the reader's next pages come in the language they chose.
async fn remember_language(
    (cookie_path, secure): (String, bool),
    request: ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let chosen = respond::asked_language(request.query_string());
    let mut response = next.call(request).await?;
    let page = response
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if let Some(language) = chosen
        && page
        && response.status().is_success()
    {
        let cookie = actix_web::cookie::Cookie::build(respond::LANGUAGE_COOKIE, language)
            .path(cookie_path)
            .max_age(actix_web::cookie::time::Duration::days(365))
            .same_site(actix_web::cookie::SameSite::Lax)
            .http_only(true)
            .secure(secure)
            .finish();
        response.response_mut().add_cookie(&cookie)?;
    }
    Ok(response)
}

async fn no_route(request: HttpRequest) -> Result<actix_web::HttpResponse, HttpError> {
    Err(HttpError::NoRoute(request.path().to_owned()))
}
