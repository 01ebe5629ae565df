//! Harvest runs against feeds served over real HTTP on loopback, into real on-disk stores:
//! every real feed of the fixtures (counted, re-run unchanged, a dataset removed and
//! withdrawn), paging in both Hydra vocabularies with a cycle, a failing second page, our
//! own datasets and another source's, dry runs, and the command line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::feeds::{FeedServer, Page, media_type};
use oxigraph::io::RdfFormat;
use oxigraph::model::{Graph, NamedNode, NamedOrBlankNodeRef, TermRef, Triple};
use passerelle::harvest::page::parse;
use passerelle::harvest::sniff::syntax_of;
use passerelle::harvest::sources::add_source;
use passerelle::harvest::{FetchOptions, Harvester, JobReport, JobStatus, RunOptions, Source};
use passerelle::model::BaseIri;
use passerelle::model::vocab::{RDF_TYPE, dcat};
use passerelle::store::{CatalogStore, FeedOrder, Harvests, Lookups, Records};
use std::path::PathBuf;

const BASE: &str = "http://localhost:8080/";

/// udata's paged feed: page 1 names page 2 with the old Hydra vocabulary.
const PAGE_ONE: &str = "udata/dcat/paged-collection-1.jsonld";
const PAGE_TWO: &str = "feeds/udata/dcat/paged-collection-2.jsonld";

/// A store in a temp dir and a harvester allowed to fetch from loopback.
fn harvester() -> (tempfile::TempDir, CatalogStore, Harvester) {
    let temp = tempfile::tempdir().unwrap();
    let store = CatalogStore::open(temp.path(), BaseIri::parse(BASE).unwrap()).unwrap();
    let harvester = Harvester::new(
        store.clone(),
        FetchOptions {
            allow_private: true,
            ..FetchOptions::default()
        },
    )
    .unwrap();
    (temp, store, harvester)
}

/// Runs a job for the source `name` at `url`, adding it on first use.
async fn run(
    store: &CatalogStore,
    harvester: &Harvester,
    name: &str,
    url: &str,
    dry_run: bool,
) -> JobReport {
    let options = RunOptions {
        dry_run,
        ..RunOptions::default()
    };
    run_with(store, harvester, name, url, options).await
}

/// Runs a job as [`run`] does, with `options`.
async fn run_with(
    store: &CatalogStore,
    harvester: &Harvester,
    name: &str,
    url: &str,
    options: RunOptions,
) -> JobReport {
    let source = Source::new(name, url, None).unwrap();
    let _ = add_source(store, &source);
    harvester.run_now(source, options, &|_| {}).await.unwrap()
}

/// Options that store every page on its own, in the background, while the next is read.
fn page_by_page() -> RunOptions {
    RunOptions {
        batch_triples: 1,
        ..RunOptions::default()
    }
}

/// The datasets (and series) of a page: distinct subjects so typed.
fn dataset_subjects(graph: &Graph) -> Vec<NamedOrBlankNodeRef<'_>> {
    let mut subjects: Vec<_> = [dcat::DATASET, dcat::DATASET_SERIES]
        .into_iter()
        .flat_map(|class| graph.subjects_for_predicate_object(RDF_TYPE, class))
        .collect();
    subjects.sort_by_key(|s| s.to_string());
    subjects.dedup();
    subjects
}

fn feed_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![common::fixture("feeds")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_none_or(|e| e != "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn n_triples(graph: &Graph, leave_out: impl Fn(&Triple) -> bool) -> String {
    graph
        .iter()
        .map(|t| t.into_owned())
        .filter(|t| !leave_out(t))
        .map(|t| format!("{t} .\n"))
        .collect()
}

/// Serves GeoNetwork's CSW responses of `flavour` (`dcat`, `geodcatap`) as the pages of
/// one feed, by `startPosition`; the first page's URL. Each page has two records, each a
/// dataset (6 in all), as `numberOfRecordsReturned` and the files say.
fn serve_csw(feeds: &FeedServer, flavour: &str) -> String {
    for position in [1, 3, 5] {
        let file = common::fixture(&format!(
            "feeds/udata/csw_dcat/geonetwork-{flavour}-page-{position}.xml"
        ));
        let body = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&body);
        let records = text.matches("<dcat:Dataset ").count()
            + text
                .matches("rdf:resource=\"http://www.w3.org/ns/dcat#Dataset\"")
                .count();
        assert_eq!(records, 2, "{}", file.display());
        let path = match position {
            1 => format!("/csw/{flavour}"),
            n => format!("/csw/{flavour}?startPosition={n}"),
        };
        feeds.set(&path, Page::ok("application/xml", body));
    }
    format!("{}/csw/{flavour}", feeds.url)
}

