//! Content negotiation by profile ([W3C DXWG](https://www.w3.org/TR/dx-prof-conneg/)) and by
//! media type, for a record: a pure function of what the request says, tested by a matrix.
//!
//! A profile and a media type combine: DCAT-AP 3 in every RDF syntax, schema.org as JSON-LD,
//! DataCite as XML. Citations and pages have no profile; they are chosen by media type.
//! Asking for a profile is `Accept-Profile` (URIs with q-values) or `?_profile=` (tokens or
//! URIs, `alt` for the list of what a record offers); the answer names its profile in
//! `Content-Profile`.

use super::Export;
use crate::model::vocab::DCAT_AP_PROFILE;
use crate::rdf::{Offer, Representation, negotiate, parse_quality};

/// A profile a record can be served in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// DCAT-AP 3 (every RDF syntax; the default for RDF).
    DcatAp,
    /// schema.org (JSON-LD).
    SchemaOrg,
    /// DataCite Metadata Schema 4 (XML).
    DataCite,
}

impl Profile {
    /// Every profile, in server preference order.
    pub const ALL: [Self; 3] = [Self::DcatAp, Self::SchemaOrg, Self::DataCite];

    /// The URI that names it (in `Accept-Profile`, `Content-Profile` and links).
    pub fn uri(self) -> &'static str {
        match self {
            Self::DcatAp => DCAT_AP_PROFILE.as_str(),
            Self::SchemaOrg => "https://schema.org/",
            Self::DataCite => "http://datacite.org/schema/kernel-4",
        }
    }

    /// Other URIs clients use for it.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::DcatAp => &["http://data.europa.eu/r5r/", "http://data.europa.eu/r5r"],
            Self::SchemaOrg => &[
                "https://schema.org",
                "http://schema.org",
                "http://schema.org/",
            ],
            Self::DataCite => &[
                "https://schema.datacite.org/meta/kernel-4/",
                "http://schema.datacite.org/meta/kernel-4/",
            ],
        }
    }

    /// Its token for `?_profile=`.
    pub const fn token(self) -> &'static str {
        match self {
            Self::DcatAp => "dcat-ap",
            Self::SchemaOrg => "schemaorg",
            Self::DataCite => "datacite",
        }
    }

    /// A human name.
    pub const fn label(self) -> &'static str {
        match self {
            Self::DcatAp => "DCAT-AP 3",
            Self::SchemaOrg => "schema.org",
            Self::DataCite => "DataCite Metadata Schema 4",
        }
    }

    /// The formats it can be served in, its default first.
    pub const fn formats(self) -> &'static [Format] {
        match self {
            Self::DcatAp => &[
                Format::Rdf(Representation::Turtle),
                Format::Rdf(Representation::JsonLd),
                Format::Rdf(Representation::RdfXml),
                Format::Rdf(Representation::NTriples),
                Format::Rdf(Representation::NQuads),
                Format::Rdf(Representation::TriG),
            ],
            Self::SchemaOrg => &[
                Format::Export(Export::SchemaOrgLd),
                Format::Export(Export::SchemaOrg),
            ],
            Self::DataCite => &[Format::Export(Export::DataCite)],
        }
    }

    /// The profile a token or URI names.
    fn named(name: &str) -> Option<Self> {
        let name = name.trim().trim_start_matches('<').trim_end_matches('>');
        Self::ALL.into_iter().find(|p| {
            p.token().eq_ignore_ascii_case(name) || p.uri() == name || p.aliases().contains(&name)
        })
    }
}

/// What a record is served as: an RDF syntax or a page, or an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// An RDF syntax (DCAT-AP) or the HTML page.
    Rdf(Representation),
    /// DataCite, schema.org or a citation.
    Export(Export),
}

