//! The dataset form's fields, both ways: from the JSON model (to edit a record) and from
//! what the browser posts (to write one), with the mistakes a person can make in a field
//! told before anything is written.

use super::checks::{
    Checks, all_iris, is_date, is_email, is_id, is_iri, is_web_url, lines_of, split_words, text,
};
use super::notes::lookup;
use super::{FieldError, LANGUAGES, set_per_language};
use crate::model::json::{ContactJson, DatasetJson, DistributionJson, PeriodJson};
use crate::validate::Finding;
use serde::Serialize;
use std::collections::BTreeMap;

/// Blank file rows offered for new files.
const BLANK_FILES: usize = 1;

/// What the dataset form holds, as the person typed or the record says.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DatasetFields {
    /// The id asked for a new record (empty: made from the title).
    pub id: String,
    /// Titles by language.
    pub title: BTreeMap<String, String>,
    /// Descriptions by language.
    pub description: BTreeMap<String, String>,
    /// Keywords by language, comma-separated.
    pub keyword: BTreeMap<String, String>,
    /// Theme IRIs.
    pub theme: Vec<String>,
    /// Language IRIs (of the data).
    pub language: Vec<String>,
    /// Place IRIs, one per line.
    pub spatial: String,
    /// First day covered.
    pub temporal_start: String,
    /// Last day covered.
    pub temporal_end: String,
    /// Frequency IRI.
    pub frequency: String,
    /// Access-right IRI.
    pub access_rights: String,
    /// Landing page URL.
    pub landing_page: String,
    /// Publisher IRI.
    pub publisher: String,
    /// Contact point's name.
    pub contact_name: String,
    /// Contact point's email (without `mailto:`).
    pub contact_email: String,
    /// Creator IRIs, one per line.
    pub creator: String,
    /// Release date.
    pub issued: String,
    /// The files.
    pub files: Vec<FileFields>,
}

/// One distribution's fields.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileFields {
    /// Its IRI when it exists already.
    pub id: String,
    /// Its name (French, the form's first language, or any the record has).
    pub title: String,
    /// What it holds.
    pub description: String,
    /// Where it is reached.
    pub access_url: String,
    /// Where it is downloaded.
    pub download_url: String,
    /// EU file-type IRI.
    pub format: String,
    /// Licence IRI.
    pub license: String,
    /// IANA media type IRI.
    pub media_type: String,
    /// Size in bytes.
    pub byte_size: String,
    /// The title's language.
    pub title_language: String,
}

impl DatasetFields {
    /// The fields of a record's JSON model.
    pub fn from_model(model: &DatasetJson) -> Self {
        let temporal = model.temporal.clone().unwrap_or_default();
        let contact = model.contact_point.clone().unwrap_or_default();
        let mut fields = Self {
            id: String::new(),
            title: model.title.clone(),
            description: model.description.clone(),
            keyword: model
                .keyword
                .iter()
                .map(|(language, words)| (language.clone(), words.join(", ")))
                .collect(),
            theme: model.theme.clone(),
            language: model.language.clone(),
            spatial: model.spatial.join("\n"),
            temporal_start: temporal.start_date.unwrap_or_default(),
            temporal_end: temporal.end_date.unwrap_or_default(),
            frequency: model.accrual_periodicity.clone().unwrap_or_default(),
            access_rights: model.access_rights.clone().unwrap_or_default(),
            landing_page: model.landing_page.first().cloned().unwrap_or_default(),
            publisher: model.publisher.clone().unwrap_or_default(),
            contact_name: contact.name.unwrap_or_default(),
            contact_email: contact
                .has_email
                .map(|e| e.trim_start_matches("mailto:").to_owned())
                .unwrap_or_default(),
            creator: model.creator.join("\n"),
            issued: model.issued.clone().unwrap_or_default(),
            files: model
                .distribution
                .iter()
                .map(FileFields::from_model)
                .collect(),
        };
        fields.add_blank_files();
        fields
    }

