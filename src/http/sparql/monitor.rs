//! The memory monitor of the query threads: it stops the oldest running query while the
//! heap is over the queries' budget, so one query cannot take the server's memory.

use super::pool::lock;
use oxigraph::sparql::CancellationToken;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// How often the monitor reads the heap's size while queries run.
const MONITOR_TICK: Duration = Duration::from_millis(10);

/// How long the monitor sleeps after stopping a query.
const MONITOR_GRACE: Duration = Duration::from_millis(100);

/// How long a stopped query may take to free its memory before the monitor, if the heap is
/// still over budget, stops another.
const STOPPED_GRACE: Duration = Duration::from_secs(1);

/// Stops the oldest running query while the heap is over budget, from a thread of its own
/// started on first use; it sleeps while no query runs.
pub(super) struct Monitor {
    budget: usize,
    next_id: AtomicU64,
    running: Mutex<Vec<Watched>>,
    wake: Condvar,
    started: OnceLock<bool>,
}

/// A running query, as the monitor sees it.
struct Watched {
    id: u64,
    started: Instant,
    token: CancellationToken,
    /// Set when the monitor stopped it, so that its answer says why.
    over: Arc<AtomicBool>,
    /// When the monitor stopped it: until its memory is freed (its watch dropped), or a
    /// second has passed, no other query is stopped.
    stopped: Option<Instant>,
}

/// A query under the memory monitor, until dropped.
pub struct Watch {
    monitor: Arc<Monitor>,
    id: u64,
    over: Arc<AtomicBool>,
}

impl Watch {
    /// Whether the monitor stopped the query because the heap was over budget.
    pub fn stopped_for_memory(&self) -> bool {
        self.over.load(Ordering::Relaxed)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        lock(&self.monitor.running).retain(|w| w.id != self.id);
    }
}

impl Monitor {
    pub(super) fn new(budget: usize) -> Self {
        Self {
            budget,
            next_id: AtomicU64::new(0),
            running: Mutex::default(),
            wake: Condvar::new(),
            started: OnceLock::new(),
        }
    }

    pub(super) fn watch(self: &Arc<Self>, token: CancellationToken) -> Watch {
        self.start();
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let over = Arc::new(AtomicBool::new(false));
        let mut running = lock(&self.running);
        running.push(Watched {
            id,
            started: Instant::now(),
            token,
            over: over.clone(),
            stopped: None,
        });
        if running.len() == 1 {
            self.wake.notify_one();
        }
        Watch {
            monitor: self.clone(),
            id,
            over,
        }
    }

    /// Starts the monitor's thread once; without it (it could not be started) queries
    /// still have their time limit.
    fn start(self: &Arc<Self>) {
        self.started.get_or_init(|| {
            // The thread holds the monitor only weakly: it ends with the last pool.
            let monitor = Arc::downgrade(self);
            std::thread::Builder::new()
                .name("query-memory".into())
                .spawn(move || {
                    while let Some(monitor) = monitor.upgrade() {
                        if !monitor.tick() {
                            break;
                        }
                    }
                })
                .inspect_err(|error| tracing::warn!(%error, "no query memory monitor"))
                .is_ok()
        });
    }

    /// Waits for running queries, then reads the heap once and stops the oldest query if
    /// it is over budget. False when the heap cannot be read (not jemalloc's).
    fn tick(&self) -> bool {
        {
            let running = lock(&self.running);
            if running.is_empty() {
                // Woken by the first query to be watched; the timeout lets the thread see
                // that the pool is gone.
                let _ = self
                    .wake
                    .wait_timeout(running, Duration::from_secs(1))
                    .unwrap_or_else(PoisonError::into_inner);
                return true;
            }
        }
        std::thread::sleep(MONITOR_TICK);
        let Some(heap) = heap_bytes() else {
            return false;
        };
        if heap > self.budget && self.stop_oldest(heap) {
            std::thread::sleep(MONITOR_GRACE);
        }
        true
    }

    /// Stops the oldest running query: memory grows with the time a query runs, so it is
    /// the likeliest holder. Not while one it stopped is still freeing its memory.
    fn stop_oldest(&self, heap: usize) -> bool {
        let mut running = lock(&self.running);
        let freeing = running
            .iter()
            .filter_map(|w| w.stopped)
            .any(|stopped| stopped.elapsed() < STOPPED_GRACE);
        if freeing {
            return false;
        }
        let Some(oldest) = running
            .iter_mut()
            .filter(|w| w.stopped.is_none())
            .min_by_key(|w| w.started)
        else {
            return false;
        };
        oldest.stopped = Some(Instant::now());
        tracing::warn!(
            heap,
            budget = self.budget,
            running_ms = oldest.started.elapsed().as_millis() as u64,
            "the heap is over the queries' budget: stopping the oldest query"
        );
        oldest.over.store(true, Ordering::Relaxed);
        oldest.token.cancel();
        true
    }
}

/// The bytes the program has allocated, as jemalloc counts them; `None` if it cannot tell
/// (jemalloc is the allocator of the `passerelle` binary, not of every test program).
fn heap_bytes() -> Option<usize> {
    tikv_jemalloc_ctl::epoch::advance().ok()?;
    let allocated = tikv_jemalloc_ctl::stats::allocated::read().ok()?;
    (allocated > 0).then_some(allocated)
}

// The engine itself is what these tests measure, so they use it without the store layer.
