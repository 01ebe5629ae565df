//! The harvester: fetch -> page -> parse -> map -> validate -> diff -> upsert, with job
//! reports (issue 6). So far: reading one page of a remote feed ([`page`]).

pub mod page;
