//! The search page: the JSON answer of `{base}search` shown to people. Every control is a
//! link or a plain GET form, so the page works without JavaScript: a facet value is a
//! link that adds or removes its filter, an active filter is a link without it, the sort
//! is a form that sends the other parameters again.

use super::{Frame, PageError, Pages, dated};
use serde_json::{Value, json};

/// Facet values shown before the rest fold under "more".
const SHOWN_VALUES: usize = 8;
/// The facets, in the order the page lists them.
const FACETS: [&str; 8] = [
    "theme",
    "publisher",
    "format",
    "license",
    "keyword",
    "language",
    "source",
    "band",
];
/// The parameters of the dates' form (which sends the others again).
const DATES: [&str; 2] = ["temporal", "modified_since"];
/// Parameters a link to another page of results or another filter keeps: all but these
/// (`lang` is remembered by its cookie), and `format=json`.
const NOT_KEPT: [&str; 2] = ["page", "lang"];

/// What the search page shows.
pub struct SearchView<'a> {
    /// The JSON answer (localised labels, escaped snippets).
    pub answer: &'a Value,
    /// The parameters asked, in order, as decoded.
    pub asked: &'a [(String, String)],
    /// The order results came in (`relevance`, `modified`...).
    pub sort: &'a str,
    /// The last page.
    pub last: usize,
}

/// `{base}datasets/{id}`: our page of a dataset (also a harvested one's).
pub fn dataset_page(base: &str, id: &str) -> String {
    format!("{base}datasets/{id}")
}

/// `{base}search` with `pairs` as its parameters.
pub fn search_link(base: &str, pairs: &[(&str, &str)]) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    if query.is_empty() {
        format!("{base}search")
    } else {
        format!("{base}search?{query}")
    }
}

impl Pages {
    /// The search page.
    pub fn search(&self, view: &SearchView<'_>, frame: &Frame<'_>) -> Result<String, PageError> {
        let t = super::messages(frame.language);
        let answer = view.answer;
        let kept: Vec<(&str, &str)> = view
            .asked
            .iter()
            .filter(|(name, value)| {
                !(NOT_KEPT.contains(&name.as_str()) || (name == "format" && value == "json"))
            })
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let words = kept.iter().find(|(n, _)| *n == "q").map_or("", |(_, v)| *v);
        let facets: Vec<Value> = FACETS
            .iter()
            .filter_map(|name| facet(answer, name, &kept, frame.base, t))
            .collect();
        let page = answer["page"].as_u64().unwrap_or(1);
        let title = match words.trim() {
            "" => t
                .get("search_title")
                .copied()
                .unwrap_or_default()
                .to_owned(),
            words => {
                let say = |key: &str| t.get(key).copied().unwrap_or_default();
                format!(
                    "{} {}{words}{}",
                    say("search_results_for"),
                    say("quote_open"),
                    say("quote_close")
                )
            }
        };
        self.render(
            "search.html",
            frame,
            json!({
                "title": title,
                "q": words,
                "total": answer["total"],
                "page": page,
                "last": view.last,
                "results": results(answer, frame.base, frame.language),
                "facets": facets,
                "active": active(answer, &kept, frame.base, t),
                "clear": search_link(frame.base, &[]),
                "hidden": hidden(&kept, &["q"]),
                "dates_hidden": hidden(&kept, &DATES),
                "temporal": kept.iter().find(|(n, _)| *n == "temporal").map(|(_, v)| *v),
                "modified_since": kept.iter().find(|(n, _)| *n == "modified_since").map(|(_, v)| *v),
                "sort_hidden": hidden(&kept, &["sort"]),
                "sort": view.sort,
                "sorts": ["relevance", "modified", "title", "issued", "reuses", "quality"],
                "pages": pages(page as usize, view.last, &kept, frame.base),
                "has_data_paper": data_paper_link(&kept, frame.base, t),
                "has_reuses": reuses_link(&kept, frame.base, t),
                "formats": [],
            }),
        )
    }
}

impl Pages {
    /// The search page for a search that cannot be run: what is wrong, and the box.
    pub fn search_problem(
        &self,
        words: &str,
        problem: &str,
        frame: &Frame<'_>,
    ) -> Result<String, PageError> {
        let title = super::messages(frame.language)
            .get("search_title")
            .copied()
            .unwrap_or_default();
        self.render(
            "search.html",
            frame,
            json!({ "title": title, "q": words, "problem": problem, "formats": [] }),
        )
    }
}

