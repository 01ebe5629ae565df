//! Content negotiation on `Accept` ([RFC 9110 §12.5.1](https://www.rfc-editor.org/rfc/rfc9110#section-12.5.1)):
//! a pure function, tested by a matrix of headers.

use super::format::Representation;

/// One media range of an `Accept` header.
#[derive(Debug, PartialEq)]
struct MediaRange<'a> {
    kind: &'a str,
    subtype: &'a str,
    /// The weight, in thousandths (`q=0.8` → 800), so that comparisons are exact.
    quality: u16,
}

impl MediaRange<'_> {
    /// How specifically this range matches `media_type`: 2 exact, 1 `type/*`, 0 `*/*`.
    fn specificity(&self, media_type: &str) -> Option<u8> {
        let (kind, subtype) = media_type.split_once('/')?;
        if self.kind == "*" && self.subtype == "*" {
            Some(0)
        } else if self.kind.eq_ignore_ascii_case(kind) && self.subtype == "*" {
            Some(1)
        } else if self.kind.eq_ignore_ascii_case(kind) && self.subtype.eq_ignore_ascii_case(subtype)
        {
            Some(2)
        } else {
            None
        }
    }
}

/// Parses an `Accept` header, skipping malformed ranges rather than failing the request.
fn parse_accept(header: &str) -> Vec<MediaRange<'_>> {
    header
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let (kind, subtype) = parts.next()?.trim().split_once('/')?;
            let (kind, subtype) = (kind.trim(), subtype.trim());
            if kind.is_empty() || subtype.is_empty() || (kind == "*" && subtype != "*") {
                return None;
            }
            let mut quality = 1000;
            for parameter in parts {
                if let Some((name, value)) = parameter.split_once('=')
                    && name.trim().eq_ignore_ascii_case("q")
                {
                    quality = parse_quality(value.trim())?;
                }
            }
            Some(MediaRange {
                kind,
                subtype,
                quality,
            })
        })
        .collect()
}

/// Parses a q-value (`0`, `0.5`, `1.000`) into thousandths.
pub fn parse_quality(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths: u16 = format!("{fraction:0<3}").parse().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// Something a client can be offered, known by its media types.
pub trait Offer: Copy {
    /// The canonical media type, a bare `type/subtype` (no parameters, no spaces), as
    /// `exactly_one_offer` compares it with the whole header.
    fn media_type(self) -> &'static str;
    /// Other media types that mean the same to clients, bare like the canonical one.
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }
}

impl Offer for Representation {
    fn media_type(self) -> &'static str {
        Representation::media_type(self)
    }
    fn aliases(self) -> &'static [&'static str] {
        Representation::aliases(self)
    }
}

/// Picks what to serve among `offers` (in server preference order).
///
/// The weight of an offer is the q of the most specific range that matches it (its media
/// type or an alias). The highest weight wins; on a tie an explicitly named type beats one
/// matched by a wildcard, then the server's order decides. `None` or an empty header means
/// `*/*`. Returns `None` when nothing acceptable is offered (HTTP 406).
pub fn negotiate<T: Offer>(accept: Option<&str>, offers: &[T]) -> Option<T> {
    let header = match accept.map(str::trim) {
        None | Some("") => return offers.first().copied(),
        Some(header) => header,
    };
    exactly_one_offer(header, offers).or_else(|| weigh(header, offers))
}

/// The first offer named by a header that is one bare media type, as programs send it
/// (`Accept: application/sparql-results+json`): what [`weigh`] would pick, without
/// parsing, which took a microsecond of a SPARQL ASK's hundred (measured, issue 3).
fn exactly_one_offer<T: Offer>(header: &str, offers: &[T]) -> Option<T> {
    if header.contains([',', ';', '*']) {
        return None;
    }
    offers.iter().copied().find(|offer| {
        offer.media_type().eq_ignore_ascii_case(header)
            || offer
                .aliases()
                .iter()
                .any(|alias| alias.eq_ignore_ascii_case(header))
    })
}

