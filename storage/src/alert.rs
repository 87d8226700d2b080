//! Alerts and the notification log, and the one transaction that records a delivery decision.
//!
//! The alert lifecycle and the decision of who hears what are pure (`vigie_rules::alert`); this
//! module keeps their results as plain rows. [`Store::commit_notifications`] writes the alerts
//! that changed, what each receiver has now been told and the messages to deliver in one
//! transaction: after a crash either all three are there (and the outbox delivers the messages) or
//! none is (and the next step decides again), so a room is never told twice nor skipped.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::column::{json, read_int, read_json, read_opt_timestamp, read_timestamp, timestamp};
use crate::outbox::NewOutbox;
use crate::store::Driver;
use crate::{StorageError, Store};

/// An alert as stored: one row per fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    /// The alert's stable identity (hex of a hash of its identifying labels).
    pub fingerprint: String,
    /// The state's slug: `pending`, `firing`, `resolved` or `stale`.
    pub state: String,
    /// The labels routing and silences match on.
    pub labels: BTreeMap<String, String>,
    /// One line for people.
    pub summary: String,
    /// The window behind the alert, if it comes from one.
    pub window: Option<String>,
    /// When it became pending.
    pub active_since: DateTime<Utc>,
    pub firing_since: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The last change of anything people see.
    pub updated_at: DateTime<Utc>,
    /// Bumped at each change people see.
    pub version: u64,
}

/// What a receiver was told about one alert of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentAlert {
    /// The alert's state slug when it was told.
    pub state: String,
    /// The alert's version when it was told.
    pub version: u64,
}

/// What a receiver was last told about a group of alerts (one row per receiver and group key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentRow {
    pub receiver: String,
    pub group_key: String,
    /// When the receiver was last told about the group.
    pub last_sent: DateTime<Utc>,
    /// By fingerprint: what the receiver knows of each alert of the group.
    pub alerts: BTreeMap<String, SentAlert>,
    /// When the group was first notified to the receiver.
    pub first_seen: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct AlertColumns {
    fingerprint: String,
    state: String,
    labels: String,
    summary: String,
    window_id: Option<String>,
    active_since: String,
    firing_since: Option<String>,
    resolved_at: Option<String>,
    updated_at: String,
    version: i64,
}

/// The columns of an [`AlertColumns`], followed by any conditions.
macro_rules! select_alerts {
    ($($rest:literal)?) => {
        concat!(
            "SELECT fingerprint, state, labels, summary, window_id, active_since, firing_since,
                 resolved_at, updated_at, version
             FROM alerts",
            $(" ", $rest)?
        )
    };
}

impl AlertColumns {
    fn into_row(self) -> Result<AlertRow, StorageError> {
        let what = format!("alert {}", self.fingerprint);
        Ok(AlertRow {
            labels: read_json(&format!("labels of {what}"), &self.labels)?,
            active_since: read_timestamp(&what, &self.active_since)?,
            firing_since: read_opt_timestamp(&what, self.firing_since.as_deref())?,
            resolved_at: read_opt_timestamp(&what, self.resolved_at.as_deref())?,
            updated_at: read_timestamp(&what, &self.updated_at)?,
            version: read_int(&format!("version of {what}"), self.version)?,
            fingerprint: self.fingerprint,
            state: self.state,
            summary: self.summary,
            window: self.window_id,
        })
    }
}

/// receiver, group_key, last_sent, alerts, first_seen
type SentColumns = (String, String, String, String, String);

fn read_sent(
    (receiver, group_key, last_sent, alerts, first_seen): SentColumns,
) -> Result<SentRow, StorageError> {
    let what = format!("notification log of {group_key} for {receiver}");
    Ok(SentRow {
        last_sent: read_timestamp(&what, &last_sent)?,
        alerts: read_json(&what, &alerts)?,
        first_seen: read_timestamp(&what, &first_seen)?,
        receiver,
        group_key,
    })
}

/// A version for a signed 64-bit column (versions never come near the limit).
fn version(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// An alert row with its labels encoded, ready to bind.
struct AlertWrite<'a> {
    row: &'a AlertRow,
    labels: String,
}

/// A notification log row with its alerts encoded, ready to bind.
struct SentWrite<'a> {
    row: &'a SentRow,
    alerts: String,
}

