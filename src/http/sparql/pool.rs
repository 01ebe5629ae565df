//! Where SPARQL queries and updates run: threads of their own, with stacks measured for
//! the deepest query the limits let through; so many at once per client address; and
//! watched by a monitor that stops the oldest running query when the heap passes its
//! budget.
//!
//! Why not the blocking pool of the HTTP workers: its threads have 2 MiB stacks, and the
//! SPARQL parser and engine recurse once or more per level of nesting. A query nested
//! 20 000 deep overflowed such a stack, which aborts the whole server. The scanner in
//! `limits` refuses anything deeper than `max-nesting` before the parser sees it; these
//! threads' stacks hold what is left with a wide margin (see the tests below).

use super::monitor::Monitor;
pub use super::monitor::Watch;
use oxigraph::sparql::CancellationToken;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The stack of a query thread. The parser and the engine recurse per level of nesting and
/// per link of a chain (`1+1+1...`, `{} UNION {} ...`): SPARQL nested
/// [`MAX_NESTING_SUPPORTED`](crate::config::MAX_NESTING_SUPPORTED) deep in every way the
/// grammar allows runs in a sixteenth of it, and the longest chains of a query of
/// [`MAX_QUERY_LENGTH_SUPPORTED`](crate::config::MAX_QUERY_LENGTH_SUPPORTED) in half of it
/// (the tests below; 100 000 links of `+1` needed more than 64 MiB). Only the pages a
/// query touches are committed; the rest is address space.
pub const QUERY_STACK: usize = 256 * 1024 * 1024;

/// The threads queries run on, the per-client bound and the memory monitor; cheap to clone.
#[derive(Clone)]
pub struct QueryPool {
    runtime: Arc<OwnedRuntime>,
    per_client: usize,
    clients: Arc<Mutex<HashMap<IpAddr, usize>>>,
    /// The most queries on the pool at once, all clients together: each holds a thread
    /// until its answer is read, and a client that reads slowly (or not at all) holds it
    /// until the time limit. Past it, 503 with `Retry-After`.
    most: usize,
    running: Arc<AtomicUsize>,
    monitor: Arc<Monitor>,
}

/// Why a query gets no place on the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Its client runs as many as one client may (this many).
    Client(usize),
    /// The pool runs as many as it may (this many).
    Full(usize),
}

/// A runtime used only for its blocking pool; shut down without waiting when the last
/// handle goes (dropping a runtime from async code would panic).
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl QueryPool {
    /// A pool that lets each client address run `per_client` queries at once, and stops
    /// queries while the heap is over `memory_budget` bytes.
    pub fn new(per_client: usize, most: usize, memory_budget: usize) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .thread_name("sparql")
            .thread_stack_size(QUERY_STACK)
            // Admission keeps below it; the margin is for threads still ending.
            .max_blocking_threads(most.saturating_mul(2).max(1))
            .build()?;
        Ok(Self {
            runtime: Arc::new(OwnedRuntime(Some(runtime))),
            per_client,
            clients: Arc::default(),
            most: most.max(1),
            running: Arc::default(),
            monitor: Arc::new(Monitor::new(memory_budget)),
        })
    }

    /// A place for one more query of `client`, or why not. Requests without a peer
    /// address (tests in process) are not counted against a client.
    pub fn admit(&self, client: Option<IpAddr>) -> Result<Permit, Refused> {
        let taken = self
            .running
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.most).then_some(n + 1)
            });
        if taken.is_err() {
            return Err(Refused::Full(self.most));
        }
        let place = Place(self.running.clone());
        let Some(client) = client else {
            return Ok(Permit {
                clients: None,
                client: IpAddr::from([0, 0, 0, 0]),
                _place: place,
            });
        };
        let client = network_of(client);
        let mut clients = lock(&self.clients);
        let running = clients.entry(client).or_default();
        if *running >= self.per_client {
            return Err(Refused::Client(*running));
        }
        *running += 1;
        Ok(Permit {
            clients: Some(self.clients.clone()),
            client,
            _place: place,
        })
    }

    /// Runs `work` on a query thread; the error is only that the pool is shut down.
    pub fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<tokio::task::JoinHandle<T>, ShutDown> {
        match &self.runtime.0 {
            Some(runtime) => Ok(runtime.spawn_blocking(work)),
            None => Err(ShutDown),
        }
    }

    /// Puts a query under the memory monitor until the returned [`Watch`] is dropped.
    pub fn watch(&self, token: CancellationToken) -> Watch {
        self.monitor.watch(token)
    }
}