/// Whether a page uses any DCAT or Hydra term: a feed, even without datasets.
fn speaks_dcat(graph: &Graph) -> bool {
    graph.iter().any(|t| {
        [t.predicate.as_str(), &t.object.to_string()]
            .iter()
            .any(|term| {
                term.contains("http://www.w3.org/ns/dcat#")
                    || term.contains("http://www.w3.org/ns/hydra/core#")
            })
    })
}

fn dataset_errors(report: &JobReport) -> usize {
    report.errors.iter().filter(|e| e.dataset.is_some()).count()
}

/// Every feed of the fixtures, served as its file is: the run stores one record per
/// dataset of the feed (or says why one failed); a second run finds all unchanged and
/// writes nothing; a run after one dataset left the feed withdraws it and only it.
#[actix_web::test]
async fn every_fixture_feed_is_harvested_counted_rerun_unchanged_and_withdrawn() {
    let feeds = FeedServer::start();
    // udata's two-page feed links its pages by absolute URLs: served here instead.
    let paged = format!("{}/paged/catalog.jsonld", feeds.url);
    let local = |body: Vec<u8>| {
        String::from_utf8_lossy(&body)
            .replace("http://data.test.org/catalog.jsonld", &paged)
            .into_bytes()
    };
    let page_two = local(std::fs::read(common::fixture(PAGE_TWO)).unwrap());
    feeds.set(
        "/paged/catalog.jsonld?page=2",
        Page::ok("application/ld+json", page_two.clone()),
    );
    let json_ld = RdfFormat::JsonLd {
        profile: Default::default(),
    };
    let page_two_graph = parse(&page_two, json_ld, &paged, &Default::default())
        .unwrap()
        .graph;
    let page_two_datasets = dataset_subjects(&page_two_graph).len();
    assert_eq!(page_two_datasets, 1);
    let (mut harvested, mut withdrawn_checked, mut unreadable) = (0, 0, Vec::new());
    let (mut not_feeds, mut kept_for_safety) = (Vec::new(), 0);
    // GeoNetwork's CSW feeds: three pages each, harvested from the first.
    for flavour in ["dcat", "geodcatap"] {
        let url = serve_csw(&feeds, flavour);
        let (_temp, store, harvester) = harvester();
        let report = run(&store, &harvester, "csw", &url, false).await;
        // Some records are not RDF/XML (an element with both `rdf:resource` and text): each
        // fails alone, and the run withdraws nothing since it could not identify them.
        assert_eq!(report.pages, 3, "{flavour}: {report:#?}");
        assert_eq!(
            report.created + dataset_errors(&report),
            6,
            "{flavour}: {report:#?}"
        );
        assert!(report.created >= 3, "{flavour}: {report:#?}");
        let again = run(&store, &harvester, "csw", &url, false).await;
        assert_eq!(again.unchanged, report.created, "{flavour}: {again:#?}");
        harvested += report.created;
    }
    for (index, path) in feed_files().iter().enumerate() {
        let name = path
            .strip_prefix(common::fixture("feeds"))
            .unwrap()
            .display()
            .to_string();
        if name.contains("csw_dcat/") {
            continue; // Above, as the pages of their feeds.
        }
        let body = local(std::fs::read(path).unwrap());
        let two_pages = name == PAGE_ONE;
        let route = format!(
            "/feeds/{index}/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let url = feeds.set(&route, Page::ok(media_type(path), body.clone()));
        let (_temp, store, harvester) = harvester();
        let first = run(&store, &harvester, "fixture", &url, false).await;
        let parsed = parse(
            &body,
            syntax_of(Some(media_type(path)), &body),
            &url,
            &Default::default(),
        );
        let Ok(parsed) = parsed else {
            // What does not read fails the job, says where, and stores nothing.
            assert_eq!(first.status, JobStatus::Failed, "{name}: {first:?}");
            assert_eq!(first.errors[0].page, url, "{name}");
            assert_eq!(first.created, 0, "{name}");
            unreadable.push(name);
            continue;
        };
        let expected =
            dataset_subjects(&parsed.graph).len() + if two_pages { page_two_datasets } else { 0 };
        if !speaks_dcat(&parsed.graph) {
            // RDF, but no DCAT feed (Dataverse's OAI-ORE, schema.org): the page fails.
            assert_eq!(first.status, JobStatus::Failed, "{name}: {first:?}");
            assert!(
                first.errors[0].reason.contains("not a feed"),
                "{name}: {first:?}"
            );
            not_feeds.push(name);
            continue;
        }
        assert_eq!(
            first.created + dataset_errors(&first),
            expected,
            "{name}: every dataset of the feed is stored or reported: {first:#?}"
        );
        assert_eq!(first.failed, dataset_errors(&first), "{name}: {first:#?}");
        assert_eq!(
            (first.skipped, first.withdrawn, first.pages),
            (0, 0, if two_pages { 2 } else { 1 }),
            "{name}"
        );
        assert_eq!(
            store.harvested_topics("fixture").unwrap().len(),
            first.created,
            "{name}"
        );
        harvested += first.created;

        let generation = store.generation();
        let second = run(&store, &harvester, "fixture", &url, false).await;
        assert_eq!(
            (
                second.created,
                second.updated,
                second.unchanged,
                second.withdrawn
            ),
            (0, 0, first.created, 0),
            "{name}: a second run finds everything unchanged: {second:#?}"
        );
        assert_eq!(store.generation(), generation, "{name}: and writes nothing");

        // One dataset (with a title, so that it was stored) leaves the feed.
        let stored = store.harvested_topics("fixture").unwrap();
        let Some(gone) = dataset_subjects(&parsed.graph)
            .into_iter()
            .find(|s| match s {
                NamedOrBlankNodeRef::NamedNode(n) => stored.contains(&n.into_owned()),
                NamedOrBlankNodeRef::BlankNode(_) => false,
            })
        else {
            continue;
        };
        let gone = gone.into_owned();
        // (And the count the feed announces: it has one dataset less.)
        let without = n_triples(&parsed.graph, |t| {
            (t.subject == gone
                && t.predicate == RDF_TYPE
                && matches!(t.object.as_ref(), TermRef::NamedNode(c) if c == dcat::DATASET || c == dcat::DATASET_SERIES))
                || t.predicate.as_str() == "http://www.w3.org/ns/hydra/core#totalItems"
        });
        let left: Graph = oxigraph::io::RdfParser::from_format(RdfFormat::NTriples)
            .for_slice(without.as_bytes())
            .map(|q| Triple::from(q.unwrap()))
            .collect();
        feeds.set(&route, Page::ok("application/n-triples", without));
        if two_pages {
            let total = |t: &Triple| t.predicate.as_str().ends_with("hydra/core#totalItems");
            let page = n_triples(&page_two_graph, total);
            feeds.set(
                "/paged/catalog.jsonld?page=2",
                Page::ok("application/n-triples", page),
            );
        }
        let third = run(&store, &harvester, "fixture", &url, false).await;
        let NamedOrBlankNodeRef::NamedNode(gone_iri) = gone.as_ref() else {
            unreachable!()
        };
        let gone_iri = gone_iri.into_owned();
        if !speaks_dcat(&left) {
            // A document of one dataset left with no DCAT term reads as an error page.
            assert_eq!(
                (third.status, third.withdrawn),
                (JobStatus::Failed, 0),
                "{name}: {third:#?}"
            );
            assert!(store.has_record(&gone_iri).unwrap(), "{name}");
            kept_for_safety += 1;
            continue;
        }
        let unidentified = first.errors.iter().any(|e| {
            e.reason.contains("cannot be followed") || e.reason.contains("cannot be told apart")
        });
        if unidentified {
            // Datasets the run cannot identify may be the one gone: nothing is withdrawn.
            assert_eq!(third.withdrawn, 0, "{name}: {third:#?}");
            assert!(
                third
                    .notes
                    .iter()
                    .any(|n| n.note.starts_with("nothing withdrawn")),
                "{name}"
            );
            assert!(store.has_record(&gone_iri).unwrap(), "{name}");
            kept_for_safety += 1;
            continue;
        }
        assert_eq!(
            (third.created, third.withdrawn),
            (0, 1),
            "{name}: the dataset gone from the feed is withdrawn: {third:#?}"
        );
        assert_eq!(
            third.unchanged + third.updated,
            first.created - 1,
            "{name}: the others stay: {third:#?}"
        );
        // The same triples in another syntax have the same fingerprint: only datasets that
        // pointed at the one gone (which they now own) may have changed.
        let pointing = parsed
            .graph
            .iter()
            .filter(|t| t.object == gone.as_ref().into())
            .count();
        assert!(
            third.updated <= pointing,
            "{name}: rewritten for nothing: {third:#?}"
        );
        assert!(!store.has_record(&gone_iri).unwrap(), "{name}");
        withdrawn_checked += 1;
    }
    eprintln!(
        "{harvested} datasets, {withdrawn_checked} withdrawals, {kept_for_safety} kept, not feeds: {not_feeds:?}"
    );
    // Measured: 225 datasets; a dataset removed from each feed: 96 withdrawn, and 9 kept
    // because the run could not be sure (datasets without identifier in the feed, or a
    // document left without any DCAT term). What does not read is invalid upstream (see
    // `page.rs`).
    assert!(harvested >= 200, "only {harvested} datasets harvested");
    assert!(
        withdrawn_checked >= 95,
        "only {withdrawn_checked} withdrawals checked"
    );
    assert!(kept_for_safety >= 1, "{kept_for_safety} kept");
    assert!(unreadable.len() <= 6, "unreadable: {unreadable:?}");
    // Dataverse's OAI-ORE and schema.org export (read with the bundled schema.org
    // context), an FDP's own metadata, licence mappings, a context, Dryad's schema.org:
    // no dataset either way.
    assert!(
        not_feeds.contains(&"dataverse/datasetSchemaDotOrg.json".to_owned()),
        "the schema.org context is bundled: {unreadable:?}"
    );
    assert!(not_feeds.len() <= 9, "not DCAT feeds: {not_feeds:?}");
}

const PREFIXES: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
";

fn datasets(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| {
            format!(
                "<http://data.example.org/{n}> a dcat:Dataset ; dct:title \"{n}\" ;
                   dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://data.example.org/{n}.csv> ] .\n"
            )
        })
        .collect()
}

