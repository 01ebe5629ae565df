//! A dataset's quality page: its MQA score and rating, the points per dimension drawn as
//! bars, and for each indicator it misses what to do, with a link to the form's field for
//! those who may edit it.

use super::{Frame, PageError, Pages};
use crate::quality::board::Summary;
use crate::quality::{Assessment, Dimension, Metric};
use serde_json::{Value, json};

/// The dataset a quality page is about.
pub struct Assessed<'a> {
    /// Its page.
    pub page: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its form, for those who may edit it.
    pub edit: Option<&'a str>,
    /// The URLs its distributions give, with their last check.
    pub links: &'a [CheckedLink],
    /// The CSV files that declare a data standard, with their last check.
    pub standards: &'a [DeclaredStandard],
}

/// A CSV file a distribution says conforms to a Table Schema, and its last check.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeclaredStandard {
    /// The file.
    pub file: String,
    /// The Table Schema.
    pub schema: String,
    /// The last check, if any.
    pub check: Option<crate::standards::conformance::StandardCheck>,
}

/// Whether `iri` is a web address a page may link to (not `javascript:` or `data:`: a
/// harvested or written IRI may be anything).
fn is_web(iri: &str) -> bool {
    iri.starts_with("http://") || iri.starts_with("https://")
}

/// Errors shown per file on the page (the JSON has all those kept).
const ERRORS_SHOWN: usize = 20;

/// A declared standard's part of the page.
fn standard_row(standard: &DeclaredStandard) -> Value {
    let outcome = standard.check.as_ref().and_then(|c| c.outcome.as_ref());
    json!({
        "file": standard.file,
        "schema": standard.schema,
        "web": is_web(&standard.file),
        "schema_web": is_web(&standard.schema),
        "checked": standard.check.as_ref().map(|c| c.checked.replace('T', " ").chars().take(16).collect::<String>() + " UTC"),
        "conforms": standard.check.as_ref().map(crate::standards::conformance::StandardCheck::conforms),
        "error": standard.check.as_ref().and_then(|c| c.error.clone()),
        "rows": outcome.map(|o| o.rows),
        "errors_total": outcome.map(|o| o.errors_total),
        "stopped": outcome.and_then(|o| o.stopped.clone()),
        "errors": outcome.map(|o| o.errors.iter().take(ERRORS_SHOWN).map(|e| json!({
            "line": e.line, "column": e.column, "value": e.value,
            "rule": serde_json::to_value(e.rule).ok(), "message": e.message,
        })).collect::<Vec<_>>()),
    })
}

/// A URL a distribution gives, with what the link checker last found there.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckedLink {
    /// The URL.
    pub url: String,
    /// A `dcat:downloadURL` (else a `dcat:accessURL`).
    pub download: bool,
    /// The last check, if any.
    #[serde(skip)]
    pub check: Option<crate::store::LinkCheck>,
}

/// A link's row: its answer in words, and when it was checked.
fn link_row(
    link: &CheckedLink,
    t: &std::collections::BTreeMap<&'static str, &'static str>,
) -> Value {
    let word = |key: &str| t.get(key).copied().unwrap_or_default();
    let (answer, good) = match &link.check {
        None => (word("link_not_checked").to_owned(), None),
        Some(check) => match (check.status, &check.error) {
            (Some(status), _) => {
                let meaning = match status {
                    200 => word("link_reachable"),
                    404 | 410 => word("link_not_found"),
                    401 | 403 | 405 => word("link_refused"),
                    500..=599 => word("link_server_error"),
                    _ => "",
                };
                let text = if meaning.is_empty() {
                    status.to_string()
                } else {
                    format!("{status} — {meaning}")
                };
                (text, Some(status == 200))
            }
            (None, error) => (
                format!(
                    "{} ({})",
                    word("link_no_answer"),
                    error.as_deref().unwrap_or_default()
                ),
                Some(false),
            ),
        },
    };
    let when = link.check.as_ref().map(|c| {
        c.checked
            .format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .unwrap_or_default()
    });
    json!({
        "url": link.url,
        "web": is_web(&link.url),
        "kind": word(if link.download { "link_download" } else { "link_access" }),
        "answer": answer,
        "good": good,
        "when": when,
        "method": link.check.as_ref().map(|c| c.method.clone()),
    })
}

