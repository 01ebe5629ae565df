//! The `passerelle` command line: parse flags, set up logging, run one command.

use clap::Parser;
use passerelle::commands::cli::{Cli, Command, run};
use std::io::IsTerminal;
use std::process::ExitCode;

/// jemalloc rather than glibc's malloc: SPARQL answers and record pages allocate many small
/// strings (terms read back from the store, serializers' buffers), and with glibc's malloc
/// a catalog-page CONSTRUCT took some 10 % more CPU at the same memory (`bench/README.md`).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