/// Three pages: the new Hydra view on page 1, the old `hydra:nextPage` (as a literal) on
/// page 2, and page 3, the last.
fn three_pages(feeds: &FeedServer, page3: &[&str]) -> String {
    three_pages_then(feeds, page3, "")
}

/// [`three_pages`], page 3 ending with `tail`.
fn three_pages_then(feeds: &FeedServer, page3: &[&str], tail: &str) -> String {
    let first = feeds.set(
        "/paged?page=1",
        Page::ok(
            "text/turtle",
            format!(
                "{PREFIXES}<?page=1> a hydra:PartialCollectionView ; hydra:next <?page=2> .\n{}",
                datasets(&["d1", "d2"])
            ),
        ),
    );
    feeds.set(
        "/paged?page=2",
        Page::ok(
            "text/turtle",
            format!(
                "{PREFIXES}<?page=2> a hydra:PagedCollection ; hydra:nextPage \"/paged?page=3\" .\n{}",
                datasets(&["d3"])
            ),
        ),
    );
    feeds.set(
        "/paged?page=3",
        Page::ok(
            "text/turtle",
            format!(
                "{PREFIXES}<?page=3> a hydra:PartialCollectionView {tail} .\n{}",
                datasets(page3)
            ),
        ),
    );
    first
}

