//! Records name our application profile (`{base}shapes`) with `dct:conformsTo`. Stores
//! written before that named the DCAT-AP 3.0.1 release itself; opening one brings its
//! records and tombstones up to date (a profile of DCAT-AP says more: its shapes are
//! ours, and it names DCAT-AP as what it narrows).

use super::{CatalogStore, StoreError};
use crate::model::vocab::{DCAT_AP_PROFILE, dct};
use crate::model::{RecordId, ResourceKind};
use oxigraph::model::{NamedOrBlankNode, Quad, TermRef};

impl CatalogStore {
    /// Makes every catalog record that names DCAT-AP 3.0.1 name our profile instead;
    /// how many it changed. Snapshots of record graphs are dropped if any changed.
    pub(super) fn name_our_profile(&self) -> Result<usize, StoreError> {
        let profile = self.base.profile();
        let named: Vec<Quad> = self
            .store
            .quads_for_pattern(
                None,
                Some(dct::CONFORMS_TO),
                Some(TermRef::NamedNode(DCAT_AP_PROFILE)),
                None,
            )
            .filter(|quad| quad.as_ref().map_or(true, |q| self.is_record(&q.subject)))
            .collect::<Result<_, _>>()?;
        if named.is_empty() {
            return Ok(0);
        }
        let _writer = self.write_lock();
        let exclusive = self.snapshots.exclusive();
        let mut transaction = self.store.start_transaction()?;
        for quad in &named {
            transaction.remove(quad);
            transaction.insert(&Quad::new(
                quad.subject.clone(),
                dct::CONFORMS_TO,
                profile.clone(),
                quad.graph_name.clone(),
            ));
        }
        self.commit(transaction)?;
        self.snapshots.drop_all(&exclusive);
        tracing::info!(
            records = named.len(),
            "catalog records now name our profile"
        );
        Ok(named.len())
    }

    /// Whether `subject` is one of our catalog records (not a harvested dataset that names
    /// DCAT-AP for itself).
    fn is_record(&self, subject: &NamedOrBlankNode) -> bool {
        let NamedOrBlankNode::NamedNode(subject) = subject else {
            return false;
        };
        let base = &self.base;
        base.local_id(ResourceKind::Record, subject.as_str())
            .is_some_and(|id: RecordId| base.record_graph(&id) == *subject)
    }
}
