//! What dataset and data-paper pages add for search engines and for people who cite: the
//! record's schema.org JSON-LD in a `<script type="application/ld+json">` (dataset search
//! engines index pages, not content negotiation), and a "Cite" block with the formatted
//! reference and a link to each citation format.

use super::PageContext;
use crate::exports::{Export, citation, schema_org};
use serde_json::{Value, json};

/// The citation formats a "Cite" block links to.
const CITATION_FORMATS: [Export; 5] = [
    Export::BibTex,
    Export::Ris,
    Export::CslJson,
    Export::DataCite,
    Export::SchemaOrg,
];

/// Adds `json_ld` (the script's text) and `cite` to a page's template context, when the
/// page shows a dataset or a data paper.
pub fn add_work(context: &mut Value, page: &PageContext<'_>) {
    if let (Some((json_ld, cite)), Value::Object(context)) = (work_context(page), context) {
        context.insert("json_ld".into(), json!(json_ld));
        context.insert("cite".into(), cite);
    }
}

fn work_context(page: &PageContext<'_>) -> Option<(String, Value)> {
    let work = page.work?;
    let json_ld = script_text(&schema_org::object(work, page.language));
    let formats: Vec<Value> = CITATION_FORMATS
        .iter()
        .map(|export| {
            json!({
                "label": export.label(),
                "href": format!("{}?format={}", page.iri, export.name()),
                "media_type": export.media_type(),
            })
        })
        .collect();
    let cite = json!({
        "reference": citation::bibliography(work, page.language),
        "formats": formats,
    });
    Some((json_ld, cite))
}

/// JSON made safe inside a `<script>` element: `<`, `>` and `&` written as JSON escapes,
/// so that no text from the record (`</script>`, `<!--`) can end the element early. The
/// template inserts it unescaped, as script content is not HTML-decoded.
pub fn script_text(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::script_text;
    use serde_json::json;

    #[test]
    fn record_text_cannot_close_the_script() {
        let value = json!({"name": "</script><script>alert(1)</script> & <!--"});
        let text = script_text(&value);
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back, value);
    }
}
