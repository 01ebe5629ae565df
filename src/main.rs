//! The `passerelle` command line: parse flags, build settings, run one command.

use clap::{Parser, Subcommand, ValueEnum};
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use passerelle::access::{Role, Tokens};
use passerelle::commands;
use passerelle::config::{DEFAULT_CONFIG_FILE, RawSettings, Settings};
use passerelle::store::LoadOptions;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// jemalloc rather than glibc's malloc: SPARQL answers and record pages allocate many small
/// strings (terms read back from the store, serializers' buffers), and with glibc's malloc
/// a catalog-page CONSTRUCT took some 10 % more CPU at the same memory (`bench/README.md`).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(version, about = "A linked-data metadata server for DCAT catalogs")]
struct Cli {
    /// Config file (TOML); ./passerelle.toml is read when it exists.
    #[arg(long, global = true, env = "PASSERELLE_CONFIG")]
    config: Option<PathBuf>,
    /// Directory of the on-disk store [default: ./data].
    #[arg(long, global = true, env = "PASSERELLE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, global = true, env = "PASSERELLE_LISTEN")]
    listen: Option<String>,
    /// IRI prefix of everything we mint [default: http://localhost:{port}/].
    #[arg(long, global = true, env = "PASSERELLE_BASE_IRI")]
    base_iri: Option<String>,
    /// Rendered descriptions kept in memory; 0 disables the cache [default: 4096].
    #[arg(long, global = true, env = "PASSERELLE_CACHE_ENTRIES")]
    cache_entries: Option<usize>,
    /// Seconds a SPARQL query may run before it is stopped [default: 30].
    #[arg(long, global = true, env = "PASSERELLE_QUERY_TIMEOUT")]
    query_timeout: Option<u64>,
    /// Bootstrap admin token, for SPARQL Update (prefer the environment: flags show in `ps`).
    #[arg(
        long,
        global = true,
        env = "PASSERELLE_ADMIN_TOKEN",
        hide_env_values = true
    )]
    admin_token: Option<String>,
    /// Largest request body accepted, in bytes [default: 10 MiB].
    #[arg(long, global = true, env = "PASSERELLE_MAX_BODY")]
    max_body: Option<usize>,
    /// Longest SPARQL query or update accepted, in characters [default: 100000].
    #[arg(long, global = true, env = "PASSERELLE_MAX_QUERY_LENGTH")]
    max_query_length: Option<usize>,
    /// Days a deleted dataset stays listed as withdrawn in the incremental feed [default: 90].
    #[arg(long, global = true, env = "PASSERELLE_TOMBSTONE_DAYS")]
    tombstone_days: Option<u64>,
    /// Let the harvester fetch loopback, private and link-local addresses [default: false].
    #[arg(long, global = true, env = "PASSERELLE_HARVEST_ALLOW_PRIVATE", value_parser = clap::builder::BoolishValueParser::new())]
    harvest_allow_private: Option<bool>,
    /// Deepest nesting read in queries, RDF, JSON and XML [default: 256].
    #[arg(long, global = true, env = "PASSERELLE_MAX_NESTING")]
    max_nesting: Option<usize>,
    /// Most triples one API body or harvested page may make [default: 250000].
    #[arg(long, global = true, env = "PASSERELLE_MAX_TRIPLES_PER_BODY")]
    max_triples_per_body: Option<usize>,
    /// Longest literal or IRI read, in bytes [default: 1 MiB].
    #[arg(long, global = true, env = "PASSERELLE_MAX_LITERAL_BYTES")]
    max_literal_bytes: Option<usize>,
    /// SPARQL queries one client address may run at once [default: half the cores].
    #[arg(
        long,
        global = true,
        env = "PASSERELLE_MAX_CONCURRENT_QUERIES_PER_CLIENT"
    )]
    max_concurrent_queries_per_client: Option<usize>,
    /// Heap size in MiB past which running queries are stopped [default: half the memory].
    #[arg(long, global = true, env = "PASSERELLE_MAX_QUERY_MEMORY")]
    max_query_memory: Option<usize>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the catalog over HTTP (loads the demo catalog into an empty store).
    Serve,
    /// Import DCAT files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD).
    Load {
        /// Files to import, all in one transaction.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Syntax of every file (default: from each file's extension).
        #[arg(long, value_parser = parse_format)]
        format: Option<RdfFormat>,
        /// Put all triples in this named graph as-is, without splitting into records.
        #[arg(long)]
        graph: Option<String>,
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
    /// Harvest remote DCAT feeds (the server must be stopped: the store is locked).
    Harvest {
        #[command(subcommand)]
        action: HarvestAction,
    },
}

