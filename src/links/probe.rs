//! One URL checked: `HEAD`, then a ranged `GET` where `HEAD` is refused or fails, through
//! the harvester's guarded client (no address inside our own network unless allowed, a
//! bounded number of redirects, a time limit).

use crate::harvest::fetch::{FetchError, FetchOptions, Fetcher, REFUSED, failure};

use crate::store::LinkCheck;
use reqwest::header::RANGE;

/// Checks URLs.
#[derive(Debug, Clone)]
pub struct Prober {
    fetcher: Fetcher,
}

/// What one request found.
enum Outcome {
    Answered(u16),
    Failed { message: String, timed_out: bool },
}

impl Prober {
    /// A prober that fetches as `options` say (time limit, private addresses, redirects).
    pub fn new(options: FetchOptions) -> Result<Self, FetchError> {
        Ok(Self {
            fetcher: Fetcher::new(options)?,
        })
    }

    /// The guarded fetcher, for the downloads of the data-standard checks.
    pub fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }

    /// The check of `url` now.
    pub async fn check(&self, url: &str) -> LinkCheck {
        let checked = time::OffsetDateTime::now_utc();
        let found = |method: &str, outcome: Outcome| {
            let (status, error) = match outcome {
                Outcome::Answered(status) => (Some(status), None),
                Outcome::Failed { message, .. } => (None, Some(message)),
            };
            LinkCheck {
                url: url.to_owned(),
                checked,
                method: method.to_owned(),
                status,
                error,
            }
        };
        let parsed = match reqwest::Url::parse(url) {
            Ok(parsed) => parsed,
            Err(e) => {
                let message = format!("not a URL: {e}");
                return found(
                    "HEAD",
                    Outcome::Failed {
                        message,
                        timed_out: false,
                    },
                );
            }
        };
        if let Some(reason) = self.fetcher.refusal_of(&parsed) {
            tracing::debug!(url, %reason, "link refused");
            let message = REFUSED.to_owned();
            return found(
                "HEAD",
                Outcome::Failed {
                    message,
                    timed_out: false,
                },
            );
        }
        let head = self.send(self.fetcher.client().head(parsed.clone())).await;
        match head {
            Outcome::Answered(status) if status < 400 => found("HEAD", head),
            // No second wait for a server that did not answer in time.
            Outcome::Failed {
                timed_out: true, ..
            } => found("HEAD", head),
            // Many servers refuse HEAD (405, 501, or 403/404 from a misconfigured
            // front): the first byte by GET says whether the file is there.
            _ => {
                let get = self.fetcher.client().get(parsed).header(RANGE, "bytes=0-0");
                found("GET", self.send(get).await)
            }
        }
    }

    /// Sends `request` and keeps only its status: the body is not read (dropping the
    /// answer closes the connection).
    async fn send(&self, request: reqwest::RequestBuilder) -> Outcome {
        match request.send().await {
            // A part of the file (206) is what a whole GET would answer 200 to.
            Ok(answer) if answer.status().as_u16() == 206 => Outcome::Answered(200),
            Ok(answer) => Outcome::Answered(answer.status().as_u16()),
            Err(e) if e.is_timeout() => Outcome::Failed {
                message: format!(
                    "no answer within {} s",
                    self.fetcher.timeout().as_secs_f64()
                ),
                timed_out: true,
            },
            Err(e) => Outcome::Failed {
                message: failure(&e).to_owned(),
                timed_out: false,
            },
        }
    }
}
