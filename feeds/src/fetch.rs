//! Getting a feed's bytes: bundled data, local files and HTTP with care.
//!
//! HTTP requests have a total timeout and a connect timeout, a maximum body size checked while
//! the body streams in, conditional GET with the validators of the last success (ETag and
//! Last-Modified), and retries with exponential backoff on network errors, 5xx and 429 (honouring
//! Retry-After). Client errors (4xx other than 429) are not retried: asking again will not help.

use std::path::Path;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RETRY_AFTER};

use crate::source::Source;
use crate::{FeedError, bundled};

/// How HTTP fetching behaves.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_body: u64,
    pub retries: u32,
    pub backoff: Duration,
    /// The longest a Retry-After header may make Vigie wait before the next attempt.
    pub max_retry_after: Duration,
    pub user_agent: String,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body: 20 * 1024 * 1024,
            retries: 3,
            backoff: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(300),
            user_agent: concat!(
                "Vigie/",
                env!("CARGO_PKG_VERSION"),
                " (open-government lookout bot)"
            )
            .into(),
        }
    }
}

/// What the last successful fetch said about the document, for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// The outcome of one fetch.
#[derive(Debug)]
pub enum Fetched {
    /// The server answered 304: the last good data still stands.
    NotModified,
    Document {
        bytes: Vec<u8>,
        validators: Validators,
    },
}

/// Fetches documents; one per process, sharing its connection pool.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    settings: HttpSettings,
}

impl Fetcher {
    pub fn new(settings: HttpSettings) -> Result<Self, FeedError> {
        // reqwest is built without a bundled crypto provider; ring is ours. Installing twice is
        // harmless: the first one stays.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.connect_timeout)
            .user_agent(settings.user_agent.clone())
            .build()
            .map_err(|e| FeedError::Fetch(format!("the HTTP client cannot start: {e}")))?;
        Ok(Self { client, settings })
    }

    pub fn settings(&self) -> &HttpSettings {
        &self.settings
    }

    /// Fetches `source`, or the file `member` inside it when the source is a folder or a base URL
    /// (ParlGov's tables).
    pub async fn fetch(
        &self,
        source: &Source,
        member: Option<&str>,
        validators: &Validators,
    ) -> Result<Fetched, FeedError> {
        match source {
            Source::Bundled(name) => {
                let full = match member {
                    Some(m) => format!("{name}/{m}"),
                    None => name.clone(),
                };
                let bytes = bundled::file(&full)
                    .ok_or_else(|| FeedError::Fetch(format!("bundled:{full} does not exist")))?;
                Ok(Fetched::Document {
                    bytes: bytes.to_vec(),
                    validators: Validators::default(),
                })
            }
            Source::Path(path) => {
                let path = match member {
                    Some(m) => path.join(m),
                    None => path.clone(),
                };
                self.read_file(&path).await
            }
            Source::Url(url) => {
                let url = match member {
                    Some(m) => format!("{}/{m}", url.trim_end_matches('/')),
                    None => url.clone(),
                };
                self.get(&url, validators).await
            }
        }
    }

    async fn read_file(&self, path: &Path) -> Result<Fetched, FeedError> {
        let meta = tokio::fs::metadata(path)
            .await
            .map_err(|e| FeedError::Fetch(format!("{} cannot be read: {e}", path.display())))?;
        if meta.len() > self.settings.max_body {
            return Err(FeedError::TooLarge {
                limit: self.settings.max_body,
            });
        }
        let bytes = tokio::fs::read(path)
            .await
            .map_err(|e| FeedError::Fetch(format!("{} cannot be read: {e}", path.display())))?;
        Ok(Fetched::Document {
            bytes,
            validators: Validators::default(),
        })
    }

    async fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, FeedError> {
        let mut attempt = 0;
        loop {
            match self.get_once(url, validators).await {
                Ok(fetched) => return Ok(fetched),
                Err(Failure {
                    error,
                    retry: Some(after),
                }) if attempt < self.settings.retries => {
                    let backoff = self.settings.backoff.saturating_mul(1 << attempt.min(16));
                    let wait = after.unwrap_or(backoff).min(self.settings.max_retry_after);
                    tracing::debug!(url, attempt, ?wait, %error, "retrying feed");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(Failure { error, .. }) if attempt > 0 => {
                    return Err(FeedError::Fetch(format!(
                        "{error} (after {} attempts)",
                        attempt + 1
                    )));
                }
                Err(Failure { error, .. }) => return Err(error),
            }
        }
    }

    async fn get_once(&self, url: &str, validators: &Validators) -> Result<Fetched, Failure> {
        let mut request = self.client.get(url);
        if let Some(etag) = &validators.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            request = request.header(IF_MODIFIED_SINCE, lm);
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| Failure::transient(self.describe(url, &e)))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let error = FeedError::Fetch(format!("{url} answered HTTP {status}"));
            return Err(
                if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
                    Failure {
                        error,
                        retry: Some(retry_after),
                    }
                } else {
                    Failure { error, retry: None }
                },
            );
        }
        let limit = self.settings.max_body;
        if response.content_length().is_some_and(|len| len > limit) {
            return Err(Failure {
                error: FeedError::TooLarge { limit },
                retry: None,
            });
        }
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
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Failure::transient(self.describe(url, &e)))?
        {
            if bytes.len() as u64 + chunk.len() as u64 > limit {
                return Err(Failure {
                    error: FeedError::TooLarge { limit },
                    retry: None,
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Fetched::Document { bytes, validators })
    }

    fn describe(&self, url: &str, e: &reqwest::Error) -> FeedError {
        if e.is_timeout() {
            FeedError::Fetch(format!(
                "{url} did not answer within {}",
                humanize(self.settings.timeout)
            ))
        } else if e.is_connect() {
            FeedError::Fetch(format!("{url} cannot be reached: the connection failed"))
        } else {
            FeedError::Fetch(format!("{url} failed: {}", root_cause(e)))
        }
    }
}

struct Failure {
    error: FeedError,
    /// `Some` when another attempt may succeed, with the wait the server asked for, if any.
    retry: Option<Option<Duration>>,
}

impl Failure {
    fn transient(error: FeedError) -> Self {
        Self {
            error,
            retry: Some(None),
        }
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn humanize(d: Duration) -> String {
    if d.as_secs() > 0 && d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}
