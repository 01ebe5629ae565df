//! A round of checks: many URLs at once, but politely — at most `concurrency` requests in
//! flight, one at a time towards each host, with a pause between two requests to the same
//! host, so that checking a catalog of one portal's files does not hammer that portal.

use super::probe::Prober;
use crate::store::LinkCheck;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// How a round treats the hosts it checks.
#[derive(Debug, Clone, Copy)]
pub struct Politeness {
    /// Requests in flight at most, over all hosts.
    pub concurrency: usize,
    /// The pause between two requests to one host.
    pub delay: Duration,
}

impl Default for Politeness {
    fn default() -> Self {
        Self {
            concurrency: 8,
            delay: Duration::from_secs(1),
        }
    }
}

/// The host (with its port) `url` is fetched from, to group the requests by host; an
/// unparsable URL is its own group (it fails at once).
fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
        })
        .unwrap_or_else(|| url.to_owned())
}

/// Checks each of `urls` (without repeats), telling `progress` of each one done (how many
/// done, out of how many), and gives every check.
pub async fn check(
    prober: &Prober,
    urls: Vec<String>,
    politeness: Politeness,
    mut progress: impl FnMut(usize, usize),
) -> Vec<LinkCheck> {
    let mut by_host: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for url in urls {
        by_host.entry(host_of(&url)).or_default().push(url);
    }
    for urls in by_host.values_mut() {
        urls.sort();
        urls.dedup();
    }
    let total: usize = by_host.values().map(Vec::len).sum();
    let permits = Arc::new(tokio::sync::Semaphore::new(politeness.concurrency.max(1)));
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    let mut tasks = tokio::task::JoinSet::new();
    for (_, urls) in by_host {
        let (prober, permits, sender) = (prober.clone(), permits.clone(), sender.clone());
        tasks.spawn(async move {
            for (n, url) in urls.iter().enumerate() {
                if n > 0 {
                    tokio::time::sleep(politeness.delay).await;
                }
                let Ok(_permit) = permits.acquire().await else {
                    return;
                };
                if sender.send(prober.check(url).await).is_err() {
                    return;
                }
            }
        });
    }
    drop(sender);
    let mut checks = Vec::with_capacity(total);
    while let Some(check) = receiver.recv().await {
        checks.push(check);
        progress(checks.len(), total);
    }
    while tasks.join_next().await.is_some() {}
    checks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_group_by_name_and_port() {
        assert_eq!(host_of("https://a.example.org/x.csv"), "a.example.org:443");
        assert_eq!(host_of("http://a.example.org/y"), "a.example.org:80");
        assert_eq!(host_of("http://127.0.0.1:8081/y"), "127.0.0.1:8081");
        assert_eq!(host_of("not a url"), "not a url");
    }
}
