//! The scratch store a load parses its files into before it splits them into records.
//!
//! Which record owns a triple depends on the whole graph (a dataset's type may come after
//! its title, its distributions anywhere in the file), so a load cannot split as it reads;
//! and a graph of a million datasets does not fit in memory. The files go into an Oxigraph
//! store of their own, on disk, through the bulk loader (bounded memory, the loader's
//! speed); records are then cut out of it root by root, by the same traversal as
//! [`crate::model::split_into_records`], a few thousand at a time.

use crate::limits::Limits;
use crate::model::vocab::{RDF_TYPE, dcat, fabio, foaf};
use crate::model::{BaseIri, RecordKind, is_shared_class, root_kind};
use crate::store::StoreError;
use oxigraph::io::RdfFormat;
use oxigraph::model::{
    Graph, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad,
    Term, Triple,
};
use oxigraph::store::Store;
use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::path::{Path, PathBuf};

/// The classes whose instances become records, in the order roots are listed.
const RECORD_CLASSES: [NamedNodeRef<'static>; 5] = [
    dcat::DATASET,
    fabio::DATA_PAPER,
    foaf::AGENT,
    foaf::ORGANIZATION,
    foaf::PERSON,
];

/// Quads handed to the bulk loader at once.
const BATCH: usize = 500_000;

/// The memory the bulk loader may take to fill the scratch store (its default is 2 GB a
/// thread).
const SCRATCH_MEMORY_MB: usize = 1024;

/// A store on disk holding the files of one load, removed when dropped.
pub(super) struct Scratch {
    // Fields drop in order: the store closes before its directory goes.
    store: Store,
    _files: RemovedOnDrop,
}

/// A directory removed when dropped.
struct RemovedOnDrop(PathBuf);

impl Drop for RemovedOnDrop {
    fn drop(&mut self) {
        if let Err(error) = std::fs::remove_dir_all(&self.0) {
            tracing::warn!(%error, dir = %self.0.display(), "the load's scratch store was not removed");
        }
    }
}

/// A file to load, and the syntax it is read in.
pub(super) struct Reading<'a> {
    /// Its path.
    pub path: &'a Path,
    /// Its syntax.
    pub format: RdfFormat,
}

impl Scratch {
    /// A new, empty scratch store in `dir` (which must not exist).
    pub fn create(dir: PathBuf) -> Result<Self, StoreError> {
        let files = RemovedOnDrop(dir);
        Ok(Self {
            store: Store::open(&files.0)?,
            _files: files,
        })
    }

