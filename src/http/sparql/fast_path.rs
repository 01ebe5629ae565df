//! Answering quick, repeated SPARQL queries on the connection's own thread.
//!
//! A query normally runs on the blocking pool so that a long one never holds up the
//! connections of an HTTP worker. For a query that takes a tenth of a millisecond, the two
//! thread hand-offs cost as much as the query (measured in `bench/README.md`). So a query
//! that was seen to answer quickly and in one chunk is remembered, and the next time runs
//! inline, under a short budget: if it overruns (the data changed), its cancellation
//! token is fired by [`Watchdog`], it is forgotten and runs again on the pool. A query is
//! never tried inline before it was seen fast on the pool, so a costly query cannot stall
//! a worker even once.

use oxigraph::sparql::CancellationToken;
use std::collections::HashSet;
use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// How long a query may run inline: with [`TICK`], the longest a worker's other
/// connections may wait. Queries seen to take half of it are remembered: that takes in a
/// CONSTRUCT of ten datasets (1.2 ms), which the pool's thread hand-offs slowed by 2 %.
pub const INLINE_BUDGET: Duration = Duration::from_millis(4);

/// The watchdog's resolution: deadlines within a tick are handled together, so that under
/// load it wakes once a tick, not once a query. A query may overrun its budget by a tick.
/// With a 1 ms tick, a client sending 1 ms queries one after another woke it after almost
/// every one: two more context switches per query (measured).
const TICK: Duration = Duration::from_millis(4);

/// The longest query run inline, in bytes. An HTTP worker's stack is 2 MiB, not the query
/// threads' [`QUERY_STACK`](super::pool::QUERY_STACK): the parser and the engine
/// recurse per level of nesting and per link of a chain (`1+1+1...`), so only short queries
/// may run there (chains in 4 kB overflowed half a megabyte; see the tests below).
const INLINE_MAX_LENGTH: usize = 1024;

/// The most brackets a query run inline may hold, wherever they are: counted without
/// reading the query, so that no `<` or comment can hide one (1 kB of parentheses
/// overflowed half a megabyte).
const INLINE_MAX_BRACKETS: usize = 32;

/// Whether `query` is small enough to run on an HTTP worker's stack.
pub fn shallow(query: &str) -> bool {
    query.len() <= INLINE_MAX_LENGTH
        && query
            .bytes()
            .filter(|b| matches!(b, b'(' | b'[' | b'{'))
            .count()
            <= INLINE_MAX_BRACKETS
}

/// How many fast queries are remembered; past that the memory starts over.
const REMEMBERED: usize = 10_000;

/// The queries seen to answer within half of [`INLINE_BUDGET`], by a keyed hash of their
/// text and dataset (the key is random per process, so clients cannot aim at collisions).
#[derive(Default)]
pub struct FastQueries {
    keys: Mutex<HashSet<u64>>,
    hasher: RandomState,
}

impl FastQueries {
    /// The key of a query and its protocol dataset.
    pub fn key(
        &self,
        query: &str,
        default_graphs: &[impl Hash],
        named_graphs: &[impl Hash],
    ) -> u64 {
        self.hasher.hash_one((query, default_graphs, named_graphs))
    }

    /// Whether `key` was seen fast.
    pub fn knows(&self, key: u64) -> bool {
        self.lock().contains(&key)
    }

    /// Remembers `key` as fast.
    pub fn remember(&self, key: u64) {
        let mut keys = self.lock();
        if keys.len() >= REMEMBERED {
            keys.clear();
        }
        keys.insert(key);
    }

