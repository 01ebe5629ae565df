//! FAIR Signposting (<https://signposting.org/FAIR/>): the typed links that let crawlers
//! and FAIR tools find, from a landing page, its persistent identifier, its metadata in
//! each profile, its authors, its licence and its files. Level 1 is the `Link` header of
//! the record's answers; level 2 is a linkset (RFC 9264) at `{page}/linkset`, in the
//! text and the JSON media types.
//!
//! The header rule: it carries every signpost while they fit in [`HEADER_BUDGET`] bytes;
//! past that (a dataset with hundreds of files, say) it carries `cite-as`, `describedby`,
//! `type`, `license` and `collection` only, and the linkset, which always has them all.

use super::Export;
use super::profile::{Format, Profile};
use super::work::{Work, WorkKind};
use crate::rdf::{Offer, Representation};
use serde_json::{Map, Value, json};

/// The bytes the signposts may take in a `Link` header; with the alternates we add, the
/// header stays well under 8 kB, the limit common proxies and servers set for a header.
pub const HEADER_BUDGET: usize = 4096;

/// One typed link from a landing page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signpost {
    /// The relation: `cite-as`, `describedby`, `type`, `author`, `license`, `item`,
    /// `collection`.
    pub rel: &'static str,
    /// Where it points.
    pub href: String,
    /// The target's media type, when known.
    pub media_type: Option<String>,
    /// The profile the target conforms to (for `describedby`).
    pub profile: Option<&'static str>,
}

impl Signpost {
    fn new(rel: &'static str, href: impl Into<String>) -> Self {
        Self {
            rel,
            href: href.into(),
            media_type: None,
            profile: None,
        }
    }

    fn typed(mut self, media_type: impl Into<String>) -> Self {
        self.media_type = Some(media_type.into());
        self
    }

    /// `<href>; rel="…"; type="…"; profile="…"`, without an anchor (the request's URL is
    /// the context) or with one.
    fn header_value(&self, anchor: Option<&str>) -> String {
        let mut out = format!("<{}>", self.href);
        if let Some(anchor) = anchor {
            out.push_str(&format!("; anchor=\"{anchor}\""));
        }
        out.push_str(&format!("; rel=\"{}\"", self.rel));
        if let Some(media_type) = &self.media_type {
            out.push_str(&format!("; type=\"{media_type}\""));
        }
        if let Some(profile) = self.profile {
            out.push_str(&format!("; profile=\"{profile}\""));
        }
        out
    }
}