impl Format {
    /// The `Content-Type` header value.
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Rdf(r) => r.content_type(),
            Self::Export(e) => e.content_type(),
        }
    }

    /// The profile the answer conforms to, for `Content-Profile`.
    pub const fn profile(self) -> Option<Profile> {
        match self {
            Self::Rdf(Representation::Html) => None,
            Self::Rdf(_) => Some(Profile::DcatAp),
            Self::Export(Export::DataCite) => Some(Profile::DataCite),
            Self::Export(Export::SchemaOrg | Export::SchemaOrgLd) => Some(Profile::SchemaOrg),
            Self::Export(_) => None,
        }
    }

    /// Whether the answer depends on the reader's language.
    pub const fn depends_on_language(self) -> bool {
        match self {
            Self::Rdf(r) => matches!(r, Representation::Html),
            Self::Export(e) => e.depends_on_language(),
        }
    }
}

impl From<Representation> for Format {
    fn from(representation: Representation) -> Self {
        Self::Rdf(representation)
    }
}

impl Offer for Format {
    fn media_type(self) -> &'static str {
        match self {
            Self::Rdf(r) => r.media_type(),
            Self::Export(e) => e.media_type(),
        }
    }
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Rdf(r) => r.aliases(),
            Self::Export(_) => &[],
        }
    }
}

/// What a request says about the answer it wants.
#[derive(Debug, Default, Clone, Copy)]
pub struct Asked<'a> {
    /// A URL suffix (`.ttl`): the strongest choice of media type.
    pub suffix: Option<Representation>,
    /// `?format=` (or `?_mediatype=`): a name or a media type.
    pub format: Option<&'a str>,
    /// The `Accept` header.
    pub accept: Option<&'a str>,
    /// `?_profile=`: tokens or URIs, comma-separated, or `alt`.
    pub profile: Option<&'a str>,
    /// The `Accept-Profile` header.
    pub accept_profile: Option<&'a str>,
}

/// The answer chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileChoice {
    /// The record in this format.
    Serve(Format),
    /// The list of the record's profiles and formats (`_profile=alt`), in this RDF syntax.
    Alternates(Representation),
}

/// Why nothing can be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `?format=` names nothing we know (400); these we know.
    UnknownFormat {
        /// What was given.
        given: String,
        /// The media types that could be asked for.
        offered: Vec<&'static str>,
    },
    /// No acceptable media type among these (406).
    NotAcceptable(Vec<&'static str>),
    /// No profile asked for can be served; these can (406).
    NoProfile(Vec<Profile>),
}

/// Picks what to serve for a record; `exports` when it is a dataset or data paper (other
/// records are DCAT-AP RDF and pages only).
pub fn negotiate_record(asked: &Asked<'_>, exports: bool) -> Result<ProfileChoice, Refusal> {
    let offered: Vec<Profile> = if exports {
        Profile::ALL.to_vec()
    } else {
        vec![Profile::DcatAp]
    };
    let pinned = pinned_format(asked, exports)?;
    let Some(profiles) = asked_profiles(asked, &offered)? else {
        return serve_by_media_type(asked, pinned, exports);
    };
    let Some(profiles) = profiles else {
        // `alt`: the list itself, in an RDF syntax.
        let syntaxes = Profile::DcatAp.formats();
        return match pinned {
            Some(Format::Rdf(r)) if r != Representation::Html => Ok(ProfileChoice::Alternates(r)),
            Some(_) => Err(Refusal::NotAcceptable(media_types(syntaxes))),
            None => match negotiate(asked.accept, syntaxes) {
                Some(Format::Rdf(r)) => Ok(ProfileChoice::Alternates(r)),
                _ => Err(Refusal::NotAcceptable(media_types(syntaxes))),
            },
        };
    };
    let mut acceptable = Vec::new();
    for profile in &profiles {
        let formats = profile.formats();
        acceptable.extend(media_types(formats));
        let chosen = match pinned {
            Some(format) => formats.contains(&format).then_some(format),
            None => negotiate(asked.accept, formats),
        };
        if let Some(format) = chosen {
            return Ok(ProfileChoice::Serve(format));
        }
    }
    Err(Refusal::NotAcceptable(acceptable))
}

