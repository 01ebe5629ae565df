//! Who may write: API tokens with roles, kept hashed in `{data_dir}/tokens.json`.
//!
//! Tokens live in a small file rather than in the store so that `passerelle token create`
//! works while a server holds the store's lock; the server rereads the file when it
//! changes. Only SHA-256 digests are kept: tokens are 256 random bits, so a slow password
//! hash would add nothing.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

mod sessions;
pub use sessions::{Session, SessionKey, Sessions};

/// The file, in the data directory, that holds the hashed tokens.
pub const TOKENS_FILE: &str = "tokens.json";

/// What a token allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub enum Role {
    /// Every record, SPARQL Update, tokens.
    Admin,
    /// Records whose publisher is one of these agent IRIs, and nothing else.
    Editor {
        /// The publishers' IRIs; never empty.
        publishers: BTreeSet<String>,
    },
}

/// Someone who presented a valid token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The token's name, recorded in a record's history.
    pub name: String,
    /// What it may do.
    pub role: Role,
}

impl Principal {
    /// The bootstrap administrator of `PASSERELLE_ADMIN_TOKEN`.
    pub fn bootstrap_admin() -> Self {
        Self {
            name: "admin".into(),
            role: Role::Admin,
        }
    }

    /// Whether it may do anything.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether it may write a record published by all of `publishers` (an editor needs
    /// every one of them to be theirs, and at least one).
    pub fn may_write_for<'a>(&self, mut publishers: impl Iterator<Item = &'a str>) -> bool {
        match &self.role {
            Role::Admin => true,
            Role::Editor { publishers: own } => {
                let mut any = false;
                let all = publishers.all(|p| {
                    any = true;
                    own.contains(p)
                });
                any && all
            }
        }
    }
}

/// One token as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredToken {
    name: String,
    /// SHA-256 of the token, in hex.
    hash: String,
    #[serde(flatten)]
    role: Role,
    /// When it was created (RFC 3339).
    created: String,
    /// When it stops being valid (RFC 3339), if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires: Option<String>,
}

impl StoredToken {
    /// Whether it has expired at `now`.
    fn expired(&self, now: time::OffsetDateTime) -> bool {
        self.expires.as_deref().is_some_and(|at| {
            time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
                .map_or(true, |at| at <= now)
        })
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct TokenFile {
    tokens: Vec<StoredToken>,
}

/// A token as listed by `passerelle token list`: never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// Its name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// When it was created.
    pub created: String,
    /// When it stops being valid, if it does.
    pub expires: Option<String>,
}

/// Why a token operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// The tokens file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The tokens file is not what we wrote.
    #[error("{path} is not a valid tokens file: {message}")]
    Corrupt {
        /// The file.
        path: String,
        /// The parser's message.
        message: String,
    },
    /// A token with this name exists.
    #[error("a token named {0:?} exists already")]
    Duplicate(String),
    /// No token with this name.
    #[error("no token named {0:?}")]
    Unknown(String),
    /// An editor without publishers, or a name that cannot be used.
    #[error("{0}")]
    Invalid(String),
    /// The system's random source failed.
    #[error("no randomness available: {0}")]
    Random(String),
}

/// A file's modification time and length: a change of either means rereading it.
type FileStamp = (SystemTime, u64);

/// The tokens of one data directory.
#[derive(Debug)]
pub struct Tokens {
    path: PathBuf,
    /// The file as last read, with its modification time and length (a revocation within
    /// the clock's resolution still changes the length).
    cached: Mutex<Option<(FileStamp, Vec<StoredToken>)>>,
}

