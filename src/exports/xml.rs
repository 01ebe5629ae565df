//! A small XML writer: exports write a few fixed vocabularies, where escaping text and
//! attributes and keeping elements balanced is all there is to get right.

use std::fmt::Write;

/// An XML document being written, indented two spaces a level.
pub struct Xml {
    out: String,
    open: Vec<&'static str>,
    /// Levels of indentation the document starts at (a fragment inside another).
    depth: usize,
}

impl Default for Xml {
    fn default() -> Self {
        Self::new()
    }
}

impl Xml {
    /// A document with its XML declaration.
    pub fn new() -> Self {
        Self {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            open: Vec::new(),
            depth: 0,
        }
    }

    /// A fragment, to be placed inside another document (no declaration).
    pub fn fragment(depth: usize) -> Self {
        Self {
            out: String::new(),
            open: Vec::new(),
            depth,
        }
    }

    fn start_tag(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            let _ = write!(self.out, " {key}=\"");
            escape_into(&mut self.out, value, true);
            self.out.push('"');
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth + self.open.len() {
            self.out.push_str("  ");
        }
    }

    /// Opens `<name attributes…>`; [`close`](Self::close) ends it.
    pub fn open(&mut self, name: &'static str, attributes: &[(&str, &str)]) {
        self.start_tag(name, attributes);
        self.out.push_str(">\n");
        self.open.push(name);
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) {
        if let Some(name) = self.open.pop() {
            self.indent();
            let _ = writeln!(self.out, "</{name}>");
        }
    }

    /// `<name attributes…>text</name>` (or `<name …/>` when `text` is empty).
    pub fn leaf(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.start_tag(name, attributes);
        if text.is_empty() {
            self.out.push_str("/>\n");
            return;
        }
        self.out.push('>');
        escape_into(&mut self.out, text, false);
        let _ = writeln!(self.out, "</{name}>");
    }

    /// A comment (its text must not hold `--`, which is replaced).
    pub fn comment(&mut self, text: &str) {
        self.indent();
        let _ = writeln!(self.out, "<!-- {} -->", text.replace("--", "- -"));
    }

    /// Inserts a fragment written by another [`Xml`] (made with [`Xml::fragment`] at the
    /// right depth).
    pub fn raw(&mut self, fragment: &str) {
        self.out.push_str(fragment);
    }

    /// The document, every element closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

/// Appends `text` escaped for XML content (or an attribute value, `attribute`), leaving
/// out the characters XML 1.0 cannot carry at all (control characters from harvested
/// text would otherwise make the whole document unreadable).
pub fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Whether XML 1.0 allows `c` in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_and_control_characters_dropped() {
        let mut xml = Xml::fragment(0);
        xml.leaf("a", &[("b", "x\"<&>\ny")], "1 < 2 & \u{1}3 > \"q\"");
        assert_eq!(
            xml.finish(),
            "<a b=\"x&quot;&lt;&amp;&gt;&#10;y\">1 &lt; 2 &amp; 3 &gt; \"q\"</a>\n"
        );
    }

    #[test]
    fn elements_stay_balanced() {
        let mut xml = Xml::new();
        xml.open("r", &[]);
        xml.open("s", &[]);
        xml.leaf("t", &[], "");
        let out = xml.finish();
        assert!(out.ends_with("    <t/>\n  </s>\n</r>\n"), "{out}");
    }
}