#[actix_web::test]
async fn paging_follows_both_hydra_vocabularies_and_a_failing_page_keeps_everything() {
    let feeds = FeedServer::start();
    let url = three_pages(&feeds, &["d4"]);
    let (_temp, store, harvester) = harvester();
    let first = run(&store, &harvester, "paged", &url, false).await;
    assert_eq!(first.status, JobStatus::Succeeded, "{first:#?}");
    assert_eq!((first.pages, first.created), (3, 4), "{first:#?}");

    // Page 2 fails: the run is partial, says which page, and withdraws nothing (d3 and d4,
    // which it could not see, stay).
    feeds.set("/paged?page=2", Page::status(500, "boom"));
    let failing = run(&store, &harvester, "paged", &url, false).await;
    assert_eq!(failing.status, JobStatus::Partial, "{failing:#?}");
    assert_eq!(failing.errors.len(), 1, "{failing:#?}");
    assert!(
        failing.errors[0].page.ends_with("/paged?page=2"),
        "{failing:#?}"
    );
    assert!(failing.errors[0].reason.contains("500"), "{failing:#?}");
    assert_eq!(
        (failing.unchanged, failing.withdrawn),
        (2, 0),
        "{failing:#?}"
    );
    for n in ["d1", "d2", "d3", "d4"] {
        let topic = NamedNode::new(format!("http://data.example.org/{n}")).unwrap();
        assert!(store.has_record(&topic).unwrap(), "{n} is kept");
    }

    // Page 2 is back, d4 left page 3 and d5 came: one created, one withdrawn.
    let url = three_pages(&feeds, &["d5"]);
    let third = run(&store, &harvester, "paged", &url, false).await;
    assert_eq!(third.status, JobStatus::Succeeded, "{third:#?}");
    assert_eq!(
        (third.created, third.unchanged, third.withdrawn),
        (1, 3, 1),
        "{third:#?}"
    );
    let d4 = NamedNode::new("http://data.example.org/d4").unwrap();
    assert!(!store.has_record(&d4).unwrap());

    // d4 comes back: the same record again.
    let url = three_pages(&feeds, &["d4", "d5"]);
    let back = run(&store, &harvester, "paged", &url, false).await;
    assert_eq!((back.created, back.unchanged), (1, 4), "{back:#?}");
    assert!(store.has_record(&d4).unwrap());

    // Each page stored on its own while the next one is read: the same outcome, and a
    // failing page 2 still keeps what page 1 brought.
    let url = three_pages(&feeds, &["d4"]);
    let (_temp, store, harvester) = self::harvester();
    let first = run_with(&store, &harvester, "paged", &url, page_by_page()).await;
    assert_eq!(
        (first.status, first.pages, first.created),
        (JobStatus::Succeeded, 3, 4),
        "{first:#?}"
    );
    feeds.set("/paged?page=2", Page::status(500, "boom"));
    let failing = run_with(&store, &harvester, "paged", &url, page_by_page()).await;
    assert_eq!(
        (failing.status, failing.unchanged, failing.withdrawn),
        (JobStatus::Partial, 2, 0),
        "{failing:#?}"
    );
    assert_eq!(store.harvested_topics("paged").unwrap().len(), 4);
}

