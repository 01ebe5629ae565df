//! A dataset's search document, read from its description as the store gives it (its own
//! triples, its distributions, the labels of what it links to, the papers that describe it).

use super::schema::{Fields, sort_key};
use crate::model::RecordId;
use crate::model::time::{parse_date_time, to_millis};
use crate::model::vocab::{LABELS, cito, dcat, dct};
use crate::store::Description;
use oxigraph::model::{NamedNodeRef, NamedOrBlankNodeRef, Quad, Term, TermRef};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tantivy::TantivyDocument;
use tantivy::schema::Facet;

/// Text by language tag (`""` for untagged).
pub type Texts = BTreeMap<String, String>;

/// A linked resource as a result shows it: its IRI (or a keyword's text) and its labels.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Named {
    /// The IRI, or the value itself for keywords and languages without one.
    pub value: String,
    /// Its labels by language.
    pub labels: Texts,
}

/// What a result shows of a dataset, kept in the index beside the terms.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Card {
    /// The dataset's IRI.
    pub iri: String,
    /// Its record id.
    pub id: String,
    /// Titles by language.
    pub title: Texts,
    /// Descriptions by language.
    pub description: Texts,
    /// The publisher.
    pub publisher: Option<Named>,
    /// Themes.
    pub themes: Vec<Named>,
    /// Formats of its distributions.
    pub formats: Vec<Named>,
    /// Licences.
    pub licenses: Vec<Named>,
    /// Keywords as written.
    pub keywords: Vec<Named>,
    /// Languages of the data.
    pub languages: Vec<Named>,
    /// The harvest source's feed, or `local`.
    pub source: String,
    /// The data papers that describe it (whether any does is a facet).
    #[serde(default)]
    pub papers: Vec<String>,
    /// How many reuses of it were declared.
    #[serde(default)]
    pub reuses: usize,
    /// Its MQA score and rating, once the quality board has scored it.
    #[serde(default)]
    pub quality: Option<(f64, crate::quality::Band)>,
    /// `dct:modified` (milliseconds).
    pub modified: Option<i64>,
    /// `dct:issued` (milliseconds).
    pub issued: Option<i64>,
    /// For a draft, the agents whose editors may find it (empty: published).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub draft_of: Vec<String>,
    /// Whether it is a draft (embargoed or not).
    #[serde(default)]
    pub draft: bool,
}

/// The facet path of one value: a single segment, whatever slashes it holds.
pub fn facet(value: &str) -> Facet {
    Facet::from_path([value])
}

/// The card of the dataset `id` described by `description`.
pub fn card(id: &RecordId, description: &Description) -> Card {
    let quads = &description.quads;
    let topic: NamedOrBlankNodeRef<'_> = description.topic.as_ref().into();
    let objects = |subject, predicate| objects(quads, subject, predicate);
    let distributions: Vec<NamedOrBlankNodeRef<'_>> = objects(topic, dcat::DISTRIBUTION_PROP)
        .filter_map(node)
        .collect();
    let named = |values: &mut dyn Iterator<Item = TermRef<'_>>| -> Vec<Named> {
        let mut out: Vec<Named> = values.filter_map(|v| self::named(quads, v)).collect();
        out.sort_by(|a, b| a.value.cmp(&b.value));
        out.dedup_by(|a, b| a.value == b.value);
        out
    };
    let on_distributions = |predicate| {
        distributions
            .iter()
            .flat_map(move |d| objects(*d, predicate))
            .collect::<Vec<_>>()
    };
    let mut formats = on_distributions(dct::FORMAT);
    if formats.is_empty() {
        formats = on_distributions(dcat::MEDIA_TYPE);
    }
    let mut licenses: Vec<TermRef<'_>> = objects(topic, dct::LICENSE).collect();
    licenses.extend(on_distributions(dct::LICENSE));
    Card {
        iri: description.topic.as_str().to_owned(),
        id: id.as_str().to_owned(),
        title: texts(objects(topic, dct::TITLE)),
        description: texts(objects(topic, dct::DESCRIPTION)),
        publisher: named(&mut objects(topic, dct::PUBLISHER))
            .into_iter()
            .next(),
        themes: named(&mut objects(topic, dcat::THEME)),
        formats: named(&mut formats.into_iter()),
        licenses: named(&mut licenses.into_iter()),
        keywords: named(&mut objects(topic, dcat::KEYWORD)),
        languages: named(&mut objects(topic, dct::LANGUAGE)),
        source: description
            .harvest_feed()
            .unwrap_or_else(|| "local".to_owned()),
        papers: papers(quads, topic),
        modified: objects(topic, dct::MODIFIED).find_map(millis),
        issued: objects(topic, dct::ISSUED).find_map(millis),
        reuses: 0,
        quality: None,
        draft_of: Vec::new(),
        draft: false,
    }
}

