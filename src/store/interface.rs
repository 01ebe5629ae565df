//! The store as its callers see it: one trait per need. This is the interface a second
//! backend (a remote SPARQL store, the scale-out issue) implements; [`CatalogStore`], the
//! embedded Oxigraph store, implements every trait here by calling its methods in the
//! files named on each trait. Outside `store/`, only these traits reach the store's
//! methods (its own methods are private to `store/`), so what the rest of the server asks
//! of a store is this page and nothing else.
//!
//! The types that cross the boundary are the model's (`RecordDraft`, `RecordId`), RDF terms
//! and quads, and this module's answers (`Description`, `FeedPage`, `WrittenRecord`...);
//! SPARQL crosses it as a prepared query and an answer that writes itself.

use super::{
    Answer, CancellationToken, CatalogStore, CurrentRecord, Description, FeedEntry, FeedHeader,
    FeedPage, FeedQuery, HarvestDocument, IncomingDataset, LoadOptions, LoadProgress, LoadReport,
    OaiEntry, OaiQuery, OaiSetMembers, OaiSlice, PreparedQuery, Provenance, RecordState, Removal,
    SourceRef, StoreError, UsingDataset, Verdict, WriteKind, WrittenRecord,
};
use crate::model::{RecordDraft, RecordId, RecordKind, ResourceKind};
use oxigraph::io::RdfFormat;
use oxigraph::model::{Graph, Literal, NamedNode, NamedOrBlankNodeRef, Quad, Triple, TripleRef};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

/// Reading one record: its description, its state, its draft (`describe.rs`,
/// `lookup.rs`, `drafts.rs`).
pub trait Records {
    /// The published record `id` of `kind` with what it links to, if there is one.
    fn describe(
        &self,
        kind: ResourceKind,
        id: &RecordId,
    ) -> Result<Option<Description>, StoreError>;
    /// The catalog with its records listed.
    fn describe_catalog(&self) -> Result<Description, StoreError>;
    /// The catalog's titles (exports name the catalog a record is part of).
    fn catalog_titles(&self) -> Result<Vec<Literal>, StoreError>;
    /// `triples` with the labels and types of what they link to, as validation needs.
    fn in_context(&self, triples: &[Triple]) -> Result<Graph, StoreError>;
    /// Whether the record `id` of `kind` is published, a draft, withdrawn or unknown.
    fn record_state(&self, kind: RecordKind, id: &RecordId) -> Result<RecordState, StoreError>;
    /// The draft `id` of `kind` and its quads.
    fn draft(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Option<(CurrentRecord, Vec<Quad>)>, StoreError>;
    /// The draft `id`, whatever its kind, and its kind.
    fn any_draft(&self, id: &RecordId) -> Result<Option<(RecordKind, CurrentRecord)>, StoreError>;
    /// What the record `id` (published, else a draft) says, without its catalog record.
    fn own_triples(&self, id: &RecordId) -> Result<Graph, StoreError>;
    /// When the embargoed draft `id` is to be published (milliseconds), if it is one.
    fn embargo_of(&self, id: &RecordId) -> Result<Option<i64>, StoreError>;
    /// Every dataset draft and its version.
    fn dataset_drafts(&self) -> Result<Vec<(RecordId, i64)>, StoreError>;
    /// The dataset draft `id` with what it links to, and who may see it (agent IRIs).
    fn describe_draft(
        &self,
        id: &RecordId,
    ) -> Result<Option<(Description, Vec<String>)>, StoreError>;
}

/// Which record a resource belongs to, and who may write it (`lookup.rs`).
pub trait Lookups {
    /// Whether a published record describes `topic`.
    fn has_record(&self, topic: &NamedNode) -> Result<bool, StoreError>;
    /// The published record that describes `topic`.
    fn record_id_of(&self, topic: &NamedNode) -> Result<Option<RecordId>, StoreError>;
    /// The dataset record that holds `distribution`.
    fn dataset_of_distribution(
        &self,
        distribution: &NamedNode,
    ) -> Result<Option<RecordId>, StoreError>;
    /// The record of `target`, or of the dataset `target` is a distribution of (what
    /// feedback on a dataset or one of its files belongs to).
    fn record_of_target(&self, target: &NamedNode) -> Result<Option<RecordId>, StoreError> {
        match self.record_id_of(target)? {
            Some(id) => Ok(Some(id)),
            None => self.dataset_of_distribution(target),
        }
    }
    /// Whether the record graph `graph` holds `triple`.
    fn record_holds(&self, graph: &NamedNode, triple: &Triple) -> Result<bool, StoreError>;
    /// Whether any record, draft or tombstone uses `iri`.
    fn iri_in_use(&self, iri: &NamedNode) -> Result<bool, StoreError>;
    /// Whether a record other than `own` describes `subject`.
    fn described_elsewhere(
        &self,
        subject: &NamedNode,
        own: Option<&NamedNode>,
    ) -> Result<bool, StoreError>;
    /// Whether the record `id` is or was ever public.
    fn was_public(&self, id: &RecordId) -> Result<bool, StoreError>;
    /// Whether the record `id` was withdrawn (a tombstone stands in its place).
    fn is_withdrawn(&self, id: &RecordId) -> Result<bool, StoreError>;
    /// The data papers that say they describe `dataset`.
    fn papers_describing(&self, dataset: &NamedNode) -> Result<Vec<NamedNode>, StoreError>;
    /// The publishers that own a record of `kind` about `topic` saying `triples`.
    fn owners<'a>(
        &self,
        kind: RecordKind,
        topic: NamedOrBlankNodeRef<'_>,
        triples: impl Iterator<Item = TripleRef<'a>>,
    ) -> Result<Vec<String>, StoreError>;
}

