//! The command line's flags and subcommands (clap), and the dispatch to the commands.

use super::CommandError;
use super::harvest::HarvestAction;
use super::token::TokenAction;
use crate::config::{DEFAULT_CONFIG_FILE, RawSettings, Settings};
use crate::store::LoadOptions;
use clap::{Parser, Subcommand, ValueEnum};
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use std::path::PathBuf;

// The flags' and subcommands' help is their doc comments (clap reads them): the types that
// only group them carry none, as a doc comment would change the help text.

#[allow(missing_docs)]
#[derive(Parser)]
#[command(version, about = "A linked-data metadata server for DCAT catalogs")]
pub struct Cli {
    /// Config file (TOML); ./passerelle.toml is read when it exists.
    #[arg(long, global = true, env = "PASSERELLE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Directory of the on-disk store [default: ./data].
    #[arg(long, global = true, env = "PASSERELLE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, global = true, env = "PASSERELLE_LISTEN")]
    pub listen: Option<String>,
    /// Address serving /metrics without a token, for Prometheus on the operators' network
    /// [default: none; {base}metrics answers the admin token].
    #[arg(long, global = true, env = "PASSERELLE_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
    /// IRI prefix of everything we mint [default: http://localhost:{port}/].
    #[arg(long, global = true, env = "PASSERELLE_BASE_IRI")]
    pub base_iri: Option<String>,
    /// Rendered descriptions kept in memory; 0 disables the cache [default: 4096].
    #[arg(long, global = true, env = "PASSERELLE_CACHE_ENTRIES")]
    pub cache_entries: Option<usize>,
    /// Seconds a SPARQL query may run before it is stopped [default: 30].
    #[arg(long, global = true, env = "PASSERELLE_QUERY_TIMEOUT")]
    pub query_timeout: Option<u64>,
    /// Bootstrap admin token, for SPARQL Update (prefer the environment: flags show in `ps`).
    #[arg(
        long,
        global = true,
        env = "PASSERELLE_ADMIN_TOKEN",
        hide_env_values = true
    )]
    pub admin_token: Option<String>,
    /// Largest request body accepted, in bytes [default: 10 MiB].
    #[arg(long, global = true, env = "PASSERELLE_MAX_BODY")]
    pub max_body: Option<usize>,
    /// Seconds a request body may take to arrive (then 408) [default: 30].
    #[arg(long, global = true, env = "PASSERELLE_BODY_TIMEOUT")]
    pub body_timeout: Option<usize>,
    /// Longest SPARQL query or update accepted, in characters [default: 100000].
    #[arg(long, global = true, env = "PASSERELLE_MAX_QUERY_LENGTH")]
    pub max_query_length: Option<usize>,
    /// Days a deleted dataset stays listed as withdrawn in the incremental feed [default: 90].
    #[arg(long, global = true, env = "PASSERELLE_TOMBSTONE_DAYS")]
    pub tombstone_days: Option<u64>,
    /// Let the harvester fetch loopback, private and link-local addresses [default: false].
    #[arg(long, global = true, env = "PASSERELLE_HARVEST_ALLOW_PRIVATE", value_parser = clap::builder::BoolishValueParser::new())]
    pub harvest_allow_private: Option<bool>,
    /// Deepest nesting read in queries, RDF, JSON and XML [default: 256].
    #[arg(long, global = true, env = "PASSERELLE_MAX_NESTING")]
    pub max_nesting: Option<usize>,
    /// Most triples one API body or harvested page may make [default: 250000].
    #[arg(long, global = true, env = "PASSERELLE_MAX_TRIPLES_PER_BODY")]
    pub max_triples_per_body: Option<usize>,
    /// Longest literal or IRI read, in bytes [default: 1 MiB].
    #[arg(long, global = true, env = "PASSERELLE_MAX_LITERAL_BYTES")]
    pub max_literal_bytes: Option<usize>,
    /// SPARQL queries one client address may run at once [default: half the cores].
    #[arg(
        long,
        global = true,
        env = "PASSERELLE_MAX_CONCURRENT_QUERIES_PER_CLIENT"
    )]
    pub max_concurrent_queries_per_client: Option<usize>,
    /// Heap size in MiB past which running queries are stopped [default: half the memory].
    #[arg(long, global = true, env = "PASSERELLE_MAX_QUERY_MEMORY")]
    pub max_query_memory: Option<usize>,
    /// SPARQL queries running at once, all clients together (503 beyond) [default: 4 a core, at least 16].
    #[arg(long, global = true, env = "PASSERELLE_MAX_RUNNING_QUERIES")]
    pub max_running_queries: Option<usize>,
    /// Whom harvesters write to: OAI-PMH's adminEmail [default: webmaster@ the base IRI's host].
    #[arg(long, global = true, env = "PASSERELLE_CONTACT_EMAIL")]
    pub contact_email: Option<String>,
    /// Seconds a person stays signed in to the pages [default: 28800, 8 hours].
    #[arg(long, global = true, env = "PASSERELLE_SESSION_LIFETIME")]
    pub session_lifetime: Option<u64>,
    /// Anonymous posts (feedback) one client address may make in an hour [default: 20].
    #[arg(long, global = true, env = "PASSERELLE_MAX_ANONYMOUS_POSTS")]
    pub max_anonymous_posts: Option<usize>,
    /// Seconds after which the server checks the distributions' URLs again; 0 never [default: 0].
    #[arg(long, global = true, env = "PASSERELLE_LINK_CHECK_INTERVAL")]
    pub link_check_interval: Option<u64>,
    /// Milliseconds between two link checks towards one host [default: 1000].
    #[arg(long, global = true, env = "PASSERELLE_LINK_CHECK_DELAY")]
    pub link_check_delay: Option<u64>,
    /// Seconds one link check may take [default: 20].
    #[arg(long, global = true, env = "PASSERELLE_LINK_CHECK_TIMEOUT")]
    pub link_check_timeout: Option<u64>,
    /// Seconds at least between two dumps of the catalog at /dump.nq.gz [default: 600].
    #[arg(long, global = true, env = "PASSERELLE_DUMP_INTERVAL")]
    pub dump_interval: Option<u64>,
    /// Most bytes of a CSV file read to check it against its data standard [default: 50 MiB].
    #[arg(long, global = true, env = "PASSERELLE_MAX_STANDARD_CHECK_BYTES")]
    pub max_standard_check_bytes: Option<u64>,
    /// Keep every dataset's quality score in the background [default: true].
    #[arg(long, global = true, env = "PASSERELLE_QUALITY_SCORING", value_parser = clap::builder::BoolishValueParser::new())]
    pub quality_scoring: Option<bool>,
    /// Directory of the server's backups [default: {data-dir}-backups].
    #[arg(long, global = true, env = "PASSERELLE_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,
    /// Seconds between two backups the server makes by itself; 0 = never [default: 0].
    #[arg(long, global = true, env = "PASSERELLE_BACKUP_INTERVAL")]
    pub backup_interval: Option<u64>,
    /// How many of the server's backups are kept [default: 7].
    #[arg(long, global = true, env = "PASSERELLE_BACKUP_KEEP")]
    pub backup_keep: Option<usize>,
    #[command(subcommand)]
    pub command: Command,
}

