//! Feed health: when each feed was last fetched, whether it worked, and what it brought.

use chrono::{DateTime, Utc};

use crate::column::{count, read_int, read_opt_timestamp, timestamp};
use crate::{StorageError, Store, SyncCounts};

/// HTTP cache validators of a feed's last successful download.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// The health of one feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedHealth {
    pub name: String,
    /// The feed's format as its attempts declared it (`ics`, `csv`, `atom`…); empty if a result
    /// was recorded without an attempt.
    pub kind: String,
    pub last_attempt: Option<DateTime<Utc>>,
    /// The last download that worked, a "304 Not Modified" included.
    pub last_success: Option<DateTime<Utc>>,
    /// The error of the last attempt, cleared by a success.
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    /// How many items the last successful sync read.
    pub items: u64,
    /// The counts of the last successful sync that changed something (or, if none did, of the
    /// last successful sync).
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
    pub validators: Validators,
}

#[derive(sqlx::FromRow)]
struct FeedRow {
    name: String,
    kind: String,
    last_attempt: Option<String>,
    last_success: Option<String>,
    last_error: Option<String>,
    last_error_at: Option<String>,
    items: i64,
    added: i64,
    changed: i64,
    removed: i64,
    etag: Option<String>,
    last_modified: Option<String>,
}

/// The columns of a [`FeedRow`], followed by any conditions.
macro_rules! select_feeds {
    ($($rest:literal)?) => {
        concat!(
            "SELECT name, kind, last_attempt, last_success, last_error, last_error_at, items, added,
                    changed, removed, etag, last_modified
             FROM feeds",
            $(" ", $rest)?
        )
    };
}

impl FeedRow {
    fn into_health(self) -> Result<FeedHealth, StorageError> {
        let what = format!("health of feed {}", self.name);
        Ok(FeedHealth {
            last_attempt: read_opt_timestamp(&what, self.last_attempt.as_deref())?,
            last_success: read_opt_timestamp(&what, self.last_success.as_deref())?,
            last_error_at: read_opt_timestamp(&what, self.last_error_at.as_deref())?,
            items: read_int(&what, self.items)?,
            added: read_int(&what, self.added)?,
            changed: read_int(&what, self.changed)?,
            removed: read_int(&what, self.removed)?,
            validators: Validators {
                etag: self.etag,
                last_modified: self.last_modified,
            },
            last_error: self.last_error,
            name: self.name,
            kind: self.kind,
        })
    }
}

impl Store {
    /// Records that fetching feed `name` (of format `kind`) starts now.
    pub async fn record_feed_attempt(
        &self,
        name: &str,
        kind: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO feeds (name, kind, last_attempt) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, last_attempt = excluded.last_attempt",
            )
            .bind(name)
            .bind(kind)
            .bind(timestamp(now))
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Records a successful sync: clears the last error, keeps its counts (unless it changed
    /// nothing and an earlier sync's counts are kept), how many items it read and the validators
    /// to send next time.
    pub async fn record_feed_success(
        &self,
        name: &str,
        now: DateTime<Utc>,
        counts: &SyncCounts,
        items: usize,
        validators: &Validators,
    ) -> Result<(), StorageError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO feeds (name, kind, last_attempt, last_success, items, added, changed, removed,
                     etag, last_modified)
                 VALUES ($1, '', $2, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (name) DO UPDATE SET
                     last_attempt = COALESCE(feeds.last_attempt, excluded.last_attempt),
                     last_success = excluded.last_success, last_error = NULL, last_error_at = NULL,
                     items = excluded.items,
                     added = CASE WHEN $9 OR feeds.last_success IS NULL THEN excluded.added ELSE feeds.added END,
                     changed = CASE WHEN $9 OR feeds.last_success IS NULL THEN excluded.changed ELSE feeds.changed END,
                     removed = CASE WHEN $9 OR feeds.last_success IS NULL THEN excluded.removed ELSE feeds.removed END,
                     etag = excluded.etag, last_modified = excluded.last_modified",
            )
            .bind(name)
            .bind(timestamp(now))
            .bind(count(items))
            .bind(count(counts.added))
            .bind(count(counts.changed))
            .bind(count(counts.removed))
            .bind(validators.etag.as_deref())
            .bind(validators.last_modified.as_deref())
            .bind(!counts.is_unchanged())
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Records a "304 Not Modified": a success that keeps the counts, items and validators.
    pub async fn record_feed_not_modified(&self, name: &str, now: DateTime<Utc>) -> Result<(), StorageError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO feeds (name, kind, last_attempt, last_success) VALUES ($1, '', $2, $2)
                 ON CONFLICT (name) DO UPDATE SET
                     last_attempt = COALESCE(feeds.last_attempt, excluded.last_attempt),
                     last_success = excluded.last_success, last_error = NULL, last_error_at = NULL",
            )
            .bind(name)
            .bind(timestamp(now))
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Records a failed attempt, keeping the last success, its counts, items and validators.
    pub async fn record_feed_failure(
        &self,
        name: &str,
        now: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StorageError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO feeds (name, kind, last_attempt, last_error, last_error_at) VALUES ($1, '', $2, $3, $2)
                 ON CONFLICT (name) DO UPDATE SET
                     last_attempt = COALESCE(feeds.last_attempt, excluded.last_attempt),
                     last_error = excluded.last_error, last_error_at = excluded.last_error_at",
            )
            .bind(name)
            .bind(timestamp(now))
            .bind(error)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    pub async fn feed_health(&self, name: &str) -> Result<Option<FeedHealth>, StorageError> {
        let row: Option<FeedRow> = on_pool!(self, |pool| {
            sqlx::query_as(select_feeds!("WHERE name = $1"))
                .bind(name)
                .fetch_optional(pool)
                .await?
        });
        row.map(FeedRow::into_health).transpose()
    }

    /// Every feed's health, by name.
    pub async fn feeds_health(&self) -> Result<Vec<FeedHealth>, StorageError> {
        let rows: Vec<FeedRow> = on_pool!(self, |pool| {
            sqlx::query_as(select_feeds!("ORDER BY name"))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(FeedRow::into_health).collect()
    }
}
