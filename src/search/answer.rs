//! Running a search: the page of results with snippets, and every facet's counts.

use super::document::{Card, Texts};
use super::query::{FacetKind, SearchRequest, Sort};
use super::schema::Fields;
use super::{SearchError, SearchIndex};
use std::collections::HashMap;
use tantivy::collector::{
    Count, FacetCollector, FacetCounts, FruitHandle, MultiCollector, MultiFruit, TopDocs,
};
use tantivy::query::Query;
use tantivy::schema::{Facet, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument};

/// How many values of each facet an answer lists, most frequent first.
const FACET_VALUES: usize = 50;

/// The longest snippet, in characters.
const SNIPPET_CHARS: usize = 240;

/// One page of results and the facets of all of them.
#[derive(Debug, Clone)]
pub struct SearchPage {
    /// How many datasets match.
    pub total: usize,
    /// The page's results, in order.
    pub hits: Vec<Hit>,
    /// Each facet's values with their counts (disjunctive), most frequent first.
    pub facets: Vec<(FacetKind, Vec<FacetCount>)>,
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    /// What to show of the dataset.
    pub card: Card,
    /// The match's score (with words, in relevance order).
    pub score: Option<f32>,
    /// A passage of its text with the matched words in `<mark>`, HTML-escaped.
    pub snippet: Option<String>,
    /// Its record's version when indexed (what the feed orders it by).
    pub version: i64,
}

/// A facet value and how many results it would have.
#[derive(Debug, Clone, PartialEq)]
pub struct FacetCount {
    /// The IRI or text.
    pub value: String,
    /// Its labels by language, when it has any.
    pub labels: Texts,
    /// The datasets that match the search with every other facet's filters.
    pub count: u64,
}

impl SearchIndex {
    /// Runs `request`.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchPage, SearchError> {
        let inner = &self.inner;
        let searcher = inner.reader.searcher();
        let query = request.query(&inner.fields, &inner.parser, None);
        let filtered = |kind: &FacetKind| request.filters.get(kind).is_some_and(|v| !v.is_empty());
        // One pass counts the results and every facet without a filter of its own (they
        // share the results' query); a facet with one is counted without it, apart.
        let mut shared = MultiCollector::new();
        let count = shared.add_collector(Count);
        let offset = request
            .page
            .saturating_sub(1)
            .saturating_mul(request.page_size);
        // The page of results too: one walk of the postings for all of them. A page past
        // every document is empty (its collector would hold `offset` entries).
        let in_range = u64::try_from(offset).is_ok_and(|o| o < searcher.num_docs());
        let page = in_range.then(|| TopHandle::add(&mut shared, request, offset));
        let mut handles = Vec::new();
        for kind in FacetKind::ALL.into_iter().filter(|k| !filtered(k)) {
            handles.push((kind, shared.add_collector(facet_collector(kind))));
        }
        let mut fruits = searcher.search(&*query, &shared)?;
        let total = count.extract(&mut fruits);
        let found = page.map(|p| p.extract(&mut fruits)).unwrap_or_default();
        let mut counted = HashMap::new();
        for (kind, handle) in handles {
            counted.insert(kind, handle.extract(&mut fruits));
        }
        for kind in FacetKind::ALL.into_iter().filter(filtered) {
            let without = request.query(&inner.fields, &inner.parser, Some(kind));
            counted.insert(kind, searcher.search(&*without, &facet_collector(kind))?);
        }
        let hits = self.hits(&searcher, &*query, request, found)?;
        let facets = FacetKind::ALL
            .into_iter()
            .map(|kind| {
                let values = counted.get(&kind).map(|c| self.facet_values(kind, c));
                (kind, values.unwrap_or_default())
            })
            .collect();
        Ok(SearchPage {
            total,
            hits,
            facets,
        })
    }

    /// The page of results from `offset`, in the request's order.
    fn hits(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        request: &SearchRequest,
        found: Vec<(Option<f32>, DocAddress)>,
    ) -> Result<Vec<Hit>, SearchError> {
        if found.is_empty() {
            return Ok(Vec::new());
        }
        let fields = &self.inner.fields;
        let snippets = if request.words.trim().is_empty() {
            Vec::new()
        } else {
            [fields.text_fr, fields.text_en, fields.text_other]
                .into_iter()
                .filter_map(|field| {
                    let mut generator = SnippetGenerator::create(searcher, query, field).ok()?;
                    generator.set_max_num_chars(SNIPPET_CHARS);
                    Some(generator)
                })
                .collect()
        };
        let mut hits = Vec::with_capacity(found.len());
        for (score, address) in found {
            let doc: TantivyDocument = searcher.doc(address)?;
            let Some(card) = card_of(&doc, fields) else {
                continue;
            };
            let snippet = snippets.iter().find_map(|generator| {
                let snippet = generator.snippet_from_doc(&doc);
                (!snippet.highlighted().is_empty())
                    .then(|| marked(snippet.fragment(), snippet.highlighted()))
            });
            let version = doc
                .get_first(fields.version)
                .and_then(|v| v.as_i64())
                .unwrap_or_default();
            hits.push(Hit {
                card,
                score,
                snippet,
                version,
            });
        }
        Ok(hits)
    }

    /// The values of `kind` in `counts`, most frequent first, with their labels.
    fn facet_values(&self, kind: FacetKind, counts: &FacetCounts) -> Vec<FacetCount> {
        let labels = self
            .inner
            .labels
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        counts
            .top_k(Facet::root(), FACET_VALUES)
            .into_iter()
            .filter_map(|(facet, count)| {
                let value = facet.to_path().into_iter().next()?.to_owned();
                let labels = labels
                    .get(&(kind, value.clone()))
                    .cloned()
                    .unwrap_or_default();
                Some(FacetCount {
                    value,
                    labels,
                    count,
                })
            })
            .collect()
    }
}

