//! The catalog's quality board: every public dataset's score kept up to date by a
//! background thread that follows the store's changes, with the aggregates the dashboard
//! shows (mean, per dimension, histogram, per publisher, the most failed indicators, the
//! worst datasets) updated as each score changes, so that the dashboard never scans.

pub use super::aggregates::BINS;
use super::aggregates::{Aggregates, Entry};
use super::scorer::graph_of;
pub use super::scorer::{Scored, Scorer};
use super::{Dimension, Metric, metrics};
use crate::model::RecordId;
use crate::model::vocab::dct;
use crate::store::{CatalogStore, FeedOrder, RecordChange};
use oxigraph::model::NamedOrBlankNode;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError, mpsc};

/// Datasets scored between two stores of their measurements.
const STORED_AT_ONCE: usize = 1000;

/// What scoring one dataset found, kept with others' (see [`Board::keep`]).
enum Outcome {
    /// Scored: what the board keeps, and its measurements graph with its triples.
    Scored(
        RecordId,
        Box<Entry>,
        (oxigraph::model::NamedNode, Vec<oxigraph::model::Triple>),
    ),
    /// No longer a public dataset: its score and measurements go.
    Gone(RecordId),
    /// Not a dataset the board scores.
    Nothing,
}

/// The dashboard's numbers at one moment.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// How many datasets are scored.
    pub datasets: usize,
    /// The mean score.
    pub mean: f64,
    /// The catalog's rating (that of the mean).
    pub band: super::Band,
    /// The mean per dimension, with its maximum.
    pub dimensions: Vec<(Dimension, f64, u32)>,
    /// Datasets per bar of [`BINS`] bars 45 points wide.
    pub histogram: Vec<usize>,
    /// Mean score and count per publisher, best first.
    pub publishers: Vec<(String, f64, usize)>,
    /// Mean score and count per harvest source (its feed, or `local`), best first.
    pub sources: Vec<(String, f64, usize)>,
    /// Indicators missed, most often first, with how many datasets miss them.
    pub failing: Vec<(Metric, usize)>,
    /// The lowest scores (id, score), lowest first.
    pub worst: Vec<(String, f64)>,
    /// Whether every dataset has been scored since the server started.
    pub ready: bool,
}

/// The board, shared by the server's handlers and its follower thread.
#[derive(Clone)]
pub struct Board {
    aggregates: Arc<Mutex<Aggregates>>,
    ready: Arc<std::sync::atomic::AtomicBool>,
    /// Told of the datasets scored anew (the search index, whose documents carry scores).
    scored: Arc<std::sync::RwLock<Option<crate::store::ChangeWatcher>>>,
    /// The follower's queue, for changes that are not the store's (link checks).
    queue: Arc<Mutex<Option<mpsc::Sender<Vec<RecordChange>>>>>,
    /// How it scores (`None` for an idle board).
    scorer: Option<Scorer>,
    /// Datasets the search index scored as it indexed them, for the board to keep without
    /// describing them again (see [`Board::score_for`]).
    handed: Arc<Mutex<HashMap<RecordId, Handed>>>,
}

/// A dataset scored by the search index's call, by version.
struct Handed {
    version: i64,
    entry: Entry,
    topic: NamedOrBlankNode,
    assessment: super::Assessment,
}

/// Datasets handed over at most, waiting for the board: past it, the board describes
/// them itself (a few kilobytes each; a large harvest runs ahead of the board).
const HANDED_AT_MOST: usize = 20_000;

impl Board {
    /// A board that scores nothing (`quality-scoring = false`: the benches measure the
    /// write and harvest paths without it): its dashboard stays empty and not ready.
    pub fn idle() -> Self {
        Self {
            aggregates: Arc::default(),
            ready: Arc::default(),
            scored: Arc::default(),
            queue: Arc::default(),
            scorer: None,
            handed: Arc::default(),
        }
    }