impl Tokens {
    /// The tokens of `data_dir` (the file need not exist).
    pub fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(TOKENS_FILE),
            cached: Mutex::new(None),
        }
    }

    /// Creates a token, valid until `expires` if given, and returns its secret, shown once.
    pub fn create(
        &self,
        name: &str,
        role: Role,
        expires: Option<time::OffsetDateTime>,
    ) -> Result<String, AccessError> {
        let rfc3339 = |t: time::OffsetDateTime| {
            t.format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default()
        };
        if expires.is_some_and(|at| at <= time::OffsetDateTime::now_utc()) {
            return Err(AccessError::Invalid(
                "a token's expiry must be in the future".into(),
            ));
        }
        if name.trim().is_empty() {
            return Err(AccessError::Invalid("a token needs a name".into()));
        }
        if let Role::Editor { publishers } = &role
            && publishers.is_empty()
        {
            return Err(AccessError::Invalid(
                "an editor token needs at least one --publisher".into(),
            ));
        }
        let mut file = self.read_file()?;
        if file.tokens.iter().any(|t| t.name == name) {
            return Err(AccessError::Duplicate(name.to_owned()));
        }
        let token = format!("psl_{}", random_hex()?);
        file.tokens.push(StoredToken {
            name: name.to_owned(),
            hash: digest(&token),
            role,
            created: rfc3339(time::OffsetDateTime::now_utc()),
            expires: expires.map(rfc3339),
        });
        self.write_file(&file)?;
        Ok(token)
    }

    /// Removes the token called `name`.
    pub fn revoke(&self, name: &str) -> Result<(), AccessError> {
        let mut file = self.read_file()?;
        let before = file.tokens.len();
        file.tokens.retain(|t| t.name != name);
        if file.tokens.len() == before {
            return Err(AccessError::Unknown(name.to_owned()));
        }
        self.write_file(&file)
    }

    /// Every token, without secrets.
    pub fn list(&self) -> Result<Vec<TokenInfo>, AccessError> {
        Ok(self
            .read_file()?
            .tokens
            .into_iter()
            .map(|t| TokenInfo {
                name: t.name,
                role: t.role,
                created: t.created,
                expires: t.expires,
            })
            .collect())
    }

    /// Who holds `token`, if anyone; rereads the file when it changed.
    pub fn authenticate(&self, token: &str) -> Result<Option<Principal>, AccessError> {
        self.holder(&digest(token))
    }

    /// When `token` expired, if it is a token of ours that has: what a refusal tells its
    /// holder (a token nobody holds, or revoked, is told nothing more).
    pub fn expiry_of(&self, token: &str) -> Result<Option<String>, AccessError> {
        let hash = digest(token);
        let now = time::OffsetDateTime::now_utc();
        Ok(self
            .read_file()?
            .tokens
            .into_iter()
            .find(|t| same_secret(t.hash.as_bytes(), hash.as_bytes()))
            .filter(|t| t.expired(now))
            .and_then(|t| t.expires))
    }

    /// Who holds the token whose digest is `hash`, if it has not expired (a session keeps
    /// the digest, never the token, and asks again on every request so that revoking the
    /// token, or its expiry, ends it).
    pub fn holder(&self, hash: &str) -> Result<Option<Principal>, AccessError> {
        let modified = match fs::metadata(&self.path) {
            Ok(meta) => meta.modified().ok().map(|m| (m, meta.len())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(self.io(source)),
        };
        let mut cached = self
            .cached
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let fresh = matches!((&*cached, modified), (Some((at, _)), Some(m)) if *at == m);
        if !fresh {
            let tokens = self.read_file()?.tokens;
            *cached = modified.map(|m| (m, tokens.clone()));
            return Ok(find(&tokens, hash));
        }
        Ok(cached.as_ref().and_then(|(_, tokens)| find(tokens, hash)))
    }

    fn read_file(&self) -> Result<TokenFile, AccessError> {
        match fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| AccessError::Corrupt {
                path: self.path.display().to_string(),
                message: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(TokenFile::default()),
            Err(source) => Err(self.io(source)),
        }
    }

    /// Writes beside the file and renames, so a reader never sees half a file; readable
    /// by the owner only.
    fn write_file(&self, file: &TokenFile) -> Result<(), AccessError> {
        let temporary = self.path.with_extension("json.tmp");
        let bytes = serde_json::to_vec_pretty(file).map_err(|e| AccessError::Corrupt {
            path: self.path.display().to_string(),
            message: e.to_string(),
        })?;
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir).map_err(|e| self.io(e))?;
        }
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(&temporary).map_err(|e| self.io(e))?;
        out.write_all(&bytes)
            .and_then(|()| out.sync_all())
            .map_err(|e| self.io(e))?;
        fs::rename(&temporary, &self.path).map_err(|e| self.io(e))
    }

    fn io(&self, source: std::io::Error) -> AccessError {
        AccessError::Io {
            path: self.path.display().to_string(),
            source,
        }
    }
}