    /// A blank form (for a new dataset), with `publisher` chosen.
    pub fn blank(publisher: Option<&str>) -> Self {
        let mut fields = Self {
            publisher: publisher.unwrap_or_default().to_owned(),
            ..Self::default()
        };
        fields.add_blank_files();
        fields
    }

    /// The fields as posted (`pairs`, in the form's order).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut fields = Self::default();
        let mut files: BTreeMap<usize, FileFields> = BTreeMap::new();
        let mut removed = Vec::new();
        for (name, value) in pairs {
            let value = value.trim().to_owned();
            if let Some((index, field)) = file_field(name) {
                if field == "remove" {
                    removed.push(index);
                } else {
                    files.entry(index).or_default().set(field, value);
                }
                continue;
            }
            fields.set_field(name, value);
        }
        fields.files = files
            .into_iter()
            .filter(|(index, file)| !removed.contains(index) && !file.is_blank())
            .map(|(_, file)| file)
            .collect();
        fields
    }

    fn set_field(&mut self, name: &str, value: String) {
        let texts = [
            ("title", &mut self.title),
            ("description", &mut self.description),
            ("keyword", &mut self.keyword),
        ];
        if set_per_language(texts, name, &value) {
            return;
        }
        match name {
            "id" => self.id = value,
            "theme" if !value.is_empty() => self.theme.push(value),
            "language" if !value.is_empty() => self.language.push(value),
            "spatial" => self.spatial = value,
            "temporal_start" => self.temporal_start = value,
            "temporal_end" => self.temporal_end = value,
            "frequency" => self.frequency = value,
            "access_rights" => self.access_rights = value,
            "landing_page" => self.landing_page = value,
            "publisher" => self.publisher = value,
            "contact_name" => self.contact_name = value,
            "contact_email" => self.contact_email = value,
            "creator" => self.creator = value,
            "issued" => self.issued = value,
            _ => {}
        }
    }

    /// Offers blank rows for new files after those there are.
    pub fn add_blank_files(&mut self) {
        for _ in 0..BLANK_FILES {
            self.files.push(FileFields::default());
        }
    }

    /// The JSON model the fields say, or every field to correct.
    pub fn to_model(&self) -> Result<DatasetJson, Vec<FieldError>> {
        let mut checks = Checks::default();
        checks.check("id", &self.id, is_id, "field_bad_id");
        checks.check(
            "landing_page",
            &self.landing_page,
            is_web_url,
            "field_bad_url",
        );
        checks.check(
            "contact_email",
            &self.contact_email,
            is_email,
            "field_bad_email",
        );
        for (field, value) in [
            ("issued", &self.issued),
            ("temporal_start", &self.temporal_start),
            ("temporal_end", &self.temporal_end),
        ] {
            checks.check(field, value, is_date, "field_bad_date");
        }
        checks.check("spatial", &self.spatial, all_iris, "field_bad_iri");
        checks.check("creator", &self.creator, all_iris, "field_bad_iri");
        checks.check("publisher", &self.publisher, is_iri, "field_bad_iri");
        for (index, file) in self.files.iter().enumerate() {
            let name = |field: &str| format!("d{index}_{field}");
            checks.check(
                &name("access_url"),
                &file.access_url,
                is_web_url,
                "field_bad_url",
            );
            checks.check(
                &name("download_url"),
                &file.download_url,
                is_web_url,
                "field_bad_url",
            );
            checks.check(
                &name("byte_size"),
                &file.byte_size,
                |v| v.parse::<u64>().is_ok(),
                "field_bad_number",
            );
        }
        for (index, file) in self.files.iter().enumerate() {
            if !file.is_blank() && file.access_url.is_empty() && file.download_url.is_empty() {
                checks.tell(&format!("d{index}_access_url"), "need_access_url");
            }
        }
        checks.done(|| self.model())
    }

    fn model(&self) -> DatasetJson {
        let period = PeriodJson {
            start_date: text(&self.temporal_start),
            end_date: text(&self.temporal_end),
            ..PeriodJson::default()
        };
        let contact = ContactJson {
            name: text(&self.contact_name),
            has_email: text(&self.contact_email).map(|e| format!("mailto:{e}")),
            ..ContactJson::default()
        };
        DatasetJson {
            id: text(&self.id),
            title: self.title.clone(),
            description: self.description.clone(),
            keyword: self
                .keyword
                .iter()
                .map(|(language, words)| (language.clone(), split_words(words)))
                .filter(|(_, words)| !words.is_empty())
                .collect(),
            theme: self.theme.clone(),
            language: self.language.clone(),
            publisher: text(&self.publisher),
            creator: lines_of(&self.creator).map(str::to_owned).collect(),
            landing_page: text(&self.landing_page).into_iter().collect(),
            spatial: lines_of(&self.spatial).map(str::to_owned).collect(),
            accrual_periodicity: text(&self.frequency),
            access_rights: text(&self.access_rights),
            issued: text(&self.issued),
            temporal: (period.start_date.is_some() || period.end_date.is_some()).then_some(period),
            contact_point: (contact.name.is_some() || contact.has_email.is_some())
                .then_some(contact),
            distribution: self
                .files
                .iter()
                .filter(|f| !f.is_blank())
                .map(FileFields::model)
                .collect(),
            ..DatasetJson::default()
        }
    }
}

