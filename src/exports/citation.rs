//! Citations of a dataset or data paper, in the formats reference managers read: BibTeX,
//! RIS, CSL-JSON (Zotero, citeproc) and a formatted reference (APA-like) in French or
//! English, as DOI content negotiation serves them.

use super::work::{Party, Work, WorkKind};
use serde_json::{Map, Value, json};

/// References list this many authors at most; beyond, the first and "et al.".
const LISTED_AUTHORS: usize = 20;

/// A citation key: the record's id (letters, digits and dashes, which BibTeX accepts).
fn key(work: &Work) -> String {
    let last = work
        .page
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    let key: String = last
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    if key.is_empty() { "record".into() } else { key }
}

/// The URL a reference points to: the DOI's, else the page here.
fn url(work: &Work) -> String {
    match &work.doi {
        Some(doi) => format!("https://doi.org/{doi}"),
        None => work.page.clone(),
    }
}

/// The publisher's name (a paper's journal has its own field).
fn publisher(work: &Work, language: &str) -> String {
    work.publisher
        .as_ref()
        .map(|p| p.name(language))
        .unwrap_or_else(|| work.catalog.label(language))
}

/// `text` on one line: references are line-oriented (RIS) or field-oriented (BibTeX).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A creator as "Family, Given" (or the whole name of an organisation).
fn inverted(party: &Party, language: &str) -> String {
    match (&party.family, &party.given) {
        (Some(family), Some(given)) => format!("{family}, {given}"),
        _ => party.name(language),
    }
}

/// BibTeX: `@article` for a paper, `@misc` for a dataset (as DataCite writes them).
pub fn bibtex(work: &Work, language: &str) -> String {
    let entry = match work.kind {
        WorkKind::Dataset => "misc",
        WorkKind::DataPaper => "article",
    };
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !work.creators.is_empty() {
        let authors: Vec<String> = work
            .creators
            .iter()
            .map(|p| match (&p.family, &p.given) {
                (Some(_), Some(_)) => inverted(p, language),
                // Braces keep an organisation's name whole.
                _ => format!("{{{}}}", bibtex_escape(&p.name(language))),
            })
            .collect();
        fields.push(("author", authors.join(" and ")));
    }
    fields.push(("title", bibtex_escape(work.title(language))));
    if let Some(year) = work.year() {
        fields.push(("year", year.to_owned()));
    }
    match work.kind {
        WorkKind::Dataset => {
            fields.push(("publisher", bibtex_escape(&publisher(work, language))));
            fields.push(("howpublished", "Dataset".into()));
        }
        WorkKind::DataPaper => push_venue_bibtex(work, &mut fields),
    }
    if let Some(doi) = &work.doi {
        fields.push(("doi", bibtex_escape(doi)));
    }
    fields.push(("url", url(work)));
    if !work.keywords.is_empty() {
        let keywords: Vec<&str> = work.keywords.iter().map(|k| k.value.as_str()).collect();
        fields.push(("keywords", bibtex_escape(&keywords.join(", "))));
    }
    let mut out = format!("@{entry}{{{},\n", key(work));
    for (name, value) in fields {
        out.push_str(&format!("  {name} = {{{value}}},\n"));
    }
    out.push_str("}\n");
    out
}

fn push_venue_bibtex(work: &Work, fields: &mut Vec<(&str, String)>) {
    let venue = &work.venue;
    if let Some(journal) = &venue.journal {
        fields.push(("journal", bibtex_escape(journal)));
    }
    if let Some(volume) = &venue.volume {
        fields.push(("volume", bibtex_escape(volume)));
    }
    if let Some(pages) = pages(work, "--") {
        fields.push(("pages", bibtex_escape(&pages)));
    }
}

/// The pages, `first{dash}last` or the first alone (an article number).
fn pages(work: &Work, dash: &str) -> Option<String> {
    let venue = &work.venue;
    match (&venue.first_page, &venue.last_page) {
        (Some(first), Some(last)) => Some(format!("{first}{dash}{last}")),
        (Some(first), None) => Some(first.clone()),
        _ => None,
    }
}

/// Escapes BibTeX's special characters and keeps the value on one line.
fn bibtex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in one_line(text).chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\textbackslash{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c => out.push(c),
        }
    }
    out
}

