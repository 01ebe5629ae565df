//! The only code that talks to Oxigraph: the on-disk store (public) and the private store
//! (drafts, history, the harvester's documents), record graphs, transactions.
//!
//! Layout (DESIGN.md): one named graph per record, `{base}records/{id}`, holding the
//! catalog record, its topic (dataset, data paper or agent) and every node the topic owns;
//! `{base}graphs/catalog` for catalog-level triples; `{base}graphs/vocabularies` for the
//! bundled code lists; our bookkeeping is in a file beside the store (`state.rs`).
//!
//! Oxigraph calls block: async callers run these methods on the blocking pool.
//!
//! What the rest of the server may ask of a store is the traits of `interface.rs`, one per
//! need: the interface a second backend (a remote SPARQL store) would implement.
//! `CatalogStore` implements them with its methods in these files, which are private to
//! `store/`:
//!
//! | trait (need) | methods | file |
//! |---|---|---|
//! | `Records` (read a record) | `describe`, `describe_catalog`, `in_context`, `record_state`, `draft`, `own_triples`, `embargo_of` | `describe.rs`, `lookup.rs`, `drafts.rs` |
//! | `Lookups` (which record, whose) | `record_id_of`, `dataset_of_distribution`, `iri_in_use`, `owners`, `is_withdrawn`... | `lookup.rs` |
//! | `RecordWrites` (write one record) | `write` (a [`WriteKind`]), `remove` (a [`Removal`]), `publish_due` | `write/` |
//! | `Harvests` (the harvester's writes and documents) | `store_harvested`, `withdraw_harvested`, `harvest_documents`... | `write/harvested.rs`, `write/unlisted.rs`, `documents.rs` |
//! | `FeedOrder` (the feed) | `feed_page`, `feed_header`, `feed_horizon`, `describe_feed_entry`, `generation` | `feed.rs`, `describe.rs` |
//! | `Histories` | `history`, `version`, `catalog_history` | `history.rs` |
//! | `Sparql` | `prepare_query`, `evaluate`, `update` | `sparql.rs` |
//! | `Operations` (run the store) | `ping`, `dump`, `dump_private`, `load_files`, `seed_if_empty`, `compact` | `mod.rs`, `load.rs`, `seed.rs` |
//!
//! Every write ends in the one transaction step of `write/split.rs` (see `write/mod.rs`
//! for the kinds of write). Tombstones are kept by deletes and harvests (`withdrawn.rs`).
//! Opening, configuring and backing up (`open`, `with_limits`, `base`, `backup`) stay
//! methods of `CatalogStore`: they are what differs between backends.
//!
//! Underneath: `snapshots.rs` (record graphs as files, for feed pages), `state.rs`,
//! `vocabularies.rs`, `error.rs`.

mod annotations;
mod backup;
mod changes;
mod check;
mod conformance;
mod describe;
mod documents;
mod drafts;
mod error;
mod faults;
mod feed;
mod gate;
mod history;
mod interface;
mod lend;
mod links;
mod load;
mod lookup;
mod measurements;
mod oai_order;
mod profile;
mod restore;
mod seed;
mod snapshots;
mod sparql;
mod state;
mod statistics;
mod update_scope;
mod vocabularies;
mod withdrawn;
mod write;

pub use backup::in_use;
pub use changes::{ChangeWatcher, RecordChange};
pub use check::{CheckReport, Finding};
pub use conformance::{Checked, Declared};
pub use describe::{Description, FeedHeader};
pub use documents::HarvestDocument;
pub use error::StoreError;
pub use feed::{FeedEntry, FeedKey, FeedPage, FeedQuery};
pub use history::{Action, Provenance};
pub use interface::{
    FeedOrder, Harvests, Histories, Lookups, OaiOrder, Operations, RecordWrites, Records, Sparql,
};
pub use links::LinkCheck;
pub use load::{LoadOptions, LoadProgress, LoadReport, read_file};
use lookup::QuadSource;
pub use lookup::{CurrentRecord, RecordState};
pub use oai_order::{OaiEntry, OaiKind, OaiQuery, OaiSetMembers, OaiSlice};
pub use oxigraph::sparql::CancellationToken;
pub use restore::StorePart;
pub use sparql::{
    Answer, AnswerKind, AnswerTable, PreparedQuery, ResultsSyntax, UsingDataset, declared_prefixes,
};
pub use statistics::Statistics;
pub use vocabularies::bundled_vocabularies;
pub use write::{
    IncomingDataset, Removal, SourceRef, Verdict, WriteKind, WriteSummary, WrittenRecord,
};