impl FileFields {
    fn from_model(model: &DistributionJson) -> Self {
        let (title_language, title) = LANGUAGES
            .iter()
            .find_map(|l| model.title.get(*l).map(|t| ((*l).to_owned(), t.clone())))
            .or_else(|| {
                model
                    .title
                    .iter()
                    .next()
                    .map(|(l, t)| (l.clone(), t.clone()))
            })
            .unwrap_or_default();
        Self {
            id: model.id.clone().unwrap_or_default(),
            description: model
                .description
                .get(&title_language)
                .or_else(|| model.description.values().next())
                .cloned()
                .unwrap_or_default(),
            title,
            title_language,
            access_url: model.access_url.clone(),
            download_url: model.download_url.clone().unwrap_or_default(),
            format: model.format.clone().unwrap_or_default(),
            license: model.license.clone().unwrap_or_default(),
            media_type: model.media_type.clone().unwrap_or_default(),
            byte_size: model.byte_size.map(|s| s.to_string()).unwrap_or_default(),
        }
    }

    fn set(&mut self, field: &str, value: String) {
        match field {
            "id" => self.id = value,
            "title" => self.title = value,
            "description" => self.description = value,
            "access_url" => self.access_url = value,
            "download_url" => self.download_url = value,
            "format" => self.format = value,
            "license" => self.license = value,
            "media_type" => self.media_type = value,
            "byte_size" => self.byte_size = value,
            "title_language" => self.title_language = value,
            _ => {}
        }
    }

    /// Whether the person left the row empty (a row for a new file they did not use).
    fn is_blank(&self) -> bool {
        self.id.is_empty()
            && self.title.is_empty()
            && self.access_url.is_empty()
            && self.download_url.is_empty()
    }

    fn model(&self) -> DistributionJson {
        let language = match self.title_language.as_str() {
            "" => "fr".to_owned(),
            other => other.to_owned(),
        };
        let in_language = |value: &str| {
            text(value)
                .map(|v| BTreeMap::from([(language.clone(), v)]))
                .unwrap_or_default()
        };
        // DCAT-AP wants an access URL; a direct download is one.
        let access_url = match (self.access_url.as_str(), self.download_url.as_str()) {
            ("", download) => download.to_owned(),
            (access, _) => access.to_owned(),
        };
        DistributionJson {
            id: text(&self.id),
            title: in_language(&self.title),
            description: in_language(&self.description),
            access_url,
            download_url: text(&self.download_url),
            media_type: text(&self.media_type),
            format: text(&self.format),
            license: text(&self.license),
            byte_size: self.byte_size.parse().ok(),
            ..DistributionJson::default()
        }
    }
}

