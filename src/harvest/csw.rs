//! CSW responses: GeoNetwork serves its DCAT output as a `GetRecordsResponse` that wraps
//! each record in an RDF/XML document of its own and pages by record position rather than
//! with Hydra. This finds the documents and the next page's URL; `page.rs` parses them.

/// A CSW `GetRecordsResponse`, as GeoNetwork serves its DCAT output: each record an
/// RDF/XML document of its own, and paging by record position rather than Hydra.
#[derive(Debug)]
pub struct CswPage<'a> {
    /// The RDF/XML documents it wraps.
    pub documents: Vec<&'a [u8]>,
    /// The next page: `url` with `startPosition` at the response's `nextRecord`.
    pub next: Option<String>,
    /// Records the response says it returns but that are not RDF/XML (when it holds none).
    pub missing: u64,
    /// How many records match in all (`numberOfRecordsMatched`).
    pub matched: Option<u64>,
}

/// `body` as a CSW `GetRecordsResponse`, if it is one: `Some(Err)` if it is one whose
/// paging cannot be read (then where the feed ends is unknown).
pub fn csw_page<'a>(body: &'a [u8], url: &str) -> Option<Result<CswPage<'a>, String>> {
    let head = &body[..body.len().min(4096)];
    if !contains(head, b"GetRecordsResponse") {
        return None;
    }
    Some(read_csw(body, url))
}

fn read_csw<'a>(body: &'a [u8], url: &str) -> Result<CswPage<'a>, String> {
    let returned = csw_attribute(body, "numberOfRecordsReturned")
        .ok_or("a CSW response without numberOfRecordsReturned")?;
    let next_record = csw_attribute(body, "nextRecord")
        .ok_or("a CSW response without nextRecord: where the feed ends is unknown")?;
    let matched = csw_attribute(body, "numberOfRecordsMatched");
    let mut documents = Vec::new();
    let mut rest = body;
    while let Some(start) = find(rest, b"<rdf:RDF") {
        let Some(length) = find(&rest[start..], b"</rdf:RDF>") else {
            break;
        };
        let end = start + length + b"</rdf:RDF>".len();
        documents.push(&rest[start..end]);
        rest = &rest[end..];
    }
    // One `rdf:RDF` may hold several records (GeoDCAT-AP does): only a response that says
    // it returns records and holds no RDF/XML at all is known to have lost some.
    let missing = if documents.is_empty() { returned } else { 0 };
    Ok(CswPage {
        documents,
        next: csw_next(next_record, matched, url),
        missing,
        matched,
    })
}

/// The value of the number attribute `name` (`name="12"` or `name='12'`) in `body`.
fn csw_attribute(body: &[u8], name: &str) -> Option<u64> {
    let text = String::from_utf8_lossy(body);
    let at = text.find(&format!("{name}="))? + name.len() + 1;
    let quote = text[at..]
        .chars()
        .next()
        .filter(|c| *c == '"' || *c == '\'')?;
    let value = &text[at + 1..];
    value[..value.find(quote)?].trim().parse().ok()
}

/// The URL of the page after a CSW response, from its `nextRecord` (0 at the end).
fn csw_next(next: u64, matched: Option<u64>, url: &str) -> Option<String> {
    if next == 0 || matched.is_some_and(|total| next > total) {
        return None;
    }
    let mut parsed = reqwest::Url::parse(url).ok()?;
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("startPosition"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    parsed
        .query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair("startPosition", &next.to_string());
    Some(parsed.to_string())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harvest::page::parse;
    use crate::harvest::page::tests::{datasets, feed};
    use crate::limits::Limits;
    use oxigraph::io::RdfFormat;

    #[test]
    fn csw_responses_give_their_rdf_and_the_next_position() {
        let body = feed("udata/csw_dcat/geonetwork-dcat-page-1.xml");
        let url = "https://geo.example.org/csw?service=CSW&request=GetRecords&startPosition=1";
        let page = csw_page(&body, url)
            .unwrap_or_else(|| panic!("a CSW response"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((page.missing, page.matched), (0, Some(6)));
        assert_eq!(page.documents.len(), 2, "numberOfRecordsReturned=2");
        let mut found = 0;
        for document in &page.documents {
            let parsed = parse(document, RdfFormat::RdfXml, url, &Limits::default())
                .unwrap_or_else(|e| panic!("{e}"));
            found += datasets(&parsed.graph);
        }
        assert_eq!(found, 2, "one dataset per record");
        assert_eq!(
            page.next.as_deref(),
            Some("https://geo.example.org/csw?service=CSW&request=GetRecords&startPosition=3")
        );
        let last = feed("udata/csw_dcat/geonetwork-dcat-page-5.xml");
        assert_eq!(
            csw_page(&last, url)
                .and_then(|p| p.ok())
                .and_then(|p| p.next),
            None,
            "nextRecord=0"
        );
        assert!(csw_page(b"<rdf:RDF></rdf:RDF>", url).is_none());
        let unpaged = b"<csw:GetRecordsResponse><csw:SearchResults numberOfRecordsReturned='1'>";
        assert!(
            matches!(csw_page(unpaged, url), Some(Err(_))),
            "no nextRecord"
        );
        let short = b"<csw:GetRecordsResponse><csw:SearchResults numberOfRecordsReturned=\"2\" nextRecord=\"0\"><gmd:MD_Metadata/>";
        let short = csw_page(short, url).and_then(|p| p.ok());
        assert_eq!(short.map(|p| p.missing), Some(2), "records not in RDF/XML");
    }
}