use crate::model::BaseIri;
use crate::model::vocab::RDF_TYPE;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedNodeRef, Quad};
use oxigraph::store::{SerializerError, Store, Transaction};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The catalog store: a cheap-to-clone handle on the on-disk Oxigraph store.
#[derive(Clone)]
pub struct CatalogStore {
    store: Store,
    /// What anonymous readers must not see (the history of records), in
    /// `{data_dir}/private`: public SPARQL reads every graph of `store`.
    private: Store,
    data_dir: std::path::PathBuf,
    base: BaseIri,
    vocabulary: Arc<vocabularies::VocabularyIndex>,
    generation: Arc<AtomicU64>,
    /// Writers take turns: oxigraph does not detect conflicting transactions.
    writer: Arc<Mutex<()>>,
    /// See [`state::StoreState::touched`].
    touched: Arc<AtomicI64>,
    /// The harvestable feed's order (see `feed.rs`).
    feed: Arc<RwLock<feed::FeedIndex>>,
    /// Whether `feed` holds the store's order: a server reads it in the background, and
    /// what needs it (feed pages, writes) waits until then.
    feed_read: Arc<gate::Gate>,
    /// Modification times, always increasing (see [`feed::Clock`]).
    clock: Arc<feed::Clock>,
    /// How long tombstones of deleted datasets are kept, in milliseconds.
    retention: i64,
    /// What queries, updates and loaded files may ask of the parsers.
    limits: crate::limits::Limits,
    /// The catalog part of feed pages, with the generation it was made at.
    feed_header: Arc<Mutex<Option<CachedHeader>>>,
    /// The data papers' keys in the OAI-PMH order (see `oai_order.rs`).
    paper_keys: Arc<Mutex<Option<oai_order::CachedPapers>>>,
    /// The records naming a DOI (see `oai_order.rs`).
    doi_records: Arc<Mutex<Option<oai_order::CachedDois>>>,
    /// Record graphs as feed pages read them (see `snapshots.rs`).
    snapshots: Arc<snapshots::Snapshots>,
    /// The SPARQL engine as every request gets it (see [`sparql::endpoint_evaluator`]),
    /// built once: cloning it costs less than resolving the endpoint's IRI per query.
    evaluator: oxigraph::sparql::SparqlEvaluator,
    /// Told of every change to public datasets (see `changes.rs`).
    watchers: Arc<RwLock<Vec<ChangeWatcher>>>,
    /// What validation said of the records just written (see `changes.rs`).
    conformance: Arc<Mutex<changes::Conformance>>,
    /// Writes of derived graphs (quality measurements, link checks), which move no
    /// generation: the dump follows them too.
    derived_writes: Arc<AtomicU64>,
}

/// A feed header and the store generation it was made at.
type CachedHeader = (u64, Arc<FeedHeader>);

/// How long tombstones are kept unless configured: 90 days.
pub const DEFAULT_TOMBSTONE_RETENTION: std::time::Duration =
    std::time::Duration::from_secs(90 * 24 * 3600);

impl CatalogStore {
    /// Opens (creating if needed) the store in `data_dir` and refreshes the bundled
    /// vocabularies if this binary carries a newer version of them.
    ///
    /// Fails with [`StoreError::Locked`] when another process has the store open.
    pub fn open(data_dir: &Path, base: BaseIri) -> Result<Self, StoreError> {
        let this = Self::open_unread(data_dir, base)?;
        let index = this.scan_feed()?;
        *this.feed_index_mut() = index;
        Ok(this)
    }

