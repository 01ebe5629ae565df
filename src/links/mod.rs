//! The link checker: are the files and pages the distributions point to there? The MQA's
//! accessibility indicators are the status codes of their `dcat:accessURL` and
//! `dcat:downloadURL`. A URL is checked by `HEAD`, then by a ranged `GET` where `HEAD` is
//! refused ([`probe`]); many at once, politely ([`round`]); on a schedule by the server
//! ([`schedule`]) or all at once by `passerelle check-links`. The findings are stored
//! (`store/links.rs`) and kept here in memory ([`LinkBook`]) for the scorer.

pub mod probe;
pub mod round;
pub mod schedule;

pub use probe::Prober;
pub use round::Politeness;

use crate::store::{CatalogStore, LinkCheck, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

/// The status code the scorer sees for a URL that gave no answer (refused, unreachable,
/// timed out): it fails like any status but 200, and says "no HTTP answer".
pub const NO_ANSWER: u16 = 0;

/// The last check of each URL, shared by the server's handlers, the scorer and the
/// schedule.
#[derive(Debug, Clone, Default)]
pub struct LinkBook {
    checks: Arc<RwLock<HashMap<String, LinkCheck>>>,
}

impl LinkBook {
    /// The checks stored in `store`.
    pub fn load(store: &CatalogStore) -> Result<Self, StoreError> {
        let book = Self::default();
        book.put(store.link_checks()?);
        Ok(book)
    }

    /// Records `checks`, each replacing the last one of its URL.
    pub fn put(&self, checks: impl IntoIterator<Item = LinkCheck>) {
        let mut book = self.checks.write().unwrap_or_else(PoisonError::into_inner);
        for check in checks {
            book.insert(check.url.clone(), check);
        }
    }

    /// The last check of `url`.
    pub fn get(&self, url: &str) -> Option<LinkCheck> {
        self.checks
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(url)
            .cloned()
    }

    /// The status code `url` last answered ([`NO_ANSWER`] if none came), if it was checked.
    pub fn status(&self, url: &str) -> Option<u16> {
        self.checks
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(url)
            .map(|c| c.status.unwrap_or(NO_ANSWER))
    }
}