/// Writing one record: the kinds of write as [`WriteKind`], removals as [`Removal`]
/// (`write/`).
pub trait RecordWrites {
    /// Writes one record as `kind` says if the store holds what it expects, else nothing.
    fn write(
        &self,
        draft: RecordDraft,
        kind: WriteKind,
        by: &Provenance,
    ) -> Result<WrittenRecord, StoreError>;
    /// Removes the record (or draft) `id` of `kind` if it is still at `version`.
    fn remove(
        &self,
        record: (RecordKind, &RecordId),
        version: i64,
        removal: Removal,
        by: &Provenance,
    ) -> Result<(), StoreError>;
    /// Publishes every embargoed record whose embargo has ended by `now`.
    fn publish_due(&self, now: i64) -> Result<Vec<RecordId>, StoreError>;
}

/// The feed's order and its pages (`feed.rs`, `describe.rs`).
pub trait FeedOrder {
    /// One page of the feed.
    fn feed_page(&self, query: &FeedQuery) -> FeedPage;
    /// What every page of the feed starts with.
    fn feed_header(&self) -> Result<Arc<FeedHeader>, StoreError>;
    /// The oldest change the feed can still tell (milliseconds).
    fn feed_horizon(&self) -> i64;
    /// One entry of a page, lending labels once per page (`lent`).
    fn describe_feed_entry(
        &self,
        entry: &FeedEntry,
        lent: &mut HashSet<String>,
    ) -> Result<Vec<Quad>, StoreError>;
    /// A number that changes with every write: what cached answers are checked against.
    fn generation(&self) -> u64;
    /// Every public dataset record and its version, as the feed orders them.
    fn dataset_versions(&self) -> Vec<(RecordId, i64)>;
}

/// The OAI-PMH provider's order: datasets, their tombstones and data papers
/// (`oai_order.rs`).
pub trait OaiOrder {
    /// A slice of the order.
    fn oai_slice(&self, query: &OaiQuery) -> Result<OaiSlice, StoreError>;
    /// The entry of the record `id`, if the order lists it.
    fn oai_entry(&self, id: &RecordId) -> Result<Option<OaiEntry>, StoreError>;
    /// The publishers and EU themes records name, with names in `language`.
    fn oai_set_members(&self, language: &str) -> Result<OaiSetMembers, StoreError>;
    /// Whether the record `id` names a DOI.
    fn record_has_doi(&self, id: &RecordId) -> Result<bool, StoreError>;
}

impl OaiOrder for CatalogStore {
    fn oai_slice(&self, query: &OaiQuery) -> Result<OaiSlice, StoreError> {
        CatalogStore::oai_slice(self, query)
    }
    fn oai_entry(&self, id: &RecordId) -> Result<Option<OaiEntry>, StoreError> {
        CatalogStore::oai_entry(self, id)
    }
    fn oai_set_members(&self, language: &str) -> Result<OaiSetMembers, StoreError> {
        CatalogStore::oai_set_members(self, language)
    }
    fn record_has_doi(&self, id: &RecordId) -> Result<bool, StoreError> {
        CatalogStore::record_has_doi(self, id)
    }
}