#[allow(missing_docs)]
#[derive(Subcommand)]
pub enum Command {
    /// Serve the catalog over HTTP (loads the demo catalog into an empty store).
    Serve,
    /// Import DCAT files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD).
    Load {
        /// Files to import: read whole before anything is written (an error anywhere writes nothing), then written a few thousand records per transaction.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Syntax of every file (default: from each file's extension).
        #[arg(long, value_parser = parse_format)]
        format: Option<RdfFormat>,
        /// Put all triples in this named graph as-is, without splitting into records.
        #[arg(long, conflicts_with = "restore")]
        graph: Option<String>,
        /// Load a dump back as it is (named graphs kept) into a new data directory.
        #[arg(long)]
        restore: bool,
        /// With --restore: the files are a dump of the private store (`dump --private`).
        #[arg(long, requires = "restore")]
        private: bool,
    },
    /// Write the whole store.
    Dump {
        /// Output syntax.
        #[arg(long, value_enum, default_value = "nq")]
        format: DumpFormat,
        /// Output file (default: stdout).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Write the private store instead (the history of records).
        #[arg(long)]
        private: bool,
    },
    /// Check an RDF file against the application profile (exit status 1 if it does not conform).
    Validate {
        /// The file (Turtle, N-Triples, RDF/XML, JSON-LD...).
        file: PathBuf,
        /// Its syntax (default: from the extension).
        #[arg(long, value_parser = parse_format)]
        format: Option<RdfFormat>,
    },
    /// Manage API tokens (kept hashed in the data directory; works while a server runs).
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Back up the store into DIR (default: the backup directory), while a server runs too
    /// (it is asked over its API with the admin token).
    Backup {
        /// A directory that does not exist yet.
        dir: Option<PathBuf>,
    },
    /// Restore a backup into the data directory (which must be empty or new).
    Restore {
        /// The backup's directory.
        dir: PathBuf,
    },
    /// Check that the store's parts agree (records, catalog links, history, tombstones,
    /// measurements, search index); exit status 1 while a disagreement is left.
    Check {
        /// Mend what can be derived again from the store.
        #[arg(long)]
        repair: bool,
    },
    /// Rebuild the search index from the store (the server must be stopped: the store is locked).
    Reindex,
    /// Check every distribution's URLs now, with a progress bar (the server must be stopped: the store is locked).
    CheckLinks,
    /// Harvest remote DCAT feeds (the server must be stopped: the store is locked).
    Harvest {
        #[command(subcommand)]
        action: HarvestAction,
    },
}

#[allow(missing_docs)]
#[derive(Clone, Copy, ValueEnum)]
pub enum DumpFormat {
    Nq,
    Trig,
}

