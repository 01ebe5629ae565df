//! Test support: the real `passerelle` binary on a free loopback port with a store in a
//! temp dir, and an HTTP client.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod api;
pub mod browser;
pub mod feeds;
pub mod pages;

/// A query that runs for minutes unless stopped: some 400 million pairs, each with a store
/// lookup. The lookup matters: oxigraph checks for cancellation when it reads the store,
/// and a plan that joins materialized patterns (a 3-way cross join under COUNT) ran 12 s
/// past a 2 s limit before it noticed.
pub const RUNAWAY: &str =
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER NOT EXISTS { ?c ?x ?f } }";

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary under test.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_passerelle")
}

/// A `passerelle` command with no inherited `PASSERELLE_*` settings, run in `dir` so that
/// no stray `passerelle.toml` is read.
pub fn passerelle(dir: &Path) -> Command {
    let mut command = Command::new(binary());
    for (key, _) in std::env::vars() {
        if key.starts_with("PASSERELLE_") {
            command.env_remove(key);
        }
    }
    command.current_dir(dir);
    command
}

/// Runs `passerelle args...` in `dir` and returns its output.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    passerelle(dir).args(args).output().expect("run passerelle")
}

/// `../shared/fixtures/...` from the crate root.
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures")
        .join(relative)
}

/// A file under `tests/data/`.
pub fn data(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(relative)
}

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A running server; killed when dropped.
pub struct Server {
    child: Child,
    /// The base IRI, `http://localhost:{port}/` unless given.
    pub base: String,
    /// `http://127.0.0.1:{port}` + mount path: where to send requests.
    pub url: String,
    /// The data directory.
    pub data_dir: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

impl Server {
    /// Starts a server on a new temp store (the demo catalog gets loaded).
    pub fn start() -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = temp.path().join("data");
        let mut server = Self::start_in(&dir, None);
        server._temp = Some(temp);
        server
    }

    /// Starts a server on `data_dir`, with an optional base IRI (else derived from the port).
    pub fn start_in(data_dir: &Path, base_iri: Option<&str>) -> Self {
        Self::start_on(data_dir, free_port(), base_iri)
    }

    /// Starts a server on a free port with extra `serve` flags.
    pub fn start_with(data_dir: &Path, flags: &[&str]) -> Self {
        Self::start_full(data_dir, free_port(), None, flags)
    }

    /// Starts a server on `data_dir` listening on `port`.
    pub fn start_on(data_dir: &Path, port: u16, base_iri: Option<&str>) -> Self {
        Self::start_full(data_dir, port, base_iri, &[])
    }

    /// Starts a server on `data_dir`, listening on `port`, with extra `serve` flags.
    pub fn start_full(data_dir: &Path, port: u16, base_iri: Option<&str>, flags: &[&str]) -> Self {
        Self::start_with_env(data_dir, port, base_iri, flags, &[])
    }

    /// Starts a server as [`Self::start_full`] does, with `env` in its environment.
    pub fn start_with_env(
        data_dir: &Path,
        port: u16,
        base_iri: Option<&str>,
        flags: &[&str],
        env: &[(&str, &str)],
    ) -> Self {
        let listen = format!("127.0.0.1:{port}");
        let mut command = passerelle(data_dir.parent().unwrap_or(Path::new("/")));
        command
            .args(["serve", "--data-dir"])
            .arg(data_dir)
            .args(["--listen", &listen])
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(data_dir.with_extension("log")).expect("log file"));
        if let Some(base) = base_iri {
            command.args(["--base-iri", base]);
        }
        command.args(flags);
        command.envs(env.iter().copied());
        let child = command.spawn().expect("spawn server");
        let base = base_iri.map_or_else(|| format!("http://localhost:{port}/"), str::to_owned);
        let mount = base
            .splitn(4, '/')
            .nth(3)
            .map_or(String::new(), |p| format!("/{p}"));
        let url = format!("http://127.0.0.1:{port}{}", mount.trim_end_matches('/'));
        let server = Self {
            child,
            base,
            url,
            data_dir: data_dir.to_owned(),
            _temp: None,
        };
        server.wait_ready();
        server
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let health = format!("{}/health", self.url);
        while Instant::now() < deadline {
            if let Ok(response) = ureq_like_get(&health)
                && response.starts_with("HTTP/1.1 200")
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("server did not become ready at {health}");
    }