/// Records' histories (`history.rs`).
pub trait Histories {
    /// The history of the record `id`, if it has one.
    fn history(&self, id: &RecordId) -> Result<Option<Vec<Quad>>, StoreError>;
    /// Version `number` of the record `id` of `kind`.
    fn version(
        &self,
        kind: ResourceKind,
        id: &RecordId,
        number: u64,
    ) -> Result<Option<Vec<Quad>>, StoreError>;
    /// The catalog's history: every record's revisions.
    fn catalog_history(&self) -> Result<Vec<Quad>, StoreError>;
}

/// What the harvester keeps and writes (`write/harvested.rs`, `write/unlisted.rs`,
/// `documents.rs`).
pub trait Harvests {
    /// Writes what a source lists, each dataset judged new, changed, unchanged or refused.
    fn store_harvested(
        &self,
        source: SourceRef<'_>,
        datasets: Vec<IncomingDataset>,
        by: &Provenance,
        dry_run: bool,
    ) -> Result<Vec<Verdict>, StoreError>;
    /// The resources a source's harvests have written.
    fn harvested_topics(&self, source: &str) -> Result<Vec<NamedNode>, StoreError>;
    /// Withdraws `topics`, which the source no longer lists; how many were withdrawn.
    fn withdraw_harvested(
        &self,
        source: SourceRef<'_>,
        topics: &[NamedNode],
        by: &Provenance,
    ) -> Result<usize, StoreError>;
    /// How many of `topics` a withdrawal would withdraw (a dry run).
    fn withdrawable(
        &self,
        source: SourceRef<'_>,
        topics: &[NamedNode],
    ) -> Result<usize, StoreError>;
    /// Keeps a harvester's document (a source, a job) under `iri`.
    fn put_harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
        json: &str,
    ) -> Result<(), StoreError>;
    /// Keeps a new document unless `clashes` says one like it is kept; its clash, if any.
    fn insert_harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
        json: &str,
        clashes: &dyn Fn(&str) -> bool,
    ) -> Result<Option<String>, StoreError>;
    /// Forgets a document.
    fn remove_harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
    ) -> Result<(), StoreError>;
    /// One document.
    fn harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
    ) -> Result<Option<String>, StoreError>;
    /// Every document of `kind`.
    fn harvest_documents(
        &self,
        kind: HarvestDocument,
    ) -> Result<Vec<(NamedNode, String)>, StoreError>;
}

/// SPARQL over the public records (`sparql.rs`).
pub trait Sparql {
    /// A query parsed and planned against the dataset it names, stoppable by `cancellation`.
    fn prepare_query(
        &self,
        query: &str,
        default_graphs: Vec<NamedNode>,
        named_graphs: Vec<NamedNode>,
        cancellation: CancellationToken,
    ) -> Result<PreparedQuery, StoreError>;
    /// The answer of a prepared query.
    fn evaluate(&self, query: PreparedQuery) -> Result<Answer, StoreError>;
    /// Runs an update, record by record, as `by`.
    fn update(&self, update: &str, using: UsingDataset, by: &Provenance) -> Result<(), StoreError>;
}