/// RIS: `DATA` for a dataset, `JOUR` for a paper; CRLF line ends as the format has them.
pub fn ris(work: &Work, language: &str) -> String {
    let mut lines: Vec<(&str, String)> = vec![(
        "TY",
        match work.kind {
            WorkKind::Dataset => "DATA".into(),
            WorkKind::DataPaper => "JOUR".into(),
        },
    )];
    for creator in &work.creators {
        lines.push(("AU", inverted(creator, language)));
    }
    lines.push(("TI", work.title(language).to_owned()));
    if let Some(year) = work.year() {
        lines.push(("PY", year.to_owned()));
    }
    if let Some(issued) = &work.issued {
        lines.push(("DA", issued.get(..10).unwrap_or(issued).replace('-', "/")));
    }
    match work.kind {
        WorkKind::Dataset => lines.push(("PB", publisher(work, language))),
        WorkKind::DataPaper => {
            let venue = &work.venue;
            if let Some(journal) = &venue.journal {
                lines.push(("JO", journal.clone()));
            }
            if let Some(volume) = &venue.volume {
                lines.push(("VL", volume.clone()));
            }
            if let Some(first) = &venue.first_page {
                lines.push(("SP", first.clone()));
            }
            if let Some(last) = &venue.last_page {
                lines.push(("EP", last.clone()));
            }
        }
    }
    if let Some(doi) = &work.doi {
        lines.push(("DO", doi.clone()));
    }
    lines.push(("UR", url(work)));
    if let Some(text) = super::work::pick(&work.descriptions, language) {
        lines.push(("AB", text.to_owned()));
    }
    for keyword in &work.keywords {
        lines.push(("KW", keyword.value.clone()));
    }
    if let Some(code) = work.languages.first() {
        lines.push(("LA", code.clone()));
    }
    let mut out = String::new();
    for (tag, value) in lines {
        out.push_str(&format!("{tag}  - {}\r\n", one_line(&value)));
    }
    out.push_str("ER  - \r\n");
    out
}

/// CSL-JSON: an array of one item, as Zotero and citeproc read it.
pub fn csl_json(work: &Work, language: &str) -> Value {
    let mut item = Map::new();
    item.insert("id".into(), json!(key(work)));
    let kind = match work.kind {
        WorkKind::Dataset => "dataset",
        WorkKind::DataPaper => "article-journal",
    };
    item.insert("type".into(), json!(kind));
    item.insert("title".into(), json!(work.title(language)));
    if !work.creators.is_empty() {
        let authors: Vec<Value> = work
            .creators
            .iter()
            .map(|p| match (&p.family, &p.given) {
                (Some(family), Some(given)) => json!({"family": family, "given": given}),
                _ => json!({"literal": p.name(language)}),
            })
            .collect();
        item.insert("author".into(), json!(authors));
    }
    if let Some(parts) = work.issued.as_deref().and_then(date_parts) {
        item.insert("issued".into(), json!({"date-parts": [parts]}));
    } else if let Some(year) = work.year().and_then(|y| y.parse::<i64>().ok()) {
        item.insert("issued".into(), json!({"date-parts": [[year]]}));
    }
    if let Some(doi) = &work.doi {
        item.insert("DOI".into(), json!(doi));
    }
    item.insert("URL".into(), json!(url(work)));
    if let Some(text) = super::work::pick(&work.descriptions, language) {
        item.insert("abstract".into(), json!(text));
    }
    if !work.keywords.is_empty() {
        let keywords: Vec<&str> = work.keywords.iter().map(|k| k.value.as_str()).collect();
        item.insert("keyword".into(), json!(keywords.join(", ")));
    }
    if let Some(code) = work.languages.first() {
        item.insert("language".into(), json!(code));
    }
    match work.kind {
        WorkKind::Dataset => {
            item.insert("publisher".into(), json!(publisher(work, language)));
        }
        WorkKind::DataPaper => {
            let venue = &work.venue;
            if let Some(journal) = &venue.journal {
                item.insert("container-title".into(), json!(journal));
            }
            if let Some(volume) = &venue.volume {
                item.insert("volume".into(), json!(volume));
            }
            if let Some(pages) = pages(work, "-") {
                item.insert("page".into(), json!(pages));
            }
        }
    }
    json!([Value::Object(item)])
}

/// `[year, month, day]` of an ISO date (or date-time), as far as it goes.
fn date_parts(date: &str) -> Option<Vec<i64>> {
    let date = date.get(..10).unwrap_or(date);
    let parts: Vec<i64> = date
        .split('-')
        .map_while(|part| part.parse().ok())
        .collect();
    (!parts.is_empty() && parts[0] > 0).then_some(parts)
}

