//! Crash trials: the real server is killed (SIGKILL) at a random moment of a mixed workload
//! (API creates, updates and deletes by two clients, SPARQL updates, a harvest running),
//! started again on the same store, and then: every write that got a 2xx is there as it was
//! acknowledged; a write in flight at the kill is wholly there or wholly absent; after the
//! server's repair on start, `passerelle check` finds every part of the store in agreement.
//!
//! Seeded: `PASSERELLE_CRASH_SEED` (default 5eed) and `PASSERELLE_CRASH_TRIALS` (default 5;
//! `bench/crash.sh` runs 100). A failure names its seed and trial.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, bearer};
use common::{Server, client, free_port, run};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A small deterministic generator (xorshift64*): the trials repeat from their seed.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// What a dataset should be: its title, or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Titled(String),
    Deleted,
}

/// What one client got acknowledged, and the write it had in flight when the server died.
#[derive(Debug, Default)]
struct Ledger {
    acked: HashMap<String, State>,
    in_flight: Option<(String, State)>,
}

fn dataset(id: &str, title: &str) -> String {
    format!(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n<{id}> a dcat:Dataset ; dct:title \"{title}\"@fr ; dct:description \"Essai de panne.\"@fr ; dct:publisher <../agents/ecobio> .\n"
    )
}

/// Creates, updates and deletes datasets named `{prefix}-{n}` until the server is gone.
async fn api_client(url: String, prefix: String, seed: u64, writes: Arc<AtomicUsize>) -> Ledger {
    let mut dice = Dice(seed | 1);
    let mut ledger = Ledger::default();
    let mut live: Vec<String> = Vec::new();
    for n in 0.. {
        let choice = dice.below(100);
        let (id, state, answer) = if live.is_empty() || choice < 60 {
            let id = format!("{prefix}-{n}");
            let state = State::Titled(format!("v{n}"));
            ledger.in_flight = Some((id.clone(), state.clone()));
            let answer = client()
                .post(format!("{url}/api/datasets"))
                .header("Authorization", bearer(ADMIN))
                .header("Content-Type", "text/turtle")
                .body(dataset(&id, &format!("v{n}")))
                .send()
                .await;
            (id, state, answer)
        } else {
            let id = live[dice.below(live.len() as u64) as usize].clone();
            let page = match etag_of(&url, &id).await {
                Ok(Some(etag)) => etag,
                Ok(None) => panic!("{id}: acknowledged, but not found"),
                Err(_) => return ledger,
            };
            let deleting = choice >= 85;
            let state = if deleting {
                State::Deleted
            } else {
                State::Titled(format!("v{n}"))
            };
            ledger.in_flight = Some((id.clone(), state.clone()));
            let request = if deleting {
                client().delete(format!("{url}/api/datasets/{id}"))
            } else {
                client()
                    .put(format!("{url}/api/datasets/{id}"))
                    .header("Content-Type", "text/turtle")
                    .body(dataset(&id, &format!("v{n}")))
            };
            let answer = request
                .header("Authorization", bearer(ADMIN))
                .header("If-Match", page)
                .send()
                .await;
            (id, state, answer)
        };
        match answer {
            Ok(answer) if answer.status().is_success() => {
                if state == State::Deleted {
                    live.retain(|l| *l != id);
                } else if !live.contains(&id) {
                    live.push(id.clone());
                }
                ledger.acked.insert(id, state);
                ledger.in_flight = None;
                writes.fetch_add(1, Ordering::Relaxed);
            }
            Ok(answer) if answer.status().is_server_error() => {
                panic!(
                    "{id}: {} {}",
                    answer.status(),
                    answer.text().await.unwrap_or_default()
                )
            }
            // A refusal (4xx) is not a write; a broken connection is the kill.
            Ok(_) => ledger.in_flight = None,
            Err(_) => return ledger,
        }
    }
    ledger
}

/// The ETag of dataset `id`, `None` if it is not there; an error if the server is gone.
async fn etag_of(url: &str, id: &str) -> Result<Option<String>, reqwest::Error> {
    let page = client()
        .get(format!("{url}/datasets/{id}"))
        .header("Accept", "text/turtle")
        .send()
        .await?;
    Ok(page
        .headers()
        .get("etag")
        .filter(|_| page.status() == StatusCode::OK)
        .and_then(|e| e.to_str().ok())
        .map(str::to_owned))
}