/// Every format a record offers without a profile asked, in server preference order
/// (Turtle first; schema.org asked as plain JSON-LD is DCAT-AP's JSON-LD).
fn all_formats(exports: bool) -> Vec<Format> {
    let mut formats: Vec<Format> = Representation::ALL.into_iter().map(Format::Rdf).collect();
    if exports {
        formats.extend(
            Export::ALL
                .into_iter()
                .filter(|e| *e != Export::SchemaOrgLd)
                .map(Format::Export),
        );
    }
    formats
}

fn media_types(formats: &[Format]) -> Vec<&'static str> {
    formats.iter().map(|f| f.media_type()).collect()
}

/// No profile asked: the suffix, `?format=` or `Accept` decides.
fn serve_by_media_type(
    asked: &Asked<'_>,
    pinned: Option<Format>,
    exports: bool,
) -> Result<ProfileChoice, Refusal> {
    if let Some(format) = pinned {
        return Ok(ProfileChoice::Serve(format));
    }
    let formats = all_formats(exports);
    negotiate(asked.accept, &formats)
        .map(ProfileChoice::Serve)
        .ok_or_else(|| Refusal::NotAcceptable(media_types(&formats)))
}

/// The format a suffix or `?format=` pins, if any.
fn pinned_format(asked: &Asked<'_>, exports: bool) -> Result<Option<Format>, Refusal> {
    if let Some(representation) = asked.suffix {
        return Ok(Some(Format::Rdf(representation)));
    }
    let Some(given) = asked.format else {
        return Ok(None);
    };
    let found = Representation::from_format_param(given)
        .map(Format::Rdf)
        .or_else(|| {
            Export::from_format_param(given)
                .filter(|_| exports)
                .map(Format::Export)
        });
    found.map(Some).ok_or_else(|| Refusal::UnknownFormat {
        given: given.to_owned(),
        offered: media_types(&all_formats(exports)),
    })
}

/// The profiles asked for, best first: `Ok(None)` when none is asked, `Ok(Some(None))` for
/// `alt`; a 406 naming `offered` when profiles are asked and none of them is offered.
#[allow(clippy::option_option)]
fn asked_profiles(
    asked: &Asked<'_>,
    offered: &[Profile],
) -> Result<Option<Option<Vec<Profile>>>, Refusal> {
    let weighed: Vec<(u16, Option<Profile>)> = if let Some(tokens) = asked.profile {
        if tokens
            .split(',')
            .any(|t| t.trim().eq_ignore_ascii_case("alt"))
        {
            return Ok(Some(None));
        }
        tokens
            .split(',')
            .filter(|t| !t.trim().is_empty())
            .map(|t| (1000, Profile::named(t)))
            .collect()
    } else if let Some(header) = asked.accept_profile.filter(|h| !h.trim().is_empty()) {
        parse_accept_profile(header)
    } else {
        return Ok(None);
    };
    let mut known: Vec<(u16, Profile)> = weighed
        .into_iter()
        .filter_map(|(q, p)| Some((q, p?)))
        .filter(|(q, p)| *q > 0 && offered.contains(p))
        .collect();
    // Highest q first; on a tie, the order the client gave.
    known.sort_by_key(|(q, _)| std::cmp::Reverse(*q));
    if known.is_empty() {
        return Err(Refusal::NoProfile(offered.to_vec()));
    }
    Ok(Some(Some(known.into_iter().map(|(_, p)| p).collect())))
}

/// `Accept-Profile: <uri>;q=0.9, <uri>`: each profile with its weight in thousandths
/// (`None` for one we do not know). A malformed weight counts as 0.
fn parse_accept_profile(header: &str) -> Vec<(u16, Option<Profile>)> {
    header
        .split(',')
        .filter(|part| !part.trim().is_empty())
        .map(|part| {
            let mut pieces = part.split(';');
            let name = pieces.next().unwrap_or("");
            let mut quality = 1000;
            for parameter in pieces {
                if let Some((key, value)) = parameter.split_once('=')
                    && key.trim().eq_ignore_ascii_case("q")
                {
                    quality = parse_quality(value.trim()).unwrap_or(0);
                }
            }
            (quality, Profile::named(name))
        })
        .collect()
}

#[cfg(test)]
#[path = "profile_tests.rs"]
mod tests;