    /// A board that follows `store`: it scores every public dataset in a background
    /// thread, then each one that changes.
    pub fn follow(store: &CatalogStore, scorer: Scorer) -> Self {
        let (sender, receiver) = mpsc::channel::<Vec<RecordChange>>();
        let _ = sender.send(vec![RecordChange::All]);
        let board = Self {
            aggregates: Arc::default(),
            ready: Arc::default(),
            scored: Arc::default(),
            queue: Arc::new(Mutex::new(Some(sender.clone()))),
            scorer: Some(scorer.clone()),
            handed: Arc::default(),
        };
        let sender = Mutex::new(sender);
        store.on_dataset_changes(Arc::new(
            move |_: &CatalogStore, changes: &[RecordChange]| {
                let sender = sender.lock().unwrap_or_else(PoisonError::into_inner);
                let _ = sender.send(changes.to_vec());
            },
        ));
        let follower = board.clone();
        let store = store.clone();
        let spawned = std::thread::Builder::new()
            .name("quality".into())
            .spawn(move || {
                while let Ok(first) = receiver.recv() {
                    // A full pass (the first, or after a SPARQL Update) starts at once.
                    let changes = if first.contains(&RecordChange::All) {
                        first
                    } else {
                        gathered(&receiver, first)
                    };
                    let span = tracing::info_span!("quality", changes = changes.len());
                    let _entered = span.enter();
                    follower.apply(&store, &scorer, &changes);
                }
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "the quality board could not start");
        }
        board
    }

    fn apply(&self, store: &CatalogStore, scorer: &Scorer, changes: &[RecordChange]) {
        let ids: Vec<RecordId> = if changes.contains(&RecordChange::All) {
            let live: Vec<RecordId> = store
                .dataset_versions()
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            let kept: HashSet<&RecordId> = live.iter().collect();
            let mut aggregates = self.lock();
            let gone: Vec<RecordId> = aggregates
                .entries
                .keys()
                .filter(|id| !kept.contains(id))
                .cloned()
                .collect();
            for id in gone {
                aggregates.remove(&id);
            }
            drop(aggregates);
            forget_others(store, &live);
            live
        } else {
            // A dataset written several times while changes were gathered is scored once.
            let mut seen = HashSet::new();
            changes
                .iter()
                .filter_map(|c| match c {
                    RecordChange::Changed(id) if seen.insert(id) => Some(id.clone()),
                    _ => None,
                })
                .collect()
        };
        let mut scored = Vec::new();
        for chunk in ids.chunks(STORED_AT_ONCE) {
            let outcomes = chunk
                .iter()
                .map(|id| self.score(store, scorer, id.clone()))
                .collect();
            scored.extend(self.keep(store, outcomes));
        }
        self.ready.store(true, std::sync::atomic::Ordering::Release);
        let tell = self
            .scored
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(tell) = tell
            && !scored.is_empty()
        {
            tell(store, &scored);
        }
    }

    /// Scores the datasets `ids` again (their URLs answered differently).
    pub fn rescore(&self, ids: Vec<RecordId>) {
        let queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(queue) = queue.as_ref() {
            let _ = queue.send(ids.into_iter().map(RecordChange::Changed).collect());
        }
    }

    /// Tells `watcher` of the datasets whose score changed, after each round.
    pub fn tell_scores_to(&self, watcher: crate::store::ChangeWatcher) {
        *self.scored.write().unwrap_or_else(PoisonError::into_inner) = Some(watcher);
    }

    /// The score and rating of the dataset `id`, if it was scored.
    pub fn score_of(&self, id: &RecordId) -> Option<(f64, super::Band)> {
        self.lock()
            .entries
            .get(id)
            .map(|e| (e.total, super::Band::of(e.total)))
    }

    /// The title of the scored dataset `id` in `language` (else in the other of French
    /// and English, else untagged, else any).
    pub fn title_of(&self, id: &RecordId, language: &str) -> Option<String> {
        let aggregates = self.lock();
        let titles = &aggregates.entries.get(id)?.titles;
        let other = if language == "fr" { "en" } else { "fr" };
        [language, other, ""]
            .iter()
            .find_map(|l| titles.iter().find(|(tag, _)| tag == l))
            .or_else(|| titles.first())
            .map(|(_, text)| text.clone())
    }

    /// The version of `id` last scored and whether it met its shapes.
    pub fn compliance_of(&self, id: &RecordId) -> Option<(i64, bool)> {
        self.lock()
            .entries
            .get(id)
            .map(|e| (e.version, e.compliant))
    }