/// The client an address stands for: itself for IPv4, its /64 network for IPv6 (one
/// host is given a whole /64, and could otherwise take a new address per query).
fn network_of(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::from(segments)
        }
    }
}

/// The pool is shut down: the server is stopping. (Defensive: the runtime is only taken
/// out when the pool is dropped, so a live pool never says so.)
#[derive(Debug)]
pub struct ShutDown;

/// One running query of a client; the place is given back when it is dropped, which the
/// query's thread does once the query is evaluated, before it sends the end of the answer.
pub struct Permit {
    clients: Option<Arc<Mutex<HashMap<IpAddr, usize>>>>,
    client: IpAddr,
    _place: Place,
}

/// A query's place on the pool, given back when dropped.
struct Place(Arc<AtomicUsize>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let Some(clients) = &self.clients else {
            return;
        };
        let mut clients = lock(clients);
        if let Some(running) = clients.get_mut(&self.client) {
            *running = running.saturating_sub(1);
            if *running == 0 {
                clients.remove(&self.client);
            }
        }
    }
}

/// A lock that survives a panic of another holder: the maps it guards stay consistent
/// (each change is one statement).
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
#[allow(clippy::disallowed_types)]
pub(super) mod tests {
    //! The stack sizes above, measured: each query runs, parsed and evaluated to its last
    //! solution and dropped, on a thread with a quarter of the stack it will have.

    use crate::config::{MAX_NESTING_SUPPORTED, MAX_QUERY_LENGTH_SUPPORTED};
    use oxigraph::model::{GraphNameRef, Literal, NamedNode, QuadRef};
    use oxigraph::sparql::{
        CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator,
    };
    use oxigraph::store::Store;

