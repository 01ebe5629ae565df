//! The negotiation matrix: media types, profiles with q-values, tokens, `alt`, refusals.

use super::*;
use Representation::{Html, JsonLd, RdfXml, Turtle};

const SCHEMA: &str = "https://schema.org/";
const DATACITE: &str = "http://datacite.org/schema/kernel-4";

fn choose(asked: Asked<'_>) -> Result<ProfileChoice, Refusal> {
    negotiate_record(&asked, true)
}

fn serve(format: impl Into<Format>) -> Result<ProfileChoice, Refusal> {
    Ok(ProfileChoice::Serve(format.into()))
}

fn accept(accept: &str) -> Asked<'_> {
    Asked {
        accept: Some(accept),
        ..Asked::default()
    }
}

#[test]
fn media_types_alone_choose_among_rdf_pages_and_exports() {
    let matrix: [(&str, Result<ProfileChoice, Refusal>); 10] = [
        ("", serve(Turtle)),
        ("*/*", serve(Turtle)),
        ("text/html,application/xhtml+xml,*/*;q=0.8", serve(Html)),
        ("application/ld+json", serve(JsonLd)),
        (
            "application/vnd.datacite.datacite+xml",
            serve(Format::Export(Export::DataCite)),
        ),
        (
            "application/vnd.schemaorg.ld+json",
            serve(Format::Export(Export::SchemaOrg)),
        ),
        (
            "application/x-bibtex",
            serve(Format::Export(Export::BibTex)),
        ),
        (
            "application/x-research-info-systems",
            serve(Format::Export(Export::Ris)),
        ),
        (
            "application/vnd.citationstyles.csl+json;q=0.9, text/x-bibliography",
            serve(Format::Export(Export::Bibliography)),
        ),
        (
            "image/png",
            Err(Refusal::NotAcceptable(media_types(&all_formats(true)))),
        ),
    ];
    for (header, expected) in matrix {
        let asked = if header.is_empty() {
            Asked::default()
        } else {
            accept(header)
        };
        assert_eq!(choose(asked), expected, "Accept: {header}");
    }
}

#[test]
fn accept_profile_weighs_profiles_and_combines_with_accept() {
    let cases = [
        // The best profile with an acceptable media type wins.
        (
            format!("<{SCHEMA}>"),
            "*/*",
            serve(Format::Export(Export::SchemaOrgLd)),
        ),
        (
            format!("<{DATACITE}>"),
            "*/*",
            serve(Format::Export(Export::DataCite)),
        ),
        (
            format!("<{SCHEMA}>;q=0.5, <{DATACITE}>;q=0.9"),
            "*/*",
            serve(Format::Export(Export::DataCite)),
        ),
        (
            format!("<{SCHEMA}>;q=0.9, <{DATACITE}>;q=0.5"),
            "*/*",
            serve(Format::Export(Export::SchemaOrgLd)),
        ),
        // The preferred profile has no acceptable media type: the next one serves.
        (
            format!("<{DATACITE}>;q=1, <http://data.europa.eu/r5r/>;q=0.5"),
            "text/turtle",
            serve(Turtle),
        ),
        // schema.org asked with plain JSON-LD is schema.org, not DCAT-AP's JSON-LD.
        (
            format!("<{SCHEMA}>"),
            "application/ld+json",
            serve(Format::Export(Export::SchemaOrgLd)),
        ),
        (
            format!("<{}>", crate::model::vocab::DCAT_AP_PROFILE.as_str()),
            "application/rdf+xml",
            serve(RdfXml),
        ),
        // q=0 refuses a profile.
        (
            format!("<{SCHEMA}>;q=0, <{DATACITE}>;q=0.1"),
            "*/*",
            serve(Format::Export(Export::DataCite)),
        ),
    ];
    for (profiles, media, expected) in cases {
        let asked = Asked {
            accept: Some(media),
            accept_profile: Some(&profiles),
            ..Asked::default()
        };
        assert_eq!(
            choose(asked),
            expected,
            "Accept-Profile: {profiles}; Accept: {media}"
        );
    }
}