    /// Opens the store as [`Self::open`] does, and reads the feed's order in the background
    /// (a scan of every record: seconds on a store of a million datasets), so that a server
    /// answers at once; feed pages and writes wait for it.
    pub fn open_serving(data_dir: &Path, base: BaseIri) -> Result<Self, StoreError> {
        let this = Self::open_unread(data_dir, base)?;
        let this = Self {
            feed_read: Arc::new(gate::Gate::closed()),
            ..this
        };
        let reader = this.clone();
        let read = move || {
            let _span = tracing::info_span!("feed-order").entered();
            match reader.scan_feed() {
                Ok(index) => *reader.feed.write().unwrap_or_else(PoisonError::into_inner) = index,
                Err(error) => tracing::error!(%error, "the feed's order could not be read"),
            }
            reader.feed_read.open();
        };
        let spawned = std::thread::Builder::new()
            .name("feed-order".into())
            .spawn(read.clone());
        if spawned.is_err() {
            read();
        }
        Ok(this)
    }

    /// The store opened with its vocabularies refreshed; the feed's order not read yet.
    fn open_unread(data_dir: &Path, base: BaseIri) -> Result<Self, StoreError> {
        let this = Self::open_as_is(data_dir, base)?;
        this.refresh_vocabularies()?;
        this.name_our_profile()?;
        Ok(Self {
            vocabulary: Arc::new(this.index_vocabularies()?),
            ..this
        })
    }