/// Weighs every offer against every range of the header.
fn weigh<T: Offer>(header: &str, offers: &[T]) -> Option<T> {
    let ranges = parse_accept(header);
    let mut best: Option<(u16, u8, T)> = None;
    for &offer in offers {
        let matched = std::iter::once(offer.media_type())
            .chain(offer.aliases().iter().copied())
            .filter_map(|media_type| {
                ranges
                    .iter()
                    .filter_map(|range| Some((range.specificity(media_type)?, range.quality)))
                    .max_by_key(|(specificity, _)| *specificity)
            })
            // Across an offer's media types, the most specific match speaks for it, so that
            // `application/ld+json;q=0` is not undone by `*/*` matching the JSON alias.
            .max_by_key(|(specificity, quality)| (*specificity, *quality));
        let Some((specificity, quality)) = matched else {
            continue;
        };
        if quality == 0 {
            continue;
        }
        if best.is_none_or(|(q, s, _)| (quality, specificity) > (q, s)) {
            best = Some((quality, specificity, offer));
        }
    }
    best.map(|(_, _, offer)| offer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Representation::*;

    const FIREFOX: &str =
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    const CHROME: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

    #[test]
    fn negotiation_matrix() {
        let all = &Representation::ALL;
        let cases: &[(Option<&str>, Option<Representation>)] = &[
            (None, Some(Turtle)),
            (Some(""), Some(Turtle)),
            (Some("*/*"), Some(Turtle)),
            (Some(FIREFOX), Some(Html)),
            (Some(CHROME), Some(Html)),
            (Some("text/turtle"), Some(Turtle)),
            (Some("application/ld+json"), Some(JsonLd)),
            (Some("application/json"), Some(JsonLd)),
            (Some("application/rdf+xml"), Some(RdfXml)),
            (Some("application/n-triples"), Some(NTriples)),
            (Some("application/n-quads"), Some(NQuads)),
            (Some("application/trig"), Some(TriG)),
            (Some("TEXT/Turtle"), Some(Turtle)),
            // q-values decide
            (Some("text/turtle;q=0.5, application/ld+json"), Some(JsonLd)),
            (
                Some("text/turtle;q=0.9, application/rdf+xml;q=0.95"),
                Some(RdfXml),
            ),
            (Some("application/ld+json;q=0.1, */*;q=0.2"), Some(Turtle)),
            // explicit beats wildcard on a tie
            (Some("application/ld+json, */*"), Some(JsonLd)),
            (Some("text/*"), Some(Turtle)),
            (Some("text/*;q=0.5, text/html"), Some(Html)),
            // q=0 excludes, even under a wildcard
            (Some("text/turtle;q=0, */*"), Some(JsonLd)),
            (
                Some("*/*, text/turtle;q=0, application/ld+json;q=0"),
                Some(RdfXml),
            ),
            // media type parameters other than q are ignored
            (
                Some("application/ld+json;profile=\"http://www.w3.org/ns/json-ld#compacted\""),
                Some(JsonLd),
            ),
            (
                Some("text/turtle; charset=utf-8; q=0.7, text/html;q=0.6"),
                Some(Turtle),
            ),
            // nothing fits
            (Some("image/png"), None),
            (Some("text/csv, application/xml"), None),
            (Some("text/turtle;q=0"), None),
            // malformed ranges are skipped
            (
                Some("garbage, text/turtle;q=2, application/trig"),
                Some(TriG),
            ),
            (Some("*/turtle"), None),
        ];
        for (accept, expected) in cases {
            assert_eq!(negotiate(*accept, all), *expected, "Accept: {accept:?}");
        }
    }

    #[test]
    fn a_bare_media_type_picks_what_weighing_picks() {
        let all = &Representation::ALL;
        for offer in all {
            for media_type in
                std::iter::once(offer.media_type()).chain(offer.aliases().iter().copied())
            {
                for header in [media_type.to_string(), media_type.to_ascii_uppercase()] {
                    let quick = exactly_one_offer(&header, all);
                    assert!(quick.is_some(), "{header}");
                    assert_eq!(quick, weigh(&header, all), "{header}");
                }
            }
        }
        for header in [
            "text/*",
            "*/*",
            "text/turtle;q=0",
            "text/turtle, text/html",
            "text / turtle",
        ] {
            assert_eq!(exactly_one_offer(header, all), None, "{header}");
        }
    }

    #[test]
    fn offers_restrict_the_choice() {
        assert_eq!(negotiate(Some("text/html"), &[Turtle, JsonLd]), None);
        assert_eq!(negotiate(None, &[JsonLd, Turtle]), Some(JsonLd));
    }

    #[test]
    fn quality_parsing() {
        assert_eq!(parse_quality("0"), Some(0));
        assert_eq!(parse_quality("0.5"), Some(500));
        assert_eq!(parse_quality("0.001"), Some(1));
        assert_eq!(parse_quality("1.000"), Some(1000));
        assert_eq!(parse_quality("1.5"), None);
        assert_eq!(parse_quality("0.0001"), None);
        assert_eq!(parse_quality("abc"), None);
    }
}