#[test]
fn profiles_that_cannot_be_served_are_refused_naming_what_can() {
    let unknown = Asked {
        accept_profile: Some("<http://example.org/other-profile>"),
        ..Asked::default()
    };
    assert_eq!(
        choose(unknown),
        Err(Refusal::NoProfile(Profile::ALL.to_vec()))
    );
    let refused = Asked {
        accept_profile: Some("<https://schema.org/>;q=0"),
        ..Asked::default()
    };
    assert!(matches!(choose(refused), Err(Refusal::NoProfile(_))));
    // DataCite only as XML.
    let mismatch = Asked {
        accept: Some("text/turtle"),
        accept_profile: Some("<http://datacite.org/schema/kernel-4>"),
        ..Asked::default()
    };
    assert_eq!(
        choose(mismatch),
        Err(Refusal::NotAcceptable(vec![
            "application/vnd.datacite.datacite+xml"
        ]))
    );
    // Agents and distributions offer DCAT-AP only.
    let agent = Asked {
        profile: Some("datacite"),
        ..Asked::default()
    };
    assert_eq!(
        negotiate_record(&agent, false),
        Err(Refusal::NoProfile(vec![Profile::DcatAp]))
    );
}

#[test]
fn tokens_and_format_parameters_pin_the_choice() {
    let token = |profile, format: Option<&'static str>| Asked {
        profile: Some(profile),
        format,
        accept: Some("text/html,*/*;q=0.8"),
        ..Asked::default()
    };
    assert_eq!(
        choose(token("schemaorg", None)),
        serve(Format::Export(Export::SchemaOrgLd))
    );
    assert_eq!(
        choose(token("datacite", None)),
        serve(Format::Export(Export::DataCite))
    );
    assert_eq!(choose(token("dcat-ap", None)), serve(Turtle));
    assert_eq!(choose(token("dcat-ap", Some("rdf"))), serve(RdfXml));
    assert_eq!(
        choose(token("dcat-ap", Some("datacite"))),
        Err(Refusal::NotAcceptable(media_types(
            Profile::DcatAp.formats()
        )))
    );
    assert_eq!(
        choose(token("nonsense", None)),
        Err(Refusal::NoProfile(Profile::ALL.to_vec()))
    );
    let format = |value| Asked {
        format: Some(value),
        ..Asked::default()
    };
    assert_eq!(
        choose(format("bibtex")),
        serve(Format::Export(Export::BibTex))
    );
    assert_eq!(
        choose(format("text/x-bibliography")),
        serve(Format::Export(Export::Bibliography))
    );
    assert_eq!(choose(format("ttl")), serve(Turtle));
    assert!(matches!(
        choose(format("pdf")),
        Err(Refusal::UnknownFormat { given, offered }) if given == "pdf" && offered.contains(&"application/x-bibtex")
    ));
    assert!(matches!(
        negotiate_record(&format("bibtex"), false),
        Err(Refusal::UnknownFormat { offered, .. }) if !offered.contains(&"application/x-bibtex")
    ));
}

#[test]
fn alt_lists_the_profiles_in_rdf() {
    let alt = |accept, suffix| Asked {
        profile: Some("alt"),
        accept,
        suffix,
        ..Asked::default()
    };
    assert_eq!(
        choose(alt(None, None)),
        Ok(ProfileChoice::Alternates(Turtle))
    );
    assert_eq!(
        choose(alt(Some("application/ld+json"), None)),
        Ok(ProfileChoice::Alternates(JsonLd))
    );
    assert_eq!(
        choose(alt(None, Some(RdfXml))),
        Ok(ProfileChoice::Alternates(RdfXml))
    );
    assert!(matches!(
        choose(alt(Some("application/x-bibtex"), None)),
        Err(Refusal::NotAcceptable(_))
    ));
}

#[test]
fn every_answer_but_pages_and_citations_names_its_profile() {
    for format in all_formats(true) {
        let profile = format.profile();
        match format {
            Format::Rdf(Html) => assert_eq!(profile, None),
            Format::Rdf(_) => assert_eq!(profile, Some(Profile::DcatAp)),
            Format::Export(Export::DataCite) => assert_eq!(profile, Some(Profile::DataCite)),
            Format::Export(Export::SchemaOrg | Export::SchemaOrgLd) => {
                assert_eq!(profile, Some(Profile::SchemaOrg))
            }
            Format::Export(_) => assert_eq!(profile, None),
        }
    }
    for profile in Profile::ALL {
        for format in profile.formats() {
            assert_eq!(format.profile(), Some(profile));
        }
    }
}
