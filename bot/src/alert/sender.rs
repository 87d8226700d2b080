//! Senders: the loop that takes messages out of the outbox and hands them to a platform.
//!
//! A sender leases a batch of its platform's due messages ([`Store::lease_outbox`]), delivers
//! them — receivers in parallel, each receiver's messages in order and at most one a
//! [`SenderSettings::pace`] — and marks each sent, to retry (with exponential backoff, never
//! sooner than the platform asked) or failed. A sender that dies leaves its leases to expire and
//! the messages come back: delivery is at least once from the database's view; platforms make it
//! exactly once for people (Matrix sends with the transaction id `vigie-outbox-<id>`, so a second
//! attempt of the same message is the same event).
//!
//! Only one replica delivers a platform's messages: [`deliver_loop`] runs while this instance
//! holds the lead `outbox:<platform>` (see [`super::lead`]). Messages given up are logged here;
//! the alert step reports them once to the configured admin receivers.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use vigie_storage::{OutboxRow, Store};

use super::lead::{Lead, pause};

/// What became of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Delivered; with the platform's id of the message (a Matrix event id), if it has one.
    Sent(Option<String>),
    /// Not delivered for a passing reason (rate limit, network): try again, not before `after`.
    Retry { after: Duration, error: String },
    /// Never deliverable (refused, no such room): given up, and reported to admins.
    Failed(String),
}

/// How a sender works; [`SenderSettings::default`] is what `vigie run` uses.
#[derive(Debug, Clone)]
pub struct SenderSettings {
    /// How long a leased message is this sender's alone.
    pub lease: Duration,
    /// How many messages one lease takes.
    pub batch: u32,
    /// The least time between two messages to the same receiver.
    pub pace: Duration,
    /// How long to wait when nothing is due.
    pub poll: Duration,
    /// The first wait before a retry; it doubles with each attempt, up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// A message still undelivered after this many attempts is given up.
    pub max_attempts: u32,
    /// Whether to deliver only while holding the lead `outbox:<platform>` (one replica).
    pub lead: bool,
}

impl Default for SenderSettings {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(60),
            batch: 20,
            pace: Duration::from_secs(1),
            poll: Duration::from_secs(1),
            backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(3600),
            max_attempts: 25,
            lead: true,
        }
    }
}

/// Delivers `platform`'s outbox messages with `deliver` until `cancel`, as `owner` (a name for
/// this sender that is unique among replicas, such as `matrix@host:pid`), while this instance
/// leads `outbox:<platform>`. Never returns an error: storage failures are logged and retried.
///
/// `deliver` gets each message once per attempt and says what became of it; it should not take
/// longer than the lease (60 s). Example, for Matrix:
/// `deliver_loop(store, "matrix", owner, move |row| send(client.clone(), row), cancel)`.
pub async fn deliver_loop<F, Fut>(
    store: Store,
    platform: &'static str,
    owner: String,
    deliver: F,
    cancel: CancellationToken,
) where
    F: Fn(OutboxRow) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Delivery> + Send + 'static,
{
    deliver_loop_with(store, platform, owner, deliver, SenderSettings::default(), cancel).await;
}

/// [`deliver_loop`] with its settings given.
pub async fn deliver_loop_with<F, Fut>(
    store: Store,
    platform: &'static str,
    owner: String,
    deliver: F,
    settings: SenderSettings,
    cancel: CancellationToken,
) where
    F: Fn(OutboxRow) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Delivery> + Send + 'static,
{
    let sender = Arc::new(Sender {
        store: store.clone(),
        platform,
        owner,
        deliver,
        settings,
    });
    if sender.settings.lead {
        let lead = Lead::new(store, format!("outbox:{platform}"));
        lead.while_leading(&cancel, |stop| sender.clone().run(stop)).await;
    } else {
        sender.run(cancel).await;
    }
}

struct Sender<F> {
    store: Store,
    platform: &'static str,
    owner: String,
    deliver: F,
    settings: SenderSettings,
}

