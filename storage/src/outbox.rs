//! The outbox: messages waiting to be delivered, written by
//! [`Store::commit_notifications`](crate::Store::commit_notifications) and delivered by senders
//! that lease them.
//!
//! A sender leases the heads of the receivers' queues for a while: each receiver's undelivered
//! messages are delivered in order, so a lease takes from each receiver only a run of its oldest
//! messages, and none while its oldest one is held by a lease or waits for its next attempt.
//! Receivers take turns: the oldest message of every receiver comes before the second of any,
//! so one slow or rate-limited room never holds the others back. Only the holder of a lease may
//! mark its message sent, to retry or failed. A sender that crashes leaves its leases to expire
//! (or, when a lock proves it dead, they are given back at once: [`Store::outbox_release_all`]),
//! and the messages come back to the next lease *in doubt*: the sender that takes them looks for
//! them on the platform before sending them again. Several senders (replicas, or tasks of one)
//! never lease the same message at once: PostgreSQL skips rows another transaction has locked
//! (`FOR UPDATE SKIP LOCKED`), SQLite serialises leases (`BEGIN IMMEDIATE`).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::column::{read, read_int, read_opt_timestamp, read_timestamp, timestamp};
use crate::store::{Driver, Pool};
use crate::{StorageError, Store};

/// A message to queue, as [`Store::commit_notifications`] takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutbox {
    /// The room or person, platform-qualified (`matrix:!room:example.org`).
    pub receiver: String,
    /// The platform whose senders deliver it (`matrix`, `discord`, `console`).
    pub platform: String,
    /// The message, in Markdown.
    pub body_markdown: String,
    /// Why it is sent: `new`, `update`, `reminder`, `resolved`, `digest`, `escalation`…
    pub reason: String,
    /// The group of alerts it is about.
    pub group_key: String,
    /// A picture posted after the text, as its own message (award results with their chart).
    pub image: Option<OutboxImage>,
}

/// A picture that goes with a message of the outbox, whatever the platform: Matrix posts it as
/// an `m.image` after the text, the console saves it to a file.
#[derive(Clone, PartialEq, Eq)]
pub struct OutboxImage {
    /// The file name people see and download: `results-open-gov-2026.png`.
    pub name: String,
    /// The picture, PNG-encoded.
    pub png: Vec<u8>,
    /// What the picture shows, in words, for people who cannot see it.
    pub alt: String,
}

impl fmt::Debug for OutboxImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboxImage")
            .field("name", &self.name)
            .field("png", &format_args!("{} bytes", self.png.len()))
            .field("alt", &self.alt)
            .finish()
    }
}

/// Where a message is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxState {
    /// Waiting for its next attempt.
    Pending,
    /// Held by a sender until its lease ends.
    Leased,
    /// Delivered.
    Sent,
    /// Given up for good (the bot was refused, the room is gone).
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Leased => "leased",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }
}

impl fmt::Display for OutboxState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OutboxState {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "pending" => Ok(Self::Pending),
            "leased" => Ok(Self::Leased),
            "sent" => Ok(Self::Sent),
            "failed" => Ok(Self::Failed),
            _ => Err(format!(
                "\"{s}\" is not an outbox state (pending, leased, sent or failed)"
            )),
        }
    }
}

/// A message of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// Increases with each message: messages are leased in its order.
    pub id: i64,
    pub receiver: String,
    pub platform: String,
    pub body_markdown: String,
    pub reason: String,
    pub group_key: String,
    /// The picture posted after the text, if any.
    pub image: Option<OutboxImage>,
    pub created_at: DateTime<Utc>,
    pub state: OutboxState,
    /// How many times it was leased (each lease is one delivery attempt).
    pub attempts: u32,
    /// When it may be leased (again).
    pub next_attempt_at: DateTime<Utc>,
    /// The sender holding the lease, or, once sent or failed, the one that held it last.
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The platform's id of the message sent (a Matrix event id).
    pub platform_id: Option<String>,
    /// The last delivery error, kept after a retry.
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    /// When it was first leased: an earlier delivery, if any, happened after this.
    pub first_attempt_at: Option<DateTime<Utc>>,
    /// Whether an earlier attempt may have reached the platform unrecorded (its sender died
    /// holding the lease, or the platform's answer was lost): look for it before sending again.
    pub in_doubt: bool,
}