/// The data papers that describe `topic`: those it names (`dct:isReferencedBy`) and those
/// that say they describe it (`cito:describes`).
fn papers(quads: &[Quad], topic: NamedOrBlankNodeRef<'_>) -> Vec<String> {
    let mut papers: Vec<String> = objects(quads, topic, dct::IS_REFERENCED_BY)
        .filter_map(|o| match o {
            TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
        .chain(quads.iter().filter_map(|q| match q.subject.as_ref() {
            NamedOrBlankNodeRef::NamedNode(paper)
                if q.predicate == cito::DESCRIBES && q.object.as_ref() == TermRef::from(topic) =>
            {
                Some(paper.as_str().to_owned())
            }
            _ => None,
        }))
        .collect();
    papers.sort();
    papers.dedup();
    papers
}

/// The temporal coverage of the dataset: its earliest start and latest end.
pub fn temporal(description: &Description) -> (Option<i64>, Option<i64>) {
    let topic: NamedOrBlankNodeRef<'_> = description.topic.as_ref().into();
    let periods: Vec<NamedOrBlankNodeRef<'_>> = description
        .quads
        .iter()
        .filter(|q| q.subject.as_ref() == topic && q.predicate == dct::TEMPORAL)
        .filter_map(|q| node(q.object.as_ref()))
        .collect();
    let bound = |predicate| {
        description
            .quads
            .iter()
            .filter(|q| periods.contains(&q.subject.as_ref()) && q.predicate == predicate)
            .filter_map(|q| millis(q.object.as_ref()))
            .collect::<Vec<_>>()
    };
    (
        bound(dcat::START_DATE).into_iter().min(),
        bound(dcat::END_DATE).into_iter().max(),
    )
}

/// The audience of published datasets.
pub const PUBLIC: &str = "public";
/// The audience of every draft (administrators'); `draft:{agent}` is that of an agent's
/// editors.
pub const DRAFT: &str = "draft";

/// The index document of `card`, with its temporal coverage and record version.
pub fn document(
    fields: &Fields,
    card: &Card,
    temporal: (Option<i64>, Option<i64>),
    version: i64,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &card.id);
    doc.add_text(fields.iri, &card.iri);
    if card.draft {
        doc.add_text(fields.audience, DRAFT);
        for owner in &card.draft_of {
            doc.add_text(fields.audience, format!("{DRAFT}:{owner}"));
        }
    } else {
        doc.add_text(fields.audience, PUBLIC);
    }
    add_words(&mut doc, fields, card);
    add_facets(&mut doc, fields, card);
    // A coverage open at one end reaches the far past or future at that end.
    let temporal = match temporal {
        (None, None) => (None, None),
        (start, end) => (
            Some(start.unwrap_or(i64::MIN)),
            Some(end.unwrap_or(i64::MAX)),
        ),
    };
    for (field, value) in [
        (fields.modified, card.modified),
        (fields.issued, card.issued),
        (fields.temporal_start, temporal.0),
        (fields.temporal_end, temporal.1),
    ] {
        if let Some(value) = value {
            doc.add_i64(field, value);
        }
    }
    doc.add_i64(fields.version, version);
    doc.add_i64(
        fields.reuses,
        i64::try_from(card.reuses).unwrap_or(i64::MAX),
    );
    doc.add_i64(fields.quality, quality_key(card.quality));
    doc.add_text(fields.card, serde_json::to_string(card).unwrap_or_default());
    doc
}

/// The card's words, each in the field of its language, and its titles.
fn add_words(doc: &mut TantivyDocument, fields: &Fields, card: &Card) {
    let keywords = card
        .keywords
        .iter()
        .map(|k| (String::new(), k.value.as_str()));
    let words = card
        .title
        .iter()
        .chain(&card.description)
        .map(|(l, t)| (l.clone(), t.as_str()))
        .chain(keywords);
    for (language, text) in words {
        let field = match language.split('-').next().unwrap_or_default() {
            "fr" => fields.text_fr,
            "en" => fields.text_en,
            _ => fields.text_other,
        };
        doc.add_text(field, text);
    }
    for title in card.title.values() {
        doc.add_text(fields.title, title);
        doc.add_text(fields.title_words, title);
    }
    // Sorted by the title in the reader's language, else the other one, else any.
    let first_title = |languages: [&str; 3]| {
        languages
            .iter()
            .find_map(|l| card.title.get(*l))
            .or_else(|| card.title.values().next())
            .map_or("", String::as_str)
    };
    doc.add_text(fields.title_sort, sort_key(first_title(["fr", "en", ""])));
    doc.add_text(
        fields.title_sort_en,
        sort_key(first_title(["en", "fr", ""])),
    );
}

/// The card's facet values.
fn add_facets(doc: &mut TantivyDocument, fields: &Fields, card: &Card) {
    let facets = [
        (fields.theme, &card.themes),
        (fields.format, &card.formats),
        (fields.license, &card.licenses),
        (fields.keyword, &card.keywords),
        (fields.language, &card.languages),
    ];
    for (field, values) in facets {
        for value in values {
            doc.add_facet(field, facet(&value.value));
        }
    }
    if let Some(publisher) = &card.publisher {
        doc.add_facet(fields.publisher, facet(&publisher.value));
    }
    doc.add_facet(fields.source, facet(&card.source));
    doc.add_facet(
        fields.has_data_paper,
        facet(if card.papers.is_empty() {
            "false"
        } else {
            "true"
        }),
    );
    for paper in &card.papers {
        doc.add_facet(fields.papers, facet(paper));
    }
    doc.add_facet(
        fields.has_reuses,
        facet(if card.reuses == 0 { "false" } else { "true" }),
    );
    if let Some((_, band)) = card.quality {
        doc.add_facet(fields.band, facet(band.word()));
    }
}

/// A score as the index holds it: hundredths of a point, -1 before it is scored (last in
/// the "best quality" order).
pub fn quality_key(quality: Option<(f64, crate::quality::Band)>) -> i64 {
    quality.map_or(-1, |(score, _)| (score * 100.0).round() as i64)
}

/// The objects of `subject`'s `predicate` in `quads`.
fn objects<'a>(
    quads: &'a [Quad],
    subject: NamedOrBlankNodeRef<'a>,
    predicate: NamedNodeRef<'a>,
) -> impl Iterator<Item = TermRef<'a>> + 'a {
    quads
        .iter()
        .filter(move |q| q.subject.as_ref() == subject && q.predicate == predicate)
        .map(|q| q.object.as_ref())
}

