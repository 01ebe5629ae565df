//! Tests of the XML scanner (`xml.rs`), kept apart for the file's length.
use super::super::{Family, InputError, Limits, Position, Scanner, check};

/// Checks `input` whole, one byte at a time and by sevens, and that all say the same.
fn both(input: &str, limits: &Limits) -> Result<(), InputError> {
    let whole = check(input.as_bytes(), Family::Xml, limits);
    for size in [1, 7] {
        let mut scanner = Scanner::new(Family::Xml, limits);
        let pieces = input
            .as_bytes()
            .chunks(size)
            .try_for_each(|b| scanner.feed(b));
        assert_eq!(
            whole,
            pieces.and_then(|()| scanner.finish()),
            "by {size} differs on {input:.200}"
        );
    }
    whole
}

fn limits(max_nesting: usize, max_entity_expansion: usize) -> Limits {
    Limits {
        max_nesting,
        max_entity_expansion,
        ..Limits::default()
    }
}

fn expansion(name: &str, limit: usize, line: u64, column: u64) -> Result<(), InputError> {
    Err(InputError::EntityExpansion {
        name: name.to_owned(),
        limit,
        at: Position { line, column },
    })
}

const DCAT: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rdf:RDF [
  <!ENTITY xsd "http://www.w3.org/2001/XMLSchema#">
  <!-- a comment <with> <!ENTITY fake "x"> -->
  <!ATTLIST rdf:RDF note CDATA "a note">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
     xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <!-- <dcat:Dataset> in a comment -->
  <dcat:Dataset rdf:about="http://example.org/ds/1?a=1&amp;b=2" dct:identifier="a > b/c">
<dct:title xml:lang="fr">Rivières &lt;débit&gt; &#233;</dct:title>
<dct:issued rdf:datatype="&xsd;date">2024-01-01</dct:issued>
<dct:description><![CDATA[<p>not an element</p>]]></dct:description>
<dcat:landingPage rdf:resource="http://example.org/a/b"/>
<?pi <not/> ?>
  </dcat:Dataset>
</rdf:RDF>
"#;

#[test]
fn a_dcat_document_passes() {
    assert_eq!(both(DCAT, &limits(3, 1000)), Ok(()));
}

#[test]
fn element_depth_is_counted_to_the_limit() {
    let cases: [(&str, Result<(), InputError>); 6] = [
        ("<a><b><c/></b></a>", Ok(())),
        ("<a><b a='/>' c=\">\"><c/></b></a>", Ok(())),
        (
            "<a><!-- <b><c> --><![CDATA[<d><e>]]><?p <f><g>?><b/></a>",
            Ok(()),
        ),
        (
            "<a>\n <é><c><d/></c></é></a>",
            Err(InputError::TooDeep {
                limit: 2,
                at: Position { line: 2, column: 5 },
            }),
        ),
        (
            "<a><b><c/><c>",
            Err(InputError::TooDeep {
                limit: 2,
                at: Position {
                    line: 1,
                    column: 11,
                },
            }),
        ),
        (
            "<!DOCTYPE a [<!ELEMENT a ANY>]><a><b></b><b>x</b></a>",
            Ok(()),
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(both(input, &limits(2, 1000)), expected, "{input}");
    }
}

fn billion_laughs() -> String {
    let mut doc =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n  <!ENTITY lol \"lol\">\n");
    for n in 1..=9 {
        let previous = if n == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", n - 1)
        };
        doc += &format!(
            "  <!ENTITY lol{n} \"{}\">\n",
            format!("&{previous};").repeat(10)
        );
    }
    doc + "]>\n<lolz>&lol9;</lolz>\n"
}

#[test]
fn billion_laughs_is_refused_at_its_declaration() {
    // lol5 expands to 300 000 bytes, lol6 to 3 000 000.
    assert_eq!(
        both(&billion_laughs(), &Limits::default()),
        expansion("lol6", 1 << 20, 9, 3)
    );
    // lol3 expands to 3000 bytes, but all four so far to 3333.
    assert_eq!(
        both(&billion_laughs(), &limits(256, 3332)),
        expansion("lol3", 3332, 6, 3)
    );
}

