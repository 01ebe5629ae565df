//! schema.org JSON-LD: `Dataset` for datasets, `ScholarlyArticle` for data papers, as
//! dataset search engines read them (Google Dataset Search requires `name` and a
//! `description` of 50 to 5000 characters).

use super::work::{Coded, File, Party, Related, Work, WorkKind, pick};
use serde_json::{Map, Value, json};

/// The context every document names; clients map it to schema.org's published context.
pub const CONTEXT: &str = "https://schema.org/";

/// The longest description search engines take.
const DESCRIPTION_LIMIT: usize = 5000;

/// The JSON-LD object for `work`, its text in `language` where it has several.
pub fn object(work: &Work, language: &str) -> Value {
    let mut out = Map::new();
    out.insert("@context".into(), json!(CONTEXT));
    let kind = match work.kind {
        WorkKind::Dataset => "Dataset",
        WorkKind::DataPaper => "ScholarlyArticle",
    };
    out.insert("@type".into(), json!(kind));
    out.insert("@id".into(), json!(work.iri));
    out.insert("url".into(), json!(work.page));
    insert_texts(&mut out, work, language);
    out.insert("identifier".into(), json!(identifiers(work)));
    if let Some(doi) = &work.doi {
        out.insert("sameAs".into(), json!(format!("https://doi.org/{doi}")));
    }
    if !work.creators.is_empty() {
        let key = match work.kind {
            WorkKind::Dataset => "creator",
            WorkKind::DataPaper => "author",
        };
        let people: Vec<Value> = work.creators.iter().map(|p| party(p, language)).collect();
        out.insert(key.into(), json!(people));
    }
    if let Some(publisher) = &work.publisher {
        out.insert("publisher".into(), party(publisher, language));
    }
    insert_dates(&mut out, work);
    if let Some(license) = &work.license {
        out.insert("license".into(), json!(license.iri));
    }
    if !work.languages.is_empty() {
        out.insert("inLanguage".into(), json!(work.languages));
    }
    match work.kind {
        WorkKind::Dataset => insert_dataset(&mut out, work, language),
        WorkKind::DataPaper => insert_article(&mut out, work, language),
    }
    Value::Object(out)
}

/// `name`, `description` (or `abstract`) and `keywords`.
fn insert_texts(out: &mut Map<String, Value>, work: &Work, language: &str) {
    let name = work.title(language).to_owned();
    let others: Vec<&str> = work
        .titles
        .iter()
        .map(|t| t.value.as_str())
        .filter(|t| *t != name)
        .collect();
    out.insert("name".into(), json!(name));
    if work.kind == WorkKind::DataPaper {
        out.insert("headline".into(), json!(name));
    }
    if !others.is_empty() {
        out.insert("alternateName".into(), json!(others));
    }
    if let Some(text) = pick(&work.descriptions, language) {
        let key = match work.kind {
            WorkKind::Dataset => "description",
            WorkKind::DataPaper => "abstract",
        };
        out.insert(key.into(), json!(shortened(text, DESCRIPTION_LIMIT)));
        if work.kind == WorkKind::DataPaper {
            out.insert(
                "description".into(),
                json!(shortened(text, DESCRIPTION_LIMIT)),
            );
        }
    }
    let mut keywords: Vec<&str> = work
        .keywords
        .iter()
        .filter(|k| k.language.as_deref().is_none_or(|l| l == language))
        .map(|k| k.value.as_str())
        .collect();
    if keywords.is_empty() {
        keywords = work.keywords.iter().map(|k| k.value.as_str()).collect();
    }
    if !keywords.is_empty() {
        out.insert("keywords".into(), json!(keywords));
    }
}

/// `text` cut to at most `limit` characters at a word, with an ellipsis.
fn shortened(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let cut: String = text.chars().take(limit - 1).collect();
    let at_word = cut
        .rfind(char::is_whitespace)
        .map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end())
}

