//! View models for pages, read from a [`Description`]'s quads.

use crate::exports::graph::QuadIndex;
use crate::model::vocab::{RDF_TYPE, cito, dcat, dct, foaf, prism, rdfs, skos, vcard};
use crate::rdf::jsonld::compact_iri;
use crate::store::Description;
use oxigraph::model::{NamedNodeRef, NamedOrBlankNodeRef, Quad, Term, TermRef};
use serde::Serialize;

/// An IRI as a link target: harvested metadata is untrusted, so only web and mail schemes
/// become links (a `javascript:` IRI is a valid IRI, and would run on click).
pub fn href(iri: &str) -> String {
    let scheme = iri.split_once(':').map_or("", |(scheme, _)| scheme);
    if ["http", "https", "mailto", "ftp"]
        .iter()
        .any(|safe| scheme.eq_ignore_ascii_case(safe))
    {
        iri.to_owned()
    } else {
        "#".to_owned()
    }
}

/// A byte count for people: `402.1 MB`.
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A link with a human label.
#[derive(Debug, Serialize, Clone)]
pub struct Link {
    /// Where it goes.
    pub href: String,
    /// What people read.
    pub label: String,
}

/// One row of a property table.
#[derive(Debug, Serialize)]
pub struct Property {
    /// The compact IRI of the predicate.
    pub name: String,
    /// Its values: links for IRIs, text for literals.
    pub values: Vec<Value>,
}

/// A property value on a page.
#[derive(Debug, Serialize)]
pub struct Value {
    /// Set for IRIs.
    pub href: Option<String>,
    /// The label or literal text.
    pub text: String,
    /// The literal's language, if any.
    pub lang: Option<String>,
}

/// A distribution on a dataset page.
#[derive(Debug, Serialize)]
pub struct DistributionView {
    /// Its page.
    pub href: String,
    /// Its title.
    pub title: String,
    /// Its file format label.
    pub format: Option<String>,
    /// Its media type label.
    pub media_type: Option<String>,
    /// Where to download the file.
    pub download: Option<String>,
    /// Where to access it.
    pub access: Option<String>,
    /// Its licence.
    pub licence: Option<Link>,
    /// Its size in bytes.
    pub byte_size: Option<String>,
}

/// A data paper on a dataset's page.
#[derive(Debug, Serialize)]
pub struct PaperView {
    /// Its page.
    pub href: String,
    /// Its title.
    pub label: String,
    /// Its DOI (`10.…`).
    pub doi: Option<String>,
    /// How it asks to be cited.
    pub citation: Option<String>,
}

/// A contact point on a dataset's page.
#[derive(Debug, Serialize)]
pub struct ContactView {
    /// Whom to contact.
    pub name: Option<String>,
    /// A `mailto:` link.
    pub email: Option<String>,
    /// The address the link shows.
    pub email_text: Option<String>,
    /// A web page or form.
    pub url: Option<String>,
}

/// Reading helpers over a description's quads, with label languages in order of preference.
///
/// Quads are indexed by subject once, so that a landing page listing thousands of datasets
/// does not scan every quad for every label.
pub struct GraphView<'a> {
    quads: &'a [Quad],
    index: QuadIndex<'a>,
    languages: [&'a str; 2],
}

impl<'a> GraphView<'a> {
    /// Reads `description` preferring labels in `language` (`fr` or `en`).
    pub fn new(description: &'a Description, language: &'a str) -> Self {
        let other = if language == "fr" { "en" } else { "fr" };
        Self {
            quads: &description.quads,
            index: QuadIndex::new(&description.quads),
            languages: [language, other],
        }
    }

