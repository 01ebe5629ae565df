//! Full-text search with facets over the public datasets: an embedded tantivy index under
//! `{data-dir}/search/`, derived from the store and never the source of truth.
//!
//! - `schema.rs`: the fields and how text is analysed (French and English stemming, accents
//!   and case folded);
//! - `document.rs`: a dataset's document and card, read from its description;
//! - `query.rs`: a search as asked, and its queries (facet counts are disjunctive);
//! - `answer.rs`: running a search: results, snippets, facet counts with labels;
//! - `suggest.rs`: title completions for a search box;
//! - `related.rs`: the datasets an agent or a data paper lends its name or existence to.
//!
//! The index follows the store: the store tells it of every dataset written or gone
//! (`CatalogStore::on_dataset_changes`), in the writer's thread, before the write's answer
//! is sent, so that the next request finds it. On start, what the index holds is compared
//! with the store's datasets and their versions, and every difference is indexed again: an
//! index missing, unreadable, of another schema version or behind the store (a crash
//! between a write and its indexing) is repaired from the store.

mod answer;
mod document;
mod query;
mod related;
mod schema;
mod suggest;

pub use answer::{FacetCount, Hit, SearchPage};
pub use document::{Card, Named, Texts};
pub use query::{Audience, FacetKind, SearchRequest, Sort};
pub use suggest::MAX_SUGGESTIONS;

/// Differences an index catches up on before the server answers (a crash between writes
/// and their indexing leaves a few; a new index of a small catalog has them all); more are
/// indexed while it answers.
pub const CATCH_UP_BEFORE_SERVING: usize = 1000;

use crate::model::RecordId;
use crate::model::ResourceKind;
use crate::store::{CatalogStore, FeedOrder, Lookups, RecordChange, Records, StoreError};
use schema::{Fields, SCHEMA_VERSION};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use tantivy::collector::DocSetCollector;
use tantivy::query::{AllQuery, QueryParser, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Datasets indexed between commits when the index catches up with the store.
const RECONCILED_AT_ONCE: usize = 1000;

/// The memory the index writer may use before it flushes a segment.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// What searching can fail with.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index could not be read or written.
    #[error("the search index failed: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index's directory could not be prepared.
    #[error("the search index's directory {path}: {source}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The store could not be read while indexing.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The search index: cheap to clone.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

struct Inner {
    fields: Fields,
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
    parser: QueryParser,
    /// Labels of facet values, from the cards indexed (facet counts give values only).
    labels: RwLock<HashMap<(FacetKind, String), Texts>>,
    /// Whether the index holds something usable: false while a new index is first built.
    ready: AtomicBool,
    /// The analyser of titles, for completions (which analyse what was typed themselves).
    folded: TextAnalyzer,
    /// Where a dataset's quality score is read, once the server has a quality board.
    quality: RwLock<Option<crate::quality::board::Board>>,
}

/// What the index must do to be in step with the store.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Differences {
    /// Public datasets the index lacks or holds at another version.
    pub stale: Vec<RecordId>,
    /// Datasets the index holds that are no longer public.
    pub gone: Vec<RecordId>,
}

impl Differences {
    /// How many documents they touch.
    pub fn len(&self) -> usize {
        self.stale.len() + self.gone.len()
    }

    /// Whether the index is in step.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What bringing the index in step with the store did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    /// Datasets indexed again (new, changed, or missing from the index).
    pub indexed: usize,
    /// Documents removed (datasets no longer public).
    pub removed: usize,
}

