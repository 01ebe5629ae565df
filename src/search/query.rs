//! A search as asked (words, filters, order, page) and the tantivy queries it makes.

use super::document::{DRAFT, PUBLIC, facet};
use super::schema::Fields;
use std::collections::BTreeMap;
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

/// The facets a search counts and filters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FacetKind {
    /// `dcat:theme`.
    Theme,
    /// `dct:publisher`.
    Publisher,
    /// The distributions' formats.
    Format,
    /// Licences.
    License,
    /// `dcat:keyword`.
    Keyword,
    /// `dct:language`.
    Language,
    /// The harvest source, or `local`.
    Source,
    /// The metadata quality rating (`excellent`, `good`, `sufficient`, `bad`).
    Band,
}

impl FacetKind {
    /// Every facet, in the order answers list them.
    pub const ALL: [Self; 8] = [
        Self::Theme,
        Self::Publisher,
        Self::Format,
        Self::License,
        Self::Keyword,
        Self::Language,
        Self::Source,
        Self::Band,
    ];

    /// Its name in URLs and answers.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Theme => "theme",
            Self::Publisher => "publisher",
            Self::Format => "format",
            Self::License => "license",
            Self::Keyword => "keyword",
            Self::Language => "language",
            Self::Source => "source",
            Self::Band => "band",
        }
    }

    /// The facet named `name`.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// Its field.
    pub const fn field(self, fields: &Fields) -> Field {
        match self {
            Self::Theme => fields.theme,
            Self::Publisher => fields.publisher,
            Self::Format => fields.format,
            Self::License => fields.license,
            Self::Keyword => fields.keyword,
            Self::Language => fields.language,
            Self::Source => fields.source,
            Self::Band => fields.band,
        }
    }
}

/// The order of results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (the default with words).
    Relevance,
    /// Most recently modified first (the default without words).
    Modified,
    /// By title, A to Z.
    Title,
    /// Most recently issued first.
    Issued,
    /// Most reused first.
    Reuses,
    /// Best metadata quality first.
    Quality,
}

impl Sort {
    /// Its name in URLs.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::Modified => "modified",
            Self::Title => "title",
            Self::Issued => "issued",
            Self::Reuses => "reuses",
            Self::Quality => "quality",
        }
    }

    /// The order named `name`.
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "relevance" => Some(Self::Relevance),
            "modified" => Some(Self::Modified),
            "title" => Some(Self::Title),
            "issued" => Some(Self::Issued),
            "reuses" => Some(Self::Reuses),
            "quality" => Some(Self::Quality),
            _ => None,
        }
    }
}

/// Who searches: what they may find beside published datasets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Audience {
    /// Anyone: published datasets only.
    #[default]
    Public,
    /// An administrator: every draft too.
    Administrator,
    /// An editor: the drafts of these agents (publisher IRIs) too.
    Editor(Vec<String>),
}

impl Audience {
    /// The query of what this audience may find.
    fn query(&self, fields: &Fields) -> Box<dyn Query> {
        let audience = |value: &str| term(Term::from_field_text(fields.audience, value));
        let mut any: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, audience(PUBLIC))];
        match self {
            Self::Public => return audience(PUBLIC),
            Self::Administrator => any.push((Occur::Should, audience(DRAFT))),
            Self::Editor(agents) => any.extend(
                agents
                    .iter()
                    .map(|agent| (Occur::Should, audience(&format!("{DRAFT}:{agent}")))),
            ),
        }
        Box::new(BooleanQuery::new(any))
    }
}

/// A search: every part optional but the page.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// Who asks: drafts are found by those who may write them only.
    pub audience: Audience,
    /// Whether titles are read in English (the sort by title follows them), else French.
    pub english: bool,
    /// The words typed, with `"phrases"` and `-exclusions`.
    pub words: String,
    /// Facet filters: several values of one facet are OR, different facets AND.
    pub filters: BTreeMap<FacetKind, Vec<String>>,
    /// Only datasets a data paper describes (or only those none does).
    pub has_data_paper: Option<bool>,
    /// Only datasets someone declared a reuse of (or only those nobody did).
    pub has_reuses: Option<bool>,
    /// Modified at or after (milliseconds).
    pub modified_since: Option<i64>,
    /// Modified before (milliseconds).
    pub modified_before: Option<i64>,
    /// A period its temporal coverage must overlap (milliseconds, inclusive).
    pub temporal: Option<(i64, i64)>,
    /// The order; `None`: relevance with words, else modification.
    pub sort: Option<Sort>,
    /// The page, from 1.
    pub page: usize,
    /// Results per page.
    pub page_size: usize,
}

