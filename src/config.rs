//! Settings: defaults < config file (`passerelle.toml`) < environment (`PASSERELLE_*`) <
//! command-line flags. Raw values are parsed once into validated [`Settings`].

use crate::limits::Limits;
use crate::model::{BaseIri, BaseIriError};
use serde::Deserialize;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

/// The config file read from the working directory when none is named.
pub const DEFAULT_CONFIG_FILE: &str = "passerelle.toml";

/// The settings as written in a config file; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSettings {
    /// Where the store lives.
    pub data_dir: Option<PathBuf>,
    /// The socket address to listen on.
    pub listen: Option<String>,
    /// A socket address serving `/metrics` without a token (for the operators' network).
    pub metrics_listen: Option<String>,
    /// The IRI prefix of everything we mint.
    pub base_iri: Option<String>,
    /// How many rendered descriptions the server keeps (0 disables the cache).
    pub cache_entries: Option<usize>,
    /// Seconds a SPARQL query may run before it is stopped.
    pub query_timeout: Option<u64>,
    /// The bootstrap admin token (SPARQL Update); updates are refused without one.
    pub admin_token: Option<String>,
    /// The largest request body accepted, in bytes.
    pub max_body: Option<usize>,
    /// Seconds a request body may take to arrive.
    pub body_timeout: Option<usize>,
    /// The longest SPARQL query or update accepted, in characters.
    pub max_query_length: Option<usize>,
    /// Days a deleted dataset stays listed as withdrawn in the incremental feed.
    pub tombstone_days: Option<u64>,
    /// Whether the harvester may fetch loopback, private and link-local addresses.
    pub harvest_allow_private: Option<bool>,
    /// The deepest nesting read in any input (brackets, JSON, XML elements).
    pub max_nesting: Option<usize>,
    /// The most triples one API body or one harvested page may make.
    pub max_triples_per_body: Option<usize>,
    /// The longest literal or IRI read, in bytes.
    pub max_literal_bytes: Option<usize>,
    /// How many SPARQL queries one client address may have running on the query pool.
    pub max_concurrent_queries_per_client: Option<usize>,
    /// How many SPARQL queries may run on the query threads at once, all clients together.
    pub max_running_queries: Option<usize>,
    /// The heap size, in MiB, past which running SPARQL queries are stopped.
    pub max_query_memory: Option<usize>,
    /// Whom harvesters write to (OAI-PMH's `adminEmail`).
    pub contact_email: Option<String>,
    /// Seconds a person stays signed in to the pages.
    pub session_lifetime: Option<u64>,
    /// Anonymous posts (feedback) one client address may make in an hour.
    pub max_anonymous_posts: Option<usize>,
    /// Seconds after which the distributions' URLs are checked again (0: never).
    pub link_check_interval: Option<u64>,
    /// Milliseconds between two link checks towards one host.
    pub link_check_delay: Option<u64>,
    /// Seconds one link check may take.
    pub link_check_timeout: Option<u64>,
    /// Seconds at least between two dumps of the catalog.
    pub dump_interval: Option<u64>,
    /// The most bytes of a CSV file read to check it against its data standard.
    pub max_standard_check_bytes: Option<u64>,
    /// Whether the server keeps every dataset's quality score (the dashboard, the search's
    /// quality facet and sort).
    pub quality_scoring: Option<bool>,
    /// Where the server's backups go.
    pub backup_dir: Option<PathBuf>,
    /// Seconds between two backups the server makes by itself (0: never).
    pub backup_interval: Option<u64>,
    /// How many of the server's backups are kept.
    pub backup_keep: Option<usize>,
}

impl RawSettings {
    /// Reads a config file.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }

