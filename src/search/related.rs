//! Datasets whose documents hold what another record says: a publisher's name (an agent
//! record) and whether a data paper describes them (a data paper record). When such a
//! record is written or goes, these datasets are indexed again.

use super::document::facet;
use super::{SearchError, SearchIndex};
use crate::model::vocab::cito;
use crate::model::{RecordId, ResourceKind};
use crate::store::{CatalogStore, Lookups, Records};
use oxigraph::model::Term;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term as IndexTerm};

impl SearchIndex {
    /// The datasets the record `id` (not a dataset) lends something to: those the agent
    /// `id` publishes, those the data paper `id` describes or described.
    pub(super) fn related(
        &self,
        store: &CatalogStore,
        id: &RecordId,
    ) -> Result<Vec<RecordId>, SearchError> {
        let fields = &self.inner.fields;
        let agent = store.base().resource(ResourceKind::Agent, id);
        let paper = store.base().resource(ResourceKind::DataPaper, id);
        let mut related = self.holding(IndexTerm::from_facet(
            fields.publisher,
            &facet(agent.as_str()),
        ))?;
        // The datasets it described (if it changed or went) and those it describes now.
        related.extend(self.holding(IndexTerm::from_facet(fields.papers, &facet(paper.as_str())))?);
        if let Some(described) = store.describe(ResourceKind::DataPaper, id)? {
            for quad in &described.quads {
                if let (true, Term::NamedNode(dataset)) =
                    (quad.predicate == cito::DESCRIBES, &quad.object)
                {
                    related.extend(store.record_id_of(dataset)?);
                }
            }
        }
        related.sort();
        related.dedup();
        Ok(related)
    }

    /// The ids of the documents holding `term`.
    fn holding(&self, term: IndexTerm) -> Result<Vec<RecordId>, SearchError> {
        let searcher = self.inner.reader.searcher();
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let mut ids = Vec::new();
        for address in searcher.search(&query, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = doc
                .get_first(self.inner.fields.id)
                .and_then(|v| v.as_str().map(str::to_owned))
                .and_then(|id| RecordId::parse(&id).ok())
            {
                ids.push(id);
            }
        }
        Ok(ids)
    }
}
