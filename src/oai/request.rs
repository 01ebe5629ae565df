//! Reading an OAI-PMH request: its verb and arguments, checked as the protocol says
//! (section 3.1): an unknown, missing or repeated verb is `badVerb`; a missing, unknown,
//! repeated or ill-formed argument is `badArgument`; a resumption token is exclusive.

use super::token::ResumptionToken;
use super::{ListArguments, MetadataFormat, OaiError};
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// A list request: fresh, or resumed by a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListRequest {
    /// The first page.
    Start(ListArguments),
    /// A later page.
    Resume(ResumptionToken),
}

/// A checked OAI-PMH request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    /// `Identify`.
    Identify,
    /// `ListMetadataFormats`, for one item or the repository.
    ListMetadataFormats(Option<String>),
    /// `ListSets` (we never hand out tokens for sets).
    ListSets,
    /// `ListIdentifiers`.
    ListIdentifiers(ListRequest),
    /// `ListRecords`.
    ListRecords(ListRequest),
    /// `GetRecord`: identifier, format.
    GetRecord(String, MetadataFormat),
}

impl Verb {
    /// The verb's name, for the response's `request` element and its wrapper element.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Identify => "Identify",
            Self::ListMetadataFormats(_) => "ListMetadataFormats",
            Self::ListSets => "ListSets",
            Self::ListIdentifiers(_) => "ListIdentifiers",
            Self::ListRecords(_) => "ListRecords",
            Self::GetRecord(..) => "GetRecord",
        }
    }
}

/// The arguments each verb takes: (required, optional).
fn allowed(verb: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match verb {
        "Identify" => (&[], &[]),
        "ListMetadataFormats" => (&[], &["identifier"]),
        "ListSets" => (&[], &["resumptionToken"]),
        "ListIdentifiers" | "ListRecords" => (
            &[],
            &["metadataPrefix", "from", "until", "set", "resumptionToken"],
        ),
        "GetRecord" => (&["identifier", "metadataPrefix"], &[]),
        _ => return None,
    })
}

/// Checks `pairs` (from the query string or a form body) and reads the request; `now`
/// judges a token's expiry.
pub fn parse(pairs: &[(String, String)], now: i64) -> Result<Verb, OaiError> {
    let verbs: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "verb")
        .map(|(_, v)| v.as_str())
        .collect();
    let [verb] = verbs[..] else {
        return Err(OaiError::BadVerb(if verbs.is_empty() {
            "no verb given".into()
        } else {
            "the verb is repeated".into()
        }));
    };
    let Some((required, optional)) = allowed(verb) else {
        return Err(OaiError::BadVerb(format!(
            "{verb:?} is not an OAI-PMH verb"
        )));
    };
    let mut seen: Vec<&str> = Vec::new();
    for (key, _) in pairs.iter().filter(|(k, _)| k != "verb") {
        if !required.contains(&key.as_str()) && !optional.contains(&key.as_str()) {
            return Err(OaiError::BadArgument(format!(
                "{verb} takes no {key:?} argument"
            )));
        }
        if seen.contains(&key.as_str()) {
            return Err(OaiError::BadArgument(format!("{key} is repeated")));
        }
        seen.push(key);
    }
    for key in required {
        if !seen.contains(key) {
            return Err(OaiError::BadArgument(format!("{verb} needs {key}")));
        }
    }
    let arguments = Arguments(pairs);
    let get = |key: &str| arguments.get(key);
    Ok(match verb {
        "Identify" => Verb::Identify,
        "ListMetadataFormats" => Verb::ListMetadataFormats(get("identifier").map(str::to_owned)),
        "ListSets" => {
            if get("resumptionToken").is_some() {
                return Err(OaiError::BadResumptionToken(
                    "the list of sets is complete in one answer".into(),
                ));
            }
            Verb::ListSets
        }
        "GetRecord" => {
            let prefix = get("metadataPrefix").unwrap_or_default();
            let format = MetadataFormat::from_prefix(prefix)
                .ok_or_else(|| OaiError::CannotDisseminateFormat(prefix.to_owned()))?;
            Verb::GetRecord(get("identifier").unwrap_or_default().to_owned(), format)
        }
        list => {
            let request = list_request(&arguments, now)?;
            if list == "ListRecords" {
                Verb::ListRecords(request)
            } else {
                Verb::ListIdentifiers(request)
            }
        }
    })
}

/// A request's arguments, looked up by name (each appears once: checked before).
struct Arguments<'a>(&'a [(String, String)]);

impl<'a> Arguments<'a> {
    fn get(&self, key: &str) -> Option<&'a str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A list's arguments: a token alone, or a format with optional dates and set.
fn list_request(arguments: &Arguments<'_>, now: i64) -> Result<ListRequest, OaiError> {
    let get = |key: &str| arguments.get(key);
    if let Some(token) = get("resumptionToken") {
        if ["metadataPrefix", "from", "until", "set"]
            .iter()
            .any(|k| get(k).is_some())
        {
            return Err(OaiError::BadArgument(
                "resumptionToken is an exclusive argument".into(),
            ));
        }
        return ResumptionToken::read(token, now).map(ListRequest::Resume);
    }
    let prefix = get("metadataPrefix")
        .ok_or_else(|| OaiError::BadArgument("metadataPrefix is required".into()))?;
    let format = MetadataFormat::from_prefix(prefix)
        .ok_or_else(|| OaiError::CannotDisseminateFormat(prefix.to_owned()))?;
    let from = get("from").map(|d| datestamp(d, false)).transpose()?;
    let until = get("until").map(|d| datestamp(d, true)).transpose()?;
    if let (Some(f), Some(u)) = (get("from"), get("until"))
        && f.len() != u.len()
    {
        return Err(OaiError::BadArgument(
            "from and until must have the same granularity".into(),
        ));
    }
    if let (Some(from), Some(until)) = (from, until)
        && until < from
    {
        return Err(OaiError::BadArgument("until is before from".into()));
    }
    Ok(ListRequest::Start(ListArguments {
        format,
        from,
        until,
        set: get("set").map(str::to_owned),
    }))
}

/// A `from` or `until` datestamp (`YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`) in
/// milliseconds: its first millisecond, or its last for `until`.
fn datestamp(value: &str, end: bool) -> Result<i64, OaiError> {
    let bad = || {
        OaiError::BadArgument(format!(
            "{value:?} is not a datestamp (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)"
        ))
    };
    let (start, span) = if value.len() == 10 {
        let date =
            Date::parse(value, format_description!("[year]-[month]-[day]")).map_err(|_| bad())?;
        (date.midnight().assume_utc(), 86_400_000)
    } else {
        let time = PrimitiveDateTime::parse(
            value,
            format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"),
        )
        .map_err(|_| bad())?;
        (time.assume_utc(), 1000)
    };
    let millis = millis_of(start);
    Ok(if end { millis + span - 1 } else { millis })
}

fn millis_of(time: OffsetDateTime) -> i64 {
    i64::try_from(time.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