    /// Values of `self` win over those of `lower`.
    pub fn over(self, lower: Self) -> Self {
        Self {
            data_dir: self.data_dir.or(lower.data_dir),
            listen: self.listen.or(lower.listen),
            metrics_listen: self.metrics_listen.or(lower.metrics_listen),
            base_iri: self.base_iri.or(lower.base_iri),
            cache_entries: self.cache_entries.or(lower.cache_entries),
            query_timeout: self.query_timeout.or(lower.query_timeout),
            admin_token: self.admin_token.or(lower.admin_token),
            max_body: self.max_body.or(lower.max_body),
            body_timeout: self.body_timeout.or(lower.body_timeout),
            max_query_length: self.max_query_length.or(lower.max_query_length),
            tombstone_days: self.tombstone_days.or(lower.tombstone_days),
            harvest_allow_private: self.harvest_allow_private.or(lower.harvest_allow_private),
            max_nesting: self.max_nesting.or(lower.max_nesting),
            max_triples_per_body: self.max_triples_per_body.or(lower.max_triples_per_body),
            max_literal_bytes: self.max_literal_bytes.or(lower.max_literal_bytes),
            max_concurrent_queries_per_client: self
                .max_concurrent_queries_per_client
                .or(lower.max_concurrent_queries_per_client),
            max_query_memory: self.max_query_memory.or(lower.max_query_memory),
            max_running_queries: self.max_running_queries.or(lower.max_running_queries),
            contact_email: self.contact_email.or(lower.contact_email),
            session_lifetime: self.session_lifetime.or(lower.session_lifetime),
            max_anonymous_posts: self.max_anonymous_posts.or(lower.max_anonymous_posts),
            link_check_interval: self.link_check_interval.or(lower.link_check_interval),
            link_check_delay: self.link_check_delay.or(lower.link_check_delay),
            link_check_timeout: self.link_check_timeout.or(lower.link_check_timeout),
            dump_interval: self.dump_interval.or(lower.dump_interval),
            max_standard_check_bytes: self
                .max_standard_check_bytes
                .or(lower.max_standard_check_bytes),
            quality_scoring: self.quality_scoring.or(lower.quality_scoring),
            backup_dir: self.backup_dir.or(lower.backup_dir),
            backup_interval: self.backup_interval.or(lower.backup_interval),
            backup_keep: self.backup_keep.or(lower.backup_keep),
        }
    }
}

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where the on-disk store lives (default `./data`).
    pub data_dir: PathBuf,
    /// Where the server listens (default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// Where `/metrics` is served without a token, if anywhere (default: nowhere; the
    /// metrics are at `{base}metrics` for the admin token).
    pub metrics_listen: Option<SocketAddr>,
    /// The IRI prefix of everything we mint (default derived from `listen`).
    pub base: BaseIri,
    /// Rendered descriptions kept in memory (default 4096; 0 disables).
    pub cache_entries: usize,
    /// How long a SPARQL query may run (default 30 s).
    pub query_timeout: std::time::Duration,
    /// The bootstrap admin token; `None` disables writes over HTTP.
    pub admin_token: Option<String>,
    /// The largest request body (default 10 MiB).
    pub max_body: usize,
    /// How long a request body may take to arrive (default 30 s; then 408): a client
    /// that sends half a body and stalls must not hold its request open for ever.
    pub body_timeout: std::time::Duration,
    /// The longest SPARQL query or update (default 100 000 characters).
    pub max_query_length: usize,
    /// How long deleted datasets stay listed as withdrawn (default 90 days).
    pub tombstone_retention: std::time::Duration,
    /// Whether the harvester may fetch loopback, private and link-local addresses
    /// (default false: a source URL must not reach inside our own network).
    pub harvest_allow_private: bool,
    /// What one input may ask of the parsers (nesting, triples, literal length).
    pub limits: Limits,
    /// How many SPARQL queries one client address may have running on the query pool
    /// (default: half the cores, at least one, so that one client cannot take them all).
    pub max_concurrent_queries_per_client: usize,
    /// How many SPARQL queries may run on the query threads at once, all clients together
    /// (default: four a core, at least 16): a thread is held until its answer is read, so
    /// slow readers cannot take more than this; past it, 503 with `Retry-After`.
    pub max_running_queries: usize,
    /// The heap size past which running SPARQL queries are stopped, in bytes (default:
    /// half the machine's memory).
    pub max_query_memory: usize,
    /// Whom harvesters write to (OAI-PMH's `adminEmail`; default `webmaster@` the base
    /// IRI's host).
    pub contact_email: String,
    /// How long a person stays signed in to the pages (default 8 hours: a working day,
    /// so a session left open on a shared computer does not outlive it).
    pub session_lifetime: std::time::Duration,
    /// Anonymous posts one client address may make in an hour (default 20: a reuser
    /// discussing a dataset never needs more, a spammer is slowed down).
    pub max_anonymous_posts: usize,
    /// How the distributions' URLs are checked.
    pub link_checks: LinkChecks,
    /// The least time between two dumps of the catalog (default 10 minutes: a dump of a
    /// large catalog takes a while, and a reuser does not need it fresher).
    pub dump_interval: std::time::Duration,
    /// Whether the quality board scores datasets in the background (default true; off
    /// only to measure what scoring costs, bench/write.py).
    pub quality_scoring: bool,
    /// Where and how often the server backs itself up.
    pub backups: Backups,
}

