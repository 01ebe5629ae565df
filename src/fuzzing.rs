//! Fuzz harnesses and property tests for what reads input from outside: content
//! negotiation, feed cursors, OAI-PMH resumption tokens, the harvester's syntax sniffing
//! and page reader (with its IRI repair), the JSON model, and the Table Schema checks of
//! CSV files.
//!
//! Why not `cargo fuzz`: it needs a nightly toolchain, which these machines cannot install.
//! The harnesses are coverage-free instead: proptest's strategies generate inputs (text
//! drawn from the characters that matter, and real documents mutated byte by byte). In the
//! test suite each target runs proptest's usual few hundred cases, shrinking a failure to a
//! small input; `bench/fuzz.sh` runs each for `FUZZ_SECONDS` instead, counting inputs,
//! and a crash prints the input that made it (to become a regression test here).

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `target` on inputs from `strategy`: proptest's cases, or for `FUZZ_SECONDS`
/// seconds when the variable is set.
fn fuzz<S>(name: &str, strategy: S, target: impl Fn(S::Value))
where
    S: Strategy,
    S::Value: Debug + Clone,
{
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if seconds == 0 {
        let mut runner = TestRunner::default();
        let outcome = runner.run(&strategy, |input| {
            target(input);
            Ok(())
        });
        if let Err(failure) = outcome {
            panic!("{name}: {failure}");
        }
        return;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let mut runner = TestRunner::default();
    let mut inputs = 0_u64;
    while std::time::Instant::now() < deadline {
        let Ok(tree) = strategy.new_tree(&mut runner) else {
            continue;
        };
        let input = tree.current();
        if catch_unwind(AssertUnwindSafe(|| target(input.clone()))).is_err() {
            panic!("{name}: crashed on {input:?}");
        }
        inputs += 1;
    }
    eprintln!("fuzz {name}: {inputs} inputs in {seconds} s, 0 crashes");
}

/// Text from the characters a header, cursor or token is made of, and a few others.
fn header_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,120}",
        "(([a-z*]{1,12}/[a-z0-9+.*-]{1,20})(;q=[0-9.]{0,6})?(;[a-z]{1,6}=[^,]{0,8})?, ?){0,6}",
        "\\PC{0,60}",
    ]
}

/// `seed` with up to 16 bytes replaced, inserted or removed: a real document, broken.
fn mutated(seed: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    let edit = (0..=2_u8, any::<prop::sample::Index>(), any::<u8>());
    prop::collection::vec(edit, 0..16).prop_map(move |edits| {
        let mut bytes = seed.to_vec();
        for (kind, at, byte) in edits {
            if bytes.is_empty() {
                bytes.push(byte);
                continue;
            }
            let at = at.index(bytes.len());
            match kind {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ => {
                    bytes.remove(at);
                }
            }
        }
        bytes
    })
}

const FEED_XML: &[u8] =
    include_bytes!("../../shared/fixtures/feeds/ckanext-dcat/examples/dcat/catalog.rdf");
const FEED_TURTLE: &[u8] = include_bytes!("../seed-data/datasets-region.ttl");
const SCHEMA: &[u8] =
    include_bytes!("../../shared/fixtures/standards/mediation-numerique/schema.json");
const CSV: &[u8] =
    include_bytes!("../../shared/fixtures/standards/mediation-numerique/exemple-valide.csv");
const DATASET_JSON: &[u8] = br#"{"id":"x","title":{"fr":"Titre"},"description":{"fr":"Texte"},"keywords":[{"fr":"eau"}],"distributions":[{"accessURL":"https://example.org/x.csv","format":"CSV"}]}"#;

#[test]
fn content_negotiation_picks_an_offer_or_none_whatever_the_header() {
    use crate::rdf::{Representation, negotiate};
    fuzz("conneg", header_text(), |accept| {
        let offers = &Representation::ALL;
        if let Some(picked) = negotiate(Some(&accept), offers) {
            assert!(offers.contains(&picked));
        }
    });
}