    /// The quads whose subject is `subject`.
    fn about<'s>(
        &'s self,
        subject: NamedOrBlankNodeRef<'s>,
    ) -> impl Iterator<Item = &'a Quad> + 's {
        self.index.about(subject)
    }

    /// The objects of `subject predicate ?o`, without repeats.
    pub fn objects(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Vec<&'a Term> {
        self.index.objects(subject, predicate)
    }

    /// The best literal of `subject predicate`: preferred language, then the other, then untagged, then any.
    pub fn text(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Option<String> {
        let literals: Vec<_> = self
            .objects(subject, predicate)
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) => Some(l),
                _ => None,
            })
            .collect();
        let by_language = |wanted: Option<&str>| {
            literals.iter().find(|l| match (l.language(), wanted) {
                (Some(lang), Some(wanted)) => lang.eq_ignore_ascii_case(wanted),
                (None, None) => true,
                _ => false,
            })
        };
        by_language(Some(self.languages[0]))
            .or_else(|| by_language(Some(self.languages[1])))
            .or_else(|| by_language(None))
            .or(literals.first())
            .map(|l| l.value().to_owned())
    }

    /// A human label for a node: its first label property, else its compact IRI.
    pub fn label(&self, node: NamedOrBlankNodeRef<'_>) -> String {
        [
            skos::PREF_LABEL,
            dct::TITLE,
            foaf::NAME,
            vcard::FN,
            rdfs::LABEL,
        ]
        .into_iter()
        .find_map(|p| self.text(node, p))
        .unwrap_or_else(|| match node {
            NamedOrBlankNodeRef::NamedNode(n) => compact_iri(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(_) => "(unnamed)".to_owned(),
        })
    }

    /// A link to an IRI object with its label.
    pub fn link(&self, term: &Term) -> Option<Link> {
        match term {
            Term::NamedNode(n) => Some(Link {
                href: href(n.as_str()),
                label: self.label(n.as_ref().into()),
            }),
            _ => None,
        }
    }

    /// Links to every IRI object of `subject predicate`.
    pub fn links(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Vec<Link> {
        self.objects(subject, predicate)
            .into_iter()
            .filter_map(|t| self.link(t))
            .collect()
    }

    /// Every literal of `subject predicate`, preferred language first.
    pub fn texts(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Vec<String> {
        let mut literals: Vec<_> = self
            .objects(subject, predicate)
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) => Some(l),
                _ => None,
            })
            .collect();
        literals.sort_by_key(|l| l.language() != Some(self.languages[0]));
        literals.into_iter().map(|l| l.value().to_owned()).collect()
    }

    /// The property table of the nodes whose subject is `subject`.
    pub fn properties(&self, subject: NamedOrBlankNodeRef<'_>) -> Vec<Property> {
        let mut rows: Vec<Property> = Vec::new();
        for quad in self.about(subject) {
            let value = self.value(quad.object.as_ref());
            let name = compact_iri(quad.predicate.as_str());
            match rows.iter_mut().find(|r| r.name == name) {
                Some(row) => {
                    if !row
                        .values
                        .iter()
                        .any(|v| v.text == value.text && v.href == value.href)
                    {
                        row.values.push(value);
                    }
                }
                None => rows.push(Property {
                    name,
                    values: vec![value],
                }),
            }
        }
        rows
    }

    fn value(&self, term: TermRef<'_>) -> Value {
        match term {
            TermRef::NamedNode(n) => Value {
                href: Some(href(n.as_str())),
                text: self.label(n.into()),
                lang: None,
            },
            TermRef::BlankNode(b) => Value {
                href: None,
                text: self.blank_summary(b.into()),
                lang: None,
            },
            TermRef::Literal(l) => Value {
                href: None,
                text: l.value().to_owned(),
                lang: l.language().map(str::to_owned),
            },
            #[allow(unreachable_patterns)]
            _ => Value {
                href: None,
                text: String::new(),
                lang: None,
            },
        }
    }

    /// A one-line summary of a blank node: its literal values, `; `-separated.
    fn blank_summary(&self, node: NamedOrBlankNodeRef<'_>) -> String {
        let parts: Vec<String> = self
            .quads
            .iter()
            .filter(|q| q.subject.as_ref() == node && q.predicate != RDF_TYPE)
            .map(|q| match &q.object {
                Term::Literal(l) => l.value().to_owned(),
                Term::NamedNode(n) => n.as_str().trim_start_matches("mailto:").to_owned(),
                _ => String::new(),
            })
            .filter(|s| !s.is_empty())
            .collect();
        if parts.is_empty() {
            "(unnamed)".to_owned()
        } else {
            parts.join("; ")
        }
    }

    /// The temporal coverage as `start – end`.
    pub fn period(&self, subject: NamedOrBlankNodeRef<'_>) -> Option<String> {
        let period = self.objects(subject, dct::TEMPORAL).into_iter().next()?;
        let node: NamedOrBlankNodeRef<'_> = match period {
            Term::BlankNode(b) => b.as_ref().into(),
            Term::NamedNode(n) => n.as_ref().into(),
            _ => return None,
        };
        let start = self
            .text(node, dcat::START_DATE)
            .unwrap_or_else(|| "…".to_owned());
        let end = self
            .text(node, dcat::END_DATE)
            .unwrap_or_else(|| "…".to_owned());
        Some(format!("{start} – {end}"))
    }

    /// Summaries of the blank or IRI nodes of `subject predicate` (contact points, places).
    pub fn summaries(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Vec<String> {
        self.objects(subject, predicate)
            .into_iter()
            .filter_map(|t| match t {
                Term::BlankNode(b) => {
                    let label = self
                        .text(b.as_ref().into(), skos::PREF_LABEL)
                        .or_else(|| self.text(b.as_ref().into(), vcard::FN));
                    Some(label.unwrap_or_else(|| self.blank_summary(b.as_ref().into())))
                }
                Term::NamedNode(n) => Some(self.label(n.as_ref().into())),
                _ => None,
            })
            .collect()
    }

    /// The distributions of `dataset`.
    pub fn distributions(&self, dataset: NamedOrBlankNodeRef<'_>) -> Vec<DistributionView> {
        self.objects(dataset, dcat::DISTRIBUTION_PROP)
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(oxigraph::model::NamedOrBlankNode::from(n.clone())),
                Term::BlankNode(b) => Some(oxigraph::model::NamedOrBlankNode::from(b.clone())),
                _ => None,
            })
            .map(|owned| {
                let node = owned.as_ref();
                let first_iri = |p| {
                    self.objects(node, p).into_iter().find_map(|t| match t {
                        Term::NamedNode(n) => Some(href(n.as_str())),
                        _ => None,
                    })
                };
                // A distribution without an IRI of its own (a blank node) has no page:
                // its title leads where it is reached.
                let (own, name) = match &owned {
                    oxigraph::model::NamedOrBlankNode::NamedNode(n) => {
                        (href(n.as_str()), compact_iri(n.as_str()))
                    }
                    oxigraph::model::NamedOrBlankNode::BlankNode(_) => {
                        let reached = first_iri(dcat::ACCESS_URL).unwrap_or_default();
                        (reached.clone(), reached)
                    }
                };
                DistributionView {
                    href: own,
                    title: self.text(node, dct::TITLE).unwrap_or(name),
                    format: self
                        .objects(node, dct::FORMAT)
                        .into_iter()
                        .next()
                        .map(|f| self.term_label(f)),
                    media_type: self
                        .objects(node, dcat::MEDIA_TYPE)
                        .into_iter()
                        .next()
                        .map(|f| self.term_label(f)),
                    download: first_iri(dcat::DOWNLOAD_URL),
                    access: first_iri(dcat::ACCESS_URL),
                    licence: self.links(node, dct::LICENSE).into_iter().next(),
                    byte_size: self
                        .text(node, dcat::BYTE_SIZE)
                        .map(|size| size.parse().map_or(size, human_size)),
                }
            })
            .collect()
    }

    /// Data papers that describe the dataset (either direction of the link).
    pub fn papers(&self, dataset: NamedOrBlankNodeRef<'_>) -> Vec<Link> {
        let mut papers = self.links(dataset, dct::IS_REFERENCED_BY);
        for quad in self.quads {
            if quad.predicate == cito::DESCRIBES
                && quad.object.as_ref() == TermRef::from(dataset)
                && let Some(link) = self.link(&quad.subject.clone().into())
                && !papers.iter().any(|p| p.href == link.href)
            {
                papers.push(link);
            }
        }
        papers
    }

    /// The data papers that describe the dataset, as a reader cites them: the paper's own
    /// `dct:bibliographicCitation` when it has one, its title and DOI in any case.
    pub fn paper_citations(&self, dataset: NamedOrBlankNodeRef<'_>) -> Vec<PaperView> {
        self.papers(dataset)
            .into_iter()
            .map(|link| {
                let node = NamedNodeRef::new_unchecked(&link.href).into();
                PaperView {
                    doi: self.doi(node),
                    citation: self.text(node, dct::BIBLIOGRAPHIC_CITATION),
                    href: link.href,
                    label: link.label,
                }
            })
            .collect()
    }

    /// The contact points of `subject`: a name, and a mail link and a web page if given.
    pub fn contacts(&self, subject: NamedOrBlankNodeRef<'_>) -> Vec<ContactView> {
        self.objects(subject, dcat::CONTACT_POINT)
            .into_iter()
            .filter_map(|term| {
                let node: NamedOrBlankNodeRef<'_> = match term {
                    Term::BlankNode(b) => b.as_ref().into(),
                    Term::NamedNode(n) => n.as_ref().into(),
                    _ => return None,
                };
                let iri = |p| {
                    self.objects(node, p).into_iter().find_map(|t| match t {
                        Term::NamedNode(n) => Some(n.as_str().to_owned()),
                        Term::Literal(l) => Some(l.value().to_owned()),
                        _ => None,
                    })
                };
                let email = iri(vcard::HAS_EMAIL).map(|e| {
                    let address = e.trim_start_matches("mailto:").to_owned();
                    (format!("mailto:{address}"), address)
                });
                Some(ContactView {
                    name: self
                        .text(node, vcard::FN)
                        .or_else(|| self.text(node, vcard::ORGANIZATION_NAME)),
                    email_text: email.as_ref().map(|(_, text)| text.clone()),
                    email: email.map(|(link, _)| href(&link)),
                    url: iri(vcard::HAS_URL).map(|u| href(&u)),
                })
            })
            .collect()
    }

    /// The DOI of a data paper, if given.
    pub fn doi(&self, paper: NamedOrBlankNodeRef<'_>) -> Option<String> {
        self.text(paper, prism::DOI)
    }

    fn term_label(&self, term: &Term) -> String {
        match term {
            Term::NamedNode(n) => self.label(n.as_ref().into()),
            Term::Literal(l) => l.value().to_owned(),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::href;

    #[test]
    fn sizes_read_like_file_managers_show_them() {
        assert_eq!(super::human_size(999), "999 bytes");
        assert_eq!(super::human_size(402_118_934), "402.1 MB");
        assert_eq!(super::human_size(1_500), "1.5 kB");
    }

    #[test]
    fn only_web_and_mail_iris_become_links() {
        assert_eq!(href("https://example.org/a"), "https://example.org/a");
        assert_eq!(href("mailto:a@b.fr"), "mailto:a@b.fr");
        assert_eq!(href("javascript:alert(1)"), "#");
        assert_eq!(href("JavaScript:alert(1)"), "#");
        assert_eq!(href("data:text/html,<script>"), "#");
        assert_eq!(href("urn:uuid:1"), "#");
    }
}