    /// Opens the store without writing to it, for commands that only read (`dump`).
    pub fn open_as_is(data_dir: &Path, base: BaseIri) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::Io {
            path: data_dir.display().to_string(),
            source,
        })?;
        let store = Store::open(data_dir).map_err(|e| StoreError::from_open(data_dir, e))?;
        let private_dir = data_dir.join("private");
        let private =
            Store::open(&private_dir).map_err(|e| StoreError::from_open(&private_dir, e))?;
        let touched = state::StoreState::read(data_dir)?.touched;
        let evaluator = sparql::endpoint_evaluator(&base)?;
        Ok(Self {
            store,
            private,
            data_dir: data_dir.to_owned(),
            base,
            vocabulary: Arc::default(),
            generation: Arc::default(),
            writer: Arc::default(),
            touched: Arc::new(AtomicI64::new(touched)),
            feed: Arc::default(),
            feed_read: Arc::new(gate::Gate::open_now()),
            clock: Arc::default(),
            retention: crate::model::time::duration_millis(DEFAULT_TOMBSTONE_RETENTION),
            limits: crate::limits::Limits::default(),
            feed_header: Arc::default(),
            paper_keys: Arc::default(),
            doi_records: Arc::default(),
            snapshots: Arc::new(snapshots::Snapshots::new(data_dir)),
            evaluator,
            watchers: Arc::default(),
            conformance: Arc::default(),
            derived_writes: Arc::default(),
        })
    }

    /// Keeps tombstones of deleted datasets for `retention` (see `withdrawn.rs`).
    pub fn with_tombstone_retention(self, retention: std::time::Duration) -> Self {
        Self {
            retention: crate::model::time::duration_millis(retention),
            ..self
        }
    }

    /// Reads queries, updates and loaded files under `limits`.
    pub fn with_limits(self, limits: crate::limits::Limits) -> Self {
        Self { limits, ..self }
    }

    /// The limits queries, updates and loaded files are read under.
    pub fn limits(&self) -> &crate::limits::Limits {
        &self.limits
    }

    /// The earliest `modified_since` for which the feed still knows every deletion.
    pub(in crate::store) fn feed_horizon(&self) -> i64 {
        crate::model::time::now_millis().saturating_sub(self.retention)
    }

    fn feed_index(&self) -> RwLockReadGuard<'_, feed::FeedIndex> {
        self.feed_read.wait();
        self.feed.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn feed_index_mut(&self) -> RwLockWriteGuard<'_, feed::FeedIndex> {
        self.feed_read.wait();
        self.feed.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// A number that changes whenever this process writes to the store, so that caches of
    /// rendered descriptions know when to drop their entries.
    ///
    /// Exact while the server runs: it holds the store's lock, so no one else writes.
    pub(in crate::store) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The generation and the count of derived writes: changes with anything written to
    /// the public store, records or derived graphs (what the dump is checked against).
    pub fn revision(&self) -> (u64, u64) {
        (
            self.generation(),
            self.derived_writes.load(Ordering::Acquire),
        )
    }

    /// Counts a write of a derived graph.
    fn derived_written(&self) {
        self.derived_writes.fetch_add(1, Ordering::AcqRel);
    }

    /// Held while writing.
    fn write_lock(&self) -> MutexGuard<'_, ()> {
        // A write's time must follow every version the store holds, which the clock
        // learns when the feed's order is read.
        self.feed_read.wait();
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records an out-of-band write now (see [`state::StoreState::touched`]).
    fn touch(&self) -> Result<(), StoreError> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        self.touched.store(now, Ordering::Release);
        let mut state = state::StoreState::read(&self.data_dir)?;
        state.touched = now;
        state.write(&self.data_dir)
    }

    /// The earliest `Last-Modified` any description may have.
    fn touched(&self) -> Option<time::OffsetDateTime> {
        time::OffsetDateTime::from_unix_timestamp(self.touched.load(Ordering::Acquire)).ok()
    }

    /// Commits a transaction and moves to the next [`generation`](Self::generation).
    fn commit(&self, transaction: Transaction<'_>) -> Result<(), StoreError> {
        transaction.commit()?;
        self.generation.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    /// The directory the store lives in (what derives from it, like the search index,
    /// lives beside it).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The base IRI the store's records are named under.
    pub fn base(&self) -> &BaseIri {
        &self.base
    }

    /// Loads the demo catalog if this store never had one and holds no records.
    /// Returns whether it did.
    pub(in crate::store) fn seed_if_empty(&self) -> Result<bool, StoreError> {
        seed::seed_if_empty(self)
    }

    /// Flushes and compacts both stores after a large write, so that the next open does
    /// not replay the write-ahead log and reads do not search many small files. The private
    /// store holds the write's history, often as large as the write itself.
    pub(in crate::store) fn compact(&self) -> Result<(), StoreError> {
        for store in [&self.store, &self.private] {
            store.flush()?;
            store.optimize()?;
        }
        Ok(())
    }

    /// Checks that the store answers a read, for `/health`.
    pub(in crate::store) fn ping(&self) -> Result<(), StoreError> {
        self.store.first(None, Some(RDF_TYPE), None, None)?;
        Ok(())
    }

    /// Writes every quad of the store (all graphs) as N-Quads or TriG.
    pub(in crate::store) fn dump(
        &self,
        format: RdfFormat,
        writer: impl Write,
    ) -> Result<(), StoreError> {
        if !format.supports_datasets() {
            return Err(StoreError::UnsupportedDumpFormat(format.name().to_owned()));
        }
        self.store
            .dump_to_writer(RdfSerializer::from_format(format), writer)
            .map_err(|e| match e {
                SerializerError::Storage(e) => StoreError::Storage(e),
                other => StoreError::Io {
                    path: "dump output".to_owned(),
                    source: other.into(),
                },
            })?;
        Ok(())
    }

    /// All quads of one graph, in the store's order (grouped by subject).
    fn graph_quads(&self, graph: NamedNodeRef<'_>) -> Result<Vec<Quad>, StoreError> {
        Ok(self
            .store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph)))
            .collect::<Result<Vec<_>, _>>()?)
    }
}
