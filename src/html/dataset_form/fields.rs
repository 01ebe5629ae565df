//! The dataset form's fields, both ways: from the JSON model (to edit a record) and from
//! what the browser posts (to write one), with the mistakes a person can make in a field
//! told before anything is written.

use crate::model::json::{ContactJson, DatasetJson, DistributionJson, PeriodJson};
use serde::Serialize;
use std::collections::BTreeMap;

/// The languages the form has a text field for, in the order it shows them.
pub const LANGUAGES: [&str; 2] = ["fr", "en"];

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

/// A field the person must correct, and why (a message key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name in the form (`title_fr`, `d0_access_url`).
    pub field: String,
    /// The message key of what is wrong.
    pub key: &'static str,
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
            fields.set(name, value);
        }
        fields.files = files
            .into_iter()
            .filter(|(index, file)| !removed.contains(index) && !file.is_blank())
            .map(|(_, file)| file)
            .collect();
        fields
    }

    fn set(&mut self, name: &str, value: String) {
        if let Some((field, language)) = name.rsplit_once('_')
            && LANGUAGES.contains(&language)
        {
            let map = match field {
                "title" => &mut self.title,
                "description" => &mut self.description,
                "keyword" => &mut self.keyword,
                _ => return,
            };
            if !value.is_empty() {
                map.insert(language.to_owned(), value);
            }
            return;
        }
        match name {
            "id" => self.id = value,
            "theme" if !value.is_empty() => self.theme.push(value),
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
        let mut errors = Vec::new();
        let mut check = |field: &str, value: &str, test: fn(&str) -> bool, key: &'static str| {
            if !value.is_empty() && !test(value) {
                errors.push(FieldError {
                    field: field.to_owned(),
                    key,
                });
            }
        };
        check("id", &self.id, is_id, "field_bad_id");
        check(
            "landing_page",
            &self.landing_page,
            is_web_url,
            "field_bad_url",
        );
        check(
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
            check(field, value, is_date, "field_bad_date");
        }
        for (name, lines) in [("spatial", &self.spatial), ("creator", &self.creator)] {
            check(
                name,
                lines,
                |text| lines_of(text).all(is_iri),
                "field_bad_iri",
            );
        }
        check("publisher", &self.publisher, is_iri, "field_bad_iri");
        for (index, file) in self.files.iter().enumerate() {
            let name = |field: &str| format!("d{index}_{field}");
            check(
                &name("access_url"),
                &file.access_url,
                is_web_url,
                "field_bad_url",
            );
            check(
                &name("download_url"),
                &file.download_url,
                is_web_url,
                "field_bad_url",
            );
            check(
                &name("byte_size"),
                &file.byte_size,
                |v| v.parse::<u64>().is_ok(),
                "field_bad_number",
            );
        }
        for (index, file) in self.files.iter().enumerate() {
            if !file.is_blank() && file.access_url.is_empty() && file.download_url.is_empty() {
                errors.push(FieldError {
                    field: format!("d{index}_access_url"),
                    key: "need_access_url",
                });
            }
        }
        if errors.is_empty() {
            Ok(self.model())
        } else {
            Err(errors)
        }
    }

    fn model(&self) -> DatasetJson {
        let text = |value: &str| (!value.is_empty()).then(|| value.to_owned());
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
        let text = |value: &str| (!value.is_empty()).then(|| value.to_owned());
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

/// `d{N}_{field}` → `(N, field)`.
fn file_field(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix('d')?;
    let (index, field) = rest.split_once('_')?;
    Some((index.parse().ok()?, field))
}

fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

fn split_words(words: &str) -> Vec<String> {
    words
        .split([',', ';'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn is_iri(value: &str) -> bool {
    oxigraph::model::NamedNode::new(value).is_ok() && value.contains(':')
}

/// An absolute `http(s)` URL: never `javascript:` or `data:`, which a page would turn
/// into a link.
fn is_web_url(value: &str) -> bool {
    crate::model::is_web_url(value)
}

fn is_email(value: &str) -> bool {
    crate::model::is_email(value)
}

fn is_date(value: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(value, &format).is_ok()
}

fn is_id(value: &str) -> bool {
    crate::model::RecordId::parse(value).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

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