/// The form field where an indicator is met (its `id` in the dataset form).
fn field_of(metric: Metric) -> Option<&'static str> {
    Some(match metric {
        Metric::KeywordAvailability => "f-keyword",
        Metric::CategoryAvailability => "f-theme",
        Metric::SpatialAvailability => "f-spatial",
        Metric::TemporalAvailability => "f-temporal",
        Metric::AccessRightsAvailability | Metric::AccessRightsVocabularyAlignment => {
            "f-access_rights"
        }
        Metric::ContactPointAvailability => "f-contact",
        Metric::PublisherAvailability => "f-publisher",
        Metric::DateIssuedAvailability => "f-issued",
        Metric::DateModifiedAvailability | Metric::DcatApCompliance => return None,
        _ => "f-files",
    })
}

/// Points as people write them: `30`, `312.5`, `18.26`.
fn shown(points: f64) -> String {
    let text = format!("{points:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl Pages {
    /// `{dataset}/quality` for people.
    pub fn quality(
        &self,
        assessment: &Assessment,
        dataset: &Assessed<'_>,
        frame: &Frame<'_>,
    ) -> Result<String, PageError> {
        let t = super::messages(frame.language);
        let dimensions: Vec<Value> = Dimension::ALL
            .iter()
            .zip(&assessment.dimensions)
            .map(|(dimension, score)| {
                let indicators: Vec<Value> = assessment
                    .indicators
                    .iter()
                    .filter(|i| i.dimension == *dimension)
                    .map(|i| {
                        let missing = i.points < f64::from(i.maximum);
                        let fix = dataset
                            .edit
                            .filter(|_| missing)
                            .zip(field_of(i.metric))
                            .map(|(edit, field)| format!("{edit}#{field}"));
                        json!({
                            "name": t.get(format!("q_{}", i.metric.name()).as_str()),
                            "points": shown(i.points),
                            "maximum": i.maximum,
                            "passed": i.passed,
                            "of": i.of,
                            "unchecked": i.unchecked,
                            "advice": missing.then(|| t.get(format!("qa_{}", i.metric.name()).as_str())),
                            "fix": fix,
                        })
                    })
                    .collect();
                json!({
                    "name": t.get(format!("dimension_{}", dimension.name()).as_str()),
                    "points": shown(score.points),
                    "maximum": score.maximum,
                    "percent": (100.0 * score.points / f64::from(score.maximum.max(1))).round(),
                    "indicators": indicators,
                })
            })
            .collect();
        let band = serde_json::to_value(assessment.band)
            .ok()
            .and_then(|b| b.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.render(
            "quality.html",
            frame,
            json!({
                "title": format!("{} {}", t.get("quality_of").copied().unwrap_or_default(), dataset.title),
                "dataset": { "page": dataset.page, "title": dataset.title },
                "links": dataset.links.iter().map(|l| link_row(l, t)).collect::<Vec<_>>(),
                "standards": dataset.standards.iter().map(standard_row).collect::<Vec<_>>(),
                "total": shown(assessment.total),
                "maximum": crate::quality::metrics::maximum(),
                "band": band,
                "band_name": t.get(format!("band_{band}").as_str()),
                "dimensions": dimensions,
                "all_good": assessment.indicators.iter().all(|i| i.points >= f64::from(i.maximum)),
                "formats": super::format_links(crate::model::Variants::FormatParameter(frame.here)),
            }),
        )
    }
}

/// An IRI or id with its name or title.
type Named = (String, String);

/// The histogram as an inline SVG bar chart (no script): one bar per 45 points, its count
/// above it, the range below; `label` names the chart for screen readers.
fn histogram_svg(histogram: &[usize], label: &str) -> String {
    let (width, height, bar) = (540.0_f64, 200.0_f64, 52.0_f64);
    let most = histogram.iter().copied().max().unwrap_or(0).max(1) as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\" class=\"histogram\">",
        escape(label)
    );
    for (n, count) in histogram.iter().enumerate() {
        let x = 10.0 + n as f64 * (bar + 7.0);
        let h = 140.0 * *count as f64 / most;
        let y = 160.0 - h;
        let from = n * 45;
        let to = if n + 1 == histogram.len() {
            405
        } else {
            from + 44
        };
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y:.1}\" width=\"{bar}\" height=\"{h:.1}\" class=\"col\"><title>{from}–{to}: {count}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{count}</text>\
             <text x=\"{:.1}\" y=\"180\" text-anchor=\"middle\" class=\"range\">{from}–{to}</text>",
            x + bar / 2.0,
            y - 4.0,
            x + bar / 2.0,
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

impl Pages {
    /// `{base}quality`: the catalog's quality dashboard. `titles`: the worst datasets'
    /// (id, title); `names`: the publishers' (IRI, name).
    pub fn quality_dashboard(
        &self,
        summary: &Summary,
        (titles, names): (&[Named], &[Named]),
        frame: &Frame<'_>,
    ) -> Result<String, PageError> {
        let t = super::messages(frame.language);
        let name_of = |iri: &str| {
            names
                .iter()
                .find(|(i, _)| i == iri)
                .map_or(iri, |(_, n)| n.as_str())
                .to_owned()
        };
        let band = serde_json::to_value(summary.band)
            .ok()
            .and_then(|b| b.as_str().map(str::to_owned))
            .unwrap_or_default();
        let per_cent = |n: usize| {
            (100 * n + summary.datasets / 2)
                .checked_div(summary.datasets)
                .unwrap_or(0)
        };
        self.render(
            "quality_dashboard.html",
            frame,
            json!({
                "title": t.get("quality_dashboard"),
                "datasets": summary.datasets,
                "ready": summary.ready,
                "mean": shown(summary.mean),
                "maximum": crate::quality::metrics::maximum(),
                "band": band,
                "band_name": t.get(format!("band_{band}").as_str()),
                "dimensions": summary.dimensions.iter().map(|(d, mean, max)| json!({
                    "name": t.get(format!("dimension_{}", d.name()).as_str()),
                    "mean": shown(*mean),
                    "maximum": max,
                    "percent": (100.0 * mean / f64::from((*max).max(1))).round(),
                })).collect::<Vec<_>>(),
                "histogram": histogram_svg(&summary.histogram, t.get("quality_histogram").copied().unwrap_or_default()),
                "publishers": summary.publishers.iter().map(|(iri, mean, n)| json!({
                    "iri": iri, "name": name_of(iri), "mean": shown(*mean), "datasets": n,
                })).collect::<Vec<_>>(),
                "sources": summary.sources.iter().map(|(source, mean, n)| json!({
                    "source": (source != "local").then_some(source),
                    "mean": shown(*mean), "datasets": n,
                })).collect::<Vec<_>>(),
                "failing": summary.failing.iter().map(|(metric, n)| json!({
                    "name": t.get(format!("q_{}", metric.name()).as_str()),
                    "datasets": n,
                    "percent": per_cent(*n),
                })).collect::<Vec<_>>(),
                "worst": summary.worst.iter().map(|(id, score)| json!({
                    "page": format!("{}datasets/{id}/quality", frame.base),
                    "title": titles.iter().find(|(i, _)| i == id).map_or(id.as_str(), |(_, title)| title.as_str()),
                    "score": shown(*score),
                })).collect::<Vec<_>>(),
            }),
        )
    }
}

impl Pages {
    /// A description the catalog gives of itself (`what`: `shapes` or `void`), shown as
    /// its Turtle, with links to the other syntaxes.
    pub fn source(&self, what: &str, turtle: &str, frame: &Frame<'_>) -> Result<String, PageError> {
        let t = super::messages(frame.language);
        self.render(
            "source.html",
            frame,
            json!({
                "title": t.get(format!("about_{what}_title").as_str()),
                "intro": t.get(format!("about_{what}_intro").as_str()),
                "turtle": turtle,
                "formats": super::format_links(crate::model::Variants::FormatParameter(frame.here)),
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_has_a_name_and_advice_in_both_languages() {
        for language in ["fr", "en"] {
            let t = crate::html::messages(language);
            for metric in Metric::ALL {
                for key in [
                    format!("q_{}", metric.name()),
                    format!("qa_{}", metric.name()),
                ] {
                    assert!(
                        t.get(key.as_str()).is_some_and(|m| !m.is_empty()),
                        "{key} in {language}"
                    );
                }
            }
        }
    }

    #[test]
    fn points_read_as_people_write_them() {
        assert_eq!(shown(30.0), "30");
        assert_eq!(shown(312.5), "312.5");
        assert_eq!(shown(18.26), "18.26");
        assert_eq!(shown(0.0), "0");
        assert_eq!(shown(100.0), "100");
    }
}