    /// Stops the server and waits for it to exit (releasing the store's lock); the temp
    /// dir lives on until `self` is dropped.
    pub fn stop(&mut self) {
        self.kill();
    }

    /// Kills the server at once (SIGKILL), as a crash would, and waits for it to go.
    pub fn crash(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Asks for a graceful shutdown (SIGTERM) and waits `within` at most for the server to
    /// exit by itself: its exit status, or `None` if it had to be killed.
    pub fn terminate(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.crash();
        None
    }

    /// Asks for a graceful shutdown (SIGTERM), then kills after 10 s.
    fn kill(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The CPU time the server process has used so far, all threads (Linux `/proc`).
    pub fn cpu_seconds(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))
            .expect("the server's /proc stat");
        // Fields after the command name, which is in parentheses and may hold spaces:
        // utime and stime are the 12th and 13th.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .unwrap()
            .1
            .split_whitespace()
            .collect();
        let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
        ticks / clock_ticks_per_second()
    }

    /// A field of the server's `/proc/PID/status` in KiB: `VmRSS` (resident now) or
    /// `VmHWM` (the most it was resident so far).
    pub fn memory_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's /proc status");
        status
            .lines()
            .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|value| value.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no {field} in /proc status"))
    }

    /// Whether the server process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// What the server wrote to stderr so far (its logs).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.data_dir.with_extension("log")).unwrap_or_default()
    }

    /// The request URL of an IRI under the base.
    pub fn url_of(&self, iri: &str) -> String {
        let relative = iri.strip_prefix(&self.base).unwrap_or(iri);
        format!("{}/{relative}", self.url)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A minimal blocking GET over a raw socket, for readiness polling without a runtime.
fn ureq_like_get(url: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap_or(url);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut stream = std::net::TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

/// An HTTP client for tests (rustls needs its crypto provider chosen once per process).
pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The Python interpreter with the test requirements (rdflib, pyshacl): `PASSERELLE_TEST_PYTHON`
/// as set by `scripts/test`, else `python3`.
pub fn python() -> String {
    std::env::var("PASSERELLE_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Runs a script of `tests/py/` with `args`; panics with its output when it fails.
pub fn run_python(script: &str, args: &[&str]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/py")
        .join(script);
    let output = Command::new(python())
        .arg(&path)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} ({e}); run scripts/test, which installs the Python test requirements", python()));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed ({}).\nstdout:\n{stdout}\nstderr:\n{stderr}\n(scripts/test installs the Python requirements)",
        output.status
    );
    stdout
}

/// GET `url` with `headers` (e.g. `[("Accept", "text/turtle"), ("If-None-Match", etag)]`).
pub async fn get_with(url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = client().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request")
}

/// A store in a temp dir whose IRIs use the base of a port chosen up front, so that files
/// can be loaded before a server on that port serves them.
pub struct Prepared {
    /// Holds `data/` (the store) and the server's log.
    pub temp: tempfile::TempDir,
    /// The port the server will listen on.
    pub port: u16,
    /// `http://localhost:{port}/`.
    pub base: String,
}

impl Prepared {
    /// An empty place for a store.
    pub fn new() -> Self {
        let port = free_port();
        Self {
            temp: tempfile::tempdir().expect("temp dir"),
            port,
            base: format!("http://localhost:{port}/"),
        }
    }

    /// A store of one dataset without distributions: a server on it seeds no demo
    /// catalog, so its background checks touch nothing but what a test writes.
    pub fn without_demo() -> Self {
        let prepared = Self::new();
        let file = prepared.temp.path().join("filler.ttl");
        std::fs::write(
            &file,
            "<http://data.example.org/f> a <http://www.w3.org/ns/dcat#Dataset> ;
               <http://purl.org/dc/terms/title> \"Rien\"@fr .",
        )
        .expect("write");
        prepared.load_ok(&[&file]);
        prepared
    }

    /// `passerelle load` of files under `tests/data/` or absolute paths, with our base.
    pub fn load(&self, files: &[&Path]) -> Output {
        let mut args = vec!["load", "--data-dir", "data", "--base-iri", &self.base];
        args.extend(files.iter().map(|f| f.to_str().expect("utf-8 path")));
        run(self.temp.path(), &args)
    }

    /// [`Self::load`], asserting success; returns stderr (the load report).
    pub fn load_ok(&self, files: &[&Path]) -> String {
        let output = self.load(files);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "load failed: {stderr}");
        stderr
    }

    /// A server on the prepared store and port.
    pub fn serve(&self) -> Server {
        Server::start_on(&self.temp.path().join("data"), self.port, None)
    }

    /// [`Self::serve`] with extra `serve` flags.
    pub fn serve_with(&self, flags: &[&str]) -> Server {
        Server::start_full(&self.temp.path().join("data"), self.port, None, flags)
    }
}

/// `GET {endpoint}?query=...` with `Accept: accept`.
pub async fn sparql_get(endpoint: &str, query: &str, accept: &str) -> reqwest::Response {
    client()
        .get(endpoint)
        .query(&[("query", query)])
        .header("Accept", accept)
        .send()
        .await
        .expect("request")
}

/// The answer of a SPARQL ASK query to `server`.
pub async fn ask(server: &Server, query: &str) -> bool {
    let body = sparql_get(
        &format!("{}/sparql", server.url),
        query,
        "application/sparql-results+json",
    )
    .await
    .text()
    .await
    .expect("answer");
    let answer: serde_json::Value = serde_json::from_str(&body).expect("JSON results");
    answer["boolean"].as_bool().expect("a boolean")
}

/// The unit of `/proc/PID/stat` CPU times (`getconf CLK_TCK`), asked once.
fn clock_ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        let output = Command::new("getconf").arg("CLK_TCK").output().unwrap();
        String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .unwrap()
    })
}

