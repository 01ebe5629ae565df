//! The harvester: fetch -> page -> parse -> map -> validate -> diff -> upsert, with job
//! reports (issue 6). So far: fetching a page safely ([`fetch`]), reading it ([`page`]),
//! and making it fit to store ([`map`]).

pub mod fetch;
pub mod map;
pub mod page;