impl<F, Fut> Sender<F>
where
    F: Fn(OutboxRow) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Delivery> + Send + 'static,
{
    async fn run(self: Arc<Self>, cancel: CancellationToken) {
        let s = &self.settings;
        // When each receiver last got a message, for pacing across batches.
        let mut last: HashMap<String, Instant> = HashMap::new();
        let mut error_wait = s.poll;
        while !cancel.is_cancelled() {
            let leased_at = Instant::now();
            let rows = match self
                .store
                .lease_outbox(&self.owner, self.platform, s.batch, s.lease, Utc::now())
                .await
            {
                Ok(rows) => {
                    error_wait = s.poll;
                    rows
                }
                Err(e) => {
                    tracing::error!(
                        platform = self.platform,
                        error = format!("{e:#}"),
                        "leasing outbox messages failed"
                    );
                    error_wait = (error_wait * 2).min(Duration::from_secs(60));
                    if pause(&cancel, error_wait).await {
                        return;
                    }
                    continue;
                }
            };
            if rows.is_empty() {
                if pause(&cancel, s.poll).await {
                    return;
                }
                continue;
            }
            let mut by_receiver: Vec<(String, Vec<OutboxRow>)> = Vec::new();
            for row in rows {
                match by_receiver.iter_mut().find(|(r, _)| *r == row.receiver) {
                    Some((_, rows)) => rows.push(row),
                    None => by_receiver.push((row.receiver.clone(), vec![row])),
                }
            }
            let mut tasks = JoinSet::new();
            for (receiver, rows) in by_receiver {
                let previous = last.get(&receiver).copied();
                let sender = self.clone();
                let cancel = cancel.clone();
                tasks.spawn(async move {
                    let at = sender.to_receiver(rows, previous, leased_at, &cancel).await;
                    (receiver, at)
                });
            }
            while let Some(done) = tasks.join_next().await {
                match done {
                    Ok((receiver, Some(at))) => {
                        last.insert(receiver, at);
                    }
                    Ok((_, None)) => {}
                    Err(e) => {
                        tracing::error!(platform = self.platform, error = %e, "a delivery task panicked")
                    }
                }
            }
            last.retain(|_, at| at.elapsed() < s.pace);
        }
    }

    /// Delivers one receiver's leased messages in order; returns when the last one went out.
    async fn to_receiver(
        &self,
        rows: Vec<OutboxRow>,
        mut previous: Option<Instant>,
        leased_at: Instant,
        cancel: &CancellationToken,
    ) -> Option<Instant> {
        let s = &self.settings;
        // Stop in time to mark the last message before the lease runs out.
        let margin = (s.lease / 6).min(Duration::from_secs(10));
        let deadline = leased_at + s.lease.saturating_sub(margin);
        let mut rows = rows.into_iter();
        while let Some(row) = rows.next() {
            if cancel.is_cancelled() {
                // Left leased: it comes back when the lease ends.
                return previous;
            }
            if let Some(at) = previous {
                let ready = at + s.pace;
                if ready > Instant::now() && pause(cancel, ready - Instant::now()).await {
                    return previous;
                }
            }
            if Instant::now() >= deadline {
                return previous;
            }
            if row.attempts > s.max_attempts {
                let error = format!(
                    "given up after {} attempts; last error: {}",
                    row.attempts - 1,
                    row.last_error.as_deref().unwrap_or("none")
                );
                self.failed(&row, &error).await;
                continue;
            }
            let id = row.id;
            let attempts = row.attempts;
            let receiver = row.receiver.clone();
            let outcome = match tokio::time::timeout_at(deadline, (self.deliver)(row)).await {
                Ok(outcome) => outcome,
                Err(_) => Delivery::Retry {
                    after: Duration::ZERO,
                    error: "the delivery took longer than the lease".to_owned(),
                },
            };
            let now = Utc::now();
            match outcome {
                Delivery::Sent(platform_id) => {
                    previous = Some(Instant::now());
                    match self
                        .store
                        .outbox_sent(id, &self.owner, platform_id.as_deref(), now)
                        .await
                    {
                        Ok(true) => tracing::debug!(id, %receiver, "message delivered"),
                        Ok(false) => {
                            tracing::warn!(id, %receiver, "message delivered after its lease was lost")
                        }
                        Err(e) => {
                            tracing::error!(id, error = format!("{e:#}"), "recording a delivery failed")
                        }
                    }
                }
                Delivery::Retry { after, error } => {
                    let wait = after.max(self.backoff(attempts));
                    let next = now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
                    tracing::warn!(id, %receiver, %error, retry_in = ?wait, "message not delivered; will retry");
                    self.retry(id, next, &error).await;
                    // The receiver's later messages wait behind it, to keep their order.
                    for later in rows.by_ref() {
                        let error = format!("waiting behind message {id}, which will be retried");
                        self.retry(later.id, next, &error).await;
                    }
                    return previous;
                }
                Delivery::Failed(error) => {
                    let row_error = error.clone();
                    self.failed_id(id, &receiver, &row_error).await;
                }
            }
        }
        previous
    }

    fn backoff(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(20);
        self.settings
            .backoff
            .saturating_mul(1 << doublings)
            .min(self.settings.max_backoff)
    }

    async fn retry(&self, id: i64, next: chrono::DateTime<Utc>, error: &str) {
        if let Err(e) = self
            .store
            .outbox_retry(id, &self.owner, next, error, Utc::now())
            .await
        {
            tracing::error!(id, error = format!("{e:#}"), "recording a retry failed");
        }
    }

    async fn failed(&self, row: &OutboxRow, error: &str) {
        self.failed_id(row.id, &row.receiver, error).await;
    }

    async fn failed_id(&self, id: i64, receiver: &str, error: &str) {
        tracing::error!(
            id,
            receiver,
            platform = self.platform,
            error,
            "a message could not be delivered and is given up"
        );
        if let Err(e) = self.store.outbox_failed(id, &self.owner, error, Utc::now()).await {
            tracing::error!(id, error = format!("{e:#}"), "recording a failed delivery failed");
        }
    }
}

/// A name for this process's senders and schedule claims, unique among replicas:
/// `<platform>@<host>:<pid>`.
pub fn owner(what: &str) -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_owned())
        })
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{what}@{host}:{}", std::process::id())
}