/// `iri` as a URI that can stand between `<` and `>` in a header: non-ASCII characters
/// (IRIs allow them, header values do not) and the characters that would end the
/// reference early (a space, `"`, `<`, `>`, `\\`, controls) are percent-encoded, as
/// RFC 3987 maps an IRI to a URI. Harvested IRIs are untrusted, so nothing passes as is.
fn as_header_uri(iri: &str) -> String {
    let mut out = String::with_capacity(iri.len());
    for c in iri.chars() {
        if c.is_ascii_graphic()
            && !matches!(c, '<' | '>' | '"' | '\\' | '^' | '`' | '{' | '|' | '}')
        {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// Every signpost of `work`, whose landing page is `page`.
pub fn signposts(work: &Work, page: &str) -> Vec<Signpost> {
    let mut posts = vec![Signpost::new("cite-as", work.cite_as())];
    for representation in Representation::ALL {
        if representation == Representation::Html {
            continue;
        }
        let format = Format::Rdf(representation);
        posts.push(Signpost {
            profile: Some(Profile::DcatAp.uri()),
            ..Signpost::new(
                "describedby",
                format!("{page}.{}", representation.extension()),
            )
            .typed(format.media_type())
        });
    }
    for (export, profile) in [
        (Export::DataCite, Profile::DataCite),
        (Export::SchemaOrg, Profile::SchemaOrg),
    ] {
        posts.push(Signpost {
            profile: Some(profile.uri()),
            ..Signpost::new("describedby", format!("{page}?format={}", export.name()))
                .typed(export.media_type())
        });
    }
    let kind = match work.kind {
        WorkKind::Dataset => "https://schema.org/Dataset",
        WorkKind::DataPaper => "https://schema.org/ScholarlyArticle",
    };
    posts.push(Signpost::new("type", kind));
    posts.push(Signpost::new("type", "https://schema.org/AboutPage"));
    for creator in &work.creators {
        if let Some(iri) = &creator.iri {
            posts.push(Signpost::new("author", iri.clone()));
        }
    }
    if let Some(license) = &work.license {
        posts.push(Signpost::new("license", license.iri.clone()));
    }
    for file in &work.files {
        if let Some(url) = &file.download {
            let post = Signpost::new("item", url.clone());
            posts.push(match &file.media_type {
                Some(media_type) => post.typed(media_type.clone()),
                None => post,
            });
        }
    }
    posts.push(Signpost::new("collection", work.catalog.iri.clone()).typed("text/html"));
    for post in &mut posts {
        post.href = as_header_uri(&post.href);
    }
    posts.retain(|p| !p.href.is_empty());
    posts
}

/// The links to the linkset of `page`, in both media types.
fn linkset_links(page: &str) -> [String; 2] {
    [
        format!("<{page}/linkset>; rel=\"linkset\"; type=\"application/linkset\""),
        format!("<{page}/linkset>; rel=\"linkset\"; type=\"application/linkset+json\""),
    ]
}

/// The `Link` header value for the landing page `page` (see the module's rule).
pub fn link_header(posts: &[Signpost], page: &str) -> String {
    let mut links: Vec<String> = posts.iter().map(|p| p.header_value(None)).collect();
    if links.iter().map(|l| l.len() + 2).sum::<usize>() > HEADER_BUDGET {
        links = posts
            .iter()
            .filter(|p| !matches!(p.rel, "author" | "item"))
            .map(|p| p.header_value(None))
            .collect();
    }
    links.extend(linkset_links(page));
    links.join(", ")
}

/// The linkset as `application/linkset`: one link per line, each anchored at `page`.
pub fn linkset_text(posts: &[Signpost], page: &str) -> String {
    let lines: Vec<String> = posts.iter().map(|p| p.header_value(Some(page))).collect();
    let mut out = lines.join(",\n");
    out.push('\n');
    out
}

/// The linkset as `application/linkset+json`.
pub fn linkset_json(posts: &[Signpost], page: &str) -> Value {
    let mut context = Map::new();
    context.insert("anchor".into(), json!(page));
    for post in posts {
        let mut target = Map::new();
        target.insert("href".into(), json!(post.href));
        if let Some(media_type) = &post.media_type {
            target.insert("type".into(), json!(media_type));
        }
        if let Some(profile) = post.profile {
            target.insert("profile".into(), json!(profile));
        }
        let targets = context
            .entry(post.rel)
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(targets) = targets {
            targets.push(Value::Object(target));
        }
    }
    json!({ "linkset": [Value::Object(context)] })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(rel: &'static str, href: &str) -> Signpost {
        Signpost::new(rel, href)
    }

    #[test]
    fn a_header_past_its_budget_keeps_the_essentials_and_the_linkset() {
        let mut posts = vec![
            post("cite-as", "https://doi.org/10.5072/x"),
            post("license", "https://l/"),
        ];
        for n in 0..200 {
            posts.push(
                post("item", &format!("https://files.example.org/{n}.csv")).typed("text/csv"),
            );
        }
        let header = link_header(&posts, "http://x/datasets/d");
        assert!(header.len() < HEADER_BUDGET, "{}", header.len());
        assert!(header.contains("rel=\"cite-as\"") && header.contains("rel=\"license\""));
        assert!(!header.contains("rel=\"item\""));
        assert!(header.contains("<http://x/datasets/d/linkset>; rel=\"linkset\""));
        // The linkset keeps every item.
        let set = linkset_json(&posts, "http://x/datasets/d");
        assert_eq!(
            set["linkset"][0]["item"].as_array().map(Vec::len),
            Some(200)
        );
        let few = link_header(&posts[..5], "http://x/datasets/d");
        assert_eq!(few.matches("rel=\"item\"").count(), 3);
    }

    #[test]
    fn iris_become_uris_that_cannot_break_the_header() {
        assert_eq!(
            as_header_uri("https://example.org/a?b=c&d=e"),
            "https://example.org/a?b=c&d=e"
        );
        assert_eq!(
            as_header_uri("https://e.org/a>b \"c"),
            "https://e.org/a%3Eb%20%22c"
        );
        assert_eq!(as_header_uri("https://e.org/é"), "https://e.org/%C3%A9");
        assert_eq!(as_header_uri("https://e.org/\r\n"), "https://e.org/%0D%0A");
    }
}
