//! Rendered representations, reused until the store changes.
//!
//! Decoding a record from RocksDB costs hundreds of point reads (every IRI and literal is
//! stored once, by id); serving the same bytes again costs a hash lookup. Entries are keyed
//! by what was asked and dropped as soon as the store's generation moves (any write), so a
//! reader never gets a stale description. Eviction keeps two maps and drops the older one
//! when the newer fills up: a cheap approximation of least-recently-used. Hits on recent
//! entries take a shared lock only, so workers do not queue behind each other.

use super::respond::Rendered;
use crate::exports::Format;
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

/// What identifies a rendering.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CacheKey {
    /// The path under the base (`datasets/x`, or empty for the catalog).
    pub path: String,
    /// The format.
    pub format: Format,
    /// The reader's language; empty for what does not depend on it (RDF).
    pub language: &'static str,
}

impl CacheKey {
    /// The key of `path` in `format`, for a client preferring `language`.
    pub fn new(path: String, format: impl Into<Format>, language: &'static str) -> Self {
        let format = format.into();
        let language = if format.depends_on_language() {
            language
        } else {
            ""
        };
        Self {
            path,
            format,
            language,
        }
    }
}

/// A bounded cache of renderings for one store generation.
pub struct RenderCache {
    /// Entries per map; the cache holds at most twice as many. 0 disables caching.
    capacity: usize,
    inner: RwLock<Maps>,
}

#[derive(Default)]
struct Maps {
    generation: u64,
    recent: HashMap<CacheKey, Arc<Rendered>>,
    older: HashMap<CacheKey, Arc<Rendered>>,
}

impl RenderCache {
    /// A cache of about `capacity` (at most 2×) renderings.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            inner: RwLock::default(),
        }
    }

    /// The rendering of `key` made at store `generation`, if kept.
    pub fn get(&self, key: &CacheKey, generation: u64) -> Option<Arc<Rendered>> {
        if self.capacity == 0 {
            return None;
        }
        {
            // The common case, a hit among recent entries, only needs a shared lock.
            let maps = self.inner.read().unwrap_or_else(PoisonError::into_inner);
            if maps.generation == generation
                && let Some(found) = maps.recent.get(key)
            {
                return Some(found.clone());
            }
        }
        let mut maps = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        maps.follow(generation);
        if let Some(found) = maps.recent.get(key) {
            return Some(found.clone());
        }
        let found = maps.older.remove(key)?;
        maps.insert(key.clone(), found.clone(), self.capacity);
        Some(found)
    }

    /// Keeps a rendering made at store `generation`.
    pub fn insert(&self, key: CacheKey, generation: u64, rendered: Arc<Rendered>) {
        if self.capacity == 0 {
            return;
        }
        let mut maps = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        maps.follow(generation);
        if maps.generation == generation {
            maps.insert(key, rendered, self.capacity);
        }
    }
}

impl Maps {
    /// Forgets everything rendered before the store's latest write.
    fn follow(&mut self, generation: u64) {
        if generation > self.generation {
            self.generation = generation;
            self.recent.clear();
            self.older.clear();
        }
    }

    fn insert(&mut self, key: CacheKey, rendered: Arc<Rendered>, capacity: usize) {
        if self.recent.len() >= capacity {
            self.older = std::mem::take(&mut self.recent);
        }
        self.recent.insert(key, rendered);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rdf::Representation;

    fn rendered(text: &str) -> Arc<Rendered> {
        Arc::new(Rendered::new(
            text.as_bytes().to_vec(),
            Representation::Turtle,
            None,
            None,
            crate::model::Variants::of("http://x/"),
        ))
    }

    fn key(path: &str) -> CacheKey {
        CacheKey::new(path.to_owned(), Representation::Turtle, "fr")
    }

    #[test]
    fn entries_live_until_the_store_changes() {
        let cache = RenderCache::new(10);
        cache.insert(key("a"), 1, rendered("a"));
        assert!(cache.get(&key("a"), 1).is_some());
        assert!(cache.get(&key("a"), 2).is_none(), "a write must invalidate");
        // A rendering made before a write is not kept after it.
        cache.insert(key("b"), 1, rendered("b"));
        assert!(cache.get(&key("b"), 2).is_none());
    }

    #[test]
    fn size_is_bounded_and_recently_used_entries_survive() {
        let cache = RenderCache::new(2);
        cache.insert(key("a"), 0, rendered("a"));
        cache.insert(key("b"), 0, rendered("b"));
        cache.insert(key("c"), 0, rendered("c")); // a, b move to the older map
        assert!(cache.get(&key("a"), 0).is_some()); // promoted; fills recent: c, a
        cache.insert(key("d"), 0, rendered("d")); // c, a older; d recent; b dropped
        assert!(cache.get(&key("b"), 0).is_none());
        assert!(cache.get(&key("a"), 0).is_some());
        assert!(cache.get(&key("d"), 0).is_some());
        let maps = cache.inner.read().unwrap_or_else(PoisonError::into_inner);
        assert!(maps.recent.len() + maps.older.len() <= 4);
    }

    #[test]
    fn rdf_keys_ignore_the_language_and_html_keys_do_not() {
        assert_eq!(
            CacheKey::new("x".into(), Representation::Turtle, "fr"),
            CacheKey::new("x".into(), Representation::Turtle, "en")
        );
        assert_ne!(
            CacheKey::new("x".into(), Representation::Html, "fr"),
            CacheKey::new("x".into(), Representation::Html, "en")
        );
    }

    #[test]
    fn zero_capacity_disables() {
        let cache = RenderCache::new(0);
        cache.insert(key("a"), 0, rendered("a"));
        assert!(cache.get(&key("a"), 0).is_none());
    }
}