#[derive(sqlx::FromRow)]
struct OutboxColumns {
    id: i64,
    receiver: String,
    platform: String,
    body_markdown: String,
    reason: String,
    group_key: String,
    created_at: String,
    state: String,
    attempts: i64,
    next_attempt_at: String,
    lease_owner: Option<String>,
    lease_until: Option<String>,
    sent_at: Option<String>,
    platform_id: Option<String>,
    last_error: Option<String>,
    last_error_at: Option<String>,
    first_attempt_at: Option<String>,
    in_doubt: i64,
    image_png: Option<Vec<u8>>,
    image_name: Option<String>,
    image_alt: Option<String>,
}

/// The columns of [`OutboxColumns`].
macro_rules! outbox_columns {
    () => {
        "id, receiver, platform, body_markdown, reason, group_key, created_at, state, attempts,
         next_attempt_at, lease_owner, lease_until, sent_at, platform_id, last_error, last_error_at,
         first_attempt_at, in_doubt, image_png, image_name, image_alt"
    };
}

impl OutboxColumns {
    fn into_row(self) -> Result<OutboxRow, StorageError> {
        let what = format!("outbox message {}", self.id);
        let image = match (self.image_png, self.image_name, self.image_alt) {
            (Some(png), Some(name), Some(alt)) => Some(OutboxImage { name, png, alt }),
            (None, None, None) => None,
            _ => {
                return Err(StorageError::corrupt(
                    &what,
                    "it has only part of an image (a picture, its name and its alt text go together)",
                ));
            }
        };
        Ok(OutboxRow {
            image,
            created_at: read_timestamp(&what, &self.created_at)?,
            state: read(&what, &self.state, OutboxState::from_str)?,
            attempts: read_int(&what, self.attempts)?,
            next_attempt_at: read_timestamp(&what, &self.next_attempt_at)?,
            lease_until: read_opt_timestamp(&what, self.lease_until.as_deref())?,
            sent_at: read_opt_timestamp(&what, self.sent_at.as_deref())?,
            last_error_at: read_opt_timestamp(&what, self.last_error_at.as_deref())?,
            first_attempt_at: read_opt_timestamp(&what, self.first_attempt_at.as_deref())?,
            in_doubt: self.in_doubt != 0,
            id: self.id,
            receiver: self.receiver,
            platform: self.platform,
            body_markdown: self.body_markdown,
            reason: self.reason,
            group_key: self.group_key,
            lease_owner: self.lease_owner,
            platform_id: self.platform_id,
            last_error: self.last_error,
        })
    }
}

fn into_rows(rows: Vec<OutboxColumns>) -> Result<Vec<OutboxRow>, StorageError> {
    let mut rows = rows
        .into_iter()
        .map(OutboxColumns::into_row)
        .collect::<Result<Vec<_>, _>>()?;
    rows.sort_by_key(|row| row.id);
    Ok(rows)
}

/// `now` plus `span`, kept within the years stored timestamps can hold in order (up to 9999).
pub(crate) fn later(now: DateTime<Utc>, span: Duration) -> DateTime<Utc> {
    let last = NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .map_or(DateTime::<Utc>::MAX_UTC, |t| t.and_utc());
    TimeDelta::from_std(span)
        .ok()
        .and_then(|span| now.checked_add_signed(span))
        .map_or(last, |t| t.min(last))
}