/// Inserts `urn:crash:{trial}:{n}` graphs by SPARQL Update until the server is gone; the
/// acknowledged ones.
async fn sparql_client(url: String, trial: u64) -> (Vec<u64>, Option<u64>) {
    let mut acked = Vec::new();
    for n in 0.. {
        let update = format!(
            "INSERT DATA {{ GRAPH <urn:crash:{trial}:{n}> {{ <urn:crash:{trial}:{n}> <urn:crash:p> \"{n}\" }} }}"
        );
        let answer = client()
            .post(format!("{url}/sparql"))
            .header("Authorization", bearer(ADMIN))
            .form(&[("update", update)])
            .send()
            .await;
        match answer {
            Ok(answer) if answer.status().is_success() => acked.push(n),
            Ok(answer) => panic!("update {n}: {}", answer.status()),
            Err(_) => return (acked, Some(n)),
        }
    }
    (acked, None)
}

/// The titles of the datasets whose ids start with `prefix`, as the server serves them.
async fn titles(server: &Server, prefix: &str) -> HashMap<String, String> {
    let query = format!(
        "SELECT ?d ?t WHERE {{ GRAPH ?g {{ ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> ?t }} FILTER(STRSTARTS(STR(?d), \"{}datasets/{prefix}\")) }}",
        server.base
    );
    let answer: Value = common::sparql_get(
        &format!("{}/sparql", server.url),
        &query,
        "application/sparql-results+json",
    )
    .await
    .json()
    .await
    .unwrap();
    let prefix = format!("{}datasets/", server.base);
    answer["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let iri = b["d"]["value"].as_str().unwrap();
            let id = iri.strip_prefix(&prefix).unwrap().to_owned();
            (id, b["t"]["value"].as_str().unwrap().to_owned())
        })
        .collect()
}

fn start(data: &Path, port: u16) -> Server {
    Server::start_full(
        data,
        port,
        None,
        &["--admin-token", ADMIN, "--harvest-allow-private", "true"],
    )
}