impl SearchRequest {
    /// The order results come in.
    pub fn order(&self) -> Sort {
        self.sort.unwrap_or(if self.words.trim().is_empty() {
            Sort::Modified
        } else {
            Sort::Relevance
        })
    }

    /// What every facet's counts and the results share: the words, dates and data papers.
    pub fn base(&self, fields: &Fields, parser: &QueryParser) -> Vec<Box<dyn Query>> {
        // Who may find what filters, and must not weigh: a draft's rare audience term would
        // rank drafts above better matches.
        let audience: Box<dyn Query> =
            Box::new(ConstScoreQuery::new(self.audience.query(fields), 0.0));
        let mut must: Vec<Box<dyn Query>> = vec![audience];
        let words = plain_words(&self.words);
        if !words.trim().is_empty() {
            // Any text is searched: what the grammar cannot read is read as plain words.
            let (query, _errors) = parser.parse_query_lenient(&words);
            must.push(query);
        }
        if let Some(wanted) = self.has_data_paper {
            let value = if wanted { "true" } else { "false" };
            must.push(term(Term::from_facet(fields.has_data_paper, &facet(value))));
        }
        if let Some(wanted) = self.has_reuses {
            let value = if wanted { "true" } else { "false" };
            must.push(term(Term::from_facet(fields.has_reuses, &facet(value))));
        }
        if self.modified_since.is_some() || self.modified_before.is_some() {
            must.push(range(
                fields.modified,
                self.modified_since
                    .map_or(Bound::Unbounded, Bound::Included),
                self.modified_before
                    .map_or(Bound::Unbounded, Bound::Excluded),
            ));
        }
        if let Some((from, to)) = self.temporal {
            // Overlap: it starts before the period ends and ends after it starts (an open
            // end or start is indexed as the far future or past).
            must.push(range(
                fields.temporal_start,
                Bound::Unbounded,
                Bound::Included(to),
            ));
            must.push(range(
                fields.temporal_end,
                Bound::Included(from),
                Bound::Unbounded,
            ));
        }
        must
    }

    /// The query of the results, or of a facet's counts (`except` its own filter: facet
    /// counts are disjunctive, as udata and CKAN show them).
    pub fn query(
        &self,
        fields: &Fields,
        parser: &QueryParser,
        except: Option<FacetKind>,
    ) -> Box<dyn Query> {
        let mut must = self.base(fields, parser);
        for (kind, values) in &self.filters {
            if Some(*kind) == except || values.is_empty() {
                continue;
            }
            let field = kind.field(fields);
            let any: Vec<(Occur, Box<dyn Query>)> = values
                .iter()
                .map(|value| (Occur::Should, term(Term::from_facet(field, &facet(value)))))
                .collect();
            must.push(Box::new(BooleanQuery::new(any)));
        }
        Box::new(BooleanQuery::new(
            must.into_iter().map(|q| (Occur::Must, q)).collect(),
        ))
    }
}

/// `typed` with only the syntax searches promise: words, `"phrases"` and `-exclusions`.
/// The rest of tantivy's grammar (fields, ranges, wildcards, groups, boosts) is turned into
/// spaces: a field named by a user may not exist (`x:*` fails when it runs), and groups
/// nest as deep as they are typed, which the parser follows by recursion.
pub fn plain_words(typed: &str) -> String {
    typed
        .chars()
        .map(|c| match c {
            '"' | '-' => c,
            c if c.is_alphanumeric() || c.is_whitespace() || c == '\'' || c == '.' => c,
            _ => ' ',
        })
        .collect()
}

fn term(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn range(field: Field, from: Bound<i64>, to: Bound<i64>) -> Box<dyn Query> {
    let bound = |b: Bound<i64>| match b {
        Bound::Included(v) => Bound::Included(Term::from_field_i64(field, v)),
        Bound::Excluded(v) => Bound::Excluded(Term::from_field_i64(field, v)),
        Bound::Unbounded => Bound::Unbounded,
    };
    Box::new(RangeQuery::new(bound(from), bound(to)))
}

#[cfg(test)]
mod tests {
    use super::plain_words;

    #[test]
    fn only_words_phrases_and_exclusions_reach_the_parser() {
        let words = plain_words("title:* (a OR b)^2");
        assert_eq!(
            words.split_whitespace().collect::<Vec<_>>(),
            ["title", "a", "OR", "b", "2"]
        );
        assert_eq!(
            plain_words("\"zones humides\" -inventaire"),
            "\"zones humides\" -inventaire"
        );
        assert_eq!(plain_words(&"(".repeat(10_000)).trim(), "");
        assert_eq!(plain_words("l'été à Saint-Malo"), "l'été à Saint-Malo");
    }
}