/// The heads of the receivers' queues on platform `$1` at `$2`: each receiver's undelivered
/// messages by id, numbered from 1 (`place`), up to the first one that is not due, at most `$3`
/// of them; ordered so that receivers take turns (every receiver's first message, oldest first,
/// then every second one…). `$2` is a timestamp; `CASE` keeps the same text for both backends.
const QUEUE_HEADS: &str = "
    SELECT id, receiver FROM (
        SELECT id, receiver, place,
               MIN(CASE WHEN ready = 0 THEN place END) OVER (PARTITION BY receiver) AS blocked
        FROM (
            SELECT id, receiver,
                   ROW_NUMBER() OVER (PARTITION BY receiver ORDER BY id) AS place,
                   CASE WHEN next_attempt_at <= $2
                             AND (state = 'pending' OR lease_until <= $2) THEN 1 ELSE 0 END AS ready
            FROM outbox
            WHERE platform = $1 AND state IN ('pending', 'leased')
        ) queue
    ) heads
    WHERE place <= $3 AND (blocked IS NULL OR place < blocked)
    ORDER BY place, id";

/// From candidates in turn order (see [`QUEUE_HEADS`]), the ids to lease: the runs of the first
/// `receivers` receivers, each cut at its first candidate that `take` refuses.
fn runs(candidates: &[(i64, String)], receivers: u32, take: impl Fn(i64) -> bool) -> Vec<i64> {
    let limit = usize::try_from(receivers).unwrap_or(usize::MAX);
    // Per receiver chosen: whether its run is still open.
    let mut open: HashMap<&str, bool> = HashMap::new();
    let mut ids = Vec::new();
    for (id, receiver) in candidates {
        let receiver = receiver.as_str();
        if !open.contains_key(receiver) {
            if open.len() >= limit {
                continue;
            }
            open.insert(receiver, true);
        }
        let Some(run) = open.get_mut(receiver) else {
            continue;
        };
        if *run && take(*id) {
            ids.push(*id);
        } else {
            *run = false;
        }
    }
    ids
}

