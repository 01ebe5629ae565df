//! Fetching feed pages over HTTP: bounded in time, size and redirects, gzip-aware,
//! conditional (`ETag`, `Last-Modified`), and never towards our own network unless the
//! configuration allows it.
//!
//! Server-side request forgery: a harvest source is a URL someone typed, so a source (or a
//! redirect, or a DNS name) pointing at `127.0.0.1`, `10.…`, `169.254.169.254` would make
//! the server fetch from inside its own network. Every address is checked where it is
//! used: in the DNS resolver (so a name that resolves inside is refused, whatever the
//! redirect chain) and for IP literals before each request and each redirect.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// How pages are fetched.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// For the whole request, body included.
    pub timeout: Duration,
    /// The largest body read; past it, the page fails.
    pub max_bytes: usize,
    /// Redirects followed per page.
    pub max_redirects: usize,
    /// Whether loopback, private and link-local addresses may be fetched
    /// (`PASSERELLE_HARVEST_ALLOW_PRIVATE=true`; tests harvest from loopback).
    pub allow_private: bool,
    /// Sent with every request, so that portals know who harvests them.
    pub user_agent: String,
    /// What a page may ask of the parsers: a hostile feed must fail its page, not take
    /// the server down.
    pub limits: crate::limits::Limits,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(60),
            max_bytes: 64 * 1024 * 1024,
            max_redirects: 5,
            allow_private: false,
            user_agent: format!("Passerelle/{} (DCAT harvester)", env!("CARGO_PKG_VERSION")),
            limits: crate::limits::Limits::default(),
        }
    }
}

/// Why a page could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not an `http`/`https` URL, or one towards our own network.
    #[error("{url} is refused: {reason}")]
    Refused {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The body is larger than allowed.
    #[error("{url} answered more than {limit} bytes")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// The server answered an error status.
    #[error("{url} answered {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status.
        status: u16,
    },
    /// Connection, TLS, timeout, redirect loop...
    #[error("{url} could not be fetched: {message}")]
    Network {
        /// The URL.
        url: String,
        /// What went wrong, with its causes.
        message: String,
    },
}

/// A page as fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The URL after redirects: relative IRIs of the page resolve against it.
    pub url: String,
    /// `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The body, decompressed (empty when not modified).
    pub body: Vec<u8>,
    /// `ETag` and `Last-Modified`, for the next conditional fetch.
    pub validators: Validators,
    /// The server said `304 Not Modified` to our validators.
    pub not_modified: bool,
}

/// What a conditional GET sends back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
}

/// An HTTP client for feeds.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    options: FetchOptions,
}

impl Fetcher {
    /// What a fetched page may ask of the parsers.
    pub fn limits(&self) -> &crate::limits::Limits {
        &self.options.limits
    }

    /// The guarded client (addresses, redirects, time, user agent), for requests other
    /// than feed pages: the link checker's.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Why `url` may not be fetched (scheme, address inside), if it may not.
    pub fn refusal_of(&self, url: &reqwest::Url) -> Option<String> {
        refusal(url, self.options.allow_private)
    }

    /// How long a request may take.
    pub fn timeout(&self) -> Duration {
        self.options.timeout
    }

    /// A client with `options`.
    pub fn new(options: FetchOptions) -> Result<Self, FetchError> {
        // reqwest is built without a default crypto provider; ring is ours.
        let _already = rustls::crypto::ring::default_provider().install_default();
        let allow_private = options.allow_private;
        let max_redirects = options.max_redirects;
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= max_redirects {
                let limit = format!("more than {max_redirects} redirects");
                return attempt.error(limit);
            }
            match refusal(attempt.url(), allow_private) {
                Some(reason) => attempt.error(reason),
                None => attempt.follow(),
            }
        });
        let client = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(15)))
            .redirect(redirects)
            .user_agent(options.user_agent.clone())
            .gzip(true)
            .dns_resolver(Arc::new(GuardedResolver { allow_private }))
            // A proxy would resolve names itself, past the guarded resolver.
            .no_proxy()
            .build()
            .map_err(|e| FetchError::Network {
                url: String::new(),
                message: chain(&e),
            })?;
        Ok(Self { client, options })
    }

    /// GETs `url` with `Accept` for RDF, conditionally if `validators` are given.
    pub async fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let parsed = reqwest::Url::parse(url).map_err(|e| FetchError::Refused {
            url: url.to_owned(),
            reason: e.to_string(),
        })?;
        if let Some(reason) = refusal(&parsed, self.options.allow_private) {
            return Err(FetchError::Refused {
                url: url.to_owned(),
                reason,
            });
        }
        let request = self.request(parsed, validators);
        let mut response = request.send().await.map_err(network(url))?;
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let validators = Validators {
            etag: header(ETAG),
            last_modified: header(LAST_MODIFIED),
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let final_url = response.url().to_string();
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Fetched {
                url: final_url,
                content_type,
                body: Vec::new(),
                validators,
                not_modified: true,
            });
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.to_owned(),
                status: status.as_u16(),
            });
        }
        let body = self.bounded_body(&mut response, url).await?;
        Ok(Fetched {
            url: final_url,
            content_type,
            body,
            validators,
            not_modified: false,
        })
    }

    /// A GET of `url` asking for RDF, conditional on `validators`.
    fn request(&self, url: reqwest::Url, validators: &Validators) -> reqwest::RequestBuilder {
        let mut request = self.client.get(url).header(
            reqwest::header::ACCEPT,
            "application/rdf+xml, text/turtle;q=0.9, application/ld+json;q=0.9, application/n-triples;q=0.8, application/xml;q=0.5, */*;q=0.1",
        );
        if let Some(etag) = &validators.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(since) = &validators.last_modified {
            request = request.header(IF_MODIFIED_SINCE, since);
        }
        request
    }

    /// The body of `response`, refused past `max_bytes` whether or not it said its length.
    async fn bounded_body(
        &self,
        response: &mut reqwest::Response,
        url: &str,
    ) -> Result<Vec<u8>, FetchError> {
        let limit = self.options.max_bytes;
        let too_large = || FetchError::TooLarge {
            url: url.to_owned(),
            limit,
        };
        if response
            .content_length()
            .is_some_and(|length| length > limit as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(network(url))? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// A network failure while fetching `url`, with its causes.
fn network(url: &str) -> impl Fn(reqwest::Error) -> FetchError + '_ {
    move |e| FetchError::Network {
        url: url.to_owned(),
        message: chain(&e),
    }
}

/// Why `url` may not be fetched, if it may not: a scheme other than `http(s)`, or an IP
/// literal inside our own network (names are checked when resolved).
fn refusal(url: &reqwest::Url, allow_private: bool) -> Option<String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Some(format!(
            "only http and https are harvested, not {}",
            url.scheme()
        ));
    }
    let host = url.host_str()?;
    let ip: IpAddr = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()?;
    (!allow_private && is_internal(ip)).then(|| internal_reason(ip))
}