    /// Parses and evaluates `query` on a thread with `stack` bytes of stack, and drops
    /// it. A query whose evaluation is slow (a long chain of unions) is cancelled after a
    /// second: the depth is reached when the engine builds its evaluators and starts.
    pub(in crate::http::sparql) fn run_on_stack(stack: usize, query: String) {
        let handle = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || {
                let store = Store::new().unwrap();
                let p = NamedNode::new_unchecked("http://x/p");
                for i in 0..3 {
                    let s = NamedNode::new_unchecked(format!("http://x/s{i}"));
                    let o = Literal::from(i);
                    store
                        .insert(QuadRef::new(&s, &p, &o, GraphNameRef::DefaultGraph))
                        .unwrap();
                }
                let token = CancellationToken::new();
                let timer = token.clone();
                std::thread::spawn(move || {
                    std::thread::sleep(std::time::Duration::from_secs(1));
                    timer.cancel();
                });
                let prepared = SparqlEvaluator::new()
                    .with_cancellation_token(token)
                    .parse_query(&query)
                    .unwrap_or_else(|e| panic!("{e}: {}", &query[..query.len().min(200)]));
                let results = match prepared.on_store(&store).execute() {
                    Ok(results) => results,
                    Err(QueryEvaluationError::Cancelled) => return,
                    Err(error) => panic!("{error}"),
                };
                if let QueryResults::Solutions(solutions) = results {
                    for solution in solutions {
                        match solution {
                            Ok(_) | Err(QueryEvaluationError::Cancelled) => {}
                            Err(error) => panic!("{error}"),
                        }
                    }
                }
            })
            .unwrap();
        handle.join().unwrap();
    }

    /// Queries nested exactly `depth` deep, as the scanner counts (the query's own braces
    /// included), in each way the grammar allows.
    pub(in crate::http::sparql) fn nested(depth: usize) -> Vec<(&'static str, String)> {
        let inner = depth - 1;
        vec![
            (
                "groups",
                format!(
                    "SELECT * {{ {}?s ?p ?o{} }}",
                    "{ ".repeat(inner),
                    " }".repeat(inner)
                ),
            ),
            (
                "parentheses",
                format!(
                    "SELECT * {{ ?s ?p ?o FILTER({}?o{}) }}",
                    "(".repeat(inner - 1),
                    ")".repeat(inner - 1)
                ),
            ),
            (
                "sub-selects",
                format!(
                    "SELECT * {{ {}?s ?p ?o{} }}",
                    "{ SELECT * { ".repeat(inner / 2),
                    " } }".repeat(inner / 2)
                ),
            ),
            (
                "paths",
                format!(
                    "SELECT * {{ ?s {}<http://x/p>{} ?o }}",
                    "(".repeat(inner),
                    ")".repeat(inner)
                ),
            ),
            (
                "blank nodes",
                format!(
                    "SELECT * {{ ?s <http://x/p> {}?o{} }}",
                    "[ <http://x/p> ".repeat(inner),
                    " ]".repeat(inner)
                ),
            ),
            (
                "collections",
                format!(
                    "SELECT * {{ ?s <http://x/p> {}?o{} }}",
                    "( ".repeat(inner),
                    " )".repeat(inner)
                ),
            ),
        ]
    }

    /// Queries of `length` bytes that make the longest chains of one operator: flat in the
    /// text, but trees as deep as the chain is long.
    pub(in crate::http::sparql) fn chains(length: usize) -> Vec<(&'static str, String)> {
        let times = |unit: &str| length / unit.len();
        vec![
            (
                "sums",
                format!(
                    "SELECT * {{ ?s ?p ?o FILTER(1{}) }}",
                    "+1".repeat(times("+1"))
                ),
            ),
            (
                "or",
                format!(
                    "SELECT * {{ ?s ?p ?o FILTER(?o{}) }}",
                    "||?o".repeat(times("||?o"))
                ),
            ),
            (
                "unions",
                format!("SELECT * {{ {{}}{} }}", "UNION{}".repeat(times("UNION{}"))),
            ),
            (
                "optionals",
                format!(
                    "SELECT * {{ ?s ?p ?o {} }}",
                    "OPTIONAL{}".repeat(times("OPTIONAL{}"))
                ),
            ),
            (
                "minus",
                format!(
                    "SELECT * {{ ?s ?p ?o {} }}",
                    "MINUS{?s?p?o}".repeat(times("MINUS{?s?p?o}"))
                ),
            ),
            (
                "sequence path",
                format!(
                    "SELECT * {{ ?s <http://x/p>{} ?o }}",
                    "/<x:p>".repeat(times("/<x:p>"))
                ),
            ),
            (
                "alternative path",
                format!(
                    "SELECT * {{ ?s <http://x/p>{} ?o }}",
                    "|<x:p>".repeat(times("|<x:p>"))
                ),
            ),
            (
                "patterns",
                format!(
                    "SELECT * {{ {} }}",
                    "?s<x:p>?o.".repeat(times("?s<x:p>?o."))
                ),
            ),
            (
                "binds",
                format!(
                    "SELECT * {{ ?s ?p ?o {} }}",
                    (0..length / 16)
                        .map(|i| format!("BIND(1 AS ?v{i})"))
                        .collect::<String>()
                ),
            ),
        ]
    }

    #[test]
    fn a_client_is_its_address_or_its_ipv6_network() {
        let pool = super::QueryPool::new(1, 4, usize::MAX).unwrap();
        let ip = |text: &str| text.parse::<std::net::IpAddr>().unwrap();
        let held = pool.admit(Some(ip("2001:db8::1"))).ok();
        assert!(held.is_some());
        // Another address of the same /64 is the same client.
        assert_eq!(
            pool.admit(Some(ip("2001:db8::2"))).err(),
            Some(super::Refused::Client(1))
        );
        assert!(pool.admit(Some(ip("2001:db8:0:1::1"))).is_ok());
        let v4 = pool.admit(Some(ip("192.0.2.1"))).ok();
        assert!(v4.is_some());
        assert!(pool.admit(Some(ip("192.0.2.2"))).is_ok());
        assert_eq!(
            pool.admit(Some(ip("192.0.2.1"))).err(),
            Some(super::Refused::Client(1))
        );
        // A place is given back when its permit goes.
        drop(held);
        assert!(pool.admit(Some(ip("2001:db8::2"))).is_ok());
    }

    #[test]
    fn the_pool_takes_so_many_queries_of_all_clients_together() {
        let pool = super::QueryPool::new(10, 2, usize::MAX).unwrap();
        let ip = |text: &str| text.parse::<std::net::IpAddr>().unwrap();
        let first = pool.admit(Some(ip("192.0.2.1"))).ok();
        let second = pool.admit(Some(ip("192.0.2.2"))).ok();
        assert!(first.is_some() && second.is_some());
        assert_eq!(
            pool.admit(Some(ip("192.0.2.3"))).err(),
            Some(super::Refused::Full(2))
        );
        // A client refused for its own count does not keep a place either.
        drop(first);
        let third = pool.admit(Some(ip("192.0.2.3"))).ok();
        assert!(third.is_some());
        assert_eq!(pool.admit(None).err(), Some(super::Refused::Full(2)));
        drop((second, third));
        assert!(pool.admit(None).is_ok());
    }

    /// Whether the scanner lets `query` through at `max_nesting`.
    fn passes(query: &str, max_nesting: usize) -> bool {
        let limits = crate::limits::Limits {
            max_nesting,
            ..crate::limits::Limits::default()
        };
        crate::limits::check(query.as_bytes(), crate::limits::Family::Sparql, &limits).is_ok()
    }

    #[test]
    fn the_deepest_nesting_allowed_runs_in_a_sixteenth_of_a_query_thread_stack() {
        for (shape, query) in nested(MAX_NESTING_SUPPORTED) {
            // As deep as the scanner lets through, not one level less.
            assert!(passes(&query, MAX_NESTING_SUPPORTED), "{shape}");
            assert!(!passes(&query, MAX_NESTING_SUPPORTED - 2), "{shape}");
            run_on_stack(super::QUERY_STACK / 16, query);
        }
    }

    /// The deepest each kind of nesting gets in a query of the longest length allowed,
    /// whatever the nesting scan says of it: the stack must hold it anyway.
    #[test]
    fn the_deepest_nesting_a_longest_query_holds_runs_in_half_a_query_thread_stack() {
        for (shape, _) in nested(2) {
            let depth = deepest(shape);
            let query = nested(depth)
                .into_iter()
                .find(|(s, _)| *s == shape)
                .map(|(_, q)| q)
                .unwrap();
            assert!(query.len() <= MAX_QUERY_LENGTH_SUPPORTED, "{shape}");
            run_on_stack(super::QUERY_STACK / 2, query);
        }
    }

    /// The nesting of `shape` that fills a query of the longest length allowed.
    fn deepest(shape: &str) -> usize {
        let length = |depth: usize| {
            nested(depth)
                .into_iter()
                .find(|(s, _)| *s == shape)
                .map_or(0, |(_, q)| q.len())
        };
        let per_level = (length(203) - length(3)) as f64 / 200.0;
        ((MAX_QUERY_LENGTH_SUPPORTED - length(3)) as f64 / per_level) as usize
    }

    #[test]
    fn the_longest_chains_run_in_half_a_query_thread_stack() {
        for (_shape, query) in chains(MAX_QUERY_LENGTH_SUPPORTED) {
            run_on_stack(super::QUERY_STACK / 2, query);
        }
    }
}
