//! What the quality board keeps: each dataset's score and what the dashboard adds up
//! from it, as sums, so that a change is a subtraction and an addition and the dashboard
//! never scans.

use super::Metric;
use crate::model::RecordId;
use std::collections::{BTreeSet, HashMap};

/// Bars of the histogram: 0–44, 45–89 … 360–405 points.
pub const BINS: usize = 9;
const BIN_WIDTH: f64 = 45.0;

/// What the board keeps of one dataset.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// The record version scored.
    pub(super) version: i64,
    /// Whether that version met its shapes (kept so that a rescore for its links does not
    /// validate it again).
    pub(super) compliant: bool,
    pub(super) total: f64,
    pub(super) dimensions: [f64; 5],
    pub(super) failing: Vec<Metric>,
    pub(super) publisher: Option<String>,
    /// The harvest source's feed, or `local`.
    pub(super) source: String,
    /// Its titles by language tag (`""` untagged), for the dashboard's list of the worst
    /// without a store read per dataset.
    pub(super) titles: Vec<(String, String)>,
}

/// Sums and counts of scores by a key (a publisher, a harvest source).
#[derive(Debug, Default)]
pub(super) struct Means(HashMap<String, (f64, usize)>);

impl Means {
    fn add(&mut self, key: &str, total: f64) {
        let slot = self.0.entry(key.to_owned()).or_default();
        slot.0 += total;
        slot.1 += 1;
    }

    fn remove(&mut self, key: &str, total: f64) {
        if let Some((sum, n)) = self.0.get_mut(key) {
            *sum -= total;
            *n -= 1;
            if *n == 0 {
                self.0.remove(key);
            }
        }
    }

    /// Each key's mean score and count, best first.
    pub(super) fn ranked(&self) -> Vec<(String, f64, usize)> {
        let mut ranked: Vec<(String, f64, usize)> = self
            .0
            .iter()
            .map(|(key, (sum, n))| (key.clone(), super::round(sum / *n as f64), *n))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked
    }
}

/// The aggregates, kept as sums so that a change is a subtraction and an addition.
#[derive(Debug, Default)]
pub(super) struct Aggregates {
    pub(super) entries: HashMap<RecordId, Entry>,
    pub(super) total: f64,
    pub(super) dimensions: [f64; 5],
    pub(super) histogram: [usize; BINS],
    pub(super) publishers: Means,
    pub(super) sources: Means,
    pub(super) failing: HashMap<Metric, usize>,
    pub(super) worst: BTreeSet<(i64, RecordId)>,
}

fn bin(total: f64) -> usize {
    ((total / BIN_WIDTH) as usize).min(BINS - 1)
}

/// Hundredths of a point, to order scores.
fn key(total: f64) -> i64 {
    (total * 100.0).round() as i64
}

impl Aggregates {
    pub(super) fn remove(&mut self, id: &RecordId) {
        let Some(old) = self.entries.remove(id) else {
            return;
        };
        self.total -= old.total;
        for (sum, points) in self.dimensions.iter_mut().zip(old.dimensions) {
            *sum -= points;
        }
        self.histogram[bin(old.total)] -= 1;
        if let Some(publisher) = &old.publisher {
            self.publishers.remove(publisher, old.total);
        }
        self.sources.remove(&old.source, old.total);
        for metric in &old.failing {
            if let Some(n) = self.failing.get_mut(metric) {
                *n -= 1;
            }
        }
        self.worst.remove(&(key(old.total), id.clone()));
    }

    pub(super) fn insert(&mut self, id: RecordId, entry: Entry) {
        self.remove(&id);
        self.total += entry.total;
        for (sum, points) in self.dimensions.iter_mut().zip(entry.dimensions) {
            *sum += points;
        }
        self.histogram[bin(entry.total)] += 1;
        if let Some(publisher) = &entry.publisher {
            self.publishers.add(publisher, entry.total);
        }
        self.sources.add(&entry.source, entry.total);
        for metric in &entry.failing {
            *self.failing.entry(*metric).or_default() += 1;
        }
        self.worst.insert((key(entry.total), id.clone()));
        self.entries.insert(id, entry);
    }
}