impl Store {
    /// Leases `platform`'s messages due at `now` to `owner` until `now + lease`, counting an
    /// attempt for each: from each of up to `receivers` receivers, the run of its oldest
    /// undelivered messages that are due (pending ones whose next attempt has come, and leased
    /// ones whose lease has expired), at most `per_receiver` of them. A receiver whose oldest
    /// undelivered message is not due (held by a live lease, or waiting for its next attempt)
    /// gives none, so each receiver's messages go out in order. Receivers take turns, the one
    /// whose oldest message is oldest first. Returns the messages by id. Concurrent callers get
    /// disjoint messages and never share a receiver's run.
    ///
    /// A message whose expired lease is taken over is marked in doubt: its earlier holder may
    /// have delivered it.
    pub async fn lease_outbox(
        &self,
        owner: &str,
        platform: &str,
        receivers: u32,
        per_receiver: u32,
        lease: Duration,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxRow>, StorageError> {
        let until = timestamp(later(now, lease));
        let now = timestamp(now);
        if receivers == 0 || per_receiver == 0 {
            return Ok(Vec::new());
        }
        let rows: Vec<OutboxColumns> = match &self.pool {
            Pool::Sqlite(pool) => {
                // The write lock is taken up front, so the choice and the update are one step.
                let mut tx = pool.begin_write("outbox").await?;
                let candidates: Vec<(i64, String)> = sqlx::query_as(QUEUE_HEADS)
                    .bind(platform)
                    .bind(&now)
                    .bind(i64::from(per_receiver))
                    .fetch_all(&mut *tx)
                    .await?;
                let ids = runs(&candidates, receivers, |_| true);
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let ids = serde_json::Value::from(ids).to_string();
                let rows = sqlx::query_as(concat!(
                    "UPDATE outbox SET state = 'leased', lease_owner = $1, lease_until = $2,
                         attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, $3),
                         in_doubt = CASE WHEN state = 'leased' THEN 1 ELSE in_doubt END
                     WHERE id IN (SELECT value FROM json_each($4))
                     RETURNING ",
                    outbox_columns!()
                ))
                .bind(owner)
                .bind(&until)
                .bind(&now)
                .bind(&ids)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                rows
            }
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let candidates: Vec<(i64, String)> = sqlx::query_as(QUEUE_HEADS)
                    .bind(platform)
                    .bind(&now)
                    .bind(i64::from(per_receiver))
                    .fetch_all(&mut *tx)
                    .await?;
                if candidates.is_empty() {
                    return Ok(Vec::new());
                }
                // Rows another leaser has locked are skipped, not waited for; a row another
                // leaser updated since the choice is re-checked, and is no longer due. A
                // receiver's run stops at its first row not locked here, so two leasers never
                // split a run.
                let all: Vec<i64> = candidates.iter().map(|(id, _)| *id).collect();
                let locked: Vec<(i64,)> = sqlx::query_as(
                    "SELECT id FROM outbox
                     WHERE id = ANY($1) AND next_attempt_at <= $2
                       AND (state = 'pending' OR (state = 'leased' AND lease_until <= $2))
                     FOR UPDATE SKIP LOCKED",
                )
                .bind(&all)
                .bind(&now)
                .fetch_all(&mut *tx)
                .await?;
                let locked: HashSet<i64> = locked.into_iter().map(|(id,)| id).collect();
                let ids = runs(&candidates, receivers, |id| locked.contains(&id));
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let rows = sqlx::query_as(concat!(
                    "UPDATE outbox SET state = 'leased', lease_owner = $1, lease_until = $2,
                         attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, $3),
                         in_doubt = CASE WHEN state = 'leased' THEN 1 ELSE in_doubt END
                     WHERE id = ANY($4)
                     RETURNING ",
                    outbox_columns!()
                ))
                .bind(owner)
                .bind(&until)
                .bind(&now)
                .bind(&ids)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                rows
            }
        };
        into_rows(rows)
    }

    /// Gives a leased message back untried (it was leased behind one that must wait), as if
    /// this lease had not been taken: it does not count as an attempt. `false`, with nothing
    /// written, unless `owner` holds its lease.
    pub async fn outbox_release(&self, id: i64, owner: &str) -> Result<bool, StorageError> {
        let done = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET state = 'pending', lease_owner = NULL, lease_until = NULL,
                     attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
                 WHERE id = $1 AND state = 'leased' AND lease_owner = $2",
            )
            .bind(id)
            .bind(owner)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// Makes the leases that senders other than `owner` hold on `platform`'s messages end by
    /// `until` at the latest; returns how many were shortened. For a sender that has just become
    /// the only one allowed to deliver (it took the platform's lead): its predecessor stops
    /// within a bounded time, and its messages need not wait out their whole lease.
    pub async fn outbox_shorten_leases(
        &self,
        platform: &str,
        owner: &str,
        until: DateTime<Utc>,
    ) -> Result<u64, StorageError> {
        let until = timestamp(until);
        Ok(on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET lease_until = $3
                 WHERE platform = $1 AND state = 'leased' AND lease_owner <> $2 AND lease_until > $3",
            )
            .bind(platform)
            .bind(owner)
            .bind(&until)
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }

    /// Gives back every leased message of every sender, in doubt, for the next lease to take at
    /// once. Only for when no sender can be running: on SQLite, once this process holds the
    /// database's instance lock (its predecessor is dead, and its leases with it). Returns how
    /// many.
    pub async fn outbox_release_all(&self) -> Result<u64, StorageError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET state = 'pending', lease_owner = NULL, lease_until = NULL,
                     in_doubt = 1
                 WHERE state = 'leased'",
            )
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }

    /// Marks a message delivered, with the platform's id of what was sent. `false`, with nothing
    /// written, unless `owner` holds its lease (a lease taken over after it expired belongs to
    /// the new holder).
    pub async fn outbox_sent(
        &self,
        id: i64,
        owner: &str,
        platform_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let now = timestamp(now);
        let done = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET state = 'sent', sent_at = $3, platform_id = $4, lease_until = NULL
                 WHERE id = $1 AND state = 'leased' AND lease_owner = $2",
            )
            .bind(id)
            .bind(owner)
            .bind(&now)
            .bind(platform_id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// Gives a message back for another attempt at `next_attempt_at`, keeping the error. `false`,
    /// with nothing written, unless `owner` holds its lease.
    pub async fn outbox_retry(
        &self,
        id: i64,
        owner: &str,
        next_attempt_at: DateTime<Utc>,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        self.retry(id, owner, next_attempt_at, error, now, false).await
    }

    /// [`Store::outbox_retry`] after an attempt that may have reached the platform (the request
    /// went out, the answer did not come back): the message is in doubt from now on.
    pub async fn outbox_retry_in_doubt(
        &self,
        id: i64,
        owner: &str,
        next_attempt_at: DateTime<Utc>,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        self.retry(id, owner, next_attempt_at, error, now, true).await
    }

    async fn retry(
        &self,
        id: i64,
        owner: &str,
        next_attempt_at: DateTime<Utc>,
        error: &str,
        now: DateTime<Utc>,
        in_doubt: bool,
    ) -> Result<bool, StorageError> {
        let next = timestamp(next_attempt_at);
        let now = timestamp(now);
        let done = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET state = 'pending', next_attempt_at = $3, last_error = $4,
                     last_error_at = $5, lease_owner = NULL, lease_until = NULL,
                     in_doubt = CASE WHEN $6 = 1 THEN 1 ELSE in_doubt END
                 WHERE id = $1 AND state = 'leased' AND lease_owner = $2",
            )
            .bind(id)
            .bind(owner)
            .bind(&next)
            .bind(error)
            .bind(&now)
            .bind(i64::from(in_doubt))
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// Gives a message up for good (the platform refused it, the room is gone), keeping the
    /// error. `false`, with nothing written, unless `owner` holds its lease.
    pub async fn outbox_failed(
        &self,
        id: i64,
        owner: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let now = timestamp(now);
        let done = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET state = 'failed', last_error = $3, last_error_at = $4,
                     lease_until = NULL
                 WHERE id = $1 AND state = 'leased' AND lease_owner = $2",
            )
            .bind(id)
            .bind(owner)
            .bind(error)
            .bind(&now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// How many messages are still to deliver (pending or leased), on every platform.
    pub async fn outbox_pending_count(&self) -> Result<u64, StorageError> {
        let (n,): (i64,) = on_pool!(self, |pool| {
            sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'leased')")
                .fetch_one(pool)
                .await?
        });
        read_int("the count of pending outbox messages", n)
    }

    /// The undelivered messages that met an error at or after `since` — given up, or waiting for
    /// another attempt — by the time of that error, for reporting to admins.
    pub async fn outbox_failures(&self, since: DateTime<Utc>) -> Result<Vec<OutboxRow>, StorageError> {
        let since = timestamp(since);
        let rows: Vec<OutboxColumns> = on_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                outbox_columns!(),
                " FROM outbox WHERE last_error_at >= $1 AND state <> 'sent' ORDER BY last_error_at, id"
            ))
            .bind(&since)
            .fetch_all(pool)
            .await?
        });
        let mut rows = into_rows(rows)?;
        rows.sort_by_key(|row| (row.last_error_at, row.id));
        Ok(rows)
    }

    /// The message with this id, if any.
    pub async fn outbox_message(&self, id: i64) -> Result<Option<OutboxRow>, StorageError> {
        let row: Option<OutboxColumns> = on_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                outbox_columns!(),
                " FROM outbox WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        row.map(OutboxColumns::into_row).transpose()
    }

    /// The message a platform knows by `platform_id` (the Matrix event id it got when sent),
    /// for reactions to it.
    pub async fn outbox_by_platform_id(
        &self,
        platform: &str,
        platform_id: &str,
    ) -> Result<Option<OutboxRow>, StorageError> {
        let row: Option<OutboxColumns> = on_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                outbox_columns!(),
                " FROM outbox WHERE platform = $1 AND platform_id = $2"
            ))
            .bind(platform)
            .bind(platform_id)
            .fetch_optional(pool)
            .await?
        });
        row.map(OutboxColumns::into_row).transpose()
    }

    /// Deletes the messages sent or given up that were created before `before`; returns how
    /// many.
    pub async fn prune_outbox(&self, before: DateTime<Utc>) -> Result<u64, StorageError> {
        let before = timestamp(before);
        Ok(on_pool!(self, |pool| {
            sqlx::query("DELETE FROM outbox WHERE state IN ('sent', 'failed') AND created_at < $1")
                .bind(&before)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