/// Running the store: health, files in and out, upkeep (`mod.rs`, `load.rs`, `seed.rs`,
/// `history.rs`).
pub trait Operations {
    /// Whether the store answers.
    fn ping(&self) -> Result<(), StoreError>;
    /// Writes every public quad in `format`.
    fn dump(&self, format: RdfFormat, writer: &mut dyn std::io::Write) -> Result<(), StoreError>;
    /// Writes every private quad (drafts, histories, harvest documents) in `format`.
    fn dump_private(
        &self,
        format: RdfFormat,
        writer: &mut dyn std::io::Write,
    ) -> Result<(), StoreError>;
    /// Loads RDF files, split into records.
    fn load_files(
        &self,
        files: &[PathBuf],
        options: &LoadOptions,
        by: &Provenance,
        progress: &dyn Fn(LoadProgress<'_>),
    ) -> Result<LoadReport, StoreError>;
    /// Writes the demo catalog into an empty store; whether it did.
    fn seed_if_empty(&self) -> Result<bool, StoreError>;
    /// Compacts the store's files.
    fn compact(&self) -> Result<(), StoreError>;
}

impl Records for CatalogStore {
    fn describe(
        &self,
        kind: ResourceKind,
        id: &RecordId,
    ) -> Result<Option<Description>, StoreError> {
        CatalogStore::describe(self, kind, id)
    }
    fn describe_catalog(&self) -> Result<Description, StoreError> {
        CatalogStore::describe_catalog(self)
    }
    fn catalog_titles(&self) -> Result<Vec<Literal>, StoreError> {
        CatalogStore::catalog_titles(self)
    }
    fn dataset_drafts(&self) -> Result<Vec<(RecordId, i64)>, StoreError> {
        CatalogStore::dataset_drafts(self)
    }
    fn describe_draft(
        &self,
        id: &RecordId,
    ) -> Result<Option<(Description, Vec<String>)>, StoreError> {
        CatalogStore::describe_draft(self, id)
    }
    fn in_context(&self, triples: &[Triple]) -> Result<Graph, StoreError> {
        CatalogStore::in_context(self, triples)
    }
    fn record_state(&self, kind: RecordKind, id: &RecordId) -> Result<RecordState, StoreError> {
        CatalogStore::record_state(self, kind, id)
    }
    fn draft(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Option<(CurrentRecord, Vec<Quad>)>, StoreError> {
        CatalogStore::draft(self, kind, id)
    }
    fn any_draft(&self, id: &RecordId) -> Result<Option<(RecordKind, CurrentRecord)>, StoreError> {
        CatalogStore::any_draft(self, id)
    }
    fn own_triples(&self, id: &RecordId) -> Result<Graph, StoreError> {
        CatalogStore::own_triples(self, id)
    }
    fn embargo_of(&self, id: &RecordId) -> Result<Option<i64>, StoreError> {
        CatalogStore::embargo_of(self, id)
    }
}

impl Lookups for CatalogStore {
    fn has_record(&self, topic: &NamedNode) -> Result<bool, StoreError> {
        CatalogStore::has_record(self, topic)
    }
    fn record_id_of(&self, topic: &NamedNode) -> Result<Option<RecordId>, StoreError> {
        CatalogStore::record_id_of(self, topic)
    }
    fn dataset_of_distribution(
        &self,
        distribution: &NamedNode,
    ) -> Result<Option<RecordId>, StoreError> {
        CatalogStore::dataset_of_distribution(self, distribution)
    }
    fn record_holds(&self, graph: &NamedNode, triple: &Triple) -> Result<bool, StoreError> {
        CatalogStore::record_holds(self, graph, triple)
    }
    fn iri_in_use(&self, iri: &NamedNode) -> Result<bool, StoreError> {
        CatalogStore::iri_in_use(self, iri)
    }
    fn described_elsewhere(
        &self,
        subject: &NamedNode,
        own: Option<&NamedNode>,
    ) -> Result<bool, StoreError> {
        CatalogStore::described_elsewhere(self, subject, own)
    }
    fn was_public(&self, id: &RecordId) -> Result<bool, StoreError> {
        CatalogStore::was_public(self, id)
    }
    fn is_withdrawn(&self, id: &RecordId) -> Result<bool, StoreError> {
        CatalogStore::is_withdrawn(self, id)
    }
    fn papers_describing(&self, dataset: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        CatalogStore::papers_describing(self, dataset)
    }
    fn owners<'a>(
        &self,
        kind: RecordKind,
        topic: NamedOrBlankNodeRef<'_>,
        triples: impl Iterator<Item = TripleRef<'a>>,
    ) -> Result<Vec<String>, StoreError> {
        CatalogStore::owners(self, kind, topic, triples)
    }
}

impl RecordWrites for CatalogStore {
    fn write(
        &self,
        draft: RecordDraft,
        kind: WriteKind,
        by: &Provenance,
    ) -> Result<WrittenRecord, StoreError> {
        CatalogStore::write(self, draft, kind, by)
    }
    fn remove(
        &self,
        record: (RecordKind, &RecordId),
        version: i64,
        removal: Removal,
        by: &Provenance,
    ) -> Result<(), StoreError> {
        CatalogStore::remove(self, record, version, removal, by)
    }
    fn publish_due(&self, now: i64) -> Result<Vec<RecordId>, StoreError> {
        CatalogStore::publish_due(self, now)
    }
}

impl FeedOrder for CatalogStore {
    fn feed_page(&self, query: &FeedQuery) -> FeedPage {
        CatalogStore::feed_page(self, query)
    }
    fn feed_header(&self) -> Result<Arc<FeedHeader>, StoreError> {
        CatalogStore::feed_header(self)
    }
    fn feed_horizon(&self) -> i64 {
        CatalogStore::feed_horizon(self)
    }
    fn describe_feed_entry(
        &self,
        entry: &FeedEntry,
        lent: &mut HashSet<String>,
    ) -> Result<Vec<Quad>, StoreError> {
        CatalogStore::describe_feed_entry(self, entry, lent)
    }
    fn generation(&self) -> u64 {
        CatalogStore::generation(self)
    }
    fn dataset_versions(&self) -> Vec<(RecordId, i64)> {
        CatalogStore::dataset_versions(self)
    }
}

impl Histories for CatalogStore {
    fn history(&self, id: &RecordId) -> Result<Option<Vec<Quad>>, StoreError> {
        CatalogStore::history(self, id)
    }
    fn version(
        &self,
        kind: ResourceKind,
        id: &RecordId,
        number: u64,
    ) -> Result<Option<Vec<Quad>>, StoreError> {
        CatalogStore::version(self, kind, id, number)
    }
    fn catalog_history(&self) -> Result<Vec<Quad>, StoreError> {
        CatalogStore::catalog_history(self)
    }
}

impl Harvests for CatalogStore {
    fn store_harvested(
        &self,
        source: SourceRef<'_>,
        datasets: Vec<IncomingDataset>,
        by: &Provenance,
        dry_run: bool,
    ) -> Result<Vec<Verdict>, StoreError> {
        CatalogStore::store_harvested(self, source, datasets, by, dry_run)
    }
    fn harvested_topics(&self, source: &str) -> Result<Vec<NamedNode>, StoreError> {
        CatalogStore::harvested_topics(self, source)
    }
    fn withdraw_harvested(
        &self,
        source: SourceRef<'_>,
        topics: &[NamedNode],
        by: &Provenance,
    ) -> Result<usize, StoreError> {
        CatalogStore::withdraw_harvested(self, source, topics, by)
    }
    fn withdrawable(
        &self,
        source: SourceRef<'_>,
        topics: &[NamedNode],
    ) -> Result<usize, StoreError> {
        CatalogStore::withdrawable(self, source, topics)
    }
    fn put_harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
        json: &str,
    ) -> Result<(), StoreError> {
        CatalogStore::put_harvest_document(self, kind, iri, json)
    }
    fn insert_harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
        json: &str,
        clashes: &dyn Fn(&str) -> bool,
    ) -> Result<Option<String>, StoreError> {
        CatalogStore::insert_harvest_document(self, kind, iri, json, clashes)
    }
    fn remove_harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
    ) -> Result<(), StoreError> {
        CatalogStore::remove_harvest_document(self, kind, iri)
    }
    fn harvest_document(
        &self,
        kind: HarvestDocument,
        iri: &NamedNode,
    ) -> Result<Option<String>, StoreError> {
        CatalogStore::harvest_document(self, kind, iri)
    }
    fn harvest_documents(
        &self,
        kind: HarvestDocument,
    ) -> Result<Vec<(NamedNode, String)>, StoreError> {
        CatalogStore::harvest_documents(self, kind)
    }
}

