//! Senders: the loop that takes messages out of the outbox and hands them to a platform.
//!
//! A sender leases the heads of the receivers' queues ([`Store::lease_outbox`]: from each
//! receiver a run of its oldest messages, receivers taking turns) and delivers them with one task
//! per receiver — up to [`SenderSettings::receivers`] receivers at once, each receiver's
//! messages in order and at most one a [`SenderSettings::pace`] — leasing again as soon as a
//! receiver is done, so one slow or paced room never holds the others back. Each message is
//! marked sent, to retry (with exponential backoff, never sooner than the platform asked) or
//! failed. When the platform says it rate-limits Vigie ([`Delivery::RateLimited`]: a limit on
//! the account, not the room), every receiver waits as long as it asked, the message is tried
//! again within its lease, and messages then go out spaced by that wait rather than all at once
//! (see `Gate`).
//!
//! A sender that dies leaves its leases to expire and the messages come back *in doubt*; so does
//! a message whose attempt ended without knowing whether it arrived ([`Delivery::InDoubt`]).
//! Platforms make delivery exactly once for people: Matrix sends with the transaction id
//! `vigie-outbox-<id>` (a second attempt from the same device is the same event) and, for a
//! message in doubt, first looks for it in the room's recent history (another device, another
//! replica, may have sent it).
//!
//! Only one replica delivers a platform's messages: [`deliver_loop`] runs while this instance
//! holds the lead `outbox:<platform>` (see [`super::lead`]). Messages given up are logged here;
//! the alert step reports them once to the configured admin receivers.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::Utc;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use vigie_storage::{OutboxRow, Store};

use super::lead::{self, Lead, pause};

/// How long after this sender takes the lead the leases of the sender that led before end at
/// the latest: that one stopped delivering by then, whether it died or lost its connection to
/// the database (it notices within [`lead::CHECK`] + [`lead::CHECK_TIMEOUT`] and its work is
/// dropped [`lead::STOP_GRACE`] later), so its messages, in doubt, can go out without waiting
/// out its whole lease.
pub const TAKEOVER: Duration = lead::CHECK
    .saturating_add(lead::CHECK_TIMEOUT)
    .saturating_add(lead::STOP_GRACE)
    .saturating_add(Duration::from_secs(2));

/// What became of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Delivered; with the platform's id of the message (a Matrix event id), if it has one.
    Sent(Option<String>),
    /// Not delivered for a passing reason (network down before the request went out, session
    /// being renewed): try again, not before `after`.
    Retry { after: Duration, error: String },
    /// Refused because the platform limits how fast Vigie's account may send: nothing was
    /// delivered, and nothing should be sent to this platform for `after`.
    RateLimited { after: Duration, error: String },
    /// Perhaps delivered: the request went out and no answer came back (a timeout, a broken
    /// connection, a server error). Try again, not before `after`, looking for it first.
    InDoubt { after: Duration, error: String },
    /// Never deliverable (refused, no such room): given up, and reported to admins.
    Failed(String),
}

/// How a sender works; [`SenderSettings::default`] is what `vigie run` uses.
#[derive(Debug, Clone)]
pub struct SenderSettings {
    /// How long a leased message is this sender's alone.
    pub lease: Duration,
    /// How many messages of one receiver one lease takes.
    pub batch: u32,
    /// How many receivers are delivered to at once.
    pub receivers: u32,
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
            batch: 5,
            receivers: 32,
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
        last: Mutex::new(HashMap::new()),
        gate: Mutex::new(Gate::default()),
    });
    if sender.settings.lead {
        let lead = Lead::new(store, format!("outbox:{platform}"));
        lead.while_leading(&cancel, |stop| {
            let sender = sender.clone();
            async move {
                sender.take_over().await;
                sender.run(stop).await;
            }
        })
        .await;
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
    /// When each receiver last got a message, for pacing.
    last: Mutex<HashMap<String, Instant>>,
    /// When the platform may get the next message (its rate limit on the account).
    gate: Mutex<Gate>,
}

