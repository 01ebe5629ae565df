//! The thread of reusers' annotations on a dataset's page, and the form to add one.

use super::view::DistributionView;
use super::{Frame, PageContext, PageError, Pages, dated, paragraphs};
use crate::feedback::reports::OpenReport;
use crate::feedback::{Annotation, Motivation};
use serde_json::{Value, json};

/// The thread and the form's choices: the annotations on the dataset and its
/// distributions, oldest first, each with its replies; what a reuser may write about.
/// `may_answer`: whether the person signed in answers for the dataset (its editors and
/// admins), who then get a form under each annotation.
pub fn thread(
    page: &PageContext<'_>,
    (topic, may_answer): (&str, bool),
    distributions: &[DistributionView],
) -> Value {
    let about = |target: &str| {
        distributions
            .iter()
            .find(|d| d.href == target)
            .map(|d| d.title.clone())
    };
    let top: Vec<Value> = page
        .annotations
        .iter()
        .filter(|a| !a.pending && (a.target == topic || about(&a.target).is_some()))
        .map(|a| {
            let replies: Vec<Value> = page
                .annotations
                .iter()
                .filter(|r| r.target == a.iri)
                .map(|r| item(r, page.language, None))
                .collect();
            let status = page
                .annotations
                .iter()
                .filter(|r| r.target == a.iri)
                .filter_map(|r| r.resolution)
                .next_back()
                .map(|r| r.word());
            let mut entry = item(a, page.language, about(&a.target));
            entry["replies"] = json!(replies);
            entry["status"] = json!(status);
            entry
        })
        .collect();
    let targets: Vec<Value> = distributions
        .iter()
        .filter(|d| d.href.starts_with(page.base))
        .map(|d| json!({ "iri": d.href, "title": d.title }))
        .collect();
    json!({
        "items": top,
        "motivations": Motivation::OFFERED.iter().map(|m| m.word()).collect::<Vec<_>>(),
        "targets": targets,
        "action": format!("{}/feedback", page.iri),
        "may_answer": may_answer,
        "pending": if may_answer {
            page.annotations
                .iter()
                .filter(|a| a.pending)
                .map(|a| item(a, page.language, None))
                .collect()
        } else {
            Vec::new()
        },
        "may_hide": page.visitor.is_some_and(|v| v.admin),
    })
}

fn item(annotation: &Annotation, language: &str, about: Option<String>) -> Value {
    json!({
        "iri": annotation.iri,
        "motivation": annotation.motivation.word(),
        "paragraphs": paragraphs(&annotation.text),
        "language": annotation.language,
        "creator": annotation.creator,
        "created": dated(Some(&annotation.created), language),
        "about": about,
        "link": annotation.link,
        "generator": annotation.generator,
        "relation": annotation.relation,
    })
}

impl Pages {
    /// A publisher's open reports, oldest first (`agent`: its page; `feed`: the Atom feed).
    pub fn reports(
        &self,
        reports: &[OpenReport],
        (title, agent, feed): (&str, &str, &str),
        frame: &Frame<'_>,
    ) -> Result<String, PageError> {
        let items: Vec<Value> = reports
            .iter()
            .map(|r| {
                let mut entry = item(&r.annotation, frame.language, None);
                entry["dataset"] = json!(r.dataset);
                entry["dataset_title"] = json!(r.title);
                entry["answers"] = json!(r.answers);
                entry
            })
            .collect();
        self.render(
            "reports.html",
            frame,
            json!({
                "title": title,
                "agent": agent,
                "feed": feed,
                "reports": items,
                "formats": [{ "label": "Atom", "href": feed, "media_type": "application/atom+xml" }],
            }),
        )
    }
}

impl Pages {
    /// Every reuse, latest first; `datasets`: (IRI, page, title) of those they are based on.
    pub fn reuses(
        &self,
        reuses: &[crate::feedback::reuses::Reuse],
        datasets: &[(String, String, String)],
        frame: &Frame<'_>,
    ) -> Result<String, PageError> {
        let t = super::messages(frame.language);
        let items: Vec<Value> = reuses
            .iter()
            .map(|r| {
                let based_on: Vec<Value> = r
                    .datasets
                    .iter()
                    .filter_map(|d| datasets.iter().find(|(iri, _, _)| iri == d))
                    .map(|(_, page, title)| json!({ "href": page, "title": title }))
                    .collect();
                let mut entry = reuse_item(r, frame.language);
                entry["datasets"] = json!(based_on);
                entry
            })
            .collect();
        self.render(
            "reuses.html",
            frame,
            json!({ "title": t.get("reuses_title"), "reuses": items }),
        )
    }
}

/// A reuse as pages list it.
pub fn reuse_item(reuse: &crate::feedback::reuses::Reuse, language: &str) -> Value {
    json!({
        "iri": reuse.iri,
        "title": reuse.title,
        "url": reuse.url,
        "kind": reuse.kind,
        "image": reuse.image,
        "creator": reuse.creator,
        "created": dated(Some(&reuse.created), language),
    })
}