#[test]
fn many_references_are_refused() {
    let doc = format!(
        "<!DOCTYPE r [<!ENTITY k \"{}\">]>\n<r>{}</r>",
        "x".repeat(1000),
        "&k;".repeat(10_000)
    );
    // 1 048 references make 1 048 000 bytes, the next one passes 1 MiB.
    assert_eq!(
        both(&doc, &Limits::default()),
        expansion("k", 1 << 20, 2, 4 + 1048 * 3)
    );
    let attributes = format!(
        "<!DOCTYPE r [<!ENTITY k \"{}\">]><r a='&k;&k;' b=\"&k;\"/>",
        "x".repeat(10)
    );
    assert_eq!(both(&attributes, &limits(8, 25)), expansion("k", 25, 1, 57));
}

#[test]
fn references_cost_what_oxrdfxml_expands() {
    let cases: [(&str, Result<(), InputError>); 7] = [
        // Predefined entities and character references cost nothing, even redeclared.
        (
            "<!DOCTYPE r [<!ENTITY lt \"0123456789\">]><r>&lt;&lt;&#60;&#x3C;</r>",
            Ok(()),
        ),
        // Comments, CDATA and processing instructions are not expanded.
        (
            "<!DOCTYPE r [<!ENTITY e \"0123456789\">]><r><!--&e;&e;--><![CDATA[&e;&e;]]><?p &e;&e;?></r>",
            Ok(()),
        ),
        (
            "<!DOCTYPE r [<!ENTITY e \"0123456789\">]><r>&e;\n&e;</r>",
            expansion("e", 15, 2, 1),
        ),
        // A name after Unicode whitespace, as oxrdfxml trims it.
        (
            "<!DOCTYPE r [<!ENTITY\u{a0}e \"0123456789\">]><r>&e;&e;</r>",
            expansion("e", 15, 1, 46),
        ),
        // Odd names are names too: whatever lies between `&` and `;`.
        (
            "<!DOCTYPE r [<!ENTITY e\"x \"0123456789\">]><r>&e\"x;&e\"x;</r>",
            expansion("e\"x", 15, 1, 50),
        ),
        // A namespace bound to an entity is expanded for every name using it.
        (
            "<!DOCTYPE r [<!ENTITY e \"0123\">]><p:r xmlns:p='&e;'><p:s/><q:s/></p:r>",
            expansion("e", 15, 1, 53),
        ),
        // quick-xml reads a DOCTYPE anywhere, and oxrdfxml declares its entities.
        (
            "<r><!DOCTYPE r [<!ENTITY e \"0123456789\">]>&e;&e;</r>",
            expansion("e", 15, 1, 46),
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(both(input, &limits(8, 15)), expected, "{input}");
    }
}

#[test]
fn doctype_is_bounded() {
    let long = format!("<!DOCTYPE r [<!-- {} -->]><r/>", "x".repeat(1 << 20));
    let at = Position { line: 1, column: 1 };
    let reason = format!("it is longer than {} bytes", 1 << 20);
    assert_eq!(
        both(&long, &Limits::default()),
        Err(InputError::DocType { reason, at })
    );
    assert_eq!(
        both("<r/><!DOCTYPE r [<!ENTITY e \"x\">", &Limits::default()),
        Ok(())
    );
}

#[test]
fn a_reference_split_between_a_namespace_and_a_name_is_refused() {
    // oxrdfxml joins `http://x/&` and `big;1` before expanding: each name would expand
    // `&big;` into a distinct IRI, without any whole reference for the count to see.
    let split = format!(
        r#"<!DOCTYPE r [<!ENTITY big "{}">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://x/&">
<ex:big;1/><ex:big;2/>
</rdf:RDF>"#,
        "a".repeat(1000)
    );
    assert_eq!(
        both(&split, &limits(10, 1_000_000)),
        Err(InputError::OpenReference {
            at: Position {
                line: 2,
                column: 86
            }
        })
    );
    // Without custom entities there is nothing to expand, and oxrdfxml reports the `&`.
    let plain = r#"<r xmlns:ex="http://x/&"><ex:a/></r>"#;
    assert_eq!(both(plain, &limits(10, 1000)), Ok(()));
}