/// The parameters a form sends again as hidden fields: all kept but those it asks itself.
fn hidden(kept: &[(&str, &str)], asked: &[&str]) -> Vec<Value> {
    kept.iter()
        .filter(|(name, _)| !asked.contains(name))
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect()
}

/// The results as cards, linking to our page of each dataset.
fn results(answer: &Value, base: &str, language: &str) -> Vec<Value> {
    let labels = |values: &Value| -> Vec<Value> {
        values
            .as_array()
            .map(|all| all.iter().map(|v| v["label"].clone()).collect())
            .unwrap_or_default()
    };
    answer["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .map(|r| {
                    json!({
                        "href": dataset_page(base, r["id"].as_str().unwrap_or_default()),
                        "title": r["title"],
                        "draft": r["status"] == "draft",
                        // Escaped by the search, with its matched words in <mark>.
                        "snippet": r["description"],
                        "publisher": r["publisher"]["label"],
                        "themes": labels(&r["themes"]),
                        "formats": labels(&r["formats"]),
                        "modified": dated(r["modified"].as_str(), language),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `pairs` holds `name=value`.
fn holds(pairs: &[(&str, &str)], name: &str, value: &str) -> bool {
    pairs.iter().any(|(n, v)| *n == name && *v == value)
}

/// `pairs` with `name=value` added, or removed when there.
fn toggled<'a>(
    pairs: &[(&'a str, &'a str)],
    name: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    if holds(pairs, name, value) {
        pairs
            .iter()
            .filter(|(n, v)| !(*n == name && *v == value))
            .copied()
            .collect()
    } else {
        let mut out = pairs.to_vec();
        out.push((name, value));
        out
    }
}

type Messages = std::collections::BTreeMap<&'static str, &'static str>;

/// One facet: its values with their counts, each a link that ticks or unticks it. The
/// values filtered by come first, even when the counts left them out.
fn facet(
    answer: &Value,
    name: &'static str,
    kept: &[(&str, &str)],
    base: &str,
    t: &Messages,
) -> Option<Value> {
    let counted = answer["facets"][name].as_array()?;
    let mut values: Vec<Value> = Vec::new();
    for (_, value) in kept.iter().filter(|(n, _)| *n == name) {
        let count = counted.iter().find(|c| c["value"] == *value);
        values.push(json!({
            "label": count.map_or(json!(label_of(name, value, t)), |c| c["label"].clone()),
            "count": count.map_or(json!(0), |c| c["count"].clone()),
            "active": true,
            "href": search_link(base, &toggled(kept, name, value)),
        }));
    }
    for count in counted {
        let value = count["value"].as_str().unwrap_or_default();
        if holds(kept, name, value) {
            continue;
        }
        let label = match (name, value) {
            ("source", "local") | ("band", _) => json!(label_of(name, value, t)),
            _ => count["label"].clone(),
        };
        values.push(json!({
            "label": label,
            "count": count["count"],
            "active": false,
            "href": search_link(base, &toggled(kept, name, value)),
        }));
    }
    if values.is_empty() {
        return None;
    }
    let rest = values.split_off(values.len().min(SHOWN_VALUES));
    Some(json!({
        "name": name,
        "heading": t.get(format!("facet_{name}").as_str()),
        "values": values,
        "more": rest,
    }))
}

/// What a filter value reads as when no count names it.
fn label_of(name: &str, value: &str, t: &Messages) -> String {
    match (name, value) {
        ("source", "local") => t.get("source_local").copied().unwrap_or(value).to_owned(),
        ("band", band) => t
            .get(format!("band_{band}").as_str())
            .copied()
            .unwrap_or(value)
            .to_owned(),
        ("has_data_paper", "true") => t
            .get("with_data_paper")
            .copied()
            .unwrap_or(value)
            .to_owned(),
        ("has_data_paper", _) => t
            .get("without_data_paper")
            .copied()
            .unwrap_or(value)
            .to_owned(),
        ("has_reuses", "true") => t.get("with_reuses").copied().unwrap_or(value).to_owned(),
        ("has_reuses", _) => t.get("without_reuses").copied().unwrap_or(value).to_owned(),
        _ => value.to_owned(),
    }
}

/// Every filter in force, each with the link that removes it. Words are one too.
fn active(answer: &Value, kept: &[(&str, &str)], base: &str, t: &Messages) -> Vec<Value> {
    kept.iter()
        .filter(|(name, value)| *name != "sort" && !value.trim().is_empty())
        .map(|(name, value)| {
            // A rating's words are the page's, not the index's.
            let counted = answer["facets"][*name]
                .as_array()
                .and_then(|counts| counts.iter().find(|c| c["value"] == *value))
                .and_then(|c| c["label"].as_str())
                .filter(|_| *name != "band");
            let label = counted.map_or_else(|| label_of(name, value, t), str::to_owned);
            let heading = match *name {
                "q" => t.get("facet_words").copied(),
                other => t.get(format!("facet_{other}").as_str()).copied(),
            };
            json!({
                "facet": heading.unwrap_or(name),
                "label": label,
                "href": search_link(base, &toggled(kept, name, value)),
            })
        })
        .collect()
}

/// The link that keeps only datasets someone reused (or undoes it).
fn reuses_link(kept: &[(&str, &str)], base: &str, t: &Messages) -> Value {
    json!({
        "label": t.get("with_reuses"),
        "active": holds(kept, "has_reuses", "true"),
        "href": search_link(base, &toggled(kept, "has_reuses", "true")),
    })
}

/// The link that keeps only datasets a data paper describes (or undoes it).
fn data_paper_link(kept: &[(&str, &str)], base: &str, t: &Messages) -> Value {
    json!({
        "label": t.get("with_data_paper"),
        "active": holds(kept, "has_data_paper", "true"),
        "href": search_link(base, &toggled(kept, "has_data_paper", "true")),
    })
}

/// Links to pages around the current one: the first, two each side, the last.
fn pages(current: usize, last: usize, kept: &[(&str, &str)], base: &str) -> Value {
    let at = |page: usize| {
        let number = page.to_string();
        let mut pairs = kept.to_vec();
        pairs.push(("page", &number));
        search_link(base, &pairs)
    };
    let mut numbers: Vec<usize> = vec![1];
    numbers.extend(current.saturating_sub(2).max(2)..=(current + 2).min(last));
    if last > 1 {
        numbers.push(last);
    }
    numbers.dedup();
    let mut shown = Vec::new();
    let mut previous = 0;
    for number in numbers {
        if number > previous + 1 {
            shown.push(json!({ "gap": true }));
        }
        shown.push(json!({ "number": number, "href": at(number), "current": number == current }));
        previous = number;
    }
    json!({
        "numbers": shown,
        "previous": (current > 1).then(|| at((current - 1).min(last))),
        "next": (current < last).then(|| at(current + 1)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_facet_link_ticks_and_unticks_and_goes_back_to_page_one() {
        let kept = [("q", "eau"), ("theme", "http://t/a")];
        assert_eq!(toggled(&kept, "theme", "http://t/a"), [("q", "eau")]);
        assert_eq!(
            toggled(&kept, "theme", "http://t/b"),
            [
                ("q", "eau"),
                ("theme", "http://t/a"),
                ("theme", "http://t/b")
            ]
        );
        let url = search_link("http://x/", &toggled(&kept, "format", "CSV & co"));
        assert_eq!(
            url,
            "http://x/search?q=eau&theme=http%3A%2F%2Ft%2Fa&format=CSV+%26+co"
        );
    }

    #[test]
    fn pages_show_the_ends_and_two_each_side() {
        let shown = pages(7, 20, &[], "/");
        let numbers: Vec<String> = shown["numbers"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|n| {
                n["number"]
                    .as_u64()
                    .map_or("…".to_owned(), |n| n.to_string())
            })
            .collect();
        assert_eq!(numbers, ["1", "…", "5", "6", "7", "8", "9", "…", "20"]);
        assert_eq!(shown["previous"], "/search?page=6");
        let one = pages(1, 1, &[], "/");
        assert_eq!(one["numbers"].as_array().map(Vec::len), Some(1));
        assert!(one["next"].is_null() && one["previous"].is_null());
    }
}