fn parse_format(value: &str) -> Result<RdfFormat, String> {
    RdfFormat::from_extension(value)
        .or_else(|| RdfFormat::from_media_type(value))
        .ok_or_else(|| format!("unknown RDF syntax {value:?} (try ttl, nt, nq, trig, rdf, jsonld)"))
}

/// The settings: flags and environment over the config file over the defaults.
pub fn settings(cli: &Cli) -> Result<Settings, CommandError> {
    let file = match &cli.config {
        Some(path) => RawSettings::from_file(path)?,
        None if std::path::Path::new(DEFAULT_CONFIG_FILE).is_file() => {
            RawSettings::from_file(DEFAULT_CONFIG_FILE.as_ref())?
        }
        None => RawSettings::default(),
    };
    let flags = RawSettings {
        data_dir: cli.data_dir.clone(),
        listen: cli.listen.clone(),
        metrics_listen: cli.metrics_listen.clone(),
        base_iri: cli.base_iri.clone(),
        cache_entries: cli.cache_entries,
        query_timeout: cli.query_timeout,
        admin_token: cli.admin_token.clone(),
        max_body: cli.max_body,
        body_timeout: cli.body_timeout,
        max_query_length: cli.max_query_length,
        tombstone_days: cli.tombstone_days,
        harvest_allow_private: cli.harvest_allow_private,
        max_nesting: cli.max_nesting,
        max_triples_per_body: cli.max_triples_per_body,
        max_literal_bytes: cli.max_literal_bytes,
        max_concurrent_queries_per_client: cli.max_concurrent_queries_per_client,
        max_query_memory: cli.max_query_memory,
        max_running_queries: cli.max_running_queries,
        contact_email: cli.contact_email.clone(),
        session_lifetime: cli.session_lifetime,
        max_anonymous_posts: cli.max_anonymous_posts,
        link_check_interval: cli.link_check_interval,
        link_check_delay: cli.link_check_delay,
        link_check_timeout: cli.link_check_timeout,
        dump_interval: cli.dump_interval,
        max_standard_check_bytes: cli.max_standard_check_bytes,
        quality_scoring: cli.quality_scoring,
        backup_dir: cli.backup_dir.clone(),
        backup_interval: cli.backup_interval,
        backup_keep: cli.backup_keep,
    };
    Ok(Settings::resolve(flags.over(file))?)
}

/// How long a stopping server waits for background work past its last request.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs the command `cli` names.
pub fn run(cli: Cli) -> Result<(), CommandError> {
    let settings = settings(&cli)?;
    match cli.command {
        Command::Serve => {
            let runtime = super::runtime()?;
            let served = runtime.block_on(super::serve(&settings));
            // Background work that cannot be cancelled (the repair's scan of a large
            // store, the dump being rewritten, the search index catching up) must not hold
            // a stop up for minutes: what it leaves undone is done again at the next start.
            runtime.shutdown_timeout(STOP_GRACE);
            served
        }
        Command::Load {
            files,
            restore: true,
            private,
            ..
        } => super::restore_dump(&settings, &files, private),
        Command::Load {
            files,
            format,
            graph,
            ..
        } => load(&settings, &files, format, graph),
        Command::Token { action } => super::token::command(&settings, action),
        Command::Harvest { action } => super::harvest::command(&settings, action),
        Command::Backup { dir } => super::backup::backup(&settings, dir.as_deref()),
        Command::Restore { dir } => super::backup::restore(&settings, &dir),
        Command::Check { repair } => super::check::check(&settings, repair),
        Command::Reindex => super::search::reindex(&settings),
        Command::CheckLinks => super::links::check_links(&settings),
        Command::Validate { file, format } => {
            let report = super::validate(&settings, &file, format)?;
            println!("{report}");
            if report.conforms {
                Ok(())
            } else {
                Err(CommandError::Outcome(format!(
                    "{} does not conform",
                    file.display()
                )))
            }
        }
        Command::Dump {
            format,
            output,
            private,
        } => {
            let format = match format {
                DumpFormat::Nq => RdfFormat::NQuads,
                DumpFormat::Trig => RdfFormat::TriG,
            };
            super::dump(&settings, format, output.as_deref(), private)
        }
    }
}

/// `passerelle load`, with what it did on stderr.
fn load(
    settings: &Settings,
    files: &[PathBuf],
    format: Option<RdfFormat>,
    graph: Option<String>,
) -> Result<(), CommandError> {
    let graph = graph
        .map(|g| {
            NamedNode::new(&g)
                .map_err(|e| CommandError::Usage(format!("invalid --graph IRI {g:?}: {e}")))
        })
        .transpose()?;
    let options = LoadOptions {
        format,
        graph,
        records_per_write: None,
    };
    let report = super::load(settings, files, &options)?;
    eprintln!(
        "loaded {} triples: {} records created, {} replaced, {} triples unassigned",
        report.triples_read, report.created, report.replaced, report.unassigned
    );
    Ok(())
}
