//! Backups made while the server serves and writes (`passerelle backup DIR` asking the
//! server, `POST {base}api/backup`), restored with `passerelle restore` into an empty data
//! directory: both stores equal (canonical dumps), tokens, harvest sources and the feed's
//! order as they were; a backup made during a write loop holds every write acknowledged
//! before it and no half of one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::api::{ADMIN, api_request, bearer, create_token};
use common::{Server, client, free_port, run};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

const PREFIXES: &str =
    "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n";

fn dataset(id: &str) -> String {
    format!(
        "{PREFIXES}<{id}> a dcat:Dataset ;\n  dct:title \"Relevé {id}\"@fr ;\n  dct:description \"Comptages.\"@fr ;\n  dct:publisher <../agents/ecobio> .\n"
    )
}

fn start(data: &Path, port: u16) -> Server {
    Server::start_full(
        data,
        port,
        None,
        &[
            "--admin-token",
            ADMIN,
            "--harvest-allow-private",
            "true",
            "--backup-keep",
            "2",
        ],
    )
}

/// Creates datasets until `stop`; the ids whose creation was acknowledged, in order.
async fn write_loop(server_url: String, stop: Arc<AtomicBool>, acked: Arc<Mutex<Vec<String>>>) {
    let mut n = 0;
    while !stop.load(Ordering::Acquire) && n < 400 {
        n += 1;
        let id = format!("loop-{n}");
        let answer = client()
            .post(format!("{server_url}/api/datasets"))
            .header("Authorization", bearer(ADMIN))
            .header("Content-Type", "text/turtle")
            .body(dataset(&id))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::CREATED, "{id}");
        acked.lock().unwrap().push(id);
    }
}