/// Where and how often the server backs itself up (`POST {base}api/backup`, and by itself).
#[derive(Debug, Clone)]
pub struct Backups {
    /// Where they go (default: `{data-dir}-backups` beside the data directory: on the same
    /// file system, a backup hard-links the store's immutable files and takes a second).
    pub dir: PathBuf,
    /// How often the server makes one by itself (default: never).
    pub every: Option<std::time::Duration>,
    /// How many of them are kept, the oldest removed first (default 7).
    pub keep: usize,
}

/// How and when the link checker checks the distributions' URLs.
#[derive(Debug, Clone, Copy)]
pub struct LinkChecks {
    /// How old a check may get before the server checks the URL again; `None` (the
    /// default, `0`): the server checks nothing by itself (a laptop should not probe
    /// the web unasked), `passerelle check-links` does.
    pub interval: Option<std::time::Duration>,
    /// The pause between two requests to one host (default 1 s: polite to portals).
    pub delay: std::time::Duration,
    /// How long one check may take (default 20 s).
    pub timeout: std::time::Duration,
    /// The most bytes of a CSV file read to check it against the Table Schema its
    /// distribution declares (default 50 MiB; past it, the check stops and says so).
    pub max_csv_bytes: u64,
}

impl Settings {
    /// Fills in defaults and validates.
    pub fn resolve(raw: RawSettings) -> Result<Self, ConfigError> {
        let listen = match raw.listen.as_deref() {
            None => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8080),
            Some(text) => text
                .parse()
                .map_err(|_| ConfigError::Listen(text.to_owned()))?,
        };
        let metrics_listen = raw
            .metrics_listen
            .as_deref()
            .map(|text| {
                text.parse()
                    .map_err(|_| ConfigError::Listen(text.to_owned()))
            })
            .transpose()?;
        let base = match raw.base_iri.as_deref() {
            Some(iri) => BaseIri::parse(iri)?,
            None => BaseIri::parse(&default_base(listen))?,
        };
        let data_dir = raw
            .data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("data"));
        let backups = Backups {
            dir: raw
                .backup_dir
                .clone()
                .unwrap_or_else(|| backups_beside(&data_dir)),
            every: raw
                .backup_interval
                .filter(|s| *s > 0)
                .map(std::time::Duration::from_secs),
            keep: positive("backup-keep", raw.backup_keep.unwrap_or(7))?,
        };
        let limits = limits(&raw)?;
        let contact_email = contact_email(raw.contact_email.as_deref(), &base)?;
        Ok(Self {
            contact_email,
            data_dir,
            listen,
            metrics_listen,
            base,
            cache_entries: raw.cache_entries.unwrap_or(4096),
            query_timeout: std::time::Duration::from_secs(raw.query_timeout.unwrap_or(30)),
            max_anonymous_posts: positive(
                "max-anonymous-posts",
                raw.max_anonymous_posts.unwrap_or(20),
            )?,
            session_lifetime: std::time::Duration::from_secs(
                raw.session_lifetime.unwrap_or(8 * 3600),
            ),
            admin_token: raw.admin_token.filter(|t| !t.is_empty()),
            max_body: raw.max_body.unwrap_or(10 * 1024 * 1024),
            body_timeout: std::time::Duration::from_secs(
                u64::try_from(positive("body-timeout", raw.body_timeout.unwrap_or(30))?)
                    .unwrap_or(u64::MAX),
            ),
            max_query_length: max_query_length(raw.max_query_length)?,
            tombstone_retention: raw
                .tombstone_days
                .map_or(crate::store::DEFAULT_TOMBSTONE_RETENTION, |days| {
                    std::time::Duration::from_secs(days.saturating_mul(24 * 3600))
                }),
            harvest_allow_private: raw.harvest_allow_private.unwrap_or(false),
            limits,
            max_concurrent_queries_per_client: positive(
                "max-concurrent-queries-per-client",
                raw.max_concurrent_queries_per_client
                    .unwrap_or_else(default_queries_per_client),
            )?,
            max_running_queries: positive(
                "max-running-queries",
                raw.max_running_queries
                    .unwrap_or_else(default_running_queries),
            )?,
            max_query_memory: positive(
                "max-query-memory",
                raw.max_query_memory
                    .unwrap_or_else(default_query_memory_mib),
            )?
            .saturating_mul(1024 * 1024),
            dump_interval: std::time::Duration::from_secs(raw.dump_interval.unwrap_or(600)),
            quality_scoring: raw.quality_scoring.unwrap_or(true),
            backups,
            link_checks: LinkChecks {
                interval: raw
                    .link_check_interval
                    .filter(|s| *s > 0)
                    .map(std::time::Duration::from_secs),
                delay: std::time::Duration::from_millis(raw.link_check_delay.unwrap_or(1000)),
                timeout: match raw.link_check_timeout {
                    Some(0) => {
                        return Err(ConfigError::Limit {
                            name: "link-check-timeout",
                            reason: "must be at least 1".into(),
                        });
                    }
                    seconds => std::time::Duration::from_secs(seconds.unwrap_or(20)),
                },
                max_csv_bytes: raw.max_standard_check_bytes.unwrap_or(50 * 1024 * 1024),
            },
        })
    }
}