#[test]
fn feed_cursors_read_back_what_was_written_and_refuse_the_rest_quietly() {
    use crate::model::RecordId;
    use crate::store::FeedKey;
    fuzz("cursor", header_text(), |text| {
        if let Some(key) = FeedKey::from_cursor(&text) {
            assert_eq!(FeedKey::from_cursor(&key.to_cursor()), Some(key));
        }
    });
    let keys = (any::<i64>(), "[a-z0-9][a-z0-9-]{0,40}");
    fuzz("cursor round trip", keys, |(modified, id)| {
        let Ok(id) = RecordId::parse(&id) else {
            return;
        };
        let key = FeedKey { modified, id };
        assert_eq!(FeedKey::from_cursor(&key.to_cursor()), Some(key));
    });
}

#[test]
fn resumption_tokens_round_trip_and_any_other_text_is_a_bad_token() {
    use crate::model::RecordId;
    use crate::oai::token::ResumptionToken;
    use crate::oai::{ListArguments, MetadataFormat};
    fuzz("token", header_text(), |text| {
        let _ = ResumptionToken::read(&text, 0);
    });
    let token = (
        0..3_usize,
        proptest::option::of("[a-z:-]{1,30}"),
        proptest::option::of(0..i64::MAX / 4),
        proptest::option::of(0..i64::MAX / 4),
        (any::<i64>(), "[a-z0-9][a-z0-9-]{0,30}"),
        any::<u64>(),
    );
    fuzz(
        "token round trip",
        token,
        |(format, set, from, until, (modified, id), cursor)| {
            let Ok(id) = RecordId::parse(&id) else {
                return;
            };
            let written = ResumptionToken {
                arguments: ListArguments {
                    format: MetadataFormat::ALL[format],
                    from,
                    until,
                    set,
                },
                after: crate::store::FeedKey { modified, id },
                cursor,
                expires: i64::MAX,
            };
            let read = ResumptionToken::read(&written.write(), 0);
            assert_eq!(read.ok(), Some(written));
        },
    );
}

#[test]
fn syntax_sniffing_takes_any_bytes() {
    let input = (
        proptest::option::of(header_text()),
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..512),
            mutated(FEED_XML)
        ],
    );
    fuzz("sniff", input, |(content_type, body)| {
        let _ = crate::harvest::sniff::syntax_of(content_type.as_deref(), &body);
    });
}

#[test]
fn the_page_reader_takes_broken_feeds_in_every_syntax() {
    use oxigraph::io::RdfFormat;
    let limits = crate::limits::Limits::default();
    let input = prop_oneof![
        mutated(FEED_XML).prop_map(|b| (b, RdfFormat::RdfXml)),
        mutated(FEED_TURTLE).prop_map(|b| (b, RdfFormat::Turtle)),
        mutated(FEED_TURTLE).prop_map(|b| (b, RdfFormat::NTriples)),
        mutated(DATASET_JSON).prop_map(|b| (
            b,
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::default()
            }
        )),
    ];
    fuzz("page", input, |(body, format)| {
        let _ = crate::harvest::page::parse(&body, format, "http://example.org/feed", &limits);
    });
}

#[test]
fn the_json_model_takes_broken_json() {
    let input = prop_oneof![
        mutated(DATASET_JSON),
        prop::collection::vec(any::<u8>(), 0..256)
    ];
    fuzz("json model", input, |body| {
        let _ = crate::model::json::to_json_ld::<crate::model::json::DatasetJson>(&body);
    });
}

#[test]
fn the_table_schema_checks_take_broken_csv_and_schemas() {
    use crate::standards::{Limits, TableSchema, check};
    let schema = TableSchema::from_json(SCHEMA).unwrap_or_else(|e| panic!("{e}"));
    let limits = Limits::default();
    fuzz("csv", mutated(CSV), |csv| {
        let _ = check(&schema, csv.as_slice(), &limits);
    });
    fuzz("schema", mutated(SCHEMA), |json| {
        if let Ok(schema) = TableSchema::from_json(&json) {
            let _ = check(&schema, CSV, &limits);
        }
    });
}