    /// The score and rating of the dataset `id` as `description` (its current version)
    /// shows it, for the search index that indexes it in the writer's thread: the
    /// board's if it scored that version, else computed here when the write said whether
    /// it meets its shapes (cheap: no validation), else the last score known (the board
    /// scores the new version a moment later, and the index is told if it differs).
    pub fn score_for(
        &self,
        store: &CatalogStore,
        id: &RecordId,
        description: &crate::store::Description,
    ) -> Option<(f64, super::Band)> {
        let known = self.compliance_of(id);
        let version = description.version?;
        if known.is_some_and(|(at, _)| at == version) {
            return self.score_of(id);
        }
        let (Some(scorer), Some(compliant)) = (&self.scorer, store.conformance_of(id, version))
        else {
            return self.score_of(id);
        };
        let graph = graph_of(description);
        let topic = NamedOrBlankNode::from(description.topic.clone());
        let assessment = scorer.assess(&graph, topic.as_ref(), compliant);
        let total = assessment.total;
        let mut handed = self.handed.lock().unwrap_or_else(PoisonError::into_inner);
        if handed.len() < HANDED_AT_MOST {
            let entry = entry_of(&assessment, description, &topic, compliant);
            handed.insert(
                id.clone(),
                Handed {
                    version,
                    entry,
                    topic,
                    assessment,
                },
            );
        }
        Some((total, super::Band::of(total)))
    }

    /// Scores the dataset `id` again: what the search index handed over for its current
    /// version, else from its description.
    fn score(&self, store: &CatalogStore, scorer: &Scorer, id: RecordId) -> Outcome {
        let handed = self
            .handed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
        if let Some(handed) = handed
            && store.dataset_version(&id) == Some(handed.version)
        {
            let graph = measurements_graph(store, &id);
            let triples = super::dqv::triples(&handed.assessment, &handed.topic, graph.as_str());
            return Outcome::Scored(id, Box::new(handed.entry), (graph, triples));
        }
        match scorer.dataset(store, &id, self.compliance_of(&id)) {
            Ok(Some(Scored {
                assessment,
                topic,
                description,
                compliant,
            })) => {
                let graph = measurements_graph(store, &id);
                let triples = super::dqv::triples(&assessment, &topic, graph.as_str());
                let entry = entry_of(&assessment, &description, &topic, compliant);
                Outcome::Scored(id, Box::new(entry), (graph, triples))
            }
            // Not a public dataset (a distribution's record, a draft): nothing to forget
            // unless it was scored before.
            Ok(None) if !self.lock().entries.contains_key(&id) => Outcome::Nothing,
            Ok(None) => Outcome::Gone(id),
            Err(error) => {
                tracing::error!(%error, %id, "a dataset could not be scored");
                Outcome::Nothing
            }
        }
    }

    /// Stores the measurements of `outcomes` in one go, then counts them in the
    /// aggregates (so that what the dashboard counts is in the store); the datasets whose
    /// score changed.
    fn keep(&self, store: &CatalogStore, mut outcomes: Vec<Outcome>) -> Vec<RecordChange> {
        let writes: Vec<_> = outcomes
            .iter_mut()
            .filter_map(|outcome| match outcome {
                Outcome::Scored(_, _, (graph, triples)) => {
                    Some((graph.clone(), std::mem::take(triples)))
                }
                Outcome::Gone(id) => Some((measurements_graph(store, id), Vec::new())),
                Outcome::Nothing => None,
            })
            .collect();
        if let Err(error) = store.put_measurements(writes) {
            tracing::error!(%error, "quality measurements could not be stored");
        }
        let mut changed = Vec::new();
        let mut used = Vec::new();
        let mut aggregates = self.lock();
        for outcome in outcomes {
            match outcome {
                Outcome::Scored(id, entry, _) => {
                    if aggregates.entries.get(&id).map(|e| e.total) != Some(entry.total) {
                        changed.push(RecordChange::Changed(id.clone()));
                    }
                    used.push((id.clone(), entry.version));
                    aggregates.insert(id, *entry);
                }
                Outcome::Gone(id) => aggregates.remove(&id),
                Outcome::Nothing => {}
            }
        }
        drop(aggregates);
        for (id, version) in used {
            store.forget_conformance(&id, version);
        }
        changed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Aggregates> {
        self.aggregates
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The dashboard's numbers, with the `worst` lowest scores.
    pub fn summary(&self, worst: usize) -> Summary {
        let aggregates = self.lock();
        let n = aggregates.entries.len();
        let mean = |sum: f64| {
            if n == 0 {
                0.0
            } else {
                super::round(sum / n as f64)
            }
        };
        let total = mean(aggregates.total);
        let mut failing: Vec<(Metric, usize)> = aggregates
            .failing
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(m, n)| (*m, *n))
            .collect();
        failing.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name().cmp(b.0.name())));
        Summary {
            datasets: n,
            mean: total,
            band: super::Band::of(total),
            dimensions: Dimension::ALL
                .iter()
                .zip(aggregates.dimensions)
                .map(|(d, sum)| (*d, mean(sum), metrics::maximum_of(*d)))
                .collect(),
            histogram: aggregates.histogram.to_vec(),
            publishers: aggregates.publishers.ranked(),
            sources: aggregates.sources.ranked(),
            failing,
            worst: aggregates
                .worst
                .iter()
                .take(worst)
                .map(|(score, id)| (id.as_str().to_owned(), *score as f64 / 100.0))
                .collect(),
            ready: self.ready.load(std::sync::atomic::Ordering::Acquire),
        }
    }
}

