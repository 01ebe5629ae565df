//! What a write does to a record, decided from what the store holds and what the writer
//! asks: a pure function, so that every case of drafts, embargoes and revivals is a line
//! of a table test rather than an HTTP exchange.

use super::EditError;
use crate::access::Principal;
use crate::model::RecordId;
use crate::store::WriteKind;

/// A record's publication status, as a write's answer states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Visible to its editors and admins only.
    Draft,
    /// Visible to everyone.
    Published,
    /// Published, but hidden like a draft until its embargo ends.
    Embargoed,
}

impl Status {
    /// The word clients see (`"status"` of a write's answer).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Embargoed => "embargoed",
        }
    }
}

/// The status a writer may ask for (`?status=`); an embargo is asked with its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// Keep it (or make it) a draft.
    Draft,
    /// Make it public.
    Published,
}

impl Asked {
    /// `draft` or `published`; `None` for anything else.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "draft" => Some(Self::Draft),
            "published" => Some(Self::Published),
            _ => None,
        }
    }
}

/// What the writer asks besides the body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Request {
    /// `?status=`, if given.
    pub status: Option<Asked>,
    /// `?embargo=`, if given and still ahead (one already past publishes at once).
    pub embargo: Option<i64>,
}

/// What the store holds for the record a write is about, at the version the writer saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Existing {
    /// Nothing yet (a create).
    Nothing,
    /// A published record.
    Published {
        /// Its id.
        id: RecordId,
        /// The version the writer saw (`If-Match`).
        version: i64,
    },
    /// A draft, embargoed or not.
    Draft {
        /// Its id.
        id: RecordId,
        /// The version the writer saw (`If-Match`).
        version: i64,
        /// When its embargo ends, if it has one.
        embargo: Option<i64>,
    },
}

/// The write that `request` asks of `existing` by `who`, and the status it leaves.
///
/// A published record cannot be hidden again (DELETE withdraws it); an embargo is for
/// publishing, so a draft has none; a draft's new version keeps its embargo unless it is
/// made a plain draft; admins may bring a withdrawn dataset back, its history going on.
pub fn plan(
    existing: &Existing,
    request: Request,
    who: &Principal,
) -> Result<(WriteKind, Status), EditError> {
    let Request { status, embargo } = request;
    match existing {
        Existing::Nothing => match (status, embargo) {
            (Some(Asked::Draft), Some(_)) => Err(embargo_is_for_publishing()),
            (Some(Asked::Draft), None) => Ok((draft(None, None), Status::Draft)),
            (_, Some(until)) => Ok((draft(None, Some(until)), Status::Embargoed)),
            (_, None) => Ok((
                WriteKind::Create {
                    revive: who.is_admin(),
                },
                Status::Published,
            )),
        },
        Existing::Published { id, version } => match (status, embargo) {
            (Some(Asked::Draft), _) | (_, Some(_)) => Err(EditError::Conflict(
                "a published record cannot be hidden again (as a draft or under an embargo); DELETE withdraws it".into(),
            )),
            (_, None) => Ok((
                WriteKind::Replace {
                    id: id.clone(),
                    version: *version,
                },
                Status::Published,
            )),
        },
        Existing::Draft {
            id,
            version,
            embargo: kept,
        } => {
            let replacing = Some((id.clone(), *version));
            match (status, embargo) {
                (Some(Asked::Draft), Some(_)) => Err(embargo_is_for_publishing()),
                (_, Some(until)) => Ok((draft(replacing, Some(until)), Status::Embargoed)),
                (Some(Asked::Published), None) => Ok((
                    WriteKind::Publish {
                        id: id.clone(),
                        version: *version,
                    },
                    Status::Published,
                )),
                (Some(Asked::Draft), None) => Ok((draft(replacing, None), Status::Draft)),
                (None, None) => match kept {
                    Some(until) => Ok((draft(replacing, Some(*until)), Status::Embargoed)),
                    None => Ok((draft(replacing, None), Status::Draft)),
                },
            }
        }
    }
}

const fn draft(replacing: Option<(RecordId, i64)>, embargo: Option<i64>) -> WriteKind {
    WriteKind::Draft { replacing, embargo }
}

