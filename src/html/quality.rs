//! A dataset's quality page: its MQA score and rating, the points per dimension drawn as
//! bars, and for each indicator it misses what to do, with a link to the form's field for
//! those who may edit it.

use super::{Frame, PageError, Pages};
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
