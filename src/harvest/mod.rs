//! The harvester: fetch -> page -> parse -> map -> validate -> diff -> upsert, with job
//! reports (issue 6). So far: fetching a page safely ([`fetch`]) and reading it
//! ([`page`]).

pub mod fetch;
pub mod page;