/// The contact address, checked as OAI-PMH's schema wants it (`local@domain.tld`); by
/// default `webmaster@` the base IRI's host (`.localdomain` added to a bare host name).
fn contact_email(given: Option<&str>, base: &BaseIri) -> Result<String, ConfigError> {
    let address = match given.map(str::trim).filter(|g| !g.is_empty()) {
        Some(given) => given.to_owned(),
        None => {
            let rest = base.as_str().split_once("://").map_or("", |(_, r)| r);
            let authority = rest.split('/').next().unwrap_or("");
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            let host = host.split(':').next().unwrap_or("localhost");
            if host.contains('.') {
                format!("webmaster@{host}")
            } else {
                format!("webmaster@{host}.localdomain")
            }
        }
    };
    let valid = address.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !address.chars().any(char::is_whitespace)
    });
    if valid {
        Ok(address)
    } else {
        Err(ConfigError::Limit {
            name: "contact-email",
            reason: format!("{address:?} is not an e-mail address (local@domain.tld)"),
        })
    }
}

/// The input limits; the nesting limit is bounded by what the query threads' stacks were
/// measured to take (`http::query_pool`).
fn limits(raw: &RawSettings) -> Result<Limits, ConfigError> {
    let defaults = Limits::default();
    let max_nesting = positive(
        "max-nesting",
        raw.max_nesting.unwrap_or(defaults.max_nesting),
    )?;
    if max_nesting > MAX_NESTING_SUPPORTED {
        return Err(ConfigError::Limit {
            name: "max-nesting",
            reason: format!(
                "at most {MAX_NESTING_SUPPORTED}: deeper queries would not fit the query threads' stacks"
            ),
        });
    }
    Ok(Limits {
        max_nesting,
        max_triples_per_body: positive(
            "max-triples-per-body",
            raw.max_triples_per_body
                .unwrap_or(defaults.max_triples_per_body),
        )?,
        max_literal_bytes: positive(
            "max-literal-bytes",
            raw.max_literal_bytes.unwrap_or(defaults.max_literal_bytes),
        )?,
        ..defaults
    })
}

/// The largest `max-nesting` allowed: SPARQL nested this deep was measured to fit in the
/// query threads' stacks with room to spare (`tests` in `http::query_pool`).
pub const MAX_NESTING_SUPPORTED: usize = 1000;

/// The largest `max-query-length` allowed (and the default): whatever a query this long
/// holds, nested as deep as its length allows or chained (`1+1+1...`), was measured to fit
/// in half of a query thread's stack (`tests` in `http::query_pool`). So the stack, not only
/// the nesting scan, keeps a query from overflowing it.
pub const MAX_QUERY_LENGTH_SUPPORTED: usize = 100_000;

/// The longest query: at most what the query threads' stacks were measured for.
fn max_query_length(raw: Option<usize>) -> Result<usize, ConfigError> {
    let length = positive(
        "max-query-length",
        raw.unwrap_or(MAX_QUERY_LENGTH_SUPPORTED),
    )?;
    if length > MAX_QUERY_LENGTH_SUPPORTED {
        return Err(ConfigError::Limit {
            name: "max-query-length",
            reason: format!(
                "at most {MAX_QUERY_LENGTH_SUPPORTED}: longer queries would not fit the query threads' stacks"
            ),
        });
    }
    Ok(length)
}

/// A limit of 0 would refuse everything: it is a mistake, said so at start.
fn positive(name: &'static str, value: usize) -> Result<usize, ConfigError> {
    if value == 0 {
        return Err(ConfigError::Limit {
            name,
            reason: "must be at least 1".into(),
        });
    }
    Ok(value)
}

/// Four a core, at least 16: enough for queries waiting on their readers, few enough that
/// their threads (with their large stacks) stay a bounded cost.
fn default_running_queries() -> usize {
    std::thread::available_parallelism().map_or(16, |n| (n.get() * 4).max(16))
}

/// Half the cores, at least one: one client's costly queries leave the other half free.
fn default_queries_per_client() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1))
}

