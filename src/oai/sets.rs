//! The repository's sets: by kind (`datasets`, `data-papers`), by publisher
//! (`publisher:{id}`, the publisher's record id), by EU data theme (`theme:{CODE}`) and by
//! harvest source (`source:{name}`); `publisher`, `theme` and `source` hold every record
//! that has one.

use crate::exports::WorkKind;

/// The EU data-theme IRIs' namespace; their codes name theme sets.
pub const EU_THEMES: &str = "http://publications.europa.eu/resource/authority/data-theme/";

/// A set a harvester can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Set {
    /// Every dataset.
    Datasets,
    /// Every data paper.
    DataPapers,
    /// Records with a publisher, or with this one (its record id).
    Publisher(Option<String>),
    /// Records with an EU data theme, or with this one (its code).
    Theme(Option<String>),
    /// Harvested records, or those of this harvest source (its name).
    Source(Option<String>),
}

/// Whether `part` can be one part of a `setSpec` (the protocol's unreserved characters).
fn spec_part(part: &str) -> bool {
    !part.is_empty()
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c))
}

impl Set {
    /// The set a `setSpec` names, if it is one of ours.
    pub fn parse(spec: &str) -> Option<Self> {
        let (head, tail) = match spec.split_once(':') {
            Some((head, tail)) => (head, Some(tail)),
            None => (spec, None),
        };
        let tail = match tail {
            Some(t) if spec_part(t) => Some(t.to_owned()),
            Some(_) => return None,
            None => None,
        };
        match (head, tail) {
            ("datasets", None) => Some(Self::Datasets),
            ("data-papers", None) => Some(Self::DataPapers),
            ("publisher", tail) => Some(Self::Publisher(tail)),
            ("theme", tail) => Some(Self::Theme(tail)),
            ("source", tail) => Some(Self::Source(tail)),
            _ => None,
        }
    }

    /// Its `setSpec`.
    pub fn spec(&self) -> String {
        match self {
            Self::Datasets => "datasets".into(),
            Self::DataPapers => "data-papers".into(),
            Self::Publisher(None) => "publisher".into(),
            Self::Publisher(Some(id)) => format!("publisher:{id}"),
            Self::Theme(None) => "theme".into(),
            Self::Theme(Some(code)) => format!("theme:{code}"),
            Self::Source(None) => "source".into(),
            Self::Source(Some(name)) => format!("source:{name}"),
        }
    }

    /// Which kinds of record it can hold: (datasets, data papers).
    pub const fn kinds(&self) -> (bool, bool) {
        match self {
            Self::Datasets => (true, false),
            Self::DataPapers => (false, true),
            Self::Publisher(_) | Self::Theme(_) => (true, true),
            Self::Source(_) => (true, false),
        }
    }

    /// Whether a record whose sets are `specs` is in this set.
    pub fn holds(&self, specs: &[String]) -> bool {
        let own = self.spec();
        specs.contains(&own)
    }
}

/// What places a record in sets besides its kind.
#[derive(Debug, Default, Clone, Copy)]
pub struct Memberships<'a> {
    /// Its publisher's record id.
    pub publisher: Option<&'a str>,
    /// Its themes' IRIs.
    pub themes: &'a [String],
    /// The name of the harvest source it came from.
    pub source: Option<&'a str>,
}

/// The `setSpec`s of a record of `kind`: its kind's, and its publisher's, themes' and
/// source's with their parents.
pub fn specs_of(kind: WorkKind, memberships: Memberships<'_>) -> Vec<String> {
    let Memberships {
        publisher,
        themes,
        source,
    } = memberships;
    let mut specs = vec![match kind {
        WorkKind::Dataset => Set::Datasets.spec(),
        WorkKind::DataPaper => Set::DataPapers.spec(),
    }];
    if let Some(publisher) = publisher.filter(|p| spec_part(p)) {
        specs.push(Set::Publisher(None).spec());
        specs.push(Set::Publisher(Some(publisher.to_owned())).spec());
    }
    let codes: Vec<&str> = themes
        .iter()
        .filter_map(|iri| iri.strip_prefix(EU_THEMES))
        .filter(|code| spec_part(code))
        .collect();
    if !codes.is_empty() {
        specs.push(Set::Theme(None).spec());
        for code in codes {
            specs.push(Set::Theme(Some(code.to_owned())).spec());
        }
    }
    if let Some(source) = source.filter(|s| spec_part(s)) {
        specs.push(Set::Source(None).spec());
        specs.push(Set::Source(Some(source.to_owned())).spec());
    }
    specs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_specs_read_back_and_hold_their_records() {
        for spec in [
            "datasets",
            "data-papers",
            "publisher",
            "publisher:ecobio",
            "theme:ENVI",
            "source:region",
        ] {
            assert_eq!(Set::parse(spec).map(|s| s.spec()).as_deref(), Some(spec));
        }
        for bad in ["", "papers", "publisher:", "theme:a b", "datasets:x"] {
            assert_eq!(Set::parse(bad), None, "{bad}");
        }
        let themes = [
            format!("{EU_THEMES}ENVI"),
            "http://example.org/other".into(),
        ];
        let memberships = Memberships {
            publisher: Some("ecobio"),
            themes: &themes,
            source: Some("region"),
        };
        let specs = specs_of(WorkKind::Dataset, memberships);
        assert_eq!(
            specs,
            [
                "datasets",
                "publisher",
                "publisher:ecobio",
                "theme",
                "theme:ENVI",
                "source",
                "source:region"
            ]
        );
        assert!(Set::Source(Some("region".into())).holds(&specs));
        assert!(Set::Theme(Some("ENVI".into())).holds(&specs));
        assert!(Set::Publisher(None).holds(&specs));
        assert!(!Set::DataPapers.holds(&specs));
        assert!(!Set::Theme(Some("AGRI".into())).holds(&specs));
    }
}
