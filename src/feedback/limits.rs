//! How often one client address may post anonymously (comments, reports, reuses): a
//! sliding hour per address, in memory (a restart forgets, which only gives a spammer one
//! more hour's worth).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The window posts are counted over.
const WINDOW: Duration = Duration::from_secs(3600);
/// Past this many addresses, those with no post in the window are forgotten.
const SWEEP_AT: usize = 10_000;

/// Posts per address in the last hour.
#[derive(Debug)]
pub struct PostLimits {
    per_hour: usize,
    seen: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl PostLimits {
    /// At most `per_hour` posts per address per hour.
    pub fn new(per_hour: usize) -> Self {
        Self {
            per_hour,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a post from `address`: `Ok` if it may post, else how long until it may.
    pub fn admit(&self, address: IpAddr) -> Result<(), Duration> {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.len() >= SWEEP_AT {
            seen.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < WINDOW)
            });
        }
        let times = seen.entry(address).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            times.pop_front();
        }
        if times.len() >= self.per_hour {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(WINDOW.saturating_sub(now.duration_since(oldest)));
        }
        times.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_may_post_so_many_times_an_hour() {
        let limits = PostLimits::new(2);
        let one: IpAddr = [192, 0, 2, 1].into();
        let other: IpAddr = [192, 0, 2, 2].into();
        assert!(limits.admit(one).is_ok());
        assert!(limits.admit(one).is_ok());
        let wait = limits.admit(one).err();
        assert!(
            wait.is_some_and(|w| w > Duration::from_secs(3500)),
            "{wait:?}"
        );
        assert!(limits.admit(other).is_ok(), "others are not held back");
    }
}