/// Half the memory the server may use: the machine's (`/proc/meminfo`), or its container's
/// when that is less (`memory.max` of cgroup v2), so that queries are stopped before the
/// container's OOM killer stops the server; 4 GiB where neither can be read.
fn default_query_memory_mib() -> usize {
    let machine = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib / 1024)
        });
    // "max" (no limit) does not parse, and is ignored.
    let container = std::fs::read_to_string("/sys/fs/cgroup/memory.max")
        .ok()
        .and_then(|text| text.trim().parse::<usize>().ok())
        .map(|bytes| bytes / 1024 / 1024);
    [machine, container]
        .into_iter()
        .flatten()
        .min()
        .map(|mib| mib / 2)
        .filter(|mib| *mib > 0)
        .unwrap_or(4096)
}

/// `http://localhost:{port}/` for loopback or unspecified addresses, else the address itself.
/// `{data-dir}-backups`, beside the data directory.
fn backups_beside(data_dir: &Path) -> PathBuf {
    let mut name = data_dir
        .file_name()
        .map_or_else(|| "data".into(), std::ffi::OsStr::to_os_string);
    name.push("-backups");
    data_dir.with_file_name(name)
}

fn default_base(listen: SocketAddr) -> String {
    let ip = listen.ip();
    if ip.is_loopback() || ip.is_unspecified() {
        format!("http://localhost:{}/", listen.port())
    } else {
        format!("http://{listen}/")
    }
}

/// Why settings were refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The config file is not valid TOML or has unknown keys.
    #[error("invalid config file {path}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// The TOML parser's message.
        message: String,
    },
    /// The listen address is not `IP:PORT`.
    #[error("invalid listen address {0:?}: expected IP:PORT, e.g. 127.0.0.1:8080")]
    Listen(String),
    /// The base IRI is invalid.
    #[error(transparent)]
    Base(#[from] BaseIriError),
    /// A limit is out of its range.
    #[error("invalid {name}: {reason}")]
    Limit {
        /// The setting.
        name: &'static str,
        /// What it must be.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_work_on_a_laptop() -> Result<(), ConfigError> {
        let settings = Settings::resolve(RawSettings::default())?;
        assert_eq!(settings.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.base.as_str(), "http://localhost:8080/");
        assert_eq!(settings.data_dir, PathBuf::from("data"));
        Ok(())
    }

    #[test]
    fn metrics_listen_is_an_address_or_refused() {
        let raw = |text: &str| RawSettings {
            metrics_listen: Some(text.into()),
            ..RawSettings::default()
        };
        let settings = Settings::resolve(raw("127.0.0.1:9464")).map(|s| s.metrics_listen);
        assert_eq!(
            settings.ok().flatten().map(|a| a.to_string()),
            Some("127.0.0.1:9464".to_owned())
        );
        assert!(matches!(
            Settings::resolve(raw("localhost")),
            Err(ConfigError::Listen(_))
        ));
    }

    #[test]
    fn base_follows_listen_and_layers_override() -> Result<(), ConfigError> {
        let file: RawSettings = toml::from_str("listen = \"0.0.0.0:9000\"\ndata-dir = \"/srv/p\"")
            .map_err(|e| ConfigError::Parse {
                path: "-".into(),
                message: e.to_string(),
            })?;
        let flags = RawSettings {
            data_dir: Some(PathBuf::from("/tmp/x")),
            ..RawSettings::default()
        };
        let settings = Settings::resolve(flags.over(file))?;
        assert_eq!(settings.base.as_str(), "http://localhost:9000/");
        assert_eq!(settings.data_dir, PathBuf::from("/tmp/x"));
        assert!(
            Settings::resolve(RawSettings {
                listen: Some("nope".into()),
                ..RawSettings::default()
            })
            .is_err()
        );
        assert!(toml::from_str::<RawSettings>("colour = 1").is_err());
        Ok(())
    }

    #[test]
    fn the_contact_address_defaults_to_the_host_and_is_checked() -> Result<(), ConfigError> {
        let with = |email: Option<&str>, base: &str| {
            Settings::resolve(RawSettings {
                contact_email: email.map(str::to_owned),
                base_iri: Some(base.into()),
                ..RawSettings::default()
            })
        };
        let site = "https://data.example.org/catalog/";
        assert_eq!(
            with(None, site)?.contact_email,
            "webmaster@data.example.org"
        );
        assert_eq!(
            with(None, "http://localhost:8080/")?.contact_email,
            "webmaster@localhost.localdomain"
        );
        assert_eq!(with(Some("a@b.fr"), site)?.contact_email, "a@b.fr");
        for bad in ["nobody", "a@b", "a b@c.fr", "@c.fr"] {
            assert!(with(Some(bad), site).is_err(), "{bad}");
        }
        Ok(())
    }
}