/// The dataset properties the form has a field for.
const DATASET_FIELDS: &[(&str, &str)] = &[
    ("http://purl.org/dc/terms/title", "title"),
    ("http://purl.org/dc/terms/description", "description"),
    ("http://www.w3.org/ns/dcat#keyword", "keyword"),
    ("http://www.w3.org/ns/dcat#theme", "theme"),
    ("http://purl.org/dc/terms/language", "language"),
    ("http://purl.org/dc/terms/publisher", "publisher"),
    ("http://www.w3.org/ns/dcat#contactPoint", "contact"),
    ("http://purl.org/dc/terms/spatial", "spatial"),
    ("http://purl.org/dc/terms/temporal", "temporal"),
    ("http://purl.org/dc/terms/accrualPeriodicity", "frequency"),
    ("http://purl.org/dc/terms/accessRights", "access_rights"),
    ("http://purl.org/dc/terms/issued", "issued"),
    ("http://www.w3.org/ns/dcat#landingPage", "landing_page"),
    ("http://purl.org/dc/terms/creator", "creator"),
    ("http://www.w3.org/ns/dcat#distribution", "files"),
];

/// The distribution properties the form has a field for.
const FILE_FIELDS: &[(&str, &str)] = &[
    ("http://purl.org/dc/terms/title", "title"),
    ("http://purl.org/dc/terms/description", "description"),
    ("http://www.w3.org/ns/dcat#accessURL", "access_url"),
    ("http://www.w3.org/ns/dcat#downloadURL", "download_url"),
    ("http://purl.org/dc/terms/format", "format"),
    ("http://purl.org/dc/terms/license", "license"),
    ("http://www.w3.org/ns/dcat#mediaType", "media_type"),
    ("http://www.w3.org/ns/dcat#byteSize", "byte_size"),
];

/// The field a finding on the dataset `topic` is about (`access_urls`: those of its
/// blank-node files, by node, to find their rows): a dataset property's, or a file's (`d{N}_{field}`),
/// found by its IRI or, for a blank node, by its access URL. A new dataset's findings
/// (no `topic` yet) are the dataset's unless they are about one of our distributions.
pub fn field_of(
    fields: &DatasetFields,
    finding: &Finding,
    (topic, access_urls): (&str, &[(String, String)]),
) -> Option<String> {
    let path = finding.path.as_deref()?.trim_matches(['<', '>']);
    let focus = finding.focus.trim_matches(['<', '>']);
    let new_dataset =
        topic.is_empty() && !focus.starts_with("_:") && !focus.contains("/distributions/");
    if focus == topic || new_dataset {
        return lookup(DATASET_FIELDS, path).map(str::to_owned);
    }
    let url = access_urls
        .iter()
        .find(|(node, _)| node == focus)
        .map(|(_, url)| url.as_str());
    let index = fields.files.iter().position(|file| {
        let named =
            !file.id.is_empty() && (focus == file.id || focus.ends_with(&format!("/{}", file.id)));
        named || (file.id.is_empty() && url == Some(file.access_url.as_str()))
    })?;
    lookup(FILE_FIELDS, path).map(|field| format!("d{index}_{field}"))
}