/// `value` as a named resource: an IRI with its labels, or a literal's text.
fn named(quads: &[Quad], value: TermRef<'_>) -> Option<Named> {
    match value {
        TermRef::NamedNode(iri) => {
            let subject: NamedOrBlankNodeRef<'_> = iri.into();
            let mut labels = Texts::new();
            // The best label predicate first: a language keeps the first label it gets.
            for predicate in LABELS {
                for quad in quads
                    .iter()
                    .filter(|q| q.subject.as_ref() == subject && q.predicate == predicate)
                {
                    if let Term::Literal(label) = &quad.object {
                        let language = label.language().unwrap_or_default().to_owned();
                        labels
                            .entry(language)
                            .or_insert_with(|| label.value().to_owned());
                    }
                }
            }
            Some(Named {
                value: iri.as_str().to_owned(),
                labels,
            })
        }
        TermRef::Literal(literal) => Some(Named {
            value: literal.value().to_owned(),
            labels: Texts::new(),
        }),
        _ => None,
    }
}

/// Literals by language; the first of each language wins.
fn texts<'a>(values: impl Iterator<Item = TermRef<'a>>) -> Texts {
    let mut out = Texts::new();
    for value in values {
        if let TermRef::Literal(literal) = value {
            out.entry(literal.language().unwrap_or_default().to_owned())
                .or_insert_with(|| literal.value().to_owned());
        }
    }
    out
}

/// A date or date-time literal in milliseconds.
fn millis(term: TermRef<'_>) -> Option<i64> {
    parse_date_time(term).map(to_millis)
}

/// A term that can be a subject.
fn node(term: TermRef<'_>) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}
