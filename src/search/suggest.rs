//! Title completions for a search box: the titles whose words begin with what was typed
//! (the last word a prefix), accents and case folded.

use super::document::Card;
use super::{SearchError, SearchIndex};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, PhrasePrefixQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

/// The most completions an answer gives.
pub const MAX_SUGGESTIONS: usize = 10;

impl SearchIndex {
    /// Up to `limit` datasets whose titles hold the words of `typed`, the last one begun.
    pub fn suggest(&self, typed: &str, limit: usize) -> Result<Vec<Card>, SearchError> {
        let inner = &self.inner;
        let mut analyzer = inner.folded.clone();
        let mut stream = analyzer.token_stream(typed);
        let mut terms = Vec::new();
        while let Some(token) = stream.next() {
            terms.push(Term::from_field_text(inner.fields.title_words, &token.text));
        }
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        // Published datasets only: completions are offered to anyone typing.
        let public = Term::from_field_text(inner.fields.audience, super::document::PUBLIC);
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(PhrasePrefixQuery::new(terms)) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(public, IndexRecordOption::Basic)),
                    0.0,
                )),
            ),
        ]);
        let searcher = inner.reader.searcher();
        let top = TopDocs::with_limit(limit.clamp(1, MAX_SUGGESTIONS)).order_by_score();
        let mut cards = Vec::new();
        for (_, address) in searcher.search(&query, &top)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            cards.extend(super::answer::card_of(&doc, &inner.fields));
        }
        Ok(cards)
    }
}
