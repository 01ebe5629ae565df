//! The index's fields and how their text is analysed.
//!
//! Text is indexed once per language it is written in: French with the French stemmer,
//! English with the English one, anything else (or untagged) folded but not stemmed; each
//! also folded to ASCII and lowercased, so that "ecologie" finds "Écologie" and "zone
//! humide" finds "zones humides". A query is analysed by each field's own analyser.

use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenizerManager,
};

/// Bumped whenever the fields or their analysis change: an index of another version is
/// rebuilt from the store.
pub const SCHEMA_VERSION: u32 = 5;

/// The analysers, by the names the fields use.
const FRENCH: &str = "passerelle_fr";
const ENGLISH: &str = "passerelle_en";
const FOLDED: &str = "passerelle_folded";

/// Every field of a dataset's document.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The dataset's record id (the document's key).
    pub id: Field,
    /// Who may find it: `public`, or for a draft `draft` and `draft:{agent IRI}` for each
    /// agent whose editors may see it.
    pub audience: Field,
    /// The dataset's IRI.
    pub iri: Field,
    /// Titles, descriptions and keywords in French, stemmed as French.
    pub text_fr: Field,
    /// The same in English, stemmed as English.
    pub text_en: Field,
    /// The same in other languages or untagged, folded only.
    pub text_other: Field,
    /// Titles alone (every language, folded): what ranks a match in a title first.
    pub title: Field,
    /// The title words as typed, for completions.
    pub title_words: Field,
    /// The French title (else the English one, else any), folded and lowercased: the
    /// sort by title for French readers.
    pub title_sort: Field,
    /// The same with the English title first, for English readers.
    pub title_sort_en: Field,
    /// Facets: IRIs (or keywords, languages...) as facet paths of one segment.
    pub theme: Field,
    /// The publisher.
    pub publisher: Field,
    /// Formats of the distributions (`dct:format`, else `dcat:mediaType`).
    pub format: Field,
    /// Licences of the dataset and its distributions.
    pub license: Field,
    /// Keywords as written.
    pub keyword: Field,
    /// Languages of the data (`dct:language`).
    pub language: Field,
    /// Where the dataset came from: a harvest source's name, or `local`.
    pub source: Field,
    /// Whether a data paper describes it (`true`/`false`).
    pub has_data_paper: Field,
    /// Whether anyone declared a reuse of it (`true`/`false`).
    pub has_reuses: Field,
    /// How many reuses were declared of it (fast: the "most reused" order).
    pub reuses: Field,
    /// Its metadata quality rating (`excellent`… `bad`), once scored.
    pub band: Field,
    /// Its MQA score in hundredths of a point, -1 before it is scored (fast: the "best
    /// quality" order).
    pub quality: Field,
    /// The data papers that describe it (their IRIs), to index it again when one changes.
    pub papers: Field,
    /// `dct:modified` and `dct:issued` in milliseconds (fast: sorting and ranges).
    pub modified: Field,
    /// When it was first published.
    pub issued: Field,
    /// The start and end of its temporal coverage in milliseconds.
    pub temporal_start: Field,
    /// The end of its temporal coverage.
    pub temporal_end: Field,
    /// Its record's version (`dct:modified` of the record): what the index reflects.
    pub version: Field,
    /// What a result shows, as JSON (title, description, publisher, themes...).
    pub card: Field,
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let facet = FacetOptions::default();
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        iri: builder.add_text_field("iri", STRING | STORED),
        audience: builder.add_text_field("audience", STRING),
        text_fr: builder.add_text_field("text_fr", text(FRENCH) | STORED),
        text_en: builder.add_text_field("text_en", text(ENGLISH) | STORED),
        text_other: builder.add_text_field("text_other", text(FOLDED) | STORED),
        title: builder.add_text_field("title", text(FOLDED)),
        title_words: builder.add_text_field("title_words", text(FOLDED)),
        title_sort: builder.add_text_field("title_sort", STRING | FAST),
        title_sort_en: builder.add_text_field("title_sort_en", STRING | FAST),
        theme: builder.add_facet_field("theme", facet.clone()),
        publisher: builder.add_facet_field("publisher", facet.clone()),
        format: builder.add_facet_field("format", facet.clone()),
        license: builder.add_facet_field("license", facet.clone()),
        keyword: builder.add_facet_field("keyword", facet.clone()),
        language: builder.add_facet_field("language", facet.clone()),
        source: builder.add_facet_field("source", facet.clone()),
        has_data_paper: builder.add_facet_field("has_data_paper", facet.clone()),
        has_reuses: builder.add_facet_field("has_reuses", facet.clone()),
        reuses: builder.add_i64_field("reuses", FAST | STORED),
        band: builder.add_facet_field("band", facet.clone()),
        quality: builder.add_i64_field("quality", FAST | STORED),
        papers: builder.add_facet_field("papers", facet),
        modified: builder.add_i64_field("modified", INDEXED | FAST | STORED),
        issued: builder.add_i64_field("issued", INDEXED | FAST | STORED),
        temporal_start: builder.add_i64_field("temporal_start", INDEXED | FAST),
        temporal_end: builder.add_i64_field("temporal_end", INDEXED | FAST),
        version: builder.add_i64_field("version", FAST | STORED),
        card: builder.add_text_field("card", STORED),
    };
    (builder.build(), fields)
}

/// Registers the analysers the fields name.
pub fn register_analyzers(tokenizers: &TokenizerManager) {
    tokenizers.register(FRENCH, stemmed(Language::French));
    tokenizers.register(ENGLISH, stemmed(Language::English));
    tokenizers.register(FOLDED, folded());
}

/// Words lowercased and folded, not stemmed: other languages, titles, completions.
pub fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Words lowercased, stemmed in `language` (the stemmers know accents), then folded.
fn stemmed(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(Stemmer::new(language))
        .filter(AsciiFoldingFilter)
        .build()
}

/// `text` as the title sort compares it: lowercased, accents folded.
pub fn sort_key(text: &str) -> String {
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while let Some(token) = stream.next() {
        words.push(token.text.clone());
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysed(name: &str, text: &str) -> Vec<String> {
        let manager = TokenizerManager::default();
        register_analyzers(&manager);
        let Some(mut analyzer) = manager.get(name) else {
            panic!("{name} is registered");
        };
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn french_words_meet_across_accents_case_and_plurals() {
        assert_eq!(analysed(FRENCH, "Écologie"), analysed(FRENCH, "ecologie"));
        assert_eq!(
            analysed(FRENCH, "zones humides"),
            analysed(FRENCH, "zone humide")
        );
        assert_ne!(analysed(FRENCH, "zone"), analysed(FRENCH, "humide"));
    }

    #[test]
    fn english_words_meet_across_plurals_and_other_text_is_only_folded() {
        assert_eq!(analysed(ENGLISH, "Wetlands"), analysed(ENGLISH, "wetland"));
        assert_eq!(analysed(FOLDED, "Straße Ökologie"), ["strasse", "okologie"]);
        assert_eq!(sort_key("  Éléphants, d'Afrique"), "elephants d afrique");
    }
}
