//! The protocol's argument rules, one case each.

use super::*;

fn pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn code(query: &str) -> &'static str {
    match parse(&pairs(query), 0) {
        Ok(_) => "ok",
        Err(error) => error.code(),
    }
}

#[test]
fn verbs_and_their_arguments() {
    let cases = [
        ("", "badVerb"),
        ("verb=Dance", "badVerb"),
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=Identify", "ok"),
        ("verb=Identify&metadataPrefix=oai_dc", "badArgument"),
        ("verb=ListMetadataFormats", "ok"),
        ("verb=ListMetadataFormats&identifier=oai:x:y", "ok"),
        ("verb=ListSets", "ok"),
        ("verb=ListSets&resumptionToken=abc", "badResumptionToken"),
        ("verb=ListRecords", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc", "ok"),
        (
            "verb=ListRecords&metadataPrefix=marc21",
            "cannotDisseminateFormat",
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=oai_dc&metadataPrefix=oai_dc",
            "badArgument",
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=oai_dc&colour=blue",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01",
            "ok",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T10:00:00Z",
            "ok",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2024-13-01",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=yesterday",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T10:00:00",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T10:00:00.5Z",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-01-01T10:00:00Z",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-01&until=2024-01-01",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-01-01",
            "ok",
        ),
        (
            "verb=ListRecords&resumptionToken=garbage",
            "badResumptionToken",
        ),
        (
            "verb=ListRecords&resumptionToken=garbage&metadataPrefix=oai_dc",
            "badArgument",
        ),
        ("verb=GetRecord&identifier=oai:x:y", "badArgument"),
        (
            "verb=GetRecord&identifier=oai:x:y&metadataPrefix=oai_datacite",
            "ok",
        ),
        (
            "verb=GetRecord&identifier=oai:x:y&metadataPrefix=mods",
            "cannotDisseminateFormat",
        ),
    ];
    for (query, expected) in cases {
        assert_eq!(code(query), expected, "{query}");
    }
}

#[test]
fn dates_cover_their_whole_second_or_day() -> Result<(), OaiError> {
    let Verb::ListRecords(ListRequest::Start(arguments)) = parse(
        &pairs("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-01-01"),
        0,
    )?
    else {
        panic!("not a fresh list");
    };
    assert_eq!(arguments.from, Some(1_704_067_200_000));
    assert_eq!(arguments.until, Some(1_704_067_200_000 + 86_400_000 - 1));
    let Verb::ListIdentifiers(ListRequest::Start(arguments)) = parse(
        &pairs(
            "verb=ListIdentifiers&metadataPrefix=dcat_ap&until=2024-01-01T00:00:10Z&set=datasets",
        ),
        0,
    )?
    else {
        panic!("not a fresh list");
    };
    assert_eq!(arguments.until, Some(1_704_067_210_999));
    assert_eq!(arguments.set.as_deref(), Some("datasets"));
    assert_eq!(arguments.format, MetadataFormat::DcatAp);
    Ok(())
}

#[test]
fn a_token_resumes_the_list_it_came_from() -> Result<(), OaiError> {
    let token = super::super::ResumptionToken {
        arguments: ListArguments {
            format: MetadataFormat::OaiDc,
            from: None,
            until: None,
            set: None,
        },
        after: crate::store::FeedKey {
            modified: 5,
            id: crate::model::RecordId::parse("x").unwrap_or_else(|e| panic!("{e}")),
        },
        cursor: 100,
        expires: 10,
    };
    let query = vec![
        ("verb".to_owned(), "ListRecords".to_owned()),
        ("resumptionToken".to_owned(), token.write()),
    ];
    assert_eq!(
        parse(&query, 0)?,
        Verb::ListRecords(ListRequest::Resume(token.clone()))
    );
    assert!(matches!(
        parse(&query, 11),
        Err(OaiError::BadResumptionToken(_))
    ));
    Ok(())
}