/// Waits for the restarted server's check of the store to end (it logs either outcome).
async fn repaired_on_start(server: &Server, what: &str) {
    for _ in 0..600 {
        let log = server.log();
        if log.contains("the store's parts agree") || log.contains("the store was repaired") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{what}: the server never finished checking the store:\n{}",
        server.log()
    );
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| u64::from_str_radix(v.trim_start_matches("0x"), 16).ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_a_kill_and_the_store_stays_consistent() {
    let seed = env_number("PASSERELLE_CRASH_SEED", 0x5eed);
    let trials = std::env::var("PASSERELLE_CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_u64);
    let feeds = common::feeds::FeedServer::start();
    let feed = common::feeds::ckan_catalog(&feeds);
    let temp = tempfile::tempdir().unwrap();
    let (data, port) = (temp.path().join("data"), free_port());
    let mut expected: HashMap<String, State> = HashMap::new();
    let mut graphs: Vec<(u64, u64)> = Vec::new();
    let mut server = start(&data, port);
    common::api::add_source(&server, "feed", &feed).await;
    for trial in 0..trials {
        let what = format!("seed {seed:x}, trial {trial}");
        let mut dice = Dice((seed + trial).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        if dice.below(2) == 0 {
            // A harvest running when the kill comes (or done before it).
            let _ = client()
                .post(format!("{}/api/harvest/sources/feed/run", server.url))
                .header("Authorization", bearer(ADMIN))
                .send()
                .await
                .unwrap();
        }
        let writes = Arc::new(AtomicUsize::new(0));
        let clients = (
            tokio::spawn(api_client(
                server.url.clone(),
                format!("crash-{trial}-a"),
                dice.next(),
                writes.clone(),
            )),
            tokio::spawn(api_client(
                server.url.clone(),
                format!("crash-{trial}-b"),
                dice.next(),
                writes.clone(),
            )),
            tokio::spawn(sparql_client(server.url.clone(), trial)),
        );
        // The kill comes at a random moment once writes flow.
        for _ in 0..600 {
            if writes.load(Ordering::Relaxed) >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_millis(dice.below(1500))).await;
        server.crash();
        let (a, b, (acked_graphs, graph_in_flight)) = (
            clients.0.await.unwrap(),
            clients.1.await.unwrap(),
            clients.2.await.unwrap(),
        );
        assert!(
            a.acked.len() + b.acked.len() > 0,
            "{what}: nothing was written before the kill"
        );
        server = start(&data, port);
        repaired_on_start(&server, &what).await;
        let found = titles(&server, "crash-").await;
        for ledger in [&a, &b] {
            for (id, state) in &ledger.acked {
                expected.insert(id.clone(), state.clone());
            }
        }
        let mut settled = HashMap::new();
        for (id, state) in &expected {
            let now = found
                .get(id)
                .map_or(State::Deleted, |t| State::Titled(t.clone()));
            let in_flight = [&a, &b]
                .iter()
                .filter_map(|l| l.in_flight.as_ref())
                .any(|(i, s)| i == id && *s == now);
            assert!(
                now == *state || in_flight,
                "{what}: {id} acknowledged as {state:?} is {now:?}"
            );
            // What the server shows now is what the next trials expect.
            settled.insert(id.clone(), now);
        }
        expected.extend(settled);
        for (id, title) in &found {
            let unacked = [&a, &b]
                .iter()
                .filter_map(|l| l.in_flight.as_ref())
                .any(|(i, _)| i == id);
            assert!(
                expected.contains_key(id) || unacked,
                "{what}: {id} ({title}) was never written"
            );
            expected
                .entry(id.clone())
                .or_insert_with(|| State::Titled(title.clone()));
        }
        let repaired = server.log().contains("the store was repaired");
        eprintln!(
            "{what}: {} API writes and {} updates acknowledged, {} in flight; repaired on start: {repaired}",
            a.acked.len() + b.acked.len(),
            acked_graphs.len(),
            usize::from(a.in_flight.is_some())
                + usize::from(b.in_flight.is_some())
                + usize::from(graph_in_flight.is_some()),
        );
        graphs.extend(acked_graphs.iter().map(|n| (trial, *n)));
        for (t, n) in &graphs {
            let ask = format!("ASK {{ GRAPH <urn:crash:{t}:{n}> {{ ?s ?p ?o }} }}");
            assert!(
                common::ask(&server, &ask).await,
                "{what}: graph {t}:{n} lost"
            );
        }
        // After the repair on start, every part agrees.
        server.stop();
        let (clean, said) = common::check_store(&data, &server.base);
        assert!(clean, "{what}: {said}");
        server = start(&data, port);
        repaired_on_start(&server, &what).await;
    }
}

/// A server that aborts when a write reaches `point` (`PASSERELLE_CRASH_AT`).
fn start_to_crash_at(data: &Path, port: u16, point: &str) -> Server {
    Server::start_with_env(
        data,
        port,
        None,
        &["--admin-token", ADMIN, "--harvest-allow-private", "true"],
        &[("PASSERELLE_CRASH_AT", point)],
    )
}

/// Waits for `server` to have aborted.
async fn aborted(server: &mut Server, point: &str) {
    for _ in 0..200 {
        if !server.is_running() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not stop at {point}");
}

/// The lines of the private store's dump that belong to `id`'s history.
fn history_lines(root: &Path, data: &Path, base: &str, id: &str) -> Vec<String> {
    let dump = run(
        root,
        &[
            "--data-dir",
            data.to_str().unwrap(),
            "--base-iri",
            base,
            "dump",
            "--private",
        ],
    );
    assert!(dump.status.success());
    let graph = format!("<{base}history/{id}>");
    String::from_utf8(dump.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.ends_with(&format!("{graph} .")))
        .map(str::to_owned)
        .collect()
}

/// Stops `server` and asserts `passerelle check` finds the store whole.
fn checked_clean(data: &Path, server: &mut Server, what: &str) {
    server.stop();
    let (clean, said) = common::check_store(data, &server.base);
    assert!(clean, "{what}: {said}");
}

#[tokio::test]
async fn a_crash_where_the_stores_part_is_mended_when_the_server_starts() {
    let temp = tempfile::tempdir().unwrap();
    let (root, data, port) = (temp.path(), temp.path().join("data"), free_port());
    let mut server = start(&data, port);
    let base = server.base.clone();
    let created = client()
        .post(format!("{}/api/datasets", server.url))
        .header("Authorization", bearer(ADMIN))
        .header("Content-Type", "text/turtle")
        .body(dataset("kept", "premier"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let etag = etag_of(&server.url, "kept").await.unwrap().unwrap();
    server.stop();

    // An API create and replace cut after their revisions: neither happened.
    let mut server = start_to_crash_at(&data, port, "revision-written");
    let create = client()
        .post(format!("{}/api/datasets", server.url))
        .header("Authorization", bearer(ADMIN))
        .header("Content-Type", "text/turtle")
        .body(dataset("cut", "jamais"))
        .send()
        .await;
    assert!(create.is_err(), "the create was answered");
    aborted(&mut server, "revision-written").await;
    let mut server = start_to_crash_at(&data, port, "revision-written");
    let replace = client()
        .put(format!("{}/api/datasets/kept", server.url))
        .header("Authorization", bearer(ADMIN))
        .header("If-Match", &etag)
        .header("Content-Type", "text/turtle")
        .body(dataset("kept", "second"))
        .send()
        .await;
    assert!(replace.is_err(), "the replace was answered");
    aborted(&mut server, "revision-written").await;
    let mut server = start(&data, port);
    repaired_on_start(&server, "revision-written").await;
    assert!(
        server.log().contains("the store was repaired"),
        "{}",
        server.log()
    );
    let found = titles_of(&server, &["kept", "cut"]).await;
    assert_eq!(found, [Some("premier".to_owned()), None]);
    checked_clean(&data, &mut server, "revision-written");
    assert!(history_lines(root, &data, &base, "cut").is_empty());
    let kept = history_lines(root, &data, &base, "kept");
    assert!(kept.iter().any(|l| l.contains("?version=1>")));
    assert!(!kept.iter().any(|l| l.contains("?version=2>")), "{kept:#?}");

    // `passerelle load` cut after its records: they stay, with revisions made on start.
    let file = root.join("loaded.ttl");
    std::fs::write(
        &file,
        dataset("loaded", "chargé")
            .replace("<loaded>", &format!("<{base}datasets/loaded>"))
            .replace("<../agents/ecobio>", &format!("<{base}agents/ecobio>")),
    )
    .unwrap();
    let load = common::passerelle(root)
        .args([
            "--data-dir",
            data.to_str().unwrap(),
            "--base-iri",
            &base,
            "load",
        ])
        .arg(&file)
        .env("PASSERELLE_CRASH_AT", "records-committed")
        .output()
        .unwrap();
    assert!(!load.status.success(), "the load was not cut");
    let mut server = start(&data, port);
    repaired_on_start(&server, "records-committed").await;
    let found = titles_of(&server, &["loaded"]).await;
    assert_eq!(found, [Some("chargé".to_owned())]);
    checked_clean(&data, &mut server, "records-committed");
    let loaded = history_lines(root, &data, &base, "loaded");
    assert!(
        loaded.iter().any(|l| l.contains("passerelle check")),
        "{loaded:#?}"
    );

    // A harvest cut after a page's records: they stay, with their revisions made on start.
    let feeds = common::feeds::FeedServer::start();
    let feed = common::feeds::ckan_catalog(&feeds);
    let mut server = start_to_crash_at(&data, port, "harvest-committed");
    common::api::add_source(&server, "cut", &feed).await;
    let _ = client()
        .post(format!("{}/api/harvest/sources/cut/run", server.url))
        .header("Authorization", bearer(ADMIN))
        .send()
        .await;
    aborted(&mut server, "harvest-committed").await;
    let mut server = start(&data, port);
    repaired_on_start(&server, "harvest-committed").await;
    assert!(
        server.log().contains("the store was repaired"),
        "{}",
        server.log()
    );
    checked_clean(&data, &mut server, "harvest-committed");
}

/// The titles of datasets `ids` (`None` for one that is not there).
async fn titles_of(server: &Server, ids: &[&str]) -> Vec<Option<String>> {
    let found = titles(server, "").await;
    ids.iter().map(|id| found.get(*id).cloned()).collect()
}