impl Sparql for CatalogStore {
    fn prepare_query(
        &self,
        query: &str,
        default_graphs: Vec<NamedNode>,
        named_graphs: Vec<NamedNode>,
        cancellation: CancellationToken,
    ) -> Result<PreparedQuery, StoreError> {
        CatalogStore::prepare_query(self, query, default_graphs, named_graphs, cancellation)
    }
    fn evaluate(&self, query: PreparedQuery) -> Result<Answer, StoreError> {
        CatalogStore::evaluate(self, query)
    }
    fn update(&self, update: &str, using: UsingDataset, by: &Provenance) -> Result<(), StoreError> {
        CatalogStore::update(self, update, using, by)
    }
}

impl Operations for CatalogStore {
    fn ping(&self) -> Result<(), StoreError> {
        CatalogStore::ping(self)
    }
    fn dump(&self, format: RdfFormat, writer: &mut dyn std::io::Write) -> Result<(), StoreError> {
        CatalogStore::dump(self, format, writer)
    }
    fn dump_private(
        &self,
        format: RdfFormat,
        writer: &mut dyn std::io::Write,
    ) -> Result<(), StoreError> {
        CatalogStore::dump_private(self, format, writer)
    }
    fn load_files(
        &self,
        files: &[PathBuf],
        options: &LoadOptions,
        by: &Provenance,
        progress: &dyn Fn(LoadProgress<'_>),
    ) -> Result<LoadReport, StoreError> {
        CatalogStore::load_files(self, files, options, by, progress)
    }
    fn seed_if_empty(&self) -> Result<bool, StoreError> {
        CatalogStore::seed_if_empty(self)
    }
    fn compact(&self) -> Result<(), StoreError> {
        CatalogStore::compact(self)
    }
}
