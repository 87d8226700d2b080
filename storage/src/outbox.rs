//! The outbox: messages waiting to be delivered, written by
//! [`Store::commit_notifications`](crate::Store::commit_notifications) and delivered by senders
//! that lease them.
//!
//! A sender leases a batch of due messages for a while; only the holder of a lease may mark its
//! message sent, to retry or failed. A sender that crashes leaves its leases to expire, and the
//! messages come back to the next lease: a message is delivered at least once, and twice only
//! when a sender outlives its lease. Several senders (replicas, or tasks of one) never lease the
//! same message at once: PostgreSQL skips rows another transaction has locked
//! (`FOR UPDATE SKIP LOCKED`), SQLite serialises leases (`BEGIN IMMEDIATE`).

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
}

/// The columns of [`OutboxColumns`].
macro_rules! outbox_columns {
    () => {
        "id, receiver, platform, body_markdown, reason, group_key, created_at, state, attempts,
         next_attempt_at, lease_owner, lease_until, sent_at, platform_id, last_error, last_error_at"
    };
}

impl OutboxColumns {
    fn into_row(self) -> Result<OutboxRow, StorageError> {
        let what = format!("outbox message {}", self.id);
        Ok(OutboxRow {
            created_at: read_timestamp(&what, &self.created_at)?,
            state: read(&what, &self.state, OutboxState::from_str)?,
            attempts: read_int(&what, self.attempts)?,
            next_attempt_at: read_timestamp(&what, &self.next_attempt_at)?,
            lease_until: read_opt_timestamp(&what, self.lease_until.as_deref())?,
            sent_at: read_opt_timestamp(&what, self.sent_at.as_deref())?,
            last_error_at: read_opt_timestamp(&what, self.last_error_at.as_deref())?,
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

impl Store {
    /// Leases up to `limit` of `platform`'s messages due at `now` — pending ones whose next
    /// attempt has come, and leased ones whose lease has expired — to `owner` until `now + lease`,
    /// counting an attempt for each. Returns them by id. Concurrent callers get disjoint
    /// messages.
    pub async fn lease_outbox(
        &self,
        owner: &str,
        platform: &str,
        limit: u32,
        lease: Duration,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxRow>, StorageError> {
        let until = timestamp(later(now, lease));
        let now = timestamp(now);
        let limit = i64::from(limit);
        let rows: Vec<OutboxColumns> = match &self.pool {
            Pool::Sqlite(pool) => {
                // The write lock is taken up front, so the choice and the update are one step.
                let mut tx = pool.begin_write("outbox").await?;
                let rows = sqlx::query_as(concat!(
                    "UPDATE outbox SET state = 'leased', lease_owner = $1, lease_until = $2,
                         attempts = attempts + 1
                     WHERE id IN (
                         SELECT id FROM outbox
                         WHERE platform = $3 AND next_attempt_at <= $4
                           AND (state = 'pending' OR (state = 'leased' AND lease_until <= $4))
                         ORDER BY id LIMIT $5)
                     RETURNING ",
                    outbox_columns!()
                ))
                .bind(owner)
                .bind(&until)
                .bind(platform)
                .bind(&now)
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                rows
            }
            Pool::Postgres(pool) => {
                // Rows another leaser has locked are skipped, not waited for; a row another
                // leaser updated since this statement began is re-checked, and is no longer due.
                let mut tx = pool.begin().await?;
                let ids: Vec<(i64,)> = sqlx::query_as(
                    "SELECT id FROM outbox
                     WHERE platform = $1 AND next_attempt_at <= $2
                       AND (state = 'pending' OR (state = 'leased' AND lease_until <= $2))
                     ORDER BY id LIMIT $3
                     FOR UPDATE SKIP LOCKED",
                )
                .bind(platform)
                .bind(&now)
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?;
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let ids: Vec<i64> = ids.into_iter().map(|(id,)| id).collect();
                let rows = sqlx::query_as(concat!(
                    "UPDATE outbox SET state = 'leased', lease_owner = $1, lease_until = $2,
                         attempts = attempts + 1
                     WHERE id = ANY($3)
                     RETURNING ",
                    outbox_columns!()
                ))
                .bind(owner)
                .bind(&until)
                .bind(&ids)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                rows
            }
        };
        into_rows(rows)
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
        let next = timestamp(next_attempt_at);
        let now = timestamp(now);
        let done = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET state = 'pending', next_attempt_at = $3, last_error = $4,
                     last_error_at = $5, lease_owner = NULL, lease_until = NULL
                 WHERE id = $1 AND state = 'leased' AND lease_owner = $2",
            )
            .bind(id)
            .bind(owner)
            .bind(&next)
            .bind(error)
            .bind(&now)
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