/// A page a cap cut short is not remembered as read: the next run, without the cap,
/// fetches it whole (a `304` would stand for the part read only), then remembers it.
#[actix_web::test]
async fn a_page_cut_short_by_a_cap_is_read_again_in_full() {
    let feeds = FeedServer::start();
    let (_temp, store, harvester) = harvester();
    let body = format!("{PREFIXES}{}", datasets(&["a", "b", "c"]));
    let url = feeds.set("/feed.ttl", Page::ok("text/turtle", body).tagged("v1"));
    let capped = RunOptions {
        max_datasets: 2,
        ..RunOptions::default()
    };
    let first = run_with(&store, &harvester, "feed", &url, capped).await;
    assert_eq!(
        (first.created, first.status),
        (2, JobStatus::Partial),
        "{first:#?}"
    );
    let whole = run(&store, &harvester, "feed", &url, false).await;
    assert_eq!(
        (whole.created, whole.unchanged, whole.withdrawn),
        (1, 2, 0),
        "{whole:#?}"
    );
    let again = run(&store, &harvester, "feed", &url, false).await;
    assert_eq!(
        (again.status, again.unchanged, again.withdrawn),
        (JobStatus::Succeeded, 3, 0),
        "{again:#?}"
    );
    assert!(
        again.notes.iter().any(|n| n.note.contains("not modified")),
        "the page is remembered now: {again:#?}"
    );
}