impl super::FormFields for DatasetFields {
    type Model = DatasetJson;
    const KIND: crate::model::RecordKind = crate::model::RecordKind::Dataset;
    const TEMPLATE: &'static str = "dataset_form.html";
    const HEADINGS: [&'static str; 3] = ["form_new_dataset", "form_edit_dataset", "form_intro"];
    const PICKS: super::Picks = super::Picks::Publishers;

    fn from_model(model: &DatasetJson) -> Self {
        Self::from_model(model)
    }

    fn from_pairs(pairs: &[(String, String)]) -> Self {
        Self::from_pairs(pairs)
    }

    fn set(&mut self, name: &str, value: String) {
        self.set_field(name, value);
    }

    fn blank(own: &[(String, String)], _asked: &[(String, String)]) -> Self {
        Self::blank(own.first().map(|(iri, _)| iri.as_str()))
    }

    fn to_model(&self) -> Result<DatasetJson, Vec<FieldError>> {
        self.to_model()
    }

    fn offer_rows(&mut self) {
        self.add_blank_files();
    }

    fn field_of(
        &self,
        finding: &Finding,
        topic: &str,
        access_urls: &[(String, String)],
    ) -> Option<String> {
        field_of(self, finding, (topic, access_urls))
    }

    fn pickers(choices: &super::Choices, language: &str) -> serde_json::Value {
        use super::options;
        serde_json::json!({
            "themes": options(&choices.themes, language),
            "data_languages": options(&choices.languages, language),
            "frequencies": options(&choices.frequencies, language),
            "access_rights": options(&choices.access_rights, language),
            "file_types": options(&choices.file_types, language),
            "licences": options(&choices.licences, language),
            "media_types": options(&choices.media_types, language),
        })
    }
}

/// `d{N}_{field}` → `(N, field)`.
fn file_field(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix('d')?;
    let (index, field) = rest.split_once('_')?;
    Some((index.parse().ok()?, field))
}

#[cfg(test)]
mod tests {
    use super::super::pairs;
    use super::*;

    #[test]
    fn posted_fields_make_the_model_and_blank_rows_are_dropped() {
        let fields = DatasetFields::from_pairs(&pairs(&[
            ("title_fr", " Loutres "),
            ("title_en", ""),
            ("keyword_fr", "loutre, mammifères ;faune"),
            (
                "theme",
                "http://publications.europa.eu/resource/authority/data-theme/ENVI",
            ),
            ("contact_email", "obs@ecobio.fr"),
            ("d0_title", "Comptages"),
            ("d0_download_url", "https://ex.org/loutres.csv"),
            ("d0_byte_size", "1024"),
            ("d1_title", ""),
            ("d1_access_url", ""),
        ]));
        let model = fields.to_model().unwrap_or_default();
        assert_eq!(model.title.get("fr").map(String::as_str), Some("Loutres"));
        assert!(
            !model.title.contains_key("en"),
            "an empty field says nothing"
        );
        assert_eq!(model.keyword["fr"], ["loutre", "mammifères", "faune"]);
        assert_eq!(model.distribution.len(), 1);
        let file = &model.distribution[0];
        assert_eq!(
            file.access_url, "https://ex.org/loutres.csv",
            "a download is an access"
        );
        assert_eq!(file.byte_size, Some(1024));
        assert_eq!(
            model.contact_point.and_then(|c| c.has_email).as_deref(),
            Some("mailto:obs@ecobio.fr")
        );
    }

    #[test]
    fn mistakes_are_told_field_by_field() {
        let fields = DatasetFields::from_pairs(&pairs(&[
            ("landing_page", "javascript:alert(1)"),
            ("contact_email", "nobody"),
            ("issued", "2025-13-01"),
            (
                "creator",
                "https://orcid.org/0000-0002-1825-0097\nnot an iri",
            ),
            ("d0_access_url", "ftp:/x y"),
            ("d0_byte_size", "12 Mo"),
            ("d1_title", "Sans lien"),
        ]));
        let errors = fields.to_model().err().unwrap_or_default();
        let named: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            named,
            [
                "landing_page",
                "contact_email",
                "issued",
                "creator",
                "d0_access_url",
                "d0_byte_size",
                "d1_access_url"
            ]
        );
    }

    #[test]
    fn a_model_comes_back_as_the_same_fields() {
        let fields = DatasetFields::from_pairs(&pairs(&[
            ("title_fr", "Loutres"),
            ("description_en", "Otters"),
            (
                "spatial",
                "http://publications.europa.eu/resource/authority/country/FRA",
            ),
            ("d0_title", "Comptages"),
            ("d0_access_url", "https://ex.org/"),
            (
                "d0_license",
                "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
            ),
        ]));
        let model = fields.to_model().unwrap_or_default();
        let again = DatasetFields::from_model(&model);
        assert_eq!(again.to_model().unwrap_or_default(), model);
        assert_eq!(again.files.len(), 2, "one file and a blank row for another");
    }
}
