//! The data paper form's fields: an article that describes datasets, with what a citation
//! needs (authors in order, journal, volume, pages, date, DOI) and the datasets it
//! describes, which make the paper theirs to edit for those datasets' editors.

use super::checks::{Checks, all_iris, is_date, is_id, lines_of, text};
use super::{FieldError, LANGUAGES, Picks, set_per_language};
use crate::model::RecordKind;
use crate::model::json::DataPaperJson;
use serde::Serialize;
use std::collections::BTreeMap;

/// What the data paper form holds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PaperFields {
    /// The id asked for a new record (empty: made from the title).
    pub id: String,
    /// Titles by language.
    pub title: BTreeMap<String, String>,
    /// Abstracts by language.
    pub summary: BTreeMap<String, String>,
    /// Author IRIs (ORCID iDs), one per line, in order.
    pub creator: String,
    /// The journal's title.
    pub journal: String,
    /// Its volume.
    pub volume: String,
    /// First page or article number.
    pub starting_page: String,
    /// Last page.
    pub ending_page: String,
    /// Publication date.
    pub issued: String,
    /// The DOI, bare or as a URL.
    pub doi: String,
    /// The citation as the journal gives it.
    pub citation: String,
    /// The datasets it describes (IRIs).
    pub describes: Vec<String>,
}

impl PaperFields {
    fn set_field(&mut self, name: &str, value: String) {
        let texts = [("title", &mut self.title), ("summary", &mut self.summary)];
        if set_per_language(texts, name, &value) {
            return;
        }
        match name {
            "id" => self.id = value,
            "creator" => self.creator = value,
            "journal" => self.journal = value,
            "volume" => self.volume = value,
            "starting_page" => self.starting_page = value,
            "ending_page" => self.ending_page = value,
            "issued" => self.issued = value,
            "doi" => self.doi = value,
            "citation" => self.citation = value,
            "describes" => self.add_described(&value),
            "describes_other" => {
                for line in lines_of(&value).map(str::to_owned).collect::<Vec<_>>() {
                    self.add_described(&line);
                }
            }
            _ => {}
        }
    }

    fn add_described(&mut self, iri: &str) {
        if !iri.is_empty() && !self.describes.iter().any(|d| d == iri) {
            self.describes.push(iri.to_owned());
        }
    }

    fn model(&self) -> DataPaperJson {
        DataPaperJson {
            id: text(&self.id),
            title: self.title.clone(),
            summary: self.summary.clone(),
            creator: lines_of(&self.creator).map(str::to_owned).collect(),
            journal: text(&self.journal),
            volume: text(&self.volume),
            starting_page: text(&self.starting_page),
            ending_page: text(&self.ending_page),
            issued: text(&self.issued),
            doi: crate::model::bare_doi(&self.doi),
            bibliographic_citation: text(&self.citation),
            describes: self.describes.clone(),
            ..DataPaperJson::default()
        }
    }
}

impl super::FormFields for PaperFields {
    fn set(&mut self, name: &str, value: String) {
        self.set_field(name, value);
    }