/// A dataset naming another of the same run as its identifier is a copy, whether the two
/// are stored in one write or in two.
#[actix_web::test]
async fn a_copy_within_one_feed_is_not_stored_twice() {
    let feeds = FeedServer::start();
    let copy = format!(
        "{PREFIXES}@prefix adms: <http://www.w3.org/ns/adms#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
         <http://mirror.example.org/copy-of-a> a dcat:Dataset ; dct:title \"a\" ;
             adms:identifier [ skos:notation \"http://data.example.org/a\" ] ."
    );
    let first = format!(
        "{PREFIXES}<one> a hydra:PartialCollectionView ; hydra:next <copy.ttl> .\n{}",
        datasets(&["a"])
    );
    let url = feeds.set("/one", Page::ok("text/turtle", first));
    feeds.set("/copy.ttl", Page::ok("text/turtle", copy.clone()));
    // The copy listed first, a page before the original (in the same batch).
    let copy_first = feeds.set(
        "/copy-first",
        Page::ok(
            "text/turtle",
            format!("{copy}\n<copy-first> a hydra:PartialCollectionView ; hydra:next <then-a> ."),
        ),
    );
    feeds.set(
        "/then-a",
        Page::ok("text/turtle", format!("{PREFIXES}{}", datasets(&["a"]))),
    );
    {
        let (_temp, store, harvester) = harvester();
        let report = run(&store, &harvester, "feed", &copy_first, false).await;
        assert_eq!(
            (report.pages, report.created, report.skipped),
            (2, 1, 1),
            "{report:#?}"
        );
        let a = NamedNode::new("http://data.example.org/a").unwrap();
        assert!(store.has_record(&a).unwrap(), "the original is kept");
    }
    for options in [RunOptions::default(), page_by_page()] {
        let (_temp, store, harvester) = harvester();
        let report = run_with(&store, &harvester, "feed", &url, options).await;
        assert_eq!(
            (report.pages, report.created, report.skipped),
            (2, 1, 1),
            "{report:#?}"
        );
        assert!(
            report
                .notes
                .iter()
                .any(|n| n.note.contains("copy-of-a") && n.note.contains("data.example.org/a")),
            "{report:#?}"
        );
        let copy = NamedNode::new("http://mirror.example.org/copy-of-a").unwrap();
        assert!(!store.has_record(&copy).unwrap());
    }
}

#[actix_web::test]
async fn our_own_datasets_and_another_sources_are_not_taken() {
    let feeds = FeedServer::start();
    let (_temp, store, harvester) = harvester();
    let national = feeds.set(
        "/national.ttl",
        Page::ok(
            "text/turtle",
            format!(
                "{PREFIXES}@prefix adms: <http://www.w3.org/ns/adms#> .
                 @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
                 <{BASE}datasets/ours> a dcat:Dataset ; dct:title \"ours, harvested back\" .
                 <http://national.example.org/copy> a dcat:Dataset ; dct:title \"ours again\" ;
                     adms:identifier [ skos:notation \"{BASE}datasets/other\" ] .
                 {}",
                datasets(&["shared"])
            ),
        ),
    );
    let report = run(&store, &harvester, "national", &national, false).await;
    assert_eq!((report.created, report.skipped), (1, 2), "{report:#?}");
    assert!(
        report
            .notes
            .iter()
            .filter(|n| n.note.contains("one of our"))
            .count()
            == 2,
        "{:?}",
        report.notes
    );

    // Another source lists the same dataset: it stays the first source's.
    let regional = feeds.set(
        "/regional.ttl",
        Page::ok(
            "text/turtle",
            format!("{PREFIXES}{}", datasets(&["shared"])),
        ),
    );
    let other = run(&store, &harvester, "regional", &regional, false).await;
    assert_eq!((other.created, other.skipped), (0, 1), "{other:#?}");
    assert!(
        other.notes.iter().any(|n| n.note.contains(&national)),
        "{:?}",
        other.notes
    );
    // And when it stops listing it, nothing of the first source's is withdrawn.
    feeds.set("/regional.ttl", Page::ok("text/turtle", PREFIXES));
    let emptied = run(&store, &harvester, "regional", &regional, false).await;
    assert_eq!(emptied.withdrawn, 0, "{emptied:#?}");
    let shared = NamedNode::new("http://data.example.org/shared").unwrap();
    assert!(store.has_record(&shared).unwrap());
}

#[actix_web::test]
async fn a_dry_run_says_what_it_would_do_and_writes_nothing() {
    let feeds = FeedServer::start();
    let (_temp, store, harvester) = harvester();
    let url = feeds.set(
        "/feed.ttl",
        Page::ok(
            "text/turtle",
            format!("{PREFIXES}{}", datasets(&["a", "b"])),
        ),
    );
    let generation = store.generation();
    let dry = run(&store, &harvester, "dry", &url, true).await;
    assert!(dry.dry_run);
    assert_eq!(dry.created, 2, "{dry:#?}");
    assert_eq!(store.generation(), generation);
    assert!(store.harvested_topics("dry").unwrap().is_empty());

    run(&store, &harvester, "dry", &url, false).await;
    feeds.set(
        "/feed.ttl",
        Page::ok("text/turtle", format!("{PREFIXES}{}", datasets(&["a"]))),
    );
    let generation = store.generation();
    let dry = run(&store, &harvester, "dry", &url, true).await;
    assert_eq!((dry.unchanged, dry.withdrawn), (1, 1), "{dry:#?}");
    assert_eq!(store.generation(), generation);
    let b = NamedNode::new("http://data.example.org/b").unwrap();
    assert!(store.has_record(&b).unwrap(), "a dry run withdraws nothing");
}

/// The command line: add a source, run it (the report printed), list it; then the server
/// serves the harvested dataset with a catalog record saying where it came from.
#[actix_web::test]
async fn the_command_line_adds_runs_and_lists_sources() {
    let feeds = FeedServer::start();
    let fixture = common::fixture("feeds/ckanext-dcat/examples/dcat/catalog.rdf");
    let url = feeds.set(
        "/catalog.rdf",
        Page::ok("application/rdf+xml", std::fs::read(&fixture).unwrap()),
    );
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let cli = |args: Vec<String>, data: PathBuf, dir: PathBuf| {
        tokio::task::spawn_blocking(move || {
            let mut command = common::passerelle(&dir);
            command
                .arg("--data-dir")
                .arg(&data)
                .args(&args)
                .env("PASSERELLE_HARVEST_ALLOW_PRIVATE", "true");
            command.output().unwrap()
        })
    };
    let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let dir = temp.path().to_owned();
    let added = cli(
        args(&["harvest", "add", &url, "--name", "ckan", "--interval", "6h"]),
        data.clone(),
        dir.clone(),
    )
    .await
    .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let ran = cli(args(&["harvest", "run", "ckan"]), data.clone(), dir.clone())
        .await
        .unwrap();
    let printed = String::from_utf8_lossy(&ran.stdout).to_string();
    assert!(
        ran.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert!(printed.contains("2 created"), "{printed}");
    let listed = cli(args(&["harvest", "list"]), data.clone(), dir.clone())
        .await
        .unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout).to_string();
    assert!(
        listed.contains("ckan") && listed.contains(&url) && listed.contains("6h"),
        "{listed}"
    );
    assert!(
        listed.contains("Succeeded") && listed.contains("2 created"),
        "{listed}"
    );
    let unknown = cli(args(&["harvest", "run", "nope"]), data.clone(), dir.clone())
        .await
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no harvest source"));
    // Without harvest-allow-private, a source inside our network is refused, not kept.
    let inside = common::run(
        &dir,
        &[
            "--data-dir",
            data.to_str().unwrap(),
            "harvest",
            "add",
            &url,
            "--name",
            "inside",
        ],
    );
    assert!(!inside.status.success());
    assert!(
        String::from_utf8_lossy(&inside.stderr).contains("refused"),
        "{}",
        String::from_utf8_lossy(&inside.stderr)
    );
    let listed = cli(args(&["harvest", "list"]), data.clone(), dir.clone())
        .await
        .unwrap();
    assert!(!String::from_utf8_lossy(&listed.stdout).contains("inside"));

    // Private addresses are refused unless allowed.
    let refused = tokio::task::spawn_blocking({
        let (data, dir, url) = (data.clone(), dir.clone(), url.clone());
        move || {
            common::passerelle(&dir)
                .arg("--data-dir")
                .arg(&data)
                .args(["harvest", "run", &url])
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stdout).contains("refused"),
        "{}",
        String::from_utf8_lossy(&refused.stdout)
    );

    let server = tokio::task::spawn_blocking(move || common::Server::start_in(&data, Some(BASE)))
        .await
        .unwrap();
    let catalog = common::get_with(
        &format!("{}/catalog", server.url),
        &[("Accept", "application/n-triples")],
    )
    .await
    .text()
    .await
    .unwrap();
    let source_nodes: Vec<&str> = catalog
        .lines()
        .filter(|l| l.contains("<http://purl.org/dc/terms/isPartOf>") && l.contains(&url))
        .collect();
    assert_eq!(
        source_nodes.len(),
        2,
        "each harvested record names the feed: {catalog}"
    );
}

/// What would make a run believe the feed lost datasets, when it did not: a page that loops
/// back, a page answering an error as 200, a page listing only datasets seen before, a
/// feed announcing more datasets than it lists, a dataset that can no longer be told
/// apart, a cap. Each leaves every dataset in place and says why.
#[actix_web::test]
async fn runs_that_cannot_be_sure_of_the_feed_withdraw_nothing() {
    let feeds = FeedServer::start();
    let (_temp, store, harvester) = harvester();
    let url = three_pages(&feeds, &["d4"]);
    assert_eq!(
        run(&store, &harvester, "feed", &url, false).await.created,
        4
    );
    let all_kept = |store: &CatalogStore| {
        ["d1", "d2", "d3", "d4"].iter().all(|n| {
            let topic = NamedNode::new(format!("http://data.example.org/{n}")).unwrap();
            store.has_record(&topic).unwrap()
        })
    };
    let expect_kept = |report: &JobReport, why: &str| {
        assert_eq!(report.withdrawn, 0, "{why}: {report:#?}");
        assert_ne!(report.status, JobStatus::Succeeded, "{why}: {report:#?}");
    };
    // Kept, with an error saying `reason`.
    let expect_kept_for = |report: &JobReport, why: &str, reason: &str| {
        expect_kept(report, why);
        assert!(
            report.errors.iter().any(|e| e.reason.contains(reason)),
            "{why}: {report:#?}"
        );
    };

    // Page 3 (now without d4) points back to page 1.
    let url = three_pages_then(&feeds, &[], "; hydra:next <?page=1>");
    let looped = run(&store, &harvester, "feed", &url, false).await;
    expect_kept_for(&looped, "a loop", "comes back");

    // Page 2 answers 200 with a JSON error, then with nothing at all.
    for body in [
        &b"{\"success\": false, \"error\": \"rate limited\"}"[..],
        b"",
    ] {
        let url = three_pages_then(&feeds, &[], "");
        feeds.set("/paged?page=2", Page::ok("application/json", body.to_vec()));
        let report = run(&store, &harvester, "feed", &url, false).await;
        expect_kept(&report, "an error page");
        assert!(
            report.errors.iter().any(|e| e.page.ends_with("page=2")),
            "{report:#?}"
        );
    }

    // Page 3 lists page 2's dataset again, and points on: the paging does not advance.
    let url = three_pages_then(&feeds, &["d3"], "; hydra:next <?page=4>");
    let stuck = run(&store, &harvester, "feed", &url, false).await;
    expect_kept_for(&stuck, "a stuck paging", "does not advance");

    // The feed says it has 4 datasets and lists 3.
    let url = three_pages_then(&feeds, &[], "; hydra:totalItems 4");
    let short = run(&store, &harvester, "feed", &url, false).await;
    expect_kept_for(&short, "fewer than announced", "announces 4");

    // Two datasets without IRI share an identifier: they cannot be told apart.
    let url = three_pages_then(
        &feeds,
        &[],
        ". [] a dcat:Dataset ; dct:identifier \"twin\" . [] a dcat:Dataset ; dct:identifier \"twin\"",
    );
    let twins = run(&store, &harvester, "feed", &url, false).await;
    assert_eq!((twins.withdrawn, twins.failed), (0, 2), "{twins:#?}");
    assert!(
        twins
            .notes
            .iter()
            .any(|n| n.note.contains("nothing withdrawn")),
        "{twins:#?}"
    );

    // A cap on datasets stops the run early.
    let url = three_pages(&feeds, &[]);
    let source = Source::new("feed", &url, None).unwrap();
    let options = RunOptions {
        max_datasets: 2,
        ..RunOptions::default()
    };
    let capped = harvester.run_now(source, options, &|_| {}).await.unwrap();
    expect_kept(&capped, "a cap");
    assert!(
        capped
            .stopped
            .as_deref()
            .is_some_and(|s| s.contains("2 datasets")),
        "{capped:#?}"
    );
    assert!(all_kept(&store), "every dataset is still there");

    // And a complete run withdraws d4 at last.
    let done = run(&store, &harvester, "feed", &url, false).await;
    assert_eq!(
        (done.status, done.withdrawn),
        (JobStatus::Succeeded, 1),
        "{done:#?}"
    );
}

/// A dataset that stops passing the harvest's checks keeps its earlier version; a copy
/// that names a dataset we have as its identifier is not stored twice; a local record is
/// never replaced by a harvested one; a feed cannot describe our own resources.
#[actix_web::test]
async fn failing_datasets_copies_and_local_records_are_left_alone() {
    let feeds = FeedServer::start();
    let (_temp, store, harvester) = harvester();
    let url = feeds.set(
        "/feed.ttl",
        Page::ok(
            "text/turtle",
            format!("{PREFIXES}{}", datasets(&["a", "b"])),
        ),
    );
    assert_eq!(
        run(&store, &harvester, "feed", &url, false).await.created,
        2
    );
    let b = NamedNode::new("http://data.example.org/b").unwrap();
    let untitled = format!(
        "{PREFIXES}{}<http://data.example.org/b> a dcat:Dataset ; dct:description \"no title now\" .",
        datasets(&["a"])
    );
    feeds.set("/feed.ttl", Page::ok("text/turtle", untitled));
    let report = run(&store, &harvester, "feed", &url, false).await;
    assert_eq!(
        (report.failed, report.unchanged, report.withdrawn),
        (1, 1, 0),
        "{report:#?}"
    );
    assert_eq!(
        report.errors[0].dataset.as_deref(),
        Some(b.as_str()),
        "{report:#?}"
    );
    assert!(store.has_record(&b).unwrap(), "the earlier version stays");

    // Another portal's copy of `a`, naming it as its identifier; and a description of one
    // of our resources slipped into a dataset.
    let other = feeds.set(
        "/other.ttl",
        Page::ok(
            "text/turtle",
            format!(
                "{PREFIXES}@prefix adms: <http://www.w3.org/ns/adms#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
                 <http://other.example.org/copy-of-a> a dcat:Dataset ; dct:title \"a\" ;
                     adms:identifier [ skos:notation \"http://data.example.org/a\" ] .
                 <http://other.example.org/c> a dcat:Dataset ; dct:title \"c\" ; dct:publisher <{BASE}agents/ours> .
                 <{BASE}agents/ours> dct:title \"spam\" ."
            ),
        ),
    );
    let report = run(&store, &harvester, "other", &other, false).await;
    assert_eq!((report.created, report.skipped), (1, 1), "{report:#?}");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.note.contains("describes already")),
        "{report:#?}"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.note.contains("our own resources")),
        "{report:#?}"
    );
    let c = NamedNode::new("http://other.example.org/c").unwrap();
    let record = store.record_id_of(&c).unwrap().unwrap();
    let quads = store
        .describe(passerelle::model::ResourceKind::Record, &record)
        .unwrap()
        .unwrap()
        .quads;
    assert!(
        quads.iter().all(|q| !q.to_string().contains("spam")),
        "no triple about our agent was stored"
    );
}