fn internal_reason(ip: IpAddr) -> String {
    format!(
        "{ip} is a loopback, private or link-local address (PASSERELLE_HARVEST_ALLOW_PRIVATE=true allows them)"
    )
}

/// Whether `ip` is inside: loopback, private, link-local, shared (CGNAT), unspecified,
/// broadcast, multicast, or an IPv6 form of one of those.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || (a == 100 && (64..128).contains(&b))
                || a == 0
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            let segments = v6.segments();
            let embedded = |high: u16, low: u16| {
                let [a, b] = high.to_be_bytes();
                let [c, d] = low.to_be_bytes();
                is_internal(IpAddr::V4(std::net::Ipv4Addr::new(a, b, c, d)))
            };
            // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address.
            if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return embedded(segments[6], segments[7]);
            }
            if segments[0] == 0x2002 {
                return embedded(segments[1], segments[2]);
            }
            let first = segments[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// The system resolver, keeping only addresses we may fetch.
struct GuardedResolver {
    allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| allow_private || !is_internal(a.ip()))
                .collect();
            if allowed.is_empty() {
                let reason = found.first().map_or_else(
                    || format!("{host} does not resolve"),
                    |a| internal_reason(a.ip()),
                );
                return Err(reason.into());
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// What a refused address is said to be: never which address a name resolved to, which
/// would tell anyone who can publish a URL what our internal names resolve to.
pub const REFUSED: &str =
    "refused: not an http(s) address, or one inside our network (loopback, private, link-local)";

/// Why a request got no answer, in words safe to publish (the details go to the log).
pub fn failure(error: &reqwest::Error) -> &'static str {
    let text = chain(error);
    tracing::debug!(error = %text, "no answer");
    if text.contains("loopback, private or link-local") {
        REFUSED
    } else if text.contains("does not resolve") || text.contains("dns error") {
        "the host name does not resolve"
    } else if error.is_timeout() {
        "no answer in time"
    } else if error.is_redirect() {
        "too many redirects, or a redirect to a refused address"
    } else if error.is_connect() {
        "the connection failed"
    } else {
        "the request failed"
    }
}

/// An error and its causes, one after the other.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_inside_are_recognised() {
        for inside in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::1",
        ] {
            let ip: IpAddr = inside.parse().unwrap_or_else(|e| panic!("{inside}: {e}"));
            assert!(is_internal(ip), "{inside}");
        }
        for outside in [
            "93.184.216.34",
            "2606:2800:220:1::1",
            "8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            let ip: IpAddr = outside.parse().unwrap_or_else(|e| panic!("{outside}: {e}"));
            assert!(!is_internal(ip), "{outside}");
        }
    }

    #[test]
    fn only_http_and_public_literals_pass_the_url_check() {
        let check = |url: &str, allow| {
            refusal(
                &reqwest::Url::parse(url).unwrap_or_else(|e| panic!("{e}")),
                allow,
            )
        };
        assert!(check("file:///etc/passwd", true).is_some());
        assert!(check("http://127.0.0.1:8080/catalog", false).is_some());
        assert!(check("http://[::1]/catalog", false).is_some());
        assert!(check("http://127.0.0.1:8080/catalog", true).is_none());
        assert!(check("https://data.example.org/catalog", false).is_none());
    }
}