/// The longest spacing a rate limit imposes between two messages to a platform.
const MAX_SPACING: Duration = Duration::from_secs(2);
/// The spacing after a first rate limit.
const FIRST_SPACING: Duration = Duration::from_millis(20);
/// A spacing below this is no spacing.
const MIN_SPACING: Duration = Duration::from_millis(5);

/// When a platform may get messages, across all receivers. Once it rate-limits Vigie, nothing is
/// sent until the time it said, and then messages go out one a `spacing` apart instead of all at
/// once, which would only earn more refusals. The spacing doubles with each new refusal (once
/// per wait: the answers to messages already under way do not count again) and shrinks a
/// little with each message accepted, so it settles near the platform's own pace and finds a
/// faster one when the limit is lifted. (A homeserver's wait is no measure of its pace: Synapse
/// rounds it up to whole seconds.)
#[derive(Debug, Default)]
struct Gate {
    /// The first time free for the next message.
    next: Option<Instant>,
    /// Nothing before this: the platform said so.
    limited_until: Option<Instant>,
    spacing: Duration,
}

impl Gate {
    /// Takes the first free time to send at, at `now` or later.
    fn claim(&mut self, now: Instant) -> Instant {
        let at = now
            .max(self.next.unwrap_or(now))
            .max(self.limited_until.unwrap_or(now));
        self.next = Some(at + self.spacing);
        at
    }

    /// Whether the platform asked for a wait that is not over at `now`.
    fn limited(&self, now: Instant) -> bool {
        self.limited_until.is_some_and(|until| until > now)
    }

    /// The platform refused a message at `now` and asked to wait `after`.
    fn refused(&mut self, now: Instant, after: Duration) {
        if !self.limited(now) {
            self.spacing = (self.spacing * 2).clamp(FIRST_SPACING, MAX_SPACING);
        }
        self.limited_until = self.limited_until.max(Some(now + after));
    }

    /// The platform accepted a message.
    fn accepted(&mut self) {
        self.spacing = self.spacing.mul_f64(0.99);
        if self.spacing < MIN_SPACING {
            self.spacing = Duration::ZERO;
        }
    }
}

