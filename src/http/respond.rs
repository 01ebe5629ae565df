//! Choosing a representation and writing a dereferencing response: content negotiation,
//! `Vary`, `ETag`/`Last-Modified` with conditional requests, and `Link` alternates.

use super::errors::HttpError;
use crate::exports::{Format, Profile};
use crate::model::Variants;
use crate::rdf::{Representation, negotiate, parse_quality};
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};
use std::time::SystemTime;

/// How the client asked for a representation, strongest first: a URL suffix, then
/// `?format=`, then `Accept`.
pub fn choose(
    request: &HttpRequest,
    suffix: Option<Representation>,
) -> Result<Representation, HttpError> {
    choose_from(request, suffix, &Representation::ALL)
}

/// [`choose`] among `offers` only (a suffix is trusted to be one of them).
pub fn choose_from(
    request: &HttpRequest,
    suffix: Option<Representation>,
    offers: &[Representation],
) -> Result<Representation, HttpError> {
    if let Some(representation) = suffix {
        return Ok(representation);
    }
    if let Some(given) = query_parameter(request, "format").ok().flatten() {
        return Representation::from_format_param(&given)
            .filter(|r| offers.contains(r))
            .ok_or(HttpError::UnknownFormat {
                given,
                offered: offers.iter().map(|r| r.media_type()).collect(),
            });
    }
    negotiate(accept(request), offers)
        .ok_or_else(|| HttpError::NotAcceptable(offers.iter().map(|r| r.media_type()).collect()))
}

/// The `Accept` header, if it is text.
pub fn accept(request: &HttpRequest) -> Option<&str> {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
}

/// Splits `id.ext` into the id and the representation its suffix selects.
/// Returns `None` for an unknown suffix.
pub fn split_suffix(segment: &str) -> Option<(&str, Option<Representation>)> {
    match segment.rsplit_once('.') {
        None => Some((segment, None)),
        Some((id, extension)) => Representation::from_extension(extension).map(|r| (id, Some(r))),
    }
}

/// The value of the query parameter `name`, if given; 400 if the query string is
/// malformed.
pub fn query_parameter(request: &HttpRequest, name: &str) -> Result<Option<String>, HttpError> {
    let pairs = web::Query::<Vec<(String, String)>>::from_query(request.query_string())
        .map_err(|e| HttpError::BadRequest(format!("malformed parameters: {e}")))?;
    Ok(pairs
        .into_inner()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v))
}

/// A rendered body and what the response needs to say about it.
#[derive(Debug)]
pub struct Rendered {
    /// The bytes to send (cheap to clone).
    body: Bytes,
    /// Their strong entity tag, quoted.
    etag: String,
    /// The format they are in.
    format: Format,
    /// The profile they conform to, said in `Content-Profile`.
    profile: Option<Profile>,
    /// When the resource last changed, if known.
    modified: Option<header::HttpDate>,
    /// The `Link` header listing the other representations, made once per rendering.
    link: String,
}

impl Rendered {
    /// Wraps a body, computing its ETag: `"v{version}-{hash}"` for a version of a record
    /// (the write API's `If-Match` reads the version), else `"{hash}"`.
    pub fn new(
        body: Vec<u8>,
        format: impl Into<Format>,
        modified: Option<time::OffsetDateTime>,
        version: Option<i64>,
        variants: Variants<'_>,
    ) -> Self {
        let hash = short_hash(&body);
        let format = format.into();
        Self {
            etag: match version {
                Some(version) => format!("\"v{version}-{hash}\""),
                None => format!("\"{hash}\""),
            },
            body: Bytes::from(body),
            format,
            profile: None,
            modified: modified.map(http_date),
            link: alternates(variants, format),
        }
    }

    /// Says the body conforms to its format's profile (DCAT-AP for RDF, schema.org,
    /// DataCite), in `Content-Profile`: for records and the catalog, not for answers in
    /// other vocabularies (a SPARQL service description).
    pub fn in_profile(mut self) -> Self {
        self.profile = self.format.profile();
        self
    }

    /// Adds links (FAIR Signposting) to the `Link` header.
    pub fn with_links(mut self, links: &str) -> Self {
        if !links.is_empty() {
            if !self.link.is_empty() {
                self.link.push_str(", ");
            }
            self.link.push_str(links);
        }
        self
    }
}

/// An HTTP date, to the second as HTTP dates are: a time with milliseconds compared with an
/// `If-Modified-Since` copied from `Last-Modified` would otherwise always look newer.
pub fn http_date(time: time::OffsetDateTime) -> header::HttpDate {
    let whole = time.replace_nanosecond(0).unwrap_or(time);
    header::HttpDate::from(SystemTime::from(whole))
}

/// Builds the response, answering `304 Not Modified` to a matching conditional request.
pub fn respond(request: &HttpRequest, rendered: &Rendered) -> HttpResponse {
    let unchanged = not_modified(request, &rendered.etag, rendered.modified);
    let mut builder = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    builder
        .insert_header((header::VARY, HeaderValue::from_static(VARY_PAGES)))
        .insert_header((header::ETAG, rendered.etag.clone()))
        .insert_header((header::LINK, rendered.link.clone()));
    if let Some(profile) = rendered.profile {
        builder.insert_header((CONTENT_PROFILE, format!("<{}>", profile.uri())));
    }
    if let Some(date) = rendered.modified {
        builder.insert_header((header::LAST_MODIFIED, date));
    }
    if unchanged {
        return builder.finish();
    }
    builder
        .content_type(rendered.format.content_type())
        .body(rendered.body.clone())
}

