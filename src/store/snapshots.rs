//! Snapshots of record graphs for feed pages, one N-Triples file per record beside the
//! store (`feed-snapshots/{id}.nt`).
//!
//! Why: reading a record graph from Oxigraph turns every term id of every quad back into
//! its string with a RocksDB point read (profiled: 70 % of a feed page's time). A snapshot
//! is one file read and a parse. It is a cache, never the truth: its first line names the
//! version it holds (the record's `dct:modified` in ms), and it is used only when that is
//! the version the feed's order knows. Records written through records get a new version;
//! writes that bypass records (SPARQL Update, `load --graph`) drop every snapshot, under a
//! lock that keeps a page from writing back one it read before the write.

use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{NamedNode, Quad};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock, RwLockWriteGuard};

/// The last line of a complete snapshot: a file cut short by a crash is not one.
const END: &[u8] = b"# end\n";

/// The snapshot directory and the lock between page readers and bypassing writers.
#[derive(Debug)]
pub(super) struct Snapshots {
    dir: PathBuf,
    /// Readers hold it while they read a record and write its snapshot; a bypassing write
    /// holds it exclusively until it has committed and dropped every snapshot.
    guard: RwLock<()>,
    /// Set when old snapshots could not be removed: none is used again in this process.
    disabled: AtomicBool,
}

impl Snapshots {
    pub(super) fn new(data_dir: &std::path::Path) -> Self {
        Self {
            dir: data_dir.join("feed-snapshots"),
            guard: RwLock::new(()),
            disabled: AtomicBool::new(false),
        }
    }

    fn path(&self, id: &crate::model::RecordId) -> PathBuf {
        self.dir.join(format!("{id}.nt"))
    }

    /// The record graph `graph` at version `modified`: from its snapshot, else from `read`
    /// (a read of the store, returning the version it found), kept as the snapshot when
    /// that is `modified` and no bypassing write is under way.
    pub(super) fn get<E>(
        &self,
        id: &crate::model::RecordId,
        modified: i64,
        graph: &NamedNode,
        read: impl FnOnce() -> Result<(Vec<Quad>, Option<i64>), E>,
    ) -> Result<Vec<Quad>, E> {
        if let Some(quads) = self.read(id, modified, graph) {
            return Ok(quads);
        }
        let Ok(_reading) = self.guard.try_read() else {
            return read().map(|(quads, _)| quads);
        };
        let (quads, version) = read()?;
        if version == Some(modified)
            && !self.disabled.load(Ordering::Acquire)
            && let Err(error) = self.write(id, modified, &quads)
        {
            tracing::debug!(%error, %id, "no feed snapshot written");
        }
        Ok(quads)
    }

    /// The record graph `graph` at version `modified`, if a snapshot of it exists.
    fn read(
        &self,
        id: &crate::model::RecordId,
        modified: i64,
        graph: &NamedNode,
    ) -> Option<Vec<Quad>> {
        if self.disabled.load(Ordering::Acquire) {
            return None;
        }
        let bytes = std::fs::read(self.path(id)).ok()?;
        if !bytes.ends_with(END) {
            return None;
        }
        let newline = bytes.iter().position(|b| *b == b'\n')?;
        let version = std::str::from_utf8(&bytes[..newline]).ok()?;
        if version.strip_prefix("# ")?.parse::<i64>().ok()? != modified {
            return None;
        }
        // Written by us from the store: already valid, no need to check IRIs again.
        RdfParser::from_format(RdfFormat::NTriples)
            .lenient()
            .for_slice(&bytes[newline + 1..])
            .map(|parsed| {
                parsed
                    .ok()
                    .map(|q| Quad::new(q.subject, q.predicate, q.object, graph.clone()))
            })
            .collect()
    }

    fn write(
        &self,
        id: &crate::model::RecordId,
        version: i64,
        quads: &[Quad],
    ) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let mut bytes = format!("# {version}\n").into_bytes();
        let mut serializer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(&mut bytes);
        for quad in quads {
            serializer.serialize_triple(quad.as_ref())?;
        }
        serializer.finish()?;
        bytes.extend_from_slice(END);
        let temporary = self
            .dir
            .join(format!("{id}.nt.{:?}.tmp", std::thread::current().id()));
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(&bytes)?;
        drop(file);
        std::fs::rename(&temporary, self.path(id))
    }

    /// Taken by a write that bypasses records, before it starts; [`Self::drop_all`] after
    /// it commits.
    pub(super) fn exclusive(&self) -> RwLockWriteGuard<'_, ()> {
        self.guard.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets every snapshot: the directory is renamed at once and removed in the
    /// background.
    pub(super) fn drop_all(&self, _exclusive: &RwLockWriteGuard<'_, ()>) {
        let old = self
            .dir
            .with_extension(format!("dropped-{}", crate::model::time::now_millis()));
        match std::fs::rename(&self.dir, &old) {
            Ok(()) => {
                std::thread::spawn(move || {
                    let _ = std::fs::remove_dir_all(old);
                });
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                // Never serve a stale snapshot: remove them here if they cannot be moved,
                // and stop using them if that fails too.
                tracing::warn!(%error, "feed snapshots not moved aside; removing them now");
                if let Err(error) = std::fs::remove_dir_all(&self.dir) {
                    tracing::error!(%error, "feed snapshots cannot be removed: not used any more");
                    self.disabled.store(true, Ordering::Release);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RecordId;
    use oxigraph::model::Literal;

    #[test]
    fn a_snapshot_serves_only_its_own_version() {
        let temp = tempfile::tempdir().expect("temp dir");
        let snapshots = Snapshots::new(temp.path());
        let id = RecordId::parse("a").expect("valid id");
        let graph = NamedNode::new_unchecked("http://ex.org/records/a");
        let quad = Quad::new(
            NamedNode::new_unchecked("http://ex.org/datasets/a"),
            NamedNode::new_unchecked("http://purl.org/dc/terms/title"),
            Literal::new_language_tagged_literal_unchecked("Air", "en"),
            graph.clone(),
        );
        let store = || Ok::<_, ()>((vec![quad.clone()], Some(7)));
        let read = snapshots.get(&id, 7, &graph, store).expect("read");
        assert_eq!(read, std::slice::from_ref(&quad));
        assert_eq!(snapshots.read(&id, 7, &graph), Some(vec![quad]));
        assert_eq!(snapshots.read(&id, 8, &graph), None, "another version");
        let exclusive = snapshots.exclusive();
        snapshots.drop_all(&exclusive);
        drop(exclusive);
        assert_eq!(snapshots.read(&id, 7, &graph), None, "dropped");
    }
}