/// Words of a formatted reference, per language.
struct Words {
    language: &'static str,
    and: &'static str,
    et_al: &'static str,
    dataset: &'static str,
    updated: &'static str,
}

const ENGLISH: Words = Words {
    language: "en",
    and: "&",
    et_al: "et al.",
    dataset: "Data set",
    updated: "updated",
};

const FRENCH: Words = Words {
    language: "fr",
    and: "et",
    et_al: "et al.",
    dataset: "Jeu de données",
    updated: "mis à jour le",
};

/// A formatted reference (APA-like), in `language` (`fr` or `en`).
pub fn bibliography(work: &Work, language: &str) -> String {
    let words = if language == "fr" { &FRENCH } else { &ENGLISH };
    let mut out = String::new();
    let authors = author_list(work, language, words);
    if !authors.is_empty() {
        out.push_str(&authors);
        // "Le Guen, M." ends with its initial's period; an organisation gets one.
        out.push_str(if authors.ends_with('.') { " " } else { ". " });
    }
    out.push_str(&format!("({}). ", work.year().unwrap_or("s. d.")));
    out.push_str(work.title(language).trim_end_matches('.'));
    match work.kind {
        WorkKind::Dataset => {
            let updated = work
                .modified
                .as_deref()
                .and_then(|date| long_date(date, words))
                .map(|date| format!(", {} {date}", words.updated))
                .unwrap_or_default();
            out.push_str(&format!(" [{}{updated}]. ", words.dataset));
            out.push_str(&format!("{}. ", publisher(work, language)));
        }
        WorkKind::DataPaper => {
            out.push_str(". ");
            let venue = &work.venue;
            if let Some(journal) = &venue.journal {
                out.push_str(journal);
                if let Some(volume) = &venue.volume {
                    out.push_str(&format!(", {volume}"));
                }
                if let Some(pages) = pages(work, "–") {
                    out.push_str(&format!(", {pages}"));
                }
                out.push_str(". ");
            }
        }
    }
    out.push_str(&url(work));
    one_line(&out)
}

/// "Le Guen, M., Caradec, S., & Tanguy, E.", or the first author and "et al." past
/// [`LISTED_AUTHORS`].
fn author_list(work: &Work, language: &str, words: &Words) -> String {
    let names: Vec<String> = work
        .creators
        .iter()
        .map(|p| match (&p.family, &p.given) {
            (Some(family), Some(given)) => format!("{family}, {}", initials(given)),
            _ => p.name(language),
        })
        .collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n if n > LISTED_AUTHORS => format!("{}, {}", names[0], words.et_al),
        n => format!(
            "{}, {} {}",
            names[..n - 1].join(", "),
            words.and,
            names[n - 1]
        ),
    }
}

/// "A.-S." for "Anne-Sophie", "M." for "Maëlle".
fn initials(given: &str) -> String {
    given
        .split_whitespace()
        .map(|word| {
            word.split('-')
                .filter_map(|part| part.chars().next())
                .map(|c| format!("{c}."))
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "9 February 2024" / "9 février 2024" for an ISO date (or date-time); `None` when it is
/// not a whole date.
fn long_date(date: &str, words: &Words) -> Option<String> {
    let day = date.get(..10)?;
    let spoken = crate::model::time::spoken_day(day, words.language);
    (spoken != day).then_some(spoken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_keep_hyphens() {
        assert_eq!(initials("Anne-Sophie"), "A.-S.");
        assert_eq!(initials("Maëlle"), "M.");
        assert_eq!(initials("Jean Paul"), "J. P.");
    }

    #[test]
    fn dates_for_people() {
        assert_eq!(
            long_date("2024-02-09", &FRENCH).as_deref(),
            Some("9 février 2024")
        );
        assert_eq!(
            long_date("2024-02-09T10:00:00Z", &ENGLISH).as_deref(),
            Some("9 February 2024")
        );
        assert_eq!(long_date("2024", &ENGLISH), None);
        assert_eq!(long_date("2024-13-01", &ENGLISH), None);
    }

    #[test]
    fn bibtex_specials_are_escaped() {
        assert_eq!(bibtex_escape("R&D 50% {x}\n_y"), "R\\&D 50\\% \\{x\\} \\_y");
    }
}
