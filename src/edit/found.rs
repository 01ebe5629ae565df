//! The record a change is about, as the writer may see it, and the version it changes.

use super::EditError;
use super::plan::Existing;
use crate::access::Principal;
use crate::model::{RecordId, RecordKind};
use crate::store::Records;
use crate::store::{CatalogStore, CurrentRecord, RecordState};

/// A record found for a change.
#[derive(Clone, Debug)]
pub struct Found {
    /// Its id.
    pub id: RecordId,
    /// Its topic, version and owners.
    pub current: CurrentRecord,
    /// Whether it is a draft (in the private store).
    pub draft: bool,
    /// When an embargoed draft is due.
    pub embargo: Option<i64>,
}

impl Found {
    /// What the store holds, for [`super::plan`], at `version` (the one the writer saw).
    pub fn existing(&self, version: i64) -> Existing {
        let id = self.id.clone();
        if self.draft {
            Existing::Draft {
                id,
                version,
                embargo: self.embargo,
            }
        } else {
            Existing::Published { id, version }
        }
    }
}

/// The record `id` of `kind`: not found when there is none (or it is a draft `who` may not
/// see), gone when it was withdrawn.
pub fn find(
    store: &CatalogStore,
    who: &Principal,
    kind: RecordKind,
    id: &str,
) -> Result<Found, EditError> {
    let not_found = || EditError::NotFound {
        kind: kind.resource_kind().label(),
        id: id.to_owned(),
    };
    let id = RecordId::parse(id).map_err(|_| not_found())?;
    match store.record_state(kind, &id)? {
        RecordState::Live(current) => Ok(Found {
            id,
            current,
            draft: false,
            embargo: None,
        }),
        RecordState::Withdrawn => Err(EditError::Gone {
            kind: kind.resource_kind().label(),
            id: id.as_str().to_owned(),
        }),
        RecordState::Missing => match store.draft(kind, &id)? {
            Some((current, _)) if owns(who, &current.owners) => {
                let embargo = store.embargo_of(&id)?;
                Ok(Found {
                    id,
                    current,
                    draft: true,
                    embargo,
                })
            }
            _ => Err(not_found()),
        },
    }
}

/// [`find`], if `who` may write it; refused otherwise. The ownership is checked before
/// anything else is said of the record, so that nobody else learns more of it than that.
pub fn find_own(
    store: &CatalogStore,
    who: &Principal,
    kind: RecordKind,
    id: &str,
) -> Result<Found, EditError> {
    let found = find(store, who, kind, id)?;
    if owns(who, &found.current.owners) {
        Ok(found)
    } else {
        Err(refused(who, kind))
    }
}

/// Whether `who` may write records that `owners` own.
pub fn owns(who: &Principal, owners: &[String]) -> bool {
    who.may_write_for(owners.iter().map(String::as_str))
}

/// The refusal of a write of a `kind` record by `who`.
pub fn refused(who: &Principal, kind: RecordKind) -> EditError {
    EditError::Refused {
        token: who.name.clone(),
        kind: kind.resource_kind().label(),
    }
}

/// The version `if_match` (an `If-Match` header) names: required, and `current`'s.
///
/// Every representation of a record carries an ETag `"v{version}-{hash}"`; any of them
/// (or the `"v{version}"` a write answers) stands for that version of the record.
pub fn checked_version(if_match: Option<&str>, current: &CurrentRecord) -> Result<i64, EditError> {
    let given = if_match.ok_or(EditError::VersionRequired)?;
    let matches = given
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || version_of(tag) == Some(current.version));
    if matches {
        Ok(current.version)
    } else {
        Err(EditError::VersionStale {
            given: given.to_owned(),
        })
    }
}

/// The record version in one of our entity tags (strong only: a weak tag cannot guard a
/// write, RFC 9110 §13.1.1).
fn version_of(tag: &str) -> Option<i64> {
    let inner = tag.strip_prefix('"')?.strip_suffix('"')?;
    let digits = inner.strip_prefix('v')?;
    let digits = digits.split_once('-').map_or(digits, |(v, _)| v);
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::version_of;

    #[test]
    fn versions_are_read_from_our_strong_tags_only() {
        assert_eq!(
            version_of("\"v1700000000123-abcdef\""),
            Some(1_700_000_000_123)
        );
        assert_eq!(version_of("\"v42\""), Some(42));
        assert_eq!(version_of("W/\"v42\""), None);
        assert_eq!(version_of("\"abcdef\""), None);
        assert_eq!(version_of("v42"), None);
    }
}