fn find(tokens: &[StoredToken], hash: &str) -> Option<Principal> {
    let now = time::OffsetDateTime::now_utc();
    tokens
        .iter()
        .find(|t| same_secret(t.hash.as_bytes(), hash.as_bytes()))
        .filter(|t| !t.expired(now))
        .map(|t| Principal {
            name: t.name.clone(),
            role: t.role.clone(),
        })
}

/// 256 random bits in hex: a token's secret, a session's key, a form's CSRF token.
pub fn random_hex() -> Result<String, AccessError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| AccessError::Random(e.to_string()))?;
    Ok(secret.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares without stopping at the first difference.
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The SHA-256 of a token, in hex: what is kept of it.
pub fn digest(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor_of(publishers: &[&str]) -> Role {
        Role::Editor {
            publishers: publishers.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    #[test]
    fn tokens_stop_at_their_expiry_and_say_when() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let tokens = Tokens::new(dir.path());
        let past = time::OffsetDateTime::now_utc() - time::Duration::MINUTE;
        assert!(matches!(
            tokens.create("late", Role::Admin, Some(past)),
            Err(AccessError::Invalid(_))
        ));
        let soon = time::OffsetDateTime::now_utc() + time::Duration::milliseconds(300);
        let secret = tokens.create("brief", Role::Admin, Some(soon))?;
        assert!(tokens.authenticate(&secret)?.is_some());
        assert_eq!(tokens.expiry_of(&secret)?, None, "not expired yet");
        std::thread::sleep(std::time::Duration::from_millis(400));
        assert_eq!(tokens.authenticate(&secret)?, None);
        let said = tokens.expiry_of(&secret)?.unwrap_or_default();
        assert!(said.starts_with(&soon.year().to_string()), "{said}");
        assert_eq!(tokens.expiry_of("psl_nobody")?, None);
        let listed = tokens.list()?;
        assert!(listed[0].expires.is_some());
        Ok(())
    }

    #[test]
    fn created_tokens_authenticate_until_revoked_and_only_hashes_are_kept() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let tokens = Tokens::new(dir.path());
        let secret = tokens.create("alice", editor_of(&["http://ex.org/a"]), None)?;
        let file = fs::read_to_string(dir.path().join(TOKENS_FILE))?;
        assert!(
            !file.contains(&secret),
            "the secret itself must not be stored"
        );
        let alice = tokens.authenticate(&secret)?;
        assert_eq!(alice.map(|p| p.name), Some("alice".to_owned()));
        assert_eq!(tokens.authenticate("psl_wrong")?, None);
        assert!(matches!(
            tokens.create("alice", Role::Admin, None),
            Err(AccessError::Duplicate(_))
        ));
        tokens.revoke("alice")?;
        assert_eq!(tokens.authenticate(&secret)?, None);
        Ok(())
    }

    #[test]
    fn editors_write_only_for_their_own_publishers() {
        let editor = Principal {
            name: "e".into(),
            role: editor_of(&["http://ex.org/a", "http://ex.org/b"]),
        };
        assert!(editor.may_write_for(["http://ex.org/a"].into_iter()));
        assert!(!editor.may_write_for(["http://ex.org/a", "http://ex.org/c"].into_iter()));
        assert!(!editor.may_write_for(std::iter::empty()));
        assert!(Principal::bootstrap_admin().may_write_for(std::iter::empty()));
    }

    #[test]
    fn an_editor_needs_a_publisher() {
        let dir = tempfile::tempdir().ok();
        let tokens = Tokens::new(dir.as_ref().map_or(Path::new("."), |d| d.path()));
        assert!(matches!(
            tokens.create("e", editor_of(&[]), None),
            Err(AccessError::Invalid(_))
        ));
    }
}