fn embargo_is_for_publishing() -> EditError {
    EditError::BadRequest("an embargo holds back a published record; a draft has none".into())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::access::Role;
    use std::collections::BTreeSet;

    fn editor() -> Principal {
        Principal {
            name: "editor".into(),
            role: Role::Editor {
                publishers: BTreeSet::from(["https://example.org/agency".to_owned()]),
            },
        }
    }

    fn id() -> RecordId {
        RecordId::parse("ds-1").unwrap()
    }

    const V: i64 = 1_700_000_000_000;
    const LATER: i64 = 1_900_000_000_000;
    const SOONER: i64 = 1_800_000_000_000;

    /// What each case must come to: the plan and status, or the error's kind.
    #[derive(Debug, PartialEq)]
    enum Outcome {
        Is(WriteKind, Status),
        Conflict,
        BadRequest,
    }

    fn run(
        existing: &Existing,
        status: Option<Asked>,
        embargo: Option<i64>,
        who: &Principal,
    ) -> Outcome {
        match plan(existing, Request { status, embargo }, who) {
            Ok((plan, status)) => Outcome::Is(plan, status),
            Err(EditError::Conflict(_)) => Outcome::Conflict,
            Err(EditError::BadRequest(_)) => Outcome::BadRequest,
            Err(other) => panic!("unexpected error {other}"),
        }
    }

    /// One case: its name, what exists, what is asked, by whom, and what must come of it.
    type Case<'a> = (
        &'a str,
        &'a Existing,
        Option<Asked>,
        Option<i64>,
        &'a Principal,
        Outcome,
    );

    #[test]
    fn every_case_of_status_embargo_and_writer() {
        use Asked::{Draft as D, Published as P};
        use Outcome::{BadRequest, Conflict, Is};
        let admin = Principal::bootstrap_admin();
        let editor = editor();
        let nothing = Existing::Nothing;
        let published = Existing::Published {
            id: id(),
            version: V,
        };
        let a_draft = Existing::Draft {
            id: id(),
            version: V,
            embargo: None,
        };
        let embargoed = Existing::Draft {
            id: id(),
            version: V,
            embargo: Some(LATER),
        };
        let replacing = Some((id(), V));
        let draft_plan = |embargo| WriteKind::Draft {
            replacing: replacing.clone(),
            embargo,
        };
        let new_draft = |embargo| WriteKind::Draft {
            replacing: None,
            embargo,
        };
        #[rustfmt::skip]
        let table: Vec<Case<'_>> = vec![
            // Creates: published by default; an admin's may revive a withdrawn dataset.
            ("create, admin", &nothing, None, None, &admin, Is(WriteKind::Create { revive: true }, Status::Published)),
            ("create, editor", &nothing, None, None, &editor, Is(WriteKind::Create { revive: false }, Status::Published)),
            ("create published", &nothing, Some(P), None, &editor, Is(WriteKind::Create { revive: false }, Status::Published)),
            ("create draft", &nothing, Some(D), None, &editor, Is(new_draft(None), Status::Draft)),
            ("create embargoed", &nothing, None, Some(LATER), &editor, Is(new_draft(Some(LATER)), Status::Embargoed)),
            ("create published, embargoed", &nothing, Some(P), Some(LATER), &admin, Is(new_draft(Some(LATER)), Status::Embargoed)),
            ("create draft with embargo", &nothing, Some(D), Some(LATER), &admin, BadRequest),
            // A published record stays published.
            ("replace published", &published, None, None, &editor, Is(WriteKind::Replace { id: id(), version: V }, Status::Published)),
            ("replace, asked published", &published, Some(P), None, &admin, Is(WriteKind::Replace { id: id(), version: V }, Status::Published)),
            ("published back to draft", &published, Some(D), None, &admin, Conflict),
            ("published under embargo", &published, None, Some(LATER), &admin, Conflict),
            ("published to draft with embargo", &published, Some(D), Some(LATER), &admin, Conflict),
            // Drafts: kept, published, embargoed.
            ("draft, new version", &a_draft, None, None, &editor, Is(draft_plan(None), Status::Draft)),
            ("draft, asked draft", &a_draft, Some(D), None, &editor, Is(draft_plan(None), Status::Draft)),
            ("draft published", &a_draft, Some(P), None, &editor, Is(WriteKind::Publish { id: id(), version: V }, Status::Published)),
            ("draft embargoed", &a_draft, None, Some(LATER), &editor, Is(draft_plan(Some(LATER)), Status::Embargoed)),
            ("draft published with embargo", &a_draft, Some(P), Some(LATER), &editor, Is(draft_plan(Some(LATER)), Status::Embargoed)),
            ("draft, draft with embargo", &a_draft, Some(D), Some(LATER), &editor, BadRequest),
            // An embargoed draft keeps its date unless it is made a plain draft or given another.
            ("embargoed, new version", &embargoed, None, None, &editor, Is(draft_plan(Some(LATER)), Status::Embargoed)),
            ("embargoed made plain draft", &embargoed, Some(D), None, &editor, Is(draft_plan(None), Status::Draft)),
            ("embargoed, new date", &embargoed, None, Some(SOONER), &editor, Is(draft_plan(Some(SOONER)), Status::Embargoed)),
            ("embargoed published now", &embargoed, Some(P), None, &admin, Is(WriteKind::Publish { id: id(), version: V }, Status::Published)),
        ];
        for (case, existing, status, embargo, who, expected) in table {
            assert_eq!(run(existing, status, embargo, who), expected, "{case}");
        }
    }

    #[test]
    fn only_plain_drafts_are_written_with_violations() {
        assert!(WriteKind::Create { revive: false }.blocks_on_violations());
        assert!(
            WriteKind::Publish {
                id: id(),
                version: V
            }
            .blocks_on_violations()
        );
        assert!(
            WriteKind::Draft {
                replacing: None,
                embargo: Some(LATER)
            }
            .blocks_on_violations()
        );
        assert!(
            !WriteKind::Draft {
                replacing: None,
                embargo: None
            }
            .blocks_on_violations()
        );
    }

    #[test]
    fn the_replaced_record_is_named_by_every_plan_but_a_new_one() {
        assert_eq!(WriteKind::Create { revive: true }.replaced(), None);
        assert_eq!(
            WriteKind::Draft {
                replacing: None,
                embargo: None
            }
            .replaced(),
            None
        );
        assert_eq!(
            WriteKind::Draft {
                replacing: Some((id(), V)),
                embargo: None
            }
            .replaced(),
            Some(&id())
        );
        assert_eq!(
            WriteKind::Replace {
                id: id(),
                version: V
            }
            .replaced(),
            Some(&id())
        );
    }
}