impl<F, Fut> Sender<F>
where
    F: Fn(OutboxRow) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Delivery> + Send + 'static,
{
    /// On taking the lead: the senders that led before stop within [`TAKEOVER`] of losing it
    /// (or are dead), so their leases need not run their full course.
    async fn take_over(&self) {
        let until =
            Utc::now() + chrono::Duration::from_std(TAKEOVER).unwrap_or(chrono::Duration::seconds(30));
        match self
            .store
            .outbox_shorten_leases(self.platform, &self.owner, until)
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                platform = self.platform,
                messages = n,
                "messages leased by the sender that led before come back in {TAKEOVER:?}"
            ),
            Err(e) => tracing::warn!(
                platform = self.platform,
                error = format!("{e:#}"),
                "shortening the leases of the sender that led before failed; they run their course"
            ),
        }
    }

    async fn run(self: Arc<Self>, cancel: CancellationToken) {
        let s = &self.settings;
        let mut tasks: JoinSet<()> = JoinSet::new();
        let mut error_wait = s.poll;
        while !cancel.is_cancelled() {
            let busy = u32::try_from(tasks.len()).unwrap_or(u32::MAX);
            let free = s.receivers.saturating_sub(busy);
            if free > 0 {
                let leased_at = Instant::now();
                match self
                    .store
                    .lease_outbox(&self.owner, self.platform, free, s.batch, s.lease, Utc::now())
                    .await
                {
                    Ok(rows) => {
                        error_wait = s.poll;
                        for rows in by_receiver(rows) {
                            let sender = self.clone();
                            let cancel = cancel.clone();
                            tasks.spawn(async move { sender.to_receiver(rows, leased_at, &cancel).await });
                        }
                    }
                    Err(e) => {
                        tracing::error!(
                            platform = self.platform,
                            error = format!("{e:#}"),
                            "leasing outbox messages failed"
                        );
                        error_wait = (error_wait * 2).min(Duration::from_secs(60));
                        if pause(&cancel, error_wait).await {
                            break;
                        }
                        continue;
                    }
                }
            }
            // Lease again when a receiver is done (its next messages, or another receiver's), or
            // after the poll interval (new messages, retries come due).
            tokio::select! {
                () = cancel.cancelled() => break,
                Some(done) = tasks.join_next(), if !tasks.is_empty() => self.joined(done),
                () = tokio::time::sleep(s.poll) => {}
            }
            while let Some(done) = tasks.try_join_next() {
                self.joined(done);
            }
        }
        // The receivers' tasks see the cancellation, give back what they did not try and end.
        while let Some(done) = tasks.join_next().await {
            self.joined(done);
        }
        self.last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|_, at| at.elapsed() < s.pace);
    }

    fn joined(&self, done: Result<(), tokio::task::JoinError>) {
        if let Err(e) = done {
            tracing::error!(platform = self.platform, error = %e, "a delivery task panicked");
        }
    }

    /// When `receiver` may get its next message: after its pace.
    fn ready_at(&self, receiver: &str) -> Option<Instant> {
        self.last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(receiver)
            .map(|at| *at + self.settings.pace)
    }

    fn gate(&self) -> std::sync::MutexGuard<'_, Gate> {
        self.gate.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Delivers one receiver's leased messages in order, until they are done, one must wait for
    /// a later attempt, or the lease is about to end; what it did not try goes back untried.
    async fn to_receiver(&self, rows: Vec<OutboxRow>, leased_at: Instant, cancel: &CancellationToken) {
        let s = &self.settings;
        // Stop in time to mark the last message before the lease runs out.
        let margin = (s.lease / 6).min(Duration::from_secs(10));
        let deadline = leased_at + s.lease.saturating_sub(margin);
        let mut rows: VecDeque<OutboxRow> = rows.into();
        while let Some(row) = rows.pop_front() {
            let ready = self.ready_at(&row.receiver);
            let stop = match ready {
                Some(at) if at >= deadline => true,
                Some(at) if at > Instant::now() => pause(cancel, at - Instant::now()).await,
                _ => false,
            };
            if stop || cancel.is_cancelled() || Instant::now() >= deadline {
                rows.push_front(row);
                self.release(rows).await;
                return;
            }
            // Then the platform's turn.
            let slot = self.gate().claim(Instant::now());
            let stop = if slot >= deadline {
                true
            } else if slot > Instant::now() {
                pause(cancel, slot - Instant::now()).await
            } else {
                false
            };
            if stop || cancel.is_cancelled() {
                rows.push_front(row);
                self.release(rows).await;
                return;
            }
            // A rate limit that began while this one waited: take a turn after it.
            if self.gate().limited(Instant::now()) {
                rows.push_front(row);
                continue;
            }
            if row.attempts > s.max_attempts {
                let error = format!(
                    "given up after {} attempts; last error: {}",
                    row.attempts - 1,
                    row.last_error.as_deref().unwrap_or("none")
                );
                self.failed(row.id, &row.receiver, &error).await;
                continue;
            }
            let outcome = match tokio::time::timeout_at(deadline, (self.deliver)(row.clone())).await {
                Ok(outcome) => outcome,
                Err(_) => Delivery::InDoubt {
                    after: Duration::ZERO,
                    error: "the delivery took longer than the lease".to_owned(),
                },
            };
            let (id, attempts, receiver) = (row.id, row.attempts, row.receiver.as_str());
            let now = Utc::now();
            match outcome {
                Delivery::Sent(platform_id) => {
                    self.gate().accepted();
                    self.last
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(row.receiver.clone(), Instant::now());
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
                Delivery::RateLimited { after, error } => {
                    self.gate().refused(Instant::now(), after);
                    tracing::info!(id, %receiver, %error, wait = ?after, "rate-limited; every receiver waits");
                    // Nothing was delivered: the same message goes first once the wait is over.
                    rows.push_front(row);
                }
                Delivery::Retry { after, error } => {
                    let next = self.next_attempt(after, attempts);
                    tracing::warn!(id, %receiver, %error, "message not delivered; will retry");
                    self.retry(id, next, &error, false).await;
                    // The receiver's later messages wait behind it, to keep their order.
                    self.release(rows).await;
                    return;
                }
                Delivery::InDoubt { after, error } => {
                    let next = self.next_attempt(after, attempts);
                    tracing::warn!(id, %receiver, %error, "message perhaps not delivered; will check and retry");
                    self.retry(id, next, &error, true).await;
                    self.release(rows).await;
                    return;
                }
                Delivery::Failed(error) => self.failed(id, receiver, &error).await,
            }
        }
    }

    /// When to try a message again: after the platform's wait and the sender's backoff.
    fn next_attempt(&self, after: Duration, attempts: u32) -> chrono::DateTime<Utc> {
        let wait = after.max(self.backoff(attempts));
        Utc::now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1))
    }

    fn backoff(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(20);
        self.settings
            .backoff
            .saturating_mul(1 << doublings)
            .min(self.settings.max_backoff)
    }

    /// Gives untried messages back for the next lease, without counting an attempt.
    async fn release(&self, rows: impl IntoIterator<Item = OutboxRow>) {
        for row in rows {
            if let Err(e) = self.store.outbox_release(row.id, &self.owner).await {
                tracing::error!(
                    id = row.id,
                    error = format!("{e:#}"),
                    "giving a message back failed"
                );
            }
        }
    }

    async fn retry(&self, id: i64, next: chrono::DateTime<Utc>, error: &str, in_doubt: bool) {
        let now = Utc::now();
        let recorded = if in_doubt {
            self.store
                .outbox_retry_in_doubt(id, &self.owner, next, error, now)
                .await
        } else {
            self.store.outbox_retry(id, &self.owner, next, error, now).await
        };
        if let Err(e) = recorded {
            tracing::error!(id, error = format!("{e:#}"), "recording a retry failed");
        }
    }

    async fn failed(&self, id: i64, receiver: &str, error: &str) {
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

/// Leased messages grouped by receiver, each group in id order, groups in the order of their
/// first message.
fn by_receiver(rows: Vec<OutboxRow>) -> Vec<Vec<OutboxRow>> {
    let mut groups: Vec<Vec<OutboxRow>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in rows {
        match index.get(&row.receiver) {
            Some(&i) => groups[i].push(row),
            None => {
                index.insert(row.receiver.clone(), groups.len());
                groups.push(vec![row]);
            }
        }
    }
    groups
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_a_rate_limit_messages_wait_then_go_out_spaced_and_speed_up_again() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut gate = Gate::default();
        // Unlimited: everyone goes at once.
        assert_eq!(gate.claim(t0), t0);
        assert_eq!(gate.claim(t0), t0);
        assert!(!gate.limited(t0));
        // Refused with "wait a second": nothing before then, then one every 20 ms.
        gate.refused(t0, ms(1_000));
        assert!(gate.limited(t0 + ms(999)));
        assert!(!gate.limited(t0 + ms(1_000)));
        assert_eq!(gate.claim(t0 + ms(10)), t0 + ms(1_000));
        assert_eq!(gate.claim(t0 + ms(10)), t0 + ms(1_020));
        // The answers to messages already under way during that wait change nothing more.
        gate.refused(t0 + ms(5), ms(1_000));
        assert_eq!(gate.spacing, ms(20));
        // A refusal after the wait doubles the spacing, up to a cap.
        gate.refused(t0 + ms(1_100), ms(1_000));
        assert_eq!(gate.spacing, ms(40));
        assert_eq!(gate.claim(t0 + ms(1_200)), t0 + ms(2_100));
        assert_eq!(gate.claim(t0 + ms(1_200)), t0 + ms(2_140));
        for i in 0..10 {
            gate.refused(t0 + Duration::from_secs(10 * (i + 1)), ms(1_000));
        }
        assert_eq!(gate.spacing, MAX_SPACING);
        // Accepted messages shrink the spacing until there is none.
        let mut accepted = 0;
        while !gate.spacing.is_zero() {
            gate.accepted();
            accepted += 1;
        }
        assert!((500..700).contains(&accepted), "{accepted}");
        let later = t0 + Duration::from_secs(300);
        assert_eq!(gate.claim(later), later);
        assert_eq!(gate.claim(later), later);
    }
}