/// The DOI as a URL first, then the IRI, then other identifiers.
fn identifiers(work: &Work) -> Vec<String> {
    let mut ids = Vec::new();
    if let Some(doi) = &work.doi {
        ids.push(format!("https://doi.org/{doi}"));
    }
    ids.push(work.iri.clone());
    for id in &work.identifiers {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    ids
}

fn insert_dates(out: &mut Map<String, Value>, work: &Work) {
    if let Some(issued) = &work.issued {
        out.insert("datePublished".into(), json!(issued));
    }
    if let Some(modified) = &work.modified {
        out.insert("dateModified".into(), json!(modified));
    }
}

/// A person or organisation with its identifier and affiliations.
fn party(party: &Party, language: &str) -> Value {
    let mut out = Map::new();
    let kind = if party.person {
        "Person"
    } else {
        "Organization"
    };
    out.insert("@type".into(), json!(kind));
    if let Some(iri) = &party.iri {
        out.insert("@id".into(), json!(iri));
    }
    out.insert("name".into(), json!(party.name(language)));
    if let Some(given) = &party.given {
        out.insert("givenName".into(), json!(given));
    }
    if let Some(family) = &party.family {
        out.insert("familyName".into(), json!(family));
    }
    if let Some(id) = party.orcid().or_else(|| party.ror()) {
        out.insert("identifier".into(), json!(id));
    }
    if !party.affiliations.is_empty() {
        let affiliations: Vec<Value> = party
            .affiliations
            .iter()
            .map(|a| self::party(a, language))
            .collect();
        out.insert("affiliation".into(), json!(affiliations));
    }
    Value::Object(out)
}

/// What only datasets have: files, coverage, catalog, papers.
fn insert_dataset(out: &mut Map<String, Value>, work: &Work, language: &str) {
    let files: Vec<Value> = work
        .files
        .iter()
        .filter_map(|f| download(f, language))
        .collect();
    if !files.is_empty() {
        out.insert("distribution".into(), json!(files));
    }
    if let Some((start, end)) = &work.period {
        let start = start.as_deref().unwrap_or("..");
        let end = end.as_deref().unwrap_or("..");
        out.insert("temporalCoverage".into(), json!(format!("{start}/{end}")));
    }
    let places: Vec<Value> = work
        .places
        .iter()
        .filter_map(|place| {
            let mut out = Map::new();
            out.insert("@type".into(), json!("Place"));
            if let Some(iri) = &place.iri {
                out.insert("@id".into(), json!(iri));
            }
            if let Some(name) = pick(&place.names, language) {
                out.insert("name".into(), json!(name));
            }
            if let Some([west, east, south, north]) = place.bbox {
                // schema.org boxes are "south west north east".
                let shape =
                    json!({"@type": "GeoShape", "box": format!("{south} {west} {north} {east}")});
                out.insert("geo".into(), shape);
            }
            (out.len() > 1).then_some(Value::Object(out))
        })
        .collect();
    if !places.is_empty() {
        out.insert("spatialCoverage".into(), json!(places));
    }
    out.insert(
        "includedInDataCatalog".into(),
        json!({"@type": "DataCatalog", "@id": work.catalog.iri, "url": work.catalog.iri,
               "name": work.catalog.label(language)}),
    );
    if let Some(access) = &work.access_rights {
        out.insert(
            "isAccessibleForFree".into(),
            json!(access.iri.ends_with("/PUBLIC")),
        );
    }
    if !work.themes.is_empty() {
        let about: Vec<Value> = work.themes.iter().map(|t| term(t, language)).collect();
        out.insert("about".into(), json!(about));
    }
    if !work.related.is_empty() {
        let papers: Vec<Value> = work
            .related
            .iter()
            .map(|r| related(r, "ScholarlyArticle", language))
            .collect();
        out.insert("citation".into(), json!(papers));
        out.insert("subjectOf".into(), json!(papers));
    }
}

/// What only data papers have: the journal, pages, the datasets they describe.
fn insert_article(out: &mut Map<String, Value>, work: &Work, language: &str) {
    let venue = &work.venue;
    if let Some(journal) = &venue.journal {
        let periodical = json!({"@type": "Periodical", "name": journal});
        let part_of = match &venue.volume {
            Some(volume) => json!({"@type": "PublicationVolume", "volumeNumber": volume,
                                   "isPartOf": periodical}),
            None => periodical,
        };
        out.insert("isPartOf".into(), part_of);
    }
    if let Some(first) = &venue.first_page {
        out.insert("pageStart".into(), json!(first));
    }
    if let Some(last) = &venue.last_page {
        out.insert("pageEnd".into(), json!(last));
    }
    if !work.related.is_empty() {
        let datasets: Vec<Value> = work
            .related
            .iter()
            .map(|r| related(r, "Dataset", language))
            .collect();
        out.insert("about".into(), json!(datasets));
    }
}

/// A distribution with a download URL as a `DataDownload`.
fn download(file: &File, language: &str) -> Option<Value> {
    let url = file.download.as_ref()?;
    let mut out = Map::new();
    out.insert("@type".into(), json!("DataDownload"));
    out.insert("contentUrl".into(), json!(url));
    if let Some(name) = pick(&file.titles, language) {
        out.insert("name".into(), json!(name));
    }
    let format = file
        .media_type
        .clone()
        .or_else(|| file.format.as_ref().map(|f| f.label(language)));
    if let Some(format) = format {
        out.insert("encodingFormat".into(), json!(format));
    }
    if let Some(size) = file.byte_size {
        out.insert("contentSize".into(), json!(format!("{size} B")));
    }
    if let Some(license) = &file.license {
        out.insert("license".into(), json!(license.iri));
    }
    Some(Value::Object(out))
}

/// A coded value as a `DefinedTerm`.
fn term(coded: &Coded, language: &str) -> Value {
    json!({"@type": "DefinedTerm", "@id": coded.iri, "name": coded.label(language)})
}

/// A work at the other end of `cito:describes`.
fn related(related: &Related, kind: &str, language: &str) -> Value {
    let mut out = Map::new();
    out.insert("@type".into(), json!(kind));
    out.insert("@id".into(), json!(related.iri));
    if let Some(title) = pick(&related.titles, language) {
        out.insert("name".into(), json!(title));
    }
    if let Some(doi) = &related.doi {
        out.insert("identifier".into(), json!(format!("https://doi.org/{doi}")));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::shortened;

    #[test]
    fn long_descriptions_are_cut_at_a_word() {
        let text = "word ".repeat(2000);
        let cut = shortened(&text, 5000);
        assert!(cut.chars().count() <= 5000);
        assert!(cut.ends_with("word…"), "{}", &cut[cut.len() - 20..]);
        assert_eq!(shortened("short", 5000), "short");
    }
}
