//! What the server counts for its operators, in Prometheus' text format (`GET
//! {base}metrics`, or on a listen address of its own): requests by route and status and
//! their latency, SPARQL queries by outcome and duration, the render cache's hits, and
//! [`readings`] of the store taken in the background (sizes on disk, records by kind,
//! harvest jobs, the search index's lag, memory).
//!
//! Counters and histograms are updated where things happen, with no lock beyond the
//! `prometheus` crate's atomics. Gauges that need a scan are read when a scrape finds
//! them older than [`readings::READ_EVERY`], in the background: the scrape answers with
//! the last ones, so it costs the same at 1 000 or 1 000 000 datasets, and a server
//! nobody watches reads nothing.

pub mod readings;

use crate::search::SearchIndex;
use crate::store::CatalogStore;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};
use readings::ReadingError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Why the metrics could not be set up or written: a defect, not an input.
#[derive(Debug, thiserror::Error)]
#[error("metrics: {0}")]
pub struct MetricsError(#[from] prometheus::Error);

/// How a SPARQL query ended, as the `outcome` label says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryOutcome {
    /// Answered in full.
    Answered,
    /// Stopped at the time limit.
    TimedOut,
    /// Stopped because the client left before the time limit.
    Abandoned,
    /// Stopped because the heap went past the queries' budget.
    OverMemory,
    /// Refused or failed (syntax, an unsatisfiable `Accept`, a store error).
    Failed,
}

impl QueryOutcome {
    const fn label(self) -> &'static str {
        match self {
            Self::Answered => "answered",
            Self::TimedOut => "timeout",
            Self::Abandoned => "abandoned",
            Self::OverMemory => "over-memory",
            Self::Failed => "failed",
        }
    }
}

/// Latency buckets, in seconds: from a cached page (well under a millisecond) to the
/// SPARQL time limit's order.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0,
];

/// The server's instruments; cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Instruments>,
}

struct Instruments {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    queries: HistogramVec,
    cache: IntCounterVec,
    readings: readings::Gauges,
    /// The last readings of the store, and when they were taken.
    last: Mutex<Option<readings::Readings>>,
    /// Whether a reading is under way.
    reading: AtomicBool,
}

/// Lowers a flag when dropped (a failed or panicking reading included).
struct Lowered<'a>(&'a AtomicBool);

impl Drop for Lowered<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl Metrics {
    /// The instruments, registered once.
    pub fn new() -> Result<Self, MetricsError> {
        let registry = Registry::new_custom(Some("passerelle".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests answered, by route and status",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to an answer's head (streamed bodies go on after it), by route",
            )
            .buckets(BUCKETS.to_vec()),
            &["method", "route"],
        )?;
        let queries = HistogramVec::new(
            HistogramOpts::new(
                "sparql_query_duration_seconds",
                "SPARQL queries by outcome (answered, timeout, abandoned, over-memory, failed) and their time",
            )
            .buckets(BUCKETS.to_vec()),
            &["outcome"],
        )?;
        let cache = IntCounterVec::new(
            Opts::new(
                "render_cache_lookups_total",
                "Lookups of rendered descriptions, by result (hit, miss)",
            ),
            &["result"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(queries.clone()))?;
        registry.register(Box::new(cache.clone()))?;
        let readings = readings::Gauges::register(&registry)?;
        Ok(Self {
            inner: Arc::new(Instruments {
                registry,
                requests,
                latency,
                queries,
                cache,
                readings,
                last: Mutex::default(),
                reading: AtomicBool::new(false),
            }),
        })
    }

    /// Counts an answered request; `route` is the routing table's pattern (not the path,
    /// whose ids would make one series per record).
    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        let status = status.to_string();
        self.inner
            .requests
            .with_label_values(&[method, route, &status])
            .inc();
        self.inner
            .latency
            .with_label_values(&[method, route])
            .observe(took.as_secs_f64());
    }

    /// Counts a SPARQL query that ended.
    pub fn query(&self, outcome: QueryOutcome, took: Duration) {
        self.inner
            .queries
            .with_label_values(&[outcome.label()])
            .observe(took.as_secs_f64());
    }

    /// Counts a lookup in the render cache.
    pub fn cache_lookup(&self, hit: bool) {
        let result = if hit { "hit" } else { "miss" };
        self.inner.cache.with_label_values(&[result]).inc();
    }

    /// Whether readings were taken at all.
    pub fn has_readings(&self) -> bool {
        self.last().is_some()
    }

    /// Whether a new reading should start now: the last one is older than
    /// [`readings::READ_EVERY`] and none is under way. If so, the caller runs
    /// [`Self::read`] (off the async workers).
    pub fn reading_due(&self) -> bool {
        let old = self
            .last()
            .as_ref()
            .is_none_or(|last| readings::now_seconds() - last.taken >= readings::READ_EVERY);
        old && !self.inner.reading.swap(true, Ordering::AcqRel)
    }

    /// Reads `store` and `search` for the gauges (counting again only what changed since
    /// the last reading). Blocks on the store.
    pub fn read(&self, store: &CatalogStore, search: &SearchIndex) -> Result<(), ReadingError> {
        let _lowered = Lowered(&self.inner.reading);
        let previous = self.last().clone();
        let taken = readings::Readings::take(store, search, previous.as_ref())?;
        self.inner.readings.set(&taken);
        *self.last() = Some(taken);
        Ok(())
    }

    fn last(&self) -> std::sync::MutexGuard<'_, Option<readings::Readings>> {
        self.inner
            .last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Everything, in the text format (version 0.0.4), with the process' memory read now.
    pub fn text(&self) -> Result<(String, String), MetricsError> {
        self.inner.readings.set_memory(&readings::Memory::now());
        let encoder = TextEncoder::new();
        let mut body = Vec::new();
        encoder.encode(&self.inner.registry.gather(), &mut body)?;
        Ok((
            encoder.format_type().to_owned(),
            String::from_utf8_lossy(&body).into_owned(),
        ))
    }
}
