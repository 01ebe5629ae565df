//! The read-ahead of a harvest run: the next page is fetched and read in the background
//! while the run stores the one before; conditionally, when the last run kept the page's
//! state and every dataset it listed is still a live record.

use super::blocking;
use super::fetch::{Fetched, Fetcher, Validators};
use super::read::{ReadPage, read};
use super::sources::{self, PageMemo, SourceError};
use crate::limits::Limits;
use crate::store::Lookups;
use crate::store::{CatalogStore, SourceRef};
use oxigraph::model::NamedNode;
use tracing::Instrument;

/// A page as fetched, before the run takes it in.
pub(super) enum Fetch {
    /// The page as the source serves it now, read.
    Read {
        page: Box<ReadPage>,
        validators: Validators,
    },
    /// The page as the last run read it (a `304` to a conditional GET).
    NotModified(PageMemo),
    /// Why the page could not be had.
    Failed(String),
}

impl Fetch {
    /// The page after this one: known as soon as a page is read, to fetch it while this
    /// one is stored.
    pub(super) fn next(&self) -> Option<&str> {
        match self {
            Self::Read { page, .. } => page.next.as_deref(),
            Self::NotModified(memo) => memo.next.as_deref(),
            Self::Failed(_) => None,
        }
    }
}

/// A page fetched in the background (the next one, while this one is stored); dropped,
/// it stops.
pub(super) struct Ahead {
    pub(super) url: String,
    task: tokio::task::JoinHandle<Fetch>,
}

impl Ahead {
    /// Starts fetching the page at `url` of `source`.
    pub(super) fn start(
        store: &CatalogStore,
        fetcher: &Fetcher,
        source: SourceRef<'_>,
        url: &str,
    ) -> Self {
        let task = tokio::spawn(
            fetch(
                store.clone(),
                fetcher.clone(),
                source.name.to_owned(),
                source.url.to_owned(),
                url.to_owned(),
            )
            .in_current_span(),
        );
        Self {
            url: url.to_owned(),
            task,
        }
    }

    /// The page, once fetched and read.
    pub(super) async fn join(mut self) -> Fetch {
        (&mut self.task)
            .await
            .unwrap_or_else(|e| Fetch::Failed(format!("fetching the page failed: {e}")))
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Fetches and reads the page at `url` of the source `name` (whose feed is `feed`),
/// conditionally when the last run kept the page's state. It owns what it uses: it runs
/// while the run stores the page before.
async fn fetch(
    store: CatalogStore,
    fetcher: Fetcher,
    name: String,
    feed: String,
    url: String,
) -> Fetch {
    let memo = match page_memo(&store, name, url.clone()).await {
        Ok(memo) => memo,
        Err(error) => {
            return Fetch::Failed(format!("the page's last state could not be read: {error}"));
        }
    };
    let validators = memo
        .as_ref()
        .map_or_else(Validators::default, |m| Validators {
            etag: m.etag.clone(),
            last_modified: m.last_modified.clone(),
        });
    let fetched = match fetcher.get(&url, &validators).await {
        Ok(fetched) => fetched,
        Err(error) => return Fetch::Failed(error.to_string()),
    };
    if fetched.not_modified {
        return memo.map_or_else(
            || Fetch::Failed("answered 304 Not Modified to an unconditional request".into()),
            Fetch::NotModified,
        );
    }
    let validators = fetched.validators.clone();
    match read_page(&store, fetched, &feed, *fetcher.limits()).await {
        Ok(page) => Fetch::Read {
            page: Box::new(page),
            validators,
        },
        Err(reason) => Fetch::Failed(reason),
    }
}

/// The state of `url` as the last complete read left it, if its datasets are all still
/// live records (else the page is fetched in full again).
async fn page_memo(
    store: &CatalogStore,
    name: String,
    url: String,
) -> Result<Option<PageMemo>, SourceError> {
    let store = store.clone();
    blocking(move || {
        let Some(memo) = sources::page_memo(&store, &name, &url)? else {
            return Ok(None);
        };
        for dataset in &memo.datasets {
            let live = match NamedNode::new(dataset.as_str()) {
                Ok(topic) => store.has_record(&topic)?,
                Err(_) => false,
            };
            if !live {
                return Ok(None);
            }
        }
        Ok(Some(memo))
    })
    .await
}

/// Reads and maps a fetched page (`feed` names the source, for blank-node datasets) off
/// the async workers: parsing, mapping and fingerprints take CPU time. `limits` bound what
/// the page may ask of the parsers: past one, the page fails, said so in the report.
async fn read_page(
    store: &CatalogStore,
    fetched: Fetched,
    feed: &str,
    limits: Limits,
) -> Result<ReadPage, String> {
    let base = store.base().clone();
    let feed = feed.to_owned();
    let store = store.clone();
    tokio::task::spawn_blocking(move || {
        let mut page = read(fetched, &feed, &base, &limits)?;
        for (dataset, _) in &mut page.datasets {
            dataset.dropped = super::map::drop_claims_on_ours(dataset, &base);
            dataset.violations = violations(&store, dataset);
        }
        Ok(page)
    })
    .await
    .map_err(|e| format!("reading the page failed: {e}"))?
}

/// The violations of the official DCAT-AP 3.0.1 shapes by `dataset` as it would be
/// served: its triples with the types and labels the store knows of what they link to.
/// (A check that cannot run finds none: the dataset is not refused for our defect.)
fn violations(
    store: &CatalogStore,
    dataset: &super::map::HarvestedDataset,
) -> Vec<crate::validate::Finding> {
    use crate::store::Records;
    let checked = crate::validate::dcat_ap().and_then(|shapes| {
        let graph = store
            .in_context(&dataset.triples)
            .map_err(|e| crate::validate::ValidateError::Engine(e.to_string()))?;
        shapes.validate(&graph)
    });
    match checked {
        Ok(report) => report.violations,
        Err(error) => {
            tracing::warn!(dataset = %dataset.topic, %error, "the DCAT-AP shapes could not be checked");
            Vec::new()
        }
    }
}