/// `changes` and those that follow them closely (writes in a row, a harvest's batches),
/// to be scored together: their measurements are stored in one transaction, the writer
/// lock taken once instead of once per write (which the next write would wait for).
fn gathered(
    receiver: &mpsc::Receiver<Vec<RecordChange>>,
    mut changes: Vec<RecordChange>,
) -> Vec<RecordChange> {
    let until = std::time::Instant::now() + GATHERING;
    while changes.len() < STORED_AT_ONCE {
        let left = until.saturating_duration_since(std::time::Instant::now());
        match receiver.recv_timeout(left) {
            Ok(more) => changes.extend(more),
            Err(_) => break,
        }
    }
    changes
}

/// How long the board gathers changes before it scores them.
const GATHERING: std::time::Duration = std::time::Duration::from_millis(250);

/// The graph of the dataset `id`'s measurements: its quality page's IRI.
fn measurements_graph(store: &CatalogStore, id: &RecordId) -> oxigraph::model::NamedNode {
    let page = store
        .base()
        .resource(crate::model::ResourceKind::Dataset, id);
    oxigraph::model::NamedNode::new_unchecked(format!("{}/quality", page.as_str()))
}

/// Removes the measurements of datasets that are not `live` (withdrawn while the server
/// was down, or since the last pass).
fn forget_others(store: &CatalogStore, live: &[RecordId]) {
    let wanted: HashSet<String> = live
        .iter()
        .map(|id| measurements_graph(store, id).into_string())
        .collect();
    let graphs = match store.measurement_graphs() {
        Ok(graphs) => graphs,
        Err(error) => {
            tracing::error!(%error, "the stored quality measurements could not be listed");
            return;
        }
    };
    let old: Vec<_> = graphs
        .into_iter()
        .filter(|g| !wanted.contains(g.as_str()))
        .map(|g| (g, Vec::new()))
        .collect();
    if let Err(error) = store.put_measurements(old) {
        tracing::error!(%error, "old quality measurements could not be removed");
    }
}

/// What the board keeps of a dataset assessed from `description`.
fn entry_of(
    assessment: &super::Assessment,
    description: &crate::store::Description,
    topic: &NamedOrBlankNode,
    compliant: bool,
) -> Entry {
    let mut dimensions = [0.0; 5];
    for (slot, d) in dimensions.iter_mut().zip(&assessment.dimensions) {
        *slot = d.points;
    }
    Entry {
        version: description.version.unwrap_or_default(),
        compliant,
        total: assessment.total,
        dimensions,
        failing: assessment
            .indicators
            .iter()
            .filter(|i| i.points < f64::from(i.maximum))
            .map(|i| i.metric)
            .collect(),
        publisher: publisher_of(description, topic),
        source: description
            .harvest_feed()
            .unwrap_or_else(|| "local".to_owned()),
        titles: description
            .quads
            .iter()
            .filter(|q| q.subject == *topic && q.predicate == dct::TITLE)
            .filter_map(|q| match &q.object {
                oxigraph::model::Term::Literal(l) => Some((
                    l.language().unwrap_or_default().to_owned(),
                    l.value().to_owned(),
                )),
                _ => None,
            })
            .collect(),
    }
}

/// The dataset's publisher as its description says.
fn publisher_of(
    description: &crate::store::Description,
    topic: &NamedOrBlankNode,
) -> Option<String> {
    description
        .quads
        .iter()
        .find(|q| q.subject == *topic && q.predicate == dct::PUBLISHER)
        .and_then(|q| match &q.object {
            oxigraph::model::Term::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
}
