//! Sessions of people signed in to the pages with their token.
//!
//! A session keeps the token's digest, never the token, and the principal is looked up
//! again from it on every request: revoking the token ends every session opened with it at
//! once. Sessions live in memory: a restart signs everyone out, which costs a person one
//! sign-in and spares the data directory a file of live credentials (docs/decisions.md).
//! The cookie carries a random key; the table is keyed by the key's digest, so that a
//! lookup's timing says nothing about the keys it holds.

use super::{AccessError, digest, random_hex};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Past this many open sessions, expired ones are swept before another opens; past twice
/// as many, the oldest go.
const SWEEP_AT: usize = 10_000;

/// One signed-in person's session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The digest of the token they signed in with.
    pub token: String,
    /// The secret every form of theirs carries (CSRF).
    pub csrf: String,
    /// When it ends, whatever they do.
    pub expires: Instant,
}

/// The value of a session cookie: 256 random bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionKey(pub String);

/// The open sessions of one server.
#[derive(Debug)]
pub struct Sessions {
    lifetime: Duration,
    open: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    /// No sessions yet; each lasts `lifetime` from sign-in.
    pub fn new(lifetime: Duration) -> Self {
        Self {
            lifetime,
            open: Mutex::new(HashMap::new()),
        }
    }

    /// How long a session lasts, for the cookie's `Max-Age`.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// Opens a session for the holder of the token whose digest is `token`.
    pub fn open(&self, token: String) -> Result<(SessionKey, Session), AccessError> {
        let key = random_hex()?;
        let session = Session {
            token,
            csrf: random_hex()?,
            expires: Instant::now() + self.lifetime,
        };
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.len() >= SWEEP_AT {
            let now = Instant::now();
            open.retain(|_, s| s.expires > now);
        }
        if open.len() >= 2 * SWEEP_AT {
            // Every session is young: the soonest to end go first.
            let mut ends: Vec<Instant> = open.values().map(|s| s.expires).collect();
            ends.sort_unstable();
            let cut = ends[ends.len() / 2];
            open.retain(|_, s| s.expires > cut);
        }
        open.insert(digest(&key), session.clone());
        Ok((SessionKey(key), session))
    }

    /// The live session of the cookie `key`; an expired one is forgotten.
    pub fn find(&self, key: &str) -> Option<Session> {
        let hash = digest(key);
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        match open.get(&hash) {
            Some(session) if session.expires > Instant::now() => Some(session.clone()),
            Some(_) => {
                open.remove(&hash);
                None
            }
            None => None,
        }
    }

    /// Ends the session of the cookie `key` (signing out).
    pub fn close(&self, key: &str) {
        let hash = digest(key);
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_found_until_it_ends_or_is_closed() -> Result<(), AccessError> {
        let sessions = Sessions::new(Duration::from_secs(60));
        let (key, session) = sessions.open("digest".into())?;
        assert_eq!(sessions.find(&key.0), Some(session.clone()));
        assert_eq!(sessions.find("another key"), None);
        sessions.close(&key.0);
        assert_eq!(sessions.find(&key.0), None);

        let brief = Sessions::new(Duration::ZERO);
        let (key, _) = brief.open("digest".into())?;
        assert_eq!(brief.find(&key.0), None, "an expired session is not found");
        Ok(())
    }

    #[test]
    fn keys_and_csrf_secrets_differ_between_sessions() -> Result<(), AccessError> {
        let sessions = Sessions::new(Duration::from_secs(60));
        let (a, first) = sessions.open("digest".into())?;
        let (b, second) = sessions.open("digest".into())?;
        assert_ne!(a, b);
        assert_ne!(first.csrf, second.csrf);
        assert_eq!(first.csrf.len(), 64);
        Ok(())
    }
}