    /// Forgets `key`: it overran its budget or its answer outgrew a chunk.
    pub fn forget(&self, key: u64) {
        self.lock().remove(&key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<u64>> {
        self.keys.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Cancels inline queries at the end of their budget, from a thread of its own (the
/// query's thread is busy running it), started on first use. It sleeps while nothing is
/// armed, and wakes about once per budget under load, not once per query.
#[derive(Clone, Default)]
pub struct Watchdog {
    shared: Arc<Shared>,
    started: Arc<OnceLock<bool>>,
}

#[derive(Default)]
struct Shared {
    armed: Mutex<Vec<(Instant, CancellationToken)>>,
    wake: Condvar,
}

impl Watchdog {
    /// Cancels `token` after `budget`; false if the watchdog thread could not be started,
    /// and then nothing should run inline. Tokens of queries that ended are cancelled too,
    /// harmlessly, which spares a second lock per query.
    pub fn arm(&self, token: CancellationToken, budget: Duration) -> bool {
        let running = *self.started.get_or_init(|| {
            let watched = self.shared.clone();
            std::thread::Builder::new()
                .name("sparql-watchdog".into())
                .spawn(move || watch(&watched))
                .inspect_err(|error| tracing::warn!(%error, "no watchdog thread"))
                .is_ok()
        });
        if !running {
            return false;
        }
        let mut armed = self
            .shared
            .armed
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let deadline = Instant::now() + budget;
        // The watchdog sleeps until the earliest deadline it has; with one budget for
        // all, a new deadline is never earlier, and it needs no waking.
        let earliest = armed.iter().all(|(other, _)| *other > deadline);
        armed.push((deadline, token));
        if earliest {
            self.shared.wake.notify_one();
        }
        true
    }
}

fn watch(shared: &Shared) {
    let mut armed = shared.armed.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        let now = Instant::now();
        armed.retain(|(deadline, token)| {
            let due = *deadline <= now;
            if due {
                token.cancel();
            }
            !due
        });
        armed = match armed.iter().map(|(deadline, _)| *deadline).min() {
            None => shared
                .wake
                .wait(armed)
                .unwrap_or_else(PoisonError::into_inner),
            Some(next) => {
                shared
                    .wake
                    .wait_timeout(armed, next.saturating_duration_since(now).max(TICK))
                    .unwrap_or_else(PoisonError::into_inner)
                    .0
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::super::pool::tests::{chains, nested, run_on_stack};
    use super::*;

    #[test]
    fn armed_tokens_are_cancelled_after_their_budget_only() {
        let watchdog = Watchdog::default();
        let early = CancellationToken::new();
        let late = CancellationToken::new();
        assert!(watchdog.arm(late.clone(), Duration::from_secs(60)));
        // Armed second, due first: the watchdog must wake earlier than it planned.
        assert!(watchdog.arm(early.clone(), Duration::from_millis(5)));
        let deadline = Instant::now() + Duration::from_secs(5);
        while !early.is_cancelled() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(early.is_cancelled());
        assert!(!late.is_cancelled());
    }

    #[test]
    fn fast_queries_are_keyed_by_text_and_dataset() {
        let fast = FastQueries::default();
        let none: [&str; 0] = [];
        let plain = fast.key("ASK {}", &none, &none);
        let narrowed = fast.key("ASK {}", &["http://example.org/g"], &none);
        assert_ne!(plain, narrowed);
        fast.remember(plain);
        assert!(fast.knows(plain) && !fast.knows(narrowed));
        fast.forget(plain);
        assert!(!fast.knows(plain));
    }

    /// An HTTP worker's stack is 2 MiB: every query [`shallow`] lets through runs in a
    /// quarter of it, nested or chained.
    #[test]
    fn shallow_queries_run_in_a_quarter_of_a_worker_stack() {
        let worker_stack = 2 * 1024 * 1024;
        for (shape, query) in nested(INLINE_MAX_BRACKETS) {
            assert!(shallow(&query), "{shape} is not inline material");
            run_on_stack(worker_stack / 4, query);
        }
        // Chains of brackets (`{} UNION {}...`) are cut short by the count; the others run
        // as long as the length allows.
        let mut inline = 0;
        for (_, query) in chains(INLINE_MAX_LENGTH - 100) {
            if shallow(&query) {
                inline += 1;
                run_on_stack(worker_stack / 4, query);
            }
        }
        assert!(inline >= 4, "only {inline} chains ran inline");
        assert!(!shallow(&nested(INLINE_MAX_BRACKETS + 1)[0].1));
        assert!(!shallow(&chains(INLINE_MAX_LENGTH + 1)[0].1));
        // A `<` and a comment hide nothing from a count of brackets.
        assert!(!shallow(&format!(
            "ASK {{ FILTER(1 <#{}\n1) }}",
            "(".repeat(INLINE_MAX_BRACKETS)
        )));
    }
}