/// Waits until the server's quality board has scored every dataset (it writes their
/// measurements in the background after a start): tests that compare the whole store
/// before and after call this first.
pub async fn quality_settled(server: &Server) {
    for _ in 0..300 {
        let answer = client()
            .get(format!("{}/quality?format=json", server.url))
            .send()
            .await
            .expect("the quality dashboard");
        let summary: serde_json::Value = answer.json().await.expect("JSON");
        if summary["ready"] == true {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the quality board never finished its first pass");
}

/// The public and private stores of `data` as sorted N-Quads lines (no server on it, or
/// one that answers for a snapshot: the dump asks none here).
pub fn dumped(data: &Path) -> (Vec<String>, Vec<String>) {
    let lines = |private: bool| {
        let mut args = vec!["--data-dir", data.to_str().expect("path"), "dump"];
        if private {
            args.push("--private");
        }
        let output = run(data.parent().expect("parent"), &args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let mut lines: Vec<String> = String::from_utf8(output.stdout)
            .expect("UTF-8")
            .lines()
            .map(str::to_owned)
            .collect();
        lines.sort();
        lines
    };
    (lines(false), lines(true))
}

/// `passerelle check` of the stopped store `data` under `base`: whether it found the store
/// whole, and what it said.
pub fn check_store(data: &Path, base: &str) -> (bool, String) {
    let output = run(
        data.parent().expect("parent"),
        &[
            "--data-dir",
            data.to_str().expect("path"),
            "--base-iri",
            base,
            "check",
        ],
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), said)
}
