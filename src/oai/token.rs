//! Resumption tokens: where a list stopped, as the feed's keyset cursor (the last key
//! listed), with the list's arguments, how many records came before, and an expiry.
//!
//! A token is text a harvester sends back unchanged: `v1,{prefix},{set},{from},{until},
//! {cursor key},{count},{expires}` and a checksum over all of it, so that a token edited
//! or cut short is `badResumptionToken` rather than a silently different list. The
//! checksum is not a secret signature: a token only says where to resume a public list.

use super::{ListArguments, MetadataFormat, OaiError};
use crate::store::FeedKey;
use sha2::{Digest, Sha256};

/// How long a token stays valid.
pub const LIFETIME_MS: i64 = 24 * 3600 * 1000;

/// A decoded resumption token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumptionToken {
    /// The list's arguments.
    pub arguments: ListArguments,
    /// The last key listed.
    pub after: FeedKey,
    /// How many records the earlier pages held (the response's `cursor`).
    pub cursor: u64,
    /// When it expires (ms).
    pub expires: i64,
}

fn checksum(payload: &str) -> String {
    let digest = Sha256::digest(format!("passerelle-oai-token:{payload}").as_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

fn optional(value: Option<i64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl ResumptionToken {
    /// The token's text.
    pub fn write(&self) -> String {
        let arguments = &self.arguments;
        let payload = format!(
            "v1,{},{},{},{},{},{},{}",
            arguments.format.prefix(),
            arguments.set.as_deref().unwrap_or(""),
            optional(arguments.from),
            optional(arguments.until),
            self.after.to_cursor(),
            self.cursor,
            self.expires,
        );
        format!("{payload},{}", checksum(&payload))
    }

    /// Reads a token a harvester sent back; `badResumptionToken` when it is not one of
    /// ours, was altered, or expired before `now`.
    pub fn read(text: &str, now: i64) -> Result<Self, OaiError> {
        let bad = |why: &str| OaiError::BadResumptionToken(why.to_owned());
        let (payload, sum) = text
            .rsplit_once(',')
            .ok_or_else(|| bad("not a token of ours"))?;
        if checksum(payload) != sum {
            return Err(bad("the token was altered or cut short"));
        }
        let parts: Vec<&str> = payload.split(',').collect();
        let ["v1", prefix, set, from, until, after, cursor, expires] = parts[..] else {
            return Err(bad("not a token of ours"));
        };
        let number = |v: &str| v.parse::<i64>().map_err(|_| bad("not a token of ours"));
        let maybe = |v: &str| {
            if v.is_empty() {
                Ok(None)
            } else {
                number(v).map(Some)
            }
        };
        let expires = number(expires)?;
        if expires < now {
            return Err(bad("the token expired; start the list again"));
        }
        Ok(Self {
            arguments: ListArguments {
                format: MetadataFormat::from_prefix(prefix)
                    .ok_or_else(|| bad("not a token of ours"))?,
                from: maybe(from)?,
                until: maybe(until)?,
                set: (!set.is_empty()).then(|| set.to_owned()),
            },
            after: FeedKey::from_cursor(after).ok_or_else(|| bad("not a token of ours"))?,
            cursor: cursor.parse().map_err(|_| bad("not a token of ours"))?,
            expires,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RecordId;

    fn token() -> ResumptionToken {
        ResumptionToken {
            arguments: ListArguments {
                format: MetadataFormat::DataCite,
                from: Some(1_700_000_000_000),
                until: None,
                set: Some("publisher:ecobio".into()),
            },
            after: FeedKey {
                modified: 1_710_000_000_123,
                id: RecordId::parse("amphibiens").unwrap_or_else(|e| panic!("{e}")),
            },
            cursor: 200,
            expires: 2_000_000_000_000,
        }
    }

    #[test]
    fn a_token_reads_back_as_written() {
        let written = token().write();
        assert_eq!(
            ResumptionToken::read(&written, 1_900_000_000_000),
            Ok(token())
        );
    }

    #[test]
    fn altered_cut_or_expired_tokens_are_refused() {
        let written = token().write();
        let altered = written.replacen(",200,", ",100,", 1);
        assert!(matches!(
            ResumptionToken::read(&altered, 0),
            Err(OaiError::BadResumptionToken(_))
        ));
        let cut = &written[..written.len() - 3];
        assert!(ResumptionToken::read(cut, 0).is_err());
        assert!(ResumptionToken::read("nonsense", 0).is_err());
        assert!(matches!(
            ResumptionToken::read(&written, 2_000_000_000_001),
            Err(OaiError::BadResumptionToken(why)) if why.contains("expired")
        ));
    }
}