    type Model = DataPaperJson;
    const KIND: RecordKind = RecordKind::DataPaper;
    const TEMPLATE: &'static str = "paper_form.html";
    const HEADINGS: [&'static str; 3] = ["form_new_paper", "form_edit_paper", "form_intro_paper"];
    const PICKS: Picks = Picks::Datasets;

    fn from_model(model: &DataPaperJson) -> Self {
        Self {
            id: String::new(),
            title: model.title.clone(),
            summary: model.summary.clone(),
            creator: model.creator.join("\n"),
            journal: model.journal.clone().unwrap_or_default(),
            volume: model.volume.clone().unwrap_or_default(),
            starting_page: model.starting_page.clone().unwrap_or_default(),
            ending_page: model.ending_page.clone().unwrap_or_default(),
            issued: model.issued.clone().unwrap_or_default(),
            doi: model.doi.clone().unwrap_or_default(),
            citation: model.bibliographic_citation.clone().unwrap_or_default(),
            describes: model.describes.clone(),
        }
    }

    /// A link from a dataset's page asks for a paper about it (`?describes=`).
    fn blank(_own: &[(String, String)], asked: &[(String, String)]) -> Self {
        let mut fields = Self::default();
        for (_, iri) in asked.iter().filter(|(name, _)| name == "describes") {
            fields.add_described(iri.trim());
        }
        fields
    }

    fn to_model(&self) -> Result<DataPaperJson, Vec<FieldError>> {
        let mut checks = Checks::default();
        checks.check("id", &self.id, is_id, "field_bad_id");
        if LANGUAGES.iter().all(|l| !self.title.contains_key(*l)) {
            checks.tell("title", "need_title");
        }
        checks.check("creator", &self.creator, all_iris, "field_bad_iri");
        checks.check("issued", &self.issued, is_date, "field_bad_date");
        checks.check(
            "doi",
            &self.doi,
            |d| crate::model::bare_doi(d).is_some(),
            "field_bad_doi",
        );
        if self.describes.is_empty() {
            checks.tell("describes", "need_describes");
        }
        let listed = self.describes.join("\n");
        checks.check("describes", &listed, all_iris, "field_bad_iri");
        checks.done(|| self.model())
    }
}

#[cfg(test)]
mod tests {
    use super::super::FormFields;
    use super::super::pairs;
    use super::*;

    #[test]
    fn a_posted_paper_makes_its_model_and_comes_back_the_same() {
        let fields = PaperFields::from_pairs(&pairs(&[
            ("title_en", "Otters of the Léguer"),
            ("summary_fr", "Dix ans de comptages."),
            (
                "creator",
                "https://orcid.org/0000-0002-1825-0097\n\nhttps://orcid.org/0000-0001-5109-3700",
            ),
            ("journal", "Data in Brief"),
            ("doi", "https://doi.org/10.1016/j.dib.2025.111111"),
            ("describes", "https://ex.org/datasets/loutres"),
            (
                "describes_other",
                "https://ex.org/datasets/loutres\nhttps://ex.org/datasets/castors",
            ),
        ]));
        let model = fields.to_model().unwrap_or_default();
        assert_eq!(
            model.doi.as_deref(),
            Some("10.1016/j.dib.2025.111111"),
            "the DOI is kept bare"
        );
        assert_eq!(
            model.creator.len(),
            2,
            "the authors in their order, blank lines dropped"
        );
        assert_eq!(
            model.describes,
            [
                "https://ex.org/datasets/loutres",
                "https://ex.org/datasets/castors"
            ],
            "a dataset ticked and typed is described once"
        );
        let again = PaperFields::from_model(&model);
        assert_eq!(again.to_model().unwrap_or_default(), model);
    }

    #[test]
    fn a_paper_needs_a_title_and_a_dataset_and_says_which_fields_are_wrong() {
        let fields = PaperFields::from_pairs(&pairs(&[
            ("doi", "not a doi"),
            ("issued", "2025-31-12"),
            ("creator", "Jane Doe"),
        ]));
        let errors = fields.to_model().err().unwrap_or_default();
        let named: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.key)).collect();
        assert_eq!(
            named,
            [
                ("title", "need_title"),
                ("creator", "field_bad_iri"),
                ("issued", "field_bad_date"),
                ("doi", "field_bad_doi"),
                ("describes", "need_describes"),
            ]
        );
    }

    #[test]
    fn a_link_from_a_dataset_fills_in_what_the_paper_describes() {
        let asked = pairs(&[("describes", "https://ex.org/datasets/loutres"), ("x", "y")]);
        let fields = PaperFields::blank(&[], &asked);
        assert_eq!(fields.describes, ["https://ex.org/datasets/loutres"]);
    }
}
