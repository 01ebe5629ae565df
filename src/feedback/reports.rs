//! A publisher's open reports: what reusers asked, reported or suggested about its
//! datasets and nobody has resolved or rejected yet, oldest first — the list a
//! coordinator works through, as a page and as an Atom feed any feed reader follows.

use super::{Annotation, Motivation};
use crate::exports::xml::Xml;
use serde::Serialize;

/// One report waiting for an answer.
#[derive(Debug, Clone, Serialize)]
pub struct OpenReport {
    /// The report.
    pub annotation: Annotation,
    /// The dataset it is about (or whose distribution it is about).
    pub dataset: String,
    /// The dataset's title.
    pub title: String,
    /// Answers it had that did not close it.
    pub answers: usize,
}

/// The open reports among `annotations` (every annotation, with replies), given which
/// dataset each target belongs to (`dataset_of`: `None` when not the publisher's):
/// questions, problems and corrections without a reply that resolved or rejected them,
/// oldest first.
pub fn open_reports(
    annotations: &[Annotation],
    mut dataset_of: impl FnMut(&str) -> Option<(String, String)>,
) -> Vec<OpenReport> {
    let mut open: Vec<OpenReport> = annotations
        .iter()
        .filter(|a| {
            matches!(
                a.motivation,
                Motivation::Assessing | Motivation::Editing | Motivation::Questioning
            )
        })
        .filter_map(|a| {
            let replies: Vec<&Annotation> =
                annotations.iter().filter(|r| r.target == a.iri).collect();
            if replies.iter().any(|r| r.resolution.is_some()) {
                return None;
            }
            let (dataset, title) = dataset_of(&a.target)?;
            Some(OpenReport {
                annotation: a.clone(),
                dataset,
                title,
                answers: replies.len(),
            })
        })
        .collect();
    // By time, not by text (see `http/feedback.rs`).
    open.sort_by_cached_key(|a| crate::model::time::parse_instant(&a.annotation.created));
    open
}

/// The open reports as an Atom feed (RFC 4287) at `url`, titled `title`, whose entries
/// link to the reports in their datasets' threads.
pub fn atom(reports: &[OpenReport], (url, page, title): (&str, &str, &str)) -> String {
    let mut xml = Xml::new();
    xml.open("feed", &[("xmlns", "http://www.w3.org/2005/Atom")]);
    xml.leaf("id", &[], url);
    xml.leaf("title", &[], title);
    xml.leaf("link", &[("rel", "self"), ("href", url)], "");
    xml.leaf(
        "link",
        &[("rel", "alternate"), ("type", "text/html"), ("href", page)],
        "",
    );
    let updated = reports
        .iter()
        .map(|r| r.annotation.created.as_str())
        .max()
        .unwrap_or("1970-01-01T00:00:00Z");
    xml.leaf("updated", &[], updated);
    xml.open("author", &[]);
    xml.leaf("name", &[], "Passerelle");
    xml.close();
    for report in reports {
        let annotation = &report.annotation;
        xml.open("entry", &[]);
        xml.leaf("id", &[], &annotation.iri);
        xml.leaf(
            "title",
            &[],
            &format!("{}: {}", annotation.motivation.word(), report.title),
        );
        xml.leaf("updated", &[], &annotation.created);
        xml.leaf("published", &[], &annotation.created);
        xml.leaf(
            "link",
            &[
                ("rel", "alternate"),
                ("type", "text/html"),
                ("href", &format!("{}#feedback", report.dataset)),
            ],
            "",
        );
        xml.leaf("link", &[("rel", "related"), ("href", &annotation.iri)], "");
        xml.open("author", &[]);
        xml.leaf(
            "name",
            &[],
            annotation.creator.as_deref().unwrap_or("anonymous"),
        );
        xml.close();
        xml.leaf("category", &[("term", annotation.motivation.word())], "");
        xml.leaf("content", &[("type", "text")], &annotation.text);
        xml.close();
    }
    xml.close();
    xml.finish()
}