fn restore(backup: &Path, into: &Path) {
    let output = run(
        into.parent().unwrap(),
        &[
            "--data-dir",
            into.to_str().unwrap(),
            "restore",
            backup.to_str().unwrap(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The loop's datasets a store's dumps hold: (in the public store, with a history entry).
fn loop_records(dumps: &(Vec<String>, Vec<String>)) -> (BTreeSet<String>, BTreeSet<String>) {
    let ids = |lines: &[String]| -> BTreeSet<String> {
        lines
            .iter()
            .filter_map(|line| line.split("/records/loop-").nth(1))
            .filter_map(|rest| rest.split('>').next())
            .map(|n| format!("loop-{n}"))
            .collect()
    };
    (ids(&dumps.0), ids(&dumps.1))
}

/// The feed's order, as the cursors of its pages' `next` links (each names the key of its
/// page's last dataset: modification time and id).
async fn feed_order(server: &Server) -> Vec<String> {
    let mut cursors = Vec::new();
    let mut url = format!("{}/catalog?page_size=10", server.url);
    loop {
        let page = common::get_with(&url, &[("Accept", "text/turtle")]).await;
        assert_eq!(page.status(), StatusCode::OK, "{url}");
        let link = page
            .headers()
            .get("link")
            .map(|l| l.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let next = link
            .split(',')
            .find(|l| l.contains("rel=\"next\""))
            .and_then(|l| l.split(['<', '>']).nth(1))
            .map(str::to_owned);
        let Some(next) = next else {
            return cursors;
        };
        cursors.push(next.split("after=").nth(1).unwrap_or_default().to_owned());
        url = server.url_of(&next);
    }
}

#[tokio::test]
async fn a_backup_made_while_writing_restores_whole_and_a_quiet_one_restores_equal() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let port = free_port();
    let mut server = start(&data, port);
    let publisher = format!("{}agents/ecobio", server.base);
    let editor = create_token(
        temp.path(),
        &[
            "--name",
            "Zoé",
            "--role",
            "editor",
            "--publisher",
            &publisher,
        ],
    );
    common::api::add_source(&server, "elsewhere", "http://127.0.0.1:9/feed.ttl").await;

    // Writes go on while `passerelle backup DIR` asks the server for a backup.
    let (stop, acked) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(Mutex::new(Vec::new())),
    );
    let writes = tokio::spawn(write_loop(server.url.clone(), stop.clone(), acked.clone()));
    while acked.lock().unwrap().len() < 5 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let during = temp.path().join("during");
    let before_backup: Vec<String> = acked.lock().unwrap().clone();
    let (root, target) = (temp.path().to_owned(), during.clone());
    let listen = format!("127.0.0.1:{port}");
    let base = server.base.clone();
    let output = tokio::task::spawn_blocking(move || {
        let args = [
            "--data-dir",
            "data",
            "--listen",
            &listen,
            "--base-iri",
            &base,
            "--admin-token",
            ADMIN,
            "backup",
            target.to_str().unwrap(),
        ];
        run(&root, &args)
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The API keeps `backup-keep` of its own.
    for _ in 0..3 {
        let made = client()
            .post(format!("{}/api/backup", server.url))
            .header("Authorization", bearer(ADMIN))
            .send()
            .await
            .unwrap();
        assert_eq!(made.status(), StatusCode::CREATED);
        let made: Value = made.json().await.unwrap();
        assert!(
            Path::new(made["path"].as_str().unwrap())
                .join("CURRENT")
                .is_file()
        );
    }
    let kept = std::fs::read_dir(temp.path().join("data-backups"))
        .unwrap()
        .count();
    assert_eq!(kept, 2, "backup-keep 2");
    stop.store(true, Ordering::Release);
    writes.await.unwrap();
    assert!(acked.lock().unwrap().len() > before_backup.len());
    let refused = client()
        .post(format!("{}/api/backup", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);

    // Restored, the backup made during the loop has every write acknowledged before it,
    // and each written wholly: a record in the public store, its history in the private.
    let restored = temp.path().join("restored-during");
    restore(&during, &restored);
    let (public, history) = loop_records(&common::dumped(&restored));
    for id in &before_backup {
        assert!(
            public.contains(id),
            "{id} acknowledged before the backup is missing"
        );
    }
    assert_eq!(public, history, "a write half in the backup");

    // A backup of the quiet server restores equal: stores, tokens, sources, feed order.
    let last = acked.lock().unwrap().last().cloned().unwrap();
    measured(&server, &last).await;
    let order = feed_order(&server).await;
    let quiet = made_by_api(&server).await;
    server.stop();
    let original = common::dumped(&data);
    let again = temp.path().join("restored-quiet");
    restore(&quiet, &again);
    let restored_dumps = common::dumped(&again);
    same(&restored_dumps.0, &original.0, "restored public");
    same(&restored_dumps.1, &original.1, "restored private");
    assert_eq!(
        std::fs::read(again.join("tokens.json")).unwrap(),
        std::fs::read(data.join("tokens.json")).unwrap()
    );
    // On the same address: the base IRI, which every IRI we minted starts with.
    let server = start(&again, port);
    let sources: Value = client()
        .get(format!("{}/api/harvest/sources", server.url))
        .header("Authorization", bearer(ADMIN))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(sources.to_string().contains("elsewhere"), "{sources}");
    assert_eq!(feed_order(&server).await, order);
    let by_editor = api_request(
        &server,
        reqwest::Method::POST,
        "datasets",
        Some((&dataset("after-restore"), "text/turtle")),
        &editor,
        None,
    )
    .await;
    assert_eq!(
        by_editor.status(),
        StatusCode::CREATED,
        "the editor's token was lost"
    );
    // A data directory that holds something is not restored into.
    let output = run(
        temp.path(),
        &[
            "--data-dir",
            data.to_str().unwrap(),
            "restore",
            quiet.to_str().unwrap(),
        ],
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("not empty"));
}

async fn made_by_api(server: &Server) -> PathBuf {
    let made: Value = client()
        .post(format!("{}/api/backup", server.url))
        .header("Authorization", bearer(ADMIN))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    PathBuf::from(made["path"].as_str().unwrap())
}

/// `passerelle dump` (and `--private`) of `data` into `file`, with the server's address and
/// token (used when a server holds the store).
fn dump_to(root: &Path, data: &Path, port: u16, private: bool, file: &Path) {
    let listen = format!("127.0.0.1:{port}");
    let mut args = vec![
        "--data-dir",
        data.to_str().unwrap(),
        "--listen",
        &listen,
        "--admin-token",
        ADMIN,
        "dump",
        "--output",
        file.to_str().unwrap(),
    ];
    if private {
        args.push("--private");
    }
    let output = run(root, &args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn sorted_lines(file: &Path) -> Vec<String> {
    let mut lines: Vec<String> = std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

fn load_restore(root: &Path, data: &Path, file: &Path, private: bool) -> std::process::Output {
    let mut args = vec!["--data-dir", data.to_str().unwrap(), "load", "--restore"];
    if private {
        args.push("--private");
    }
    args.push(file.to_str().unwrap());
    run(root, &args)
}

#[tokio::test]
async fn a_dump_made_while_serving_loads_back_into_the_same_store() {
    let temp = tempfile::tempdir().unwrap();
    let (root, data, port) = (temp.path(), temp.path().join("data"), free_port());
    let mut server = start(&data, port);
    let created = common::api::create(&server, "datasets", &dataset("dumped-live")).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    measured(&server, "dumped-live").await;
    let (public, private) = (root.join("public.nq"), root.join("private.nq"));
    dump_to(root, &data, port, false, &public);
    dump_to(root, &data, port, true, &private);
    // The snapshots the server made for the dumps are gone.
    let left: Vec<_> = std::fs::read_dir(root.join("data-backups"))
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
    server.stop();
    let (offline_public, offline_private) = (root.join("off.nq"), root.join("off-private.nq"));
    dump_to(root, &data, port, false, &offline_public);
    dump_to(root, &data, port, true, &offline_private);
    same(
        &sorted_lines(&public),
        &sorted_lines(&offline_public),
        "public",
    );
    same(
        &sorted_lines(&private),
        &sorted_lines(&offline_private),
        "private",
    );
    assert!(
        sorted_lines(&private).len() > 10,
        "the history is in the private dump"
    );

    // Loaded back into a new data directory: the same stores.
    let restored = root.join("restored");
    for (file, is_private) in [(&public, false), (&private, true)] {
        let output = load_restore(root, &restored, file, is_private);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let (restored_dumps, original) = (common::dumped(&restored), common::dumped(&data));
    same(&restored_dumps.0, &original.0, "restored public");
    same(&restored_dumps.1, &original.1, "restored private");
    // Not over a store that holds something.
    let again = load_restore(root, &restored, &public, false);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
    // A dump cut short leaves the new store empty.
    let text = std::fs::read_to_string(&public).unwrap();
    let cut = root.join("cut.nq");
    std::fs::write(
        &cut,
        format!(
            "{}\n<broken",
            &text[..text.len() / 2].rsplit_once('\n').unwrap().0
        ),
    )
    .unwrap();
    let broken = root.join("broken");
    let output = load_restore(root, &broken, &cut, false);
    assert!(!output.status.success());
    assert!(
        common::dumped(&broken).0.is_empty(),
        "a failed restore wrote something"
    );
    // The restored directory serves what was written.
    let server = start(&restored, port);
    let page = common::get_with(
        &format!("{}/datasets/dumped-live", server.url),
        &[("Accept", "text/turtle")],
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
}

/// Asserts two sorted dumps are equal, showing the first lines that differ (not all).
fn same(left: &[String], right: &[String], what: &str) {
    if left == right {
        return;
    }
    let only_left: Vec<&String> = left.iter().filter(|l| !right.contains(l)).take(5).collect();
    let only_right: Vec<&String> = right.iter().filter(|l| !left.contains(l)).take(5).collect();
    panic!(
        "{what}: {} lines against {}; only in the first: {only_left:#?}; only in the second: {only_right:#?}",
        left.len(),
        right.len()
    );
}

/// Waits until the quality board has stored the measurements of dataset `id` (it writes
/// them in the background after a write): tests that compare whole stores call it first.
async fn measured(server: &Server, id: &str) {
    common::quality_settled(server).await;
    let ask = format!(
        "ASK {{ GRAPH <{}datasets/{id}/quality> {{ ?m ?p ?o }} }}",
        server.base
    );
    for _ in 0..100 {
        if common::ask(server, &ask).await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the measurements of {id} were never stored");
}

#[tokio::test]
async fn the_server_backs_itself_up_on_schedule_and_keeps_the_last_ones() {
    let temp = tempfile::tempdir().unwrap();
    let (root, data, port) = (temp.path(), temp.path().join("data"), free_port());
    let mut server = Server::start_full(
        &data,
        port,
        None,
        &[
            "--admin-token",
            ADMIN,
            "--backup-interval",
            "1",
            "--backup-keep",
            "2",
        ],
    );
    let backups = root.join("data-backups");
    let kept = || -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&backups)
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| {
                        p.file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with("passerelle-"))
                    })
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        found
    };
    // Three backups made at least (one a second after the first second), two kept.
    let mut seen = BTreeSet::new();
    for _ in 0..100 {
        seen.extend(kept());
        if seen.len() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(seen.len() >= 3, "backups made: {seen:?}");
    server.stop();
    let left = kept();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(
        left.iter()
            .all(|b| b.join("passerelle-backup.json").is_file())
    );
    // With no server, the command backs the store up itself.
    let offline = root.join("offline");
    let output = run(
        root,
        &[
            "--data-dir",
            data.to_str().unwrap(),
            "--base-iri",
            &server.base,
            "backup",
            offline.to_str().unwrap(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let restored = root.join("restored");
    restore(&offline, &restored);
    let (restored, original) = (common::dumped(&restored), common::dumped(&data));
    same(&restored.0, &original.0, "public");
    same(&restored.1, &original.1, "private");
}
