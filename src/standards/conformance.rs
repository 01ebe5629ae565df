//! A distribution's conformance to the data standard it declares: a CSV file whose
//! distribution says `dct:conformsTo` a Table Schema (as schema.data.gouv.fr publishes the
//! French standards) is downloaded through the harvester's guarded client, streamed into
//! the checks without being held whole, and stopped at a size limit.

use super::{Limits, Outcome, TableSchema, check};
use crate::harvest::fetch::{Fetcher, Validators};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, PoisonError, RwLock};

/// The last check of one file against one schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandardCheck {
    /// The CSV file's URL.
    pub file: String,
    /// The Table Schema's URL (the distribution's `dct:conformsTo`).
    pub schema: String,
    /// When it was checked (RFC 3339).
    pub checked: String,
    /// What the checks found, when the file and the schema could be read.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub outcome: Option<Outcome>,
    /// Why they could not be, otherwise.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
}

impl StandardCheck {
    /// Whether the file meets the standard (wholly checked, no error).
    pub fn conforms(&self) -> bool {
        self.outcome.as_ref().is_some_and(Outcome::valid)
    }
}

/// Checks the CSV at `file` against the Table Schema at `schema`.
pub async fn check_file(
    fetcher: &Fetcher,
    file: &str,
    schema: &str,
    limits: &Limits,
) -> StandardCheck {
    let checked = crate::harvest::report::now_text();
    let (outcome, error) = match checked_file(fetcher, file, schema, limits).await {
        Ok(outcome) => (Some(outcome), None),
        Err(error) => (None, Some(error)),
    };
    StandardCheck {
        file: file.to_owned(),
        schema: schema.to_owned(),
        checked,
        outcome,
        error,
    }
}

async fn checked_file(
    fetcher: &Fetcher,
    file: &str,
    schema: &str,
    limits: &Limits,
) -> Result<Outcome, String> {
    let fetched = fetcher
        .get(schema, &Validators::default())
        .await
        .map_err(|e| {
            tracing::debug!(error = %e, "a data standard's schema could not be read");
            "the schema could not be read (refused, unreachable, or an error status)".to_owned()
        })?;
    // Parsing the schema compiles its patterns: CPU work, off the async workers.
    let body = fetched.body;
    let schema = tokio::task::spawn_blocking(move || TableSchema::from_json(&body))
        .await
        .map_err(|e| format!("the checks failed: {e}"))?
        .map_err(|e| format!("{schema} is not a Table Schema: {e}"))?;
    let url = reqwest::Url::parse(file).map_err(|e| format!("{file} is not a URL: {e}"))?;
    if fetcher.refusal_of(&url).is_some() {
        return Err(crate::harvest::fetch::REFUSED.to_owned());
    }
    let mut response = fetcher
        .client()
        .get(url)
        .header(reqwest::header::ACCEPT, "text/csv, */*;q=0.5")
        .send()
        .await
        .map_err(|e| crate::harvest::fetch::failure(&e).to_owned())?;
    if !response.status().is_success() {
        return Err(format!("{file} answered {}", response.status().as_u16()));
    }
    let (sender, receiver) = tokio::sync::mpsc::channel::<Vec<u8>>(8);
    let checking = {
        let limits = limits.clone();
        tokio::task::spawn_blocking(move || check(&schema, Chunks::new(receiver), &limits))
    };
    let mut sent: u64 = 0;
    // A byte past the limit is enough for the checks to say where they stopped.
    while sent <= limits.max_bytes {
        let Some(chunk) = response.chunk().await.map_err(|e| {
            format!(
                "the download broke off: {}",
                crate::harvest::fetch::failure(&e)
            )
        })?
        else {
            break;
        };
        sent += chunk.len() as u64;
        if sender.send(chunk.to_vec()).await.is_err() {
            break;
        }
    }
    drop(sender);
    checking
        .await
        .map_err(|e| format!("the checks failed: {e}"))
}

/// The body's chunks as a `Read`, for the checks on the blocking pool.
struct Chunks {
    receiver: tokio::sync::mpsc::Receiver<Vec<u8>>,
    current: Vec<u8>,
    at: usize,
}

impl Chunks {
    fn new(receiver: tokio::sync::mpsc::Receiver<Vec<u8>>) -> Self {
        Self {
            receiver,
            current: Vec::new(),
            at: 0,
        }
    }
}

impl Read for Chunks {
    fn read(&mut self, into: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.current.len() {
            match self.receiver.blocking_recv() {
                Some(next) => (self.current, self.at) = (next, 0),
                None => return Ok(0),
            }
        }
        let n = into.len().min(self.current.len() - self.at);
        into[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Checks, one after the other (a CSV file can be large: one download at a time), the
/// files of `declared` that `due` says are due; keeps what was found in `store` and
/// `book`.
pub async fn check_declared(
    fetcher: &Fetcher,
    declared: &[crate::store::Declared],
    (store, book): (&crate::store::CatalogStore, &StandardBook),
    limits: &Limits,
    due: impl Fn(Option<&StandardCheck>) -> bool,
) -> Result<Vec<StandardCheck>, crate::store::StoreError> {
    let mut pairs: Vec<(&str, &str)> = declared
        .iter()
        .map(|d| (d.file.as_str(), d.schema.as_str()))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut checks = Vec::new();
    for (file, schema) in pairs {
        if due(book.get(file, schema).as_ref()) {
            checks.push(check_file(fetcher, file, schema, limits).await);
        }
    }
    if checks.is_empty() {
        return Ok(checks);
    }
    let json: Vec<String> = checks
        .iter()
        .map(|c| serde_json::to_string(c).unwrap_or_default())
        .collect();
    let kept = checks.clone();
    let store = store.clone();
    tokio::task::spawn_blocking(move || {
        let rows: Vec<crate::store::Checked<'_>> = kept
            .iter()
            .zip(&json)
            .map(|(c, json)| crate::store::Checked {
                file: &c.file,
                schema: &c.schema,
                date: &c.checked,
                conforms: c.conforms(),
                json,
            })
            .collect();
        store.put_standard_checks(&rows)
    })
    .await
    .map_err(|e| crate::store::StoreError::Update(format!("the store's task failed: {e}")))??;
    book.put(checks.clone());
    Ok(checks)
}

/// The last check of each (file, schema), shared by the handlers and the schedule.
#[derive(Debug, Clone, Default)]
pub struct StandardBook {
    checks: Arc<RwLock<HashMap<(String, String), StandardCheck>>>,
}

impl StandardBook {
    /// The checks kept in `store`.
    pub fn load(store: &crate::store::CatalogStore) -> Result<Self, crate::store::StoreError> {
        let book = Self::default();
        book.put(
            store
                .standard_checks()?
                .iter()
                .filter_map(|json| serde_json::from_str(json).ok()),
        );
        Ok(book)
    }

    /// Records `checks`, each replacing the last one of its file and schema.
    pub fn put(&self, checks: impl IntoIterator<Item = StandardCheck>) {
        let mut book = self.checks.write().unwrap_or_else(PoisonError::into_inner);
        for check in checks {
            book.insert((check.file.clone(), check.schema.clone()), check);
        }
    }

    /// The last check of `file` against `schema`.
    pub fn get(&self, file: &str, schema: &str) -> Option<StandardCheck> {
        self.checks
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&(file.to_owned(), schema.to_owned()))
            .cloned()
    }
}