    /// Parses `files` into the store, relative IRIs against `base` within `limits`; each
    /// file's bytes read so far go to `read` now and then. Returns the triples read.
    pub fn fill(
        &self,
        files: &[Reading<'_>],
        (base, limits): (&BaseIri, &Limits),
        read: &dyn Fn(u64),
    ) -> Result<u64, StoreError> {
        // Half of the memory a load may take (the rest: the records' writes, RocksDB).
        let mut loader = self
            .store
            .bulk_loader()
            .with_num_threads(2)
            .with_max_memory_size_in_megabytes(SCRATCH_MEMORY_MB);
        let mut batch: Vec<Quad> = Vec::with_capacity(BATCH);
        let (mut count, mut failed, mut before) = (0_u64, None, 0_u64);
        for file in files {
            let name = file.path.display().to_string();
            let opened = std::fs::File::open(file.path).map_err(|source| StoreError::Io {
                path: name.clone(),
                source,
            })?;
            let counted = Counted::new(std::io::BufReader::new(opened));
            let bytes = counted.bytes.clone();
            super::read_file(counted, file.format, (base, limits), &name, &mut |quad| {
                if failed.is_some() {
                    return;
                }
                batch.push(Quad::new(
                    quad.subject,
                    quad.predicate,
                    quad.object,
                    oxigraph::model::GraphName::DefaultGraph,
                ));
                count += 1;
                if batch.len() >= BATCH {
                    failed = loader.load_quads(batch.drain(..)).err();
                    read(before + bytes.get());
                }
            })?;
            before += bytes.get();
        }
        if let Some(error) = failed {
            return Err(error.into());
        }
        loader.load_quads(batch)?;
        loader.commit()?;
        read(before);
        Ok(count)
    }

    /// Calls `each` with every subject that becomes a record and its kind: the blank nodes
    /// (`blank`) or the IRIs, each once, class by class; never the catalog.
    pub fn for_each_root(
        &self,
        catalog: NamedOrBlankNodeRef<'_>,
        blank: bool,
        each: &mut dyn FnMut(NamedOrBlankNode, RecordKind) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let store = &self.store;
        for (place, class) in RECORD_CLASSES.iter().enumerate() {
            let typed = store.quads_for_pattern(
                None,
                Some(RDF_TYPE),
                Some((*class).into()),
                Some(GraphNameRef::DefaultGraph),
            );
            for quad in typed {
                let subject = quad?.subject;
                if subject.is_blank_node() != blank || subject.as_ref() == catalog {
                    continue;
                }
                let types = self.types_of(subject.as_ref())?;
                // Listed under its first record class only.
                let first = RECORD_CLASSES
                    .iter()
                    .position(|c| types.iter().any(|t| t.as_ref() == *c));
                if first != Some(place) {
                    continue;
                }
                let classes = types.iter().map(NamedNode::as_ref);
                if let Some(kind) = root_kind(subject.as_ref(), classes) {
                    each(subject, kind)?;
                }
            }
        }
        Ok(())
    }

    /// Adds to `graph` the triples of `start` and of every node it owns, as
    /// [`crate::model::owned_triples`] finds them when the whole file is a graph: the blank
    /// nodes and described IRIs it links to (not through `rdf:type`), transitively, not
    /// crossing into the catalog, other records or shared vocabulary. Each node is
    /// remembered in `owned`.
    pub fn gather(
        &self,
        start: NamedOrBlankNodeRef<'_>,
        catalog: NamedOrBlankNodeRef<'_>,
        graph: &mut Graph,
        owned: &mut Owned,
    ) -> Result<(), StoreError> {
        let store = &self.store;
        let mut visited = HashSet::from([start.into_owned()]);
        let mut queue = VecDeque::from([start.into_owned()]);
        while let Some(node) = queue.pop_front() {
            owned.insert(node.as_ref());
            let about = store.quads_for_pattern(
                Some(node.as_ref()),
                None,
                None,
                Some(GraphNameRef::DefaultGraph),
            );
            for quad in about {
                let quad = quad?;
                graph.insert(quad.as_ref());
                let next: NamedOrBlankNode = match quad.object {
                    Term::NamedNode(n) => n.into(),
                    Term::BlankNode(b) => b.into(),
                    _ => continue,
                };
                if quad.predicate == RDF_TYPE || visited.contains(&next) {
                    continue;
                }
                if self.describes_itself(next.as_ref())? && !self.stops(next.as_ref(), catalog)? {
                    visited.insert(next.clone());
                    queue.push_back(next);
                }
            }
        }
        Ok(())
    }

    /// Calls `each` with every triple whose subject no record and not the catalog owns.
    pub fn for_each_unassigned(
        &self,
        owned: &Owned,
        each: &mut dyn FnMut(Triple),
    ) -> Result<(), StoreError> {
        let all = self
            .store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph));
        for quad in all {
            let quad = quad?;
            if !owned.contains(quad.subject.as_ref()) {
                each(quad.into());
            }
        }
        Ok(())
    }

    fn types_of(&self, node: NamedOrBlankNodeRef<'_>) -> Result<Vec<NamedNode>, StoreError> {
        let mut types = Vec::new();
        let typed = self.store.quads_for_pattern(
            Some(node),
            Some(RDF_TYPE),
            None,
            Some(GraphNameRef::DefaultGraph),
        );
        for quad in typed {
            if let Term::NamedNode(class) = quad?.object {
                types.push(class);
            }
        }
        Ok(types)
    }

    fn describes_itself(&self, node: NamedOrBlankNodeRef<'_>) -> Result<bool, StoreError> {
        let mut about =
            self.store
                .quads_for_pattern(Some(node), None, None, Some(GraphNameRef::DefaultGraph));
        Ok(about.next().transpose()?.is_some())
    }

    /// Whether ownership stops at `node`: the catalog, a record, shared vocabulary.
    fn stops(
        &self,
        node: NamedOrBlankNodeRef<'_>,
        catalog: NamedOrBlankNodeRef<'_>,
    ) -> Result<bool, StoreError> {
        if node == catalog {
            return Ok(true);
        }
        let types = self.types_of(node)?;
        Ok(
            root_kind(node, types.iter().map(NamedNode::as_ref)).is_some()
                || types.iter().any(|t| is_shared_class(t.as_ref())),
        )
    }
}

/// The nodes some record (or the catalog) owns, by a 128-bit hash of each: a load of a
/// million datasets owns millions of nodes, whose IRIs would take gigabytes.
pub(super) struct Owned {
    hashes: HashSet<u128>,
    keys: (RandomState, RandomState),
}

impl Owned {
    pub fn new() -> Self {
        Self {
            hashes: HashSet::new(),
            keys: (RandomState::new(), RandomState::new()),
        }
    }

    fn hash(&self, node: NamedOrBlankNodeRef<'_>) -> u128 {
        (u128::from(self.keys.0.hash_one(node)) << 64) | u128::from(self.keys.1.hash_one(node))
    }

    pub fn insert(&mut self, node: NamedOrBlankNodeRef<'_>) {
        let hash = self.hash(node);
        self.hashes.insert(hash);
    }

    pub fn contains(&self, node: NamedOrBlankNodeRef<'_>) -> bool {
        self.hashes.contains(&self.hash(node))
    }
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    bytes: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R> Counted<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            bytes: std::rc::Rc::default(),
        }
    }
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.bytes.set(self.bytes.get() + read as u64);
        Ok(read)
    }
}