#[derive(Subcommand)]
enum HarvestAction {
    /// Add a harvest source.
    Add {
        /// The URL of the feed's first page.
        url: String,
        /// A name for it: lower-case letters, digits and dashes.
        #[arg(long)]
        name: String,
        /// How often the server harvests it (30m, 6h, 1d); never when absent.
        #[arg(long)]
        interval: Option<String>,
        /// Pages a run reads at most [default: 10000].
        #[arg(long)]
        max_pages: Option<std::num::NonZeroUsize>,
        /// Datasets a run reads at most [default: 1000000].
        #[arg(long)]
        max_datasets: Option<std::num::NonZeroUsize>,
    },
    /// Harvest a source now and print the report (a URL not yet a source becomes one).
    Run {
        /// A source's name, or a feed URL.
        source: String,
        /// Only say what the run would change.
        #[arg(long)]
        dry_run: bool,
    },
    /// List the sources and their last job.
    List,
}

#[derive(Subcommand)]
enum TokenAction {
    /// Create a token and print it (it is shown only once).
    Create {
        /// A name for the token, recorded in the history of what it writes.
        #[arg(long)]
        name: String,
        /// `admin` (everything) or `editor` (records of its publishers).
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The IRI of a publisher whose records an editor may write (repeatable).
        #[arg(long = "publisher")]
        publishers: Vec<String>,
    },
    /// List tokens (names and roles, never secrets).
    List,
    /// Revoke a token by name.
    Revoke {
        /// The token's name.
        name: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Admin,
    Editor,
}

#[derive(Clone, Copy, ValueEnum)]
enum DumpFormat {
    Nq,
    Trig,
}

fn parse_format(value: &str) -> Result<RdfFormat, String> {
    RdfFormat::from_extension(value)
        .or_else(|| RdfFormat::from_media_type(value))
        .ok_or_else(|| format!("unknown RDF syntax {value:?} (try ttl, nt, nq, trig, rdf, jsonld)"))
}

fn settings(cli: &Cli) -> Result<Settings, String> {
    let file = match &cli.config {
        Some(path) => RawSettings::from_file(path).map_err(|e| e.to_string())?,
        None if std::path::Path::new(DEFAULT_CONFIG_FILE).is_file() => {
            RawSettings::from_file(DEFAULT_CONFIG_FILE.as_ref()).map_err(|e| e.to_string())?
        }
        None => RawSettings::default(),
    };
    let flags = RawSettings {
        data_dir: cli.data_dir.clone(),
        listen: cli.listen.clone(),
        base_iri: cli.base_iri.clone(),
        cache_entries: cli.cache_entries,
        query_timeout: cli.query_timeout,
        admin_token: cli.admin_token.clone(),
        max_body: cli.max_body,
        max_query_length: cli.max_query_length,
        tombstone_days: cli.tombstone_days,
        harvest_allow_private: cli.harvest_allow_private,
        max_nesting: cli.max_nesting,
        max_triples_per_body: cli.max_triples_per_body,
        max_literal_bytes: cli.max_literal_bytes,
        max_concurrent_queries_per_client: cli.max_concurrent_queries_per_client,
        max_query_memory: cli.max_query_memory,
    };
    Settings::resolve(flags.over(file)).map_err(|e| e.to_string())
}

fn run(cli: Cli) -> Result<(), String> {
    let settings = settings(&cli)?;
    match cli.command {
        Command::Serve => {
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            runtime
                .block_on(commands::serve(&settings))
                .map_err(|e| e.to_string())
        }
        Command::Load {
            files,
            format,
            graph,
        } => {
            let graph = graph
                .map(|g| NamedNode::new(&g).map_err(|e| format!("invalid --graph IRI {g:?}: {e}")))
                .transpose()?;
            let report = commands::load(&settings, &files, &LoadOptions { format, graph })
                .map_err(|e| e.to_string())?;
            eprintln!(
                "loaded {} triples: {} records created, {} replaced, {} triples unassigned",
                report.triples_read,
                report.summary.created,
                report.summary.replaced,
                report.summary.unassigned
            );
            Ok(())
        }
        Command::Token { action } => token(&settings, action),
        Command::Harvest { action } => harvest(&settings, action),
        Command::Validate { file, format } => {
            let report = commands::validate(&settings, &file, format).map_err(|e| e.to_string())?;
            println!("{report}");
            if report.conforms {
                Ok(())
            } else {
                Err(format!("{} does not conform", file.display()))
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
            commands::dump(&settings, format, output.as_deref(), private).map_err(|e| e.to_string())
        }
    }
}

fn token(settings: &Settings, action: TokenAction) -> Result<(), String> {
    let tokens = Tokens::new(&settings.data_dir);
    match action {
        TokenAction::Create {
            name,
            role,
            publishers,
        } => {
            let role = match role {
                RoleArg::Admin if publishers.is_empty() => Role::Admin,
                RoleArg::Admin => return Err("an admin token takes no --publisher".into()),
                RoleArg::Editor => Role::Editor {
                    publishers: publishers
                        .iter()
                        .map(|p| {
                            NamedNode::new(p.as_str())
                                .map(|n| n.into_string())
                                .map_err(|e| format!("--publisher {p:?} is not an IRI: {e}"))
                        })
                        .collect::<Result<_, _>>()?,
                },
            };
            let secret = tokens.create(&name, role).map_err(|e| e.to_string())?;
            println!("{secret}");
            eprintln!("token {name:?} created; it will not be shown again");
            Ok(())
        }
        TokenAction::List => {
            for token in tokens.list().map_err(|e| e.to_string())? {
                let role = match &token.role {
                    Role::Admin => "admin".to_owned(),
                    Role::Editor { publishers } => format!(
                        "editor of {}",
                        publishers.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                };
                println!("{}\t{}\t{role}", token.name, token.created);
            }
            Ok(())
        }
        TokenAction::Revoke { name } => tokens.revoke(&name).map_err(|e| e.to_string()),
    }
}

fn harvest(settings: &Settings, action: HarvestAction) -> Result<(), String> {
    match action {
        HarvestAction::Add {
            url,
            name,
            interval,
            max_pages,
            max_datasets,
        } => {
            let mut source = passerelle::harvest::Source::new(&name, &url, interval.as_deref())
                .map_err(|e| e.to_string())?;
            source.max_pages = max_pages.map(usize::from);
            source.max_datasets = max_datasets.map(usize::from);
            commands::harvest_add(settings, &source).map_err(|e| e.to_string())?;
            eprintln!("source {:?} added: {}", source.name, source.url);
            Ok(())
        }
        HarvestAction::Run { source, dry_run } => {
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            let terminal = std::io::stderr().is_terminal();
            let progress = move |report: &passerelle::harvest::JobReport| {
                if terminal {
                    eprint!(
                        "\r\x1b[Kpage {} · {} datasets · {} created · {} updated · {} unchanged · {} failed",
                        report.pages,
                        report.datasets(),
                        report.created,
                        report.updated,
                        report.unchanged,
                        report.failed
                    );
                }
            };
            let report = runtime
                .block_on(commands::harvest_run(settings, &source, dry_run, &progress))
                .map_err(|e| e.to_string())?;
            if terminal {
                eprintln!();
            }
            println!("{}", commands::report_text(&report));
            match report.status {
                passerelle::harvest::JobStatus::Succeeded => Ok(()),
                status => Err(format!("the harvest ended {status:?}").to_lowercase()),
            }
        }
        HarvestAction::List => {
            for (source, last) in commands::harvest_list(settings).map_err(|e| e.to_string())? {
                let last = last.map_or_else(
                    || "never harvested".to_owned(),
                    |job| {
                        format!(
                            "{} {:?}: {} created, {} updated, {} unchanged, {} withdrawn, {} failed",
                            job.started, job.status, job.created, job.updated, job.unchanged, job.withdrawn, job.failed
                        )
                    },
                );
                println!(
                    "{}\t{}\t{}\t{last}",
                    source.name,
                    source.url,
                    source.interval.as_deref().unwrap_or("-")
                );
            }
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let default_level = if matches!(cli.command, Command::Serve) {
        "info"
    } else {
        "warn"
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level)),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