impl SearchIndex {
    /// Opens the index in `dir`, or creates it there (an index that cannot be opened, or of
    /// another schema version, is replaced: it is only derived data). It is not ready
    /// until [`Self::reconcile`] has run once if it was created.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let (schema, fields) = schema::schema();
        let version_file = dir.join("passerelle-schema-version");
        let current = std::fs::read_to_string(&version_file)
            .ok()
            .is_some_and(|v| v.trim() == SCHEMA_VERSION.to_string());
        let opened = current
            .then(|| Index::open_in_dir(dir).ok())
            .flatten()
            .filter(|index| index.schema() == schema);
        let created = opened.is_none();
        let index = match opened {
            Some(index) => index,
            None => {
                let directory = |source| SearchError::Directory {
                    path: dir.to_owned(),
                    source,
                };
                if dir.exists() {
                    std::fs::remove_dir_all(dir).map_err(directory)?;
                }
                std::fs::create_dir_all(dir).map_err(directory)?;
                let index = Index::create_in_dir(dir, schema)?;
                std::fs::write(&version_file, SCHEMA_VERSION.to_string()).map_err(directory)?;
                index
            }
        };
        schema::register_analyzers(index.tokenizers());
        let writer = index.writer(WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut parser = QueryParser::for_index(
            &index,
            vec![
                fields.title,
                fields.text_fr,
                fields.text_en,
                fields.text_other,
            ],
        );
        parser.set_conjunction_by_default();
        parser.set_field_boost(fields.title, 2.0);
        let inner = Inner {
            fields,
            writer: Mutex::new(writer),
            reader,
            parser,
            labels: RwLock::default(),
            ready: AtomicBool::new(!created),
            folded: schema::folded(),
            quality: RwLock::default(),
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// Follows `store`: every dataset it writes or withdraws from now on is indexed before
    /// the write returns.
    pub fn follow(&self, store: &CatalogStore) {
        let index = self.clone();
        store.on_dataset_changes(Arc::new(move |store: &CatalogStore, changes: &[RecordChange]| {
            if let Err(error) = index.apply(store, changes) {
                tracing::error!(%error, "the search index missed a change (repaired on restart)");
            }
        }));
    }

    /// Reads each dataset's quality score from `board` from now on.
    pub fn read_quality_from(&self, board: crate::quality::board::Board) {
        *self
            .inner
            .quality
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(board);
    }

    /// The quality board, once the server has one.
    fn board(&self) -> Option<crate::quality::board::Board> {
        self.inner
            .quality
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Indexes again the datasets `changes` name whose score the index holds otherwise
    /// than the quality board says (after a start, most already hold it).
    pub fn rescore(
        &self,
        store: &CatalogStore,
        changes: &[RecordChange],
    ) -> Result<(), SearchError> {
        let searcher = self.inner.reader.searcher();
        let fields = &self.inner.fields;
        let mut stale = Vec::new();
        let board = self.board();
        for change in changes {
            let RecordChange::Changed(id) = change else {
                continue;
            };
            let wanted = document::quality_key(board.as_ref().and_then(|b| b.score_of(id)));
            let query = TermQuery::new(
                Term::from_field_text(fields.id, id.as_str()),
                IndexRecordOption::Basic,
            );
            for address in searcher.search(&query, &DocSetCollector)? {
                let doc: TantivyDocument = searcher.doc(address)?;
                if doc.get_first(fields.quality).and_then(|v| v.as_i64()) != Some(wanted) {
                    stale.push(change.clone());
                    break;
                }
            }
        }
        if stale.is_empty() {
            return Ok(());
        }
        self.apply(store, &stale)
    }

    /// What the index lacks or holds too many of, against the store's public datasets and
    /// their versions.
    pub fn differences(&self, store: &CatalogStore) -> Result<Differences, SearchError> {
        let held = self.held()?;
        let mut wanted = store.dataset_versions();
        wanted.extend(store.dataset_drafts()?);
        tracing::debug!(
            indexed = held.len(),
            public = wanted.len(),
            "the search index against the store"
        );
        let live: HashSet<&RecordId> = wanted.iter().map(|(id, _)| id).collect();
        let stale = wanted
            .iter()
            .filter(|(id, version)| held.get(id) != Some(version))
            .map(|(id, _)| id.clone())
            .collect();
        let gone = held
            .keys()
            .filter(|id| !live.contains(id))
            .cloned()
            .collect();
        Ok(Differences { stale, gone })
    }

    /// Brings the index in step with the store: indexes again every public dataset of
    /// `differences.stale`, removes `differences.gone`; then the index is ready.
    pub fn reconcile(
        &self,
        store: &CatalogStore,
        differences: Differences,
        progress: &dyn Fn(usize, usize),
    ) -> Result<Reconciled, SearchError> {
        let Differences { stale, gone } = differences;
        // What went is indexed again too: a dataset published again since the comparison
        // stays (`index_one` reads the store and removes what is not public).
        let ids: Vec<RecordId> = gone.into_iter().chain(stale).collect();
        let mut report = Reconciled::default();
        // A commit per chunk: the writer is free between chunks for the store's own writes.
        for (done, chunk) in ids.chunks(RECONCILED_AT_ONCE).enumerate() {
            self.batch(|writer| {
                for id in chunk {
                    if self.index_one(writer, store, id)? {
                        report.indexed += 1;
                    } else {
                        report.removed += 1;
                    }
                }
                Ok(())
            })?;
            progress(
                (done * RECONCILED_AT_ONCE + chunk.len()).min(ids.len()),
                ids.len(),
            );
        }
        self.inner.ready.store(true, Ordering::Release);
        Ok(report)
    }

    /// Rebuilds the index from the store: every document removed, every public dataset
    /// indexed again.
    pub fn rebuild(
        &self,
        store: &CatalogStore,
        progress: &dyn Fn(usize, usize),
    ) -> Result<Reconciled, SearchError> {
        self.batch(|writer| Ok(writer.delete_all_documents().map(drop)?))?;
        let differences = self.differences(store)?;
        self.reconcile(store, differences, progress)
    }

    /// Indexes the datasets `changes` name again, or removes them; commits, so that the
    /// next search sees them.
    pub fn apply(&self, store: &CatalogStore, changes: &[RecordChange]) -> Result<(), SearchError> {
        let everything = changes.iter().any(|c| matches!(c, RecordChange::All));
        self.batch(|writer| {
            if everything {
                // A SPARQL Update may have changed any dataset.
                writer.delete_all_documents()?;
                let drafts = store.dataset_drafts()?.into_iter();
                for (id, _) in store.dataset_versions().into_iter().chain(drafts) {
                    self.index_one(writer, store, &id)?;
                }
                return Ok(());
            }
            let mut related = Vec::new();
            for change in changes {
                match change {
                    RecordChange::Changed(id) => {
                        // Not a public dataset: an agent or a data paper, perhaps, whose
                        // name or existence datasets' documents hold.
                        if !self.index_one(writer, store, id)? {
                            related.extend(self.related(store, id)?);
                        }
                    }
                    RecordChange::All => {}
                }
            }
            for id in &related {
                self.index_one(writer, store, id)?;
            }
            Ok(())
        })
    }

    /// Runs `work` with the index writer, then commits and shows the result to searches;
    /// on failure, drops what `work` did (it would be committed by the next batch).
    fn batch(
        &self,
        work: impl FnOnce(&mut IndexWriter) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let mut writer = self.writer();
        if let Err(error) = work(&mut writer) {
            writer.rollback()?;
            return Err(error);
        }
        writer.commit()?;
        drop(writer);
        self.inner.reader.reload()?;
        Ok(())
    }

    /// (Re)indexes the dataset `id` with `writer`, published or a draft (for those who may
    /// see it); false if it is neither.
    fn index_one(
        &self,
        writer: &IndexWriter,
        store: &CatalogStore,
        id: &RecordId,
    ) -> Result<bool, SearchError> {
        let fields = &self.inner.fields;
        writer.delete_term(Term::from_field_text(fields.id, id.as_str()));
        let (description, draft_of) = match store.describe(ResourceKind::Dataset, id)? {
            Some(description) => (description, None),
            None => match store.describe_draft(id)? {
                Some((description, owners)) => (description, Some(owners)),
                None => return Ok(false),
            },
        };
        let mut card = document::card(id, &description);
        if let Some(owners) = draft_of {
            card.draft = true;
            card.draft_of = owners;
        }
        // Papers that describe it from their own records (its description names only
        // those it references itself).
        for paper in store.papers_describing(&description.topic)? {
            card.papers.push(paper.into_string());
        }
        card.papers.sort();
        card.papers.dedup();
        card.reuses = store.reuses_of(&description.topic)?;
        // A draft is not scored; a dataset is indexed with the score of the version
        // indexed, so that the board's score of it a moment later changes nothing.
        if !card.draft {
            card.quality = self
                .board()
                .and_then(|board| board.score_for(store, id, &description));
        }
        let temporal = document::temporal(&description);
        let version = description.version.unwrap_or_default();
        self.remember_labels(&card);
        writer.add_document(document::document(fields, &card, temporal, version))?;
        Ok(true)
    }

    /// The ids the index holds and the record versions it holds them at; the labels of
    /// their facet values are remembered on the way (facet counts give only values), so
    /// that a start reads every document once.
    fn held(&self) -> Result<HashMap<RecordId, i64>, SearchError> {
        let searcher = self.inner.reader.searcher();
        let fields = &self.inner.fields;
        let mut held = HashMap::new();
        for address in searcher.search(&AllQuery, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let id = doc
                .get_first(fields.id)
                .and_then(|v| v.as_str().map(str::to_owned));
            let version = doc.get_first(fields.version).and_then(|v| v.as_i64());
            if let (Some(id), Some(version)) = (id.and_then(|i| RecordId::parse(&i).ok()), version)
            {
                held.insert(id, version);
            }
            if let Some(card) = answer::card_of(&doc, fields) {
                self.remember_labels(&card);
            }
        }
        Ok(held)
    }

    /// Keeps the labels of `card`'s facet values.
    fn remember_labels(&self, card: &Card) {
        let mut labels = self
            .inner
            .labels
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let named = [
            (FacetKind::Theme, &card.themes),
            (FacetKind::Format, &card.formats),
            (FacetKind::License, &card.licenses),
            (FacetKind::Language, &card.languages),
        ];
        for (kind, values) in named {
            for value in values {
                if !value.labels.is_empty() {
                    labels.insert((kind, value.value.clone()), value.labels.clone());
                }
            }
        }
        if let Some(publisher) = card.publisher.as_ref().filter(|p| !p.labels.is_empty()) {
            labels.insert(
                (FacetKind::Publisher, publisher.value.clone()),
                publisher.labels.clone(),
            );
        }
    }

    /// Whether searches can be answered: false only while a new index is first built.
    pub fn ready(&self) -> bool {
        self.inner.ready.load(Ordering::Acquire)
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.inner
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