impl Store {
    /// Every stored alert, by fingerprint.
    pub async fn alerts(&self) -> Result<Vec<AlertRow>, StorageError> {
        let rows: Vec<AlertColumns> = on_pool!(self, |pool| {
            sqlx::query_as(select_alerts!("ORDER BY fingerprint"))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(AlertColumns::into_row).collect()
    }

    /// The alert with this fingerprint, if stored.
    pub async fn alert(&self, fingerprint: &str) -> Result<Option<AlertRow>, StorageError> {
        let row: Option<AlertColumns> = on_pool!(self, |pool| {
            sqlx::query_as(select_alerts!("WHERE fingerprint = $1"))
                .bind(fingerprint)
                .fetch_optional(pool)
                .await?
        });
        row.map(AlertColumns::into_row).transpose()
    }

    /// The whole notification log, by receiver then group key.
    pub async fn sent_records(&self) -> Result<Vec<SentRow>, StorageError> {
        let rows: Vec<SentColumns> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT receiver, group_key, last_sent, alerts, first_seen FROM notification_log
                 ORDER BY receiver, group_key",
            )
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(read_sent).collect()
    }

    /// Records one delivery decision in one transaction: saves `alerts` (inserted or replaced by
    /// fingerprint), saves `sent` (inserted or replaced by receiver and group key) and queues
    /// `outbox` (pending, due at `now`). Returns the new outbox ids, in the order of `outbox`.
    /// If anything fails, nothing is written.
    pub async fn commit_notifications(
        &self,
        alerts: &[AlertRow],
        sent: &[SentRow],
        outbox: &[NewOutbox],
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>, StorageError> {
        let alerts = alerts
            .iter()
            .map(|row| {
                let what = format!("labels of alert {}", row.fingerprint);
                Ok(AlertWrite {
                    labels: json(&what, &row.labels)?,
                    row,
                })
            })
            .collect::<Result<Vec<_>, StorageError>>()?;
        let sent = sent
            .iter()
            .map(|row| {
                let what = format!("notification log of {} for {}", row.group_key, row.receiver);
                Ok(SentWrite {
                    alerts: json(&what, &row.alerts)?,
                    row,
                })
            })
            .collect::<Result<Vec<_>, StorageError>>()?;
        let now = timestamp(now);
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write("alerts").await?;
            for AlertWrite { row, labels } in &alerts {
                sqlx::query(
                    "INSERT INTO alerts (fingerprint, state, labels, summary, window_id, active_since,
                         firing_since, resolved_at, updated_at, version)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                     ON CONFLICT (fingerprint) DO UPDATE SET state = excluded.state,
                         labels = excluded.labels, summary = excluded.summary,
                         window_id = excluded.window_id, active_since = excluded.active_since,
                         firing_since = excluded.firing_since, resolved_at = excluded.resolved_at,
                         updated_at = excluded.updated_at, version = excluded.version",
                )
                .bind(&row.fingerprint)
                .bind(&row.state)
                .bind(labels)
                .bind(&row.summary)
                .bind(row.window.as_deref())
                .bind(timestamp(row.active_since))
                .bind(row.firing_since.map(timestamp))
                .bind(row.resolved_at.map(timestamp))
                .bind(timestamp(row.updated_at))
                .bind(version(row.version))
                .execute(&mut *tx)
                .await?;
            }
            for SentWrite { row, alerts } in &sent {
                sqlx::query(
                    "INSERT INTO notification_log (receiver, group_key, last_sent, alerts, first_seen)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (receiver, group_key) DO UPDATE SET last_sent = excluded.last_sent,
                         alerts = excluded.alerts, first_seen = excluded.first_seen",
                )
                .bind(&row.receiver)
                .bind(&row.group_key)
                .bind(timestamp(row.last_sent))
                .bind(alerts)
                .bind(timestamp(row.first_seen))
                .execute(&mut *tx)
                .await?;
            }
            let mut ids = Vec::with_capacity(outbox.len());
            for message in outbox {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO outbox (receiver, platform, body_markdown, reason, group_key,
                         created_at, state, attempts, next_attempt_at, image_png, image_name,
                         image_alt)
                     VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $6, $7, $8, $9) RETURNING id",
                )
                .bind(&message.receiver)
                .bind(&message.platform)
                .bind(&message.body_markdown)
                .bind(&message.reason)
                .bind(&message.group_key)
                .bind(&now)
                .bind(message.image.as_ref().map(|i| i.png.as_slice()))
                .bind(message.image.as_ref().map(|i| i.name.as_str()))
                .bind(message.image.as_ref().map(|i| i.alt.as_str()))
                .fetch_one(&mut *tx)
                .await?;
                ids.push(id);
            }
            tx.commit().await?;
            Ok(ids)
        })
    }

    /// Deletes the resolved alerts resolved before `before`; returns how many.
    pub async fn prune_alerts(&self, before: DateTime<Utc>) -> Result<u64, StorageError> {
        let before = timestamp(before);
        Ok(on_pool!(self, |pool| {
            sqlx::query("DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < $1")
                .bind(&before)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }

    /// Deletes the notification log rows last sent before `before`; returns how many.
    pub async fn prune_notification_log(&self, before: DateTime<Utc>) -> Result<u64, StorageError> {
        let before = timestamp(before);
        Ok(on_pool!(self, |pool| {
            sqlx::query("DELETE FROM notification_log WHERE last_sent < $1")
                .bind(&before)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
