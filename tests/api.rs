//! Every integration test in one binary (linking the server's library once, not once per
//! file): each module of `tests/api/` starts the real `passerelle` binary, or the routing
//! table in process, over a real on-disk store in a temp dir.
//! Run one module with `scripts/test --test api dereference::`.

#[path = "common/mod.rs"]
mod common;

/// The tests, one module per part of the server (files in `tests/api/`).
mod api {
    mod about;
    mod backup;
    mod bad_input;
    mod browser;
    mod catalog_feed;
    mod catalog_history;
    mod check;
    mod cli;
    mod crash;
    mod dereference;
    mod exports;
    mod feedback;
    mod hardening;
    mod harvest_api;
    mod harvest_fetch;
    mod harvest_run;
    mod harvest_validation;
    mod history_page;
    mod in_process;
    mod links;
    mod metrics;
    mod oai;
    mod openapi;
    mod portal;
    mod profile;
    mod publishing;
    mod publishing_kinds;
    mod python_clients;
    mod quality;
    mod reuses;
    mod search;
    mod search_drafts;
    mod search_upkeep;
    mod shutdown;
    mod signin;
    mod slow_clients;
    mod sparql;
    mod sparql_disconnect;
    mod sparql_page;
    mod sparql_protocol;
    mod sparql_timeout;
    mod standards;
    mod write_api;
    mod write_api_kinds;
}