/// `303 See Other` to `location` (after a form's post, or to the sign-in form).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// A page made for one signed-in person: no cache may keep it.
pub fn private_page(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(body)
}

/// `If-None-Match` (weak comparison, `*`) wins over `If-Modified-Since` (RFC 9110 §13.2.2).
pub(super) fn not_modified(
    request: &HttpRequest,
    etag: &str,
    last_modified: Option<header::HttpDate>,
) -> bool {
    let headers = request.headers();
    if let Some(value) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return value
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag);
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<header::HttpDate>().ok());
    match (since, last_modified) {
        (Some(since), Some(modified)) => SystemTime::from(modified) <= SystemTime::from(since),
        _ => false,
    }
}

/// `Link` header listing the other representations at their suffixed URLs.
fn alternates(variants: Variants<'_>, current: Format) -> String {
    Representation::ALL
        .iter()
        .filter(|r| Format::Rdf(**r) != current)
        .map(|r| {
            format!(
                "<{}>; rel=\"alternate\"; type=\"{}\"",
                variants.url(r.extension()),
                r.media_type()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first 128 bits of SHA-256, in hex: plenty for an ETag.
pub(super) fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The language of pages for this request: `?lang=fr|en` when given (the switch in every
/// page's header), else the one a `lang` cookie remembers (set by the switch), else `fr`
/// when the client ranks French above English in `Accept-Language`, else `en`.
pub fn preferred_language(request: &HttpRequest) -> &'static str {
    if let Some(language) = asked_language(request.query_string()) {
        return language;
    }
    if let Some(language) = request
        .cookie(LANGUAGE_COOKIE)
        .and_then(|c| known_language(c.value()))
    {
        return language;
    }
    accepted_language(request)
}

/// What answers that may be pages depend on: the syntax, and the page's language (asked,
/// or remembered in a cookie).
pub const VARY_PAGES: &str = "Accept, Accept-Profile, Accept-Language, Cookie";
/// The same for answers that also depend on who asks (drafts shown to their writers).
pub const VARY_PERSONAL: &str = "Accept, Accept-Profile, Accept-Language, Cookie, Authorization";

/// The header naming the profile an answer conforms to (W3C conneg by profile).
pub const CONTENT_PROFILE: &str = "content-profile";

/// The cookie that remembers the language a reader chose.
pub const LANGUAGE_COOKIE: &str = "lang";

/// The language `?lang=` asks for in `query`, if one we have.
pub fn asked_language(query: &str) -> Option<&'static str> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "lang")
        .and_then(|(_, value)| known_language(&value))
}

/// `fr` or `en` if `value` is one of them (in any case).
pub fn known_language(value: &str) -> Option<&'static str> {
    match value.trim().to_ascii_lowercase().as_str() {
        "fr" => Some("fr"),
        "en" => Some("en"),
        _ => None,
    }
}

/// `fr` when the client ranks French above English in `Accept-Language`, else `en`.
fn accepted_language(request: &HttpRequest) -> &'static str {
    let header = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(&'static str, u16)> = None;
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = pieces
            .find_map(|p| p.trim().strip_prefix("q=").map(|q| parse_quality(q.trim())))
            .unwrap_or(Some(1000));
        let language = match tag.split('-').next() {
            Some("fr") => "fr",
            Some("en") => "en",
            _ => continue,
        };
        match quality {
            Some(q) if q > 0 && best.is_none_or(|(_, b)| q > b) => best = Some((language, q)),
            _ => {}
        }
    }
    best.map_or("en", |(language, _)| language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        assert_eq!(split_suffix("zh"), Some(("zh", None)));
        assert_eq!(
            split_suffix("zh.ttl"),
            Some(("zh", Some(Representation::Turtle)))
        );
        assert_eq!(
            split_suffix("zh.jsonld"),
            Some(("zh", Some(Representation::JsonLd)))
        );
        assert_eq!(split_suffix("zh.csv"), None);
    }

    #[test]
    fn page_language_follows_accept_language() {
        use actix_web::test::TestRequest;
        let pick = |header: &str| {
            preferred_language(
                &TestRequest::default()
                    .insert_header(("Accept-Language", header))
                    .to_http_request(),
            )
        };
        assert_eq!(pick("fr-FR,fr;q=0.9,en;q=0.5"), "fr");
        assert_eq!(pick("en-GB,fr;q=0.8"), "en");
        assert_eq!(pick("de, fr;q=0.5"), "fr");
        assert_eq!(pick("fr;q=0, en;q=0"), "en", "q=0 excludes");
        assert_eq!(pick("fr;q=0"), "en");
        assert_eq!(pick("es"), "en");
        assert_eq!(pick(""), "en");
    }

    #[test]
    fn the_switch_and_its_cookie_come_before_accept_language() {
        use actix_web::cookie::Cookie;
        use actix_web::test::TestRequest;
        let french_browser = || TestRequest::default().insert_header(("Accept-Language", "fr"));
        let asked = french_browser().uri("/?lang=en").to_http_request();
        assert_eq!(preferred_language(&asked), "en");
        let remembered = french_browser()
            .cookie(Cookie::new(LANGUAGE_COOKIE, "en"))
            .to_http_request();
        assert_eq!(preferred_language(&remembered), "en");
        let unknown = french_browser().uri("/?lang=de").to_http_request();
        assert_eq!(preferred_language(&unknown), "fr");
    }
}