/// The page of results from `offset` in the request's order, collected in the same pass
/// as the count and the facets: one handle per kind of order (their fruits differ).
enum TopHandle {
    /// By relevance, with scores.
    Score(FruitHandle<Vec<(f32, DocAddress)>>),
    /// By a date, newest first.
    Date(FruitHandle<Vec<(Option<i64>, DocAddress)>>),
    /// By title.
    Title(FruitHandle<Vec<(Option<String>, DocAddress)>>),
}

impl TopHandle {
    /// Adds to `shared` the collector of the page `request` asks for, from `offset`.
    fn add(shared: &mut MultiCollector<'_>, request: &SearchRequest, offset: usize) -> Self {
        let top = TopDocs::with_limit(request.page_size.max(1)).and_offset(offset);
        match request.order() {
            Sort::Relevance => Self::Score(shared.add_collector(top.order_by_score())),
            Sort::Modified => Self::Date(
                shared.add_collector(top.order_by_fast_field::<i64>("modified", Order::Desc)),
            ),
            Sort::Issued => Self::Date(
                shared.add_collector(top.order_by_fast_field::<i64>("issued", Order::Desc)),
            ),
            Sort::Reuses => Self::Date(
                shared.add_collector(top.order_by_fast_field::<i64>("reuses", Order::Desc)),
            ),
            Sort::Quality => Self::Date(
                shared.add_collector(top.order_by_fast_field::<i64>("quality", Order::Desc)),
            ),
            Sort::Title => Self::Title(shared.add_collector(top.order_by_string_fast_field(
                if request.english {
                    "title_sort_en"
                } else {
                    "title_sort"
                },
                Order::Asc,
            ))),
        }
    }

    /// The page's addresses, with their scores when ranked by relevance.
    fn extract(self, fruits: &mut MultiFruit) -> Vec<(Option<f32>, DocAddress)> {
        match self {
            Self::Score(handle) => handle
                .extract(fruits)
                .into_iter()
                .map(|(score, address)| (Some(score), address))
                .collect(),
            Self::Date(handle) => handle
                .extract(fruits)
                .into_iter()
                .map(|(_, address)| (None, address))
                .collect(),
            Self::Title(handle) => handle
                .extract(fruits)
                .into_iter()
                .map(|(_, address)| (None, address))
                .collect(),
        }
    }
}

/// Counts the values of the facet `kind`, all of them (one segment each).
fn facet_collector(kind: FacetKind) -> FacetCollector {
    let mut collector = FacetCollector::for_field(kind.name());
    collector.add_facet(Facet::root());
    collector
}

/// The card kept in `doc`.
pub(super) fn card_of(doc: &TantivyDocument, fields: &Fields) -> Option<Card> {
    let json = doc.get_first(fields.card)?.as_str()?.to_owned();
    serde_json::from_str(&json).ok()
}

/// `text` HTML-escaped, with the byte ranges `highlighted` in `<mark>`.
fn marked(text: &str, highlighted: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + 16 * highlighted.len());
    let mut from = 0;
    for range in highlighted {
        let (Some(before), Some(word)) = (text.get(from..range.start), text.get(range.clone()))
        else {
            continue;
        };
        escape_into(&mut out, before);
        out.push_str("<mark>");
        escape_into(&mut out, word);
        out.push_str("</mark>");
        from = range.end;
    }
    escape_into(&mut out, text.get(from..).unwrap_or_default());
    out
}

fn escape_into(out: &mut String, text: &str) {
    use std::fmt::Write;
    // Writing into a String cannot fail.
    let _ = write!(out, "{}", minijinja::HtmlEscape(text));
}

#[cfg(test)]
mod tests {
    use super::marked;

    #[test]
    fn snippets_mark_the_words_and_escape_the_rest() {
        assert_eq!(
            marked("a <b> zone & humide", &[(6..10), (13..19)]),
            "a &lt;b&gt; <mark>zone</mark> &amp; <mark>humide</mark>"
        );
    }
}
